"""Three tables of three phones and a host run a whole werkvormen afternoon against the real eventlet server.

The agenda is prepared in the data folder before the server starts (as a facilitator's earlier
preparation would leave it); everything after that goes over Socket.IO like the pages do. At the end
the server is stopped and the stored outcome is read back and checked exactly, including that a forced
reconnect with resends in the middle duplicated nothing.
"""

from __future__ import annotations

import asyncio
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

pytestmark = pytest.mark.e2e

REGISTRY = discover()
TABLES = ("Rood", "Groen", "Blauw")
AGENDA = ("open_vraag", "roddelmethode", "vier_buffers", "tafeladvies", "casusdialoog", "stemmen")
BUCKETS = ("solidariteit", "taakverdeling", "meta_positie", "positieve_ervaringen")
FUNCTIONS = ("leerkracht", "jeugdverpleegkundige", "ouder")


def prepare(data_dir: Path) -> tuple[str, str, list[str]]:
    """Create the bijeenkomst and its agenda in the data folder; return its id, join code and item ids."""
    repo = TinyDBRepository(data_dir)
    session = services.create_session(repo, REGISTRY, title="Drie tafels", date="2026-11-25", series="Veerkracht")
    settings: dict[str, dict[str, Any]] = {
        "roddelmethode": {"inbrenger_mode": "table", "case_text": "Finn is 10 jaar en zit in groep 6."},
        "stemmen": {"dots": 3},
    }
    for workformat_id in AGENDA[1:]:
        services.add_agenda_item(repo, REGISTRY, session.id, workformat_id, settings.get(workformat_id, {}))
    stored = repo.get_session(session.id)
    assert [i.workformat_id for i in stored.agenda] == list(AGENDA)
    return session.id, session.join_code, [i.id for i in stored.agenda]


class Afternoon:
    """The host, nine phones (three per table) and what was sent, for one scenario."""

    def __init__(self, server: LiveServer, session_id: str) -> None:
        self.server, self.sid = server, session_id
        self.host = Recorder("host")
        self.phones = [[Recorder(f"t{t + 1}p{k}") for k in range(3)] for t in range(3)]
        self.tokens: dict[str, str] = {}
        self.phase_changes = 0

    @property
    def everyone(self) -> list[Recorder]:
        return [self.host, *self.all_phones]

    @property
    def all_phones(self) -> list[Recorder]:
        return [phone for table in self.phones for phone in table]

    async def as_host(self, event: str, **payload: Any) -> Any:
        return await self.host.call(event, {"session": self.sid, **payload})

    async def send(self, phone: Recorder, event: str, **payload: Any) -> Any:
        return await phone.call(event, {"session": self.sid, **payload})

    async def ok(self, phone: Recorder, event: str, **payload: Any) -> Any:
        ack = await self.send(phone, event, **payload)
        assert ack["ok"] is True, (phone.name, event, payload, ack)
        return ack

    async def barrier(self, *clients: Recorder) -> None:
        """A round trip on each client's own connection: whatever was emitted to it before has arrived."""
        for client in clients or (self.host,):
            await client.join(self.sid, "host" if client is self.host else "participant")

    async def advance(self, expected_phase: str) -> dict[str, Any]:
        """Go to the next phase; every screen gets phase_changed once with it."""
        ack = await self.as_host("advance_phase")
        assert ack["ok"] is True, ack
        self.phase_changes += 1
        for client in self.everyone:
            await client.wait_for(lambda c=client: len(c.of("phase_changed")) >= self.phase_changes)
            assert len(client.of("phase_changed")) == self.phase_changes, client.name
            assert client.of("phase_changed")[-1]["step"]["phase"] == expected_phase, client.name
        return self.host.of("phase_changed")[-1]["step"]

    async def submit(self, phone: Recorder, client_id: str, text: str, **fields: Any) -> None:
        ack = await self.send(phone, "submit_contribution", client_id=client_id, text=text, **fields)
        assert ack == {"ok": True, "id": client_id}, (phone.name, ack)

    def added(self, client: Recorder, kind: str) -> list[dict[str, Any]]:
        return [e["contribution"] for e in client.of("contribution_added") if e["contribution"]["kind"] == kind]


async def scenario(server: LiveServer, session_id: str, join_code: str, items: list[str]) -> dict[str, Any]:
    room = Afternoon(server, session_id)
    host, phones = room.host, room.phones
    sent: dict[str, Any] = {"advices": {}, "roddels": {}, "buffers": {}, "hypotheses": {}, "votes": Counter()}
    try:
        await host.connect(server.base_url, host_key=server.key)
        state = await host.join(session_id, "host")
        assert [a["workformat"] for a in state["agenda"]] == list(AGENDA)
        tables = await room.as_host("set_tables", tables=list(TABLES))
        assert tables == {"ok": True, "tables": [{"number": i + 1, "name": n} for i, n in enumerate(TABLES)]}

        # -- nine phones sit down, three per table.
        async with aiohttp.ClientSession() as http:
            for t in range(3):
                for phone in phones[t]:
                    room.tokens[phone.name] = await join_over_http(http, server.base_url, join_code, table=t + 1)
        for phone in room.all_phones:
            await phone.connect(server.base_url, token=room.tokens[phone.name])
            mine = await phone.join(session_id, "participant")
            assert mine["tables"] == [{"number": i + 1, "name": n} for i, n in enumerate(TABLES)]
        await room.barrier()
        assert host.of("participants_changed")[-1]["tables"] == [
            {"number": i + 1, "name": n, "joined": 3, "connected": 3} for i, n in enumerate(TABLES)
        ]

        # == roddelmethode, one inbrenger per table ===================================================
        roddel_item = items[1]
        assert (await room.as_host("go_to_phase", item=1, phase=0))["ok"] is True
        room.phase_changes += 1
        codes = []
        for t in range(3):
            ack = await room.as_host("create_role_code", role="inbrenger", table=t + 1)
            assert ack["ok"] is True and len(ack["code"]) == 4
            codes.append(ack["code"])
        assert len(set(codes)) == 3
        inbrengers = [phones[t][0] for t in range(3)]
        for t, inbrenger in enumerate(inbrengers):
            ack = await room.send(inbrenger, "claim_role", code=codes[t])
            assert ack == {"ok": True, "roles": {roddel_item: "inbrenger"}, "table": t + 1}
            again = await room.send(phones[t][1], "claim_role", code=codes[t])
            assert again["ok"] is False and again["error"]["code"] == "role_code_invalid"
        await room.barrier()
        assert sorted((r["table"], r["code"]) for r in host.of("roles_changed")[-1]["roles"]) == [(1, None), (2, None), (3, None)]
        for t, inbrenger in enumerate(inbrengers):
            await inbrenger.wait_for(lambda p=inbrenger: any(s["me"]["roles"] for s in p.of("session_state")))
            assert inbrenger.of("session_state")[-1]["me"]["roles"] == {roddel_item: "inbrenger"}
            await room.ok(inbrenger, "submit_contribution", client_id=f"hulpvraag-t{t + 1}", text=f"Hoe help ik Finn? (tafel {t + 1})")

        await room.advance("verhelderende_vragen")
        for t in range(3):
            for k in (1, 2):
                await room.submit(phones[t][k], f"vraag-t{t + 1}p{k}", f"Hoe gaat het thuis? ({t + 1}.{k})")

        step = await room.advance("roddelen")
        assert step["views"] == {"deelnemer": "answer", "inbrenger": "listen", "tafelvoorzitter": "answer"}
        for t in range(3):
            refused = await room.send(inbrengers[t], "submit_contribution", client_id=f"stiekem-t{t + 1}", text="Ik zeg toch iets", tags=["observatie"])
            assert refused["error"]["code"] == "not_your_role"
            for k in (1, 2):
                for n, soort in enumerate(("observatie", "hypothese")):
                    cid = f"roddel-t{t + 1}p{k}n{n}"
                    text = f"Tafel {t + 1}, telefoon {k}: {soort} {n}"
                    await room.submit(phones[t][k], cid, text, kind="roddel", tags=[soort])
                    sent["roddels"][cid] = (t + 1, text, soort)
        for t, inbrenger in enumerate(inbrengers):
            await room.barrier(inbrenger)
            heard = sorted(c["id"] for c in room.added(inbrenger, "roddel"))
            assert heard == sorted(cid for cid, (table, _, _) in sent["roddels"].items() if table == t + 1), inbrenger.name
        for t in range(3):
            for k in (1, 2):  # besides its table's inbrenger, nobody hears another phone's roddel
                own = [c["id"] for c in room.added(phones[t][k], "roddel")]
                assert own == [cid for cid in sent["roddels"] if cid.startswith(f"roddel-t{t + 1}p{k}")], phones[t][k].name
        starred = [f"roddel-t{t + 1}p{1 + t % 2}n1" for t in range(3)]
        for t, inbrenger in enumerate(inbrengers):
            wrong_table = f"roddel-t{(t + 1) % 3 + 1}p1n0"
            assert (await room.send(inbrenger, "star_contribution", id=wrong_table, starred=True))["error"]["code"] == "not_your_role"
            assert await room.send(inbrenger, "star_contribution", id=starred[t], starred=True) == {"ok": True, "id": starred[t], "starred": True}
        await room.barrier()
        assert sorted(e["contribution"]["id"] for e in host.of("contribution_updated") if e["contribution"]["starred"]) == sorted(starred)

        step = await room.advance("advies")
        assert step["display"] == "per_table"
        for t in range(3):
            writer, cowriter = phones[t][1], phones[t][2]
            first = await room.ok(writer, "save_table_draft", kind="advies", slot=1, text=f"Advies {TABLES[t]}: praat met Finn", base_version=0)
            assert first["draft"]["version"] == 1
            conflict = await room.send(cowriter, "save_table_draft", kind="advies", slot=1, text="Betrek de school", base_version=0)
            assert conflict["ok"] is False and conflict["error"]["code"] == "draft_conflict"
            assert conflict["error"]["current"] == {"text": f"Advies {TABLES[t]}: praat met Finn", "version": 1}
            final = f"Advies {TABLES[t]}: praat met Finn en betrek de school"
            merged = await room.ok(cowriter, "save_table_draft", kind="advies", slot=1, text=final, base_version=1)
            assert merged["draft"]["version"] == 2
            listening = await room.send(inbrengers[t], "save_table_draft", kind="advies", slot=1, text="Mag ik?", base_version=2)
            assert listening["error"]["code"] == "not_your_role"
            assert await room.send(writer, "claim_spokesperson") == {"ok": True, "roles": {roddel_item: "tafelvoorzitter"}}
            not_me = await room.send(cowriter, "submit_table_drafts", kind="advies")
            assert not_me["error"]["code"] == "not_your_role"
            advice_id = services.table_item_id(roddel_item, "advies", t + 1, 1)
            assert await room.send(writer, "submit_table_drafts", kind="advies") == {"ok": True, "ids": [advice_id]}
            sent["advices"][advice_id] = (t + 1, final)
        await room.barrier(host, *room.all_phones)
        advices_on_host = room.added(host, "advies")
        assert sorted((c["table"], c["text"]) for c in advices_on_host) == sorted(sent["advices"].values())
        for t in range(3):  # each table's phones saw their own advice, and only theirs
            for k in range(3):
                assert [c["table"] for c in room.added(phones[t][k], "advies")] in ([], [t + 1])
            assert [c["table"] for c in room.added(phones[t][2], "advies")] == [t + 1]

        # -- a forced reconnect in the middle, then everything resent: nothing new anywhere.
        spokesperson = phones[1][1]
        counts_before = {c.name: (len(c.of("contribution_added")), len(c.of("contribution_updated")),
                                  len(c.of("table_draft_changed"))) for c in room.everyone}
        await spokesperson.client.disconnect()
        await spokesperson.connect(server.base_url, token=room.tokens[spokesperson.name])
        back = await spokesperson.join(session_id, "participant")
        assert back["me"]["table"] == 2 and back["me"]["roles"] == {roddel_item: "tafelvoorzitter"}
        assert back["step"]["phase"] == "advies"
        assert [d["version"] for d in back["drafts"] if d["agenda_item"] == roddel_item] == [2]
        resend = "roddel-t2p1n1"
        assert await room.send(spokesperson, "submit_contribution", client_id=resend, text=sent["roddels"][resend][1], kind="roddel", tags=["hypothese"]) == {"ok": True, "id": resend}
        assert await room.send(spokesperson, "save_table_draft", kind="advies", slot=1, text=sent["advices"][services.table_item_id(roddel_item, "advies", 2, 1)][1], base_version=1) == {
            "ok": True, "draft": {"agenda_item": roddel_item, "kind": "advies", "table": 2, "slot": 1,
                                  "text": sent["advices"][services.table_item_id(roddel_item, "advies", 2, 1)][1], "version": 2, "submitted": True},
        }
        assert await room.send(spokesperson, "submit_table_drafts", kind="advies") == {"ok": True, "ids": [services.table_item_id(roddel_item, "advies", 2, 1)]}
        await room.barrier(host, *room.all_phones)
        for client in room.everyone:
            after = (len(client.of("contribution_added")), len(client.of("contribution_updated")), len(client.of("table_draft_changed")))
            assert after == counts_before[client.name], client.name

        await room.advance("reactie")
        for t, inbrenger in enumerate(inbrengers):
            await room.submit(inbrenger, f"reactie-t{t + 1}", f"Wat me raakte aan tafel {t + 1}", kind="reactie")
        step = await room.advance("rode_draad")
        assert step["shows_phases"] == ["advies"]
        for phone in room.all_phones:
            await room.submit(phone, f"draad-{phone.name}", f"Rode draad van {phone.name}")

        # == vier buffers ============================================================================
        await room.advance("uitleg")
        step = await room.advance("vangnet")
        assert [b["id"] for b in step["buckets"]] == list(BUCKETS)
        for i, phone in enumerate(room.all_phones):
            cid = f"buffer-{phone.name}"
            fields = {"bucket": BUCKETS[i % 4], "tags": [("organisatie", "mens")[i % 2], ("nodig", "geven")[i // 2 % 2]]}
            await room.submit(phone, cid, f"Vangnet {i}", **fields)
            sent["buffers"][cid] = (BUCKETS[i % 4], tuple(fields["tags"]))
        moved = "buffer-t1p0"
        assert await room.as_host("move_contribution", id=moved, bucket="positieve_ervaringen") == {"ok": True, "id": moved, "bucket": "positieve_ervaringen"}
        sent["buffers"][moved] = ("positieve_ervaringen", sent["buffers"][moved][1])

        # == tafeladvies =============================================================================
        advies_item = items[3]
        await room.advance("advies")
        for t in range(3):
            writer = phones[t][2]
            await room.ok(writer, "save_table_draft", kind="advies", slot=1, text=f"Tafeladvies {TABLES[t]}", base_version=0)
            submitted = await room.ok(writer, "submit_table_drafts", kind="advies")  # the first to submit speaks
            assert submitted["ids"] == [services.table_item_id(advies_item, "advies", t + 1, 1)]
        await room.advance("rode_draad")

        # == casusdialoog ============================================================================
        casus_item = items[4]
        await room.advance("casus")
        await room.advance("vraag1")
        for phone in room.all_phones:
            await room.submit(phone, f"opvalt-{phone.name}", f"Wat {phone.name} opvalt")
        await room.advance("vraag2")
        for t in range(3):
            for slot in range(1, 6):
                writer = phones[t][(slot - 1) // 2]
                await room.ok(writer, "save_table_draft", kind="hypothese", slot=slot, text=f"Hypothese {slot} van {TABLES[t]}", base_version=0)
                sent["hypotheses"][(t + 1, slot)] = f"Hypothese {slot} van {TABLES[t]}"
            ack = await room.ok(phones[t][0], "submit_table_drafts", kind="hypothese")
            assert ack["ids"] == [services.table_item_id(casus_item, "hypothese", t + 1, s) for s in range(1, 6)]
        await room.advance("vraag3")
        for i, phone in enumerate(room.all_phones):
            await room.submit(phone, f"moglijk-{phone.name}", f"Mogelijkheid {i}", function=FUNCTIONS[i % 3])
        await room.advance("vraag4")
        await room.barrier()
        before_private = len(host.of("contribution_added"))
        for phone in room.all_phones:
            await room.submit(phone, f"opbrengst-{phone.name}", f"Wat het {phone.name} oplevert")
        await room.barrier()
        assert len(host.of("contribution_added")) == before_private  # private: the host hears nothing
        sharer = phones[0][0]
        assert await room.send(sharer, "set_contribution_shared", id=f"opbrengst-{sharer.name}", shared=True) == {
            "ok": True, "id": f"opbrengst-{sharer.name}", "shared": True,
        }
        await room.barrier()
        assert [c["id"] for c in room.added(host, "opbrengst")] == [f"opbrengst-{sharer.name}"]

        # == stemmen on the casusdialoog's contributions ============================================
        step = await room.advance("stemmen")
        targets = [t["id"] for t in step["vote"]["targets"]]
        assert step["vote"]["dots"] == 3
        assert len(targets) == 9 + 15 + 9 + 1 and len(set(targets)) == len(targets)
        for i, phone in enumerate(room.all_phones):
            for index in (0, 1 + i % 3, 4 + i % 2):
                assert (await room.send(phone, "cast_vote", target=targets[index], on=True))["ok"] is True
                sent["votes"][targets[index]] += 1
        first = room.all_phones[0]
        assert await room.send(first, "cast_vote", target=targets[0], on=True) == {"ok": True, "votes": sorted([targets[0], targets[1], targets[4]])}
        full = await room.send(first, "cast_vote", target=targets[7], on=True)
        assert full["ok"] is False and full["error"]["code"] == "limit_reached"
        assert (await room.send(first, "cast_vote", target=targets[1], on=False))["ok"] is True
        sent["votes"][targets[1]] -= 1
        assert (await room.send(first, "cast_vote", target=targets[7], on=True))["ok"] is True
        sent["votes"][targets[7]] += 1
        await room.barrier(host, *room.all_phones)
        expected_tallies = {target: n for target, n in sent["votes"].items() if n}
        assert host.of("votes_changed")[-1] == {"agenda_item": items[5], "tallies": expected_tallies}
        assert all(phone.of("votes_changed") == [] for phone in room.all_phones)
        sent["targets"] = targets
        sent["tallies"] = expected_tallies
        return sent
    finally:
        await asyncio.gather(*(client.close() for client in room.everyone))


def test_three_tables_run_the_werkvormen(data_dir: Path) -> None:
    session_id, join_code, items = prepare(data_dir)
    server = LiveServer(data_dir)
    try:
        server.start()
        sent = run(scenario(server, session_id, join_code, items), timeout=40)
        server.stop()
    finally:
        server.kill()
        print("---- server output ----\n" + "".join(server.output))

    repo = TinyDBRepository(data_dir)
    stored = repo.list_contributions(session_id)
    assert len({c.id for c in stored}) == len(stored)  # nothing twice
    by_kind: dict[tuple[str, str], list[Any]] = {}
    for c in stored:
        by_kind.setdefault((items.index(c.agenda_item_id), c.kind), []).append(c)
    assert {key: len(found) for key, found in by_kind.items()} == {
        (1, "hulpvraag"): 3, (1, "verhelderende_vraag"): 6, (1, "roddel"): 12, (1, "advies"): 3, (1, "reactie"): 3,
        (1, "rode_draad"): 9, (2, "vangnet"): 9, (3, "advies"): 3, (4, "opvalt"): 9, (4, "hypothese"): 15,
        (4, "mogelijkheid"): 9, (4, "opbrengst"): 9,
    }
    assert {c.id: (c.table, c.text, c.tags[0]) for c in by_kind[(1, "roddel")]} == sent["roddels"]
    assert sorted(c.id for c in by_kind[(1, "roddel")] if c.starred) == sorted(f"roddel-t{t + 1}p{1 + t % 2}n1" for t in range(3))
    assert {c.id: (c.table, c.text) for c in by_kind[(1, "advies")]} == sent["advices"]
    assert all(c.slot == 1 and not c.hidden for c in by_kind[(1, "advies")])
    assert {c.id: (c.bucket, c.tags) for c in by_kind[(2, "vangnet")]} == sent["buffers"]
    assert sorted((c.table, c.text) for c in by_kind[(3, "advies")]) == [(t + 1, f"Tafeladvies {TABLES[t]}") for t in range(3)]
    assert {(c.table, c.slot): c.text for c in by_kind[(4, "hypothese")]} == sent["hypotheses"]
    assert sorted(c.function for c in by_kind[(4, "mogelijkheid")]) == sorted(FUNCTIONS * 3)
    assert [c.id for c in by_kind[(4, "opbrengst")] if c.shared] == ["opbrengst-t1p0"]

    session = repo.get_session(session_id)
    assert [t.name for t in session.tables] == list(TABLES)
    assert (session.current_item, session.current_phase) == (5, 0)
    roles = sorted((items.index(r.agenda_item_id), r.role, r.table, r.claim_code) for r in session.roles)
    assert roles == sorted(
        [(1, "inbrenger", t, None) for t in (1, 2, 3)] + [(1, "tafelvoorzitter", t, None) for t in (1, 2, 3)]
        + [(3, "tafelvoorzitter", t, None) for t in (1, 2, 3)] + [(4, "tafelvoorzitter", t, None) for t in (1, 2, 3)]
    )
    assert services.tallies(repo, session_id, items[5]) == sent["tallies"]
    assert [t["id"] for t in services.vote_targets(repo, REGISTRY, session, session.agenda[5])] == sent["targets"]
    assert sum(1 for v in repo.list_votes(session_id) if v.active) == 27
    drafts = repo.list_drafts(session_id)
    assert len(drafts) == 3 + 3 + 15  # one per (item, table, slot), however often it was saved
    assert all(d.submitted_version == d.version for d in drafts)
