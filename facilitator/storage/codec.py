"""Turn domain values into JSON-ready dicts and back, for stores that keep documents."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..domain import AgendaItem, Contribution, Participant, Perspective, WorkshopSession


def session_to_doc(session: WorkshopSession) -> dict[str, Any]:
    """Return a bijeenkomst as a document."""
    doc = asdict(session)
    doc["agenda"] = [asdict(item) for item in session.agenda]
    return doc


def session_from_doc(doc: dict[str, Any]) -> WorkshopSession:
    """Return the bijeenkomst a document holds."""
    fields = dict(doc)
    fields["agenda"] = tuple(AgendaItem(**item) for item in fields.get("agenda", ()))
    return WorkshopSession(**fields)


def _perspective_restored(doc: dict[str, Any]) -> dict[str, Any]:
    fields = dict(doc)
    fields["perspective"] = Perspective(fields["perspective"]) if fields.get("perspective") else None
    return fields


def participant_to_doc(participant: Participant) -> dict[str, Any]:
    """Return a participant as a document."""
    return asdict(participant)


def participant_from_doc(doc: dict[str, Any]) -> Participant:
    """Return the participant a document holds."""
    return Participant(**_perspective_restored(doc))


def contribution_to_doc(contribution: Contribution) -> dict[str, Any]:
    """Return a contribution as a document."""
    return asdict(contribution)


def contribution_from_doc(doc: dict[str, Any]) -> Contribution:
    """Return the contribution a document holds."""
    return Contribution(**_perspective_restored(doc))
