"""Use cases: each takes the repository (and registry) and returns results plus domain events."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from .domain import (
    AgendaItem,
    Contribution,
    ContributionAdded,
    ContributionNotFound,
    ContributionVisibilityChanged,
    DomainEvent,
    DuplicateId,
    InvalidInput,
    LimitReached,
    NotJoined,
    Participant,
    ParticipantJoined,
    Perspective,
    Phase,
    PhaseNotOpen,
    SessionNotFound,
    WorkFormat,
    WorkshopSession,
)
from .registry import WorkFormatRegistry
from .storage import SessionRepository
from .validation import clean_text

#: Letters and digits that cannot be mistaken for each other when read off a projector.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
MAX_TABLE = 99
TITLE_MAX = 200
Clock = Callable[[], float]


def new_token() -> str:
    """Return a fresh secret token (192 random bits)."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """Return the stored form of a token; the token itself is never stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tokens_match(token: str, token_hash: str) -> bool:
    """Compare a presented token with a stored hash in constant time."""
    return hmac.compare_digest(hash_token(token), token_hash)


def normalise_join_code(code: str) -> str:
    """Return a join code as typed by a person, in canonical form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


@dataclass(frozen=True)
class CurrentStep:
    """Where the room is: the agenda item, its werkvorm and phase, and the prompt."""

    item: AgendaItem
    workformat: WorkFormat
    phase: Phase

    def prompt(self, role: str = "deelnemer") -> str:
        """Return the prompt a role sees, with the facilitator's override if any."""
        override = self.item.settings.get("prompt")
        if isinstance(override, str) and override.strip() and role == "deelnemer":
            return override
        return self.phase.prompt_for(role)


def current_step(registry: WorkFormatRegistry, session: WorkshopSession) -> CurrentStep | None:
    """Return what the room is working on now, if the agenda has anything."""
    item = session.current_agenda_item()
    if item is None:
        return None
    workformat = registry.get(item.workformat_id)
    return CurrentStep(item=item, workformat=workformat, phase=workformat.phase(session.current_phase))


def create_session(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    *,
    title: str,
    date: str = "",
    series: str = "",
    prompt: str = "",
    clock: Clock = time.time,
) -> WorkshopSession:
    """Create a bijeenkomst with an open question on its agenda."""
    title = title.strip()
    if not title or len(title) > TITLE_MAX:
        raise InvalidInput("title: required, at most 200 characters", field="title")
    if len(series) > TITLE_MAX:
        raise InvalidInput("series: at most 200 characters", field="series")
    try:
        day = dt.date.fromisoformat(date) if date else dt.date.fromtimestamp(clock())
    except ValueError:
        raise InvalidInput("date: must be yyyy-mm-dd", field="date") from None
    settings = {}
    if prompt.strip():
        settings["prompt"] = clean_text(prompt, registry.get("open_vraag").kind("antwoord").max_length)  # type: ignore[union-attr]
    existing_codes = {s.join_code for s in repo.list_sessions()}
    join_code = _new_join_code(existing_codes)
    session = WorkshopSession(
        id=secrets.token_hex(6),
        title=title,
        date=day.isoformat(),
        series=series.strip(),
        join_code=join_code,
        created_at=clock(),
        agenda=(AgendaItem(id=secrets.token_hex(4), workformat_id="open_vraag", settings=settings),),
    )
    repo.add_session(session)
    return session


def _new_join_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if code not in taken:
            return code


def join(
    repo: SessionRepository,
    session_id: str,
    *,
    table: int | None = None,
    perspective: Perspective | None = None,
    clock: Clock = time.time,
) -> tuple[Participant, str, list[DomainEvent]]:
    """Register an anonymous phone; return it, its secret token, and the events."""
    repo.get_session(session_id)
    if table is not None and not 1 <= table <= MAX_TABLE:
        raise InvalidInput("table: must be 1 to 99", field="table")
    token = new_token()
    participant = Participant(
        id=secrets.token_hex(8),
        token_hash=hash_token(token),
        joined_at=clock(),
        table=table,
        perspective=perspective,
    )
    count = repo.add_participant(session_id, participant)
    return participant, token, [ParticipantJoined(session_id=session_id, joined_count=count)]


def authenticate_participant(repo: SessionRepository, session_id: str, token: str | None) -> Participant:
    """Return the participant a token belongs to; raise NotJoined."""
    if not token:
        raise NotJoined("no token")
    participant = repo.participant_by_token_hash(session_id, hash_token(token))
    if participant is None:
        raise NotJoined("unknown token")
    return participant


def submit_contribution(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    participant: Participant,
    *,
    client_id: str,
    text: object,
    clock: Clock = time.time,
) -> tuple[Contribution, list[DomainEvent]]:
    """Store a participant's text under its client id; a resend returns the stored one unchanged."""
    existing = repo.get_contribution(session_id, client_id)
    if existing is not None:
        return _resent(repo, session_id, participant, existing)
    step = current_step(registry, repo.get_session(session_id))
    if step is None or not step.phase.accepts:
        raise PhaseNotOpen("nothing to answer now")
    kind = step.workformat.kind(step.phase.accepts[0])
    assert kind is not None  # validated when the werkvorm was loaded
    cleaned = clean_text(text, kind.max_length)
    if kind.per_participant is not None:
        sent = repo.count_contributions(session_id, participant.id, step.item.id, kind.id)
        if sent >= kind.per_participant:
            raise LimitReached(f"{sent} sent", limit=kind.per_participant)
    contribution = Contribution(
        id=client_id,
        participant_id=participant.id,
        agenda_item_id=step.item.id,
        phase_id=step.phase.id,
        kind=kind.id,
        text=cleaned,
        created_at=clock(),
        table=participant.table,
        perspective=participant.perspective,
    )
    stored, created = repo.add_contribution(session_id, contribution)
    if not created:  # the same id arrived twice at once; the first one won
        return _resent(repo, session_id, participant, stored)
    return stored, [ContributionAdded(session_id=session_id, contribution=stored)]


def _resent(
    repo: SessionRepository, session_id: str, participant: Participant, stored: Contribution
) -> tuple[Contribution, list[DomainEvent]]:
    if stored.participant_id != participant.id:
        raise DuplicateId("client id used by another participant")
    # Wait until the first copy is durable before acknowledging the resend.
    repo.add_contribution(session_id, stored)
    return stored, []


def set_contribution_hidden(
    repo: SessionRepository, session_id: str, contribution_id: str, hidden: bool
) -> tuple[Contribution, list[DomainEvent]]:
    """Hide a contribution from every screen, or show it again."""
    contribution = repo.get_contribution(session_id, contribution_id)
    if contribution is None:
        raise ContributionNotFound(contribution_id)
    if contribution.hidden == hidden:
        return contribution, []
    changed = contribution.with_hidden(hidden)
    repo.update_contribution(session_id, changed)
    return changed, [ContributionVisibilityChanged(session_id=session_id, contribution=changed)]


def purge_expired(repo: SessionRepository, *, retention_days: int, clock: Clock = time.time) -> list[str]:
    """Delete every bijeenkomst whose date lies more than `retention_days` in the past; return their ids."""
    today = dt.date.fromtimestamp(clock())
    expired = [
        s.id for s in repo.list_sessions() if dt.date.fromisoformat(s.date) + dt.timedelta(days=retention_days) < today
    ]
    for session_id in expired:
        repo.delete_session(session_id)
    return expired


def participant_contributions(repo: SessionRepository, session_id: str, participant_id: str) -> list[Contribution]:
    """Return what one participant sent that is still visible, oldest first."""
    return [
        c for c in repo.list_contributions(session_id) if c.participant_id == participant_id and not c.hidden
    ]


__all__ = [
    "CurrentStep", "SessionNotFound", "authenticate_participant", "create_session", "current_step",
    "hash_token", "join", "new_token", "normalise_join_code", "participant_contributions", "purge_expired",
    "set_contribution_hidden", "submit_contribution", "tokens_match",
]
