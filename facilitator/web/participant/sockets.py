"""Participant Socket.IO handlers: what phones send. Each is thin: check, call the service, publish, ack."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import request

from facilitator.core import services
from facilitator.core.domain import InvalidInput, NotJoined, Participant, RoleCodeInvalid
from facilitator.core.validation import CLIENT_ID, require_bool, require_mapping, require_session_id, require_str
from facilitator.web.guards.throttle import TooFast, TooManyAttempts
from facilitator.web.participant.auth import address_key
from facilitator.web.realtime import Realtime, ack_error, ack_ok, handler
from facilitator.web.realtime.events import (
    CAST_VOTE,
    CHOOSE_TABLE,
    CLAIM_ROLE,
    CLAIM_SPOKESPERSON,
    PLACE_CONTRIBUTION,
    REQUEST_VERSLAG,
    SAVE_TABLE_DRAFT,
    SET_CONTRIBUTION_SHARED,
    STAR_CONTRIBUTION,
    SUBMIT_CONTRIBUTION,
    SUBMIT_TABLE_DRAFTS,
    WITHDRAW_VERSLAG_REQUEST,
)
from facilitator.web.realtime.screens.shared import draft_payload


def require_participant(rt: Realtime, session_id: str) -> Participant:
    """Return the participant behind the caller's connection for this bijeenkomst."""
    rt.repo.get_session(session_id)  # an unknown bijeenkomst says so, rather than "not joined"
    connection = rt.connection(request.sid)  # type: ignore[attr-defined]
    if connection is None or connection.role != "participant" or connection.session_id != session_id:
        raise NotJoined("event before join_session")
    participant = rt.repo.participant_by_token_hash(session_id, connection.token_hash or "")
    if participant is None:
        raise NotJoined("participant no longer exists")
    return participant


def _optional_int(data: Any, name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"{name}: must be a whole number", field=name)
    return value


def register(rt: Realtime) -> None:
    """Register the participant handlers."""

    def on(event: str) -> Callable[[Callable[..., dict[str, Any]]], Any]:
        """Register a phone handler behind the fair allowance: a phone over it gets too_fast and nothing runs."""
        register = rt.socketio.on(event)

        def decorate(function: Callable[..., dict[str, Any]]) -> Any:
            @functools.wraps(function)
            def limited(*args: Any) -> dict[str, Any]:
                try:
                    rt.admit_phone_event(request.sid, event)  # type: ignore[attr-defined]
                except TooFast as exc:
                    return ack_error(exc)
                return function(*args)

            return register(limited)

        return decorate

    def caller(payload: Any) -> tuple[Any, str, Participant]:
        data = require_mapping(payload)
        session_id = require_session_id(data)
        return data, session_id, require_participant(rt, session_id)

    @on(SUBMIT_CONTRIBUTION)
    @handler(SUBMIT_CONTRIBUTION)
    def on_submit_contribution(payload: Any = None) -> dict[str, Any]:
        """Sent by a phone with a new text; acked after it is stored; broadcasts contribution_added."""
        data, session_id, participant = caller(payload)
        contribution, events = services.submit_contribution(
            rt.repo,
            rt.registry,
            session_id,
            participant,
            client_id=require_str(data, "client_id", CLIENT_ID),
            text=data.get("text"),
            kind=data.get("kind"),
            bucket=data.get("bucket"),
            tags=data.get("tags"),
            function=data.get("function"),
            shared=data.get("shared"),
            agenda_item=data.get("agenda_item"),
            ranking=data.get("ranking"),
            owner=data.get("owner"),
            due=data.get("due"),
        )
        rt.publish(events)
        return ack_ok(id=contribution.id)

    @on(CHOOSE_TABLE)
    @handler(CHOOSE_TABLE)
    def on_choose_table(payload: Any = None) -> dict[str, Any]:
        """Sent by a phone that sits down at (another) table; updates the host's table counts."""
        data, session_id, participant = caller(payload)
        moved, events = services.choose_table(rt.repo, session_id, participant, _optional_int(data, "table"))
        rt.publish(events)
        if events:
            rt.refresh_participant(session_id, moved.id)
        return ack_ok(table=moved.table)

    @on(CLAIM_ROLE)
    @handler(CLAIM_ROLE)
    def on_claim_role(payload: Any = None) -> dict[str, Any]:
        """Sent by a phone typing a one-time role code; sends it session_state and the host roles_changed."""
        data, session_id, participant = caller(payload)
        # Role codes are short (4 characters): wrong ones count towards the same throttle as join codes.
        client = address_key()
        wait = rt.code_throttle.retry_after(client)
        if wait > 0:
            raise TooManyAttempts("claim_role: too many wrong codes", retry_after=wait)
        try:
            session, participant, events = services.claim_role(rt.repo, session_id, participant, data.get("code"))
        except RoleCodeInvalid:
            rt.code_throttle.wrong(client)
            raise
        rt.publish(events)
        roles = services.roles_of(session, participant)
        return ack_ok(roles=roles, table=participant.table)

    @on(CLAIM_SPOKESPERSON)
    @handler(CLAIM_SPOKESPERSON)
    def on_claim_spokesperson(payload: Any = None) -> dict[str, Any]:
        """Sent by a phone that will speak for its table; broadcasts roles_changed to the host."""
        _data, session_id, participant = caller(payload)
        session, events = services.claim_spokesperson(rt.repo, rt.registry, session_id, participant)
        rt.publish(events)
        return ack_ok(roles=services.roles_of(session, participant))

    @on(SAVE_TABLE_DRAFT)
    @handler(SAVE_TABLE_DRAFT)
    def on_save_table_draft(payload: Any = None) -> dict[str, Any]:
        """Sent by a phone editing its table's draft; a stale base_version gets draft_conflict with the current text."""
        data, session_id, participant = caller(payload)
        draft, events = services.save_table_draft(
            rt.repo,
            rt.registry,
            session_id,
            participant,
            kind=data.get("kind"),
            slot=data.get("slot"),
            text=data.get("text"),
            base_version=data.get("base_version"),
        )
        rt.publish(events)
        return ack_ok(draft=draft_payload(draft))

    @on(SUBMIT_TABLE_DRAFTS)
    @handler(SUBMIT_TABLE_DRAFTS)
    def on_submit_table_drafts(payload: Any = None) -> dict[str, Any]:
        """Sent by the spokesperson; stores the table's items and broadcasts them to the host and the table."""
        data, session_id, participant = caller(payload)
        submitted, events = services.submit_table_drafts(
            rt.repo, rt.registry, session_id, participant, kind=data.get("kind")
        )
        rt.publish(events)
        return ack_ok(ids=[c.id for c in submitted])

    @on(SET_CONTRIBUTION_SHARED)
    @handler(SET_CONTRIBUTION_SHARED)
    def on_set_contribution_shared(payload: Any = None) -> dict[str, Any]:
        """Sent by the author of a private answer to share it (contribution_added to the host) or take it back."""
        data, session_id, participant = caller(payload)
        contribution, events = services.set_contribution_shared(
            rt.repo, rt.registry, session_id, participant, require_str(data, "id", CLIENT_ID),
            require_bool(data, "shared"),
        )
        rt.publish(events)
        return ack_ok(id=contribution.id, shared=contribution.shared)

    @on(STAR_CONTRIBUTION)
    @handler(STAR_CONTRIBUTION)
    def on_star_contribution(payload: Any = None) -> dict[str, Any]:
        """Sent by the listening inbrenger; broadcasts contribution_updated with the star."""
        data, session_id, participant = caller(payload)
        contribution, events = services.star_contribution(
            rt.repo, session_id, participant, require_str(data, "id", CLIENT_ID), require_bool(data, "starred")
        )
        rt.publish(events)
        return ack_ok(id=contribution.id, starred=contribution.starred)

    @on(CAST_VOTE)
    @handler(CAST_VOTE)
    def on_cast_vote(payload: Any = None) -> dict[str, Any]:
        """Sent by a phone placing or taking back a dot; broadcasts votes_changed to the host."""
        data, session_id, participant = caller(payload)
        mine, events = services.cast_vote(
            rt.repo, rt.registry, session_id, participant, target=data.get("target"), on=data.get("on")
        )
        rt.publish(events)
        return ack_ok(votes=mine)

    @on(PLACE_CONTRIBUTION)
    @handler(PLACE_CONTRIBUTION)
    def on_place_contribution(payload: Any = None) -> dict[str, Any]:
        """Sent by a phone putting its own contribution under a theme (or a theme it proposes); broadcasts
        board_changed."""
        data, session_id, participant = caller(payload)
        theme, events = services.place_contribution(
            rt.repo, rt.registry, session_id, participant, contribution_id=data.get("id"),
            theme_id=data.get("theme"), new_theme=data.get("new_theme"),
        )
        rt.publish(events)
        return ack_ok(id=data.get("id"), theme=theme)

    @on(REQUEST_VERSLAG)
    @handler(REQUEST_VERSLAG)
    def on_request_verslag(payload: Any = None) -> dict[str, Any]:
        """Sent by a phone that ticked "send me the verslag" while the host asks; acks the stored address and
        broadcasts mail_optins_changed (the count) to the host."""
        data, session_id, participant = caller(payload)
        events = services.request_verslag(
            rt.repo, session_id, participant, email=data.get("email"), consent=data.get("consent")
        )
        rt.publish(events)
        return ack_ok(email=services.my_request(rt.repo, session_id, participant.id))

    @on(WITHDRAW_VERSLAG_REQUEST)
    @handler(WITHDRAW_VERSLAG_REQUEST)
    def on_withdraw_verslag_request(payload: Any = None) -> dict[str, Any]:
        """Sent by a phone that no longer wants the verslag; broadcasts mail_optins_changed to the host if it had
        asked."""
        _data, session_id, participant = caller(payload)
        rt.publish(services.withdraw_request(rt.repo, session_id, participant))
        return ack_ok()
