"""Participant Socket.IO handlers: what phones send. Each is thin: check, call the service, publish, ack."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from facilitator.core import services
from facilitator.core.domain import NotJoined, Participant, RoleCodeInvalid
from facilitator.core.validation import CLIENT_ID, require_str
from facilitator.web import wire
from facilitator.web.guards.throttle import TooFast, TooManyAttempts
from facilitator.web.participant.auth import address_key
from facilitator.web.realtime import Realtime, ack_error, connection_sid, handler, listen
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
    connection = rt.connection(connection_sid())
    if connection is None or connection.role != "participant" or connection.session_id != session_id:
        raise NotJoined("event before join_session")
    participant = rt.repo.participant_by_token_hash(session_id, connection.token_hash or "")
    if participant is None:
        raise NotJoined("participant no longer exists")
    return participant


Params = ParamSpec("Params")
Ack = TypeVar("Ack")
Payload = TypeVar("Payload")


def register(rt: Realtime) -> None:
    """Register the participant handlers."""

    def on(event: str) -> Callable[[Callable[Params, Ack]], Callable[Params, Ack | wire.AckError]]:
        """Register a phone handler behind the fair allowance: a phone over it gets too_fast and nothing runs."""

        def decorate(function: Callable[Params, Ack]) -> Callable[Params, Ack | wire.AckError]:
            @listen(rt.socketio, event)
            @functools.wraps(function)
            def limited(*args: Params.args, **kwargs: Params.kwargs) -> Ack | wire.AckError:
                try:
                    rt.admit_participant_event(connection_sid(), event)
                except TooFast as exc:
                    return ack_error(exc)
                return function(*args, **kwargs)

            return limited

        return decorate

    def caller(payload: object, shape: type[Payload]) -> tuple[Payload, str, Participant]:
        participant = require_participant(rt, wire.session_of(payload))  # who asks first, then what is asked
        session_id, data = wire.received(payload, shape)
        return data, session_id, participant

    @on(SUBMIT_CONTRIBUTION)
    @handler(SUBMIT_CONTRIBUTION)
    def on_submit_contribution(payload: object = None) -> wire.IdAck:
        """Sent by a phone with a new text; acked after it is stored; broadcasts contribution_added."""
        data, session_id, participant = caller(payload, wire.SubmitContribution)
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
        return {"ok": True, "id": contribution.id}

    @on(CHOOSE_TABLE)
    @handler(CHOOSE_TABLE)
    def on_choose_table(payload: object = None) -> wire.TableAck:
        """Sent by a phone that sits down at (another) table; updates the host's table counts."""
        data, session_id, participant = caller(payload, wire.ChooseTable)
        moved, events = services.choose_table(rt.repo, session_id, participant, data.get("table"))
        rt.publish(events)
        if events:
            rt.refresh_participant(session_id, moved.id)
        return {"ok": True, "table": moved.table}

    @on(CLAIM_ROLE)
    @handler(CLAIM_ROLE)
    def on_claim_role(payload: object = None) -> wire.ClaimRoleAck:
        """Sent by a phone typing a one-time role code; sends it session_state and the host roles_changed."""
        data, session_id, participant = caller(payload, wire.ClaimRole)
        # Role codes are short (4 characters): wrong ones count towards the same throttle as join codes.
        client = address_key()
        wait = rt.code_throttle.retry_after(client)
        if wait > 0:
            raise TooManyAttempts("claim_role: too many wrong codes", retry_after=wait)
        try:
            session, participant, events = services.claim_role(rt.repo, session_id, participant, data["code"])
        except RoleCodeInvalid:
            rt.code_throttle.wrong(client)
            raise
        rt.publish(events)
        roles = services.roles_of(session, participant)
        return {"ok": True, "roles": roles, "table": participant.table}

    @on(CLAIM_SPOKESPERSON)
    @handler(CLAIM_SPOKESPERSON)
    def on_claim_spokesperson(payload: object = None) -> wire.RolesAck:
        """Sent by a phone that will speak for its table; broadcasts roles_changed to the host."""
        _data, session_id, participant = caller(payload, wire.SessionOnly)
        session, events = services.claim_spokesperson(rt.repo, rt.registry, session_id, participant)
        rt.publish(events)
        return {"ok": True, "roles": services.roles_of(session, participant)}

    @on(SAVE_TABLE_DRAFT)
    @handler(SAVE_TABLE_DRAFT)
    def on_save_table_draft(payload: object = None) -> wire.DraftAck:
        """Sent by a phone editing its table's draft; a stale base_version gets draft_conflict with the current text."""
        data, session_id, participant = caller(payload, wire.SaveTableDraft)
        draft, events = services.save_table_draft(
            rt.repo,
            rt.registry,
            session_id,
            participant,
            kind=data.get("kind"),
            slot=data["slot"],
            text=data["text"],
            base_version=data["base_version"],
        )
        rt.publish(events)
        return {"ok": True, "draft": draft_payload(draft)}

    @on(SUBMIT_TABLE_DRAFTS)
    @handler(SUBMIT_TABLE_DRAFTS)
    def on_submit_table_drafts(payload: object = None) -> wire.IdsAck:
        """Sent by the spokesperson; stores the table's items and broadcasts them to the host and the table."""
        data, session_id, participant = caller(payload, wire.SubmitTableDrafts)
        submitted, events = services.submit_table_drafts(
            rt.repo, rt.registry, session_id, participant, kind=data.get("kind")
        )
        rt.publish(events)
        return {"ok": True, "ids": [c.id for c in submitted]}

    @on(SET_CONTRIBUTION_SHARED)
    @handler(SET_CONTRIBUTION_SHARED)
    def on_set_contribution_shared(payload: object = None) -> wire.SharedAck:
        """Sent by the author of a private answer to share it (contribution_added to the host) or take it back."""
        data, session_id, participant = caller(payload, wire.SetContributionShared)
        contribution, events = services.set_contribution_shared(
            rt.repo, rt.registry, session_id, participant, require_str(data, "id", CLIENT_ID), data["shared"]
        )
        rt.publish(events)
        return {"ok": True, "id": contribution.id, "shared": contribution.shared}

    @on(STAR_CONTRIBUTION)
    @handler(STAR_CONTRIBUTION)
    def on_star_contribution(payload: object = None) -> wire.StarredAck:
        """Sent by the listening inbrenger; broadcasts contribution_updated with the star."""
        data, session_id, participant = caller(payload, wire.StarContribution)
        contribution, events = services.star_contribution(
            rt.repo, session_id, participant, require_str(data, "id", CLIENT_ID), data["starred"]
        )
        rt.publish(events)
        return {"ok": True, "id": contribution.id, "starred": contribution.starred}

    @on(CAST_VOTE)
    @handler(CAST_VOTE)
    def on_cast_vote(payload: object = None) -> wire.VotesAck:
        """Sent by a phone placing or taking back a dot; broadcasts votes_changed to the host."""
        data, session_id, participant = caller(payload, wire.CastVote)
        mine, events = services.cast_vote(
            rt.repo, rt.registry, session_id, participant, target=data["target"], on=data["on"]
        )
        rt.publish(events)
        return {"ok": True, "votes": mine}

    @on(PLACE_CONTRIBUTION)
    @handler(PLACE_CONTRIBUTION)
    def on_place_contribution(payload: object = None) -> wire.PlaceAck:
        """Sent by a phone putting its own contribution under a theme (or a theme it proposes); broadcasts
        board_changed."""
        data, session_id, participant = caller(payload, wire.PlaceContribution)
        theme, events = services.place_contribution(
            rt.repo, rt.registry, session_id, participant, contribution_id=data["id"],
            theme_id=data.get("theme"), new_theme=data.get("new_theme"),
        )
        rt.publish(events)
        return {"ok": True, "id": data["id"], "theme": theme}

    @on(REQUEST_VERSLAG)
    @handler(REQUEST_VERSLAG)
    def on_request_verslag(payload: object = None) -> wire.EmailAck:
        """Sent by a phone that ticked "send me the verslag" while the host asks; acks the stored address and
        broadcasts mail_optins_changed (the count) to the host."""
        data, session_id, participant = caller(payload, wire.RequestVerslag)
        events = services.request_verslag(
            rt.repo, session_id, participant, email=data["email"], consent=data["consent"]
        )
        rt.publish(events)
        return {"ok": True, "email": services.my_request(rt.repo, session_id, participant.id)}

    @on(WITHDRAW_VERSLAG_REQUEST)
    @handler(WITHDRAW_VERSLAG_REQUEST)
    def on_withdraw_verslag_request(payload: object = None) -> wire.Ok:
        """Sent by a phone that no longer wants the verslag; broadcasts mail_optins_changed to the host if it had
        asked."""
        _data, session_id, participant = caller(payload, wire.SessionOnly)
        rt.publish(services.withdraw_request(rt.repo, session_id, participant))
        return {"ok": True}
