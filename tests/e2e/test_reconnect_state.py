"""A phone that was away while the host did twenty things comes back to exactly the room as it is now.

The real eventlet server; python-socketio clients for the host, the phone that goes away and a phone
that stays. While the phone is gone the host steps through phases and agenda items, reveals, runs the
timer, hides and shows the phone's own answers, names tables, gives and takes roles and opens the
verslag question. On reconnecting (within 2 s) the phone's session_state must equal, field by field,
what a second tab with the same identity gets at that moment, and what the stored bijeenkomst says.
"""

from __future__ import annotations

import asyncio
import time
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
#: The requirement: back in the current state within 2 s of reconnecting.
BACK_WITHIN_S = 2.0


def prepare(data_dir: Path) -> tuple[str, str, list[str]]:
    """An agenda with an open question, a hidden-until-reveal question, roddelmethode, vier buffers, stemmen."""
    repo = TinyDBRepository(data_dir)
    session = services.create_session(repo, REGISTRY, title="Even weg", date="2026-11-25")
    services.add_agenda_item(repo, REGISTRY, session.id, "open_vraag",
                             {"prompt": "Wat zie je pas als iedereen klaar is?", "hidden": {"antwoorden": True}})
    services.add_agenda_item(repo, REGISTRY, session.id, "roddelmethode", {"case_text": "Sam is 9 jaar."})
    services.add_agenda_item(repo, REGISTRY, session.id, "vier_buffers")
    services.add_agenda_item(repo, REGISTRY, session.id, "stemmen", {"dots": 2, "options": ["Rust", "Ruimte", "Regie"]})
    stored = repo.get_session(session.id)
    return session.id, session.join_code, [item.id for item in stored.agenda]


async def scenario(server: LiveServer, session_id: str, join_code: str, items: list[str]) -> dict[str, Any]:
    host, away, stays = Recorder("host"), Recorder("away"), Recorder("stays")
    second_tab = Recorder("second-tab")
    try:
        await host.connect(server.base_url, host_key=server.key)
        await host.join(session_id, "host")
        async with aiohttp.ClientSession() as http:
            away_token = await join_over_http(http, server.base_url, join_code, table=1)
            stays_token = await join_over_http(http, server.base_url, join_code, table=1)
        await away.connect(server.base_url, token=away_token)
        before = await away.join(session_id, "participant")
        await stays.connect(server.base_url, token=stays_token)
        await stays.join(session_id, "participant")
        number = before["me"]["number"]

        async def submit(phone: Recorder, cid: str, text: str, **fields: Any) -> None:
            ack = await phone.call("submit_contribution", {"session": session_id, "client_id": cid, "text": text, **fields})
            assert ack == {"ok": True, "id": cid}, ack

        await submit(away, "weg-antwoord-1", "Eerste antwoord van wie even weggaat")
        await submit(away, "weg-antwoord-2", "Tweede antwoord van wie even weggaat")
        await submit(stays, "blijft-antwoord-1", "Antwoord van wie blijft")

        await away.client.disconnect()
        await host.wait_for(lambda: host.of("participants_changed")[-1]["connected"] == 1)

        # -- twenty host actions while the phone is away -------------------------------------------
        actions: list[tuple[str, dict[str, Any]]] = [
            ("set_tables", {"tables": ["Rood", "Groen"]}),
            ("control_timer", {"action": "start"}),
            ("control_timer", {"action": "add", "seconds": 120}),
            ("control_timer", {"action": "pause"}),
            ("set_contribution_hidden", {"id": "weg-antwoord-1", "hidden": True}),
            ("set_contribution_hidden", {"id": "weg-antwoord-2", "hidden": True}),
            ("set_contribution_hidden", {"id": "weg-antwoord-2", "hidden": False}),
            ("go_to_phase", {"item": 1, "phase": 0}),
            ("reveal_phase", {}),
            ("go_to_phase", {"item": 2, "phase": 0}),
            ("assign_role", {"role": "inbrenger", "number": number, "item": items[2]}),
            ("create_role_code", {"role": "tafelvoorzitter", "table": 1, "item": items[2]}),
            ("clear_role", {"role": "tafelvoorzitter", "table": 1, "item": items[2]}),
            ("advance_phase", {}),
            ("advance_phase", {}),
            ("previous_phase", {}),
            ("go_to_phase", {"item": 3, "phase": 1}),
            ("set_tables", {"tables": ["Rood", "Groen", "Blauw"]}),
            ("control_timer", {"action": "reset"}),
            ("set_closing", {"closing": True}),
        ]
        assert len(actions) == 20
        for event, payload in actions:
            ack = await host.call(event, {"session": session_id, **payload})
            assert ack["ok"] is True, (event, ack)
        heard_before = len(away.events)

        # -- the phone comes back ----------------------------------------------------------------
        started = time.monotonic()
        await away.connect(server.base_url, token=away_token)
        back = await away.join(session_id, "participant")
        back_s = time.monotonic() - started
        assert back_s <= BACK_WITHIN_S, f"back in {back_s:.2f} s"
        # One snapshot, no replay of the deltas it missed.
        assert [name for name, _ in away.events[heard_before:]] == ["session_state"]

        await second_tab.connect(server.base_url, token=away_token)
        fresh = await second_tab.join(session_id, "participant")
        assert back == fresh  # every field, exactly

        # What the twenty actions left, as the phone must now show it.
        assert back["step"]["agenda_item"] == items[3]
        assert (back["step"]["workformat"], back["step"]["phase"]) == ("vier_buffers", "vangnet")
        assert back["tables"] == [{"number": 1, "name": "Rood"}, {"number": 2, "name": "Groen"}, {"number": 3, "name": "Blauw"}]
        me = {name: back["me"][name] for name in ("number", "table", "perspective", "roles")}
        assert me == {"number": number, "table": 1, "perspective": None, "roles": {items[2]: "inbrenger"}}
        assert back["timer"]["running"] is False and back["timer"]["remaining"] == back["timer"]["duration"]
        assert back["closing"] is True
        assert [(c["id"], c["hidden"], c["status"]) for c in back["contributions"]] == [
            ("weg-antwoord-1", True, "hidden"), ("weg-antwoord-2", False, "sent"),
        ]
        assert back != before

        # The phone that stayed saw the same room through its deltas.
        await stays.join(session_id, "participant")
        stays_now = stays.of("session_state")[-1]
        assert stays.of("phase_changed")[-1]["step"] == stays_now["step"] == {**back["step"]}
        assert stays.of("tables_changed")[-1]["tables"] == stays_now["tables"] == back["tables"]
        assert stays.of("closing_changed")[-1] == {"closing": True}
        assert stays.of("timer_changed")[-1]["timer"] == stays_now["timer"] == back["timer"]
        return {"back": back, "back_s": back_s, "number": number}
    finally:
        await asyncio.gather(*(r.close() for r in (host, away, stays, second_tab)))


def test_phone_that_missed_twenty_host_actions_gets_the_current_state(data_dir: Path) -> None:
    session_id, join_code, items = prepare(data_dir)
    server = LiveServer(data_dir)
    try:
        server.start()
        result = run(scenario(server, session_id, join_code, items), timeout=60)
        server.stop()
    finally:
        server.kill()
        print("---- server output ----\n" + "".join(server.output))
    print(f"back in {result['back_s'] * 1000:.0f} ms")

    # The store agrees with what the phone was sent.
    repo = TinyDBRepository(data_dir)
    session = repo.get_session(session_id)
    back = result["back"]
    assert (session.current_item, session.current_phase) == (3, 1)
    assert [(t.number, t.name) for t in session.tables] == [(t["number"], t["name"]) for t in back["tables"]]
    assert session.closing is True
    assert f"{items[1]}:antwoorden" in session.revealed
    assert [(r.agenda_item_id, r.role, r.table) for r in session.roles] == [(items[2], "inbrenger", None)]
    assert session.timer is not None and not session.timer.running
    assert session.timer.duration == back["timer"]["duration"]
    stored = {c.id: c.hidden for c in repo.list_contributions(session_id)}
    assert stored == {"weg-antwoord-1": True, "weg-antwoord-2": False, "blijft-antwoord-1": False}
