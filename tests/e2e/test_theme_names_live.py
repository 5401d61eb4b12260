"""Suggested theme names are proposals: against the real eventlet server, no phone payload and no vote target
holds a name the clusterer made until the facilitator accepted or edited it (issue 15, point 2).

Twelve phones send cards on three subjects; the host asks for a suggestion. The host board gets the proposed
names (origin "suggestion", not accepted); phones that place their cards and phones that vote see "Thema 1",
"Thema 2", "Thema 3". Every event any phone received is searched for the proposed names. Then the host
accepts one name and edits another: phones hear exactly those two, the third stays "Thema 3".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository
from facilitator.testing.clients import Recorder, join_over_http, run
from facilitator.testing.live_server import LiveServer

from .test_board_live import TEXTS

pytestmark = pytest.mark.e2e

REGISTRY = discover()


def prepare(data_dir: Path) -> tuple[str, str, list[str]]:
    repo = TinyDBRepository(data_dir)
    session = services.create_session(repo, REGISTRY, title="Rode draden", date="2026-11-25")
    for workformat_id in ("rode_draden", "stemmen"):
        services.add_agenda_item(repo, REGISTRY, session.id, workformat_id, {})
    return session.id, session.join_code, [i.id for i in repo.get_session(session.id).agenda]


def heard(phones: list[Recorder]) -> set[str]:
    """Return every theme name and vote target text any phone received, wherever in a payload it sat."""
    names: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for theme in value.get("themes") or ():
                if isinstance(theme, dict) and "name" in theme:
                    names.add(theme["name"])
            for target in value.get("targets") or ():
                if isinstance(target, dict) and str(target.get("id", "")).startswith("theme:"):
                    names.add(target["text"])
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list | tuple):
            for inner in value:
                walk(inner)

    walk([json.loads(json.dumps(phone.events)) for phone in phones])
    return names


async def scenario(server: LiveServer, session_id: str, join_code: str, items: list[str]) -> dict[str, Any]:
    host = Recorder("host")
    phones = [Recorder(f"p{n}") for n in range(len(TEXTS))]
    try:
        await host.connect(server.base_url, host_key=server.key)
        await host.join(session_id, "host")
        async with aiohttp.ClientSession() as http:
            tokens = [await join_over_http(http, server.base_url, join_code, table=1 + n % 3) for n in range(len(phones))]
        for phone, token in zip(phones, tokens, strict=True):
            await phone.connect(server.base_url, token=token)
            await phone.join(session_id, "participant")
        for n, (phone, text) in enumerate(zip(phones, TEXTS, strict=True)):
            ack = await phone.call("submit_contribution", {"session": session_id, "client_id": f"kaart-{n:04d}", "text": text})
            assert ack["ok"] is True
        # Phones are already in the placing phase when the suggestion lands: they hear the board change live.
        assert (await host.call("go_to_phase", {"session": session_id, "item": 1, "phase": 0}))["ok"] is True
        await phones[4].wait_for(lambda: any("place" in p["step"] for p in phones[4].of("phase_changed")))

        ack = await host.call("suggest_themes", {"session": session_id, "item": items[0], "mode": "suggest", "count": 3})
        assert ack["ok"] is True and ack["themes"] == 3
        await host.wait_for(lambda: bool(host.of("board_changed")) and host.of("board_changed")[-1]["board"]["themes"])
        board = host.of("board_changed")[-1]["board"]
        proposals = [t["name"] for t in board["themes"]]
        assert all(t["origin"] == "suggestion" and t["accepted"] is False for t in board["themes"])
        placeholders = [{"id": t["id"], "name": f"Thema {n}"} for n, t in enumerate(board["themes"], start=1)]
        await phones[4].wait_for(lambda: any(
            e == {"board": {"agenda_item": items[0], "themes": placeholders}} for e in phones[4].of("board_changed")))

        # A phone that rejoins now (a fresh session_state) gets the placeholders too.
        state = await phones[5].join(session_id, "participant")
        assert state["step"]["place"]["themes"] == placeholders

        # The vote on these themes: numbered, no proposed name.
        assert (await host.call("go_to_phase", {"session": session_id, "item": 2, "phase": 0}))["ok"] is True
        await phones[1].wait_for(lambda: any("vote" in p["step"] for p in phones[1].of("phase_changed")))
        targets = phones[1].of("phase_changed")[-1]["step"]["vote"]["targets"]
        assert targets == [{"id": f"theme:{t['id']}", "text": t["name"]} for t in placeholders]
        everything = heard(phones)
        assert everything == {t["name"] for t in placeholders}
        leaked = [name for name in proposals if name in everything]
        assert leaked == [], f"proposed names reached a phone before acceptance: {leaked}"

        # Accepted as it is, and edited: phones hear exactly those names now; the third is still a number.
        first, second, third = board["themes"]
        accepted = await host.call("edit_board", {"session": session_id, "item": items[0], "action": "accept_theme",
                                                  "theme": first["id"]})
        assert accepted["ok"] is True, accepted
        renamed = await host.call("edit_board", {"session": session_id, "item": items[0], "action": "rename_theme",
                                                 "theme": second["id"], "name": "Wachtlijsten"})
        assert renamed["ok"] is True, renamed
        expected = [{"id": f"theme:{first['id']}", "text": first["name"]},
                    {"id": f"theme:{second['id']}", "text": "Wachtlijsten"},
                    {"id": f"theme:{third['id']}", "text": "Thema 3"}]
        await phones[1].wait_for(lambda: phones[1].of("phase_changed")[-1]["step"]["vote"]["targets"] == expected)
        assert heard(phones) == {"Thema 1", "Thema 2", "Thema 3", first["name"], "Wachtlijsten"}
        return {"proposals": proposals}
    finally:
        for client in (host, *phones):
            await client.close()


def test_a_proposed_name_reaches_no_phone_and_no_vote_before_the_facilitator_accepts_it(data_dir: Path) -> None:
    session_id, join_code, items = prepare(data_dir)
    server = LiveServer(data_dir, warm_up=True)
    try:
        server.start()
        outcome = run(scenario(server, session_id, join_code, items), timeout=120)
    finally:
        server.kill()
    assert len(outcome["proposals"]) == 3
