"""The verslag by e-mail over Socket.IO (threading test client): closing, opt-in, withdrawal, deletion; the exact
events each client receives."""

from __future__ import annotations

from typing import Any

import pytest

from facilitator.core import services
from tests.support.rooms import Room, events

NOT_AUTHORISED = {"ok": False, "error": {"code": "not_authorised", "message": "Dit mag alleen de gespreksleider."}}
NOT_ASKING = {
    "ok": False,
    "error": {"code": "invalid_input", "field": "closing", "message": "De gespreksleider vraagt nog niet om e-mailadressen."},
}
BAD_ADDRESS = {
    "ok": False,
    "error": {"code": "invalid_input", "field": "email", "message": "Dit e-mailadres klopt niet. Kijk het nog even na."},
}
NO_CONSENT = {
    "ok": False,
    "error": {"code": "invalid_input", "field": "consent", "message": "Zet eerst het vinkje als je het verslag wilt ontvangen."},
}


@pytest.fixture
def room(deps: Any, bijeenkomst: dict[str, Any], host_socket: Any, phones: Any) -> Room:
    made = Room(deps, bijeenkomst, host_socket, phones)
    made.drain()
    return made


def participant_id(room: Room, phone: Any) -> str:
    return str(services.authenticate_participant(room.deps.repo, room.id, phone.token).id)


def stored(room: Room) -> list[tuple[str, str]]:
    return [(o.participant_id, o.email) for o in room.deps.repo.list_mail_optins(room.id)]


def reconnect(room: Room, phone: Any) -> dict[str, Any]:
    """Open a new connection with the phone's token; return the session_state it gets."""
    again = room.phones.socketio.test_client(room.phones.app, auth={"token": phone.token})
    assert again.emit("join_session", {"session": room.id, "role": "participant"}, callback=True)["ok"] is True
    [(name, state)] = events(again)
    assert name == "session_state"
    again.disconnect()
    room.drain()
    return state


def test_set_closing_reaches_the_host_and_every_phone_once(room: Room) -> None:
    phones = [room.join(table=1), room.join()]
    assert room.deps.realtime.host_state(room.id)["closing"] is False
    assert room.as_host("set_closing", closing=True) == {"ok": True, "closing": True}
    for client in (room.host, *phones):
        assert events(client) == [("closing_changed", {"closing": True})]
    assert room.as_host("set_closing", closing=True) == {"ok": True, "closing": True}
    room.silent(room.host, *phones)  # already asking: nothing to say

    late = room.join()
    assert reconnect(room, late)["closing"] is True
    state = room.deps.realtime.host_state(room.id)
    assert (state["closing"], state["mail_optins"]) == (True, 0)

    assert room.as_host("set_closing", closing=False) == {"ok": True, "closing": False}
    for client in (room.host, *phones, late):
        assert events(client) == [("closing_changed", {"closing": False})]


def test_set_closing_needs_a_true_or_false(room: Room) -> None:
    phone = room.join()
    assert room.as_host("set_closing", closing="ja") == {
        "ok": False, "error": {"code": "invalid_input", "field": "closing", "message": NOT_ASKING["error"]["message"]},
    }
    room.silent(room.host, phone)
    assert room.deps.repo.get_session(room.id).closing is False


def test_a_phone_may_not_set_closing(room: Room) -> None:
    phone = room.join()
    assert room.send(phone, "set_closing", closing=True) == NOT_AUTHORISED
    room.silent(room.host, phone)
    assert room.deps.repo.get_session(room.id).closing is False


def test_request_verslag_before_the_host_asks_is_refused(room: Room) -> None:
    phone = room.join()
    assert room.send(phone, "request_verslag", email="anna@example.nl", consent=True) == NOT_ASKING
    room.silent(room.host, phone)
    assert stored(room) == []


@pytest.mark.parametrize(
    ("fields", "ack"),
    [
        ({"email": "anna@example", "consent": True}, BAD_ADDRESS),
        ({"email": "anna example.nl", "consent": True}, BAD_ADDRESS),
        ({"email": "", "consent": True}, BAD_ADDRESS),
        ({"consent": True}, BAD_ADDRESS),
        ({"email": 42, "consent": True}, BAD_ADDRESS),
        ({"email": "anna@example.nl"}, NO_CONSENT),
        ({"email": "anna@example.nl", "consent": False}, NO_CONSENT),
        ({"email": "anna@example.nl", "consent": "true"}, NO_CONSENT),
        ({"email": "anna@example.nl", "consent": 1}, NO_CONSENT),
    ],
)
def test_request_verslag_needs_an_address_and_an_explicit_yes(room: Room, fields: dict[str, Any], ack: Any) -> None:
    phone = room.join()
    room.as_host("set_closing", closing=True)
    room.drain()
    assert room.send(phone, "request_verslag", **fields) == ack
    room.silent(room.host, phone)
    assert stored(room) == []


def test_request_replace_and_withdraw_tell_the_host_only_the_count(room: Room) -> None:
    anna, bram = room.join(), room.join()
    room.as_host("set_closing", closing=True)
    room.drain()

    assert room.send(anna, "request_verslag", email=" anna@example.nl ", consent=True) == {
        "ok": True, "email": "anna@example.nl",
    }
    assert events(room.host) == [("mail_optins_changed", {"count": 1})]
    room.silent(anna, bram)
    assert stored(room) == [(participant_id(room, anna), "anna@example.nl")]
    assert room.deps.realtime.host_state(room.id)["mail_optins"] == 1

    # Asking again with another address replaces the first: still one request.
    assert room.send(anna, "request_verslag", email="a.jansen@school.nl", consent=True) == {
        "ok": True, "email": "a.jansen@school.nl",
    }
    assert events(room.host) == [("mail_optins_changed", {"count": 1})]
    room.silent(anna, bram)
    assert stored(room) == [(participant_id(room, anna), "a.jansen@school.nl")]

    assert room.send(bram, "request_verslag", email="bram@zorg.nl", consent=True) == {"ok": True, "email": "bram@zorg.nl"}
    assert events(room.host) == [("mail_optins_changed", {"count": 2})]
    room.silent(anna, bram)

    assert room.send(anna, "withdraw_verslag_request") == {"ok": True}
    assert events(room.host) == [("mail_optins_changed", {"count": 1})]
    room.silent(anna, bram)
    assert stored(room) == [(participant_id(room, bram), "bram@zorg.nl")]
    assert room.send(anna, "withdraw_verslag_request") == {"ok": True}
    room.silent(room.host, anna, bram)  # nothing to forget: nothing to say


def test_a_reconnecting_phone_gets_its_own_address_and_no_one_elses(room: Room) -> None:
    anna, bram, carla = room.join(), room.join(), room.join()
    room.as_host("set_closing", closing=True)
    room.send(anna, "request_verslag", email="anna@example.nl", consent=True)
    room.send(bram, "request_verslag", email="bram@zorg.nl", consent=True)
    room.drain()

    anna_state = reconnect(room, anna)
    assert (anna_state["closing"], anna_state["verslag_email"]) == (True, "anna@example.nl")
    assert "bram@zorg.nl" not in repr(anna_state)
    assert reconnect(room, bram)["verslag_email"] == "bram@zorg.nl"
    carla_state = reconnect(room, carla)
    assert carla_state["verslag_email"] == ""
    assert "@" not in repr(carla_state)
    # The host screen (projected) gets the count, never an address.
    host_state = room.deps.realtime.host_state(room.id)
    assert host_state["mail_optins"] == 2
    assert "@" not in repr(host_state)

    # Withdrawing works even after the host stopped asking.
    room.as_host("set_closing", closing=False)
    room.drain()
    assert room.send(anna, "withdraw_verslag_request") == {"ok": True}
    assert events(room.host) == [("mail_optins_changed", {"count": 1})]
    assert reconnect(room, anna)["verslag_email"] == ""


def test_deleting_the_bijeenkomst_ends_it_on_the_host_and_every_phone(room: Room) -> None:
    anna, bram = room.join(table=1), room.join()
    room.as_host("set_closing", closing=True)
    room.send(anna, "request_verslag", email="anna@example.nl", consent=True)
    room.drain()

    with room.phones.app.test_request_context("/"):
        room.deps.publish(services.delete_session(room.deps.repo, room.deps.series, room.id))
    for client in (room.host, anna, bram):
        assert events(client) == [("session_ended", {})]
    assert room.deps.realtime.connected_phones(room.id) == 0

    # The bijeenkomst is gone: its phones hear so, and closing their connections troubles no one.
    assert room.send(anna, "request_verslag", email="anna@example.nl", consent=True)["error"]["code"] == "session_not_found"
    anna.disconnect()
    bram.disconnect()
    room.silent(room.host)
