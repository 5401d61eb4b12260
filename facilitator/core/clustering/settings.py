"""The clusterer's tunables, chosen by leave-one-set-out on the hand-labelled sets (bench/clustering_quality.py)."""

from __future__ import annotations

from dataclasses import dataclass

#: Automatic number of themes = this times the square root of the number of texts (10 -> 3, 40 -> 6, 90 -> 9),
#: then one more or one fewer where the silhouette of the texts' similarities prefers it.
THEMES_PER_SQRT_TEXTS = 1.0
#: The automatic number of themes never exceeds this; the facilitator can still ask for more.
MAX_AUTOMATIC_THEMES = 15
#: Weight of the character n-gram block against the word block (0..1).
CHARACTER_WEIGHT = 0.5
#: Weight of a lexicon concept against a word (words weigh 0.5..2 by rarity).
CONCEPT_WEIGHT = 2.0
#: Neighbours per text in the k-nearest-neighbour graphs of the consensus.
NEIGHBOURS = 6
#: The consensus clusters each text set at these multiples of the target number of themes.
CONSENSUS_FACTORS = (0.7, 0.9, 1.1, 1.3)
#: Weight of a theme's typed name in seeded and assist mode.
NAME_WEIGHT = 1.0
#: Weight of the mean of the cards placed in a theme, against its name, in assist mode.
PLACED_WEIGHT = 1.4
#: Seeded and assist mode treat the clearest matches as cards until a column has this many.
CARDS_PER_COLUMN = 2
#: Weight of those borrowed cards (their mean), against the name.
BORROWED_WEIGHT = 1.0
#: Fixed seed for k-means and the eigen-solver: the same texts give the same themes.
RANDOM_STATE = 0


@dataclass(frozen=True)
class Settings:
    """The clusterer's tunables; bench/clustering_quality.py chooses them by leave-one-set-out."""

    #: Automatic number of themes per square root of the number of texts.
    themes_per_sqrt_texts: float = THEMES_PER_SQRT_TEXTS
    #: Let the silhouette move the automatic number of themes by one.
    silhouette: bool = True
    #: Weight of the character n-gram block against the word block (0..1).
    character_weight: float = CHARACTER_WEIGHT
    #: Use the concepts of the hand lexicon (False: stems and n-grams only).
    concepts: bool = True
    #: suggest: share (0..1) of the sentence embeddings in the consensus, when the caller passes embeddings.
    embedding_share: float = 0.0
    #: seeded and assist: share (0..1) of the embeddings in a text's score for a column.
    sort_embedding_share: float = 0.0
    #: Weight of the mean of the placed cards against the column's name.
    placed_weight: float = PLACED_WEIGHT
    #: Weight of the borrowed cards against the column's name.
    borrowed_weight: float = BORROWED_WEIGHT
    #: Columns borrow their clearest matches as cards until they hold this many.
    cards_per_column: int = CARDS_PER_COLUMN
    #: seeded and assist, only when embeddings are passed: the weights of the lexical space, character n-grams of
    #: the raw text and the embeddings (centred on the texts at hand), each block scaled by the spread of its
    #: text-to-text similarities and joined into one vector per text (None: mix scores by sort_embedding_share).
    sort_mix: tuple[float, float, float] | None = None
    #: seeded and assist: after the first sort, rebuild every column from the texts it holds whose lead over their
    #: runner-up column is at least this quantile of all leads, and sort once more (None: keep the borrowed cards).
    refine_quantile: float | None = None


#: What the product uses (the bench's choice on all development sets).
SETTINGS = Settings()
#: What `seeded` uses when the caller passes sentence embeddings: the only variant of bench/clustering_variants.py
#: that beat the product's rule leave-one-set-out (seeded 70.8 % against 67.2 % there; without embeddings the
#: same refinement does not help, so SETTINGS stays the lexical default).
SEEDED_WITH_EMBEDDINGS = Settings(sort_mix=(0.5, 0.25, 0.25), refine_quantile=0.25)
