"""The privacy check finds likely personal data in Dutch text and nothing that merely looks like it."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from facilitator.verslag.privacy import KIND_LABELS, KINDS, Finding, find_personal_data, is_valid_bsn, segments

TODAY = date(2025, 6, 1)
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "privacy_samples.json"


def found(text: str) -> list[tuple[str, int, int, str]]:
    return [(finding.kind, finding.start, finding.end, finding.text) for finding in find_personal_data(text, today=TODAY)]


def test_privacy_labels_cover_every_kind() -> None:
    assert KINDS == ("telefoon", "email", "bsn", "geboortedatum", "postcode", "voornaam")
    assert KIND_LABELS == {
        "telefoon": "telefoonnummer",
        "email": "e-mailadres",
        "bsn": "BSN",
        "geboortedatum": "geboortedatum",
        "postcode": "postcode",
        "voornaam": "voornaam",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bel me op 06-12345678.", [("telefoon", 10, 21, "06-12345678")]),
        (
            "Mobiel 06 1234 5678 of 06-12 34 56 78.",
            [("telefoon", 7, 19, "06 1234 5678"), ("telefoon", 23, 37, "06-12 34 56 78")],
        ),
        (
            "Vanuit het buitenland: +31 6 12345678, +31 (0)6 1234 5678 of 0031 6 12345678.",
            [
                ("telefoon", 23, 37, "+31 6 12345678"),
                ("telefoon", 39, 57, "+31 (0)6 1234 5678"),
                ("telefoon", 61, 76, "0031 6 12345678"),
            ],
        ),
        ("+31(0)612345678", [("telefoon", 0, 15, "+31(0)612345678")]),
        (
            "Kantoor 020-1234567, regio 072 123 4567 of (072) 123 45 67.",
            [
                ("telefoon", 8, 19, "020-1234567"),
                ("telefoon", 27, 39, "072 123 4567"),
                ("telefoon", 43, 58, "(072) 123 45 67"),
            ],
        ),
        ("Friesland: (0513) 12 34 56", [("telefoon", 11, 26, "(0513) 12 34 56")]),
        (
            "Informatie: 0800-1234 en 0900-1234567.",
            [("telefoon", 12, 21, "0800-1234"), ("telefoon", 25, 37, "0900-1234567")],
        ),
    ],
)
def test_privacy_finds_dutch_phone_numbers(text: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In 2024 kwamen we samen.",
        "Van 15.00 – 17.00 uur, daarna 14.30 - 17.00.",
        "Er waren 300 deelnemers en 45% was ouder.",
        "Ik zit in groep 6.",
        "2 ouders · 1 zorg",
        "Kinderen van 0 - 4 jaar en van 0 tot 18 jaar.",
        "Open van 0900-1700 uur.",
        "Schooljaar 2023-2024, budget 1.234.567 euro.",
        "Dossier 012 3 45 67 89 en code 01234 56789.",
    ],
)
def test_privacy_ignores_numbers_that_are_not_personal(text: str) -> None:
    assert found(text) == []


def test_privacy_prefers_a_bsn_over_a_phone_number_and_a_number_over_a_bsn() -> None:
    assert found("BSN 111222333") == [("bsn", 4, 13, "111222333")]
    assert found("Bel +31 111222333") == [("telefoon", 4, 17, "+31 111222333")]


def test_privacy_reads_a_date_inside_digits_as_a_date_not_a_number() -> None:
    # Ten digits after a 0, but "06-12-2030" is a (future, so unflagged) date followed by a time.
    assert found("Afspraak 06-12-2030 12 uur of 06-12-2030 12") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mail naar jan.de-vries@school.example.nl of Finn@gezin.nl.",
            [("email", 10, 40, "jan.de-vries@school.example.nl"), ("email", 44, 57, "Finn@gezin.nl")],
        ),
        ("(sanne+werk@jeugd-team.nl)", [("email", 1, 25, "sanne+werk@jeugd-team.nl")]),
    ],
)
def test_privacy_finds_email_addresses(text: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert found(text) == expected


def test_privacy_does_not_take_an_at_sign_without_a_domain_for_an_address() -> None:
    assert found("Vraag het @ouders of docent@school") == []


def test_privacy_finds_bsns_that_pass_the_elfproef() -> None:
    assert found("BSN 111222333, ook als 1234.56.782 of 123 456 782.") == [
        ("bsn", 4, 13, "111222333"),
        ("bsn", 23, 34, "1234.56.782"),
        ("bsn", 38, 49, "123 456 782"),
    ]


def test_privacy_ignores_nine_digit_numbers_that_fail_the_elfproef() -> None:
    assert found("Ordernummer 123456789 en 1234.56.789.") == []


def test_privacy_valid_bsn_passes_the_elfproef() -> None:
    assert [is_valid_bsn(number) for number in ("111222333", "123456782", "12345678", "012345672")] == [
        True,
        True,
        False,
        True,
    ]


@pytest.mark.parametrize("number", ["123456789", "000000000", "00000000", "1234567", "1234567890", "12345678a", ""])
def test_privacy_invalid_bsn_fails(number: str) -> None:
    assert is_valid_bsn(number) is False


def test_privacy_valid_bsn_accepts_eight_digits_with_an_implied_zero() -> None:
    # 0*9 + 2*8 + 3*7 + 4*6 + 5*5 + 6*4 + 7*3 + 8*2 - 4 = 143 = 13 * 11
    assert is_valid_bsn("23456784") is True
    assert is_valid_bsn("023456784") is True


def test_privacy_finds_birth_dates_after_a_cue() -> None:
    assert found("Sammy is geboren op 3 maart 2014 en Finn geb. 12-05-2015.") == [
        ("voornaam", 0, 5, "Sammy"),
        ("geboortedatum", 20, 32, "3 maart 2014"),
        ("voornaam", 36, 40, "Finn"),
        ("geboortedatum", 46, 56, "12-05-2015"),
    ]
    assert found("Geboortedatum: 3 mrt. 2014") == [("geboortedatum", 15, 26, "3 mrt. 2014")]
    assert found("DOB 03/04/2031") == [("geboortedatum", 4, 14, "03/04/2031")]


def test_privacy_finds_past_numeric_dates_without_a_cue_but_not_future_ones() -> None:
    assert found("Formulier van 14/02/2011 en 2009-07-01; terugkomdag 12-11-2025 en 1.6.2025.") == [
        ("geboortedatum", 14, 24, "14/02/2011"),
        ("geboortedatum", 28, 38, "2009-07-01"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Op 5 februari 2025 kwamen we bij elkaar.",
        "Save the date: 12 november 2025.",
        "Finn is in 2014 geboren.",
        "De wet van 12-03-1861 geldt nog.",
        "Geboren op 31-02-2014, zegt het formulier.",
    ],
)
def test_privacy_ignores_dates_that_are_not_birth_dates(text: str) -> None:
    assert [finding for finding in found(text) if finding[0] == "geboortedatum"] == []


def test_privacy_finds_postcodes_in_capitals() -> None:
    assert found("Adres: Dorpsstraat 1, 1234 AB Ergens; ook 1234AB.") == [
        ("postcode", 22, 29, "1234 AB"),
        ("postcode", 42, 48, "1234AB"),
    ]


def test_privacy_flags_a_year_before_two_capitals_as_a_postcode() -> None:
    # Decided: "2024 AD" has the exact shape of a postcode (it is one in Haarlem); one extra highlight is cheap.
    assert found("in 2024 AD") == [("postcode", 3, 10, "2024 AD")]


def test_privacy_ignores_postcode_shapes_that_are_not_postcodes() -> None:
    assert found("1234 SA, 1234 SD, 1234 SS, 1234 ab, in 2024 en 0123 AB, 12345 AB") == []


def test_privacy_finds_first_names_mid_sentence_and_in_compounds() -> None:
    assert found("Danielle ziet Finn, de Finn-casus, met Anne-Marie en Jan-Willem.") == [
        ("voornaam", 0, 8, "Danielle"),
        ("voornaam", 14, 18, "Finn"),
        ("voornaam", 23, 27, "Finn"),
        ("voornaam", 39, 49, "Anne-Marie"),
        ("voornaam", 53, 63, "Jan-Willem"),
    ]
    assert found("Ouders zorgen zich over Finn’s gedrag; Zoë en Ömer ook.") == [
        ("voornaam", 24, 28, "Finn"),
        ("voornaam", 39, 42, "Zoë"),
        ("voornaam", 46, 50, "Ömer"),
    ]


def test_privacy_finds_names_that_are_also_words_when_mid_sentence() -> None:
    assert found("Vraag het aan Toon. Daar stond Roos bij, en Wil.") == [
        ("voornaam", 14, 18, "Toon"),
        ("voornaam", 31, 35, "Roos"),
        ("voornaam", 44, 47, "Wil"),
    ]


def test_privacy_flags_a_sentence_initial_name_whose_word_is_rare() -> None:
    # "fleur" (zest) is a rare word, so a capital Fleur at the start of a sentence is still a name.
    assert found("Fleur kwam later. Peter ook.") == [("voornaam", 0, 5, "Fleur"), ("voornaam", 18, 23, "Peter")]


@pytest.mark.parametrize(
    "text",
    [
        "Een roos voor de juf.",
        "Toon begrip voor de ouder.",
        "Wil je meedoen? Ben je er?",
        "Elke ouder telt.",
        "Tip: Max 3 per tafel.",
        "Storm en regen hielden niemand thuis.",
        "- Roos op tafel\n· Wil je?\n1) Toon interesse",
        "‘Lieve ouders,’ begon de brief.",
        "WIL JE ROOS OF FLEUR? de finn-casus",
    ],
)
def test_privacy_ignores_everyday_words_that_are_also_names(text: str) -> None:
    assert found(text) == []


def test_privacy_findings_are_sorted_and_never_overlap() -> None:
    text = "Mail Finn@gezin.nl of bel Finn op +31 6 12345678 (BSN 111222333, geb. 3-3-2014, 1234 AB)."
    assert found(text) == [
        ("email", 5, 18, "Finn@gezin.nl"),
        ("voornaam", 26, 30, "Finn"),
        ("telefoon", 34, 48, "+31 6 12345678"),
        ("bsn", 54, 63, "111222333"),
        ("geboortedatum", 70, 78, "3-3-2014"),
        ("postcode", 80, 87, "1234 AB"),
    ]
    findings = find_personal_data(text, today=TODAY)
    assert all(finding.text == text[finding.start : finding.end] for finding in findings)
    assert all(isinstance(finding, Finding) for finding in findings)


def test_privacy_today_defaults_to_the_real_date() -> None:
    assert found("Sinds 01-01-2000") == [("geboortedatum", 6, 16, "01-01-2000")]
    assert find_personal_data("Sinds 01-01-2000") == [Finding("geboortedatum", 6, 16, "01-01-2000")]
    assert find_personal_data("In 01-01-2999") == []


def test_privacy_segments_cover_the_text_and_mark_the_findings() -> None:
    text = "Bel Sanne op 06-12345678."
    pieces = segments(text, today=TODAY)
    assert pieces == [("Bel ", None), ("Sanne", "voornaam"), (" op ", None), ("06-12345678", "telefoon"), (".", None)]
    assert "".join(piece for piece, _ in pieces) == text


def test_privacy_segments_of_text_that_is_all_finding_or_none() -> None:
    assert segments("Finn", today=TODAY) == [("Finn", "voornaam")]
    assert segments("Geen namen hier.", today=TODAY) == [("Geen namen hier.", None)]
    assert segments("", today=TODAY) == []
    assert segments("Finn en Sammy", today=TODAY) == [("Finn", "voornaam"), (" en ", None), ("Sammy", "voornaam")]


def test_privacy_real_contributions_flag_only_the_names_in_them() -> None:
    samples = json.loads(SAMPLES.read_text(encoding="utf-8"))["items"]
    for sample in samples:
        findings = find_personal_data(sample["text"], today=TODAY)
        assert [[finding.kind, finding.start, finding.end, finding.text] for finding in findings] == sample[
            "findings"
        ], sample["source"]
    assert sum(len(sample["findings"]) for sample in samples) == 8


def test_privacy_name_list_is_clean() -> None:
    text = resources.files("facilitator").joinpath("data/voornamen_nl.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    names = [line.split()[0] for line in lines]
    assert len(names) == len(set(names))
    assert 600 <= len(names) <= 900
    assert all(name[0].isupper() and name[1:].islower() for name in names)
    assert all(line == name or line == f"{name} *" for line, name in zip(lines, names, strict=True))
    assert {"Finn", "Sammy", "Mohammed", "Fatima", "Emre", "Zeynep", "Kevin", "Priya", "Kasia"} <= set(names)
    assert "Frans" not in names  # also "French", capitalised mid-sentence


def test_privacy_a_number_joined_by_a_middle_dot_is_still_a_number() -> None:
    """Automatic theme names once joined two "terms" with " · ": "06 · 12345678" passed the check."""
    assert found("06 · 12345678") == [("telefoon", 0, 13, "06 · 12345678")]
    assert found("Bel 06 • 12 34 56 78") == [("telefoon", 4, 20, "06 • 12 34 56 78")]
    assert found("ouder · erkenning · 2024") == []
    assert found("10 · 20 · 30") == []


def test_privacy_fictional_names_are_not_flagged() -> None:
    text = "Finn (8) woont bij Sanne; bel 06-12345678"
    assert [f.text for f in find_personal_data(text, today=TODAY)] == ["Finn", "Sanne", "06-12345678"]
    assert [f.text for f in find_personal_data(text, today=TODAY, fictional=["finn"])] == ["Sanne", "06-12345678"]
    # Only first names can be fictional: a number stays flagged whatever is marked.
    assert [f.text for f in find_personal_data(text, today=TODAY, fictional=["Finn", "06-12345678"])] == [
        "Sanne", "06-12345678"]
    assert segments("Finn belt", today=TODAY, fictional=("Finn",)) == [("Finn belt", None)]
