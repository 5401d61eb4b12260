"""The facilitator's review of the condensed statements of one agenda item (see core/clustering/condense.py)."""

from __future__ import annotations

from dataclasses import dataclass

#: proposed: the tool's wording, untouched; accepted: the facilitator agreed; edited: the facilitator reworded it;
#: dropped: left out of the verslag's body (its cards stay in the appendix and the CSV).
STATUSES = ("proposed", "accepted", "edited", "dropped")
#: Actions on the Verdichten screen.
ACTIONS = ("accept", "edit", "merge", "split", "drop", "restore")
MAX_STATEMENT = 500


@dataclass(frozen=True)
class ReviewedStatement:
    """One statement as the facilitator left it: which cards it folds, in which wording."""

    id: str
    #: The group it belongs to: "<report section id>.<bucket id>" or "<report section id>".
    group: str
    cards: tuple[str, ...]
    #: The facilitator's wording; "" = the tool's proposal.
    text: str = ""
    status: str = "proposed"


@dataclass(frozen=True)
class Verdichting:
    """All reviewed statements of one agenda item; the version grows with every change (compare-and-set)."""

    agenda_item_id: str
    statements: tuple[ReviewedStatement, ...] = ()
    version: int = 0
    updated_at: float = 0.0
