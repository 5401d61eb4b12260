"""Crash durability under load: N phones each submit M contributions while the server is SIGKILLed K times.

    python bench/chaos.py [--phones 300] [--per-phone 10] [--kills 2] [--type-seconds 10] [--processes P]

Starts the real `facilitator serve` (eventlet) on a fixed loopback port with a temporary data folder,
creates a bijeenkomst, and lets N simulated phones join. Each phone "types" its M items evenly over
--type-seconds into an outbox and sends the outbox one item at a time, as static/js/participant/answer.js
does: an item leaves the outbox only on an `{ok: true, id}` acknowledgement; on a lost connection or
an ack timeout it stays and is sent again, with the same client id, after the phone has reconnected
(with socket.io-client's own backoff: 1 s doubling to 4 s, ±50 %) and sent join_session again.

During typing the server is killed K times with SIGKILL and started again on the same port and data
folder. After each kill, once every phone has noticed, the benchmark opens the store with the real
loader (TinyDBRepository, read-only) and checks that every acknowledgement received so far is on disk,
none twice. After the last restart it polls the files until all N × M items are stored.

Progress goes to stderr; the LAST line on stdout is one JSON object (see bench/README.md). The exit
status is 0 when nothing was lost or duplicated and everything was stored.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing as mp
import os
import random
import secrets
import signal
import socket
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from multiprocessing import connection as mp_connection
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.load import PHONES_PER_PROCESS, create_bijeenkomst, percentiles, sleep_until  # noqa: E402

#: Error codes after which the phone page drops an item from its outbox (FINAL_ERRORS in
#: static/js/participant/answer.js); any other error is retried after RETRY_AFTER seconds.
FINAL_ERRORS = frozenset({
    "text_empty", "text_too_long", "invalid_input", "duplicate_id", "limit_reached", "phase_not_open",
    "session_not_found", "not_your_role", "no_table",
})
RETRY_AFTER = 3.0
#: join_session refusals after which the phone page gives up on this connection (it reloads or forgets).
FINAL_JOIN_ERRORS = frozenset({"session_not_found", "not_joined", "not_authorised", "invalid_input"})
#: The phone page's acknowledgement timeout (realtime.js request()).
ACK_TIMEOUT = 10.0
#: socket.io-client's reconnection backoff as the phone page sets it (reconnectionDelayMax 4000).
RECONNECT_DELAY, RECONNECT_DELAY_MAX, RECONNECT_JITTER = 1.0, 4.0, 0.5
#: The issue's bound: everything stored within this long after the last restart.
STORED_WITHIN = 60.0


def log(message: str) -> None:
    """Progress for the human; stdout is kept for the JSON line."""
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def reconnect_delay(attempt: int) -> float:
    """Return the wait before reconnection attempt `attempt` (0-based), as socket.io-client computes it."""
    base = RECONNECT_DELAY * 2**attempt
    return min(base * (1 + RECONNECT_JITTER * (2 * random.random() - 1)), RECONNECT_DELAY_MAX)


# ---------------------------------------------------------------------------------------------
# Worker process: phones with an outbox on one asyncio loop.
# ---------------------------------------------------------------------------------------------


class OutboxPhone:
    """One phone: HTTP join once, then connect/join_session again after every drop, and send its outbox."""

    def __init__(self, number: int, config: dict[str, Any]) -> None:
        self.number = number
        self.config = config
        tag = secrets.token_hex(3)
        self.items = [
            (f"chaos-{number:04d}-{j:02d}-{tag}", f"Telefoon {number} bijdrage {j + 1}: wat mij is bijgebleven")
            for j in range(config["per_phone"])
        ]
        self.outbox: list[tuple[str, str]] = []
        self.acked: dict[str, float] = {}  # client id -> when the ok ack arrived
        self.refused: dict[str, str] = {}  # client id -> final error code
        self.token = ""
        self.http: Any = None  # the worker's aiohttp session, shared by every connection it opens
        self.sio: Any = None
        self.connected = False
        self.joined = asyncio.Event()
        self.dropped = asyncio.Event()
        self.wake = asyncio.Event()
        #: The acknowledgement being waited for; a dropped connection ends the wait at once (with None).
        self.inflight: asyncio.Future[Any] | None = None
        self.emits: Counter[str] = Counter()
        self.reconnects = 0
        self.interrupted = 0  # sends whose connection dropped before the ack came
        self.retried_codes: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()

    @property
    def finished(self) -> bool:
        return len(self.acked) + len(self.refused) == len(self.items)

    async def join_over_http(self, http: Any) -> bool:
        import aiohttp

        url = f"{self.config['base_url']}/j/{self.config['join_code']}"
        async with http.post(url, json={}, timeout=aiohttp.ClientTimeout(total=30)) as response:
            if response.status != 200:
                self.errors[f"join_http_{response.status}"] += 1
                return False
            self.token = (await response.json())["token"]
        return True

    async def connect_and_join(self) -> bool:
        """Open a connection and send join_session (again every few seconds while unanswered, as
        static/js/realtime.js does); return whether the phone is in the room."""
        import socketio

        sio = socketio.AsyncClient(reconnection=False, handle_sigint=False, http_session=self.http)

        async def on_disconnect(*_args: Any) -> None:
            if self.sio is sio:
                self.connected = False
                self.joined.clear()
                self.dropped.set()
                if self.inflight is not None and not self.inflight.done():
                    self.inflight.set_result(None)

        sio.on("disconnect", on_disconnect)
        self.sio = sio
        try:
            await sio.connect(
                self.config["base_url"], transports=["websocket"], auth={"token": self.token}, wait_timeout=10
            )
        except Exception:  # noqa: BLE001 - the server is down or starting: try again later
            await self._drop(sio)
            return False
        self.connected = True
        while sio.connected:
            ack = await self.ask("join_session", {"session": self.config["session_id"], "role": "participant"})
            if not sio.connected:
                return False  # dropped while waiting: stay_connected tries again after the backoff
            if isinstance(ack, dict) and ack.get("ok"):
                self.joined.set()
                return True
            if ack is None:
                self.errors["join_session_unanswered"] += 1
            code = ack.get("error", {}).get("code") if isinstance(ack, dict) else None
            if code is not None:
                self.errors[f"join_session_{code}"] += 1
            if code in FINAL_JOIN_ERRORS:
                break
            await asyncio.sleep(RETRY_AFTER)
        await self._drop(sio)
        return False

    async def _drop(self, sio: Any) -> None:
        self.connected = False
        try:
            await asyncio.wait_for(sio.disconnect(), 2)
        except Exception:  # noqa: BLE001
            pass

    async def stay_connected(self) -> None:
        """Keep the phone in the room: after a drop, wait the backoff and try again, like socket.io-client."""
        attempt = 0
        while not self.finished:
            if self.joined.is_set():
                self.dropped.clear()
                await self.dropped.wait()
                self.reconnects += 1
                attempt = 0
                continue
            await asyncio.sleep(reconnect_delay(attempt))
            attempt += 1
            if await self.connect_and_join():
                attempt = 0

    async def type_items(self, moments: list[float]) -> None:
        """Put each item in the outbox at its moment, as a person pressing "Versturen"."""
        for item, moment in zip(self.items, moments, strict=True):
            await sleep_until(moment)
            self.outbox.append(item)
            self.wake.set()

    async def ask(self, event: str, payload: dict[str, Any]) -> Any:
        """Emit with an acknowledgement; return it, or None when the connection dropped or none came in time."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.inflight = future

        def on_ack(*args: Any) -> None:
            if not future.done():
                future.set_result(args[0] if args else None)

        try:
            await self.sio.emit(event, payload, callback=on_ack)
            return await asyncio.wait_for(future, ACK_TIMEOUT)
        except Exception:  # noqa: BLE001 - not connected, or no ack in time
            return None

    async def request(self, cid: str, text: str) -> Any:
        """Send one item; return its ack, or None when the connection dropped or no ack came in time."""
        self.emits[cid] += 1
        ack = await self.ask("submit_contribution", {"session": self.config["session_id"], "client_id": cid, "text": text})
        if ack is None:
            self.interrupted += 1
        return ack

    async def send_outbox(self) -> None:
        """Send the outbox head until it is acknowledged (answer.js flush())."""
        while not self.finished:
            if not self.outbox:
                self.wake.clear()
                await self.wake.wait()
                continue
            await self.joined.wait()
            cid, text = self.outbox[0]
            ack = await self.request(cid, text)
            if isinstance(ack, dict) and ack.get("ok") and ack.get("id") == cid:
                self.outbox.pop(0)
                self.acked[cid] = time.time()
            elif isinstance(ack, dict) and isinstance(ack.get("error"), dict):
                code = str(ack["error"].get("code"))
                if code in FINAL_ERRORS:
                    self.outbox.pop(0)
                    self.refused[cid] = code
                else:
                    self.retried_codes[code] += 1
                    await asyncio.sleep(RETRY_AFTER)

    async def close(self) -> None:
        if self.sio is not None:
            sio, self.sio = self.sio, None
            try:
                await asyncio.wait_for(sio.disconnect(), 3)
            except Exception:  # noqa: BLE001
                pass

    def report(self) -> dict[str, Any]:
        return {
            "acked": dict(self.acked),
            "refused": dict(self.refused),
            "outbox": [cid for cid, _ in self.outbox],
            "emits": sum(self.emits.values()),
            "resends": sum(n - 1 for n in self.emits.values() if n > 1),
            "reconnects": self.reconnects,
            "interrupted": self.interrupted,
            "retried_codes": dict(self.retried_codes),
            "errors": dict(self.errors),
        }


def worker_main(index: int, numbers: list[int], config: dict[str, Any], conn: Any) -> None:
    """Entry point of one phone process."""
    warnings.filterwarnings("ignore")
    try:
        asyncio.run(_worker(index, numbers, config, conn))
    except Exception as exc:  # noqa: BLE001 - the orchestrator must hear of it, not hang
        try:
            conn.send(("crashed", index, repr(exc)))
        except OSError:
            pass


async def _worker(index: int, numbers: list[int], config: dict[str, Any], conn: Any) -> None:
    import aiohttp
    import socketio  # noqa: F401 - imported before "ready", so joining does not pay for it

    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def read_commands() -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return
            loop.call_soon_threadsafe(inbox.put_nowait, message)
            if message[0] == "stop":
                return

    threading.Thread(target=read_commands, daemon=True).start()
    phones = [OutboxPhone(number, config) for number in numbers]
    conn.send(("ready", index))

    command, _ = await inbox.get()
    assert command == "join", command
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    for phone in phones:
        phone.http = http
    http_ok = await asyncio.gather(*(p.join_over_http(http) for p in phones))
    joined = await asyncio.gather(*(p.connect_and_join() for p in phones if p.token))
    conn.send(("joined", index, {"http": sum(http_ok), "socket": sum(joined)}))

    command, go = await inbox.get()
    assert command == "go", command
    tasks = []
    for phone in phones:
        offset = go["spacing"] * (phone.number / go["phones"])  # phones take turns: an even stream into the room
        moments = [go["start"] + offset + j * go["spacing"] for j in range(len(phone.items))]
        tasks += [
            asyncio.create_task(phone.type_items(moments)),
            asyncio.create_task(phone.send_outbox()),
            asyncio.create_task(phone.stay_connected()),
        ]

    async def all_finished() -> None:
        while not all(p.finished for p in phones):
            await asyncio.sleep(0.05)
        conn.send(("done", index, [p.report() for p in phones]))

    finisher = asyncio.create_task(all_finished())
    while True:
        command, argument = await inbox.get()
        if command == "killed":
            # Wait until every phone has seen its connection drop: any ack the server sent before it
            # died has then been read, so the acked set is final for this kill.
            deadline = time.monotonic() + 5
            while any(p.connected for p in phones) and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            acked = [cid for p in phones for cid in p.acked]
            still_connected = sum(p.connected for p in phones)
            conn.send(("acked", index, {"kill": argument, "acked": acked, "still_connected": still_connected}))
        elif command == "report":
            conn.send(("report", index, [p.report() for p in phones]))
        elif command == "status":
            conn.send(("status", index, {
                "joined": sum(p.joined.is_set() for p in phones),
                "connected": sum(p.connected for p in phones),
                "waiting": sum(len(p.outbox) for p in phones),
                "in_flight": sum(1 for p in phones if p.inflight is not None and not p.inflight.done()),
                "acked": sum(len(p.acked) for p in phones),
            }))
        elif command == "stop":
            break
    finisher.cancel()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, finisher, return_exceptions=True)
    await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)
    await http.close()
    conn.send(("bye", index))


# ---------------------------------------------------------------------------------------------
# Orchestrator: the server, its kills, the checks.
# ---------------------------------------------------------------------------------------------


class Workers:
    """The phone processes and one thread that hands their pipe messages to the asyncio loop."""

    def __init__(self, count: int, phones: int, config: dict[str, Any]) -> None:
        ctx = mp.get_context("spawn")
        self.pipes: list[Any] = []
        self.processes: list[Any] = []
        for index in range(count):
            parent, child = ctx.Pipe()
            numbers = list(range(index, phones, count))
            process = ctx.Process(target=worker_main, args=(index, numbers, config, child), daemon=True)
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)
        self.inbox: asyncio.Queue[tuple[int, Any]] = asyncio.Queue()
        self._stop = threading.Event()
        self._loop = asyncio.get_running_loop()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        index_of = {id(conn): i for i, conn in enumerate(self.pipes)}
        open_pipes = list(self.pipes)
        while open_pipes and not self._stop.is_set():
            for conn in mp_connection.wait(open_pipes, timeout=0.2):
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    open_pipes.remove(conn)
                    continue
                self._loop.call_soon_threadsafe(self.inbox.put_nowait, (index_of[id(conn)], message))

    def send(self, message: tuple[str, Any]) -> None:
        for process, conn in zip(self.processes, self.pipes, strict=True):
            if process.is_alive():
                try:
                    conn.send(message)
                except OSError:
                    pass

    async def gather(self, expected: str, timeout: float) -> dict[int, Any]:
        """Collect one `expected` message per worker; raise if one crashed or the time ran out."""
        replies: dict[int, Any] = {}
        deadline = time.monotonic() + timeout
        while len(replies) < len(self.pipes):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f"only {len(replies)} of {len(self.pipes)} phone processes sent {expected!r}")
            index, message = await asyncio.wait_for(self.inbox.get(), remaining)
            if message[0] == "crashed":
                raise RuntimeError(f"phone process {index} crashed: {message[2]}")
            if message[0] == expected:
                replies[index] = message[2] if len(message) > 2 else None
        return replies

    async def close(self) -> None:
        self.send(("stop", None))
        try:
            await self.gather("bye", 10)
        except (RuntimeError, TimeoutError):
            pass
        for process in self.processes:
            process.join(timeout=2)
            if process.is_alive():
                process.kill()  # our own child, by its handle
                process.join(timeout=2)
        self._stop.set()
        self._reader.join(timeout=2)
        for conn in self.pipes:
            conn.close()


def free_port() -> int:
    """Return a loopback port that is free now (the server binds it with SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def check_store(data_dir: Path, session_id: str, acked: set[str]) -> dict[str, Any]:
    """Open the store with the real loader (read-only: the server tidies on its own start) and compare."""
    from facilitator.storage.tinydb_store import TinyDBRepository

    tmp_files = sorted(p.name for p in (data_dir / "sessions").glob(".*.tmp"))
    repo = TinyDBRepository(data_dir, read_only=True)
    opened = session_id in {s.id for s in repo.list_sessions()}
    ids = [c.id for c in repo.list_contributions(session_id)] if opened else []
    distinct = set(ids)
    return {
        "opened": opened,
        "stored": len(distinct),
        "duplicates": len(ids) - len(distinct),
        "lost": len(acked - distinct),
        "tmp_files": len(tmp_files),
    }


def count_stored(data_dir: Path, session_id: str) -> int:
    """Count the distinct contributions in the files now (snapshot plus journal), as the loader reads them."""
    from facilitator.storage.tinydb_store import read_session_data

    try:
        data, _records = read_session_data(data_dir / "sessions" / f"{session_id}.json")
    except (OSError, ValueError):
        return 0  # caught between two steps of a compaction: ask again
    return len({doc["id"] for doc in data.get("contributions", {}).values()})


async def host_view_count(base_url: str, key: str, session_id: str) -> int:
    """Return how many contributions a host screen that opens now is shown."""
    import socketio

    sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
    state: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    sio.on("session_state", lambda payload: state.done() or state.set_result(payload))
    await sio.connect(base_url, transports=["websocket"], headers={"Cookie": f"rd_host={key}"}, wait_timeout=10)
    try:
        ack = await sio.call("join_session", {"session": session_id, "role": "host"}, timeout=10)
        if not (isinstance(ack, dict) and ack.get("ok")):
            raise RuntimeError(f"host join_session failed: {ack!r}")
        return len((await asyncio.wait_for(state, 10))["contributions"])
    finally:
        await sio.disconnect()


async def run_chaos(
    *,
    phones: int = 300,
    per_phone: int = 10,
    kills: int = 2,
    type_seconds: float = 10.0,
    processes: int | None = None,
    data_dir: Path | None = None,
) -> dict[str, Any]:
    """Run the whole scenario against the real server; return the result (the JSON line's fields)."""
    from facilitator.testing.live_server import LiveServer

    processes = processes or max(2, math.ceil(phones / PHONES_PER_PROCESS))
    processes = max(1, min(processes, phones))
    expected = phones * per_phone
    tmp = None
    if data_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="rode-draad-chaos-")
        data_dir = Path(tmp.name)
    port = free_port()
    # The product's own serve command, on one fixed port: the phones reconnect to the same address.
    command = [sys.executable, "-m", "facilitator", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--data-dir", str(data_dir)]
    server = LiveServer(data_dir, cwd=REPO_ROOT, command=command)
    workers: Workers | None = None
    result: dict[str, Any] = {
        "phones": phones, "per_phone": per_phone, "expected": expected, "kills": 0,
        "acked": 0, "stored": 0, "duplicates": 0, "lost": 0,
        "seconds_to_all_stored_after_last_restart": None, "store_opened_after_every_kill": False,
    }
    try:
        server.start()
        base_url = server.base_url
        if server.port != port:
            raise RuntimeError(f"port {port} was taken; the server chose {server.port}")
        created = create_bijeenkomst(base_url, server.key)
        session_id = created["id"]
        config = {"base_url": base_url, "join_code": created["join_code"], "session_id": session_id,
                  "per_phone": per_phone}
        log(f"{phones} phones × {per_phone} in {processes} processes; {kills} kills; server on {base_url}")
        workers = Workers(processes, phones, config)
        await workers.gather("ready", 60)
        join_started = time.time()
        workers.send(("join", None))
        joined = await workers.gather("joined", 120)
        in_room = sum(r["socket"] for r in joined.values())
        join_s = round(time.time() - join_started, 2)
        log(f"{in_room}/{phones} phones in the room after {join_s} s")
        if in_room != phones:
            raise RuntimeError(f"only {in_room} of {phones} phones joined")

        spacing = type_seconds / per_phone
        start = time.time() + 0.5
        workers.send(("go", {"start": start, "spacing": spacing, "phones": phones}))
        kill_reports: list[dict[str, Any]] = []
        ready_at = start
        restarted_at = start
        for k in range(kills):
            # Spread the kills over the typing, each at least a second after the server is back.
            await sleep_until(max(start + type_seconds * (k + 1) / (kills + 1), ready_at + 1.0))
            assert server.process is not None
            killed_at = time.time()
            server.process.send_signal(signal.SIGKILL)
            await asyncio.to_thread(server.process.wait, 10)
            workers.send(("killed", k))
            replies = await workers.gather("acked", 30)
            acked_now = {cid for r in replies.values() for cid in r["acked"]}
            report = {"at_s": round(killed_at - start, 2), "acked_before": len(acked_now),
                      **check_store(data_dir, session_id, acked_now)}
            restarted_at = time.time()
            await asyncio.to_thread(server.start)
            ready_at = time.time()
            if server.port != port:
                raise RuntimeError(f"port {port} was taken at restart; the server chose {server.port}")
            report["down_s"] = round(ready_at - killed_at, 2)
            report["start_s"] = round(ready_at - restarted_at, 2)
            kill_reports.append(report)
            result["kills"] = k + 1
            log(f"kill {k + 1}: {report}")

        # -- after the last restart: poll the files until every item is stored.
        all_stored_at = None
        deadline = max(restarted_at, start + type_seconds) + STORED_WITHIN + 5
        next_progress = time.time() + 2
        while time.time() < deadline:
            stored_now = count_stored(data_dir, session_id)
            if stored_now >= expected:
                all_stored_at = time.time()
                break
            if time.time() >= next_progress:
                next_progress += 2
                workers.send(("status", None))
                status = Counter()
                for reply in (await workers.gather("status", 10)).values():
                    status.update(reply)
                log(f"{time.time() - restarted_at:.1f} s after the last restart: {stored_now} stored; phones {dict(status)}")
            await asyncio.sleep(0.1)
        if all_stored_at is not None:
            result["seconds_to_all_stored_after_last_restart"] = round(all_stored_at - restarted_at, 2)
        log(f"all stored {result['seconds_to_all_stored_after_last_restart']} s after the last restart")

        try:
            done = await workers.gather("done", max(5.0, deadline - time.time()))
            reports = [phone for r in done.values() for phone in r]
        except (RuntimeError, TimeoutError):
            workers.send(("report", None))
            reports = [phone for r in (await workers.gather("report", 15)).values() for phone in r]
        acked_at = {cid: t for r in reports for cid, t in r["acked"].items()}
        refused = Counter(code for r in reports for code in r["refused"].values())
        host_count = await host_view_count(server.base_url, server.key, session_id)
        server.stop()  # politely: its files are final now

        final = check_store(data_dir, session_id, set(acked_at))
        last_ack = max(acked_at.values(), default=None)
        errors: Counter[str] = Counter()
        for r in reports:
            errors.update(r["errors"])
        result.update(
            acked=len(acked_at),
            stored=final["stored"],
            duplicates=final["duplicates"],
            lost=final["lost"],
            store_opened_after_every_kill=all(r["opened"] for r in kill_reports) and final["opened"],
        )
        result["detail"] = {
            "processes": processes,
            "type_seconds": type_seconds,
            "join_s": join_s,
            "kills": kill_reports,
            "seconds_to_all_acked_after_last_restart": (
                round(last_ack - restarted_at, 2) if last_ack is not None else None
            ),
            "host_view_contributions": host_count,
            "refused": dict(refused),
            "still_in_outbox": sum(len(r["outbox"]) for r in reports),
            "emits": sum(r["emits"] for r in reports),
            "resends": sum(r["resends"] for r in reports),
            "reconnects": sum(r["reconnects"] for r in reports),
            "interrupted_sends": sum(r["interrupted"] for r in reports),
            "retried_error_codes": dict(sum((Counter(r["retried_codes"]) for r in reports), Counter())),
            "phone_errors": dict(errors),
            "ack_to_restart_s": percentiles(
                [t - restarted_at for t in acked_at.values() if t >= restarted_at]
            ),
            "tmp_files_after_stop": final["tmp_files"],
        }
        return result
    finally:
        if workers is not None:
            await workers.close()
        if any("Traceback" in line or "rror" in line for line in server.output):
            log("server output:\n" + "".join(server.output[-60:]))
        server.kill()
        if tmp is not None:
            tmp.cleanup()


def succeeded(result: dict[str, Any]) -> bool:
    """Tell whether a run met the issue's bar."""
    seconds = result.get("seconds_to_all_stored_after_last_restart")
    return (
        result["acked"] == result["expected"] == result["stored"]
        and result["duplicates"] == 0
        and result["lost"] == 0
        and result["store_opened_after_every_kill"] is True
        and seconds is not None
        and seconds <= STORED_WITHIN
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=300, help="how many simulated phones")
    parser.add_argument("--per-phone", type=int, default=10, help="contributions each phone submits")
    parser.add_argument("--kills", type=int, default=2, help="how often the server is killed (SIGKILL) and restarted")
    parser.add_argument("--type-seconds", type=float, default=10.0, help="each phone's items are typed evenly over this")
    parser.add_argument("--processes", type=int, default=None, help=f"phone processes (default: ≥2, ≤{PHONES_PER_PROCESS} phones each)")
    parser.add_argument("--max-seconds", type=float, default=240.0, help="hard limit for the whole run")
    args = parser.parse_args(argv)
    if args.phones < 1 or args.per_phone < 1 or args.kills < 0 or args.type_seconds <= 0:
        parser.error("--phones and --per-phone must be at least 1, --kills at least 0, --type-seconds positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    warnings.filterwarnings("ignore")
    try:
        result = asyncio.run(asyncio.wait_for(
            run_chaos(phones=args.phones, per_phone=args.per_phone, kills=args.kills,
                      type_seconds=args.type_seconds, processes=args.processes),
            args.max_seconds,
        ))
    except Exception as exc:  # noqa: BLE001 - still print a JSON line the caller can read
        log(f"failed: {exc!r}")
        result = {"phones": args.phones, "per_phone": args.per_phone, "error": repr(exc)}
        print(json.dumps(result), flush=True)
        return 1
    print(json.dumps(result), flush=True)
    return 0 if succeeded(result) else 1


if __name__ == "__main__":
    sys.exit(main())
