"""Privacy of what the real server writes down: a scripted afternoon with canary strings, then a search of everything
it printed and everything left in its data folder.

The server runs as `facilitator serve` in a subprocess (LiveServer), its stdout and stderr captured line by line
until it exits. Three phones and the host, each with a User-Agent made for this run, go through a whole session
over HTTP and Socket.IO: join, contributions with canaries, refused and malformed events, the host's actions, the
suggestion (clusterer), the verslag (page, edits, Word, PDF, Markdown, CSV), an e-mail opt-in, then deletion.

What may appear in the output: the start-up lines, which print the facilitator's link with its key (on purpose:
the facilitator opens it on this laptop; it is the only way to sign in) and the address phones use (the laptop's
own, not a client's). Nothing else may carry the key, a phone's token (or the stored hash of either), any IP
address (no access log: `127.0.0.1:<client port>` would be its trace), a User-Agent we sent, or participant text.
After the deletion the data folder holds none of the canaries, tokens or User-Agents either.
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import secrets
import socket
import struct
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio

from facilitator.core import services
from facilitator.testing.clients import WAIT, client_id, run
from facilitator.testing.live_server import LiveServer

pytestmark = pytest.mark.e2e

#: Unique per run, so a hit can only come from this test.
CANARY = f"kanarie{secrets.token_hex(5)}"
AGENT_MARK = secrets.token_hex(5)
PHONE_AGENT = f"Mozilla/5.0 (Linux; Android 14) RodeDraadPrivacyTelefoon/{AGENT_MARK}"
HOST_AGENT = f"Mozilla/5.0 (X11; Linux x86_64) RodeDraadPrivacyLaptop/{AGENT_MARK}"
IP_ADDRESS = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])|::ffff:|\[::1\]|'::1'")
#: The start-up lines that carry an address on purpose: the facilitator's link (with the key) and the phones' link.
HOST_LINK_LINE = "Gespreksleider (open op deze laptop): "
PHONES_LINK_LINE = "Deelnemers (telefoons): "


def canary(label: str) -> str:
    return f"{CANARY}-{label}"


class Phone:
    """A phone speaking the phones' protocol with our User-Agent on the HTTP join and the websocket."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.token = ""
        self.events: list[tuple[str, Any]] = []
        self.client = socketio.AsyncClient(reconnection=False)
        self.client.on("*", self._record)

    async def _record(self, event: str, *args: Any) -> None:
        self.events.append((event, args[0] if args else None))

    async def join(self, http: aiohttp.ClientSession, base_url: str, join_code: str, session_id: str, table: int) -> None:
        async with http.post(f"{base_url}/j/{join_code}", json={"table": table, "perspective": "ouder"}) as response:
            body = await response.json()
            assert response.status == 200, body
        self.token = body["token"]
        await self.client.connect(base_url, auth={"token": self.token}, headers={"User-Agent": PHONE_AGENT},
                                  transports=["websocket"], wait_timeout=WAIT)
        assert await self.call("join_session", session=session_id, role="participant") == {
            "ok": True, "role": "participant"}

    async def call(self, event: str, **data: Any) -> Any:
        return await self.client.call(event, data, timeout=WAIT)

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.client.disconnect(), 5)
        except Exception:  # noqa: BLE001 - cleanup
            pass


async def afternoon(server: LiveServer, data_dir: Path) -> dict[str, Any]:
    """Run the scripted session; return what the checks need (tokens, ids, the canaries that were accepted)."""
    base = server.base_url
    origin = {"Origin": base}
    # unsafe: keep cookies from an IP address (the laptop is 127.0.0.1 here), as a browser does.
    host_http = aiohttp.ClientSession(headers={"User-Agent": HOST_AGENT}, cookie_jar=aiohttp.CookieJar(unsafe=True))
    phone_http = aiohttp.ClientSession(headers={"User-Agent": PHONE_AGENT})
    host = socketio.AsyncClient(reconnection=False)
    host_events: list[tuple[str, Any]] = []
    host.on("*", lambda event, *args: host_events.append((event, args[0] if args else None)))
    phones = [Phone(f"telefoon {n}") for n in range(3)]
    try:
        # -- the facilitator signs in and makes the bijeenkomst ------------------------------------------
        async with host_http.get(f"{base}/host/login", params={"key": server.key}, allow_redirects=False) as response:
            assert response.status == 303
        async with host_http.post(f"{base}/host/sessions", json={"title": canary("titel"), "prompt": canary("vraag")},
                                  headers=origin) as response:
            assert response.status == 201, await response.text()
            created = await response.json()
        session_id, join_code = created["id"], created["join_code"]
        await host.connect(base, headers={"Cookie": f"rd_host={server.key}", "User-Agent": HOST_AGENT},
                           transports=["websocket"], wait_timeout=WAIT)
        assert await host.call("join_session", {"session": session_id, "role": "host"}, timeout=WAIT) == {
            "ok": True, "role": "host"}

        # -- phones join and answer ----------------------------------------------------------------------
        for number, phone in enumerate(phones):
            await phone.join(phone_http, base, join_code, session_id, table=number + 1)
        stored: list[str] = []
        for number, phone in enumerate(phones):
            for turn in range(3):
                text = f"{canary(f'bijdrage-{number}-{turn}')} over vertrouwen tussen ouders en school"
                cid = client_id(f"priv{number}")
                ack = await phone.call("submit_contribution", session=session_id, client_id=cid, text=text)
                assert ack == {"ok": True, "id": cid}, ack
                stored.append(cid)
        # A resend with the same id stores nothing and says so quietly.
        again = await phones[0].call("submit_contribution", session=session_id, client_id=stored[0], text="x")
        assert again["ok"] is True

        # -- error paths: too long, malformed, host events from a phone, forged tokens --------------------
        too_long = await phones[1].call("submit_contribution", session=session_id, client_id=client_id("lang"),
                                        text=canary("te-lang") * 400)
        assert too_long["ok"] is False
        wrong_kind = await phones[1].call("submit_contribution", session=session_id, client_id=client_id("soort"),
                                          text=canary("soort-tekst"), kind=canary("soort"), bucket=canary("bak"))
        assert wrong_kind["ok"] is False
        bad_id = await phones[1].call("submit_contribution", session=session_id, client_id=canary("id") + "!<>",
                                      text=canary("id-tekst"))
        assert bad_id["ok"] is False
        refused = await phones[2].call("advance_phase", session=session_id)
        assert refused["ok"] is False and refused["error"]["code"] == "not_authorised", refused
        refused = await phones[2].call("set_contribution_hidden", session=session_id, id=stored[0], hidden=True)
        assert refused["ok"] is False, refused
        forged = await phones[2].call("join_session", session=session_id, role="host", token=phones[2].token)
        assert forged["ok"] is False, forged
        forged = await phones[2].call("join_session", session=session_id, role="participant",
                                      token=canary("vals-token"))
        assert forged["ok"] is False, forged
        assert (await phones[2].call("join_session", session=session_id, role="participant"))["ok"] is True
        async with phone_http.post(f"{base}/j/ZZZZZZ", json={"table": 1}) as response:
            assert response.status in (404, 429)
        async with phone_http.get(f"{base}/host/") as response:
            assert response.status == 403
        async with phone_http.get(f"{base}/p/{session_id}", headers={"Cookie": f"rd_p_{session_id}={canary('koekje')}"},
                                  allow_redirects=False) as response:
            assert response.status == 303  # an unknown token goes back to the join page

        # -- the host runs the room ----------------------------------------------------------------------
        hidden = await host.call("set_contribution_hidden", {"session": session_id, "id": stored[-1], "hidden": True},
                                 timeout=WAIT)
        assert hidden == {"ok": True, "id": stored[-1], "hidden": True}
        agenda = next(payload for event, payload in host_events if event == "session_state")["agenda"]
        suggested = await host.call("suggest_themes", {"session": session_id, "item": agenda[0]["id"],
                                                       "mode": "suggest", "count": 2}, timeout=60)
        assert suggested["ok"] is True, suggested
        assert (await host.call("set_closing", {"session": session_id, "closing": True}, timeout=WAIT))["ok"] is True
        optin = await phones[0].call("request_verslag", session=session_id, email=f"{CANARY}@example.org",
                                     consent=True)
        assert optin == {"ok": True, "email": f"{CANARY}@example.org"}, optin

        # -- the verslag: page, edits, downloads --------------------------------------------------------
        verslag = f"{base}/host/s/{session_id}/verslag"
        async with host_http.get(verslag) as response:
            assert response.status == 200
        async with host_http.post(f"{verslag}/edits", json={"changes": {"wrap_up": [canary("afsluiting")]}},
                                  headers=origin) as response:
            assert response.status == 200, await response.text()
        async with host_http.post(f"{verslag}/edits", json={"changes": {canary("onderdeel"): "x"}},
                                  headers=origin) as response:
            assert response.status == 400
        for fmt in ("docx", "pdf", "md", "csv", "html"):
            async with host_http.get(f"{verslag}.{fmt}") as response:
                assert response.status == 200, (fmt, response.status)
                await response.read()
        async with host_http.get(f"{verslag}/privacy") as response:
            assert response.status == 200

        # The canaries did reach the store (so the search below looks for strings that were really there).
        assert any(CANARY in text for name, text in files_under(data_dir).items() if name.startswith("sessions/"))

        # -- websockets that break off at the worst moment (eventlet then prints "client=<address>") ----------
        await asyncio.to_thread(break_off_websockets, server.port, 6)

        # -- the facilitator deletes the bijeenkomst: a wrong code first, then the right one ------------
        delete = f"{base}/host/s/{session_id}/verwijderen"
        async with host_http.post(delete, json={"confirm": canary("code")}, headers=origin) as response:
            assert response.status == 400
        async with host_http.post(delete, json={"confirm": join_code}, headers=origin) as response:
            assert response.status == 200, await response.text()
        for phone in phones:
            for _ in range(100):
                if any(event == "session_ended" for event, _payload in phone.events):
                    break
                await asyncio.sleep(0.05)
            assert ("session_ended", {}) in phone.events, phone.name
        gone = await phones[1].call("join_session", session=session_id, role="participant")
        assert gone["ok"] is False and gone["error"]["code"] == "session_not_found", gone
        return {"session_id": session_id, "tokens": [phone.token for phone in phones], "stored": stored}
    finally:
        for phone in phones:
            await phone.close()
        try:
            await asyncio.wait_for(host.disconnect(), 5)
        except Exception:  # noqa: BLE001 - cleanup
            pass
        await host_http.close()
        await phone_http.close()


def break_off_websockets(port: int, count: int) -> None:
    """Open Socket.IO websockets and reset each right after the upgrade, as a phone losing its network does."""
    for _ in range(count):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            key = base64.b64encode(os.urandom(16)).decode()
            raw.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                         f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                         "Sec-WebSocket-Version: 13\r\n\r\n").encode())
            assert raw.recv(4096).startswith(b"HTTP/1.1 101")
            # A reset, not a polite close: the server's next write and its shutdown of the socket fail.
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def stop_and_collect(server: LiveServer) -> list[str]:
    """Stop the server as the facilitator does (Ctrl+C) and return every line it printed, up to its exit."""
    # Within seconds (test_start_stop.py), or the test fails; the server never outlives it (interrupt kills it then).
    server.interrupt(within=10)
    return list(server.output)


def files_under(folder: Path) -> dict[str, str]:
    """Return every file in the data folder (logs included, whatever their name) as text."""
    return {str(path.relative_to(folder)): path.read_bytes().decode("utf-8", "replace")
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_whole_afternoon_leaves_no_address_agent_token_or_text_in_the_output(data_dir: Path) -> None:
    server = LiveServer(data_dir)
    server.start()
    banner = len(server.output)
    try:
        outcome = run(afternoon(server, data_dir), timeout=150)
    finally:
        lines = stop_and_collect(server)
    output = "".join(lines)
    tokens = outcome["tokens"]
    secrets_ = {"a phone token": tokens, "a phone token's hash": [services.hash_token(t) for t in tokens],
                "the facilitator key's hash": [services.hash_token(server.key)]}

    # The start-up lines are complete, and only the facilitator's link carries the key.
    assert banner >= 2 and any(line.startswith(HOST_LINK_LINE) for line in lines[:banner]), lines[:banner]
    with_key = [line for line in lines if server.key in line]
    assert with_key == [f"{HOST_LINK_LINE}{server.base_url}/host/login?key={server.key}\n"], with_key

    found = []
    for label, values in secrets_.items():
        found += [f"{label} in line {n}" for n, line in enumerate(lines) for value in values if value in line]
    for agent in (PHONE_AGENT, HOST_AGENT, AGENT_MARK):
        found += [f"User-Agent {agent!r} in line {n}" for n, line in enumerate(lines) if agent in line]
    found += [f"canary in line {n}: {line!r}" for n, line in enumerate(lines) if CANARY in line]
    # Addresses only in the two start-up lines that exist to print the laptop's own links.
    found += [f"IP address in line {n}: {line!r}" for n, line in enumerate(lines) if IP_ADDRESS.search(line)
              and not (n < banner and (line.startswith(HOST_LINK_LINE) or line.startswith(PHONES_LINK_LINE)))]
    assert found == [], "\n".join(found) + "\n---- server output ----\n" + output

    # The data folder after the deletion: no log file or leftover with a canary, token or User-Agent.
    files = files_under(data_dir)
    assert not any(name.startswith("sessions/") and outcome["session_id"] in name for name in files), sorted(files)
    leftovers = [f"{name}: {label}" for name, text in files.items()
                 for label, values in {"canary": [CANARY], "User-Agent": [AGENT_MARK], **secrets_}.items()
                 if any(value in text for value in values)]
    assert leftovers == [], leftovers
