"""Name suggested themes as a person would: a short phrase taken from the theme's most representative card.

A name is never a pair of stems ("ouder · erkenning") but words as the participants wrote them, at most
MAX_WORDS of them ("Erkenning aan de ouder", "Niet oordelen"). How: every card of a theme gets a score for how
well it stands for the theme (its mean similarity to the theme's other cards, minus part of its similarity to
the other themes' cards); every short span of a card's clauses gets a score for how distinctive its words are
(shared by the theme's cards, rare in the other themes); the best span of the best cards wins. Leading filler
("dat", "we moeten", "je kunt") and anything that looks like personal data (a telephone number, an e-mail
address, a first name: facilitator.verslag.privacy) never make it into a name.

Measured on the hand-labelled sets (bench/theme_names.py), share of reference themes whose name shares a content
word with the human label: design half (T01, T02, T04-T06) 62 % (stem pairs: 69 %), report half (T08, T18-T22,
never tuned on) 28 % (stem pairs: 45 %); names average 3.3-3.8 words. A stem pair wins that count because it
is made of the theme's most frequent words; it is not a name anyone keeps.
Pure and deterministic; the facilitator still accepts or edits every name before the room sees it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from facilitator.core.text import nl as text_nl
from facilitator.verslag.privacy import find_personal_data

#: Longest name, in words: a name is something you can read out, not a sentence.
MAX_WORDS = 5
#: How much a card's likeness to other themes counts against it as the theme's representative (0..1).
OTHERS_PENALTY = 0.5
#: Weight of how representative a card is, against how distinctive a span's words are.
CARD_WEIGHT = 0.6
#: A span that is a whole clause reads as a phrase someone wrote: this bonus prefers it over a cut-out.
WHOLE_CLAUSE_BONUS = 0.25
#: Each word beyond the first costs this much: shorter names are easier to keep.
WORD_COST = 0.04
#: Bonus per further member card that contains the same span (as words): what several people wrote is a name.
REPEAT_BONUS = 0.3
#: Cost of a verb like "hebben" or "moet" inside a span: it turns a name into a sentence.
VERB_COST = 0.2
_VERBS = frozenset(
    "moet moeten kan kunnen kun kunt zou zouden wil willen mag mogen zal zullen is zijn wordt worden werd heb hebben "
    "heeft".split()
)
#: Cards looked at for a span, best representative first.
CARDS_CONSIDERED = 4

#: Prepositions and conjunctions that are not stop words: a name neither starts nor ends with one.
_JOINERS = frozenset(
    "rond buiten binnen tussen achter onder boven tijdens vanuit richting ongeacht als zoals namelijk".split()
)
#: Words that may open a span although they are stop words: negations carry the meaning ("Niet oordelen").
_OPENERS = frozenset({"niet", "geen", "zonder", "samen", "elkaar"})
#: Words a name never starts with: subjects, modal and auxiliary verbs, "dat"-clauses and imperatives of
#: light verbs (the content that follows is the name: "Heb oog voor ..." -> "Oog voor ...").
_NEVER_FIRST = frozenset(
    """
    dat we wij je jij ik u men er het zij ze hij moet moeten kan kunnen kun kunt zou zouden wil willen mag mogen
    zal zullen is zijn wordt worden werd heb hebben heeft ga gaan gaat wees zorg laat blijf doe hou houd
    """.split()
) | _JOINERS
#: Words a name never ends with (besides stop words): a dangling verb of a cut clause, or a joiner.
_NEVER_LAST = _JOINERS | {"moet", "moeten", "kan", "kunnen", "is", "zijn", "wordt", "worden", "heeft", "hebben"}
_CLAUSE = re.compile(r"[^.!?;:\n()\[\]/,]+")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class _Word:
    written: str
    normal: str
    start: int
    end: int
    #: Stems of the word and of its compound parts (no concepts).
    stems: frozenset[str]


@lru_cache(maxsize=65536)
def _stems(word: str) -> frozenset[str]:
    return frozenset(token.key for token in text_nl.tokens(word) if not token.key.startswith("≈"))


def _vectors(texts: Sequence[str]) -> sparse.csr_matrix:
    """Return L2-normalised TF-IDF rows of the texts' stems, compound parts and lexicon concepts."""
    counts = [Counter(token.key for token in text_nl.tokens(text)) for text in texts]
    vocabulary = sorted({key for count in counts for key in count})
    column = {key: position for position, key in enumerate(vocabulary)}
    documents = Counter(key for count in counts for key in count)
    n = len(texts)
    rows, cols, values = [], [], []
    for row, count in enumerate(counts):
        for key, times in count.items():
            rows.append(row)
            cols.append(column[key])
            values.append((1.0 + np.log(times)) * (1.0 + np.log((1 + n) / (1 + documents[key]))))
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(n, max(1, len(vocabulary))))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def _card_scores(similarity: NDArray[np.float64], members: list[int], others: list[int]) -> dict[int, float]:
    """Return per member: mean similarity to the other members, minus part of the mean similarity to others."""
    inside = similarity[np.ix_(members, members)]
    count = len(members) - 1
    own = (inside.sum(axis=1) - np.diag(inside)) / count if count else np.zeros(len(members))
    outside = similarity[np.ix_(members, others)].mean(axis=1) if others else np.zeros(len(members))
    return {index: float(value) for index, value in zip(members, own - OTHERS_PENALTY * outside, strict=True)}


def _distinctiveness(stems: Sequence[frozenset[str]], members: list[int], others: list[int]) -> dict[str, float]:
    """Return per stem: the share of member cards with it minus the share of other cards with it (> 0 only)."""
    inside = Counter(stem for index in members for stem in stems[index])
    outside = Counter(stem for index in others for stem in stems[index])
    weights = {}
    for stem, count in inside.items():
        share = count / len(members) - (outside[stem] / len(others) if others else 0.0)
        if share > 0:
            weights[stem] = share
    return weights


def _words(text: str) -> list[list[_Word]]:
    """Return the clauses of a text as lists of words with their offsets."""
    clauses = []
    for clause in _CLAUSE.finditer(text):
        found = [
            _Word(m.group(), text_nl.normalize(m.group()), clause.start() + m.start(), clause.start() + m.end(),
                  _stems(m.group()))
            for m in _WORD.finditer(clause.group())
        ]
        if found:
            clauses.append(found)
    return clauses


def _is_content(word: _Word) -> bool:
    return len(word.normal) > 1 and word.normal not in text_nl.STOP_WORDS


def _forbidden(text: str) -> list[tuple[int, int]]:
    """Return the spans of a card that look like personal data: they never go into a name."""
    return [(finding.start, finding.end) for finding in find_personal_data(text)]


def _usable(word: _Word, forbidden: list[tuple[int, int]]) -> bool:
    if len(_DIGITS.findall(word.written)) >= 3:
        return False  # a number of three digits or more says nothing a theme name needs, and may be a number
    return not any(start < word.end and word.start < end for start, end in forbidden)


def _spans(clause: list[_Word], forbidden: list[tuple[int, int]]) -> list[tuple[list[_Word], bool]]:
    """Return the candidate spans of a clause: (words, whether it is the whole clause minus leading filler)."""
    first_real = 0
    while first_real < len(clause) and (
        clause[first_real].normal in _NEVER_FIRST
        or (clause[first_real].normal in text_nl.STOP_WORDS and clause[first_real].normal not in _OPENERS)
    ):
        first_real += 1
    spans = []
    for start in range(len(clause)):
        opener = clause[start]
        if opener.normal in _NEVER_FIRST or not (_is_content(opener) or opener.normal in _OPENERS):
            continue
        for end in range(start + 1, min(len(clause), start + MAX_WORDS) + 1):
            span = clause[start:end]
            last = span[-1]
            if not _is_content(last) or last.normal in _NEVER_LAST:
                continue
            if not all(_usable(word, forbidden) for word in span):
                break
            if all(word.normal in _OPENERS or not _is_content(word) for word in span):
                continue  # "Elkaar" or "Niet" alone names nothing
            spans.append((span, start == first_real and end == len(clause)))
    return spans


def _written(span: list[_Word], text: str) -> str:
    """Return the span as written, with Dutch capitalisation: only the first letter upper case."""
    words = []
    for position, word in enumerate(span):
        form = word.written
        # A word capitalised only because it opened a sentence is lower case inside a name; keep AVG, JOS, Zorgplein.
        at_sentence_start = not text[: word.start].strip() or text[: word.start].rstrip()[-1] in ".!?:;"
        if position > 0 and at_sentence_start and form[:1].isupper() and not form.isupper():
            form = form.lower()
        if position == 0 and not form.isupper():
            form = form[:1].upper() + form[1:]
        words.append(form)
    # Keep the text between the words as written ("Armoede/financiën" stays one piece) when it is short.
    name = words[0]
    for previous, word, form in zip(span, span[1:], words[1:], strict=False):
        gap = text[previous.end:word.start]
        name += gap if gap.strip() in ("", "-", "&", "’", "'") and len(gap) <= 3 else " "
        name += form
    return " ".join(name.split())


def name_themes(texts: Sequence[str], groups: Sequence[Sequence[int]]) -> list[str]:
    """Return a short name per group of texts (indices into `texts`), "" where no card offers one."""
    if not texts:
        return ["" for _ in groups]
    vectors = _vectors(texts)
    similarity = np.asarray((vectors @ vectors.T).toarray(), dtype=np.float64)
    stems = [frozenset().union(*(word.stems for clause in _words(text) for word in clause)) for text in texts]
    everyone = sorted({index for group in groups for index in group})
    names = []
    for group in groups:
        members = sorted(set(group))
        if not members:
            names.append("")
            continue
        chosen = set(members)
        others = [index for index in everyone if index not in chosen]
        names.append(_name(texts, similarity, stems, members, others))
    return names


def name_theme(texts: Sequence[str], members: Sequence[int], others: Sequence[int] = ()) -> str:
    """Return a short name for one group (distinctive against `others`), "" where no card offers one."""
    chosen = set(members)
    return name_themes(texts, [members, [index for index in others if index not in chosen]])[0]


def _name(
    texts: Sequence[str],
    similarity: NDArray[np.float64],
    stems: Sequence[frozenset[str]],
    members: list[int],
    others: list[int],
) -> str:
    cards = _card_scores(similarity, members, others)
    weights = _distinctiveness(stems, members, others)
    ranked = sorted(members, key=lambda index: (-cards[index], index))[:CARDS_CONSIDERED]
    top = cards[ranked[0]]
    member_words = [" " + " ".join(text_nl.words(texts[index])) + " " for index in members]
    best: tuple[float, int, str] | None = None
    for rank, index in enumerate(ranked):
        text = texts[index]
        forbidden = _forbidden(text)
        for clause in _words(text):
            for span, whole in _spans(clause, forbidden):
                covered = frozenset().union(*(word.stems for word in span))
                distinct = sum(weights.get(stem, 0.0) for stem in covered)
                score = (
                    distinct
                    + CARD_WEIGHT * (cards[index] - top)
                    + (WHOLE_CLAUSE_BONUS if whole else 0.0)
                    - WORD_COST * (len(span) - 1)
                    - VERB_COST * sum(word.normal in _VERBS for word in span)
                )
                said = " " + " ".join(word.normal for word in span) + " "
                repeats = sum(said in words for words in member_words) - 1
                if len(span) > 1:  # one word recurs by itself; a recurring phrase is a choice people made
                    score += REPEAT_BONUS * max(0, repeats) * len(span) ** 0.5
                name = _written(span, text)
                if find_personal_data(name):
                    continue
                candidate = (score, -rank, name)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    return best[2] if best is not None else ""
