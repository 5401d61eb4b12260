"""The verslag reads like the seeds' (issue 15, point 4): readers' descriptions instead of phone instructions, the
whole roddelmethode, need/give kept, no duplicate headings, no borrowed boilerplate, people rather than cards,
table names as they are."""

from __future__ import annotations

import re

import pytest

from facilitator.core import services
from facilitator.core.domain import Board, Contribution, Theme
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository, MemorySeries
from facilitator.testing.verslag import afternoon
from facilitator.verslag import exports
from facilitator.verslag.model import Report

REGISTRY = discover()
PHONE_INSTRUCTIONS = (
    "Stel alleen vragen, nog geen adviezen.", "Schrijf met je tafel één advies", "Schrijf je observaties en hypotheses op",
    "Wat is voor jou de rode draad? Schrijf het in één zin.", "Luister naar",
)
#: Sentences of the seed verslagen that a draft must not present as its own.
SEED_SENTENCES = (
    "Ieder vraagstuk kent verschillende gezichten.", "Hieronder volgt een korte reflectie van de middag.",
    "Wie wil meedenken, meld je bij ons aan.", "vanuit meervoudig perspectief naar",
)
QUESTIONS = ("Hoe lang speelt dit al?", "Wat zegt Finn er zelf over?")
STARRED = "Misschien is de moeder vooral heel moe en mist ze steun."
REACTION = "Het raakte me dat jullie eerst naar de moeder keken. Ik ga met school praten over de ochtenden."


def _add(repo: MemoryRepository, cid: str, pid: str, phase: str, kind: str, text: str, **extra: object) -> None:
    author = next(p for p in repo.list_participants("middag2") if p.id == pid)
    repo.add_contribution("middag2", Contribution(
        id=cid, participant_id=pid, agenda_item_id=extra.pop("item", "rod1"), phase_id=phase, kind=kind, text=text,
        created_at=50_000.0 + len(repo.list_contributions("middag2")), table=author.table,
        perspective=author.perspective, **extra))  # type: ignore[arg-type]


@pytest.fixture
def stores() -> tuple[MemoryRepository, MemorySeries]:
    repo, series = MemoryRepository(), MemorySeries()
    afternoon(repo, series)
    for i, question in enumerate(QUESTIONS):
        _add(repo, f"q{i}", f"p0{i + 2}", "verhelderende_vragen", "verhelderende_vraag", question)
    _add(repo, "star", "p05", "roddelen", "roddel", STARRED, tags=("hypothese",), starred=True)
    _add(repo, "reactie", "p01", "reactie", "reactie", REACTION)
    return repo, series


def _report(stores: tuple[MemoryRepository, MemorySeries]) -> Report:
    return services.verslag(stores[0], REGISTRY, stores[1], "middag2")


def _markdown(report: Report) -> str:
    return exports.render(report, exports.FORMATS["md"]).decode()


def test_every_werkvorm_tells_readers_what_it_was() -> None:
    for workformat in REGISTRY:
        if workformat.id != "rode_draden":  # the board feeds the rode draad; it has no section of its own
            assert workformat.reader_description.strip(), workformat.id


def test_the_verslag_prints_descriptions_for_readers_not_the_phones_instructions(stores: tuple) -> None:
    report = _report(stores)
    roddel = next(s for s in report.sections if s.key == "rod1")
    assert roddel.description and "roddel" in roddel.description.lower()
    markdown = _markdown(report)
    for instruction in PHONE_INSTRUCTIONS:
        assert instruction not in markdown


def test_the_roddelmethode_section_carries_the_whole_method(stores: tuple) -> None:
    markdown = _markdown(_report(stores))
    section = markdown.split("## De roddelmethode", 1)[1].split("\n## ", 1)[0]
    for text in (*QUESTIONS, STARRED, REACTION, "Finn is een jongen van 10 jaar",
                 "Als je veel drukke kinderen hebt zie je de teruggetrokken kinderen over het hoofd",
                 "Klas als krachtige leeromgeving."):
        assert text in section, text
    assert section.index("Hoe lang speelt dit al?") < section.index("Als je veel drukke kinderen")
    assert section.index("Als je veel drukke kinderen") < section.index("Klas als krachtige leeromgeving.")


def test_no_heading_is_printed_twice(stores: tuple) -> None:
    markdown = _markdown(_report(stores))
    headings = [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")]
    assert len(headings) == len(set(headings)), headings


def test_no_sentence_of_the_seeds_is_presented_as_the_drafts_own(stores: tuple) -> None:
    report = _report(stores)
    markdown = _markdown(report)
    for sentence in SEED_SENTENCES:
        assert sentence not in markdown
    # What the tool wrote itself (the closing, the call) is marked as a suggestion to replace until edited.
    assert {"closing", "call"} <= set(report.suggested)
    services.edit_verslag(stores[0], "middag2", {"closing": "Tot de volgende keer!"})
    assert "closing" not in _report(stores).suggested


def test_provenance_counts_people_and_keeps_table_names(stores: tuple) -> None:
    repo, _series = stores
    # Three cards of one zorgprofessional at Tafel Noord, one of an ouder at table 2.
    for i in range(3):
        _add(repo, f"zorg{i}", "p03", "vangnet", "vangnet", f"Punt {i} van dezelfde persoon", item="buf1",
             bucket="solidariteit")
    board = repo.get_board("middag2", "buf1")
    repo.save_board("middag2", Board(agenda_item_id="buf1", themes=(
        Theme(id="t-een", name="Eén stem", cards=("zorg0", "zorg1", "zorg2"), accepted=True),
    ), version=board.version + 1))
    report = _report(stores)
    [theme] = report.rode_draad.themes
    assert theme.provenance == "1 zorgprofessional · Tafel Noord"
    markdown = _markdown(report)
    assert "tafels Tafel" not in markdown and "tafel Tafel" not in markdown


def test_attendance_counts_the_people_who_joined(stores: tuple) -> None:
    repo, _series = stores
    report = _report(stores)
    people = repo.list_participants("middag2")
    zorg = sum(1 for p in people if p.perspective is not None and p.perspective.value == "zorg")
    assert f"{zorg} zorgprofessionals" in report.lead
    assert re.search(rf"\b{len(people)} mensen\b", report.lead)


def test_each_theme_carries_its_strongest_condensed_statements(stores: tuple) -> None:
    repo, _series = stores
    # Two more people say the first card of "Erkenning en kracht" in their own words.
    for i, text in enumerate(("heb oog voor wat de ouder goed doet", "Ik vind: heb oog voor wat de ouder goed doet.")):
        _add(repo, f"erk{i}", f"p0{i + 5}", "vangnet", "vangnet", text, item="buf1", bucket="solidariteit")
    board = repo.get_board("middag2", "buf1")
    erkenning = board.theme("t-erkenning")
    repo.save_board("middag2", Board(agenda_item_id="buf1", themes=(
        Theme(id=erkenning.id, name=erkenning.name, cards=(*erkenning.cards, "erk0", "erk1"), accepted=True),
        *(t for t in board.themes if t.id != erkenning.id),
    ), rode_draad=board.rode_draad, version=board.version + 1))
    themes = {t.name: t for t in _report(stores).rode_draad.themes}
    bullets = themes["Erkenning en kracht"].bullets
    assert bullets[0].startswith("Heb oog voor wat de ouder goed doet. (3×")
    assert len(bullets) == 3 and len(themes["Niet oordelen"].bullets) == 3
    assert "  - Heb oog voor wat de ouder goed doet. (3×" in _markdown(_report(stores))


def test_two_items_of_one_werkvorm_get_distinct_headings() -> None:
    import dataclasses

    from facilitator.core.domain import AgendaItem

    repo, series = MemoryRepository(), MemorySeries()
    afternoon(repo, series)
    session = repo.get_session("middag2")
    repo.save_session(dataclasses.replace(session, agenda=(
        *session.agenda, AgendaItem(id="open1", workformat_id="open_vraag"), AgendaItem(id="open2", workformat_id="open_vraag"))))
    for item in ("open1", "open2"):
        _add(repo, f"{item}-a", "p02", "antwoorden", "antwoord", f"Antwoord bij {item}", item=item)
    markdown = _markdown(_report((repo, series)))
    headings = [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")]
    assert "Open vraag" in headings and "Open vraag (2)" in headings
