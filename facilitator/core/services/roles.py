"""Use cases of roles: the inbrenger and the tables' spokespersons, by number or one-time code."""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from facilitator.core.domain import (
    AgendaItem,
    Contribution,
    DomainEvent,
    InvalidInput,
    NoTable,
    NotFound,
    NotYourRole,
    Participant,
    ParticipantMoved,
    RoleAssignment,
    RoleCodeInvalid,
    RolesChanged,
    WorkshopSession,
)
from facilitator.core.registry import WorkFormatRegistry
from facilitator.core.services.base import (
    JOIN_CODE_ALPHABET,
    ROLE_CODE_LENGTH,
    agenda_item_or_current,
    check_table,
    configured_workformat,
    normalise_join_code,
    require_step,
    retried,
)
from facilitator.storage import SessionRepository


def role_of(session: WorkshopSession, agenda_item_id: str, participant: Participant) -> str:
    """Return a participant's role in an agenda item: inbrenger, tafelvoorzitter or deelnemer."""
    held = {r.role for r in session.roles if r.agenda_item_id == agenda_item_id and r.participant_id == participant.id}
    for role in ("inbrenger", "tafelvoorzitter"):
        if role in held:
            return role
    return "deelnemer"


def roles_of(session: WorkshopSession, participant: Participant) -> dict[str, str]:
    """Return a participant's role per agenda item, for the items where it is not deelnemer."""
    return {
        item.id: role for item in session.agenda if (role := role_of(session, item.id, participant)) != "deelnemer"
    }


def _role_table(
    registry: WorkFormatRegistry, session: WorkshopSession, item: AgendaItem, role: str, table: int | None
) -> int | None:
    workformat = configured_workformat(registry, item)
    if role not in workformat.roles or role == "deelnemer":
        raise InvalidInput(f"role: {role!r} is not a role of this werkvorm", field="role")
    spec = workformat.spec_for("per_table_role")
    chosen = spec is not None and spec.role == role and item.settings.get(spec.name) == "table"
    per_table = role == "tafelvoorzitter" or chosen
    if not per_table:
        return None
    if table is None:
        raise NoTable("a per-table role needs a table")
    check_table(session, table)
    return table


def _with_assignment(
    session: WorkshopSession, assignment: RoleAssignment
) -> tuple[WorkshopSession, tuple[str, ...]]:
    """Replace whoever held the same role for the same item and table; return the session and touched phones."""
    same = (assignment.agenda_item_id, assignment.role, assignment.table)
    others = [r for r in session.roles if (r.agenda_item_id, r.role, r.table) != same]
    if assignment.participant_id:  # one role per phone per item
        others = [
            r for r in others
            if not (r.agenda_item_id == assignment.agenda_item_id and r.participant_id == assignment.participant_id)
        ]
    touched = {r.participant_id for r in session.roles if r not in others and r.participant_id is not None}
    if assignment.participant_id:
        touched.add(assignment.participant_id)
    return replace(session, roles=(*others, assignment)), tuple(sorted(touched))


@retried
def assign_role(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    *,
    role: str,
    number: int,
    item_id: str | None = None,
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Give a role to the phone showing this number (the host view never sees names)."""
    session = repo.get_session(session_id)
    item = agenda_item_or_current(session, item_id)
    participant = next((p for p in repo.list_participants(session_id) if p.number == number), None)
    if participant is None:
        raise NotFound(f"no phone with number {number}")
    table = _role_table(registry, session, item, role, participant.table)
    session, touched = _with_assignment(
        session, RoleAssignment(agenda_item_id=item.id, role=role, table=table, participant_id=participant.id)
    )
    session = repo.save_session(session)
    return session, [RolesChanged(session=session, participant_ids=touched)]


@retried
def create_role_code(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    *,
    role: str,
    table: int | None = None,
    item_id: str | None = None,
) -> tuple[str, list[DomainEvent]]:
    """Make a one-time code for a role; whoever types it on their phone takes the role."""
    session = repo.get_session(session_id)
    item = agenda_item_or_current(session, item_id)
    table = _role_table(registry, session, item, role, table)
    taken = {r.claim_code for r in session.roles}
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(ROLE_CODE_LENGTH))
        if code not in taken:
            break
    session, touched = _with_assignment(
        session, RoleAssignment(agenda_item_id=item.id, role=role, table=table, claim_code=code)
    )
    session = repo.save_session(session)
    return code, [RolesChanged(session=session, participant_ids=touched)]


@retried
def claim_role(
    repo: SessionRepository, session_id: str, participant: Participant, code: object
) -> tuple[WorkshopSession, Participant, list[DomainEvent]]:
    """Take the role a one-time code stands for; a per-table role also seats the phone at that table."""
    if not isinstance(code, str):
        raise InvalidInput("code: must be a text", field="code")
    wanted = normalise_join_code(code)
    session = repo.get_session(session_id)
    assignment = next((r for r in session.roles if r.claim_code and r.claim_code == wanted), None)
    if assignment is None:
        raise RoleCodeInvalid("unknown or used code")
    participant = repo.participant_by_token_hash(session_id, participant.token_hash) or participant
    # The code is used up first (the write that can meet a newer version), then the phone is seated:
    # running again after a conflict repeats nothing, and a code is never taken twice.
    session, touched = _with_assignment(session, replace(assignment, participant_id=participant.id, claim_code=None))
    session = repo.save_session(session)
    events: list[DomainEvent] = []
    if assignment.table is not None and participant.table != assignment.table:
        participant = repo.move_participant(session_id, participant.id, assignment.table)
        events.append(ParticipantMoved(session_id=session_id, participant_id=participant.id, table=participant.table))
    events.append(RolesChanged(session=session, participant_ids=touched))
    return session, participant, events


@retried
def claim_spokesperson(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str, participant: Participant
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Become the spokesperson of one's own table for the current werkvorm, if nobody is yet."""
    session = repo.get_session(session_id)
    participant = repo.participant_by_token_hash(session_id, participant.token_hash) or participant
    step = require_step(registry, session)
    if "tafelvoorzitter" not in step.workformat.roles:
        raise NotYourRole("this werkvorm has no spokesperson")
    if participant.table is None:
        raise NoTable("a spokesperson needs a table")
    holder = spokesperson_of(session, step.item.id, participant.table)
    if holder == participant.id:
        return session, []
    if holder is not None:
        raise NotYourRole("the table already has a spokesperson")
    if role_of(session, step.item.id, participant) == "inbrenger":
        raise NotYourRole("the inbrenger listens")
    session, touched = _with_assignment(
        session,
        RoleAssignment(
            agenda_item_id=step.item.id, role="tafelvoorzitter", table=participant.table, participant_id=participant.id
        ),
    )
    session = repo.save_session(session)
    return session, [RolesChanged(session=session, participant_ids=touched)]


def spokesperson_of(session: WorkshopSession, item_id: str, table: int) -> str | None:
    """Return the participant id of a table's spokesperson in an agenda item, if any."""
    return next(
        (
            r.participant_id
            for r in session.roles
            if (r.agenda_item_id, r.role, r.table) == (item_id, "tafelvoorzitter", table) and r.participant_id
        ),
        None,
    )


@retried
def clear_role(
    repo: SessionRepository, session_id: str, *, role: str, table: int | None = None, item_id: str | None = None
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Take a role (or its unused code) away again."""
    session = repo.get_session(session_id)
    item = agenda_item_or_current(session, item_id)
    gone = [r for r in session.roles if (r.agenda_item_id, r.role, r.table) == (item.id, role, table)]
    if not gone:
        return session, []
    session = repo.save_session(replace(session, roles=tuple(r for r in session.roles if r not in gone)))
    touched = tuple(r.participant_id for r in gone if r.participant_id)
    return session, [RolesChanged(session=session, participant_ids=touched)]


def role_overview(repo: SessionRepository, session: WorkshopSession) -> list[dict[str, Any]]:
    """Return the roles for the host: role, item, table, the phone's number or the open code; never a name."""
    numbers = {p.id: p.number for p in repo.list_participants(session.id)} if session.roles else {}
    return [
        {
            "agenda_item": r.agenda_item_id,
            "role": r.role,
            "table": r.table,
            "number": numbers.get(r.participant_id) if r.participant_id else None,
            "code": r.claim_code,
        }
        for r in session.roles
    ]


def listens_to(session: WorkshopSession, contribution: Contribution) -> list[str]:
    """Return the inbrengers who listen to this contribution (their own table, or the whole room)."""
    return [
        r.participant_id
        for r in session.roles
        if r.role == "inbrenger"
        and r.agenda_item_id == contribution.agenda_item_id
        and r.participant_id
        and (r.table is None or r.table == contribution.table)
    ]
