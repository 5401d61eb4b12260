"""A realistic afternoon for verslag tests: a roddelmethode and a vier-buffers run with real Dutch texts.

The texts are verbatim items from the labelled sets in bench/data/clustering (copied into
facilitator/testing/data/verslag_texts.json).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from facilitator.core.domain import (
    AgendaItem,
    Board,
    Contribution,
    Organiser,
    Participant,
    Perspective,
    Series,
    Table,
    Theme,
    WorkshopSession,
)
from facilitator.storage import SeriesRepository, SessionRepository

TEXTS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent / "data" / "verslag_texts.json").read_text(encoding="utf-8")
)
CASE = "Finn is een jongen van 10 jaar. Hij komt vaak te laat op school; zijn moeder werkt 's nachts."
QUESTION = "Hoe krijgen we zicht op wat Finn nodig heeft?"
RODE_DRAAD = "Kijk samen met ouders naar wat er wél goed gaat, en verdeel de taken helder."
ORGANISERS = (
    Organiser(name="Anna de Vries", function="Beleidsadviseur", organisation="Samenwerkingsverband Noord",
              phone="072-1234567", email="a.devries@example.org"),
    Organiser(name="Kees Bakker", function="Directeur", organisation="GGZ Preventie Academie",
              email="k.bakker@example.org"),
)


@dataclass(frozen=True)
class Afternoon:
    """The ids a test needs to look things up."""

    session: WorkshopSession
    series: Series
    participants: tuple[Participant, ...]
    hidden_text: str


def _participant(number: int, table: int | None, perspective: Perspective | None) -> Participant:
    return Participant(id=f"p{number:02d}", token_hash=f"hash-{number:02d}", joined_at=1000.0 + number,
                       table=table, perspective=perspective, number=number)


def afternoon(repo: SessionRepository, series_repo: SeriesRepository, *, hidden_text: str = "Dit hoort niet in "
              "het verslag: verborgen door de gespreksleider.") -> Afternoon:
    """Store the second bijeenkomst of a series with a roddelmethode, a vier-buffers run and a board."""
    series = Series(id="reeks1", name="Mentale veerkracht van kinderen", created_at=1.0,
                    motto="Samen leren en samen leven", organisers=ORGANISERS)
    series_repo.save_series(series)
    session = WorkshopSession(
        id="middag2",
        title="Dialoogsessie ‘Veerkrachtige ouders’",
        date="2026-11-12",
        join_code="ABC234",
        created_at=2.0,
        series="Mentale veerkracht van kinderen",
        series_id="reeks1",
        ordinal=2,
        theme="ouderperspectief",
        motto="Samen leren en samen leven",
        agenda=(
            AgendaItem(id="rod1", workformat_id="roddelmethode", settings={"case_text": CASE}),
            AgendaItem(id="buf1", workformat_id="vier_buffers"),
            AgendaItem(id="rd1", workformat_id="rode_draden", settings={"source": "buf1"}),
        ),
        tables=(Table(1, "Tafel Noord"), Table(2), Table(3)),
    )
    repo.add_session(session)
    perspectives = [Perspective.OUDER, Perspective.OUDER, Perspective.ZORG, Perspective.ZORG, Perspective.ZORG,
                    Perspective.ONDERWIJS, None]
    participants = tuple(_participant(n, (n % 3) + 1, p) for n, p in enumerate(perspectives, start=1))
    for participant in participants:
        repo.add_participant(session.id, participant)
    clock = iter(range(10_000, 20_000))

    def add(pid: str, item: str, phase: str, kind: str, text: str, **extra: Any) -> Contribution:
        author = next(p for p in participants if p.id == pid)
        contribution = Contribution(id=f"c{next(clock)}", participant_id=pid, agenda_item_id=item, phase_id=phase,
                                    kind=kind, text=text, created_at=float(next(clock)),
                                    table=extra.pop("table", author.table), perspective=author.perspective, **extra)
        repo.add_contribution(session.id, contribution)
        return contribution

    add("p01", "rod1", "inbreng", "hulpvraag", QUESTION)
    for i, text in enumerate(TEXTS["roddels"]):
        add(f"p{(i % 6) + 2:02d}", "rod1", "roddelen", "roddel", text, tags=("observatie",))
    for table, text in enumerate(TEXTS["advices"], start=1):
        add(f"p{table + 1:02d}", "rod1", "advies", "advies", text, table=table, slot=1)
    hidden = add("p03", "rod1", "roddelen", "roddel", hidden_text)
    repo.update_contribution(session.id, hidden.with_hidden(True))
    add("p04", "rod1", "rode_draad", "rode_draad", "Samen kijken, niet oordelen.")
    cards = []
    for i, item in enumerate(TEXTS["vangnet"]):
        cards.append(add(f"p{(i % 7) + 1:02d}", "buf1", "vangnet", "vangnet", item["text"], bucket=item["bucket"],
                         tags=("mens", "geven")))
    repo.save_board(session.id, Board(
        agenda_item_id="buf1",
        themes=(
            # Named by the facilitator: only such names may go into the series' terugblik.
            Theme(id="t-erkenning", name="Erkenning en kracht", cards=(cards[0].id, cards[9].id, cards[12].id),
                  accepted=True),
            Theme(id="t-oordeel", name="Niet oordelen", cards=(cards[1].id, cards[2].id, cards[4].id), accepted=True),
        ),
        rode_draad=RODE_DRAAD,
        version=1,
    ))
    return Afternoon(session=session, series=series, participants=participants, hidden_text=hidden_text)
