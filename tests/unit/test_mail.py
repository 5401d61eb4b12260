"""Building and sending the verslag mail, against a real SMTP server (aiosmtpd) on localhost."""

from __future__ import annotations

import email
import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from email import policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from facilitator.core.domain import MailFailed, MailNotConfigured
from facilitator.verslag.mail import (
    Attachment,
    MailSettings,
    build_message,
    is_valid_address,
    normalise_address,
    send_message,
)
from tests.support.smtp import Inbox

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SENDER = "verslag@rodedraad.example.nl"
RECIPIENT = "jan.de-vries@gemeente.example.nl"
USER, PASSWORD = "verslag", "geheim-wachtwoord-123"


def accept_one_login(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(), PASSWORD.encode()
    )
    if good:
        return AuthResult(success=True)
    # A careless server that echoes the password it was sent: it must still never reach our log.
    password = auth_data.password.decode() if isinstance(auth_data, LoginPassword) else ""
    return AuthResult(success=False, handled=False, message=f"535 5.7.8 Wrong password {password}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., int]]:
    """Start aiosmtpd controllers on free localhost ports; stop them all afterwards."""
    running: list[Controller] = []

    def start(handler: Inbox, **options: Any) -> int:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        running.append(controller)
        return port

    yield start
    for controller in running:
        controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Make a self-signed certificate for localhost; return (certificate, key)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    openssl = shutil.which("openssl")
    if openssl:
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,digitalSignature,keyCertSign"],
            check=True, capture_output=True,
        )
        return cert, key
    try:
        write_with_cryptography(cert, key)
    except ImportError:
        pytest.fail("The TLS mail tests need the openssl command or the cryptography package to make a certificate")
    return cert, key


def write_with_cryptography(cert: Path, key: Path) -> None:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    built = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(private.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(private.public_key()), critical=False)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(built.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ))


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


def verslag_message(recipient: str = RECIPIENT) -> Any:
    return build_message(
        sender=SENDER,
        recipient=recipient,
        subject="Verslag – Mentale veerkracht, 12 maart",
        html="<h1>Verslag</h1><p>De rode draad: samen één verhaal.</p>\n",
        text="Verslag\n\nDe rode draad: samen één verhaal.\n",
        attachments=[Attachment("Verslag één.docx", b"PK\x03\x04 not really a docx \x00\xff", DOCX)],
    )


def test_mail_plain_delivery_keeps_structure_recipient_and_attachment(smtp_server: Callable[..., int]) -> None:
    inbox = Inbox()
    port = smtp_server(inbox)
    send_message(MailSettings(host="127.0.0.1", port=port, security="none", sender=SENDER), verslag_message())

    [(mail_from, recipients, content)] = inbox.delivered
    assert (mail_from, recipients) == (SENDER, [RECIPIENT])
    received = email.message_from_bytes(content, policy=policy.default)
    assert (received["From"], received["To"], received["Subject"]) == (
        SENDER, RECIPIENT, "Verslag – Mentale veerkracht, 12 maart"
    )
    assert received["Cc"] is None and received["Bcc"] is None
    assert received["Message-ID"].endswith("@rodedraad.example.nl>")
    assert received["Date"] is not None
    assert [part.get_content_type() for part in received.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", DOCX
    ]
    parts = list(received.walk())
    alternative, attachment = parts[1], parts[4]
    text, html = alternative.get_payload()
    assert [text.get_content_charset(), html.get_content_charset()] == ["utf-8", "utf-8"]
    # SMTP carries lines with CRLF endings.
    assert text.get_content() == "Verslag\r\n\r\nDe rode draad: samen één verhaal.\r\n"
    assert html.get_content() == "<h1>Verslag</h1><p>De rode draad: samen één verhaal.</p>\r\n"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "Verslag één.docx"
    assert attachment.get_content() == b"PK\x03\x04 not really a docx \x00\xff"


@pytest.fixture
def tls_server(smtp_server: Callable[..., int], certificate: tuple[Path, Path]) -> tuple[Inbox, int]:
    inbox = Inbox()
    port = smtp_server(
        inbox,
        tls_context=server_context(certificate),
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=accept_one_login,
    )
    return inbox, port


def starttls_settings(port: int, certificate: tuple[Path, Path], **changes: Any) -> MailSettings:
    fields: dict[str, Any] = {"host": "localhost", "port": port, "security": "starttls", "user": USER,
                              "password": PASSWORD, "sender": SENDER, "timeout": 5.0, "ca_file": str(certificate[0])}
    return MailSettings(**(fields | changes))


def test_mail_starttls_with_login_delivers(tls_server: tuple[Inbox, int], certificate: tuple[Path, Path]) -> None:
    inbox, port = tls_server
    send_message(starttls_settings(port, certificate), verslag_message())
    assert [(sender, recipients) for sender, recipients, _ in inbox.delivered] == [(SENDER, [RECIPIENT])]


def test_mail_wrong_password_fails_with_auth_and_hides_the_password(
    tls_server: tuple[Inbox, int], certificate: tuple[Path, Path]
) -> None:
    inbox, port = tls_server
    with pytest.raises(MailFailed) as failure:
        send_message(starttls_settings(port, certificate, password="fout-wachtwoord-456"), verslag_message())
    assert failure.value.code == "mail_failed"
    assert failure.value.params == {"reason": "auth"}
    assert "535 5.7.8 Wrong password ***" in failure.value.detail
    assert "fout-wachtwoord-456" not in failure.value.detail
    assert inbox.delivered == []


def test_mail_untrusted_certificate_fails_with_tls(
    tls_server: tuple[Inbox, int], certificate: tuple[Path, Path]
) -> None:
    inbox, port = tls_server
    with pytest.raises(MailFailed) as failure:
        send_message(starttls_settings(port, certificate, ca_file=""), verslag_message())
    assert failure.value.params == {"reason": "tls"}
    assert "CERTIFICATE_VERIFY_FAILED" in failure.value.detail
    assert inbox.delivered == []


def test_mail_unreadable_ca_file_fails_with_tls(tmp_path: Path) -> None:
    settings = MailSettings(host="127.0.0.1", port=free_port(), sender=SENDER, ca_file=str(tmp_path / "missing.pem"))
    with pytest.raises(MailFailed) as failure:
        send_message(settings, verslag_message())
    assert failure.value.params == {"reason": "tls"}


def test_mail_login_without_starttls_fails_with_auth(
    tls_server: tuple[Inbox, int], certificate: tuple[Path, Path]
) -> None:
    # The server offers AUTH only after STARTTLS, so a plain connection cannot log in.
    inbox, port = tls_server
    with pytest.raises(MailFailed) as failure:
        send_message(starttls_settings(port, certificate, security="none"), verslag_message())
    assert failure.value.params == {"reason": "auth"}
    assert inbox.delivered == []


def test_mail_implicit_ssl_delivers(smtp_server: Callable[..., int], certificate: tuple[Path, Path]) -> None:
    inbox = Inbox()
    port = smtp_server(inbox, ssl_context=server_context(certificate))
    settings = MailSettings(host="localhost", port=port, security="ssl", sender=SENDER, timeout=5.0,
                            ca_file=str(certificate[0]))
    send_message(settings, verslag_message())
    assert [(sender, recipients) for sender, recipients, _ in inbox.delivered] == [(SENDER, [RECIPIENT])]


def test_mail_implicit_ssl_against_a_plain_server_fails_with_tls(smtp_server: Callable[..., int]) -> None:
    port = smtp_server(Inbox())
    settings = MailSettings(host="127.0.0.1", port=port, security="ssl", sender=SENDER, timeout=5.0)
    with pytest.raises(MailFailed) as failure:
        send_message(settings, verslag_message())
    assert failure.value.params == {"reason": "tls"}


def test_mail_refused_connection_fails_with_connect() -> None:
    settings = MailSettings(host="127.0.0.1", port=free_port(), security="none", sender=SENDER, timeout=5.0)
    with pytest.raises(MailFailed) as failure:
        send_message(settings, verslag_message())
    assert failure.value.params == {"reason": "connect"}
    assert "ConnectionRefusedError" in failure.value.detail


def test_mail_refused_recipient_fails_with_recipient(smtp_server: Callable[..., int]) -> None:
    inbox = Inbox(refuse=("onbekend@gemeente.example.nl",))
    port = smtp_server(inbox)
    settings = MailSettings(host="127.0.0.1", port=port, security="none", sender=SENDER, timeout=5.0)
    with pytest.raises(MailFailed) as failure:
        send_message(settings, verslag_message("onbekend@gemeente.example.nl"))
    assert failure.value.params == {"reason": "recipient"}
    assert "onbekend@gemeente.example.nl: 550 no such user" in failure.value.detail
    assert inbox.delivered == []


@pytest.mark.parametrize(
    "address",
    ["a@b.nl", "jan.de-vries+verslag@gemeente.example.nl", "X_Y@sub-domain.co.uk", "o'brien@xn--bcher-kva.de"],
)
def test_is_valid_address_accepts_plain_addresses(address: str) -> None:
    assert is_valid_address(address) is True


@pytest.mark.parametrize(
    "address",
    [
        "", "a", "a@b", "@b.nl", "a@", "a@@b.nl", "a@b@c.nl", "a b@c.nl", " a@b.nl", "a@b.nl ", "a@b.nl\n",
        "a@b.nl\r\nBcc: x@y.nl", "a@b.nl\nBcc: x@y.nl", "a\x00@b.nl", "a\t@b.nl", ".a@b.nl", "a.@b.nl", "a..b@c.nl",
        "a@-b.nl", "a@b-.nl", "a@b..nl", "a@.b.nl", "a@b.nl.", "a@1.2.3.4", "Jan <a@b.nl>", "a@b.nl>", '"a"@b.nl',
        "a@b.nl,c@d.nl", "é@b.nl", "a@bücher.de", "x" * 65 + "@b.nl", "a@" + ("b" * 62 + ".") * 4 + "nl",
    ],
)
def test_is_valid_address_refuses_everything_else(address: str) -> None:
    assert is_valid_address(address) is False


def test_normalise_address_trims_and_lowercases_so_duplicates_collapse() -> None:
    typed = ["  Jan.De.Vries@Gemeente.NL \n", "jan.de.vries@gemeente.nl", "Els@Example.org"]
    assert normalise_address(typed[0]) == "jan.de.vries@gemeente.nl"
    assert sorted({normalise_address(address) for address in typed}) == ["els@example.org", "jan.de.vries@gemeente.nl"]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("recipient", "a@b.nl\r\nBcc: x@y.nl", "invalid_address"),
        ("recipient", "Jan <a@b.nl>", "invalid_address"),
        ("sender", "a@b.nl\nBcc: x@y.nl", "invalid_address"),
        ("subject", "Verslag\r\nBcc: x@y.nl", "invalid_header"),
        ("subject", "Verslag\n", "invalid_header"),
    ],
)
def test_build_message_refuses_header_injection(field: str, value: str, reason: str) -> None:
    fields = {"sender": SENDER, "recipient": RECIPIENT, "subject": "Verslag", "html": "<p>x</p>", "text": "x"}
    with pytest.raises(MailFailed) as failure:
        build_message(**(fields | {field: value}))
    assert failure.value.params == {"reason": reason}


def test_build_message_refuses_a_line_break_in_an_attachment_name() -> None:
    with pytest.raises(MailFailed) as failure:
        build_message(sender=SENDER, recipient=RECIPIENT, subject="Verslag", html="<p>x</p>", text="x",
                      attachments=[Attachment("a\r\nBcc: x@y.nl.docx", b"x", DOCX)])
    assert failure.value.params == {"reason": "invalid_header"}


def test_mail_settings_from_config_is_none_without_a_host() -> None:
    assert MailSettings.from_config({}) is None
    assert MailSettings.from_config({"MAIL_HOST": "  ", "MAIL_SENDER": SENDER}) is None


def test_mail_settings_from_config_reads_every_setting() -> None:
    config = {
        "MAIL_HOST": " smtp.gemeente.example.nl ", "MAIL_PORT": "2525", "MAIL_SECURITY": "SSL", "MAIL_USER": USER,
        "MAIL_PASSWORD": PASSWORD, "MAIL_SENDER": SENDER, "MAIL_TIMEOUT": "7.5", "MAIL_CA_FILE": "/etc/ca.pem",
    }
    assert MailSettings.from_config(config) == MailSettings(
        host="smtp.gemeente.example.nl", port=2525, security="ssl", user=USER, password=PASSWORD, sender=SENDER,
        timeout=7.5, ca_file="/etc/ca.pem",
    )


@pytest.mark.parametrize(("security", "port"), [("starttls", 587), ("ssl", 465), ("none", 25), ("", 587)])
def test_mail_settings_from_config_picks_the_port_of_the_security_mode(security: str, port: int) -> None:
    settings = MailSettings.from_config({"MAIL_HOST": "smtp.example.nl", "MAIL_SENDER": SENDER,
                                         "MAIL_SECURITY": security})
    assert settings is not None
    assert (settings.security, settings.port, settings.timeout) == (security or "starttls", port, 20.0)


@pytest.mark.parametrize(
    ("change", "setting"),
    [
        ({"MAIL_SECURITY": "tls"}, "MAIL_SECURITY"),
        ({"MAIL_PORT": "abc"}, "MAIL_PORT"),
        ({"MAIL_PORT": 0}, "MAIL_PORT"),
        ({"MAIL_PORT": "70000"}, "MAIL_PORT"),
        ({"MAIL_PORT": True}, "MAIL_PORT"),
        ({"MAIL_SENDER": ""}, "MAIL_SENDER"),
        ({"MAIL_SENDER": "verslag"}, "MAIL_SENDER"),
        ({"MAIL_TIMEOUT": "soon"}, "MAIL_TIMEOUT"),
        ({"MAIL_TIMEOUT": 0}, "MAIL_TIMEOUT"),
    ],
)
def test_mail_settings_from_config_refuses_a_bad_setting(change: dict[str, Any], setting: str) -> None:
    with pytest.raises(MailNotConfigured) as failure:
        MailSettings.from_config({"MAIL_HOST": "smtp.example.nl", "MAIL_SENDER": SENDER} | change)
    assert failure.value.code == "mail_not_configured"
    assert failure.value.detail.startswith(f"{setting}: ")


def test_mail_settings_never_show_the_password() -> None:
    settings = MailSettings(host="smtp.example.nl", user=USER, password=PASSWORD, sender=SENDER)
    assert settings.describe() == {
        "host": "smtp.example.nl", "port": 587, "security": "starttls", "user": USER, "sender": SENDER,
        "sender_name": "",
    }
    assert PASSWORD not in repr(settings)


def test_mail_errors_have_plain_dutch_messages(app: Any) -> None:
    from facilitator.core.domain import PdfFailed
    from facilitator.web.messages import error_message

    with app.test_request_context():
        assert [error_message(MailFailed("x", reason=reason)) for reason in ("auth", "connect", "surprise")] == [
            "De mailserver weigert de gebruikersnaam of het wachtwoord.",
            "De mailserver is niet bereikbaar. Controleer de server, de poort en de internetverbinding.",
            "De mailserver gaf een fout.",
        ]
        assert error_message(MailNotConfigured()) == (
            "Mailen is niet ingesteld. Download het verslag en verstuur het zelf."
        )
        assert error_message(PdfFailed("x", reason="no_chromium")) == (
            "De pdf maken lukte niet: er is geen Microsoft Edge, Google Chrome of Chromium gevonden. Installeer Edge of "
            "Chrome (op Linux: het pakket chromium), of download het Word-bestand en kies in Word ‘Opslaan als’ en dan "
            "PDF."
        )
        assert error_message(PdfFailed("x", reason="timeout")) == "De pdf maken lukte niet."
