"""What every use case shares: tokens, limits, the current step, and small checks."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, ParamSpec, TypeVar

from facilitator.core.domain import (
    AgendaItem,
    InvalidInput,
    NotFound,
    Phase,
    PhaseNotOpen,
    StaleVersion,
    Timer,
    WorkFormat,
    WorkshopSession,
    apply_settings,
    validate_settings,
)
from facilitator.core.domain.text import showable
from facilitator.core.registry import WorkFormatRegistry, default_registry

#: Letters and digits that cannot be mistaken for each other when read off a projector.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


JOIN_CODE_LENGTH = 6


MAX_TABLE = 99


MAX_TABLES = 50


TABLE_NAME_MAX = 40


TITLE_MAX = 200


DETAILS_MAX = 500


FUNCTION_MAX = 80
#: An afspraak's who ("de gemeente, Els") and when ("voor de zomer").
ACTION_LINE_MAX = 120


#: Letters for one-time role codes: short enough to read out, unambiguous on a projector.
ROLE_CODE_LENGTH = 4


#: The timer a phase without a timebox gets when the facilitator starts it anyway.
DEFAULT_TIMER_SECONDS = 300


MAX_AGENDA_ITEMS = 40


#: Days a bijeenkomst is kept after its date unless the facilitator sets otherwise (the join screen says so).
DEFAULT_RETENTION_DAYS = 30


#: A year of weekly bijeenkomsten and then some; longer keeping needs a conscious export.
MAX_RETENTION_DAYS = 365


MAX_ORDINAL = 99


#: An agenda item's setting that holds contributions back from the beamer until the facilitator approves them.
APPROVE_FIRST = "approve_first"


#: Largest small-group threshold of the beamer a facilitator may set (see WorkshopSession.privacy_threshold).
MAX_PRIVACY_THRESHOLD = 99


#: What export files say they are, so an import can tell them apart from any other JSON.
WORKFORMAT_FILE = "rode-draad/werkvorm"


AGENDA_FILE = "rode-draad/agenda"


FILE_VERSION = 1


#: The languages a bijeenkomst can be held in: those with a catalogue in translations/ (Dutch is the source).
LANGUAGES = ("nl", "en")


DETAIL_LIMITS = (("title", TITLE_MAX), ("series", TITLE_MAX), ("motto", TITLE_MAX), ("organisers", DETAILS_MAX))


Clock = Callable[[], float]

#: How often a use case runs again when a document it saved had changed since it read it. Under
#: eventlet a use case only loses such a race when it waits for the disk between read and save.
SAVE_ATTEMPTS = 20

_Params = ParamSpec("_Params")
_Result = TypeVar("_Result")


def retried(use_case: Callable[_Params, _Result]) -> Callable[_Params, _Result]:
    """Run a use case again from a fresh read when a document it saved had changed meanwhile (StaleVersion).

    The use cases this wraps read what they change, then write it with the version they read; a
    write they make before that save must be one that running again repeats harmlessly.
    """

    @functools.wraps(use_case)
    def run(*args: _Params.args, **kwargs: _Params.kwargs) -> _Result:
        for _attempt in range(SAVE_ATTEMPTS - 1):
            try:
                return use_case(*args, **kwargs)
            except StaleVersion:
                continue
        return use_case(*args, **kwargs)

    return run


def new_token() -> str:
    """Return a fresh secret token (192 random bits)."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """Return the stored form of a token; the token itself is never stored."""
    # surrogatepass: a presented "token" with half a UTF-16 pair (JSON carries it) matches nothing, and never raises.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def tokens_match(token: str, token_hash: str) -> bool:
    """Compare a presented token with a stored hash in constant time."""
    return hmac.compare_digest(hash_token(token), token_hash)


def normalise_join_code(code: str) -> str:
    """Return a join code as typed by a person, in canonical form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


@dataclass(frozen=True)
class CurrentStep:
    """Where the room is: the agenda item, its werkvorm as configured, and the phase."""

    item: AgendaItem
    item_index: int
    workformat: WorkFormat
    phase: Phase
    phase_index: int

    def prompt(self, role: str = "deelnemer") -> str:
        """Return the prompt a role sees."""
        return self.phase.prompt_for(role)


def configured_workformat(registry: WorkFormatRegistry, item: AgendaItem) -> WorkFormat:
    """Return an agenda item's werkvorm with the facilitator's settings applied."""
    return apply_settings(registry.get(item.workformat_id), item.settings)


def current_step(registry: WorkFormatRegistry, session: WorkshopSession) -> CurrentStep | None:
    """Return what the room is working on now, if the agenda has anything."""
    item = session.current_agenda_item()
    if item is None:
        return None
    workformat = configured_workformat(registry, item)
    index = max(0, min(session.current_phase, len(workformat.phases) - 1))
    return CurrentStep(
        item=item, item_index=session.current_item, workformat=workformat, phase=workformat.phases[index],
        phase_index=index,
    )


def prepared_timer(registry: WorkFormatRegistry, session: WorkshopSession) -> Timer | None:
    """Return the timer the room's current phase was prepared with: its timebox, not running; None without one."""
    step = current_step(registry, session)
    timebox = step.phase.timebox_seconds if step is not None else None
    return Timer(duration=float(timebox)) if timebox else None


def with_room_timer(
    registry: WorkFormatRegistry, before: WorkshopSession | None, after: WorkshopSession
) -> WorkshopSession:
    """Return `after` with its current phase's prepared timer, unless the facilitator changed the timer of that same
    phase in `before` (started, paused or added time): every use case that creates a bijeenkomst or changes its
    agenda passes through here, so the room's timer never lags behind what was prepared."""
    if before is not None and _room_phase(registry, before) == _room_phase(registry, after):
        if before.timer != prepared_timer(registry, before):
            return after  # the facilitator's own timer for this phase
    return replace(after, timer=prepared_timer(registry, after))


def _room_phase(registry: WorkFormatRegistry, session: WorkshopSession) -> tuple[str, str] | None:
    step = current_step(registry, session)
    return (step.item.id, step.phase.id) if step is not None else None


def require_step(registry: WorkFormatRegistry, session: WorkshopSession) -> CurrentStep:
    """Return the current step; raise PhaseNotOpen when the agenda is empty."""
    step = current_step(registry, session)
    if step is None:
        raise PhaseNotOpen("the agenda is empty")
    return step


def clean_line(value: object, name: str, max_length: int, *, required: bool = False) -> str:
    """Return a one-line text (title, name, function) with its spaces tidied; refuse a wrong one."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{name}: must be a text", field=name)
    line = " ".join(showable(value, name).split())
    if required and not line:
        raise InvalidInput(f"{name}: required", field=name)
    if len(line) > max_length:
        raise InvalidInput(f"{name}: at most {max_length} characters", field=name)
    return line


def check_language(value: object) -> str:
    """Return a bijeenkomst's language, one of LANGUAGES; refuse any other."""
    if value not in LANGUAGES:
        raise InvalidInput(f"language: one of {', '.join(LANGUAGES)}", field="language")
    return str(value)


def parse_date(date: str, clock: Clock) -> str:
    """Return an ISO date from yyyy-mm-dd, or today when empty; raise InvalidInput."""
    try:
        day = dt.date.fromisoformat(date) if date else dt.date.fromtimestamp(clock())
    except ValueError:
        raise InvalidInput("date: must be yyyy-mm-dd", field="date") from None
    return day.isoformat()


def new_item_id() -> str:
    """Return a fresh agenda item id."""
    return secrets.token_hex(4)


def new_join_code(taken: set[str]) -> str:
    """Return a join code that no other bijeenkomst on this laptop uses."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if code not in taken:
            return code


def check_table(session: WorkshopSession, table: int | None) -> None:
    """Refuse a table the room does not have (any 1..99 while the host named none)."""
    if table is None:
        return
    if session.tables:
        if session.table(table) is None:
            raise InvalidInput("table: no such table", field="table")
    elif not 1 <= table <= MAX_TABLE:
        raise InvalidInput("table: must be 1 to 99", field="table")


def checked_settings(workformat: WorkFormat, settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return a facilitator's settings for a werkvorm, validated and proven to configure it."""
    data = validate_settings(workformat, dict(settings or {}))
    apply_settings(workformat, data)  # the configured werkvorm must still hold together
    return data


def agenda_item_or_current(session: WorkshopSession, item_id: str | None) -> AgendaItem:
    """Return the agenda item with this id, or the current one when no id is given."""
    item = session.agenda_item(item_id) if item_id else session.current_agenda_item()
    if item is None:
        raise NotFound(f"agenda item {item_id}")
    return item


def source_item(session: WorkshopSession, item: AgendaItem) -> AgendaItem | None:
    """Return the agenda item another item works on (its setting of kind "item", else the item before it)."""
    source_id = next((item.settings[n] for n in default_registry().item_settings() if item.settings.get(n)), "")
    if not source_id:
        index = next((i for i, a in enumerate(session.agenda) if a.id == item.id), 0)
        source_id = session.agenda[index - 1].id if index > 0 else ""
    return session.agenda_item(source_id) if isinstance(source_id, str) and source_id else None
