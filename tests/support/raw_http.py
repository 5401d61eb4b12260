"""Plain HTTP requests with any Host, Origin or source address, as a hostile page or a scripted client sends them."""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from facilitator.storage.tinydb_store import read_session_data
from facilitator.web.network import lan_addresses


@dataclass
class Answer:
    """One response: status, headers (lower-case names) and body text."""

    status: int
    headers: dict[str, str]
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


def request(
    port: int,
    method: str,
    path: str,
    *,
    host: str | None = None,
    headers: dict[str, str] | None = None,
    body: bytes | str | dict[str, Any] | None = None,
    source: str | None = None,
    timeout: float = 10.0,
) -> Answer:
    """Send one request to 127.0.0.1:port with exactly this Host (default: 127.0.0.1:port), from `source`."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0) if source else None
    )
    sent = {"Host": host if host is not None else f"127.0.0.1:{port}", **(headers or {})}
    if isinstance(body, dict):
        body = json.dumps(body)
        sent.setdefault("Content-Type", "application/json")
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = "" if response.status == 101 else response.read().decode("utf-8", "replace")
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, text)
    finally:
        connection.close()


def websocket_handshake(port: int, *, host: str | None = None, headers: dict[str, str] | None = None) -> Answer:
    """Open a Socket.IO websocket handshake with this Host; return the status (101 when accepted)."""
    upgrade = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
        "Sec-WebSocket-Version": "13",
        **(headers or {}),
    }
    return request(port, "GET", "/socket.io/?EIO=4&transport=websocket", host=host, headers=upgrade)


def polling_handshake(port: int, *, host: str | None = None, headers: dict[str, str] | None = None) -> Answer:
    """Open a Socket.IO long-polling handshake with this Host; an accepted one answers 200 with "0{...}"."""
    return request(port, "GET", "/socket.io/?EIO=4&transport=polling", host=host, headers=headers)


def stored(data_dir: Path, session_id: str, table: str) -> list[dict[str, Any]]:
    """Read one table of a bijeenkomst's files (snapshot plus journal), without the server."""
    data, _records = read_session_data(data_dir / "sessions" / f"{session_id}.json")
    return list(data.get(table, {}).values())


def _can_bind(address: str) -> bool:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((address, 0))
        return True
    except OSError:
        return False


def other_source_addresses() -> list[str]:
    """Return local source addresses that are not 127.0.0.1 and reach a server on 127.0.0.1.

    This machine's own LAN address first (a real non-loopback address, as a phone in the room has), then
    127.0.0.2 (loopback, but not the laptop's 127.0.0.1; present on every Linux). Packets from either to
    127.0.0.1 never leave the machine.
    """
    found = [a for a in lan_addresses() if not ipaddress.ip_address(a).is_loopback][:1] + ["127.0.0.2"]
    return [a for a in found if _can_bind(a)]
