"""Guards in front of Flask and Socket.IO: only this laptop's names, and oversized messages.

Host: see HostGuard (DNS rebinding).

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

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


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

