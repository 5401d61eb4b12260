"""Board benchmark: the host asks for rode draden over 300 cards while a phone keeps sending.

    python bench/board.py [--cards 300] [--data bench/data/clustering]

Starts its own `facilitator serve` (eventlet) with a temporary data folder, lets 30 phones send the
cards (texts from the labelled clustering sets in bench/data/clustering, repeated as needed), then the host asks for a
suggestion twice (the first one also imports scikit-learn, in the thread pool) and sorts once.
Meanwhile one more phone changes table every 20 ms (stored, then acknowledged); those acknowledgement times show
whether the room waited on the clusterer. Prints one JSON line; nothing here is a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.load import create_bijeenkomst, percentiles, proc_rss_mb  # noqa: E402
from facilitator.testing.live_server import LiveServer  # noqa: E402

PHONES = 30


def load_texts(folder: Path, count: int) -> list[str]:
    texts = [item["text"] for path in sorted(folder.glob("*.json")) for item in json.loads(path.read_text())["items"]]
    return [texts[n % len(texts)] + ("" if n < len(texts) else f" ({n // len(texts) + 1})") for n in range(count)]


async def join(base_url: str, code: str) -> Any:
    import aiohttp
    import socketio

    async with aiohttp.ClientSession() as http, http.post(f"{base_url}/j/{code}", json={}) as response:
        token = (await response.json())["token"]
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(base_url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
    return client


async def run(server: LiveServer, cards: int, data: Path) -> dict[str, Any]:
    import socketio

    made = create_bijeenkomst(server.base_url, server.key)
    sid, code = made["id"], made["join_code"]
    host = socketio.AsyncClient(reconnection=False)
    await host.connect(server.base_url, transports=["websocket"], headers={"Cookie": f"rd_host={server.key}"})
    await host.call("join_session", {"session": sid, "role": "host"}, timeout=10)
    phones = [await join(server.base_url, code) for _ in range(PHONES + 1)]
    for phone in phones:
        await phone.call("join_session", {"session": sid, "role": "participant"}, timeout=10)
    for n, text in enumerate(load_texts(data, cards)):
        ack = await phones[n % PHONES].call(
            "submit_contribution", {"session": sid, "client_id": f"kaart-{n:05d}", "text": text}, timeout=10
        )
        assert ack.get("ok"), ack
    rss_before = proc_rss_mb(server.process.pid)  # type: ignore[union-attr]

    pinger, acks, busy = phones[PHONES], [], asyncio.Event()

    async def ping() -> None:
        n = 0
        while not busy.is_set():
            started = time.perf_counter()
            # Choosing a table is stored durably and acknowledged like a submission, with no limit per phone.
            ack = await pinger.call("choose_table", {"session": sid, "table": 1 + n % 2})
            assert ack.get("ok"), ack
            acks.append((time.perf_counter() - started) * 1000)
            n += 1
            await asyncio.sleep(0.02)

    timings: dict[str, float] = {}
    states: list[Any] = []
    host.on("session_state", states.append)
    await host.call("join_session", {"session": sid, "role": "host"}, timeout=10)
    while not states:
        await asyncio.sleep(0.05)
    board_item = states[-1]["step"]["board_item"]
    pinging = asyncio.create_task(ping())
    for name, payload in (
        ("suggest_first_s", {"mode": "suggest"}),
        ("suggest_again_s", {"mode": "suggest"}),
        ("suggest_8_s", {"mode": "suggest", "count": 8}),
    ):
        started = time.perf_counter()
        ack = await host.call("suggest_themes", {"session": sid, "item": board_item, **payload}, timeout=120)
        assert ack.get("ok"), ack
        timings[name] = round(time.perf_counter() - started, 3)
    theme_count = ack["themes"]
    busy.set()
    await pinging
    rss_after = proc_rss_mb(server.process.pid)  # type: ignore[union-attr]
    for client in (host, *phones):
        await client.disconnect()
    return {
        "cards": cards,
        **timings,
        "themes": theme_count,
        "phone_ack_ms_during_clustering": {**percentiles(acks), "max": round(max(acks), 2), "n": len(acks)},
        "rss_mb_before": rss_before,
        "rss_mb_after": rss_after,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--data", type=Path, default=REPO_ROOT / "bench" / "data" / "clustering")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rode-draad-board-") as folder:
        server = LiveServer(Path(folder), cwd=REPO_ROOT, warm_up=True).start()
        try:
            result = asyncio.run(run(server, args.cards, args.data))
        finally:
            server.stop()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
