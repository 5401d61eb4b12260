"""Phones give every answer kind of a composed werkvorm on the real eventlet server, and get them back on reconnect.

Python-socketio clients for the host and three phones at one table. In a composed werkvorm (grid, scale with its
sentence, ranking, afspraak, scale without a sentence) one phone answers each kind while another is refused what
the server must refuse (no column, no point on the scale, an empty required sentence, a wrong ranking, an afspraak
without who); in the same werkvorm per table only the woordvoerder answers. The answering phone then reconnects:
its session_state carries every answer with its row, column, point, order, who and when, and the kinds' answer
fields; the stored bijeenkomst says the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest

from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository
from facilitator.testing.clients import Recorder, join_over_http, run
from facilitator.testing.live_server import LiveServer
from tests.support.composed import EVERY_ANSWER, PER_TABLE

pytestmark = pytest.mark.e2e

REGISTRY = discover()

#: What phone A gives, per (item, phase): (client id, text, fields).
ANSWERS: list[tuple[int, int, str, str, dict[str, Any]]] = [
    (1, 0, "raster-antwoord-1", "Ik vraag door", {"kind": "a1", "bucket": "r1", "tags": ["k2"]}),
    (1, 1, "schaal-antwoord-1", "Iedereen kwam aan het woord", {"kind": "a2", "tags": ["s4"]}),
    (1, 2, "volgorde-antwoord-1", "", {"kind": "a3", "ranking": ["o3", "o1", "o2"]}),
    (1, 3, "afspraak-antwoord-1", "Verslag rondsturen",
     {"kind": "a4", "tags": ["beleid"], "owner": "Sanne", "due": "voor de zomer"}),
    (1, 4, "duim-antwoord-1", "", {"kind": "a5", "tags": ["s5"]}),
    (2, 3, "tafel-afspraak-1", "Plan maken", {"kind": "a4", "tags": ["uitvoering"], "owner": "Tafel 1"}),
]

#: What phone B tries, per (item, phase), and the refusal it gets: (code, field).
REFUSED: list[tuple[int, int, str, dict[str, Any], tuple[str, str | None]]] = [
    (1, 0, "Zonder kolom", {"kind": "a1", "bucket": "r1"}, ("invalid_input", "tags.kolom")),
    (1, 1, "Zonder punt", {"kind": "a2"}, ("invalid_input", "tags.schaal")),
    (1, 1, " ", {"kind": "a2", "tags": ["s3"]}, ("text_empty", None)),
    (1, 2, "", {"kind": "a3", "ranking": ["o1", "o1", "o2"]}, ("invalid_input", "ranking")),
    (1, 3, "Zonder wie", {"kind": "a4", "tags": ["bestuur"]}, ("text_empty", "owner")),
    (2, 3, "Niet de woordvoerder", {"kind": "a4", "tags": ["bestuur"], "owner": "Ik"}, ("not_your_role", None)),
]


def prepare(data_dir: Path) -> tuple[str, str]:
    repo = TinyDBRepository(data_dir)
    session = services.create_session(repo, REGISTRY, title="Samengesteld", date="2026-12-07")
    services.add_agenda_item(repo, REGISTRY, session.id, "samengesteld", {"composition": EVERY_ANSWER})
    services.add_agenda_item(repo, REGISTRY, session.id, "samengesteld", {"composition": PER_TABLE})
    return session.id, session.join_code


async def scenario(server: LiveServer, session_id: str, join_code: str) -> dict[str, Any]:
    host, a, b = Recorder("host"), Recorder("a"), Recorder("b")
    again = Recorder("a-again")
    try:
        await host.connect(server.base_url, host_key=server.key)
        await host.join(session_id, "host")
        async with aiohttp.ClientSession() as http:
            token_a = await join_over_http(http, server.base_url, join_code, table=1)
            token_b = await join_over_http(http, server.base_url, join_code, table=1)
        await a.connect(server.base_url, token=token_a)
        await a.join(session_id, "participant")
        await b.connect(server.base_url, token=token_b)
        await b.join(session_id, "participant")

        refusals: dict[tuple[int, int, str], Any] = {}
        acks: dict[str, Any] = {}
        steps = sorted({(i, p) for i, p, *_ in ANSWERS} | {(i, p) for i, p, *_ in REFUSED})
        for item, phase in steps:
            ack = await host.call("go_to_phase", {"session": session_id, "item": item, "phase": phase})
            assert ack["ok"] is True, ack
            for n, (_i, _p, text, fields, _want) in enumerate(r for r in REFUSED if r[:2] == (item, phase)):
                answer = await b.call("submit_contribution", {
                    "session": session_id, "client_id": f"geweigerd-{item}-{phase}-{n}", "text": text, **fields,
                })
                refusals[item, phase, text] = answer
            if (item, phase) == (2, 3):
                claimed = await a.call("claim_spokesperson", {"session": session_id})
                assert claimed["ok"] is True, claimed
            for _i, _p, cid, text, fields in (r for r in ANSWERS if r[:2] == (item, phase)):
                acks[cid] = await a.call("submit_contribution", {
                    "session": session_id, "client_id": cid, "text": text, **fields,
                })

        # Phone A goes away and comes back: everything it gave comes back with it.
        await a.client.disconnect()
        await again.connect(server.base_url, token=token_a)
        back = await again.join(session_id, "participant")
        return {"refusals": refusals, "acks": acks, "back": back}
    finally:
        for recorder in (host, a, b, again):
            await recorder.close()


def test_every_composed_answer_kind_is_given_refused_and_given_back(data_dir: Path) -> None:
    session_id, join_code = prepare(data_dir)
    server = LiveServer(data_dir)
    try:
        server.start()
        result = run(scenario(server, session_id, join_code), timeout=60)
        server.stop()
    finally:
        server.kill()
        print("---- server output ----\n" + "".join(server.output))

    assert result["acks"] == {cid: {"ok": True, "id": cid} for _i, _p, cid, _t, _f in ANSWERS}
    for item, phase, text, _fields, (code, field) in REFUSED:
        answer = result["refusals"][item, phase, text]
        assert answer["ok"] is False and answer["error"]["code"] == code, (text, answer)
        assert answer["error"].get("field") == field, (text, answer)
        assert answer["error"]["message"], answer  # a Dutch sentence for the phone to show

    back = result["back"]
    mine = {c["id"]: c for c in back["contributions"]}
    assert set(mine) == {cid for _i, _p, cid, _t, _f in ANSWERS}
    for _item, _phase, cid, text, fields in ANSWERS:
        got = mine[cid]
        assert (got["text"], got["kind"], got["status"]) == (text, fields["kind"], "sent")
        assert got["bucket"] == fields.get("bucket")
        assert got["tags"] == fields.get("tags", [])
        assert got["ranking"] == fields.get("ranking", [])
        assert (got["owner"], got["due"]) == (fields.get("owner", ""), fields.get("due", ""))
    assert mine["tafel-afspraak-1"]["table"] == 1
    # The phone is back at the per-table afspraak as its woordvoerder, with what it needs to offer it.
    step = back["step"]
    assert (step["phase"], step["display"], step["has_spokesperson"]) == ("f4", "actions", True)
    assert [(k["id"], k["answer"], k["text_optional"], k["roles"]) for k in step["kinds"]] == [
        ("a4", "action", False, ["tafelvoorzitter"])]
    assert set(back["me"]["roles"].values()) == {"tafelvoorzitter"}

    stored = {c.id: c for c in TinyDBRepository(data_dir).list_contributions(session_id)}
    assert set(stored) == set(mine)
    assert stored["volgorde-antwoord-1"].ranking == ("o3", "o1", "o2")
    assert (stored["afspraak-antwoord-1"].owner, stored["afspraak-antwoord-1"].due) == ("Sanne", "voor de zomer")
    assert stored["duim-antwoord-1"].text == ""
