"""An in-memory repository for unit tests: same behaviour as the real one, no disk."""

from __future__ import annotations

import threading

from ..domain import Contribution, Participant, SessionNotFound, WorkshopSession


class MemoryRepository:
    """Keeps bijeenkomsten in dictionaries."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._sessions: dict[str, WorkshopSession] = {}
        self._participants: dict[str, dict[str, Participant]] = {}
        self._contributions: dict[str, dict[str, Contribution]] = {}

    def _require(self, session_id: str) -> None:
        if session_id not in self._sessions:
            raise SessionNotFound(session_id)

    def add_session(self, session: WorkshopSession) -> None:
        """Store a new bijeenkomst."""
        with self._lock:
            self._sessions[session.id] = session
            self._participants[session.id] = {}
            self._contributions[session.id] = {}

    def save_session(self, session: WorkshopSession) -> None:
        """Replace the stored bijeenkomst."""
        with self._lock:
            self._require(session.id)
            self._sessions[session.id] = session

    def get_session(self, session_id: str) -> WorkshopSession:
        """Return a bijeenkomst; raise SessionNotFound."""
        with self._lock:
            self._require(session_id)
            return self._sessions[session_id]

    def find_by_join_code(self, join_code: str) -> WorkshopSession:
        """Return the bijeenkomst with this join code."""
        with self._lock:
            for session in self._sessions.values():
                if session.join_code == join_code:
                    return session
        raise SessionNotFound(join_code)

    def list_sessions(self) -> list[WorkshopSession]:
        """Return every bijeenkomst, newest first."""
        with self._lock:
            return sorted(self._sessions.values(), key=lambda s: s.created_at, reverse=True)

    def delete_session(self, session_id: str) -> None:
        """Forget a bijeenkomst."""
        with self._lock:
            self._require(session_id)
            del self._sessions[session_id]
            del self._participants[session_id]
            del self._contributions[session_id]

    def add_participant(self, session_id: str, participant: Participant) -> int:
        """Store a participant; return how many have joined."""
        with self._lock:
            self._require(session_id)
            self._participants[session_id][participant.id] = participant
            return len(self._participants[session_id])

    def participant_by_token_hash(self, session_id: str, token_hash: str) -> Participant | None:
        """Return the participant holding a token."""
        with self._lock:
            self._require(session_id)
            return next(
                (p for p in self._participants[session_id].values() if p.token_hash == token_hash), None
            )

    def count_participants(self, session_id: str) -> int:
        """Return how many participants have joined."""
        with self._lock:
            self._require(session_id)
            return len(self._participants[session_id])

    def add_contribution(self, session_id: str, contribution: Contribution) -> tuple[Contribution, bool]:
        """Store a contribution unless its id exists."""
        with self._lock:
            self._require(session_id)
            existing = self._contributions[session_id].get(contribution.id)
            if existing is not None:
                return existing, False
            self._contributions[session_id][contribution.id] = contribution
            return contribution, True

    def count_contributions(self, session_id: str, participant_id: str, agenda_item_id: str, kind: str) -> int:
        """Return how many items of a kind one participant sent for one agenda item."""
        with self._lock:
            self._require(session_id)
            return sum(
                1
                for c in self._contributions[session_id].values()
                if (c.participant_id, c.agenda_item_id, c.kind) == (participant_id, agenda_item_id, kind)
            )

    def get_contribution(self, session_id: str, contribution_id: str) -> Contribution | None:
        """Return a contribution by id."""
        with self._lock:
            self._require(session_id)
            return self._contributions[session_id].get(contribution_id)

    def list_contributions(self, session_id: str) -> list[Contribution]:
        """Return the contributions in arrival order."""
        with self._lock:
            self._require(session_id)
            return list(self._contributions[session_id].values())

    def update_contribution(self, session_id: str, contribution: Contribution) -> None:
        """Replace a stored contribution."""
        with self._lock:
            self._require(session_id)
            self._contributions[session_id][contribution.id] = contribution
