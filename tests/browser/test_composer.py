"""Composing werkvormen in Voorbereiden through the real UI, in Chromium against the real server (issue 16, point 2).

At 1280x800 the facilitator composes the grondhouding reflection grid (4 rows x 3 columns, one grid step) and
"goed / knelpunten / oplossingen" (three rows and one step that sorts into them, after an opening step moved to the
front), and the agenda shows both with their own names and steps. Running them on phones is the phone UI's test.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import (
    SCREENSHOTS,
    OpenedPage,
    add_zelf_samenstellen,
    assert_clean,
    axe_violations,
    describe_violations,
    fill_list,
    screenshot,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}


def test_compose_the_grondhouding_grid_and_goed_knelpunten_oplossingen(
    live_server: LiveServer, open_page: Callable[..., OpenedPage]
) -> None:
    made = live_server.create_bijeenkomst("Terugblik pilots")
    tab = open_page("host", viewport=LAPTOP, bypass_csp=True)  # bypass_csp: axe-core goes in as an inline script
    host = tab.page
    host.goto(f"{live_server.base_url}/host/login?key={live_server.key}")
    host.goto(f"{live_server.base_url}/host/s/{made['id']}/voorbereiden")

    # The grondhouding: a 4 x 3 reflection grid in one step.
    add_zelf_samenstellen(host)
    host.locator('input[name="name"]').fill("Grondhouding")
    host.locator('textarea[name="description"]').fill("Elke deelnemer reflecteerde op de grondhouding in een raster.")
    fill_list(host, "rows", "+ Vak toevoegen", ["Gelijkwaardigheid", "Vertrouwen", "Openheid", "Eigenaarschap"])
    fill_list(host, "columns", "+ Kolom toevoegen", ["Wat zie je?", "Wat werkt?", "Wat kan beter?"])
    step = host.locator("#stap-1")
    step.get_by_label("Titel").fill("Reflectie")
    step.get_by_label("Vraag op de telefoons en het scherm").fill("Zet bij elke rij en kolom wat jij ziet.")
    step.get_by_label("Minuten").fill("15")
    step.get_by_label("Wat vullen de telefoons in").select_option("grid")
    expect(step.locator(".explain")).to_be_hidden()  # only a scale asks for an explanation
    step.get_by_label("Wat vullen de telefoons in").select_option("scale")
    expect(step.locator(".explain")).to_be_visible()
    step.get_by_label("Wat vullen de telefoons in").select_option("grid")
    screenshot(host, "composer-grondhouding-1280.png")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    host.screenshot(path=str(SCREENSHOTS / "composer-grondhouding-1280-full.png"), full_page=True,
                    animations="disabled", caret="hide")
    host.locator(".composer-save").get_by_role("button", name="Opslaan").click()
    expect(host).to_have_url(re.compile(r"/voorbereiden\?opgeslagen=[0-9a-f]+#item-"))

    # Goed / knelpunten / oplossingen: three rows, one step that sorts into them, and an opening moved to the front.
    add_zelf_samenstellen(host)
    host.locator('input[name="name"]').fill("Goed, knelpunten, oplossingen")
    fill_list(host, "rows", "+ Vak toevoegen", ["Wat gaat goed", "Knelpunten", "Oplossingen"])
    step = host.locator("#stap-1")
    step.get_by_label("Titel").fill("Per partner")
    step.get_by_label("Vraag op de telefoons en het scherm").fill(
        "Wat gaat goed in de samenwerking, waar loop je vast, en wat lost het op?")
    step.get_by_label("Wat vullen de telefoons in").select_option("buckets")
    host.get_by_role("button", name="+ Stap toevoegen").click()
    step = host.locator("#stap-2")
    step.get_by_label("Titel").fill("Uitleg")
    step.get_by_label("Vraag op de telefoons en het scherm").fill("Luister naar de uitleg van de gespreksleider.")
    step.get_by_label("Wat vullen de telefoons in").select_option("none")
    step.get_by_role("button", name="Stap 2 een plaats omhoog").click()
    expect(host.locator("#stap-1 legend")).to_have_text("Stap 1: Uitleg")
    expect(host.locator("#stap-2 legend")).to_have_text("Stap 2: Per partner")
    screenshot(host, "composer-goed-knelpunten-1280.png")
    host.locator(".composer-save").get_by_role("button", name="Opslaan").click()
    expect(host).to_have_url(re.compile(r"/voorbereiden\?opgeslagen=[0-9a-f]+#item-"))

    # The agenda shows both by their own names and steps, each with its composer.
    items = host.locator(".agenda-item")
    expect(items).to_have_count(3)  # after the open question every new bijeenkomst starts with
    expect(items.nth(1).locator("h3")).to_have_text("Grondhouding")
    expect(items.nth(1).locator(".meta")).to_contain_text("Reflectie")
    expect(items.nth(2).locator("h3")).to_have_text("Goed, knelpunten, oplossingen")
    expect(items.nth(2).locator(".meta")).to_contain_text("Uitleg, Per partner")
    expect(items.nth(2).get_by_role("link", name="Samenstellen")).to_be_visible()
    screenshot(host, "composer-agenda-1280.png")

    # Opening the composer again shows what was saved.
    items.nth(1).get_by_role("link", name="Samenstellen").click()
    expect(host.locator('input[name="rows-3-label"]')).to_have_value("Eigenaarschap")
    expect(host.locator('input[name="columns-2-label"]')).to_have_value("Wat kan beter?")
    expect(host.locator('select[name="phases-0-answer"]')).to_have_value("grid")
    found = {"composer": axe_violations(host)}

    # A refused save says what is wrong next to the field, in Dutch, and keeps what was typed.
    host.locator('input[name="phases-0-minutes"]').fill("999")
    host.locator(".composer-save").get_by_role("button", name="Opslaan").click()
    problem = host.locator("#problem-phases-0-minutes")
    expect(problem).to_have_text("Stap 1: vul een aantal minuten in van 1 tot 240, of laat het leeg.")
    expect(host.locator('input[name="phases-0-minutes"]')).to_have_attribute("aria-invalid", "true")
    expect(host.locator('input[name="rows-0-label"]')).to_have_value("Gelijkwaardigheid")
    found["composer with a problem"] = axe_violations(host)
    assert not any(found.values()), describe_violations(found)
    # The refused save answered 400, as it should: that one console line is expected, nothing else.
    refused = [e for e in tab.watch.console_errors if "status of 400" in e and "/samenstellen" in e]
    assert len(refused) == 1, tab.watch.console_errors
    tab.watch.console_errors.remove(refused[0])
    assert_clean(tab, base_url=live_server.base_url)
