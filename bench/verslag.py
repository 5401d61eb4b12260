"""Time the verslag of a full room: build it, render every format, check it for personal data.

    python bench/verslag.py                 # 300 phones, 10 contributions each, one JSON line
    python bench/verslag.py --phones 100 --per-phone 5 --runs 3

The afternoon is the test fixture's (a roddelmethode, a vier-buffers run, a board), plus `--phones`
participants who each add `--per-phone` vier-buffers contributions drawn from real texts; stored in a
temporary TinyDB folder, read back through the service layer as the verslag page does. Prints the median
of `--runs` per step in milliseconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facilitator import exports, services  # noqa: E402
from facilitator.domain import Contribution, Participant, Perspective  # noqa: E402
from facilitator.registry import discover  # noqa: E402
from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries  # noqa: E402
from tests.support.verslag import TEXTS, afternoon  # noqa: E402


def fill(repo: TinyDBRepository, phones: int, per_phone: int) -> int:
    """Add the room's contributions to the vier-buffers item; return how many are stored."""
    perspectives = list(Perspective)
    texts = TEXTS["vangnet"]
    for n in range(phones):
        participant = Participant(id=f"bench{n}", token_hash=f"bench-hash-{n}", joined_at=float(n), table=n % 12 + 1,
                                  perspective=perspectives[n % len(perspectives)], number=100 + n)
        repo.add_participant("middag2", participant)
        for k in range(per_phone):
            item = texts[(n + k) % len(texts)]
            repo.add_contribution("middag2", Contribution(
                id=f"b{n}-{k}", participant_id=participant.id, agenda_item_id="buf1", phase_id="vangnet",
                kind="vangnet", text=f"{item['text']} ({n}.{k})", created_at=1000.0 + n + k / 10,
                table=participant.table, perspective=participant.perspective, bucket=item["bucket"]))
    return len(repo.list_contributions("middag2"))


def timed(step: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Return the median milliseconds of `runs` calls and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = step()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--per-phone", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pdf-runs", type=int, default=2)
    args = parser.parse_args()
    registry = discover()
    with tempfile.TemporaryDirectory() as folder:
        repo, series = TinyDBRepository(folder), TinyDBSeries(folder)
        afternoon(repo, series)
        session = repo.get_session("middag2")
        repo.save_session(dataclasses.replace(session, tables=tuple(session.tables) + tuple(
            dataclasses.replace(session.tables[-1], number=n, name="") for n in range(4, 13))))
        stored = fill(repo, args.phones, args.per_phone)
        services.edit_verslag(repo, "middag2", {"appendix": True})
        result: dict[str, Any] = {"phones": args.phones, "contributions": stored}
        result["build_ms"], report = timed(lambda: services.verslag(repo, registry, series, "middag2"), args.runs)
        result["privacy_check_ms"], findings = timed(lambda: services.privacy_findings(report), args.runs)
        result["findings"] = len(findings)
        csv_table = services.csv_rows(repo, registry, "middag2")
        for fmt in ("md", "html", "docx", "csv"):
            export = exports.FORMATS[fmt]
            ms, data = timed(lambda export=export: exports.render(report, export, csv_table=csv_table), args.runs)
            result[f"{fmt}_ms"], result[f"{fmt}_kb"] = ms, round(len(data) / 1024)
        without_appendix = dataclasses.replace(report, appendix=())
        ms, data = timed(lambda: exports.render(without_appendix, exports.FORMATS["pdf"]), args.pdf_runs)
        result["pdf_ms"], result["pdf_kb"] = ms, round(len(data) / 1024)
        result["docx_without_appendix_ms"], _ = timed(
            lambda: exports.render(without_appendix, exports.FORMATS["docx"]), args.runs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
