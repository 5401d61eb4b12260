"""Starting like a facilitator expects (issue 14, point 8), against the real `facilitator serve`.

- The prepared timer of the first agenda item is the room's timer from the start: before, a new bijeenkomst whose
  open question was prepared with 3 minutes showed "geen tijd" and started at the default 5:00.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.e2e.helpers import Recorder, run
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.e2e


def prepare_first_timer(server: LiveServer, http: requests.Session, session_id: str, minutes: str) -> None:
    """Set the first item's timer on the prepare page, as the facilitator does (minutes, as typed)."""
    page = http.get(f"{server.base_url}/host/s/{session_id}/voorbereiden")
    assert page.status_code == 200
    item_id = page.text.split('id="item-', 1)[1].split('"', 1)[0]
    saved = http.post(
        f"{server.base_url}/host/s/{session_id}/agenda/{item_id}",
        data={"title": "", "timers.antwoorden": minutes},
        headers={"Origin": server.base_url},
        allow_redirects=False,
    )
    assert saved.status_code == 303, saved.text


def test_a_new_bijeenkomst_shows_and_starts_the_prepared_timer(live_server: LiveServer) -> None:
    http = live_server.host_session()
    created = http.post(f"{live_server.base_url}/host/sessions", json={"title": "Eerste middag"}).json()
    prepare_first_timer(live_server, http, created["id"], "3")

    async def scenario() -> tuple[Any, Any]:
        host = Recorder("host")
        try:
            await host.connect(live_server.base_url, host_key=live_server.key)
            state = await host.join(created["id"], "host")
            ack = await host.call("control_timer", {"session": created["id"], "action": "start"})
            assert ack == {"ok": True, "running": True}
            await host.wait_for(lambda: bool(host.of("timer_changed")))
            return state["timer"], host.of("timer_changed")[0]["timer"]
        finally:
            await host.close()

    shown, started = run(scenario())
    assert shown == {"duration": 180, "remaining": 180.0, "running": False}  # not "geen tijd"
    assert started["duration"] == 180 and started["running"] is True  # 3:00 as prepared, not the default 5:00
    assert 170 <= started["remaining"] <= 180

