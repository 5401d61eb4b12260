"""The words the phone page gets from the server keep their placeholders for the page to fill in."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

STRINGS = re.compile(r'<script type="application/json" id="rd-strings">(.*?)</script>', re.S)


def participant_strings(app: Any, bijeenkomst: dict[str, Any], lang: str) -> dict[str, str]:
    phone = app.test_client()
    assert phone.post(f"/j/{bijeenkomst['join_code']}", data={}).status_code == 303
    page = phone.get(f"/p/{bijeenkomst['id']}?lang={lang}")
    assert page.status_code == 200
    match = STRINGS.search(page.get_data(as_text=True))
    assert match is not None
    return dict(json.loads(match.group(1)))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_phone_strings_keep_the_queue_count_placeholder(app: Any, bijeenkomst: dict[str, Any], lang: str) -> None:
    # flask_babel's ngettext fills %(num)s in itself: the outbox then said "2 in wachtrij" with 3 or 7 queued.
    strings = participant_strings(app, bijeenkomst, lang)
    assert "%(num)s" in strings["queued_one"] and "%(num)s" in strings["queued_many"]
    if lang == "nl":
        assert (strings["queued_one"], strings["queued_many"]) == ("%(num)s in wachtrij", "%(num)s in wachtrij")
