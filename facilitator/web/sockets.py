"""Connection-level Socket.IO handlers: connect, join_session, disconnect."""

from __future__ import annotations

from flask import request
from flask_babel import refresh

from facilitator.core import services
from facilitator.core.domain import InvalidInput, NotAuthorised
from facilitator.web import wire
from facilitator.web.guards.frames import UNREADABLE_FRAME
from facilitator.web.host.auth import HOST_COOKIE, remote_cookie
from facilitator.web.participant.auth import participant_cookie
from facilitator.web.realtime import Connection, Realtime, connection_sid, handler, listen
from facilitator.web.realtime.events import JOIN_SESSION


def register(rt: Realtime) -> None:
    """Register the connection handlers on the app's Socket.IO server."""
    sio = rt.socketio
    tokens_from_auth: dict[str, str] = {}

    @listen(sio, "connect")
    def on_connect(auth: object = None) -> bool:
        """Sent by any client when its connection opens; nothing is broadcast until join_session."""
        if isinstance(auth, dict) and isinstance(auth.get("token"), str):
            tokens_from_auth[connection_sid()] = auth["token"]
        return True

    @listen(sio, UNREADABLE_FRAME)
    @handler(UNREADABLE_FRAME)
    def on_unreadable_frame(*_args: object) -> wire.Ok:
        """Stands for a frame that could not be read (see frames.py); acks invalid_input and broadcasts nothing."""
        rt.admit_participant_event(connection_sid(), UNREADABLE_FRAME)  # garbage counts too
        raise InvalidInput("unreadable frame", field="payload")

    @listen(sio, JOIN_SESSION)
    @handler(JOIN_SESSION)
    def on_join_session(payload: object = None) -> wire.JoinSessionAck:
        """Sent by a page after every (re)connect; sends session_state to that page only."""
        sid = connection_sid()
        rt.admit_participant_event(sid, JOIN_SESSION)
        session_id, data = wire.received(payload, wire.JoinSession)
        role = data["role"]
        token = data.get("token") or tokens_from_auth.get(sid)
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
        return {"ok": True, "role": role}

    @listen(sio, "disconnect")
    def on_disconnect(*_args: object) -> None:
        """Sent when a connection closes; updates the host's count of connected phones."""
        sid = connection_sid()
        tokens_from_auth.pop(sid, None)
        rt.forget_connection_limit(sid)
        connection = rt.detach(sid)
        if connection is not None and connection.role == "participant":
            rt.announce_participants(connection.session_id)
