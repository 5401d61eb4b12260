"""The werkvorm contract: what a module in workformats/ declares, and its validation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidWorkFormat

ROLES = ("deelnemer", "inbrenger", "tafelvoorzitter")
SCOPES = ("individual", "table")
VISIBILITIES = ("shared", "private")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def N_(text: str) -> str:
    """Mark a built-in label for translation; the edges translate it when showing it."""
    return text


@dataclass(frozen=True)
class ContributionKind:
    """What may be submitted, with its limits."""

    id: str
    label: str
    #: Longest text accepted, in characters.
    max_length: int = 500
    #: Most items one participant may send of this kind; None means no limit.
    per_participant: int | None = None
    #: Most items one table may send of this kind; None means no limit.
    per_table: int | None = None
    #: "individual" (each phone) or "table" (one voice per table).
    scope: str = "individual"
    #: "shared" (the room may see it) or "private" (only the author, unless shared).
    visibility: str = "shared"


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
class ReportSection:
    """Which phases feed which part of the verslag, in which shape."""

    id: str
    title: str
    phases: tuple[str, ...]
    #: "bullets", "bullets_per_bucket", "per_table" or "paragraph".
    shape: str = "bullets"


REPORT_SHAPES = ("bullets", "bullets_per_bucket", "per_table", "paragraph")


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
    report_sections: tuple[ReportSection, ...] = ()
    #: Settings the facilitator may change per agenda item, with their defaults.
    settings: Mapping[str, Any] = field(default_factory=dict)

    def phase(self, index: int) -> Phase:
        """Return the phase at an index, clamped to the known phases."""
        return self.phases[max(0, min(index, len(self.phases) - 1))]

    def kind(self, kind_id: str) -> ContributionKind | None:
        """Return a contribution kind by id."""
        return next((k for k in self.contribution_kinds if k.id == kind_id), None)


def _fail(where: str, problem: str) -> InvalidWorkFormat:
    return InvalidWorkFormat(f"{where}: {problem}")


def _check_id(value: Any, where: str) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise _fail(where, "must be a lowercase id (a-z, 0-9, _), starting with a letter")


def _check_text(value: Any, where: str, *, required: bool = True) -> None:
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(where, "must be a non-empty text")


def _check_new_id(value: Any, seen: set[str], where: str) -> None:
    _check_id(value, where)
    if value in seen:
        raise _fail(where, f"duplicate id {value!r}")
    seen.add(value)


def validate_workformat(wf: Any, expected_id: str | None = None) -> WorkFormat:
    """Check a werkvorm definition and return it; raise InvalidWorkFormat naming the field."""
    if not isinstance(wf, WorkFormat):
        raise _fail("WORKFORMAT", "must be a WorkFormat")
    _check_id(wf.id, "id")
    if expected_id is not None and wf.id != expected_id:
        raise _fail("id", f"must equal the module name {expected_id!r}, is {wf.id!r}")
    _check_text(wf.name, "name")
    _check_text(wf.description, "description")
    if not wf.roles or any(r not in ROLES for r in wf.roles):
        raise _fail("roles", f"must be a non-empty subset of {ROLES}")
    if "deelnemer" not in wf.roles:
        raise _fail("roles", "must include 'deelnemer'")
    kind_ids: set[str] = set()
    for i, kind in enumerate(wf.contribution_kinds):
        where = f"contribution_kinds[{i}]"
        _check_new_id(kind.id, kind_ids, f"{where}.id")
        _check_text(kind.label, f"{where}.label")
        if not isinstance(kind.max_length, int) or not 1 <= kind.max_length <= 5000:
            raise _fail(f"{where}.max_length", "must be a whole number from 1 to 5000")
        for limit in ("per_participant", "per_table"):
            value = getattr(kind, limit)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise _fail(f"{where}.{limit}", "must be None or a whole number of at least 1")
        if kind.scope not in SCOPES:
            raise _fail(f"{where}.scope", f"must be one of {SCOPES}")
        if kind.visibility not in VISIBILITIES:
            raise _fail(f"{where}.visibility", f"must be one of {VISIBILITIES}")
    if not wf.phases:
        raise _fail("phases", "must list at least one phase")
    phase_ids: set[str] = set()
    for i, phase in enumerate(wf.phases):
        where = f"phases[{i}]"
        _check_new_id(phase.id, phase_ids, f"{where}.id")
        _check_text(phase.title, f"{where}.title")
        if not isinstance(phase.prompts, Mapping) or "deelnemer" not in phase.prompts:
            raise _fail(f"{where}.prompts", "must give at least the 'deelnemer' prompt")
        for role, prompt in phase.prompts.items():
            if role not in wf.roles:
                raise _fail(f"{where}.prompts", f"names role {role!r}, which is not in roles")
            _check_text(prompt, f"{where}.prompts[{role!r}]")
        for kind_id in phase.accepts:
            if kind_id not in kind_ids:
                raise _fail(f"{where}.accepts", f"names unknown contribution kind {kind_id!r}")
        if phase.timebox_seconds is not None and (
            not isinstance(phase.timebox_seconds, int) or not 10 <= phase.timebox_seconds <= 4 * 3600
        ):
            raise _fail(f"{where}.timebox_seconds", "must be None or 10 to 14400 seconds")
        if not isinstance(phase.hidden_until_reveal, bool):
            raise _fail(f"{where}.hidden_until_reveal", "must be true or false")
    bucket_ids: set[str] = set()
    for i, bucket in enumerate(wf.buckets):
        _check_new_id(bucket.id, bucket_ids, f"buckets[{i}].id")
        _check_text(bucket.label, f"buckets[{i}].label")
    for i, section in enumerate(wf.report_sections):
        where = f"report_sections[{i}]"
        _check_id(section.id, f"{where}.id")
        _check_text(section.title, f"{where}.title")
        if section.shape not in REPORT_SHAPES:
            raise _fail(f"{where}.shape", f"must be one of {REPORT_SHAPES}")
        for phase_id in section.phases:
            if phase_id not in phase_ids:
                raise _fail(f"{where}.phases", f"names unknown phase {phase_id!r}")
    if not isinstance(wf.settings, Mapping):
        raise _fail("settings", "must be a mapping of setting name to default")
    return wf
