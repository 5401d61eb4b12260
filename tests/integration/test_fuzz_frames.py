"""Raw Socket.IO frames into the server (threading test client): what no JSON encoder writes never crashes anything.

The test client of test_fuzz_events.py encodes Python values, so it never sends a number literal too long for
python-socketio's reader, a NaN or Infinity literal, a control character inside a string, broken JSON, nesting
deeper than the parser goes, a non-list event or an odd packet type. These frames go through engine.io's reader,
as from a websocket, and then to the server's frame handler (as the test client does with what it encodes), and
the regressions below go to that handler as they are. Every frame the server reads as one of its
events with an ack id gets a clean ack; nothing raises, nothing is logged at ERROR or with a traceback, and the
sender's connection still works. tests/e2e/test_fuzz_frames_live.py sends a few hundred over a real websocket.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from engineio import packet as engineio_packet
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from facilitator import create_app
from tests.conftest import HOST_KEY
from tests.support.fuzz_checks import ErrorCollector, check_ack, check_received
from tests.support.fuzz_frames import ANSWERED, expected_ack, frames

#: Raw frames per run, from a phone and from the host screen (RD_FUZZ_FRAMES=20000 for a long run).
FRAMES = int(os.environ.get("RD_FUZZ_FRAMES", "1000"))
ACK_ID = 7
INVALID = {
    "ok": False,
    "error": {"code": "invalid_input", "field": "payload", "message": "Dit bericht klopt niet. Ververs de pagina en probeer het opnieuw."},
}
#: Frames that raised out of python-socketio's reader (engine.io logged "message handler error" with a traceback
#: and the phone never heard back), or reached a handler that could not take them ("internal" and a traceback),
#: or ran the server's own disconnect handler, before frames.py. All ask for ack 1.
FOUND = [
    "21", "21[", "21[]", "21{}", "21null", "21[5]", "21[[1]]", '21["connect"]', '21["disconnect"]', "41", "71", "2199",
    '21["join_session",' + "1" * 101 + "]", "21" + "[" * 5000, '21["join_session",{"a":1}', '21["join_session",1,2]',
    "2" + "1" * 120 + "[]",
]


@pytest.fixture
def app() -> Any:
    """The app of conftest.py without the fair allowance per phone: this phone sends thousands of frames."""
    return create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True, "PHONE_EVENTS_BURST": 0})


@pytest.mark.parametrize("frame", FOUND, ids=[f"{frame[:24]}..{len(frame)}" for frame in FOUND])
def test_an_unreadable_frame_gets_invalid_input_and_the_phone_stays_joined(
    socketio: Any, phones: Any, deps: Any, frame: str
) -> None:
    phone = phones.join(table=1)
    phone.get_received()
    sid = socketio.server.manager.sid_from_eio_sid(phone.eio_sid, "/")
    joined = deps.realtime.connection(sid)
    with ErrorCollector() as errors:
        socketio.server._handle_eio_message(phone.eio_sid, frame)
    assert phone.acks is not None and phone.acks["args"] == [INVALID]
    assert errors.take() == []
    assert phone.is_connected() and deps.realtime.connection(sid) == joined
    assert phone.get_received() == []


#: The last four: engine.io reads a message that is JSON itself ("4{...}", "4true") and passes on the value.
@pytest.mark.parametrize("frame", ["", b"", b"\x00\x01", "x", "7", "2/nope,1[]", {"a": 1}, [2, "x"], True, None])
def test_a_frame_without_an_ack_id_is_ignored_quietly(socketio: Any, phones: Any, frame: Any) -> None:
    phone = phones.join(table=1)
    phone.get_received()
    with ErrorCollector() as errors:
        socketio.server._handle_eio_message(phone.eio_sid, frame)
    assert (phone.acks, errors.take(), phone.get_received()) == (None, [], [])
    assert phone.emit("choose_table", {"session": phones.bijeenkomst["id"], "table": 2}, callback=True) == {
        "ok": True, "table": 2,
    }


def test_raw_frames_get_a_clean_ack_and_never_a_traceback(
    socketio: Any, phones: Any, host_socket: Any, bijeenkomst: dict[str, Any]
) -> None:
    phone = phones.join(table=1)
    server = socketio.server
    assert set(server.handlers["/"]) - {"connect", "disconnect"} == ANSWERED
    senders = {
        "phone": (phone, {"session": bijeenkomst["id"], "role": "participant"}),
        "host": (host_socket, {"session": bijeenkomst["id"], "role": "host"}),
    }
    counts = {"frames": 0, "acked": 0}
    errors = ErrorCollector()

    @settings(
        max_examples=FRAMES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # the room keeps what earlier frames did: no shrinking
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(side=st.sampled_from(["phone", "host"]), frame=frames(bijeenkomst["id"], ACK_ID))
    def run(side: str, frame: str) -> None:
        client, join = senders[side]
        note(f"{side} sends {frame[:3000]!r}")
        client.acks = None
        errors.take()
        # As over a websocket: engine.io reads the message first (and passes on JSON it could read itself).
        message = engineio_packet.Packet(encoded_packet="4" + frame)
        assert message.packet_type == engineio_packet.MESSAGE
        server._handle_eio_message(client.eio_sid, message.data)
        ack = client.acks
        if expected_ack(frame) is not None:
            assert ack is not None and len(ack["args"]) == 1, ack
        if ack is not None:
            check_ack(ack["args"][0])
            counts["acked"] += 1
        check_received([phone, host_socket])
        assert errors.take() == []
        assert client.is_connected()
        assert client.emit("join_session", join, callback=True) == {"ok": True, "role": join["role"]}
        client.get_received()
        counts["frames"] += 1

    with errors:
        run()
    print(f"\n{counts['frames']} raw frames, {counts['acked']} acknowledged")
