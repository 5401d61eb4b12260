"""What a participant's phone is sent: its whole state, and its own contributions with their status."""

from __future__ import annotations

from facilitator.core import services
from facilitator.core.domain import AgendaItem, Contribution, Participant
from facilitator.core.registry import WorkFormatRegistry
from facilitator.storage import SessionRepository
from facilitator.web import wire
from facilitator.web.realtime.screens.shared import contribution_payload, draft_payload, step_payload, timer_payload


def own_contribution_payload(item: AgendaItem | None, contribution: Contribution) -> wire.OwnContribution:
    """Return what the author's own phone gets of its contribution: all of it, with its `status`: "sent";
    "hidden" (the facilitator hid it: its author still sees the text, marked, and it still counts as sent);
    "pending" (waiting for the facilitator's approval before the beamer shows it)."""
    return {**contribution_payload(contribution), "status": services.contribution_status(item, contribution)}


def participant_state(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str, participant: Participant,
    rejoin_secret: bytes,
) -> wire.ParticipantState:
    """Return the full state one phone shows."""
    session = repo.get_session(session_id)
    # Its own items, hidden ones too: the author sees what became of them (and does not send them again).
    mine = services.participant_contributions(repo, session_id, participant.id)
    all_contributions = repo.list_contributions(session_id)
    table_items = [
        c for c in all_contributions
        if participant.table is not None and c.table == participant.table and c.slot is not None and not c.hidden
        and c.participant_id != participant.id
    ]
    listening = [
        contribution_payload(c)
        for c in all_contributions
        if not c.hidden and c.shared and c.participant_id != participant.id
        and participant.id in services.listens_to(session, c)
    ]
    votes: dict[str, list[str]] = {}
    for vote in repo.list_votes(session_id):
        if vote.active and vote.participant_id == participant.id:
            votes.setdefault(vote.agenda_item_id, []).append(vote.target)
    drafts = services.table_drafts(repo, session_id, participant.table) if participant.table else []
    return {
        "role": "participant",
        "session": {"id": session.id, "title": session.title},
        "step": step_payload(repo, registry, session),
        "timer": timer_payload(session),
        "me": {
            "number": participant.number,
            "table": participant.table,
            "perspective": participant.perspective or None,
            "roles": services.roles_of(session, participant),
            # To type on another address of the laptop after it changed; sent to this phone's own connection.
            "rejoin_code": services.rejoin_code(rejoin_secret, session_id, participant),
        },
        "tables": [{"number": t.number, "name": t.name} for t in session.tables],
        "contributions": [
            *(own_contribution_payload(session.agenda_item(c.agenda_item_id), c) for c in mine),
            *(contribution_payload(c) for c in table_items),
        ],
        "listening": listening,
        "drafts": [draft_payload(d) for d in drafts],
        "votes": {item: sorted(targets) for item, targets in votes.items()},
        "placements": services.placements(repo, session_id, participant.id),
        "closing": session.closing,
        # Only this phone's own address, and only to its own connection: session_state goes to one client.
        "verslag_email": services.my_request(repo, session_id, participant.id),
    }
