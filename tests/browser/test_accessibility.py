"""Accessibility of the phone and host pages in a real browser (issue 14, point 10).

axe-core (vendored in tests/browser/vendor/) runs its WCAG 2.1 A/AA rules over every page state: the phone in
each werkvorm and role, the host's pages and the live host view in several phases with its panels open. And
what axe does not see, from a keyboard and screen-reader pass: a new question is announced, focus never falls to
the page body after sending, voting or placing, half-typed text stays with its question, focus rings and field
borders reach 3:1, the character counter speaks only near the limit, "verstuurd" is said only after the server's
acknowledgement, the host's shortcuts leave a focused control alone, and projected host text reaches 7:1.

The server runs in this process (Flask-SocketIO in threading mode behind Werkzeug), so a test moves the room
through the agenda with the services, as the host's buttons do.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from facilitator.core import services
from facilitator.core.domain import Perspective
from tests.browser.helpers import (
    HOST_KEY,
    OpenedPage,
    Room,
    assert_clean,
    axe_violations,
    background_of,
    contrast,
    describe_violations,
    join,
    new_room,
    over,
    parse_colour,
    text_contrasts,
    wait_until,
)
from tests.support.composed import EVERY_ANSWER, PER_TABLE

pytestmark = pytest.mark.browser

HOST = {"width": 1600, "height": 900}
OPTIONS = ["Meer tijd voor gesprek", "Minder regels", "Samen eten"]
#: Opens every fold (details) on the page, to check what is inside too.
OPEN_ALL_DETAILS = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
CASE = "Finn (10) zit in groep 6. Hij kopieert gedrag van zijn zus; ouders en school praten moeizaam met elkaar."


@pytest.fixture
def room(app_server: Room) -> Room:
    """A fresh bijeenkomst (its agenda starts with an open question) on the shared server."""
    return new_room(app_server, series="Dialoogsessies Jeugd")


@pytest.fixture
def phone(phone: Callable[..., OpenedPage]) -> Callable[[str], OpenedPage]:
    """The 360x740 phone of conftest.py; bypass_csp: axe goes in as an inline script, which the CSP refuses."""
    small_phone = phone
    return lambda name: small_phone(name, bypass_csp=True)


@pytest.fixture
def host(open_page: Callable[..., OpenedPage]) -> Callable[[Room], OpenedPage]:
    def _open(room: Room) -> OpenedPage:
        tab = open_page("host", "host", viewport=HOST, bypass_csp=True)
        tab.page.goto(f"{room.base_url}/host/login?key={HOST_KEY}")
        return tab

    return _open


def open_session(page: Page, room: Room) -> None:
    page.goto(f"{room.base_url}/host/s/{room.session_id}")
    expect(page.locator(".status")).to_have_attribute("data-status", "connected")


class Axe:
    """Runs axe over named page states; the test asserts none had a violation."""

    def __init__(self) -> None:
        self.found: dict[str, list[dict[str, Any]]] = {}

    def check(self, state: str, page: Page) -> None:
        page.wait_for_timeout(50)  # let a redraw scheduled for the next frame land first
        self.found[state] = axe_violations(page)
        print(f"axe {state}: {len(self.found[state])} violation(s)")  # noqa: T201 - the report's numbers

    def assert_none(self) -> None:
        failing = {state: found for state, found in self.found.items() if found}
        assert not failing, "axe found WCAG 2.1 A/AA violations:\n" + describe_violations(failing)


# -- axe over every page state ---------------------------------------------------------------------------------


def test_axe_phone_join_answer_and_roles(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    axe = Axe()
    tab = phone("phone")
    page = tab.page
    page.goto(f"{room.base_url}/")
    axe.check("phone landing", page)
    page.goto(f"{room.base_url}/j/{room.join_code}")
    axe.check("phone join", page)
    join(page, room)
    expect(page.locator("#answer")).to_be_visible()
    axe.check("phone open vraag", page)
    page.locator("#answer").fill("Meer tijd om echt te luisteren")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#mine .mine-item.sent")).to_have_count(1)
    axe.check("phone open vraag, sent", page)
    [me] = room.participants()
    [mine] = [c for c in room.deps.repo.list_contributions(room.session_id) if c.participant_id == me.id]
    room.do(services.set_contribution_hidden, room.session_id, mine.id, True)
    expect(page.locator("#mine .mine-item.is-hidden")).to_have_count(1)
    axe.check("phone open vraag, hidden by the host", page)
    page.get_by_role("button", name="wijzig").click()
    expect(page.locator("#table-picker")).to_be_visible()
    axe.check("phone table picker", page)
    page.locator("#table-close").click()
    page.locator("#role-code summary").click()
    page.locator("#rejoin summary").click()
    axe.check("phone role code and herstelcode open", page)

    buffers = room.add("vier_buffers")
    room.go_to(buffers, 1)
    expect(page.locator("#bucket-options label.bucket")).to_have_count(4)
    page.locator("#bucket-options input").first.check()
    axe.check("phone vier buffers", page)

    casus = room.add("casusdialoog", {"case_text": CASE})
    room.go_to(casus, 0)
    axe.check("phone casus", page)
    room.go_to(casus, 4)  # private answers, with sharing
    expect(page.locator("#share-field")).to_be_visible()
    page.locator("#answer").fill("Ik durf vaker te vragen wat ouders zelf al zien")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#mine .share-row")).to_have_count(1)
    axe.check("phone private answer with sharing", page)

    roddel = room.add("roddelmethode", {"case_text": CASE})
    room.do(services.assign_role, room.deps.registry, room.session_id, role="inbrenger", number=me.number,
            item_id=room.item_id(roddel))
    room.go_to(roddel, 2)
    other = room.other_phone()
    room.send(other, "Ik denk dat Finn vooral aandacht zoekt", tags=["observatie"])
    expect(page.locator("#listen-list .listen-item")).to_have_count(1)
    axe.check("phone inbrenger listening", page)
    page.locator("#listen-list .star").click()
    expect(page.locator("#listen-list .star")).to_have_attribute("aria-pressed", "true")
    axe.check("phone inbrenger starred", page)
    axe.assert_none()
    assert_clean(tab, base_url=room.base_url)


def test_axe_phone_table_vote_place_closing_and_end(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    axe = Axe()
    tab = phone("phone")
    page = tab.page
    first = room.add("open_vraag", {"prompt": "Wat neem je mee?"})
    advies = room.add("tafeladvies")
    room.go_to(advies, 0)
    join(page, room)
    expect(page.locator("#table-needed")).to_be_visible()
    axe.check("phone table needed", page)
    page.locator("#table-grid-inline").get_by_role("button", name="Tafel 2", exact=True).click()
    expect(page.locator(".draft-text")).to_have_count(1)
    page.locator(".draft-text").fill("Zorg voor één vast aanspreekpunt op school")
    page.locator(".draft-text").blur()
    expect(page.locator(".slot-status")).to_have_text("bewaard")
    axe.check("phone table draft", page)
    # Someone else at the table saves while this phone is typing (it saves after a pause): both texts, a choice.
    other = room.other_phone(table=2)
    page.locator(".draft-text").fill("Zorg voor één vast aanspreekpunt, ook in de vakantie")
    room.do(services.save_table_draft, room.deps.registry, room.session_id, other, kind="advies", slot=1,
            text="Vraag de ouders wat zij al geprobeerd hebben", base_version=1)
    page.locator(".draft-text").blur()
    expect(page.locator(".conflict")).to_be_visible()
    axe.check("phone table draft conflict", page)
    page.get_by_role("button", name="Zet mijn tekst erachter").click()
    expect(page.locator(".conflict")).to_be_hidden()
    page.get_by_role("button", name="Ik ben de woordvoerder").click()
    page.get_by_role("button", name="Indienen namens de tafel").click()
    expect(page.locator(".slot-status")).to_have_text("✓ ingediend")
    axe.check("phone table draft submitted", page)

    vote = room.add("stemmen", {"options": OPTIONS, "dots": 2})
    room.go_to(vote, 0)
    expect(page.locator(".vote-target")).to_have_count(3)
    page.locator(".vote-target").first.click()
    expect(page.locator(".vote-target").first).to_have_attribute("aria-pressed", "true")
    axe.check("phone vote", page)

    # Rode draden: the phone places its own answers to the open question on the board.
    room.go_to(first, 0)
    for text in ("Meer tijd om te luisteren", "Een vast aanspreekpunt"):
        page.locator("#answer").fill(text)
        page.get_by_role("button", name="Versturen").click()
        expect(page.locator("#mine .mine-item.sent").filter(has_text=text)).to_have_count(1)
    board = room.add("rode_draden", {"source": room.item_id(first)})
    room.do(services.edit_board, room.deps.registry, room.session_id, room.item_id(first), "add_theme",
            {"name": "Tijd", "cards": []})
    room.go_to(board, 0)
    expect(page.locator(".place-item")).to_have_count(2)
    page.locator(".place-item").first.locator(".place-theme").first.click()
    expect(page.locator(".place-item").first.locator(".place-saved")).to_be_visible()
    page.locator(".place-item").nth(1).get_by_role("button", name="Nieuw thema voorstellen").click()
    axe.check("phone place card", page)
    room.go_to(board, 1)  # the rode draad: the phones wait and watch the screen
    expect(page.locator("#answer-form")).to_be_hidden()
    axe.check("phone waiting", page)

    room.publish(services.set_closing, room.deps.repo, room.session_id, True)
    expect(page.locator("#verslag")).to_be_visible()
    axe.check("phone closing opt-in", page)
    page.get_by_label("Je e-mailadres").fill("iemand@example.org")
    page.get_by_label("Ja, stuur mij het verslag").check()
    page.get_by_role("button", name="Verstuur").click()
    expect(page.locator("#verslag-done")).to_be_visible()
    axe.check("phone closing opt-in done", page)

    room.publish(services.delete_session, room.deps.repo, room.deps.series, room.session_id)
    expect(page.locator("#session-ended")).to_be_visible()
    axe.check("phone session ended", page)
    axe.assert_none()
    assert_clean(tab, base_url=room.base_url)


def test_axe_phone_composed_answer_kinds(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    """A composed werkvorm's answer kinds (issue 16): grid, scale, ranking, afspraak, given, and per table."""
    axe = Axe()
    item = room.add("samengesteld", {"composition": EVERY_ANSWER})
    per_table = room.add("samengesteld", {"composition": PER_TABLE})
    tab = phone("phone")
    page = tab.page
    room.go_to(item, 0)
    join(page, room, tafel=1)
    page.get_by_role("radio", name=re.compile("^Open")).check()
    axe.check("phone composed grid", page)
    room.go_to(item, 1)
    page.get_by_role("radio", name="4", exact=True).check()
    axe.check("phone composed scale", page)
    page.get_by_label("Leg in één zin uit").fill("Iedereen kwam aan het woord")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#answer-done")).to_be_visible()
    axe.check("phone composed scale, given", page)
    room.go_to(item, 2)
    page.get_by_role("button", name="Geld omhoog").click()
    axe.check("phone composed ranking", page)
    room.go_to(item, 3)
    page.get_by_role("radio", name="Bestuur").check()
    axe.check("phone composed afspraak", page)
    page.get_by_label("Wat", exact=True).fill("Verslag rondsturen")
    page.get_by_label("Wie", exact=True).fill("Sanne")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#mine .mine-item.sent").filter(has_text="Afspraak:")).to_have_count(1)
    axe.check("phone composed afspraak, sent", page)
    room.go_to(per_table, 3)
    expect(page.locator("#spokes-answer")).to_be_visible()
    axe.check("phone composed per table, not the woordvoerder", page)
    axe.assert_none()
    assert_clean(tab, base_url=room.base_url)


def test_axe_host_pages(room: Room, host: Callable[[Room], OpenedPage]) -> None:
    axe = Axe()
    tab = host(room)
    page = tab.page
    room.add("vier_buffers")
    room.add("roddelmethode", {"case_text": CASE})
    services.save_to_library(room.deps.repo, room.deps.library, room.session_id, room.item_id(1), name="Vier buffers")
    page.goto(f"{room.base_url}/host/")
    axe.check("host dashboard", page)
    page.evaluate(OPEN_ALL_DETAILS)
    axe.check("host dashboard, all folds open", page)
    page.goto(f"{room.base_url}/host/s/{room.session_id}/voorbereiden")
    axe.check("host prepare", page)
    page.evaluate(OPEN_ALL_DETAILS)
    axe.check("host prepare, all editors open", page)
    page.goto(f"{room.base_url}/host/bibliotheek")
    axe.check("host library", page)
    page.goto(f"{room.base_url}/host/s/{room.session_id}/tafels")
    axe.check("host table QR sheet", page)
    other = room.other_phone(table=1, perspective=Perspective.OUDER)
    room.send(other, "Meer tijd om echt te luisteren")
    page.goto(f"{room.base_url}/host/s/{room.session_id}/verslag")
    expect(page.locator("#preview-title")).to_be_visible()
    axe.check("host verslag", page)
    page.goto(f"{room.base_url}/host/instellingen/e-mail")
    axe.check("host mail settings", page)
    page.locator("#mail-host").fill("smtp.voorbeeld.nl")
    page.locator("#mail-port").fill("99999")
    page.get_by_role("button", name="Opslaan").click()  # a port out of range, no sender: both fields say why
    expect(page.locator(".field-error").first).to_be_visible()
    # The refused form comes back as 400, which Chromium logs; that one is expected, anything else is not.
    refused = [e for e in tab.watch.console_errors if "status of 400" in e and "/host/instellingen/e-mail" in e]
    assert len(refused) == 1, tab.watch.console_errors
    tab.watch.console_errors.remove(refused[0])
    axe.check("host mail settings with field errors", page)
    axe.assert_none()
    assert_clean(tab, base_url=room.base_url)


#: A composed werkvorm (issue 16) with every display of its own: grid, scale, ranking, afspraken.
COMPOSITION = {
    "name": "Grondhouding",
    "rows": [{"label": "Nieuwsgierig", "description": "Ik vraag door"}, {"label": "Open"}],
    "columns": [{"label": "Herken ik", "description": "Zo doe ik het al"}, {"label": "Vind ik lastig"}],
    "scale": ["Oneens", "Neutraal", "Eens"],
    "ranking_options": ["Tijd", "Aanspreekpunt", "Formulieren"],
    "phases": [
        {"title": "Raster", "prompt": "Waar sta jij?", "answer": "grid"},
        {"title": "Duimpje", "prompt": "Hielp dit?", "answer": "scale", "explain": True},
        {"title": "Wat eerst", "prompt": "Wat eerst?", "answer": "ranking"},
        {"title": "Afspraken", "prompt": "Wat spreken we af?", "answer": "action"},
    ],
}


def composed_displays(room: Room, page: Page, phones: list[Any]) -> Iterator[str]:
    """Move the regie through a composed werkvorm's displays, with an answer in each; yield each state's name."""
    composed = room.add(next(wf.id for wf in room.deps.registry if "composed" in wf.capabilities),
                        {"composition": COMPOSITION})
    room.go_to(composed, 0)
    room.send(phones[0], "Ik vraag vaker door", kind="a1", bucket="r1", tags=["k1"])
    expect(page.locator(".grid-table .card")).to_have_count(1)
    yield "grid"
    room.go_to(composed, 1)
    room.send(phones[1], "Goed gesprek gehad", kind="a2", tags=["s3"])
    expect(page.locator(".vote-row")).to_have_count(3)
    yield "scale"
    room.go_to(composed, 2)
    room.send(phones[2], "Tijd eerst", kind="a3", ranking=["o1", "o3", "o2"])
    expect(page.locator(".vote-row")).to_have_count(3)
    yield "ranking"
    room.go_to(composed, 3)
    room.send(phones[0], "Aanspreekpunt regelen", kind="a4", owner="Wijkteam", due="maart", tags=["uitvoering"])
    expect(page.locator(".actions-table tbody tr")).to_have_count(1)
    yield "afspraken"


def test_axe_host_live_view_in_its_phases(room: Room, host: Callable[[Room], OpenedPage]) -> None:
    axe = Axe()
    tab = host(room)
    page = tab.page
    phones = [room.other_phone(table=t, perspective=Perspective.OUDER) for t in (1, 1, 2)]
    open_session(page, room)
    axe.check("regie open vraag, empty", page)
    for n, p in enumerate(phones):
        room.send(p, f"Antwoord nummer {n + 1}: meer tijd om te luisteren")
    expect(page.locator("#wall .card")).to_have_count(3)
    page.locator("#wall .card").first.get_by_role("button").first.click()
    expect(page.locator("#hidden-count")).to_have_text("1")
    page.locator("#hidden-panel summary").click()
    axe.check("regie wall with hidden panel open", page)
    for panel in ("tables-panel", "reach-panel"):
        page.locator(f"#{panel} summary").click()
    page.get_by_role("button", name="Maak een test-QR-code").click()
    axe.check("regie tables, reach and closing panels open", page)

    hidden = room.add("open_vraag", {"prompt": "Wat zie jij?", "hidden": {"antwoorden": True}})
    room.go_to(hidden, 0)
    room.send(phones[0], "Een verborgen antwoord")
    expect(page.locator("#reveal-panel")).to_be_visible()
    axe.check("regie waiting for reveal", page)

    buffers = room.add("vier_buffers")
    room.go_to(buffers, 1)
    room.send(phones[1], "Een buurtmoeder", kind="vangnet", bucket="meta_positie", tags=["mens", "geven"])
    expect(page.locator(".quadrant")).to_have_count(4)
    axe.check("regie vier buffers", page)

    roddel = room.add("roddelmethode", {"case_text": CASE})
    room.go_to(roddel, 0)
    axe.check("regie casus", page)
    room.go_to(roddel, 2)
    room.send(phones[2], "Ik denk dat Finn aandacht zoekt", tags=["observatie"])
    axe.check("regie roddel stream", page)
    room.go_to(roddel, 3)
    page.locator("#roles-panel summary").click()
    axe.check("regie per table with roles panel open", page)

    vote = room.add("stemmen", {"options": OPTIONS, "dots": 2})
    room.go_to(vote, 0)
    room.do(services.cast_vote, room.deps.registry, room.session_id, phones[0], target="option-1", on=True)
    axe.check("regie vote chart", page)

    for state in composed_displays(room, page, phones):
        axe.check(f"regie samengesteld: {state}", page)

    board = room.add("rode_draden", {"source": room.item_id(0)})
    room.go_to(board, 0)
    expect(page.locator("#display-other .board")).to_be_visible()
    axe.check("regie board display", page)
    page.keyboard.press("b")
    expect(page.locator("#board-panel")).to_be_visible()
    axe.check("regie board panel open", page)
    axe.assert_none()
    assert_clean(tab, base_url=room.base_url)


# -- what axe does not see: the phone --------------------------------------------------------------------------

#: The text of every live region a screen reader would read out (role status/alert/log, aria-live not "off"),
#: except those hidden from everyone.
LIVE_TEXTS_JS = """() => {
  const live = '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]';
  return Array.from(document.querySelectorAll(live))
    .filter((node) => !node.closest("[hidden], [aria-hidden='true']") && getComputedStyle(node).display !== "none")
    .map((node) => node.textContent.replace(/\\s+/g, " ").trim())
    .filter(Boolean);
}"""

#: Whether an element's text changes would be read out: it lies inside a live region that is not "off".
IN_LIVE_REGION_JS = """(node) => {
  for (let el = node; el; el = el.parentElement) {
    const live = el.getAttribute("aria-live");
    if (live === "off") return false;
    if (live || ["status", "alert", "log"].includes(el.getAttribute("role"))) return true;
  }
  return false;
}"""

def live_texts(page: Page) -> list[str]:
    texts: list[str] = page.evaluate(LIVE_TEXTS_JS)
    return texts


def test_a_new_question_is_announced_in_a_live_region(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    second = room.add("open_vraag", {"prompt": "Wat neem je vandaag mee naar huis?"})
    tab = phone("phone")
    page = tab.page
    join(page, room)
    expect(page.locator("#answer")).to_be_visible()
    room.go_to(second, 0)
    expect(page.locator("#prompt")).to_have_text("Wat neem je vandaag mee naar huis?")
    wait_until(
        page,
        lambda: any("Antwoorden: Wat neem je vandaag mee naar huis?" in text for text in live_texts(page)),
        "the new phase title and question in a live region",
    )
    roddel = room.add("roddelmethode", {"case_text": CASE})
    room.go_to(roddel, 1)
    wait_until(page, lambda: any("Verhelderende vragen: " in text for text in live_texts(page)), "the next phase")
    # The same question again (the whole state, sent after choosing a table) is not announced again as new.
    page.evaluate("() => { document.getElementById('announce').textContent = ''; }")
    page.get_by_role("button", name="wijzig").click()
    page.locator("#table-grid").get_by_role("button", name="Tafel 3", exact=True).click()
    expect(page.locator("#my-table")).to_have_text("Tafel 3")
    page.wait_for_timeout(300)
    assert not [text for text in live_texts(page) if "Verhelderende vragen" in text]
    assert_clean(tab, base_url=room.base_url)


def test_focus_stays_on_a_control_after_sending_voting_and_placing(
    room: Room, phone: Callable[[str], OpenedPage]
) -> None:
    tab = phone("phone")
    page = tab.page
    join(page, room)
    # Sending with the keyboard: the focus lands on something sensible, never on the page body.
    page.locator("#answer").fill("Meer tijd om echt te luisteren")
    page.locator("#send").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#mine .mine-item.sent")).to_have_count(1)
    expect(page.locator("#send")).to_be_focused()  # still there for the next answer
    page.locator("#answer").fill("Een vast aanspreekpunt")
    page.locator("#send").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#mine .mine-item.sent")).to_have_count(2)
    expect(page.locator("#send")).to_be_focused()

    vote = room.add("stemmen", {"options": OPTIONS, "dots": 2})
    room.go_to(vote, 0)
    target = page.locator(".vote-target").nth(1)
    target.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".vote-target").nth(1)).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".vote-target").nth(1)).to_be_focused()
    page.keyboard.press("Space")  # the same button, still focused, takes the dot back
    expect(page.locator(".vote-target").nth(1)).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".vote-target").nth(1)).to_be_focused()

    board = room.add("rode_draden", {"source": room.item_id(0)})
    room.do(services.edit_board, room.deps.registry, room.session_id, room.item_id(0), "add_theme",
            {"name": "Tijd", "cards": []})
    room.go_to(board, 0)
    first = page.locator(".place-item").first
    first.locator(".place-theme").first.focus()
    page.keyboard.press("Enter")
    expect(first.locator(".place-saved")).to_have_text("Bewaard onder: Tijd")
    expect(first.locator(".place-theme[aria-pressed=true]")).to_be_focused()
    second = page.locator(".place-item").nth(1)
    second.get_by_role("button", name="Nieuw thema voorstellen").click()
    second.get_by_label("Naam van je thema").fill("Contact met school")
    page.keyboard.press("Enter")
    expect(second.locator(".place-saved")).to_have_text("Bewaard onder: Contact met school")
    expect(second.locator(".place-theme[aria-pressed=true]")).to_be_focused()  # the theme it now sits under

    room.publish(services.set_closing, room.deps.repo, room.session_id, True)
    page.get_by_label("Je e-mailadres").fill("iemand@example.org")
    page.get_by_label("Ja, stuur mij het verslag").check()
    page.get_by_role("button", name="Verstuur").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#verslag-done")).to_be_visible()
    expect(page.locator("#verslag-done-text")).to_be_focused()  # the confirmation
    page.get_by_role("button", name="Toch niet").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#verslag-form")).to_be_visible()
    expect(page.locator("#verslag-title")).to_be_focused()
    assert_clean(tab, base_url=room.base_url)


def test_focus_stays_on_a_control_after_the_table_submits(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    advies = room.add("tafeladvies")
    room.go_to(advies, 0)
    tab = phone("phone")
    page = tab.page
    join(page, room, tafel=3)
    page.locator(".draft-text").fill("Zorg voor één vast aanspreekpunt op school")
    page.get_by_role("button", name="Ik ben de woordvoerder").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Indienen namens de tafel")).to_be_focused()
    page.get_by_role("button", name="Indienen namens de tafel").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".slot-status")).to_have_text("✓ ingediend")
    expect(page.locator(".submitted-note")).to_be_focused()  # says what happened, and that editing may go on
    assert_clean(tab, base_url=room.base_url)


def test_focus_stays_on_a_control_after_sharing_choosing_a_table_and_a_role_code(
    room: Room, phone: Callable[[str], OpenedPage]
) -> None:
    casus = room.add("casusdialoog", {"case_text": CASE})
    room.go_to(casus, 4)  # private answers, with sharing
    tab = phone("phone")
    page = tab.page
    join(page, room)
    page.locator("#answer").fill("Ik durf vaker te vragen wat ouders zelf al zien")
    page.get_by_role("button", name="Versturen").click()
    share = page.locator("#mine .share-row button")
    share.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#mine .share-state")).to_have_text("gedeeld met de zaal")
    expect(page.get_by_role("button", name="Niet meer delen")).to_be_focused()

    page.get_by_role("button", name="wijzig").focus()
    page.keyboard.press("Enter")
    page.locator("#table-grid").get_by_role("button", name="Tafel 4", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#my-table")).to_have_text("Tafel 4")
    expect(page.locator("#change-table")).to_be_focused()

    code = room.do(services.create_role_code, room.deps.registry, room.session_id, role="tafelvoorzitter", table=4)
    page.locator("#role-code summary").click()
    page.locator("#role-code-input").fill(code)
    page.locator("#role-submit").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#role-result")).to_be_visible()
    expect(page.locator("#role-submit")).to_be_focused()
    assert_clean(tab, base_url=room.base_url)


def test_half_typed_text_stays_with_its_own_question(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    second = room.add("open_vraag", {"prompt": "Wat neem je vandaag mee naar huis?"})
    tab = phone("phone")
    page = tab.page
    join(page, room)
    box = page.locator("#answer")
    box.fill("Half getypt bij de eerste vraag")
    room.go_to(second, 0)
    expect(page.locator("#prompt")).to_have_text("Wat neem je vandaag mee naar huis?")
    expect(box).to_have_value("")
    box.fill("Iets voor de tweede vraag")
    room.go_to(0, 0)  # the facilitator steps back: the first question's words come back, not the second's
    expect(page.locator("#prompt")).not_to_have_text("Wat neem je vandaag mee naar huis?")
    expect(box).to_have_value("Half getypt bij de eerste vraag")
    room.go_to(second, 0)
    expect(box).to_have_value("Iets voor de tweede vraag")

    assert_clean(tab, base_url=room.base_url)


def test_the_counter_speaks_only_near_the_limit(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    tab = phone("phone")
    page = tab.page
    join(page, room)
    counter = page.locator("#counter")
    page.locator("#answer").fill("Twaalf woorden")
    expect(counter).to_have_text("nog 486 tekens")
    assert not counter.evaluate(IN_LIVE_REGION_JS), "every keystroke far from the limit is read out"
    page.locator("#answer").fill("x" * 490)
    expect(counter).to_have_text("nog 10 tekens")
    assert counter.evaluate(IN_LIVE_REGION_JS), "near the limit the counter is not read out"
    page.locator("#answer").fill("x" * 20)
    assert not counter.evaluate(IN_LIVE_REGION_JS), "far from the limit again, the counter still speaks"
    assert_clean(tab, base_url=room.base_url)


def test_sent_is_announced_only_after_the_servers_acknowledgement(
    room: Room, phone: Callable[[str], OpenedPage], monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = phone("phone")
    page = tab.page
    join(page, room)
    release = threading.Event()
    real = services.submit_contribution

    def held(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)  # the server has not stored it yet
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "submit_contribution", held)
    page.locator("#answer").fill("Meer tijd om echt te luisteren")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#mine .mine-item.pending")).to_have_count(1)
    page.wait_for_timeout(300)
    spoken = [text for text in live_texts(page) if "verstuurd" in text.lower() and "wordt verstuurd" not in text]
    assert not spoken, f"announced as sent before the server stored it: {spoken}"
    release.set()
    expect(page.locator("#mine .mine-item.sent")).to_have_count(1)
    wait_until(
        page,
        lambda: any("verstuurd" in text.lower() and "wordt verstuurd" not in text for text in live_texts(page)),
        "sent, announced after the acknowledgement",
    )
    assert_clean(tab, base_url=room.base_url)


# -- contrast of what is not text: focus rings and field borders (WCAG 1.4.11, 3:1) ------------------------------

#: The visible text fields of the page, by id or a selector to find them by.
FIELDS_JS = """() => Array.from(document.querySelectorAll(
    "input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=submit]), textarea, select"))
  .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility === "visible")
  .map((el, i) => { el.dataset.a11yField = String(i); return `[data-a11y-field="${i}"]`; })"""


def border_contrast(page: Page, field: Locator) -> float:
    """The lowest contrast of a field's border against the field inside and the background around it."""
    style = field.evaluate("(el) => { const s = getComputedStyle(el); return [s.borderTopColor, s.borderTopWidth]; }")
    assert float(style[1].removesuffix("px")) >= 1, f"{field} has no border"
    inside, outside = background_of(page, field), background_of(page, field, own=False)
    border = parse_colour(style[0])
    return min(contrast(over(border, inside), inside), contrast(over(border, outside), outside))


def outline_contrast(page: Page, node: Locator) -> float:
    """The contrast of a focused element's outline against the background around it."""
    style = node.evaluate("(el) => { const s = getComputedStyle(el); return [s.outlineColor, s.outlineStyle, s.outlineWidth]; }")
    assert style[1] != "none" and float(style[2].removesuffix("px")) >= 2, f"{node} shows no focus ring: {style}"
    outside = background_of(page, node, own=False)
    return contrast(over(parse_colour(style[0]), outside), outside)


def low_field_borders(page: Page, where: str) -> list[str]:
    """Return the fields on the page whose border is under 3:1, with their contrast."""
    low = []
    for selector in page.evaluate(FIELDS_JS):
        field = page.locator(selector)
        ratio = border_contrast(page, field)
        print(f"border {where} {field.evaluate('(el) => el.id || el.name')}: {ratio:.2f}")  # noqa: T201
        if ratio < 3:
            low.append(f"{where}: {field.evaluate('(el) => el.outerHTML.slice(0, 120)')} border {ratio:.2f}:1")
    return low


def test_focus_rings_and_field_borders_reach_3_to_1(
    room: Room, phone: Callable[[str], OpenedPage], host: Callable[[Room], OpenedPage]
) -> None:
    tab = phone("phone")
    page = tab.page
    page.goto(f"{room.base_url}/j/{room.join_code}")
    low = low_field_borders(page, "join")
    join(page, room)
    page.locator("#role-code summary").click()
    page.locator("#rejoin summary").click()
    low += low_field_borders(page, "answer")
    # The focus ring on a radio tile (a buffer), reached with the keyboard.
    buffers = room.add("vier_buffers")
    room.go_to(buffers, 1)
    expect(page.locator("#bucket-options label.bucket")).to_have_count(4)
    page.locator("#answer").focus()
    page.keyboard.press("Tab")
    tile = page.locator(".tile-input:focus-visible + .tile-body")
    expect(tile).to_have_count(1)
    ring = outline_contrast(page, tile)
    print(f"focus ring radio tile: {ring:.2f}")  # noqa: T201
    low += [f"radio tile focus ring {ring:.2f}:1"] if ring < 3 else []
    page.locator("#answer").focus()
    ring = outline_contrast(page, page.locator("#answer"))
    print(f"focus ring text field: {ring:.2f}")  # noqa: T201
    low += [f"text field focus ring {ring:.2f}:1"] if ring < 3 else []
    room.publish(services.set_closing, room.deps.repo, room.session_id, True)
    expect(page.locator("#verslag")).to_be_visible()
    low += low_field_borders(page, "closing")

    host_tab = host(room)
    hostpage = host_tab.page
    for name, path in (
        ("dashboard", "/host/"),
        ("prepare", f"/host/s/{room.session_id}/voorbereiden"),
        ("library", "/host/bibliotheek"),
        ("verslag", f"/host/s/{room.session_id}/verslag"),
        ("mail settings", "/host/instellingen/e-mail"),
    ):
        hostpage.goto(f"{room.base_url}{path}")
        hostpage.evaluate(OPEN_ALL_DETAILS)
        low += low_field_borders(hostpage, name)
    open_session(hostpage, room)
    hostpage.evaluate(OPEN_ALL_DETAILS)
    low += low_field_borders(hostpage, "regie")
    assert not low, "under 3:1:\n" + "\n".join(low)
    assert_clean(tab, host_tab, base_url=room.base_url)


# -- the host's keyboard: shortcuts leave a focused control alone (WCAG 2.1.4) ------------------------------------


def timer_running(room: Room) -> bool:
    timer = room.deps.repo.get_session(room.session_id).timer
    return bool(timer and timer.running)


def test_host_shortcuts_leave_a_focused_control_alone(room: Room, host: Callable[[Room], OpenedPage]) -> None:
    tab = host(room)
    page = tab.page
    open_session(page, room)
    qr = page.locator("#toggle-qr")
    # A letter on a focused button, link or summary is not a shortcut.
    for control in (page.locator("#toggle-board"), page.get_by_role("link", name="Voorbereiden"),
                    page.locator("#tables-panel summary")):
        control.focus()
        for key in ("q", "b", "o", "+"):
            page.keyboard.press(key)
    page.wait_for_timeout(300)
    expect(page.locator("body.qr-small")).to_have_count(0)
    expect(page.locator("#board-panel")).to_be_hidden()
    assert not timer_running(room)
    # Space and Enter press the focused button (here: the QR toggle), and the timer does not start.
    qr.focus()
    page.keyboard.press("Space")
    expect(qr).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")
    expect(qr).to_have_attribute("aria-pressed", "false")
    page.locator("#tables-panel summary").focus()
    page.keyboard.press("Space")
    expect(page.locator("#tables-panel")).to_have_attribute("open", "")
    page.wait_for_timeout(300)
    assert not timer_running(room), "Space on a focused control started the timer"
    # With nothing focused, the shortcuts work: Q, B, Esc, and Space for the timer.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("q")
    expect(qr).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("b")
    expect(page.locator("#board-panel")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#board-panel")).to_be_hidden()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Space")
    wait_until(page, lambda: timer_running(room), "Space started the timer")
    assert_clean(tab, base_url=room.base_url)


# -- projected host text: 7:1, so a washed-out projector still carries it -------------------------------------------


def test_projected_host_text_reaches_7_to_1(room: Room, host: Callable[[Room], OpenedPage]) -> None:
    tab = host(room)
    page = tab.page
    phones = [room.other_phone(table=t, perspective=Perspective.OUDER) for t in (1, 1, 2)]
    open_session(page, room)
    seen: dict[tuple[str, str], float] = {}

    def measure(state: str) -> None:
        page.wait_for_timeout(100)
        for where, text, ratio in text_contrasts(page):
            seen[(where, text)] = min(ratio, seen.get((where, text), 21.0))

    for n, p in enumerate(phones):
        room.send(p, f"Antwoord nummer {n + 1}: meer tijd om te luisteren")
    expect(page.locator("#wall .card")).to_have_count(3)
    measure("wall")
    page.locator("#wall .card").first.get_by_role("button").first.click()
    expect(page.locator("#hidden-count")).to_have_text("1")
    page.evaluate(OPEN_ALL_DETAILS)  # the hidden items and the facilitator's panels
    measure("wall with the panels open")
    hidden = room.add("open_vraag", {"prompt": "Wat zie jij?", "hidden": {"antwoorden": True}})
    room.go_to(hidden, 0)
    expect(page.locator("#reveal-panel")).to_be_visible()
    measure("reveal")
    buffers = room.add("vier_buffers")
    room.go_to(buffers, 1)
    room.send(phones[1], "Een buurtmoeder", kind="vangnet", bucket="meta_positie", tags=["mens", "geven"])
    expect(page.locator(".quadrant .card")).to_have_count(1)
    measure("quadrants")
    roddel = room.add("roddelmethode", {"case_text": CASE})
    room.go_to(roddel, 0)
    measure("case")
    room.go_to(roddel, 2)
    room.send(phones[2], "Ik denk dat Finn aandacht zoekt", tags=["observatie"])
    measure("stream")
    room.go_to(roddel, 3)
    room.do(services.save_table_draft, room.deps.registry, room.session_id, phones[0], kind="advies", slot=1,
            text="Eén vast aanspreekpunt", base_version=0)
    expect(page.locator(".table-column .draft")).to_have_count(1)
    measure("per table")
    vote = room.add("stemmen", {"options": OPTIONS, "dots": 2})
    room.go_to(vote, 0)
    room.do(services.cast_vote, room.deps.registry, room.session_id, phones[0], target="option-1", on=True)
    measure("votes")
    for state in composed_displays(room, page, phones):
        measure(state)
    board = room.add("rode_draden", {"source": room.item_id(0)})
    room.go_to(board, 0)
    expect(page.locator("#display-other .board")).to_be_visible()
    measure("board")
    page.keyboard.press("b")
    expect(page.locator("#board-panel")).to_be_visible()
    measure("board panel")

    low = sorted((ratio, where, text) for (where, text), ratio in seen.items() if ratio < 7)
    share = len(low) / len(seen)
    chars = sum(len(text) for _r, _w, text in low) / sum(len(text) for _w, text in seen)
    print(f"projected text under 7:1: {len(low)} of {len(seen)} texts ({share:.0%}), {chars:.0%} of characters")  # noqa: T201
    for ratio, where, text in low:
        print(f"  {ratio:5.2f}  {where}  {text[:60]}")  # noqa: T201
    assert not low, f"{len(low)} of {len(seen)} projected texts under 7:1 ({share:.0%})"
    assert_clean(tab, base_url=room.base_url)
