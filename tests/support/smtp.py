"""A real SMTP server for tests (aiosmtpd): its handler keeps every delivered message and can refuse addresses."""

from __future__ import annotations

import contextlib
import email
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


class Inbox:
    """An aiosmtpd handler that keeps every delivered envelope and refuses the addresses in `refuse`."""

    def __init__(self, refuse: tuple[str, ...] | set[str] = ()) -> None:
        self.refuse = set(refuse)
        #: (sender, recipients, raw message) per delivery, in the order they arrived.
        self.delivered: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's name)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.delivered.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"

    @property
    def contents(self) -> list[bytes]:
        """Return the raw messages."""
        return [content for _sender, _recipients, content in self.delivered]

    @property
    def recipients(self) -> list[list[str]]:
        """Return who each message went to."""
        return [recipients for _sender, recipients, _content in self.delivered]

    def messages(self) -> list[EmailMessage]:
        """Return the messages, parsed."""
        return [email.message_from_bytes(content, policy=policy.default) for content in self.contents]


@contextlib.contextmanager
def smtp_server(handler: Any, **options: Any) -> Iterator[int]:
    """Run a real SMTP server with this handler (an Inbox) on a free port of 127.0.0.1; yield the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def mail_env(port: int, sender: str = "verslag@example.org") -> dict[str, str | None]:
    """The FACILITATOR_MAIL_* settings of a laptop that sends through that server (no TLS, no login)."""
    settings = {"HOST": "127.0.0.1", "PORT": str(port), "SECURITY": "none", "SENDER": sender}
    return {f"FACILITATOR_MAIL_{name}": value for name, value in settings.items()}
