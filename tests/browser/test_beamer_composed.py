"""A composed werkvorm on the room's screens (issue 16, point 2): Debian's Chromium at 1920x1080 against the real
server, phones as python-socketio clients, the regie's moves over a host socket.

- The grid (4 rows with descriptions x 3 columns, 30 cards), the scale (5 points: a bar each with its count, the
  explanations as cards), the ranking (Borda points per option, most first, with its caption, the remarks) and the
  afspraken (Wat / Wie / Niveau / Wanneer) each lie inside the viewport with text of at least 16 px, nothing left
  out; a screenshot of each goes to tests/browser/artifacts.
- An afspraak's "wie" is shown as text, never as markup; a hidden afspraak never reaches the beamer (DOM or frames).
- A composed werkvorm's buckets fill the beamer as a net whatever their number: 6 as 3 x 2, 8 as 4 x 2, 12 as
  4 x 3, 3 side by side (with a per-table text phase before it, shown in the tables' columns).
- The regie draws the same four displays.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import socketio
from playwright.sync_api import Page, expect

from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository
from facilitator.testing.answers import ANSWERS
from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import OpenedPage, assert_clean, serving
from tests.browser.test_beamer import (
    BEAMER,
    WAIT,
    Frames,
    artifact,
    assert_all_inside,
    card_boxes,
    no_controls,
    settled,
)

pytestmark = pytest.mark.browser

ROWS = [
    {"label": "Nieuwsgierig", "description": "Ik vraag door voordat ik oordeel"},
    {"label": "Open", "description": "Ik laat ruimte voor een ander antwoord"},
    {"label": "Gelijkwaardig", "description": "Ik zie de ouder als partner"},
    {"label": "Betrokken", "description": "Ik blijf, ook als het schuurt"},
]
COLUMNS = [{"label": "Herken ik"}, {"label": "Vind ik lastig"}, {"label": "Neem ik me voor"}]
SCALE = ["Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens"]
OPTIONS = ["Tijd voor gesprek", "Vast aanspreekpunt", "Minder formulieren", "Samen leren", "Ouders in de raad"]
COMPOSITION = {
    "name": "Grondhouding",
    "rows": ROWS, "columns": COLUMNS, "scale": SCALE, "ranking_options": OPTIONS,
    "phases": [
        {"title": "Reflectieraster", "prompt": "Waar sta jij in je grondhouding?", "answer": "grid"},
        {"title": "Duimpje", "prompt": "Deze bijeenkomst hielp me verder.", "answer": "scale", "explain": True},
        {"title": "Wat eerst", "prompt": "Zet in volgorde: wat pakken we eerst aan?", "answer": "ranking"},
        {"title": "Afspraken", "prompt": "Wat spreken we af?", "answer": "action"},
    ],
}
#: Scale points the twelve phones choose, and so the counts the bars must show.
CHOICES = [4, 4, 3, 5, 4, 2, 3, 4, 5, 1, 4, 3]
RANKINGS = [[1, 0, 2, 3, 4], [1, 2, 0, 4, 3], [0, 1, 3, 2, 4], [4, 1, 0, 2, 3], [1, 0, 4, 2, 3], [2, 1, 0, 3, 4]]
ACTIONS = [
    ("Eén vast aanspreekpunt per gezin regelen", "Wijkteam Noord", "uitvoering", "1 maart"),
    ("Formulieren van school en zorg samenvoegen", "<i>Gemeente</i> & school", "beleid", "voor de zomer"),
    ("Ouders uitnodigen voor de stuurgroep", "Wethouder jeugd", "bestuur", "volgende bijeenkomst"),
    ("Samen een leerlunch organiseren", "Marieke en Ahmed", "uitvoering", "april"),
    ("Budget voor ervaringsdeskundigen vrijmaken", "Bestuur samenwerkingsverband", "bestuur", "2027"),
    ("Terugkoppeling aan alle ouders", "Schoolmaatschappelijk werk", "uitvoering", "binnen 2 weken"),
    ("Verslag delen met de raad", "Griffie", "beleid", "januari"),
]
HIDDEN_ACTION = "Bel Petra op 06-12345678 [verborgen-afspraak]"


def _composed_id() -> str:
    return next(wf.id for wf in discover() if "composed" in wf.capabilities)


def _seed(data_dir: Path) -> dict[str, tuple[str, str, str]]:
    """The bijeenkomsten: the four displays, nets of 6, 8 and 12 rows, 3 rows per table; (id, join code, item id)."""
    repo = TinyDBRepository(data_dir)
    registry = discover()
    made = {}
    def net(count: int) -> dict[str, Any]:
        return {"name": f"{count} vakken",
                "rows": [{"label": f"Vak {n + 1}", "description": f"Omschrijving {n + 1}"} for n in range(count)],
                "phases": [{"title": "Sorteren", "prompt": "In welk vak hoort het?", "answer": "buckets"}]}

    three = {"name": "Per partner", "per_table": True,
             "rows": [{"label": "Wat gaat goed"}, {"label": "Knelpunten"}, {"label": "Oplossingen"}],
             "phases": [{"title": "Samen", "prompt": "Wat zegt jullie tafel?", "answer": "text"},
                        {"title": "Vakken", "prompt": "Welk vak?", "answer": "buckets"}]}
    for name, composition in (("four", COMPOSITION), ("six", net(6)), ("eight", net(8)), ("twelve", net(12)),
                              ("three", three)):
        session = services.create_session(repo, registry, title=f"Samengesteld {name}", series="Dialoogsessies")
        item, _ = services.add_agenda_item(repo, registry, session.id, _composed_id(), {"composition": composition})
        services.go_to(repo, registry, session.id, 1, 0)
        made[name] = (session.id, session.join_code, item.id)
    services.set_tables(repo, made["three"][0], ["Gemeente", "School", "Zorg"])
    return made


class Meeting:
    def __init__(self, server: LiveServer, ids: tuple[str, str, str]) -> None:
        self.server, (self.session_id, self.code, self.item) = server, ids
        self.host = socketio.Client(reconnection=False)
        self.host.connect(server.base_url, headers={"Cookie": f"rd_host={server.key}"}, transports=["websocket"],
                          wait_timeout=WAIT)
        assert self.host_call("join_session", role="host")["ok"] is True
        self.phones: list[socketio.Client] = []

    def host_call(self, event: str, **data: Any) -> Any:
        return self.host.call(event, {"session": self.session_id, **data}, timeout=WAIT)

    def go(self, phase: int) -> None:
        assert self.host_call("go_to_phase", item=1, phase=phase)["ok"] is True

    def phone(self, **fields: Any) -> socketio.Client:
        token = self.server.join_phone(self.code, **fields)
        sio = socketio.Client(reconnection=False)
        sio.connect(self.server.base_url, auth={"token": token}, transports=["websocket"], wait_timeout=WAIT)
        assert sio.call("join_session", {"session": self.session_id, "role": "participant"}, timeout=WAIT)["ok"]
        self.phones.append(sio)
        return sio

    def send(self, phone: socketio.Client, **fields: Any) -> str:
        client_id = f"t-{uuid.uuid4().hex[:16]}"
        ack = phone.call("submit_contribution", {"session": self.session_id, "client_id": client_id, **fields},
                         timeout=WAIT)
        assert ack == {"ok": True, "id": client_id}, ack
        return client_id

    def close(self) -> None:
        for sio in [*self.phones, self.host]:
            sio.disconnect()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, Any]]]:
    data_dir = tmp_path_factory.mktemp("beamer-composed")
    made = _seed(data_dir)
    with serving(data_dir) as live:
        yield live, made


@pytest.fixture
def meeting(server: tuple[LiveServer, dict[str, Any]]) -> Iterator[Callable[[str], Meeting]]:
    opened: list[Meeting] = []

    def _open(name: str) -> Meeting:
        made = Meeting(server[0], server[1][name])
        opened.append(made)
        return made

    yield _open
    for made in opened:
        made.close()


def open_screen(open_page: Callable[..., OpenedPage], live: LiveServer, session_id: str, path: str = "/beamer",
                **options: Any) -> tuple[OpenedPage, Page, Frames]:
    tab = open_page("host", f"screen {path}", **({"viewport": BEAMER} | options))
    frames = Frames(tab.page)
    tab.page.goto(f"{live.base_url}/host/login?key={live.key}")
    tab.page.goto(f"{live.base_url}/host/s/{session_id}{path}")
    return tab, tab.page, frames


def redraw(page: Page, change: Callable[[], Any]) -> None:
    """Make a change the beamer redraws for and wait for that redraw, not the one before it."""
    page.evaluate("() => { delete document.getElementById('stage').dataset.fs; }")
    change()
    settled(page)


def fits(page: Page, selector: str, count: int) -> float:
    expect(page.locator(selector)).to_have_count(count)
    settled(page)
    return assert_all_inside(page, card_boxes(page, selector), 16)


def test_the_four_new_displays_fit_a_1920x1080_beamer(
    open_page: Callable[..., OpenedPage], server: tuple[LiveServer, dict[str, Any]], meeting: Callable[[str], Meeting]
) -> None:
    live = server[0]
    room = meeting("four")
    tab, page, frames = open_screen(open_page, live, room.session_id)
    settled(page)
    phones = [room.phone() for _ in range(12)]
    sizes: dict[str, float] = {}

    # The grid: 30 cards from ten phones, spread over 4 rows x 3 columns.
    expect(page.locator("#beamer")).to_have_attribute("data-display", "grid")
    for n in range(30):
        room.send(phones[n % 10], kind="a1", text=ANSWERS[n], bucket=f"r{n % 4 + 1}", tags=[f"k{n % 3 + 1}"])
    expect(page.locator(".bgrid-row")).to_have_count(4)
    expect(page.locator(".bgrid-column")).to_have_text([c["label"] for c in COLUMNS])
    expect(page.locator(".bgrid-row-description")).to_have_text([r["description"] for r in ROWS])
    sizes["grid"] = fits(page, ".bgrid .bcard", 30)
    # Each card in its own cell: row r{n%4+1}, column k{n%3+1}.
    cells = page.evaluate("""() => [...document.querySelectorAll('.bgrid .bcard')].map((card) =>
        [card.closest('tr').dataset.bucket, card.closest('td').dataset.column, card.querySelector('.bcard-text').textContent])""")
    assert sorted(cells) == sorted([f"r{n % 4 + 1}", f"k{n % 3 + 1}", ANSWERS[n]] for n in range(30))
    assert_all_inside(page, card_boxes(page, ".bgrid-row, .bgrid-column"), 16)
    no_controls(page)
    artifact(page, "beamer-composed-grid.png")

    # The scale: a bar per point in the scale's order, with how many chose it; the explanations as cards.
    redraw(page, lambda: room.go(1))
    expect(page.locator("#beamer")).to_have_attribute("data-display", "scale")
    for n, (phone, point) in enumerate(zip(phones, CHOICES, strict=True)):
        room.send(phone, kind="a2", text=f"Omdat {ANSWERS[n + 10].lower()}", tags=[f"s{point}"])
    expect(page.locator(".vote-row")).to_have_count(5)
    expect(page.locator(".vote-label")).to_have_text(SCALE)
    counts = [str(CHOICES.count(point)) for point in range(1, 6)]
    expect(page.locator(".vote-count")).to_have_text(counts)
    sizes["scale"] = fits(page, ".vote-row, .bcard", 5 + 12)
    artifact(page, "beamer-composed-scale.png")

    # The ranking: Borda points (n-1 for a first place .. 0 for the last), most first, and how they were counted.
    redraw(page, lambda: room.go(2))
    expect(page.locator("#beamer")).to_have_attribute("data-display", "ranking")
    for n, order in enumerate(RANKINGS):
        room.send(phones[n], kind="a3", text="Tijd is alles" if n == 0 else "",
                  ranking=[f"o{i + 1}" for i in order])
    points = [sum(4 - order.index(i) for order in RANKINGS) for i in range(5)]
    expected = sorted(range(5), key=lambda i: (-points[i], i))
    expect(page.locator(".vote-label")).to_have_text([OPTIONS[i] for i in expected])
    expect(page.locator(".vote-count")).to_have_text([str(points[i]) for i in expected])
    expect(page.locator(".summed-caption")).to_contain_text("bij 5 opties krijgt een eerste plaats 4 punten")
    expect(page.locator(".summed-caption")).to_contain_text("6 rangordes")
    sizes["ranking"] = fits(page, ".vote-row, .bcard", 5 + 1)
    artifact(page, "beamer-composed-ranking.png")

    # The afspraken: a table of what, who, level and when; a hidden one never reaches the beamer.
    redraw(page, lambda: room.go(3))
    expect(page.locator("#beamer")).to_have_attribute("data-display", "actions")
    for n, (what, who, level, when) in enumerate(ACTIONS):
        room.send(phones[n], kind="a4", text=what, owner=who, due=when, tags=[level])
    hidden = room.send(phones[8], kind="a4", text=HIDDEN_ACTION, owner="Petra", due="morgen", tags=["beleid"])
    expect(page.locator("tr.baction")).to_have_count(len(ACTIONS) + 1)
    assert room.host_call("set_contribution_hidden", id=hidden, hidden=True)["ok"] is True
    expect(page.locator("tr.baction")).to_have_count(len(ACTIONS))
    expect(page.locator(".bactions th")).to_have_text(["Wat", "Wie", "Niveau", "Wanneer"])
    expect(page.locator(".baction-who")).to_have_text([who for _w, who, _l, _d in ACTIONS])
    expect(page.locator(".baction-level").first).to_have_text("Uitvoering")
    expect(page.locator(".baction-when")).to_have_text([when for *_rest, when in ACTIONS])
    assert page.locator("#stage i").count() == 0  # "<i>Gemeente</i>" is text, not markup
    sizes["actions"] = fits(page, "tr.baction", len(ACTIONS))
    assert_all_inside(page, card_boxes(page, ".baction-who, .baction-when"), 16)
    no_controls(page)
    artifact(page, "beamer-composed-actions.png")

    # It was on screen before the regie hid it: after a reload, neither the page nor what it is sent holds it.
    before = len(frames.texts)
    page.reload()
    expect(page.locator("tr.baction")).to_have_count(len(ACTIONS))
    everything = "\n".join(frames.texts[before:]) + page.content()
    assert "Eén vast aanspreekpunt" in everything  # the frames were recorded
    assert [w for w in (HIDDEN_ACTION, "06-12345678", live.key) if w in everything] == []
    print(f"beamer composed displays, type size: {sizes}")  # noqa: T201 - the report's numbers
    assert min(sizes.values()) >= 16
    assert_clean(tab, base_url=live.base_url)

    # The regie draws the same four.
    regie_tab, regie, _frames = open_screen(open_page, live, room.session_id, "", viewport={"width": 1600,
                                                                                            "height": 900})
    expect(regie.locator(".actions-table tbody tr")).to_have_count(len(ACTIONS))  # the hidden one under "verborgen"
    expect(regie.locator(".action-who").nth(1)).to_have_text(ACTIONS[1][1])
    artifact(regie, "regie-composed-actions.png")
    room.go(0)
    expect(regie.locator(".grid-table .card")).to_have_count(30)
    expect(regie.locator(".grid-row")).to_have_count(4)
    artifact(regie, "regie-composed-grid.png")
    room.go(1)
    expect(regie.locator(".vote-count")).to_have_text(counts)
    artifact(regie, "regie-composed-scale.png")
    room.go(2)
    expect(regie.locator(".vote-count")).to_have_text([str(points[i]) for i in expected])
    artifact(regie, "regie-composed-ranking.png")
    assert_clean(regie_tab, base_url=live.base_url)


@pytest.mark.parametrize(
    "name, rows, shape", [("six", 6, (3, 2)), ("eight", 8, (4, 2)), ("twelve", 12, (4, 3)), ("three", 3, (3, 1))])
def test_buckets_of_a_composed_werkvorm_fill_the_beamer_whatever_their_number(
    open_page: Callable[..., OpenedPage], server: tuple[LiveServer, dict[str, Any]],
    meeting: Callable[[str], Meeting], name: str, rows: int, shape: tuple[int, int],
) -> None:
    live = server[0]
    room = meeting(name)
    tab, page, _frames = open_screen(open_page, live, room.session_id)
    settled(page)
    if name == "three":
        # First the tables' shared text, written together and sent by the table.
        expect(page.locator("#beamer")).to_have_attribute("data-display", "per_table")
        phones = []
        for table in (1, 2, 3):
            phone = room.phone(table=table)
            phones.append(phone)
            # Per table, the woordvoerder sends the table's text and gives its structured answers.
            assert phone.call("claim_spokesperson", {"session": room.session_id}, timeout=WAIT)["ok"] is True
            kind = "a1"
            saved = phone.call("save_table_draft", {"session": room.session_id, "kind": kind, "slot": 1,
                                                    "text": f"{ANSWERS[table]} (tafel {table})", "base_version": 0},
                               timeout=WAIT)
            assert saved["ok"] is True, saved
            assert phone.call("submit_table_drafts", {"session": room.session_id, "kind": kind},
                              timeout=WAIT)["ok"] is True
        expect(page.locator(".column")).to_have_count(3)
        fits(page, ".column .bcard", 3)
        artifact(page, "beamer-composed-per-table.png")
        redraw(page, lambda: room.go(1))
        kind = "a2"
    else:
        phones = [room.phone() for _ in range(6)]
        kind = "a1"
    for n in range(24):
        room.send(phones[n % len(phones)], kind=kind, text=ANSWERS[n], bucket=f"r{n % rows + 1}")
    expect(page.locator(".quadrant")).to_have_count(rows)
    fits(page, ".quadrant .bcard", 24)
    boxes = page.evaluate("""() => [...document.querySelectorAll('.quadrant')].map((q) => {
        const b = q.getBoundingClientRect(); return [Math.round(b.left), Math.round(b.top), b.right, b.bottom]; })""")
    columns, lines = len({left for left, *_ in boxes}), len({top for _l, top, *_ in boxes})
    assert (columns, lines) == shape
    assert all(right <= BEAMER["width"] and bottom <= BEAMER["height"] for *_lt, right, bottom in boxes)
    artifact(page, f"beamer-composed-{rows}-rows.png")
    assert_clean(tab, base_url=live.base_url)
