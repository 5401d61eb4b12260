"""What the beamer is sent for a composed werkvorm's displays (issue 16, point 2): the grid, the scale, the ranking
and the afspraken, each only as far as the room may see it (shared, not hidden, revealed, approved), on the
in-memory repository."""

from __future__ import annotations

from typing import Any

import pytest

from facilitator.core import services
from facilitator.core.domain import Participant, Perspective
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository

REGISTRY = discover()
COMPOSED = next(wf.id for wf in REGISTRY if "composed" in wf.capabilities)

COMPOSITION: dict[str, Any] = {
    "name": "Grondhouding",
    "rows": [{"label": "Nieuwsgierig", "description": "Ik vraag door"}, {"label": "Open"}, {"label": "Gelijkwaardig"},
             {"label": "Betrokken"}],
    "columns": [{"label": "Herkenning"}, {"label": "Lastig"}, {"label": "Voornemen"}],
    "scale": ["Oneens", "Beetje", "Eens"],
    "ranking_options": ["Tijd", "Geld", "Mensen", "Regels"],
    "phases": [
        {"title": "Raster", "prompt": "Vul het raster", "answer": "grid"},
        {"title": "Schaal", "prompt": "Hoe was het?", "answer": "scale", "explain": True},
        {"title": "Volgorde", "prompt": "Wat eerst?", "answer": "ranking"},
        {"title": "Afspraken", "prompt": "Wat spreken we af?", "answer": "action"},
        {"title": "Onthullen", "prompt": "Hoe was het, eerlijk?", "answer": "scale", "hidden": True},
    ],
}


@pytest.fixture
def repo() -> MemoryRepository:
    return MemoryRepository()


def _room(repo: MemoryRepository, phase: int, **settings: Any) -> tuple[Any, list[Participant]]:
    """A bijeenkomst at a phase of the composed werkvorm, with four phones at two tables."""
    session = services.create_session(repo, REGISTRY, title="Samengesteld", date="2026-12-07")
    services.add_agenda_item(repo, REGISTRY, session.id, COMPOSED, {"composition": COMPOSITION, **settings})
    services.go_to(repo, REGISTRY, session.id, 1, phase)
    phones = [services.join(repo, session.id, table=n % 2 + 1, perspective=Perspective.OUDER)[0] for n in range(4)]
    return repo.get_session(session.id), phones


def _send(repo: MemoryRepository, session: Any, phone: Participant, text: str = "", **fields: Any) -> Any:
    contribution, _ = services.submit_contribution(
        repo, REGISTRY, session.id, phone, client_id=f"c-{phone.id}-{len(repo.list_contributions(session.id))}",
        text=text, **fields)
    return contribution


def _beamer(repo: MemoryRepository, session_id: str) -> tuple[Any, list[dict[str, Any]], dict[str, Any] | None]:
    session = repo.get_session(session_id)
    step = services.current_step(REGISTRY, session)
    sizes = services.group_sizes(repo.list_participants(session_id))
    shown = services.beamer_contributions(repo, REGISTRY, session, step, sizes)
    return step, shown, services.beamer_summary(step, shown)


def test_a_grid_card_names_its_row_and_column_and_the_display_its_columns(repo: MemoryRepository) -> None:
    session, phones = _room(repo, 0)
    _send(repo, session, phones[0], "Ik vraag vaker door", bucket="r1", tags=["k3"])
    _send(repo, session, phones[1], "Lastig bij haast", bucket="r2", tags=["k2"])
    step, shown, summary = _beamer(repo, session.id)
    assert step.phase.display == "grid"
    assert services.display_group(step.workformat, step.phase) == "kolom"
    assert [(c["text"], c["bucket"], c["tags"]) for c in shown] == [
        ("Ik vraag vaker door", "r1", ["k3"]), ("Lastig bij haast", "r2", ["k2"])]
    assert summary is None  # the cards are the grid: nothing to add up
    assert all("participant" not in key for c in shown for key in c)


def test_a_scale_counts_every_point_in_order_and_keeps_the_explanations(repo: MemoryRepository) -> None:
    session, phones = _room(repo, 1)
    for phone, point, why in zip(phones, ["s3", "s3", "s1", "s2"], ["Goed gesprek", "Eens", "Te kort", "Mwah"],
                                 strict=True):
        _send(repo, session, phone, why, tags=[point])
    step, shown, summary = _beamer(repo, session.id)
    assert step.phase.display == "scale"
    assert services.display_group(step.workformat, step.phase) == "schaal"
    assert summary == {"group": "schaal", "counts": {"s1": 1, "s2": 1, "s3": 2}, "answers": 4}
    assert list(summary["counts"]) == ["s1", "s2", "s3"]  # the scale's own order, not by count
    assert sorted(c["text"] for c in shown) == ["Eens", "Goed gesprek", "Mwah", "Te kort"]


def test_a_scale_counts_only_what_the_room_may_see(repo: MemoryRepository) -> None:
    session, phones = _room(repo, 1, approve_first=True)
    approved = _send(repo, session, phones[0], "Goed", tags=["s3"])
    _send(repo, session, phones[1], "Wacht nog", tags=["s1"])
    hidden = _send(repo, session, phones[2], "Bel 06-12345678", tags=["s2"])
    for contribution in (approved, hidden):
        services.approve_contribution(repo, session.id, contribution.id)
    services.set_contribution_hidden(repo, session.id, hidden.id, True)
    _step, shown, summary = _beamer(repo, session.id)
    assert [c["text"] for c in shown] == ["Goed"]
    assert summary == {"group": "schaal", "counts": {"s1": 0, "s2": 0, "s3": 1}, "answers": 1}


def test_a_concealed_scale_is_not_counted_before_the_reveal(repo: MemoryRepository) -> None:
    session, phones = _room(repo, 4)
    for phone in phones:
        _send(repo, session, phone, tags=["s2"])
    _step, shown, summary = _beamer(repo, session.id)
    assert shown == [] and summary == {"group": "schaal", "counts": {"s1": 0, "s2": 0, "s3": 0}, "answers": 0}
    services.reveal_phase(repo, REGISTRY, session.id)
    _step, shown, summary = _beamer(repo, session.id)
    assert summary is not None and summary["counts"]["s2"] == 4 and [c["text"] for c in shown] == [""] * 4


def test_a_ranking_gives_borda_points_n_minus_1_for_first_to_0_for_last(repo: MemoryRepository) -> None:
    session, phones = _room(repo, 2)
    _send(repo, session, phones[0], "Geld is het knelpunt", ranking=["o2", "o1", "o3", "o4"])
    _send(repo, session, phones[1], ranking=["o2", "o3", "o1", "o4"])
    _send(repo, session, phones[2], ranking=["o1", "o2", "o4", "o3"])
    step, shown, summary = _beamer(repo, session.id)
    assert step.phase.display == "ranking"
    assert services.display_group(step.workformat, step.phase) == "opties"
    # o1: 2 + 1 + 3, o2: 3 + 3 + 2, o3: 1 + 2 + 0, o4: 0 + 0 + 1
    assert summary == {"group": "opties", "points": {"o1": 6, "o2": 8, "o3": 3, "o4": 1}, "answers": 3, "most": 3}
    assert [c["ranking"] for c in shown][0] == ["o2", "o1", "o3", "o4"]
    assert [c["text"] for c in shown if c["text"]] == ["Geld is het knelpunt"]


def test_an_afspraak_carries_what_who_level_and_when_as_typed(repo: MemoryRepository) -> None:
    session, phones = _room(repo, 3)
    _send(repo, session, phones[0], "Vast aanspreekpunt regelen", owner="Wijkteam <b>Noord</b>", due="1 maart",
          tags=["uitvoering"])
    step, shown, summary = _beamer(repo, session.id)
    assert step.phase.display == "actions"
    assert services.display_group(step.workformat, step.phase) == "niveau"
    assert summary is None
    (action,) = shown
    assert (action["text"], action["owner"], action["due"], action["tags"]) == (
        "Vast aanspreekpunt regelen", "Wijkteam <b>Noord</b>", "1 maart", ["uitvoering"])


def test_the_beamer_hears_the_whole_state_again_when_a_summed_display_changes() -> None:
    # A count or a sum cannot be patched card by card: the feed redraws these displays as it does the votes.
    assert set(services.SUMMED_DISPLAYS) == {"scale", "ranking"}


def test_other_displays_have_no_group_and_no_summary(repo: MemoryRepository) -> None:
    session = services.create_session(repo, REGISTRY, title="Open", date="2026-12-07")
    step = services.current_step(REGISTRY, session)
    assert services.display_group(step.workformat, step.phase) == ""
    assert services.beamer_summary(step, []) is None
    assert services.beamer_summary(None, []) is None
