"""The Socket.IO wire contract: every payload a page sends (and the ack it gets) and every payload the server sends,
as TypedDicts whose keys are the JavaScript's names. The catalogue (CLIENT_PAYLOADS, SERVER_PAYLOADS) ties each event
name of realtime/events.py to its types; tests/integration/test_wire_contract.py checks what the server really sends
against them, and tests/unit/test_wire_js.py the keys the JavaScript reads."""

# No `from __future__ import annotations` here: TypedDict needs its annotations evaluated to tell NotRequired keys
# (__optional_keys__) on Python 3.11, and received() reads them.
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypedDict, TypeVar, Union, cast, get_args, get_origin, get_type_hints

from facilitator.core.domain import InvalidInput
from facilitator.core.validation import require_mapping, require_session_id
from facilitator.web.realtime import events as ev

# ==== parts every screen shares ===========================================================================


class Timer(TypedDict):
    """The timer as durations (seconds), so a phone's own clock does not matter."""

    duration: int
    remaining: float
    running: bool


class TableName(TypedDict):
    number: int
    name: str


class Contribution(TypedDict):
    """What screens get of a contribution: never who sent it; no text while it waits for the reveal."""

    id: str
    agenda_item: str
    phase: str
    kind: str
    text: str
    concealed: bool
    created_at: float
    table: int | None
    perspective: str | None
    hidden: bool
    bucket: str | None
    tags: list[str]
    ranking: list[str]
    owner: str
    due: str
    function: str
    shared: bool
    starred: bool
    slot: int | None


class HostContribution(Contribution):
    """The regie's: `pending` while the beamer waits for the facilitator's approval."""

    pending: bool


class OwnContribution(Contribution):
    """The author's own phone's: with what became of it."""

    status: Literal["sent", "hidden", "pending"]


class BeamerContribution(TypedDict):
    """What the beamer gets of a contribution the room may see (services/beamer.py): no `hidden`, `shared`."""

    id: str
    agenda_item: str
    phase: str
    kind: str
    text: str
    created_at: float
    table: int | None
    perspective: str | None
    bucket: str | None
    tags: list[str]
    ranking: list[str]
    owner: str
    due: str
    function: str
    starred: bool
    slot: int | None


class Draft(TypedDict):
    """A table's shared draft for one slot."""

    agenda_item: str
    kind: str
    table: int
    slot: int
    text: str
    version: int
    submitted: bool


class Kind(TypedDict):
    """What a phone needs of a contribution kind to offer it."""

    id: str
    label: str
    max_length: int
    per_participant: int | None
    per_table: int | None
    scope: str
    visibility: str
    roles: list[str]
    needs_bucket: bool
    tag_groups: list[str]
    asks_function: bool
    answer: str
    text_optional: bool
    ranks: str


class Bucket(TypedDict):
    id: str
    label: str
    description: str


class TagOption(TypedDict):
    id: str
    label: str
    description: str


class TagGroup(TypedDict):
    id: str
    label: str
    options: list[TagOption]


class PhaseTitle(TypedDict):
    id: str
    title: str


class ThemeChoice(TypedDict):
    """A board's theme as a phone may read it."""

    id: str
    name: str


class VoteTarget(TypedDict):
    """What can get dots: an option, a theme (`theme:<id>`) or a contribution."""

    id: str
    text: str


class PlaceStep(TypedDict):
    board_item: str
    themes: list[ThemeChoice]


class VoteStep(TypedDict):
    dots: int
    targets: list[VoteTarget]


class StepTitles(TypedDict):
    """What every screen shows of the current step: where in the agenda, the werkvorm and phase."""

    agenda_item: str
    item_index: int
    items_count: int
    workformat: str
    workformat_name: str
    phase: str
    phase_index: int
    phase_title: str


class Step(StepTitles):
    """The current step with everything every role (regie and phones) needs to show it."""

    phases: list[PhaseTitle]
    display: str
    display_group: str
    shows_phases: list[str]
    prompt: str
    prompts: dict[str, str]
    views: dict[str, str]
    accepts: dict[str, list[str]]
    kinds: list[Kind]
    buckets: list[Bucket]
    buckets_are_vakken: bool
    tag_groups: list[TagGroup]
    case_text: str
    hidden_until_reveal: bool
    revealed: bool
    inbrenger_mode: str
    has_spokesperson: bool
    board_item: str
    approve_first: bool
    place: NotRequired[PlaceStep]
    vote: NotRequired[VoteStep]


class NextStep(TypedDict):
    """What comes after the current phase ("Volgende: …")."""

    item_index: int
    phase_index: int
    same_item: bool
    workformat_name: str
    phase_title: str
    minutes: int | None


class BeamerView(TypedDict):
    large: bool
    qr: str


# ==== the regie (host) ====================================================================================


class HostSession(TypedDict):
    id: str
    title: str
    date: str
    series: str
    motto: str
    join_code: str


class AgendaEntry(TypedDict):
    id: str
    workformat: str
    name: str
    notes: str
    phases: list[PhaseTitle]


class TableCount(TypedDict):
    number: int | None
    name: str
    joined: int
    connected: int


class PerspectiveCount(TypedDict):
    id: str
    joined: int


class ParticipantCounts(TypedDict):
    """How many phones joined and are connected: counts only."""

    joined: int
    connected: int
    tables: list[TableCount]
    perspectives: list[PerspectiveCount]


class RoleEntry(TypedDict):
    agenda_item: str
    role: str
    table: int | None
    number: int | None
    code: str | None


class Provenance(TypedDict):
    perspectives: dict[str, int]
    tables: list[str]


class BoardTheme(TypedDict):
    id: str
    name: str
    origin: str
    accepted: bool
    cards: list[str]
    terms: list[str]
    provenance: Provenance


class Board(TypedDict):
    """A rode-draden board as the regie shows it."""

    agenda_item: str
    version: int
    themes: list[BoardTheme]
    unsorted: list[str]
    rode_draad: str
    can_undo: bool
    duplicates: list[list[str]]
    warning: str | None


class RemoteActive(TypedDict):
    active: bool


class HostState(TypedDict):
    """The whole state of a host screen (session_state)."""

    role: Literal["host"]
    session: HostSession
    agenda: list[AgendaEntry]
    step: Step | None
    next: NextStep | None
    timer: Timer | None
    contributions: list[HostContribution]
    participants: ParticipantCounts
    roles: list[RoleEntry]
    drafts: list[Draft]
    tallies: dict[str, int]
    boards: dict[str, Board]
    closing: bool
    mail_optins: int
    storage_failing: bool
    beamer: BeamerView
    remote: RemoteActive


# ==== a participant's phone ===============================================================================


class ShortSession(TypedDict):
    id: str
    title: str


class Me(TypedDict):
    number: int
    table: int | None
    perspective: str | None
    roles: dict[str, str]
    rejoin_code: str


class ParticipantState(TypedDict):
    """The whole state of one phone (session_state)."""

    role: Literal["participant"]
    session: ShortSession
    step: Step | None
    timer: Timer | None
    me: Me
    tables: list[TableName]
    contributions: list[OwnContribution | Contribution]
    listening: list[Contribution]
    drafts: list[Draft]
    votes: dict[str, list[str]]
    placements: dict[str, str]
    closing: bool
    verslag_email: str


# ==== the beamer ==========================================================================================


class BeamerSession(TypedDict):
    id: str
    title: str
    date: str
    series: str


class BeamerKind(TypedDict):
    id: str
    label: str
    scope: str
    per_table: int | None


class BeamerTagOption(TypedDict):
    id: str
    label: str


class BeamerTagGroup(TypedDict):
    id: str
    label: str
    options: list[BeamerTagOption]


class BeamerStep(StepTitles):
    """What the beamer shows of the current step: titles, the participants' question, labels; no roles."""

    display: str
    display_group: str
    shows_phases: list[str]
    prompt: str
    case_text: str
    hidden_until_reveal: bool
    revealed: bool
    approve_first: bool
    kinds: list[BeamerKind]
    buckets: list[Bucket]
    tag_groups: list[BeamerTagGroup]


class Card(TypedDict):
    id: str
    text: str


class BeamerTheme(TypedDict):
    id: str
    name: str
    cards: list[Card]


class BeamerBoard(TypedDict):
    """The board as the room may see it."""

    agenda_item: str
    themes: list[BeamerTheme]
    unsorted: list[Card]
    rode_draad: str


class BeamerVotes(TypedDict):
    agenda_item: str
    targets: list[VoteTarget]
    tallies: dict[str, int]


class ScaleSummary(TypedDict):
    group: str
    counts: dict[str, int]
    answers: int


class RankingSummary(TypedDict):
    group: str
    points: dict[str, int]
    answers: int
    most: int


class BeamerState(TypedDict):
    """The whole state of a beamer window (session_state), built from room-safe data only."""

    role: Literal["beamer"]
    session: BeamerSession
    step: BeamerStep | None
    timer: Timer | None
    tables: list[TableName]
    contributions: list[BeamerContribution]
    summary: ScaleSummary | RankingSummary | None
    concealed: int
    board: BeamerBoard | None
    votes: BeamerVotes | None
    view: BeamerView


# ==== the facilitator's phone remote =======================================================================


class RemoteStep(TypedDict):
    workformat_name: str
    phase_title: str
    item_index: int
    items_count: int
    phase_index: int
    phases_count: int
    hidden_until_reveal: bool
    revealed: bool
    approve_first: bool


class RemoteState(TypedDict):
    """The whole state of a phone remote (session_state)."""

    role: Literal["remote"]
    session: ShortSession
    step: RemoteStep | None
    next: NextStep | None
    timer: Timer | None
    pending: list[Card]
    pending_count: int
    concealed: int


SessionState = HostState | ParticipantState | BeamerState | RemoteState

# ==== server -> client events ==============================================================================


class Nothing(TypedDict):
    """An event without fields (session_ended, storage_ok, remote_revoked)."""


class ContributionEvent(TypedDict):
    """contribution_added / contribution_updated to the table and listening inbrengers."""

    contribution: Contribution


class HostContributionEvent(TypedDict):
    contribution: HostContribution


class OwnContributionEvent(TypedDict):
    contribution: OwnContribution


class PhaseChanged(TypedDict):
    step: Step | None
    timer: Timer | None


class HostPhaseChanged(PhaseChanged):
    next: NextStep | None


class TimerChanged(TypedDict):
    timer: Timer | None


class TablesChanged(TypedDict):
    tables: list[TableName]


class RolesChanged(TypedDict):
    roles: list[RoleEntry]


class TableDraftChanged(TypedDict):
    draft: Draft


class VotesChanged(TypedDict):
    agenda_item: str
    tallies: dict[str, int]


class BoardChanged(TypedDict):
    board: Board


class PhoneBoard(TypedDict):
    agenda_item: str
    themes: list[ThemeChoice]


class PhoneBoardChanged(TypedDict):
    """board_changed to placing phones: only the themes' ids and names."""

    board: PhoneBoard


class PlacementsChanged(TypedDict):
    placements: dict[str, str]


class ClosingChanged(TypedDict):
    closing: bool


class MailOptinsChanged(TypedDict):
    count: int


class StorageWarning(TypedDict):
    message: str


class ProbeReached(TypedDict):
    probe: str
    via: str


class BeamerContributionEvent(TypedDict):
    contribution: BeamerContribution


class BeamerContributionRemoved(TypedDict):
    id: str


class BeamerBoardEvent(TypedDict):
    board: BeamerBoard


# ==== client -> server events and their acks ===============================================================
# Optional fields accept null as "not given" (as the handlers and services always did).


class SessionOnly(TypedDict):
    """A payload that names only the bijeenkomst."""

    session: str


class JoinSession(TypedDict):
    session: str
    role: Literal["host", "beamer", "remote", "participant"]
    token: NotRequired[str | None]


class SubmitContribution(TypedDict):
    session: str
    client_id: str
    text: NotRequired[str | None]
    kind: NotRequired[str | None]
    bucket: NotRequired[str | None]
    tags: NotRequired[list[str] | None]
    function: NotRequired[str | None]
    shared: NotRequired[bool | None]
    agenda_item: NotRequired[str | None]
    ranking: NotRequired[list[str] | None]
    owner: NotRequired[str | None]
    due: NotRequired[str | None]


class ChooseTable(TypedDict):
    session: str
    table: NotRequired[int | None]


class ClaimRole(TypedDict):
    session: str
    code: str


class SaveTableDraft(TypedDict):
    session: str
    kind: NotRequired[str | None]
    slot: int
    text: str
    base_version: int


class SubmitTableDrafts(TypedDict):
    session: str
    kind: NotRequired[str | None]


class SetContributionShared(TypedDict):
    session: str
    id: str
    shared: bool


class StarContribution(TypedDict):
    session: str
    id: str
    starred: bool


class CastVote(TypedDict):
    session: str
    target: str
    on: bool


class SetContributionHidden(TypedDict):
    session: str
    id: str
    hidden: bool


class MoveContribution(TypedDict):
    session: str
    id: str
    bucket: str | None


class GoToPhase(TypedDict):
    session: str
    item: int
    phase: int


class ControlTimer(TypedDict):
    session: str
    action: Literal["start", "pause", "add", "reset"]
    seconds: NotRequired[int | None]


class SetTables(TypedDict):
    session: str
    tables: list[str]


class AssignRole(TypedDict):
    session: str
    role: str
    number: int
    item: NotRequired[str | None]


class RoleTarget(TypedDict):
    """create_role_code / clear_role: a role, per table or item when it is played so."""

    session: str
    role: str
    table: NotRequired[int | None]
    item: NotRequired[str | None]


class EditBoard(TypedDict):
    """One facilitator action on a board; which fields it needs depends on `action` (see docs/events.md)."""

    session: str
    item: str
    action: Literal["move", "add_theme", "rename_theme", "accept_theme", "remove_theme", "merge_themes",
                    "split_theme", "reorder_themes", "undo", "set_rode_draad"]
    card: NotRequired[str]
    theme: NotRequired[str | None]
    before: NotRequired[str | None]
    name: NotRequired[str | None]
    cards: NotRequired[list[str] | None]
    into: NotRequired[str]
    order: NotRequired[list[str]]
    text: NotRequired[str]


class SuggestThemes(TypedDict):
    session: str
    item: str
    mode: Literal["suggest", "sort"]
    count: NotRequired[int | None]


class PlaceContribution(TypedDict):
    session: str
    id: str
    theme: NotRequired[str | None]
    new_theme: NotRequired[str | None]


class SetClosing(TypedDict):
    session: str
    closing: bool


class RequestVerslag(TypedDict):
    session: str
    email: str
    consent: bool


class ApproveContribution(TypedDict):
    session: str
    id: str
    approved: NotRequired[bool | None]


class ApproveAll(TypedDict):
    session: str
    item: NotRequired[str | None]


class SetBeamerView(TypedDict):
    session: str
    large: NotRequired[bool | None]
    qr: NotRequired[Literal["auto", "large", "small"] | None]


class Ok(TypedDict):
    """The ack of an event that answers nothing but success."""

    ok: Literal[True]


class JoinSessionAck(Ok):
    role: str


class IdAck(Ok):
    id: str


class TableAck(Ok):
    table: int | None


class ClaimRoleAck(Ok):
    roles: dict[str, str]
    table: int | None


class RolesAck(Ok):
    roles: dict[str, str]


class DraftAck(Ok):
    draft: Draft


class IdsAck(Ok):
    ids: list[str]


class SharedAck(Ok):
    id: str
    shared: bool


class StarredAck(Ok):
    id: str
    starred: bool


class VotesAck(Ok):
    votes: list[str]


class HiddenAck(Ok):
    id: str
    hidden: bool


class BucketAck(Ok):
    id: str
    bucket: str | None


class PhaseAck(Ok):
    item: int
    phase: int


class RunningAck(Ok):
    running: bool


class TablesAck(Ok):
    tables: list[TableName]


class CodeAck(Ok):
    code: str


class BoardAck(Ok):
    version: int
    theme: NotRequired[str]


class SuggestAck(Ok):
    version: int
    warning: str | None
    themes: int


class PlaceAck(Ok):
    id: str
    theme: str


class ClosingAck(Ok):
    closing: bool


class EmailAck(Ok):
    email: str


class ApprovedAck(Ok):
    id: str
    approved: bool


class BeamerViewAck(Ok):
    large: bool
    qr: str


class DraftVersion(TypedDict):
    text: str
    version: int


class ErrorBody(TypedDict):
    code: str
    message: str
    field: NotRequired[str]
    current: NotRequired[DraftVersion]


class AckError(TypedDict):
    """The ack of every event that failed: `message` in the client's language."""

    ok: Literal[False]
    error: ErrorBody


# ==== the catalogue, typed ================================================================================

#: Each event a page sends: the payload it sends and the ack it gets when it worked (else an AckError).
CLIENT_PAYLOADS: dict[str, tuple[type[Any], type[Any]]] = {
    ev.JOIN_SESSION: (JoinSession, JoinSessionAck),
    ev.SUBMIT_CONTRIBUTION: (SubmitContribution, IdAck),
    ev.CHOOSE_TABLE: (ChooseTable, TableAck),
    ev.CLAIM_ROLE: (ClaimRole, ClaimRoleAck),
    ev.CLAIM_SPOKESPERSON: (SessionOnly, RolesAck),
    ev.SAVE_TABLE_DRAFT: (SaveTableDraft, DraftAck),
    ev.SUBMIT_TABLE_DRAFTS: (SubmitTableDrafts, IdsAck),
    ev.SET_CONTRIBUTION_SHARED: (SetContributionShared, SharedAck),
    ev.STAR_CONTRIBUTION: (StarContribution, StarredAck),
    ev.CAST_VOTE: (CastVote, VotesAck),
    ev.SET_CONTRIBUTION_HIDDEN: (SetContributionHidden, HiddenAck),
    ev.MOVE_CONTRIBUTION: (MoveContribution, BucketAck),
    ev.ADVANCE_PHASE: (SessionOnly, PhaseAck),
    ev.PREVIOUS_PHASE: (SessionOnly, PhaseAck),
    ev.GO_TO_PHASE: (GoToPhase, PhaseAck),
    ev.CONTROL_TIMER: (ControlTimer, RunningAck),
    ev.REVEAL_PHASE: (SessionOnly, Ok),
    ev.SET_TABLES: (SetTables, TablesAck),
    ev.ASSIGN_ROLE: (AssignRole, Ok),
    ev.CREATE_ROLE_CODE: (RoleTarget, CodeAck),
    ev.CLEAR_ROLE: (RoleTarget, Ok),
    ev.EDIT_BOARD: (EditBoard, BoardAck),
    ev.SUGGEST_THEMES: (SuggestThemes, SuggestAck),
    ev.PLACE_CONTRIBUTION: (PlaceContribution, PlaceAck),
    ev.SET_CLOSING: (SetClosing, ClosingAck),
    ev.REQUEST_VERSLAG: (RequestVerslag, EmailAck),
    ev.WITHDRAW_VERSLAG_REQUEST: (SessionOnly, Ok),
    ev.APPROVE_CONTRIBUTION: (ApproveContribution, ApprovedAck),
    ev.APPROVE_ALL: (ApproveAll, IdsAck),
    ev.SET_BEAMER_VIEW: (SetBeamerView, BeamerViewAck),
}

#: Each event the server sends, with the shapes it comes in (one per kind of screen where they differ).
SERVER_PAYLOADS: dict[str, tuple[type[Any], ...]] = {
    ev.SESSION_STATE: (HostState, ParticipantState, BeamerState, RemoteState),
    ev.CONTRIBUTION_ADDED: (HostContributionEvent, OwnContributionEvent, ContributionEvent),
    ev.CONTRIBUTION_UPDATED: (HostContributionEvent, OwnContributionEvent, ContributionEvent),
    ev.PARTICIPANTS_CHANGED: (ParticipantCounts,),
    ev.PHASE_CHANGED: (HostPhaseChanged, PhaseChanged),
    ev.TIMER_CHANGED: (TimerChanged,),
    ev.TABLES_CHANGED: (TablesChanged,),
    ev.ROLES_CHANGED: (RolesChanged,),
    ev.TABLE_DRAFT_CHANGED: (TableDraftChanged,),
    ev.VOTES_CHANGED: (VotesChanged,),
    ev.BOARD_CHANGED: (BoardChanged, PhoneBoardChanged),
    ev.PLACEMENTS_CHANGED: (PlacementsChanged,),
    ev.CLOSING_CHANGED: (ClosingChanged,),
    ev.MAIL_OPTINS_CHANGED: (MailOptinsChanged,),
    ev.SESSION_ENDED: (Nothing,),
    ev.STORAGE_WARNING: (StorageWarning,),
    ev.STORAGE_OK: (Nothing,),
    ev.PROBE_REACHED: (ProbeReached,),
    ev.BEAMER_CONTRIBUTION: (BeamerContributionEvent,),
    ev.BEAMER_CONTRIBUTION_REMOVED: (BeamerContributionRemoved,),
    ev.BEAMER_BOARD: (BeamerBoardEvent,),
    ev.BEAMER_VIEW_CHANGED: (BeamerView,),
    ev.REMOTE_REVOKED: (Nothing,),
}

# ==== checking what a page sent ============================================================================

Payload = TypeVar("Payload")


def session_of(payload: object) -> str:
    """Return the bijeenkomst a page's payload names (so the caller can be checked before its fields are)."""
    return require_session_id(require_mapping(payload))


def received(payload: object, shape: type[Payload]) -> tuple[str, Payload]:
    """Return the bijeenkomst a page's untrusted payload names and the payload as its TypedDict, once each field it
    declares has its declared JSON type (null for an optional field means not given); refuse it with InvalidInput
    naming the first wrong field. The use cases still check what types cannot say (patterns, lengths, ranges)."""
    data = require_mapping(payload)
    session_id = require_session_id(data)  # first, so an unknown bijeenkomst says so whatever else is wrong
    hints = get_type_hints(shape)
    required: frozenset[str] = getattr(shape, "__required_keys__", frozenset())
    for name, hint in hints.items():
        if name not in data:
            if name in required:
                raise InvalidInput(f"{name}: missing", field=name)
            continue
        if not fits(data[name], hint):
            raise InvalidInput(f"{name}: must be {describe(hint)}", field=name)
    return session_id, cast(Payload, data)  # checked field by field above


def fits(value: object, hint: Any) -> bool:
    """Tell whether a JSON value has a type hint's shape (str, int, bool, None, Literal, list[...], a union)."""
    origin = get_origin(hint)
    if hint is type(None) or hint is None:
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if origin is Literal:
        return any(type(value) is type(option) and value == option for option in get_args(hint))
    if origin is list:
        (item,) = get_args(hint)
        return isinstance(value, list) and all(fits(v, item) for v in value)
    if origin in (Union, _UnionType) or origin is NotRequired:
        return any(fits(value, option) for option in get_args(hint))
    raise TypeError(f"no check for {hint!r}")  # a new kind of field: teach fits() rather than let it through


def describe(hint: Any) -> str:
    """Say what a field must be, in the words of the error message."""
    options = get_args(hint) if get_origin(hint) in (Union, _UnionType) else (hint,)
    return " or ".join(sorted({_WORDS.get(get_origin(option) or option, "a value") for option in options}))


_UnionType = type(int | None)
_WORDS: Mapping[Any, str] = {str: "a string", int: "a whole number", bool: "true or false", list: "a list",
                             type(None): "null", Literal: "one of the allowed values"}
