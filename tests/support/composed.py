"""A bijeenkomst with a werkvorm the facilitator composed: a phase of every answer kind, with answers (issue 16).

Built on facilitator/testing/verslag.py's afternoon; the composed item is added through services.add_agenda_item with
the settings {"composition": …}, as Voorbereiden does, and answers are stored as the phones' submissions would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator.core import services
from facilitator.core.domain import AgendaItem, Contribution
from facilitator.core.registry import WorkFormatRegistry
from facilitator.storage import SeriesRepository, SessionRepository
from facilitator.testing.verslag import Afternoon, afternoon

ROWS = (
    {"label": "Werken vanuit oprechte interesse", "description": "ieder mens wil gehoord en gezien worden"},
    {"label": "Regie bij het gezin", "description": ""},
    {"label": "Aansluiten bij de leefwereld", "description": ""},
)
COLUMNS = ({"label": "Handelen", "description": ""}, {"label": "Hulpinzet", "description": ""},
           {"label": "Samenwerking", "description": ""})
SCALE = ("oneens", "neutraal", "eens")
OPTIONS = ("Tijd voor ouders", "Eén plan per gezin", "Korte lijnen met school")
COMPOSITION: dict[str, Any] = {
    "name": "Grondhouding in de praktijk",
    "description": "Vier uitgangspunten langs drie lenzen, een schaal, een rangorde en afspraken.",
    "rows": list(ROWS),
    "columns": list(COLUMNS),
    "scale": list(SCALE),
    "ranking_options": list(OPTIONS),
    "phases": [
        {"title": "Spelregels", "prompt": "We spreken in ik-boodschappen.", "answer": "none"},
        {"title": "Geleerde lessen", "prompt": "Wat heb je geleerd?", "answer": "text"},
        {"title": "Per uitgangspunt", "prompt": "Wat gaat goed per uitgangspunt?", "answer": "buckets"},
        {"title": "Grondhouding × lenzen", "prompt": "Wat betekent dit voor ons?", "answer": "grid"},
        {"title": "Doen we nog het goede?", "prompt": "Doen we nog het goede?", "answer": "scale", "explain": True},
        {"title": "Wat eerst?", "prompt": "Zet in volgorde.", "answer": "ranking"},
        {"title": "Afspraken", "prompt": "Wat spreken we af?", "answer": "action"},
    ],
}
#: (row, column, text) of the grid's answers; the cell (Regie bij het gezin, Hulpinzet) stays empty.
GRID = (
    ("r1", "k1", "Vraag eerst door voordat je een oplossing geeft."),
    ("r1", "k1", "Luister naar wat het kind zelf zegt."),
    ("r1", "k3", "Bel de school samen met de ouder."),
    ("r2", "k1", "Laat het gezin het tempo bepalen."),
    ("r3", "k2", "Hulp thuis in plaats van op kantoor."),
)
#: (participant, scale option, explanation).
SCALES = (("p01", "s3", "We zien ouders echt als partner."), ("p02", "s3", ""), ("p03", "s2", "Soms wel, soms niet."),
          ("p04", "s1", "De wachtlijsten maken het lastig."), ("p05", "s3", ""))
#: (participant, ranking, remark).
RANKINGS = (("p01", ("o2", "o1", "o3"), "Eén plan scheelt ouders veel gedoe."), ("p02", ("o2", "o3", "o1"), ""),
            ("p03", ("o1", "o2", "o3"), ""))
#: (participant, what, level, who, when): in the order they were made.
ACTIONS = (
    ("p01", "Werkgroep plannen met de scholen", "uitvoering", "Team brugfunctionarissen", "maart 2027"),
    ("p02", "Budget voor een gezinsplan vrijmaken", "bestuur", "Wethouder jeugd", "voor de zomer"),
    ("p03", "Beleidsnotitie grondhouding schrijven", "beleid", "Annelies", ""),
)


@dataclass(frozen=True)
class Composed:
    """The afternoon plus the composed item."""

    middag: Afternoon
    item: AgendaItem


def composed_afternoon(repo: SessionRepository, series_repo: SeriesRepository,
                       registry: WorkFormatRegistry) -> Composed:
    """Store the afternoon with a composed werkvorm and an answer of every kind."""
    middag = afternoon(repo, series_repo)
    item, _events = services.add_agenda_item(repo, registry, middag.session.id, "samengesteld",
                                             {"composition": COMPOSITION})
    clock = iter(range(60_000, 70_000))

    def add(pid: str, phase: str, text: str, **extra: Any) -> None:
        author = next(p for p in middag.participants if p.id == pid)
        repo.add_contribution(middag.session.id, Contribution(
            id=f"k{next(clock)}", participant_id=pid, agenda_item_id=item.id, phase_id=phase,
            kind="a" + phase[1:], text=text, created_at=float(next(clock)), table=author.table,
            perspective=author.perspective, **extra))

    add("p01", "f2", "Samen leren werkt beter dan alleen.")
    add("p02", "f3", "Ouders voelen zich gehoord.", bucket="r1")
    add("p03", "f3", "Gezinnen kiezen zelf hun doelen.", bucket="r2")
    for number, (row, column, text) in enumerate(GRID):
        add(f"p0{number + 1}", "f4", text, bucket=row, tags=(column,))
    for pid, option, text in SCALES:
        add(pid, "f5", text, tags=(option,))
    for pid, ranking, text in RANKINGS:
        add(pid, "f6", text, ranking=ranking)
    for pid, what, level, who, when in ACTIONS:
        add(pid, "f7", what, tags=(level,), owner=who, due=when)
    return Composed(middag=middag, item=item)


#: The grondhouding grid (4 rows x 3 columns), a scale with and without its sentence, a ranking and afspraken.
EVERY_ANSWER: dict[str, Any] = {
    "name": "Grondhouding en afspraken",
    "rows": [
        {"label": "Nieuwsgierig", "description": "Vragen stellen voor je oordeelt"},
        {"label": "Open", "description": "Ruimte voor wat anders is"},
        {"label": "Respectvol", "description": "De ander serieus nemen"},
        {"label": "Gelijkwaardig", "description": "Iedere stem telt even zwaar"},
    ],
    "columns": [{"label": "Wat zie je"}, {"label": "Wat doe je"}, {"label": "Wat heb je nodig"}],
    "scale": ["1", "2", "3", "4", "5"],
    "ranking_options": ["Tijd", "Geld", "Mensen"],
    "phases": [
        {"title": "Grondhouding", "prompt": "Vul het raster in.", "answer": "grid"},
        {"title": "Hoe ging het?", "prompt": "Hoe tevreden ben je?", "answer": "scale", "explain": True},
        {"title": "Wat eerst?", "prompt": "Zet in volgorde.", "answer": "ranking"},
        {"title": "Afspraken", "prompt": "Wat spreken we af?", "answer": "action"},
        {"title": "Duimpje", "prompt": "Hoe was deze middag?", "answer": "scale"},
    ],
}

#: The same answers given per table: only the table's woordvoerder sends them.
PER_TABLE: dict[str, Any] = {**EVERY_ANSWER, "name": "Per tafel", "per_table": True}
