"""Time the verslag of a full room: verdichten, build it, render every format, check it for personal data.

    python bench/verslag.py                 # 300 phones, 10 contributions each, one JSON line
    python bench/verslag.py --phones 100 --per-phone 5 --runs 3

The afternoon is the test fixture's (a roddelmethode, a vier-buffers run, a board), plus `--phones`
participants who each add `--per-phone` vier-buffers contributions paraphrasing real texts; stored in a
temporary TinyDB folder, read back through the service layer as the verslag page does. Prints the median
of `--runs` per step in milliseconds. `verdichten_ms` folds the vier-buffers cards into statements (what the
Verdichten screen and the verslag's body start from); `body_lines` is the most lines one buffer gets in the
verslag's body (at most 12).
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

from facilitator.core import services
from facilitator.core.domain import Contribution, Participant, Perspective  # noqa: E402
from facilitator.core.registry import discover  # noqa: E402
from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries  # noqa: E402
from facilitator.testing.verdichten import room_cards  # noqa: E402
from facilitator.testing.verslag import afternoon  # noqa: E402
from facilitator.verslag import exports  # noqa: E402


def fill(repo: TinyDBRepository, phones: int, per_phone: int, *, distinct: bool = False) -> int:
    """Add the room's vier-buffers cards (paraphrases of real texts, see facilitator/testing/verdichten.py); return how
    many contributions are stored. `distinct` makes every card's wording unique (a made-up word added), so
    verdichten has to compare every card: the slowest case."""
    perspectives = list(Perspective)
    for n in range(phones):
        participant = Participant(id=f"bench{n}", token_hash=f"bench-hash-{n}", joined_at=float(n), table=n % 12 + 1,
                                  perspective=perspectives[n % len(perspectives)], number=100 + n)
        repo.add_participant("middag2", participant)
    for k, card in enumerate(room_cards(phones, per_phone)):
        participant_id = f"bench{card.phone}"
        text = f"{card.text} {_made_up_word(k)}" if distinct else card.text
        repo.add_contribution("middag2", Contribution(
            id=f"b{k}", participant_id=participant_id, agenda_item_id="buf1", phase_id="vangnet",
            kind="vangnet", text=text, created_at=1000.0 + k / 10, table=card.phone % 12 + 1,
            perspective=perspectives[card.phone % len(perspectives)], bucket=card.bucket,
            tags=(("mens", "organisatie")[k % 2], ("nodig", "geven")[k % 3 == 0])))
    return len(repo.list_contributions("middag2"))


def _made_up_word(k: int) -> str:
    letters = "bdfgklmnprstvz"
    word = ""
    while True:
        word += letters[k % len(letters)] + "aeiou"[k % 5]
        k //= len(letters)
        if not k:
            return word


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
    parser.add_argument("--distinct", action="store_true", help="every card worded differently (slowest verdichten)")
    args = parser.parse_args()
    registry = discover()
    with tempfile.TemporaryDirectory() as folder:
        repo, series = TinyDBRepository(folder), TinyDBSeries(folder)
        afternoon(repo, series)
        session = repo.get_session("middag2")
        repo.save_session(dataclasses.replace(session, tables=tuple(session.tables) + tuple(
            dataclasses.replace(session.tables[-1], number=n, name="") for n in range(4, 13))))
        stored = fill(repo, args.phones, args.per_phone, distinct=args.distinct)
        services.edit_verslag(repo, "middag2", {"appendix": True})
        result: dict[str, Any] = {"phones": args.phones, "contributions": stored}
        session = repo.get_session("middag2")
        item = next(i for i in session.agenda if i.id == "buf1")
        published = services.publishable(session, registry, repo.list_contributions("middag2"))
        result["verdichten_ms"], statements = timed(
            lambda: services.item_statements(repo, registry, session, item, published), args.runs)
        result["statements"] = sum(len(group) for group in statements.groups.values())
        result["build_ms"], report = timed(lambda: services.verslag(repo, registry, series, "middag2"), args.runs)
        buffers = next(b for s in report.sections if s.key == "buf1" for b in s.blocks)
        result["body_lines"] = max(len(g.bullets) for g in buffers.groups)
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
