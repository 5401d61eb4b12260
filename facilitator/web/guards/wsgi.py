"""Guards in front of Flask and Socket.IO: only this laptop's names, oversized messages, slow request heads.

Host: see HostGuard (DNS rebinding). Slow heads: see request_deadline_protocol (slowloris).

Long-polling: python-engineio (4.x) refuses a polling POST over `max_http_buffer_size` by closing the connection
and then *waiting* for that client's next GET poll to drain its queue. A client that never polls again (a hostile
one) keeps that request, and a server greenthread with it, forever: enough of them and the server stops accepting
anyone. OversizedPollGuard answers such a POST with 413 before engine.io sees it, without reading the body, and
closes that one engine.io connection without waiting.

WebSocket: engine.io gives eventlet a limit per frame, but eventlet joins the fragments of one message without
any limit, and engine.io checks the size only of the joined message: 200 MB sent in 60 KB fragments would all be
held in memory first. cap_websocket_messages makes eventlet close the connection (status 1009, "message too big")
as soon as the fragments of one message add up to more than the limit.
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

    It also drops X-Forwarded-* headers: a reverse proxy's are consumed before this guard (web.py, only when
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


def cap_websocket_messages(websocket: Any, max_bytes: int) -> None:
    """Make eventlet close a websocket whose message, fragments added up, exceeds `max_bytes`.

    `websocket` is the module `eventlet.websocket`, passed in by web.py in eventlet mode (only the edges import
    eventlet).
    """
    message_class: Any = websocket.RFC6455WebSocket.Message
    message_class.max_message_bytes = max_bytes  # one server per process: the latest app's limit holds
    if getattr(message_class, "_capped", False):
        return
    push = message_class.push

    def capped_push(self: Any, data: bytes, final: bool = False) -> Any:
        self.received_bytes = getattr(self, "received_bytes", 0) + len(data)
        if self.received_bytes > self.max_message_bytes:
            raise websocket.FailedConnectionError(1009, "Message too big")
        return push(self, data, final)

    message_class.push = capped_push
    message_class._capped = True


def request_deadline_protocol(wsgi: Any, timeout: Any, seconds: float) -> Any:
    """Return eventlet's HttpProtocol, changed to close a connection that has not sent a complete request head
    within `seconds` after it opened, or after the previous answer on a kept-alive connection.

    eventlet's socket_timeout bounds each single read, so a client that sends a header line every few seconds, or
    one that opens a connection and says nothing, holds a connection and a green thread of the server's pool for as
    long as it likes (slowloris); enough of them and nobody else gets in. Once the head is in, the deadline is off:
    an answer, a long poll or a websocket takes as long as it takes.

    `wsgi` is the module `eventlet.wsgi` and `timeout` the class `eventlet.Timeout`, passed in by cli.py (only the
    edges import eventlet).
    """
    base: Any = wsgi.HttpProtocol

    class RequestDeadlineProtocol(base):  # type: ignore[misc]
        """eventlet's HTTP protocol with a deadline on each request head."""

        def handle_one_request(self) -> None:
            deadline = self._head_deadline = timeout(seconds)  # raised in this green thread when it expires
            try:
                base.handle_one_request(self)
            except timeout as expired:
                if expired is not deadline:
                    raise
                self.close_connection = 1
            finally:
                deadline.cancel()

        def handle_one_response(self) -> None:
            self._head_deadline.cancel()  # the head is in
            base.handle_one_response(self)

    return RequestDeadlineProtocol
