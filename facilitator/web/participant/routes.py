"""Phone pages: enter a code, read the privacy notice and join, then answer."""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_translations
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from facilitator.core import services
from facilitator.core.domain import (
    DEFAULT_PERSPECTIVES,
    FacilitatorError,
    Participant,
    Perspective,
    SessionNotFound,
    WorkshopSession,
)
from facilitator.core.validation import SESSION_ID
from facilitator.web.current import deps as _deps
from facilitator.web.guards.origin import same_origin
from facilitator.web.guards.throttle import TooManyAttempts, TooManyJoins
from facilitator.web.languages import speak_as
from facilitator.web.messages import error_message
from facilitator.web.participant.auth import address_key, from_the_laptop, participant_cookie
from facilitator.web.posted import posted_fields

bp = Blueprint("participant", __name__)



def _default_choices() -> dict[str, str]:
    return {
        Perspective.OUDER.value: _("Ouder"),
        Perspective.ZORG.value: _("Zorgprofessional"),
        Perspective.ONDERWIJS.value: _("Onderwijsprofessional"),
        Perspective.ERVARINGSDESKUNDIGE.value: _("Ervaringsdeskundige"),
        Perspective.ANDERS.value: _("Anders"),
    }


def perspective_choices(session: WorkshopSession) -> list[tuple[str, str]]:
    """Return the perspectives a phone may pick in this bijeenkomst, in its order, with their labels."""
    defaults, translated = {p.id: p for p in DEFAULT_PERSPECTIVES}, _default_choices()
    # One of today's five as it always was keeps its translated choice; the facilitator's own words stand as written.
    return [(p.id, translated[p.id] if defaults.get(p.id) == p else p.singular[:1].upper() + p.singular[1:])
            for p in session.perspectives]


@bp.get("/")
def landing() -> ResponseReturnValue:
    """Ask for the join code (for phones that typed the address instead of scanning)."""
    code = services.normalise_join_code(request.args.get("code", ""))
    if code:
        return redirect(url_for("participant.join_page", code=code, tafel=_tafel_arg()), code=303)
    return render_template("participant/landing.html")


def _session_by_code(code: str) -> WorkshopSession | None:
    """Return the bijeenkomst a join code opens (and speak its language); a wrong code counts towards the guess
    throttle. Callers ask the throttle first, so the language never tells a refused guesser anything."""
    try:
        session = _deps().repo.find_by_join_code(services.normalise_join_code(code))
    except SessionNotFound:
        _deps().realtime.code_throttle.wrong(address_key())
        return None
    speak_as(session)
    return session


def _too_many_attempts() -> BaseResponse | None:
    """Return a 429 "te veel pogingen" while this address (or everyone) tried too many wrong codes; else None.

    Every lookup is refused meanwhile, the right code too: otherwise the answer would still tell right from wrong.
    """
    wait = _deps().realtime.code_throttle.retry_after(address_key())
    if wait <= 0:
        return None
    error = TooManyAttempts("join: too many wrong codes", retry_after=wait)
    if request.is_json:
        response = jsonify(ok=False, error={"code": error.code, "message": error_message(error)})
    else:
        response = make_response(render_template("participant/landing.html", alert=error_message(error)))
    response.status_code = 429
    response.headers["Retry-After"] = str(math.ceil(wait))
    return response


def _current_participant(session_id: str) -> Participant | None:
    token = request.cookies.get(participant_cookie(session_id))
    try:
        return services.authenticate_participant(
            _deps().repo, session_id, token, rejoin_secret=_deps().realtime.rejoin_secret
        )
    except FacilitatorError:
        return None


@bp.get("/j/<code>")
def join_page(code: str) -> ResponseReturnValue:
    """Show the privacy notice and the optional table and perspective; ?tafel=N (a table's QR code) pre-selects N."""
    refused = _too_many_attempts()
    if refused is not None:
        return refused
    session = _session_by_code(code)
    if session is None:
        return render_template("participant/landing.html", unknown_code=code[:12]), 404
    table = _table_hint(session)
    if _current_participant(session.id) is not None:
        # A phone that already joined and scans a table's QR code moves to that table on the answer page.
        return redirect(url_for("participant.answer_page", session_id=session.id, tafel=table), code=303)
    return render_template(
        "participant/join.html", session=session, perspectives=perspective_choices(session), table=table
    )


@bp.post("/j/<code>")
def join(code: str) -> ResponseReturnValue:
    """Register the phone, give it its token cookie, and go to the question."""
    session = _session_for_posted_code(code)
    if not isinstance(session, WorkshopSession):
        return session  # the refusal
    data = posted_fields()
    table = _parse_table(data.get("table"))
    try:
        # Before the join throttle: a refused choice joins nothing, so it takes nothing from this address's share.
        perspective = services.check_perspective(session, data.get("perspective"))
    except FacilitatorError as exc:
        return _join_refused(session, table, exc)
    refused = _too_many_joins(session, table)
    if refused is not None:
        return refused
    try:
        participant, token, events = services.join(_deps().repo, session.id, table=table, perspective=perspective)
    except FacilitatorError as exc:
        return _join_refused(session, table, exc)
    _deps().publish(events)
    response: BaseResponse  # jsonify's is Flask's subclass, redirect's werkzeug's own
    if request.is_json:
        response = jsonify(ok=True, session=session.id, token=token)
    else:
        response = redirect(url_for("participant.answer_page", session_id=session.id), code=303)
    _set_participant_cookie(response, session.id, token)
    return response


def _join_refused(session: WorkshopSession, table: int | None, exc: FacilitatorError) -> ResponseReturnValue:
    """Return the 400 for a join the core refused: the reason, and the join page again with it."""
    if request.is_json:
        return jsonify(ok=False, error={"code": exc.code, "message": error_message(exc)}), 400
    return render_template(
        "participant/join.html", session=session, perspectives=perspective_choices(session), table=table,
        error=error_message(exc),
    ), 400


@bp.post("/j/<code>/terug")
def rejoin(code: str) -> ResponseReturnValue:
    """Come back as the same phone on another address of the laptop: trade the rejoin code for a cookie here."""
    session = _session_for_posted_code(code)
    if not isinstance(session, WorkshopSession):
        return session  # the refusal
    data = posted_fields()
    secret = _deps().realtime.rejoin_secret
    try:
        participant, token = services.rejoin(_deps().repo, secret, session.id, data.get("herstelcode"))
    except FacilitatorError:
        _deps().realtime.code_throttle.wrong(address_key())  # the same throttle as wrong join codes
        message = _("Deze herstelcode hoort niet bij deze bijeenkomst. Kijk hem nog even na.")
        if request.is_json:
            return jsonify(ok=False, error={"code": "rejoin_code_invalid", "message": message}), 400
        return render_template(
            "participant/join.html", session=session, perspectives=perspective_choices(session), table=None,
            rejoin_error=message,
        ), 400
    response: BaseResponse
    if request.is_json:
        response = jsonify(ok=True, session=session.id, number=participant.number, token=token)
    else:
        response = redirect(url_for("participant.answer_page", session_id=session.id), code=303)
    _set_participant_cookie(response, session.id, token)
    return response


def _session_for_posted_code(code: str) -> WorkshopSession | ResponseReturnValue:
    """Return the bijeenkomst a posted join code names, or else the answer to give (another site's page,
    throttled, unknown)."""
    if not same_origin():
        return _foreign_origin()
    refused = _too_many_attempts()
    if refused is not None:
        return refused
    session = _session_by_code(code)
    if session is None:
        if request.is_json:
            error = SessionNotFound()
            return jsonify(ok=False, error={"code": error.code, "message": error_message(error)}), 404
        return render_template("participant/landing.html", unknown_code=code[:12]), 404
    return session


def _foreign_origin() -> ResponseReturnValue:
    """Return the 403 for a join posted from another site's page (a forged form would join the visitor's phone)."""
    message = _("Aanmelden kan alleen via de pagina van deze bijeenkomst. Scan de QR-code op het scherm.")
    if request.is_json:
        return jsonify(ok=False, error={"code": "foreign_origin", "message": message}), 403
    return render_template("participant/landing.html", alert=message), 403


def _too_many_joins(session: WorkshopSession, table: int | None) -> BaseResponse | None:
    """Count a new join from this address; return a 429 while it joined its handful of phones lately, else None.

    A phone joins once; one address adding phones by the dozen is a script (extra phones, extra dots). The laptop's
    own loopback addresses are not counted.
    """
    if from_the_laptop():
        return None
    wait = _deps().joins.take(address_key())
    if wait <= 0:
        return None
    error = TooManyJoins("join: too many phones from one address", retry_after=wait)
    if request.is_json:
        response = jsonify(ok=False, error={"code": error.code, "message": error_message(error)})
    else:
        response = make_response(render_template(
            "participant/join.html", session=session, perspectives=perspective_choices(session), table=table,
            error=error_message(error),
        ))
    response.status_code = 429
    response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


def _set_participant_cookie(response: BaseResponse, session_id: str, token: str) -> None:
    response.set_cookie(
        participant_cookie(session_id),
        token,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SECURE_COOKIES"],
        max_age=current_app.config["PARTICIPANT_COOKIE_SECONDS"],
    )


#: The longest Host header a reachability test reports back (it is shown on the host view as text).
_VIA_MAX = 100


@bp.get("/t/<probe_id>")
def probe_page(probe_id: str) -> ResponseReturnValue:
    """The host view's test QR code: say "it works" and tell the host screen, through which address.

    Nothing is joined, no cookie is set and nothing is stored but the test's "seen" flag, in memory.
    """
    via = request.host[:_VIA_MAX]
    probe = _deps().probes.reached(probe_id, via) if len(probe_id) <= 32 else None
    if probe is None:
        return render_template("participant/probe.html", known=False), 404
    _deps().realtime.probe_reached(probe.session_id, probe.id, via)
    return render_template("participant/probe.html", known=True)


def _parse_table(value: object) -> int | None:
    """Return the table a form or JSON names (1 to MAX_TABLE), else None; JSON may send it as a number."""
    if value in (None, "") or not isinstance(value, str | int | float):
        return None
    try:
        table = int(value)
    except (TypeError, ValueError):
        return None
    return table if 1 <= table <= services.MAX_TABLE else None


def _tafel_arg() -> int | None:
    """Return the table number in ?tafel= (a table's QR code); anything but 1 to 99 is ignored."""
    value = request.args.get("tafel", "").strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 3):
        return None
    return _parse_table(value)


def _table_hint(session: WorkshopSession) -> int | None:
    """Return the table ?tafel= names, if this room has it (any 1 to 99 while the host named no tables)."""
    table = _tafel_arg()
    if table is not None and session.tables and session.table(table) is None:
        return None
    return table


@bp.get("/p/<session_id>")
def answer_page(session_id: str) -> ResponseReturnValue:
    """The phone's main page: the current question, a text box, the outbox."""
    if not SESSION_ID.match(session_id):
        abort(404)
    # Without a cookie this page sends a phone on to the join code, so an id is a code too: wrong ones count
    # towards the same throttle. A phone that joined is never held up here (its cookie is checked first).
    try:
        session = _deps().repo.get_session(session_id)
    except SessionNotFound:
        refused = _too_many_attempts()
        if refused is not None:
            return refused
        _deps().realtime.code_throttle.wrong(address_key())
        abort(404)
    if _current_participant(session_id) is None:
        refused = _too_many_attempts()
        if refused is not None:
            return refused
        return redirect(url_for("participant.join_page", code=session.join_code, tafel=_table_hint(session)), code=303)
    speak_as(session)
    return render_template(
        "participant/answer.html", session=session, strings=participant_strings(), tafel=_table_hint(session)
    )


def participant_strings() -> dict[str, Any]:
    """Return the words participant.js shows, translated."""
    return {
        "connected": _("verbonden"),
        "reconnecting": _("opnieuw verbinden…"),
        # The catalogue's own ngettext keeps %(num)s for the page to fill in; flask_babel's would put 1 or 2 there.
        "queued_one": get_translations().ngettext("%(num)s in wachtrij", "%(num)s in wachtrij", 1),
        "queued_many": get_translations().ngettext("%(num)s in wachtrij", "%(num)s in wachtrij", 2),
        "sending": _("wordt verstuurd…"),
        "sent": _("verstuurd"),
        "hidden_by_host": _("verborgen door de gespreksleider"),
        "pending_approval": _("wacht op de gespreksleider"),
        "waiting": _("in wachtrij, wordt verstuurd zodra er verbinding is"),
        "too_long": _("Je tekst is te lang. Het maximum is %(max)s tekens."),
        "closed": _("Op dit moment kun je niets insturen. Wacht op de volgende vraag."),
        "chars_left": _("nog %(n)s tekens"),
        "error": _("Er ging iets mis. Probeer het opnieuw."),
        # header
        "number": _("Jouw nummer: %(n)s"),
        "table": _("Tafel %(n)s"),
        "no_table": _("geen tafel"),
        "no_table_choice": _("Ik zit niet aan een tafel"),
        "time_up": _("tijd is om"),
        "paused": _("%(time)s (gepauzeerd)"),
        "not_started": _("%(time)s (nog niet gestart)"),
        # roles
        "role_inbrenger": _("Jij bent de inbrenger."),
        "role_tafelvoorzitter": _("Jij bent de woordvoerder van je tafel."),
        "role_deelnemer": _("Je doet mee als deelnemer."),
        "role_done": _("Gelukt!"),
        # answering
        "bucket_required": _("Kies eerst in welke buffer je bijdrage hoort."),
        "tags_required": _("Kies bij elke keuze één antwoord."),
        "function_required": _("Vul eerst je functie in."),
        # the answer kinds of a composed werkvorm
        "answer_label": _("Jouw antwoord"),
        "answer_placeholder": _("Typ hier je antwoord"),
        "explain_required": _("Leg in één zin uit"),
        "explain_optional": _("Toelichting (mag leeg)"),
        "remark_optional": _("Opmerking (mag leeg)"),
        "action_what": _("Wat"),
        "action_what_placeholder": _("Wat spreken we af?"),
        "owner_required": _("Vul in wie het doet."),
        "scale_legend": _("Kies wat het best past"),
        "scale_required": _("Kies eerst een punt op de schaal."),
        "row_legend": _("Bij welke rij hoort je antwoord?"),
        "vak_legend": _("In welk vak hoort je antwoord?"),
        "column_legend": _("Bij welke kolom?"),
        "row_required": _("Kies eerst een rij."),
        "vak_required": _("Kies eerst een vak."),
        "move_up": _("omhoog"),
        "move_down": _("omlaag"),
        # Said with the visible word in it (WCAG 2.5.3, label in name): "Mensen omhoog".
        "move_up_label": _("%(option)s omhoog"),
        "move_down_label": _("%(option)s omlaag"),
        "ranked_at": _("%(option)s staat nu op plaats %(place)s van %(count)s."),
        "action_summary": _("Afspraak: %(what)s — %(details)s"),
        "limit": _("%(sent)s van %(max)s verstuurd"),
        "limit_full": _("Je hebt het maximum van %(max)s bereikt."),
        "private": _("alleen voor jou"),
        "shared": _("gedeeld met de zaal"),
        "share": _("Deel met de zaal"),
        "unshare": _("Niet meer delen"),
        # table drafts
        "write_together": _("Iedereen aan je tafel kan hier meeschrijven. Alles wordt vanzelf bewaard."),
        "draft_unsaved": _("nog niet bewaard"),
        "draft_saving": _("wordt bewaard…"),
        "draft_saved": _("bewaard"),
        "draft_submitted": _("ingediend"),
        "draft_changed": _("aangepast na indienen"),
        "conflict_theirs": _("Hun versie"),
        "conflict_mine": _("Jouw tekst"),
        "take_theirs": _("Neem hun versie"),
        "append_mine": _("Zet mijn tekst erachter"),
        "resolve_first": _("Kies eerst wat er met de tekst moet gebeuren."),
        "claim_spokesperson": _("Ik ben de woordvoerder"),
        "spokesperson_other": _("De woordvoerder dient in namens de tafel."),
        "spokesperson_me": _("Jij bent de woordvoerder: jij dient in namens de tafel."),
        "spokesperson_none": _("Spreek af wie de woordvoerder is. Die dient in namens de tafel."),
        "submit_table": _("Indienen namens de tafel"),
        "resubmit_table": _("Opnieuw indienen"),
        "submitted_note": _("Ingediend. Aanpassen mag nog; dien daarna opnieuw in."),
        # listening and voting
        "star_on": _("Geef een ster"),
        "star_off": _("Ster weghalen"),
        "votes_left": _("Nog %(left)s van %(dots)s stippen"),
        "vote_on": _("stip geplaatst"),
        # said by a screen reader (live regions), not shown
        "new_question": _("Nieuwe vraag. %(title)s: %(prompt)s"),
        "sent_announce": _("Verstuurd: %(text)s"),
    }
