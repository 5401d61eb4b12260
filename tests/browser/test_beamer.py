"""The beamer in Debian's Chromium at 1920x1080 against the real server, with phones as python-socketio clients.

- 30 open-vraag answers from 30 phones all lie inside the viewport with text of at least 24 px; 60 with at least
  18 px; the vier buffers, the board, the tables and the votes likewise fit (their sizes are written to
  tests/browser/artifacts/beamer-capacity.json); no button, input, select or textarea anywhere on the beamer.
- Moderation from the regie: A approves the next, a tap on "Goedkeuren" one, Shift+A all; a hidden one goes at
  once; letters do nothing while a button has the focus; G switches the large type; the beamer survives a
  reload. Neither the beamer's DOM nor any frame it received holds an unapproved, hidden or concealed text, a
  role code or an e-mail address.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import socketio
from playwright.sync_api import Page, Response, WebSocket, expect

from facilitator.core import services
from facilitator.core.domain import Perspective
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository
from facilitator.testing.answers import ANSWERS, MORE_ANSWERS
from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import REPO_ROOT, OpenedPage, Phone, assert_clean, screenshot, serving

pytestmark = pytest.mark.browser

BEAMER = {"width": 1920, "height": 1080}
WAIT = 10.0
QUESTION = "Wat houdt je bezig als je denkt aan de veerkracht van ouders?"
#: Canaries that read like what a room sends and a facilitator keeps off the wall (they show on the regie's
#: README screenshot); the bracketed tags make them unique.
PENDING = "Mijn buurvrouw Els weet er alles van [wacht-7f3a]"
HIDDEN = "Bel me gerust: 06-12345678 [verborgen-9c1e]"
CONCEALED = "NOG-NIET-ONTHULD-kanarie"
EMAIL = "kanarie-beamer@example.org"
PERSPECTIVES = ["ouder", "zorg", "onderwijs"]


@dataclass
class Room:
    server: LiveServer
    sessions: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (id, join code)
    #: The roddel item of the moderated bijeenkomst, for a role code.
    roddel_item: str = ""
    capacity: dict[str, Any] = field(default_factory=dict)


def _seed_cards(repo: Any, registry: Any, session_id: str, count: int, *, buckets: list[str] | None = None,
                kind: str | None = None, tags: list[str] | None = None, texts: list[str] | None = None) -> list[str]:
    """Store `count` contributions of the current step from as many phones at five tables (before the server runs)."""
    ids = []
    pool = texts or (ANSWERS + MORE_ANSWERS)
    for n in range(count):
        participant = services.join(repo, session_id, table=n % 5 + 1, perspective=Perspective(PERSPECTIVES[n % 3]))[0]
        contribution, _ = services.submit_contribution(
            repo, registry, session_id, participant, client_id=f"seed-{n:04d}", text=pool[n % len(pool)], kind=kind,
            bucket=buckets[n % len(buckets)] if buckets else None, tags=tags,
        )
        ids.append(contribution.id)
    return ids


def _seed(data_dir: Path) -> tuple[dict[str, tuple[str, str]], str]:
    """Write the bijeenkomsten the tests use before the server starts."""
    repo = TinyDBRepository(data_dir)
    registry = discover()
    made: dict[str, tuple[str, str]] = {}

    def new(name: str, **fields: Any) -> Any:
        session = services.create_session(repo, registry, title=f"Beamer {name}", series="Dialoogsessies", **fields)
        made[name] = (session.id, session.join_code)
        return session

    new("wall", prompt=QUESTION)
    services.set_tables(repo, made["wall"][0], ["Maan", "Zon", "Ster", "Wolk", "Regen"])

    moderated = new("moderated", prompt=QUESTION)
    services.update_agenda_item(repo, registry, moderated.id, moderated.agenda[0].id, {"approve_first": True})
    services.add_agenda_item(repo, registry, moderated.id, "open_vraag",
                             {"approve_first": True, "prompt": "En wat geeft je energie?"})
    roddel, _ = services.add_agenda_item(repo, registry, moderated.id, "roddelmethode", {})
    services.add_agenda_item(repo, registry, moderated.id, "open_vraag", {"hidden": {"antwoorden": True}})

    # The other werkvormen, each with what a room of 30 sends, straight into the store.
    buffers = new("buffers")
    services.add_agenda_item(repo, registry, buffers.id, "vier_buffers", {})
    services.go_to(repo, registry, buffers.id, 1, 1)
    bucket_ids = [b.id for b in registry.get("vier_buffers").buckets]
    _seed_cards(repo, registry, buffers.id, 30, buckets=bucket_ids, tags=["mens", "geven"])

    board = new("board", prompt=QUESTION)
    cards = _seed_cards(repo, registry, board.id, 30)
    item = board.agenda[0].id
    for number, name in enumerate(["Tijd en rust", "Samenwerking", "Steun en netwerk", "School", "Zorgen"]):
        services.edit_board(repo, registry, board.id, item, "add_theme", {"name": name, "cards": cards[number::5]})
    services.add_agenda_item(repo, registry, board.id, "rode_draden", {})
    services.go_to(repo, registry, board.id, 1, 1)

    votes = new("votes")
    options = ["Meer tijd voor gesprek", "Een vast aanspreekpunt", "Samen eten", "Minder formulieren", "Rust",
               "Buurtinitiatieven", "Kinderopvang", "Respijtzorg", "Lotgenotencontact", "Flexibel werk"]
    services.add_agenda_item(repo, registry, votes.id, "stemmen", {"options": options, "dots": 3})
    services.go_to(repo, registry, votes.id, 1, 0)
    for n in range(30):
        participant = services.join(repo, votes.id)[0]
        for dot in range(3):
            services.cast_vote(repo, registry, votes.id, participant, target=f"option-{(n + dot * 3) % 10 + 1}", on=True)

    tables = new("tables")
    services.set_tables(repo, tables.id, [f"Tafel {n}" for n in range(1, 9)])
    services.add_agenda_item(repo, registry, tables.id, "tafeladvies", {})
    services.go_to(repo, registry, tables.id, 1, 0)
    advice = ("Zorg voor één vast aanspreekpunt voor het gezin, dat de school, de huisarts en het wijkteam "
              "kent en dat ouders zelf kunnen bellen, zonder verwijzing of wachtlijst.")
    for table in range(1, 9):
        phone = services.join(repo, tables.id, table=table)[0]
        services.save_table_draft(repo, registry, tables.id, phone, kind="advies", slot=1, text=advice, base_version=0)
        services.submit_table_drafts(repo, registry, tables.id, phone, kind="advies")
    return made, roddel.id


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    data_dir = tmp_path_factory.mktemp("beamer-data")
    sessions, roddel = _seed(data_dir)
    with serving(data_dir) as server:
        made = Room(server=server, sessions=sessions, roddel_item=roddel)
        yield made
    if made.capacity:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "beamer-capacity.json").write_text(
            json.dumps(made.capacity, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


class Frames:
    """Everything the server sent a page over Socket.IO: websocket frames and long-polling answers."""

    def __init__(self, page: Page) -> None:
        self.texts: list[str] = []
        self._responses: list[Response] = []
        page.on("websocket", self._socket)
        page.on("response", lambda r: self._responses.append(r) if "/socket.io/" in r.url else None)

    def _socket(self, socket: WebSocket) -> None:
        socket.on("framereceived", lambda payload: self.texts.append(payload if isinstance(payload, str) else ""))

    def everything(self) -> str:
        bodies = []
        for response in self._responses:
            try:
                bodies.append(response.text())
            except Exception:  # noqa: BLE001 - a long-poll cut off by the upgrade has no body to read
                continue
        return "\n".join(self.texts + bodies)


ARTIFACTS = REPO_ROOT / "tests/browser/artifacts"


def artifact(page: Page, name: str) -> None:
    """Save a screenshot for whoever checks the run (the README's come from screenshot(), see helpers.py)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), animations="disabled", caret="hide")


def sign_in(page: Page, room: Room) -> None:
    page.goto(f"{room.server.base_url}/host/login?key={room.server.key}")


def open_beamer(open_page: Callable[..., OpenedPage], room: Room, name: str) -> tuple[OpenedPage, Page, Frames]:
    tab = open_page("host", f"beamer {name}", viewport=BEAMER)
    page = tab.page
    frames = Frames(page)
    sign_in(page, room)
    page.goto(f"{room.server.base_url}/host/s/{room.sessions[name][0]}/beamer")
    return tab, page, frames


def settled(page: Page) -> None:
    """Wait until the beamer drew what it has (the fit runs in an animation frame)."""
    expect(page.locator("#stage")).to_have_attribute("data-fs", re.compile(r"^\d+$"))
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def card_boxes(page: Page, selector: str = ".bcard") -> list[dict[str, float]]:
    """Return each card's box and its text's computed font size."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map((card) => {
            const box = card.getBoundingClientRect();
            const text = card.querySelector('.bcard-text') || card;
            return {x: box.left, y: box.top, right: box.right, bottom: box.bottom,
                    size: parseFloat(getComputedStyle(text).fontSize), text: text.textContent,
                    visible: box.width > 0 && box.height > 0};
        })""",
        selector,
    )


def assert_all_inside(page: Page, boxes: list[dict[str, float]], min_size: float) -> float:
    """Every box lies inside the viewport and its text is at least min_size px; return the smallest size."""
    width, height = BEAMER["width"], BEAMER["height"]
    outside = [b["text"] for b in boxes
               if not b["visible"] or b["x"] < 0 or b["y"] < 0 or b["right"] > width or b["bottom"] > height]
    assert outside == [], f"cards outside the 1920x1080 viewport: {outside}"
    small = [(b["text"], b["size"]) for b in boxes if b["size"] < min_size]
    assert small == [], f"text under {min_size} px: {small}"
    assert page.locator("#stage").get_attribute("data-dropped") == "0"
    return min(b["size"] for b in boxes)


def no_controls(page: Page) -> None:
    assert page.locator("button, input, select, textarea, form").count() == 0
    # No scrolling either: the page is exactly the screen.
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight && "
                         "document.documentElement.scrollWidth <= innerWidth")


# -- fitting the room ----------------------------------------------------------------------------------


def test_thirty_and_sixty_answers_fit_a_1920x1080_beamer(
    open_page: Callable[..., OpenedPage], room: Room, phones: Callable[..., Phone]
) -> None:
    meeting = room.sessions["wall"]
    tab, page, frames = open_beamer(open_page, room, "wall")
    expect(page.locator("#beamer")).to_have_attribute("data-qr", "large")  # nobody answered yet: join
    expect(page.locator(".stage-message")).to_have_text("Nog geen bijdragen. Scan de QR-code en doe mee.")
    expect(page.locator("#beamer-prompt")).to_have_text(QUESTION)
    artifact(page, "beamer-join.png")
    for n, text in enumerate(ANSWERS):
        phones(room.server, meeting, table=n % 5 + 1, perspective=PERSPECTIVES[n % 3]).send(text)
    expect(page.locator(".bcard")).to_have_count(30)
    expect(page.locator("#beamer")).to_have_attribute("data-qr", "small")
    settled(page)
    size30 = assert_all_inside(page, card_boxes(page), 24)
    no_controls(page)
    # Six at each table, two of each perspective per table: the table shows, the perspective never does.
    metas = page.locator(".bcard-meta").all_text_contents()
    assert len(metas) == 30 and all(m.split(" · ")[-1] in {"Maan", "Zon", "Ster", "Wolk", "Regen"} for m in metas)
    screenshot(page, "beamer.png")  # the README's

    for n, text in enumerate(MORE_ANSWERS):
        phones(room.server, meeting, table=n % 5 + 1, perspective=PERSPECTIVES[n % 3]).send(text)
    expect(page.locator(".bcard")).to_have_count(60)
    settled(page)
    size60 = assert_all_inside(page, card_boxes(page), 18)
    artifact(page, "beamer-60.png")
    room.capacity["open_vraag"] = {"30 answers": f"{size30:g} px", "60 answers": f"{size60:g} px"}

    # A reload draws the same 60 again.
    page.reload()
    expect(page.locator(".bcard")).to_have_count(60)
    settled(page)
    assert_all_inside(page, card_boxes(page), 18)
    assert "seed" not in frames.everything()
    assert_clean(tab, base_url=room.server.base_url)


@pytest.mark.parametrize(
    "name, display, cards",
    [("buffers", "quadrants", 30), ("board", "board", 30), ("tables", "per_table", 8), ("votes", "votes", 10)],
)
def test_every_display_fits_what_a_room_sends(
    open_page: Callable[..., OpenedPage], room: Room, name: str, display: str, cards: int
) -> None:
    tab, page, _frames = open_beamer(open_page, room, name)
    expect(page.locator("#beamer")).to_have_attribute("data-display", display)
    selector = ".vote-row" if display == "votes" else ".bcard"
    expect(page.locator(selector)).to_have_count(cards)
    settled(page)
    size = assert_all_inside(page, card_boxes(page, selector), 20)
    no_controls(page)
    artifact(page, f"beamer-{name}.png")
    room.capacity[display] = {f"{cards} {'options' if display == 'votes' else 'cards'}": f"{size:g} px"}
    assert_clean(tab, base_url=room.server.base_url)


# -- moderation from the regie ------------------------------------------------------------------------


def test_the_regie_moderates_what_the_beamer_shows(
    open_page: Callable[..., OpenedPage], room: Room, phones: Callable[..., Phone]
) -> None:
    meeting = room.sessions["moderated"]
    session_id = meeting[0]
    regie_tab = open_page("host", "regie")
    regie = regie_tab.page
    sign_in(regie, room)
    regie.goto(f"{room.server.base_url}/host/s/{session_id}")
    expect(regie.locator(".status")).to_have_attribute("data-status", "connected")
    beamer_tab, beamer, frames = open_beamer(open_page, room, "moderated")
    settled(beamer)

    # The regie opens the beamer in a window of its own.
    with regie.expect_popup() as popup:
        regie.locator("#open-beamer").click()
    opened = popup.value
    assert opened.url.endswith(f"/host/s/{session_id}/beamer")
    opened.close()

    writers = [phones(room.server, meeting, table=1, perspective="ouder") for _ in range(4)]
    writers[0].send("Eerste antwoord")
    writers[1].send("Tweede antwoord")
    writers[2].send(PENDING)
    hidden = writers[3].send(HIDDEN)
    expect(regie.locator("#approval-count")).to_have_text("4 bijdragen wachten op goedkeuring voor de beamer")
    expect(regie.locator("#wall .card.pending")).to_have_count(4)
    expect(beamer.locator(".stage-message")).to_be_visible()
    expect(beamer.locator("#beamer")).to_have_attribute("data-qr", "large")

    # A letter does nothing while a button has the focus.
    regie.locator("#beamer-large").focus()
    regie.keyboard.press("a")
    regie.wait_for_timeout(300)
    expect(regie.locator("#approval-count")).to_have_text("4 bijdragen wachten op goedkeuring voor de beamer")
    # A on the page approves the oldest waiting one.
    regie.locator("body").click(position={"x": 5, "y": 5})
    regie.keyboard.press("a")
    expect(beamer.locator(".bcard-text")).to_have_text(["Eerste antwoord"])
    expect(beamer.locator("#beamer")).to_have_attribute("data-qr", "small")
    expect(regie.locator("#approval-count")).to_have_text("3 bijdragen wachten op goedkeuring voor de beamer")
    # A tap on its own button approves one.
    regie.locator("#wall .card", has_text="Tweede antwoord").get_by_role("button", name="Goedkeuren").click()
    expect(beamer.locator(".bcard-text")).to_have_text(["Tweede antwoord", "Eerste antwoord"])
    # Hidden on the regie: it never reaches the beamer, even when "alles goedkeuren" comes later.
    regie.locator("#wall .card", has_text=HIDDEN).get_by_role("button", name="Verbergen").click()
    expect(regie.locator("#approval-count")).to_have_text("1 bijdrage wacht op goedkeuring voor de beamer")
    # Hiding an approved one takes it off the beamer at once.
    regie.locator("#wall .card", has_text="Eerste antwoord").get_by_role("button", name="Verbergen").click()
    expect(beamer.locator(".bcard-text")).to_have_text(["Tweede antwoord"])
    screenshot(regie, "regie.png")  # the README's

    # The next question: Shift+A approves everything that waits there.
    regie.locator("body").click(position={"x": 5, "y": 5})
    regie.keyboard.press("ArrowRight")
    expect(beamer.locator("#beamer-prompt")).to_have_text("En wat geeft je energie?")
    writers[0].send("Wandelen")
    writers[1].send("Muziek")
    expect(regie.locator("#approval-count")).to_have_text("2 bijdragen wachten op goedkeuring voor de beamer")
    regie.keyboard.press("Shift+A")
    expect(beamer.locator(".bcard-text")).to_have_text(["Muziek", "Wandelen"])
    expect(regie.locator("#approval-count")).to_have_text("Alles is goedgekeurd.")

    # Large type for a big room: G on the regie, and every beamer follows.
    size_before = float(beamer.locator("#stage").get_attribute("data-fs") or 0)
    regie.keyboard.press("g")
    expect(beamer.locator("#beamer")).to_have_attribute("data-large", "true")
    expect(regie.locator("#beamer-large")).to_have_attribute("aria-pressed", "true")
    settled(beamer)
    assert float(beamer.locator("#stage").get_attribute("data-fs") or 0) >= max(30.0, size_before)
    artifact(beamer, "beamer-large.png")
    regie.keyboard.press("g")
    expect(beamer.locator("#beamer")).to_have_attribute("data-large", "false")

    # A role code on the regie, the verslag's opt-in address, an answer that waits for its reveal.
    host = socketio.Client(reconnection=False)
    host.connect(room.server.base_url, headers={"Cookie": f"rd_host={room.server.key}"}, transports=["websocket"])
    assert host.call("join_session", {"session": session_id, "role": "host"}, timeout=WAIT)["ok"] is True
    code = host.call("create_role_code", {"session": session_id, "role": "inbrenger", "item": room.roddel_item},
                     timeout=WAIT)["code"]
    assert host.call("set_closing", {"session": session_id, "closing": True}, timeout=WAIT)["ok"] is True
    assert writers[0].call("request_verslag", email=EMAIL, consent=True)["ok"] is True
    assert host.call("go_to_phase", {"session": session_id, "item": 3, "phase": 0}, timeout=WAIT)["ok"] is True
    writers[1].send(CONCEALED)
    expect(beamer.locator(".stage-count")).to_have_text("1")
    expect(regie.locator("#concealed-count")).to_have_text("1")
    host.disconnect()

    # The beamer reloads: the same state, and still nothing it may not show.
    beamer.reload()
    expect(beamer.locator(".stage-count")).to_have_text("1")
    regie.locator("#agenda-list .step").nth(1).click()
    expect(beamer.locator("#beamer-prompt")).to_have_text("En wat geeft je energie?")
    expect(beamer.locator(".bcard-text")).to_have_text(["Muziek", "Wandelen"])
    regie.locator("#agenda-list .step").nth(0).click()
    expect(beamer.locator(".bcard-text")).to_have_text(["Tweede antwoord"])
    no_controls(beamer)

    # Not even the id of the hidden one (the first was shown, then hidden: its id came to take it back).
    forbidden = [PENDING, HIDDEN, "06-12345678", CONCEALED, EMAIL, code, hidden, room.server.key]
    dom = beamer.content()
    assert [word for word in forbidden if word in dom] == []
    everything = frames.everything()
    assert "Tweede antwoord" in everything  # the frames were recorded
    assert [word for word in forbidden if word in everything] == []
    assert_clean(regie_tab, beamer_tab, base_url=room.server.base_url)
