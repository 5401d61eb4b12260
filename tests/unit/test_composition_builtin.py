"""What the composition model gained for the seeds' werkvormen (issue 16, point 3): a verslag heading of its own per
phase, the composition kept on the werkvorm it made, and built-in werkvormen written as a composition."""

from __future__ import annotations

import dataclasses
import sys
import textwrap
from pathlib import Path

import pytest

from facilitator.core.domain import InvalidWorkFormat, build_composed, check_composition, validate_workformat
from facilitator.core.domain.composition import composed_workformat
from facilitator.core.domain.workformat import MAX_LABEL
from facilitator.core.registry import discover, load_module
from workformats import samengesteld

BASE = samengesteld.WORKFORMAT


def composition(**phase: object) -> dict[str, object]:
    return {"name": "Lessen", "rows": ["Goed", "Beter"],
            "phases": [{"title": "Lessen", "prompt": "Wat leerden we?", "answer": "buckets", **phase}]}


def test_a_phase_may_name_its_own_verslag_heading() -> None:
    built = build_composed(BASE, composition(report_title="Geleerde lessen in het werken met de grondhouding"))
    [section] = built.report_sections
    assert section.title == "Geleerde lessen in het werken met de grondhouding"
    assert built.phases[0].title == "Lessen"  # the phones keep the short title


def test_without_its_own_heading_the_section_takes_the_phase_title() -> None:
    checked = check_composition(composition())
    assert checked["phases"][0]["report_title"] == ""  # an optional field, with its default
    assert build_composed(BASE, composition()).report_sections[0].title == "Lessen"


@pytest.mark.parametrize("bad", [3, "x" * (MAX_LABEL + 1)])
def test_a_verslag_heading_is_a_short_text(bad: object) -> None:
    with pytest.raises(InvalidWorkFormat) as caught:
        check_composition(composition(report_title=bad))
    assert caught.value.detail.startswith("composition.phases[0].report_title")


def test_the_werkvorm_keeps_the_composition_it_was_built_from() -> None:
    assert BASE.composition is None  # a werkvorm written in Python has none
    built = build_composed(BASE, composition(report_title="Kop"))
    assert built.composition == check_composition(composition(report_title="Kop"))
    # So a copy to adapt builds the same werkvorm again.
    assert build_composed(BASE, built.composition) == built


def test_a_built_in_werkvorm_can_be_written_as_a_composition() -> None:
    wf = composed_workformat("lessen", composition(), capabilities=("starter",))
    assert validate_workformat(wf, expected_id="lessen") is wf
    assert (wf.id, wf.name, wf.capabilities) == ("lessen", "Lessen", ("starter",))
    assert [b.label for b in wf.buckets] == ["Goed", "Beter"]
    assert wf.composition == check_composition(composition())
    # Its parts are those of the same composition in "Zelf samenstellen": a copy runs the same.
    copy = build_composed(BASE, wf.composition)
    for part in ("phases", "contribution_kinds", "buckets", "tag_groups", "report_sections", "roles", "name"):
        assert getattr(copy, part) == getattr(wf, part), part


def test_a_built_in_composition_is_checked_like_any_other() -> None:
    with pytest.raises(InvalidWorkFormat) as caught:
        composed_workformat("lessen", {"name": "Lessen", "phases": [{"title": "T", "prompt": "?", "answer": "grid"}]})
    assert caught.value.detail.startswith("composition.phases[0].answer")
    with pytest.raises(InvalidWorkFormat) as caught:
        composed_workformat("Lessen!", composition())
    assert caught.value.detail.startswith("id")


def test_a_werkvorm_whose_composition_is_not_its_own_is_refused() -> None:
    wf = composed_workformat("lessen", composition())
    with pytest.raises(InvalidWorkFormat) as caught:
        validate_workformat(dataclasses.replace(wf, composition={"name": "Anders"}))
    assert caught.value.detail.startswith("composition")
    with pytest.raises(InvalidWorkFormat) as caught:
        validate_workformat(dataclasses.replace(wf, composition=["niet", "een", "object"]))
    assert caught.value.detail.startswith("composition")


def test_discover_registers_a_module_written_as_a_composition(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "eigen_werkvormen"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "lessen.py").write_text(textwrap.dedent("""
        from facilitator.core.domain import N_
        from facilitator.core.domain.composition import composed_workformat

        WORKFORMAT = composed_workformat("lessen", {
            "name": N_("Lessen"),
            "phases": [{"title": N_("Lessen"), "prompt": N_("Wat leerden we?"), "minutes": 10}],
        })
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        registry = discover("eigen_werkvormen")
        assert registry.ids() == ["lessen"]
        assert registry.get("lessen").phases[0].timebox_seconds == 600
        module = sys.modules["eigen_werkvormen.lessen"]
        with pytest.raises(InvalidWorkFormat) as caught:
            load_module(module, expected_id="andere_naam")
        assert "id: must equal the module name 'andere_naam'" in caught.value.detail
    finally:
        for name in [n for n in sys.modules if n.startswith("eigen_werkvormen")]:
            del sys.modules[name]


def test_a_composition_without_own_words_tells_the_verslags_readers_nothing_general() -> None:
    plain = {"name": "Even rond", "phases": [{"title": "Rondje", "prompt": "Hoe zit je erbij?"}]}
    assert build_composed(samengesteld.WORKFORMAT, plain).reader_description == ""
    described = {**plain, "description": "Een korte ronde langs iedereen."}
    assert build_composed(samengesteld.WORKFORMAT, described).reader_description == "Een korte ronde langs iedereen."
