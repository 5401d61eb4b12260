"""Every GET route of the app, walked from Flask's url_map, answers with a strict Content-Security-Policy and the
usual security headers: as the facilitator, as a phone, as a stranger, and on the error pages (403, 404, 405, 413).
Downloads go out as attachments. A new route without a sample URL here fails the test, so none is forgotten."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.routing import Rule

from facilitator import create_app, resource_dir
from tests.conftest import HOST_KEY

#: Endpoints that hand out a file: they must say "attachment", so a browser never renders one as a page.
DOWNLOADS = {
    "verslag.download",
    "verslag.download_all",
    "host.prepare.export_item",
    "host.prepare.export_agenda",
    "host.prepare.library_export",
}
#: The verslag formats the download route serves.
FORMATS = ("docx", "pdf", "html", "md", "csv")


def policy(header: str) -> dict[str, list[str]]:
    """Parse a Content-Security-Policy into {directive: [sources]}."""
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            assert words[0] not in directives, f"{words[0]} twice in {header!r}"
            directives[words[0]] = words[1:]
    return directives


def assert_secure(response: Any, what: str) -> None:
    """Check the Content-Security-Policy and the other security headers of one response."""
    headers = response.headers
    assert "Content-Security-Policy" in headers, what
    csp = policy(headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"], what
    assert csp["object-src"] == ["'none'"], what
    assert csp["frame-ancestors"] == ["'none'"], what
    assert csp["base-uri"] == ["'none'"], what
    assert csp["form-action"] == ["'self'"], what
    for directive in ("script-src", "style-src"):
        sources = csp[directive]
        assert "'self'" in sources, (what, directive)
        unsafe = [s for s in sources if s in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:",
                                              "blob:", "http:", "https:")]
        assert unsafe == [], (what, directive, unsafe)
    assert headers["X-Content-Type-Options"] == "nosniff", what
    assert headers["X-Frame-Options"] == "DENY", what
    assert headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin-when-cross-origin"), what


@pytest.fixture
def site(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """An app with one bijeenkomst (agenda item, phone, library entry, reachability test), and a client per
    audience."""
    app = create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True,
                      "CHROMIUM": shutil.which("chromium") or "chromium", "DATA_DIR": str(tmp_path)})
    host = app.test_client()
    assert host.get(f"/host/login?key={HOST_KEY}").status_code == 303
    created = host.post("/host/sessions", json={"title": "Dialoogsessie <script>alert(1)</script>"}).get_json()
    deps = app.extensions["rode_draad"]
    session = deps.repo.get_session(created["id"])
    item = session.agenda[0].id
    stored = host.post(f"/host/s/{session.id}/agenda/{item}/bibliotheek", data={"name": "Open vraag <b>x</b>"})
    assert stored.status_code == 303, stored.get_data(as_text=True)
    [entry] = deps.library.list_entries()
    probe = host.post(f"/host/s/{session.id}/probes", json={})
    assert probe.status_code == 201, probe.get_data(as_text=True)
    phone = app.test_client()
    assert phone.post(f"/j/{session.join_code}", data={}).status_code == 303
    remote = host.post(f"/host/s/{session.id}/remote-token", json={})
    assert remote.status_code == 201
    yield {
        "app": app, "host": host, "phone": phone, "stranger": app.test_client(),
        "values": {"session_id": session.id, "item_id": item, "entry_id": entry.id, "code": session.join_code,
                   "probe_id": probe.get_json()["probe"], "token": remote.get_json()["url"].rsplit("/", 1)[1]},
    }


def urls(rule: Rule, values: dict[str, str]) -> list[str]:
    """Return the URLs to fetch for one GET rule: every format, every static file, else the one sample."""
    arguments = set(rule.arguments)
    if rule.endpoint == "static":
        folder = resource_dir("static")
        return [f"/static/{path.relative_to(folder).as_posix()}" for path in sorted(folder.rglob("*")) if path.is_file()]
    unknown = arguments - set(values) - {"fmt"}
    assert not unknown, f"{rule.rule}: add a sample value for {sorted(unknown)} to this test"
    if "fmt" in arguments:
        return [rule.rule.replace("<session_id>", values["session_id"]).replace("<fmt>", fmt) for fmt in FORMATS]
    url = rule.rule
    for name in arguments:
        url = url.replace(f"<{name}>", values[name])
    return [url]


def test_every_get_route_sends_the_security_headers(site: dict[str, Any]) -> None:
    app = site["app"]
    rules = [rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or set())]
    endpoints = {rule.endpoint for rule in rules}
    assert DOWNLOADS <= endpoints
    fetched: dict[str, int] = {}
    for rule in sorted(rules, key=lambda r: r.rule):
        for url in urls(rule, site["values"]):
            for who in ("host", "phone", "stranger"):
                # Only the facilitator signs in with the key; the others try the page without it.
                response = site[who].get(url + (f"?key={HOST_KEY}" if who == "host" and url == "/host/login" else ""))
                assert_secure(response, f"{who} GET {url} ({response.status_code})")
                fetched[f"{who} {url}"] = response.status_code
                if who == "host" and rule.endpoint in DOWNLOADS:
                    assert response.status_code == 200, url
                    assert response.headers["Content-Disposition"].startswith("attachment"), url
    # Each route answered for real: the facilitator's pages for the host, 403 for strangers, the phone's page.
    session_id = site["values"]["session_id"]
    assert fetched[f"host /host/s/{session_id}"] == 200
    assert fetched[f"stranger /host/s/{session_id}"] == 403
    assert fetched[f"phone /p/{session_id}"] == 200
    assert fetched["host /static/js/host.js"] == 200
    assert len(fetched) >= 3 * (len(rules) + len(FORMATS))


def test_error_pages_send_the_security_headers(site: dict[str, Any]) -> None:
    host, stranger = site["host"], site["stranger"]
    session_id = site["values"]["session_id"]
    cases = [
        (stranger.get("/niet-hier"), 404),
        (stranger.get("/static/bestaat-niet.js"), 404),
        (host.get("/host/s/000000000000"), 404),
        (stranger.get(f"/host/s/{session_id}/verslag"), 403),
        (host.post(f"/host/s/{session_id}/tafels", data={"count": "1"}, headers={"Origin": "http://evil.example"}), 403),
        (stranger.delete("/"), 405),
        (host.post(f"/host/s/{session_id}/tafels", data={"count": "1", "table_name": "x" * (65 * 1024)}), 413),
    ]
    for response, status in cases:
        assert response.status_code == status
        assert_secure(response, f"error {status}")
        if response.mimetype == "text/html":
            assert "<script>" not in response.get_data(as_text=True)
