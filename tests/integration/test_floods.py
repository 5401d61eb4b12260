"""Floods and sizes with the threading test client: a phone over its fair allowance gets too_fast (the others and
the host do not), and text far over its limit gets an error acknowledgement, field by field."""

from __future__ import annotations

from typing import Any

import pytest

from facilitator.core import services
from facilitator.web.guards.throttle import RateLimiter

TOO_FAST = {"ok": False, "error": {"code": "too_fast", "message": "Je stuurt te snel. Wacht even en probeer het opnieuw."}}
BIG = "x" * 10_000


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(deps: Any) -> FakeClock:
    """A limiter of burst 10 and 2 per second on a clock the test moves."""
    made = FakeClock()
    deps.realtime.participant_limiter = RateLimiter(10, 2.0, clock=made)
    return made


def submit(phone: Any, session: str, client_id: str, text: str = "Een bijdrage") -> Any:
    return phone.emit("submit_contribution", {"session": session, "client_id": client_id, "text": text}, callback=True)


def test_the_default_allowance_is_a_burst_of_30_and_5_per_second(deps: Any) -> None:
    assert (deps.realtime.participant_limiter.burst, deps.realtime.participant_limiter.per_second) == (30, 5.0)


def test_a_phone_over_its_allowance_gets_too_fast_and_nothing_is_stored(
    clock: FakeClock, phones: Any, bijeenkomst: dict[str, Any], deps: Any, host_socket: Any
) -> None:
    phone = phones.join()
    host_socket.get_received()
    acks = [submit(phone, bijeenkomst["id"], f"flood-{n:04d}") for n in range(15)]
    assert acks[:10] == [{"ok": True, "id": f"flood-{n:04d}"} for n in range(10)]
    assert acks[10:] == [TOO_FAST] * 5
    assert [c.id for c in deps.repo.list_contributions(bijeenkomst["id"])] == [f"flood-{n:04d}" for n in range(10)]
    assert [m["name"] for m in host_socket.get_received()] == ["contribution_added"] * 10
    assert phone.is_connected()
    clock.now += 1.0  # two more
    acks = [submit(phone, bijeenkomst["id"], f"later-{n:04d}") for n in range(3)]
    assert acks == [{"ok": True, "id": "later-0000"}, {"ok": True, "id": "later-0001"}, TOO_FAST]


def test_an_item_refused_as_too_fast_is_stored_once_when_sent_again(
    clock: FakeClock, phones: Any, bijeenkomst: dict[str, Any], deps: Any
) -> None:
    phone = phones.join()
    for n in range(10):
        submit(phone, bijeenkomst["id"], f"burst-{n:04d}")
    assert submit(phone, bijeenkomst["id"], "outbox-item-1", "Uit de wachtrij") == TOO_FAST
    clock.now += 0.5
    assert submit(phone, bijeenkomst["id"], "outbox-item-1", "Uit de wachtrij") == {"ok": True, "id": "outbox-item-1"}
    clock.now += 0.5
    assert submit(phone, bijeenkomst["id"], "outbox-item-1", "Uit de wachtrij") == {"ok": True, "id": "outbox-item-1"}
    stored = [c.text for c in deps.repo.list_contributions(bijeenkomst["id"]) if c.id == "outbox-item-1"]
    assert stored == ["Uit de wachtrij"]


def test_other_phones_and_the_host_are_not_slowed_by_a_flooder(
    clock: FakeClock, phones: Any, bijeenkomst: dict[str, Any], host_socket: Any
) -> None:
    flooder, other = phones.join(), phones.join()
    for n in range(12):
        submit(flooder, bijeenkomst["id"], f"flood-{n:04d}")
    assert submit(flooder, bijeenkomst["id"], "flood-last") == TOO_FAST
    assert [submit(other, bijeenkomst["id"], f"other-{n:04d}")["ok"] for n in range(10)] == [True] * 10
    session = {"session": bijeenkomst["id"]}
    acks = [host_socket.emit("control_timer", {**session, "action": "add", "seconds": 1}, callback=True) for _ in range(50)]
    assert all(a["ok"] for a in acks)


def test_reconnecting_does_not_refill_a_phones_allowance(
    clock: FakeClock, app: Any, socketio: Any, bijeenkomst: dict[str, Any]
) -> None:
    http = app.test_client()
    http.post(f"/j/{bijeenkomst['join_code']}", json={})
    phone = socketio.test_client(app, flask_test_client=http)
    phone.emit("join_session", {"session": bijeenkomst["id"], "role": "participant"}, callback=True)
    for n in range(10):
        submit(phone, bijeenkomst["id"], f"first-{n:04d}")
    phone.disconnect()
    again = socketio.test_client(app, flask_test_client=http)
    # The join itself counts against the new connection; after it the phone is known by its participant.
    assert again.emit("join_session", {"session": bijeenkomst["id"], "role": "participant"}, callback=True)["ok"]
    assert submit(again, bijeenkomst["id"], "after-reconnect") == TOO_FAST
    again.disconnect()


def test_a_connection_flooding_join_session_gets_too_fast(
    clock: FakeClock, app: Any, socketio: Any, bijeenkomst: dict[str, Any]
) -> None:
    client = socketio.test_client(app)
    acks = [client.emit("join_session", {"session": bijeenkomst["id"], "role": "participant"}, callback=True)
            for _ in range(12)]
    assert [a["error"]["code"] for a in acks] == ["not_joined"] * 10 + ["too_fast"] * 2
    client.disconnect()


def test_host_events_from_a_phone_spend_its_allowance(
    clock: FakeClock, phones: Any, bijeenkomst: dict[str, Any]
) -> None:
    phone = phones.join()
    codes = [phone.emit("advance_phase", {"session": bijeenkomst["id"]}, callback=True)["error"]["code"] for _ in range(12)]
    assert codes == ["not_authorised"] * 10 + ["too_fast"] * 2


def test_every_phone_event_passes_the_allowance(clock: FakeClock, phones: Any, bijeenkomst: dict[str, Any]) -> None:
    from facilitator.web.participant import sockets as participant_sockets
    from tests.integration.test_authorisation import registered_by

    phone = phones.join()
    for n in range(10):
        submit(phone, bijeenkomst["id"], f"burst-{n:04d}")
    for event in registered_by(participant_sockets):
        assert phone.emit(event, {"session": bijeenkomst["id"]}, callback=True) == TOO_FAST, event


# -- sizes ---------------------------------------------------------------------------------------------


def test_a_10_kb_contribution_gets_text_too_long(phones: Any, bijeenkomst: dict[str, Any], deps: Any) -> None:
    phone = phones.join()
    assert submit(phone, bijeenkomst["id"], "too-long-01", BIG) == {
        "ok": False, "error": {"code": "text_too_long", "message": "Je tekst is te lang. Het maximum is 500 tekens."},
    }
    assert submit(phone, bijeenkomst["id"], "just-right", "x" * 500) == {"ok": True, "id": "just-right"}
    assert [c.id for c in deps.repo.list_contributions(bijeenkomst["id"])] == ["just-right"]
    assert phone.is_connected()


def test_10_kb_in_any_other_phone_field_gets_an_error_ack(
    phones: Any, bijeenkomst: dict[str, Any], deps: Any, host_socket: Any
) -> None:
    session = bijeenkomst["id"]
    services.add_agenda_item(deps.repo, deps.registry, session, "tafeladvies", None)
    assert host_socket.emit("go_to_phase", {"session": session, "item": 1, "phase": 0}, callback=True)["ok"]
    assert host_socket.emit("set_closing", {"session": session, "closing": True}, callback=True)["ok"]
    phone = phones.join(table=1)

    def code(event: str, **payload: Any) -> tuple[str, str | None]:
        ack = phone.emit(event, {"session": session, **payload}, callback=True)
        return ack["error"]["code"], ack["error"].get("field")

    assert code("save_table_draft", kind="advies", slot=1, text=BIG, base_version=0) == ("text_too_long", None)
    assert code("submit_contribution", client_id=BIG, text="x") == ("invalid_input", "client_id")
    assert code("request_verslag", email=BIG + "@example.nl", consent=True) == ("invalid_input", "email")
    assert code("claim_role", code=BIG) == ("role_code_invalid", None)
    ack = phone.emit("join_session", {"session": BIG, "role": "participant"}, callback=True)
    assert ack["error"]["code"] == "session_not_found"
    assert phone.is_connected()


def test_10_kb_in_host_fields_gets_an_error_ack(deps: Any, bijeenkomst: dict[str, Any], host_socket: Any) -> None:
    item, _ = services.add_agenda_item(deps.repo, deps.registry, bijeenkomst["id"], "rode_draden", None)

    def code(event: str, **payload: Any) -> tuple[str, str | None]:
        ack = host_socket.emit(event, {"session": bijeenkomst["id"], **payload}, callback=True)
        return ack["error"]["code"], ack["error"].get("field")

    assert code("edit_board", item=item.id, action="add_theme", name=BIG) == ("invalid_input", "name")
    assert code("edit_board", item=item.id, action="set_rode_draad", text=BIG) == ("invalid_input", "rode_draad")
    assert code("set_tables", tables=[BIG]) == ("invalid_input", "tables")


def test_an_http_body_over_64_kb_is_refused_with_413(app: Any, bijeenkomst: dict[str, Any]) -> None:
    response = app.test_client().post(f"/j/{bijeenkomst['join_code']}", json={"perspective": "x" * 70_000})
    assert response.status_code == 413
    # Under the limit the body is read: a perspective the bijeenkomst does not offer is refused, not 413.
    under = app.test_client().post(f"/j/{bijeenkomst['join_code']}", json={"perspective": BIG})
    assert (under.status_code, under.get_json()["error"]["code"]) == (400, "invalid_input")


def test_an_oversized_polling_post_closes_that_connection_at_once(app: Any, phones: Any, bijeenkomst: dict[str, Any]) -> None:
    import json

    http = app.test_client()
    base = "/socket.io/?EIO=4&transport=polling"
    sid = json.loads(http.get(base).get_data(as_text=True)[1:])["sid"]
    assert http.post(f"{base}&sid={sid}", data="40").status_code == 200
    neighbour = phones.join()
    refused = http.post(f"{base}&sid={sid}", data="4" + "x" * 70_000)
    assert (refused.status_code, refused.headers["Connection"]) == (413, "close")
    assert http.get(f"{base}&sid={sid}").status_code == 400  # that connection is gone
    assert submit(neighbour, bijeenkomst["id"], "neighbour-01") == {"ok": True, "id": "neighbour-01"}
