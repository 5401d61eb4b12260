"""The Verdichten screen over HTTP: statements with their source cards, the five actions as forms, the guard."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from facilitator.core.domain import Contribution
from facilitator.testing.verslag import TEXTS, Afternoon, afternoon

URL = "/host/s/middag2/verdichten"


@pytest.fixture
def middag(deps: Any) -> Afternoon:
    made = afternoon(deps.repo, deps.series)
    # Three more people say the first buffer card in their own words.
    for n, text in enumerate(("heb oog voor wat de ouder goed doet", "Ik vind: heb oog voor wat de ouder goed doet.",
                              "Heb oog voor wat de ouder goed doet. Dat is echt belangrijk.")):
        author = made.participants[n]
        deps.repo.add_contribution("middag2", Contribution(
            id=f"para{n}", participant_id=author.id, agenda_item_id="buf1", phase_id="vangnet", kind="vangnet",
            text=text, created_at=90_000.0 + n, table=author.table, perspective=author.perspective,
            bucket="solidariteit", tags=("mens", "geven")))
    return made


def page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def statement_of(text: str, body: str) -> str:
    """Return the id of the statement whose source cards hold this text."""
    for match in re.finditer(r'<li class="vd-statement[^"]*" id="st-([^"]+)">(.*?)</li>\s*(?=<li class="vd-st|</ol>)',
                             body, re.S):
        if text in match.group(2):
            return match.group(1)
    raise AssertionError(f"no statement with {text!r}")


def test_the_screen_shows_each_statement_with_its_source_cards_and_the_five_actions(
        host_http: Any, middag: Afternoon) -> None:
    response = host_http.get(URL)
    assert response.status_code == 200
    body = page(response)
    first = TEXTS["vangnet"][0]["text"]
    # The four wordings fold into one statement of 4 cards, with every card beside it.
    assert f"{first} (4×" in body
    sid = statement_of("Ik vind: heb oog voor wat de ouder goed doet.", body)
    assert sid == statement_of(first, body)
    for action in ("edit", "accept", "split", "drop"):
        assert f'name="action" value="{action}"' in body
    assert 'value="merge"' in body
    assert "Solidariteit in de gemeenschap" in body


def test_each_action_is_stored_and_reaches_the_verslag(host_http: Any, middag: Afternoon, deps: Any) -> None:
    body = page(host_http.get(URL))
    first = TEXTS["vangnet"][0]["text"]
    sid = statement_of(first, body)
    action = f"{URL}/buf1"
    assert host_http.post(action, data={"statements": sid, "action": "edit",
                                        "text": "Zie wat de ouder goed doet."}).status_code == 302
    assert host_http.post(action, data={"statements": sid, "action": "split", "cards": "para2"}).status_code == 302
    other = statement_of(TEXTS["vangnet"][3]["text"], page(host_http.get(URL)))
    assert host_http.post(action, data={"statements": other, "action": "drop"}).status_code == 302
    stored = deps.repo.get_verdichting("middag2", "buf1")
    assert stored.version == 3
    markdown = page(host_http.get("/host/s/middag2/verslag.md"))
    assert "Zie wat de ouder goed doet. (3×" in markdown
    assert TEXTS["vangnet"][3]["text"] not in markdown.split("## Bijlage")[0]
    merge = host_http.post(action, data={"action": "merge", "statements": [sid, "para2"]})
    assert merge.status_code == 302
    assert "Zie wat de ouder goed doet. (4×" in page(host_http.get("/host/s/middag2/verslag.md"))


def test_a_wrong_action_says_what_to_do(host_http: Any, middag: Afternoon) -> None:
    body = page(host_http.get(URL))
    single = statement_of(TEXTS["vangnet"][1]["text"], body)
    response = host_http.post(f"{URL}/buf1", data={"statements": single, "action": "split"})
    assert response.status_code == 302
    shown = page(host_http.get(response.headers["Location"]))
    assert "splitsen" in shown and 'role="alert"' in shown


def test_the_screen_is_the_facilitators_only(app: Any, middag: Afternoon) -> None:
    client = app.test_client()
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}/buf1", data={"statements": "x", "action": "drop"}).status_code == 403
