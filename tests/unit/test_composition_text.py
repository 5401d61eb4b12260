"""What a composed werkvorm's labels and prompts may hold: what every screen, file and mail can carry (issue 16).

Found by tests/e2e/test_composed_live.py: a file's labels kept a bell, an escape sequence and a right-to-left
override verbatim, which the phones, the beamer and the CSV then showed; every other text a facilitator types
(titles, names) loses them (domain/text.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from facilitator.core.domain import InvalidWorkFormat
from facilitator.core.domain.composition import check_composition

BELL, ESC, RLO, PDF = "\x07", "\x1b", "\u202e", "\u202c"


def composition(**parts: Any) -> dict[str, Any]:
    return {"name": "Lessen", "phases": [{"title": "Vraag", "prompt": "Wat leerde je?", "answer": "buckets"}],
            "rows": [{"label": "Goed"}], **parts}


def test_control_characters_and_bidi_overrides_are_left_out_of_every_text() -> None:
    checked = check_composition({
        "name": f"Les{BELL}sen", "description": f"{ESC}[31mrood", "reader_description": f"{RLO}omgekeerd{PDF}",
        "rows": [{"label": f"Go{BELL}ed", "description": f"wat {RLO}gaat{PDF} goed"}],
        "columns": [{"label": f"{ESC}A"}, {"label": "B"}],
        "scale": [f"eens{BELL}", "oneens"],
        "ranking_options": ["Rust", f"Ruimte{RLO}"],
        "inbrenger": True,
        "phases": [{"title": f"Vr{BELL}aag", "prompt": f"Wat {RLO}leerde{PDF} je?", "answer": "grid",
                    "inbrenger_prompt": f"Luister{BELL}"}],
    })
    assert checked["name"] == "Lessen"
    assert checked["description"] == "[31mrood"
    assert checked["reader_description"] == "omgekeerd"
    assert checked["rows"] == [{"label": "Goed", "description": "wat gaat goed"}]
    assert [c["label"] for c in checked["columns"]] == ["A", "B"]
    assert [s["label"] for s in checked["scale"]] == ["eens", "oneens"]
    assert [o["label"] for o in checked["ranking_options"]] == ["Rust", "Ruimte"]
    [phase] = checked["phases"]
    assert (phase["title"], phase["prompt"], phase["inbrenger_prompt"]) == ("Vraag", "Wat leerde je?", "Luister")


def test_tabs_newlines_and_odd_but_showable_unicode_are_kept() -> None:
    odd = "e\u0301 👩\u200d👩\u200d👧 🇳🇱 שלום \u200b a\u00a0b"
    checked = check_composition(composition(name=f"⟦N⟧ {odd}", description="regel 1\nregel 2\tmet tab"))
    assert checked["name"] == f"⟦N⟧ {odd}"
    assert checked["description"] == "regel 1\nregel 2\tmet tab"


@pytest.mark.parametrize(
    ("parts", "detail"),
    [
        ({"name": BELL + RLO}, "composition.name: must be a text of at most 80 characters, not empty"),
        ({"rows": [{"label": ESC}]}, "composition.rows[0].label: must be a text of at most 80 characters, not empty"),
        ({"name": "Les\ud800sen"}, "composition.name: contains unpaired surrogates"),
    ],
)
def test_a_text_of_only_control_characters_or_half_a_pair_is_refused(parts: dict[str, Any], detail: str) -> None:
    with pytest.raises(InvalidWorkFormat) as caught:
        check_composition(composition(**parts))
    assert caught.value.detail == detail


def test_a_structure_nested_far_too_deep_is_refused_not_a_crash() -> None:
    deep: dict = {}
    inner = deep
    for _ in range(5000):
        inner["phases"] = [{}]
        inner = inner["phases"][0]
    with pytest.raises(InvalidWorkFormat) as refused:
        check_composition({"name": "Diep", **deep})
    assert refused.value.detail == "composition.: must be plain data"
