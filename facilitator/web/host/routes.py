"""Host pages: sign-in with the facilitator's link, the dashboard, the regie, the QR code.

Preparing a bijeenkomst (agenda, tables, library, import and export) lives in prepare.py, a blueprint that
app.py nests in this one, so the facilitator check below covers its pages too. What both need lives in
pages.py, so neither imports the other.
"""

from __future__ import annotations

import logging
import platform
import sys
from collections.abc import Mapping
from typing import Any, TypedDict

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _

from facilitator import platforms
from facilitator.core import services
from facilitator.core.domain import (
    ACTION_LEVELS,
    AFSPRAAK_STATUSES,
    DEFAULT_PERSPECTIVES,
    FacilitatorError,
    NotFound,
    Perspective,
    StorageFailed,
    WorkshopSession,
)
from facilitator.web.current import deps as _deps
from facilitator.web.guards.origin import same_origin
from facilitator.web.host.auth import HOST_COOKIE, is_facilitator
from facilitator.web.host.pages import (
    join_url,
    participant_base,
    past_date_notice,
    port_in_use,
    qr_code_svg,
    render_dashboard,
    session_or_404,
)
from facilitator.web.languages import speak_as_the_bijeenkomst_in_the_url
from facilitator.web.messages import error_message
from facilitator.web.network import accepts_connections
from facilitator.web.posted import posted_fields

bp = Blueprint("host", __name__, url_prefix="/host")
log = logging.getLogger(__name__)


@bp.before_request
def _only_the_facilitator() -> ResponseReturnValue | None:
    if request.endpoint == "host.login":
        return None
    if not is_facilitator():
        log.warning("%s refused: not the facilitator", request.endpoint)  # the route's name only: no address, no key
        return render_template("host/forbidden.html"), 403
    # Every host POST, also one added later that forgets to ask: from our own pages (or a script) only.
    if request.method == "POST" and not same_origin():
        abort(403)
    speak_as_the_bijeenkomst_in_the_url()  # the room's pages speak its language, unless the facilitator chose one
    return None


@bp.get("/login")
def login() -> ResponseReturnValue:
    """Trade the key from the printed link for an HttpOnly cookie, then drop it from the address bar."""
    key = request.args.get("key", "")
    if not key or not services.tokens_match(key, _deps().facilitator_key_hash):
        log.warning("host.login refused: wrong key")
        return render_template("host/forbidden.html"), 403
    response = redirect(url_for("host.dashboard"), code=303)
    response.set_cookie(
        HOST_COOKIE,
        key,
        httponly=True,
        samesite="Strict",
        secure=current_app.config["SECURE_COOKIES"],
        max_age=30 * 24 * 3600,
    )
    return response


@bp.get("/")
def dashboard() -> str:
    """List the bijeenkomsten and offer a form for a new one, a copy, or one from an agenda file."""
    return render_dashboard()


@bp.post("/s/<session_id>/bewaren")
def keep_session(session_id: str) -> ResponseReturnValue:
    """Keep a bijeenkomst longer: its retention period grows and an announced deletion is withdrawn."""
    session_or_404(session_id)
    deps = _deps()
    _session, events = services.keep_longer(deps.repo, deps.notices, session_id)
    deps.publish(events)
    return redirect(url_for("host.dashboard", bewaard=session_id, _anchor=f"s-{session_id}"), code=303)


@bp.post("/s/<session_id>/verwijderen-akkoord")
def confirm_deletion(session_id: str) -> ResponseReturnValue:
    """Agree that an announced bijeenkomst goes at the next start, with or without its recap in the series."""
    session_or_404(session_id)
    try:
        services.confirm_deletion(_deps().notices, session_id, keep_recap=request.form.get("keep_recap") == "1")
    except FacilitatorError:
        abort(404)
    return redirect(url_for("host.dashboard", akkoord=session_id, _anchor=f"s-{session_id}"), code=303)


class NewSessionForm(TypedDict):
    """The dashboard's "Nieuwe bijeenkomst" form (or its JSON), as text; a field left out or null is ""."""

    title: str
    date: str
    series: str
    motto: str
    organisers: str
    prompt: str
    language: str


def _new_session_form(data: Mapping[str, object]) -> NewSessionForm:
    def text(name: str) -> str:
        value = data.get(name)
        return "" if value is None else str(value)  # str(None) would name a bijeenkomst "None"

    return NewSessionForm(title=text("title"), date=text("date"), series=text("series"), motto=text("motto"),
                          organisers=text("organisers"), prompt=text("prompt"), language=text("language"))


@bp.post("/sessions")
def create_session() -> ResponseReturnValue:
    """Create a bijeenkomst from the form (or JSON) and open it in Voorbereiden."""
    if not same_origin():
        abort(403)
    form = _new_session_form(posted_fields())
    deps = _deps()
    try:
        session = services.create_session(
            deps.repo,
            deps.registry,
            title=form["title"],
            date=form["date"],
            series=form["series"],
            motto=form["motto"],
            organisers=form["organisers"],
            prompt=form["prompt"],
            retention_days=int(current_app.config["RETENTION_DAYS"]),
            language=form["language"] or "nl",
        )
    except FacilitatorError as exc:
        if request.is_json:
            return jsonify(ok=False, error={"code": exc.code, "message": error_message(exc)}), 400
        return render_dashboard(error=error_message(exc), form=form), 400
    past = services.is_past(session.date)
    if request.is_json:
        return jsonify(
            ok=True,
            id=session.id,
            join_code=session.join_code,
            join_url=join_url(session.join_code),
            host_url=url_for("host.session_view", session_id=session.id, _external=True),
            **({"notice": past_date_notice(session)} if past else {}),
        ), 201
    # A new bijeenkomst opens in Voorbereiden (the agenda, timers, tables), not live in front of the room; with a
    # date in the past at its details, where the page says what that means for the retention period.
    anchor = "gegevens" if past else None
    return redirect(url_for("host.prepare.prepare_page", session_id=session.id, _anchor=anchor), code=303)


@bp.get("/s/<session_id>")
def session_view(session_id: str) -> str:
    """The projector view: QR code, join URL and code, joined phones, the question, the live wall."""
    session = session_or_404(session_id)
    via = request.args.get("via")
    base, addresses = participant_base(via)
    fixed = bool(current_app.config["PUBLIC_URL"])
    return render_template(
        "host/session.html",
        session=session,
        join_url=f"{base}/j/{session.join_code}",
        addresses=addresses if not fixed else [],
        via=via,
        # The address the QR code uses, for the address watch ("" when PUBLIC_URL fixes it).
        qr_address="" if fixed else (via if via in addresses else addresses[0]),
        # The QR code follows the default route unless the facilitator picked an address.
        qr_follows_default=via not in addresses,
        reach={
            "check_seconds": current_app.config["ADDRESS_CHECK_SECONDS"],
            "probe_wait_seconds": current_app.config["PROBE_WAIT_SECONDS"],
        },
        strings={**host_strings(), **perspective_strings(session, short=False)},
        # The previous bijeenkomst of the series does not change during the afternoon: rendered once.
        terugblik=services.terugblik_view(services.previous_in_series(
            _deps().repo, _deps().series, session, locale=str(get_locale()), registry=_deps().registry)),
        terugblik_labels=terugblik_labels(),
        firewall_advice=firewall_advice(),
    )


def firewall_advice() -> str:
    """Return what the connection test says about this laptop's firewall, for its system and program."""
    system = current_app.config["PLATFORM"] or platform.system()
    program = platforms.program_name(system, sys.executable, bool(getattr(sys, "frozen", False)))
    return _(platforms.firewall_advice(system), program=program, port=request.environ.get("SERVER_PORT") or "5000")


@bp.post("/s/<session_id>/terugblik/afspraken/<afspraak_id>")
def change_afspraak(session_id: str, afspraak_id: str) -> ResponseReturnValue:
    """Note what became of an afspraak of the previous bijeenkomst: its status and a short note.

    Answered only once the series is stored; two changes at once both stay (the use case runs again on the newer
    version of the series).
    """
    session_or_404(session_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        data = {}
    deps = _deps()
    try:
        afspraak = services.set_afspraak_status(deps.repo, deps.series, session_id, afspraak_id,
                                                status=data.get("status"), note=data.get("note", ""),
                                                registry=deps.registry)
    except FacilitatorError as exc:
        status = 404 if isinstance(exc, NotFound) else 503 if isinstance(exc, StorageFailed) else 400
        error = {"code": exc.code, "message": error_message(exc)}
        if exc.params.get("field"):
            error["field"] = str(exc.params["field"])
        return jsonify(ok=False, error=error), status
    return jsonify(ok=True, afspraak={"id": afspraak.id, "status": afspraak.status, "note": afspraak.note})


def terugblik_labels() -> dict[str, dict[str, str]]:
    """Return the words of the afspraken in the terugblik: the levels and the statuses, translated."""
    return {"levels": {i: _(label) for i, label in ACTION_LEVELS},
            "statuses": {i: _(label) for i, label in AFSPRAAK_STATUSES}}


@bp.get("/s/<session_id>/beamer")
def beamer_view(session_id: str) -> str:
    """The beamer: the room's screen, opened from the regie in a window of its own (full screen on the projector).

    It shows only what the room may see, sent over a Socket.IO room of its own (role "beamer", see
    services/beamer.py); it has no buttons or inputs. The facilitator's cookie opens it, like the regie.
    """
    session = session_or_404(session_id)
    via = request.args.get("via")
    base, addresses = participant_base(via)
    return render_template(
        "host/beamer.html",
        session=session,
        join_url=f"{base}/j/{session.join_code}",
        qr_url=url_for("host.qr_svg", session_id=session.id, via=via if via in addresses else None),
        strings={**beamer_strings(), **perspective_strings(session, short=True)},
    )


def beamer_strings() -> dict[str, str]:
    """Return the words beamer.js shows, translated."""
    return {
        "table": _("Tafel %(n)s"),
        "no_table": _("Zonder tafel"),
        "concealed_one": _("antwoord binnen"),
        "concealed_many": _("antwoorden binnen"),
        "concealed_hint": _("De antwoorden verschijnen als de gespreksleider ze onthult."),
        "empty": _("Nog geen bijdragen. Scan de QR-code en doe mee."),
        "more_one": _("+ nog 1 bijdrage"),
        "more_many": _("+ nog %(n)s bijdragen"),
        "no_bucket": _("Nog zonder buffer"),
        "unsorted": _("Nog niet ingedeeld"),
        "rode_draad": _("De rode draad"),
        "starred_title": _("Wat de inbrenger raakte"),
        "reactions_title": _("Reactie van de inbrenger"),
        "advice_title": _("Adviezen per tafel"),
        "rode_draad_title": _("Rode draden uit de zaal"),
        "function": _("vanuit: %(function)s"),
        "dots_one": _("1 stip"),
        "dots_many": _("%(n)s stippen"),
        "no_targets": _("Nog niets om op te stemmen."),
        "nothing_yet": _("Nog niets ingediend."),
        "join": _("Doe mee: scan de code"),
        "code": _("Code"),
        "session_ended": _("Deze bijeenkomst is afgelopen."),
        **display_strings(),
    }


def display_strings() -> dict[str, str]:
    """Return the words of a composed werkvorm's displays (grid, scale, ranking, afspraken), translated."""
    return {
        "no_cell": _("Nog zonder vak"),
        "explanations": _("Toelichtingen"),
        "remarks": _("Opmerkingen"),
        "chosen_one": _("1 keer gekozen"),
        "chosen_many": _("%(n)s keer gekozen"),
        "points_one": _("1 punt"),
        "points_many": _("%(n)s punten"),
        "borda": _("Punten: bij %(n)s opties krijgt een eerste plaats %(most)s punten, een laatste 0 "
                   "(%(answers)s rangordes)."),
        "action_what": _("Wat"),
        "action_who": _("Wie"),
        "action_level": _("Niveau"),
        "action_when": _("Wanneer"),
    }


@bp.post("/s/<session_id>/agenda/<item_id>/notities")
def save_item_notes(session_id: str, item_id: str) -> ResponseReturnValue:
    """Autosave the facilitator's notes for an agenda item (JSON {notes}); only the regie ever shows them."""
    session_or_404(session_id)
    data = request.get_json(silent=True)
    try:
        item = services.set_item_notes(_deps().repo, session_id, item_id,
                                       data.get("notes") if isinstance(data, dict) else None)
    except FacilitatorError as error:
        return jsonify(ok=False, error={"code": error.code, "message": error_message(error)}), 400
    return jsonify(ok=True, notes=item.notes)


@bp.post("/s/<session_id>/remote-token")
def remote_token(session_id: str) -> ResponseReturnValue:
    """Make a new phone remote token (the previous one, and every remote connected with it, stops at once);
    answer with its address and QR code, which only this regie ever shows (JSON {via?})."""
    session = session_or_404(session_id)
    token, _session = services.new_remote_token(_deps().repo, session.id)
    _deps().realtime.drop_remotes(session.id)
    data = request.get_json(silent=True)
    via = data.get("via") if isinstance(data, dict) and isinstance(data.get("via"), str) else None
    base, addresses = participant_base(via)
    return jsonify(
        ok=True,
        url=f"{base}/r/{session.id}/{token}",
        qr=url_for("host.remote_qr", session_id=session.id, token=token, via=via if via in addresses else None),
    ), 201


@bp.get("/s/<session_id>/remote-token/qr.svg")
def remote_qr(session_id: str) -> Response:
    """The remote's QR code as SVG, only for the bijeenkomst's current remote token (?token=)."""
    session = session_or_404(session_id)
    token = request.args.get("token", "")
    if not services.remote_token_valid(session, token):
        abort(404)
    svg = qr_code_svg(f"{participant_base(request.args.get('via'))[0]}/r/{session.id}/{token}")
    return Response(svg, mimetype="image/svg+xml")


@bp.get("/s/<session_id>/network")
def network_status(session_id: str) -> ResponseReturnValue:
    """The laptop's addresses now, for the host view's address watch; ?check=1 also tries each from the laptop.

    The host view asks every ADDRESS_CHECK_SECONDS and warns when the address its QR code uses is gone or the
    default route moved. The check connects to each address and port from the laptop itself: it shows whether
    the server listens there, not whether a firewall or a guest network lets phones in.
    """
    session = session_or_404(session_id)
    deps = _deps()
    # Detection may ask the system resolver for the host name: off the event loop under eventlet.
    addresses = list(deps.offload(deps.addresses)) or ["127.0.0.1"]
    fixed = bool(current_app.config["PUBLIC_URL"])
    choices = []
    for address in addresses:
        base, _all = participant_base(address, addresses)
        choices.append({
            "address": address,
            "join_url": f"{base}/j/{session.join_code}",
            "qr": url_for("host.qr_svg", session_id=session.id, via=address),
        })
    body: dict[str, Any] = {"addresses": addresses, "default": addresses[0], "fixed": fixed, "choices": choices}
    if request.args.get("check") == "1":
        port = port_in_use() or (443 if request.scheme == "https" else 80)
        body["listening"] = {address: accepts_connections(address, port) for address in addresses}
    return jsonify(body)


@bp.post("/s/<session_id>/probes")
def create_probe(session_id: str) -> ResponseReturnValue:
    """Start a reachability test: a QR code for /t/<probe> on the chosen address (JSON {via?})."""
    if not same_origin():
        abort(403)
    session = session_or_404(session_id)
    data = request.get_json(silent=True)
    via = data.get("via") if isinstance(data, dict) and isinstance(data.get("via"), str) else None
    probe = _deps().probes.new(session.id)
    base, addresses = participant_base(via)
    return jsonify(
        ok=True,
        probe=probe.id,
        url=f"{base}/t/{probe.id}",
        qr=url_for("host.probe_qr", session_id=session.id, probe_id=probe.id, via=via if via in addresses else None),
    ), 201


@bp.get("/s/<session_id>/probes/<probe_id>")
def probe_status(session_id: str, probe_id: str) -> ResponseReturnValue:
    """Tell whether a phone opened a test's page yet, and through which address ("" when not)."""
    probe = _deps().probes.get(probe_id)
    if probe is None or probe.session_id != session_id:
        abort(404)
    return jsonify(probe=probe.id, reached_via=probe.reached_via)


@bp.get("/s/<session_id>/probes/<probe_id>/qr.svg")
def probe_qr(session_id: str, probe_id: str) -> Response:
    """The test QR code as SVG: /t/<probe> on the address ?via= names (or the default one)."""
    probe = _deps().probes.get(probe_id)
    if probe is None or probe.session_id != session_id:
        abort(404)
    svg = qr_code_svg(f"{participant_base(request.args.get('via'))[0]}/t/{probe.id}")
    return Response(svg, mimetype="image/svg+xml")


@bp.get("/s/<session_id>/qr.svg")
def qr_svg(session_id: str) -> Response:
    """The join QR code as SVG (no Pillow needed)."""
    session = session_or_404(session_id)
    return Response(qr_code_svg(join_url(session.join_code, request.args.get("via"))), mimetype="image/svg+xml")


def host_strings() -> dict[str, str]:
    """Return the words host.js shows, translated."""
    return {
        "connected": _("verbonden"),
        "reconnecting": _("opnieuw verbinden…"),
        "hide": _("Verbergen"),
        "show": _("Tonen"),
        "table": _("tafel %(n)s"),
        "empty": _("Nog geen bijdragen. Scan de QR-code en stuur het eerste antwoord."),
        "participants_joined": _("%(n)s aangemeld"),
        "participants_connected": _("%(n)s verbonden"),
        "error": _("Er ging iets mis. Probeer het opnieuw."),
        **display_strings(),
    }


def _plural(singular: str, plural: str, n: int) -> str:
    """Return the translated form for n without filling in its placeholders (host.js fills %(num)s)."""
    return str(get_translations().ungettext(singular, plural, n))


def _default_perspective_words(short: bool) -> dict[str, tuple[str, str, str]]:
    """Return today's five as the screens always named them: (chip, board "1 …", board "2 …"), translated."""
    return {
        # Short on the beamer, as on the board: a card on the wall has little room.
        Perspective.OUDER.value: (_("ouder"), _plural("%(num)s ouder", "%(num)s ouders", 1),
                                  _plural("%(num)s ouder", "%(num)s ouders", 2)),
        Perspective.ZORG.value: (_("zorg") if short else _("zorgprofessional"),
                                 _plural("%(num)s zorg", "%(num)s zorg", 1),
                                 _plural("%(num)s zorg", "%(num)s zorg", 2)),
        Perspective.ONDERWIJS.value: (_("onderwijs") if short else _("onderwijsprofessional"),
                                      _plural("%(num)s onderwijs", "%(num)s onderwijs", 1),
                                      _plural("%(num)s onderwijs", "%(num)s onderwijs", 2)),
        Perspective.ERVARINGSDESKUNDIGE.value: (
            _("ervaringsdeskundige"),
            _plural("%(num)s ervaringsdeskundige", "%(num)s ervaringsdeskundigen", 1),
            _plural("%(num)s ervaringsdeskundige", "%(num)s ervaringsdeskundigen", 2)),
        Perspective.ANDERS.value: (_("anders"), _plural("%(num)s anders", "%(num)s anders", 1),
                                   _plural("%(num)s anders", "%(num)s anders", 2)),
    }


def perspective_strings(session: WorkshopSession, *, short: bool) -> dict[str, str]:
    """Return the words for the bijeenkomst's perspectives on a card ("perspective:<id>") and on the board's
    provenance ("provenance:<id>:one" / ":many"), and their order; prefixed so that no id meets another string."""
    defaults, words = {p.id: p for p in DEFAULT_PERSPECTIVES}, _default_perspective_words(short)
    strings = {"perspective_order": ",".join(p.id for p in session.perspectives)}
    for option in session.perspectives:
        if defaults.get(option.id) == option:
            chip, one, many = words[option.id]
        else:
            # The facilitator's own words, in the bijeenkomst's language.
            chip, one, many = option.singular, f"%(num)s {option.singular}", f"%(num)s {option.plural}"
        strings[f"perspective:{option.id}"] = chip
        strings[f"provenance:{option.id}:one"] = one
        strings[f"provenance:{option.id}:many"] = many
    return strings
