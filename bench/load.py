"""Load benchmark: N phones join one bijeenkomst, each submits once within a short burst.

    python bench/load.py --phones 300 [--server URL --key KEY | --floor] [--burst-seconds 5] [--processes P]

Without --server it starts its own `facilitator serve` (eventlet) on a free port with a
temporary data folder and its event-loop lag probe on (FACILITATOR_LAG_PROBE=1), creates a
bijeenkomst and stops everything at the end. With --server it uses a running server (loopback
only) and creates a new bijeenkomst there. With --floor it starts bench/floor_server.py
instead: the bare Socket.IO server the product is compared with.

The phones are python-socketio AsyncClients (websocket transport) spread over several worker
processes, each running one asyncio loop. One host client in the main process listens for
`contribution_added`; during the burst it also asks for "Stel thema's voor" (the clusterer, in
the server's thread pool) and downloads the verslag as Word and PDF, as a facilitator might.
All processes run on one machine, so time.time() is a shared clock: every latency is the
receiver's time.time() minus the sender's time.time().

Progress goes to stderr; the LAST line on stdout is one JSON object (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing as mp
import os
import secrets
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from multiprocessing import connection as mp_connection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
PHONES_PER_PROCESS = 100
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: The goals of issue 6 point 11: (result field, limit, "max" = at most / "below" = strictly less).
GOALS = (
    ("submit_to_host_p95_ms", 100.0, "max"),
    ("join_s", 10.0, "max"),
    ("server_rss_peak_mb", 300.0, "max"),
    ("lag_p99_ms", 100.0, "below"),
)
#: When the host's work starts, as a share of the burst: the suggestion first (its first run loads
#: scikit-learn, seconds of work), then the Word and the PDF export while it is still running.
HOST_WORK_AT = {"suggest_themes": 0.3, "verslag_docx": 0.45, "verslag_pdf": 0.6}


def log(message: str) -> None:
    """Progress for the human; stdout is kept for the JSON line."""
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p50/p95/p99/max by the nearest-rank method, in the unit given, rounded to 0.1."""
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(values)

    def rank(q: float) -> float:
        return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)], 1)

    return {"p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99), "max": round(ordered[-1], 1)}


def proc_rss_mb(pid: int, field: str = "VmRSS") -> float | None:
    """Resident memory of a process from /proc/<pid>/status, in MB: VmRSS now, or VmHWM (its peak so far)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def proc_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of a process and its finished children (Chromium printing a PDF), from /proc/<pid>/stat."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float] | None:
    """(busy, steal) CPU seconds of the whole machine, all cores, from /proc/stat."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    steal = fields[7] if len(fields) > 7 else 0
    return (sum(fields[:8]) - idle - steal) / tick, steal / tick


async def sleep_until(moment: float) -> None:
    delay = moment - time.time()
    if delay > 0:
        await asyncio.sleep(delay)


# ---------------------------------------------------------------------------------------------
# Worker process: a few dozen to ~100 phones on one asyncio loop.
# ---------------------------------------------------------------------------------------------


def worker_main(index: int, phone_numbers: list[int], config: dict[str, Any], conn: Any) -> None:
    """Entry point of one load-generator process."""
    warnings.filterwarnings("ignore")
    try:
        asyncio.run(_worker(index, phone_numbers, config, conn))
    except Exception as exc:  # noqa: BLE001 - the main process must hear about it, not hang
        try:
            conn.send(("crashed", index, repr(exc)))
        except OSError:
            pass


class Phone:
    """One simulated phone: HTTP join, Socket.IO connect, join_session, one submission."""

    def __init__(self, number: int, config: dict[str, Any], errors: Counter[str]) -> None:
        self.number = number
        self.config = config
        self.errors = errors
        self.sio: Any = None
        self.joined_at: float | None = None
        self.client_id = f"bench-{number:05d}-{secrets.token_hex(4)}"
        self.sent_at: float | None = None
        self.acked_at: float | None = None
        self.send_lag: float | None = None
        self.stopping = False

    async def join(self, http: Any) -> None:
        import socketio

        base, timeout = self.config["base_url"], self.config["join_timeout"]
        try:
            async with http.post(
                f"{base}/j/{self.config['join_code']}", json={"table": self.number % 12 + 1}
            ) as response:
                if response.status != 200:
                    self.errors["join_http_status"] += 1
                    return
                body = await response.json()
            if not body.get("ok") or body.get("session") != self.config["session_id"]:
                self.errors["join_http_body"] += 1
                return
            sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
            self.sio = sio

            @sio.event
            async def disconnect(*_args: Any) -> None:
                if not self.stopping:
                    self.errors["unexpected_disconnect"] += 1

            await sio.connect(base, transports=["websocket"], auth={"token": body["token"]}, wait_timeout=timeout)
            ack = await sio.call(
                "join_session", {"session": self.config["session_id"], "role": "participant"}, timeout=timeout
            )
            if not (isinstance(ack, dict) and ack.get("ok")):
                self.errors["join_session_error_ack"] += 1
                return
            self.joined_at = time.time()
        except TimeoutError:
            self.errors["join_timeout"] += 1
        except socketio.exceptions.TimeoutError:
            self.errors["join_timeout"] += 1
        except Exception as exc:  # noqa: BLE001 - count it, keep the other phones going
            self.errors[f"join_{type(exc).__name__}"] += 1

    async def submit(self, moment: float, deadline: float) -> None:
        await sleep_until(moment)
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Any] = loop.create_future()

        def on_ack(*args: Any) -> None:
            self.acked_at = time.time()  # in the client's read loop: the moment the ack arrived
            if not done.done():
                done.set_result(args[0] if args else None)

        text = f"Bijdrage van telefoon {self.number}, verstuurd om {time.time():.6f}"
        self.sent_at = time.time()
        self.send_lag = self.sent_at - moment  # how late the generator was: large means it is the bottleneck
        try:
            await self.sio.emit(
                "submit_contribution",
                {"session": self.config["session_id"], "client_id": self.client_id, "text": text},
                callback=on_ack,
            )
            ack = await asyncio.wait_for(done, max(0.01, deadline - time.time()))
        except TimeoutError:
            self.acked_at = None
            self.errors["submit_ack_timeout"] += 1
            return
        except Exception as exc:  # noqa: BLE001
            self.acked_at = None
            self.errors[f"submit_{type(exc).__name__}"] += 1
            return
        if not (isinstance(ack, dict) and ack.get("ok") and ack.get("id") == self.client_id):
            self.acked_at = None
            code = ack.get("error", {}).get("code") if isinstance(ack, dict) else None
            self.errors[f"submit_error_ack_{code}"] += 1


async def _worker(index: int, phone_numbers: list[int], config: dict[str, Any], conn: Any) -> None:
    import aiohttp
    import socketio  # noqa: F401 - imported before "ready" so the join storm does not pay for it

    loop = asyncio.get_running_loop()

    async def receive() -> Any:
        return await loop.run_in_executor(None, conn.recv)

    errors: Counter[str] = Counter()
    phones = [Phone(number, config, errors) for number in phone_numbers]
    conn.send(("ready", index))

    command, start = await receive()
    assert command == "join", command
    await sleep_until(start)
    cpu_start = time.process_time()
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=config["join_timeout"]))
    try:
        await asyncio.wait_for(
            asyncio.gather(*(phone.join(http) for phone in phones)), config["join_timeout"] + 2
        )
    except TimeoutError:
        errors["join_phase_timeout"] += 1
    joined = [p for p in phones if p.joined_at is not None]
    cpu_joined = time.process_time()
    conn.send(
        (
            "joined",
            index,
            {
                "joined": len(joined),
                "last_joined_at": max((p.joined_at for p in joined), default=None),  # type: ignore[type-var]
                "cpu_s": cpu_joined - cpu_start,
            },
        )
    )

    command, burst = await receive()
    assert command == "burst", command
    cpu_burst_start = time.process_time()
    start, spacing, deadline = burst["start"], burst["spacing"], burst["deadline"]
    await asyncio.gather(*(p.submit(start + p.number * spacing, deadline) for p in joined))
    cpu_burst_end = time.process_time()
    conn.send(
        (
            "results",
            index,
            {
                "sent": {p.client_id: p.sent_at for p in joined if p.sent_at is not None},
                "ack_ms": [(p.acked_at - p.sent_at) * 1000 for p in joined if p.acked_at and p.sent_at],
                "acked_at": {p.client_id: p.acked_at for p in joined if p.acked_at and p.sent_at},
                "send_lag_ms": [p.send_lag * 1000 for p in joined if p.send_lag is not None],
                "errors": dict(errors),
                "cpu_s": cpu_burst_end - cpu_burst_start,
                "burst_wall_s": time.time() - start,
            },
        )
    )

    command, _ = await receive()  # "stop"
    for phone in phones:
        phone.stopping = True
    await asyncio.gather(
        *(asyncio.wait_for(p.sio.disconnect(), 5) for p in phones if p.sio is not None), return_exceptions=True
    )
    await http.close()
    conn.send(("bye", index, {"cpu_total_s": time.process_time() - cpu_start}))


# ---------------------------------------------------------------------------------------------
# Main process: the server, the bijeenkomst, the host client, the orchestration.
# ---------------------------------------------------------------------------------------------


class Host:
    """The projector view: one Socket.IO client in the host room, timing contribution_added."""

    def __init__(self, base_url: str, key: str, session_id: str) -> None:
        import socketio

        self.base_url, self.key, self.session_id = base_url, key, session_id
        self.received: dict[str, float] = {}
        self.agenda: list[str] = []  # agenda item ids, from the host's session_state
        self.disconnected = False
        self.sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        self.sio.on("contribution_added", self._on_added)
        self.sio.on("session_state", self._on_state)
        self.sio.on("disconnect", self._on_disconnect)

    def _on_state(self, payload: Any) -> None:
        agenda = payload.get("agenda") if isinstance(payload, dict) else None
        if isinstance(agenda, list):
            self.agenda = [item["id"] for item in agenda if isinstance(item, dict) and "id" in item]

    def _on_added(self, payload: Any) -> None:
        now = time.time()
        contribution = payload.get("contribution", {}) if isinstance(payload, dict) else {}
        cid = contribution.get("id")
        if isinstance(cid, str) and cid not in self.received:
            self.received[cid] = now

    def _on_disconnect(self, *_args: Any) -> None:
        self.disconnected = True

    async def start(self) -> None:
        await self.sio.connect(
            self.base_url, transports=["websocket"], headers={"Cookie": f"rd_host={self.key}"}, wait_timeout=10
        )
        ack = await self.sio.call("join_session", {"session": self.session_id, "role": "host"}, timeout=10)
        if not (isinstance(ack, dict) and ack.get("ok") and ack.get("role") == "host"):
            raise RuntimeError(f"host join_session failed: {ack!r}")

    async def stop(self) -> None:
        self.disconnected = False
        try:
            await asyncio.wait_for(self.sio.disconnect(), 5)
        except Exception:  # noqa: BLE001
            pass


def create_bijeenkomst(base_url: str, key: str) -> dict[str, Any]:
    import requests

    http = requests.Session()
    response = http.get(f"{base_url}/host/login", params={"key": key}, allow_redirects=False, timeout=10)
    if response.status_code != 303:
        raise RuntimeError(f"host login failed: HTTP {response.status_code}")
    response = http.post(f"{base_url}/host/sessions", json={"title": f"Belastingtest {time.strftime('%H:%M:%S')}"}, timeout=10)
    if response.status_code != 201:
        raise RuntimeError(f"creating the bijeenkomst failed: HTTP {response.status_code} {response.text[:200]}")
    return dict(response.json())


async def host_work(host: Host, http: Any, burst_start: float, burst_s: float, wanted: list[str]) -> dict[str, Any]:
    """During the burst, what a facilitator does besides watching: ask for themes, download the verslag."""

    async def suggest() -> dict[str, Any]:
        if not host.agenda:
            return {"ok": False, "error": "no agenda item in the host's session_state"}
        ack = await host.sio.call(
            "suggest_themes", {"session": host.session_id, "item": host.agenda[0], "mode": "suggest"}, timeout=30
        )
        if isinstance(ack, dict) and ack.get("ok") is True:
            return {"ok": True, "themes": ack.get("themes")}
        return {"ok": False, "error": repr(ack)[:200]}

    async def download(fmt: str) -> dict[str, Any]:
        async with http.get(f"{host.base_url}/host/s/{host.session_id}/verslag.{fmt}") as response:
            body = await response.read()
        if response.status == 200 and body:
            return {"ok": True, "kb": round(len(body) / 1024, 1)}
        return {"ok": False, "error": f"HTTP {response.status}"}

    every: dict[str, Any] = {
        "suggest_themes": suggest, "verslag_docx": lambda: download("docx"), "verslag_pdf": lambda: download("pdf")
    }
    jobs = {name: job for name, job in every.items() if name in wanted}

    async def timed(name: str, job: Any) -> tuple[str, dict[str, Any]]:
        await sleep_until(burst_start + HOST_WORK_AT[name] * burst_s)
        started = time.time()
        try:
            outcome = await job()
        except Exception as exc:  # noqa: BLE001 - reported in the JSON line, counted as an error
            outcome = {"ok": False, "error": repr(exc)[:200]}
        outcome.update(at_s=round(started - burst_start, 2), ms=round((time.time() - started) * 1000, 1))
        return name, outcome

    return dict(await asyncio.gather(*(timed(name, job) for name, job in jobs.items())))


async def fetch_lag(http: Any, base_url: str, since: float) -> list[tuple[float, float]] | None:
    """Return the server's lag-probe samples (unix time, lag ms) since `since`, or None when it has no probe."""
    async with http.get(f"{base_url}/host/lag-probe", params={"since": f"{since:.3f}"}) as response:
        if response.status == 404:
            return None
        response.raise_for_status()
        body = await response.json()
    return [(float(at), float(lag)) for at, lag in body["samples"]]


def lag_between(samples: list[tuple[float, float]] | None, start: float, end: float) -> dict[str, float | None]:
    """p50/p95/p99/max of the loop's lag in ms over the wake-ups from `start` to `end` (all None without a probe)."""
    return percentiles([lag for at, lag in samples or [] if start <= at <= end])


def goals(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Check a result's numbers against GOALS; a missing number (no probe, no server pid) fails its goal."""
    values = {
        "submit_to_host_p95_ms": result["submit_to_host_ms"]["p95"],
        "join_s": result["join_s"],
        "server_rss_peak_mb": result["server_rss_peak_mb"],
        "lag_p99_ms": result["lag_ms"]["p99"],
    }
    checked = {}
    for field, limit, kind in GOALS:
        value = values[field]
        ok = value is not None and (value <= limit if kind == "max" else value < limit)
        checked[field] = {"value": value, "limit": limit, "ok": ok}
    return checked


def empty_result(phones: int) -> dict[str, Any]:
    """The JSON line's fields, before anything was measured."""
    return {
        "phones": phones,
        "joined": 0,
        "join_s": None,
        "submitted": 0,
        "acked": 0,
        "received_by_host": 0,
        "errors": 0,
        "submit_to_host_ms": percentiles([]),
        "ack_ms": percentiles([]),
        "server_rss_mb": None,
        "server_rss_peak_mb": None,
        "lag_ms": percentiles([]),
        "host_work": None,
        "generator_cpu_s": None,
    }


async def run(args: argparse.Namespace, base_url: str, key: str, server_pid: int | None) -> dict[str, Any]:
    n, processes = args.phones, args.processes
    load_at_start = round(os.getloadavg()[0], 2)
    created = create_bijeenkomst(base_url, key)
    session_id, join_code = created["id"], created["join_code"]
    log(f"bijeenkomst {session_id} (code {join_code}) on {base_url}; {n} phones in {processes} processes")

    errors: Counter[str] = Counter()
    result = empty_result(n)

    import aiohttp

    # The facilitator's browser: downloads the verslag and reads the lag probe (both host-only).
    host_http = aiohttp.ClientSession(headers={"Cookie": f"rd_host={key}"}, timeout=aiohttp.ClientTimeout(total=30))
    host = Host(base_url, key, session_id)
    try:
        await host.start()
    except BaseException:
        await host_http.close()
        raise

    config = {
        "base_url": base_url,
        "join_code": join_code,
        "session_id": session_id,
        "join_timeout": args.join_timeout,
    }
    ctx = mp.get_context("spawn")
    workers: list[tuple[Any, Any]] = []
    loop = asyncio.get_running_loop()
    stop_reading = threading.Event()
    reader: threading.Thread | None = None
    finished = False
    try:
        for index in range(processes):
            parent, child = ctx.Pipe()
            numbers = list(range(index, n, processes))  # interleaved: every process sends all through the burst
            process = ctx.Process(target=worker_main, args=(index, numbers, config, child), daemon=True)
            process.start()
            workers.append((process, parent))

        # One thread reads every worker's pipe and hands the messages to the loop.
        inbox: asyncio.Queue[tuple[int, Any]] = asyncio.Queue()
        index_of = {id(conn): index for index, (_, conn) in enumerate(workers)}

        def read_pipes() -> None:
            open_conns = [conn for _, conn in workers]
            while open_conns and not stop_reading.is_set():
                for conn in mp_connection.wait(open_conns, timeout=0.2):
                    try:
                        message = conn.recv()
                    except (EOFError, OSError):
                        open_conns.remove(conn)
                        continue
                    loop.call_soon_threadsafe(inbox.put_nowait, (index_of[id(conn)], message))

        reader = threading.Thread(target=read_pipes, name="pipes", daemon=True)
        reader.start()

        async def gather_replies(expected: str, timeout: float) -> dict[int, Any]:
            """Collect one `expected` message per worker, or give up at the deadline."""
            replies: dict[int, Any] = {}
            gone: set[int] = set()
            deadline = time.monotonic() + timeout
            while len(replies) + len(gone) < len(workers):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    index, message = await asyncio.wait_for(inbox.get(), remaining)
                except TimeoutError:
                    break
                if message[0] == "crashed":
                    errors["worker_crashed"] += 1
                    gone.add(index)
                    log(f"worker {index} crashed: {message[2]}")
                elif message[0] == expected:
                    replies[index] = message[2] if len(message) > 2 else None
            missing = len(workers) - len(replies) - len(gone)
            if missing:
                errors[f"worker_no_{expected}"] += missing
            return replies

        def broadcast(message: tuple[str, Any]) -> None:
            for process, conn in workers:
                if process.is_alive():
                    try:
                        conn.send(message)
                    except OSError:
                        pass

        ready = await gather_replies("ready", 30)
        if len(ready) != processes:
            raise RuntimeError("not every load-generator process started")

        # -- the join storm ----------------------------------------------------------------------
        join_start = time.time() + 0.3
        cpu_main_0 = time.process_time()
        server_cpu_0 = proc_cpu_s(server_pid) if server_pid else None
        broadcast(("join", join_start))
        joined = await gather_replies("joined", args.join_timeout + 10)
        result["joined"] = sum(r["joined"] for r in joined.values())
        last = [r["last_joined_at"] for r in joined.values() if r["last_joined_at"]]
        if last:
            result["join_s"] = round(max(last) - join_start, 3)
        join_cpu = sum(r["cpu_s"] for r in joined.values())
        server_cpu_joined = proc_cpu_s(server_pid) if server_pid else None
        log(f"joined {result['joined']}/{n} in {result['join_s']} s")
        await asyncio.sleep(0.5)  # let the last participants_changed settle before measuring memory
        rss_joined = proc_rss_mb(server_pid) if server_pid else None

        # -- the burst, and meanwhile the host's work ---------------------------------------------
        burst_start = time.time() + 0.3
        spacing = args.burst_seconds / n
        deadline = burst_start + args.burst_seconds + args.straggle_seconds
        cpu_main_1 = time.process_time()
        machine_1 = machine_cpu()
        broadcast(("burst", {"start": burst_start, "spacing": spacing, "deadline": deadline}))
        work = None
        if args.host_work:
            work = asyncio.create_task(host_work(host, host_http, burst_start, args.burst_seconds, args.host_work))
        results = await gather_replies("results", args.burst_seconds + args.straggle_seconds + 10)
        sent: dict[str, float] = {}
        ack_ms: list[float] = []
        for r in results.values():
            sent.update(r["sent"])
            ack_ms.extend(r["ack_ms"])
            errors.update(r["errors"])
        # Stragglers on the host screen: wait until every acked submission has shown up there.
        while time.time() < deadline and sum(1 for cid in sent if cid in host.received) < len(ack_ms):
            await asyncio.sleep(0.05)
        rss_burst = proc_rss_mb(server_pid) if server_pid else None
        if work is not None:
            try:
                result["host_work"] = await asyncio.wait_for(work, max(1.0, deadline + 15 - time.time()))
            except TimeoutError:
                errors["host_work_timeout"] += 1
            for name, outcome in (result["host_work"] or {}).items():
                if not outcome["ok"]:
                    errors[f"host_work_{name}_failed"] += 1
        load_end = time.time()
        cpu_main_2 = time.process_time()
        machine_2 = machine_cpu()
        server_cpu_1 = proc_cpu_s(server_pid) if server_pid else None
        rss_host_work = proc_rss_mb(server_pid) if server_pid and work is not None else None
        rss_peak = proc_rss_mb(server_pid, "VmHWM") if server_pid else None
        lag = await fetch_lag(host_http, base_url, join_start - 1) if args.lag_probe else None
        if args.lag_probe and lag is None and server_pid is not None:
            errors["lag_probe_missing"] += 1  # our own server must have it; one given with --server may not

        latencies = [(host.received[cid] - t) * 1000 for cid, t in sent.items() if cid in host.received]
        received = len(latencies)
        if received < len(sent):
            errors["host_never_received"] += len(sent) - received
        if host.disconnected:
            errors["host_disconnected"] += 1
        burst_cpu = sum(r["cpu_s"] for r in results.values())
        send_lag = percentiles([lag for r in results.values() for lag in r["send_lag_ms"]])
        # CPU the rest of the machine used meanwhile: other programs competing with the server.
        others = None
        if machine_1 and machine_2:
            others = (machine_2[0] - machine_1[0]) - burst_cpu - (cpu_main_2 - cpu_main_1)
            if server_pid and server_cpu_1 is not None and server_cpu_joined is not None:
                others -= server_cpu_1 - server_cpu_joined

        broadcast(("stop", None))
        byes = await gather_replies("bye", 15)
        finished = True

        result.update(
            submitted=len(sent),
            acked=len(ack_ms),
            received_by_host=received,
            submit_to_host_ms=percentiles(latencies),
            ack_ms=percentiles(ack_ms),
            server_rss_mb=max((v for v in (rss_joined, rss_burst, rss_host_work) if v is not None), default=None),
            server_rss_peak_mb=rss_peak,
            lag_ms=lag_between(lag, join_start, load_end),
            generator_cpu_s=round(sum(b["cpu_total_s"] for b in byes.values()) + (cpu_main_2 - cpu_main_0), 2),
        )
        burst_wall = max((r["burst_wall_s"] for r in results.values()), default=0.0) or 1.0
        result["detail"] = {
            "processes": processes,
            "burst_s": args.burst_seconds,
            "generator_cpu_join_s": round(join_cpu, 2),
            "generator_cpu_burst_s": round(burst_cpu, 2),
            "generator_busiest_process_burst_pct": round(
                100 * max((r["cpu_s"] for r in results.values()), default=0.0) / burst_wall, 1
            ),
            "generator_send_lag_ms": {"p99": send_lag["p99"], "max": send_lag["max"]},
            "host_client_cpu_s": round(cpu_main_2 - cpu_main_1, 2),
            "server_cpu_join_s": round(server_cpu_joined - server_cpu_0, 2) if server_pid else None,
            "server_cpu_burst_s": round(server_cpu_1 - server_cpu_joined, 2) if server_pid else None,
            "other_programs_cpu_burst_s": round(others, 2) if others is not None and server_pid else None,
            "machine_steal_burst_s": round(machine_2[1] - machine_1[1], 2) if machine_1 and machine_2 else None,
            "cpus": os.cpu_count(),
            "loadavg_1min_at_start": load_at_start,
            "server_rss_mb_joined": rss_joined,
            "server_rss_mb_after_burst": rss_burst,
            "server_rss_mb_after_host_work": rss_host_work,
            "lag_samples": sum(1 for at, _lag in lag or [] if join_start <= at <= load_end),
            "lag_ms_join": lag_between(lag, join_start, join_start + (result["join_s"] or 0.0)),
            "lag_ms_burst": lag_between(lag, burst_start, load_end),
            "lag_over_100ms": sum(1 for at, ms in lag or [] if join_start <= at <= load_end and ms >= 100),
            # The five worst wake-ups, placed in time (seconds after the burst started; negative: in the join storm).
            "lag_worst": [
                [round(at - burst_start, 2), round(ms, 1)]
                for at, ms in sorted((s for s in lag or [] if join_start <= s[0] <= load_end), key=lambda s: -s[1])[:5]
            ],
            "error_kinds": dict(sorted(errors.items())),
        }
        result["errors"] = sum(errors.values())
        result["goals"] = goals(result)
        if args.lag_samples and lag is not None:
            rows = [{"offset_s": round(at - burst_start, 4), "lag_ms": ms} for at, ms in lag if at <= load_end]
            Path(args.lag_samples).write_text(json.dumps(rows, indent=0) + "\n", encoding="utf-8")
        if args.samples:
            acked_at = {}
            for r in results.values():
                acked_at.update(r["acked_at"])
            rows = [
                {
                    "client_id": cid,
                    "sent_at": round(t, 6),
                    "sent_offset_s": round(t - burst_start, 4),
                    "ack_ms": round((acked_at[cid] - t) * 1000, 2) if cid in acked_at else None,
                    "host_ms": round((host.received[cid] - t) * 1000, 2) if cid in host.received else None,
                }
                for cid, t in sorted(sent.items(), key=lambda item: item[1])
            ]
            Path(args.samples).write_text(json.dumps(rows, indent=0) + "\n", encoding="utf-8")
        return result
    finally:
        await host.stop()
        await host_http.close()
        for process, _ in workers:
            process.join(timeout=3 if finished else 0)
            if process.is_alive():
                process.kill()  # our own child, by its handle
                process.join(timeout=3)
        stop_reading.set()
        if reader is not None:
            reader.join(timeout=2)
        for _, conn in workers:
            conn.close()


def start_floor(timeout: float = 30.0) -> Any:
    """Start bench/floor_server.py on a free loopback port, the way LiveServer starts the product.

    Returns a LiveServer whose process is the floor (its data folder is unused: the floor stores
    nothing), so stop(), kill() and output work the same.
    """
    from facilitator.testing.live_server import LiveServer

    floor = [sys.executable, str(REPO_ROOT / "bench" / "floor_server.py"), "--host", "127.0.0.1", "--port", "0"]
    return LiveServer(Path(tempfile.gettempdir()), cwd=REPO_ROOT, command=floor).start(timeout)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, required=True, help="how many simulated phones")
    parser.add_argument("--server", help="base URL of a running server (loopback only), e.g. http://127.0.0.1:5000")
    parser.add_argument("--key", help="the facilitator key of that server (from its printed host link)")
    parser.add_argument("--floor", action="store_true", help="measure bench/floor_server.py (bare Socket.IO, no storage) instead of the product")
    parser.add_argument("--burst-seconds", type=float, default=5.0, help="spread the submissions over this long")
    parser.add_argument("--processes", type=int, default=None, help=f"load-generator processes (default: ≥2, ≤{PHONES_PER_PROCESS} phones each)")
    parser.add_argument("--join-timeout", type=float, default=20.0, help="give up on a phone's join after this long")
    parser.add_argument("--samples", help="also write every submission's send offset, ack and host latency to this JSON file")
    parser.add_argument("--max-seconds", type=float, default=55.0, help="hard limit for the run after the server is up")
    parser.add_argument("--straggle-seconds", type=float, default=5.0, help="after the burst, wait this long for late acks and host messages")
    parser.add_argument("--host-work", default=",".join(HOST_WORK_AT),
                        help="what the host does during the burst, comma-separated from "
                        f"{', '.join(HOST_WORK_AT)}; 'none' for nothing (always nothing with --floor)")
    parser.add_argument("--lag-samples", help="also write every lag-probe wake-up (offset into the burst, lag) to this JSON file")
    parser.add_argument("--check-goals", action="store_true", help="exit 1 also when a goal (see GOALS) is missed")
    args = parser.parse_args(argv)
    if args.phones < 1:
        parser.error("--phones must be at least 1")
    if args.burst_seconds <= 0:
        parser.error("--burst-seconds must be positive")
    if bool(args.server) != bool(args.key):
        parser.error("--server and --key go together")
    if args.floor and args.server:
        parser.error("--floor starts its own server; leave out --server")
    if args.server:
        args.server = args.server.rstrip("/")
        if urlsplit(args.server).hostname not in LOOPBACK:
            parser.error("--server must be on this machine (127.0.0.1): the benchmark sends traffic only to loopback")
    args.host_work = [] if args.floor or args.host_work == "none" else [w.strip() for w in args.host_work.split(",") if w.strip()]
    if set(args.host_work) - set(HOST_WORK_AT):
        parser.error(f"--host-work: choose from {', '.join(HOST_WORK_AT)} or none")
    # Our own product server runs with its lag probe on; a server given with --server is asked whether it has one.
    args.lag_probe = not args.floor
    if args.processes is None:
        args.processes = max(2, math.ceil(args.phones / PHONES_PER_PROCESS))
    args.processes = max(1, min(args.processes, args.phones))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    warnings.filterwarnings("ignore")
    server = None
    tmp = None
    try:
        if args.server:
            base_url, key, server_pid = args.server, args.key, None
        elif args.floor:
            sys.path.insert(0, str(REPO_ROOT))
            server = start_floor()
            base_url, key, server_pid = server.base_url, server.key, server.process.pid
            log(f"started the floor (bench/floor_server.py) pid {server_pid} at {base_url}")
        else:
            sys.path.insert(0, str(REPO_ROOT))
            from facilitator.testing.live_server import LiveServer

            tmp = tempfile.TemporaryDirectory(prefix="rode-draad-bench-")
            os.environ["FACILITATOR_LAG_PROBE"] = "1"  # read by the server we start (see facilitator/web/lag_probe.py)
            server = LiveServer(Path(tmp.name), cwd=REPO_ROOT, warm_up=True).start()
            base_url, key, server_pid = server.base_url, server.key, server.process.pid  # type: ignore[union-attr]
            log(f"started server pid {server_pid} at {base_url}")
        result = asyncio.run(asyncio.wait_for(run(args, base_url, key, server_pid), args.max_seconds))
    except TimeoutError:
        log(f"the run did not finish within {args.max_seconds} s")
        result = {**empty_result(args.phones), "errors": 1, "detail": {"error_kinds": {"run_timeout": 1}}}
    except Exception as exc:  # noqa: BLE001 - still print a JSON line the caller can read
        log(f"failed: {exc!r}")
        result = {
            **empty_result(args.phones),
            "errors": 1,
            "detail": {"error_kinds": {type(exc).__name__: 1}, "message": str(exc)},
        }
    finally:
        if server is not None:
            if server.output and any("Traceback" in line for line in server.output):
                log("server printed a traceback:\n" + "".join(server.output[-40:]))
            server.stop()
        if tmp is not None:
            tmp.cleanup()
    print(json.dumps(result), flush=True)
    if result.get("errors") != 0:
        return 1
    if args.check_goals and not all(goal["ok"] for goal in result.get("goals", {}).values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
