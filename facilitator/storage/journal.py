"""The journal engine: documents in memory, each file a snapshot plus a journal, durable before every ack.

A file (one bijeenkomst) lives in `<name>.json`, a snapshot in TinyDB's file format (`{table: {doc id:
document}}`) that is only ever replaced atomically (temp file, fsync, os.replace, fsync of the folder), and
`<name>.journal`, an append-only file of the documents changed since that snapshot, one JSON line each. A
mutation changes the documents in memory and then waits until a flush has appended its document to the
journal and fsynced it, so the cost of storing a contribution does not grow with what is already stored.
Flushes are serialised per file: while one is under way, the mutations that arrive meanwhile are all carried
by the next single append (group commit, no timers). When the journal holds more records than the snapshot
holds documents (at least COMPACT_MIN_RECORDS), the flush writes a new snapshot and empties the journal
instead, which keeps the amortised cost per write constant. Records are whole documents keyed by table and
doc id, so replaying a journal over a snapshot that already contains it changes nothing: a crash between the
two steps of a compaction is harmless.

The engine knows documents, not what they mean: the repository (tinydb_store.py) says which documents are
readable, which table every file must hold, and which fields carry a time; it keeps its own lookups in a
subclass of JournalFile. Only the standard library and the domain's errors are imported here.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from facilitator.core.domain import SessionNotFound, StorageFailed, UnstorableText

log = logging.getLogger(__name__)

#: Runs a blocking file write; the server passes its runtime's run_blocking (a worker thread) so the room never waits.
Offload = Callable[..., Any]
#: Told (session id, ok) when writing a bijeenkomst fails, and once when a write works again.
StorageListener = Callable[[str, bool], None]
#: Tells whether a stored document (table, document) can be read back as its table's kind.
Readable = Callable[[str, Any], bool]
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_TMP_SUFFIX = ".tmp"
_JOURNAL_SUFFIX = ".journal"
_O_BINARY = getattr(os, "O_BINARY", 0)
#: How long to retry os.replace when another program (a virus scanner, a backup tool) holds the file.
_REPLACE_RETRY_SECONDS = 2.0
#: A journal is folded into a new snapshot once it holds more records than this and than the
#: snapshot has documents.
COMPACT_MIN_RECORDS = 1000


def run_here(function: Callable[..., Any], *args: Any) -> Any:
    """Run a write in the calling thread (the default when no offload is given)."""
    return function(*args)


def dumps(value: Any) -> bytes:
    """Return compact UTF-8 JSON; raise what json raises for text UTF-8 cannot hold."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encoded(value: Any) -> bytes:
    """Return a whole file's content; refuse (UnstorableText) what UTF-8 JSON cannot hold."""
    try:
        return dumps(value)
    except (UnicodeEncodeError, ValueError, TypeError, RecursionError) as exc:
        raise UnstorableText(type(exc).__name__) from None


def fsync_folder(folder: Path) -> None:
    """Make a rename, creation or deletion in a folder durable."""
    if sys.platform == "win32":  # Windows cannot open a folder for fsync; NTFS journals the rename.
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, payload: bytes) -> None:
    """Write every byte (os.write may write fewer than asked)."""
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
        fsync_folder(path.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_documents(snapshot: Path, readable: Readable, required: str) -> tuple[dict[str, Any], int]:
    """Return a file's documents (snapshot plus journal) and how many journal records were read.

    A torn last line (a crash in the middle of an append, which was therefore never acknowledged)
    is ignored. A record that cannot be read or kept (broken JSON, text UTF-8 cannot hold, a document
    its table cannot decode) is skipped with a log line: one bad record never costs the good ones.
    Only a snapshot without a readable document 1 in the `required` table raises ValueError.
    """
    data = json.loads(snapshot.read_text(encoding="utf-8", errors="surrogateescape"))
    if not isinstance(data, dict) or not isinstance(data.get(required), dict):
        raise ValueError(f"no {required} document")
    data = {
        table: _readable_documents(snapshot, table, docs, readable)
        for table, docs in data.items()
        if isinstance(docs, dict)
    }
    journal = snapshot.with_suffix(_JOURNAL_SUFFIX)
    records = 0
    if journal.exists():
        *complete, _torn_tail = journal.read_bytes().split(b"\n")
        for number, line in enumerate(complete, start=1):
            records += 1
            try:
                record = json.loads(line)
                table, doc_id, doc = record["t"], int(record["id"]), record["doc"]
                if not isinstance(table, str) or not readable(table, doc):
                    raise ValueError("not a document of its table")
            except (ValueError, KeyError, TypeError, RecursionError) as exc:
                log.error("skipping unreadable record %d of %s: %s", number, journal.name, exc)
                continue
            data.setdefault(table, {})[str(doc_id)] = doc
    if "1" not in data.get(required, {}):
        raise ValueError(f"no readable {required} document")
    return data, records


def _readable_documents(snapshot: Path, table: str, docs: dict[str, Any], readable: Readable) -> dict[str, Any]:
    """Return the documents of a snapshot table that can be read back and written again."""
    kept = {}
    for doc_id, doc in docs.items():
        if doc_id.isdigit() and readable(table, doc):
            kept[doc_id] = doc
        else:
            log.error("skipping unreadable document %s/%s of %s", table, doc_id, snapshot.name)
    return kept


def last_change_on_disk(snapshot: Path, data: Mapping[str, Any], times: Iterable[tuple[str, str]]) -> float:
    """Return when a file was last changed: the latest of its files' and its documents' times (`times`: table, field).

    Every stored change (a contribution, a join, a host action, an edit of the verslag) is a write to the
    snapshot or the journal, so the files' times cover what carries no time of its own, without a field that
    every write would have to update. The documents' times count too, so that files whose times were set back
    (restored from a backup, say) still count their contributions. A copy that gives the files new times only
    makes the bijeenkomst look more recent: retention may run later, never earlier.
    """
    found = [0.0]
    for path in (snapshot, snapshot.with_suffix(_JOURNAL_SUFFIX)):
        try:
            found.append(path.stat().st_mtime)
        except OSError:
            pass
    for table, name in times:
        for doc in data.get(table, {}).values():
            value = doc.get(name) if isinstance(doc, dict) else None
            if isinstance(value, int | float) and not isinstance(value, bool):
                found.append(float(value))
    return max(found)


def next_doc_id(docs: Mapping[str, Any]) -> int:
    """Return the doc id after the highest in a table (1 for an empty one)."""
    return max((int(key) for key in docs), default=0) + 1


@dataclass
class Ticket:
    """A change waiting for the disk: None while on its way, then whether it is durable."""

    durable: bool | None = None


@dataclass
class JournalFile:
    """One file's documents in memory and what of them is on its way to disk."""

    snapshot: Path
    #: {table: {doc id as text: document}}, as the snapshot holds it; documents are replaced, never changed.
    data: dict[str, Any]
    flush_lock: threading.Lock = field(default_factory=threading.Lock)
    #: The journal line of every document changed since the last flush, by (table, doc id), encoded
    #: when it changed: text the file cannot hold is refused then, never in a flush that carries others.
    pending: dict[tuple[str, int], bytes] = field(default_factory=dict)
    #: One ticket per change not yet on disk; a flush tells each whether its change is durable.
    tickets: list[Ticket] = field(default_factory=list)
    #: What each document changed since the last durable write was before (None: it did not exist),
    #: so a failed write can put memory back as it was.
    undo: dict[tuple[str, int], Any] = field(default_factory=dict)
    #: The next doc id per table (documents are never renumbered).
    next_ids: dict[str, int] = field(default_factory=dict)
    #: The newest ticket of the flush under way, for a resend that must wait for its first copy.
    in_flight: Ticket | None = None
    journal_fd: int | None = None
    journal_bytes: int = 0
    journal_records: int = 0
    #: Documents in the snapshot on disk; the journal is folded in once it holds more records.
    snapshot_documents: int = 0
    #: Whether the last write failed (a full disk, a read-only folder): the next one that works says so.
    failing: bool = False
    #: When anything was last stored (see last_change_on_disk); retention counts from it.
    last_change: float = 0.0

    @property
    def journal(self) -> Path:
        """Return the path of the journal beside the snapshot."""
        return self.snapshot.with_suffix(_JOURNAL_SUFFIX)

    def reindex(self) -> None:
        """Rebuild what is derived from the documents (at opening, and after a failed write was undone).

        A repository that keeps lookups of its own extends this; they must never disagree with the documents.
        """
        self.next_ids = {table: next_doc_id(docs) for table, docs in self.data.items()}

    def document_count(self) -> int:
        """Return how many documents the file holds (what a snapshot written now would hold)."""
        return sum(len(table) for table in self.data.values())

    def must_compact(self, new_records: int) -> bool:
        """Tell whether appending would make the journal outgrow the snapshot (amortised O(1) per write)."""
        return self.journal_records + new_records > max(COMPACT_MIN_RECORDS, self.snapshot_documents)

    def close_journal(self) -> None:
        """Close the journal's file descriptor, if open."""
        if self.journal_fd is not None:
            os.close(self.journal_fd)
            self.journal_fd = None


def _set_file_times(file: JournalFile, when: float) -> None:
    """Give the file's snapshot and journal back the time of its last change after a write that changed nothing."""
    for path in (file.snapshot, file.journal):
        try:
            os.utime(path, (when, when))
        except FileNotFoundError:
            pass
        except OSError as exc:  # the file then looks more recent: retention runs later, never earlier
            log.warning("could not keep the time of %s: %s", path.name, exc)


def _append_to_journal(file: JournalFile, payload: bytes) -> None:
    """Append records and fsync; on failure cut the file back so no torn line stays behind."""
    if file.journal_fd is None:
        created = not file.journal.exists()
        file.journal_fd = os.open(file.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _O_BINARY, 0o600)
        file.journal_bytes = os.fstat(file.journal_fd).st_size
        if created:
            fsync_folder(file.journal.parent)
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


def _write_snapshot_and_empty_journal(file: JournalFile, payload: bytes) -> None:
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


def _still_to_undo(file: JournalFile, written: dict[tuple[str, int], Any]) -> dict[tuple[str, int], Any]:
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


F = TypeVar("F", bound=JournalFile)


class Journal(Generic[F]):
    """Every file in one folder, in memory, each written as a snapshot plus a journal."""

    def __init__(
        self,
        folder: Path,
        file_class: type[F],
        *,
        readable: Readable,
        required: str,
        times: Sequence[tuple[str, str]] = (),
        offload: Offload | None = None,
        read_only: bool = False,
    ) -> None:
        self._offload = offload or run_here
        self._folder = folder
        self._file_class = file_class
        self._readable = readable
        #: The table whose document 1 every file holds (the bijeenkomst itself); a file without it is skipped.
        self._required = required
        self._times = tuple(times)
        #: For the command line while a server may be running: read, never tidy or compact what it writes.
        self._read_only = read_only
        if not read_only:
            self._folder.mkdir(parents=True, exist_ok=True)
        #: One lock over every file's documents; the repository holds it too, so its lookups change with them.
        self.lock = threading.RLock()
        self._files: dict[str, F] = {}
        self._listeners: list[StorageListener] = []
        if not read_only:
            self._remove_leftovers()
        self._load_all()

    # -- loading -------------------------------------------------------------------------------

    def _remove_leftovers(self) -> None:
        """Remove temp files of interrupted snapshots and journals whose snapshot is gone."""
        leftovers = list(self._folder.glob(f".*{_TMP_SUFFIX}"))
        # A journal without its snapshot is what an interrupted deletion leaves.
        leftovers += [j for j in self._folder.glob(f"*{_JOURNAL_SUFFIX}") if not j.with_suffix(".json").exists()]
        for leftover in leftovers:
            try:
                leftover.unlink()
            except OSError as exc:
                log.warning("could not remove leftover file %s: %s", leftover.name, exc)

    def _load_all(self) -> None:
        """Read every file of the folder; one that cannot be read is skipped with a log line."""
        for path in sorted(self._folder.glob("*.json")):
            try:
                data, records = read_documents(path, self._readable, self._required)
                file = self._open(path, data)
                file.snapshot_documents = file.document_count()
                file.last_change = last_change_on_disk(path, data, self._times)
                if records and not self._read_only:  # start with an empty journal: no torn tail is appended to
                    self._fold_at_start(file, records)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.error("skipping unreadable bijeenkomst file %s: %s", path.name, exc)
                continue
            self._files[path.stem] = file

    def _fold_at_start(self, file: F, records: int) -> None:
        """Fold the journal into the snapshot; on a full disk or a read-only folder serve what is stored."""
        try:
            _write_snapshot_and_empty_journal(file, dumps(file.data))
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

    def _open(self, path: Path, data: dict[str, Any]) -> F:
        """Return a file over documents read (or none yet), its lookups built."""
        file = self._file_class(snapshot=path, data=data)
        file.reindex()
        return file

    # -- files ---------------------------------------------------------------------------------

    def file(self, name: str) -> F:
        """Return a file by name (the session id); raise SessionNotFound."""
        file = self._files.get(name)
        if file is None:
            raise SessionNotFound(name)
        return file

    def files(self) -> list[F]:
        """Return every file (caller holds the lock)."""
        return list(self._files.values())

    def create(self, name: str, table: str, doc: dict[str, Any]) -> F:
        """Store a new file whose snapshot holds one document (doc id 1), durably, before it is listed."""
        if not _NAME.match(name):
            raise ValueError(f"unsafe session id {name!r}")
        path = self._folder / f"{name}.json"
        with self.lock:
            file = self._open(path, {})
            self.put(file, table, 1, doc)
            file.pending, file.tickets, file.undo = {}, [], {}  # written below as a snapshot of its own
            payload = dumps(file.data)
            file.snapshot_documents = 1
        try:  # a new file starts as a snapshot of its own
            self._offload(write_atomically, path, payload)
        except OSError as exc:
            raise StorageFailed(str(exc)) from exc
        file.last_change = time.time()
        with self.lock:
            self._files[name] = file
        return file

    def delete(self, name: str) -> None:
        """Remove a file's snapshot and journal from disk, for real; raise SessionNotFound."""
        with self.lock:
            file = self.file(name)
            del self._files[name]
        with file.flush_lock:
            file.close_journal()
            for path in (file.snapshot, file.journal):  # snapshot first: a half deletion lists nothing
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
            fsync_folder(self._folder)

    # -- durability ----------------------------------------------------------------------------

    def watch_storage(self, listener: StorageListener) -> None:
        """Call listener(session id, ok) when a write fails, and once when a write works again after that."""
        self._listeners.append(listener)

    def _wrote(self, file: F, ok: bool) -> None:
        """Note how a write went; tell the listeners of every failure and of the first success after one."""
        if ok and not file.failing:
            return
        file.failing = not ok
        for listener in self._listeners:
            try:
                listener(file.snapshot.stem, ok)
            except Exception:  # noqa: BLE001 - a listener must never turn a stored write into a failure
                log.exception("storage listener failed")

    @staticmethod
    def put(
        file: JournalFile, table: str, doc_id: int | None, doc: dict[str, Any], *, journal: bool = True
    ) -> tuple[int, Ticket]:
        """Put a document in memory and queue its journal line (caller holds the lock); return doc id and ticket.

        The line is encoded first, so a document the file cannot hold (half a UTF-16 pair, nesting
        too deep) is refused before anything changes, and never reaches a flush that carries others.
        Stored documents are replaced, never changed in place, so the one replaced can be put back.
        Without `journal` the caller writes a new snapshot instead (an address must never sit in the
        journal, where a kill before that snapshot would leave it beside the one it replaced).
        """
        new = doc_id is None
        if doc_id is None:
            doc_id = file.next_ids.get(table) or next_doc_id(file.data.get(table, {}))
        try:
            line = dumps({"t": table, "id": doc_id, "doc": doc}) + b"\n"
        except (UnicodeEncodeError, ValueError, TypeError, RecursionError) as exc:
            raise UnstorableText(f"{table}: {type(exc).__name__}") from None
        docs = file.data.setdefault(table, {})
        key = (table, doc_id)
        if key not in file.undo:
            file.undo[key] = docs.get(str(doc_id))
        docs[str(doc_id)] = doc
        if new:
            file.next_ids[table] = doc_id + 1
        ticket = Ticket()
        if journal:
            file.pending[key] = line
            file.tickets.append(ticket)
        return doc_id, ticket

    @staticmethod
    def remove(file: JournalFile, table: str, doc_id: int) -> None:
        """Take a document out of memory (caller holds the lock); only a rewrite takes it off the disk."""
        key = (table, doc_id)
        docs = file.data.setdefault(table, {})
        if key not in file.undo:
            file.undo[key] = docs.get(str(doc_id))
        docs.pop(str(doc_id), None)
        file.pending.pop(key, None)

    @staticmethod
    def last_ticket(file: JournalFile) -> Ticket | None:
        """Return the ticket of the newest change on its way to disk (caller holds the lock), if any."""
        return file.tickets[-1] if file.tickets else file.in_flight

    def make_durable(self, file: F, ticket: Ticket | None) -> None:
        """Return once the ticket's change is on disk; raise StorageFailed if it never will be."""
        if ticket is None:
            return
        with file.flush_lock:
            if ticket.durable is None:  # no flush since our change: carry it, and all that came with it
                self._flush(file)
        if not ticket.durable:
            raise StorageFailed("the change could not be written")

    def _flush(self, file: F) -> None:
        """Write every queued change in one append (or a new snapshot); on failure undo them all (flush_lock held)."""
        with self.lock:
            batch = list(file.pending)
            tickets, file.tickets = file.tickets, []
            payload_lines, file.pending = file.pending, {}
            written = {key: file.data.get(key[0], {}).get(str(key[1])) for key in batch}
            compact = file.must_compact(len(batch))
            if compact:
                payload = dumps(file.data)
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
            with self.lock:
                file.in_flight = None
                # Put memory back as the disk has it: this batch and whatever came after it (built on it).
                for ticket in (*tickets, *file.tickets):
                    ticket.durable = False
                self._roll_back(file)
            self._wrote(file, False)
            return
        with self.lock:
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
    def _roll_back(file: JournalFile) -> None:
        """Put every document changed since the last durable write back as it was (caller holds the lock)."""
        for (table, doc_id), before in file.undo.items():
            docs = file.data.setdefault(table, {})
            if before is None:
                docs.pop(str(doc_id), None)
            else:
                docs[str(doc_id)] = before
        file.undo, file.pending, file.tickets = {}, {}, []
        file.reindex()

    def rewrite(self, file: F) -> None:
        """Write the whole file as a fresh snapshot with an empty journal, so removed data is gone from disk."""
        with file.flush_lock:
            with self.lock:
                tickets, file.tickets, file.pending = file.tickets, [], {}
                written = {key: file.data.get(key[0], {}).get(str(key[1])) for key in file.undo}
                payload = dumps(file.data)
                documents = file.document_count()
            try:
                self._offload(_write_snapshot_and_empty_journal, file, payload)
            except OSError as exc:
                log.error("writing %s failed: %s", file.snapshot.name, exc)
                with self.lock:
                    for ticket in tickets:
                        ticket.durable = False
                    self._roll_back(file)
                self._wrote(file, False)
                raise StorageFailed(str(exc)) from exc
            with self.lock:
                file.journal_records, file.snapshot_documents = 0, documents
                file.undo = _still_to_undo(file, written)
                for ticket in tickets:
                    ticket.durable = True
                file.last_change = time.time()
            self._wrote(file, True)
