"""Host-only Socket.IO handlers; each checks the facilitator's token on every call."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from facilitator.core import services
from facilitator.core.domain import NotAuthorised
from facilitator.core.validation import CLIENT_ID, require_str
from facilitator.web import wire
from facilitator.web.realtime import Connection, Realtime, connection_sid, handler, listen
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
    connection = rt.connection(connection_sid())
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


Payload = TypeVar("Payload")
Ack = TypeVar("Ack")


def register(rt: Realtime) -> None:
    """Register the host handlers."""

    def host_event(
        event: str, shape: type[Payload]
    ) -> Callable[[Callable[[Payload, str], Ack]], Callable[[Payload, str], Ack]]:
        """Register a host handler that gets (payload, session id) once the caller is checked and the payload has
        its wire shape."""

        def decorate(function: Callable[[Payload, str], Ack]) -> Callable[[Payload, str], Ack]:
            @listen(rt.socketio, event)
            @handler(event)
            def wrapper(payload: object = None) -> Ack:
                # A phone trying host events spends its own allowance (host screens are not limited).
                rt.admit_participant_event(connection_sid(), event)
                require_host(rt, wire.session_of(payload), event)  # who asks first, then what is asked
                session_id, data = wire.received(payload, shape)
                return function(data, session_id)

            wrapper.__doc__ = function.__doc__
            return function

        return decorate

    @host_event(SET_CONTRIBUTION_HIDDEN, wire.SetContributionHidden)
    def on_set_contribution_hidden(data: wire.SetContributionHidden, session_id: str) -> wire.HiddenAck:
        """Sent by the host to hide or show a contribution; broadcasts contribution_updated."""
        contribution, events = services.set_contribution_hidden(
            rt.repo, session_id, require_str(data, "id", CLIENT_ID), data["hidden"]
        )
        rt.publish(events)
        return {"ok": True, "id": contribution.id, "hidden": contribution.hidden}

    @host_event(MOVE_CONTRIBUTION, wire.MoveContribution)
    def on_move_contribution(data: wire.MoveContribution, session_id: str) -> wire.BucketAck:
        """Sent by the host moving an item to another bucket; broadcasts contribution_updated."""
        contribution, events = services.move_contribution(
            rt.repo, rt.registry, session_id, require_str(data, "id", CLIENT_ID), data["bucket"]
        )
        rt.publish(events)
        return {"ok": True, "id": contribution.id, "bucket": contribution.bucket}

    @host_event(ADVANCE_PHASE, wire.SessionOnly)
    def on_advance_phase(_data: wire.SessionOnly, session_id: str) -> wire.PhaseAck:
        """Sent by the host for the next phase; broadcasts phase_changed to the host and the phones."""
        session, events = services.step_phase(rt.repo, rt.registry, session_id, +1)
        rt.publish(events)
        return {"ok": True, "item": session.current_item, "phase": session.current_phase}

    @host_event(PREVIOUS_PHASE, wire.SessionOnly)
    def on_previous_phase(_data: wire.SessionOnly, session_id: str) -> wire.PhaseAck:
        """Sent by the host to step back a phase; broadcasts phase_changed."""
        session, events = services.step_phase(rt.repo, rt.registry, session_id, -1)
        rt.publish(events)
        return {"ok": True, "item": session.current_item, "phase": session.current_phase}

    @host_event(GO_TO_PHASE, wire.GoToPhase)
    def on_go_to_phase(data: wire.GoToPhase, session_id: str) -> wire.PhaseAck:
        """Sent by the host to jump to an agenda item and phase; broadcasts phase_changed."""
        session, events = services.go_to(rt.repo, rt.registry, session_id, data["item"], data["phase"])
        rt.publish(events)
        return {"ok": True, "item": session.current_item, "phase": session.current_phase}

    @host_event(CONTROL_TIMER, wire.ControlTimer)
    def on_control_timer(data: wire.ControlTimer, session_id: str) -> wire.RunningAck:
        """Sent by the host to start, pause, extend or reset the timer; broadcasts timer_changed."""
        seconds = data.get("seconds")
        session, events = services.control_timer(
            rt.repo, session_id, data["action"], seconds=60 if seconds is None else seconds
        )
        rt.publish(events)
        return {"ok": True, "running": bool(session.timer and session.timer.running)}

    @host_event(REVEAL_PHASE, wire.SessionOnly)
    def on_reveal_phase(_data: wire.SessionOnly, session_id: str) -> wire.Ok:
        """Sent by the host to reveal the current phase's answers; sends the host session_state again."""
        _session, events = services.reveal_phase(rt.repo, rt.registry, session_id)
        rt.publish(events)
        return {"ok": True}

    @host_event(SET_TABLES, wire.SetTables)
    def on_set_tables(data: wire.SetTables, session_id: str) -> wire.TablesAck:
        """Sent by the host naming the tables; broadcasts tables_changed to phones, participants_changed to hosts."""
        session, events = services.set_tables(rt.repo, session_id, data["tables"])
        rt.publish(events)
        return {"ok": True, "tables": [{"number": t.number, "name": t.name} for t in session.tables]}

    @host_event(ASSIGN_ROLE, wire.AssignRole)
    def on_assign_role(data: wire.AssignRole, session_id: str) -> wire.Ok:
        """Sent by the host giving a role to the phone with a number; broadcasts roles_changed, refreshes that phone."""
        _session, events = services.assign_role(
            rt.repo, rt.registry, session_id, number=data["number"], role=data["role"], item_id=data.get("item")
        )
        rt.publish(events)
        return {"ok": True}

    @host_event(CREATE_ROLE_CODE, wire.RoleTarget)
    def on_create_role_code(data: wire.RoleTarget, session_id: str) -> wire.CodeAck:
        """Sent by the host for a one-time role code; acks the code and broadcasts roles_changed."""
        code, events = services.create_role_code(
            rt.repo, rt.registry, session_id, table=data.get("table"), role=data["role"], item_id=data.get("item")
        )
        rt.publish(events)
        return {"ok": True, "code": code}

    @host_event(CLEAR_ROLE, wire.RoleTarget)
    def on_clear_role(data: wire.RoleTarget, session_id: str) -> wire.Ok:
        """Sent by the host taking a role back; broadcasts roles_changed, refreshes the phone that had it."""
        _session, events = services.clear_role(
            rt.repo, session_id, table=data.get("table"), role=data["role"], item_id=data.get("item")
        )
        rt.publish(events)
        return {"ok": True}

    @host_event(EDIT_BOARD, wire.EditBoard)
    def on_edit_board(data: wire.EditBoard, session_id: str) -> wire.BoardAck:
        """Sent by the host changing the rode-draden board (actions in docs/events.md); broadcasts board_changed."""
        board, extra, events = services.edit_board(
            rt.repo, rt.registry, session_id, data["item"], data["action"], data
        )
        rt.publish(events)
        ack: wire.BoardAck = {"ok": True, "version": board.version}
        if "theme" in extra:  # the new theme's id, for add_theme and split_theme
            ack["theme"] = extra["theme"]
        return ack

    @host_event(SUGGEST_THEMES, wire.SuggestThemes)
    def on_suggest_themes(data: wire.SuggestThemes, session_id: str) -> wire.SuggestAck:
        """Sent by the host asking the clusterer for themes ("suggest") or to sort the rest ("sort"); broadcasts
        board_changed. The clustering runs in a worker thread, so the room keeps going meanwhile."""
        board, warning, events = services.suggest_themes(
            rt.repo, rt.registry, session_id, data["item"], mode=data["mode"], count=data.get("count"),
            run=rt.offload,
        )
        rt.publish(events)
        return {"ok": True, "version": board.version, "warning": warning, "themes": len(board.themes)}

    @host_event(SET_CLOSING, wire.SetClosing)
    def on_set_closing(data: wire.SetClosing, session_id: str) -> wire.ClosingAck:
        """Sent by the host to start or stop offering the verslag by e-mail; broadcasts closing_changed to the host
        and the phones."""
        closing = data["closing"]
        rt.publish(services.set_closing(rt.repo, session_id, closing))
        return {"ok": True, "closing": closing}

    @host_event(APPROVE_CONTRIBUTION, wire.ApproveContribution)
    def on_approve_contribution(data: wire.ApproveContribution, session_id: str) -> wire.ApprovedAck:
        """Sent by the host to let a contribution through to the beamer (or hold it back); broadcasts
        contribution_updated, and beamer_contribution to the beamer when the room may now see it."""
        approved = data.get("approved")
        contribution, events = services.approve_contribution(
            rt.repo, session_id, require_str(data, "id", CLIENT_ID), True if approved is None else approved
        )
        rt.publish(events)
        return {"ok": True, "id": contribution.id, "approved": contribution.approved}

    @host_event(APPROVE_ALL, wire.ApproveAll)
    def on_approve_all(data: wire.ApproveAll, session_id: str) -> wire.IdsAck:
        """Sent by the host to approve every contribution of an agenda item that waits ("alles goedkeuren")."""
        approved, events = services.approve_all(rt.repo, session_id, data.get("item"))
        rt.publish(events)
        return {"ok": True, "ids": [c.id for c in approved]}

    @host_event(SET_BEAMER_VIEW, wire.SetBeamerView)
    def on_set_beamer_view(data: wire.SetBeamerView, session_id: str) -> wire.BeamerViewAck:
        """Sent by the host to switch the beamer's large type or its QR code's size; broadcasts beamer_view_changed."""
        session, events = services.set_beamer_view(rt.repo, session_id, large=data.get("large"), qr=data.get("qr"))
        rt.publish(events)
        return {"ok": True, "large": session.beamer_large, "qr": session.beamer_qr}
