"""The bijeenkomst aggregate and its parts, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

SCHEMA_VERSION = 1


class Perspective(StrEnum):
    """The optional perspective a participant speaks from."""

    OUDER = "ouder"
    ZORG = "zorg"
    ONDERWIJS = "onderwijs"
    ERVARINGSDESKUNDIGE = "ervaringsdeskundige"
    ANDERS = "anders"


@dataclass(frozen=True)
class AgendaItem:
    """One werkvorm on the agenda, with the facilitator's settings for it."""

    id: str
    workformat_id: str
    #: Overrides of the werkvorm's defaults, e.g. {"prompt": "Wat zou Sammy willen?"}.
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkshopSession:
    """A bijeenkomst: what the room is doing now and who runs it."""

    id: str
    title: str
    date: str  # ISO date, yyyy-mm-dd
    join_code: str
    created_at: float
    series: str = ""
    agenda: tuple[AgendaItem, ...] = ()
    current_item: int = 0
    current_phase: int = 0
    schema_version: int = SCHEMA_VERSION

    def current_agenda_item(self) -> AgendaItem | None:
        """Return the agenda item the room is on, if any."""
        if 0 <= self.current_item < len(self.agenda):
            return self.agenda[self.current_item]
        return None


@dataclass(frozen=True)
class Participant:
    """An anonymous phone; only a hash of its token is kept."""

    id: str
    token_hash: str
    joined_at: float
    table: int | None = None
    perspective: Perspective | None = None


@dataclass(frozen=True)
class Contribution:
    """One text a participant sent; `id` is the client-generated id."""

    id: str
    participant_id: str
    agenda_item_id: str
    phase_id: str
    kind: str
    text: str
    created_at: float
    table: int | None = None
    perspective: Perspective | None = None
    hidden: bool = False

    def with_hidden(self, hidden: bool) -> Contribution:
        """Return a copy with the hidden flag set."""
        return replace(self, hidden=hidden)
