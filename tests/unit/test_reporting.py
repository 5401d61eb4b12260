"""The verslag's structure, built from a realistic afternoon, and the facilitator's edits laid over it."""

from __future__ import annotations

import dataclasses
import re

import pytest

from facilitator.core import services
from facilitator.core.domain import InvalidInput, Organiser
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository, MemorySeries
from facilitator.testing.verslag import CASE, ORGANISERS, QUESTION, RODE_DRAAD, TEXTS, afternoon
from facilitator.verslag.build import DutchSource, ordinal_word, provenance_line, report_texts
from facilitator.verslag.edits import merge_edits
from facilitator.verslag.model import Group, ProgrammeItem, Report, SaveTheDate, Terugblik, ThemeLine

REGISTRY = discover()


@pytest.fixture
def stores() -> tuple[MemoryRepository, MemorySeries]:
    return MemoryRepository(), MemorySeries()


def verslag(stores: tuple[MemoryRepository, MemorySeries], session_id: str = "middag2") -> Report:
    repo, series = stores
    return services.verslag(repo, REGISTRY, series, session_id)


def test_report_has_title_subtitle_motto_and_lead_with_who_was_there(stores) -> None:
    afternoon(*stores)
    report = verslag(stores)
    assert report.title == "Dialoogsessie ‘Veerkrachtige ouders’"
    assert report.subtitle == "Tweede bijeenkomst · Mentale veerkracht van kinderen · thema: ouderperspectief"
    assert report.motto == "Samen leren en samen leven"
    assert report.lead == (
        "Op 12 november 2026 kwamen zorgprofessionals, ouders en onderwijsprofessionals bij elkaar voor de tweede "
        "bijeenkomst van ‘Mentale veerkracht van kinderen’. In deze bijeenkomst was het thema ouderperspectief. "
        "Er deden 7 mensen mee: 3 zorgprofessionals, 2 ouders, 1 onderwijsprofessional en 1 zonder opgegeven "
        "perspectief."
    )


def test_each_werkvorm_reports_its_name_prompts_and_blocks_in_its_declared_shape(stores) -> None:
    afternoon(*stores)
    report = verslag(stores)
    assert [(s.key, s.name) for s in report.sections] == [
        ("rod1", "De roddelmethode"), ("buf1", "Vier buffers: een vangnet voor ouders"),
    ]
    roddel, buffers = report.sections
    # Readers get what the werkvorm was, not the phones' instructions (issue 15).
    assert roddel.prompts == () and roddel.description.startswith("Bij de roddelmethode brengt een inbrenger")
    assert [(b.key, b.shape) for b in roddel.blocks] == [
        ("rod1/casus", "paragraph"), ("rod1/vragen", "bullets"), ("rod1/roddels", "bullets"),
        ("rod1/sterren", "starred"), ("rod1/adviezen", "per_table"), ("rod1/reactie", "paragraph"),
        ("rod1/rode_draad", "paragraph"),
    ]
    casus, _vragen, roddels, _sterren, adviezen, _reactie, rode_draad = roddel.blocks
    assert casus.paragraphs == (CASE,) and casus.bullets == (QUESTION,)
    assert roddels.bullets == tuple(TEXTS["roddels"])
    assert adviezen.intro == "Per tafel werd een advies geformuleerd."
    assert adviezen.groups == (
        Group(key="tafel-1", title="Tafel Noord", bullets=(TEXTS["advices"][0],)),
        Group(key="tafel-2", title="Tafel 2", bullets=(TEXTS["advices"][1],)),
        Group(key="tafel-3", title="Tafel 3", bullets=(TEXTS["advices"][2],)),
    )
    assert rode_draad.bullets == ("Samen kijken, niet oordelen.",)
    assert buffers.prompts == () and "vangnet voor ouders" in buffers.description


def test_vier_buffers_gives_bold_numbered_buckets_with_uneven_bullets(stores) -> None:
    afternoon(*stores)
    (block,) = verslag(stores).sections[1].blocks
    assert block.numbered_groups is True
    assert [(g.key, g.title, len(g.bullets)) for g in block.groups] == [
        ("solidariteit", "Solidariteit in de gemeenschap", 6),
        ("taakverdeling", "Goede taakverdeling", 2),
        ("meta_positie", "Meta-positie", 1),
        ("positieve_ervaringen", "Positieve ouderervaringen", 4),
    ]
    assert block.groups[0].description == "Het ervaren van steun en erkenning."
    assert block.groups[2].bullets == ("Ga, waar nodig, met ouders onderzoeken wat de hulpvraag is achter de hulpvraag.",)


def test_rode_draad_carries_the_board_sentence_and_themes_with_counts_only(stores) -> None:
    afternoon(*stores)
    rode_draad = verslag(stores).rode_draad
    assert rode_draad is not None
    assert rode_draad.paragraph == RODE_DRAAD
    assert rode_draad.questions == ()
    assert rode_draad.themes == (
        ThemeLine("Erkenning en kracht", "1 onderwijsprofessional · 1 ouder · 1 zorgprofessional · Tafel Noord, tafel 2",
                  bullets=(TEXTS["vangnet"][0]["text"], TEXTS["vangnet"][9]["text"], TEXTS["vangnet"][12]["text"])),
        ThemeLine("Niet oordelen", "2 zorgprofessionals · 1 ouder · Tafel Noord, tafel 3",
                  bullets=(TEXTS["vangnet"][1]["text"], TEXTS["vangnet"][2]["text"], TEXTS["vangnet"][4]["text"])),
    )


def test_closing_call_and_organisers_come_from_the_series(stores) -> None:
    afternoon(*stores)
    report = verslag(stores)
    assert report.call == "Wil je meedenken over de volgende bijeenkomst? Laat het de organisatie weten."
    assert report.suggested == ("closing", "call")
    assert report.organisers_title == "Organisatie Mentale veerkracht van kinderen"
    assert report.organisers == ORGANISERS
    assert report.save_the_date is None and report.wrap_up == () and report.appendix == ()


def test_hidden_and_private_contributions_never_reach_the_report(stores) -> None:
    repo, _ = stores
    day = afternoon(*stores)
    private = dataclasses.replace(repo.list_contributions("middag2")[-1], id="private1", shared=False,
                                  text="Alleen voor mezelf")
    repo.add_contribution("middag2", private)
    services.edit_verslag(repo, "middag2", {"appendix": True})
    texts = [text for _, text in report_texts(verslag(stores))]
    appendix = [item.text for group in verslag(stores).appendix for item in group.items]
    assert day.hidden_text not in texts and "Alleen voor mezelf" not in texts
    assert day.hidden_text not in appendix and "Alleen voor mezelf" not in appendix
    assert len(appendix) == 1 + 6 + 3 + 1 + 13


def test_appendix_names_context_but_never_who(stores) -> None:
    repo, _ = stores
    day = afternoon(*stores)
    services.edit_verslag(repo, "middag2", {"appendix": True})
    report = verslag(stores)
    first = report.appendix[0].items[0]
    assert (report.appendix[0].title, first.text, first.context) == ("De roddelmethode", QUESTION, "tafel 2 · ouder")
    dumped = repr(report)
    assert not any(p.id in dumped or p.token_hash in dumped for p in day.participants)


def test_edits_replace_bullets_paragraphs_and_fill_wrap_up_questions_and_save_the_date(stores) -> None:
    repo, _ = stores
    afternoon(*stores)
    services.edit_verslag(repo, "middag2", {
        "block.buf1/vangnet.group.solidariteit": "Ga naast de ouder staan\n\n- Niet oordelen, wel vragen",
        "rode_draad.paragraph": "Ouders zijn partners.",
        "rode_draad.questions": ["Wat vraagt dit van ons?", "Wie neemt de eerste stap?"],
        "wrap_up": ["Roddelmethode – kijk met een andere bril"],
        "save_the_date": {"date": "7 oktober 2027", "time": "15.00 – 17.00 uur", "place": "Alkmaar",
                          "label": "3e dialoogsessie Mentale veerkracht van kinderen"},
        "programme": [{"title": "Opening", "speaker": "Kees Bakker", "link": "https://example.org/opening"}],
        "block.rod1/adviezen.show": False,
        "lead": "Een eigen lead.",
    })
    report = verslag(stores)
    assert report.sections[1].blocks[0].groups[0].bullets == ("Ga naast de ouder staan", "Niet oordelen, wel vragen")
    assert report.rode_draad is not None
    assert (report.rode_draad.paragraph, report.rode_draad.questions) == (
        "Ouders zijn partners.", ("Wat vraagt dit van ons?", "Wie neemt de eerste stap?"))
    assert report.wrap_up == ("Roddelmethode – kijk met een andere bril",)
    assert report.save_the_date == SaveTheDate("7 oktober 2027", "15.00 – 17.00 uur", "Alkmaar",
                                               "3e dialoogsessie Mentale veerkracht van kinderen")
    assert report.programme == (ProgrammeItem(title="Opening", speaker="Kees Bakker",
                                              link="https://example.org/opening"),)
    adviezen = next(b for b in report.sections[0].blocks if b.key == "rod1/adviezen")
    assert (adviezen.intro, adviezen.groups) == ("Per tafel werd een advies geformuleerd.", ())
    assert report.lead == "Een eigen lead."


def test_an_edit_set_to_none_returns_to_the_draft_and_a_section_can_be_left_out(stores) -> None:
    repo, _ = stores
    afternoon(*stores)
    services.edit_verslag(repo, "middag2", {"lead": "Weg ermee", "item.rod1.include": False})
    services.edit_verslag(repo, "middag2", {"lead": None})
    report = verslag(stores)
    assert report.lead.startswith("Op 12 november 2026 kwamen")
    assert [s.key for s in report.sections] == ["buf1"]
    assert repo.get_report_edits("middag2") == {"item.rod1.include": False}


@pytest.mark.parametrize(("changes", "field"), [
    ({"rode_draad.questions": ["a?", "b?", "c?", "d?"]}, "rode_draad.questions"),
    ({"programme": [{"title": "Pitch", "link": "javascript:alert(1)"}]}, "programme[0].link"),
    ({"lead": 12}, "lead"),
    ({"lead": "x" * 5001}, "lead"),
    ({"block.buf1/vangnet.show": "ja"}, "block.buf1/vangnet.show"),
    ({"onbekend": "x"}, "onbekend"),
    ({"save_the_date": "morgen"}, "save_the_date"),
    ({"wrap_up": ["x" * 501]}, "wrap_up"),
])
def test_bad_edits_are_refused_naming_the_part(changes, field) -> None:
    with pytest.raises(InvalidInput) as caught:
        merge_edits({}, changes)
    assert caught.value.params["field"] == field


def test_terugblik_comes_from_the_previous_bijeenkomst_of_the_series_and_outlives_its_deletion(stores) -> None:
    repo, series_repo = stores
    afternoon(*stores)
    services.edit_verslag(repo, "middag2", {"rode_draad.questions": ["Hoe houden we ouders aan boord?"]})
    next_one = services.copy_session(repo, REGISTRY, "middag2", title="Derde dialoogsessie", date="2027-03-04")
    assert (next_one.series_id, next_one.ordinal) == ("reeks1", 3)
    live = services.previous_in_series(repo, series_repo, next_one)
    assert live == Terugblik(title="Dialoogsessie ‘Veerkrachtige ouders’", date="12 november 2026",
                             rode_draden=("Erkenning en kracht", "Niet oordelen"), rode_draad=RODE_DRAAD)
    services.record_recap(repo, series_repo, repo.get_session("middag2"), verslag(stores))
    services.delete_session(repo, series_repo, "middag2", keep_recap=True)
    assert services.previous_in_series(repo, series_repo, next_one) == live
    recap = series_repo.get_series("reeks1").recaps[0]
    assert recap.questions == ("Hoe houden we ouders aan boord?",)
    report = verslag(stores, next_one.id)
    assert report.terugblik == live
    assert report.welcome == (
        "We blikten kort terug op de vorige bijeenkomst, ‘Dialoogsessie ‘Veerkrachtige ouders’’ van 12 november "
        "2026. De rode draden toen: Erkenning en kracht en Niet oordelen."
    )


def test_series_details_are_stored_once_and_shared_by_its_bijeenkomsten(stores) -> None:
    repo, series_repo = stores
    first = services.create_session(repo, REGISTRY, title="Eerste", date="2026-09-01")
    second = services.create_session(repo, REGISTRY, title="Tweede", date="2026-11-01")
    organiser = {"name": "Anna de Vries", "function": "Beleidsadviseur", "organisation": "SWV",
                 "phone": "072-1234567", "email": "anna@example.org"}
    _, series, _ = services.save_series_details(repo, series_repo, first.id, name="Veerkracht", motto="Samen",
                                                organisers=[organiser, {"name": ""}])
    _, same, _ = services.save_series_details(repo, series_repo, second.id, name="veerkracht", motto="Samen sterk",
                                              organisers=[organiser])
    assert series is not None and same is not None and same.id == series.id
    assert [s.name for s in series_repo.list_series()] == ["veerkracht"]
    assert series_repo.get_series(series.id).organisers == (Organiser(**organiser),)
    assert services.series_of(series_repo, repo.get_session(first.id)).motto == "Samen sterk"


@pytest.mark.parametrize(("organisers", "field"), [
    ([{"function": "Zonder naam"}], "organiser_name"),
    ([{"name": "Anna", "email": "geen adres"}], "organiser_email"),
    ([{"name": str(i)} for i in range(7)], "organisers"),
])
def test_series_details_refuse_bad_organisers(stores, organisers, field) -> None:
    repo, series_repo = stores
    session = services.create_session(repo, REGISTRY, title="Eerste", date="2026-09-01")
    with pytest.raises(InvalidInput) as caught:
        services.save_series_details(repo, series_repo, session.id, name="Reeks", motto="", organisers=organisers)
    assert caught.value.params["field"] == field


def test_ordinals_and_provenance_read_like_the_source_reports() -> None:
    t = DutchSource()
    assert [ordinal_word(n, t) for n in (1, 2, 3, 10, 12)] == ["eerste", "tweede", "derde", "tiende", "12e"]
    assert provenance_line((("ouder", 2), ("zorg", 1)), ("1", "3"), t) == "2 ouders · 1 zorgprofessional · tafels 1, 3"
    assert provenance_line((), ("4",), t) == "tafel 4"


def test_csv_rows_hold_the_raw_texts_with_context_and_no_identifiers(stores) -> None:
    repo, _ = stores
    day = afternoon(*stores)
    header, rows = services.csv_rows(repo, REGISTRY, "middag2")
    # The first ten columns as they always were; issue 16 appends one per dimension of a structured answer.
    assert header[:10] == ["Onderdeel", "Fase", "Soort", "Tekst", "Groep", "Labels", "Tafel", "Perspectief",
                           "Functie", "Tijd"]
    assert len(rows) == 24
    vangnet = next(r for r in rows if r[3] == TEXTS["vangnet"][6]["text"])
    assert vangnet[:9] == ["Vier buffers: een vangnet voor ouders", "Vangnet maken", "Bijdrage aan het vangnet",
                           TEXTS["vangnet"][6]["text"], "Goede taakverdeling", "Als mens, Kunnen geven", "2", "", ""]
    flat = "".join("".join(r) for r in rows)
    assert day.hidden_text not in flat
    assert not any(p.id in flat or p.token_hash in flat for p in day.participants)


@pytest.mark.browser
def test_the_verslag_of_an_afternoon_prints_to_a4_pdf_in_chromium(stores) -> None:
    from facilitator.verslag.html import render_html
    from facilitator.verslag.pdf import count_pdf_pages, print_pdf

    afternoon(*stores)
    pdf = print_pdf(render_html(verslag(stores)))
    assert pdf.startswith(b"%PDF-")
    # About 600 words with the organisers: more than one A4 page, far fewer than ten.
    assert 2 <= count_pdf_pages(pdf) <= 5
    sizes = {tuple(round(float(v)) for v in box.split()[2:]) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)}
    assert sizes == {(595, 842)}  # A4 in points, from the print style sheet
