"""Use cases of dot voting: targets, votes as facts, tallies derived from them."""

from __future__ import annotations

import time

from facilitator.core.domain import (
    AgendaItem,
    DomainEvent,
    InvalidInput,
    LimitReached,
    NotFound,
    Participant,
    PhaseNotOpen,
    Vote,
    VotesChanged,
    WorkshopSession,
)
from facilitator.core.registry import WorkFormatRegistry
from facilitator.core.services.agenda import is_concealed
from facilitator.core.services.base import Clock, configured_workformat, require_step, source_item
from facilitator.core.services.board import Translate, as_written, theme_vote_targets
from facilitator.core.services.roles import role_of
from facilitator.storage import SessionRepository


def vote_targets(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session: WorkshopSession,
    item: AgendaItem,
    translate: Translate = as_written,
) -> list[dict[str, str]]:
    """Return what can get dots: the facilitator's own options, else the themes on an earlier item's board,
    else that item's bijdragen."""
    own = registry.get(item.workformat_id).setting(item.settings, "vote_options", [])
    options = [o.strip() for o in own if isinstance(o, str) and o.strip()] if isinstance(own, list | tuple) else []
    if options:
        return [{"id": f"option-{i}", "text": text} for i, text in enumerate(options, start=1)]
    source = source_item(session, item)
    if source is None:
        return []
    themes = theme_vote_targets(repo, session, source, translate)
    if themes:
        return themes
    workformat = configured_workformat(registry, source)
    return [
        {"id": c.id, "text": c.text}
        for c in repo.list_contributions(session.id)
        if c.agenda_item_id == source.id
        and not c.hidden
        and c.shared
        and not is_concealed(session, workformat, c)
    ]


def dots_per_participant(item: AgendaItem, registry: WorkFormatRegistry) -> int:
    """Return how many dots each participant may place in a voting item."""
    spec = registry.get(item.workformat_id).spec_for("vote_allowance")
    if spec is None:
        return 3
    value = item.settings.get(spec.name, spec.default)
    low, high = spec.minimum or 1, spec.maximum or 20
    return max(low, min(int(value), high)) if isinstance(value, int) else int(spec.default)


def cast_vote(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    participant: Participant,
    *,
    target: object,
    on: object,
    clock: Clock = time.time,
) -> tuple[list[str], list[DomainEvent]]:
    """Place or take back a dot; a double tap or a resend changes nothing. Return the participant's dots."""
    if not isinstance(target, str) or not isinstance(on, bool):
        raise InvalidInput("target and on: a text and true/false", field="target")
    session = repo.get_session(session_id)
    step = require_step(registry, session)
    if step.workformat.view_for(step.phase, role_of(session, step.item.id, participant)) != "vote":
        raise PhaseNotOpen("no voting now")
    if target not in {t["id"] for t in vote_targets(repo, registry, session, step.item)}:
        raise NotFound(f"vote target {target}")
    mine = my_votes(repo, session_id, participant.id, step.item.id)
    if on and target not in mine:
        dots = dots_per_participant(step.item, registry)
        if len(mine) >= dots:
            raise LimitReached(f"{len(mine)} dots placed", limit=dots, what="dots")
    changed = repo.put_vote(
        session_id,
        Vote(participant_id=participant.id, agenda_item_id=step.item.id, target=target, created_at=clock(), active=on),
    )
    mine = my_votes(repo, session_id, participant.id, step.item.id)
    return mine, [VotesChanged(session_id=session_id, agenda_item_id=step.item.id)] if changed else []


def my_votes(repo: SessionRepository, session_id: str, participant_id: str, item_id: str) -> list[str]:
    """Return the targets one participant put a dot on in an item."""
    return sorted(
        v.target
        for v in repo.list_votes(session_id)
        if v.active and v.participant_id == participant_id and v.agenda_item_id == item_id
    )


def tallies(repo: SessionRepository, session_id: str, item_id: str) -> dict[str, int]:
    """Count the dots per target, derived from the stored vote facts."""
    counts: dict[str, int] = {}
    for vote in repo.list_votes(session_id):
        if vote.active and vote.agenda_item_id == item_id:
            counts[vote.target] = counts.get(vote.target, 0) + 1
    return counts
