"""The whole room in a browser: the facilitator's projector view and two phones, against the real server."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import OpenedPage, assert_clean, screenshot

pytestmark = pytest.mark.browser

QUESTION = "Wat heeft een kind nodig om goed in zijn vel te zitten?"
FIRST_ANSWER = "Dat ouders en school eerder met elkaar in gesprek gaan"
HOSTILE = "<img src=x onerror=alert(1)>"
MORE_ANSWERS = [  # (phone index, text)
    (0, "Een vaste volwassene op school bij wie je altijd terecht kunt"),
    (1, "Minder druk rond toetsen en cijfers, meer ruimte om te spelen"),
    (0, "Ouders die weten waar ze met kleine zorgen naartoe kunnen, zonder wachtlijst"),
    (1, "Tijd en aandacht thuis: samen eten en echt vragen hoe het gaat"),
    (0, "Dat de jeugdverpleegkundige gewoon op het schoolplein staat"),
]


def card(page: Page, text: str, *, wall: str = "#wall") -> Locator:
    """The card on the host whose text is exactly `text`."""
    return page.locator(f"{wall} .card").filter(has=page.get_by_text(text, exact=True))


def mine_item(page: Page, text: str) -> Locator:
    """The entry under "Jouw bijdragen" on a phone whose text is exactly `text`."""
    return page.locator("#mine .mine-item").filter(has=page.get_by_text(text, exact=True))


def login_and_create(host: Page, server: LiveServer) -> str:
    """Sign in with the facilitator link, create a bijeenkomst with the real form; return the join code."""
    host.goto(f"{server.base_url}/host/login?key={server.key}")
    expect(host).to_have_url(f"{server.base_url}/host/")
    # The key is traded for a cookie and dropped from the address bar.
    assert "key=" not in host.url
    new = host.locator("#nieuw")  # the dashboard's form for a new bijeenkomst
    new.get_by_label("Titel").fill("Tweede dialoogsessie Mentale veerkracht")
    new.get_by_label("Datum").fill(dt.date.today().isoformat())
    new.get_by_label("Reeks (optioneel)").fill("Dialoogsessies Jeugd")
    new.get_by_label("Vraag aan de zaal").fill(QUESTION)
    with host.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/host/sessions")) as posted:
        host.get_by_role("button", name="Maak de bijeenkomst").click()
    assert posted.value.status == 303, (
        f"creating a bijeenkomst with the form answered {posted.value.status}; the browser sent "
        f"Origin: {posted.value.request.header_value('origin')!r}"
    )
    # A new bijeenkomst opens in Voorbereiden; "Open scherm" goes live.
    expect(host).to_have_url(re.compile(re.escape(server.base_url) + r"/host/s/[^/?#]+/voorbereiden$"))
    host.get_by_role("link", name="Open scherm").click()
    expect(host).to_have_url(re.compile(re.escape(server.base_url) + r"/host/s/[^/?#]+$"))
    expect(host.locator("h1")).to_have_text("Tweede dialoogsessie Mentale veerkracht")
    expect(host.locator("#prompt")).to_have_text(QUESTION)
    expect(host.locator(".status")).to_have_attribute("data-status", "connected")
    code = (host.locator(".join-code strong").text_content() or "").strip()
    assert code, "the host view shows no join code"
    expect(host.locator(".join-url")).to_have_text(re.compile(r"^https?://\S+/j/" + re.escape(code) + "$"))
    # The QR code is an image served by the laptop itself, and it loaded.
    qr = host.locator("img.qr")
    expect(qr).to_be_visible()
    assert host.evaluate("() => document.querySelector('img.qr').naturalWidth") > 0
    return code


def join(phone: Page, server: LiveServer, code: str, *, table: str | None, perspective: str | None) -> None:
    """Open the join page, fill in what the person wants to share, and press "Ik doe mee"."""
    phone.goto(f"{server.base_url}/j/{code}")
    if table is not None:
        phone.get_by_label("Aan welke tafel zit je? (mag je leeg laten)").fill(table)
    if perspective is not None:
        phone.get_by_role("radio", name=perspective, exact=True).check()
    phone.get_by_role("button", name="Ik doe mee").click()
    expect(phone).to_have_url(re.compile(re.escape(server.base_url) + r"/p/[^/?#]+$"))
    expect(phone.locator(".status")).to_have_attribute("data-status", "connected")
    expect(phone.locator(".status-text")).to_have_text("verbonden")
    expect(phone.locator("#prompt")).to_have_text(QUESTION)


def send(phone: Page, text: str) -> None:
    """Type an answer, press "Versturen", and wait until the server acknowledged it."""
    phone.locator("#answer").fill(text)
    phone.get_by_role("button", name="Versturen").click()
    # Acknowledged: listed once, as "verstuurd" (for a moment it may show twice, queued and sent, see report).
    expect(mine_item(phone, text).and_(phone.locator(".mine-item.sent"))).to_have_count(1)
    expect(mine_item(phone, text)).to_have_count(1)
    expect(mine_item(phone, text).locator("small")).to_have_text("verstuurd")
    expect(phone.locator("#mine .mine-item.pending")).to_have_count(0)
    expect(phone.locator("#answer")).to_have_value("")


def test_host_and_two_phones(open_page: Callable[..., OpenedPage], live_server: LiveServer) -> None:
    base = live_server.base_url
    host_tab = open_page("host")
    host = host_tab.page
    code = login_and_create(host, live_server)
    expect(host.locator("#wall-empty")).to_be_visible()

    phones = [open_page("phone", "phone 1"), open_page("phone", "phone 2")]
    phone1, phone2 = phones[0].page, phones[1].page

    phone1.goto(f"{base}/j/{code}")
    expect(phone1.get_by_role("heading", name="Zo gaan we met je antwoorden om")).to_be_visible()
    screenshot(phone1, "phone-join.png")
    join(phone1, live_server, code, table="3", perspective="Ouder")
    join(phone2, live_server, code, table=None, perspective=None)

    expect(host.locator("#joined-count")).to_have_text("2 aangemeld")
    expect(host.locator("#connected-count")).to_have_text("2 verbonden")

    # Phone 1 answers; the projector shows it, with the table and the role, within 5 s.
    send(phone1, FIRST_ANSWER)
    host.wait_for_selector("#wall .card", timeout=5_000)
    first = card(host, FIRST_ANSWER)
    expect(first).to_have_count(1, timeout=5_000)
    assert first.locator(".card-text").text_content() == FIRST_ANSWER
    expect(first.locator(".card-meta span")).to_have_text("tafel 3 · ouder")
    expect(host.locator("#wall-empty")).to_be_hidden()
    expect(host.locator("#visible-count")).to_have_text("1")

    # Phone 2 (no table, no role) sends markup: it appears as plain text, nothing runs.
    send(phone2, HOSTILE)
    hostile = card(host, HOSTILE)
    expect(hostile).to_have_count(1, timeout=5_000)
    assert hostile.locator(".card-text").text_content() == HOSTILE
    expect(hostile.locator(".card-meta span")).to_have_text("")
    assert host.locator("#wall img").count() == 0
    assert phone2.locator("#mine img").count() == 0
    host.wait_for_timeout(300)  # give a would-be onerror handler the time to fire
    assert host_tab.watch.dialogs == [] and phones[1].watch.dialogs == []

    # The facilitator hides the markup; it leaves the wall and goes to "Verborgen bijdragen".
    hostile.get_by_role("button", name="Verbergen").click()
    expect(card(host, HOSTILE)).to_have_count(0, timeout=2_000)
    expect(host.locator("#hidden-count")).to_have_text("1")
    expect(card(host, HOSTILE, wall="#hidden-wall")).to_have_count(1)
    # Its author's phone keeps it, marked, still as text (issue 14, point 6).
    expect(mine_item(phone2, HOSTILE).locator("small")).to_have_text("verborgen door de gespreksleider", timeout=2_000)
    assert phone2.locator("#mine img").count() == 0

    # A few more realistic answers from the room, then the screenshots.
    for index, text in MORE_ANSWERS:
        send(phones[index].page, text)
    for _, text in MORE_ANSWERS:
        expect(card(host, text)).to_have_count(1, timeout=5_000)
    expect(host.locator("#visible-count")).to_have_text(str(1 + len(MORE_ANSWERS)))
    expect(host.locator("#wall .card")).to_have_count(1 + len(MORE_ANSWERS))
    # Newest first.
    expect(host.locator("#wall .card .card-text").first).to_have_text(MORE_ANSWERS[-1][1])
    expect(phone1.locator("#mine .mine-item")).to_have_count(1 + sum(1 for i, _ in MORE_ANSWERS if i == 0))
    screenshot(host, "host-view.png")
    phone1.locator("#answer").fill("Een plek in de wijk waar jongeren zonder afspraak binnen kunnen lopen")
    phone1.evaluate("() => document.activeElement && document.activeElement.blur()")
    screenshot(phone1, "phone-answer.png")
    phone1.locator("#answer").fill("")

    # Hiding phone 1's first card takes it off the wall within 2 s; phone 1's own list marks it as hidden.
    card(host, FIRST_ANSWER).get_by_role("button", name="Verbergen").click()
    expect(card(host, FIRST_ANSWER)).to_have_count(0, timeout=2_000)
    expect(mine_item(phone1, FIRST_ANSWER).locator("small")).to_have_text("verborgen door de gespreksleider", timeout=2_000)
    expect(host.locator("#hidden-count")).to_have_text("2")
    expect(host.locator("#visible-count")).to_have_text(str(len(MORE_ANSWERS)))
    expect(phone1.locator(".status")).to_have_attribute("data-status", "connected")
    expect(phone1.locator(".status-text")).to_have_text("verbonden")
    expect(phone2.locator(".status-text")).to_have_text("verbonden")
    expect(host.locator(".status-text")).to_have_text("verbonden")
    expect(host.locator("#connected-count")).to_have_text("2 verbonden")

    # Nothing went wrong quietly, and nothing left the laptop.
    assert_clean(host_tab, *phones, base_url=base)
    for opened in (host_tab, *phones):
        assert any(url.startswith(base) for url in opened.watch.requests), opened.watch.name
        assert opened.watch.websockets, f"{opened.watch.name} never opened a WebSocket"


def test_join_page_in_english(open_page: Callable[..., OpenedPage], live_server: LiveServer) -> None:
    joined = live_server.create_bijeenkomst("Bijeenkomst in het Engels")
    phone_tab = open_page("phone")
    phone = phone_tab.page
    response = phone.goto(f"{live_server.base_url}/j/{joined['join_code']}?lang=en")
    assert response is not None and response.status == 200
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    # The language switch now offers the way back to Dutch.
    expect(phone.locator(".lang a")).to_have_text("Nederlands")
    assert_clean(phone_tab, base_url=live_server.base_url)
    if phone.get_by_role("button", name="Ik doe mee").count():
        pytest.skip("no English translations yet: ?lang=en still renders the join page in Dutch")
    expect(phone.locator("h1")).to_have_text("Welcome!")
    expect(phone.get_by_role("heading", name="How we handle your answers")).to_be_visible()
    expect(phone.get_by_role("button", name="Join", exact=True)).to_be_visible()
    expect(phone.get_by_role("radio", name="Ouder", exact=True)).to_have_count(0)
    # The choice sticks: the next page without ?lang= is English too, and joining works in English.
    phone.get_by_role("button", name="Join", exact=True).click()
    expect(phone).to_have_url(re.compile(r"/p/[^/?#]+$"))
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_role("button", name="Send", exact=True)).to_be_visible()
    expect(phone.get_by_role("button", name="Versturen")).to_have_count(0)
    assert_clean(phone_tab, base_url=live_server.base_url)
