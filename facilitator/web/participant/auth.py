"""A phone's identity: a random token in an HttpOnly cookie per bijeenkomst."""

from __future__ import annotations

import hashlib
import secrets

from flask import request

PARTICIPANT_COOKIE_PREFIX = "rd_p_"

#: Salt for address_key, new at every start: the hashes mean nothing outside this process.
_ADDRESS_SALT = secrets.token_bytes(16)


def participant_cookie(session_id: str) -> str:
    """Return the cookie name that holds a phone's token for one bijeenkomst."""
    return f"{PARTICIPANT_COOKIE_PREFIX}{session_id}"


def address_key() -> str:
    """Return a stand-in for the caller's network address, for throttling code guesses.

    Only the code-guess throttle uses it, in memory: a salted hash, so not even the process keeps the address
    itself, and it is never logged or written. The throttle needs *some* notion of "the same client" before a
    phone has joined (there is no token yet), and the address is the only one a guesser cannot shed for free.
    """
    address = (request.remote_addr or "").encode("utf-8")
    return hashlib.blake2b(address, key=_ADDRESS_SALT, digest_size=16).hexdigest()


#: The laptop's own loopback addresses: requests from the laptop itself (tests, benchmarks, the facilitator trying
#: the phone page) are never held to the per-address join limit, so that a room can be simulated locally.
LOOPBACK = frozenset({"127.0.0.1", "::1", "::ffff:127.0.0.1"})


def from_the_laptop() -> bool:
    """Tell whether the caller is the laptop itself (behind a configured reverse proxy: the forwarded address)."""
    return request.remote_addr in LOOPBACK
