"""The beamer against the real eventlet server: it never receives what the room may not see.

A beamer joins with the facilitator's cookie and records every frame the server sends it while a room works:
an item with "eerst goedkeuren" (one answer approved, one waiting, one approved and hidden), a role code, the
verslag's opt-in address, an answer waiting for its reveal, the beamer reloading. Not one frame holds a canary,
the code, the address, a participant's token or id; the approved answer does arrive, with its table only (its
author is the one parent at a table of three).
"""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp
import pytest

from facilitator.testing.clients import Recorder, client_id, join_over_http, run, stored_contributions
from facilitator.testing.live_server import LiveServer

pytestmark = pytest.mark.e2e

APPROVED = "Meer tijd voor gesprekken met ouders"
PENDING = "WACHT-OP-GOEDKEURING-kanarie"
HIDDEN = "VERBORGEN-kanarie bel 06-12345678"
CONCEALED = "NOG-NIET-ONTHULD-kanarie"
EMAIL = "kanarie-adres@example.org"


def add_item(http: Any, server: LiveServer, session_id: str, workformat: str, **form: str) -> str:
    """Put a werkvorm on the agenda through the prepare page and save its settings; return its id."""
    response = http.post(f"{server.base_url}/host/s/{session_id}/agenda", data={"workformat": workformat},
                         allow_redirects=False)
    assert response.status_code == 303, response.text
    item = re.search(r"#item-([0-9a-f]+)$", response.headers["Location"]).group(1)
    if form:
        save_item(http, server, session_id, item, **form)
    return item


def save_item(http: Any, server: LiveServer, session_id: str, item: str, **form: str) -> None:
    response = http.post(f"{server.base_url}/host/s/{session_id}/agenda/{item}", data={"title": "", **form},
                         allow_redirects=False)
    assert response.status_code == 303, response.text


async def scenario(server: LiveServer) -> None:
    made = server.create_bijeenkomst("Beamer")
    sid = made["id"]
    http = server.host_session()
    host = Recorder("host")
    beamer = Recorder("beamer")
    reloaded = Recorder("beamer after a reload")
    phones = [Recorder(f"phone{n}") for n in range(9)]
    try:
        await host.connect(server.base_url, host_key=server.key)
        state = await host.join(sid, "host")
        first = state["agenda"][0]["id"]
        save_item(http, server, sid, first, approve_first="1")
        roddel = add_item(http, server, sid, "roddelmethode")
        add_item(http, server, sid, "open_vraag", **{"hidden.antwoorden": "1"})

        await beamer.connect(server.base_url, host_key=server.key)
        beamer_state = await beamer.join(sid, "beamer")
        assert beamer_state["role"] == "beamer" and beamer_state["step"]["approve_first"] is True

        # Table 1: one parent and two teachers; table 2: three in care; three without a table.
        seats = [(1, "ouder"), (1, "onderwijs"), (1, "onderwijs"), (2, "zorg"), (2, "zorg"), (2, "zorg"),
                 (None, None), (None, None), (None, None)]
        tokens = []
        async with aiohttp.ClientSession() as web:
            for phone, (table, perspective) in zip(phones, seats, strict=True):
                fields = {k: v for k, v in (("table", table), ("perspective", perspective)) if v is not None}
                token = await join_over_http(web, server.base_url, made["join_code"], **fields)
                tokens.append(token)
                await phone.connect(server.base_url, token=token)
                await phone.join(sid, "participant")

        async def send(phone: Recorder, text: str) -> str:
            ack = await phone.call("submit_contribution", {"session": sid, "client_id": (cid := client_id("b")),
                                                           "text": text})
            assert ack == {"ok": True, "id": cid}, ack
            return cid

        approved = await send(phones[0], APPROVED)
        await send(phones[1], PENDING)
        hidden = await send(phones[2], HIDDEN)
        # The authors hear that their answers wait for the facilitator.
        await phones[1].wait_for(lambda: any(p["contribution"]["status"] == "pending"
                                             for p in phones[1].of("contribution_added")))
        host_call = lambda event, **data: host.call(event, {"session": sid, **data})  # noqa: E731
        assert (await host_call("set_contribution_hidden", id=hidden, hidden=True))["ok"] is True
        assert (await host_call("approve_contribution", id=hidden))["ok"] is True  # approved, but hidden
        assert (await host_call("approve_contribution", id=approved)) == {"ok": True, "id": approved, "approved": True}
        await beamer.wait_for(lambda: bool(beamer.of("beamer_contribution")))
        [shown] = [p["contribution"] for p in beamer.of("beamer_contribution")]
        assert (shown["text"], shown["table"], shown["perspective"]) == (APPROVED, 1, None)
        await phones[0].wait_for(lambda: any(p["contribution"]["status"] == "sent"
                                             for p in phones[0].of("contribution_updated")))

        # A role code for the roddel, the verslag's opt-in address.
        code = (await host_call("create_role_code", role="inbrenger", item=roddel))["code"]
        assert (await host_call("set_closing", closing=True))["ok"] is True
        ack = await phones[3].call("request_verslag", {"session": sid, "email": EMAIL, "consent": True})
        assert ack["ok"] is True

        # An answer that waits for its reveal: the beamer gets a count.
        assert (await host_call("go_to_phase", item=2, phase=0))["ok"] is True
        await send(phones[4], CONCEALED)
        await beamer.wait_for(lambda: beamer.of("session_state")[-1]["concealed"] == 1)

        # The beamer reloads: the whole state again, and again nothing it may not show.
        await beamer.close()
        await reloaded.connect(server.base_url, host_key=server.key)
        again = await reloaded.join(sid, "beamer")
        assert again["concealed"] == 1 and again["contributions"] == []
        assert (await host_call("go_to_phase", item=0, phase=0))["ok"] is True
        await reloaded.wait_for(lambda: len(reloaded.of("session_state")) >= 2)
        assert [c["text"] for c in reloaded.of("session_state")[-1]["contributions"]] == [APPROVED]
        await reloaded.join(sid, "beamer")  # a round trip: everything sent to it before has arrived

        frames = json.dumps(beamer.events + reloaded.events, ensure_ascii=False)
        participant_ids = {c["participant_id"] for c in stored_contributions(server.data_dir, sid)}
        forbidden = [PENDING, HIDDEN, "06-12345678", CONCEALED, EMAIL, code, server.key, *tokens, *participant_ids]
        assert [word for word in forbidden if word in frames] == []
        assert APPROVED in frames
        # Nothing of the host's own events: no counts per table, no roles, no addresses.
        names = {name for name, _ in beamer.events + reloaded.events}
        assert names <= {"session_state", "beamer_contribution", "beamer_contribution_removed", "timer_changed"}, names
    finally:
        for recorder in [host, beamer, reloaded, *phones]:
            await recorder.close()


def test_the_beamer_never_receives_what_the_room_may_not_see(live_server: LiveServer) -> None:
    run(scenario(live_server))
