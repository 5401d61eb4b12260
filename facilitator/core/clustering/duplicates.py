"""Near-duplicates: texts that say the same thing (after normalising, typos, a word more or less)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from scipy import sparse

from facilitator.core.clustering.space import character_block, normalize_rows
from facilitator.core.text import nl as text_nl

#: Words that flip a statement: never ignore them when comparing texts.
_NEGATIONS = frozenset({"niet", "geen", "niets", "nooit", "zonder"})
#: Texts whose character n-grams overlap less than this are not compared word by word.
_CANDIDATE_SIMILARITY = 0.5


def _comparable_words(text: str) -> tuple[str, ...]:
    return tuple(
        word
        for word in text_nl.words(text)
        if word in _NEGATIONS or (len(word) > 1 and word not in text_nl.STOP_WORDS)
    )


def _letter_distance(first: str, second: str) -> int:
    """Return the Levenshtein distance between two words."""
    previous = list(range(len(second) + 1))
    for i, left in enumerate(first, 1):
        current = [i]
        for j, right in enumerate(second, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right)))
        previous = current
    return previous[-1]


def typo_of(first: str, second: str) -> bool:
    shortest = min(len(first), len(second))
    if shortest < 4 or abs(len(first) - len(second)) > 2:
        return False
    return _letter_distance(first, second) <= (2 if shortest >= 8 else 1)


def _say_the_same(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Tell whether two word lists differ by at most a word (about one in seven for long texts), typos aside."""
    longest = max(len(first), len(second))
    allowed = 0 if longest < 3 else max(1, round(longest / 7))
    if abs(len(first) - len(second)) > allowed:
        return False
    left = Counter(first)
    left.subtract(Counter(second))
    only_first = sorted(word for word, count in left.items() for _ in range(max(0, count)))
    only_second = sorted(word for word, count in left.items() for _ in range(max(0, -count)))
    if _NEGATIONS.intersection(only_first) or _NEGATIONS.intersection(only_second):
        return False  # "niet" more or less turns the statement around
    if max(len(only_first), len(only_second)) > allowed + min(len(only_first), len(only_second)):
        return False
    # Pair the leftover words that are typos of each other; what stays unpaired is a real difference.
    unpaired = list(only_second)
    for word in only_first:
        match = next((other for other in unpaired if typo_of(word, other)), None)
        if match is not None:
            unpaired.remove(match)
    paired = len(only_second) - len(unpaired)
    return max(len(only_first), len(only_second)) - paired <= allowed


def near_duplicates(texts: Sequence[str]) -> list[tuple[int, ...]]:
    """Return groups of texts that say the same thing (exact after normalising, or near: typos, a word more or less)."""
    return near_duplicate_groups(texts, None)


def near_duplicate_groups(texts: Sequence[str], characters: sparse.csr_matrix | None) -> list[tuple[int, ...]]:
    keys = [_comparable_words(text) for text in texts]
    parent = list(range(len(texts)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def join(first: int, second: int) -> None:
        a, b = root(first), root(second)
        if a != b:
            parent[max(a, b)] = min(a, b)

    first_with_key: dict[tuple[str, ...], int] = {}
    distinct: list[int] = []
    for index, key in enumerate(keys):
        if not key:
            continue
        if key in first_with_key:
            join(first_with_key[key], index)
        else:
            first_with_key[key] = index
            distinct.append(index)
    if len(distinct) > 1:
        # Only texts that share enough letter sequences are compared word by word.
        if characters is None:
            rows = normalize_rows(character_block([" ".join(keys[index]) for index in distinct]))
        else:
            rows = characters[distinct]
        overlap = sparse.triu(rows @ rows.T, k=1).tocoo()
        for row, col, value in zip(overlap.row, overlap.col, overlap.data, strict=True):
            if value >= _CANDIDATE_SIMILARITY:
                first, second = distinct[row], distinct[col]
                if root(first) != root(second) and _say_the_same(keys[first], keys[second]):
                    join(first, second)
    groups: dict[int, list[int]] = {}
    for index in range(len(texts)):
        groups.setdefault(root(index), []).append(index)
    return sorted((tuple(members) for members in groups.values() if len(members) > 1), key=lambda group: group[0])
