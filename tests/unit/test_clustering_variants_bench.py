"""bench/clustering_variants.py: its re-implementation is the product's sorting rule, so its variants compare fairly."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

from facilitator.core.clustering import clusters as clustering

ROOT = Path(__file__).resolve().parents[2]


def _bench():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("clustering_variants", ROOT / "bench" / "clustering_variants.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _bench()


def _columns(result: clustering.Clustering, n: int) -> np.ndarray:
    out = np.full(n, -1)
    for column, theme in enumerate(result.themes):
        out[list(theme.items)] = column
    return out


def test_the_centroid_variant_sorts_exactly_as_the_product_does() -> None:
    sets = {s.name: s for s in bench.quality.load(bench.quality.DEFAULT_DATA)}
    for name in ("T05", "T06"):
        s = sets[name]
        n = len(s.texts)
        gram = bench.scaled(bench.kernels(s, None)["lex"], n)
        seeded = bench.centroid(gram, n, [[] for _ in s.names]).argmax(axis=1)
        assert (seeded == _columns(clustering.seeded(s.texts, s.names), n)).all()
        assisted = bench.centroid(gram, n, s.placed).argmax(axis=1)
        product = _columns(clustering.assist(s.texts, s.placed, s.names), n)
        rest = [i for i in range(n) if not any(i in column for column in s.placed)]
        assert (assisted[rest] == product[rest]).all()


def test_self_training_without_rounds_is_the_products_rule_and_with_rounds_rebuilds_columns() -> None:
    # Two themes; the name of the second matches only one text, so rebuilding from confident texts matters.
    texts = ["wachtlijst jeugdzorg lang", "lange wachtlijst", "wachttijd jeugdzorg", "ouders thuis", "ouder thuis steun"]
    space = clustering.text_space([*texts, "wachtlijst", "ouders"])
    gram = np.asarray((space.vectors @ space.vectors.T).toarray())
    placed: list[list[int]] = [[], []]
    plain = bench.centroid(gram, 5, placed)
    assert np.allclose(bench.selftrain(gram, 5, placed, rounds=0), plain)
    assert list(bench.selftrain(gram, 5, placed, rounds=2, top=2).argmax(axis=1)) == [0, 0, 0, 1, 1]


def test_without_the_encoder_no_variant_asks_for_embeddings() -> None:
    for mode in ("seeded", "assist"):
        for lexicon in ("lex", "lexoff"):
            grids = bench.variants(mode, lexicon, encoder=False)
            mixes = [mix for grid in grids.values() for _, mix, _ in grid]
            assert mixes and not any(key.startswith("enc") for mix in mixes for key in mix)
            # The product's rule on its own representation is always among the variants.
            assert f"centroid {lexicon}" in grids
