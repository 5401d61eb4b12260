"""Perspectives belong to the bijeenkomst: the facilitator's list is what phones pick and every line counts."""

from __future__ import annotations

import dataclasses

import pytest

from facilitator.core import services
from facilitator.core.domain import DEFAULT_PERSPECTIVES, InvalidInput, PerspectiveOption
from facilitator.core.registry import discover
from facilitator.storage.codec import participant_from_doc, session_from_doc, session_to_doc
from facilitator.storage.memory import MemoryRepository, MemorySeries

REGISTRY = discover()
GEMEENTE = [{"singular": "gemeente", "plural": "gemeente"}, {"singular": "beleid", "plural": "beleid"},
            {"singular": "bestuur", "plural": "bestuur"}]


def clock() -> float:
    return 1_800_000_000.0


@pytest.fixture
def repo() -> MemoryRepository:
    return MemoryRepository()


@pytest.fixture
def session(repo: MemoryRepository):
    session = services.create_session(repo, REGISTRY, title="Gemeente in gesprek", date="2026-11-25", clock=clock)
    session, _ = services.set_perspectives(repo, session.id, GEMEENTE)
    return session


def test_a_new_bijeenkomst_offers_todays_five(repo: MemoryRepository) -> None:
    session = services.create_session(repo, REGISTRY, title="Middag", clock=clock)
    assert [p.id for p in session.perspectives] == ["ouder", "zorg", "onderwijs", "ervaringsdeskundige", "anders"]
    assert session.perspectives[0] == PerspectiveOption("ouder", "ouder", "ouders")


def test_the_facilitators_list_gets_ids_from_its_words_in_its_order(session) -> None:
    assert [(p.id, p.singular) for p in session.perspectives] == [
        ("gemeente", "gemeente"), ("beleid", "beleid"), ("bestuur", "bestuur")]


def test_a_phone_joins_as_beleid_and_the_verslag_lead_and_csv_say_so(repo: MemoryRepository, session) -> None:
    participant, _token, _events = services.join(repo, session.id, perspective="beleid", clock=clock)
    assert [p.perspective for p in repo.list_participants(session.id)] == ["beleid"]
    services.join(repo, session.id, perspective="gemeente", clock=clock)
    services.join(repo, session.id, perspective="gemeente", clock=clock)
    services.submit_contribution(repo, REGISTRY, session.id, participant, client_id="c-000001",
                                 text="Meer tijd voor uitvoering", clock=clock)
    report = services.verslag(repo, REGISTRY, MemorySeries(), session.id)
    assert "Er deden 3 mensen mee: 2 gemeente en 1 beleid." in report.lead
    assert "gemeente en beleid bij elkaar" in report.lead
    _header, rows = services.csv_rows(repo, REGISTRY, session.id)
    assert rows[0][7] == "beleid"


def test_a_perspective_the_bijeenkomst_does_not_offer_is_refused_and_nothing_joins(
        repo: MemoryRepository, session) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.join(repo, session.id, perspective="ouder", clock=clock)
    assert refused.value.params["field"] == "perspective"
    assert repo.count_participants(session.id) == 0


def test_an_old_bijeenkomst_without_the_list_loads_with_the_five_and_its_participants_keep_theirs(
        repo: MemoryRepository) -> None:
    doc = session_to_doc(services.create_session(repo, REGISTRY, title="Oud", clock=clock))
    del doc["perspectives"]
    assert session_from_doc(doc).perspectives == DEFAULT_PERSPECTIVES
    old = {"id": "p1", "token_hash": "x", "joined_at": 1.0, "table": None, "perspective": "zorg", "number": 1}
    assert participant_from_doc(old).perspective == "zorg"


def test_the_list_survives_a_document_round_trip(session) -> None:
    assert session_from_doc(session_to_doc(session)) == session


def test_a_chosen_perspective_can_be_renamed_not_removed(repo: MemoryRepository, session) -> None:
    services.join(repo, session.id, perspective="beleid", clock=clock)
    renamed = [{"id": "gemeente", "singular": "gemeente"},
               {"id": "beleid", "singular": "beleidsmedewerker", "plural": "beleidsmedewerkers"}]
    session, _ = services.set_perspectives(repo, session.id, renamed)
    assert [(p.id, p.plural) for p in session.perspectives] == [("gemeente", "gemeente"),
                                                                ("beleid", "beleidsmedewerkers")]
    with pytest.raises(InvalidInput) as refused:
        services.set_perspectives(repo, session.id, [{"id": "gemeente", "singular": "gemeente"}])
    assert refused.value.params["field"] == "perspectives_in_use"
    assert "beleidsmedewerker" in str(refused.value.params["labels"])
    assert repo.get_session(session.id).perspectives == session.perspectives  # nothing changed
    report = services.verslag(repo, REGISTRY, MemorySeries(), session.id)
    assert "1 beleidsmedewerker" in report.lead


def test_reordering_and_adding_keep_the_ids_of_what_stays(repo: MemoryRepository, session) -> None:
    rows = [{"id": "bestuur", "singular": "bestuur"}, {"singular": "Jeugdarts", "plural": "jeugdartsen"},
            {"id": "gemeente", "singular": "gemeente"}]
    session, _ = services.set_perspectives(repo, session.id, rows)
    assert [p.id for p in session.perspectives] == ["bestuur", "jeugdarts", "gemeente"]


@pytest.mark.parametrize("rows", [
    [{"singular": ""}],
    [{"singular": "x" * 61}],
    [{"id": "a", "singular": "a"}, {"id": "a", "singular": "b"}],
    [{"id": "Niet Goed", "singular": "a"}],
    "gemeente",
    [{"singular": str(i)} for i in range(13)],
])
def test_a_wrong_list_is_refused_and_nothing_changes(repo: MemoryRepository, session, rows) -> None:
    with pytest.raises(InvalidInput):
        services.set_perspectives(repo, session.id, rows)
    assert repo.get_session(session.id).perspectives == session.perspectives


def test_a_copy_takes_the_list_along(repo: MemoryRepository, session) -> None:
    copy = services.copy_session(repo, REGISTRY, session.id, clock=clock)
    assert copy.perspectives == session.perspectives


def test_the_presets_hold_todays_five_and_the_gemeente_set() -> None:
    presets = services.presets()
    assert presets["ouders_professionals"] == DEFAULT_PERSPECTIVES
    assert [p.id for p in presets["gemeente"]] == ["gemeente", "beleid", "bestuur", "uitvoering"]


def test_the_counts_follow_the_list_and_keep_a_perspective_no_longer_offered(repo: MemoryRepository) -> None:
    session = services.create_session(repo, REGISTRY, title="Middag", clock=clock)
    services.join(repo, session.id, perspective="anders", clock=clock)
    services.join(repo, session.id, perspective="ouder", clock=clock)
    services.join(repo, session.id, perspective="ouder", clock=clock)
    assert services.perspective_counts(repo, repo.get_session(session.id)) == [
        {"id": "ouder", "joined": 2}, {"id": "anders", "joined": 1}]
    # Not removable while chosen, but an older store may hold a value its list no longer has: it still counts.
    repo.save_session(dataclasses.replace(repo.get_session(session.id), perspectives=DEFAULT_PERSPECTIVES[:1]))
    assert services.perspective_counts(repo, repo.get_session(session.id))[-1] == {"id": "anders", "joined": 1}


class _Interleaved(MemoryRepository):
    """A store that runs another use case at one chosen moment of the first: the join/removal race, scheduled."""

    def __init__(self) -> None:
        super().__init__()
        self.at: str = ""
        self.then: object = None

    def _fire(self, moment: str) -> None:
        if self.at == moment and callable(self.then):
            self.at, action = "", self.then
            action()

    def list_participants(self, session_id: str):  # type: ignore[no-untyped-def]
        listed = super().list_participants(session_id)
        self._fire("after_list_participants")
        return listed

    def add_participant(self, session_id: str, participant):  # type: ignore[no-untyped-def]
        self._fire("add_participant")
        return super().add_participant(session_id, participant)


def _gemeente_room() -> tuple[_Interleaved, str]:
    store = _Interleaved()
    room = services.create_session(store, REGISTRY, title="Gemeente", date="2026-11-25", clock=clock)
    services.set_perspectives(store, room.id, [{"id": "gemeente", "singular": "gemeente"},
                                               {"id": "beleid", "singular": "beleid"}])
    return store, room.id


def _offered_and_held(store: _Interleaved, session_id: str) -> tuple[set[str], set[str]]:
    offered = {p.id for p in store.get_session(session_id).perspectives}
    held = {p.perspective for p in store.list_participants(session_id) if p.perspective}
    return offered, held


def test_a_join_between_the_removals_check_and_its_save_keeps_its_perspective_offered() -> None:
    store, sid = _gemeente_room()
    # The removal has seen no participant with "beleid"; the phone joins as "beleid" before the list is saved.
    store.at, store.then = "after_list_participants", lambda: services.join(store, sid, perspective="beleid", clock=clock)
    session, _ = services.set_perspectives(store, sid, [{"id": "gemeente", "singular": "gemeente"}])
    offered, held = _offered_and_held(store, sid)
    assert held == {"beleid"} and held <= offered
    assert [p.id for p in session.perspectives] == ["gemeente", "beleid"]


def test_a_removal_between_the_joins_check_and_its_store_keeps_the_perspective_offered() -> None:
    store, sid = _gemeente_room()
    # The phone has checked "beleid" against the old list; the whole removal runs before it is stored.
    store.at, store.then = "add_participant", lambda: services.set_perspectives(
        store, sid, [{"id": "gemeente", "singular": "gemeente"}])
    _participant, _token, events = services.join(store, sid, perspective="beleid", clock=clock)
    offered, held = _offered_and_held(store, sid)
    assert held == {"beleid"} and held <= offered
    assert any(type(e).__name__ == "AgendaChanged" for e in events)  # the regie hears the list changed back
