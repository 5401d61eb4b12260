"""Use cases of a bijeenkomst as a whole: create, copy, join, tables (retention: see retention.py)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from facilitator.core.domain import (
    AgendaChanged,
    AgendaItem,
    Contribution,
    DomainEvent,
    InvalidInput,
    NotJoined,
    Participant,
    ParticipantJoined,
    ParticipantMoved,
    RolesChanged,
    Table,
    TablesChanged,
    WorkshopSession,
)
from facilitator.core.registry import WorkFormatRegistry, default_registry
from facilitator.core.services.base import (
    DEFAULT_RETENTION_DAYS,
    DETAIL_LIMITS,
    DETAILS_MAX,
    MAX_ORDINAL,
    MAX_PRIVACY_THRESHOLD,
    MAX_RETENTION_DAYS,
    MAX_TABLES,
    TABLE_NAME_MAX,
    TITLE_MAX,
    Clock,
    check_language,
    check_table,
    clean_line,
    hash_token,
    new_item_id,
    new_join_code,
    new_token,
    parse_date,
    retried,
    with_room_timer,
)
from facilitator.core.services.perspectives import check_perspective, keep_chosen_perspectives
from facilitator.core.services.rejoin import participant_by_rejoin_token
from facilitator.core.validation import clean_text
from facilitator.storage import SessionRepository


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
    retention_days: int = DEFAULT_RETENTION_DAYS,
    language: str = "nl",
    clock: Clock = time.time,
) -> WorkshopSession:
    """Create a bijeenkomst with an open question on its agenda."""
    settings: dict[str, Any] = {}
    if prompt.strip():
        settings["prompt"] = clean_text(prompt, 1000)
    session = WorkshopSession(
        id=secrets.token_hex(6),
        title=clean_line(title, "title", TITLE_MAX, required=True),
        date=parse_date(date, clock),
        series=clean_line(series, "series", TITLE_MAX),
        motto=clean_line(motto, "motto", TITLE_MAX),
        organisers=clean_line(organisers, "organisers", DETAILS_MAX),
        join_code=new_join_code({s.join_code for s in repo.list_sessions()}),
        created_at=clock(),
        agenda=(AgendaItem(id=new_item_id(), workformat_id=registry.starter().id, settings=settings),),
        retention_days=_retention(retention_days),
        language=check_language(language),
    )
    session = with_room_timer(registry, None, session)
    repo.add_session(session)
    return session


def copy_session(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    source_id: str,
    *,
    title: str = "",
    date: str = "",
    clock: Clock = time.time,
) -> WorkshopSession:
    """Start a new bijeenkomst from an earlier one: agenda, series details, organisers, tables and perspectives; no
    contributions."""
    source = repo.get_session(source_id)
    new_ids = {item.id: new_item_id() for item in source.agenda}
    session = WorkshopSession(
        id=secrets.token_hex(6),
        title=clean_line(title or source.title, "title", TITLE_MAX, required=True),
        date=parse_date(date, clock),
        series=source.series,
        motto=source.motto,
        organisers=source.organisers,
        join_code=new_join_code({s.join_code for s in repo.list_sessions()}),
        created_at=clock(),
        agenda=tuple(replace(item, id=new_ids[item.id], settings=_remap_source(item.settings, new_ids))
                     for item in source.agenda),
        tables=source.tables,
        copied_from=source.id,
        series_id=source.series_id,
        # The next afternoon of a series: "de derde" after "de tweede".
        ordinal=source.ordinal + 1 if source.ordinal else 0,
        retention_days=source.retention_days,
        language=source.language,
        privacy_threshold=source.privacy_threshold,
        perspectives=source.perspectives,
    )
    session = with_room_timer(registry, None, session)
    repo.add_session(session)
    return session


def _remap_source(settings: dict[str, Any], new_ids: Mapping[str, str]) -> dict[str, Any]:
    """Return settings whose agenda-item settings (a vote's source) name the copied item, not the original."""
    names = default_registry().item_settings()
    return {k: new_ids[v] if k in names and isinstance(v, str) and v in new_ids else v for k, v in settings.items()}


@retried
def update_session_details(
    repo: SessionRepository, session_id: str, fields: Mapping[str, Any], *, clock: Clock = time.time
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Change the title, date, series, motto, organisers, retention period or language of a bijeenkomst."""
    session = repo.get_session(session_id)
    changes: dict[str, Any] = {}
    for name, limit in DETAIL_LIMITS:
        if name in fields:
            changes[name] = clean_line(fields[name], name, limit, required=name == "title")
    if "date" in fields:
        changes["date"] = parse_date(str(fields["date"] or ""), clock)
    if "theme" in fields:
        changes["theme"] = clean_line(fields["theme"], "theme", TITLE_MAX)
    if "ordinal" in fields:
        changes["ordinal"] = _whole_number(fields["ordinal"], "ordinal", 0, MAX_ORDINAL)
    if "retention_days" in fields:
        changes["retention_days"] = _retention(fields["retention_days"])
    if "language" in fields:
        changes["language"] = check_language(fields["language"])
    if "privacy_threshold" in fields:
        changes["privacy_threshold"] = _whole_number(
            fields["privacy_threshold"], "privacy_threshold", 1, MAX_PRIVACY_THRESHOLD
        )
    session = repo.save_session(replace(session, **changes))
    return session, [AgendaChanged(session=session)]


def join(
    repo: SessionRepository,
    session_id: str,
    *,
    table: int | None = None,
    perspective: str | None = None,
    clock: Clock = time.time,
) -> tuple[Participant, str, list[DomainEvent]]:
    """Register an anonymous phone; return it, its secret token, and the events."""
    session = repo.get_session(session_id)
    check_table(session, table)
    perspective = check_perspective(session, perspective)
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
    events: list[DomainEvent] = [ParticipantJoined(session_id=session_id, joined_count=count)]
    # The facilitator may have removed it while this phone joined; only then (rare) are the participants read,
    # so a room of 300 joining does not list them all on every join.
    if perspective is not None and repo.get_session(session_id).perspective(perspective) is None:
        restored = keep_chosen_perspectives(repo, session_id, session.perspectives)
        if restored is not None:  # it stays offered
            events.append(AgendaChanged(session=restored))
    return participant, token, events


def authenticate_participant(
    repo: SessionRepository, session_id: str, token: str | None, *, rejoin_secret: bytes | None = None
) -> Participant:
    """Return the participant a token (or, given the secret, a derived rejoin token) belongs to; raise NotJoined."""
    if not token:
        raise NotJoined("no token")
    participant = repo.participant_by_token_hash(session_id, hash_token(token))
    if participant is None and rejoin_secret is not None:
        participant = participant_by_rejoin_token(repo, rejoin_secret, session_id, token)
    if participant is None:
        raise NotJoined("unknown token")
    return participant


@retried
def choose_table(
    repo: SessionRepository, session_id: str, participant: Participant, table: int | None
) -> tuple[Participant, list[DomainEvent]]:
    """Seat a participant at another table; table-bound roles they held stay with the old table."""
    session = repo.get_session(session_id)
    check_table(session, table)
    current = repo.participant_by_token_hash(session_id, participant.token_hash) or participant
    if current.table == table:
        return current, []
    events: list[DomainEvent] = []
    kept = tuple(r for r in session.roles if not (r.participant_id == current.id and r.table is not None))
    if kept != session.roles:
        # The bijeenkomst first (the write that can meet a newer version), then the seat: running again repeats nothing.
        session = repo.save_session(replace(session, roles=kept))
        events.append(RolesChanged(session=session, participant_ids=(current.id,)))
    moved = repo.move_participant(session_id, current.id, table)
    events.insert(0, ParticipantMoved(session_id=session_id, participant_id=moved.id, table=table))
    return moved, events


@retried
def set_tables(
    repo: SessionRepository, session_id: str, names: Sequence[object]
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Set the room's tables, numbered 1..n, each with an optional name."""
    if not isinstance(names, list | tuple) or len(names) > MAX_TABLES:
        raise InvalidInput(f"tables: a list of at most {MAX_TABLES} names", field="tables")
    tables = tuple(
        Table(number=i, name=clean_line(name, "tables", TABLE_NAME_MAX)) for i, name in enumerate(names, start=1)
    )
    session = repo.save_session(replace(repo.get_session(session_id), tables=tables))
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


def _whole_number(value: object, name: str, lowest: int, highest: int) -> int:
    """Return a whole number typed in a form or sent as JSON, within bounds."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, str) and not value.strip():
        value = lowest
    if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= highest:
        raise InvalidInput(f"{name}: a whole number from {lowest} to {highest}", field=name, lowest=lowest,
                           highest=highest)
    return value


def _retention(value: object) -> int:
    return _whole_number(value, "retention_days", 1, MAX_RETENTION_DAYS)


def participant_contributions(repo: SessionRepository, session_id: str, participant_id: str) -> list[Contribution]:
    """Return everything one participant sent, oldest first; hidden ones too (its author sees them, marked)."""
    return [c for c in repo.list_contributions(session_id) if c.participant_id == participant_id]
