"""The join page on a 360×740 phone offers exactly the bijeenkomst's own perspectives, and the choice counts."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import OpenedPage, assert_clean

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 360, 740
# As the verslag writes them mid-sentence ("1 wijkteammedewerker"); the join page starts each with a capital.
OWN = [("jeugdarts", "jeugdartsen"), ("wijkteammedewerker", "wijkteammedewerkers"), ("beleid", "beleid")]


def test_the_join_page_offers_the_facilitators_perspectives_on_a_small_phone(
        open_page: Callable[..., OpenedPage], live_server: LiveServer) -> None:
    made = live_server.create_bijeenkomst("Jeugdzorg in de wijk")
    http = live_server.host_session()
    form = {}
    for i, (singular, plural) in enumerate(OWN):
        form.update({f"p-{i}-id": "", f"p-{i}-singular": singular, f"p-{i}-plural": plural, f"p-{i}-order": str(i + 1)})
    saved = http.post(f"{live_server.base_url}/host/s/{made['id']}/perspectieven", data=form, allow_redirects=False)
    assert saved.status_code == 303, saved.text

    tab = open_page("phone", "phone 360", viewport={"width": WIDTH, "height": HEIGHT})
    phone = tab.page
    phone.goto(f"{live_server.base_url}/j/{made['join_code']}")
    choices = phone.locator("fieldset.perspectives label.choice")
    expect(choices).to_have_text(["Jeugdarts", "Wijkteammedewerker", "Beleid", "Zeg ik liever niet"])
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, "the join page scrolls sideways"
    for n in range(choices.count()):
        box = choices.nth(n).bounding_box()
        assert box is not None and box["height"] >= 24 and box["x"] + box["width"] <= WIDTH, box

    phone.get_by_label("Wijkteammedewerker").check()
    phone.get_by_role("button", name="Ik doe mee").click()
    expect(phone).to_have_url(re.compile(r"/p/[^/?#]+$"))
    expect(phone.locator(".status-text")).to_have_text("verbonden")

    # The regie counts the room in the same words, live.
    regie = open_page("host", "regie")
    regie.page.goto(f"{live_server.base_url}/host/login?key={live_server.key}")
    regie.page.goto(f"{live_server.base_url}/host/s/{made['id']}")
    expect(regie.page.locator("#perspective-counts")).to_have_text("1 wijkteammedewerker")
    other = live_server.join_phone(made["join_code"], perspective="jeugdarts")
    assert other
    expect(regie.page.locator("#perspective-counts")).to_have_text("1 jeugdarts · 1 wijkteammedewerker")

    verslag = http.get(f"{live_server.base_url}/host/s/{made['id']}/verslag.md").text
    assert "Er deden 2 mensen mee: 1 jeugdarts en 1 wijkteammedewerker." in verslag
    assert_clean(tab, regie, base_url=live_server.base_url)


TWELVE = ["jeugdarts", "wijkteammedewerker", "beleidsmedewerker", "bestuurder", "leerplichtambtenaar", "intern begeleider",
          "huisarts", "praktijkondersteuner", "ouder", "jongere", "ervaringsdeskundige", "gezinscoach"]


def test_twelve_perspectives_keep_ik_doe_mee_above_the_fold_of_a_small_phone(
        open_page: Callable[..., OpenedPage], live_server: LiveServer) -> None:
    made = live_server.create_bijeenkomst("Veel functies")
    form = {}
    for i, word in enumerate(TWELVE):
        form.update({f"p-{i}-id": "", f"p-{i}-singular": word, f"p-{i}-plural": word + "s", f"p-{i}-order": str(i + 1)})
    saved = live_server.host_session().post(f"{live_server.base_url}/host/s/{made['id']}/perspectieven", data=form,
                                            allow_redirects=False)
    assert saved.status_code == 303, saved.text

    tab = open_page("phone", "phone 360", viewport={"width": WIDTH, "height": HEIGHT})
    phone = tab.page
    phone.goto(f"{live_server.base_url}/j/{made['join_code']}")
    expect(phone.locator("fieldset.perspectives label.choice")).to_have_count(13)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= WIDTH, "the join page scrolls sideways"
    button = phone.get_by_role("button", name="Ik doe mee").bounding_box()
    assert button is not None and button["y"] + button["height"] <= HEIGHT, button
    for n in range(13):
        box = phone.locator("fieldset.perspectives label.choice").nth(n).bounding_box()
        assert box is not None and box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
    assert_clean(tab, base_url=live_server.base_url)
