"""What the room may see on the beamer, and moderation before projection.

The beamer is sent only what this module lets through: contributions that are shared, not hidden, not waiting
for a reveal and, where the agenda item asks to approve first ("eerst goedkeuren"), approved; a table or
perspective only where enough participants share it (small-group privacy); board themes and vote targets made
of such contributions. Nothing is filtered in the browser: what the beamer must not show never reaches it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from facilitator.core.domain import (
    AgendaItem,
    Contribution,
    DomainEvent,
    InvalidInput,
    Participant,
    Phase,
    WorkFormat,
    WorkshopSession,
)
from facilitator.core.domain.events import BeamerViewChanged
from facilitator.core.registry import WorkFormatRegistry
from facilitator.core.services.agenda import is_concealed
from facilitator.core.services.base import CurrentStep, configured_workformat, retried, source_item
from facilitator.core.services.board import Translate, as_written, board_item_for, load_board, public_themes
from facilitator.core.services.contributions import approval_required, awaiting_approval
from facilitator.core.services.votes import tallies as vote_tallies
from facilitator.core.services.votes import vote_targets
from facilitator.storage import SessionRepository

#: What the beamer's join QR code does: follow the room, or stay large or small.
BEAMER_QR_MODES = ("auto", "large", "small")
#: Displays that add the answers up (a count per scale point, points per option): a new or hidden answer changes
#: the sum, so the beamer gets its whole state again rather than one card.
SUMMED_DISPLAYS = ("scale", "ranking")


def room_may_see(
    session: WorkshopSession, workformat: WorkFormat | None, item: AgendaItem | None, contribution: Contribution
) -> bool:
    """Tell whether the room may see a contribution: shared, not hidden, revealed and (where asked) approved."""
    return (
        contribution.shared
        and not contribution.hidden
        and not (workformat is not None and is_concealed(session, workformat, contribution))
        and not awaiting_approval(item, contribution)
    )


# -- small-group privacy ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSizes:
    """How many participants sit at each table, speak from each perspective, and both at once."""

    tables: Mapping[int, int]
    perspectives: Mapping[str, int]
    pairs: Mapping[tuple[int, str], int]

    def shown(self, threshold: int) -> frozenset[tuple[Any, ...]]:
        """Return the groups large enough to be named on the beamer (when this changes, the beamer is redrawn)."""
        return frozenset(
            [("t", t) for t, n in self.tables.items() if n >= threshold]
            + [("p", p) for p, n in self.perspectives.items() if n >= threshold]
            + [("tp", *pair) for pair, n in self.pairs.items() if n >= threshold]
        )


def group_sizes(participants: Iterable[Participant]) -> GroupSizes:
    """Count the participants per table, per perspective and per table and perspective together."""
    tables: Counter[int] = Counter()
    perspectives: Counter[str] = Counter()
    pairs: Counter[tuple[int, str]] = Counter()
    for p in participants:
        perspective = p.perspective or None
        if p.table is not None:
            tables[p.table] += 1
        if perspective:
            perspectives[perspective] += 1
        if p.table is not None and perspective:
            pairs[(p.table, perspective)] += 1
    return GroupSizes(tables=dict(tables), perspectives=dict(perspectives), pairs=dict(pairs))


def shown_origin(contribution: Contribution, sizes: GroupSizes, threshold: int) -> tuple[int | None, str | None]:
    """Return the table and perspective the beamer may show with a contribution (None: not shown).

    Both only where at least `threshold` participants share that table and perspective together; otherwise the
    table alone where that many sit at it; otherwise the perspective alone where that many in the room share it.
    A table's own item (a table advice, written together) keeps its table and never shows the perspective of
    whoever submitted it.
    """
    table = contribution.table
    perspective = contribution.perspective or None
    if contribution.slot is not None:
        return table, None
    if table is not None and perspective and sizes.pairs.get((table, perspective), 0) >= threshold:
        return table, perspective
    if table is not None and sizes.tables.get(table, 0) >= threshold:
        return table, None
    if perspective and sizes.perspectives.get(perspective, 0) >= threshold:
        return None, perspective
    return None, None


def privacy_threshold(session: WorkshopSession) -> int:
    """Return a bijeenkomst's small-group threshold (never below 1)."""
    return max(1, session.privacy_threshold)


# -- what the beamer shows ---------------------------------------------------------------------------


def beamer_contribution(contribution: Contribution, sizes: GroupSizes, threshold: int) -> dict[str, Any]:
    """Return what the beamer gets of a contribution the room may see: its text and room-safe details only."""
    table, perspective = shown_origin(contribution, sizes, threshold)
    return {
        "id": contribution.id,
        "agenda_item": contribution.agenda_item_id,
        "phase": contribution.phase_id,
        "kind": contribution.kind,
        "text": contribution.text,
        "created_at": contribution.created_at,
        "table": table,
        "perspective": perspective,
        "bucket": contribution.bucket,
        "tags": list(contribution.tags),
        # A ranking's options in order (option ids of the werkvorm, never a person's); an afspraak's who and when
        # are typed by a participant and go through the same rules as the text.
        "ranking": list(contribution.ranking),
        "owner": contribution.owner,
        "due": contribution.due,
        "function": contribution.function,
        "starred": contribution.starred,
        "slot": contribution.slot,
    }


def display_group(workformat: WorkFormat, phase: Phase) -> str:
    """Return the tag group a phase's display is laid out by (a grid's columns, a scale's points, the ranked
    options, an afspraak's levels): the ranked group, else the first tag group of the first kind it accepts."""
    for kind in workformat.contribution_kinds:
        if kind.id in phase.accepts and (kind.ranks or kind.tag_groups):
            return kind.ranks or kind.tag_groups[0]
    return ""


def beamer_summary(step: CurrentStep | None, shown: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """Return what a summed display adds up from the answers the room may see (`shown`, as beamer_contributions
    gives them): per scale point how many chose it, or per option its Borda points (n-1 for a first place down to
    0 for the last of n); None for every other display."""
    if step is None or step.phase.display not in SUMMED_DISPLAYS:
        return None
    group_id = display_group(step.workformat, step.phase)
    group = next((g for g in step.workformat.tag_groups if g.id == group_id), None)
    options = [o.id for o in group.options] if group else []
    answers = [c for c in shown if c["phase"] == step.phase.id]
    if step.phase.display == "scale":
        counts = dict.fromkeys(options, 0)
        counted = 0
        for c in answers:
            chosen = [t for t in c["tags"] if t in counts]
            for tag in chosen:
                counts[tag] += 1
            counted += bool(chosen)
        return {"group": group_id, "counts": counts, "answers": counted}
    points = dict.fromkeys(options, 0)
    most = max(0, len(options) - 1)
    counted = 0
    for c in answers:
        order = [o for o in c["ranking"] if o in points]
        if not order:
            continue
        counted += 1
        for place, option in enumerate(order):
            points[option] += most - place
    return {"group": group_id, "points": points, "answers": counted, "most": most}


def in_view(step: CurrentStep | None, contribution: Contribution) -> bool:
    """Tell whether a contribution belongs on the screen of the current step (its phase or one it shows)."""
    if step is None or contribution.agenda_item_id != step.item.id:
        return False
    return contribution.phase_id == step.phase.id or contribution.phase_id in step.phase.shows_phases


def beamer_contributions(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session: WorkshopSession,
    step: CurrentStep | None,
    sizes: GroupSizes,
    contributions: Sequence[Contribution] | None = None,
) -> list[dict[str, Any]]:
    """Return the current step's contributions the room may see, oldest first, as the beamer gets them."""
    if step is None:
        return []
    workformat = configured_workformat(registry, step.item)
    threshold = privacy_threshold(session)
    return [
        beamer_contribution(c, sizes, threshold)
        for c in (repo.list_contributions(session.id) if contributions is None else contributions)
        if in_view(step, c) and room_may_see(session, workformat, step.item, c)
    ]


def concealed_count(repo: SessionRepository, session: WorkshopSession, step: CurrentStep | None) -> int:
    """Return how many answers of the current phase wait for the reveal (a count only, never their text)."""
    if step is None or not step.phase.hidden_until_reveal or session.is_revealed(step.item.id, step.phase.id):
        return 0
    return sum(
        1 for c in repo.list_contributions(session.id)
        if c.agenda_item_id == step.item.id and c.phase_id == step.phase.id and c.shared and not c.hidden
    )


def _visible_cards(
    repo: SessionRepository, registry: WorkFormatRegistry, session: WorkshopSession, item: AgendaItem
) -> dict[str, Contribution]:
    workformat = configured_workformat(registry, item)
    return {
        c.id: c for c in repo.list_contributions(session.id)
        if c.agenda_item_id == item.id and room_may_see(session, workformat, item, c)
    }


def beamer_board(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session: WorkshopSession,
    step_item: AgendaItem,
    translate: Translate = as_written,
) -> dict[str, Any]:
    """Return the board the current step shows, with only cards the room may see and names it may read.

    A theme name a phone proposed is shown only once the facilitator accepted it when either item asks to
    approve first: it is a participant's text like any other. A name the clusterer proposed reads "Thema 3"
    until the facilitator accepted or edited it.
    """
    item = board_item_for(session, step_item, registry)
    cards = _visible_cards(repo, registry, session, item)
    board = load_board(repo, session.id, item.id)
    moderated = approval_required(item) or approval_required(step_item)
    themes: list[dict[str, Any]] = []
    for theme, name in public_themes(board, translate):
        if moderated and theme.origin == "participant" and not theme.accepted:
            continue
        themes.append({
            "id": theme.id,
            "name": name,
            "cards": [{"id": c, "text": cards[c].text} for c in theme.cards if c in cards],
        })
    # Not placed, or placed under a theme that is not shown (a name waiting for approval): unsorted here.
    shown = {card["id"] for theme in themes for card in theme["cards"]}
    unsorted = [{"id": c.id, "text": c.text} for c in cards.values() if c.id not in shown]
    return {"agenda_item": item.id, "themes": themes, "unsorted": unsorted, "rode_draad": board.rode_draad}


def beamer_votes(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session: WorkshopSession,
    item: AgendaItem,
    translate: Translate = as_written,
) -> dict[str, Any]:
    """Return what gets dots in a voting item, as far as the room may see it, with the dots counted so far."""
    allowed = allowed_vote_targets(repo, registry, session, item)
    targets = [t for t in vote_targets(repo, registry, session, item, translate) if t["id"] in allowed]
    counted = vote_tallies(repo, session.id, item.id)
    return {
        "agenda_item": item.id,
        "targets": targets,
        "tallies": {t["id"]: counted.get(t["id"], 0) for t in targets},
    }


def allowed_vote_targets(
    repo: SessionRepository, registry: WorkFormatRegistry, session: WorkshopSession, item: AgendaItem
) -> set[str]:
    """Return the ids of the vote targets the room may see (own options, shown themes, visible contributions)."""
    allowed = {t["id"] for t in vote_targets(repo, registry, session, item) if t["id"].startswith("option-")}
    source = source_item(session, item)
    if source is not None:
        allowed |= {f"theme:{t['id']}" for t in beamer_board(repo, registry, session, source)["themes"]}
        allowed |= set(_visible_cards(repo, registry, session, source))
    return allowed


def check_beamer_qr(value: object) -> str:
    """Return a QR mode for the beamer, or raise InvalidInput naming the field."""
    if value not in BEAMER_QR_MODES:
        raise InvalidInput(f"qr: one of {BEAMER_QR_MODES}", field="qr")
    assert isinstance(value, str)
    return value


@retried
def set_beamer_view(
    repo: SessionRepository, session_id: str, *, large: object = None, qr: object = None
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Switch the beamer's large-type mode or its QR code's size; every beamer window follows."""
    session = repo.get_session(session_id)
    changes: dict[str, Any] = {}
    if large is not None:
        if not isinstance(large, bool):
            raise InvalidInput("large: must be true or false", field="large")
        changes["beamer_large"] = large
    if qr is not None:
        changes["beamer_qr"] = check_beamer_qr(qr)
    if all(getattr(session, k) == v for k, v in changes.items()):
        return session, []
    session = repo.save_session(replace(session, **changes))
    return session, [BeamerViewChanged(session=session)]
