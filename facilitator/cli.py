"""The `facilitator` command: `serve` runs the room server (eventlet is patched in only there); `cluster`
groups contributions from a file into themes; `list` and `export` read the stored bijeenkomsten."""

from __future__ import annotations

import csv
import errno
import json
import logging
import os
import socket
import sys
from pathlib import Path
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
        lines += retention_lines(app.extensions["rode_draad"].purge)
    click.echo("\n".join(lines), nl=True)
    sys.stdout.flush()
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
    try:
        eventlet.wsgi.server(sock, app, log_output=False, max_size=4096)
    except KeyboardInterrupt:
        pass


def retention_lines(purge: Any) -> list[str]:
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
    from . import clustering

    clustering.suggest(["ouders betrekken", "tijd voor gesprek", "vertrouwen in school"], 2)


class _Dutch:
    """The command's own messages, from the nl catalogue (Dutch is the source language)."""

    def __init__(self) -> None:
        from babel.support import Translations

        from . import resource_dir

        self.catalog = Translations.load(str(resource_dir("translations")), ["nl"])

    def gettext(self, message: str, **values: Any) -> str:
        return self.catalog.gettext(message) % values if values else self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int, **values: Any) -> str:
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
    from . import clustering  # scikit-learn loads only for this command

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


def _stored(data_dir: str | None) -> tuple[Any, Any, Any]:
    """Open the data folder read-only (a server may be running on it): bijeenkomsten, series, werkvormen."""
    from .config import DefaultConfig
    from .registry import discover
    from .storage.tinydb_store import TinyDBRepository, TinyDBSeries

    folder = Path(data_dir or os.environ.get("FACILITATOR_DATA_DIR") or DefaultConfig.DATA_DIR)
    if not (folder / "sessions").is_dir():
        raise click.ClickException(_Dutch().gettext("Geen bijeenkomsten gevonden in %(path)s.", path=folder))
    return TinyDBRepository(folder, read_only=True), TinyDBSeries(folder), discover()


def _find_session(repo: Any, wanted: str) -> Any:
    from .domain import SessionNotFound
    from .services import normalise_join_code

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
@click.option("--data-dir", default=None, help="Folder with the data (default: ./rode-draad-data).")
def list_sessions(data_dir: str | None) -> None:
    """Show the stored bijeenkomsten with their ids, newest first."""
    from . import services

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
@click.option("--data-dir", default=None, help="Folder with the data (default: ./rode-draad-data).")
def export(bijeenkomst: str, format_id: str, output: str | None, data_dir: str | None) -> None:
    """Export the verslag of BIJEENKOMST (its id or join code) with the facilitator's edits."""
    from . import exports, services
    from .domain import FacilitatorError
    from .privacy import KIND_LABELS

    dutch = _Dutch()
    repo, series_repo, registry = _stored(data_dir)
    session = _find_session(repo, bijeenkomst)
    fmt = exports.export_format(format_id)
    report = services.verslag(repo, registry, series_repo, session.id)
    findings = services.privacy_findings(report) if fmt.id != "csv" else []
    try:
        content = exports.render(
            report, fmt, csv_table=services.csv_rows(repo, registry, session.id) if fmt.id == "csv" else ((), ())
        )
    except FacilitatorError as exc:
        if exc.params.get("reason") == "no_chromium":
            message = dutch.gettext("De pdf maken lukte niet: Chromium is niet gevonden. Installeer het pakket "
                                    "chromium of kies Word of HTML.")
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
