"""Host-only Socket.IO handlers; each checks the facilitator's token on every call."""

from __future__ import annotations

from typing import Any

from flask import request

from .. import services
from ..domain import NotAuthorised
from ..realtime import SET_CONTRIBUTION_HIDDEN, Connection, Realtime, ack_ok, handler
from ..validation import CLIENT_ID, require_bool, require_mapping, require_session_id, require_str


def require_host(rt: Realtime, session_id: str) -> Connection:
    """Return the caller's connection if it joined this bijeenkomst with the facilitator's key."""
    connection = rt.connection(request.sid)  # type: ignore[attr-defined]
    if (
        connection is None
        or connection.role != "host"
        or connection.session_id != session_id
        or connection.token_hash != rt.facilitator_key_hash
    ):
        raise NotAuthorised("host event from a connection without the facilitator token")
    return connection


def register(rt: Realtime) -> None:
    """Register the host handlers."""

    @rt.socketio.on(SET_CONTRIBUTION_HIDDEN)
    @handler(SET_CONTRIBUTION_HIDDEN)
    def on_set_contribution_hidden(payload: Any = None) -> dict[str, Any]:
        """Sent by the host to hide or show a contribution; broadcasts contribution_updated."""
        data = require_mapping(payload)
        session_id = require_session_id(data)
        require_host(rt, session_id)
        contribution, events = services.set_contribution_hidden(
            rt.repo, session_id, require_str(data, "id", CLIENT_ID), require_bool(data, "hidden")
        )
        rt.publish(events)
        return ack_ok(id=contribution.id, hidden=contribution.hidden)
