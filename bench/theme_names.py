"""How close the suggested theme names come to the names a person gave, on the hand-labelled sets.

For every reference theme of ../shared/data/clustering/*.json (its items, named against all other items of the
file) it makes today's clusterer label (`clustering.label_theme`, "ouder · erkenning") and the new name
(`theme_names.name_themes`), and counts how often each shares a content word (stem, or a part of a compound)
with the human label. The sets are split in two: the design half (the name rules were written looking at
these) and the report half (looked at only to report). Prints every name side by side, then one JSON line.

    python bench/theme_names.py [--data DIR] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facilitator import clustering, text_nl, theme_names  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "clustering"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    result = {}
    for half, ids in (("design", DESIGN), ("report", REPORT)):
        if not args.quiet:
            print(f"--- {half} half: {', '.join(ids)}\nset  {'human label':38}  {'today':30}  new")
        result[half] = run(args.data, ids, args.quiet)
        print(f"{half}: {result[half]}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
