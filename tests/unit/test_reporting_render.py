"""The verslag's renderers: Markdown (export and plain-text mail), standalone HTML, Word and CSV."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

from facilitator.verslag.csv import neutralise_cell, render_csv
from facilitator.verslag.docx import render_docx
from facilitator.verslag.html import render_html, style_source
from facilitator.verslag.markdown import escape, render_markdown
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
    Terugblik,
    ThemeLine,
    WorkformatSection,
)
from facilitator.verslag.text import link_target

HEADINGS = (
    ("welcome", "Welkom"), ("programme", "Programma"), ("rode_draad", "Rode draad"), ("themes", "Thema's"),
    ("questions", "Open vragen"), ("wrap_up", "Wrap-up"), ("closing", "Afsluiting"),
    ("save_the_date", "SAVE THE DATE"), ("organisers", "Organisatie"), ("appendix", "Bijlage: alle bijdragen"),
    ("more_info", "Meer info"), ("by", "Door"), ("prompts", "De vragen"), ("case", "Casus"),
)

SOLIDARITEIT = (
    "Heb oog voor de ouder achter het kind.",
    "Ga naast de ouder staan.",
    "Organiseer ontmoeting tussen ouders, bijvoorbeeld een koffieochtend op school.",
    "Erken wat ouders al doen.",
    "Vraag door als een ouder zegt dat het goed gaat.",
    "Zorg voor een vast aanspreekpunt.",
)
BUFFERS = Block(
    key="buffers/opbrengst",
    title="Opbrengst",
    shape="bullets_per_bucket",
    intro="We hebben de punten onderverdeeld in de 4 ‘buffers’:",
    numbered_groups=True,
    groups=(
        Group("solidariteit", "Solidariteit in de gemeenschap", "het ervaren van steun en erkenning", SOLIDARITEIT),
        Group(
            "taakverdeling",
            "Goede taakverdeling",
            "inzicht in de balans tussen verantwoordelijkheid en draagkracht",
            ("Vraag wat de ouder zelf kan dragen en wat niet.", "Maak samen afspraken over wie wat doet."),
        ),
        Group(
            "meta_positie",
            "Meta-positie",
            "het vermogen om vanuit een afstand naar jezelf en de ander te kijken",
            ("Help ouders om even afstand te nemen: wat zie je als je van buitenaf kijkt?",),
        ),
        Group(
            "ouderervaringen",
            "Positieve ouderervaringen",
            "het ervaren van betekenisvolle momenten en trots op je kind",
            (
                "Deel ook wat goed gaat met het kind.",
                "Zet ouders in hun kracht.",
                "Vier kleine successen samen.",
                "Nodig ouders uit op school voor iets leuks, niet alleen bij zorgen.",
            ),
        ),
    ),
)
TABLE_ADVICE = Block(
    key="casus/advies",
    title="Advies per tafel",
    shape="per_table",
    intro="Per tafel werd een advies geformuleerd.",
    groups=(
        Group("tafel-1", "Tafel 1", bullets=("Begin het gesprek met wat goed gaat.",)),
        Group(
            "tafel-3",
            "Tafel 3",
            "2 ouders · 3 professionals",
            ("Neem de tijd voor een huisbezoek voordat er een plan ligt.", "Vraag Finn zelf wat helpt."),
        ),
    ),
)
REACTION = Block(
    key="casus/reactie",
    title="Reactie van de inbrenger",
    shape="paragraph",
    paragraphs=("De inbrenger neemt vooral mee dat ze niet alleen hoeft te zoeken naar een oplossing.",),
)
REPORT = Report(
    title="Dialoogsessie ‘Mentale veerkracht van kinderen’",
    subtitle="Derde dialoogsessie · Ouderperspectief",
    motto="Samen leren en samen leven",
    lead=(
        "Op 7 oktober 2024 kwamen ouders, zorgprofessionals en onderwijsprofessionals samen voor de derde "
        "dialoogsessie.\n\nHieronder volgt een korte reflectie van de middag."
    ),
    welcome="We blikten kort terug op de vorige bijeenkomst, ‘Tweede dialoogsessie’ van 5 februari 2024.",
    terugblik=Terugblik("Tweede dialoogsessie", "5 februari 2024", ("Vertrouwen opbouwen kost tijd",)),
    programme=(
        ProgrammeItem(
            title="Pitch: Opvoedadviseurs Alkmaar",
            speaker="Anna de Vries",
            function="opvoedadviseur",
            organisation="Gemeente Alkmaar",
            text="Opvoedadviseurs denken mee met ouders over gewone vragen bij het opvoeden, zonder wachtlijst.",
            link="https://www.example.nl/opvoedadviseurs",
        ),
    ),
    sections=(
        WorkformatSection(
            key="buffers",
            name="Vier buffers: een vangnet voor ouders",
            prompts=("Wat heb je nodig of wat kun je geven binnen deze buffer?",),
            blocks=(BUFFERS,),
        ),
        WorkformatSection(
            key="casus",
            name="De roddelmethode",
            task=(
                "Finn is 9 jaar en komt de laatste weken vaak te laat op school.\nZijn moeder werkt ’s nachts.\n\n"
                "De leerkracht maakt zich zorgen.",
            ),
            prompts=("Wat valt je op aan de situatie van Finn?", "Welk advies geef je de leerkracht?"),
            blocks=(TABLE_ADVICE, REACTION),
        ),
    ),
    rode_draad=RodeDraad(
        paragraph="Vertrouwen tussen ouder en school is de basis voor alles wat volgt.",
        questions=("Hoe maken we tijd voor het eerste gesprek?", "Wie vraagt de ouder wat er thuis speelt?"),
        themes=(
            ThemeLine("Vertrouwen tussen ouder en school", "5 ouders · tafels 1, 3"),
            ThemeLine("Tijd voor het gesprek"),
        ),
    ),
    wrap_up_intro="Ieder vraagstuk kent verschillende gezichten.",
    wrap_up=(
        "Opvoedadviseurs – laagdrempelig meedenken werkt.",
        "Vier buffers – het vangnet van ouders is van ons allemaal.",
    ),
    closing="Het was waardevol om vanuit meervoudig perspectief naar deze vraagstukken te kijken.",
    call="Wie wil meedenken, meld je bij ons aan.",
    save_the_date=SaveTheDate("7 oktober", "15.00 – 17.00 uur", "Alkmaar", "4e dialoogsessie Mentale veerkracht"),
    organisers_title="Organisatie dialoogsessie Mentale veerkracht van kinderen",
    organisers=(
        Organiser(
            "Marieke Jansen",
            "Consulent passend primair onderwijs",
            "SWV PPO Noord-Kennemerland",
            "06 12 34 56 78",
            "m.jansen@example.nl",
        ),
        Organiser("Peter Bakker", "Preventiemedewerker", "GGZ Preventieacademie", email="p.bakker@example.nl"),
    ),
    appendix=(
        AppendixGroup(
            "Vier buffers: een vangnet voor ouders",
            (
                AppendixItem("Een koffieochtend voor ouders", "tafel 2 · Solidariteit in de gemeenschap"),
                AppendixItem("Samen afspraken maken"),
            ),
        ),
    ),
    headings=HEADINGS,
)

SMALL = Report(
    title="Dialoogsessie Jeugd",
    motto="Samen leren",
    lead="Op 5 februari kwamen we samen.",
    sections=(
        WorkformatSection(
            key="b",
            name="Vier buffers",
            prompts=("Wat heb je nodig?",),
            blocks=(
                Block(
                    key="b/opbrengst",
                    title="Opbrengst",
                    shape="bullets_per_bucket",
                    intro="We hebben de punten onderverdeeld:",
                    numbered_groups=True,
                    groups=(
                        Group("solidariteit", "Solidariteit", "steun", ("Ga naast de ouder staan.", "Erken wat ouders doen.")),
                        Group("meta_positie", "Meta-positie", bullets=("Neem afstand.",)),
                    ),
                ),
            ),
        ),
    ),
    save_the_date=SaveTheDate("7 oktober", "15.00 – 17.00 uur", "Alkmaar", "3e dialoogsessie"),
    organisers=(Organiser("Marieke Jansen", "Consulent", "SWV", "06 12 34 56 78", "m.jansen@example.nl"),),
    headings=HEADINGS,
)

# -- Links --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://www.example.nl/a?b=1&c=2", "https://www.example.nl/a?b=1&c=2"),
        (" HTTPS://Example.nl/A ", "https://Example.nl/A"),
        ("mailto:m.jansen@example.nl", "mailto:m.jansen@example.nl"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox(1)", None),
        ("/relatief", None),
        ("//example.nl", None),
        ("https://", None),
        ('https://example.nl/"onmouseover=alert(1)', None),
        ("https://example.nl/a b", None),
        ("mailto:javascript:alert(1)", None),
    ],
)
def test_link_target_allows_only_http_and_mailto(url: str, target: str | None) -> None:
    assert link_target(url) == target


# -- Markdown -------------------------------------------------------------------------------------


def test_render_markdown_small_report_exactly() -> None:
    hard_break = "  "
    assert render_markdown(SMALL) == "\n".join([
        "# Dialoogsessie Jeugd",
        "",
        "*“Samen leren”*",
        "",
        "Op 5 februari kwamen we samen.",
        "",
        "## Vier buffers",
        "",
        "### De vragen",
        "",
        "1. Wat heb je nodig?",
        "",
        "### Opbrengst",
        "",
        "We hebben de punten onderverdeeld:",
        "",
        "1. **Solidariteit** – steun",
        "   - Ga naast de ouder staan.",
        "   - Erken wat ouders doen.",
        "2. **Meta-positie**",
        "   - Neem afstand.",
        "",
        "## Afsluiting",
        "",
        "**SAVE THE DATE:** 7 oktober 15.00 – 17.00 uur in Alkmaar" + hard_break,
        "3e dialoogsessie",
        "",
        "## Organisatie",
        "",
        "**Marieke Jansen**" + hard_break,
        "Consulent, SWV" + hard_break,
        "06 12 34 56 78" + hard_break,
        "<m.jansen@example.nl>",
        "",
    ])


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("*x*", r"\*x\*"),
        ("_x_", r"\_x\_"),
        ("# kop", r"\# kop"),
        ("###### kop", r"\###### kop"),
        ("kop #", r"kop \#"),
        ("#hashtag", "#hashtag"),
        ("[link](javascript:alert(1))", r"\[link\](javascript:alert(1))"),
        ("![beeld](x.png)", r"!\[beeld\](x.png)"),
        ("<script>alert(1)</script>", r"\<script>alert(1)\</script>"),
        ("1. eerste", r"1\. eerste"),
        ("12) twaalfde", r"12\) twaalfde"),
        ("2024. Een jaar", r"2024\. Een jaar"),
        ("1.5 uur", "1.5 uur"),
        ("- punt", r"\- punt"),
        ("+ punt", r"\+ punt"),
        ("+31 6 1234", "+31 6 1234"),
        ("-5 graden", "-5 graden"),
        ("> citaat", r"\> citaat"),
        ("---", r"\---"),
        ("===", r"\==="),
        ("`code`", r"\`code\`"),
        ("~~~", r"\~\~\~"),
        ("a | b", r"a \| b"),
        ("&amp; &#60;", r"\&amp; \&#60;"),
        ("J&G coaches", "J&G coaches"),
        ("a\\", "a\\\\"),
        ("    ingesprongen", "ingesprongen"),
        ("regel\n# kop\n\n1. lijst", r"regel # kop 1. lijst"),
        ("Heb oog voor de ouder.", "Heb oog voor de ouder."),
    ],
)
def test_markdown_escape_neutralises_markdown_syntax(text: str, escaped: str) -> None:
    assert escape(text) == escaped


def test_render_markdown_hostile_texts_keep_the_structure() -> None:
    hostile = Block(
        key="x/y",
        title="# Kop",
        shape="bullets_per_bucket",
        numbered_groups=True,
        groups=(Group("g", "*vet*", "[a](javascript:b)", ("1. lijst", "<script>x</script>", "regel\n\n- nieuw")),),
    )
    report = Report(
        title="T",
        lead="Eerste regel\n1. geen lijst\n\n> geen citaat",
        sections=(WorkformatSection(key="x", name="## Werkvorm", blocks=(hostile,)),),
        programme=(ProgrammeItem(title="Pitch", link="javascript:alert(1)"),),
        headings=HEADINGS,
    )
    assert render_markdown(report) == "\n".join([
        "# T",
        "",
        "Eerste regel  ",
        r"1\. geen lijst",
        "",
        r"\> geen citaat",
        "",
        "## Programma",
        "",
        "### Pitch",
        "",
        "Meer info: javascript:alert(1)",
        "",
        r"## \## Werkvorm",
        "",
        r"### \# Kop",
        "",
        r"1. **\*vet\*** – \[a\](javascript:b)",
        r"   - 1\. lijst",
        r"   - \<script>x\</script>",
        "   - regel - nieuw",
        "",
    ])


def test_render_markdown_omits_empty_parts() -> None:
    report = Report(
        title="Alleen een titel",
        sections=(WorkformatSection(key="x", name="Leeg", blocks=(Block(key="x/y", title="Niets", shape="bullets"),)),),
        rode_draad=RodeDraad(),
        save_the_date=SaveTheDate(),
        organisers=(Organiser(name=""),),
        appendix=(AppendixGroup("Leeg"),),
        headings=HEADINGS,
    )
    assert render_markdown(report) == "# Alleen een titel\n"


def test_render_markdown_shows_the_terugblik_only_without_a_welcome() -> None:
    terugblik = Terugblik("Tweede dialoogsessie", "5 februari 2024", ("Vertrouwen", "Tijd"), "Samen kom je verder.")
    report = Report(title="T", terugblik=terugblik, headings=HEADINGS)
    assert render_markdown(report) == (
        "# T\n\n## Welkom\n\n### Tweede dialoogsessie, 5 februari 2024\n\nSamen kom je verder.\n\n- Vertrouwen\n- Tijd\n"
    )
    assert render_markdown(replace(report, welcome="Welkom terug!")) == "# T\n\n## Welkom\n\nWelkom terug!\n"

# -- HTML -----------------------------------------------------------------------------------------


class Outline(HTMLParser):
    """What a reader of the HTML gets: headings, links, tags, keys, and the bullets of each group."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str]] = []
        self.hrefs: list[str] = []
        self.sources: list[str] = []
        self.tags: set[str] = set()
        self.group_bullets: dict[str, list[str]] = {}
        self.section_keys: list[str] = []
        self.block_keys: list[str] = []
        self._capture: list[str] | None = None
        self._group: str | None = None
        self._group_depth = 0
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.add(tag)
        if tag not in ("br", "meta"):
            self._depth += 1
        if "href" in found:
            self.hrefs.append(found["href"] or "")
        if "src" in found:
            self.sources.append(found["src"] or "")
        css = (found.get("class") or "").split()
        if "werkvorm" in css:
            self.section_keys.append(found["data-key"] or "")
        if "block" in css:
            self.block_keys.append(found["data-key"] or "")
        if "group" in css:
            self._group, self._group_depth = found["data-key"], self._depth
            self.group_bullets[self._group or ""] = []
        if tag in ("h1", "h2", "h3") or (tag == "li" and self._group and self._depth > self._group_depth):
            self._capture = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3") and self._capture is not None:
            self.headings.append((tag, "".join(self._capture)))
            self._capture = None
        if tag == "li" and self._capture is not None and self._group:
            self.group_bullets[self._group].append("".join(self._capture))
            self._capture = None
        if self._group and self._depth == self._group_depth:
            self._group = None
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._capture.append(data)


def marks_of(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<mark class="pii" data-kind="([^"]*)">([^<]*)</mark>', html)


EXPECTED_HEADINGS = [
    ("h1", "Dialoogsessie ‘Mentale veerkracht van kinderen’"),
    ("h2", "Welkom"),
    ("h2", "Programma"),
    ("h3", "Pitch: Opvoedadviseurs Alkmaar"),
    ("h2", "Vier buffers: een vangnet voor ouders"),
    ("h3", "De vragen"),
    ("h3", "Opbrengst"),
    ("h2", "De roddelmethode"),
    ("h3", "Casus"),
    ("h3", "De vragen"),
    ("h3", "Advies per tafel"),
    ("h3", "Reactie van de inbrenger"),
    ("h2", "Rode draad"),
    ("h3", "Thema's"),
    ("h3", "Open vragen"),
    ("h2", "Wrap-up"),
    ("h2", "Afsluiting"),
    ("h2", "Organisatie dialoogsessie Mentale veerkracht van kinderen"),
    ("h2", "Bijlage: alle bijdragen"),
    ("h3", "Vier buffers: een vangnet voor ouders"),
]


def test_render_html_headings_in_order() -> None:
    outline = Outline(render_html(REPORT))
    assert outline.headings == EXPECTED_HEADINGS
    assert outline.section_keys == ["buffers", "casus"]
    assert outline.block_keys == ["buffers/opbrengst", "casus/advies", "casus/reactie"]


def test_render_html_group_bullets_exactly() -> None:
    outline = Outline(render_html(REPORT))
    assert outline.group_bullets == {
        "solidariteit": list(SOLIDARITEIT),
        "taakverdeling": ["Vraag wat de ouder zelf kan dragen en wat niet.", "Maak samen afspraken over wie wat doet."],
        "meta_positie": ["Help ouders om even afstand te nemen: wat zie je als je van buitenaf kijkt?"],
        "ouderervaringen": [
            "Deel ook wat goed gaat met het kind.",
            "Zet ouders in hun kracht.",
            "Vier kleine successen samen.",
            "Nodig ouders uit op school voor iets leuks, niet alleen bij zorgen.",
        ],
        "tafel-1": ["Begin het gesprek met wat goed gaat."],
        "tafel-3": ["Neem de tijd voor een huisbezoek voordat er een plan ligt.", "Vraag Finn zelf wat helpt."],
    }


def test_render_html_escapes_hostile_text_and_links_only_safe_urls() -> None:
    hostile = Block(
        key="x/y",
        title="Opbrengst",
        shape="per_table",
        groups=(Group('"><img src=x onerror=alert(1)>', '"><img src=x onerror=alert(1)>', bullets=("<script>alert(1)</script>",)),),
    )
    report = Report(
        title="</title><script>alert(1)</script>",
        sections=(WorkformatSection(key='x" onclick="alert(1)', name="Werkvorm", blocks=(hostile,)),),
        programme=(
            ProgrammeItem(title="Pitch", link="javascript:alert(1)"),
            ProgrammeItem(title="Pitch 2", link="data:text/html,<script>alert(1)</script>"),
            ProgrammeItem(title="Pitch 3", link="/relatief"),
        ),
        organisers=(Organiser("Org", email='x@y.nl"><script>alert(1)</script>'),),
        headings=HEADINGS,
    )
    html = render_html(report)
    outline = Outline(html)
    assert "script" not in outline.tags and "img" not in outline.tags
    assert outline.hrefs == []
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    assert '<div class="group" data-key="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">' in html
    assert "<strong>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</strong>" in html
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>" in html
    assert '<section class="werkvorm" data-key="x&quot; onclick=&quot;alert(1)">' in html
    assert '<p class="more-info"><span class="unlinked">javascript:alert(1)</span></p>' in html
    assert '<p class="more-info"><span class="unlinked">/relatief</span></p>' in html
    assert '<p class="email">x@y.nl&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>' in html


def test_render_html_references_nothing_outside_the_report_links() -> None:
    html = render_html(REPORT)
    outline = Outline(html)
    assert outline.hrefs == [
        "https://www.example.nl/opvoedadviseurs",
        "mailto:m.jansen@example.nl",
        "mailto:p.bakker@example.nl",
    ]
    assert outline.sources == []
    assert outline.tags & {"script", "link", "img", "iframe", "object", "embed", "base", "form"} == set()
    assert re.findall(r"[a-z]+://[^\s\"'<>)]+", html) == ["https://www.example.nl/opvoedadviseurs"]
    assert "url(" not in html and "@import" not in html and "@font-face" not in html


def test_render_html_is_a_print_ready_a4_document() -> None:
    html = render_html(REPORT, lang="en")
    assert html.startswith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
    assert "<title>Dialoogsessie ‘Mentale veerkracht van kinderen’</title>" in html
    assert '<article id="verslag">' in html
    assert "@page { size: A4; margin: 2cm 2cm; }" in html
    assert "break-after: avoid" in html
    assert ".group, .organiser, .save-the-date { break-inside: avoid;" in html
    assert 'a[href^="http"]::after { content: " (" attr(href) ")";' in html
    assert ".organiser-grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr));" in html
    assert '<p class="more-info"><a href="https://www.example.nl/opvoedadviseurs">Meer info</a></p>' in html
    assert (
        '<div class="save-the-date">\n'
        '<p class="when"><strong>SAVE THE DATE:</strong> 7 oktober 15.00 – 17.00 uur in Alkmaar</p>\n'
        '<p class="label">4e dialoogsessie Mentale veerkracht</p>\n'
        "</div>"
    ) in html


def test_render_html_for_email_keeps_the_content_in_mail_friendly_markup() -> None:
    html = render_html(REPORT, for_email=True)
    assert Outline(html).headings == EXPECTED_HEADINGS
    assert "@page" not in html and "display: grid" not in html and "::after" not in html
    assert '<table class="organiser-table" role="presentation"><tbody>\n<tr>\n<td style=' in html
    assert html.count('<div class="organiser">') == 2
    assert '<div class="save-the-date" style="' in html


def test_render_html_highlight_marks_exactly_the_given_pieces() -> None:
    def highlight(text: str) -> list[tuple[str, str | None]]:
        pieces: list[tuple[str, str | None]] = []
        for piece in re.split(r"(Finn|Marieke Jansen|<b>)", text):
            if piece:
                pieces.append((piece, {"Finn": "naam", "Marieke Jansen": "naam", "<b>": 'x"><b>'}.get(piece)))
        return pieces

    report = replace(REPORT, wrap_up=("Veilig <b> vet",))
    html = render_html(report, highlight=highlight)
    # Finn in the case text, the prompt and a table advice; organisers are named on purpose and stay unmarked.
    assert marks_of(html) == [("naam", "Finn"), ("naam", "Finn"), ("naam", "Finn"), ("x&quot;&gt;&lt;b&gt;", "&lt;b&gt;")]
    assert "<p>Finn is 9 jaar" not in html
    assert '<p><mark class="pii" data-kind="naam">Finn</mark> is 9 jaar en komt' in html
    assert '<li>Vraag <mark class="pii" data-kind="naam">Finn</mark> zelf wat helpt.</li>' in html
    assert '<p class="name">Marieke Jansen</p>' in html
    assert "<mark" not in render_html(report)


def test_style_source_allows_exactly_the_embedded_style_sheet() -> None:
    import base64
    import hashlib

    for for_email in (False, True):
        html = render_html(REPORT, for_email=for_email)
        style = html[html.index("<style>") + len("<style>") : html.index("</style>")]
        digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
        assert style_source(for_email=for_email) == f"'sha256-{digest}'"


# -- Word -----------------------------------------------------------------------------------------


def read_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_render_docx_paragraphs_in_order() -> None:
    document = read_docx(render_docx(REPORT))
    assert [(p.style.name if p.style else "", p.text) for p in document.paragraphs] == [
        ("Title", "Dialoogsessie ‘Mentale veerkracht van kinderen’"),
        ("Subtitle", "Derde dialoogsessie · Ouderperspectief"),
        ("Normal", "“Samen leren en samen leven”"),
        ("Normal", "Op 7 oktober 2024 kwamen ouders, zorgprofessionals en onderwijsprofessionals samen voor de derde dialoogsessie."),
        ("Normal", "Hieronder volgt een korte reflectie van de middag."),
        ("Heading 1", "Welkom"),
        ("Normal", "We blikten kort terug op de vorige bijeenkomst, ‘Tweede dialoogsessie’ van 5 februari 2024."),
        ("Heading 1", "Programma"),
        ("Heading 2", "Pitch: Opvoedadviseurs Alkmaar"),
        ("Normal", "Door: Anna de Vries, opvoedadviseur, Gemeente Alkmaar"),
        ("Normal", "Opvoedadviseurs denken mee met ouders over gewone vragen bij het opvoeden, zonder wachtlijst."),
        ("Normal", "Meer info: https://www.example.nl/opvoedadviseurs"),
        ("Heading 1", "Vier buffers: een vangnet voor ouders"),
        ("Heading 2", "De vragen"),
        ("List Number", "Wat heb je nodig of wat kun je geven binnen deze buffer?"),
        ("Heading 2", "Opbrengst"),
        ("Normal", "We hebben de punten onderverdeeld in de 4 ‘buffers’:"),
        ("Normal", "1. Solidariteit in de gemeenschap – het ervaren van steun en erkenning"),
        *[("List Bullet", bullet) for bullet in SOLIDARITEIT],
        ("Normal", "2. Goede taakverdeling – inzicht in de balans tussen verantwoordelijkheid en draagkracht"),
        ("List Bullet", "Vraag wat de ouder zelf kan dragen en wat niet."),
        ("List Bullet", "Maak samen afspraken over wie wat doet."),
        ("Normal", "3. Meta-positie – het vermogen om vanuit een afstand naar jezelf en de ander te kijken"),
        ("List Bullet", "Help ouders om even afstand te nemen: wat zie je als je van buitenaf kijkt?"),
        ("Normal", "4. Positieve ouderervaringen – het ervaren van betekenisvolle momenten en trots op je kind"),
        ("List Bullet", "Deel ook wat goed gaat met het kind."),
        ("List Bullet", "Zet ouders in hun kracht."),
        ("List Bullet", "Vier kleine successen samen."),
        ("List Bullet", "Nodig ouders uit op school voor iets leuks, niet alleen bij zorgen."),
        ("Heading 1", "De roddelmethode"),
        ("Heading 2", "Casus"),
        ("Normal", "Finn is 9 jaar en komt de laatste weken vaak te laat op school.\nZijn moeder werkt ’s nachts."),
        ("Normal", "De leerkracht maakt zich zorgen."),
        ("Heading 2", "De vragen"),
        ("List Number", "Wat valt je op aan de situatie van Finn?"),
        ("List Number", "Welk advies geef je de leerkracht?"),
        ("Heading 2", "Advies per tafel"),
        ("Normal", "Per tafel werd een advies geformuleerd."),
        ("Normal", "Tafel 1"),
        ("List Bullet", "Begin het gesprek met wat goed gaat."),
        ("Normal", "Tafel 3 – 2 ouders · 3 professionals"),
        ("List Bullet", "Neem de tijd voor een huisbezoek voordat er een plan ligt."),
        ("List Bullet", "Vraag Finn zelf wat helpt."),
        ("Heading 2", "Reactie van de inbrenger"),
        ("Normal", "De inbrenger neemt vooral mee dat ze niet alleen hoeft te zoeken naar een oplossing."),
        ("Heading 1", "Rode draad"),
        ("Normal", "Vertrouwen tussen ouder en school is de basis voor alles wat volgt."),
        ("Heading 2", "Thema's"),
        ("List Bullet", "Vertrouwen tussen ouder en school – 5 ouders · tafels 1, 3"),
        ("List Bullet", "Tijd voor het gesprek"),
        ("Heading 2", "Open vragen"),
        ("List Bullet", "Hoe maken we tijd voor het eerste gesprek?"),
        ("List Bullet", "Wie vraagt de ouder wat er thuis speelt?"),
        ("Heading 1", "Wrap-up"),
        ("Normal", "Ieder vraagstuk kent verschillende gezichten."),
        ("List Bullet", "Opvoedadviseurs – laagdrempelig meedenken werkt."),
        ("List Bullet", "Vier buffers – het vangnet van ouders is van ons allemaal."),
        ("Heading 1", "Afsluiting"),
        ("Normal", "Het was waardevol om vanuit meervoudig perspectief naar deze vraagstukken te kijken."),
        ("Normal", "Wie wil meedenken, meld je bij ons aan."),
        ("Normal", "SAVE THE DATE: 7 oktober 15.00 – 17.00 uur in Alkmaar"),
        ("Normal", "4e dialoogsessie Mentale veerkracht"),
        ("Heading 1", "Organisatie dialoogsessie Mentale veerkracht van kinderen"),
        ("Normal", "Marieke Jansen\nConsulent passend primair onderwijs, SWV PPO Noord-Kennemerland\n06 12 34 56 78\nm.jansen@example.nl"),
        ("Normal", "Peter Bakker\nPreventiemedewerker, GGZ Preventieacademie\np.bakker@example.nl"),
        ("Heading 1", "Bijlage: alle bijdragen"),
        ("Heading 2", "Vier buffers: een vangnet voor ouders"),
        ("List Bullet", "Een koffieochtend voor ouders (tafel 2 · Solidariteit in de gemeenschap)"),
        ("List Bullet", "Samen afspraken maken"),
    ]


def test_render_docx_bold_and_italic_runs() -> None:
    document = read_docx(render_docx(REPORT))
    runs = {p.text: [(r.text, bool(r.bold), bool(r.italic)) for r in p.runs] for p in document.paragraphs}
    assert runs["“Samen leren en samen leven”"] == [("“Samen leren en samen leven”", False, True)]
    assert runs["1. Solidariteit in de gemeenschap – het ervaren van steun en erkenning"] == [
        ("1. Solidariteit in de gemeenschap", True, False),
        (" – het ervaren van steun en erkenning", False, False),
    ]
    assert runs["3. Meta-positie – het vermogen om vanuit een afstand naar jezelf en de ander te kijken"] == [
        ("3. Meta-positie", True, False),
        (" – het vermogen om vanuit een afstand naar jezelf en de ander te kijken", False, False),
    ]
    # Table advices are titled, not numbered.
    assert runs["Tafel 1"] == [("Tafel 1", True, False)]
    assert runs["Vertrouwen tussen ouder en school – 5 ouders · tafels 1, 3"] == [
        ("Vertrouwen tussen ouder en school", True, False),
        (" – 5 ouders · tafels 1, 3", False, False),
    ]
    assert runs["SAVE THE DATE: 7 oktober 15.00 – 17.00 uur in Alkmaar"] == [
        ("SAVE THE DATE: 7 oktober 15.00 – 17.00 uur in Alkmaar", True, False)
    ]


def test_render_docx_links_are_real_hyperlinks() -> None:
    document = read_docx(render_docx(REPORT))
    external = sorted(
        (rel.reltype.rsplit("/", 1)[-1], rel.target_ref) for rel in document.part.rels.values() if rel.is_external
    )
    assert external == [
        ("hyperlink", "https://www.example.nl/opvoedadviseurs"),
        ("hyperlink", "mailto:m.jansen@example.nl"),
        ("hyperlink", "mailto:p.bakker@example.nl"),
    ]
    links = [(link.address, link.text) for p in document.paragraphs for link in p.hyperlinks]
    assert links == [
        ("https://www.example.nl/opvoedadviseurs", "https://www.example.nl/opvoedadviseurs"),
        ("mailto:m.jansen@example.nl", "m.jansen@example.nl"),
        ("mailto:p.bakker@example.nl", "p.bakker@example.nl"),
    ]
    assert document.styles["Hyperlink"].font.underline is True


def test_render_docx_numbered_lists_each_start_at_one() -> None:
    document = read_docx(render_docx(REPORT))
    num_ids = [
        p._p.pPr.numPr.numId.val for p in document.paragraphs if p.style is not None and p.style.name == "List Number"
    ]
    assert num_ids[1] == num_ids[2] and num_ids[0] != num_ids[1]
    numbering = document.part.numbering_part.element
    for num_id in set(num_ids):
        assert numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:lvlOverride[@w:ilvl="0"]/w:startOverride/@w:val') == ["1"]


def test_render_docx_properties_name_no_one() -> None:
    data = render_docx(REPORT)
    properties = read_docx(data).core_properties
    assert (properties.title, properties.author, properties.last_modified_by, properties.language) == (
        "Dialoogsessie ‘Mentale veerkracht van kinderen’",
        "SWV PPO Noord-Kennemerland; GGZ Preventieacademie",  # the organisations, never a person
        "Rode Draad",
        "nl-NL",
    )
    assert (properties.comments, properties.keywords) == ("", "")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = package.read("word/styles.xml").decode("utf-8")
        assert '<w:lang w:val="nl-NL"' in styles
        assert all(b"python-docx" not in package.read(name) for name in package.namelist())


def test_render_docx_unsafe_links_and_control_characters_become_plain_text() -> None:
    report = Report(
        title="T\x00itel",
        programme=(ProgrammeItem(title="Pitch", link="javascript:alert(1)"),),
        wrap_up=("Bel\x07 ons\x1b",),
        organisers=(Organiser("Org", email="geen adres"),),
        headings=HEADINGS,
    )
    document = read_docx(render_docx(report))
    assert [(p.style.name if p.style else "", p.text) for p in document.paragraphs] == [
        ("Title", "Titel"),
        ("Heading 1", "Programma"),
        ("Heading 2", "Pitch"),
        ("Normal", "Meer info: javascript:alert(1)"),
        ("Heading 1", "Wrap-up"),
        ("List Bullet", "Bel ons"),
        ("Heading 1", "Organisatie"),
        ("Normal", "Org\ngeen adres"),
    ]
    assert [rel for rel in document.part.rels.values() if rel.is_external] == []


@pytest.mark.slow
def test_render_docx_opens_cleanly_in_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is required: ./scripts/test installs libreoffice-writer-nogui"
    source = tmp_path / "verslag.docx"
    source.write_bytes(render_docx(REPORT))
    profile = (tmp_path / "profile").as_uri()  # a private profile: no first-run state shared with others
    for target in ("pdf", "txt:Text (encoded):UTF8"):
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
             "--outdir", str(tmp_path), str(source)],
            check=True, capture_output=True, timeout=180,
        )
    assert (tmp_path / "verslag.pdf").read_bytes().startswith(b"%PDF")
    lines = [line.strip() for line in (tmp_path / "verslag.txt").read_text(encoding="utf-8-sig").splitlines()]
    expected = [p.text for p in docx.Document(io.BytesIO(render_docx(REPORT))).paragraphs if p.text.strip()]
    # LibreOffice reads every paragraph python-docx wrote, in order (bullets come out with a bullet sign).
    found = [line for line in lines if line]
    position = 0
    for text in expected:
        first_line = text.splitlines()[0]
        matches = [i for i in range(position, len(found)) if found[i].endswith(first_line)]
        assert matches, f"LibreOffice lost {first_line!r} (after line {position})"
        position = matches[0] + 1


# -- CSV ------------------------------------------------------------------------------------------


def test_render_csv_bytes_exactly() -> None:
    data = render_csv(["Tekst", "Tafel"], [["Ga naast de ouder staan.", "1"], ["één; twee", ""]])
    assert data == b'\xef\xbb\xbfTekst;Tafel\r\nGa naast de ouder staan.;1\r\n"\xc3\xa9\xc3\xa9n; twee";\r\n'


def test_render_csv_round_trips_separators_quotes_and_newlines() -> None:
    text = 'Hij zei: "kom erbij"; daarna\nnog een regel'
    data = render_csv(["Tekst", "Groep"], [[text, "a=b"], ["gewone tekst", ""]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows == [["Tekst", "Groep"], [text, "a=b"], ["gewone tekst", ""]]


@pytest.mark.parametrize(
    ("cell", "neutralised"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 12345678", "'+31 6 12345678"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("gewone tekst", "gewone tekst"),
        ("", ""),
    ],
)
def test_neutralise_cell(cell: str, neutralised: str) -> None:
    assert neutralise_cell(cell) == neutralised


def test_render_csv_neutralises_every_cell_header_too() -> None:
    cells = ["=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx", "a=b", "gewone tekst"]
    data = render_csv(["=kop", "Tekst"], [[cell, cell] for cell in cells])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["'=kop", "Tekst"]
    assert [row[0] for row in rows[1:]] == ["'=1+1", "'+31", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "a=b", "gewone tekst"]
    assert all(row[0] == row[1] for row in rows[1:])
