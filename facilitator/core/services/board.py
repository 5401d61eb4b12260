"""Use cases of the rode-draden board: cards, themes, suggestions from the clusterer, placing from a phone."""

from __future__ import annotations

import importlib
import secrets
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from types import ModuleType
from typing import TYPE_CHECKING, Any

from facilitator.core.domain import (
    AgendaItem,
    Board,
    BoardChanged,
    Contribution,
    DomainEvent,
    InvalidInput,
    LimitReached,
    NotFound,
    Participant,
    PhaseNotOpen,
    StaleBoard,
    Theme,
    WorkshopSession,
)
from facilitator.core.domain import board as moves
from facilitator.core.domain.text import showable
from facilitator.core.registry import WorkFormatRegistry, default_registry
from facilitator.core.services.agenda import is_concealed
from facilitator.core.services.base import Clock, configured_workformat, current_step, require_step, source_item
from facilitator.core.services.roles import role_of
from facilitator.storage import SessionRepository
from facilitator.verslag.privacy import find_personal_data

if TYPE_CHECKING:
    from facilitator.core.clustering import clusters as clustering

#: New themes a phone may propose; more is noise on a projector.
PROPOSALS_PER_PARTICIPANT = 3
MIN_SUGGESTED, MAX_SUGGESTED = 2, 20
#: Save attempts when another screen changed the board in the meantime.
SAVE_ATTEMPTS = 5
#: Runs the clusterer; the server passes its runtime's run_blocking (a worker thread) so nobody waits on it.
Runner = Callable[..., Any]


def _call(function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


def _clustering(run: Runner) -> ModuleType:
    """Return the clusterer, imported by the runner: scikit-learn loads off the event loop, on first use."""
    return run(importlib.import_module, "facilitator.core.clustering.clusters")  # type: ignore[no-any-return]


def new_theme_id() -> str:
    """Return a fresh theme id."""
    return f"t-{secrets.token_hex(4)}"


def board_item_for(
    session: WorkshopSession, item: AgendaItem, registry: WorkFormatRegistry | None = None
) -> AgendaItem:
    """Return the item whose board an agenda item shows: a board werkvorm (rode draden) shows its source's board."""
    if (registry or default_registry()).can(item.workformat_id, "board"):
        return source_item(session, item) or item
    return item


def board_cards(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session: WorkshopSession,
    item_id: str,
    contributions: Sequence[Contribution] | None = None,
) -> list[Contribution]:
    """Return the contributions that may sit on an item's board: shared, not hidden, not waiting for a reveal."""
    item = session.agenda_item(item_id)
    if item is None:
        raise NotFound(f"agenda item {item_id}")
    workformat = configured_workformat(registry, item)
    return [
        c
        for c in (repo.list_contributions(session.id) if contributions is None else contributions)
        if c.agenda_item_id == item_id and c.shared and not c.hidden and not is_concealed(session, workformat, c)
    ]


def load_board(repo: SessionRepository, session_id: str, item_id: str) -> Board:
    """Return an item's board; an item nobody sorted yet has an empty one."""
    return repo.get_board(session_id, item_id) or Board(agenda_item_id=item_id)


def _change_board(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    item_id: str,
    change: Callable[[Board, list[Contribution]], Board],
) -> Board:
    """Apply a change to the newest board and store it; try again when another screen was first."""
    for _attempt in range(SAVE_ATTEMPTS):
        session = repo.get_session(session_id)
        cards = board_cards(repo, registry, session, item_id)
        board = load_board(repo, session_id, item_id)
        changed = change(board, cards)
        try:
            repo.save_board(session_id, changed)
        except StaleBoard:
            continue
        return changed
    raise StaleBoard(f"board {item_id} kept changing")


def _require_cards(cards: Sequence[Contribution], wanted: Sequence[str]) -> None:
    known = {c.id for c in cards}
    for card in wanted:
        if card not in known:
            raise NotFound(f"card {card}")


def _card_list(data: Mapping[str, Any], name: str) -> list[str]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > 10_000:
        raise InvalidInput(f"{name}: must be a list of card ids", field=name)
    return list(dict.fromkeys(value))


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise InvalidInput(f"{name}: must be a text", field=name)
    return value


def _typed(data: Mapping[str, Any]) -> bool:
    """Tell whether the facilitator typed a theme's name (rather than taking the default)."""
    name = data.get("name")
    return isinstance(name, str) and bool(name.strip())


def _optional_text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{name}: must be a text or null", field=name)
    return value


def edit_board(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    item_id: str,
    action: str,
    data: Mapping[str, Any],
    *,
    clock: Clock = time.time,
) -> tuple[Board, dict[str, Any], list[DomainEvent]]:
    """Change a board by one facilitator action; return the board, extra ack fields and the events."""
    extra: dict[str, Any] = {}

    def change(board: Board, cards: list[Contribution]) -> Board:
        now = clock()
        if action == "move":
            card = _text(data, "card")
            _require_cards(cards, [card])
            return moves.move_card(board, card, _optional_text(data, "theme"), _optional_text(data, "before"), now)
        if action == "add_theme":
            chosen = _card_list(data, "cards")
            _require_cards(cards, chosen)
            theme = Theme(id=new_theme_id(), name=moves.clean_theme_name(data.get("name"), default=NEW_THEME_NAME),
                          cards=tuple(chosen), accepted=_typed(data))
            extra["theme"] = theme.id
            return moves.add_theme(board, theme, now)
        if action == "rename_theme":
            return moves.rename_theme(board, _text(data, "theme"), moves.clean_theme_name(data.get("name")), now)
        if action == "accept_theme":
            theme = board.theme(_text(data, "theme"))
            if found := find_personal_data(theme.name):
                # Accepting means: this name may outlive the bijeenkomst in the series' terugblik.
                raise InvalidInput("accept: the name looks like personal data", field="accept",
                                   kinds=",".join(dict.fromkeys(f.kind for f in found)))
            return moves.accept_theme(board, theme.id, now)
        if action == "remove_theme":
            return moves.remove_theme(board, _text(data, "theme"), now)
        if action == "merge_themes":
            return moves.merge_themes(board, _text(data, "theme"), _text(data, "into"), now)
        if action == "split_theme":
            source = board.theme(_text(data, "theme"))
            name = moves.clean_theme_name(data.get("name"), default=f"{source.name} (2)"[: moves.THEME_NAME_MAX])
            # A split-off part of a proposed name ("Korte lijnen (2)") is still a proposal until accepted.
            origin = "suggestion" if moves.name_is_proposal(source) and not _typed(data) else "host"
            theme = Theme(id=new_theme_id(), name=name, accepted=_typed(data), origin=origin)
            extra["theme"] = theme.id
            return moves.split_theme(board, source.id, _card_list(data, "cards"), theme, now)
        if action == "reorder_themes":
            order = data.get("order")
            if not isinstance(order, list) or not all(isinstance(v, str) for v in order):
                raise InvalidInput("order: must be a list of theme ids", field="order")
            return moves.reorder_themes(board, order, now)
        if action == "undo":
            return board.undone(now)
        if action == "set_rode_draad":
            text = showable(_text(data, "text"), "rode_draad").strip()
            if len(text) > moves.RODE_DRAAD_MAX:
                raise InvalidInput(f"text: at most {moves.RODE_DRAAD_MAX} characters", field="rode_draad")
            return replace(board, rode_draad=text, version=board.version + 1, updated_at=now)
        raise InvalidInput(f"action: unknown action {action!r}", field="action")

    board = _change_board(repo, registry, session_id, item_id, change)
    return board, extra, [BoardChanged(session_id=session_id, agenda_item_id=item_id)]


#: The name a theme gets when the facilitator adds one without typing a name (Dutch: the board's language).
NEW_THEME_NAME = "Nieuw thema"


def suggest_themes(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    item_id: str,
    *,
    mode: str,
    count: object = None,
    run: Runner = _call,
    clock: Clock = time.time,
) -> tuple[Board, str | None, list[DomainEvent]]:
    """Let the clusterer sort the board: new themes ("suggest") or the unsorted cards under the themes ("sort")."""
    if mode not in ("suggest", "sort"):
        raise InvalidInput("mode: must be suggest or sort", field="mode")
    if count is not None and (
        not isinstance(count, int) or isinstance(count, bool) or not MIN_SUGGESTED <= count <= MAX_SUGGESTED
    ):
        raise InvalidInput(f"count: must be {MIN_SUGGESTED} to {MAX_SUGGESTED}", field="count")
    warnings: list[str | None] = []

    def change(board: Board, cards: list[Contribution]) -> Board:
        if not cards:
            raise InvalidInput("board: no cards to sort", field="board")
        if mode == "sort" and not board.themes:
            raise InvalidInput("themes: make a theme first", field="themes")
        engine = _clustering(run)
        texts = [c.text for c in cards]
        if mode == "suggest":
            result: clustering.Clustering = run(engine.suggest, texts, count)
            namer = run(importlib.import_module, "facilitator.core.clustering.theme_names")
            names: list[str] = run(namer.name_themes, texts, [list(s.items) for s in result.themes])
            themes = [_suggested_theme(s, name, cards) for s, name in zip(result.themes, names, strict=True)]
            warnings.append(result.warning)
        else:
            themes = _sorted_themes(board, cards, engine, run)
            warnings.append(moves.theme_count_warning(len(themes)))
        groups: list[tuple[int, ...]] = run(engine.near_duplicates, texts)
        duplicates = tuple(tuple(cards[i].id for i in group) for group in groups)
        return replace(board.with_themes(themes, clock()), duplicates=duplicates)

    # A board changed by another screen while the clusterer ran is simply clustered again.
    board = _change_board(repo, registry, session_id, item_id, change)
    return board, warnings[-1], [BoardChanged(session_id=session_id, agenda_item_id=item_id)]


def _suggested_theme(suggestion: clustering.ThemeSuggestion, name: str, cards: Sequence[Contribution]) -> Theme:
    """Return a board theme for a suggestion, named by theme_names (a proposal), its most representative card
    first."""
    order = list(suggestion.items)
    if suggestion.representative in order:
        order.remove(suggestion.representative)
        order.insert(0, suggestion.representative)
    return Theme(
        id=new_theme_id(),
        name=moves.clean_theme_name(name[: moves.THEME_NAME_MAX], default=NEW_THEME_NAME),
        cards=tuple(cards[i].id for i in order),
        origin="suggestion",
        terms=tuple(suggestion.terms[:5]),
    )


def _sorted_themes(board: Board, cards: Sequence[Contribution], engine: ModuleType, run: Runner) -> list[Theme]:
    """Return the board's themes with every unsorted card added where the clusterer thinks it belongs."""
    index = {c.id: i for i, c in enumerate(cards)}
    placed = [[index[card] for card in theme.cards if card in index] for theme in board.themes]
    placed_cards = board.placed()
    unsorted = {i for i, c in enumerate(cards) if c.id not in placed_cards}
    result: clustering.Clustering = run(
        engine.assist, [c.text for c in cards], placed, [t.name for t in board.themes]
    )
    themes = []
    for theme, suggestion in zip(board.themes, result.themes, strict=True):
        added = tuple(cards[i].id for i in suggestion.items if i in unsorted)
        themes.append(replace(theme, cards=(*theme.cards, *added)))
    return themes


def place_contribution(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    participant: Participant,
    *,
    contribution_id: object,
    theme_id: object = None,
    new_theme: object = None,
    clock: Clock = time.time,
) -> tuple[str, list[DomainEvent]]:
    """Put a participant's own contribution under a theme, or under a theme they propose; return its id."""
    if not isinstance(contribution_id, str):
        raise InvalidInput("id: must be a contribution id", field="id")
    if (theme_id is None) == (new_theme is None):
        raise InvalidInput("theme or new_theme: give exactly one", field="theme")
    session = repo.get_session(session_id)
    step = require_step(registry, session)
    if step.workformat.view_for(step.phase, role_of(session, step.item.id, participant)) != "place":
        raise PhaseNotOpen("no placing now")
    item = board_item_for(session, step.item, registry)
    contribution = repo.get_contribution(session_id, contribution_id)
    if contribution is None or contribution.participant_id != participant.id or contribution.agenda_item_id != item.id:
        raise NotFound(f"contribution {contribution_id}")
    proposal = moves.clean_theme_name(new_theme) if new_theme is not None else None
    if theme_id is not None and not isinstance(theme_id, str):
        raise InvalidInput("theme: must be a theme id", field="theme")
    chosen: dict[str, str] = {}

    def change(board: Board, cards: list[Contribution]) -> Board:
        _require_cards(cards, [contribution.id])
        now = clock()
        if proposal is None:
            chosen["theme"] = str(theme_id)
            return moves.move_card(board, contribution.id, str(theme_id), None, now)
        same = next((t for t in board.themes if t.name.casefold() == proposal.casefold()), None)
        if same is not None:
            chosen["theme"] = same.id
            return moves.move_card(board, contribution.id, same.id, None, now)
        mine = sum(1 for t in board.themes if t.proposed_by == participant.id)
        if mine >= PROPOSALS_PER_PARTICIPANT:
            raise LimitReached(f"{mine} themes proposed", limit=PROPOSALS_PER_PARTICIPANT, what="themes")
        theme = Theme(id=new_theme_id(), name=proposal, origin="participant", proposed_by=participant.id,
                      cards=(contribution.id,))
        chosen["theme"] = theme.id
        return moves.add_theme(board, theme, now)

    _change_board(repo, registry, session_id, item.id, change)
    return chosen["theme"], [BoardChanged(session_id=session_id, agenda_item_id=item.id)]


def placements(repo: SessionRepository, session_id: str, participant_id: str) -> dict[str, str]:
    """Return the theme each of a participant's contributions is on, over every board."""
    mine = {c.id for c in repo.list_contributions(session_id) if c.participant_id == participant_id}
    return {
        card: theme_id
        for board in repo.list_boards(session_id)
        for card, theme_id in board.placed().items()
        if card in mine
    }


def provenance(session: WorkshopSession, cards: Sequence[Contribution]) -> dict[str, Any]:
    """Return where a theme's cards came from: people per perspective (not cards) and the tables, never who."""
    people = {(c.perspective, c.participant_id) for c in cards if c.perspective is not None}
    perspectives = Counter(perspective for perspective, _who in people)
    labels = []
    for number in sorted({c.table for c in cards if c.table is not None}):
        table = session.table(number)
        labels.append(table.label() if table else str(number))
    return {"perspectives": dict(sorted(perspectives.items(), key=lambda kv: (-kv[1], kv[0]))), "tables": labels}


def board_views(
    repo: SessionRepository, registry: WorkFormatRegistry, session: WorkshopSession
) -> dict[str, dict[str, Any]]:
    """Return the board of every agenda item as a host screen shows it (the contributions are read once)."""
    contributions = repo.list_contributions(session.id)
    boards = {board.agenda_item_id: board for board in repo.list_boards(session.id)}
    return {
        item.id: board_view(repo, registry, session, item.id, contributions=contributions, board=boards.get(item.id))
        for item in session.agenda
    }


def board_view(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session: WorkshopSession,
    item_id: str,
    *,
    contributions: Sequence[Contribution] | None = None,
    board: Board | None = None,
) -> dict[str, Any]:
    """Return what a host screen shows of a board: themes with their visible cards and provenance, the rest."""
    cards = board_cards(repo, registry, session, item_id, contributions)
    by_id = {c.id: c for c in cards}
    board = board or load_board(repo, session.id, item_id)
    placed = board.placed()
    themes = []
    for theme in board.themes:
        visible = [by_id[c] for c in theme.cards if c in by_id]
        themes.append({
            "id": theme.id,
            "name": theme.name,
            "origin": theme.origin,
            "accepted": theme.accepted,
            "cards": [c.id for c in visible],
            "terms": list(theme.terms),
            "provenance": provenance(session, visible),
        })
    return {
        "agenda_item": item_id,
        "version": board.version,
        "themes": themes,
        "unsorted": [c.id for c in cards if c.id not in placed],
        "rode_draad": board.rode_draad,
        "can_undo": bool(board.history),
        "duplicates": [shown for group in board.duplicates if len(shown := [c for c in group if c in by_id]) > 1],
        "warning": moves.theme_count_warning(len(board.themes)) if board.themes else None,
    }


#: Translates a fixed text (the placeholder of a proposed name); the edges pass gettext, the default is Dutch.
Translate = Callable[[str], str]


def as_written(text: str) -> str:
    return text


def public_themes(board: Board, translate: Translate = as_written) -> list[tuple[Theme, str]]:
    """Return each theme with the name the room may see: the clusterer's proposal only once the facilitator
    accepted or edited it, before that "Thema 3"."""
    return [(t, moves.public_name(t, number, translate)) for number, t in enumerate(board.themes, start=1)]


def theme_choices(
    repo: SessionRepository, session_id: str, item_id: str, translate: Translate = as_written
) -> list[dict[str, str]]:
    """Return a board's themes as a phone sees them: id and the name the room may see."""
    return [{"id": t.id, "name": name} for t, name in public_themes(load_board(repo, session_id, item_id), translate)]


def current_board_item(registry: WorkFormatRegistry, session: WorkshopSession) -> str | None:
    """Return the id of the item whose board belongs to the room's current step, if any."""
    step = current_step(registry, session)
    return board_item_for(session, step.item, registry).id if step else None


def theme_vote_targets(
    repo: SessionRepository, session: WorkshopSession, item: AgendaItem, translate: Translate = as_written
) -> list[dict[str, str]]:
    """Return the themes of an item's board as vote targets (empty when nobody made themes there); a proposed
    name is not shown until the facilitator accepted it."""
    board = repo.get_board(session.id, board_item_for(session, item).id)
    return [{"id": f"theme:{t.id}", "text": name} for t, name in public_themes(board, translate)] if board else []
