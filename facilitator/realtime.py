"""The Socket.IO side: event names, rooms, payload shapes, and the one place events are emitted."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_socketio import SocketIO

from . import services
from .domain import (
    Contribution,
    ContributionAdded,
    ContributionVisibilityChanged,
    DomainEvent,
    FacilitatorError,
    Participant,
    ParticipantJoined,
    WorkshopSession,
)
from .messages import error_message, internal_error_message
from .registry import WorkFormatRegistry
from .storage import SessionRepository

log = logging.getLogger(__name__)

# -- client -> server ------------------------------------------------------------------------
#: Any page, after every (re)connect: {session, role: "host"|"participant", token?}.
JOIN_SESSION = "join_session"
#: A phone: {session, client_id, text}.
SUBMIT_CONTRIBUTION = "submit_contribution"
#: The host: {session, id, hidden}.
SET_CONTRIBUTION_HIDDEN = "set_contribution_hidden"

# -- server -> client ------------------------------------------------------------------------
#: The whole state one client needs, sent to that client only after join_session.
SESSION_STATE = "session_state"
#: {contribution}: to the host room and the author's own room.
CONTRIBUTION_ADDED = "contribution_added"
#: {contribution}: after hiding or showing; to the host room and the author's own room.
CONTRIBUTION_UPDATED = "contribution_updated"
#: {joined, connected}: to the host room.
PARTICIPANTS_CHANGED = "participants_changed"

CLIENT_EVENTS = (JOIN_SESSION, SUBMIT_CONTRIBUTION, SET_CONTRIBUTION_HIDDEN)
SERVER_EVENTS = (SESSION_STATE, CONTRIBUTION_ADDED, CONTRIBUTION_UPDATED, PARTICIPANTS_CHANGED)


def host_room(session_id: str) -> str:
    """Return the room every host screen of a bijeenkomst is in."""
    return f"host:{session_id}"


def phones_room(session_id: str) -> str:
    """Return the room every phone of a bijeenkomst is in."""
    return f"phones:{session_id}"


def participant_room(participant_id: str) -> str:
    """Return the room of one participant's tabs."""
    return f"participant:{participant_id}"


@dataclass(frozen=True)
class Connection:
    """Who a Socket.IO connection speaks for, established by join_session."""

    session_id: str
    role: str  # "host" or "participant"
    participant_id: str | None = None
    token_hash: str | None = None


# -- payloads --------------------------------------------------------------------------------


def contribution_payload(contribution: Contribution) -> dict[str, Any]:
    """Return what screens get of a contribution: never who sent it."""
    return {
        "id": contribution.id,
        "text": contribution.text,
        "created_at": contribution.created_at,
        "table": contribution.table,
        "perspective": contribution.perspective.value if contribution.perspective else None,
        "hidden": contribution.hidden,
    }


def step_payload(registry: WorkFormatRegistry, session: WorkshopSession) -> dict[str, Any] | None:
    """Return the current werkvorm, phase and prompt."""
    step = services.current_step(registry, session)
    if step is None:
        return None
    kind = step.workformat.kind(step.phase.accepts[0]) if step.phase.accepts else None
    return {
        "agenda_item": step.item.id,
        "workformat": step.workformat.id,
        "workformat_name": _(step.workformat.name),
        "phase": step.phase.id,
        "phase_title": _(step.phase.title),
        "prompt": step.prompt(),
        "case_text": str(step.item.settings.get("case_text", "")),
        "accepts": kind is not None,
        "max_length": kind.max_length if kind else 0,
    }


def ack_ok(**fields: Any) -> dict[str, Any]:
    """Return a success acknowledgement."""
    return {"ok": True, **fields}


def ack_error(error: FacilitatorError) -> dict[str, Any]:
    """Return an error acknowledgement in the client's language."""
    return {"ok": False, "error": {"code": error.code, "message": error_message(error)}}


def handler(event: str) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    """Wrap a socket handler so that any failure becomes an error acknowledgement, never a crash."""

    def decorate(function: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        @functools.wraps(function)
        def wrapper(*args: Any) -> dict[str, Any]:
            try:
                return function(*args)
            except FacilitatorError as exc:
                return ack_error(exc)
            except Exception:  # noqa: BLE001 - the room must keep running; details go to the log only
                log.exception("unexpected error in %s", event)
                return {"ok": False, "error": {"code": "internal", "message": internal_error_message()}}

        return wrapper

    return decorate


class Realtime:
    """Connections, rooms and emits for one app."""

    def __init__(
        self,
        socketio: SocketIO,
        repo: SessionRepository,
        registry: WorkFormatRegistry,
        facilitator_key_hash: str,
    ) -> None:
        self.socketio = socketio
        self.repo = repo
        self.registry = registry
        self.facilitator_key_hash = facilitator_key_hash
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}

    # -- connections ---------------------------------------------------------------------------

    def attach(self, sid: str, connection: Connection) -> None:
        """Remember who a connection speaks for and put it in its rooms."""
        with self._lock:
            self._connections[sid] = connection
        self.socketio.server.enter_room(sid, self._room_for(connection))
        if connection.participant_id:
            self.socketio.server.enter_room(sid, participant_room(connection.participant_id))

    def detach(self, sid: str) -> Connection | None:
        """Forget a closed connection; return what it was."""
        with self._lock:
            return self._connections.pop(sid, None)

    def switch(self, sid: str, connection: Connection) -> Connection | None:
        """Move an open connection to a new identity: leave the old rooms, enter the new ones."""
        previous = self.detach(sid)
        if previous is not None:
            self.socketio.server.leave_room(sid, self._room_for(previous))
            if previous.participant_id:
                self.socketio.server.leave_room(sid, participant_room(previous.participant_id))
        self.attach(sid, connection)
        return previous

    def connection(self, sid: str) -> Connection | None:
        """Return who a connection speaks for, if it has joined."""
        with self._lock:
            return self._connections.get(sid)

    def connected_phones(self, session_id: str) -> int:
        """Return how many distinct phones are connected to a bijeenkomst now."""
        with self._lock:
            return len(
                {
                    c.participant_id
                    for c in self._connections.values()
                    if c.session_id == session_id and c.role == "participant"
                }
            )

    @staticmethod
    def _room_for(connection: Connection) -> str:
        if connection.role == "host":
            return host_room(connection.session_id)
        return phones_room(connection.session_id)

    # -- state and events ----------------------------------------------------------------------

    def host_state(self, session_id: str) -> dict[str, Any]:
        """Return the full state a host screen shows."""
        session = self.repo.get_session(session_id)
        return {
            "role": "host",
            "session": {
                "id": session.id,
                "title": session.title,
                "date": session.date,
                "series": session.series,
                "join_code": session.join_code,
            },
            "step": step_payload(self.registry, session),
            "contributions": [contribution_payload(c) for c in self.repo.list_contributions(session_id)],
            "participants": self.participant_counts(session_id),
        }

    def participant_state(self, session_id: str, participant: Participant) -> dict[str, Any]:
        """Return the full state one phone shows."""
        session = self.repo.get_session(session_id)
        mine = services.participant_contributions(self.repo, session_id, participant.id)
        return {
            "role": "participant",
            "session": {"id": session.id, "title": session.title},
            "step": step_payload(self.registry, session),
            "me": {
                "table": participant.table,
                "perspective": participant.perspective.value if participant.perspective else None,
            },
            "contributions": [contribution_payload(c) for c in mine],
        }

    def participant_counts(self, session_id: str) -> dict[str, int]:
        """Return how many phones joined and how many are connected now."""
        return {"joined": self.repo.count_participants(session_id), "connected": self.connected_phones(session_id)}

    def send_state(self, sid: str, state: dict[str, Any]) -> None:
        """Send a full state to one connection only."""
        self.socketio.emit(SESSION_STATE, state, to=sid)

    def announce_participants(self, session_id: str) -> None:
        """Tell the host screens how many phones there are."""
        self.socketio.emit(PARTICIPANTS_CHANGED, self.participant_counts(session_id), to=host_room(session_id))

    def publish(self, events: list[DomainEvent]) -> None:
        """Emit what happened to the rooms that need to know."""
        for event in events:
            if isinstance(event, ContributionAdded | ContributionVisibilityChanged):
                name = CONTRIBUTION_ADDED if isinstance(event, ContributionAdded) else CONTRIBUTION_UPDATED
                payload = {"contribution": contribution_payload(event.contribution)}
                self.socketio.emit(
                    name,
                    payload,
                    to=[host_room(event.session_id), participant_room(event.contribution.participant_id)],
                )
            elif isinstance(event, ParticipantJoined):
                self.announce_participants(event.session_id)
