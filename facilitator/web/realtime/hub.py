"""The realtime hub of one app: its Socket.IO server with the connections, limits, states and publishing that the
routes and socket handlers use."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from flask_socketio import SocketIO

from facilitator.core import services
from facilitator.core.domain import DomainEvent, Participant
from facilitator.core.registry import WorkFormatRegistry
from facilitator.storage import SessionRepository
from facilitator.web import wire
from facilitator.web.guards.throttle import GuessThrottle, RateLimiter, TooFast
from facilitator.web.realtime.beamer_feed import BeamerFeed
from facilitator.web.realtime.connections import Connection, Connections
from facilitator.web.realtime.publish import Publisher
from facilitator.web.realtime.states import ScreenStates
from facilitator.web.realtime.storage_warnings import StorageWarnings

log = logging.getLogger(__name__)

#: Seconds between two log lines about phones sending too fast.
TOO_FAST_LOG_EVERY = 10


class Realtime:
    """Connections, rooms and emits for one app."""

    def __init__(
        self,
        socketio: SocketIO,
        repo: SessionRepository,
        registry: WorkFormatRegistry,
        facilitator_key_hash: str,
        offload: Callable[..., Any] | None = None,
        participant_limiter: RateLimiter | None = None,
        code_throttle: GuessThrottle | None = None,
    ) -> None:
        self.socketio = socketio
        #: The fair allowance of events per phone (see PHONE_EVENTS_BURST); off unless the app configures it.
        self.participant_limiter = participant_limiter if participant_limiter is not None else RateLimiter(0, 0.0)
        #: Wrong join and role codes per address and in all (see CODE_GUESSES_PER_ADDRESS).
        self.code_throttle = code_throttle if code_throttle is not None else GuessThrottle(10, 300, 60.0)
        self._too_fast_logged = 0.0
        #: Runs CPU-heavy work (the clusterer) in a real thread under eventlet, so the room never waits.
        self.offload: Callable[..., Any] = offload or (lambda function, *args: function(*args))
        self.repo = repo
        self.registry = registry
        self.facilitator_key_hash = facilitator_key_hash
        #: Derives each phone's rejoin code and the cookie another address of the laptop gives it.
        self.rejoin_secret = services.rejoin_secret(facilitator_key_hash)
        self.connections = Connections(socketio)
        self.storage = StorageWarnings(socketio)
        self.states = ScreenStates(repo, registry, self.connections, self.storage, self.rejoin_secret)
        self.beamer = BeamerFeed(socketio, repo, registry, self.connections)
        self.publisher = Publisher(socketio, repo, registry, self.connections, self.states, self.beamer)

    # -- connections ---------------------------------------------------------------------------

    def connection(self, sid: str) -> Connection | None:
        """Return who a connection speaks for, if it has joined."""
        return self.connections.connection(sid)

    def switch(self, sid: str, connection: Connection) -> Connection | None:
        """Move an open connection to a new identity: leave the old rooms, enter the new ones."""
        return self.connections.switch(sid, connection)

    def detach(self, sid: str) -> Connection | None:
        """Forget a closed connection; return what it was."""
        return self.connections.detach(sid)

    def connected_phones(self, session_id: str) -> int:
        """Return how many distinct phones are connected to a bijeenkomst now."""
        return len(self.connections.connected_participants(session_id))

    def admit_participant_event(self, sid: str, event: str) -> None:
        """Refuse an event with TooFast when a phone (or a connection not yet joined) sends faster than its fair
        allowance; host screens are never limited. Counted per participant, so a reconnect does not refill it."""
        connection = self.connection(sid)
        if connection is not None and connection.role in ("host", "beamer"):
            return
        key = f"p:{connection.participant_id}" if connection and connection.participant_id else f"c:{sid}"
        if self.participant_limiter.allow(key):
            return
        now = time.monotonic()
        if now - self._too_fast_logged >= TOO_FAST_LOG_EVERY:
            self._too_fast_logged = now  # a flood would otherwise write a log line per refused event
            log.warning("%s refused: too fast (logged once per %d s)", event, TOO_FAST_LOG_EVERY)
        raise TooFast(f"{event}: over the phone event limit")

    def forget_connection_limit(self, sid: str) -> None:
        """Drop the allowance of a closed connection that never joined (a participant's stays, keyed by its id)."""
        self.participant_limiter.forget(f"c:{sid}")

    # -- states, for join_session --------------------------------------------------------------

    def host_state(self, session_id: str) -> wire.HostState:
        """Return the full state a host screen shows."""
        return self.states.host(session_id)

    def participant_state(self, session_id: str, participant: Participant) -> wire.ParticipantState:
        """Return the full state one phone shows."""
        return self.states.participant(session_id, participant)

    def beamer_state(self, session_id: str) -> wire.BeamerState:
        """Return the full state a beamer window shows (room-safe data only)."""
        return self.beamer.state(session_id)

    def remote_state(self, session_id: str) -> wire.RemoteState:
        """Return what the facilitator's phone remote shows."""
        return self.states.remote(session_id)

    # -- emits ---------------------------------------------------------------------------------

    def publish(self, events: list[DomainEvent]) -> None:
        """Emit what happened to the rooms that need to know."""
        self.publisher.publish(events)

    def send_state(self, sid: str, state: wire.SessionState) -> None:
        """Send a full state to one connection only."""
        self.publisher.send_state(sid, state)

    def announce_participants(self, session_id: str) -> None:
        """Tell the host screens how many phones there are, per table."""
        self.publisher.announce_participants(session_id)

    def refresh_participant(self, session_id: str, participant_id: str) -> None:
        """Send a participant's tabs their whole state again (after a role or table change)."""
        self.publisher.refresh_participant(session_id, participant_id)

    def probe_reached(self, session_id: str, probe_id: str, via: str) -> None:
        """Tell the host screens that a phone opened their test QR code, and through which address."""
        self.publisher.probe_reached(session_id, probe_id, via)

    def drop_remotes(self, session_id: str) -> None:
        """Tell the bijeenkomst's phone remotes their token was revoked and take them out of every room."""
        self.publisher.drop_remotes(session_id)

    def storage_health(self, session_id: str, ok: bool) -> None:
        """Warn a bijeenkomst's host screens that storing fails, or that it works again (repo.watch_storage)."""
        self.storage.health(session_id, ok)
