"""The Verdichten screen in Chromium against the real server, with the keyboard only: reword a statement and
save it with Enter, tick a source card and split it off, drop a statement; the verslag follows."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from facilitator.core.domain import Contribution
from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries
from facilitator.testing.live_server import LiveServer
from facilitator.testing.verslag import TEXTS, afternoon
from tests.browser.helpers import OpenedPage, assert_clean, screenshot, serving

pytestmark = pytest.mark.browser

FIRST = TEXTS["vangnet"][0]["text"]
PARAPHRASES = ("heb oog voor wat de ouder goed doet", "Ik vind: heb oog voor wat de ouder goed doet.",
               "Heb oog voor wat de ouder goed doet. Dat is echt belangrijk.")
REWORDED = "Zie wat de ouder goed doet."


def _seed(data_dir: Path) -> None:
    repo, series = TinyDBRepository(data_dir), TinyDBSeries(data_dir)
    made = afternoon(repo, series)
    repo.save_session(dataclasses.replace(made.session, retention_days=36500))
    for n, text in enumerate(PARAPHRASES):
        author = made.participants[n]
        repo.add_contribution("middag2", Contribution(
            id=f"para{n}", participant_id=author.id, agenda_item_id="buf1", phase_id="vangnet", kind="vangnet",
            text=text, created_at=90_000.0 + n, table=author.table, perspective=author.perspective,
            bucket="solidariteit", tags=("mens", "geven")))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("verdichten-data")
    _seed(data_dir)
    with serving(data_dir) as running:
        yield running


def test_verdichten_with_the_keyboard_only(server: LiveServer, open_page: Callable[..., OpenedPage]) -> None:
    host = open_page("host")
    page = host.page
    page.goto(f"{server.base_url}/host/login?key={server.key}")
    page.goto(f"{server.base_url}/host/s/middag2/verdichten")
    statement = page.locator(".vd-statement", has_text="Ik vind: heb oog voor wat de ouder goed doet.")
    expect(statement.locator(".vd-line")).to_contain_text(f"{FIRST} (4×")
    expect(statement.locator(".vd-cards li")).to_have_count(4)
    screenshot(page, "verdichten.png")

    # Reword: focus the field, type, Enter saves (the form's first button is "Formulering opslaan").
    wording = statement.get_by_label("Formulering")
    wording.focus()
    wording.press("Control+a")
    page.keyboard.type(REWORDED)
    page.keyboard.press("Enter")
    statement = page.locator(".vd-statement", has_text="Ik vind: heb oog voor wat de ouder goed doet.")
    expect(statement.locator(".vd-line")).to_contain_text(f"{REWORDED} (4×")
    expect(statement.locator(".vd-status")).to_have_text("aangepast")

    # Split one card off: Tab to its checkbox, Space ticks it, then the split button with Enter.
    card = statement.get_by_label("Heb oog voor wat de ouder goed doet. Dat is echt belangrijk.")
    card.focus()
    page.keyboard.press("Space")
    expect(card).to_be_checked()
    statement.get_by_role("button", name="Splits aangevinkte kaarten af").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".vd-line", has_text=f"{REWORDED} (3×")).to_have_count(1)
    expect(page.locator(".vd-statement", has_text="Dat is echt belangrijk.").locator(".vd-line")).to_contain_text(
        "Dat is echt belangrijk.")

    # Drop another statement, then the verslag's body leaves it out and keeps the reworded one.
    other = page.locator(".vd-statement", has_text=TEXTS["vangnet"][3]["text"])
    other.get_by_role("button", name="Weglaten").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".vd-statement", has_text=TEXTS["vangnet"][3]["text"]).locator(".vd-status")).to_have_text(
        "weggelaten")
    page.goto(f"{server.base_url}/host/s/middag2/verslag")
    preview = page.locator("#verslag-preview")
    expect(preview).to_contain_text(f"{REWORDED} (3×")
    expect(preview).not_to_contain_text(TEXTS["vangnet"][3]["text"])
    assert_clean(host, base_url=server.base_url)
