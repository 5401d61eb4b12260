"""How close the suggested theme names come to the names a person gave, on the hand-labelled sets.

For every reference theme of bench/data/clustering/*.json (its items, named against all other items of the
file) it makes today's clusterer label (`clustering.label_theme`, "ouder · erkenning") and the new name
(`theme_names.name_themes`), and counts how often each shares a content word (stem, or a part of a compound)
with the human label. The sets are split in two: the design half (the name rules were written looking at
these) and the report half (looked at only to report). Prints every name side by side, then one JSON line.

    python bench/theme_names.py [--data DIR] [--quiet] [--speed]

`--speed` also times naming 12 themes of 1,000 texts (two labelled texts spliced, deterministic), after one
warm-up call: the median of three calls. It runs after the clusterer on "Stel thema's voor", in the thread pool.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facilitator.core.clustering import clusters as clustering  # noqa: E402
from facilitator.core.clustering import theme_names
from facilitator.core.text import nl as text_nl

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "clustering"
DESIGN = ("T01", "T02", "T04", "T05", "T06")
REPORT = ("T08", "T18", "T19", "T20", "T22")


def content_stems(text: str) -> set[str]:
    return {token.key for token in text_nl.tokens(text) if not token.key.startswith("≈")}


def shares_word(name: str, label: str) -> bool:
    return bool(content_stems(name) & content_stems(label))


def run(folder: Path, ids: tuple[str, ...], quiet: bool) -> dict[str, float]:
    hits_old = hits_new = total = words = 0
    for set_id in ids:
        data = json.loads((folder / f"{set_id}.json").read_text(encoding="utf-8"))
        texts = [item["text"] for item in data["items"]]
        labels = sorted({item["label"] for item in data["items"]})
        groups = [[i for i, item in enumerate(data["items"]) if item["label"] == label] for label in labels]
        new = theme_names.name_themes(texts, groups)
        for label, members, name in zip(labels, groups, new, strict=True):
            others = [i for i in range(len(texts)) if i not in set(members)]
            old = clustering.label_theme(texts, members, others).label
            hits_old += shares_word(old, label)
            hits_new += shares_word(name, label)
            total += 1
            words += len(name.split())
            if not quiet:
                print(f"{set_id}  {label[:38]:38}  {old[:30]:30}  {name}")
    return {"themes": total, "old_shares_word": hits_old / total, "new_shares_word": hits_new / total,
            "new_mean_words": words / total}


def speed(folder: Path) -> float:
    texts = [item["text"] for path in sorted(folder.glob("*.json"))
             for item in json.loads(path.read_text(encoding="utf-8"))["items"]]
    chooser = random.Random(0)
    many = [chooser.choice(texts) + " " + chooser.choice(texts)[:60] for _ in range(1000)]
    groups = [list(range(start, 1000, 12)) for start in range(12)]
    theme_names.name_themes(many, groups)
    times = []
    for _ in range(3):
        began = time.perf_counter()
        theme_names.name_themes(many, groups)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--speed", action="store_true")
    args = parser.parse_args()
    result = {}
    for half, ids in (("design", DESIGN), ("report", REPORT)):
        if not args.quiet:
            print(f"--- {half} half: {', '.join(ids)}\nset  {'human label':38}  {'today':30}  new")
        result[half] = run(args.data, ids, args.quiet)
        print(f"{half}: {result[half]}")
    if args.speed:
        result["seconds_1000_texts"] = round(speed(args.data), 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
