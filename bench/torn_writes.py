"""Torn writes: start the server, write continuously, SIGKILL it after a random 0–500 ms; again and again.

    python bench/torn_writes.py [--iterations 200] [--lanes 2] [--seed N]

Each lane has its own data folder and runs the real `facilitator serve` (eventlet) once per
iteration on it. Once the server answers and the phones have joined, the writers start at the same
moment and keep writing until the kill, which comes a random 0–500 ms later (SIGKILL, no clean
shutdown):

- PHONES phones, new in every round (a werkvorm allows 20 answers per person), submit contributions
  one after another (journal appends, group commits);
- one phone changes its address for the verslag again and again (each change rewrites the
  bijeenkomst's whole file: temp file, fsync, os.replace, fsync of the folder);
- the host creates a new bijeenkomst over HTTP (a new file each, written the same atomic way).

After each kill the lane waits until every writer noticed, then opens the folder with the real
loader (TinyDBRepository, read-only, so that the next start does its own tidying) and checks:
every bijeenkomst is readable, every acknowledged contribution and bijeenkomst is there (none
twice), and the stored address is the last acknowledged one or one sent after it. Right after the
next start, before anything is written, no temp file may be left. The lanes run in parallel, so
two kills can be checked at once on a 2-core machine.

Progress goes to stderr; the LAST line on stdout is one JSON object (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import sys
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.load import percentiles  # noqa: E402

#: Phones submitting contributions in each iteration.
PHONES = 4
#: Each writer sends at most this many a second: a phone's 20 answers (open_vraag) last the 0.5 s an
#: iteration may last, and the server's fair allowance per phone (30 at once) refuses none.
WRITES_PER_SECOND = 40
KILL_AFTER_MAX = 0.5
#: New bijeenkomsten the host creates per iteration (each is one more file every start and every check loads).
CREATES_PER_ITERATION = 1


def log(message: str) -> None:
    """Progress for the human; stdout is kept for the JSON line."""
    print(f"[torn {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Acked:
    """What the server acknowledged in one iteration (and what was sent but never answered)."""

    contributions: list[str] = field(default_factory=list)
    bijeenkomsten: list[str] = field(default_factory=list)
    #: Token hashes of the phones that joined this round (HTTP 200: stored).
    participants: list[str] = field(default_factory=list)
    #: Addresses sent for the verslag, in order, and how many of them (a prefix) were acknowledged.
    emails_sent: list[str] = field(default_factory=list)
    emails_acked: int = 0
    refused: Counter[str] = field(default_factory=Counter)


@dataclass
class LaneTotals:
    """Everything a lane counted over its iterations."""

    iterations: int = 0
    opened: int = 0
    acked_contributions: int = 0
    acked_bijeenkomsten: int = 0
    acked_participants: int = 0
    acked_emails: int = 0
    missing: int = 0
    duplicates: int = 0
    wrong_email: int = 0
    tmp_files_at_kill: int = 0
    tmp_files_after_start: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    start_s: list[float] = field(default_factory=list)
    iteration_s: list[float] = field(default_factory=list)
    kill_after_ms: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def tmp_files(data_dir: Path) -> list[str]:
    """Return the temp files an interrupted atomic write leaves in the data folder."""
    return sorted(p.name for p in (data_dir / "sessions").glob(".*.tmp"))


async def paced(index: int) -> None:
    """Keep a writer at WRITES_PER_SECOND."""
    await asyncio.sleep(1 / WRITES_PER_SECOND if index else 0)


class Lane:
    """One data folder, one server restarted on it over and over, and its writers."""

    def __init__(self, number: int, data_dir: Path, rng: random.Random) -> None:
        from facilitator.testing.live_server import LiveServer

        self.number = number
        self.data_dir = data_dir
        self.rng = rng
        self.server = LiveServer(data_dir, cwd=REPO_ROOT)
        self.totals = LaneTotals()
        self.session_id = ""
        self.join_code = ""
        self.email_token = ""
        self.bijeenkomsten: set[str] = set()
        self.contributions: set[str] = set()
        self.participants: set[str] = set()
        #: Addresses that may be stored now: the last acknowledged one and every one sent after it.
        self.email_candidates: set[str] = set()

    async def prepare(self) -> None:
        """Create the bijeenkomst the phones write to, join them, and let the host ask for addresses."""
        import aiohttp
        import socketio

        await asyncio.to_thread(self.server.start)
        created = await asyncio.to_thread(self.server.create_bijeenkomst, f"Stroomstoring {self.number}")
        self.session_id, self.join_code = created["id"], created["join_code"]
        self.bijeenkomsten.add(self.session_id)
        async with aiohttp.ClientSession() as http:
            self.email_token = await self.join_phone(http)
        host = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        await host.connect(self.server.base_url, transports=["websocket"], headers={"Cookie": f"rd_host={self.server.key}"})
        try:
            assert (await host.call("join_session", {"session": self.session_id, "role": "host"}))["ok"]
            assert (await host.call("set_closing", {"session": self.session_id, "closing": True}))["ok"]
        finally:
            await host.disconnect()
        self.server.kill()

    async def join_phone(self, http: Any, acked: Acked | None = None) -> str:
        """Join a phone over HTTP; return its token."""
        from facilitator.core.services import hash_token

        async with http.post(f"{self.server.base_url}/j/{self.join_code}", json={}) as response:
            if response.status != 200:
                raise RuntimeError(f"joining answered {response.status}: {await response.text()}")
            token = str((await response.json())["token"])
        if acked is not None:
            acked.participants.append(hash_token(token))
        return token

    async def iteration(self, index: int) -> None:
        """Start, write, kill at a random moment, check."""
        import aiohttp
        import socketio

        began = time.monotonic()
        await asyncio.to_thread(self.server.start)
        self.totals.start_s.append(time.monotonic() - began)
        left = tmp_files(self.data_dir)  # the server tidies at start, before it answers
        self.totals.tmp_files_after_start += len(left)
        if left:
            self.totals.problems.append(f"iteration {index}: temp files after start: {left}")

        acked = Acked()
        base = self.server.base_url
        clients: list[Any] = []
        writers: list[asyncio.Task[None]] = []
        kill_after = self.rng.uniform(0, KILL_AFTER_MAX)

        async def connect(token: str) -> Any:
            sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
            clients.append(sio)
            await sio.connect(base, transports=["websocket"], auth={"token": token}, wait_timeout=5)
            ack = await sio.call("join_session", {"session": self.session_id, "role": "participant"}, timeout=5)
            if not ack.get("ok"):
                raise RuntimeError(f"join_session refused: {ack}")
            return sio

        async def submit(phone: int, sio: Any) -> None:
            for n in range(10**6):
                await paced(n)
                cid = f"torn-{self.number}-{index:04d}-{phone}-{n:05d}"
                ack = await sio.call(
                    "submit_contribution", {"session": self.session_id, "client_id": cid, "text": f"Regel {n}"},
                    timeout=10,
                )
                if ack == {"ok": True, "id": cid}:
                    acked.contributions.append(cid)
                else:
                    acked.refused[str(ack.get("error", {}).get("code"))] += 1

        async def change_address(sio: Any) -> None:
            for n in range(10**6):
                await paced(n)
                email = f"lus{self.number}-{index}-{n}@example.org"
                acked.emails_sent.append(email)
                ack = await sio.call(
                    "request_verslag", {"session": self.session_id, "email": email, "consent": True}, timeout=10
                )
                if ack == {"ok": True, "email": email}:
                    acked.emails_acked = len(acked.emails_sent)
                else:
                    acked.refused[str(ack.get("error", {}).get("code"))] += 1

        async def create_bijeenkomsten(http: Any) -> None:
            for n in range(CREATES_PER_ITERATION):
                await paced(n)
                async with http.post(f"{base}/host/sessions", json={"title": f"Lus {index}-{n}"}) as response:
                    body = await response.json()
                if response.status == 201:
                    acked.bijeenkomsten.append(body["id"])
                else:
                    acked.refused[f"http_{response.status}"] += 1

        http = aiohttp.ClientSession(headers={"Cookie": f"rd_host={self.server.key}"})  # the host's, and for joining
        try:
            # New phones join, every writer is in the room; then the writing and the clock start together.
            tokens = await asyncio.gather(*(self.join_phone(http, acked) for _ in range(PHONES)))
            *phones, addresser = await asyncio.gather(*(connect(t) for t in [*tokens, self.email_token]))
            writers = [asyncio.create_task(submit(p, sio)) for p, sio in enumerate(phones)]
            writers.append(asyncio.create_task(change_address(addresser)))
            writers.append(asyncio.create_task(create_bijeenkomsten(http)))
            await asyncio.sleep(kill_after)
            assert self.server.process is not None
            self.server.process.send_signal(signal.SIGKILL)
            await asyncio.to_thread(self.server.process.wait, 10)
            self.totals.kill_after_ms.append(kill_after * 1000)
            # Every ack the server sent before it died is read before the connection reports its end.
            deadline = time.monotonic() + 5
            while any(c.connected for c in clients) and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            # An HTTP answer still being read is simply not counted: the check only asks that what is
            # counted as acknowledged is stored, so counting less never hides a loss.
        finally:
            for writer in writers:
                writer.cancel()
            await asyncio.gather(*writers, return_exceptions=True)
            await http.close()
            for sio in clients:
                try:
                    await asyncio.wait_for(sio.disconnect(), 1)
                except Exception:  # noqa: BLE001
                    pass
        self.check(index, acked)
        self.totals.iteration_s.append(time.monotonic() - began)

    def check(self, index: int, acked: Acked) -> None:
        """Open the folder with the real loader and compare it with what was acknowledged."""
        from facilitator.storage.tinydb_store import TinyDBRepository

        totals = self.totals
        totals.iterations += 1
        totals.tmp_files_at_kill += len(tmp_files(self.data_dir))
        totals.refused.update(acked.refused)
        totals.acked_contributions += len(acked.contributions)
        totals.acked_bijeenkomsten += len(acked.bijeenkomsten)
        totals.acked_participants += len(acked.participants)
        self.participants.update(acked.participants)
        totals.acked_emails += acked.emails_acked
        self.contributions.update(acked.contributions)
        self.bijeenkomsten.update(acked.bijeenkomsten)
        if acked.emails_acked:
            self.email_candidates = set(acked.emails_sent[acked.emails_acked - 1 :])
        else:
            self.email_candidates |= set(acked.emails_sent)

        files = sorted((self.data_dir / "sessions").glob("*.json"))
        repo = TinyDBRepository(self.data_dir, read_only=True)
        loaded = {s.id for s in repo.list_sessions()}
        unreadable = sorted(p.stem for p in files if p.stem not in loaded)
        missing_sessions = sorted(self.bijeenkomsten - loaded)
        if not unreadable and not missing_sessions:
            totals.opened += 1
        else:
            totals.problems.append(f"iteration {index}: unreadable {unreadable}, missing {missing_sessions}")
        if self.session_id not in loaded:
            totals.missing += len(self.contributions)
            return
        ids = [c.id for c in repo.list_contributions(self.session_id)]
        stored = set(ids)
        lost = self.contributions - stored
        absent = [h for h in self.participants if repo.participant_by_token_hash(self.session_id, h) is None]
        totals.missing += len(lost) + len(missing_sessions) + len(absent)
        if absent:
            totals.problems.append(f"iteration {index}: {len(absent)} joined phones missing")
        totals.duplicates += len(ids) - len(stored)
        if lost:
            totals.problems.append(f"iteration {index}: {len(lost)} acknowledged contributions missing")
        optins = repo.list_mail_optins(self.session_id)
        if self.email_candidates and not (len(optins) == 1 and optins[0].email in self.email_candidates):
            totals.wrong_email += 1
            totals.problems.append(f"iteration {index}: stored address {[o.email for o in optins]}")

    async def finish(self) -> None:
        """Start once more: the server opens everything, leaves no temp file, and serves all that was acknowledged."""
        await asyncio.to_thread(self.server.start)
        try:
            left = tmp_files(self.data_dir)
            self.totals.tmp_files_after_start += len(left)
            if left:
                self.totals.problems.append(f"after the last start: temp files {left}")
        finally:
            self.server.stop()

    async def run(self, iterations: int) -> None:
        try:
            await self.prepare()
            for index in range(iterations):
                await self.iteration(index)
                if (index + 1) % 25 == 0:
                    log(f"lane {self.number}: {index + 1}/{iterations} iterations, "
                        f"{self.totals.acked_contributions} contributions acknowledged, problems {len(self.totals.problems)}")
            await self.finish()
        finally:
            self.server.kill()


async def run_torn_writes(iterations: int = 200, lanes: int = 2, seed: int | None = None) -> dict[str, Any]:
    """Run `iterations` kills spread over `lanes` parallel lanes; return the result (the JSON line's fields)."""
    seed = seed if seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    shares = [iterations // lanes + (1 if n < iterations % lanes else 0) for n in range(lanes)]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rode-draad-torn-") as tmp:
        runs = [Lane(n, Path(tmp) / f"lane{n}", random.Random(rng.randrange(2**32))) for n in range(lanes)]
        await asyncio.gather(*(lane.run(share) for lane, share in zip(runs, shares, strict=True)))
    totals = [lane.totals for lane in runs]

    def total(name: str) -> int:
        return sum(getattr(t, name) for t in totals)

    refused: Counter[str] = Counter()
    for t in totals:
        refused.update(t.refused)
    return {
        "iterations": total("iterations"),
        "lanes": lanes,
        "seed": seed,
        "store_opened": total("opened"),
        "acked_contributions": total("acked_contributions"),
        "acked_bijeenkomsten": total("acked_bijeenkomsten"),
        "acked_joins": total("acked_participants"),
        "acked_address_changes": total("acked_emails"),
        "missing": total("missing"),
        "duplicates": total("duplicates"),
        "wrong_address": total("wrong_email"),
        "tmp_files_at_kill": total("tmp_files_at_kill"),
        "tmp_files_left_after_start": total("tmp_files_after_start"),
        "seconds": round(time.monotonic() - started, 1),
        "detail": {
            "server_start_s": percentiles([s for t in totals for s in t.start_s]),
            "iteration_s": percentiles([s for t in totals for s in t.iteration_s]),
            "kill_after_ms": percentiles([s for t in totals for s in t.kill_after_ms]),
            "refused": dict(refused),
            "problems": [p for t in totals for p in t.problems][:20],
        },
    }


def succeeded(result: dict[str, Any]) -> bool:
    """Tell whether every kill left a store that opens with everything acknowledged and no temp file."""
    return (
        result["store_opened"] == result["iterations"]
        and result["missing"] == 0
        and result["duplicates"] == 0
        and result["wrong_address"] == 0
        and result["tmp_files_left_after_start"] == 0
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=200, help="how many start-write-kill rounds in all")
    parser.add_argument("--lanes", type=int, default=2, help="rounds run in this many parallel lanes (data folders)")
    parser.add_argument("--seed", type=int, default=None, help="seed for the kill moments (printed in the result)")
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.lanes < 1:
        parser.error("--iterations and --lanes must be at least 1")
    warnings.filterwarnings("ignore")
    result = asyncio.run(run_torn_writes(args.iterations, max(1, min(args.lanes, args.iterations)), args.seed))
    print(json.dumps(result), flush=True)
    return 0 if succeeded(result) else 1


if __name__ == "__main__":
    sys.exit(main())
