"""Verdichten: fold near-duplicates and paraphrases among one group's cards into statements with their support.

A group is one buffer, one theme or one block of a werkvorm. `condense` takes its cards (id, text, who sent it,
from which perspective) and returns statements: the cards that say the same thing, the most representative
wording among them, how often it was said (support) and the perspectives behind it, most support first.

How cards are compared is pluggable (`Similarity`): the default is lexical (stems of the content words plus
character n-grams; an unknown word one letter away from a word the room wrote far more often is read as that word,
so "Steun oudres" meets "Steun ouders"); a sentence encoder can be plugged in by passing a function that returns
the cosine similarities of the texts. Cards are folded by average linkage cut at a fixed similarity (`FOLD_AT`): a
card joins a statement only when it is close to the statement's cards on average, never by a chain of small steps,
so a statement's support counts cards that really say the same thing. A small statement whose wording is very close
to a bigger one's (`ATTACH_AT`) then joins it. On the paraphrased 300-phone room of the tests every statement of
50 or more cards holds one source text only; on the hand-labelled sets only true near-duplicates fold.

Pure and deterministic: the same cards give the same statements in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from facilitator.core.domain.verdichting import MAX_STATEMENT, ReviewedStatement
from facilitator.core.text import nl as text_nl

FloatArray = NDArray[np.float64]
#: Returns the n x n cosine similarities (0..1) of n texts.
Similarity = Callable[[Sequence[str]], FloatArray]

#: Two groups of cards fold into one statement when their average similarity reaches this. With the default
#: similarity, paraphrases of one card (facilitator/testing/verdichten.py) mostly score 0.45-0.9, different cards of one
#: buffer of the hand-labelled sets 0.0-0.3.
FOLD_AT = 0.42
#: A small statement whose wording is this close to a bigger statement's wording joins it (a typo, a lead-in such as
#: "Als mens:"): average linkage keeps them apart when the bigger statement's many variants dilute the average.
#: Typo variants of one card score 0.55-0.8 wording to wording, different points of one buffer at most 0.53.
ATTACH_AT = 0.55
#: Weight of the character n-grams against the word stems in the default similarity.
CHARACTER_WEIGHT = 0.4


@dataclass(frozen=True)
class Card:
    """One raw contribution as verdichten sees it."""

    id: str
    text: str
    #: Who sent it (a participant id), to count people rather than cards; "" when unknown.
    author: str = ""
    #: The author's perspective value ("ouder", "zorg", ...), "" when none given.
    perspective: str = ""


@dataclass(frozen=True)
class Statement:
    """Cards that say the same thing, in one wording."""

    #: Stable for the same cards: the id of its representative card.
    id: str
    text: str
    #: The card ids it folds, the representative first.
    cards: tuple[str, ...]
    #: (perspective, number of people) behind it, most people first; "" = none given.
    perspectives: tuple[tuple[str, int], ...] = ()
    #: proposed | accepted | edited | dropped (see domain.verdichting.STATUSES).
    status: str = "proposed"

    @property
    def support(self) -> int:
        """Return how many cards it folds."""
        return len(self.cards)


def _normal(text: str) -> str:
    # Numbers are left out of the comparison: "(7)" or "2x" rarely carry the point, and a number no other card
    # has would keep two wordings of one point apart.
    return " ".join(w for w in text_nl.words(text) if not w.isdigit())


def _surface(written: Sequence[str]) -> str:
    """Return how a wording reads best: as most people wrote it, and among equals as a sentence (capital, full stop)."""
    counted: dict[str, int] = {}
    for text in written:
        line = " ".join(text.split())
        counted[line] = counted.get(line, 0) + 1
    return max(counted, key=lambda line: (counted[line], line[:1].isupper(), line.endswith((".", "!", "?"))))


#: A word Dutch does not know is read as a typo of a word the room wrote at least this many times as often, when one
#: letter (dropped, added, changed or swapped) tells them apart: "oudres" is "ouders".
TYPO_RATIO = 5
_TYPO_MIN_LENGTH = 4


def _deletions(word: str) -> set[str]:
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


def _typo_fixes(word_lists: Sequence[Sequence[str]], weights: Sequence[int]) -> dict[str, str]:
    """Return unknown words mapped to the much more frequent word of the room they are a typo of."""
    counts: dict[str, int] = {}
    for words, weight in zip(word_lists, weights, strict=True):
        for word in words:
            counts[word] = counts.get(word, 0) + weight
    index: dict[str, list[str]] = {}
    for word, n in counts.items():
        if n >= TYPO_RATIO:
            for variant in _deletions(word):
                index.setdefault(variant, []).append(word)
    fixes = {}
    for word, n in counts.items():
        if len(word) < _TYPO_MIN_LENGTH or word.isdigit() or text_nl.zipf(word) > 0:
            continue
        found = {target for v in _deletions(word) for target in index.get(v, ())
                 if target != word and abs(len(target) - len(word)) <= 1 and counts[target] >= TYPO_RATIO * n}
        if found:
            fixes[word] = max(found, key=lambda w: (counts[w], w))
    return fixes


def lexical_similarity(texts: Sequence[str], weights: Sequence[int] | None = None) -> FloatArray:
    """Return the cosine similarities of texts by their word stems and character n-grams, typos read as meant.

    `weights` says how many cards wrote each text (1 each when not given): it tells a typo from a word.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    if n == 0:
        return np.zeros((0, 0))
    word_lists = [[w for w in text_nl.words(t) if not w.isdigit()] for t in texts]
    fixes = _typo_fixes(word_lists, weights or [1] * n)
    word_lists = [[fixes.get(w, w) for w in words] for words in word_lists]
    stems = [" ".join(text_nl.stem(w) for w in words if len(w) > 1 and w not in text_nl.STOP_WORDS)
             for words in word_lists]
    normal = [" ".join(words) for words in word_lists]
    blocks = []
    for analyzer, weight, prepared in (("word", 1 - CHARACTER_WEIGHT, stems),
                                       ("char_wb", CHARACTER_WEIGHT, normal)):
        if not any(prepared):
            continue
        if analyzer == "word":
            vectorizer = TfidfVectorizer(analyzer="word", sublinear_tf=True, lowercase=False, token_pattern=r"\S+")
        else:
            vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=False)
        try:
            matrix = vectorizer.fit_transform(prepared)
        except ValueError:  # nothing left to count (only stop words)
            continue
        blocks.append(np.sqrt(weight) * sparse.csr_matrix(matrix, dtype=np.float64))
    if not blocks:
        return np.eye(n)
    vectors = sparse.hstack(blocks, format="csr")
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    vectors = sparse.csr_matrix(sparse.diags(1.0 / norms) @ vectors)
    similarity = np.asarray((vectors @ vectors.T).toarray(), dtype=np.float64)
    np.clip(similarity, 0.0, 1.0, out=similarity)
    np.fill_diagonal(similarity, 1.0)
    return similarity


def _labels(similarity: FloatArray, fold_at: float) -> NDArray[np.int64]:
    n = similarity.shape[0]
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    distance = (distance + distance.T) / 2
    tree = linkage(squareform(distance, checks=False), method="average")
    return np.asarray(fcluster(tree, t=1.0 - fold_at, criterion="distance"), dtype=np.int64) - 1


def _representative(texts: Sequence[str], members: Sequence[int], similarity: FloatArray,
                    weights: Sequence[int]) -> int:
    """Return the wording most people typed; among equals the one closest to the others, then the shorter."""
    if len(members) == 1:
        return members[0]
    most = max(weights[m] for m in members)
    if most > 1:
        members = [m for m in members if weights[m] == most]
        if len(members) == 1:
            return members[0]
    block = similarity[np.ix_(members, members)]
    w = np.asarray([weights[m] for m in members], dtype=np.float64)
    centrality = block @ w / w.sum()

    def score(k: int) -> tuple[float, int, str]:
        text = texts[members[k]]
        # Complete sentences read better in a verslag; a little extra length is worth that. A word Dutch does not
        # know is most often a typo: the wording with fewer of them wins among close ones.
        finished = 0.02 if text.rstrip().endswith((".", "!", "?")) and text[:1].isupper() else 0.0
        unknown = sum(1 for w in text_nl.words(text) if len(w) >= 4 and not w.isdigit() and text_nl.zipf(w) == 0)
        return (-(round(float(centrality[k]), 3) + finished - 0.05 * unknown), len(text), text)

    return members[min(range(len(members)), key=score)]


def _attach_small(clusters: list[tuple[list[int], int]], matrix: FloatArray, weights: Sequence[int],
                  fold_at: float) -> list[tuple[list[int], int]]:
    """Return the clusters with each one joined to the biggest earlier one whose wording is close to its own."""
    if fold_at > ATTACH_AT or len(clusters) < 2:
        return clusters
    # Biggest first, so a small one joins the strongest statement it resembles; wordings never change.
    order = sorted(range(len(clusters)), key=lambda c: -sum(weights[m] for m in clusters[c][0]))
    reps = np.asarray([clusters[c][1] for c in order])
    close = matrix[np.ix_(reps, reps)] >= ATTACH_AT
    joined: list[tuple[list[int], int]] = []
    into: dict[int, int] = {}
    for position, c in enumerate(order):
        earlier = np.flatnonzero(close[position, :position])
        target = next((into[int(e)] for e in earlier if int(e) in into), None)
        if target is None:
            into[position] = len(joined)
            joined.append((list(clusters[c][0]), clusters[c][1]))
        else:
            joined[target][0].extend(clusters[c][0])
    return joined


def _perspectives(cards: Sequence[Card]) -> tuple[tuple[str, int], ...]:
    people: dict[str, set[str]] = {}
    for card in cards:
        people.setdefault(card.perspective, set()).add(card.author or card.id)
    counted = [(p, len(who)) for p, who in people.items()]
    return tuple(sorted(counted, key=lambda pn: (-pn[1], pn[0] == "", pn[0])))


def statement_of(cards: Sequence[Card], text: str = "", *, similarity: Similarity | None = None) -> Statement:
    """Return one statement folding these cards, worded as given or by its most representative card."""
    if not cards:
        raise ValueError("a statement needs at least one card")
    texts = [c.text for c in cards]
    first = 0
    if not text:
        matrix = (similarity or lexical_similarity)(texts) if len(cards) > 1 else np.eye(1)
        first = _representative(texts, list(range(len(cards))), matrix, [1] * len(cards))
        text = " ".join(texts[first].split())
    ordered = [cards[first], *(c for i, c in enumerate(cards) if i != first)]
    return Statement(id=cards[first].id, text=text, cards=tuple(c.id for c in ordered),
                     perspectives=_perspectives(ordered))


def condense(cards: Sequence[Card], *, similarity: Similarity | None = None,
             fold_at: float = FOLD_AT) -> tuple[Statement, ...]:
    """Return the statements these cards fold into, most support first (then first said first)."""
    cards = [c for c in cards if c.text.strip()]
    if not cards:
        return ()
    # Identical wordings (case, accents and punctuation aside) are one text to compare, with their weight:
    # a room of 300 repeats itself, and comparing each distinct wording once keeps verdichten fast.
    wordings: dict[str, list[int]] = {}
    for i, card in enumerate(cards):
        wordings.setdefault(_normal(card.text) or card.text.strip().casefold(), []).append(i)
    groups = list(wordings.values())
    texts = [_surface([cards[i].text for i in g]) for g in groups]
    weights = [len(g) for g in groups]
    if len(texts) < 2:
        matrix = np.eye(len(texts))
    else:
        matrix = similarity(texts) if similarity else lexical_similarity(texts, weights)
    labels = _labels(matrix, fold_at)
    clusters = []
    for label in sorted(set(labels.tolist())):
        members = [i for i in range(len(texts)) if labels[i] == label]
        clusters.append((members, _representative(texts, members, matrix, weights)))
    statements = []
    for members, best in _attach_small(clusters, matrix, weights, fold_at):
        members = [best, *(m for m in members if m != best)]
        # The representative wording's cards first, then the others in the order they came in.
        order = groups[best] + sorted(i for m in members if m != best for i in groups[m])
        folded = [cards[i] for i in order]
        statements.append(Statement(id=folded[0].id, text=texts[best], cards=tuple(c.id for c in folded),
                                    perspectives=_perspectives(folded)))
    position = {card.id: i for i, card in enumerate(cards)}
    return tuple(sorted(statements, key=lambda s: (-s.support, min(position[c] for c in s.cards))))


# -- the facilitator's review ------------------------------------------------------------------------------


def reviewed(groups: Mapping[str, Sequence[Card]], stored: Sequence[ReviewedStatement], *,
             similarity: Similarity | None = None) -> dict[str, tuple[Statement, ...]]:
    """Return each group's statements: the facilitator's where reviewed, the tool's proposal for cards that are not.

    A stored statement keeps only the cards still in its group (a card may have been hidden or moved since); cards
    no stored statement holds (sent or moved in later) are condensed among themselves and added as proposals.
    """
    result: dict[str, tuple[Statement, ...]] = {}
    for group, cards in groups.items():
        by_id = {c.id: c for c in cards if c.text.strip()}
        statements: list[Statement] = []
        held: set[str] = set()
        for review in stored:
            if review.group != group:
                continue
            members = [by_id[c] for c in review.cards if c in by_id and c not in held]
            if not members:
                continue
            held.update(c.id for c in members)
            made = statement_of(members, review.text, similarity=similarity)
            statements.append(replace(made, id=review.id, status=review.status))
        rest = [c for c in cards if c.id in by_id and c.id not in held]
        statements.extend(condense(rest, similarity=similarity))
        order = {c.id: i for i, c in enumerate(cards)}
        result[group] = tuple(sorted(statements, key=lambda s: (-s.support, min(order[c] for c in s.cards))))
    return result


def snapshot(groups: Mapping[str, Sequence[Statement]]) -> tuple[ReviewedStatement, ...]:
    """Return the statements as they are now, in the form the review is stored in."""
    return tuple(
        # The wording is kept too: once the facilitator reviews, a proposal no longer moves under their hands.
        ReviewedStatement(id=s.id, group=group, cards=s.cards, text=s.text, status=s.status)
        for group, statements in groups.items() for s in statements
    )


class ReviewError(ValueError):
    """An action that does not fit the statements (an unknown statement, a split of one card, ...)."""


def _find(statements: Sequence[ReviewedStatement], statement_id: str) -> int:
    for i, s in enumerate(statements):
        if s.id == statement_id:
            return i
    raise ReviewError(f"no statement {statement_id}")


def act(statements: Sequence[ReviewedStatement], action: str, ids: Sequence[str], *, text: str = "",
        cards: Sequence[str] = ()) -> tuple[ReviewedStatement, ...]:
    """Return the statements after one of the facilitator's actions: accept, edit, merge, split, drop, restore."""
    out = list(statements)
    if not ids:
        raise ReviewError("which statement?")
    i = _find(out, ids[0])
    first = out[i]
    if action == "accept":
        out[i] = replace(first, status="edited" if first.status == "edited" else "accepted")
    elif action == "restore":
        out[i] = replace(first, status="proposed")
    elif action == "drop":
        out[i] = replace(first, status="dropped")
    elif action == "edit":
        wording = " ".join(text.split())
        if not wording or len(wording) > MAX_STATEMENT:
            raise ReviewError(f"a wording of 1 to {MAX_STATEMENT} characters")
        out[i] = replace(first, text=wording, status="edited")
    elif action == "merge":
        others = [out[_find(out, other)] for other in dict.fromkeys(ids[1:]) if other != first.id]
        if not others:
            raise ReviewError("merge needs two statements")
        if any(o.group != first.group for o in others):
            raise ReviewError("only statements of one group can be merged")
        gone = {o.id for o in others}
        merged = first.cards + tuple(c for o in others for c in o.cards)
        out[i] = replace(first, cards=merged)
        out = [s for s in out if s.id not in gone]
    elif action == "split":
        moved = [c for c in dict.fromkeys(cards) if c in first.cards] if cards else list(first.cards[1:])
        if len(first.cards) < 2 or not moved or len(moved) == len(first.cards):
            raise ReviewError("split needs a statement of two or more cards and some of its cards")
        stay = tuple(c for c in first.cards if c not in moved)
        keeps_wording = stay[0] == first.cards[0]
        out[i] = replace(first, id=stay[0], cards=stay, text=first.text if keeps_wording else "",
                         status=first.status if keeps_wording else "proposed")
        new = ([ReviewedStatement(id=c, group=first.group, cards=(c,)) for c in moved] if not cards
               else [ReviewedStatement(id=moved[0], group=first.group, cards=tuple(moved))])
        out[i + 1:i + 1] = new
    else:
        raise ReviewError(f"unknown action {action}")
    return tuple(out)
