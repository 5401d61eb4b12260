"""Reconnect benchmark: N phones are in a bijeenkomst, the server is killed and started again on the same
data folder and port, and each phone must come back with the room as it is now.

    python bench/reconnect.py --phones 300 [--processes P] [--signal kill|term] [--wait-seconds 60]

It starts the real `facilitator serve` (eventlet) through facilitator/testing/live_server.LiveServer on a
fixed free port with a temporary data folder, creates a bijeenkomst, names ten tables and sets a paused
timer (so the state has something in it that does not change with the clock). Then, in worker processes
(python-socketio AsyncClients, websocket transport, reconnecting like the phone page does: first retry
after ~1 s, doubling up to 4 s, ±50 %), every phone joins over HTTP, connects, sends join_session on
every (re)connect, and submits one contribution.

Then the server is stopped (SIGKILL by default) and started again with the same data folder and port.
For every phone the benchmark notes when its first session_state after the kill arrived, and checks it
against the server's current state: what a second connection with the same token (a second tab) gets
from the restarted server. A phone is "back" when that state arrived and is equal, field by field.

Progress goes to stderr; the LAST line on stdout is one JSON object:
    phones, joined, back, states_equal, back_within_30s_pct, restart_s (kill until /healthz answers),
    back_s {p50, p95, max} (kill until the phone had its state), after_ready_s {p50, p95, max},
    errors {reason: count}.
The tests run the same file with 50 phones (tests/e2e/test_reconnect_restart.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing as mp
import shutil
import signal
import socket
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
PHONES_PER_PROCESS = 100
#: The requirement: 99 % of the phones back with the current state within this many seconds.
BACK_WITHIN_S = 30.0
#: How many reference connections (second tabs) a worker opens at once when checking the states.
REFERENCE_CONCURRENCY = 20
TABLES = ["Rood", "Oranje", "Geel", "Groen", "Blauw", "Paars", "Roze", "Wit", "Grijs", "Zwart"]


def log(message: str) -> None:
    """Progress for the human; stdout is kept for the JSON line."""
    print(f"[reconnect {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p50/p95/max by the nearest-rank method, in seconds, rounded to 0.01."""
    if not values:
        return {"p50": None, "p95": None, "max": None}
    ordered = sorted(values)

    def rank(q: float) -> float:
        return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)], 2)

    return {"p50": rank(0.50), "p95": rank(0.95), "max": round(ordered[-1], 2)}


def free_port() -> int:
    """Return a port nobody listens on now (the server gets it twice: before and after the restart)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---------------------------------------------------------------------------------------------
# Worker process: up to ~100 phones on one asyncio loop.
# ---------------------------------------------------------------------------------------------


class Phone:
    """One phone that rejoins after every reconnect and remembers every session_state it got."""

    def __init__(self, number: int, config: dict[str, Any], errors: Counter[str]) -> None:
        import socketio

        self.number, self.config, self.errors = number, config, errors
        self.token = ""
        self.states: list[tuple[float, dict[str, Any]]] = []
        self.joined = False
        self.sio = socketio.AsyncClient(
            reconnection=True, reconnection_attempts=0, reconnection_delay=1, reconnection_delay_max=4,
            randomization_factor=0.5, handle_sigint=False,
        )
        self.sio.on("connect", self._on_connect)
        self.sio.on("session_state", self._on_state)

    async def _on_connect(self) -> None:
        # As the page does: join again after every (re)connect; session_state comes back to this connection.
        await self.sio.emit(
            "join_session", {"session": self.config["session_id"], "role": "participant"}, callback=self._on_join_ack
        )

    def _on_join_ack(self, ack: Any = None) -> None:
        if not (isinstance(ack, dict) and ack.get("ok")):
            self.errors[f"join_ack_{(ack or {}).get('error', {}).get('code')}"] += 1

    def _on_state(self, state: Any) -> None:
        self.states.append((time.time(), state))

    async def join(self, http: Any) -> None:
        base = self.config["base_url"]
        try:
            async with http.post(f"{base}/j/{self.config['join_code']}", json={"table": self.number % len(TABLES) + 1}) as r:
                body = await r.json()
                if r.status != 200 or not body.get("ok"):
                    self.errors["join_http"] += 1
                    return
            self.token = body["token"]
            await self.sio.connect(base, transports=["websocket"], auth={"token": self.token}, wait_timeout=20)
            for _ in range(200):  # the state follows the join ack's request at once
                if self.states:
                    break
                await asyncio.sleep(0.05)
            if not self.states:
                self.errors["no_first_state"] += 1
                return
            ack = await self.sio.call(
                "submit_contribution",
                {"session": self.config["session_id"], "client_id": f"terug-{self.number:05d}",
                 "text": f"Telefoon {self.number} was er al voor de herstart"},
                timeout=20,
            )
            if not (isinstance(ack, dict) and ack.get("ok")):
                self.errors["submit_ack"] += 1
                return
            self.joined = True
        except Exception as exc:  # noqa: BLE001 - count it, keep the other phones going
            self.errors[f"join_{type(exc).__name__}"] += 1

    def first_state_after(self, moment: float) -> tuple[float, dict[str, Any]] | None:
        return next(((at, state) for at, state in self.states if at > moment), None)


async def reference_state(config: dict[str, Any], token: str) -> dict[str, Any] | None:
    """What a second tab with the same identity gets from the server now."""
    import socketio

    client = socketio.AsyncClient(reconnection=False, handle_sigint=False)
    got: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    client.on("session_state", lambda state: got.done() or got.set_result(state))
    try:
        await client.connect(config["base_url"], transports=["websocket"], auth={"token": token}, wait_timeout=20)
        await client.call("join_session", {"session": config["session_id"], "role": "participant"}, timeout=20)
        return await asyncio.wait_for(got, 20)
    except Exception:  # noqa: BLE001 - reported as "no reference" by the caller
        return None
    finally:
        try:
            await asyncio.wait_for(client.disconnect(), 5)
        except Exception:  # noqa: BLE001
            pass


def worker_main(numbers: list[int], config: dict[str, Any], conn: Any) -> None:
    """Entry point of one phone-simulating process."""
    warnings.filterwarnings("ignore")
    try:
        asyncio.run(_worker(numbers, config, conn))
    except Exception as exc:  # noqa: BLE001 - the main process must hear about it, not hang
        conn.send(("crashed", repr(exc)))


async def _worker(numbers: list[int], config: dict[str, Any], conn: Any) -> None:
    import aiohttp

    loop = asyncio.get_running_loop()
    errors: Counter[str] = Counter()
    phones = [Phone(n, config, errors) for n in numbers]
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        await asyncio.gather(*(p.join(http) for p in phones))
    conn.send(("joined", {"joined": sum(p.joined for p in phones), "errors": dict(errors)}))

    command, timing = await loop.run_in_executor(None, conn.recv)
    assert command == "measure", command
    killed_at, deadline = timing["killed_at"], timing["deadline"]
    joined = [p for p in phones if p.joined]
    while time.time() < deadline and not all(p.first_state_after(killed_at) for p in joined):
        await asyncio.sleep(0.1)

    gate = asyncio.Semaphore(REFERENCE_CONCURRENCY)

    async def check(phone: Phone) -> dict[str, Any]:
        back = phone.first_state_after(killed_at)
        if back is None:
            return {"back_at": None, "equal": False}
        async with gate:
            reference = await reference_state(config, phone.token)
        if reference is None:
            errors["no_reference_state"] += 1
        # Equal to the server's state is not enough if the restart lost data on both sides: check the content.
        state = back[1]
        if f"terug-{phone.number:05d}" not in [c.get("id") for c in state.get("contributions", [])]:
            errors["state_without_own_contribution"] += 1
        if [t.get("name") for t in state.get("tables", [])] != TABLES:
            errors["state_without_tables"] += 1
        return {"back_at": back[0], "equal": reference is not None and reference == state}

    checked = await asyncio.gather(*(check(p) for p in joined))
    for phone in phones:
        try:
            await asyncio.wait_for(phone.sio.disconnect(), 5)
        except Exception:  # noqa: BLE001
            pass
    conn.send(("results", {"phones": checked, "errors": dict(errors)}))


# ---------------------------------------------------------------------------------------------
# Main process: the server, the bijeenkomst, the restart, the numbers.
# ---------------------------------------------------------------------------------------------


async def set_the_room(base_url: str, key: str, session_id: str) -> None:
    """As the host: name the tables and leave a paused timer, so every phone's state has content."""
    import socketio

    host = socketio.AsyncClient(reconnection=False, handle_sigint=False)
    await host.connect(base_url, transports=["websocket"], headers={"Cookie": f"rd_host={key}"}, wait_timeout=20)
    try:
        for event, payload in (
            ("join_session", {"role": "host"}),
            ("set_tables", {"tables": TABLES}),
            ("control_timer", {"action": "start"}),
            ("control_timer", {"action": "add", "seconds": 300}),
            ("control_timer", {"action": "pause"}),
        ):
            ack = await host.call(event, {"session": session_id, **payload}, timeout=20)
            if not (isinstance(ack, dict) and ack.get("ok")):
                raise RuntimeError(f"host {event} failed: {ack!r}")
    finally:
        await host.disconnect()


def measure(args: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(REPO_ROOT))
    from facilitator.testing.live_server import LiveServer

    n = args.phones
    processes = args.processes or max(1, math.ceil(n / PHONES_PER_PROCESS))
    result: dict[str, Any] = {
        "phones": n, "processes": processes, "signal": args.signal, "joined": 0, "back": 0, "states_equal": 0,
        "back_within_30s_pct": 0.0, "restart_s": None, "back_s": percentiles([]), "after_ready_s": percentiles([]),
        "errors": {},
    }
    errors: Counter[str] = Counter()
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="rode-draad-reconnect-"))
    port = free_port()
    command = [sys.executable, "-m", "facilitator", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--data-dir", str(data_dir)]
    server = LiveServer(data_dir, command=command, cwd=REPO_ROOT)
    workers: list[tuple[Any, Any]] = []
    try:
        server.start()
        if server.port != port:
            raise RuntimeError(f"the server took port {server.port}, not {port}")
        created = server.create_bijeenkomst("Herstart tijdens de bijeenkomst")
        session_id = created["id"]
        asyncio.run(set_the_room(server.base_url, server.key, session_id))
        config = {"base_url": server.base_url, "join_code": created["join_code"], "session_id": session_id}
        log(f"server on {server.base_url}, bijeenkomst {session_id}; {n} phones in {processes} processes")

        ctx = mp.get_context("spawn")
        for index in range(processes):
            parent, child = ctx.Pipe()
            numbers = list(range(index, n, processes))
            process = ctx.Process(target=worker_main, args=(numbers, config, child), daemon=True)
            process.start()
            workers.append((process, parent))

        def replies(expected: str, timeout: float) -> list[Any]:
            found = []
            deadline = time.monotonic() + timeout
            for _process, conn in workers:
                if not conn.poll(max(0.0, deadline - time.monotonic())):
                    errors[f"worker_no_{expected}"] += 1
                    continue
                message = conn.recv()
                if message[0] == expected:
                    found.append(message[1])
                else:
                    errors["worker_crashed"] += 1
                    log(f"worker: {message!r}")
            return found

        joined = replies("joined", 120)
        result["joined"] = sum(r["joined"] for r in joined)
        for r in joined:
            errors.update(r["errors"])
        log(f"{result['joined']}/{n} phones joined and submitted; stopping the server ({args.signal})")

        killed_at = time.time()
        server.kill(signal.SIGKILL if args.signal == "kill" else signal.SIGTERM)
        server.start()
        ready_at = time.time()
        if server.port != port:
            raise RuntimeError(f"the restarted server took port {server.port}, not {port}")
        result["restart_s"] = round(ready_at - killed_at, 2)
        log(f"server back after {result['restart_s']} s; waiting for the phones")

        for _process, conn in workers:
            conn.send(("measure", {"killed_at": killed_at, "deadline": killed_at + args.wait_seconds}))
        results = replies("results", args.wait_seconds + 120)
        checked = [phone for r in results for phone in r["phones"]]
        for r in results:
            errors.update(r["errors"])
        back = [p for p in checked if p["back_at"] is not None and p["equal"]]
        result["back"] = sum(1 for p in checked if p["back_at"] is not None)
        result["states_equal"] = len(back)
        within = [p for p in back if p["back_at"] - killed_at <= BACK_WITHIN_S]
        result["back_within_30s_pct"] = round(100.0 * len(within) / n, 2)
        result["back_s"] = percentiles([p["back_at"] - killed_at for p in back])
        result["after_ready_s"] = percentiles([max(0.0, p["back_at"] - ready_at) for p in back])
    finally:
        for process, _conn in workers:
            process.join(10)
            if process.is_alive():
                process.kill()
        server.kill()
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    result["errors"] = dict(errors)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--processes", type=int, default=0, help="phone processes (default: one per 100 phones)")
    parser.add_argument("--signal", choices=("kill", "term"), default="kill", help="how the server is stopped")
    parser.add_argument("--wait-seconds", type=float, default=60.0, help="how long phones get to come back")
    parser.add_argument("--data-dir", default="", help="keep the data here (default: a temporary folder)")
    args = parser.parse_args()
    print(json.dumps(measure(args)), flush=True)


if __name__ == "__main__":
    main()
