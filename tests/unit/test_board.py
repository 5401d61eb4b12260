"""The rode-draden board: its moves as pure functions, and its use cases on the in-memory repository."""

from __future__ import annotations

from typing import Any

import pytest

from facilitator.core import services
from facilitator.core.domain import (
    Board,
    BoardChanged,
    InvalidInput,
    LimitReached,
    NotFound,
    Participant,
    Perspective,
    PhaseNotOpen,
    StaleBoard,
    Theme,
    WorkshopSession,
)
from facilitator.core.domain import board as moves
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository

REGISTRY = discover()
START = 1_800_000_000.0


def layout(board: Board) -> list[tuple[str, tuple[str, ...]]]:
    return [(t.name, t.cards) for t in board.themes]


def sample() -> Board:
    return Board(
        agenda_item_id="item",
        themes=(Theme(id="a", name="Vertrouwen", cards=("c1", "c2", "c3")), Theme(id="b", name="Tijd", cards=("c4",))),
    )


# -- the moves ---------------------------------------------------------------------------------


def test_move_puts_a_card_before_another_and_leaves_its_old_theme() -> None:
    moved = moves.move_card(sample(), "c3", "b", "c4", now=5.0)
    assert layout(moved) == [("Vertrouwen", ("c1", "c2")), ("Tijd", ("c3", "c4"))]
    assert (moved.version, moved.updated_at, moved.history) == (1, 5.0, (sample().themes,))


def test_move_within_a_theme_reorders_and_to_none_unsorts() -> None:
    assert layout(moves.move_card(sample(), "c3", "a", "c1")) == [("Vertrouwen", ("c3", "c1", "c2")), ("Tijd", ("c4",))]
    assert layout(moves.move_card(sample(), "c1", "a", None)) == [("Vertrouwen", ("c2", "c3", "c1")), ("Tijd", ("c4",))]
    unsorted = moves.move_card(sample(), "c2", None, None)
    assert layout(unsorted) == [("Vertrouwen", ("c1", "c3")), ("Tijd", ("c4",))]
    assert unsorted.theme_of("c2") is None and unsorted.theme_of("c1") == "a"


def test_move_to_an_unknown_theme_is_refused() -> None:
    with pytest.raises(NotFound):
        moves.move_card(sample(), "c1", "zz", None)


def test_add_theme_takes_its_cards_off_other_themes() -> None:
    added = moves.add_theme(sample(), Theme(id="n", name="Taal", cards=("c2", "c4")))
    assert layout(added) == [("Vertrouwen", ("c1", "c3")), ("Tijd", ()), ("Taal", ("c2", "c4"))]


def test_rename_remove_and_reorder() -> None:
    assert layout(moves.rename_theme(sample(), "b", "Wachtlijsten"))[1] == ("Wachtlijsten", ("c4",))
    removed = moves.remove_theme(sample(), "a")
    assert layout(removed) == [("Tijd", ("c4",))] and removed.theme_of("c1") is None
    assert [t.id for t in moves.reorder_themes(sample(), ["b", "a"]).themes] == ["b", "a"]


@pytest.mark.parametrize("order", [["a"], ["a", "a"], ["a", "b", "c"], ["b", "b"]])
def test_reorder_needs_every_theme_exactly_once(order: list[str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        moves.reorder_themes(sample(), order)
    assert caught.value.params["field"] == "order"


def test_merge_appends_the_cards_and_keeps_the_target_name() -> None:
    merged = moves.merge_themes(sample(), "b", "a")
    assert layout(merged) == [("Vertrouwen", ("c1", "c2", "c3", "c4"))]
    with pytest.raises(InvalidInput):
        moves.merge_themes(sample(), "a", "a")
    with pytest.raises(NotFound):
        moves.merge_themes(sample(), "a", "zz")


def test_split_makes_a_new_theme_right_after_the_old_one() -> None:
    split = moves.split_theme(sample(), "a", ["c3", "c1"], Theme(id="s", name="Contact"))
    assert layout(split) == [("Vertrouwen", ("c2",)), ("Contact", ("c1", "c3")), ("Tijd", ("c4",))]


@pytest.mark.parametrize("cards", [[], ["c4"], ["c1", "c4"]])
def test_split_needs_cards_of_that_theme(cards: list[str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        moves.split_theme(sample(), "a", cards, Theme(id="s", name="x"))
    assert caught.value.params["field"] == "cards"


def test_undo_goes_back_one_layout_at_a_time_and_then_refuses() -> None:
    first = moves.move_card(sample(), "c1", "b", None)
    second = moves.rename_theme(first, "a", "Relatie")
    back = second.undone()
    assert layout(back) == layout(first) and back.version == 3
    assert layout(back.undone()) == layout(sample())
    with pytest.raises(InvalidInput) as caught:
        back.undone().undone()
    assert caught.value.params["field"] == "undo"


def test_undo_history_keeps_the_last_twenty_layouts() -> None:
    board = sample()
    for number in range(25):
        board = moves.rename_theme(board, "b", f"Tijd {number}")
    assert len(board.history) == moves.UNDO_DEPTH
    assert board.history[0][1].name == "Tijd 4"


@pytest.mark.parametrize(("value", "expected"), [("  Veel   ruis ", "Veel ruis"), ("", "Nieuw"), (None, "Nieuw")])
def test_theme_names_are_tidied(value: Any, expected: str) -> None:
    assert moves.clean_theme_name(value, default="Nieuw") == expected


@pytest.mark.parametrize("value", ["", "x" * 81, 5, ["a"]])
def test_wrong_theme_names_are_refused(value: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        moves.clean_theme_name(value)
    assert caught.value.params["field"] == "name"


@pytest.mark.parametrize(("count", "warning"), [(1, "few"), (2, "few"), (3, None), (10, None), (11, "many")])
def test_a_handful_of_themes_is_what_a_room_can_hold(count: int, warning: str | None) -> None:
    assert moves.theme_count_warning(count) == warning


# -- the use cases ------------------------------------------------------------------------------


@pytest.fixture
def repo() -> MemoryRepository:
    return MemoryRepository()


def room(repo: MemoryRepository, *items: tuple[str, dict[str, Any]]) -> WorkshopSession:
    """A bijeenkomst: the open question (as created), then the given werkvormen."""
    session = services.create_session(repo, REGISTRY, title="Bord", date="2026-11-25", clock=lambda: START)
    for workformat_id, settings in items:
        services.add_agenda_item(repo, REGISTRY, session.id, workformat_id, settings)
    return repo.get_session(session.id)


def seat(repo: MemoryRepository, session: WorkshopSession, table: int | None = None,
         perspective: Perspective | None = None) -> Participant:
    participant, _token, _events = services.join(
        repo, session.id, table=table, perspective=perspective, clock=lambda: START
    )
    return participant


def send(repo: MemoryRepository, session: WorkshopSession, participant: Participant, client_id: str, text: str) -> None:
    services.submit_contribution(
        repo, REGISTRY, session.id, participant, client_id=client_id, text=text, clock=lambda: START
    )


def edit(repo: MemoryRepository, session: WorkshopSession, action: str, **data: Any) -> tuple[Board, dict[str, Any]]:
    board, extra, events = services.edit_board(repo, REGISTRY, session.id, session.agenda[0].id, action, data)
    assert events == [BoardChanged(session_id=session.id, agenda_item_id=session.agenda[0].id)]
    return board, extra


TEXTS = {
    "c1": "Vertrouwen tussen ouders en school",
    "c2": "Ouders vertrouwen de school niet altijd",
    "c3": "Wachtlijsten in de jeugdzorg zijn te lang",
    "c4": "De wachtlijst voor jeugdzorg duurt maanden",
}


@pytest.fixture
def filled(repo: MemoryRepository) -> WorkshopSession:
    session = room(repo, ("rode_draden", {}), ("stemmen", {}))
    ouder = seat(repo, session, table=1, perspective=Perspective.OUDER)
    leraar = seat(repo, session, table=3, perspective=Perspective.ONDERWIJS)
    for number, (client_id, text) in enumerate(TEXTS.items()):
        send(repo, session, ouder if number % 2 == 0 else leraar, client_id, text)
    return session


def test_the_board_holds_the_shared_visible_cards_in_arrival_order(repo: MemoryRepository, filled: WorkshopSession) -> None:
    services.set_contribution_hidden(repo, filled.id, "c2", True)
    view = services.board_view(repo, REGISTRY, repo.get_session(filled.id), filled.agenda[0].id)
    assert view == {
        "agenda_item": filled.agenda[0].id, "version": 0, "themes": [], "unsorted": ["c1", "c3", "c4"],
        "rode_draad": "", "can_undo": False, "duplicates": [], "warning": None,
    }


def test_edit_board_builds_themes_and_the_view_shows_provenance_not_people(
    repo: MemoryRepository, filled: WorkshopSession
) -> None:
    board, extra = edit(repo, filled, "add_theme", name="  Vertrouwen ", cards=["c1", "c2"])
    assert extra == {"theme": board.themes[0].id}
    edit(repo, filled, "add_theme", name="")
    board, _extra = edit(repo, filled, "move", card="c3", theme=board.themes[0].id, before="c2")
    # c1 and c3 are one ouder's: provenance counts people, not cards (issue 15).
    view = services.board_view(repo, REGISTRY, repo.get_session(filled.id), filled.agenda[0].id)
    assert [(t["name"], t["cards"], t["origin"], t["provenance"]) for t in view["themes"]] == [
        ("Vertrouwen", ["c1", "c3", "c2"], "host", {"perspectives": {"ouder": 1, "onderwijs": 1}, "tables": ["1", "3"]}),
        ("Nieuw thema", [], "host", {"perspectives": {}, "tables": []}),
    ]
    assert (view["unsorted"], view["version"], view["can_undo"], view["warning"]) == (["c4"], 3, True, "few")
    assert "participant" not in repr(view) and filled.id not in repr(view["themes"])


def test_provenance_uses_the_table_names_the_host_gave(repo: MemoryRepository, filled: WorkshopSession) -> None:
    services.set_tables(repo, filled.id, ["Noord", "Midden", "Zuid"])
    session = repo.get_session(filled.id)
    cards = [c for c in repo.list_contributions(filled.id)]
    # People, not cards (issue 15): each perspective's two cards here come from one person.
    assert services.provenance(session, cards) == {
        "perspectives": {"onderwijs": 1, "ouder": 1}, "tables": ["Noord", "Zuid"],
    }


@pytest.mark.parametrize(
    ("action", "data", "error", "field"),
    [
        ("move", {"card": "nope", "theme": None}, NotFound, None),
        ("move", {"card": 5}, InvalidInput, "card"),
        ("add_theme", {"name": "x", "cards": "c1"}, InvalidInput, "cards"),
        ("add_theme", {"name": "x", "cards": ["nope"]}, NotFound, None),
        ("add_theme", {"name": "x" * 81}, InvalidInput, "name"),
        ("rename_theme", {"theme": "nope", "name": "x"}, NotFound, None),
        ("reorder_themes", {"order": "a"}, InvalidInput, "order"),
        ("undo", {}, InvalidInput, "undo"),
        ("set_rode_draad", {"text": "x" * 1001}, InvalidInput, "rode_draad"),
        ("fly", {}, InvalidInput, "action"),
    ],
)
def test_edit_board_refuses_with_a_field(
    repo: MemoryRepository, filled: WorkshopSession, action: str, data: dict[str, Any], error: type, field: str | None
) -> None:
    with pytest.raises(error) as caught:
        services.edit_board(repo, REGISTRY, filled.id, filled.agenda[0].id, action, data)
    assert caught.value.params.get("field") == field
    assert repo.get_board(filled.id, filled.agenda[0].id) is None


def test_a_hidden_card_cannot_be_moved_onto_the_board(repo: MemoryRepository, filled: WorkshopSession) -> None:
    services.set_contribution_hidden(repo, filled.id, "c1", True)
    with pytest.raises(NotFound):
        services.edit_board(repo, REGISTRY, filled.id, filled.agenda[0].id, "add_theme", {"name": "x", "cards": ["c1"]})


def test_the_rode_draad_is_stored_and_not_undone(repo: MemoryRepository, filled: WorkshopSession) -> None:
    edit(repo, filled, "add_theme", name="Tijd", cards=["c3"])
    board, _extra = edit(repo, filled, "set_rode_draad", text="  Ouders willen gehoord worden. ")
    assert board.rode_draad == "Ouders willen gehoord worden."
    undone, _extra = edit(repo, filled, "undo")
    assert (undone.themes, undone.rode_draad) == ((), "Ouders willen gehoord worden.")


def test_a_save_on_an_old_version_is_stale(repo: MemoryRepository, filled: WorkshopSession) -> None:
    edit(repo, filled, "add_theme", name="Tijd")
    with pytest.raises(StaleBoard):
        repo.save_board(filled.id, Board(agenda_item_id=filled.agenda[0].id, version=1))
    assert repo.get_board(filled.id, filled.agenda[0].id).version == 1  # type: ignore[union-attr]


def test_a_rode_draden_item_shows_its_source_board(repo: MemoryRepository, filled: WorkshopSession) -> None:
    session = repo.get_session(filled.id)
    assert services.board_item_for(session, session.agenda[1]).id == session.agenda[0].id
    assert services.board_item_for(session, session.agenda[0]).id == session.agenda[0].id
    services.go_to(repo, REGISTRY, filled.id, 1, 0)
    assert services.current_board_item(REGISTRY, repo.get_session(filled.id)) == session.agenda[0].id


def place_phase(repo: MemoryRepository, session: WorkshopSession) -> None:
    services.go_to(repo, REGISTRY, session.id, 1, 0)  # rode_draden, phase meesorteren


def test_a_phone_places_only_its_own_card_and_only_in_the_place_phase(
    repo: MemoryRepository, filled: WorkshopSession
) -> None:
    board, _extra = edit(repo, filled, "add_theme", name="Vertrouwen")
    ouder, leraar = repo.list_participants(filled.id)
    with pytest.raises(PhaseNotOpen):
        services.place_contribution(repo, REGISTRY, filled.id, ouder, contribution_id="c1", theme_id=board.themes[0].id)
    place_phase(repo, filled)
    theme, events = services.place_contribution(
        repo, REGISTRY, filled.id, ouder, contribution_id="c1", theme_id=board.themes[0].id
    )
    assert (theme, events) == (board.themes[0].id, [BoardChanged(session_id=filled.id, agenda_item_id=filled.agenda[0].id)])
    assert services.placements(repo, filled.id, ouder.id) == {"c1": theme}
    with pytest.raises(NotFound):  # someone else's card
        services.place_contribution(repo, REGISTRY, filled.id, leraar, contribution_id="c1", theme_id=theme)
    with pytest.raises(NotFound):
        services.place_contribution(repo, REGISTRY, filled.id, ouder, contribution_id="c1", theme_id="nope")
    with pytest.raises(InvalidInput):
        services.place_contribution(repo, REGISTRY, filled.id, ouder, contribution_id="c1")
    services.go_to(repo, REGISTRY, filled.id, 1, 1)
    with pytest.raises(PhaseNotOpen):
        services.place_contribution(repo, REGISTRY, filled.id, ouder, contribution_id="c1", theme_id=theme)


def test_a_phone_proposes_themes_reuses_a_same_name_and_is_capped(repo: MemoryRepository, filled: WorkshopSession) -> None:
    place_phase(repo, filled)
    ouder = repo.list_participants(filled.id)[0]
    first, _events = services.place_contribution(repo, REGISTRY, filled.id, ouder, contribution_id="c1", new_theme="Samen")
    again, _events = services.place_contribution(repo, REGISTRY, filled.id, ouder, contribution_id="c3", new_theme=" samen ")
    assert again == first
    services.place_contribution(repo, REGISTRY, filled.id, ouder, contribution_id="c3", new_theme="Tijd")
    services.place_contribution(repo, REGISTRY, filled.id, ouder, contribution_id="c3", new_theme="Geld")
    with pytest.raises(LimitReached) as caught:
        services.place_contribution(repo, REGISTRY, filled.id, ouder, contribution_id="c3", new_theme="Meer")
    assert caught.value.params == {"limit": 3, "what": "themes"}
    board = repo.get_board(filled.id, filled.agenda[0].id)
    assert board is not None
    assert [(t.name, t.cards, t.origin) for t in board.themes] == [
        ("Samen", ("c1",), "participant"), ("Tijd", (), "participant"), ("Geld", ("c3",), "participant"),
    ]
    view = services.board_view(repo, REGISTRY, repo.get_session(filled.id), filled.agenda[0].id)
    assert ouder.id not in repr(view)


def test_votes_go_to_the_themes_once_the_board_has_them(repo: MemoryRepository, filled: WorkshopSession) -> None:
    session = repo.get_session(filled.id)
    stemmen = session.agenda[2]
    assert [t["id"] for t in services.vote_targets(repo, REGISTRY, session, stemmen)] == []  # rode_draden has no cards
    direct = room(repo, ("stemmen", {}))
    assert services.vote_targets(repo, REGISTRY, direct, direct.agenda[1]) == []
    board, _extra = edit(repo, filled, "add_theme", name="Vertrouwen", cards=["c1", "c2"])
    board, _extra = edit(repo, filled, "add_theme", name="Tijd", cards=["c3"])
    assert services.vote_targets(repo, REGISTRY, session, stemmen) == [
        {"id": f"theme:{board.themes[0].id}", "text": "Vertrouwen"},
        {"id": f"theme:{board.themes[1].id}", "text": "Tijd"},
    ]
