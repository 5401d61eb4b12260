"""What the beamer (the projector) is sent: only what the room may see, built from room-safe data
(services/beamer.py)."""

from __future__ import annotations

from typing import cast

from facilitator.core import services
from facilitator.core.domain import WorkshopSession
from facilitator.core.registry import WorkFormatRegistry
from facilitator.storage import SessionRepository
from facilitator.web import wire
from facilitator.web.realtime.screens.shared import bucket_payloads, step_titles, timer_payload, translated


def beamer_step_payload(session: WorkshopSession, step: services.CurrentStep | None) -> wire.BeamerStep | None:
    """Return what the beamer shows of the current step: titles, the participants' question, labels; no roles."""
    if step is None:
        return None
    wf, phase = step.workformat, step.phase
    return {
        **step_titles(session, step),
        "display": phase.display,
        # The tag group the display is laid out by (a grid's columns, a scale's points, the ranked options).
        "display_group": services.display_group(wf, phase),
        "shows_phases": list(phase.shows_phases),
        "prompt": translated(step.prompt()),
        "case_text": str(step.item.settings.get("case_text", "")),
        "hidden_until_reveal": phase.hidden_until_reveal,
        "revealed": session.is_revealed(step.item.id, phase.id),
        "approve_first": services.approval_required(step.item),
        "kinds": [
            {"id": k.id, "label": translated(k.label), "scope": k.scope, "per_table": k.per_table}
            for k in wf.contribution_kinds
        ],
        "buckets": bucket_payloads(wf),
        "tag_groups": [
            {
                "id": g.id,
                "label": translated(g.label),
                "options": [{"id": o.id, "label": translated(o.label)} for o in g.options],
            }
            for g in wf.tag_groups
        ],
    }


def beamer_state(
    repo: SessionRepository, registry: WorkFormatRegistry, session: WorkshopSession,
    step: services.CurrentStep | None, sizes: services.GroupSizes,
) -> wire.BeamerState:
    """Return the full state a beamer window shows; `sizes` decides which tables and perspectives it may name."""
    display = step.phase.display if step else None
    contributions = cast(list[wire.BeamerContribution],
                         services.beamer_contributions(repo, registry, session, step, sizes))
    return {
        "role": "beamer",
        "session": {"id": session.id, "title": session.title, "date": session.date, "series": session.series},
        "step": beamer_step_payload(session, step),
        "timer": timer_payload(session),
        "tables": [{"number": t.number, "name": t.name} for t in session.tables],
        "contributions": contributions,
        # A scale's counts or a ranking's points, added up from exactly the contributions above.
        "summary": cast(wire.ScaleSummary | wire.RankingSummary | None,
                        services.beamer_summary(step, cast(list[dict[str, object]], contributions))),
        # How many answers wait for the reveal: a count only, their text never reaches the beamer.
        "concealed": services.concealed_count(repo, session, step),
        "board": cast(wire.BeamerBoard, services.beamer_board(repo, registry, session, step.item, translated))
        if step and display == "board" else None,
        "votes": cast(wire.BeamerVotes, services.beamer_votes(repo, registry, session, step.item, translated))
        if step and display == "votes" else None,
        "view": {"large": session.beamer_large, "qr": session.beamer_qr},
    }
