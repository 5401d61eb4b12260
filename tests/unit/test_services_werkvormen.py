"""The werkvormen use cases on the in-memory repository, with a clock the test controls."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from facilitator.core import services
from facilitator.core.domain import (
    DEFAULT_PERSPECTIVES,
    AgendaChanged,
    AgendaItem,
    Contribution,
    ContributionAdded,
    ContributionChanged,
    ContributionNotFound,
    DraftConflict,
    InvalidFile,
    InvalidInput,
    InvalidWorkFormat,
    LimitReached,
    NoTable,
    NotFound,
    NotYourRole,
    Participant,
    ParticipantMoved,
    PhaseChanged,
    PhaseNotOpen,
    PhaseRevealed,
    RoleAssignment,
    RoleCodeInvalid,
    RolesChanged,
    Table,
    TableDraft,
    TableDraftChanged,
    TablesChanged,
    TextEmpty,
    TextTooLong,
    Timer,
    TimerChanged,
    VotesChanged,
    WorkshopSession,
)
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryLibrary, MemoryRepository

REGISTRY = discover()
START = 1_800_000_000.0


class FakeClock:
    """A clock that only moves when the test says so."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def repo() -> MemoryRepository:
    return MemoryRepository()


def make_session(repo: MemoryRepository, *items: tuple[str, dict[str, Any]]) -> WorkshopSession:
    """A bijeenkomst with the open question first (as created) and then the given werkvormen."""
    session = services.create_session(repo, REGISTRY, title="Werkvormen", date="2026-11-25", clock=lambda: START)
    for workformat_id, settings in items:
        services.add_agenda_item(repo, REGISTRY, session.id, workformat_id, settings)
    return repo.get_session(session.id)


def go(repo: MemoryRepository, session: WorkshopSession, item_index: int, phase_id: str) -> WorkshopSession:
    """Move the room to a phase of an agenda item, by the phase's id."""
    workformat = services.configured_workformat(REGISTRY, session.agenda[item_index])
    index = [p.id for p in workformat.phases].index(phase_id)
    moved, _events = services.go_to(repo, REGISTRY, session.id, item_index, index)
    return moved


def seat(repo: MemoryRepository, session: WorkshopSession, table: int | None = None) -> Participant:
    participant, _token, _events = services.join(repo, session.id, table=table, clock=lambda: START)
    return participant


def fresh(repo: MemoryRepository, session: WorkshopSession, participant: Participant) -> Participant:
    """Return the stored version of a participant (after a move)."""
    stored = repo.participant_by_token_hash(session.id, participant.token_hash)
    assert stored is not None
    return stored


def submit(repo: MemoryRepository, session: WorkshopSession, participant: Participant, client_id: str, text: str,
           **fields: Any) -> tuple[Contribution, list[Any]]:
    return services.submit_contribution(
        repo, REGISTRY, session.id, participant, client_id=client_id, text=text, clock=lambda: START, **fields
    )


def error_of(caught: pytest.ExceptionInfo[Any]) -> tuple[str, Any]:
    return caught.value.code, caught.value.params.get("field")


# -- agenda navigation -----------------------------------------------------------------------


def test_step_phase_walks_through_phases_and_across_agenda_items(repo: MemoryRepository) -> None:
    session = make_session(repo, ("roddelmethode", {}), ("stemmen", {}))
    assert (session.current_item, session.current_phase, session.timer) == (0, 0, None)

    moved, events = services.step_phase(repo, REGISTRY, session.id, +1)
    assert (moved.current_item, moved.current_phase) == (1, 0)
    assert moved.timer == Timer(duration=300.0)  # the inbreng's timebox, not running
    assert events == [PhaseChanged(session=moved)]
    assert repo.get_session(session.id) == moved

    phases = []
    for _ in range(5):
        moved, _events = services.step_phase(repo, REGISTRY, session.id, +1)
        phases.append((moved.current_item, services.current_step(REGISTRY, moved).phase.id, moved.timer.duration))
    assert phases == [
        (1, "verhelderende_vragen", 600.0), (1, "roddelen", 900.0), (1, "advies", 600.0),
        (1, "reactie", 300.0), (1, "rode_draad", 600.0),
    ]
    moved, _events = services.step_phase(repo, REGISTRY, session.id, +1)
    assert (moved.current_item, moved.current_phase, moved.timer) == (2, 0, Timer(duration=300.0))

    # Past the very end nothing happens.
    assert services.step_phase(repo, REGISTRY, session.id, +1) == (moved, [])

    # Back from the first phase of an item lands on the last phase of the item before.
    back, events = services.step_phase(repo, REGISTRY, session.id, -1)
    assert (back.current_item, back.current_phase, back.timer) == (1, 5, Timer(duration=600.0))
    assert events == [PhaseChanged(session=back)]


def test_step_back_at_the_start_is_a_no_op(repo: MemoryRepository) -> None:
    session = make_session(repo, ("tafeladvies", {}))
    assert services.step_phase(repo, REGISTRY, session.id, -1) == (session, [])
    assert repo.get_session(session.id) == session


def test_going_back_into_a_phase_without_timebox_clears_the_timer(repo: MemoryRepository) -> None:
    session = make_session(repo, ("tafeladvies", {}))
    forward, _ = services.step_phase(repo, REGISTRY, session.id, +1)
    assert forward.timer == Timer(duration=900.0)
    back, _ = services.step_phase(repo, REGISTRY, session.id, -1)
    assert (back.current_item, back.current_phase, back.timer) == (0, 0, None)  # open vraag: no timebox


def test_go_to_resets_the_timer_to_the_phase_timebox(repo: MemoryRepository, clock: FakeClock) -> None:
    session = make_session(repo, ("roddelmethode", {"timers": {"roddelen": 120}}))
    go(repo, session, 1, "roddelen")
    services.control_timer(repo, session.id, "start", clock=clock)
    clock.advance(30)
    services.control_timer(repo, session.id, "add", seconds=60, clock=clock)
    again, events = services.go_to(repo, REGISTRY, session.id, 1, 2)
    assert again.timer == Timer(duration=120.0)  # the facilitator's own timer, stopped, nothing added
    assert events == [PhaseChanged(session=again)]


@pytest.mark.parametrize(("item", "phase", "field"), [(3, 0, "item"), (-1, 0, "item"), (1, 6, "phase"), (1, -1, "phase")])
def test_go_to_refuses_what_is_not_there(repo: MemoryRepository, item: int, phase: int, field: str) -> None:
    session = make_session(repo, ("roddelmethode", {}))
    with pytest.raises(InvalidInput) as caught:
        services.go_to(repo, REGISTRY, session.id, item, phase)
    assert caught.value.params["field"] == field
    assert repo.get_session(session.id) == session


def test_an_empty_agenda_has_no_phase_to_step(repo: MemoryRepository) -> None:
    session = make_session(repo)
    repo.save_session(dataclasses.replace(session, agenda=()))
    with pytest.raises(PhaseNotOpen):
        services.step_phase(repo, REGISTRY, session.id, +1)
    with pytest.raises(PhaseNotOpen):
        services.reveal_phase(repo, REGISTRY, session.id)


# -- the timer -------------------------------------------------------------------------------


def test_timer_start_pause_add_and_reset_with_exact_seconds(repo: MemoryRepository, clock: FakeClock) -> None:
    session = make_session(repo, ("roddelmethode", {}))
    go(repo, session, 1, "roddelen")  # 900 s

    started, events = services.control_timer(repo, session.id, "start", clock=clock)
    assert started.timer == Timer(duration=900.0, started_at=START)
    assert events == [TimerChanged(session=started)]
    assert services.control_timer(repo, session.id, "start", clock=clock) == (started, [])  # already running

    clock.advance(100)
    assert started.timer.remaining(clock()) == 800.0
    paused, events = services.control_timer(repo, session.id, "pause", clock=clock)
    assert paused.timer == Timer(duration=900.0, started_at=None, elapsed=100.0)
    assert events == [TimerChanged(session=paused)]
    assert services.control_timer(repo, session.id, "pause", clock=clock) == (paused, [])

    clock.advance(50)  # paused: nothing runs off
    assert paused.timer.remaining(clock()) == 800.0
    extended, _ = services.control_timer(repo, session.id, "add", seconds=60, clock=clock)
    assert extended.timer.remaining(clock()) == 860.0 and extended.timer.running is False

    resumed, _ = services.control_timer(repo, session.id, "start", clock=clock)
    clock.advance(10)
    assert resumed.timer.remaining(clock()) == 850.0
    shortened, _ = services.control_timer(repo, session.id, "add", seconds=-120, clock=clock)
    assert shortened.timer.remaining(clock()) == 730.0 and shortened.timer.running is True

    reset, events = services.control_timer(repo, session.id, "reset", clock=clock)
    # Reset stops the timer and forgets what ran; the length keeps the minutes added meanwhile.
    assert reset.timer == Timer(duration=840.0)
    assert reset.timer.remaining(clock()) == 840.0
    assert events == [TimerChanged(session=reset)]
    assert repo.get_session(session.id).timer == Timer(duration=840.0)


def test_the_timer_runs_over_into_negative_and_never_below_zero_length(repo: MemoryRepository, clock: FakeClock) -> None:
    session = make_session(repo, ("tafeladvies", {"timers": {"advies": 60}}))
    go(repo, session, 1, "advies")
    services.control_timer(repo, session.id, "start", clock=clock)
    clock.advance(75)
    assert repo.get_session(session.id).timer.remaining(clock()) == -15.0
    cut, _ = services.control_timer(repo, session.id, "add", seconds=-3600, clock=clock)
    assert cut.timer.duration == 0.0 and cut.timer.remaining(clock()) == -75.0


def test_a_phase_without_timebox_gets_the_default_timer_when_started(repo: MemoryRepository, clock: FakeClock) -> None:
    session = make_session(repo)
    assert session.timer is None
    started, _ = services.control_timer(repo, session.id, "start", clock=clock)
    assert started.timer == Timer(duration=float(services.DEFAULT_TIMER_SECONDS), started_at=START)


@pytest.mark.parametrize(("action", "seconds", "field"), [("stop", 60, "action"), ("add", 3601, "seconds"), ("add", -3601, "seconds"), ("add", True, "seconds"), ("add", "60", "seconds")])
def test_a_wrong_timer_command_is_refused(repo: MemoryRepository, action: str, seconds: Any, field: str) -> None:
    session = make_session(repo)
    with pytest.raises(InvalidInput) as caught:
        services.control_timer(repo, session.id, action, seconds=seconds)
    assert caught.value.params["field"] == field
    assert repo.get_session(session.id).timer is None


# -- reveal ----------------------------------------------------------------------------------


def test_reveal_makes_a_hidden_phase_visible_once(repo: MemoryRepository) -> None:
    session = make_session(repo, ("open_vraag", {"hidden": {"antwoorden": True}}))
    session = go(repo, session, 1, "antwoorden")
    item = session.agenda[1]
    workformat = services.configured_workformat(REGISTRY, item)
    phone = seat(repo, session)
    contribution, _ = submit(repo, session, phone, "hidden-0001", "Wat ik denk")
    open_item, _ = submit(repo, go(repo, session, 0, "antwoorden"), phone, "open-00001", "Meteen zichtbaar")
    session = go(repo, session, 1, "antwoorden")
    assert services.is_concealed(session, workformat, contribution) is True
    assert services.is_concealed(session, services.configured_workformat(REGISTRY, session.agenda[0]), open_item) is False

    revealed, events = services.reveal_phase(repo, REGISTRY, session.id)
    assert revealed.revealed == (f"{item.id}:antwoorden",)
    assert events == [PhaseRevealed(session=revealed)]
    assert services.is_concealed(revealed, workformat, contribution) is False
    assert services.reveal_phase(repo, REGISTRY, session.id) == (revealed, [])


# -- tables ----------------------------------------------------------------------------------


def test_set_tables_numbers_and_names_them(repo: MemoryRepository) -> None:
    session = make_session(repo)
    named, events = services.set_tables(repo, session.id, ["Rood", "", "  Blauwe   tafel "])
    assert named.tables == (Table(1, "Rood"), Table(2, ""), Table(3, "Blauwe tafel"))
    assert events == [TablesChanged(session=named)]
    assert [t.label() for t in named.tables] == ["Rood", "2", "Blauwe tafel"]


@pytest.mark.parametrize("names", ["Rood", None, ["x" * 41], [5], ["t"] * 51])
def test_set_tables_refuses_wrong_names(repo: MemoryRepository, names: Any) -> None:
    session = make_session(repo)
    with pytest.raises(InvalidInput) as caught:
        services.set_tables(repo, session.id, names)
    assert caught.value.params["field"] == "tables"
    assert repo.get_session(session.id).tables == ()


def test_choose_table_moves_a_phone_and_only_to_a_real_table(repo: MemoryRepository) -> None:
    session = make_session(repo)
    services.set_tables(repo, session.id, ["A", "B"])
    phone = seat(repo, session, 1)
    moved, events = services.choose_table(repo, session.id, phone, 2)
    assert moved == dataclasses.replace(phone, table=2) == fresh(repo, session, phone)
    assert events == [ParticipantMoved(session_id=session.id, participant_id=phone.id, table=2)]
    assert services.choose_table(repo, session.id, moved, 2) == (moved, [])
    with pytest.raises(InvalidInput):
        services.choose_table(repo, session.id, moved, 3)
    standing, _ = services.choose_table(repo, session.id, moved, None)
    assert standing.table is None


def test_table_counts_give_numbers_only(repo: MemoryRepository) -> None:
    session = make_session(repo)
    early = seat(repo, session, 7)  # sat at 7 before the host named two tables
    services.set_tables(repo, session.id, ["Rood", "Groen"])
    session = repo.get_session(session.id)
    a, b, c = seat(repo, session, 1), seat(repo, session, 1), seat(repo, session, 2)
    nowhere = seat(repo, session)
    rows = services.table_counts(repo, session, {a.id, c.id, early.id, nowhere.id})
    assert rows == [
        {"number": 1, "name": "Rood", "joined": 2, "connected": 1},
        {"number": 2, "name": "Groen", "joined": 1, "connected": 1},
        {"number": 7, "name": "", "joined": 1, "connected": 1},
        {"number": None, "name": "", "joined": 1, "connected": 1},
    ]
    assert services.table_counts(repo, session)[0] == {"number": 1, "name": "Rood", "joined": 2, "connected": 0}
    assert b.id not in json.dumps(rows)


# -- roles -----------------------------------------------------------------------------------


def test_assign_a_role_by_the_number_on_the_phone(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("roddelmethode", {})), 1, "inbreng")
    item = session.agenda[1]
    first, second = seat(repo, session, 1), seat(repo, session, 2)
    assert (first.number, second.number) == (1, 2)

    assigned, events = services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=2)
    assert assigned.roles == (RoleAssignment(agenda_item_id=item.id, role="inbrenger", table=None, participant_id=second.id),)
    assert events == [RolesChanged(session=assigned, participant_ids=(second.id,))]
    assert services.role_of(assigned, item.id, second) == "inbrenger"
    assert services.roles_of(assigned, second) == {item.id: "inbrenger"}
    assert services.roles_of(assigned, first) == {}

    # Room mode: one inbrenger for the room; giving it to another phone takes it from the first.
    moved, events = services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=1)
    assert moved.roles == (RoleAssignment(agenda_item_id=item.id, role="inbrenger", table=None, participant_id=first.id),)
    assert events == [RolesChanged(session=moved, participant_ids=tuple(sorted((first.id, second.id))))]
    assert services.role_overview(repo, moved) == [
        {"agenda_item": item.id, "role": "inbrenger", "table": None, "number": 1, "code": None}
    ]


@pytest.mark.parametrize(
    ("role", "number", "error", "field"),
    [("inbrenger", 9, NotFound, None), ("deelnemer", 1, InvalidInput, "role"), ("koning", 1, InvalidInput, "role")],
)
def test_assign_role_refusals(repo: MemoryRepository, role: str, number: int, error: type, field: str | None) -> None:
    session = go(repo, make_session(repo, ("roddelmethode", {})), 1, "inbreng")
    seat(repo, session, 1)
    with pytest.raises(error) as caught:
        services.assign_role(repo, REGISTRY, session.id, role=role, number=number)
    assert caught.value.params.get("field") == field
    assert repo.get_session(session.id).roles == ()


def test_an_inbrenger_role_in_a_werkvorm_without_it_is_refused(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("vier_buffers", {})), 1, "vangnet")
    seat(repo, session, 1)
    with pytest.raises(InvalidInput) as caught:
        services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=1)
    assert caught.value.params["field"] == "role"


def test_table_mode_has_one_inbrenger_per_table(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("roddelmethode", {"inbrenger_mode": "table"})), 1, "inbreng")
    item = session.agenda[1]
    a1, a2, b1, loose = seat(repo, session, 1), seat(repo, session, 1), seat(repo, session, 2), seat(repo, session)
    services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=a1.number)
    services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=b1.number)
    session, events = services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=a2.number)
    assert session.roles == (
        RoleAssignment(agenda_item_id=item.id, role="inbrenger", table=2, participant_id=b1.id),
        RoleAssignment(agenda_item_id=item.id, role="inbrenger", table=1, participant_id=a2.id),
    )
    assert events == [RolesChanged(session=session, participant_ids=tuple(sorted((a1.id, a2.id))))]
    with pytest.raises(NoTable):
        services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=loose.number)


def test_a_one_time_code_seats_the_phone_at_its_table_and_is_then_gone(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("roddelmethode", {"inbrenger_mode": "table"})), 1, "inbreng")
    item = session.agenda[1]
    services.set_tables(repo, session.id, ["Rood", "Groen"])
    code, events = services.create_role_code(repo, REGISTRY, session.id, role="inbrenger", table=2)
    assert len(code) == services.ROLE_CODE_LENGTH and set(code) <= set(services.JOIN_CODE_ALPHABET)
    waiting = repo.get_session(session.id)
    assert waiting.roles == (RoleAssignment(agenda_item_id=item.id, role="inbrenger", table=2, claim_code=code),)
    assert events == [RolesChanged(session=waiting, participant_ids=())]
    assert services.role_overview(repo, waiting) == [
        {"agenda_item": item.id, "role": "inbrenger", "table": 2, "number": None, "code": code}
    ]

    phone, other = seat(repo, session, 1), seat(repo, session, 1)
    typed = f" {code[:2].lower()} {code[2:]} "  # people type it loosely
    claimed, moved, events = services.claim_role(repo, session.id, phone, typed)
    assert moved == dataclasses.replace(phone, table=2) == fresh(repo, session, phone)
    assert claimed.roles == (RoleAssignment(agenda_item_id=item.id, role="inbrenger", table=2, participant_id=phone.id),)
    assert events == [
        ParticipantMoved(session_id=session.id, participant_id=phone.id, table=2),
        RolesChanged(session=claimed, participant_ids=(phone.id,)),
    ]
    with pytest.raises(RoleCodeInvalid):
        services.claim_role(repo, session.id, other, code)
    with pytest.raises(InvalidInput) as caught:
        services.claim_role(repo, session.id, other, 1234)
    assert caught.value.params["field"] == "code"
    assert fresh(repo, session, other).table == 1
    assert repo.get_session(session.id).roles == claimed.roles


def test_a_code_for_a_table_role_needs_a_real_table(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("roddelmethode", {"inbrenger_mode": "table"})), 1, "inbreng")
    services.set_tables(repo, session.id, ["Rood"])
    with pytest.raises(NoTable):
        services.create_role_code(repo, REGISTRY, session.id, role="inbrenger")
    with pytest.raises(InvalidInput) as caught:
        services.create_role_code(repo, REGISTRY, session.id, role="inbrenger", table=2)
    assert caught.value.params["field"] == "table"
    assert repo.get_session(session.id).roles == ()
    code, _ = services.create_role_code(repo, REGISTRY, session.id, role="inbrenger", table=1, item_id=session.agenda[1].id)
    assert repo.get_session(session.id).roles == (
        RoleAssignment(agenda_item_id=session.agenda[1].id, role="inbrenger", table=1, claim_code=code),
    )
    with pytest.raises(NotFound):
        services.create_role_code(repo, REGISTRY, session.id, role="inbrenger", table=1, item_id="bestaat-niet")


def test_claim_spokesperson_takes_an_empty_seat_only(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("tafeladvies", {})), 1, "advies")
    item = session.agenda[1]
    first, second, standing = seat(repo, session, 1), seat(repo, session, 1), seat(repo, session)
    claimed, events = services.claim_spokesperson(repo, REGISTRY, session.id, first)
    assert claimed.roles == (RoleAssignment(agenda_item_id=item.id, role="tafelvoorzitter", table=1, participant_id=first.id),)
    assert events == [RolesChanged(session=claimed, participant_ids=(first.id,))]
    assert services.claim_spokesperson(repo, REGISTRY, session.id, first) == (claimed, [])
    with pytest.raises(NotYourRole):
        services.claim_spokesperson(repo, REGISTRY, session.id, second)
    with pytest.raises(NoTable):
        services.claim_spokesperson(repo, REGISTRY, session.id, standing)
    assert repo.get_session(session.id).roles == claimed.roles


def test_no_spokesperson_in_a_werkvorm_without_one_and_the_inbrenger_listens(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("vier_buffers", {}), ("roddelmethode", {})), 1, "vangnet")
    phone = seat(repo, session, 1)
    with pytest.raises(NotYourRole):
        services.claim_spokesperson(repo, REGISTRY, session.id, phone)
    go(repo, session, 2, "advies")
    services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=phone.number)
    with pytest.raises(NotYourRole):
        services.claim_spokesperson(repo, REGISTRY, session.id, phone)


def test_moving_table_gives_up_a_table_role(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("tafeladvies", {})), 1, "advies")
    phone = seat(repo, session, 1)
    services.claim_spokesperson(repo, REGISTRY, session.id, phone)
    moved, events = services.choose_table(repo, session.id, phone, 2)
    after = repo.get_session(session.id)
    assert after.roles == ()
    assert events == [
        ParticipantMoved(session_id=session.id, participant_id=phone.id, table=2),
        RolesChanged(session=after, participant_ids=(phone.id,)),
    ]


def test_one_role_per_phone_per_item(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("roddelmethode", {"inbrenger_mode": "table"})), 1, "advies")
    item = session.agenda[1]
    phone = seat(repo, session, 1)
    services.claim_spokesperson(repo, REGISTRY, session.id, phone)
    session, events = services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=phone.number)
    assert session.roles == (RoleAssignment(agenda_item_id=item.id, role="inbrenger", table=1, participant_id=phone.id),)
    assert events == [RolesChanged(session=session, participant_ids=(phone.id,))]


def test_clear_role_takes_it_back(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("roddelmethode", {"inbrenger_mode": "table"})), 1, "inbreng")
    phone = seat(repo, session, 1)
    services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=phone.number)
    code, _ = services.create_role_code(repo, REGISTRY, session.id, role="inbrenger", table=2)
    assert services.clear_role(repo, session.id, role="inbrenger", table=3) == (repo.get_session(session.id), [])
    cleared, events = services.clear_role(repo, session.id, role="inbrenger", table=1)
    assert [r.claim_code for r in cleared.roles] == [code]
    assert events == [RolesChanged(session=cleared, participant_ids=(phone.id,))]
    unused, events = services.clear_role(repo, session.id, role="inbrenger", table=2)
    assert unused.roles == () and events == [RolesChanged(session=unused, participant_ids=())]
    with pytest.raises(RoleCodeInvalid):
        services.claim_role(repo, session.id, phone, code)


# -- contributions with kind, bucket, tags, function, shared ----------------------------------


def test_vier_buffers_stores_bucket_and_tags_in_group_order(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("vier_buffers", {})), 1, "vangnet")
    phone = seat(repo, session, 3)
    contribution, events = submit(
        repo, session, phone, "buffer-0001", "Een luisterend oor bij de poort", bucket="meta_positie", tags=["geven", "mens"]
    )
    assert contribution == Contribution(
        id="buffer-0001", participant_id=phone.id, agenda_item_id=session.agenda[1].id, phase_id="vangnet",
        kind="vangnet", text="Een luisterend oor bij de poort", created_at=START, table=3, bucket="meta_positie",
        tags=("mens", "geven"),
    )
    assert events == [ContributionAdded(session_id=session.id, contribution=contribution)]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"tags": ["mens", "geven"]}, "bucket"),
        ({"bucket": "vangnet", "tags": ["mens", "geven"]}, "bucket"),
        ({"bucket": 3, "tags": ["mens", "geven"]}, "bucket"),
        ({"bucket": "meta_positie"}, "tags.als"),
        ({"bucket": "meta_positie", "tags": ["geven"]}, "tags.als"),
        ({"bucket": "meta_positie", "tags": ["mens"]}, "tags.richting"),
        ({"bucket": "meta_positie", "tags": ["mens", "organisatie", "geven"]}, "tags.als"),
        ({"bucket": "meta_positie", "tags": ["mens", "geven", "later"]}, "tags"),
        ({"bucket": "meta_positie", "tags": "mens,geven"}, "tags"),
        ({"bucket": "meta_positie", "tags": [1, 2]}, "tags"),
        ({"bucket": "meta_positie", "tags": ["mens", "geven"], "kind": "roddel"}, None),
    ],
)
def test_vier_buffers_refuses_a_missing_or_unknown_bucket_or_tag(repo: MemoryRepository, fields: dict[str, Any], field: str | None) -> None:
    session = go(repo, make_session(repo, ("vier_buffers", {})), 1, "vangnet")
    phone = seat(repo, session)
    with pytest.raises((InvalidInput, PhaseNotOpen)) as caught:
        submit(repo, session, phone, "buffer-0001", "tekst", **fields)
    assert caught.value.params.get("field") == field
    assert repo.list_contributions(session.id) == []


def test_own_buckets_are_the_ones_to_choose_from(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("vier_buffers", {"buckets": [{"id": "steun", "label": "Steun"}]})), 1, "vangnet")
    phone = seat(repo, session)
    with pytest.raises(InvalidInput):
        submit(repo, session, phone, "buffer-0001", "tekst", bucket="meta_positie", tags=["mens", "nodig"])
    stored, _ = submit(repo, session, phone, "buffer-0002", "tekst", bucket="steun", tags=["mens", "nodig"])
    assert stored.bucket == "steun"


def test_a_bucket_or_tag_on_a_kind_without_them_is_refused(repo: MemoryRepository) -> None:
    session = make_session(repo)
    phone = seat(repo, session)
    with pytest.raises(InvalidInput) as caught:
        submit(repo, session, phone, "open-00001", "tekst", bucket="meta_positie")
    assert caught.value.params["field"] == "bucket"
    with pytest.raises(InvalidInput) as caught:
        submit(repo, session, phone, "open-00001", "tekst", tags=["mens"])
    assert caught.value.params["field"] == "tags"


def test_the_listening_inbrenger_cannot_roddel(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("roddelmethode", {})), 1, "roddelen")
    inbrenger, other = seat(repo, session, 1), seat(repo, session, 1)
    services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=inbrenger.number)
    for kind in (None, "roddel"):
        with pytest.raises(NotYourRole):
            submit(repo, session, inbrenger, "roddel-0001", "Ik zeg toch iets", kind=kind, tags=["observatie"])
    with pytest.raises(PhaseNotOpen):
        submit(repo, session, inbrenger, "roddel-0001", "Mijn reactie", kind="reactie")
    stored, _ = submit(repo, session, other, "roddel-0002", "Finn lijkt zich te vervelen", tags=["hypothese"])
    assert (stored.kind, stored.tags, stored.phase_id) == ("roddel", ("hypothese",), "roddelen")
    with pytest.raises(InvalidInput) as caught:
        submit(repo, session, other, "roddel-0003", "Zonder soort")
    assert caught.value.params["field"] == "tags.soort"
    assert [c.id for c in repo.list_contributions(session.id)] == ["roddel-0002"]


def test_what_is_not_open_now_is_refused(repo: MemoryRepository) -> None:
    session = make_session(repo, ("roddelmethode", {}), ("casusdialoog", {}))
    phone = seat(repo, session, 1)
    go(repo, session, 2, "casus")  # the case is read, nothing to send
    with pytest.raises(PhaseNotOpen):
        submit(repo, session, phone, "casus-0001", "tekst")
    go(repo, session, 1, "inbreng")  # only the inbrenger types here
    with pytest.raises(NotYourRole):
        submit(repo, session, phone, "inbreng-01", "tekst")
    go(repo, session, 1, "advies")  # a table writes this as a draft
    with pytest.raises(InvalidInput) as caught:
        submit(repo, session, phone, "advies-001", "tekst", kind="advies")
    assert caught.value.params["field"] == "kind"
    with pytest.raises(InvalidInput) as caught:
        submit(repo, session, phone, "advies-001", "tekst", kind=["advies"])
    assert caught.value.params["field"] == "kind"
    assert repo.list_contributions(session.id) == []


def test_casusdialoog_asks_the_function_for_question_three(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("casusdialoog", {})), 1, "vraag3")
    phone = seat(repo, session, 2)
    for function, error, field in ((None, TextEmpty, "function"), ("   ", TextEmpty, "function"),
                                   ("x" * 81, InvalidInput, "function"), (7, InvalidInput, "function")):
        with pytest.raises(error) as caught:
            submit(repo, session, phone, "moglijk-01", "Samen met de IB'er kijken", function=function)
        assert caught.value.params["field"] == field
    stored, _ = submit(repo, session, phone, "moglijk-01", "Samen met de IB'er kijken", function="  intern   begeleider ")
    assert (stored.kind, stored.function, stored.shared) == ("mogelijkheid", "intern begeleider", True)


def test_question_four_is_private_unless_shared(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("casusdialoog", {})), 1, "vraag4")
    author, other = seat(repo, session, 1), seat(repo, session, 1)
    private, events = submit(repo, session, author, "opbrengst-1", "Ik kijk nu anders naar gedrag")
    assert private.shared is False
    assert events == [ContributionAdded(session_id=session.id, contribution=private)]
    public, _ = submit(repo, session, author, "opbrengst-2", "Dit deel ik graag", shared=True)
    assert public.shared is True
    with pytest.raises(InvalidInput) as caught:
        submit(repo, session, author, "opbrengst-3", "tekst", shared="ja")
    assert caught.value.params["field"] == "shared"

    shared, events = services.set_contribution_shared(repo, REGISTRY, session.id, author, "opbrengst-1", True)
    assert shared == dataclasses.replace(private, shared=True, version=1) == repo.get_contribution(session.id, "opbrengst-1")
    assert events == [ContributionAdded(session_id=session.id, contribution=shared)]
    assert services.set_contribution_shared(repo, REGISTRY, session.id, author, "opbrengst-1", True) == (shared, [])
    back, events = services.set_contribution_shared(repo, REGISTRY, session.id, author, "opbrengst-1", False)
    assert back == dataclasses.replace(private, version=2)
    assert events == [ContributionChanged(session_id=session.id, contribution=back)]
    with pytest.raises(ContributionNotFound):  # someone else's answer is as if it did not exist
        services.set_contribution_shared(repo, REGISTRY, session.id, other, "opbrengst-1", True)
    with pytest.raises(ContributionNotFound):
        services.set_contribution_shared(repo, REGISTRY, session.id, author, "bestaat-niet", True)
    assert repo.get_contribution(session.id, "opbrengst-1").shared is False


def test_a_shared_kind_cannot_be_taken_back(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("casusdialoog", {})), 1, "vraag1")
    author = seat(repo, session, 1)
    submit(repo, session, author, "opvalt-001", "Veel wisselingen")
    with pytest.raises(InvalidInput) as caught:
        services.set_contribution_shared(repo, REGISTRY, session.id, author, "opvalt-001", False)
    assert caught.value.params["field"] == "id"
    assert repo.get_contribution(session.id, "opvalt-001").shared is True


def test_limits_count_per_participant_kind_and_agenda_item(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("casusdialoog", {}), ("casusdialoog", {})), 1, "vraag4")
    phone, other = seat(repo, session, 1), seat(repo, session, 1)
    for i in range(3):
        submit(repo, session, phone, f"first-item-{i}", f"opbrengst {i}")
    with pytest.raises(LimitReached) as caught:
        submit(repo, session, phone, "first-item-3", "nog een")
    assert caught.value.params == {"limit": 3}
    assert submit(repo, session, other, "other-phone-0", "mijn eerste")[0].kind == "opbrengst"
    go(repo, session, 2, "vraag4")
    assert submit(repo, session, phone, "second-item-0", "nieuw item, nieuwe telling")[0].kind == "opbrengst"
    # A resend of an acknowledged id is no new item, even at the limit and in another phase.
    go(repo, session, 1, "vraag1")
    assert submit(repo, session, phone, "first-item-0", "anders") == (repo.get_contribution(session.id, "first-item-0"), [])
    assert len(repo.list_contributions(session.id)) == 5


def test_the_inbrenger_question_has_its_own_limit(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("roddelmethode", {})), 1, "inbreng")
    inbrenger = seat(repo, session)
    services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=inbrenger.number)
    for i in range(3):
        assert submit(repo, session, inbrenger, f"hulpvraag-{i}", f"vraag {i}")[0].kind == "hulpvraag"
    with pytest.raises(LimitReached):
        submit(repo, session, inbrenger, "hulpvraag-3", "nog een vraag")


def test_too_long_for_its_kind(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("roddelmethode", {})), 1, "verhelderende_vragen")
    phone = seat(repo, session)
    with pytest.raises(TextTooLong):
        submit(repo, session, phone, "vraag-0001", "x" * 301)
    assert len(submit(repo, session, phone, "vraag-0002", "x" * 300)[0].text) == 300


# -- moving and starring ---------------------------------------------------------------------


def test_the_host_moves_an_item_to_another_buffer(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("vier_buffers", {})), 1, "vangnet")
    phone = seat(repo, session)
    original, _ = submit(repo, session, phone, "buffer-0001", "tekst", bucket="meta_positie", tags=["mens", "nodig"])
    moved, events = services.move_contribution(repo, REGISTRY, session.id, "buffer-0001", "solidariteit")
    assert moved == dataclasses.replace(original, bucket="solidariteit", version=1) == repo.get_contribution(session.id, "buffer-0001")
    assert events == [ContributionChanged(session_id=session.id, contribution=moved)]
    assert services.move_contribution(repo, REGISTRY, session.id, "buffer-0001", "solidariteit") == (moved, [])
    for wrong in ("nergens", None, 4):
        with pytest.raises(InvalidInput) as caught:
            services.move_contribution(repo, REGISTRY, session.id, "buffer-0001", wrong)
        assert caught.value.params["field"] == "bucket"
    with pytest.raises(ContributionNotFound):
        services.move_contribution(repo, REGISTRY, session.id, "bestaat-niet", "solidariteit")


def test_only_the_listening_inbrenger_stars(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("roddelmethode", {})), 1, "roddelen")
    inbrenger, author, other = seat(repo, session, 1), seat(repo, session, 2), seat(repo, session, 3)
    services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=inbrenger.number)
    session = repo.get_session(session.id)
    roddel, _ = submit(repo, session, author, "roddel-0001", "Finn voelt zich niet gezien", tags=["hypothese"])
    assert services.listens_to(session, roddel) == [inbrenger.id]

    starred, events = services.star_contribution(repo, session.id, inbrenger, "roddel-0001", True)
    assert starred == dataclasses.replace(roddel, starred=True, version=1) == repo.get_contribution(session.id, "roddel-0001")
    assert events == [ContributionChanged(session_id=session.id, contribution=starred)]
    assert services.star_contribution(repo, session.id, inbrenger, "roddel-0001", True) == (starred, [])
    for someone in (author, other):
        with pytest.raises(NotYourRole):
            services.star_contribution(repo, session.id, someone, "roddel-0001", False)
    unstarred, _ = services.star_contribution(repo, session.id, inbrenger, "roddel-0001", False)
    assert unstarred.starred is False
    services.set_contribution_hidden(repo, session.id, "roddel-0001", True)
    with pytest.raises(NotYourRole):  # a hidden item is not shown to the inbrenger either
        services.star_contribution(repo, session.id, inbrenger, "roddel-0001", True)


def test_in_table_mode_an_inbrenger_stars_only_the_own_table(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("roddelmethode", {"inbrenger_mode": "table"})), 1, "roddelen")
    inbrenger1, inbrenger2 = seat(repo, session, 1), seat(repo, session, 2)
    talker1, talker2 = seat(repo, session, 1), seat(repo, session, 2)
    for phone in (inbrenger1, inbrenger2):
        services.assign_role(repo, REGISTRY, session.id, role="inbrenger", number=phone.number)
    session = repo.get_session(session.id)
    at1, _ = submit(repo, session, talker1, "roddel-t1-01", "Aan tafel 1", tags=["observatie"])
    at2, _ = submit(repo, session, talker2, "roddel-t2-01", "Aan tafel 2", tags=["observatie"])
    assert services.listens_to(session, at1) == [inbrenger1.id]
    assert services.listens_to(session, at2) == [inbrenger2.id]
    with pytest.raises(NotYourRole):
        services.star_contribution(repo, session.id, inbrenger2, "roddel-t1-01", True)
    assert services.star_contribution(repo, session.id, inbrenger1, "roddel-t1-01", True)[0].starred is True
    assert services.star_contribution(repo, session.id, inbrenger2, "roddel-t2-01", True)[0].starred is True


# -- table drafts ----------------------------------------------------------------------------


def draft(repo: MemoryRepository, session: WorkshopSession, phone: Participant, text: str, base: int,
          kind: str = "advies", slot: int = 1, clock: Any = lambda: START) -> tuple[TableDraft, list[Any]]:
    return services.save_table_draft(
        repo, REGISTRY, session.id, phone, kind=kind, slot=slot, text=text, base_version=base, clock=clock
    )


def test_two_phones_editing_one_draft_never_overwrite_each_other(repo: MemoryRepository, clock: FakeClock) -> None:
    session = go(repo, make_session(repo, ("tafeladvies", {})), 1, "advies")
    item = session.agenda[1]
    anna, bram, elsewhere = seat(repo, session, 1), seat(repo, session, 1), seat(repo, session, 2)

    first, events = draft(repo, session, anna, "Praat met Finn zelf", 0, clock=clock)
    assert first == TableDraft(agenda_item_id=item.id, kind="advies", table=1, slot=1, text="Praat met Finn zelf",
                               version=1, updated_at=START)
    assert events == [TableDraftChanged(session_id=session.id, draft=first)]

    # Bram typed on the empty draft too: refused, and he gets Anna's text and version to merge with his own.
    with pytest.raises(DraftConflict) as caught:
        draft(repo, session, bram, "Betrek de school", 0)
    assert caught.value.params == {"text": "Praat met Finn zelf", "version": 1}
    assert repo.get_draft(session.id, item.id, "advies", 1, 1) == first

    # The same words again (a resend after a reconnect) change nothing.
    assert draft(repo, session, anna, "Praat met Finn zelf", 0) == (first, [])
    assert draft(repo, session, bram, "Praat met Finn zelf", 1) == (first, [])

    clock.advance(5)
    merged, events = draft(repo, session, bram, "Praat met Finn zelf. Betrek de school", 1, clock=clock)
    assert (merged.text, merged.version, merged.updated_at) == ("Praat met Finn zelf. Betrek de school", 2, START + 5)
    assert events == [TableDraftChanged(session_id=session.id, draft=merged)]
    assert repo.get_draft(session.id, item.id, "advies", 2, 1) is None  # another table has its own
    assert services.table_drafts(repo, session.id, 1) == [merged]
    assert services.table_drafts(repo, session.id, 2) == []
    elsewhere_draft, _ = draft(repo, session, elsewhere, "Eigen advies", 0)
    assert services.table_drafts(repo, session.id, None) == [merged, elsewhere_draft]


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"slot": 2}, InvalidInput, "slot"),
        ({"slot": 0}, InvalidInput, "slot"),
        ({"slot": True}, InvalidInput, "slot"),
        ({"slot": "1"}, InvalidInput, "slot"),
        ({"base_version": "0"}, InvalidInput, "base_version"),
        ({"base_version": None}, InvalidInput, "base_version"),
        ({"text": "x" * 1501}, TextTooLong, None),
        ({"text": 5}, InvalidInput, "text"),
        ({"kind": "rode_draad"}, PhaseNotOpen, None),
        ({"kind": 5}, InvalidInput, "kind"),
    ],
)
def test_wrong_draft_saves_are_refused(repo: MemoryRepository, fields: dict[str, Any], error: type, field: str | None) -> None:
    session = go(repo, make_session(repo, ("tafeladvies", {}), ("open_vraag", {})), 1, "advies")
    phone = seat(repo, session, 1)
    payload = {"kind": "advies", "slot": 1, "text": "tekst", "base_version": 0, **fields}
    with pytest.raises(error) as caught:
        services.save_table_draft(repo, REGISTRY, session.id, phone, **payload)
    assert caught.value.params.get("field") == field
    assert repo.list_drafts(session.id) == []


def test_a_draft_needs_a_table_and_an_open_table_kind(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("tafeladvies", {})), 1, "advies")
    with pytest.raises(NoTable):
        draft(repo, session, seat(repo, session), "tekst", 0)
    go(repo, session, 1, "rode_draad")
    with pytest.raises(PhaseNotOpen):
        draft(repo, session, seat(repo, session, 1), "tekst", 0)


def test_only_the_spokesperson_submits_and_a_resubmit_updates_in_place(repo: MemoryRepository, clock: FakeClock) -> None:
    session = go(repo, make_session(repo, ("tafeladvies", {})), 1, "advies")
    item = session.agenda[1]
    anna, bram = seat(repo, session, 1), seat(repo, session, 1)
    written, _ = draft(repo, session, bram, "Praat met Finn zelf", 0)

    with pytest.raises(TextEmpty):  # nothing written yet at table 2
        services.submit_table_drafts(repo, REGISTRY, session.id, seat(repo, session, 2), kind="advies")

    services.claim_spokesperson(repo, REGISTRY, session.id, anna)
    with pytest.raises(NotYourRole):
        services.submit_table_drafts(repo, REGISTRY, session.id, bram, kind="advies")

    submitted, events = services.submit_table_drafts(repo, REGISTRY, session.id, anna, kind="advies", clock=clock)
    stable_id = services.table_item_id(item.id, "advies", 1, 1)
    assert stable_id.startswith("table-") and len(stable_id) == len("table-") + 24
    advice = Contribution(id=stable_id, participant_id=anna.id, agenda_item_id=item.id, phase_id="advies",
                          kind="advies", text="Praat met Finn zelf", created_at=START, table=1, slot=1)
    marked = dataclasses.replace(written, submitted_version=1)
    assert submitted == [advice]
    assert events == [ContributionAdded(session_id=session.id, contribution=advice),
                      TableDraftChanged(session_id=session.id, draft=marked)]

    # Submitting again without an edit (a double tap, a resend) changes nothing.
    assert services.submit_table_drafts(repo, REGISTRY, session.id, anna, kind="advies") == ([advice], [])

    # An edit after submitting makes it a draft again; the next submit updates the same item.
    edited, _ = draft(repo, session, bram, "Praat met Finn zelf, en met zijn zus", 1)
    assert (edited.version, edited.submitted_version) == (2, 1)
    clock.advance(60)
    resubmitted, events = services.submit_table_drafts(repo, REGISTRY, session.id, anna, kind="advies", clock=clock)
    updated = dataclasses.replace(advice, text="Praat met Finn zelf, en met zijn zus", version=1)
    assert resubmitted == [updated]
    assert events == [ContributionChanged(session_id=session.id, contribution=updated),
                      TableDraftChanged(session_id=session.id, draft=dataclasses.replace(edited, submitted_version=2))]
    assert repo.list_contributions(session.id) == [updated]


def test_the_first_to_submit_becomes_the_spokesperson(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("tafeladvies", {})), 1, "advies")
    item = session.agenda[1]
    phone = seat(repo, session, 2)
    draft(repo, session, phone, "Advies van tafel twee", 0)
    submitted, events = services.submit_table_drafts(repo, REGISTRY, session.id, phone, kind="advies")
    after = repo.get_session(session.id)
    assert after.roles == (RoleAssignment(agenda_item_id=item.id, role="tafelvoorzitter", table=2, participant_id=phone.id),)
    assert [type(e) for e in events] == [RolesChanged, ContributionAdded, TableDraftChanged]
    assert events[0] == RolesChanged(session=after, participant_ids=(phone.id,))
    assert [c.text for c in submitted] == ["Advies van tafel twee"]


def test_a_resubmit_never_undoes_the_facilitators_hiding(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("tafeladvies", {})), 1, "advies")
    phone = seat(repo, session, 1)
    draft(repo, session, phone, "Noemt de naam van de juf", 0)
    [advice], _ = services.submit_table_drafts(repo, REGISTRY, session.id, phone, kind="advies")
    hidden, _ = services.set_contribution_hidden(repo, session.id, advice.id, True)
    assert services.submit_table_drafts(repo, REGISTRY, session.id, phone, kind="advies") == ([hidden], [])
    assert repo.get_contribution(session.id, advice.id).hidden is True


def test_five_hypothesis_slots_per_table(repo: MemoryRepository) -> None:
    session = go(repo, make_session(repo, ("casusdialoog", {})), 1, "vraag2")
    item = session.agenda[1]
    chair, helper = seat(repo, session, 1), seat(repo, session, 1)
    for slot in range(1, 6):
        draft(repo, session, helper if slot % 2 else chair, f"Hypothese {slot}", 0, kind="hypothese", slot=slot)
    with pytest.raises(InvalidInput):
        draft(repo, session, chair, "Een zesde", 0, kind="hypothese", slot=6)
    services.claim_spokesperson(repo, REGISTRY, session.id, chair)
    submitted, _ = services.submit_table_drafts(repo, REGISTRY, session.id, chair, kind="hypothese")
    assert [(c.id, c.slot, c.text, c.table) for c in submitted] == [
        (services.table_item_id(item.id, "hypothese", 1, slot), slot, f"Hypothese {slot}", 1) for slot in range(1, 6)
    ]
    # Emptying a slot and submitting hides that one item; nothing is duplicated.
    draft(repo, session, helper, "", 1, kind="hypothese", slot=3)
    again, events = services.submit_table_drafts(repo, REGISTRY, session.id, chair, kind="hypothese")
    assert [c.slot for c in again] == [1, 2, 4, 5]
    third = repo.get_contribution(session.id, services.table_item_id(item.id, "hypothese", 1, 3))
    assert (third.hidden, third.text) == (True, "Hypothese 3")
    assert [type(e) for e in events] == [ContributionChanged, TableDraftChanged]
    assert len(repo.list_contributions(session.id)) == 5
    # Writing the same words back (undo) and submitting shows it again, still as the same item.
    draft(repo, session, helper, "Hypothese 3", 2, kind="hypothese", slot=3)
    restored, _ = services.submit_table_drafts(repo, REGISTRY, session.id, chair, kind="hypothese")
    assert [(c.slot, c.hidden) for c in restored] == [(slot, False) for slot in range(1, 6)]
    assert len(repo.list_contributions(session.id)) == 5


# -- votes -----------------------------------------------------------------------------------


def voting_session(repo: MemoryRepository, **settings: Any) -> tuple[WorkshopSession, list[Participant], list[str]]:
    """Vier buffers with five items (the last one hidden), then a vote on them."""
    session = go(repo, make_session(repo, ("vier_buffers", {}), ("stemmen", settings)), 1, "vangnet")
    phones = [seat(repo, session, 1) for _ in range(3)]
    ids = []
    for i, phone in enumerate([*phones, phones[0], phones[1]]):
        contribution, _ = submit(repo, session, phone, f"buffer-{i:04d}", f"Punt {i}", bucket="meta_positie", tags=["mens", "nodig"])
        ids.append(contribution.id)
    services.set_contribution_hidden(repo, session.id, ids[4], True)
    return go(repo, session, 2, "stemmen"), phones, ids


def vote(repo: MemoryRepository, session: WorkshopSession, phone: Participant, target: Any, on: Any = True) -> tuple[list[str], list[Any]]:
    return services.cast_vote(repo, REGISTRY, session.id, phone, target=target, on=on, clock=lambda: START)


def test_the_targets_are_the_previous_items_visible_contributions(repo: MemoryRepository) -> None:
    session, _phones, ids = voting_session(repo)
    assert services.vote_targets(repo, REGISTRY, session, session.agenda[2]) == [
        {"id": ids[0], "text": "Punt 0"}, {"id": ids[1], "text": "Punt 1"}, {"id": ids[2], "text": "Punt 2"},
        {"id": ids[3], "text": "Punt 3"},
    ]
    assert services.vote_targets(repo, REGISTRY, session, session.agenda[0]) == []  # the first item has no source


def test_dots_limit_double_cast_and_taking_back(repo: MemoryRepository) -> None:
    session, (anna, bram, _cor), ids = voting_session(repo)
    item = session.agenda[2]
    mine, events = vote(repo, session, anna, ids[0])
    assert (mine, events) == ([ids[0]], [VotesChanged(session_id=session.id, agenda_item_id=item.id)])
    assert vote(repo, session, anna, ids[0]) == ([ids[0]], [])  # a double tap counts once
    vote(repo, session, anna, ids[1])
    vote(repo, session, anna, ids[2])
    with pytest.raises(LimitReached) as caught:
        vote(repo, session, anna, ids[3])
    assert caught.value.params == {"limit": 3, "what": "dots"}
    vote(repo, session, bram, ids[0])
    assert services.tallies(repo, session.id, item.id) == {ids[0]: 2, ids[1]: 1, ids[2]: 1}

    mine, events = vote(repo, session, anna, ids[1], on=False)
    assert (mine, events) == (sorted([ids[0], ids[2]]), [VotesChanged(session_id=session.id, agenda_item_id=item.id)])
    assert vote(repo, session, anna, ids[1], on=False) == (sorted([ids[0], ids[2]]), [])
    assert vote(repo, session, bram, ids[2], on=False) == ([ids[0]], [])  # never placed: nothing to take back
    assert services.tallies(repo, session.id, item.id) == {ids[0]: 2, ids[2]: 1}
    # The dot is free again, and a fact taken back can be placed again.
    assert vote(repo, session, anna, ids[1])[0] == sorted(ids[:3])
    assert services.tallies(repo, session.id, item.id) == {ids[0]: 2, ids[1]: 1, ids[2]: 1}
    assert services.my_votes(repo, session.id, anna.id, item.id) == sorted(ids[:3])
    assert len(repo.list_votes(session.id)) == 4  # one fact per (phone, target)


def test_vote_refusals(repo: MemoryRepository) -> None:
    session, (anna, *_rest), ids = voting_session(repo)
    for target in ("bestaat-niet", ids[4]):  # unknown, and hidden by the facilitator
        with pytest.raises(NotFound):
            vote(repo, session, anna, target)
    for target, on in ((5, True), (ids[0], "ja"), (ids[0], None)):
        with pytest.raises(InvalidInput):
            vote(repo, session, anna, target, on)
    go(repo, session, 1, "vangnet")
    with pytest.raises(PhaseNotOpen):
        vote(repo, session, anna, ids[0])
    assert repo.list_votes(session.id) == []


def test_own_options_and_own_number_of_dots(repo: MemoryRepository) -> None:
    session, (anna, bram, _cor), _ids = voting_session(repo, options=["Rust", "  ", " Tijd "], dots=1)
    assert services.vote_targets(repo, REGISTRY, session, session.agenda[2]) == [
        {"id": "option-1", "text": "Rust"}, {"id": "option-2", "text": "Tijd"},
    ]
    assert services.dots_per_participant(session.agenda[2], REGISTRY) == 1
    assert vote(repo, session, anna, "option-2")[0] == ["option-2"]
    with pytest.raises(LimitReached):
        vote(repo, session, anna, "option-1")
    vote(repo, session, bram, "option-2")
    assert services.tallies(repo, session.id, session.agenda[2].id) == {"option-2": 2}


def test_an_explicit_source_and_no_private_or_concealed_targets(repo: MemoryRepository) -> None:
    session = make_session(repo, ("casusdialoog", {"hidden": {"vraag1": True}}), ("open_vraag", {}))
    case_item = session.agenda[1]
    services.add_agenda_item(repo, REGISTRY, session.id, "stemmen", {"source": case_item.id})
    session = go(repo, repo.get_session(session.id), 1, "vraag1")
    phone = seat(repo, session, 1)
    submit(repo, session, phone, "opvalt-0001", "Nog verborgen tot onthulling")
    go(repo, session, 1, "vraag4")
    submit(repo, session, phone, "opbrengst-01", "Privé")
    submit(repo, session, phone, "opbrengst-02", "Gedeeld", shared=True)
    session = repo.get_session(session.id)
    assert services.vote_targets(repo, REGISTRY, session, session.agenda[3]) == [{"id": "opbrengst-02", "text": "Gedeeld"}]
    go(repo, session, 1, "vraag1")
    services.reveal_phase(repo, REGISTRY, session.id)
    session = repo.get_session(session.id)
    assert [t["id"] for t in services.vote_targets(repo, REGISTRY, session, session.agenda[3])] == ["opvalt-0001", "opbrengst-02"]


# -- library, export and import ---------------------------------------------------------------

CONFIGURED = {
    "title": "Roddelen over Finn",
    "case_text": "Finn is 10 jaar.",
    "prompts": {"roddelen": {"inbrenger": "Luister mee en zwijg."}},
    "timers": {"roddelen": 1200},
    "hidden": {"verhelderende_vragen": True},
    "inbrenger_mode": "table",
}


def test_save_to_library_and_put_it_on_another_agenda(repo: MemoryRepository) -> None:
    library = MemoryLibrary()
    session = make_session(repo, ("roddelmethode", CONFIGURED))
    entry = services.save_to_library(repo, library, session.id, session.agenda[1].id, clock=lambda: START)
    assert (entry.name, entry.workformat_id, entry.settings, entry.created_at) == (
        "Roddelen over Finn", "roddelmethode", CONFIGURED, START
    )
    assert library.list_entries() == [entry]
    other = make_session(repo)
    item, events = services.add_from_library(repo, REGISTRY, library, other.id, entry.id)
    assert (item.workformat_id, item.settings) == ("roddelmethode", CONFIGURED)
    after = repo.get_session(other.id)
    assert after.agenda[1] == item and events == [AgendaChanged(session=after)]
    with pytest.raises(NotFound):
        services.add_from_library(repo, REGISTRY, library, other.id, "bestaat-niet")


def test_export_and_import_round_trip_the_agenda(repo: MemoryRepository) -> None:
    session = make_session(repo, ("roddelmethode", CONFIGURED), ("vier_buffers", {"buckets": [{"id": "steun", "label": "Steun", "description": ""}]}),
                           ("stemmen", {"dots": 5, "options": ["Rust", "Tijd"]}))
    session, _ = services.set_tables(repo, session.id, ["Rood", "Groen"])
    session, _ = services.update_session_details(repo, session.id, {"series": "Veerkracht", "motto": "Samen", "organisers": "GGZ"})
    exported = services.export_agenda(session)
    assert exported["format"] == "rode-draad/agenda" and exported["version"] == 1
    raw = json.dumps(exported, ensure_ascii=False)
    imported = services.parse_import(REGISTRY, raw.encode("utf-8"))
    assert imported.format == "rode-draad/agenda"
    assert [(wf, settings) for _name, wf, settings in imported.items] == [(i.workformat_id, i.settings) for i in session.agenda]
    # The perspectives travel along with the agenda (here today's five, a bijeenkomst's default).
    assert imported.details.pop("perspectives") == DEFAULT_PERSPECTIVES
    assert imported.details == {"title": "Werkvormen", "series": "Veerkracht", "motto": "Samen", "organisers": "GGZ", "tables": ["Rood", "Groen"]}

    target = make_session(repo)
    added, events = services.import_into_session(repo, REGISTRY, target.id, raw)
    after = repo.get_session(target.id)
    assert [(i.workformat_id, i.settings) for i in after.agenda[1:]] == [(i.workformat_id, i.settings) for i in session.agenda]
    assert list(after.agenda[1:]) == added and events == [AgendaChanged(session=after)]
    assert not {i.id for i in added} & {i.id for i in session.agenda}


def test_a_single_werkvorm_file_into_the_library(repo: MemoryRepository) -> None:
    session = make_session(repo, ("roddelmethode", CONFIGURED))
    exported = services.export_item(session.agenda[1])
    assert exported == {"format": "rode-draad/werkvorm", "version": 1, "name": "Roddelen over Finn",
                        "workformat": "roddelmethode", "settings": CONFIGURED}
    library = MemoryLibrary()
    [entry] = services.import_into_library(REGISTRY, library, json.dumps(exported), clock=lambda: START)
    assert (entry.name, entry.workformat_id, entry.settings) == ("Roddelen over Finn", "roddelmethode", CONFIGURED)
    assert library.get_entry(entry.id) == entry
    assert services.export_item(entry)["settings"] == CONFIGURED


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ({"format": "rode-draad/agenda", "version": 1, "items": [{"workformat": "open_vraag"}, {"workformat": "bestaat_niet"}]},
         "items[1].workformat: unknown werkvorm 'bestaat_niet'"),
        ({"format": "iets-anders", "version": 1, "items": []}, "format: must be 'rode-draad/werkvorm' or 'rode-draad/agenda'"),
        ({"version": 1, "workformat": "open_vraag"}, "format: must be 'rode-draad/werkvorm' or 'rode-draad/agenda'"),
        ({"format": "rode-draad/agenda", "version": 2, "items": []}, "version: must be 1"),
        ({"format": "rode-draad/agenda", "version": "1", "items": []}, "version: must be 1"),
        ({"format": "rode-draad/agenda", "version": 1, "items": [{"workformat": "roddelmethode", "settings": {"timers": {"x": 60}}}]},
         "items[0].settings.timers.x: names no phase of this werkvorm"),
        ({"format": "rode-draad/agenda", "version": 1, "items": []}, "items: must list 1 to 40 werkvormen"),
        ({"format": "rode-draad/agenda", "version": 1, "items": ["open_vraag"]}, "items[0]: must be an object"),
        ({"format": "rode-draad/agenda", "version": 1, "items": [{"workformat": "open_vraag", "name": 5}]}, "items[0].name: must be a text"),
        ({"format": "rode-draad/agenda", "version": 1, "items": [{"workformat": "open_vraag"}], "tables": "Rood"},
         "tables: a list of at most 50 names"),
        ({"format": "rode-draad/werkvorm", "version": 1, "workformat": "stemmen", "settings": {"dots": "drie"}},
         "settings.dots: must be a whole number from 1 to 20"),
        ({"format": "rode-draad/werkvorm", "version": 1, "workformat": "stemmen", "settings": {"dots": 999}},
         "settings.dots: must be a whole number from 1 to 20"),
        ({"format": "rode-draad/agenda", "version": 1, "items": [{"workformat": "open_vraag"},
                                                                 {"workformat": "stemmen", "settings": {"dots": 0}}]},
         "items[1].settings.dots: must be a whole number from 1 to 20"),
        ({"format": "rode-draad/agenda", "version": 1, "items": [
            {"workformat": "roddelmethode", "settings": {"inbrenger_mode": "iedereen"}}]},
         "items[0].settings.inbrenger_mode: must be one of ['room', 'table']"),
        ({"format": "rode-draad/werkvorm", "version": 1, "workformat": "stemmen", "settings": {"foo": 1}},
         "settings.foo: is not a setting of werkvorm 'stemmen'"),
        ([1, 2], "the file must hold a JSON object"),
    ],
)
def test_parse_import_names_exactly_what_is_wrong(content: Any, detail: str) -> None:
    with pytest.raises(InvalidFile) as caught:
        services.parse_import(REGISTRY, json.dumps(content))
    assert caught.value.detail == detail


def test_parse_import_refuses_what_is_no_json() -> None:
    for raw in (b"\xff\xfe", "{half", ""):
        with pytest.raises(InvalidFile) as caught:
            services.parse_import(REGISTRY, raw)
        assert caught.value.detail.startswith("not JSON: ")


def test_an_out_of_bounds_setting_in_a_file_imports_nothing(repo: MemoryRepository) -> None:
    session = make_session(repo)
    before = repo.get_session(session.id).agenda
    library = MemoryLibrary()
    raw = json.dumps({"format": "rode-draad/agenda", "version": 1, "title": "Stippen",
                      "items": [{"workformat": "open_vraag"}, {"workformat": "stemmen", "settings": {"dots": 999}}]})
    for attempt in (
        lambda: services.import_into_session(repo, REGISTRY, session.id, raw),
        lambda: services.import_into_library(REGISTRY, library, raw),
        lambda: services.create_session_from_import(repo, REGISTRY, raw),
    ):
        with pytest.raises(InvalidFile) as caught:
            attempt()
        assert caught.value.detail == "items[1].settings.dots: must be a whole number from 1 to 20"
    assert repo.get_session(session.id).agenda == before
    assert library.list_entries() == []
    assert [s.id for s in repo.list_sessions()] == [session.id]


def test_an_import_that_would_overfill_the_agenda_is_refused(repo: MemoryRepository) -> None:
    session = make_session(repo)
    raw = json.dumps({"format": "rode-draad/agenda", "version": 1, "items": [{"workformat": "open_vraag"}] * 40})
    with pytest.raises(LimitReached):
        services.import_into_session(repo, REGISTRY, session.id, raw)
    assert len(repo.get_session(session.id).agenda) == 1


def test_add_agenda_item_checks_the_settings(repo: MemoryRepository) -> None:
    session = make_session(repo)
    with pytest.raises(InvalidWorkFormat) as caught:
        services.add_agenda_item(repo, REGISTRY, session.id, "stemmen", {"dots": "veel"})
    assert caught.value.detail == "settings.dots: must be a whole number from 1 to 20"
    with pytest.raises(InvalidWorkFormat):
        services.add_agenda_item(repo, REGISTRY, session.id, "bestaat_niet", {})
    assert len(repo.get_session(session.id).agenda) == 1


# -- copying a bijeenkomst -------------------------------------------------------------------


def test_copy_session_keeps_the_agenda_and_nothing_of_the_room(repo: MemoryRepository, clock: FakeClock) -> None:
    source = make_session(repo, ("roddelmethode", CONFIGURED), ("stemmen", {}))
    services.update_session_details(repo, source.id, {"series": "Veerkracht", "motto": "Samen", "organisers": "GGZ"})
    services.set_tables(repo, source.id, ["Rood", "Groen"])
    source = go(repo, repo.get_session(source.id), 1, "verhelderende_vragen")
    phone = seat(repo, source, 1)
    services.assign_role(repo, REGISTRY, source.id, role="inbrenger", number=phone.number)
    services.control_timer(repo, source.id, "start", clock=clock)
    services.reveal_phase(repo, REGISTRY, source.id)
    source = repo.get_session(source.id)
    assert source.roles and source.timer and source.revealed

    copy = services.copy_session(repo, REGISTRY, source.id, title="Derde dialoogsessie", date="2027-01-20", clock=clock)
    assert copy == repo.get_session(copy.id)
    assert copy.id != source.id and copy.join_code != source.join_code
    assert (copy.title, copy.date, copy.series, copy.motto, copy.organisers) == (
        "Derde dialoogsessie", "2027-01-20", "Veerkracht", "Samen", "GGZ"
    )
    assert copy.tables == source.tables and copy.copied_from == source.id
    assert [(i.workformat_id, i.settings) for i in copy.agenda] == [(i.workformat_id, i.settings) for i in source.agenda]
    assert not {i.id for i in copy.agenda} & {i.id for i in source.agenda}
    assert (copy.roles, copy.timer, copy.revealed, copy.current_item, copy.current_phase) == ((), None, (), 0, 0)
    assert repo.list_contributions(copy.id) == [] and repo.list_participants(copy.id) == []
    assert services.copy_session(repo, REGISTRY, source.id, clock=clock).title == source.title


def test_a_copied_vote_still_points_at_its_own_source_item(repo: MemoryRepository) -> None:
    source = make_session(repo, ("vier_buffers", {}), ("open_vraag", {}))
    services.add_agenda_item(repo, REGISTRY, source.id, "stemmen", {"source": source.agenda[1].id})
    copy = services.copy_session(repo, REGISTRY, source.id)
    assert copy.agenda[3].settings == {"source": copy.agenda[1].id}
    assert repo.get_session(source.id).agenda[3].settings == {"source": source.agenda[1].id}


def test_agenda_items_carry_their_settings_as_plain_data(repo: MemoryRepository) -> None:
    session = make_session(repo, ("roddelmethode", CONFIGURED))
    assert session.agenda[1] == AgendaItem(id=session.agenda[1].id, workformat_id="roddelmethode", settings=CONFIGURED)
    assert json.loads(json.dumps(session.agenda[1].settings)) == CONFIGURED


def test_an_exported_vote_source_points_at_the_imported_item(repo: MemoryRepository) -> None:
    session = make_session(repo, ("vier_buffers", {}))
    buffers = session.agenda[1]
    services.add_agenda_item(repo, REGISTRY, session.id, "stemmen", {"source": buffers.id})
    exported = services.export_agenda(repo.get_session(session.id))
    assert exported["items"][2]["settings"] == {"source": "@1"}
    copy = services.create_session_from_import(repo, REGISTRY, json.dumps(exported))
    assert copy.agenda[2].settings == {"source": copy.agenda[1].id}
    added, _events = services.import_into_session(repo, REGISTRY, session.id, json.dumps(exported))
    assert added[2].settings == {"source": added[1].id}
