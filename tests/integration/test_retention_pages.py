"""The host pages about retention and the series' terugblik: a past date explained, the dashboard saying when each
bijeenkomst goes (keep longer, agree), the verslag page saying what the terugblik keeps, the board's "approve"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from typing import Any

from facilitator.core import services
from facilitator.core.domain import Board, Theme
from facilitator.testing.verslag import afternoon


def page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def announce(deps: Any, days: int = 31) -> services.PurgeReport:
    """What a start of the server `days` from now does."""
    return services.purge_at_start(deps.repo, deps.series, deps.notices,
                                   today=dt.date.today() + dt.timedelta(days=days))


def test_a_past_date_is_explained_when_creating_by_form_or_json(host_http: Any, deps: Any) -> None:
    made = host_http.post("/host/sessions", json={"title": "Achteraf", "date": "2024-10-07"}).get_json()
    kept_until = dt.date.today() + dt.timedelta(days=30)
    assert "De datum 7 oktober 2024 ligt in het verleden. Dat mag" in made["notice"]
    assert "telt vanaf het laatste gebruik" in made["notice"]
    assert "bewaard tot en met" in made["notice"] and str(kept_until.year) in made["notice"]
    today = host_http.post("/host/sessions", json={"title": "Vandaag"}).get_json()
    assert "notice" not in today

    # The form goes to the prepare page, where the date and the retention period are, with the same words.
    response = host_http.post("/host/sessions", data={"title": "Achteraf", "date": "2024-10-07"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/voorbereiden#gegevens")
    prepared = page(host_http.get(response.headers["Location"]))
    assert 'id="past-date"' in prepared and "ligt in het verleden" in prepared
    assert "De termijn telt vanaf de datum of vanaf het laatste gebruik" in prepared
    # A copy with a past date lands on the same page, with the same words.
    copied = host_http.post(f"/host/s/{today['id']}/kopie", data={"title": "Kopie", "date": "2024-10-08"})
    assert copied.status_code == 303 and "/voorbereiden" in copied.headers["Location"]
    assert "De datum 8 oktober 2024 ligt in het verleden" in page(host_http.get(copied.headers["Location"]))
    future = host_http.post("/host/sessions", data={"title": "Straks", "date": "2099-01-01"})
    assert future.headers["Location"].endswith("/voorbereiden")  # every new one opens there; no notice to show
    assert 'id="past-date"' not in page(host_http.get(f"/host/s/{today['id']}/voorbereiden"))


def test_the_dashboard_says_when_each_bijeenkomst_goes_and_offers_to_keep_an_announced_one(
    host_http: Any, deps: Any
) -> None:
    afternoon(deps.repo, deps.series)
    other = host_http.post("/host/sessions", json={"title": "Nieuw"}).get_json()
    shown = page(host_http.get("/host/"))
    kept_until = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    assert shown.count(f'data-kept-until="{kept_until}"') == 2
    assert "Wordt verwijderd bij de volgende start" not in shown

    report = announce(deps)
    assert sorted(s.id for s, _until in report.announced) == sorted(["middag2", other["id"]])
    assert all(not n.shown_at for n in deps.notices.list_notices())
    shown = page(host_http.get("/host/"))
    assert 'id="verwijderen-aangekondigd"' in shown
    assert shown.count("Wordt verwijderd bij de volgende start van Rode Draad") == 2
    assert all(n.shown_at for n in deps.notices.list_notices())  # seen: the next start may delete them
    # Only a bijeenkomst of a series has a terugblik to keep.
    assert shown.count("Bewaar de terugblik (alleen geaccepteerde themanamen en de afspraken) voor de volgende bijeenkomst") == 1

    kept = host_http.post(f"/host/s/{other['id']}/bewaren")
    assert kept.status_code == 303 and "bewaard=" in kept.headers["Location"]
    assert deps.repo.get_session(other["id"]).retention_days == 60
    agreed = host_http.post("/host/s/middag2/verwijderen-akkoord", data={"keep_recap": "1"})
    assert agreed.status_code == 303
    [notice] = deps.notices.list_notices()
    assert (notice.session_id, notice.confirmed, notice.keep_recap) == ("middag2", True, True)

    report = announce(deps, 32)
    assert [s.id for s in report.deleted] == ["middag2"]
    assert [s.id for s in deps.repo.list_sessions()] == [other["id"]]
    assert host_http.post("/host/s/nope/bewaren").status_code == 404
    assert host_http.post(f"/host/s/{other['id']}/verwijderen-akkoord").status_code == 404  # nothing announced


def test_keeping_and_agreeing_are_refused_from_another_site(host_http: Any, deps: Any) -> None:
    made = host_http.post("/host/sessions", json={"title": "Nieuw"}).get_json()
    evil = {"Origin": "http://evil.example"}
    assert host_http.post(f"/host/s/{made['id']}/bewaren", headers=evil).status_code == 403
    assert host_http.post(f"/host/s/{made['id']}/verwijderen-akkoord", headers=evil).status_code == 403


def test_the_verslag_page_says_what_the_terugblik_keeps_and_what_stays_out(host_http: Any, deps: Any) -> None:
    made = afternoon(deps.repo, deps.series)
    board = deps.repo.get_board("middag2", "buf1")
    deps.repo.save_board("middag2", dataclasses.replace(board, version=board.version + 1, themes=(
        *board.themes,
        Theme(id="t-auto", name="wachtlijst · school…", origin="suggestion"),
        Theme(id="t-typed", name="Bel 0612345678", accepted=True),
    )))
    shown = page(host_http.get(f"/host/s/{made.session.id}/verslag"))
    assert '<ul class="recap-names"><li>Erkenning en kracht</li><li>Niet oordelen</li></ul>' in shown
    assert "wachtlijst · school… <span class=\"muted\">(niet goedgekeurd op het bord)</span>" in shown
    assert "Bel 0612345678 <span class=\"muted\">(lijkt persoonsgegevens te bevatten: telefoonnummer)</span>" in shown
    assert 'name="keep_recap" value="1"' in shown


def test_approving_a_theme_name_with_personal_data_is_refused_with_a_clear_message(
    deps: Any, bijeenkomst: dict[str, Any], host_socket: Any
) -> None:
    item = deps.repo.get_session(bijeenkomst["id"]).agenda[0].id
    deps.repo.save_board(bijeenkomst["id"], Board(agenda_item_id=item, version=1, themes=(
        Theme(id="t-1", name="Mail jan@example.org", origin="suggestion"),
        Theme(id="t-2", name="Vertrouwen", origin="participant"),
    )))
    host_socket.get_received()
    refused = host_socket.emit("edit_board", {"session": bijeenkomst["id"], "item": item, "action": "accept_theme",
                                              "theme": "t-1"}, callback=True)
    assert refused["ok"] is False
    assert refused["error"]["message"] == (
        "Deze naam lijkt persoonsgegevens te bevatten (e-mailadres), dus hij gaat niet naar de terugblik van de "
        "reeks. Geef het thema een naam zonder persoonsgegevens.")
    approved = host_socket.emit("edit_board", {"session": bijeenkomst["id"], "item": item, "action": "accept_theme",
                                               "theme": "t-2"}, callback=True)
    assert approved["ok"] is True
    [(_name, changed)] = [(m["name"], m["args"][0]) for m in host_socket.get_received()
                          if m["name"] == "board_changed"]
    assert [(t["name"], t["accepted"]) for t in changed["board"]["themes"]] == [
        ("Mail jan@example.org", False), ("Vertrouwen", True)]
