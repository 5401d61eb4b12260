"""A bijeenkomst with a composed werkvorm (a phase of every answer kind, added through services.add_agenda_item)
comes out of the verslag pages in every format: the preview, Word, HTML, Markdown, CSV and 'Download alles'
(issue 16, points 2 and 3)."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import docx
import pytest

from facilitator.core import services
from tests.support.composed import ACTIONS, COMPOSITION, Composed, composed_afternoon

NAME = "verslag-2026-11-12-dialoogsessie-veerkrachtige-ouders"


@pytest.fixture
def composed(deps: Any) -> Composed:
    return composed_afternoon(deps.repo, deps.series, deps.registry)


def _download(host_http: Any, fmt: str, **query: str) -> bytes:
    response = host_http.get(f"/host/s/middag2/verslag.{fmt}", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return bytes(response.data)


def test_the_composed_item_is_stored_as_settings_and_read_as_its_configured_werkvorm(deps: Any,
                                                                                     composed: Composed) -> None:
    item = deps.repo.get_session("middag2").agenda[-1]
    assert item.settings["composition"]["name"] == COMPOSITION["name"]
    workformat = services.configured_workformat(deps.registry, item)
    assert [s.shape for s in workformat.report_sections] == ["bullets", "bullets_per_bucket", "grid", "scale",
                                                             "ranking", "actions"]


def test_every_format_renders_the_grid_scale_ranking_and_afspraken(host_http: Any, composed: Composed) -> None:
    markdown = _download(host_http, "md").decode()
    for expected in ("## Grondhouding in de praktijk", "- *Hulpinzet*: –", "3 van 5 deelnemers: eens",
                     "1. Eén plan per gezin (5 punten)", "| Wat | Wie | Niveau | Wanneer |", "## Afspraken"):
        assert expected in markdown
    html = _download(host_http, "html").decode()
    assert html.count('<table class="answers">') == 2
    assert '<ol class="counts">' in html and '<ul class="counts">' in html
    document = docx.Document(io.BytesIO(_download(host_http, "docx")))
    assert [t.cell(0, 1).text for t in document.tables] == ["Handelen", "Wie"]
    afspraken = document.tables[1]
    assert len(afspraken.rows) == 1 + len(ACTIONS)
    assert [c.text for c in afspraken.rows[3].cells] == ["Werkgroep plannen met de scholen",
                                                         "Team brugfunctionarissen", "Uitvoering", "maart 2027"]


def test_the_preview_shows_the_tables_and_marks_a_name_typed_as_who(host_http: Any, composed: Composed) -> None:
    page = host_http.get("/host/s/middag2/verslag").get_data(as_text=True)
    assert '<table class="answers">' in page
    assert '<mark class="pii" data-kind="voornaam">Annelies</mark>' in page
    findings = host_http.get("/host/s/middag2/verslag/privacy").get_json()["findings"]
    assert any(f["text"] == "Annelies" and f["where_label"].startswith("Grondhouding in de praktijk") for f in findings)


def test_the_csv_reads_in_dutch_excel_with_every_dimension(host_http: Any, composed: Composed) -> None:
    data = _download(host_http, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    action = next(r for r in rows if r["Tekst"] == ACTIONS[1][1])
    assert (action["Wie"], action["Niveau"], action["Wanneer"]) == ("Wethouder jeugd", "Bestuur", "voor de zomer")
    assert next(r for r in rows if r["Rangorde"])["Rangorde"].count(" > ") == 2


def test_download_alles_carries_the_composed_sections(host_http: Any, composed: Composed,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no browser: the zip holds a note instead of the pdf, quickly
    response = host_http.get("/host/s/middag2/verslag/alles.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert "| Budget voor een gezinsplan vrijmaken | Wethouder jeugd | Bestuur | voor de zomer |" in \
        archive.read(f"{NAME}.md").decode()
    assert len(docx.Document(io.BytesIO(archive.read(f"{NAME}.docx"))).tables) == 2
    assert b"Schaalpunt" in archive.read(f"{NAME}.csv")


def test_the_english_verslag_translates_the_fixed_words_and_keeps_the_facilitators(host_http: Any,
                                                                                    composed: Composed) -> None:
    host_http.post("/host/s/middag2/gegevens", data={"language": "en"})
    markdown = _download(host_http, "md").decode()
    for expected in ("| What | Who | Level | When |", "3 of 5 participants: eens", "## Agreements",
                     "1. Eén plan per gezin (5 points)", "Counted like this: a first place is worth 2 points"):
        assert expected in markdown, expected
    header = _download(host_http, "csv").decode("utf-8-sig").splitlines()[0]
    assert header.endswith(";Row;Column;Scale point;Ranking;Who;Level;When")


@pytest.mark.browser
def test_the_pdf_of_a_composed_verslag_prints_on_a4(host_http: Any, composed: Composed) -> None:
    import re

    from facilitator.verslag.pdf import count_pdf_pages

    pdf = _download(host_http, "pdf")
    assert pdf.startswith(b"%PDF-") and 2 <= count_pdf_pages(pdf) <= 8
    sizes = {tuple(round(float(v)) for v in box.split()[2:]) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)}
    assert sizes == {(595, 842)}
