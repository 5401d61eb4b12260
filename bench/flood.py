"""Flood benchmark: one phone floods the server with submissions while the rest of the room goes on.

    python bench/flood.py                                  # 299 phones + 1 flooder at 100/s for 30 s
    python bench/flood.py --phones 50 --flood-seconds 5    # the CI size (tests/e2e/test_flood.py)

It starts its own `facilitator serve` (eventlet, temporary data folder) through facilitator/testing/live_server.py, or
uses --server URL --key KEY (loopback only). One bijeenkomst; N phones (python-socketio AsyncClients, websocket
transport) in --processes worker processes join it, plus one more phone, the flooder, in a process of its own.
At one agreed moment the flooder starts emitting `submit_contribution` --flood-rate times a second for
--flood-seconds, each with a fresh client id, never waiting for an ack (a hostile or broken phone); meanwhile each
of the N phones sends --per-phone submissions spread evenly over the same window, each awaiting its ack like the
phone page's outbox does. All processes share the machine's clock, so an ack time is the receiver's time.time()
minus the sender's.

Progress goes to stderr; the LAST line on stdout is one JSON object (see bench/README.md, "flood.py"). The exit
status is 0 when the run passed: the flooder got too_fast, it was admitted no more than its fair allowance (burst
plus rate times the window), and every other phone's submissions were acknowledged ok with p95 under --max-p95-ms.
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
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: Phones that join at the same time in one worker process (the join storm is not what this measures).
JOIN_CONCURRENCY = 25


def log(message: str) -> None:
    """Progress for the human; stdout is kept for the JSON line."""
    print(f"[flood {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentiles(values: list[float]) -> dict[str, float | None]:
    """Return p50/p95/p99/max by the nearest-rank method, rounded to 0.1."""
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(values)

    def rank(q: float) -> float:
        return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)], 1)

    return {"p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99), "max": round(ordered[-1], 1)}


def proc_rss_mb(pid: int) -> float | None:
    """Return a process's resident memory in MB (Linux), or None."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def proc_cpu_s(pid: int) -> float | None:
    """Return a process's user+system CPU seconds (Linux), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_s() -> float:
    """Return the CPU seconds all cores have been busy since boot (Linux /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


async def sleep_until(moment: float) -> None:
    delay = moment - time.time()
    if delay > 0:
        await asyncio.sleep(delay)


# -- worker processes ------------------------------------------------------------------------------


async def join_phone(http: Any, config: dict[str, Any], number: int) -> Any:
    """HTTP join, websocket connect with the token, join_session; return the client (None on failure)."""
    import socketio

    async with http.post(f"{config['base_url']}/j/{config['join_code']}", json={}) as response:
        if response.status != 200:
            return None
        token = (await response.json())["token"]
    client = socketio.AsyncClient(reconnection=False, handle_sigint=False)
    await client.connect(config["base_url"], transports=["websocket"], auth={"token": token}, wait_timeout=30)
    ack = await client.call("join_session", {"session": config["session_id"], "role": "participant"}, timeout=30)
    return client if isinstance(ack, dict) and ack.get("ok") else None


async def join_all(http: Any, config: dict[str, Any], numbers: list[int]) -> dict[int, Any]:
    gate = asyncio.Semaphore(JOIN_CONCURRENCY)

    async def one(number: int) -> tuple[int, Any]:
        async with gate:
            try:
                return number, await join_phone(http, config, number)
            except Exception:  # noqa: BLE001 - counted as not joined
                return number, None

    return {n: c for n, c in await asyncio.gather(*(one(n) for n in numbers)) if c is not None}


async def _phones(numbers: list[int], config: dict[str, Any], conn: Any) -> None:
    """Well-behaved phones: each sends its submissions on schedule and waits for every ack."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        clients = await join_all(http, config, numbers)
        conn.send(("joined", len(clients)))
        start_at = conn.recv()
        window, per_phone, total = config["flood_seconds"], config["per_phone"], config["phones"]
        interval = window / per_phone
        samples: list[float] = []
        outcomes: Counter[str] = Counter()

        async def run(number: int, client: Any) -> None:
            for k in range(per_phone):
                await sleep_until(start_at + (number / total + k) * interval)
                cid = f"phone-{number:04d}-{k:02d}-{secrets.token_hex(3)}"
                payload = {"session": config["session_id"], "client_id": cid,
                           "text": f"Telefoon {number} zegt {k}: meer tijd voor gesprekken"}
                sent = time.time()
                try:
                    ack = await client.call("submit_contribution", payload, timeout=config["ack_timeout"])
                except Exception:  # noqa: BLE001 - a timeout or a dropped connection: counted
                    outcomes["ack_timeout"] += 1
                    continue
                samples.append((time.time() - sent) * 1000)
                outcomes["ok" if ack.get("ok") else f"error_{ack.get('error', {}).get('code')}"] += 1

        await asyncio.gather(*(run(n, c) for n, c in clients.items()))
        for client in clients.values():
            await client.disconnect()
    conn.send(("done", {"samples": samples, "outcomes": dict(outcomes)}))


async def _flooder(config: dict[str, Any], conn: Any) -> None:
    """The hostile phone: --flood-rate submissions a second, never waiting for an ack."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        clients = await join_all(http, config, [config["phones"]])
        conn.send(("joined", len(clients)))
        start_at = conn.recv()
        if not clients or config["flood_rate"] <= 0:  # --flood-rate 0: the same room without a flooder
            conn.send(("done", {"sent": 0, "outcomes": {}, "lag_ms": []}))
            return
        [client] = clients.values()
        outcomes: Counter[str] = Counter()
        answered = asyncio.Event()
        count = int(config["flood_rate"] * config["flood_seconds"])
        lags: list[float] = []

        def on_ack(ack: Any = None) -> None:
            code = "ok" if isinstance(ack, dict) and ack.get("ok") else str((ack or {}).get("error", {}).get("code"))
            outcomes[code] += 1
            if sum(outcomes.values()) >= count:
                answered.set()

        for k in range(count):
            moment = start_at + k / config["flood_rate"]
            await sleep_until(moment)
            lags.append((time.time() - moment) * 1000)
            payload = {"session": config["session_id"], "client_id": f"flood-{k:06d}-{secrets.token_hex(3)}",
                       "text": f"Spam {k}"}
            await client.emit("submit_contribution", payload, callback=on_ack)
        try:
            await asyncio.wait_for(answered.wait(), config["ack_timeout"])
        except TimeoutError:
            pass
        await client.disconnect()
    conn.send(("done", {"sent": count, "outcomes": dict(outcomes), "lag_ms": lags}))


def worker_main(kind: str, numbers: list[int], config: dict[str, Any], conn: Any) -> None:
    """Entry point of a generator process ("phones" or "flooder")."""
    warnings.filterwarnings("ignore")
    try:
        asyncio.run(_phones(numbers, config, conn) if kind == "phones" else _flooder(config, conn))
    except Exception as exc:  # noqa: BLE001 - the main process must hear of it, not hang
        try:
            conn.send(("crashed", repr(exc)))
        except OSError:
            pass


# -- the main process ----------------------------------------------------------------------------------


def create_bijeenkomst(base_url: str, key: str) -> dict[str, Any]:
    import requests

    http = requests.Session()
    http.get(f"{base_url}/host/login", params={"key": key}, allow_redirects=False, timeout=10)
    response = http.post(f"{base_url}/host/sessions", json={"title": "Floodbenchmark"}, timeout=10)
    response.raise_for_status()
    return dict(response.json())


def receive(conn: Any, expected: str, timeout: float) -> Any:
    """Return the payload of the next message if it is `expected`; raise RuntimeError otherwise."""
    if not conn.poll(timeout):
        raise RuntimeError(f"a worker sent no '{expected}' within {timeout:.0f} s")
    message = conn.recv()
    if message[0] != expected:
        raise RuntimeError(f"a worker sent {message!r} instead of '{expected}'")
    return message[1]


def measure(args: argparse.Namespace, base_url: str, key: str, server_pid: int | None) -> dict[str, Any]:
    """Run the flood against a server; return the result object."""
    created = create_bijeenkomst(base_url, key)
    config = {
        "base_url": base_url, "join_code": created["join_code"], "session_id": created["id"],
        "phones": args.phones, "per_phone": args.per_phone, "flood_rate": args.flood_rate,
        "flood_seconds": args.flood_seconds, "ack_timeout": args.ack_timeout,
    }
    ctx = mp.get_context("spawn")
    workers = []
    for index in range(args.processes):
        numbers = list(range(index, args.phones, args.processes))
        parent, child = ctx.Pipe()
        workers.append((ctx.Process(target=worker_main, args=("phones", numbers, config, child), daemon=True), parent))
    parent, child = ctx.Pipe()
    workers.append((ctx.Process(target=worker_main, args=("flooder", [], config, child), daemon=True), parent))
    started = time.time()
    for process, _ in workers:
        process.start()
    try:
        joined = [receive(conn, "joined", args.join_timeout) for _, conn in workers]
        join_s = round(time.time() - started, 2)
        log(f"{sum(joined[:-1])} phones and {joined[-1]} flooder joined in {join_s} s; flooding")
        rss_before = proc_rss_mb(server_pid) if server_pid else None
        load_at_start = round(os.getloadavg()[0], 2)
        start_at = time.time() + 1.0
        for _, conn in workers:
            conn.send(start_at)
        time.sleep(max(0.0, start_at - time.time()))
        cpu_before, busy_before = (proc_cpu_s(server_pid) if server_pid else None), machine_busy_s()
        wait = args.flood_seconds + args.ack_timeout + 30
        results = [receive(conn, "done", wait) for _, conn in workers]
        window_s = time.time() - start_at
        cpu_after, busy_after = (proc_cpu_s(server_pid) if server_pid else None), machine_busy_s()
        rss_after = proc_rss_mb(server_pid) if server_pid else None
    finally:
        for process, _ in workers:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()

    samples = [s for r in results[:-1] for s in r["samples"]]
    outcomes: Counter[str] = Counter()
    for r in results[:-1]:
        outcomes.update(r["outcomes"])
    flood = results[-1]
    flood_outcomes = Counter(flood["outcomes"])
    answered = sum(flood_outcomes.values())
    admitted = answered - flood_outcomes["too_fast"]
    allowance = args.burst + args.per_second * args.flood_seconds
    submitted = sum(joined[:-1]) * args.per_phone
    others = {
        "phones": args.phones, "joined": sum(joined[:-1]), "submitted": submitted, "acked_ok": outcomes["ok"],
        "outcomes": dict(outcomes), "ack_ms": percentiles(samples),
    }
    flooder = {
        "rate_per_s": args.flood_rate, "seconds": args.flood_seconds, "sent": flood["sent"], "answered": answered,
        "too_fast": flood_outcomes["too_fast"], "admitted": admitted, "outcomes": dict(flood_outcomes),
        "send_lag_ms": percentiles(flood["lag_ms"]),
    }
    server_cpu = None if cpu_before is None or cpu_after is None else round(cpu_after - cpu_before, 2)
    machine = {
        "cpus": os.cpu_count(), "loadavg_1min_at_start": load_at_start, "window_s": round(window_s, 1),
        "server_cpu_s": server_cpu,
        # Busy CPU of every other program (generator included) while the window ran: high means a shared machine.
        "rest_of_machine_cpu_s": round(busy_after - busy_before - (server_cpu or 0.0), 1),
    }
    flooding = args.flood_rate > 0
    checks = {
        "flooder_got_too_fast": flooder["too_fast"] > 0 or not flooding,
        # One second of refill as slack: the window is measured on the generator's clock, not the server's.
        "flooder_within_allowance": admitted <= allowance + args.per_second,
        "others_all_ok": others["joined"] == args.phones and outcomes["ok"] == submitted,
        "others_p95_under_limit": samples != [] and (others["ack_ms"]["p95"] or 0) < args.max_p95_ms,
    }
    return {
        "others": others, "flooder": flooder,
        "allowance": {"burst": args.burst, "per_second": args.per_second, "most_admitted": allowance},
        "join_s": join_s, "server_rss_mb": {"before": rss_before, "after": rss_after}, "machine": machine,
        "checks": checks, "passed": all(checks.values()),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    sys.path.insert(0, str(REPO_ROOT))
    from facilitator.config import DefaultConfig

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=299, help="well-behaved phones besides the flooder")
    parser.add_argument("--per-phone", type=int, default=3, help="submissions per phone over the window (≤ 20)")
    parser.add_argument("--flood-rate", type=float, default=100.0,
                        help="the flooder's submissions per second; 0: the same room without a flooder (baseline)")
    parser.add_argument("--flood-seconds", type=float, default=30.0, help="how long the flood lasts")
    parser.add_argument("--processes", type=int, default=0, help="phone worker processes (default: 1 per 100)")
    parser.add_argument("--ack-timeout", type=float, default=10.0, help="seconds to wait for one ack")
    parser.add_argument("--join-timeout", type=float, default=120.0, help="seconds for all phones to join")
    parser.add_argument("--max-p95-ms", type=float, default=500.0, help="pass mark for the other phones' p95")
    parser.add_argument("--burst", type=int, default=DefaultConfig.PHONE_EVENTS_BURST,
                        help="the server's PHONE_EVENTS_BURST (for the allowance check)")
    parser.add_argument("--per-second", type=float, default=DefaultConfig.PHONE_EVENTS_PER_SECOND,
                        help="the server's PHONE_EVENTS_PER_SECOND (for the allowance check)")
    parser.add_argument("--server", default="", help="use a running server at this URL (loopback only)")
    parser.add_argument("--key", default="", help="its facilitator key (with --server)")
    args = parser.parse_args(argv)
    if not 1 <= args.per_phone <= 20:
        parser.error("--per-phone must be 1 to 20 (the open question takes 20 per phone)")
    if args.server and (urlsplit(args.server).hostname not in LOOPBACK or not args.key):
        parser.error("--server must be on this machine (127.0.0.1) and needs --key")
    args.processes = args.processes or max(1, math.ceil(args.phones / 100))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.server:
        result = measure(args, args.server.rstrip("/"), args.key, None)
    else:
        from facilitator.testing.live_server import LiveServer

        with tempfile.TemporaryDirectory(prefix="rode-draad-flood-") as folder:
            server = LiveServer(Path(folder), cwd=REPO_ROOT, warm_up=True).start()
            assert server.process is not None
            log(f"server pid {server.process.pid} at {server.base_url}")
            try:
                result = measure(args, server.base_url, server.key, server.process.pid)
            finally:
                server.stop()
    print(json.dumps(result), flush=True)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
