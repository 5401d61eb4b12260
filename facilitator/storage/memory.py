"""In-memory repositories for unit tests: same behaviour as the real ones, no disk."""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from facilitator.core.domain import (
    Board,
    Contribution,
    LibraryEntry,
    MailLogEntry,
    MailOptIn,
    NotFound,
    Participant,
    PurgeNotice,
    Series,
    SessionNotFound,
    StaleBoard,
    StaleVersion,
    TableDraft,
    UnstorableText,
    Vote,
    WorkshopSession,
)
from facilitator.core.domain.verdichting import Verdichting
from facilitator.storage.codec import contribution_to_doc, draft_to_doc, session_to_doc, verdichting_to_doc


def _storable(doc: Any) -> None:
    """Refuse what the real store's file could not hold, as the real store does, before anything changes."""
    try:
        json.dumps(doc, ensure_ascii=False, default=str).encode("utf-8")
    except (UnicodeEncodeError, ValueError, TypeError, RecursionError) as exc:
        raise UnstorableText(type(exc).__name__) from None


class MemoryRepository:
    """Keeps bijeenkomsten in dictionaries.

    `after_write` runs after every change, where the real store waits for the disk and so lets other
    work run: the interleaving tests make it switch to another use case there.
    """

    def __init__(self, clock: Callable[[], float] = time.time, after_write: Callable[[], None] | None = None) -> None:
        self._after_write = after_write or (lambda: None)
        self._lock = threading.RLock()
        #: Tells when a change was stored (the files' times in the real store); tests pass a clock of their own.
        self._clock = clock
        self._changed_at: dict[str, float] = {}
        self._sessions: dict[str, WorkshopSession] = {}
        self._participants: dict[str, dict[str, Participant]] = {}
        self._contributions: dict[str, dict[str, Contribution]] = {}
        self._drafts: dict[str, dict[tuple[str, str, int, int], TableDraft]] = {}
        self._votes: dict[str, dict[tuple[str, str, str], Vote]] = {}
        self._boards: dict[str, dict[str, Board]] = {}
        self._report_edits: dict[str, dict[str, Any]] = {}
        self._verdichtingen: dict[str, dict[str, Verdichting]] = {}
        self._optins: dict[str, dict[str, MailOptIn]] = {}
        self._mail_log: dict[str, list[MailLogEntry]] = {}

    def _require(self, session_id: str) -> None:
        if session_id not in self._sessions:
            raise SessionNotFound(session_id)

    def _stored(self, session_id: str) -> None:
        """Note that something of a bijeenkomst was stored just now (caller holds the lock)."""
        self._changed_at[session_id] = self._clock()

    def last_change(self, session_id: str) -> float:
        """Return when anything of the bijeenkomst was last stored."""
        with self._lock:
            self._require(session_id)
            return self._changed_at[session_id]

    def add_session(self, session: WorkshopSession) -> None:
        """Store a new bijeenkomst."""
        with self._lock:
            self._sessions[session.id] = session
            self._participants[session.id] = {}
            self._contributions[session.id] = {}
            self._drafts[session.id] = {}
            self._votes[session.id] = {}
            self._boards[session.id] = {}
            self._report_edits[session.id] = {}
            self._verdichtingen[session.id] = {}
            self._optins[session.id] = {}
            self._mail_log[session.id] = []
            self._stored(session.id)

    def save_session(self, session: WorkshopSession) -> WorkshopSession:
        """Store a change made on the stored version; return it with its new version; raise StaleVersion else."""
        _storable(session_to_doc(session))
        with self._lock:
            self._require(session.id)
            stored = self._sessions[session.id].version
            if session.version != stored:
                raise StaleVersion(f"bijeenkomst {session.id} is at version {stored}, not {session.version}")
            saved = replace(session, version=stored + 1)
            self._sessions[session.id] = saved
        self._stored(session.id)
        self._after_write()
        return saved

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
            stores = (
                self._sessions, self._participants, self._contributions, self._drafts, self._votes, self._boards,
                self._report_edits, self._optins, self._mail_log, self._verdichtingen,
            )
            for store in stores:
                del store[session_id]
            del self._changed_at[session_id]

    def add_participant(self, session_id: str, participant: Participant) -> int:
        """Store a participant; return how many have joined."""
        with self._lock:
            self._require(session_id)
            self._participants[session_id][participant.id] = participant
            count = len(self._participants[session_id])
        self._stored(session_id)
        self._after_write()
        return count

    def move_participant(self, session_id: str, participant_id: str, table: int | None) -> Participant:
        """Seat a stored participant at a table (only that field changes); return the participant."""
        with self._lock:
            self._require(session_id)
            stored = self._participants[session_id].get(participant_id)
            if stored is None:
                raise NotFound(f"participant {participant_id}")
            moved = replace(stored, table=table)
            self._participants[session_id][participant_id] = moved
        self._stored(session_id)
        self._after_write()
        return moved

    def list_participants(self, session_id: str) -> list[Participant]:
        """Return every participant in joining order."""
        with self._lock:
            self._require(session_id)
            return list(self._participants[session_id].values())

    def participant_tables(self, session_id: str) -> dict[str, int | None]:
        """Return each participant's table by participant id."""
        with self._lock:
            self._require(session_id)
            return {p.id: p.table for p in self._participants[session_id].values()}

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

    def watch_storage(self, listener: Callable[[str, bool], None]) -> None:
        """Accept a storage listener; memory never fails to write, so it is never called."""
        self._storage_listener = listener

    def add_contribution(self, session_id: str, contribution: Contribution) -> tuple[Contribution, bool]:
        """Store a contribution unless its id exists."""
        _storable(contribution_to_doc(contribution))
        with self._lock:
            self._require(session_id)
            existing = self._contributions[session_id].get(contribution.id)
            if existing is None:
                self._contributions[session_id][contribution.id] = contribution
                self._stored(session_id)
        self._after_write()
        return (existing, False) if existing is not None else (contribution, True)

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

    def update_contribution(self, session_id: str, contribution: Contribution) -> Contribution:
        """Store a change made on the stored version; return it with its new version; raise StaleVersion else."""
        _storable(contribution_to_doc(contribution))
        with self._lock:
            self._require(session_id)
            stored = self._contributions[session_id][contribution.id].version
            if contribution.version != stored:
                raise StaleVersion(f"contribution {contribution.id} changed meanwhile")
            saved = replace(contribution, version=stored + 1)
            self._contributions[session_id][contribution.id] = saved
        self._stored(session_id)
        self._after_write()
        return saved

    def save_draft(self, session_id: str, draft: TableDraft) -> None:
        """Store a table's draft one version past the stored one (or a first one); raise StaleVersion else."""
        _storable(draft_to_doc(draft))
        key = (draft.agenda_item_id, draft.kind, draft.table, draft.slot)
        with self._lock:
            self._require(session_id)
            stored = self._drafts[session_id].get(key)
            fresh = draft.version == (stored.version if stored else 0) + 1
            marked = stored is not None and draft.version == stored.version and draft.text == stored.text
            if not (fresh or marked):
                raise StaleVersion(f"draft {key} changed meanwhile")
            self._drafts[session_id][key] = draft
        self._stored(session_id)
        self._after_write()

    def get_draft(self, session_id: str, agenda_item_id: str, kind: str, table: int, slot: int) -> TableDraft | None:
        """Return a table's draft for one slot."""
        with self._lock:
            self._require(session_id)
            return self._drafts[session_id].get((agenda_item_id, kind, table, slot))

    def list_drafts(self, session_id: str) -> list[TableDraft]:
        """Return every table draft."""
        with self._lock:
            self._require(session_id)
            return list(self._drafts[session_id].values())

    def put_vote(self, session_id: str, vote: Vote) -> bool:
        """Store a vote fact; return whether anything changed."""
        with self._lock:
            self._require(session_id)
            key = (vote.participant_id, vote.agenda_item_id, vote.target)
            existing = self._votes[session_id].get(key)
            if existing is not None and existing.active == vote.active:
                return False
            if existing is None and not vote.active:
                return False
            self._votes[session_id][key] = vote
        self._stored(session_id)
        self._after_write()
        return True

    def list_votes(self, session_id: str) -> list[Vote]:
        """Return every vote fact."""
        with self._lock:
            self._require(session_id)
            return list(self._votes[session_id].values())

    def get_board(self, session_id: str, agenda_item_id: str) -> Board | None:
        """Return the board of an agenda item, if any."""
        with self._lock:
            self._require(session_id)
            return self._boards[session_id].get(agenda_item_id)

    def save_board(self, session_id: str, board: Board) -> None:
        """Store a board one version past the stored one; raise StaleBoard else."""
        with self._lock:
            self._require(session_id)
            stored = self._boards[session_id].get(board.agenda_item_id)
            if board.version != (stored.version if stored else 0) + 1:
                raise StaleBoard(f"board {board.agenda_item_id} is at another version")
            self._boards[session_id][board.agenda_item_id] = board
        self._stored(session_id)
        self._after_write()

    def list_boards(self, session_id: str) -> list[Board]:
        """Return every board."""
        with self._lock:
            self._require(session_id)
            return list(self._boards[session_id].values())

    def get_verdichting(self, session_id: str, agenda_item_id: str) -> Verdichting | None:
        """Return the review of an agenda item's condensed statements, if any."""
        with self._lock:
            self._require(session_id)
            return self._verdichtingen[session_id].get(agenda_item_id)

    def save_verdichting(self, session_id: str, verdichting: Verdichting) -> None:
        """Store a review one version past the stored one; raise StaleVersion else."""
        _storable(verdichting_to_doc(verdichting))
        with self._lock:
            self._require(session_id)
            stored = self._verdichtingen[session_id].get(verdichting.agenda_item_id)
            if verdichting.version != (stored.version if stored else 0) + 1:
                raise StaleVersion(f"verdichting {verdichting.agenda_item_id} is at another version")
            self._verdichtingen[session_id][verdichting.agenda_item_id] = verdichting
        self._stored(session_id)
        self._after_write()

    def get_report_edits(self, session_id: str) -> dict[str, Any]:
        """Return the verslag's edits."""
        with self._lock:
            self._require(session_id)
            return copy.deepcopy(self._report_edits[session_id])

    def change_report_edits(
        self, session_id: str, change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> dict[str, Any]:
        """Apply a change to the stored edits as one step (no other change can come between)."""
        with self._lock:
            self._require(session_id)
            edits = change(copy.deepcopy(self._report_edits[session_id]))
            _storable(edits)
            self._report_edits[session_id] = copy.deepcopy(edits)
        self._stored(session_id)
        self._after_write()
        return edits

    def put_mail_optin(self, session_id: str, optin: MailOptIn) -> None:
        """Store a request for the verslag."""
        with self._lock:
            self._require(session_id)
            self._optins[session_id].pop(optin.participant_id, None)  # keep arrival order: a new address is newest
            self._optins[session_id][optin.participant_id] = optin
            self._stored(session_id)

    def remove_mail_optin(self, session_id: str, participant_id: str) -> bool:
        """Forget a request for the verslag."""
        with self._lock:
            self._require(session_id)
            removed = self._optins[session_id].pop(participant_id, None) is not None
            if removed:
                self._stored(session_id)
            return removed

    def list_mail_optins(self, session_id: str) -> list[MailOptIn]:
        """Return every request, oldest first."""
        with self._lock:
            self._require(session_id)
            return list(self._optins[session_id].values())

    def add_mail_log(self, session_id: str, entry: MailLogEntry) -> None:
        """Append a send attempt."""
        with self._lock:
            self._require(session_id)
            self._mail_log[session_id].append(entry)
            self._stored(session_id)

    def list_mail_log(self, session_id: str) -> list[MailLogEntry]:
        """Return the send log."""
        with self._lock:
            self._require(session_id)
            return list(self._mail_log[session_id])


class MemoryLibrary:
    """Keeps library entries in a dictionary."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, LibraryEntry] = {}

    def save_entry(self, entry: LibraryEntry) -> None:
        """Store or replace an entry."""
        with self._lock:
            self._entries[entry.id] = entry

    def get_entry(self, entry_id: str) -> LibraryEntry:
        """Return an entry; raise NotFound."""
        with self._lock:
            if entry_id not in self._entries:
                raise NotFound(f"library entry {entry_id}")
            return self._entries[entry_id]

    def list_entries(self) -> list[LibraryEntry]:
        """Return every entry, newest first."""
        with self._lock:
            return sorted(self._entries.values(), key=lambda e: e.created_at, reverse=True)

    def delete_entry(self, entry_id: str) -> None:
        """Remove an entry; raise NotFound."""
        with self._lock:
            if self._entries.pop(entry_id, None) is None:
                raise NotFound(f"library entry {entry_id}")


class MemorySeries:
    """Keeps series in a dictionary."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._series: dict[str, Series] = {}

    def save_series(self, series: Series) -> Series:
        """Store a change made on the stored version (or a new series); return it with its new version."""
        with self._lock:
            stored = self._series.get(series.id)
            if series.version != (stored.version if stored else 0):
                raise StaleVersion(f"series {series.id} changed meanwhile")
            saved = replace(series, version=series.version + 1)
            self._series[series.id] = saved
            return saved

    def get_series(self, series_id: str) -> Series:
        """Return a series; raise NotFound."""
        with self._lock:
            if series_id not in self._series:
                raise NotFound(f"series {series_id}")
            return self._series[series_id]

    def list_series(self) -> list[Series]:
        """Return every series, by name."""
        with self._lock:
            return sorted(self._series.values(), key=lambda s: s.name.casefold())


class MemoryNotices:
    """Keeps deletion notices in a dictionary."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._notices: dict[str, PurgeNotice] = {}

    def list_notices(self) -> list[PurgeNotice]:
        """Return every notice, oldest first."""
        with self._lock:
            return sorted(self._notices.values(), key=lambda n: n.announced_at)

    def save_notice(self, notice: PurgeNotice) -> None:
        """Store or replace the notice of one bijeenkomst."""
        with self._lock:
            self._notices[notice.session_id] = notice

    def remove_notice(self, session_id: str) -> None:
        """Forget the notice of one bijeenkomst."""
        with self._lock:
            self._notices.pop(session_id, None)
