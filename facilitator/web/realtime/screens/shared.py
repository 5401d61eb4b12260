"""Payload parts every screen shares: a contribution, the timer, a table draft, the current step and the next one."""

from __future__ import annotations

import time
from typing import cast

from flask_babel import gettext as _

from facilitator.core import services
from facilitator.core.domain import Contribution, ContributionKind, TableDraft, WorkFormat, WorkshopSession
from facilitator.core.registry import WorkFormatRegistry
from facilitator.storage import SessionRepository
from facilitator.web import wire


def translated(text: str) -> str:
    """Translate a built-in label; an empty text stays empty (gettext("") would return the catalogue header)."""
    return _(text) if text else ""


def contribution_payload(contribution: Contribution, *, concealed: bool = False) -> wire.Contribution:
    """Return what screens get of a contribution: never who sent it; no text while it waits for the reveal."""
    return {
        "id": contribution.id,
        "agenda_item": contribution.agenda_item_id,
        "phase": contribution.phase_id,
        "kind": contribution.kind,
        "text": "" if concealed else contribution.text,
        "concealed": concealed,
        "created_at": contribution.created_at,
        "table": contribution.table,
        "perspective": contribution.perspective or None,
        "hidden": contribution.hidden,
        "bucket": contribution.bucket,
        "tags": list(contribution.tags),
        "ranking": list(contribution.ranking),
        "owner": "" if concealed else contribution.owner,
        "due": "" if concealed else contribution.due,
        "function": contribution.function,
        "shared": contribution.shared,
        "starred": contribution.starred,
        "slot": contribution.slot,
    }



def timer_payload(session: WorkshopSession, now: float | None = None) -> wire.Timer | None:
    """Return the timer as durations, so a phone's own clock does not matter."""
    if session.timer is None:
        return None
    return {
        "duration": round(session.timer.duration),
        "remaining": round(session.timer.remaining(time.time() if now is None else now), 1),
        "running": session.timer.running,
    }


def draft_payload(draft: TableDraft) -> wire.Draft:
    """Return a table's draft for one slot."""
    return {
        "agenda_item": draft.agenda_item_id,
        "kind": draft.kind,
        "table": draft.table,
        "slot": draft.slot,
        "text": draft.text,
        "version": draft.version,
        "submitted": draft.version > 0 and draft.submitted_version == draft.version,
    }


def kind_payload(kind: ContributionKind) -> wire.Kind:
    """Return what a phone needs of a contribution kind to offer it: its label, limits, scope and choices."""
    return {
        "id": kind.id,
        "label": translated(kind.label),
        "max_length": kind.max_length,
        "per_participant": kind.per_participant,
        "per_table": kind.per_table,
        "scope": kind.scope,
        "visibility": kind.visibility,
        "roles": list(kind.roles),
        "needs_bucket": kind.needs_bucket,
        "tag_groups": list(kind.tag_groups),
        "asks_function": kind.asks_function,
        # What the phone asks for: free text ("text", with the kind's tag groups), an order of the options of
        # the tag group `ranks` ("ranking"), or an afspraak with who and when ("action"); the text may stay empty
        # when `text_optional` (a scale's or a ranking's remark).
        "answer": kind.answer,
        "text_optional": kind.text_optional,
        "ranks": kind.ranks,
    }


def bucket_payloads(workformat: WorkFormat) -> list[wire.Bucket]:
    """Return the werkvorm's buckets (vier buffers) with their labels."""
    return [
        {"id": b.id, "label": translated(b.label), "description": translated(b.description)}
        for b in workformat.buckets
    ]


def step_titles(session: WorkshopSession, step: services.CurrentStep) -> wire.StepTitles:
    """Return what every screen shows of the current step: where in the agenda, the werkvorm, phase and prompt."""
    wf, phase = step.workformat, step.phase
    return {
        "agenda_item": step.item.id,
        "item_index": step.item_index,
        "items_count": len(session.agenda),
        "workformat": wf.id,
        "workformat_name": translated(wf.name),
        "phase": phase.id,
        "phase_index": step.phase_index,
        "phase_title": translated(phase.title),
    }


def step_payload(
    repo: SessionRepository, registry: WorkFormatRegistry, session: WorkshopSession
) -> wire.Step | None:
    """Return the current werkvorm and phase with everything every role needs to show it."""
    step = services.current_step(registry, session)
    if step is None:
        return None
    wf, phase = step.workformat, step.phase
    titles = step_titles(session, step)
    # Spelt out rather than **titles: mypy cannot tell that an unpacked part leaves out `place` and `vote`.
    payload: wire.Step = {
        "agenda_item": titles["agenda_item"],
        "item_index": titles["item_index"],
        "items_count": titles["items_count"],
        "workformat": titles["workformat"],
        "workformat_name": titles["workformat_name"],
        "phase": titles["phase"],
        "phase_index": titles["phase_index"],
        "phase_title": titles["phase_title"],
        "phases": [{"id": p.id, "title": translated(p.title)} for p in wf.phases],
        "display": phase.display,
        # The tag group the display is laid out by (a grid's columns, a scale's points, the ranked options).
        "display_group": services.display_group(wf, phase),
        "shows_phases": list(phase.shows_phases),
        "prompt": translated(step.prompt()),
        "prompts": {role: translated(phase.prompt_for(role)) for role in wf.roles},
        "views": {role: wf.view_for(phase, role) for role in wf.roles},
        "accepts": {role: [k.id for k in wf.kinds_for(phase, role)] for role in wf.roles},
        "kinds": [kind_payload(k) for k in wf.contribution_kinds if k.id in phase.accepts],
        "buckets": bucket_payloads(wf),
        # A composed werkvorm's buckets are "vakken", as the composer names them; "buffer" is the vier buffers' word.
        "buckets_are_vakken": wf.can("composed"),
        "tag_groups": [
            {
                "id": g.id,
                "label": translated(g.label),
                "options": [
                    {"id": o.id, "label": translated(o.label), "description": translated(o.description)}
                    for o in g.options
                ],
            }
            for g in wf.tag_groups
        ],
        "case_text": str(step.item.settings.get("case_text", "")),
        "hidden_until_reveal": phase.hidden_until_reveal,
        "revealed": session.is_revealed(step.item.id, phase.id),
        # Whether a role is played per table ("table") or for the room, as the werkvorm's own setting says.
        "inbrenger_mode": str(wf.setting(step.item.settings, "per_table_role", "room")),
        "has_spokesperson": "tafelvoorzitter" in wf.roles,
        "board_item": services.board_item_for(session, step.item, registry).id,
        # Its contributions reach the beamer only once the facilitator approved them ("eerst goedkeuren").
        "approve_first": services.approval_required(step.item),
    }
    if "place" in payload["views"].values():
        payload["place"] = {
            "board_item": payload["board_item"],
            "themes": cast(list[wire.ThemeChoice],
                            services.theme_choices(repo, session.id, payload["board_item"], translated)),
        }
    if "vote" in payload["views"].values():
        payload["vote"] = {
            "dots": services.dots_per_participant(step.item, registry),
            "targets": cast(list[wire.VoteTarget],
                             services.vote_targets(repo, registry, session, step.item, translated)),
        }
    return payload


def next_step_payload(registry: WorkFormatRegistry, session: WorkshopSession) -> wire.NextStep | None:
    """Return what comes after the current phase, for the regie's "Volgende: …" line; None at the agenda's end."""
    step = services.current_step(registry, session)
    if step is None:
        return None
    if step.phase_index + 1 < len(step.workformat.phases):
        item_index, phase_index, workformat = step.item_index, step.phase_index + 1, step.workformat
    elif step.item_index + 1 < len(session.agenda):
        item_index, phase_index = step.item_index + 1, 0
        workformat = services.configured_workformat(registry, session.agenda[item_index])
        if not workformat.phases:
            return None
    else:
        return None
    phase = workformat.phases[phase_index]
    seconds = phase.timebox_seconds
    return {
        "item_index": item_index,
        "phase_index": phase_index,
        "same_item": item_index == step.item_index,
        "workformat_name": translated(workformat.name),
        "phase_title": translated(phase.title),
        "minutes": max(1, round(seconds / 60)) if seconds else None,
    }


