"""Domain events: what happened, in the past tense, for the edges to publish."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Contribution


@dataclass(frozen=True)
class ContributionAdded:
    """A new contribution was stored durably."""

    session_id: str
    contribution: Contribution


@dataclass(frozen=True)
class ContributionVisibilityChanged:
    """The facilitator hid or showed a contribution."""

    session_id: str
    contribution: Contribution


@dataclass(frozen=True)
class ParticipantJoined:
    """A phone joined the bijeenkomst."""

    session_id: str
    joined_count: int


DomainEvent = ContributionAdded | ContributionVisibilityChanged | ParticipantJoined
