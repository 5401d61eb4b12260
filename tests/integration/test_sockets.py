"""Socket.IO handlers with the threading test client: exact events and acknowledgements."""

from __future__ import annotations

from typing import Any

import pytest


def events(client: Any) -> list[tuple[str, Any]]:
    """Return (name, first argument) of everything a test client received since last asked."""
    return [(m["name"], m["args"][0] if m["args"] else None) for m in client.get_received()]


def submit(client: Any, session: str, client_id: str, text: Any) -> Any:
    return client.emit(
        "submit_contribution", {"session": session, "client_id": client_id, "text": text}, callback=True
    )


def test_join_session_sends_state_to_that_client_only(phones: Any, host_socket: Any, bijeenkomst: dict) -> None:
    received = events(host_socket)
    assert [name for name, _ in received] == ["session_state"]
    state = received[0][1]
    assert state["role"] == "host"
    assert state["session"]["join_code"] == bijeenkomst["join_code"]
    assert state["session"]["title"] == "Dialoogsessie"
    assert state["step"]["workformat"] == "open_vraag"
    assert state["contributions"] == []
    assert state["participants"] == {"joined": 0, "connected": 0, "tables": [], "perspectives": []}

    phone = phones.join(table=4, perspective="onderwijs")
    phone_events = events(phone)
    assert [name for name, _ in phone_events] == ["session_state"]
    me = phone_events[0][1]["me"]
    assert me == {"number": 1, "table": 4, "perspective": "onderwijs", "roles": {}, "rejoin_code": me["rejoin_code"]}
    assert phone_events[0][1]["step"]["prompt"].startswith("Wat houdt je bezig")
    # The host hears about the join over HTTP and the socket join: counts only, no session_state.
    assert events(host_socket) == [
        ("participants_changed", {"joined": 1, "connected": 0, "tables": [TABLE_4_OFFLINE], "perspectives": ONDERWIJS}),
        ("participants_changed", {"joined": 1, "connected": 1, "tables": [TABLE_4_ONLINE], "perspectives": ONDERWIJS}),
    ]


#: Counts per perspective, in the bijeenkomst's order: one phone joined as "onderwijs".
ONDERWIJS = [{"id": "onderwijs", "joined": 1}]
TABLE_4_OFFLINE = {"number": 4, "name": "", "joined": 1, "connected": 0}
TABLE_4_ONLINE = {"number": 4, "name": "", "joined": 1, "connected": 1}


def test_submit_is_acked_with_the_client_id_and_reaches_the_host(phones: Any, host_socket: Any, bijeenkomst: dict) -> None:
    phone = phones.join(table=2, perspective="ouder")
    events(host_socket), events(phone)
    ack = submit(phone, bijeenkomst["id"], "client-id-0001", "  Meer tijd voor gesprekken met ouders  ")
    assert ack == {"ok": True, "id": "client-id-0001"}
    host_events = events(host_socket)
    assert len(host_events) == 1
    name, payload = host_events[0]
    assert name == "contribution_added"
    contribution = payload["contribution"]
    assert contribution["id"] == "client-id-0001"
    assert contribution["text"] == "Meer tijd voor gesprekken met ouders"
    assert (contribution["table"], contribution["perspective"], contribution["hidden"]) == (2, "ouder", False)
    assert set(contribution) == {  # no participant id
        "id", "agenda_item", "phase", "kind", "text", "concealed", "created_at", "table", "perspective", "hidden",
        "bucket", "tags", "ranking", "owner", "due", "function", "shared", "starred", "slot", "pending",
    }
    assert [name for name, _ in events(phone)] == ["contribution_added"]  # the author's own room


def test_resend_with_same_id_stores_nothing_and_gets_the_same_ack(phones: Any, host_socket: Any, bijeenkomst: dict, deps: Any) -> None:
    phone = phones.join()
    events(host_socket)
    first = submit(phone, bijeenkomst["id"], "same-id-123", "Eerste versie")
    again = submit(phone, bijeenkomst["id"], "same-id-123", "Eerste versie")
    changed = submit(phone, bijeenkomst["id"], "same-id-123", "Andere tekst")
    assert first == again == changed == {"ok": True, "id": "same-id-123"}
    assert [name for name, _ in events(host_socket)] == ["contribution_added"]
    stored = deps.repo.list_contributions(bijeenkomst["id"])
    assert [(c.id, c.text) for c in stored] == [("same-id-123", "Eerste versie")]


def test_another_phone_cannot_reuse_someone_elses_id(phones: Any, bijeenkomst: dict, deps: Any) -> None:
    alice, bob = phones.join(), phones.join()
    assert submit(alice, bijeenkomst["id"], "shared-id-1", "van Alice") == {"ok": True, "id": "shared-id-1"}
    ack = submit(bob, bijeenkomst["id"], "shared-id-1", "van Bob")
    assert ack["ok"] is False and ack["error"]["code"] == "duplicate_id"
    assert [c.text for c in deps.repo.list_contributions(bijeenkomst["id"])] == ["van Alice"]


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"client_id": "abcdefgh1", "text": "x" * 501}, {"code": "text_too_long", "message": "Je tekst is te lang. Het maximum is 500 tekens."}),
        ({"client_id": "abcdefgh1", "text": "   \n "}, {"code": "text_empty", "message": "Je tekst is leeg. Typ eerst iets."}),
        ({"client_id": "abcdefgh1", "text": 42}, {"code": "invalid_input", "field": "text", "message": "Dit bericht klopt niet. Ververs de pagina en probeer het opnieuw."}),
        ({"client_id": "abcdefgh1", "text": ["lijst"]}, {"code": "invalid_input", "field": "text", "message": "Dit bericht klopt niet. Ververs de pagina en probeer het opnieuw."}),
        ({"client_id": "kort", "text": "hallo"}, {"code": "invalid_input", "field": "client_id", "message": "Dit bericht klopt niet. Ververs de pagina en probeer het opnieuw."}),
        ({"client_id": None, "text": "hallo"}, {"code": "invalid_input", "field": "client_id", "message": "Dit bericht klopt niet. Ververs de pagina en probeer het opnieuw."}),
        ({"client_id": "abcdefgh1", "text": "\ud800 los"}, {"code": "unstorable_text", "field": "text", "message": "Je tekst bevat een teken dat niet bewaard kan worden (bijvoorbeeld een half emoji-teken). Haal het weg en probeer het opnieuw."}),
    ],
)
def test_bad_submissions_get_a_dutch_error_ack(phones: Any, bijeenkomst: dict, deps: Any, payload: dict, error: dict) -> None:
    phone = phones.join()
    ack = phone.emit("submit_contribution", {"session": bijeenkomst["id"], **payload}, callback=True)
    assert ack == {"ok": False, "error": error}
    assert deps.repo.list_contributions(bijeenkomst["id"]) == []
    assert phone.is_connected()


@pytest.mark.parametrize("payload", [None, "tekst", 12, [1, 2], {"session": 5}, {"session": ["a"]}])
def test_malformed_payloads_never_disconnect_anyone(phones: Any, bijeenkomst: dict, payload: Any) -> None:
    phone, bystander = phones.join(), phones.join()
    for event in ("submit_contribution", "join_session", "set_contribution_hidden"):
        ack = phone.emit(event, payload, callback=True)
        assert ack["ok"] is False
        assert ack["error"]["code"] == "invalid_input"
    assert phone.is_connected() and bystander.is_connected()
    assert submit(bystander, bijeenkomst["id"], "bystander-1", "nog steeds welkom") == {"ok": True, "id": "bystander-1"}


def test_unknown_bijeenkomst_gets_a_clear_error(phones: Any) -> None:
    phone = phones.join()
    for session in ("000000000000", "niet-een-id"):
        ack = phone.emit("submit_contribution", {"session": session, "client_id": "abcdefgh1", "text": "x"}, callback=True)
        assert ack == {
            "ok": False,
            "error": {"code": "session_not_found", "message": "Deze bijeenkomst bestaat niet (meer). Controleer de code."},
        }


def test_events_before_joining_or_without_token_are_refused(app: Any, socketio: Any, bijeenkomst: dict, deps: Any) -> None:
    stranger = socketio.test_client(app)
    ack = submit(stranger, bijeenkomst["id"], "abcdefgh1", "hallo")
    assert ack["error"]["code"] == "not_joined"
    ack = stranger.emit("join_session", {"session": bijeenkomst["id"], "role": "participant"}, callback=True)
    assert ack == {
        "ok": False,
        "error": {
            "code": "not_joined",
            "message": "Je bent niet (meer) aangemeld bij deze bijeenkomst. Scan de QR-code opnieuw.",
        },
    }
    forged = stranger.emit("join_session", {"session": bijeenkomst["id"], "role": "participant", "token": "x" * 32}, callback=True)
    assert forged["error"]["code"] == "not_joined"
    assert [name for name, _ in events(stranger)] == []
    assert deps.repo.list_contributions(bijeenkomst["id"]) == []


def test_a_phone_can_never_act_as_host(phones: Any, app: Any, socketio: Any, bijeenkomst: dict, deps: Any) -> None:
    phone = phones.join()
    assert submit(phone, bijeenkomst["id"], "abcdefgh1", "mijn tekst")["ok"] is True
    refused = {"ok": False, "error": {"code": "not_authorised", "message": "Dit mag alleen de gespreksleider."}}
    assert phone.emit("set_contribution_hidden", {"session": bijeenkomst["id"], "id": "abcdefgh1", "hidden": True}, callback=True) == refused
    # Joining as host with a participant's token, or a forged one, is refused too.
    for token in (phone.token, "forged-" + "a" * 30, None):
        payload = {"session": bijeenkomst["id"], "role": "host"} | ({"token": token} if token else {})
        assert phone.emit("join_session", payload, callback=True) == refused
    assert deps.repo.get_contribution(bijeenkomst["id"], "abcdefgh1").hidden is False


def test_hiding_reaches_every_host_screen_and_the_author(phones: Any, host_socket: Any, app: Any, socketio: Any, host_http: Any, bijeenkomst: dict) -> None:
    second_host = socketio.test_client(app, flask_test_client=host_http)
    second_host.emit("join_session", {"session": bijeenkomst["id"], "role": "host"}, callback=True)
    author, other = phones.join(), phones.join()
    submit(author, bijeenkomst["id"], "to-hide-01", "Een naam die hier niet hoort")
    for client in (host_socket, second_host, author, other):
        events(client)
    ack = host_socket.emit("set_contribution_hidden", {"session": bijeenkomst["id"], "id": "to-hide-01", "hidden": True}, callback=True)
    assert ack == {"ok": True, "id": "to-hide-01", "hidden": True}
    for client in (host_socket, second_host, author):
        received = events(client)
        assert [name for name, _ in received] == ["contribution_updated"]
        assert received[0][1]["contribution"]["hidden"] is True
    assert events(other) == []
    # Hiding twice changes nothing and broadcasts nothing; showing again broadcasts once.
    assert host_socket.emit("set_contribution_hidden", {"session": bijeenkomst["id"], "id": "to-hide-01", "hidden": True}, callback=True)["ok"]
    assert events(second_host) == []
    host_socket.emit("set_contribution_hidden", {"session": bijeenkomst["id"], "id": "to-hide-01", "hidden": False}, callback=True)
    assert [p["contribution"]["hidden"] for _, p in events(second_host)] == [False]
    missing = host_socket.emit("set_contribution_hidden", {"session": bijeenkomst["id"], "id": "no-such-id", "hidden": True}, callback=True)
    assert missing["error"]["code"] == "contribution_not_found"


def test_reconnect_gets_full_state_with_hidden_items_marked(phones: Any, host_socket: Any, app: Any, socketio: Any, bijeenkomst: dict) -> None:
    phone = phones.join()
    submit(phone, bijeenkomst["id"], "keep-0001", "blijft staan")
    submit(phone, bijeenkomst["id"], "hide-0001", "wordt verborgen")
    host_socket.emit("set_contribution_hidden", {"session": bijeenkomst["id"], "id": "hide-0001", "hidden": True}, callback=True)
    phone.disconnect()
    again = socketio.test_client(app, auth={"token": phone.token})
    assert again.emit("join_session", {"session": bijeenkomst["id"], "role": "participant"}, callback=True)["ok"]
    [(name, state)] = events(again)
    assert name == "session_state"
    # Its own hidden item comes back marked, so the phone does not say "Nog niets verstuurd" (issue 14, point 6).
    assert [(c["id"], c["status"]) for c in state["contributions"]] == [("keep-0001", "sent"), ("hide-0001", "hidden")]
    host_state = host_socket.emit("join_session", {"session": bijeenkomst["id"], "role": "host"}, callback=True)
    assert host_state == {"ok": True, "role": "host"}
    snapshot = [p for n, p in events(host_socket) if n == "session_state"][-1]
    assert [(c["id"], c["hidden"]) for c in snapshot["contributions"]] == [("keep-0001", False), ("hide-0001", True)]
    again.disconnect()


def test_disconnect_updates_the_connected_count(phones: Any, host_socket: Any) -> None:
    phone = phones.join()
    events(host_socket)
    phone.disconnect()
    assert events(host_socket) == [
        ("participants_changed", {"joined": 1, "connected": 0, "tables": [{"number": None, "name": "", "joined": 1, "connected": 0}],
                                  "perspectives": []})
    ]


def test_error_messages_follow_the_phone_language(app: Any, socketio: Any, bijeenkomst: dict) -> None:
    http = app.test_client()
    token = http.post(f"/j/{bijeenkomst['join_code']}", json={}).get_json()["token"]
    http.get(f"/p/{bijeenkomst['id']}?lang=en")  # the phone switched to English (its rd_lang cookie)
    english = socketio.test_client(app, auth={"token": token}, flask_test_client=http)
    english.emit("join_session", {"session": bijeenkomst["id"], "role": "participant"}, callback=True)
    ack = submit(english, bijeenkomst["id"], "abcdefgh1", "")
    assert ack == {"ok": False, "error": {"code": "text_empty", "message": "Your text is empty. Type something first."}}


def test_per_participant_limit_is_enforced(phones: Any, bijeenkomst: dict) -> None:
    phone = phones.join()
    acks = [submit(phone, bijeenkomst["id"], f"limit-{i:04d}", f"antwoord {i}") for i in range(21)]
    assert [a["ok"] for a in acks] == [True] * 20 + [False]
    assert acks[-1]["error"] == {"code": "limit_reached", "message": "Je hebt het maximum van 20 bijdragen bereikt."}


def test_a_refused_join_keeps_the_current_one(phones: Any, bijeenkomst: dict, host_socket: Any) -> None:
    phone = phones.join()
    events(host_socket)
    assert phone.emit("join_session", {"session": bijeenkomst["id"], "role": "host"}, callback=True)["ok"] is False
    assert submit(phone, bijeenkomst["id"], "still-joined-1", "nog steeds aangemeld") == {"ok": True, "id": "still-joined-1"}
    assert [name for name, _ in events(host_socket)] == ["contribution_added"]


def test_joining_another_bijeenkomst_leaves_the_old_rooms(app: Any, socketio: Any, host_http: Any, host_socket: Any, phones: Any, bijeenkomst: dict) -> None:
    other = host_http.post("/host/sessions", json={"title": "Andere sessie"}).get_json()
    assert host_socket.emit("join_session", {"session": other["id"], "role": "host"}, callback=True)["ok"]
    events(host_socket)
    phone = phones.join()
    submit(phone, bijeenkomst["id"], "for-a-only-1", "alleen voor A")
    assert events(host_socket) == []
