"""The agenda item editor's form: a werkvorm's settings as form values, and typed form values back as settings."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from facilitator.core.domain import (
    InvalidInput,
    SettingSpec,
    WorkFormat,
)
from facilitator.core.domain.workformat import MAX_TIMEBOX, MIN_TIMEBOX, setting_problem

_SLUG = re.compile(r"[^a-z0-9]+")


def minutes_label(seconds: int) -> str:
    value = seconds / 60
    return str(int(value)) if value == int(value) else f"{value:.2f}".rstrip("0")


def role_label(role: str) -> str:
    return {
        "deelnemer": _("Deelnemers"),
        "inbrenger": _("Inbrenger"),
        "tafelvoorzitter": _("Woordvoerder"),
    }.get(role, role)


def _default_buckets(wf: WorkFormat) -> list[dict[str, str]]:
    return [{"id": b.id, "label": b.label, "description": b.description} for b in wf.buckets]


class BucketRow(TypedDict):
    """One buffer row of an item's editor; `remove` is its "weghalen" box (never saved)."""

    id: str
    label: str
    description: str
    remove: bool


class ItemForm(TypedDict):
    """What an agenda item's editor shows and sends: its stored settings as text, or what was typed."""

    title: str
    case_text: str
    #: The case field holds the werkvorm's example, offered to edit (shown only; the form never sends it).
    case_is_example: NotRequired[bool]
    approve_first: bool
    #: Per step, per role: the question as typed.
    prompts: dict[str, dict[str, str]]
    #: Per step: minutes as typed ("0" is no timer).
    timers: dict[str, str]
    hidden: dict[str, bool]
    buckets: list[BucketRow]
    #: The werkvorm's own settings: a checkbox's state, else the text typed (a list one value per line).
    own: dict[str, str | bool]


def values_from_settings(wf: WorkFormat, settings: Mapping[str, Any]) -> ItemForm:
    """Return what an item's editor shows for its stored settings."""
    prompts = {p.id: dict(settings.get("prompts", {}).get(p.id, {})) for p in wf.phases}
    first = wf.phases[0].id
    if str(settings.get("prompt", "")).strip() and not prompts[first].get("deelnemer", "").strip():
        prompts[first]["deelnemer"] = settings["prompt"]
    timers = {
        phase_id: "0" if seconds is None else minutes_label(seconds)
        for phase_id, seconds in settings.get("timers", {}).items()
    }
    hidden = {p.id: bool(settings.get("hidden", {}).get(p.id, p.hidden_until_reveal)) for p in wf.phases}
    buckets = settings["buckets"] if "buckets" in settings else _default_buckets(wf)
    own: dict[str, str | bool] = {}
    for name, default in wf.settings.items():
        value = settings.get(name, default)
        if isinstance(default, bool):
            own[name] = bool(value)
        elif isinstance(default, list | tuple):
            own[name] = "\n".join(str(v) for v in value)
        else:
            own[name] = str(value)
    return {
        "title": str(settings.get("title", "")),
        # An empty case field is where a facilitator gets stuck: offer the werkvorm's example to edit instead.
        "case_text": str(settings.get("case_text", "") or wf.example_case_text),
        "case_is_example": not str(settings.get("case_text", "")).strip() and bool(wf.example_case_text),
        "approve_first": settings.get("approve_first") is True,
        "prompts": prompts,
        "timers": timers,
        "hidden": hidden,
        "buckets": [
            BucketRow(id=str(b["id"]), label=str(b["label"]), description=str(b.get("description", "")), remove=False)
            for b in buckets
        ],
        "own": own,
    }


def values_from_form(wf: WorkFormat, form: MultiDict[str, str]) -> ItemForm:
    """Return what the facilitator typed in an item's editor, to save it or to show it again."""
    rows = zip(
        form.getlist("buckets.id"), form.getlist("buckets.label"), form.getlist("buckets.description"), strict=False
    )
    removed = set(form.getlist("buckets.remove"))
    buckets = [
        BucketRow(id=bucket_id, label=label, description=description, remove=str(i) in removed)
        for i, (bucket_id, label, description) in enumerate(rows)
    ]
    own: dict[str, str | bool] = {}
    for name, default in wf.settings.items():
        own[name] = form.get(name) == "1" if isinstance(default, bool) else form.get(name, "")
    return {
        "title": form.get("title", ""),
        "case_text": form.get("case_text", ""),
        "approve_first": form.get("approve_first") == "1",
        "prompts": {p.id: {role: form.get(f"prompts.{p.id}.{role}", "") for role in wf.roles} for p in wf.phases},
        "timers": {p.id: form.get(f"timers.{p.id}", "").strip() for p in wf.phases if form.get(f"timers.{p.id}", "")},
        "hidden": {p.id: form.get(f"hidden.{p.id}") == "1" for p in wf.phases},
        "buckets": [b for b in buckets if b["id"] or b["label"].strip() or b["description"].strip()],
        "own": own,
    }


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def _bucket_id(label: str, taken: set[str]) -> str:
    base = slug(label, "_")[:32] or "buffer"
    if not base[0].isalpha():
        base = f"b_{base}"[:32]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _timer_seconds(wf: WorkFormat, phase_id: str, raw: str) -> int | None:
    path = f"settings.timers.{phase_id}"
    phase = wf.phase_by_id(phase_id)
    title = _(phase.title) if phase else phase_id
    try:
        minutes = float(raw.replace(",", "."))
    except ValueError:
        minutes = math.nan
    if not math.isfinite(minutes) or minutes < 0:
        raise InvalidInput(
            f"{path}: must be a number of minutes",
            field=path,
            message=_("Vul bij de timer van ‘%(phase)s’ een aantal minuten in, of 0 voor geen timer.", phase=title),
        )
    if minutes == 0:
        return None
    seconds = round(minutes * 60)
    if not MIN_TIMEBOX <= seconds <= MAX_TIMEBOX:
        raise InvalidInput(
            f"{path}: must be 0 (no timer) or {MIN_TIMEBOX} seconds to {MAX_TIMEBOX // 60} minutes",
            field=path,
            message=_(
                "De timer van ‘%(phase)s’ moet tussen 10 seconden en %(max)s minuten liggen (0 is geen timer).",
                phase=title,
                max=MAX_TIMEBOX // 60,
            ),
        )
    return seconds


def _own_setting(spec: SettingSpec, raw: Any) -> Any:
    """Turn what was typed for a werkvorm's own setting into its value, checked by the one check of its spec."""
    path = f"settings.{spec.name}"
    if spec.kind == "bool":
        value: Any = bool(raw)
    elif spec.kind == "int":
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise InvalidInput(
                f"{path}: must be a whole number",
                field=path,
                message=_("Vul bij ‘%(label)s’ een heel getal in.", label=_(spec.label)),
            ) from None
    elif spec.kind == "lines":
        value = [line.strip() for line in str(raw).splitlines() if line.strip()]
    else:
        value = str(raw or "").strip()
    problem = setting_problem(spec, value)
    if not problem:
        return value
    if spec.error:
        message = _(spec.error)
    elif spec.kind == "int" and spec.minimum is not None and spec.maximum is not None:
        message = _("Vul bij ‘%(label)s’ een getal van %(low)s tot %(high)s in.", label=_(spec.label),
                    low=spec.minimum, high=spec.maximum)
    elif spec.kind == "choice":
        message = _("Kies bij ‘%(label)s’ een van de keuzes.", label=_(spec.label))
    else:
        message = _("Dit klopt nog niet: kijk bij %(field)s.", field=_(spec.label))
    raise InvalidInput(f"{path}: {problem}", field=path, message=message)


def settings_from_values(wf: WorkFormat, values: ItemForm) -> dict[str, Any]:
    """Turn an editor's fields into settings; only what differs from the werkvorm's defaults is kept."""
    settings: dict[str, Any] = {}
    if title := _text(values["title"]):
        settings["title"] = " ".join(title.split())
    if case_text := _text(values["case_text"]):
        settings["case_text"] = case_text
    if values.get("approve_first"):
        settings["approve_first"] = True
    prompts: dict[str, dict[str, str]] = {}
    for phase in wf.phases:
        for role, raw in values["prompts"].get(phase.id, {}).items():
            text = _text(raw)
            if text and text != phase.prompt_for(role):
                prompts.setdefault(phase.id, {})[role] = text
    if prompts:
        settings["prompts"] = prompts
    timers = {phase_id: _timer_seconds(wf, phase_id, raw) for phase_id, raw in values["timers"].items() if raw}
    if timers:
        settings["timers"] = timers
    hidden = {
        p.id: values["hidden"].get(p.id, False)
        for p in wf.phases
        if values["hidden"].get(p.id, False) != p.hidden_until_reveal
    }
    if hidden:
        settings["hidden"] = hidden
    if wf.buckets:
        taken = {b["id"] for b in values["buckets"] if b["id"]}
        buckets = [
            {
                "id": b["id"] or _bucket_id(b["label"], taken),
                "label": " ".join(b["label"].split()),
                "description": _text(b["description"]),
            }
            for b in values["buckets"]
            if not b["remove"]
        ]
        if buckets != _default_buckets(wf):
            settings["buckets"] = buckets
    for spec in wf.specs():
        value = _own_setting(spec, values["own"].get(spec.name, spec.default))
        if value != (list(spec.default) if isinstance(spec.default, tuple) else spec.default):
            settings[spec.name] = value
    return settings


#: How each kind of setting is typed in on the prepare page (see templates/host/prepare.html).


def slug(text: str, sep: str = "-") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG.sub(sep, ascii_text.lower()).strip(sep)[:50].strip(sep)
