"""Retention never surprises: counted from the last activity, deleted in two starts; the series keeps nothing of the
participants once a bijeenkomst is gone."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from facilitator.core import services
from facilitator.core.domain import (
    Board,
    Contribution,
    InvalidInput,
    PurgeNotice,
    Series,
    SeriesRecap,
    StorageFailed,
    Theme,
)
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryNotices, MemoryRepository, MemorySeries
from facilitator.testing.verslag import afternoon

REGISTRY = discover()
DAY = 86400.0


class Clock:
    """A settable clock: the tests move days forward."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def days_later(self, days: float) -> Clock:
        self.now += days * DAY
        return self

    @property
    def today(self) -> dt.date:
        return dt.date.fromtimestamp(self.now)


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 11, 25, 12, 0))


@pytest.fixture
def stores(clock: Clock) -> tuple[MemoryRepository, MemorySeries, MemoryNotices]:
    return MemoryRepository(clock=clock), MemorySeries(), MemoryNotices()


def start(stores: tuple[MemoryRepository, MemorySeries, MemoryNotices], clock: Clock) -> services.PurgeReport:
    """What a start of the server does about retention."""
    return services.purge_at_start(*stores, clock=clock)


def look(stores: tuple[MemoryRepository, MemorySeries, MemoryNotices], clock: Clock) -> dict[str, Any]:
    """What the dashboard does: show every bijeenkomst's retention (which marks announcements as seen)."""
    repo, _series, notices = stores
    return services.retention_of(repo, notices, repo.list_sessions(), clock=clock)


def ids(sessions: Any) -> list[str]:
    return [s.id for s in sessions]


# -- counted from the last activity ---------------------------------------------------------------------------


def test_a_bijeenkomst_entered_with_a_past_date_is_kept_for_its_retention_from_today(stores, clock) -> None:
    repo = stores[0]
    session = services.create_session(repo, REGISTRY, title="Achteraf", date="2024-10-07", clock=clock)
    assert services.is_past(session.date, clock=clock)
    assert services.kept_until(repo, session) == clock.today + dt.timedelta(days=30)
    report = start(stores, clock)
    assert (report.deleted, report.announced) == ((), ())
    assert ids(repo.list_sessions()) == [session.id]


def test_a_planned_bijeenkomst_is_kept_for_its_retention_after_its_date(stores, clock) -> None:
    repo = stores[0]
    session = services.create_session(repo, REGISTRY, title="Gepland", date="2027-02-01", clock=clock)
    assert not services.is_past(session.date, clock=clock)
    assert services.kept_until(repo, session) == dt.date(2027, 3, 3)


def test_every_stored_change_moves_the_deletion_and_each_bijeenkomst_has_its_own_period(stores, clock) -> None:
    repo = stores[0]
    busy = services.create_session(repo, REGISTRY, title="Druk", date="2026-11-25", clock=clock)
    short = services.create_session(repo, REGISTRY, title="Kort", date="2026-11-25", retention_days=3, clock=clock)
    clock.days_later(20)
    services.join(repo, busy.id, clock=clock)  # a phone joins 20 days later: activity
    assert services.kept_until(repo, busy) == dt.date(2027, 1, 14)
    clock.days_later(5)
    services.update_session_details(repo, busy.id, {"title": "Druk (verslag)"}, clock=clock)  # a host action
    assert services.kept_until(repo, repo.get_session(busy.id)) == dt.date(2027, 1, 19)
    assert services.kept_until(repo, short) == dt.date(2026, 11, 28)
    assert ids(s for s, _until in start(stores, clock).announced) == [short.id]


# -- two starts --------------------------------------------------------------------------------------------------


def test_deleting_takes_an_announcement_a_look_in_the_host_view_and_a_later_start(stores, clock) -> None:
    repo, _series, notices = stores
    session = services.create_session(repo, REGISTRY, title="Oud", date="2026-10-01", clock=clock)
    clock.days_later(31)
    first = start(stores, clock)
    assert [(s.id, until) for s, until in first.announced] == [(session.id, dt.date(2026, 12, 25))]
    assert first.deleted == () and ids(repo.list_sessions()) == [session.id]

    # Started again before anyone looked: still announced, still there.
    second = start(stores, clock.days_later(1))
    assert ids(s for s, _until in second.announced) == [session.id] and second.deleted == ()
    assert ids(repo.list_sessions()) == [session.id]

    shown = look(stores, clock)[session.id]
    assert shown.announced and shown.kept_until == dt.date(2026, 12, 25)
    [notice] = notices.list_notices()
    assert notice.shown_at == clock.now

    third = start(stores, clock.days_later(1))
    assert ids(third.deleted) == [session.id] and third.announced == ()
    assert repo.list_sessions() == [] and notices.list_notices() == []


def test_a_confirmed_deletion_needs_no_look(stores, clock) -> None:
    repo, _series, notices = stores
    session = services.create_session(repo, REGISTRY, title="Oud", date="2026-10-01", clock=clock)
    start(stores, clock.days_later(31))
    services.confirm_deletion(notices, session.id, keep_recap=False)
    assert ids(start(stores, clock).deleted) == [session.id]


def test_keeping_longer_withdraws_the_announcement_and_extends_the_period(stores, clock) -> None:
    repo, _series, notices = stores
    session = services.create_session(repo, REGISTRY, title="Houden", date="2026-10-01", clock=clock)
    start(stores, clock.days_later(31))
    look(stores, clock)
    kept, events = services.keep_longer(repo, notices, session.id)
    assert kept.retention_days == 60 and len(events) == 1
    assert notices.list_notices() == []
    assert services.kept_until(repo, kept) == clock.today + dt.timedelta(days=60)
    report = start(stores, clock.days_later(1))
    assert (report.deleted, report.announced) == ((), ())
    assert ids(repo.list_sessions()) == [session.id]


def test_activity_after_the_announcement_withdraws_it(stores, clock) -> None:
    repo, _series, notices = stores
    session = services.create_session(repo, REGISTRY, title="Weer gebruikt", date="2026-10-01", clock=clock)
    start(stores, clock.days_later(31))
    look(stores, clock)
    services.edit_verslag(repo, session.id, {"lead": "Nog even bijgewerkt."})  # the facilitator works on it
    report = start(stores, clock.days_later(1))
    assert (report.deleted, report.announced) == ((), ())
    assert notices.list_notices() == [] and ids(repo.list_sessions()) == [session.id]


def test_a_notice_of_a_bijeenkomst_deleted_meanwhile_is_dropped(stores, clock) -> None:
    repo, series, notices = stores
    session = services.create_session(repo, REGISTRY, title="Weg", date="2026-10-01", clock=clock)
    start(stores, clock.days_later(31))
    services.delete_session(repo, series, session.id)  # "Exporteren en verwijderen": at once, no start needed
    notices.save_notice(PurgeNotice(session_id=session.id, announced_at=clock.now))
    start(stores, clock)
    assert notices.list_notices() == []


# -- the series keeps nothing of the participants ------------------------------------------------------------------


CANARY = "kanarie7f3a"


def board_of_every_kind(repo: MemoryRepository) -> None:
    """Add themes of every origin to the afternoon's board (which has two the facilitator named)."""
    card = Contribution(id="c-canary", participant_id="p01", agenda_item_id="buf1", phase_id="vangnet",
                        kind="vangnet", text=f"Bel 0612345678 over {CANARY}", created_at=1.0, bucket="solidariteit")
    repo.add_contribution("middag2", card)
    board = repo.get_board("middag2", "buf1")
    assert board is not None
    repo.save_board("middag2", dataclasses.replace(board, version=board.version + 1, themes=(
        *board.themes,
        Theme(id="t-auto", name=f"0612345678 · {CANARY}…", cards=(card.id,), origin="suggestion"),
        Theme(id="t-phone", name=f"{CANARY} voorstel", origin="participant", proposed_by="p01"),
        Theme(id="t-typed", name="Bel Jan op 0612345678", accepted=True),
    )))


def test_only_accepted_theme_names_without_personal_data_go_into_the_recap(stores) -> None:
    repo, series_repo, _notices = stores
    afternoon(repo, series_repo)
    board_of_every_kind(repo)
    names, left_out = services.recap_theme_names(repo, repo.get_session("middag2"))
    assert names == ("Erkenning en kracht", "Niet oordelen")
    assert dict(left_out) == {f"0612345678 · {CANARY}…": services.NOT_ACCEPTED,
                              f"{CANARY} voorstel": services.NOT_ACCEPTED, "Bel Jan op 0612345678": "voornaam,telefoon"}
    report = services.verslag(repo, REGISTRY, series_repo, "middag2")
    services.record_recap(repo, series_repo, repo.get_session("middag2"), report)
    [recap] = series_repo.get_series("reeks1").recaps
    assert recap.rode_draden == ("Erkenning en kracht", "Niet oordelen") and not recap.kept
    assert CANARY not in repr(recap) and "0612345678" not in repr(recap)


@pytest.mark.parametrize("keep", [False, True])
def test_deleting_removes_the_recap_unless_the_facilitator_keeps_it(stores, keep: bool) -> None:
    repo, series_repo, _notices = stores
    afternoon(repo, series_repo)
    board_of_every_kind(repo)
    session = repo.get_session("middag2")
    services.record_recap(repo, series_repo, session, services.verslag(repo, REGISTRY, series_repo, "middag2"))
    services.delete_session(repo, series_repo, "middag2", keep_recap=keep)
    recaps = series_repo.get_series("reeks1").recaps
    if keep:
        assert [(r.rode_draden, r.kept) for r in recaps] == [(("Erkenning en kracht", "Niet oordelen"), True)]
    else:
        assert recaps == ()


def test_a_kept_recap_of_an_older_version_loses_the_names_nobody_accepted(stores) -> None:
    repo, series_repo, _notices = stores
    afternoon(repo, series_repo)
    board_of_every_kind(repo)
    old = SeriesRecap(session_id="middag2", title="Middag", date="2026-11-12",
                      rode_draden=("Erkenning en kracht", f"0612345678 · {CANARY}…"), rode_draad=f"Bel {CANARY}")
    series_repo.save_series(dataclasses.replace(series_repo.get_series("reeks1"), recaps=(old,)))
    services.delete_session(repo, series_repo, "middag2", keep_recap=True)
    [recap] = series_repo.get_series("reeks1").recaps
    assert CANARY not in repr(recap) and recap.rode_draden == ("Erkenning en kracht", "Niet oordelen")


def test_the_purge_removes_the_recap_unless_the_confirmation_keeps_it(stores, clock) -> None:
    repo, series_repo, notices = stores
    afternoon(repo, series_repo)
    session = dataclasses.replace(repo.get_session("middag2"), date="2026-10-01")
    repo.save_session(session)
    other = services.copy_session(repo, REGISTRY, "middag2", title="Derde", date="2026-10-02", clock=clock)
    for made in (session, other):
        services.record_recap(repo, series_repo, made, services.verslag(repo, REGISTRY, series_repo, made.id))
    assert len(series_repo.get_series("reeks1").recaps) == 2
    start(stores, clock.days_later(31))
    services.confirm_deletion(notices, "middag2", keep_recap=True)
    look(stores, clock)
    assert sorted(ids(start(stores, clock.days_later(1)).deleted)) == sorted(["middag2", other.id])
    assert [(r.session_id, r.kept) for r in series_repo.get_series("reeks1").recaps] == [("middag2", True)]


def test_recaps_older_versions_left_behind_are_removed_at_start(stores, clock) -> None:
    repo, series_repo, _notices = stores
    live = services.create_session(repo, REGISTRY, title="Nog hier", date="2026-11-20", clock=clock)
    left = SeriesRecap(session_id="weg", title="Weg", date="2026-01-01", rode_draden=(f"{CANARY} en zo",))
    kept = SeriesRecap(session_id="bewaard", title="Bewaard", date="2026-02-01", rode_draden=("Samen",), kept=True)
    mine = SeriesRecap(session_id=live.id, title="Nog hier", date="2026-11-20")
    series_repo.save_series(Series(id="r", name="Reeks", created_at=1.0, recaps=(left, kept, mine)))
    report = start(stores, clock)
    assert [r.session_id for r in report.recaps_removed] == ["weg"]
    assert series_repo.get_series("r").recaps == (kept, mine)


def test_the_live_terugblik_shows_only_accepted_names_too(stores) -> None:
    repo, series_repo, _notices = stores
    afternoon(repo, series_repo)
    board_of_every_kind(repo)
    following = services.copy_session(repo, REGISTRY, "middag2", title="Derde", date="2027-03-04")
    terugblik = services.previous_in_series(repo, series_repo, following)
    assert terugblik is not None and terugblik.rode_draden == ("Erkenning en kracht", "Niet oordelen")


# -- accepting names on the board -----------------------------------------------------------------------------------


def test_typing_renaming_or_accepting_a_name_accepts_it_and_a_name_with_personal_data_is_refused(stores) -> None:
    repo, series_repo, _notices = stores
    afternoon(repo, series_repo)
    board_of_every_kind(repo)

    def theme(theme_id: str) -> Theme:
        board = repo.get_board("middag2", "buf1")
        assert isinstance(board, Board)
        return board.theme(theme_id)

    assert not theme("t-auto").accepted and not theme("t-phone").accepted
    services.edit_board(repo, REGISTRY, "middag2", "buf1", "accept_theme", {"theme": "t-phone"})
    assert theme("t-phone").accepted
    with pytest.raises(InvalidInput) as refused:
        services.edit_board(repo, REGISTRY, "middag2", "buf1", "accept_theme", {"theme": "t-auto"})
    assert (refused.value.params["field"], refused.value.params["kinds"]) == ("accept", "telefoon")
    assert not theme("t-auto").accepted
    services.edit_board(repo, REGISTRY, "middag2", "buf1", "rename_theme", {"theme": "t-auto", "name": "Bereikbaar"})
    assert theme("t-auto").accepted

    _board, extra, _events = services.edit_board(repo, REGISTRY, "middag2", "buf1", "add_theme",
                                                 {"name": "", "cards": []})
    assert not theme(extra["theme"]).accepted  # "Nieuw thema": nobody chose that name
    _board, extra, _events = services.edit_board(repo, REGISTRY, "middag2", "buf1", "add_theme",
                                                 {"name": "Samen", "cards": []})
    assert theme(extra["theme"]).accepted
    view = services.board_view(repo, REGISTRY, repo.get_session("middag2"), "buf1")
    assert {t["name"]: t["accepted"] for t in view["themes"]}["Bereikbaar"] is True


class ReadOnlyNotices(MemoryNotices):
    """A notice file on a full disk or a read-only folder: every write fails."""

    def save_notice(self, notice: PurgeNotice) -> None:
        raise StorageFailed("read-only")


def test_a_start_on_a_folder_that_cannot_be_written_still_starts_and_deletes_nothing(clock) -> None:
    repo, series_repo, notices = MemoryRepository(clock=clock), MemorySeries(), ReadOnlyNotices()
    session = services.create_session(repo, REGISTRY, title="Oud", date="2026-10-01", clock=clock)
    for _start in range(3):
        report = services.purge_at_start(repo, series_repo, notices, clock=clock.days_later(31))
        assert ids(s for s, _until in report.announced) == [session.id] and report.deleted == ()
        assert services.retention_of(repo, notices, repo.list_sessions(), clock=clock)[session.id].announced is False
    assert ids(repo.list_sessions()) == [session.id]
