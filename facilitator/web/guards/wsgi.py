"""Guards in front of Flask and Socket.IO: only this laptop's names, oversized messages, slow request heads.

Host: see HostGuard (DNS rebinding). Slow heads and websocket messages: the eventlet server's own guards are in
facilitator/web/server_runtime.py (the one module that calls eventlet).

Long-polling: python-engineio (4.x) refuses a polling POST over `max_http_buffer_size` by closing the connection
and then *waiting* for that client's next GET poll to drain its queue. A client that never polls again (a hostile
one) keeps that request, and a server greenthread with it, forever: enough of them and the server stops accepting
anyone. OversizedPollGuard answers such a POST with 413 before engine.io sees it, without reading the body, and
closes that one engine.io connection without waiting.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


#: A client's address as servers print it: `client=1.2.3.4:5678`, a bare IPv4 address, a bracketed IPv6 one.
_ADDRESS = re.compile(r"client=\S+|(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?(?![\d.])|\[[0-9A-Fa-f:.]+\](?::\d+)?")


class AddresslessErrors:
    """The `wsgi.errors` stream: into the debug log, without clients' addresses.

    eventlet's websocket writes `server=… client=<address>:<port> socket shutdown error` to it when a phone's
    connection breaks at the wrong moment. That is no news for the facilitator's terminal (which shows only the
    product's own lines), and the privacy promise is that no address is printed or stored.
    """

    def write(self, text: str) -> int:
        """Log a message at debug level with every address replaced by "-"."""
        message = _ADDRESS.sub("-", text).strip()
        if message:
            log.debug("%s", message)
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        """Write messages, each without addresses."""
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Nothing to flush: every message went to the log."""


ADDRESSLESS_ERRORS = AddresslessErrors()


class HostGuard:
    """Wrap a WSGI app: answer a request whose Host is not one of this laptop's with `refuse` (400), pages and
    Socket.IO handshakes alike, before anything else sees it.

    It also drops X-Forwarded-* headers: a reverse proxy's are consumed before this guard (app.py, only when
    configured), and nobody else's may be believed, not even by engine.io's same-origin check, which reads them.
    """

    def __init__(self, app: WSGIApp, allows: Callable[[str | None, str], bool], refuse: WSGIApp) -> None:
        self.app = app
        self.allows = allows
        self.refuse = refuse

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Serve a request for one of our names; refuse any other."""
        for key in [k for k in environ if k.startswith("HTTP_X_FORWARDED_")]:
            del environ[key]
        environ["wsgi.errors"] = ADDRESSLESS_ERRORS
        if not self.allows(environ.get("HTTP_HOST"), str(environ.get("SERVER_NAME", ""))):
            return self.refuse(environ, start_response)
        return self.app(environ, start_response)


class OversizedPollGuard:
    """Wrap a WSGI app: refuse a Socket.IO polling POST over `max_bytes` and close that connection."""

    def __init__(self, app: WSGIApp, engineio_server: Any, max_bytes: int, path: str = "/socket.io/") -> None:
        self.app = app
        self.engineio_server = engineio_server
        self.max_bytes = max_bytes
        self.path = path

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Serve a request; an oversized polling POST gets 413 and its connection is closed."""
        if environ.get("REQUEST_METHOD") == "POST" and str(environ.get("PATH_INFO", "")).startswith(self.path):
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = self.max_bytes + 1  # engine.io would fail on it with a traceback: refuse it here
            if length > self.max_bytes:
                self._close(environ)
                # Connection: close, so the server does not read (or wait for) the rest of the body.
                headers = [("Content-Type", "text/plain"), ("Connection", "close")]
                start_response("413 Request Entity Too Large", headers)
                return [b"Too large"]
        return self.app(environ, start_response)

    def _close(self, environ: dict[str, Any]) -> None:
        sid = parse_qs(str(environ.get("QUERY_STRING", ""))).get("sid", [""])[0]
        socket = self.engineio_server.sockets.get(sid)
        if socket is not None:
            # Not socket.close()'s default wait: nobody may ever poll to drain the queue. The disconnect handlers
            # run as for any closed connection, and engine.io's service task forgets the socket.
            socket.close(wait=False, abort=True)
