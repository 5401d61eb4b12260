"""The bijeenkomst's own perspectives on the real eventlet server: set in Voorbereiden, joined with over HTTP and
Socket.IO, refused when not offered, kept on disk across a restart, and spoken by the verslag and the CSV."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest
import requests

from facilitator.storage.tinydb_store import TinyDBRepository
from facilitator.testing.clients import Recorder, client_id, join_over_http, run
from facilitator.testing.live_server import LiveServer

pytestmark = pytest.mark.e2e


async def _phone_joins_as_beleid(server: LiveServer, sid: str, join_code: str) -> dict:
    phone = Recorder("beleid")
    try:
        async with aiohttp.ClientSession() as http:
            token = await join_over_http(http, server.base_url, join_code, perspective="beleid")
        await phone.connect(server.base_url, token=token)
        state = await phone.join(sid, "participant")
        ack = await phone.call("submit_contribution", {"session": sid, "client_id": (cid := client_id("p")),
                                                       "text": "Meer tijd voor de uitvoering"})
        assert ack == {"ok": True, "id": cid}, ack
        return dict(state["me"])
    finally:
        await phone.close()


def test_a_phone_joins_as_beleid_and_a_perspective_not_offered_is_refused(live_server: LiveServer,
                                                                          data_dir: Path) -> None:
    made = live_server.create_bijeenkomst("Gemeente in gesprek")
    sid, join_code = made["id"], made["join_code"]
    http = live_server.host_session()
    saved = http.post(f"{live_server.base_url}/host/s/{sid}/perspectieven", data={"preset": "gemeente"},
                      allow_redirects=False)
    assert saved.status_code == 303, saved.text

    page = requests.get(f"{live_server.base_url}/j/{join_code}").text
    assert 'value="beleid"' in page and 'value="ouder"' not in page

    refused = requests.post(f"{live_server.base_url}/j/{join_code}", json={"perspective": "ouder"})
    assert refused.status_code == 400
    assert refused.json()["error"]["message"].startswith("Deze bijeenkomst kent dat perspectief niet.")
    assert "Set-Cookie" not in refused.headers

    me = run(_phone_joins_as_beleid(live_server, sid, join_code))
    assert (me["number"], me["perspective"]) == (1, "beleid")  # the refused join took no number

    verslag = http.get(f"{live_server.base_url}/host/s/{sid}/verslag.md").text
    assert "Er deed 1 persoon mee: 1 beleid." in verslag
    csv = http.get(f"{live_server.base_url}/host/s/{sid}/verslag.csv").content.decode("utf-8-sig")
    assert "Meer tijd voor de uitvoering" in csv
    [row] = [line for line in csv.splitlines() if "Meer tijd voor de uitvoering" in line]
    assert ";beleid;" in row or ",beleid," in row, row

    # On disk, and the same after a restart.
    live_server.stop()
    stored = TinyDBRepository(data_dir, read_only=True)
    assert [p.id for p in stored.get_session(sid).perspectives] == ["gemeente", "beleid", "bestuur", "uitvoering"]
    assert [p.perspective for p in stored.list_participants(sid)] == ["beleid"]
    live_server.start()
    assert 'value="uitvoering"' in requests.get(f"{live_server.base_url}/j/{join_code}").text
