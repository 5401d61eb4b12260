"""Afspraken come back: the action points a bijeenkomst made go into its recap in the series, the next bijeenkomst's
terugblik shows them with their status, the facilitator changes that status there, and its verslag lists them."""

from __future__ import annotations

import dataclasses
import io
import threading
from pathlib import Path
from typing import Any

import docx
import pytest
from babel.support import Translations

from facilitator.core import services
from facilitator.core.domain import Afspraak, InvalidInput, NotFound, Series, SeriesRecap, WorkshopSession
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository, MemorySeries
from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries
from facilitator.verslag.docx import render_docx
from facilitator.verslag.html import render_html
from facilitator.verslag.markdown import render_markdown
from tests.support.afspraken import MADE
from tests.support.afspraken import bijeenkomsten as made_bijeenkomsten

REGISTRY = discover()
ROOT = Path(__file__).resolve().parents[2]


def bijeenkomsten(repo: Any, series_repo: Any) -> tuple[WorkshopSession, WorkshopSession]:
    return made_bijeenkomsten(repo, series_repo, REGISTRY)


@pytest.fixture
def stores() -> tuple[MemoryRepository, MemorySeries]:
    return MemoryRepository(), MemorySeries()


def statuses(terugblik: Any) -> list[tuple[str, str, str]]:
    return [(a.id, a.status, a.note) for a in terugblik.afspraken]


def publish(repo: Any, series_repo: Any, session: WorkshopSession) -> None:
    """What publishing the verslag does for the series."""
    report = services.verslag(repo, REGISTRY, series_repo, session.id)
    services.record_recap(repo, series_repo, session, report, registry=REGISTRY)


def test_the_afspraken_of_a_bijeenkomst_are_its_action_answers_never_a_hidden_one(stores) -> None:
    repo, series_repo = stores
    first, _second = bijeenkomsten(repo, series_repo)
    assert services.afspraken_of(repo, first, REGISTRY) == tuple(
        Afspraak(id=i, wat=wat, wie=wie, niveau=niveau, wanneer=wanneer) for i, wat, wie, niveau, wanneer in MADE)


def test_publishing_keeps_the_afspraken_in_the_recap_and_again_keeps_their_status(stores) -> None:
    repo, series_repo = stores
    first, second = bijeenkomsten(repo, series_repo)
    publish(repo, series_repo, first)
    [recap] = series_repo.get_series(first.series_id).recaps
    assert [(a.id, a.wie, a.niveau, a.status) for a in recap.afspraken] == [
        (i, wie, niveau, "open") for i, _wat, wie, niveau, _wanneer in MADE]
    assert "Geheim plan" not in repr(recap) and "Meer samenwerking" not in repr(recap)

    services.set_afspraak_status(repo, series_repo, second.id, "afspraak-0001", status="gedaan", note="Verstuurd")
    publish(repo, series_repo, first)  # published again (a download): the status stays
    [recap] = series_repo.get_series(first.series_id).recaps
    assert (recap.afspraken[0].status, recap.afspraken[0].note) == ("gedaan", "Verstuurd")


def test_the_next_terugblik_shows_the_afspraken_and_the_facilitator_changes_their_status(stores) -> None:
    repo, series_repo = stores
    first, second = bijeenkomsten(repo, series_repo)
    terugblik = services.previous_in_series(repo, series_repo, second, registry=REGISTRY)
    assert terugblik is not None
    assert statuses(terugblik) == [(i, "open", "") for i, *_rest in MADE]
    # Its verslag never went out: the first change makes the recap, with the afspraken.
    changed = services.set_afspraak_status(repo, series_repo, second.id, "afspraak-0002", status="loopt",
                                           note="  half   af ")
    assert (changed.status, changed.note, changed.wat) == ("loopt", "half af", "Wachtlijst in kaart brengen")
    services.set_afspraak_status(repo, series_repo, second.id, "afspraak-0001", status="gedaan")
    terugblik = services.previous_in_series(repo, series_repo, second, registry=REGISTRY)
    assert terugblik is not None
    assert statuses(terugblik) == [("afspraak-0001", "gedaan", ""), ("afspraak-0002", "loopt", "half af"),
                                   ("afspraak-0003", "open", "")]
    view = services.terugblik_view(terugblik)
    assert view is not None and view["afspraken"][0] == {
        "id": "afspraak-0001", "wat": "Rapport delen met de wethouder", "wie": "Gemeente", "niveau": "bestuur",
        "wanneer": "maart 2027", "status": "gedaan", "note": ""}
    # The first bijeenkomst has no previous one: nothing to change there.
    with pytest.raises(NotFound):
        services.set_afspraak_status(repo, series_repo, first.id, "afspraak-0001", status="gedaan")


@pytest.mark.parametrize(("afspraak", "status", "note", "field"), [
    ("afspraak-0001", "klaar", "", "status"), ("afspraak-0001", None, "", "status"),
    ("afspraak-0001", "gedaan", "x" * 201, "note"), ("afspraak-0001", "gedaan", ["x"], "note"),
])
def test_a_wrong_status_or_note_is_refused_and_changes_nothing(stores, afspraak, status, note, field) -> None:
    repo, series_repo = stores
    first, second = bijeenkomsten(repo, series_repo)
    with pytest.raises(InvalidInput) as caught:
        services.set_afspraak_status(repo, series_repo, second.id, afspraak, status=status, note=note)
    assert caught.value.params.get("field") == field
    assert series_repo.get_series(first.series_id).recaps == ()


def test_an_unknown_or_hidden_afspraak_is_not_found(stores) -> None:
    repo, series_repo = stores
    _first, second = bijeenkomsten(repo, series_repo)
    for unknown in ("afspraak-0004", "idee-0001", "nergens"):
        with pytest.raises(NotFound):
            services.set_afspraak_status(repo, series_repo, second.id, unknown, status="gedaan")


@pytest.mark.parametrize("keep", [False, True])
def test_the_afspraken_outlive_the_bijeenkomst_only_when_its_recap_is_kept(stores, keep: bool) -> None:
    repo, series_repo = stores
    first, second = bijeenkomsten(repo, series_repo)
    services.set_afspraak_status(repo, series_repo, second.id, "afspraak-0003", status="vervallen", note="Ingehaald")
    services.delete_session(repo, series_repo, first.id, keep_recap=keep, registry=REGISTRY)
    terugblik = services.previous_in_series(repo, series_repo, second, registry=REGISTRY)
    if not keep:
        assert terugblik is None and series_repo.get_series(first.series_id).recaps == ()
        return
    assert terugblik is not None
    assert statuses(terugblik) == [("afspraak-0001", "open", ""), ("afspraak-0002", "open", ""),
                                   ("afspraak-0003", "vervallen", "Ingehaald")]
    # Kept: still changeable from the recap alone.
    services.set_afspraak_status(repo, series_repo, second.id, "afspraak-0001", status="gedaan")
    terugblik = services.previous_in_series(repo, series_repo, second, registry=REGISTRY)
    assert terugblik is not None and statuses(terugblik)[0] == ("afspraak-0001", "gedaan", "")


def test_the_next_verslag_lists_the_afspraken_with_their_status(stores) -> None:
    repo, series_repo = stores
    first, second = bijeenkomsten(repo, series_repo)
    publish(repo, series_repo, first)
    services.set_afspraak_status(repo, series_repo, second.id, "afspraak-0001", status="gedaan")
    services.set_afspraak_status(repo, series_repo, second.id, "afspraak-0002", status="loopt", note="Na de zomer")
    report = services.verslag(repo, REGISTRY, series_repo, second.id)
    assert report.terugblik is not None
    assert report.terugblik.afspraak_lines == (
        "Rapport delen met de wethouder — Gemeente (Bestuur), maart 2027: gedaan",
        "Wachtlijst in kaart brengen — Jeugdteam (Uitvoering): loopt (Na de zomer)",
        "Beleidsnotitie herzien — Beleidsadviseur (Beleid), voor de zomer: open",
    )
    text = render_markdown(report)
    assert "### Afspraken van de vorige keer" in text
    assert "Rapport delen met de wethouder — Gemeente (Bestuur), maart 2027: gedaan" in text
    web = render_html(report)
    assert "<h3>Afspraken van de vorige keer</h3>" in web
    assert "<li>Wachtlijst in kaart brengen — Jeugdteam (Uitvoering): loopt (Na de zomer)</li>" in web
    word = docx.Document(io.BytesIO(render_docx(report)))
    paragraphs = [p.text for p in word.paragraphs]
    assert "Afspraken van de vorige keer" in paragraphs
    assert "Rapport delen met de wethouder — Gemeente (Bestuur), maart 2027: gedaan" in paragraphs
    # Also when the facilitator emptied the welcome (the structured terugblik stands in).
    services.edit_verslag(repo, second.id, {"welcome": ""})
    text = render_markdown(services.verslag(repo, REGISTRY, series_repo, second.id))
    assert "## Welkom\n\n### Tweede" not in text and "### Afspraken van de vorige keer" in text
    assert "- Beleidsnotitie herzien — Beleidsadviseur (Beleid), voor de zomer: open" in text
    english = services.verslag(repo, REGISTRY, series_repo, second.id, locale="en",
                               translator=Translations.load(str(ROOT / "translations"), ["en"]))
    assert english.terugblik is not None
    assert english.terugblik.afspraak_lines[1] == (
        "Wachtlijst in kaart brengen — Jeugdteam (Practice): in progress (Na de zomer)")


def test_recaps_with_afspraken_are_stored_and_read_back(tmp_path: Path) -> None:
    store = TinyDBSeries(tmp_path)
    recap = SeriesRecap(session_id="s1", title="Eerste", date="2026-11-05", afspraken=(
        Afspraak(id="afspraak-0001", wat="Rapport delen", wie="Gemeente", niveau="bestuur", wanneer="maart",
                 status="gedaan", note="Verstuurd"),))
    store.save_series(Series(id="r1", name="Reeks", created_at=1.0, recaps=(recap,)))
    assert TinyDBSeries(tmp_path).get_series("r1").recaps == (recap,)


class MeetingSeries:
    """The TinyDB series store, but every thread's first read waits until the other thread read too: both
    changes start from the same version, so one of them meets a newer version when it saves."""

    def __init__(self, inner: TinyDBSeries, parties: int) -> None:
        self.inner, self.barrier, self.seen = inner, threading.Barrier(parties, timeout=10), threading.local()

    def get_series(self, series_id: str) -> Series:
        found = self.inner.get_series(series_id)
        if not getattr(self.seen, "read", False):
            self.seen.read = True
            self.barrier.wait()
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.mark.parametrize("published", [False, True])
def test_two_status_changes_racing_both_stay(tmp_path: Path, published: bool) -> None:
    repo, series_repo = TinyDBRepository(tmp_path), TinyDBSeries(tmp_path)
    first, second = bijeenkomsten(repo, series_repo)
    if published:
        publish(repo, series_repo, first)
    meeting = MeetingSeries(series_repo, 3)
    changes = [("afspraak-0001", "gedaan"), ("afspraak-0002", "loopt"), ("afspraak-0003", "vervallen")]
    errors: list[BaseException] = []

    def change(afspraak: str, status: str) -> None:
        try:
            services.set_afspraak_status(repo, meeting, second.id, afspraak, status=status, note=f"door {status}",
                                         registry=REGISTRY)
        except BaseException as exc:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=change, args=pair) for pair in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    # Read back from the file, as a restarted server would.
    again = services.previous_in_series(TinyDBRepository(tmp_path), TinyDBSeries(tmp_path), second,
                                        registry=REGISTRY)
    assert again is not None
    assert statuses(again) == [(a, s, f"door {s}") for a, s in changes]
    assert len(TinyDBSeries(tmp_path).get_series(first.series_id).recaps) == 1


def test_many_status_changes_at_once_against_the_file_all_stay(tmp_path: Path) -> None:
    repo, series_repo = TinyDBRepository(tmp_path), TinyDBSeries(tmp_path)
    _first, second = bijeenkomsten(repo, series_repo)
    ids = [i for i, *_rest in MADE]
    go = threading.Barrier(6, timeout=10)
    errors: list[BaseException] = []

    def change(afspraak: str, note: str) -> None:
        try:
            go.wait()
            services.set_afspraak_status(repo, series_repo, second.id, afspraak, status="loopt", note=note,
                                         registry=REGISTRY)
        except BaseException as exc:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(exc)

    # Two rounds on each afspraak at once; the last note of each is one of its two, and every afspraak changed.
    threads = [threading.Thread(target=change, args=(a, f"{a} ronde {n}")) for n in (1, 2) for a in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    again = services.previous_in_series(TinyDBRepository(tmp_path), TinyDBSeries(tmp_path), second,
                                        registry=REGISTRY)
    assert again is not None
    assert [a.status for a in again.afspraken] == ["loopt"] * 3
    assert all(a.note in (f"{a.id} ronde 1", f"{a.id} ronde 2") for a in again.afspraken)


def test_an_afspraak_made_again_keeps_its_status_by_id() -> None:
    made = (Afspraak(id="a", wat="Nieuw"), Afspraak(id="b", wat="Ander"))
    noted = (Afspraak(id="a", wat="Oud", status="gedaan", note="ok"), Afspraak(id="weg", wat="Weg", status="loopt"))
    assert services.series._merged(made, noted) == (
        dataclasses.replace(made[0], status="gedaan", note="ok"), made[1])
