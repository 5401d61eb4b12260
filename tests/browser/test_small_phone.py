"""A small phone (360 px wide): no sideways scrolling, and a send button big enough for a thumb."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import OpenedPage, assert_clean

pytestmark = pytest.mark.browser

WIDTH = 360


def scroll_width(page: Page) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def test_answer_page_fits_a_360px_phone(open_page: Callable[..., OpenedPage], live_server: LiveServer) -> None:
    joined = live_server.create_bijeenkomst(
        "Dialoogsessie met een heel lange titel over jeugd, gezin, school en mentale veerkracht in de wijk",
        series="Dialoogsessies Jeugd",
    )
    tab = open_page("phone", "phone 360", viewport={"width": WIDTH, "height": 640})
    phone = tab.page

    phone.goto(f"{live_server.base_url}/j/{joined['join_code']}")
    assert scroll_width(phone) <= WIDTH, "the join page scrolls sideways"
    join_button = phone.get_by_role("button", name="Ik doe mee")
    assert (join_button.bounding_box() or {}).get("height", 0) >= 44
    join_button.click()
    expect(phone).to_have_url(re.compile(r"/p/[^/?#]+$"))
    expect(phone.locator(".status-text")).to_have_text("verbonden")

    assert scroll_width(phone) <= WIDTH, "the answer page scrolls sideways"
    send = phone.get_by_role("button", name="Versturen")
    box = send.bounding_box()
    assert box is not None and box["height"] >= 44, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box

    # Long unbroken words (a pasted link, a long Dutch compound) must not push the page wider either.
    long_word = "jeugdgezondheidszorgmedewerkersbijeenkomstverslag" * 3
    phone.locator("#answer").fill(long_word)
    send.click()
    expect(phone.locator("#mine .mine-item.sent")).to_have_count(1)
    expect(phone.locator("#mine .mine-item")).to_have_count(1)
    expect(phone.locator("#mine .mine-item small")).to_have_text("verstuurd")
    assert scroll_width(phone) <= WIDTH, "a long word on 'Jouw bijdragen' makes the page scroll sideways"

    assert_clean(tab, base_url=live_server.base_url)
