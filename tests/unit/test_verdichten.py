"""Verdichten: near-duplicates and paraphrases fold into statements with their support; the verslag's body lists at
most 12 per buffer; every raw card stays in the appendix and the CSV; the facilitator's review is stored."""

from __future__ import annotations

import dataclasses
import re
import time
from collections import Counter
from typing import Any

import pytest

from facilitator.core import services
from facilitator.core.clustering.condense import Card, condense
from facilitator.core.domain import Contribution, InvalidInput, Participant, Perspective
from facilitator.core.domain.verdichting import Verdichting
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository, MemorySeries
from facilitator.testing.verdichten import BUCKETS, room_cards
from facilitator.testing.verslag import afternoon
from facilitator.verslag import exports
from facilitator.verslag.build import MAX_BODY_STATEMENTS

REGISTRY = discover()
SUPPORT = re.compile(r"\((\d+)×")


def test_paraphrases_fold_into_one_statement_with_their_support_and_people() -> None:
    cards = [
        Card("a", "Ga naast de ouder staan.", "p1", "ouder"),
        Card("b", "ga naast de ouder staan", "p2", "zorg"),
        Card("c", "Ik vind: ga naast de ouder staan. Dat is echt belangrijk.", "p2", "zorg"),
        Card("d", "Ga naast de oduer staan.", "p3", "zorg"),
        Card("e", "Breng het netwerk van ouder in kaart", "p4", "onderwijs"),
    ]
    statements = condense(cards)
    assert [s.support for s in statements] == [4, 1]
    first = statements[0]
    assert set(first.cards) == {"a", "b", "c", "d"}
    assert first.text == "Ga naast de ouder staan."
    # People, not cards: p2 sent two of the four.
    assert dict(first.perspectives) == {"zorg": 2, "ouder": 1}


def test_different_points_of_one_buffer_stay_apart() -> None:
    texts = ["Heb oog voor wat de ouder goed doet.", "Heb oog voor ander waarden en normen door culturele verschillen",
             "Laat je eigen oordeel thuis. Ga uit van de goede intenties van ouders.", "Ga naast de ouder staan.",
             "Vraag zonder oordeel na hoe het komt dat een ouder niet bij een afspraak is gekomen.",
             "Wees wezen in contact met ouders"]
    assert len(condense([Card(str(i), t) for i, t in enumerate(texts)])) == len(texts)


def test_a_plugged_in_similarity_decides_what_folds() -> None:
    import numpy as np

    cards = [Card("a", "een"), Card("b", "twee"), Card("c", "drie")]
    everything_alike = condense(cards, similarity=lambda texts: np.ones((len(texts), len(texts))))
    assert [s.support for s in everything_alike] == [3]


def _room(phones: int = 300, per_phone: int = 10) -> tuple[MemoryRepository, MemorySeries, list[Contribution]]:
    repo, series = MemoryRepository(), MemorySeries()
    afternoon(repo, series)
    session = repo.get_session("middag2")
    repo.save_session(dataclasses.replace(session, tables=tuple(session.tables) + tuple(
        dataclasses.replace(session.tables[-1], number=n, name="") for n in range(4, 13))))
    perspectives = list(Perspective)
    for n in range(phones):
        repo.add_participant("middag2", Participant(
            id=f"room{n}", token_hash=f"room-hash-{n}", joined_at=float(n), table=n % 12 + 1,
            perspective=perspectives[n % len(perspectives)], number=100 + n))
    added = []
    for k, card in enumerate(room_cards(phones, per_phone)):
        contribution = Contribution(
            id=card.id, participant_id=f"room{card.phone}", agenda_item_id="buf1", phase_id="vangnet",
            kind="vangnet", text=card.text, created_at=5000.0 + k, table=card.phone % 12 + 1,
            perspective=perspectives[card.phone % len(perspectives)], bucket=card.bucket,
            tags=(("mens", "organisatie")[k % 2], ("nodig", "geven")[k % 3 == 0]))
        repo.add_contribution("middag2", contribution)
        added.append(contribution)
    return repo, series, added


def test_a_300_phone_afternoon_lists_at_most_12_statements_per_buffer_and_keeps_every_card() -> None:
    repo, series, room = _room()
    services.edit_verslag(repo, "middag2", {"appendix": True})
    start = time.perf_counter()
    report = services.verslag(repo, REGISTRY, series, "middag2")
    elapsed = time.perf_counter() - start
    block = next(b for s in report.sections if s.key == "buf1" for b in s.blocks)
    everything = [c for c in repo.list_contributions("middag2") if c.agenda_item_id == "buf1"]
    per_bucket = Counter(c.bucket for c in everything)
    assert {g.key for g in block.groups} == set(BUCKETS)
    for group in block.groups:
        assert 1 <= len(group.bullets) <= MAX_BODY_STATEMENTS, group.key
        # Every line says how many cards it stands for (a point made once carries no count); together they are
        # exactly the raw cards of the buffer.
        supports = [int(m.group(1)) if (m := SUPPORT.search(line)) else 1 for line in group.bullets]
        assert sum(supports) == per_bucket[group.key], group.key
        assert group.bullets[-1].startswith("Overige punten")
        assert "bijlage" in group.bullets[-1]
    # Each statement's support is the number of raw cards it folds, and the statements partition the buffer.
    session = repo.get_session("middag2")
    item = next(i for i in session.agenda if i.id == "buf1")
    statements = services.item_statements(repo, REGISTRY, session, item, services.publishable(
        session, REGISTRY, repo.list_contributions("middag2"))).groups
    folded = [c for group in statements.values() for s in group for c in s.cards]
    assert sorted(folded) == sorted(c.id for c in everything)
    # Every raw card is in the appendix and in the CSV, as often as it was sent.
    appendix = next(g for g in report.appendix if g.title.startswith("Vier buffers"))
    assert Counter(i.text for i in appendix.items) == Counter(c.text for c in everything)
    header, rows = services.csv_rows(repo, REGISTRY, "middag2")
    text_column = header.index("Tekst")
    assert Counter(r[text_column] for r in rows if r[0].startswith("Vier buffers")) == Counter(
        c.text for c in everything)
    markdown = exports.render(report, exports.FORMATS["md"]).decode()
    assert markdown.count("Overige punten") == len(BUCKETS)
    assert len(room) == 3000 and elapsed < 4  # the bench (bench/verslag.py) measures it properly


def test_need_and_give_stay_apart_where_the_werkvorm_asked_for_them() -> None:
    repo, series, _room_cards = _room(phones=30, per_phone=4)
    report = services.verslag(repo, REGISTRY, series, "middag2")
    block = next(b for s in report.sections if s.key == "buf1" for b in s.blocks)
    lines = [line for g in block.groups for line in g.bullets if not line.startswith("Overige")]
    assert any(line.startswith("Nodig hebben: ") for line in lines)
    assert any(line.startswith("Kunnen geven: ") for line in lines)


def test_a_wording_both_needed_and_given_is_one_line_with_both_counts() -> None:
    repo, series, _room_cards = _room(phones=30, per_phone=4)
    report = services.verslag(repo, REGISTRY, series, "middag2")
    block = next(b for s in report.sections if s.key == "buf1" for b in s.blocks)
    lines = [line for g in block.groups for line in g.bullets if not line.startswith("Overige")]
    both = [m for line in lines if (m := re.search(r"\((\d+)×: (\d+)× nodig hebben, (\d+)× kunnen geven", line))]
    assert both, lines
    assert all(int(m.group(1)) == int(m.group(2)) + int(m.group(3)) for m in both)
    # No sentence is printed twice in one buffer, once as needed and once as given.
    for group in block.groups:
        said = [re.sub(r"^(Nodig hebben|Kunnen geven): ", "", line).split(" (")[0].rstrip(".").casefold()
                for line in group.bullets]
        assert len(said) == len(set(said)), group.bullets


def _first_statements(repo: MemoryRepository) -> dict[str, tuple]:
    session = repo.get_session("middag2")
    item = next(i for i in session.agenda if i.id == "buf1")
    return services.item_statements(repo, REGISTRY, session, item, services.publishable(
        session, REGISTRY, repo.list_contributions("middag2"))).groups


def test_the_facilitators_review_is_stored_and_used_by_the_verslag() -> None:
    repo, series, _ = _room(phones=40, per_phone=5)
    groups = _first_statements(repo)
    key, statements = next((k, g) for k, g in groups.items() if len(g) >= 3 and g[0].support >= 3)
    top, second, third = statements[0], statements[1], statements[2]
    services.review_statement(repo, REGISTRY, "middag2", "buf1", "edit", [top.id], text="Sta naast de ouder.")
    services.review_statement(repo, REGISTRY, "middag2", "buf1", "merge", [second.id, third.id])
    services.review_statement(repo, REGISTRY, "middag2", "buf1", "split", [top.id], cards=[top.cards[-1]])
    stored = repo.get_verdichting("middag2", "buf1")
    assert stored is not None and stored.version == 3
    after = {s.id: s for s in _first_statements(repo)[key]}
    assert after[top.id].text == "Sta naast de ouder." and after[top.id].status == "edited"
    assert after[top.id].support == top.support - 1
    assert after[top.cards[-1]].support == 1
    assert after[second.id].support == second.support + third.support and third.id not in after

    def body() -> list[str]:
        report = services.verslag(repo, REGISTRY, series, "middag2")
        return [line for s in report.sections if s.key == "buf1" for b in s.blocks for g in b.groups
                for line in g.bullets]

    def point(text: str) -> str:
        return re.sub(r"^(Nodig hebben|Kunnen geven): ", "", text).split(" (")[0].rstrip(".").casefold()

    def saying(text: str, lines: list[str]) -> int:
        return sum(1 for line in lines if point(line) == point(text))

    before = body()
    assert saying("Sta naast de ouder.", before) == 1
    services.review_statement(repo, REGISTRY, "middag2", "buf1", "drop", [second.id])
    # A dropped statement leaves the body (its cards stay in the appendix and the CSV).
    def support(text: str, lines: list[str]) -> int:
        return sum(int(m.group(1)) if (m := re.search(r"\((\d+)×", line)) else 1
                   for line in lines if point(line) == point(text))

    assert support(second.text, body()) == support(second.text, before) - after[second.id].support
    with pytest.raises(InvalidInput):
        services.review_statement(repo, REGISTRY, "middag2", "buf1", "split", [after[top.cards[-1]].id])
    with pytest.raises(InvalidInput):
        services.review_statement(repo, REGISTRY, "middag2", "buf1", "explode", [top.id])


def test_a_review_saved_meanwhile_is_not_lost() -> None:
    repo, _series, _ = _room(phones=20, per_phone=3)
    groups = _first_statements(repo)
    ids = [s.id for g in groups.values() for s in g][:2]
    real_save = repo.save_verdichting
    raced = []

    def save_after_another(session_id: str, verdichting: Verdichting) -> None:
        if not raced:  # another screen stores its change between this one's read and save
            raced.append(True)
            services.review_statement(repo, REGISTRY, "middag2", "buf1", "drop", [ids[1]])
        real_save(session_id, verdichting)

    repo.save_verdichting = save_after_another  # type: ignore[method-assign]
    services.review_statement(repo, REGISTRY, "middag2", "buf1", "accept", [ids[0]])
    stored = {s.id: s.status for s in repo.get_verdichting("middag2", "buf1").statements}
    assert stored[ids[0]] == "accepted" and stored[ids[1]] == "dropped"


def test_typos_and_lead_ins_join_the_point_they_repeat() -> None:
    said = ["Steun ouders", "steun ouders", "Steun ouders.", "Tip: steun ouders", "Steun ouders!", "Steun ouders",
            "Zet ouders in hun kracht", "Zet ouders in hun kracht", "zet ouders in hun kracht", "Zet ouders in hun kracht"]
    typos = ["Steun oudres", "Steun oduers", "zet oduers in hun kracht", "Als mens: zet ouders in hun kracht"]
    cards = [Card(f"c{i}", text, f"p{i}") for i, text in enumerate(said + typos)]
    statements = condense(cards)
    assert [(s.text, s.support) for s in statements] == [("Steun ouders", 8), ("Zet ouders in hun kracht", 6)]


def test_the_review_survives_a_restart_and_refuses_a_stale_save(tmp_path: Any) -> None:
    from facilitator.core.domain import StaleVersion
    from facilitator.core.domain.verdichting import ReviewedStatement
    from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries

    repo = TinyDBRepository(tmp_path)
    afternoon(repo, TinyDBSeries(tmp_path))
    review = Verdichting(agenda_item_id="buf1", version=1, updated_at=5.0, statements=(
        ReviewedStatement(id="c1", group="vangnet.solidariteit.geven", cards=("c1", "c2"), text="Sta naast de ouder.",
                          status="edited"),))
    repo.save_verdichting("middag2", review)
    with pytest.raises(StaleVersion):
        repo.save_verdichting("middag2", review)
    assert TinyDBRepository(tmp_path).get_verdichting("middag2", "buf1") == review
    assert TinyDBRepository(tmp_path).get_verdichting("middag2", "rod1") is None
