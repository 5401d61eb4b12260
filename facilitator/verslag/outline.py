"""The verslag's outline, written once: which parts, in which order, under which headings, with what in them.

`outline(report)` turns the report into a tree of typed nodes; the Markdown, HTML and Word renderers walk it and
only say how each node looks in their format. Every text in it is already on one line (or split into paragraphs
of lines), so a renderer never decides what is shown, only how.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from facilitator.verslag.model import Block, Report, Table, WorkformatSection
from facilitator.verslag.text import (
    cell_lines,
    email_target,
    has_task,
    has_text,
    items,
    link_target,
    one_line,
    organiser_lines,
    paragraphs,
    quoted,
    save_the_date_when,
    speaker_line,
    table_cells,
    terugblik_title,
    theme_bullets,
    theme_parts,
    visible_blocks,
)

__all__ = [
    "Bullets", "Contact", "Contacts", "Field", "Grid", "GridRow", "Groups", "Heading", "Item", "Link", "Node",
    "Notice", "Part", "Text", "Titled", "outline",
]

#: What a free text is, for the formats that show it differently: the title page's subtitle and motto, the lead,
#: a werkvorm's description, a block's intro, the call to join, the label before a list.
TextRole = Literal["", "subtitle", "motto", "lead", "description", "intro", "call", "label"]
#: What a list holds, for the formats that tell them apart (a class in HTML).
ListRole = Literal["", "prompts", "counts", "questions"]
#: numbered: "1. Title – description" with its bullets; titled: a bold title line, then its bullets; themes: a
#: bulleted list whose items carry their own bullets.
GroupsRole = Literal["numbered", "titled", "themes"]
#: The part of the verslag a Part is, in document order.
PartKind = Literal[
    "title", "welcome", "terugblik", "afspraken", "programme", "programme-item", "werkvorm", "case", "block",
    "rode-draad", "wrap-up", "actions", "closing", "organisers", "appendix",
]


@dataclass(frozen=True)
class Heading:
    """A heading: level 1 is the report's title, 2 a part of it, 3 a part of that."""

    level: int
    text: str


@dataclass(frozen=True)
class Text:
    """A free text: one or more paragraphs of lines."""

    paragraphs: tuple[tuple[str, ...], ...]
    role: TextRole = ""
    #: Whether it may carry a participant's words; the preview marks likely personal data only in those.
    marked: bool = True
    #: Written by the tool and not yet replaced or confirmed by the facilitator; the preview says so.
    suggested: bool = False


@dataclass(frozen=True)
class Item:
    """A list item; a raw contribution has its context, shown after it in brackets."""

    text: str
    context: str = ""


@dataclass(frozen=True)
class Bullets:
    """A bulleted or numbered list."""

    items: tuple[Item, ...]
    numbered: bool = False
    role: ListRole = ""


@dataclass(frozen=True)
class Titled:
    """A titled list inside a block or the rode draad: a bucket, a table's advice, a theme."""

    key: str
    title: str
    description: str
    bullets: tuple[str, ...]


@dataclass(frozen=True)
class Groups:
    """The titled lists of a block or the rode draad's themes."""

    groups: tuple[Titled, ...]
    role: GroupsRole


@dataclass(frozen=True)
class GridRow:
    """A table row: its label (and description) and, per column, the lines shown in that cell."""

    label: str
    description: str
    cells: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Grid:
    """A real table: the header (the label column's heading first), then the rows."""

    header: tuple[str, ...]
    rows: tuple[GridRow, ...]


@dataclass(frozen=True)
class Field:
    """A labelled line: "Door: Anna de Vries, opvoedadviseur"."""

    label: str
    value: str


@dataclass(frozen=True)
class Link:
    """A "Meer info" line: the address as given, and the target when it is safe to link to."""

    label: str
    text: str
    target: str | None


@dataclass(frozen=True)
class Notice:
    """A line that stands out: "SAVE THE DATE: 7 oktober 15.00 uur in Alkmaar", then a detail line."""

    label: str
    text: str
    detail: str = ""


@dataclass(frozen=True)
class Contact:
    """An organiser's block: the name, the lines after it, the e-mail address and its mailto: when valid."""

    name: str
    lines: tuple[str, ...]
    email: str
    email_target: str | None


@dataclass(frozen=True)
class Contacts:
    """The organisers, side by side where the format allows."""

    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class Part:
    """A part of the verslag holding nodes: a section of the document, or a part inside one."""

    kind: PartKind
    children: tuple[Node, ...]
    #: The key its edits are stored under (a werkvorm's or a block's); None where it has none.
    key: str | None = None
    #: A block's shape (bullets, per_table, …).
    shape: str | None = None


Node = Heading | Text | Bullets | Groups | Grid | Field | Link | Notice | Contacts | Part


def outline(report: Report) -> list[Part]:
    """Return the verslag's parts in the order the source reports share; a part with nothing to show is left out."""
    parts = [_title(report), _welcome(report), _programme(report)]
    parts.extend(_section(report, section) for section in report.sections)
    parts.extend([_rode_draad(report), _wrap_up(report), _actions(report), _closing(report), _organisers(report),
                  _appendix(report)])
    return [part for part in parts if part is not None]


def _text(value: str, role: TextRole = "", *, marked: bool = True, suggested: bool = False) -> list[Node]:
    """Return a free text as a node, or nothing when it has nothing to show."""
    found = tuple(tuple(lines) for lines in paragraphs(value))
    return [Text(found, role, marked, suggested)] if found else []


def _line(value: str, role: TextRole, *, marked: bool = False) -> list[Node]:
    """Return a text that stays on one line (a subtitle, a motto, a label), or nothing when it is empty."""
    line = one_line(value)
    return [Text(((line,),), role, marked)] if line else []


def _bullets(texts: list[str], *, numbered: bool = False, role: ListRole = "") -> list[Node]:
    return [Bullets(tuple(Item(text) for text in texts), numbered, role)] if texts else []


def _heading(level: int, text: str) -> Heading:
    return Heading(level, one_line(text))


def _title(report: Report) -> Part:
    children: list[Node] = []
    if has_text(report.title):
        children.append(_heading(1, report.title))
    children += _line(report.subtitle, "subtitle")
    children += _line(quoted(report.motto), "motto")
    children += _text(report.lead, "lead")
    # Always there, so the HTML keeps its <header> even for an empty report.
    return Part("title", tuple(children))


def _welcome(report: Report) -> Part | None:
    terugblik = report.terugblik
    if not (has_text(report.welcome) or terugblik):
        return None
    children: list[Node] = [_heading(2, report.heading("welcome"))]
    if has_text(report.welcome):
        # The welcome is the terugblik in the facilitator's words; the structured one stands in when it is empty.
        children += _text(report.welcome)
    elif terugblik:
        children.append(Part("terugblik", (_heading(3, terugblik_title(terugblik)), *_text(terugblik.rode_draad),
                                           *_bullets(items(terugblik.rode_draden)))))
    if terugblik and items(terugblik.afspraak_lines):
        children.append(Part("afspraken", (_heading(3, report.heading("afspraken")),
                                           *_bullets(items(terugblik.afspraak_lines)))))
    return Part("welcome", tuple(children))


def _programme(report: Report) -> Part | None:
    if not report.programme:
        return None
    children: list[Node] = [_heading(2, report.heading("programme"))]
    for item in report.programme:
        nodes: list[Node] = [_heading(3, item.title)]
        speaker = speaker_line(item)
        if speaker:
            nodes.append(Field(one_line(report.heading("by")), speaker))
        nodes += _text(item.text)
        if has_text(item.link):
            nodes.append(Link(one_line(report.heading("more_info")), one_line(item.link), link_target(item.link)))
        children.append(Part("programme-item", tuple(nodes)))
    return Part("programme", tuple(children))


def _section(report: Report, section: WorkformatSection) -> Part | None:
    blocks = visible_blocks(section.blocks)
    prompts = items(section.prompts)
    if not (has_task(section) or prompts or blocks):
        return None
    children: list[Node] = [_heading(2, section.name), *_text(section.description, "description", marked=False)]
    if has_task(section):
        case: list[Node] = [_heading(3, section.task_heading or report.heading("case"))]
        for task in section.task:
            case += _text(task)
        children.append(Part("case", tuple(case)))
    if prompts:
        children += [_heading(3, report.heading("prompts")), *_bullets(prompts, numbered=True, role="prompts")]
    children.extend(_block(block) for block in blocks)
    return Part("werkvorm", tuple(children), key=section.key)


def _block(block: Block) -> Part:
    children: list[Node] = []
    if has_text(block.title):
        children.append(_heading(3, block.title))
    children += _text(block.intro, "intro")
    children += _bullets(items(block.counts), numbered=block.numbered_counts, role="counts")
    for paragraph in block.paragraphs:
        children += _text(paragraph)
    if block.table is not None and block.table.rows:
        children.append(_grid(block.table))
    bullets = items(block.bullets)
    if bullets:
        children += _line(block.bullets_label, "label")
    children += _bullets(bullets)
    if block.groups:
        groups = tuple(Titled(g.key, one_line(g.title), one_line(g.description), tuple(items(g.bullets)))
                       for g in block.groups)
        children.append(Groups(groups, "numbered" if block.numbered_groups else "titled"))
    return Part("block", tuple(children), key=block.key, shape=block.shape)


def _grid(table: Table) -> Grid:
    rows = tuple(
        GridRow(one_line(row.label), one_line(row.description), tuple(tuple(cell_lines(cell))
                                                                     for cell in table_cells(table, row)))
        for row in table.rows
    )
    return Grid(tuple(one_line(text) for text in (table.label_heading, *table.columns)), rows)


def _rode_draad(report: Report) -> Part | None:
    rode_draad = report.rode_draad
    if rode_draad is None:
        return None
    questions = items(rode_draad.questions)
    themes = [theme for theme in rode_draad.themes if has_text(theme.name)]
    if not (has_text(rode_draad.paragraph) or questions or themes):
        return None
    children: list[Node] = [_heading(2, report.heading("rode_draad")), *_text(rode_draad.paragraph)]
    if themes:
        titled = tuple(Titled("", *theme_parts(theme), tuple(theme_bullets(theme))) for theme in themes)
        children += [_heading(3, report.heading("themes")), Groups(titled, "themes")]
    if questions:
        children += [_heading(3, report.heading("questions")), *_bullets(questions, role="questions")]
    return Part("rode-draad", tuple(children))


def _wrap_up(report: Report) -> Part | None:
    lines = items(report.wrap_up)
    if not (lines or has_text(report.wrap_up_intro)):
        return None
    return Part("wrap-up", (_heading(2, report.heading("wrap_up")), *_text(report.wrap_up_intro), *_bullets(lines)))


def _actions(report: Report) -> Part | None:
    lines = items(report.actions)
    if not lines:
        return None
    return Part("actions", (_heading(2, report.heading("actions")), *_text(report.actions_intro), *_bullets(lines)))


def _closing(report: Report) -> Part | None:
    save = report.save_the_date
    if save is not None and save.is_empty():
        save = None
    if not (has_text(report.closing) or has_text(report.call) or save):
        return None
    children: list[Node] = [
        _heading(2, report.heading("closing")),
        *_text(report.closing, suggested="closing" in report.suggested),
        *_text(report.call, "call", suggested="call" in report.suggested),
    ]
    if save is not None:
        when, label = save_the_date_when(save), one_line(save.label)
        children.append(Notice(one_line(report.heading("save_the_date")), when or label, label if when else ""))
    return Part("closing", tuple(children))


def _organisers(report: Report) -> Part | None:
    organisers = [organiser for organiser in report.organisers if has_text(organiser.name)]
    if not organisers:
        return None
    contacts = tuple(
        Contact(one_line(o.name), tuple(organiser_lines(o)), one_line(o.email), email_target(one_line(o.email)))
        for o in organisers
    )
    return Part("organisers", (_heading(2, report.organisers_title or report.heading("organisers")),
                               Contacts(contacts)))


def _appendix(report: Report) -> Part | None:
    groups = [group for group in report.appendix if any(has_text(item.text) for item in group.items)]
    if not groups:
        return None
    children: list[Node] = [_heading(2, report.heading("appendix"))]
    for group in groups:
        if has_text(group.title):
            children.append(_heading(3, group.title))
        contributions = [Item(one_line(item.text), one_line(item.context)) for item in group.items]
        children.append(Bullets(tuple(item for item in contributions if item.text)))
    return Part("appendix", tuple(children))
