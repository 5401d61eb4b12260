"""Privacy in the browser: a whole session touches nothing but the laptop, and a deleted bijeenkomst leaves nothing
behind on the phone.

The real server (eventlet, subprocess) with an agenda of an open question and a casusdialoog. The facilitator runs it
from the projector view: two phones answer the open question with canary texts, the host steps through the
casusdialoog (a phone answers "Wat valt op", gives its function and a possibility, and a private answer), opens the
board and lets the clusterer propose themes, opens the verslag, and deletes the bijeenkomst there with its code.

Every request of every page goes through a Playwright route that records it (and would abort anything for another
origin); websockets are recorded as they open. All of it must be for the laptop's origin.

After the deletion the phones show that the bijeenkomst ended and their localStorage and sessionStorage hold no key
of it and no canary text, also after a reload. The phone's cookie: it is HttpOnly, so the page cannot remove it,
and the server cannot reach a phone that is gone; it stays until it expires (PARTICIPANT_COOKIE_SECONDS) but is
useless: it holds only a random token whose participant was deleted with the bijeenkomst, so the answer page says
404 and the token joins nothing.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
import socketio
from playwright.sync_api import Page, Route, expect

from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository
from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import OpenedPage, assert_clean, send, serving

pytestmark = pytest.mark.browser

CANARY = f"kanarie{secrets.token_hex(5)}"
CASE = "Sanne (9) komt vaak te laat; thuis is het onrustig en de juf maakt zich zorgen."
PHONE = {"width": 360, "height": 740}


@dataclass
class Room:
    server: LiveServer
    session_id: str
    join_code: str


@dataclass
class Recorded:
    """Every request and websocket of the pages, as (page name, URL)."""

    requests: list[tuple[str, str]] = field(default_factory=list)
    websockets: list[tuple[str, str]] = field(default_factory=list)

    def foreign(self, origin: str) -> list[tuple[str, str]]:
        return [(name, url) for name, url in self.requests + self.websockets if origin_of(url) != origin]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}"


@pytest.fixture
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    """A bijeenkomst with an open question (first) and a casusdialoog, at the open question."""
    data_dir = tmp_path_factory.mktemp("privacy-data")
    repo = TinyDBRepository(data_dir)
    registry = discover()
    session = services.create_session(repo, registry, title="Privacy in de browser",
                                      prompt="Wat heeft een kind nodig om goed in zijn vel te zitten?")
    services.add_agenda_item(repo, registry, session.id, "casusdialoog", {"case_text": CASE})
    services.go_to(repo, registry, session.id, 0, 0)
    with serving(data_dir) as server:
        yield Room(server, session.id, session.join_code)


def watched(open_page: Callable[..., OpenedPage], recorded: Recorded, kind: str, name: str, base: str,
            **options: Any) -> OpenedPage:
    """Open a page whose every request passes a recording route; anything for another origin is aborted."""
    tab = open_page(kind, name, **options)
    origin = origin_of(base)

    def record(route: Route) -> None:
        url = route.request.url
        recorded.requests.append((name, url))
        if origin_of(url) == origin:
            route.continue_()
        else:
            route.abort()

    tab.context.route("**/*", record)
    tab.page.on("websocket", lambda socket: recorded.websockets.append((name, socket.url)))
    return tab


def storage(page: Page) -> dict[str, dict[str, str]]:
    """Everything the page keeps in localStorage and sessionStorage."""
    return dict(json.loads(page.evaluate(
        "() => JSON.stringify({local: Object.assign({}, localStorage), session: Object.assign({}, sessionStorage)})"
    )))


def other_stores(page: Page) -> list[int]:
    """How many IndexedDB databases and Cache Storage caches the page's origin has (the app uses neither)."""
    return list(page.evaluate("""async () => [
        indexedDB.databases ? (await indexedDB.databases()).length : 0,
        self.caches ? (await caches.keys()).length : 0,
    ]"""))


def join(page: Page, room: Room, table: int) -> None:
    page.goto(f"{room.server.base_url}/j/{room.join_code}")
    page.get_by_label("Aan welke tafel zit je? (mag je leeg laten)").fill(str(table))
    page.get_by_role("button", name="Ik doe mee").click()
    expect(page).to_have_url(re.compile(r"/p/[0-9a-f]{12}$"))
    expect(page.locator(".status")).to_have_attribute("data-status", "connected")


def next_phase(host: Page, title: str) -> None:
    host.get_by_role("button", name="Volgende", exact=True).click()
    expect(host.locator("#phase-title")).to_have_text(title)


def test_a_whole_session_stays_on_the_laptop_and_deleting_it_clears_the_phones(
    open_page: Callable[..., OpenedPage], room: Room
) -> None:
    base = room.server.base_url
    recorded = Recorded()
    host_tab = watched(open_page, recorded, "host", "host", base)
    host = host_tab.page
    phone_tabs = [watched(open_page, recorded, "phone", f"phone {n}", base, viewport=PHONE) for n in (1, 2)]
    phones = [tab.page for tab in phone_tabs]

    host.goto(f"{base}/host/login?key={room.server.key}")
    host.goto(f"{base}/host/s/{room.session_id}")
    expect(host.locator(".status")).to_have_attribute("data-status", "connected")
    for number, phone in enumerate(phones, 1):
        join(phone, room, table=number)

    # -- the open question: canary answers from both phones ------------------------------------------------
    answers = [f"{CANARY} vertrouwen tussen ouders en school {n}" for n in range(2)] + [
        f"{CANARY} wachtlijst jeugdzorg is te lang {n}" for n in range(2)]
    for number, text in enumerate(answers):
        send(phones[number % 2], text)
    expect(host.locator("#wall .card")).to_have_count(len(answers))

    # -- the casusdialoog, phase by phase -----------------------------------------------------------------
    next_phase(host, "De casus")
    next_phase(host, "1. Wat valt op?")
    send(phones[0], f"{CANARY} valt op: te laat op school")
    next_phase(host, "2. Vijf hypotheses")
    next_phase(host, "3. Mogelijkheden")
    expect(phones[0].locator("#function")).to_be_visible()
    phones[0].locator("#function").fill(f"{CANARY} jeugdverpleegkundige")
    send(phones[0], f"{CANARY} mogelijkheid: samen met de juf een plan")
    next_phase(host, "4. Wat levert het jou op?")
    send(phones[1], f"{CANARY} privé: ik kijk anders naar ouders")

    # -- the board: the clusterer proposes themes for the open question -----------------------------------
    host.get_by_role("button", name="Rode draden", exact=True).click()
    panel = host.locator("#board-panel")
    expect(panel).to_be_visible()
    host.locator("#board-item").select_option(label="1. Open vraag")
    panel.get_by_label("Aantal thema's").fill("2")
    panel.get_by_role("button", name="Stel thema's voor").click()
    expect(panel.locator(".board-column.theme")).to_have_count(2, timeout=30_000)
    host.get_by_role("button", name="Sluiten").first.click()

    # -- the verslag page ---------------------------------------------------------------------------------
    host.goto(f"{base}/host/s/{room.session_id}/verslag")
    expect(host.locator("#delete-confirm")).to_be_visible()
    host.wait_for_load_state("networkidle")

    # Before the deletion the phone does keep something of this bijeenkomst: its function, for the next answer.
    kept = storage(phones[0])["local"]
    assert kept.get(f"rd-function-{room.session_id}") == f"{CANARY} jeugdverpleegkundige", kept
    cookie_name = f"rd_p_{room.session_id}"
    [cookie] = [c for c in phone_tabs[0].context.cookies() if c["name"] == cookie_name]
    token = cookie["value"]
    assert cookie["httpOnly"] is True

    # -- the facilitator deletes the bijeenkomst with its code ---------------------------------------------
    host.locator("#delete-confirm").fill(room.join_code)
    host.get_by_role("button", name="Verwijder de bijeenkomst").click()
    expect(host).to_have_url(re.compile(r"/host/\?verwijderd=1$"))

    for phone in phones:
        expect(phone.get_by_role("heading", name="Deze bijeenkomst is afgesloten. Bedankt voor je bijdragen!")).to_be_visible()
        expect(phone.locator("#answer-form")).to_be_hidden()
    for tab in phone_tabs:
        phone = tab.page
        for reloaded in (False, True):
            if reloaded:
                response = phone.reload()
                assert response is not None and response.status == 404  # the answer page of a deleted bijeenkomst
                assert CANARY not in phone.content()
            kept_now = storage(phone)
            leftovers = [(area, key) for area, items in kept_now.items() for key, value in items.items()
                         if room.session_id in key or CANARY in key or CANARY in value]
            assert leftovers == [], (tab.watch.name, reloaded, kept_now)
            assert other_stores(phone) == [0, 0]

    # The cookie is still there (HttpOnly, until it expires) but opens nothing: no page, no join.
    assert any(c["name"] == cookie_name for c in phone_tabs[0].context.cookies())
    client = socketio.Client(reconnection=False)
    client.connect(base, auth={"token": token}, transports=["websocket"], wait_timeout=10)
    try:
        ack = client.call("join_session", {"session": room.session_id, "role": "participant"}, timeout=10)
    finally:
        client.disconnect()
    assert ack["ok"] is False and ack["error"]["code"] == "session_not_found", ack

    # -- nothing left the laptop ---------------------------------------------------------------------------
    origin = origin_of(base)
    assert recorded.foreign(origin) == []
    for name in ("host", "phone 1", "phone 2"):
        urls = [url for who, url in recorded.requests if who == name]
        assert any("/static/" in url for url in urls), (name, urls)
        assert any(who == name for who, _url in recorded.websockets), (name, recorded.websockets)
    assert any(url.endswith("/verslag") for _who, url in recorded.requests)
    assert_clean(host_tab, base_url=base)
