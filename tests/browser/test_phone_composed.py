"""A composed werkvorm's answer kinds on a 360×740 phone, through the real UI (issue 16, point 2): a grid (row and
column, then the text), a scale (a point, then one sentence, or nothing when it is optional), a ranking ("omhoog" and
"omlaag", said in a live region) and an afspraak (wat, wie, niveau, wanneer). Each screen has its send button on
screen and is saved as tests/browser/artifacts/phone-360-composed-<kind>.png. Per table, only the woordvoerder
answers; the others are told so.

The server runs in this process (Flask-SocketIO in threading mode behind Werkzeug), so the test moves the room
through the agenda with the services, as the host's buttons do.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    SMALL_PHONE,
    OpenedPage,
    Room,
    assert_clean,
    at_table,
    join,
    new_room,
    screenshot,
    wait_until,
)
from tests.support.composed import EVERY_ANSWER, PER_TABLE

pytestmark = pytest.mark.browser

#: The phone fixture's screen: what must fit without scrolling.
WIDTH, FOLD = SMALL_PHONE["width"], SMALL_PHONE["height"]
HOSTILE = '<img src=x onerror="document.title=1">'


@pytest.fixture
def room(app_server: Room) -> Room:
    return new_room(app_server, "Grondhouding", series="Jeugd")


def on_screen(page: Page, name: str, *locators: object) -> None:
    """Scrolled to the top and settled, each element lies wholly inside 360×740; then a screenshot."""
    page.evaluate("() => window.scrollTo(0, 0)")
    page.evaluate(
        "() => document.fonts.ready.then(() => new Promise((done) => "
        "requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))"
    )
    for locator in locators:
        expect(locator).to_be_visible()  # type: ignore[arg-type]
        box = locator.bounding_box()  # type: ignore[attr-defined]
        assert box is not None
        assert 0 <= box["y"] and box["y"] + box["height"] <= FOLD, (name, locator, box)
        assert 0 <= box["x"] and box["x"] + box["width"] <= WIDTH, (name, locator, box)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, f"{name} scrolls sideways"
    screenshot(page, f"phone-360-composed-{name}.png")


def focused_id(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement && document.activeElement.id"))


def test_a_phone_answers_a_grid_a_scale_a_ranking_and_an_afspraak(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    item = room.add("samengesteld", {"composition": EVERY_ANSWER})
    room.go_to(item, 0)
    tab = phone("phone")
    page = tab.page
    join(page, room, tafel=1)
    send = page.get_by_role("button", name="Versturen")

    # The grid: the text, then a row (with its description) and a column.
    expect(page.locator("#prompt")).to_have_text("Vul het raster in.")
    expect(page.locator("#bucket-choice legend")).to_have_text("Bij welke rij hoort je antwoord?")
    expect(page.locator("#bucket-options .bucket")).to_have_count(4)
    expect(page.locator("#tag-groups legend")).to_have_text(["Bij welke kolom?"])
    page.get_by_label("Jouw antwoord").fill("Ik vraag door voor ik iets vind")
    page.get_by_role("radio", name=re.compile("^Nieuwsgierig")).check()
    page.get_by_role("radio", name="Wat doe je").check()
    on_screen(page, "grid", page.locator("#answer"), send)
    send.click()
    grid_item = page.locator("#mine .mine-item.sent")
    expect(grid_item).to_have_count(1)
    expect(grid_item.locator(".meta")).to_have_text("Nieuwsgierig · Wat doe je")
    wait_until(page, lambda: len(room.contributions("a1")) == 1, "the grid answer is stored")
    [cell] = room.contributions("a1")
    assert (cell.bucket, cell.tags) == ("r1", ("k2",))

    # The scale: five points in one row, then the sentence it asks for.
    room.go_to(item, 1)
    expect(page.locator("#prompt")).to_have_text("Hoe tevreden ben je?")
    points = page.locator(".scale-group .toggle-option")
    expect(points).to_have_count(5)
    tops = {round(points.nth(i).bounding_box()["y"]) for i in range(5)}  # type: ignore[index]
    assert len(tops) == 1, f"the scale's points are not in one row: {tops}"
    assert min(points.nth(i).bounding_box()["height"] for i in range(5)) >= 48  # type: ignore[index]
    page.get_by_role("radio", name="4", exact=True).check()
    explain = page.get_by_label("Leg in één zin uit")
    expect(explain).to_have_attribute("required", "")
    explain.fill("Iedereen kwam aan het woord")
    on_screen(page, "scale", points.first, explain, send)
    send.click()
    done = page.locator("#answer-done")
    expect(done).to_be_visible()
    expect(page.locator("#answer-done-text")).to_have_text("4: Iedereen kwam aan het woord")
    wait_until(page, lambda: focused_id(page) == "answer-done", "the focus goes to the answer given")
    expect(send).to_be_hidden()
    screenshot(page, "phone-360-composed-scale-sent.png")

    # The ranking: moved with the keyboard; each move is said; the first place goes first.
    room.go_to(item, 2)
    expect(page.locator("#prompt")).to_have_text("Zet in volgorde.")
    rows = page.locator("#ranking-list .rank-label")
    expect(rows).to_have_text(["Tijd", "Geld", "Mensen"])
    up = page.get_by_role("button", name="Mensen omhoog")
    up.focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_text(["Tijd", "Mensen", "Geld"])
    expect(page.locator("#ranking-status")).to_have_text("Mensen staat nu op plaats 2 van 3.")
    page.keyboard.press("Enter")  # the focus stayed on Mensen's "omhoog"
    expect(rows).to_have_text(["Mensen", "Tijd", "Geld"])
    expect(page.locator("#ranking-status")).to_have_text("Mensen staat nu op plaats 1 van 3.")
    expect(page.get_by_role("button", name="Mensen omhoog")).to_have_attribute("aria-disabled", "true")
    page.get_by_label("Opmerking (mag leeg)").fill("Zonder mensen geen tijd")
    on_screen(page, "ranking", page.locator("#ranking-list"), send)
    send.click()
    expect(page.locator("#answer-done-text")).to_have_text("1. Mensen 2. Tijd 3. Geld — Zonder mensen geen tijd")
    wait_until(page, lambda: len(room.contributions("a3")) == 1, "the ranking is stored")
    assert room.contributions("a3")[0].ranking == ("o3", "o1", "o2")

    # The afspraak: wat, wie (required: said, and the focus goes there), niveau, wanneer.
    room.go_to(item, 3)
    expect(page.locator("#prompt")).to_have_text("Wat spreken we af?")
    page.get_by_label("Wat", exact=True).fill("Verslag rondsturen")
    page.get_by_role("radio", name="Beleid").check()
    send.click()
    expect(page.locator("#error")).to_have_text("Vul in wie het doet.")
    wait_until(page, lambda: focused_id(page) == "owner", "the focus goes to Wie")
    page.get_by_label("Wie", exact=True).fill(HOSTILE)
    page.get_by_label("Wanneer (mag leeg)").fill("voor de zomer")
    on_screen(page, "afspraak", page.locator("#answer"), send)
    send.click()
    summary = f"Afspraak: Verslag rondsturen — {HOSTILE}, Beleid, voor de zomer"
    expect(page.locator("#mine .mine-item.sent p").filter(has_text="Afspraak:")).to_have_text([summary])
    wait_until(page, lambda: focused_id(page) == "answer", "the focus goes back to Wat for the next afspraak")
    expect(page.get_by_label("Wie", exact=True)).to_have_value("")
    wait_until(page, lambda: len(room.contributions("a4")) == 1, "the afspraak is stored")
    [afspraak] = room.contributions("a4")
    assert (afspraak.owner, afspraak.tags, afspraak.due) == (HOSTILE, ("beleid",), "voor de zomer")
    assert page.locator("#mine img").count() == 0
    screenshot(page, "phone-360-composed-afspraak-sent.png")

    # The closing scale: the sentence may stay empty.
    room.go_to(item, 4)
    expect(page.get_by_label("Toelichting (mag leeg)")).not_to_have_attribute("required", "")
    page.get_by_role("radio", name="5", exact=True).check()
    send.click()
    expect(page.locator("#answer-done-text")).to_have_text("5")
    wait_until(page, lambda: len(room.contributions("a5")) == 1, "the empty explanation is stored")
    assert room.contributions("a5")[0].text == ""
    assert page.title() != "1"
    assert_clean(tab, base_url=room.base_url)


def test_per_table_only_the_woordvoerder_answers_and_the_others_are_told(
    room: Room, phone: Callable[[str], OpenedPage]
) -> None:
    item = room.add("samengesteld", {"composition": PER_TABLE})
    room.go_to(item, 1)
    tab_a, tab_b = at_table(phone, room, 1, "speaker", "other")
    speaker, other = tab_a.page, tab_b.page
    for page in (speaker, other):
        expect(page.locator("#spokes-answer-note")).to_have_text(
            "Jullie woordvoerder vult dit in namens de tafel. Overleg samen wat jullie antwoord is.")
        expect(page.locator("#answer-form")).to_be_hidden()
    speaker.get_by_role("button", name="Ik ben de woordvoerder").click()
    expect(speaker.locator("#role-banner")).to_have_text("Jij bent de woordvoerder van je tafel.")
    expect(speaker.locator("#spokes-answer")).to_be_hidden()
    speaker.get_by_role("radio", name="3", exact=True).check()
    speaker.get_by_label("Leg in één zin uit").fill("We zijn het half eens")
    on_screen(speaker, "scale-woordvoerder", speaker.get_by_role("button", name="Versturen"))
    speaker.get_by_role("button", name="Versturen").click()
    expect(speaker.locator("#answer-done-text")).to_have_text("3: We zijn het half eens")
    # The other one tries too: the table has its woordvoerder already.
    other.get_by_role("button", name="Ik ben de woordvoerder").click()
    expect(other.locator("#spokes-answer-error")).to_be_visible()
    expect(other.get_by_role("button", name="Ik ben de woordvoerder")).to_be_hidden()
    wait_until(other, lambda: focused_id(other) == "spokes-answer-error", "the focus goes to why")
    expect(other.locator("#answer-form")).to_be_hidden()
    on_screen(other, "scale-tafel", other.locator("#spokes-answer-note"))
    wait_until(speaker, lambda: len(room.contributions("a2")) == 1, "the table's answer is stored")
    assert room.contributions("a2")[0].table == 1
    assert_clean(tab_a, tab_b, base_url=room.base_url)
