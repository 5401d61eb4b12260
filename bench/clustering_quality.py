"""How well `facilitator.clustering` finds the hand-made rode draden, and how fast it is.

Runs every mode over the labelled sets in ../shared/data/clustering/*.json (one setting for all files):

- suggest: the number of themes chosen automatically (never the reference count); ARI and AMI against the
  reference labels, and the number of themes found against the reference number;
- seeded: the reference label names typed as theme names; share of items placed under their own label;
- assist: the first two items of each reference theme (file order) placed in its column, plus the names;
  share of the *other* items placed right.

Prints a table per file, the unweighted means, and one JSON object on its last line.

    python bench/clustering_quality.py [--data DIR] [--speed] [--speed-items 1000]

`--speed` also times each mode on 1,000 contributions synthesised deterministically from the shared data
(halves of two texts spliced, some with a typo or in other case), after one warm-up call; each time is the
median of three calls.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score  # noqa: E402

from facilitator import clustering  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "clustering"


def load(folder: Path) -> list[tuple[str, list[str], list[str]]]:
    sets = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        sets.append((data.get("id", path.stem), [i["text"] for i in data["items"]], [i["label"] for i in data["items"]]))
    return sets


def label_names(labels: list[str]) -> list[str]:
    return list(dict.fromkeys(labels))


def predicted_labels(result: clustering.Clustering, n: int) -> list[int]:
    out = [-1] * n
    for number, theme in enumerate(result.themes):
        for index in theme.items:
            out[index] = number
    assert -1 not in out and sum(len(t.items) for t in result.themes) == n, "every index in exactly one theme"
    return out


def score_file(texts: list[str], labels: list[str]) -> dict[str, float | int]:
    names = label_names(labels)
    auto = predicted_labels(clustering.suggest(texts), len(texts))
    seeded = predicted_labels(clustering.seeded(texts, names), len(texts))
    placed = [[i for i, label in enumerate(labels) if label == name][:2] for name in names]
    assisted = predicted_labels(clustering.assist(texts, placed, names), len(texts))
    rest = [i for i in range(len(texts)) if not any(i in column for column in placed)]
    return {
        "n": len(texts),
        "k_ref": len(names),
        "k": len(set(auto)),
        "ari": adjusted_rand_score(labels, auto),
        "ami": adjusted_mutual_info_score(labels, auto),
        "seeded": sum(names[seeded[i]] == labels[i] for i in range(len(texts))) / len(texts),
        "assist": sum(names[assisted[i]] == labels[i] for i in rest) / len(rest) if rest else 1.0,
    }


def synthesise(sets: list[tuple[str, list[str], list[str]]], count: int) -> list[str]:
    """Return `count` texts: the shared texts, then new ones spliced from two of them (first half of one,
    second half of another), every fourth with a typo, in capitals or in lower case, so nearly all differ."""
    pool = [text for _, texts, _ in sets for text in texts]
    out: list[str] = list(pool[:count])
    round_number = 1
    while len(out) < count:
        for position, text in enumerate(pool):
            if len(out) == count:
                break
            other = pool[(position * 7 + round_number * 13) % len(pool)].split()
            words = text.split()
            spliced = words[: max(1, len(words) // 2)] + other[len(other) // 2 :]
            kind = (position + round_number) % 4
            if kind == 1:
                longest = max(range(len(spliced)), key=lambda i: (len(spliced[i]), -i))
                word = spliced[longest]
                spliced[longest] = word[:-2] + word[-1] + word[-2] if len(word) > 3 else word + word[-1]
            variant = " ".join(spliced)
            out.append(variant.upper() if kind == 2 else variant.lower() if kind == 3 else variant)
        round_number += 1
    return out


def time_call(function, *args) -> float:  # noqa: ANN001
    """Return the median wall time of three calls (the machine may be busy with other work)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def speed(sets: list[tuple[str, list[str], list[str]]], count: int) -> dict[str, float]:
    texts = synthesise(sets, count)
    names = ["Vertrouwen en relatie", "Tijd en capaciteit", "Regie en afstemming", "Geld en voorzieningen",
             "Preventie", "Ouders als partner", "Taal en cultuur"]
    placed = [[i * 2, i * 2 + 1] for i in range(len(names))]
    clustering.suggest(texts[:50])  # warm-up: imports, word list, lexicon
    copies = sum(len(group) - 1 for group in clustering.near_duplicates(texts))
    return {
        "items": len(texts),
        "distinct": len(texts) - copies,
        "suggest_s": round(time_call(clustering.suggest, texts), 3),
        "suggest_8_themes_s": round(time_call(clustering.suggest, texts, 8), 3),
        "seeded_s": round(time_call(clustering.seeded, texts, names), 3),
        "assist_s": round(time_call(clustering.assist, texts, placed, names), 3),
        "near_duplicates_s": round(time_call(clustering.near_duplicates, texts), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the labelled *.json sets")
    parser.add_argument("--speed", action="store_true", help="also time each mode on synthesised contributions")
    parser.add_argument("--speed-items", type=int, default=1000, help="how many contributions to time (default 1000)")
    args = parser.parse_args()
    sets = load(args.data)
    if not sets:
        parser.error(f"no *.json files in {args.data}")
    rows = {}
    print(f"{'file':6} {'n':>4} {'k':>3} {'ref':>4} {'ARI':>6} {'AMI':>6} {'seeded':>7} {'assist':>7}")
    for name, texts, labels in sets:
        row = score_file(texts, labels)
        rows[name] = row
        print(f"{name:6} {row['n']:4d} {row['k']:3d} {row['k_ref']:4d} {row['ari']:6.3f} {row['ami']:6.3f}"
              f" {row['seeded']:7.1%} {row['assist']:7.1%}")
    mean = {key: statistics.fmean(float(row[key]) for row in rows.values()) for key in ("ari", "ami", "seeded", "assist")}
    print(f"{'mean':6} {'':4} {'':3} {'':4} {mean['ari']:6.3f} {mean['ami']:6.3f} {mean['seeded']:7.1%} {mean['assist']:7.1%}")
    result: dict[str, object] = {"mean": {key: round(value, 4) for key, value in mean.items()},
                                 "files": {name: {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}
                                           for name, row in rows.items()}}
    if args.speed:
        timing = speed(sets, args.speed_items)
        print(" ".join(f"{key}={value}" for key, value in timing.items()))
        result["speed"] = timing
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
