"""Which characters a text from a phone or the facilitator may keep: what every screen, file and mail can carry."""

from __future__ import annotations

import re

from .errors import InvalidInput

#: C0 and C1 control characters other than tab and newline, plus bidi overrides and isolates that could
#: flip how the rest of a projected line reads.
UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Half of a UTF-16 pair without its other half: JSON can carry it, UTF-8 (the bijeenkomst's file) cannot.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def showable(value: str, field: str = "text") -> str:
    """Return a text without control characters or bidi overrides; refuse unpaired surrogates (InvalidInput)."""
    if _LONE_SURROGATE.search(value):
        raise InvalidInput(f"{field}: contains unpaired surrogates", field=field)
    return UNWANTED.sub("", value)
