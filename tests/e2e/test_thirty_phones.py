"""Thirty phones against the real eventlet server: every text arrives once, live, and survives a resend."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from facilitator.testing.clients import Recorder, client_id, join_over_http, run
from facilitator.testing.live_server import LiveServer

pytestmark = pytest.mark.e2e

PHONES = 30
PER_PHONE = 2
PERSPECTIVES = ("ouder", "zorg", "onderwijs", "ervaringsdeskundige", "anders")
#: Six phones per perspective, counted in the bijeenkomst's order (today's five).
FULL_PERSPECTIVES = [{"id": p, "joined": PHONES // 5} for p in PERSPECTIVES]
#: Six phones at each of the five tables (no names were given to the tables), all connected.
FULL_TABLES = [{"number": n, "name": "", "joined": PHONES // 5, "connected": PHONES // 5} for n in range(1, 6)]


def counts_of(participants: dict[str, Any]) -> dict[str, int]:
    """Return the room-wide counts of a participants_changed payload."""
    return {"joined": participants["joined"], "connected": participants["connected"]}


async def barrier(host: Recorder, session_id: str) -> None:
    """Round-trip on the host's own connection.

    Everything the server emitted to the host before it acknowledged an earlier call (from any
    client) is queued ahead of this ack on the same connection, so once it returns those events
    have been recorded: absence can be asserted without sleeping.
    """
    await host.join(session_id, "host")


async def scenario(server: LiveServer) -> None:
    bijeenkomst = server.create_bijeenkomst("Dertig telefoons")
    session_id = bijeenkomst["id"]
    host = Recorder("host")
    phones = [Recorder(f"phone{i:02d}") for i in range(PHONES)]
    fresh_host = Recorder("fresh-host")
    try:
        await host.connect(server.base_url, host_key=server.key)
        state = await host.join(session_id, "host")
        assert state["role"] == "host"
        assert state["session"]["id"] == session_id
        assert state["contributions"] == []
        assert state["participants"] == {"joined": 0, "connected": 0, "tables": [], "perspectives": []}
        assert state["step"]["accepts"] == {"deelnemer": ["antwoord"]}

        # -- 30 phones join over HTTP, then over Socket.IO, all at once.
        async with aiohttp.ClientSession() as http:
            tokens = await asyncio.gather(
                *(
                    join_over_http(
                        http, server.base_url, bijeenkomst["join_code"],
                        table=i % 5 + 1, perspective=PERSPECTIVES[i % len(PERSPECTIVES)],
                    )
                    for i in range(PHONES)
                )
            )
        assert len(set(tokens)) == PHONES

        async def connect_and_join(phone: Recorder, token: str) -> dict[str, Any]:
            await phone.connect(server.base_url, token=token)
            return await phone.join(session_id, "participant")

        states = await asyncio.gather(*(connect_and_join(p, t) for p, t in zip(phones, tokens, strict=True)))
        for i, phone_state in enumerate(states):
            assert phone_state["role"] == "participant"
            assert phone_state["contributions"] == []
            me = dict(phone_state["me"])
            assert me.pop("number") >= 1
            assert len(me.pop("rejoin_code")) == 11  # the herstelcode, for coming back on a new address
            assert me == {"table": i % 5 + 1, "perspective": PERSPECTIVES[i % len(PERSPECTIVES)], "roles": {}}
        # Every phone shows its own number, so the host can give one a role without knowing who it is.
        assert sorted(st["me"]["number"] for st in states) == list(range(1, PHONES + 1))

        await barrier(host, session_id)
        counts = host.of("participants_changed")
        assert counts, "host never got participants_changed"
        assert counts[-1] == {"joined": PHONES, "connected": PHONES, "tables": FULL_TABLES,
                                                   "perspectives": FULL_PERSPECTIVES}

        # -- each phone sends two different texts, all phones at the same time.
        sent: dict[str, dict[str, Any]] = {}  # client id -> {"text", "phone"}
        for i in range(PHONES):
            for j in range(PER_PHONE):
                sent[client_id(f"p{i:02d}n{j}")] = {"text": f"Antwoord {j + 1} van telefoon {i + 1}", "phone": i}

        async def submit(cid: str) -> Any:
            phone = phones[sent[cid]["phone"]]
            return await phone.call(
                "submit_contribution", {"session": session_id, "client_id": cid, "text": sent[cid]["text"]}
            )

        ids = list(sent)
        acks = await asyncio.gather(*(submit(cid) for cid in ids))
        assert acks == [{"ok": True, "id": cid} for cid in ids]

        await host.wait_for(lambda: len(host.of("contribution_added")) >= len(sent))
        await barrier(host, session_id)
        added = [event["contribution"] for event in host.of("contribution_added")]
        assert len(added) == PHONES * PER_PHONE
        assert sorted(c["id"] for c in added) == sorted(sent)
        for contribution in added:
            origin = sent[contribution["id"]]
            assert contribution["text"] == origin["text"]
            assert contribution["hidden"] is False
            assert contribution["table"] == origin["phone"] % 5 + 1
            assert contribution["perspective"] == PERSPECTIVES[origin["phone"] % len(PERSPECTIVES)]
            assert "participant_id" not in contribution and "token_hash" not in contribution
        # Each author's own phone saw its own two texts, and nobody else's.
        for i, phone in enumerate(phones):
            own = sorted(c for c, origin in sent.items() if origin["phone"] == i)
            assert sorted(e["contribution"]["id"] for e in phone.of("contribution_added")) == own

        # -- a resend of an acknowledged id: same ack, nothing new anywhere.
        resent_id = ids[7]
        author = phones[sent[resent_id]["phone"]]
        ack = await author.call(
            "submit_contribution", {"session": session_id, "client_id": resent_id, "text": sent[resent_id]["text"]}
        )
        assert ack == {"ok": True, "id": resent_id}
        await barrier(host, session_id)
        assert len(host.of("contribution_added")) == PHONES * PER_PHONE
        assert len(author.of("contribution_added")) == PER_PHONE

        # -- the host hides one: the author's phone and the host hear of it, no other phone does.
        hidden_id = ids[11]
        hidden_author_index = sent[hidden_id]["phone"]
        hidden_author = phones[hidden_author_index]
        bystander = phones[(hidden_author_index + 1) % PHONES]
        ack = await host.call("set_contribution_hidden", {"session": session_id, "id": hidden_id, "hidden": True})
        assert ack == {"ok": True, "id": hidden_id, "hidden": True}
        await host.wait_for(lambda: len(host.of("contribution_updated")) >= 1)
        await hidden_author.wait_for(lambda: len(hidden_author.of("contribution_updated")) >= 1)
        for recorder in (host, hidden_author):
            [update] = recorder.of("contribution_updated")
            assert update["contribution"]["id"] == hidden_id
            assert update["contribution"]["hidden"] is True
            assert update["contribution"]["text"] == sent[hidden_id]["text"]
        # The bystander's own round trip: anything meant for it would have been queued before.
        await bystander.join(session_id, "participant")
        assert bystander.of("contribution_updated") == []

        # -- a fresh host screen gets the whole wall: 60 items, exactly one hidden.
        await fresh_host.connect(server.base_url, host_key=server.key)
        wall = await fresh_host.join(session_id, "host")
        assert len(wall["contributions"]) == PHONES * PER_PHONE
        assert sorted(c["id"] for c in wall["contributions"]) == sorted(sent)
        assert [c["id"] for c in wall["contributions"] if c["hidden"]] == [hidden_id]
        assert {c["id"]: c["text"] for c in wall["contributions"]} == {k: v["text"] for k, v in sent.items()}
        assert wall["participants"] == {"joined": PHONES, "connected": PHONES, "tables": FULL_TABLES,
                                                   "perspectives": FULL_PERSPECTIVES}

        # -- phones reconnect: each gets back its own contributions, in the order sent; the hidden one marked.
        for phone_index in (hidden_author_index, (hidden_author_index + 3) % PHONES):
            phone = phones[phone_index]
            own = [cid for cid in ids if sent[cid]["phone"] == phone_index]
            await phone.client.disconnect()
            await host.wait_for(
                lambda: counts_of(host.of("participants_changed")[-1]) == {"joined": PHONES, "connected": PHONES - 1}
            )
            await phone.connect(server.base_url, token=tokens[phone_index])
            mine = await phone.join(session_id, "participant")
            assert [c["id"] for c in mine["contributions"]] == own
            assert [(c["id"], c["status"]) for c in mine["contributions"] if c["hidden"]] == (
                [(hidden_id, "hidden")] if hidden_id in own else []
            )
            assert [c["text"] for c in mine["contributions"]] == [sent[cid]["text"] for cid in own]
            await barrier(host, session_id)
            assert host.of("participants_changed")[-1] == {"joined": PHONES, "connected": PHONES, "tables": FULL_TABLES,
                                                   "perspectives": FULL_PERSPECTIVES}
        assert len(mine["contributions"]) == PER_PHONE  # the second phone: all it sent, nothing hidden
    finally:
        await asyncio.gather(*(r.close() for r in (host, fresh_host, *phones)))


def test_thirty_phones_each_send_two(live_server: LiveServer) -> None:
    run(scenario(live_server), timeout=60)
