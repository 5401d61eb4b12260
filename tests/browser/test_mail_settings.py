"""In Chromium: the facilitator sets up mail on Instellingen → E-mail of a running server started without any mail
settings, sends a test mail from there, and mails the verslag with a cover note typed in the send dialog."""

from __future__ import annotations

import dataclasses
import email
from collections.abc import Callable, Iterator
from email import policy
from pathlib import Path

import pytest
from playwright.sync_api import expect

from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries
from facilitator.testing.live_server import LiveServer
from facilitator.testing.verslag import afternoon
from tests.browser.helpers import OpenedPage, serving
from tests.support.smtp import Inbox, smtp_server

PASSWORD = "browser-geheim-321"


@pytest.fixture
def mail_setup(tmp_path: Path) -> Iterator[tuple[LiveServer, Inbox, int]]:
    inbox = Inbox()
    repo = TinyDBRepository(tmp_path)
    made = afternoon(repo, TinyDBSeries(tmp_path))
    repo.save_session(dataclasses.replace(made.session, retention_days=36500))
    # None: the server gets no FACILITATOR_MAIL_* from this environment (the mail is set up on its page).
    unset = {f"FACILITATOR_MAIL_{name}": None for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "SENDER")}
    with smtp_server(inbox) as port, serving(tmp_path, env=unset) as running:
        yield running, inbox, port


def test_mail_set_up_on_the_settings_page_and_the_verslag_sent_with_a_cover_note(
    mail_setup: tuple[LiveServer, Inbox, int], open_page: Callable[..., OpenedPage],
) -> None:
    server, inbox, port = mail_setup
    host = open_page("host")
    page = host.page
    page.goto(f"{server.base_url}/host/login?key={server.key}")
    page.goto(f"{server.base_url}/host/s/middag2/verslag")
    page.get_by_role("link", name="Stel de mailserver in").click()

    page.get_by_label("Server", exact=True).fill("127.0.0.1")
    page.get_by_label("Beveiliging", exact=True).select_option("none")
    page.get_by_label("Poort", exact=True).fill(str(port))
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Afzenderadres", exact=True).fill("verslag@example.org")
    page.get_by_label("Naam van de afzender (optioneel)").fill("Rode Draad Noord")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#saved-notice")).to_contain_text("Opgeslagen.")
    expect(page.locator("#password-state")).to_have_text("opgeslagen")
    assert PASSWORD not in page.content()

    page.get_by_label("Naar").fill("jij@example.org")
    page.get_by_role("button", name="Testmail sturen").click()
    expect(page.locator("#test-result")).to_contain_text("Testmail verstuurd naar jij@example.org.")

    page.get_by_role("link", name="Terug").click()
    expect(page).to_have_url(f"{server.base_url}/host/s/middag2/verslag")
    expect(page.locator(".vs-settings")).to_contain_text("127.0.0.1")
    page.get_by_label("Begeleidende tekst (optioneel)").fill("Beste allen,\n\nHierbij het verslag.")
    page.locator("#confirm-privacy").check()
    page.get_by_role("button", name="Verstuur het verslag").click()
    expect(page.locator("#send-status")).to_have_text("Verstuurd: 2. Mislukt: 0. Had het al: 0.")
    messages = [email.message_from_bytes(content, policy=policy.default) for content in inbox.contents]
    assert [m["To"] for m in messages] == ["jij@example.org", "a.devries@example.org", "k.bakker@example.org"]
    for message in messages[1:]:
        assert message["From"] == "Rode Draad Noord <verslag@example.org>"
        assert message.get_body(("plain",)).get_content().startswith("Beste allen,\r\n\r\nHierbij het verslag.")
    assert host.watch.page_errors == [] and host.watch.dialogs == []
    assert host.watch.foreign_urls(server.base_url) == []
