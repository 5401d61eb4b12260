"""The facilitator's secret: an HttpOnly cookie checked on every host page and event."""

from __future__ import annotations

from flask import current_app, request

from facilitator.core import services

HOST_COOKIE = "rd_host"


def is_facilitator() -> bool:
    """Tell whether the current request carries the facilitator's key."""
    token = request.cookies.get(HOST_COOKIE)
    if not token:
        return False
    key_hash: str = current_app.extensions["rode_draad"].facilitator_key_hash
    return services.tokens_match(token, key_hash)


def remote_cookie(session_id: str) -> str:
    """Return the name of the cookie that holds a bijeenkomst's phone remote token (HttpOnly, set by /r/…)."""
    return f"rd_remote_{session_id}"
