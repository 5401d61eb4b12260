"""A hundred phones vote with dots against the real server: double taps, over-budget bursts, un-votes and
re-votes, some of them sent just before the connection drops and sent again after reconnecting.

Nobody may end up with more dots than the budget, at any moment anyone hears of; and the tally the host
is shown equals a recount of the vote facts read from the store after the server stopped, which equals
what the phones themselves were last told.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository
from facilitator.testing.clients import Recorder, join_over_http, run
from facilitator.testing.live_server import LiveServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REGISTRY = discover()
PHONES = 100
DOTS = 3
OPTIONS = ["Rust in de klas", "Ruimte voor spel", "Regie bij ouders", "Eén vast gezicht", "Korte lijnen", "Tijd"]
TARGETS = [f"option-{i}" for i in range(1, len(OPTIONS) + 1)]


def prepare(data_dir: Path) -> tuple[str, str, str]:
    """A bijeenkomst whose second agenda item is stemmen on six options with three dots each."""
    repo = TinyDBRepository(data_dir)
    session = services.create_session(repo, REGISTRY, title="Stippen", date="2026-11-25")
    item, _events = services.add_agenda_item(repo, REGISTRY, session.id, "stemmen", {"dots": DOTS, "options": OPTIONS})
    return session.id, session.join_code, item.id


class Voter:
    """One phone: its connection, its token, and every acknowledgement it got."""

    def __init__(self, index: int, server: LiveServer, session_id: str, token: str) -> None:
        self.index, self.server, self.session_id, self.token = index, server, session_id, token
        self.phone = Recorder(f"voter{index:03d}")
        self.acks: list[dict[str, Any]] = []
        #: The dots this phone was last told it has (the ack of its last action, sent with nothing else in flight).
        self.view: list[str] = []
        self.reconnects = 0

    async def connect(self) -> None:
        await self.phone.connect(self.server.base_url, token=self.token)
        await self.phone.join(self.session_id, "participant")

    async def vote(self, target: str, on: bool) -> dict[str, Any]:
        ack = await self.phone.call("cast_vote", {"session": self.session_id, "target": target, "on": on})
        self.acks.append(ack)
        return ack

    async def alone(self, target: str, on: bool) -> dict[str, Any]:
        """Vote with nothing else in flight; the ack then says exactly which dots this phone has."""
        ack = await self.vote(target, on)
        if ack["ok"]:
            self.view = ack["votes"]
        return ack

    async def burst(self, targets: list[str], on: bool) -> list[dict[str, Any]]:
        """Send several votes at once, as a quick double (or sextuple) tap does."""
        return list(await asyncio.gather(*(self.vote(t, on) for t in targets)))

    async def send_and_drop(self, targets: list[str], on: bool) -> None:
        """Send votes and lose the connection before any acknowledgement can come back."""
        for target in targets:
            await self.phone.client.emit("cast_vote", {"session": self.session_id, "target": target, "on": on})
        await self.phone.client.eio.disconnect(abort=True)  # the Wi-Fi drops: no goodbye, maybe not even sent
        await self.reconnect()

    async def reconnect(self) -> None:
        if self.phone.client.connected:
            await self.phone.client.disconnect()
        self.reconnects += 1
        await self.connect()


def codes(acks: list[dict[str, Any]]) -> Counter[str]:
    return Counter("ok" if a["ok"] else a["error"]["code"] for a in acks)


async def script(voter: Voter) -> None:
    """One phone's afternoon at the voting wall; every outcome is asserted exactly."""
    rng = random.Random(voter.index)
    order = rng.sample(TARGETS, len(TARGETS))
    first = order[0]
    drops = voter.index % 4 == 0  # a quarter of the phones lose the connection mid-way, each time

    # 1. A double tap on the first option: both answered ok, one dot.
    assert [a["votes"] for a in await voter.burst([first, first], True)] == [[first], [first]]

    # 2. Tapping all six at once: the budget holds, exactly DOTS stay on.
    if drops:
        await voter.send_and_drop(order, True)
    outcome = codes(await voter.burst(order, True))
    assert outcome == {"ok": DOTS, "limit_reached": len(TARGETS) - DOTS}, outcome
    on = (await voter.alone(first, True))["votes"]
    assert len(on) == DOTS and first in on

    # 3. Un-vote one (double-emitted): one dot free.
    dropped = next(t for t in order if t in on and t != first)
    assert [len(a["votes"]) for a in await voter.burst([dropped, dropped], False)] == [DOTS - 1, DOTS - 1]

    # 4. Re-vote it across a reconnect: sent, connection gone, sent again.
    if drops:
        await voter.send_and_drop([dropped], True)
    else:
        await voter.reconnect()
    assert sorted((await voter.alone(dropped, True))["votes"]) == sorted(on)

    # 5. Take the first dot back across a reconnect, and put it elsewhere.
    if drops:
        await voter.send_and_drop([first], False)
    else:
        await voter.reconnect()
    assert first not in (await voter.alone(first, False))["votes"]
    elsewhere = next(t for t in order if t not in on)
    assert sorted((await voter.alone(elsewhere, True))["votes"]) == sorted([*(set(on) - {first}), elsewhere])

    # 6. One more over the budget: refused, nothing changes.
    spare = next(t for t in order if t not in voter.view)
    full = await voter.vote(spare, True)
    assert full["ok"] is False and full["error"]["code"] == "limit_reached", full
    assert sorted((await voter.alone(elsewhere, True))["votes"]) == sorted(voter.view)
    assert len(voter.view) == DOTS


async def scenario(server: LiveServer, session_id: str, join_code: str) -> dict[str, Any]:
    host = Recorder("host")
    voters: list[Voter] = []
    try:
        await host.connect(server.base_url, host_key=server.key)
        await host.join(session_id, "host")
        assert await host.call("go_to_phase", {"session": session_id, "item": 1, "phase": 0}) == {
            "ok": True, "item": 1, "phase": 0,
        }
        async with aiohttp.ClientSession() as http:
            tokens = await asyncio.gather(*(join_over_http(http, server.base_url, join_code) for _ in range(PHONES)))
        voters = [Voter(i, server, session_id, token) for i, token in enumerate(tokens)]
        await asyncio.gather(*(v.connect() for v in voters))
        for voter in voters:
            step = voter.phone.of("session_state")[-1]["step"]
            assert step["vote"] == {"dots": DOTS, "targets": [{"id": t, "text": o} for t, o in zip(TARGETS, OPTIONS, strict=True)]}

        await asyncio.gather(*(script(v) for v in voters))

        # Nobody was ever told of more dots than the budget.
        for voter in voters:
            assert all(len(a["votes"]) <= DOTS for a in voter.acks if a["ok"]), voter.phone.name
        told = Counter(target for voter in voters for target in voter.view)
        assert sum(told.values()) == PHONES * DOTS

        # The host: its last live tally, and a fresh screen's, both equal what the phones were told.
        fresh = await host.join(session_id, "host")  # also a barrier: every earlier emit to the host arrived
        assert fresh["tallies"] == dict(told)
        assert host.of("votes_changed")[-1]["tallies"] == dict(told)
        return {
            "told": told,
            "views": {v.token: sorted(v.view) for v in voters},
            "reconnects": sum(v.reconnects for v in voters),
            "acks": sum(len(v.acks) for v in voters),
        }
    finally:
        await asyncio.gather(*(r.close() for r in [host, *(v.phone for v in voters)]))


def test_votes_of_a_hundred_phones_across_reconnects_stay_in_budget_and_recount_exactly(data_dir: Path) -> None:
    session_id, join_code, item_id = prepare(data_dir)
    server = LiveServer(data_dir)
    try:
        server.start()
        result = run(scenario(server, session_id, join_code), timeout=150)
        server.stop()
    finally:
        server.kill()
        print("---- server output ----\n" + "".join(server.output))
    print(f"{result['acks']} acknowledged votes, {result['reconnects']} reconnects")

    # A recount from the vote facts on disk, with the server stopped.
    repo = TinyDBRepository(data_dir)
    facts = [v for v in repo.list_votes(session_id) if v.agenda_item_id == item_id]
    assert len({(v.participant_id, v.target) for v in facts}) == len(facts)  # one fact per phone and option
    recount = Counter(v.target for v in facts if v.active)
    assert recount == result["told"]
    assert services.tallies(repo, session_id, item_id) == dict(recount)
    per_phone: dict[str, list[str]] = {}
    for vote in facts:
        if vote.active:
            per_phone.setdefault(vote.participant_id, []).append(vote.target)
    assert len(per_phone) == PHONES and all(len(targets) == DOTS for targets in per_phone.values())
    for token, view in result["views"].items():
        participant = repo.participant_by_token_hash(session_id, services.hash_token(token))
        assert participant is not None
        assert sorted(per_phone[participant.id]) == view
