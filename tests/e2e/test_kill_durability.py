"""SIGKILL in the middle of a burst: nothing acknowledged is lost, the file stays whole, resends never duplicate."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from facilitator.storage.tinydb_store import read_session_data
from facilitator.testing.clients import WAIT, Recorder, client_id, join_over_http, run, stored_contributions
from facilitator.testing.live_server import LiveServer

pytestmark = pytest.mark.e2e

PHONES = 10
PER_PHONE = 20


def check_files_whole(data_dir: Path) -> list[str]:
    """Assert every bijeenkomst's files read whole; return the names of temp files lying around."""
    sessions = data_dir / "sessions"
    files = sorted(sessions.glob("*.json"))
    assert files, "no bijeenkomst file at all"
    for path in files:
        json.loads(path.read_text(encoding="utf-8"))  # the snapshot is replaced atomically: never torn
        data, _records = read_session_data(path)  # raises on any journal line but a torn last one
        assert isinstance(data, dict) and data.get("session"), path.name
    return sorted(p.name for p in sessions.glob(".*.tmp"))


async def scenario(server: LiveServer, data_dir: Path, kill_after_acks: int) -> None:
    bijeenkomst = server.create_bijeenkomst("Stroomstoring")
    session_id = bijeenkomst["id"]
    phones = [Recorder(f"phone{i}") for i in range(PHONES)]
    later: list[Recorder] = []
    try:
        async with aiohttp.ClientSession() as http:
            tokens = await asyncio.gather(
                *(join_over_http(http, server.base_url, bijeenkomst["join_code"]) for _ in range(PHONES))
            )

        async def connect_and_join(phone: Recorder, token: str) -> None:
            await phone.connect(server.base_url, token=token)
            await phone.join(session_id, "participant")

        await asyncio.gather(*(connect_and_join(p, t) for p, t in zip(phones, tokens, strict=True)))

        items: dict[str, tuple[int, str]] = {}  # client id -> (phone, text)
        for i in range(PHONES):
            for j in range(PER_PHONE):
                items[client_id(f"k{i}x{j:02d}")] = (i, f"Telefoon {i} zegt {j}: één stap verder")
        acks: dict[str, Any] = {}
        killed = asyncio.Event()

        def on_ack(cid: str) -> Any:
            def callback(ack: Any = None) -> None:
                acks[cid] = ack
                if len(acks) >= kill_after_acks and not killed.is_set():
                    assert server.process is not None
                    server.process.send_signal(signal.SIGKILL)  # at once, from inside the ack stream
                    killed.set()

            return callback

        # The burst: every phone fires all its items without waiting for any ack.
        await asyncio.gather(
            *(
                phones[phone].client.emit(
                    "submit_contribution",
                    {"session": session_id, "client_id": cid, "text": text},
                    callback=on_ack(cid),
                )
                for cid, (phone, text) in items.items()
            )
        )
        await asyncio.wait_for(killed.wait(), WAIT)
        # Once every connection has dropped no late ack can arrive: `acks` is final.
        await asyncio.wait_for(asyncio.gather(*(p.disconnected.wait() for p in phones)), WAIT)
        await asyncio.to_thread(server.process.wait, 10)  # type: ignore[union-attr]
        assert server.process.returncode == -signal.SIGKILL  # type: ignore[union-attr]

        assert len(acks) >= kill_after_acks
        assert acks == {cid: {"ok": True, "id": cid} for cid in acks}, "an item was refused"
        acked = set(acks)
        unacked = [cid for cid in items if cid not in acked]
        print(f"kill after {kill_after_acks}: {len(acked)} acked, {len(unacked)} not")

        # -- straight after the kill: the file is whole and holds every acknowledged item.
        leftovers = check_files_whole(data_dir)
        on_disk = stored_contributions(data_dir, session_id)
        on_disk_ids = [doc["id"] for doc in on_disk]
        print(f"on disk after the kill: {len(on_disk_ids)}; temp files left: {leftovers}")
        assert len(on_disk_ids) == len(set(on_disk_ids))
        assert acked <= set(on_disk_ids), sorted(acked - set(on_disk_ids))
        for doc in on_disk:
            assert doc["text"] == items[doc["id"]][1]

        # -- restart on the same folder.
        await asyncio.to_thread(server.start)
        assert check_files_whole(data_dir) == [], "leftover temp files after restart"
        assert [doc["id"] for doc in stored_contributions(data_dir, session_id)] == on_disk_ids

        host = Recorder("host")
        later.append(host)
        await host.connect(server.base_url, host_key=server.key)
        state = await host.join(session_id, "host")
        assert [c["id"] for c in state["contributions"]] == on_disk_ids
        assert acked <= {c["id"] for c in state["contributions"]}
        assert {k: state["participants"][k] for k in ("joined", "connected")} == {"joined": PHONES, "connected": 0}

        # -- the phones come back and resend what was never acknowledged, plus one that was.
        again = [Recorder(f"phone{i}-again") for i in range(PHONES)]
        later.extend(again)
        await asyncio.gather(*(connect_and_join(p, t) for p, t in zip(again, tokens, strict=True)))
        resend = list(unacked)
        acked_resend = sorted(acked)[0]
        resend.append(acked_resend)

        async def send(cid: str) -> Any:
            phone, text = items[cid]
            return await again[phone].call(
                "submit_contribution", {"session": session_id, "client_id": cid, "text": text}
            )

        results = await asyncio.gather(*(send(cid) for cid in resend))
        assert results == [{"ok": True, "id": cid} for cid in resend]

        # Only the items that did not reach the disk before the kill are new to the host.
        await host.join(session_id, "host")  # ordering barrier on the host's connection
        new_ids = [e["contribution"]["id"] for e in host.of("contribution_added")]
        assert sorted(new_ids) == sorted(set(items) - set(on_disk_ids))

        # -- in the end: every distinct id exactly once, on disk and on a fresh host screen.
        final_ids = [doc["id"] for doc in stored_contributions(data_dir, session_id)]
        assert len(final_ids) == len(items) == len(set(final_ids))
        assert set(final_ids) == set(items)
        fresh = Recorder("fresh-host")
        later.append(fresh)
        await fresh.connect(server.base_url, host_key=server.key)
        wall = await fresh.join(session_id, "host")
        assert sorted(c["id"] for c in wall["contributions"]) == sorted(items)
        assert {c["id"]: c["text"] for c in wall["contributions"]} == {cid: text for cid, (_, text) in items.items()}
        assert {k: wall["participants"][k] for k in ("joined", "connected")} == {"joined": PHONES, "connected": PHONES}
    finally:
        await asyncio.gather(*(r.close() for r in (*phones, *later)))


@pytest.mark.parametrize("kill_after_acks", [3, 70, 150])
def test_sigkill_mid_burst_loses_nothing_acknowledged(
    live_server: LiveServer, data_dir: Path, kill_after_acks: int
) -> None:
    run(scenario(live_server, data_dir, kill_after_acks), timeout=60)
