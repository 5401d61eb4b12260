"""Wording and link checks the verslag's renderers share, so Markdown, HTML and Word say the same thing."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from facilitator.verslag.model import (
    EMPTY_CELL,
    Block,
    Organiser,
    ProgrammeItem,
    SaveTheDate,
    Table,
    TableRow,
    Terugblik,
    ThemeLine,
    WorkformatSection,
)

#: Schemes a link may use. Anything else (javascript:, data:, vbscript:, relative paths) is shown as text.
LINK_SCHEMES = ("http", "https", "mailto")
#: Characters that never belong in a link we emit: whitespace, controls, and what would end an attribute or
#: a Markdown autolink early.
_UNSAFE_IN_LINK = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\]")
#: A plain e-mail address: enough to tell an address from a typo, not a full RFC 5322 parser.
_EMAIL = re.compile(r"^[^@\s<>\"'`\\():;,\[\]]+@[^@\s<>\"'`\\():;,\[\]]+\.[^@\s<>\"'`\\():;,\[\]]+$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
#: Characters XML 1.0 cannot hold, so Word cannot: dropped from every text so that all formats show the same words.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_QUOTES = "\"'“”„‘’‚«»"
#: Joins the line of a group, theme or speaker: "Solidariteit in de gemeenschap – het ervaren van steun".
DASH = " – "


def link_target(url: str) -> str | None:
    """Return the URL when it is safe to link to (http, https with a host, or mailto), else None."""
    url = url.strip()
    if not url or _UNSAFE_IN_LINK.search(url):
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES:
        return None
    # "HTTPS://…" works, but the print style sheet matches a[href^="http"]: write the scheme in lower case.
    url = scheme + url[len(scheme) :]
    if scheme == "mailto":
        return url if _EMAIL.match(url[len("mailto:") :].split("?", 1)[0]) else None
    return url if parts.netloc else None


def email_target(email: str) -> str | None:
    """Return a mailto: link for an e-mail address that looks like one, else None."""
    email = email.strip()
    return "mailto:" + email if _EMAIL.match(email) else None


def one_line(text: str) -> str:
    """Return the text on one line: every run of whitespace (newlines too) becomes one space, control characters go."""
    return " ".join(word for word in (NOT_XML.sub("", part) for part in text.split()) if word)


def paragraphs(text: str) -> list[list[str]]:
    """Split a free text into paragraphs of lines: a blank line parts paragraphs, a newline parts lines."""
    result = []
    for chunk in _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [one_line(line) for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            result.append(lines)
    return result


def quoted(text: str) -> str:
    """Put the text in quotation marks unless it already starts with one (a motto typed with its quotes)."""
    text = one_line(text)
    if not text or text[0] in _QUOTES:
        return text
    return f"“{text}”"


def speaker_line(item: ProgrammeItem) -> str:
    """Return who gave a programme item: "Anna de Vries, GZ-psycholoog, Parlan"."""
    return ", ".join(one_line(part) for part in (item.speaker, item.function, item.organisation) if part.strip())


def theme_bullets(theme: ThemeLine) -> list[str]:
    """Return a rode draad theme's statements, each on one line, without empty ones."""
    return items(theme.bullets)


def theme_parts(theme: ThemeLine) -> tuple[str, str]:
    """Return a rode draad theme's name and its provenance, each on one line."""
    return one_line(theme.name), one_line(theme.provenance)


def save_the_date_when(save: SaveTheDate) -> str:
    """Return the next bijeenkomst's when and where: "7 oktober 15.00 – 17.00 uur in Alkmaar"."""
    when = " ".join(one_line(part) for part in (save.date, save.time) if part.strip())
    place = one_line(save.place)
    if when and place:
        # "in" reads the same in Dutch and English, the two report languages.
        return f"{when} in {place}"
    return when or place


def organiser_lines(organiser: Organiser) -> list[str]:
    """Return an organiser's lines after the name: function and organisation, then the phone number."""
    role = ", ".join(one_line(part) for part in (organiser.function, organiser.organisation) if part.strip())
    return [line for line in (role, one_line(organiser.phone)) if line]


def block_is_empty(block: Block) -> bool:
    """Tell whether a block has nothing to show beneath its title."""
    return not (block.intro.strip() or block.paragraphs or block.bullets or block.groups or block.counts
                or (block.table is not None and block.table.rows))


def visible_blocks(blocks: tuple[Block, ...]) -> list[Block]:
    """Return the blocks that have something to show."""
    return [block for block in blocks if not block_is_empty(block)]


def cell_lines(cell: tuple[str, ...]) -> list[str]:
    """Return a table cell's lines, or the one "–" of an empty cell."""
    return items(cell) or [EMPTY_CELL]


def table_cells(table: Table, row: TableRow) -> list[tuple[str, ...]]:
    """Return a row's cells, one per column: missing cells are empty, surplus cells are not shown."""
    cells = list(row.cells[: len(table.columns)])
    return cells + [()] * (len(table.columns) - len(cells))


def items(texts: tuple[str, ...]) -> list[str]:
    """Return the non-empty texts of a list, each on one line."""
    return [line for line in (one_line(text) for text in texts) if line]


def terugblik_title(terugblik: Terugblik) -> str:
    """Return the previous bijeenkomst's title and date on one line: "Tweede dialoogsessie, 5 februari 2025"."""
    return ", ".join(part for part in (one_line(terugblik.title), one_line(terugblik.date)) if part)


def has_text(text: str) -> bool:
    """Tell whether a free text has anything to show."""
    return bool(text.strip())


def has_task(section: WorkformatSection) -> bool:
    """Tell whether a werkvorm section has a task or case text to show."""
    return any(task.strip() for task in section.task)
