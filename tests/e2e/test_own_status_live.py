"""On the real eventlet server: the author's phone knows at once that the facilitator hid its answer, and again
after reconnecting; no other phone ever receives the hidden text (issue 14, point 6).

python-socketio clients for the host, the author (two tabs: one stays, one reconnects) and a phone at the same
table; every event each of them received is checked, not only the last.
"""

from __future__ import annotations

import asyncio
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

pytestmark = pytest.mark.e2e

TEXT = "Mijn buurman Piet Jansen van nummer 12 weet er alles van"


def contributions(phone: Recorder) -> list[dict[str, Any]]:
    """Every contribution payload a phone received, in order."""
    return [data["contribution"] for name, data in phone.events if name.startswith("contribution_")]


async def scenario(server: LiveServer, session_id: str, join_code: str) -> None:
    host, author, tablemate = Recorder("host"), Recorder("author"), Recorder("tablemate")
    again = Recorder("author-reconnected")
    try:
        await host.connect(server.base_url, host_key=server.key)
        await host.join(session_id, "host")
        async with aiohttp.ClientSession() as http:
            author_token = await join_over_http(http, server.base_url, join_code, table=1)
            tablemate_token = await join_over_http(http, server.base_url, join_code, table=1)
        await author.connect(server.base_url, token=author_token)
        await author.join(session_id, "participant")
        await tablemate.connect(server.base_url, token=tablemate_token)
        await tablemate.join(session_id, "participant")

        ack = await author.call("submit_contribution", {"session": session_id, "client_id": "eigen-antwoord-1", "text": TEXT})
        assert ack == {"ok": True, "id": "eigen-antwoord-1"}
        await author.wait_for(lambda: len(contributions(author)) == 1)
        assert contributions(author)[0]["status"] == "sent"

        async def host_sets(hidden: bool) -> None:
            ack = await host.call("set_contribution_hidden", {"session": session_id, "id": "eigen-antwoord-1", "hidden": hidden})
            assert ack == {"ok": True, "id": "eigen-antwoord-1", "hidden": hidden}

        await host_sets(True)
        await author.wait_for(lambda: len(contributions(author)) == 2)
        hidden = contributions(author)[1]
        assert (hidden["text"], hidden["status"], hidden["hidden"]) == (TEXT, "hidden", True)

        # The author comes back (a reload): its state has the item, hidden, with its text.
        await author.client.disconnect()
        await again.connect(server.base_url, token=author_token)
        state = await again.join(session_id, "participant")
        assert [(c["id"], c["status"], c["text"]) for c in state["contributions"]] == [("eigen-antwoord-1", "hidden", TEXT)]

        await host_sets(False)
        await again.wait_for(lambda: len(contributions(again)) == 1)
        assert (contributions(again)[0]["status"], contributions(again)[0]["hidden"]) == ("sent", False)

        # A broadcast to every phone after all this: once the tablemate has it, it would have had the rest too.
        assert (await host.call("control_timer", {"session": session_id, "action": "start"}))["ok"]
        await tablemate.wait_for(lambda: bool(tablemate.of("timer_changed")))
        assert TEXT not in json.dumps(tablemate.events)
        tablemate_state = await tablemate.join(session_id, "participant")
        assert TEXT not in json.dumps(tablemate_state)
    finally:
        await asyncio.gather(*(r.close() for r in (host, author, tablemate, again)))


def test_the_author_hears_its_answer_was_hidden_and_shown_again(data_dir: Path) -> None:
    repo = TinyDBRepository(data_dir)
    session = services.create_session(repo, discover(), title="Wat er met je antwoord gebeurde")
    server = LiveServer(data_dir)
    try:
        server.start()
        run(scenario(server, session.id, session.join_code), timeout=60)
        server.stop()
    finally:
        server.kill()
        print("---- server output ----\n" + "".join(server.output))
