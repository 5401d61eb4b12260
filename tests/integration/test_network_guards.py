"""The Host check, the join limit per address, the Origin check on joins and the reverse-proxy setting, through
Flask's test client with injected addresses (the real eventlet server is in tests/e2e/test_dns_rebinding.py and
tests/e2e/test_abusive_clients.py)."""

from __future__ import annotations

from typing import Any

import pytest

from facilitator import create_app
from facilitator.web.guards.throttle import WindowLimit
from tests.conftest import HOST_KEY

REFUSED_NL = "Dit adres hoort niet bij deze laptop."
REFUSED_EN = "This address does not belong to this laptop."
TOO_MANY_NL = "Er zijn vanaf dit netwerkadres te veel telefoons aangemeld. Wacht 60 seconden en probeer het dan opnieuw."


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def from_address(app: Any, address: str, **environ: str) -> Any:
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": address, **environ})
    return client


def with_join_limit(app: Any, limit: int = 5) -> FakeClock:
    clock = FakeClock()
    app.extensions["rode_draad"].joins = WindowLimit(limit, 60, clock=clock)
    return clock


# -- Host ---------------------------------------------------------------------------------------------------


def test_a_foreign_host_gets_400_with_a_short_text_in_the_phones_language(app: Any, bijeenkomst: dict[str, Any]) -> None:
    client = app.test_client()
    code = bijeenkomst["join_code"]
    for url in (f"/j/{code}", "/", "/healthz", "/socket.io/?EIO=4&transport=polling"):
        refused = client.get(url, base_url="http://evil.example:5000")
        assert refused.status_code == 400 and refused.get_data(as_text=True).startswith(REFUSED_NL), url
        assert refused.mimetype == "text/plain"
    english = client.post(f"/j/{code}?lang=en", json={}, base_url="http://evil.example")
    assert english.status_code == 400 and english.get_data(as_text=True).startswith(REFUSED_EN)
    assert client.get(f"/j/{code}", base_url="http://localhost:5000").status_code == 200


def test_an_address_the_host_view_advertises_is_served(host_http: Any, bijeenkomst: dict[str, Any]) -> None:
    app = create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True,
                      "LAN_ADDRESSES": lambda: ["10.20.30.40", "172.16.0.9"]})
    host = app.test_client()
    assert host.get(f"/host/login?key={HOST_KEY}").status_code == 303
    room = host.post("/host/sessions", json={"title": "QR"}).get_json()
    assert room["join_url"].startswith("http://10.20.30.40/")
    phone = app.test_client()
    # SERVER_NAME says the connection arrived elsewhere (as behind a NAT): only the advertising lets it in.
    for address in ("10.20.30.40", "172.16.0.9"):
        opened = phone.get(f"/j/{room['join_code']}", base_url=f"http://{address}:5000",
                           environ_overrides={"SERVER_NAME": "192.0.2.99"})
        assert opened.status_code == 200, address
    assert phone.get(f"/j/{room['join_code']}", base_url="http://10.20.30.41:5000",
                     environ_overrides={"SERVER_NAME": "192.0.2.99"}).status_code == 400


# -- joins per address --------------------------------------------------------------------------------------


def test_one_address_joins_a_handful_of_phones_a_minute_right_code_or_not(app: Any, bijeenkomst: dict[str, Any]) -> None:
    clock = with_join_limit(app, 5)
    code = bijeenkomst["join_code"]
    script = from_address(app, "192.168.1.66")
    answers = [script.post(f"/j/{code}", json={}) for _ in range(8)]
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 3
    assert answers[-1].get_json()["error"] == {"code": "too_many_joins", "message": TOO_MANY_NL}
    assert answers[-1].headers["Retry-After"] == "60"
    # The phone's own form: the join page again, the reason on it.
    page = script.post(f"/j/{code}", data={"table": "3"})
    assert page.status_code == 429 and TOO_MANY_NL in page.get_data(as_text=True)
    assert 'name="table"' in page.get_data(as_text=True) and 'value="3"' in page.get_data(as_text=True)

    assert from_address(app, "192.168.1.67").post(f"/j/{code}", json={}).status_code == 200  # its neighbour
    for laptop in ("127.0.0.1", "::1"):  # the laptop itself never waits
        assert [from_address(app, laptop).post(f"/j/{code}", json={}).status_code for _ in range(20)] == [200] * 20
    clock.now += 60
    assert script.post(f"/j/{code}", json={}).status_code == 200


def test_a_rejoin_with_a_herstelcode_is_not_a_new_join(app: Any, bijeenkomst: dict[str, Any]) -> None:
    with_join_limit(app, 1)
    code = bijeenkomst["join_code"]
    phone = from_address(app, "192.168.1.70")
    assert phone.post(f"/j/{code}", json={}).status_code == 200
    assert phone.post(f"/j/{code}", json={}).status_code == 429
    answer = phone.post(f"/j/{code}/terug", json={"herstelcode": "AAAAA-BBBBB"})
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "rejoin_code_invalid"


# -- Origin -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "https://localhost", "http://localhost:5000"])
def test_a_join_posted_from_another_site_is_refused(app: Any, bijeenkomst: dict[str, Any], origin: str) -> None:
    client = app.test_client()
    code = bijeenkomst["join_code"]
    form = client.post(f"/j/{code}", data={}, headers={"Origin": origin})
    assert form.status_code == 403 and "Aanmelden kan alleen via de pagina van deze bijeenkomst." in form.get_data(True)
    assert "Set-Cookie" not in form.headers
    data = client.post(f"/j/{code}", json={}, headers={"Origin": origin})
    assert data.status_code == 403 and data.get_json()["error"]["code"] == "foreign_origin"
    assert client.post(f"/j/{code}", data={}, headers={"Origin": "http://localhost"}).status_code == 303


# -- behind a reverse proxy ---------------------------------------------------------------------------------


def test_without_the_setting_forwarded_headers_are_not_believed(app: Any, bijeenkomst: dict[str, Any]) -> None:
    with_join_limit(app, 2)
    code = bijeenkomst["join_code"]
    # A client claiming to be the laptop, or someone else each time, is still the one address it came from.
    claims = [from_address(app, "192.168.1.80", HTTP_X_FORWARDED_FOR=claim) for claim in ("127.0.0.1", "10.0.0.1", "::1")]
    assert [c.post(f"/j/{code}", json={}).status_code for c in claims] == [200, 200, 429]
    spoofed = app.test_client().get(f"/j/{code}", base_url="http://evil.example",
                                    headers={"X-Forwarded-Host": "localhost"})
    assert spoofed.status_code == 400


def test_behind_a_configured_reverse_proxy_each_phone_is_its_forwarded_address() -> None:
    app = create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True, "REVERSE_PROXIES": 1,
                      "PUBLIC_URL": "https://rode-draad.example.org"})
    with_join_limit(app, 2)
    host = app.test_client()
    assert host.get(f"/host/login?key={HOST_KEY}").status_code == 303
    code = host.post("/host/sessions", json={"title": "Proxy"}).get_json()["join_code"]

    def via_proxy(client_address: str, **headers: str) -> Any:
        # The proxy runs on the laptop: every connection comes from 127.0.0.1 and names the phone in the header.
        client = from_address(app, "127.0.0.1")
        forwarded = {"X-Forwarded-For": client_address, "X-Forwarded-Proto": "https",
                     "X-Forwarded-Host": "rode-draad.example.org", **headers}
        return client.post(f"/j/{code}", json={}, base_url="http://127.0.0.1:5000", headers=forwarded)

    assert [via_proxy("198.51.100.7").status_code for _ in range(3)] == [200, 200, 429]  # the proxy is no exemption
    assert via_proxy("198.51.100.8").status_code == 200
    # Only the last hop is believed: what the phone wrote into the header itself does not help it.
    assert via_proxy("127.0.0.1, 198.51.100.7").status_code == 429
    # The name the phone asked for, and its scheme, are the forwarded ones: same origin on https.
    assert via_proxy("198.51.100.9", Origin="https://rode-draad.example.org").status_code == 200
    assert via_proxy("198.51.100.10", Origin="http://evil.example").status_code == 403
    assert via_proxy("198.51.100.11", **{"X-Forwarded-Host": "evil.example"}).status_code == 400
