"""Nobody but the facilitator acts as the host, and nobody guesses their way in.

Every host-only event (found from the handlers themselves, so a new one is covered without editing this file)
sent without a token, with a phone's token or with a forged one is refused, changes no byte on disk, reaches
no screen and leaves one log line with the event's name (and no token, address or user agent). Every host POST
route (found from Flask's url_map) answers 403 without the key and for a foreign Origin. Tokens carry at least
128 random bits. Wrong join and role codes are throttled per address and in all. A Socket.IO handshake from a
foreign Origin is refused.
"""

from __future__ import annotations

import ast
import base64
import logging
import re
import secrets
import stat
from pathlib import Path
from typing import Any

import pytest

from facilitator import create_app
from facilitator.core import services
from facilitator.core.services.base import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, ROLE_CODE_LENGTH, new_join_code
from facilitator.web.guards import frames
from facilitator.web.guards.throttle import GuessThrottle
from facilitator.web.host import sockets as host_sockets
from facilitator.web.participant import sockets as participant_sockets
from facilitator.web.realtime import events as catalogue
from tests.conftest import HOST_KEY

NOT_AUTHORISED = {"ok": False, "error": {"code": "not_authorised", "message": "Dit mag alleen de gespreksleider."}}
TOO_MANY = "Te veel pogingen met een code die niet klopt. Wacht een minuut en probeer het opnieuw."
USER_AGENT = "Canary-Agent/7.7 (attacker)"
FORGED = "forged-" + "A" * 40


# -- which events are host-only: asked of the handlers, not written down here ------------------------


class _Recorder:
    """Stands in for the Socket.IO server while a handler module registers itself: notes the event names."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def on(self, event: str) -> Any:
        self.events.append(event)
        return lambda function: function


class _RecordingRealtime:
    def __init__(self) -> None:
        self.socketio = _Recorder()


def registered_by(module: Any) -> list[str]:
    """Return the events a handler module registers."""
    fake = _RecordingRealtime()
    module.register(fake)
    return fake.socketio.events


HOST_EVENTS = registered_by(host_sockets)
PHONE_EVENTS = registered_by(participant_sockets)


def _constants_documented_as_host_events() -> set[str]:
    """Return the client events whose `#:` comment in realtime/events.py says the host sends them."""
    source = Path(catalogue.__file__).read_text(encoding="utf-8")
    lines = source.splitlines()
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            start = node.lineno - 2
            while start > 0 and lines[start - 1].strip().startswith("#:"):
                start -= 1  # the first line of a comment that runs over several
            comment = lines[start].strip()
            target = node.targets[0]
            if isinstance(target, ast.Name) and comment.startswith("#: The host"):
                names.add(node.value.value)
    return names


def test_every_client_event_belongs_to_exactly_one_audience() -> None:
    assert len(HOST_EVENTS) == len(set(HOST_EVENTS))
    assert set(HOST_EVENTS) & set(PHONE_EVENTS) == set()
    assert sorted([*HOST_EVENTS, *PHONE_EVENTS, catalogue.JOIN_SESSION]) == sorted(catalogue.CLIENT_EVENTS)
    assert set(HOST_EVENTS) == _constants_documented_as_host_events()
    # The newest host events are among them (this file needs no edit when another is added).
    assert {"set_closing", "edit_board", "suggest_themes", "create_role_code"} <= set(HOST_EVENTS)


def test_the_app_listens_to_exactly_the_catalogued_events(socketio: Any) -> None:
    # Besides the catalogue: the connection's own events, and the stand-in for a frame that could not be read.
    expected = {*catalogue.CLIENT_EVENTS, "connect", "disconnect", frames.UNREADABLE_FRAME}
    assert set(socketio.server.handlers["/"]) == expected


# -- host events from anyone else --------------------------------------------------------------------


def data_files(folder: Path) -> dict[str, bytes]:
    """Return every file under the data folder with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def guarded(tmp_path: Path) -> dict[str, Any]:
    """A bijeenkomst on disk with a rode-draden item, a host screen and a phone that sent one contribution."""
    app = create_app({"STORAGE": "tinydb", "DATA_DIR": str(tmp_path), "HOST_KEY": HOST_KEY, "TESTING": True})
    deps = app.extensions["rode_draad"]
    host_http = app.test_client()
    assert host_http.get(f"/host/login?key={HOST_KEY}").status_code == 303
    made = host_http.post("/host/sessions", json={"title": "Bewaakt"}).get_json()
    board_item, _ = services.add_agenda_item(deps.repo, deps.registry, made["id"], "rode_draden", None)
    socketio = deps.realtime.socketio
    host = socketio.test_client(app, flask_test_client=host_http)
    assert host.emit("join_session", {"session": made["id"], "role": "host"}, callback=True)["ok"] is True
    phone_http = app.test_client()
    token = phone_http.post(f"/j/{made['join_code']}", json={}).get_json()["token"]
    phone = socketio.test_client(app, flask_test_client=phone_http)
    assert phone.emit("join_session", {"session": made["id"], "role": "participant"}, callback=True)["ok"] is True
    ack = phone.emit("submit_contribution", {"session": made["id"], "client_id": "bewaakt-001", "text": "Eerste"},
                     callback=True)
    assert ack == {"ok": True, "id": "bewaakt-001"}
    host.get_received()
    phone.get_received()
    return {"app": app, "deps": deps, "id": made["id"], "join_code": made["join_code"], "host": host,
            "phone": phone, "token": token, "board_item": board_item.id, "folder": tmp_path}


def payload_for(event: str, room: dict[str, Any]) -> dict[str, Any]:
    """Return a payload the facilitator could send for an event (the session alone for one not listed)."""
    fields: dict[str, dict[str, Any]] = {
        "set_contribution_hidden": {"id": "bewaakt-001", "hidden": True},
        "move_contribution": {"id": "bewaakt-001", "bucket": "meta_positie"},
        "go_to_phase": {"item": 1, "phase": 0},
        "control_timer": {"action": "start"},
        "set_tables": {"tables": ["Gekaapt"]},
        "assign_role": {"role": "inbrenger", "number": 1},
        "create_role_code": {"role": "inbrenger"},
        "clear_role": {"role": "inbrenger"},
        "edit_board": {"item": room["board_item"], "action": "add_theme", "name": "Gekaapt"},
        "suggest_themes": {"item": room["board_item"], "mode": "suggest"},
        "set_closing": {"closing": True},
    }
    return {"session": room["id"], **fields.get(event, {})}


def attacker(room: dict[str, Any], kind: str) -> Any:
    """Return a Socket.IO client that is anything but the facilitator."""
    app, socketio = room["app"], room["deps"].realtime.socketio
    headers = {"User-Agent": USER_AGENT}
    if kind == "no_token":  # connected, never joined
        return socketio.test_client(app, headers=headers)
    if kind == "no_token_host_join":  # asked to join as host without any token
        client = socketio.test_client(app, headers=headers)
        assert client.emit("join_session", {"session": room["id"], "role": "host"}, callback=True) == NOT_AUTHORISED
        return client
    if kind == "participant":  # a joined phone, with its own cookie
        http = app.test_client()
        http.post(f"/j/{room['join_code']}", json={})
        client = socketio.test_client(app, flask_test_client=http, headers=headers)
        assert client.emit("join_session", {"session": room["id"], "role": "participant"}, callback=True)["ok"]
        return client
    if kind == "participant_token_as_host":  # a phone presenting its participant token as the host's
        client = socketio.test_client(app, auth={"token": room["token"]}, headers=headers)
        ack = client.emit("join_session", {"session": room["id"], "role": "host", "token": room["token"]}, callback=True)
        assert ack == NOT_AUTHORISED
        return client
    if kind == "forged_token":
        client = socketio.test_client(app, headers=headers)
        ack = client.emit("join_session", {"session": room["id"], "role": "host", "token": FORGED}, callback=True)
        assert ack == NOT_AUTHORISED
        return client
    if kind == "forged_cookie":
        http = app.test_client()
        http.set_cookie("rd_host", FORGED)
        client = socketio.test_client(app, flask_test_client=http, headers=headers)
        assert client.emit("join_session", {"session": room["id"], "role": "host"}, callback=True) == NOT_AUTHORISED
        return client
    raise AssertionError(kind)


ATTACKERS = ["no_token", "no_token_host_join", "participant", "participant_token_as_host", "forged_token",
             "forged_cookie"]


@pytest.mark.parametrize("kind", ATTACKERS)
def test_every_host_event_is_refused_and_logged_without_secrets(
    guarded: dict[str, Any], kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    room = guarded
    clients = {event: attacker(room, kind) for event in HOST_EVENTS}  # a phone's HTTP join writes: done first
    room["host"].get_received()
    before = data_files(room["folder"])
    accepted = []
    for event, client in clients.items():
        caplog.clear()
        with caplog.at_level(logging.INFO):
            ack = client.emit(event, payload_for(event, room), callback=True)
        if ack != NOT_AUTHORISED:
            accepted.append((event, ack))
        assert [r.getMessage() for r in caplog.records] == [f"{event} refused: not the facilitator"], event
        assert client.is_connected()
        client.disconnect()
    assert accepted == []
    assert data_files(room["folder"]) == before  # not one byte changed on disk
    # The host screen heard nothing but phones leaving (attackers that had joined as phones disconnecting).
    assert {m["name"] for m in room["host"].get_received()} <= {"participants_changed"}
    assert [m["name"] for m in room["phone"].get_received()] == []


def test_refusal_logs_carry_no_token_address_or_user_agent(guarded: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    room = guarded
    with caplog.at_level(logging.DEBUG):
        for kind in ATTACKERS:
            client = attacker(room, kind)
            for event in HOST_EVENTS:
                client.emit(event, payload_for(event, room), callback=True)
            client.disconnect()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "refused: not the facilitator" in text
    for secret in (room["token"], FORGED, HOST_KEY, USER_AGENT, "Canary-Agent", "127.0.0.1"):
        assert secret not in text


def test_the_facilitator_is_not_refused_the_same_payloads(guarded: dict[str, Any]) -> None:
    """The payloads above are real: sent by the host none of them is refused as unauthorised."""
    room = guarded
    for event in HOST_EVENTS:
        ack = room["host"].emit(event, payload_for(event, room), callback=True)
        assert ack.get("error", {}).get("code") != "not_authorised", (event, ack)


def test_a_claimed_role_code_grants_a_role_and_nothing_of_the_host(guarded: dict[str, Any]) -> None:
    room = guarded
    room["host"].emit("go_to_phase", {"session": room["id"], "item": 1, "phase": 0}, callback=True)
    deps = room["deps"]
    services.add_agenda_item(deps.repo, deps.registry, room["id"], "roddelmethode", None)
    room["host"].emit("go_to_phase", {"session": room["id"], "item": 2, "phase": 0}, callback=True)
    code = room["host"].emit("create_role_code", {"session": room["id"], "role": "inbrenger"}, callback=True)["code"]
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}", code)
    phone = room["phone"]
    assert phone.emit("claim_role", {"session": room["id"], "code": code}, callback=True)["ok"] is True
    for event in HOST_EVENTS:
        assert phone.emit(event, payload_for(event, room), callback=True) == NOT_AUTHORISED, event


# -- host HTTP routes ------------------------------------------------------------------------------


def host_post_urls(app: Any, session_id: str) -> list[str]:
    """Return a URL for every POST route under /host, with real-looking arguments."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()) or not rule.rule.startswith("/host"):
            continue
        values = {name: session_id if name == "session_id" else "abcdef12" for name in rule.arguments}
        urls.append(rule.build(values, append_unknown=False)[1])
    return urls


def test_every_host_post_route_is_closed_to_strangers_and_to_other_origins(
    app: Any, host_http: Any, bijeenkomst: dict[str, Any]
) -> None:
    urls = host_post_urls(app, bijeenkomst["id"])
    assert len(urls) >= 19  # create, probes, prepare, library, verslag: all found, none forgotten
    assert f"/host/s/{bijeenkomst['id']}/verwijderen" in urls
    stranger = app.test_client()
    own = "http://localhost"
    for url in urls:
        for origin in (None, own, "http://evil.example"):
            headers = {"Origin": origin} if origin else {}
            assert stranger.post(url, data={"title": "x"}, headers=headers).status_code == 403, (url, origin)
            assert stranger.post(url, json={"title": "x"}, headers=headers).status_code == 403, (url, origin)
        # With the key, but from another site's page: refused before anything runs.
        assert host_http.post(url, data={"title": "x"}, headers={"Origin": "http://evil.example"}).status_code == 403, url
        assert host_http.post(url, json={"title": "x"}, headers={"Origin": "null"}).status_code == 403, url
    assert [s.id for s in app.extensions["rode_draad"].repo.list_sessions()] == [bijeenkomst["id"]]


def test_a_wrong_host_key_is_refused_and_logged_without_the_key(app: Any, caplog: pytest.LogCaptureFixture) -> None:
    stranger = from_address(app, "10.6.6.6")
    with caplog.at_level(logging.INFO):
        assert stranger.get(f"/host/login?key={FORGED}").status_code == 403
        assert stranger.get("/host/").status_code == 403
    assert [r.getMessage() for r in caplog.records] == [
        "host.login refused: wrong key", "host.dashboard refused: not the facilitator",
    ]


# -- tokens -----------------------------------------------------------------------------------------


def random_bits(token: str) -> int:
    """Return how many bits a url-safe base64 token carries."""
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8


def test_new_tokens_carry_192_random_bits() -> None:
    tokens = [services.new_token() for _ in range(2000)]
    assert len(set(tokens)) == 2000
    assert {random_bits(t) for t in tokens} == {192}
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", t) for t in tokens)
    # Every bit position varies (a constant prefix or padding would show as a bit always 0 or always 1).
    as_ints = [int.from_bytes(base64.urlsafe_b64decode(t), "big") for t in tokens]
    for bit in range(192):
        ones = sum((value >> bit) & 1 for value in as_ints)
        assert 800 < ones < 1200, (bit, ones)  # binomial(2000, 0.5): 800 is 9 standard deviations away


def test_participant_tokens_from_the_join_route_carry_192_bits_and_only_their_hash_is_stored(
    app: Any, bijeenkomst: dict[str, Any], deps: Any
) -> None:
    tokens = [app.test_client().post(f"/j/{bijeenkomst['join_code']}", json={}).get_json()["token"] for _ in range(20)]
    assert len(set(tokens)) == 20 and {random_bits(t) for t in tokens} == {192}
    for token in tokens:
        participant = deps.repo.participant_by_token_hash(bijeenkomst["id"], services.hash_token(token))
        assert participant is not None and token not in repr(participant)


def test_the_facilitator_key_is_made_with_192_bits_and_kept_private(tmp_path: Path) -> None:
    keys = []
    for n in range(2):
        folder = tmp_path / f"data{n}"
        app = create_app({"STORAGE": "tinydb", "DATA_DIR": str(folder)})
        path = folder / "facilitator.key"
        key = path.read_text(encoding="utf-8").strip()
        assert key == app.config["HOST_KEY"]
        assert random_bits(key) == 192
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        keys.append(key)
    assert keys[0] != keys[1]


def test_a_short_configured_facilitator_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 22 characters"):
        create_app({"STORAGE": "memory", "HOST_KEY": "geheim"})


def test_codes_are_short_by_design_and_drawn_at_random() -> None:
    """Join codes (30 bits) only let a phone join as an anonymous participant; role codes (20 bits) are one-time
    and only give a joined phone a werkvorm role. Neither grants anything of the host; both are throttled."""
    join_codes = {new_join_code(set()) for _ in range(2000)}
    assert len(join_codes) >= 1995
    assert all(re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", c) for c in join_codes)
    assert len(JOIN_CODE_ALPHABET) ** JOIN_CODE_LENGTH == 2**30
    assert len(JOIN_CODE_ALPHABET) ** ROLE_CODE_LENGTH == 2**20


# -- guessing join codes -----------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def with_throttle(app: Any, per_address: int = 10, overall: int = 300) -> FakeClock:
    clock = FakeClock()
    app.extensions["rode_draad"].realtime.code_throttle = GuessThrottle(per_address, overall, 60, clock=clock)
    return clock


def from_address(app: Any, address: str) -> Any:
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": address, "HTTP_USER_AGENT": USER_AGENT})
    return client


def wrong_code(n: int) -> str:
    return f"QQ{n:04d}".replace("0", "Q").replace("1", "R")[:6]


def test_wrong_join_codes_from_one_address_get_429_for_a_while(
    app: Any, bijeenkomst: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    clock = with_throttle(app)
    guesser = from_address(app, "10.9.8.7")
    right = bijeenkomst["join_code"]
    with caplog.at_level(logging.DEBUG):
        statuses = [guesser.post(f"/j/{wrong_code(n)}", json={}).status_code for n in range(10)]
        assert statuses == [404] * 10
        refused = guesser.post(f"/j/{right}", json={})  # the right code too: a refusal tells nothing
        assert refused.status_code == 429
        assert refused.get_json() == {"ok": False, "error": {"code": "too_many_attempts", "message": TOO_MANY}}
        assert refused.headers["Retry-After"] == "60"
        page = guesser.get(f"/j/{right}")
        assert page.status_code == 429 and TOO_MANY in page.get_data(as_text=True)
        assert guesser.post(f"/j/{right}/terug", json={"herstelcode": "x"}).status_code == 429
        # Another phone in the room is not affected.
        assert from_address(app, "10.9.8.6").post(f"/j/{right}", json={}).status_code == 200
        clock.now += 59.9
        assert guesser.post(f"/j/{right}", json={}).status_code == 429
        clock.now += 0.2
        assert guesser.post(f"/j/{right}", json={}).status_code == 200
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "10.9.8." not in text and USER_AGENT not in text
    # In memory only a salted hash stands for the address.
    assert all("10.9.8" not in key for key in app.extensions["rode_draad"].realtime.code_throttle._by_client)  # noqa: SLF001


def test_unknown_session_ids_count_as_wrong_codes_but_a_joined_phone_is_never_held_up(
    app: Any, bijeenkomst: dict[str, Any]
) -> None:
    with_throttle(app, per_address=3)
    phone = from_address(app, "10.4.4.4")
    assert phone.post(f"/j/{bijeenkomst['join_code']}", json={}).status_code == 200  # joined: has its cookie
    assert [phone.get(f"/p/{n:012x}").status_code for n in range(3)] == [404] * 3
    assert phone.get(f"/p/{bijeenkomst['id']}").status_code == 200  # its own page, while the address is blocked
    stranger = from_address(app, "10.4.4.4")  # same address, no cookie: the page would lead to the join code
    assert stranger.get(f"/p/{bijeenkomst['id']}").status_code == 429
    assert stranger.get(f"/p/{0:012x}").status_code == 429


def test_rotating_addresses_meets_the_overall_ceiling(app: Any, bijeenkomst: dict[str, Any]) -> None:
    with_throttle(app, per_address=10, overall=30)
    for n in range(30):
        assert from_address(app, f"10.1.{n}.1").post(f"/j/{wrong_code(n)}", json={}).status_code == 404
    assert from_address(app, "10.2.0.1").post(f"/j/{bijeenkomst['join_code']}", json={}).status_code == 429
    assert from_address(app, "10.2.0.2").get(f"/j/{wrong_code(99)}").status_code == 429


def test_right_codes_are_never_counted_as_guesses(app: Any, bijeenkomst: dict[str, Any]) -> None:
    with_throttle(app, per_address=3)
    code = bijeenkomst["join_code"]
    for n in range(25):  # a whole room joining with the right code, each phone from its own address
        assert from_address(app, f"10.3.3.{n + 1}").post(f"/j/{code}", json={}).status_code == 200
    # One address posting the right code again and again meets the join limit (JOINS_PER_ADDRESS), never this one.
    script = from_address(app, "10.3.4.1")
    answers = [script.post(f"/j/{code}", json={}).get_json() for _ in range(10)]
    assert [a.get("error", {}).get("code") for a in answers] == [None] * 5 + ["too_many_joins"] * 5
    assert from_address(app, "10.3.4.1").get(f"/j/{code}").status_code == 200  # a fresh phone there: no 429


def test_wrong_role_codes_are_throttled_like_join_codes(guarded: dict[str, Any]) -> None:
    room = guarded
    deps = room["deps"]
    with_throttle(room["app"], per_address=10)
    services.add_agenda_item(deps.repo, deps.registry, room["id"], "roddelmethode", None)
    room["host"].emit("go_to_phase", {"session": room["id"], "item": 2, "phase": 0}, callback=True)
    code = room["host"].emit("create_role_code", {"session": room["id"], "role": "inbrenger"}, callback=True)["code"]
    phone = room["phone"]
    wrong = [c for c in ("ZZZZ", "YYYY", "XXXX", "WWWW", "VVVV", "UUUU", "TTTT", "SSSS", "RRRR", "QQQQ") if c != code]
    for guess in wrong[:10]:
        ack = phone.emit("claim_role", {"session": room["id"], "code": guess}, callback=True)
        assert ack["error"]["code"] == "role_code_invalid"
    if len(wrong) < 10:  # the host's code happened to be one of them: one more wrong guess
        phone.emit("claim_role", {"session": room["id"], "code": "PPPP"}, callback=True)
    ack = phone.emit("claim_role", {"session": room["id"], "code": code}, callback=True)
    assert ack == {"ok": False, "error": {"code": "too_many_attempts", "message": TOO_MANY}}
    assert phone.is_connected()


# -- the Socket.IO handshake -------------------------------------------------------------------------


@pytest.mark.parametrize("transport", ["polling", "websocket"])
def test_a_socketio_handshake_from_a_foreign_origin_is_refused(app: Any, transport: str) -> None:
    client = app.test_client()
    url = f"/socket.io/?EIO=4&transport={transport}&t={secrets.token_hex(4)}"
    refused = client.get(url, headers={"Origin": "http://evil.example"})
    assert refused.status_code == 400
    assert refused.get_data(as_text=True) == '"Not an accepted origin."'
    opened = client.get(url.replace(transport, "polling"), headers={"Origin": "http://localhost"})
    assert opened.status_code == 200 and opened.get_data(as_text=True).startswith("0{")
