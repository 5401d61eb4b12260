"""What eventlet writes to wsgi.errors goes to the debug log, without any client's address."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest

from facilitator.web.guards.wsgi import ADDRESSLESS_ERRORS, HostGuard


@pytest.mark.parametrize("message", [
    "server=127.0.0.1:5000//socket.io/ client=192.168.1.23:51234 socket shutdown error: [Errno 107]",
    "client=[fe80::1%eth0]:4444 gone",
    "from 10.0.0.7 and [2001:db8::1]:443 and 203.0.113.9:80",
])
def test_no_address_reaches_the_log(message: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="facilitator.web.guards.wsgi")
    ADDRESSLESS_ERRORS.write(message)
    ADDRESSLESS_ERRORS.writelines([message])
    written = caplog.text
    assert len(caplog.records) == 2 and all(r.levelno == logging.DEBUG for r in caplog.records)
    for address in ("192.168.1.23", "51234", "fe80::1", "10.0.0.7", "2001:db8::1", "203.0.113.9", "127.0.0.1"):
        assert address not in written
    assert "socket shutdown error" in written or "gone" in written or "from" in written


def test_every_request_writes_its_errors_there() -> None:
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen["errors"] = environ["wsgi.errors"]
        return [b""]

    guard = HostGuard(app, lambda _host, _server: True, app)
    guard({"HTTP_HOST": "localhost", "SERVER_NAME": "localhost", "wsgi.errors": io.StringIO()}, lambda *a: None)
    assert seen["errors"] is ADDRESSLESS_ERRORS
