"""Raw contributions as a CSV file that opens cleanly in Excel and LibreOffice Calc with Dutch settings.

UTF-8 with a byte order mark (without it Excel reads UTF-8 as Windows-1252 and mangles "één"), `;` as the
separator (what Excel expects where the decimal sign is a comma, as in the Netherlands), CRLF line ends,
and quotes only where a cell needs them, so a `;`, a quote or a newline inside a contribution survives.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

#: A cell starting with one of these is read as a formula by spreadsheet programs ("=HYPERLINK(…)",
#: "+31…", "-2+3", "@SUM(…)"), and a leading tab or carriage return can hide such a start. Participant text
#: is hostile, so such a cell gets a leading apostrophe, which makes the spreadsheet show it as text
#: (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITER = ";"


def neutralise_cell(value: str) -> str:
    """Return the cell with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def render_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Render a header and rows as CSV bytes: UTF-8 with BOM, ';' separated, CRLF, every cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=DELIMITER, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")
