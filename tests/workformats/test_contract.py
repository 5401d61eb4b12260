"""The contract every werkvorm in workformats/ must keep; new modules are picked up by themselves."""

from __future__ import annotations

import dataclasses
import sys
import textwrap
from pathlib import Path

import pytest

from facilitator.core.domain import ContributionKind, InvalidWorkFormat, Phase, ReportSection, validate_workformat
from facilitator.core.registry import discover
from workformats import open_vraag

REGISTRY = discover()


def test_the_registry_finds_the_open_question() -> None:
    assert REGISTRY.get("open_vraag") is open_vraag.WORKFORMAT


@pytest.mark.parametrize("workformat", list(REGISTRY), ids=lambda wf: wf.id)
def test_every_werkvorm_keeps_the_contract(workformat) -> None:
    assert validate_workformat(workformat, expected_id=workformat.id) is workformat
    kinds = {k.id for k in workformat.contribution_kinds}
    phases = {p.id for p in workformat.phases}
    for phase in workformat.phases:
        assert phase.prompt_for("deelnemer").strip()
        for role in workformat.roles:
            assert phase.prompt_for(role).strip(), f"{phase.id}: role {role} sees no prompt"
        assert set(phase.accepts) <= kinds
    for section in workformat.report_sections:
        assert set(section.phases) <= phases
    # Settings are plain data, so an adapted copy can be saved and exported as JSON.
    for value in workformat.settings.values():
        assert isinstance(value, (str, int, float, bool, list, dict))


def test_open_vraag_accepts_one_free_text_answer_kind() -> None:
    wf = REGISTRY.get("open_vraag")
    assert [p.id for p in wf.phases] == ["antwoorden"]
    assert wf.phases[0].accepts == ("antwoord",)
    assert wf.kind("antwoord") == ContributionKind(id="antwoord", label="Antwoord", max_length=500, per_participant=20)
    assert wf.phases[0].prompt_for("deelnemer") == open_vraag.DEFAULT_PROMPT
    assert dict(wf.settings) == {}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "Open Vraag"}, "id: must be a lowercase id"),
        ({"name": ""}, "name: must be a non-empty text"),
        ({"roles": ("inbrenger",)}, "roles: must include 'deelnemer'"),
        ({"roles": ("deelnemer", "koning")}, "roles: must be a non-empty subset"),
        ({"phases": ()}, "phases: must list at least one phase"),
        ({"phases": (Phase(id="a", title="A", prompts={}),)}, "phases[0].prompts: must give at least the 'deelnemer' prompt"),
        ({"phases": (Phase(id="a", title="A", prompts={"deelnemer": "?"}, accepts=("onbekend",)),)}, "phases[0].accepts: names unknown contribution kind 'onbekend'"),
        ({"phases": (Phase(id="a", title="A", prompts={"deelnemer": "?", "inbrenger": "?"}),)}, "phases[0].prompts: names role 'inbrenger', which is not in roles"),
        ({"phases": (Phase(id="a", title="A", prompts={"deelnemer": "?"}, timebox_seconds=3),)}, "phases[0].timebox_seconds: must be None or 10 to 14400 seconds"),
        ({"contribution_kinds": (ContributionKind(id="x", label="X", max_length=0),)}, "contribution_kinds[0].max_length: must be a whole number from 1 to 5000"),
        ({"contribution_kinds": (ContributionKind(id="x", label="X", per_table=0),)}, "contribution_kinds[0].per_table: must be None or a whole number from 1 to 100"),
        ({"contribution_kinds": (ContributionKind(id="x", label="X", scope="zaal"),)}, "contribution_kinds[0].scope: must be one of"),
        ({"contribution_kinds": (ContributionKind(id="x", label="X"), ContributionKind(id="x", label="Y"))}, "contribution_kinds[1].id: duplicate id 'x'"),
        ({"report_sections": (ReportSection(id="r", title="R", phases=("nergens",)),)}, "report_sections[0].phases: names unknown phase 'nergens'"),
        ({"report_sections": (ReportSection(id="r", title="R", phases=(), shape="taart"),)}, "report_sections[0].shape: must be one of"),
    ],
)
def test_a_broken_definition_gets_an_error_naming_the_field(change: dict, message: str) -> None:
    broken = dataclasses.replace(open_vraag.WORKFORMAT, **change)
    with pytest.raises(InvalidWorkFormat) as caught:
        validate_workformat(broken)
    assert caught.value.detail.startswith(message), caught.value.detail


def test_module_name_must_match_the_id() -> None:
    with pytest.raises(InvalidWorkFormat) as caught:
        validate_workformat(open_vraag.WORKFORMAT, expected_id="check_in")
    assert caught.value.detail == "id: must equal the module name 'check_in', is 'open_vraag'"


def _package(tmp_path: Path, name: str, modules: dict[str, str]) -> str:
    package = tmp_path / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module, source in modules.items():
        (package / f"{module}.py").write_text(textwrap.dedent(source))
    sys.path.insert(0, str(tmp_path))
    return name


def test_registry_names_the_module_of_a_broken_werkvorm(tmp_path: Path) -> None:
    name = _package(
        tmp_path,
        "broken_formats",
        {"kapot": "import dataclasses\nfrom workformats.open_vraag import WORKFORMAT as W\nWORKFORMAT = dataclasses.replace(W, id='kapot', name='')\n"},
    )
    try:
        with pytest.raises(InvalidWorkFormat) as caught:
            discover(name)
        assert caught.value.detail == "broken_formats.kapot: name: must be a non-empty text"
    finally:
        sys.path.remove(str(tmp_path))


def test_registry_refuses_a_module_without_workformat(tmp_path: Path) -> None:
    name = _package(tmp_path, "empty_formats", {"leeg": "X = 1\n"})
    try:
        with pytest.raises(InvalidWorkFormat) as caught:
            discover(name)
        assert caught.value.detail == "empty_formats.leeg: has no WORKFORMAT"
    finally:
        sys.path.remove(str(tmp_path))
