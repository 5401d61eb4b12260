"""How the server runs its connections: eventlet (the default) or plain threads, behind one small interface.

Flask-SocketIO serves in one "async mode", and a few things around it depend on that mode: patching the standard
library at start, the WSGI server with its connection pool and its guards, running blocking work (fsync, a Word or
PDF render, the clusterer) off the event loop, delivering Ctrl+C, and reaching the real threads and subprocesses.
Every eventlet call of the package is in this module (tests/unit/test_import_rules.py holds it to that), so moving
to another async mode is one change here: a Runtime for it and DEFAULT_MODE.

eventlet is in bug-fix-only maintenance; it stays the default because it serves hundreds of idle websockets in one
thread. "threading" (FACILITATOR_ASYNC_MODE=threading) is the fallback: werkzeug's threaded server with
simple-websocket, a thread per connection, without the request-head deadline and the cap of 4096 connections.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import signal
import socket
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

if TYPE_CHECKING:
    from flask_socketio import SocketIO

    from facilitator.web.guards.wsgi import WSGIApp

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

#: The async mode `facilitator serve` uses unless FACILITATOR_ASYNC_MODE says otherwise.
DEFAULT_MODE = "eventlet"
#: The environment variable that chooses the mode of `facilitator serve` (and the setting ASYNC_MODE of the app).
MODE_VARIABLE = "FACILITATOR_ASYNC_MODE"


@dataclass(frozen=True)
class ServeLimits:
    """What the server allows each connection (see config.py for the two timeouts)."""

    #: A connection must send a complete request head within this many seconds (slowloris).
    head_seconds: float
    #: A single read or write that waits longer than this closes the connection.
    socket_timeout: float
    #: Seconds Ctrl+C gives requests still at work before it ends them.
    stop_grace: float
    #: Connections served at once.
    connections: int = 4096


class Runtime(Protocol):
    """What the server needs from its async mode."""

    #: Flask-SocketIO's async_mode.
    name: str

    def patch(self) -> None:
        """Prepare the process for this mode; only the serve command calls it, before anything else is imported."""

    def run_blocking(self, function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `function` where it blocks nobody else (a real thread under eventlet) and return its result."""

    def limit_websocket_messages(self, socketio: SocketIO, max_bytes: int) -> None:
        """Close a websocket whose one message, fragments added up, exceeds `max_bytes`, before holding it all."""

    def ctrl_c_to_main(self) -> contextlib.AbstractContextManager[bool]:
        """While serving, deliver Ctrl+C to the serving loop; yield True when the SIGINT handler must raise nothing."""

    def serve(self, app: WSGIApp, sock: socket.socket, limits: ServeLimits) -> None:
        """Serve `app` on the listening socket until Ctrl+C, then end the connections within the grace period."""


def runtime(mode: str) -> Runtime:
    """Return the runtime of a Flask-SocketIO async mode ("eventlet" or "threading")."""
    runtimes: dict[str, Callable[[], Runtime]] = {"eventlet": EventletRuntime, "threading": ThreadingRuntime}
    if mode not in runtimes:
        raise ValueError(f"ASYNC_MODE must be one of {', '.join(sorted(runtimes))}, not {mode!r}")
    return runtimes[mode]()


def chosen_mode(environ: Mapping[str, str]) -> str:
    """Return the mode FACILITATOR_ASYNC_MODE asks for (any case, spaces ignored), else the default."""
    return environ.get(MODE_VARIABLE, "").strip().lower() or DEFAULT_MODE


def unpatched(name: str) -> ModuleType:
    """Return a standard-library module as it was before any patching: real threads, real subprocesses."""
    if "eventlet" in sys.modules:
        import eventlet.patcher

        module: ModuleType = eventlet.patcher.original(name)
        return module
    return importlib.import_module(name)


# -- eventlet ---------------------------------------------------------------------------------------------------


class EventletRuntime:
    """Green threads on one event loop: eventlet's WSGI server, its thread pool for blocking work."""

    name = "eventlet"

    def patch(self) -> None:
        # Name lookups through the system resolver (in the thread pool), as every other program on the laptop does.
        os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
        # eventlet warns on import that it is deprecated; the message starts with a newline, hence the \s*.
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
        import eventlet

        eventlet.monkey_patch()

    def run_blocking(self, function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        import eventlet.tpool

        result: T = eventlet.tpool.execute(function, *args, **kwargs)
        return result

    def limit_websocket_messages(self, socketio: SocketIO, max_bytes: int) -> None:
        import eventlet.websocket

        _cap_websocket_messages(eventlet.websocket, max_bytes)

    @contextlib.contextmanager
    def ctrl_c_to_main(self) -> Iterator[bool]:
        """Hand Ctrl+C to the main greenlet through the signal's wakeup fd (see cli._CtrlC for why)."""
        import eventlet
        import greenlet

        reader, writer = socket.socketpair()  # green sockets: eventlet is patched in by now
        try:
            writer.setblocking(False)
            previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        except (ValueError, OSError):  # a platform without it: KeyboardInterrupt wherever it lands, as before
            reader.close()
            writer.close()
            yield False
            return
        main_greenlet = greenlet.getcurrent()

        def watch() -> None:
            while received := reader.recv(64):
                if signal.SIGINT in received:
                    eventlet.kill(main_greenlet, KeyboardInterrupt)

        watcher = eventlet.spawn(watch)
        try:
            yield True
        finally:
            signal.set_wakeup_fd(previous_fd)
            watcher.kill()
            reader.close()
            writer.close()

    def serve(self, app: WSGIApp, sock: socket.socket, limits: ServeLimits) -> None:
        import eventlet
        import eventlet.wsgi

        pool = _Connections(limits.connections, limits.stop_grace)
        # Idle and slow connections are closed, so that they cannot fill the pool (slowloris).
        protocol = _request_deadline_protocol(eventlet.wsgi, eventlet.Timeout, limits.head_seconds)
        # On Ctrl+C the accept loop gets KeyboardInterrupt, closes idle keep-alive connections and websockets, calls
        # pool.waitall() (bounded, see _Connections) and returns.
        eventlet.wsgi.server(
            sock, pool.tracking(app), log_output=False, custom_pool=pool, protocol=protocol,
            socket_timeout=limits.socket_timeout,
        )


class _Connections:
    """The server's pool of connection greenthreads, which Ctrl+C empties within a grace period.

    eventlet.wsgi's own shutdown waits, without a limit, for every request still under way: a phone's long-poll
    (up to 25 s), a request whose headers or body never arrive (for ever). Here long-polls, which only wait, end at
    once; other requests get `grace` seconds to finish; whatever is left is ended then. Websockets need nothing:
    eventlet marks them idle and shuts their sockets, and they end by themselves.
    """

    def __init__(self, size: int, grace: float) -> None:
        import eventlet

        self.pool = eventlet.GreenPool(size)
        self.grace = grace
        #: Greenthreads serving a Socket.IO long-poll: waiting for something to send the phone, doing no work.
        self.polls: set[Any] = set()

    def spawn(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self.pool.spawn(function, *args, **kwargs)

    def tracking(self, app: WSGIApp) -> WSGIApp:
        """Wrap the WSGI app so that the greenthreads serving a long-poll are known."""
        import greenlet

        def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            poll = (environ.get("REQUEST_METHOD") == "GET" and "HTTP_UPGRADE" not in environ
                    and str(environ.get("PATH_INFO", "")).startswith("/socket.io"))
            if not poll:
                return app(environ, start_response)
            current = greenlet.getcurrent()
            self.polls.add(current)
            try:
                return app(environ, start_response)
            finally:
                self.polls.discard(current)

        return wsgi

    def waitall(self) -> None:
        """End the long-polls, give the other requests `grace` seconds, then end what is left."""
        import eventlet

        for thread in list(self.pool.coroutines_running):
            if thread in self.polls:
                thread.kill()
        with eventlet.Timeout(self.grace, False):
            self.pool.waitall()
        for thread in list(self.pool.coroutines_running):
            thread.kill()


def _cap_websocket_messages(websocket: Any, max_bytes: int) -> None:
    """Make eventlet close a websocket whose message, fragments added up, exceeds `max_bytes`.

    engine.io gives eventlet a limit per frame, but eventlet joins the fragments of one message without one: a
    client could send a message of any size in small frames, all held in memory first. This closes the connection
    (status 1009, "message too big") as soon as the fragments pass the limit. `websocket` is eventlet.websocket.
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


def _request_deadline_protocol(wsgi: Any, timeout: Any, seconds: float) -> Any:
    """Return eventlet's HttpProtocol, changed to close a connection that has not sent a complete request head
    within `seconds` after it opened, or after the previous answer on a kept-alive connection.

    eventlet's socket_timeout bounds each single read, so a client that sends a header line every few seconds, or
    one that opens a connection and says nothing, holds a connection and a green thread of the server's pool for as
    long as it likes (slowloris); enough of them and nobody else gets in. Once the head is in, the deadline is off:
    an answer, a long poll or a websocket takes as long as it takes. `wsgi` is eventlet.wsgi, `timeout`
    eventlet.Timeout.
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


# -- threading --------------------------------------------------------------------------------------------------


class ThreadingRuntime:
    """A real thread per connection: werkzeug's threaded server, websockets through simple-websocket."""

    name = "threading"

    def patch(self) -> None:
        """Nothing to patch: the standard library is used as it is."""

    def run_blocking(self, function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        # Each request has a thread of its own already: blocking there holds up nobody else.
        return function(*args, **kwargs)

    def limit_websocket_messages(self, socketio: SocketIO, max_bytes: int) -> None:
        from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI

        def capped(handler: Callable[..., Any], server: Any) -> SimpleWebSocketWSGI:
            return SimpleWebSocketWSGI(handler, server, max_message_size=max_bytes)

        engineio_server: Any = socketio.server.eio
        # A copy: the driver's table is shared by every server of the process (tests build many apps).
        engineio_server._async = {**engineio_server._async, "websocket": capped}

    @contextlib.contextmanager
    def ctrl_c_to_main(self) -> Iterator[bool]:
        # Python raises KeyboardInterrupt in the main thread, which runs the accept loop: nothing to arrange.
        yield False

    def serve(self, app: WSGIApp, sock: socket.socket, limits: ServeLimits) -> None:
        from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

        class QuietHandler(WSGIRequestHandler):
            """werkzeug's handler without its request log: no phone's address goes to the terminal."""

            timeout = limits.socket_timeout

            def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002 - werkzeug's name
                pass

        class Server(ThreadedWSGIServer):
            """werkzeug's threaded server, its errors in the debug log only (socketserver prints the address)."""

            def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002 - werkzeug's name
                log.debug(message, *args)

            def handle_error(self, request: Any, client_address: Any) -> None:
                log.debug("a connection ended with an error", exc_info=True)

        host, port = sock.getsockname()[:2]
        server = Server(host, port, app, handler=QuietHandler, fd=sock.fileno())
        try:
            server.serve_forever()
        except KeyboardInterrupt:  # Ctrl+C: the request threads are daemons and end with the process
            pass
        finally:
            server.server_close()
