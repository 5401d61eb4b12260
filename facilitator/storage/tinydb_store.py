"""The embedded default store: one TinyDB file per bijeenkomst, written atomically.

Each file's documents live in memory behind TinyDB; a mutation bumps the file's version
and then waits until a flush has put that version on disk (temp file, fsync, os.replace,
fsync of the folder). Flushes are serialised per file, so while one write is under way
the mutations that arrive meanwhile are all carried by the next single write: a group
commit without timers. Nothing is acknowledged before its flush has returned.
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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from ..domain import Contribution, Participant, SessionNotFound, StorageFailed, WorkshopSession
from .codec import (
    contribution_from_doc,
    contribution_to_doc,
    participant_from_doc,
    participant_to_doc,
    session_from_doc,
    session_to_doc,
)

log = logging.getLogger(__name__)

Offload = Callable[..., Any]
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_TMP_SUFFIX = ".tmp"
#: How long to retry os.replace when another program (a virus scanner, a backup tool) holds the file.
_REPLACE_RETRY_SECONDS = 2.0


class _InMemoryStorage(Storage):
    """TinyDB storage that holds the database dict; the repository writes it out."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        self.data = data


def _call(function: Callable[..., Any], *args: Any) -> Any:
    return function(*args)


def _fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":  # Windows cannot open a folder for fsync; NTFS journals the rename.
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, payload: bytes) -> None:
    """Replace a file with new content so that a crash leaves the old or the new file whole."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}{_TMP_SUFFIX}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
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


@dataclass
class _SessionFile:
    path: Path
    db: TinyDB
    version: int = 0
    durable: int = 0
    flush_lock: threading.Lock = field(default_factory=threading.Lock)
    contribution_doc_ids: dict[str, int] = field(default_factory=dict)
    participant_doc_ids: dict[str, int] = field(default_factory=dict)
    #: (participant, agenda item, kind) -> how many contributions; kept so limits cost O(1).
    contribution_counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    @property
    def data(self) -> dict[str, Any]:
        return self.db.storage.data  # type: ignore[attr-defined, no-any-return]


class TinyDBRepository:
    """Bijeenkomsten in `<data_dir>/sessions/<id>.json`, one TinyDB file each."""

    def __init__(self, data_dir: str | os.PathLike[str], offload: Offload | None = None) -> None:
        #: Runs a blocking file write; the server passes eventlet.tpool.execute so the room never waits.
        self._offload = offload or _call
        self._folder = Path(data_dir) / "sessions"
        self._folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._files: dict[str, _SessionFile] = {}
        self._remove_leftover_temp_files()
        self._load_all()

    # -- loading -------------------------------------------------------------------------------

    def _remove_leftover_temp_files(self) -> None:
        for leftover in self._folder.glob(f".*{_TMP_SUFFIX}"):
            try:
                leftover.unlink()
            except OSError as exc:
                log.warning("could not remove leftover temp file %s: %s", leftover.name, exc)

    def _load_all(self) -> None:
        for path in sorted(self._folder.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if not isinstance(data, dict) or not data.get("session"):
                    raise ValueError("no session document")
            except (OSError, ValueError) as exc:
                log.error("skipping unreadable bijeenkomst file %s: %s", path.name, exc)
                continue
            self._files[path.stem] = self._open(path, data)

    def _open(self, path: Path, data: dict[str, Any]) -> _SessionFile:
        db = TinyDB(storage=_InMemoryStorage, data=data)
        file = _SessionFile(path=path, db=db)
        for doc_id, doc in data.get("contributions", {}).items():
            file.contribution_doc_ids[doc["id"]] = int(doc_id)
            file.contribution_counts[(doc["participant_id"], doc["agenda_item_id"], doc["kind"])] += 1
        for doc_id, doc in data.get("participants", {}).items():
            file.participant_doc_ids[doc["token_hash"]] = int(doc_id)
        return file

    # -- durability ----------------------------------------------------------------------------

    def _file(self, session_id: str) -> _SessionFile:
        file = self._files.get(session_id)
        if file is None:
            raise SessionNotFound(session_id)
        return file

    def _changed(self, file: _SessionFile) -> int:
        """Mark a file changed (caller holds the lock); return the version to wait for."""
        file.version += 1
        return file.version

    def _make_durable(self, file: _SessionFile, version: int) -> None:
        """Return once `version` of the file is on disk; raise StorageFailed if it cannot be."""
        with file.flush_lock:
            if file.durable >= version:
                return  # a flush that started after our change already carried it
            with self._lock:
                payload = json.dumps(file.data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
                flushing = file.version
            try:
                self._offload(write_atomically, file.path, payload)
            except OSError as exc:
                log.error("writing %s failed: %s", file.path.name, exc)
                raise StorageFailed(str(exc)) from exc
            file.durable = flushing

    # -- sessions ------------------------------------------------------------------------------

    def add_session(self, session: WorkshopSession) -> None:
        """Store a new bijeenkomst in a file of its own."""
        if not _SESSION_ID.match(session.id):
            raise ValueError(f"unsafe session id {session.id!r}")
        with self._lock:
            file = self._open(self._folder / f"{session.id}.json", {})
            file.db.table("session").insert(session_to_doc(session))
            self._files[session.id] = file
            version = self._changed(file)
        self._make_durable(file, version)

    def save_session(self, session: WorkshopSession) -> None:
        """Replace the stored bijeenkomst."""
        with self._lock:
            file = self._file(session.id)
            file.db.table("session").truncate()
            file.db.table("session").insert(session_to_doc(session))
            version = self._changed(file)
        self._make_durable(file, version)

    def get_session(self, session_id: str) -> WorkshopSession:
        """Return a bijeenkomst; raise SessionNotFound."""
        with self._lock:
            return session_from_doc(self._file(session_id).db.table("session").all()[0])

    def find_by_join_code(self, join_code: str) -> WorkshopSession:
        """Return the bijeenkomst with this join code."""
        with self._lock:
            for file in self._files.values():
                doc = file.db.table("session").all()[0]
                if doc["join_code"] == join_code:
                    return session_from_doc(doc)
        raise SessionNotFound(join_code)

    def list_sessions(self) -> list[WorkshopSession]:
        """Return every bijeenkomst, newest first."""
        with self._lock:
            sessions = [session_from_doc(f.db.table("session").all()[0]) for f in self._files.values()]
        return sorted(sessions, key=lambda s: s.created_at, reverse=True)

    def delete_session(self, session_id: str) -> None:
        """Remove the bijeenkomst's file from disk."""
        with self._lock:
            file = self._file(session_id)
            del self._files[session_id]
        with file.flush_lock:
            try:
                file.path.unlink()
            except FileNotFoundError:
                pass
            _fsync_folder(self._folder)

    # -- participants --------------------------------------------------------------------------

    def add_participant(self, session_id: str, participant: Participant) -> int:
        """Store a participant; return how many have joined."""
        with self._lock:
            file = self._file(session_id)
            doc_id = file.db.table("participants").insert(participant_to_doc(participant))
            file.participant_doc_ids[participant.token_hash] = doc_id
            count = len(file.participant_doc_ids)
            version = self._changed(file)
        self._make_durable(file, version)
        return count

    def participant_by_token_hash(self, session_id: str, token_hash: str) -> Participant | None:
        """Return the participant holding a token."""
        with self._lock:
            file = self._file(session_id)
            doc_id = file.participant_doc_ids.get(token_hash)
            if doc_id is None:
                return None
            return participant_from_doc(file.db.table("participants").get(doc_id=doc_id))  # type: ignore[arg-type]

    def count_participants(self, session_id: str) -> int:
        """Return how many participants have joined."""
        with self._lock:
            return len(self._file(session_id).participant_doc_ids)

    # -- contributions -------------------------------------------------------------------------

    def add_contribution(self, session_id: str, contribution: Contribution) -> tuple[Contribution, bool]:
        """Store a contribution unless its id exists; either way return once it is durable."""
        with self._lock:
            file = self._file(session_id)
            doc_id = file.contribution_doc_ids.get(contribution.id)
            if doc_id is not None:
                stored = contribution_from_doc(file.db.table("contributions").get(doc_id=doc_id))  # type: ignore[arg-type]
                created = False
            else:
                doc_id = file.db.table("contributions").insert(contribution_to_doc(contribution))
                file.contribution_doc_ids[contribution.id] = doc_id
                file.contribution_counts[
                    (contribution.participant_id, contribution.agenda_item_id, contribution.kind)
                ] += 1
                stored, created = contribution, True
            # A resend may arrive while the first copy is still being flushed: it waits too.
            version = file.version + 1 if created else file.version
            if created:
                self._changed(file)
        self._make_durable(file, version)
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
            return contribution_from_doc(file.db.table("contributions").get(doc_id=doc_id))  # type: ignore[arg-type]

    def list_contributions(self, session_id: str) -> list[Contribution]:
        """Return the contributions in arrival order."""
        with self._lock:
            docs = self._file(session_id).db.table("contributions").all()
        return [contribution_from_doc(doc) for doc in sorted(docs, key=lambda d: d.doc_id)]

    def update_contribution(self, session_id: str, contribution: Contribution) -> None:
        """Replace a stored contribution."""
        with self._lock:
            file = self._file(session_id)
            doc_id = file.contribution_doc_ids[contribution.id]
            file.db.table("contributions").update(contribution_to_doc(contribution), doc_ids=[doc_id])
            version = self._changed(file)
        self._make_durable(file, version)
