"""HTTP pages: joining, host access, QR code, languages and security headers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.conftest import HOST_KEY


def test_join_flow_sets_an_httponly_cookie_and_opens_the_question(app: Any, bijeenkomst: dict, deps: Any) -> None:
    phone = app.test_client()
    page = phone.get(f"/j/{bijeenkomst['join_code'].lower()}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Zo gaan we met je antwoorden om" in html
    assert "Je doet anoniem mee. We vragen niet om je naam." in html
    assert "gewist als de bijeenkomst 30 dagen niet meer gebruikt is" in html
    response = phone.post(f"/j/{bijeenkomst['join_code']}", data={"table": "7", "perspective": "ervaringsdeskundige"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/p/{bijeenkomst['id']}"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"rd_p_{bijeenkomst['id']}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    [participant] = [deps.repo.participant_by_token_hash(bijeenkomst["id"], p.token_hash) for p in _participants(deps, bijeenkomst)]
    assert (participant.table, participant.perspective) == (7, "ervaringsdeskundige")
    answer = phone.get(f"/p/{bijeenkomst['id']}")
    assert answer.status_code == 200
    assert 'id="answer"' in answer.get_data(as_text=True)
    # A joined phone that scans again goes straight to the question.
    again = phone.get(f"/j/{bijeenkomst['join_code']}")
    assert (again.status_code, again.headers["Location"]) == (303, f"/p/{bijeenkomst['id']}")


def _participants(deps: Any, bijeenkomst: dict) -> list:
    repo = deps.repo
    return list(repo._participants[bijeenkomst["id"]].values())


def test_join_ignores_out_of_range_table_and_refuses_unknown_perspective(app: Any, bijeenkomst: dict, deps: Any
                                                                         ) -> None:
    phone = app.test_client()
    # A perspective the bijeenkomst does not offer is refused, not quietly dropped (see test_perspectives_pages.py).
    assert phone.post(f"/j/{bijeenkomst['join_code']}", data={"table": "999", "perspective": "<script>"}).status_code == 400
    assert _participants(deps, bijeenkomst) == []
    assert phone.post(f"/j/{bijeenkomst['join_code']}", data={"table": "999", "perspective": ""}).status_code == 303
    [participant] = _participants(deps, bijeenkomst)
    assert (participant.table, participant.perspective) == (None, None)


def test_answer_page_without_cookie_goes_to_the_join_page(app: Any, bijeenkomst: dict) -> None:
    response = app.test_client().get(f"/p/{bijeenkomst['id']}")
    assert (response.status_code, response.headers["Location"]) == (303, f"/j/{bijeenkomst['join_code']}")


def test_unknown_code_gets_a_friendly_404(app: Any) -> None:
    response = app.test_client().get("/j/ZZZZZZ")
    assert response.status_code == 404
    assert "De code ZZZZZZ kennen we niet." in response.get_data(as_text=True)


def test_landing_redirects_a_typed_code(app: Any) -> None:
    response = app.test_client().get("/?code=ab c12")
    assert (response.status_code, response.headers["Location"]) == (303, "/j/ABC12")


def test_host_pages_are_closed_without_the_facilitator_cookie(app: Any, bijeenkomst: dict) -> None:
    stranger = app.test_client()
    for path in ("/host/", f"/host/s/{bijeenkomst['id']}", f"/host/s/{bijeenkomst['id']}/qr.svg"):
        response = stranger.get(path)
        assert response.status_code == 403, path
        assert "Alleen voor de gespreksleider" in response.get_data(as_text=True)
    assert stranger.post("/host/sessions", json={"title": "x"}).status_code == 403
    assert stranger.get("/host/login?key=wrong").status_code == 403
    # A phone's own cookie does not open host pages either.
    stranger.post(f"/j/{bijeenkomst['join_code']}", data={})
    assert stranger.get(f"/host/s/{bijeenkomst['id']}").status_code == 403


def test_login_sets_a_strict_httponly_cookie_and_drops_the_key_from_the_url(app: Any) -> None:
    response = app.test_client().get(f"/host/login?key={HOST_KEY}")
    assert (response.status_code, response.headers["Location"]) == (303, "/host/")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"rd_host={HOST_KEY};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_create_with_the_form_opens_voorbereiden_then_the_host_view(host_http: Any, deps: Any) -> None:
    date = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    response = host_http.post("/host/sessions", data={"title": "Derde dialoogsessie", "date": date, "series": "Jeugd", "prompt": "Wat zou Sammy willen?"})
    assert response.status_code == 303
    # A new bijeenkomst opens where it is prepared, not live in front of the room.
    assert re.fullmatch(r"/host/s/[0-9a-f]+/voorbereiden", response.headers["Location"]), response.headers["Location"]
    session_id = response.headers["Location"].split("/")[3]
    assert "Derde dialoogsessie" in host_http.get(response.headers["Location"]).get_data(as_text=True)
    session = deps.repo.get_session(session_id)
    assert (session.title, session.date, session.series) == ("Derde dialoogsessie", date, "Jeugd")
    html = host_http.get(f"/host/s/{session_id}").get_data(as_text=True)
    assert f"/j/{session.join_code}</p>" in html
    assert f"<strong>{session.join_code}</strong>" in html
    assert "Derde dialoogsessie" in html
    dashboard = host_http.get("/host/").get_data(as_text=True)
    assert "Derde dialoogsessie" in dashboard


def test_create_with_a_missing_title_shows_the_form_again(host_http: Any) -> None:
    response = host_http.post("/host/sessions", data={"title": "  "})
    assert response.status_code == 400
    assert 'class="alert"' in response.get_data(as_text=True)


def test_cross_site_form_posts_are_refused(host_http: Any) -> None:
    response = host_http.post("/host/sessions", data={"title": "x"}, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403


def test_qr_code_is_svg_of_the_join_url(host_http: Any, bijeenkomst: dict) -> None:
    response = host_http.get(f"/host/s/{bijeenkomst['id']}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    body = response.get_data(as_text=True)
    assert body.startswith("<svg") and "<path" in body


def test_public_url_overrides_the_detected_address(bijeenkomst: dict) -> None:
    from facilitator import create_app

    app = create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "PUBLIC_URL": "http://10.1.2.3:8080/"})
    host = app.test_client()
    host.get(f"/host/login?key={HOST_KEY}")
    created = host.post("/host/sessions", json={"title": "x"}).get_json()
    assert created["join_url"] == f"http://10.1.2.3:8080/j/{created['join_code']}"


def test_security_headers_on_every_page(app: Any, bijeenkomst: dict) -> None:
    for path in ("/", f"/j/{bijeenkomst['join_code']}", "/host/", "/static/css/app.css"):
        headers = app.test_client().get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_pages_load_nothing_from_elsewhere(app: Any, host_http: Any, bijeenkomst: dict) -> None:
    phone = app.test_client()
    phone.post(f"/j/{bijeenkomst['join_code']}", data={})
    pages = [
        phone.get("/").get_data(as_text=True),
        phone.get(f"/p/{bijeenkomst['id']}").get_data(as_text=True),
        host_http.get(f"/host/s/{bijeenkomst['id']}").get_data(as_text=True),
        host_http.get("/host/").get_data(as_text=True),
    ]
    for html in pages:
        assert re.findall(r"""(?:src|href)=["'](https?:)?//""", html) == []
        assert "<script>" not in html  # no inline scripts: the CSP forbids them


def test_dutch_by_default_english_on_request(app: Any) -> None:
    client = app.test_client()
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert "Code on the screen" in english.get_data(as_text=True)
    assert "rd_lang=en" in english.headers["Set-Cookie"]
    assert "Code on the screen" in client.get("/").get_data(as_text=True)  # remembered
    # The browser's own languages are not asked: Dutch unless the person (or the bijeenkomst) chose otherwise.
    fresh = app.test_client()
    assert "Code op het scherm" in fresh.get("/", headers={"Accept-Language": "en-US,en;q=0.8"}).get_data(as_text=True)
    assert "Code op het scherm" in fresh.get("/", headers={"Accept-Language": "de-DE,fr;q=0.8"}).get_data(as_text=True)


def test_oversized_request_body_is_refused(app: Any, bijeenkomst: dict) -> None:
    response = app.test_client().post(f"/j/{bijeenkomst['join_code']}", data={"table": "1" * 70_000})
    assert response.status_code == 413


def test_every_page_links_the_favicon_and_favicon_ico_answers_with_it(app: Any, host_http: Any, bijeenkomst: dict) -> None:
    """A favicon served by the laptop itself (offline), linked from base.html; /favicon.ico is no 404."""
    link = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
    phone = app.test_client()
    phone.post(f"/j/{bijeenkomst['join_code']}", data={})
    pages = [
        phone.get("/"), app.test_client().get(f"/j/{bijeenkomst['join_code']}"), phone.get(f"/p/{bijeenkomst['id']}"),
        phone.get("/bestaat-niet"), host_http.get("/host/"), host_http.get(f"/host/s/{bijeenkomst['id']}"),
        host_http.get(f"/host/s/{bijeenkomst['id']}/voorbereiden"), host_http.get(f"/host/s/{bijeenkomst['id']}/verslag"),
    ]
    for page in pages:
        assert link in page.get_data(as_text=True), page.request.path
    icon = phone.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.get_data(as_text=True).lstrip().startswith("<svg")
    ico = phone.get("/favicon.ico")
    assert ico.status_code == 200 and ico.mimetype == "image/svg+xml"
    assert ico.get_data() == icon.get_data()
