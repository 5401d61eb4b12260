"""Instellingen → E-mail on the real eventlet server: entered on the page of a running server (no environment
variables, no restart), the password written 0600 by the server process, a test mail and the verslag with its
cover note through a real SMTP server, and the password nowhere in the page or the server's output."""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries
from facilitator.testing.live_server import LiveServer
from facilitator.testing.verslag import afternoon
from facilitator.verslag.mail_config import PASSWORD_FILE
from tests.support.smtp import Inbox

pytestmark = pytest.mark.e2e

PASSWORD = "live-geheim-789"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def server(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    repo = TinyDBRepository(data_dir)
    afternoon(repo, TinyDBSeries(data_dir))
    repo.save_session(dataclasses.replace(repo.get_session("middag2"), date=dt.date.today().isoformat()))
    for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "SENDER"):
        monkeypatch.delenv(f"FACILITATOR_MAIL_{name}", raising=False)
    live = LiveServer(data_dir)
    try:
        live.start()
        yield live
    finally:
        live.kill()


def test_mail_set_up_on_the_running_server_sends_the_verslag_with_the_cover_note(
    server: LiveServer, smtp: tuple[Inbox, int], data_dir: Path,
) -> None:
    inbox, port = smtp
    http = server.host_session()
    origin = {"Origin": server.base_url}
    verslag = f"{server.base_url}/host/s/middag2/verslag"
    assert "Mailen is nog niet ingesteld." in http.get(verslag).text

    saved = http.post(f"{server.base_url}/host/instellingen/e-mail", headers=origin, allow_redirects=False, data={
        "host": "127.0.0.1", "port": str(port), "security": "none", "user": "", "password": PASSWORD,
        "sender": "verslag@example.org", "sender_name": "Rode Draad Noord"})
    assert saved.status_code == 303, saved.text
    assert stat.S_IMODE((data_dir / PASSWORD_FILE).stat().st_mode) == 0o600
    page = http.get(f"{server.base_url}/host/instellingen/e-mail")
    assert "opgeslagen" in page.text and PASSWORD not in page.text

    tested = http.post(f"{server.base_url}/host/instellingen/e-mail/test", headers=origin,
                       data={"to": "jij@example.org"})
    assert tested.status_code == 200 and "Testmail verstuurd naar jij@example.org." in tested.text

    sent = http.post(f"{verslag}/send", headers=origin,
                     json={"confirm_privacy": True, "cover_note": "Beste allen,\n\nHierbij het verslag."})
    assert sent.status_code == 200, sent.text
    assert sorted(sent.json()["sent"]) == ["a.devries@example.org", "k.bakker@example.org"]
    messages = inbox.messages()
    assert [m["To"] for m in messages] == ["jij@example.org", "a.devries@example.org", "k.bakker@example.org"]
    for message in messages[1:]:
        assert message["From"] == "Rode Draad Noord <verslag@example.org>"
        assert message.get_body(("plain",)).get_content().startswith("Beste allen,\r\n\r\nHierbij het verslag.")
    server.kill()
    assert PASSWORD not in "".join(server.output)
