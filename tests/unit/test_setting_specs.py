"""A werkvorm's capabilities and typed setting specs: checked at start-up, and the prepare form follows them."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from facilitator.core.domain import N_, InvalidInput, InvalidWorkFormat, SettingSpec, WorkFormat, validate_workformat
from facilitator.core.registry import discover
from workformats import open_vraag, roddelmethode, stemmen

REGISTRY = discover()
OPEN = open_vraag.WORKFORMAT


def broken(base: WorkFormat, **change: Any) -> str:
    """Return the error detail validate_workformat gives for a changed copy of a werkvorm."""
    with pytest.raises(InvalidWorkFormat) as caught:
        validate_workformat(dataclasses.replace(base, **change))
    return caught.value.detail


def with_setting(spec: SettingSpec) -> WorkFormat:
    return dataclasses.replace(OPEN, settings={spec.name: spec.default}, setting_specs=(spec,))


def test_each_capability_is_declared_by_exactly_one_built_in_werkvorm() -> None:
    holders = {cap: [wf.id for wf in REGISTRY if wf.can(cap)] for cap in ("starter", "board", "votes")}
    assert all(len(ids) == 1 for ids in holders.values()), holders
    assert REGISTRY.starter().can("starter")
    assert REGISTRY.item_settings() == ("source",)


def test_every_built_in_setting_has_a_typed_spec_with_a_dutch_label() -> None:
    for wf in REGISTRY:
        declared = {s.name for s in wf.setting_specs}
        assert declared == set(wf.settings), wf.id
        assert all(s.label and s.label != s.name for s in wf.setting_specs), wf.id


def test_an_unknown_capability_or_kind_is_refused_naming_the_field() -> None:
    assert broken(OPEN, capabilities=("teleports",)).startswith("capabilities")
    spec = SettingSpec(name="n", kind="slider", label=N_("N"), default=1)
    assert broken(OPEN, settings={"n": 1}, setting_specs=(spec,)).startswith("setting_specs[0].kind")


def test_a_spec_must_match_its_settings_default() -> None:
    spec = SettingSpec(name="n", kind="int", label=N_("N"), default=2)
    assert broken(OPEN, settings={"n": 1}, setting_specs=(spec,)).startswith("setting_specs[0].name")


def test_a_choice_must_offer_its_default_and_a_per_table_setting_names_a_role() -> None:
    choice = SettingSpec(name="c", kind="choice", label=N_("C"), default="x", choices=(("y", N_("Y")),))
    assert broken(OPEN, settings={"c": "x"}, setting_specs=(choice,)).startswith("setting_specs[0].choices")
    orphan = SettingSpec(name="c", kind="choice", label=N_("C"), default="y", choices=(("y", N_("Y")),),
                         use="per_table_role", role="inbrenger")
    assert broken(OPEN, settings={"c": "y"}, setting_specs=(orphan,)).startswith("setting_specs[0].role")


def test_a_setting_is_read_through_its_use_not_its_name() -> None:
    vote = stemmen.WORKFORMAT
    assert vote.setting({}, "vote_allowance") == 3
    spec = vote.spec_for("vote_allowance")
    assert spec is not None and vote.setting({spec.name: 5}, "vote_allowance") == 5
    assert OPEN.setting({}, "vote_allowance", "none") == "none"
    assert roddelmethode.WORKFORMAT.setting({}, "per_table_role") == "room"


def test_a_setting_without_a_spec_is_inferred_from_its_default() -> None:
    wf = dataclasses.replace(OPEN, settings={"rounds": 2, "loud": False, "notes": []})
    assert [(s.name, s.kind) for s in wf.specs()] == [("rounds", "int"), ("loud", "bool"), ("notes", "lines")]


def test_the_prepare_form_checks_bounds_and_choices_from_the_spec(app_context: None) -> None:
    from facilitator.web.host.item_form import _own_setting

    bounded = SettingSpec(name="rounds", kind="int", label=N_("Rondes"), default=2, minimum=1, maximum=4)
    assert _own_setting(bounded, " 3 ") == 3
    with pytest.raises(InvalidInput) as caught:
        _own_setting(bounded, "9")
    assert caught.value.params["field"] == "settings.rounds" and "1 tot 4" in str(caught.value.params["message"])
    choice = roddelmethode.WORKFORMAT.specs()[0]
    with pytest.raises(InvalidInput) as caught:
        _own_setting(choice, "hall")
    assert caught.value.params["message"] == "Kies hoe de inbrenger meedoet."
    dots = stemmen.WORKFORMAT.specs()[0]
    with pytest.raises(InvalidInput) as caught:
        _own_setting(dots, "21")
    assert caught.value.params["message"] == "Geef iedereen 1 tot 20 stippen."
    assert with_setting(bounded).specs() == [bounded]


@pytest.fixture
def app_context() -> Any:
    from facilitator import create_app

    app = create_app({"STORAGE": "memory", "TESTING": True, "HOST_KEY": "k" * 32})
    with app.test_request_context("/"):
        yield
