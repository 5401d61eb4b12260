"""A composed item's structure stays what its answers were given under: rename and append, never move or remove."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from facilitator.core import services
from facilitator.core.domain import InvalidInput, WorkshopSession
from facilitator.core.domain.composition import broken_structure, check_composition
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository
from tests.support.composed import EVERY_ANSWER

REGISTRY = discover()
START = 1_800_000_000.0


def changed(**edits: Any) -> dict[str, Any]:
    composition = copy.deepcopy(EVERY_ANSWER)
    for part, value in edits.items():
        composition[part] = value
    return composition


def test_renaming_and_appending_keep_the_structure() -> None:
    before = check_composition(EVERY_ANSWER)
    renamed = copy.deepcopy(EVERY_ANSWER)
    renamed["rows"][0]["label"] = "Heel nieuwsgierig"
    renamed["phases"][0]["prompt"] = "Vul het raster in, kort."
    renamed["rows"].append({"label": "Betrokken"})
    renamed["phases"].append({"title": "Nog iets?", "prompt": "Wat wil je nog kwijt?"})
    assert broken_structure(before, check_composition(renamed)) == ""


@pytest.mark.parametrize(("edit", "where"), [
    ({"phases": EVERY_ANSWER["phases"][1:]}, "phases"),  # the grid step removed: every step moves up
    ({"phases": [EVERY_ANSWER["phases"][1], EVERY_ANSWER["phases"][0], *EVERY_ANSWER["phases"][2:]]},
     "phases[0].answer"),  # two steps swapped
    ({"phases": EVERY_ANSWER["phases"][:2]}, "phases"),
    ({"rows": EVERY_ANSWER["rows"][:3]}, "rows"),
    ({"ranking_options": ["Tijd", "Geld"]}, "ranking_options"),
    ({"per_table": True}, "per_table"),
])
def test_moving_removing_or_another_answer_breaks_it(edit: dict[str, Any], where: str) -> None:
    assert broken_structure(check_composition(EVERY_ANSWER), check_composition(changed(**edit))) == where


def _room(repo: MemoryRepository, *, at_item: int) -> tuple[WorkshopSession, str]:
    session = services.create_session(repo, REGISTRY, title="Samengesteld", date="2026-12-07", clock=lambda: START)
    item, _ = services.add_agenda_item(repo, REGISTRY, session.id, "samengesteld", {"composition": EVERY_ANSWER})
    moved, _events = services.go_to(repo, REGISTRY, session.id, at_item, 0)
    return moved, item.id


def test_an_item_with_answers_refuses_a_new_structure_and_keeps_its_answers_meaning() -> None:
    repo = MemoryRepository()
    session, item_id = _room(repo, at_item=1)
    phone, _token, _ = services.join(repo, session.id, clock=lambda: START)
    services.submit_contribution(repo, REGISTRY, session.id, phone, client_id="c-grid-01", text="Ik vraag door",
                                 kind="a1", bucket="r4", tags=["k3"], clock=lambda: START)
    services.go_to(repo, REGISTRY, session.id, 0, 0)  # the room moved on; the answer stays
    with pytest.raises(InvalidInput) as refused:
        services.compose_agenda_item(repo, REGISTRY, session.id, item_id, changed(rows=EVERY_ANSWER["rows"][:3]))
    assert refused.value.params["field"] == "composition_in_use"
    stored = repo.get_session(session.id).agenda_item(item_id)
    assert stored is not None and stored.settings["composition"]["rows"] == check_composition(EVERY_ANSWER)["rows"]
    renamed = changed(name="Grondhouding, herzien")
    services.compose_agenda_item(repo, REGISTRY, session.id, item_id, renamed)  # a new name is fine


def test_the_item_phones_are_in_keeps_its_structure_before_the_first_answer() -> None:
    repo = MemoryRepository()
    session, item_id = _room(repo, at_item=1)
    services.join(repo, session.id, clock=lambda: START)
    with pytest.raises(InvalidInput):
        services.compose_agenda_item(repo, REGISTRY, session.id, item_id, changed(phases=EVERY_ANSWER["phases"][1:]))


def test_an_item_nobody_answered_and_nobody_is_in_may_be_rebuilt() -> None:
    repo = MemoryRepository()
    session, item_id = _room(repo, at_item=0)
    services.join(repo, session.id, clock=lambda: START)
    item, _ = services.compose_agenda_item(repo, REGISTRY, session.id, item_id, changed(phases=EVERY_ANSWER["phases"][1:]))
    assert item.settings["composition"]["phases"][0]["answer"] == "scale"
