""""Zet mijn tekst erachter" appends only what is new (issue 14, point 8).

Two phones at a table usually start from the same saved draft; when both wrote on, the one that saves second sees
both versions. Appending all of its text repeated the shared first sentence in the advice. The merge is a pure
function (static/js/participant/merge.js), called here in the browser on its own, and the whole conflict on two phones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser import test_phone_werkvormen as werkvormen
from tests.browser.helpers import OpenedPage, Room, assert_clean, at_table

# A fresh bijeenkomst on the in-process server, as the phone tests have it (conftest: app_server, 360x740 phones).
room = werkvormen.room

pytestmark = pytest.mark.browser

SHARED = "Zorg voor één vast aanspreekpunt op school."

CASES: list[tuple[str, tuple[str, str, str], str]] = [
    ("the shared first sentence is not repeated",
     (f"{SHARED} Plan na zes weken een terugblik.", f"{SHARED} Vraag de ouders wat zij al geprobeerd hebben.", SHARED),
     f"{SHARED} Plan na zes weken een terugblik.\n\nVraag de ouders wat zij al geprobeerd hebben."),
    ("also without knowing what both started from",
     (f"{SHARED} Plan na zes weken een terugblik.", f"{SHARED} Vraag de ouders wat zij al geprobeerd hebben.", ""),
     f"{SHARED} Plan na zes weken een terugblik.\n\nVraag de ouders wat zij al geprobeerd hebben."),
    ("case, spacing and punctuation do not make a sentence new",
     (SHARED, "zorg voor één vast   aanspreekpunt op school! Bel elke week.", ""),
     f"{SHARED}\n\nBel elke week."),
    ("nothing new: their text stays as it is",
     (f"{SHARED} Bel elke week.", "Bel elke week.", ""), f"{SHARED} Bel elke week."),
    ("lines (a list) are compared line by line and kept as lines",
     ("- tijd\n- rust", "- tijd\n- een vaste plek\n- rust\n- geld", ""), "- tijd\n- rust\n\n- een vaste plek\n- geld"),
    ("a sentence they rewrote is not brought back from the common start",
     ("Zorg voor één vaste contactpersoon op school.", f"{SHARED} Vraag de ouders.", SHARED),
     "Zorg voor één vaste contactpersoon op school.\n\nVraag de ouders."),
    ("an empty table text takes all of mine", ("", "Eerste zin. Tweede zin.", ""), "Eerste zin. Tweede zin."),
    ("a sentence I wrote twice is added once", ("Iets.", "Nieuw. Nieuw.", ""), "Iets.\n\nNieuw."),
]


def test_append_new_keeps_only_my_new_sentences(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    tab = phone("merge")
    tab.page.goto(f"{room.base_url}/")
    results: list[Any] = tab.page.evaluate(
        """async (cases) => {
            const { appendNew } = await import("/static/js/participant/merge.js");
            return cases.map(([theirs, mine, base]) => appendNew(theirs, mine, base));
        }""",
        [list(arguments) for _name, arguments, _expected in CASES],
    )
    failures = [(name, got, expected) for (name, _args, expected), got in zip(CASES, results, strict=True)
                if got != expected]
    assert not failures, failures


def test_zet_mijn_tekst_erachter_does_not_repeat_the_shared_first_sentence(
    room: Room, phone: Callable[[str], OpenedPage]
) -> None:
    item = room.add("tafeladvies")
    room.go_to(item, 0)
    tab_a, tab_b = at_table(phone, room, 3, "phone A", "phone B")
    a, b = tab_a.page, tab_b.page
    box_a, box_b = a.locator("#draft-advies-1"), b.locator("#draft-advies-1")

    # A writes the first sentence; it is saved and reaches B, who was not typing.
    box_a.fill(SHARED)
    box_a.blur()
    expect(a.locator(".slot-status")).to_have_text("bewaard")
    expect(box_b).to_have_value(SHARED)
    # Both write on from there; A saves first, so B's save meets a newer version.
    mine_b = f"{SHARED} Vraag de ouders wat zij al geprobeerd hebben."
    theirs_a = f"{SHARED} Plan na zes weken een terugblik."
    box_b.fill(mine_b)
    box_a.fill(theirs_a)
    box_a.blur()
    expect(a.locator(".slot-status")).to_have_text("bewaard")
    conflict = b.locator(".conflict")
    expect(conflict).to_be_visible(timeout=5_000)
    expect(conflict.locator(".theirs p")).to_have_text(theirs_a)
    conflict.get_by_role("button", name="Zet mijn tekst erachter").click()

    merged = f"{theirs_a}\n\nVraag de ouders wat zij al geprobeerd hebben."
    expect(conflict).to_be_hidden()
    expect(box_b).to_have_value(merged)
    expect(b.locator(".slot-status")).to_have_text("bewaard")
    expect(box_a).to_have_value(merged)
    item_id = room.deps.repo.get_session(room.session_id).agenda[item].id
    draft = room.deps.repo.get_draft(room.session_id, item_id, "advies", 3, 1)
    assert draft.text == merged and draft.text.count(SHARED) == 1
    assert_clean(tab_a, tab_b, base_url=room.base_url)
