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

from facilitator.verslag.model import Block, Group, Organiser, Report, Table, WorkformatSection
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

    def heading(self, key: str) -> str:
        return escape(one_line(self.report.heading(key)))

    def paragraphs(self, value: str, css_class: str = "", *, marked: bool = True) -> None:
        attribute = f' class="{css_class}"' if css_class else ""
        for lines in paragraphs(value):
            body = "<br>\n".join(self.text(line, marked=marked) for line in lines)
            self.out.append(f"<p{attribute}>{body}</p>")

    def bullets(self, texts: list[str], tag: str = "ul", css_class: str = "") -> None:
        if not texts:
            return
        attribute = f' class="{css_class}"' if css_class else ""
        self.out.append(f"<{tag}{attribute}>")
        self.out.extend(f"<li>{self.text(text)}</li>" for text in texts)
        self.out.append(f"</{tag}>")

    def suggestion(self, key: str, value: str, css_class: str = "") -> None:
        """Write a text part; in the preview, one the facilitator did not write yet is marked as a suggestion."""
        if self.highlight and key in self.report.suggested and value.strip():
            label = escape(one_line(self.report.heading("suggestion")))
            self.out.append(f'<div class="suggestion" title="{label}"><p class="suggestion-label">{label}</p>')
            self.paragraphs(value, css_class)
            self.out.append("</div>")
        else:
            self.paragraphs(value, css_class)

    def link(self, url: str, label: str) -> str:
        """Return a link with its label when the URL is safe, else the URL as plain text."""
        target = link_target(url)
        if target is None:
            return f'<span class="unlinked">{escape(one_line(url))}</span>'
        return f'<a href="{escape(target)}">{escape(label)}</a>'

    def body(self) -> None:
        self.title()
        self.welcome()
        self.programme()
        for section in self.report.sections:
            self.section(section)
        self.rode_draad()
        self.wrap_up()
        self.actions()
        self.closing()
        self.organisers()
        self.appendix()

    def title(self) -> None:
        report = self.report
        self.out.append('<header class="title">')
        if has_text(report.title):
            self.out.append(f"<h1>{self.text(report.title, marked=False)}</h1>")
        if report.subtitle.strip():
            self.out.append(f'<p class="subtitle">{self.text(report.subtitle, marked=False)}</p>')
        if report.motto.strip():
            self.out.append(f'<p class="motto"><em>{self.text(quoted(report.motto), marked=False)}</em></p>')
        self.paragraphs(report.lead, "lead")
        self.out.append("</header>")

    def welcome(self) -> None:
        report, terugblik = self.report, self.report.terugblik
        if not (report.welcome.strip() or terugblik):
            return
        self.out.append('<section class="welcome">')
        self.out.append(f"<h2>{self.heading('welcome')}</h2>")
        if has_text(report.welcome):
            # The welcome is the terugblik in the facilitator's words; the structured one stands in when empty.
            self.paragraphs(report.welcome)
        elif terugblik:
            self.out.append('<div class="terugblik">')
            self.out.append(f"<h3>{self.text(terugblik_title(terugblik), marked=False)}</h3>")
            self.paragraphs(terugblik.rode_draad)
            self.bullets(items(terugblik.rode_draden))
            self.out.append("</div>")
        if terugblik and items(terugblik.afspraak_lines):
            self.out.append('<div class="afspraken">')
            self.out.append(f"<h3>{self.heading('afspraken')}</h3>")
            self.bullets(items(terugblik.afspraak_lines))
            self.out.append("</div>")
        self.out.append("</section>")

    def programme(self) -> None:
        if not self.report.programme:
            return
        self.out.append('<section class="programme">')
        self.out.append(f"<h2>{self.heading('programme')}</h2>")
        for item in self.report.programme:
            self.out.append('<div class="programme-item">')
            self.out.append(f"<h3>{self.text(item.title, marked=False)}</h3>")
            speaker = speaker_line(item)
            if speaker:
                # Speakers are named on purpose; marking them as personal data would only be noise.
                self.out.append(f'<p class="by">{self.heading("by")}: {self.text(speaker, marked=False)}</p>')
            self.paragraphs(item.text)
            if item.link.strip():
                more_info = one_line(self.report.heading("more_info"))
                self.out.append(f'<p class="more-info">{self.link(item.link, more_info)}</p>')
            self.out.append("</div>")
        self.out.append("</section>")

    def section(self, section: WorkformatSection) -> None:
        blocks = visible_blocks(section.blocks)
        prompts = items(section.prompts)
        if not (has_task(section) or prompts or blocks):
            return
        self.out.append(f'<section class="werkvorm" data-key="{escape(section.key)}">')
        self.out.append(f"<h2>{self.text(section.name, marked=False)}</h2>")
        self.paragraphs(section.description, "werkvorm-description", marked=False)
        if has_task(section):
            self.out.append('<div class="case">')
            heading = self.text(section.task_heading, marked=False) if section.task_heading else self.heading("case")
            self.out.append(f"<h3>{heading}</h3>")
            for task in section.task:
                self.paragraphs(task)
            self.out.append("</div>")
        if prompts:
            self.out.append(f"<h3>{self.heading('prompts')}</h3>")
            self.bullets(prompts, "ol", "prompts")
        for block in blocks:
            self.block(block)
        self.out.append("</section>")

    def block(self, block: Block) -> None:
        self.out.append(f'<div class="block" data-key="{escape(block.key)}" data-shape="{escape(block.shape)}">')
        if block.title.strip():
            self.out.append(f"<h3>{self.text(block.title, marked=False)}</h3>")
        self.paragraphs(block.intro, "intro")
        self.bullets(items(block.counts), "ol" if block.numbered_counts else "ul", "counts")
        for paragraph in block.paragraphs:
            self.paragraphs(paragraph)
        if block.table is not None:
            self.table(block.table)
        bullets = items(block.bullets)
        if bullets and has_text(block.bullets_label):
            self.out.append(f'<p class="bullets-label">{self.text(block.bullets_label, marked=False)}</p>')
        self.bullets(bullets)
        if block.groups:
            outer, inner = ("ol", "li") if block.numbered_groups else ("div", "div")
            self.out.append(f'<{outer} class="groups">')
            for group in block.groups:
                self.group(group, inner)
            self.out.append(f"</{outer}>")
        self.out.append("</div>")

    def table(self, table: Table) -> None:
        """Write a real table: a header row, then per row its label (and description) and its cells."""
        if not table.rows:
            return
        style = ' style="border-collapse:collapse;width:100%"' if self.for_email else ""
        cell_style = ' style="border:1px solid #d8ccc9;padding:6px 8px;vertical-align:top;text-align:left"' \
            if self.for_email else ""
        self.out.append(f'<table class="answers"{style}>')
        header = "".join(f'<th scope="col"{cell_style}>{self.text(c, marked=False)}</th>'
                         for c in (table.label_heading, *table.columns))
        self.out.append(f"<thead><tr>{header}</tr></thead>")
        self.out.append("<tbody>")
        for row in table.rows:
            label = f"<strong>{self.text(row.label)}</strong>"
            if has_text(row.description):
                label += f'<br><span class="description">{self.text(row.description)}</span>'
            cells = [f'<th scope="row"{cell_style}>{label}</th>']
            for cell in table_cells(table, row):
                lines = cell_lines(cell)
                body = (self.text(lines[0]) if len(lines) == 1
                        else "<ul>" + "".join(f"<li>{self.text(line)}</li>" for line in lines) + "</ul>")
                cells.append(f"<td{cell_style}>{body}</td>")
            self.out.append("<tr>" + "".join(cells) + "</tr>")
        self.out.append("</tbody></table>")

    def actions(self) -> None:
        lines = items(self.report.actions)
        if not lines:
            return
        self.out.append('<section class="actions">')
        self.out.append(f"<h2>{self.heading('actions')}</h2>")
        self.paragraphs(self.report.actions_intro)
        self.bullets(lines)
        self.out.append("</section>")

    def group(self, group: Group, tag: str) -> None:
        self.out.append(f'<{tag} class="group" data-key="{escape(group.key)}">')
        title = f'<p class="group-title"><strong>{self.text(group.title)}</strong>'
        if group.description.strip():
            title += f'{DASH}<span class="description">{self.text(group.description)}</span>'
        self.out.append(title + "</p>")
        self.bullets(items(group.bullets))
        self.out.append(f"</{tag}>")

    def rode_draad(self) -> None:
        rode_draad = self.report.rode_draad
        if rode_draad is None:
            return
        questions = items(rode_draad.questions)
        themes = [theme for theme in rode_draad.themes if theme.name.strip()]
        if not (has_text(rode_draad.paragraph) or questions or themes):
            return
        self.out.append('<section class="rode-draad">')
        self.out.append(f"<h2>{self.heading('rode_draad')}</h2>")
        self.paragraphs(rode_draad.paragraph)
        if themes:
            self.out.append(f"<h3>{self.heading('themes')}</h3>")
            self.out.append('<ul class="themes">')
            for theme in themes:
                name, provenance = theme_parts(theme)
                line = f"<strong>{self.text(name)}</strong>"
                if provenance:
                    line += f'{DASH}<span class="provenance">{self.text(provenance)}</span>'
                bullets = "".join(f"<li>{self.text(b)}</li>" for b in theme_bullets(theme))
                self.out.append(f"<li>{line}" + (f"<ul>{bullets}</ul>" if bullets else "") + "</li>")
            self.out.append("</ul>")
        if questions:
            self.out.append(f"<h3>{self.heading('questions')}</h3>")
            self.bullets(questions, "ul", "questions")
        self.out.append("</section>")

    def wrap_up(self) -> None:
        lines = items(self.report.wrap_up)
        if not (lines or self.report.wrap_up_intro.strip()):
            return
        self.out.append('<section class="wrap-up">')
        self.out.append(f"<h2>{self.heading('wrap_up')}</h2>")
        self.paragraphs(self.report.wrap_up_intro)
        self.bullets(lines)
        self.out.append("</section>")

    def closing(self) -> None:
        report, save = self.report, self.report.save_the_date
        has_save = save is not None and not save.is_empty()
        if not (has_text(report.closing) or has_text(report.call) or has_save):
            return
        self.out.append('<section class="closing">')
        self.out.append(f"<h2>{self.heading('closing')}</h2>")
        self.suggestion("closing", report.closing)
        self.suggestion("call", report.call, "call")
        if save is not None and has_save:
            when, label = save_the_date_when(save), one_line(save.label)
            style = f' style="{_EMAIL_INLINE["save-the-date"]}"' if self.for_email else ""
            self.out.append(f'<div class="save-the-date"{style}>')
            self.out.append(
                f'<p class="when"><strong>{self.heading("save_the_date")}:</strong> '
                f"{self.text(when or label, marked=False)}</p>"
            )
            if when and label:
                self.out.append(f'<p class="label">{self.text(label, marked=False)}</p>')
            self.out.append("</div>")
        self.out.append("</section>")

    def organisers(self) -> None:
        organisers = [organiser for organiser in self.report.organisers if organiser.name.strip()]
        if not organisers:
            return
        title = self.report.organisers_title or self.report.heading("organisers")
        self.out.append('<section class="organisers">')
        self.out.append(f"<h2>{self.text(title, marked=False)}</h2>")
        if self.for_email:
            # Mail clients lay out tables reliably and grids hardly at all.
            self.out.append('<table class="organiser-table" role="presentation"><tbody>')
            for start in range(0, len(organisers), 2):
                self.out.append("<tr>")
                for organiser in organisers[start : start + 2]:
                    self.out.append(f'<td style="{_EMAIL_INLINE["organiser-cell"]}">')
                    self.organiser(organiser)
                    self.out.append("</td>")
                self.out.append("</tr>")
            self.out.append("</tbody></table>")
        else:
            self.out.append('<div class="organiser-grid">')
            for organiser in organisers:
                self.organiser(organiser)
            self.out.append("</div>")
        self.out.append("</section>")

    def organiser(self, organiser: Organiser) -> None:
        # Organisers are named on purpose, so their block is never marked as personal data.
        self.out.append('<div class="organiser">')
        self.out.append(f'<p class="name">{self.text(organiser.name, marked=False)}</p>')
        self.out.extend(f"<p>{self.text(line, marked=False)}</p>" for line in organiser_lines(organiser))
        email = one_line(organiser.email)
        if email:
            target = email_target(email)
            shown = f'<a href="{escape(target)}">{escape(email)}</a>' if target else escape(email)
            self.out.append(f'<p class="email">{shown}</p>')
        self.out.append("</div>")

    def appendix(self) -> None:
        groups = [group for group in self.report.appendix if any(item.text.strip() for item in group.items)]
        if not groups:
            return
        self.out.append('<section class="appendix">')
        self.out.append(f"<h2>{self.heading('appendix')}</h2>")
        for group in groups:
            if group.title.strip():
                self.out.append(f"<h3>{self.text(group.title, marked=False)}</h3>")
            self.out.append("<ul>")
            for item in group.items:
                if not item.text.strip():
                    continue
                line = self.text(item.text)
                if item.context.strip():
                    line += f' <span class="context">({self.text(item.context, marked=False)})</span>'
                self.out.append(f"<li>{line}</li>")
            self.out.append("</ul>")
        self.out.append("</section>")
