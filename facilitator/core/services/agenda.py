"""Use cases of the agenda: phases, the timer, the reveal, and editing the agenda."""

from __future__ import annotations

import copy
import hashlib
import json
import math
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from facilitator.core.domain import (
    AgendaChanged,
    AgendaItem,
    Contribution,
    DomainEvent,
    EditConflict,
    InvalidInput,
    InvalidWorkFormat,
    LimitReached,
    NotFound,
    PhaseChanged,
    PhaseRevealed,
    Timer,
    TimerChanged,
    WorkFormat,
    WorkshopSession,
)
from facilitator.core.domain.composition import MAX_MINUTES, broken_structure, check_composition
from facilitator.core.domain.events import ApprovalChanged
from facilitator.core.domain.workformat import COMMON_SETTINGS
from facilitator.core.registry import WorkFormatRegistry
from facilitator.core.services.base import (
    APPROVE_FIRST,
    DEFAULT_TIMER_SECONDS,
    MAX_AGENDA_ITEMS,
    Clock,
    checked_settings,
    configured_workformat,
    new_item_id,
    prepared_timer,
    require_step,
    retried,
    with_room_timer,
)
from facilitator.core.validation import clean_text
from facilitator.storage import SessionRepository


@retried
def go_to(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    item_index: int,
    phase_index: int,
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Move the room to an agenda item and phase; the timer is set to that phase's timebox, not running."""
    return _go_to(repo, registry, repo.get_session(session_id), item_index, phase_index)


def _go_to(
    repo: SessionRepository, registry: WorkFormatRegistry, session: WorkshopSession, item_index: int, phase_index: int
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Move the bijeenkomst as read to an agenda item and phase, and store that."""
    if not 0 <= item_index < len(session.agenda):
        raise InvalidInput("item: no such agenda item", field="item")
    workformat = configured_workformat(registry, session.agenda[item_index])
    if not 0 <= phase_index < len(workformat.phases):
        raise InvalidInput("phase: no such phase", field="phase")
    session = replace(session, current_item=item_index, current_phase=phase_index)
    session = repo.save_session(replace(session, timer=prepared_timer(registry, session)))
    return session, [PhaseChanged(session=session)]


@retried
def step_phase(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str, direction: int
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Go to the next (+1) or previous (-1) phase, crossing into the next or previous agenda item."""
    session = repo.get_session(session_id)
    step = require_step(registry, session)
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
    return _go_to(repo, registry, session, item, phase)


@retried
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
    session = repo.save_session(replace(session, timer=timer))
    return session, [TimerChanged(session=session)]


@retried
def reveal_phase(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Reveal the answers of the current phase to the room."""
    session = repo.get_session(session_id)
    step = require_step(registry, session)
    key = f"{step.item.id}:{step.phase.id}"
    if key in session.revealed:
        return session, []
    session = repo.save_session(replace(session, revealed=(*session.revealed, key)))
    return session, [PhaseRevealed(session=session)]


def is_concealed(session: WorkshopSession, workformat: WorkFormat, contribution: Contribution) -> bool:
    """Tell whether a contribution waits for the facilitator's reveal before the room may see it."""
    phase = workformat.phase_by_id(contribution.phase_id)
    return bool(
        phase is not None
        and phase.hidden_until_reveal
        and not session.is_revealed(contribution.agenda_item_id, contribution.phase_id)
    )


@retried
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
    item = AgendaItem(id=new_item_id(), workformat_id=workformat.id, settings=checked_settings(workformat, settings))
    # The first item on an empty agenda becomes the room's: its timer with it.
    session = repo.save_session(with_room_timer(registry, session, replace(session, agenda=(*session.agenda, item))))
    return item, [AgendaChanged(session=session)]


@retried
def update_agenda_item(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    item_id: str,
    settings: Mapping[str, Any],
    *,
    keep: tuple[str, ...] = (),
) -> tuple[AgendaItem, list[DomainEvent]]:
    """Replace an agenda item's settings (prompts, case text, timers, buckets, hiding); the settings named in
    `keep` are not the caller's to change and stay as stored (a form that does not show them)."""
    before = repo.get_session(session_id)
    item = before.agenda_item(item_id)
    if item is None:
        raise NotFound(f"agenda item {item_id}")
    # Kept from this read, inside the retry: a save that raced this one is never undone by a stale copy of it.
    settings = {name: value for name, value in settings.items() if name not in keep} | {
        name: item.settings[name] for name in keep if name in item.settings}
    return _save_item(repo, registry, before, replace(item, settings=settings))


def _save_item(
    repo: SessionRepository, registry: WorkFormatRegistry, before: WorkshopSession, wanted: AgendaItem
) -> tuple[AgendaItem, list[DomainEvent]]:
    """Store an agenda item with new settings (checked here) in the bijeenkomst as read; return its events."""
    item = before.agenda_item(wanted.id)
    assert item is not None
    item_id = item.id
    changed = replace(item, settings=checked_settings(registry.get(item.workformat_id), wanted.settings))
    session = replace(before, agenda=tuple(changed if i.id == item_id else i for i in before.agenda))
    if session.current_agenda_item() == changed:
        step = require_step(registry, session)
        session = replace(session, current_phase=step.phase_index)
    # A changed timer of the room's phase shows at once, unless the facilitator already set the timer there.
    session = repo.save_session(with_room_timer(registry, before, session))
    events: list[DomainEvent] = [AgendaChanged(session=session)]
    if (changed.settings.get(APPROVE_FIRST) is True) != (item.settings.get(APPROVE_FIRST) is True):
        events.append(ApprovalChanged(session_id=before.id, agenda_item_id=item_id))
    return changed, events


#: An item's settings that lay an overlay on its phases or buckets; a composition brings its own, so saving one
#: drops them (else an old prompt of step 2 would stick to whatever step 2 becomes).
_PHASE_OVERLAYS = ("prompt", "prompts", "timers", "hidden", "buckets")


def composition_mark(settings: Mapping[str, Any]) -> str:
    """Return a short mark of an item's stored composition ("" for none): what a composer form started from."""
    composition = settings.get("composition")
    if not composition:
        return ""
    text = json.dumps(composition, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@retried
def compose_agenda_item(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    item_id: str,
    composition: Mapping[str, Any],
    *,
    based_on: str | None = None,
) -> tuple[AgendaItem, list[DomainEvent]]:
    """Give an item of a werkvorm composed from parts its composition; its other settings (title, approving
    first, ...) stay. With `based_on` (the composition_mark the form started from), a composition changed since
    is not overwritten: EditConflict, and nothing is saved."""
    before = repo.get_session(session_id)
    item = before.agenda_item(item_id)
    if item is None:
        raise NotFound(f"agenda item {item_id}")
    if not registry.can(item.workformat_id, "composed"):
        raise InvalidInput("composition: this werkvorm is not composed from parts", field="composition")
    if based_on is not None and based_on != composition_mark(item.settings):
        raise EditConflict("composition: changed since the form was opened", field="composition")
    _keep_what_answers_mean(repo, before, item, composition)
    settings = {name: value for name, value in item.settings.items() if name not in _PHASE_OVERLAYS}
    settings["composition"] = dict(composition)
    return _save_item(repo, registry, before, replace(item, settings=settings))


def _keep_what_answers_mean(
    repo: SessionRepository, session: WorkshopSession, item: AgendaItem, composition: Mapping[str, Any]
) -> None:
    """Refuse a new structure for an item with answers, or for the item phones are answering right now.

    Only the room's current item takes answers, and moving the room there is a write to the same session
    document this save is versioned on: so an item that is not current while this save runs cannot receive
    an answer meanwhile, and for the current one a kept structure keeps every answer in flight valid.
    """
    old = item.settings.get("composition")
    if not old or not isinstance(composition, Mapping):
        return
    live = session.current_agenda_item() == item
    answered = any(c.agenda_item_id == item.id for c in repo.list_contributions(session.id))
    if not answered and not (live and repo.count_participants(session.id)):
        return
    try:
        new = check_composition(composition)
    except InvalidWorkFormat:
        return  # the save itself refuses it, naming the field
    where = broken_structure(old, new)
    if where:
        raise InvalidInput(f"composition.{where}: answers were given under the old structure",
                           field="composition_in_use", where=where)


def editable_composition(workformat: WorkFormat, title: str = "") -> dict[str, Any] | None:
    """Return the composition of a werkvorm made from parts as configured (its prompts, timers, hiding and rows
    as the facilitator set them), to compose further; None for a werkvorm written as code."""
    if workformat.composition is None:
        return None
    composition = copy.deepcopy(dict(workformat.composition))
    if title.strip():
        composition["name"] = title.strip()
    for part, phase in zip(composition["phases"], workformat.phases, strict=False):
        seconds = phase.timebox_seconds
        part |= {
            "title": phase.title,
            "prompt": phase.prompt_for("deelnemer"),
            "minutes": None if seconds is None else max(1, min(MAX_MINUTES, math.ceil(seconds / 60))),
            "hidden": phase.hidden_until_reveal,
        }
        if "inbrenger" in phase.prompts and phase.prompts["inbrenger"] != phase.prompt_for("deelnemer"):
            part["inbrenger_prompt"] = phase.prompts["inbrenger"]
    if composition.get("rows"):
        composition["rows"] = [{"label": b.label, "description": b.description} for b in workformat.buckets]
    return composition


@retried
def copy_as_composition(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str, item_id: str
) -> tuple[AgendaItem, list[DomainEvent]]:
    """Put an editable copy of an item whose werkvorm is made from parts right after it, as a werkvorm composed
    in Voorbereiden ("Kopie aanpassen"); the original stays as it is."""
    session = repo.get_session(session_id)
    index = next((i for i, item in enumerate(session.agenda) if item.id == item_id), None)
    if index is None:
        raise NotFound(f"agenda item {item_id}")
    if len(session.agenda) >= MAX_AGENDA_ITEMS:
        raise LimitReached("agenda full", limit=MAX_AGENDA_ITEMS, what="agenda")
    source = session.agenda[index]
    composition = editable_composition(configured_workformat(registry, source), str(source.settings.get("title", "")))
    base = next((wf for wf in registry if wf.can("composed") and wf.composition is None), None)
    if composition is None or base is None:
        raise InvalidInput("item: this werkvorm is not made from parts", field="item")
    kept = {name: value for name, value in source.settings.items()
            if name in COMMON_SETTINGS and name not in _PHASE_OVERLAYS and name != "composition"}
    settings = checked_settings(base, kept | {"composition": composition})
    item = AgendaItem(id=new_item_id(), workformat_id=base.id, settings=settings)
    agenda = (*session.agenda[: index + 1], item, *session.agenda[index + 1 :])
    current = session.current_item + (1 if session.current_item > index else 0)
    session = repo.save_session(with_room_timer(registry, session, replace(session, agenda=agenda,
                                                                          current_item=current)))
    return item, [AgendaChanged(session=session)]


@retried
def remove_agenda_item(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str, item_id: str
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
    moved = replace(session, agenda=agenda, current_item=current, current_phase=phase)
    session = repo.save_session(with_room_timer(registry, session, moved))
    return session, [AgendaChanged(session=session)]


@retried
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
    session = repo.save_session(replace(session, agenda=tuple(agenda), current_item=current))
    return session, [AgendaChanged(session=session)]


#: Longest facilitator's note per agenda item, in characters.
MAX_NOTES_LENGTH = 4000


@retried
def set_item_notes(repo: SessionRepository, session_id: str, item_id: str, notes: object) -> AgendaItem:
    """Store the facilitator's own notes for an agenda item (an empty text clears them); they concern no screen of
    the room, so there is no event to publish."""
    if not isinstance(notes, str):
        raise InvalidInput("notes: must be a text", field="notes")
    text = "" if not notes.strip() else clean_text(notes, MAX_NOTES_LENGTH)
    session = repo.get_session(session_id)
    item = session.agenda_item(item_id)
    if item is None:
        raise NotFound(f"agenda item {item_id}")
    changed = replace(item, notes=text)
    repo.save_session(replace(session, agenda=tuple(changed if i.id == item_id else i for i in session.agenda)))
    return changed
