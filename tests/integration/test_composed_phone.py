"""What a phone is told of a composed werkvorm's answer kinds: enough to offer each one without knowing the werkvorm."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.composed import EVERY_ANSWER
from tests.support.rooms import Room, events


@pytest.fixture
def room(deps: Any, bijeenkomst: dict[str, Any], host_socket: Any, phones: Any) -> Room:
    made = Room(deps, bijeenkomst, host_socket, phones)
    made.drain()
    return made


def step_of(phone: Any) -> dict[str, Any]:
    [(name, payload)] = events(phone)
    assert name == "phase_changed"
    return payload["step"]


def test_each_kind_tells_the_phone_its_answer_whether_text_is_optional_and_what_it_ranks(room: Room) -> None:
    room.add("samengesteld", {"composition": EVERY_ANSWER})
    phone = room.join()
    seen = {}
    for phase in range(5):
        assert room.as_host("go_to_phase", item=1, phase=phase)["ok"] is True
        step = step_of(phone)
        room.drain()
        [kind] = step["kinds"]
        seen[step["display"], kind["id"]] = (kind["answer"], kind["text_optional"], kind["ranks"], kind["tag_groups"],
                                             kind["per_participant"])
        groups = {g["id"]: [o["label"] for o in g["options"]] for g in step["tag_groups"]}
        assert groups["opties"] == ["Tijd", "Geld", "Mensen"]
        assert groups["niveau"] == ["Bestuur", "Beleid", "Uitvoering"]
        assert [b["label"] for b in step["buckets"]] == ["Nieuwsgierig", "Open", "Respectvol", "Gelijkwaardig"]
    assert seen == {
        ("grid", "a1"): ("text", False, "", ["kolom"], 40),
        ("scale", "a2"): ("text", False, "", ["schaal"], 1),
        ("ranking", "a3"): ("ranking", True, "opties", [], 1),
        ("actions", "a4"): ("action", False, "", ["niveau"], 10),
        ("scale", "a5"): ("text", True, "", ["schaal"], 1),
    }
