"""Use cases on the in-memory repository."""

from __future__ import annotations

import dataclasses

import pytest

from facilitator.core import services
from facilitator.core.domain import (
    ContributionAdded,
    ContributionVisibilityChanged,
    DuplicateId,
    InvalidInput,
    NotJoined,
    ParticipantJoined,
    Perspective,
    PhaseNotOpen,
    SessionNotFound,
    TextEmpty,
    TextTooLong,
)
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository
from workformats import open_vraag

REGISTRY = discover()


def clock() -> float:
    return 1_800_000_000.0


@pytest.fixture
def repo() -> MemoryRepository:
    return MemoryRepository()


@pytest.fixture
def session(repo: MemoryRepository):
    return services.create_session(repo, REGISTRY, title=" Dialoogsessie 2 ", date="2026-11-25", series="Veerkracht", clock=clock)


def test_create_session_puts_an_open_question_on_the_agenda(repo: MemoryRepository, session) -> None:
    assert session.title == "Dialoogsessie 2"
    assert (session.date, session.series, session.created_at) == ("2026-11-25", "Veerkracht", clock())
    assert len(session.id) == 12 and int(session.id, 16) >= 0
    assert len(session.join_code) == 6 and set(session.join_code) <= set(services.JOIN_CODE_ALPHABET)
    assert [item.workformat_id for item in session.agenda] == ["open_vraag"]
    assert repo.get_session(session.id) == session
    step = services.current_step(REGISTRY, session)
    assert step is not None and step.prompt() == open_vraag.DEFAULT_PROMPT


def test_create_session_with_own_question(repo: MemoryRepository) -> None:
    session = services.create_session(repo, REGISTRY, title="Sammy", prompt="Wat zou Sammy willen?", clock=clock)
    assert services.current_step(REGISTRY, session).prompt() == "Wat zou Sammy willen?"
    assert session.date == "2027-01-15"  # today, from the clock


@pytest.mark.parametrize(("fields", "field"), [({"title": "  "}, "title"), ({"title": "x" * 201}, "title"), ({"title": "ok", "date": "25-11-2026"}, "date")])
def test_create_session_refuses_bad_fields(repo: MemoryRepository, fields: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.create_session(repo, REGISTRY, **fields)
    assert caught.value.params["field"] == field


def test_join_codes_are_unique(repo: MemoryRepository) -> None:
    codes = {services.create_session(repo, REGISTRY, title=f"s{i}").join_code for i in range(50)}
    assert len(codes) == 50


def test_join_returns_a_secret_token_and_stores_only_its_hash(repo: MemoryRepository, session) -> None:
    participant, token, events = services.join(repo, session.id, table=3, perspective=Perspective.OUDER, clock=clock)
    assert len(token) >= 32  # 192 random bits, base64url
    assert participant.token_hash == services.hash_token(token) != token
    assert events == [ParticipantJoined(session_id=session.id, joined_count=1)]
    assert services.authenticate_participant(repo, session.id, token) == participant
    for bad in (None, "", "wrong-token"):
        with pytest.raises(NotJoined):
            services.authenticate_participant(repo, session.id, bad)
    with pytest.raises(InvalidInput):
        services.join(repo, session.id, table=100)
    with pytest.raises(SessionNotFound):
        services.join(repo, "ffffffffffff")


def test_submit_stores_cleaned_text_with_the_participants_tags(repo: MemoryRepository, session) -> None:
    participant, _token, _ = services.join(repo, session.id, table=5, perspective=Perspective.ZORG)
    contribution, events = services.submit_contribution(
        repo, REGISTRY, session.id, participant, client_id="c-000001", text="  Samen\u202e optrekken\x00\r\n\r\n\r\n\r\nmet school  ", clock=clock
    )
    assert contribution.text == "Samen optrekken\n\nmet school"
    assert (contribution.table, contribution.perspective, contribution.kind, contribution.phase_id) == (5, Perspective.ZORG, "antwoord", "antwoorden")
    assert events == [ContributionAdded(session_id=session.id, contribution=contribution)]
    assert repo.list_contributions(session.id) == [contribution]


def test_a_resend_returns_the_stored_contribution_and_no_event(repo: MemoryRepository, session) -> None:
    participant, _token, _ = services.join(repo, session.id)
    first, _ = services.submit_contribution(repo, REGISTRY, session.id, participant, client_id="c-000001", text="een")
    again, events = services.submit_contribution(repo, REGISTRY, session.id, participant, client_id="c-000001", text="twee")
    assert (again, events) == (first, [])
    other, _t, _ = services.join(repo, session.id)
    with pytest.raises(DuplicateId):
        services.submit_contribution(repo, REGISTRY, session.id, other, client_id="c-000001", text="drie")
    assert len(repo.list_contributions(session.id)) == 1


@pytest.mark.parametrize(("text", "error"), [("", TextEmpty), (" \n\t ", TextEmpty), ("x" * 501, TextTooLong), (None, InvalidInput), ("\udc00", InvalidInput)])
def test_submit_refuses_what_cannot_be_shown(repo: MemoryRepository, session, text, error) -> None:
    participant, _token, _ = services.join(repo, session.id)
    with pytest.raises(error):
        services.submit_contribution(repo, REGISTRY, session.id, participant, client_id="c-000001", text=text)
    assert repo.list_contributions(session.id) == []


def test_exactly_max_length_is_accepted(repo: MemoryRepository, session) -> None:
    participant, _token, _ = services.join(repo, session.id)
    contribution, _ = services.submit_contribution(repo, REGISTRY, session.id, participant, client_id="c-000001", text="é" * 500)
    assert len(contribution.text) == 500


def test_submit_without_an_open_phase_is_refused(repo: MemoryRepository, session) -> None:
    import dataclasses

    repo.save_session(dataclasses.replace(session, agenda=()))
    participant, _token, _ = services.join(repo, session.id)
    with pytest.raises(PhaseNotOpen):
        services.submit_contribution(repo, REGISTRY, session.id, participant, client_id="c-000001", text="hallo")


def test_hide_and_show(repo: MemoryRepository, session) -> None:
    participant, _token, _ = services.join(repo, session.id)
    contribution, _ = services.submit_contribution(repo, REGISTRY, session.id, participant, client_id="c-000001", text="hallo")
    hidden, events = services.set_contribution_hidden(repo, session.id, "c-000001", True)
    assert hidden.hidden is True and events == [ContributionVisibilityChanged(session_id=session.id, contribution=hidden)]
    assert services.set_contribution_hidden(repo, session.id, "c-000001", True) == (hidden, [])
    assert services.participant_contributions(repo, session.id, participant.id) == [hidden]  # its author still sees it
    shown, events = services.set_contribution_hidden(repo, session.id, "c-000001", False)
    # Hidden and shown again: the same contribution, two stored changes later.
    assert shown == dataclasses.replace(contribution, version=2) and len(events) == 1


def test_normalise_join_code() -> None:
    assert services.normalise_join_code(" ab-c 7x9 ") == "ABC7X9"


def test_tokens_match_only_the_right_token() -> None:
    token = services.new_token()
    assert services.tokens_match(token, services.hash_token(token))
    assert not services.tokens_match(token + "x", services.hash_token(token))
