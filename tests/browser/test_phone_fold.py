"""Every werkvorm's phone screen fits a 360×740 phone: what one types in and the button that sends it are on screen
without scrolling (issue 14, point 7), and so are "Ik doe mee" on the join page and the verslag card.

Measured as a person sees the page when it arrives: scrolled to the top, after it settled (connected, laid out, two
animation frames), the on-screen keyboard not considered. A box counts when it lies wholly inside 0..740 vertically
and 0..360 horizontally. Each screen is saved as tests/browser/artifacts/phone-360-<screen>.png.

The server runs in this process (Flask-SocketIO in threading mode behind Werkzeug), so a test can move the room
through the agenda with the services, as the host's buttons do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Locator, Page, expect

from facilitator.core import services
from tests.browser.helpers import (
    SMALL_PHONE,
    OpenedPage,
    Room,
    assert_clean,
    at_table,
    join,
    new_room,
    screenshot,
    send,
)

pytestmark = pytest.mark.browser

#: The phone fixture's screen: what must fit without scrolling.
WIDTH, FOLD = SMALL_PHONE["width"], SMALL_PHONE["height"]


@pytest.fixture
def room(app_server: Room) -> Room:
    """A fresh bijeenkomst with three named tables (long names, as facilitators give them); agenda: an open question."""
    return new_room(
        app_server, "Dialoogsessie over jeugd, gezin en school in de wijk Noord", series="Dialoogsessies Jeugd",
        tables=["Tafel Zonnebloem", "Tafel Het Anker", "Tafel De Brug"],
    )


@dataclass
class Fold:
    """Measures screens and collects every box that is not wholly on screen, so one run reports them all."""

    measured: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def check(
        self, page: Page, screen: str, boxes: dict[str, Locator], *, also: dict[str, Locator] | None = None
    ) -> None:
        """Scroll to the top, let the page settle, and check that each named element lies inside the fold.

        `also`: elements only measured and reported (the choices below the text box), not required on screen.
        """
        for locator in [*boxes.values(), *(also or {}).values()]:
            expect(locator).to_be_visible()
        page.evaluate("() => window.scrollTo(0, 0)")
        settle(page)
        assert page.evaluate("() => window.scrollY") == 0
        found: dict[str, dict[str, float]] = {}
        for name, locator in [*boxes.items(), *(also or {}).items()]:
            box = locator.bounding_box()
            assert box is not None, (screen, name)
            found[name] = {"top": round(box["y"]), "bottom": round(box["y"] + box["height"])}
            inside = box["y"] >= 0 and box["y"] + box["height"] <= FOLD and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
            if not inside and name in boxes:
                self.problems.append(f"{screen}: {name} at {box['y']:.0f}..{box['y'] + box['height']:.0f} px")
        self.measured[screen] = found
        assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, f"{screen} scrolls sideways"
        screenshot(page, f"phone-360-{screen}.png")

    def assert_all_inside(self) -> None:
        for screen, found in self.measured.items():
            print(screen, found)
        assert not self.problems, "below the fold of a 360×740 phone:\n" + "\n".join(self.problems)


def settle(page: Page) -> None:
    """Wait for fonts and two animation frames, so the boxes are the laid-out ones."""
    page.evaluate(
        "() => document.fonts.ready.then(() => new Promise((done) => "
        "requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))"
    )


def answer_boxes(page: Page) -> dict[str, Locator]:
    return {"text box": page.locator("#answer"), "send button": page.get_by_role("button", name="Versturen")}


def test_join_page_ik_doe_mee_is_on_screen(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    fold = Fold()
    tab = phone("phone")
    page = tab.page
    page.goto(f"{room.base_url}/j/{room.join_code}")
    fold.check(page, "join", {"Ik doe mee": page.get_by_role("button", name="Ik doe mee")})
    # Scanned at a table: the page names the table and says it may be changed (one more line).
    page.goto(f"{room.base_url}/j/{room.join_code}?tafel=2")
    fold.check(page, "join-tafel", {"Ik doe mee": page.get_by_role("button", name="Ik doe mee")})
    page.goto(f"{room.base_url}/j/{room.join_code}?tafel=2&lang=en")  # English words are longer here and there
    fold.check(page, "join-tafel-en", {"Ik doe mee": page.locator(".join-form button[type=submit]")})
    fold.assert_all_inside()
    assert_clean(tab, base_url=room.base_url)


def test_open_vraag_and_the_verslag_card_are_on_screen(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    fold = Fold()
    room.go_to(0, 0)
    tab = phone("phone")
    page = tab.page
    join(page, room, tafel=1)
    fold.check(page, "open-vraag", answer_boxes(page))
    send(page, "Meer tijd voor gesprekken met ouders, ook na schooltijd")
    send(page, "Een vaste mentor voor elk kind dat dat nodig heeft")
    fold.check(page, "open-vraag-sent", answer_boxes(page))
    # The closing: the facilitator asks for addresses while the last question is still on the phones.
    with room.app.test_request_context("/"):
        room.deps.publish(services.set_closing(room.deps.repo, room.session_id, True))
    card = page.locator("#verslag")
    fold.check(page, "verslag-card", {
        "e-mail box": card.get_by_label("Je e-mailadres"),
        "consent": card.get_by_label("Ja, stuur mij het verslag"),
        "Verstuur": card.get_by_role("button", name="Verstuur"),
    })
    fold.assert_all_inside()
    assert_clean(tab, base_url=room.base_url)


def test_roddelmethode_every_phase_and_role_is_on_screen(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    fold = Fold()
    item = room.add("roddelmethode")
    room.go_to(item, 0)
    tab_i, tab_d = at_table(phone, room, 1, "inbrenger", "deelnemer")
    inbrenger, deelnemer = tab_i.page, tab_d.page
    room.do(services.assign_role, room.deps.registry, room.session_id, role="inbrenger", number=1,
            item_id=room.item_id(item))
    expect(inbrenger.locator("#role-banner")).to_have_text("Jij bent de inbrenger.")
    fold.check(inbrenger, "roddel-inbreng-inbrenger", answer_boxes(inbrenger))

    room.go_to(item, 1)
    fold.check(deelnemer, "roddel-vragen", answer_boxes(deelnemer))

    room.go_to(item, 2)
    expect(deelnemer.locator("#tag-groups legend")).to_have_text(["Soort"])
    fold.check(deelnemer, "roddel-roddelen", answer_boxes(deelnemer), also={
        "Observatie": deelnemer.locator(".toggle-option").nth(0),
        "Hypothese": deelnemer.locator(".toggle-option").nth(1),
    })
    deelnemer.get_by_role("radio", name=re.compile("^Observatie")).check()
    send(deelnemer, "Finn lijkt vooral onzeker over lezen")
    heard = inbrenger.locator(".listen-item")
    expect(heard).to_have_count(1)
    fold.check(inbrenger, "roddel-luister-mee", {
        "first roddel": heard.first.locator(".listen-text"), "its star": heard.first.get_by_role("button"),
    })

    room.go_to(item, 3)
    draft = deelnemer.locator("#draft-advies-1")
    fold.check(deelnemer, "roddel-advies", {
        "table draft": draft, "Ik ben de woordvoerder": deelnemer.get_by_role("button", name="Ik ben de woordvoerder"),
    })
    deelnemer.get_by_role("button", name="Ik ben de woordvoerder").click()
    submit = deelnemer.get_by_role("button", name="Indienen namens de tafel")
    fold.check(deelnemer, "roddel-advies-woordvoerder", {"table draft": draft, "Indienen": submit})
    fold.check(inbrenger, "roddel-advies-inbrenger", {"prompt": inbrenger.locator("#prompt")})

    room.go_to(item, 4)
    fold.check(inbrenger, "roddel-reactie-inbrenger", answer_boxes(inbrenger))
    room.go_to(item, 5)
    fold.check(deelnemer, "roddel-rode-draad", answer_boxes(deelnemer))
    fold.assert_all_inside()
    assert_clean(tab_i, tab_d, base_url=room.base_url)


def test_vier_buffers_buffer_and_tag_choices_are_on_screen(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    fold = Fold()
    item = room.add("vier_buffers")
    room.go_to(item, 1)
    tab = phone("phone")
    page = tab.page
    join(page, room, tafel=1)
    expect(page.locator("#bucket-options label.bucket")).to_have_count(4)
    choices = {f"buffer {i + 1}": page.locator("#bucket-options label.bucket").nth(i) for i in range(4)}
    tags = page.locator("#tag-groups .toggle-option")
    choices.update({f"tag {i + 1}": tags.nth(i) for i in range(4)})
    fold.check(page, "vier-buffers", answer_boxes(page), also=choices)
    fold.assert_all_inside()
    assert_clean(tab, base_url=room.base_url)


def test_tafeladvies_draft_and_submit_are_on_screen(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    fold = Fold()
    item = room.add("tafeladvies")
    room.go_to(item, 0)
    tab = phone("phone")
    page = tab.page
    join(page, room, tafel=1)
    draft = page.locator("#draft-advies-1")
    fold.check(page, "tafeladvies", {
        "table draft": draft, "Ik ben de woordvoerder": page.get_by_role("button", name="Ik ben de woordvoerder"),
    })
    page.get_by_role("button", name="Ik ben de woordvoerder").click()
    fold.check(page, "tafeladvies-woordvoerder", {
        "table draft": draft, "Indienen": page.get_by_role("button", name="Indienen namens de tafel"),
    })
    room.go_to(item, 1)
    fold.check(page, "tafeladvies-rode-draad", answer_boxes(page))
    fold.assert_all_inside()
    assert_clean(tab, base_url=room.base_url)


def test_casusdialoog_four_questions_are_on_screen(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    fold = Fold()
    item = room.add("casusdialoog", {"case_text": "Sam (9) zit in groep 6. Hij beweegt graag, maar in de klas "
                                                  "lukt stilzitten slecht. Ouders en school zien het anders."})
    room.go_to(item, 1)
    tab = phone("phone")
    page = tab.page
    join(page, room, tafel=1)
    fold.check(page, "casus-vraag1", answer_boxes(page))

    room.go_to(item, 2)
    expect(page.locator(".draft-text")).to_have_count(5)
    fold.check(page, "casus-vraag2", {
        "first hypothesis": page.locator("#draft-hypothese-1"),
        "Ik ben de woordvoerder": page.get_by_role("button", name="Ik ben de woordvoerder"),
    })
    page.get_by_role("button", name="Ik ben de woordvoerder").click()
    fold.check(page, "casus-vraag2-woordvoerder", {
        "first hypothesis": page.locator("#draft-hypothese-1"),
        "Indienen": page.get_by_role("button", name="Indienen namens de tafel"),
    })

    room.go_to(item, 3)
    fold.check(page, "casus-vraag3", {"function": page.get_by_label("Jouw functie"), **answer_boxes(page)})
    room.go_to(item, 4)
    fold.check(page, "casus-vraag4", {"share": page.get_by_label("Deel dit met de zaal"), **answer_boxes(page)})
    fold.assert_all_inside()
    assert_clean(tab, base_url=room.base_url)


def test_stemmen_and_rode_draden_placing_are_on_screen(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    fold = Fold()
    room.go_to(0, 0)
    tab = phone("phone")
    page = tab.page
    join(page, room, tafel=1)
    send(page, "Meer tijd voor gesprekken met ouders, ook na schooltijd")
    board = room.add("rode_draden")
    votes = room.add("stemmen", {"options": ["Meer tijd voor gesprekken", "Samen eten", "Een vaste mentor"]})
    source = room.item_id(0)
    for name in ("Tijd en aandacht", "Contact met school", "Samen doen"):
        room.do(services.edit_board, room.deps.registry, room.session_id, source, "add_theme",
                {"name": name, "cards": [], "typed": True})
    room.go_to(board, 0)
    card = page.locator(".place-item").first
    expect(card.locator(".place-theme")).to_have_count(3)
    fold.check(page, "rode-draden-plaatsen", {
        "own card": card.locator(".place-text"),
        **{f"theme {i + 1}": card.locator(".place-theme").nth(i) for i in range(3)},
        "Nieuw thema voorstellen": card.get_by_role("button", name="Nieuw thema voorstellen"),
    })
    room.go_to(votes, 0)
    rows = page.locator(".vote-target")
    expect(rows).to_have_count(3)
    fold.check(page, "stemmen", {"dots left": page.locator("#vote-left"),
                                 **{f"option {i + 1}": rows.nth(i) for i in range(3)}})
    fold.assert_all_inside()
    assert_clean(tab, base_url=room.base_url)
