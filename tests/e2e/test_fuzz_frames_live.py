"""Raw frames over a real websocket to the real eventlet server: the JSON path a browser (or anyone) takes.

A few hundred frames from tests/support/fuzz_frames.py (number literals past python-socketio's 100-digit limit,
NaN and Infinity literals, lone surrogate escapes, control characters in strings, broken and too deeply nested
JSON, odd packet types), half from a phone and half from the host screen, each followed by a join_session on the
same connection. Every frame the server reads as one of its events with an ack id gets a clean ack, the
connection stays open, and the server's output holds no traceback and nothing at ERROR.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websocket
from hypothesis import HealthCheck, Phase, assume, given, note, settings
from hypothesis import strategies as st

from facilitator.testing.live_server import LiveServer
from tests.support.fuzz_checks import LEAK, check_ack, strict_json
from tests.support.fuzz_frames import expected_ack, frames

pytestmark = pytest.mark.e2e

#: Frames per run (RD_FUZZ_LIVE_FRAMES=3000 for a long run).
FRAMES = int(os.environ.get("RD_FUZZ_LIVE_FRAMES", "300"))
#: The server's SOCKETIO_MAX_MESSAGE_BYTES: a bigger frame closes its connection (test_floods covers that).
MAX_FRAME = 64 * 1024
WAIT = 10.0


class RawSocket:
    """One websocket speaking engine.io 4 and Socket.IO 5 by hand, so that any text can be sent."""

    def __init__(self, base_url: str, cookie: str = "") -> None:
        url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(url, timeout=WAIT, cookie=cookie or None)
        assert self.ws.recv().startswith("0{")  # engine.io open
        self.ws.send("40")
        assert self.recv_until(lambda text: text.startswith("40")).startswith("40{")
        self.next_id = 100
        self.acks: dict[int, Any] = {}

    def recv_until(self, wanted: Any) -> str:
        """Read frames (answering engine.io pings, checking every event) until one is `wanted`; return it."""
        while True:
            text = self.ws.recv()
            assert isinstance(text, str), text
            if text == "2":
                self.ws.send("3")
                continue
            if text.startswith("42"):  # an event to this screen: strict JSON, nothing that looks like a traceback
                data = json.loads(text[2:])
                assert not LEAK.search(strict_json(data)), text[:500]
            elif text.startswith("43"):
                digits = len(text[2:]) - len(text[2:].lstrip("0123456789"))
                self.acks[int(text[2 : 2 + digits])] = json.loads(text[2 + digits :])
            if wanted(text):
                return text

    def ack(self, ack_id: int) -> Any:
        """Return (and forget) the ack with this id, reading until it has come."""
        if ack_id not in self.acks:
            self.recv_until(lambda _text: ack_id in self.acks)
        [ack] = self.acks.pop(ack_id)
        return ack

    def call(self, event: str, payload: Any) -> Any:
        """Send an event as our pages do and return its ack."""
        ack_id = self.take_id()
        self.ws.send(f"42{ack_id}" + json.dumps([event, payload]))
        return self.ack(ack_id)

    def take_id(self) -> int:
        self.next_id += 1
        return self.next_id


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """A real server without the fair allowance per phone (this phone sends hundreds of frames in seconds)."""
    monkeypatch.setenv("FACILITATOR_PHONE_EVENTS_BURST", "0")
    live = LiveServer(tmp_path / "data")
    try:
        live.start()
        yield live
    finally:
        live.kill()
        print("---- server output ----\n" + "".join(live.output))


def test_raw_frames_on_a_real_websocket_get_a_clean_ack_and_no_traceback(server: LiveServer) -> None:
    made = server.create_bijeenkomst("Ruis op de lijn")
    token = server.join_phone(made["join_code"], table=1)
    joins = {
        "phone": {"session": made["id"], "role": "participant", "token": token},
        "host": {"session": made["id"], "role": "host"},
    }
    sockets = {"phone": RawSocket(server.base_url), "host": RawSocket(server.base_url, cookie=f"rd_host={server.key}")}
    for side, socket in sockets.items():
        assert socket.call("join_session", joins[side]) == {"ok": True, "role": joins[side]["role"]}
    counts = {"frames": 0, "acked": 0}

    @settings(
        max_examples=FRAMES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[
            HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )
    @given(side=st.sampled_from(["phone", "host"]), data=st.data())
    def run(side: str, data: st.DataObject) -> None:
        socket = sockets[side]
        ack_id = socket.take_id()
        frame = data.draw(frames(made["id"], ack_id))
        assume(len(frame.encode("utf-8")) < MAX_FRAME - 100)
        note(f"{side} sends {frame[:3000]!r}")
        socket.ws.send("4" + frame)
        assert socket.call("join_session", joins[side]) == {"ok": True, "role": joins[side]["role"]}
        expected = expected_ack(frame)
        if expected is not None:
            check_ack(socket.ack(expected))
            counts["acked"] += 1
        for [ack] in socket.acks.values():  # acks nobody could predict (a frame nested near the limit): clean too
            check_ack(ack)
            counts["acked"] += 1
        socket.acks.clear()
        counts["frames"] += 1

    try:
        run()
    finally:
        for socket in sockets.values():
            socket.ws.close()
    output = "".join(server.output)
    assert "Traceback" not in output and "ERROR" not in output and "handler error" not in output, output[-3000:]
    assert counts["frames"] == FRAMES
    print(f"\n{counts['frames']} raw frames over a websocket, {counts['acked']} acknowledged")
