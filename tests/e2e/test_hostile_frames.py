"""The real eventlet server against raw, hostile Socket.IO traffic.

A handshake from a foreign Origin is refused (websocket and polling). A 2 MB message (one frame, fragments of
50 KB that add up past the limit, or a polling POST) closes only the connection that sent it, at once and without
piling up in memory: the phone next to it keeps submitting and the host keeps hearing. A text just under the frame
limit gets text_too_long, not a disconnect.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest
import requests

from facilitator.testing.clients import Recorder, client_id, join_over_http, run
from facilitator.testing.live_server import LiveServer

pytestmark = pytest.mark.e2e

TWO_MB = 2 * 1024 * 1024
EVIL = "http://evil.example"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the module: each test makes its own bijeenkomst."""
    live = LiveServer(Path(tmp_path_factory.mktemp("frames")))
    try:
        live.start()
        yield live
    finally:
        live.kill()
        print("---- server output ----\n" + "".join(live.output))


class RawWebSocket:
    """A bare RFC 6455 client: a handshake with any headers, and frames exactly as the test builds them."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, status: int) -> None:
        self.reader, self.writer, self.status = reader, writer, status

    @classmethod
    async def open(cls, base_url: str, *, origin: str | None, cookie: str | None = None) -> RawWebSocket:
        parts = urlsplit(base_url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        headers = [
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
            f"Host: {parts.netloc}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
            "Sec-WebSocket-Version: 13",
        ]
        if origin:
            headers.append(f"Origin: {origin}")
        if cookie:
            headers.append(f"Cookie: {cookie}")
        writer.write(("\r\n".join(headers) + "\r\n\r\n").encode())
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        status = int(head.split(b" ", 2)[1])
        return cls(reader, writer, status)

    @staticmethod
    def frame(payload: bytes, *, opcode: int = 1, fin: bool = True) -> bytes:
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            head = struct.pack("!BB", (0x80 if fin else 0) | opcode, 0x80 | length)
        elif length < 65536:
            head = struct.pack("!BBH", (0x80 if fin else 0) | opcode, 0x80 | 126, length)
        else:
            head = struct.pack("!BBQ", (0x80 if fin else 0) | opcode, 0x80 | 127, length)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload)) if length < 65536 else _mask_fast(payload, mask)
        return head + mask + masked

    async def send(self, data: bytes) -> bool:
        """Write bytes; return False when the server had already closed the connection."""
        try:
            self.writer.write(data)
            await self.writer.drain()
            return True
        except (ConnectionError, OSError):
            return False

    async def send_text(self, text: str) -> bool:
        return await self.send(self.frame(text.encode()))

    async def receive(self, timeout: float = 10) -> tuple[int, bytes] | None:
        """Return the next (opcode, payload), or None when the connection is closed."""
        try:
            first, second = await asyncio.wait_for(self.reader.readexactly(2), timeout)
            length = second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", await self.reader.readexactly(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
            return first & 0x0F, await self.reader.readexactly(length)
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            return None

    async def closed_by_server(self, timeout: float = 10) -> bool:
        """Read until the server closes (a close frame or the end of the stream); True if it did in time."""
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            try:
                received = await self.receive(deadline - asyncio.get_running_loop().time())
            except TimeoutError:
                return False
            if received is None or received[0] == 8:
                return True
        return False

    async def socketio_connect(self) -> None:
        """Do the Engine.IO open and the Socket.IO connect on the default namespace."""
        opened = await self.receive()
        assert opened is not None and opened[1].startswith(b"0{"), opened
        await self.send_text("40")
        connected = await self.receive()
        assert connected is not None and connected[1].startswith(b"40"), connected

    def close(self) -> None:
        self.writer.close()


def _mask_fast(payload: bytes, mask: bytes) -> bytes:
    repeated = (mask * (len(payload) // 4 + 1))[: len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(len(payload), "big")


def event_frame(name: str, payload: dict[str, Any], ack_id: int | None = None) -> str:
    return f"42{'' if ack_id is None else ack_id}{json.dumps([name, payload])}"


async def room_with_a_phone(server: LiveServer) -> tuple[dict[str, str], Recorder, Recorder, aiohttp.ClientSession]:
    """Make a bijeenkomst with a host screen and one well-behaved phone."""
    bijeenkomst = await asyncio.to_thread(server.create_bijeenkomst, "Vijandige frames")
    host, phone = Recorder("host"), Recorder("neighbour")
    http = aiohttp.ClientSession()
    await host.connect(server.base_url, host_key=server.key)
    await host.join(bijeenkomst["id"], "host")
    token = await join_over_http(http, server.base_url, bijeenkomst["join_code"])
    await phone.connect(server.base_url, token=token)
    await phone.join(bijeenkomst["id"], "participant")
    return bijeenkomst, host, phone, http


async def neighbour_still_works(bijeenkomst: dict[str, str], host: Recorder, phone: Recorder) -> None:
    """The phone next to the hostile one submits, is acknowledged, and the host sees it."""
    cid = client_id("buur")
    ack = await phone.call("submit_contribution", {"session": bijeenkomst["id"], "client_id": cid, "text": "Nog hier"})
    assert ack == {"ok": True, "id": cid}
    await host.wait_for(lambda: any(c["contribution"]["id"] == cid for c in host.of("contribution_added")))
    assert not phone.disconnected.is_set() and not host.disconnected.is_set()


# -- Origin ---------------------------------------------------------------------------------------------


def test_a_websocket_handshake_from_a_foreign_origin_is_refused(server: LiveServer) -> None:
    async def scenario() -> None:
        evil = await RawWebSocket.open(server.base_url, origin=EVIL, cookie=f"rd_host={server.key}")
        assert evil.status == 400
        evil.close()
        own = await RawWebSocket.open(server.base_url, origin=server.base_url)
        assert own.status == 101
        await own.socketio_connect()
        own.close()

    run(scenario())


def test_a_polling_handshake_from_a_foreign_origin_is_refused(server: LiveServer) -> None:
    url = f"{server.base_url}/socket.io/?EIO=4&transport=polling"
    refused = requests.get(url, headers={"Origin": EVIL}, timeout=10)
    assert (refused.status_code, refused.text) == (400, '"Not an accepted origin."')
    assert "Access-Control-Allow-Origin" not in refused.headers
    preflight = requests.options(url, headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"}, timeout=10)
    assert preflight.status_code == 400
    own = requests.get(url, headers={"Origin": server.base_url}, timeout=10)
    assert own.status_code == 200 and own.text.startswith("0{")


# -- sizes ----------------------------------------------------------------------------------------------


def test_a_2_mb_websocket_frame_closes_only_that_connection(server: LiveServer) -> None:
    async def scenario() -> None:
        bijeenkomst, host, phone, http = await room_with_a_phone(server)
        try:
            token = await join_over_http(http, server.base_url, bijeenkomst["join_code"])
            hostile = await RawWebSocket.open(server.base_url, origin=server.base_url)
            await hostile.socketio_connect()
            await hostile.send_text(event_frame("join_session", {"session": bijeenkomst["id"], "role": "participant",
                                                                 "token": token}, ack_id=1))
            big = {"session": bijeenkomst["id"], "client_id": client_id("groot"), "text": "x" * TWO_MB}
            await hostile.send(RawWebSocket.frame(event_frame("submit_contribution", big, ack_id=2).encode()))
            assert await hostile.closed_by_server()
            hostile.close()
            await neighbour_still_works(bijeenkomst, host, phone)
        finally:
            await phone.close()
            await host.close()
            await http.close()

    run(scenario())


def server_rss_mb(server: LiveServer) -> float:
    assert server.process is not None
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_fragments_adding_up_past_the_limit_close_only_that_connection_before_they_pile_up(server: LiveServer) -> None:
    """Each fragment is under the 64 KB frame limit; 50 MB of them would all be held in memory without the cap."""
    fragments_past_the_limit(server)


def test_fragments_past_the_limit_are_refused_under_the_threading_fallback_too(tmp_path: Path) -> None:
    """The fallback (FACILITATOR_ASYNC_MODE=threading, simple-websocket) has the same cap (server_runtime.py)."""
    live = LiveServer(tmp_path / "data", env={"FACILITATOR_ASYNC_MODE": "threading"})
    try:
        live.start()
        fragments_past_the_limit(live)
    finally:
        live.kill()
        print("---- server output ----\n" + "".join(live.output))


def fragments_past_the_limit(server: LiveServer) -> None:
    """Send 50 KB fragments of one message until the server closes the connection; the neighbour keeps working."""

    async def scenario() -> None:
        bijeenkomst, host, phone, http = await room_with_a_phone(server)
        try:
            hostile = await RawWebSocket.open(server.base_url, origin=server.base_url)
            await hostile.socketio_connect()
            rss_before = server_rss_mb(server)
            piece = b"x" * (50 * 1024)
            sent = 0
            for n in range(1000):  # 50 MB, if the server took it all
                if not await hostile.send(RawWebSocket.frame(piece, opcode=1 if n == 0 else 0, fin=False)):
                    break
                sent += len(piece)
            assert sent < 20 * 1024 * 1024, sent  # refused long before: only what the socket buffers held got out
            assert await hostile.closed_by_server()
            hostile.close()
            assert server_rss_mb(server) - rss_before < 10
            await neighbour_still_works(bijeenkomst, host, phone)
        finally:
            await phone.close()
            await host.close()
            await http.close()

    run(scenario())


def test_a_2_mb_polling_post_closes_only_that_connection(server: LiveServer) -> None:
    async def scenario() -> None:
        bijeenkomst, host, phone, http = await room_with_a_phone(server)
        try:
            base = f"{server.base_url}/socket.io/?EIO=4&transport=polling"
            opened = await asyncio.to_thread(requests.get, base, timeout=10)
            sid = json.loads(opened.text[1:])["sid"]
            polling = f"{base}&sid={sid}"
            assert (await asyncio.to_thread(requests.post, polling, data="40", timeout=10)).status_code == 200
            big = event_frame("submit_contribution", {"session": bijeenkomst["id"], "text": "x" * TWO_MB})
            refused = await asyncio.to_thread(requests.post, polling, data=big, timeout=30)
            assert (refused.status_code, refused.text) == (413, "Too large")  # at once, not after a poll
            gone = await asyncio.to_thread(requests.get, polling, timeout=10)
            assert gone.status_code == 400  # the session of that connection is closed
            await neighbour_still_works(bijeenkomst, host, phone)
        finally:
            await phone.close()
            await host.close()
            await http.close()

    run(scenario())


def test_text_just_under_the_frame_limit_gets_text_too_long_and_keeps_the_connection(server: LiveServer) -> None:
    async def scenario() -> None:
        bijeenkomst, host, phone, http = await room_with_a_phone(server)
        try:
            for size in (10_000, 60_000):
                ack = await phone.call("submit_contribution", {
                    "session": bijeenkomst["id"], "client_id": client_id("lang"), "text": "x" * size,
                })
                assert ack == {"ok": False, "error": {
                    "code": "text_too_long", "message": "Je tekst is te lang. Het maximum is 500 tekens.",
                }}
            await neighbour_still_works(bijeenkomst, host, phone)
        finally:
            await phone.close()
            await host.close()
            await http.close()

    run(scenario())
