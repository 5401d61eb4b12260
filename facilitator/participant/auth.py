"""A phone's identity: a random token in an HttpOnly cookie per bijeenkomst."""

from __future__ import annotations

PARTICIPANT_COOKIE_PREFIX = "rd_p_"


def participant_cookie(session_id: str) -> str:
    """Return the cookie name that holds a phone's token for one bijeenkomst."""
    return f"{PARTICIPANT_COOKIE_PREFIX}{session_id}"
