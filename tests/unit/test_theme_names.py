"""Suggested theme names: short phrases as the cards wrote them, never stems, never personal data."""

from __future__ import annotations

import re

from facilitator.core.clustering import clusters as clustering
from facilitator.core.clustering import theme_names

AFTERNOON = [
    "Geef erkenning aan de ouder.",
    "Erkenning van de ouder als deskundige",
    "Heb oog voor wat de ouder goed doet.",
    "Laat je eigen oordeel thuis.",
    "Niet oordelen over ouders",
    "Vraag zonder oordeel na hoe het komt.",
    "We moeten korte lijnen hebben met school",
    "Korte lijnen met de school",
]
GROUPS = [[0, 1, 2], [3, 4, 5], [6, 7]]


def test_names_are_short_phrases_of_the_cards_words() -> None:
    names = theme_names.name_themes(AFTERNOON, GROUPS)
    assert all(names)
    written = " ".join(AFTERNOON).lower()
    for name in names:
        assert 1 <= len(name.split()) <= theme_names.MAX_WORDS
        assert "·" not in name
        assert name[0].isupper() and name[1:] == name[1:].lower()  # Dutch: only the first letter upper case
        assert all(word.lower() in written for word in re.findall(r"\w+", name))  # surface words, not stems
    assert "erkenning" in names[0].lower()
    assert "oordeel" in names[1].lower() or "oordelen" in names[1].lower()
    assert names[2].startswith("Korte lijnen")  # two cards say it; "We moeten" is filler


def test_today_labels_were_pairs_of_stems() -> None:
    """What the product named themes before: a pair of terms, which no person would keep."""
    label = clustering.label_theme(AFTERNOON, GROUPS[2], [0, 1, 2, 3, 4, 5]).label
    assert "·" in label


def test_no_phone_number_email_or_first_name_in_a_name() -> None:
    texts = [
        "Bel 06 12345678 voor een afspraak",
        "06 12345678 bellen",
        "Mail naar jan.jansen@school.example.nl",
        "Vraag het aan Fatima of Pieter",
        "Pieter weet hoe het zit",
        "Schooltijden veranderen",
        "Rooster van de school",
    ]
    names = theme_names.name_themes(texts, [[0, 1], [2, 3, 4], [5, 6]])
    from facilitator.verslag.privacy import find_personal_data

    for name in names:
        assert not find_personal_data(name), name
        assert not re.search(r"\d{3}", name), name
        assert "@" not in name


def test_name_theme_and_edge_cases() -> None:
    assert theme_names.name_themes([], [[]]) == [""]
    assert theme_names.name_themes(["de het een"], [[0]]) == [""]
    assert theme_names.name_theme(AFTERNOON, [6, 7], [0, 1, 2]) == "Korte lijnen met de school"
    assert theme_names.name_theme(["Taal"], [0]) == "Taal"
