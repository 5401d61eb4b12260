"""Host-only Socket.IO handlers; each checks the facilitator's token on every call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request

from facilitator.core import services
from facilitator.core.domain import InvalidInput, NotAuthorised
from facilitator.core.validation import CLIENT_ID, require_bool, require_mapping, require_session_id, require_str
from facilitator.web.realtime import Connection, Realtime, ack_ok, handler
from facilitator.web.realtime.events import (
    ADVANCE_PHASE,
    APPROVE_ALL,
    APPROVE_CONTRIBUTION,
    ASSIGN_ROLE,
    CLEAR_ROLE,
    CONTROL_TIMER,
    CREATE_ROLE_CODE,
    EDIT_BOARD,
    GO_TO_PHASE,
    MOVE_CONTRIBUTION,
    PREVIOUS_PHASE,
    REMOTE_EVENTS,
    REVEAL_PHASE,
    SET_BEAMER_VIEW,
    SET_CLOSING,
    SET_CONTRIBUTION_HIDDEN,
    SET_TABLES,
    SUGGEST_THEMES,
)


def require_host(rt: Realtime, session_id: str, event: str | None = None) -> Connection:
    """Return the caller's connection if it joined this bijeenkomst with the facilitator's key, or, for one of
    the remote's events, with the bijeenkomst's phone remote token that is still valid now."""
    connection = rt.connection(request.sid)  # type: ignore[attr-defined]
    if connection is not None and connection.role == "remote":
        if (
            event in REMOTE_EVENTS
            and connection.session_id == session_id
            and connection.token_hash
            and connection.token_hash == rt.repo.get_session(session_id).remote_token_hash  # revoked: refused
        ):
            return connection
        raise NotAuthorised("host event from a phone remote that may not send it")
    if (
        connection is None
        or connection.role != "host"
        or connection.session_id != session_id
        or connection.token_hash != rt.facilitator_key_hash
    ):
        raise NotAuthorised("host event from a connection without the facilitator token")
    return connection


def _int(data: Any, name: str, *, optional: bool = False) -> int | None:
    value = data.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"{name}: must be a whole number", field=name)
    return value


def _role_target(data: Any) -> dict[str, Any]:
    item = data.get("item")
    if item is not None and not isinstance(item, str):
        raise InvalidInput("item: must be an agenda item id", field="item")
    return {"role": require_str(data, "role"), "item_id": item}


def register(rt: Realtime) -> None:
    """Register the host handlers."""

    def host_event(event: str) -> Callable[[Callable[[Any, str], dict[str, Any]]], Any]:
        """Register a host handler that gets (payload, session id) once the caller is checked."""

        def decorate(function: Callable[[Any, str], dict[str, Any]]) -> Any:
            @rt.socketio.on(event)
            @handler(event)
            def wrapper(payload: Any = None) -> dict[str, Any]:
                # A phone trying host events spends its own allowance (host screens are not limited).
                rt.admit_phone_event(request.sid, event)  # type: ignore[attr-defined]
                data = require_mapping(payload)
                session_id = require_session_id(data)
                require_host(rt, session_id, event)
                return function(data, session_id)

            wrapper.__doc__ = function.__doc__
            return wrapper

        return decorate

    @host_event(SET_CONTRIBUTION_HIDDEN)
    def on_set_contribution_hidden(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host to hide or show a contribution; broadcasts contribution_updated."""
        contribution, events = services.set_contribution_hidden(
            rt.repo, session_id, require_str(data, "id", CLIENT_ID), require_bool(data, "hidden")
        )
        rt.publish(events)
        return ack_ok(id=contribution.id, hidden=contribution.hidden)

    @host_event(MOVE_CONTRIBUTION)
    def on_move_contribution(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host moving an item to another bucket; broadcasts contribution_updated."""
        contribution, events = services.move_contribution(
            rt.repo, rt.registry, session_id, require_str(data, "id", CLIENT_ID), data.get("bucket")
        )
        rt.publish(events)
        return ack_ok(id=contribution.id, bucket=contribution.bucket)

    @host_event(ADVANCE_PHASE)
    def on_advance_phase(_data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host for the next phase; broadcasts phase_changed to the host and the phones."""
        session, events = services.step_phase(rt.repo, rt.registry, session_id, +1)
        rt.publish(events)
        return ack_ok(item=session.current_item, phase=session.current_phase)

    @host_event(PREVIOUS_PHASE)
    def on_previous_phase(_data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host to step back a phase; broadcasts phase_changed."""
        session, events = services.step_phase(rt.repo, rt.registry, session_id, -1)
        rt.publish(events)
        return ack_ok(item=session.current_item, phase=session.current_phase)

    @host_event(GO_TO_PHASE)
    def on_go_to_phase(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host to jump to an agenda item and phase; broadcasts phase_changed."""
        session, events = services.go_to(
            rt.repo, rt.registry, session_id, _int(data, "item") or 0, _int(data, "phase") or 0
        )
        rt.publish(events)
        return ack_ok(item=session.current_item, phase=session.current_phase)

    @host_event(CONTROL_TIMER)
    def on_control_timer(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host to start, pause, extend or reset the timer; broadcasts timer_changed."""
        seconds = _int(data, "seconds", optional=True)
        session, events = services.control_timer(
            rt.repo, session_id, require_str(data, "action"), seconds=60 if seconds is None else seconds
        )
        rt.publish(events)
        return ack_ok(running=bool(session.timer and session.timer.running))

    @host_event(REVEAL_PHASE)
    def on_reveal_phase(_data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host to reveal the current phase's answers; sends the host session_state again."""
        _session, events = services.reveal_phase(rt.repo, rt.registry, session_id)
        rt.publish(events)
        return ack_ok()

    @host_event(SET_TABLES)
    def on_set_tables(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host naming the tables; broadcasts tables_changed to phones, participants_changed to hosts."""
        session, events = services.set_tables(rt.repo, session_id, data.get("tables"))
        rt.publish(events)
        return ack_ok(tables=[{"number": t.number, "name": t.name} for t in session.tables])

    @host_event(ASSIGN_ROLE)
    def on_assign_role(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host giving a role to the phone with a number; broadcasts roles_changed, refreshes that phone."""
        _session, events = services.assign_role(
            rt.repo, rt.registry, session_id, number=_int(data, "number") or 0, **_role_target(data)
        )
        rt.publish(events)
        return ack_ok()

    @host_event(CREATE_ROLE_CODE)
    def on_create_role_code(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host for a one-time role code; acks the code and broadcasts roles_changed."""
        code, events = services.create_role_code(
            rt.repo, rt.registry, session_id, table=_int(data, "table", optional=True), **_role_target(data)
        )
        rt.publish(events)
        return ack_ok(code=code)

    @host_event(CLEAR_ROLE)
    def on_clear_role(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host taking a role back; broadcasts roles_changed, refreshes the phone that had it."""
        _session, events = services.clear_role(
            rt.repo, session_id, table=_int(data, "table", optional=True), **_role_target(data)
        )
        rt.publish(events)
        return ack_ok()

    @host_event(EDIT_BOARD)
    def on_edit_board(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host changing the rode-draden board (actions in docs/events.md); broadcasts board_changed."""
        board, extra, events = services.edit_board(
            rt.repo, rt.registry, session_id, require_str(data, "item"), require_str(data, "action"), data
        )
        rt.publish(events)
        return ack_ok(version=board.version, **extra)

    @host_event(SUGGEST_THEMES)
    def on_suggest_themes(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host asking the clusterer for themes ("suggest") or to sort the rest ("sort"); broadcasts
        board_changed. The clustering runs in a worker thread, so the room keeps going meanwhile."""
        board, warning, events = services.suggest_themes(
            rt.repo, rt.registry, session_id, require_str(data, "item"), mode=require_str(data, "mode"),
            count=data.get("count"), run=rt.offload,
        )
        rt.publish(events)
        return ack_ok(version=board.version, warning=warning, themes=len(board.themes))

    @host_event(SET_CLOSING)
    def on_set_closing(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host to start or stop offering the verslag by e-mail; broadcasts closing_changed to the host
        and the phones."""
        closing = require_bool(data, "closing")
        rt.publish(services.set_closing(rt.repo, session_id, closing))
        return ack_ok(closing=closing)

    @host_event(APPROVE_CONTRIBUTION)
    def on_approve_contribution(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host to let a contribution through to the beamer (or hold it back); broadcasts
        contribution_updated, and beamer_contribution to the beamer when the room may now see it."""
        approved = data.get("approved", True)
        if not isinstance(approved, bool):
            raise InvalidInput("approved: must be true or false", field="approved")
        contribution, events = services.approve_contribution(
            rt.repo, session_id, require_str(data, "id", CLIENT_ID), approved
        )
        rt.publish(events)
        return ack_ok(id=contribution.id, approved=contribution.approved)

    @host_event(APPROVE_ALL)
    def on_approve_all(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host to approve every contribution of an agenda item that waits ("alles goedkeuren")."""
        approved, events = services.approve_all(rt.repo, session_id, data.get("item"))
        rt.publish(events)
        return ack_ok(ids=[c.id for c in approved])

    @host_event(SET_BEAMER_VIEW)
    def on_set_beamer_view(data: Any, session_id: str) -> dict[str, Any]:
        """Sent by the host to switch the beamer's large type or its QR code's size; broadcasts beamer_view_changed."""
        session, events = services.set_beamer_view(rt.repo, session_id, large=data.get("large"), qr=data.get("qr"))
        rt.publish(events)
        return ack_ok(large=session.beamer_large, qr=session.beamer_qr)
