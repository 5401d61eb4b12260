"""Dutch text handling for clustering: words, stop words, stems, compound parts and theme concepts.

Pure and deterministic. The word list (wordfreq's small Dutch list, about 29,000 words) and the hand-made
concept lexicon (`data/thema_lexicon_nl.txt`) are loaded once, on first use.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import snowballstemmer

#: Function words that say nothing about a theme. "elkaar" and "samen" are kept on purpose: in these
#: texts they mark working together ("We kennen elkaar", "samen oplossingen zoeken").
STOP_WORDS = frozenset(
    """
    aan af al alle alleen als altijd ander andere anders ben bij bijvoorbeeld bv binnen daar daarbij daarin
    daarmee daarom daarvan dan dat de deze die dit doch doen doet door dus een eens elk elke en enkele er erg
    ermee etc even ge geen gelijk gewoon had heb hebben heeft heel hem het hier hierbij hierin hij hoe hun ieder
    iedere iedereen iemand iets ik in is ja je jezelf jij jou jouw jullie kan kon kunnen kunt laat maar me meer
    men met mij mijn moet moeten mogen na naar naast niet niets nl nodig nog nu o oa of om omdat ons onszelf
    onze ook op over per reeds soms steeds te tegen toch toe tot twee u uit uw vaak van veel via voor vooral
    want waar waarbij waardoor waarin waarmee wanneer waren was wat we weer wel welk welke werd wie wij wil
    worden wordt zal ze zeer zeker zelf zich zij zijn zo zoals zodat zonder zou zullen drie een echt dezelfde
    """.split()
)

_WORD = re.compile(r"[a-z0-9]+")
_ANY_WORD = re.compile(r"[^\W_]+")
_DOUBLE_VOWEL = re.compile(r"aa|ee|oo|uu")
#: Joints between the parts of a compound: school|aanwezigheid, opvoeding|s|vragen, leerling|en|vervoer.
_LINKS = ("", "s", "e", "en", "n", "-")
#: Prefixes that are words on their own but never the first part of a compound we want to split off.
_NOT_A_HEAD = frozenset("aan af be door er ge her in mee na om onder ont op over samen te toe uit ver voor weg".split())
#: Endings that are words in the list but not parts of a compound (wisselende is not wissel + ende).
_NOT_A_PART = frozenset(
    "ende enden heid lijk lijke baar bare loos loze zaam zame achtig isch ische ing ingen tje".split()
)
#: Three-letter nouns that may be a compound part.
_SHORT_PARTS = frozenset("rol wet les".split())
#: How common (Zipf scale, 0 to about 8) a word must be to count as a known part of a compound.
_KNOWN_ZIPF = 3.0
#: Words this common are left whole (samenwerking, ondersteuning, vertrouwen).
_WHOLE_ZIPF = 4.0

_STEMMER = snowballstemmer.stemmer("dutch_porter")


def normalize(text: str) -> str:
    """Return the text lower-cased with accents removed (financiën -> financien, één -> een)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """Return the words of a text, normalised, in order (stop words included)."""
    return _WORD.findall(normalize(text))


def word_forms(text: str) -> list[tuple[str, str]]:
    """Return (normalised word, word as written in lower case) pairs, in order: ("financien", "financiën")."""
    pairs: list[tuple[str, str]] = []
    for match in _ANY_WORD.finditer(text.lower()):
        written = match.group(0)
        if written.isascii():  # the common case: nothing to normalise
            pairs.append((written, written))
            continue
        pieces = _WORD.findall(normalize(written))
        if len(pieces) == 1:
            pairs.append((pieces[0], written))
        else:
            pairs.extend((piece, piece) for piece in pieces)
    return pairs


def content_words(text: str) -> list[str]:
    """Return the words of a text without stop words and single letters."""
    return [word for word in words(text) if len(word) > 1 and word not in STOP_WORDS]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return a stem that joins inflections: ouders/ouder, financieel/financiële, positief/positieve."""
    stemmed: str = _STEMMER.stemWord(word)
    # Dutch spelling doubles a vowel in a closed syllable and voices a final f/s: undo both.
    stemmed = _DOUBLE_VOWEL.sub(lambda match: match.group(0)[0], stemmed)
    if stemmed.endswith("v"):
        stemmed = stemmed[:-1] + "f"
    elif stemmed.endswith("z"):
        stemmed = stemmed[:-1] + "s"
    return stemmed


@cache
def _frequencies() -> dict[str, float]:
    import wordfreq

    return dict(wordfreq.get_frequency_dict("nl", "small"))


def zipf(word: str) -> float:
    """Return how common a Dutch word is on the Zipf scale (0 when unknown, 7 for "de")."""
    frequency = _frequencies().get(word)
    return math.log10(frequency * 1e9) if frequency else 0.0


def _known_part(part: str) -> bool:
    return (
        (len(part) >= 4 or part in _SHORT_PARTS)
        and part not in STOP_WORDS
        and part not in _NOT_A_PART
        and zipf(part) >= _KNOWN_ZIPF
    )


@lru_cache(maxsize=65536)
def split_compound(word: str) -> tuple[str, ...]:
    """Return the parts of a glued compound (jeugdhulpverlener -> jeugd, hulpverlener), or the word alone."""
    if len(word) < 8 or zipf(word) >= _WHOLE_ZIPF:
        return (word,)
    best: tuple[float, tuple[str, ...]] | None = None
    for cut in range(3, len(word) - 3):
        head = word[:cut]
        if head in _NOT_A_HEAD or not _known_part(head):
            continue
        for link in _LINKS:
            if not word.startswith(link, cut):
                continue
            tail = word[cut + len(link) :]
            if _known_part(tail):
                parts: tuple[str, ...] = (head, tail)
            else:
                rest = split_compound(tail)
                if len(rest) == 1:
                    continue
                parts = (head, *rest)
            # Fewest parts first, then the split whose shortest part is longest, then the commonest parts.
            score = -len(parts) + 0.01 * min(len(p) for p in parts) + 0.001 * sum(zipf(p) for p in parts)
            if best is None or score > best[0]:
                best = (score, parts)
    return best[1] if best else (word,)


@dataclass(frozen=True)
class Lexicon:
    """Concept groups: words that count as the same theme-word."""

    #: stem -> concepts, for exact matches.
    by_stem: dict[str, frozenset[str]]
    #: stem or word form of 5+ letters -> concepts, for matches at the start or end of a longer word.
    by_affix: dict[str, frozenset[str]]
    #: (stem, stem) -> concepts, for two-word phrases such as "korte lijnen".
    by_phrase: dict[tuple[str, str], frozenset[str]]


def _add(table: dict[str, set[str]], key: str, concept: str) -> None:
    table.setdefault(key, set()).add(concept)


@cache
def lexicon() -> Lexicon:
    """Load the concept lexicon shipped with the package."""
    text = resources.files("facilitator").joinpath("data/thema_lexicon_nl.txt").read_text(encoding="utf-8")
    by_stem: dict[str, set[str]] = {}
    by_affix: dict[str, set[str]] = {}
    by_phrase: dict[tuple[str, str], set[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        concept, _, entries = line.partition(":")
        for entry in entries.split():
            entry = normalize(entry)
            if "_" in entry:
                first, second = entry.split("_", 1)
                by_phrase.setdefault((stem(first), stem(second)), set()).add(concept.strip())
                continue
            _add(by_stem, stem(entry), concept.strip())
            if len(entry) >= 5:
                _add(by_affix, stem(entry), concept.strip())
                _add(by_affix, entry, concept.strip())
    return Lexicon(
        by_stem={key: frozenset(value) for key, value in by_stem.items()},
        by_affix={key: frozenset(value) for key, value in by_affix.items()},
        by_phrase={key: frozenset(value) for key, value in by_phrase.items()},
    )


@lru_cache(maxsize=65536)
def concepts(word: str) -> frozenset[str]:
    """Return the concepts of one normalised word: by stem, as a participle, or by a long entry at its start/end."""
    table = lexicon()
    found = table.by_stem.get(stem(word))
    if found:
        return found
    if word.startswith("ge") and len(word) > 5:  # geluisterd -> luister(en), gedeeld -> deel
        for candidate in (word[2:], word[2:-1]):
            found = table.by_stem.get(stem(candidate))
            if found:
                return found
    matched: set[str] = set()
    for length in range(len(word) - 1, 4, -1):
        if word[:length] in table.by_affix:
            matched |= table.by_affix[word[:length]]
            break
    for length in range(len(word) - 1, 4, -1):
        if word[-length:] in table.by_affix:
            matched |= table.by_affix[word[-length:]]
            break
    return frozenset(matched)


@dataclass(frozen=True)
class Token:
    """One feature of a text: a stem, or a concept (marked with a leading "≈")."""

    #: The stem, or "≈" + concept name.
    key: str
    #: The word as written (normalised), for readable labels; empty for concepts.
    surface: str


def tokens(text: str) -> Iterator[Token]:
    """Yield the features of a text: stems of its words and of their compound parts, and their concepts."""
    table = lexicon()
    pairs = word_forms(text)
    for (first, _), (second, _) in zip(pairs, pairs[1:], strict=False):
        for concept in sorted(table.by_phrase.get((stem(first), stem(second)), ())):
            yield Token("≈" + concept, "")
    for word, written in pairs:
        if len(word) < 2 or word in STOP_WORDS:
            continue
        yield Token(stem(word), written)
        found = set(concepts(word))
        parts = split_compound(word)
        if len(parts) > 1:
            for part in parts:
                yield Token(stem(part), part)
                found |= concepts(part)
        for concept in sorted(found):
            yield Token("≈" + concept, "")
