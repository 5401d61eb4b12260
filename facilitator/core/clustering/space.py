"""How a text becomes a vector: word stems and lexicon concepts (TF-IDF, weighted by rarity) plus character n-grams."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from facilitator.core.clustering.settings import CONCEPT_WEIGHT, SETTINGS, Settings
from facilitator.core.text import nl as text_nl

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]



@dataclass(frozen=True)
class Space:
    """The texts as L2-normalised rows, with what labels need."""

    #: One row per text (words and concepts, then character n-grams), rows of empty texts are zero.
    vectors: sparse.csr_matrix
    #: Per text: its word stems (not concepts), in order.
    stems: tuple[tuple[str, ...], ...]
    #: Stem -> the forms it was written in, with counts.
    surfaces: dict[str, Counter[str]]
    #: Stem -> how common its commonest written form is in Dutch (Zipf scale).
    commonness: dict[str, float]
    #: The character n-gram block alone (rows L2-normalised), to find near-duplicates.
    characters: sparse.csr_matrix

    def has_content(self, index: int) -> bool:
        start, end = self.vectors.indptr[index], self.vectors.indptr[index + 1]
        return bool(end > start)


def rarity(commonness: float) -> float:
    """Weight a word by how rare it is in Dutch: "de" 0.5 (floor), "school" 0.5, "wachttijd" 1.2, unknown 2.3."""
    return max(0.5, 7.0 - commonness) / 3.0


def _word_block(token_lists: list[list[text_nl.Token]]) -> tuple[sparse.csr_matrix, dict[str, float]]:
    n = len(token_lists)
    vocabulary = sorted({token.key for tokens in token_lists for token in tokens})
    column = {key: position for position, key in enumerate(vocabulary)}
    commonness: dict[str, float] = {}
    document_frequency: Counter[str] = Counter()
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for row, tokens in enumerate(token_lists):
        counts = Counter(token.key for token in tokens)
        document_frequency.update(counts.keys())
        for key, count in sorted(counts.items()):
            rows.append(row)
            cols.append(column[key])
            values.append(1.0 + math.log(count))
        for token in tokens:
            if token.surface:
                commonness[token.key] = max(commonness.get(token.key, 0.0), text_nl.zipf(token.surface))
    weights = np.array(
        [
            (math.log((1 + n) / (1 + document_frequency[key])) + 1.0)
            * (CONCEPT_WEIGHT if key.startswith("≈") else rarity(commonness.get(key, 0.0)))
            for key in vocabulary
        ]
    )
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(n, len(vocabulary)), dtype=np.float64)
    return normalize_rows(matrix @ sparse.diags(weights) if len(vocabulary) else matrix), commonness


def character_block(texts: Sequence[str]) -> sparse.csr_matrix:
    from sklearn.feature_extraction.text import TfidfVectorizer

    prepared = [" ".join(text_nl.content_words(text)) for text in texts]
    if not any(prepared):
        return sparse.csr_matrix((len(texts), 0), dtype=np.float64)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=False)
    return sparse.csr_matrix(vectorizer.fit_transform(prepared), dtype=np.float64)


def normalize_rows(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix(matrix, dtype=np.float64)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def text_space(texts: Sequence[str], settings: Settings = SETTINGS) -> Space:
    token_lists = [
        [token for token in text_nl.tokens(text) if settings.concepts or token.surface] for text in texts
    ]
    words, commonness = _word_block(token_lists)
    characters = normalize_rows(character_block(texts))
    weight = settings.character_weight
    combined = sparse.hstack([math.sqrt(1 - weight) * words, math.sqrt(weight) * characters], format="csr")
    surfaces: dict[str, Counter[str]] = {}
    for tokens in token_lists:
        for token in tokens:
            if token.surface:
                surfaces.setdefault(token.key, Counter())[token.surface] += 1
    stems = tuple(tuple(token.key for token in tokens if token.surface) for tokens in token_lists)
    return Space(normalize_rows(combined), stems, surfaces, commonness, characters)


def similarity_of(vectors: sparse.csr_matrix) -> FloatArray:
    dense = np.asarray((vectors @ vectors.T).toarray(), dtype=np.float64)
    np.clip(dense, 0.0, 1.0, out=dense)
    np.fill_diagonal(dense, 1.0)
    return dense
