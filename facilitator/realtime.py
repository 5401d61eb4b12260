"""The Socket.IO side: event names, rooms, payload shapes, and the one place events are emitted."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from flask import has_request_context
from flask_babel import gettext as _
from flask_socketio import SocketIO

from . import services
from .domain import (
    N_,
    AgendaChanged,
    AgendaItem,
    BoardChanged,
    Contribution,
    ContributionAdded,
    ContributionChanged,
    ContributionKind,
    ContributionVisibilityChanged,
    DomainEvent,
    DraftConflict,
    FacilitatorError,
    InvalidInput,
    NotAuthorised,
    Participant,
    ParticipantJoined,
    ParticipantMoved,
    PhaseChanged,
    PhaseRevealed,
    RolesChanged,
    SessionNotFound,
    TableDraft,
    TableDraftChanged,
    TablesChanged,
    TimerChanged,
    VotesChanged,
    WorkFormat,
    WorkshopSession,
)
from .domain.events import (
    ApprovalChanged,
    BeamerViewChanged,
    MailOptInsChanged,
    SessionClosingChanged,
    SessionDeleted,
)
from .domain.text import check_storable
from .messages import error_message, internal_error_message
from .registry import WorkFormatRegistry
from .storage import SessionRepository
from .throttle import GuessThrottle, RateLimiter, TooFast

log = logging.getLogger(__name__)

# -- client -> server ------------------------------------------------------------------------
#: Any page, after every (re)connect: {session, role: "host"|"participant", token?}.
JOIN_SESSION = "join_session"
#: A phone: {session, client_id, text, kind?, bucket?, tags?, function?, shared?, agenda_item?}.
SUBMIT_CONTRIBUTION = "submit_contribution"
#: A phone: {session, table}: sit at another table (null: no table).
CHOOSE_TABLE = "choose_table"
#: A phone: {session, code}: take the role a one-time code stands for.
CLAIM_ROLE = "claim_role"
#: A phone: {session}: become the spokesperson of one's table in the current werkvorm.
CLAIM_SPOKESPERSON = "claim_spokesperson"
#: A phone: {session, kind, slot, text, base_version}: save the table's shared draft.
SAVE_TABLE_DRAFT = "save_table_draft"
#: The spokesperson's phone: {session, kind}: submit the table's drafts.
SUBMIT_TABLE_DRAFTS = "submit_table_drafts"
#: A phone: {session, id, shared}: share a private answer with the room, or take it back.
SET_CONTRIBUTION_SHARED = "set_contribution_shared"
#: The inbrenger's phone: {session, id, starred}.
STAR_CONTRIBUTION = "star_contribution"
#: A phone: {session, target, on}: place or take back a dot.
CAST_VOTE = "cast_vote"
#: The host: {session, id, hidden}.
SET_CONTRIBUTION_HIDDEN = "set_contribution_hidden"
#: The host: {session, id, bucket}.
MOVE_CONTRIBUTION = "move_contribution"
#: The host: {session}.
ADVANCE_PHASE = "advance_phase"
#: The host: {session}.
PREVIOUS_PHASE = "previous_phase"
#: The host: {session, item, phase} (indexes).
GO_TO_PHASE = "go_to_phase"
#: The host: {session, action: "start"|"pause"|"add"|"reset", seconds?}.
CONTROL_TIMER = "control_timer"
#: The host: {session}: reveal the current hidden-until-reveal phase.
REVEAL_PHASE = "reveal_phase"
#: The host: {session, tables: [name, ...]}.
SET_TABLES = "set_tables"
#: The host: {session, role, number, item?}: give a role to the phone showing that number.
ASSIGN_ROLE = "assign_role"
#: The host: {session, role, table?, item?}: make a one-time code for a role.
CREATE_ROLE_CODE = "create_role_code"
#: The host: {session, role, table?, item?}.
CLEAR_ROLE = "clear_role"
#: The host: {session, item, action, ...}: move a card, add/rename/remove/merge/split/reorder themes, undo,
#: set the rode draad (see the README for each action's fields).
EDIT_BOARD = "edit_board"
#: The host: {session, item, mode: "suggest"|"sort", count?}: let the clusterer propose themes or sort the rest.
SUGGEST_THEMES = "suggest_themes"
#: A phone: {session, id, theme? | new_theme?}: put one's own contribution under a theme on the board.
PLACE_CONTRIBUTION = "place_contribution"
#: The host: {session, closing}: start (or stop) asking the phones for addresses for the verslag.
SET_CLOSING = "set_closing"
#: A phone, while the host asks: {session, email, consent: true}: send me the verslag at this address.
REQUEST_VERSLAG = "request_verslag"
#: A phone: {session}: forget my address for the verslag.
WITHDRAW_VERSLAG_REQUEST = "withdraw_verslag_request"
#: The host: {session, id, approved?}: let a contribution through to the beamer (approved: true by default), or
#: hold it back again, where its agenda item asks to approve first.
APPROVE_CONTRIBUTION = "approve_contribution"
#: The host: {session, item?}: approve every contribution of an agenda item (the current one by default) that waits.
APPROVE_ALL = "approve_all"
#: The host: {session, large?, qr?: "auto"|"large"|"small"}: the beamer's large type and the size of its QR code.
SET_BEAMER_VIEW = "set_beamer_view"

# -- server -> client ------------------------------------------------------------------------
#: The whole state one client needs, sent to that client only after join_session (and after a role change).
SESSION_STATE = "session_state"
#: {contribution}: to the host room, the author's room, listening inbrengers and (table items) the table.
CONTRIBUTION_ADDED = "contribution_added"
#: {contribution}: after hiding, moving, starring, sharing or resubmitting; to the same rooms.
CONTRIBUTION_UPDATED = "contribution_updated"
#: {joined, connected, tables: [{number, name, joined, connected}]}: to the host room.
PARTICIPANTS_CHANGED = "participants_changed"
#: {step, timer}: to the host and phones rooms.
PHASE_CHANGED = "phase_changed"
#: {timer}: to the host and phones rooms.
TIMER_CHANGED = "timer_changed"
#: {tables: [{number, name}]}: to the phones room.
TABLES_CHANGED = "tables_changed"
#: {roles: [{agenda_item, role, table, number, code}]}: to the host room.
ROLES_CHANGED = "roles_changed"
#: {draft}: to the table's room and the host room.
TABLE_DRAFT_CHANGED = "table_draft_changed"
#: {agenda_item, tallies: {target: dots}}: to the host room.
VOTES_CHANGED = "votes_changed"
#: {board}: the whole board to the host room; {board: {agenda_item, themes: [{id, name}]}} to the phones
#: room while they place their contributions on it.
BOARD_CHANGED = "board_changed"
#: {placements: {contribution: theme}}: to one participant's room, when its cards' themes changed while placing.
PLACEMENTS_CHANGED = "placements_changed"
#: {closing}: to the host and phones rooms, when the facilitator starts or stops asking for addresses.
CLOSING_CHANGED = "closing_changed"
#: {count}: how many phones asked for the verslag; to the host room only (never the addresses).
MAIL_OPTINS_CHANGED = "mail_optins_changed"
#: {}: the bijeenkomst was deleted; to the host and phones rooms, which then forget it.
SESSION_ENDED = "session_ended"
#: {message}: storing failed (a full disk, a read-only folder); to the host room, at most once per
#: STORAGE_WARNING_EVERY seconds while writes keep failing. Phones keep what was not stored.
STORAGE_WARNING = "storage_warning"
#: {}: a write worked again after storage_warning; to the host room, once.
STORAGE_OK = "storage_ok"
#: {probe, via}: a phone opened the host view's test QR code (/t/<probe>) through address:port `via`;
#: to the host room of the bijeenkomst that made the test.
PROBE_REACHED = "probe_reached"
#: {contribution}: to the beamer room: a contribution the room may now see, new or changed (room-safe fields only).
BEAMER_CONTRIBUTION = "beamer_contribution"
#: {id}: to the beamer room: a contribution the beamer must no longer show (hidden, held back, taken back).
BEAMER_CONTRIBUTION_REMOVED = "beamer_contribution_removed"
#: {board}: to the beamer room while it shows a board: its themes with the cards the room may see.
BEAMER_BOARD = "beamer_board"
#: {large, qr}: to the host and beamer rooms, when the facilitator switches the beamer's large type or QR code.
BEAMER_VIEW_CHANGED = "beamer_view_changed"
#: {}: to the remote room when the regie revokes the phone remote's token ("Intrekken"); its connections are dropped.
REMOTE_REVOKED = "remote_revoked"

#: The host events a phone remote may send (with the remote token of that bijeenkomst); every other one is refused.
REMOTE_EVENTS = frozenset({
    ADVANCE_PHASE, PREVIOUS_PHASE, CONTROL_TIMER, REVEAL_PHASE, APPROVE_CONTRIBUTION, SET_CONTRIBUTION_HIDDEN,
})
#: How many of the items waiting for approval the remote lists, oldest first.
REMOTE_PENDING_SHOWN = 3

CLIENT_EVENTS = (
    JOIN_SESSION, SUBMIT_CONTRIBUTION, CHOOSE_TABLE, CLAIM_ROLE, CLAIM_SPOKESPERSON, SAVE_TABLE_DRAFT,
    SUBMIT_TABLE_DRAFTS, SET_CONTRIBUTION_SHARED, STAR_CONTRIBUTION, CAST_VOTE, SET_CONTRIBUTION_HIDDEN,
    MOVE_CONTRIBUTION, ADVANCE_PHASE, PREVIOUS_PHASE, GO_TO_PHASE, CONTROL_TIMER, REVEAL_PHASE, SET_TABLES,
    ASSIGN_ROLE, CREATE_ROLE_CODE, CLEAR_ROLE, EDIT_BOARD, SUGGEST_THEMES, PLACE_CONTRIBUTION, SET_CLOSING,
    REQUEST_VERSLAG, WITHDRAW_VERSLAG_REQUEST, APPROVE_CONTRIBUTION, APPROVE_ALL, SET_BEAMER_VIEW,
)
SERVER_EVENTS = (
    SESSION_STATE, CONTRIBUTION_ADDED, CONTRIBUTION_UPDATED, PARTICIPANTS_CHANGED, PHASE_CHANGED, TIMER_CHANGED,
    TABLES_CHANGED, ROLES_CHANGED, TABLE_DRAFT_CHANGED, VOTES_CHANGED, BOARD_CHANGED,
    PLACEMENTS_CHANGED, CLOSING_CHANGED, MAIL_OPTINS_CHANGED, SESSION_ENDED, STORAGE_WARNING, STORAGE_OK,
    PROBE_REACHED, BEAMER_CONTRIBUTION, BEAMER_CONTRIBUTION_REMOVED, BEAMER_BOARD, BEAMER_VIEW_CHANGED,
    REMOTE_REVOKED,
)


def host_room(session_id: str) -> str:
    """Return the room every host screen of a bijeenkomst is in."""
    return f"host:{session_id}"


def phones_room(session_id: str) -> str:
    """Return the room every phone of a bijeenkomst is in."""
    return f"phones:{session_id}"


def participant_room(participant_id: str) -> str:
    """Return the room of one participant's tabs."""
    return f"participant:{participant_id}"


def table_room(session_id: str, table: int) -> str:
    """Return the room of the phones at one table."""
    return f"table:{session_id}:{table}"


def beamer_room(session_id: str) -> str:
    """Return the room of a bijeenkomst's beamer windows: they hear only what the room may see."""
    return f"beamer:{session_id}"


def remote_room(session_id: str) -> str:
    """Return the room of a bijeenkomst's phone remotes: they hear only their own compact state."""
    return f"remote:{session_id}"


@dataclass(frozen=True)
class Connection:
    """Who a Socket.IO connection speaks for, established by join_session."""

    session_id: str
    role: str  # "host", "beamer", "remote" or "participant"
    participant_id: str | None = None
    token_hash: str | None = None
    table: int | None = None


# -- payloads --------------------------------------------------------------------------------


def _t(text: str) -> str:
    """Translate a built-in label; an empty text stays empty (gettext("") would return the catalogue header)."""
    return _(text) if text else ""


def contribution_payload(contribution: Contribution, *, concealed: bool = False) -> dict[str, Any]:
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
        "perspective": contribution.perspective.value if contribution.perspective else None,
        "hidden": contribution.hidden,
        "bucket": contribution.bucket,
        "tags": list(contribution.tags),
        "function": contribution.function,
        "shared": contribution.shared,
        "starred": contribution.starred,
        "slot": contribution.slot,
    }


def own_contribution_payload(item: AgendaItem | None, contribution: Contribution) -> dict[str, Any]:
    """Return what the author's own phone gets of its contribution: all of it, with its `status`: "sent";
    "hidden" (the facilitator hid it: its author still sees the text, marked, and it still counts as sent);
    "pending" (waiting for the facilitator's approval before the beamer shows it)."""
    return {**contribution_payload(contribution), "status": services.contribution_status(item, contribution)}


def timer_payload(session: WorkshopSession, now: float | None = None) -> dict[str, Any] | None:
    """Return the timer as durations, so a phone's own clock does not matter."""
    if session.timer is None:
        return None
    return {
        "duration": round(session.timer.duration),
        "remaining": round(session.timer.remaining(time.time() if now is None else now), 1),
        "running": session.timer.running,
    }


def draft_payload(draft: TableDraft) -> dict[str, Any]:
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


def _kind_payload(kind: ContributionKind) -> dict[str, Any]:
    return {
        "id": kind.id,
        "label": _t(kind.label),
        "max_length": kind.max_length,
        "per_participant": kind.per_participant,
        "per_table": kind.per_table,
        "scope": kind.scope,
        "visibility": kind.visibility,
        "roles": list(kind.roles),
        "needs_bucket": kind.needs_bucket,
        "tag_groups": list(kind.tag_groups),
        "asks_function": kind.asks_function,
    }


def _step_titles(session: WorkshopSession, step: services.CurrentStep) -> dict[str, Any]:
    """Return what every screen shows of the current step: where in the agenda, the werkvorm, phase and prompt."""
    wf, phase = step.workformat, step.phase
    return {
        "agenda_item": step.item.id,
        "item_index": step.item_index,
        "items_count": len(session.agenda),
        "workformat": wf.id,
        "workformat_name": _t(wf.name),
        "phase": phase.id,
        "phase_index": step.phase_index,
        "phase_title": _t(phase.title),
    }


def step_payload(
    repo: SessionRepository, registry: WorkFormatRegistry, session: WorkshopSession
) -> dict[str, Any] | None:
    """Return the current werkvorm and phase with everything every role needs to show it."""
    step = services.current_step(registry, session)
    if step is None:
        return None
    wf, phase = step.workformat, step.phase
    payload: dict[str, Any] = {
        **_step_titles(session, step),
        "phases": [{"id": p.id, "title": _t(p.title)} for p in wf.phases],
        "display": phase.display,
        "shows_phases": list(phase.shows_phases),
        "prompt": _t(step.prompt()),
        "prompts": {role: _t(phase.prompt_for(role)) for role in wf.roles},
        "views": {role: wf.view_for(phase, role) for role in wf.roles},
        "accepts": {role: [k.id for k in wf.kinds_for(phase, role)] for role in wf.roles},
        "kinds": [_kind_payload(k) for k in wf.contribution_kinds if k.id in phase.accepts],
        "buckets": [{"id": b.id, "label": _t(b.label), "description": _t(b.description)} for b in wf.buckets],
        "tag_groups": [
            {
                "id": g.id,
                "label": _t(g.label),
                "options": [{"id": o.id, "label": _t(o.label), "description": _t(o.description)} for o in g.options],
            }
            for g in wf.tag_groups
        ],
        "case_text": str(step.item.settings.get("case_text", "")),
        "hidden_until_reveal": phase.hidden_until_reveal,
        "revealed": session.is_revealed(step.item.id, phase.id),
        "inbrenger_mode": str(step.item.settings.get("inbrenger_mode", wf.settings.get("inbrenger_mode", "room"))),
        "has_spokesperson": "tafelvoorzitter" in wf.roles,
        "board_item": services.board_item_for(session, step.item).id,
        # Its contributions reach the beamer only once the facilitator approved them ("eerst goedkeuren").
        "approve_first": services.approval_required(step.item),
    }
    if "place" in payload["views"].values():
        payload["place"] = {
            "board_item": payload["board_item"],
            "themes": services.theme_choices(repo, session.id, payload["board_item"], _t),
        }
    if "vote" in payload["views"].values():
        payload["vote"] = {
            "dots": services.dots_per_participant(step.item, registry),
            "targets": services.vote_targets(repo, registry, session, step.item, _t),
        }
    return payload


def next_step_payload(registry: WorkFormatRegistry, session: WorkshopSession) -> dict[str, Any] | None:
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
        "workformat_name": _t(workformat.name),
        "phase_title": _t(phase.title),
        "minutes": max(1, round(seconds / 60)) if seconds else None,
    }


def beamer_step_payload(session: WorkshopSession, step: services.CurrentStep | None) -> dict[str, Any] | None:
    """Return what the beamer shows of the current step: titles, the participants' question, labels; no roles."""
    if step is None:
        return None
    wf, phase = step.workformat, step.phase
    return {
        **_step_titles(session, step),
        "display": phase.display,
        "shows_phases": list(phase.shows_phases),
        "prompt": _t(step.prompt()),
        "case_text": str(step.item.settings.get("case_text", "")),
        "hidden_until_reveal": phase.hidden_until_reveal,
        "revealed": session.is_revealed(step.item.id, phase.id),
        "approve_first": services.approval_required(step.item),
        "kinds": [
            {"id": k.id, "label": _t(k.label), "scope": k.scope, "per_table": k.per_table}
            for k in wf.contribution_kinds
        ],
        "buckets": [{"id": b.id, "label": _t(b.label), "description": _t(b.description)} for b in wf.buckets],
        "tag_groups": [
            {"id": g.id, "label": _t(g.label), "options": [{"id": o.id, "label": _t(o.label)} for o in g.options]}
            for g in wf.tag_groups
        ],
    }


def ack_ok(**fields: Any) -> dict[str, Any]:
    """Return a success acknowledgement."""
    return {"ok": True, **fields}


def ack_error(error: FacilitatorError) -> dict[str, Any]:
    """Return an error acknowledgement in the client's language; a draft conflict carries the current draft."""
    body: dict[str, Any] = {"code": error.code, "message": error_message(error)}
    if isinstance(error, DraftConflict):
        body["current"] = {"text": error.params.get("text", ""), "version": error.params.get("version", 0)}
    if "field" in error.params:
        body["field"] = error.params["field"]
    return {"ok": False, "error": body}


def handler(event: str) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    """Wrap a socket handler so that any failure becomes an error acknowledgement, never a crash."""

    def decorate(function: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        @functools.wraps(function)
        def wrapper(*args: Any) -> dict[str, Any]:
            try:
                if len(args) > 1:  # our pages send one payload; more arguments would not fit the handler
                    raise InvalidInput("payload: one object and no more arguments", field="payload")
                if args:  # half an emoji or a structure too deep is refused here, before any use case reads it
                    check_storable(args[0])
                return function(*args)
            except NotAuthorised as exc:
                # The event name and nothing else: no token, address or user agent reaches the log.
                log.warning("%s refused: not the facilitator", event)
                return ack_error(exc)
            except FacilitatorError as exc:
                return ack_error(exc)
            except Exception:  # noqa: BLE001 - the room must keep running; details go to the log only
                log.exception("unexpected error in %s", event)
                return {"ok": False, "error": {"code": "internal", "message": internal_error_message()}}

        return wrapper

    return decorate


#: Seconds between two storage_warning events to one bijeenkomst's host screens while writes keep failing.
STORAGE_WARNING_EVERY = 2.0


_STORAGE_WARNING_TEXT = N_(
    "Opslaan lukt niet: de schijf is vol of de map is niet schrijfbaar. "
    "Bijdragen blijven op de telefoons staan en worden opnieuw verstuurd."
)


def storage_warning_message() -> str:
    """Return what the host screen says while storing fails, translated (Dutch outside a request)."""
    return _(_STORAGE_WARNING_TEXT) if has_request_context() else _STORAGE_WARNING_TEXT


#: Seconds between two log lines about phones sending too fast.
TOO_FAST_LOG_EVERY = 10


class Realtime:
    """Connections, rooms and emits for one app."""

    def __init__(
        self,
        socketio: SocketIO,
        repo: SessionRepository,
        registry: WorkFormatRegistry,
        facilitator_key_hash: str,
        offload: Callable[..., Any] | None = None,
        phone_limiter: RateLimiter | None = None,
        code_throttle: GuessThrottle | None = None,
    ) -> None:
        self.socketio = socketio
        #: The fair allowance of events per phone (see PHONE_EVENTS_BURST); off unless the app configures it.
        self.phone_limiter = phone_limiter if phone_limiter is not None else RateLimiter(0, 0.0)
        #: Wrong join and role codes per address and in all (see CODE_GUESSES_PER_ADDRESS).
        self.code_throttle = code_throttle if code_throttle is not None else GuessThrottle(10, 300, 60.0)
        self._too_fast_logged = 0.0
        #: Runs CPU-heavy work (the clusterer) in a real thread under eventlet, so the room never waits.
        self.offload: Callable[..., Any] = offload or (lambda function, *args: function(*args))
        self.repo = repo
        self.registry = registry
        self.facilitator_key_hash = facilitator_key_hash
        #: Derives each phone's rejoin code and the cookie another address of the laptop gives it.
        self.rejoin_secret = services.rejoin_secret(facilitator_key_hash)
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}
        #: What phones last heard of a board's theme names, per (session, item), and of their cards' themes,
        #: per (session, participant): a board change reaches a phone only when this changes for it.
        self._themes_sent: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._placements_sent: dict[tuple[str, str], dict[str, str]] = {}
        #: Bijeenkomsten whose last write failed, with when their host screens were last warned.
        self._storage_warned: dict[str, float] = {}
        #: Per bijeenkomst, the groups (tables, perspectives, both) large enough to be named on its beamer when it
        #: last got its state: a join or a move redraws the beamer only when this changes.
        self._beamer_groups: dict[str, frozenset[tuple[Any, ...]]] = {}
        #: Per bijeenkomst, the contributions its beamer windows show now: only those are ever taken back by id, so
        #: the beamer never even hears the id of one it was not to show.
        self._beamer_shown: dict[str, set[str]] = {}

    # -- connections ---------------------------------------------------------------------------

    def _rooms(self, connection: Connection) -> list[str]:
        if connection.role == "host":
            return [host_room(connection.session_id)]
        if connection.role == "beamer":
            return [beamer_room(connection.session_id)]
        if connection.role == "remote":
            return [remote_room(connection.session_id)]
        rooms = [phones_room(connection.session_id)]
        if connection.participant_id:
            rooms.append(participant_room(connection.participant_id))
        if connection.table is not None:
            rooms.append(table_room(connection.session_id, connection.table))
        return rooms

    def attach(self, sid: str, connection: Connection) -> None:
        """Remember who a connection speaks for and put it in its rooms."""
        with self._lock:
            self._connections[sid] = connection
        for room in self._rooms(connection):
            self.socketio.server.enter_room(sid, room)

    def detach(self, sid: str) -> Connection | None:
        """Forget a closed connection; return what it was."""
        with self._lock:
            return self._connections.pop(sid, None)

    def admit_phone_event(self, sid: str, event: str) -> None:
        """Refuse an event with TooFast when a phone (or a connection not yet joined) sends faster than its fair
        allowance; host screens are never limited. Counted per participant, so a reconnect does not refill it."""
        connection = self.connection(sid)
        if connection is not None and connection.role in ("host", "beamer"):
            return
        key = f"p:{connection.participant_id}" if connection and connection.participant_id else f"c:{sid}"
        if self.phone_limiter.allow(key):
            return
        now = time.monotonic()
        if now - self._too_fast_logged >= TOO_FAST_LOG_EVERY:
            self._too_fast_logged = now  # a flood would otherwise write a log line per refused event
            log.warning("%s refused: too fast (logged once per %d s)", event, TOO_FAST_LOG_EVERY)
        raise TooFast(f"{event}: over the phone event limit")

    def forget_connection_limit(self, sid: str) -> None:
        """Drop the allowance of a closed connection that never joined (a participant's stays, keyed by its id)."""
        self.phone_limiter.forget(f"c:{sid}")

    def switch(self, sid: str, connection: Connection) -> Connection | None:
        """Move an open connection to a new identity: leave the old rooms, enter the new ones."""
        previous = self.detach(sid)
        if previous is not None:
            for room in self._rooms(previous):
                self.socketio.server.leave_room(sid, room)
        self.attach(sid, connection)
        return previous

    def reseat(self, session_id: str, participant_id: str, table: int | None) -> None:
        """Move every open tab of a participant into its new table's room."""
        with self._lock:
            sids = [
                sid
                for sid, c in self._connections.items()
                if c.session_id == session_id and c.participant_id == participant_id
            ]
        for sid in sids:
            connection = self.connection(sid)
            if connection is not None:
                self.switch(sid, replace(connection, table=table))

    def forget_session(self, session_id: str) -> None:
        """Let go of every connection to a deleted bijeenkomst, so a later disconnect does not look it up."""
        with self._lock:
            sids = [sid for sid, c in self._connections.items() if c.session_id == session_id]
            self._themes_sent = {k: v for k, v in self._themes_sent.items() if k[0] != session_id}
            self._placements_sent = {k: v for k, v in self._placements_sent.items() if k[0] != session_id}
            self._beamer_groups.pop(session_id, None)
            self._beamer_shown.pop(session_id, None)
        for sid in sids:
            connection = self.detach(sid)
            if connection is not None:
                for room in self._rooms(connection):
                    self.socketio.server.leave_room(sid, room)

    def connection(self, sid: str) -> Connection | None:
        """Return who a connection speaks for, if it has joined."""
        with self._lock:
            return self._connections.get(sid)

    def connected_participants(self, session_id: str) -> set[str]:
        """Return the ids of the participants with at least one open connection."""
        with self._lock:
            return {
                c.participant_id
                for c in self._connections.values()
                if c.session_id == session_id and c.role == "participant" and c.participant_id
            }

    def has_beamer(self, session_id: str) -> bool:
        """Tell whether a beamer window of this bijeenkomst is connected (its updates are built only then)."""
        with self._lock:
            return any(c.session_id == session_id and c.role == "beamer" for c in self._connections.values())

    def connected_phones(self, session_id: str) -> int:
        """Return how many distinct phones are connected to a bijeenkomst now."""
        return len(self.connected_participants(session_id))

    # -- state -----------------------------------------------------------------------------------

    def _workformats(self, session: WorkshopSession) -> dict[str, WorkFormat]:
        return {item.id: services.configured_workformat(self.registry, item) for item in session.agenda}

    def host_contribution(
        self, session: WorkshopSession, workformats: dict[str, WorkFormat], contribution: Contribution
    ) -> dict[str, Any] | None:
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

    def host_state(self, session_id: str) -> dict[str, Any]:
        """Return the full state a host screen shows."""
        session = self.repo.get_session(session_id)
        workformats = self._workformats(session)
        contributions = [
            payload
            for c in self.repo.list_contributions(session_id)
            if (payload := self.host_contribution(session, workformats, c)) is not None
        ]
        step = step_payload(self.repo, self.registry, session)
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
            "next": next_step_payload(self.registry, session),
            "timer": timer_payload(session),
            "contributions": contributions,
            "participants": self.participant_counts(session_id),
            "roles": services.role_overview(self.repo, session),
            "drafts": [draft_payload(d) for d in services.table_drafts(self.repo, session_id, None)],
            "tallies": services.tallies(self.repo, session_id, step["agenda_item"]) if step else {},
            "boards": services.board_views(self.repo, self.registry, session),
            "closing": session.closing,
            "mail_optins": len(self.repo.list_mail_optins(session_id)),
            "storage_failing": self.storage_failing(session_id),
            "beamer": {"large": session.beamer_large, "qr": session.beamer_qr},
            # Whether a phone remote token exists (the token itself is shown once, when the regie makes it).
            "remote": {"active": bool(session.remote_token_hash)},
        }

    def participant_state(self, session_id: str, participant: Participant) -> dict[str, Any]:
        """Return the full state one phone shows."""
        session = self.repo.get_session(session_id)
        # Its own items, hidden ones too: the author sees what became of them (and does not send them again).
        mine = services.participant_contributions(self.repo, session_id, participant.id)
        all_contributions = self.repo.list_contributions(session_id)
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
        for vote in self.repo.list_votes(session_id):
            if vote.active and vote.participant_id == participant.id:
                votes.setdefault(vote.agenda_item_id, []).append(vote.target)
        drafts = services.table_drafts(self.repo, session_id, participant.table) if participant.table else []
        return {
            "role": "participant",
            "session": {"id": session.id, "title": session.title},
            "step": step_payload(self.repo, self.registry, session),
            "timer": timer_payload(session),
            "me": {
                "number": participant.number,
                "table": participant.table,
                "perspective": participant.perspective.value if participant.perspective else None,
                "roles": services.roles_of(session, participant),
                # To type on another address of the laptop after it changed; sent to this phone's own connection.
                "rejoin_code": services.rejoin_code(self.rejoin_secret, session_id, participant),
            },
            "tables": [{"number": t.number, "name": t.name} for t in session.tables],
            "contributions": [
                *(own_contribution_payload(session.agenda_item(c.agenda_item_id), c) for c in mine),
                *(contribution_payload(c) for c in table_items),
            ],
            "listening": listening,
            "drafts": [draft_payload(d) for d in drafts],
            "votes": {item: sorted(targets) for item, targets in votes.items()},
            "placements": services.placements(self.repo, session_id, participant.id),
            "closing": session.closing,
            # Only this phone's own address, and only to its own connection: session_state goes to one client.
            "verslag_email": services.my_request(self.repo, session_id, participant.id),
        }

    def participant_counts(self, session_id: str) -> dict[str, Any]:
        """Return how many phones joined and are connected, in all and per table: counts only."""
        session = self.repo.get_session(session_id)
        connected = self.connected_participants(session_id)
        return {
            "joined": self.repo.count_participants(session_id),
            "connected": len(connected),
            "tables": services.table_counts(self.repo, session, connected),
        }

    def storage_health(self, session_id: str, ok: bool) -> None:
        """Warn a bijeenkomst's host screens that storing fails (at most every few seconds), or that it works again."""
        now = time.monotonic()
        with self._lock:
            if ok:
                if self._storage_warned.pop(session_id, None) is None:
                    return
            else:
                last = self._storage_warned.get(session_id)
                if last is not None and now - last < STORAGE_WARNING_EVERY:
                    return
                self._storage_warned[session_id] = now
        if ok:
            log.warning("storing works again")
            self.socketio.emit(STORAGE_OK, {}, to=host_room(session_id))
        else:
            self.socketio.emit(STORAGE_WARNING, {"message": storage_warning_message()}, to=host_room(session_id))

    def storage_failing(self, session_id: str) -> bool:
        """Tell whether the bijeenkomst's last write failed (so a host screen that joins now shows the warning)."""
        with self._lock:
            return session_id in self._storage_warned

    def send_state(self, sid: str, state: dict[str, Any]) -> None:
        """Send a full state to one connection only."""
        self.socketio.emit(SESSION_STATE, state, to=sid)

    def probe_reached(self, session_id: str, probe_id: str, via: str) -> None:
        """Tell the host screens that a phone opened their test QR code, and through which address."""
        self.socketio.emit(PROBE_REACHED, {"probe": probe_id, "via": via}, to=host_room(session_id))

    def announce_participants(self, session_id: str) -> None:
        """Tell the host screens how many phones there are, per table."""
        self.socketio.emit(PARTICIPANTS_CHANGED, self.participant_counts(session_id), to=host_room(session_id))

    def refresh_participant(self, session_id: str, participant_id: str) -> None:
        """Send a participant's tabs their whole state again (after a role or table change)."""
        participant = next((p for p in self.repo.list_participants(session_id) if p.id == participant_id), None)
        if participant is not None:
            self.socketio.emit(
                SESSION_STATE, self.participant_state(session_id, participant), to=participant_room(participant_id)
            )

    def refresh_hosts(self, session_id: str) -> None:
        """Send the host screens their whole state again (after a reveal or an agenda change)."""
        self.socketio.emit(SESSION_STATE, self.host_state(session_id), to=host_room(session_id))

    # -- the phone remote: a few controls, nothing else ----------------------------------------------

    def remote_state(self, session_id: str) -> dict[str, Any]:
        """Return what the facilitator's phone remote shows: the step, what comes next, the timer, what waits."""
        session = self.repo.get_session(session_id)
        step = services.current_step(self.registry, session)
        pending: list[dict[str, Any]] = []
        waiting = 0
        concealed = 0
        if step is not None:
            for c in self.repo.list_contributions(session_id):
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
                "workformat_name": _t(step.workformat.name),
                "phase_title": _t(step.phase.title),
                "item_index": step.item_index,
                "items_count": len(session.agenda),
                "phase_index": step.phase_index,
                "phases_count": len(step.workformat.phases),
                "hidden_until_reveal": step.phase.hidden_until_reveal,
                "revealed": session.is_revealed(step.item.id, step.phase.id),
                "approve_first": services.approval_required(step.item),
            },
            "next": next_step_payload(self.registry, session),
            "timer": timer_payload(session),
            "pending": pending,
            "pending_count": waiting,
            "concealed": concealed,
        }

    def has_remote(self, session_id: str) -> bool:
        """Tell whether a phone remote of this bijeenkomst is connected."""
        with self._lock:
            return any(c.role == "remote" and c.session_id == session_id for c in self._connections.values())

    def refresh_remotes(self, session_id: str) -> None:
        """Send the bijeenkomst's phone remotes their state again (after anything they show may have changed)."""
        if self.has_remote(session_id):
            try:
                state = self.remote_state(session_id)
            except SessionNotFound:
                return
            self.socketio.emit(SESSION_STATE, state, to=remote_room(session_id))

    def drop_remotes(self, session_id: str) -> None:
        """Tell the bijeenkomst's phone remotes their token was revoked and take them out of every room."""
        with self._lock:
            sids = [sid for sid, c in self._connections.items()
                    if c.role == "remote" and c.session_id == session_id]
            for sid in sids:
                del self._connections[sid]
        self.socketio.emit(REMOTE_REVOKED, {}, to=remote_room(session_id))
        for sid in sids:
            self.socketio.server.leave_room(sid, remote_room(session_id))

    # -- the beamer: only what the room may see ---------------------------------------------------

    def beamer_state(self, session_id: str) -> dict[str, Any]:
        """Return the full state a beamer window shows, built from room-safe data only (services/beamer.py)."""
        session = self.repo.get_session(session_id)
        step = services.current_step(self.registry, session)
        sizes = services.group_sizes(self.repo.list_participants(session_id))
        with self._lock:
            self._beamer_groups[session_id] = sizes.shown(services.privacy_threshold(session))
        display = step.phase.display if step else None
        contributions = services.beamer_contributions(self.repo, self.registry, session, step, sizes)
        with self._lock:
            self._beamer_shown[session_id] = {c["id"] for c in contributions}
        return {
            "role": "beamer",
            "session": {"id": session.id, "title": session.title, "date": session.date, "series": session.series},
            "step": beamer_step_payload(session, step),
            "timer": timer_payload(session),
            "tables": [{"number": t.number, "name": t.name} for t in session.tables],
            "contributions": contributions,
            # How many answers wait for the reveal: a count only, their text never reaches the beamer.
            "concealed": services.concealed_count(self.repo, session, step),
            "board": services.beamer_board(self.repo, self.registry, session, step.item, _t)
            if step and display == "board" else None,
            "votes": services.beamer_votes(self.repo, self.registry, session, step.item, _t)
            if step and display == "votes" else None,
            "view": {"large": session.beamer_large, "qr": session.beamer_qr},
        }

    def refresh_beamers(self, session_id: str) -> None:
        """Send the beamer windows their whole state again (a new phase, a reveal, an agenda or table change)."""
        if self.has_beamer(session_id):
            self.socketio.emit(SESSION_STATE, self.beamer_state(session_id), to=beamer_room(session_id))

    def _beamer_contribution(self, session: WorkshopSession, contribution: Contribution, *, added: bool) -> None:
        """Tell the beamer of a contribution it may now show, or that it must no longer show one."""
        if not self.has_beamer(session.id):
            return
        step = services.current_step(self.registry, session)
        if step is None:
            return
        display = step.phase.display
        if display == "board":
            if services.board_item_for(session, step.item).id == contribution.agenda_item_id:
                self._send_beamer_board(session, step)
            return
        if display == "votes" or (
            step.phase.hidden_until_reveal and not session.is_revealed(step.item.id, step.phase.id)
        ):
            # Vote targets may be contributions, and a concealed phase shows a count: the whole (small) state.
            self.refresh_beamers(session.id)
            return
        workformat = services.configured_workformat(self.registry, step.item)
        if services.in_view(step, contribution) and services.room_may_see(session, workformat, step.item, contribution):
            sizes = services.group_sizes(self.repo.list_participants(session.id))
            payload = services.beamer_contribution(contribution, sizes, services.privacy_threshold(session))
            with self._lock:
                self._beamer_shown.setdefault(session.id, set()).add(contribution.id)
            self.socketio.emit(BEAMER_CONTRIBUTION, {"contribution": payload}, to=beamer_room(session.id))
        elif not added and self._beamer_forget(session.id, contribution.id):
            # Only the id of a card it shows: the beamer drops it.
            self.socketio.emit(BEAMER_CONTRIBUTION_REMOVED, {"id": contribution.id}, to=beamer_room(session.id))

    def _beamer_forget(self, session_id: str, contribution_id: str) -> bool:
        """Note that the beamer no longer shows a contribution; tell whether it did."""
        with self._lock:
            shown = self._beamer_shown.get(session_id, set())
            if contribution_id not in shown:
                return False
            shown.discard(contribution_id)
            return True

    def _send_beamer_board(self, session: WorkshopSession, step: services.CurrentStep) -> None:
        board = services.beamer_board(self.repo, self.registry, session, step.item, _t)
        self.socketio.emit(BEAMER_BOARD, {"board": board}, to=beamer_room(session.id))

    def _beamer_board_changed(self, session: WorkshopSession, step: services.CurrentStep, item_id: str) -> None:
        """Send the beamer the board it shows when that board changed; a vote on its themes redraws the beamer."""
        if not self.has_beamer(session.id):
            return
        if step.phase.display == "board" and services.board_item_for(session, step.item).id == item_id:
            self._send_beamer_board(session, step)
        elif step.phase.display == "votes":
            self.refresh_beamers(session.id)

    def _beamer_votes(self, session_id: str, item_id: str) -> None:
        """Send the beamer the dots counted so far, for the targets the room may see."""
        if not self.has_beamer(session_id):
            return
        session = self.repo.get_session(session_id)
        item = session.agenda_item(item_id)
        step = services.current_step(self.registry, session)
        if item is None or step is None or step.item.id != item_id or step.phase.display != "votes":
            return
        votes = services.beamer_votes(self.repo, self.registry, session, item)
        payload = {"agenda_item": item_id, "tallies": votes["tallies"]}
        self.socketio.emit(VOTES_CHANGED, payload, to=beamer_room(session_id))

    def _beamer_groups_changed(self, session_id: str) -> None:
        """Redraw the beamer when a join or a move changed which tables and perspectives it may name."""
        if not self.has_beamer(session_id):
            return
        session = self.repo.get_session(session_id)
        shown = services.group_sizes(self.repo.list_participants(session_id)).shown(services.privacy_threshold(session))
        with self._lock:
            unchanged = self._beamer_groups.get(session_id) == shown
        if not unchanged:
            self.refresh_beamers(session_id)

    def _approval_changed(self, session_id: str, item_id: str) -> None:
        """Tell each author the new status of their contributions of an item whose "eerst goedkeuren" switched."""
        session = self.repo.get_session(session_id)
        item = session.agenda_item(item_id)
        for contribution in self.repo.list_contributions(session_id):
            if contribution.agenda_item_id == item_id and not contribution.hidden:
                payload = {"contribution": own_contribution_payload(item, contribution)}
                self.socketio.emit(CONTRIBUTION_UPDATED, payload, to=participant_room(contribution.participant_id))

    # -- events ----------------------------------------------------------------------------------

    def _participant_sids(self, session_id: str, participant_id: str) -> list[str]:
        with self._lock:
            return [
                sid for sid, c in self._connections.items()
                if c.session_id == session_id and c.participant_id == participant_id
            ]

    def _publish_contribution(self, session_id: str, name: str, contribution: Contribution) -> None:
        session = self.repo.get_session(session_id)
        item = session.agenda_item(contribution.agenda_item_id)
        author = contribution.participant_id
        # The author's own tabs hear of every change, with its status: a hidden text stays on that phone only.
        self.socketio.emit(
            name, {"contribution": own_contribution_payload(item, contribution)}, to=participant_room(author)
        )
        others = [participant_room(pid) for pid in services.listens_to(session, contribution) if pid != author]
        if contribution.slot is not None and contribution.table is not None:
            others.append(table_room(session_id, contribution.table))
        payload: dict[str, Any] | None = None
        if not contribution.hidden and contribution.shared:
            payload = contribution_payload(contribution)
        elif name == CONTRIBUTION_UPDATED:
            # Hidden or taken back: the table and a listening inbrenger drop it; its text goes with it no more.
            payload = contribution_payload(contribution, concealed=True)
        if others and payload is not None:
            # The author sits at the table too; its tabs had their own version above.
            skip = self._participant_sids(session_id, author)
            self.socketio.emit(name, {"contribution": payload}, to=sorted(set(others)), skip_sid=skip or None)
        workformats = {item.id: services.configured_workformat(self.registry, item)} if item else {}
        host = self.host_contribution(session, workformats, contribution)
        if host is None:
            if name == CONTRIBUTION_ADDED:
                return  # a private answer not shared: only its author hears of it
            # a private answer taken back: the host drops it
            host = {**contribution_payload(contribution, concealed=True), "shared": False, "pending": False}
        self.socketio.emit(name, {"contribution": host}, to=host_room(session_id))
        self._beamer_contribution(session, contribution, added=name == CONTRIBUTION_ADDED)

    def publish(self, events: list[DomainEvent]) -> None:
        """Emit what happened to the rooms that need to know."""
        self._publish(events)
        touched = {getattr(e, "session_id", None) or getattr(getattr(e, "session", None), "id", None) for e in events}
        for session_id in sorted(s for s in touched if isinstance(s, str)):
            if not any(isinstance(e, SessionDeleted) for e in events):
                self.refresh_remotes(session_id)

    def _publish(self, events: list[DomainEvent]) -> None:
        for event in events:
            if isinstance(event, ContributionAdded):
                self._publish_contribution(event.session_id, CONTRIBUTION_ADDED, event.contribution)
            elif isinstance(event, ContributionVisibilityChanged | ContributionChanged):
                self._publish_contribution(event.session_id, CONTRIBUTION_UPDATED, event.contribution)
            elif isinstance(event, ParticipantJoined):
                self.announce_participants(event.session_id)
                self._beamer_groups_changed(event.session_id)
            elif isinstance(event, ParticipantMoved):
                self.reseat(event.session_id, event.participant_id, event.table)
                self.announce_participants(event.session_id)
                self._beamer_groups_changed(event.session_id)
            elif isinstance(event, PhaseChanged):
                self._phase_changed(event.session)
                self.refresh_beamers(event.session.id)
            elif isinstance(event, PhaseRevealed | AgendaChanged):
                self.refresh_hosts(event.session.id)
                self._phase_changed(event.session, hosts=False)
                self.refresh_beamers(event.session.id)
            elif isinstance(event, ApprovalChanged):
                self._approval_changed(event.session_id, event.agenda_item_id)
            elif isinstance(event, BeamerViewChanged):
                view = {"large": event.session.beamer_large, "qr": event.session.beamer_qr}
                rooms = [host_room(event.session.id), beamer_room(event.session.id)]
                self.socketio.emit(BEAMER_VIEW_CHANGED, view, to=rooms)
            elif isinstance(event, TimerChanged):
                payload = {"timer": timer_payload(event.session)}
                rooms = [host_room(event.session.id), phones_room(event.session.id), beamer_room(event.session.id)]
                self.socketio.emit(TIMER_CHANGED, payload, to=rooms)
            elif isinstance(event, TablesChanged):
                tables = [{"number": t.number, "name": t.name} for t in event.session.tables]
                self.socketio.emit(TABLES_CHANGED, {"tables": tables}, to=phones_room(event.session.id))
                self.announce_participants(event.session.id)
                self.refresh_beamers(event.session.id)
            elif isinstance(event, RolesChanged):
                roles = services.role_overview(self.repo, event.session)
                self.socketio.emit(ROLES_CHANGED, {"roles": roles}, to=host_room(event.session.id))
                for participant_id in event.participant_ids:
                    self.refresh_participant(event.session.id, participant_id)
            elif isinstance(event, TableDraftChanged):
                payload = {"draft": draft_payload(event.draft)}
                rooms = [table_room(event.session_id, event.draft.table), host_room(event.session_id)]
                self.socketio.emit(TABLE_DRAFT_CHANGED, payload, to=rooms)
            elif isinstance(event, BoardChanged):
                self.board_changed(event.session_id, event.agenda_item_id)
            elif isinstance(event, VotesChanged):
                payload = {
                    "agenda_item": event.agenda_item_id,
                    "tallies": services.tallies(self.repo, event.session_id, event.agenda_item_id),
                }
                self.socketio.emit(VOTES_CHANGED, payload, to=host_room(event.session_id))
                self._beamer_votes(event.session_id, event.agenda_item_id)
            elif isinstance(event, SessionClosingChanged):
                rooms = [host_room(event.session.id), phones_room(event.session.id)]
                self.socketio.emit(CLOSING_CHANGED, {"closing": event.session.closing}, to=rooms)
            elif isinstance(event, MailOptInsChanged):
                count = len(self.repo.list_mail_optins(event.session_id))
                self.socketio.emit(MAIL_OPTINS_CHANGED, {"count": count}, to=host_room(event.session_id))
            elif isinstance(event, SessionDeleted):
                rooms = [host_room(event.session_id), phones_room(event.session_id), beamer_room(event.session_id),
                         remote_room(event.session_id)]
                self.socketio.emit(SESSION_ENDED, {}, to=rooms)
                self.forget_session(event.session_id)

    def board_changed(self, session_id: str, item_id: str) -> None:
        """Send a changed board to the host screens; phones that place or vote on it hear only what they need."""
        session = self.repo.get_session(session_id)
        if session.agenda_item(item_id) is None:
            return
        board = services.board_view(self.repo, self.registry, session, item_id)
        self.socketio.emit(BOARD_CHANGED, {"board": board}, to=host_room(session_id))
        step = services.current_step(self.registry, session)
        if step is None:
            return
        self._beamer_board_changed(session, step, item_id)
        # What phones may read: a name the clusterer proposed stays "Thema 3" until the facilitator accepted it.
        themes = services.theme_choices(self.repo, session_id, item_id, _t)
        # Phones hear of a card moving only when it is their own, and of themes only when a name changed:
        # while 300 phones place their cards, a broadcast per move would cost every phone every move.
        names_changed = self._remember_themes(session_id, item_id, themes)
        source = services.source_item(session, step.item) if step.item.workformat_id == "stemmen" else None
        if source is not None and services.board_item_for(session, source).id == item_id:
            if names_changed:
                self._phase_changed(session, hosts=False)  # the dots go to these themes: phones need the names
            return
        if services.board_item_for(session, step.item).id != item_id:
            return
        if "place" in {step.workformat.view_for(step.phase, role) for role in step.workformat.roles}:
            if names_changed:
                payload = {"board": {"agenda_item": item_id, "themes": themes}}
                self.socketio.emit(BOARD_CHANGED, payload, to=phones_room(session_id))
            self._send_placements(session, item_id)

    def _remember_themes(self, session_id: str, item_id: str, themes: list[dict[str, str]]) -> bool:
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
                self.socketio.emit(
                    PLACEMENTS_CHANGED, {"placements": placements}, to=participant_room(participant_id)
                )

    def _phase_changed(self, session: WorkshopSession, *, hosts: bool = True) -> None:
        step = step_payload(self.repo, self.registry, session)
        payload = {"step": step, "timer": timer_payload(session)}
        self.socketio.emit(PHASE_CHANGED, payload, to=phones_room(session.id))
        if hosts:  # the regie also hears what comes next ("Volgende: …"); phones need not
            host_payload = {**payload, "next": next_step_payload(self.registry, session)}
            self.socketio.emit(PHASE_CHANGED, host_payload, to=host_room(session.id))
        if step and "place" in step:  # the host may have sorted since a phone joined: give each its cards' themes
            self._remember_themes(session.id, step["place"]["board_item"], step["place"]["themes"])
            self._send_placements(session, step["place"]["board_item"], everyone=True)
        elif step and "vote" in step:
            source = services.source_item(session, session.agenda[session.current_item])
            if source is not None:
                voted_on = services.board_item_for(session, source).id
                self._remember_themes(session.id, voted_on, services.theme_choices(self.repo, session.id, voted_on, _t))
