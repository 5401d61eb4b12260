"""Who is connected: each Socket.IO connection's identity (established by join_session) and the rooms it is in."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from flask_socketio import SocketIO

from facilitator.web.realtime.rooms import (
    beamer_room,
    host_room,
    participant_room,
    participants_room,
    remote_room,
    table_room,
)


@dataclass(frozen=True)
class Connection:
    """Who a Socket.IO connection speaks for, established by join_session."""

    session_id: str
    role: str  # "host", "beamer", "remote" or "participant"
    participant_id: str | None = None
    token_hash: str | None = None
    table: int | None = None


def rooms_of(connection: Connection) -> list[str]:
    """Return the rooms a connection is in: its screen's room, and for a phone also its own and its table's."""
    if connection.role == "host":
        return [host_room(connection.session_id)]
    if connection.role == "beamer":
        return [beamer_room(connection.session_id)]
    if connection.role == "remote":
        return [remote_room(connection.session_id)]
    rooms = [participants_room(connection.session_id)]
    if connection.participant_id:
        rooms.append(participant_room(connection.participant_id))
    if connection.table is not None:
        rooms.append(table_room(connection.session_id, connection.table))
    return rooms


class Connections:
    """The open connections of one app, by Socket.IO id, kept in step with the rooms they are in."""

    def __init__(self, socketio: SocketIO) -> None:
        self.socketio = socketio
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}

    def attach(self, sid: str, connection: Connection) -> None:
        """Remember who a connection speaks for and put it in its rooms."""
        with self._lock:
            self._connections[sid] = connection
        for room in rooms_of(connection):
            self.socketio.server.enter_room(sid, room)

    def detach(self, sid: str) -> Connection | None:
        """Forget a closed connection; return what it was."""
        with self._lock:
            return self._connections.pop(sid, None)

    def switch(self, sid: str, connection: Connection) -> Connection | None:
        """Move an open connection to a new identity: leave the old rooms, enter the new ones."""
        previous = self.detach(sid)
        if previous is not None:
            for room in rooms_of(previous):
                self.socketio.server.leave_room(sid, room)
        self.attach(sid, connection)
        return previous

    def reseat(self, session_id: str, participant_id: str, table: int | None) -> None:
        """Move every open tab of a participant into its new table's room."""
        for sid in self.participant_sids(session_id, participant_id):
            connection = self.connection(sid)
            if connection is not None:
                self.switch(sid, replace(connection, table=table))

    def forget_session(self, session_id: str) -> None:
        """Let go of every connection to a deleted bijeenkomst, so a later disconnect does not look it up."""
        with self._lock:
            sids = [sid for sid, c in self._connections.items() if c.session_id == session_id]
        for sid in sids:
            connection = self.detach(sid)
            if connection is not None:
                for room in rooms_of(connection):
                    self.socketio.server.leave_room(sid, room)

    def drop(self, session_id: str, role: str) -> list[str]:
        """Forget a bijeenkomst's connections of one role (a revoked remote); return their ids, still in the room."""
        with self._lock:
            sids = [sid for sid, c in self._connections.items() if c.role == role and c.session_id == session_id]
            for sid in sids:
                del self._connections[sid]
        return sids

    def connection(self, sid: str) -> Connection | None:
        """Return who a connection speaks for, if it has joined."""
        with self._lock:
            return self._connections.get(sid)

    def participant_sids(self, session_id: str, participant_id: str) -> list[str]:
        """Return the connections of one participant's open tabs."""
        with self._lock:
            return [
                sid for sid, c in self._connections.items()
                if c.session_id == session_id and c.participant_id == participant_id
            ]

    def connected_participants(self, session_id: str) -> set[str]:
        """Return the ids of the participants with at least one open connection."""
        with self._lock:
            return {
                c.participant_id
                for c in self._connections.values()
                if c.session_id == session_id and c.role == "participant" and c.participant_id
            }

    def has(self, session_id: str, role: str) -> bool:
        """Tell whether a screen of this role (a beamer, a remote) is connected to the bijeenkomst: its updates are
        built only then."""
        with self._lock:
            return any(c.session_id == session_id and c.role == role for c in self._connections.values())
