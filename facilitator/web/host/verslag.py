"""The verslag page: the facilitator edits every text part of the verslag next to a live preview, checks it for
likely personal data, exports it (Word, pdf, HTML, Markdown, CSV, or all at once in a zip), mails it, and ends
with "export and delete".

The page works from the generated draft plus the stored edits (see reporting.build for the edit keys): every
form part shows the stored edit when there is one and the draft otherwise, and "Terug naar het concept" sends
null for its key. Word and pdf are rendered in `deps.offload`, off the event loop.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime, get_locale, get_translations
from flask_babel import gettext as _
from markupsafe import Markup, escape

from facilitator.core import services
from facilitator.core.domain import (
    FacilitatorError,
    InvalidInput,
    MailFailed,
    MailNotConfigured,
    PdfFailed,
    WorkshopSession,
)
from facilitator.verslag import exports, mail
from facilitator.verslag.build import ReportMaterial, build_report
from facilitator.verslag.edits import PROGRAMME_FIELDS, SAVE_THE_DATE_FIELDS
from facilitator.verslag.html import render_html
from facilitator.verslag.markdown import render_markdown
from facilitator.verslag.model import Report
from facilitator.verslag.privacy import KIND_LABELS, segments
from facilitator.verslag.text import one_line
from facilitator.web.current import deps as _deps
from facilitator.web.guards.origin import same_origin
from facilitator.web.host.auth import is_facilitator
from facilitator.web.host.pages import session_or_404
from facilitator.web.host.settings import effective_mail_settings
from facilitator.web.languages import speak_as_the_bijeenkomst_in_the_url
from facilitator.web.messages import error_message

bp = Blueprint("verslag", __name__, url_prefix="/host")

#: The formats offered one by one, in the order of the buttons; the zip holds all of them.
DOWNLOADS = ("docx", "pdf", "html", "md", "csv")
ZIP_FORMATS = ("docx", "pdf", "html", "md", "csv")
ZIP = exports.ExportFormat("zip", "zip", "application/zip")
_ARTICLE_START = '<article id="verslag">'
_ARTICLE_END = "</article>"



@bp.before_request
def _only_the_facilitator() -> ResponseReturnValue | None:
    if not is_facilitator():
        return render_template("host/forbidden.html"), 403
    if request.method == "POST" and not same_origin():
        abort(403)
    speak_as_the_bijeenkomst_in_the_url()  # the verslag is written in the bijeenkomst's language
    return None


class BabelTranslator:
    """The verslag's fixed sentences in the request's language, from the Flask-Babel catalogue.

    The catalogue's own gettext/ngettext, not flask_babel's: those fill in `%(num)s` themselves and would fail
    on the report builder's "%(n)s" placeholders, which the builder fills in after translating.
    """

    def gettext(self, text: str) -> str:
        """Return a text in the request's language."""
        return str(get_translations().gettext(text))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Return the singular or plural form for n, in the request's language."""
        return str(get_translations().ngettext(singular, plural, n))


def _locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


# -- building the verslag ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verslag:
    """A bijeenkomst's verslag as the request needs it: with the edits, and the draft the form starts from."""

    session: WorkshopSession
    material: ReportMaterial
    edits: dict[str, Any]
    report: Report

    def draft(self) -> Report:
        """Return the generated draft, without the facilitator's edits."""
        return build_report(self.material, {}, BabelTranslator())


def load_verslag(session_id: str) -> Verslag:
    """Return the verslag of a bijeenkomst with its stored edits; 404 when the bijeenkomst is gone."""
    session_or_404(session_id)
    deps = _deps()
    material = services.report_material(deps.repo, deps.registry, deps.series, session_id, locale=_locale(),
                                        translate=BabelTranslator().gettext)
    edits = deps.repo.get_report_edits(session_id)
    return Verslag(session=material.session, material=material, edits=edits,
                   report=build_report(material, edits, BabelTranslator()))


def preview_fragment(report: Report, fictional: Sequence[str] = ()) -> Markup:
    """Return the verslag's <article> with likely personal data marked, for the page.

    The preview sits in the page itself rather than in an iframe: an iframe's srcdoc document would inherit the
    page's Content-Security-Policy and lose its embedded <style>, and a separate frame route would need a
    looser policy. render_html escapes every text, so its <article> can be inserted as it is; the page's own
    style sheet (host.css, `.verslag-preview`) styles it.
    """
    document = render_html(report, lang=_locale(), highlight=lambda text: segments(text, fictional=fictional))
    start = document.index(_ARTICLE_START)
    end = document.rindex(_ARTICLE_END) + len(_ARTICLE_END)
    return Markup(document[start:end])  # escaped by render_html, see above


# -- the form: one part per edit key ----------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One editable part of the verslag: its edit key, how it is edited, and what it shows now."""

    #: The edit key (reporting.build's grammar), e.g. "rode_draad.paragraph" or "block.ab12/opbrengst.bullets".
    key: str
    label: str
    #: line (one-line input), text (free text), lines (one per line), bool, programme, save_the_date.
    kind: str
    value: Any
    #: True when a stored edit replaces the draft.
    edited: bool
    hint: str = ""
    rows: int = 3


@dataclass(frozen=True)
class PartGroup:
    """A fieldset of parts: the title block, one werkvorm, the rode draad, the closing."""

    id: str
    title: str
    parts: tuple[Part, ...]
    note: str = ""


@dataclass
class _Form:
    """Collects the parts and, per edit key, where a privacy finding there should point to."""

    edits: Mapping[str, Any]
    groups: list[PartGroup] = field(default_factory=list)
    where: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: The text each part shows, to point a finding in a block at the part that holds it.
    texts: dict[str, str] = field(default_factory=dict)

    def part(self, key: str, label: str, kind: str, draft: Any, *, hint: str = "", rows: int = 3) -> Part:
        value = self.edits.get(key, draft)
        if kind == "lines":
            value = "\n".join(value)
        elif kind == "programme":
            value = [{name: str(item.get(name, "")) for name in PROGRAMME_FIELDS} for item in value]
        elif kind == "save_the_date":
            value = {name: str(value.get(name, "")) for name in SAVE_THE_DATE_FIELDS}
        self.where[key] = (label, f"part-{key}")
        self.texts[key] = value if isinstance(value, str) else ""
        return Part(key=key, label=label, kind=kind, value=value, edited=key in self.edits, hint=hint, rows=rows)


def verslag_form(draft: Report, edits: Mapping[str, Any]) -> _Form:
    """Return the form's parts, built on the draft's structure with the stored edits as values."""
    form = _Form(edits)
    per_line = _("Eén punt per regel.")
    # The tool's own closing words stay marked as a suggestion until the facilitator writes theirs.
    suggestion = _("Voorstel van Rode Draad: vervang het door je eigen woorden of laat het staan")
    rode_draad = draft.rode_draad
    form.groups.append(PartGroup("deel-titel", _("Titel en inleiding"), (
        form.part("title", _("Titel"), "line", draft.title),
        form.part("subtitle", _("Ondertitel"), "line", draft.subtitle),
        form.part("motto", _("Motto"), "line", draft.motto),
        form.part("lead", _("Inleiding"), "text", draft.lead, rows=5),
        form.part("welcome", _("Welkom en terugblik"), "text", draft.welcome, rows=4),
    )))
    form.groups.append(PartGroup("deel-programma", _("Programma"), (
        form.part("programme", _("Programma-onderdelen"), "programme", []),
    ), note=_("Opening, presentaties en pitches: met spreker, functie, organisatie en een ‘Meer info’-link.")))
    for section in draft.sections:
        parts = [
            form.part(f"item.{section.key}.include", _("Neem op in het verslag"), "bool", True),
            form.part(f"item.{section.key}.task", _("Opdracht of casus"), "lines", list(section.task),
                      hint=_("Eén alinea per regel."), rows=3),
        ]
        # Texts the check reads that have no part here: point at the werkvorm's group.
        form.where[f"item.{section.key}.name"] = (section.name, f"deel-{section.key}")
        form.where[f"item.{section.key}.prompts"] = (_("%(item)s: de vragen", item=section.name),
                                                      f"deel-{section.key}")
        for block in section.blocks:
            prefix = f"block.{block.key}"
            form.where[prefix] = (f"{section.name}: {block.title}", f"deel-{section.key}")
            parts.append(form.part(f"{prefix}.intro", _("%(block)s: inleidende zin", block=block.title), "line",
                                   block.intro))
            if block.shape == "paragraph" or block.paragraphs:
                parts.append(form.part(f"{prefix}.paragraphs", _("%(block)s: alinea's", block=block.title), "lines",
                                       list(block.paragraphs), hint=_("Eén alinea per regel."), rows=4))
            if block.shape in ("bullets", "paragraph") or block.bullets:
                parts.append(form.part(f"{prefix}.bullets", _("%(block)s: punten", block=block.title), "lines",
                                       list(block.bullets), hint=per_line, rows=6))
            if block.shape == "per_table":
                parts.append(form.part(f"{prefix}.show", _("Toon de losse tafeladviezen"), "bool", True))
            for group in block.groups:
                parts.append(form.part(f"{prefix}.group.{group.key}", f"{block.title}: {group.title}", "lines",
                                       list(group.bullets), hint=per_line, rows=4))
        form.groups.append(PartGroup(f"deel-{section.key}", section.name, tuple(parts), note=_(
            "Punten die hetzelfde zeggen zijn samengevoegd, met hoe vaak ze genoemd zijn. Keur ze goed, "
            "herformuleer, splits of laat weg op het scherm Verdichten; hier pas je de tekst zelf aan.")))
    form.groups.append(PartGroup("deel-rode-draad", _("Rode draad"), (
        form.part("rode_draad.paragraph", _("De rode draad in een alinea"), "text",
                  rode_draad.paragraph if rode_draad else "", rows=4),
        form.part("rode_draad.questions", _("Open vragen (hoogstens 3)"), "lines",
                  list(rode_draad.questions) if rode_draad else [], hint=_("Eén vraag per regel."), rows=3),
    ), note=_("De thema's zelf pas je aan op het bord met rode draden.")))
    form.groups.append(PartGroup("deel-wrap-up", _("Wrap-up"), (
        form.part("wrap_up_intro", _("Inleidende zin"), "text", draft.wrap_up_intro, rows=2),
        form.part("wrap_up", _("Eén regel per programma-onderdeel"), "lines", list(draft.wrap_up),
                  hint=_("Bijvoorbeeld: Pitch jongerenwerk – samen optrekken met ouders werkt."), rows=4),
    )))
    form.groups.append(PartGroup("deel-afsluiting", _("Afsluiting"), (
        form.part("closing", _("Afsluiting"), "text", draft.closing, rows=3,
                  hint=suggestion if "closing" not in edits else ""),
        form.part("call", _("Oproep"), "text", draft.call, rows=2,
                  hint=suggestion if "call" not in edits else ""),
        form.part("save_the_date", _("Save the date"), "save_the_date", {}),
        form.part("organisers_title", _("Kop boven de organisatoren"), "line", draft.organisers_title),
        form.part("appendix", _("Voeg alle bijdragen toe als bijlage"), "bool", False,
                  hint=_("Ruwe bijdragen, zonder namen. Controleer ze eerst op persoonsgegevens.")),
    )))
    for i in range(len(edits.get("programme", []))):
        form.where[f"programme[{i}]"] = (_("Programma, onderdeel %(n)s", n=i + 1), "part-programme")
    form.where["rode_draad.themes"] = (_("Rode draad: thema's (aan te passen op het bord)"), "deel-rode-draad")
    form.where["appendix"] = (_("Bijlage met alle bijdragen"), "part-appendix")
    form.where["terugblik"] = (_("Terugblik op de vorige bijeenkomst"), "deel-titel")
    return form


def part_values(draft: Report, edits: Mapping[str, Any], keys: list[str]) -> dict[str, Any]:
    """Return what the form shows now for some edit keys (after a save or a reset)."""
    parts = {part.key: part for group in verslag_form(draft, edits).groups for part in group.parts}
    return {key: parts[key].value for key in keys if key in parts}


# -- the privacy check ------------------------------------------------------------------------------


def findings_view(report: Report, form: _Form, fictional: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Return the privacy findings with a label for their kind and for where they are, a link target, and how
    often the same text was found in the same place; first names marked as fictional here are left out."""
    found: list[dict[str, Any]] = []
    for finding in services.privacy_findings(report, fictional=fictional):
        place = finding["where"]
        label, target = form.where.get(place) or (place, "")
        if place.startswith("block.") and place.count(".") == 1:
            # A block's intro, paragraphs and bullets share one "where": point at the part that holds the text.
            holders = [f"{place}.{part}" for part in ("paragraphs", "bullets", "intro") if f"{place}.{part}" in
                       form.texts]
            holder = next((key for key in holders if finding["text"] in form.texts[key]), None)
            target = f"part-{holder}" if holder else target
        kind = finding["kind"]
        same = next((f for f in found if (f["kind"], f["text"], f["where"]) == (kind, finding["text"], place)), None)
        if same is not None:  # "Finn" three times in the case text: one line, counted
            same["count"] += 1
            continue
        found.append({
            "kind": kind,
            "kind_label": _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind,
            "text": finding["text"],
            "where": place,
            "where_label": label,
            "target": target,
            "count": 1,
        })
    return found


# -- mail -------------------------------------------------------------------------------------------


def mail_settings() -> tuple[mail.MailSettings | None, str]:
    """Return the mail settings (None when mailing is off) and, when a setting is wrong, what is wrong.

    Read on every request from Instellingen → E-mail (settings.py), so a change there needs no restart.
    """
    return effective_mail_settings()


def _reason_message(reason: str) -> str:
    return error_message(MailFailed(reason=reason))


def recipients_view(session_id: str) -> list[dict[str, str]]:
    """Return who gets the verslag and how far that got, as the page lists them."""
    deps = _deps()
    rows = []
    for recipient in services.recipients(deps.repo, deps.series, session_id):
        if recipient.sent:
            status, label = "sent", _("verstuurd")
        elif recipient.failed_reason:
            status = "failed"
            label = _("mislukt: %(reason)s", reason=_reason_message(recipient.failed_reason))
        else:
            status, label = "waiting", _("nog niet")
        rows.append({
            "address": recipient.address,
            "source": _("organisator") if recipient.source == "organiser" else _("deelnemer"),
            "status": status,
            "status_label": label,
        })
    return rows


def log_view(session_id: str) -> list[dict[str, str]]:
    """Return the send log, newest first: who, when, what, how it went; never the content."""
    rows = []
    for entry in reversed(_deps().repo.list_mail_log(session_id)):
        when = format_datetime(dt.datetime.fromtimestamp(entry.at), "d MMM HH:mm", rebase=False)
        rows.append({
            "when": str(when),
            "recipient": entry.recipient,
            "kind": _("testmail") if entry.kind == "test" else _("verslag"),
            "status": entry.status,
            "status_label": _("verstuurd") if entry.status == "sent" else _("mislukt"),
            "reason": _reason_message(entry.reason) if entry.reason else "",
        })
    return rows


# -- the page ---------------------------------------------------------------------------------------


@bp.get("/s/<session_id>/verslag")
def page(session_id: str) -> str:
    """The verslag: the edit form, the privacy check, the preview, exports, mail, export and delete."""
    return render_page(load_verslag(session_id))


def render_page(verslag: Verslag, **extra: Any) -> str:
    """Render the verslag page; `extra` carries a form's error (the delete confirmation)."""
    form = verslag_form(verslag.draft(), verslag.edits)
    settings, settings_problem = mail_settings()
    session = verslag.session
    deps = _deps()
    return render_template(
        "host/verslag.html",
        session=session,
        groups=form.groups,
        preview=preview_fragment(verslag.report, session.fictional_names),
        findings=findings_view(verslag.report, form, session.fictional_names),
        fictional=list(session.fictional_names),
        downloads=[(fmt, exports.filename(session, exports.FORMATS[fmt])) for fmt in DOWNLOADS],
        mail=settings.describe() if settings else None,
        mail_problem=settings_problem,
        recipients=recipients_view(session.id),
        log=log_view(session.id),
        retention=services.retention_of(deps.repo, deps.notices, [session])[session.id],
        recap=recap_view(session),
        extension_days=services.EXTENSION_DAYS,
        mail_settings_url=url_for("host.settings.mail_page", terug=url_for("verslag.page", session_id=session.id)),
        cover_note_limit=mail.MAX_COVER_NOTE_LENGTH,
        **extra,
    )


def recap_view(session: WorkshopSession) -> dict[str, Any] | None:
    """Return what the series' terugblik would keep of this bijeenkomst, and what stays out and why."""
    if not session.series_id:
        return None
    names, left_out = services.recap_theme_names(_deps().repo, session)
    reasons = []
    for name, why in left_out:
        if why == services.NOT_ACCEPTED:
            reasons.append({"name": name, "why": _("niet goedgekeurd op het bord")})
        else:
            kinds = ", ".join(_(KIND_LABELS[k]) for k in why.split(",") if k in KIND_LABELS)
            reasons.append({"name": name, "why": _("lijkt persoonsgegevens te bevatten: %(kinds)s", kinds=kinds)})
    afspraken = services.afspraken_of(_deps().repo, session, _deps().registry)
    return {"names": list(names), "left_out": reasons, "afspraken": afspraken}


@bp.get("/s/<session_id>/verslag/preview")
def preview(session_id: str) -> Response:
    """The preview alone: the verslag's <article> with likely personal data marked, for the page to swap in."""
    verslag = load_verslag(session_id)
    fragment = preview_fragment(verslag.report, verslag.session.fictional_names)
    return Response(str(fragment), mimetype="text/html")


@bp.get("/s/<session_id>/verslag/privacy")
def privacy(session_id: str) -> ResponseReturnValue:
    """The privacy check alone, as JSON: kind, text and where of every likely piece of personal data."""
    verslag = load_verslag(session_id)
    form = verslag_form(verslag.draft(), verslag.edits)
    return jsonify(ok=True, findings=findings_view(verslag.report, form, verslag.session.fictional_names),
                   fictional=list(verslag.session.fictional_names))


@bp.post("/s/<session_id>/verslag/fictief")
def mark_fictional(session_id: str) -> ResponseReturnValue:
    """Mark a flagged first name as fictional in this bijeenkomst ({name, fictional: true|false}); return the
    privacy check as it is now."""
    session_or_404(session_id)
    data = _json_object()
    try:
        services.mark_fictional_name(_deps().repo, session_id, data.get("name"), data.get("fictional", True))
    except FacilitatorError as exc:
        return _failure(exc, _("Dit kan niet als fictieve naam worden gemarkeerd."))
    return privacy(session_id)


def _json_object() -> dict[str, Any]:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def _failure(exc: FacilitatorError, message: str, status: int = 400, **extra: Any) -> tuple[Response, int]:
    error = {"code": exc.code, "message": message}
    for name in ("field", "reason"):
        if exc.params.get(name):
            error[name] = str(exc.params[name])
    return jsonify(ok=False, error=error, **extra), status


_AT_MOST = re.compile(r"at most (\d+)")


def edit_problem(exc: FacilitatorError) -> str:
    """Return a plain Dutch sentence for an edit the verslag does not accept."""
    detail = exc.detail
    limit = exc.params.get("limit") or (match.group(1) if (match := _AT_MOST.search(detail)) else "")
    if str(exc.params.get("field", "")) == "rode_draad.questions" and "lines" in detail:
        return _("Schrijf hoogstens %(n)s open vragen, één per regel.", n=limit)
    if "lines" in detail:
        return _("Dit zijn te veel regels (hoogstens %(n)s).", n=limit)
    if "characters" in detail:
        return _("Deze tekst is te lang (hoogstens %(n)s tekens per regel of alinea).", n=limit)
    if "https://" in detail:
        return _("Een link begint met https:// of mailto:.")
    if "not a part of the verslag" in detail:
        return _("Dit deel van het verslag bestaat niet (meer). Ververs de pagina.")
    return _("Dit klopt nog niet. Ververs de pagina en probeer het opnieuw.")


@bp.post("/s/<session_id>/verslag/edits")
def save_edits(session_id: str) -> ResponseReturnValue:
    """Store changed parts ({changes: {key: value or null}}); null returns a part to the draft."""
    session_or_404(session_id)
    changes = _json_object().get("changes")
    try:
        edits = services.edit_verslag(_deps().repo, session_id, changes)
    except FacilitatorError as exc:
        return _failure(exc, edit_problem(exc))
    verslag = load_verslag(session_id)
    keys = list(changes) if isinstance(changes, dict) else []
    return jsonify(ok=True, edits=edits, values=part_values(verslag.draft(), edits, keys))


# -- exports ----------------------------------------------------------------------------------------


def _download(data: bytes, export: exports.ExportFormat, name: str) -> Response:
    # The name is ASCII from exports.filename, so it needs no RFC 5987 encoding.
    return Response(data, mimetype=export.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
    })


def _export_failed(session: WorkshopSession, exc: FacilitatorError) -> ResponseReturnValue:
    message = error_message(exc)
    if request.accept_mimetypes.best == "application/json":
        return _failure(exc, message, 503)
    return render_template("host/verslag_failed.html", session=session, message=message), 503


def _csv_table(session_id: str) -> tuple[list[str], list[list[str]]]:
    deps = _deps()
    return services.csv_rows(deps.repo, deps.registry, session_id, translator=BabelTranslator())


@bp.get("/s/<session_id>/verslag.<fmt>")
def download(session_id: str, fmt: str) -> ResponseReturnValue:
    """The verslag as a file (docx, pdf, html, md) or the raw contributions (csv), as a download."""
    if fmt not in exports.FORMATS:
        abort(404)
    export = exports.FORMATS[fmt]
    verslag = load_verslag(session_id)
    csv_table = _csv_table(session_id) if fmt == "csv" else ((), ())
    deps = _deps()
    try:
        data = deps.offload(exports.render, verslag.report, export, csv_table=csv_table, lang=_locale(),
                            chromium=str(current_app.config["CHROMIUM"]))
    except PdfFailed as exc:  # no Chromium, or it failed: say so plainly, and offer Word and HTML
        return _export_failed(verslag.session, exc)
    if fmt != "csv":  # the verslag went out: the next bijeenkomst of the series gets its terugblik
        services.record_recap(deps.repo, deps.series, verslag.session, verslag.report, registry=deps.registry)
    return _download(data, export, exports.filename(verslag.session, export))


def _render_all(
    report: Report, csv_table: tuple[Sequence[str], Sequence[Sequence[str]]], lang: str, chromium: str
) -> tuple[dict[str, bytes], PdfFailed | None]:
    """Render every format of the zip; the pdf's failure (no browser on this laptop) is returned, not raised."""
    files: dict[str, bytes] = {}
    problem: PdfFailed | None = None
    for fmt in ZIP_FORMATS:
        try:
            files[fmt] = exports.render(report, exports.FORMATS[fmt], csv_table=csv_table, lang=lang,
                                        chromium=chromium)
        except PdfFailed as exc:
            problem = exc
    return files, problem


def _zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def pdf_missing_note(problem: PdfFailed) -> bytes:
    """Return the note that stands in the zip instead of the pdf: why it is missing and what to do."""
    text = "\n\n".join((
        error_message(problem),
        _("De rest van het verslag staat wel in deze zip. Een pdf maak je ook zelf: open het Word-bestand in Word, "
          "kies ‘Opslaan als’ en kies dan PDF als bestandstype."),
    ))
    # With a byte order mark, so that also an old Notepad shows the quotes and accents right.
    return (text + "\n").encode("utf-8-sig")


@bp.get("/s/<session_id>/verslag/alles.zip")
def download_all(session_id: str) -> ResponseReturnValue:
    """Everything to keep before deleting, in one zip: the verslag as Word, pdf, HTML and Markdown, and the CSV.

    Without a browser to print the pdf, a short note in its place says why and how to make one from Word.
    """
    verslag = load_verslag(session_id)
    deps = _deps()
    files, problem = deps.offload(_render_all, verslag.report, _csv_table(session_id), _locale(),
                                  str(current_app.config["CHROMIUM"]))
    entries = [(exports.filename(verslag.session, exports.FORMATS[fmt]), data) for fmt, data in files.items()]
    if problem is not None:
        entries.append((_("pdf-ontbreekt.txt"), pdf_missing_note(problem)))
    data = deps.offload(_zip_bytes, entries)
    services.record_recap(deps.repo, deps.series, verslag.session, verslag.report, registry=deps.registry)
    return _download(data, ZIP, exports.filename(verslag.session, ZIP))


# -- mail -------------------------------------------------------------------------------------------


def _not_configured(problem: str) -> tuple[Response, int]:
    return _failure(MailNotConfigured(), problem or error_message(MailNotConfigured()))


@bp.post("/s/<session_id>/verslag/testmail")
def test_mail(session_id: str) -> ResponseReturnValue:
    """Send a short test message to the address typed in the mail panel, and note it in the send log."""
    session = session_or_404(session_id)
    settings, problem = mail_settings()
    if settings is None:
        return _not_configured(problem)
    address = str(_json_object().get("to", "")).strip()
    if not mail.is_valid_address(address):
        return _failure(InvalidInput("to: not an address", field="to"), _("Dit e-mailadres klopt niet."))
    title = one_line(session.title)
    text = _("Dit is een testmail van Rode Draad. Komt hij aan, dan kan het verslag van ‘%(title)s’ ook per "
             "e-mail verstuurd worden.", title=title)
    html = f"<!doctype html>\n<html><body><p>{escape(text)}</p></body></html>\n"
    try:
        message = mail.build_message(sender=settings.sender, sender_name=settings.sender_name, recipient=address,
                                     subject=_("Testmail van Rode Draad"), html=html, text=text)
        mail.send_message(settings, message)
    except MailFailed as exc:
        reason = str(exc.params.get("reason", "server"))
        services.log_test_mail(_deps().repo, session_id, address, reason)
        return _failure(exc, error_message(exc), 502, log=log_view(session_id))
    services.log_test_mail(_deps().repo, session_id, address)
    return jsonify(ok=True, to=address, log=log_view(session_id))


@bp.post("/s/<session_id>/verslag/send")
def send(session_id: str) -> ResponseReturnValue:
    """Send the verslag to everyone who has not had it yet ({confirm_privacy: true} once findings are checked)."""
    verslag = load_verslag(session_id)
    settings, problem = mail_settings()
    if settings is None:
        return _not_configured(problem)
    cover_note = _json_object().get("cover_note") or ""
    if not isinstance(cover_note, str) or len(cover_note) > mail.MAX_COVER_NOTE_LENGTH:
        return _failure(InvalidInput("cover_note: too long", field="cover_note"),
                        _("De begeleidende tekst is te lang (hoogstens %(n)s tekens).", n=mail.MAX_COVER_NOTE_LENGTH))
    findings = services.privacy_findings(verslag.report, fictional=verslag.session.fictional_names)
    if findings and _json_object().get("confirm_privacy") is not True:
        # The emailed verslag is a publication: likely personal data goes out only after a deliberate yes.
        return jsonify(ok=False, findings=len(findings), error={
            "code": "confirm_privacy",
            "field": "confirm_privacy",
            "message": _("Controleer eerst de gemarkeerde gegevens in het voorbeeld. Mogen ze erin blijven? Vink "
                         "dat dan aan en verstuur opnieuw."),
        }), 400
    deps = _deps()
    report, session, lang = verslag.report, verslag.session, _locale()
    subject = _("Verslag: %(title)s", title=one_line(report.title))
    built: dict[str, Any] = {}

    def deliver(address: str) -> None:
        if not built:  # once per round, and only when someone still needs it
            docx = exports.FORMATS["docx"]
            built["attachment"] = mail.Attachment(filename=exports.filename(session, docx),
                                                  content=deps.offload(exports.render, report, docx, lang=lang),
                                                  mimetype=docx.mimetype)
            # The facilitator's cover note, when there is one, opens the mail above the verslag itself.
            built["text"], built["html"] = mail.with_cover_note(
                render_markdown(report), render_html(report, lang=lang, for_email=True), cover_note)
        message = mail.build_message(sender=settings.sender, sender_name=settings.sender_name, recipient=address,
                                     subject=subject, html=built["html"], text=built["text"],
                                     attachments=[built["attachment"]])
        mail.send_message(settings, message)

    result = services.send_verslag(deps.repo, deps.series, session_id, deliver)
    if result.sent:
        services.record_recap(deps.repo, deps.series, session, report, registry=deps.registry)
    return jsonify(
        ok=True,
        sent=list(result.sent),
        failed=[{"address": address, "reason": reason, "message": _reason_message(reason)}
                for address, reason in result.failed],
        skipped=list(result.skipped),
        recipients=recipients_view(session_id),
        log=log_view(session_id),
    )


# -- export and delete ------------------------------------------------------------------------------


@bp.post("/s/<session_id>/verwijderen")
def delete(session_id: str) -> ResponseReturnValue:
    """Delete the bijeenkomst for real once its join code is typed ({confirm: code}); back to the dashboard.

    Its recap leaves the series too, unless the facilitator ticked keep_recap (then: accepted theme names only).
    """
    session = session_or_404(session_id)
    data = _json_object() if request.is_json else request.form
    typed = services.normalise_join_code(str(data.get("confirm", "") or ""))
    if typed != session.join_code:
        message = _("Die code klopt niet. Typ de code van deze bijeenkomst om het verwijderen te bevestigen.")
        if request.is_json:
            return _failure(InvalidInput("confirm: not the join code", field="confirm"), message)
        return render_page(load_verslag(session_id), delete_error=message), 400
    deps = _deps()
    keep_recap = data.get("keep_recap") in ("1", True)
    deps.publish(services.delete_session(deps.repo, deps.series, session_id, keep_recap=keep_recap,
                                         notices=deps.notices, registry=deps.registry))
    target = url_for("host.dashboard", verwijderd=1)
    if request.is_json:
        return jsonify(ok=True, redirect=target)
    return redirect(target, code=303)
