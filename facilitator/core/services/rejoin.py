"""Rejoining as the same phone from another address of the laptop, with a short rejoin code ("herstelcode").

A phone is known by a token in an HttpOnly cookie, and cookies and localStorage belong to one origin: when
the laptop's address changes, the phone that scans the new QR code opens a new origin that holds neither.
So each phone is shown a short code (never stored: it is derived from the stored token hash with a server
secret) that it can type on the new address; that origin then gets a cookie of its own, also derived, for
the same participant. Both cookies keep working, so a tab left open on the old address, with its outbox,
still sends as the same phone if that address comes back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from facilitator.core.domain import NotJoined, Participant
from facilitator.core.services.base import JOIN_CODE_ALPHABET, normalise_join_code
from facilitator.storage import SessionRepository

#: Characters of a rejoin code: 10 from a 32-letter alphabet is 50 bits, typed on a phone in a few seconds;
#: wrong codes count towards the same guess throttle as join codes, and a code only works for one bijeenkomst.
REJOIN_CODE_LENGTH = 10
#: Cookie values that carry a derived rejoin token start with this (a random token never contains a ".").
REJOIN_TOKEN_PREFIX = "rj."


def rejoin_secret(facilitator_key_hash: str) -> bytes:
    """Return the secret rejoin codes and tokens are derived from (stable while the facilitator key is)."""
    return hashlib.sha256(b"rode-draad rejoin\x00" + facilitator_key_hash.encode("ascii")).digest()


def _mac(secret: bytes, purpose: str, session_id: str, participant: Participant) -> bytes:
    message = f"{purpose}\x00{session_id}\x00{participant.id}\x00{participant.token_hash}".encode()
    return hmac.new(secret, message, hashlib.sha256).digest()


def rejoin_code(secret: bytes, session_id: str, participant: Participant) -> str:
    """Return the phone's rejoin code, e.g. "K7F2Q-XM9PA" (the dash is only for reading)."""
    digest = int.from_bytes(_mac(secret, "code", session_id, participant), "big")
    letters = []
    for _ in range(REJOIN_CODE_LENGTH):
        digest, index = divmod(digest, len(JOIN_CODE_ALPHABET))
        letters.append(JOIN_CODE_ALPHABET[index])
    half = REJOIN_CODE_LENGTH // 2
    return "".join(letters[:half]) + "-" + "".join(letters[half:])


def rejoin_token(secret: bytes, session_id: str, participant: Participant) -> str:
    """Return the cookie value that identifies the participant on another origin (256 bits, derived)."""
    mac = base64.urlsafe_b64encode(_mac(secret, "token", session_id, participant)).rstrip(b"=").decode("ascii")
    return f"{REJOIN_TOKEN_PREFIX}{participant.id}.{mac}"


def participant_by_rejoin_token(
    repo: SessionRepository, secret: bytes, session_id: str, token: str
) -> Participant | None:
    """Return the participant a derived rejoin token stands for, or None."""
    if not token.startswith(REJOIN_TOKEN_PREFIX):
        return None
    participant_id, _dot, _mac_text = token[len(REJOIN_TOKEN_PREFIX):].partition(".")
    participant = next((p for p in repo.list_participants(session_id) if p.id == participant_id), None)
    if participant is None:
        return None
    expected = rejoin_token(secret, session_id, participant)
    # surrogatepass: a presented token with half a UTF-16 pair (JSON carries it) matches nothing, and never raises.
    return participant if hmac.compare_digest(expected.encode(), token.encode("utf-8", "surrogatepass")) else None


def rejoin(repo: SessionRepository, secret: bytes, session_id: str, code: object) -> tuple[Participant, str]:
    """Return the participant whose rejoin code this is and a token for the new origin; raise NotJoined."""
    if not isinstance(code, str):
        raise NotJoined("rejoin code: not a text")
    wanted = normalise_join_code(code)
    if len(wanted) != REJOIN_CODE_LENGTH:
        raise NotJoined("rejoin code: wrong length")
    for participant in repo.list_participants(session_id):
        if hmac.compare_digest(normalise_join_code(rejoin_code(secret, session_id, participant)), wanted):
            return participant, rejoin_token(secret, session_id, participant)
    raise NotJoined("rejoin code: unknown")

