"""The perspectives a bijeenkomst offers its participants: the facilitator's list, checked and saved."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from facilitator.core.domain import (
    DEFAULT_PERSPECTIVES,
    AgendaChanged,
    DomainEvent,
    InvalidInput,
    PerspectiveOption,
    WorkshopSession,
)
from facilitator.core.services.base import clean_line, retried
from facilitator.storage import SessionRepository

#: More choices than this no longer fit a phone's screen at a glance.
MAX_PERSPECTIVES = 12
LABEL_MAX = 60
ID_MAX = 40

#: Lists to start from in Voorbereiden; "functies" starts empty, the facilitator types the functions in the room.
PRESETS: Mapping[str, tuple[PerspectiveOption, ...]] = {
    "ouders_professionals": DEFAULT_PERSPECTIVES,
    "gemeente": (
        PerspectiveOption("gemeente", "gemeente", "gemeente"),
        PerspectiveOption("beleid", "beleid", "beleid"),
        PerspectiveOption("bestuur", "bestuur", "bestuur"),
        PerspectiveOption("uitvoering", "uitvoering", "uitvoering"),
    ),
    "functies": (),
}


def perspective_id(label: str, taken: set[str]) -> str:
    """Return a stable id for a new perspective from its label ("Jeugdarts" -> "jeugdarts"), unique among taken."""
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:ID_MAX] or "perspectief"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def _option(row: object, seen: set[str], kept: set[str]) -> PerspectiveOption:
    if not isinstance(row, Mapping):
        raise InvalidInput("perspectives: each must be an object", field="perspectives")
    singular = clean_line(row.get("singular"), "perspectives", LABEL_MAX, required=True)
    plural = clean_line(row.get("plural"), "perspectives", LABEL_MAX) or singular
    given = row.get("id") or ""
    if not isinstance(given, str) or len(given) > ID_MAX or not re.fullmatch(r"[a-z0-9_]*", given):
        raise InvalidInput("perspectives: id", field="perspectives")
    if given in seen:
        raise InvalidInput("perspectives: the same id twice", field="perspectives")
    # A new one never takes the id of one that stays further down the list.
    return PerspectiveOption(id=given or perspective_id(singular, seen | kept), singular=singular, plural=plural)


def clean_perspectives(rows: object) -> tuple[PerspectiveOption, ...]:
    """Return the facilitator's list of perspectives in their order; new ones get an id from their label."""
    if not isinstance(rows, Sequence) or isinstance(rows, str):
        raise InvalidInput("perspectives: must be a list", field="perspectives")
    if len(rows) > MAX_PERSPECTIVES:
        raise InvalidInput(f"perspectives: at most {MAX_PERSPECTIVES}", field="perspectives_count",
                           max=MAX_PERSPECTIVES)
    kept = {str(row["id"]) for row in rows if isinstance(row, Mapping) and row.get("id")}
    options: list[PerspectiveOption] = []
    seen: set[str] = set()
    for row in rows:
        option = _option(row, seen, kept)
        seen.add(option.id)
        options.append(option)
    return tuple(options)


@retried
def set_perspectives(
    repo: SessionRepository, session_id: str, rows: object
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Save the perspectives a bijeenkomst offers; one a participant already chose may be renamed, not removed."""
    session = repo.get_session(session_id)
    options = clean_perspectives(rows)
    kept = {option.id for option in options}
    chosen = {p.perspective for p in repo.list_participants(session_id) if p.perspective}
    removed = [option for option in session.perspectives if option.id in chosen and option.id not in kept]
    if removed:
        raise InvalidInput("perspectives: chosen by participants", field="perspectives_in_use",
                           labels=", ".join(option.singular for option in removed))
    saved = repo.save_session(replace(session, perspectives=options))
    # A phone may have picked a removed one between the check above and the save: it is put back (last).
    final = keep_chosen_perspectives(repo, session_id, session.perspectives) or saved
    return final, [AgendaChanged(session=final)]


@retried
def keep_chosen_perspectives(
    repo: SessionRepository, session_id: str, known: Sequence[PerspectiveOption]
) -> WorkshopSession | None:
    """Put back, at the end of the list, every perspective a participant holds that the list no longer offers.

    A join checks the list and then stores the participant; a save checks the participants and then stores the
    list. Both call this after their write, so whichever comes second sees the other and no participant keeps a
    perspective the bijeenkomst dropped. Returns the session when it put one back.
    """
    session = repo.get_session(session_id)
    offered = {option.id for option in session.perspectives}
    chosen = {p.perspective for p in repo.list_participants(session_id) if p.perspective}
    missing = tuple(option for option in known if option.id in chosen and option.id not in offered)
    if not missing:
        return None
    return repo.save_session(replace(session, perspectives=session.perspectives + missing))


def check_perspective(session: WorkshopSession, value: object) -> str | None:
    """Return a perspective a participant picked (None: none given); refuse one the bijeenkomst does not offer."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or session.perspective(value) is None:
        raise InvalidInput("perspective: not offered", field="perspective")
    return value


def perspective_counts(repo: SessionRepository, session: WorkshopSession) -> list[dict[str, Any]]:
    """Return how many joined per perspective, in the bijeenkomst's order (one no longer offered last); none: 0."""
    counts = Counter(p.perspective for p in repo.list_participants(session.id) if p.perspective)
    order = [p.id for p in session.perspectives] + sorted(set(counts) - {p.id for p in session.perspectives})
    return [{"id": perspective, "joined": counts[perspective]} for perspective in order if counts[perspective]]


def presets() -> Mapping[str, tuple[PerspectiveOption, ...]]:
    """Return the lists a facilitator may start from, by name."""
    return PRESETS


__all__ = ["MAX_PERSPECTIVES", "check_perspective", "keep_chosen_perspectives",
            "clean_perspectives", "perspective_counts", "perspective_id",
           "presets", "set_perspectives"]
