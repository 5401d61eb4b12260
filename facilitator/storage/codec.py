"""Turn domain values into JSON-ready dicts and back, for stores that keep documents."""

from __future__ import annotations

import functools
from dataclasses import asdict, fields
from typing import Any

from facilitator.core.domain import (
    Afspraak,
    AgendaItem,
    Board,
    Contribution,
    LibraryEntry,
    MailLogEntry,
    MailOptIn,
    Organiser,
    Participant,
    PerspectiveOption,
    PurgeNotice,
    RoleAssignment,
    Series,
    SeriesRecap,
    Table,
    TableDraft,
    Theme,
    Timer,
    Vote,
    WorkshopSession,
)
from facilitator.core.domain.verdichting import ReviewedStatement, Verdichting


@functools.cache
def _field_names(cls: type) -> frozenset[str]:
    # dataclasses.fields() is slow enough to dominate decoding 3,000 contributions; a class's fields never change.
    return frozenset(f.name for f in fields(cls))


def _known(cls: type, doc: dict[str, Any]) -> dict[str, Any]:
    """Keep the fields a dataclass knows, so a document from a newer version still loads."""
    names = _field_names(cls)
    return {k: v for k, v in doc.items() if k in names}


def session_to_doc(session: WorkshopSession) -> dict[str, Any]:
    """Return a bijeenkomst as a document."""
    return asdict(session)


def session_from_doc(doc: dict[str, Any]) -> WorkshopSession:
    """Return the bijeenkomst a document holds; fields added later get their defaults."""
    data = _known(WorkshopSession, doc)
    data["agenda"] = tuple(AgendaItem(**_known(AgendaItem, item)) for item in data.get("agenda", ()))
    data["tables"] = tuple(Table(**_known(Table, t)) for t in data.get("tables", ()))
    data["roles"] = tuple(RoleAssignment(**_known(RoleAssignment, r)) for r in data.get("roles", ()))
    data["timer"] = Timer(**_known(Timer, data["timer"])) if data.get("timer") else None
    data["revealed"] = tuple(data.get("revealed", ()))
    data["fictional_names"] = tuple(data.get("fictional_names", ()))
    if "perspectives" in data:
        data["perspectives"] = tuple(PerspectiveOption(**_known(PerspectiveOption, p)) for p in data["perspectives"])
    return WorkshopSession(**data)


def _perspective_restored(cls: type, doc: dict[str, Any]) -> dict[str, Any]:
    data = _known(cls, doc)
    # Any id the bijeenkomst offered when it was picked, kept as given (its list may have changed since).
    data["perspective"] = str(data["perspective"]) if data.get("perspective") else None
    return data


def participant_to_doc(participant: Participant) -> dict[str, Any]:
    """Return a participant as a document."""
    return asdict(participant)


def participant_from_doc(doc: dict[str, Any]) -> Participant:
    """Return the participant a document holds."""
    return Participant(**_perspective_restored(Participant, doc))


def contribution_to_doc(contribution: Contribution) -> dict[str, Any]:
    """Return a contribution as a document."""
    return asdict(contribution)


def contribution_from_doc(doc: dict[str, Any]) -> Contribution:
    """Return the contribution a document holds."""
    data = _perspective_restored(Contribution, doc)
    data["tags"] = tuple(data.get("tags", ()))
    data["ranking"] = tuple(data.get("ranking", ()))
    return Contribution(**data)


def draft_to_doc(draft: TableDraft) -> dict[str, Any]:
    """Return a table draft as a document."""
    return asdict(draft)


def draft_from_doc(doc: dict[str, Any]) -> TableDraft:
    """Return the table draft a document holds."""
    return TableDraft(**_known(TableDraft, doc))


def vote_to_doc(vote: Vote) -> dict[str, Any]:
    """Return a vote fact as a document."""
    return asdict(vote)


def vote_from_doc(doc: dict[str, Any]) -> Vote:
    """Return the vote fact a document holds."""
    return Vote(**_known(Vote, doc))


def entry_to_doc(entry: LibraryEntry) -> dict[str, Any]:
    """Return a library entry as a document."""
    return asdict(entry)


def entry_from_doc(doc: dict[str, Any]) -> LibraryEntry:
    """Return the library entry a document holds."""
    return LibraryEntry(**_known(LibraryEntry, doc))


def _theme_from_doc(doc: dict[str, Any]) -> Theme:
    data = _known(Theme, doc)
    data["cards"] = tuple(data.get("cards", ()))
    data["terms"] = tuple(data.get("terms", ()))
    return Theme(**data)


def verdichting_to_doc(verdichting: Verdichting) -> dict[str, Any]:
    """Return a review of condensed statements as a document."""
    return asdict(verdichting)


def verdichting_from_doc(doc: dict[str, Any]) -> Verdichting:
    """Return the review a document holds."""
    data = _known(Verdichting, doc)
    data["statements"] = tuple(
        ReviewedStatement(**{**_known(ReviewedStatement, s), "cards": tuple(s.get("cards", ()))})
        for s in data.get("statements", ())
    )
    return Verdichting(**data)


def board_to_doc(board: Board) -> dict[str, Any]:
    """Return a rode-draden board as a document."""
    return asdict(board)


def board_from_doc(doc: dict[str, Any]) -> Board:
    """Return the board a document holds."""
    data = _known(Board, doc)
    data["themes"] = tuple(_theme_from_doc(t) for t in data.get("themes", ()))
    data["duplicates"] = tuple(tuple(group) for group in data.get("duplicates", ()))
    data["history"] = tuple(tuple(_theme_from_doc(t) for t in layout) for layout in data.get("history", ()))
    return Board(**data)


def series_to_doc(series: Series) -> dict[str, Any]:
    """Return a series as a document."""
    return asdict(series)


def series_from_doc(doc: dict[str, Any]) -> Series:
    """Return the series a document holds."""
    data = _known(Series, doc)
    data["organisers"] = tuple(Organiser(**_known(Organiser, o)) for o in data.get("organisers", ()))
    recaps = []
    for raw in data.get("recaps", ()):
        recap = _known(SeriesRecap, raw)
        recap["rode_draden"] = tuple(recap.get("rode_draden", ()))
        recap["questions"] = tuple(recap.get("questions", ()))
        recap["afspraken"] = tuple(Afspraak(**_known(Afspraak, a)) for a in recap.get("afspraken", ()))
        recaps.append(SeriesRecap(**recap))
    data["recaps"] = tuple(recaps)
    return Series(**data)


def optin_to_doc(optin: MailOptIn) -> dict[str, Any]:
    """Return a request for the verslag as a document."""
    return asdict(optin)


def optin_from_doc(doc: dict[str, Any]) -> MailOptIn:
    """Return the request a document holds."""
    return MailOptIn(**_known(MailOptIn, doc))


def mail_log_to_doc(entry: MailLogEntry) -> dict[str, Any]:
    """Return a send-log entry as a document."""
    return asdict(entry)


def mail_log_from_doc(doc: dict[str, Any]) -> MailLogEntry:
    """Return the send-log entry a document holds."""
    return MailLogEntry(**_known(MailLogEntry, doc))


def notice_to_doc(notice: PurgeNotice) -> dict[str, Any]:
    """Return a deletion notice as a document."""
    return asdict(notice)


def notice_from_doc(doc: dict[str, Any]) -> PurgeNotice:
    """Return the deletion notice a document holds."""
    return PurgeNotice(**_known(PurgeNotice, doc))
