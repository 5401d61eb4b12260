"""Issue 13, point 6: idle and abusive connections do not pile up, against the real eventlet server.

Measured before the fix: 50 slowloris connections were all still held after 30 s; one client holding the
projected join code added 300 phones in 0.8 s, and 50 scripted phones put 51 dots on one option; a form posted
from another site joined a phone. Now a connection that has not sent a complete request head within
REQUEST_HEAD_SECONDS (15) is closed, while phones on a websocket or on long-polling stay; one address joins at
most JOINS_PER_ADDRESS (5) phones a minute, right code or not, and gets a plain Dutch page after that, while the
laptop's own 127.0.0.1 is never limited; and a join whose Origin is another site's is refused.

The per-address limit needs clients that are not 127.0.0.1: the tests send from this machine's own LAN address
(when it has one) and from 127.0.0.2, both to the server on 127.0.0.1, so nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
import socketio

from facilitator.config import DefaultConfig
from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository
from facilitator.testing.clients import Recorder, client_id, join_over_http, run
from facilitator.testing.live_server import LiveServer
from tests.support.raw_http import (
    Answer,
    other_source_addresses,
    polling_handshake,
    request,
    stored,
    websocket_handshake,
)

pytestmark = pytest.mark.e2e

SOURCES = other_source_addresses()
JOINS = DefaultConfig.JOINS_PER_ADDRESS
HEAD_SECONDS = DefaultConfig.REQUEST_HEAD_SECONDS
TOO_MANY_JOINS = "Er zijn vanaf dit netwerkadres te veel telefoons aangemeld."
FOREIGN = "Aanmelden kan alleen via de pagina van deze bijeenkomst."
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def server(data_dir: Path) -> Iterator[LiveServer]:
    """A server of its own per test: the join limit remembers addresses for a minute."""
    live = LiveServer(data_dir)
    try:
        live.start()
        yield live
    finally:
        live.kill()
        print("---- server output ----\n" + "".join(live.output))


# -- slowloris ----------------------------------------------------------------------------------------------


async def _hold(port: int, kind: str, closed_at: list[float], started: float) -> None:
    """Hold one connection the way a slowloris client does; note when the server closed it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        if kind == "trickle":  # a request head that never ends: one header line every two seconds
            writer.write(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
        elif kind == "kept-alive":  # one whole request, then silence on the kept-alive connection
            writer.write(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        await writer.drain()
        line = 0
        while True:
            try:
                data = await asyncio.wait_for(reader.read(65536), 2.0)
            except TimeoutError:
                if kind == "trickle":
                    line += 1
                    writer.write(f"X-Slow-{line}: {'a' * 20}\r\n".encode())
                    await writer.drain()
                continue
            if not data:
                break
    except (ConnectionError, OSError):
        pass
    finally:
        closed_at.append(time.monotonic() - started)
        writer.close()


def test_idle_and_slow_connections_are_closed_while_phones_stay(server: LiveServer) -> None:
    room = server.create_bijeenkomst("Slowloris")
    kinds = ["silent"] * 20 + ["trickle"] * 20 + ["kept-alive"] * 10

    async def scenario() -> tuple[list[float], float]:
        phone = Recorder("websocket phone")
        polling = socketio.AsyncClient(reconnection=False)
        async with aiohttp.ClientSession() as http:
            ws_token = await join_over_http(http, server.base_url, room["join_code"])
            poll_token = await join_over_http(http, server.base_url, room["join_code"])
        try:
            await phone.connect(server.base_url, token=ws_token)
            await phone.join(room["id"], "participant")
            await polling.connect(server.base_url, auth={"token": poll_token}, transports=["polling"], wait_timeout=10)
            ack = await polling.call("join_session", {"session": room["id"], "role": "participant"}, timeout=10)
            assert ack["ok"] is True, ack
            phones_since = time.monotonic()

            started = time.monotonic()
            closed_at: list[float] = []
            holders = [asyncio.create_task(_hold(server.port, kind, closed_at, started)) for kind in kinds]
            # All closed within the bound; the test's own deadline keeps a regression from hanging.
            done, pending = await asyncio.wait(holders, timeout=HEAD_SECONDS + 10)
            for task in pending:
                task.cancel()
            assert not pending, f"{len(pending)} of {len(kinds)} idle connections still open after {HEAD_SECONDS + 10} s"
            # Meanwhile a new visitor is served at once.
            assert request(server.port, "GET", "/healthz").status == 200

            # The phones were connected all along, longer than the head deadline: both still work.
            while time.monotonic() - phones_since < HEAD_SECONDS + 3:
                await asyncio.sleep(0.5)
            assert polling.connected and not phone.disconnected.is_set()
            for client in (phone.client, polling):
                ack = await client.call("submit_contribution", {"session": room["id"], "client_id": client_id("stay"),
                                                                "text": "ik ben er nog"}, timeout=10)
                assert ack["ok"] is True, ack
            return closed_at, time.monotonic() - phones_since
        finally:
            await phone.close()
            await polling.disconnect()

    closed_at, phones_lived = run(scenario(), timeout=120)
    print(f"50 idle connections closed after {min(closed_at):.1f}-{max(closed_at):.1f} s; phones kept {phones_lived:.0f} s")
    assert max(closed_at) <= HEAD_SECONDS + 5
    assert min(closed_at) >= HEAD_SECONDS - 1  # the deadline, not something else, closed them
    assert len(stored(server.data_dir, room["id"], "contributions")) == 2


# -- joins per address --------------------------------------------------------------------------------------


def _joins(port: int, code: str, count: int, source: str | None) -> list[Answer]:
    """Send `count` join POSTs (JSON) at once from `source`, as a script holding the projected code does."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        return list(pool.map(lambda _i: request(port, "POST", f"/j/{code}", body={}, source=source), range(count)))


@pytest.mark.parametrize("source", SOURCES)
def test_one_address_joins_only_a_handful_of_phones(server: LiveServer, source: str) -> None:
    room = server.create_bijeenkomst("Aanmelden per adres")
    code = room["join_code"]
    started = time.monotonic()
    answers = _joins(server.port, code, 300, source)
    elapsed = time.monotonic() - started
    statuses = sorted(a.status for a in answers)
    assert statuses == [200] * JOINS + [429] * (300 - JOINS), {s: statuses.count(s) for s in set(statuses)}
    refused = [a for a in answers if a.status == 429]
    assert all(a.json()["error"]["code"] == "too_many_joins" for a in refused), refused[0].text
    assert all(1 <= int(a.headers["retry-after"]) <= DefaultConfig.JOIN_WINDOW_SECONDS for a in refused)
    print(f"300 joins from {source} in {elapsed:.1f} s: {JOINS} phones added")

    # The phone's own form post: the join page again, with the reason in plain Dutch (not a blank 429).
    page = request(server.port, "POST", f"/j/{code}", body="perspective=", headers=FORM, source=source)
    assert page.status == 429 and page.headers["content-type"].startswith("text/html"), page.status
    assert TOO_MANY_JOINS in page.text and 'method="post"' in page.text
    assert int(page.headers["retry-after"]) >= 1
    assert len(stored(server.data_dir, room["id"], "participants")) == JOINS

    # The laptop itself (tests, benchmarks, a facilitator trying the phone page) is never limited.
    assert [a.status for a in _joins(server.port, code, 50, None)] == [200] * 50
    assert len(stored(server.data_dir, room["id"], "participants")) == JOINS + 50

    # A phone that joined comes back by its cookie; the limit only holds new joins.
    token = next(a for a in answers if a.status == 200).json()["token"]
    back = request(server.port, "GET", f"/p/{room['id']}", headers={"Cookie": f"rd_p_{room['id']}={token}"}, source=source)
    assert back.status == 200, back.status


@pytest.mark.skipif(not SOURCES, reason="no local source address other than 127.0.0.1")
def test_fifty_scripted_phones_from_one_address_cast_only_a_handful_of_dots(data_dir: Path) -> None:
    """The measured ballot stuffing: 50 phones joined by one script, each with a dot on the same option."""
    repo = TinyDBRepository(data_dir)
    registry = discover()
    session = services.create_session(repo, registry, title="Stippen", date="2026-11-25")
    item, _events = services.add_agenda_item(repo, registry, session.id, "stemmen", {"dots": 3, "options": ["A", "B"]})
    live = LiveServer(data_dir)
    try:
        live.start()
        answers = _joins(live.port, session.join_code, 50, SOURCES[0])
        tokens = [a.json()["token"] for a in answers if a.status == 200]
        assert len(tokens) == JOINS

        async def scenario() -> dict[str, int]:
            host = Recorder("host")
            phones = [Recorder(f"scripted{i}") for i in range(len(tokens))]
            try:
                await host.connect(live.base_url, host_key=live.key)
                await host.join(session.id, "host")
                await host.call("go_to_phase", {"session": session.id, "item": 1, "phase": 0})
                for phone, token in zip(phones, tokens, strict=True):
                    await phone.connect(live.base_url, token=token)
                    await phone.join(session.id, "participant")
                    ack = await phone.call("cast_vote", {"session": session.id, "target": "option-1", "on": True})
                    assert ack["ok"] is True, ack
                return dict((await host.join(session.id, "host"))["tallies"])
            finally:
                await asyncio.gather(*(r.close() for r in [host, *phones]))

        assert run(scenario()) == {"option-1": JOINS}
    finally:
        live.kill()
        print("---- server output ----\n" + "".join(live.output))
    assert services.tallies(TinyDBRepository(data_dir), session.id, item.id) == {"option-1": JOINS}


# -- another site's page ------------------------------------------------------------------------------------


def test_a_join_posted_from_another_sites_page_is_refused(server: LiveServer) -> None:
    room = server.create_bijeenkomst("CSRF")
    code, port = room["join_code"], server.port
    own = f"http://127.0.0.1:{port}"
    foreign = ["http://evil.example", "null", f"https://127.0.0.1:{port}", f"http://localhost:{port}",
               f"{own}.evil.example", "http://127.0.0.1"]
    for origin in foreign:
        form = request(port, "POST", f"/j/{code}", body="perspective=", headers={**FORM, "Origin": origin})
        assert form.status == 403 and FOREIGN in form.text, (origin, form.status, form.text[:200])
        assert "set-cookie" not in form.headers
        data = request(port, "POST", f"/j/{code}", body={}, headers={"Origin": origin})
        assert data.status == 403 and data.json()["error"]["code"] == "foreign_origin", (origin, data.text)
        rejoin = request(port, "POST", f"/j/{code}/terug", body="herstelcode=AAAAA-BBBBB", headers={**FORM, "Origin": origin})
        assert rejoin.status == 403 and FOREIGN in rejoin.text, (origin, rejoin.status)
    assert stored(server.data_dir, room["id"], "participants") == []

    # Our own join page (its Origin) and scripts without an Origin (curl, old browsers) still join.
    assert request(port, "POST", f"/j/{code}", body="perspective=", headers={**FORM, "Origin": own}).status == 303
    assert request(port, "POST", f"/j/{code}", body={}).status == 200
    assert len(stored(server.data_dir, room["id"], "participants")) == 2


def test_a_socket_handshake_from_another_site_is_refused_whatever_forwarded_headers_say(server: LiveServer) -> None:
    """engine.io's same-origin check believes X-Forwarded-Host; only a configured reverse proxy may set it."""
    spoofed = {"Origin": "http://evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}
    assert polling_handshake(server.port, headers=spoofed).status == 400
    assert websocket_handshake(server.port, headers=spoofed).status == 400
    assert polling_handshake(server.port, headers={"Origin": "http://evil.example"}).status == 400
    own = polling_handshake(server.port, headers={"Origin": f"http://127.0.0.1:{server.port}"})
    assert own.status == 200 and own.text.startswith("0{")
