"""Mailing the verslag from its page, against a real SMTP server (aiosmtpd) on localhost."""

from __future__ import annotations

import dataclasses
import io
import re
import socket
from collections.abc import Iterator
from typing import Any

import docx
import pytest
from aiosmtpd.controller import Controller

from facilitator import create_app
from facilitator.core import services
from facilitator.testing.verslag import Afternoon, afternoon
from tests.conftest import HOST_KEY
from tests.support.smtp import Inbox

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SENDER = "verslag@example.org"
ORGANISERS = ["a.devries@example.org", "k.bakker@example.org"]
PARTICIPANT = "ouder.een@example.net"
SUBJECT = "Verslag: Dialoogsessie ‘Veerkrachtige ouders’"
ATTACHMENT = "verslag-2026-11-12-dialoogsessie-veerkrachtige-ouders.docx"
SEND = "/host/s/middag2/verslag/send"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@dataclasses.dataclass
class Mailing:
    client: Any
    deps: Any
    afternoon: Afternoon
    inbox: Inbox


def mailing_app(port: int) -> tuple[Any, Any, Afternoon]:
    app = create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True, "MAIL_HOST": "127.0.0.1",
                      "MAIL_PORT": port, "MAIL_SECURITY": "none", "MAIL_SENDER": SENDER, "MAIL_TIMEOUT": 5})
    deps = app.extensions["rode_draad"]
    made = afternoon(deps.repo, deps.series)
    # Two participants asked for the verslag, one with an organiser's address in other case; one did not ask.
    services.set_closing(deps.repo, "middag2", True)
    first, second, _ = made.participants[:3]
    services.request_verslag(deps.repo, "middag2", first, email=PARTICIPANT, consent=True)
    services.request_verslag(deps.repo, "middag2", second, email="A.DeVries@Example.ORG", consent=True)
    client = app.test_client()
    assert client.get(f"/host/login?key={HOST_KEY}").status_code == 303
    return client, deps, made


@pytest.fixture
def mailing(inbox: tuple[Inbox, int]) -> Mailing:
    handler, port = inbox
    client, deps, made = mailing_app(port)
    return Mailing(client=client, deps=deps, afternoon=made, inbox=handler)


def send(mailing: Mailing) -> dict[str, Any]:
    response = mailing.client.post(SEND, json={"confirm_privacy": True})
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    return body


def verslag_log(mailing: Mailing) -> list[tuple[str, str, str, str]]:
    return [(e.recipient, e.kind, e.status, e.reason) for e in mailing.deps.repo.list_mail_log("middag2")]


def test_verslag_mail_goes_to_each_recipient_once_in_its_own_message(mailing: Mailing) -> None:
    body = send(mailing)
    assert (body["ok"], body["sent"], body["failed"], body["skipped"]) == (
        True, [*ORGANISERS, PARTICIPANT], [], [])
    assert [(sender, rcpt) for sender, rcpt, _ in mailing.inbox.delivered] == [
        (SENDER, [ORGANISERS[0]]), (SENDER, [ORGANISERS[1]]), (SENDER, [PARTICIPANT])]
    for message, address in zip(mailing.inbox.messages(), [*ORGANISERS, PARTICIPANT], strict=True):
        assert (message["From"], message["To"], message["Subject"]) == (SENDER, address, SUBJECT)
        assert message["Cc"] is None and message["Bcc"] is None
        assert message.get_content_type() == "multipart/mixed"
        alternative, attachment = message.iter_parts()
        assert alternative.get_content_type() == "multipart/alternative"
        text, page = alternative.iter_parts()
        assert (text.get_content_type(), page.get_content_type()) == ("text/plain", "text/html")
        assert text.get_content().startswith("# Dialoogsessie ‘Veerkrachtige ouders’")
        assert '<article id="verslag">' in page.get_content() and 'class="pii"' not in page.get_content()
        assert (attachment.get_content_type(), attachment.get_filename()) == (DOCX, ATTACHMENT)
        document = docx.Document(io.BytesIO(attachment.get_content()))
        assert document.paragraphs[0].text == "Dialoogsessie ‘Veerkrachtige ouders’"
    raw = b"".join(content for _, _, content in mailing.inbox.delivered)
    assert mailing.afternoon.hidden_text.encode() not in raw


def test_verslag_mail_log_keeps_who_when_and_status_never_content(mailing: Mailing) -> None:
    send(mailing)
    entries = mailing.deps.repo.list_mail_log("middag2")
    assert [(e.recipient, e.kind, e.status, e.reason) for e in entries] == [
        (address, "verslag", "sent", "") for address in [*ORGANISERS, PARTICIPANT]]
    assert all(set(dataclasses.asdict(e)) == {"recipient", "at", "kind", "status", "reason"} for e in entries)
    shown = mailing.client.get("/host/s/middag2/verslag").get_data(as_text=True)
    assert shown.count('<tr data-status="sent">') == 6  # three recipients, three log rows
    [recap] = mailing.deps.series.get_series("reeks1").recaps
    assert recap.session_id == "middag2"


def test_verslag_mail_sent_twice_reaches_nobody_again(mailing: Mailing) -> None:
    send(mailing)
    body = send(mailing)
    assert (body["sent"], body["failed"], body["skipped"]) == ([], [], [*ORGANISERS, PARTICIPANT])
    assert len(mailing.inbox.delivered) == 3
    assert len(verslag_log(mailing)) == 3


def test_verslag_mail_refused_address_fails_alone_and_a_retry_sends_only_it(mailing: Mailing) -> None:
    mailing.inbox.refuse = {ORGANISERS[1]}
    body = send(mailing)
    assert body["sent"] == [ORGANISERS[0], PARTICIPANT]
    assert body["failed"] == [{"address": ORGANISERS[1], "reason": "recipient",
                               "message": "De mailserver weigert dit adres."}]
    assert [rcpt for _, rcpt, _ in mailing.inbox.delivered] == [[ORGANISERS[0]], [PARTICIPANT]]
    statuses = {r["address"]: (r["status"], r["status_label"]) for r in body["recipients"]}
    assert statuses[ORGANISERS[1]] == ("failed", "mislukt: De mailserver weigert dit adres.")

    mailing.inbox.refuse = set()
    body = send(mailing)
    assert (body["sent"], body["failed"], body["skipped"]) == ([ORGANISERS[1]], [], [ORGANISERS[0], PARTICIPANT])
    assert [rcpt for _, rcpt, _ in mailing.inbox.delivered] == [[ORGANISERS[0]], [PARTICIPANT], [ORGANISERS[1]]]
    assert verslag_log(mailing) == [
        (ORGANISERS[0], "verslag", "sent", ""), (ORGANISERS[1], "verslag", "failed", "recipient"),
        (PARTICIPANT, "verslag", "sent", ""), (ORGANISERS[1], "verslag", "sent", ""),
    ]


def test_verslag_mail_to_an_unreachable_server_fails_with_connect() -> None:
    client, deps, _ = mailing_app(free_port())  # nothing listens there
    response = client.post(SEND, json={"confirm_privacy": True})
    body = response.get_json()
    assert body["sent"] == []
    assert [(f["address"], f["reason"]) for f in body["failed"]] == [
        (address, "connect") for address in [*ORGANISERS, PARTICIPANT]]
    assert body["failed"][0]["message"].startswith("De mailserver is niet bereikbaar.")


def test_verslag_test_mail_goes_to_the_typed_address_only(mailing: Mailing) -> None:
    response = mailing.client.post("/host/s/middag2/verslag/testmail", json={"to": " jij@example.org "})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["ok"], body["to"]) == (True, "jij@example.org")
    assert [(sender, rcpt) for sender, rcpt, _ in mailing.inbox.delivered] == [(SENDER, ["jij@example.org"])]
    [message] = mailing.inbox.messages()
    assert (message["To"], message["Subject"]) == ("jij@example.org", "Testmail van Rode Draad")
    assert message.get_body(("plain",)).get_content().startswith("Dit is een testmail van Rode Draad.")
    assert verslag_log(mailing) == [("jij@example.org", "test", "sent", "")]
    assert [(row["recipient"], row["kind"], row["status_label"]) for row in body["log"]] == [
        ("jij@example.org", "testmail", "verstuurd")]
    # A test mail does not count as the verslag: everyone still gets it.
    assert send(mailing)["sent"] == [*ORGANISERS, PARTICIPANT]


def test_verslag_test_mail_failure_is_reported_and_logged(mailing: Mailing) -> None:
    mailing.inbox.refuse = {"jij@example.org"}
    response = mailing.client.post("/host/s/middag2/verslag/testmail", json={"to": "jij@example.org"})
    assert response.status_code == 502
    error = response.get_json()["error"]
    assert (error["code"], error["reason"], error["message"]) == (
        "mail_failed", "recipient", "De mailserver weigert dit adres.")
    assert verslag_log(mailing) == [("jij@example.org", "test", "failed", "recipient")]


def test_verslag_test_mail_to_a_non_address_sends_nothing(mailing: Mailing) -> None:
    for typed in ("", "jij", "jij@example.org\r\nBcc: iedereen@example.org", None):
        response = mailing.client.post("/host/s/middag2/verslag/testmail", json={"to": typed})
        assert response.status_code == 400
        assert response.get_json()["error"] == {"code": "invalid_input", "field": "to",
                                                "message": "Dit e-mailadres klopt niet."}
    assert mailing.inbox.delivered == [] and verslag_log(mailing) == []


def test_verslag_mail_settings_come_from_the_environment_too(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("HOST", "smtp.example.nl"), ("PORT", "465"), ("SECURITY", "ssl"), ("USER", "verslag"),
                        ("PASSWORD", "geheim-wachtwoord"), ("SENDER", "verslag@example.nl")):
        monkeypatch.setenv(f"FACILITATOR_MAIL_{name}", value)
    app = create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True})
    deps = app.extensions["rode_draad"]
    afternoon(deps.repo, deps.series)
    client = app.test_client()
    client.get(f"/host/login?key={HOST_KEY}")
    shown = client.get("/host/s/middag2/verslag").get_data(as_text=True)
    settings = re.search(r'<dl class="vs-settings">(.*?)</dl>', shown, re.S)
    assert settings is not None
    assert re.findall(r"<dd>([^<]*)</dd>", settings.group(1)) == [
        "smtp.example.nl", "465", "ssl", "verslag", "verslag@example.nl"]
    assert "geheim-wachtwoord" not in shown
