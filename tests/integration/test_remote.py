"""The facilitator's phone remote: its own revocable token per bijeenkomst grants the remote's few host events and
nothing else (every host event is tried with it, found from the handlers themselves); a revoked token, a phone's
token, the join code or another bijeenkomst's remote token are refused; the remote's page needs it; it never
reaches a phone or the beamer; it does not open a host page.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from facilitator.core import services
from tests.conftest import HOST_KEY
from tests.integration.test_authorisation import (  # noqa: F401  (guarded is a fixture)
    HOST_EVENTS,
    NOT_AUTHORISED,
    data_files,
    guarded,
    payload_for,
)

#: What the remote may do, written down here on purpose: a new host event is refused to it unless added here.
ALLOWED = {"advance_phase", "previous_phase", "control_timer", "reveal_phase", "approve_contribution",
           "set_contribution_hidden"}


def new_remote(room: dict[str, Any]) -> tuple[str, str]:
    """Make a remote token on the regie; return it and the address its QR code names."""
    host_http = room["host_http"]
    answer = host_http.post(f"/host/s/{room['id']}/remote-token", json={})
    assert answer.status_code == 201
    url = answer.get_json()["url"]
    prefix = f"/r/{room['id']}/"
    assert prefix in url
    return url.split(prefix, 1)[1], url


def remote_client(room: dict[str, Any], token: str) -> Any:
    """A phone that opened the remote's QR code: its cookie set by /r/…, then joined as the remote."""
    app, socketio = room["app"], room["deps"].realtime.socketio
    http = app.test_client()
    opened = http.get(f"/r/{room['id']}/{token}")
    assert opened.status_code == 303 and opened.headers["Location"].endswith(f"/host/s/{room['id']}/remote")
    client = socketio.test_client(app, flask_test_client=http)
    ack = client.emit("join_session", {"session": room["id"], "role": "remote"}, callback=True)
    assert ack == {"ok": True, "role": "remote"}
    client.http = http
    return client


@pytest.fixture
def room(guarded: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    host_http = guarded["app"].test_client()
    assert host_http.get(f"/host/login?key={HOST_KEY}").status_code == 303
    return {**guarded, "host_http": host_http}


def test_the_catalogue_names_the_remotes_events() -> None:
    from facilitator.web.realtime.events import REMOTE_EVENTS
    assert set(REMOTE_EVENTS) == ALLOWED and ALLOWED <= set(HOST_EVENTS)


def test_a_remote_token_grants_only_the_remotes_events(room: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    token, _url = new_remote(room)
    passed, refused = set(), set()
    for event in HOST_EVENTS:
        client = remote_client(room, token)
        client.get_received()
        before = data_files(room["folder"])
        with caplog.at_level(logging.INFO):
            ack = client.emit(event, payload_for(event, room), callback=True)
        if ack == NOT_AUTHORISED:
            refused.add(event)
            assert data_files(room["folder"]) == before, event
        else:
            assert ack.get("error", {}).get("code") != "not_authorised", (event, ack)
            passed.add(event)
        client.disconnect()
    assert passed == ALLOWED
    assert refused == set(HOST_EVENTS) - ALLOWED
    assert token not in "\n".join(r.getMessage() for r in caplog.records)


def test_a_revoked_token_is_refused_at_once(room: dict[str, Any]) -> None:
    token, _url = new_remote(room)
    client = remote_client(room, token)
    client.get_received()
    assert client.emit("advance_phase", {"session": room["id"]}, callback=True)["ok"] is True
    newer, _url = new_remote(room)  # "Intrekken": revokes the old one and makes a new one
    assert newer != token
    assert "remote_revoked" in [m["name"] for m in client.get_received()]
    assert client.emit("previous_phase", {"session": room["id"]}, callback=True) == NOT_AUTHORISED
    again = room["app"].test_client()
    assert again.get(f"/r/{room['id']}/{token}").status_code == 403
    stranger = room["deps"].realtime.socketio.test_client(room["app"])
    ack = stranger.emit("join_session", {"session": room["id"], "role": "remote", "token": token}, callback=True)
    assert ack == NOT_AUTHORISED
    # The old phone's cookie no longer opens the page either; the new token does.
    assert client.http.get(f"/host/s/{room['id']}/remote").status_code == 403
    assert remote_client(room, newer).emit("previous_phase", {"session": room["id"]}, callback=True)["ok"] is True


def test_no_phone_token_join_code_or_other_bijeenkomst_makes_a_remote(room: dict[str, Any]) -> None:
    token, _url = new_remote(room)
    socketio = room["deps"].realtime.socketio
    for presented in (room["token"], room["join_code"], HOST_KEY, "forged-" + "A" * 40, None):
        client = socketio.test_client(room["app"])
        payload = {"session": room["id"], "role": "remote", **({"token": presented} if presented else {})}
        assert client.emit("join_session", payload, callback=True) == NOT_AUTHORISED, presented
        assert client.emit("advance_phase", {"session": room["id"]}, callback=True) == NOT_AUTHORISED
        client.disconnect()
    # A joined phone with its own cookie cannot become the remote either.
    assert room["phone"].emit("join_session", {"session": room["id"], "role": "remote"}, callback=True) == NOT_AUTHORISED
    # Another bijeenkomst's remote token steers only that one.
    other = room["host_http"].post("/host/sessions", json={"title": "Andere"}).get_json()
    other_token = room["host_http"].post(f"/host/s/{other['id']}/remote-token", json={}).get_json()["url"].rsplit("/", 1)[1]
    client = socketio.test_client(room["app"])
    ack = client.emit("join_session", {"session": room["id"], "role": "remote", "token": other_token}, callback=True)
    assert ack == NOT_AUTHORISED
    assert room["app"].test_client().get(f"/r/{room['id']}/{other_token}").status_code == 403
    mine = remote_client(room, token)
    assert mine.emit("advance_phase", {"session": other["id"]}, callback=True) == NOT_AUTHORISED


def test_the_remote_page_needs_the_token_and_the_token_opens_nothing_else(room: dict[str, Any]) -> None:
    sid = room["id"]
    stranger = room["app"].test_client()
    assert stranger.get(f"/host/s/{sid}/remote").status_code == 403
    assert stranger.get(f"/r/{sid}/{'x' * 32}").status_code == 403
    token, _url = new_remote(room)
    client = remote_client(room, token)
    page = client.http.get(f"/host/s/{sid}/remote")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert token not in html and room["join_code"] not in html
    set_cookie = [h for k, h in client.http.get(f"/r/{sid}/{token}").headers.items() if k == "Set-Cookie"]
    assert set_cookie and "HttpOnly" in set_cookie[0]
    # Every host page and download (found from Flask's url_map) stays closed to the remote's cookie.
    paths = []
    for rule in room["app"].url_map.iter_rules():
        if rule.endpoint == "remote.page" or "GET" not in rule.methods or not rule.rule.startswith("/host"):
            continue
        if set(rule.arguments) - {"session_id"}:
            continue
        paths.append(rule.rule.replace("<session_id>", sid))
    assert len(paths) >= 8
    for path in paths:
        assert client.http.get(path).status_code == 403, path
    assert client.http.post(f"/host/s/{sid}/remote-token", json={}).status_code == 403


def test_the_token_never_reaches_the_phones_the_beamer_or_the_regies_state(room: dict[str, Any]) -> None:
    sid = room["id"]
    app, socketio = room["app"], room["deps"].realtime.socketio
    beamer = socketio.test_client(app, flask_test_client=room["host_http"])
    assert beamer.emit("join_session", {"session": sid, "role": "beamer"}, callback=True)["ok"] is True
    token, _url = new_remote(room)
    remote = remote_client(room, token)
    assert remote.emit("advance_phase", {"session": sid}, callback=True)["ok"] is True
    assert remote.emit("control_timer", {"session": sid, "action": "start"}, callback=True)["ok"] is True
    room["phone"].emit("join_session", {"session": sid, "role": "participant"}, callback=True)
    room["host"].emit("join_session", {"session": sid, "role": "host"}, callback=True)
    for client in (room["phone"], beamer, room["host"]):
        frames = json.dumps(client.get_received(), ensure_ascii=False)
        assert token not in frames and services.hash_token(token) not in frames
    phone_page = room["app"].test_client().get(f"/p/{sid}").get_data(as_text=True)
    assert token not in phone_page


def test_the_remote_hears_its_compact_state_as_the_regie_steers(room: dict[str, Any]) -> None:
    sid = room["id"]
    token, _url = new_remote(room)
    remote = remote_client(room, token)
    state = [m["args"][0] for m in remote.get_received() if m["name"] == "session_state"][-1]
    assert state["role"] == "remote" and state["step"]["item_index"] == 0
    assert set(state) == {"role", "session", "step", "next", "timer", "pending", "pending_count", "concealed"}
    assert room["host"].emit("go_to_phase", {"session": sid, "item": 1, "phase": 0}, callback=True)["ok"] is True
    states = [m["args"][0] for m in remote.get_received() if m["name"] == "session_state"]
    assert states and states[-1]["step"]["item_index"] == 1
    names = {m["name"] for m in remote.get_received()}
    assert names <= {"session_state"}


def test_a_remote_token_is_only_ever_stored_hashed(room: dict[str, Any]) -> None:
    token, _url = new_remote(room)
    stored = b"".join(data_files(room["folder"]).values())
    assert token.encode() not in stored
    assert services.hash_token(token).encode() in stored


def test_a_remote_token_carries_192_bits_and_is_new_every_time(room: dict[str, Any]) -> None:
    tokens = {new_remote(room)[0] for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(t) == 32 for t in tokens)  # 24 random bytes, URL-safe base64


def remote_states(remote: Any) -> list[dict[str, Any]]:
    return [m["args"][0] for m in remote.get_received() if m["name"] == "session_state"]


def test_the_remote_is_rebuilt_only_when_something_it_shows_may_have_changed(room: dict[str, Any]) -> None:
    """What phones do all afternoon (joining, choosing a table, placing cards and dots, the closing opt-ins) and the
    regie's tables, board, roles and beamer view change nothing on the remote: no state is built or sent for them.
    A new contribution, the timer and a phase change still reach it."""
    sid, deps = room["id"], room["deps"]
    token, _url = new_remote(room)
    remote = remote_client(room, token)
    remote.get_received()
    built: list[str] = []
    build = deps.realtime.states.remote

    def counted(session_id: str) -> dict[str, Any]:
        built.append(session_id)
        return build(session_id)

    deps.realtime.states.remote = counted  # the one builder the publisher calls (refresh_remotes)
    host, phone = room["host"], room["phone"]

    def as_host(event: str, **payload: Any) -> None:
        assert host.emit(event, {"session": sid, **payload}, callback=True)["ok"] is True, event

    def as_phone(client: Any, event: str, **payload: Any) -> None:
        assert client.emit(event, {"session": sid, **payload}, callback=True)["ok"] is True, event

    as_host("set_tables", tables=["Maan", "Zon"])
    as_phone(phone, "choose_table", table=1)
    second = room["app"].test_client()
    assert second.post(f"/j/{room['join_code']}", json={"table": 2}).status_code == 200
    other = deps.realtime.socketio.test_client(room["app"], flask_test_client=second)
    assert other.emit("join_session", {"session": sid, "role": "participant"}, callback=True)["ok"] is True
    as_host("edit_board", item=room["board_item"], action="add_theme", name="Vertrouwen")
    board_item = deps.repo.get_session(sid).agenda[0].id
    as_host("edit_board", item=board_item, action="add_theme", name="Tijd", cards=["bewaakt-001"])
    as_host("set_beamer_view", large=True)
    as_host("set_closing", closing=True)
    as_phone(phone, "request_verslag", email="anna@example.org", consent=True)
    assert built == [] and remote_states(remote) == []

    as_phone(other, "submit_contribution", client_id="bewaakt-002", text="Tweede")
    as_host("control_timer", action="start")
    as_host("advance_phase")
    assert built == [sid, sid, sid] and len(remote_states(remote)) == 3
