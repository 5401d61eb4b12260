"""Every pair of state-changing use cases, host and phone, raced against the real eventlet server.

tests/e2e/test_interleavings.py races three host steps against claims and moves; this one races all
21 use cases that change a bijeenkomst: 11 of the host (10 Socket.IO events and the verslag edit over
HTTP) and 10 of the phones. A phone use case that needs a phase of its own (answering, the table draft,
voting, placing on the board) cannot be acknowledged while another one's phase is open, so each round
opens one of those four phases and races everything else at once with it: some 40 actions per round,
several of each kind on different things (two host screens, many phones). After each round the durable
files (what a restart would find) must hold every acknowledged change; a pair counts as raced in a
round where an instance of each was acknowledged and checked. Two actions that change the same thing
may rightly overwrite each other (tests/unit/test_interleavings.py skips them too): no round contains
such two, apart from the pairs named in SAME_THING, which never meet in one round.

To make the phase change visible without closing the phone's phase, the agenda holds each of the four
werkvormen three times: the host moves between twins at the same phase, and a phone action lands in
whichever twin is current, and is looked for in both.

Measured on the code before the versioned documents (fc01150, this file copied in), three runs: 180,
155 and 176 of some 790 acknowledged changes undone on disk: most claims and moves, and the phase
change, the added time, the reveal, the table names, new and cleared role codes, the closing and the
spokesperson a table submit claims. bench/interleavings_pairs.py races each pair on its own (three
times) to say which pair does it: there 48 of 1296 undone, in 19 pairs, each claim_role or choose_table
(the two use cases that then wrote twice) against a change of the bijeenkomst. Now: none in either.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.testing.clients import run
from facilitator.testing.interleavings import Room, Tally, all_pairs, play_round, prepare, rounds, why_not_raced
from facilitator.testing.live_server import LiveServer

pytestmark = pytest.mark.e2e


def test_every_pair_of_use_cases_races_without_undoing_an_acknowledged_change(
    live_server: LiveServer, data_dir: Path
) -> None:
    live_server.stop()
    layout = prepare(data_dir)
    live_server.start()
    tally = Tally()

    async def scenario() -> None:
        room = Room(live_server, layout, data_dir)
        try:
            await room.open()
            for number, (pass_, ctx, mode) in enumerate(rounds()):
                await play_round(room, tally, number, pass_, ctx, mode)
        finally:
            await room.close()

    run(scenario(), timeout=240)
    print(tally.report())
    print(tally.matrix())
    assert tally.problems == [], "\n".join(tally.problems)
    # Every pair that can race did, in at least one round, both acknowledged.
    missing = [p for p in all_pairs() if why_not_raced(*p) is None and not tally.raced[p]]
    assert missing == []
