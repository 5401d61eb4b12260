"""The beamer over Socket.IO at a composed werkvorm's scale and ranking (issue 16, point 2): each answer redraws it
whole with the sum added up from what the room may see, so a waiting or hidden answer is never counted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from facilitator.core import services
from tests.integration.test_beamer_events import Beamer, events, host_call, submit

COMPOSITION = {
    "name": "Duimpje",
    "scale": ["Oneens", "Neutraal", "Eens"],
    "ranking_options": ["Tijd", "Geld", "Mensen"],
    "phases": [
        {"title": "Duimpje", "prompt": "Hielp dit?", "answer": "scale", "explain": True},
        {"title": "Wat eerst", "prompt": "Wat eerst?", "answer": "ranking"},
    ],
}
CANARY = "NIET-GOEDGEKEURD-toelichting"


@pytest.fixture
def beamer(app: Any, socketio: Any, host_http: Any, bijeenkomst: dict[str, Any]) -> Iterator[Beamer]:
    client = socketio.test_client(app, flask_test_client=host_http)
    assert client.emit("join_session", {"session": bijeenkomst["id"], "role": "beamer"}, callback=True)["ok"]
    yield Beamer(client)
    if client.is_connected():
        client.disconnect()


def _at_composed(deps: Any, session_id: str, phase: int) -> None:
    composed = next(wf.id for wf in deps.registry if "composed" in wf.capabilities)
    _item, added = services.add_agenda_item(deps.repo, deps.registry, session_id, composed,
                                            {"composition": COMPOSITION, "approve_first": True})
    deps.publish(added)
    index = len(deps.repo.get_session(session_id).agenda) - 1
    _session, moved = services.go_to(deps.repo, deps.registry, session_id, index, phase)
    deps.publish(moved)


def test_a_scale_is_counted_on_the_beamer_only_once_approved_and_not_when_hidden(
    deps: Any, phones: Any, host_socket: Any, beamer: Beamer, bijeenkomst: dict
) -> None:
    sid = bijeenkomst["id"]
    _at_composed(deps, sid, 0)
    assert beamer.state()["summary"] == {"group": "schaal", "counts": {"s1": 0, "s2": 0, "s3": 0}, "answers": 0}
    phone = phones.join()
    events(phone)
    assert submit(phone, sid, "scale-01", CANARY, kind="a1", tags=["s3"]) == {"ok": True, "id": "scale-01"}
    # Waiting for approval: whatever the beamer hears, the answer is neither counted nor shown.
    assert all(p["summary"]["counts"]["s3"] == 0 for n, p in beamer.take() if n == "session_state")
    assert CANARY not in beamer.everything()
    assert host_call(host_socket, "approve_contribution", sid, id="scale-01")["ok"] is True
    state = beamer.state()
    assert state["summary"]["counts"] == {"s1": 0, "s2": 0, "s3": 1} and state["summary"]["answers"] == 1
    assert [c["text"] for c in state["contributions"]] == [CANARY]
    assert host_call(host_socket, "set_contribution_hidden", sid, id="scale-01", hidden=True)["ok"] is True
    state = beamer.state()
    assert state["summary"]["counts"]["s3"] == 0 and state["contributions"] == []


def test_a_ranking_redraws_the_beamer_with_its_points(
    deps: Any, phones: Any, host_socket: Any, beamer: Beamer, bijeenkomst: dict
) -> None:
    sid = bijeenkomst["id"]
    _at_composed(deps, sid, 1)
    beamer.take()
    first, second = phones.join(), phones.join()
    assert submit(first, sid, "ranking-01", "", kind="a2", ranking=["o2", "o1", "o3"])["ok"] is True
    assert submit(second, sid, "ranking-02", "Geld eerst", kind="a2", ranking=["o2", "o3", "o1"])["ok"] is True
    assert host_call(host_socket, "approve_all", sid)["ids"] == ["ranking-01", "ranking-02"]
    state = beamer.state()
    assert state["step"]["display"] == "ranking" and state["step"]["display_group"] == "opties"
    assert state["summary"] == {"group": "opties", "points": {"o1": 1, "o2": 4, "o3": 1}, "answers": 2, "most": 2}
