"""The saved mail settings: files in the data folder, the password readable by this user only, saved over defaults."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.core.domain import MailFailed
from facilitator.verslag.mail import MailSettings, build_message, with_cover_note
from facilitator.verslag.mail_config import PASSWORD_FILE, SETTINGS_FILE, MailSettingsStore

DEFAULTS = {"MAIL_HOST": "smtp.omgeving.nl", "MAIL_PORT": 587, "MAIL_SECURITY": "starttls", "MAIL_USER": "omgeving",
            "MAIL_PASSWORD": "omgevings-wachtwoord", "MAIL_SENDER": "omgeving@example.nl", "MAIL_TIMEOUT": 20}
PAGE = {"MAIL_HOST": "smtp.pagina.nl", "MAIL_PORT": 465, "MAIL_SECURITY": "ssl", "MAIL_USER": "pagina",
        "MAIL_SENDER": "pagina@example.nl", "MAIL_SENDER_NAME": "Pagina"}


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that leaves every permission bit on: the mode passed to os.open alone decides."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; on Windows the user profile protects the file")
def test_password_file_is_0600_even_with_an_open_umask_and_an_older_wider_file(tmp_path: Path, open_umask: None) -> None:
    (tmp_path / PASSWORD_FILE).write_text("oud")
    (tmp_path / PASSWORD_FILE).chmod(0o644)
    store = MailSettingsStore(tmp_path)
    store.save(PAGE, password="nieuw wachtwoord")
    assert mode(tmp_path / PASSWORD_FILE) == 0o600 and mode(tmp_path / SETTINGS_FILE) == 0o600
    assert store.password() == "nieuw wachtwoord"
    assert "wachtwoord" not in (tmp_path / SETTINGS_FILE).read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == [PASSWORD_FILE, SETTINGS_FILE]  # no temporary files left


@pytest.mark.parametrize("folder", ["files", "memory"])
def test_page_settings_win_over_the_defaults_and_a_missing_password_is_not_the_environments(
    tmp_path: Path, folder: str,
) -> None:
    store = MailSettingsStore(tmp_path if folder == "files" else None)
    assert store.effective(DEFAULTS) == {**dict.fromkeys(("MAIL_SENDER_NAME", "MAIL_CA_FILE")), **DEFAULTS}
    store.save(PAGE)
    effective = store.effective(DEFAULTS)
    assert {key: effective[key] for key in PAGE} == PAGE
    assert (effective["MAIL_PASSWORD"], effective["MAIL_TIMEOUT"]) == ("", 20)
    store.save(PAGE, password="pagina-wachtwoord")
    settings = MailSettings.from_config(store.effective(DEFAULTS))
    assert settings is not None
    assert (settings.host, settings.port, settings.password, settings.sender_name) == (
        "smtp.pagina.nl", 465, "pagina-wachtwoord", "Pagina")
    store.save(PAGE, forget_password=True)
    assert store.password() is None and store.effective(DEFAULTS)["MAIL_PASSWORD"] == ""


def test_a_damaged_settings_file_counts_as_never_saved(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text("{niet af")
    store = MailSettingsStore(tmp_path)
    assert store.stored() is None
    assert store.effective(DEFAULTS)["MAIL_HOST"] == "smtp.omgeving.nl"


def test_sender_name_is_encoded_and_cannot_add_an_address() -> None:
    message = build_message(sender="verslag@example.nl", sender_name='Noord, "SWV" <x@evil.example>',
                            recipient="jij@example.nl", subject="Verslag", html="<p>x</p>", text="x")
    assert message["From"].addresses[0].addr_spec == "verslag@example.nl"
    assert len(message["From"].addresses) == 1
    with pytest.raises(MailFailed) as failure:
        build_message(sender="verslag@example.nl", sender_name="Noord\r\nBcc: iedereen@example.nl",
                      recipient="jij@example.nl", subject="Verslag", html="<p>x</p>", text="x")
    assert failure.value.params == {"reason": "invalid_header"}


def test_cover_note_goes_above_the_verslag_escaped_with_its_paragraphs() -> None:
    document = "<!doctype html>\n<html><body>\n<article>Verslag</article></body></html>"
    text, markup = with_cover_note("# Verslag\n", document, "  Beste <allen>,\r\n\r\nZie bijlage.\x07\nGroet  \n")
    assert text == "Beste <allen>,\n\nZie bijlage.\nGroet\n\n---\n\n# Verslag\n"
    assert markup == ('<!doctype html>\n<html><body>\n<div class="cover-note">\n<p>Beste &lt;allen&gt;,</p>\n'
                      '<p>Zie bijlage.<br>\nGroet</p>\n</div>\n<hr>\n<article>Verslag</article></body></html>')
    assert with_cover_note("# Verslag\n", document, " \n ") == ("# Verslag\n", document)
