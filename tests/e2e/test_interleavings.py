"""Phones and the host change the same bijeenkomst at the same moment: no acknowledged change is undone.

Measured before this test existed: while 16 phones claimed role codes or moved tables and the host
went to another phase, added time and revealed, the host's phase change was reverted in 15 of 30
rounds and most acknowledged role claims were reverted, on disk too. Each round here races all of it
against the real eventlet server and then reads the durable files (what a restart would find) and
checks every acknowledged change, pair by pair.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository
from facilitator.testing.clients import Recorder, join_over_http, run
from facilitator.testing.live_server import LiveServer

pytestmark = pytest.mark.e2e

REGISTRY = discover()
TABLES = 16
CLAIMERS = 16
MOVERS = 8
ROUNDS = 6


def prepare(data_dir: Path) -> tuple[str, str, str, int, int]:
    """A bijeenkomst with 16 tables and a tafeladvies item: its id, join code, item id, item index, phase count."""
    repo = TinyDBRepository(data_dir)
    session = services.create_session(repo, REGISTRY, title="Tegelijk", date="2026-11-25")
    services.set_tables(repo, session.id, [f"Tafel {n}" for n in range(1, TABLES + 1)])
    item, _ = services.add_agenda_item(repo, REGISTRY, session.id, "tafeladvies", {})
    phases = len(services.configured_workformat(REGISTRY, item).phases)
    index = next(i for i, a in enumerate(repo.get_session(session.id).agenda) if a.id == item.id)
    return session.id, session.join_code, item.id, index, phases


def durable(data_dir: Path, session_id: str) -> tuple[Any, dict[int, int | None], dict[str, int]]:
    """Return, as a restart would find them on disk: the bijeenkomst, each phone's table and number by id."""
    repo = TinyDBRepository(data_dir, read_only=True)
    participants = repo.list_participants(session_id)
    return repo.get_session(session_id), {p.number: p.table for p in participants}, {p.id: p.number for p in participants}


def test_phones_and_host_racing_never_undo_an_acknowledged_change(live_server: LiveServer, data_dir: Path) -> None:
    live_server.stop()
    session_id, join_code, item_id, item_index, phases = prepare(data_dir)
    live_server.start()
    run(_race(live_server, data_dir, session_id, join_code, item_id, item_index, phases), timeout=240)


async def _race(
    server: LiveServer, data_dir: Path, sid: str, join_code: str, item_id: str, item_index: int, phases: int
) -> None:
    host = Recorder("host")
    claimers = [Recorder(f"claimer{n}") for n in range(CLAIMERS)]
    movers = [Recorder(f"mover{n}") for n in range(MOVERS)]
    numbers: dict[str, int] = {}
    try:
        await host.connect(server.base_url, host_key=server.key)
        await host.join(sid, "host")
        async with aiohttp.ClientSession() as http:
            for phone in (*claimers, *movers):
                token = await join_over_http(http, server.base_url, join_code, table=1)
                await phone.connect(server.base_url, token=token)
                state = await phone.join(sid, "participant")
                numbers[phone.name] = state["me"]["number"]
        reverted: list[str] = []
        for round_ in range(ROUNDS):
            codes = []
            for table in range(1, CLAIMERS + 1):
                ack = await host.call(
                    "create_role_code", {"session": sid, "role": "tafelvoorzitter", "table": table, "item": item_id}
                )
                assert ack["ok"] is True, ack
                codes.append(ack["code"])
            target_phase = (round_ + 1) % phases
            wanted_tables = {m.name: (round_ + n) % TABLES + 1 for n, m in enumerate(movers)}

            async def host_steers(phase: int) -> list[Any]:
                acks = [await host.call("go_to_phase", {"session": sid, "item": item_index, "phase": phase})]
                acks.append(await host.call("control_timer", {"session": sid, "action": "add", "seconds": 60}))
                acks.append(await host.call("reveal_phase", {"session": sid}))
                return acks

            results = await asyncio.gather(
                host_steers(target_phase),
                *(c.call("claim_role", {"session": sid, "code": code}) for c, code in zip(claimers, codes, strict=True)),
                *(m.call("choose_table", {"session": sid, "table": wanted_tables[m.name]}) for m in movers),
            )
            host_acks, claim_acks, move_acks = results[0], results[1 : 1 + CLAIMERS], results[1 + CLAIMERS :]
            assert all(a["ok"] is True for a in host_acks), host_acks
            assert all(a["ok"] is True for a in claim_acks), claim_acks
            assert all(a["ok"] is True for a in move_acks), move_acks

            session, tables, number_of = durable(data_dir, sid)
            if (session.current_item, session.current_phase) != (item_index, target_phase):
                reverted.append(f"round {round_}: phase change reverted")
            if session.timer is None or session.timer.duration < 60:
                reverted.append(f"round {round_}: time added was undone")
            wanted_key = f"{item_id}:{REGISTRY.get('tafeladvies').phases[target_phase].id}"
            if wanted_key not in session.revealed:
                reverted.append(f"round {round_}: reveal undone")
            holders = {
                r.table: number_of.get(r.participant_id or "")
                for r in session.roles
                if r.agenda_item_id == item_id and r.role == "tafelvoorzitter"
            }
            for table, claimer in enumerate(claimers, start=1):
                if holders.get(table) != numbers[claimer.name]:
                    reverted.append(f"round {round_}: claim of table {table} undone")
                if tables[numbers[claimer.name]] != table:
                    reverted.append(f"round {round_}: the claimer of table {table} was not seated there")
            for mover in movers:
                if tables[numbers[mover.name]] != wanted_tables[mover.name]:
                    reverted.append(f"round {round_}: {mover.name}'s table move undone")
        assert reverted == []
        # A restart finds the same: every acknowledged change was durable, none was overwritten later.
        before = durable(data_dir, sid)
        server.stop()
        server.start()
        assert durable(data_dir, sid) == before
    finally:
        for client in (host, *claimers, *movers):
            await client.close()
