"""The roddelmethode from start to end, the way a room runs it: the real eventlet server, the facilitator's
projector view (1600x900) and three real phones (360x740) at three named tables, one of them the inbrenger.

Every phase is driven from the host's keyboard (→); every screen is checked by its exact words and saved as
a screenshot per phase (``roddelmethode-<nn>-<phase>-<host|phone1|phone2|phone3>.png``). At the end the
server is stopped and the bijeenkomst's own files are read: exactly the contributions the phones sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository, read_session_data
from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import SCREENSHOTS, OpenedPage, assert_clean, serving
from workformats.roddelmethode import CASE_TEXT

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
TABLES = ["Tafel Noord", "Tafel Zuid", "Tafel Oost"]
PHASES = ["Inbreng", "Verhelderende vragen", "Roddelen", "Advies per tafel", "Reactie inbrenger", "Rode draad"]

HULPVRAAG = "Hoe krijg ik ouders en school weer met elkaar in gesprek over Finn?"
VRAAG_2 = "Sinds wanneer kopieert Finn het gedrag van zijn zus?"
VRAAG_3 = "Wat zegt Finn zelf over school?"
OBSERVATIE_2 = "Ouders en school spreken elkaar alleen als er iets misgaat"
HYPOTHESE_3 = "Finn doet zijn zus na om ook aandacht te krijgen"
HYPOTHESE_2 = "Door de dyslexie voelt Finn zich in de klas minder slim dan de anderen"
ADVIES_2 = "Plan één gesprek met ouders, school en Finn samen, en laat Finn zelf vertellen wat hij nodig heeft."
ADVIES_3 = "Laat de herdiagnostiek ook naar de dyslexie kijken en geef ouders één vast aanspreekpunt op school."
REACTIE = "Het raakte me dat Finn misschien aandacht zoekt. Ik neem mee dat ik Finn zelf meer ga vragen."
RODE_DRAAD = {
    1: "Vraag het kind zelf wat het nodig heeft",
    2: "Samen kijken in plaats van over elkaar praten",
    3: "Eén vast aanspreekpunt voor ouders",
}


@dataclass
class Room:
    server: LiveServer
    session_id: str
    join_code: str


@pytest.fixture
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    """A bijeenkomst with three named tables and the roddelmethode (Finn's case) at its first phase."""
    data_dir = tmp_path_factory.mktemp("roddelmethode-data")
    repo = TinyDBRepository(data_dir)
    registry = discover()
    session = services.create_session(
        repo, registry, title="Tweede dialoogsessie Mentale veerkracht", series="Dialoogsessies Jeugd"
    )
    services.set_tables(repo, session.id, TABLES)
    services.add_agenda_item(repo, registry, session.id, "roddelmethode", {"case_text": CASE_TEXT})
    services.go_to(repo, registry, session.id, 1, 0)
    with serving(data_dir) as server:
        yield Room(server=server, session_id=session.id, join_code=session.join_code)


# -- helpers ---------------------------------------------------------------------------------------


def shoot(number: int, phase: str, host: Page, phones: list[Page]) -> list[str]:
    """Save the whole page of the host and of every phone for this phase (see SCREENSHOTS); return the names."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    names = []
    for who, page in [("host", host)] + [(f"phone{i}", p) for i, p in enumerate(phones, start=1)]:
        name = f"roddelmethode-{number:02d}-{phase}-{who}.png"
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True, animations="disabled", caret="hide")
        names.append(name)
    return names


def mine_item(page: Page, text: str) -> Locator:
    return page.locator("#mine .mine-item").filter(has=page.get_by_text(text, exact=True))


def send_answer(page: Page, text: str, *, tag: str | None = None) -> None:
    """Type an answer (choosing its tag), press Versturen, and wait until it is acknowledged exactly once."""
    if tag:
        page.get_by_role("radio", name=re.compile(f"^{tag}")).check()
    page.locator("#answer").fill(text)
    page.get_by_role("button", name="Versturen").click()
    item = mine_item(page, text)
    expect(item.and_(page.locator(".mine-item.sent"))).to_have_count(1)
    expect(item).to_have_count(1)
    expect(page.locator("#error")).to_be_hidden()


def join(page: Page, room: Room, tafel: int, perspective: str, number: int) -> None:
    """Scan the table's QR code, read the privacy notice, pick a perspective, and join."""
    page.goto(f"{room.server.base_url}/j/{room.join_code}?tafel={tafel}")
    expect(page.get_by_role("heading", name="Welkom!")).to_be_visible()
    expect(page.get_by_role("heading", name="Zo gaan we met je antwoorden om")).to_be_visible()
    expect(page.locator(".privacy li").first).to_have_text("Je doet anoniem mee. We vragen niet om je naam.")
    table_field = page.get_by_label("Aan welke tafel zit je? (mag je leeg laten)")
    expect(table_field.locator("option")).to_have_text(["Zeg ik later", *TABLES])
    expect(table_field.locator("option:checked")).to_have_text(TABLES[tafel - 1])
    expect(page.locator(".table-hint")).to_have_text(
        "Je hebt de QR-code van deze tafel gescand. Klopt het niet? Pas het dan aan."
    )
    page.get_by_role("radio", name=perspective, exact=True).check()
    page.get_by_role("button", name="Ik doe mee").click()
    expect(page).to_have_url(re.compile(re.escape(room.server.base_url) + r"/p/[0-9a-f]{12}$"))
    expect(page.locator(".status")).to_have_attribute("data-status", "connected")
    expect(page.locator(".status-text")).to_have_text("verbonden")
    expect(page.locator("#my-number")).to_have_text(f"Jouw nummer: {number}")
    expect(page.locator("#my-table")).to_have_text(TABLES[tafel - 1])
    expect(page.locator("#phase-title")).to_have_text("Inbreng")


def advance(host: Page, phones: list[Page], title: str, timer: str) -> None:
    """Press → on the host (not in a form field); wait until the host and every phone show the phase."""
    host.locator("body").click(position={"x": 5, "y": 5})
    host.keyboard.press("ArrowRight")
    expect(host.locator("#phase-title")).to_have_text(title)
    expect(host.locator("#phase-list .step[aria-current=step]")).to_have_text(title)
    expect(host.locator("#timer")).to_have_text(timer)
    for page in phones:
        expect(page.locator("#phase-title")).to_have_text(title)
        expect(page.locator("#timer")).to_have_text(f"{timer} (nog niet gestart)")


def stored(room: Room) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, int]]:
    """Read the bijeenkomst's own files: the session document, its contributions, participant id -> number."""
    data, _records = read_session_data(room.server.data_dir / "sessions" / f"{room.session_id}.json")
    [session] = data["session"].values()
    contributions = list(data.get("contributions", {}).values())
    numbers = {doc["id"]: doc["number"] for doc in data.get("participants", {}).values()}
    return session, contributions, numbers


# -- the test --------------------------------------------------------------------------------------


def test_roddelmethode_with_the_host_and_three_phones(open_page: Callable[..., OpenedPage], room: Room) -> None:
    base_url = room.server.base_url
    host_tab = open_page("host", "host")
    host = host_tab.page
    phone_tabs = [open_page("phone", f"phone {n}", viewport=PHONE) for n in (1, 2, 3)]
    inbrenger, phone2, phone3 = phones = [tab.page for tab in phone_tabs]
    others = [phone2, phone3]
    screenshots: list[str] = []

    # -- the host logs in and opens the live view ------------------------------------------------
    host.goto(f"{base_url}/host/login?key={room.server.key}")
    expect(host).to_have_url(f"{base_url}/host/")
    host.goto(f"{base_url}/host/s/{room.session_id}")
    expect(host.locator(".status")).to_have_attribute("data-status", "connected")
    expect(host.locator("h1")).to_have_text("Tweede dialoogsessie Mentale veerkracht")
    expect(host.locator("#agenda-list .step")).to_have_text(["1. Open vraag", "2. De roddelmethode"])
    expect(host.locator("#agenda-list .step[aria-current=step]")).to_have_text("2. De roddelmethode")
    expect(host.locator("#phase-list .step")).to_have_text(PHASES)
    expect(host.locator("#workformat-name")).to_have_text("De roddelmethode")
    expect(host.locator("#phase-title")).to_have_text("Inbreng")
    expect(host.locator("#timer")).to_have_text("5:00")
    expect(host.locator(".case-large")).to_have_text(CASE_TEXT)
    expect(host.locator("#joined-count")).to_have_text("0 aangemeld")

    # -- three phones scan their table's QR code and join ----------------------------------------
    for number, (page, perspective) in enumerate(
        zip(phones, ["Ouder", "Zorgprofessional", "Onderwijsprofessional"], strict=True), start=1
    ):
        join(page, room, tafel=number, perspective=perspective, number=number)
    expect(host.locator("#joined-count")).to_have_text("3 aangemeld")
    expect(host.locator("#connected-count")).to_have_text("3 verbonden")
    host.locator("#tables-panel summary").click()
    expect(host.locator("#table-counts .table-label")).to_have_text([f"Tafel {n} · {t}" for n, t in enumerate(TABLES, 1)])
    expect(host.locator("#table-counts .table-count")).to_have_text(["1 aangemeld · 1 verbonden"] * 3)
    host.locator("#tables-panel summary").click()

    # -- the host makes an inbrenger code; phone 1 types it --------------------------------------
    host.locator("#roles-panel summary").click()
    expect(host.locator("#role-list-empty")).to_have_text("Nog geen rollen gegeven.")
    expect(host.locator("#code-role option")).to_have_text(["Inbrenger", "Woordvoerder"])
    host.locator("#code-role").select_option("inbrenger")
    expect(host.locator("#code-table-label")).to_be_hidden()  # one inbrenger for the whole room
    host.get_by_role("button", name="Maak een code").click()
    expect(host.locator("#role-code-value")).to_have_text(re.compile(r"^[A-Z2-9]{4}$"))
    expect(host.locator("#role-code-label")).to_have_text(
        "Code voor Inbrenger (hele zaal): laat deze typen op de telefoon"
    )
    code = host.locator("#role-code-value").text_content() or ""
    expect(host.locator("#role-list .role-text")).to_have_text([f"Inbrenger · hele zaal · code {code}, nog niet gebruikt"])

    for page in phones:
        expect(page.locator("#role-banner")).to_be_hidden()
        expect(page.locator("#prompt")).to_have_text(
            "Lees de casus op het scherm en luister naar de vraag van de inbrenger."
        )
    inbrenger.get_by_text("Heb je een code van de gespreksleider?").click()
    inbrenger.get_by_label("Code", exact=True).fill(code.lower())  # typed as it comes; the server does not mind the case
    inbrenger.get_by_role("button", name="Gebruik de code").click()
    expect(inbrenger.locator("#role-result")).to_have_text("Gelukt! Jij bent de inbrenger.")
    expect(inbrenger.locator("#role-banner")).to_have_text("Jij bent de inbrenger.")
    expect(host.locator("#role-list .role-text")).to_have_text(["Inbrenger · hele zaal · telefoon nr. 1"])
    expect(host.locator("#roles-summary")).to_have_text("(1 gegeven)")
    host.get_by_role("button", name="Sluiten").click()
    expect(host.locator("#role-code")).to_be_hidden()
    host.locator("#roles-panel summary").click()

    # -- 1. inbreng: the case on the host; the inbrenger types its question ----------------------
    expect(inbrenger.locator("#prompt")).to_have_text("Vertel de casus en stel je vraag. Je kunt je vraag hier ook typen.")
    expect(inbrenger.locator("#timer")).to_have_text("5:00 (nog niet gestart)")
    expect(inbrenger.locator("#limit")).to_have_text("0 van 3 verstuurd")
    send_answer(inbrenger, HULPVRAAG)
    expect(inbrenger.locator("#limit")).to_have_text("1 van 3 verstuurd")
    expect(host.locator("#display-other .section-title")).to_have_text(["Vraag van de inbrenger"])
    expect(host.locator(".case-questions .card-text")).to_have_text([HULPVRAAG])
    expect(host.locator(".case-questions .card-meta span")).to_have_text(["Tafel Noord · ouder"])
    expect(host.locator("#wall-count")).to_have_text("1 bijdrage")
    for page in others:
        expect(page.locator("#role-banner")).to_be_hidden()
        expect(page.locator("#answer-form")).to_be_hidden()  # nothing to send: read and listen
        expect(page.locator("#case")).to_have_attribute("open", "")
        expect(page.locator("#case-text")).to_have_text(CASE_TEXT)
    screenshots += shoot(1, "inbreng", host, phones)

    # -- 2. verhelderende vragen: two questions on the wall; the inbrenger answers aloud ---------
    advance(host, phones, "Verhelderende vragen", "10:00")
    expect(host.locator("#case-block summary")).to_have_text("Casus")
    expect(host.locator("#prompt")).to_have_text(
        "Welke vraag wil je stellen om de casus beter te begrijpen? Stel alleen vragen, nog geen adviezen."
    )
    expect(host.locator("#wall-empty")).to_be_visible()
    expect(inbrenger.locator("#prompt")).to_have_text("Beantwoord de vragen hardop. Je hoeft hier niets te typen.")
    expect(inbrenger.locator("#answer-form")).to_be_hidden()
    for page in others:
        expect(page.locator("#prompt")).to_have_text(
            "Welke vraag wil je stellen om de casus beter te begrijpen? Stel alleen vragen, nog geen adviezen."
        )
        expect(page.locator("#case")).not_to_have_attribute("open", "")
        expect(page.locator("#limit")).to_have_text("0 van 10 verstuurd")
    send_answer(phone2, VRAAG_2)
    send_answer(phone3, VRAAG_3)
    expect(host.locator("#wall .card .card-text")).to_have_text([VRAAG_3, VRAAG_2])
    expect(host.locator("#wall .card .card-meta span")).to_have_text(
        ["Tafel Oost · onderwijsprofessional", "Tafel Zuid · zorgprofessional"]
    )
    expect(host.locator("#wall-count")).to_have_text("2 bijdragen")
    screenshots += shoot(2, "verhelderende-vragen", host, phones)

    # -- 3. roddelen: observations and hypotheses; the inbrenger listens and stars one -----------
    advance(host, phones, "Roddelen", "15:00")
    expect(host.locator("#prompt")).to_have_text(re.compile(r"^Praat over de casus alsof de inbrenger er niet is\."))
    expect(inbrenger.locator("#prompt")).to_have_text(
        "Luister mee. Draai je om en zeg niets. Geef een ster aan wat je raakt."
    )
    expect(inbrenger.locator("#listen-title")).to_have_text("Luister mee")
    expect(inbrenger.locator("#listen-empty")).to_have_text(
        "Wat de anderen opschrijven, verschijnt hier. Geef een ster aan wat je raakt."
    )
    expect(inbrenger.locator("#answer-form")).to_be_hidden()
    for page in others:
        expect(page.locator("#tag-groups legend")).to_have_text(["Soort"])
    send_answer(phone2, OBSERVATIE_2, tag="Observatie")
    send_answer(phone3, HYPOTHESE_3, tag="Hypothese")
    send_answer(phone2, HYPOTHESE_2, tag="Hypothese")
    expect(mine_item(phone2, OBSERVATIE_2).locator(".meta")).to_have_text("Observatie")
    expect(mine_item(phone2, HYPOTHESE_2).locator(".meta")).to_have_text("Hypothese")

    heard = inbrenger.locator(".listen-item")
    expect(heard.locator(".listen-text")).to_have_text([HYPOTHESE_2, HYPOTHESE_3, OBSERVATIE_2])
    expect(heard.locator(".meta")).to_have_text(["Hypothese", "Hypothese", "Observatie"])
    expect(inbrenger.locator("#listen-empty")).to_be_hidden()
    resonates = heard.filter(has=inbrenger.get_by_text(HYPOTHESE_3, exact=True))
    resonates.get_by_role("button", name="Geef een ster").click()
    expect(resonates.get_by_role("button", name="Ster weghalen")).to_have_text("★")
    expect(heard.locator(".star")).to_have_text(["☆", "★", "☆"])

    stream = host.locator(".stream .card")
    expect(stream.locator(".card-text")).to_have_text([HYPOTHESE_2, HYPOTHESE_3, OBSERVATIE_2])
    expect(stream.locator(".chip-tag")).to_have_text(["Hypothese", "Hypothese", "Observatie"])
    expect(stream.locator(".chip-star")).to_have_count(1)
    expect(stream.filter(has=host.locator(".chip-star")).locator(".card-text")).to_have_text(HYPOTHESE_3)
    expect(stream.locator(".chip-star")).to_have_attribute("aria-label", "ster van de inbrenger")
    expect(host.locator("#wall-count")).to_have_text("3 bijdragen")
    screenshots += shoot(3, "roddelen", host, phones)

    # -- 4. advies per tafel: tables 2 and 3 write and submit as woordvoerder --------------------
    advance(host, phones, "Advies per tafel", "10:00")
    expect(host.locator(".table-column .table-name")).to_have_text(TABLES)
    expect(host.locator(".table-column .table-empty")).to_have_text(["Nog niets ingediend."] * 3)
    expect(inbrenger.locator("#prompt")).to_have_text("Luister mee terwijl de tafel het advies voor jou formuleert.")
    expect(inbrenger.locator("#table-work")).to_be_hidden()
    expect(inbrenger.locator("#listen")).to_be_hidden()
    for page, advice in ((phone2, ADVIES_2), (phone3, ADVIES_3)):
        expect(page.locator("#prompt")).to_have_text(
            "Schrijf met je tafel één advies voor de inbrenger. Iedereen aan tafel kan meeschrijven; "
            "de woordvoerder dient het in."
        )
        expect(page.locator("#table-kinds h2")).to_have_text("Advies van de tafel")
        expect(page.locator(".spokes-note")).to_have_text("Spreek af wie de woordvoerder is. Die dient in namens de tafel.")
        page.get_by_role("button", name="Ik ben de woordvoerder").click()
        expect(page.locator("#role-banner")).to_have_text("Jij bent de woordvoerder van je tafel.")
        expect(page.locator(".spokes-note")).to_have_text("Jij bent de woordvoerder: jij dient in namens de tafel.")
        page.locator("#draft-advies-1").fill(advice)
        page.get_by_role("button", name="Indienen namens de tafel").click()
        expect(page.locator(".slot-status")).to_have_text("✓ ingediend")
        expect(page.locator(".submitted-note")).to_have_text("Ingediend. Aanpassen mag nog; dien daarna opnieuw in.")
        expect(page.locator("[data-kind=advies] .kind-error")).to_be_hidden()
    columns = host.locator(".table-column")
    expect(columns.locator(".table-name")).to_have_text(TABLES)
    expect(columns.nth(0).locator(".table-empty")).to_have_text("Nog niets ingediend.")
    expect(columns.nth(1).locator(".table-items .card-text")).to_have_text([ADVIES_2])
    expect(columns.nth(2).locator(".table-items .card-text")).to_have_text([ADVIES_3])
    expect(columns.locator(".draft .draft-status")).to_have_text(["ingediend", "ingediend"])
    expect(host.locator("#wall-count")).to_have_text("2 bijdragen")
    host.locator("#roles-panel summary").click()
    expect(host.locator("#role-list .role-text")).to_have_text(
        ["Inbrenger · hele zaal · telefoon nr. 1", "Woordvoerder · Tafel 2 · telefoon nr. 2",
         "Woordvoerder · Tafel 3 · telefoon nr. 3"]
    )
    host.locator("#roles-panel summary").click()
    screenshots += shoot(4, "advies", host, phones)

    # -- 5. reactie inbrenger: what struck the inbrenger, next to the starred item ---------------
    advance(host, phones, "Reactie inbrenger", "5:00")
    expect(host.locator("#display-other .section-title")).to_have_text(
        ["Wat de inbrenger raakte", "Reactie van de inbrenger"]
    )
    expect(host.locator(".stream.starred .card-text")).to_have_text([HYPOTHESE_3])
    expect(host.locator(".stream.starred .chip-star")).to_have_text(["★"])
    expect(inbrenger.locator("#prompt")).to_have_text("Wat raakte je? Wat neem je mee?")
    for page in others:
        expect(page.locator("#prompt")).to_have_text("Luister naar de reactie van de inbrenger.")
        expect(page.locator("#answer-form")).to_be_hidden()
        expect(page.locator("#table-work")).to_be_hidden()
    send_answer(inbrenger, REACTIE)
    expect(host.locator(".reactions .card-text")).to_have_text([REACTIE])
    expect(host.locator("#wall-count")).to_have_text("1 bijdrage")
    screenshots += shoot(5, "reactie", host, phones)

    # -- 6. rode draad: the advices side by side and the room's sentences ------------------------
    advance(host, phones, "Rode draad", "10:00")
    expect(host.locator("#next-phase")).to_be_disabled()  # the end of the agenda
    for page in phones:
        expect(page.locator("#prompt")).to_have_text("Wat is voor jou de rode draad? Schrijf het in één zin.")
    for number, page in enumerate(phones, start=1):
        send_answer(page, RODE_DRAAD[number])
    expect(host.locator("#display-other .section-title")).to_have_text(["Adviezen per tafel", "Rode draden uit de zaal"])
    expect(host.locator(".table-column .table-name")).to_have_text(TABLES[1:])
    expect(host.locator(".table-column .card-text")).to_have_text([ADVIES_2, ADVIES_3])
    expect(host.locator(".rode-draad-cards .card-text")).to_have_text([RODE_DRAAD[3], RODE_DRAAD[2], RODE_DRAAD[1]])
    expect(host.locator("#wall-count")).to_have_text("3 bijdragen")
    screenshots += shoot(6, "rode-draad", host, phones)

    # Nothing went wrong on any screen, and nothing left the laptop.
    for page in phones:
        expect(page.locator(".status-text")).to_have_text("verbonden")
    assert_clean(host_tab, *phone_tabs, base_url=base_url)
    assert len(screenshots) == 24 and len(set(screenshots)) == 24

    # -- what was stored, read from the bijeenkomst's own files after the server stopped ---------
    room.server.stop()
    session, contributions, numbers = stored(room)
    item_id = session["agenda"][1]["id"]
    found = sorted(
        (
            doc["phase_id"], doc["kind"], doc["text"], doc["table"], numbers[doc["participant_id"]],
            tuple(doc["tags"]), doc["starred"], doc["slot"], doc["hidden"], doc["shared"],
        )
        for doc in contributions
    )
    expected = sorted([
        ("inbreng", "hulpvraag", HULPVRAAG, 1, 1, (), False, None, False, True),
        ("verhelderende_vragen", "verhelderende_vraag", VRAAG_2, 2, 2, (), False, None, False, True),
        ("verhelderende_vragen", "verhelderende_vraag", VRAAG_3, 3, 3, (), False, None, False, True),
        ("roddelen", "roddel", OBSERVATIE_2, 2, 2, ("observatie",), False, None, False, True),
        ("roddelen", "roddel", HYPOTHESE_3, 3, 3, ("hypothese",), True, None, False, True),
        ("roddelen", "roddel", HYPOTHESE_2, 2, 2, ("hypothese",), False, None, False, True),
        ("advies", "advies", ADVIES_2, 2, 2, (), False, 1, False, True),
        ("advies", "advies", ADVIES_3, 3, 3, (), False, 1, False, True),
        ("reactie", "reactie", REACTIE, 1, 1, (), False, None, False, True),
        ("rode_draad", "rode_draad", RODE_DRAAD[1], 1, 1, (), False, None, False, True),
        ("rode_draad", "rode_draad", RODE_DRAAD[2], 2, 2, (), False, None, False, True),
        ("rode_draad", "rode_draad", RODE_DRAAD[3], 3, 3, (), False, None, False, True),
    ])
    assert found == expected
    assert len({doc["id"] for doc in contributions}) == len(contributions) == 12  # nothing duplicated
    assert {doc["agenda_item_id"] for doc in contributions} == {item_id}
    perspectives = {numbers[doc["participant_id"]]: doc["perspective"] for doc in contributions}
    assert perspectives == {1: "ouder", 2: "zorg", 3: "onderwijs"}
    assert [(t["number"], t["name"]) for t in session["tables"]] == list(enumerate(TABLES, start=1))
    roles = sorted(
        (r["role"], r["table"], numbers.get(r["participant_id"]), r["claim_code"])
        for r in session["roles"]
        if r["agenda_item_id"] == item_id
    )
    assert roles == [("inbrenger", None, 1, None), ("tafelvoorzitter", 2, 2, None), ("tafelvoorzitter", 3, 3, None)]
    assert (session["current_item"], session["current_phase"]) == (1, 5)
