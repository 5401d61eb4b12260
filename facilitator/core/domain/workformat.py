"""The werkvorm contract: what a module in workformats/ declares, its validation, and a facilitator's overlay."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from facilitator.core.domain.errors import InvalidWorkFormat

#: inbrenger: brings the case; deelnemer: everyone else; tafelvoorzitter: speaks and submits for a table.
ROLES = ("deelnemer", "inbrenger", "tafelvoorzitter")
SCOPES = ("individual", "table")
VISIBILITIES = ("shared", "private")
#: What a phone shows in a phase: write answers, listen (and star), vote, place its own answers on the
#: rode-draden board, or wait.
VIEWS = ("answer", "listen", "vote", "place", "wait")
#: What the host screen shows in a phase.
#: grid: rows x columns; scale: how many chose each point; ranking: the room's order; actions: the afspraken.
DISPLAYS = (
    "wall", "case", "stream", "per_table", "stars", "quadrants", "votes", "rode_draad", "board",
    "grid", "scale", "ranking", "actions",
)
#: themes: the rode-draden board of the item, its themes with their cards and the rode-draad sentence.
#: starred: the contributions of its phases the inbrenger gave a star, as they were written.
#: grid: a table of rows (buckets) by columns (the options of keeps_tag), each cell the points written there.
#: scale: per option of keeps_tag how many chose it, with the explanations. ranking: the room's order (points per
#: place). actions: the afspraken, wat / wie / niveau / wanneer.
REPORT_SHAPES = (
    "bullets", "bullets_per_bucket", "per_table", "paragraph", "themes", "starred", "grid", "scale", "ranking",
    "actions",
)
#: What a participant gives besides a bucket and tags: text; an order of options (ranking, the options of the tag
#: group `ranks`); or an afspraak (action: the text says what, plus who and when; its level is a tag group).
ANSWERS = ("text", "ranking", "action")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_PROMPT = 1000
MAX_CASE_TEXT = 5000
MAX_LABEL = 80
MAX_DESCRIPTION = 300
MAX_BUCKETS = 12
MIN_TIMEBOX, MAX_TIMEBOX = 10, 4 * 3600
#: Settings every werkvorm understands; a werkvorm adds its own through WorkFormat.settings.
#: "composition" is read only by a werkvorm with the "composed" capability (see domain/composition.py).
COMMON_SETTINGS = (
    "title", "prompt", "prompts", "timers", "hidden", "buckets", "case_text", "approve_first", "composition",
)
#: What a werkvorm can do, asked by the code outside workformats/ instead of its id:
#: starter: a new bijeenkomst starts with it and Voorbereiden lists it first (the plain question);
#: board: its phases show, and let phones place onto, the rode-draden board of the item it works on;
#: votes: participants give dots to options or to what the item it works on produced.
#: composed: its phases, answers and verslag come from the item's "composition" setting (built in Voorbereiden).
CAPABILITIES = ("starter", "board", "votes", "composed")
#: How a setting is typed in and checked: one line, several lines of text, a whole number, yes/no, one of a few
#: choices, a list (one entry per line), or another agenda item of the bijeenkomst (kept portable in files).
SETTING_KINDS = ("text", "long_text", "int", "bool", "choice", "lines", "item")
#: What the code outside workformats/ reads a setting for: the dots a participant may place, the own options
#: voted on, or whether a role (SettingSpec.role) is played per table (the choice "table") or for the room.
SETTING_USES = ("", "vote_allowance", "vote_options", "per_table_role")


def N_(text: str) -> str:
    """Mark a built-in label for translation; the edges translate it when showing it."""
    return text


@dataclass(frozen=True)
class ContributionKind:
    """What may be submitted, by whom, with its limits."""

    id: str
    label: str
    #: Longest text accepted, in characters.
    max_length: int = 500
    #: Most items one participant may send of this kind; None means no limit.
    per_participant: int | None = None
    #: Most items one table may send of this kind; for table scope this is the number of slots.
    per_table: int | None = None
    #: "individual" (each phone) or "table" (one shared draft per table, submitted by its spokesperson).
    scope: str = "individual"
    #: "shared" (the room may see it) or "private" (only the author, unless the author shares it).
    visibility: str = "shared"
    #: Roles that may submit this kind.
    roles: tuple[str, ...] = ("deelnemer",)
    #: The participant puts the item in one of the werkvorm's buckets.
    needs_bucket: bool = False
    #: Ids of tag groups the participant picks one option of, e.g. ("als", "richting").
    tag_groups: tuple[str, ...] = ()
    #: The participant adds their function ("vanuit jouw functie"), shown with the item.
    asks_function: bool = False
    #: One of ANSWERS.
    answer: str = "text"
    #: The text may stay empty (a scale's optional explanation, a ranking's remark).
    text_optional: bool = False
    #: For answer "ranking": the tag group whose options the participant puts in order.
    ranks: str = ""


@dataclass(frozen=True)
class Phase:
    """One step of a werkvorm."""

    id: str
    title: str
    #: Prompt per role; "deelnemer" is the default for roles not listed.
    prompts: Mapping[str, str]
    #: Ids of the contribution kinds that may be submitted in this phase.
    accepts: tuple[str, ...] = ()
    #: Suggested length in seconds; None means no timer.
    timebox_seconds: int | None = None
    #: Answers stay off the host wall until the facilitator reveals them.
    hidden_until_reveal: bool = False
    #: Phone view per role (see VIEWS); roles not listed answer when they may submit, else wait.
    views: Mapping[str, str] = field(default_factory=dict)
    #: What the host screen shows (see DISPLAYS).
    display: str = "wall"
    #: Earlier phases whose contributions this phase shows as well (e.g. the advices at the rode draad).
    shows_phases: tuple[str, ...] = ()

    def prompt_for(self, role: str) -> str:
        """Return the prompt a role sees."""
        return self.prompts.get(role) or self.prompts.get("deelnemer", "")


@dataclass(frozen=True)
class Bucket:
    """A named box contributions can go in (e.g. a buffer)."""

    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class TagOption:
    """One choice of a tag group, e.g. "als mens"."""

    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class TagGroup:
    """A pair or set of tags a contribution carries one of, e.g. als organisatie / als mens."""

    id: str
    label: str
    options: tuple[TagOption, ...]
    description: str = ""


@dataclass(frozen=True)
class ReportSection:
    """Which phases feed which part of the verslag, in which shape."""

    id: str
    title: str
    phases: tuple[str, ...]
    #: One of REPORT_SHAPES.
    shape: str = "bullets"
    #: A tag group whose choice the verslag keeps beside each point (e.g. "richting": nodig hebben / kunnen geven).
    keeps_tag: str = ""


@dataclass(frozen=True)
class SettingSpec:
    """A werkvorm's own setting as data: how the facilitator sets it, its default, its bounds and its use."""

    name: str
    #: One of SETTING_KINDS.
    kind: str
    #: Dutch label in Voorbereiden (marked with N_; the edges translate it).
    label: str
    default: Any
    #: Bounds of an "int" setting.
    minimum: int | None = None
    maximum: int | None = None
    #: (value, Dutch label) pairs of a "choice" setting.
    choices: tuple[tuple[str, str], ...] = ()
    #: A hint under the field (Dutch, N_).
    help: str = ""
    #: The Dutch sentence shown when the input is out of bounds or not a choice (N_); empty: a generic one.
    error: str = ""
    #: One of SETTING_USES.
    use: str = ""
    #: The role a "per_table_role" setting makes per table.
    role: str = ""


def _inferred_spec(name: str, default: Any) -> SettingSpec:
    """Return the spec of a setting declared only by its default (a werkvorm written before specs)."""
    if isinstance(default, bool):
        kind = "bool"
    elif isinstance(default, int):
        kind = "int"
    elif isinstance(default, list | tuple):
        kind = "lines"
    else:
        kind = "text"
    return SettingSpec(name=name, kind=kind, label=name, default=default, minimum=0, maximum=1000)


@dataclass(frozen=True)
class WorkFormat:
    """A werkvorm: phases, roles, what may be submitted, and how it is reported."""

    id: str
    name: str
    description: str
    phases: tuple[Phase, ...]
    contribution_kinds: tuple[ContributionKind, ...]
    roles: tuple[str, ...] = ("deelnemer",)
    buckets: tuple[Bucket, ...] = ()
    tag_groups: tuple[TagGroup, ...] = ()
    report_sections: tuple[ReportSection, ...] = ()
    #: What the werkvorm is, told to the verslag's readers (not to the phones): one or two sentences.
    reader_description: str = ""
    #: A case the editor offers as an editable example while the facilitator has not written their own.
    example_case_text: str = ""
    #: Werkvorm-specific settings the facilitator may change per agenda item, with their defaults.
    settings: Mapping[str, Any] = field(default_factory=dict)
    #: The typed specs of those settings (see SettingSpec); a setting without one is inferred from its default.
    setting_specs: tuple[SettingSpec, ...] = ()
    #: What it can do (see CAPABILITIES).
    capabilities: tuple[str, ...] = ()
    #: The composition (domain/composition.py) it was built from, as checked plain data; None for a werkvorm
    #: written in Python. Voorbereiden offers it as a copy to adapt in "Zelf samenstellen".
    composition: Mapping[str, Any] | None = field(default=None, compare=False)

    def can(self, capability: str) -> bool:
        """Return whether the werkvorm declares a capability."""
        return capability in self.capabilities

    def specs(self) -> list[SettingSpec]:
        """Return the specs of its own settings, in the order of its settings."""
        declared = {s.name: s for s in self.setting_specs}
        return [declared.get(name) or _inferred_spec(name, default) for name, default in self.settings.items()]

    def spec_for(self, use: str) -> SettingSpec | None:
        """Return the setting read for a use (see SETTING_USES), if the werkvorm has one."""
        return next((s for s in self.setting_specs if s.use == use), None)

    def setting(self, settings: Mapping[str, Any], use: str, fallback: Any = None) -> Any:
        """Return the value an item's settings give the setting of a use, else its default, else the fallback."""
        spec = self.spec_for(use)
        return fallback if spec is None else settings.get(spec.name, spec.default)

    def phase(self, index: int) -> Phase:
        """Return the phase at an index, clamped to the known phases."""
        return self.phases[max(0, min(index, len(self.phases) - 1))]

    def phase_by_id(self, phase_id: str) -> Phase | None:
        """Return a phase by id."""
        return next((p for p in self.phases if p.id == phase_id), None)

    def kind(self, kind_id: str) -> ContributionKind | None:
        """Return a contribution kind by id."""
        return next((k for k in self.contribution_kinds if k.id == kind_id), None)

    def tag_group(self, group_id: str) -> TagGroup | None:
        """Return a tag group by id."""
        return next((g for g in self.tag_groups if g.id == group_id), None)

    def view_for(self, phase: Phase, role: str) -> str:
        """Return what a role's phone shows in a phase."""
        if role in phase.views:
            return phase.views[role]
        if self.kinds_for(phase, role):
            return "answer"
        # A role with nothing to send follows the deelnemer's special view (e.g. everyone votes).
        return phase.views.get("deelnemer", "wait")

    def kinds_for(self, phase: Phase, role: str) -> list[ContributionKind]:
        """Return the kinds a role may submit in a phase."""
        kinds = (self.kind(k) for k in phase.accepts)
        return [k for k in kinds if k is not None and role in k.roles]


def _fail(where: str, problem: str) -> InvalidWorkFormat:
    return InvalidWorkFormat(f"{where}: {problem}")


def _check_id(value: Any, where: str) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise _fail(where, "must be a lowercase id (a-z, 0-9, _), starting with a letter")


def _check_text(value: Any, where: str, *, required: bool = True, max_length: int | None = None) -> None:
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(where, "must be a non-empty text" if required else "must be a text")
    if max_length is not None and len(value) > max_length:
        raise _fail(where, f"must be at most {max_length} characters")


def _check_new_id(value: Any, seen: set[str], where: str) -> None:
    _check_id(value, where)
    if value in seen:
        raise _fail(where, f"duplicate id {value!r}")
    seen.add(value)


def _check_roles(value: Any, allowed: tuple[str, ...], where: str) -> None:
    if not isinstance(value, tuple) or not value or any(r not in allowed for r in value):
        raise _fail(where, f"must be a non-empty subset of {allowed}")


def _check_kind(kind: Any, wf: WorkFormat, where: str, kind_ids: set[str]) -> None:
    if not isinstance(kind, ContributionKind):
        raise _fail(where, "must be a ContributionKind")
    _check_new_id(kind.id, kind_ids, f"{where}.id")
    _check_text(kind.label, f"{where}.label")
    if not isinstance(kind.max_length, int) or not 1 <= kind.max_length <= 5000:
        raise _fail(f"{where}.max_length", "must be a whole number from 1 to 5000")
    for limit in ("per_participant", "per_table"):
        value = getattr(kind, limit)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100):
            raise _fail(f"{where}.{limit}", "must be None or a whole number from 1 to 100")
    if kind.scope not in SCOPES:
        raise _fail(f"{where}.scope", f"must be one of {SCOPES}")
    if kind.scope == "table" and kind.per_table is None:
        raise _fail(f"{where}.per_table", "must give the number of slots for a table-scope kind")
    if kind.visibility not in VISIBILITIES:
        raise _fail(f"{where}.visibility", f"must be one of {VISIBILITIES}")
    if kind.scope == "table" and kind.visibility == "private":
        raise _fail(f"{where}.visibility", "a table-scope kind is shared by its table, so it cannot be private")
    _check_roles(kind.roles, wf.roles, f"{where}.roles")
    if not isinstance(kind.needs_bucket, bool) or (kind.needs_bucket and not wf.buckets):
        raise _fail(f"{where}.needs_bucket", "must be true or false, and true only when the werkvorm has buckets")
    if not isinstance(kind.tag_groups, tuple):
        raise _fail(f"{where}.tag_groups", "must be a tuple of tag group ids")
    for group_id in kind.tag_groups:
        if wf.tag_group(group_id) is None:
            raise _fail(f"{where}.tag_groups", f"names unknown tag group {group_id!r}")
    if not isinstance(kind.asks_function, bool):
        raise _fail(f"{where}.asks_function", "must be true or false")
    if kind.answer not in ANSWERS:
        raise _fail(f"{where}.answer", f"must be one of {ANSWERS}")
    if not isinstance(kind.text_optional, bool):
        raise _fail(f"{where}.text_optional", "must be true or false")
    if (kind.answer == "ranking") != bool(kind.ranks) or (kind.ranks and wf.tag_group(kind.ranks) is None):
        raise _fail(f"{where}.ranks", "names the tag group a ranking orders, and only for answer 'ranking'")
    if kind.ranks in kind.tag_groups:
        raise _fail(f"{where}.ranks", "a group that is ranked is not also a tag to choose")


def _check_phase(phase: Any, wf: WorkFormat, where: str, phase_ids: set[str], kind_ids: set[str]) -> None:
    if not isinstance(phase, Phase):
        raise _fail(where, "must be a Phase")
    _check_new_id(phase.id, phase_ids, f"{where}.id")
    _check_text(phase.title, f"{where}.title", max_length=MAX_LABEL)
    if not isinstance(phase.prompts, Mapping) or "deelnemer" not in phase.prompts:
        raise _fail(f"{where}.prompts", "must give at least the 'deelnemer' prompt")
    for role, prompt in phase.prompts.items():
        if role not in wf.roles:
            raise _fail(f"{where}.prompts", f"names role {role!r}, which is not in roles")
        _check_text(prompt, f"{where}.prompts[{role!r}]", max_length=MAX_PROMPT)
    if not isinstance(phase.accepts, tuple):
        raise _fail(f"{where}.accepts", "must be a tuple of contribution kind ids")
    for kind_id in phase.accepts:
        if kind_id not in kind_ids:
            raise _fail(f"{where}.accepts", f"names unknown contribution kind {kind_id!r}")
    if phase.timebox_seconds is not None and (
        not isinstance(phase.timebox_seconds, int) or not MIN_TIMEBOX <= phase.timebox_seconds <= MAX_TIMEBOX
    ):
        raise _fail(f"{where}.timebox_seconds", f"must be None or {MIN_TIMEBOX} to {MAX_TIMEBOX} seconds")
    if not isinstance(phase.hidden_until_reveal, bool):
        raise _fail(f"{where}.hidden_until_reveal", "must be true or false")
    if not isinstance(phase.views, Mapping):
        raise _fail(f"{where}.views", "must map roles to views")
    for role, view in phase.views.items():
        if role not in wf.roles:
            raise _fail(f"{where}.views", f"names role {role!r}, which is not in roles")
        if view not in VIEWS:
            raise _fail(f"{where}.views[{role!r}]", f"must be one of {VIEWS}")
    if phase.display not in DISPLAYS:
        raise _fail(f"{where}.display", f"must be one of {DISPLAYS}")
    if not isinstance(phase.shows_phases, tuple):
        raise _fail(f"{where}.shows_phases", "must be a tuple of earlier phase ids")
    for shown in phase.shows_phases:
        if shown not in phase_ids or shown == phase.id:
            raise _fail(f"{where}.shows_phases", f"names {shown!r}, which is not an earlier phase")


def _check_buckets(buckets: Any, where: str) -> None:
    if not isinstance(buckets, tuple) or len(buckets) > MAX_BUCKETS:
        raise _fail(where, f"must be a tuple of at most {MAX_BUCKETS} buckets")
    bucket_ids: set[str] = set()
    for i, bucket in enumerate(buckets):
        if not isinstance(bucket, Bucket):
            raise _fail(f"{where}[{i}]", "must be a Bucket")
        _check_new_id(bucket.id, bucket_ids, f"{where}[{i}].id")
        _check_text(bucket.label, f"{where}[{i}].label", max_length=MAX_LABEL)
        _check_text(bucket.description, f"{where}[{i}].description", required=False, max_length=MAX_DESCRIPTION)


def _check_tag_groups(wf: WorkFormat) -> None:
    group_ids: set[str] = set()
    for i, group in enumerate(wf.tag_groups):
        where = f"tag_groups[{i}]"
        if not isinstance(group, TagGroup):
            raise _fail(where, "must be a TagGroup")
        _check_new_id(group.id, group_ids, f"{where}.id")
        _check_text(group.label, f"{where}.label", max_length=MAX_LABEL)
        _check_text(group.description, f"{where}.description", required=False, max_length=MAX_DESCRIPTION)
        if not isinstance(group.options, tuple) or len(group.options) < 2:
            raise _fail(f"{where}.options", "must offer at least two options")
        option_ids: set[str] = set()
        for j, option in enumerate(group.options):
            if not isinstance(option, TagOption):
                raise _fail(f"{where}.options[{j}]", "must be a TagOption")
            _check_new_id(option.id, option_ids, f"{where}.options[{j}].id")
            _check_text(option.label, f"{where}.options[{j}].label", max_length=MAX_LABEL)


def validate_workformat(wf: Any, expected_id: str | None = None) -> WorkFormat:
    """Check a werkvorm definition and return it; raise InvalidWorkFormat naming the field."""
    if not isinstance(wf, WorkFormat):
        raise _fail("WORKFORMAT", "must be a WorkFormat")
    _check_id(wf.id, "id")
    if expected_id is not None and wf.id != expected_id:
        raise _fail("id", f"must equal the module name {expected_id!r}, is {wf.id!r}")
    _check_text(wf.name, "name", max_length=MAX_LABEL)
    _check_text(wf.description, "description")
    _check_roles(wf.roles, ROLES, "roles")
    if "deelnemer" not in wf.roles:
        raise _fail("roles", "must include 'deelnemer'")
    _check_buckets(wf.buckets, "buckets")
    _check_tag_groups(wf)
    kind_ids: set[str] = set()
    for i, kind in enumerate(wf.contribution_kinds):
        _check_kind(kind, wf, f"contribution_kinds[{i}]", kind_ids)
    if not wf.phases:
        raise _fail("phases", "must list at least one phase")
    phase_ids: set[str] = set()
    for i, phase in enumerate(wf.phases):
        _check_phase(phase, wf, f"phases[{i}]", phase_ids, kind_ids)
    for i, section in enumerate(wf.report_sections):
        where = f"report_sections[{i}]"
        _check_id(section.id, f"{where}.id")
        _check_text(section.title, f"{where}.title")
        if section.shape not in REPORT_SHAPES:
            raise _fail(f"{where}.shape", f"must be one of {REPORT_SHAPES}")
        for phase_id in section.phases:
            if phase_id not in phase_ids:
                raise _fail(f"{where}.phases", f"names unknown phase {phase_id!r}")
        if section.keeps_tag and wf.tag_group(section.keeps_tag) is None:
            raise _fail(f"{where}.keeps_tag", f"names unknown tag group {section.keeps_tag!r}")
    _check_text(wf.reader_description, "reader_description", required=False, max_length=MAX_DESCRIPTION * 2)
    _check_text(wf.example_case_text, "example_case_text", required=False, max_length=MAX_CASE_TEXT)
    if not isinstance(wf.settings, Mapping):
        raise _fail("settings", "must be a mapping of setting name to default")
    for name in wf.settings:
        if name in COMMON_SETTINGS:
            raise _fail(f"settings.{name}", "is a common setting every werkvorm has; do not declare it")
    _check_specs(wf)
    if not isinstance(wf.capabilities, tuple) or any(c not in CAPABILITIES for c in wf.capabilities):
        raise _fail("capabilities", f"must be a tuple of {CAPABILITIES}")
    _check_own_composition(wf)
    return wf


def _check_own_composition(wf: WorkFormat) -> None:
    """Refuse a composition that is not plain checked data, or that is not the one the werkvorm's parts came from."""
    if wf.composition is None:
        return
    from facilitator.core.domain.composition import (  # the composition module builds on this one
        build_composed,
        check_composition,
    )

    if not isinstance(wf.composition, Mapping):
        raise _fail("composition", "must be None or a checked composition")
    if check_composition(wf.composition) != wf.composition:
        raise _fail("composition", "must be kept as check_composition returns it")
    made = build_composed(replace(wf, composition=None), wf.composition)
    if any(getattr(made, part) != getattr(wf, part) for part in _COMPOSED_PARTS):
        raise _fail("composition", "must be the one its phases, answers and verslag were built from")


#: The parts of a werkvorm a composition makes (the rest, id, settings and capabilities, come from its base).
_COMPOSED_PARTS = ("name", "roles", "buckets", "tag_groups", "contribution_kinds", "phases", "report_sections")


def _check_specs(wf: WorkFormat) -> None:
    if not isinstance(wf.setting_specs, tuple):
        raise _fail("setting_specs", "must be a tuple of SettingSpec")
    uses: set[str] = set()
    for i, spec in enumerate(wf.setting_specs):
        where = f"setting_specs[{i}]"
        if not isinstance(spec, SettingSpec):
            raise _fail(where, "must be a SettingSpec")
        if spec.name not in wf.settings or wf.settings[spec.name] != spec.default:
            raise _fail(f"{where}.name", f"{spec.name!r} must be in settings, with the same default")
        if spec.kind not in SETTING_KINDS:
            raise _fail(f"{where}.kind", f"must be one of {SETTING_KINDS}")
        _check_text(spec.label, f"{where}.label", max_length=MAX_LABEL)
        _check_text(spec.help, f"{where}.help", required=False, max_length=MAX_DESCRIPTION)
        _check_text(spec.error, f"{where}.error", required=False, max_length=MAX_DESCRIPTION)
        if spec.kind == "choice" and spec.default not in {value for value, _label in spec.choices}:
            raise _fail(f"{where}.choices", "must offer the default among its (value, label) pairs")
        if spec.use not in SETTING_USES or (spec.use and spec.use in uses):
            raise _fail(f"{where}.use", f"must be one of {SETTING_USES}, each at most once")
        if spec.use:
            uses.add(spec.use)
        if (spec.use == "per_table_role") != (spec.role in wf.roles and spec.role != "deelnemer"):
            raise _fail(f"{where}.role", "names the role a per_table_role setting makes per table, and only then")


# -- a facilitator's overlay -------------------------------------------------------------------


def _require_mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(where, "must be an object")
    return value


#: Most entries of a "lines" setting (a vote's own options), each at most MAX_PROMPT characters.
MAX_LINES = 50
#: A "text" setting is one line or a sentence; a "long_text" one may be as long as a case.
_TEXT_LIMITS = {"text": MAX_PROMPT, "long_text": MAX_CASE_TEXT}
#: What an "item" setting holds: nothing (the item before), an agenda item's id, or "@<position>" in a file.
_ITEM_REF = re.compile(r"^(@[0-9]{1,3}|[A-Za-z0-9_-]{1,64})?$")


def setting_problem(spec: SettingSpec, value: Any) -> str:
    """Return what is wrong with a value for a werkvorm's own setting by its spec, or "" when it fits.

    The one check of a setting's value: files, the library and stored items come through validate_settings,
    and the prepare form (which first turns what was typed into a value) asks the same.
    """
    if spec.kind == "bool":
        return "" if isinstance(value, bool) else "must be true or false"
    if spec.kind == "int":
        low = spec.minimum if spec.minimum is not None else -(2**31)
        high = spec.maximum if spec.maximum is not None else 2**31
        fits = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        return "" if fits else f"must be a whole number from {low} to {high}"
    if spec.kind == "choice":
        allowed = [choice for choice, _label in spec.choices]
        return "" if isinstance(value, str) and value in allowed else f"must be one of {allowed}"
    if spec.kind == "lines":
        fits = (
            isinstance(value, list | tuple)
            and len(value) <= MAX_LINES
            and all(isinstance(v, str) and len(v) <= MAX_PROMPT for v in value)
        )
        return "" if fits else f"must be a list of at most {MAX_LINES} lines of at most {MAX_PROMPT} characters"
    if spec.kind == "item":
        return "" if isinstance(value, str) and _ITEM_REF.match(value) else "must name an agenda item"
    limit = _TEXT_LIMITS.get(spec.kind, MAX_PROMPT)
    return "" if isinstance(value, str) and len(value) <= limit else f"must be a text of at most {limit} characters"


def validate_settings(wf: WorkFormat, settings: Any) -> dict[str, Any]:
    """Check a facilitator's settings for a werkvorm; return them as plain data or raise naming the field."""
    data = dict(_require_mapping(settings, "settings"))
    for name in data:
        if name not in COMMON_SETTINGS and name not in wf.settings:
            raise _fail(f"settings.{name}", f"is not a setting of werkvorm {wf.id!r}")
    for name in ("title", "prompt", "case_text"):
        if name in data:
            limit = {"title": MAX_LABEL, "prompt": MAX_PROMPT, "case_text": MAX_CASE_TEXT}[name]
            _check_text(data[name], f"settings.{name}", required=False, max_length=limit)
    if "composition" in data:
        if not wf.can("composed"):
            raise _fail("settings.composition", f"werkvorm {wf.id!r} is not composed from parts")
        from facilitator.core.domain.composition import build_composed, check_composition

        data["composition"] = check_composition(data["composition"])
        wf = build_composed(wf, data["composition"])  # prompts, timers and hiding below name its phases
    phase_ids = {p.id for p in wf.phases}
    for phase_id, prompts in _require_mapping(data.get("prompts", {}), "settings.prompts").items():
        if phase_id not in phase_ids:
            raise _fail(f"settings.prompts.{phase_id}", "names no phase of this werkvorm")
        for role, prompt in _require_mapping(prompts, f"settings.prompts.{phase_id}").items():
            if role not in wf.roles:
                raise _fail(f"settings.prompts.{phase_id}.{role}", "names no role of this werkvorm")
            _check_text(prompt, f"settings.prompts.{phase_id}.{role}", required=False, max_length=MAX_PROMPT)
    if "approve_first" in data and not isinstance(data["approve_first"], bool):
        raise _fail("settings.approve_first", "must be true or false")
    for phase_id, seconds in _require_mapping(data.get("timers", {}), "settings.timers").items():
        if phase_id not in phase_ids:
            raise _fail(f"settings.timers.{phase_id}", "names no phase of this werkvorm")
        if seconds is not None and (
            not isinstance(seconds, int) or isinstance(seconds, bool) or not MIN_TIMEBOX <= seconds <= MAX_TIMEBOX
        ):
            raise _fail(f"settings.timers.{phase_id}", f"must be empty or {MIN_TIMEBOX} to {MAX_TIMEBOX} seconds")
    for phase_id, hidden in _require_mapping(data.get("hidden", {}), "settings.hidden").items():
        if phase_id not in phase_ids:
            raise _fail(f"settings.hidden.{phase_id}", "names no phase of this werkvorm")
        if not isinstance(hidden, bool):
            raise _fail(f"settings.hidden.{phase_id}", "must be true or false")
    if "buckets" in data:
        raw = data["buckets"]
        if not isinstance(raw, list | tuple):
            raise _fail("settings.buckets", "must be a list of buckets")
        buckets = []
        for i, item in enumerate(raw):
            entry = _require_mapping(item, f"settings.buckets[{i}]")
            unknown = set(entry) - {"id", "label", "description"}
            if unknown:
                raise _fail(f"settings.buckets[{i}].{sorted(unknown)[0]}", "is not a field of a bucket")
            buckets.append(
                Bucket(id=entry.get("id"), label=entry.get("label"), description=entry.get("description", ""))  # type: ignore[arg-type]
            )
        _check_buckets(tuple(buckets), "settings.buckets")
        if not buckets and any(k.needs_bucket for k in wf.contribution_kinds):
            raise _fail("settings.buckets", "must keep at least one bucket: this werkvorm sorts into buckets")
        data["buckets"] = [{"id": b.id, "label": b.label, "description": b.description} for b in buckets]
    for spec in wf.specs():
        if spec.name in data and (problem := setting_problem(spec, data[spec.name])):
            raise _fail(f"settings.{spec.name}", problem)
    return data


def apply_settings(wf: WorkFormat, settings: Mapping[str, Any]) -> WorkFormat:
    """Return the werkvorm as the facilitator configured it: own title, prompts, timers, buckets, hiding."""
    if not settings:
        return wf
    if wf.can("composed") and settings.get("composition"):
        from facilitator.core.domain.composition import build_composed  # the composition module builds on this one

        wf = build_composed(wf, settings["composition"])
    prompts = settings.get("prompts", {})
    timers = settings.get("timers", {})
    hidden = settings.get("hidden", {})
    phases = []
    for index, phase in enumerate(wf.phases):
        own = {role: text for role, text in prompts.get(phase.id, {}).items() if text.strip()}
        if index == 0 and str(settings.get("prompt", "")).strip():
            own.setdefault("deelnemer", settings["prompt"])
        changes: dict[str, Any] = {}
        if own:
            changes["prompts"] = {**phase.prompts, **own}
        if phase.id in timers:
            changes["timebox_seconds"] = timers[phase.id]
        if phase.id in hidden:
            changes["hidden_until_reveal"] = hidden[phase.id]
        phases.append(replace(phase, **changes) if changes else phase)
    changes = {"phases": tuple(phases)}
    if str(settings.get("title", "")).strip():
        changes["name"] = settings["title"]
    if "buckets" in settings:
        changes["buckets"] = tuple(Bucket(**b) for b in settings["buckets"])
    return replace(wf, **changes)
