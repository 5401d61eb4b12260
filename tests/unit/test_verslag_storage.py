"""The verslag's data on disk: edits, addresses, the send log and series survive a restart; deletion is for real."""

from __future__ import annotations

from pathlib import Path

from facilitator.core import services
from facilitator.core.domain import MailLogEntry, MailOptIn, Organiser, Series, SeriesRecap
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries
from facilitator.testing.verslag import afternoon

REGISTRY = discover()
CANARY = "KANARIE-7f3a9c"


def files_containing(folder: Path, needle: str) -> list[str]:
    """Return every file under folder whose bytes hold the needle (plain or JSON-escaped)."""
    forms = {needle.encode("utf-8"), needle.encode("unicode_escape")}
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
                  and any(form in p.read_bytes() for form in forms))


def test_report_edits_opt_ins_and_send_log_survive_a_restart(tmp_path: Path) -> None:
    repo, series = TinyDBRepository(tmp_path), TinyDBSeries(tmp_path)
    afternoon(repo, series)
    services.edit_verslag(repo, "middag2", {"wrap_up": ["Roddelmethode – anders kijken"], "appendix": True})
    repo.put_mail_optin("middag2", MailOptIn("p01", "ouder@example.org", 5.0))
    repo.put_mail_optin("middag2", MailOptIn("p02", "zorg@example.org", 6.0))
    repo.add_mail_log("middag2", MailLogEntry("ouder@example.org", 7.0, "verslag", "sent"))
    again, series_again = TinyDBRepository(tmp_path), TinyDBSeries(tmp_path)
    assert again.get_report_edits("middag2") == {"wrap_up": ["Roddelmethode – anders kijken"], "appendix": True}
    assert again.list_mail_optins("middag2") == [MailOptIn("p01", "ouder@example.org", 5.0),
                                                 MailOptIn("p02", "zorg@example.org", 6.0)]
    assert again.list_mail_log("middag2") == [MailLogEntry("ouder@example.org", 7.0, "verslag", "sent")]
    assert series_again.get_series("reeks1").organisers[0] == Organiser(
        name="Anna de Vries", function="Beleidsadviseur", organisation="Samenwerkingsverband Noord",
        phone="072-1234567", email="a.devries@example.org")


def test_a_changed_or_withdrawn_address_is_gone_from_disk(tmp_path: Path) -> None:
    repo = TinyDBRepository(tmp_path)
    afternoon(repo, TinyDBSeries(tmp_path))
    repo.put_mail_optin("middag2", MailOptIn("p01", "oud-adres@example.org", 5.0))
    repo.put_mail_optin("middag2", MailOptIn("p01", "nieuw-adres@example.org", 6.0))
    assert files_containing(tmp_path, "oud-adres@example.org") == []
    assert repo.list_mail_optins("middag2") == [MailOptIn("p01", "nieuw-adres@example.org", 6.0)]
    assert repo.remove_mail_optin("middag2", "p01") is True
    assert repo.remove_mail_optin("middag2", "p01") is False
    assert files_containing(tmp_path, "nieuw-adres@example.org") == []
    assert TinyDBRepository(tmp_path).list_mail_optins("middag2") == []


def test_series_recaps_round_trip(tmp_path: Path) -> None:
    store = TinyDBSeries(tmp_path)
    recap = SeriesRecap(session_id="s1", title="Eerste", date="2026-01-01", ordinal=1,
                        rode_draden=("Erkenning",), rode_draad="Samen.", questions=("Hoe verder?",))
    store.save_series(Series(id="r1", name="Reeks", created_at=1.0, recaps=(recap,)))
    assert TinyDBSeries(tmp_path).get_series("r1").recaps == (recap,)


def test_deleting_a_bijeenkomst_leaves_no_trace_of_its_contributions_anywhere_in_the_data_folder(
    tmp_path: Path,
) -> None:
    repo, series = TinyDBRepository(tmp_path), TinyDBSeries(tmp_path)
    afternoon(repo, series, hidden_text=f"Verborgen {CANARY} tekst")
    contribution = repo.list_contributions("middag2")[3]
    repo.update_contribution("middag2", contribution.__class__(**{**contribution.__dict__,
                                                                   "text": f"Zichtbaar {CANARY}"}))
    services.edit_verslag(repo, "middag2", {"block.buf1/vangnet.group.solidariteit": [f"Bewerkt {CANARY}"],
                                            "appendix": True})
    repo.put_mail_optin("middag2", MailOptIn("p01", f"{CANARY.lower()}@example.org", 5.0))
    repo.add_mail_log("middag2", MailLogEntry(f"{CANARY.lower()}@example.org", 6.0, "verslag", "sent"))
    # Publishing keeps the accepted theme names (not the contributions) in the series, for the next terugblik.
    services.record_recap(repo, series, repo.get_session("middag2"),
                          services.verslag(repo, REGISTRY, series, "middag2"))
    assert files_containing(tmp_path, CANARY) != [] and files_containing(tmp_path, CANARY.lower()) != []

    # The facilitator ticks "Bewaar de terugblik".
    services.delete_session(repo, series, "middag2", keep_recap=True)

    assert files_containing(tmp_path, CANARY) == []
    assert files_containing(tmp_path, CANARY.lower()) == []
    assert sorted(p.name for p in (tmp_path / "sessions").iterdir()) == []
    assert series.get_series("reeks1").recaps[0].rode_draden == ("Erkenning en kracht", "Niet oordelen")
    assert TinyDBRepository(tmp_path).list_sessions() == []
