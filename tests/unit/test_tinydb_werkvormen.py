"""The embedded store's werkvormen documents (participants, drafts, votes, the full bijeenkomst) and the library."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from facilitator.core.domain import (
    AgendaItem,
    Board,
    Contribution,
    LibraryEntry,
    NotFound,
    Participant,
    Perspective,
    RoleAssignment,
    StaleBoard,
    StaleVersion,
    Table,
    TableDraft,
    Theme,
    Timer,
    Vote,
    WorkshopSession,
)
from facilitator.storage import journal as engine
from facilitator.storage.tinydb_store import TinyDBLibrary, TinyDBRepository, read_session_data

SID = "a1b2c3d4e5f6"


def full_session(session_id: str = SID, join_code: str = "ABCDEF") -> WorkshopSession:
    """A bijeenkomst in the middle of a roddelmethode: every werkvormen field set."""
    return WorkshopSession(
        id=session_id, title="Dialoogsessie 2", date="2026-11-25", join_code=join_code, created_at=1.5,
        series="Veerkracht", motto="Samen sterk", organisers="GGZ-academie",
        agenda=(
            AgendaItem(id="item1", workformat_id="open_vraag", settings={"prompt": "Vraag?"}),
            AgendaItem(id="item2", workformat_id="roddelmethode", settings={
                "case_text": "Finn is 10.", "inbrenger_mode": "table", "timers": {"roddelen": 1200},
                "prompts": {"roddelen": {"inbrenger": "Luister."}}, "hidden": {"verhelderende_vragen": True},
            }),
            AgendaItem(id="item3", workformat_id="vier_buffers", settings={
                "buckets": [{"id": "steun", "label": "Steun", "description": "Wie helpt?"}],
            }),
            AgendaItem(id="item4", workformat_id="stemmen", settings={"dots": 5, "options": ["Rust", "Tijd"]}),
        ),
        current_item=1, current_phase=2,
        tables=(Table(1, "Rood"), Table(2, ""), Table(3, "Blauw")),
        roles=(
            RoleAssignment(agenda_item_id="item2", role="inbrenger", table=1, participant_id="p1"),
            RoleAssignment(agenda_item_id="item2", role="inbrenger", table=2, claim_code="K7QM"),
            RoleAssignment(agenda_item_id="item2", role="tafelvoorzitter", table=3, participant_id="p3"),
        ),
        timer=Timer(duration=1260.0, started_at=1_800_000_100.25, elapsed=42.5),
        revealed=("item2:verhelderende_vragen",),
        copied_from="ffffffffffff",
    )


def participant(pid: str, number: int, table: int | None = None) -> Participant:
    return Participant(id=pid, token_hash=pid * 32, joined_at=float(number), table=table,
                       perspective=Perspective.OUDER if number % 2 else None, number=number)


@pytest.fixture
def repo(tmp_path: Path) -> TinyDBRepository:
    store = TinyDBRepository(tmp_path)
    store.add_session(full_session())
    return store


def test_a_full_bijeenkomst_round_trips_exactly(tmp_path: Path, repo: TinyDBRepository) -> None:
    session = full_session()
    assert TinyDBRepository(tmp_path).get_session(SID) == session
    changed = WorkshopSession(**{**session.__dict__, "timer": Timer(duration=300.0), "current_phase": 3,
                                 "revealed": ("item2:verhelderende_vragen", "item2:roddelen")})
    changed = repo.save_session(changed)  # goes through the journal this time, one version on
    assert changed.version == 1
    reopened = TinyDBRepository(tmp_path)
    assert reopened.get_session(SID) == changed
    assert reopened.find_by_join_code("ABCDEF") == changed
    without_timer = WorkshopSession(**{**changed.__dict__, "timer": None, "roles": ()})
    without_timer = reopened.save_session(without_timer)
    assert TinyDBRepository(tmp_path).get_session(SID) == without_timer
    # A change made on the version before is refused, not stored over the newer one.
    with pytest.raises(StaleVersion):
        reopened.save_session(changed)
    assert TinyDBRepository(tmp_path).get_session(SID) == without_timer


def test_a_contribution_with_every_werkvormen_field_round_trips(tmp_path: Path, repo: TinyDBRepository) -> None:
    contributions = [
        Contribution(id="buffer-0001", participant_id="p1", agenda_item_id="item3", phase_id="vangnet",
                     kind="vangnet", text="Een luisterend oor", created_at=2.0, table=1,
                     perspective=Perspective.ZORG, bucket="steun", tags=("mens", "geven")),
        Contribution(id="moglijk-001", participant_id="p2", agenda_item_id="item9", phase_id="vraag3",
                     kind="mogelijkheid", text="Met de IB'er", created_at=3.0, function="intern begeleider"),
        Contribution(id="opbrengst-1", participant_id="p2", agenda_item_id="item9", phase_id="vraag4",
                     kind="opbrengst", text="Privé", created_at=4.0, shared=False),
        Contribution(id="table-0123456789abcdef01234567", participant_id="p3", agenda_item_id="item9",
                     phase_id="vraag2", kind="hypothese", text="Hypothese 3", created_at=5.0, table=3, slot=3,
                     hidden=True),
        Contribution(id="roddel-0001", participant_id="p4", agenda_item_id="item2", phase_id="roddelen",
                     kind="roddel", text="Finn verveelt zich", created_at=6.0, table=1, tags=("hypothese",),
                     starred=True),
    ]
    for contribution in contributions:
        repo.add_contribution(SID, contribution)
    starred_later = Contribution(**{**contributions[0].__dict__, "bucket": "meta_positie", "starred": True})
    starred_later = repo.update_contribution(SID, starred_later)
    assert starred_later.version == 1
    reopened = TinyDBRepository(tmp_path)
    assert reopened.list_contributions(SID) == [starred_later, *contributions[1:]]
    assert reopened.get_contribution(SID, "table-0123456789abcdef01234567") == contributions[3]
    assert reopened.count_contributions(SID, "p2", "item9", "opbrengst") == 1


def test_move_participant_survives_a_reopen_and_keeps_the_joining_order(tmp_path: Path, repo: TinyDBRepository) -> None:
    people = [participant(f"p{i}", i, table=i % 2 + 1) for i in range(1, 6)]
    for person in people:
        repo.add_participant(SID, person)
    moved = Participant(**{**people[1].__dict__, "table": 3})
    assert repo.move_participant(SID, "p2", 3) == moved
    seated_nowhere = Participant(**{**people[4].__dict__, "table": None})
    assert repo.move_participant(SID, "p5", None) == seated_nowhere
    expected = [people[0], moved, people[2], people[3], seated_nowhere]
    assert repo.list_participants(SID) == expected
    reopened = TinyDBRepository(tmp_path)
    assert reopened.list_participants(SID) == expected
    assert [p.number for p in reopened.list_participants(SID)] == [1, 2, 3, 4, 5]
    assert reopened.participant_by_token_hash(SID, moved.token_hash) == moved
    assert reopened.count_participants(SID) == 5
    # After the reopen an update still replaces the one document.
    again = Participant(**{**moved.__dict__, "table": 1})
    assert reopened.move_participant(SID, "p2", 1) == again
    assert TinyDBRepository(tmp_path).list_participants(SID) == [people[0], again, people[2], people[3], seated_nowhere]


def test_drafts_are_upserted_by_item_kind_table_and_slot(tmp_path: Path, repo: TinyDBRepository) -> None:
    first = TableDraft(agenda_item_id="item9", kind="hypothese", table=1, slot=1, text="Eerste", version=1, updated_at=1.0)
    second = TableDraft(agenda_item_id="item9", kind="hypothese", table=1, slot=1, text="Eerste, beter", version=2,
                        updated_at=2.0, submitted_version=2)
    other_slot = TableDraft(agenda_item_id="item9", kind="hypothese", table=1, slot=2, text="Tweede", version=1)
    other_table = TableDraft(agenda_item_id="item9", kind="hypothese", table=2, slot=1, text="Andere tafel", version=1)
    for draft in (first, other_slot, second, other_table):
        repo.save_draft(SID, draft)
    assert repo.list_drafts(SID) == [second, other_slot, other_table]
    reopened = TinyDBRepository(tmp_path)
    assert reopened.list_drafts(SID) == [second, other_slot, other_table]
    assert reopened.get_draft(SID, "item9", "hypothese", 1, 1) == second
    assert reopened.get_draft(SID, "item9", "hypothese", 3, 1) is None
    assert reopened.get_draft(SID, "item9", "advies", 1, 1) is None
    # The index is rebuilt on start: saving the same key after a reopen replaces, never adds.
    third = TableDraft(**{**second.__dict__, "text": "Na herstart", "version": 3})
    reopened.save_draft(SID, third)
    assert TinyDBRepository(tmp_path).list_drafts(SID) == [third, other_slot, other_table]
    data, _records = read_session_data(tmp_path / "sessions" / f"{SID}.json")
    assert len(data["drafts"]) == 3


def test_votes_are_facts_upserted_and_taken_back(tmp_path: Path, repo: TinyDBRepository) -> None:
    dot = Vote(participant_id="p1", agenda_item_id="item4", target="option-1", created_at=1.0)
    assert repo.put_vote(SID, dot) is True
    assert repo.put_vote(SID, Vote(**{**dot.__dict__, "created_at": 2.0})) is False  # a double tap
    assert repo.put_vote(SID, Vote(participant_id="p1", agenda_item_id="item4", target="option-2", created_at=3.0,
                                   active=False)) is False  # never placed: nothing to take back
    taken_back = Vote(**{**dot.__dict__, "created_at": 4.0, "active": False})
    assert repo.put_vote(SID, taken_back) is True
    other = Vote(participant_id="p2", agenda_item_id="item4", target="option-1", created_at=5.0)
    assert repo.put_vote(SID, other) is True
    assert repo.list_votes(SID) == [taken_back, other]

    reopened = TinyDBRepository(tmp_path)
    assert reopened.list_votes(SID) == [taken_back, other]
    assert reopened.put_vote(SID, Vote(**{**taken_back.__dict__, "created_at": 6.0})) is False
    placed_again = Vote(**{**dot.__dict__, "created_at": 7.0})
    assert reopened.put_vote(SID, placed_again) is True
    assert TinyDBRepository(tmp_path).list_votes(SID) == [placed_again, other]


def test_drafts_and_votes_survive_a_compaction(tmp_path: Path, repo: TinyDBRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "COMPACT_MIN_RECORDS", 5)
    for version in range(1, 9):
        repo.save_draft(SID, TableDraft(agenda_item_id="item2", kind="advies", table=1, slot=1, text=f"v{version}",
                                        version=version))
        repo.put_vote(SID, Vote(participant_id="p1", agenda_item_id="item4", target="option-1",
                                created_at=float(version), active=version % 2 == 1))
    reopened = TinyDBRepository(tmp_path)
    assert [(d.text, d.version) for d in reopened.list_drafts(SID)] == [("v8", 8)]
    assert [(v.active, v.created_at) for v in reopened.list_votes(SID)] == [(False, 8.0)]


def test_deleting_a_bijeenkomst_removes_its_drafts_and_votes(tmp_path: Path, repo: TinyDBRepository) -> None:
    repo.save_draft(SID, TableDraft(agenda_item_id="item2", kind="advies", table=1, slot=1, text="kanarie-advies", version=1))
    repo.put_vote(SID, Vote(participant_id="p1", agenda_item_id="item4", target="kanarie-stip", created_at=1.0))
    repo.delete_session(SID)
    assert list((tmp_path / "sessions").iterdir()) == []
    assert all(b"kanarie" not in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())


def board(version: int, name: str = "Vertrouwen") -> Board:
    themes = (Theme(id="t-1", name=name, cards=("c1", "c2"), origin="suggestion", terms=("vertrouwen",)),
              Theme(id="t-2", name="Tijd", cards=("c3",), origin="participant", proposed_by="p1"))
    return Board(agenda_item_id="item1", themes=themes, rode_draad="Ouders willen gehoord worden.",
                 history=((), themes[:1]), duplicates=(("c1", "c2"),), version=version, updated_at=9.5)


def test_a_board_round_trips_exactly_and_refuses_a_stale_version(tmp_path: Path, repo: TinyDBRepository) -> None:
    repo.save_board(SID, board(1))
    with pytest.raises(StaleBoard):
        repo.save_board(SID, board(1, name="Ander"))
    repo.save_board(SID, board(2, name="Relatie"))
    reopened = TinyDBRepository(tmp_path)
    assert reopened.get_board(SID, "item1") == board(2, name="Relatie")
    assert reopened.get_board(SID, "item2") is None
    assert reopened.list_boards(SID) == [board(2, name="Relatie")]
    with pytest.raises(StaleBoard):
        reopened.save_board(SID, board(2))


def test_deleting_a_bijeenkomst_removes_its_boards(tmp_path: Path, repo: TinyDBRepository) -> None:
    repo.save_board(SID, board(1, name="kanarie-thema"))
    repo.delete_session(SID)
    assert all(b"kanarie" not in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())


# -- the library ---------------------------------------------------------------------------


def entry(entry_id: str, created_at: float, **settings: object) -> LibraryEntry:
    return LibraryEntry(id=entry_id, name=f"Werkvorm {entry_id}", workformat_id="roddelmethode",
                        settings={"case_text": "Finn", "timers": {"roddelen": 600}, **settings}, created_at=created_at)


def test_the_library_lives_in_library_json_only(tmp_path: Path, repo: TinyDBRepository) -> None:
    before = sorted(p.name for p in (tmp_path / "sessions").iterdir())
    library = TinyDBLibrary(tmp_path)
    old, new = entry("aaaaaaaaaaaa", 1.0), entry("bbbbbbbbbbbb", 2.0, inbrenger_mode="table")
    library.save_entry(old)
    library.save_entry(new)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.json", "sessions"]
    assert sorted(p.name for p in (tmp_path / "sessions").iterdir()) == before
    on_disk = json.loads((tmp_path / "library.json").read_text(encoding="utf-8"))
    assert sorted(doc["id"] for doc in on_disk["entries"].values()) == ["aaaaaaaaaaaa", "bbbbbbbbbbbb"]

    renamed = LibraryEntry(**{**old.__dict__, "name": "Nieuwe naam"})
    library.save_entry(renamed)  # replaces, does not add
    repo.delete_session(SID)
    reopened = TinyDBLibrary(tmp_path)
    assert reopened.list_entries() == [new, renamed]  # newest first
    assert reopened.get_entry("aaaaaaaaaaaa") == renamed
    assert TinyDBRepository(tmp_path).list_sessions() == []

    reopened.delete_entry("bbbbbbbbbbbb")
    with pytest.raises(NotFound):
        reopened.delete_entry("bbbbbbbbbbbb")
    with pytest.raises(NotFound):
        TinyDBLibrary(tmp_path).get_entry("bbbbbbbbbbbb")
    assert TinyDBLibrary(tmp_path).list_entries() == [renamed]


@pytest.mark.parametrize(
    "content",
    [b"{half", b"\xff\xfe\x00", b"[1, 2]", b'"tekst"', b'{"entries": [1]}', b'{"entries": {"1": {"id": "x"}}}',
     b'{"entries": {"1": 5}}', b""],
)
def test_an_unreadable_library_starts_empty_instead_of_crashing(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "library.json").write_bytes(content)
    with caplog.at_level(logging.ERROR, logger="facilitator.storage.tinydb_store"):
        library = TinyDBLibrary(tmp_path)
    assert library.list_entries() == []
    assert "library.json" in caplog.text
    with pytest.raises(NotFound):
        library.get_entry("x")
    saved = entry("cccccccccccc", 3.0)
    library.save_entry(saved)
    assert TinyDBLibrary(tmp_path).list_entries() == [saved]


def test_a_missing_library_file_is_simply_empty(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        library = TinyDBLibrary(tmp_path / "nieuw")
    assert library.list_entries() == [] and caplog.text == ""
    assert not (tmp_path / "nieuw" / "library.json").exists()
