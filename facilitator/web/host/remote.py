"""The facilitator's phone remote: /r/<session>/<token> trades the token for an HttpOnly cookie, then
/host/s/<session>/remote shows the compact controls (next/previous phase, timer, reveal, approve or hide).

These routes live outside the host blueprint on purpose: the remote's phone does not hold the facilitator's key,
and its token opens this one page and the remote's Socket.IO events, nothing else (see host/sockets.py).
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_translations
from flask_babel import gettext as _

from facilitator.core import services
from facilitator.core.domain import SessionNotFound, WorkshopSession
from facilitator.web.current import deps as _deps
from facilitator.web.host.auth import remote_cookie
from facilitator.web.languages import speak_as_the_bijeenkomst_in_the_url

bp = Blueprint("remote", __name__)
log = logging.getLogger(__name__)

#: How long a phone keeps the remote's cookie: an afternoon and some; revoking ends it at once anyway.
REMOTE_COOKIE_SECONDS = 24 * 3600


def _valid_session(session_id: str, token: str | None) -> WorkshopSession | None:
    """Return the bijeenkomst when the token is its current remote token, else None."""
    try:
        session = _deps().repo.get_session(session_id)
    except SessionNotFound:
        return None
    return session if services.remote_token_valid(session, token) else None


def _refused() -> tuple[str, int]:
    log.warning("%s refused: no valid remote token", request.endpoint)  # no token, no address
    return render_template("host/forbidden.html"), 403


@bp.get("/r/<session_id>/<token>")
def pair(session_id: str, token: str) -> ResponseReturnValue:
    """Trade the remote token from the regie's QR code for an HttpOnly cookie, and drop it from the address bar."""
    if _valid_session(session_id, token) is None:
        return _refused()
    response = redirect(url_for("remote.page", session_id=session_id), code=303)
    response.set_cookie(
        remote_cookie(session_id),
        token,
        httponly=True,
        samesite="Lax",  # opened from a QR scan, a cross-site navigation: Strict would not send it after the redirect
        secure=current_app.config["SECURE_COOKIES"],
        max_age=REMOTE_COOKIE_SECONDS,
    )
    return response


@bp.get("/host/s/<session_id>/remote")
def page(session_id: str) -> ResponseReturnValue:
    """The remote's page on the facilitator's phone; 403 without the bijeenkomst's current remote token."""
    session = _valid_session(session_id, request.cookies.get(remote_cookie(session_id)))
    if session is None:
        return _refused()
    speak_as_the_bijeenkomst_in_the_url()
    return render_template("host/remote.html", session=session, strings=remote_strings())


def remote_strings() -> dict[str, str]:
    """Return the words remote.js shows, translated."""
    return {
        "no_timer": _("geen tijd"),
        "start": _("Start"),
        "pause": _("Pauze"),
        "next_minutes": _("Volgende: %(title)s, %(minutes)s min", title="%(title)s", minutes="%(minutes)s"),
        "next_plain": _("Volgende: %(title)s", title="%(title)s"),
        "next_none": _("Dit is de laatste fase."),
        "phase_of": _("fase %(n)s van %(total)s", n="%(n)s", total="%(total)s"),
        # The forms themselves, unformatted: remote.js fills in %(num)s (flask_babel's ngettext would fill it here).
        "concealed_one": _plural("%(num)s antwoord wacht op onthullen", "%(num)s antwoorden wachten op onthullen", 1),
        "concealed_many": _plural("%(num)s antwoord wacht op onthullen", "%(num)s antwoorden wachten op onthullen", 2),
        "pending_one": _plural("%(num)s bijdrage wacht op goedkeuring", "%(num)s bijdragen wachten op goedkeuring", 1),
        "pending_many": _plural("%(num)s bijdrage wacht op goedkeuring", "%(num)s bijdragen wachten op goedkeuring", 2),
        "approve": _("Goedkeuren"),
        "hide": _("Verbergen"),
        "revoked": _("Deze afstandsbediening is ingetrokken. Scan de nieuwe QR-code op de regie."),
        "refused": _("Dit mag deze afstandsbediening niet."),
        "connected": _("Verbonden"),
        "reconnecting": _("Verbinding herstellen…"),
        "session_ended": _("Deze bijeenkomst is verwijderd."),
    }


def _plural(singular: str, plural: str, n: int) -> str:
    """Return the translated form for n without filling in its placeholders."""
    return str(get_translations().ungettext(singular, plural, n))
