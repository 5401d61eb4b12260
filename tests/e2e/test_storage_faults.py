"""When the laptop cannot store (a full disk, a read-only folder): no success is acknowledged, the phones
keep their items, the host is warned within 2 s, and a resend once the fault is gone stores each item once.

The faults are real refusals by the kernel under the real server (see tests/support/storage_faults.py):
a file-size limit on the server process (EFBIG, any user), a full tmpfs (ENOSPC) and a read-only bind
mount (EROFS); the last two need mount rights and are skipped without them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from facilitator.testing.clients import Recorder, client_id, join_over_http, run, stored_contributions
from facilitator.testing.live_server import LiveServer
from tests.support import storage_faults

pytestmark = pytest.mark.e2e

STORAGE_FAILED = {
    "ok": False,
    "error": {
        "code": "storage_failed",
        "message": "Opslaan lukte niet. Je bijdrage blijft bewaard op je telefoon en wordt opnieuw verstuurd.",
    },
}
WARNING = {
    "message": "Opslaan lukt niet: de schijf is vol of de map is niet schrijfbaar. "
    "Bijdragen blijven op de telefoons staan en worden opnieuw verstuurd."
}
#: The host must see the warning this soon after the first refused write.
WARNING_WITHIN = 2.0

needs_mount = pytest.mark.skipif(not storage_faults.can_mount(), reason="needs root with mount rights (tmpfs, bind)")


class Room:
    """A host screen and two phones on the real server; reconnectable after a restart."""

    def __init__(self, server: LiveServer, session_id: str, tokens: list[str]) -> None:
        self.server, self.session_id, self.tokens = server, session_id, tokens
        self.host = Recorder("host")
        self.phones = [Recorder(f"phone{i}") for i in range(len(tokens))]

    @classmethod
    async def open(cls, server: LiveServer, phones: int = 2) -> Room:
        bijeenkomst = server.create_bijeenkomst("Volle schijf")
        async with aiohttp.ClientSession() as http:
            tokens = [await join_over_http(http, server.base_url, bijeenkomst["join_code"]) for _ in range(phones)]
        room = cls(server, bijeenkomst["id"], tokens)
        await room.connect()
        return room

    async def connect(self) -> None:
        """(Re)connect everyone with fresh recorders, as pages do after a restart."""
        await self.close()
        self.host = Recorder("host")
        self.phones = [Recorder(f"phone{i}") for i in range(len(self.tokens))]
        await self.host.connect(self.server.base_url, host_key=self.server.key)
        await self.host.join(self.session_id, "host")
        for phone, token in zip(self.phones, self.tokens, strict=True):
            await phone.connect(self.server.base_url, token=token)
            await phone.join(self.session_id, "participant")

    async def submit(self, phone: int, cid: str) -> Any:
        return await self.phones[phone].call(
            "submit_contribution", {"session": self.session_id, "client_id": cid, "text": f"Tekst van {cid}"}
        )

    async def host_state(self) -> dict[str, Any]:
        """Round-trip on the host's connection: everything emitted to it before is recorded once this returns."""
        return await self.host.join(self.session_id, "host")

    async def close(self) -> None:
        await asyncio.gather(*(r.close() for r in (self.host, *self.phones)))


def added_ids(recorder: Recorder) -> list[str]:
    return [event["contribution"]["id"] for event in recorder.of("contribution_added")]


async def refused_then_resent(room: Room, data_dir: Path, break_storage: Callable[[], Any], repair: Callable[[], Any]) -> None:
    """The shared story: break the disk, two phones submit, repair it, both resend."""
    first, second = client_id("vol-a"), client_id("vol-b")
    on_disk_before = [doc["id"] for doc in stored_contributions(data_dir, room.session_id)]
    host = room.host

    break_storage()
    started = time.monotonic()
    assert await room.submit(0, first) == STORAGE_FAILED
    await host.wait_for(lambda: len(host.of("storage_warning")) >= 1, timeout=WARNING_WITHIN)
    warned_after = time.monotonic() - started
    assert await room.submit(1, second) == STORAGE_FAILED
    refused_within = time.monotonic() - started
    print(f"storage_warning {warned_after * 1000:.0f} ms after the first refused submit")
    assert warned_after < WARNING_WITHIN

    state = await room.host_state()
    assert state["storage_failing"] is True  # a host screen that opens now shows the warning too
    warnings = host.of("storage_warning")
    assert warnings[0] == WARNING
    # At most one warning per 2 s: the second refusal came within that time, so it added none.
    if refused_within < 1.9:
        assert warnings == [WARNING]
    assert host.of("storage_ok") == []
    assert added_ids(host) == []
    for phone in room.phones:
        assert added_ids(phone) == []
    assert [doc["id"] for doc in stored_contributions(data_dir, room.session_id)] == on_disk_before

    repair()
    # The phones still hold both items and send them again with the same client ids.
    assert await room.submit(0, first) == {"ok": True, "id": first}
    assert await room.submit(1, second) == {"ok": True, "id": second}
    assert await room.submit(0, first) == {"ok": True, "id": first}  # one more resend: nothing new

    state = await room.host_state()
    assert state["storage_failing"] is False
    assert host.of("storage_ok") == [{}]
    assert added_ids(host) == [first, second]
    assert added_ids(room.phones[0]) == [first]
    assert added_ids(room.phones[1]) == [second]
    assert [c["id"] for c in state["contributions"]] == [*on_disk_before, first, second]
    assert [doc["id"] for doc in stored_contributions(data_dir, room.session_id)] == [*on_disk_before, first, second]


def test_storage_fault_file_size_limit_refuses_warns_and_resend_stores_once(
    live_server: LiveServer, data_dir: Path
) -> None:
    """EFBIG on every write of the running server (RLIMIT_FSIZE 0), then the limit is lifted."""
    assert live_server.process is not None
    pid = live_server.process.pid

    async def scenario() -> None:
        room = await Room.open(live_server)
        undo: list[Callable[[], None]] = []
        try:
            await refused_then_resent(
                room, data_dir, lambda: undo.append(storage_faults.limit_file_size(pid)), lambda: undo.pop()()
            )
        finally:
            for restore in undo:
                restore()
            await room.close()

    run(scenario(), timeout=60)
    output = "".join(live_server.output)
    assert "[Errno 27] File too large" in output  # the kernel refused, not a stand-in
    assert "Traceback" not in output


@needs_mount
def test_storage_fault_full_disk_refuses_warns_and_resend_stores_once(tmp_path: Path) -> None:
    """ENOSPC: the data folder is a small tmpfs, filled up while the room runs, then freed."""
    data_dir = tmp_path / "data"
    with storage_faults.tiny_disk(data_dir, size_kb=1024):
        server = LiveServer(data_dir)
        try:
            server.start()

            async def scenario() -> None:
                room = await Room.open(server)
                try:
                    # A restart folds the journal into the snapshot and leaves it empty: the next
                    # append needs a fresh block, which a full disk does not have.
                    server.kill()
                    await asyncio.to_thread(server.start)
                    await room.connect()
                    await refused_then_resent(
                        room, data_dir, lambda: storage_faults.fill(data_dir), lambda: storage_faults.unfill(data_dir)
                    )
                finally:
                    await room.close()

            run(scenario(), timeout=60)
            output = "".join(server.output)
            assert "[Errno 28] No space left on device" in output
            assert "Traceback" not in output
        finally:
            server.kill()


@needs_mount
def test_storage_fault_read_only_folder_keeps_the_bijeenkomst_refuses_and_recovers(data_dir: Path) -> None:
    """EROFS: the server restarts on a read-only sessions folder (it cannot fold its journal), the
    bijeenkomst is still there, writes are refused and warned about, and work once it is writable again."""
    server = LiveServer(data_dir)
    sessions = data_dir / "sessions"
    try:
        server.start()

        async def scenario() -> None:
            room = await Room.open(server)
            earlier = client_id("eerder")
            try:
                assert await room.submit(0, earlier) == {"ok": True, "id": earlier}
                server.kill()
                writable_again = storage_faults.mount_read_only(sessions)
                try:
                    await asyncio.to_thread(server.start)
                    await room.connect()  # joining needs no write: the bijeenkomst is served from what is stored
                    state = await room.host_state()
                    assert [c["id"] for c in state["contributions"]] == [earlier]
                    await refused_then_resent(room, data_dir, lambda: None, writable_again)
                finally:
                    writable_again()
            finally:
                await room.close()

        run(scenario(), timeout=60)
        output = "".join(server.output)
        assert "could not fold the journal" in output and "[Errno 30] Read-only file system" in output
        assert "Traceback" not in output
    finally:
        server.kill()
