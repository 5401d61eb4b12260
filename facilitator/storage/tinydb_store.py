"""The repositories over TinyDB's file format: bijeenkomsten, the library, series and purge notices.

A bijeenkomst is stored by the journal engine (journal.py: a snapshot in TinyDB's format plus an append-only
journal, durable before every ack); the repository here turns domain objects into its documents and back,
and keeps the lookups (by token, by contribution id, the counts) that make a join or a limit check O(1).
The library, series and notices are small files rewritten atomically on each change.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

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
    StorageFailed,
    TableDraft,
    UnstorableText,
    Vote,
    WorkshopSession,
)
from facilitator.core.domain.verdichting import Verdichting
from facilitator.storage.codec import (
    board_from_doc,
    board_to_doc,
    contribution_from_doc,
    contribution_to_doc,
    draft_from_doc,
    draft_to_doc,
    entry_from_doc,
    entry_to_doc,
    mail_log_from_doc,
    mail_log_to_doc,
    notice_from_doc,
    notice_to_doc,
    optin_from_doc,
    optin_to_doc,
    participant_from_doc,
    participant_to_doc,
    series_from_doc,
    series_to_doc,
    session_from_doc,
    session_to_doc,
    verdichting_from_doc,
    verdichting_to_doc,
    vote_from_doc,
    vote_to_doc,
)
from facilitator.storage.journal import (
    Journal,
    JournalFile,
    Offload,
    StorageListener,
    dumps,
    encoded,
    read_documents,
    run_here,
    write_atomically,
)

log = logging.getLogger(__name__)

#: How each table's documents are read back; a document that fails here is skipped at start-up.
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "session": session_from_doc,
    "participants": participant_from_doc,
    "contributions": contribution_from_doc,
    "drafts": draft_from_doc,
    "votes": vote_from_doc,
    "boards": board_from_doc,
    "verdichtingen": verdichting_from_doc,
    "mail_optins": optin_from_doc,
    "mail_log": mail_log_from_doc,
}

#: The documents that carry a time of their own: (table, field).
_TIMES = (
    ("session", "created_at"), ("participants", "joined_at"), ("contributions", "created_at"),
    ("drafts", "updated_at"), ("votes", "created_at"), ("boards", "updated_at"), ("verdichtingen", "updated_at"),
    ("mail_optins", "created_at"),
    ("mail_log", "at"),
)


class _InMemoryStorage(Storage):
    """TinyDB storage that holds the database dict; the library writes it out.

    Storage is TinyDB's public extension point; with it TinyDB's own tables do the inserts, updates and
    removals (the library is a handful of entries, rewritten whole on each change, so their copying costs nothing).
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def read(self) -> dict[str, Any]:
        """Return the database dict itself (TinyDB changes it and hands it back to write)."""
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        """Keep the database dict; nothing reaches the disk here."""
        self.data = data


def _is_readable(table: str, doc: Any) -> bool:
    """Tell whether a stored document decodes as its table's kind and could be written again."""
    try:
        dumps(doc)
        _DECODERS[table](doc)
    except KeyError:
        return table not in _DECODERS and isinstance(doc, dict)
    except (ValueError, TypeError, AttributeError, RecursionError):
        return False
    return True


def read_session_data(snapshot: Path) -> tuple[dict[str, Any], int]:
    """Return a bijeenkomst's documents (snapshot plus journal) and how many journal records were read.

    See journal.read_documents: bad records are skipped with a log line; only a snapshot without a
    readable bijeenkomst document raises ValueError.
    """
    return read_documents(snapshot, _is_readable, "session")


@dataclass
class _SessionFile(JournalFile):
    """A bijeenkomst's documents (the engine's part) and the lookups the repository keeps over them."""

    contribution_doc_ids: dict[str, int] = field(default_factory=dict)
    participant_doc_ids: dict[str, int] = field(default_factory=dict)
    #: participant id -> doc id, for changes of one field (the table) of the stored participant.
    participant_ids: dict[str, int] = field(default_factory=dict)
    draft_doc_ids: dict[tuple[str, str, int, int], int] = field(default_factory=dict)
    vote_doc_ids: dict[tuple[str, str, str], int] = field(default_factory=dict)
    board_doc_ids: dict[str, int] = field(default_factory=dict)
    #: participant id -> table, kept so the host's per-table counts cost no decoding on every join.
    participant_tables: dict[str, int | None] = field(default_factory=dict)
    #: (participant, agenda item, kind) -> how many contributions; kept so limits cost O(1).
    contribution_counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    #: Contributions decoded once (they are frozen values) by doc id, and the list in arrival order: every
    #: phone that (re)joins is sent what concerns it, and 300 phones after a restart must not each decode 3,000.
    decoded_contributions: dict[int, Contribution] = field(default_factory=dict)
    contributions_in_order: list[Contribution] | None = None

    def reindex(self) -> None:
        """Build the lookups from the documents (at opening, and after a failed write was undone)."""
        super().reindex()
        self.contribution_doc_ids, self.participant_doc_ids, self.participant_ids = {}, {}, {}
        self.draft_doc_ids, self.vote_doc_ids, self.board_doc_ids = {}, {}, {}
        self.participant_tables, self.contribution_counts = {}, Counter()
        self.decoded_contributions, self.contributions_in_order = {}, None
        data = self.data
        for doc_id, doc in data.get("contributions", {}).items():
            self.contribution_doc_ids[doc["id"]] = int(doc_id)
            self.contribution_counts[(doc["participant_id"], doc["agenda_item_id"], doc["kind"])] += 1
        for doc_id, doc in data.get("participants", {}).items():
            self.participant_doc_ids[doc["token_hash"]] = int(doc_id)
            self.participant_ids[doc["id"]] = int(doc_id)
            self.participant_tables[doc["id"]] = doc.get("table")
        for doc_id, doc in data.get("drafts", {}).items():
            self.draft_doc_ids[(doc["agenda_item_id"], doc["kind"], doc["table"], doc["slot"])] = int(doc_id)
        for doc_id, doc in data.get("votes", {}).items():
            self.vote_doc_ids[(doc["participant_id"], doc["agenda_item_id"], doc["target"])] = int(doc_id)
        for doc_id, doc in data.get("boards", {}).items():
            self.board_doc_ids[doc["agenda_item_id"]] = int(doc_id)


class TinyDBRepository:
    """Bijeenkomsten in `<data_dir>/sessions/<id>.json` (+ `<id>.journal`), one file each, kept by the journal."""

    def __init__(
        self, data_dir: str | os.PathLike[str], offload: Offload | None = None, *, read_only: bool = False
    ) -> None:
        self._journal = Journal(
            Path(data_dir) / "sessions", _SessionFile, readable=_is_readable, required="session", times=_TIMES,
            offload=offload, read_only=read_only,
        )
        #: The engine's lock: a document and the lookups built on it always change together.
        self._lock = self._journal.lock

    def watch_storage(self, listener: StorageListener) -> None:
        """Call listener(session id, ok) when a write fails, and once when a write works again after that."""
        self._journal.watch_storage(listener)

    def _file(self, session_id: str) -> _SessionFile:
        """Return a bijeenkomst's file; raise SessionNotFound."""
        return self._journal.file(session_id)

    # -- sessions ------------------------------------------------------------------------------

    def add_session(self, session: WorkshopSession) -> None:
        """Store a new bijeenkomst in a file of its own."""
        self._journal.create(session.id, "session", session_to_doc(session))

    def save_session(self, session: WorkshopSession) -> WorkshopSession:
        """Store a change made on the stored version; return it with its new version; raise StaleVersion else."""
        with self._lock:
            file = self._file(session.id)
            stored = file.data["session"]["1"].get("version", 0)
            if session.version != stored:
                raise StaleVersion(f"bijeenkomst {session.id} is at version {stored}, not {session.version}")
            saved = replace(session, version=stored + 1)
            _doc_id, ticket = self._journal.put(file, "session", 1, session_to_doc(saved))
        self._journal.make_durable(file, ticket)
        return saved

    def get_session(self, session_id: str) -> WorkshopSession:
        """Return a bijeenkomst; raise SessionNotFound."""
        with self._lock:
            return session_from_doc(self._file(session_id).data["session"]["1"])

    def find_by_join_code(self, join_code: str) -> WorkshopSession:
        """Return the bijeenkomst with this join code."""
        with self._lock:
            for file in self._journal.files():
                doc = file.data["session"]["1"]
                if doc["join_code"] == join_code:
                    return session_from_doc(doc)
        raise SessionNotFound(join_code)

    def list_sessions(self) -> list[WorkshopSession]:
        """Return every bijeenkomst, newest first."""
        with self._lock:
            sessions = [session_from_doc(f.data["session"]["1"]) for f in self._journal.files()]
        return sorted(sessions, key=lambda s: s.created_at, reverse=True)

    def last_change(self, session_id: str) -> float:
        """Return when anything of the bijeenkomst was last stored."""
        with self._lock:
            return self._file(session_id).last_change

    def delete_session(self, session_id: str) -> None:
        """Remove the bijeenkomst's snapshot and journal from disk, for real."""
        self._journal.delete(session_id)

    # -- participants --------------------------------------------------------------------------

    def add_participant(self, session_id: str, participant: Participant) -> int:
        """Store a participant; return how many have joined."""
        with self._lock:
            file = self._file(session_id)
            doc_id, ticket = self._journal.put(file, "participants", None, participant_to_doc(participant))
            file.participant_doc_ids[participant.token_hash] = doc_id
            file.participant_ids[participant.id] = doc_id
            file.participant_tables[participant.id] = participant.table
            count = len(file.participant_doc_ids)
        self._journal.make_durable(file, ticket)
        return count

    def move_participant(self, session_id: str, participant_id: str, table: int | None) -> Participant:
        """Seat a stored participant at a table (only that field changes); return the participant."""
        with self._lock:
            file = self._file(session_id)
            doc_id = file.participant_ids.get(participant_id)
            if doc_id is None:
                raise NotFound(f"participant {participant_id}")
            doc = {**file.data["participants"][str(doc_id)], "table": table}
            _doc_id, ticket = self._journal.put(file, "participants", doc_id, doc)
            file.participant_tables[participant_id] = table
        self._journal.make_durable(file, ticket)
        return participant_from_doc(doc)

    def list_participants(self, session_id: str) -> list[Participant]:
        """Return every participant in joining order."""
        with self._lock:
            docs = self._file(session_id).data.get("participants", {})
            return [participant_from_doc(docs[k]) for k in sorted(docs, key=int)]

    def participant_tables(self, session_id: str) -> dict[str, int | None]:
        """Return each participant's table by participant id."""
        with self._lock:
            return dict(self._file(session_id).participant_tables)

    def participant_by_token_hash(self, session_id: str, token_hash: str) -> Participant | None:
        """Return the participant holding a token."""
        with self._lock:
            file = self._file(session_id)
            doc_id = file.participant_doc_ids.get(token_hash)
            if doc_id is None:
                return None
            return participant_from_doc(file.data["participants"][str(doc_id)])

    def count_participants(self, session_id: str) -> int:
        """Return how many participants have joined."""
        with self._lock:
            return len(self._file(session_id).participant_doc_ids)

    # -- contributions -------------------------------------------------------------------------

    def add_contribution(self, session_id: str, contribution: Contribution) -> tuple[Contribution, bool]:
        """Store a contribution unless its id exists; either way return once it is durable.

        It counts as new (True) for the call that stored it. A store that failed was undone, so the
        resend that follows stores it anew and is its first acknowledgement.
        """
        with self._lock:
            file = self._file(session_id)
            doc_id = file.contribution_doc_ids.get(contribution.id)
            if doc_id is not None:
                stored, created = self._decoded(file, doc_id), False
                # A resend may arrive while the first copy is still being flushed: it waits too.
                ticket = self._journal.last_ticket(file)
            else:
                doc_id, ticket = self._journal.put(file, "contributions", None, contribution_to_doc(contribution))
                file.contribution_doc_ids[contribution.id] = doc_id
                file.decoded_contributions[doc_id] = contribution
                if file.contributions_in_order is not None:
                    file.contributions_in_order.append(contribution)  # doc ids only grow: still in order
                file.contribution_counts[
                    (contribution.participant_id, contribution.agenda_item_id, contribution.kind)
                ] += 1
                stored, created = contribution, True
        self._journal.make_durable(file, ticket)
        return stored, created

    def count_contributions(self, session_id: str, participant_id: str, agenda_item_id: str, kind: str) -> int:
        """Return how many items of a kind one participant sent for one agenda item."""
        with self._lock:
            return self._file(session_id).contribution_counts[(participant_id, agenda_item_id, kind)]

    def get_contribution(self, session_id: str, contribution_id: str) -> Contribution | None:
        """Return a contribution by id."""
        with self._lock:
            file = self._file(session_id)
            doc_id = file.contribution_doc_ids.get(contribution_id)
            if doc_id is None:
                return None
            return self._decoded(file, doc_id)

    @staticmethod
    def _decoded(file: _SessionFile, doc_id: int) -> Contribution:
        """Return a stored contribution, decoding its document only the first time (caller holds the lock)."""
        found = file.decoded_contributions.get(doc_id)
        if found is None:
            found = contribution_from_doc(file.data["contributions"][str(doc_id)])
            file.decoded_contributions[doc_id] = found
        return found

    def list_contributions(self, session_id: str) -> list[Contribution]:
        """Return the contributions in arrival order."""
        with self._lock:
            file = self._file(session_id)
            if file.contributions_in_order is None:
                doc_ids = sorted(int(key) for key in file.data.get("contributions", {}))
                file.contributions_in_order = [self._decoded(file, doc_id) for doc_id in doc_ids]
            return list(file.contributions_in_order)

    def update_contribution(self, session_id: str, contribution: Contribution) -> Contribution:
        """Store a change made on the stored version; return it with its new version; raise StaleVersion else."""
        with self._lock:
            file = self._file(session_id)
            doc_id = file.contribution_doc_ids[contribution.id]
            stored = self._decoded(file, doc_id).version
            if contribution.version != stored:
                raise StaleVersion(f"contribution {contribution.id} changed meanwhile")
            saved = replace(contribution, version=stored + 1)
            _doc_id, ticket = self._journal.put(file, "contributions", doc_id, contribution_to_doc(saved))
            file.decoded_contributions[doc_id] = saved
            file.contributions_in_order = None
        self._journal.make_durable(file, ticket)
        return saved

    # -- table drafts and votes ----------------------------------------------------------------

    def save_draft(self, session_id: str, draft: TableDraft) -> None:
        """Store a table's draft one version past the stored one (or a first one); raise StaleVersion else."""
        key = (draft.agenda_item_id, draft.kind, draft.table, draft.slot)
        with self._lock:
            file = self._file(session_id)
            doc_id = file.draft_doc_ids.get(key)
            stored = file.data["drafts"][str(doc_id)] if doc_id is not None else None
            # A new text is one version past the stored one; marking it submitted keeps its version and text.
            fresh = draft.version == (stored["version"] if stored else 0) + 1
            marked = stored is not None and draft.version == stored["version"] and draft.text == stored["text"]
            if not (fresh or marked):
                raise StaleVersion(f"draft {key} changed meanwhile")
            doc_id, ticket = self._journal.put(file, "drafts", doc_id, draft_to_doc(draft))
            file.draft_doc_ids[key] = doc_id
        self._journal.make_durable(file, ticket)

    def get_draft(self, session_id: str, agenda_item_id: str, kind: str, table: int, slot: int) -> TableDraft | None:
        """Return a table's draft for one slot."""
        with self._lock:
            file = self._file(session_id)
            doc_id = file.draft_doc_ids.get((agenda_item_id, kind, table, slot))
            if doc_id is None:
                return None
            return draft_from_doc(file.data["drafts"][str(doc_id)])

    def list_drafts(self, session_id: str) -> list[TableDraft]:
        """Return every table draft."""
        with self._lock:
            docs = list(self._file(session_id).data.get("drafts", {}).values())
        return [draft_from_doc(doc) for doc in docs]

    def put_vote(self, session_id: str, vote: Vote) -> bool:
        """Store a vote fact keyed by (participant, agenda item, target); return whether anything changed."""
        key = (vote.participant_id, vote.agenda_item_id, vote.target)
        with self._lock:
            file = self._file(session_id)
            doc_id = file.vote_doc_ids.get(key)
            current = file.data["votes"][str(doc_id)] if doc_id is not None else None
            if (current is None and not vote.active) or (current is not None and current["active"] == vote.active):
                # Nothing changes, but the same fact may still be on its way to disk: wait for it.
                ticket = self._journal.last_ticket(file)
                changed = False
            else:
                doc_id, ticket = self._journal.put(file, "votes", doc_id, vote_to_doc(vote))
                file.vote_doc_ids[key] = doc_id
                changed = True
        self._journal.make_durable(file, ticket)
        return changed

    def list_votes(self, session_id: str) -> list[Vote]:
        """Return every vote fact."""
        with self._lock:
            docs = list(self._file(session_id).data.get("votes", {}).values())
        return [vote_from_doc(doc) for doc in docs]

    # -- boards --------------------------------------------------------------------------------

    def get_board(self, session_id: str, agenda_item_id: str) -> Board | None:
        """Return the board of an agenda item, if any."""
        with self._lock:
            file = self._file(session_id)
            doc_id = file.board_doc_ids.get(agenda_item_id)
            if doc_id is None:
                return None
            return board_from_doc(file.data["boards"][str(doc_id)])

    def save_board(self, session_id: str, board: Board) -> None:
        """Store a board one version past the stored one, durably; raise StaleBoard else."""
        with self._lock:
            file = self._file(session_id)
            doc_id = file.board_doc_ids.get(board.agenda_item_id)
            stored_version = file.data["boards"][str(doc_id)]["version"] if doc_id is not None else 0
            if board.version != stored_version + 1:
                raise StaleBoard(f"board {board.agenda_item_id} is at another version")
            doc_id, ticket = self._journal.put(file, "boards", doc_id, board_to_doc(board))
            file.board_doc_ids[board.agenda_item_id] = doc_id
        self._journal.make_durable(file, ticket)

    def list_boards(self, session_id: str) -> list[Board]:
        """Return every board."""
        with self._lock:
            docs = list(self._file(session_id).data.get("boards", {}).values())
        return [board_from_doc(doc) for doc in docs]

    # -- verdichten ------------------------------------------------------------------------------

    @staticmethod
    def _verdichting_doc_id(file: _SessionFile, agenda_item_id: str) -> int | None:
        # One document per agenda item that was reviewed: a handful, so a scan costs nothing.
        for doc_id, doc in file.data.get("verdichtingen", {}).items():
            if doc["agenda_item_id"] == agenda_item_id:
                return int(doc_id)
        return None

    def get_verdichting(self, session_id: str, agenda_item_id: str) -> Verdichting | None:
        """Return the review of an agenda item's condensed statements, if any."""
        with self._lock:
            file = self._file(session_id)
            doc_id = self._verdichting_doc_id(file, agenda_item_id)
            return None if doc_id is None else verdichting_from_doc(file.data["verdichtingen"][str(doc_id)])

    def save_verdichting(self, session_id: str, verdichting: Verdichting) -> None:
        """Store a review one version past the stored one, durably; raise StaleVersion else."""
        with self._lock:
            file = self._file(session_id)
            doc_id = self._verdichting_doc_id(file, verdichting.agenda_item_id)
            stored = file.data["verdichtingen"][str(doc_id)]["version"] if doc_id is not None else 0
            if verdichting.version != stored + 1:
                raise StaleVersion(f"verdichting {verdichting.agenda_item_id} is at another version")
            _doc_id, ticket = self._journal.put(file, "verdichtingen", doc_id, verdichting_to_doc(verdichting))
        self._journal.make_durable(file, ticket)

    # -- the verslag ----------------------------------------------------------------------------

    def get_report_edits(self, session_id: str) -> dict[str, Any]:
        """Return the verslag's edits (a copy)."""
        with self._lock:
            doc = self._file(session_id).data.get("report", {}).get("1")
            return copy.deepcopy(doc["edits"]) if doc else {}

    def change_report_edits(
        self, session_id: str, change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> dict[str, Any]:
        """Apply a change to the stored edits as one step (no other change can come between), durably."""
        with self._lock:
            file = self._file(session_id)
            doc = file.data.get("report", {}).get("1")
            edits = change(copy.deepcopy(doc["edits"]) if doc else {})
            _doc_id, ticket = self._journal.put(file, "report", 1, {"edits": edits})
        self._journal.make_durable(file, ticket)
        return copy.deepcopy(edits)

    def _optin_doc_id(self, file: _SessionFile, participant_id: str) -> int | None:
        """Return the doc id of a participant's request for the verslag (a few per bijeenkomst: a scan is cheap)."""
        for doc_id, doc in file.data.get("mail_optins", {}).items():
            if doc["participant_id"] == participant_id:
                return int(doc_id)
        return None

    def put_mail_optin(self, session_id: str, optin: MailOptIn) -> None:
        """Store a request for the verslag; a changed address replaces the old one everywhere on disk."""
        with self._lock:
            file = self._file(session_id)
            doc_id = self._optin_doc_id(file, optin.participant_id)
            if doc_id is not None:
                self._journal.remove(file, "mail_optins", doc_id)
            self._journal.put(file, "mail_optins", None, optin_to_doc(optin), journal=False)
        # A rewrite, not a journal line: the old address must not linger in the journal.
        self._journal.rewrite(file)

    def remove_mail_optin(self, session_id: str, participant_id: str) -> bool:
        """Forget a request for the verslag, also on disk."""
        with self._lock:
            file = self._file(session_id)
            doc_id = self._optin_doc_id(file, participant_id)
            if doc_id is None:
                return False
            self._journal.remove(file, "mail_optins", doc_id)
        self._journal.rewrite(file)
        return True

    def list_mail_optins(self, session_id: str) -> list[MailOptIn]:
        """Return every request, oldest first."""
        with self._lock:
            docs = self._file(session_id).data.get("mail_optins", {})
            return [optin_from_doc(docs[k]) for k in sorted(docs, key=int)]

    def add_mail_log(self, session_id: str, entry: MailLogEntry) -> None:
        """Append a send attempt, durably."""
        with self._lock:
            file = self._file(session_id)
            _doc_id, ticket = self._journal.put(file, "mail_log", None, mail_log_to_doc(entry))
        self._journal.make_durable(file, ticket)

    def list_mail_log(self, session_id: str) -> list[MailLogEntry]:
        """Return the send log, oldest first."""
        with self._lock:
            docs = self._file(session_id).data.get("mail_log", {})
            return [mail_log_from_doc(docs[k]) for k in sorted(docs, key=int)]


class TinyDBLibrary:
    """The library of saved werkvormen in `<data_dir>/library.json`, apart from every bijeenkomst.

    It changes a few times per bijeenkomst at most, so each change simply rewrites the small file
    atomically.
    """

    def __init__(self, data_dir: str | os.PathLike[str], offload: Offload | None = None) -> None:
        self._offload = offload or run_here
        self._path = Path(data_dir) / "library.json"
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        data: dict[str, Any] = {}
        if self._path.exists():
            try:
                data = json.loads(self._path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                log.error("library file %s is unreadable, starting empty: %s", self._path.name, exc)
        try:  # valid JSON of another shape must not crash the first list_entries() either
            entries: Any = data.get("entries", {}) if isinstance(data, dict) else None
            for doc in entries.values():
                entry_from_doc(doc)
        except (AttributeError, TypeError, ValueError) as exc:
            log.error("library file %s is not a library, starting empty: %s", self._path.name, exc)
            data = {}
        self._db = TinyDB(storage=_InMemoryStorage, data=data)

    def _write(self) -> None:
        """Rewrite the library file atomically; raise StorageFailed."""
        payload = encoded(self._db.storage.data)  # type: ignore[attr-defined]
        try:
            self._offload(write_atomically, self._path, payload)
        except OSError as exc:
            raise StorageFailed(str(exc)) from exc

    def _doc_id(self, entry_id: str) -> int | None:
        """Return the doc id of a library entry, if stored."""
        for doc in self._db.table("entries").all():
            if doc["id"] == entry_id:
                return doc.doc_id
        return None

    def _change(self, change: Callable[[], object]) -> None:
        """Make a change and write the file; when that fails the library stays as it was (caller holds the lock)."""
        storage = self._db.storage
        before = copy.deepcopy(storage.data)  # type: ignore[attr-defined]
        try:
            change()
            self._write()
        except BaseException:
            storage.data.clear()  # type: ignore[attr-defined]
            storage.data.update(before)  # type: ignore[attr-defined]
            self._db.table("entries").clear_cache()
            raise

    def save_entry(self, entry: LibraryEntry) -> None:
        """Store or replace an entry."""
        with self._lock:
            doc_id = self._doc_id(entry.id)
            if doc_id is None:
                self._change(lambda: self._db.table("entries").insert(entry_to_doc(entry)))
            else:
                self._change(lambda: self._db.table("entries").update(entry_to_doc(entry), doc_ids=[doc_id]))

    def get_entry(self, entry_id: str) -> LibraryEntry:
        """Return an entry; raise NotFound."""
        with self._lock:
            doc_id = self._doc_id(entry_id)
            if doc_id is None:
                raise NotFound(f"library entry {entry_id}")
            return entry_from_doc(self._db.table("entries").get(doc_id=doc_id))  # type: ignore[arg-type]

    def list_entries(self) -> list[LibraryEntry]:
        """Return every entry, newest first."""
        with self._lock:
            entries = [entry_from_doc(doc) for doc in self._db.table("entries").all()]
        return sorted(entries, key=lambda e: e.created_at, reverse=True)

    def delete_entry(self, entry_id: str) -> None:
        """Remove an entry; raise NotFound."""
        with self._lock:
            doc_id = self._doc_id(entry_id)
            if doc_id is None:
                raise NotFound(f"library entry {entry_id}")
            self._change(lambda: self._db.table("entries").remove(doc_ids=[doc_id]))


class TinyDBSeries:
    """Series of bijeenkomsten in `<data_dir>/series.json`, apart from every bijeenkomst.

    Deleting a bijeenkomst leaves its series (motto, organisers, the recap of its published rode
    draden) in place for the next one; a series changes a few times per bijeenkomst, so each change
    rewrites the small file atomically.
    """

    def __init__(self, data_dir: str | os.PathLike[str], offload: Offload | None = None) -> None:
        self._offload = offload or run_here
        self._path = Path(data_dir) / "series.json"
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._series: dict[str, Series] = {}
        if self._path.exists():
            try:
                raw = json.loads(self._path.read_text("utf-8"))
                self._series = {doc["id"]: series_from_doc(doc) for doc in raw["series"]}
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                log.error("series file %s is unreadable, starting empty: %s", self._path.name, exc)

    def _write(self) -> None:
        """Rewrite the series file atomically; raise StorageFailed."""
        payload = encoded({"series": [series_to_doc(s) for s in self._series.values()]})
        try:
            self._offload(write_atomically, self._path, payload)
        except OSError as exc:
            raise StorageFailed(str(exc)) from exc

    def save_series(self, series: Series) -> Series:
        """Store a change made on the stored version (or a new series), durably; return it with its new version."""
        with self._lock:
            previous = self._series.get(series.id)
            if series.version != (previous.version if previous else 0):
                raise StaleVersion(f"series {series.id} changed meanwhile")
            saved = replace(series, version=series.version + 1)
            self._series[series.id] = saved
            try:
                self._write()
            except (StorageFailed, UnstorableText):
                if previous is None:
                    del self._series[series.id]
                else:
                    self._series[series.id] = previous
                raise
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


class TinyDBNotices:
    """Bijeenkomsten announced for deletion in `<data_dir>/purge.json`, apart from every bijeenkomst.

    Kept apart so that announcing, showing or confirming a deletion never counts as a change of the bijeenkomst
    itself (its files' times are its last activity). It changes at a start and when the facilitator looks, so
    each change rewrites the small file atomically.
    """

    def __init__(self, data_dir: str | os.PathLike[str], offload: Offload | None = None) -> None:
        self._offload = offload or run_here
        self._path = Path(data_dir) / "purge.json"
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._notices: dict[str, PurgeNotice] = {}
        if self._path.exists():
            try:
                raw = json.loads(self._path.read_text("utf-8"))
                self._notices = {doc["session_id"]: notice_from_doc(doc) for doc in raw["notices"]}
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                # Starting empty only delays a deletion: everything is announced again first.
                log.error("notice file %s is unreadable, starting empty: %s", self._path.name, exc)

    def _write(self, notices: dict[str, PurgeNotice]) -> None:
        """Rewrite the notice file atomically, then keep `notices`; raise StorageFailed."""
        payload = dumps({"notices": [notice_to_doc(n) for n in notices.values()]})
        try:
            self._offload(write_atomically, self._path, payload)
        except OSError as exc:
            raise StorageFailed(str(exc)) from exc
        self._notices = notices

    def list_notices(self) -> list[PurgeNotice]:
        """Return every notice, oldest first."""
        with self._lock:
            return sorted(self._notices.values(), key=lambda n: n.announced_at)

    def save_notice(self, notice: PurgeNotice) -> None:
        """Store or replace the notice of one bijeenkomst, durably."""
        with self._lock:
            self._write({**self._notices, notice.session_id: notice})

    def remove_notice(self, session_id: str) -> None:
        """Forget the notice of one bijeenkomst, durably."""
        with self._lock:
            if session_id in self._notices:
                self._write({k: v for k, v in self._notices.items() if k != session_id})
