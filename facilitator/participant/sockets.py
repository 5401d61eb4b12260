"""Participant Socket.IO handlers: what phones send."""

from __future__ import annotations

from typing import Any

from flask import request

from .. import services
from ..domain import NotJoined, Participant
from ..realtime import SUBMIT_CONTRIBUTION, Realtime, ack_ok, handler
from ..validation import CLIENT_ID, require_mapping, require_session_id, require_str


def require_participant(rt: Realtime, session_id: str) -> Participant:
    """Return the participant behind the caller's connection for this bijeenkomst."""
    rt.repo.get_session(session_id)  # an unknown bijeenkomst says so, rather than "not joined"
    connection = rt.connection(request.sid)  # type: ignore[attr-defined]
    if connection is None or connection.role != "participant" or connection.session_id != session_id:
        raise NotJoined("event before join_session")
    participant = rt.repo.participant_by_token_hash(session_id, connection.token_hash or "")
    if participant is None:
        raise NotJoined("participant no longer exists")
    return participant


def register(rt: Realtime) -> None:
    """Register the participant handlers."""

    @rt.socketio.on(SUBMIT_CONTRIBUTION)
    @handler(SUBMIT_CONTRIBUTION)
    def on_submit_contribution(payload: Any = None) -> dict[str, Any]:
        """Sent by a phone with a new text; acked after it is stored; broadcasts contribution_added."""
        data = require_mapping(payload)
        session_id = require_session_id(data)
        participant = require_participant(rt, session_id)
        contribution, events = services.submit_contribution(
            rt.repo,
            rt.registry,
            session_id,
            participant,
            client_id=require_str(data, "client_id", CLIENT_ID),
            text=data.get("text"),
        )
        rt.publish(events)
        return ack_ok(id=contribution.id)
