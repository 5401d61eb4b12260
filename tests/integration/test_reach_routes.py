"""In the room: the laptop's addresses and their watch, the reachability test, and rejoining from another address.

The laptop's addresses come from a fake provider passed into the app (LAN_ADDRESSES), like the repository
fakes: a test moves the laptop to another network by changing what the provider answers.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from facilitator import create_app
from facilitator.core import services
from facilitator.web.host.pages import qr_code_svg as _qr_svg
from tests.conftest import HOST_KEY, Phones
from tests.support.rooms import Room, events


class FakeAddresses:
    """The laptop's LAN addresses as a test sets them (default route first)."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = list(addresses)
        self.calls = 0

    def __call__(self) -> list[str]:
        self.calls += 1
        return list(self.addresses)

    def move(self, *addresses: str) -> None:
        self.addresses = list(addresses)


@pytest.fixture
def laptop() -> FakeAddresses:
    return FakeAddresses("192.168.1.20", "10.0.0.5")


@pytest.fixture
def app(laptop: FakeAddresses) -> Any:
    return create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True, "LAN_ADDRESSES": laptop})


@pytest.fixture
def room(deps: Any, bijeenkomst: dict[str, Any], host_socket: Any, phones: Phones) -> Room:
    made = Room(deps, bijeenkomst, host_socket, phones)
    made.add("open_vraag")
    made.go(0, "antwoorden")
    return made


def _signed_in(client: Any, host: str) -> Any:
    """Sign a test client in as the facilitator on the laptop address `host` (cookies belong to one host)."""
    assert client.get(f"/host/login?key={HOST_KEY}", base_url=f"http://{host}").status_code == 303
    return client


def _network(host_http: Any, bijeenkomst: dict[str, Any], query: str = "", host: str = "localhost") -> Any:
    """Ask as the host view would, opened on `host`."""
    _signed_in(host_http, host)
    response = host_http.get(f"/host/s/{bijeenkomst['id']}/network{query}", base_url=f"http://{host}")
    assert response.status_code == 200
    return response.get_json()


def _choice(session_id: str, code: str, address: str, port: str = "") -> dict[str, str]:
    return {
        "address": address,
        "join_url": f"http://{address}{port}/j/{code}",
        "qr": f"/host/s/{session_id}/qr.svg?via={address}",
    }


# -- the address watch ----------------------------------------------------------------------------


def test_network_status_lists_the_providers_addresses_with_their_join_urls(
    host_http: Any, bijeenkomst: dict[str, Any]
) -> None:
    sid, code = bijeenkomst["id"], bijeenkomst["join_code"]
    assert _network(host_http, bijeenkomst, host="127.0.0.1:5000") == {
        "addresses": ["192.168.1.20", "10.0.0.5"],
        "default": "192.168.1.20",
        "fixed": False,
        "choices": [_choice(sid, code, "192.168.1.20", ":5000"), _choice(sid, code, "10.0.0.5", ":5000")],
    }


def test_network_status_reports_a_move_of_the_laptop_on_the_next_question(
    host_http: Any, bijeenkomst: dict[str, Any], laptop: FakeAddresses
) -> None:
    sid, code = bijeenkomst["id"], bijeenkomst["join_code"]
    page = host_http.get(f"/host/s/{sid}").get_data(as_text=True)
    assert 'data-qr-address="192.168.1.20" data-follows-default="true"' in page
    assert f"http://192.168.1.20/j/{code}" in page
    laptop.move("172.20.10.4")  # the Wi-Fi dropped; the laptop is on a phone's hotspot now
    assert _network(host_http, bijeenkomst) == {
        "addresses": ["172.20.10.4"],
        "default": "172.20.10.4",
        "fixed": False,
        "choices": [_choice(sid, code, "172.20.10.4")],
    }
    # The new QR code the banner offers is the join address on the new network.
    svg = host_http.get(f"/host/s/{sid}/qr.svg?via=172.20.10.4").get_data()
    assert svg == _qr_svg(f"http://172.20.10.4/j/{code}").encode()
    # A QR code asked for the address that is gone falls back to the default route's.
    assert host_http.get(f"/host/s/{sid}/qr.svg?via=192.168.1.20").get_data() == svg


def test_session_view_marks_a_chosen_address_as_not_following_the_default(
    host_http: Any, bijeenkomst: dict[str, Any]
) -> None:
    page = host_http.get(f"/host/s/{bijeenkomst['id']}?via=10.0.0.5").get_data(as_text=True)
    assert 'data-qr-address="10.0.0.5" data-check-seconds="4" data-probe-wait-seconds="60"' in page
    assert f"http://10.0.0.5/j/{bijeenkomst['join_code']}" in page


def test_network_status_is_fixed_when_public_url_is_set(laptop: FakeAddresses) -> None:
    app = create_app({
        "STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True, "LAN_ADDRESSES": laptop,
        "PUBLIC_URL": "https://rode-draad.example.nl/",
    })
    host = app.test_client()
    host.get(f"/host/login?key={HOST_KEY}")
    created = host.post("/host/sessions", json={"title": "Vast adres"}).get_json()
    body = host.get(f"/host/s/{created['id']}/network").get_json()
    assert body["fixed"] is True
    assert {c["join_url"] for c in body["choices"]} == {f"https://rode-draad.example.nl/j/{created['join_code']}"}
    page = host.get(f"/host/s/{created['id']}").get_data(as_text=True)
    assert 'data-qr-address=""' in page


def test_self_check_tells_listening_addresses_from_others(
    host_http: Any, bijeenkomst: dict[str, Any], laptop: FakeAddresses
) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        port = server.getsockname()[1]
        laptop.move("127.0.0.1", "127.0.0.2")  # only the first is where "the server" listens
        body = _network(host_http, bijeenkomst, "?check=1", host=f"localhost:{port}")
    assert body["listening"] == {"127.0.0.1": True, "127.0.0.2": False}
    assert "listening" not in _network(host_http, bijeenkomst)


def test_network_status_and_probes_are_for_the_facilitator_only(app: Any, bijeenkomst: dict[str, Any]) -> None:
    stranger = app.test_client()
    sid = bijeenkomst["id"]
    assert stranger.get(f"/host/s/{sid}/network").status_code == 403
    assert stranger.post(f"/host/s/{sid}/probes", json={}).status_code == 403


# -- the reachability test ------------------------------------------------------------------------


def test_a_phone_opening_the_test_qr_code_is_announced_to_the_host_and_nothing_is_stored(
    app: Any, host_http: Any, bijeenkomst: dict[str, Any], host_socket: Any, deps: Any
) -> None:
    sid = bijeenkomst["id"]
    on_laptop = "http://127.0.0.1:5000"
    _signed_in(host_http, "127.0.0.1:5000")
    created = host_http.post(f"/host/s/{sid}/probes", json={"via": "10.0.0.5"}, base_url=on_laptop)
    assert created.status_code == 201
    body = created.get_json()
    probe = body["probe"]
    assert len(probe) == 16
    assert body == {
        "ok": True,
        "probe": probe,
        "url": f"http://10.0.0.5:5000/t/{probe}",
        "qr": f"/host/s/{sid}/probes/{probe}/qr.svg?via=10.0.0.5",
    }
    svg = host_http.get(body["qr"], base_url=on_laptop).get_data()
    assert svg == _qr_svg(f"http://10.0.0.5:5000/t/{probe}").encode()
    assert host_http.get(f"/host/s/{sid}/probes/{probe}").get_json() == {"probe": probe, "reached_via": ""}
    host_socket.get_received()

    phone = app.test_client()
    page = phone.get(f"/t/{probe}", base_url="http://10.0.0.5:5000")
    assert page.status_code == 200
    assert "Gelukt: je telefoon bereikt de laptop." in page.get_data(as_text=True)
    assert events(host_socket) == [("probe_reached", {"probe": probe, "via": "10.0.0.5:5000"})]
    assert host_http.get(f"/host/s/{sid}/probes/{probe}").get_json() == {"probe": probe, "reached_via": "10.0.0.5:5000"}
    # No join, no cookie, no participant.
    assert "Set-Cookie" not in page.headers
    assert deps.repo.count_participants(sid) == 0


def test_an_unknown_or_foreign_probe_is_not_announced(
    app: Any, host_http: Any, bijeenkomst: dict[str, Any], host_socket: Any
) -> None:
    host_socket.get_received()
    page = app.test_client().get("/t/not-a-probe-id")
    assert page.status_code == 404
    assert "deze test is verlopen" in page.get_data(as_text=True)
    assert events(host_socket) == []
    other = host_http.post("/host/sessions", json={"title": "Andere"}).get_json()
    probe = host_http.post(f"/host/s/{other['id']}/probes", json={}).get_json()["probe"]
    assert host_http.get(f"/host/s/{bijeenkomst['id']}/probes/{probe}").status_code == 404
    assert app.test_client().get(f"/t/{probe}").status_code == 200
    assert events(host_socket) == []  # the other bijeenkomst's host room heard it, not this one


def test_probe_creation_refuses_another_origin(host_http: Any, bijeenkomst: dict[str, Any]) -> None:
    response = host_http.post(
        f"/host/s/{bijeenkomst['id']}/probes", json={}, headers={"Origin": "http://evil.example"}
    )
    assert response.status_code == 403


# -- rejoining from another address ---------------------------------------------------------------


@pytest.fixture
def joined(app: Any, socketio: Any, room: Room) -> Iterator[dict[str, Any]]:
    """A phone at table 3 that sent two answers, seen through the test client of its first address."""
    http = app.test_client()
    response = http.post(f"/j/{room.phones.bijeenkomst['join_code']}", json={"table": 3})
    assert response.status_code == 200
    client = socketio.test_client(app, flask_test_client=http)
    client.emit("join_session", {"session": room.id, "role": "participant"}, callback=True)
    for client_id, text in (("answer-one-0001", "Eerst luisteren"), ("answer-two-0002", "Dan pas oplossen")):
        ack = room.send(client, "submit_contribution", client_id=client_id, text=text)
        assert ack == {"ok": True, "id": client_id}
    [state] = [payload for name, payload in events(client) if name == "session_state"][-1:]
    room.drain()
    yield {"http": http, "client": client, "state": state}
    client.disconnect()


def _state(client: Any) -> dict[str, Any]:
    return [payload for name, payload in events(client) if name == "session_state"][-1]


def test_the_phone_is_told_its_rejoin_code(joined: dict[str, Any], deps: Any, room: Room) -> None:
    [participant] = deps.repo.list_participants(room.id)
    code = joined["state"]["me"]["rejoin_code"]
    assert code == services.rejoin_code(deps.realtime.rejoin_secret, room.id, participant)
    assert len(code) == 11 and code[5] == "-"


def test_a_phone_on_a_new_address_rejoins_with_its_code_as_itself(
    app: Any, socketio: Any, joined: dict[str, Any], room: Room, deps: Any
) -> None:
    code = joined["state"]["me"]["rejoin_code"]
    new_origin = app.test_client()  # another address: neither the cookie nor the localStorage come along
    join_code = room.phones.bijeenkomst["join_code"]
    page = new_origin.get(f"/j/{join_code}")
    assert page.status_code == 200
    assert "Vul je herstelcode in" in page.get_data(as_text=True)
    response = new_origin.post(f"/j/{join_code}/terug", data={"herstelcode": code.lower().replace("-", " ")})
    assert (response.status_code, response.headers["Location"]) == (303, f"/p/{room.id}")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"rd_p_{room.id}=rj.") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert new_origin.get(f"/p/{room.id}").status_code == 200
    assert new_origin.get(f"/j/{join_code}").headers["Location"] == f"/p/{room.id}"

    client = socketio.test_client(app, flask_test_client=new_origin)
    ack = client.emit("join_session", {"session": room.id, "role": "participant"}, callback=True)
    assert ack == {"ok": True, "role": "participant"}
    state = _state(client)
    assert state["me"] == joined["state"]["me"]  # number, table, perspective, roles, the same code
    assert [c["text"] for c in state["contributions"]] == ["Eerst luisteren", "Dan pas oplossen"]
    # It sends as the same participant, and a resend of an old id stores nothing new.
    assert room.send(client, "submit_contribution", client_id="answer-three-03", text="Samen") == {
        "ok": True, "id": "answer-three-03",
    }
    assert room.send(client, "submit_contribution", client_id="answer-two-0002", text="Dan pas oplossen") == {
        "ok": True, "id": "answer-two-0002",
    }
    [participant] = deps.repo.list_participants(room.id)
    assert [(c.id, c.participant_id) for c in deps.repo.list_contributions(room.id)] == [
        ("answer-one-0001", participant.id), ("answer-two-0002", participant.id), ("answer-three-03", participant.id),
    ]
    # Nobody new joined, and the old address's tab still works as the same phone.
    assert deps.repo.count_participants(room.id) == 1
    old = joined["client"]
    assert old.emit("join_session", {"session": room.id, "role": "participant"}, callback=True)["ok"] is True
    assert _state(old)["me"]["number"] == participant.number
    client.disconnect()


def test_a_wrong_rejoin_code_is_refused_and_counts_as_a_guess(
    app: Any, joined: dict[str, Any], room: Room, deps: Any
) -> None:
    join_code = room.phones.bijeenkomst["join_code"]
    stranger = app.test_client()
    for wrong in ("AAAAA-AAAAA", "", "kort"):
        response = stranger.post(f"/j/{join_code}/terug", data={"herstelcode": wrong})
        assert response.status_code == 400
        assert "Deze herstelcode hoort niet bij deze bijeenkomst." in response.get_data(as_text=True)
        assert "Set-Cookie" not in response.headers
    as_json = stranger.post(f"/j/{join_code}/terug", json={"herstelcode": ["not", "text"]})
    assert as_json.get_json()["error"]["code"] == "rejoin_code_invalid"
    assert deps.realtime.code_throttle.retry_after(_address_key(app)) == 0  # 4 of the 10 allowed
    for _ in range(6):
        stranger.post(f"/j/{join_code}/terug", data={"herstelcode": "AAAAA-AAAAA"})
    # Now even the right code waits: a refusal must not tell right from wrong.
    right = stranger.post(f"/j/{join_code}/terug", data={"herstelcode": joined["state"]["me"]["rejoin_code"]})
    assert right.status_code == 429


def test_a_rejoin_code_of_another_bijeenkomst_does_not_open_this_one(
    app: Any, host_http: Any, joined: dict[str, Any], room: Room
) -> None:
    other = host_http.post("/host/sessions", json={"title": "Andere"}).get_json()
    response = app.test_client().post(
        f"/j/{other['join_code']}/terug", data={"herstelcode": joined["state"]["me"]["rejoin_code"]}
    )
    assert response.status_code == 400


def _address_key(app: Any) -> str:
    from facilitator.web.participant.auth import address_key

    with app.test_request_context("/"):
        return address_key()


@pytest.mark.parametrize("system, advice, not_shown", [
    ("Windows", "Windows Defender Firewall → Een app toestaan → python.exe → Privé", "ufw"),
    ("Darwin", "Systeeminstellingen → Netwerk → Firewall → Opties → Python", "Windows"),
    ("Linux", "sudo ufw allow 5000/tcp", "Windows"),
])
def test_the_connection_test_gives_the_firewall_advice_of_the_laptops_system(
    system: str, advice: str, not_shown: str
) -> None:
    app = create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True, "PLATFORM": system})
    host = app.test_client()
    assert host.get(f"/host/login?key={HOST_KEY}").status_code == 303
    created = host.post("/host/sessions", json={"title": "Firewall"}).get_json()
    page = host.get(f"/host/s/{created['id']}", environ_overrides={"SERVER_PORT": "5000"}).get_data(as_text=True)
    start = page.index('id="firewall-advice"')
    shown = page[start:page.index("</span>", start)]
    assert advice in shown and not_shown not in shown


def test_the_firewall_advice_is_translated_on_an_english_page() -> None:
    app = create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True, "PLATFORM": "Windows"})
    host = app.test_client()
    assert host.get(f"/host/login?key={HOST_KEY}").status_code == 303
    created = host.post("/host/sessions", json={"title": "Firewall"}).get_json()
    page = host.get(f"/host/s/{created['id']}?lang=en").get_data(as_text=True)
    assert "Allow an app through the firewall → python.exe → Private" in page
