"""The verslag on the real eventlet server: Word and PDF rendered in the thread pool, e-mail over real SMTP."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from aiosmtpd.controller import Controller

from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries
from facilitator.testing.live_server import LiveServer
from facilitator.testing.verslag import afternoon
from facilitator.verslag.pdf import count_pdf_pages
from tests.support.smtp import Inbox

pytestmark = pytest.mark.e2e


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
def server(data_dir: Path, smtp: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    repo = TinyDBRepository(data_dir)
    afternoon(repo, TinyDBSeries(data_dir))
    # Dated today, so the start-up purge of expired bijeenkomsten keeps it whatever day the test runs.
    repo.save_session(dataclasses.replace(repo.get_session("middag2"), date=dt.date.today().isoformat()))
    for name, value in {"MAIL_HOST": "127.0.0.1", "MAIL_PORT": str(smtp[1]), "MAIL_SECURITY": '"none"',
                        "MAIL_SENDER": '"verslag@example.org"'}.items():
        monkeypatch.setenv(f"FACILITATOR_{name}", value)
    live = LiveServer(data_dir)
    try:
        live.start()
        yield live
    finally:
        live.kill()
        print("---- server output ----\n" + "".join(live.output))


def test_verslag_exports_and_mail_work_on_the_real_server(server: LiveServer, smtp: tuple[Inbox, int]) -> None:
    http = server.host_session()
    base = f"{server.base_url}/host/s/middag2/verslag"
    origin = {"Origin": server.base_url}
    saved = http.post(f"{base}/edits", json={"changes": {"wrap_up": ["Vier buffers – het vangnet is van ons"]}},
                      headers=origin)
    assert saved.status_code == 200, saved.text

    word = http.get(f"{base}.docx")
    assert word.status_code == 200
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]
    assert "Vier buffers – het vangnet is van ons" in paragraphs

    pdf = http.get(f"{base}.pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert count_pdf_pages(pdf.content) >= 2

    archive = zipfile.ZipFile(io.BytesIO(http.get(f"{base}/alles.zip").content))
    assert sorted(name.rsplit(".", 1)[1] for name in archive.namelist()) == ["csv", "docx", "html", "md", "pdf"]

    sent = http.post(f"{base}/send", json={"confirm_privacy": True}, headers=origin)
    assert sent.status_code == 200, sent.text
    assert sorted(sent.json()["sent"]) == ["a.devries@example.org", "k.bakker@example.org"]
    inbox, _port = smtp
    assert sorted(tuple(e) for e in inbox.recipients) == [("a.devries@example.org",),
                                                                 ("k.bakker@example.org",)]
    message = inbox.messages()[0]
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]
    again = http.post(f"{base}/send", json={"confirm_privacy": True}, headers=origin)
    assert (again.json()["sent"], len(inbox.delivered)) == ([], 2)
