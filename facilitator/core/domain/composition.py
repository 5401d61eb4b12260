"""A werkvorm composed from parts in Voorbereiden: its plain-data form, the check of it, and the werkvorm it makes.

A composition is what a facilitator builds without code and what travels in the library and in export files (it
is the agenda item's "composition" setting). Ids inside it are never typed by anyone: rows, columns, scale points,
options and phases are numbered by position, so a composition is its labels and choices, nothing more.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from facilitator.core.domain.errors import InvalidInput, InvalidWorkFormat
from facilitator.core.domain.text import showable
from facilitator.core.domain.workformat import (
    MAX_BUCKETS,
    MAX_DESCRIPTION,
    MAX_LABEL,
    MAX_PROMPT,
    N_,
    Bucket,
    ContributionKind,
    Phase,
    ReportSection,
    TagGroup,
    TagOption,
    WorkFormat,
    validate_workformat,
)

#: What a phase asks of a phone: nothing (listen to the screen), free text, text sorted in one of the rows
#: ("buckets"), text in a cell of rows x columns ("grid"), a point on the scale with an optional sentence
#: ("scale"), the options put in order ("ranking"), or an afspraak: what, who, level and when ("action").
PART_ANSWERS = ("none", "text", "buckets", "grid", "scale", "ranking", "action")
#: The levels an afspraak is made at; fixed, so that afspraken of a series line up.
ACTION_LEVELS = (("bestuur", N_("Bestuur")), ("beleid", N_("Beleid")), ("uitvoering", N_("Uitvoering")))
MAX_PHASES = 12
MAX_COLUMNS = 8
MAX_SCALE = 10
MAX_OPTIONS = 12
MAX_MINUTES = 240
#: A composition is small; anything larger is not one (and is refused before it is looked at further).
MAX_COMPOSITION_CHARS = 40_000
#: The answers whose phase needs the rows, the columns, the scale or the options.
_NEEDS = {"buckets": ("rows",), "grid": ("rows", "columns"), "scale": ("scale",), "ranking": ("ranking_options",)}
_DISPLAY = {"none": "case", "text": "wall", "buckets": "quadrants", "grid": "grid", "scale": "scale",
            "ranking": "ranking", "action": "actions"}
_SHAPE = {"text": "bullets", "buckets": "bullets_per_bucket", "grid": "grid", "scale": "scale",
          "ranking": "ranking", "action": "actions"}
#: report_title: the verslag's heading for the phase's section, when it should read otherwise than the phones' title.
_PHASE_FIELDS = {"title", "prompt", "minutes", "answer", "hidden", "explain", "inbrenger_prompt", "inbrenger",
                 "report_title"}
_FIELDS = {"name", "description", "reader_description", "per_table", "inbrenger", "rows", "columns", "scale",
           "ranking_options", "phases"}


def _fail(where: str, problem: str) -> InvalidWorkFormat:
    return InvalidWorkFormat(f"composition.{where}: {problem}")


def _text(data: Mapping[str, Any], name: str, where: str, limit: int, *, required: bool = False) -> str:
    value = data.get(name, "")
    if isinstance(value, str):
        try:
            # What any text a facilitator types loses (control characters, bidi overrides): phones, the beamer,
            # the CSV and Word show these labels.
            value = showable(value, f"composition.{where}{name}")
        except InvalidInput as exc:
            raise _fail(f"{where}{name}", "contains unpaired surrogates") from exc
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise _fail(f"{where}{name}", f"must be a text of at most {limit} characters" + (", not empty" if required
                                                                                           else ""))
    return value.strip()


def _flag(data: Mapping[str, Any], name: str, where: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise _fail(f"{where}{name}", "must be true or false")
    return value


def _labels(data: Mapping[str, Any], name: str, limit: int, *, described: bool) -> list[dict[str, str]]:
    """Return a list of labels (with descriptions where the part has them), each non-empty."""
    raw = data.get(name, [])
    if not isinstance(raw, list) or len(raw) > limit:
        raise _fail(name, f"must be a list of at most {limit}")
    out = []
    for i, entry in enumerate(raw):
        if isinstance(entry, str):
            entry = {"label": entry}
        if not isinstance(entry, Mapping) or set(entry) - {"label", "description"}:
            raise _fail(f"{name}[{i}]", "must be a label, or an object with label and description")
        label = _text(entry, "label", f"{name}[{i}].", MAX_LABEL, required=True)
        item = {"label": label}
        if described:
            item["description"] = _text(entry, "description", f"{name}[{i}].", MAX_DESCRIPTION)
        elif entry.get("description"):
            raise _fail(f"{name}[{i}].description", "this part has labels only")
        out.append(item)
    return out


def check_composition(raw: Any) -> dict[str, Any]:
    """Return a composition as clean plain data, or raise InvalidWorkFormat naming the field."""
    if not isinstance(raw, Mapping):
        raise _fail("", "must be an object")
    try:
        size = len(json.dumps(raw, ensure_ascii=False))
    except (TypeError, ValueError, RecursionError):  # RecursionError: nested deeper than any composition is
        raise _fail("", "must be plain data") from None
    if size > MAX_COMPOSITION_CHARS:
        raise _fail("", f"must be at most {MAX_COMPOSITION_CHARS} characters as a file")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise _fail(sorted(unknown)[0], "is not a part of a composed werkvorm")
    data: dict[str, Any] = {
        "name": _text(raw, "name", "", MAX_LABEL, required=True),
        "description": _text(raw, "description", "", MAX_DESCRIPTION),
        "reader_description": _text(raw, "reader_description", "", MAX_DESCRIPTION * 2),
        "per_table": _flag(raw, "per_table", ""),
        "inbrenger": _flag(raw, "inbrenger", ""),
        "rows": _labels(raw, "rows", MAX_BUCKETS, described=True),
        "columns": _labels(raw, "columns", MAX_COLUMNS, described=True),
        "scale": _labels(raw, "scale", MAX_SCALE, described=False),
        "ranking_options": _labels(raw, "ranking_options", MAX_OPTIONS, described=False),
    }
    phases = raw.get("phases")
    if not isinstance(phases, list) or not 1 <= len(phases) <= MAX_PHASES:
        raise _fail("phases", f"must list 1 to {MAX_PHASES} phases")
    data["phases"] = [_checked_phase(p, i, data) for i, p in enumerate(phases)]
    for part, least in (("columns", 2), ("scale", 2), ("ranking_options", 2)):
        if data[part] and len(data[part]) < least:
            raise _fail(part, f"must have at least {least}, or none")
    return data


def _checked_phase(raw: Any, index: int, data: Mapping[str, Any]) -> dict[str, Any]:
    where = f"phases[{index}]."
    if not isinstance(raw, Mapping):
        raise _fail(f"phases[{index}]", "must be an object")
    unknown = set(raw) - _PHASE_FIELDS
    if unknown:
        raise _fail(f"{where}{sorted(unknown)[0]}", "is not a part of a phase")
    answer = raw.get("answer", "text")
    if answer not in PART_ANSWERS:
        raise _fail(f"{where}answer", f"must be one of {PART_ANSWERS}")
    for part in _NEEDS.get(answer, ()):
        if len(data[part]) < (1 if part == "rows" else 2):
            raise _fail(f"{where}answer", f"{answer} needs {part}; add them first")
    minutes = raw.get("minutes")
    if minutes is not None and (
        not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_MINUTES
    ):
        raise _fail(f"{where}minutes", f"must be empty or 1 to {MAX_MINUTES}")
    inbrenger = raw.get("inbrenger", "answer")
    if inbrenger not in ("answer", "listen"):
        raise _fail(f"{where}inbrenger", "must be 'answer' or 'listen'")
    phase = {
        "title": _text(raw, "title", where, MAX_LABEL, required=True),
        "prompt": _text(raw, "prompt", where, MAX_PROMPT, required=True),
        "minutes": minutes,
        "answer": answer,
        "hidden": _flag(raw, "hidden", where),
        "explain": _flag(raw, "explain", where),
        "inbrenger_prompt": _text(raw, "inbrenger_prompt", where, MAX_PROMPT),
        "inbrenger": inbrenger,
        "report_title": _text(raw, "report_title", where, MAX_LABEL),
    }
    if (phase["inbrenger_prompt"] or inbrenger == "listen") and not data["inbrenger"]:
        raise _fail(f"{where}inbrenger", "needs the inbrenger role (composition.inbrenger)")
    return phase


def _options(prefix: str, entries: list[dict[str, str]]) -> tuple[TagOption, ...]:
    return tuple(TagOption(id=f"{prefix}{i + 1}", label=e["label"], description=e.get("description", ""))
                 for i, e in enumerate(entries))


def build_composed(base: WorkFormat, composition: Mapping[str, Any]) -> WorkFormat:
    """Return the werkvorm a composition makes, on the base of the composed werkvorm (id, settings, capabilities)."""
    key = json.dumps(check_composition(composition), sort_keys=True)
    cached = _BUILT.get((id(base), key))
    if cached is not None and cached[0] is base:
        return cached[1]
    built = _built(base, json.loads(key))
    if len(_BUILT) >= _CACHE_SIZE:
        _BUILT.pop(next(iter(_BUILT)))
    _BUILT[(id(base), key)] = (base, built)
    return built


#: Built werkvormen by (base, composition): screens ask for the configured werkvorm many times a second.
_BUILT: dict[tuple[int, str], tuple[WorkFormat, WorkFormat]] = {}
_CACHE_SIZE = 256


def _built(base: WorkFormat, data: Mapping[str, Any]) -> WorkFormat:
    """Return the werkvorm of a checked composition."""
    roles = ["deelnemer"]
    if data["inbrenger"]:
        roles.append("inbrenger")
    if data["per_table"]:
        roles.append("tafelvoorzitter")
    groups = []
    if data["columns"]:
        groups.append(TagGroup(id="kolom", label=N_("Kolom"), options=_options("k", data["columns"])))
    if data["scale"]:
        groups.append(TagGroup(id="schaal", label=N_("Schaal"), options=_options("s", data["scale"])))
    if data["ranking_options"]:
        groups.append(TagGroup(id="opties", label=N_("Opties"), options=_options("o", data["ranking_options"])))
    if any(p["answer"] == "action" for p in data["phases"]):
        groups.append(TagGroup(id="niveau", label=N_("Niveau"),
                               options=tuple(TagOption(id=i, label=label) for i, label in ACTION_LEVELS)))
    kinds, phases, sections = [], [], []
    for index, part in enumerate(data["phases"]):
        phase_id = f"f{index + 1}"
        answer = part["answer"]
        accepts: tuple[str, ...] = ()
        if answer != "none":
            kind = _kind(f"a{index + 1}", answer, part, data, tuple(roles))
            kinds.append(kind)
            accepts = (kind.id,)
            shape = "per_table" if kind.scope == "table" else _SHAPE[answer]
            sections.append(ReportSection(
                id=f"r{index + 1}", title=part["report_title"] or part["title"], phases=(phase_id,), shape=shape,
                keeps_tag={"grid": "kolom", "scale": "schaal"}.get(answer, ""),
            ))
        prompts = {"deelnemer": part["prompt"]}
        if part["inbrenger_prompt"]:
            prompts["inbrenger"] = part["inbrenger_prompt"]
        views = {"inbrenger": "listen"} if part["inbrenger"] == "listen" else {}
        phases.append(Phase(
            id=phase_id, title=part["title"], prompts=prompts, accepts=accepts,
            timebox_seconds=part["minutes"] * 60 if part["minutes"] else None,
            hidden_until_reveal=part["hidden"], views=views,
            display="per_table" if accepts and kinds[-1].scope == "table" else _DISPLAY[answer],
        ))
    composed = replace(
        base,
        name=data["name"],
        description=data["description"] or base.description,
        # Without the facilitator's own words the verslag says nothing general ("a werkvorm someone composed" tells
        # a reader nothing); the steps' questions and titles speak for it.
        reader_description=data["reader_description"] or data["description"],
        roles=tuple(roles),
        buckets=tuple(Bucket(id=f"r{i + 1}", label=r["label"], description=r["description"])
                      for i, r in enumerate(data["rows"])),
        tag_groups=tuple(groups),
        contribution_kinds=tuple(kinds),
        phases=tuple(phases),
        report_sections=tuple(sections),
        composition=None,
    )
    # Checked without its composition (the check of a kept composition builds it again), then kept with it.
    return replace(validate_workformat(composed), composition=data)


def composed_workformat(workformat_id: str, composition: Mapping[str, Any],
                        capabilities: tuple[str, ...] = ()) -> WorkFormat:
    """Return a built-in werkvorm written as a composition (data a facilitator can copy and adapt), validated."""
    data = check_composition(composition)
    first = data["phases"][0]
    # The base gives what a composition does not: the id and the capabilities; the rest is the composition's.
    base = WorkFormat(
        id=workformat_id, name=data["name"], description=data["description"] or data["name"],
        phases=(Phase(id="f1", title=first["title"], prompts={"deelnemer": first["prompt"]}),),
        contribution_kinds=(), capabilities=capabilities,
    )
    return validate_workformat(build_composed(base, data), expected_id=workformat_id)


def _kind(kind_id: str, answer: str, part: Mapping[str, Any], data: Mapping[str, Any],
          roles: tuple[str, ...]) -> ContributionKind:
    """Return what a phase collects: a table's shared draft (text) or its woordvoerder's answers, or each phone's."""
    answering = tuple(r for r in roles if r != "inbrenger" or part["inbrenger"] == "answer")
    common: dict[str, Any] = {"id": kind_id, "label": part["title"], "max_length": 500, "roles": answering}
    if data["per_table"] and answer == "text":
        return ContributionKind(**common | {"max_length": 1500}, scope="table", per_table=3)
    if data["per_table"]:
        # Structured answers are not written together: the woordvoerder gives them on behalf of the table.
        common["roles"] = ("tafelvoorzitter",)
    if answer == "text":
        return ContributionKind(**common, per_participant=20)
    if answer == "buckets":
        return ContributionKind(**common, per_participant=20, needs_bucket=True)
    if answer == "grid":
        return ContributionKind(**common, per_participant=40, needs_bucket=True, tag_groups=("kolom",))
    if answer == "scale":
        return ContributionKind(**common | {"max_length": 300}, per_participant=1, tag_groups=("schaal",),
                                text_optional=not part["explain"])
    if answer == "ranking":
        return ContributionKind(**common | {"max_length": 300}, per_participant=1, answer="ranking",
                                ranks="opties", text_optional=True)
    return ContributionKind(**common, per_participant=10, answer="action", tag_groups=("niveau",))


def broken_structure(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    """Return where a new composition breaks what answers given under the old one mean ("" when it keeps it).

    Answers point at parts by position (phase f2, row r3, column k1, point s4, option o2): a step or part may be
    renamed, and new ones added after the last, but none moved, removed or given another kind of answer.
    """
    for flag in ("per_table", "inbrenger"):
        if bool(before.get(flag)) != bool(after.get(flag)):
            return flag
    for part in ("rows", "columns", "scale"):
        if len(after.get(part, [])) < len(before.get(part, [])):
            return part
    # A ranking orders all options: one more or fewer makes the rankings already given incomplete.
    if before.get("ranking_options") and len(after.get("ranking_options", [])) != len(before["ranking_options"]):
        return "ranking_options"
    old, new = before.get("phases", []), after.get("phases", [])
    if len(new) < len(old):
        return "phases"
    for index, (was, now) in enumerate(zip(old, new, strict=False)):
        if was.get("answer", "text") != now.get("answer", "text"):
            return f"phases[{index}].answer"
    return ""
