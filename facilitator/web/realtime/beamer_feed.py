"""The beamer's feed: what its windows are sent as the room changes, only what the room may see, and only while one
is connected."""

from __future__ import annotations

import threading
from typing import Any, cast

from flask_socketio import SocketIO

from facilitator.core import services
from facilitator.core.domain import Contribution, WorkshopSession
from facilitator.core.registry import WorkFormatRegistry
from facilitator.storage import SessionRepository
from facilitator.web import wire
from facilitator.web.realtime.connections import Connections
from facilitator.web.realtime.events import (
    BEAMER_BOARD,
    BEAMER_CONTRIBUTION,
    BEAMER_CONTRIBUTION_REMOVED,
    SESSION_STATE,
    VOTES_CHANGED,
)
from facilitator.web.realtime.rooms import beamer_room
from facilitator.web.realtime.screens.beamer import beamer_state
from facilitator.web.realtime.screens.shared import translated


class BeamerFeed:
    """Sends each bijeenkomst's beamer windows their state and its changes, remembering what they show."""

    def __init__(
        self, socketio: SocketIO, repo: SessionRepository, registry: WorkFormatRegistry, connections: Connections
    ) -> None:
        self.socketio, self.repo, self.registry, self.connections = socketio, repo, registry, connections
        self._lock = threading.Lock()
        #: Per bijeenkomst, the groups (tables, perspectives, both) large enough to be named on its beamer when it
        #: last got its state: a join or a move redraws the beamer only when this changes.
        self._groups: dict[str, frozenset[tuple[Any, ...]]] = {}
        #: Per bijeenkomst, the contributions its beamer windows show now: only those are ever taken back by id, so
        #: the beamer never even hears the id of one it was not to show.
        self._shown: dict[str, set[str]] = {}

    def connected(self, session_id: str) -> bool:
        """Tell whether a beamer window of this bijeenkomst is connected (its updates are built only then)."""
        return self.connections.has(session_id, "beamer")

    def state(self, session_id: str) -> wire.BeamerState:
        """Return the full state a beamer window shows, and remember which groups and contributions it shows."""
        session = self.repo.get_session(session_id)
        step = services.current_step(self.registry, session)
        sizes = services.group_sizes(self.repo.list_participants(session_id))
        with self._lock:
            self._groups[session_id] = sizes.shown(services.privacy_threshold(session))
        state = beamer_state(self.repo, self.registry, session, step, sizes)
        with self._lock:
            self._shown[session_id] = {c["id"] for c in state["contributions"]}
        return state

    def forget_session(self, session_id: str) -> None:
        """Let go of what a deleted bijeenkomst's beamer showed."""
        with self._lock:
            self._groups.pop(session_id, None)
            self._shown.pop(session_id, None)

    def refresh(self, session_id: str) -> None:
        """Send the beamer windows their whole state again (a new phase, a reveal, an agenda or table change)."""
        if self.connected(session_id):
            self.socketio.emit(SESSION_STATE, self.state(session_id), to=beamer_room(session_id))

    def contribution(self, session: WorkshopSession, contribution: Contribution, *, added: bool) -> None:
        """Tell the beamer of a contribution it may now show, or that it must no longer show one."""
        if not self.connected(session.id):
            return
        step = services.current_step(self.registry, session)
        if step is None:
            return
        display = step.phase.display
        if display == "board":
            if services.board_item_for(session, step.item, self.registry).id == contribution.agenda_item_id:
                self._send_board(session, step)
            return
        if display == "votes" or display in services.SUMMED_DISPLAYS or (
            step.phase.hidden_until_reveal and not session.is_revealed(step.item.id, step.phase.id)
        ):
            # Vote targets may be contributions, a concealed phase shows a count, and a scale or a ranking adds
            # the answers up: the whole (small) state.
            self.refresh(session.id)
            return
        workformat = services.configured_workformat(self.registry, step.item)
        if services.in_view(step, contribution) and services.room_may_see(session, workformat, step.item, contribution):
            sizes = services.group_sizes(self.repo.list_participants(session.id))
            shown = cast(wire.BeamerContribution,
                         services.beamer_contribution(contribution, sizes, services.privacy_threshold(session)))
            with self._lock:
                self._shown.setdefault(session.id, set()).add(contribution.id)
            payload: wire.BeamerContributionEvent = {"contribution": shown}
            self.socketio.emit(BEAMER_CONTRIBUTION, payload, to=beamer_room(session.id))
        elif not added and self._forget(session.id, contribution.id):
            # Only the id of a card it shows: the beamer drops it.
            removed: wire.BeamerContributionRemoved = {"id": contribution.id}
            self.socketio.emit(BEAMER_CONTRIBUTION_REMOVED, removed, to=beamer_room(session.id))

    def _forget(self, session_id: str, contribution_id: str) -> bool:
        """Note that the beamer no longer shows a contribution; tell whether it did."""
        with self._lock:
            shown = self._shown.get(session_id, set())
            if contribution_id not in shown:
                return False
            shown.discard(contribution_id)
            return True

    def _send_board(self, session: WorkshopSession, step: services.CurrentStep) -> None:
        board = cast(wire.BeamerBoard, services.beamer_board(self.repo, self.registry, session, step.item, translated))
        payload: wire.BeamerBoardEvent = {"board": board}
        self.socketio.emit(BEAMER_BOARD, payload, to=beamer_room(session.id))

    def board_changed(self, session: WorkshopSession, step: services.CurrentStep, item_id: str) -> None:
        """Send the beamer the board it shows when that board changed; a vote on its themes redraws the beamer."""
        if not self.connected(session.id):
            return
        if step.phase.display == "board" and services.board_item_for(session, step.item).id == item_id:
            self._send_board(session, step)
        elif step.phase.display == "votes":
            self.refresh(session.id)

    def votes(self, session_id: str, item_id: str) -> None:
        """Send the beamer the dots counted so far, for the targets the room may see."""
        if not self.connected(session_id):
            return
        session = self.repo.get_session(session_id)
        item = session.agenda_item(item_id)
        step = services.current_step(self.registry, session)
        if item is None or step is None or step.item.id != item_id or step.phase.display != "votes":
            return
        votes = services.beamer_votes(self.repo, self.registry, session, item, translated)
        payload: wire.VotesChanged = {"agenda_item": item_id, "tallies": votes["tallies"]}
        self.socketio.emit(VOTES_CHANGED, payload, to=beamer_room(session_id))

    def groups_changed(self, session_id: str) -> None:
        """Redraw the beamer when a join or a move changed which tables and perspectives it may name."""
        if not self.connected(session_id):
            return
        session = self.repo.get_session(session_id)
        shown = services.group_sizes(self.repo.list_participants(session_id)).shown(services.privacy_threshold(session))
        with self._lock:
            unchanged = self._groups.get(session_id) == shown
        if not unchanged:
            self.refresh(session_id)

