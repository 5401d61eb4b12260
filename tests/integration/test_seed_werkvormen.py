"""The seeds' werkvormen run like any other (issue 16, point 3): on the agenda, phones over Socket.IO give every answer
kind they ask for, and the verslag model and the CSV download keep every answer with its row, column, point or level.

What the verslag renderers make of the new shapes (grid, scale, actions as tables and counts) is built elsewhere;
this test holds what the shapes carry into the verslag model and what the CSV already keeps.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from facilitator.core import services
from facilitator.verslag.model import Block
from tests.support.rooms import Room


@pytest.fixture
def room(deps: Any, bijeenkomst: dict[str, Any], host_socket: Any, phones: Any) -> Room:
    made = Room(deps, bijeenkomst, host_socket, phones)
    assert made.as_host("set_tables", tables=["Huizen", "Hilversum"])["ok"] is True
    made.drain()
    return made


def ok(ack: Any) -> Any:
    assert isinstance(ack, dict) and ack.get("ok") is True, ack
    return ack


class Answers:
    """Sends a phone's answers with fresh client ids; remembers every text sent."""

    def __init__(self, room: Room) -> None:
        self.room, self.count, self.texts = room, 0, []

    def send(self, phone: Any, text: str, **fields: Any) -> None:
        self.count += 1
        ok(self.room.send(phone, "submit_contribution", client_id=f"seed-{self.count:04d}", text=text, **fields))
        if text:
            self.texts.append(text)

    def table(self, phone: Any, kind: str, *texts: str) -> None:
        """Write a table's shared draft, slot by slot, and hand it in as its woordvoerder."""
        for slot, text in enumerate(texts, start=1):
            ok(self.room.send(phone, "save_table_draft", kind=kind, slot=slot, text=text, base_version=0))
            self.texts.append(text)
        ok(self.room.send(phone, "submit_table_drafts", kind=kind))


def strings(value: Any) -> Iterator[str]:
    """Every text a verslag block carries, whatever fields it has."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from strings(getattr(value, field.name))
    elif isinstance(value, Mapping):
        for key, entry in value.items():
            yield from strings(key)
            yield from strings(entry)
    elif isinstance(value, tuple | list):
        for entry in value:
            yield from strings(entry)


def blocks(room: Room, item_id: str) -> dict[str, Block]:
    """The verslag's blocks of an agenda item by title (a werkvorm without any content has no section)."""
    deps = room.deps
    report = services.verslag(deps.repo, deps.registry, deps.series, room.id)
    found = [s for s in report.sections if s.key == item_id]
    for section in found:
        assert section.description.strip()  # the reader's description, not the phones' instructions
    return {b.title: b for s in found for b in s.blocks}


def csv_rows(host_http: Any, room: Room) -> list[list[str]]:
    """The rows of the CSV download (the header first), as the facilitator gets it."""
    response = host_http.get(f"/host/s/{room.id}/verslag.csv")
    assert response.status_code == 200
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), dialect=csv.Sniffer().sniff(text.splitlines()[0], ";,")))


def by_phase(rows: list[list[str]], werkvorm: str) -> dict[str, list[set[str]]]:
    """Per phase title the values of each row of a werkvorm: which column holds which dimension is the CSV's own
    business; that the row keeps the text with its row, column, point, level and table is what is held here."""
    header, *body = rows
    part, phase = header.index("Onderdeel"), header.index("Fase")
    out: dict[str, list[set[str]]] = {}
    for row in body:
        if row[part] == werkvorm:
            out.setdefault(row[phase], []).append(set(row))
    return out


def holds(rows: list[set[str]], *expected: tuple[str, ...]) -> None:
    """Each row holds exactly one of the expected combinations of values, and each combination has its row."""
    assert len(rows) == len(expected), rows
    for values in expected:
        assert any(set(values) <= row for row in rows), (values, rows)


# -- each werkvorm played by phones ---------------------------------------------------------------


def play_grondhouding(room: Room) -> tuple[str, Answers]:
    item = room.add("grondhouding")
    anna, bram = room.join(table=1), room.join(table=2)
    sent = Answers(room)
    room.go(1, "f1")
    sent.send(anna, "We vragen eerst wat het gezin zelf wil", bucket="r2", tags=["k1"])
    sent.send(bram, "Hulp pas na een huisbezoek", bucket="r3", tags=["k2"])
    sent.send(anna, "Wekelijks overleg met de school", bucket="r4", tags=["k3"])
    room.go(1, "f2")
    sent.send(bram, "We praten nog te veel over gezinnen in plaats van met ze")
    return item.id, sent


def play_geleerde_lessen(room: Room) -> tuple[str, Answers]:
    item = room.add("geleerde_lessen")
    huizen, hilversum, hilde = room.join(table=1), room.join(table=2), room.join(table=2)
    sent = Answers(room)
    for phase, lessons in (("f1", ("Sneller samen aan tafel met het gezin",)),
                           ("f2", ("Korte lijnen met de wijkcoach", "Ouders vanaf het begin erbij")),
                           ("f3", ("Te weinig tijd voor overleg",)),
                           ("f4", ("Een vaste overlegtijd in de week",))):
        room.go(1, phase)
        sent.table(huizen, f"a{phase[1]}", *lessons)
    room.go(1, "f2")
    sent.table(hilversum, "a2", "De school als vindplaats")  # who hands a draft in speaks for the table
    room.go(1, "f5")
    ok(room.send(huizen, "claim_spokesperson"))
    sent.send(huizen, "Overlegtijd vastleggen in het jaarplan", tags=["beleid"], owner="Regieteam", due="maart")
    refused = room.send(hilde, "submit_contribution", client_id="seed-niet", text="Zelf iets afspreken",
                        tags=["uitvoering"], owner="Ik", due="morgen")
    assert refused["ok"] is False  # the woordvoerder records the table's afspraken, not every phone
    return item.id, sent


def play_samenwerkingspartners(room: Room) -> tuple[str, Answers]:
    item = room.add("samenwerkingspartners")
    anna, bram = room.join(table=1), room.join(table=2)
    sent = Answers(room)
    room.go(1, "f1")
    sent.send(anna, "Persoonlijk contact", bucket="r1", tags=["k1"])
    sent.send(anna, "Taal/cultuurverschil", bucket="r1", tags=["k2"])
    sent.send(bram, "Tolk inzetten", bucket="r1", tags=["k3"])
    sent.send(bram, "Tijdsdruk", bucket="r4", tags=["k2"])
    return item.id, sent


def play_frame_innovation(room: Room) -> tuple[str, Answers]:
    item = room.add("frame_innovation")
    anna = room.join(table=1)
    sent = Answers(room)
    for phase, text in (("f1", "Er is geen goed of fout"), ("f2", "Ze is bang om weer te verhuizen"),
                        ("f3", "Veiligheid"), ("f4", "Als ze zich veilig voelt en gezien wordt, dan kan ze leren")):
        room.go(1, phase)
        sent.send(anna, text)
    room.go(1, "f5")
    sent.send(anna, "Een vaste mentor die haar elke ochtend begroet", bucket="r1")
    return item.id, sent


def play_check_out(room: Room) -> tuple[str, Answers]:
    item = room.add("check_out")
    anna, bram = room.join(table=1), room.join(table=2)
    sent = Answers(room)
    room.go(1, "f1")
    refused = room.send(anna, "submit_contribution", client_id="seed-leeg", text="", tags=["s4"])
    assert refused["ok"] is False  # the one sentence is part of the answer
    sent.send(anna, "Ik neem de vraag 'wat wil het gezin zelf?' mee.", tags=["s4"])
    sent.send(bram, "Fijn om de school eens te spreken.", tags=["s5"])
    second = room.send(anna, "submit_contribution", client_id="seed-nogmaals", text="Nog een keer", tags=["s1"])
    assert second["ok"] is False  # one point per phone
    return item.id, sent


def play_gespreksregels(room: Room) -> tuple[str, Answers]:
    item = room.add("gespreksregels")
    anna = room.join(table=1)
    sent = Answers(room)
    room.go(1, "f1")
    state = room.deps.realtime.participant_state(room.id, room.deps.repo.list_participants(room.id)[0])
    assert state["step"]["views"]["deelnemer"] == "wait" and "ik-boodschappen" in state["step"]["prompt"]
    refused = room.send(anna, "submit_contribution", client_id="seed-regels", text="Nu al iets")
    assert refused["ok"] is False  # the rules are read, not answered
    room.go(1, "f2")
    sent.send(anna, "Dat we weten wie wat doet")
    room.go(1, "f3")
    sent.send(anna, "Telefoons weg tijdens het gesprek")
    return item.id, sent


# -- what the verslag model and the CSV keep ---------------------------------------------------------


def test_grondhouding_keeps_each_example_in_its_uitgangspunt_and_lens(room: Room, host_http: Any) -> None:
    item, _sent = play_grondhouding(room)
    closing = blocks(room, item)["Doen we nog het goede? Hoe doen we het met elkaar?"]
    assert closing.shape == "bullets"
    assert "We praten nog te veel over gezinnen in plaats van met ze" in set(strings(closing))

    steps = by_phase(csv_rows(host_http, room), "Grondhouding: reflectieraster")
    holds(steps["Het raster"],
          ("We vragen eerst wat het gezin zelf wil", "Regie geven aan cliënt en diens systeem", "Ons handelen"),
          ("Hulp pas na een huisbezoek", "Aansluiten bij de leefwereld", "Onze hulpinzet"),
          ("Wekelijks overleg met de school", "Elkaars expertise benutten (gelijkwaardigheid)", "Onze samenwerking"))
    holds(steps["Doen we nog het goede?"], ("We praten nog te veel over gezinnen in plaats van met ze", "Hilversum"))


def test_geleerde_lessen_are_kept_per_pilot_table_with_their_afspraken(room: Room, host_http: Any) -> None:
    item, _sent = play_geleerde_lessen(room)
    made = blocks(room, item)
    assert [(title, b.shape) for title, b in made.items()][:4] == [
        ("Gewenste beweging in deze pilot", "per_table"),
        ("Positieve lessen in het werken met de grondhouding", "per_table"),
        ("Lessen ter verbetering in het werken met de grondhouding", "per_table"),
        ("Wat er nodig is om samen te werken vanuit de grondhouding", "per_table"),
    ]
    positive = made["Positieve lessen in het werken met de grondhouding"]
    assert {g.title: set(g.bullets) for g in positive.groups} == {
        "Huizen": {"Korte lijnen met de wijkcoach", "Ouders vanaf het begin erbij"},
        "Hilversum": {"De school als vindplaats"},
    }

    steps = by_phase(csv_rows(host_http, room), "Geleerde lessen per pilot")
    holds(steps["Positieve lessen"], ("Korte lijnen met de wijkcoach", "Huizen"),
          ("Ouders vanaf het begin erbij", "Huizen"), ("De school als vindplaats", "Hilversum"))
    holds(steps["Wie pakt het op?"], ("Overlegtijd vastleggen in het jaarplan", "Beleid", "Huizen"))
    stored = [c for c in room.deps.repo.list_contributions(room.id) if c.phase_id == "f5"]
    assert [(c.owner, c.due) for c in stored] == [("Regieteam", "maart")]


def test_samenwerkingspartners_keep_goed_knelpunten_and_oplossingen_per_partner(room: Room, host_http: Any) -> None:
    play_samenwerkingspartners(room)
    steps = by_phase(csv_rows(host_http, room), "Goed, knelpunten en oplossingen per partner")
    holds(steps["Per samenwerkingspartner"],
          ("Persoonlijk contact", "Ouders", "Dit gaat goed"),
          ("Taal/cultuurverschil", "Ouders", "Knelpunten"),
          ("Tolk inzetten", "Ouders", "Oplossingen"),
          ("Tijdsdruk", "Partners buiten de school", "Knelpunten"))


def test_frame_innovation_runs_its_five_steps(room: Room, host_http: Any) -> None:
    item, _sent = play_frame_innovation(room)
    made = blocks(room, item)
    assert [(title, b.shape) for title, b in made.items()] == [
        ("Onze spelregels voor spelregels", "bullets"),
        ("Leefwereldportret: wat is er aan de hand?", "bullets"),
        ("Thema's: waar gaat het over?", "bullets"),
        ("Frames: hoe gaan we daarmee om?", "bullets"),
        ("Interventies: hoe organiseren we dat?", "bullets_per_bucket"),
    ]
    assert "Er is geen goed of fout" in set(strings(made["Onze spelregels voor spelregels"]))
    [school] = [g for g in made["Interventies: hoe organiseren we dat?"].groups if g.title == "Op school"]
    assert school.bullets == ("Een vaste mentor die haar elke ochtend begroet",)

    steps = by_phase(csv_rows(host_http, room), "Frame Innovation")
    holds(steps["Interventies"], ("Een vaste mentor die haar elke ochtend begroet", "Op school"))
    assert sorted(steps) == sorted(["Spelregels voor spelregels", "Leefwereldportret", "Thema's", "Frames",
                                    "Interventies"])


def test_check_out_keeps_each_point_with_its_sentence(room: Room, host_http: Any) -> None:
    play_check_out(room)
    steps = by_phase(csv_rows(host_http, room), "Check-out")
    holds(steps["Check-out"], ("Ik neem de vraag 'wat wil het gezin zelf?' mee.", "4"),
          ("Fijn om de school eens te spreken.", "5 – zeer waardevol"))


def test_gespreksregels_show_the_rules_then_collect_the_round(room: Room, host_http: Any) -> None:
    item, _sent = play_gespreksregels(room)
    made = blocks(room, item)
    assert [(title, b.shape) for title, b in made.items()] == [
        ("Verwachtingen bij de start", "bullets"), ("Aanvullende gespreksregels", "bullets")]
    assert "Dat we weten wie wat doet" in set(strings(made["Verwachtingen bij de start"]))
    assert "Telefoons weg tijdens het gesprek" in set(strings(made["Aanvullende gespreksregels"]))
    steps = by_phase(csv_rows(host_http, room), "Gespreksregels")
    assert sorted(steps) == ["Aanvullen", "Verwachtingen"]


PLAYS = {"grondhouding": play_grondhouding, "geleerde_lessen": play_geleerde_lessen,
         "samenwerkingspartners": play_samenwerkingspartners, "frame_innovation": play_frame_innovation,
         "check_out": play_check_out, "gespreksregels": play_gespreksregels}
#: The sections whose shape the verslag builder does not fill yet (grid, scale, actions): built in parallel.
NEW_SHAPES = {
    "grondhouding": ["Wat betekent de grondhouding voor ons?"],
    "geleerde_lessen": ["Afspraken: wie pakt de lessen op?"],
    "samenwerkingspartners": ["Samenwerken per partner: wat gaat goed, knelpunten en oplossingen"],
    "check_out": ["Hoe kijken we terug?"],
}
#: What the CSV keeps beside the text, row or column, point, level and table: an afspraak's who and when.
CSV_DIMENSIONS = {"geleerde_lessen": {"Regieteam", "maart"}}


@pytest.mark.parametrize("workformat_id", sorted(PLAYS))
def test_every_answer_reaches_the_verslag_model_and_the_csv(room: Room, host_http: Any, workformat_id: str) -> None:
    item, sent = PLAYS[workformat_id](room)
    csv_texts = {value for row in csv_rows(host_http, room)[1:] for value in row}
    assert set(sent.texts) <= csv_texts
    assert CSV_DIMENSIONS.get(workformat_id, set()) <= csv_texts
    made = blocks(room, item)
    for title in NEW_SHAPES.get(workformat_id, []):
        assert title in made, title
    in_verslag = {text for block in made.values() for text in strings(block)}
    assert [text for text in sent.texts if not any(text in line for line in in_verslag)] == []
