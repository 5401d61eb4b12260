"""The `facilitator` command: `serve` runs the room server (eventlet is patched in only there)."""

from __future__ import annotations

import errno
import os
import socket
import sys
from typing import Any

import click

DEFAULT_PORT = 5000
#: How many ports after the requested one to try before asking the system for any free port.
PORT_TRIES = 20


def bind_socket(host: str, port: int) -> socket.socket:
    """Return a listening socket on the port, or on a nearby or any free port if it is taken."""
    candidates = [port] + ([p for p in range(port + 1, port + 1 + PORT_TRIES)] if port else []) + [0]
    last_error: OSError | None = None
    for candidate in candidates:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Small frames go out at once: without this Nagle adds 40 ms to an ack after a broadcast.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.bind((host, candidate))
        except OSError as exc:
            sock.close()
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1)):
                raise
            last_error = exc
            continue
        sock.listen(1024)
        return sock
    raise last_error or OSError("no free port")


@click.group()
def main() -> None:
    """Rode Draad: live werkvormen, rode draden and the verslag, from the facilitator's laptop."""


@main.command()
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on (0.0.0.0: every network).")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int, help="Port; a free one is picked if taken.")
@click.option("--data-dir", default=None, help="Folder for the data (default: ./rode-draad-data).")
@click.option("--public-url", default=None, help="Base URL for phones, e.g. http://192.168.1.20:5000.")
def serve(host: str, port: int, data_dir: str | None, public_url: str | None) -> None:
    """Start the server for the room and print the facilitator's link and the join address."""
    os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
    import warnings

    warnings.filterwarnings("ignore", message=".*Eventlet is deprecated.*")
    import eventlet

    eventlet.monkey_patch()
    import gc

    import eventlet.wsgi

    from . import create_app
    from .network import base_url, lan_addresses

    config: dict[str, Any] = {"ASYNC_MODE": "eventlet"}
    if data_dir:
        config["DATA_DIR"] = data_dir
    if public_url:
        config["PUBLIC_URL"] = public_url
    try:
        app = create_app(config)
        sock = bind_socket(host, port)
    except OSError as exc:  # an unwritable data folder, an address that is not ours: say so plainly
        from babel.support import Translations

        from . import resource_dir

        # No app to ask for the locale here; the command speaks Dutch, like the rest of its output.
        catalog = Translations.load(str(resource_dir("translations")), ["nl"])
        message = catalog.gettext("Rode Draad kan niet starten: %(reason)s") % {"reason": exc}
        raise click.ClickException(message) from exc
    actual_port = sock.getsockname()[1]
    key = app.config["HOST_KEY"]
    phones = app.config["PUBLIC_URL"].rstrip("/") or base_url(lan_addresses()[0], actual_port)
    host_link = f"{base_url('127.0.0.1', actual_port)}/host/login?key={key}"
    with app.test_request_context():
        from flask_babel import gettext as _

        lines = [
            _("Rode Draad draait."),
            _("Gespreksleider (open op deze laptop): %(url)s", url=host_link),
            _("Deelnemers (telefoons): %(url)s", url=f"{phones}/"),
            _("Gegevens: %(path)s", path=os.path.abspath(app.config["DATA_DIR"])),
            _("Stoppen: Ctrl+C"),
        ]
        if port and actual_port != port:
            lines.insert(1, _("(poort %(asked)s was bezet; gekozen: %(port)s)", asked=port, port=actual_port))
    click.echo("\n".join(lines), nl=True)
    sys.stdout.flush()
    # Start-up objects live for the whole afternoon; keep them out of the collector's full passes.
    gc.collect()
    gc.freeze()
    try:
        eventlet.wsgi.server(sock, app, log_output=False, max_size=4096)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
