"""Accessibility of the beamer at 1920x1080 (issue 14, point 10): axe and projected contrast over its states.

The beamer is read from the back of a room through a projector that washes colours out, so beyond axe's WCAG 2.1
AA rules every visible text on it must reach 7:1 (WCAG 1.4.6, AAA) in a regular weight or heavier (never under
400), and what carries meaning without being text (a card's edge, a buffer's frame, a vote's bar) 3:1 (1.4.11).
Both are measured in the real browser from computed styles over every state the room sees: the join screen with
the large QR code, the question with its timer (running, paused, overtime), the answers that wait for the
reveal, the wall, the vier buffers, the case, the roddel stream, the tables' advice, the inbrenger's stars, the
rode draad, the votes, the board, large type, the QR code fixed large beside the cards, a composed werkvorm's
grid, scale, ranking and afspraken, and the end.

The server runs in this process (see test_accessibility.py), so a test moves the room through the agenda with
the services, as the regie's buttons do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from facilitator.core import services
from facilitator.core.domain import Perspective
from tests.browser.helpers import (
    HOST_KEY,
    OpenedPage,
    Room,
    assert_clean,
    axe_violations,
    contrast,
    describe_violations,
    new_room,
    over,
    parse_colour,
)

pytestmark = pytest.mark.browser

BEAMER = {"width": 1920, "height": 1080}
QUESTION = "Wat houdt je bezig als je denkt aan de veerkracht van ouders?"
TABLES = ["Maan", "Zon", "Ster", "Wolk", "Regen"]
CASE = "Finn (10) zit in groep 6. Hij kopieert gedrag van zijn zus; ouders en school praten moeizaam met elkaar."
OPTIONS = ["Meer tijd voor gesprek", "Een vast aanspreekpunt", "Samen eten", "Minder formulieren", "Rust"]
ANSWERS = [
    "Meer tijd voor echte gesprekken met ouders", "Dat school en zorg elkaar sneller weten te vinden",
    "Rust in mijn hoofd", "Hoe houd ik het vol met drie pubers en een fulltime baan?",
    "Vertrouwen dat mijn kind gezien wordt", "Minder formulieren, meer contact",
    "Een vast aanspreekpunt voor het hele gezin", "Dat ouders niet alles alleen hoeven te dragen",
    "Samen eten zonder telefoons", "Werkdruk in het onderwijs", "Hoe we de wachtlijsten korter krijgen",
    "Ruimte om fouten te maken", "Gewoon even gehoord worden", "Meer buurtinitiatieven voor jonge gezinnen",
    "Opvoeden in een wereld vol schermen", "De overgang naar de middelbare school",
    "Mantelzorg naast werk en kinderen", "Een netwerk om me heen als het tegenzit",
    "Eenzaamheid bij jongeren", "Elkaar niet veroordelen", "Praten met je kind over geldzorgen",
    "Begrip op het werk voor ouders met een kind met een beperking", "Korte lijntjes tussen huisarts en wijkteam",
    "Dat mijn zoon weer plezier heeft in school", "Hoe vraag je hulp zonder je te schamen?",
    "Ouders betrekken bij beleid van de gemeente", "Tijd voor mezelf", "Positief opvoeden zonder schuldgevoel",
    "Scheiding en wat dat doet met kinderen", "Doen wat werkt, niet wat het protocol zegt",
]
PERSPECTIVES = [Perspective.OUDER, Perspective.ZORG, Perspective.ONDERWIJS]
COMPOSITION = {
    "name": "Grondhouding",
    "rows": [{"label": "Nieuwsgierig", "description": "Ik vraag door"}, {"label": "Open", "description": "Ik luister"},
             {"label": "Gelijkwaardig"}, {"label": "Betrokken"}],
    "columns": [{"label": "Herken ik"}, {"label": "Vind ik lastig"}, {"label": "Neem ik me voor"}],
    "scale": ["Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens"],
    "ranking_options": ["Tijd", "Aanspreekpunt", "Formulieren", "Samen leren"],
    "phases": [
        {"title": "Raster", "prompt": "Waar sta jij?", "answer": "grid"},
        {"title": "Duimpje", "prompt": "Hielp dit je verder?", "answer": "scale", "explain": True},
        {"title": "Wat eerst", "prompt": "Wat pakken we eerst aan?", "answer": "ranking"},
        {"title": "Afspraken", "prompt": "Wat spreken we af?", "answer": "action"},
    ],
}
#: What carries meaning on the beamer without being text, and must stand out 3:1 (WCAG 1.4.11): a card's edge
#: (where one answer ends and the next begins), a buffer's or a table's frame, the case's and the rode draad's
#: bar, a vote's track.
FRAMED = ".bcard, .quadrant, .column, .bcase-text, .rode-draad, .vote-track, .bgrid th, .bgrid-cell, .bactions th"


@pytest.fixture
def room(app_server: Room) -> Room:
    """A fresh bijeenkomst with five named tables; its agenda starts with the open question."""
    return new_room(app_server, series="Dialoogsessies Jeugd", prompt=QUESTION, tables=TABLES)


@pytest.fixture
def beamer(open_page: Callable[..., OpenedPage]) -> Callable[[Room], OpenedPage]:
    def _open(room: Room) -> OpenedPage:
        # bypass_csp: axe goes in as an inline script, which the app's Content-Security-Policy refuses.
        tab = open_page("host", "beamer", viewport=BEAMER, bypass_csp=True)
        tab.page.goto(f"{room.base_url}/host/login?key={HOST_KEY}")
        tab.page.goto(f"{room.base_url}/host/s/{room.session_id}/beamer")
        settled(tab.page)
        return tab

    return _open


def settled(page: Page) -> None:
    """Wait until the beamer drew what it has (it draws and fits in an animation frame) and the frame is painted."""
    expect(page.locator("#stage")).to_have_attribute("data-fs", re.compile(r"^\d+$"))
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def redrawn(page: Page, change: Callable[[], Any]) -> None:
    """Make a change that the beamer redraws for, and wait for the redraw (not for the drawing before it)."""
    page.evaluate("() => { delete document.getElementById('stage').dataset.fs; }")
    change()
    settled(page)


def walk_beamer_states(room: Room, page: Page) -> Iterator[str]:
    """Move the room through everything its beamer shows; yield a name at each state once it is on screen."""
    sid = room.session_id
    expect(page.locator("#beamer")).to_have_attribute("data-qr", "large")
    expect(page.locator(".stage-message")).to_be_visible()
    yield "join screen, large QR code"
    room.do(services.control_timer, sid, "start")  # the timer paints itself; the stage stays
    expect(page.locator("#beamer-timer")).to_have_attribute("data-state", "running")
    yield "question with the timer running"

    phones = [room.other_phone(table=n % 5 + 1, perspective=PERSPECTIVES[n % 3]) for n in range(30)]
    for phone, text in zip(phones, ANSWERS, strict=True):
        room.send(phone, text)
    expect(page.locator(".bcard")).to_have_count(30)
    expect(page.locator("#beamer")).to_have_attribute("data-qr", "small")
    settled(page)
    yield "30 answers, small QR code, timer running"
    room.do(services.control_timer, sid, "pause")
    expect(page.locator("#beamer-timer")).to_have_attribute("data-state", "paused")
    yield "30 answers, timer paused"
    room.do(services.control_timer, sid, "start")
    room.do(services.control_timer, sid, "add", seconds=-3600)
    expect(page.locator("#beamer-timer")).to_have_attribute("data-state", "overtime")
    yield "30 answers, timer in overtime"
    redrawn(page, lambda: room.do(services.set_beamer_view, sid, qr="large"))
    expect(page.locator("#beamer")).to_have_attribute("data-qr", "large")
    yield "30 answers beside the QR code fixed large"
    redrawn(page, lambda: room.do(services.set_beamer_view, sid, large=True, qr="auto"))
    expect(page.locator("#beamer")).to_have_attribute("data-large", "true")
    yield "large type (G), 30 answers"
    redrawn(page, lambda: room.do(services.set_beamer_view, sid, large=False))
    room.do(services.control_timer, sid, "reset")

    hidden = room.add("open_vraag", {"prompt": "Wat zie jij?", "hidden": {"antwoorden": True}})
    redrawn(page, lambda: room.go_to(hidden, 0))
    for phone, text in zip(phones[:4], ANSWERS[10:14], strict=True):
        room.send(phone, text)
    expect(page.locator(".stage-count")).to_have_text("4")
    yield "answers waiting for the reveal"
    redrawn(page, lambda: room.do(services.reveal_phase, room.deps.registry, sid))
    expect(page.locator(".bcard")).to_have_count(4)
    yield "answers revealed"

    buffers = room.add("vier_buffers")
    redrawn(page, lambda: room.go_to(buffers, 1))
    buckets = [b.id for b in room.deps.registry.get("vier_buffers").buckets]
    for n, phone in enumerate(phones[:20]):
        # Another text than the phone's answer on the wall (the same one would count as a resend of it).
        room.send(phone, ANSWERS[(n + 15) % 30], kind="vangnet", bucket=buckets[n % 4], tags=["mens", "geven"])
    expect(page.locator(".quadrant .bcard")).to_have_count(20)
    settled(page)
    yield "vier buffers"

    roddel = room.add("roddelmethode", {"case_text": CASE})
    inbrenger = phones[0]
    room.do(services.assign_role, room.deps.registry, sid, role="inbrenger", number=inbrenger.number,
            item_id=room.item_id(roddel))
    redrawn(page, lambda: room.go_to(roddel, 0))
    room.send(inbrenger, "Hoe krijg ik ouders en school weer met elkaar in gesprek?", kind="hulpvraag")
    expect(page.locator(".bcase-text")).to_be_visible()
    expect(page.locator(".bcard")).to_have_count(1)
    settled(page)
    yield "roddelmethode: the case and the question"
    redrawn(page, lambda: room.go_to(roddel, 2))
    gossip = [room.send(phone, text, tags=["observatie"]) for phone, text in zip(phones[5:11], ANSWERS, strict=False)]
    expect(page.locator(".bcard")).to_have_count(6)
    settled(page)
    yield "roddelmethode: the stream"
    redrawn(page, lambda: room.go_to(roddel, 3))
    for table in (1, 2, 3):
        writer = next(p for p in phones if p.table == table and p.id != inbrenger.id)
        room.do(services.save_table_draft, room.deps.registry, sid, writer, kind="advies", slot=1,
                text="Zorg voor één vast aanspreekpunt dat school, huisarts en wijkteam kent.", base_version=0)
        room.do(services.submit_table_drafts, room.deps.registry, sid, writer, kind="advies")
    expect(page.locator(".column .bcard")).to_have_count(3)
    settled(page)
    yield "roddelmethode: advice per table, the tafeladvies layout (two tables still empty)"
    for contribution in (c for c in gossip if c.table == inbrenger.table):  # the inbrenger hears its own table
        room.do(services.star_contribution, sid, inbrenger, contribution.id, True)
    redrawn(page, lambda: room.go_to(roddel, 4))
    room.send(inbrenger, "Wat me raakte: dat iedereen de zus noemde.", kind="reactie")
    expect(page.locator(".two-sections .bcard")).to_have_count(3)
    settled(page)
    yield "roddelmethode: the inbrenger's stars and reaction"
    redrawn(page, lambda: room.go_to(roddel, 5))
    room.send(phones[7], "Samen kijken in plaats van over elkaar praten", kind="rode_draad")
    expect(page.locator(".two-sections.stacked")).to_be_visible()
    settled(page)
    yield "roddelmethode: the rode draad under the advice"

    vote = room.add("stemmen", {"options": OPTIONS, "dots": 3})
    redrawn(page, lambda: room.go_to(vote, 0))
    for n, phone in enumerate(phones[:20]):
        for dot in range(3):
            room.do(services.cast_vote, room.deps.registry, sid, phone, target=f"option-{(n + dot) % 5 + 1}", on=True)
    expect(page.locator(".vote-row")).to_have_count(5)
    settled(page)
    yield "stemmen: the vote results"

    board = room.add("rode_draden", {"source": room.item_id(0)})
    cards = [c.id for c in room.contributions() if c.agenda_item_id == room.item_id(0)]
    for number, name in enumerate(["Tijd en rust", "Samenwerking", "Steun en netwerk", "School"]):
        room.do(services.edit_board, room.deps.registry, sid, room.item_id(0), "add_theme",
                {"name": name, "cards": cards[number:24:4]})
    redrawn(page, lambda: room.go_to(board, 0))
    expect(page.locator(".column.unsorted")).to_be_visible()
    yield "rode draden: the board with unsorted cards"
    room.do(services.edit_board, room.deps.registry, sid, room.item_id(0), "set_rode_draad",
            {"text": "Ouders willen gehoord worden, niet doorverwezen."})
    redrawn(page, lambda: room.go_to(board, 1))
    expect(page.locator(".rode-draad")).to_be_visible()
    yield "rode draden: the board with its rode draad"

    # A composed werkvorm (issue 16): the grid, the scale, the ranking and the afspraken.
    composed = room.add(next(wf.id for wf in room.deps.registry if "composed" in wf.capabilities),
                        {"composition": COMPOSITION})
    redrawn(page, lambda: room.go_to(composed, 0))
    for n, phone in enumerate(phones[:24]):
        room.send(phone, ANSWERS[(n + 3) % 30], kind="a1", bucket=f"r{n % 4 + 1}", tags=[f"k{n % 3 + 1}"])
    expect(page.locator(".bgrid .bcard")).to_have_count(24)
    settled(page)
    yield "samengesteld: the grid of rows x columns"
    redrawn(page, lambda: room.go_to(composed, 1))
    for n, phone in enumerate(phones[:10]):
        room.send(phone, f"Toelichting {n}: {ANSWERS[n]}", kind="a2", tags=[f"s{n % 5 + 1}"])
    expect(page.locator(".summed-stage .bcard")).to_have_count(10)
    settled(page)
    yield "samengesteld: the scale with its explanations"
    redrawn(page, lambda: room.go_to(composed, 2))
    for n, phone in enumerate(phones[:6]):
        order = [f"o{(n + i) % 4 + 1}" for i in range(4)]
        room.send(phone, "Eerst de tijd" if n == 0 else f"Volgorde {n}", kind="a3", ranking=order)
    expect(page.locator(".summed-caption")).to_contain_text("6 rangordes")
    settled(page)
    yield "samengesteld: the ranking with its caption and remarks"
    redrawn(page, lambda: room.go_to(composed, 3))
    for n, phone in enumerate(phones[:5]):
        room.send(phone, f"Afspraak {n}: {ANSWERS[n]}", kind="a4", owner=f"Wijkteam {TABLES[n]}", due="1 maart",
                  tags=[("bestuur", "beleid", "uitvoering")[n % 3]])
    expect(page.locator("tr.baction")).to_have_count(5)
    settled(page)
    yield "samengesteld: the afspraken"

    room.publish(services.delete_session, room.deps.repo, room.deps.series, sid)
    expect(page.locator(".stage-message")).to_have_text("Deze bijeenkomst is afgelopen.")
    yield "the end: the bijeenkomst is over"


def test_axe_finds_nothing_on_any_beamer_state(room: Room, beamer: Callable[[Room], OpenedPage]) -> None:
    tab = beamer(room)
    found: dict[str, list[dict[str, Any]]] = {}
    for state in walk_beamer_states(room, tab.page):
        found[state] = axe_violations(tab.page)
        print(f"axe beamer {state}: {len(found[state])} violation(s)")  # noqa: T201 - the report's numbers
    assert len(found) == 23  # the walk reached its end
    failing = {state: violations for state, violations in found.items() if violations}
    assert not failing, "axe found WCAG 2.1 A/AA violations:\n" + describe_violations(failing)
    assert_clean(tab, base_url=room.base_url)


# -- projected contrast: 7:1 for text, 3:1 for what frames it -------------------------------------------------------

#: Every visible text node on the page: its element, text, colour, weight and size, the element's opacity (with its
#: ancestors'), and the background layers behind it, up to the first opaque one.
TEXTS_JS = """() => {
  const opacity = (el) => {
    let value = 1;
    for (let node = el; node; node = node.parentElement) value *= parseFloat(getComputedStyle(node).opacity);
    return value;
  };
  const name = (el) => el.id ? `#${el.id}`
    : `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : ""}`;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    const el = node.parentElement;
    if (!text || !el || el.closest("script, style, .visually-hidden")) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== "visible" || !el.getClientRects().length) continue;
    const layers = [];
    for (let bg = el; bg; bg = bg.parentElement) {
      const colour = getComputedStyle(bg).backgroundColor;
      layers.push([colour, opacity(bg)]);
      if (!colour.startsWith("rgba") && opacity(bg) >= 1) break;
    }
    found.push({ where: name(el), text, colour: style.color, opacity: opacity(el), layers,
                 weight: parseInt(style.fontWeight, 10), size: parseFloat(style.fontSize) });
  }
  return found;
}"""

#: The borders of what frames the beamer's content: each drawn side's colour, its element's own background, and the
#: background layers around the element (up to the first opaque one).
FRAMES_JS = """(selector) => {
  const layersFrom = (start) => {
    const layers = [];
    for (let bg = start; bg; bg = bg.parentElement) {
      const colour = getComputedStyle(bg).backgroundColor;
      layers.push(colour);
      if (!colour.startsWith("rgba")) break;
    }
    return layers;
  };
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    const sides = ["Top", "Right", "Bottom", "Left"]
      .filter((side) => style[`border${side}Style`] !== "none" && parseFloat(style[`border${side}Width`]) > 0)
      .map((side) => ({ side: side.toLowerCase(), colour: style[`border${side}Color`] }));
    const name = `${el.tagName.toLowerCase()}.${String(el.className).trim().split(/\\s+/).join(".")}`;
    found.push({ where: name, sides, own: style.backgroundColor, around: layersFrom(el.parentElement) });
  }
  return found;
}"""

#: A vote's bar against its track: the bar is how the room reads the result.
BARS_JS = """() => Array.from(document.querySelectorAll(".vote-bar"))
  .filter((bar) => bar.getBoundingClientRect().width > 0)
  .map((bar) => [getComputedStyle(bar).backgroundColor, getComputedStyle(bar.parentElement).backgroundColor])"""


def flatten(layers: list[str]) -> tuple[float, float, float]:
    """Composite background layers (innermost first) down onto white."""
    colour = (255.0, 255.0, 255.0)
    for layer in reversed(layers):
        colour = over(parse_colour(layer), colour)
    return colour


def projected_texts(page: Page) -> list[tuple[str, str, float, int]]:
    """Return (where, text, contrast ratio, font weight) for every visible text on the page."""
    found = []
    for item in page.evaluate(TEXTS_JS):
        background = (255.0, 255.0, 255.0)
        for colour, opacity in reversed(item["layers"]):
            r, g, b, a = parse_colour(colour)
            background = over((r, g, b, a * opacity), background)
        r, g, b, a = parse_colour(item["colour"])
        foreground = over((r, g, b, a * item["opacity"]), background)
        found.append((item["where"], item["text"], contrast(foreground, background), item["weight"]))
    return found


def framing_contrasts(page: Page) -> list[tuple[str, float]]:
    """Return (what, lowest contrast against the inside and the outside) for each meaningful border and bar."""
    found = []
    for item in page.evaluate(FRAMES_JS, FRAMED):
        outside = flatten(item["around"])
        inside = over(parse_colour(item["own"]), outside)
        for side in item["sides"]:
            border = over(parse_colour(side["colour"]), outside)
            found.append((f"{item['where']} {side['side']} border",
                          min(contrast(border, inside), contrast(border, outside))))
    for bar, track in page.evaluate(BARS_JS):
        behind = flatten([track])
        found.append(("vote bar on its track", contrast(over(parse_colour(bar), behind), behind)))
    return found


def test_projected_beamer_text_reaches_7_to_1_and_its_frames_3_to_1(
    room: Room, beamer: Callable[[Room], OpenedPage]
) -> None:
    tab = beamer(room)
    page = tab.page
    low_text: list[str] = []
    thin: list[str] = []
    low_frames: list[str] = []
    texts = frames = 0
    for state in walk_beamer_states(room, page):
        measured = projected_texts(page)
        under = [(ratio, where, text) for where, text, ratio, _w in measured if ratio < 7]
        texts += len(measured)
        low_text += [f"{state}: {ratio:5.2f}  {where}  {text[:60]}" for ratio, where, text in sorted(under)]
        thin += [f"{state}: weight {weight}  {where}  {text[:60]}" for where, text, _r, weight in measured if weight < 400]
        framing = framing_contrasts(page)
        frames += len(framing)
        low_frames += [f"{state}: {ratio:5.2f}  {what}" for what, ratio in framing if ratio < 3]
        lowest = min(measured, key=lambda m: m[2])
        weakest = min(framing, key=lambda f: f[1], default=("none", 21.0))
        print(f"contrast beamer {state}: {len(under)} of {len(measured)} texts under 7:1 "  # noqa: T201
              f"(lowest {lowest[2]:.2f} {lowest[0]}), {sum(1 for _w, r in framing if r < 3)} of {len(framing)} "
              f"frames under 3:1 (lowest {weakest[1]:.2f} {weakest[0]})")
    print(f"beamer texts under 7:1: {len(low_text)} of {texts} ({len(low_text) / texts:.0%}); "  # noqa: T201
          f"frames under 3:1: {len(low_frames)} of {frames}")
    for line in low_text + thin + low_frames:
        print("  " + line)  # noqa: T201
    assert texts and frames
    assert not low_text, f"{len(low_text)} of {texts} beamer texts under 7:1:\n" + "\n".join(low_text)
    assert not thin, "beamer text thinner than a regular weight:\n" + "\n".join(thin)
    assert not low_frames, "beamer frames under 3:1:\n" + "\n".join(low_frames)
    assert_clean(tab, base_url=room.base_url)
