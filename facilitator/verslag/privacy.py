"""Find likely personal data in Dutch text, for the privacy check of the verslag before export or email.

Pure and deterministic (given `today`): regular expressions for telephone numbers, e-mail addresses, BSNs,
birth dates and postcodes, and a hand-made list of common first names (`data/voornamen_nl.txt`) loaded once,
on first use. The check suggests; the facilitator decides. It leans towards flagging: a missed name in a
verslag that goes out by email costs more than one extra highlight to dismiss.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from facilitator.core.domain import N_

KINDS = ("telefoon", "email", "bsn", "geboortedatum", "postcode", "voornaam")

#: Dutch label per kind; the edges translate it with gettext.
KIND_LABELS: dict[str, str] = {
    "telefoon": N_("telefoonnummer"),
    "email": N_("e-mailadres"),
    "bsn": N_("BSN"),
    "geboortedatum": N_("geboortedatum"),
    "postcode": N_("postcode"),
    "voornaam": N_("voornaam"),
}

#: When two findings overlap the longer one wins; at equal length the more specific kind (lower rank) wins.
_RANK = {"email": 0, "bsn": 1, "telefoon": 2, "geboortedatum": 3, "postcode": 4, "voornaam": 5}


@dataclass(frozen=True)
class Finding:
    """One piece of likely personal data in a text."""

    #: One of KINDS.
    kind: str
    #: Offsets into the checked text: text[start:end] is the finding.
    start: int
    end: int
    #: The flagged text itself, equal to text[start:end].
    text: str


# --- e-mail ---------------------------------------------------------------------------------------------

#: Pragmatic, not RFC 5322: what people type (jan.de-vries+werk@school.example.nl). The domain must have a
#: dot and a TLD of two or more letters, so "@ouders" or "docent@school" in running text is not an address.
_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?![\w-])"
)


# --- telephone ------------------------------------------------------------------------------------------

#: Between digits: nothing, one space, or a hyphen, middle dot or bullet with optional spaces ("06-123",
#: "06 - 123", "06 · 12345678": an automatic theme name once joined a number's halves with " · "). Dots and
#: slashes are left out on purpose: with them times ("09.00") and dates ("06/12/2014") start to look like
#: numbers, and Dutch numbers are rarely written with dots.
_SEP = r"(?:[ \u00a0]?[-\u00b7\u2022][ \u00a0]?|[ \u00a0])?"
#: Nothing that glues the number to a longer token: no letter, digit or +/./,/- right before it.
_BEFORE = r"(?<![\w+.,/-])"
#: And no digit right after it, nor a digit after one joining character ("0612345678-9", "...78.5").
_AFTER = r"(?![\w]|[.,/-]\d)"


def _digits(count: int) -> str:
    return rf"\d(?:{_SEP}\d){{{count - 1}}}"


#: Dutch numbers have ten digits: 0 + area code + subscriber (06-12345678, 020-1234567, 0513-123456).
_PHONE_NATIONAL = re.compile(rf"{_BEFORE}0[1-9](?:{_SEP}\d){{8}}{_AFTER}")
#: An area code in brackets: (06) 12345678, (072) 123 45 67, (0513) 12 34 56; ten digits in all.
_PHONE_BRACKETS = re.compile(
    rf"(?<![\w(])\((?:0[1-9]\){_SEP}{_digits(8)}|0[1-9]\d\){_SEP}{_digits(7)}|0[1-9]\d\d\){_SEP}{_digits(6)})"
    rf"{_AFTER}"
)
#: +31 or 0031, then the number without its leading 0 (nine digits); people also write +31 (0)6... or
#: even +31 06..., so an optional "(0)" or "0" is allowed before it.
_PHONE_INTERNATIONAL = re.compile(
    rf"(?<![\w+])(?:\+|00)31[ \u00a0-]?(?:\(0\)[ \u00a0-]?|0)?[1-9](?:{_SEP}\d){{8}}{_AFTER}"
)
#: Information numbers: 0800/0900 (and 0906, 0909) with four or seven digits (0800-1234, 0900-1234567).
_PHONE_SERVICE = re.compile(rf"{_BEFORE}0[89]0\d{_SEP}\d{{4}}(?:\d{{3}})?{_AFTER}")
#: A numeric date inside a candidate ("06-12-2014 12" has ten digits after a 0) means it is not a number.
_DATE_INSIDE = re.compile(r"\d{1,2}-\d{1,2}-\d{4}")
_NUMBER_GROUP = re.compile(r"\d+")
#: "0900-1700 uur" is opening hours written as four-digit times, not the information number 0900-1700.
_TIME_UNIT = re.compile(r"[ \u00a0]*(?:uur|u)\b")


def _plausible_national(candidate: str) -> bool:
    """Say whether a ten-digit candidate is grouped like a phone number rather than like a date or a list."""
    groups = _NUMBER_GROUP.findall(candidate)
    # Real numbers are written in groups of two or more digits with an area code of 2-4 digits up front
    # (06-12 34 56 78, 020 123 4567); "0 1 2 3 ..." or "012 3 ..." is a list or a sum, not a number.
    if len(groups) > 1 and (not 2 <= len(groups[0]) <= 4 or min(len(group) for group in groups) < 2):
        return False
    return _DATE_INSIDE.search(candidate) is None


def _phones(text: str) -> list[Finding]:
    found = [_finding("telefoon", match) for match in _PHONE_NATIONAL.finditer(text)]
    found = [finding for finding in found if _plausible_national(finding.text)]
    for pattern in (_PHONE_BRACKETS, _PHONE_INTERNATIONAL, _PHONE_SERVICE):
        found.extend(_finding("telefoon", match) for match in pattern.finditer(text))
    return [finding for finding in found if not _TIME_UNIT.match(text, finding.end)]


# --- BSN ------------------------------------------------------------------------------------------------

#: The written forms of a BSN: 123456782, 1234.56.782 (as on the passport) and 123 456 782. Not 123.456.782:
#: that is how Dutch writes an amount. Eight-digit numbers are not searched for, although is_valid_bsn
#: accepts them: they are common (KvK numbers, 20240105) and one in eleven passes the elfproef by chance.
_BSN = re.compile(
    r"(?<![\w.,/-])(?:\d{9}|\d{4}\.\d{2}\.\d{3})(?![\w]|[.,/-]\d)"
    r"|(?<![\w.,/-])(?<!\d[ \u00a0])\d{3}[ \u00a0]\d{3}[ \u00a0]\d{3}(?![\w]|[.,/-]\d|[ \u00a0]\d)"
)


def is_valid_bsn(number: str) -> bool:
    """Say whether a string of 9 digits (or 8, with an implied leading zero) passes the BSN elfproef."""
    if not re.fullmatch(r"[0-9]{8,9}", number):
        return False
    digits = [int(digit) for digit in number.zfill(9)]
    if not any(digits):
        return False
    # The elfproef: weights 9..2 on the first eight digits, -1 on the last, and the sum divisible by 11.
    total = sum(digit * (9 - index) for index, digit in enumerate(digits[:8])) - digits[8]
    return total % 11 == 0


def _bsns(text: str) -> list[Finding]:
    # Only numbers that pass the elfproef: one random nine-digit number in eleven does, which is good enough
    # to tell a BSN from an order number or an amount without any context.
    return [
        _finding("bsn", match)
        for match in _BSN.finditer(text)
        if is_valid_bsn(re.sub(r"\D", "", match.group()))
    ]


# --- birth dates ----------------------------------------------------------------------------------------

_MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "okt": 10,
    "nov": 11, "dec": 12,
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
#: d-m-yyyy, d/m/yyyy or d.m.yyyy with the same separator twice.
_NUMERIC_DATE = re.compile(r"(?<![\w.,/-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?![\w]|[.,/-]\d)")
#: yyyy-mm-dd, as forms and spreadsheets write it.
_ISO_DATE = re.compile(r"(?<![\w.,/-])(\d{4})-(\d{2})-(\d{2})(?![\w]|[.,/-]\d)")
#: "3 maart 2014", "3 mrt. 2014"; month names in any case ("3 Maart 2014" happens).
_WRITTEN_DATE = re.compile(
    rf"(?<![\w.,/-])(\d{{1,2}})[ \u00a0]+({_MONTH_NAMES})\.?[ \u00a0]+(\d{{4}})(?!\w)", re.IGNORECASE
)
#: Words that announce a birth date. "geb." is the usual abbreviation; DOB shows up in English forms.
_BIRTH_CUE = re.compile(
    r"\b(?:geboren|geb\b\.?|geboortedatum|geboortedag|verjaardag|jarig|dob\b|d\.o\.b\b|date of birth)",
    re.IGNORECASE,
)
#: How far before a date a cue may stand: "geboren op maandag 3 maart 2014" or "geb.datum: 3-3-2014".
_CUE_WINDOW = 25
#: Numeric dates before this year are historical (laws, founding years), not a living person's birth date.
_FIRST_BIRTH_YEAR = 1900


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _has_birth_cue(text: str, start: int) -> bool:
    return _BIRTH_CUE.search(text, max(0, start - _CUE_WINDOW), start) is not None


def _birth_dates(text: str, today: date) -> list[Finding]:
    found: list[Finding] = []
    numeric = [
        (match, _valid_date(int(match.group(4)), int(match.group(3)), int(match.group(1))))
        for match in _NUMERIC_DATE.finditer(text)
    ]
    numeric += [
        (match, _valid_date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
        for match in _ISO_DATE.finditer(text)
    ]
    for match, when in numeric:
        if when is None:
            continue
        # A full numeric date in the past is what forms and notes hold birth dates as; meeting dates are
        # usually written out ("5 februari 2025") or lie ahead (a save-the-date), so few are flagged wrongly.
        if _has_birth_cue(text, match.start()) or (_FIRST_BIRTH_YEAR <= when.year and when < today):
            found.append(_finding("geboortedatum", match))
    for match in _WRITTEN_DATE.finditer(text):
        when = _valid_date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
        # Written-out dates are how a verslag names its own meetings, so they need a cue ("geboren op").
        if when is not None and _has_birth_cue(text, match.start()):
            found.append(_finding("geboortedatum", match))
    return found


# --- postcodes ------------------------------------------------------------------------------------------

#: 1234 AB or 1234AB: first digit 1-9, two capitals, not SA/SD/SS (never issued). Capitals only: in lower
#: case "2024 en", "1500 op" would match all the time, and a lower-case postcode is rare in typed text.
#: A year before a two-letter capital abbreviation ("2024 AD", "2020 PO") is flagged on purpose: it has
#: the exact shape of a postcode (2024 AD is a Haarlem postcode) and one extra highlight is cheap.
_POSTCODE = re.compile(r"(?<![\w.,/-])[1-9]\d{3}[ \u00a0]?(?!SA|SD|SS)[A-Z]{2}(?!\w)")


def _postcodes(text: str) -> list[Finding]:
    return [_finding("postcode", match) for match in _POSTCODE.finditer(text)]


# --- first names ----------------------------------------------------------------------------------------

#: Words, with hyphenated names (Anne-Marie, Jan-Willem) kept together; apostrophes end a word (Finn's).
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
#: Characters that end a sentence or start a list item, after which any word is capitalised anyway.
_SENTENCE_END = frozenset(".!?;:\n\r")
_BULLETS = frozenset("-*•·–—▪◦‣>")
_OPENERS = frozenset("\"'‘’“”„«‹([ \t\u00a0")
#: A name that is also an everyday word (marked ` *` in the list) is skipped at the start of a sentence when
#: the word is at least this common. Measured: wordfreq folds case, so names themselves score high (jan 5.2,
#: peter 4.9, anna 4.7, emma 4.2); this threshold alone would hide 132 of the 876 names at every sentence
#: start. The mark says "is also a word", the threshold says "a common one": Ben 6.3, Wil 6.2, Elke 5.6,
#: Toon 4.6, Roos 4.2 and Iris 4.0 are skipped there; Fleur 3.6 and Merel 3.4 are rare as words and flagged.
_WORD_ZIPF = 4.0


@dataclass(frozen=True)
class _NameList:
    names: frozenset[str]
    #: Names that are also everyday Dutch words (Roos, Wil, Toon).
    also_words: frozenset[str]


@cache
def _name_list() -> _NameList:
    text = resources.files("facilitator").joinpath("data/voornamen_nl.txt").read_text(encoding="utf-8")
    names: set[str] = set()
    also_words: set[str] = set()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, mark = line.partition(" ")
        names.add(name)
        if mark.strip() == "*":
            also_words.add(name)
    return _NameList(names=frozenset(names), also_words=frozenset(also_words))


@cache
def _word_zipf(word: str) -> float:
    import wordfreq  # loaded only when a sentence starts with a name that is also a word

    return float(wordfreq.zipf_frequency(word, "nl"))


def _at_sentence_start(text: str, start: int) -> bool:
    """Say whether position `start` opens a sentence, a line or a list item (after quotes and brackets)."""
    index = start
    while index > 0 and text[index - 1] in _OPENERS:
        index -= 1
    if index == 0 or text[index - 1] in _SENTENCE_END:
        return True
    before = text[index - 1]
    # A bullet only counts when it stands alone ("- Roos", "· Wil"), not inside a word (Jan-Willem).
    if before in _BULLETS and (index == 1 or not text[index - 2].isalnum()):
        return True
    # Numbered items: "1) Toon begrip".
    return before == ")" and index >= 2 and text[index - 2].isdigit()


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() and word[1:].islower()


def _first_names(text: str) -> list[Finding]:
    names = _name_list().names
    found: list[Finding] = []
    for match in _WORD.finditer(text):
        parts = match.group().split("-")
        # Only the capitalised form is a name: "roos" and "wil" in lower case are words, "ROOS" a heading.
        is_name = [part in names and _is_capitalised(part) for part in parts]
        if len(parts) > 1 and all(is_name):
            found.append(_finding("voornaam", match))  # Anne-Marie, Jan-Willem
            continue
        # A name inside a compound still names someone: "de Finn-casus" (and, harmlessly, "Sint-Maarten").
        offset = match.start()
        for part, name in zip(parts, is_name, strict=True):
            if name and not _is_everyday_word_here(text, offset, part):
                found.append(Finding("voornaam", offset, offset + len(part), part))
            offset += len(part) + 1
    return found


def _is_everyday_word_here(text: str, start: int, name: str) -> bool:
    """Say whether a capitalised name is better read as the everyday word it also is ("Toon begrip")."""
    # Mid-sentence a capital is a name (Dutch does not capitalise nouns); at a sentence start the capital
    # says nothing, so a name that is also a common word is read as the word there.
    return (
        name in _name_list().also_words
        and _at_sentence_start(text, start)
        and _word_zipf(name.lower()) >= _WORD_ZIPF
    )


# --- putting it together --------------------------------------------------------------------------------


def _finding(kind: str, match: re.Match[str]) -> Finding:
    return Finding(kind, match.start(), match.end(), match.group())


def find_personal_data(
    text: str, *, today: date | None = None, fictional: Iterable[str] = ()
) -> list[Finding]:
    """Return the likely personal data in `text`, sorted by position and never overlapping; first names the
    facilitator marked as `fictional` (a casus' invented people) are not personal data."""
    candidates = [
        *(_finding("email", match) for match in _EMAIL.finditer(text)),
        *_bsns(text),
        *_phones(text),
        *_birth_dates(text, today or date.today()),
        *_postcodes(text),
        *_first_names(text),
    ]
    # Longest first, so an e-mail address beats the name in it and "+31 111222333" is a number, not a BSN;
    # at equal length the more specific kind wins.
    candidates.sort(key=lambda finding: (finding.start - finding.end, _RANK[finding.kind], finding.start))
    chosen: list[Finding] = []  # kept sorted by start; they never overlap, so also sorted by end
    for candidate in candidates:
        index = bisect.bisect_left(chosen, candidate.start, key=lambda finding: finding.start)
        clear_before = index == 0 or chosen[index - 1].end <= candidate.start
        clear_after = index == len(chosen) or candidate.end <= chosen[index].start
        if clear_before and clear_after:
            chosen.insert(index, candidate)
    invented = {name.casefold() for name in fictional}
    return [f for f in chosen if not (f.kind == "voornaam" and f.text.casefold() in invented)] if invented else chosen


def segments(
    text: str, *, today: date | None = None, fictional: Iterable[str] = ()
) -> list[tuple[str, str | None]]:
    """Split `text` into consecutive pieces, each with the kind of personal data it is or None."""
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for finding in find_personal_data(text, today=today, fictional=fictional):
        if finding.start > position:
            pieces.append((text[position:finding.start], None))
        pieces.append((finding.text, finding.kind))
        position = finding.end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces
