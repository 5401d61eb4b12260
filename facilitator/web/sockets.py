"""Connection-level Socket.IO handlers: connect, join_session, disconnect."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import refresh

from facilitator.core import services
from facilitator.core.domain import InvalidInput, NotAuthorised
from facilitator.core.validation import require_mapping, require_session_id
from facilitator.web.guards.frames import UNREADABLE_FRAME
from facilitator.web.host.auth import HOST_COOKIE, remote_cookie
from facilitator.web.participant.auth import participant_cookie
from facilitator.web.realtime import Connection, Realtime, ack_ok, handler
from facilitator.web.realtime.events import JOIN_SESSION


def register(rt: Realtime) -> None:
    """Register the connection handlers on the app's Socket.IO server."""
    sio = rt.socketio
    tokens_from_auth: dict[str, str] = {}

    @sio.on("connect")
    def on_connect(auth: Any = None) -> bool:
        """Sent by any client when its connection opens; nothing is broadcast until join_session."""
        if isinstance(auth, dict) and isinstance(auth.get("token"), str):
            tokens_from_auth[request.sid] = auth["token"]  # type: ignore[attr-defined]
        return True

    @sio.on(UNREADABLE_FRAME)
    @handler(UNREADABLE_FRAME)
    def on_unreadable_frame(*_args: Any) -> dict[str, Any]:
        """Stands for a frame that could not be read (see frames.py); acks invalid_input and broadcasts nothing."""
        rt.admit_phone_event(request.sid, UNREADABLE_FRAME)  # type: ignore[attr-defined]  # garbage counts too
        raise InvalidInput("unreadable frame", field="payload")

    @sio.on(JOIN_SESSION)
    @handler(JOIN_SESSION)
    def on_join_session(payload: Any = None) -> dict[str, Any]:
        """Sent by a page after every (re)connect; sends session_state to that page only."""
        rt.admit_phone_event(request.sid, JOIN_SESSION)  # type: ignore[attr-defined]
        data = require_mapping(payload)
        session_id = require_session_id(data)
        role = data.get("role")
        if role not in ("host", "beamer", "remote", "participant"):
            raise InvalidInput("role: must be host, beamer, remote or participant", field="role")
        sid: str = request.sid  # type: ignore[attr-defined]
        token = data.get("token") if isinstance(data.get("token"), str) else tokens_from_auth.get(sid)
        session = rt.repo.get_session(session_id)
        # Authenticate before touching the current join: a refused attempt leaves it as it was.
        if role == "remote":
            # The facilitator's phone: its own token (services/remote.py), valid for this bijeenkomst only; it joins
            # a room of its own and may send only the remote's few host events (REMOTE_EVENTS).
            token = token or request.cookies.get(remote_cookie(session_id))
            if not services.remote_token_valid(session, token):
                raise NotAuthorised("remote join without the bijeenkomst's remote token")
            previous = rt.switch(sid, Connection(session_id=session_id, role="remote",
                                                 token_hash=session.remote_token_hash))
            refresh()
            rt.send_state(sid, rt.remote_state(session_id))
        elif role in ("host", "beamer"):
            # The beamer window is the facilitator's too (same cookie), but it joins a room of its own that hears
            # only what the room may see, and it may send no host event (those ask for role "host").
            token = token or request.cookies.get(HOST_COOKIE)
            if not token or not services.tokens_match(token, rt.facilitator_key_hash):
                raise NotAuthorised(f"{role} join without a valid facilitator token")
            previous = rt.switch(sid, Connection(session_id=session_id, role=role, token_hash=rt.facilitator_key_hash))
            refresh()  # from now on this connection speaks its bijeenkomst's language (see languages.py)
            rt.send_state(sid, rt.host_state(session_id) if role == "host" else rt.beamer_state(session_id))
        else:
            token = token or request.cookies.get(participant_cookie(session_id))
            participant = services.authenticate_participant(
                rt.repo, session_id, token, rejoin_secret=rt.rejoin_secret
            )
            previous = rt.switch(
                sid,
                Connection(
                    session_id=session_id,
                    role="participant",
                    participant_id=participant.id,
                    token_hash=participant.token_hash,
                    table=participant.table,
                ),
            )
            refresh()
            rt.send_state(sid, rt.participant_state(session_id, participant))
            rt.announce_participants(session_id)
        if previous is not None and previous.role == "participant" and (
            previous.session_id != session_id or role != "participant"
        ):
            rt.announce_participants(previous.session_id)
        return ack_ok(role=role)

    @sio.on("disconnect")
    def on_disconnect(*_args: Any) -> None:
        """Sent when a connection closes; updates the host's count of connected phones."""
        sid: str = request.sid  # type: ignore[attr-defined]
        tokens_from_auth.pop(sid, None)
        rt.forget_connection_limit(sid)
        connection = rt.detach(sid)
        if connection is not None and connection.role == "participant":
            rt.announce_participants(connection.session_id)
