"""The phone's outbox in a real browser when the network goes away: a TCP proxy pulls the plug.

Playwright's offline switch leaves an open WebSocket alone, so the phone page is opened through
tests/support/proxy.TcpProxy, which can stall every connection (a Wi-Fi that drops out: nobody hears
anything until Socket.IO's own timeouts give up) or reset them, refuse new ones, and heal.

How long the cut must last. The server keeps python-engineio's defaults, ping_interval 25 s and
ping_timeout 20 s; the page's socket.io-client counts a connection dead when no ping arrived for
ping_interval + ping_timeout = 45 s after the last one (the handshake counts as one), and then retries
after about 1, 2, 4, 4, … s (reconnectionDelay 1 s doubling up to reconnectionDelayMax 4 s, ±50 %), each
attempt given up after the client's 8 s connect timeout. A stall cut is noticed 20–45 s after it began,
so a fixed 25–40 s cut would often end before the phone even knows it is offline. The test therefore
holds the cut until the page shows "opnieuw verbinden" (the ping timeout fired) and then until the page
made three reconnect attempts (the backoff reached its ceiling), and prints the times. Measured: noticed
after 44.7 s (the cut comes right after the handshake), attempts at 46.1, 55.9 and 67.3 s (each hangs
8 s on a stalled kept-alive connection, as it would on a dead Wi-Fi), healed at 67.4 s.

The issue's "two minutes" is the same test with the cut held for 120 s: RD_TWO_MINUTE_CUT=1 runs it.
It is a test rather than a benchmark because it is a yes/no check of exactly-once delivery, not a
measurement; it is opt-in because past the ping timeout and the backoff ceiling nothing changes for the
client (it retries every ~12 s: 8 s hanging, 4 s waiting), so 120 s costs CI another minute without exercising
any new code path. Measured: noticed after 44.9 s, attempts at 45.9, 56.0, 66.8, 78.8, 90.8, 102.8 and
114.9 s, healed at 120.0 s, all four texts stored once.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from facilitator.testing.clients import stored_contributions
from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import OpenedPage, wait_until
from tests.support.proxy import TcpProxy

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TWO_MINUTES = os.environ.get("RD_TWO_MINUTE_CUT") == "1"
#: Reconnect attempts the page must have made before the proxy heals: after 1, 2 and 4 s (the ceiling) of backoff.
RECONNECT_ATTEMPTS = 3
#: Longest a stall cut can go unnoticed by the page: ping_interval + ping_timeout, plus some slack.
NOTICE_WITHIN_S = 45 + 10

WHILE_AWAY = [
    "Een vaste plek waar ouders zonder afspraak binnen kunnen lopen",
    "Minder wisselingen van hulpverlener, één gezicht voor het gezin",
    "Dat school en wijkteam elkaars telefoonnummer gewoon hebben",
]


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[TcpProxy]:
    """A proxy in front of the module's server; phones reach the server only through it."""
    started = TcpProxy("127.0.0.1", live_server.port).start()
    try:
        yield started
    finally:
        started.stop()


def mine_item(page: Page, text: str) -> Any:
    """The entry under "Jouw bijdragen" whose text is exactly `text`."""
    return page.locator("#mine .mine-item").filter(has=page.get_by_text(text, exact=True))


def join_through(phone: Page, proxy: TcpProxy, code: str) -> str:
    """Join through the proxy with the real form; return the phone page's URL."""
    phone.goto(f"{proxy.url}/j/{code}")
    phone.get_by_role("button", name="Ik doe mee").click()
    expect(phone).to_have_url(re.compile(re.escape(proxy.url) + r"/p/[^/?#]+$"))
    expect(phone.locator(".status")).to_have_attribute("data-status", "connected")
    expect(phone.locator(".status-text")).to_have_text("verbonden")
    # "verbonden" comes with the socket; the question (and its answer box) with session_state just after.
    expect(phone.locator("#answer")).to_be_visible()
    return phone.url


def type_and_send(phone: Page, text: str) -> None:
    phone.locator("#answer").fill(text)
    phone.get_by_role("button", name="Versturen").click()
    expect(phone.locator("#answer")).to_have_value("")


def expect_sent_once(phone: Page, texts: list[str], timeout: float = 10_000) -> None:
    """Every text is listed exactly once, as "verstuurd", and nothing waits in the outbox."""
    expect(phone.locator("#mine .mine-item.pending")).to_have_count(0, timeout=timeout)
    for text in texts:
        expect(mine_item(phone, text)).to_have_count(1)
        expect(mine_item(phone, text).locator("small")).to_have_text("verstuurd")
        expect(mine_item(phone, text)).to_have_class(re.compile(r"\bsent\b"))
    expect(phone.locator(".status-text")).to_have_text("verbonden")


def is_handshake(url: str) -> bool:
    """Whether a request opens a new Socket.IO connection (a polling request without a session id)."""
    return "/socket.io/" in url and "transport=polling" in url and "sid=" not in url


def outbox(phone: Page, session_id: str) -> list[dict[str, Any]]:
    return phone.evaluate("(key) => JSON.parse(localStorage.getItem(key) || '[]')", f"rd-outbox-{session_id}")


def stored_texts(server: LiveServer, session_id: str) -> list[str]:
    return [c["text"] for c in stored_contributions(server.data_dir, session_id)]


def assert_no_script_trouble(*opened: OpenedPage) -> None:
    """No uncaught errors and no dialogs (failed connections do log console errors: that is the point here)."""
    for item in opened:
        assert item.watch.page_errors == [], item.watch.page_errors
        assert item.watch.dialogs == [], item.watch.dialogs


# The two-minute cut is collected only on request (RD_TWO_MINUTE_CUT=1): past the ping timeout and the backoff
# ceiling the phone just retries every ~12 s, so CI would pay another minute for no new code path.
@pytest.mark.parametrize(
    "hold_s",
    [pytest.param(0.0, id="until-noticed-and-backoff")]
    + ([pytest.param(120.0, id="two-minutes")] if TWO_MINUTES else []),
)
def test_outbox_delivers_what_was_written_while_cut_off_exactly_once(
    open_page: Callable[..., OpenedPage], live_server: LiveServer, proxy: TcpProxy, hold_s: float
) -> None:
    bijeenkomst = live_server.create_bijeenkomst("De wifi valt weg")
    session_id = bijeenkomst["id"]
    tab = open_page("phone")
    phone = tab.page
    join_through(phone, proxy, bijeenkomst["join_code"])
    before = "Eerst gewoon verstuurd, met verbinding"
    type_and_send(phone, before)
    expect_sent_once(phone, [before])

    # Every Socket.IO handshake the page starts from now on is a reconnect attempt.
    handshakes: list[float] = []
    phone.on("request", lambda request: handshakes.append(time.monotonic()) if is_handshake(request.url) else None)

    # The Wi-Fi drops out: the open WebSocket goes silent; the page does not know yet.
    proxy.cut("stall")
    cut_at = time.monotonic()
    for text in WHILE_AWAY:
        type_and_send(phone, text)
    expect(phone.locator("#mine .mine-item.pending")).to_have_count(3)
    for text in WHILE_AWAY:
        expect(mine_item(phone, text)).to_have_class(re.compile(r"\bpending\b"))
    assert [item["text"] for item in outbox(phone, session_id)] == WHILE_AWAY

    # Socket.IO's ping timeout notices; the phone says so and keeps the three queued.
    expect(phone.locator(".status")).to_have_attribute("data-status", "reconnecting", timeout=NOTICE_WITHIN_S * 1000)
    noticed_s = time.monotonic() - cut_at
    assert handshakes == []  # the page believed it was connected until now
    expect(phone.locator(".status-text")).to_have_text("opnieuw verbinden… 3 in wachtrij")
    # The reconnect backoff runs up to its ceiling (1, 2, then 4 s between attempts). Each attempt hangs
    # until the client's 8 s connect timeout: the browser tries its kept-alive connections first, and
    # those are stalled like everything else.
    wait_until(
        phone, lambda: len(handshakes) >= RECONNECT_ATTEMPTS, "three reconnect attempts", timeout=3 * (8 + 4 + 2)
    )
    if hold_s:
        phone.wait_for_timeout(max(0.0, hold_s - (time.monotonic() - cut_at)) * 1000)
    assert [item["text"] for item in outbox(phone, session_id)] == WHILE_AWAY
    assert stored_texts(live_server, session_id) == [before]  # nothing got through meanwhile
    cut_s = time.monotonic() - cut_at
    attempts = [round(moment - cut_at, 1) for moment in handshakes]
    print(f"cut noticed after {noticed_s:.1f} s; reconnect attempts at {attempts} s; healed after {cut_s:.1f} s; "
          f"{proxy.refused} new connections refused")

    proxy.heal()
    expect(phone.locator(".status")).to_have_attribute("data-status", "connected", timeout=10_000)
    expect_sent_once(phone, [before, *WHILE_AWAY])
    assert outbox(phone, session_id) == []
    # The stored data: exactly these four texts, each once (the first of the three may also have been
    # sent into the stalled connection; the proxy delivered those held bytes at the heal: still once).
    wait_until(phone, lambda: len(stored_texts(live_server, session_id)) >= 4, "four contributions stored")
    phone.wait_for_timeout(500)  # a late duplicate would land now
    assert sorted(stored_texts(live_server, session_id)) == sorted([before, *WHILE_AWAY])
    assert_no_script_trouble(tab)


def test_outbox_survives_a_reload_while_cut_off(
    open_page: Callable[..., OpenedPage], live_server: LiveServer, proxy: TcpProxy
) -> None:
    bijeenkomst = live_server.create_bijeenkomst("Herladen zonder netwerk")
    session_id = bijeenkomst["id"]
    tab = open_page("phone")
    phone = tab.page
    phone_url = join_through(phone, proxy, bijeenkomst["join_code"])

    # The access point restarts: every connection is reset and the page notices at once.
    proxy.cut("reset")
    expect(phone.locator(".status")).to_have_attribute("data-status", "reconnecting")
    text = "Geschreven zonder netwerk en daarna de pagina herladen"
    type_and_send(phone, text)
    expect(phone.locator(".status-text")).to_have_text("opnieuw verbinden… 1 in wachtrij")
    expect(mine_item(phone, text).locator("small")).to_have_text("in wachtrij, wordt verstuurd zodra er verbinding is")

    # The person reloads while still offline: the page itself cannot load; only localStorage remains.
    with pytest.raises(PlaywrightError):
        phone.reload()
    phone.wait_for_url(re.compile(r"^chrome-error://"))  # Chromium's error page is in; nothing of ours is left
    proxy.heal()
    phone.goto(phone_url)
    expect(phone.locator(".status")).to_have_attribute("data-status", "connected")
    expect_sent_once(phone, [text])
    assert outbox(phone, session_id) == []
    wait_until(phone, lambda: stored_texts(live_server, session_id) == [text], "the text stored")
    phone.wait_for_timeout(500)
    assert stored_texts(live_server, session_id) == [text]
    assert_no_script_trouble(tab)


def host_goes_to(server: LiveServer, session_id: str, item: int) -> None:
    """The facilitator's screen (straight to the server, not through the proxy) opens another agenda item."""
    import socketio

    host = socketio.Client(reconnection=False)
    host.connect(server.base_url, headers={"Cookie": f"rd_host={server.key}"}, transports=["websocket"], wait_timeout=10)
    try:
        assert host.call("join_session", {"session": session_id, "role": "host"}, timeout=10) == {"ok": True, "role": "host"}
        ack = host.call("go_to_phase", {"session": session_id, "item": item, "phase": 0}, timeout=10)
        assert ack == {"ok": True, "item": item, "phase": 0}, ack
    finally:
        host.disconnect()


def test_outbox_gives_back_what_was_written_for_a_question_closed_meanwhile(
    open_page: Callable[..., OpenedPage], live_server: LiveServer, proxy: TcpProxy
) -> None:
    bijeenkomst = live_server.create_bijeenkomst("De gespreksleider gaat door")
    session_id = bijeenkomst["id"]
    added = live_server.host_session().post(
        f"{live_server.base_url}/host/s/{session_id}/agenda", data={"workformat": "open_vraag"}, allow_redirects=False
    )
    assert added.status_code == 303, added.status_code
    tab = open_page("phone")
    phone = tab.page
    join_through(phone, proxy, bijeenkomst["join_code"])

    proxy.cut("reset")
    expect(phone.locator(".status")).to_have_attribute("data-status", "reconnecting")
    text = "Geschreven bij de eerste vraag, terwijl de verbinding weg was"
    type_and_send(phone, text)
    expect(phone.locator("#mine .mine-item.pending")).to_have_count(1)
    # Meanwhile the facilitator opens the second question (also an open question: the same kind of answer).
    host_goes_to(live_server, session_id, 1)
    proxy.heal()

    # Back online: not filed under the second question, but given back with a word of explanation.
    expect(phone.locator(".status")).to_have_attribute("data-status", "connected", timeout=10_000)
    expect(phone.locator("#mine .mine-item.pending")).to_have_count(0)
    expect(phone.locator("#answer")).to_have_value(text)
    expect(phone.locator("#error")).to_have_text(
        "Die vraag is inmiddels gesloten. Je tekst staat weer in het tekstvak: verstuur hem opnieuw als hij ook "
        "bij deze vraag past."
    )
    assert outbox(phone, session_id) == []
    phone.wait_for_timeout(500)
    assert stored_texts(live_server, session_id) == []
    assert_no_script_trouble(tab)
