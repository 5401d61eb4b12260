"""Use cases of a series: details and organisers stored once, the terugblik, and recaps of published verslagen."""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..domain import (
    AgendaChanged,
    DomainEvent,
    InvalidInput,
    NotFound,
    Organiser,
    Series,
    SeriesRecap,
    WorkshopSession,
)
from ..mail import is_valid_address
from ..reporting.build import long_date
from ..reporting.model import Report, Terugblik
from ..storage import SeriesRepository, SessionRepository
from .base import TITLE_MAX, Clock, clean_line, retried

MAX_ORGANISERS = 6
ORGANISER_FIELDS = ("name", "function", "organisation", "phone", "email")
#: Recaps kept per series: enough for years of bijeenkomsten.
MAX_RECAPS = 50


def series_of(series_repo: SeriesRepository, session: WorkshopSession) -> Series | None:
    """Return the series a bijeenkomst belongs to, if any."""
    if not session.series_id:
        return None
    try:
        return series_repo.get_series(session.series_id)
    except NotFound:
        return None


def _organisers(raw: object) -> tuple[Organiser, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes) or len(raw) > MAX_ORGANISERS:
        raise InvalidInput(f"organisers: at most {MAX_ORGANISERS}", field="organisers", limit=MAX_ORGANISERS)
    organisers = []
    for i, block in enumerate(raw):
        if not isinstance(block, Mapping):
            raise InvalidInput(f"organisers[{i}]: an organiser", field="organisers")
        values = {name: clean_line(block.get(name, ""), f"organisers[{i}].{name}", TITLE_MAX) for name in
                  ORGANISER_FIELDS}
        if not any(values.values()):
            continue  # an empty row of the form
        if not values["name"]:
            raise InvalidInput(f"organisers[{i}].name: required", field="organiser_name")
        if values["email"] and not is_valid_address(values["email"]):
            raise InvalidInput(f"organisers[{i}].email: not an address", field="organiser_email")
        organisers.append(Organiser(**values))
    return tuple(organisers)


@retried
def save_series_details(
    repo: SessionRepository,
    series_repo: SeriesRepository,
    session_id: str,
    *,
    name: object,
    motto: object,
    organisers: object,
    clock: Clock = time.time,
) -> tuple[WorkshopSession, Series | None, list[DomainEvent]]:
    """Store the series name, motto and organisers once; every bijeenkomst of the series shows the same."""
    session = repo.get_session(session_id)
    name = clean_line(name, "series", TITLE_MAX)
    motto = clean_line(motto, "motto", TITLE_MAX)
    blocks = _organisers(organisers)
    if not name:
        if blocks:
            raise InvalidInput("organisers: belong to a series; give the series a name", field="series")
        session = repo.save_session(replace(session, series_id="", series="", motto=motto))
        return session, None, [AgendaChanged(session=session)]
    series = series_of(series_repo, session)
    if series is None:  # join an existing series of that name, or start one
        series = next((s for s in series_repo.list_series() if s.name.casefold() == name.casefold()), None)
    if series is None:
        series = Series(id=secrets.token_hex(6), name=name, created_at=clock())
    # The series first: running again after the bijeenkomst met a newer version stores the same series again.
    series = series_repo.save_series(replace(series, name=name, motto=motto, organisers=blocks))
    session = repo.save_session(replace(session, series_id=series.id, series=name, motto=motto))
    return session, series, [AgendaChanged(session=session)]


def previous_in_series(
    repo: SessionRepository, series_repo: SeriesRepository, session: WorkshopSession, *, locale: str = "nl"
) -> Terugblik | None:
    """Return what the previous bijeenkomst of the series yielded: from its data while kept, else its recap."""
    if not session.series_id:
        return None
    stored = [
        s for s in repo.list_sessions()
        if s.series_id == session.series_id and s.id != session.id and (s.date, s.ordinal) < (session.date,
                                                                                              session.ordinal)
    ]
    series = series_of(series_repo, session)
    recaps = [r for r in (series.recaps if series else ()) if r.session_id != session.id and r.date < session.date]
    previous = max(stored, key=lambda s: (s.date, s.ordinal), default=None)
    recap = max(recaps, key=lambda r: (r.date, r.ordinal), default=None)
    if previous is not None and (recap is None or previous.date >= recap.date):
        published = series.recap(previous.id) if series else None
        if published is not None:
            recap = published
        else:
            return Terugblik(title=previous.title, date=long_date(previous.date, locale),
                             rode_draden=_theme_names(repo, previous), rode_draad=_board_sentences(repo, previous))
    if recap is None:
        return None
    return Terugblik(title=recap.title, date=long_date(recap.date, locale), rode_draden=recap.rode_draden,
                     rode_draad=recap.rode_draad)


def _theme_names(repo: SessionRepository, session: WorkshopSession) -> tuple[str, ...]:
    order = {item.id: i for i, item in enumerate(session.agenda)}
    boards = sorted(repo.list_boards(session.id), key=lambda b: order.get(b.agenda_item_id, len(order)))
    return tuple(dict.fromkeys(theme.name for board in boards for theme in board.themes if theme.name))


def _board_sentences(repo: SessionRepository, session: WorkshopSession) -> str:
    return " ".join(b.rode_draad.strip() for b in repo.list_boards(session.id) if b.rode_draad.strip())


@retried
def record_recap(series_repo: SeriesRepository, session: WorkshopSession, report: Report) -> Series | None:
    """Keep the published rode draden of a bijeenkomst in its series, for the next terugblik."""
    series = series_of(series_repo, session)
    if series is None:
        return None
    rode_draad = report.rode_draad
    recap = SeriesRecap(
        session_id=session.id,
        title=session.title,
        date=session.date,
        ordinal=session.ordinal,
        rode_draden=tuple(theme.name for theme in rode_draad.themes) if rode_draad else (),
        rode_draad=rode_draad.paragraph if rode_draad else "",
        questions=rode_draad.questions if rode_draad else (),
    )
    recaps = [r for r in series.recaps if r.session_id != session.id] + [recap]
    recaps.sort(key=lambda r: (r.date, r.ordinal))
    return series_repo.save_series(replace(series, recaps=tuple(recaps[-MAX_RECAPS:])))


def terugblik_view(terugblik: Terugblik | None) -> dict[str, Any] | None:
    """Return the terugblik as the host screen shows it."""
    if terugblik is None:
        return None
    return {"title": terugblik.title, "date": terugblik.date, "rode_draden": list(terugblik.rode_draden),
            "rode_draad": terugblik.rode_draad}
