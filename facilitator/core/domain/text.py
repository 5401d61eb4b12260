"""Which characters a text from a phone or the facilitator may keep: what every screen, file and mail can carry."""

from __future__ import annotations

import re
from typing import Any

from facilitator.core.domain.errors import InvalidInput, UnstorableText

#: C0 and C1 control characters other than tab and newline, plus bidi overrides and isolates that could
#: flip how the rest of a projected line reads.
UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Half of a UTF-16 pair without its other half: JSON can carry it, UTF-8 (the bijeenkomst's file) cannot.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


#: How deep a payload, an edit or an imported file may nest; what our pages and files send goes 4 deep.
MAX_DEPTH = 12
#: How many values (texts, numbers, keys, list items) one payload or file may hold; a board of 10,000 cards fits.
MAX_VALUES = 50_000


def check_storable(value: Any, field: str = "payload", *, max_depth: int = MAX_DEPTH, max_values: int = MAX_VALUES
                   ) -> None:
    """Refuse, before anything changes, what the bijeenkomst's file could not keep or is bigger than stated.

    Half a UTF-16 pair in any text or key raises UnstorableText; nesting deeper than max_depth or
    more than max_values values raises InvalidInput. Walked without recursion, so no depth crashes it.
    """
    # Each value with its depth and the name a refusal gives: the top-level key it sits under, if any.
    stack: list[tuple[Any, int, str]] = [(value, 1, field)]
    seen = 0
    while stack:
        current, depth, name = stack.pop()
        seen += 1
        if seen > max_values:
            raise InvalidInput(f"{field}: more than {max_values} values", field=field)
        if isinstance(current, str):
            if _LONE_SURROGATE.search(current):
                raise UnstorableText(f"{name}: contains unpaired surrogates", field=name)
        elif isinstance(current, dict | list | tuple):
            if depth > max_depth:
                raise InvalidInput(f"{name}: nested more than {max_depth} deep", field=name)
            if isinstance(current, dict):
                for key, item in current.items():
                    child = key if depth == 1 and isinstance(key, str) and not _LONE_SURROGATE.search(key) else name
                    stack.append((key, depth + 1, child))
                    stack.append((item, depth + 1, child))
            else:
                stack.extend((item, depth + 1, name) for item in current)


def showable(value: str, field: str = "text") -> str:
    """Return a text without control characters or bidi overrides; refuse unpaired surrogates (InvalidInput)."""
    if _LONE_SURROGATE.search(value):
        raise InvalidInput(f"{field}: contains unpaired surrogates", field=field)
    return UNWANTED.sub("", value)
