"""Afspraken come back, through the app: phones make afspraken in a composed werkvorm over Socket.IO, the verslag
goes out, the next bijeenkomst's regie shows them in its terugblik, the facilitator sets their status there (HTTP),
and the next verslag lists them with that status."""

from __future__ import annotations

import datetime as dt
import html
import threading
from typing import Any

import pytest

from facilitator.core import services
from tests.conftest import HOST_KEY
from tests.support.rooms import Room

COMPOSITION = {"composition": {"name": "Afspraken maken", "phases": [
    {"title": "Afspraken", "prompt": "Wat spreken we af, wie pakt het op en wanneer?", "answer": "action"},
]}}
MADE = (
    ("afspraak-0001", "Rapport delen met de wethouder", "Gemeente", "bestuur", "maart 2027"),
    ("afspraak-0002", "Wachtlijst <b>in kaart</b> brengen", "Jeugdteam", "uitvoering", ""),
    ("afspraak-0003", "Beleidsnotitie herzien", "Beleidsadviseur", "beleid", "voor de zomer"),
)


@pytest.fixture
def room(deps: Any, bijeenkomst: dict[str, Any], host_socket: Any, phones: Any) -> Room:
    made = Room(deps, bijeenkomst, host_socket, phones)
    made.drain()
    return made


def page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def first_and_second(room: Room, host_http: Any) -> str:
    """Make the afspraken in the room's bijeenkomst, publish its verslag, and plan the next one; return its id."""
    services.save_series_details(room.deps.repo, room.deps.series, room.id, name="Jeugd in de wijk", motto="",
                                 organisers=[])
    room.add("samengesteld", COMPOSITION)
    phone, woordvoerder = room.join(), room.join()
    room.go(1, "f1")
    for i, (client_id, wat, wie, niveau, wanneer) in enumerate(MADE):
        ack = room.send(phone if i % 2 else woordvoerder, "submit_contribution", client_id=client_id, kind="a1",
                        text=wat, tags=[niveau], owner=wie, due=wanneer)
        assert ack == {"ok": True, "id": client_id}
    assert room.send(phone, "submit_contribution", client_id="afspraak-0004", kind="a1", text="Geheim plan",
                     tags=["beleid"], owner="Niemand", due="")["ok"] is True
    assert room.as_host("set_contribution_hidden", id="afspraak-0004", hidden=True)["ok"] is True
    assert host_http.get(f"/host/s/{room.id}/verslag.md").status_code == 200  # the verslag went out
    later = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    copied = host_http.post(f"/host/s/{room.id}/kopie", data={"title": "Tweede dialoog", "date": later})
    assert copied.status_code == 303
    return str(copied.headers["Location"]).split("/s/")[1].split("/")[0]


def change(client: Any, session_id: str, afspraak: str, **body: Any) -> Any:
    return client.post(f"/host/s/{session_id}/terugblik/afspraken/{afspraak}", json=body)


def test_afspraken_come_back_in_the_next_terugblik_and_verslag_with_their_status(room: Room, host_http: Any) -> None:
    second = first_and_second(room, host_http)
    # The first's verslag page says the afspraken go along with the terugblik (not the hidden one).
    preview = page(host_http.get(f"/host/s/{room.id}/verslag"))
    assert "Ook de afspraken gaan mee" in preview and "Rapport delen met de wethouder — Gemeente" in preview
    assert "Geheim plan" not in preview
    assert "Bewaar de terugblik (alleen geaccepteerde themanamen en de afspraken)" in preview
    regie = page(host_http.get(f"/host/s/{second}"))
    assert "Afspraken van de vorige keer" in regie
    for client_id, wat, wie, _niveau, _wanneer in MADE:
        assert f'data-afspraak="{client_id}" data-status="open"' in regie
        assert wat in regie and wie in regie
    assert "Gemeente (Bestuur) · maart 2027" in regie and "Jeugdteam (Uitvoering)" in regie
    assert "Geheim plan" not in regie
    # Typed by a phone: escaped, never markup.
    assert "Wachtlijst &lt;b&gt;in kaart&lt;/b&gt; brengen" in host_http.get(f"/host/s/{second}").get_data(as_text=True)

    done = change(host_http, second, "afspraak-0001", status="gedaan", note="Verstuurd op 3 januari")
    assert done.status_code == 200
    assert done.get_json() == {"ok": True, "afspraak": {"id": "afspraak-0001", "status": "gedaan",
                                                       "note": "Verstuurd op 3 januari"}}
    assert change(host_http, second, "afspraak-0002", status="loopt").status_code == 200
    regie = page(host_http.get(f"/host/s/{second}"))
    assert 'data-afspraak="afspraak-0001" data-status="gedaan"' in regie
    assert 'value="Verstuurd op 3 januari"' in regie

    verslag = host_http.get(f"/host/s/{second}/verslag.md").get_data(as_text=True)
    assert "### Afspraken van de vorige keer" in verslag
    assert "- Rapport delen met de wethouder — Gemeente (Bestuur), maart 2027: gedaan (Verstuurd op 3 januari)" in verslag
    assert "Jeugdteam (Uitvoering): loopt" in verslag
    assert "- Beleidsnotitie herzien — Beleidsadviseur (Beleid), voor de zomer: open" in verslag
    assert "Geheim plan" not in verslag
    web = host_http.get(f"/host/s/{second}/verslag.html").get_data(as_text=True)
    assert "<h3>Afspraken van de vorige keer</h3>" in web and "Wachtlijst &lt;b&gt;" in web


def test_a_wrong_change_is_refused_plainly_and_a_phone_cannot_change_anything(room: Room, host_http: Any,
                                                                            app: Any) -> None:
    second = first_and_second(room, host_http)
    wrong = change(host_http, second, "afspraak-0001", status="klaar")
    assert wrong.status_code == 400 and wrong.get_json()["error"]["field"] == "status"
    assert change(host_http, second, "afspraak-0001", status="gedaan", note="x" * 201).status_code == 400
    assert change(host_http, second, "afspraak-0004", status="gedaan").status_code == 404  # hidden: not there
    assert change(host_http, second, "afspraak-0001", status="gedaan").status_code == 200
    assert host_http.post(f"/host/s/{second}/terugblik/afspraken/afspraak-0002", data="gedaan",
                          content_type="text/plain").status_code == 400
    # Not the facilitator, or not from the facilitator's own pages: refused, nothing changes.
    assert app.test_client().post(f"/host/s/{second}/terugblik/afspraken/afspraak-0002",
                                  json={"status": "gedaan"}).status_code == 403
    assert host_http.post(f"/host/s/{second}/terugblik/afspraken/afspraak-0002", json={"status": "gedaan"},
                          headers={"Origin": "http://evil.example"}).status_code == 403
    terugblik = services.previous_in_series(room.deps.repo, room.deps.series, room.deps.repo.get_session(second))
    assert terugblik is not None and [a.status for a in terugblik.afspraken] == ["gedaan", "open", "open"]


def test_changes_from_two_regie_windows_at_once_both_stay(room: Room, host_http: Any, app: Any) -> None:
    second = first_and_second(room, host_http)
    other = app.test_client()  # a second regie window, signed in on its own
    assert other.get(f"/host/login?key={HOST_KEY}").status_code == 303
    go = threading.Barrier(2, timeout=10)
    answers: dict[str, int] = {}

    def window(client: Any, afspraak: str, status: str, rounds: int = 10) -> None:
        go.wait()
        for n in range(rounds):
            answers[f"{afspraak}-{n}"] = change(client, second, afspraak, status=status, note=f"ronde {n}").status_code

    threads = [threading.Thread(target=window, args=(host_http, "afspraak-0001", "gedaan")),
               threading.Thread(target=window, args=(other, "afspraak-0003", "vervallen"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert set(answers.values()) == {200} and len(answers) == 20
    terugblik = services.previous_in_series(room.deps.repo, room.deps.series, room.deps.repo.get_session(second))
    assert terugblik is not None
    assert [(a.status, a.note) for a in terugblik.afspraken] == [
        ("gedaan", "ronde 9"), ("open", ""), ("vervallen", "ronde 9")]
