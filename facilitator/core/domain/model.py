"""The bijeenkomst aggregate and its parts, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from facilitator.core.domain.workformat import N_

SCHEMA_VERSION = 1


class Perspective(StrEnum):
    """The optional perspective a participant speaks from."""

    OUDER = "ouder"
    ZORG = "zorg"
    ONDERWIJS = "onderwijs"
    ERVARINGSDESKUNDIGE = "ervaringsdeskundige"
    ANDERS = "anders"


@dataclass(frozen=True)
class PerspectiveOption:
    """A perspective participants of one bijeenkomst may pick: its id (stored with them) and its Dutch words."""

    id: str
    #: "ouder": one person ("1 ouder"), also the choice on the join page.
    singular: str
    #: "ouders": several people ("3 ouders").
    plural: str


#: Today's five, with the words the verslag always used; a bijeenkomst stored without its own list gets these.
DEFAULT_PERSPECTIVES: tuple[PerspectiveOption, ...] = (
    PerspectiveOption(Perspective.OUDER.value, "ouder", "ouders"),
    PerspectiveOption(Perspective.ZORG.value, "zorgprofessional", "zorgprofessionals"),
    PerspectiveOption(Perspective.ONDERWIJS.value, "onderwijsprofessional", "onderwijsprofessionals"),
    PerspectiveOption(Perspective.ERVARINGSDESKUNDIGE.value, "ervaringsdeskundige", "ervaringsdeskundigen"),
    PerspectiveOption(Perspective.ANDERS.value, "deelnemer met een ander perspectief",
                      "deelnemers met een ander perspectief"),
)


@dataclass(frozen=True)
class AgendaItem:
    """One werkvorm on the agenda, with the facilitator's settings for it."""

    id: str
    workformat_id: str
    #: Overrides of the werkvorm's defaults, e.g. {"prompt": "Wat zou Sammy willen?"}.
    settings: dict[str, Any] = field(default_factory=dict)
    #: The facilitator's own notes for this item, typed on the regie; only the regie ever gets them (never a phone,
    #: the beamer or the verslag).
    notes: str = ""


@dataclass(frozen=True)
class Table:
    """A table in the room; participants sit at one, tables submit advices."""

    number: int
    name: str = ""

    def label(self) -> str:
        """Return the name, or the number when the host gave no name."""
        return self.name or str(self.number)


@dataclass(frozen=True)
class RoleAssignment:
    """A role in one agenda item (the inbrenger, a table's spokesperson), for the room or one table."""

    agenda_item_id: str
    role: str
    #: None: the whole room (one inbrenger for everyone).
    table: int | None = None
    participant_id: str | None = None
    #: One-time code the host reads out; whoever types it takes the role. Cleared once used.
    claim_code: str | None = None


@dataclass(frozen=True)
class Timer:
    """The phase timer; times are the server's clock, phones get the remaining seconds."""

    duration: float
    started_at: float | None = None
    #: Seconds that ran before the last pause.
    elapsed: float = 0.0

    @property
    def running(self) -> bool:
        """Tell whether the timer is counting down."""
        return self.started_at is not None

    def remaining(self, now: float) -> float:
        """Return the seconds left (negative once over time)."""
        ran = self.elapsed + (now - self.started_at if self.started_at is not None else 0.0)
        return self.duration - ran


@dataclass(frozen=True)
class WorkshopSession:
    """A bijeenkomst: what the room is doing now and who runs it."""

    id: str
    title: str
    date: str  # ISO date, yyyy-mm-dd
    join_code: str
    created_at: float
    series: str = ""
    motto: str = ""
    organisers: str = ""
    agenda: tuple[AgendaItem, ...] = ()
    current_item: int = 0
    current_phase: int = 0
    tables: tuple[Table, ...] = ()
    roles: tuple[RoleAssignment, ...] = ()
    timer: Timer | None = None
    #: "<agenda item id>:<phase id>" of hidden-until-reveal phases the facilitator revealed.
    revealed: tuple[str, ...] = ()
    #: The bijeenkomst this one was copied from, for the terugblik.
    copied_from: str = ""
    #: The series record (motto, organisers, recaps) this bijeenkomst belongs to; "" for a one-off.
    series_id: str = ""
    #: Which bijeenkomst of the series this is (2 = "de tweede dialoogsessie"); 0 when not counted.
    ordinal: int = 0
    #: This afternoon's own theme within the series, e.g. "ouderperspectief".
    theme: str = ""
    #: The language the room's pages open in ("nl" or "en"), chosen by the facilitator; each person can switch.
    language: str = "nl"
    #: Days the bijeenkomst is kept after its date or its last stored change, whichever is later (see
    #: services/retention.py: deleting takes two starts of the server and a notice in between).
    retention_days: int = 30
    #: The facilitator is closing: phones offer to send the verslag to an address given with opt-in.
    closing: bool = False
    #: The beamer shows a contribution's table or perspective only where at least this many participants share
    #: it, so that "Tafel Maan · ouder" never points at the one parent at that table.
    privacy_threshold: int = 3
    #: The beamer's large-type mode, for big rooms (the regie switches it; every beamer window follows).
    beamer_large: bool = False
    #: The beamer's join QR code: "auto" (large until the first contributions show, then a corner), "large", "small".
    beamer_qr: str = "auto"
    #: SHA-256 of the facilitator's phone remote token (see services/remote.py); "" when none was made or after
    #: revoking. It grants only the remote's few controls for this bijeenkomst, never its pages or data.
    remote_token_hash: str = ""
    #: First names the facilitator marked as fictional (a casus' invented people): the verslag's personal-data
    #: check no longer flags them in this bijeenkomst; other bijeenkomsten still do.
    fictional_names: tuple[str, ...] = ()
    #: The perspectives participants may pick, in the facilitator's order (see services/perspectives.py).
    perspectives: tuple[PerspectiveOption, ...] = DEFAULT_PERSPECTIVES
    #: Grows with every stored change; a save based on an older version is refused (see StaleVersion).
    version: int = 0
    schema_version: int = SCHEMA_VERSION

    def perspective(self, perspective_id: str) -> PerspectiveOption | None:
        """Return one of the perspectives participants may pick, by id."""
        return next((p for p in self.perspectives if p.id == perspective_id), None)

    def current_agenda_item(self) -> AgendaItem | None:
        """Return the agenda item the room is on, if any."""
        if 0 <= self.current_item < len(self.agenda):
            return self.agenda[self.current_item]
        return None

    def agenda_item(self, item_id: str) -> AgendaItem | None:
        """Return an agenda item by id."""
        return next((item for item in self.agenda if item.id == item_id), None)

    def table(self, number: int) -> Table | None:
        """Return a table by number."""
        return next((t for t in self.tables if t.number == number), None)

    def is_revealed(self, agenda_item_id: str, phase_id: str) -> bool:
        """Tell whether the facilitator revealed a hidden-until-reveal phase."""
        return f"{agenda_item_id}:{phase_id}" in self.revealed


@dataclass(frozen=True)
class Participant:
    """An anonymous phone; only a hash of its token is kept."""

    id: str
    token_hash: str
    joined_at: float
    table: int | None = None
    #: A PerspectiveOption id of the bijeenkomst (once picked, it stays valid even if renamed).
    perspective: str | None = None
    #: Order of joining, shown on the phone ("jouw nummer") so the host can give it a role.
    number: int = 0


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
    #: A PerspectiveOption id of the bijeenkomst (once picked, it stays valid even if renamed).
    perspective: str | None = None
    hidden: bool = False
    #: The bucket it is sorted in (e.g. a buffer); the facilitator may move it.
    bucket: str | None = None
    #: Chosen tag option ids, one per tag group of its kind (e.g. "mens", "geven").
    tags: tuple[str, ...] = ()
    #: The author's function, for kinds that ask for it ("vanuit jouw functie").
    function: str = ""
    #: False for a private kind until its author shares it.
    shared: bool = True
    #: The inbrenger marked it as resonating.
    starred: bool = False
    #: The slot of a table-scope item (1..per_table).
    slot: int | None = None
    #: The facilitator approved it for the beamer; counts only where its agenda item asks to approve first.
    approved: bool = False
    #: Grows with every stored change; a change based on an older version is refused (see StaleVersion).
    version: int = 0
    #: A ranking answer: the option ids of its kind's ranked tag group, first place first.
    ranking: tuple[str, ...] = ()
    #: An afspraak (action answer): who takes it on, and by when (free text such as "maart 2027").
    owner: str = ""
    due: str = ""

    def with_hidden(self, hidden: bool) -> Contribution:
        """Return a copy with the hidden flag set."""
        return replace(self, hidden=hidden)


@dataclass(frozen=True)
class TableDraft:
    """The text a table is writing together in one slot; `version` detects concurrent edits."""

    agenda_item_id: str
    kind: str
    table: int
    slot: int
    text: str = ""
    version: int = 0
    updated_at: float = 0.0
    #: Set once the spokesperson submitted this slot; later edits make it a draft again.
    submitted_version: int = 0


@dataclass(frozen=True)
class Vote:
    """A fact: one participant put a dot on one target in one agenda item; tallies are counted from these."""

    participant_id: str
    agenda_item_id: str
    target: str
    created_at: float
    #: False once the participant took the dot back; the fact stays, it no longer counts.
    active: bool = True


@dataclass(frozen=True)
class LibraryEntry:
    """A configured werkvorm saved for reuse: the werkvorm it adapts and the facilitator's settings."""

    id: str
    name: str
    workformat_id: str
    settings: dict[str, Any]
    created_at: float
    schema_version: int = SCHEMA_VERSION


@dataclass(frozen=True)
class Organiser:
    """An organiser's contact block, stored once per series and printed at the end of each verslag."""

    name: str
    function: str = ""
    organisation: str = ""
    phone: str = ""
    email: str = ""


#: What became of an afspraak, as the facilitator notes it at the next bijeenkomst's terugblik (first: new).
AFSPRAAK_STATUSES = (("open", N_("Open")), ("loopt", N_("Loopt")), ("gedaan", N_("Gedaan")),
                     ("vervallen", N_("Vervallen")))


@dataclass(frozen=True)
class Afspraak:
    """An action point a bijeenkomst made (an "action" answer), kept in its recap for the next terugblik."""

    #: The contribution's id: stable, so a recap made again keeps the status the facilitator gave it.
    id: str
    wat: str
    wie: str = ""
    #: A level option id of the tag group "niveau" (bestuur, beleid, uitvoering), "" when none was chosen.
    niveau: str = ""
    wanneer: str = ""
    status: str = "open"
    #: The facilitator's short note on the status ("half af, na de zomer verder").
    note: str = ""


@dataclass(frozen=True)
class SeriesRecap:
    """What one bijeenkomst of a series published as its rode draden; outlives the bijeenkomst for the terugblik."""

    session_id: str
    title: str
    date: str
    ordinal: int = 0
    rode_draden: tuple[str, ...] = ()
    rode_draad: str = ""
    questions: tuple[str, ...] = ()
    #: The facilitator chose to keep it when its bijeenkomst was deleted; otherwise it goes with the bijeenkomst.
    kept: bool = False
    #: The afspraken the bijeenkomst made (never a hidden one), with the status the next bijeenkomst gave them.
    afspraken: tuple[Afspraak, ...] = ()


@dataclass(frozen=True)
class Series:
    """A series of bijeenkomsten: its name, motto and organisers, stored once apart from any bijeenkomst."""

    id: str
    name: str
    created_at: float
    motto: str = ""
    organisers: tuple[Organiser, ...] = ()
    #: Recaps of published verslagen, oldest first: theme names the facilitator accepted, never raw text.
    recaps: tuple[SeriesRecap, ...] = ()
    #: Grows with every stored change; a save based on an older version is refused (see StaleVersion).
    version: int = 0
    schema_version: int = SCHEMA_VERSION

    def recap(self, session_id: str) -> SeriesRecap | None:
        """Return the recap of one bijeenkomst, if it was published."""
        return next((r for r in self.recaps if r.session_id == session_id), None)


@dataclass(frozen=True)
class PurgeNotice:
    """A bijeenkomst whose retention period ran out, announced at a start; a later start deletes it once the
    facilitator saw the announcement in the host view or confirmed it."""

    session_id: str
    announced_at: float
    #: When a host page first showed the announcement; 0 until then.
    shown_at: float = 0.0
    #: The facilitator agreed on the dashboard.
    confirmed: bool = False
    #: Keep the bijeenkomst's recap in its series (accepted theme names only) when it is deleted.
    keep_recap: bool = False


@dataclass(frozen=True)
class MailOptIn:
    """A participant asked for the verslag at this address; deleted with the bijeenkomst."""

    participant_id: str
    email: str
    created_at: float


@dataclass(frozen=True)
class MailLogEntry:
    """One send attempt: to whom, when, how it went; never the content."""

    recipient: str
    at: float
    #: "verslag" or "test".
    kind: str
    #: "sent" or "failed".
    status: str
    #: Why it failed (MailFailed's reason), "" when sent.
    reason: str = ""
