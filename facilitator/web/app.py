"""Wire the edges together: storage, Babel, Socket.IO, blueprints, security headers."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, Response, render_template, request, send_from_directory
from flask_babel import Babel, force_locale
from flask_babel import gettext as _
from flask_socketio import SocketIO
from werkzeug.exceptions import HTTPException

from facilitator import resource_dir
from facilitator.core import services
from facilitator.core.domain import DomainEvent, InvalidInput, UnstorableText
from facilitator.core.domain.text import check_storable
from facilitator.core.registry import WorkFormatRegistry, discover
from facilitator.storage import LibraryRepository, NoticeRepository, SeriesRepository, SessionRepository
from facilitator.web.guards.frames import FrameJSON, ReadablePacket
from facilitator.web.guards.throttle import GuessThrottle, RateLimiter, WindowLimit
from facilitator.web.guards.wsgi import HostGuard, OversizedPollGuard, WSGIApp
from facilitator.web.languages import LANG_COOKIE, chosen_language, select_locale
from facilitator.web.network import AddressProvider, OwnHosts, ProbeBook, lan_addresses
from facilitator.web.realtime import Realtime, ack_error
from facilitator.web.server_runtime import Runtime, runtime
from facilitator.web.wire import AckError

log = logging.getLogger(__name__)
#: A configured or stored facilitator key shorter than this is refused: 22 url-safe characters carry 132 bits.
MIN_HOST_KEY_LENGTH = 22


@dataclass
class Deps:
    """What the routes and handlers of one app share."""

    repo: SessionRepository
    registry: WorkFormatRegistry
    realtime: Realtime
    library: LibraryRepository
    series: SeriesRepository
    #: Bijeenkomsten announced for deletion because their retention period ran out.
    notices: NoticeRepository
    #: Runs CPU-heavy work (rendering Word or PDF) off the event loop; a plain call under threading (server_runtime).
    offload: Callable[..., Any]
    #: The laptop's LAN addresses, default route first (config LAN_ADDRESSES: a fake in tests).
    addresses: AddressProvider = lan_addresses
    #: The host view's reachability tests ("Test de verbinding"), in memory only.
    probes: ProbeBook = field(default_factory=ProbeBook)
    #: The names this server answers to (the Host check against DNS rebinding).
    hosts: OwnHosts = field(default_factory=OwnHosts)
    #: New joins per address (JOINS_PER_ADDRESS per JOIN_WINDOW_SECONDS), keyed by a salted hash of the address.
    joins: WindowLimit = field(default_factory=lambda: WindowLimit(0, 60))
    #: What this start deleted and announced (cli.py prints it).
    purge: services.PurgeReport = field(default_factory=services.PurgeReport)

    @property
    def facilitator_key_hash(self) -> str:
        """Return the stored form of the facilitator's key (kept once, by the realtime layer)."""
        return self.realtime.facilitator_key_hash

    def publish(self, events: list[DomainEvent]) -> None:
        """Emit domain events from an HTTP route."""
        self.realtime.publish(events)


def _repositories(
    app: Flask, server: Runtime
) -> tuple[SessionRepository, LibraryRepository, SeriesRepository, NoticeRepository]:
    if app.config["STORAGE"] == "memory":
        from facilitator.storage.memory import MemoryLibrary, MemoryNotices, MemoryRepository, MemorySeries

        return MemoryRepository(), MemoryLibrary(), MemorySeries(), MemoryNotices()
    from facilitator.storage.tinydb_store import TinyDBLibrary, TinyDBNotices, TinyDBRepository, TinyDBSeries

    offload = server.run_blocking  # fsync where the room does not wait on the disk (a real thread under eventlet)
    data_dir = app.config["DATA_DIR"]
    return (
        TinyDBRepository(data_dir, offload=offload),
        TinyDBLibrary(data_dir, offload=offload),
        TinyDBSeries(data_dir, offload=offload),
        TinyDBNotices(data_dir, offload=offload),
    )


def _address_provider(app: Flask) -> AddressProvider:
    """Return LAN_ADDRESSES (a function; tests pass a fake), or the real detection when it is not set."""
    provider = app.config["LAN_ADDRESSES"] or lan_addresses
    if not callable(provider):
        raise ValueError("LAN_ADDRESSES must be a function that returns the laptop's addresses")
    return provider


def _refuse_foreign_host(app: Flask) -> WSGIApp:
    """Return the WSGI app that answers a request for a name that is not this laptop's: 400 and a short text."""

    def refuse(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        # For the phone's own language; nothing else of the app runs, and no bijeenkomst is looked up for it.
        with app.request_context(environ), force_locale(chosen_language() or app.config["BABEL_DEFAULT_LOCALE"]):
            text = _("Dit adres hoort niet bij deze laptop. Open de link of de QR-code van de gespreksleider.")
        body = f"{text}\n".encode()
        start_response("400 Bad Request", [
            ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
            ("X-Content-Type-Options", "nosniff"), ("Cache-Control", "no-store"), ("Connection", "close"),
        ])
        return [body]

    return refuse


def _retention_today(app: Flask) -> dt.date | None:
    """Return RETENTION_TODAY as a date (tests only), None for the real date."""
    value = str(app.config["RETENTION_TODAY"] or "")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("RETENTION_TODAY must be a date, yyyy-mm-dd") from None


def facilitator_key(app: Flask) -> str:
    """Return the facilitator's key: configured, or kept in the data folder (created on first start)."""
    if app.config["HOST_KEY"]:
        if len(str(app.config["HOST_KEY"])) < MIN_HOST_KEY_LENGTH:
            # Whoever holds the key runs the room: a short, chosen one could be guessed.
            raise ValueError(f"HOST_KEY must be at least {MIN_HOST_KEY_LENGTH} characters (128 random bits)")
        return str(app.config["HOST_KEY"])
    if app.config["STORAGE"] == "memory":
        app.config["HOST_KEY"] = services.new_token()
        return str(app.config["HOST_KEY"])
    path = Path(app.config["DATA_DIR"]) / "facilitator.key"
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= MIN_HOST_KEY_LENGTH:
            app.config["HOST_KEY"] = key
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = services.new_token()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    app.config["HOST_KEY"] = key
    return key


def setup(app: Flask) -> None:
    """Attach storage, werkvormen, Babel, Socket.IO and the blueprints to an app."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(resource_dir("translations"))
    Babel(app, locale_selector=select_locale)

    server = runtime(str(app.config["ASYNC_MODE"]))
    repo, library, series, notices = _repositories(app, server)
    purge = services.purge_at_start(repo, series, notices, today=_retention_today(app))
    if purge.deleted or purge.announced or purge.recaps_removed:
        # Counts only: titles go to the facilitator's own start-up lines (cli.py), not to a log.
        log.info("retention: deleted %d, announced %d bijeenkomst(en); removed %d recap(s) of deleted ones",
                 len(purge.deleted), len(purge.announced), len(purge.recaps_removed))
    registry = discover()
    key_hash = services.hash_token(facilitator_key(app))
    socketio = SocketIO(
        app,
        async_mode=server.name,
        max_http_buffer_size=app.config["SOCKETIO_MAX_MESSAGE_BYTES"],
        logger=False,
        engineio_logger=False,
        # Every frame decodes: an unreadable one gets an error ack, never a traceback in the log (see frames.py).
        serializer=ReadablePacket,
        json=FrameJSON,
        # Same-origin only: a page on another site cannot open a socket to the laptop.
        cors_allowed_origins=None,
    )
    # An oversized polling POST must close only its own connection, and at once (see guards/wsgi.py).
    app.wsgi_app = OversizedPollGuard(  # type: ignore[method-assign]
        app.wsgi_app, socketio.server.eio, app.config["SOCKETIO_MAX_MESSAGE_BYTES"]
    )
    # Outside everything, so that no page and no Socket.IO handshake is served under another site's name.
    hosts = OwnHosts(str(app.config["PUBLIC_URL"] or ""))
    app.wsgi_app = HostGuard(app.wsgi_app, hosts.allows, _refuse_foreign_host(app))  # type: ignore[method-assign]
    proxies = int(app.config["REVERSE_PROXIES"])
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Only now is X-Forwarded-For believed: the client's address (for the per-address limits), its scheme and
        # the name it asked for come from the last `proxies` hops; HostGuard then drops the headers.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    server.limit_websocket_messages(socketio, int(app.config["SOCKETIO_MAX_MESSAGE_BYTES"]))
    realtime = Realtime(
        # The clusterer runs off the event loop, so phones never wait on it.
        socketio, repo, registry, key_hash, offload=server.run_blocking,
        participant_limiter=RateLimiter(
            int(app.config["PHONE_EVENTS_BURST"]), float(app.config["PHONE_EVENTS_PER_SECOND"])
        ),
        code_throttle=GuessThrottle(
            int(app.config["CODE_GUESSES_PER_ADDRESS"]), int(app.config["CODE_GUESSES_OVERALL"]),
            float(app.config["CODE_GUESS_WINDOW_SECONDS"]),
        ),
    )
    repo.watch_storage(realtime.storage_health)  # a failing write warns the host screens
    if app.config["LAG_PROBE"]:
        from facilitator.web import lag_probe

        lag_probe.install(app, socketio)
    app.extensions["rode_draad"] = Deps(
        repo=repo, registry=registry, realtime=realtime, library=library, series=series, notices=notices,
        offload=server.run_blocking, addresses=hosts.advertising(_address_provider(app)), hosts=hosts,
        joins=WindowLimit(int(app.config["JOINS_PER_ADDRESS"]), float(app.config["JOIN_WINDOW_SECONDS"])),
        purge=purge,
    )

    from facilitator.web import sockets
    from facilitator.web.host import remote as host_remote
    from facilitator.web.host import routes as host_routes
    from facilitator.web.host import sockets as host_sockets
    from facilitator.web.host import verdichten as host_verdichten
    from facilitator.web.host import verslag as host_verslag
    from facilitator.web.participant import routes as participant_routes
    from facilitator.web.participant import sockets as participant_sockets

    app.register_blueprint(host_routes.bp)
    app.register_blueprint(host_verslag.bp)
    app.register_blueprint(host_verdichten.bp)
    app.register_blueprint(host_remote.bp)
    app.register_blueprint(participant_routes.bp)
    sockets.register(realtime)
    host_sockets.register(realtime)
    participant_sockets.register(realtime)

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"ok": True}

    @app.get("/favicon.ico")
    def favicon() -> Response:
        """Answer browsers that ask for /favicon.ico on their own (downloads, JSON) with the linked SVG icon."""
        return send_from_directory(str(app.static_folder), "favicon.svg", mimetype="image/svg+xml", max_age=86400)

    @app.before_request
    def refuse_unstorable_json() -> tuple[AckError, int] | None:
        """Refuse a JSON body the store could not keep (half a UTF-16 pair, nested too deep) before any route runs."""
        if not request.is_json or not request.content_length:
            return None
        try:
            check_storable(json.loads(request.get_data(cache=True)), "body")  # routes read the cached body again
        except (ValueError, UnicodeDecodeError):
            return None  # unreadable JSON: each route answers that in its own words
        except RecursionError:
            return ack_error(InvalidInput("body: nested too deep", field="body")), 400
        except (InvalidInput, UnstorableText) as refused:
            return ack_error(refused), 400
        return None

    @app.errorhandler(404)
    def not_found(_error: HTTPException) -> tuple[str, int]:
        return render_template("error.html", status=404), 404

    @app.errorhandler(403)
    def forbidden(_error: HTTPException) -> tuple[str, int]:
        return render_template("error.html", status=403), 403

    @app.errorhandler(413)
    def too_large(_error: HTTPException) -> tuple[str, int]:
        return render_template("error.html", status=413), 413

    @app.template_filter("long_date")
    def long_date(value: str) -> str:
        """Show an ISO date the way people write it ("25 november 2026")."""
        from flask_babel import format_date

        try:
            return str(format_date(dt.date.fromisoformat(value), format="long"))
        except (TypeError, ValueError):
            return value

    @app.context_processor
    def inject_locale() -> dict[str, Any]:
        from flask_babel import get_locale

        return {"locale": str(get_locale()), "languages": app.config["LANGUAGES"]}

    @app.after_request
    def security_headers(response: Response) -> Response:
        host = request.host
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self' ws://{host} wss://{host}; font-src 'self'; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        # same-origin, not no-referrer: under no-referrer browsers send "Origin: null" on our own
        # form posts, and the host's same-origin check would refuse them. Other sites get nothing.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        lang = request.args.get("lang")
        if lang is not None and lang in app.config["LANGUAGES"]:
            response.set_cookie(LANG_COOKIE, lang, samesite="Lax", max_age=365 * 24 * 3600)
        return response
