"""The embedded store: durable, atomic, one file per bijeenkomst, group commit."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from facilitator.core.domain import (
    AgendaItem,
    Contribution,
    Participant,
    Perspective,
    SessionNotFound,
    StorageFailed,
    UnstorableText,
    WorkshopSession,
)
from facilitator.storage import journal as engine
from facilitator.storage.journal import write_atomically
from facilitator.storage.tinydb_store import TinyDBRepository, read_session_data


def make_session(session_id: str = "a1b2c3d4e5f6", join_code: str = "ABCDEF") -> WorkshopSession:
    return WorkshopSession(
        id=session_id, title="Sessie", date="2026-11-25", join_code=join_code, created_at=1.0,
        agenda=(AgendaItem(id="item1", workformat_id="open_vraag", settings={"prompt": "Vraag?"}),),
    )


def make_contribution(client_id: str, participant: str = "p1", text: str = "tekst") -> Contribution:
    return Contribution(id=client_id, participant_id=participant, agenda_item_id="item1", phase_id="antwoorden",
                        kind="antwoord", text=text, created_at=2.0, table=1, perspective=Perspective.OUDER)


def test_everything_survives_a_reopen(tmp_path: Path) -> None:
    repo = TinyDBRepository(tmp_path)
    session = make_session()
    repo.add_session(session)
    participant = Participant(id="p1", token_hash="h" * 64, joined_at=1.5, table=2, perspective=Perspective.ZORG)
    assert repo.add_participant(session.id, participant) == 1
    repo.add_contribution(session.id, make_contribution("c-1"))
    repo.add_contribution(session.id, make_contribution("c-2", text="tweede"))
    repo.update_contribution(session.id, make_contribution("c-1").with_hidden(True))

    reopened = TinyDBRepository(tmp_path)
    assert reopened.get_session(session.id) == session
    assert reopened.find_by_join_code("ABCDEF") == session
    assert reopened.participant_by_token_hash(session.id, "h" * 64) == participant
    assert reopened.count_participants(session.id) == 1
    assert [(c.id, c.text, c.hidden) for c in reopened.list_contributions(session.id)] == [("c-1", "tekst", True), ("c-2", "tweede", False)]
    assert reopened.count_contributions(session.id, "p1", "item1", "antwoord") == 2


def test_one_file_per_bijeenkomst_and_deletion_removes_it(tmp_path: Path) -> None:
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session("aaaaaaaaaaaa", "AAAAAA"))
    repo.add_session(make_session("bbbbbbbbbbbb", "BBBBBB"))
    repo.add_contribution("aaaaaaaaaaaa", make_contribution("c-1", text="kanarie-tekst"))
    assert sorted(p.name for p in (tmp_path / "sessions").iterdir()) == ["aaaaaaaaaaaa.journal", "aaaaaaaaaaaa.json", "bbbbbbbbbbbb.json"]
    repo.delete_session("aaaaaaaaaaaa")
    assert sorted(p.name for p in (tmp_path / "sessions").iterdir()) == ["bbbbbbbbbbbb.json"]
    with pytest.raises(SessionNotFound):
        repo.get_session("aaaaaaaaaaaa")
    assert all(b"kanarie-tekst" not in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())


def test_add_contribution_is_insert_if_absent(tmp_path: Path) -> None:
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    first, created = repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-1", text="eerste"))
    again, created_again = repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-1", text="tweede"))
    assert (created, created_again) == (True, False)
    assert again == first
    data, _records = read_session_data(tmp_path / "sessions" / "a1b2c3d4e5f6.json")
    assert [doc["text"] for doc in data["contributions"].values()] == ["eerste"]


def test_file_on_disk_is_plain_tinydb_json(tmp_path: Path) -> None:
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    data = json.loads((tmp_path / "sessions" / "a1b2c3d4e5f6.json").read_text(encoding="utf-8"))
    assert set(data) == {"session"}
    assert data["session"]["1"]["schema_version"] == 1
    assert data["session"]["1"]["join_code"] == "ABCDEF"


def test_atomic_write_leaves_no_temp_file_and_keeps_old_content_on_failure(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "x.json"
    write_atomically(target, b"old")

    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(engine.os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]


def test_a_failed_write_is_not_acknowledged_and_is_retried(tmp_path: Path, monkeypatch) -> None:
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-0"))
    journal = tmp_path / "sessions" / "a1b2c3d4e5f6.journal"
    before = journal.read_bytes()
    real_write_all = engine._write_all
    failing = {"on": True}

    def disk_full_halfway(fd: int, payload: bytes) -> None:
        if failing["on"]:
            real_write_all(fd, payload[: len(payload) // 2])  # a torn half line reaches the file
            raise OSError(28, "No space left on device")
        real_write_all(fd, payload)

    monkeypatch.setattr(engine, "_write_all", disk_full_halfway)
    with pytest.raises(StorageFailed):
        repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-1"))
    assert journal.read_bytes() == before  # the torn half was cut off again
    failing["on"] = False
    # The phone resends the same id: now it is written, once. Nobody was told of it before, so this
    # resend counts as new (the host hears of it now); a further resend does not.
    stored, created = repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-1"))
    assert created is True and stored.id == "c-1"
    assert repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-1"))[1] is False
    data, _records = read_session_data(tmp_path / "sessions" / "a1b2c3d4e5f6.json")
    assert [doc["id"] for doc in data["contributions"].values()] == ["c-0", "c-1"]


def test_leftover_temp_files_are_removed_and_unreadable_files_skipped(tmp_path: Path) -> None:
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    folder = tmp_path / "sessions"
    (folder / ".a1b2c3d4e5f6.json.0123abcd.tmp").write_bytes(b"{half")
    (folder / "bbbbbbbbbbbb.json").write_text("{not json")
    reopened = TinyDBRepository(tmp_path)
    assert [s.id for s in reopened.list_sessions()] == ["a1b2c3d4e5f6"]
    assert not list(folder.glob(".*.tmp"))


def test_concurrent_submissions_share_writes(tmp_path: Path, monkeypatch) -> None:
    writes: list[int] = []
    gate = threading.Event()
    real_append = engine._append_to_journal

    def slow_append(file, payload: bytes) -> None:
        writes.append(payload.count(b"\n"))
        gate.wait(0.05)  # a slow disk: others pile up behind this write
        real_append(file, payload)

    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    monkeypatch.setattr(engine, "_append_to_journal", slow_append)
    threads = [threading.Thread(target=repo.add_contribution, args=("a1b2c3d4e5f6", make_contribution(f"c-{i:03d}"))) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(repo.list_contributions("a1b2c3d4e5f6")) == 40
    assert len(writes) < 40  # group commit: the ones that waited went out together
    assert sum(writes) == 40  # every contribution was written exactly once
    data, records = read_session_data(tmp_path / "sessions" / "a1b2c3d4e5f6.json")
    assert (len(data["contributions"]), records) == (40, 40)


def test_offload_receives_every_write(tmp_path: Path) -> None:
    calls: list[str] = []

    def offload(function, *args):
        calls.append(function.__name__)
        return function(*args)

    repo = TinyDBRepository(tmp_path, offload=offload)
    repo.add_session(make_session())
    repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-1"))
    assert calls == ["write_atomically", "_append_to_journal"]


def test_unsafe_session_ids_are_refused(tmp_path: Path) -> None:
    repo = TinyDBRepository(tmp_path)
    with pytest.raises(ValueError):
        repo.add_session(make_session("../escape"))
    assert os.listdir(tmp_path / "sessions") == []


def test_a_torn_last_journal_line_is_ignored_and_cleared_on_start(tmp_path: Path) -> None:
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-1", text="heel"))
    journal = tmp_path / "sessions" / "a1b2c3d4e5f6.journal"
    with open(journal, "ab") as handle:
        handle.write(b'{"t":"contributions","id":2,"doc":{"id":"c-2","te')  # killed mid-append
    reopened = TinyDBRepository(tmp_path)
    assert [c.text for c in reopened.list_contributions("a1b2c3d4e5f6")] == ["heel"]
    assert journal.read_bytes() == b""  # folded into the snapshot on start
    reopened.add_contribution("a1b2c3d4e5f6", make_contribution("c-3", text="daarna"))
    assert [c.id for c in TinyDBRepository(tmp_path).list_contributions("a1b2c3d4e5f6")] == ["c-1", "c-3"]


def test_storing_costs_the_same_however_much_is_stored(tmp_path: Path, monkeypatch) -> None:
    appended: list[int] = []
    real_append = engine._append_to_journal
    monkeypatch.setattr(engine, "_append_to_journal", lambda file, payload: (appended.append(len(payload)), real_append(file, payload)))
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    for i in range(600):
        repo.add_contribution("a1b2c3d4e5f6", make_contribution(f"c-{i:05d}"))
    # Each write appends one record; only the doc id's digits (1 to 600) make them differ.
    assert len(appended) == 600 and max(appended) - min(appended) == 2


def test_the_journal_is_compacted_into_a_new_snapshot(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(engine, "COMPACT_MIN_RECORDS", 10)
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    folder = tmp_path / "sessions"
    for i in range(25):
        repo.add_contribution("a1b2c3d4e5f6", make_contribution(f"c-{i:05d}"))
    # Writes 1-10 are appended; the 11th outgrows max(10, 1 document) and becomes a snapshot of
    # 12 documents; writes 12-23 are appended; the 24th (13 > 12) makes a snapshot of 25; the 25th is appended.
    snapshot = json.loads((folder / "a1b2c3d4e5f6.json").read_text())
    assert len(snapshot["contributions"]) == 24
    assert (folder / "a1b2c3d4e5f6.journal").read_bytes().count(b"\n") == 1
    data, records = read_session_data(folder / "a1b2c3d4e5f6.json")
    assert (len(data["contributions"]), records) == (25, 1)


def test_replaying_a_journal_already_in_the_snapshot_changes_nothing(tmp_path: Path) -> None:
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-1"))
    repo.update_contribution("a1b2c3d4e5f6", make_contribution("c-1").with_hidden(True))
    journal = (tmp_path / "sessions" / "a1b2c3d4e5f6.journal").read_bytes()
    TinyDBRepository(tmp_path)  # compacts on start
    # A crash between writing the new snapshot and emptying the journal leaves both behind.
    (tmp_path / "sessions" / "a1b2c3d4e5f6.journal").write_bytes(journal)
    again = TinyDBRepository(tmp_path)
    assert [(c.id, c.hidden) for c in again.list_contributions("a1b2c3d4e5f6")] == [("c-1", True)]


def test_retention_counts_from_the_files_and_deleting_takes_two_starts_and_a_look(tmp_path: Path) -> None:
    import dataclasses
    import os
    import time

    from facilitator import create_app

    config = {"DATA_DIR": str(tmp_path), "HOST_KEY": "k" * 32, "RETENTION_DAYS": 30}
    repo = TinyDBRepository(tmp_path)
    # Both dated long ago (entered after the fact); only the second was last used 40 days ago.
    repo.add_session(dataclasses.replace(make_session("aaaaaaaaaaaa", "AAAAAA"), date="2020-01-01"))
    repo.add_session(dataclasses.replace(make_session("bbbbbbbbbbbb", "BBBBBB"), date="2020-01-01"))
    repo.add_contribution("bbbbbbbbbbbb", make_contribution("c-1", text="kanarie-oud"))  # a journal to fold
    used = time.time() - 40 * 86400
    for path in (tmp_path / "sessions").glob("bbbbbbbbbbbb.*"):
        os.utime(path, (used, used))

    first = create_app(config).extensions["rode_draad"]
    assert [s.id for s, _until in first.purge.announced] == ["bbbbbbbbbbbb"] and first.purge.deleted == ()
    # Folding the journal at start is not activity: the bijeenkomst still looks 40 days old.
    assert first.repo.last_change("bbbbbbbbbbbb") == pytest.approx(used, abs=1)
    assert first.repo.last_change("aaaaaaaaaaaa") > used + 39 * 86400

    # Nobody opened the host view: the next start announces it again and deletes nothing.
    second_app = create_app(config)
    second = second_app.extensions["rode_draad"]
    assert [s.id for s, _until in second.purge.announced] == ["bbbbbbbbbbbb"] and second.purge.deleted == ()
    host = second_app.test_client()
    assert host.get(f"/host/login?key={'k' * 32}").status_code == 303
    assert "Wordt verwijderd bij de volgende start" in host.get("/host/").get_data(as_text=True)

    third = create_app(config).extensions["rode_draad"]
    assert [s.id for s in third.purge.deleted] == ["bbbbbbbbbbbb"]
    assert [s.id for s in third.repo.list_sessions()] == ["aaaaaaaaaaaa"]
    assert all(b"kanarie-oud" not in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())


def test_tinydb_store_listener_hears_every_failure_and_the_first_success_after_them(tmp_path: Path, monkeypatch) -> None:
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    heard: list[tuple[str, bool]] = []
    repo.watch_storage(lambda session_id, ok: heard.append((session_id, ok)))
    repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-0"))
    assert heard == []  # writes that work say nothing
    real_write_all = engine._write_all
    failing = {"on": True}

    def disk_full(fd: int, payload: bytes) -> None:
        if failing["on"]:
            raise OSError(28, "No space left on device")
        real_write_all(fd, payload)

    monkeypatch.setattr(engine, "_write_all", disk_full)
    for client_id in ("c-1", "c-2"):
        with pytest.raises(StorageFailed):
            repo.add_contribution("a1b2c3d4e5f6", make_contribution(client_id))
    assert heard == [("a1b2c3d4e5f6", False), ("a1b2c3d4e5f6", False)]
    failing["on"] = False
    assert repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-3"))[1] is True
    repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-4"))
    assert heard == [("a1b2c3d4e5f6", False), ("a1b2c3d4e5f6", False), ("a1b2c3d4e5f6", True)]
    # c-1 and c-2 reached the disk with c-3's write; their resends are their first acknowledgement.
    assert [repo.add_contribution("a1b2c3d4e5f6", make_contribution(c))[1] for c in ("c-1", "c-2", "c-1")] == [
        True, True, False,
    ]
    data, _records = read_session_data(tmp_path / "sessions" / "a1b2c3d4e5f6.json")
    assert sorted(doc["id"] for doc in data["contributions"].values()) == ["c-0", "c-1", "c-2", "c-3", "c-4"]


def test_tinydb_store_lists_contributions_as_stored_after_updates_and_additions(tmp_path: Path) -> None:
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    for client_id in ("c-1", "c-2", "c-3"):
        repo.add_contribution("a1b2c3d4e5f6", make_contribution(client_id))
    assert [c.id for c in repo.list_contributions("a1b2c3d4e5f6")] == ["c-1", "c-2", "c-3"]
    repo.update_contribution("a1b2c3d4e5f6", make_contribution("c-2", text="anders").with_hidden(True))
    repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-4"))
    listed = repo.list_contributions("a1b2c3d4e5f6")
    listed.clear()  # a caller changing its list changes nothing stored
    expected = [("c-1", "tekst", False), ("c-2", "anders", True), ("c-3", "tekst", False), ("c-4", "tekst", False)]
    assert [(c.id, c.text, c.hidden) for c in repo.list_contributions("a1b2c3d4e5f6")] == expected
    assert repo.get_contribution("a1b2c3d4e5f6", "c-2") == replace(make_contribution("c-2", text="anders").with_hidden(True), version=1)
    reopened = TinyDBRepository(tmp_path)
    assert [(c.id, c.text, c.hidden) for c in reopened.list_contributions("a1b2c3d4e5f6")] == expected


def test_tinydb_store_serves_a_bijeenkomst_whose_journal_cannot_be_folded_at_start(tmp_path: Path, monkeypatch) -> None:
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-1"))
    repo.add_contribution("a1b2c3d4e5f6", make_contribution("c-2"))
    journal = tmp_path / "sessions" / "a1b2c3d4e5f6.journal"
    whole = journal.read_bytes()
    with open(journal, "ab") as handle:
        handle.write(b'{"t":"contributions","id":3,"doc":{"id":"c-')  # a crash in the middle of an append

    def no_room(path: Path, payload: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(engine, "write_atomically", no_room)
    started = TinyDBRepository(tmp_path)  # a full disk at start-up: the fold fails, the bijeenkomst stays
    assert [c.id for c in started.list_contributions("a1b2c3d4e5f6")] == ["c-1", "c-2"]
    assert journal.read_bytes() == whole  # the torn tail is cut, so the next append starts a line of its own
    monkeypatch.undo()
    started.add_contribution("a1b2c3d4e5f6", make_contribution("c-3"))
    assert [c.id for c in TinyDBRepository(tmp_path).list_contributions("a1b2c3d4e5f6")] == ["c-1", "c-2", "c-3"]


def test_a_failed_write_leaves_memory_as_the_disk_has_it(tmp_path: Path, monkeypatch) -> None:
    """What could not be written is undone in memory too: no screen shows, and no later write carries, a change
    that was never acknowledged; what was durable before stays."""
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    sid = "a1b2c3d4e5f6"
    repo.add_contribution(sid, make_contribution("c-0"))
    titled = repo.save_session(replace(repo.get_session(sid), title="Eerst"))
    participant = Participant(id="p1", token_hash="h" * 64, joined_at=1.5, table=2)
    repo.add_participant(sid, participant)
    real_write_all = engine._write_all

    def disk_full(fd: int, payload: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(engine, "_write_all", disk_full)
    with pytest.raises(StorageFailed):
        repo.save_session(replace(titled, title="Nooit bewaard"))
    with pytest.raises(StorageFailed):
        repo.add_contribution(sid, make_contribution("c-1", text="nooit bewaard"))
    with pytest.raises(StorageFailed):
        repo.move_participant(sid, "p1", 5)
    with pytest.raises(StorageFailed):
        repo.update_contribution(sid, make_contribution("c-0").with_hidden(True))
    assert repo.get_session(sid) == titled
    assert [(c.id, c.hidden) for c in repo.list_contributions(sid)] == [("c-0", False)]
    assert repo.get_contribution(sid, "c-1") is None
    assert repo.count_contributions(sid, "p1", "item1", "antwoord") == 1
    assert repo.participant_tables(sid) == {"p1": 2}
    assert repo.participant_by_token_hash(sid, "h" * 64) == participant
    monkeypatch.setattr(engine, "_write_all", real_write_all)
    # The version is the durable one: a change made on it is stored, and the resend of c-1 is new.
    assert repo.save_session(replace(titled, title="Daarna")).version == titled.version + 1
    assert repo.add_contribution(sid, make_contribution("c-1"))[1] is True
    reopened = TinyDBRepository(tmp_path)
    assert reopened.get_session(sid).title == "Daarna"
    assert [c.id for c in reopened.list_contributions(sid)] == ["c-0", "c-1"]


def test_text_the_file_cannot_hold_changes_nothing_and_costs_no_other_write(tmp_path: Path) -> None:
    """Half a UTF-16 pair is refused when it arrives, not in a flush that carries other phones' contributions."""
    repo = TinyDBRepository(tmp_path)
    repo.add_session(make_session())
    sid = "a1b2c3d4e5f6"
    session = repo.get_session(sid)
    with pytest.raises(UnstorableText):
        repo.add_contribution(sid, make_contribution("c-bad", text="half \ud83d"))
    with pytest.raises(UnstorableText):
        repo.save_session(replace(session, title="half \udc00"))
    repo.add_contribution(sid, make_contribution("c-good"))
    assert repo.get_session(sid) == session
    assert [c.id for c in TinyDBRepository(tmp_path).list_contributions(sid)] == ["c-good"]
