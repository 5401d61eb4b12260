"""Use cases of what participants send: submit, hide, share, move and star."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Literal

from facilitator.core.domain import (
    AgendaItem,
    Contribution,
    ContributionAdded,
    ContributionChanged,
    ContributionKind,
    ContributionNotFound,
    ContributionVisibilityChanged,
    DomainEvent,
    DuplicateId,
    InvalidInput,
    LimitReached,
    NotFound,
    NotYourRole,
    Participant,
    PhaseNotOpen,
    TextEmpty,
    WorkFormat,
    WorkshopSession,
)
from facilitator.core.registry import WorkFormatRegistry
from facilitator.core.services.base import (
    ACTION_LINE_MAX,
    APPROVE_FIRST,
    FUNCTION_MAX,
    Clock,
    CurrentStep,
    clean_line,
    configured_workformat,
    require_step,
    retried,
)
from facilitator.core.services.roles import listens_to, role_of
from facilitator.core.validation import clean_text
from facilitator.storage import SessionRepository


def kind_for(step: CurrentStep, role: str, kind_id: object) -> ContributionKind:
    """Return the kind a role may submit now; raise PhaseNotOpen or NotYourRole."""
    if kind_id is not None and not isinstance(kind_id, str):
        raise InvalidInput("kind: must be a text", field="kind")
    allowed = step.workformat.kinds_for(step.phase, role)
    if kind_id is None:
        if not allowed:
            if any(step.workformat.kind(k) for k in step.phase.accepts):
                raise NotYourRole(f"role {role} cannot submit now")
            raise PhaseNotOpen("nothing to answer now")
        return allowed[0]
    kind = next((k for k in allowed if k.id == kind_id), None)
    if kind is None:
        if kind_id in step.phase.accepts:
            raise NotYourRole(f"role {role} cannot submit {kind_id}")
        raise PhaseNotOpen(f"{kind_id} is not open now")
    return kind


def _checked_tags(workformat: WorkFormat, kind: ContributionKind, tags: object) -> tuple[str, ...]:
    if tags is None:
        tags = []
    if not isinstance(tags, list | tuple) or not all(isinstance(t, str) for t in tags):
        raise InvalidInput("tags: must be a list of texts", field="tags")
    chosen: list[str] = []
    for group_id in kind.tag_groups:
        group = workformat.tag_group(group_id)
        assert group is not None  # validated when the werkvorm was loaded
        picked = [o.id for o in group.options if o.id in tags]
        if len(picked) != 1:
            raise InvalidInput(f"tags: choose one of {[o.id for o in group.options]}", field=f"tags.{group_id}")
        chosen.extend(picked)
    if len(chosen) != len(set(tags)):
        raise InvalidInput("tags: unknown tag", field="tags")
    return tuple(chosen)


def _checked_bucket(workformat: WorkFormat, kind: ContributionKind, bucket: object) -> str | None:
    if not kind.needs_bucket:
        if bucket is not None:
            raise InvalidInput("bucket: this kind has no buckets", field="bucket")
        return None
    if not isinstance(bucket, str) or bucket not in {b.id for b in workformat.buckets}:
        raise InvalidInput("bucket: choose one of the buckets", field="bucket")
    return bucket


def _checked_ranking(workformat: WorkFormat, kind: ContributionKind, ranking: object) -> tuple[str, ...]:
    """Return a ranking answer's order: every option of the ranked group exactly once."""
    if kind.answer != "ranking":
        if ranking not in (None, [], ()):
            raise InvalidInput("ranking: this kind is not a ranking", field="ranking")
        return ()
    group = workformat.tag_group(kind.ranks)
    assert group is not None  # validated when the werkvorm was built
    if not isinstance(ranking, list | tuple) or sorted(map(str, ranking)) != sorted(o.id for o in group.options):
        raise InvalidInput("ranking: put every option in order, each once", field="ranking")
    return tuple(str(r) for r in ranking)


def _checked_action(kind: ContributionKind, owner: object, due: object) -> tuple[str, str]:
    """Return an afspraak's who and when; who is required, when may stay open."""
    if kind.answer != "action":
        if owner not in (None, "") or due not in (None, ""):
            raise InvalidInput("owner: this kind is not an afspraak", field="owner")
        return "", ""
    who = clean_line(owner, "owner", ACTION_LINE_MAX)
    if not who:
        raise TextEmpty("owner: required", field="owner")
    return who, clean_line(due, "due", ACTION_LINE_MAX)


def submit_contribution(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    participant: Participant,
    *,
    client_id: str,
    text: object,
    kind: object = None,
    bucket: object = None,
    tags: object = None,
    function: object = None,
    shared: object = None,
    agenda_item: object = None,
    ranking: object = None,
    owner: object = None,
    due: object = None,
    clock: Clock = time.time,
) -> tuple[Contribution, list[DomainEvent]]:
    """Store a participant's text under its client id; a resend returns the stored one unchanged."""
    existing = repo.get_contribution(session_id, client_id)
    if existing is not None:
        return _resent(repo, session_id, participant, existing)
    session = repo.get_session(session_id)
    step = require_step(registry, session)
    if agenda_item is not None and not isinstance(agenda_item, str):
        raise InvalidInput("agenda_item: must be an agenda item id", field="agenda_item")
    if agenda_item is not None and agenda_item != step.item.id:
        # Written for a question the host has since left (it waited in an outbox): filing it under the
        # current one would misplace it; refused, the phone gives the text back.
        raise PhaseNotOpen(f"written for agenda item {agenda_item}, now at {step.item.id}", reason="moved_on")
    found = kind_for(step, role_of(session, step.item.id, participant), kind)
    if found.scope == "table":
        raise InvalidInput("kind: a table writes this together as a draft", field="kind")
    optional_and_empty = found.text_optional and (text is None or (isinstance(text, str) and not text.strip()))
    cleaned = "" if optional_and_empty else clean_text(text, found.max_length)
    if shared is not None and not isinstance(shared, bool):
        raise InvalidInput("shared: must be true or false", field="shared")
    who, when = _checked_action(found, owner, due)
    own_function = ""
    if found.asks_function:
        own_function = clean_line(function, "function", FUNCTION_MAX)
        if not own_function:
            raise TextEmpty("function: required", field="function")
    if found.per_participant is not None:
        sent = repo.count_contributions(session_id, participant.id, step.item.id, found.id)
        if sent >= found.per_participant:
            raise LimitReached(f"{sent} sent", limit=found.per_participant)
    if found.per_table is not None and participant.table is not None:
        at_table = sum(
            1
            for c in repo.list_contributions(session_id)
            if (c.agenda_item_id, c.kind, c.table) == (step.item.id, found.id, participant.table)
        )
        if at_table >= found.per_table:
            raise LimitReached(f"{at_table} sent by the table", limit=found.per_table, what="table")
    contribution = Contribution(
        id=client_id,
        participant_id=participant.id,
        agenda_item_id=step.item.id,
        phase_id=step.phase.id,
        kind=found.id,
        text=cleaned,
        created_at=clock(),
        table=participant.table,
        perspective=participant.perspective,
        bucket=_checked_bucket(step.workformat, found, bucket),
        tags=_checked_tags(step.workformat, found, tags),
        ranking=_checked_ranking(step.workformat, found, ranking),
        owner=who,
        due=when,
        function=own_function,
        shared=found.visibility == "shared" or shared is True,
    )
    stored, created = repo.add_contribution(session_id, contribution)
    if not created:  # the same id arrived twice at once; the first one won
        return _resent(repo, session_id, participant, stored)
    return stored, [ContributionAdded(session_id=session_id, contribution=stored)]


def _resent(
    repo: SessionRepository, session_id: str, participant: Participant, stored: Contribution
) -> tuple[Contribution, list[DomainEvent]]:
    if stored.participant_id != participant.id:
        raise DuplicateId("client id used by another participant")
    # Wait until the first copy is durable before acknowledging the resend. If storing the first
    # copy failed, nobody heard of it yet: this resend announces it.
    stored, first_ack = repo.add_contribution(session_id, stored)
    return stored, [ContributionAdded(session_id=session_id, contribution=stored)] if first_ack else []


def _require_contribution(repo: SessionRepository, session_id: str, contribution_id: str) -> Contribution:
    contribution = repo.get_contribution(session_id, contribution_id)
    if contribution is None:
        raise ContributionNotFound(contribution_id)
    return contribution


@retried
def set_contribution_hidden(
    repo: SessionRepository, session_id: str, contribution_id: str, hidden: bool
) -> tuple[Contribution, list[DomainEvent]]:
    """Hide a contribution from every screen, or show it again."""
    contribution = _require_contribution(repo, session_id, contribution_id)
    if contribution.hidden == hidden:
        return contribution, []
    changed = repo.update_contribution(session_id, contribution.with_hidden(hidden))
    return changed, [ContributionVisibilityChanged(session_id=session_id, contribution=changed)]


@retried
def set_contribution_shared(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    participant: Participant,
    contribution_id: str,
    shared: bool,
) -> tuple[Contribution, list[DomainEvent]]:
    """Let the author share a private answer with the room, or take it back."""
    contribution = _require_contribution(repo, session_id, contribution_id)
    if contribution.participant_id != participant.id:
        raise ContributionNotFound(contribution_id)  # someone else's: as if it did not exist
    item = repo.get_session(session_id).agenda_item(contribution.agenda_item_id)
    kind = configured_workformat(registry, item).kind(contribution.kind) if item else None
    if kind is None or kind.visibility != "private":
        raise InvalidInput("id: only a private answer can be shared or taken back", field="id")
    if contribution.shared == shared:
        return contribution, []
    changed = repo.update_contribution(session_id, replace(contribution, shared=shared))
    event: DomainEvent = (
        ContributionAdded(session_id=session_id, contribution=changed)
        if shared
        else ContributionChanged(session_id=session_id, contribution=changed)
    )
    return changed, [event]


@retried
def move_contribution(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str, contribution_id: str, bucket: object
) -> tuple[Contribution, list[DomainEvent]]:
    """Move a contribution into another bucket (the facilitator re-sorting the net)."""
    contribution = _require_contribution(repo, session_id, contribution_id)
    item = repo.get_session(session_id).agenda_item(contribution.agenda_item_id)
    buckets = {b.id for b in configured_workformat(registry, item).buckets} if item else set()
    if not isinstance(bucket, str) or bucket not in buckets:
        raise InvalidInput("bucket: choose one of the buckets", field="bucket")
    if contribution.bucket == bucket:
        return contribution, []
    changed = repo.update_contribution(session_id, replace(contribution, bucket=bucket))
    return changed, [ContributionChanged(session_id=session_id, contribution=changed)]


@retried
def star_contribution(
    repo: SessionRepository, session_id: str, participant: Participant, contribution_id: str, starred: bool
) -> tuple[Contribution, list[DomainEvent]]:
    """Let the inbrenger mark what resonates in the roddel they listen to."""
    contribution = _require_contribution(repo, session_id, contribution_id)
    session = repo.get_session(session_id)
    if participant.id not in listens_to(session, contribution) or contribution.hidden:
        raise NotYourRole("only the inbrenger who listens to it can star this")
    if contribution.starred == starred:
        return contribution, []
    changed = repo.update_contribution(session_id, replace(contribution, starred=starred))
    return changed, [ContributionChanged(session_id=session_id, contribution=changed)]


# -- moderation before projection ----------------------------------------------------------------------


def approval_required(item: AgendaItem | None) -> bool:
    """Tell whether an agenda item's contributions reach the beamer only once the facilitator approved them."""
    return item is not None and item.settings.get(APPROVE_FIRST) is True


def awaiting_approval(item: AgendaItem | None, contribution: Contribution) -> bool:
    """Tell whether a contribution waits for the facilitator's approval before the beamer may show it."""
    return approval_required(item) and not contribution.approved and not contribution.hidden


def contribution_status(item: AgendaItem | None, contribution: Contribution) -> Literal["sent", "hidden", "pending"]:
    """Return what its author's phone says of a contribution: "hidden", "pending" (until approved) or "sent"."""
    if contribution.hidden:
        return "hidden"
    return "pending" if awaiting_approval(item, contribution) else "sent"


@retried
def approve_contribution(
    repo: SessionRepository, session_id: str, contribution_id: str, approved: bool = True
) -> tuple[Contribution, list[DomainEvent]]:
    """Let a contribution through to the beamer (or hold it back again)."""
    contribution = repo.get_contribution(session_id, contribution_id)
    if contribution is None:
        raise ContributionNotFound(contribution_id)
    if contribution.approved == approved:
        return contribution, []
    changed = repo.update_contribution(session_id, replace(contribution, approved=approved))
    return changed, [ContributionChanged(session_id=session_id, contribution=changed)]


def pending_contributions(
    repo: SessionRepository, session: WorkshopSession, item_id: str
) -> list[Contribution]:
    """Return an agenda item's contributions that wait for approval, oldest first (none when it asks for none)."""
    item = session.agenda_item(item_id)
    if not approval_required(item):
        return []
    return [
        c for c in repo.list_contributions(session.id)
        if c.agenda_item_id == item_id and c.shared and awaiting_approval(item, c)
    ]


def approve_all(
    repo: SessionRepository, session_id: str, item_id: object = None
) -> tuple[list[Contribution], list[DomainEvent]]:
    """Approve every contribution of an agenda item (the current one by default) that waits for approval."""
    session = repo.get_session(session_id)
    if item_id is not None and not isinstance(item_id, str):
        raise InvalidInput("item: must be an agenda item id", field="item")
    item = session.agenda_item(item_id) if item_id is not None else session.current_agenda_item()
    if item is None:
        raise NotFound(f"agenda item {item_id}")
    approved: list[Contribution] = []
    events: list[DomainEvent] = []
    # One use case per contribution, each retried on its own: a phone or a second regie changing one of them
    # meanwhile costs that one a second read, and no approval already stored is announced twice or lost.
    for contribution in pending_contributions(repo, session, item.id):
        changed, more = approve_contribution(repo, session_id, contribution.id, True)
        approved.append(changed)
        events.extend(more)
    return approved, events
