"""The Word verslag as a Dutch office user expects it: A4, Dutch proofing, built-in styles, page numbers."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from facilitator.verslag.docx import render_docx
from facilitator.verslag.model import Block, Organiser, Report, WorkformatSection

HEADINGS = (("programme", "Programma"), ("organisers", "Organisatie"), ("prompts", "De vragen"))

REPORT = Report(
    title="Dialoogsessie ‘Veerkracht’",
    subtitle="Derde dialoogsessie",
    lead="Op 7 oktober kwamen ouders en professionals samen.",
    sections=(WorkformatSection(
        key="vb", name="Vier buffers", prompts=("Wat heb je nodig?",),
        blocks=(Block(key="vb/opbrengst", title="Opbrengst", shape="bullets", bullets=("Heb oog voor wat de ouder goed doet.",)),),
    ),),
    wrap_up=("Samen optrekken werkt.",),
    organisers=(
        Organiser("Marieke Jansen", function="Consulent", organisation="SWV PPO Noord-Kennemerland"),
        Organiser("Peter Bakker", organisation="GGZ Preventieacademie"),
        Organiser("Anna de Vries", organisation="SWV PPO Noord-Kennemerland"),
    ),
    headings=HEADINGS,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name).decode("utf-8")


def test_docx_pages_are_a4_portrait_with_2_5_cm_margins() -> None:
    document = read(render_docx(REPORT))
    for section in document.sections:
        # Word stores twentieths of a point: 210 mm is 11906 twips (11905.5), 297 mm is 16838.
        assert abs(section.page_width - Mm(210)) <= Mm(0.1)
        assert abs(section.page_height - Mm(297)) <= Mm(0.1)
        assert section.page_width < section.page_height
        margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
        assert all(abs(margin - Mm(25)) <= Mm(0.1) for margin in margins)


def test_docx_speaks_dutch_to_the_spelling_checker() -> None:
    data = render_docx(REPORT)
    assert read(data).core_properties.language == "nl-NL"
    styles = part(data, "word/styles.xml")
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
    assert defaults is not None and re.search(r'<w:lang w:val="nl-NL"', defaults.group(0))
    assert "en-US" not in re.sub(r'w:(eastAsia|bidi)="[^"]*"', "", styles)
    # The theme's fonts follow the document language too (Word reads it from settings.xml).
    assert re.search(r'<w:themeFontLang w:val="nl-NL"', part(data, "word/settings.xml"))


def test_docx_english_verslag_is_proofed_in_british_english() -> None:
    data = render_docx(REPORT, lang="en")
    assert read(data).core_properties.language == "en-GB"
    assert '<w:lang w:val="en-GB"' in part(data, "word/styles.xml")


def test_docx_uses_word_built_in_styles_that_dutch_word_shows_as_kop_and_lijstopsommingsteken() -> None:
    document = read(render_docx(REPORT))
    used = {p.style.style_id: p.style.name for p in document.paragraphs if p.style is not None}
    # Word recognises a built-in style by its id and English name and shows its own localised name for it:
    # "Kop 1", "Kop 2", "Titel", "Lijstopsommingsteken", "Lijstnummering" in Dutch Word.
    assert {key: used[key] for key in ("Title", "Heading1", "Heading2", "ListBullet", "ListNumber")} == {
        "Title": "Title", "Heading1": "Heading 1", "Heading2": "Heading 2", "ListBullet": "List Bullet",
        "ListNumber": "List Number",
    }
    styles = part(render_docx(REPORT), "word/styles.xml")
    for style_id, name in (("Heading1", "heading 1"), ("Heading2", "heading 2"), ("ListBullet", "List Bullet")):
        assert re.search(rf'w:styleId="{style_id}">\s*<w:name w:val="{name}"/>', styles), style_id
    # Headings stay in the outline (navigation pane, table of contents).
    assert document.styles["Heading 1"].element.xpath("./w:pPr/w:outlineLvl/@w:val") == ["0"]


def footer_of(data: bytes) -> tuple[str, list[str]]:
    document = read(data)
    [section] = document.sections
    footer = section.footer
    assert not footer.is_linked_to_previous
    xml = footer._element.xml
    fields = [text.strip() for text in re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)]
    fields += re.findall(r'<w:fldSimple w:instr="\s*([A-Z]+)', xml)
    texts = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    return texts, fields


def test_docx_looks_like_word_today_calibri_not_the_2010_cambria() -> None:
    document = read(render_docx(REPORT))
    styles = document.styles
    assert styles["Normal"].font.name == "Calibri"
    for name in ("Title", "Heading 1", "Heading 2"):
        fonts = styles[name].element.xpath("./w:rPr/w:rFonts")[0]
        assert fonts.get(docx.oxml.ns.qn("w:ascii")) == "Calibri Light", name
        assert fonts.get(docx.oxml.ns.qn("w:asciiTheme")) is None, name  # a theme font would win over Calibri Light
    assert styles["Heading 1"].font.size.pt == 16


def test_docx_footer_numbers_the_pages_pagina_x_van_y() -> None:
    texts, fields = footer_of(render_docx(REPORT))
    assert [field.split()[0] for field in fields] == ["PAGE", "NUMPAGES"]
    # The fields' last results stand in until Word or LibreOffice updates them on opening.
    assert texts == "Pagina 1 van 1"


def test_docx_footer_in_the_verslag_language() -> None:
    report = Report(title="Meeting", headings=(("page_footer", "Page %(page)s of %(pages)s"),))
    texts, fields = footer_of(render_docx(report, lang="en"))
    assert (texts, [field.split()[0] for field in fields]) == ("Page 1 of 1", ["PAGE", "NUMPAGES"])


def test_docx_author_is_the_organisation_never_a_person() -> None:
    properties = read(render_docx(REPORT)).core_properties
    assert (properties.title, properties.author, properties.last_modified_by) == (
        "Dialoogsessie ‘Veerkracht’", "SWV PPO Noord-Kennemerland; GGZ Preventieacademie", "Rode Draad")
    without = read(render_docx(Report(title="T", organisers=(Organiser("Marieke Jansen"),)))).core_properties
    assert (without.author, without.last_modified_by) == ("Rode Draad", "Rode Draad")


@pytest.mark.slow
def test_libreoffice_lays_the_word_file_out_on_a4_with_live_page_number_fields(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is required: ./scripts/test installs libreoffice-writer-nogui"
    source = tmp_path / "verslag.docx"
    source.write_bytes(render_docx(REPORT))
    profile = (tmp_path / "profile").as_uri()
    for target in ("pdf", "html:HTML (StarWriter)"):
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
                        "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", (tmp_path / "verslag.pdf").read_bytes())
    assert boxes and {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}  # A4 in points
    page = (tmp_path / "verslag.html").read_text(encoding="utf-8", errors="replace")
    # LibreOffice took both as fields (page number, page count), not as the text they showed when written.
    assert re.search(r"Pagina <span[^>]*><sdfield type=PAGE [^>]*>1</sdfield></span>\s*van <span[^>]*>"
                     r"<sdfield type=DOCSTAT subtype=PAGE [^>]*>1</sdfield>", page)
