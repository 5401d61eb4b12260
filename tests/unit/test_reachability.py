"""Reachability tests kept in memory, the laptop's own TCP check, and rejoin codes and tokens."""

from __future__ import annotations

import socket

import pytest

from facilitator.core import services
from facilitator.core.domain import NotJoined, Participant
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository
from facilitator.web.network import ProbeBook, accepts_connections

SECRET = services.rejoin_secret("a" * 64)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- probes ---------------------------------------------------------------------------------------


def test_probe_book_records_through_which_address_a_phone_came() -> None:
    book = ProbeBook()
    probe = book.new("sessie1")
    assert (probe.session_id, probe.reached_via) == ("sessie1", "")
    assert book.reached(probe.id, "192.168.1.20:5000") == probe.__class__(
        id=probe.id, session_id="sessie1", created_at=probe.created_at, reached_via="192.168.1.20:5000"
    )
    assert book.get(probe.id).reached_via == "192.168.1.20:5000"
    assert book.reached("unknown", "192.168.1.20:5000") is None
    assert book.get("unknown") is None


def test_probe_book_forgets_old_tests_and_keeps_a_bounded_number() -> None:
    clock = Clock()
    book = ProbeBook(clock=clock)
    old = book.new("sessie1")
    clock.now += ProbeBook.TTL_SECONDS - 1
    assert book.get(old.id) == old
    clock.now += 2
    assert book.get(old.id) is None
    made = [book.new("sessie1") for _ in range(ProbeBook.LIMIT + 5)]
    assert [book.get(p.id) is not None for p in made] == [False] * 5 + [True] * ProbeBook.LIMIT


def test_accepts_connections_tells_a_listening_port_from_a_closed_one() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        assert accepts_connections("127.0.0.1", port) is True
    assert accepts_connections("127.0.0.1", port) is False


# -- rejoin codes ---------------------------------------------------------------------------------


@pytest.fixture
def repo() -> MemoryRepository:
    return MemoryRepository()


def _session_with_phones(repo: MemoryRepository, count: int) -> tuple[str, list[Participant], list[str]]:
    session = services.create_session(repo, discover(), title="Dialoogsessie")
    joined = [services.join(repo, session.id, table=3) for _ in range(count)]
    return session.id, [p for p, _t, _e in joined], [t for _p, t, _e in joined]


def test_rejoin_code_is_readable_stable_and_differs_per_phone(repo: MemoryRepository) -> None:
    session_id, (first, second), _tokens = _session_with_phones(repo, 2)
    code = services.rejoin_code(SECRET, session_id, first)
    assert len(code) == 11 and code[5] == "-"
    assert set(code.replace("-", "")) <= set(services.JOIN_CODE_ALPHABET)
    assert services.rejoin_code(SECRET, session_id, first) == code
    assert services.rejoin_code(SECRET, session_id, second) != code
    assert services.rejoin_code(services.rejoin_secret("b" * 64), session_id, first) != code


def test_rejoin_returns_the_same_participant_and_a_token_that_authenticates_it(repo: MemoryRepository) -> None:
    session_id, (first, second), tokens = _session_with_phones(repo, 2)
    typed = services.rejoin_code(SECRET, session_id, second).lower().replace("-", " ")
    participant, token = services.rejoin(repo, SECRET, session_id, typed)
    assert participant == second
    assert token.startswith(f"rj.{second.id}.") and len(token) == len(f"rj.{second.id}.") + 43
    assert services.authenticate_participant(repo, session_id, token, rejoin_secret=SECRET) == second
    # The phone's own token keeps working next to it.
    assert services.authenticate_participant(repo, session_id, tokens[1], rejoin_secret=SECRET) == second


@pytest.mark.parametrize("typed", ["", "AAAAA-AAAAA", "ABCDE", None, 12345, ["AAAAAAAAAA"]])
def test_rejoin_refuses_a_code_that_is_not_one_of_this_bijeenkomst(repo: MemoryRepository, typed: object) -> None:
    session_id, _participants, _tokens = _session_with_phones(repo, 3)
    with pytest.raises(NotJoined):
        services.rejoin(repo, SECRET, session_id, typed)


def test_a_rejoin_token_needs_the_secret_and_an_exact_match(repo: MemoryRepository) -> None:
    session_id, (first, second), _tokens = _session_with_phones(repo, 2)
    token = services.rejoin_token(SECRET, session_id, first)
    with pytest.raises(NotJoined):
        services.authenticate_participant(repo, session_id, token)  # without the secret: only real tokens
    other_secret = services.rejoin_secret("b" * 64)
    with pytest.raises(NotJoined):
        services.authenticate_participant(repo, session_id, token, rejoin_secret=other_secret)
    forged = [
        f"rj.{second.id}.{token.rsplit('.', 1)[1]}",  # someone else's id with this mac
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        f"rj.{first.id}",
        "rj.",
        "rj.unknown.x",
    ]
    for value in forged:
        with pytest.raises(NotJoined):
            services.authenticate_participant(repo, session_id, value, rejoin_secret=SECRET)
