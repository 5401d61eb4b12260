"""The roddelmethode's editor offers the werkvorm's example casus to edit, not an empty field (issue 15, point 4)."""

from __future__ import annotations

import html
import re
from typing import Any

from workformats.roddelmethode import CASE_TEXT


def _case_field(body: str, item_id: str) -> str:
    editor = body.split(f'id="item-{item_id}"', 1)[1]
    return html.unescape(re.search(r'<textarea name="case_text"[^>]*>(.*?)</textarea>', editor, re.S).group(1))


def test_the_roddelmethode_editor_offers_the_example_casus(host_http: Any, bijeenkomst: dict, deps: Any) -> None:
    sid = bijeenkomst["id"]
    response = host_http.post(f"/host/s/{sid}/agenda", data={"workformat": "roddelmethode"})
    item_id = re.search(r"#item-([0-9a-f]+)$", response.headers["Location"]).group(1)
    body = host_http.get(f"/host/s/{sid}/voorbereiden?open={item_id}").get_data(as_text=True)
    assert _case_field(body, item_id) == CASE_TEXT
    assert "voorbeeldcasus" in html.unescape(body)
    # Saved as it stands, the example becomes the item's casus; the facilitator's own text replaces it.
    host_http.post(f"/host/s/{sid}/agenda/{item_id}", data={"case_text": "Sammy is 9 en zit in groep 6.", "inbrenger_mode": "room"})
    body = host_http.get(f"/host/s/{sid}/voorbereiden?open={item_id}").get_data(as_text=True)
    assert _case_field(body, item_id) == "Sammy is 9 en zit in groep 6."
    assert "voorbeeldcasus" not in html.unescape(body)


def test_a_werkvorm_without_a_case_keeps_an_empty_field(host_http: Any, bijeenkomst: dict) -> None:
    sid = bijeenkomst["id"]
    response = host_http.post(f"/host/s/{sid}/agenda", data={"workformat": "vier_buffers"})
    item_id = re.search(r"#item-([0-9a-f]+)$", response.headers["Location"]).group(1)
    body = host_http.get(f"/host/s/{sid}/voorbereiden?open={item_id}").get_data(as_text=True)
    assert _case_field(body, item_id) == ""
