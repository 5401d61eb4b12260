"""The embedded default store: one TinyDB database per bijeenkomst, durable before every ack.

A bijeenkomst lives in `<id>.json`, a TinyDB snapshot that is only ever replaced atomically
(temp file, fsync, os.replace, fsync of the folder), and `<id>.journal`, an append-only file of
the documents changed since that snapshot, one JSON line each. A mutation changes the documents
in memory and then waits until a flush has appended its document to the journal and fsynced it,
so the cost of storing a contribution does not grow with what is already stored. Flushes are
serialised per bijeenkomst: while one is under way, the mutations that arrive meanwhile are all
carried by the next single append (group commit, no timers). When the journal holds more records
than the snapshot holds documents (at least COMPACT_MIN_RECORDS), the flush writes a new snapshot
and empties the journal instead, which keeps the amortised cost per write constant. Records are
whole documents keyed by table and doc id, so replaying a journal over a snapshot that already
contains it changes nothing: a crash between the two steps of a compaction is harmless.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

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

Offload = Callable[..., Any]
#: Told (session id, ok) when writing a bijeenkomst fails, and once when a write works again.
StorageListener = Callable[[str, bool], None]
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_TMP_SUFFIX = ".tmp"
_JOURNAL_SUFFIX = ".journal"
_O_BINARY = getattr(os, "O_BINARY", 0)
#: How long to retry os.replace when another program (a virus scanner, a backup tool) holds the file.
_REPLACE_RETRY_SECONDS = 2.0
#: A journal is folded into a new snapshot once it holds more records than this and than the
#: snapshot has documents.
COMPACT_MIN_RECORDS = 1000
#: The documents that carry a time of their own: (table, field).
_TIMES = (
    ("session", "created_at"), ("participants", "joined_at"), ("contributions", "created_at"),
    ("drafts", "updated_at"), ("votes", "created_at"), ("boards", "updated_at"), ("verdichtingen", "updated_at"),
    ("mail_optins", "created_at"),
    ("mail_log", "at"),
)


class _InMemoryStorage(Storage):
    """TinyDB storage that holds the database dict; the repository writes it out."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        self.data = data


class _IntKeyView(MutableMapping[int, Any]):
    """The raw table (string doc ids, as JSON has them) seen with the int doc ids TinyDB's updaters use."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw

    def __getitem__(self, doc_id: int) -> Any:
        return self._raw[str(doc_id)]

    def __setitem__(self, doc_id: int, document: Any) -> None:
        self._raw[str(doc_id)] = document

    def __delitem__(self, doc_id: int) -> None:
        del self._raw[str(doc_id)]

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(key) for key in list(self._raw))

    def __len__(self) -> int:
        return len(self._raw)


class _InPlaceTable(Table):
    """A TinyDB table that changes documents in place.

    TinyDB's own _update_table copies the whole table twice per write, so storing one
    contribution would cost more the more are stored; this keeps a write O(1).
    """

    def _update_table(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        tables: dict[str, dict[str, Any]] = self._storage.read()  # type: ignore[assignment]  # never None here
        updater(_IntKeyView(tables.setdefault(self.name, {})))  # type: ignore[arg-type]
        self.clear_cache()


class _SessionDB(TinyDB):
    """One bijeenkomst's documents, held in memory."""

    table_class = _InPlaceTable


def _call(function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _encoded(value: Any) -> bytes:
    """Return a whole file's content; refuse (UnstorableText) what UTF-8 JSON cannot hold."""
    try:
        return _dumps(value)
    except (UnicodeEncodeError, ValueError, TypeError, RecursionError) as exc:
        raise UnstorableText(type(exc).__name__) from None


def _fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":  # Windows cannot open a folder for fsync; NTFS journals the rename.
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]


def write_atomically(path: Path, payload: bytes) -> None:
    """Replace a file with new content so that a crash leaves the old or the new file whole."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}{_TMP_SUFFIX}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o600)
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        deadline = time.monotonic() + _REPLACE_RETRY_SECONDS
        while True:
            try:
                os.replace(tmp, path)
                break
            except PermissionError:
                if sys.platform != "win32" or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        _fsync_folder(path.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_session_data(snapshot: Path) -> tuple[dict[str, Any], int]:
    """Return a bijeenkomst's documents (snapshot plus journal) and how many journal records were read.

    A torn last line (a crash in the middle of an append, which was therefore never acknowledged)
    is ignored. A record that cannot be read or kept (broken JSON, text UTF-8 cannot hold, a document
    its table cannot decode) is skipped with a log line: one bad record never costs the good ones.
    Only a snapshot without a readable bijeenkomst document raises ValueError.
    """
    data = json.loads(snapshot.read_text(encoding="utf-8", errors="surrogateescape"))
    if not isinstance(data, dict) or not isinstance(data.get("session"), dict):
        raise ValueError("no session document")
    data = {table: _readable_documents(snapshot, table, docs) for table, docs in data.items() if isinstance(docs, dict)}
    journal = snapshot.with_suffix(_JOURNAL_SUFFIX)
    records = 0
    if journal.exists():
        *complete, _torn_tail = journal.read_bytes().split(b"\n")
        for number, line in enumerate(complete, start=1):
            records += 1
            try:
                record = json.loads(line)
                table, doc_id, doc = record["t"], int(record["id"]), record["doc"]
                if not isinstance(table, str) or not _is_readable(table, doc):
                    raise ValueError("not a document of its table")
            except (ValueError, KeyError, TypeError, RecursionError) as exc:
                log.error("skipping unreadable record %d of %s: %s", number, journal.name, exc)
                continue
            data.setdefault(table, {})[str(doc_id)] = doc
    if "1" not in data.get("session", {}):
        raise ValueError("no readable session document")
    return data, records


def _readable_documents(snapshot: Path, table: str, docs: dict[str, Any]) -> dict[str, Any]:
    """Return the documents of a snapshot table that can be read back and written again."""
    kept = {}
    for doc_id, doc in docs.items():
        if doc_id.isdigit() and _is_readable(table, doc):
            kept[doc_id] = doc
        else:
            log.error("skipping unreadable document %s/%s of %s", table, doc_id, snapshot.name)
    return kept


def _is_readable(table: str, doc: Any) -> bool:
    """Tell whether a stored document decodes as its table's kind and could be written again."""
    try:
        _dumps(doc)
        _DECODERS[table](doc)
    except KeyError:
        return table not in _DECODERS and isinstance(doc, dict)
    except (ValueError, TypeError, AttributeError, RecursionError):
        return False
    return True


def last_change_on_disk(snapshot: Path, data: Mapping[str, Any]) -> float:
    """Return when a bijeenkomst was last changed: the latest of its files' and its documents' times.

    Every stored change (a contribution, a join, a host action, an edit of the verslag) is a write to the
    snapshot or the journal, so the files' times cover what carries no time of its own, without a field that
    every write would have to update. The documents' times count too, so that files whose times were set back
    (restored from a backup, say) still count their contributions. A copy that gives the files new times only
    makes the bijeenkomst look more recent: retention may run later, never earlier.
    """
    times = [0.0]
    for path in (snapshot, snapshot.with_suffix(_JOURNAL_SUFFIX)):
        try:
            times.append(path.stat().st_mtime)
        except OSError:
            pass
    for table, name in _TIMES:
        for doc in data.get(table, {}).values():
            value = doc.get(name) if isinstance(doc, dict) else None
            if isinstance(value, int | float) and not isinstance(value, bool):
                times.append(float(value))
    return max(times)


def _set_file_times(file: _SessionFile, when: float) -> None:
    """Give the bijeenkomst's files back the time of its last change after a write that changed nothing."""
    for path in (file.snapshot, file.journal):
        try:
            os.utime(path, (when, when))
        except FileNotFoundError:
            pass
        except OSError as exc:  # the file then looks more recent: retention runs later, never earlier
            log.warning("could not keep the time of %s: %s", path.name, exc)


@dataclass
class _Ticket:
    """A change waiting for the disk: None while on its way, then whether it is durable."""

    durable: bool | None = None


@dataclass
class _SessionFile:
    snapshot: Path
    db: _SessionDB
    flush_lock: threading.Lock = field(default_factory=threading.Lock)
    #: The journal line of every document changed since the last flush, by (table, doc id), encoded
    #: when it changed: text the file cannot hold is refused then, never in a flush that carries others.
    pending: dict[tuple[str, int], bytes] = field(default_factory=dict)
    #: One ticket per change not yet on disk; a flush tells each whether its change is durable.
    tickets: list[_Ticket] = field(default_factory=list)
    #: What each document changed since the last durable write was before (None: it did not exist),
    #: so a failed write can put memory back as it was.
    undo: dict[tuple[str, int], Any] = field(default_factory=dict)
    #: The next doc id per table (documents are never renumbered).
    next_ids: dict[str, int] = field(default_factory=dict)
    #: The newest ticket of the flush under way, for a resend that must wait for its first copy.
    in_flight: _Ticket | None = None
    journal_fd: int | None = None
    journal_bytes: int = 0
    journal_records: int = 0
    #: Documents in the snapshot on disk; the journal is folded in once it holds more records.
    snapshot_documents: int = 0
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
    #: Whether the last write failed (a full disk, a read-only folder): the next one that works says so.
    failing: bool = False
    #: Contributions decoded once (they are frozen values) by doc id, and the list in arrival order: every
    #: phone that (re)joins is sent what concerns it, and 300 phones after a restart must not each decode 3,000.
    decoded_contributions: dict[int, Contribution] = field(default_factory=dict)
    contributions_in_order: list[Contribution] | None = None
    #: When anything was last stored (see last_change_on_disk); retention counts from it.
    last_change: float = 0.0

    @property
    def journal(self) -> Path:
        return self.snapshot.with_suffix(_JOURNAL_SUFFIX)

    @property
    def data(self) -> dict[str, Any]:
        return self.db.storage.data  # type: ignore[attr-defined, no-any-return]

    def document_count(self) -> int:
        return sum(len(table) for table in self.data.values())

    def must_compact(self, new_records: int) -> bool:
        """Tell whether appending would make the journal outgrow the snapshot (amortised O(1) per write)."""
        return self.journal_records + new_records > max(COMPACT_MIN_RECORDS, self.snapshot_documents)

    def close_journal(self) -> None:
        if self.journal_fd is not None:
            os.close(self.journal_fd)
            self.journal_fd = None


def _append_to_journal(file: _SessionFile, payload: bytes) -> None:
    """Append records and fsync; on failure cut the file back so no torn line stays behind."""
    if file.journal_fd is None:
        created = not file.journal.exists()
        file.journal_fd = os.open(file.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _O_BINARY, 0o600)
        file.journal_bytes = os.fstat(file.journal_fd).st_size
        if created:
            _fsync_folder(file.journal.parent)
    try:
        _write_all(file.journal_fd, payload)
        os.fsync(file.journal_fd)
    except OSError:
        try:
            os.ftruncate(file.journal_fd, file.journal_bytes)
        except OSError:
            pass
        raise
    file.journal_bytes += len(payload)


def _cut_torn_tail(journal: Path) -> None:
    """Cut a journal back to its last whole line (what a crash in the middle of an append leaves)."""
    content = journal.read_bytes()
    whole = content.rfind(b"\n") + 1
    if whole == len(content):
        return  # nothing torn: nothing to write, which matters on a read-only folder
    with open(journal, "r+b") as handle:
        handle.truncate(whole)
        os.fsync(handle.fileno())


def _write_snapshot_and_empty_journal(file: _SessionFile, payload: bytes) -> None:
    """Fold everything into a new snapshot, then empty the journal it now contains."""
    write_atomically(file.snapshot, payload)
    if file.journal_fd is not None:
        os.ftruncate(file.journal_fd, 0)
        os.fsync(file.journal_fd)
    elif file.journal.exists():
        with open(file.journal, "r+b") as handle:
            handle.truncate(0)
            os.fsync(handle.fileno())
    file.journal_bytes = 0


class TinyDBRepository:
    """Bijeenkomsten in `<data_dir>/sessions/<id>.json` (+ `<id>.journal`), one TinyDB database each."""

    def __init__(
        self, data_dir: str | os.PathLike[str], offload: Offload | None = None, *, read_only: bool = False
    ) -> None:
        #: Runs a blocking file write; the server passes eventlet.tpool.execute so the room never waits.
        self._offload = offload or _call
        self._folder = Path(data_dir) / "sessions"
        #: For the command line while a server may be running: read, never tidy or compact what it writes.
        self._read_only = read_only
        if not read_only:
            self._folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._files: dict[str, _SessionFile] = {}
        self._listeners: list[StorageListener] = []
        if not read_only:
            self._remove_leftovers()
        self._load_all()

    # -- loading -------------------------------------------------------------------------------

    def _remove_leftovers(self) -> None:
        leftovers = list(self._folder.glob(f".*{_TMP_SUFFIX}"))
        # A journal without its snapshot is what an interrupted deletion leaves.
        leftovers += [j for j in self._folder.glob(f"*{_JOURNAL_SUFFIX}") if not j.with_suffix(".json").exists()]
        for leftover in leftovers:
            try:
                leftover.unlink()
            except OSError as exc:
                log.warning("could not remove leftover file %s: %s", leftover.name, exc)

    def _load_all(self) -> None:
        for path in sorted(self._folder.glob("*.json")):
            try:
                data, records = read_session_data(path)
                file = self._open(path, data)
                file.snapshot_documents = file.document_count()
                file.last_change = last_change_on_disk(path, data)
                if records and not self._read_only:  # start with an empty journal: no torn tail is appended to
                    self._fold_at_start(file, records)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.error("skipping unreadable bijeenkomst file %s: %s", path.name, exc)
                continue
            self._files[path.stem] = file

    def _fold_at_start(self, file: _SessionFile, records: int) -> None:
        """Fold the journal into the snapshot; on a full disk or a read-only folder serve what is stored."""
        try:
            _write_snapshot_and_empty_journal(file, _dumps(file.data))
            # Folding changes nothing in the bijeenkomst: it must not count as activity after a restart.
            _set_file_times(file, file.last_change)
            return
        except OSError as exc:
            log.error("could not fold the journal of %s at start-up: %s", file.snapshot.name, exc)
        # The bijeenkomst stays available (its data was read whole); only a torn tail must go, so
        # that the next append starts on a line of its own. Cutting a file needs no free space.
        _cut_torn_tail(file.journal)
        file.journal_records = records
        file.failing = True

    def _open(self, path: Path, data: dict[str, Any]) -> _SessionFile:
        db = _SessionDB(storage=_InMemoryStorage, data=data)
        file = _SessionFile(snapshot=path, db=db)
        _index(file)
        return file

    # -- durability ----------------------------------------------------------------------------

    def watch_storage(self, listener: StorageListener) -> None:
        """Call listener(session id, ok) when a write fails, and once when a write works again after that."""
        self._listeners.append(listener)

    def _wrote(self, file: _SessionFile, ok: bool) -> None:
        """Note how a write went; tell the listeners of every failure and of the first success after one."""
        if ok and not file.failing:
            return
        file.failing = not ok
        for listener in self._listeners:
            try:
                listener(file.snapshot.stem, ok)
            except Exception:  # noqa: BLE001 - a listener must never turn a stored write into a failure
                log.exception("storage listener failed")

    def _file(self, session_id: str) -> _SessionFile:
        file = self._files.get(session_id)
        if file is None:
            raise SessionNotFound(session_id)
        return file

    @staticmethod
    def _put(
        file: _SessionFile, table: str, doc_id: int | None, doc: dict[str, Any], *, journal: bool = True
    ) -> tuple[int, _Ticket]:
        """Put a document in memory and queue its journal line (caller holds the lock); return doc id and ticket.

        The line is encoded first, so a document the file cannot hold (half a UTF-16 pair, nesting
        too deep) is refused before anything changes, and never reaches a flush that carries others.
        Stored documents are replaced, never changed in place, so the one replaced can be put back.
        Without `journal` the caller writes a new snapshot instead (an address must never sit in the
        journal, where a kill before that snapshot would leave it beside the one it replaced).
        """
        new = doc_id is None
        if doc_id is None:
            doc_id = file.next_ids.get(table) or _next_doc_id(file.data.get(table, {}))
        try:
            line = _dumps({"t": table, "id": doc_id, "doc": doc}) + b"\n"
        except (UnicodeEncodeError, ValueError, TypeError, RecursionError) as exc:
            raise UnstorableText(f"{table}: {type(exc).__name__}") from None
        docs = file.data.setdefault(table, {})
        key = (table, doc_id)
        if key not in file.undo:
            file.undo[key] = docs.get(str(doc_id))
        docs[str(doc_id)] = doc
        if new:
            file.next_ids[table] = doc_id + 1
        ticket = _Ticket()
        if journal:
            file.pending[key] = line
            file.tickets.append(ticket)
        return doc_id, ticket

    @staticmethod
    def _last_ticket(file: _SessionFile) -> _Ticket | None:
        """Return the ticket of the newest change on its way to disk (caller holds the lock), if any."""
        return file.tickets[-1] if file.tickets else file.in_flight

    def _make_durable(self, file: _SessionFile, ticket: _Ticket | None) -> None:
        """Return once the ticket's change is on disk; raise StorageFailed if it never will be."""
        if ticket is None:
            return
        with file.flush_lock:
            if ticket.durable is None:  # no flush since our change: carry it, and all that came with it
                self._flush(file)
        if not ticket.durable:
            raise StorageFailed("the change could not be written")

    def _flush(self, file: _SessionFile) -> None:
        """Write every queued change in one append (or a new snapshot); on failure undo them all (flush_lock held)."""
        with self._lock:
            batch = list(file.pending)
            tickets, file.tickets = file.tickets, []
            payload_lines, file.pending = file.pending, {}
            written = {key: file.data.get(key[0], {}).get(str(key[1])) for key in batch}
            compact = file.must_compact(len(batch))
            if compact:
                payload = _dumps(file.data)
                documents = file.document_count()
            else:
                payload = b"".join(payload_lines[key] for key in batch)
            file.in_flight = tickets[-1] if tickets else None
        try:
            if compact:
                self._offload(_write_snapshot_and_empty_journal, file, payload)
            else:
                self._offload(_append_to_journal, file, payload)
        except OSError as exc:
            log.error("writing %s failed: %s", file.snapshot.name, exc)
            with self._lock:
                file.in_flight = None
                # Put memory back as the disk has it: this batch and whatever came after it (built on it).
                for ticket in (*tickets, *file.tickets):
                    ticket.durable = False
                self._roll_back(file)
            self._wrote(file, False)
            return
        with self._lock:
            file.in_flight = None
            if compact:
                file.journal_records, file.snapshot_documents = 0, documents
            else:
                file.journal_records += len(batch)
            file.undo = _still_to_undo(file, written)
            for ticket in tickets:
                ticket.durable = True
            file.last_change = time.time()
        self._wrote(file, True)

    @staticmethod
    def _roll_back(file: _SessionFile) -> None:
        """Put every document changed since the last durable write back as it was (caller holds the lock)."""
        for (table, doc_id), before in file.undo.items():
            docs = file.data.setdefault(table, {})
            if before is None:
                docs.pop(str(doc_id), None)
            else:
                docs[str(doc_id)] = before
        file.undo, file.pending, file.tickets = {}, {}, []
        _index(file)

    # -- sessions ------------------------------------------------------------------------------

    def add_session(self, session: WorkshopSession) -> None:
        """Store a new bijeenkomst in a file of its own."""
        if not _SESSION_ID.match(session.id):
            raise ValueError(f"unsafe session id {session.id!r}")
        path = self._folder / f"{session.id}.json"
        with self._lock:
            file = self._open(path, {})
            self._put(file, "session", 1, session_to_doc(session))
            file.pending, file.tickets, file.undo = {}, [], {}  # written below as a snapshot of its own
            payload = _dumps(file.data)
            file.snapshot_documents = 1
        try:  # a new bijeenkomst starts as a snapshot of its own
            self._offload(write_atomically, path, payload)
        except OSError as exc:
            raise StorageFailed(str(exc)) from exc
        file.last_change = time.time()
        with self._lock:
            self._files[session.id] = file

    def save_session(self, session: WorkshopSession) -> WorkshopSession:
        """Store a change made on the stored version; return it with its new version; raise StaleVersion else."""
        with self._lock:
            file = self._file(session.id)
            stored = file.data["session"]["1"].get("version", 0)
            if session.version != stored:
                raise StaleVersion(f"bijeenkomst {session.id} is at version {stored}, not {session.version}")
            saved = replace(session, version=stored + 1)
            _doc_id, ticket = self._put(file, "session", 1, session_to_doc(saved))
        self._make_durable(file, ticket)
        return saved

    def get_session(self, session_id: str) -> WorkshopSession:
        """Return a bijeenkomst; raise SessionNotFound."""
        with self._lock:
            return session_from_doc(self._file(session_id).data["session"]["1"])

    def find_by_join_code(self, join_code: str) -> WorkshopSession:
        """Return the bijeenkomst with this join code."""
        with self._lock:
            for file in self._files.values():
                doc = file.data["session"]["1"]
                if doc["join_code"] == join_code:
                    return session_from_doc(doc)
        raise SessionNotFound(join_code)

    def list_sessions(self) -> list[WorkshopSession]:
        """Return every bijeenkomst, newest first."""
        with self._lock:
            sessions = [session_from_doc(f.data["session"]["1"]) for f in self._files.values()]
        return sorted(sessions, key=lambda s: s.created_at, reverse=True)

    def last_change(self, session_id: str) -> float:
        """Return when anything of the bijeenkomst was last stored."""
        with self._lock:
            return self._file(session_id).last_change

    def delete_session(self, session_id: str) -> None:
        """Remove the bijeenkomst's snapshot and journal from disk, for real."""
        with self._lock:
            file = self._file(session_id)
            del self._files[session_id]
        with file.flush_lock:
            file.close_journal()
            for path in (file.snapshot, file.journal):  # snapshot first: a half deletion lists nothing
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
            _fsync_folder(self._folder)

    # -- participants --------------------------------------------------------------------------

    def add_participant(self, session_id: str, participant: Participant) -> int:
        """Store a participant; return how many have joined."""
        with self._lock:
            file = self._file(session_id)
            doc_id, ticket = self._put(file, "participants", None, participant_to_doc(participant))
            file.participant_doc_ids[participant.token_hash] = doc_id
            file.participant_ids[participant.id] = doc_id
            file.participant_tables[participant.id] = participant.table
            count = len(file.participant_doc_ids)
        self._make_durable(file, ticket)
        return count

    def move_participant(self, session_id: str, participant_id: str, table: int | None) -> Participant:
        """Seat a stored participant at a table (only that field changes); return the participant."""
        with self._lock:
            file = self._file(session_id)
            doc_id = file.participant_ids.get(participant_id)
            if doc_id is None:
                raise NotFound(f"participant {participant_id}")
            doc = {**file.data["participants"][str(doc_id)], "table": table}
            _doc_id, ticket = self._put(file, "participants", doc_id, doc)
            file.participant_tables[participant_id] = table
        self._make_durable(file, ticket)
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
                ticket = self._last_ticket(file)
            else:
                doc_id, ticket = self._put(file, "contributions", None, contribution_to_doc(contribution))
                file.contribution_doc_ids[contribution.id] = doc_id
                file.decoded_contributions[doc_id] = contribution
                if file.contributions_in_order is not None:
                    file.contributions_in_order.append(contribution)  # doc ids only grow: still in order
                file.contribution_counts[
                    (contribution.participant_id, contribution.agenda_item_id, contribution.kind)
                ] += 1
                stored, created = contribution, True
        self._make_durable(file, ticket)
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
            _doc_id, ticket = self._put(file, "contributions", doc_id, contribution_to_doc(saved))
            file.decoded_contributions[doc_id] = saved
            file.contributions_in_order = None
        self._make_durable(file, ticket)
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
            doc_id, ticket = self._put(file, "drafts", doc_id, draft_to_doc(draft))
            file.draft_doc_ids[key] = doc_id
        self._make_durable(file, ticket)

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
                ticket = self._last_ticket(file)
                changed = False
            else:
                doc_id, ticket = self._put(file, "votes", doc_id, vote_to_doc(vote))
                file.vote_doc_ids[key] = doc_id
                changed = True
        self._make_durable(file, ticket)
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
            doc_id, ticket = self._put(file, "boards", doc_id, board_to_doc(board))
            file.board_doc_ids[board.agenda_item_id] = doc_id
        self._make_durable(file, ticket)

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
            _doc_id, ticket = self._put(file, "verdichtingen", doc_id, verdichting_to_doc(verdichting))
        self._make_durable(file, ticket)

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
            _doc_id, ticket = self._put(file, "report", 1, {"edits": edits})
        self._make_durable(file, ticket)
        return copy.deepcopy(edits)

    def _optin_doc_id(self, file: _SessionFile, participant_id: str) -> int | None:
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
                self._remove(file, "mail_optins", doc_id)
            self._put(file, "mail_optins", None, optin_to_doc(optin), journal=False)
        # A rewrite, not a journal line: the old address must not linger in the journal.
        self._rewrite(file)

    def remove_mail_optin(self, session_id: str, participant_id: str) -> bool:
        """Forget a request for the verslag, also on disk."""
        with self._lock:
            file = self._file(session_id)
            doc_id = self._optin_doc_id(file, participant_id)
            if doc_id is None:
                return False
            self._remove(file, "mail_optins", doc_id)
        self._rewrite(file)
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
            _doc_id, ticket = self._put(file, "mail_log", None, mail_log_to_doc(entry))
        self._make_durable(file, ticket)

    def list_mail_log(self, session_id: str) -> list[MailLogEntry]:
        """Return the send log, oldest first."""
        with self._lock:
            docs = self._file(session_id).data.get("mail_log", {})
            return [mail_log_from_doc(docs[k]) for k in sorted(docs, key=int)]

    @staticmethod
    def _remove(file: _SessionFile, table: str, doc_id: int) -> None:
        """Take a document out of memory (caller holds the lock); only a rewrite takes it off the disk."""
        key = (table, doc_id)
        docs = file.data.setdefault(table, {})
        if key not in file.undo:
            file.undo[key] = docs.get(str(doc_id))
        docs.pop(str(doc_id), None)
        file.pending.pop(key, None)

    def _rewrite(self, file: _SessionFile) -> None:
        """Write the whole file as a fresh snapshot with an empty journal, so removed data is gone from disk."""
        with file.flush_lock:
            with self._lock:
                tickets, file.tickets, file.pending = file.tickets, [], {}
                written = {key: file.data.get(key[0], {}).get(str(key[1])) for key in file.undo}
                payload = _dumps(file.data)
                documents = file.document_count()
            try:
                self._offload(_write_snapshot_and_empty_journal, file, payload)
            except OSError as exc:
                log.error("writing %s failed: %s", file.snapshot.name, exc)
                with self._lock:
                    for ticket in tickets:
                        ticket.durable = False
                    self._roll_back(file)
                self._wrote(file, False)
                raise StorageFailed(str(exc)) from exc
            with self._lock:
                file.journal_records, file.snapshot_documents = 0, documents
                file.undo = _still_to_undo(file, written)
                for ticket in tickets:
                    ticket.durable = True
                file.last_change = time.time()
            self._wrote(file, True)


def _still_to_undo(file: _SessionFile, written: dict[tuple[str, int], Any]) -> dict[tuple[str, int], Any]:
    """Return the undo entries after a durable write of `written` (caller holds the lock).

    A document still as written is durable and needs no undo; one changed again meanwhile now goes
    back to what was written, not to what it was before.
    """
    still: dict[tuple[str, int], Any] = {}
    for key, before in file.undo.items():
        if key not in written:
            still[key] = before
        elif file.data.get(key[0], {}).get(str(key[1])) is not written[key]:
            still[key] = written[key]
    return still


def _next_doc_id(docs: Mapping[str, Any]) -> int:
    """Return the doc id after the highest in a table (1 for an empty one)."""
    return max((int(key) for key in docs), default=0) + 1


def _index(file: _SessionFile) -> None:
    """Build the lookups of a bijeenkomst from its documents (at opening, and after a failed write was undone)."""
    file.contribution_doc_ids, file.participant_doc_ids, file.participant_ids = {}, {}, {}
    file.draft_doc_ids, file.vote_doc_ids, file.board_doc_ids = {}, {}, {}
    file.participant_tables, file.contribution_counts = {}, Counter()
    file.decoded_contributions, file.contributions_in_order = {}, None
    file.next_ids = {table: _next_doc_id(docs) for table, docs in file.data.items()}
    data = file.data
    for doc_id, doc in data.get("contributions", {}).items():
        file.contribution_doc_ids[doc["id"]] = int(doc_id)
        file.contribution_counts[(doc["participant_id"], doc["agenda_item_id"], doc["kind"])] += 1
    for doc_id, doc in data.get("participants", {}).items():
        file.participant_doc_ids[doc["token_hash"]] = int(doc_id)
        file.participant_ids[doc["id"]] = int(doc_id)
        file.participant_tables[doc["id"]] = doc.get("table")
    for doc_id, doc in data.get("drafts", {}).items():
        file.draft_doc_ids[(doc["agenda_item_id"], doc["kind"], doc["table"], doc["slot"])] = int(doc_id)
    for doc_id, doc in data.get("votes", {}).items():
        file.vote_doc_ids[(doc["participant_id"], doc["agenda_item_id"], doc["target"])] = int(doc_id)
    for doc_id, doc in data.get("boards", {}).items():
        file.board_doc_ids[doc["agenda_item_id"]] = int(doc_id)


class TinyDBLibrary:
    """The library of saved werkvormen in `<data_dir>/library.json`, apart from every bijeenkomst.

    It changes a few times per bijeenkomst at most, so each change simply rewrites the small file
    atomically.
    """

    def __init__(self, data_dir: str | os.PathLike[str], offload: Offload | None = None) -> None:
        self._offload = offload or _call
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
        self._db = _SessionDB(storage=_InMemoryStorage, data=data)

    def _write(self) -> None:
        payload = _encoded(self._db.storage.data)  # type: ignore[attr-defined]
        try:
            self._offload(write_atomically, self._path, payload)
        except OSError as exc:
            raise StorageFailed(str(exc)) from exc

    def _doc_id(self, entry_id: str) -> int | None:
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
        self._offload = offload or _call
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
        payload = _encoded({"series": [series_to_doc(s) for s in self._series.values()]})
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
        self._offload = offload or _call
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
        payload = _dumps({"notices": [notice_to_doc(n) for n in notices.values()]})
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
