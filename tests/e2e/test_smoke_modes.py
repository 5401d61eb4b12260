"""The smoke scenario under each server runtime (facilitator/web/server_runtime.py): eventlet, the default, and
threading, the fallback that FACILITATOR_ASYNC_MODE=threading chooses (docs/operations.md).

The real `facilitator serve` in a subprocess: phones join over HTTP and Socket.IO (websocket), submit, get their
ack, the host screen sees each contribution live, the verslag exports with them, Ctrl+C stops the server within
seconds, and the files on disk hold every acknowledged contribution. One scenario per mode, to keep CI short.
"""

from __future__ import annotations

import asyncio
import io
import re
from pathlib import Path

import aiohttp
import docx
import pytest
import requests

from facilitator.testing.clients import Recorder, client_id, join_over_http, run, stored_contributions
from facilitator.testing.live_server import LiveServer
from tests.e2e.test_start_stop import STOP_WITHIN, STOPPED

pytestmark = pytest.mark.e2e

PHONES = 3
#: The line a fallback start prints right after "Rode Draad draait.".
FALLBACK_LINE = r"Servermodus: threading \(reserve, gekozen met FACILITATOR_ASYNC_MODE; standaard is eventlet\)"


async def scenario(server: LiveServer, session_id: str, join_code: str) -> dict[str, str]:
    """Join the phones, let each submit one text, and return what the host saw (client id -> text)."""
    host = Recorder("host")
    phones = [Recorder(f"phone{i}") for i in range(PHONES)]
    try:
        await host.connect(server.base_url, host_key=server.key)
        assert (await host.join(session_id, "host"))["contributions"] == []
        async with aiohttp.ClientSession() as http:
            tokens = await asyncio.gather(*(join_over_http(http, server.base_url, join_code) for _ in phones))
        for phone, token in zip(phones, tokens, strict=True):
            await phone.connect(server.base_url, token=token)
            assert (await phone.join(session_id, "participant"))["role"] == "participant"
        sent = {client_id(f"p{i}"): f"Rookproef {i} in deze modus" for i in range(PHONES)}
        acks = await asyncio.gather(*(
            phone.call("submit_contribution", {"session": session_id, "client_id": cid, "text": text})
            for phone, (cid, text) in zip(phones, sent.items(), strict=True)
        ))
        assert acks == [{"ok": True, "id": cid} for cid in sent]
        await host.wait_for(lambda: len(host.of("contribution_added")) >= PHONES)
        return {event["contribution"]["id"]: event["contribution"]["text"] for event in host.of("contribution_added")}
    finally:
        await asyncio.gather(*(recorder.close() for recorder in (host, *phones)))


@pytest.mark.parametrize("mode", ["eventlet", "threading"])
def test_phones_submit_the_host_sees_it_and_the_verslag_exports_in_each_mode(tmp_path: Path, mode: str) -> None:
    data_dir = tmp_path / "data"
    server = LiveServer(data_dir, env={"FACILITATOR_ASYNC_MODE": mode})
    try:
        server.start()
        # The fallback says so at start; the default prints nothing about its mode.
        fallback = [line for line in server.output if line.startswith("Servermodus")]
        # And the mode is the one served: werkzeug's threaded server names itself, eventlet.wsgi sends no Server.
        served_by = requests.get(f"{server.base_url}/healthz", timeout=10).headers.get("Server", "")
        if mode == "threading":
            assert len(fallback) == 1 and re.fullmatch(FALLBACK_LINE, fallback[0].rstrip("\n")), server.output
            assert server.output[1] == fallback[0]  # right under "Rode Draad draait."
            assert served_by.startswith("Werkzeug/"), served_by
        else:
            assert fallback == []
            assert served_by == ""
        bijeenkomst = server.create_bijeenkomst(f"Rookproef {mode}")
        seen = run(scenario(server, bijeenkomst["id"], bijeenkomst["join_code"]))
        assert sorted(seen.values()) == [f"Rookproef {i} in deze modus" for i in range(PHONES)]

        http = server.host_session()
        verslag = f"{server.base_url}/host/s/{bijeenkomst['id']}/verslag"
        table = http.get(f"{verslag}.csv", timeout=30)  # the raw contributions
        assert table.status_code == 200, table.text
        for text in seen.values():
            assert text in table.text
        word = http.get(f"{verslag}.docx", timeout=30)  # rendered off the event loop (run_blocking)
        assert word.status_code == 200
        assert f"Rookproef {mode}" in [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]

        elapsed = server.interrupt(within=STOP_WITHIN)
        assert elapsed < STOP_WITHIN
        assert re.fullmatch(STOPPED, server.output[-1].rstrip("\n")), server.output[-3:]
        with pytest.raises(requests.ConnectionError):  # nothing listens any more
            requests.get(f"{server.base_url}/healthz", timeout=2)
    finally:
        server.kill()
        print("---- server output ----\n" + "".join(server.output))
    # Every acknowledged contribution is in the files a restart reads.
    stored = [item["text"] for item in stored_contributions(data_dir, bijeenkomst["id"])]
    assert sorted(stored) == sorted(seen.values())
