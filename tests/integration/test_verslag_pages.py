"""The verslag page over HTTP: edits, the preview and its privacy marks, exports, the send guard, delete."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from typing import Any

import docx
import pytest

from facilitator import create_app
from facilitator.core import services
from facilitator.core.domain import SessionNotFound, WorkshopSession
from facilitator.testing.verslag import RODE_DRAAD, Afternoon, afternoon
from tests.conftest import HOST_KEY

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NAME = "verslag-2026-11-12-dialoogsessie-veerkrachtige-ouders"
ADVICE_KEY = "block.rod1/adviezen.group.tafel-1"
EDITED_ADVICE = "Maak samen met ouders een plan dat past bij wat al goed gaat"


def page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def middag(deps: Any) -> Afternoon:
    return afternoon(deps.repo, deps.series)


def url(middag: Afternoon, rest: str = "") -> str:
    return f"/host/s/{middag.session.id}/verslag{rest}"


def edit(host_http: Any, middag: Afternoon, changes: dict[str, Any]) -> Any:
    return host_http.post(url(middag, "/edits"), json={"changes": changes})


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def docx_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))


# -- access -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "rest"), [
    ("get", ""), ("get", "/preview"), ("get", "/privacy"), ("get", ".docx"), ("get", "/alles.zip"),
    ("post", "/edits"), ("post", "/send"), ("post", "/testmail"),
])
def test_verslag_routes_refuse_without_the_facilitator_key(app: Any, middag: Afternoon, method: str,
                                                             rest: str) -> None:
    response = getattr(app.test_client(), method)(url(middag, rest), json={})
    assert response.status_code == 403
    assert "Alleen voor de gespreksleider" in page(response)


def test_verslag_delete_refuses_without_the_key_and_keeps_the_bijeenkomst(app: Any, deps: Any,
                                                                           middag: Afternoon) -> None:
    response = app.test_client().post(f"/host/s/{middag.session.id}/verwijderen", data={"confirm": "ABC234"})
    assert response.status_code == 403
    assert deps.repo.get_session(middag.session.id).title == middag.session.title


def test_verslag_post_from_another_site_is_refused(host_http: Any, deps: Any, middag: Afternoon) -> None:
    response = host_http.post(url(middag, "/edits"), json={"changes": {"title": "Gekaapt"}},
                              headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert deps.repo.get_report_edits(middag.session.id) == {}


# -- the page ---------------------------------------------------------------------------------------


def test_verslag_page_shows_every_part_the_preview_and_the_links(host_http: Any, middag: Afternoon) -> None:
    response = host_http.get(url(middag))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    keys = re.findall(r'class="vs-part" id="part-([^"]+)"', text)
    assert keys == [
        "title", "subtitle", "motto", "lead", "welcome", "programme",
        "item.rod1.include", "item.rod1.task",
        "block.rod1/casus.intro", "block.rod1/casus.paragraphs", "block.rod1/casus.bullets",
        "block.rod1/vragen.intro", "block.rod1/vragen.bullets", "block.rod1/roddels.intro",
        "block.rod1/roddels.bullets", "block.rod1/sterren.intro",
        "block.rod1/adviezen.intro", "block.rod1/adviezen.show",
        "block.rod1/adviezen.group.tafel-1", "block.rod1/adviezen.group.tafel-2", "block.rod1/adviezen.group.tafel-3",
        "block.rod1/reactie.intro", "block.rod1/reactie.paragraphs", "block.rod1/reactie.bullets",
        "block.rod1/rode_draad.intro", "block.rod1/rode_draad.paragraphs", "block.rod1/rode_draad.bullets",
        "item.buf1.include", "item.buf1.task", "block.buf1/vangnet.intro",
        "block.buf1/vangnet.group.solidariteit", "block.buf1/vangnet.group.taakverdeling",
        "block.buf1/vangnet.group.meta_positie", "block.buf1/vangnet.group.positieve_ervaringen",
        "rode_draad.paragraph", "rode_draad.questions", "wrap_up_intro", "wrap_up", "closing", "call",
        "save_the_date", "organisers_title", "appendix",
    ]
    shown = page(response)
    assert shown.count("Toon de losse tafeladviezen") == 1
    assert shown.count("Neem op in het verslag") == 2
    assert '<article id="verslag">' in text and RODE_DRAAD in shown
    # Kept 30 days after its last activity (stored just now), which is later than 30 days after 12 November 2026.
    kept_until = max(dt.date(2026, 11, 12), dt.date.today()) + dt.timedelta(days=30)
    assert f'data-kept-until="{kept_until.isoformat()}"' in text and "Bewaard tot en met" in shown
    for fmt in ("docx", "pdf", "html", "md", "csv"):
        assert f'href="/host/s/middag2/verslag.{fmt}"' in text
    assert 'href="/host/s/middag2/verslag/alles.zip"' in text
    assert middag.hidden_text not in shown
    # No inline script or style: the page lives under the strict Content-Security-Policy.
    assert "<script>" not in text and "<style" not in text and " style=" not in text


def test_verslag_is_linked_from_the_dashboard_the_prepare_page_and_the_live_view(
    host_http: Any, middag: Afternoon
) -> None:
    link = 'href="/host/s/middag2/verslag"'
    for path in ("/host/", "/host/s/middag2/voorbereiden", "/host/s/middag2"):
        assert link in host_http.get(path).get_data(as_text=True), path


def test_verslag_page_without_mail_settings_explains_how_to_set_them(host_http: Any, middag: Afternoon) -> None:
    shown = page(host_http.get(url(middag)))
    assert "Mailen is nog niet ingesteld." in shown
    # No environment variables and no restart: a link to Instellingen → E-mail, back to this page afterwards.
    assert 'href="/host/instellingen/e-mail?terug=/host/s/middag2/verslag"' in shown
    assert 'id="send-form"' not in shown and 'id="testmail-form"' not in shown
    # The organisers are listed as recipients all the same.
    assert "a.devries@example.org" in shown and "k.bakker@example.org" in shown


def test_verslag_page_shows_the_mail_settings_but_never_the_password(middag_with_mail: tuple[Any, Afternoon]) -> None:
    client, _ = middag_with_mail
    shown = page(client.get("/host/s/middag2/verslag"))
    for value in ("127.0.0.1", "2525", "none", "verslag-user", "verslag@example.org"):
        assert value in shown
    assert "geheim-wachtwoord" not in shown
    assert 'id="send-form"' in shown and 'id="testmail-form"' in shown


@pytest.fixture
def middag_with_mail() -> tuple[Any, Afternoon]:
    app = create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True, "MAIL_HOST": "127.0.0.1",
                      "MAIL_PORT": 2525, "MAIL_SECURITY": "none", "MAIL_USER": "verslag-user",
                      "MAIL_PASSWORD": "geheim-wachtwoord", "MAIL_SENDER": "verslag@example.org"})
    deps = app.extensions["rode_draad"]
    made = afternoon(deps.repo, deps.series)
    client = app.test_client()
    assert client.get(f"/host/login?key={HOST_KEY}").status_code == 303
    return client, made


# -- edits ------------------------------------------------------------------------------------------


def test_verslag_edits_are_stored_exactly_and_shown(host_http: Any, deps: Any, middag: Afternoon) -> None:
    changes = {
        "rode_draad.paragraph": "  Ouders en school trekken samen op.  ",
        "rode_draad.questions": "- Hoe houden we dit vast?\n\n• Wie neemt het voortouw?",
        ADVICE_KEY: f"{EDITED_ADVICE}\n",
        "block.rod1/adviezen.show": True,
        "item.buf1.include": False,
        "programme": [{"title": "Opening", "speaker": "Anna de Vries", "link": "https://example.org/opening"},
                      {"title": "", "text": ""}],
        "save_the_date": {"date": "7 oktober", "time": "15.00 – 17.00 uur", "place": "Alkmaar"},
        "appendix": False,
    }
    response = edit(host_http, middag, changes)
    assert response.status_code == 200
    stored = {
        "rode_draad.paragraph": "Ouders en school trekken samen op.",
        "rode_draad.questions": ["Hoe houden we dit vast?", "Wie neemt het voortouw?"],
        ADVICE_KEY: [EDITED_ADVICE],
        "block.rod1/adviezen.show": True,
        "item.buf1.include": False,
        "programme": [{"title": "Opening", "speaker": "Anna de Vries", "function": "", "organisation": "",
                       "text": "", "link": "https://example.org/opening"}],
        "save_the_date": {"date": "7 oktober", "time": "15.00 – 17.00 uur", "place": "Alkmaar", "label": ""},
        "appendix": False,
    }
    body = response.get_json()
    assert body["ok"] is True and body["edits"] == stored
    assert deps.repo.get_report_edits(middag.session.id) == stored
    assert body["values"]["rode_draad.questions"] == "Hoe houden we dit vast?\nWie neemt het voortouw?"
    assert body["values"][ADVICE_KEY] == EDITED_ADVICE

    shown = page(host_http.get(url(middag)))
    assert f'id="part-{ADVICE_KEY}" data-key="{ADVICE_KEY}" data-kind="lines" data-edited>' in shown
    assert f">{EDITED_ADVICE}</textarea>" in shown
    assert "Hoe houden we dit vast?" in shown and "SAVE THE DATE" in shown
    preview = page(host_http.get(url(middag, "/preview")))
    assert "Ouders en school trekken samen op." in preview and EDITED_ADVICE in preview
    assert "Het vangnet" not in preview  # the vier-buffers section is left out
    assert "Het vangnet" in shown  # but stays in the form, to take it back in


def test_verslag_reset_returns_a_part_to_the_draft(host_http: Any, deps: Any, middag: Afternoon) -> None:
    draft_advice = page(host_http.get(url(middag, "/preview")))
    edit(host_http, middag, {ADVICE_KEY: EDITED_ADVICE, "title": "Eigen titel"})
    response = edit(host_http, middag, {ADVICE_KEY: None})
    body = response.get_json()
    assert body["edits"] == {"title": "Eigen titel"}
    assert deps.repo.get_report_edits(middag.session.id) == {"title": "Eigen titel"}
    draft = services.verslag(deps.repo, deps.registry, deps.series, middag.session.id)
    [block] = [b for s in draft.sections for b in s.blocks if b.key == "rod1/adviezen"]
    assert body["values"] == {ADVICE_KEY: "\n".join(block.groups[0].bullets)}
    assert block.groups[0].bullets[0] in draft_advice


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"rode_draad.questions": "een?\ntwee?\ndrie?\nvier?"}, "rode_draad.questions",
     "Schrijf hoogstens 3 open vragen, één per regel."),
    ({"programme": [{"title": "Pitch", "link": "javascript:alert(1)"}]}, "programme[0].link",
     "Een link begint met https:// of mailto:."),
    ({"block.rod1/adviezen.show": "ja"}, "block.rod1/adviezen.show",
     "Dit klopt nog niet. Ververs de pagina en probeer het opnieuw."),
    ({"deelnemers": "p01"}, "deelnemers", "Dit deel van het verslag bestaat niet (meer). Ververs de pagina."),
    ({"title": "x" * 5001}, "title", "Deze tekst is te lang (hoogstens 5000 tekens per regel of alinea)."),
])
def test_verslag_invalid_edit_is_refused_naming_its_field(host_http: Any, deps: Any, middag: Afternoon,
                                                          changes: dict[str, Any], field: str, message: str) -> None:
    edit(host_http, middag, {"title": "Bewaard"})
    response = edit(host_http, middag, changes)
    assert response.status_code == 400
    assert response.get_json() == {"ok": False, "error": {"code": "invalid_input", "field": field,
                                                          "message": message}}
    assert deps.repo.get_report_edits(middag.session.id) == {"title": "Bewaard"}


def test_verslag_edits_without_an_object_are_refused(host_http: Any, middag: Afternoon) -> None:
    response = host_http.post(url(middag, "/edits"), json={"changes": ["title"]})
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "edits"


# -- exports ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "mimetype", "magic"), [
    ("docx", DOCX, b"PK\x03\x04"),
    ("html", "text/html", b"<!doctype html>"),
    ("md", "text/markdown", b"# Dialoogsessie"),
    ("csv", "text/csv", b"\xef\xbb\xbfOnderdeel"),
    ("pdf", "application/pdf", b"%PDF-"),
])
def test_verslag_downloads_each_format_with_its_type_and_name(host_http: Any, middag: Afternoon, fmt: str,
                                                              mimetype: str, magic: bytes) -> None:
    response = host_http.get(url(middag, f".{fmt}"))
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == f'attachment; filename="{NAME}.{fmt}"'
    assert response.data.startswith(magic)


def test_verslag_unknown_format_is_not_found(host_http: Any, middag: Afternoon) -> None:
    assert host_http.get(url(middag, ".exe")).status_code == 404


def test_verslag_docx_download_holds_the_edited_bullet(host_http: Any, middag: Afternoon) -> None:
    edit(host_http, middag, {ADVICE_KEY: EDITED_ADVICE, "rode_draad.paragraph": "Samen optrekken."})
    text = docx_text(host_http.get(url(middag, ".docx")).data)
    assert EDITED_ADVICE in text and "Samen optrekken." in text


def test_verslag_exports_leave_out_hidden_contributions_and_participant_ids(
    host_http: Any, deps: Any, middag: Afternoon
) -> None:
    edit(host_http, middag, {"appendix": True})  # the raw contributions too, to be sure they are filtered
    hidden = middag.hidden_text.encode()
    participant_ids = re.compile(rb"\bp0[1-7]\b|hash-0[1-7]")
    contributions = deps.repo.list_contributions(middag.session.id)
    files = {fmt: host_http.get(url(middag, f".{fmt}")).data for fmt in ("md", "html", "csv")}
    files["docx"] = docx_xml(host_http.get(url(middag, ".docx")).data)
    with zipfile.ZipFile(io.BytesIO(host_http.get(url(middag, "/alles.zip")).data)) as archive:
        assert sorted(archive.namelist()) == sorted(
            f"{NAME}.{fmt}" for fmt in ("docx", "pdf", "html", "md", "csv"))
        files.update({f"zip:{name}": archive.read(name) for name in archive.namelist()
                      if not name.endswith(("x", "pdf"))})
    for name, data in files.items():
        assert hidden not in data, name
        assert not participant_ids.search(data), name
        assert not any(c.id.encode() in data for c in contributions), name
    # The appendix and the CSV do hold the visible raw contributions.
    shown = [c.text for c in contributions if not c.hidden]
    assert shown[1].encode() in files["csv"] and shown[1].encode() in files["md"]


def test_verslag_export_records_the_recap_for_the_next_terugblik(host_http: Any, deps: Any,
                                                                  middag: Afternoon) -> None:
    edit(host_http, middag, {"rode_draad.paragraph": "Samen optrekken met ouders."})
    assert host_http.get(url(middag, ".csv")).status_code == 200
    assert deps.series.get_series("reeks1").recaps == ()  # raw contributions are no verslag
    assert host_http.get(url(middag, ".md")).status_code == 200
    [recap] = deps.series.get_series("reeks1").recaps
    assert (recap.session_id, recap.rode_draden, recap.rode_draad) == (
        "middag2", ("Erkenning en kracht", "Niet oordelen"), "Samen optrekken met ouders.")


def test_verslag_pdf_without_chromium_says_so_in_dutch(host_http: Any, middag: Afternoon,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no Chromium to be found: the situation on a bare laptop
    response = host_http.get(url(middag, ".pdf"))
    assert response.status_code == 503
    shown = page(response)
    assert "De pdf maken lukte niet: er is geen Microsoft Edge, Google Chrome of Chromium gevonden." in shown
    assert 'href="/host/s/middag2/verslag"' in shown
    response = host_http.get(url(middag, ".pdf"), headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "pdf_failed"


# -- the privacy check ------------------------------------------------------------------------------


@pytest.fixture
def phone_number(deps: Any, bijeenkomst: dict[str, Any]) -> str:
    participant, _, _ = services.join(deps.repo, bijeenkomst["id"])
    services.submit_contribution(deps.repo, deps.registry, bijeenkomst["id"], participant,
                                 client_id="0123456789abcdef0123456789abcdef", text="Bel Finn op 06-12345678")
    return bijeenkomst["id"]


def test_verslag_privacy_check_finds_the_name_and_the_phone_number(host_http: Any, phone_number: str) -> None:
    response = host_http.get(f"/host/s/{phone_number}/verslag/privacy")
    findings = response.get_json()["findings"]
    assert [(f["kind"], f["kind_label"], f["text"]) for f in findings] == [
        ("voornaam", "voornaam", "Finn"), ("telefoon", "telefoonnummer", "06-12345678"),
    ]
    item = next(iter({f["where"] for f in findings}))
    assert {(f["where"], f["where_label"], f["target"]) for f in findings} == {
        (item, "Open vraag: Opbrengst", f"part-{item}.bullets"),
    }
    preview = host_http.get(f"/host/s/{phone_number}/verslag/preview").get_data(as_text=True)
    assert preview.startswith('<article id="verslag">') and preview.endswith("</article>")
    assert ('Bel <mark class="pii" data-kind="voornaam">Finn</mark> op '
            '<mark class="pii" data-kind="telefoon">06-12345678</mark>') in preview
    shown = page(host_http.get(f"/host/s/{phone_number}/verslag"))
    assert '<mark class="pii" data-kind="telefoon">06-12345678</mark>' in shown
    assert '<span class="vs-kind">telefoonnummer</span> <mark class="pii">06-12345678</mark>' in shown


def test_verslag_privacy_check_is_empty_once_the_text_is_edited(host_http: Any, phone_number: str) -> None:
    [key] = {f["where"] for f in host_http.get(f"/host/s/{phone_number}/verslag/privacy").get_json()["findings"]}
    host_http.post(f"/host/s/{phone_number}/verslag/edits", json={"changes": {f"{key}.bullets": "Bel de school."}})
    assert host_http.get(f"/host/s/{phone_number}/verslag/privacy").get_json() == {"ok": True, "findings": [],
                                                                                   "fictional": []}
    assert 'class="pii"' not in host_http.get(f"/host/s/{phone_number}/verslag/preview").get_data(as_text=True)


def test_verslag_send_with_unchecked_findings_is_refused(middag_with_mail: tuple[Any, Afternoon]) -> None:
    client, _ = middag_with_mail
    deps = client.application.extensions["rode_draad"]
    for body in ({}, {"confirm_privacy": False}, {"confirm_privacy": "ja"}):
        response = client.post("/host/s/middag2/verslag/send", json=body)
        assert response.status_code == 400
        assert response.get_json() == {"ok": False, "findings": 2, "error": {
            "code": "confirm_privacy", "field": "confirm_privacy",
            "message": "Controleer eerst de gemarkeerde gegevens in het voorbeeld. Mogen ze erin blijven? Vink dat "
                       "dan aan en verstuur opnieuw."}}
    assert deps.repo.list_mail_log("middag2") == []


def test_verslag_send_and_test_mail_without_settings_say_mail_is_off(host_http: Any, middag: Afternoon) -> None:
    for rest, body in (("/send", {"confirm_privacy": True}), ("/testmail", {"to": "jij@example.org"})):
        response = host_http.post(url(middag, rest), json=body)
        assert response.status_code == 400
        assert response.get_json()["error"] == {
            "code": "mail_not_configured",
            "message": "Mailen is niet ingesteld. Download het verslag en verstuur het zelf.",
        }


# -- export and delete ------------------------------------------------------------------------------


def test_verslag_delete_with_the_wrong_code_keeps_everything(host_http: Any, deps: Any, middag: Afternoon) -> None:
    edit(host_http, middag, {"title": "Eigen titel"})
    response = host_http.post("/host/s/middag2/verwijderen", data={"confirm": "XYZ999"})
    assert response.status_code == 400
    assert "Die code klopt niet." in page(response)
    response = host_http.post("/host/s/middag2/verwijderen", json={"confirm": ""})
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "confirm"
    assert deps.repo.get_session("middag2").title == middag.session.title
    assert deps.repo.get_report_edits("middag2") == {"title": "Eigen titel"}
    assert len(deps.repo.list_contributions("middag2")) > 0


def test_verslag_delete_with_the_code_removes_the_bijeenkomst(host_http: Any, deps: Any, middag: Afternoon) -> None:
    edit(host_http, middag, {"title": "Eigen titel"})
    response = host_http.post("/host/s/middag2/verwijderen", data={"confirm": "abc 234"})  # as typed by a person
    assert (response.status_code, response.headers["Location"]) == (303, "/host/?verwijderd=1")
    for read in (deps.repo.get_session, deps.repo.list_contributions, deps.repo.get_report_edits,
                 deps.repo.list_mail_optins, deps.repo.list_mail_log):
        with pytest.raises(SessionNotFound):
            read("middag2")
    assert [s.id for s in deps.repo.list_sessions()] == []
    assert host_http.get(url(middag)).status_code == 404
    assert host_http.get(url(middag, ".docx")).status_code == 404
    dashboard = page(host_http.get(response.headers["Location"]))
    assert "De bijeenkomst is verwijderd." in dashboard and middag.session.title not in dashboard
    assert deps.series.get_series("reeks1").name == "Mentale veerkracht van kinderen"  # the series stays


def test_verslag_delete_tells_the_phones(host_http: Any, deps: Any, bijeenkomst: dict[str, Any], phones: Any) -> None:
    phone = phones.join()
    phone.get_received()
    response = host_http.post(f"/host/s/{bijeenkomst['id']}/verwijderen", json={"confirm": bijeenkomst["join_code"]})
    assert response.get_json() == {"ok": True, "redirect": "/host/?verwijderd=1"}
    with pytest.raises(SessionNotFound):
        deps.repo.get_session(bijeenkomst["id"])
    received = [(m["name"], m["args"][0] if m["args"] else None) for m in phone.get_received()]
    assert received == [("session_ended", {})]


# -- the terugblik on the host live view ------------------------------------------------------------


def next_meeting(deps: Any) -> WorkshopSession:
    session = WorkshopSession(id="middag3", title="Derde dialoogsessie", date="2027-01-14", join_code="DEF567",
                              created_at=3.0, series="Mentale veerkracht van kinderen", series_id="reeks1",
                              ordinal=3)
    deps.repo.add_session(session)
    return session


def test_host_live_view_shows_the_terugblik_of_the_previous_bijeenkomst(host_http: Any, deps: Any,
                                                                          middag: Afternoon) -> None:
    next_meeting(deps)
    shown = page(host_http.get("/host/s/middag3"))
    assert 'id="terugblik-panel"' in shown and 'id="toggle-terugblik"' in shown
    assert "Dialoogsessie ‘Veerkrachtige ouders’ · 12 november 2026" in shown
    assert "<li>Erkenning en kracht</li><li>Niet oordelen</li>" in shown
    assert f'<p class="terugblik-sentence">{RODE_DRAAD}</p>' in shown
    assert "js/host/terugblik.js" in shown and "T terugblik" in shown
    # The first bijeenkomst of the series has nothing to look back on.
    assert 'id="terugblik-panel"' not in page(host_http.get("/host/s/middag2"))


def test_host_live_view_terugblik_uses_the_published_verslag_after_delete(host_http: Any, deps: Any,
                                                                           middag: Afternoon) -> None:
    next_meeting(deps)
    edit(host_http, middag, {"rode_draad.paragraph": "Samen optrekken met ouders."})
    assert host_http.get(url(middag, ".docx")).status_code == 200
    # The facilitator ticks "Bewaar de terugblik (alleen geaccepteerde themanamen en de afspraken) voor de volgende bijeenkomst".
    deleted = host_http.post("/host/s/middag2/verwijderen", data={"confirm": "ABC234", "keep_recap": "1"})
    assert deleted.status_code == 303
    shown = page(host_http.get("/host/s/middag3"))
    assert "<li>Erkenning en kracht</li><li>Niet oordelen</li>" in shown
    assert '<p class="terugblik-sentence">Samen optrekken met ouders.</p>' in shown


def test_deleting_without_keeping_the_terugblik_takes_it_out_of_the_series(host_http: Any, deps: Any,
                                                                          middag: Afternoon) -> None:
    next_meeting(deps)
    assert host_http.get(url(middag, ".docx")).status_code == 200
    assert deps.series.get_series("reeks1").recaps != ()
    assert host_http.post("/host/s/middag2/verwijderen", data={"confirm": "ABC234"}).status_code == 303
    assert deps.series.get_series("reeks1").recaps == ()
    assert 'id="terugblik-panel"' not in page(host_http.get("/host/s/middag3"))


HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>"><svg onload=alert(3)>'


def test_hostile_text_in_contributions_edits_and_themes_stays_text_in_the_page_preview_and_html(
    host_http: Any, deps: Any, middag: Afternoon
) -> None:
    contribution = deps.repo.list_contributions(middag.session.id)[-1]
    deps.repo.update_contribution(middag.session.id, contribution.__class__(**{**contribution.__dict__,
                                                                               "text": HOSTILE}))
    assert edit(host_http, middag, {"wrap_up": [HOSTILE], "rode_draad.paragraph": HOSTILE}).status_code == 200
    escaped = html.escape(HOSTILE)
    for rest in ("", "/preview", ".html"):
        body = host_http.get(url(middag, rest)).get_data(as_text=True)
        assert HOSTILE not in body and "<img src=x" not in body and "<svg onload" not in body
        assert escaped in body or html.escape(HOSTILE, quote=False) in body
