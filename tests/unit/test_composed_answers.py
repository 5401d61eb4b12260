"""Submitting every answer kind of a composed werkvorm, and what is refused, on the in-memory repository."""

from __future__ import annotations

from typing import Any

import pytest

from facilitator.core import services
from facilitator.core.domain import InvalidInput, LimitReached, NotYourRole, Participant, TextEmpty, WorkshopSession
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository
from tests.support.composed import EVERY_ANSWER, PER_TABLE

REGISTRY = discover()
START = 1_800_000_000.0


@pytest.fixture
def repo() -> MemoryRepository:
    return MemoryRepository()


def composed(repo: MemoryRepository, composition: dict[str, Any], phase: int) -> WorkshopSession:
    """A bijeenkomst whose second item is the composed werkvorm, at one of its phases."""
    session = services.create_session(repo, REGISTRY, title="Samengesteld", date="2026-12-07", clock=lambda: START)
    services.add_agenda_item(repo, REGISTRY, session.id, "samengesteld", {"composition": composition})
    moved, _events = services.go_to(repo, REGISTRY, session.id, 1, phase)
    return moved


def seat(repo: MemoryRepository, session: WorkshopSession, table: int | None = None) -> Participant:
    participant, _token, _events = services.join(repo, session.id, table=table, clock=lambda: START)
    return participant


def submit(repo: MemoryRepository, session: WorkshopSession, participant: Participant, client_id: str,
           text: object, **fields: Any) -> Any:
    contribution, _events = services.submit_contribution(
        repo, REGISTRY, session.id, participant, client_id=client_id, text=text, clock=lambda: START, **fields
    )
    return contribution


def refused(caught: pytest.ExceptionInfo[Any]) -> tuple[str, Any]:
    return caught.value.code, caught.value.params.get("field")


def test_a_grid_answer_keeps_its_row_and_column(repo: MemoryRepository) -> None:
    session = composed(repo, EVERY_ANSWER, 0)
    phone = seat(repo, session)
    stored = submit(repo, session, phone, "c-grid-01", "Ik vraag door", kind="a1", bucket="r1", tags=["k2"])
    assert (stored.bucket, stored.tags, stored.text) == ("r1", ("k2",), "Ik vraag door")
    with pytest.raises(InvalidInput) as no_column:
        submit(repo, session, phone, "c-grid-02", "Zonder kolom", kind="a1", bucket="r1")
    assert refused(no_column) == ("invalid_input", "tags.kolom")
    with pytest.raises(InvalidInput) as no_row:
        submit(repo, session, phone, "c-grid-03", "Zonder rij", kind="a1", tags=["k1"])
    assert refused(no_row) == ("invalid_input", "bucket")


def test_a_scale_needs_a_point_and_its_sentence_when_the_phase_asks_for_one(repo: MemoryRepository) -> None:
    session = composed(repo, EVERY_ANSWER, 1)
    phone = seat(repo, session)
    with pytest.raises(InvalidInput) as no_point:
        submit(repo, session, phone, "c-scale-01", "Goed", kind="a2")
    assert refused(no_point) == ("invalid_input", "tags.schaal")
    with pytest.raises(TextEmpty):
        submit(repo, session, phone, "c-scale-02", "  ", kind="a2", tags=["s4"])
    stored = submit(repo, session, phone, "c-scale-03", "Iedereen kwam aan het woord", kind="a2", tags=["s4"])
    assert stored.tags == ("s4",)
    with pytest.raises(LimitReached):
        submit(repo, session, phone, "c-scale-04", "Nog eens", kind="a2", tags=["s5"])


def test_a_scale_without_explain_takes_an_empty_sentence(repo: MemoryRepository) -> None:
    session = composed(repo, EVERY_ANSWER, 4)
    phone = seat(repo, session)
    stored = submit(repo, session, phone, "c-thumb-01", "", kind="a5", tags=["s5"])
    assert (stored.text, stored.tags) == ("", ("s5",))


def test_a_ranking_puts_every_option_in_order_once(repo: MemoryRepository) -> None:
    session = composed(repo, EVERY_ANSWER, 2)
    phone = seat(repo, session)
    for wrong in (["o1", "o2"], ["o1", "o1", "o2"], ["o1", "o2", "o9"], "o1,o2,o3", None):
        with pytest.raises(InvalidInput) as caught:
            submit(repo, session, phone, "c-rank-01", "", kind="a3", ranking=wrong)
        assert refused(caught) == ("invalid_input", "ranking")
    stored = submit(repo, session, phone, "c-rank-01", "", kind="a3", ranking=["o3", "o1", "o2"])
    assert (stored.ranking, stored.text) == (("o3", "o1", "o2"), "")


def test_an_afspraak_needs_who_and_may_leave_when_open(repo: MemoryRepository) -> None:
    session = composed(repo, EVERY_ANSWER, 3)
    phone = seat(repo, session)
    with pytest.raises(TextEmpty) as no_owner:
        submit(repo, session, phone, "c-act-01", "Verslag rondsturen", kind="a4", tags=["beleid"], owner=" ")
    assert refused(no_owner) == ("text_empty", "owner")
    with pytest.raises(InvalidInput) as no_level:
        submit(repo, session, phone, "c-act-02", "Verslag rondsturen", kind="a4", owner="Sanne")
    assert refused(no_level) == ("invalid_input", "tags.niveau")
    stored = submit(repo, session, phone, "c-act-03", "Verslag rondsturen", kind="a4", tags=["beleid"],
                    owner="Sanne", due="voor de zomer")
    assert (stored.text, stored.owner, stored.tags, stored.due) == ("Verslag rondsturen", "Sanne", ("beleid",),
                                                                    "voor de zomer")
    with pytest.raises(InvalidInput) as owner_elsewhere:
        session = composed(repo, EVERY_ANSWER, 0)
        submit(repo, session, phone, "c-act-04", "Tekst", kind="a1", bucket="r1", tags=["k1"], owner="Sanne")
    assert refused(owner_elsewhere) == ("invalid_input", "owner")


def test_per_table_only_the_woordvoerder_sends_a_structured_answer(repo: MemoryRepository) -> None:
    session = composed(repo, PER_TABLE, 3)
    speaker, other = seat(repo, session, 1), seat(repo, session, 1)
    with pytest.raises(NotYourRole):
        submit(repo, session, other, "c-table-01", "Plan maken", kind="a4", tags=["uitvoering"], owner="Tafel 1")
    services.claim_spokesperson(repo, REGISTRY, session.id, speaker)
    stored = submit(repo, session, speaker, "c-table-02", "Plan maken", kind="a4", tags=["uitvoering"],
                    owner="Tafel 1")
    assert (stored.table, stored.owner) == (1, "Tafel 1")
    with pytest.raises(NotYourRole):
        submit(repo, session, other, "c-table-03", "Nog een plan", kind="a4", tags=["bestuur"], owner="Ik")
