"""What the regie (the facilitator's host screen) is sent: its whole state, contributions with what the room may
not see yet, and the phone counts."""

from __future__ import annotations

from typing import cast

from flask_babel import gettext as _

from facilitator.core import services
from facilitator.core.domain import Contribution, WorkFormat, WorkshopSession
from facilitator.core.registry import WorkFormatRegistry
from facilitator.storage import SessionRepository
from facilitator.web import wire
from facilitator.web.realtime.screens.shared import (
    contribution_payload,
    draft_payload,
    next_step_payload,
    step_payload,
    timer_payload,
)


def agenda_workformats(registry: WorkFormatRegistry, session: WorkshopSession) -> dict[str, WorkFormat]:
    """Return each agenda item's werkvorm as the facilitator configured it, by item id."""
    return {item.id: services.configured_workformat(registry, item) for item in session.agenda}


def host_contribution(
    session: WorkshopSession, workformats: dict[str, WorkFormat], contribution: Contribution
) -> wire.HostContribution | None:
    """Return what the host screen may show of a contribution; None for a private answer not shared."""
    if not contribution.shared:
        return None
    workformat = workformats.get(contribution.agenda_item_id)
    concealed = workformat is not None and services.is_concealed(session, workformat, contribution)
    item = session.agenda_item(contribution.agenda_item_id)
    # "pending": the beamer does not show it until the facilitator approves it (the regie shows it marked).
    # A concealed answer keeps its text here: the host room is the facilitator's own screen, which pre-reads it
    # ("nog niet onthuld"); the beamer and the phones get none of it before the reveal.
    return {**contribution_payload(contribution), "concealed": concealed,
            "pending": services.awaiting_approval(item, contribution)}


def participant_counts(repo: SessionRepository, session_id: str, connected: set[str]) -> wire.ParticipantCounts:
    """Return how many phones joined and are connected, in all, per table and per perspective: counts only."""
    session = repo.get_session(session_id)
    return {
        "joined": repo.count_participants(session_id),
        "connected": len(connected),
        "tables": cast(list[wire.TableCount], services.table_counts(repo, session, connected)),
        "perspectives": cast(list[wire.PerspectiveCount], services.perspective_counts(repo, session)),
    }


def host_state(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str, *, connected: set[str],
    storage_failing: bool,
) -> wire.HostState:
    """Return the full state a host screen shows."""
    session = repo.get_session(session_id)
    workformats = agenda_workformats(registry, session)
    contributions = [
        payload
        for c in repo.list_contributions(session_id)
        if (payload := host_contribution(session, workformats, c)) is not None
    ]
    step = step_payload(repo, registry, session)
    return {
        "role": "host",
        "session": {
            "id": session.id,
            "title": session.title,
            "date": session.date,
            "series": session.series,
            "motto": session.motto,
            "join_code": session.join_code,
        },
        "agenda": [
            {"id": item.id, "workformat": item.workformat_id, "name": _(workformats[item.id].name),
             "notes": item.notes,  # the facilitator's own notes: the host room only
             "phases": [{"id": p.id, "title": _(p.title)} for p in workformats[item.id].phases]}
            for item in session.agenda
        ],
        "step": step,
        "next": next_step_payload(registry, session),
        "timer": timer_payload(session),
        "contributions": contributions,
        "participants": participant_counts(repo, session_id, connected),
        "roles": cast(list[wire.RoleEntry], services.role_overview(repo, session)),
        "drafts": [draft_payload(d) for d in services.table_drafts(repo, session_id, None)],
        "tallies": services.tallies(repo, session_id, step["agenda_item"]) if step else {},
        "boards": cast(dict[str, wire.Board], services.board_views(repo, registry, session)),
        "closing": session.closing,
        "mail_optins": len(repo.list_mail_optins(session_id)),
        "storage_failing": storage_failing,
        "beamer": {"large": session.beamer_large, "qr": session.beamer_qr},
        # Whether a phone remote token exists (the token itself is shown once, when the regie makes it).
        "remote": {"active": bool(session.remote_token_hash)},
    }
