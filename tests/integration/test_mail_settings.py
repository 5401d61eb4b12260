"""Instellingen → E-mail: settings entered and tested on a page, against a real SMTP server (aiosmtpd) on localhost;
the password in a file only this user can read, never on a page or in the log; no restart; the cover note."""

from __future__ import annotations

import html
import json
import logging
import re
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from facilitator import create_app
from facilitator.core import services
from facilitator.testing.verslag import afternoon
from facilitator.verslag.mail_config import PASSWORD_FILE, SETTINGS_FILE
from tests.conftest import HOST_KEY
from tests.support.smtp import Inbox

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

USER, PASSWORD = "verslag@example.org", "Zeer-geheim wachtwoord 123!"
SENDER = "verslag@example.org"
PAGE = "/host/instellingen/e-mail"
TEST = "/host/instellingen/e-mail/test"


def one_login(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(), PASSWORD.encode())
    return AuthResult(success=good, handled=False)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    # A server that wants a login, also without TLS (the test has no certificate; the login is what is tested).
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=one_login, auth_required=True,
                            auth_require_tls=False)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def app(tmp_path: Path) -> Any:
    """The app as a laptop runs it: files in a data folder, no mail settings anywhere."""
    return create_app({"STORAGE": "tinydb", "DATA_DIR": str(tmp_path), "HOST_KEY": HOST_KEY, "TESTING": True,
                       "WARM_UP_CLUSTERING": False, "MAIL_TIMEOUT": 5})


@pytest.fixture
def host(app: Any) -> Any:
    client = app.test_client()
    assert client.get(f"/host/login?key={HOST_KEY}").status_code == 303
    return client


def form(port: int, **changes: str) -> dict[str, str]:
    return {"host": "127.0.0.1", "port": str(port), "security": "none", "user": USER, "password": PASSWORD,
            "sender": SENDER, "sender_name": "Samenwerkingsverband Noord"} | changes


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_settings_page_is_the_facilitators_only_and_refuses_other_sites(app: Any, host: Any, tmp_path: Path) -> None:
    stranger = app.test_client()
    assert stranger.get(PAGE).status_code == 403
    assert stranger.post(PAGE, data=form(25)).status_code == 403
    assert stranger.post(TEST, data={"to": "jij@example.org"}).status_code == 403
    for url in (PAGE, TEST):
        assert host.post(url, data=form(25), headers={"Origin": "https://elders.example"}).status_code == 403
    assert not (tmp_path / SETTINGS_FILE).exists() and not (tmp_path / PASSWORD_FILE).exists()
    shown = text(host.get(PAGE))
    assert 'id="mail-port" name="port" inputmode="numeric" value=""' in shown  # empty: the usual port for the security chosen


def test_saving_keeps_the_password_in_a_file_only_this_user_can_read_and_never_shows_it(
    host: Any, tmp_path: Path, smtp: tuple[Inbox, int], caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    saved = host.post(PAGE, data=form(smtp[1]))
    assert saved.status_code == 303 and "opgeslagen=1" in saved.headers["Location"]
    password_file = tmp_path / PASSWORD_FILE
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert password_file.read_text(encoding="utf-8") == PASSWORD
    settings = json.loads((tmp_path / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert settings == {"MAIL_HOST": "127.0.0.1", "MAIL_PORT": smtp[1], "MAIL_SECURITY": "none", "MAIL_USER": USER,
                        "MAIL_SENDER": SENDER, "MAIL_SENDER_NAME": "Samenwerkingsverband Noord"}
    assert stat.S_IMODE((tmp_path / SETTINGS_FILE).stat().st_mode) == 0o600
    shown = text(host.get(saved.headers["Location"]))
    assert "Opgeslagen. Het geldt meteen" in shown
    assert re.search(r'<strong id="password-state">opgeslagen</strong>', shown)
    assert PASSWORD not in shown and PASSWORD not in saved.get_data(as_text=True)
    assert re.search(r'<input id="mail-password" type="password" name="password" value=""', shown)
    assert f'value="{SENDER}"' in shown and 'value="127.0.0.1"' in shown
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("facilitator"))
    assert ours == "mail settings saved"  # that it happened, never what: no server, login or password

    # Saving again with an empty password field keeps the password; the box removes it.
    assert host.post(PAGE, data=form(smtp[1], password="", sender_name="")).status_code == 303
    assert password_file.read_text(encoding="utf-8") == PASSWORD
    assert host.post(PAGE, data=form(smtp[1], password="", forget_password="1")).status_code == 303
    assert not password_file.exists()
    assert '<strong id="password-state">niet ingesteld</strong>' in text(host.get(PAGE))


def test_wrong_settings_are_named_per_field_and_nothing_is_saved(host: Any, tmp_path: Path) -> None:
    response = host.post(PAGE, data=form(25) | {"port": "99999", "sender": "geen adres", "host": "smtp example"})
    assert response.status_code == 400
    shown = text(response)
    assert "De poort is een getal van 1 tot 65535" in shown
    assert "Vul het e-mailadres in waar de mail vandaan komt" in shown
    assert "Vul alleen de naam of het adres van de server in" in shown
    assert PASSWORD not in shown
    assert list(tmp_path.glob("mail-*")) == []


@pytest.mark.parametrize("port", ["²", "2²", "0", "-25", "25 "])
def test_a_port_that_is_not_a_number_from_1_to_65535_is_named_not_a_crash(host: Any, tmp_path: Path, port: str) -> None:
    """"²" is a digit to str.isdigit but not to int(): it once answered 500."""
    response = host.post(PAGE, data=form(25) | {"port": port})
    if port == "25 ":  # surrounding spaces are trimmed, as in every field
        assert response.status_code == 303
        return
    assert response.status_code == 400
    assert "De poort is een getal van 1 tot 65535" in text(response)
    assert list(tmp_path.glob("mail-*")) == []


def test_test_mail_with_the_saved_settings_arrives_from_the_named_sender(host: Any, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    assert host.post(PAGE, data=form(port)).status_code == 303
    response = host.post(TEST, data={"to": "jij@example.org"})
    assert response.status_code == 200
    assert "Testmail verstuurd naar jij@example.org." in text(response)
    [message] = inbox.messages()
    assert (message["From"], message["To"], message["Subject"]) == (
        f"Samenwerkingsverband Noord <{SENDER}>", "jij@example.org", "Testmail van Rode Draad")
    assert message.get_body(("plain",)).get_content().startswith("Dit is een testmail van Rode Draad.")


def test_test_mail_with_a_wrong_password_says_so_in_dutch_with_the_servers_reply(
    host: Any, smtp: tuple[Inbox, int],
) -> None:
    inbox, port = smtp
    assert host.post(PAGE, data=form(port, password="fout-wachtwoord-456")).status_code == 303
    response = host.post(TEST, data={"to": "jij@example.org"})
    assert response.status_code == 502
    shown = text(response)
    assert "De mailserver weigert de gebruikersnaam of het wachtwoord." in shown
    assert re.search(r"Antwoord van de server: <code>SMTPAuthenticationError: 535 [^<]*</code>", shown)
    assert "fout-wachtwoord-456" not in shown
    assert inbox.delivered == []


def test_test_mail_to_an_unreachable_server_and_without_settings(host: Any) -> None:
    response = host.post(TEST, data={"to": "jij@example.org"})
    assert response.status_code == 400
    assert "Vul eerst de mailserver in en sla de instellingen op." in text(response)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = probe.getsockname()[1]  # nothing listens here once the probe is closed
    assert host.post(PAGE, data=form(nobody)).status_code == 303
    response = host.post(TEST, data={"to": "jij@example.org"})
    assert response.status_code == 502
    assert "De mailserver is niet bereikbaar. Controleer de server, de poort en de internetverbinding." in text(response)


def test_settings_work_without_a_restart_and_the_cover_note_opens_the_mail(
    app: Any, host: Any, smtp: tuple[Inbox, int],
) -> None:
    inbox, port = smtp
    deps = app.extensions["rode_draad"]
    afternoon(deps.repo, deps.series)
    services.set_closing(deps.repo, "middag2", True)
    verslag = "/host/s/middag2/verslag"
    page = text(host.get(verslag))
    assert "Mailen is nog niet ingesteld." in page
    assert 'href="/host/instellingen/e-mail?terug=/host/s/middag2/verslag"' in page
    assert host.post(f"{verslag}/send", json={"confirm_privacy": True}).status_code == 400

    # Entered on the page, in force at the next request of the same running app.
    assert host.post(PAGE, data=form(port)).status_code == 303
    page = text(host.get(verslag))
    assert re.findall(r"<dd>([^<]*)</dd>", page)[:5] == ["127.0.0.1", str(port), "none", USER, SENDER]
    assert "Begeleidende tekst (optioneel)" in page and PASSWORD not in page
    note = "Beste allen,\n\nHierbij het verslag van 12 november. <b>Reacties</b> zijn welkom!\nGroet, Marieke"
    sent = host.post(f"{verslag}/send", json={"confirm_privacy": True, "cover_note": note})
    assert sent.status_code == 200, sent.get_data(as_text=True)
    assert sent.get_json()["sent"] == ["a.devries@example.org", "k.bakker@example.org"]
    for message in inbox.messages():
        assert message["From"] == f"Samenwerkingsverband Noord <{SENDER}>"
        plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        assert plain.startswith(note + "\n\n---\n\n# Dialoogsessie ‘Veerkrachtige ouders’")
        markup = message.get_body(("html",)).get_content()
        assert ('<body>\n<div class="cover-note">\n<p>Beste allen,</p>\n<p>Hierbij het verslag van 12 november. '
                "&lt;b&gt;Reacties&lt;/b&gt; zijn welkom!<br>\nGroet, Marieke</p>\n</div>\n<hr>\n"
                '<article id="verslag">') in markup.replace("\r\n", "\n")


def test_a_too_long_cover_note_is_refused_before_anything_is_sent(host: Any, app: Any,
                                                                   smtp: tuple[Inbox, int]) -> None:
    deps = app.extensions["rode_draad"]
    afternoon(deps.repo, deps.series)
    assert host.post(PAGE, data=form(smtp[1])).status_code == 303
    response = host.post("/host/s/middag2/verslag/send", json={"confirm_privacy": True, "cover_note": "x" * 5001})
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "cover_note"
    assert smtp[0].delivered == []


def test_environment_settings_are_the_defaults_until_the_page_is_saved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, smtp: tuple[Inbox, int],
) -> None:
    inbox, port = smtp
    for name, value in (("HOST", "smtp.example.nl"), ("PORT", "465"), ("SECURITY", "ssl"), ("USER", USER),
                        ("PASSWORD", "omgevings-wachtwoord"), ("SENDER", "verslag@example.nl")):
        monkeypatch.setenv(f"FACILITATOR_MAIL_{name}", value)
    app = create_app({"STORAGE": "tinydb", "DATA_DIR": str(tmp_path), "HOST_KEY": HOST_KEY, "TESTING": True,
                      "WARM_UP_CLUSTERING": False, "MAIL_TIMEOUT": 5})
    client = app.test_client()
    client.get(f"/host/login?key={HOST_KEY}")
    shown = text(client.get(PAGE))
    assert 'value="smtp.example.nl"' in shown and 'value="465"' in shown
    assert '<strong id="password-state">ingesteld in de omgeving</strong>' in shown
    assert "omgevings-wachtwoord" not in shown
    # The page wins: its server, its login, its password (the environment's is not sent to another server).
    assert client.post(PAGE, data=form(port)).status_code == 303
    assert client.post(TEST, data={"to": "jij@example.org"}).status_code == 200
    assert len(inbox.delivered) == 1
