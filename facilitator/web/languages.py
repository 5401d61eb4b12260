"""Which language a page or a Socket.IO event speaks: the person's own choice, else the bijeenkomst's, else Dutch.

The browser's Accept-Language is not asked: a facilitator runs a Dutch afternoon in Dutch, whatever the phones'
settings say, and chooses English for a bijeenkomst on its prepare page. A person switches with ?lang=, which the
rd_lang cookie remembers (per address of the laptop, so per phone).
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import refresh

from facilitator.core.domain import SessionNotFound, WorkshopSession

LANG_COOKIE = "rd_lang"


def chosen_language() -> str | None:
    """Return the language this person chose (?lang=, else the rd_lang cookie), if any."""
    languages = current_app.config["LANGUAGES"]
    for choice in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if choice in languages:
            return str(choice)
    return None


def select_locale() -> str:
    """Pick the language: the person's choice, then the bijeenkomst's, then Dutch (BABEL_DEFAULT_LOCALE)."""
    languages = current_app.config["LANGUAGES"]
    own = chosen_language()
    if own is not None:
        return own
    room = _bijeenkomst_language()
    if room in languages:
        return str(room)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def speak_as(session: WorkshopSession) -> None:
    """Let the rest of this request speak the bijeenkomst's language (unless the person chose one).

    Routes call it once they found the bijeenkomst in a way that gives nothing away (after the facilitator check,
    or a join code that passed the throttle), so the language never tells whether a guessed code exists.
    """
    g.rd_session_language = session.language
    refresh()  # something may have been translated already (in Dutch) in this request


def speak_as_the_bijeenkomst_in_the_url() -> None:
    """Speak the language of the bijeenkomst a host page's URL names (<session_id>), if it exists."""
    session_id = (request.view_args or {}).get("session_id")
    if not isinstance(session_id, str):
        return
    try:
        speak_as(current_app.extensions["rode_draad"].repo.get_session(session_id))
    except SessionNotFound:
        pass  # the route answers 404 in its own way


def _bijeenkomst_language() -> str | None:
    """Return the language of the bijeenkomst this request is about, if a route named it or the socket joined one."""
    named = g.get("rd_session_language")
    if named:
        return str(named)
    sid = getattr(request, "sid", None)  # a Socket.IO event: the bijeenkomst its connection joined
    deps = current_app.extensions.get("rode_draad")
    if sid is None or deps is None:
        return None
    connection = deps.realtime.connection(sid)
    if connection is None:
        return None
    try:
        return deps.repo.get_session(connection.session_id).language  # type: ignore[no-any-return]
    except SessionNotFound:
        return None
