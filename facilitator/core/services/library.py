"""Use cases of reuse: the library, export and import files, and bijeenkomsten made from them."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from facilitator.core.domain import (
    DEFAULT_PERSPECTIVES,
    AgendaChanged,
    AgendaItem,
    DomainEvent,
    InvalidFile,
    InvalidInput,
    InvalidWorkFormat,
    LibraryEntry,
    LimitReached,
    Table,
    UnstorableText,
    WorkshopSession,
)
from facilitator.core.domain.text import MAX_DEPTH, check_storable
from facilitator.core.domain.workformat import MAX_LABEL
from facilitator.core.registry import WorkFormatRegistry, default_registry
from facilitator.core.services.agenda import add_agenda_item
from facilitator.core.services.base import (
    AGENDA_FILE,
    DETAIL_LIMITS,
    FILE_VERSION,
    MAX_AGENDA_ITEMS,
    MAX_TABLES,
    TABLE_NAME_MAX,
    TITLE_MAX,
    WORKFORMAT_FILE,
    Clock,
    agenda_item_or_current,
    checked_settings,
    clean_line,
    new_item_id,
    new_join_code,
    parse_date,
    retried,
    with_room_timer,
)
from facilitator.core.services.perspectives import clean_perspectives
from facilitator.storage import LibraryRepository, SessionRepository


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
    item = agenda_item_or_current(repo.get_session(session_id), item_id)
    entry = LibraryEntry(
        id=secrets.token_hex(6),
        name=clean_line(name or item.settings.get("title") or item.workformat_id, "name", TITLE_MAX, required=True),
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
        "perspectives": [asdict(p) for p in session.perspectives],
        "items": [
            {"workformat": i.workformat_id, "settings": _portable_source(i.settings, session.agenda)}
            for i in session.agenda
        ],
    }


def _portable_source(settings: Mapping[str, Any], agenda: Sequence[AgendaItem]) -> dict[str, Any]:
    """Return settings whose agenda-item settings (a vote's source) are written as "@<position>", which survives
    a file."""
    data = dict(settings)
    for name in default_registry().item_settings():
        linked = data.get(name)
        position = next((i for i, item in enumerate(agenda) if item.id == linked), None) if linked else None
        if position is not None:
            data[name] = f"@{position}"
    return data


def _imported_items(imported: ImportedFile) -> list[AgendaItem]:
    """Return the imported werkvormen as new agenda items, with "@<position>" sources pointing at the new ids."""
    items = [
        AgendaItem(id=new_item_id(), workformat_id=wf_id, settings={**({"title": name} if name else {}), **settings})
        for name, wf_id, settings in imported.items
    ]
    names = default_registry().item_settings()
    for index, item in enumerate(items):
        for name in names:
            source = item.settings.get(name)
            if isinstance(source, str) and source.startswith("@"):
                position = int(source[1:]) if source[1:].isdigit() else -1
                linked = items[position].id if 0 <= position < len(items) else ""
                items[index] = item = replace(item, settings={**item.settings, name: linked})
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
    except RecursionError:
        raise InvalidFile(f"nested more than {MAX_DEPTH} deep") from None
    try:
        check_storable(data, "file")
    except (InvalidInput, UnstorableText) as exc:  # half an emoji, or nested too deep: refused before anything
        raise InvalidFile(exc.detail) from None
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
            settings = checked_settings(registry.get(workformat_id), entry.get("settings", {}))
            name = clean_line(entry.get("name", ""), "name", TITLE_MAX)  # `where` is added below
        except (InvalidWorkFormat, InvalidInput) as exc:
            raise InvalidFile(f"{where}{exc.detail}") from None
        items.append((name, workformat_id, settings))
    details: dict[str, Any] = {}
    if kind == AGENDA_FILE:
        try:
            for name, limit in DETAIL_LIMITS:
                details[name] = clean_line(data.get(name, ""), name, limit)
            tables = data.get("tables", [])
            if not isinstance(tables, list) or len(tables) > MAX_TABLES:
                raise InvalidInput(f"tables: a list of at most {MAX_TABLES} names", field="tables")
            details["tables"] = [clean_line(t, "tables", TABLE_NAME_MAX) for t in tables]
            if "perspectives" in data:
                details["perspectives"] = clean_perspectives(data["perspectives"])
        except InvalidInput as exc:
            raise InvalidFile(exc.detail) from None
    return ImportedFile(format=kind, items=tuple(items), details=details)


@retried
def import_into_session(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str, raw: bytes | str
) -> tuple[list[AgendaItem], list[DomainEvent]]:
    """Append the werkvormen of an export file to a bijeenkomst's agenda."""
    imported = parse_import(registry, raw)
    session = repo.get_session(session_id)
    if len(session.agenda) + len(imported.items) > MAX_AGENDA_ITEMS:
        raise LimitReached("agenda full", limit=MAX_AGENDA_ITEMS, what="agenda")
    added = _imported_items(imported)
    session = repo.save_session(with_room_timer(registry, session, replace(session, agenda=(*session.agenda, *added))))
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
        title=clean_line(title or fallback, "title", TITLE_MAX, required=True),
        date=parse_date(date, clock),
        series=str(details.get("series", "")),
        motto=str(details.get("motto", "")),
        organisers=str(details.get("organisers", "")),
        join_code=new_join_code({s.join_code for s in repo.list_sessions()}),
        created_at=clock(),
        agenda=tuple(_imported_items(imported)),
        tables=tuple(Table(number=i, name=name) for i, name in enumerate(details.get("tables", []), start=1)),
        perspectives=details.get("perspectives", DEFAULT_PERSPECTIVES),
    )
    session = with_room_timer(registry, None, session)
    repo.add_session(session)
    return session
