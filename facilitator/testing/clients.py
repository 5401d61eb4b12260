"""Socket.IO clients that record what the real server sends, for the end-to-end tests and the benchmarks."""

from __future__ import annotations

import asyncio
import concurrent.futures
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import socketio

from facilitator.storage.tinydb_store import read_session_data

#: How long any single awaited outcome may take before the test fails.
WAIT = 15.0


class Recorder:
    """One python-socketio AsyncClient (a phone or a host screen) that records every server event."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.client = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        self.disconnected = asyncio.Event()
        self._changed = asyncio.Condition()
        self.client.on("*", self._record)
        self.client.on("disconnect", self._on_disconnect)

    async def _record(self, event: str, *args: Any) -> None:
        async with self._changed:
            self.events.append((event, args[0] if len(args) == 1 else args))
            self._changed.notify_all()

    async def _on_disconnect(self, *_args: Any) -> None:
        self.disconnected.set()

    async def connect(self, base_url: str, *, token: str | None = None, host_key: str | None = None) -> None:
        """Open a websocket-only connection, as a phone (token) or as the host (cookie)."""
        self.disconnected.clear()
        await self.client.connect(
            base_url,
            auth={"token": token} if token else None,
            headers={"Cookie": f"rd_host={host_key}"} if host_key else {},
            transports=["websocket"],
            wait_timeout=WAIT,
        )

    async def call(self, event: str, data: dict[str, Any]) -> Any:
        """Emit an event and return the server's acknowledgement."""
        return await self.client.call(event, data, timeout=WAIT)

    async def join(self, session_id: str, role: str) -> dict[str, Any]:
        """Send join_session; return the session_state it produced (after checking the ack)."""
        before = len(self.of("session_state"))
        ack = await self.call("join_session", {"session": session_id, "role": role})
        assert ack == {"ok": True, "role": role}, (self.name, ack)
        await self.wait_for(lambda: len(self.of("session_state")) > before)
        state: dict[str, Any] = self.of("session_state")[before]
        return state

    def of(self, event: str) -> list[Any]:
        """Return the payloads of one event, in arrival order."""
        return [data for name, data in self.events if name == event]

    async def wait_for(self, ready: Callable[[], bool], timeout: float = WAIT) -> None:
        """Wait until `ready()` holds for the recorded events; fail with what arrived otherwise."""
        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(ready)

        try:
            await asyncio.wait_for(until(), timeout)
        except TimeoutError:
            summary = [name for name, _ in self.events]
            raise AssertionError(f"{self.name}: condition not met in {timeout}s; events: {summary}") from None

    async def close(self) -> None:
        """Disconnect if still connected (never raises: used in finally blocks)."""
        try:
            await asyncio.wait_for(self.client.disconnect(), 5)
        except Exception:  # noqa: BLE001 - cleanup must go on
            pass


async def join_over_http(http: aiohttp.ClientSession, base_url: str, join_code: str, **fields: Any) -> str:
    """POST /j/<code> like the phone page does; return the participant token."""
    async with http.post(f"{base_url}/j/{join_code}", json=fields) as response:
        body = await response.json()
        assert response.status == 200, body
        assert body["ok"] is True and isinstance(body["token"], str), body
        return str(body["token"])


def client_id(prefix: str) -> str:
    """Return a fresh client id of the form the phone page makes (8-64 of [A-Za-z0-9_-])."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def stored_contributions(data_dir: Path, session_id: str) -> list[dict[str, Any]]:
    """Read the bijeenkomst's files (snapshot plus journal) without the server; return its contributions by doc id."""
    data, _records = read_session_data(data_dir / "sessions" / f"{session_id}.json")
    docs = data.get("contributions", {})
    return [docs[key] for key in sorted(docs, key=int)]


def run(coroutine: Any, timeout: float = 90.0) -> Any:
    """Run a test's coroutine on a fresh loop in its own thread, with an overall deadline.

    Its own thread, because Playwright's sync API (the browser tests, same pytest process) leaves
    a running loop in the main thread, where asyncio.run() refuses to start.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(coroutine, timeout)).result()
