"""A facilitator's first start, in Chromium against the real server (issue 14, point 8).

A new bijeenkomst opens in Voorbereiden; the first item's prepared timer is what the host view shows and starts
(before: "geen tijd", then 5:00 instead of 3:00); the host's roles panel says "Woordvoerder" like the phones; the
pages carry the favicon. The facilitator chooses the language of a bijeenkomst; phones follow it, whatever the
browser says, and switch for themselves at the top of the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import OpenedPage, assert_clean

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def sign_in(host: Page, server: LiveServer) -> None:
    host.goto(f"{server.base_url}/host/login?key={server.key}")
    expect(host).to_have_url(f"{server.base_url}/host/")


def in_view(page: Page, selector: str) -> bool:
    """Tell whether an element lies wholly inside the viewport, without scrolling."""
    return bool(page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.width > 0 && box.top >= 0 && box.left >= 0
                && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
        }""",
        selector,
    ))


def test_a_new_bijeenkomst_opens_in_voorbereiden_and_the_host_view_runs_the_prepared_timer(
    live_server: LiveServer, open_page: Callable[..., OpenedPage]
) -> None:
    tab = open_page("host")
    host = tab.page
    sign_in(host, live_server)
    new = host.locator("#nieuw")
    new.get_by_label("Titel").fill("Eerste middag")
    new.get_by_role("button", name="Maak de bijeenkomst").click()
    expect(host).to_have_url(re.compile(r"/host/s/[0-9a-f]+/voorbereiden$"))

    # The favicon is linked and served by the laptop.
    icon = host.locator('link[rel="icon"]')
    expect(icon).to_have_attribute("href", "/static/favicon.svg")
    answer = host.request.get(f"{live_server.base_url}/static/favicon.svg")
    assert answer.ok and answer.headers["content-type"].startswith("image/svg+xml")

    # Prepare: 3 minutes for the open question, and a tafeladvies after it.
    first = host.locator(".agenda-item").first
    first.locator("details.editor > summary").click()
    first.locator('input[name="timers.antwoorden"]').fill("3")
    first.locator("details.editor").get_by_role("button", name="Opslaan").click()
    expect(host.locator(".agenda-item").first.locator(".notice")).to_have_text("Opgeslagen.")
    host.get_by_role("radio", name=re.compile("^Tafeladvies")).check()
    host.get_by_role("button", name="Zet op de agenda").click()
    expect(host.locator(".agenda-item")).to_have_count(2)

    host.get_by_role("link", name="Open scherm").click()
    expect(host).to_have_url(re.compile(r"/host/s/[0-9a-f]+$"))
    expect(host.locator(".status")).to_have_attribute("data-status", "connected")
    timer = host.locator("#timer")
    expect(timer).to_have_text("3:00")  # not "geen tijd"
    host.keyboard.press("Space")
    expect(timer).to_have_text(re.compile(r"^2:5\d$"))  # running from 3:00, not from 5:00

    # The next item has the table's role: the roles panel names it as the phones do.
    host.keyboard.press("ArrowRight")
    roles = host.locator("#roles-panel")
    expect(roles).to_be_visible()
    roles.locator("summary").click()
    expect(host.locator("#assign-role option")).to_have_text(["Woordvoerder"])
    expect(host.locator("#code-role option")).to_have_text(["Woordvoerder"])
    assert_clean(tab, base_url=live_server.base_url)


def test_phones_follow_the_bijeenkomsts_language_and_switch_at_the_top(
    live_server: LiveServer, open_page: Callable[..., OpenedPage]
) -> None:
    made = live_server.create_bijeenkomst("Internationale middag")
    english_browser = {"locale": "en-US", "extra_http_headers": {"Accept-Language": "en-US,en;q=0.9"}}
    first = open_page("phone", "English browser", viewport=PHONE, **english_browser)
    phone = first.page
    phone.goto(f"{live_server.base_url}/j/{made['join_code']}")
    expect(phone.locator("html")).to_have_attribute("lang", "nl")  # the browser's language does not decide
    expect(phone.locator("h1")).to_have_text("Welkom!")

    # The facilitator chooses English on the prepare page.
    tab = open_page("host")
    host = tab.page
    sign_in(host, live_server)
    host.goto(f"{live_server.base_url}/host/s/{made['id']}/voorbereiden")
    details = host.locator("#gegevens")
    details.get_by_label("Taal van de bijeenkomst").select_option("en")
    details.get_by_role("button", name="Opslaan", exact=True).click()
    expect(host.locator("#gegevens .notice")).to_be_visible()

    second = open_page("phone", "Dutch browser", viewport=PHONE)
    other = second.page
    other.goto(f"{live_server.base_url}/j/{made['join_code']}")
    expect(other.locator("html")).to_have_attribute("lang", "en")
    expect(other.locator("h1")).to_have_text("Welcome!")
    switch = other.locator(".lang-top a")
    expect(switch).to_have_text("Nederlands")
    assert in_view(other, ".lang-top a"), "the language switch is not at the top of the join page"
    switch.click()
    expect(other.locator("h1")).to_have_text("Welkom!")
    other.get_by_role("button", name="Ik doe mee").click()
    expect(other).to_have_url(re.compile(r"/p/[0-9a-f]{12}$"))
    expect(other.locator("html")).to_have_attribute("lang", "nl")  # the phone's own choice stays
    expect(other.locator(".status-text")).to_have_text("verbonden")
    expect(other.locator(".lang-top a")).to_have_text("English")
    assert in_view(other, ".lang-top a"), "the language switch is not at the top of the answer page"

    # The first phone, reloading, now follows the bijeenkomst: English.
    phone.reload()
    expect(phone.locator("h1")).to_have_text("Welcome!")
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator(".status-text")).to_have_text("connected")
    assert_clean(first, second, tab, base_url=live_server.base_url)
