"""Use cases: each takes the repository (and registry) and returns results plus domain events."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .domain import (
    AgendaChanged,
    AgendaItem,
    Contribution,
    ContributionAdded,
    ContributionChanged,
    ContributionKind,
    ContributionNotFound,
    ContributionVisibilityChanged,
    DomainEvent,
    DraftConflict,
    DuplicateId,
    FacilitatorError,
    InvalidFile,
    InvalidInput,
    InvalidWorkFormat,
    LibraryEntry,
    LimitReached,
    NoTable,
    NotFound,
    NotJoined,
    NotYourRole,
    Participant,
    ParticipantJoined,
    ParticipantMoved,
    Perspective,
    Phase,
    PhaseChanged,
    PhaseNotOpen,
    PhaseRevealed,
    RoleAssignment,
    RoleCodeInvalid,
    RolesChanged,
    SessionNotFound,
    Table,
    TableDraft,
    TableDraftChanged,
    TablesChanged,
    TextEmpty,
    Timer,
    TimerChanged,
    Vote,
    VotesChanged,
    WorkFormat,
    WorkshopSession,
    apply_settings,
    validate_settings,
)
from .domain.workformat import MAX_LABEL
from .registry import WorkFormatRegistry
from .storage import LibraryRepository, SessionRepository
from .validation import clean_text

#: Letters and digits that cannot be mistaken for each other when read off a projector.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
MAX_TABLE = 99
MAX_TABLES = 50
TABLE_NAME_MAX = 40
TITLE_MAX = 200
DETAILS_MAX = 500
FUNCTION_MAX = 80
#: Letters for one-time role codes: short enough to read out, unambiguous on a projector.
ROLE_CODE_LENGTH = 4
#: The timer a phase without a timebox gets when the facilitator starts it anyway.
DEFAULT_TIMER_SECONDS = 300
MAX_AGENDA_ITEMS = 40
#: What export files say they are, so an import can tell them apart from any other JSON.
WORKFORMAT_FILE = "rode-draad/werkvorm"
AGENDA_FILE = "rode-draad/agenda"
FILE_VERSION = 1
_DETAIL_LIMITS = (("title", TITLE_MAX), ("series", TITLE_MAX), ("motto", TITLE_MAX), ("organisers", DETAILS_MAX))
Clock = Callable[[], float]


def new_token() -> str:
    """Return a fresh secret token (192 random bits)."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """Return the stored form of a token; the token itself is never stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tokens_match(token: str, token_hash: str) -> bool:
    """Compare a presented token with a stored hash in constant time."""
    return hmac.compare_digest(hash_token(token), token_hash)


def normalise_join_code(code: str) -> str:
    """Return a join code as typed by a person, in canonical form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


@dataclass(frozen=True)
class CurrentStep:
    """Where the room is: the agenda item, its werkvorm as configured, and the phase."""

    item: AgendaItem
    item_index: int
    workformat: WorkFormat
    phase: Phase
    phase_index: int

    def prompt(self, role: str = "deelnemer") -> str:
        """Return the prompt a role sees."""
        return self.phase.prompt_for(role)


def configured_workformat(registry: WorkFormatRegistry, item: AgendaItem) -> WorkFormat:
    """Return an agenda item's werkvorm with the facilitator's settings applied."""
    return apply_settings(registry.get(item.workformat_id), item.settings)


def current_step(registry: WorkFormatRegistry, session: WorkshopSession) -> CurrentStep | None:
    """Return what the room is working on now, if the agenda has anything."""
    item = session.current_agenda_item()
    if item is None:
        return None
    workformat = configured_workformat(registry, item)
    index = max(0, min(session.current_phase, len(workformat.phases) - 1))
    return CurrentStep(
        item=item, item_index=session.current_item, workformat=workformat, phase=workformat.phases[index],
        phase_index=index,
    )


def _require_step(registry: WorkFormatRegistry, session: WorkshopSession) -> CurrentStep:
    step = current_step(registry, session)
    if step is None:
        raise PhaseNotOpen("the agenda is empty")
    return step


def _clean_line(value: object, name: str, max_length: int, *, required: bool = False) -> str:
    """Return a one-line text (title, name, function) with its spaces tidied; refuse a wrong one."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{name}: must be a text", field=name)
    line = " ".join(value.split())
    if required and not line:
        raise InvalidInput(f"{name}: required", field=name)
    if len(line) > max_length:
        raise InvalidInput(f"{name}: at most {max_length} characters", field=name)
    return line


def _parse_date(date: str, clock: Clock) -> str:
    try:
        day = dt.date.fromisoformat(date) if date else dt.date.fromtimestamp(clock())
    except ValueError:
        raise InvalidInput("date: must be yyyy-mm-dd", field="date") from None
    return day.isoformat()


def _new_item_id() -> str:
    return secrets.token_hex(4)


def create_session(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    *,
    title: str,
    date: str = "",
    series: str = "",
    motto: str = "",
    organisers: str = "",
    prompt: str = "",
    clock: Clock = time.time,
) -> WorkshopSession:
    """Create a bijeenkomst with an open question on its agenda."""
    settings: dict[str, Any] = {}
    if prompt.strip():
        settings["prompt"] = clean_text(prompt, 1000)
    session = WorkshopSession(
        id=secrets.token_hex(6),
        title=_clean_line(title, "title", TITLE_MAX, required=True),
        date=_parse_date(date, clock),
        series=_clean_line(series, "series", TITLE_MAX),
        motto=_clean_line(motto, "motto", TITLE_MAX),
        organisers=_clean_line(organisers, "organisers", DETAILS_MAX),
        join_code=_new_join_code({s.join_code for s in repo.list_sessions()}),
        created_at=clock(),
        agenda=(AgendaItem(id=_new_item_id(), workformat_id="open_vraag", settings=settings),),
    )
    repo.add_session(session)
    return session


def copy_session(
    repo: SessionRepository,
    source_id: str,
    *,
    title: str = "",
    date: str = "",
    clock: Clock = time.time,
) -> WorkshopSession:
    """Start a new bijeenkomst from an earlier one: agenda, series details, organisers and tables; no contributions."""
    source = repo.get_session(source_id)
    new_ids = {item.id: _new_item_id() for item in source.agenda}
    session = WorkshopSession(
        id=secrets.token_hex(6),
        title=_clean_line(title or source.title, "title", TITLE_MAX, required=True),
        date=_parse_date(date, clock),
        series=source.series,
        motto=source.motto,
        organisers=source.organisers,
        join_code=_new_join_code({s.join_code for s in repo.list_sessions()}),
        created_at=clock(),
        agenda=tuple(replace(item, id=new_ids[item.id], settings=_remap_source(item.settings, new_ids))
                     for item in source.agenda),
        tables=source.tables,
        copied_from=source.id,
    )
    repo.add_session(session)
    return session


def _remap_source(settings: dict[str, Any], new_ids: Mapping[str, str]) -> dict[str, Any]:
    """Return settings whose `source` (a vote's agenda item) names the copied item, not the original."""
    source = settings.get("source")
    if isinstance(source, str) and source in new_ids:
        return {**settings, "source": new_ids[source]}
    return settings


def update_session_details(
    repo: SessionRepository, session_id: str, fields: Mapping[str, Any], *, clock: Clock = time.time
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Change the title, date, series, motto or organisers of a bijeenkomst."""
    session = repo.get_session(session_id)
    changes: dict[str, Any] = {}
    for name, limit in _DETAIL_LIMITS:
        if name in fields:
            changes[name] = _clean_line(fields[name], name, limit, required=name == "title")
    if "date" in fields:
        changes["date"] = _parse_date(str(fields["date"] or ""), clock)
    session = replace(session, **changes)
    repo.save_session(session)
    return session, [AgendaChanged(session=session)]


def _new_join_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if code not in taken:
            return code


def _check_table(session: WorkshopSession, table: int | None) -> None:
    if table is None:
        return
    if session.tables:
        if session.table(table) is None:
            raise InvalidInput("table: no such table", field="table")
    elif not 1 <= table <= MAX_TABLE:
        raise InvalidInput("table: must be 1 to 99", field="table")


def join(
    repo: SessionRepository,
    session_id: str,
    *,
    table: int | None = None,
    perspective: Perspective | None = None,
    clock: Clock = time.time,
) -> tuple[Participant, str, list[DomainEvent]]:
    """Register an anonymous phone; return it, its secret token, and the events."""
    session = repo.get_session(session_id)
    _check_table(session, table)
    token = new_token()
    participant = Participant(
        id=secrets.token_hex(8),
        token_hash=hash_token(token),
        joined_at=clock(),
        table=table,
        perspective=perspective,
        number=repo.count_participants(session_id) + 1,
    )
    count = repo.add_participant(session_id, participant)
    return participant, token, [ParticipantJoined(session_id=session_id, joined_count=count)]


def authenticate_participant(repo: SessionRepository, session_id: str, token: str | None) -> Participant:
    """Return the participant a token belongs to; raise NotJoined."""
    if not token:
        raise NotJoined("no token")
    participant = repo.participant_by_token_hash(session_id, hash_token(token))
    if participant is None:
        raise NotJoined("unknown token")
    return participant


def choose_table(
    repo: SessionRepository, session_id: str, participant: Participant, table: int | None
) -> tuple[Participant, list[DomainEvent]]:
    """Seat a participant at another table; table-bound roles they held stay with the old table."""
    session = repo.get_session(session_id)
    _check_table(session, table)
    if participant.table == table:
        return participant, []
    moved = replace(participant, table=table)
    repo.update_participant(session_id, moved)
    events: list[DomainEvent] = [ParticipantMoved(session_id=session_id, participant_id=moved.id, table=table)]
    kept = tuple(r for r in session.roles if not (r.participant_id == moved.id and r.table is not None))
    if kept != session.roles:
        session = replace(session, roles=kept)
        repo.save_session(session)
        events.append(RolesChanged(session=session, participant_ids=(moved.id,)))
    return moved, events


def set_tables(
    repo: SessionRepository, session_id: str, names: Sequence[object]
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Set the room's tables, numbered 1..n, each with an optional name."""
    if not isinstance(names, list | tuple) or len(names) > MAX_TABLES:
        raise InvalidInput(f"tables: a list of at most {MAX_TABLES} names", field="tables")
    tables = tuple(
        Table(number=i, name=_clean_line(name, "tables", TABLE_NAME_MAX)) for i, name in enumerate(names, start=1)
    )
    session = replace(repo.get_session(session_id), tables=tables)
    repo.save_session(session)
    return session, [TablesChanged(session=session)]


def table_counts(
    repo: SessionRepository, session: WorkshopSession, connected: set[str] | None = None
) -> list[dict[str, Any]]:
    """Return per table how many phones sit there and how many are connected: counts only, never who."""
    joined: dict[int | None, int] = {}
    online: dict[int | None, int] = {}
    for participant_id, table in repo.participant_tables(session.id).items():
        joined[table] = joined.get(table, 0) + 1
        if connected is not None and participant_id in connected:
            online[table] = online.get(table, 0) + 1
    numbers = [t.number for t in session.tables] + sorted(n for n in joined if n is not None and not session.table(n))
    rows = [
        {
            "number": n,
            "name": (session.table(n) or Table(n)).name,
            "joined": joined.get(n, 0),
            "connected": online.get(n, 0),
        }
        for n in numbers
    ]
    if joined.get(None):
        rows.append({"number": None, "name": "", "joined": joined[None], "connected": online.get(None, 0)})
    return rows


# -- agenda and phases -----------------------------------------------------------------------


def go_to(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    item_index: int,
    phase_index: int,
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Move the room to an agenda item and phase; the timer is set to that phase's timebox, not running."""
    session = repo.get_session(session_id)
    if not 0 <= item_index < len(session.agenda):
        raise InvalidInput("item: no such agenda item", field="item")
    workformat = configured_workformat(registry, session.agenda[item_index])
    if not 0 <= phase_index < len(workformat.phases):
        raise InvalidInput("phase: no such phase", field="phase")
    timebox = workformat.phases[phase_index].timebox_seconds
    session = replace(
        session,
        current_item=item_index,
        current_phase=phase_index,
        timer=Timer(duration=float(timebox)) if timebox else None,
    )
    repo.save_session(session)
    return session, [PhaseChanged(session=session)]


def step_phase(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str, direction: int
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Go to the next (+1) or previous (-1) phase, crossing into the next or previous agenda item."""
    session = repo.get_session(session_id)
    step = _require_step(registry, session)
    item, phase = step.item_index, step.phase_index + direction
    if phase >= len(step.workformat.phases):
        if item + 1 >= len(session.agenda):
            return session, []  # already at the very end
        item, phase = item + 1, 0
    elif phase < 0:
        if item == 0:
            return session, []
        item = item - 1
        phase = len(configured_workformat(registry, session.agenda[item]).phases) - 1
    return go_to(repo, registry, session_id, item, phase)


def control_timer(
    repo: SessionRepository, session_id: str, action: str, *, seconds: int = 60, clock: Clock = time.time
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Start, pause, add time to or reset the phase timer."""
    session = repo.get_session(session_id)
    now = clock()
    timer = session.timer or Timer(duration=float(DEFAULT_TIMER_SECONDS))
    if action == "start":
        if timer.running:
            return session, []
        timer = replace(timer, started_at=now)
    elif action == "pause":
        if not timer.running:
            return session, []
        timer = replace(timer, started_at=None, elapsed=timer.elapsed + now - (timer.started_at or now))
    elif action == "add":
        if not isinstance(seconds, int) or isinstance(seconds, bool) or not -3600 <= seconds <= 3600:
            raise InvalidInput("seconds: -3600 to 3600", field="seconds")
        timer = replace(timer, duration=max(0.0, timer.duration + seconds))
    elif action == "reset":
        timer = Timer(duration=timer.duration)
    else:
        raise InvalidInput("action: start, pause, add or reset", field="action")
    session = replace(session, timer=timer)
    repo.save_session(session)
    return session, [TimerChanged(session=session)]


def reveal_phase(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Reveal the answers of the current phase to the room."""
    session = repo.get_session(session_id)
    step = _require_step(registry, session)
    key = f"{step.item.id}:{step.phase.id}"
    if key in session.revealed:
        return session, []
    session = replace(session, revealed=(*session.revealed, key))
    repo.save_session(session)
    return session, [PhaseRevealed(session=session)]


def is_concealed(session: WorkshopSession, workformat: WorkFormat, contribution: Contribution) -> bool:
    """Tell whether a contribution waits for the facilitator's reveal before the room may see it."""
    phase = workformat.phase_by_id(contribution.phase_id)
    return bool(
        phase is not None
        and phase.hidden_until_reveal
        and not session.is_revealed(contribution.agenda_item_id, contribution.phase_id)
    )


def add_agenda_item(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    workformat_id: str,
    settings: Mapping[str, Any] | None = None,
) -> tuple[AgendaItem, list[DomainEvent]]:
    """Put a werkvorm at the end of the agenda, with the facilitator's settings."""
    session = repo.get_session(session_id)
    if len(session.agenda) >= MAX_AGENDA_ITEMS:
        raise LimitReached("agenda full", limit=MAX_AGENDA_ITEMS, what="agenda")
    workformat = registry.get(workformat_id)
    item = AgendaItem(id=_new_item_id(), workformat_id=workformat.id, settings=_checked_settings(workformat, settings))
    session = replace(session, agenda=(*session.agenda, item))
    repo.save_session(session)
    return item, [AgendaChanged(session=session)]


def _checked_settings(workformat: WorkFormat, settings: Mapping[str, Any] | None) -> dict[str, Any]:
    data = validate_settings(workformat, dict(settings or {}))
    apply_settings(workformat, data)  # the configured werkvorm must still hold together
    return data


def update_agenda_item(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    item_id: str,
    settings: Mapping[str, Any],
) -> tuple[AgendaItem, list[DomainEvent]]:
    """Replace an agenda item's settings (prompts, case text, timers, buckets, hiding)."""
    session = repo.get_session(session_id)
    item = session.agenda_item(item_id)
    if item is None:
        raise NotFound(f"agenda item {item_id}")
    changed = replace(item, settings=_checked_settings(registry.get(item.workformat_id), settings))
    session = replace(session, agenda=tuple(changed if i.id == item_id else i for i in session.agenda))
    if session.current_agenda_item() == changed:
        step = _require_step(registry, session)
        session = replace(session, current_phase=step.phase_index)
    repo.save_session(session)
    return changed, [AgendaChanged(session=session)]


def remove_agenda_item(
    repo: SessionRepository, session_id: str, item_id: str
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Take a werkvorm off the agenda; what was sent during it stays stored."""
    session = repo.get_session(session_id)
    index = next((i for i, item in enumerate(session.agenda) if item.id == item_id), None)
    if index is None:
        raise NotFound(f"agenda item {item_id}")
    agenda = session.agenda[:index] + session.agenda[index + 1 :]
    current, phase = session.current_item, session.current_phase
    if index < current:
        current -= 1
    elif index == current:
        current, phase = min(current, max(0, len(agenda) - 1)), 0
    session = replace(session, agenda=agenda, current_item=current, current_phase=phase)
    repo.save_session(session)
    return session, [AgendaChanged(session=session)]


def move_agenda_item(
    repo: SessionRepository, session_id: str, item_id: str, offset: int
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Move an agenda item up (-1) or down (+1); the room stays on the item it was on."""
    session = repo.get_session(session_id)
    ids = [item.id for item in session.agenda]
    if item_id not in ids:
        raise NotFound(f"agenda item {item_id}")
    index = ids.index(item_id)
    target = max(0, min(len(ids) - 1, index + offset))
    agenda = list(session.agenda)
    agenda.insert(target, agenda.pop(index))
    current_id = session.agenda[session.current_item].id if session.current_agenda_item() else None
    current = next((i for i, item in enumerate(agenda) if item.id == current_id), 0)
    session = replace(session, agenda=tuple(agenda), current_item=current)
    repo.save_session(session)
    return session, [AgendaChanged(session=session)]


# -- roles -------------------------------------------------------------------------------------


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
    per_table = role == "tafelvoorzitter" or (role == "inbrenger" and item.settings.get("inbrenger_mode") == "table")
    if not per_table:
        return None
    if table is None:
        raise NoTable("a per-table role needs a table")
    _check_table(session, table)
    return table


def _item(session: WorkshopSession, item_id: str | None) -> AgendaItem:
    item = session.agenda_item(item_id) if item_id else session.current_agenda_item()
    if item is None:
        raise NotFound(f"agenda item {item_id}")
    return item


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
    item = _item(session, item_id)
    participant = next((p for p in repo.list_participants(session_id) if p.number == number), None)
    if participant is None:
        raise NotFound(f"no phone with number {number}")
    table = _role_table(registry, session, item, role, participant.table)
    session, touched = _with_assignment(
        session, RoleAssignment(agenda_item_id=item.id, role=role, table=table, participant_id=participant.id)
    )
    repo.save_session(session)
    return session, [RolesChanged(session=session, participant_ids=touched)]


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
    item = _item(session, item_id)
    table = _role_table(registry, session, item, role, table)
    taken = {r.claim_code for r in session.roles}
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(ROLE_CODE_LENGTH))
        if code not in taken:
            break
    session, touched = _with_assignment(
        session, RoleAssignment(agenda_item_id=item.id, role=role, table=table, claim_code=code)
    )
    repo.save_session(session)
    return code, [RolesChanged(session=session, participant_ids=touched)]


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
    events: list[DomainEvent] = []
    if assignment.table is not None and participant.table != assignment.table:
        participant = replace(participant, table=assignment.table)
        repo.update_participant(session_id, participant)
        events.append(ParticipantMoved(session_id=session_id, participant_id=participant.id, table=participant.table))
    session, touched = _with_assignment(session, replace(assignment, participant_id=participant.id, claim_code=None))
    repo.save_session(session)
    events.append(RolesChanged(session=session, participant_ids=touched))
    return session, participant, events


def claim_spokesperson(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str, participant: Participant
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Become the spokesperson of one's own table for the current werkvorm, if nobody is yet."""
    session = repo.get_session(session_id)
    step = _require_step(registry, session)
    if "tafelvoorzitter" not in step.workformat.roles:
        raise NotYourRole("this werkvorm has no spokesperson")
    if participant.table is None:
        raise NoTable("a spokesperson needs a table")
    holder = _spokesperson(session, step.item.id, participant.table)
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
    repo.save_session(session)
    return session, [RolesChanged(session=session, participant_ids=touched)]


def _spokesperson(session: WorkshopSession, item_id: str, table: int) -> str | None:
    return next(
        (
            r.participant_id
            for r in session.roles
            if (r.agenda_item_id, r.role, r.table) == (item_id, "tafelvoorzitter", table) and r.participant_id
        ),
        None,
    )


def clear_role(
    repo: SessionRepository, session_id: str, *, role: str, table: int | None = None, item_id: str | None = None
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Take a role (or its unused code) away again."""
    session = repo.get_session(session_id)
    item = _item(session, item_id)
    gone = [r for r in session.roles if (r.agenda_item_id, r.role, r.table) == (item.id, role, table)]
    if not gone:
        return session, []
    session = replace(session, roles=tuple(r for r in session.roles if r not in gone))
    repo.save_session(session)
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


# -- contributions ---------------------------------------------------------------------------


def _kind_for(step: CurrentStep, role: str, kind_id: object) -> ContributionKind:
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
    clock: Clock = time.time,
) -> tuple[Contribution, list[DomainEvent]]:
    """Store a participant's text under its client id; a resend returns the stored one unchanged."""
    existing = repo.get_contribution(session_id, client_id)
    if existing is not None:
        return _resent(repo, session_id, participant, existing)
    session = repo.get_session(session_id)
    step = _require_step(registry, session)
    found = _kind_for(step, role_of(session, step.item.id, participant), kind)
    if found.scope == "table":
        raise InvalidInput("kind: a table writes this together as a draft", field="kind")
    cleaned = clean_text(text, found.max_length)
    if shared is not None and not isinstance(shared, bool):
        raise InvalidInput("shared: must be true or false", field="shared")
    own_function = ""
    if found.asks_function:
        own_function = _clean_line(function, "function", FUNCTION_MAX)
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
    # Wait until the first copy is durable before acknowledging the resend.
    repo.add_contribution(session_id, stored)
    return stored, []


def _require_contribution(repo: SessionRepository, session_id: str, contribution_id: str) -> Contribution:
    contribution = repo.get_contribution(session_id, contribution_id)
    if contribution is None:
        raise ContributionNotFound(contribution_id)
    return contribution


def set_contribution_hidden(
    repo: SessionRepository, session_id: str, contribution_id: str, hidden: bool
) -> tuple[Contribution, list[DomainEvent]]:
    """Hide a contribution from every screen, or show it again."""
    contribution = _require_contribution(repo, session_id, contribution_id)
    if contribution.hidden == hidden:
        return contribution, []
    changed = contribution.with_hidden(hidden)
    repo.update_contribution(session_id, changed)
    return changed, [ContributionVisibilityChanged(session_id=session_id, contribution=changed)]


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
    changed = replace(contribution, shared=shared)
    repo.update_contribution(session_id, changed)
    event: DomainEvent = (
        ContributionAdded(session_id=session_id, contribution=changed)
        if shared
        else ContributionChanged(session_id=session_id, contribution=changed)
    )
    return changed, [event]


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
    changed = replace(contribution, bucket=bucket)
    repo.update_contribution(session_id, changed)
    return changed, [ContributionChanged(session_id=session_id, contribution=changed)]


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
    changed = replace(contribution, starred=starred)
    repo.update_contribution(session_id, changed)
    return changed, [ContributionChanged(session_id=session_id, contribution=changed)]


def purge_expired(repo: SessionRepository, *, retention_days: int, clock: Clock = time.time) -> list[str]:
    """Delete every bijeenkomst whose date lies more than `retention_days` in the past; return their ids."""
    today = dt.date.fromtimestamp(clock())
    expired = [
        s.id for s in repo.list_sessions() if dt.date.fromisoformat(s.date) + dt.timedelta(days=retention_days) < today
    ]
    for session_id in expired:
        repo.delete_session(session_id)
    return expired


def participant_contributions(repo: SessionRepository, session_id: str, participant_id: str) -> list[Contribution]:
    """Return what one participant sent that is still visible, oldest first."""
    return [
        c for c in repo.list_contributions(session_id) if c.participant_id == participant_id and not c.hidden
    ]


# -- table drafts ------------------------------------------------------------------------------


def _table_kind(registry: WorkFormatRegistry, session: WorkshopSession, participant: Participant, kind_id: object):  # type: ignore[no-untyped-def]
    step = _require_step(registry, session)
    kind = _kind_for(step, role_of(session, step.item.id, participant), kind_id)
    if kind.scope != "table":
        raise InvalidInput("kind: not a table kind", field="kind")
    if participant.table is None:
        raise NoTable("pick a table first")
    return step, kind


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
        holder = _spokesperson(session, step.item.id, table)
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
            changed = replace(existing, text=text or existing.text, hidden=not text, participant_id=participant.id)
            repo.update_contribution(session_id, changed)
            events.append(ContributionChanged(session_id=session_id, contribution=changed))
            if text:
                submitted.append(changed)
        elif existing is not None and text:
            submitted.append(existing)
        if draft is not None and draft.submitted_version != draft.version:
            marked = replace(draft, submitted_version=draft.version)
            repo.save_draft(session_id, marked)
            events.append(TableDraftChanged(session_id=session_id, draft=marked))
    return submitted, events


def table_drafts(repo: SessionRepository, session_id: str, table: int | None) -> list[TableDraft]:
    """Return the drafts of one table (all of them for the host when table is None)."""
    return [d for d in repo.list_drafts(session_id) if table is None or d.table == table]


# -- votes -----------------------------------------------------------------------------------


def vote_targets(
    repo: SessionRepository, registry: WorkFormatRegistry, session: WorkshopSession, item: AgendaItem
) -> list[dict[str, str]]:
    """Return what can get dots in a voting item: the facilitator's own options, else an earlier item's bijdragen."""
    options = [o.strip() for o in item.settings.get("options", []) if isinstance(o, str) and o.strip()]
    if options:
        return [{"id": f"option-{i}", "text": text} for i, text in enumerate(options, start=1)]
    source_id = item.settings.get("source") or ""
    if not source_id:
        index = next((i for i, a in enumerate(session.agenda) if a.id == item.id), 0)
        source_id = session.agenda[index - 1].id if index > 0 else ""
    source = session.agenda_item(source_id) if source_id else None
    if source is None:
        return []
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
    default = registry.get(item.workformat_id).settings.get("dots", 3)
    value = item.settings.get("dots", default)
    return max(1, min(int(value), 20)) if isinstance(value, int) else 3


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
    step = _require_step(registry, session)
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


# -- library, export and import ----------------------------------------------------------------


def save_to_library(
    repo: SessionRepository,
    library: LibraryRepository,
    session_id: str,
    item_id: str,
    *,
    name: str = "",
    clock: Clock = time.time,
) -> LibraryEntry:
    """Save an agenda item's configured werkvorm (prompts, buckets, case text, timers) for reuse."""
    item = _item(repo.get_session(session_id), item_id)
    entry = LibraryEntry(
        id=secrets.token_hex(6),
        name=_clean_line(name or item.settings.get("title") or item.workformat_id, "name", TITLE_MAX, required=True),
        workformat_id=item.workformat_id,
        settings=dict(item.settings),
        created_at=clock(),
    )
    library.save_entry(entry)
    return entry


def add_from_library(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    library: LibraryRepository,
    session_id: str,
    entry_id: str,
) -> tuple[AgendaItem, list[DomainEvent]]:
    """Put a saved werkvorm on a bijeenkomst's agenda."""
    entry = library.get_entry(entry_id)
    # A library name may be longer than an agenda item's title; the saved title, if any, wins.
    settings = {"title": entry.name[:MAX_LABEL].strip(), **entry.settings}
    return add_agenda_item(repo, registry, session_id, entry.workformat_id, settings)


def export_item(item: AgendaItem | LibraryEntry, name: str = "") -> dict[str, Any]:
    """Return one configured werkvorm as an export file's content."""
    return {
        "format": WORKFORMAT_FILE,
        "version": FILE_VERSION,
        "name": name or (item.name if isinstance(item, LibraryEntry) else str(item.settings.get("title", ""))),
        "workformat": item.workformat_id,
        "settings": dict(item.settings),
    }


def export_agenda(session: WorkshopSession) -> dict[str, Any]:
    """Return a bijeenkomst's agenda and series details as an export file's content; no contributions."""
    return {
        "format": AGENDA_FILE,
        "version": FILE_VERSION,
        "title": session.title,
        "series": session.series,
        "motto": session.motto,
        "organisers": session.organisers,
        "tables": [t.name for t in session.tables],
        "items": [
            {"workformat": i.workformat_id, "settings": _portable_source(i.settings, session.agenda)}
            for i in session.agenda
        ],
    }


def _portable_source(settings: Mapping[str, Any], agenda: Sequence[AgendaItem]) -> dict[str, Any]:
    """Return settings whose `source` (a vote's agenda item) is written as "@<position>", which survives a file."""
    data = dict(settings)
    source = data.get("source")
    position = next((i for i, item in enumerate(agenda) if item.id == source), None) if source else None
    if position is not None:
        data["source"] = f"@{position}"
    return data


def _imported_items(imported: ImportedFile) -> list[AgendaItem]:
    """Return the imported werkvormen as new agenda items, with "@<position>" sources pointing at the new ids."""
    items = [
        AgendaItem(id=_new_item_id(), workformat_id=wf_id, settings={**({"title": name} if name else {}), **settings})
        for name, wf_id, settings in imported.items
    ]
    for index, item in enumerate(items):
        source = item.settings.get("source")
        if isinstance(source, str) and source.startswith("@"):
            position = int(source[1:]) if source[1:].isdigit() else -1
            linked = items[position].id if 0 <= position < len(items) else ""
            items[index] = replace(item, settings={**item.settings, "source": linked})
    return items


@dataclass(frozen=True)
class ImportedFile:
    """What an import file holds, checked: the werkvormen with their settings, and agenda details if any."""

    format: str
    items: tuple[tuple[str, str, dict[str, Any]], ...]  # (name, werkvorm id, settings)
    details: Mapping[str, Any]


def parse_import(registry: WorkFormatRegistry, raw: bytes | str) -> ImportedFile:
    """Read an export file; raise InvalidFile naming exactly what is wrong."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidFile(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidFile("the file must hold a JSON object")
    kind = data.get("format")
    if kind not in (WORKFORMAT_FILE, AGENDA_FILE):
        raise InvalidFile(f"format: must be {WORKFORMAT_FILE!r} or {AGENDA_FILE!r}")
    if data.get("version") != FILE_VERSION:
        raise InvalidFile(f"version: must be {FILE_VERSION}")
    entries = [data] if kind == WORKFORMAT_FILE else data.get("items")
    if not isinstance(entries, list) or not entries or len(entries) > MAX_AGENDA_ITEMS:
        raise InvalidFile(f"items: must list 1 to {MAX_AGENDA_ITEMS} werkvormen")
    items = []
    for index, entry in enumerate(entries):
        where = "" if kind == WORKFORMAT_FILE else f"items[{index}]."
        if not isinstance(entry, dict):
            raise InvalidFile(f"{where.rstrip('.')}: must be an object")
        workformat_id = entry.get("workformat")
        if not isinstance(workformat_id, str) or workformat_id not in registry:
            raise InvalidFile(f"{where}workformat: unknown werkvorm {workformat_id!r}")
        try:
            settings = _checked_settings(registry.get(workformat_id), entry.get("settings", {}))
            name = _clean_line(entry.get("name", ""), "name", TITLE_MAX)  # `where` is added below
        except (InvalidWorkFormat, InvalidInput) as exc:
            raise InvalidFile(f"{where}{exc.detail}") from None
        items.append((name, workformat_id, settings))
    details: dict[str, Any] = {}
    if kind == AGENDA_FILE:
        try:
            for name, limit in _DETAIL_LIMITS:
                details[name] = _clean_line(data.get(name, ""), name, limit)
            tables = data.get("tables", [])
            if not isinstance(tables, list) or len(tables) > MAX_TABLES:
                raise InvalidInput(f"tables: a list of at most {MAX_TABLES} names", field="tables")
            details["tables"] = [_clean_line(t, "tables", TABLE_NAME_MAX) for t in tables]
        except InvalidInput as exc:
            raise InvalidFile(exc.detail) from None
    return ImportedFile(format=kind, items=tuple(items), details=details)


def import_into_session(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str, raw: bytes | str
) -> tuple[list[AgendaItem], list[DomainEvent]]:
    """Append the werkvormen of an export file to a bijeenkomst's agenda."""
    imported = parse_import(registry, raw)
    session = repo.get_session(session_id)
    if len(session.agenda) + len(imported.items) > MAX_AGENDA_ITEMS:
        raise LimitReached("agenda full", limit=MAX_AGENDA_ITEMS, what="agenda")
    added = _imported_items(imported)
    session = replace(session, agenda=(*session.agenda, *added))
    repo.save_session(session)
    return added, [AgendaChanged(session=session)]


def import_into_library(
    registry: WorkFormatRegistry, library: LibraryRepository, raw: bytes | str, *, clock: Clock = time.time
) -> list[LibraryEntry]:
    """Save the werkvormen of an export file in the library."""
    entries = []
    for name, wf_id, settings in parse_import(registry, raw).items:
        entry = LibraryEntry(
            id=secrets.token_hex(6),
            name=name or str(settings.get("title") or registry.get(wf_id).name),
            workformat_id=wf_id,
            settings=settings,
            created_at=clock(),
        )
        library.save_entry(entry)
        entries.append(entry)
    return entries


def create_session_from_import(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    raw: bytes | str,
    *,
    title: str = "",
    date: str = "",
    clock: Clock = time.time,
) -> WorkshopSession:
    """Start a new bijeenkomst from an export file: its werkvormen, and an agenda file's details and tables."""
    imported = parse_import(registry, raw)
    details = imported.details
    fallback = details.get("title") or (imported.items[0][0] if imported.format == WORKFORMAT_FILE else "")
    session = WorkshopSession(
        id=secrets.token_hex(6),
        title=_clean_line(title or fallback, "title", TITLE_MAX, required=True),
        date=_parse_date(date, clock),
        series=str(details.get("series", "")),
        motto=str(details.get("motto", "")),
        organisers=str(details.get("organisers", "")),
        join_code=_new_join_code({s.join_code for s in repo.list_sessions()}),
        created_at=clock(),
        agenda=tuple(_imported_items(imported)),
        tables=tuple(Table(number=i, name=name) for i, name in enumerate(details.get("tables", []), start=1)),
    )
    repo.add_session(session)
    return session


__all__ = [
    "CurrentStep", "FacilitatorError", "SessionNotFound", "add_agenda_item", "add_from_library", "assign_role",
    "authenticate_participant", "cast_vote", "choose_table", "claim_role", "claim_spokesperson", "clear_role",
    "configured_workformat", "control_timer", "copy_session", "create_role_code", "create_session", "current_step",
    "export_agenda", "export_item", "go_to", "hash_token", "import_into_library", "import_into_session", "join",
    "move_agenda_item", "move_contribution", "my_votes", "new_token", "normalise_join_code", "parse_import",
    "participant_contributions", "purge_expired", "remove_agenda_item", "reveal_phase", "role_of", "roles_of",
    "save_table_draft", "save_to_library", "set_contribution_hidden", "set_contribution_shared", "set_tables",
    "star_contribution", "step_phase", "submit_contribution", "submit_table_drafts", "table_counts", "tallies",
    "tokens_match", "update_agenda_item", "update_session_details", "vote_targets",
]
