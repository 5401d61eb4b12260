"""The domain: plain Python values and rules, no framework."""

from .errors import (
    ContributionNotFound,
    DuplicateId,
    FacilitatorError,
    InvalidInput,
    InvalidWorkFormat,
    LimitReached,
    NotAuthorised,
    NotJoined,
    PhaseNotOpen,
    SessionNotFound,
    StorageFailed,
    TextEmpty,
    TextTooLong,
)
from .events import ContributionAdded, ContributionVisibilityChanged, DomainEvent, ParticipantJoined
from .model import SCHEMA_VERSION, AgendaItem, Contribution, Participant, Perspective, WorkshopSession
from .workformat import (
    N_,
    Bucket,
    ContributionKind,
    Phase,
    ReportSection,
    WorkFormat,
    validate_workformat,
)

__all__ = [
    "AgendaItem", "Bucket", "Contribution", "ContributionAdded", "ContributionKind",
    "ContributionNotFound", "ContributionVisibilityChanged", "DomainEvent", "DuplicateId",
    "FacilitatorError", "InvalidInput", "InvalidWorkFormat", "LimitReached", "N_", "NotAuthorised",
    "NotJoined", "Participant", "ParticipantJoined", "Perspective", "Phase", "PhaseNotOpen",
    "ReportSection", "SCHEMA_VERSION", "SessionNotFound", "StorageFailed", "TextEmpty",
    "TextTooLong", "WorkFormat", "WorkshopSession", "validate_workformat",
]
