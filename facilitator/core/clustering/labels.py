"""A theme's label: its distinctive terms as written, and its most representative member."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from facilitator.core.clustering.duplicates import typo_of
from facilitator.core.clustering.space import Space, rarity, text_space


@dataclass(frozen=True)
class ThemeSuggestion:
    """One proposed theme."""

    #: Short display label, e.g. "vertrouwen · contact": distinctive terms as written, or the typed name.
    label: str
    #: Distinctive terms, best first, in a readable form (as written, lower case).
    terms: tuple[str, ...]
    #: Index (into the input texts) of the most representative member, None for an empty theme.
    representative: int | None
    #: Member indices into the input texts, ascending.
    items: tuple[int, ...]


#: How many distinctive terms a theme keeps, and how many of them make the label.
TERMS_PER_THEME = 5
TERMS_IN_LABEL = 2
#: Candidate terms looked at closely (typos merged into their proper spelling).
_SHORTLIST = 30


def label_theme(texts: Sequence[str], members: Sequence[int], others: Sequence[int] = ()) -> ThemeSuggestion:
    """Return the label, distinctive terms and representative member of one group (distinctive against `others`)."""
    chosen = sorted(set(members))
    others = sorted(set(others) - set(chosen))
    context = sorted(set(chosen) | set(others))
    for index in context:
        if not 0 <= index < len(texts):
            raise ValueError(f"index {index} is not a text")
    if not chosen:
        return ThemeSuggestion("", (), None, ())
    position = {index: row for row, index in enumerate(context)}
    local = text_space([texts[index] for index in context])
    theme = theme_label(local, [position[index] for index in chosen], [position[index] for index in others])
    representative = None if theme.representative is None else context[theme.representative]
    return ThemeSuggestion(theme.label, theme.terms, representative, tuple(chosen))


def theme_label(space: Space, members: list[int], others: Sequence[int]) -> ThemeSuggestion:
    if not members:
        return ThemeSuggestion("", (), None, ())
    terms = _distinctive_terms(space, members, others)
    return ThemeSuggestion(
        " · ".join(terms[:TERMS_IN_LABEL]), terms, _representative(space, members), tuple(sorted(members))
    )


def _distinctive_terms(space: Space, members: list[int], others: Sequence[int]) -> tuple[str, ...]:
    members = [index for index in members if space.stems[index]]
    others = [index for index in others if space.stems[index]]
    if not members:
        return ()
    inside: Counter[str] = Counter()
    for index in members:
        inside.update(set(space.stems[index]))
    outside: Counter[str] = Counter()
    for index in others:
        outside.update(set(space.stems[index]))

    def written(stem: str) -> str:
        forms = space.surfaces[stem]
        # The commonest way it was written; ties: the shortest, then alphabetical.
        return min(forms, key=lambda form: (-forms[form], len(form), form))

    # In a theme of three or more, a word one card uses says less about the theme than one several cards share.
    shared_first = len(members) >= 3

    def score(stem: str) -> tuple[bool, float, int, str]:
        share = inside[stem] / len(members) - (outside[stem] / len(others) if others else 0.0)
        single = shared_first and inside[stem] < 2
        return (single, -share * rarity(space.commonness.get(stem, 0.0)), -inside[stem], stem)

    ranked = sorted(score(stem) for stem in inside)
    shortlist = [stem for _, value, _, stem in ranked[:_SHORTLIST] if value < 0]
    # A typo is a rare "word" and would top the list: count it with the spelling the word list knows.
    for typo in [stem for stem in shortlist if space.commonness.get(stem, 0.0) == 0.0]:
        spelled = next(
            (
                stem
                for stem in shortlist
                if stem != typo and space.commonness.get(stem, 0.0) > 0 and typo_of(written(typo), written(stem))
            ),
            None,
        )
        if spelled is not None:
            inside[spelled] += inside.pop(typo)
            outside[spelled] += outside.pop(typo, 0)
            shortlist.remove(typo)
    terms: list[str] = []
    for *_, stem in sorted(score(stem) for stem in shortlist):
        form = written(stem)
        # Skip a compound's part when the compound is already a term, and the other way round.
        if any(form in term or term in form for term in terms):
            continue
        terms.append(form)
        if len(terms) == TERMS_PER_THEME:
            break
    return tuple(terms)


def _representative(space: Space, members: list[int]) -> int:
    rows = space.vectors[members]
    centroid = np.asarray(rows.mean(axis=0)).ravel()
    scores = np.asarray(rows @ centroid).ravel()
    # Highest similarity to the theme's centre; ties go to the earliest text.
    return members[int(np.argmax(scores))]
