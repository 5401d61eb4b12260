"""What every fuzzed Socket.IO case must show: a clean ack, strict JSON, no traceback anywhere, nothing logged."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from facilitator.core.domain import FacilitatorError

#: What an ack or an event on a screen must never contain: Python's own words for a failure.
LEAK = re.compile(
    r"Traceback|File \"|line \d+, in |\b[A-Z][A-Za-z]*(Error|Exception)\b|NoneType|object has no attribute|"
    r"not subscriptable|unhashable|<class |<function |<object "
)


def error_codes() -> set[str]:
    """Return the codes an error ack may carry: every FacilitatorError's (so not "internal", the crash path)."""
    codes, todo = set(), [FacilitatorError]
    while todo:
        cls = todo.pop()
        codes.add(cls.code)
        todo.extend(cls.__subclasses__())
    return codes - {"error"}


def strict_json(value: Any) -> str:
    """Return a value as JSON a browser's JSON.parse reads: no NaN or Infinity, no lone surrogates."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    text.encode("utf-8")
    return text


def check_ack(ack: Any) -> None:
    """An ack is {ok: true, ...} or {ok: false, error: {code, message}} with a known code and a plain message."""
    assert isinstance(ack, dict), f"no acknowledgement: {ack!r}"
    strict_json(ack)
    if ack.get("ok") is True:
        assert "error" not in ack, ack
        return
    assert ack.get("ok") is False, ack
    error = ack["error"]
    assert set(error) <= {"code", "message", "field", "current"}, error
    assert error["code"] in error_codes(), error
    assert isinstance(error["message"], str) and error["message"], error
    assert not LEAK.search(error["message"]), error


def check_received(clients: list[Any]) -> None:
    """Whatever these test clients received is strict JSON and shows no traceback or exception name."""
    for client in clients:
        for message in client.get_received():
            text = strict_json(message["args"])
            assert not LEAK.search(text), (message["name"], text[:500])


class ErrorCollector(logging.Handler):
    """Keeps every log record at ERROR or above, and every record that carries a traceback, while installed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)

    def __enter__(self) -> ErrorCollector:
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        logging.getLogger().removeHandler(self)

    def take(self) -> list[tuple[str, str]]:
        """Return (logger, message) of what was collected since last asked, and forget it."""
        taken = [(r.name, r.getMessage()) for r in self.records]
        self.records.clear()
        return taken
