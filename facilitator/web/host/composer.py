"""Composing a werkvorm from parts in Voorbereiden: the composer's form, its Dutch errors, and its routes.

The composer is a plain HTML form (POST, then a redirect), so it works without JavaScript: adding, moving and
removing rows and steps are submit buttons that draw the form again without saving; only "Opslaan" saves, in one
go, through services.compose_agenda_item. The form is turned into a composition (domain/composition.py) as it is,
so check_composition is the one judge; its field paths ("composition.phases[2].minutes") name the form's fields
("phases-2-minutes"), next to which its problem is told in plain Dutch.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypedDict

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from facilitator.core import services
from facilitator.core.domain import AgendaItem, EditConflict, FacilitatorError, WorkFormat, WorkshopSession
from facilitator.core.domain.composition import (
    MAX_COLUMNS,
    MAX_MINUTES,
    MAX_OPTIONS,
    MAX_PHASES,
    MAX_SCALE,
    PART_ANSWERS,
)
from facilitator.core.domain.workformat import MAX_BUCKETS, MAX_DESCRIPTION, MAX_LABEL, MAX_PROMPT
from facilitator.web.current import deps as _deps
from facilitator.web.host.pages import session_or_404
from facilitator.web.host.prepare import Problem, _agenda_item_or_404, problem, render_prepare
from facilitator.web.host.prepare import bp as bp  # re-exported: the composer's routes are Voorbereiden's
from facilitator.web.messages import error_message

#: The fields of a step the form has inputs for; any other `phases-<i>-<name>` goes to the check as it is.
_PHASE_INPUTS = ("title", "prompt", "minutes", "answer", "hidden", "explain", "inbrenger_prompt", "inbrenger",
                 "report_title")
_FORM_ONLY = ("remove",)
_LISTED = re.compile(r"^(rows|columns|phases)-(\d{1,2})-([a-z_]{1,40})$")
#: Scale presets: the value the form sends, and the labels it makes (in the facilitator's language).
_SCALE_PRESETS = ("", "1-5", "eens", "eigen")


def _agree_labels() -> list[str]:
    return [_("Eens"), _("Neutraal"), _("Oneens")]


def _answer_labels() -> dict[str, str]:
    return {
        "none": _("Geen invoer (luisteren, praten)"),
        "text": _("Vrije tekst"),
        "buckets": _("In vakken"),
        "grid": _("Raster (vak × kolom)"),
        "scale": _("Schaal"),
        "ranking": _("Rangorde"),
        "action": _("Afspraak (wat, wie, niveau, wanneer)"),
    }


# -- form <-> composition ------------------------------------------------------------------------


class DescribedRow(TypedDict):
    """A row or column of the form: its label and what it means."""

    label: str
    description: str


class PhaseRow(TypedDict):
    """One step as the composer shows and sends it."""

    title: str
    prompt: str
    #: As typed; composition_from_values makes whole minutes a number.
    minutes: str
    answer: str
    hidden: bool
    explain: bool
    inbrenger_prompt: str
    inbrenger: str
    report_title: str
    #: Any other `phases-<i>-<name>` field the form sent: it goes to the check, which names it.
    extra: dict[str, str]


class ComposerForm(TypedDict):
    """What the composer shows and sends: a composition as text, rows and steps in their order."""

    name: str
    description: str
    reader_description: str
    per_table: bool
    inbrenger: bool
    rows: list[DescribedRow]
    columns: list[DescribedRow]
    #: One of _SCALE_PRESETS; "eigen" takes scale_text, one point per line.
    scale_preset: str
    scale_text: str
    ranking_text: str
    phases: list[PhaseRow]


def _empty_phase() -> PhaseRow:
    return PhaseRow(title="", prompt="", minutes="", answer="text", hidden=False, explain=False, inbrenger_prompt="",
                    inbrenger="answer", report_title="", extra={})


def values_from_composition(wf: WorkFormat, composition: Mapping[str, Any] | None) -> ComposerForm:
    """Return what the composer shows for a stored composition (or, for a fresh item, the werkvorm's own steps)."""
    if not composition:
        composition = wf.composition or {
            "name": "",
            "phases": [{"title": _(p.title), "prompt": _(p.prompt_for("deelnemer")), "answer": "text"}
                       for p in wf.phases],
        }
    scale = [s["label"] if isinstance(s, Mapping) else str(s) for s in composition.get("scale", [])]
    if not scale:
        preset = ""
    elif scale == [str(n) for n in range(1, 6)]:
        preset = "1-5"
    elif scale in (["Eens", "Neutraal", "Oneens"], _agree_labels()):
        preset = "eens"
    else:
        preset = "eigen"
    phases = []
    for part in composition.get("phases", []):
        minutes = part.get("minutes")
        phases.append(PhaseRow(
            title=part.get("title", ""), prompt=part.get("prompt", ""),
            minutes="" if minutes is None else str(minutes), answer=part.get("answer", "text"),
            hidden=bool(part.get("hidden")), explain=bool(part.get("explain")),
            inbrenger_prompt=part.get("inbrenger_prompt", ""), inbrenger=part.get("inbrenger", "answer"),
            report_title=part.get("report_title", ""), extra={},
        ))
    return {
        "name": composition.get("name", ""),
        "description": composition.get("description", ""),
        "reader_description": composition.get("reader_description", ""),
        "per_table": bool(composition.get("per_table")),
        "inbrenger": bool(composition.get("inbrenger")),
        "rows": [_described(r) for r in composition.get("rows", [])],
        "columns": [_described(c) for c in composition.get("columns", [])],
        "scale_preset": preset,
        "scale_text": "\n".join(scale) if preset == "eigen" else "",
        "ranking_text": "\n".join(o["label"] if isinstance(o, Mapping) else str(o)
                                  for o in composition.get("ranking_options", [])),
        "phases": phases,
    }


def _described(entry: object) -> DescribedRow:
    if isinstance(entry, Mapping):
        return DescribedRow(label=str(entry.get("label", "")), description=str(entry.get("description", "")))
    return DescribedRow(label=str(entry), description="")


def values_from_form(form: MultiDict[str, str]) -> ComposerForm:
    """Return what the composer form sent, in order, with rows and steps left wholly empty (or removed) left out."""
    listed: dict[str, dict[int, dict[str, str]]] = {"rows": {}, "columns": {}, "phases": {}}
    for name in form:
        match = _LISTED.match(name)
        if match:
            listed[match.group(1)].setdefault(int(match.group(2)), {})[match.group(3)] = form.get(name, "")
    rows = {part: [_described(fields) for _i, fields in sorted(listed[part].items())
                   if not fields.get("remove") and (fields.get("label", "").strip()
                                                    or fields.get("description", "").strip())]
            for part in ("rows", "columns")}
    phases = []
    for _i, fields in sorted(listed["phases"].items()):
        extra = {k: v for k, v in fields.items() if k not in _PHASE_INPUTS and k not in _FORM_ONLY}
        if fields.get("remove") or not (any(fields.get(k, "").strip() for k in ("title", "prompt", "minutes"))
                                        or extra):
            continue
        phases.append(PhaseRow(
            title=fields.get("title", ""), prompt=fields.get("prompt", ""),
            minutes=fields.get("minutes", "").strip(), answer=fields.get("answer", "text"),
            hidden=fields.get("hidden") == "1", explain=fields.get("explain") == "1",
            inbrenger_prompt=fields.get("inbrenger_prompt", ""),
            inbrenger="listen" if fields.get("inbrenger") == "listen" else "answer",
            report_title=fields.get("report_title", ""),
            extra=extra,
        ))
    preset = form.get("scale_preset", "")
    return {
        "name": form.get("name", ""),
        "description": form.get("description", ""),
        "reader_description": form.get("reader_description", ""),
        "per_table": form.get("per_table") == "1",
        "inbrenger": form.get("inbrenger") == "1",
        "rows": rows["rows"],
        "columns": rows["columns"],
        "scale_preset": preset if preset in _SCALE_PRESETS else "eigen",
        "scale_text": form.get("scale", ""),
        "ranking_text": form.get("ranking_options", ""),
        "phases": phases,
    }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def composition_from_values(values: ComposerForm) -> dict[str, Any]:
    """Turn the composer's fields into a composition, unchecked: check_composition judges it."""
    preset = values["scale_preset"]
    scale = {"": [], "1-5": [str(n) for n in range(1, 6)], "eens": _agree_labels()}.get(
        preset, _lines(values["scale_text"]))
    phases: list[dict[str, object]] = []
    for part in values["phases"]:
        typed = part["minutes"]
        # ASCII digits only: "²" is a digit to str.isdigit() but int() refuses it. Other text goes to the check as
        # it is, which names the field.
        minutes: int | str | None = (None if not typed else int(typed) if typed.isascii() and typed.isdigit()
                                     and len(typed) < 6 else typed)
        step: dict[str, object] = {
            "title": " ".join(part["title"].split()), "prompt": _clean(part["prompt"]), "minutes": minutes,
            "answer": part["answer"], "hidden": part["hidden"], "explain": part["explain"],
            "inbrenger_prompt": _clean(part["inbrenger_prompt"]), "inbrenger": part["inbrenger"],
            "report_title": " ".join(part["report_title"].split()),
        }
        phases.append(step | part["extra"])
    return {
        "name": " ".join(values["name"].split()),
        "description": _clean(values["description"]),
        "reader_description": _clean(values["reader_description"]),
        "per_table": values["per_table"],
        "inbrenger": values["inbrenger"],
        "rows": [{"label": " ".join(r["label"].split()), "description": _clean(r["description"])}
                 for r in values["rows"]],
        "columns": [{"label": " ".join(c["label"].split()), "description": _clean(c["description"])}
                    for c in values["columns"]],
        "scale": scale,
        "ranking_options": _lines(values["ranking_text"]),
        "phases": phases,
    }


def apply_action(values: ComposerForm, action: str) -> None:
    """Add, move or remove a row, column or step in the form (a button without JavaScript)."""
    phases = values["phases"]
    if action == "add_phase" and len(phases) < MAX_PHASES:
        phases.append(_empty_phase())
    elif action == "add_row" and len(values["rows"]) < MAX_BUCKETS:
        values["rows"].append(DescribedRow(label="", description=""))
    elif action == "add_column" and len(values["columns"]) < MAX_COLUMNS:
        values["columns"].append(DescribedRow(label="", description=""))
    elif match := re.fullmatch(r"(up|down|remove)-(\d{1,2})", action):
        index = int(match.group(2))
        if not 0 <= index < len(phases):
            return
        if match.group(1) == "remove":
            phases.pop(index)
            return
        target = index - 1 if match.group(1) == "up" else index + 1
        if 0 <= target < len(phases):
            phases[index], phases[target] = phases[target], phases[index]


# -- errors in plain Dutch -----------------------------------------------------------------------


def _form_field(path: str) -> str:
    """Return the form field a composition path names: phases[2].minutes -> phases-2-minutes, scale[1].label ->
    scale."""
    if path.startswith(("scale", "ranking_options")):
        return path.split("[", 1)[0]
    return re.sub(r"\[(\d+)\]\.?", r"-\1-", path).rstrip("-")


def composition_problem(exc: FacilitatorError) -> Problem:
    """Return the Dutch message and the form field for a refused composition."""
    match = re.fullmatch(r"(?:settings\.)?composition\.([^:]*): (.*)", exc.detail, flags=re.S)
    if exc.params.get("field") == "composition_in_use":
        return Problem(message=error_message(exc), detail=exc.detail, field="form")
    if match is None:
        return Problem(message=error_message(exc), detail=exc.detail, field="")
    path, why = match.groups()
    return Problem(message=_message(path, why), detail=exc.detail, field=_form_field(path))


def _message(path: str, why: str) -> str:
    listed = re.fullmatch(r"(rows|columns|scale|ranking_options|phases)\[(\d+)\]\.?(\w*)", path)
    if listed:
        part, n, field = listed.group(1), int(listed.group(2)) + 1, listed.group(3)
        if part == "phases":
            return _phase_message(n, field, why)
        what = {"rows": _("Vak %(n)s", n=n), "columns": _("Kolom %(n)s", n=n), "scale": _("Schaalpunt %(n)s", n=n),
                "ranking_options": _("Optie %(n)s", n=n)}[part]
        if field == "description":
            return _("%(what)s: de uitleg mag hoogstens %(max)s tekens zijn.", what=what, max=MAX_DESCRIPTION)
        return _("%(what)s: geef een naam van hoogstens %(max)s tekens.", what=what, max=MAX_LABEL)
    messages = {
        "name": _("Geef de werkvorm een naam van hoogstens %(max)s tekens.", max=MAX_LABEL),
        "description": _("De korte beschrijving mag hoogstens %(max)s tekens zijn.", max=MAX_DESCRIPTION),
        "reader_description": _("De uitleg voor het verslag mag hoogstens %(max)s tekens zijn.",
                                max=MAX_DESCRIPTION * 2),
        "rows": _("Een werkvorm heeft hoogstens %(max)s vakken.", max=MAX_BUCKETS),
        "columns": _("Een raster heeft 2 tot %(max)s kolommen, of geen.", max=MAX_COLUMNS),
        "scale": _("Een schaal heeft 2 tot %(max)s punten, of geen.", max=MAX_SCALE),
        "ranking_options": _("Een rangorde heeft 2 tot %(max)s opties, of geen.", max=MAX_OPTIONS),
        "phases": _("Een werkvorm heeft 1 tot %(max)s stappen.", max=MAX_PHASES),
    }
    if path in messages:
        return messages[path]
    if path and "." not in path:
        return _("‘%(field)s’ hoort niet bij een zelf samengestelde werkvorm.", field=path)
    return _("Deze samenstelling klopt nog niet: kijk bij %(field)s.", field=path or _("het formulier"))


def _phase_message(n: int, field: str, why: str) -> str:
    if field == "title":
        return _("Stap %(n)s: geef een titel van hoogstens %(max)s tekens.", n=n, max=MAX_LABEL)
    if field == "prompt":
        return _("Stap %(n)s: schrijf een vraag van hoogstens %(max)s tekens.", n=n, max=MAX_PROMPT)
    if field == "report_title":
        return _("Stap %(n)s: de kop in het verslag mag hoogstens %(max)s tekens zijn.", n=n, max=MAX_LABEL)
    if field == "inbrenger_prompt":
        return _("Stap %(n)s: de vraag aan de inbrenger mag hoogstens %(max)s tekens zijn.", n=n, max=MAX_PROMPT)
    if field == "minutes":
        return _("Stap %(n)s: vul een aantal minuten in van 1 tot %(max)s, of laat het leeg.", n=n, max=MAX_MINUTES)
    if field == "inbrenger":
        return _("Stap %(n)s: zet eerst ‘Met inbrenger’ aan.", n=n)
    if field == "answer":
        if "needs columns" in why:
            return _("Stap %(n)s: een raster heeft minstens 2 kolommen nodig. Vul ze hierboven in.", n=n)
        if "needs rows" in why:
            return _("Stap %(n)s: deze invoer heeft vakken (rijen) nodig. Vul ze hierboven in.", n=n)
        if "needs scale" in why:
            return _("Stap %(n)s: een schaal heeft minstens 2 punten nodig. Kies ze hierboven.", n=n)
        if "needs ranking_options" in why:
            return _("Stap %(n)s: een rangorde heeft minstens 2 opties nodig. Vul ze hierboven in.", n=n)
        return _("Stap %(n)s: kies wat de telefoons invullen.", n=n)
    if field in ("hidden", "explain"):
        return _("Stap %(n)s: dit vinkje klopt niet.", n=n)
    return _("Stap %(n)s: ‘%(field)s’ hoort niet bij een stap.", n=n, field=field)


# -- the page ------------------------------------------------------------------------------------


def _composed_item(session: WorkshopSession, item_id: str) -> tuple[AgendaItem, WorkFormat]:
    item = _agenda_item_or_404(session, item_id)
    registry = _deps().registry
    if not registry.can(item.workformat_id, "composed"):
        abort(404)
    return item, registry.get(item.workformat_id)


def render_composer(
    session: WorkshopSession, item: AgendaItem, values: ComposerForm, *, based_on: str,
    problem: Problem | None = None, status: int = 200,
) -> tuple[str, int]:
    """Render the composer of one agenda item; `problem` is shown next to the field it names."""
    rows = [*values["rows"]]
    columns = [*values["columns"]]
    # One empty row to type a new one in, as long as there is room.
    if len(rows) < MAX_BUCKETS:
        rows.append(DescribedRow(label="", description=""))
    if len(columns) < MAX_COLUMNS:
        columns.append(DescribedRow(label="", description=""))
    page = render_template(
        "host/composer.html",
        spot=_spot(problem.field) if problem else "",
        session=session,
        item=item,
        form=values,
        rows=rows,
        columns=columns,
        answers=[(answer, _answer_labels()[answer]) for answer in PART_ANSWERS],
        presets=[("", _("Geen schaal")), ("1-5", _("1 tot 5")), ("eens", _("eens / neutraal / oneens")),
                 ("eigen", _("Eigen woorden (hieronder, één per regel)"))],
        problem=problem,
        bad=problem.field if problem else "",
        based_on=based_on,
        limits={"label": MAX_LABEL, "description": MAX_DESCRIPTION, "prompt": MAX_PROMPT, "minutes": MAX_MINUTES,
                "phases": MAX_PHASES, "rows": MAX_BUCKETS, "columns": MAX_COLUMNS},
    )
    return page, status


def _spot(field: str) -> str:
    """Return where the composer shows a problem: at its field, at its step (a field a step has no input for), or
    at the top of the form."""
    step = re.fullmatch(r"phases-(\d+)-(\w+)", field)
    if step:
        return field if step.group(2) in _PHASE_INPUTS else f"phases-{step.group(1)}"
    if re.fullmatch(r"(rows|columns)-\d+-(label|description)", field) or field in (
            "name", "description", "reader_description", "rows", "columns", "scale", "ranking_options", "phases"):
        return field
    return "form"


@bp.get("/s/<session_id>/agenda/<item_id>/samenstellen")
def composer_page(session_id: str, item_id: str) -> ResponseReturnValue:
    """The composer of an item of a werkvorm made from parts: name, parts, steps."""
    session = session_or_404(session_id)
    item, wf = _composed_item(session, item_id)
    values = values_from_composition(wf, item.settings.get("composition"))
    return render_composer(session, item, values, based_on=services.composition_mark(item.settings))


@bp.post("/s/<session_id>/agenda/<item_id>/samenstellen")
def save_composition(session_id: str, item_id: str) -> ResponseReturnValue:
    """Save the composer (action "save"), or add, move or remove a row or step and show the form again."""
    session = session_or_404(session_id)
    item, _wf = _composed_item(session, item_id)
    values = values_from_form(request.form)
    based_on = request.form.get("based_on", "")
    action = request.form.get("action", "save")
    if action != "save":
        apply_action(values, action)
        return render_composer(session, item, values, based_on=based_on)
    deps = _deps()
    try:
        _item, events = services.compose_agenda_item(
            deps.repo, deps.registry, session_id, item_id, composition_from_values(values), based_on=based_on)
    except EditConflict as exc:
        fresh = session_or_404(session_id).agenda_item(item_id)
        mark = services.composition_mark(fresh.settings) if fresh else based_on
        return render_composer(session, item, values, based_on=mark, status=409,
                               problem=Problem(message=error_message(exc), field="form"))
    except FacilitatorError as exc:
        return render_composer(session, item, values, based_on=based_on, status=400,
                               problem=composition_problem(exc))
    deps.publish(events)
    return redirect(url_for(".prepare_page", session_id=session_id, opgeslagen=item_id, _anchor=f"item-{item_id}"),
                    code=303)


@bp.post("/s/<session_id>/agenda/<item_id>/kopie-aanpassen")
def copy_to_compose(session_id: str, item_id: str) -> ResponseReturnValue:
    """Put an editable 'Zelf samenstellen' copy of a werkvorm made from parts right after it, and open it."""
    session = session_or_404(session_id)
    _agenda_item_or_404(session, item_id)
    deps = _deps()
    try:
        item, events = services.copy_as_composition(deps.repo, deps.registry, session_id, item_id)
    except FacilitatorError as exc:
        return render_prepare(session, status=400, problems={f"item:{item_id}": problem(exc)})
    deps.publish(events)
    return redirect(url_for(".composer_page", session_id=session_id, item_id=item.id), code=303)
