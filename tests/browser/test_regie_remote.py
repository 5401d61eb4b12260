"""The regie and the phone remote in Debian's Chromium against the real server.

The regie pre-reads an answer that waits for its reveal (marked "nog niet onthuld") and says what comes next;
its "Afstandsbediening" panel shows the remote's QR code; a 360x740 phone that opens its address advances a phase
and starts the timer with big buttons that fit without scrolling, and the regie follows. Screenshots of the regie
and of the remote go to tests/browser/artifacts/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import SCREENSHOTS, OpenedPage, Phone, assert_clean, screenshot
from tests.e2e.test_beamer_live import add_item

pytestmark = pytest.mark.browser

CONCEALED = "Dat mijn zoon weer naar school durft"
REMOTE = {"width": 360, "height": 740}


def test_the_regie_pre_reads_and_a_phone_remote_steers(
    open_page: Callable[..., OpenedPage], live_server: LiveServer, phones: Callable[..., Phone]
) -> None:
    server = live_server
    made = server.create_bijeenkomst("Regie en afstandsbediening")
    sid = made["id"]
    http = server.host_session()
    add_item(http, server, sid, "open_vraag", **{"hidden.antwoorden": "1"})
    add_item(http, server, sid, "vier_buffers")

    regie_tab = open_page("host", "regie")
    regie = regie_tab.page
    regie.goto(f"{server.base_url}/host/login?key={server.key}")
    regie.goto(f"{server.base_url}/host/s/{sid}")
    expect(regie.locator(".status")).to_have_attribute("data-status", "connected")
    expect(regie.locator("#next-line")).to_have_text("Volgende: Open vraag · Antwoorden")

    # Notes for the item, saved as typed, back after a reload.
    regie.locator("#notes-panel summary").click()
    regie.locator("#item-notes").fill("Begin bij tafel 3; Sammy's moeder wil iets zeggen")
    expect(regie.locator("#notes-status")).to_have_text("Bewaard")
    regie.reload()
    expect(regie.locator(".status")).to_have_attribute("data-status", "connected")
    expect(regie.locator("#item-notes")).to_have_value("Begin bij tafel 3; Sammy's moeder wil iets zeggen")

    # The remote's QR code, on the regie only.
    regie.locator("#toggle-remote").click()
    expect(regie.locator("#remote-qr")).to_be_visible()
    expect(regie.locator("#remote-url")).to_contain_text(f"/r/{sid}/")
    address = urlsplit(regie.locator("#remote-url").inner_text().strip())
    regie.locator("#toggle-remote").click()
    expect(regie.locator("#remote-panel")).to_be_hidden()

    # The facilitator's phone opens it (on the address this test reaches the server by).
    remote_tab = open_page("phone", "remote", viewport=REMOTE)
    remote = remote_tab.page
    remote.goto(f"{server.base_url}{address.path}")
    assert urlsplit(remote.url).path == f"/host/s/{sid}/remote"
    expect(remote.locator("#remote-status")).to_have_text("Verbonden")
    expect(remote.locator("#remote-next")).to_contain_text("Volgende: Open vraag")
    for button in ("#remote-previous", "#remote-advance", "#remote-timer-toggle", "#remote-timer-add"):
        box = remote.locator(button).bounding_box()
        assert box is not None and box["height"] >= 48 and box["y"] + box["height"] <= REMOTE["height"], (button, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= REMOTE["width"], (button, box)
    assert remote.evaluate("document.documentElement.scrollWidth") <= REMOTE["width"]

    # It advances a phase: the regie follows; then it starts the timer.
    remote.locator("#remote-advance").click()
    expect(regie.locator("#agenda-list [aria-current=step]")).to_contain_text("2.")
    expect(regie.locator("#reveal-panel")).to_be_visible()
    expect(remote.locator("#remote-reveal")).to_be_visible()
    remote.locator("#remote-timer-toggle").click()
    expect(remote.locator("#remote-timer-toggle")).to_have_text("Pauze")
    expect(regie.locator("#timer-box")).to_have_attribute("data-running", "true")

    # A phone answers: the regie can read it before the reveal, marked as not yet revealed.
    phone = phones(server, (sid, made["join_code"]))
    phone.send(CONCEALED)
    expect(regie.locator("#concealed-count")).to_have_text("1")
    regie.locator("#preread-panel summary").click()
    card = regie.locator("#preread-wall .card", has_text=CONCEALED)
    expect(card).to_be_visible()
    expect(card.locator(".chip-concealed")).to_have_text("nog niet onthuld")
    expect(regie.locator("#next-line")).to_contain_text("Volgende: Vier buffers")
    expect(remote.locator("#remote-concealed")).to_have_text("1 antwoord wacht op onthullen")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the whole regie: "Volgende" at the top, the pre-read below
    regie.screenshot(path=str(SCREENSHOTS / "regie-preread.png"), full_page=True, animations="disabled", caret="hide")
    screenshot(remote, "remote.png")
    assert CONCEALED not in remote.content()

    # The remote reveals: the answer joins the regie's wall.
    remote.locator("#remote-reveal").click()
    expect(regie.locator("#wall .card", has_text=CONCEALED)).to_be_visible()
    expect(remote.locator("#remote-reveal-box")).to_be_hidden()

    # Intrekken on the regie: the remote says so and its buttons stop.
    regie.locator("#toggle-remote").click()
    regie.locator("#remote-revoke").click()
    expect(regie.locator("#remote-message")).to_contain_text("werkt niet meer")
    expect(remote.locator("#remote-error")).to_contain_text("ingetrokken")
    expect(remote.locator("#remote-advance")).to_be_disabled()
    assert_clean(regie_tab, remote_tab, base_url=server.base_url)
