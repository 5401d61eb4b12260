"""A full disk in the browser: the phone keeps its answer queued, the projector shows the warning, and once
the laptop can store again the answer arrives once and the warning goes.

The fault is real: RLIMIT_FSIZE 0 on the server process (tests/support/storage_faults.py), so every
write the server tries fails with EFBIG, as a full disk fails with ENOSPC.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from facilitator.testing.clients import stored_contributions
from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import OpenedPage, assert_clean, screenshot
from tests.support import storage_faults

pytestmark = pytest.mark.browser

ANSWER = "Dat er iemand is die luistert zonder meteen te oordelen"
BANNER = (
    "Opslaan lukt niet: de schijf is vol of de map is niet schrijfbaar. "
    "Bijdragen blijven op de telefoons staan en worden opnieuw verstuurd."
)
PHONE_ERROR = "Opslaan lukte niet. Je bijdrage blijft bewaard op je telefoon en wordt opnieuw verstuurd."


def test_storage_fault_phone_keeps_the_answer_and_the_host_sees_the_banner_until_it_is_stored(
    live_server: LiveServer, open_page: Callable[..., OpenedPage]
) -> None:
    created = live_server.create_bijeenkomst("Volle schijf")
    session_id = created["id"]
    host_opened, phone_opened = open_page("host"), open_page("phone")
    host, phone = host_opened.page, phone_opened.page
    host.goto(f"{live_server.base_url}/host/login?key={live_server.key}")
    host.goto(f"{live_server.base_url}/host/s/{session_id}")
    expect(host.locator(".status")).to_have_attribute("data-status", "connected")
    banner = host.locator("#storage-warning")
    expect(banner).to_be_hidden()
    phone.goto(f"{live_server.base_url}/j/{created['join_code']}")
    phone.get_by_role("button", name="Ik doe mee").click()
    expect(phone.locator(".status-text")).to_have_text("verbonden")

    assert live_server.process is not None
    undo = storage_faults.limit_file_size(live_server.process.pid)
    try:
        phone.locator("#answer").fill(ANSWER)
        sent = time.monotonic()
        phone.get_by_role("button", name="Versturen").click()
        expect(banner).to_be_visible(timeout=2000)
        print(f"banner visible {(time.monotonic() - sent) * 1000:.0f} ms after Versturen")
        expect(banner).to_have_text(BANNER)
        expect(phone.locator("#error")).to_have_text(PHONE_ERROR)
        # The answer waits in the phone's outbox (localStorage), shown as not yet sent.
        pending = phone.locator("#mine .mine-item.pending")
        expect(pending).to_have_count(1)
        expect(pending.locator("p")).to_have_text(ANSWER)
        outbox = json.loads(phone.evaluate(f"() => localStorage.getItem('rd-outbox-{session_id}')") or "[]")
        assert [item["text"] for item in outbox] == [ANSWER]
        expect(host.locator("#wall .card")).to_have_count(0)
        screenshot(host, "storage-fault-host.png")
        screenshot(phone, "storage-fault-phone.png")
        assert stored_contributions(live_server.data_dir, session_id) == []
    finally:
        undo()

    # The phone tries again on its own (every 3 s); now it is stored, once, and everyone sees it.
    expect(host.locator("#wall .card")).to_have_count(1, timeout=8000)
    expect(host.locator("#wall .card")).to_contain_text(ANSWER)
    expect(banner).to_be_hidden()
    expect(phone.locator("#mine .mine-item.pending")).to_have_count(0)
    expect(phone.locator("#mine .mine-item.sent p")).to_have_text([ANSWER])
    assert phone.evaluate(f"() => localStorage.getItem('rd-outbox-{session_id}')") is None
    assert [doc["text"] for doc in stored_contributions(live_server.data_dir, session_id)] == [ANSWER]
    assert_clean(host_opened, phone_opened, base_url=live_server.base_url)
