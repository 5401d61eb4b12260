"""The seeds' werkvormen, built in as compositions (issue 16, point 3): each loads and validates, asks what the seed
asks with the answer kind that keeps its shape, and gives the verslag sections the seeds' verslagen have."""

from __future__ import annotations

import json

import pytest

from facilitator.core.domain import apply_settings, check_composition, validate_settings, validate_workformat
from facilitator.core.domain.composition import ACTION_LEVELS
from facilitator.core.domain.workformat import MAX_PROMPT, WorkFormat
from facilitator.core.registry import discover

REGISTRY = discover()
SEEDS = ("grondhouding", "geleerde_lessen", "samenwerkingspartners", "frame_innovation", "check_out", "gespreksregels")


def seed(workformat_id: str) -> WorkFormat:
    return REGISTRY.get(workformat_id)


def labels(wf: WorkFormat, group: str) -> list[str]:
    found = wf.tag_group(group)
    assert found is not None, group
    return [o.label for o in found.options]


def answers(wf: WorkFormat) -> list[str]:
    """Per phase what the phones give: none, or the kind's answer with its shape."""
    out = []
    for phase in wf.phases:
        kind = wf.kind(phase.accepts[0]) if phase.accepts else None
        if kind is None:
            out.append("none")
        elif kind.answer != "text":
            out.append(kind.answer)
        elif kind.scope == "table":
            out.append("table text")
        elif kind.needs_bucket and kind.tag_groups == ("kolom",):
            out.append("grid")
        elif kind.needs_bucket:
            out.append("buckets")
        elif kind.tag_groups == ("schaal",):
            out.append("scale")
        else:
            out.append("text")
    return out


@pytest.mark.parametrize("workformat_id", SEEDS)
def test_each_seed_werkvorm_is_a_validated_composition_named_after_its_module(workformat_id: str) -> None:
    wf = seed(workformat_id)
    assert validate_workformat(wf, expected_id=workformat_id) is wf
    assert wf.composition is not None and check_composition(wf.composition) == wf.composition
    assert wf.name.strip() and wf.description.strip() and wf.reader_description.strip()
    assert wf.capabilities == () and dict(wf.settings) == {}
    for phase in wf.phases:
        assert phase.timebox_seconds, f"{phase.id} has a timer"
        assert 0 < len(phase.prompt_for("deelnemer")) <= MAX_PROMPT
    # Every phase the phones answer has its own verslag section, headed like the seeds' verslagen, not "Stap 1".
    answered = [p.id for p in wf.phases if p.accepts]
    assert [s.phases for s in wf.report_sections] == [(p,) for p in answered]
    for section in wf.report_sections:
        assert section.title[0].isupper() and not section.title.startswith("Stap")


@pytest.mark.parametrize("workformat_id", SEEDS)
def test_a_copy_in_zelf_samenstellen_runs_the_same_werkvorm(workformat_id: str) -> None:
    wf = seed(workformat_id)
    # As the settings of a "Zelf samenstellen" item (what the library and export files carry), checked as such.
    settings = validate_settings(REGISTRY.get("samengesteld"), {"composition": json.loads(json.dumps(wf.composition))})
    copy = apply_settings(REGISTRY.get("samengesteld"), settings)
    for part in ("name", "roles", "buckets", "tag_groups", "contribution_kinds", "phases", "report_sections"):
        assert getattr(copy, part) == getattr(wf, part), part


def test_grondhouding_is_four_uitgangspunten_by_three_lenzen() -> None:
    wf = seed("grondhouding")
    assert [b.label for b in wf.buckets] == [
        "Werken vanuit oprechte interesse", "Regie geven aan cliënt en diens systeem", "Aansluiten bij de leefwereld",
        "Elkaars expertise benutten (gelijkwaardigheid)",
    ]
    assert wf.buckets[0].description.startswith("We werken vanuit oprechte interesse")
    assert labels(wf, "kolom") == ["Ons handelen", "Onze hulpinzet", "Onze samenwerking"]
    assert [o.description for o in wf.tag_group("kolom").options] == [
        "Wat betekent dit voor ons handelen?", "Wat betekent dit voor onze hulpinzet?",
        "Wat betekent dit in onze samenwerking?",
    ]
    assert answers(wf) == ["grid", "text"]
    assert [p.display for p in wf.phases] == ["grid", "wall"]
    assert "Doen we nog het goede?" in wf.phases[1].prompt_for("deelnemer")
    assert "Hoe doen we het met elkaar?" in wf.phases[1].prompt_for("deelnemer")
    grid, closing = wf.report_sections
    assert (grid.shape, grid.keeps_tag, closing.shape) == ("grid", "kolom", "bullets")
    assert closing.title == "Doen we nog het goede? Hoe doen we het met elkaar?"


def test_geleerde_lessen_are_written_per_pilot_table_under_the_pilot_page_headings() -> None:
    wf = seed("geleerde_lessen")
    assert "tafelvoorzitter" in wf.roles
    assert answers(wf) == ["table text"] * 4 + ["action"]
    assert [s.title for s in wf.report_sections] == [
        "Gewenste beweging in deze pilot",
        "Positieve lessen in het werken met de grondhouding",
        "Lessen ter verbetering in het werken met de grondhouding",
        "Wat er nodig is om samen te werken vanuit de grondhouding",
        "Afspraken: wie pakt de lessen op?",
    ]
    assert [s.shape for s in wf.report_sections] == ["per_table"] * 4 + ["actions"]
    afspraak = wf.kind(wf.phases[-1].accepts[0])
    # The woordvoerder records the table's afspraken, at the levels of the poster: bestuur, beleid, uitvoering.
    assert afspraak.roles == ("tafelvoorzitter",) and afspraak.tag_groups == ("niveau",)
    assert labels(wf, "niveau") == [label for _id, label in ACTION_LEVELS] == ["Bestuur", "Beleid", "Uitvoering"]


def test_samenwerkingspartners_keep_goed_knelpunten_and_oplossingen_per_partner() -> None:
    wf = seed("samenwerkingspartners")
    assert [b.label for b in wf.buckets] == [
        "Ouders", "Leerlingen", "Partners binnen de school", "Partners buiten de school"]
    assert labels(wf, "kolom") == ["Dit gaat goed", "Knelpunten", "Oplossingen"]
    assert answers(wf) == ["grid"]
    prompt = wf.phases[0].prompt_for("deelnemer")
    assert "Wat gaat er goed in het werken met de grondhouding" in prompt and "Welke knelpunten ervaar je?" in prompt
    [section] = wf.report_sections
    assert (section.shape, section.keeps_tag) == ("grid", "kolom")


def test_frame_innovation_starts_with_spelregels_and_walks_the_four_steps() -> None:
    wf = seed("frame_innovation")
    assert [p.title for p in wf.phases] == [
        "Spelregels voor spelregels", "Leefwereldportret", "Thema's", "Frames", "Interventies"]
    prompts = [p.prompt_for("deelnemer") for p in wf.phases]
    for theme in ("veiligheid en vertrouwen", "openheid en schaamte", "autonomie, macht en keuzes", "plek en sfeer",
                  "verwachtingen"):
        assert theme in prompts[0]
    for prompt, question in zip(prompts[1:], ("Wat is er aan de hand", "Waar gaat dat over?",
                                               "Hoe gaan we daarmee om?", "Hoe organiseren we dat?"), strict=True):
        assert prompt.startswith(question)
    assert answers(wf) == ["text", "text", "text", "text", "buckets"]
    assert [b.label for b in wf.buckets] == ["Op school", "Gezin, familie en vrienden", "Professionele hulp"]
    assert wf.report_sections[0].title == "Onze spelregels voor spelregels"
    assert wf.report_sections[-1].shape == "bullets_per_bucket"


def test_check_out_is_a_scale_of_five_with_one_required_sentence() -> None:
    wf = seed("check_out")
    assert labels(wf, "schaal") == ["1 – niet waardevol", "2", "3", "4", "5 – zeer waardevol"]
    assert answers(wf) == ["scale"]
    kind = wf.kind(wf.phases[0].accepts[0])
    assert (kind.per_participant, kind.text_optional) == (1, False)  # one point, and the sentence is asked for
    assert "één zin" in wf.phases[0].prompt_for("deelnemer")
    [section] = wf.report_sections
    assert (section.shape, section.keeps_tag) == ("scale", "schaal")


def test_gespreksregels_open_with_the_rules_on_the_screen_then_a_round() -> None:
    wf = seed("gespreksregels")
    assert answers(wf) == ["none", "text", "text"]
    rules = wf.phases[0]
    assert rules.display == "case" and wf.view_for(rules, "deelnemer") == "wait"
    for rule in ("aanleiding", "doel", "opleveren", "‘tuintje’", "ik-boodschappen", "ontschuldigende taal"):
        assert rule in rules.prompt_for("deelnemer")
    assert "verwacht" in wf.phases[1].prompt_for("deelnemer")
    assert [s.title for s in wf.report_sections] == ["Verwachtingen bij de start", "Aanvullende gespreksregels"]


@pytest.mark.parametrize("workformat_id", SEEDS)
def test_every_text_of_a_seed_werkvorm_has_an_english_translation(workformat_id: str) -> None:
    from babel.messages.pofile import read_po

    from tests.unit.test_translations import ROOT

    with open(ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po", "rb") as po:
        english = {m.id: m.string for m in read_po(po) if m.id}
    wf = seed(workformat_id)
    texts = [wf.name, wf.description, wf.reader_description]
    texts += [t for p in wf.phases for t in (p.title, *p.prompts.values())]
    texts += [t for b in wf.buckets for t in (b.label, b.description)]
    texts += [t for g in wf.tag_groups for o in g.options for t in (g.label, o.label, o.description)]
    texts += [s.title for s in wf.report_sections] + [k.label for k in wf.contribution_kinds]
    missing = [t for t in texts if t and not t.isdigit() and not english.get(t)]
    assert missing == []
