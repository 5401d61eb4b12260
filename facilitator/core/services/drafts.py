"""Use cases of a table's shared draft: save with versions, submit by the spokesperson."""

from __future__ import annotations

import hashlib
import time
from dataclasses import replace

from facilitator.core.domain import (
    Contribution,
    ContributionAdded,
    ContributionChanged,
    ContributionKind,
    DomainEvent,
    DraftConflict,
    InvalidInput,
    NoTable,
    NotYourRole,
    Participant,
    StaleVersion,
    TableDraft,
    TableDraftChanged,
    TextEmpty,
    WorkshopSession,
)
from facilitator.core.registry import WorkFormatRegistry
from facilitator.core.services.base import Clock, CurrentStep, require_step, retried
from facilitator.core.services.contributions import kind_for
from facilitator.core.services.roles import claim_spokesperson, role_of, spokesperson_of
from facilitator.core.validation import clean_text
from facilitator.storage import SessionRepository


def _table_kind(
    registry: WorkFormatRegistry, session: WorkshopSession, participant: Participant, kind_id: object
) -> tuple[CurrentStep, ContributionKind]:
    """Return the current step and the table kind the participant may write now; the phone needs a table."""
    step = require_step(registry, session)
    kind = kind_for(step, role_of(session, step.item.id, participant), kind_id)
    if kind.scope != "table":
        raise InvalidInput("kind: not a table kind", field="kind")
    if participant.table is None:
        raise NoTable("pick a table first")
    return step, kind


@retried
def save_table_draft(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    participant: Participant,
    *,
    kind: object,
    slot: object,
    text: object,
    base_version: object,
    clock: Clock = time.time,
) -> tuple[TableDraft, list[DomainEvent]]:
    """Save the table's shared text for one slot; refuse when someone else saved first (versions)."""
    session = repo.get_session(session_id)
    step, found = _table_kind(registry, session, participant, kind)
    if not isinstance(slot, int) or isinstance(slot, bool) or not 1 <= slot <= (found.per_table or 1):
        raise InvalidInput("slot: no such slot", field="slot")
    if not isinstance(base_version, int) or isinstance(base_version, bool):
        raise InvalidInput("base_version: must be a whole number", field="base_version")
    cleaned = "" if isinstance(text, str) and not text.strip() else clean_text(text, found.max_length)
    table = participant.table
    assert table is not None
    current = repo.get_draft(session_id, step.item.id, found.id, table, slot) or TableDraft(
        agenda_item_id=step.item.id, kind=found.id, table=table, slot=slot
    )
    if base_version != current.version:
        if cleaned == current.text:
            return current, []  # the same words arrived twice: nothing to merge
        raise DraftConflict("draft changed meanwhile", text=current.text, version=current.version)
    if cleaned == current.text:
        return current, []
    draft = replace(current, text=cleaned, version=current.version + 1, updated_at=clock())
    repo.save_draft(session_id, draft)
    return draft, [TableDraftChanged(session_id=session_id, draft=draft)]


def table_item_id(agenda_item_id: str, kind: str, table: int, slot: int) -> str:
    """Return the fixed id of a table's submitted slot, so submitting twice never makes two."""
    digest = hashlib.sha256(f"{agenda_item_id}/{kind}/{table}/{slot}".encode()).hexdigest()[:24]
    return f"table-{digest}"


def submit_table_drafts(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    participant: Participant,
    *,
    kind: object,
    clock: Clock = time.time,
) -> tuple[list[Contribution], list[DomainEvent]]:
    """Submit the table's drafts as its contributions; only the spokesperson may (the first to submit becomes it)."""
    session = repo.get_session(session_id)
    step, found = _table_kind(registry, session, participant, kind)
    table = participant.table
    assert table is not None
    events: list[DomainEvent] = []
    if "tafelvoorzitter" in step.workformat.roles:
        holder = spokesperson_of(session, step.item.id, table)
        if holder is None:
            session, claimed = claim_spokesperson(repo, registry, session_id, participant)
            events.extend(claimed)
        elif holder != participant.id:
            raise NotYourRole("only the spokesperson submits for the table")
    drafts = {
        d.slot: d
        for d in repo.list_drafts(session_id)
        if (d.agenda_item_id, d.kind, d.table) == (step.item.id, found.id, table)
    }
    if not any(d.text for d in drafts.values()):
        raise TextEmpty("the table's draft is empty")
    submitted: list[Contribution] = []
    for slot in range(1, (found.per_table or 1) + 1):
        draft = drafts.get(slot)
        item_id = table_item_id(step.item.id, found.id, table, slot)
        existing = repo.get_contribution(session_id, item_id)
        text = draft.text if draft else ""
        if existing is None and text:
            contribution = Contribution(
                id=item_id, participant_id=participant.id, agenda_item_id=step.item.id, phase_id=step.phase.id,
                kind=found.id, text=text, created_at=clock(), table=table, slot=slot,
            )
            stored, _created = repo.add_contribution(session_id, contribution)
            events.append(ContributionAdded(session_id=session_id, contribution=stored))
            submitted.append(stored)
        elif (
            existing is not None
            and (existing.text != text or existing.hidden != (not text))
            # Unedited since its last submit (a double tap, a resend): leave it, and the host's hiding, alone.
            and not (draft is not None and draft.submitted_version == draft.version)
        ):
            changed = replace(existing, text=text or existing.text, hidden=not text, participant_id=participant.id,
                              # A new text was never approved: where the item asks, it waits for approval again.
                              approved=existing.approved and existing.text == (text or existing.text))
            changed = repo.update_contribution(session_id, changed)
            events.append(ContributionChanged(session_id=session_id, contribution=changed))
            if text:
                submitted.append(changed)
        elif existing is not None and text:
            submitted.append(existing)
        if draft is not None and draft.submitted_version != draft.version:
            marked = replace(draft, submitted_version=draft.version)
            try:
                repo.save_draft(session_id, marked)
            except StaleVersion:
                continue  # edited while this submit went on: it stays "changed since submitted", truthfully
            events.append(TableDraftChanged(session_id=session_id, draft=marked))
    return submitted, events


def table_drafts(repo: SessionRepository, session_id: str, table: int | None) -> list[TableDraft]:
    """Return the drafts of one table (all of them for the host when table is None)."""
    return [d for d in repo.list_drafts(session_id) if table is None or d.table == table]
