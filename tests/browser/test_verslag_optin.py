"""The verslag by e-mail in a real browser: the host offers it with its button, a phone leaves an address with an
explicit yes, sees the confirmation, withdraws it; deleting the bijeenkomst ends it on the phone and the host.

The server runs in this process (Flask-SocketIO in threading mode behind Werkzeug), so the test reads exactly what
was stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from facilitator.core import services
from tests.browser.helpers import HOST_KEY, SMALL_PHONE, OpenedPage, Room, assert_clean, screenshot, wait_until

pytestmark = pytest.mark.browser

OFFER = "Verslag per e-mail aanbieden"
STOP = "Stop met vragen naar e-mailadressen"


def optins(app_server: Room, session_id: str) -> list[str]:
    return [o.email for o in app_server.deps.repo.list_mail_optins(session_id)]


def local_storage(page: Page) -> dict[str, str]:
    return dict(json.loads(page.evaluate("() => JSON.stringify(Object.assign({}, localStorage))")))


def test_a_phone_asks_for_the_verslag_and_withdraws(app_server: Room, open_page: Callable[..., OpenedPage]) -> None:
    session = services.create_session(app_server.deps.repo, app_server.deps.registry, title="Dialoogsessie Jeugd")
    host_tab = open_page("host")
    host = host_tab.page
    host.goto(f"{app_server.base_url}/host/login?key={HOST_KEY}")
    host.goto(f"{app_server.base_url}/host/s/{session.id}")
    expect(host.locator(".status")).to_have_attribute("data-status", "connected")
    count = host.locator("#optin-count")
    expect(count).to_have_text("0 adressen voor het verslag")

    phone_tab = open_page("phone", "phone", viewport=SMALL_PHONE)
    phone = phone_tab.page
    phone.goto(f"{app_server.base_url}/j/{session.join_code}")
    phone.get_by_role("button", name="Ik doe mee").click()
    expect(phone).to_have_url(re.compile(r"/p/[0-9a-f]{12}$"))
    expect(phone.locator(".status")).to_have_attribute("data-status", "connected")
    card = phone.locator("#verslag")
    expect(card).to_be_hidden()

    # The host offers the verslag: the phone shows the card, unticked.
    host.get_by_role("button", name=OFFER).click()
    expect(host.get_by_role("button", name=STOP)).to_be_visible()
    expect(card).to_be_visible()
    expect(card.get_by_role("heading", name="Het verslag ontvangen?")).to_be_visible()
    consent = card.get_by_label("Ja, stuur mij het verslag")
    expect(consent).not_to_be_checked()
    address = card.get_by_label("Je e-mailadres")
    expect(address).to_have_attribute("type", "email")
    expect(address).to_have_attribute("autocomplete", "email")
    send = card.get_by_role("button", name="Verstuur")
    box = send.bounding_box()
    assert box is not None and box["height"] >= 48, box
    card.scroll_into_view_if_needed()
    screenshot(phone, "phone-verslag-card.png")

    # Without the tick, and with a wrong address, nothing is stored and the phone says why.
    address.fill("anna@example.nl")
    send.click()
    expect(card.locator("#verslag-error")).to_have_text("Zet eerst het vinkje als je het verslag wilt ontvangen.")
    consent.check()
    address.fill("anna@example")
    send.click()
    expect(card.locator("#verslag-error")).to_have_text("Dit e-mailadres klopt niet. Kijk het nog even na.")
    assert optins(app_server, session.id) == []

    address.fill("anna@example.nl")
    send.click()
    done = card.locator("#verslag-done-text")
    expect(done).to_have_text("We sturen het verslag naar anna@example.nl.")
    expect(card.locator("#verslag-error")).to_be_hidden()
    expect(count).to_have_text("1 adres voor het verslag")
    assert optins(app_server, session.id) == ["anna@example.nl"]
    assert "anna@example.nl" not in json.dumps(local_storage(phone))
    assert "anna@example.nl" not in host.content()  # the projected page gets the count, never the address
    card.scroll_into_view_if_needed()
    screenshot(phone, "phone-verslag-optin.png")
    host.locator("#closing-panel").scroll_into_view_if_needed()
    screenshot(host, "host-verslag-count.png")

    # After a reload the confirmation comes back from the app_server.
    phone.reload()
    expect(done).to_have_text("We sturen het verslag naar anna@example.nl.")

    card.get_by_role("button", name="Toch niet").click()
    expect(address).to_be_visible()
    expect(address).to_have_value("")
    expect(consent).not_to_be_checked()
    expect(count).to_have_text("0 adressen voor het verslag")
    assert optins(app_server, session.id) == []

    # The host stops asking: the card goes away.
    host.get_by_role("button", name=STOP).click()
    expect(host.get_by_role("button", name=OFFER)).to_be_visible()
    expect(card).to_be_hidden()
    assert_clean(host_tab, phone_tab, base_url=app_server.base_url)


def test_deleting_the_bijeenkomst_ends_it_on_the_phone_and_the_host(
    app_server: Room, open_page: Callable[..., OpenedPage]
) -> None:
    session = services.create_session(app_server.deps.repo, app_server.deps.registry, title="Dialoogsessie Jeugd")
    host_tab = open_page("host")
    host = host_tab.page
    host.goto(f"{app_server.base_url}/host/login?key={HOST_KEY}")
    host.goto(f"{app_server.base_url}/host/s/{session.id}")
    expect(host.locator(".status")).to_have_attribute("data-status", "connected")
    phone_tab = open_page("phone", "phone", viewport=SMALL_PHONE)
    phone = phone_tab.page
    phone.goto(f"{app_server.base_url}/j/{session.join_code}")
    phone.get_by_role("button", name="Ik doe mee").click()
    expect(phone.locator(".status")).to_have_attribute("data-status", "connected")
    host.get_by_role("button", name=OFFER).click()
    expect(phone.locator("#verslag")).to_be_visible()
    # What a phone keeps for a bijeenkomst (an unsent item, its function), and something of another one.
    phone.evaluate(
        """(id) => {
          localStorage.setItem(`rd-outbox-${id}`, JSON.stringify([{client_id: "kept-000001", text: "nog onderweg"}]));
          localStorage.setItem(`rd-function-${id}`, "leerkracht");
          localStorage.setItem("rd-function-0123456789ab", "jeugdarts");
        }""",
        session.id,
    )

    with app_server.app.test_request_context("/"):
        app_server.deps.publish(services.delete_session(app_server.deps.repo, app_server.deps.series, session.id))

    expect(phone.get_by_role("heading", name="Deze bijeenkomst is afgesloten. Bedankt voor je bijdragen!")).to_be_visible()
    expect(phone.locator("#verslag")).to_be_hidden()
    expect(phone.locator("#answer-form")).to_be_hidden()
    wait_until(phone, lambda: local_storage(phone) == {"rd-function-0123456789ab": "jeugdarts"}, "storage forgotten")
    expect(host.locator("#host-error")).to_have_text("Deze bijeenkomst is verwijderd.")
    expect(host.locator(".host-grid")).to_be_hidden()
    screenshot(phone, "phone-session-ended.png")
    assert_clean(host_tab, phone_tab, base_url=app_server.base_url)
