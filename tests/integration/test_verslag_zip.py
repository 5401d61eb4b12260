"""'Download alles': the zip holds the verslag in every format, the pdf too, or a Dutch note why it cannot."""

from __future__ import annotations

import io
import shutil
import zipfile
from typing import Any

import docx
import pytest
from docx.shared import Mm

from facilitator.testing.verslag import Afternoon, afternoon
from facilitator.verslag.pdf import count_pdf_pages

NAME = "verslag-2026-11-12-dialoogsessie-veerkrachtige-ouders"


@pytest.fixture
def middag(deps: Any) -> Afternoon:
    return afternoon(deps.repo, deps.series)


def download_all(host_http: Any, middag: Afternoon) -> zipfile.ZipFile:
    response = host_http.get(f"/host/s/{middag.session.id}/verslag/alles.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


@pytest.mark.browser
def test_zip_holds_the_pdf_printed_by_the_browser_found_on_this_laptop(host_http: Any, middag: Afternoon) -> None:
    if shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is needed: apt-get install chromium (or run scripts/test)")
    archive = download_all(host_http, middag)
    assert sorted(archive.namelist()) == sorted(f"{NAME}.{fmt}" for fmt in ("docx", "pdf", "html", "md", "csv"))
    pdf = archive.read(f"{NAME}.pdf")
    assert pdf.startswith(b"%PDF-") and count_pdf_pages(pdf) >= 1
    # The Word file in the zip is the Dutch A4 one.
    document = docx.Document(io.BytesIO(archive.read(f"{NAME}.docx")))
    assert abs(document.sections[0].page_width - Mm(210)) <= Mm(0.1)
    assert document.core_properties.language == "nl-NL"
    assert "".join(t.text for p in document.sections[0].footer.paragraphs for t in p.runs) == "Pagina 1 van 1"


def test_zip_without_a_browser_holds_a_dutch_note_instead_of_the_pdf(host_http: Any, middag: Afternoon,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # a laptop without Edge, Chrome or Chromium
    archive = download_all(host_http, middag)
    assert sorted(archive.namelist()) == sorted(
        [*(f"{NAME}.{fmt}" for fmt in ("docx", "html", "md", "csv")), "pdf-ontbreekt.txt"])
    note = archive.read("pdf-ontbreekt.txt").decode("utf-8-sig")
    assert note.startswith("De pdf maken lukte niet: er is geen Microsoft Edge, Google Chrome of Chromium gevonden.")
    assert "open het Word-bestand in Word, kies ‘Opslaan als’ en kies dan PDF als bestandstype." in note
