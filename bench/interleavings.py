"""Phones and the host change one bijeenkomst at the same moment, with kills in between: is anything undone?

    python bench/interleavings.py [--rounds 30] [--claimers 16] [--movers 8] [--submitters 8] [--kill-every 5]

Starts the real `facilitator serve` (eventlet) with a temporary data folder. Each round the host makes
a one-time role code per table, and then at once: the host goes to another phase, adds a minute and
reveals, while phones claim the codes (tafelvoorzitter of their table), move tables and send
contributions. After the round the durable files are read (what a restart would find) and every
acknowledged change is checked; every --kill-every rounds the server is SIGKILLed, started again on the
same data folder, and everything acknowledged so far is checked once more.

Counts go per pair of use cases (host action x phone action) that raced in a round: an acknowledged
change that is not in the stored state counts as reverted for each pair its round raced. The LAST line
on stdout is one JSON object; the exit status is 0 when nothing was reverted or lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import socketio

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from facilitator.core import services  # noqa: E402
from facilitator.core.registry import discover  # noqa: E402
from facilitator.storage.tinydb_store import TinyDBRepository  # noqa: E402

REGISTRY = discover()
HOST_ACTIONS = ("go_to_phase", "add_time", "reveal")
PHONE_ACTIONS = ("claim_role", "choose_table", "submit_contribution")
_HOST_LINK = re.compile(r"(http://127\.0\.0\.1:(\d+))/host/login\?key=([A-Za-z0-9_-]+)")
WAIT = 20.0


class Server:
    """The real server in a subprocess, started again on the same data folder after a kill."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir, self.process, self.base_url, self.key = data_dir, None, "", ""

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "facilitator", "serve", "--host", "127.0.0.1", "--port", "0",
             "--data-dir", str(self.data_dir), "--no-browser"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO_ROOT,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 60
        for line in self.process.stdout:
            match = _HOST_LINK.search(line)
            if match:
                self.base_url, self.key = match.group(1), match.group(3)
                break
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
        # Keep reading its output, so a full pipe never blocks the server.
        threading.Thread(target=lambda out=self.process.stdout: [None for _ in out], daemon=True).start()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)


class Client:
    """A Socket.IO client as a phone or the host screen."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)

    async def connect(self, server: Server, *, token: str | None = None) -> None:
        await self.sio.connect(server.base_url, auth={"token": token} if token else None,
                               headers={} if token else {"Cookie": f"rd_host={server.key}"},
                               transports=["websocket"], wait_timeout=WAIT)

    async def call(self, event: str, data: dict[str, Any]) -> Any:
        return await self.sio.call(event, data, timeout=WAIT)

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.sio.disconnect(), 5)
        except Exception:  # noqa: BLE001 - cleanup goes on
            pass


def prepare(data_dir: Path, tables: int) -> tuple[str, str, str, int, int]:
    repo = TinyDBRepository(data_dir)
    session = services.create_session(repo, REGISTRY, title="Tegelijk", date=time.strftime("%Y-%m-%d"))
    services.set_tables(repo, session.id, [f"Tafel {n}" for n in range(1, tables + 1)])
    item, _ = services.add_agenda_item(repo, REGISTRY, session.id, "tafeladvies", {})
    index = next(i for i, a in enumerate(repo.get_session(session.id).agenda) if a.id == item.id)
    return session.id, session.join_code, item.id, index, len(services.configured_workformat(REGISTRY, item).phases)


class Bench:
    """Rounds of races, the acknowledged changes, and what the files hold."""

    def __init__(self, args: argparse.Namespace, data_dir: Path) -> None:
        self.args, self.data_dir = args, data_dir
        self.server = Server(data_dir)
        self.sid, self.join_code, self.item_id, self.item_index, self.phases = prepare(data_dir, args.claimers)
        self.reverted: Counter[str] = Counter()
        self.races: Counter[str] = Counter()
        self.acknowledged = 0
        #: Contributions acknowledged so far (id -> text): none may be lost, through every kill.
        self.contributions: dict[str, str] = {}
        self.tokens: list[str] = []

    def durable(self) -> tuple[Any, dict[int, int | None], dict[str, int], dict[str, str]]:
        repo = TinyDBRepository(self.data_dir, read_only=True)
        people = repo.list_participants(self.sid)
        texts = {c.id: c.text for c in repo.list_contributions(self.sid)}
        return repo.get_session(self.sid), {p.number: p.table for p in people}, {p.id: p.number for p in people}, texts

    async def connect_all(self) -> tuple[Client, list[Client], list[int]]:
        host = Client()
        await host.connect(self.server)
        assert (await host.call("join_session", {"session": self.sid, "role": "host"}))["ok"]
        phones, numbers = [], []
        for token in self.tokens:
            phone = Client()
            await phone.connect(self.server, token=token)
            assert (await phone.call("join_session", {"session": self.sid, "role": "participant"}))["ok"]
            phones.append(phone)
        repo = TinyDBRepository(self.data_dir, read_only=True)
        by_hash = {p.token_hash: p.number for p in repo.list_participants(self.sid)}
        numbers = [by_hash[services.hash_token(t)] for t in self.tokens]
        return host, phones, numbers

    async def join_phones(self) -> None:
        count = self.args.claimers + self.args.movers + self.args.submitters
        async with aiohttp.ClientSession() as http:
            for _ in range(count):
                async with http.post(f"{self.server.base_url}/j/{self.join_code}", json={"table": 1}) as answer:
                    self.tokens.append((await answer.json())["token"])

    async def round(self, number: int, host: Client, phones: list[Client], numbers: list[int]) -> None:
        a = self.args
        claimers, movers = phones[: a.claimers], phones[a.claimers : a.claimers + a.movers]
        submitters = phones[a.claimers + a.movers :]
        codes = []
        for table in range(1, a.claimers + 1):
            ack = await host.call("create_role_code", {"session": self.sid, "role": "tafelvoorzitter", "table": table,
                                                       "item": self.item_id})
            codes.append(ack["code"])
        phase = (number + 1) % self.phases
        wanted = {n: (number + n) % a.claimers + 1 for n in range(len(movers))}
        sent = {f"bench-{uuid.uuid4().hex[:16]}": f"Bijdrage {number}.{n}" for n in range(len(submitters))}

        async def host_steers() -> list[Any]:
            return [await host.call("go_to_phase", {"session": self.sid, "item": self.item_index, "phase": phase}),
                    await host.call("control_timer", {"session": self.sid, "action": "add", "seconds": 60}),
                    await host.call("reveal_phase", {"session": self.sid})]

        results = await asyncio.gather(
            host_steers(),
            *(c.call("claim_role", {"session": self.sid, "code": code}) for c, code in zip(claimers, codes, strict=True)),
            *(m.call("choose_table", {"session": self.sid, "table": wanted[n]}) for n, m in enumerate(movers)),
            *(s.call("submit_contribution", {"session": self.sid, "client_id": cid, "text": text})
              for s, (cid, text) in zip(submitters, sent.items(), strict=True)),
        )
        host_acks = results[0]
        claim_acks = results[1 : 1 + len(claimers)]
        move_acks = results[1 + len(claimers) : 1 + len(claimers) + len(movers)]
        submit_acks = results[1 + len(claimers) + len(movers) :]
        session, tables, number_of, texts = self.durable()
        changes: list[tuple[str, bool]] = []
        if host_acks[0]["ok"]:
            changes.append(("go_to_phase", (session.current_item, session.current_phase) == (self.item_index, phase)))
        phases = services.configured_workformat(REGISTRY, session.agenda[self.item_index]).phases
        if host_acks[1]["ok"]:
            # The host's go_to set the timer to the phase's timebox (or none: then 5 minutes); a minute on top.
            expected = (phases[phase].timebox_seconds or services.DEFAULT_TIMER_SECONDS) + 60
            changes.append(("add_time", session.timer is not None and session.timer.duration == expected))
        if host_acks[2]["ok"]:
            changes.append(("reveal", f"{self.item_id}:{phases[phase].id}" in session.revealed))
        holders = {r.table: number_of.get(r.participant_id or "") for r in session.roles
                   if r.agenda_item_id == self.item_id and r.role == "tafelvoorzitter"}
        for table, ack in enumerate(claim_acks, start=1):
            if ack["ok"]:
                number_ = numbers[table - 1]
                changes.append(("claim_role", holders.get(table) == number_ and tables[number_] == table))
        for n, ack in enumerate(move_acks):
            if ack["ok"]:
                changes.append(("choose_table", tables[numbers[a.claimers + n]] == wanted[n]))
        for (cid, text), ack in zip(sent.items(), submit_acks, strict=True):
            if ack.get("ok"):
                self.contributions[cid] = text
                changes.append(("submit_contribution", texts.get(cid) == text))
        self.acknowledged += len(changes)
        for host_action in HOST_ACTIONS:
            for phone_action in PHONE_ACTIONS:
                pair = f"{host_action} x {phone_action}"
                self.races[pair] += 1
                self.reverted[pair] += sum(1 for name, kept in changes if not kept and name in (host_action,
                                                                                                 phone_action))

    def lost_contributions(self) -> int:
        texts = self.durable()[3]
        return sum(1 for cid, text in self.contributions.items() if texts.get(cid) != text)

    async def run(self) -> dict[str, Any]:
        self.server.start()
        await self.join_phones()
        host, phones, numbers = await self.connect_all()
        lost_after_kills = 0
        kills = 0
        started = time.monotonic()
        try:
            for number in range(self.args.rounds):
                await self.round(number, host, phones, numbers)
                print(f"round {number + 1}/{self.args.rounds}: reverted {sum(self.reverted.values())}",
                      file=sys.stderr)
                if self.args.kill_every and (number + 1) % self.args.kill_every == 0 and number + 1 < self.args.rounds:
                    for client in (host, *phones):
                        await client.close()
                    self.server.kill()
                    kills += 1
                    lost_after_kills += self.lost_contributions()
                    self.server.start()
                    host, phones, numbers = await self.connect_all()
        finally:
            for client in (host, *phones):
                await client.close()
            self.server.kill()
        lost_after_kills += self.lost_contributions()
        return {
            "rounds": self.args.rounds, "kills": kills, "acknowledged_changes": self.acknowledged,
            "reverted": sum(self.reverted.values()), "lost_contributions": lost_after_kills,
            "per_pair": {pair: {"rounds": self.races[pair], "reverted": self.reverted[pair]} for pair in self.races},
            "seconds": round(time.monotonic() - started, 1),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--claimers", type=int, default=16)
    parser.add_argument("--movers", type=int, default=8)
    parser.add_argument("--submitters", type=int, default=8)
    parser.add_argument("--kill-every", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rode-draad-interleavings-") as folder:
        result = asyncio.run(Bench(args, Path(folder)).run())
    print(json.dumps(result))
    return 0 if result["reverted"] == 0 and result["lost_contributions"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
