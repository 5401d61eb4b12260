"""The rode-draden board over Socket.IO (threading test client): exact events on every host screen and phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import HOST_KEY
from tests.support.rooms import Room, events

NOT_AUTHORISED = {"ok": False, "error": {"code": "not_authorised", "message": "Dit mag alleen de gespreksleider."}}

TEXTS = [
    ("kaart-0001", "Vertrouwen tussen ouders en school"),
    ("kaart-0002", "Wachtlijsten in de jeugdzorg zijn te lang"),
    ("kaart-0003", "Ouders vertrouwen de school niet altijd"),
]


@pytest.fixture
def room(deps: Any, bijeenkomst: dict[str, Any], host_socket: Any, phones: Any) -> Room:
    made = Room(deps, bijeenkomst, host_socket, phones)
    made.drain()
    return made


@pytest.fixture
def second_host(app: Any, socketio: Any, room: Room) -> Iterator[Any]:
    http = app.test_client()
    http.get(f"/host/login?key={HOST_KEY}")
    client = socketio.test_client(app, flask_test_client=http)
    assert client.emit("join_session", {"session": room.id, "role": "host"}, callback=True)["ok"] is True
    room.clients.append(client)
    room.drain()
    yield client
    if client.is_connected():
        client.disconnect()


def fill(room: Room) -> list[Any]:
    """Add a rode-draden item after the open question; two phones send the three cards in the open question."""
    room.add("rode_draden")
    anna, bram = room.join(table=1, perspective="ouder"), room.join(table=2, perspective="zorg")
    for number, (client_id, text) in enumerate(TEXTS):
        ack = room.send(anna if number != 1 else bram, "submit_contribution", client_id=client_id, text=text)
        assert ack["ok"] is True
    room.drain()
    return [anna, bram]


def item_ids(room: Room) -> list[str]:
    return [item.id for item in room.deps.repo.get_session(room.id).agenda]


def test_every_board_change_reaches_every_host_screen_and_no_phone(room: Room, second_host: Any) -> None:
    anna, bram = fill(room)
    source = item_ids(room)[0]
    ack = room.as_host("edit_board", item=source, action="add_theme", name="Vertrouwen", cards=["kaart-0001"])
    theme = ack["theme"]
    assert ack == {"ok": True, "version": 1, "theme": theme}
    expected = {
        "agenda_item": source, "version": 1,
        "themes": [{"id": theme, "name": "Vertrouwen", "origin": "host", "accepted": True, "cards": ["kaart-0001"],
                    "terms": [], "provenance": {"perspectives": {"ouder": 1}, "tables": ["1"]}}],
        "unsorted": ["kaart-0002", "kaart-0003"], "rode_draad": "", "can_undo": True, "duplicates": [],
        "warning": "few",
    }
    for host in (room.host, second_host):
        assert events(host) == [("board_changed", {"board": expected})]
    room.silent(anna, bram)

    assert room.as_host("edit_board", item=source, action="move", card="kaart-0003", theme=theme, before="kaart-0001") == {
        "ok": True, "version": 2,
    }
    [(_, payload)] = events(second_host)
    assert payload["board"]["themes"][0]["cards"] == ["kaart-0003", "kaart-0001"]
    # Both cards are one ouder's (anna): provenance counts people, not cards (issue 15).
    assert payload["board"]["themes"][0]["provenance"] == {"perspectives": {"ouder": 1}, "tables": ["1"]}
    assert room.as_host("edit_board", item=source, action="rename_theme", theme=theme, name="Relatie")["ok"] is True
    assert room.as_host("edit_board", item=source, action="undo") == {"ok": True, "version": 4}
    board = room.deps.repo.get_board(room.id, source)
    assert [(t.name, t.cards) for t in board.themes] == [("Vertrouwen", ("kaart-0003", "kaart-0001"))]
    room.drain()
    assert room.as_host("edit_board", item=source, action="set_rode_draad", text="Vertrouwen is de basis.")["ok"] is True
    assert [p["board"]["rode_draad"] for _, p in events(second_host)] == ["Vertrouwen is de basis."]


def test_the_host_state_carries_every_board_and_the_step_names_its_board(room: Room) -> None:
    fill(room)
    source, rode_draden = item_ids(room)
    state = room.deps.realtime.host_state(room.id)
    assert sorted(state["boards"]) == sorted([source, rode_draden])
    assert state["boards"][source]["unsorted"] == ["kaart-0001", "kaart-0002", "kaart-0003"]
    assert state["boards"][rode_draden]["unsorted"] == []
    assert state["step"]["board_item"] == source
    room.go(1, "meesorteren")
    state = room.deps.realtime.host_state(room.id)
    assert (state["step"]["display"], state["step"]["board_item"]) == ("board", source)


def test_a_phone_places_its_own_card_and_every_screen_hears_it(room: Room) -> None:
    anna, bram = fill(room)
    source = item_ids(room)[0]
    theme = room.as_host("edit_board", item=source, action="add_theme", name="Vertrouwen")["theme"]
    room.drain()
    assert room.as_host("go_to_phase", item=1, phase=0)["ok"] is True
    for phone in (anna, bram):  # each phone hears where its cards are now (nowhere yet)
        assert [(n, p.get("placements")) for n, p in events(phone)] == [("phase_changed", None), ("placements_changed", {})]
    room.drain()
    state = room.deps.realtime.participant_state(room.id, room.deps.repo.list_participants(room.id)[0])
    assert state["step"]["place"] == {"board_item": source, "themes": [{"id": theme, "name": "Vertrouwen"}]}
    assert state["step"]["views"] == {"deelnemer": "place"} and state["placements"] == {}

    assert room.send(anna, "place_contribution", id="kaart-0001", theme=theme) == {"ok": True, "id": "kaart-0001", "theme": theme}
    [(name, payload)] = events(room.host)
    assert (name, payload["board"]["themes"][0]["cards"]) == ("board_changed", ["kaart-0001"])
    assert events(anna) == [("placements_changed", {"placements": {"kaart-0001": theme}})]
    room.silent(bram)  # a card moved, no theme name changed: the other phones hear nothing

    ack = room.send(bram, "place_contribution", id="kaart-0002", new_theme="Wachtlijsten")
    proposed = ack["theme"]
    assert ack == {"ok": True, "id": "kaart-0002", "theme": proposed}
    [(_, payload)] = events(room.host)
    assert [(t["name"], t["origin"], t["cards"]) for t in payload["board"]["themes"]] == [
        ("Vertrouwen", "host", ["kaart-0001"]), ("Wachtlijsten", "participant", ["kaart-0002"]),
    ]
    slim = {"board": {"agenda_item": source, "themes": [{"id": theme, "name": "Vertrouwen"},
                                                        {"id": proposed, "name": "Wachtlijsten"}]}}
    assert events(anna) == [("board_changed", slim)]
    assert events(bram) == [("board_changed", slim), ("placements_changed", {"placements": {"kaart-0002": proposed}})]
    room.as_host("edit_board", item=source, action="move", card="kaart-0003", theme=proposed, before=None)
    assert events(anna) == [("placements_changed", {"placements": {"kaart-0001": theme, "kaart-0003": proposed}})]
    room.silent(bram)
    assert "participant_id" not in repr(payload) and "proposed_by" not in repr(payload)
    state = room.deps.realtime.participant_state(room.id, room.deps.repo.list_participants(room.id)[1])
    assert state["placements"] == {"kaart-0002": proposed}

    refused = room.send(bram, "place_contribution", id="kaart-0001", theme=theme)
    assert refused["error"]["code"] == "not_found"
    room.drain()
    room.go(1, "rode_draad")
    assert room.send(anna, "place_contribution", id="kaart-0001", theme=theme)["error"]["code"] == "phase_not_open"
    room.silent(room.host, anna, bram)


def test_votes_on_themes_and_phones_hear_a_renamed_theme(room: Room) -> None:
    anna, _bram = fill(room)
    room.add("stemmen")
    source = item_ids(room)[0]
    theme = room.as_host("edit_board", item=source, action="add_theme", name="Vertrouwen", cards=["kaart-0001"])["theme"]
    room.go(2, "stemmen")
    state = room.deps.realtime.participant_state(room.id, room.deps.repo.list_participants(room.id)[0])
    assert state["step"]["vote"]["targets"] == [{"id": f"theme:{theme}", "text": "Vertrouwen"}]
    assert room.send(anna, "cast_vote", target=f"theme:{theme}", on=True) == {"ok": True, "votes": [f"theme:{theme}"]}
    room.drain()
    room.as_host("edit_board", item=source, action="rename_theme", theme=theme, name="Vertrouwen en contact")
    received = events(anna)
    assert [n for n, _ in received] == ["phase_changed"]
    assert received[0][1]["step"]["vote"]["targets"] == [{"id": f"theme:{theme}", "text": "Vertrouwen en contact"}]


BOARD_EVENTS = [
    ("edit_board", {"item": "x", "action": "undo"}),
    ("suggest_themes", {"item": "x", "mode": "suggest"}),
]


@pytest.mark.parametrize(("event", "payload"), BOARD_EVENTS, ids=[e for e, _ in BOARD_EVENTS])
def test_a_phone_can_never_change_the_board(room: Room, event: str, payload: dict[str, Any]) -> None:
    anna, bram = fill(room)
    payload = {**payload, "item": item_ids(room)[0]}
    assert room.send(anna, event, **payload) == NOT_AUTHORISED
    assert room.deps.repo.get_board(room.id, item_ids(room)[0]) is None
    room.silent(room.host, anna, bram)


@pytest.mark.parametrize(
    ("event", "payload", "code", "field"),
    [
        ("edit_board", {"action": "fly"}, "invalid_input", "action"),
        ("edit_board", {"action": "move", "card": "kaart-0001", "theme": "t-nope"}, "not_found", None),
        ("edit_board", {"action": "rename_theme", "theme": 5, "name": "x"}, "invalid_input", "theme"),
        ("edit_board", {"action": "undo"}, "invalid_input", "undo"),
        ("edit_board", {"item": "nope", "action": "add_theme", "name": "x"}, "not_found", None),
        ("edit_board", {"item": None, "action": "undo"}, "invalid_input", "item"),
        ("suggest_themes", {"mode": "guess"}, "invalid_input", "mode"),
        ("suggest_themes", {"mode": "suggest", "count": 50}, "invalid_input", "count"),
        ("suggest_themes", {"mode": "sort"}, "invalid_input", "themes"),
    ],
)
def test_bad_board_requests_get_a_clear_error(
    room: Room, event: str, payload: dict[str, Any], code: str, field: str | None
) -> None:
    anna, _bram = fill(room)
    ack = room.as_host(event, **{"item": item_ids(room)[0], **payload})
    assert ack["ok"] is False and ack["error"]["code"] == code and ack["error"].get("field") == field
    assert ack["error"]["message"]
    room.silent(room.host, anna)
    assert room.host.is_connected()


def test_an_empty_board_cannot_be_sorted(room: Room) -> None:
    room.add("rode_draden")
    ack = room.as_host("suggest_themes", item=item_ids(room)[0], mode="suggest")
    assert ack == {"ok": False, "error": {"code": "invalid_input", "field": "board",
                                          "message": "Er staan nog geen bijdragen op dit bord."}}
