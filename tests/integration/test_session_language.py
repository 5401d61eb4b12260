"""The facilitator chooses the language of a bijeenkomst; phones follow it and can switch (issue 14, point 8).

Dutch by default, whatever the browser says: before, a phone whose browser preferred English got English pages even
in a Dutch bijeenkomst, and a bijeenkomst had no language of its own. Now: ?lang= or the person's own choice (the
rd_lang cookie), else the bijeenkomst's language, else Dutch.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from facilitator.core import services

ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}
STRINGS = re.compile(r'<script type="application/json" id="rd-strings">(.*?)</script>', re.S)


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def set_language(host_http: Any, session_id: str, language: str) -> Any:
    """Choose the bijeenkomst's language on the prepare page, as the facilitator does."""
    return host_http.post(f"/host/s/{session_id}/gegevens", data={"language": language})


def joined_phone(app: Any, join_code: str, **headers: str) -> Any:
    phone = app.test_client()
    assert phone.post(f"/j/{join_code}", data={}, headers=headers).status_code == 303
    return phone


def test_an_english_browser_gets_dutch_pages_in_a_dutch_bijeenkomst(
    app: Any, host_http: Any, bijeenkomst: dict[str, Any]
) -> None:
    fresh = app.test_client()
    assert '<html lang="nl">' in text(fresh.get("/", headers=ENGLISH_BROWSER))
    join_page = text(fresh.get(f"/j/{bijeenkomst['join_code']}", headers=ENGLISH_BROWSER))
    assert '<html lang="nl">' in join_page and "Welkom!" in join_page
    phone = joined_phone(app, bijeenkomst["join_code"], **ENGLISH_BROWSER)
    assert '<html lang="nl">' in text(phone.get(f"/p/{bijeenkomst['id']}", headers=ENGLISH_BROWSER))
    assert '<html lang="nl">' in text(host_http.get(f"/host/s/{bijeenkomst['id']}", headers=ENGLISH_BROWSER))


def test_a_bijeenkomst_in_english_opens_in_english_on_phones_and_the_host_view(
    app: Any, host_http: Any, bijeenkomst: dict[str, Any]
) -> None:
    sid, code = bijeenkomst["id"], bijeenkomst["join_code"]
    prepare = text(host_http.get(f"/host/s/{sid}/voorbereiden"))
    assert re.search(r'<select name="language"[^>]*>\s*<option value="nl" selected>Nederlands</option>\s*'
                     r'<option value="en">English</option>', prepare), "the prepare page offers the language"
    saved = set_language(host_http, sid, "en")
    assert saved.status_code == 303 and saved.headers["Location"].endswith("#gegevens")
    assert re.search(r'<option value="en" selected>English</option>', text(host_http.get(f"/host/s/{sid}/voorbereiden")))

    fresh = app.test_client()
    join_page = text(fresh.get(f"/j/{code}"))  # a Dutch browser (no header at all): the bijeenkomst decides
    assert '<html lang="en">' in join_page and "Welcome!" in join_page
    phone = joined_phone(app, code)
    answer = text(phone.get(f"/p/{sid}"))
    assert '<html lang="en">' in answer
    match = STRINGS.search(answer)
    assert match is not None and '"sent": "sent"' in match.group(1)
    # The host view is the room's too; the facilitator's own pages without a bijeenkomst stay Dutch.
    assert '<html lang="en">' in text(host_http.get(f"/host/s/{sid}"))
    assert '<html lang="nl">' in text(host_http.get("/host/"))


def test_a_phone_switches_for_itself_and_keeps_its_choice(app: Any, host_http: Any, bijeenkomst: dict[str, Any]) -> None:
    sid, code = bijeenkomst["id"], bijeenkomst["join_code"]
    set_language(host_http, sid, "en")
    phone = joined_phone(app, code)
    switched = phone.get(f"/p/{sid}?lang=nl")
    assert '<html lang="nl">' in text(switched) and "rd_lang=nl" in switched.headers["Set-Cookie"]
    assert '<html lang="nl">' in text(phone.get(f"/p/{sid}"))  # the phone's own cookie wins over the bijeenkomst
    other = joined_phone(app, code)
    assert '<html lang="en">' in text(other.get(f"/p/{sid}"))  # the others still follow the bijeenkomst


@pytest.mark.parametrize("page", ["join", "answer"])
def test_the_phone_shows_one_language_switch_at_the_top(app: Any, bijeenkomst: dict[str, Any], page: str) -> None:
    if page == "join":
        html = text(app.test_client().get(f"/j/{bijeenkomst['join_code']}"))
    else:
        html = text(joined_phone(app, bijeenkomst["join_code"]).get(f"/p/{bijeenkomst['id']}"))
    assert html.count('<nav class="lang') == 1
    top = html.split("<main", 1)[0] if page == "answer" else html.split("<h1", 1)[0]
    assert '<a href="?lang=en" hreflang="en" lang="en">English</a>' in top


def test_socket_messages_follow_the_bijeenkomst_and_the_phones_choice(
    app: Any, socketio: Any, host_http: Any, bijeenkomst: dict[str, Any]
) -> None:
    sid, code = bijeenkomst["id"], bijeenkomst["join_code"]

    def empty_answer_message(http: Any) -> str:
        client = socketio.test_client(app, flask_test_client=http)
        assert client.emit("join_session", {"session": sid, "role": "participant"}, callback=True)["ok"] is True
        ack = client.emit("submit_contribution", {"session": sid, "client_id": "abcdefgh1", "text": ""}, callback=True)
        client.disconnect()
        return str(ack["error"]["message"])

    dutch_phone_english_browser = joined_phone(app, code)
    english_browser = socketio.test_client(app, flask_test_client=dutch_phone_english_browser, headers=ENGLISH_BROWSER)
    english_browser.emit("join_session", {"session": sid, "role": "participant"}, callback=True)
    ack = english_browser.emit("submit_contribution", {"session": sid, "client_id": "abcdefgh1", "text": ""},
                               callback=True)
    assert ack["error"]["message"] == "Je tekst is leeg. Typ eerst iets."
    english_browser.disconnect()
    set_language(host_http, sid, "en")
    assert empty_answer_message(joined_phone(app, code)) == "Your text is empty. Type something first."
    switched = joined_phone(app, code)
    switched.get(f"/p/{sid}?lang=nl")
    assert empty_answer_message(switched) == "Je tekst is leeg. Typ eerst iets."


def test_the_language_is_one_of_ours_and_goes_with_a_copy(app: Any, host_http: Any, deps: Any) -> None:
    made = host_http.post("/host/sessions", json={"title": "International", "language": "en"}).get_json()
    assert deps.repo.get_session(made["id"]).language == "en"
    plain = host_http.post("/host/sessions", json={"title": "Gewoon"}).get_json()["id"]
    assert deps.repo.get_session(plain).language == "nl"
    refused = set_language(host_http, plain, "de")
    assert refused.status_code == 400 and "Dit klopt nog niet: kijk bij Taal." in text(refused)
    assert deps.repo.get_session(plain).language == "nl"
    copied = host_http.post(f"/host/s/{made['id']}/kopie", data={"title": "Nog eens"})
    copy_id = copied.headers["Location"].split("/")[3]
    assert deps.repo.get_session(copy_id).language == "en"
    bad = host_http.post("/host/sessions", json={"title": "Duits", "language": "de"})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_input"


def test_a_refusal_for_a_foreign_name_does_not_tell_the_bijeenkomsts_language(
    app: Any, host_http: Any, bijeenkomst: dict[str, Any]
) -> None:
    """The 400 for another site's name looks up no bijeenkomst: its language would tell a guessed code exists."""
    set_language(host_http, bijeenkomst["id"], "en")
    for url in (f"/j/{bijeenkomst['join_code']}", "/j/AAAAAA"):
        refused = app.test_client().get(url, base_url="http://evil.example:5000")
        assert refused.status_code == 400 and text(refused).startswith("Dit adres hoort niet bij deze laptop.")


def test_a_bijeenkomst_stored_before_languages_existed_is_dutch(deps: Any, bijeenkomst: dict[str, Any]) -> None:
    from facilitator.storage.codec import session_from_doc, session_to_doc

    doc = session_to_doc(deps.repo.get_session(bijeenkomst["id"]))
    del doc["language"]
    assert session_from_doc(doc).language == "nl"


def test_what_the_room_hears_is_in_the_bijeenkomsts_language_not_the_senders(
    app: Any, socketio: Any, host_http: Any, bijeenkomst: dict[str, Any], deps: Any
) -> None:
    """A facilitator who reads the regie in English moves a Dutch room on: the phones still get Dutch."""
    sid, code = bijeenkomst["id"], bijeenkomst["join_code"]
    services.add_agenda_item(deps.repo, deps.registry, sid, "open_vraag", {})
    services.add_agenda_item(deps.repo, deps.registry, sid, "vier_buffers", {})
    dutch_phone = socketio.test_client(app, flask_test_client=joined_phone(app, code))
    assert dutch_phone.emit("join_session", {"session": sid, "role": "participant"}, callback=True)["ok"] is True
    host_http.get(f"/host/s/{sid}?lang=en")  # the facilitator's own choice, remembered in rd_lang
    host = socketio.test_client(app, flask_test_client=host_http)
    assert host.emit("join_session", {"session": sid, "role": "host"}, callback=True)["ok"] is True
    dutch_phone.get_received()
    assert host.emit("advance_phase", {"session": sid}, callback=True)["ok"] is True
    received = dutch_phone.get_received()
    heard = [m["args"][0] for m in received if m["name"] == "phase_changed"]
    assert heard, [m["name"] for m in received]
    english = {"Open question", "Answer the question", "Send"}
    words = repr(heard)
    assert not [w for w in english if w in words], words
    assert "Open vraag" in words or "vraag" in words.lower(), words
    host.disconnect()
    dutch_phone.disconnect()
