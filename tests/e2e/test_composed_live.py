"""Random composed werkvormen run on the real eventlet server with Socket.IO phones (issue 16, "How it is checked").

Hypothesis draws compositions with every answer kind (none, text, buckets, grid, scale, ranking, action), per
table or individual, with or without the inbrenger, labels with odd Unicode; facilitator/testing/composed_live.py runs
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
from hypothesis import HealthCheck, Phase, example, given, note, settings

from facilitator.testing.clients import run
from facilitator.testing.composed_live import (
    Outcome,
    check_round_trip,
    check_stored,
    csv_table,
    every_kind,
    lost,
    lost_texts,
    rooms,
    run_example,
)
from facilitator.testing.live_server import LiveServer

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


def one(server: LiveServer, room: dict[str, Any]) -> Outcome:
    async def go() -> Outcome:
        async with aiohttp.ClientSession() as http:
            return await run_example(server, room, http)

    note(f"room: {room!r}")
    return run(go(), timeout=60)


#: A live example takes seconds: no shrinking (the failing composition is printed whole), no example database.
LIVE = settings(deadline=None, suppress_health_check=list(HealthCheck), database=None,
                phases=(Phase.explicit, Phase.generate))


@settings(LIVE, max_examples=EXAMPLES)
@example(room=every_kind(per_table=False, inbrenger=False))
@example(room=every_kind(per_table=True, inbrenger=True))
@given(room=rooms())
def test_composed_werkvormen_run_live_vote_board_and_come_back_from_their_files(
    server: LiveServer, room: dict[str, Any]
) -> None:
    outcome = one(server, room)
    check_round_trip(outcome)
    check_stored(server, outcome)
    # The dots add up to what the phones were told they placed.
    assert outcome.tallies == outcome.expected_tallies
    # Every own answer placed on the board sits under the theme the phone was told.
    on_board = {card: theme for theme, cards in outcome.stored_board.items() for card in cards}
    assert {card: on_board.get(card) for card in outcome.placed} == outcome.placed
    # The CSV has one row per acknowledged answer (never who sent it); Markdown, HTML and Word (with the appendix
    # of every bijdrage: the body folds alike points into one) hold every acknowledged text.
    _header, rows = csv_table(outcome.files["csv"])
    assert len(rows) == len(outcome.answers)
    assert lost_texts(outcome) == []


@settings(LIVE, max_examples=max(3, EXAMPLES // 2))
@example(room=every_kind(per_table=False, inbrenger=True))
@example(room=every_kind(per_table=True, inbrenger=False))
@given(room=rooms())
def test_the_csv_keeps_every_acknowledged_answer_with_all_its_dimensions(
    server: LiveServer, room: dict[str, Any]
) -> None:
    """Needs the CSV columns of the new shapes (the ranking's order, an afspraak's who and when)."""
    outcome = one(server, room)
    assert lost(outcome) == []
