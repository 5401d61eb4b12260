"""The phone in every werkvorm, in a real browser: 360 px phone contexts against a live server.

The server runs in this process (Flask-SocketIO in threading mode behind Werkzeug), so a test can move the
room through the agenda with the services, as the host's buttons do, and read exactly what was stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from facilitator.core import services
from facilitator.web.realtime.events import CONTRIBUTION_UPDATED
from facilitator.web.realtime.rooms import participant_room
from facilitator.web.realtime.screens.participant import own_contribution_payload
from tests.browser.helpers import SMALL_PHONE, OpenedPage, Room, assert_clean, at_table, join, new_room, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def room(app_server: Room) -> Room:
    """A fresh bijeenkomst (its agenda starts with an open question) on the shared server."""
    return new_room(app_server)


def mine_item(page: Page, text: str) -> Locator:
    return page.locator("#mine .mine-item").filter(has=page.get_by_text(text, exact=True))


def sent(page: Page, text: str) -> Locator:
    """Wait until an answer is acknowledged and listed once under "Jouw bijdragen"; return it."""
    item = mine_item(page, text)
    expect(item.and_(page.locator(".mine-item.sent"))).to_have_count(1)
    expect(item).to_have_count(1)
    return item


def fits(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SMALL_PHONE["width"], "scrolls sideways"


def test_a_table_qr_code_preselects_the_table(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    tab = phone("phone at table 4")
    page = tab.page
    page.goto(f"{room.base_url}/j/{room.join_code}?tafel=4")
    expect(page.get_by_label("Aan welke tafel zit je? (mag je leeg laten)")).to_have_value("4")
    expect(page.get_by_role("heading", name="Zo gaan we met je antwoorden om")).to_be_visible()
    expect(page.get_by_role("radio", name="Ouder", exact=True)).to_be_visible()  # the optional perspective
    page.get_by_role("radio", name="Ouder", exact=True).check()
    page.get_by_role("button", name="Ik doe mee").click()
    expect(page.locator(".status")).to_have_attribute("data-status", "connected")
    expect(page.locator("#my-table")).to_have_text("Tafel 4")
    expect(page.locator("#my-number")).to_have_text("Jouw nummer: 1")
    [me] = room.participants()
    assert (me.table, me.perspective, me.number) == (4, "ouder", 1)
    fits(page)

    # Junk in ?tafel= is ignored: the field stays empty.
    other = phone("phone with a junk link").page
    for junk in ("abc", "-1", "100", "4;drop", "1e1"):
        other.goto(f"{room.base_url}/j/{room.join_code}?tafel={junk}")
        expect(other.get_by_label("Aan welke tafel zit je? (mag je leeg laten)")).to_have_value("")

    # A phone that already joined and scans table 7's code moves to table 7.
    page.goto(f"{room.base_url}/j/{room.join_code}?tafel=7")
    expect(page.locator("#my-table")).to_have_text("Tafel 7")
    expect(page).to_have_url(re.compile(r"/p/[0-9a-f]{12}$"))  # the hint is used once, then dropped
    [me] = room.participants()
    assert me.table == 7

    # "wijzig" opens the picker; the host named no tables, so it offers 1 to 12.
    page.get_by_role("button", name="wijzig").click()
    expect(page.locator("#table-grid .table-choice")).to_have_count(13)
    page.locator("#table-grid").get_by_role("button", name="Tafel 2", exact=True).click()
    expect(page.locator("#my-table")).to_have_text("Tafel 2")
    expect(page.locator("#table-picker")).to_be_hidden()
    assert room.participants()[0].table == 2
    # Named tables from the host replace the numbers, live.
    room.do(services.set_tables, room.session_id, ["Het Anker", "De Brug", "Zonnebloem"])
    expect(page.locator("#my-table")).to_have_text("De Brug")
    # With named tables the join page offers them by name; a table QR code picks one, an unknown one nothing.
    other.goto(f"{room.base_url}/j/{room.join_code}?tafel=3")
    table_field = other.get_by_label("Aan welke tafel zit je? (mag je leeg laten)")
    expect(table_field.locator("option:checked")).to_have_text("Zonnebloem")
    other.goto(f"{room.base_url}/j/{room.join_code}?tafel=9")
    expect(table_field).to_have_value("")
    assert_clean(tab, base_url=room.base_url)


def test_vier_buffers_sends_exactly_the_chosen_buffer_and_tags(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    item = room.add("vier_buffers")
    room.go_to(item, 1)  # "Vangnet maken"
    tab = phone("phone")
    page = tab.page
    join(page, room)
    expect(page.locator("#phase-title")).to_have_text("Vangnet maken")
    expect(page.locator("#timer")).to_have_text("20:00 (nog niet gestart)")
    expect(page.locator("#prompt")).to_contain_text("Wat heb je nodig of wat kun je geven binnen deze buffer")
    buckets = page.locator("#bucket-options label.bucket")
    expect(buckets).to_have_count(4)
    expect(buckets.nth(2)).to_contain_text("Meta-positie")
    expect(buckets.nth(2)).to_contain_text("Het vermogen om vanuit een afstand naar jezelf en de ander te kijken.")
    expect(page.locator("#tag-groups legend")).to_have_text(["Vanuit", "Nodig of geven"])
    expect(page.locator("#limit")).to_have_text("0 van 20 verstuurd")
    fits(page)

    text = "Een buurtmoeder die belt als het even niet gaat"
    page.locator("#answer").fill(text)
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#error")).to_have_text("Kies eerst in welke buffer je bijdrage hoort.")
    buckets.nth(2).locator("input").check()
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#error")).to_have_text("Kies bij elke keuze één antwoord.")
    page.get_by_role("radio", name="Als mens").check()
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#error")).to_have_text("Kies bij elke keuze één antwoord.")
    assert room.contributions() == []
    page.get_by_role("radio", name="Kunnen geven").check()
    page.get_by_role("button", name="Versturen").click()
    item_node = sent(page, text)
    expect(item_node.locator(".meta")).to_have_text("Meta-positie · Als mens · Kunnen geven")
    expect(page.locator("#error")).to_be_hidden()
    expect(page.locator("#limit")).to_have_text("1 van 20 verstuurd")

    [stored] = room.contributions()
    assert (stored.kind, stored.text, stored.bucket, stored.tags, stored.shared) == (
        "vangnet", text, "meta_positie", ("mens", "geven"), True
    )
    # The facilitator hides it: the phone keeps it, says so at once, and still counts it (issue 14, point 6).
    room.do(services.set_contribution_hidden, room.session_id, stored.id, True)
    expect(mine_item(page, text).locator("small")).to_have_text("verborgen door de gespreksleider")
    expect(page.locator("#limit")).to_have_text("1 van 20 verstuurd")
    # The live timer counts down on the phone once the facilitator starts it; overtime says so.
    room.do(services.control_timer, room.session_id, "start")
    expect(page.locator("#timer")).to_have_text(re.compile(r"^19:5\d$"))
    room.do(services.control_timer, room.session_id, "add", seconds=-1200)
    expect(page.locator("#timer")).to_have_text("tijd is om")
    assert_clean(tab, base_url=room.base_url)


def test_tafeladvies_two_phones_one_table_nothing_lost(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    item = room.add("tafeladvies")
    room.go_to(item, 0)
    tab_a, tab_b = at_table(phone, room, 2, "phone A", "phone B")
    a, b = tab_a.page, tab_b.page
    for page in (a, b):
        expect(page.locator("#table-kinds h2")).to_have_text("Advies van de tafel")
        expect(page.locator(".draft-text")).to_have_count(1)
        expect(page.get_by_role("button", name="Ik ben de woordvoerder")).to_be_visible()
    box_a, box_b = a.locator("#draft-advies-1"), b.locator("#draft-advies-1")

    # B starts typing; meanwhile A writes and leaves the box (saved at once).
    mine_b = "Vraag de ouders wat zij al geprobeerd hebben"
    theirs_a = "Zorg voor één vast aanspreekpunt op school"
    box_b.fill(mine_b)
    box_a.fill(theirs_a)
    box_a.blur()
    expect(a.locator(".slot-status")).to_have_text("bewaard")
    # B's autosave comes second, against the old version: B sees both texts and chooses.
    conflict = b.locator(".conflict")
    expect(conflict).to_be_visible(timeout=5_000)
    expect(conflict.locator(".theirs p")).to_have_text(theirs_a)
    expect(conflict.locator(".mine p")).to_have_text(mine_b)
    item_id = room.deps.repo.get_session(room.session_id).agenda[item].id
    draft = room.deps.repo.get_draft(room.session_id, item_id, "advies", 2, 1)
    assert (draft.text, draft.version) == (theirs_a, 1)  # nothing was overwritten
    fits(b)
    conflict.get_by_role("button", name="Zet mijn tekst erachter").click()
    merged = f"{theirs_a}\n\n{mine_b}"
    expect(conflict).to_be_hidden()
    expect(b.locator(".slot-status")).to_have_text("bewaard")
    expect(box_a).to_have_value(merged)  # A was not typing: A's box follows

    # A becomes the woordvoerder; B then learns the table already has one.
    a.get_by_role("button", name="Ik ben de woordvoerder").click()
    expect(a.locator("#role-banner")).to_have_text("Jij bent de woordvoerder van je tafel.")
    b.get_by_role("button", name="Ik ben de woordvoerder").click()
    expect(b.locator("[data-kind=advies] .kind-error")).to_have_text("Dit doet iemand anders in deze werkvorm.")
    expect(b.locator(".spokes-note")).to_have_text("De woordvoerder dient in namens de tafel.")
    expect(b.get_by_role("button", name="Indienen namens de tafel")).to_have_count(0)

    a.get_by_role("button", name="Indienen namens de tafel").click()
    for page in (a, b):
        expect(page.locator(".slot-status")).to_have_text("✓ ingediend")
    [advice] = room.contributions("advies")
    assert (advice.text, advice.table, advice.slot) == (merged, 2, 1)
    assert advice.participant_id == room.participants()[0].id  # submitted by A, the woordvoerder

    # An edit after submitting makes it a draft again; the woordvoerder submits again, still one advice.
    box_b.fill(merged + " Plan na zes weken een terugblik.")
    box_b.blur()
    expect(a.locator(".slot-status")).to_have_text("aangepast na indienen")
    a.get_by_role("button", name="Opnieuw indienen").click()
    expect(b.locator(".slot-status")).to_have_text("✓ ingediend")
    [advice] = room.contributions("advies")
    assert advice.text == merged + " Plan na zes weken een terugblik."
    assert_clean(tab_a, tab_b, base_url=room.base_url)


def test_casusdialoog_private_answer_stays_off_the_host_until_shared(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    item = room.add("casusdialoog")
    room.go_to(item, 2)  # vraag 2: five hypotheses per table
    tab = phone("phone")
    page = tab.page
    join(page, room)
    # Without a table, the table comes first.
    expect(page.locator("#table-needed")).to_be_visible()
    page.locator("#table-grid-inline").get_by_role("button", name="Tafel 5", exact=True).click()
    expect(page.locator(".draft-text")).to_have_count(5)
    expect(page.locator(".slot-number")).to_have_text(["1.", "2.", "3.", "4.", "5."])
    assert room.participants()[0].table == 5
    fits(page)  # the long prompt ("hypotheses/oplossingsrichtingen") wraps

    room.go_to(item, 3)  # vraag 3 asks for one's function, remembered on this phone
    expect(page.locator("#function-field")).to_be_visible()
    page.locator("#answer").fill("Huisbezoek samen met de intern begeleider")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#error")).to_have_text("Vul eerst je functie in.")
    page.get_by_label("Jouw functie").fill("Jeugdverpleegkundige")
    page.get_by_role("button", name="Versturen").click()
    sent(page, "Huisbezoek samen met de intern begeleider")
    [possibility] = room.contributions("mogelijkheid")
    assert possibility.function == "Jeugdverpleegkundige"

    room.go_to(item, 4)  # vraag 4: what it gives me, private
    expect(page.locator("#phase-title")).to_have_text("4. Wat levert het jou op?")
    share = page.get_by_label("Deel dit met de zaal")
    expect(share).not_to_be_checked()
    text = "Ik durf vaker te vragen wat ouders zelf al zien"
    page.locator("#answer").fill(text)
    page.get_by_role("button", name="Versturen").click()
    own = sent(page, text)
    expect(own.locator(".share-state")).to_have_text("alleen voor jou")
    [private] = room.contributions("opbrengst")
    assert private.shared is False
    assert private.id not in {c["id"] for c in room.host_state()["contributions"]}

    own.get_by_role("button", name="Deel met de zaal").click()
    expect(own.locator(".share-state")).to_have_text("gedeeld met de zaal")
    assert room.contributions("opbrengst")[0].shared is True
    assert [c["text"] for c in room.host_state()["contributions"] if c["id"] == private.id] == [text]
    own.get_by_role("button", name="Niet meer delen").click()
    expect(own.locator(".share-state")).to_have_text("alleen voor jou")
    assert private.id not in {c["id"] for c in room.host_state()["contributions"]}

    # The function stays remembered after a reload.
    room.go_to(item, 3)
    page.reload()
    expect(page.get_by_label("Jouw functie")).to_have_value("Jeugdverpleegkundige")
    assert_clean(tab, base_url=room.base_url)


def test_voting_double_tap_counts_once_and_dots_survive_a_reload(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    item = room.add("stemmen", {"options": ["Meer tijd voor gesprekken", "Samen eten", "Een vaste mentor"]})
    room.go_to(item, 0)
    tab = phone("phone")
    page = tab.page
    join(page, room)
    rows = page.locator(".vote-target")
    expect(rows).to_have_count(3)
    expect(page.locator("#vote-left")).to_have_text("Nog 3 van 3 stippen")
    item_id = room.deps.repo.get_session(room.session_id).agenda[item].id

    rows.nth(1).dblclick()
    expect(page.locator("#vote-left")).to_have_text("Nog 2 van 3 stippen")
    expect(rows.nth(1)).to_have_attribute("aria-pressed", "true")
    page.wait_for_timeout(300)  # a late second tap would show by now
    assert services.tallies(room.deps.repo, room.session_id, item_id) == {"option-2": 1}
    rows.nth(0).click()
    expect(page.locator("#vote-left")).to_have_text("Nog 1 van 3 stippen")

    page.reload()
    expect(page.locator(".status")).to_have_attribute("data-status", "connected")
    expect(page.locator("#vote-left")).to_have_text("Nog 1 van 3 stippen")
    expect(rows).to_have_count(3)
    assert [rows.nth(i).get_attribute("aria-pressed") for i in range(3)] == ["true", "true", "false"]

    rows.nth(1).click()  # take one back
    expect(page.locator("#vote-left")).to_have_text("Nog 2 van 3 stippen")
    expect(rows.nth(1)).to_have_attribute("aria-pressed", "false")
    assert services.tallies(room.deps.repo, room.session_id, item_id) == {"option-1": 1}
    fits(page)
    assert_clean(tab, base_url=room.base_url)


def test_roddel_inbrenger_by_code_listens_and_stars(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    item = room.add("roddelmethode")
    room.go_to(item, 0)
    tab_i, tab_d = at_table(phone, room, 1, "inbrenger", "deelnemer")
    inbrenger, deelnemer = tab_i.page, tab_d.page
    code = room.do(services.create_role_code, room.deps.registry, room.session_id, role="inbrenger")
    inbrenger.get_by_text("Heb je een code van de gespreksleider?").click()
    inbrenger.get_by_label("Code", exact=True).fill(code.lower())
    inbrenger.get_by_role("button", name="Gebruik de code").click()
    expect(inbrenger.locator("#role-result")).to_have_text("Gelukt! Jij bent de inbrenger.")
    expect(inbrenger.locator("#role-banner")).to_have_text("Jij bent de inbrenger.")
    expect(inbrenger.locator("#prompt")).to_have_text("Vertel de casus en stel je vraag. Je kunt je vraag hier ook typen.")

    room.go_to(item, 2)  # roddelen
    expect(inbrenger.locator("#listen")).to_be_visible()
    expect(inbrenger.locator("#answer-form")).to_be_hidden()
    expect(inbrenger.locator("#prompt")).to_have_text("Luister mee. Draai je om en zeg niets. Geef een ster aan wat je raakt.")
    deelnemer.get_by_role("radio", name=re.compile("^Observatie")).check()
    deelnemer.locator("#answer").fill("Finn lijkt vooral onzeker over lezen")
    deelnemer.get_by_role("button", name="Versturen").click()
    sent(deelnemer, "Finn lijkt vooral onzeker over lezen")
    heard = inbrenger.locator(".listen-item")
    expect(heard).to_have_count(1)
    expect(heard.locator(".listen-text")).to_have_text("Finn lijkt vooral onzeker over lezen")
    expect(heard.locator(".meta")).to_have_text("Observatie")
    heard.get_by_role("button", name="Geef een ster").click()
    expect(heard.get_by_role("button", name="Ster weghalen")).to_have_text("★")
    [roddel] = room.contributions("roddel")
    assert (roddel.starred, roddel.tags) == (True, ("observatie",))

    # The advice phase: the inbrenger waits and listens; the deelnemer writes with the table.
    room.go_to(item, 3)
    expect(inbrenger.locator("#prompt")).to_have_text("Luister mee terwijl de tafel het advies voor jou formuleert.")
    expect(inbrenger.locator("#table-work")).to_be_hidden()
    expect(deelnemer.locator("#draft-advies-1")).to_be_visible()
    assert_clean(tab_i, tab_d, base_url=room.base_url)


def test_own_answers_say_what_became_of_them(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    """Hidden by the facilitator, waiting for approval, or sent: the author's phone says which, and keeps the text."""
    room.go_to(0, 0)
    tab, other_tab = phone("author"), phone("tablemate")
    page, other = tab.page, other_tab.page
    join(page, room, tafel=3)
    join(other, room, tafel=3)
    first, second = "Een buurvrouw die belt als het even niet gaat", "Samen koken op woensdag"
    for text in (first, second):
        page.locator("#answer").fill(text)
        page.get_by_role("button", name="Versturen").click()
        sent(page, text)
    hidden_id = next(c.id for c in room.contributions() if c.text == first)

    room.do(services.set_contribution_hidden, room.session_id, hidden_id, True)
    hidden = mine_item(page, first)
    expect(hidden.locator("small")).to_have_text("verborgen door de gespreksleider")
    expect(hidden).to_have_class(re.compile(r"\bis-hidden\b"))
    expect(mine_item(page, second).locator("small")).to_have_text("verstuurd")
    expect(page.locator("#mine-empty")).to_be_hidden()
    expect(page.locator("#limit")).to_have_text("2 van 20 verstuurd")

    page.reload()  # and after a reload, from the server's state
    expect(page.locator(".status")).to_have_attribute("data-status", "connected")
    expect(mine_item(page, first).locator("small")).to_have_text("verborgen door de gespreksleider")
    expect(page.locator("#mine .mine-item")).to_have_count(2)
    expect(page.locator("#mine-empty")).to_be_hidden()

    # "pending": what the server sends while "eerst goedkeuren" holds an item back (the moderation side sends it).
    [author] = [p for p in room.participants() if p.number == 1]
    stored = next(c for c in room.contributions() if c.text == second)
    waiting = {**own_contribution_payload(None, stored), "status": "pending"}
    with room.app.test_request_context("/"):
        room.deps.realtime.socketio.emit(CONTRIBUTION_UPDATED, {"contribution": waiting}, to=participant_room(author.id))
    expect(mine_item(page, second).locator("small")).to_have_text("wacht op de gespreksleider")
    expect(mine_item(page, second)).to_have_class(re.compile(r"\bis-pending\b"))
    page.locator("#mine").scroll_into_view_if_needed()
    screenshot(page, "phone-own-status.png")

    room.do(services.set_contribution_hidden, room.session_id, hidden_id, False)
    expect(mine_item(page, first).locator("small")).to_have_text("verstuurd")
    expect(mine_item(page, first)).to_have_class(re.compile(r"\bsent\b"))

    # The tablemate never had the hidden text, live or after a reload.
    expect(other.locator("#mine .mine-item")).to_have_count(0)
    other.reload()
    expect(other.locator(".status")).to_have_attribute("data-status", "connected")
    assert first not in other.content()
    assert_clean(tab, other_tab, base_url=room.base_url)


def test_vier_buffers_a_second_answer_never_reuses_the_first_ones_choices(
    room: Room, phone: Callable[[str], OpenedPage]
) -> None:
    """Two answers in a row: the buffer and tags of the first are not silently sent with the second (issue 14, 7)."""
    item = room.add("vier_buffers")
    room.go_to(item, 1)
    tab = phone("phone")
    page = tab.page
    join(page, room)
    first, second = "Koffie na schooltijd op het plein", "Een oppas als ik naar de huisarts moet"
    page.locator("#answer").fill(first)
    page.get_by_role("radio", name=re.compile("^Solidariteit in de gemeenschap")).check()
    page.get_by_role("radio", name="Als organisatie").check()
    page.get_by_role("radio", name="Kunnen geven").check()
    page.get_by_role("button", name="Versturen").click()
    sent(page, first)

    # After a send every choice is empty again, so the next answer needs its own.
    expect(page.locator("#answer-form input[type=radio]:checked")).to_have_count(0)
    page.locator("#answer").fill(second)
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#error")).to_have_text("Kies eerst in welke buffer je bijdrage hoort.")
    page.get_by_role("radio", name=re.compile("^Goede taakverdeling")).check()
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#error")).to_have_text("Kies bij elke keuze één antwoord.")
    page.get_by_role("radio", name="Als mens").check()
    page.get_by_role("radio", name="Nodig hebben").check()
    page.get_by_role("button", name="Versturen").click()
    expect(sent(page, second).locator(".meta")).to_have_text("Goede taakverdeling · Als mens · Nodig hebben")
    stored = {c.text: (c.bucket, c.tags) for c in room.contributions()}
    assert stored == {
        first: ("solidariteit", ("organisatie", "geven")),
        second: ("taakverdeling", ("mens", "nodig")),
    }
    # A reload changes nothing of this: the empty choices stay empty.
    page.reload()
    expect(page.locator(".status")).to_have_attribute("data-status", "connected")
    expect(page.locator("#answer-form input[type=radio]:checked")).to_have_count(0)
    assert_clean(tab, base_url=room.base_url)
