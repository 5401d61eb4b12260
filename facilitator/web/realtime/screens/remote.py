"""What the facilitator's phone remote is sent: the step, what comes next, the timer and what waits; nothing else."""

from __future__ import annotations

from facilitator.core import services
from facilitator.core.registry import WorkFormatRegistry
from facilitator.storage import SessionRepository
from facilitator.web import wire
from facilitator.web.realtime.screens.shared import next_step_payload, timer_payload, translated

#: How many of the items waiting for approval the remote lists, oldest first.
REMOTE_PENDING_SHOWN = 3


def remote_state(repo: SessionRepository, registry: WorkFormatRegistry, session_id: str) -> wire.RemoteState:
    """Return what the facilitator's phone remote shows: the step, what comes next, the timer, what waits."""
    session = repo.get_session(session_id)
    step = services.current_step(registry, session)
    pending: list[wire.Card] = []
    waiting = 0
    concealed = 0
    if step is not None:
        for c in repo.list_contributions(session_id):
            if c.agenda_item_id != step.item.id or c.hidden or not c.shared:
                continue
            if services.awaiting_approval(step.item, c):
                waiting += 1
                if len(pending) < REMOTE_PENDING_SHOWN:
                    pending.append({"id": c.id, "text": c.text})
            if c.phase_id == step.phase.id and services.is_concealed(session, step.workformat, c):
                concealed += 1
    return {
        "role": "remote",
        "session": {"id": session.id, "title": session.title},
        "step": None if step is None else {
            "workformat_name": translated(step.workformat.name),
            "phase_title": translated(step.phase.title),
            "item_index": step.item_index,
            "items_count": len(session.agenda),
            "phase_index": step.phase_index,
            "phases_count": len(step.workformat.phases),
            "hidden_until_reveal": step.phase.hidden_until_reveal,
            "revealed": session.is_revealed(step.item.id, step.phase.id),
            "approve_first": services.approval_required(step.item),
        },
        "next": next_step_payload(registry, session),
        "timer": timer_payload(session),
        "pending": pending,
        "pending_count": waiting,
        "concealed": concealed,
    }
