"""Composed werkvormen on a live server, many at a time: the e2e property test's run, counted instead of stopped.

    python bench/composed_live.py --examples 100 [--seed 0] [--pdf]

Starts the real `facilitator serve` (eventlet) through facilitator/testing/live_server.LiveServer with a temporary data
folder, then runs the four rooms with every answer kind (per table or individual, with or without the inbrenger)
and --examples random rooms drawn by Hypothesis from facilitator/testing/composed_live.rooms(), each in a bijeenkomst
of its own (see that module for what one example does). Nothing stops at the first problem: every example is
checked and its problems are counted.

Progress goes to stderr; the LAST line on stdout is one JSON object:
    examples, failed_examples, seconds, example_s {p50, p95, max}, answers {kind: n}, refused {what: n},
    problems {check: n} (round trip, stored, tallies, board, verslag texts; 0 everywhere is the goal),
    csv_lost {"kind / what": n} (dimensions the CSV lacks), pdf {ok, failed} (with --pdf).
The e2e test tests/e2e/test_composed_live.py runs the same examples (8, and the CSV check on its own).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facilitator.testing.composed_live import (  # noqa: E402 (after the path is set)
    check_round_trip,
    check_stored,
    csv_table,
    every_kind,
    lost,
    lost_texts,
    rooms,
    run_example,
)
from facilitator.testing.live_server import LiveServer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="random rooms besides the four fixed ones")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pdf", action="store_true", help="also print the verslag as pdf (Chromium; slow)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rd-composed-"))
    server = LiveServer(folder)
    times: list[float] = []
    answers: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    problems: Counter[str] = Counter()
    csv_lost: Counter[str] = Counter()
    pdf: Counter[str] = Counter()
    failed: list[str] = []
    started = time.monotonic()

    def one(room: dict[str, Any]) -> None:
        async def go() -> Any:
            async with aiohttp.ClientSession() as http:
                return await asyncio.wait_for(run_example(server, room, http), 120)

        begun = time.monotonic()
        try:
            outcome = asyncio.run(go())
        except Exception as exc:  # noqa: BLE001 - counted, the run goes on
            failed.append(f"{type(exc).__name__}: {str(exc)[:300]} in {json.dumps(room, ensure_ascii=False)[:300]}")
            return
        times.append(time.monotonic() - begun)
        answers.update(a.answer for a in outcome.answers)
        refused.update(what for what, _code in outcome.refused)
        on_board = {card: theme for theme, cards in outcome.stored_board.items() for card in cards}
        checks = {
            "round_trip": lambda: check_round_trip(outcome),
            "stored": lambda: check_stored(server, outcome),
            "tallies": lambda: _same(outcome.tallies, outcome.expected_tallies),
            "board": lambda: _same({c: on_board.get(c) for c in outcome.placed}, outcome.placed),
            "csv_rows": lambda: _same(len(csv_table(outcome.files["csv"])[1]), len(outcome.answers)),
            "verslag_texts": lambda: _same(lost_texts(outcome), []),
        }
        for name, check in checks.items():
            try:
                check()
            except AssertionError:
                problems[name] += 1
        csv_lost.update(f"{kind} / {what}" for kind, _where, what in lost(outcome))
        if args.pdf:
            response = server.host_session().get(f"{server.base_url}/host/s/{outcome.session_id}/verslag.pdf")
            pdf["ok" if response.status_code == 200 else "failed"] += 1
        print(f"{len(times) + len(failed)} examples, {len(failed)} failed", file=sys.stderr)

    try:
        server.start()
        for per_table in (False, True):
            for inbrenger in (False, True):
                one(every_kind(per_table, inbrenger))

        @seed(args.seed)
        @settings(max_examples=args.examples, deadline=None, database=None, phases=(Phase.generate,),
                  suppress_health_check=list(HealthCheck))
        @given(room=rooms())
        def drawn(room: dict[str, Any]) -> None:
            one(room)

        if args.examples > 0:
            drawn()
    finally:
        server.kill()
        shutil.rmtree(folder, ignore_errors=True)
    ordered = sorted(times) or [0.0]
    result = {
        "examples": len(times) + len(failed),
        "failed_examples": len(failed),
        "failures": failed[:5],
        "seconds": round(time.monotonic() - started, 1),
        "example_s": {"p50": round(statistics.median(ordered), 2),
                      "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
                      "max": round(ordered[-1], 2)},
        "answers": dict(sorted(answers.items())),
        "refused": dict(sorted(refused.items())),
        "problems": {name: problems[name] for name in
                     ("round_trip", "stored", "tallies", "board", "csv_rows", "verslag_texts")},
        "csv_lost": dict(sorted(csv_lost.items())),
    }
    if args.pdf:
        result["pdf"] = dict(pdf)
    print(json.dumps(result, ensure_ascii=False))


def _same(found: Any, expected: Any) -> None:
    assert found == expected, (found, expected)


if __name__ == "__main__":
    main()
