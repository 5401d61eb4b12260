"""One outline, three formats: Markdown, HTML and Word show the same headings, at the same levels, in the same order.

The reports come from Hypothesis over the report model (texts with Markdown and HTML syntax, blank lines, control
characters and empty parts) and from the hand-written fixtures of the renderer tests.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import docx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from facilitator.verslag.docx import render_docx
from facilitator.verslag.html import render_html
from facilitator.verslag.markdown import render_markdown
from facilitator.verslag.model import (
    AppendixGroup,
    AppendixItem,
    Block,
    Group,
    Organiser,
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
from tests.unit.test_reporting_render import REPORT

#: Letters, the syntax of Markdown and HTML, whitespace that parts lines and paragraphs, and characters Word
#: cannot hold (a NUL, a bell, an escape, half a surrogate pair): what a hostile or careless text may carry.
ALPHABET = st.sampled_from(list("abcXYZ ë’1.#*_[]<>&;|~`\\-+=!") + ["\n", "\n\n", "\t", "\x00", "\x07", "\x1b",
                                                                  "\ud800", "&amp;", "<h2>", "# ", "1. "])
TEXT = st.lists(ALPHABET, max_size=8).map("".join)
LINES = st.lists(TEXT, max_size=3).map(tuple)

GROUPS = st.lists(st.builds(Group, key=TEXT, title=TEXT, description=TEXT, bullets=LINES), max_size=2).map(tuple)
TABLES = st.builds(
    Table,
    label_heading=TEXT,
    columns=st.lists(TEXT, min_size=1, max_size=2).map(tuple),
    rows=st.lists(st.builds(TableRow, key=TEXT, label=TEXT, description=TEXT,
                            cells=st.lists(LINES, max_size=3).map(tuple)), max_size=2).map(tuple),
)
BLOCKS = st.builds(
    Block, key=TEXT, title=TEXT, shape=st.sampled_from(["bullets", "bullets_per_bucket", "per_table", "themes"]),
    intro=TEXT, paragraphs=LINES, bullets=LINES, groups=GROUPS, numbered_groups=st.booleans(), counts=LINES,
    numbered_counts=st.booleans(), table=st.none() | TABLES, bullets_label=TEXT,
)
SECTIONS = st.builds(
    WorkformatSection, key=TEXT, name=TEXT, description=TEXT, task=LINES, task_heading=TEXT, prompts=LINES,
    blocks=st.lists(BLOCKS, max_size=2).map(tuple),
)
HEADING_KEYS = ("welcome", "programme", "rode_draad", "themes", "questions", "wrap_up", "closing", "save_the_date",
                "organisers", "appendix", "more_info", "by", "prompts", "case", "afspraken", "actions")
REPORTS = st.builds(
    Report,
    title=TEXT, subtitle=TEXT, motto=TEXT, lead=TEXT, welcome=TEXT,
    terugblik=st.none() | st.builds(Terugblik, title=TEXT, date=TEXT, rode_draden=LINES, rode_draad=TEXT,
                                    afspraak_lines=LINES),
    programme=st.lists(st.builds(ProgrammeItem, title=TEXT, speaker=TEXT, text=TEXT, link=TEXT), max_size=2)
    .map(tuple),
    sections=st.lists(SECTIONS, max_size=2).map(tuple),
    rode_draad=st.none() | st.builds(RodeDraad, paragraph=TEXT, questions=LINES,
                                     themes=st.lists(st.builds(ThemeLine, name=TEXT, provenance=TEXT, bullets=LINES),
                                                     max_size=2).map(tuple)),
    wrap_up_intro=TEXT, wrap_up=LINES, closing=TEXT, call=TEXT,
    save_the_date=st.none() | st.builds(SaveTheDate, date=TEXT, time=TEXT, place=TEXT, label=TEXT),
    organisers_title=TEXT,
    organisers=st.lists(st.builds(Organiser, name=TEXT, email=TEXT), max_size=2).map(tuple),
    actions_intro=TEXT, actions=LINES,
    appendix=st.lists(st.builds(AppendixGroup, title=TEXT,
                                items=st.lists(st.builds(AppendixItem, text=TEXT, context=TEXT), max_size=2)
                                .map(tuple)), max_size=2).map(tuple),
    headings=st.lists(st.tuples(st.sampled_from(HEADING_KEYS), TEXT), max_size=4).map(tuple),
)

Headings = list[tuple[int, str]]

_MD_HEADING = re.compile(r"^(#{1,6})(?: (.*))?$")
_MD_ESCAPE = re.compile(r"\\(.)")


def markdown_headings(markdown: str) -> Headings:
    """Return the ATX headings of the Markdown, their backslash escapes undone."""
    found = []
    for line in markdown.split("\n"):
        match = _MD_HEADING.match(line)
        if match:
            found.append((len(match.group(1)), _MD_ESCAPE.sub(r"\1", match.group(2) or "")))
    return found


class _HtmlHeadings(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Headings = []
        self._text: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag) and self._text is not None:
            self.found.append((int(tag[1]), "".join(self._text)))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def html_headings(html: str) -> Headings:
    """Return the h1–h6 of the HTML with their text."""
    return _HtmlHeadings(html).found


def word_headings(data: bytes) -> Headings:
    """Return the Word document's outline: "Title" is the top level, "Heading N" the level below it."""
    found = []
    for paragraph in docx.Document(io.BytesIO(data)).paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if name == "Title":
            found.append((1, paragraph.text))
        elif name.startswith("Heading "):
            found.append((int(name.split()[1]) + 1, paragraph.text))
    return found


def assert_same_outline(report: Report) -> None:
    markdown = markdown_headings(render_markdown(report))
    assert html_headings(render_html(report)) == markdown
    assert word_headings(render_docx(report)) == markdown


def test_the_fixture_report_has_the_same_headings_in_every_format() -> None:
    assert len(markdown_headings(render_markdown(REPORT))) == 20
    assert_same_outline(REPORT)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REPORTS)
@example(Report(title="Kop\x07", headings=(("welcome", "Wel\x00kom"),), welcome="x"))
def test_markdown_html_and_word_show_the_same_headings_in_the_same_order(report: Report) -> None:
    assert_same_outline(report)
