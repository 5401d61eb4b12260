"""Errors the core raises; each has a stable code that the edges translate for people."""


class FacilitatorError(Exception):
    """Base of every expected error; `code` is stable, `detail` is for logs only."""

    code = "error"

    def __init__(self, detail: str = "", **params: object) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.params = params


class InvalidInput(FacilitatorError):
    """A payload field has the wrong type or shape."""

    code = "invalid_input"


class TextEmpty(FacilitatorError):
    """A text was empty after trimming."""

    code = "text_empty"


class TextTooLong(FacilitatorError):
    """A text is longer than its kind allows."""

    code = "text_too_long"


class SessionNotFound(FacilitatorError):
    """No bijeenkomst with that id or join code."""

    code = "session_not_found"


class NotJoined(FacilitatorError):
    """The caller has no valid participant token for this bijeenkomst."""

    code = "not_joined"


class NotAuthorised(FacilitatorError):
    """The caller lacks the facilitator's token."""

    code = "not_authorised"


class ContributionNotFound(FacilitatorError):
    """No contribution with that id in this bijeenkomst."""

    code = "contribution_not_found"


class DuplicateId(FacilitatorError):
    """A client id is already used by someone else."""

    code = "duplicate_id"


class PhaseNotOpen(FacilitatorError):
    """The current phase does not accept this kind of submission."""

    code = "phase_not_open"


class LimitReached(FacilitatorError):
    """The participant already submitted as many items as the kind allows."""

    code = "limit_reached"


class StorageFailed(FacilitatorError):
    """The data could not be stored durably; nothing was acknowledged."""

    code = "storage_failed"


class InvalidWorkFormat(FacilitatorError):
    """A werkvorm definition is broken; `detail` names the field."""

    code = "invalid_workformat"


class NoTable(FacilitatorError):
    """The participant must pick a table before doing this."""

    code = "no_table"


class NotYourRole(FacilitatorError):
    """Only another role may do this now (e.g. only the spokesperson submits the advice)."""

    code = "not_your_role"


class RoleCodeInvalid(FacilitatorError):
    """The one-time role code is unknown or already used."""

    code = "role_code_invalid"


class DraftConflict(FacilitatorError):
    """Someone else changed the table's draft first; `params` carry the current text and version."""

    code = "draft_conflict"


class EditConflict(FacilitatorError):
    """What the facilitator edited was changed elsewhere since the form was opened; saving would overwrite that."""

    code = "edit_conflict"


class InvalidFile(FacilitatorError):
    """An imported file is not a Rode Draad export, or is broken; `detail` names what is wrong."""

    code = "invalid_file"


class NotFound(FacilitatorError):
    """No such agenda item, table, library entry or vote target."""

    code = "not_found"


class UnstorableText(FacilitatorError):
    """Text or a structure the bijeenkomst's file cannot hold (half a UTF-16 pair, too deep); nothing changed."""

    code = "unstorable_text"


class StaleVersion(FacilitatorError):
    """A stored document changed since it was read; the use case runs again on the new version."""

    code = "stale"


class StaleBoard(StaleVersion):
    """The board changed while a change to it was being made; the service tries again on the new version."""

    code = "stale_board"


class MailNotConfigured(FacilitatorError):
    """No mailserver is set up, or a mail setting is wrong; `detail` names the setting."""

    code = "mail_not_configured"


class MailFailed(FacilitatorError):
    """Sending a mail failed; `params["reason"]` says where (connect, tls, auth, recipient, sender, server, …)."""

    code = "mail_failed"


class PdfFailed(FacilitatorError):
    """Printing a pdf failed; `params["reason"]` says why (no_chromium, exit, timeout, no_output)."""

    code = "pdf_failed"
