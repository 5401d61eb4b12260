"""Phone pages: enter a code, read the privacy notice and join, then answer."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import services
from ..domain import FacilitatorError, Perspective, SessionNotFound, WorkshopSession
from ..messages import error_message
from ..validation import SESSION_ID
from .auth import participant_cookie

bp = Blueprint("participant", __name__)


def _deps() -> Any:
    return current_app.extensions["rode_draad"]


def perspective_choices() -> list[tuple[str, str]]:
    """Return the perspectives a phone may pick, with their labels."""
    return [
        (Perspective.OUDER.value, _("Ouder")),
        (Perspective.ZORG.value, _("Zorgprofessional")),
        (Perspective.ONDERWIJS.value, _("Onderwijsprofessional")),
        (Perspective.ERVARINGSDESKUNDIGE.value, _("Ervaringsdeskundige")),
        (Perspective.ANDERS.value, _("Anders")),
    ]


@bp.get("/")
def landing() -> Any:
    """Ask for the join code (for phones that typed the address instead of scanning)."""
    code = services.normalise_join_code(request.args.get("code", ""))
    if code:
        return redirect(url_for("participant.join_page", code=code), code=303)
    return render_template("participant/landing.html")


def _session_by_code(code: str) -> WorkshopSession | None:
    try:
        return _deps().repo.find_by_join_code(services.normalise_join_code(code))
    except SessionNotFound:
        return None


def _current_participant(session_id: str) -> Any:
    token = request.cookies.get(participant_cookie(session_id))
    try:
        return services.authenticate_participant(_deps().repo, session_id, token)
    except FacilitatorError:
        return None


@bp.get("/j/<code>")
def join_page(code: str) -> Any:
    """Show the privacy notice and the optional table and perspective."""
    session = _session_by_code(code)
    if session is None:
        return render_template("participant/landing.html", unknown_code=code[:12]), 404
    if _current_participant(session.id) is not None:
        return redirect(url_for("participant.answer_page", session_id=session.id), code=303)
    return render_template("participant/join.html", session=session, perspectives=perspective_choices())


@bp.post("/j/<code>")
def join(code: str) -> Any:
    """Register the phone, give it its token cookie, and go to the question."""
    session = _session_by_code(code)
    if session is None:
        if request.is_json:
            error = SessionNotFound()
            return jsonify(ok=False, error={"code": error.code, "message": error_message(error)}), 404
        return render_template("participant/landing.html", unknown_code=code[:12]), 404
    data = (request.get_json(silent=True) or {}) if request.is_json else request.form
    table = _parse_table(data.get("table"))
    perspective = data.get("perspective") or None
    if perspective is not None and perspective not in {p.value for p in Perspective}:
        perspective = None
    try:
        participant, token, events = services.join(
            _deps().repo,
            session.id,
            table=table,
            perspective=Perspective(perspective) if perspective else None,
        )
    except FacilitatorError as exc:
        if request.is_json:
            return jsonify(ok=False, error={"code": exc.code, "message": error_message(exc)}), 400
        return render_template(
            "participant/join.html", session=session, perspectives=perspective_choices(), error=error_message(exc)
        ), 400
    _deps().publish(events)
    if request.is_json:
        response = jsonify(ok=True, session=session.id, token=token)
    else:
        response = redirect(url_for("participant.answer_page", session_id=session.id), code=303)
    response.set_cookie(
        participant_cookie(session.id),
        token,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SECURE_COOKIES"],
        max_age=current_app.config["PARTICIPANT_COOKIE_SECONDS"],
    )
    return response


def _parse_table(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        table = int(value)
    except (TypeError, ValueError):
        return None
    return table if 1 <= table <= services.MAX_TABLE else None


@bp.get("/p/<session_id>")
def answer_page(session_id: str) -> Any:
    """The phone's main page: the current question, a text box, the outbox."""
    if not SESSION_ID.match(session_id):
        abort(404)
    try:
        session = _deps().repo.get_session(session_id)
    except SessionNotFound:
        abort(404)
    if _current_participant(session_id) is None:
        return redirect(url_for("participant.join_page", code=session.join_code), code=303)
    return render_template("participant/answer.html", session=session, strings=phone_strings())


def phone_strings() -> dict[str, Any]:
    """Return the words participant.js shows, translated."""
    return {
        "connected": _("verbonden"),
        "reconnecting": _("opnieuw verbinden…"),
        "queued_one": ngettext("%(num)s in wachtrij", "%(num)s in wachtrij", 1),
        "queued_many": ngettext("%(num)s in wachtrij", "%(num)s in wachtrij", 2),
        "sending": _("wordt verstuurd…"),
        "sent": _("verstuurd"),
        "waiting": _("in wachtrij, wordt verstuurd zodra er verbinding is"),
        "too_long": _("Je tekst is te lang. Het maximum is %(max)s tekens."),
        "closed": _("Op dit moment kun je niets insturen. Wacht op de volgende vraag."),
        "chars_left": _("nog %(n)s tekens"),
        "error": _("Er ging iets mis. Probeer het opnieuw."),
    }
