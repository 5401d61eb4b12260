"""Preparing a bijeenkomst over HTTP: agenda, settings, library, import/export, copies, tables and the QR sheet."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from facilitator import create_app
from facilitator.core import services as deps_services
from tests.conftest import HOST_KEY


def page(response: Any) -> str:
    """Return a response's HTML with entities decoded, for plain-text assertions."""
    return html.unescape(response.get_data(as_text=True))


def agenda(deps: Any, session_id: str) -> list[tuple[str, dict]]:
    return [(item.workformat_id, item.settings) for item in deps.repo.get_session(session_id).agenda]


def item_ids(deps: Any, session_id: str) -> list[str]:
    return [item.id for item in deps.repo.get_session(session_id).agenda]


def add(host_http: Any, session_id: str, workformat: str) -> str:
    response = host_http.post(f"/host/s/{session_id}/agenda", data={"workformat": workformat})
    assert response.status_code == 303
    location = response.headers["Location"]
    item_id = re.search(r"#item-([0-9a-f]+)$", location).group(1)
    assert location == f"/host/s/{session_id}/voorbereiden?open={item_id}#item-{item_id}"
    return item_id


def upload(host_http: Any, path: str, content: bytes, **fields: str) -> Any:
    data = {"file": (io.BytesIO(content), "agenda.json"), **fields}
    return host_http.post(path, data=data, content_type="multipart/form-data")


def events(client: Any) -> list[tuple[str, Any]]:
    return [(m["name"], m["args"][0] if m["args"] else None) for m in client.get_received()]


# -- the agenda --------------------------------------------------------------------------------


def test_prepare_page_lists_the_agenda_and_every_werkvorm_to_add(host_http: Any, bijeenkomst: dict) -> None:
    response = host_http.get(f"/host/s/{bijeenkomst['id']}/voorbereiden")
    assert response.status_code == 200
    text = page(response)
    assert "Dialoogsessie" in text and "Mentale veerkracht" in text
    for name in ("Open vraag", "De roddelmethode", "Vier buffers: een vangnet voor ouders", "Stemmen met stippen"):
        assert name in text
    assert "Intervisie op een casus" in text  # the description beside each werkvorm
    assert "<script>" not in response.get_data(as_text=True).replace('<script type="application/json"', "")


def test_add_move_and_remove_agenda_items(host_http: Any, bijeenkomst: dict, deps: Any) -> None:
    sid = bijeenkomst["id"]
    [first] = item_ids(deps, sid)
    buffers = add(host_http, sid, "vier_buffers")
    votes = add(host_http, sid, "stemmen")
    assert [wf for wf, _ in agenda(deps, sid)] == ["open_vraag", "vier_buffers", "stemmen"]
    assert item_ids(deps, sid) == [first, buffers, votes]

    response = host_http.post(f"/host/s/{sid}/agenda/{votes}/verplaats", data={"offset": "-1"})
    assert (response.status_code, response.headers["Location"]) == (303, f"/host/s/{sid}/voorbereiden#item-{votes}")
    assert item_ids(deps, sid) == [first, votes, buffers]
    host_http.post(f"/host/s/{sid}/agenda/{first}/verplaats", data={"offset": "1"})
    assert item_ids(deps, sid) == [votes, first, buffers]
    host_http.post(f"/host/s/{sid}/agenda/{votes}/verplaats", data={"offset": "-1"})  # already first: stays
    assert item_ids(deps, sid) == [votes, first, buffers]

    response = host_http.post(f"/host/s/{sid}/agenda/{first}/verwijder")
    assert (response.status_code, response.headers["Location"]) == (303, f"/host/s/{sid}/voorbereiden#agenda")
    assert item_ids(deps, sid) == [votes, buffers]
    assert host_http.post(f"/host/s/{sid}/agenda/nope/verwijder").status_code == 404
    assert host_http.post(f"/host/s/{sid}/agenda", data={"workformat": "bestaat_niet"}).status_code == 400
    assert item_ids(deps, sid) == [votes, buffers]


def test_agenda_changes_reach_the_open_host_screen(host_http: Any, bijeenkomst: dict, host_socket: Any) -> None:
    events(host_socket)
    add(host_http, bijeenkomst["id"], "roddelmethode")
    received = events(host_socket)
    assert [name for name, _ in received] == ["session_state"]
    assert [i["workformat"] for i in received[0][1]["agenda"]] == ["open_vraag", "roddelmethode"]


def test_saving_settings_stores_exactly_what_differs_from_the_defaults(
    host_http: Any, bijeenkomst: dict, deps: Any
) -> None:
    sid = bijeenkomst["id"]
    item = add(host_http, sid, "vier_buffers")
    form = {
        "title": "  Vangnet   rond het gezin ",
        "case_text": "Sammy is 9.\r\nZijn moeder werkt.",
        "prompts.uitleg.deelnemer": "",
        "prompts.vangnet.deelnemer": "Wat kun jij geven?",
        "timers.uitleg": "2,5",
        "timers.vangnet": "0",
        "hidden.vangnet": "1",
        "buckets.id": ["solidariteit", "taakverdeling", "meta_positie", "positieve_ervaringen", ""],
        "buckets.label": ["Solidariteit", "Goede taakverdeling", "Meta-positie", "Positieve ouderervaringen", "Rust"],
        "buckets.description": ["Steun.", "", "", "", "Even niets."],
        "buckets.remove": ["2"],
    }
    response = host_http.post(f"/host/s/{sid}/agenda/{item}", data=form)
    assert (response.status_code, response.headers["Location"]) == (
        303, f"/host/s/{sid}/voorbereiden?opgeslagen={item}#item-{item}"
    )
    [(_wf, settings)] = [a for a in agenda(deps, sid) if a[0] == "vier_buffers"]
    assert settings == {
        "title": "Vangnet rond het gezin",
        "case_text": "Sammy is 9.\nZijn moeder werkt.",
        "prompts": {"vangnet": {"deelnemer": "Wat kun jij geven?"}},
        "timers": {"uitleg": 150, "vangnet": None},
        "hidden": {"vangnet": True},
        "buckets": [
            {"id": "solidariteit", "label": "Solidariteit", "description": "Steun."},
            {"id": "taakverdeling", "label": "Goede taakverdeling", "description": ""},
            {"id": "positieve_ervaringen", "label": "Positieve ouderervaringen", "description": ""},
            {"id": "rust", "label": "Rust", "description": "Even niets."},
        ],
    }
    # The editor shows the saved values again.
    text = page(host_http.get(f"/host/s/{sid}/voorbereiden?open={item}"))
    assert 'value="2.5"' in text and 'value="0"' in text and "Wat kun jij geven?" in text
    assert 'value="Rust"' in text and 'value="Meta-positie"' not in text


def test_own_settings_of_roddelmethode_and_stemmen(host_http: Any, bijeenkomst: dict, deps: Any) -> None:
    sid = bijeenkomst["id"]
    [first] = item_ids(deps, sid)
    gossip = add(host_http, sid, "roddelmethode")
    votes = add(host_http, sid, "stemmen")
    assert host_http.post(f"/host/s/{sid}/agenda/{gossip}", data={"inbrenger_mode": "table"}).status_code == 303
    response = host_http.post(
        f"/host/s/{sid}/agenda/{votes}", data={"dots": "5", "options": "Rust\r\n\r\n Ruimte \n", "source": first}
    )
    assert response.status_code == 303
    assert agenda(deps, sid)[1:] == [
        ("roddelmethode", {"inbrenger_mode": "table"}),
        ("stemmen", {"dots": 5, "options": ["Rust", "Ruimte"], "source": first}),
    ]
    response = host_http.post(f"/host/s/{sid}/agenda/{votes}", data={"dots": "veel", "options": "Rust"})
    assert response.status_code == 400
    assert "settings.dots" in page(response)
    assert 'value="veel"' in page(response)


def test_a_bad_timer_is_refused_naming_the_field_and_the_form_keeps_what_was_typed(
    host_http: Any, bijeenkomst: dict, deps: Any
) -> None:
    sid = bijeenkomst["id"]
    item = add(host_http, sid, "roddelmethode")
    before = agenda(deps, sid)
    for value, message in (
        ("vijf", "Vul bij de timer van ‘Roddelen’ een aantal minuten in, of 0 voor geen timer."),
        ("0.05", "De timer van ‘Roddelen’ moet tussen 10 seconden en 240 minuten liggen (0 is geen timer)."),
    ):
        response = host_http.post(
            f"/host/s/{sid}/agenda/{item}",
            data={"title": "Casus Finn", "timers.roddelen": value, "case_text": "Finn is 10."},
        )
        assert response.status_code == 400
        text = page(response)
        assert message in text
        assert "settings.timers.roddelen" in text
        assert f'name="timers.roddelen" inputmode="decimal" size="6" value="{value}" placeholder="15" class="invalid"' in text
        assert 'value="Casus Finn"' in text and ">Finn is 10.</textarea>" in text
    assert agenda(deps, sid) == before


def test_a_setting_the_werkvorm_refuses_is_shown_with_its_field(host_http: Any, bijeenkomst: dict) -> None:
    sid = bijeenkomst["id"]
    item = add(host_http, sid, "vier_buffers")
    response = host_http.post(
        f"/host/s/{sid}/agenda/{item}",
        data={"buckets.id": ["solidariteit"], "buckets.label": [""], "buckets.description": [""]},
    )
    assert response.status_code == 400
    assert "settings.buckets[0].label" in page(response)


def test_details_and_tables_are_saved_and_reach_the_phones(
    host_http: Any, bijeenkomst: dict, deps: Any, phones: Any
) -> None:
    sid = bijeenkomst["id"]
    response = host_http.post(
        f"/host/s/{sid}/gegevens",
        data={"title": "Derde sessie", "date": "2026-12-03", "series": "Jeugd", "motto": "Samen", "organisers": "GGD"},
    )
    assert response.status_code == 303
    session = deps.repo.get_session(sid)
    assert (session.title, session.date, session.series, session.motto, session.organisers) == (
        "Derde sessie", "2026-12-03", "Jeugd", "Samen", "GGD"
    )
    response = host_http.post(f"/host/s/{sid}/gegevens", data={"title": " ", "date": "gisteren"})
    assert response.status_code == 400
    assert "Dit klopt nog niet: kijk bij Titel." in page(response)

    phone = phones.join()
    events(phone)
    response = host_http.post(f"/host/s/{sid}/tafels", data={"count": "3", "table_name": ["Linde", ""]})
    assert (response.status_code, response.headers["Location"]) == (
        303, f"/host/s/{sid}/voorbereiden?opgeslagen=tafels#tafels"
    )
    assert [(t.number, t.name) for t in deps.repo.get_session(sid).tables] == [(1, "Linde"), (2, ""), (3, "")]
    assert ("tables_changed", {"tables": [{"number": 1, "name": "Linde"}, {"number": 2, "name": ""},
                                          {"number": 3, "name": ""}]}) in events(phone)
    host_http.post(f"/host/s/{sid}/tafels", data={"count": "1", "table_name": ["Eik", "Beuk", "Es"]})
    assert [(t.number, t.name) for t in deps.repo.get_session(sid).tables] == [(1, "Eik")]
    response = host_http.post(f"/host/s/{sid}/tafels", data={"count": "500"})
    assert response.status_code == 400
    assert "Vul een aantal tafels in van 0 tot 50." in page(response)


# -- library ----------------------------------------------------------------------------------


def test_save_to_library_then_put_it_on_another_agenda_with_identical_settings(
    host_http: Any, bijeenkomst: dict, deps: Any
) -> None:
    sid = bijeenkomst["id"]
    item = add(host_http, sid, "roddelmethode")
    host_http.post(
        f"/host/s/{sid}/agenda/{item}",
        data={"title": "Casus Finn", "case_text": "Finn is 10.", "timers.roddelen": "12", "inbrenger_mode": "table"},
    )
    response = host_http.post(f"/host/s/{sid}/agenda/{item}/bibliotheek", data={"name": "Roddelen over Finn"})
    assert (response.status_code, response.headers["Location"]) == (
        303, f"/host/s/{sid}/voorbereiden?bewaard={item}#item-{item}"
    )
    [entry] = deps.library.list_entries()
    assert (entry.name, entry.workformat_id) == ("Roddelen over Finn", "roddelmethode")

    library = page(host_http.get("/host/bibliotheek"))
    assert "Roddelen over Finn" in library and "De roddelmethode" in library
    assert f"/host/bibliotheek/{entry.id}/export" in library

    other = host_http.post("/host/sessions", json={"title": "Tweede sessie"}).get_json()["id"]
    response = host_http.post(f"/host/bibliotheek/{entry.id}/agenda", data={"session": other})
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/host/s/{other}/voorbereiden?open=")
    source_settings = deps.repo.get_session(sid).agenda_item(item).settings
    assert agenda(deps, other)[1] == ("roddelmethode", source_settings)
    assert source_settings == {
        "title": "Casus Finn", "case_text": "Finn is 10.", "timers": {"roddelen": 720}, "inbrenger_mode": "table"
    }
    # The prepare page offers the entry too.
    response = host_http.post(f"/host/s/{other}/agenda", data={"entry": entry.id})
    assert response.status_code == 303
    assert agenda(deps, other)[2] == ("roddelmethode", source_settings)

    response = host_http.post(f"/host/bibliotheek/{entry.id}/agenda", data={"session": "000000000000"})
    assert response.status_code == 400
    assert "Deze bijeenkomst bestaat niet (meer)." in page(response)


def test_library_export_import_and_delete(host_http: Any, bijeenkomst: dict, deps: Any) -> None:
    sid = bijeenkomst["id"]
    item = add(host_http, sid, "stemmen")
    host_http.post(f"/host/s/{sid}/agenda/{item}", data={"dots": "2", "options": "Ja\nNee"})
    host_http.post(f"/host/s/{sid}/agenda/{item}/bibliotheek", data={"name": "Ja of nee"})
    [entry] = deps.library.list_entries()

    response = host_http.get(f"/host/bibliotheek/{entry.id}/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=werkvorm-ja-of-nee.json"
    exported = response.get_json()
    assert exported == {
        "format": "rode-draad/werkvorm", "version": 1, "name": "Ja of nee", "workformat": "stemmen",
        "settings": {"dots": 2, "options": ["Ja", "Nee"]},
    }

    response = host_http.post(f"/host/bibliotheek/{entry.id}/verwijder")
    assert (response.status_code, response.headers["Location"]) == (303, "/host/bibliotheek")
    assert deps.library.list_entries() == []
    assert host_http.post(f"/host/bibliotheek/{entry.id}/verwijder").status_code == 404

    response = upload(host_http, "/host/bibliotheek/import", json.dumps(exported).encode())
    assert (response.status_code, response.headers["Location"]) == (303, "/host/bibliotheek?geimporteerd=1")
    [imported] = deps.library.list_entries()
    assert (imported.name, imported.workformat_id, imported.settings) == (
        "Ja of nee", "stemmen", {"dots": 2, "options": ["Ja", "Nee"]}
    )
    assert "1 werkvorm geïmporteerd." in page(host_http.get("/host/bibliotheek?geimporteerd=1"))


# -- export and import ------------------------------------------------------------------------


def test_export_an_agenda_and_import_it_as_a_new_bijeenkomst(host_http: Any, bijeenkomst: dict, deps: Any) -> None:
    sid = bijeenkomst["id"]
    host_http.post(f"/host/s/{sid}/gegevens", data={"title": "Dialoogsessie", "date": "2026-11-25",
                                                     "series": "Mentale veerkracht", "motto": "Samen", "organisers": "GGD"})
    gossip = add(host_http, sid, "roddelmethode")
    host_http.post(f"/host/s/{sid}/agenda/{gossip}", data={"case_text": "Finn is 10.", "inbrenger_mode": "table",
                                                            "prompts.rode_draad.deelnemer": "Eén zin, graag."})
    votes = add(host_http, sid, "stemmen")
    host_http.post(f"/host/s/{sid}/agenda/{votes}", data={"dots": "4", "options": "A\nB"})
    host_http.post(f"/host/s/{sid}/tafels", data={"count": "2", "table_name": ["Linde", "Eik"]})

    response = host_http.get(f"/host/s/{sid}/agenda/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=agenda-dialoogsessie-2026-11-25.json"
    exported = response.get_data()
    assert json.loads(exported)["format"] == "rode-draad/agenda"

    response = upload(host_http, "/host/import", exported, title="", date="2027-01-15")
    assert response.status_code == 303
    new_id = re.fullmatch(r"/host/s/([0-9a-f]{12})/voorbereiden", response.headers["Location"]).group(1)
    new = deps.repo.get_session(new_id)
    old = deps.repo.get_session(sid)
    assert agenda(deps, new_id) == agenda(deps, sid)
    assert (new.title, new.date, new.series, new.motto, new.organisers) == (
        "Dialoogsessie", "2027-01-15", "Mentale veerkracht", "Samen", "GGD"
    )
    assert new.tables == old.tables
    assert new.join_code != old.join_code

    # Importing the same file into an existing agenda appends its werkvormen.
    response = upload(host_http, f"/host/s/{new_id}/agenda/import", exported)
    assert response.status_code == 303
    assert "geimporteerd=3" in response.headers["Location"]
    assert agenda(deps, new_id) == agenda(deps, sid) * 2


def test_export_one_werkvorm_and_import_it_into_another_agenda(host_http: Any, bijeenkomst: dict, deps: Any) -> None:
    sid = bijeenkomst["id"]
    item = add(host_http, sid, "tafeladvies")
    host_http.post(f"/host/s/{sid}/agenda/{item}", data={"title": "Advies voor de school", "timers.advies": "7"})
    response = host_http.get(f"/host/s/{sid}/agenda/{item}/export")
    assert response.headers["Content-Disposition"] == "attachment; filename=werkvorm-advies-voor-de-school.json"
    other = host_http.post("/host/sessions", json={"title": "Elders"}).get_json()["id"]
    assert upload(host_http, f"/host/s/{other}/agenda/import", response.get_data()).status_code == 303
    assert agenda(deps, other)[1] == agenda(deps, sid)[1]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"dit is geen json", ("Dit is geen JSON-bestand van Rode Draad.", "not JSON")),
        (b"[1, 2]", ("Dit is geen JSON-bestand van Rode Draad.", "the file must hold a JSON object")),
        (json.dumps({"format": "x"}).encode(), (
            "Dit is geen werkvorm- of agendabestand van Rode Draad",
            "format: must be 'rode-draad/werkvorm' or 'rode-draad/agenda'",
        )),
        (json.dumps({"format": "rode-draad/agenda", "version": 1, "items": [
            {"workformat": "open_vraag"}, {"workformat": "toverbal"}]}).encode(), (
            "Het bestand noemt een werkvorm die deze laptop niet kent.",
            "items[1].workformat: unknown werkvorm 'toverbal'",
        )),
        (json.dumps({"format": "rode-draad/werkvorm", "version": 1, "workformat": "stemmen",
                     "settings": {"dots": "veel"}}).encode(), (
            "Een instelling in het bestand heeft een verkeerde waarde.",
            "settings.dots: must be a whole number from 1 to 20",
        )),
        (json.dumps({"format": "rode-draad/werkvorm", "version": 1, "workformat": "stemmen",
                     "settings": {"dots": 999}}).encode(), (
            "Een instelling in het bestand heeft een verkeerde waarde.",
            "settings.dots: must be a whole number from 1 to 20",
        )),
        (json.dumps({"format": "rode-draad/werkvorm", "version": 1, "workformat": "roddelmethode",
                     "settings": {"timers": {"roddelen": "15"}}}).encode(), (
            "Een instelling in het bestand heeft een verkeerde waarde.",
            "settings.timers.roddelen: must be empty or 10 to 14400 seconds",
        )),
        (b"\xff\xfe\x00", ("Dit is geen JSON-bestand van Rode Draad.", "not JSON")),
        (b" " * (64 * 1024 + 1), ("Dit bestand is te groot: het mag hoogstens 64 KB zijn.", "")),
        (b" " * (200 * 1024), ("Dit bestand is te groot: het mag hoogstens 64 KB zijn.", "")),
    ],
    ids=["not-json", "not-an-object", "wrong-format", "unknown-werkvorm", "setting-of-wrong-type",
         "setting-out-of-bounds", "timer-as-text",
         "not-utf8", "just-over-64kb", "far-over-64kb"],
)
def test_bad_import_files_get_a_clear_error_and_change_nothing(
    host_http: Any, bijeenkomst: dict, deps: Any, content: bytes, expected: tuple[str, str]
) -> None:
    sid = bijeenkomst["id"]
    before = agenda(deps, sid)
    sessions_before = len(deps.repo.list_sessions())
    for path in (f"/host/s/{sid}/agenda/import", "/host/bibliotheek/import", "/host/import"):
        response = upload(host_http, path, content, title="Nieuw")
        assert response.status_code == 400, path
        text = page(response)
        for part in expected:
            assert part in text, (path, part)
    assert agenda(deps, sid) == before
    assert deps.library.list_entries() == []
    assert len(deps.repo.list_sessions()) == sessions_before


def test_an_upload_without_a_file_asks_for_one(host_http: Any, bijeenkomst: dict) -> None:
    response = host_http.post(f"/host/s/{bijeenkomst['id']}/agenda/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Kies eerst een bestand." in page(response)


# -- copies -----------------------------------------------------------------------------------


def test_copy_a_bijeenkomst_keeps_agenda_series_organisers_and_tables_but_no_contributions(
    host_http: Any, bijeenkomst: dict, deps: Any, phones: Any
) -> None:
    sid = bijeenkomst["id"]
    host_http.post(f"/host/s/{sid}/gegevens", data={"title": "Dialoogsessie", "date": "2026-11-25",
                                                     "series": "Mentale veerkracht", "motto": "Samen", "organisers": "GGD"})
    item = add(host_http, sid, "vier_buffers")
    host_http.post(f"/host/s/{sid}/agenda/{item}", data={"timers.vangnet": "15"})
    host_http.post(f"/host/s/{sid}/tafels", data={"count": "2", "table_name": ["Linde", "Eik"]})
    phone = phones.join(table=1)
    ack = phone.emit("submit_contribution", {"session": sid, "client_id": "kopie-test-1", "text": "Hallo"}, callback=True)
    assert ack["ok"] is True

    response = host_http.post(f"/host/s/{sid}/kopie", data={"title": "Vierde sessie", "date": "2027-02-01"})
    assert response.status_code == 303
    copy_id = re.fullmatch(r"/host/s/([0-9a-f]{12})/voorbereiden", response.headers["Location"]).group(1)
    copy, source = deps.repo.get_session(copy_id), deps.repo.get_session(sid)
    assert (copy.title, copy.date, copy.series, copy.motto, copy.organisers) == (
        "Vierde sessie", "2027-02-01", "Mentale veerkracht", "Samen", "GGD"
    )
    assert agenda(deps, copy_id) == agenda(deps, sid)
    assert set(item_ids(deps, copy_id)).isdisjoint(item_ids(deps, sid))
    assert copy.tables == source.tables
    assert copy.copied_from == sid
    assert copy.join_code != source.join_code
    assert deps.repo.list_contributions(copy_id) == [] and deps.repo.list_participants(copy_id) == []
    assert len(deps.repo.list_contributions(sid)) == 1

    response = host_http.post(f"/host/s/{sid}/kopie", data={"title": "", "date": "morgen"})
    assert response.status_code == 400
    assert "Dit klopt nog niet: kijk bij Datum." in page(response)


def test_dashboard_offers_prepare_open_and_copy_for_each_bijeenkomst(host_http: Any, bijeenkomst: dict) -> None:
    text = page(host_http.get("/host/"))
    sid = bijeenkomst["id"]
    assert f'href="/host/s/{sid}/voorbereiden">Voorbereiden</a>' in text
    assert f'href="/host/s/{sid}">Open scherm</a>' in text
    assert "Nieuwe bijeenkomst als kopie" in text and f'action="/host/s/{sid}/kopie#s-{sid}"' in text
    assert 'href="/host/bibliotheek"' in text and 'action="/host/import#importeer"' in text


def test_dashboard_form_creates_a_bijeenkomst_with_motto_and_organisers(host_http: Any, deps: Any) -> None:
    response = host_http.post(
        "/host/sessions", data={"title": "Met motto", "motto": "Samen sterk", "organisers": "GGD en CJG"}
    )
    assert response.status_code == 303
    [session] = [s for s in deps.repo.list_sessions() if s.title == "Met motto"]
    assert (session.motto, session.organisers) == ("Samen sterk", "GGD en CJG")


# -- the QR sheet -----------------------------------------------------------------------------


def test_qr_sheet_has_one_qr_code_per_named_table(app: Any, host_http: Any, bijeenkomst: dict) -> None:
    app.config["PUBLIC_URL"] = "http://192.168.1.20:5000"
    sid, code = bijeenkomst["id"], bijeenkomst["join_code"]
    host_http.post(f"/host/s/{sid}/tafels", data={"count": "3", "table_name": ["Linde", "", "Eik"]})
    response = host_http.get(f"/host/s/{sid}/tafels?aantal=9")  # named tables win over ?aantal
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    assert raw.count("<svg") == 3
    assert raw.count('<svg class="qr-code" role="img"') == 3
    assert "<?xml" not in raw and "style=" not in raw
    text = page(response)
    for n, label in ((1, "Linde"), (2, "2"), (3, "Eik")):
        assert f"http://192.168.1.20:5000/j/{code}?tafel={n}" in text
        assert f"Scan met je telefoon om mee te doen aan tafel {label}" in text
    assert text.count(f"Code <strong>{code}</strong> · tafel") == 3
    assert 'id="print"' in raw and "js/prepare.js" in raw


def test_qr_sheet_numbers_tables_by_count_when_none_are_named(app: Any, host_http: Any, bijeenkomst: dict) -> None:
    app.config["PUBLIC_URL"] = "http://10.0.0.5:5000"
    sid, code = bijeenkomst["id"], bijeenkomst["join_code"]
    text = page(host_http.get(f"/host/s/{sid}/tafels?aantal=4"))
    assert text.count('<svg class="qr-code"') == 4
    assert [int(n) for n in re.findall(rf"/j/{code}\?tafel=(\d+)</p>", text)] == [1, 2, 3, 4]
    assert "Scan met je telefoon om mee te doen aan tafel 3" in text
    for bad in ("0", "-3", "abc", "1000"):
        assert host_http.get(f"/host/s/{sid}/tafels?aantal={bad}").status_code == 200


def test_qr_sheet_codes_encode_the_table_url(app: Any, host_http: Any, bijeenkomst: dict) -> None:
    import qrcode
    import qrcode.image.svg

    app.config["PUBLIC_URL"] = "http://192.168.1.20:5000"
    sid, code = bijeenkomst["id"], bijeenkomst["join_code"]
    raw = host_http.get(f"/host/s/{sid}/tafels?aantal=2").get_data(as_text=True)
    expected = qrcode.make(f"http://192.168.1.20:5000/j/{code}?tafel=2",
                           image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=2).to_string(encoding="unicode")
    path = re.search(r"<path[^>]*/>", expected).group(0)
    assert path in raw


# -- access -----------------------------------------------------------------------------------


def test_prepare_pages_are_closed_to_everyone_but_the_facilitator(app: Any, bijeenkomst: dict, deps: Any) -> None:
    sid = bijeenkomst["id"]
    [item] = item_ids(deps, sid)
    stranger = app.test_client()
    stranger.post(f"/j/{bijeenkomst['join_code']}", data={})  # a phone's own cookie opens nothing here
    for path in (f"/host/s/{sid}/voorbereiden", f"/host/s/{sid}/tafels", "/host/bibliotheek",
                 f"/host/s/{sid}/agenda/export", f"/host/s/{sid}/agenda/{item}/export"):
        response = stranger.get(path)
        assert response.status_code == 403, path
        assert "Alleen voor de gespreksleider" in page(response)
    for path in (f"/host/s/{sid}/agenda", f"/host/s/{sid}/agenda/{item}", f"/host/s/{sid}/agenda/{item}/verwijder",
                 f"/host/s/{sid}/tafels", f"/host/s/{sid}/kopie", "/host/import", "/host/bibliotheek/import",
                 f"/host/s/{sid}/gegevens"):
        assert stranger.post(path, data={"workformat": "stemmen", "title": "x"}).status_code == 403, path
    assert item_ids(deps, sid) == [item]
    assert len(deps.repo.list_sessions()) == 1


def test_posts_from_another_site_are_refused(host_http: Any, bijeenkomst: dict, deps: Any) -> None:
    sid = bijeenkomst["id"]
    evil = {"Origin": "http://evil.example"}
    assert host_http.post(f"/host/s/{sid}/agenda", data={"workformat": "stemmen"}, headers=evil).status_code == 403
    assert host_http.post(f"/host/s/{sid}/kopie", data={}, headers=evil).status_code == 403
    assert len(item_ids(deps, sid)) == 1
    ok = host_http.post(f"/host/s/{sid}/agenda", data={"workformat": "stemmen"}, headers={"Origin": "http://localhost"})
    assert ok.status_code == 303


def test_unknown_bijeenkomst_and_item_are_404(host_http: Any, bijeenkomst: dict) -> None:
    assert host_http.get("/host/s/000000000000/voorbereiden").status_code == 404
    assert host_http.get("/host/s/000000000000/tafels").status_code == 404
    assert host_http.get(f"/host/s/{bijeenkomst['id']}/agenda/nope/export").status_code == 404
    assert host_http.post(f"/host/s/{bijeenkomst['id']}/agenda/nope", data={}).status_code == 404
    assert host_http.get("/host/bibliotheek/nope/export").status_code == 404


# -- the library on disk ----------------------------------------------------------------------


def test_library_survives_a_restart_in_its_own_file(tmp_path: Path) -> None:
    config = {"DATA_DIR": str(tmp_path), "HOST_KEY": HOST_KEY, "TESTING": True}
    first = create_app(config)
    client = first.test_client()
    client.get(f"/host/login?key={HOST_KEY}")
    sid = client.post("/host/sessions", json={"title": "Op schijf"}).get_json()["id"]
    [item] = [i.id for i in first.extensions["rode_draad"].repo.get_session(sid).agenda]
    client.post(f"/host/s/{sid}/agenda/{item}", data={"prompts.antwoorden.deelnemer": "Wat zou Sammy willen?"})
    assert client.post(f"/host/s/{sid}/agenda/{item}/bibliotheek", data={"name": "Sammy-vraag"}).status_code == 303

    library_file = tmp_path / "library.json"
    assert library_file.exists()
    assert "Sammy-vraag" in library_file.read_text("utf-8")
    assert all("Sammy-vraag" not in p.read_text("utf-8") for p in (tmp_path / "sessions").iterdir())

    again = create_app(config)
    client = again.test_client()
    client.get(f"/host/login?key={HOST_KEY}")
    assert "Sammy-vraag" in page(client.get("/host/bibliotheek"))
    [entry] = again.extensions["rode_draad"].library.list_entries()
    assert entry.settings == {"prompts": {"antwoorden": {"deelnemer": "Wat zou Sammy willen?"}}}
    # Deleting the bijeenkomst leaves the library alone.
    again.extensions["rode_draad"].repo.delete_session(sid)
    assert [e.name for e in again.extensions["rode_draad"].library.list_entries()] == ["Sammy-vraag"]


def test_names_typed_by_the_host_stay_text_everywhere(host_http: Any, bijeenkomst: dict) -> None:
    sid = bijeenkomst["id"]
    hostile = '<img src=x onerror=alert(1)>"'
    host_http.post(f"/host/s/{sid}/tafels", data={"count": "1", "table_name": [hostile[:40]]})
    item = add(host_http, sid, "open_vraag")
    host_http.post(f"/host/s/{sid}/agenda/{item}", data={"title": hostile})
    host_http.post(f"/host/s/{sid}/agenda/{item}/bibliotheek", data={"name": hostile})
    for path in (f"/host/s/{sid}/tafels", f"/host/s/{sid}/voorbereiden", "/host/bibliotheek"):
        raw = host_http.get(path).get_data(as_text=True)
        assert "<img src=x" not in raw, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in raw, path


def test_details_store_the_series_organisers_once_for_the_whole_series(host_http: Any, deps: Any) -> None:
    first = deps_services.create_session(deps.repo, deps.registry, title="Eerste", date="2026-09-01")
    second = deps_services.create_session(deps.repo, deps.registry, title="Tweede", date="2026-11-01")
    form = {"title": "Eerste", "date": "2026-09-01", "ordinal": "1", "theme": "veerkracht", "retention_days": "60",
            "series": "Mentale veerkracht", "motto": "Samen leren", "organisers": "",
            "org-0-name": "Anna de Vries", "org-0-function": "Beleidsadviseur", "org-0-organisation": "SWV",
            "org-0-phone": "072-1234567", "org-0-email": "anna@example.org"}
    response = host_http.post(f"/host/s/{first.id}/gegevens", data=form)
    assert response.status_code == 303
    page = host_http.get(f"/host/s/{second.id}/voorbereiden").get_data(as_text=True)
    assert 'value="Anna de Vries"' not in page  # the second one is not in the series yet
    host_http.post(f"/host/s/{second.id}/gegevens", data={**form, "title": "Tweede", "date": "2026-11-01",
                                                        "ordinal": "2", "org-0-name": "Anna de Vries-Bakker"},)
    stored = deps.repo.get_session(first.id)
    assert (stored.ordinal, stored.theme, stored.retention_days) == (1, "veerkracht", 60)
    series = deps_services.series_of(deps.series, stored)
    assert [o.name for o in series.organisers] == ["Anna de Vries-Bakker"]
    assert deps.repo.get_session(second.id).series_id == stored.series_id


def test_details_with_a_nameless_organiser_keep_the_form_and_say_what_is_missing(host_http: Any, deps: Any) -> None:
    session = deps_services.create_session(deps.repo, deps.registry, title="Eerste", date="2026-09-01")
    form = {"title": "Eerste", "date": "2026-09-01", "retention_days": "30", "series": "Reeks",
            "org-0-function": "Zonder naam"}
    response = host_http.post(f"/host/s/{session.id}/gegevens", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Naam van de organisator" in page and 'value="Zonder naam"' in page
    assert deps.repo.get_session(session.id).series_id == ""
