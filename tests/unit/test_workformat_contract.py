"""The werkvorm contract's newer fields and the facilitator's settings overlay: every error names its field."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from facilitator.core.domain import (
    Bucket,
    ContributionKind,
    InvalidWorkFormat,
    Phase,
    TagGroup,
    TagOption,
    WorkFormat,
    apply_settings,
    validate_settings,
    validate_workformat,
)
from workformats import casusdialoog, open_vraag, roddelmethode, stemmen, vier_buffers

OPEN = open_vraag.WORKFORMAT
RODDEL = roddelmethode.WORKFORMAT
BUFFERS = vier_buffers.WORKFORMAT
VIEWS = ("answer", "listen", "vote", "place", "wait")
DISPLAYS = (
    "wall", "case", "stream", "per_table", "stars", "quadrants", "votes", "rode_draad", "board", "grid", "scale",
    "ranking", "actions",
)


def broken(base: WorkFormat, **change: Any) -> str:
    """Return the error detail validate_workformat gives for a changed copy of a werkvorm."""
    with pytest.raises(InvalidWorkFormat) as caught:
        validate_workformat(dataclasses.replace(base, **change))
    return caught.value.detail


def phase(phase_id: str = "a", **fields: Any) -> Phase:
    return Phase(id=phase_id, title=phase_id.upper(), prompts={"deelnemer": "?"}, **fields)


@pytest.mark.parametrize("workformat", [OPEN, RODDEL, BUFFERS, casusdialoog.WORKFORMAT, stemmen.WORKFORMAT],
                         ids=lambda wf: wf.id)
def test_the_built_in_werkvormen_are_valid(workformat: WorkFormat) -> None:
    assert validate_workformat(workformat, expected_id=workformat.id) is workformat


# -- contribution kinds ----------------------------------------------------------------------


def test_a_kind_may_only_name_roles_of_its_werkvorm() -> None:
    kind = ContributionKind(id="x", label="X", roles=("inbrenger",))
    assert broken(OPEN, contribution_kinds=(kind,)) == (
        "contribution_kinds[0].roles: must be a non-empty subset of ('deelnemer',)"
    )
    empty = ContributionKind(id="x", label="X", roles=())
    assert broken(OPEN, contribution_kinds=(empty,)) == (
        "contribution_kinds[0].roles: must be a non-empty subset of ('deelnemer',)"
    )
    as_list = ContributionKind(id="x", label="X", roles=["deelnemer"])  # type: ignore[arg-type]
    assert broken(OPEN, contribution_kinds=(as_list,)).startswith("contribution_kinds[0].roles: ")
    # Within the werkvorm's own roles it is fine.
    ok = ContributionKind(id="x", label="X", roles=("inbrenger", "deelnemer"))
    assert validate_workformat(
        dataclasses.replace(RODDEL, contribution_kinds=(ok,), phases=(phase(),), report_sections=())
    )


def test_needs_bucket_requires_buckets() -> None:
    kind = ContributionKind(id="x", label="X", needs_bucket=True)
    assert broken(OPEN, contribution_kinds=(kind,)) == (
        "contribution_kinds[0].needs_bucket: must be true or false, and true only when the werkvorm has buckets"
    )
    assert broken(BUFFERS, buckets=()) == (
        "contribution_kinds[0].needs_bucket: must be true or false, and true only when the werkvorm has buckets"
    )


def test_a_kind_may_only_name_known_tag_groups() -> None:
    kind = ContributionKind(id="x", label="X", tag_groups=("als", "kleur"))
    assert broken(BUFFERS, contribution_kinds=(kind,), phases=(phase(),)) == (
        "contribution_kinds[0].tag_groups: names unknown tag group 'kleur'"
    )
    not_a_tuple = ContributionKind(id="x", label="X", tag_groups="als")  # type: ignore[arg-type]
    assert broken(BUFFERS, contribution_kinds=(not_a_tuple,), phases=(phase(),)) == (
        "contribution_kinds[0].tag_groups: must be a tuple of tag group ids"
    )


def test_a_table_kind_needs_its_number_of_slots_and_cannot_be_private() -> None:
    no_slots = ContributionKind(id="x", label="X", scope="table")
    assert broken(OPEN, contribution_kinds=(no_slots,)) == (
        "contribution_kinds[0].per_table: must give the number of slots for a table-scope kind"
    )
    private = ContributionKind(id="x", label="X", scope="table", per_table=1, visibility="private")
    assert broken(OPEN, contribution_kinds=(private,)) == (
        "contribution_kinds[0].visibility: a table-scope kind is shared by its table, so it cannot be private"
    )
    secret = ContributionKind(id="x", label="X", visibility="geheim")
    assert broken(OPEN, contribution_kinds=(secret,)) == (
        "contribution_kinds[0].visibility: must be one of ('shared', 'private')"
    )


def test_asks_function_must_be_a_bool() -> None:
    kind = ContributionKind(id="x", label="X", asks_function="ja")  # type: ignore[arg-type]
    assert broken(OPEN, contribution_kinds=(kind,)) == "contribution_kinds[0].asks_function: must be true or false"


# -- phases ----------------------------------------------------------------------------------


def test_a_view_must_be_known_and_for_a_known_role() -> None:
    assert broken(OPEN, phases=(phase(views={"deelnemer": "dansen"}),)) == (
        f"phases[0].views['deelnemer']: must be one of {VIEWS}"
    )
    assert broken(OPEN, phases=(phase(views={"inbrenger": "listen"}),)) == (
        "phases[0].views: names role 'inbrenger', which is not in roles"
    )


def test_a_display_must_be_known() -> None:
    assert broken(OPEN, phases=(phase(display="film"),)) == f"phases[0].display: must be one of {DISPLAYS}"


def test_shows_phases_may_only_name_earlier_phases() -> None:
    later = (phase("a", shows_phases=("b",)), phase("b"))
    assert broken(OPEN, phases=later) == "phases[0].shows_phases: names 'b', which is not an earlier phase"
    unknown = (phase("a"), phase("b", shows_phases=("nergens",)))
    assert broken(OPEN, phases=unknown) == "phases[1].shows_phases: names 'nergens', which is not an earlier phase"
    itself = (phase("a"), phase("b", shows_phases=("b",)))
    assert broken(OPEN, phases=itself) == "phases[1].shows_phases: names 'b', which is not an earlier phase"
    earlier = (phase("a"), phase("b", shows_phases=("a",)))
    assert validate_workformat(dataclasses.replace(OPEN, phases=earlier, report_sections=()))


def test_hidden_until_reveal_must_be_a_bool() -> None:
    assert broken(OPEN, phases=(phase(hidden_until_reveal=1),)) == "phases[0].hidden_until_reveal: must be true or false"


# -- tag groups and buckets ------------------------------------------------------------------


def test_a_tag_group_offers_at_least_two_options() -> None:
    one = TagGroup(id="als", label="Vanuit", options=(TagOption(id="mens", label="Als mens"),))
    assert broken(BUFFERS, tag_groups=(one,), contribution_kinds=(), phases=(phase(),), report_sections=()) == (
        "tag_groups[0].options: must offer at least two options"
    )
    twice = TagGroup(id="als", label="Vanuit", options=(TagOption(id="mens", label="A"), TagOption(id="mens", label="B")))
    assert broken(BUFFERS, tag_groups=(twice,), contribution_kinds=(), phases=(phase(),), report_sections=()) == (
        "tag_groups[0].options[1].id: duplicate id 'mens'"
    )


def test_buckets_have_unique_ids_and_labels() -> None:
    assert broken(BUFFERS, buckets=(Bucket(id="a", label="A"), Bucket(id="a", label="B"))) == (
        "buckets[1].id: duplicate id 'a'"
    )
    assert broken(BUFFERS, buckets=(Bucket(id="a", label=""),)) == "buckets[0].label: must be a non-empty text"


def test_a_werkvorm_may_not_redeclare_a_common_setting() -> None:
    assert broken(OPEN, settings={"timers": {}}) == (
        "settings.timers: is a common setting every werkvorm has; do not declare it"
    )


# -- the facilitator's settings --------------------------------------------------------------


def settings_error(workformat: WorkFormat, settings: Any) -> str:
    with pytest.raises(InvalidWorkFormat) as caught:
        validate_settings(workformat, settings)
    return caught.value.detail


def test_own_prompts_per_phase_and_role() -> None:
    settings = {
        "prompts": {
            "roddelen": {"inbrenger": "Luister en zwijg.", "deelnemer": "Wat valt je op aan Finn?"},
            "advies": {"deelnemer": "   "},  # blank: keeps the werkvorm's own prompt
        }
    }
    assert validate_settings(RODDEL, settings) == settings
    configured = apply_settings(RODDEL, settings)
    roddelen = configured.phase_by_id("roddelen")
    assert roddelen is not None
    assert roddelen.prompt_for("inbrenger") == "Luister en zwijg."
    assert roddelen.prompt_for("deelnemer") == "Wat valt je op aan Finn?"
    assert roddelen.prompt_for("tafelvoorzitter") == "Wat valt je op aan Finn?"
    assert configured.phase_by_id("advies") == RODDEL.phase_by_id("advies")
    assert RODDEL.phase_by_id("roddelen").prompt_for("inbrenger").startswith("Luister mee")  # the original is untouched


def test_the_prompt_setting_is_the_first_phase_prompt() -> None:
    configured = apply_settings(OPEN, validate_settings(OPEN, {"prompt": "Wat zou Sammy willen?", "title": "Sammy"}))
    assert configured.phases[0].prompt_for("deelnemer") == "Wat zou Sammy willen?"
    assert configured.name == "Sammy"
    # An own prompt for the first phase wins over the short form.
    both = {"prompt": "kort", "prompts": {"antwoorden": {"deelnemer": "lang"}}}
    assert apply_settings(OPEN, validate_settings(OPEN, both)).phases[0].prompt_for("deelnemer") == "lang"


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"prompts": {"nergens": {"deelnemer": "?"}}}, "settings.prompts.nergens: names no phase of this werkvorm"),
        ({"prompts": {"roddelen": {"koning": "?"}}}, "settings.prompts.roddelen.koning: names no role of this werkvorm"),
        ({"prompts": {"roddelen": {"deelnemer": 5}}}, "settings.prompts.roddelen.deelnemer: must be a text"),
        ({"prompts": {"roddelen": {"deelnemer": "x" * 1001}}}, "settings.prompts.roddelen.deelnemer: must be at most 1000 characters"),
        ({"prompts": {"roddelen": "tekst"}}, "settings.prompts.roddelen: must be an object"),
        ({"prompts": ["roddelen"]}, "settings.prompts: must be an object"),
        ({"timers": {"roddelen": 5}}, "settings.timers.roddelen: must be empty or 10 to 14400 seconds"),
        ({"timers": {"roddelen": 14401}}, "settings.timers.roddelen: must be empty or 10 to 14400 seconds"),
        ({"timers": {"roddelen": True}}, "settings.timers.roddelen: must be empty or 10 to 14400 seconds"),
        ({"timers": {"roddelen": "600"}}, "settings.timers.roddelen: must be empty or 10 to 14400 seconds"),
        ({"timers": {"x": 60}}, "settings.timers.x: names no phase of this werkvorm"),
        ({"hidden": {"roddelen": "ja"}}, "settings.hidden.roddelen: must be true or false"),
        ({"hidden": {"x": True}}, "settings.hidden.x: names no phase of this werkvorm"),
        ({"title": "x" * 81}, "settings.title: must be at most 80 characters"),
        ({"case_text": 12}, "settings.case_text: must be a text"),
        ({"case_text": "x" * 5001}, "settings.case_text: must be at most 5000 characters"),
        ({"foo": 1}, "settings.foo: is not a setting of werkvorm 'roddelmethode'"),
        ({"inbrenger_mode": 2}, "settings.inbrenger_mode: must be one of ['room', 'table']"),
        ({"inbrenger_mode": "tafel"}, "settings.inbrenger_mode: must be one of ['room', 'table']"),
    ],
)
def test_a_wrong_setting_gets_an_error_naming_it(settings: dict[str, Any], field: str) -> None:
    assert settings_error(RODDEL, settings) == field


def test_settings_must_be_an_object() -> None:
    assert settings_error(OPEN, ["prompt"]) == "settings: must be an object"


def test_timers_and_hiding_change_the_phases() -> None:
    settings = {"timers": {"roddelen": 120, "inbreng": None}, "hidden": {"verhelderende_vragen": True}}
    configured = apply_settings(RODDEL, validate_settings(RODDEL, settings))
    assert configured.phase_by_id("roddelen").timebox_seconds == 120
    assert configured.phase_by_id("inbreng").timebox_seconds is None
    assert configured.phase_by_id("advies").timebox_seconds == 600
    assert configured.phase_by_id("verhelderende_vragen").hidden_until_reveal is True
    assert configured.phase_by_id("roddelen").hidden_until_reveal is False
    assert validate_settings(RODDEL, {"timers": {"roddelen": 10}}) == {"timers": {"roddelen": 10}}
    assert validate_settings(RODDEL, {"timers": {"roddelen": 14400}}) == {"timers": {"roddelen": 14400}}


def test_own_buckets_replace_the_werkvorm_buckets() -> None:
    own = [{"id": "steun", "label": "Steun", "description": "Wie helpt?"}, {"id": "rust", "label": "Rust"}]
    checked = validate_settings(BUFFERS, {"buckets": own})
    assert checked == {"buckets": [own[0], {"id": "rust", "label": "Rust", "description": ""}]}
    configured = apply_settings(BUFFERS, checked)
    assert configured.buckets == (Bucket(id="steun", label="Steun", description="Wie helpt?"), Bucket(id="rust", label="Rust"))
    assert validate_workformat(configured) is configured
    assert BUFFERS.buckets[0].id == "solidariteit"


@pytest.mark.parametrize(
    ("buckets", "field"),
    [
        ([], "settings.buckets: must keep at least one bucket: this werkvorm sorts into buckets"),
        ("steun", "settings.buckets: must be a list of buckets"),
        ([{"id": "a", "label": "A", "kleur": "rood"}], "settings.buckets[0].kleur: is not a field of a bucket"),
        ([{"id": "Steun!", "label": "A"}], "settings.buckets[0].id: must be a lowercase id (a-z, 0-9, _), starting with a letter"),
        ([{"id": "a", "label": "A"}, {"id": "a", "label": "B"}], "settings.buckets[1].id: duplicate id 'a'"),
        ([{"id": "a", "label": ""}], "settings.buckets[0].label: must be a non-empty text"),
        (["a"], "settings.buckets[0]: must be an object"),
        ([{"id": f"b{i}", "label": "B"} for i in range(13)], "settings.buckets: must be a tuple of at most 12 buckets"),
    ],
)
def test_wrong_buckets_get_an_error_naming_the_field(buckets: Any, field: str) -> None:
    assert settings_error(BUFFERS, {"buckets": buckets}) == field


def test_werkvorm_specific_settings_keep_the_kind_of_their_default() -> None:
    vote = stemmen.WORKFORMAT
    assert validate_settings(vote, {"dots": 5, "options": ["Rust", "Tijd"], "source": ""}) == {
        "dots": 5, "options": ["Rust", "Tijd"], "source": "",
    }
    for wrong in ("3", True, 2.5, -1, 1001, None):
        assert settings_error(vote, {"dots": wrong}) == "settings.dots: must be a whole number from 1 to 20"
    lines = "settings.options: must be a list of at most 50 lines of at most 1000 characters"
    assert settings_error(vote, {"options": "Rust"}) == lines
    assert settings_error(vote, {"options": [1]}) == lines
    assert settings_error(OPEN, {"dots": 3}) == "settings.dots: is not a setting of werkvorm 'open_vraag'"


def test_no_settings_is_the_werkvorm_itself() -> None:
    assert apply_settings(RODDEL, {}) is RODDEL
    assert validate_settings(RODDEL, {}) == {}


# -- a werkvorm's own settings are checked by their typed specs (issue 16, point 1) --------------

VOTES = stemmen.WORKFORMAT


@pytest.mark.parametrize(
    ("settings", "detail"),
    [
        ({"dots": 999}, "settings.dots: must be a whole number from 1 to 20"),
        ({"dots": 0}, "settings.dots: must be a whole number from 1 to 20"),
        ({"dots": 21}, "settings.dots: must be a whole number from 1 to 20"),
        ({"dots": -3}, "settings.dots: must be a whole number from 1 to 20"),
        ({"dots": True}, "settings.dots: must be a whole number from 1 to 20"),
        ({"dots": 2.5}, "settings.dots: must be a whole number from 1 to 20"),
        ({"dots": "3"}, "settings.dots: must be a whole number from 1 to 20"),
        ({"options": "Ja\nNee"}, "settings.options: must be a list of at most 50 lines of at most 1000 characters"),
        ({"options": ["Ja", 5]}, "settings.options: must be a list of at most 50 lines of at most 1000 characters"),
        ({"options": ["x" * 1001]}, "settings.options: must be a list of at most 50 lines of at most 1000 characters"),
        ({"options": ["o"] * 51}, "settings.options: must be a list of at most 50 lines of at most 1000 characters"),
        ({"source": 3}, "settings.source: must name an agenda item"),
        ({"source": "../../etc"}, "settings.source: must name an agenda item"),
        ({"source": "x" * 65}, "settings.source: must name an agenda item"),
    ],
)
def test_own_settings_are_checked_by_their_spec_not_only_their_type(settings: dict[str, Any], detail: str) -> None:
    assert settings_error(VOTES, settings) == detail


@pytest.mark.parametrize(
    "settings",
    [{"dots": 1}, {"dots": 20}, {"options": ["Ja", "Nee"] * 25}, {"source": ""}, {"source": "a1b2c3d4"},
     {"source": "@3"}, {"options": []},
     {"options": ["Rust", "  "]}],  # a blank line is no option (the vote skips it), as typed in the form
)
def test_settings_within_their_spec_are_kept(settings: dict[str, Any]) -> None:
    assert validate_settings(VOTES, settings) == settings


def test_a_setting_without_a_spec_keeps_the_bounds_inferred_from_its_default() -> None:
    legacy = dataclasses.replace(OPEN, settings={"rondes": 2, "kort": False, "woorden": ["a"], "toon": "x"})
    assert validate_settings(legacy, {"rondes": 1000, "kort": True, "woorden": ["b"], "toon": "y"})
    assert settings_error(legacy, {"rondes": 1001}) == "settings.rondes: must be a whole number from 0 to 1000"
    assert settings_error(legacy, {"kort": 1}) == "settings.kort: must be true or false"
    assert settings_error(legacy, {"toon": ["x"]}) == "settings.toon: must be a text of at most 1000 characters"


def test_the_prepare_form_and_the_files_share_one_check() -> None:
    from facilitator.core.domain.workformat import setting_problem

    [dots] = [s for s in VOTES.specs() if s.kind == "int"]
    assert setting_problem(dots, 20) == ""
    assert setting_problem(dots, 21) == "must be a whole number from 1 to 20"
