"""Random composed werkvormen run on the real eventlet server with Socket.IO phones (issue 16, "How it is checked").

Hypothesis draws compositions with every answer kind (none, text, buckets, grid, scale, ranking, action), per
table or individual, with or without the inbrenger, labels with odd Unicode; tests/support/composed_live.py runs
each on ONE live server (a new bijeenkomst per example): a poisoned file refused with nothing imported, the agenda
file imported, phones answering every phase, hidden phases revealed, dots on what the item produced, own answers
on the rode-draden board, the verslag in Markdown, HTML, Word and CSV, and the item and the agenda exported and
imported again. Larger runs: bench/composed_live.py --examples N.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, Phase, given, note, settings

from tests.support.composed_live import (
    Outcome,
    csv_table,
    normal,
    rooms,
    row_holds,
    run_example,
    verslag_texts,
)
from tests.support.live_server import LiveServer

from .helpers import run, stored_contributions

pytestmark = pytest.mark.e2e

#: Examples per test (RD_COMPOSED_EXAMPLES=50 for a longer run; bench/composed_live.py for a report).
EXAMPLES = int(os.environ.get("RD_COMPOSED_EXAMPLES", "8"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for every example of the module: each example works in a bijeenkomst of its own."""
    live = LiveServer(tmp_path_factory.mktemp("composed"))
    try:
        live.start()
        yield live
    finally:
        live.kill()
        print("---- server output ----\n" + "".join(live.output))


def one(server: LiveServer, example: dict[str, Any]) -> Outcome:
    async def go() -> Outcome:
        async with aiohttp.ClientSession() as http:
            return await run_example(server, example, http)

    note(f"composition: {example['composition']!r}")
    return run(go(), timeout=60)


def check_round_trip(outcome: Outcome) -> None:
    """The same composition comes back from the agenda file, the item file, and both imported again."""
    [composed, vote, board] = outcome.agenda_file["items"][-3:]
    assert composed["settings"]["composition"] == outcome.composition
    assert outcome.item_file["settings"]["composition"] == outcome.composition
    # The item file is named after the composition; imported again, the item is the same werkvorm, called the same.
    name = outcome.composition["name"]
    assert normal(outcome.item_file["name"]) == normal(name)
    [again] = outcome.reimported_item["items"][-1:]
    assert again["workformat"] == outcome.item_file["workformat"]
    assert again["settings"]["composition"] == outcome.composition
    assert normal(again["settings"].get("title", name)) == normal(name)
    assert {k: v for k, v in again["settings"].items() if k != "title"} == outcome.item_file["settings"]
    # The whole agenda (the vote and the board still pointing at the composed item) comes back the same.
    assert outcome.reimported_agenda["items"] == outcome.agenda_file["items"]
    assert vote["settings"] != {} and board["settings"] != {}


def check_stored(server: LiveServer, outcome: Outcome) -> None:
    """Every acknowledged answer is stored once, with every dimension it was sent with."""
    assert server.data_dir is not None
    stored = {c["id"]: c for c in stored_contributions(server.data_dir, outcome.session_id)}
    assert sorted(stored) == sorted(a.id for a in outcome.answers)
    for answer in outcome.answers:
        c = stored[answer.id]
        assert normal(c["text"]) == normal(answer.text), (answer, c)
        assert bool(c.get("bucket")) == bool(answer.row), (answer, c)
        assert len(c.get("ranking") or ()) == len(answer.ranking), (answer, c)
        assert (c.get("owner") or "", c.get("due") or "") == (answer.owner, answer.due), (answer, c)
        assert len(c.get("tags") or ()) == sum(bool(x) for x in (answer.column, answer.scale, answer.level)), (answer, c)


#: A live example takes seconds: no shrinking (the failing composition is printed whole), no example database.
LIVE = settings(deadline=None, suppress_health_check=list(HealthCheck), database=None,
                phases=(Phase.explicit, Phase.generate))


@settings(LIVE, max_examples=EXAMPLES)
@given(example=rooms())
def test_composed_werkvormen_run_live_vote_board_and_come_back_from_their_files(
    server: LiveServer, example: dict[str, Any]
) -> None:
    outcome = one(server, example)
    check_round_trip(outcome)
    check_stored(server, outcome)
    # The dots add up to what the phones were told they placed.
    assert outcome.tallies == outcome.expected_tallies
    # Every own answer placed on the board sits under the theme the phone was told.
    on_board = {card: theme for theme, cards in outcome.stored_board.items() for card in cards}
    assert {card: on_board.get(card) for card in outcome.placed} == outcome.placed
    # The CSV has one row per acknowledged answer (never who sent it).
    _header, rows = csv_table(outcome.files["csv"])
    assert len(rows) == len(outcome.answers)
    for fmt in ("md", "html", "docx"):
        assert outcome.files[fmt], fmt


@settings(LIVE, max_examples=max(3, EXAMPLES // 2))
@given(example=rooms())
def test_the_verslag_and_the_csv_keep_every_acknowledged_answer_with_all_its_dimensions(
    server: LiveServer, example: dict[str, Any]
) -> None:
    """Needs the verslag renderers and CSV columns of the new shapes (grid, scale, ranking, afspraken)."""
    outcome = one(server, example)
    _header, rows = csv_table(outcome.files["csv"])
    for answer in outcome.answers:
        assert any(row_holds(row, answer) for row in rows), (answer, rows)
    texts = verslag_texts(outcome.files)
    for answer in outcome.answers:
        if answer.text:
            for fmt, text in texts.items():
                assert normal(answer.text) in text, (fmt, answer)


def test_the_strategy_reaches_every_answer_kind() -> None:
    """The examples can reach each answer kind, per table and individual, with and without the inbrenger."""
    from hypothesis import find

    from facilitator.domain.composition import PART_ANSWERS

    for answer in PART_ANSWERS:
        for per_table in (False, True):
            for inbrenger in (False, True):
                found = find(rooms(), lambda r, a=answer, t=per_table, i=inbrenger: (
                    any(p["answer"] == a for p in r["composition"]["phases"])
                    and r["composition"]["per_table"] is t and r["composition"]["inbrenger"] is i),
                    settings=settings(max_examples=2000, database=None))
                assert found is not None
