"""Use cases of retention: when a bijeenkomst is deleted, and deleting it in two starts so that it never surprises.

A bijeenkomst is kept for its retention period after its date or after its last activity (anything stored:
a contribution, a join, a host action, an edit of the verslag), whichever is later; so an afternoon entered
after the fact, or a verslag still being written, is never deleted early. Once that period has run out, a start
of the server announces it (the start-up lines and the dashboard say so, with a way to keep it longer); only a
later start deletes it, and only when the facilitator saw the announcement in the host view or confirmed it.
"Exporteren en verwijderen" stays instant.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from facilitator.core.domain import (
    AgendaChanged,
    DomainEvent,
    PurgeNotice,
    SeriesRecap,
    SessionNotFound,
    StorageFailed,
    WorkshopSession,
)
from facilitator.core.services.base import MAX_RETENTION_DAYS, Clock, retried
from facilitator.core.services.series import forget_orphan_recaps
from facilitator.core.services.verslag import delete_session
from facilitator.storage import NoticeRepository, SeriesRepository, SessionRepository

#: Days "Bewaar langer" adds to a bijeenkomst's retention period.
EXTENSION_DAYS = 30


def last_activity(repo: SessionRepository, session: WorkshopSession) -> float:
    """Return when the bijeenkomst was created or anything of it was last stored, whichever is later."""
    return max(session.created_at, repo.last_change(session.id))


def kept_until(repo: SessionRepository, session: WorkshopSession) -> dt.date:
    """Return the last day a bijeenkomst is kept: its retention period after its date or its last activity."""
    counted_from = max(dt.date.fromisoformat(session.date), dt.date.fromtimestamp(last_activity(repo, session)))
    return counted_from + dt.timedelta(days=session.retention_days)


def is_past(date: str, *, clock: Clock = time.time) -> bool:
    """Tell whether an ISO date lies before today (allowed: an afternoon entered after the fact)."""
    return date < dt.date.fromtimestamp(clock()).isoformat()


@dataclass(frozen=True)
class Retention:
    """What the host view says about deleting one bijeenkomst."""

    kept_until: dt.date
    #: Its retention period ran out and a start announced it: the next start deletes it.
    announced: bool = False
    #: The facilitator agreed on the dashboard.
    confirmed: bool = False
    #: Its recap stays in the series when it goes (the facilitator's choice).
    keep_recap: bool = False


def retention_of(
    repo: SessionRepository, notices: NoticeRepository, sessions: list[WorkshopSession], *, clock: Clock = time.time
) -> dict[str, Retention]:
    """Return per bijeenkomst when it is deleted; what a host page shows this way counts as seen at the next start."""
    by_id = {n.session_id: n for n in notices.list_notices()}
    result = {}
    for session in sessions:
        notice = by_id.get(session.id)
        result[session.id] = Retention(
            kept_until=kept_until(repo, session),
            announced=notice is not None,
            confirmed=bool(notice and notice.confirmed),
            keep_recap=bool(notice and notice.keep_recap),
        )
        if notice is not None and not notice.shown_at:
            try:
                notices.save_notice(replace(notice, shown_at=clock()))
            except StorageFailed:
                pass  # not noted as seen: the deletion waits for a later look, which is the safe side
    return result


@retried
def keep_longer(
    repo: SessionRepository, notices: NoticeRepository, session_id: str, *, days: int = EXTENSION_DAYS
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Extend a bijeenkomst's retention period (counted again from today: this is activity) and withdraw its notice."""
    session = repo.get_session(session_id)
    session = repo.save_session(
        replace(session, retention_days=min(MAX_RETENTION_DAYS, session.retention_days + days))
    )
    notices.remove_notice(session_id)
    return session, [AgendaChanged(session=session)]


def confirm_deletion(notices: NoticeRepository, session_id: str, *, keep_recap: bool) -> PurgeNotice:
    """Agree that an announced bijeenkomst goes at the next start, keeping its recap or not."""
    notice = next((n for n in notices.list_notices() if n.session_id == session_id), None)
    if notice is None:
        raise SessionNotFound(f"no deletion announced for {session_id}")
    notice = replace(notice, confirmed=True, keep_recap=keep_recap)
    notices.save_notice(notice)
    return notice


@dataclass(frozen=True)
class PurgeReport:
    """What a start did about retention, for the start-up lines."""

    #: Deleted now: announced at an earlier start and seen or confirmed since.
    deleted: tuple[WorkshopSession, ...] = ()
    #: Past their retention period: the next start deletes them once the facilitator has seen it.
    announced: tuple[tuple[WorkshopSession, dt.date], ...] = ()
    #: Recaps of bijeenkomsten deleted earlier that nobody chose to keep (left by older versions).
    recaps_removed: tuple[SeriesRecap, ...] = ()


def purge_at_start(
    repo: SessionRepository,
    series_repo: SeriesRepository,
    notices: NoticeRepository,
    *,
    clock: Clock = time.time,
    today: dt.date | None = None,
) -> PurgeReport:
    """At a start: delete what was announced and seen, announce what has run out, withdraw what is active again.

    A write that fails (a full disk, a read-only folder) leaves things as they were: the server still starts,
    and nothing is deleted that was not announced and seen.
    """
    today = today or dt.date.fromtimestamp(clock())
    sessions = {s.id: s for s in repo.list_sessions()}
    by_id = {n.session_id: n for n in notices.list_notices()}
    deleted, announced = [], []
    for session_id in list(by_id):
        stored = sessions.get(session_id)
        if stored is None or kept_until(repo, stored) >= today:
            del by_id[session_id]
            _try(notices.remove_notice, session_id)  # deleted otherwise, used again, or kept longer
    for session in sessions.values():
        until = kept_until(repo, session)
        if until >= today:
            continue
        notice = by_id.get(session.id)
        if notice is not None and (notice.shown_at or notice.confirmed):
            if _try(delete_session, repo, series_repo, session.id, keep_recap=notice.keep_recap, notices=notices):
                deleted.append(session)
                continue
        elif notice is None:
            _try(notices.save_notice, PurgeNotice(session_id=session.id, announced_at=clock()))
        announced.append((session, until))
    recaps: list[SeriesRecap] = []
    _try(lambda: recaps.extend(forget_orphan_recaps(repo, series_repo)))
    return PurgeReport(deleted=tuple(deleted), announced=tuple(announced), recaps_removed=tuple(recaps))


def _try(step: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """Run one write of the start-up purge; tell whether it was stored."""
    try:
        step(*args, **kwargs)
    except (StorageFailed, OSError):
        return False
    return True
