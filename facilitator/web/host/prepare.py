"""Preparing a bijeenkomst: its details, the agenda and each werkvorm's settings, the tables and their QR
sheet, the library of saved werkvormen, copies, and import and export of werkvorm and agenda files.

Every page is plain HTML forms (POST, then a redirect), so it works without JavaScript; prepare.js only
adds a confirmation before deleting and the print button. A form that fails comes back with status 400,
the Dutch message and the field it names next to it, and what was typed still in it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as BaseResponse

from facilitator.core import services
from facilitator.core.domain import (
    AgendaItem,
    FacilitatorError,
    InvalidFile,
    InvalidInput,
    LibraryEntry,
    NotFound,
    WorkFormat,
    WorkshopSession,
)
from facilitator.web.current import deps as _deps
from facilitator.web.guards.origin import same_origin
from facilitator.web.host.item_form import (
    ItemForm,
    minutes_label,
    role_label,
    settings_from_values,
    slug,
    values_from_form,
    values_from_settings,
)
from facilitator.web.host.pages import (
    participant_base,
    past_date_notice,
    qr_svg_markup,
    render_dashboard,
    session_or_404,
)
from facilitator.web.messages import error_message

bp = Blueprint("prepare", __name__)

#: Largest werkvorm or agenda file accepted; an export is a few KB.
UPLOAD_LIMIT = 64 * 1024
#: Tables on the QR sheet when the host named none and gave no ?aantal=.
DEFAULT_SHEET_TABLES = 6



@bp.before_request
def _posts_from_our_own_pages() -> None:
    # The host blueprint this one is nested in has already checked the facilitator's cookie.
    if request.method == "POST" and not same_origin():
        abort(403)


# -- errors shown next to a form ----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What went wrong with a form: the Dutch message, the technical detail, and the field it names."""

    message: str
    detail: str = ""
    field: str = ""


def _field_label(field: str) -> str:
    labels = {
        "title": _("Titel"),
        "date": _("Datum"),
        "series": _("Reeks"),
        "motto": _("Motto"),
        "organisers": _("Organisatoren"),
        "organiser_name": _("Naam van de organisator"),
        "organiser_email": _("E-mailadres van de organisator"),
        "ordinal": _("Hoeveelste bijeenkomst"),
        "theme": _("Thema"),
        "retention_days": _("Bewaartermijn"),
        "language": _("Taal"),
        "privacy_threshold": _("Tafel en rol op de beamer"),
        "name": _("Naam"),
        "tables": _("Tafels"),
        "settings.title": _("Titel"),
        "settings.case_text": _("Casustekst"),
    }
    return labels.get(field, field)


def _file_hint(detail: str) -> str:
    """Return a plain Dutch sentence for the most common reasons an import file is refused."""
    if detail.startswith("not JSON") or detail.startswith("the file must hold"):
        return _("Dit is geen JSON-bestand van Rode Draad.")
    if detail.startswith("format:") or detail.startswith("version:"):
        return _("Dit is geen werkvorm- of agendabestand van Rode Draad (of van een andere versie).")
    if "unknown werkvorm" in detail:
        return _("Het bestand noemt een werkvorm die deze laptop niet kent.")
    if "settings." in detail:
        return _("Een instelling in het bestand heeft een verkeerde waarde.")
    return ""


def problem(exc: FacilitatorError) -> Problem:
    """Return the message, detail and field for an error raised while handling a form."""
    detail = exc.detail
    field = str(exc.params.get("field") or (detail.split(":", 1)[0] if ":" in detail else ""))
    own = exc.params.get("message")
    if isinstance(own, str):
        message = own
    elif exc.code == "invalid_input":
        message = _("Dit klopt nog niet: kijk bij %(field)s.", field=_field_label(field))
    elif exc.code == "invalid_file":
        message = " ".join(filter(None, (_file_hint(detail), error_message(exc))))
    else:
        message = error_message(exc)
    return Problem(message=message, detail=detail if detail not in message else "", field=field)


# -- the prepare page ---------------------------------------------------------------------------


_FIELD_KINDS = {"bool": "checkbox", "int": "number", "choice": "select", "item": "select", "lines": "lines",
                "long_text": "lines", "text": "text"}


def _own_fields(
    wf: WorkFormat, values: ItemForm, session: WorkshopSession, item: AgendaItem
) -> list[dict[str, Any]]:
    """Describe the inputs for a werkvorm's own settings, generated from its setting specs."""
    fields: list[dict[str, Any]] = []
    for spec in wf.specs():
        value = values["own"].get(spec.name, spec.default)
        field: dict[str, Any] = {
            "name": spec.name, "label": _(spec.label), "value": value, "hint": _(spec.help) if spec.help else "",
            "kind": _FIELD_KINDS[spec.kind], "min": spec.minimum, "max": spec.maximum,
        }
        if spec.kind == "choice":
            field["choices"] = [(choice, _(label)) for choice, label in spec.choices]
        elif spec.kind == "item":
            choices = [("", _("Het vorige agendapunt"))]
            for number, other in enumerate(session.agenda, start=1):
                if other.id != item.id:
                    choices.append((other.id, f"{number}. {_item_name(other)}"))
            if value and value not in {c[0] for c in choices}:
                choices.append((value, _("Een agendapunt dat er niet meer is")))
            field["choices"] = choices
        fields.append(field)
    return fields


def _workformat(item: AgendaItem) -> WorkFormat | None:
    registry = _deps().registry
    return registry.get(item.workformat_id) if item.workformat_id in registry else None


def _configured(item: AgendaItem) -> WorkFormat | None:
    """Return an item's werkvorm as configured (a composed one with its own name and steps), if it is known."""
    if _workformat(item) is None:
        return None
    return services.configured_workformat(_deps().registry, item)


def _item_name(item: AgendaItem) -> str:
    title = str(item.settings.get("title", "")).strip()
    if title:
        return title
    wf = _configured(item)
    return _(wf.name) if wf else item.workformat_id


def _editor(
    session: WorkshopSession, item: AgendaItem, wf: WorkFormat, values: ItemForm, error: Problem | None
) -> dict[str, Any]:
    """Describe one item's editor for the template."""
    bad = error.field.removeprefix("settings.") if error else ""
    phases = []
    # A composed item's steps are set in its composer, not here.
    for phase in () if wf.can("composed") else wf.phases:
        roles = [
            {
                "label": role_label(role),
                "name": f"prompts.{phase.id}.{role}",
                "value": values["prompts"].get(phase.id, {}).get(role, ""),
                "placeholder": _(phase.prompt_for(role)),
            }
            for role in wf.roles
        ]
        timebox = phase.timebox_seconds
        phases.append(
            {
                "id": phase.id,
                "title": _(phase.title),
                "roles": roles,
                "timer": values["timers"].get(phase.id, ""),
                "timer_placeholder": minutes_label(timebox) if timebox else _("geen"),
                "hidden": values["hidden"].get(phase.id, phase.hidden_until_reveal),
            }
        )
    return {
        "form": values,
        "phases": phases,
        "buckets": values["buckets"] if wf.buckets else None,
        "own": _own_fields(wf, values, session, item),
        "composed": wf.can("composed"),
        "problem": error,
        "bad": bad,
    }


def render_prepare(
    session: WorkshopSession,
    *,
    status: int = 200,
    problems: Mapping[str, Problem] | None = None,
    forms: Mapping[str, Any] | None = None,
    item_values: Mapping[str, ItemForm] | None = None,
) -> tuple[str, int]:
    """Render the prepare page; `problems` and `forms` are keyed by form ("details", "item:<id>", …)."""
    deps = _deps()
    problems = problems or {}
    forms = forms or {}
    item_values = item_values or {}
    opened = request.args.get("open", "")
    items = []
    for number, item in enumerate(session.agenda, start=1):
        wf = _workformat(item)
        error = problems.get(f"item:{item.id}")
        values = item_values.get(item.id) or (values_from_settings(wf, item.settings) if wf else None)
        configured = _configured(item)
        items.append(
            {
                "item": item,
                "number": number,
                "name": _item_name(item),
                "workformat_name": _(wf.name) if wf else item.workformat_id,
                "phases": ", ".join(_(p.title) for p in configured.phases) if configured else "",
                # Its composer, or for a werkvorm made from parts that is not itself composed: an editable copy.
                "composable": bool(wf and wf.can("composed")),
                "copyable": bool(wf and not wf.can("composed") and configured and configured.composition),
                "editor": _editor(session, item, wf, values, error) if wf and values is not None else None,
                "open": item.id == opened or error is not None,
                "current": number - 1 == session.current_item,
                "library_problem": problems.get(f"library:{item.id}"),
                "library_name": forms.get(f"library:{item.id}", ""),
            }
        )
    workformats = sorted(deps.registry, key=lambda wf: not wf.can("starter"))  # the plain question first
    page = render_template(
        "host/prepare.html",
        session=session,
        past_date=past_date_notice(session) if services.is_past(session.date) else "",
        details=forms.get("details") or details_form(session),
        perspectives=forms.get("perspectives") or perspectives_form(session),
        presets=_preset_names(),
        items=items,
        workformats=[{"id": wf.id, "name": _(wf.name), "description": _(wf.description)} for wf in workformats],
        library=deps.library.list_entries(),
        workformat_names={wf.id: _(wf.name) for wf in deps.registry},
        problems=problems,
        forms=forms,
        saved=request.args.get("opgeslagen", ""),
        stored=request.args.get("bewaard", ""),
        imported=request.args.get("geimporteerd", ""),
        max_tables=services.MAX_TABLES,
        strings={"table": _("Tafel %(n)s"), "confirm": _("Weet je het zeker?")},
    )
    return page, status


def _to_prepare(session_id: str, anchor: str, **args: Any) -> BaseResponse:
    return redirect(url_for(".prepare_page", session_id=session_id, _anchor=anchor, **args), code=303)


def _agenda_item_or_404(session: WorkshopSession, item_id: str) -> AgendaItem:
    item = session.agenda_item(item_id)
    if item is None:
        abort(404)
    return item


@bp.get("/s/<session_id>/voorbereiden")
def prepare_page(session_id: str) -> ResponseReturnValue:
    """The prepare page: details, the agenda with an editor per werkvorm, the tables, import and export."""
    return render_prepare(session_or_404(session_id))


DETAIL_FIELDS = (
    "title", "date", "language", "ordinal", "theme", "retention_days", "privacy_threshold", "series", "motto",
    "organisers",
)


def _organiser_rows(form: Mapping[str, Any]) -> list[dict[str, str]]:
    """Return the organiser rows of the details form (org-<i>-<field>), in order."""
    rows = []
    for i in range(services.MAX_ORGANISERS):
        row = {name: str(form.get(f"org-{i}-{name}", "")) for name in services.ORGANISER_FIELDS}
        rows.append(row)
    return rows


def details_form(session: WorkshopSession) -> dict[str, Any]:
    """Return the details form's values: the bijeenkomst's own, its series', and one empty organiser row."""
    series = services.series_of(_deps().series, session)
    organisers = [dict(vars(o)) for o in series.organisers] if series else []
    values: dict[str, Any] = {name: getattr(session, name) for name in DETAIL_FIELDS}
    values["motto"] = series.motto if series else session.motto
    values["organiser_rows"] = (organisers + [dict.fromkeys(services.ORGANISER_FIELDS, "")])[
        : services.MAX_ORGANISERS]
    values["kept_until"] = services.kept_until(_deps().repo, session).isoformat()
    return values


@bp.post("/s/<session_id>/gegevens")
def save_details(session_id: str) -> ResponseReturnValue:
    """Change the details of this bijeenkomst, and the series' name, motto and organisers (stored once)."""
    session = session_or_404(session_id)
    deps = _deps()
    current = details_form(session)
    # A field the form did not send keeps its value (an empty retention period would mean "1 day").
    fields = {name: request.form.get(name, current[name]) for name in DETAIL_FIELDS}
    sent_rows = any(k.startswith("org-") for k in request.form)
    rows = _organiser_rows(request.form) if sent_rows else current["organiser_rows"]
    try:
        own = {k: v for k, v in fields.items() if k not in ("series", "motto")}
        _session, events = services.update_session_details(deps.repo, session_id, own)
        _session, _series, more = services.save_series_details(
            deps.repo, deps.series, session_id, name=fields["series"], motto=fields["motto"], organisers=rows
        )
    except FacilitatorError as exc:
        form = {**fields, "organiser_rows": [r for r in rows if any(r.values())] + [
            dict.fromkeys(services.ORGANISER_FIELDS, "")], "kept_until": current["kept_until"]}
        return render_prepare(session, status=400, problems={"details": problem(exc)}, forms={"details": form})
    deps.publish(events + more)
    return _to_prepare(session_id, "gegevens", opgeslagen="gegevens")


def _in_use(session: WorkshopSession) -> Counter[str]:
    """Return how many participants chose each perspective."""
    return Counter(p.perspective for p in _deps().repo.list_participants(session.id) if p.perspective)


def perspectives_form(session: WorkshopSession) -> list[dict[str, Any]]:
    """Return the perspective rows: the bijeenkomst's own in order, then empty rows to add one (up to the most)."""
    chosen = _in_use(session)
    rows: list[dict[str, Any]] = [{"id": p.id, "singular": p.singular, "plural": p.plural, "chosen": chosen[p.id]}
                                  for p in session.perspectives]
    free = min(2, services.MAX_PERSPECTIVES - len(rows))
    return rows + [{"id": "", "singular": "", "plural": "", "chosen": 0} for _ in range(free)]


def _perspective_rows(form: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the rows the perspectives form sent (p-<i>-<field>), ordered by their "plaats"; a row left empty or
    marked "weghalen" is left out (an empty new row adds nothing)."""
    rows = []
    for i in range(services.MAX_PERSPECTIVES + 2):
        if f"p-{i}-singular" not in form:
            continue
        row = {name: str(form.get(f"p-{i}-{name}", "")).strip() for name in ("id", "singular", "plural", "order")}
        if form.get(f"p-{i}-remove") or not (row["singular"] or row["plural"]):
            continue
        try:
            order = float(row["order"])
        except ValueError:
            order = float(i + 1)
        rows.append((order, i, {k: row[k] for k in ("id", "singular", "plural")}))
    return [row for _order, _i, row in sorted(rows, key=lambda r: (r[0], r[1]))]


def _preset_names() -> list[tuple[str, str]]:
    return [
        ("ouders_professionals", _("Ouders en professionals (ouder, zorg, onderwijs, ervaringsdeskundige, anders)")),
        ("gemeente", _("Gemeente (gemeente, beleid, bestuur, uitvoering)")),
        ("functies", _("Functies (lege lijst: typ de functies zelf)")),
    ]


@bp.post("/s/<session_id>/perspectieven")
def save_perspectives(session_id: str) -> ResponseReturnValue:
    """Save the perspectives participants may pick: rename, add, remove, reorder, or start from a preset list."""
    session = session_or_404(session_id)
    preset = request.form.get("preset")
    if preset is not None:
        options = services.presets().get(preset)
        if options is None:
            abort(400)
        rows = [{"id": o.id, "singular": o.singular, "plural": o.plural} for o in options]
    else:
        rows = _perspective_rows(request.form)
    try:
        _session, events = services.set_perspectives(_deps().repo, session_id, rows)
    except FacilitatorError as exc:
        chosen = _in_use(session)
        form = [{**row, "chosen": chosen[row.get("id", "")]} for row in rows] + [
            {"id": "", "singular": "", "plural": "", "chosen": 0}]
        message = error_message(exc)
        return render_prepare(session, status=400, problems={"perspectives": Problem(message=message, detail="",
                                                                                     field="perspectives")},
                              forms={"perspectives": form})
    _deps().publish(events)
    return _to_prepare(session_id, "perspectieven", opgeslagen="perspectieven")


@bp.post("/s/<session_id>/agenda")
def add_item(session_id: str) -> ResponseReturnValue:
    """Put a built-in werkvorm (`workformat`) or a saved one (`entry`) at the end of the agenda."""
    session = session_or_404(session_id)
    deps = _deps()
    entry_id = request.form.get("entry", "")
    try:
        if entry_id:
            item, events = services.add_from_library(deps.repo, deps.registry, deps.library, session_id, entry_id)
        else:
            workformat_id = request.form.get("workformat", "")
            if workformat_id not in deps.registry:
                raise InvalidInput(
                    "workformat: choose a werkvorm", field="workformat", message=_("Kies eerst een werkvorm.")
                )
            item, events = services.add_agenda_item(deps.repo, deps.registry, session_id, workformat_id)
    except FacilitatorError as exc:
        return render_prepare(session, status=400, problems={"add": problem(exc)})
    deps.publish(events)
    if not entry_id and deps.registry.get(item.workformat_id).can("composed") and not (
            deps.registry.get(item.workformat_id).composition):
        # A werkvorm made from parts is nothing yet: what the facilitator came for is its composer.
        return redirect(url_for(".composer_page", session_id=session_id, item_id=item.id), code=303)
    return _to_prepare(session_id, f"item-{item.id}", open=item.id)


@bp.post("/s/<session_id>/agenda/<item_id>")
def save_item(session_id: str, item_id: str) -> ResponseReturnValue:
    """Save an item's settings: title, case text, prompts, timers, hiding, buckets and its own settings."""
    session = session_or_404(session_id)
    item = _agenda_item_or_404(session, item_id)
    wf = _workformat(item)
    if wf is None:
        abort(404)
    deps = _deps()
    values = values_from_form(wf, request.form)
    try:
        settings = settings_from_values(wf, values)
        # The composer owns a composed item's steps: this form neither shows nor changes them.
        keep = ("composition",) if wf.can("composed") else ()
        _item, events = services.update_agenda_item(deps.repo, deps.registry, session_id, item_id, settings,
                                                    keep=keep)
    except FacilitatorError as exc:
        return render_prepare(
            session, status=400, problems={f"item:{item_id}": problem(exc)}, item_values={item_id: values}
        )
    deps.publish(events)
    return _to_prepare(session_id, f"item-{item_id}", opgeslagen=item_id)


@bp.post("/s/<session_id>/agenda/<item_id>/verplaats")
def move_item(session_id: str, item_id: str) -> ResponseReturnValue:
    """Move an item one place up (`offset` -1) or down (+1)."""
    session = session_or_404(session_id)
    _agenda_item_or_404(session, item_id)
    offset = -1 if request.form.get("offset") == "-1" else 1
    _session, events = services.move_agenda_item(_deps().repo, session_id, item_id, offset)
    _deps().publish(events)
    return _to_prepare(session_id, f"item-{item_id}")


@bp.post("/s/<session_id>/agenda/<item_id>/verwijder")
def remove_item(session_id: str, item_id: str) -> ResponseReturnValue:
    """Take an item off the agenda; what was sent during it stays stored."""
    session = session_or_404(session_id)
    _agenda_item_or_404(session, item_id)
    _session, events = services.remove_agenda_item(_deps().repo, _deps().registry, session_id, item_id)
    _deps().publish(events)
    return _to_prepare(session_id, "agenda")


@bp.post("/s/<session_id>/agenda/<item_id>/bibliotheek")
def store_item(session_id: str, item_id: str) -> ResponseReturnValue:
    """Save an item's configured werkvorm in the library, under the name asked for."""
    session = session_or_404(session_id)
    item = _agenda_item_or_404(session, item_id)
    deps = _deps()
    name = request.form.get("name", "")
    try:
        services.save_to_library(deps.repo, deps.library, session_id, item_id, name=name or _item_name(item))
    except FacilitatorError as exc:
        return render_prepare(
            session, status=400, problems={f"library:{item_id}": problem(exc)}, forms={f"library:{item_id}": name}
        )
    return _to_prepare(session_id, f"item-{item_id}", bewaard=item_id)


@bp.get("/s/<session_id>/agenda/<item_id>/export")
def export_item(session_id: str, item_id: str) -> Response:
    """Download one configured werkvorm as a file."""
    item = _agenda_item_or_404(session_or_404(session_id), item_id)
    name = _item_name(item)
    return _download(services.export_item(item, name), f"werkvorm-{slug(name) or item.workformat_id}.json")


@bp.get("/s/<session_id>/agenda/export")
def export_agenda(session_id: str) -> Response:
    """Download the whole agenda with the series details and tables (no contributions) as a file."""
    session = session_or_404(session_id)
    filename = f"agenda-{slug(session.title) or 'bijeenkomst'}-{session.date}.json"
    return _download(services.export_agenda(session), filename)


@bp.post("/s/<session_id>/agenda/import")
def import_items(session_id: str) -> ResponseReturnValue:
    """Append the werkvormen of an uploaded werkvorm or agenda file to the agenda."""
    session = session_or_404(session_id)
    deps = _deps()
    try:
        added, events = services.import_into_session(deps.repo, deps.registry, session_id, uploaded_file())
    except FacilitatorError as exc:
        return render_prepare(session, status=400, problems={"import": problem(exc)})
    deps.publish(events)
    return _to_prepare(session_id, f"item-{added[0].id}", geimporteerd=str(len(added)))


@bp.post("/s/<session_id>/tafels")
def save_tables(session_id: str) -> ResponseReturnValue:
    """Set the number of tables and their names."""
    session = session_or_404(session_id)
    names = request.form.getlist("table_name")
    raw = request.form.get("count", "").strip()
    form = {"count": raw, "names": names}
    try:
        try:
            count = int(raw) if raw else len(names)
        except ValueError:
            count = -1
        if not 0 <= count <= services.MAX_TABLES:
            raise InvalidInput(
                f"tables: a number from 0 to {services.MAX_TABLES}",
                field="tables",
                message=_("Vul een aantal tafels in van 0 tot %(max)s.", max=services.MAX_TABLES),
            )
        names = (names + [""] * count)[:count]
        _session, events = services.set_tables(_deps().repo, session_id, names)
    except FacilitatorError as exc:
        return render_prepare(session, status=400, problems={"tables": problem(exc)}, forms={"tables": form})
    _deps().publish(events)
    return _to_prepare(session_id, "tafels", opgeslagen="tafels")


# -- the printable QR sheet ---------------------------------------------------------------------


@bp.get("/s/<session_id>/tafels")
def tables_sheet(session_id: str) -> str:
    """An A4 sheet with a card per table: its name, a QR code that seats the phone there, the URL and code."""
    session = session_or_404(session_id)
    via = request.args.get("via")
    base, addresses = participant_base(via)
    if session.tables:
        tables = [(t.number, t.label()) for t in session.tables]
        count = len(tables)
    else:
        try:
            count = int(request.args.get("aantal", DEFAULT_SHEET_TABLES))
        except ValueError:
            count = DEFAULT_SHEET_TABLES
        count = max(1, min(count, services.MAX_TABLES))
        tables = [(n, str(n)) for n in range(1, count + 1)]
    cards = []
    for number, label in tables:
        url = f"{base}/j/{session.join_code}?tafel={number}"
        cards.append(
            {
                "number": number,
                "label": label,
                "named": label != str(number),
                "url": url,
                "qr": qr_svg_markup(url, _("QR-code voor tafel %(table)s", table=label)),
            }
        )
    return render_template(
        "host/tables_sheet.html",
        session=session,
        cards=cards,
        count=count,
        via=via,
        addresses=addresses if not current_app.config["PUBLIC_URL"] else [],
        max_tables=services.MAX_TABLES,
    )


# -- copies and new bijeenkomsten from a file ---------------------------------------------------


@bp.post("/s/<session_id>/kopie")
def copy_session(session_id: str) -> ResponseReturnValue:
    """Start a new bijeenkomst from this one (agenda, series details, organisers, tables; no contributions)."""
    session_or_404(session_id)
    fields = {"title": request.form.get("title", ""), "date": request.form.get("date", "")}
    try:
        copy = services.copy_session(
            _deps().repo, _deps().registry, session_id, title=fields["title"], date=fields["date"]
        )
    except FacilitatorError as exc:
        return render_dashboard(copy_problem=problem(exc), copy_source=session_id, copy_form=fields), 400
    return redirect(url_for(".prepare_page", session_id=copy.id), code=303)


@bp.post("/import")
def import_session() -> ResponseReturnValue:
    """Create a new bijeenkomst from an uploaded agenda (or werkvorm) file."""
    fields = {"title": "", "date": ""}
    deps = _deps()
    try:
        raw = uploaded_file()  # first: it allows the bigger body an upload needs
        fields = {"title": request.form.get("title", ""), "date": request.form.get("date", "")}
        session = services.create_session_from_import(
            deps.repo, deps.registry, raw, title=fields["title"], date=fields["date"]
        )
    except FacilitatorError as exc:
        return render_dashboard(import_problem=problem(exc), import_form=fields), 400
    return redirect(url_for(".prepare_page", session_id=session.id), code=303)


# -- the library --------------------------------------------------------------------------------


def render_library(*, status: int = 200, problems: Mapping[str, Problem] | None = None) -> tuple[str, int]:
    """Render the library page; `problems` are keyed by form ("import", "entry:<id>")."""
    deps = _deps()
    entries = [
        {
            "entry": entry,
            "workformat_name": _(deps.registry.get(entry.workformat_id).name)
            if entry.workformat_id in deps.registry
            else entry.workformat_id,
            "date": dt.date.fromtimestamp(entry.created_at).isoformat(),
        }
        for entry in deps.library.list_entries()
    ]
    page = render_template(
        "host/library.html",
        entries=entries,
        sessions=deps.repo.list_sessions(),
        problems=problems or {},
        imported=request.args.get("geimporteerd", ""),
    )
    return page, status


@bp.get("/bibliotheek")
def library_page() -> ResponseReturnValue:
    """The saved werkvormen: export, delete, put on an agenda, import a file."""
    return render_library()


@bp.post("/bibliotheek/import")
def library_import() -> ResponseReturnValue:
    """Save the werkvormen of an uploaded file in the library."""
    deps = _deps()
    try:
        entries = services.import_into_library(deps.registry, deps.library, uploaded_file())
    except FacilitatorError as exc:
        return render_library(status=400, problems={"import": problem(exc)})
    return redirect(url_for(".library_page", geimporteerd=str(len(entries))), code=303)


def _entry_or_404(entry_id: str) -> LibraryEntry:
    try:
        return _deps().library.get_entry(entry_id)
    except NotFound:
        abort(404)


@bp.get("/bibliotheek/<entry_id>/export")
def library_export(entry_id: str) -> Response:
    """Download a saved werkvorm as a file."""
    entry = _entry_or_404(entry_id)
    return _download(services.export_item(entry), f"werkvorm-{slug(entry.name) or entry.workformat_id}.json")


@bp.post("/bibliotheek/<entry_id>/verwijder")
def library_delete(entry_id: str) -> ResponseReturnValue:
    """Remove a saved werkvorm from the library; agendas that use it keep their copy."""
    _entry_or_404(entry_id)
    _deps().library.delete_entry(entry_id)
    return redirect(url_for(".library_page"), code=303)


@bp.post("/bibliotheek/<entry_id>/agenda")
def library_to_agenda(entry_id: str) -> ResponseReturnValue:
    """Put a saved werkvorm on the agenda of the chosen bijeenkomst."""
    _entry_or_404(entry_id)
    deps = _deps()
    session_id = request.form.get("session", "")
    try:
        item, events = services.add_from_library(deps.repo, deps.registry, deps.library, session_id, entry_id)
    except FacilitatorError as exc:
        return render_library(status=400, problems={f"entry:{entry_id}": problem(exc)})
    deps.publish(events)
    return _to_prepare(session_id, f"item-{item.id}", open=item.id)


# -- files --------------------------------------------------------------------------------------


def uploaded_file() -> bytes:
    """Return the uploaded `file`; raise InvalidFile (with a Dutch message) when there is none or it is too big."""
    # Room for a whole 64 KB file plus the form around it; a bigger body is refused before it is read.
    request.max_content_length = UPLOAD_LIMIT + 16 * 1024
    too_big = InvalidFile(
        f"the file is larger than {UPLOAD_LIMIT // 1024} KB",
        message=_(
            "Dit bestand is te groot: het mag hoogstens %(kb)s KB zijn. Een export van Rode Draad is veel "
            "kleiner; kies het bestand dat je bij ‘Exporteer’ kreeg.",
            kb=UPLOAD_LIMIT // 1024,
        ),
    )
    try:
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        raise too_big from None
    if upload is None or not upload.filename:
        raise InvalidFile("file: no file chosen", field="file", message=_("Kies eerst een bestand."))
    raw = upload.read(UPLOAD_LIMIT + 1)
    if len(raw) > UPLOAD_LIMIT:
        raise too_big
    if raw.startswith(b"\xef\xbb\xbf"):  # Notepad's byte order mark
        raw = raw[3:]
    return bytes(raw)




def _download(data: Mapping[str, Any], filename: str) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False, indent=2) + "\n", mimetype="application/json")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response
