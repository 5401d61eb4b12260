"""Use cases of verdichten: the condensed statements of each agenda item, and the facilitator's review of them
(accept, edit, merge, split, drop), stored per agenda item with a version (compare-and-set)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from facilitator.core.clustering.condense import ReviewError, Similarity, Statement, act, reviewed, snapshot
from facilitator.core.domain import AgendaItem, Contribution, InvalidInput, NotFound, WorkFormat, WorkshopSession
from facilitator.core.domain.verdichting import ACTIONS, Verdichting
from facilitator.core.registry import WorkFormatRegistry
from facilitator.core.services.base import Clock, configured_workformat, retried
from facilitator.storage import SessionRepository
from facilitator.verslag.build import card_of, statement_groups

MAX_IDS = 50


@dataclass(frozen=True)
class ItemStatements:
    """One agenda item's statements per group, with the cards they fold."""

    item: AgendaItem
    workformat: WorkFormat
    groups: dict[str, tuple[Statement, ...]]
    cards: dict[str, Contribution]
    version: int


def condensable(workformat: WorkFormat) -> bool:
    """Tell whether an agenda item's werkvorm has lists the verslag condenses."""
    return not workformat.can("board") and any(
        s.shape in ("bullets", "bullets_per_bucket", "paragraph") for s in workformat.report_sections)


def item_statements(repo: SessionRepository, registry: WorkFormatRegistry, session: WorkshopSession,
                    item: AgendaItem, contributions: Sequence[Contribution], *,
                    similarity: Similarity | None = None) -> ItemStatements:
    """Return an item's statements: the stored review laid over the tool's proposal for its publishable cards."""
    workformat = configured_workformat(registry, item)
    mine = [c for c in contributions if c.agenda_item_id == item.id]
    groups = statement_groups(workformat, mine)
    stored = repo.get_verdichting(session.id, item.id)
    statements = reviewed({key: [card_of(c) for c in cs] for key, cs in groups.items()},
                          stored.statements if stored else (), similarity=similarity)
    return ItemStatements(item=item, workformat=workformat, groups=statements, cards={c.id: c for c in mine},
                          version=stored.version if stored else 0)


def _ids(value: object, field: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and 0 < len(v) <= 100 for v in value):
        raise InvalidInput(f"{field}: a list of ids", field=field)
    if len(value) > MAX_IDS:
        raise InvalidInput(f"{field}: at most {MAX_IDS}", field=field)
    return value


@retried
def review_statement(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    session_id: str,
    item_id: str,
    action: str,
    statements: object,
    *,
    text: object = "",
    cards: object = (),
    clock: Clock = time.time,
) -> Verdichting:
    """Apply one of the facilitator's actions to an item's statements and store the review one version on.

    The first action stores the whole proposal as it stands, so later cards and a re-run of the tool never move
    what the facilitator already decided. Read, change, save with the version read: a concurrent change makes
    the save fail (StaleVersion) and the use case runs again on what is stored then.
    """
    from facilitator.core.services.verslag import publishable  # the verslag's rule of what may leave the laptop

    if action not in ACTIONS:
        raise InvalidInput(f"action: one of {ACTIONS}", field="action")
    if not isinstance(text, str):
        raise InvalidInput("text: a text", field="text")
    ids = _ids(statements, "statements")
    card_ids = _ids(list(cards) if isinstance(cards, tuple) else cards, "cards") if cards else []
    session = repo.get_session(session_id)
    item = next((i for i in session.agenda if i.id == item_id), None)
    if item is None:
        raise NotFound(f"agenda item {item_id}")
    contributions = publishable(session, registry, repo.list_contributions(session_id))
    current = item_statements(repo, registry, session, item, contributions)
    try:
        changed = act(snapshot(current.groups), action, ids, text=text, cards=card_ids)
    except ReviewError as exc:
        raise InvalidInput(f"{action}: {exc}", field="statements") from None
    saved = Verdichting(agenda_item_id=item.id, statements=changed, version=current.version + 1,
                        updated_at=clock())
    repo.save_verdichting(session_id, saved)
    return saved
