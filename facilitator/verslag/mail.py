"""Build and send the verslag by email: stdlib email + smtplib, one recipient per message.

Everything that can go wrong while sending becomes `MailFailed` with a stable `reason`
("connect", "tls", "auth", "recipient", "sender", "server"), so the edge can tell the
facilitator in plain Dutch what to check. Addresses, the subject and attachment names are
checked before a message is built; a bad one raises `MailFailed` with reason
"invalid_address" or "invalid_header" (not ValueError), so a send loop that reports per
recipient handles it like any other failed address.

Certificates are always verified; `MailSettings.ca_file` only adds a CA bundle (a company
mailserver with its own CA, or the tests' self-signed certificate).
"""

from __future__ import annotations

import html as html_lib
import math
import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from facilitator.core.domain import MailFailed, MailNotConfigured

SECURITY_MODES = ("starttls", "ssl", "none")

#: The port each security mode uses when MAIL_PORT is not set (submission, implicit TLS, plain relay).
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}

MAX_ADDRESS_LENGTH = 254
#: The longest sender name and cover note accepted.
MAX_SENDER_NAME_LENGTH = 100
MAX_COVER_NOTE_LENGTH = 5000
MAX_LOCAL_PART_LENGTH = 64

# RFC 5322 "atext" in dot-atom form: no quotes, spaces, commas or angle brackets, so an address
# accepted here can never change the meaning of the header it is written into.
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DOMAIN_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class MailSettings:
    """How to reach the mailserver that sends the verslag."""

    #: Name or address of the SMTP server.
    host: str
    #: TCP port; 587 for STARTTLS submission, 465 for implicit TLS, 25 for a plain relay.
    port: int = 587
    #: One of SECURITY_MODES: "starttls" (upgrade after connecting), "ssl" (TLS from the start), "none".
    security: str = "starttls"
    #: Login name; no login when empty.
    user: str = ""
    #: Login password; kept out of repr() and describe() so it never reaches a log.
    password: str = field(default="", repr=False)
    #: The From address; required to send.
    sender: str = ""
    #: The name shown with the From address, e.g. "Samenwerkingsverband Noord"; none when empty.
    sender_name: str = ""
    #: Seconds to wait for the server on each network step.
    timeout: float = 20.0
    #: Extra CA bundle (PEM) to trust; certificate verification stays on always.
    ca_file: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings | None:
        """Read the MAIL_* settings; None when no MAIL_HOST is set, MailNotConfigured when one is wrong."""
        host = _text(config, "MAIL_HOST")
        if not host:
            return None
        security = (_text(config, "MAIL_SECURITY") or "starttls").lower()
        if security not in SECURITY_MODES:
            raise MailNotConfigured(f"MAIL_SECURITY: must be one of {', '.join(SECURITY_MODES)}, not {security!r}")
        sender = _text(config, "MAIL_SENDER")
        if not is_valid_address(sender):
            raise MailNotConfigured(f"MAIL_SENDER: must be an email address, not {sender!r}")
        return cls(
            host=host,
            port=_port(config.get("MAIL_PORT"), security),
            security=security,
            user=_text(config, "MAIL_USER"),
            password=str(config.get("MAIL_PASSWORD") or ""),
            sender=sender,
            sender_name=_sender_name(config.get("MAIL_SENDER_NAME")),
            timeout=_timeout(config.get("MAIL_TIMEOUT")),
            ca_file=_text(config, "MAIL_CA_FILE"),
        )

    def describe(self) -> dict[str, Any]:
        """Return the settings that are safe to show or log (never the password)."""
        return {"host": self.host, "port": self.port, "security": self.security, "user": self.user,
                "sender": self.sender, "sender_name": self.sender_name}


@dataclass(frozen=True)
class Attachment:
    """A file sent along with the mail."""

    #: The name the recipient sees, e.g. "Verslag dialoogsessie.docx".
    filename: str
    #: The file's bytes.
    content: bytes
    #: Its MIME type, e.g. "application/vnd.openxmlformats-officedocument.wordprocessingml.document".
    mimetype: str


def is_valid_address(address: str) -> bool:
    """Tell whether a text is a plain, sendable address (local@domain.tld, nothing around it)."""
    if not isinstance(address, str) or not address or len(address) > MAX_ADDRESS_LENGTH:
        return False
    if _CONTROL.search(address) or address.count("@") != 1:
        return False
    local, domain = address.split("@")
    if len(local) > MAX_LOCAL_PART_LENGTH or not _LOCAL_PART.fullmatch(local):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels):
        return False
    # A top-level domain is never all digits; this also turns away bare IP addresses.
    return not labels[-1].isdigit()


def normalise_address(address: str) -> str:
    """Return the address trimmed and lowercased, to recognise one person typed twice."""
    return address.strip().lower()


def build_message(
    *,
    sender: str,
    recipient: str,
    subject: str,
    html: str,
    text: str,
    attachments: Sequence[Attachment] = (),
    sender_name: str = "",
) -> EmailMessage:
    """Build one mail to one recipient: text and HTML alternatives, then the attachments."""
    for role, address in (("sender", sender), ("recipient", recipient)):
        if not is_valid_address(address):
            raise MailFailed(f"{role}: not a valid address: {address!r}", reason="invalid_address")
    if _CONTROL.search(sender_name):
        raise MailFailed(f"sender name: contains a control character: {sender_name!r}", reason="invalid_header")
    if _CONTROL.search(subject):
        raise MailFailed(f"subject: contains a line break or control character: {subject!r}", reason="invalid_header")
    for attachment in attachments:
        if _CONTROL.search(attachment.filename) or attachment.mimetype.count("/") != 1:
            raise MailFailed(f"attachment: bad name or type: {attachment.filename!r} {attachment.mimetype!r}",
                             reason="invalid_header")

    message = EmailMessage()
    # An Address object, not a string: the name is quoted and encoded as needed, so a comma or "<" in it
    # cannot add an address.
    message["From"] = Address(display_name=sender_name, addr_spec=sender) if sender_name else sender
    # One address per message: participants never see each other's addresses.
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    # The sender's domain, not socket.getfqdn(): that can hang on a laptop without DNS.
    message["Message-ID"] = make_msgid(domain=sender.split("@")[1])
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    for attachment in attachments:
        maintype, subtype = attachment.mimetype.split("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return message


def with_cover_note(text: str, html: str, note: str) -> tuple[str, str]:
    """Put the facilitator's cover note above the verslag, in the text and in the HTML part."""
    # Line by line: a control character goes, a line break stays.
    lines = [_CONTROL.sub("", line).rstrip() for line in note.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    note = "\n".join(lines).strip()
    if not note:
        return text, html
    paragraphs = [block.strip() for block in re.split(r"\n\s*\n", note) if block.strip()]
    markup = "".join(
        "<p>" + "<br>\n".join(html_lib.escape(line) for line in block.split("\n")) + "</p>\n" for block in paragraphs
    )
    cover = f'<div class="cover-note">\n{markup}</div>\n<hr>\n'
    start = html.find("<body")
    end = html.find(">", start) + 1 if start >= 0 else 0
    return f"{note}\n\n---\n\n{text}", html[:end] + "\n" + cover + html[end:].lstrip("\n")


def send_message(settings: MailSettings, message: EmailMessage) -> None:
    """Send one message through the configured server; every failure raises MailFailed with a reason."""
    context = _tls_context(settings)
    smtp = _connect(settings, context)
    try:
        if settings.security == "starttls":
            _start_tls(smtp, settings, context)
        if settings.user:
            _login(smtp, settings)
        refused = _send(smtp, settings, message)
    except BaseException:
        # No QUIT after a failure: after a broken TLS handshake the server waits for TLS bytes
        # and a QUIT would hang until the timeout.
        smtp.close()
        raise
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()  # The server accepted the message already; a failed goodbye changes nothing.
    if refused:
        raise _failed(settings, "recipient", f"refused: {refused!r}")


def _tls_context(settings: MailSettings) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=settings.ca_file or None)
    except (OSError, ssl.SSLError) as exc:
        raise _failed(settings, "tls", f"MAIL_CA_FILE {settings.ca_file!r} cannot be read: {exc}") from None


def _connect(settings: MailSettings, context: ssl.SSLContext) -> smtplib.SMTP:
    try:
        if settings.security == "ssl":
            return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
        return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    except ssl.SSLError as exc:  # Before OSError: SSLError is one.
        raise _failed(settings, "tls", _describe(exc)) from None
    except (smtplib.SMTPException, OSError) as exc:  # Refused, unreachable, DNS, timeout, no greeting.
        raise _failed(settings, "connect", _describe(exc)) from None


def _start_tls(smtp: smtplib.SMTP, settings: MailSettings, context: ssl.SSLContext) -> None:
    try:
        smtp.ehlo()
        if not smtp.has_extn("starttls"):
            raise _failed(settings, "tls", "the server does not offer STARTTLS")
        smtp.starttls(context=context)
        smtp.ehlo()
    except (smtplib.SMTPException, OSError) as exc:  # Handshake, certificate, or a refused STARTTLS.
        raise _failed(settings, "tls", _describe(exc)) from None


def _login(smtp: smtplib.SMTP, settings: MailSettings) -> None:
    try:
        smtp.login(settings.user, settings.password)
    except smtplib.SMTPAuthenticationError as exc:
        raise _failed(settings, "auth", _describe(exc)) from None
    except smtplib.SMTPNotSupportedError as exc:  # The server offers no AUTH (on this connection).
        raise _failed(settings, "auth", _describe(exc)) from None
    except UnicodeError:  # smtplib encodes credentials as ASCII.
        raise _failed(settings, "auth", "smtplib sends only ASCII user names and passwords") from None
    except smtplib.SMTPServerDisconnected as exc:
        raise _failed(settings, "server", _describe(exc)) from None
    except smtplib.SMTPException as exc:  # "No suitable authentication method found."
        raise _failed(settings, "auth", _describe(exc)) from None
    except OSError as exc:
        raise _failed(settings, "server", _describe(exc)) from None


def _send(smtp: smtplib.SMTP, settings: MailSettings, message: EmailMessage) -> dict[str, tuple[int, bytes]]:
    try:
        return smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise _failed(settings, "recipient", _describe(exc)) from None
    except smtplib.SMTPSenderRefused as exc:
        raise _failed(settings, "sender", _describe(exc)) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise _failed(settings, "server", _describe(exc)) from None


def _describe(exc: BaseException) -> str:
    """Return the exception with the server's reply, for the log."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(f"{address}: {code} {_decode(reply)}" for address, (code, reply) in exc.recipients.items())
        return f"{type(exc).__name__}: {replies}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {exc.smtp_code} {_decode(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _decode(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _failed(settings: MailSettings, reason: str, detail: str) -> MailFailed:
    # A server may echo what it was sent; make sure the password never reaches the log.
    if settings.password:
        detail = detail.replace(settings.password, "***")
    where = f"{settings.security}://{settings.host}:{settings.port}"
    return MailFailed(f"{where}: {detail}", reason=reason)


def _sender_name(value: Any) -> str:
    name = str(value or "").strip()
    if len(name) > MAX_SENDER_NAME_LENGTH or _CONTROL.search(name):
        raise MailNotConfigured(f"MAIL_SENDER_NAME: at most {MAX_SENDER_NAME_LENGTH} characters on one line")
    return name


def _text(config: Mapping[str, Any], key: str) -> str:
    return str(config.get(key) or "").strip()


def _port(value: Any, security: str) -> int:
    if value is None or value == "":
        return DEFAULT_PORTS[security]
    digits = isinstance(value, str) and re.fullmatch(r"[0-9]{1,5}", value.strip())
    if isinstance(value, bool) or not (isinstance(value, int) or digits):
        raise MailNotConfigured(f"MAIL_PORT: must be a number from 1 to 65535, not {value!r}")
    port = int(value)
    if not 1 <= port <= 65535:
        raise MailNotConfigured(f"MAIL_PORT: must be a number from 1 to 65535, not {value!r}")
    return port


def _timeout(value: Any) -> float:
    if value is None or value == "":
        return MailSettings.timeout
    try:
        if isinstance(value, bool):
            raise ValueError
        seconds = float(value)
    except (TypeError, ValueError):
        raise MailNotConfigured(f"MAIL_TIMEOUT: must be a number of seconds, not {value!r}") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise MailNotConfigured(f"MAIL_TIMEOUT: must be more than 0 seconds, not {value!r}")
    return seconds
