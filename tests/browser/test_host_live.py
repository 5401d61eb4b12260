"""The live host view against the real server: phases by keyboard, the timer, the four buffers, the reveal,
the vote chart, tables and roles. Phones are python-socketio clients speaking the phones' protocol."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import socketio
from playwright.sync_api import Page, expect

from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository, read_session_data
from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import OpenedPage, Phone, assert_clean, boxes, screenshot, serving, wait_until

pytestmark = pytest.mark.browser

CASE = "Finn (10) zit in groep 6. Hij kopieert gedrag van zijn zus; ouders en school praten moeizaam met elkaar."
QUESTION = "Wat zou jij vandaag als eerste willen veranderen?"
OPTIONS = ["Meer tijd voor gesprek", "Minder regels", "Samen eten"]
WAIT = 10.0


class Bijeenkomst(NamedTuple):
    """A bijeenkomst's id and join code (a pair, as helpers.Phone takes it)."""

    id: str
    code: str


@dataclass
class Room:
    server: LiveServer
    sessions: dict[str, Bijeenkomst] = field(default_factory=dict)


def _seed(data_dir: Path) -> dict[str, Bijeenkomst]:
    """Write the bijeenkomsten the tests use, each at its werkvorm (item 2 of its agenda), before the server starts."""
    repo = TinyDBRepository(data_dir)
    registry = discover()
    plans: dict[str, tuple[str, dict[str, Any], int]] = {
        "roddel": ("roddelmethode", {"case_text": CASE}, 0),
        "timer": ("roddelmethode", {"case_text": CASE}, 0),
        "buffers": ("vier_buffers", {}, 1),
        "reveal": ("open_vraag", {"prompt": QUESTION, "hidden": {"antwoorden": True}}, 0),
        "votes": ("stemmen", {"options": OPTIONS, "dots": 3}, 0),
        "advies": ("tafeladvies", {}, 0),
        "casus": ("casusdialoog", {"case_text": CASE}, 2),
    }
    sessions = {}
    for name, (workformat, settings, phase) in plans.items():
        session = services.create_session(repo, registry, title=f"Live {name}", series="Dialoogsessies Jeugd")
        services.add_agenda_item(repo, registry, session.id, workformat, settings)
        services.go_to(repo, registry, session.id, 1, phase)
        sessions[name] = Bijeenkomst(session.id, session.join_code)
    return sessions


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    data_dir = tmp_path_factory.mktemp("host-live-data")
    sessions = _seed(data_dir)
    with serving(data_dir) as server:
        yield Room(server=server, sessions=sessions)


def open_host(open_page: Callable[..., OpenedPage], room: Room, name: str) -> tuple[OpenedPage, Page]:
    tab = open_page("host", f"host {name}")
    host = tab.page
    host.goto(f"{room.server.base_url}/host/login?key={room.server.key}")
    host.goto(f"{room.server.base_url}/host/s/{room.sessions[name].id}")
    expect(host.locator(".status")).to_have_attribute("data-status", "connected")
    return tab, host


def stored(room: Room, name: str) -> dict[str, dict[str, Any]]:
    """Read the contributions from the bijeenkomst's own files (snapshot plus journal), by id."""
    data, _records = read_session_data(room.server.data_dir / "sessions" / f"{room.sessions[name].id}.json")
    return {doc["id"]: doc for doc in data.get("contributions", {}).values()}


def test_roddelmethode_phases_by_keyboard(
    open_page: Callable[..., OpenedPage], room: Room, phones: Callable[..., Phone]
) -> None:
    tab, host = open_host(open_page, room, "roddel")
    meeting = room.sessions["roddel"]
    expect(host.locator("#workformat-name")).to_have_text("De roddelmethode")
    expect(host.locator("#phase-title")).to_have_text("Inbreng")
    expect(host.locator("#agenda-list .step")).to_have_text(["1. Open vraag", "2. De roddelmethode"])
    expect(host.locator("#agenda-list .step[aria-current=step]")).to_have_text("2. De roddelmethode")
    expect(host.locator("#phase-list .step")).to_have_text(
        ["Inbreng", "Verhelderende vragen", "Roddelen", "Advies per tafel", "Reactie inbrenger", "Rode draad"]
    )
    expect(host.locator(".case-large")).to_have_text(CASE)
    expect(host.locator("#case-block")).to_be_hidden()  # the case display shows it big instead

    inbrenger = phones(room.server, meeting, table=1)
    talker = phones(room.server, meeting, table=1)
    # The roles panel: give the inbrenger role to phone nr. 1 (the number its screen shows).
    host.locator("#roles-panel summary").click()
    host.locator("#assign-role").select_option("inbrenger")
    host.locator("#assign-number").fill("1")
    host.get_by_role("button", name="Geven").click()
    expect(host.locator("#role-list .role-text")).to_have_text(["Inbrenger · hele zaal · telefoon nr. 1"])
    expect(host.locator("#roles-summary")).to_have_text("(1 gegeven)")
    inbrenger.send("Hoe krijg ik ouders en school weer met elkaar in gesprek?", kind="hulpvraag")
    expect(host.locator(".case-questions .card-text")).to_have_text(
        ["Hoe krijg ik ouders en school weer met elkaar in gesprek?"]
    )
    expect(host.locator("#display-other .section-title")).to_have_text(["Vraag van de inbrenger"])

    host.locator("body").click(position={"x": 5, "y": 5})  # focus on the page, not in a form field
    host.keyboard.press("ArrowRight")
    expect(host.locator("#phase-title")).to_have_text("Verhelderende vragen")
    expect(host.locator("#phase-list .step[aria-current=step]")).to_have_text("Verhelderende vragen")
    expect(host.locator("#case-block summary")).to_have_text("Casus")
    host.keyboard.press("PageDown")
    expect(host.locator("#phase-title")).to_have_text("Roddelen")
    expect(host.locator("#prompt")).to_have_text(re.compile(r"^Praat over de casus alsof de inbrenger er niet is\."))

    # Every phone follows the host.
    def phone_phase() -> str | None:
        changes = [data for name, data in talker.events if name == "phase_changed"]
        return changes[-1]["step"]["phase"] if changes else None

    wait_until(host, lambda: phone_phase() == "roddelen", talker.events)

    # The roddel stream: newest first, with its tag, and the inbrenger's star.
    first = talker.send("Finn lijkt zijn zus na om gezien te worden", kind="roddel", tags=["hypothese"])
    talker.send("Ouders en school spreken elkaar alleen bij problemen", kind="roddel", tags=["observatie"])
    stream = host.locator(".stream .card")
    expect(stream.locator(".card-text")).to_have_text(
        ["Ouders en school spreken elkaar alleen bij problemen", "Finn lijkt zijn zus na om gezien te worden"]
    )
    expect(stream.locator(".chip-tag")).to_have_text(["Observatie", "Hypothese"])
    assert inbrenger.call("star_contribution", id=first, starred=True)["ok"] is True
    expect(stream.nth(1).locator(".chip-star")).to_have_text("★")
    expect(stream.nth(0).locator(".chip-star")).to_have_count(0)

    host.keyboard.press("ArrowLeft")
    expect(host.locator("#phase-title")).to_have_text("Verhelderende vragen")
    host.keyboard.press("PageUp")
    expect(host.locator("#phase-title")).to_have_text("Inbreng")
    expect(host.locator("#agenda-list .step[aria-current=step]")).to_have_text("2. De roddelmethode")

    # Clicking a phase jumps there: the reactie shows the starred roddel.
    host.locator("#phase-list .step", has_text="Reactie inbrenger").click()
    expect(host.locator("#phase-title")).to_have_text("Reactie inbrenger")
    expect(host.locator(".starred .card-text")).to_have_text(["Finn lijkt zijn zus na om gezien te worden"])
    inbrenger.send("Ik ga de school uitnodigen voor een gesprek met ouders erbij", kind="reactie")
    expect(host.locator(".reactions .card-text")).to_have_text(["Ik ga de school uitnodigen voor een gesprek met ouders erbij"])
    expect(host.locator("#display-other .section-title")).to_have_text(
        ["Wat de inbrenger raakte", "Reactie van de inbrenger"]
    )
    screenshot(host, "host-live-stars.png")
    assert_clean(tab, base_url=room.server.base_url)


def test_timer_start_pause_add_reset_and_overtime(open_page: Callable[..., OpenedPage], room: Room) -> None:
    tab, host = open_host(open_page, room, "timer")
    timer = host.locator("#timer")
    expect(timer).to_have_text("5:00")  # the Inbreng phase's timebox, not running
    expect(host.locator("#timer-box")).to_have_attribute("data-state", "paused")

    host.get_by_role("button", name="Start").click()
    expect(host.locator("#timer-box")).to_have_attribute("data-state", "running")
    expect(host.locator("#timer-toggle")).to_have_text("Pauze")
    expect(timer).to_have_text("4:59", timeout=3_000)  # counts down locally

    host.locator("body").click(position={"x": 5, "y": 5})
    host.keyboard.press("Space")  # pause
    expect(host.locator("#timer-box")).to_have_attribute("data-state", "paused")
    expect(host.locator("#timer-toggle")).to_have_text("Start")
    paused = timer.text_content() or ""
    minutes, seconds = (int(part) for part in paused.split(":"))
    host.wait_for_timeout(1_200)
    expect(timer).to_have_text(paused)  # paused means paused

    host.keyboard.press("+")
    expect(timer).to_have_text(f"{minutes + 1}:{seconds:02d}")
    host.get_by_role("button", name="+1 min").click()
    expect(timer).to_have_text(f"{minutes + 2}:{seconds:02d}")
    host.get_by_role("button", name="Reset").click()
    expect(timer).to_have_text("7:00")  # the duration with the two minutes added, from the start

    # Overtime: another host screen starts the timer and takes its 7:00 away; this one shows +0:0x in red.
    other = socketio.Client(reconnection=False)
    other.connect(room.server.base_url, headers={"Cookie": f"rd_host={room.server.key}"}, transports=["websocket"])
    try:
        session = room.sessions["timer"].id
        assert other.call("join_session", {"session": session, "role": "host"}, timeout=WAIT)["ok"] is True
        assert other.call("control_timer", {"session": session, "action": "start"}, timeout=WAIT)["ok"] is True
        assert other.call("control_timer", {"session": session, "action": "add", "seconds": -425}, timeout=WAIT)["ok"]
    finally:
        other.disconnect()
    expect(timer).to_have_text(re.compile(r"^\+0:0\d$"))
    expect(host.locator("#timer-box")).to_have_attribute("data-state", "overtime")
    color = host.evaluate("() => getComputedStyle(document.getElementById('timer')).color")
    assert color == "rgb(156, 15, 27)", color  # the projector's red, 7.6:1 on the run bar (issue 14, point 10)
    assert_clean(tab, base_url=room.server.base_url)


def test_vier_buffers_move_a_card(
    open_page: Callable[..., OpenedPage], room: Room, phones: Callable[..., Phone]
) -> None:
    tab, host = open_host(open_page, room, "buffers")
    expect(host.locator("#phase-title")).to_have_text("Vangnet maken")
    expect(host.locator(".quadrant-title")).to_have_text(
        [
            "Solidariteit in de gemeenschap (0)",
            "Goede taakverdeling (0)",
            "Meta-positie (0)",
            "Positieve ouderervaringen (0)",
        ]
    )
    phone = phones(room.server, room.sessions["buffers"], table=2, perspective="zorg")
    text = "Een vaste contactpersoon op school voor ouders"
    item = phone.send(text, kind="vangnet", bucket="solidariteit", tags=["organisatie", "nodig"])
    other = phone.send("Een luisterend oor op het schoolplein", kind="vangnet", bucket="taakverdeling", tags=["mens", "geven"])

    solidariteit = host.locator(".quadrant[data-bucket=solidariteit]")
    meta = host.locator(".quadrant[data-bucket=meta_positie]")
    moved = solidariteit.locator(".card")
    expect(moved.locator(".card-text")).to_have_text([text])
    expect(moved.locator(".chip-tag")).to_have_text(["Als organisatie", "Nodig hebben"])
    expect(moved.locator(".card-meta span")).to_have_text("tafel 2 · zorgprofessional")

    # The keyboard/click fallback: "verplaats naar…".
    moved.get_by_label("Verplaats naar…").select_option(label="Meta-positie")
    expect(meta.locator(".card .card-text")).to_have_text([text])
    expect(solidariteit.locator(".card")).to_have_count(0)
    expect(host.locator(".quadrant-title").nth(2)).to_have_text("Meta-positie (1)")
    wait_until(host, lambda: stored(room, "buffers")[item]["bucket"] == "meta_positie", item)

    # Dragging with SortableJS: the other card goes from Goede taakverdeling to Solidariteit (now empty).
    assert host.evaluate("() => typeof window.Sortable") == "function"
    source = host.locator(".quadrant[data-bucket=taakverdeling] .card")
    target = solidariteit.locator(".quadrant-list")
    source.scroll_into_view_if_needed()
    box, goal = boxes(host, source, target)
    host.mouse.move(box["x"] + box["width"] / 2, box["y"] + 40)
    host.mouse.down()
    host.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] - 20, steps=15)
    host.mouse.move(goal["x"] + goal["width"] / 2 + 5, goal["y"] + goal["height"] - 15, steps=5)
    host.mouse.up()
    expect(solidariteit.locator(".card-text")).to_have_text(["Een luisterend oor op het schoolplein"])
    expect(host.locator(".quadrant[data-bucket=taakverdeling] .card")).to_have_count(0)
    wait_until(host, lambda: stored(room, "buffers")[other]["bucket"] == "solidariteit", other)
    screenshot(host, "host-live-buffers.png")
    assert_clean(tab, base_url=room.server.base_url)


def test_hidden_until_reveal_counts_then_reveals_on_o(
    open_page: Callable[..., OpenedPage], room: Room, phones: Callable[..., Phone]
) -> None:
    tab, host = open_host(open_page, room, "reveal")
    expect(host.locator("#prompt")).to_have_text(QUESTION)
    expect(host.locator("#reveal-panel")).to_be_visible()
    expect(host.locator("#concealed-count")).to_have_text("0")
    meeting = room.sessions["reveal"]
    answers = ["Meer rust in de klas", "Dat ouders eerder gehoord worden", "Een plek om even bij te komen"]
    for text in answers:
        phones(room.server, meeting).send(text)
    expect(host.locator("#concealed-count")).to_have_text("3")
    expect(host.locator("#concealed-label")).to_have_text("antwoorden binnen")
    expect(host.locator("#display-area")).to_be_hidden()
    # The regie may pre-read them (issue 14), folded away and marked, never on the wall it shows.
    expect(host.locator("#preread-panel")).not_to_have_attribute("open", "")
    expect(host.locator("#preread-wall .card .card-text")).to_have_text(list(answers))
    expect(host.locator("#preread-wall .chip-concealed")).to_have_count(3)
    expect(host.locator("#wall .card")).to_have_count(0)

    host.locator("body").click(position={"x": 5, "y": 5})
    host.keyboard.press("o")
    expect(host.locator("#reveal-panel")).to_be_hidden()
    expect(host.locator("#wall .card .card-text")).to_have_text(list(reversed(answers)))
    expect(host.locator("#visible-count")).to_have_text("3")
    assert_clean(tab, base_url=room.server.base_url)


def test_vote_bar_chart_shows_exact_tallies(
    open_page: Callable[..., OpenedPage], room: Room, phones: Callable[..., Phone]
) -> None:
    tab, host = open_host(open_page, room, "votes")
    expect(host.locator(".vote-row .vote-label")).to_have_text(OPTIONS)
    expect(host.locator(".vote-row .vote-count")).to_have_text(["0", "0", "0"])
    meeting = room.sessions["votes"]
    dots = {0: ["option-3", "option-1", "option-2"], 1: ["option-3", "option-1"], 2: ["option-3"]}
    voters = [phones(room.server, meeting) for _ in dots]
    for index, targets in dots.items():
        for target in targets:
            assert voters[index].call("cast_vote", target=target, on=True)["ok"] is True
    expect(host.locator(".vote-row .vote-label")).to_have_text(["Samen eten", "Meer tijd voor gesprek", "Minder regels"])
    expect(host.locator(".vote-row .vote-count")).to_have_text(["3", "2", "1"])
    widths = host.eval_on_selector_all(".vote-bar", "bars => bars.map(b => b.style.width)")
    assert [round(float(w.rstrip("%")), 1) for w in widths] == [100.0, 66.7, 33.3]
    expect(host.locator(".vote-total")).to_have_text("6 stippen geplaatst · 3 per deelnemer")

    # Taking a dot back changes the chart at once; ties keep the facilitator's order.
    assert voters[0].call("cast_vote", target="option-3", on=False)["ok"] is True
    assert voters[1].call("cast_vote", target="option-3", on=False)["ok"] is True
    expect(host.locator(".vote-row .vote-label")).to_have_text(["Meer tijd voor gesprek", "Minder regels", "Samen eten"])
    expect(host.locator(".vote-row .vote-count")).to_have_text(["2", "1", "1"])
    screenshot(host, "host-live-votes.png")

    # A host screen opened on the previous item gets the stored tallies when it steps into the vote.
    host.locator("#agenda-list .step", has_text="1. Open vraag").click()
    expect(host.locator("#phase-title")).to_have_text("Antwoorden")
    host.reload()
    expect(host.locator("#phase-title")).to_have_text("Antwoorden")
    host.locator("body").click(position={"x": 5, "y": 5})
    host.keyboard.press("ArrowRight")
    expect(host.locator("#phase-title")).to_have_text("Stemmen")
    expect(host.locator(".vote-row .vote-count")).to_have_text(["2", "1", "1"])
    assert_clean(tab, base_url=room.server.base_url)


def test_tafeladvies_tables_drafts_and_role_codes(
    open_page: Callable[..., OpenedPage], room: Room, phones: Callable[..., Phone]
) -> None:
    tab, host = open_host(open_page, room, "advies")
    meeting = room.sessions["advies"]
    expect(host.locator("#phase-title")).to_have_text("Advies per tafel")

    # Tables: two, the first one named.
    host.locator("#tables-panel summary").click()
    host.locator("#table-count").fill("2")
    host.get_by_label("Naam tafel 1 (optioneel)").fill("Ramen")
    host.get_by_role("button", name="Tafels opslaan").click()
    expect(host.locator("#host-error")).to_have_text("Tafels opgeslagen.")
    expect(host.locator("#table-counts .table-label")).to_have_text(["Tafel 1 · Ramen", "Tafel 2"])
    expect(host.get_by_role("link", name="QR-codes per tafel afdrukken")).to_have_attribute(
        "href", f"/host/s/{meeting.id}/tafels"
    )

    writer = phones(room.server, meeting, table=1)
    other = phones(room.server, meeting, table=2)
    expect(host.locator("#table-counts .table-count")).to_have_text(
        ["1 aangemeld · 1 verbonden", "1 aangemeld · 1 verbonden"]
    )
    expect(host.locator(".table-column .table-name")).to_have_text(["Ramen", "Tafel 2"])

    advice = "Maak één vast aanspreekpunt voor ouders en school samen"
    ack = writer.call("save_table_draft", kind="advies", slot=1, text=advice, base_version=0)
    assert ack["ok"] is True, ack
    column = host.locator(".table-column[data-table='1']")
    expect(column.locator(".draft .draft-status")).to_have_text("concept")
    expect(column.locator(".draft .draft-text")).to_have_text(advice)
    assert writer.call("submit_table_drafts", kind="advies")["ok"] is True
    expect(column.locator(".table-items .card-text")).to_have_text([advice])
    expect(column.locator(".draft .draft-status")).to_have_text("ingediend")
    expect(host.locator(".table-column[data-table='2'] .table-empty")).to_have_text("Nog niets ingediend.")

    # Roles: submitting made phone 1 the spokesperson of table 1; a code for table 2 is read out.
    host.locator("#roles-panel summary").click()
    expect(host.locator("#role-list .role-text")).to_have_text(["Woordvoerder · Tafel 1 · telefoon nr. 1"])
    host.locator("#code-role").select_option("tafelvoorzitter")
    host.locator("#code-table").fill("2")
    host.get_by_role("button", name="Maak een code").click()
    expect(host.locator("#role-code-value")).to_have_text(re.compile(r"^[A-Z2-9]{4}$"))
    expect(host.locator("#role-code-label")).to_have_text(
        "Code voor Woordvoerder (Tafel 2): laat deze typen op de telefoon"
    )
    code = host.locator("#role-code-value").text_content() or ""
    expect(host.locator("#role-list .role-text").nth(1)).to_have_text(
        f"Woordvoerder · Tafel 2 · code {code}, nog niet gebruikt"
    )
    assert other.call("claim_role", code=code)["ok"] is True
    expect(host.locator("#role-list .role-text").nth(1)).to_have_text("Woordvoerder · Tafel 2 · telefoon nr. 2")
    host.locator("#role-list .role-row").nth(1).get_by_role("button", name="Intrekken").click()
    expect(host.locator("#role-list .role-text")).to_have_text(["Woordvoerder · Tafel 1 · telefoon nr. 1"])

    # An error from the server shows in the status line, politely.
    host.locator("#assign-number").fill("99")
    host.get_by_role("button", name="Geven").click()
    expect(host.locator("#host-error")).to_be_visible()
    expect(host.locator("#host-error")).to_have_attribute("data-kind", "error")

    # Next phase: the advices side by side, and the room's rode draad suggestions as cards.
    host.get_by_role("button", name="Volgende").click()
    expect(host.locator("#phase-title")).to_have_text("Rode draad")
    expect(host.locator(".table-column .table-name")).to_have_text(["Ramen"])
    expect(host.locator(".table-column .card-text")).to_have_text([advice])
    other.send("Samen kijken in plaats van over elkaar praten", kind="rode_draad")
    expect(host.locator(".rode-draad-cards .card-text")).to_have_text(["Samen kijken in plaats van over elkaar praten"])
    expect(host.locator("#next-phase")).to_be_disabled()
    screenshot(host, "host-live-rode-draad.png")
    assert_clean(tab, base_url=room.server.base_url)


def test_casusdialoog_slots_function_and_private_answers(
    open_page: Callable[..., OpenedPage], room: Room, phones: Callable[..., Phone]
) -> None:
    tab, host = open_host(open_page, room, "casus")
    expect(host.locator("#phase-title")).to_have_text("2. Vijf hypotheses")
    phone = phones(room.server, room.sessions["casus"], table=4)
    hypotheses = ["Finn zoekt aandacht", "School en ouders hebben een ander beeld", "De dyslexie wordt onderschat"]
    for slot in (3, 1, 2):
        ack = phone.call("save_table_draft", kind="hypothese", slot=slot, text=hypotheses[slot - 1], base_version=0)
        assert ack["ok"] is True, ack
    column = host.locator(".table-column[data-table='4']")
    expect(column.locator(".draft.concept .draft-text")).to_have_text(hypotheses)  # by slot
    assert phone.call("submit_table_drafts", kind="hypothese")["ok"] is True
    expect(column.locator(".table-items .card-text")).to_have_text(hypotheses)
    expect(column.locator(".table-items .chip-slot")).to_have_text(["1.", "2.", "3."])
    expect(column.locator(".draft.submitted .draft-status")).to_have_text(["ingediend"] * 3)

    # Vraag 3: the wall shows each answer's function.
    host.locator("#phase-list .step", has_text="3. Mogelijkheden").click()
    expect(host.locator("#phase-title")).to_have_text("3. Mogelijkheden")
    phone.send("Samen met de leerkracht een plan maken", kind="mogelijkheid", function="jeugdverpleegkundige")
    expect(host.locator("#wall .card .chip-function")).to_have_text(["vanuit: jeugdverpleegkundige"])
    expect(host.locator("#wall .card .card-text")).to_have_text(["Samen met de leerkracht een plan maken"])

    # Vraag 4: a private answer stays off the screen until its author shares it, and leaves when taken back.
    host.keyboard.press("ArrowRight")
    expect(host.locator("#phase-title")).to_have_text("4. Wat levert het jou op?")
    private = phone.send("Ik kijk nu anders naar ouders", kind="opbrengst")
    host.wait_for_timeout(300)
    expect(host.locator("#wall .card")).to_have_count(0)
    assert phone.call("set_contribution_shared", id=private, shared=True)["ok"] is True
    expect(host.locator("#wall .card .card-text")).to_have_text(["Ik kijk nu anders naar ouders"])
    expect(host.locator("#visible-count")).to_have_text("1")
    expect(host.locator("#visible-label")).to_have_text("bijdrage")
    assert phone.call("set_contribution_shared", id=private, shared=False)["ok"] is True
    expect(host.locator("#wall .card")).to_have_count(0)
    expect(host.locator("#hidden-count")).to_have_text("0")
    assert_clean(tab, base_url=room.server.base_url)
