"""The room's timer shows the current phase's prepared timebox until the facilitator changes it (issue 14, point 8).

Before, only moving to a phase set the timer from its timebox: a new bijeenkomst whose first item had a prepared timer
of 3 minutes showed "geen tijd" and started at the default 5:00.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from facilitator.core import services
from facilitator.core.domain import Timer, WorkshopSession
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository

REGISTRY = discover()
START = 1_800_000_000.0


@pytest.fixture
def repo() -> MemoryRepository:
    return MemoryRepository()


def new_session(repo: MemoryRepository) -> WorkshopSession:
    return services.create_session(repo, REGISTRY, title="Timer", date="2026-11-25", clock=lambda: START)


def prepare_first_timer(repo: MemoryRepository, session: WorkshopSession, seconds: int | None) -> WorkshopSession:
    """Set the open question's timer on the prepare page (before anything started)."""
    item = session.agenda[0]
    services.update_agenda_item(repo, REGISTRY, session.id, item.id, {**item.settings, "timers": {"antwoorden": seconds}})
    return repo.get_session(session.id)


def test_a_new_bijeenkomst_shows_and_starts_the_prepared_timer_of_its_first_item(repo: MemoryRepository) -> None:
    session = prepare_first_timer(repo, new_session(repo), 180)
    assert session.timer == Timer(duration=180.0)
    started, _events = services.control_timer(repo, session.id, "start", clock=lambda: START)
    assert started.timer == Timer(duration=180.0, started_at=START)  # 3:00 as prepared, not the default 5:00


def test_changing_the_prepared_timer_again_shows_the_new_one_and_clearing_it_shows_none(repo: MemoryRepository) -> None:
    session = prepare_first_timer(repo, new_session(repo), 180)
    assert prepare_first_timer(repo, session, 240).timer == Timer(duration=240.0)
    assert prepare_first_timer(repo, session, None).timer is None


def test_the_facilitators_own_timer_is_kept_when_the_item_is_edited(repo: MemoryRepository) -> None:
    session = prepare_first_timer(repo, new_session(repo), 180)
    started, _events = services.control_timer(repo, session.id, "start", clock=lambda: START)
    assert prepare_first_timer(repo, session, 600).timer == started.timer  # running: the facilitator's now
    services.control_timer(repo, session.id, "add", seconds=60, clock=lambda: START)
    services.add_agenda_item(repo, REGISTRY, session.id, "tafeladvies", {"timers": {"advies": 420}})
    assert repo.get_session(session.id).timer == Timer(duration=240.0, started_at=START)


def test_an_imported_agenda_starts_with_its_first_items_timer(repo: MemoryRepository) -> None:
    agenda = {"format": "rode-draad/agenda", "version": 1, "title": "Uit een bestand", "items": [
        {"workformat": "open_vraag", "settings": {"timers": {"antwoorden": 150}}},
        {"workformat": "tafeladvies", "settings": {}},
    ]}
    session = services.create_session_from_import(repo, REGISTRY, json.dumps(agenda), clock=lambda: START)
    assert session.timer == Timer(duration=150.0)
    assert repo.get_session(session.id).timer == Timer(duration=150.0)


def test_a_copy_starts_with_its_first_items_timer_not_the_sources_running_one(repo: MemoryRepository) -> None:
    source = prepare_first_timer(repo, new_session(repo), 180)
    services.add_agenda_item(repo, REGISTRY, source.id, "tafeladvies", {})
    services.step_phase(repo, REGISTRY, source.id, +1)
    services.control_timer(repo, source.id, "start", clock=lambda: START)
    copy = services.copy_session(repo, REGISTRY, source.id, clock=lambda: START)
    assert (copy.current_item, copy.current_phase, copy.timer) == (0, 0, Timer(duration=180.0))


@pytest.mark.parametrize("refill", ["add", "import"])
def test_the_first_item_on_an_empty_agenda_brings_its_timer(repo: MemoryRepository, refill: str) -> None:
    session = new_session(repo)
    services.remove_agenda_item(repo, REGISTRY, session.id, session.agenda[0].id)
    settings: dict[str, Any] = {"timers": {"advies": 420}}
    if refill == "add":
        services.add_agenda_item(repo, REGISTRY, session.id, "tafeladvies", settings)
    else:
        werkvorm = {"format": "rode-draad/werkvorm", "version": 1, "name": "Advies", "workformat": "tafeladvies",
                    "settings": settings}
        services.import_into_session(repo, REGISTRY, session.id, json.dumps(werkvorm))
    assert repo.get_session(session.id).timer == Timer(duration=420.0)


def test_removing_the_current_item_shows_the_timer_of_the_item_the_room_lands_on(repo: MemoryRepository) -> None:
    session = prepare_first_timer(repo, new_session(repo), 180)
    services.add_agenda_item(repo, REGISTRY, session.id, "tafeladvies", {"timers": {"advies": 420}})
    services.control_timer(repo, session.id, "start", clock=lambda: START)
    after, _events = services.remove_agenda_item(repo, REGISTRY, session.id, session.agenda[0].id)
    assert (after.current_item, after.current_phase, after.timer) == (0, 0, Timer(duration=420.0))


def test_moving_items_around_keeps_the_rooms_timer(repo: MemoryRepository) -> None:
    session = prepare_first_timer(repo, new_session(repo), 180)
    services.add_agenda_item(repo, REGISTRY, session.id, "tafeladvies", {"timers": {"advies": 420}})
    moved, _events = services.move_agenda_item(repo, session.id, session.agenda[0].id, +1)
    assert (moved.current_item, moved.timer) == (1, Timer(duration=180.0))  # still the open question, as prepared
