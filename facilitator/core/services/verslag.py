"""Use cases of the verslag: gather what a bijeenkomst yielded, keep the facilitator's edits, the raw CSV rows,
the privacy check, and who asked for the verslag by e-mail."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from facilitator.core.clustering.condense import condense
from facilitator.core.domain import (
    N_,
    Contribution,
    DomainEvent,
    FacilitatorError,
    InvalidInput,
    MailLogEntry,
    MailOptIn,
    Participant,
    WorkFormat,
    WorkshopSession,
)
from facilitator.core.domain.events import MailOptInsChanged, SessionClosingChanged, SessionDeleted
from facilitator.core.domain.text import showable
from facilitator.core.registry import WorkFormatRegistry
from facilitator.core.services.agenda import is_concealed
from facilitator.core.services.base import Clock, configured_workformat, retried
from facilitator.core.services.board import Translate, as_written, provenance, public_themes
from facilitator.core.services.series import previous_in_series, series_of, settle_recap
from facilitator.core.services.verdichten import condensable, item_statements
from facilitator.core.services.votes import tallies, vote_targets
from facilitator.storage import NoticeRepository, SeriesRepository, SessionRepository
from facilitator.verslag.build import (
    DutchSource,
    ItemMaterial,
    ReportMaterial,
    ThemeMaterial,
    Translator,
    attendance,
    build_report,
    card_of,
    perspective_label,
    report_texts,
)
from facilitator.verslag.edits import merge_edits
from facilitator.verslag.mail import is_valid_address, normalise_address
from facilitator.verslag.model import Report
from facilitator.verslag.privacy import find_personal_data

CSV_HEADER = (
    N_("Onderdeel"), N_("Fase"), N_("Soort"), N_("Tekst"), N_("Groep"), N_("Labels"), N_("Tafel"),
    N_("Perspectief"), N_("Functie"), N_("Tijd"),
    # Every dimension of a structured answer in its own column, empty where it does not apply, appended so that a
    # sheet built on the first ten columns keeps working.
    N_("Rij"), N_("Kolom"), N_("Schaalpunt"), N_("Rangorde"), N_("Wie"), N_("Niveau"), N_("Wanneer"),
)
#: Between the options of a ranking in one cell: first place first.
RANKING_SEPARATOR = " > "


def publishable(session: WorkshopSession, registry: WorkFormatRegistry, contributions: Sequence[Contribution]
                ) -> list[Contribution]:
    """Return what may leave the laptop: not hidden, shared by its author, revealed."""
    items = {item.id: item for item in session.agenda}
    shown = []
    for c in contributions:
        item = items.get(c.agenda_item_id)
        if item is None or c.hidden or not c.shared:
            continue
        if not is_concealed(session, configured_workformat(registry, item), c):
            shown.append(c)
    return shown


def report_material(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    series_repo: SeriesRepository,
    session_id: str,
    *,
    locale: str = "nl",
    translate: Translate = as_written,
) -> ReportMaterial:
    """Gather what the verslag is built from; hidden and private contributions never enter it, nor a theme name
    the facilitator has not accepted (that theme is "Thema 3" until then)."""
    session = repo.get_session(session_id)
    contributions = publishable(session, registry, repo.list_contributions(session_id))
    by_id = {c.id: c for c in contributions}
    boards = {b.agenda_item_id: b for b in repo.list_boards(session_id)}
    items = []
    for item in session.agenda:
        board = boards.get(item.id)
        themes = []
        for theme, name in public_themes(board, translate) if board else ():
            cards = [by_id[c] for c in theme.cards if c in by_id]
            origin = provenance(session, cards)
            themes.append(ThemeMaterial(id=theme.id, name=name,
                                        perspectives=tuple(origin["perspectives"].items()),
                                        tables=tuple(origin["tables"]),
                                        statements=condense([card_of(c) for c in cards])))
        # The configured werkvorm, so a composed item's phases, kinds and sections are the ones it runs with.
        workformat = configured_workformat(registry, item)
        tally: tuple[tuple[str, int], ...] = ()
        if workformat.can("votes"):
            texts = {t["id"]: t["text"] for t in vote_targets(repo, registry, session, item, translate)}
            counted = tallies(repo, session_id, item.id)
            tally = tuple(sorted(((texts[k], n) for k, n in counted.items() if k in texts and n),
                                 key=lambda tn: (-tn[1], tn[0])))
        statements = (item_statements(repo, registry, session, item, contributions).groups
                      if condensable(workformat) else None)
        items.append(ItemMaterial(
            item=item,
            workformat=workformat,
            statements=statements,
            contributions=tuple(c for c in contributions if c.agenda_item_id == item.id),
            themes=tuple(t for t in themes if t.name),
            rode_draad=board.rode_draad.strip() if board else "",
            tally=tally,
        ))
    return ReportMaterial(
        session=session,
        items=tuple(items),
        series=series_of(series_repo, session),
        attendance=attendance([p.perspective for p in repo.list_participants(session_id)]),
        previous=previous_in_series(repo, series_repo, session, locale=locale, registry=registry),
        locale=locale,
        appendix=bool(repo.get_report_edits(session_id).get("appendix")),
    )


def verslag(
    repo: SessionRepository,
    registry: WorkFormatRegistry,
    series_repo: SeriesRepository,
    session_id: str,
    *,
    translator: Translator | None = None,
    locale: str = "nl",
) -> Report:
    """Return the verslag of a bijeenkomst with the facilitator's stored edits."""
    material = report_material(repo, registry, series_repo, session_id, locale=locale,
                               translate=translator.gettext if translator else as_written)
    return build_report(material, repo.get_report_edits(session_id), translator)


def edit_verslag(repo: SessionRepository, session_id: str, changes: object) -> dict[str, Any]:
    """Check and store edits of the verslag; return all stored edits."""
    if not isinstance(changes, Mapping):
        raise InvalidInput("edits: an object of parts", field="edits")
    # One step in the store: two screens editing different parts at once keep both.
    return repo.change_report_edits(session_id, lambda stored: merge_edits(stored, changes))


def privacy_findings(
    report: Report, *, today: dt.date | None = None, fictional: Sequence[str] = ()
) -> list[dict[str, str]]:
    """Return every likely piece of personal data in the verslag: where, what kind, the text; first names the
    facilitator marked as fictional for this bijeenkomst are left out."""
    found = []
    for where, text in report_texts(report):
        for finding in find_personal_data(text, today=today, fictional=fictional):
            found.append({"where": where, "kind": finding.kind, "text": finding.text})
    return found


#: Longest text that can be marked as a fictional name, and how many one bijeenkomst keeps.
FICTIONAL_NAME_MAX, FICTIONAL_NAMES_MAX = 60, 100


@retried
def mark_fictional_name(
    repo: SessionRepository, session_id: str, name: object, fictional: object = True
) -> tuple[WorkshopSession, list[DomainEvent]]:
    """Mark a flagged first name as fictional for this bijeenkomst (or, with fictional=False, as real again)."""
    if not isinstance(fictional, bool):
        raise InvalidInput("fictional: must be true or false", field="fictional")
    if not isinstance(name, str):
        raise InvalidInput("name: must be a text", field="name")
    cleaned = " ".join(showable(name, "name").split())
    if not cleaned or len(cleaned) > FICTIONAL_NAME_MAX:
        raise InvalidInput(f"name: 1 to {FICTIONAL_NAME_MAX} characters", field="name")
    session = repo.get_session(session_id)
    kept = tuple(n for n in session.fictional_names if n.casefold() != cleaned.casefold())
    if fictional:
        known = next((n for n in session.fictional_names if n.casefold() == cleaned.casefold()), None)
        if known is not None:
            return session, []
        if len(kept) >= FICTIONAL_NAMES_MAX:
            raise InvalidInput(f"name: at most {FICTIONAL_NAMES_MAX} fictional names", field="name")
        kept = (*kept, cleaned)
    elif kept == session.fictional_names:
        return session, []
    return repo.save_session(replace(session, fictional_names=kept)), []


def csv_rows(
    repo: SessionRepository, registry: WorkFormatRegistry, session_id: str, *, translator: Translator | None = None
) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of the raw contributions: what was said and where, never who."""
    t = translator or DutchSource()
    session = repo.get_session(session_id)
    contributions = publishable(session, registry, repo.list_contributions(session_id))
    items = {item.id: item for item in session.agenda}
    rows = []
    for c in contributions:
        workformat = configured_workformat(registry, items[c.agenda_item_id])
        phase = workformat.phase_by_id(c.phase_id)
        kind = workformat.kind(c.kind)
        bucket = next((b for b in workformat.buckets if b.id == c.bucket), None)
        labels = []
        for group in workformat.tag_groups:
            labels += [t.gettext(o.label) for o in group.options if o.id in c.tags]
        table = session.table(c.table) if c.table is not None else None
        dimensions = _dimensions(workformat, c, t)
        rows.append([
            t.gettext(workformat.name),
            t.gettext(phase.title) if phase else c.phase_id,
            t.gettext(kind.label) if kind else c.kind,
            c.text,
            t.gettext(bucket.label) if bucket else "",
            ", ".join(labels),
            (table.label() if table else str(c.table)) if c.table is not None else "",
            perspective_label(c.perspective, 1, t, session.perspectives) if c.perspective else "",
            c.function,
            dt.datetime.fromtimestamp(c.created_at).strftime("%H:%M"),
            t.gettext(bucket.label) if bucket else "",
            *dimensions,
        ])
    return [t.gettext(h) for h in CSV_HEADER], rows


def _dimensions(workformat: WorkFormat, c: Contribution, t: Translator) -> list[str]:
    """Return a contribution's kolom, scale point, ranking, who, level and when (each "" where not used), read
    from the shape of the verslag section its phase feeds and from its kind, never from a werkvorm's name."""
    def chosen(group_id: str) -> str:
        group = workformat.tag_group(group_id) if group_id else None
        return next((t.gettext(o.label) for o in group.options if o.id in c.tags), "") if group else ""

    shapes = {s.shape: s.keeps_tag for s in workformat.report_sections if c.phase_id in s.phases}
    kind = workformat.kind(c.kind)
    ranking = ""
    if kind is not None and kind.answer == "ranking" and (group := workformat.tag_group(kind.ranks)):
        labels = {o.id: t.gettext(o.label) for o in group.options}
        ranking = RANKING_SEPARATOR.join(labels.get(o, o) for o in c.ranking)
    level = ""
    if kind is not None and kind.answer == "action":
        level = next((label for g in kind.tag_groups if (label := chosen(g))), "")
    return [
        chosen(shapes.get("grid", "")),
        chosen(shapes.get("scale", "")),
        ranking,
        c.owner,
        level,
        c.due,
    ]


# -- the verslag by e-mail ------------------------------------------------------------------------


def request_verslag(
    repo: SessionRepository,
    session_id: str,
    participant: Participant,
    *,
    email: object,
    consent: object,
    clock: Clock = time.time,
) -> list[DomainEvent]:
    """Store a participant's address for the verslag; only with an explicit yes and a valid address."""
    session = repo.get_session(session_id)
    if not session.closing:
        raise InvalidInput("the facilitator has not asked for addresses yet", field="closing")
    if consent is not True:
        raise InvalidInput("consent: an explicit yes", field="consent")
    if not isinstance(email, str) or not is_valid_address(email.strip()):
        raise InvalidInput("email: not an address", field="email")
    repo.put_mail_optin(session_id, MailOptIn(participant_id=participant.id, email=email.strip(), created_at=clock()))
    return [MailOptInsChanged(session_id=session_id)]


def withdraw_request(repo: SessionRepository, session_id: str, participant: Participant) -> list[DomainEvent]:
    """Forget a participant's address for the verslag."""
    return [MailOptInsChanged(session_id=session_id)] if repo.remove_mail_optin(session_id, participant.id) else []


def my_request(repo: SessionRepository, session_id: str, participant_id: str) -> str:
    """Return the address a participant gave for the verslag, or ""."""
    return next((o.email for o in repo.list_mail_optins(session_id) if o.participant_id == participant_id), "")


@retried
def set_closing(repo: SessionRepository, session_id: str, closing: object) -> list[DomainEvent]:
    """Ask the phones for addresses for the verslag (or stop asking)."""
    if not isinstance(closing, bool):
        raise InvalidInput("closing: true or false", field="closing")
    session = repo.get_session(session_id)
    if session.closing == closing:
        return []
    session = repo.save_session(replace(session, closing=closing))
    return [SessionClosingChanged(session=session)]


@dataclass(frozen=True)
class Recipient:
    """Someone the verslag goes to: an organiser or a participant who asked, and whether it went out already."""

    address: str
    source: str
    sent: bool = False
    failed_reason: str = ""


def recipients(repo: SessionRepository, series_repo: SeriesRepository, session_id: str) -> list[Recipient]:
    """Return the organisers plus the participants who asked, each address once, with its send status."""
    session = repo.get_session(session_id)
    series = series_of(series_repo, session)
    candidates = [(o.email, "organiser") for o in (series.organisers if series else ()) if o.email]
    candidates += [(o.email, "participant") for o in repo.list_mail_optins(session_id)]
    log = [e for e in repo.list_mail_log(session_id) if e.kind == "verslag"]
    sent_to = {normalise_address(e.recipient) for e in log if e.status == "sent"}
    last_failure = {normalise_address(e.recipient): e.reason for e in log if e.status == "failed"}
    seen: set[str] = set()
    result = []
    for address, source in candidates:
        key = normalise_address(address)
        if key in seen or not is_valid_address(address):
            continue
        seen.add(key)
        sent = key in sent_to
        result.append(Recipient(address=address, source=source, sent=sent,
                                failed_reason="" if sent else last_failure.get(key, "")))
    return result


@dataclass(frozen=True)
class SendResult:
    """How one send round went."""

    sent: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    skipped: tuple[str, ...] = ()


def send_verslag(
    repo: SessionRepository,
    series_repo: SeriesRepository,
    session_id: str,
    send: Callable[[str], None],
    *,
    clock: Clock = time.time,
) -> SendResult:
    """Send the verslag to every recipient who has not had it; log each attempt (who, when, status; no content).

    `send` delivers to one address and raises a FacilitatorError (MailFailed) when it cannot; one failure does
    not stop the others, and a later round retries only who did not get it.
    """
    sent, failed, skipped = [], [], []
    for recipient in recipients(repo, series_repo, session_id):
        if recipient.sent:
            skipped.append(recipient.address)
            continue
        try:
            send(recipient.address)
        except FacilitatorError as exc:
            reason = str(exc.params.get("reason", exc.code))
            repo.add_mail_log(session_id, MailLogEntry(recipient=recipient.address, at=clock(), kind="verslag",
                                                       status="failed", reason=reason))
            failed.append((recipient.address, reason))
            continue
        repo.add_mail_log(session_id, MailLogEntry(recipient=recipient.address, at=clock(), kind="verslag",
                                                   status="sent"))
        sent.append(recipient.address)
    return SendResult(sent=tuple(sent), failed=tuple(failed), skipped=tuple(skipped))


def log_test_mail(repo: SessionRepository, session_id: str, address: str, reason: str = "", *,
                  clock: Clock = time.time) -> None:
    """Note a test mail in the send log."""
    repo.add_mail_log(session_id, MailLogEntry(recipient=address, at=clock(), kind="test",
                                               status="failed" if reason else "sent", reason=reason))


def delete_session(
    repo: SessionRepository,
    series_repo: SeriesRepository,
    session_id: str,
    *,
    keep_recap: bool = False,
    notices: NoticeRepository | None = None,
    registry: WorkFormatRegistry | None = None,
) -> list[DomainEvent]:
    """Delete a bijeenkomst for real: contributions, addresses, edits, the send log, and its recap in the series
    unless the facilitator chose to keep that (accepted theme names only); phones are told it ended."""
    session = repo.get_session(session_id)
    # The recap first: should writing the series fail, the bijeenkomst is still there to try again.
    settle_recap(repo, series_repo, session, keep=keep_recap, registry=registry)
    repo.delete_session(session_id)
    if notices is not None:
        notices.remove_notice(session_id)
    return [SessionDeleted(session_id=session_id)]
