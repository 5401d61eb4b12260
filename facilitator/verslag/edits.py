"""The facilitator's edits of the verslag: each key checked and bounded, then laid over the generated report."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from facilitator.core.domain import (
    InvalidInput,
)
from facilitator.verslag.model import (
    Block,
)

MAX_TEXT = 5000
MAX_LINE = 500
MAX_LINES = 60
MAX_QUESTIONS = 3
MAX_PROGRAMME = 20
PROGRAMME_FIELDS = ("title", "speaker", "function", "organisation", "text", "link")
SAVE_THE_DATE_FIELDS = ("date", "time", "place", "label")
TEXT_KEYS = (
    "title", "subtitle", "motto", "lead", "welcome", "wrap_up_intro", "closing", "call", "organisers_title",
    "rode_draad.paragraph",
)
LINES_KEYS = ("wrap_up", "rode_draad.questions")
_ITEM_KEY = re.compile(r"^item\.([a-z0-9]{1,40})\.(include|task)$")
_BLOCK_KEY = re.compile(
    r"^block\.([a-z0-9]{1,40}/[a-z0-9_]{1,40})\.(intro|paragraphs|bullets|show|group\.[a-z0-9_-]{1,60})$"
)
_LINK = re.compile(r"^(https?://|mailto:)\S+$", re.IGNORECASE)


def _text_value(value: Any, key: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{key}: a text", field=key)
    text: str = value.strip()
    if len(text) > limit:
        raise InvalidInput(f"{key}: at most {limit} characters", field=key)
    return text


def _lines_value(value: Any, key: str, *, most: int = MAX_LINES, limit: int = MAX_LINE) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{key}: a list of texts", field=key)
    lines = [" ".join(v.split()).lstrip("-•* ").strip() for v in value]
    lines = [line for line in lines if line]
    if len(lines) > most:
        raise InvalidInput(f"{key}: at most {most} lines", field=key, limit=most)
    if any(len(line) > limit for line in lines):
        raise InvalidInput(f"{key}: a line of at most {limit} characters", field=key, limit=limit)
    return lines


def _bool_value(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{key}: true or false", field=key)
    return value


def _link_value(value: str, key: str) -> str:
    if value and not _LINK.match(value):
        raise InvalidInput(f"{key}: a link starting with https:// or mailto:", field=key)
    return value


def _checked_edit(key: str, value: Any) -> Any:
    if key in TEXT_KEYS:
        return _text_value(value, key)
    if key == "wrap_up":
        return _lines_value(value, key)
    if key == "rode_draad.questions":
        return _lines_value(value, key, most=MAX_QUESTIONS)
    if key == "appendix":
        return _bool_value(value, key)
    if key == "save_the_date":
        if not isinstance(value, dict):
            raise InvalidInput(f"{key}: date, time, place and label", field=key)
        return {name: _text_value(value.get(name, ""), f"{key}.{name}", MAX_LINE) for name in SAVE_THE_DATE_FIELDS}
    if key == "programme":
        if not isinstance(value, list) or len(value) > MAX_PROGRAMME or not all(isinstance(v, dict) for v in value):
            raise InvalidInput(f"{key}: at most {MAX_PROGRAMME} programme items", field=key)
        items = []
        for i, raw in enumerate(value):
            item = {name: _text_value(raw.get(name, ""), f"{key}[{i}].{name}") for name in PROGRAMME_FIELDS}
            item["link"] = _link_value(item["link"], f"{key}[{i}].link")
            if any(item.values()):
                items.append(item)
        return items
    if match := _ITEM_KEY.match(key):
        return _bool_value(value, key) if match.group(2) == "include" else _lines_value(value, key, limit=MAX_TEXT)
    if match := _BLOCK_KEY.match(key):
        part = match.group(2)
        if part == "intro":
            return _text_value(value, key, MAX_LINE)
        if part == "show":
            return _bool_value(value, key)
        return _lines_value(value, key, limit=MAX_TEXT if part == "paragraphs" else MAX_LINE)
    raise InvalidInput(f"{key}: not a part of the verslag", field=key)


def merge_edits(stored: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Return the stored edits with changes checked and applied; a change to None returns a part to the draft."""
    if not isinstance(changes, Mapping) or not all(isinstance(k, str) for k in changes):
        raise InvalidInput("edits: an object of parts", field="edits")
    merged = dict(stored)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _checked_edit(key, value)
    return merged


def edited_block(block: Block, edits: Mapping[str, Any]) -> Block:
    prefix = f"block.{block.key}."
    groups = tuple(
        replace(g, bullets=tuple(edits[prefix + "group." + g.key])) if prefix + "group." + g.key in edits else g
        for g in block.groups
    )
    if edits.get(prefix + "show") is False:
        groups = ()
    return replace(
        block,
        intro=edits.get(prefix + "intro", block.intro),
        paragraphs=tuple(edits.get(prefix + "paragraphs", block.paragraphs)),
        bullets=tuple(edits.get(prefix + "bullets", block.bullets)),
        groups=tuple(g for g in groups if g.bullets),
    )
