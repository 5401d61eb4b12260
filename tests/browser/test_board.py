"""The rode-draden board against the real server: three phones answer an open question, the facilitator opens
the board ("Rode draden"), lets the clusterer propose two themes, names them, drags a card with the mouse,
undoes it, writes the rode draad; a second host screen follows without a reload. Then the agenda moves on to
the werkvorm rode draden: phones place their own answers under a theme (or propose one) and the board shows it.

Every change is checked where it is stored: the bijeenkomst's own files, read back with the storage codec.
Screenshots: ``board-host.png`` (1280x800), ``board-display.png`` and ``board-place-phone.png`` (360x740).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import socketio
from playwright.sync_api import Locator, Page, expect

from facilitator.core import services
from facilitator.core.domain import Board
from facilitator.core.registry import discover
from facilitator.storage.codec import board_from_doc
from facilitator.storage.tinydb_store import TinyDBRepository, read_session_data
from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import OpenedPage, assert_clean, boxes, screenshot, serving, wait_until

pytestmark = pytest.mark.browser

HOST = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
TABLES = ["Tafel Noord", "Tafel Zuid", "Tafel Oost"]
TRUST = [
    "Ouders willen meer vertrouwen en contact met de school",
    "Vertrouwen tussen ouders en school groeit door vaker contact",
    "Zonder vertrouwen komt het contact met ouders niet op gang",
]
WAIT = [
    "De wachtlijsten in de jeugdzorg zijn veel te lang",
    "Kinderen wachten maanden op hulp door de wachtlijsten",
    "Lange wachtlijsten kosten kinderen kostbare tijd",
]
#: Who sends what: (table, perspective on the join page, answers).
PHONES = [(1, "Ouder", TRUST[:2]), (2, "Zorgprofessional", [TRUST[2], WAIT[0]]), (3, "Onderwijsprofessional", WAIT[1:])]
TRUST_NAME = "Vertrouwen en contact"
WAIT_NAME = "Wachtlijsten"
PROPOSED = "Tijd voor gesprek"
HOSTILE = '<img src=x onerror="alert(1)"> & <b>vet</b>'
RODE_DRAAD = "Vertrouwen groeit door contact, maar wachtlijsten zetten het onder druk."


@dataclass
class Room:
    server: LiveServer
    session_id: str
    join_code: str
    source_item: str  # the open question, whose answers the board sorts
    board_item: str  # the werkvorm rode draden


@pytest.fixture
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    """A bijeenkomst with three named tables: an open question, then rode draden (source: the previous item)."""
    data_dir = tmp_path_factory.mktemp("board-data")
    repo = TinyDBRepository(data_dir)
    registry = discover()
    session = services.create_session(repo, registry, title="Rode draden zoeken", series="Dialoogsessies Jeugd")
    services.set_tables(repo, session.id, TABLES)
    services.add_agenda_item(repo, registry, session.id, "rode_draden", {})
    services.go_to(repo, registry, session.id, 0, 0)
    agenda = repo.get_session(session.id).agenda
    with serving(data_dir) as server:
        yield Room(server, session.id, session.join_code, agenda[0].id, agenda[1].id)


# -- helpers ---------------------------------------------------------------------------------------


def stored_board(room: Room) -> Board | None:
    """Read the open question's board from the bijeenkomst's own files (snapshot plus journal)."""
    data, _records = read_session_data(room.server.data_dir / "sessions" / f"{room.session_id}.json")
    for doc in data.get("boards", {}).values():
        board = board_from_doc(doc)
        if board.agenda_item_id == room.source_item:
            return board
    return None


def stored_ids(room: Room) -> dict[str, str]:
    """Return contribution text -> id, from the stored files."""
    data, _records = read_session_data(room.server.data_dir / "sessions" / f"{room.session_id}.json")
    return {doc["text"]: doc["id"] for doc in data.get("contributions", {}).values()}


def phone_sends(room: Room, texts: list[str], **fields: object) -> list[str]:
    """A phone without a browser (python-socketio, the phones' protocol): join, send, leave; return the ids."""
    token = room.server.join_phone(room.join_code, **fields)
    client = socketio.Client(reconnection=False)
    client.connect(room.server.base_url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
    try:
        joined = client.call("join_session", {"session": room.session_id, "role": "participant"}, timeout=10)
        assert joined == {"ok": True, "role": "participant"}
        sent = []
        for text in texts:
            client_id = f"t-{uuid.uuid4().hex[:16]}"
            ack = client.call("submit_contribution", {"session": room.session_id, "client_id": client_id, "text": text}, timeout=10)
            assert ack == {"ok": True, "id": client_id}, ack
            sent.append(client_id)
        return sent
    finally:
        client.disconnect()


def layout(board: Board | None) -> list[tuple[str, tuple[str, ...]]]:
    return [(t.name, t.cards) for t in board.themes] if board else []


def join(page: Page, room: Room, tafel: int, perspective: str) -> None:
    page.goto(f"{room.server.base_url}/j/{room.join_code}?tafel={tafel}")
    page.get_by_role("radio", name=perspective, exact=True).check()
    page.get_by_role("button", name="Ik doe mee").click()
    expect(page.locator(".status")).to_have_attribute("data-status", "connected")
    expect(page.locator("#my-table")).to_have_text(TABLES[tafel - 1])


def send_answer(page: Page, text: str) -> None:
    page.locator("#answer").fill(text)
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#mine .mine-item.sent").filter(has=page.get_by_text(text, exact=True))).to_have_count(1)


def open_host(open_page: Callable[..., OpenedPage], room: Room, name: str) -> OpenedPage:
    tab = open_page("host", name, viewport=HOST)
    tab.page.goto(f"{room.server.base_url}/host/login?key={room.server.key}")
    tab.page.goto(f"{room.server.base_url}/host/s/{room.session_id}")
    expect(tab.page.locator(".status")).to_have_attribute("data-status", "connected")
    return tab


def column(page: Page, text: str) -> Locator:
    """The theme column holding a card with this text."""
    return page.locator(".board-column.theme").filter(has=page.locator(".card-text", has_text=re.compile(f"^{re.escape(text)}$")))


def named(page: Page, name: str) -> Locator:
    return page.locator(".board-column.theme").filter(has=page.locator(".theme-name", has_text=re.compile(f"^{re.escape(name)}$")))


def drag(page: Page, source: Locator, target: Locator) -> None:
    """Drag a card onto the lower half of another card (so it lands after it), with real pointer events and
    intermediate moves, as SortableJS needs."""
    target.scroll_into_view_if_needed()
    source.scroll_into_view_if_needed()
    box, goal = boxes(page, source, target)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 15)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 10, box["y"] + 25, steps=5)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] * 0.75, steps=20)
    page.mouse.move(goal["x"] + goal["width"] / 2 + 4, goal["y"] + goal["height"] * 0.8, steps=5)
    page.mouse.up()


# -- the test --------------------------------------------------------------------------------------


def test_board_sorts_drags_undoes_and_phones_place(open_page: Callable[..., OpenedPage], room: Room) -> None:
    base_url = room.server.base_url
    host_tab = open_host(open_page, room, "host")
    host = host_tab.page
    phone_tabs = [open_page("phone", f"phone {n}", viewport=PHONE) for n in (1, 2, 3)]
    phones = [tab.page for tab in phone_tabs]

    # -- three phones answer the open question ------------------------------------------------------
    for page, (tafel, perspective, _answers) in zip(phones, PHONES, strict=True):
        join(page, room, tafel, perspective)
    for page, (_tafel, _perspective, answers) in zip(phones, PHONES, strict=True):
        for text in answers:
            send_answer(page, text)
    expect(host.locator("#wall .card")).to_have_count(6)
    ids = stored_ids(room)
    assert set(ids) == set(TRUST + WAIT)

    # -- the host opens the board: everything still unsorted, in arrival order ---------------------
    host.get_by_role("button", name="Rode draden", exact=True).click()
    panel = host.locator("#board-panel")
    expect(panel).to_be_visible()
    expect(host.locator(".host-grid")).to_be_hidden()
    expect(host.locator("#board-item option:checked")).to_have_text("1. Open vraag")
    unsorted = panel.locator(".board-column.unsorted")
    expect(unsorted.locator(".theme-title")).to_have_text("Nog niet ingedeeld (6)")
    expect(unsorted.locator(".card-text")).to_have_text(TRUST[:2] + [TRUST[2], WAIT[0]] + WAIT[1:])
    expect(unsorted.locator(".board-card-where").first).to_have_text("Tafel Noord · ouder")
    expect(panel.get_by_role("button", name="Sorteer de rest")).to_be_disabled()  # no themes yet
    expect(panel.get_by_role("button", name="Ongedaan maken")).to_be_disabled()

    # -- "Stel thema's voor" with two themes: the two obvious groups, and the "few" warning ---------
    panel.get_by_label("Aantal thema's").fill("2")
    panel.get_by_role("button", name="Stel thema's voor").click()
    themes = panel.locator(".board-column.theme")
    expect(themes).to_have_count(2)
    expect(panel.locator(".board-warning")).to_have_text("Minder dan 3 thema's: zijn dit echt verschillende rode draden?")
    expect(unsorted.locator(".board-card")).to_have_count(0)
    expect(column(host, TRUST[0]).locator(".board-card")).to_have_count(3)
    assert sorted(column(host, TRUST[0]).locator(".card-text").all_text_contents()) == sorted(TRUST)
    assert sorted(column(host, WAIT[0]).locator(".card-text").all_text_contents()) == sorted(WAIT)
    expect(themes.locator(".theme-origin")).to_have_text(["voorstel · nog niet op telefoons"] * 2)
    # A proposal reads as one: italic until accepted or edited; never a pair of stems.
    expect(themes.locator(".theme-name.is-proposal")).to_have_count(2)
    assert not any("·" in name for name in themes.locator(".theme-name").all_text_contents())
    expect(column(host, TRUST[0]).locator(".theme-provenance")).to_have_text("1 ouder · 1 zorg · Tafel Noord, Tafel Zuid")
    expect(column(host, WAIT[0]).locator(".theme-provenance")).to_have_text("1 zorg · 1 onderwijs · Tafel Zuid, Tafel Oost")
    wait_until(host, lambda: len(layout(stored_board(room))) == 2, "two stored themes")
    suggested = stored_board(room)
    assert suggested is not None
    by_cards = {frozenset(t.cards): t for t in suggested.themes}
    assert set(by_cards) == {frozenset(ids[t] for t in TRUST), frozenset(ids[t] for t in WAIT)}
    assert [t.origin for t in suggested.themes] == ["suggestion", "suggestion"]
    # Nobody chose these names (the clusterer made them of the answers): each offers "Naam goedkeuren", and none
    # may go into the series' terugblik yet.
    assert [t.accepted for t in suggested.themes] == [False, False]
    expect(themes.get_by_role("button", name="Naam goedkeuren")).to_have_count(2)

    # -- name both themes inline (click, type, Enter) ------------------------------------------------
    for text, name in ((TRUST[0], TRUST_NAME), (WAIT[0], WAIT_NAME)):
        column(host, text).locator(".theme-name").click()
        field = panel.locator(".theme-rename")
        expect(field).to_be_focused()
        field.fill(name)
        field.press("Enter")
        expect(column(host, text).locator(".theme-name")).to_have_text(name)
    wait_until(host, lambda: sorted(n for n, _c in layout(stored_board(room))) == sorted([TRUST_NAME, WAIT_NAME]), "names")
    named_board = stored_board(room)
    assert named_board is not None and all(t.accepted for t in named_board.themes)  # renaming accepts a name
    expect(themes.get_by_role("button", name="Naam goedkeuren")).to_have_count(0)
    expect(themes.locator(".theme-name.is-proposal")).to_have_count(0)
    expect(themes.locator(".theme-origin")).to_have_count(0)
    before_drag = {t.name: t.cards for t in named_board.themes}

    # -- a second host screen follows every change without a reload ---------------------------------
    second_tab = open_host(open_page, room, "second host")
    second = second_tab.page
    second.locator("body").click(position={"x": 5, "y": 5})
    second.keyboard.press("b")
    expect(second.locator("#board-panel")).to_be_visible()
    expect(named(second, TRUST_NAME).locator(".board-card")).to_have_count(3)

    # -- drag one waiting-list card onto the trust column with the mouse ----------------------------
    moved = WAIT[2]
    drag(host, named(host, WAIT_NAME).locator(".board-card", has_text=moved), named(host, TRUST_NAME).locator(".board-card").last)
    expect(named(host, TRUST_NAME).locator(".board-card")).to_have_count(4)
    expect(named(host, WAIT_NAME).locator(".card-text")).not_to_contain_text([moved])
    expect(named(host, WAIT_NAME).locator(".board-card")).to_have_count(2)
    expected_after = {
        TRUST_NAME: (*before_drag[TRUST_NAME], ids[moved]),
        WAIT_NAME: tuple(card for card in before_drag[WAIT_NAME] if card != ids[moved]),
    }
    wait_until(host, lambda: dict(layout(stored_board(room))) == expected_after, expected_after)
    after = stored_board(room)
    assert after is not None and after.theme_of(ids[moved]) == next(t.id for t in after.themes if t.name == TRUST_NAME)
    expect(named(second, TRUST_NAME).locator(".card-text").last).to_have_text(moved)
    expect(named(second, WAIT_NAME).locator(".board-card")).to_have_count(2)

    # -- undo puts it back, on both screens and in the files -----------------------------------------
    undo = panel.get_by_role("button", name="Ongedaan maken")
    expect(undo).to_be_enabled()
    undo.click()
    wait_until(host, lambda: dict(layout(stored_board(room))) == before_drag, before_drag)
    expect(named(host, WAIT_NAME).locator(".board-card")).to_have_count(3)
    expect(named(second, WAIT_NAME).locator(".board-card")).to_have_count(3)
    expect(named(second, TRUST_NAME).locator(".card-text")).not_to_contain_text([moved])

    # -- the rode draad: saved after a pause in typing, shown on the other screen --------------------
    panel.get_by_label("De rode draad").fill(RODE_DRAAD)
    wait_until(host, lambda: (stored_board(room) or Board("")).rode_draad == RODE_DRAAD, "rode draad saved")
    expect(second.get_by_label("De rode draad")).to_have_value(RODE_DRAAD)
    host.locator(".board-panel-title").click()
    host.evaluate("() => document.querySelectorAll('.board-list').forEach((list) => { list.scrollTop = 0; })")
    host.evaluate("() => window.scrollTo(0, document.getElementById('board-panel').offsetTop)")
    screenshot(host, "board-host.png")

    # -- Esc closes the board; the agenda moves on to rode draden (meesorteren) ----------------------
    host.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    host.locator("body").click(position={"x": 5, "y": 5})
    host.keyboard.press("ArrowRight")
    expect(host.locator("#phase-title")).to_have_text("Meesorteren")
    display = host.locator("#display-other .board")
    expect(display).to_be_visible()
    expect(display.locator(".theme-name")).to_have_text([t.name for t in named_board.themes])

    # -- phone 2 places its waiting-list answer under trust; phone 3 proposes a theme ---------------
    phone2, phone3 = phones[1], phones[2]
    expect(phone2.locator("#prompt")).to_have_text(
        "Waar hoort jouw bijdrage bij? Kies een thema of stel een nieuw thema voor."
    )
    cards2 = phone2.locator(".place-item")
    expect(cards2.locator(".place-text")).to_have_text([TRUST[2], WAIT[0]])
    expect(cards2.nth(0).locator(".place-question")).to_have_text("Waar hoort jouw bijdrage bij?")
    expect(cards2.nth(1).locator(".place-theme-name")).to_have_text([t.name for t in named_board.themes])
    expect(cards2.nth(1).locator(".place-theme[aria-pressed=true] .place-theme-name")).to_have_text(WAIT_NAME)
    cards2.nth(1).get_by_role("button", name=re.compile(f"^{TRUST_NAME}")).click()
    expect(cards2.nth(1).locator(".place-theme[aria-pressed=true] .place-theme-name")).to_have_text(TRUST_NAME)
    expect(cards2.nth(1).locator(".place-saved")).to_have_text(f"Bewaard onder: {TRUST_NAME}")
    expect(named(host, TRUST_NAME).locator(".card-text").last).to_have_text(WAIT[0])
    expect(named(host, WAIT_NAME).locator(".board-card")).to_have_count(2)
    trust_id = next(t.id for t in named_board.themes if t.name == TRUST_NAME)
    wait_until(host, lambda: (stored_board(room) or Board("")).theme_of(ids[WAIT[0]]) == trust_id, "placed")

    card3 = phone3.locator(".place-item").filter(has=phone3.get_by_text(WAIT[1], exact=True))
    card3.get_by_role("button", name="Nieuw thema voorstellen").click()
    card3.get_by_label("Naam van je thema").fill(PROPOSED)
    card3.get_by_role("button", name="Voorstellen", exact=True).click()
    expect(card3.locator(".place-theme[aria-pressed=true] .place-theme-name")).to_have_text(PROPOSED)
    proposed = named(host, PROPOSED)
    expect(proposed.locator(".card-text")).to_have_text([WAIT[1]])
    expect(proposed.locator(".theme-origin")).to_have_text("voorgesteld door deelnemer")
    expect(cards2.nth(0).locator(".place-theme-name")).to_have_text([TRUST_NAME, WAIT_NAME, PROPOSED])
    final = stored_board(room)
    assert final is not None
    assert [(t.name, t.origin, t.cards) for t in final.themes][-1] == (PROPOSED, "participant", (ids[WAIT[1]],))
    # The facilitator approves the phone's name as it is: now it may go into the terugblik.
    assert not final.themes[-1].accepted
    proposed.get_by_role("button", name="Naam goedkeuren").click()
    wait_until(host, lambda: (stored_board(room) or Board("")).themes[-1].accepted, "approved")
    expect(proposed.get_by_role("button", name="Naam goedkeuren")).to_have_count(0)

    # A phone that sent nothing on the open question is told so, plainly.
    late_tab = open_page("phone", "late phone", viewport=PHONE)
    join(late_tab.page, room, 1, "Ouder")
    expect(late_tab.page.locator("#place-empty")).to_have_text(
        "Je hebt bij dit onderdeel niets ingestuurd. Kijk mee op het scherm."
    )
    expect(late_tab.page.locator(".place-item")).to_have_count(0)
    phone_tabs.append(late_tab)

    phone2.evaluate("() => window.scrollTo(0, 0)")
    screenshot(phone2, "board-place-phone.png")
    host.evaluate("() => window.scrollTo(0, document.querySelector('.wall-panel').offsetTop)")
    screenshot(host, "board-display.png")
    assert_clean(host_tab, second_tab, *phone_tabs, base_url=base_url)


def test_board_split_reorder_merge_remove_and_undo(open_page: Callable[..., OpenedPage], room: Room) -> None:
    host_tab = open_host(open_page, room, "host")
    host = host_tab.page
    trust = phone_sends(room, TRUST, table=1, perspective="ouder")
    [wait, hostile] = phone_sends(room, [WAIT[0], HOSTILE], table=2, perspective="zorg")
    expect(host.locator("#wall .card")).to_have_count(5)

    # B opens the board; participant text is text, never markup.
    host.locator("body").click(position={"x": 5, "y": 5})
    host.keyboard.press("b")
    panel = host.locator("#board-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".board-card", has_text="vet").locator(".card-text")).to_have_text(HOSTILE)
    expect(panel.locator(".board-card img, .board-card b")).to_have_count(0)

    # "+ Thema" opens the new theme's name at once; every card goes there with "Verplaats naar…".
    panel.get_by_role("button", name="+ Thema").click()
    field = panel.locator(".theme-rename")
    expect(field).to_be_focused()
    field.fill("Alles")
    field.press("Enter")
    for text in [*TRUST, WAIT[0], HOSTILE]:
        panel.locator(".board-card", has_text=text).locator(".card-move").select_option(label="Alles")
    expect(named(host, "Alles").locator(".board-card")).to_have_count(5)
    expect(panel.locator(".board-column.unsorted .theme-title")).to_have_text("Nog niet ingedeeld (0)")
    wait_until(host, lambda: layout(stored_board(room)) == [("Alles", (*trust, wait, hostile))], "all on Alles")

    # Split: pick two cards, make a theme of them, name it.
    named(host, "Alles").get_by_role("button", name="Splitsen").click()
    make = panel.get_by_role("button", name="Maak nieuw thema van selectie")
    expect(make).to_be_disabled()
    named(host, "Alles").locator(".board-card", has_text=WAIT[0]).click()
    named(host, "Alles").locator(".board-card", has_text="vet").press("Enter")
    expect(named(host, "Alles").locator(".board-card.selected")).to_have_count(2)
    host.evaluate("() => window.scrollTo(0, document.getElementById('board-panel').offsetTop)")
    screenshot(host, "board-split.png")
    make.click()
    field = panel.locator(".theme-rename")
    expect(field).to_be_focused()
    field.fill("Wachten")
    field.press("Enter")
    expect(panel.locator(".theme-name")).to_have_text(["Alles", "Wachten"])
    wait_until(
        host, lambda: layout(stored_board(room)) == [("Alles", tuple(trust)), ("Wachten", (wait, hostile))], "split"
    )

    # Reorder: drag the header of "Wachten" before "Alles".
    source = named(host, "Wachten").locator(".theme-count")
    target = named(host, "Alles").locator(".theme-header")
    box, goal = boxes(host, source, target)
    host.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    host.mouse.down()
    host.mouse.move(box["x"] - 10, box["y"] + 5, steps=5)
    host.mouse.move(goal["x"] + 20, goal["y"] + goal["height"] / 2, steps=20)
    host.mouse.move(goal["x"] + 10, goal["y"] + goal["height"] / 2, steps=5)
    host.mouse.up()
    expect(panel.locator(".theme-name")).to_have_text(["Wachten", "Alles"])
    wait_until(host, lambda: [n for n, _c in layout(stored_board(room))] == ["Wachten", "Alles"], "reordered")

    # Merge "Wachten" into "Alles": its cards go to the end of "Alles".
    named(host, "Wachten").locator(".theme-merge").select_option(label="Alles")
    expect(panel.locator(".theme-name")).to_have_text(["Alles"])
    wait_until(host, lambda: layout(stored_board(room)) == [("Alles", (*trust, wait, hostile))], "merged")

    # Remove asks once more; the cards go back to "Nog niet ingedeeld". Ctrl+Z brings the theme back.
    named(host, "Alles").get_by_role("button", name="Verwijderen").click()
    named(host, "Alles").get_by_role("button", name="Zeker? Klik nog eens").click()
    expect(panel.locator(".board-column.theme")).to_have_count(0)
    expect(panel.locator(".board-column.unsorted .board-card")).to_have_count(5)
    wait_until(host, lambda: layout(stored_board(room)) == [], "removed")
    host.locator(".board-panel-title").click()
    host.keyboard.press("Control+z")
    expect(named(host, "Alles").locator(".board-card")).to_have_count(5)
    wait_until(host, lambda: layout(stored_board(room)) == [("Alles", (*trust, wait, hostile))], "undone")
    assert_clean(host_tab, base_url=room.server.base_url)
