"""A TCP proxy between phones and the real server that can pull the plug, for the reconnect tests.

Playwright's offline switch leaves open WebSockets alone, so a phone that is "offline" there keeps its
connection. This proxy cuts the network itself, in one of two ways:

- ``cut("stall")``: what a Wi-Fi that drops out does. Open connections stay open but nothing passes
  either way (bytes already read are held, not lost, like TCP would keep them); neither end hears a
  thing until its own timeout (Socket.IO's ping timeout) gives up on the connection.
- ``cut("reset")``: what a restarted access point or laptop does: every open connection is reset at once.

Either way, while cut, every new connection is accepted and reset at once (counted in ``refused``), so
a phone's reconnect attempts fail fast and can be counted. ``heal()`` lets traffic flow again: held
bytes of stalled connections that both ends still keep open are delivered, new connections go through.

It runs on its own asyncio loop in a daemon thread, so it works next to Playwright's sync API.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
import time
from typing import Any

#: How much one read moves at a time.
CHUNK = 64 * 1024


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close a connection with a TCP reset (SO_LINGER 0), as a vanished network path would."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class TcpProxy:
    """Forward 127.0.0.1:<port> to a target address, with a switch to cut and heal the network."""

    def __init__(self, target_host: str, target_port: int, *, listen_host: str = "127.0.0.1") -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.listen_host = listen_host
        self.port = 0
        #: Connections accepted and reset while the network was cut (a phone's reconnect attempts).
        self.refused = 0
        #: Connections that went through to the server.
        self.forwarded = 0
        #: When the last cut began and the last heal happened (time.monotonic()), for the test's report.
        self.cut_at: float | None = None
        self.healed_at: float | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None
        self._flowing: asyncio.Event | None = None
        self._cut = False
        self._writers: set[asyncio.StreamWriter] = set()

    # -- the switch (called from the test's thread) -------------------------------------------

    @property
    def url(self) -> str:
        """The base URL phones use to reach the server through the proxy."""
        return f"http://{self.listen_host}:{self.port}"

    def start(self) -> TcpProxy:
        """Start listening on a free port; return once it accepts connections."""
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self._open(ready))
            loop.run_forever()
            loop.run_until_complete(self._close_all())
            loop.close()

        self._thread = threading.Thread(target=serve, name="tcp-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the proxy did not start")
        return self

    def cut(self, mode: str = "stall") -> None:
        """Cut the network: "stall" holds open connections silent, "reset" resets them; new ones are refused."""
        if mode not in ("stall", "reset"):
            raise ValueError(f"unknown cut mode {mode!r}")
        self._call(self._do_cut, mode)

    def heal(self) -> None:
        """Let traffic through again."""
        self._call(self._do_heal)

    def stop(self) -> None:
        """Close every connection and the listener, and end the proxy's thread."""
        if self._loop is None:
            return
        loop = self._loop
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop = None

    def _call(self, function: Any, *args: Any) -> None:
        assert self._loop is not None, "start the proxy first"
        asyncio.run_coroutine_threadsafe(function(*args), self._loop).result(10)

    # -- inside the proxy's loop --------------------------------------------------------------

    async def _open(self, ready: threading.Event) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server = await asyncio.start_server(self._accept, self.listen_host, 0, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        ready.set()

    async def _do_cut(self, mode: str) -> None:
        assert self._flowing is not None
        self._cut = True
        self.cut_at, self.healed_at = time.monotonic(), None
        self._flowing.clear()
        if mode == "reset":
            for writer in list(self._writers):
                _reset(writer)
            self._writers.clear()

    async def _do_heal(self) -> None:
        assert self._flowing is not None
        self._cut = False
        self.healed_at = time.monotonic()
        self._flowing.set()

    async def _close_all(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if self._cut:
            self.refused += 1
            _reset(client_writer)
            return
        try:
            server_reader, server_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            _reset(client_writer)  # the server itself is down: the phone sees a refused connection
            return
        self.forwarded += 1
        self._writers.update((client_writer, server_writer))
        pumps = [
            asyncio.ensure_future(self._pump(client_reader, server_writer)),
            asyncio.ensure_future(self._pump(server_reader, client_writer)),
        ]
        try:
            await asyncio.gather(*pumps)
        except asyncio.CancelledError:
            pass  # the proxy is stopping
        finally:
            for writer in (client_writer, server_writer):
                self._writers.discard(writer)
                writer.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copy one direction; while cut, neither read nor write (held bytes wait for the heal)."""
        assert self._flowing is not None
        try:
            while True:
                await self._flowing.wait()
                data = await reader.read(CHUNK)
                await self._flowing.wait()  # read just before a cut: hold it, like the network would
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            writer.transport.abort()  # one end broke off: so does the other, as a real path would
