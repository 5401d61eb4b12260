"""Moderation before projection and what the beamer may show, on the in-memory repository."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from facilitator.core import services
from facilitator.core.domain import (
    ContributionChanged,
    ContributionNotFound,
    InvalidInput,
    InvalidWorkFormat,
    NotFound,
    Participant,
    Perspective,
    StaleVersion,
    validate_settings,
)
from facilitator.core.domain.events import BeamerViewChanged
from facilitator.core.registry import discover
from facilitator.storage.codec import contribution_from_doc, session_from_doc
from facilitator.storage.memory import MemoryRepository

REGISTRY = discover()


@pytest.fixture
def repo() -> MemoryRepository:
    return MemoryRepository()


def _room(repo: MemoryRepository, **settings: Any) -> Any:
    """A bijeenkomst at an open vraag with the given settings."""
    session = services.create_session(repo, REGISTRY, title="Beamer", date="2026-11-25")
    item = session.agenda[0]
    services.update_agenda_item(repo, REGISTRY, session.id, item.id, settings)
    return repo.get_session(session.id)


def _send(repo: MemoryRepository, session: Any, participant: Participant, text: str, n: int = 0) -> Any:
    contribution, _events = services.submit_contribution(
        repo, REGISTRY, session.id, participant, client_id=f"client-{text[:8].replace(' ', '-')}-{n:04d}", text=text
    )
    return contribution


# -- the setting -----------------------------------------------------------------------------------


def test_approve_first_is_a_setting_of_every_werkvorm_and_must_be_true_or_false() -> None:
    for workformat in REGISTRY:
        assert validate_settings(workformat, {"approve_first": True}) == {"approve_first": True}
    with pytest.raises(InvalidWorkFormat, match="settings.approve_first"):
        validate_settings(REGISTRY.get("open_vraag"), {"approve_first": "ja"})


def test_old_documents_load_with_the_new_fields_defaulted(repo: MemoryRepository) -> None:
    session = _room(repo)
    doc = dataclasses.asdict(session)
    for name in ("privacy_threshold", "beamer_large", "beamer_qr"):
        doc.pop(name)
    loaded = session_from_doc(doc)
    assert (loaded.privacy_threshold, loaded.beamer_large, loaded.beamer_qr) == (3, False, "auto")
    old = {"id": "c-000001", "participant_id": "p", "agenda_item_id": "i", "phase_id": "a", "kind": "antwoord",
           "text": "oud", "created_at": 1.0}
    assert contribution_from_doc(old).approved is False


# -- approval --------------------------------------------------------------------------------------


def test_without_the_setting_nothing_waits(repo: MemoryRepository) -> None:
    session = _room(repo)
    phone = services.join(repo, session.id)[0]
    contribution = _send(repo, session, phone, "Meer tijd")
    item = session.agenda[0]
    assert services.contribution_status(item, contribution) == "sent"
    assert services.pending_contributions(repo, session, item.id) == []
    assert services.room_may_see(session, None, item, contribution)


def test_with_the_setting_a_contribution_waits_until_approved(repo: MemoryRepository) -> None:
    session = _room(repo, approve_first=True)
    item = session.agenda[0]
    phone = services.join(repo, session.id)[0]
    contribution = _send(repo, session, phone, "Meer tijd")
    assert contribution.approved is False
    assert services.contribution_status(item, contribution) == "pending"
    assert not services.room_may_see(session, None, item, contribution)
    assert [c.id for c in services.pending_contributions(repo, session, item.id)] == [contribution.id]

    approved, events = services.approve_contribution(repo, session.id, contribution.id)
    assert approved.approved is True and approved.version == contribution.version + 1
    assert events == [ContributionChanged(session_id=session.id, contribution=approved)]
    assert services.contribution_status(item, approved) == "sent"
    assert services.room_may_see(session, None, item, approved)
    # Approving twice changes nothing and announces nothing.
    again, events = services.approve_contribution(repo, session.id, contribution.id)
    assert (again, events) == (approved, [])
    # Held back again.
    back, _events = services.approve_contribution(repo, session.id, contribution.id, False)
    assert services.contribution_status(item, back) == "pending"


def test_a_hidden_contribution_never_reaches_the_room_even_approved(repo: MemoryRepository) -> None:
    session = _room(repo, approve_first=True)
    item = session.agenda[0]
    phone = services.join(repo, session.id)[0]
    contribution = _send(repo, session, phone, "Bel 06-12345678")
    services.approve_contribution(repo, session.id, contribution.id)
    hidden, _ = services.set_contribution_hidden(repo, session.id, contribution.id, True)
    assert hidden.approved is True
    assert services.contribution_status(item, hidden) == "hidden"
    assert not services.room_may_see(session, None, item, hidden)
    assert services.pending_contributions(repo, session, item.id) == []


def test_approve_all_approves_the_current_items_pending_ones_once(repo: MemoryRepository) -> None:
    session = _room(repo, approve_first=True)
    item = session.agenda[0]
    phones = [services.join(repo, session.id)[0] for _ in range(3)]
    sent = [_send(repo, session, p, f"Antwoord {n}", n) for n, p in enumerate(phones)]
    services.set_contribution_hidden(repo, session.id, sent[2].id, True)
    approved, events = services.approve_all(repo, session.id)
    assert sorted(c.id for c in approved) == sorted(c.id for c in sent[:2])
    assert len(events) == 2 and all(isinstance(e, ContributionChanged) for e in events)
    assert repo.get_contribution(session.id, sent[2].id).approved is False  # hidden: left alone
    assert services.approve_all(repo, session.id, item.id) == ([], [])
    with pytest.raises(NotFound):
        services.approve_all(repo, session.id, "no-such-item")
    with pytest.raises(InvalidInput):
        services.approve_all(repo, session.id, 7)


def test_approve_an_unknown_contribution(repo: MemoryRepository) -> None:
    session = _room(repo)
    with pytest.raises(ContributionNotFound):
        services.approve_contribution(repo, session.id, "no-such-id")


def test_approval_is_retried_on_a_stale_save_and_keeps_a_hide_made_meanwhile(repo: MemoryRepository) -> None:
    session = _room(repo, approve_first=True)
    phone = services.join(repo, session.id)[0]
    contribution = _send(repo, session, phone, "Meer tijd")
    real_update = repo.update_contribution
    raced = []

    def update_after_a_hide(session_id: str, changed: Any) -> Any:
        if not raced:  # the host's other screen hides it between our read and our save
            raced.append(True)
            real_update(session_id, contribution.with_hidden(True))
        return real_update(session_id, changed)

    repo.update_contribution = update_after_a_hide  # type: ignore[method-assign]
    approved, _events = services.approve_contribution(repo, session.id, contribution.id)
    assert approved.approved is True and approved.hidden is True
    repo.update_contribution = real_update  # type: ignore[method-assign]
    with pytest.raises(StaleVersion):
        real_update(session.id, dataclasses.replace(contribution, approved=True))


def test_a_resubmitted_table_advice_with_new_text_waits_again(repo: MemoryRepository) -> None:
    session = services.create_session(repo, REGISTRY, title="Advies", date="2026-11-25")
    services.set_tables(repo, session.id, ["Maan", "Zon"])
    item, _ = services.add_agenda_item(repo, REGISTRY, session.id, "tafeladvies", {"approve_first": True})
    services.go_to(repo, REGISTRY, session.id, 1, 0)
    phone = services.join(repo, session.id, table=1)[0]
    draft, _ = services.save_table_draft(repo, REGISTRY, session.id, phone, kind="advies", slot=1,
                                         text="Eerste advies", base_version=0)
    [first], _ = services.submit_table_drafts(repo, REGISTRY, session.id, phone, kind="advies")
    services.approve_contribution(repo, session.id, first.id)
    services.save_table_draft(repo, REGISTRY, session.id, phone, kind="advies", slot=1, text="Nieuw advies",
                              base_version=draft.version)
    [second], _ = services.submit_table_drafts(repo, REGISTRY, session.id, phone, kind="advies")
    assert second.id == first.id and second.text == "Nieuw advies"
    assert services.contribution_status(repo.get_session(session.id).agenda_item(item.id), second) == "pending"


# -- small-group privacy -----------------------------------------------------------------------------


def _participant(number: int, table: int | None, perspective: str | None) -> Participant:
    return Participant(id=f"p{number}", token_hash=f"h{number}", joined_at=1.0, table=table,
                       perspective=Perspective(perspective) if perspective else None, number=number)


def _contribution(table: int | None, perspective: str | None, slot: int | None = None) -> Any:
    from facilitator.core.domain import Contribution

    return Contribution(id="c-00000001", participant_id="p1", agenda_item_id="i", phase_id="a", kind="antwoord",
                        text="tekst", created_at=1.0, table=table,
                        perspective=Perspective(perspective) if perspective else None, slot=slot)


def test_the_one_parent_at_a_table_is_never_singled_out() -> None:
    # Table 1: one parent and two teachers; in the room four parents.
    room = [_participant(1, 1, "ouder"), _participant(2, 1, "onderwijs"), _participant(3, 1, "onderwijs"),
            _participant(4, 2, "ouder"), _participant(5, 2, "ouder"), _participant(6, 3, "ouder"),
            _participant(7, None, None)]
    sizes = services.group_sizes(room)
    assert sizes.tables == {1: 3, 2: 2, 3: 1}
    assert sizes.perspectives == {"ouder": 4, "onderwijs": 2}
    # The parent at table 1: table and perspective together would single them out; the table alone does not.
    assert services.shown_origin(_contribution(1, "ouder"), sizes, 3) == (1, None)
    # At table 2 only two sit: no table; four parents in the room: the perspective alone.
    assert services.shown_origin(_contribution(2, "ouder"), sizes, 3) == (None, "ouder")
    # Two teachers in the room: nothing.
    assert services.shown_origin(_contribution(3, "onderwijs"), sizes, 3) == (None, None)
    assert services.shown_origin(_contribution(None, None), sizes, 3) == (None, None)
    # With a threshold of 1 everything shows; with 5 nothing does.
    assert services.shown_origin(_contribution(1, "ouder"), sizes, 1) == (1, "ouder")
    assert services.shown_origin(_contribution(1, "ouder"), sizes, 5) == (None, None)
    # A table's own advice keeps its table and never shows the perspective of whoever submitted it.
    assert services.shown_origin(_contribution(3, "ouder", slot=1), sizes, 3) == (3, None)


def test_three_at_a_table_with_the_same_perspective_show_both() -> None:
    room = [_participant(n, 1, "zorg") for n in range(1, 4)]
    assert services.shown_origin(_contribution(1, "zorg"), services.group_sizes(room), 3) == (1, "zorg")


def test_the_threshold_is_a_detail_of_the_bijeenkomst(repo: MemoryRepository) -> None:
    session = _room(repo)
    assert session.privacy_threshold == 3
    changed, _ = services.update_session_details(repo, session.id, {"privacy_threshold": "5"})
    assert changed.privacy_threshold == 5
    for bad in (0, 100, "drie", True, -1):
        with pytest.raises(InvalidInput) as refused:
            services.update_session_details(repo, session.id, {"privacy_threshold": bad})
        assert refused.value.params["field"] == "privacy_threshold"
    copy = services.copy_session(repo, REGISTRY, session.id, title="Kopie", date="2026-12-01")
    assert copy.privacy_threshold == 5


# -- the beamer's view -----------------------------------------------------------------------------


def test_the_beamer_gets_only_what_the_room_may_see(repo: MemoryRepository) -> None:
    session = _room(repo, approve_first=True)
    phones = [services.join(repo, session.id, table=1, perspective=Perspective.OUDER)[0] for _ in range(3)]
    approved = _send(repo, session, phones[0], "Goedgekeurd antwoord")
    pending = _send(repo, session, phones[1], "Nog niet goedgekeurd")
    hidden = _send(repo, session, phones[2], "Verborgen antwoord")
    services.approve_contribution(repo, session.id, approved.id)
    services.approve_contribution(repo, session.id, hidden.id)
    services.set_contribution_hidden(repo, session.id, hidden.id, True)
    session = repo.get_session(session.id)
    step = services.current_step(REGISTRY, session)
    sizes = services.group_sizes(repo.list_participants(session.id))
    shown = services.beamer_contributions(repo, REGISTRY, session, step, sizes)
    assert [c["text"] for c in shown] == ["Goedgekeurd antwoord"]
    assert shown[0]["table"] == 1 and shown[0]["perspective"] == "ouder"
    assert set(shown[0]) == {"id", "agenda_item", "phase", "kind", "text", "created_at", "table", "perspective",
                             "bucket", "tags", "ranking", "owner", "due", "function", "starred", "slot"}
    assert pending.id not in {c["id"] for c in shown}


def test_concealed_answers_are_only_counted(repo: MemoryRepository) -> None:
    session = _room(repo, hidden={"antwoorden": True})
    phone = services.join(repo, session.id)[0]
    _send(repo, session, phone, "Verborgen tot onthullen")
    session = repo.get_session(session.id)
    step = services.current_step(REGISTRY, session)
    sizes = services.group_sizes(repo.list_participants(session.id))
    assert services.beamer_contributions(repo, REGISTRY, session, step, sizes) == []
    assert services.concealed_count(repo, session, step) == 1
    services.reveal_phase(repo, REGISTRY, session.id)
    session = repo.get_session(session.id)
    assert [c["text"] for c in services.beamer_contributions(repo, REGISTRY, session, step, sizes)] == [
        "Verborgen tot onthullen"]
    assert services.concealed_count(repo, session, step) == 0


def test_votes_and_board_leave_out_pending_cards_and_unapproved_proposals(repo: MemoryRepository) -> None:
    session = _room(repo, approve_first=True)
    first = session.agenda[0]
    phones = [services.join(repo, session.id)[0] for _ in range(2)]
    shown = _send(repo, session, phones[0], "Goedgekeurd")
    waiting = _send(repo, session, phones[1], "Wacht nog")
    services.approve_contribution(repo, session.id, shown.id)
    vote_item, _ = services.add_agenda_item(repo, REGISTRY, session.id, "stemmen", {})
    session = repo.get_session(session.id)
    votes = services.beamer_votes(repo, REGISTRY, session, session.agenda_item(vote_item.id))
    assert votes["targets"] == [{"id": shown.id, "text": "Goedgekeurd"}]
    assert votes["tallies"] == {shown.id: 0}

    services.edit_board(repo, REGISTRY, session.id, first.id, "add_theme", {"name": "Tijd", "cards": [shown.id]})
    board = services.beamer_board(repo, REGISTRY, session, first)
    assert [t["name"] for t in board["themes"]] == ["Tijd"]
    assert board["themes"][0]["cards"] == [{"id": shown.id, "text": "Goedgekeurd"}]
    assert waiting.id not in str(board)


def test_the_beamer_view_is_switched_and_stored(repo: MemoryRepository) -> None:
    session = _room(repo)
    changed, events = services.set_beamer_view(repo, session.id, large=True, qr="small")
    assert (changed.beamer_large, changed.beamer_qr) == (True, "small")
    assert events == [BeamerViewChanged(session=changed)]
    assert services.set_beamer_view(repo, session.id, large=True)[1] == []
    with pytest.raises(InvalidInput) as refused:
        services.set_beamer_view(repo, session.id, qr="enorm")
    assert refused.value.params["field"] == "qr"
    with pytest.raises(InvalidInput):
        services.set_beamer_view(repo, session.id, large="ja")
