"""Which characters stored text may keep, and tokens that are no text: found by fuzzing the socket events
(tests/integration/test_fuzz_events.py).

Table names, theme names, the rode draad and a participant's function kept control characters, and lone
surrogates (which JSON carries and UTF-8 cannot) reached the bijeenkomst's file, where writing it failed with an
"internal" error and a traceback. Every text now goes through `showable` before it is stored. A join_session
whose token held a lone surrogate failed the same way while hashing it.
"""

from __future__ import annotations

import pytest

from facilitator.core import services
from facilitator.core.domain import InvalidInput, NotJoined
from facilitator.core.domain import board as moves
from facilitator.core.domain.text import showable
from facilitator.core.registry import discover
from facilitator.core.services.base import clean_line
from facilitator.core.validation import clean_text
from facilitator.storage.memory import MemoryRepository

REGISTRY = discover()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Rust", "Rust"),
        ("a\x00b\x1bc\x7fd\x85e\x99f", "abcdef"),
        ("\u202eomgekeerd\u202c en \u2066geïsoleerd\u2069", "omgekeerd en geïsoleerd"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("👍🏽 \u200f ﷺ", "👍🏽 \u200f ﷺ"),
    ],
)
def test_showable_removes_control_characters_and_bidi_overrides(value: str, expected: str) -> None:
    assert showable(value) == expected


@pytest.mark.parametrize("value", ["\ud800", "x\udfffy", "\udbff", "a\ud83d"])
def test_showable_refuses_lone_surrogates_naming_the_field(value: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        showable(value, "name")
    assert refused.value.params == {"field": "name"}


def test_a_paired_surrogate_is_one_character_and_stays() -> None:
    assert showable("\U0001f44d") == "👍"


def test_clean_text_still_refuses_lone_surrogates_and_normalises() -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_text("Rust\ud800", 100)
    assert refused.value.params == {"field": "text"}
    assert clean_text("e\u0301\x00n", 100) == "én"


def test_theme_names_lose_control_characters_and_refuse_lone_surrogates() -> None:
    assert moves.clean_theme_name("Ver\x85trouwen\u202e") == "Vertrouwen"
    assert moves.clean_theme_name("\x00\x01", default="Nieuw thema") == "Nieuw thema"
    with pytest.raises(InvalidInput):
        moves.clean_theme_name("Rust\udfff")


def test_one_line_texts_lose_control_characters_and_refuse_lone_surrogates() -> None:
    assert clean_line("Tafel\x99 1\x1c", "tables", 40) == "Tafel 1"
    with pytest.raises(InvalidInput) as refused:
        clean_line("\ud800", "tables", 40)
    assert refused.value.params == {"field": "tables"}


def test_table_names_and_the_rode_draad_are_stored_clean() -> None:
    repo = MemoryRepository()
    session = services.create_session(repo, REGISTRY, title="Schoon")
    changed, _events = services.set_tables(repo, session.id, ["½{½\x81", "Tafel\u202e 2"])
    assert [t.name for t in changed.tables] == ["½{½", "Tafel 2"]
    item = session.agenda[0].id
    board, _extra, _events = services.edit_board(
        repo, REGISTRY, session.id, item, "set_rode_draad", {"text": "\tSamen\x99 verder\x1c"}
    )
    assert board.rode_draad == "Samen verder"
    with pytest.raises(InvalidInput) as refused:
        services.edit_board(repo, REGISTRY, session.id, item, "set_rode_draad", {"text": "x\udfff"})
    assert refused.value.params == {"field": "rode_draad"}
    with pytest.raises(InvalidInput):
        services.set_tables(repo, session.id, ["a\ud800"])
    assert [t.name for t in repo.get_session(session.id).tables] == ["½{½", "Tafel 2"]


def test_a_token_with_half_a_surrogate_pair_matches_nothing_and_never_raises() -> None:
    repo = MemoryRepository()
    session = services.create_session(repo, REGISTRY, title="Sleutels")
    with pytest.raises(NotJoined):
        services.authenticate_participant(repo, session.id, "\ud83d")
    assert services.tokens_match("key\udfff", services.hash_token("key")) is False
