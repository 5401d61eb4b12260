"""How long storing one contribution takes with 0 and with many contributions already stored.

The goal: the cost of storing a submission does not grow with the number
already stored (p95 at 10,000 stored within 1.2x of p95 at 0). Uses the real TinyDBRepository
on a temporary folder with real fsyncs. Prints one JSON object on its last line.

    python bench/storage.py [--stored 0,1000,10000] [--samples 300]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facilitator.core.domain import AgendaItem, Contribution, WorkshopSession  # noqa: E402
from facilitator.storage.tinydb_store import TinyDBRepository  # noqa: E402

SESSION = "b0b0b0b0b0b0"


def contribution(i: int) -> Contribution:
    return Contribution(
        id=f"bench-{i:08d}", participant_id=f"p{i % 300}", agenda_item_id="item1", phase_id="antwoorden",
        kind="antwoord", text=f"Bijdrage {i}: ouders en school trekken samen op, ook als het lastig wordt.",
        created_at=time.time(), table=i % 12 + 1,
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(stored: int, samples: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        repo = TinyDBRepository(folder)
        repo.add_session(WorkshopSession(id=SESSION, title="bench", date="2026-11-25", join_code="BENCH1", created_at=0.0,
                                         agenda=(AgendaItem(id="item1", workformat_id="open_vraag"),)))
        for i in range(stored):
            repo.add_contribution(SESSION, contribution(i))
        repo = TinyDBRepository(folder)  # as after a restart: snapshot on disk, journal empty
        timings = []
        for i in range(stored, stored + samples):
            start = time.perf_counter()
            repo.add_contribution(SESSION, contribution(i))
            timings.append((time.perf_counter() - start) * 1000)
    return {
        "p50": round(statistics.median(timings), 3),
        "p95": round(percentile(timings, 0.95), 3),
        "p99": round(percentile(timings, 0.99), 3),
        "max": round(max(timings), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", default="0,1000,10000", help="comma-separated numbers of contributions stored first")
    parser.add_argument("--samples", type=int, default=300, help="contributions timed at each level")
    args = parser.parse_args()
    levels = [int(x) for x in args.stored.split(",")]
    result = {"samples": args.samples, "store_ms": {str(level): measure(level, args.samples) for level in levels}}
    first, last = result["store_ms"][str(levels[0])], result["store_ms"][str(levels[-1])]
    result["p95_ratio_last_to_first"] = round(last["p95"] / first["p95"], 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
