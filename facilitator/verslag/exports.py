"""Turn a bijeenkomst's verslag into a file of one format; shared by the host pages, the CLI and the e-mail."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from facilitator.core.domain import InvalidInput, WorkshopSession
from facilitator.verslag.model import Report


@dataclass(frozen=True)
class ExportFormat:
    """A format the verslag can be exported in."""

    id: str
    extension: str
    mimetype: str


FORMATS = {
    f.id: f
    for f in (
        ExportFormat("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ExportFormat("html", "html", "text/html; charset=utf-8"),
        ExportFormat("md", "md", "text/markdown; charset=utf-8"),
        ExportFormat("csv", "csv", "text/csv; charset=utf-8"),
        ExportFormat("pdf", "pdf", "application/pdf"),
    )
}


def export_format(format_id: object) -> ExportFormat:
    """Return a known export format; raise InvalidInput naming the known ones."""
    if not isinstance(format_id, str) or format_id not in FORMATS:
        raise InvalidInput(f"format: one of {', '.join(FORMATS)}", field="format")
    return FORMATS[format_id]


def filename(session: WorkshopSession, export: ExportFormat, *, stem: str = "verslag") -> str:
    """Return a file name people recognise: "verslag-2026-11-25-dialoogsessie-jeugd.docx" (ASCII only)."""
    plain = unicodedata.normalize("NFKD", session.title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].strip("-")
    return f"{stem}-{session.date}{'-' + slug if slug else ''}.{export.extension}"


def render(
    report: Report,
    export: ExportFormat,
    *,
    csv_table: tuple[Sequence[str], Sequence[Sequence[str]]] = ((), ()),
    lang: str = "nl",
    chromium: str = "",
) -> bytes:
    """Return the verslag (or for csv: the raw contributions) as the bytes of one file."""
    if export.id == "docx":
        from facilitator.verslag.docx import render_docx

        return render_docx(report, lang=lang)
    if export.id == "md":
        from facilitator.verslag.markdown import render_markdown

        return render_markdown(report).encode("utf-8")
    if export.id == "csv":
        from facilitator.verslag.csv import render_csv

        header, rows = csv_table
        return render_csv(header, rows)
    from facilitator.verslag.html import render_html

    html = render_html(report, lang=lang)
    if export.id == "html":
        return html.encode("utf-8")
    from facilitator.verslag.pdf import print_pdf

    return print_pdf(html, chromium=chromium)
