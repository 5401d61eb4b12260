"""Each screen's whole state (session_state) for one app: the screens' payloads fed from its storage, who is
connected now and whether storing fails."""

from __future__ import annotations

from facilitator.core.domain import Participant
from facilitator.core.registry import WorkFormatRegistry
from facilitator.storage import SessionRepository
from facilitator.web import wire
from facilitator.web.realtime.connections import Connections
from facilitator.web.realtime.screens import host, remote
from facilitator.web.realtime.screens.participant import participant_state
from facilitator.web.realtime.storage_warnings import StorageWarnings


class ScreenStates:
    """Builds the full state of a regie, a phone or the remote (the beamer's is the beamer feed's own)."""

    def __init__(
        self, repo: SessionRepository, registry: WorkFormatRegistry, connections: Connections,
        storage: StorageWarnings, rejoin_secret: bytes,
    ) -> None:
        self.repo, self.registry, self.connections = repo, registry, connections
        self.storage, self.rejoin_secret = storage, rejoin_secret

    def host(self, session_id: str) -> wire.HostState:
        """Return the full state a host screen shows."""
        return host.host_state(
            self.repo, self.registry, session_id,
            connected=self.connections.connected_participants(session_id),
            storage_failing=self.storage.failing(session_id),
        )

    def participant(self, session_id: str, participant: Participant) -> wire.ParticipantState:
        """Return the full state one phone shows."""
        return participant_state(self.repo, self.registry, session_id, participant, self.rejoin_secret)

    def remote(self, session_id: str) -> wire.RemoteState:
        """Return what the facilitator's phone remote shows."""
        return remote.remote_state(self.repo, self.registry, session_id)

    def participant_counts(self, session_id: str) -> wire.ParticipantCounts:
        """Return how many phones joined and are connected, in all and per table."""
        return host.participant_counts(self.repo, session_id, self.connections.connected_participants(session_id))
