"""The verslag as Markdown: the Markdown export and the plain-text part of the e-mail.

It has to read well as plain text, so it uses only the quiet parts of Markdown: `#` headings, `**bold**`,
`*italic*` for the motto, `-` bullets, numbered lists, hard line breaks (two trailing spaces) inside an
organiser block, and `<https://…>` autolinks, which read as a bare address in a plain-text mail.

Every text of the report may carry a participant's words, so every text is escaped (see `escape`) and
cannot change the document's structure: no heading, list, quote, link, image, code or HTML of its own.
"""

from __future__ import annotations

import re
from typing import assert_never

from facilitator.verslag.model import Report
from facilitator.verslag.outline import (
    Bullets,
    Contacts,
    Field,
    Grid,
    Groups,
    Heading,
    Link,
    Node,
    Notice,
    Part,
    Text,
    outline,
)
from facilitator.verslag.text import DASH, one_line

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
    for part in outline(report):
        _node(part, out)
    return "\n\n".join(out) + "\n"


#: How the roles of a one-line text stand out: the subtitle bold, the motto italic.
_EMPHASIS = {"subtitle": "**", "motto": "*"}


def _node(node: Node, out: list[str]) -> None:
    """Add one node of the outline as Markdown blocks (parted by a blank line)."""
    match node:
        case Part():
            for child in node.children:
                _node(child, out)
        case Heading():
            out.append(f"{'#' * node.level} {escape(node.text)}")
        case Text():
            mark = _EMPHASIS.get(node.role, "")
            out.extend(mark + _BREAK.join(escape(line) for line in lines) + mark for lines in node.paragraphs)
        case Bullets():
            out.append("\n".join(
                f"{f'{number}.' if node.numbered else '-'} {escape(item.text)}"
                + (f" ({escape(item.context)})" if item.context else "")
                for number, item in enumerate(node.items, 1)
            ))
        case Groups():
            _groups(node, out)
        case Grid():
            _grid(node, out)
        case Field():
            out.append(f"{escape(node.label)}: {escape(node.value)}")
        case Link():
            # An autolink reads as the bare address in a plain-text mail and is clickable in Markdown.
            shown = f"<{node.target}>" if node.target else escape(node.text)
            out.append(f"{escape(node.label)}: {shown}")
        case Notice():
            lines = [f"**{escape(node.label)}:** {escape(node.text)}"]
            if node.detail:
                lines.append(escape(node.detail))
            out.append(_BREAK.join(lines))
        case Contacts():
            for contact in node.contacts:
                lines = [f"**{escape(contact.name)}**", *(escape(line) for line in contact.lines)]
                if contact.email:
                    autolink = contact.email_target and _AUTOLINK_EMAIL.match(contact.email)
                    lines.append(f"<{contact.email}>" if autolink else escape(contact.email))
                out.append(_BREAK.join(lines))
        case _:
            assert_never(node)


def _bold_line(title: str, description: str) -> str:
    """Return "**title** – description", the line of a group or a theme."""
    line = f"**{escape(title)}**"
    return f"{line}{DASH}{escape(description)}" if description else line


def _groups(groups: Groups, out: list[str]) -> None:
    """Add numbered groups and themes as one list with nested bullets, titled groups as a bold line and a list."""
    if groups.role == "titled":
        for group in groups.groups:
            out.append(_bold_line(group.title, group.description))
            if group.bullets:
                out.append("\n".join(f"- {escape(bullet)}" for bullet in group.bullets))
        return
    lines = []
    for number, group in enumerate(groups.groups, 1):
        marker = f"{number}." if groups.role == "numbered" else "-"
        # Indented to the item's text, the bullets stay part of the item.
        indent = " " * (len(marker) + 1)
        lines.append(f"{marker} {_bold_line(group.title, group.description)}")
        lines.extend(f"{indent}- {escape(bullet)}" for bullet in group.bullets)
    out.append("\n".join(lines))


#: A Markdown table stays readable in a plain-text mail only while every cell is one short line.
TABLE_CELL_MAX = 40


def _fits_a_table(grid: Grid) -> bool:
    return all(len(cell) <= 1 and all(len(line) <= TABLE_CELL_MAX for line in cell)
               for row in grid.rows for cell in row.cells) and \
        all(not row.description and len(row.label) <= 2 * TABLE_CELL_MAX for row in grid.rows)


def _grid(grid: Grid, out: list[str]) -> None:
    """Add a table: a pipe table when its cells are short single lines, else a list per row with the columns."""
    if _fits_a_table(grid):
        lines = ["| " + " | ".join(escape(cell) for cell in grid.header) + " |",
                 "|" + "|".join("---" for _ in grid.header) + "|"]
        for row in grid.rows:
            lines.append("| " + " | ".join([escape(row.label), *(escape(cell[0]) for cell in row.cells)]) + " |")
        out.append("\n".join(lines))
        return
    for row in grid.rows:
        lines = [_bold_line(row.label, row.description)]
        for column, shown in zip(grid.header[1:], row.cells, strict=True):
            if len(shown) == 1:
                lines.append(f"- *{escape(column)}*: {escape(shown[0])}")
            else:
                lines.append(f"- *{escape(column)}*:")
                lines.extend(f"  - {escape(line)}" for line in shown)
        out.append("\n".join(lines))
