"""Build the verslag: what a bijeenkomst yielded, plus the facilitator's edits, in the source reports' shape."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from babel.dates import format_date

from facilitator.core.clustering.condense import Card, Statement, condense
from facilitator.core.domain import (
    ACTION_LEVELS,
    AFSPRAAK_STATUSES,
    DEFAULT_PERSPECTIVES,
    N_,
    Afspraak,
    AgendaItem,
    Contribution,
    Perspective,
    PerspectiveOption,
    Series,
    WorkFormat,
    WorkshopSession,
)
from facilitator.core.domain.workformat import ContributionKind, ReportSection, TagOption
from facilitator.verslag.edits import edited_block
from facilitator.verslag.model import (
    AppendixGroup,
    AppendixItem,
    Block,
    Group,
    ProgrammeItem,
    Report,
    RodeDraad,
    SaveTheDate,
    Table,
    TableRow,
    Terugblik,
    ThemeLine,
    WorkformatSection,
)

#: Most lines of one buffer, theme or list in the verslag's body: the strongest statements, and when there are
#: more, a last line that counts the rest ("Overige punten (40×)") and points to the appendix and the CSV.
MAX_BODY_STATEMENTS = 12
#: Statements shown under a rode-draad theme: its strongest points, a synthesis rather than a second list of every
#: card (the buffers and the appendix have those).
MAX_THEME_STATEMENTS = 3

_ORDINALS = (
    N_("eerste"), N_("tweede"), N_("derde"), N_("vierde"), N_("vijfde"),
    N_("zesde"), N_("zevende"), N_("achtste"), N_("negende"), N_("tiende"),
)


class Translator(Protocol):
    """Translates the verslag's fixed sentences; Flask-Babel at the edge, the Dutch source in tests and the CLI."""

    def gettext(self, text: str) -> str:
        """Return a text in the report's language."""

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Return the singular or plural form for n."""


class DutchSource:
    """The source language itself: Dutch, no catalogue needed."""

    def gettext(self, text: str) -> str:
        """Return the text as written."""
        return text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Return the Dutch singular or plural."""
        return singular if n == 1 else plural


@dataclass(frozen=True)
class ThemeMaterial:
    """One theme on a board: its name, where its cards came from, and their texts."""

    id: str
    name: str
    #: Counts per perspective and the tables, e.g. {"perspectives": {"ouder": 2}, "tables": ["1", "3"]}.
    perspectives: tuple[tuple[str, int], ...] = ()
    tables: tuple[str, ...] = ()
    #: Its cards condensed (see condense.py), most support first.
    statements: tuple[Statement, ...] = ()


@dataclass(frozen=True)
class ItemMaterial:
    """What one agenda item yielded: its configured werkvorm, its visible contributions, its board, its tally."""

    item: AgendaItem
    workformat: WorkFormat
    #: Only what may be published: not hidden, shared, revealed.
    contributions: tuple[Contribution, ...] = ()
    themes: tuple[ThemeMaterial, ...] = ()
    rode_draad: str = ""
    #: (target text, dots) for a voting item, most dots first.
    tally: tuple[tuple[str, int], ...] = ()
    #: The condensed statements per group (see statement_groups), as the facilitator reviewed them; a group not
    #: here is condensed as the tool proposes.
    statements: Mapping[str, tuple[Statement, ...]] | None = None


@dataclass(frozen=True)
class ReportMaterial:
    """Everything the verslag is built from; gathered by the service layer."""

    session: WorkshopSession
    items: tuple[ItemMaterial, ...]
    series: Series | None = None
    #: How many joined per perspective ("" = none given).
    attendance: tuple[tuple[str, int], ...] = ()
    previous: Terugblik | None = None
    locale: str = "nl"
    #: Whether the verslag carries the appendix of all contributions (the "Overige punten" line points there).
    appendix: bool = False


def ordinal_word(n: int, t: Translator) -> str:
    """Return "tweede" for 2, "12e" for 12 (in the report's language)."""
    if 1 <= n <= len(_ORDINALS):
        return t.gettext(_ORDINALS[n - 1])
    return t.gettext("%(n)se") % {"n": n}


def long_date(iso: str, locale: str) -> str:
    """Return an ISO date as people write it ("5 februari 2025")."""
    try:
        return str(format_date(dt.date.fromisoformat(iso), format="long", locale=locale))
    except (TypeError, ValueError):
        return iso


def _join(parts: Sequence[str], t: Translator) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return t.gettext("%(list)s en %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


def _default_label(perspective: str, n: int, t: Translator) -> str:
    # Written out per perspective so the catalogue holds each singular/plural pair (the English verslag).
    if perspective == Perspective.OUDER.value:
        return t.ngettext("ouder", "ouders", n)
    if perspective == Perspective.ZORG.value:
        return t.ngettext("zorgprofessional", "zorgprofessionals", n)
    if perspective == Perspective.ONDERWIJS.value:
        return t.ngettext("onderwijsprofessional", "onderwijsprofessionals", n)
    if perspective == Perspective.ERVARINGSDESKUNDIGE.value:
        return t.ngettext("ervaringsdeskundige", "ervaringsdeskundigen", n)
    if perspective == Perspective.ANDERS.value:
        # People are counted here ("60 …"), so the label names people, not perspectives.
        return t.ngettext("deelnemer met een ander perspectief", "deelnemers met een ander perspectief", n)
    return t.ngettext("deelnemer", "deelnemers", n)


_DEFAULTS = {option.id: option for option in DEFAULT_PERSPECTIVES}


def _perspective_label(perspective: str, n: int, t: Translator,
                       options: Sequence[PerspectiveOption] = DEFAULT_PERSPECTIVES) -> str:
    option = next((o for o in options if o.id == perspective), None)
    if option is None or option == _DEFAULTS.get(option.id):
        # One of today's five as it always was (or one removed from the list since): the translated words.
        return _default_label(perspective, n, t)
    # The facilitator's own words, in the bijeenkomst's language.
    return option.singular if n == 1 else option.plural


def perspective_label(perspective: str, n: int, t: Translator,
                      options: Sequence[PerspectiveOption] = DEFAULT_PERSPECTIVES) -> str:
    """Return "ouder" / "ouders" (n) for a perspective id, in the words of the bijeenkomst's list."""
    return _perspective_label(perspective, n, t, options)


def provenance_line(perspectives: Sequence[tuple[str, int]], tables: Sequence[str], t: Translator,
                    options: Sequence[PerspectiveOption] = DEFAULT_PERSPECTIVES) -> str:
    """Return "2 ouders · 1 zorgprofessional · Tafel Zon, tafels 1, 3": people per perspective, never who.

    Tables come as their labels: a name the facilitator gave stands as it is; bare numbers get "tafel(s)".
    """
    parts = [f"{n} {_perspective_label(p, n, t, options)}" for p, n in perspectives]
    named = [label for label in tables if not label.isdigit()]
    numbered = [label for label in tables if label.isdigit()]
    where = list(named)
    if numbered:
        where.append(t.ngettext("tafel %(list)s", "tafels %(list)s", len(numbered)) % {"list": ", ".join(numbered)})
    if where:
        parts.append(", ".join(where))
    return " · ".join(parts)


def _clean_lines(texts: Sequence[str]) -> tuple[str, ...]:
    """Return texts trimmed, without empties and without exact repeats (case and spacing ignored)."""
    seen: set[str] = set()
    lines = []
    for text in texts:
        line = " ".join(text.split())
        key = line.casefold()
        if line and key not in seen:
            seen.add(key)
            lines.append(line)
    return tuple(lines)


# -- verdichten ---------------------------------------------------------------------------------


def card_of(contribution: Contribution) -> Card:
    """Return a contribution as verdichten sees it: its text, who (an id, to count people) and their perspective."""
    perspective = contribution.perspective or ""
    return Card(id=contribution.id, text=contribution.text, author=contribution.participant_id,
                perspective=perspective)


def _condensed_sections(workformat: WorkFormat) -> list[ReportSection]:
    # Per-table advice stays per table; the star list shows what the inbrenger chose, as it was written.
    return [s for s in workformat.report_sections if s.shape in ("bullets", "bullets_per_bucket", "paragraph")]


def _group_key(section: ReportSection, workformat: WorkFormat, c: Contribution, known: set[str]) -> str:
    key = section.id
    if section.shape == "bullets_per_bucket":
        key += "." + (c.bucket if c.bucket in known else "overig")
    if section.keeps_tag and (group := workformat.tag_group(section.keeps_tag)):
        # Kept apart: "tijd om ouders te spreken" as a need is another point than as something to give.
        chosen = [o.id for o in group.options if o.id in c.tags]
        if chosen:
            key += "." + chosen[0]
    return key


def statement_groups(workformat: WorkFormat, contributions: Sequence[Contribution]) -> dict[str, list[Contribution]]:
    """Return the contributions verdichten folds, per group: "<section>[.<bucket>][.<tag option>]"."""
    groups: dict[str, list[Contribution]] = {}
    known = {b.id for b in workformat.buckets}
    for section in _condensed_sections(workformat):
        for c in contributions:
            if c.phase_id in section.phases:
                groups.setdefault(_group_key(section, workformat, c, known), []).append(c)
    return groups


#: (position of its tag option, the option's label, the statement); position and label are 0 and "" without a tag.
Tagged = tuple[int, str, Statement]


def _group_statements(material: ItemMaterial, prefix: str, section: ReportSection, t: Translator) -> list[Tagged]:
    """Return the statements of every group under a prefix with their kept tag, most support first."""
    options: dict[str, tuple[int, str]] = {}
    if section.keeps_tag and (group := material.workformat.tag_group(section.keeps_tag)):
        options = {o.id: (i + 1, t.gettext(o.label)) for i, o in enumerate(group.options)}
    found: list[Tagged] = []
    for key, contributions in statement_groups(material.workformat, material.contributions).items():
        tail = key[len(prefix) + 1:]
        if key != prefix and not (key.startswith(prefix + ".") and tail in options):
            continue
        position, label = options.get(tail, (0, "")) if key != prefix else (0, "")
        found.extend((position, label, s) for s in _statements(material, key, contributions))
    return sorted(found, key=lambda tagged: -tagged[2].support)


def _labels_differ(*lists: Sequence[Tagged]) -> bool:
    """Tell whether the kept tag tells statements apart; one option throughout is said once, not on every line."""
    return len({label for tagged in lists for _p, label, s in tagged if s.status != "dropped"}) > 1


def _common_label(*lists: Sequence[Tagged]) -> str:
    labels = {label for tagged in lists for _p, label, _s in tagged}
    return next(iter(labels)) if len(labels) == 1 else ""


def _statements(material: ItemMaterial, group: str, contributions: Sequence[Contribution]) -> tuple[Statement, ...]:
    if material.statements is not None and group in material.statements:
        return material.statements[group]
    return condense([card_of(c) for c in contributions])


def statement_line(statement: Statement, t: Translator, label: str = "",
                   options: Sequence[PerspectiveOption] = DEFAULT_PERSPECTIVES) -> str:
    """Return a statement as the verslag prints it: "Ga naast de ouder staan. (7×: ouders, zorgprofessionals)"."""
    text = t.gettext("%(label)s: %(text)s") % {"label": label, "text": statement.text} if label else statement.text
    if statement.support < 2:
        return text
    # Perspectives only behind a point several people made: one card's perspective could point at a person.
    people = [(p, n) for p, n in statement.perspectives if p]
    if people and sum(n for _p, n in statement.perspectives) > 1:
        # Two perspectives are worth naming, with their people ("2 ouders en 1 zorgprofessional"); a longer list is
        # only noise in a bullet, so it is counted.
        who = [f"{n} {_perspective_label(p, n, t, options)}" for p, n in people]
        named = _join(who, t) if len(who) <= 2 else t.gettext("%(n)s perspectieven") % {"n": len(who)}
        return t.gettext("%(text)s (%(n)s×: %(who)s)") % {"text": text, "n": statement.support, "who": named}
    return t.gettext("%(text)s (%(n)s×)") % {"text": text, "n": statement.support}


def _same_point(text: str) -> str:
    return re.sub(r"[\s.!]+$", "", " ".join(text.casefold().split()))


#: One point of the body: its place among the kept tags, and its (label, statement) per tag it was made under.
Point = tuple[int, list[tuple[str, Statement]]]


def _points(shown: Sequence[Tagged], labels: bool) -> list[Point]:
    """Return the body's points, strongest first: one wording made under two tags (needed and given) is one point."""
    points: dict[str, Point] = {}
    for position, label, statement in shown:
        key = _same_point(statement.text) if labels else statement.id
        if key in points:
            first, parts = points[key]
            # Said under the tag's own order (needed before given), whichever came in first.
            parts = [*parts, (label, statement)] if position >= first else [(label, statement), *parts]
            points[key] = (min(first, position), parts)
        else:
            points[key] = (position, [(label, statement)])
    return sorted(points.values(), key=lambda point: -sum(s.support for _l, s in point[1]))


def point_line(point: Point, t: Translator, labels: bool,
               options: Sequence[PerspectiveOption] = DEFAULT_PERSPECTIVES) -> str:
    """Return a point as the verslag prints it; made under two tags: "Steun ouders (9×: 5× nodig hebben, 4× ...)"."""
    _position, parts = point
    if len(parts) == 1:
        label, statement = parts[0]
        return statement_line(statement, t, label if labels else "", options)
    text = parts[0][1].text
    support = sum(s.support for _l, s in parts)
    split = ", ".join(t.gettext("%(n)s× %(label)s") % {"n": s.support, "label": label[:1].lower() + label[1:]}
                      for label, s in parts)
    perspectives = list(dict.fromkeys(p for _l, s in parts for p, _n in s.perspectives if p))
    if not perspectives:
        return t.gettext("%(text)s (%(n)s×: %(split)s)") % {"text": text, "n": support, "split": split}
    who = [_perspective_label(p, 2, t, options) for p in perspectives]
    named = _join(who, t) if len(who) <= 2 else t.gettext("%(n)s perspectieven") % {"n": len(who)}
    return t.gettext("%(text)s (%(n)s×: %(split)s; %(who)s)") % {
        "text": text, "n": support, "split": split, "who": named}


def body_lines(statements: Sequence[Tagged], appendix: bool, t: Translator, *, labels: bool = True,
               options: Sequence[PerspectiveOption] = DEFAULT_PERSPECTIVES) -> tuple[str, ...]:
    """Return at most MAX_BODY_STATEMENTS lines: the strongest points, then one line counting the rest.

    The strongest are chosen by support, then shown grouped by their kept tag (needs before gives, observations
    before hypotheses), strongest first within each. A wording made under both tags is one line with both counts,
    not the same sentence twice.
    """
    shown = [tagged for tagged in statements if tagged[2].status != "dropped"]
    points = _points(shown, labels)
    cut = len(points) if len(points) <= MAX_BODY_STATEMENTS else MAX_BODY_STATEMENTS - 1
    head = sorted(points[:cut], key=lambda point: point[0])
    lines = [point_line(point, t, labels, options) for point in head]
    rest = points[cut:]
    if rest:
        n = sum(s.support for _p, parts in rest for _l, s in parts)
        k = sum(len(parts) for _p, parts in rest)
        # A reader wants the points many made; forcing unlike cards into one statement would invent a point and
        # inflate its count, so the rest is counted honestly and left to the appendix and the CSV.
        if appendix:
            last = t.gettext("Overige punten (%(n)s×, %(k)s verschillende): zie de bijlage met alle bijdragen.")
        else:
            last = t.gettext("Overige punten (%(n)s×, %(k)s verschillende).")
        lines.append(last % {"n": n, "k": k})
    return tuple(lines)


# -- the generated draft ----------------------------------------------------------------------


def _title_parts(material: ReportMaterial, t: Translator) -> tuple[str, str]:
    session, series = material.session, material.series
    series_name = series.name if series else session.series
    subtitle = []
    if session.ordinal:
        subtitle.append(t.gettext("%(ordinal)s bijeenkomst") % {"ordinal": ordinal_word(session.ordinal, t)})
    if series_name and series_name != session.title:
        subtitle.append(series_name)
    if session.theme:
        subtitle.append(t.gettext("thema: %(theme)s") % {"theme": session.theme})
    first = subtitle[0][:1].upper() + subtitle[0][1:] if subtitle else ""
    return session.title, " · ".join([first, *subtitle[1:]]) if subtitle else ""


def _lead(material: ReportMaterial, t: Translator) -> str:
    session, series = material.session, material.series
    counted = [(p, n) for p, n in material.attendance if p and n]
    options = session.perspectives
    groups = [_perspective_label(p, 2, t, options) for p, _ in sorted(counted, key=lambda pn: (-pn[1], pn[0]))]
    who = _join(groups, t) if groups else t.gettext("deelnemers")
    series_name = series.name if series else session.series
    if session.ordinal and series_name:
        what = t.gettext("de %(ordinal)s bijeenkomst van ‘%(series)s’") % {
            "ordinal": ordinal_word(session.ordinal, t), "series": series_name}
    elif series_name:
        what = t.gettext("een bijeenkomst van ‘%(series)s’") % {"series": series_name}
    else:
        what = t.gettext("de bijeenkomst ‘%(title)s’") % {"title": session.title}
    sentences = [t.gettext("Op %(date)s kwamen %(who)s bij elkaar voor %(what)s.") % {
        "date": long_date(session.date, material.locale), "who": who, "what": what}]
    if session.theme:
        sentences.append(t.gettext("In deze bijeenkomst was het thema %(theme)s.") % {"theme": session.theme})
    total = sum(n for _, n in material.attendance)
    if total:
        counts = [f"{n} {_perspective_label(p, n, t, options)}"
                  for p, n in sorted(counted, key=lambda pn: (-pn[1], pn[0]))]
        unknown = sum(n for p, n in material.attendance if not p)
        if counts and unknown:
            counts.append(t.ngettext("%(n)s zonder opgegeven perspectief", "%(n)s zonder opgegeven perspectief",
                                     unknown) % {"n": unknown})
        line = t.ngettext("Er deed %(n)s persoon mee", "Er deden %(n)s mensen mee", total) % {"n": total}
        sentences.append(line + (": " + _join(counts, t) if counts else "") + ".")
    return " ".join(sentences)


def _welcome(previous: Terugblik | None, t: Translator) -> str:
    if previous is None:
        return ""
    text = t.gettext("We blikten kort terug op de vorige bijeenkomst, ‘%(title)s’ van %(date)s.") % {
        "title": previous.title, "date": previous.date}
    if previous.rode_draden:
        text += " " + t.gettext("De rode draden toen: %(themes)s.") % {"themes": _join(list(previous.rode_draden), t)}
    return text


def afspraak_line(afspraak: Afspraak, t: Translator) -> str:
    """Return an afspraak of the previous bijeenkomst on one line: "wat — wie (niveau), wanneer: status"."""
    level = dict(ACTION_LEVELS).get(afspraak.niveau, "")
    who = " ".join(part for part in (afspraak.wie, f"({t.gettext(level)})" if level else "") if part)
    line = " — ".join(part for part in (afspraak.wat, who) if part)
    if afspraak.wanneer:
        line += f", {afspraak.wanneer}"
    status = dict(AFSPRAAK_STATUSES).get(afspraak.status, afspraak.status)
    line += f": {t.gettext(status).lower()}"
    return line + (f" ({afspraak.note})" if afspraak.note else "")


def _terugblik(previous: Terugblik | None, t: Translator) -> Terugblik | None:
    if previous is None:
        return None
    return replace(previous, afspraak_lines=tuple(afspraak_line(a, t) for a in previous.afspraken))


def _prompts(workformat: WorkFormat, t: Translator) -> tuple[str, ...]:
    prompts = []
    for phase in workformat.phases:
        # The questions the room answered; the inbrenger's own instructions are not the room's prompts.
        asks = workformat.kinds_for(phase, "deelnemer") or phase.views.get("deelnemer") in ("vote", "place")
        if asks and (prompt := phase.prompt_for("deelnemer").strip()):
            prompts.append(t.gettext(prompt))
    return _clean_lines(prompts)


def _of_phases(material: ItemMaterial, section: ReportSection) -> list[Contribution]:
    return [c for c in material.contributions if c.phase_id in section.phases]


def _table_groups(material: ItemMaterial, section: ReportSection, session: WorkshopSession,
                  t: Translator) -> tuple[Group, ...]:
    by_table: dict[int | None, list[Contribution]] = {}
    for contribution in _of_phases(material, section):
        by_table.setdefault(contribution.table, []).append(contribution)
    groups = []
    for number in sorted(n for n in by_table if n is not None):
        table = session.table(number)
        title = table.name if table and table.name else t.gettext("Tafel %(n)s") % {"n": number}
        items = sorted(by_table[number], key=lambda c: (c.slot or 0, c.created_at))
        groups.append(Group(key=f"tafel-{number}", title=title, bullets=_clean_lines([c.text for c in items])))
    if None in by_table:
        groups.append(Group(key="zonder-tafel", title=t.gettext("Zonder tafel"),
                            bullets=_clean_lines([c.text for c in by_table[None]])))
    return tuple(g for g in groups if g.bullets)


def _bucket_groups(material: ItemMaterial, section: ReportSection, appendix: bool, t: Translator,
                   options: Sequence[PerspectiveOption]) -> tuple[tuple[Group, ...], str]:
    """Return the block's groups, and the kept tag's one option when every point carries that same one."""
    keys = [(b.id, t.gettext(b.label), t.gettext(b.description) if b.description else "")
            for b in material.workformat.buckets] + [("overig", t.gettext("Overig"), "")]
    found = {key: _group_statements(material, f"{section.id}.{key}", section, t) for key, _l, _d in keys}
    labels = _labels_differ(*found.values())
    groups = tuple(Group(key=key, title=title, description=description,
                         bullets=body_lines(found[key], appendix, t, labels=labels, options=options))
                   for key, title, description in keys)
    return tuple(g for g in groups if g.bullets), ("" if labels else _common_label(*found.values()))


def _starred(material: ItemMaterial, section: ReportSection) -> tuple[str, ...]:
    return _clean_lines([c.text for c in _of_phases(material, section) if c.starred])


def _block(material: ItemMaterial, section: ReportSection, session: WorkshopSession, appendix: bool,
           t: Translator) -> Block:
    key = f"{material.item.id}/{section.id}"
    title = t.gettext(section.title)
    if section.shape == "bullets_per_bucket":
        groups, only = _bucket_groups(material, section, appendix, t, session.perspectives)
        intro = t.gettext("We hebben de punten onderverdeeld in %(n)s groepen:") % {"n": len(groups)} if groups else ""
        if groups and only:
            intro = t.gettext("We hebben de punten (allemaal ‘%(label)s’) onderverdeeld in %(n)s groepen:") % {
                "label": only.lower(), "n": len(groups)}
        return Block(key=key, title=title, shape=section.shape, intro=intro, groups=groups, numbered_groups=True)
    if section.shape == "per_table":
        groups = _table_groups(material, section, session, t)
        kinds = [k for k in material.workformat.contribution_kinds
                 if any(k.id in p.accepts for p in material.workformat.phases if p.id in section.phases)]
        one_each = bool(kinds) and all(k.scope == "table" and k.per_table == 1 for k in kinds)
        intro = t.gettext("Per tafel werd een advies geformuleerd.") if one_each and groups else ""
        return Block(key=key, title=title, shape=section.shape, intro=intro, groups=groups)
    if section.shape == "starred":
        return Block(key=key, title=title, shape=section.shape, bullets=_starred(material, section))
    if section.shape in _STRUCTURED:
        return _STRUCTURED[section.shape](material, section, Block(key=key, title=title, shape=section.shape),
                                          session, t)
    found = _group_statements(material, section.id, section, t)
    condensed = body_lines(found, appendix, t, labels=_labels_differ(found), options=session.perspectives)
    if section.shape == "paragraph":
        paragraphs = []
        phases = [p for p in material.workformat.phases if p.id in section.phases]
        case_text = str(material.item.settings.get("case_text", "")).strip()
        if case_text and any(p.display == "case" for p in phases):
            paragraphs.append(case_text)
        if material.rode_draad and any(p.display == "rode_draad" for p in phases):
            paragraphs.append(material.rode_draad)
        return Block(key=key, title=title, shape=section.shape, paragraphs=tuple(paragraphs), bullets=condensed)
    if material.tally and not _of_phases(material, section):
        lines = [t.ngettext("%(text)s (%(n)s stip)", "%(text)s (%(n)s stippen)", n) % {"text": text, "n": n}
                 for text, n in material.tally]
        return Block(key=key, title=title, shape=section.shape, bullets=tuple(lines))
    return Block(key=key, title=title, shape=section.shape, bullets=condensed)


# -- structured answers: a grid, a scale, a ranking, afspraken --------------------------------------------


def _section_kinds(workformat: WorkFormat, section: ReportSection) -> list[ContributionKind]:
    """Return the kinds the section's phases accept, in the werkvorm's order."""
    accepted = {k for p in workformat.phases if p.id in section.phases for k in p.accepts}
    return [k for k in workformat.contribution_kinds if k.id in accepted]


def _by_table(workformat: WorkFormat, section: ReportSection) -> bool:
    """Tell whether a table's woordvoerder answered for the table (counted as tables, not people)."""
    kinds = _section_kinds(workformat, section)
    return bool(kinds) and all(k.roles == ("tafelvoorzitter",) for k in kinds)


def _chosen(c: Contribution, options: Sequence[TagOption]) -> TagOption | None:
    return next((o for o in options if o.id in c.tags), None)


def _grid_block(material: ItemMaterial, section: ReportSection, block: Block, session: WorkshopSession,
                t: Translator) -> Block:
    """Return the grid as a real table: per row × column the points written there, condensed and counted."""
    workformat = material.workformat
    group = workformat.tag_group(section.keeps_tag) if section.keeps_tag else None
    columns: list[tuple[str, str]] = [(o.id, t.gettext(o.label)) for o in (group.options if group else ())]
    rows: list[tuple[str, str, str]] = [(b.id, t.gettext(b.label), t.gettext(b.description) if b.description else "")
                                        for b in workformat.buckets]
    cells: dict[tuple[str, str], list[Contribution]] = {}
    for c in _of_phases(material, section):
        row = c.bucket if c.bucket in {r[0] for r in rows} else "overig"
        option = _chosen(c, group.options) if group else None
        cells.setdefault((row, option.id if option else "overig"), []).append(c)
    if not cells:
        return block
    # Something written outside the rows or columns is kept, in its own row or column, never dropped.
    if any(row == "overig" for row, _ in cells):
        rows.append(("overig", t.gettext("Overig"), ""))
    if any(column == "overig" for _, column in cells):
        columns.append(("overig", t.gettext("Overig")))
    table_rows = []
    for row_id, label, description in rows:
        line_cells = []
        for column_id, _label in columns:
            found = cells.get((row_id, column_id), [])
            statements = _statements(material, f"{section.id}.{row_id}.{column_id}", found) if found else ()
            line_cells.append(tuple(statement_line(s, t, "", session.perspectives)
                                    for s in statements if s.status != "dropped"))
        table_rows.append(TableRow(key=row_id, label=label, description=description, cells=tuple(line_cells)))
    intro = t.gettext("We hebben de punten geordend in %(rows)s rijen en %(columns)s kolommen; een leeg vak is "
                      "‘–’.") % {"rows": len(rows), "columns": len(columns)}
    return replace(block, intro=intro, table=Table(label_heading="", columns=tuple(c[1] for c in columns),
                                                   rows=tuple(table_rows)))


def _who(material: ItemMaterial, section: ReportSection, n: int, t: Translator) -> str:
    if _by_table(material.workformat, section):
        return t.ngettext("tafel", "tafels", n)
    return t.ngettext("deelnemer", "deelnemers", n)


def _quoted_list(labels: Sequence[str], t: Translator) -> str:
    return _join([f"‘{label}’" for label in labels], t)


def _scale_block(material: ItemMaterial, section: ReportSection, block: Block, session: WorkshopSession,
                 t: Translator) -> Block:
    """Return per scale point how many chose it, one summary line, then the explanations."""
    group = material.workformat.tag_group(section.keeps_tag) if section.keeps_tag else None
    if group is None:
        return block
    points = [(o, t.gettext(o.label)) for o in group.options]
    answers = [(c, option) for c in _of_phases(material, section) if (option := _chosen(c, group.options))]
    if not answers:
        return block
    total = len(answers)
    counted = Counter(option.id for _c, option in answers)
    counts = tuple(
        t.gettext("%(n)s van %(total)s %(who)s: %(label)s") % {
            "n": counted[o.id], "total": total, "who": _who(material, section, total, t), "label": label}
        for o, label in points
    )
    most = max(counted.values())
    top = [label for o, label in points if counted[o.id] == most]
    chosen = [label for o, label in points if counted[o.id]]
    if len(chosen) == 1:
        summary = t.gettext("Iedereen koos ‘%(label)s’.") % {"label": chosen[0]}
    else:
        summary = t.ngettext("Het vaakst gekozen: %(labels)s (%(n)s keer).",
                             "Het vaakst gekozen: %(labels)s (elk %(n)s keer).", len(top)) % {
            "labels": _quoted_list(top, t), "n": most}
        summary += " " + t.gettext("De antwoorden liepen van ‘%(first)s’ tot ‘%(last)s’.") % {
            "first": chosen[0], "last": chosen[-1]}
    position = {o.id: i for i, (o, _label) in enumerate(points)}
    labels = dict((o.id, label) for o, label in points)
    explained = sorted(((c, option) for c, option in answers if c.text.strip()),
                       key=lambda co: (position[co[1].id], co[0].created_at))
    bullets = _clean_lines([t.gettext("%(label)s: %(text)s") % {"label": labels[option.id], "text": c.text}
                            for c, option in explained])
    return replace(block, counts=counts, paragraphs=(summary,), bullets=bullets,
                   bullets_label=t.gettext("Toelichtingen:") if bullets else "")


def _ranking_block(material: ItemMaterial, section: ReportSection, block: Block, session: WorkshopSession,
                   t: Translator) -> Block:
    """Return the room's order with points (Borda: n-1 for a first place … 0 for the last), then the remarks."""
    workformat = material.workformat
    ranked = next((k.ranks for k in _section_kinds(workformat, section) if k.answer == "ranking" and k.ranks), "")
    group = workformat.tag_group(ranked) if ranked else None
    if group is None:
        return block
    options = [o.id for o in group.options]
    answers = [c for c in _of_phases(material, section) if sorted(c.ranking) == sorted(options)]
    if not answers:
        return block
    last = len(options) - 1
    points = Counter({o: 0 for o in options})
    for c in answers:
        for place, option in enumerate(c.ranking):
            points[option] += last - place
    order = sorted(options, key=lambda o: (-points[o], options.index(o)))
    labels = {o.id: t.gettext(o.label) for o in group.options}
    counts = tuple(t.ngettext("%(label)s (%(n)s punt)", "%(label)s (%(n)s punten)", points[o]) % {
        "label": labels[o], "n": points[o]} for o in order)
    n = len(answers)
    if _by_table(workformat, section):
        intro = t.ngettext("%(n)s tafel zette de opties in volgorde.", "%(n)s tafels zetten de opties in volgorde.", n)
    else:
        intro = t.ngettext("%(n)s deelnemer zette de opties in volgorde.",
                           "%(n)s deelnemers zetten de opties in volgorde.", n)
    intro = (intro % {"n": n}) + " " + t.gettext("De volgorde van de zaal:")
    counting = t.gettext("Zo geteld: een eerste plaats is %(first)s punten waard, elke plaats lager één punt minder, "
                         "de laatste plaats 0.") % {"first": last}
    remarks = _clean_lines([c.text for c in sorted(answers, key=lambda c: c.created_at)])
    return replace(block, intro=intro, counts=counts, numbered_counts=True, paragraphs=(counting,), bullets=remarks,
                   bullets_label=t.gettext("Opmerkingen:") if remarks else "")


def _action_level(workformat: WorkFormat, c: Contribution) -> tuple[int, str]:
    """Return an afspraak's level: its place among the levels (unknown last) and its label."""
    kind = workformat.kind(c.kind)
    for group_id in kind.tag_groups if kind else ():
        group = workformat.tag_group(group_id)
        if group and (option := _chosen(c, group.options)):
            return group.options.index(option), option.label
    return len(workformat.tag_groups) + 99, ""


def _actions_block(material: ItemMaterial, section: ReportSection, block: Block, session: WorkshopSession,
                   t: Translator) -> Block:
    """Return the afspraken as a table Wat / Wie / Niveau / Wanneer, by level then in the order they were made."""
    answers = [c for c in _of_phases(material, section) if c.text.strip()]
    if not answers:
        return block
    levels = {c.id: _action_level(material.workformat, c) for c in answers}
    answers.sort(key=lambda c: (levels[c.id][0], c.created_at))
    rows = tuple(
        TableRow(key=c.id, label=" ".join(c.text.split()),
                 cells=tuple((text,) if text else () for text in (
                     " ".join(c.owner.split()), t.gettext(levels[c.id][1]) if levels[c.id][1] else "",
                     " ".join(c.due.split()))))
        for c in answers
    )
    intro = t.ngettext("Er is %(n)s afspraak gemaakt:", "Er zijn %(n)s afspraken gemaakt:", len(rows)) % {
        "n": len(rows)}
    return replace(block, intro=intro, table=Table(label_heading=t.gettext("Wat"), columns=(
        t.gettext("Wie"), t.gettext("Niveau"), t.gettext("Wanneer")), rows=rows))


_STRUCTURED = {"grid": _grid_block, "scale": _scale_block, "ranking": _ranking_block, "actions": _actions_block}


def actions_overview(sections: Sequence[WorkformatSection], t: Translator) -> tuple[str, tuple[str, ...]]:
    """Return the short "Afspraken" part after the sections: one sentence and one line per afspraak."""
    lines = []
    for section in sections:
        for block in section.blocks:
            if block.shape != "actions" or block.table is None:
                continue
            for row in block.table.rows:
                who, level, when = (" ".join(cell) for cell in (*row.cells, (), (), ())[:3])
                detail = ", ".join(part for part in (who, when) if part)
                line = f"{row.label} ({detail})" if detail else row.label
                lines.append(t.gettext("%(label)s: %(text)s") % {"label": level, "text": line} if level else line)
    if not lines:
        return "", ()
    intro = t.ngettext("In deze bijeenkomst is %(n)s afspraak gemaakt; de tabel bij het onderdeel zegt wie wat wanneer "
                       "doet.", "In deze bijeenkomst zijn %(n)s afspraken gemaakt; de tabel bij elk onderdeel zegt wie "
                       "wat wanneer doet.", len(lines)) % {"n": len(lines)}
    return intro, tuple(lines)


def _own_prompts(item: AgendaItem) -> tuple[str, ...]:
    """Return the questions the facilitator wrote for this item (their own words, so the readers' too)."""
    settings = item.settings
    prompts = [str(settings.get("prompt", ""))]
    own = settings.get("prompts")
    if isinstance(own, Mapping):
        prompts += [str(roles.get("deelnemer", "")) for roles in own.values() if isinstance(roles, Mapping)]
    return _clean_lines(prompts)


def _section(material: ItemMaterial, session: WorkshopSession, appendix: bool, t: Translator) -> WorkformatSection:
    workformat = material.workformat
    case_text = str(material.item.settings.get("case_text", "")).strip()
    shows_case = any(s.shape == "paragraph" and any(
        p.display == "case" for p in workformat.phases if p.id in s.phases) for s in workformat.report_sections)
    task: tuple[str, ...] = (case_text,) if case_text and not shows_case else ()
    blocks = tuple(
        _block(material, section, session, appendix, t)
        for section in workformat.report_sections if section.shape != "themes"
    )
    # Readers get what the werkvorm was; the phones' instructions ("Stel alleen vragen") are not for them. A
    # question the facilitator wrote is the room's question, and is printed as such.
    description = t.gettext(workformat.reader_description) if workformat.reader_description else ""
    prompts = _own_prompts(material.item) or (() if description else _prompts(workformat, t))
    task_heading = ""
    if workformat.can("composed"):
        # The facilitator wrote every step: its questions are the room's, and what a step without answers showed
        # (spelregels, a case, an opdracht) is what the room worked with, so both are printed.
        prompts = _clean_lines([p.prompt_for("deelnemer") for p in workformat.phases if p.accepts]) or prompts
        shown = [(p.title, p.prompt_for("deelnemer").strip()) for p in workformat.phases if not p.accepts]
        shown = [(title, text) for title, text in shown if text]
        if len(shown) == 1 and not task:
            task_heading, task = shown[0][0], (shown[0][1],)
        elif shown:
            task_heading = "" if task else t.gettext("Opdracht")
            task += tuple(t.gettext("%(label)s: %(text)s") % {"label": title, "text": text} for title, text in shown)
    return WorkformatSection(key=material.item.id, name=t.gettext(workformat.name), description=description,
                             task=task, task_heading=task_heading, prompts=prompts, blocks=blocks)


def _rode_draad(material: ReportMaterial, t: Translator) -> RodeDraad | None:
    themes = tuple(
        ThemeLine(name=theme.name, provenance=provenance_line(theme.perspectives, theme.tables, t,
                                                                material.session.perspectives),
                  bullets=tuple(statement_line(s, t, "", material.session.perspectives)
                                for s in theme.statements[:MAX_THEME_STATEMENTS]))
        for item in material.items for theme in item.themes
    )
    # A werkvorm that prints its own rode draad (the roddelmethode's last phase) keeps it in its section.
    sentences = [item.rode_draad for item in material.items if item.rode_draad.strip() and not _prints_rode_draad(item)]
    if not themes and not sentences:
        return None
    return RodeDraad(paragraph=" ".join(dict.fromkeys(s.strip() for s in sentences)), themes=themes)


def _prints_rode_draad(item: ItemMaterial) -> bool:
    phases = {p.id: p for p in item.workformat.phases}
    return any(
        s.shape == "paragraph" and any(phases[p].display == "rode_draad" for p in s.phases if p in phases)
        for s in item.workformat.report_sections
    )


def _appendix(material: ReportMaterial, t: Translator) -> tuple[AppendixGroup, ...]:
    groups = []
    for item in material.items:
        buckets = {b.id: t.gettext(b.label) for b in item.workformat.buckets}
        entries = []
        for c in item.contributions:
            context = []
            if c.table is not None:
                table = material.session.table(c.table)
                context.append(table.name if table and table.name else t.gettext("tafel %(n)s") % {"n": c.table})
            if c.perspective is not None:
                context.append(_perspective_label(c.perspective, 1, t, material.session.perspectives))
            if c.bucket in buckets:
                context.append(buckets[c.bucket])
            text = c.text
            if c.owner or c.due:
                # An afspraak's who and when belong to its text (and to the privacy check), not to its context.
                text = f"{c.text} ({', '.join(part for part in (c.owner, c.due) if part)})"
            entries.append(AppendixItem(text=text, context=" · ".join(context)))
        if entries:
            groups.append(AppendixGroup(title=t.gettext(item.workformat.name), items=tuple(entries)))
    return tuple(groups)


HEADINGS = (
    ("welcome", N_("Welkom")), ("programme", N_("Programma")), ("rode_draad", N_("Rode draad")),
    ("themes", N_("Thema's")), ("questions", N_("Open vragen")), ("wrap_up", N_("Wrap-up")),
    ("closing", N_("Afsluiting")), ("save_the_date", N_("SAVE THE DATE")), ("organisers", N_("Organisatie")),
    ("appendix", N_("Bijlage: alle bijdragen")), ("more_info", N_("Meer info")), ("by", N_("Door")),
    ("prompts", N_("De vragen")), ("case", N_("Casus")), ("actions", N_("Afspraken")),
    ("afspraken", N_("Afspraken van de vorige keer")),
    ("page_footer", N_("Pagina %(page)s van %(pages)s")),  # the Word footer; the fields fill in the numbers
    ("suggestion", N_("Voorstel van Rode Draad: vervang het door je eigen woorden of laat het staan")),
)
#: The draft's own texts that stay marked as suggestions until the facilitator edits them.
SUGGESTED = ("closing", "call")


def generated_report(material: ReportMaterial, t: Translator | None = None) -> Report:
    """Return the verslag as the tool drafts it, before the facilitator's edits."""
    t = t or DutchSource()
    session, series = material.session, material.series
    title, subtitle = _title_parts(material, t)
    series_name = series.name if series else session.series
    sections = tuple(
        _section(item, session, material.appendix, t)
        # A board werkvorm's whole output is the board of another item: it feeds the rode draad, not a section.
        for item in material.items if not item.workformat.can("board")
    )
    return Report(
        title=title,
        subtitle=subtitle,
        motto=(series.motto if series and series.motto else session.motto),
        lead=_lead(material, t),
        welcome=_welcome(material.previous, t),
        terugblik=_terugblik(material.previous, t),
        sections=_distinct_names(tuple(s for s in sections if any(_has_content(b) for b in s.blocks) or s.task)),
        rode_draad=_rode_draad(material, t),
        # The tool's own closing words, marked as suggestions until the facilitator writes or confirms theirs; no
        # sentence of another verslag is presented as this one's.
        closing=t.gettext("Dank aan iedereen die deze middag meedacht en zijn of haar kijk deelde."),
        call=t.gettext("Wil je meedenken over de volgende bijeenkomst? Laat het de organisatie weten."),
        suggested=SUGGESTED,
        organisers_title=(t.gettext("Organisatie %(series)s") % {"series": series_name} if series_name
                          else t.gettext("Organisatie")),
        organisers=series.organisers if series else (),
        headings=tuple((key, t.gettext(text)) for key, text in HEADINGS),
    )


def _distinct_names(sections: tuple[WorkformatSection, ...]) -> tuple[WorkformatSection, ...]:
    """Return the sections with a repeated werkvorm name numbered ("Open vraag (2)"): no heading twice."""
    seen: Counter[str] = Counter()
    named = []
    for section in sections:
        seen[section.name] += 1
        named.append(replace(section, name=f"{section.name} ({seen[section.name]})") if seen[section.name] > 1
                     else section)
    return tuple(named)


def _has_content(block: Block) -> bool:
    return bool(block.paragraphs or block.bullets or block.groups or block.intro or block.counts or block.table)


# -- the facilitator's edits --------------------------------------------------------------------


def apply_edits(
    report: Report, edits: Mapping[str, Any], material: ReportMaterial, t: Translator | None = None
) -> Report:
    """Return the verslag with the facilitator's edits laid over the draft."""
    t = t or DutchSource()
    sections = []
    for section in report.sections:
        if edits.get(f"item.{section.key}.include") is False:
            continue
        task = tuple(edits.get(f"item.{section.key}.task", section.task))
        sections.append(replace(section, task=task, blocks=tuple(edited_block(b, edits) for b in section.blocks)))
    rode_draad = report.rode_draad
    if "rode_draad.paragraph" in edits or "rode_draad.questions" in edits:
        rode_draad = replace(
            rode_draad or RodeDraad(),
            paragraph=edits.get("rode_draad.paragraph", rode_draad.paragraph if rode_draad else ""),
            questions=tuple(edits.get("rode_draad.questions", ())),
        )
    save = edits.get("save_the_date")
    actions_intro, actions = actions_overview(sections, t)
    return replace(
        report,
        **{key: edits[key] for key in ("title", "subtitle", "motto", "lead", "welcome", "wrap_up_intro", "closing",
                                        "call", "organisers_title") if key in edits},
        sections=tuple(sections),
        actions_intro=actions_intro,
        actions=actions,
        suggested=tuple(key for key in report.suggested if key not in edits),
        programme=tuple(ProgrammeItem(**item) for item in edits.get("programme", ())),
        rode_draad=rode_draad,
        wrap_up=tuple(edits.get("wrap_up", ())),
        save_the_date=SaveTheDate(**save) if save and any(save.values()) else None,
        appendix=_appendix(material, t) if edits.get("appendix") else (),
    )


def build_report(
    material: ReportMaterial, edits: Mapping[str, Any] | None = None, t: Translator | None = None
) -> Report:
    """Return the verslag of a bijeenkomst: the generated draft with the facilitator's edits applied."""
    return apply_edits(generated_report(material, t), edits or {}, material, t)


#: Fields that never go through the personal-data check: the organisers' blocks publish contact details on
#: purpose, the headings are the product's own, keys and shapes are not text anyone reads.
_UNCHECKED_FIELDS = frozenset({"organisers", "organisers_title", "headings", "key", "shape"})


def report_texts(report: Report) -> list[tuple[str, str]]:
    """Return (where, text) for every text of the verslag a participant or the facilitator wrote or a suggestion
    put there (theme names, condensed statements): every string field, however deep, except the organisers'
    blocks, whose contact details are published on purpose, and the fixed headings."""
    texts: list[tuple[str, str]] = [("title", report.title), ("subtitle", report.subtitle), ("motto", report.motto),
                                    ("lead", report.lead), ("welcome", report.welcome)]
    for i, item in enumerate(report.programme):
        texts += [(f"programme[{i}]", text) for text in (item.title, item.speaker, item.function, item.organisation,
                                                          item.text, item.link)]
    for section in report.sections:
        texts += [(f"item.{section.key}.name", section.name)]
        texts += [(f"item.{section.key}.task", p) for p in (section.task_heading, *section.task)]
        texts += [(f"item.{section.key}.prompts", p) for p in section.prompts]
        for block in section.blocks:
            where = f"block.{block.key}"
            texts += [(where, block.title), (where, block.intro), *((where, p) for p in block.paragraphs)]
            texts += [(where, b) for b in block.bullets]
            for g in block.groups:
                texts += [(f"{where}.group.{g.key}", text) for text in (g.title, g.description, *g.bullets)]
            texts += [(where, line) for line in block.counts] + [(where, block.bullets_label)]
            if block.table:
                # An afspraak's who and when are typed by participants: a name there is checked like any text.
                texts += [(where, text) for text in (block.table.label_heading, *block.table.columns)]
                for row in block.table.rows:
                    texts += [(where, text) for text in (row.label, row.description)]
                    texts += [(where, line) for cell in row.cells for line in cell]
    texts += [("actions", report.actions_intro)] + [("actions", line) for line in report.actions]
    if report.terugblik:
        texts += [("terugblik", text) for _, text in _strings_in(report.terugblik)]
    if report.rode_draad:
        texts += [("rode_draad.paragraph", report.rode_draad.paragraph)]
        texts += [("rode_draad.questions", q) for q in report.rode_draad.questions]
        texts += [("rode_draad.themes", text) for th in report.rode_draad.themes for text in (th.name, th.provenance)]
        texts += [("rode_draad.themes", b) for th in report.rode_draad.themes for b in th.bullets]
    texts += [("wrap_up", report.wrap_up_intro)] + [("wrap_up", line) for line in report.wrap_up]
    texts += [("closing", report.closing), ("call", report.call)]
    if report.save_the_date:
        texts += [("save_the_date", text) for _, text in _strings_in(report.save_the_date)]
    for group in report.appendix:
        texts += [("appendix", group.title)]
        texts += [("appendix", text) for item in group.items for text in (item.text, item.context)]
    # A safety net for fields added later (the verdichten statements, say): any text not named above is checked
    # too, under the name of the field that holds it.
    named = Counter(text for _, text in texts)
    for where, text in _strings_in(report, "report"):
        if named[text] > 0:
            named[text] -= 1
        else:
            texts.append((where, text))
    return [(where, text) for where, text in texts if text]


def _strings_in(value: object, where: str = "") -> Iterator[tuple[str, str]]:
    """Yield (field path, string) for every string in a verslag value, the checked fields only."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, tuple | list):
        for inner in value:
            yield from _strings_in(inner, where)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name not in _UNCHECKED_FIELDS:
                yield from _strings_in(getattr(value, field.name), f"{where}.{field.name}")


def attendance(perspectives: Sequence[str | None]) -> tuple[tuple[str, int], ...]:
    """Return how many joined per perspective ("" for none given), in a stable order."""
    counts = Counter(p or "" for p in perspectives)
    return tuple(sorted(counts.items()))

