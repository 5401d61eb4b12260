"""Host and phones name the table's role the same: "woordvoerder" (issue 14, point 8; the internal id stays
`tafelvoorzitter`). Before, the host's roles panel and the prepare page said "Tafelvoorzitter" and the phones
"woordvoerder"."""

from __future__ import annotations

import html as html_lib
import json
import re
from typing import Any

import pytest

_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S)


def visible_texts(page: str) -> list[str]:
    """Return what a person can read: the page's text, and the values of the strings its scripts show."""
    texts = [value for raw in _SCRIPT.findall(page) if raw.strip() for value in _values(json.loads(raw))]
    body = _SCRIPT.sub(" ", page)
    body = re.sub(r"<[^>]+>", " ", body)
    texts.append(html_lib.unescape(body))
    # Labels in attributes a person reads or hears: placeholders, aria-labels, titles.
    texts += [html_lib.unescape(v) for v in re.findall(r'(?:placeholder|aria-label|title)="([^"]*)"', page)]
    return texts


def _values(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [v for value in data.values() for v in _values(value)]
    if isinstance(data, list):
        return [v for value in data for v in _values(value)]
    return [data] if isinstance(data, str) else []


@pytest.fixture
def room(host_http: Any, bijeenkomst: dict[str, Any]) -> dict[str, Any]:
    """The bijeenkomst with a tafeladvies and a roddelmethode on its agenda (both have the table's role)."""
    sid = bijeenkomst["id"]
    for workformat in ("tafeladvies", "roddelmethode"):
        assert host_http.post(f"/host/s/{sid}/agenda", data={"workformat": workformat}).status_code == 303
    return bijeenkomst


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_page_says_tafelvoorzitter_and_host_and_phones_say_woordvoerder(
    app: Any, host_http: Any, room: dict[str, Any], lang: str
) -> None:
    sid = room["id"]
    phone = app.test_client()
    phone.post(f"/j/{room['join_code']}", data={})
    host_page = host_http.get(f"/host/s/{sid}?lang={lang}").get_data(as_text=True)
    prepare_page = host_http.get(f"/host/s/{sid}/voorbereiden?lang={lang}").get_data(as_text=True)
    phone_page = phone.get(f"/p/{sid}?lang={lang}").get_data(as_text=True)
    verslag_page = host_http.get(f"/host/s/{sid}/verslag?lang={lang}").get_data(as_text=True)
    for page in (host_page, prepare_page, phone_page, verslag_page):
        for text in visible_texts(page):
            assert "voorzitter" not in text.lower(), text[:200]
            assert "chair" not in text.lower(), text[:200]
    host_strings = [json.loads(raw) for raw in _SCRIPT.findall(host_page) if "role_tafelvoorzitter" in raw]
    participant_strings = json.loads(_SCRIPT.findall(phone_page)[0])
    if lang == "nl":
        assert host_strings[0]["role_tafelvoorzitter"] == "Woordvoerder"
        assert "Vraag aan: Woordvoerder" in prepare_page
        assert participant_strings["role_tafelvoorzitter"] == "Jij bent de woordvoerder van je tafel."
    else:
        assert host_strings[0]["role_tafelvoorzitter"] == "Spokesperson"
        assert "Question for: Spokesperson" in prepare_page
        assert participant_strings["role_tafelvoorzitter"] == "You are your table's spokesperson."
