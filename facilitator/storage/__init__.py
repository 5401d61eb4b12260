"""The repository protocol; implementations live beside it (memory for tests, TinyDB by default)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from facilitator.core.domain import (
    Board,
    Contribution,
    LibraryEntry,
    MailLogEntry,
    MailOptIn,
    Participant,
    PurgeNotice,
    Series,
    TableDraft,
    Vote,
    WorkshopSession,
)
from facilitator.core.domain.verdichting import Verdichting


class SessionRepository(Protocol):
    """Where bijeenkomsten live. Every mutating call returns only once its data is durable.

    A change is either durable or not made at all: a failed write raises StorageFailed and leaves
    memory as the disk has it; text the file cannot hold raises UnstorableText before anything
    changes. Documents that are read, changed and written back carry a version, and a save based on
    an older version raises StaleVersion (the use case runs again on the new one), so no change can
    silently undo another.
    """

    def add_session(self, session: WorkshopSession) -> None:
        """Store a new bijeenkomst."""

    def save_session(self, session: WorkshopSession) -> WorkshopSession:
        """Store a change made on the stored version; return it with its new version; raise StaleVersion else."""

    def get_session(self, session_id: str) -> WorkshopSession:
        """Return a bijeenkomst; raise SessionNotFound."""

    def find_by_join_code(self, join_code: str) -> WorkshopSession:
        """Return the bijeenkomst with this join code; raise SessionNotFound."""

    def list_sessions(self) -> list[WorkshopSession]:
        """Return every bijeenkomst, newest first."""

    def delete_session(self, session_id: str) -> None:
        """Remove a bijeenkomst and everything in it, for real."""

    def last_change(self, session_id: str) -> float:
        """Return when anything of a bijeenkomst was last stored (seconds since the epoch), also across restarts."""

    def add_participant(self, session_id: str, participant: Participant) -> int:
        """Store a participant; return how many have joined."""

    def participant_by_token_hash(self, session_id: str, token_hash: str) -> Participant | None:
        """Return the participant holding a token, if any."""

    def count_participants(self, session_id: str) -> int:
        """Return how many participants have joined."""

    def add_contribution(self, session_id: str, contribution: Contribution) -> tuple[Contribution, bool]:
        """Store a contribution unless its id exists; return the stored one and whether it is new.

        New means acknowledged for the first time: a resend after a failed store counts as new.
        """

    def count_contributions(self, session_id: str, participant_id: str, agenda_item_id: str, kind: str) -> int:
        """Return how many items of a kind one participant sent for one agenda item."""

    def get_contribution(self, session_id: str, contribution_id: str) -> Contribution | None:
        """Return a contribution by id, if any."""

    def list_contributions(self, session_id: str) -> list[Contribution]:
        """Return the contributions in the order they arrived."""

    def update_contribution(self, session_id: str, contribution: Contribution) -> Contribution:
        """Store a change made on the stored version; return it with its new version; raise StaleVersion else."""

    def move_participant(self, session_id: str, participant_id: str, table: int | None) -> Participant:
        """Seat a stored participant at a table (only that field changes); return the participant."""

    def list_participants(self, session_id: str) -> list[Participant]:
        """Return every participant in the order they joined."""

    def participant_tables(self, session_id: str) -> dict[str, int | None]:
        """Return each participant's table by participant id (cheap: the host's counts need it on every join)."""

    def save_draft(self, session_id: str, draft: TableDraft) -> None:
        """Store a table's draft: a new text one version past the stored one, or the stored text marked
        submitted; raise StaleVersion else."""

    def get_draft(self, session_id: str, agenda_item_id: str, kind: str, table: int, slot: int) -> TableDraft | None:
        """Return a table's draft for one slot, if any."""

    def list_drafts(self, session_id: str) -> list[TableDraft]:
        """Return every table draft of a bijeenkomst."""

    def put_vote(self, session_id: str, vote: Vote) -> bool:
        """Store a vote fact keyed by (participant, agenda item, target); return whether anything changed."""

    def list_votes(self, session_id: str) -> list[Vote]:
        """Return every vote fact, active or taken back."""

    def get_board(self, session_id: str, agenda_item_id: str) -> Board | None:
        """Return the rode-draden board of an agenda item, if one was made."""

    def save_board(self, session_id: str, board: Board) -> None:
        """Store a board whose version is one past the stored one (or 1 for a new board); raise StaleBoard else."""

    def list_boards(self, session_id: str) -> list[Board]:
        """Return every board of a bijeenkomst."""

    def get_verdichting(self, session_id: str, agenda_item_id: str) -> Verdichting | None:
        """Return the facilitator's review of an agenda item's condensed statements, if any."""

    def save_verdichting(self, session_id: str, verdichting: Verdichting) -> None:
        """Store a review whose version is one past the stored one (1 for a new one); raise StaleVersion else."""

    def get_report_edits(self, session_id: str) -> dict[str, Any]:
        """Return the facilitator's edits of the verslag (empty when none)."""

    def change_report_edits(
        self, session_id: str, change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> dict[str, Any]:
        """Apply a pure change to the stored edits as one step, durably; return the edits now stored."""

    def put_mail_optin(self, session_id: str, optin: MailOptIn) -> None:
        """Store a participant's request for the verslag, replacing an earlier address of the same participant."""

    def remove_mail_optin(self, session_id: str, participant_id: str) -> bool:
        """Forget a participant's request; return whether there was one."""

    def list_mail_optins(self, session_id: str) -> list[MailOptIn]:
        """Return every request for the verslag, oldest first."""

    def add_mail_log(self, session_id: str, entry: MailLogEntry) -> None:
        """Append one send attempt to the send log."""

    def list_mail_log(self, session_id: str) -> list[MailLogEntry]:
        """Return the send log, oldest first."""

    def watch_storage(self, listener: Callable[[str, bool], None]) -> None:
        """Call listener(session id, ok) when a write fails, and once when a write works again after that."""


class LibraryRepository(Protocol):
    """The facilitator's saved werkvormen, kept apart from any bijeenkomst."""

    def save_entry(self, entry: LibraryEntry) -> None:
        """Store or replace a library entry."""

    def get_entry(self, entry_id: str) -> LibraryEntry:
        """Return an entry; raise NotFound."""

    def list_entries(self) -> list[LibraryEntry]:
        """Return every entry, newest first."""

    def delete_entry(self, entry_id: str) -> None:
        """Remove an entry; raise NotFound."""


class SeriesRepository(Protocol):
    """Series of bijeenkomsten (motto, organisers, published recaps), kept apart from any bijeenkomst."""

    def save_series(self, series: Series) -> Series:
        """Store a change made on the stored version (or a new series); return it with its new version."""

    def get_series(self, series_id: str) -> Series:
        """Return a series; raise NotFound."""

    def list_series(self) -> list[Series]:
        """Return every series, by name."""


class NoticeRepository(Protocol):
    """Bijeenkomsten announced for deletion (retention ran out), kept apart from every bijeenkomst."""

    def list_notices(self) -> list[PurgeNotice]:
        """Return every notice, oldest first."""

    def save_notice(self, notice: PurgeNotice) -> None:
        """Store or replace the notice of one bijeenkomst."""

    def remove_notice(self, session_id: str) -> None:
        """Forget the notice of one bijeenkomst, if there is one."""
