"""The verslag as Markdown: the Markdown export and the plain-text part of the e-mail.

It has to read well as plain text, so it uses only the quiet parts of Markdown: `#` headings, `**bold**`,
`*italic*` for the motto, `-` bullets, numbered lists, hard line breaks (two trailing spaces) inside an
organiser block, and `<https://…>` autolinks, which read as a bare address in a plain-text mail.

Every text of the report may carry a participant's words, so every text is escaped (see `escape`) and
cannot change the document's structure: no heading, list, quote, link, image, code or HTML of its own.
"""

from __future__ import annotations

import re

from facilitator.verslag.model import Block, Report, Table, WorkformatSection
from facilitator.verslag.text import (
    DASH,
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

#: Characters escaped wherever they stand: backslash (escapes), backtick (code), * and _ (emphasis),
#: [ and ] (links, images, footnotes, reference definitions), < (HTML and autolinks), | (GFM tables),
#: ~ (GFM strikethrough and ~~~ code fences).
_INLINE = re.compile(r"([\\`*_\[\]<|~])")
#: & only where it would start an entity (&amp; &#60; &#x3C;), so "J&G" stays readable.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: At the start of a line: an ATX heading (# followed by a space or nothing).
_HEADING_START = re.compile(r"^(?=#{1,6}(?:\s|$))")
#: At the start of a line: a block quote, or a bullet (- or + followed by a space or nothing).
_QUOTE_OR_BULLET_START = re.compile(r"^(?=>|[-+](?:\s|$))")
#: A line of only - and = (and spaces): a setext underline or a thematic break.
_RULE_LINE = re.compile(r"^(?=[-=][-=\s]*$)")
#: At the start of a line: an ordered list item ("1. " or "1) ").
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
#: At the end of a line: the closing #'s of an ATX heading ("## Kop #").
_HEADING_END = re.compile(r"(\s)(#+)$")
#: The e-mail addresses CommonMark turns into a link between < and > (others are written as text).
_AUTOLINK_EMAIL = re.compile(
    r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"
)
#: A hard line break that reads as a plain newline in a plain-text mail.
_BREAK = "  \n"


def escape(text: str) -> str:
    """Return one line of text with every Markdown-active character backslash-escaped.

    Escaped everywhere: \\ ` * _ [ ] < | ~, and & where it would start an entity. Escaped at the start of the
    line: # (heading), > (quote), - and + before a space (bullet), the . or ) of "1. " / "1) " (numbered
    item), and the first - or = of a line made of them (underline, rule). Escaped at the end: a closing run
    of # after a space. Whitespace is folded to single spaces, so no indented code block and no hard break
    can come from the text.
    """
    line = one_line(text)
    line = _INLINE.sub(r"\\\1", line)
    line = _ENTITY.sub(r"\\&", line)
    line = _HEADING_START.sub("\\\\", line)
    line = _QUOTE_OR_BULLET_START.sub("\\\\", line)
    line = _RULE_LINE.sub("\\\\", line)
    line = _ORDERED_START.sub(r"\1\\\2", line)
    return _HEADING_END.sub(r"\1\\\2", line)


def render_markdown(report: Report) -> str:
    """Render the verslag as Markdown that also reads well as plain text."""
    out: list[str] = []
    _title(report, out)
    _welcome(report, out)
    _programme(report, out)
    for section in report.sections:
        _section(report, section, out)
    _rode_draad(report, out)
    _wrap_up(report, out)
    _actions(report, out)
    _closing(report, out)
    _organisers(report, out)
    _appendix(report, out)
    return "\n\n".join(out) + "\n"


def _heading(level: int, text: str, out: list[str]) -> None:
    out.append(f"{'#' * level} {escape(text)}")


def _text(text: str, out: list[str]) -> None:
    """Add a free text: a Markdown paragraph per paragraph, a hard break per line."""
    for lines in paragraphs(text):
        out.append(_BREAK.join(escape(line) for line in lines))


def _bullets(texts: list[str], out: list[str]) -> None:
    if texts:
        out.append("\n".join(f"- {escape(text)}" for text in texts))


def _numbered(texts: list[str], out: list[str]) -> None:
    if texts:
        out.append("\n".join(f"{number}. {escape(text)}" for number, text in enumerate(texts, 1)))


def _bold_line(title: str, description: str) -> str:
    """Return "**title** – description", the line of a group or a theme."""
    line = f"**{escape(title)}**"
    return f"{line}{DASH}{escape(description)}" if description.strip() else line


def _title(report: Report, out: list[str]) -> None:
    if has_text(report.title):
        _heading(1, report.title, out)
    if has_text(report.subtitle):
        out.append(f"**{escape(report.subtitle)}**")
    if has_text(report.motto):
        out.append(f"*{escape(quoted(report.motto))}*")
    _text(report.lead, out)


def _welcome(report: Report, out: list[str]) -> None:
    terugblik = report.terugblik
    if not (has_text(report.welcome) or terugblik):
        return
    _heading(2, report.heading("welcome"), out)
    if has_text(report.welcome):
        # The welcome is the terugblik in the facilitator's words; the structured one stands in when it is empty.
        _text(report.welcome, out)
    elif terugblik:
        _heading(3, terugblik_title(terugblik), out)
        _text(terugblik.rode_draad, out)
        _bullets(items(terugblik.rode_draden), out)
    if terugblik and items(terugblik.afspraak_lines):
        _heading(3, report.heading("afspraken"), out)
        _bullets(items(terugblik.afspraak_lines), out)


def _programme(report: Report, out: list[str]) -> None:
    if not report.programme:
        return
    _heading(2, report.heading("programme"), out)
    for item in report.programme:
        _heading(3, item.title, out)
        speaker = speaker_line(item)
        if speaker:
            out.append(f"{escape(report.heading('by'))}: {escape(speaker)}")
        _text(item.text, out)
        if has_text(item.link):
            target = link_target(item.link)
            # An autolink reads as the bare address in a plain-text mail and is clickable in Markdown.
            shown = f"<{target}>" if target else escape(item.link)
            out.append(f"{escape(report.heading('more_info'))}: {shown}")


def _section(report: Report, section: WorkformatSection, out: list[str]) -> None:
    blocks = visible_blocks(section.blocks)
    prompts = items(section.prompts)
    if not (has_task(section) or prompts or blocks):
        return
    _heading(2, section.name, out)
    _text(section.description, out)
    if has_task(section):
        _heading(3, section.task_heading or report.heading("case"), out)
        for task in section.task:
            _text(task, out)
    if prompts:
        _heading(3, report.heading("prompts"), out)
        _numbered(prompts, out)
    for block in blocks:
        _block(block, out)


def _block(block: Block, out: list[str]) -> None:
    if has_text(block.title):
        _heading(3, block.title, out)
    _text(block.intro, out)
    if block.numbered_counts:
        _numbered(items(block.counts), out)
    else:
        _bullets(items(block.counts), out)
    for paragraph in block.paragraphs:
        _text(paragraph, out)
    if block.table is not None:
        _table(block.table, out)
    bullets = items(block.bullets)
    if bullets and has_text(block.bullets_label):
        out.append(escape(block.bullets_label))
    _bullets(bullets, out)
    if block.numbered_groups:
        lines = []
        for number, group in enumerate(block.groups, 1):
            marker = f"{number}."
            # Indented to the item's text, the bullets stay part of the numbered item.
            indent = " " * (len(marker) + 1)
            lines.append(f"{marker} {_bold_line(group.title, group.description)}")
            lines.extend(f"{indent}- {escape(bullet)}" for bullet in items(group.bullets))
        if lines:
            out.append("\n".join(lines))
    else:
        for group in block.groups:
            out.append(_bold_line(group.title, group.description))
            _bullets(items(group.bullets), out)


#: A Markdown table stays readable in a plain-text mail only while every cell is one short line.
TABLE_CELL_MAX = 40


def _fits_a_table(table: Table) -> bool:
    cells = [cell for row in table.rows for cell in table_cells(table, row)]
    return all(len(cell) <= 1 and all(len(one_line(line)) <= TABLE_CELL_MAX for line in cell) for cell in cells) and \
        all(not has_text(row.description) and len(one_line(row.label)) <= 2 * TABLE_CELL_MAX for row in table.rows)


def _table(table: Table, out: list[str]) -> None:
    """Add a table: a pipe table when its cells are short single lines, else a list per row with the columns."""
    if not table.rows:
        return
    if _fits_a_table(table):
        header = [table.label_heading, *table.columns]
        lines = ["| " + " | ".join(escape(cell) for cell in header) + " |",
                 "|" + "|".join("---" for _ in header) + "|"]
        for row in table.rows:
            cells = [escape(row.label), *(escape(cell_lines(cell)[0]) for cell in table_cells(table, row))]
            lines.append("| " + " | ".join(cells) + " |")
        out.append("\n".join(lines))
        return
    for row in table.rows:
        lines = [_bold_line(row.label, row.description)]
        for column, cell in zip(table.columns, table_cells(table, row), strict=True):
            shown = cell_lines(cell)
            if len(shown) == 1:
                lines.append(f"- *{escape(column)}*: {escape(shown[0])}")
            else:
                lines.append(f"- *{escape(column)}*:")
                lines.extend(f"  - {escape(line)}" for line in shown)
        out.append("\n".join(lines))


def _actions(report: Report, out: list[str]) -> None:
    lines = items(report.actions)
    if not lines:
        return
    _heading(2, report.heading("actions"), out)
    _text(report.actions_intro, out)
    _bullets(lines, out)


def _rode_draad(report: Report, out: list[str]) -> None:
    rode_draad = report.rode_draad
    if rode_draad is None:
        return
    questions = items(rode_draad.questions)
    themes = [theme for theme in rode_draad.themes if has_text(theme.name)]
    if not (has_text(rode_draad.paragraph) or questions or themes):
        return
    _heading(2, report.heading("rode_draad"), out)
    _text(rode_draad.paragraph, out)
    if themes:
        _heading(3, report.heading("themes"), out)
        lines = []
        for theme in themes:
            lines.append(f"- {_bold_line(*theme_parts(theme))}")
            lines.extend(f"  - {escape(bullet)}" for bullet in theme_bullets(theme))
        out.append("\n".join(lines))
    if questions:
        _heading(3, report.heading("questions"), out)
        _bullets(questions, out)


def _wrap_up(report: Report, out: list[str]) -> None:
    lines = items(report.wrap_up)
    if not (lines or has_text(report.wrap_up_intro)):
        return
    _heading(2, report.heading("wrap_up"), out)
    _text(report.wrap_up_intro, out)
    _bullets(lines, out)


def _closing(report: Report, out: list[str]) -> None:
    save = report.save_the_date
    if save is not None and save.is_empty():
        save = None
    if not (has_text(report.closing) or has_text(report.call) or save):
        return
    _heading(2, report.heading("closing"), out)
    _text(report.closing, out)
    _text(report.call, out)
    if save:
        when, label = save_the_date_when(save), one_line(save.label)
        lines = [f"**{escape(report.heading('save_the_date'))}:** {escape(when or label)}"]
        if when and label:
            lines.append(escape(label))
        out.append(_BREAK.join(lines))


def _organisers(report: Report, out: list[str]) -> None:
    organisers = [organiser for organiser in report.organisers if has_text(organiser.name)]
    if not organisers:
        return
    _heading(2, report.organisers_title or report.heading("organisers"), out)
    for organiser in organisers:
        lines = [f"**{escape(organiser.name)}**", *(escape(line) for line in organiser_lines(organiser))]
        email = one_line(organiser.email)
        if email:
            lines.append(f"<{email}>" if email_target(email) and _AUTOLINK_EMAIL.match(email) else escape(email))
        out.append(_BREAK.join(lines))


def _appendix(report: Report, out: list[str]) -> None:
    groups = [group for group in report.appendix if any(has_text(item.text) for item in group.items)]
    if not groups:
        return
    _heading(2, report.heading("appendix"), out)
    for group in groups:
        if has_text(group.title):
            _heading(3, group.title, out)
        lines = []
        for item in group.items:
            text, context = one_line(item.text), one_line(item.context)
            if text:
                lines.append(f"- {escape(text)} ({escape(context)})" if context else f"- {escape(text)}")
        out.append("\n".join(lines))
