"""The verslag as one standalone HTML document: the print-ready export, the preview and the e-mail's HTML part.

Standalone means nothing is fetched: no web fonts, no images, no scripts, no external style sheet; the
only URLs are the report's own links ("Meer info", organiser e-mail). Every text is escaped with
`html.escape(quote=True)`, and a link gets an `href` only when it is http(s):// or mailto:.

The embedded `<style>` is inline CSS, which the app's Content-Security-Policy (`style-src 'self'`) blocks on a
page it serves; a route that serves this document adds `style_source()` to its `style-src`.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence
from html import escape
from typing import assert_never

from facilitator.verslag.model import Report
from facilitator.verslag.outline import (
    Bullets,
    Contact,
    Contacts,
    Field,
    Grid,
    Groups,
    Heading,
    Item,
    Link,
    Node,
    Notice,
    Part,
    Text,
    Titled,
    outline,
)
from facilitator.verslag.text import DASH, one_line

#: Splits a text into (piece, kind) segments, kind None for ordinary text; joined, the pieces make the text.
Highlighter = Callable[[str], Sequence[tuple[str, str | None]]]

_FONT_SANS = '"Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, "Liberation Sans", sans-serif'
_FONT_SERIF = 'Georgia, Cambria, "Times New Roman", "Liberation Serif", serif'

#: Screen and print: A4 pages with 2 cm margins, headings kept with what follows, groups and organiser blocks
#: kept whole, link addresses printed after the link text for readers on paper.
PRINT_CSS = f"""
@page {{ size: A4; margin: 2cm 2cm; }}
html {{ background: #f3f0eb; }}
body {{ margin: 0; padding: 1.5rem; color: #1d1d1f; font: 16px/1.55 {_FONT_SANS}; }}
#verslag {{ max-width: 44rem; margin: 0 auto; padding: 2.5rem 3rem; background: #fff; }}
h1, h2, h3 {{ line-height: 1.25; color: #8b1e1a; break-after: avoid; page-break-after: avoid; }}
h1 {{ font-size: 2rem; margin: 0 0 .4rem; }}
h2 {{ font-size: 1.4rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid #e4d6d3; }}
h3 {{ font-size: 1.12rem; margin: 1.4rem 0 .4rem; }}
p, li {{ orphans: 3; widows: 3; }}
p {{ margin: 0 0 .75rem; }}
ul, ol {{ margin: 0 0 .9rem; padding-left: 1.5rem; }}
li {{ margin: .15rem 0; }}
.subtitle {{ font-size: 1.2rem; font-weight: 600; color: #4a4a4f; }}
.motto {{ font-family: {_FONT_SERIF}; font-size: 1.1rem; font-style: italic; color: #4a4a4f; }}
.lead {{ font-size: 1.05rem; }}
.by, .context, .description {{ color: #55555a; }}
.case {{ margin: 0 0 1rem; padding: .2rem 0 .2rem 1rem; border-left: 4px solid #e4d6d3; }}
.case h3 {{ margin-top: .4rem; }}
.groups > .group {{ margin-bottom: .8rem; }}
.group, .organiser, .save-the-date {{ break-inside: avoid; page-break-inside: avoid; }}
.group-title {{ margin: 0 0 .25rem; }}
.group ul {{ margin-bottom: .4rem; }}
.save-the-date {{ margin: 1.6rem 0; padding: .9rem 1.2rem; border: 2px solid #b3261e; border-radius: 6px;
  background: #fbeeec; }}
.save-the-date p {{ margin: 0; }}
.save-the-date .when {{ font-weight: 700; font-size: 1.1rem; }}
.organiser-grid {{ display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1rem 2rem; }}
.organiser p {{ margin: 0; }}
.organiser .name {{ font-weight: 700; }}
a {{ color: #0b57d0; overflow-wrap: anywhere; }}
mark.pii {{ background: #ffe38a; color: inherit; outline: 1px dashed #9a6b00; }}
table.answers {{ width: 100%; margin: 0 0 1rem; border-collapse: collapse; font-size: .95rem; }}
table.answers th, table.answers td {{ padding: .35rem .5rem; border: 1px solid #d8ccc9; text-align: left;
  vertical-align: top; }}
table.answers thead th {{ background: #f6efed; }}
table.answers ul {{ margin: 0; padding-left: 1.1rem; }}
table.answers th .description {{ font-weight: normal; }}
table.answers tr {{ break-inside: avoid; page-break-inside: avoid; }}
table.answers thead {{ display: table-header-group; }}
@media (max-width: 30rem) {{
  body {{ padding: 0; }}
  #verslag {{ padding: 1.2rem; }}
}}
@media print {{
  html, body {{ background: none; }}
  body {{ padding: 0; font-size: 11pt; }}
  #verslag {{ max-width: none; padding: 0; }}
  a {{ color: inherit; }}
  a[href^="http"]::after {{ content: " (" attr(href) ")"; font-size: .9em; color: #55555a; }}
  mark.pii {{ background: none; outline: none; }}
}}
"""

#: For mail clients: one column, no grid, no @page, no generated content; the organisers sit in a table.
EMAIL_CSS = f"""
body {{ margin: 0; padding: 16px; color: #1d1d1f; font: 16px/1.5 {_FONT_SANS}; }}
#verslag {{ max-width: 640px; margin: 0 auto; }}
h1, h2, h3 {{ line-height: 1.25; color: #8b1e1a; }}
h1 {{ font-size: 28px; margin: 0 0 6px; }}
h2 {{ font-size: 22px; margin: 28px 0 8px; }}
h3 {{ font-size: 18px; margin: 20px 0 6px; }}
p {{ margin: 0 0 12px; }}
.subtitle {{ font-size: 19px; font-weight: bold; color: #4a4a4f; }}
.motto {{ font-family: {_FONT_SERIF}; font-style: italic; color: #4a4a4f; }}
.by, .context, .description {{ color: #55555a; }}
.case {{ margin: 0 0 16px; padding: 2px 0 2px 14px; border-left: 4px solid #e4d6d3; }}
.group-title {{ margin: 0 0 4px; }}
.save-the-date {{ margin: 24px 0; padding: 14px 18px; border: 2px solid #b3261e; background: #fbeeec; }}
.save-the-date p {{ margin: 0; }}
.save-the-date .when {{ font-weight: bold; font-size: 18px; }}
.organisers td {{ width: 50%; padding: 0 24px 16px 0; vertical-align: top; }}
.organiser p {{ margin: 0; }}
.organiser .name {{ font-weight: bold; }}
a {{ color: #0b57d0; }}
table.answers {{ width: 100%; border-collapse: collapse; margin: 0 0 16px; }}
table.answers th, table.answers td {{ padding: 6px 8px; border: 1px solid #d8ccc9; text-align: left;
  vertical-align: top; }}
"""

#: Inline styles for the few parts that must look right even where a mail client drops the <style>.
_EMAIL_INLINE = {
    "save-the-date": "margin:24px 0;padding:14px 18px;border:2px solid #b3261e;background:#fbeeec",
    "organiser-cell": "width:50%;padding:0 24px 16px 0;vertical-align:top",
}


def style_source(*, for_email: bool = False) -> str:
    """Return the CSP source ('sha256-…') that allows this document's embedded style sheet."""
    digest = hashlib.sha256(_style_text(for_email).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def render_html(
    report: Report,
    *,
    lang: str = "nl",
    highlight: Highlighter | None = None,
    for_email: bool = False,
) -> str:
    """Render the verslag as a standalone HTML5 document, print-ready or for e-mail."""
    writer = _Writer(report, highlight, for_email)
    writer.body()
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(one_line(report.title))}</title>\n"
        f"<style>{_style_text(for_email)}</style>\n"
        "</head>\n"
        "<body>\n"
        '<article id="verslag">\n' + "\n".join(writer.out) + "\n</article>\n</body>\n</html>\n"
    )


def _style_text(for_email: bool) -> str:
    return EMAIL_CSS if for_email else PRINT_CSS


#: The class of a text's paragraphs where it is not the text's role itself.
_TEXT_CLASS = {"description": "werkvorm-description", "label": "bullets-label"}


class _Writer:
    """Collects the document's lines; `text` escapes (and highlights) every text that goes in."""

    def __init__(self, report: Report, highlight: Highlighter | None, for_email: bool) -> None:
        self.report = report
        self.highlight = highlight
        self.for_email = for_email
        self.out: list[str] = []

    def text(self, value: str, *, marked: bool = True) -> str:
        """Return one line of text as HTML: escaped, its likely personal data marked when asked."""
        value = one_line(value)
        if not (marked and self.highlight):
            return escape(value)
        pieces = []
        for piece, kind in self.highlight(value):
            if kind:
                pieces.append(f'<mark class="pii" data-kind="{escape(kind)}">{escape(piece)}</mark>')
            else:
                pieces.append(escape(piece))
        return "".join(pieces)

    def body(self) -> None:
        for part in outline(self.report):
            self.node(part, top=True)

    def node(self, node: Node, *, top: bool = False) -> None:
        """Write one node of the outline; a top-level part is a <section> (the title a <header>), others a <div>."""
        match node:
            case Part():
                tag = "header" if node.kind == "title" else "section" if top else "div"
                key = f' data-key="{escape(node.key)}"' if node.key is not None else ""
                shape = f' data-shape="{escape(node.shape)}"' if node.shape is not None else ""
                self.out.append(f'<{tag} class="{node.kind}"{key}{shape}>')
                for child in node.children:
                    self.node(child)
                self.out.append(f"</{tag}>")
            case Heading():
                self.out.append(f"<h{node.level}>{self.text(node.text, marked=False)}</h{node.level}>")
            case Text():
                self.paragraphs(node)
            case Bullets():
                tag = "ol" if node.numbered else "ul"
                attribute = f' class="{node.role}"' if node.role else ""
                self.out.append(f"<{tag}{attribute}>")
                for item in node.items:
                    context = f' <span class="context">({self.text(item.context, marked=False)})</span>' \
                        if item.context else ""
                    self.out.append(f"<li>{self.text(item.text)}{context}</li>")
                self.out.append(f"</{tag}>")
            case Groups():
                self.groups(node)
            case Grid():
                self.grid(node)
            case Field():
                # Speakers are named on purpose; marking them as personal data would only be noise.
                self.out.append(f'<p class="by">{escape(node.label)}: {self.text(node.value, marked=False)}</p>')
            case Link():
                shown = f'<a href="{escape(node.target)}">{escape(node.label)}</a>' if node.target \
                    else f'<span class="unlinked">{escape(node.text)}</span>'
                self.out.append(f'<p class="more-info">{shown}</p>')
            case Notice():
                style = f' style="{_EMAIL_INLINE["save-the-date"]}"' if self.for_email else ""
                self.out.append(f'<div class="save-the-date"{style}>')
                self.out.append(
                    f'<p class="when"><strong>{escape(node.label)}:</strong> {self.text(node.text, marked=False)}</p>'
                )
                if node.detail:
                    self.out.append(f'<p class="label">{self.text(node.detail, marked=False)}</p>')
                self.out.append("</div>")
            case Contacts():
                self.contacts(node)
            case _:
                assert_never(node)

    def paragraphs(self, node: Text) -> None:
        """Write a text's paragraphs; in the preview, one the facilitator did not write yet is marked a suggestion."""
        suggestion = bool(self.highlight) and node.suggested
        if suggestion:
            label = escape(one_line(self.report.heading("suggestion")))
            self.out.append(f'<div class="suggestion" title="{label}"><p class="suggestion-label">{label}</p>')
        css = _TEXT_CLASS.get(node.role, node.role)
        attribute = f' class="{css}"' if css else ""
        for lines in node.paragraphs:
            body = "<br>\n".join(self.text(line, marked=node.marked) for line in lines)
            if node.role == "motto":
                body = f"<em>{body}</em>"
            self.out.append(f"<p{attribute}>{body}</p>")
        if suggestion:
            self.out.append("</div>")

    def groups(self, groups: Groups) -> None:
        if groups.role == "themes":
            self.out.append('<ul class="themes">')
            for theme in groups.groups:
                line = f"<strong>{self.text(theme.title)}</strong>"
                if theme.description:
                    line += f'{DASH}<span class="provenance">{self.text(theme.description)}</span>'
                bullets = "".join(f"<li>{self.text(b)}</li>" for b in theme.bullets)
                self.out.append(f"<li>{line}" + (f"<ul>{bullets}</ul>" if bullets else "") + "</li>")
            self.out.append("</ul>")
            return
        outer, inner = ("ol", "li") if groups.role == "numbered" else ("div", "div")
        self.out.append(f'<{outer} class="groups">')
        for group in groups.groups:
            self.group(group, inner)
        self.out.append(f"</{outer}>")

    def group(self, group: Titled, tag: str) -> None:
        self.out.append(f'<{tag} class="group" data-key="{escape(group.key)}">')
        title = f'<p class="group-title"><strong>{self.text(group.title)}</strong>'
        if group.description:
            title += f'{DASH}<span class="description">{self.text(group.description)}</span>'
        self.out.append(title + "</p>")
        if group.bullets:
            self.node(Bullets(tuple(Item(bullet) for bullet in group.bullets)))
        self.out.append(f"</{tag}>")

    def grid(self, grid: Grid) -> None:
        """Write a real table: a header row, then per row its label (and description) and its cells."""
        style = ' style="border-collapse:collapse;width:100%"' if self.for_email else ""
        cell_style = ' style="border:1px solid #d8ccc9;padding:6px 8px;vertical-align:top;text-align:left"' \
            if self.for_email else ""
        self.out.append(f'<table class="answers"{style}>')
        header = "".join(f'<th scope="col"{cell_style}>{self.text(c, marked=False)}</th>' for c in grid.header)
        self.out.append(f"<thead><tr>{header}</tr></thead>")
        self.out.append("<tbody>")
        for row in grid.rows:
            label = f"<strong>{self.text(row.label)}</strong>"
            if row.description:
                label += f'<br><span class="description">{self.text(row.description)}</span>'
            cells = [f'<th scope="row"{cell_style}>{label}</th>']
            for lines in row.cells:
                body = (self.text(lines[0]) if len(lines) == 1
                        else "<ul>" + "".join(f"<li>{self.text(line)}</li>" for line in lines) + "</ul>")
                cells.append(f"<td{cell_style}>{body}</td>")
            self.out.append("<tr>" + "".join(cells) + "</tr>")
        self.out.append("</tbody></table>")

    def contacts(self, contacts: Contacts) -> None:
        if self.for_email:
            # Mail clients lay out tables reliably and grids hardly at all.
            self.out.append('<table class="organiser-table" role="presentation"><tbody>')
            for start in range(0, len(contacts.contacts), 2):
                self.out.append("<tr>")
                for contact in contacts.contacts[start : start + 2]:
                    self.out.append(f'<td style="{_EMAIL_INLINE["organiser-cell"]}">')
                    self.contact(contact)
                    self.out.append("</td>")
                self.out.append("</tr>")
            self.out.append("</tbody></table>")
        else:
            self.out.append('<div class="organiser-grid">')
            for contact in contacts.contacts:
                self.contact(contact)
            self.out.append("</div>")

    def contact(self, contact: Contact) -> None:
        # Organisers are named on purpose, so their block is never marked as personal data.
        self.out.append('<div class="organiser">')
        self.out.append(f'<p class="name">{self.text(contact.name, marked=False)}</p>')
        self.out.extend(f"<p>{self.text(line, marked=False)}</p>" for line in contact.lines)
        if contact.email:
            shown = f'<a href="{escape(contact.email_target)}">{escape(contact.email)}</a>' \
                if contact.email_target else escape(contact.email)
            self.out.append(f'<p class="email">{shown}</p>')
        self.out.append("</div>")
