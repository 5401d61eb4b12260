"""The regie and the phone remote against the real eventlet server.

A phone remote paired through the regie's QR address (/r/<id>/<token>, a cookie, the remote's page) steers the
room: it advances a phase and starts the timer, and the beamer and the phones follow. In the concealed phase the
regie pre-reads a phone's answer while every frame the beamer and the phones receive is recorded and holds none of
it until the remote reveals it. After "Intrekken" the old remote is told so and can steer nothing any more.
"""

from __future__ import annotations

import json

import aiohttp
import pytest

from facilitator.testing.clients import Recorder, client_id, join_over_http, run
from facilitator.testing.live_server import LiveServer

from .test_beamer_live import add_item

pytestmark = pytest.mark.e2e

CONCEALED = "VOORLEZEN-OP-DE-REGIE-kanarie"
REFUSED = {"ok": False, "error": {"code": "not_authorised", "message": "Dit mag alleen de gespreksleider."}}


async def scenario(server: LiveServer) -> None:
    made = server.create_bijeenkomst("Regie")
    sid = made["id"]
    http = server.host_session()
    add_item(http, server, sid, "open_vraag", **{"hidden.antwoorden": "1"})
    made_token = http.post(f"{server.base_url}/host/s/{sid}/remote-token", json={})
    assert made_token.status_code == 201, made_token.text
    token = made_token.json()["url"].rsplit("/", 1)[1]

    # The remote's phone opens the QR address: a cookie, then its page; without it the page is refused.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as web:  # unsafe: an IP address
        async with web.get(f"{server.base_url}/host/s/{sid}/remote") as page:
            assert page.status == 403
        async with web.get(f"{server.base_url}/r/{sid}/{token}") as page:
            assert page.status == 200 and str(page.url).endswith(f"/host/s/{sid}/remote")
            assert token not in await page.text()

    host, beamer, remote = Recorder("host"), Recorder("beamer"), Recorder("remote")
    phones = [Recorder(f"phone{n}") for n in range(3)]
    try:
        await host.connect(server.base_url, host_key=server.key)
        await host.join(sid, "host")
        await beamer.connect(server.base_url, host_key=server.key)
        await beamer.join(sid, "beamer")
        async with aiohttp.ClientSession() as web:
            for phone in phones:
                await phone.connect(server.base_url, token=await join_over_http(web, server.base_url,
                                                                                made["join_code"]))
                await phone.join(sid, "participant")
        await remote.connect(server.base_url, token=token)
        state = await remote.join(sid, "remote")
        assert state["step"]["item_index"] == 0 and state["next"]["item_index"] == 1

        # The remote steers: the next phase (the concealed open question), then the timer.
        ack = await remote.call("advance_phase", {"session": sid})
        assert ack["ok"] is True and ack["item"] == 1
        for phone in phones:
            await phone.wait_for(lambda p=phone: any(c["step"]["item_index"] == 1 for c in p.of("phase_changed")))
        await beamer.wait_for(lambda: any((s.get("step") or {}).get("hidden_until_reveal")
                                          for s in beamer.of("session_state")))
        assert (await remote.call("control_timer", {"session": sid, "action": "start"}))["ok"] is True
        for recorder in (*phones, beamer):
            await recorder.wait_for(lambda r=recorder: any((t["timer"] or {}).get("running")
                                                           for t in r.of("timer_changed")))
        await remote.wait_for(lambda: (remote.of("session_state")[-1]["timer"] or {}).get("running") is True)

        # A phone answers: the regie pre-reads it, the beamer and the other phones do not hear it.
        ack = await phones[0].call("submit_contribution", {"session": sid, "client_id": client_id("regie"),
                                                           "text": CONCEALED})
        assert ack["ok"] is True
        await host.wait_for(lambda: any(p["contribution"]["text"] == CONCEALED and p["contribution"]["concealed"]
                                        for p in host.of("contribution_added")))
        await remote.wait_for(lambda: remote.of("session_state")[-1]["concealed"] == 1)
        await beamer.wait_for(lambda: any(s.get("concealed") == 1 for s in beamer.of("session_state")))
        assert CONCEALED not in json.dumps(beamer.events + phones[1].events + phones[2].events, ensure_ascii=False)
        assert CONCEALED not in json.dumps(remote.events, ensure_ascii=False)

        # The remote reveals: now the beamer shows it.
        assert (await remote.call("reveal_phase", {"session": sid}))["ok"] is True
        await beamer.wait_for(lambda: CONCEALED in json.dumps(beamer.events, ensure_ascii=False))

        # "Intrekken": the old remote hears it and steers nothing any more; the room stays where it was.
        revoked = http.post(f"{server.base_url}/host/s/{sid}/remote-token", json={})
        assert revoked.status_code == 201
        await remote.wait_for(lambda: bool(remote.of("remote_revoked")))
        phase_changes = len(phones[0].of("phase_changed"))
        assert await remote.call("previous_phase", {"session": sid}) == REFUSED
        assert await remote.call("join_session", {"session": sid, "role": "remote", "token": token}) == REFUSED
        assert await phones[0].call("previous_phase", {"session": sid}) == REFUSED
        await host.call("join_session", {"session": sid, "role": "host"})  # a round trip: nothing came meanwhile
        assert len(phones[0].of("phase_changed")) == phase_changes
        assert host.of("session_state")[-1]["step"]["item_index"] == 1
        frames = json.dumps(beamer.events + [e for p in phones for e in p.events] + host.events, ensure_ascii=False)
        assert token not in frames
    finally:
        for recorder in (host, beamer, remote, *phones):
            await recorder.close()


def test_a_phone_remote_steers_the_room_and_the_regie_pre_reads(live_server: LiveServer) -> None:
    run(scenario(live_server))
