"""The afspraken in the regie's terugblik (Chromium against the real server): the facilitator sets a status and a
note per afspraak; "Bewaard" shows only once the server stored it, a failed save says so; a phone's text is text."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries
from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import (
    OpenedPage,
    assert_clean,
    axe_violations,
    describe_violations,
    screenshot,
    serving,
    wait_until,
)
from tests.support.afspraken import bijeenkomsten

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="document.title=\'pwned\'">Plan'


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[LiveServer, str, str, Path]]:
    """A server on a data folder holding two bijeenkomsten of a series; the first made afspraken."""
    repo, series_repo = TinyDBRepository(tmp_path), TinyDBSeries(tmp_path)
    first, second = bijeenkomsten(repo, series_repo, discover())
    # One afspraak a phone typed as markup: shown as the text it is.
    hostile = repo.get_contribution(first.id, "afspraak-0002")
    assert hostile is not None
    repo.update_contribution(first.id, dataclasses.replace(hostile, text=HOSTILE))
    with serving(tmp_path) as server:
        yield server, str(first.series_id), second.id, tmp_path


def stored(data_dir: Path, series_id: str) -> dict[str, tuple[str, str]]:
    [recap] = TinyDBSeries(data_dir).get_series(series_id).recaps
    return {a.id: (a.status, a.note) for a in recap.afspraken}


def test_the_facilitator_sets_the_status_of_last_times_afspraken_in_the_terugblik(
    seeded: tuple[LiveServer, str, str, Path], open_page: Callable[..., OpenedPage]
) -> None:
    server, series_id, second, data_dir = seeded
    host = open_page("host", bypass_csp=True)
    page = host.page
    page.goto(f"{server.base_url}/host/login?key={server.key}")
    page.goto(f"{server.base_url}/host/s/{second}")
    page.get_by_role("button", name="Terugblik").click()
    panel = page.locator("#terugblik-panel")
    expect(panel.get_by_role("heading", name="Afspraken van de vorige keer")).to_be_visible()
    rows = panel.locator(".afspraak")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator(".afspraak-wie")).to_have_text("Gemeente (Bestuur) · maart 2027")
    expect(rows.nth(1).locator(".afspraak-wat")).to_have_text(HOSTILE)
    assert page.title() != "pwned" and panel.locator("img").count() == 0
    expect(panel).not_to_contain_text("Geheim plan")

    first = rows.nth(0)
    first.get_by_label("Status").select_option(label="Gedaan")
    expect(first.locator(".afspraak-saved")).to_have_text("Bewaard")
    expect(first).to_have_attribute("data-status", "gedaan")
    assert stored(data_dir, series_id)["afspraak-0001"] == ("gedaan", "")
    third = rows.nth(2)
    third.get_by_label("Notitie").fill("Komt na de zomer terug")
    third.get_by_label("Notitie").press("Enter")
    expect(third.locator(".afspraak-saved")).to_have_text("Bewaard")
    assert stored(data_dir, series_id)["afspraak-0003"] == ("open", "Komt na de zomer terug")

    screenshot(page, "terugblik-afspraken.png")
    violations = axe_violations(page)
    assert not violations, describe_violations({"terugblik with afspraken": violations})

    # The laptop's server does not answer: no "Bewaard", the row keeps its stored status.
    page.route("**/terugblik/afspraken/**", lambda route: route.abort())
    second_row = rows.nth(1)
    second_row.get_by_label("Status").select_option(label="Vervallen")
    expect(second_row.locator(".afspraak-saved")).to_have_text("Niet bewaard. Probeer het opnieuw.")
    expect(second_row).to_have_attribute("data-status", "open")
    page.unroute("**/terugblik/afspraken/**")
    second_row.get_by_label("Status").select_option(label="Loopt")
    expect(second_row.locator(".afspraak-saved")).to_have_text("Bewaard")
    wait_until(page, lambda: stored(data_dir, series_id)["afspraak-0002"] == ("loopt", ""), "loopt stored")

    # After a reload the regie shows what is stored.
    page.reload()
    page.keyboard.press("t")
    expect(rows.nth(0).get_by_label("Status")).to_have_value("gedaan")
    expect(rows.nth(1).get_by_label("Status")).to_have_value("loopt")
    expect(rows.nth(2).get_by_label("Notitie")).to_have_value("Komt na de zomer terug")
    # The aborted request is the one failure expected; nothing else went wrong on the page.
    host.watch.console_errors[:] = [e for e in host.watch.console_errors if "Failed to load resource" not in e
                                    and "net::ERR_FAILED" not in e]
    assert_clean(host, base_url=server.base_url)
