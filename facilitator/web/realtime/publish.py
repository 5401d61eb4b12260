"""Publishing: the domain events a use case returns, emitted to the rooms that need to know, each in its shape."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from typing import Any, cast

from flask_babel import force_locale
from flask_socketio import SocketIO

from facilitator.core import services
from facilitator.core.domain import (
    AgendaChanged,
    BoardChanged,
    Contribution,
    ContributionAdded,
    ContributionChanged,
    ContributionVisibilityChanged,
    DomainEvent,
    ParticipantJoined,
    ParticipantMoved,
    PhaseChanged,
    PhaseRevealed,
    RolesChanged,
    SessionNotFound,
    TableDraftChanged,
    TablesChanged,
    TimerChanged,
    VotesChanged,
    WorkshopSession,
)
from facilitator.core.domain.events import (
    ApprovalChanged,
    BeamerViewChanged,
    MailOptInsChanged,
    SessionClosingChanged,
    SessionDeleted,
)
from facilitator.core.registry import WorkFormatRegistry
from facilitator.storage import SessionRepository
from facilitator.web import wire
from facilitator.web.realtime.beamer_feed import BeamerFeed
from facilitator.web.realtime.connections import Connections
from facilitator.web.realtime.events import (
    BEAMER_VIEW_CHANGED,
    BOARD_CHANGED,
    CLOSING_CHANGED,
    CONTRIBUTION_ADDED,
    CONTRIBUTION_UPDATED,
    MAIL_OPTINS_CHANGED,
    PARTICIPANTS_CHANGED,
    PHASE_CHANGED,
    PLACEMENTS_CHANGED,
    PROBE_REACHED,
    REMOTE_REVOKED,
    ROLES_CHANGED,
    SESSION_ENDED,
    SESSION_STATE,
    TABLE_DRAFT_CHANGED,
    TABLES_CHANGED,
    TIMER_CHANGED,
    VOTES_CHANGED,
)
from facilitator.web.realtime.rooms import (
    beamer_room,
    host_room,
    participant_room,
    participants_room,
    remote_room,
    table_room,
)
from facilitator.web.realtime.screens.host import host_contribution
from facilitator.web.realtime.screens.participant import own_contribution_payload
from facilitator.web.realtime.screens.shared import (
    contribution_payload,
    draft_payload,
    next_step_payload,
    step_payload,
    timer_payload,
    translated,
)
from facilitator.web.realtime.states import ScreenStates

#: Domain events that change nothing the phone remote shows (its step, what comes next, the timer, what waits for
#: approval or the reveal): a batch of only these neither builds nor sends the remote's state (each build reads every
#: contribution). Any other kind, a new one too, does.
REMOTE_UNCHANGED_BY = (
    ParticipantJoined, ParticipantMoved, TablesChanged, RolesChanged, TableDraftChanged, BoardChanged, VotesChanged,
    SessionClosingChanged, MailOptInsChanged, BeamerViewChanged,
)

class Publisher:
    """Emits what happened to the rooms of one app, remembering what phones last heard of boards they sort on."""

    def __init__(
        self, socketio: SocketIO, repo: SessionRepository, registry: WorkFormatRegistry, connections: Connections,
        states: ScreenStates, beamer: BeamerFeed,
    ) -> None:
        self.socketio, self.repo, self.registry = socketio, repo, registry
        self.connections, self.states, self.beamer = connections, states, beamer
        self._lock = threading.Lock()
        #: What phones last heard of a board's theme names, per (session, item), and of their cards' themes,
        #: per (session, participant): a board change reaches a phone only when this changes for it.
        self._themes_sent: dict[tuple[str, str], list[wire.ThemeChoice]] = {}
        self._placements_sent: dict[tuple[str, str], dict[str, str]] = {}

    def send_state(self, sid: str, state: wire.SessionState) -> None:
        """Send a full state to one connection only."""
        self.socketio.emit(SESSION_STATE, state, to=sid)

    def probe_reached(self, session_id: str, probe_id: str, via: str) -> None:
        """Tell the host screens that a phone opened their test QR code, and through which address."""
        payload: wire.ProbeReached = {"probe": probe_id, "via": via}
        self.socketio.emit(PROBE_REACHED, payload, to=host_room(session_id))

    def announce_participants(self, session_id: str) -> None:
        """Tell the host screens how many phones there are, per table."""
        self.socketio.emit(PARTICIPANTS_CHANGED, self.states.participant_counts(session_id), to=host_room(session_id))

    def refresh_participant(self, session_id: str, participant_id: str) -> None:
        """Send a participant's tabs their whole state again (after a role or table change)."""
        participant = next((p for p in self.repo.list_participants(session_id) if p.id == participant_id), None)
        if participant is not None:
            self.socketio.emit(
                SESSION_STATE, self.states.participant(session_id, participant), to=participant_room(participant_id)
            )

    def refresh_hosts(self, session_id: str) -> None:
        """Send the host screens their whole state again (after a reveal or an agenda change)."""
        self.socketio.emit(SESSION_STATE, self.states.host(session_id), to=host_room(session_id))

    def refresh_remotes(self, session_id: str) -> None:
        """Send the bijeenkomst's phone remotes their state again (after anything they show may have changed)."""
        if self.connections.has(session_id, "remote"):
            try:
                state = self.states.remote(session_id)
            except SessionNotFound:
                return
            self.socketio.emit(SESSION_STATE, state, to=remote_room(session_id))

    def drop_remotes(self, session_id: str) -> None:
        """Tell the bijeenkomst's phone remotes their token was revoked and take them out of every room."""
        sids = self.connections.drop(session_id, "remote")
        payload: wire.Nothing = {}
        self.socketio.emit(REMOTE_REVOKED, payload, to=remote_room(session_id))
        for sid in sids:
            self.socketio.server.leave_room(sid, remote_room(session_id))

    def forget_session(self, session_id: str) -> None:
        """Let go of a deleted bijeenkomst: its connections and what its screens last heard."""
        with self._lock:
            self._themes_sent = {k: v for k, v in self._themes_sent.items() if k[0] != session_id}
            self._placements_sent = {k: v for k, v in self._placements_sent.items() if k[0] != session_id}
        self.beamer.forget_session(session_id)
        self.connections.forget_session(session_id)

    def publish(self, events: list[DomainEvent]) -> None:
        """Emit what happened to the rooms that need to know; the remote hears again only when what it shows may
        have changed."""
        # What the room hears speaks the bijeenkomst's language, not that of whoever caused it (a facilitator who
        # reads the regie in English still moves a Dutch room on in Dutch); acks keep the sender's own language.
        with self._room_language(events):
            self._publish(events)
            if any(isinstance(e, SessionDeleted) for e in events):
                return
            touched = {
                _session_of(e) for e in events if not isinstance(e, REMOTE_UNCHANGED_BY)
            }
            for session_id in sorted(s for s in touched if isinstance(s, str)):
                self.refresh_remotes(session_id)

    def _room_language(self, events: list[DomainEvent]) -> AbstractContextManager[Any]:
        """Return a context that speaks the language of the bijeenkomst these events are about, if there is one."""
        session_id = next((s for s in map(_session_of, events) if isinstance(s, str)), None)
        if session_id is None:
            return nullcontext()
        try:
            language = self.repo.get_session(session_id).language
        except SessionNotFound:
            return nullcontext()
        return force_locale(language) if language else nullcontext()

    def _publish(self, events: list[DomainEvent]) -> None:
        """Emit each event to its rooms, in the order the use case returned them."""
        for event in events:
            if isinstance(event, ContributionAdded):
                self._publish_contribution(event.session_id, CONTRIBUTION_ADDED, event.contribution)
            elif isinstance(event, ContributionVisibilityChanged | ContributionChanged):
                self._publish_contribution(event.session_id, CONTRIBUTION_UPDATED, event.contribution)
            elif isinstance(event, ParticipantJoined):
                self.announce_participants(event.session_id)
                self.beamer.groups_changed(event.session_id)
            elif isinstance(event, ParticipantMoved):
                self.connections.reseat(event.session_id, event.participant_id, event.table)
                self.announce_participants(event.session_id)
                self.beamer.groups_changed(event.session_id)
            elif isinstance(event, PhaseChanged):
                self._phase_changed(event.session)
                self.beamer.refresh(event.session.id)
            elif isinstance(event, PhaseRevealed | AgendaChanged):
                self.refresh_hosts(event.session.id)
                self._phase_changed(event.session, hosts=False)
                self.beamer.refresh(event.session.id)
            elif isinstance(event, ApprovalChanged):
                self._approval_changed(event.session_id, event.agenda_item_id)
            elif isinstance(event, BeamerViewChanged):
                view: wire.BeamerView = {"large": event.session.beamer_large, "qr": event.session.beamer_qr}
                rooms = [host_room(event.session.id), beamer_room(event.session.id)]
                self.socketio.emit(BEAMER_VIEW_CHANGED, view, to=rooms)
            elif isinstance(event, TimerChanged):
                timer: wire.TimerChanged = {"timer": timer_payload(event.session)}
                session_id = event.session.id
                rooms = [host_room(session_id), participants_room(session_id), beamer_room(session_id)]
                self.socketio.emit(TIMER_CHANGED, timer, to=rooms)
            elif isinstance(event, TablesChanged):
                tables: wire.TablesChanged = {
                    "tables": [{"number": t.number, "name": t.name} for t in event.session.tables]}
                self.socketio.emit(TABLES_CHANGED, tables, to=participants_room(event.session.id))
                self.announce_participants(event.session.id)
                self.beamer.refresh(event.session.id)
            elif isinstance(event, RolesChanged):
                roles: wire.RolesChanged = {
                    "roles": cast(list[wire.RoleEntry], services.role_overview(self.repo, event.session))}
                self.socketio.emit(ROLES_CHANGED, roles, to=host_room(event.session.id))
                for participant_id in event.participant_ids:
                    self.refresh_participant(event.session.id, participant_id)
            elif isinstance(event, TableDraftChanged):
                draft: wire.TableDraftChanged = {"draft": draft_payload(event.draft)}
                rooms = [table_room(event.session_id, event.draft.table), host_room(event.session_id)]
                self.socketio.emit(TABLE_DRAFT_CHANGED, draft, to=rooms)
            elif isinstance(event, BoardChanged):
                self.board_changed(event.session_id, event.agenda_item_id)
            elif isinstance(event, VotesChanged):
                votes: wire.VotesChanged = {
                    "agenda_item": event.agenda_item_id,
                    "tallies": services.tallies(self.repo, event.session_id, event.agenda_item_id),
                }
                self.socketio.emit(VOTES_CHANGED, votes, to=host_room(event.session_id))
                self.beamer.votes(event.session_id, event.agenda_item_id)
            elif isinstance(event, SessionClosingChanged):
                rooms = [host_room(event.session.id), participants_room(event.session.id)]
                closing: wire.ClosingChanged = {"closing": event.session.closing}
                self.socketio.emit(CLOSING_CHANGED, closing, to=rooms)
            elif isinstance(event, MailOptInsChanged):
                optins: wire.MailOptinsChanged = {"count": len(self.repo.list_mail_optins(event.session_id))}
                self.socketio.emit(MAIL_OPTINS_CHANGED, optins, to=host_room(event.session_id))
            elif isinstance(event, SessionDeleted):
                rooms = [host_room(event.session_id), participants_room(event.session_id),
                         beamer_room(event.session_id), remote_room(event.session_id)]
                ended: wire.Nothing = {}
                self.socketio.emit(SESSION_ENDED, ended, to=rooms)
                self.forget_session(event.session_id)

    def _publish_contribution(self, session_id: str, name: str, contribution: Contribution) -> None:
        """Send a new or changed contribution to its author, the table or listeners, the regie and the beamer,
        each in the shape it may see."""
        session = self.repo.get_session(session_id)
        item = session.agenda_item(contribution.agenda_item_id)
        author = contribution.participant_id
        # The author's own tabs hear of every change, with its status: a hidden text stays on that phone only.
        own: wire.OwnContributionEvent = {"contribution": own_contribution_payload(item, contribution)}
        self.socketio.emit(name, own, to=participant_room(author))
        others = [participant_room(pid) for pid in services.listens_to(session, contribution) if pid != author]
        if contribution.slot is not None and contribution.table is not None:
            others.append(table_room(session_id, contribution.table))
        payload: wire.Contribution | None = None
        if not contribution.hidden and contribution.shared:
            payload = contribution_payload(contribution)
        elif name == CONTRIBUTION_UPDATED:
            # Hidden or taken back: the table and a listening inbrenger drop it; its text goes with it no more.
            payload = contribution_payload(contribution, concealed=True)
        if others and payload is not None:
            # The author sits at the table too; its tabs had their own version above.
            skip = self.connections.participant_sids(session_id, author)
            theirs: wire.ContributionEvent = {"contribution": payload}
            self.socketio.emit(name, theirs, to=sorted(set(others)), skip_sid=skip or None)
        workformats = {item.id: services.configured_workformat(self.registry, item)} if item else {}
        host = host_contribution(session, workformats, contribution)
        if host is None:
            if name == CONTRIBUTION_ADDED:
                return  # a private answer not shared: only its author hears of it
            # a private answer taken back: the host drops it
            host = {**contribution_payload(contribution, concealed=True), "shared": False, "pending": False}
        regie: wire.HostContributionEvent = {"contribution": host}
        self.socketio.emit(name, regie, to=host_room(session_id))
        self.beamer.contribution(session, contribution, added=name == CONTRIBUTION_ADDED)

    def _approval_changed(self, session_id: str, item_id: str) -> None:
        """Tell each author the new status of their contributions of an item whose "eerst goedkeuren" switched."""
        session = self.repo.get_session(session_id)
        item = session.agenda_item(item_id)
        for contribution in self.repo.list_contributions(session_id):
            if contribution.agenda_item_id == item_id and not contribution.hidden:
                payload: wire.OwnContributionEvent = {"contribution": own_contribution_payload(item, contribution)}
                self.socketio.emit(CONTRIBUTION_UPDATED, payload, to=participant_room(contribution.participant_id))

    def board_changed(self, session_id: str, item_id: str) -> None:
        """Send a changed board to the host screens; phones that place or vote on it hear only what they need."""
        session = self.repo.get_session(session_id)
        if session.agenda_item(item_id) is None:
            return
        board: wire.BoardChanged = {
            "board": cast(wire.Board, services.board_view(self.repo, self.registry, session, item_id))}
        self.socketio.emit(BOARD_CHANGED, board, to=host_room(session_id))
        step = services.current_step(self.registry, session)
        if step is None:
            return
        self.beamer.board_changed(session, step, item_id)
        # What phones may read: a name the clusterer proposed stays "Thema 3" until the facilitator accepted it.
        themes = cast(list[wire.ThemeChoice], services.theme_choices(self.repo, session_id, item_id, translated))
        # Phones hear of a card moving only when it is their own, and of themes only when a name changed:
        # while 300 phones place their cards, a broadcast per move would cost every phone every move.
        names_changed = self._remember_themes(session_id, item_id, themes)
        source = services.source_item(session, step.item) if step.workformat.can("votes") else None
        if source is not None and services.board_item_for(session, source, self.registry).id == item_id:
            if names_changed:
                self._phase_changed(session, hosts=False)  # the dots go to these themes: phones need the names
            return
        if services.board_item_for(session, step.item, self.registry).id != item_id:
            return
        if "place" in {step.workformat.view_for(step.phase, role) for role in step.workformat.roles}:
            if names_changed:
                payload: wire.PhoneBoardChanged = {"board": {"agenda_item": item_id, "themes": themes}}
                self.socketio.emit(BOARD_CHANGED, payload, to=participants_room(session_id))
            self._send_placements(session, item_id)

    def _remember_themes(self, session_id: str, item_id: str, themes: list[wire.ThemeChoice]) -> bool:
        """Note the theme names phones last heard of for a board; return whether they changed."""
        with self._lock:
            changed = self._themes_sent.get((session_id, item_id)) != themes
            self._themes_sent[(session_id, item_id)] = themes
        return changed

    def _send_placements(self, session: WorkshopSession, item_id: str, *, everyone: bool = False) -> None:
        """Tell each phone with cards on a board where its cards are now (only phones whose cards moved)."""
        board = services.load_board(self.repo, session.id, item_id)
        placed = board.placed()
        per_phone: dict[str, dict[str, str]] = {}
        for contribution in self.repo.list_contributions(session.id):
            if contribution.agenda_item_id == item_id:
                mine = per_phone.setdefault(contribution.participant_id, {})
                if contribution.id in placed:
                    mine[contribution.id] = placed[contribution.id]
        for participant_id, placements in per_phone.items():
            with self._lock:
                unchanged = self._placements_sent.get((session.id, participant_id)) == placements
                self._placements_sent[(session.id, participant_id)] = placements
            if everyone or not unchanged:
                moved: wire.PlacementsChanged = {"placements": placements}
                self.socketio.emit(PLACEMENTS_CHANGED, moved, to=participant_room(participant_id))

    def _phase_changed(self, session: WorkshopSession, *, hosts: bool = True) -> None:
        step = step_payload(self.repo, self.registry, session)
        payload: wire.PhaseChanged = {"step": step, "timer": timer_payload(session)}
        self.socketio.emit(PHASE_CHANGED, payload, to=participants_room(session.id))
        if hosts:  # the regie also hears what comes next ("Volgende: …"); phones need not
            host_payload: wire.HostPhaseChanged = {**payload, "next": next_step_payload(self.registry, session)}
            self.socketio.emit(PHASE_CHANGED, host_payload, to=host_room(session.id))
        if step and "place" in step:  # the host may have sorted since a phone joined: give each its cards' themes
            self._remember_themes(session.id, step["place"]["board_item"], step["place"]["themes"])
            self._send_placements(session, step["place"]["board_item"], everyone=True)
        elif step and "vote" in step:
            source = services.source_item(session, session.agenda[session.current_item])
            if source is not None:
                voted_on = services.board_item_for(session, source, self.registry).id
                choices = cast(list[wire.ThemeChoice],
                               services.theme_choices(self.repo, session.id, voted_on, translated))
                self._remember_themes(session.id, voted_on, choices)


def _session_of(event: DomainEvent) -> object:
    """Return the id of the bijeenkomst an event is about (events name it as session_id or carry the session)."""
    return getattr(event, "session_id", None) or getattr(getattr(event, "session", None), "id", None)
