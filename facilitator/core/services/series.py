"""Use cases of a series: details and organisers stored once, the terugblik, and recaps of published verslagen.

A recap outlives its bijeenkomst only when the facilitator chooses so at deletion, and holds only theme names
the facilitator accepted, never participants' words, except the afspraken the room made (what, who, level, when):
they come back at the next bijeenkomst, which notes their status."""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from facilitator.core.domain import (
    AFSPRAAK_STATUSES,
    Afspraak,
    AgendaChanged,
    DomainEvent,
    InvalidInput,
    NotFound,
    Organiser,
    Series,
    SeriesRecap,
    WorkshopSession,
)
from facilitator.core.registry import WorkFormatRegistry, default_registry
from facilitator.core.services.agenda import is_concealed
from facilitator.core.services.base import TITLE_MAX, Clock, clean_line, configured_workformat, retried
from facilitator.storage import SeriesRepository, SessionRepository
from facilitator.verslag.build import long_date
from facilitator.verslag.mail import is_valid_address
from facilitator.verslag.model import Report, Terugblik
from facilitator.verslag.privacy import find_personal_data

MAX_ORGANISERS = 6
ORGANISER_FIELDS = ("name", "function", "organisation", "phone", "email")
#: Recaps kept per series: enough for years of bijeenkomsten.
MAX_RECAPS = 50
#: The facilitator's note on an afspraak's status: one short line.
NOTE_MAX = 200


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


def _previous(
    repo: SessionRepository, series: Series | None, session: WorkshopSession
) -> tuple[WorkshopSession | None, SeriesRecap | None]:
    """Return the previous bijeenkomst of the series while it is stored, else its recap (or neither)."""
    if not session.series_id:
        return None, None
    stored = [
        s for s in repo.list_sessions()
        if s.series_id == session.series_id and s.id != session.id and (s.date, s.ordinal) < (session.date,
                                                                                              session.ordinal)
    ]
    recaps = [r for r in (series.recaps if series else ()) if r.session_id != session.id and r.date < session.date]
    previous = max(stored, key=lambda s: (s.date, s.ordinal), default=None)
    recap = max(recaps, key=lambda r: (r.date, r.ordinal), default=None)
    if previous is not None and (recap is None or previous.date >= recap.date):
        return previous, None
    return None, recap


def previous_in_series(
    repo: SessionRepository, series_repo: SeriesRepository, session: WorkshopSession, *, locale: str = "nl",
    registry: WorkFormatRegistry | None = None,
) -> Terugblik | None:
    """Return what the previous bijeenkomst of the series yielded: from its data while kept, else its recap."""
    series = series_of(series_repo, session)
    previous, recap = _previous(repo, series, session)
    if previous is not None:
        # Still stored: its names as accepted now (a recap of an older version may hold the clusterer's names).
        published = series.recap(previous.id) if series else None
        return Terugblik(title=previous.title, date=long_date(previous.date, locale),
                         rode_draden=recap_theme_names(repo, previous)[0],
                         rode_draad=published.rode_draad if published else _clean(_board_sentences(repo, previous)),
                         afspraken=_merged(afspraken_of(repo, previous, registry),
                                           published.afspraken if published else ()))
    if recap is None:
        return None
    return Terugblik(title=recap.title, date=long_date(recap.date, locale), rode_draden=recap.rode_draden,
                     rode_draad=recap.rode_draad, afspraken=recap.afspraken)


def afspraken_of(
    repo: SessionRepository, session: WorkshopSession, registry: WorkFormatRegistry | None = None
) -> tuple[Afspraak, ...]:
    """Return the afspraken a bijeenkomst made, in agenda order: answers of a kind that is an afspraak ("action").

    Only what may leave the laptop: never a hidden one, a private one, or one still waiting for its reveal.
    """
    registry = registry or default_registry()
    made: list[Afspraak] = []
    contributions = sorted(repo.list_contributions(session.id), key=lambda c: c.created_at)
    for item in session.agenda:
        workformat = configured_workformat(registry, item)
        # The level is the option of the tag group the afspraak's kind asks for (bestuur, beleid, uitvoering).
        levels = {k.id: {o.id for g in k.tag_groups if (group := workformat.tag_group(g)) for o in group.options}
                  for k in workformat.contribution_kinds if k.answer == "action"}
        for c in contributions:
            if (c.agenda_item_id != item.id or c.kind not in levels or c.hidden or not c.shared
                    or is_concealed(session, workformat, c)):
                continue
            made.append(Afspraak(id=c.id, wat=c.text, wie=c.owner, wanneer=c.due,
                                 niveau=next((t for t in c.tags if t in levels[c.kind]), "")))
    return tuple(made)


def _merged(made: Sequence[Afspraak], noted: Sequence[Afspraak]) -> tuple[Afspraak, ...]:
    """Return the afspraken as made now, each with the status and note the facilitator gave it so far."""
    by_id = {a.id: a for a in noted}
    return tuple(replace(a, status=by_id[a.id].status, note=by_id[a.id].note) if a.id in by_id else a for a in made)


#: Why a theme name stays out of the terugblik when it is not personal data: nobody accepted it.
NOT_ACCEPTED = "not_accepted"


def recap_theme_names(
    repo: SessionRepository, session: WorkshopSession
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Return the theme names that may go into the series' terugblik, and the others with why they stay out.

    Only names the facilitator accepted (typed, renamed or confirmed on the board) may go: a name the clusterer
    made, or one a phone proposed, is the participants' own words. An accepted name that looks like personal
    data stays out too; its reason is the kinds found (e.g. "telefoon"), else NOT_ACCEPTED.
    """
    order = {item.id: i for i, item in enumerate(session.agenda)}
    boards = sorted((b for b in repo.list_boards(session.id) if b.agenda_item_id in order),
                    key=lambda b: order[b.agenda_item_id])
    kept: dict[str, None] = {}
    left_out: dict[str, str] = {}
    for theme in (theme for board in boards for theme in board.themes if theme.name):
        findings = find_personal_data(theme.name) if theme.accepted else []
        if not theme.accepted:
            left_out.setdefault(theme.name, NOT_ACCEPTED)
        elif findings:
            left_out.setdefault(theme.name, ",".join(dict.fromkeys(f.kind for f in findings)))
        else:
            kept[theme.name] = None
    return tuple(kept), tuple((name, why) for name, why in left_out.items() if name not in kept)


def _clean(text: str) -> str:
    """Return a text of the facilitator's for the terugblik, or "" when it looks like it holds personal data."""
    return text if text and not find_personal_data(text) else ""


def _board_sentences(repo: SessionRepository, session: WorkshopSession) -> str:
    return " ".join(b.rode_draad.strip() for b in repo.list_boards(session.id) if b.rode_draad.strip())


def _recap(repo: SessionRepository, session: WorkshopSession, paragraph: str, questions: Sequence[str], *,
           kept: bool = False, afspraken: tuple[Afspraak, ...] = ()) -> SeriesRecap:
    """Return what the series keeps of a bijeenkomst: accepted theme names, the facilitator's own texts, and the
    afspraken the room made."""
    names, _left_out = recap_theme_names(repo, session)
    return SeriesRecap(
        session_id=session.id,
        title=session.title,
        date=session.date,
        ordinal=session.ordinal,
        rode_draden=names,
        rode_draad=_clean(paragraph),
        questions=tuple(q for q in questions if _clean(q)),
        kept=kept,
        afspraken=afspraken,
    )


def _edited_texts(repo: SessionRepository, session: WorkshopSession) -> tuple[str, list[str]]:
    """Return the rode draad paragraph and questions as the facilitator left them in the verslag's draft."""
    edits = repo.get_report_edits(session.id)
    paragraph = edits.get("rode_draad.paragraph", _board_sentences(repo, session))
    questions = edits.get("rode_draad.questions", ())
    return (paragraph if isinstance(paragraph, str) else "",
            [q for q in questions if isinstance(q, str)] if isinstance(questions, list) else [])


def _save_recap(series_repo: SeriesRepository, series: Series, recap: SeriesRecap | None, session_id: str) -> Series:
    recaps = [r for r in series.recaps if r.session_id != session_id] + ([recap] if recap else [])
    recaps.sort(key=lambda r: (r.date, r.ordinal))
    return series_repo.save_series(replace(series, recaps=tuple(recaps[-MAX_RECAPS:])))


@retried
def record_recap(
    repo: SessionRepository, series_repo: SeriesRepository, session: WorkshopSession, report: Report, *,
    registry: WorkFormatRegistry | None = None,
) -> Series | None:
    """Keep what a published verslag yielded in its series, for the next terugblik: accepted theme names and the
    afspraken (keeping the status the next bijeenkomst gave them)."""
    series = series_of(series_repo, session)
    if series is None:
        return None
    rode_draad = report.rode_draad
    before = series.recap(session.id)
    recap = _recap(repo, session, rode_draad.paragraph if rode_draad else "", rode_draad.questions if rode_draad
                   else (),
                   afspraken=_merged(afspraken_of(repo, session, registry), before.afspraken if before else ()))
    if before == recap:
        return series  # every download records it: write only what changed
    return _save_recap(series_repo, series, recap, session.id)


@retried
def settle_recap(
    repo: SessionRepository, series_repo: SeriesRepository, session: WorkshopSession, *, keep: bool,
    registry: WorkFormatRegistry | None = None,
) -> None:
    """As a bijeenkomst is deleted: take its recap out of its series, or keep it because the facilitator chose so.

    A kept recap is made again from what is stored now, so it holds only accepted, clean theme names (also when
    it was recorded by an older version that kept every name).
    """
    series = series_of(series_repo, session)
    if series is None:
        return
    if not keep:
        if series.recap(session.id) is not None:
            _save_recap(series_repo, series, None, session.id)
        return
    paragraph, questions = _edited_texts(repo, session)
    before = series.recap(session.id)
    recap = _recap(repo, session, paragraph, questions, kept=True,
                   afspraken=_merged(afspraken_of(repo, session, registry), before.afspraken if before else ()))
    _save_recap(series_repo, series, recap, session.id)


@retried
def set_afspraak_status(
    repo: SessionRepository,
    series_repo: SeriesRepository,
    session_id: str,
    afspraak_id: str,
    *,
    status: object,
    note: object = "",
    registry: WorkFormatRegistry | None = None,
) -> Afspraak:
    """Note, at a bijeenkomst's terugblik, what became of an afspraak the previous one made; kept in its recap.

    A read-modify-write of the series with the version read: two changes at once both stay (one runs again).
    """
    if status not in {s for s, _label in AFSPRAAK_STATUSES}:
        raise InvalidInput("status: one of " + ", ".join(s for s, _label in AFSPRAAK_STATUSES), field="status")
    note = clean_line(note, "note", NOTE_MAX)
    session = repo.get_session(session_id)
    series = series_of(series_repo, session)
    previous, recap = _previous(repo, series, session)
    if series is not None and previous is not None:
        # Still stored: its afspraken as they stand now; its recap is made now if its verslag never went out.
        recap = series.recap(previous.id)
        noted = recap.afspraken if recap else ()
        if recap is None:
            recap = _recap(repo, previous, *_edited_texts(repo, previous))
        recap = replace(recap, afspraken=_merged(afspraken_of(repo, previous, registry), noted))
    afspraak = next((a for a in recap.afspraken if a.id == afspraak_id), None) if recap else None
    if series is None or recap is None or afspraak is None:
        raise NotFound(f"afspraak {afspraak_id} of the previous bijeenkomst")
    afspraak = replace(afspraak, status=status, note=note)
    _save_recap(series_repo, series, replace(recap, afspraken=tuple(afspraak if a.id == afspraak_id else a
                                                                    for a in recap.afspraken)), recap.session_id)
    return afspraak


def forget_orphan_recaps(repo: SessionRepository, series_repo: SeriesRepository) -> list[SeriesRecap]:
    """Remove recaps whose bijeenkomst is gone and that nobody chose to keep; return them.

    Older versions kept every theme name (also the clusterer's, made of participants' words) after deleting a
    bijeenkomst; now a recap outlives its bijeenkomst only when the facilitator ticks "Bewaar de terugblik".
    """
    stored = {s.id for s in repo.list_sessions()}
    removed: list[SeriesRecap] = []
    for series in series_repo.list_series():
        orphans = [r for r in series.recaps if r.session_id not in stored and not r.kept]
        if orphans:
            series_repo.save_series(replace(series, recaps=tuple(r for r in series.recaps if r not in orphans)))
            removed += orphans
    return removed


def terugblik_view(terugblik: Terugblik | None) -> dict[str, Any] | None:
    """Return the terugblik as the host screen shows it."""
    if terugblik is None:
        return None
    return {"title": terugblik.title, "date": terugblik.date, "rode_draden": list(terugblik.rode_draden),
            "rode_draad": terugblik.rode_draad,
            "afspraken": [{"id": a.id, "wat": a.wat, "wie": a.wie, "niveau": a.niveau, "wanneer": a.wanneer,
                           "status": a.status, "note": a.note} for a in terugblik.afspraken]}
