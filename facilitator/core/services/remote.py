"""The facilitator's phone remote: a revocable token per bijeenkomst that grants only a few controls.

The token is random (192 bits), never derived from the join code or the facilitator's key, shown only on the regie
(as a QR code) and stored only as its hash on the bijeenkomst. Making a new one revokes the old one at once: every
remote event checks the token against the hash stored now.
"""

from __future__ import annotations

from dataclasses import replace

from facilitator.core.domain.model import WorkshopSession
from facilitator.core.services.base import hash_token, new_token, retried, tokens_match
from facilitator.storage import SessionRepository


@retried
def new_remote_token(repo: SessionRepository, session_id: str) -> tuple[str, WorkshopSession]:
    """Make a new remote token for a bijeenkomst (the previous one stops working); return it once."""
    token = new_token()
    session = repo.save_session(replace(repo.get_session(session_id), remote_token_hash=hash_token(token)))
    return token, session


@retried
def revoke_remote_token(repo: SessionRepository, session_id: str) -> WorkshopSession:
    """Revoke the bijeenkomst's remote token: no phone steers it until the regie makes a new one."""
    return repo.save_session(replace(repo.get_session(session_id), remote_token_hash=""))


def remote_token_valid(session: WorkshopSession, token: object) -> bool:
    """Tell whether a presented token is the bijeenkomst's current remote token."""
    return bool(session.remote_token_hash) and isinstance(token, str) and tokens_match(token, session.remote_token_hash)
