"""Issue 13, point 5: only this laptop's names are served (DNS rebinding), against the real eventlet server.

A page on evil.example whose name the attacker re-points at the laptop talks to the laptop with
`Host: evil.example:PORT` and counts as the same origin in the browser. Measured before the fix: the join page
answered 200, a join POST returned a token, the Socket.IO handshake was accepted and submissions were stored.
Now every request whose Host is not localhost, 127.0.0.1, [::1], an address the laptop advertises (the QR code's)
or the configured public URL's gets 400 with a short Dutch text: pages, POSTs and both Socket.IO handshakes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import socketio

from facilitator.testing.clients import client_id, run
from facilitator.testing.live_server import LiveServer
from tests.support.raw_http import Answer, polling_handshake, request, stored, websocket_handshake

pytestmark = pytest.mark.e2e

#: What the refusal says (Dutch by default).
REFUSED = "Dit adres hoort niet bij deze laptop."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the module, with a public URL configured (as for a laptop behind a fixed name)."""
    live = LiveServer(Path(tmp_path_factory.mktemp("rebinding")), args=["--public-url", "http://rode-draad.example.org:8443"])
    try:
        live.start()
        yield live
    finally:
        live.kill()
        print("---- server output ----\n" + "".join(live.output))


def _refused(answer: Answer) -> bool:
    return answer.status == 400 and REFUSED in answer.text


@pytest.mark.parametrize("evil", ["evil.example:{port}", "evil.example", "EVIL.example:{port}", "127.0.0.1.evil.example:{port}",
                                  "203.0.113.7:{port}", "localhost.evil.example", "127.0.0.1:{port}@evil.example", ""])
def test_a_foreign_host_is_refused_for_pages_posts_and_handshakes(server: LiveServer, evil: str) -> None:
    port = server.port
    host = evil.format(port=port)
    room = server.create_bijeenkomst("Rebinding")
    code = room["join_code"]
    answers = {
        "landing": request(port, "GET", "/", host=host),
        "join page": request(port, "GET", f"/j/{code}", host=host),
        "join POST (json)": request(port, "POST", f"/j/{code}", host=host, body={}),
        "join POST (form)": request(port, "POST", f"/j/{code}", host=host, body="perspective=",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"}),
        "healthz": request(port, "GET", "/healthz", host=host),
        "host login": request(port, "GET", f"/host/login?key={server.key}", host=host),
        "polling handshake": polling_handshake(port, host=host),
        "websocket handshake": websocket_handshake(port, host=host),
    }
    wrong = {name: (a.status, a.text[:80]) for name, a in answers.items() if not _refused(a)}
    assert not wrong, wrong
    assert all(a.headers.get("content-type", "").startswith("text/plain") for a in answers.values())
    assert "set-cookie" not in answers["host login"].headers
    assert stored(server.data_dir, room["id"], "participants") == []


def test_a_phone_with_a_real_token_cannot_submit_through_a_foreign_host(server: LiveServer) -> None:
    """The measured attack end to end: a token got on the real address, the socket opened through evil.example."""
    room = server.create_bijeenkomst("Rebinding met token")
    token = server.join_phone(room["join_code"])

    async def scenario() -> list[str]:
        refused: list[str] = []
        for transport in ("websocket", "polling"):
            client = socketio.AsyncClient(reconnection=False)
            try:
                await client.connect(server.base_url, auth={"token": token}, transports=[transport],
                                     headers={"Host": f"evil.example:{server.port}"}, wait_timeout=10)
                await client.call("join_session", {"session": room["id"], "role": "participant"}, timeout=10)
                await client.call("submit_contribution", {"session": room["id"], "client_id": client_id("evil"),
                                                          "text": "via evil.example"}, timeout=10)
            except (socketio.exceptions.ConnectionError, socketio.exceptions.TimeoutError):
                refused.append(transport)
            finally:
                await client.disconnect()
                await asyncio.sleep(0)
        return refused

    assert run(scenario()) == ["websocket", "polling"]
    assert stored(server.data_dir, room["id"], "contributions") == []


def test_the_laptops_own_names_are_served(server: LiveServer) -> None:
    port = server.port
    room = server.create_bijeenkomst("Eigen namen")
    # The address the QR code carries (the laptop's LAN address here; 127.0.0.1 on a machine without a network).
    qr_host = urlsplit(room["join_url"]).netloc
    assert urlsplit(room["join_url"]).hostname == "rode-draad.example.org"  # the configured public URL wins
    own = [
        f"localhost:{port}", "localhost", f"LocalHost:{port}", f"127.0.0.1:{port}", "127.0.0.1",
        f"[::1]:{port}", "[::1]", qr_host, "rode-draad.example.org", "rode-draad.example.org:8443",
    ]
    for host in own:
        page = request(port, "GET", f"/j/{room['join_code']}", host=host)
        assert page.status == 200 and "Welkom" in page.text, (host, page.status, page.text[:200])
        joined = request(port, "POST", f"/j/{room['join_code']}", host=host, body={})
        assert joined.status == 200 and joined.json()["ok"] is True, (host, joined.status, joined.text[:200])
        polling = polling_handshake(port, host=host)
        assert polling.status == 200 and polling.text.startswith("0{"), (host, polling.status, polling.text[:200])
        assert websocket_handshake(port, host=host).status == 101, host
    assert len(stored(server.data_dir, room["id"], "participants")) == len(own)


def test_every_address_the_host_view_offers_is_served(tmp_path: Path) -> None:
    """Without a public URL, the QR code carries a LAN address of the laptop: phones opening it are served."""
    live = LiveServer(tmp_path / "data")
    try:
        live.start()
        room = live.create_bijeenkomst("QR-adres")
        offered = live.host_session().get(f"{live.base_url}/host/s/{room['id']}/network").json()
        hosts = {urlsplit(choice["join_url"]).netloc for choice in offered["choices"]}
        hosts.add(urlsplit(room["join_url"]).netloc)
        for host in sorted(hosts):
            page = request(live.port, "GET", f"/j/{room['join_code']}", host=host)
            assert page.status == 200, (host, page.status, page.text[:200])
            assert polling_handshake(live.port, host=host).status == 200, host
        assert _refused(request(live.port, "GET", f"/j/{room['join_code']}", host=f"evil.example:{live.port}"))
    finally:
        live.kill()
        print("---- server output ----\n" + "".join(live.output))
