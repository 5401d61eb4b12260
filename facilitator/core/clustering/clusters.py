"""Group participants' contributions into themes ("rode draden"): pure, deterministic, Dutch-aware.

Three modes share one representation of the texts:

- `suggest`: the clusterer proposes themes; the number is chosen automatically unless the facilitator sets it.
- `seeded`: the facilitator typed theme names first; every contribution is sorted under one of them.
- `assist`: the facilitator placed some cards; the rest are suggested from those examples (and the names).

How a text becomes a vector: the stems of its words and of the parts of glued compounds
(schoolaanwezigheid -> school + aanwezigheid), weighted by TF-IDF over the texts at hand and by how rare the
word is in Dutch (wordfreq), plus the concepts of a small hand-made lexicon of the domain
(`data/thema_lexicon_nl.txt`: "wantrouwen" and "vertrouwen opbouwen" share a concept), plus character
n-grams of 3 to 5 letters so typos, inflections and one-word cards still meet their neighbours.

`suggest` first folds near-duplicates into one text, then runs several clusterings of the cosine similarities
(spectral clustering on the full graph and on a k-nearest-neighbour graph, average linkage on shared
neighbours) for a few numbers of themes around the target, and clusters how often two texts ended up together
(consensus): that is steadier on 10 to 100 short texts than any single method. The automatic number of themes
is the square root of the number of texts (the shape of the hand-labelled sets), moved by one where the
silhouette says so. `seeded` and `assist` sort each text to the nearest theme, a theme being its name plus
the mean of the cards placed in it; a theme with fewer than two cards borrows its clearest matches as cards.

Measured on the hand-labelled sets (bench/clustering_quality.py), leave-one-set-out (tunables chosen on nine
sets, scored on the tenth): mean ARI 0.285, seeded 65.9 % placed right, assist with two cards per theme 71.4 %
(in-sample: 0.312, 67.3 %, 71.4 %); the hand lexicon was written while looking at those sets, and without it
LOSO gives 0.209, 62.9 %, 60.4 %. 1,000 texts take about 1 s of CPU.

Every mode also accepts sentence embeddings from the caller (`embeddings=`, `name_embeddings=`). `suggest` and
`assist` mix them in only by the shares in `Settings`, which ship at 0 (with the multilingual USE encoder,
leave-one-set-out did worse on the held-out sets: automatic ARI 0.270 against 0.285; assist 71.4 % either way).
`seeded` given embeddings uses SEEDED_WITH_EMBEDDINGS: the words, character n-grams of the raw text and the
embeddings joined into one vector, and each column rebuilt once from the texts it holds most clearly; that
scored 70.8 % leave-one-set-out against 65.9 % (66.7 % against 62.9 % without the lexicon), at about 0.8 s of
CPU for 1,000 texts once their embeddings exist. The clusterer never loads an encoder itself: without
embeddings every mode is the lexical one above (bench/README.md has the measurements).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.cluster.hierarchy import cut_tree, fcluster, linkage
from scipy.spatial.distance import squareform

from facilitator.core.clustering.duplicates import near_duplicate_groups, near_duplicates
from facilitator.core.clustering.labels import ThemeSuggestion, label_theme, theme_label
from facilitator.core.clustering.settings import (
    BORROWED_WEIGHT,
    CARDS_PER_COLUMN,
    CHARACTER_WEIGHT,
    CONCEPT_WEIGHT,
    CONSENSUS_FACTORS,
    MAX_AUTOMATIC_THEMES,
    NAME_WEIGHT,
    NEIGHBOURS,
    PLACED_WEIGHT,
    RANDOM_STATE,
    SEEDED_WITH_EMBEDDINGS,
    SETTINGS,
    THEMES_PER_SQRT_TEXTS,
    Settings,
)
from facilitator.core.clustering.space import (
    FloatArray,
    IntArray,
    Space,
    normalize_rows,
    similarity_of,
    text_space,
)
from facilitator.core.domain.board import theme_count_warning

#: The clusterer's API; the tunables (settings.py) and labels (labels.py) are re-exported for the bench and tests.
__all__ = [
    "BORROWED_WEIGHT",
    "CARDS_PER_COLUMN",
    "CHARACTER_WEIGHT",
    "CONCEPT_WEIGHT",
    "CONSENSUS_FACTORS",
    "Clustering",
    "MAX_AUTOMATIC_THEMES",
    "NAME_WEIGHT",
    "NEIGHBOURS",
    "PLACED_WEIGHT",
    "RANDOM_STATE",
    "SEEDED_WITH_EMBEDDINGS",
    "SETTINGS",
    "Settings",
    "THEMES_PER_SQRT_TEXTS",
    "ThemeSuggestion",
    "assist",
    "count_warning",
    "label_theme",
    "near_duplicates",
    "seeded",
    "suggest",
]


@dataclass(frozen=True)
class Clustering:
    """A grouping of all input texts: every index is in exactly one theme."""

    themes: tuple[ThemeSuggestion, ...]
    #: None, or "few" (< 3 themes) or "many" (> 10 themes): "een handvol" is what a room can hold.
    warning: str | None = None


def count_warning(n_themes: int) -> str | None:
    """Return "few", "many" or None for a number of themes."""
    return theme_count_warning(n_themes)


# --- suggestion ---------------------------------------------------------------------------------------------


def _automatic_count(n_texts: int, settings: Settings = SETTINGS) -> int:
    return max(1, min(n_texts, MAX_AUTOMATIC_THEMES, round(settings.themes_per_sqrt_texts * math.sqrt(n_texts))))


def _nearest_neighbour_mask(similarity: FloatArray, neighbours: int) -> NDArray[np.bool_]:
    n = len(similarity)
    others = similarity.copy()
    np.fill_diagonal(others, -1.0)
    nearest = np.argsort(-others, axis=1, kind="stable")[:, : min(neighbours, n - 1)]
    mask = np.zeros((n, n), dtype=bool)
    mask[np.repeat(np.arange(n), nearest.shape[1]), nearest.ravel()] = True
    return mask


def _spectral_labels(affinity: FloatArray, counts: Sequence[int]) -> list[IntArray]:
    """Cluster one affinity graph at several counts, sharing one spectral embedding."""
    from sklearn.cluster import KMeans
    from sklearn.manifold import spectral_embedding

    # Many restarts steady k-means on a few dozen texts; on hundreds the embedding is steady enough with fewer.
    restarts = 10 if len(affinity) <= 200 else 3
    embedding = spectral_embedding(
        affinity, n_components=max(counts), drop_first=False, random_state=RANDOM_STATE
    )
    return [
        np.asarray(
            KMeans(n_clusters=count, n_init=restarts, random_state=RANDOM_STATE).fit_predict(embedding[:, :count]),
            dtype=np.int64,
        )
        for count in counts
    ]


def _average_linkage_labels(similarity: FloatArray, counts: Sequence[int]) -> list[IntArray]:
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(np.clip(distance, 0.0, None), checks=False), method="average")
    labels = []
    for count in counts:
        cut = np.asarray(fcluster(tree, t=count, criterion="maxclust"), dtype=np.int64)
        if len(np.unique(cut)) != count:
            # Several merges at the same height: cut_tree (slower) still gives exactly `count` groups.
            cut = np.asarray(cut_tree(tree, n_clusters=[count])[:, 0], dtype=np.int64)
        labels.append(cut)
    return labels


def _co_membership(similarity: FloatArray, count: int) -> FloatArray:
    """Return how often two texts land in one group over several clusterings near `count` groups."""
    n = len(similarity)
    counts = sorted({min(n - 1, max(2, round(factor * count))) for factor in CONSENSUS_FACTORS})
    mask = _nearest_neighbour_mask(similarity, NEIGHBOURS)
    # Sparse graph: keep an edge when either end counts the other among its nearest neighbours.
    knn_graph = np.where(mask | mask.T, similarity, 0.0) + 1e-4
    # Shared neighbours: two texts whose nearest neighbours overlap belong together even if they share no word.
    shared = (mask.astype(np.float64) @ mask.T.astype(np.float64)) / max(1, min(NEIGHBOURS, n - 1))
    runs = [
        *_spectral_labels(similarity + 1e-3, counts),
        *_spectral_labels(knn_graph, counts),
        *_average_linkage_labels(0.5 * shared + 0.5 * similarity, counts),
    ]
    together = np.zeros((n, n))
    for labels in runs:
        together += labels[:, None] == labels[None, :]
    return together / len(runs)


def _silhouette(similarity: FloatArray, labels: IntArray) -> float:
    from sklearn.metrics import silhouette_score

    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    return float(silhouette_score(np.clip(distance, 0.0, None), labels, metric="precomputed"))


def _consensus_labels(
    similarity: FloatArray,
    count: int,
    automatic: bool,
    semantic: FloatArray | None = None,
    settings: Settings = SETTINGS,
) -> IntArray:
    """Cluster by consensus into `count` groups; when automatic, into count - 1, count or count + 1.

    `semantic` (embedding similarities) adds its own clusterings to the consensus, weighted by the settings."""
    n = len(similarity)
    if count <= 1:
        return np.zeros(n, dtype=np.int64)
    if count >= n:
        return np.arange(n, dtype=np.int64)
    together = _co_membership(similarity, count)
    if semantic is not None and settings.embedding_share > 0:
        share = settings.embedding_share
        together = (1 - share) * together + share * _co_membership(semantic, count)
    if not automatic or not settings.silhouette:
        return _average_linkage_labels(together, [count])[0]
    # The square-root rule gives the scale; the silhouette of the texts' own similarities picks the number.
    candidates = [k for k in (count, count - 1, count + 1) if 2 <= k < n]
    best_labels = _average_linkage_labels(together, [candidates[0]])[0]
    best_score = _silhouette(similarity, best_labels)
    for labels in _average_linkage_labels(together, candidates[1:]):
        score = _silhouette(similarity, labels)
        if score > best_score:
            best_labels, best_score = labels, score
    return best_labels


def _embedding_rows(embeddings: object, n: int) -> FloatArray | None:
    """Return the caller's embeddings as L2-normalised float rows, one per text, or None."""
    if embeddings is None:
        return None
    rows = np.asarray(embeddings, dtype=np.float64)
    if rows.ndim != 2 or rows.shape[0] != n:
        raise ValueError(f"embeddings: need one row per text ({n}), got shape {rows.shape}")
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(rows / norms, dtype=np.float64)


def _semantic_similarity(rows: FloatArray) -> FloatArray:
    """Cosine similarities of embeddings centred on the texts at hand (what they share says nothing)."""
    centred = rows - rows.mean(axis=0)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    centred = centred / norms
    similarity = np.asarray(centred @ centred.T, dtype=np.float64)
    np.clip(similarity, 0.0, 1.0, out=similarity)
    np.fill_diagonal(similarity, 1.0)
    return similarity


def suggest(
    texts: Sequence[str],
    n_themes: int | None = None,
    *,
    embeddings: object = None,
    settings: Settings = SETTINGS,
) -> Clustering:
    """Group texts into themes; the number is chosen automatically unless given.

    `embeddings` (optional, one sentence-embedding row per text) join the consensus when the settings say so."""
    if not texts:
        return Clustering(())
    semantic_rows = _embedding_rows(embeddings, len(texts))
    space = text_space(texts, settings)
    live = [index for index in range(len(texts)) if space.has_content(index)]
    empty = [index for index in range(len(texts)) if not space.has_content(index)]
    if not live:
        return _finish(texts, space, [list(range(len(texts)))], None, possible=1)
    # Near-duplicates are one voice: cluster one text per group, then bring the copies along.
    leader = {index: index for index in live}
    for group in near_duplicate_groups(texts, space.characters):
        for index in group:
            if index in leader:
                leader[index] = group[0]
    distinct = sorted(set(leader.values()))
    if n_themes is None:
        count = _automatic_count(len(distinct), settings)
    else:
        count = max(1, min(n_themes, len(distinct)))
    use_semantic = semantic_rows is not None and settings.embedding_share > 0 and len(distinct) > 2
    semantic = _semantic_similarity(semantic_rows[distinct]) if semantic_rows is not None and use_semantic else None
    labels = _consensus_labels(
        similarity_of(space.vectors[distinct]), count, automatic=n_themes is None, semantic=semantic, settings=settings
    )
    label_of = {index: int(label) for index, label in zip(distinct, labels, strict=True)}
    groups: dict[int, list[int]] = {}
    for index in live:
        groups.setdefault(label_of[leader[index]], []).append(index)
    ordered = sorted(groups.values(), key=lambda members: (-len(members), members[0]))
    # Empty cards say nothing; they go with the largest theme so every index is in exactly one.
    ordered[0] = sorted(ordered[0] + empty)
    return _finish(texts, space, ordered, None, possible=len(distinct))


# --- seeded and assist --------------------------------------------------------------------------------------


def seeded(
    texts: Sequence[str],
    names: Sequence[str],
    *,
    embeddings: object = None,
    name_embeddings: object = None,
    settings: Settings | None = None,
) -> Clustering:
    """Sort every text under one of the facilitator's theme names; themes come back in the order of the names.

    Without `settings`: SEEDED_WITH_EMBEDDINGS when embeddings are passed, else the lexical SETTINGS."""
    if not names:
        raise ValueError("seeded needs at least one theme name")
    semantic = _Semantic.of(embeddings, name_embeddings, texts, names)
    if settings is None:
        settings = SEEDED_WITH_EMBEDDINGS if semantic is not None else SETTINGS
    return _sort_under(texts, [[] for _ in names], list(names), semantic, settings)


def assist(
    texts: Sequence[str],
    placed: Sequence[Sequence[int]],
    names: Sequence[str] | None = None,
    *,
    embeddings: object = None,
    name_embeddings: object = None,
    settings: Settings = SETTINGS,
) -> Clustering:
    """Suggest a theme for every unplaced text from the cards the facilitator placed (and the column names)."""
    if names is not None and len(names) != len(placed):
        raise ValueError("names and placed must describe the same columns")
    if not placed:
        raise ValueError("assist needs at least one column")
    seen: set[int] = set()
    for column in placed:
        for index in column:
            if not 0 <= index < len(texts):
                raise ValueError(f"placed index {index} is not a text")
            if index in seen:
                raise ValueError(f"text {index} is placed twice")
            seen.add(index)
    semantic = _Semantic.of(embeddings, name_embeddings, texts, names if names is not None else [""] * len(placed))
    return _sort_under(
        texts, [sorted(column) for column in placed], list(names) if names is not None else None, semantic, settings
    )


@dataclass(frozen=True)
class _Semantic:
    """Sentence embeddings of the texts and of the typed theme names (an empty name has a zero row)."""

    items: FloatArray
    names: FloatArray

    @staticmethod
    def of(embeddings: object, name_embeddings: object, texts: Sequence[str], names: Sequence[str]) -> _Semantic | None:
        items = _embedding_rows(embeddings, len(texts))
        if items is None:
            return None
        rows = _embedding_rows(name_embeddings, len(names)) if name_embeddings is not None else None
        if rows is None:
            rows = np.zeros((len(names), items.shape[1]))
        if rows.shape[1] != items.shape[1]:
            raise ValueError("name_embeddings: not the width of the embeddings")
        rows[[index for index, name in enumerate(names) if not name.strip()]] = 0.0
        return _Semantic(items, rows)


#: The spread of a block's similarities is estimated on at most this many texts, evenly spaced (exact below).
_SPREAD_SAMPLE = 300


def _block_spread(rows: FloatArray | sparse.csr_matrix, n: int) -> float:
    """Return the standard deviation of the cosine similarities between the first n rows (1.0 when undefined)."""
    if n < 2:
        return 1.0
    if n > _SPREAD_SAMPLE:
        sample = np.unique(np.linspace(0, n - 1, _SPREAD_SAMPLE).round().astype(np.int64))
        texts, n = rows[sample], len(sample)
    else:
        texts = rows[:n]
    similarity = texts @ texts.T
    dense = np.asarray(similarity if isinstance(similarity, np.ndarray) else similarity.toarray(), dtype=np.float64)
    spread = float(dense[~np.eye(n, dtype=bool)].std())
    return spread if spread > 0 else 1.0


def _mixed_rows(
    texts: Sequence[str],
    names: Sequence[str],
    items: sparse.csr_matrix,
    name_rows: sparse.csr_matrix,
    semantic: _Semantic,
    weights: tuple[float, float, float],
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Join the lexical rows, raw-text character n-grams and centred embeddings into one vector per text and name.

    Each block is L2-normalised per row and scaled by sqrt(weight / spread), so that a block's share of a cosine
    does not depend on how similar its texts happen to be overall; the rows' norms then differ only per block
    weight, the same for every text, so comparing a text's scores across columns stays a comparison of cosines."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    lexical = sparse.vstack([items, name_rows], format="csr")
    both = [*texts, *names]
    if any(text.strip() for text in both):
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        characters = normalize_rows(vectorizer.fit_transform(both))
    else:
        characters = sparse.csr_matrix((len(both), 0), dtype=np.float64)
    meaning = np.vstack([semantic.items, semantic.names])
    centred = meaning - semantic.items.mean(axis=0)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    centred = centred / norms
    # A column without a typed name has no name vector in any block.
    centred[[n + index for index, name in enumerate(names) if not name.strip()]] = 0.0
    blocks = []
    for weight, block in zip(weights, (lexical, characters, centred), strict=True):
        if weight > 0 and block.shape[1] > 0:
            blocks.append(sparse.csr_matrix(math.sqrt(weight / _block_spread(block, n)) * block))
    # Sparse: the word and n-gram blocks of a thousand texts have tens of thousands of columns.
    joined = sparse.csr_matrix(sparse.hstack(blocks, format="csr"), dtype=np.float64)
    return joined[:n], joined[n:]


def _centroid_scores(
    items: FloatArray | sparse.csr_matrix,
    name_rows: FloatArray,
    placed: list[list[int]],
    borrowed: list[list[int]],
    settings: Settings,
) -> FloatArray:
    """Return text-by-column cosine scores; a column is its name plus the mean of its cards."""
    columns = len(placed)
    centroids = np.zeros((columns, items.shape[1]))
    for column in range(columns):
        centroid = NAME_WEIGHT * name_rows[column]
        if placed[column]:
            centroid = centroid + settings.placed_weight * np.asarray(items[placed[column]].mean(axis=0)).ravel()
        if borrowed[column]:
            centroid = centroid + settings.borrowed_weight * np.asarray(items[borrowed[column]].mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid)
        if norm > 0:
            centroids[column] = centroid / norm
    scores = np.asarray(items @ centroids.T, dtype=np.float64)
    # A column with neither name nor cards cannot attract anything.
    scores[:, np.linalg.norm(centroids, axis=1) == 0] = -1.0
    return scores


def _column_scores(
    items: FloatArray | sparse.csr_matrix,
    name_rows: FloatArray | sparse.csr_matrix,
    placed: list[list[int]],
    borrowed: list[list[int]],
    semantic: _Semantic | None,
    settings: Settings,
) -> FloatArray:
    """Return text-by-column scores: lexical, mixed with the embeddings' when given and wanted."""
    names = name_rows if isinstance(name_rows, np.ndarray) else name_rows.toarray()
    scores = _centroid_scores(items, names, placed, borrowed, settings)
    share = settings.sort_embedding_share
    if semantic is None or share <= 0:
        return scores
    meaning = _centroid_scores(semantic.items, semantic.names, placed, borrowed, settings)
    # A column that attracts nothing on one side keeps -1 there, so it stays last.
    return np.asarray((1 - share) * scores + share * meaning, dtype=np.float64)


def _sort_under(
    texts: Sequence[str],
    placed: list[list[int]],
    names: list[str] | None,
    semantic: _Semantic | None = None,
    settings: Settings = SETTINGS,
) -> Clustering:
    n, columns = len(texts), len(placed)
    typed = [name if names is not None and name.strip() else "" for name in (names or [""] * columns)]
    space = text_space([*texts, *typed], settings)
    vectors = space.vectors
    items, name_rows = vectors[:n], vectors[n:]
    fixed = {index for column in placed for index in column}
    score_items, score_names = items, name_rows
    mixed = semantic is not None and settings.sort_mix is not None
    if semantic is not None and settings.sort_mix is not None:
        # One vector per text from all three blocks; scores are then plain cosines, as in the lexical case.
        score_items, score_names = _mixed_rows(texts, typed, items, name_rows, semantic, settings.sort_mix)
        semantic = None
    scores = _column_scores(score_items, score_names, placed, [[] for _ in range(columns)], semantic, settings)
    # Self-training: a column with fewer than CARDS_PER_COLUMN placed cards borrows the texts that match it
    # most clearly (largest lead over the runner-up) as extra cards, so texts also meet texts, not only names.
    best = np.argmax(scores, axis=1)
    ordered = np.sort(scores, axis=1)
    lead = ordered[:, -1] - (ordered[:, -2] if columns > 1 else 0.0)
    borrowed: list[list[int]] = []
    for column in range(columns):
        wanted = settings.cards_per_column - len(placed[column])
        clear = [
            index for index in range(n) if index not in fixed and best[index] == column and scores[index, column] > 0
        ]
        clear.sort(key=lambda index: (-lead[index], index))
        borrowed.append(clear[: max(0, wanted)])
    scores = _column_scores(score_items, score_names, placed, borrowed, semantic, settings)
    if settings.refine_quantile is not None and columns > 1 and n > len(fixed):
        # Self-training: each column is rebuilt from the texts it now holds most clearly, so a column meets the
        # texts that match its first cards, not only the words of its name.
        best = np.argmax(scores, axis=1)
        ordered = np.sort(scores, axis=1)
        lead = ordered[:, -1] - ordered[:, -2]
        bar = float(np.quantile(lead, settings.refine_quantile))
        confident = [
            [index for index in range(n) if index not in fixed and best[index] == column and lead[index] >= bar]
            for column in range(columns)
        ]
        scores = _column_scores(score_items, score_names, placed, confident, semantic, settings)
    assignment = {index: int(np.argmax(scores[index])) for index in range(n)}
    for column, members in enumerate(placed):
        for index in members:
            assignment[index] = column
    # A text that matches no theme at all follows its most similar text that does (with embeddings every text has
    # a meaning to match on, and a cosine of centred embeddings may well be negative).
    unmatched = [index for index in range(n) if not mixed and index not in fixed and scores[index].max() <= 0]
    if unmatched and n > 1:
        similarity = np.asarray((items @ items.T).toarray())
        matched = np.array([index in fixed or scores[index].max() > 0 for index in range(n)])
        for index in unmatched:
            candidates = np.where(matched & (similarity[index] > 0))[0]
            candidates = candidates[candidates != index]
            if len(candidates):
                nearest = candidates[np.argmax(similarity[index, candidates])]
                assignment[index] = assignment[int(nearest)]
    _join_duplicates(texts, space.characters[:n], assignment, fixed)
    groups: list[list[int]] = [[] for _ in range(columns)]
    for index in range(n):
        groups[assignment[index]].append(index)
    sorted_space = Space(items, space.stems[:n], space.surfaces, space.commonness, space.characters[:n])
    return _finish(texts, sorted_space, groups, typed if names is not None else None, warn_count=columns)


# --- shared ending ------------------------------------------------------------------------------------------


def _join_duplicates(
    texts: Sequence[str], characters: sparse.csr_matrix, assignment: dict[int, int], fixed: set[int]
) -> None:
    """Put near-duplicates in one theme: the theme of a placed twin, else the one most of them are in."""
    for group in near_duplicate_groups(texts, characters):
        members = [index for index in group if index in assignment]
        if len(members) < 2:
            continue
        placed_twins = [index for index in members if index in fixed]
        if placed_twins:
            target = assignment[placed_twins[0]]
        else:
            votes = Counter(assignment[index] for index in members)
            top = max(votes.values())
            target = next(assignment[index] for index in members if votes[assignment[index]] == top)
        for index in members:
            if index not in fixed:
                assignment[index] = target


def _finish(
    texts: Sequence[str],
    space: Space,
    groups: list[list[int]],
    names: list[str] | None,
    warn_count: int | None = None,
    possible: int | None = None,
) -> Clustering:
    everyone = [index for members in groups for index in members]
    themes = []
    for position, members in enumerate(groups):
        member_set = set(members)
        others = [index for index in everyone if index not in member_set]
        theme = theme_label(space, sorted(members), others)
        if names is not None and names[position]:
            theme = ThemeSuggestion(names[position], theme.terms, theme.representative, theme.items)
        themes.append(theme)
    count = len(themes) if warn_count is None else warn_count
    warning = count_warning(count)
    if warning == "few" and possible is not None and count >= possible:
        warning = None  # there are not enough different texts for more themes
    return Clustering(tuple(themes), warning)

