"""Which pair of use cases undoes which: each pair raced on its own against the real server.

    python bench/interleavings_pairs.py [--repeat 3]

tests/e2e/test_interleavings_pairs.py races some 40 actions of all 21 state-changing use cases at once,
so when an acknowledged change is undone it cannot tell which other action undid it. This runs the same
rounds (the same bijeenkomst, set-up and checks: facilitator/testing/interleavings.py) with only two actions in each:
one of each kind of a pair (two of a kind raced with itself), every pair that can race, `--repeat` times.
Each batch of 24 pairs gets a fresh bijeenkomst and server. The LAST line on stdout is one JSON object:
per pair "a|b" the acknowledged and undone counts (and which of the two was undone); the exit status is 0
when nothing was undone.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from facilitator.testing.clients import run  # noqa: E402
from facilitator.testing.interleavings import (  # noqa: E402
    PHASE_OF,
    Room,
    Tally,
    all_pairs,
    play_round,
    prepare,
    rounds,
    why_not_raced,
)
from facilitator.testing.live_server import LiveServer  # noqa: E402


def fits(pair: tuple[str, str], slot: tuple[int, str, str]) -> bool:
    """Tell whether a round (pass, phase, "add" or "go") can race this pair."""
    _pass, ctx, mode = slot
    if any(kind in PHASE_OF and PHASE_OF[kind] != ctx for kind in pair):
        return False
    return not ("go_to_phase" in pair and mode != "go") and not ("add_time" in pair and mode != "add")


def batch(pending: list[tuple[str, str]], results: dict[str, dict[str, Any]]) -> None:
    """Race as many pending pairs as one bijeenkomst has fitting rounds for; remove them from `pending`."""
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        data_dir.mkdir()
        layout = prepare(data_dir)
        plan: list[tuple[int, tuple[str, str]]] = []
        for pair in list(pending):
            slot = next((n for n, s in enumerate(rounds()) if n not in {u for u, _ in plan} and fits(pair, s)), None)
            if slot is not None:
                plan.append((slot, pair))
                pending.remove(pair)
        server = LiveServer(data_dir)
        try:
            server.start()

            async def scenario() -> None:
                room = Room(server, layout, data_dir)
                try:
                    await room.open()
                    for slot, pair in plan:
                        tally = Tally()
                        pass_, ctx, mode = rounds()[slot]
                        only = {kind: 2 if pair[0] == pair[1] else 1 for kind in pair}
                        await play_round(room, tally, slot, pass_, ctx, mode, only=only)
                        entry = results.setdefault("|".join(pair), {"raced": 0, "acknowledged": 0, "undone": {}})
                        entry["raced"] += tally.raced[pair]
                        entry["acknowledged"] += sum(tally.acknowledged.values())
                        entry["undone"] = dict(Counter(entry["undone"]) + tally.undone)
                        problems = [p for p in tally.problems if not p.endswith(" undone")]
                        assert problems == [], problems
                finally:
                    await room.close()

            run(scenario(), timeout=600)
        finally:
            server.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="how often each pair is raced")
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    for repetition in range(args.repeat):
        pending = [p for p in all_pairs() if why_not_raced(*p) is None]
        # The pairs that fit the fewest rounds first, so each batch fills up.
        pending.sort(key=lambda p: sum(fits(p, s) for s in rounds()))
        while pending:
            batch(pending, results)
            print(f"repetition {repetition + 1}: {len(pending)} pairs to go", file=sys.stderr)
    undone = {pair: entry for pair, entry in results.items() if entry["undone"]}
    for pair, entry in sorted(undone.items(), key=lambda kv: -sum(kv[1]["undone"].values())):
        print(f"{pair:55} undone {sum(entry['undone'].values())} of {entry['acknowledged']}: {entry['undone']}")
    summary = {
        "pairs": len(results),
        "pairs_never_raced": sorted(p for p, e in results.items() if not e["raced"]),
        "acknowledged": sum(e["acknowledged"] for e in results.values()),
        "undone": sum(sum(e["undone"].values()) for e in results.values()),
        "pairs_with_undone": len(undone),
        "per_pair": results,
    }
    print(json.dumps(summary))
    return 1 if summary["undone"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
