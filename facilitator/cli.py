"""The `facilitator` command: `serve` runs the room server (its runtime, eventlet, is patched in only there); `cluster`
groups contributions from a file into themes; `list` and `export` read the stored bijeenkomsten."""

from __future__ import annotations

import contextlib
import csv
import errno
import json
import logging
import os
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from facilitator import config as settings

if TYPE_CHECKING:
    from collections.abc import Mapping
    from types import FrameType

    from facilitator.core.domain import WorkshopSession
    from facilitator.core.registry import WorkFormatRegistry
    from facilitator.core.services import PurgeReport
    from facilitator.storage import SessionRepository
    from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries
    from facilitator.web.server_runtime import Runtime

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


#: Seconds Ctrl+C waits for requests still at work (a download, a join being stored) before it ends them.
STOP_GRACE_SECONDS = 2.0
#: Seconds after Ctrl+C by which the process has ended, whatever still runs (see _CtrlC).
STOP_DEADLINE_SECONDS = 4.0
_DATA_DIR_HELP = f"Folder for the data (default: FACILITATOR_DATA_DIR, else the per-user folder {settings.data_dir()})."


@main.command()
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on (0.0.0.0: every network).")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int, help="Port; a free one is picked if taken.")
@click.option("--data-dir", default=None, help=_DATA_DIR_HELP)
@click.option("--public-url", default=None, help="Base URL for phones, e.g. http://192.168.1.20:5000.")
@click.option("--no-browser", is_flag=True, default=False,
              help="Do not open the facilitator's page in the default browser (also: FACILITATOR_OPEN_BROWSER=false).")
def serve(host: str, port: int, data_dir: str | None, public_url: str | None, no_browser: bool) -> None:
    """Start the server for the room, print the facilitator's link and the join address, and open the link."""
    ctrl_c = _CtrlC(_Dutch().gettext("Rode Draad is gestopt."), STOP_DEADLINE_SECONDS)
    signal.signal(signal.SIGINT, ctrl_c.pressed)
    try:
        _serve(host, port, data_dir, public_url, ctrl_c, open_browser=not no_browser)
    except KeyboardInterrupt:  # Ctrl+C before serving (during the warm-up) or a second one while stopping
        pass
    ctrl_c.state = "done"
    ctrl_c.say_stopped()


def _serve(
    host: str, port: int, data_dir: str | None, public_url: str | None, ctrl_c: _CtrlC, *, open_browser: bool
) -> None:
    from facilitator.web import server_runtime

    mode = server_runtime.chosen_mode(os.environ)
    try:
        runtime = server_runtime.runtime(mode)
    except ValueError:
        message = _Dutch().gettext("Onbekende servermodus %(mode)s in %(variable)s: kies eventlet of threading.",
                                   mode=mode, variable=server_runtime.MODE_VARIABLE)
        raise click.ClickException(message) from None
    runtime.patch()  # first: eventlet patches the standard library before the app imports it
    import gc

    from facilitator import create_app
    from facilitator.web.network import base_url

    config: dict[str, Any] = {"ASYNC_MODE": runtime.name}
    if data_dir:
        config["DATA_DIR"] = data_dir
    if public_url:
        config["PUBLIC_URL"] = public_url
    if not open_browser:
        config["OPEN_BROWSER"] = False
    try:
        app = create_app(config)
        sock = bind_socket(host, port)
    except OSError as exc:  # an unwritable data folder, an address that is not ours: say so plainly
        # No app to ask for the locale here; the command speaks Dutch, like the rest of its output.
        message = _Dutch().gettext("Rode Draad kan niet starten: %(reason)s", reason=exc)
        raise click.ClickException(message) from exc
    actual_port = sock.getsockname()[1]
    key = app.config["HOST_KEY"]
    # Through the app's address provider, so that the printed address is one the Host check knows as advertised.
    phones = app.config["PUBLIC_URL"].rstrip("/") or base_url(app.extensions["rode_draad"].addresses()[0], actual_port)
    host_link = f"{base_url('127.0.0.1', actual_port)}/host/login?key={key}"
    folder = Path(app.config["DATA_DIR"])
    with app.test_request_context():
        from flask_babel import gettext as _

        lines = [
            _("Rode Draad draait."),
            _("Gespreksleider (open op deze laptop): %(url)s", url=host_link),
            _("Deelnemers (telefoons): %(url)s", url=phones + "/"),
            data_line := _("Gegevens: %(path)s", path=str(folder)),
            _("Stoppen: Ctrl+C"),
        ]
        if port and actual_port != port:
            lines.insert(1, _("(poort %(asked)s was bezet; gekozen: %(port)s)", asked=port, port=actual_port))
        if runtime.name != server_runtime.DEFAULT_MODE:  # the fallback: whoever reads the terminal should know
            lines.insert(1, _("Servermodus: %(mode)s (reserve, gekozen met %(variable)s; standaard is %(default)s)",
                              mode=runtime.name, variable=server_runtime.MODE_VARIABLE,
                              default=server_runtime.DEFAULT_MODE))
        lines += retention_lines(app.extensions["rode_draad"].purge)
    old = _old_folder_hint(folder, _Dutch())
    if old:
        lines.insert(lines.index(data_line) + 1, old)  # right after the data folder it is about
    click.echo("\n".join(lines), nl=True)
    sys.stdout.flush()
    if app.config["OPEN_BROWSER"]:
        # The socket listens already: the browser's request waits in its backlog until serving starts.
        open_in_browser(host_link)
    if app.config["WARM_UP_CLUSTERING"]:
        # Before serving, not beside it: a suggestion importing the same libraries in another thread at the same
        # moment can fail with an import deadlock. It makes the start about 1.5 s slower.
        try:
            _load_clustering()
        except Exception:  # a broken install shows at the first suggestion, with its own message; serving goes on
            logging.getLogger(__name__).exception("warming up the clusterer failed")
    # Start-up objects live for the whole afternoon; keep them out of the collector's full passes.
    gc.collect()
    gc.freeze()
    limits = server_runtime.ServeLimits(
        head_seconds=float(app.config["REQUEST_HEAD_SECONDS"]),
        socket_timeout=float(app.config["SOCKET_TIMEOUT_SECONDS"]),
        stop_grace=STOP_GRACE_SECONDS,
    )
    with ctrl_c.serving(runtime):
        runtime.serve(app, sock, limits)


#: What the browser-opening process runs: Python's webbrowser, which honours BROWSER and the desktop's default.
_OPEN_LINK = "import sys, webbrowser; webbrowser.open(sys.argv[1])"


def open_in_browser(url: str) -> None:
    """Ask the default browser to open the facilitator's link, without waiting for it and without ever failing.

    The asking happens in a Python process of its own, started from a real thread: whatever a browser command
    prints (xdg-open's complaints without a desktop, a console browser) goes to /dev/null instead of between the
    start-up lines, a command that hangs holds up only that thread and process, a browser started this way is not
    stopped by the Ctrl+C that stops the server (its own session), and no failure reaches the start. Without a
    desktop (Linux or BSD with neither DISPLAY nor WAYLAND_DISPLAY, and no BROWSER set) there is nothing to open.
    """
    if not _can_show_a_browser(os.environ, sys.platform):
        return
    from facilitator.web.server_runtime import unpatched

    # The real ones also when serve has patched them (eventlet).
    threading = unpatched("threading")
    subprocess = unpatched("subprocess")

    def ask() -> None:
        try:
            subprocess.run(
                _open_link_command(url, frozen=bool(getattr(sys, "frozen", False))),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True,
                start_new_session=True, creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0), check=False,
            )
        except Exception:  # noqa: BLE001 - no browser is no reason not to serve; the link is printed
            pass

    threading.Thread(target=ask, name="open-browser", daemon=True).start()


def _open_link_command(url: str, *, frozen: bool) -> list[str]:
    """Return the command that opens the link: Python's -c, or the one-folder build's own hidden `open-link`."""
    # The one-folder build's executable is no Python interpreter: it understands only its own commands.
    return [sys.executable, "open-link", url] if frozen else [sys.executable, "-c", _OPEN_LINK, url]


@main.command(name="open-link", hidden=True)
@click.argument("url")
def open_link(url: str) -> None:
    """Open URL in the default browser (what `serve` runs in the one-folder build)."""
    import webbrowser

    webbrowser.open(url)


def _can_show_a_browser(environ: Mapping[str, str], platform: str) -> bool:
    """Tell whether a browser could appear: always on Windows and macOS; elsewhere only with a desktop or BROWSER."""
    if platform.startswith(("win", "darwin")) or environ.get("BROWSER"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


class _CtrlC:
    """What Ctrl+C does in `serve`: stop cleanly, say so, and end the process within a deadline in any case.

    Python raises KeyboardInterrupt in whatever code runs when SIGINT arrives. While serving, under eventlet, that
    can be any greenthread, and engine.io's handlers catch everything (bare `except:`): the interrupt was then logged
    as a handler error and the server went on (seen with phones sending). So while serving, when the runtime delivers
    Ctrl+C itself (server_runtime: eventlet throws KeyboardInterrupt into the main greenlet, where eventlet.wsgi's
    accept loop turns it into a clean stop), the handler raises nothing. Before serving (the warm-up), and while
    serving in threading mode (the main thread runs the accept loop), the handler raises, as Python would.

    The deadline covers what a clean stop cannot: eventlet's thread pool finishing a PDF or an e-mail at exit, or an
    event loop kept so busy that the greenthread never runs. The store is crash-safe (a torn write was never
    acknowledged), so ending the process then loses nothing.
    """

    def __init__(self, stopped: str, deadline: float) -> None:
        self.stopped = stopped
        self.deadline = deadline
        self.armed = False
        self.said = False
        #: "starting" (raise KeyboardInterrupt), "serving" (the runtime delivers it) or "done" (ignore it).
        self.state = "starting"

    def pressed(self, _signum: int, _frame: FrameType | None) -> None:
        """The SIGINT handler."""
        if not self.armed:
            self.armed = True
            self._end_process_after(self.deadline)
        if self.state == "starting":
            raise KeyboardInterrupt

    def say_stopped(self) -> None:
        if not self.said:
            self.said = True
            click.echo(self.stopped)
            sys.stdout.flush()

    def _end_now(self, *_args: object) -> None:
        self.say_stopped()
        os._exit(0)

    def _end_process_after(self, seconds: float) -> None:
        if hasattr(signal, "setitimer"):  # its handler runs in the main thread, however busy the event loop is
            signal.signal(signal.SIGALRM, self._end_now)
            signal.setitimer(signal.ITIMER_REAL, seconds)
            return
        # Windows: a thread instead, a real one also when eventlet has patched threading.
        from facilitator.web.server_runtime import unpatched

        threading = unpatched("threading")
        timer = threading.Timer(seconds, self._end_now)
        timer.daemon = True
        timer.start()

    @contextlib.contextmanager
    def serving(self, runtime: Runtime) -> Iterator[None]:
        """While serving, Ctrl+C goes to the serving loop the way the runtime delivers it (see the class)."""
        with runtime.ctrl_c_to_main() as delivered:
            if delivered:
                self.state = "serving"
            try:
                yield
            finally:
                # A Ctrl+C from here on (the process is ending) needs no traceback: the deadline is armed.
                self.state = "done"


@main.command(name="install-shortcut")
@click.option("--remove", is_flag=True, default=False, help="Remove the shortcut again.")
def install_shortcut(remove: bool) -> None:
    """Make a start-menu and desktop shortcut (macOS: in ~/Applications) that starts Rode Draad and opens the regie."""
    from facilitator import platforms, resource_dir

    icon = resource_dir("static") / "favicon.svg"
    machine = platforms.this_machine()
    lines = shortcut_lines(machine, remove=remove, dutch=_Dutch(), icon=icon if icon.is_file() else None)
    click.echo("\n".join(lines))


def shortcut_lines(machine: Any, *, remove: bool, dutch: _Dutch, icon: Path | None = None) -> list[str]:
    """Make (or remove) the shortcut on the machine and return what to tell the facilitator, in Dutch."""
    from facilitator import platforms

    try:
        if remove:
            removed = platforms.remove_shortcut(machine)
            if not removed:
                return [dutch.gettext("Er was geen snelkoppeling om te verwijderen.")]
            return [dutch.gettext("Verwijderd: %(path)s", path=path) for path in removed]
        made = platforms.install_shortcut(machine, icon)
    except OSError as exc:
        raise click.ClickException(dutch.gettext("De snelkoppeling maken lukte niet: %(reason)s", reason=exc)) from exc
    lines = [dutch.gettext("Snelkoppeling gemaakt: %(path)s", path=path) for path in made]
    if machine.system == "Windows":
        lines.append(dutch.gettext("Start Rode Draad voortaan met ‘Rode Draad’ in het startmenu of op het bureaublad."))
    elif machine.system == "Darwin":
        lines.append(dutch.gettext("Start Rode Draad voortaan met ‘Rode Draad’ in Programma's of Launchpad; sleep "
                                   "het naar het Dock om het bij de hand te hebben."))
    else:
        lines.append(dutch.gettext("Start Rode Draad voortaan met ‘Rode Draad’ in het programmamenu of op het "
                                   "bureaublad."))
    lines.append(dutch.gettext("Er opent een venster met de adressen en de regie opent in de browser. Sluit dat "
                               "venster om Rode Draad te stoppen."))
    program = platforms.program_name(machine.system, machine.executable, machine.frozen)
    advice = dutch.gettext(platforms.firewall_advice(machine.system), program=program, port=DEFAULT_PORT)
    lines.append(dutch.gettext("Komen telefoons er straks niet in? %(advice)s", advice=advice))
    return lines


def retention_lines(purge: PurgeReport) -> list[str]:
    """Return what this start deleted and what the next one will delete, in Dutch (inside a request context)."""
    import datetime as dt

    from flask_babel import format_date
    from flask_babel import gettext as _

    def day(value: str | dt.date) -> str:
        return str(format_date(dt.date.fromisoformat(value) if isinstance(value, str) else value, format="long"))

    lines = [_("Verwijderd (bewaartermijn verstreken en eerder gemeld): ‘%(title)s’ van %(date)s", title=s.title,
               date=day(s.date)) for s in purge.deleted]
    lines += [_("Terugblik uit de reeks gehaald: ‘%(title)s’ van %(date)s (die bijeenkomst was al verwijderd)",
                title=r.title, date=day(r.date)) for r in purge.recaps_removed]
    for session, until in purge.announced:
        lines.append(_("Wordt verwijderd bij de volgende start: ‘%(title)s’ van %(date)s (bewaard tot en met "
                       "%(until)s)", title=session.title, date=day(session.date), until=day(until)))
    if purge.announced:
        lines.append(_("Wil je een bijeenkomst houden? Kies ‘Bewaar langer’ op het dashboard. Er wordt pas iets "
                       "verwijderd nadat het dashboard het heeft laten zien."))
    return lines


def _load_clustering() -> None:
    """Import the clusterer and cluster three texts once, so every library it needs is loaded."""
    from facilitator.core.clustering import clusters as clustering

    clustering.suggest(["ouders betrekken", "tijd voor gesprek", "vertrouwen in school"], 2)


class _Dutch:
    """The command's own messages, from the nl catalogue (Dutch is the source language)."""

    def __init__(self) -> None:
        from babel.support import Translations

        from facilitator import resource_dir

        self.catalog = Translations.load(str(resource_dir("translations")), ["nl"])

    def gettext(self, message: str, **values: object) -> str:
        return self.catalog.gettext(message) % values if values else self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        return self.catalog.ngettext(singular, plural, count) % {"count": count, **values}


def read_contributions(path: Path, dutch: _Dutch) -> list[str]:
    """Return the contributions in a .txt (one per line), .csv (`text` column, else the first) or .json file."""
    if not path.is_file():
        raise click.ClickException(dutch.gettext("Bestand niet gevonden: %(path)s", path=path))
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".csv", ".json"):
        raise click.ClickException(
            dutch.gettext("Onbekend bestandstype %(suffix)s: gebruik .txt, .csv of .json.", suffix=suffix or "?")
        )
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(dutch.gettext("Kan %(path)s niet lezen: %(reason)s", path=path, reason=exc)) from exc
    if suffix == ".txt":
        texts = [line.strip() for line in content.splitlines() if line.strip()]
    elif suffix == ".csv":
        texts = _csv_texts(content, path, dutch)
    else:
        texts = _json_texts(content, path, dutch)
    if not texts:
        raise click.ClickException(dutch.gettext("Geen bijdragen gevonden in %(path)s.", path=path))
    return texts


def _csv_texts(content: str, path: Path, dutch: _Dutch) -> list[str]:
    try:
        dialect: Any = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column, or nothing to sniff: plain commas
    rows = [row for row in csv.reader(content.splitlines(), dialect) if any(cell.strip() for cell in row)]
    if not rows or not rows[0]:
        raise click.ClickException(dutch.gettext("Het CSV-bestand %(path)s heeft geen kolommen.", path=path))
    header = [cell.strip().lower() for cell in rows[0]]
    column = header.index("text") if "text" in header else 0
    return [row[column].strip() if column < len(row) else "" for row in rows[1:]]


def _json_texts(content: str, path: Path, dutch: _Dutch) -> list[str]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise click.ClickException(dutch.gettext("Kan %(path)s niet lezen: %(reason)s", path=path, reason=exc)) from exc
    items = data.get("items") if isinstance(data, dict) else None
    texts = [item.get("text") if isinstance(item, dict) else None for item in items] if isinstance(items, list) else []
    if not isinstance(items, list) or not all(isinstance(text, str) for text in texts):
        raise click.ClickException(
            dutch.gettext('Het JSON-bestand %(path)s heeft geen lijst "items" met een "text" per bijdrage.', path=path)
        )
    return [str(text) for text in texts]


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--themes", default=None, help='Theme names, comma-separated: sort every contribution under one of them.')
@click.option("--count", type=int, default=None, help="Number of themes (default: chosen automatically).")
@click.option("--json", "as_json", is_flag=True, help='Print {"themes": [{"label": ..., "items": [indices]}]}.')
def cluster(file: Path, themes: str | None, count: int | None, as_json: bool) -> None:
    """Group the contributions in FILE (.txt, .csv or .json) into themes (rode draden)."""
    dutch = _Dutch()
    texts = read_contributions(file, dutch)
    names = [name.strip() for name in themes.split(",") if name.strip()] if themes is not None else None
    if names is not None and not names:
        raise click.ClickException(dutch.gettext("Geef bij --themes minstens één themanaam."))
    if count is not None and count < 1:
        raise click.ClickException(dutch.gettext("--count moet minstens 1 zijn."))
    from facilitator.core.clustering import clusters as clustering  # scikit-learn loads only for this command

    result = clustering.seeded(texts, names) if names is not None else clustering.suggest(texts, count)
    if as_json:
        payload = {"themes": [{"label": theme.label, "items": list(theme.items)} for theme in result.themes]}
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    lines: list[str] = []
    for number, theme in enumerate(result.themes, 1):
        label = theme.label or dutch.gettext("(geen trefwoorden)")
        size = dutch.ngettext("%(count)s bijdrage", "%(count)s bijdragen", len(theme.items))
        lines.append(dutch.gettext("Thema %(number)s: %(label)s (%(size)s)", number=number, label=label, size=size))
        lines.extend(f"    {texts[index]}" for index in theme.items)
        lines.append("")
    if result.warning == "few":
        lines.append(dutch.gettext("Let op: minder dan 3 thema's. Een handvol werkt het best."))
    elif result.warning == "many":
        lines.append(dutch.gettext("Let op: meer dan 10 thema's. Een handvol werkt het best."))
    click.echo("\n".join(lines).rstrip("\n"))


def _old_folder_hint(folder: Path, dutch: _Dutch) -> str | None:
    """Return a line pointing out bijeenkomsten in the old default folder under the current one, if not in use."""
    old = Path.cwd() / settings.OLD_DATA_DIR
    try:
        if old.resolve() == folder.resolve():
            return None
        count = sum(1 for _path in (old / "sessions").glob("*.json"))
    except OSError:
        return None
    if not count:
        return None
    shown = f'"{old}"' if " " in str(old) else str(old)
    return dutch.ngettext(
        "Er staat ook %(count)s bijeenkomst in %(path)s; start met --data-dir %(path)s om die te gebruiken.",
        "Er staan ook %(count)s bijeenkomsten in %(path)s; start met --data-dir %(path)s om die te gebruiken.",
        count,
        path=shown,
    )


def _stored(data_dir: str | None) -> tuple[TinyDBRepository, TinyDBSeries, WorkFormatRegistry]:
    """Open the data folder read-only (a server may be running on it): bijeenkomsten, series, werkvormen."""
    from facilitator import data_folder
    from facilitator.core.registry import discover
    from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries

    folder = data_folder(data_dir)
    old = _old_folder_hint(folder, _Dutch())
    if old:
        click.echo(old, err=True)
    if not (folder / "sessions").is_dir():
        raise click.ClickException(_Dutch().gettext("Geen bijeenkomsten gevonden in %(path)s.", path=folder))
    return TinyDBRepository(folder, read_only=True), TinyDBSeries(folder), discover()


def _find_session(repo: SessionRepository, wanted: str) -> WorkshopSession:
    from facilitator.core.domain import SessionNotFound
    from facilitator.core.services import normalise_join_code

    try:
        return repo.get_session(wanted)
    except SessionNotFound:
        pass
    try:
        return repo.find_by_join_code(normalise_join_code(wanted))
    except SessionNotFound:
        raise click.ClickException(
            _Dutch().gettext("Geen bijeenkomst met id of code %(id)s. Zie: facilitator list", id=wanted)
        ) from None


@main.command(name="list")
@click.option("--data-dir", default=None, help=_DATA_DIR_HELP)
def list_sessions(data_dir: str | None) -> None:
    """Show the stored bijeenkomsten with their ids, newest first."""
    from facilitator.core import services

    dutch = _Dutch()
    repo, _series, _registry = _stored(data_dir)
    sessions = repo.list_sessions()
    if not sessions:
        click.echo(dutch.gettext("Er zijn geen bijeenkomsten opgeslagen."))
        return
    for session in sessions:
        count = len(repo.list_contributions(session.id))
        details = [session.date, session.title]
        if session.series:
            details.append(session.series)
        details.append(dutch.ngettext("%(count)s bijdrage", "%(count)s bijdragen", count))
        details.append(dutch.gettext("code %(code)s", code=session.join_code))
        until = services.kept_until(repo, session).isoformat()
        details.append(dutch.gettext("bewaard tot en met %(date)s", date=until))
        click.echo(f"{session.id}  " + " · ".join(details))


@main.command()
@click.argument("bijeenkomst")
@click.option("--format", "format_id", required=True, type=click.Choice(["docx", "html", "md", "csv", "pdf"]),
              help="docx (Word), html (print-ready), md (Markdown), csv (raw contributions), pdf.")
@click.option("-o", "--output", default=None,
              help="File to write (default: verslag-<date>-<title>.<ext>; - for stdout).")
@click.option("--data-dir", default=None, help=_DATA_DIR_HELP)
def export(bijeenkomst: str, format_id: str, output: str | None, data_dir: str | None) -> None:
    """Export the verslag of BIJEENKOMST (its id or join code) with the facilitator's edits."""
    from facilitator.core import services
    from facilitator.core.domain import FacilitatorError
    from facilitator.verslag import exports
    from facilitator.verslag.privacy import KIND_LABELS

    dutch = _Dutch()
    repo, series_repo, registry = _stored(data_dir)
    session = _find_session(repo, bijeenkomst)
    fmt = exports.export_format(format_id)
    report = services.verslag(repo, registry, series_repo, session.id)
    findings = services.privacy_findings(report, fictional=session.fictional_names) if fmt.id != "csv" else []
    try:
        content = exports.render(
            report, fmt, csv_table=services.csv_rows(repo, registry, session.id) if fmt.id == "csv" else ((), ())
        )
    except FacilitatorError as exc:
        if exc.params.get("reason") == "no_chromium":
            message = dutch.gettext(
                "De pdf maken lukte niet: er is geen Microsoft Edge, Google Chrome of Chromium gevonden. "
                "Installeer Edge of Chrome (op Linux: het pakket chromium), of download het Word-bestand en "
                "kies in Word ‘Opslaan als’ en dan PDF."
            )
        else:
            message = dutch.gettext("Exporteren lukte niet: %(reason)s", reason=exc.detail or exc.code)
        raise click.ClickException(message) from exc
    for finding in findings:
        label = KIND_LABELS[finding["kind"]]
        warning = dutch.gettext("Let op, mogelijk persoonsgegevens (%(kind)s): %(text)s", kind=dutch.gettext(label),
                                text=finding["text"])
        click.echo(warning, err=True)
    if output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    target = Path(output or exports.filename(session, fmt))
    try:
        target.write_bytes(content)
    except OSError as exc:
        message = dutch.gettext("Kan %(path)s niet schrijven: %(reason)s", path=target, reason=exc)
        raise click.ClickException(message) from exc
    click.echo(dutch.gettext("Geschreven: %(path)s", path=target))


if __name__ == "__main__":
    main()
