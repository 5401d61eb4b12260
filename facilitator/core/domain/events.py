"""Domain events: what happened, in the past tense, for the edges to publish."""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.core.domain.model import Contribution, TableDraft, WorkshopSession


@dataclass(frozen=True)
class ContributionAdded:
    """A new contribution was stored durably (or a private one was shared)."""

    session_id: str
    contribution: Contribution


@dataclass(frozen=True)
class ContributionVisibilityChanged:
    """The facilitator hid or showed a contribution."""

    session_id: str
    contribution: Contribution


@dataclass(frozen=True)
class ContributionChanged:
    """A contribution moved bucket, was starred, shared or resubmitted."""

    session_id: str
    contribution: Contribution


@dataclass(frozen=True)
class ParticipantJoined:
    """A phone joined the bijeenkomst."""

    session_id: str
    joined_count: int


@dataclass(frozen=True)
class ParticipantMoved:
    """A participant chose another table."""

    session_id: str
    participant_id: str
    table: int | None


@dataclass(frozen=True)
class PhaseChanged:
    """The room moved to another agenda item or phase (the timer was reset with it)."""

    session: WorkshopSession


@dataclass(frozen=True)
class TimerChanged:
    """The facilitator started, paused or extended the timer."""

    session: WorkshopSession


@dataclass(frozen=True)
class PhaseRevealed:
    """The facilitator revealed the answers of a hidden-until-reveal phase."""

    session: WorkshopSession


@dataclass(frozen=True)
class TablesChanged:
    """The facilitator named, added or removed tables."""

    session: WorkshopSession


@dataclass(frozen=True)
class RolesChanged:
    """A role was assigned, claimed or cleared; `participant_ids` are the phones whose role changed."""

    session: WorkshopSession
    participant_ids: tuple[str, ...]


@dataclass(frozen=True)
class AgendaChanged:
    """The facilitator edited the agenda."""

    session: WorkshopSession


@dataclass(frozen=True)
class TableDraftChanged:
    """A table's shared draft was saved or submitted."""

    session_id: str
    draft: TableDraft


@dataclass(frozen=True)
class VotesChanged:
    """A participant placed or took back a dot."""

    session_id: str
    agenda_item_id: str


@dataclass(frozen=True)
class BoardChanged:
    """A rode-draden board changed: a card moved, a theme was made, renamed, merged or split."""

    session_id: str
    agenda_item_id: str


@dataclass(frozen=True)
class ApprovalChanged:
    """An agenda item's "eerst goedkeuren" was switched on or off: its contributions' status changed."""

    session_id: str
    agenda_item_id: str


@dataclass(frozen=True)
class BeamerViewChanged:
    """The facilitator switched the beamer's large-type mode or the size of its QR code."""

    session: WorkshopSession


@dataclass(frozen=True)
class SessionClosingChanged:
    """The facilitator started (or stopped) asking the phones for addresses for the verslag."""

    session: WorkshopSession


@dataclass(frozen=True)
class MailOptInsChanged:
    """A participant gave or withdrew an address for the verslag."""

    session_id: str


@dataclass(frozen=True)
class SessionDeleted:
    """A bijeenkomst was deleted for real; its phones should forget it."""

    session_id: str


DomainEvent = (
    ContributionAdded
    | ContributionVisibilityChanged
    | ContributionChanged
    | ParticipantJoined
    | ParticipantMoved
    | PhaseChanged
    | TimerChanged
    | PhaseRevealed
    | TablesChanged
    | RolesChanged
    | AgendaChanged
    | TableDraftChanged
    | VotesChanged
    | BoardChanged
    | ApprovalChanged
    | BeamerViewChanged
    | SessionClosingChanged
    | MailOptInsChanged
    | SessionDeleted
)
