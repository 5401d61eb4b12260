"""The one `el()` every page builds its elements with (static/js/dom.js), called in the browser on its own (issue 17).

The host view and the phone each had their own `el()`, with different option names; the shared one must keep what
both relied on, above all that text (a participant's words) only ever becomes text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.helpers import OpenedPage, Room, assert_clean, new_room


@pytest.fixture
def room(app_server: Room) -> Room:
    """A fresh bijeenkomst on the shared in-process server (conftest.py), for 360x740 phones."""
    return new_room(app_server)

pytestmark = pytest.mark.browser

MARKUP = '<img src=x onerror="window.pwned = 1"><b>vet</b>'


def test_el_puts_text_in_as_text_and_sets_what_each_caller_asks(room: Room, phone: Callable[[str], OpenedPage]) -> None:
    tab = phone("dom")
    tab.page.goto(f"{room.base_url}/")
    got: dict[str, Any] = tab.page.evaluate(
        """async (markup) => {
            const { el, button } = await import("/static/js/dom.js");
            let clicks = 0;
            const node = el("li", {
                className: "card own", text: markup, hidden: true,
                dataset: { id: 7, gone: null }, attrs: { "aria-pressed": "false", disabled: true, selected: false },
                on: { click: () => { clicks += 1; } },
            });
            node.click();
            const parent = el("div", {}, ["a ", markup, null, false, el("span", { text: 0 })]);
            const one = el("p", {}, "alleen");
            const knop = button("Verstuur", () => { clicks += 10; });
            knop.click();
            return {
                text: node.textContent, elements: node.children.length + parent.querySelectorAll("img, b").length,
                className: node.className, hidden: node.hidden, id: node.dataset.id, gone: "gone" in node.dataset,
                pressed: node.getAttribute("aria-pressed"), disabled: node.getAttribute("disabled"),
                selected: node.hasAttribute("selected"), clicks, parentText: parent.textContent, one: one.textContent,
                knop: [knop.type, knop.className, knop.textContent], pwned: window.pwned === 1,
            };
        }""",
        MARKUP,
    )
    assert got == {
        "text": MARKUP, "elements": 0, "className": "card own", "hidden": True, "id": "7", "gone": False,
        "pressed": "false", "disabled": "", "selected": False, "clicks": 11, "parentText": f"a {MARKUP}0",
        "one": "alleen", "knop": ["button", "button", "Verstuur"], "pwned": False,
    }
    assert_clean(tab, base_url=room.base_url)
