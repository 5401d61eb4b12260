"""The verslag renders a composed werkvorm's sections in the seeds' shapes (issue 16, points 2 and 3): a grid as a
real table, a scale counted per point, a ranking with its points and how they were counted, afspraken as a table
Wat / Wie / Niveau / Wanneer and again in short near the end; in Markdown, HTML and Word alike."""

from __future__ import annotations

import io
import re

import docx
import pytest

from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository, MemorySeries
from facilitator.verslag import exports
from facilitator.verslag.csv import render_csv
from facilitator.verslag.model import Block, Report
from tests.support.composed import ACTIONS, COLUMNS, GRID, ROWS, Composed, composed_afternoon

REGISTRY = discover()


@pytest.fixture
def stores() -> tuple[MemoryRepository, MemorySeries, Composed]:
    repo, series = MemoryRepository(), MemorySeries()
    return repo, series, composed_afternoon(repo, series, REGISTRY)


@pytest.fixture
def report(stores: tuple[MemoryRepository, MemorySeries, Composed]) -> Report:
    return services.verslag(stores[0], REGISTRY, stores[1], "middag2")


def _block(report: Report, shape: str) -> Block:
    return next(b for s in report.sections for b in s.blocks if b.shape == shape)


def _markdown(report: Report) -> str:
    return exports.render(report, exports.FORMATS["md"]).decode()


def _md_section(markdown: str, title: str) -> str:
    return markdown.split(f"### {title}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def test_a_composed_werkvorm_gets_a_section_with_a_block_per_answering_phase(report: Report) -> None:
    section = next(s for s in report.sections if s.name == "Grondhouding in de praktijk")
    assert [b.shape for b in section.blocks] == ["bullets", "bullets_per_bucket", "grid", "scale", "ranking",
                                                 "actions"]


def test_the_grid_is_a_table_of_rows_by_columns_with_each_cells_points_and_a_dash_where_empty(report: Report) -> None:
    table = _block(report, "grid").table
    assert table is not None
    assert table.columns == tuple(c["label"] for c in COLUMNS)
    assert [r.label for r in table.rows] == [r["label"] for r in ROWS]
    assert table.rows[0].description == ROWS[0]["description"]
    assert table.rows[0].cells == (
        ("Vraag eerst door voordat je een oplossing geeft.", "Luister naar wat het kind zelf zegt."), (),
        ("Bel de school samen met de ouder.",))
    assert table.rows[1].cells[1] == ()


def test_the_grid_in_markdown_is_a_list_per_row_with_the_columns_and_dashes(report: Report) -> None:
    grid = _md_section(_markdown(report), "Grondhouding × lenzen")
    assert "**Werken vanuit oprechte interesse** – ieder mens wil gehoord en gezien worden\n- *Handelen*:\n" \
           "  - Vraag eerst door voordat je een oplossing geeft.\n  - Luister naar wat het kind zelf zegt.\n" \
           "- *Hulpinzet*: –\n- *Samenwerking*: Bel de school samen met de ouder." in grid
    assert "**Regie bij het gezin**\n- *Handelen*: Laat het gezin het tempo bepalen.\n- *Hulpinzet*: –" in grid


def test_the_grid_in_html_is_a_real_table(report: Report) -> None:
    html = exports.render(report, exports.FORMATS["html"]).decode()
    table = re.search(r'data-shape="grid">.*?(<table class="answers">.*?</table>)', html, re.S)
    assert table is not None
    body = table.group(1)
    assert '<th scope="col">Handelen</th><th scope="col">Hulpinzet</th><th scope="col">Samenwerking</th>' in body
    assert body.count("<tr>") == 1 + len(ROWS)
    assert "<td><ul><li>Vraag eerst door voordat je een oplossing geeft.</li><li>Luister naar" in body
    assert "<td>–</td>" in body


def test_the_grid_in_word_is_a_real_table_with_the_right_cells(report: Report) -> None:
    document = docx.Document(io.BytesIO(exports.render(report, exports.FORMATS["docx"])))
    grid = next(t for t in document.tables if t.cell(0, 1).text == "Handelen")
    assert len(grid.rows) == 1 + len(ROWS) and len(grid.columns) == 1 + len(COLUMNS)
    assert [grid.cell(0, i).text for i in range(4)] == ["", "Handelen", "Hulpinzet", "Samenwerking"]
    assert grid.cell(1, 0).text == "Werken vanuit oprechte interesse\nieder mens wil gehoord en gezien worden"
    assert [p.text for p in grid.cell(1, 1).paragraphs] == [
        "Vraag eerst door voordat je een oplossing geeft.", "Luister naar wat het kind zelf zegt."]
    assert grid.cell(1, 2).text == "–"
    assert grid.cell(3, 2).text == "Hulp thuis in plaats van op kantoor."
    assert grid.style.name == "Table Grid"


def test_the_scale_counts_each_point_sums_it_up_and_lists_the_explanations(report: Report) -> None:
    block = _block(report, "scale")
    assert block.counts == ("1 van 5 deelnemers: oneens", "1 van 5 deelnemers: neutraal",
                            "3 van 5 deelnemers: eens")
    assert block.paragraphs == ("Het vaakst gekozen: ‘eens’ (3 keer). De antwoorden liepen van ‘oneens’ tot ‘eens’.",)
    # By scale point, an empty explanation left out.
    assert block.bullets == ("oneens: De wachtlijsten maken het lastig.", "neutraal: Soms wel, soms niet.",
                             "eens: We zien ouders echt als partner.")
    scale = _md_section(_markdown(report), "Doen we nog het goede?")
    assert scale.lstrip("\n").startswith("- 1 van 5 deelnemers: oneens\n- 1 van 5 deelnemers: neutraal\n"
                            "- 3 van 5 deelnemers: eens\n\nHet vaakst gekozen")
    assert "Toelichtingen:\n\n- oneens: De wachtlijsten maken het lastig." in scale


def test_the_ranking_gives_the_rooms_order_with_borda_points_how_it_was_counted_and_the_remarks(
        report: Report) -> None:
    block = _block(report, "ranking")
    # Three options: 2 points for a first place, 1 for a second, 0 for the last; o2 was 1st, 1st, 2nd.
    assert block.counts == ("Eén plan per gezin (5 punten)", "Tijd voor ouders (3 punten)",
                            "Korte lijnen met school (1 punt)")
    assert block.numbered_counts and block.intro.startswith("3 deelnemers zetten de opties in volgorde.")
    assert "een eerste plaats is 2 punten waard" in block.paragraphs[0] and "de laatste plaats 0" in block.paragraphs[0]
    assert block.bullets == ("Eén plan scheelt ouders veel gedoe.",)
    ranking = _md_section(_markdown(report), "Wat eerst?")
    assert "1. Eén plan per gezin (5 punten)\n2. Tijd voor ouders (3 punten)\n3. Korte lijnen met school (1 punt)" \
        in ranking


def test_afspraken_are_a_table_wat_wie_niveau_wanneer_by_level_then_order(report: Report) -> None:
    table = _block(report, "actions").table
    assert table is not None
    assert (table.label_heading, *table.columns) == ("Wat", "Wie", "Niveau", "Wanneer")
    assert [(r.label, *r.cells) for r in table.rows] == [
        ("Budget voor een gezinsplan vrijmaken", ("Wethouder jeugd",), ("Bestuur",), ("voor de zomer",)),
        ("Beleidsnotitie grondhouding schrijven", ("Annelies",), ("Beleid",), ()),
        ("Werkgroep plannen met de scholen", ("Team brugfunctionarissen",), ("Uitvoering",), ("maart 2027",)),
    ]
    markdown = _markdown(report)
    assert "| Wat | Wie | Niveau | Wanneer |\n|---|---|---|---|\n" \
           "| Budget voor een gezinsplan vrijmaken | Wethouder jeugd | Bestuur | voor de zomer |" in markdown
    assert "| Beleidsnotitie grondhouding schrijven | Annelies | Beleid | – |" in markdown
    document = docx.Document(io.BytesIO(exports.render(report, exports.FORMATS["docx"])))
    word = next(t for t in document.tables if t.cell(0, 0).text == "Wat")
    assert [[c.text for c in row.cells] for row in word.rows][1] == [
        "Budget voor een gezinsplan vrijmaken", "Wethouder jeugd", "Bestuur", "voor de zomer"]


def test_a_verslag_with_afspraken_lists_them_in_short_after_the_sections(report: Report) -> None:
    assert len(report.actions) == len(ACTIONS)
    assert report.actions[0] == "Bestuur: Budget voor een gezinsplan vrijmaken (Wethouder jeugd, voor de zomer)"
    markdown = _markdown(report)
    assert markdown.index("## Afspraken") > markdown.index("## Rode draad")
    assert markdown.index("## Afspraken") < markdown.index("## Afsluiting")
    html = exports.render(report, exports.FORMATS["html"]).decode()
    assert '<section class="actions">\n<h2>Afspraken</h2>' in html
    document = docx.Document(io.BytesIO(exports.render(report, exports.FORMATS["docx"])))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings.index("Afspraken") < headings.index("Afsluiting")


def test_no_afspraken_part_when_the_item_is_left_out(stores: tuple, report: Report) -> None:
    item = stores[2].item
    services.edit_verslag(stores[0], "middag2", {f"item.{item.id}.include": False})
    edited = services.verslag(stores[0], REGISTRY, stores[1], "middag2")
    assert edited.actions == () and "## Afspraken" not in _markdown(edited)


def test_a_name_typed_as_who_is_flagged_by_the_privacy_check(report: Report) -> None:
    found = services.privacy_findings(report)
    assert {"where": f"block.{_block(report, 'actions').key}", "kind": "voornaam", "text": "Annelies"} in found


def test_a_cell_with_a_pipe_or_markup_cannot_break_the_markdown_table() -> None:
    from facilitator.verslag.model import Table, TableRow, WorkformatSection
    table = Table(label_heading="Wat", columns=("Wie",), rows=(TableRow(key="x", label="a | b", cells=(("*c*",),)),))
    section = WorkformatSection(key="i", name="W", blocks=(Block(key="i/r", title="T", shape="actions", table=table),))
    markdown = exports.render(Report(title="V", sections=(section,)), exports.FORMATS["md"]).decode()
    assert "| a \\| b | \\*c\\* |" in markdown


def test_the_csv_keeps_every_dimension_in_its_own_column_after_the_old_ones(stores: tuple) -> None:
    header, rows = services.csv_rows(stores[0], REGISTRY, "middag2")
    assert header[:10] == ["Onderdeel", "Fase", "Soort", "Tekst", "Groep", "Labels", "Tafel", "Perspectief",
                           "Functie", "Tijd"]
    assert header[10:] == ["Rij", "Kolom", "Schaalpunt", "Rangorde", "Wie", "Niveau", "Wanneer"]
    by_text = {row[3]: dict(zip(header, row, strict=True)) for row in rows}
    grid = by_text[GRID[0][2]]
    assert (grid["Rij"], grid["Kolom"], grid["Groep"]) == ("Werken vanuit oprechte interesse", "Handelen",
                                                           "Werken vanuit oprechte interesse")
    assert by_text["We zien ouders echt als partner."]["Schaalpunt"] == "eens"
    assert by_text["Eén plan scheelt ouders veel gedoe."]["Rangorde"] == \
        "Eén plan per gezin > Tijd voor ouders > Korte lijnen met school"
    action = by_text["Werkgroep plannen met de scholen"]
    assert (action["Wie"], action["Niveau"], action["Wanneer"]) == ("Team brugfunctionarissen", "Uitvoering",
                                                                    "maart 2027")
    # Other werkvormen leave the new columns empty.
    roddel = next(r for r in rows if r[0] == "De roddelmethode")
    assert roddel[10:] == ["", "", "", "", "", "", ""]
    data = render_csv(header, rows)
    assert data.startswith("\ufeff".encode()) and b"Rij;Kolom;Schaalpunt;Rangorde;Wie;Niveau;Wanneer\r\n" in data


PER_TABLE = {
    "name": "Goed, knelpunten, oplossingen",
    "per_table": True,
    "rows": [{"label": "Ouders", "description": ""}, {"label": "Leerlingen", "description": ""}],
    "columns": [{"label": "Dit gaat goed", "description": ""}, {"label": "Knelpunten", "description": ""}],
    "scale": ["1", "2", "3", "4", "5"],
    "phases": [
        {"title": "Advies", "prompt": "Schrijf met je tafel een advies.", "answer": "text"},
        {"title": "Per partner", "prompt": "Wat gaat goed, wat knelt?", "answer": "grid"},
        {"title": "Hoe ging het?", "prompt": "Hoe ging het?", "answer": "scale"},
    ],
}


def test_a_per_table_composition_prints_the_tables_texts_and_counts_tables_not_people(stores: tuple) -> None:
    from facilitator.core.domain import Contribution

    repo, series, _ = stores
    item, _events = services.add_agenda_item(repo, REGISTRY, "middag2", "samengesteld", {"composition": PER_TABLE})

    def add(cid: str, table: int, phase: str, text: str, **extra: object) -> None:
        repo.add_contribution("middag2", Contribution(
            id=cid, participant_id=f"p0{table}", agenda_item_id=item.id, phase_id=phase, kind="a" + phase[1:],
            text=text, created_at=90_000.0 + table, table=table, **extra))  # type: ignore[arg-type]

    add("t1", 1, "f1", "Maak één plan met het gezin.", slot=1)
    add("t2", 2, "f1", "Bel ouders vaker.", slot=1)
    add("g1", 1, "f2", "Ouders komen graag.", bucket="r1", tags=("k1",))
    add("s1", 1, "f3", "", tags=("s4",))
    add("s2", 2, "f3", "", tags=("s4",))
    report = services.verslag(repo, REGISTRY, series, "middag2")
    section = next(s for s in report.sections if s.key == item.id)
    advies, grid, scale = section.blocks
    assert advies.shape == "per_table"
    assert [(g.title, g.bullets) for g in advies.groups] == [("Tafel Noord", ("Maak één plan met het gezin.",)),
                                                             ("Tafel 2", ("Bel ouders vaker.",))]
    assert grid.table is not None and grid.table.rows[0].cells == (("Ouders komen graag.",), ())
    assert scale.counts[3] == "2 van 2 tafels: 4" and scale.paragraphs == ("Iedereen koos ‘4’.",)


def test_a_composed_werkvorm_prints_its_steps_without_answers_and_its_exact_questions(report: Report) -> None:
    section = next(s for s in report.sections if s.name == "Grondhouding in de praktijk")
    assert (section.task_heading, section.task) == ("Spelregels", ("We spreken in ik-boodschappen.",))
    assert section.prompts == ("Wat heb je geleerd?", "Wat gaat goed per uitgangspunt?", "Wat betekent dit voor ons?",
                               "Doen we nog het goede?", "Zet in volgorde.", "Wat spreken we af?")
    markdown = _md_section(_markdown(report).split("## Grondhouding in de praktijk", 1)[1], "Spelregels")
    assert markdown.strip() == "We spreken in ik-boodschappen."


def test_the_appendix_carries_an_afspraaks_who_and_when_in_its_text_where_the_check_reads_it(stores: tuple) -> None:
    services.edit_verslag(stores[0], "middag2", {"appendix": True})
    report = services.verslag(stores[0], REGISTRY, stores[1], "middag2")
    group = next(g for g in report.appendix if g.title == "Grondhouding in de praktijk")
    assert any(i.text == "Beleidsnotitie grondhouding schrijven (Annelies)" for i in group.items)
    assert any(f["where"] == "appendix" and f["text"] == "Annelies" for f in services.privacy_findings(report))


def test_answers_sent_through_the_service_reach_the_verslag_and_a_hidden_phase_only_once_revealed() -> None:
    """The phones' path (submit_contribution: tags, ranking, who, when as checked there), not stored by hand."""
    from facilitator.testing.verslag import afternoon

    repo, series = MemoryRepository(), MemorySeries()
    middag = afternoon(repo, series)
    composition = {"name": "Check-out", "scale": ["1", "2", "3", "4", "5"], "ranking_options": ["A", "B"],
                   "phases": [{"title": "Cijfer", "prompt": "Hoe ging het?", "answer": "scale", "hidden": True},
                              {"title": "Volgorde", "prompt": "Wat eerst?", "answer": "ranking"},
                              {"title": "Afspraken", "prompt": "Wat spreken we af?", "answer": "action"}]}
    item, _ = services.add_agenda_item(repo, REGISTRY, "middag2", "samengesteld", {"composition": composition})
    index = len(repo.get_session("middag2").agenda) - 1
    p1, p2 = middag.participants[:2]
    services.go_to(repo, REGISTRY, "middag2", index, 0)
    services.submit_contribution(repo, REGISTRY, "middag2", p1, client_id="c-s1", text="Fijn gesprek.",
                                 tags=["s4"])
    services.submit_contribution(repo, REGISTRY, "middag2", p2, client_id="c-s2", text="", tags=["s2"])
    services.go_to(repo, REGISTRY, "middag2", index, 1)
    services.submit_contribution(repo, REGISTRY, "middag2", p1, client_id="c-r1", text="", ranking=["o2", "o1"])
    services.go_to(repo, REGISTRY, "middag2", index, 2)
    services.submit_contribution(repo, REGISTRY, "middag2", p1, client_id="c-a1", text="Verslag rondsturen",
                                 tags=["uitvoering"], owner="Organisatie", due="volgende week")

    def blocks() -> dict[str, Block]:
        report = services.verslag(repo, REGISTRY, series, "middag2")
        return {b.shape: b for s in report.sections if s.key == item.id for b in s.blocks}

    before = blocks()
    assert before["scale"].counts == ()  # not revealed: not in the verslag
    assert before["ranking"].counts == ("B (1 punt)", "A (0 punten)")
    assert before["actions"].table is not None
    assert [(r.label, *r.cells) for r in before["actions"].table.rows] == [
        ("Verslag rondsturen", ("Organisatie",), ("Uitvoering",), ("volgende week",))]
    services.go_to(repo, REGISTRY, "middag2", index, 0)
    services.reveal_phase(repo, REGISTRY, "middag2")
    after = blocks()["scale"]
    assert after.counts[1] == "1 van 2 deelnemers: 2" and after.counts[3] == "1 van 2 deelnemers: 4"
    assert after.bullets == ("4: Fijn gesprek.",)
