"""Check the fields of an incoming payload; every failure is an InvalidInput naming the field."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from facilitator.core.domain import InvalidInput, SessionNotFound, TextEmpty, TextTooLong
from facilitator.core.domain.text import showable

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SESSION_ID = re.compile(r"^[a-f0-9]{12}$")


def require_mapping(payload: Any) -> Mapping[str, Any]:
    """Return the payload if it is a JSON object."""
    if not isinstance(payload, Mapping):
        raise InvalidInput("payload: must be an object", field="payload")
    return payload


def require_str(payload: Mapping[str, Any], name: str, pattern: re.Pattern[str] | None = None) -> str:
    """Return a string field, optionally matching a pattern."""
    value = payload.get(name)
    if not isinstance(value, str) or (pattern is not None and not pattern.match(value)):
        raise InvalidInput(f"{name}: missing or malformed", field=name)
    return value


def require_session_id(payload: Mapping[str, Any]) -> str:
    """Return the `session` field; a string that is no session id is simply not found."""
    value = payload.get("session")
    if not isinstance(value, str):
        raise InvalidInput("session: missing or malformed", field="session")
    if not SESSION_ID.match(value):
        raise SessionNotFound("malformed session id")
    return value


def require_bool(payload: Mapping[str, Any], name: str) -> bool:
    """Return a true/false field."""
    value = payload.get(name)
    if not isinstance(value, bool):
        raise InvalidInput(f"{name}: must be true or false", field=name)
    return value


def optional_str(payload: Mapping[str, Any], name: str, pattern: re.Pattern[str]) -> str | None:
    """Return a string field if present (None or absent means not given)."""
    if payload.get(name) is None:
        return None
    return require_str(payload, name, pattern)


def clean_text(value: Any, max_length: int) -> str:
    """Return a participant's text normalised and trimmed; refuse what cannot be shown."""
    if not isinstance(value, str):
        raise InvalidInput("text: must be a string", field="text")
    if len(value) > max_length * 4 + 100:
        raise TextTooLong("text: far too long", max_length=max_length)
    text = showable(unicodedata.normalize("NFC", value))
    text = re.sub(r"\n{3,}", "\n\n", text.replace("\r\n", "\n")).strip()
    if not text:
        raise TextEmpty("text: empty")
    if len(text) > max_length:
        raise TextTooLong(f"text: {len(text)} > {max_length}", max_length=max_length, length=len(text))
    return text
