"""Hypothesis strategies for raw Socket.IO frames: what a hostile client can put on the wire that no JSON encoder
writes (number literals too long to read, NaN and Infinity, lone surrogate escapes, control characters in
strings, broken JSON, nesting deeper than the parser goes, odd packet types, ack ids and namespaces)."""

from __future__ import annotations

import json

from hypothesis import strategies as st
from socketio import packet

from facilitator.web.guards.frames import UNREADABLE_FRAME, ReadablePacket
from facilitator.web.realtime import events as catalogue

#: Every field name any event reads, so that nearly right payloads reach the handlers' checks.
FIELD_NAMES = [
    "session", "role", "token", "client_id", "text", "kind", "bucket", "tags", "function", "shared", "table", "code",
    "slot", "base_version", "id", "starred", "target", "on", "hidden", "item", "phase", "action", "seconds", "tables",
    "number", "card", "cards", "theme", "into", "before", "name", "order", "mode", "count", "new_theme", "closing",
    "email", "consent",
]
#: Literals and strings JSON.stringify never writes, and some it does.
LITERALS = [
    "null", "true", "false", "0", "-0", "1.5", "1e999", "-1e999", "NaN", "Infinity", "-Infinity", "01", "0x10", "+1",
    ".5", "1e", "-", "undefined", "[]", "{}", '""', '"\\ud800"', '"x\\udfffy"', '"\\udbff\\udfff"', '"a\\u0000b"',
    '"\\x41"', '"\\u12"', '"unterminated', '"\\"', '"a\x01b"', '"tab\tin"', '"\\u202e"', '"Rust"', "[1,]", "{,}",
    '{"a":1,"a":2}', "{1:2}", "[1 2]", "\ufeff[]", "//",
]

literals = st.sampled_from(LITERALS)
#: Whole numbers around python-socketio's 100-digit limit, and far past it.
long_numbers = st.builds(
    lambda sign, digits: sign + "9" * digits, st.sampled_from(["", "-"]), st.integers(min_value=95, max_value=5_000)
)
strings = st.text(max_size=30).map(lambda text: json.dumps(text))
#: Chains of arrays or objects: a few hundred levels parse, thousands exhaust the parser (in under 64 KB).
deep = st.builds(
    lambda depth, as_dict, closed: ('{"a":' * (depth // 3) + "1" + "}" * (depth // 3) * closed) if as_dict
    else ("[" * depth + "]" * depth * closed),
    st.integers(min_value=100, max_value=20_000), st.booleans(), st.sampled_from([1, 1, 0]),
)
leaves = st.one_of(literals, strings, long_numbers, st.integers().map(str), st.floats().map(repr))
arrays = st.lists(leaves, max_size=4).map(lambda items: "[" + ",".join(items) + "]")
keys = st.one_of(st.sampled_from(FIELD_NAMES).map(json.dumps), strings, literals)
objects = st.lists(st.tuples(keys, st.one_of(leaves, arrays)), max_size=5).map(
    lambda pairs: "{" + ",".join(f"{k}:{v}" for k, v in pairs) + "}"
)
json_text = st.one_of(leaves, arrays, objects, deep, st.text(max_size=20))


def payload_objects(session_id: str) -> st.SearchStrategy[str]:
    """Return objects with the bijeenkomst's id and real field names whose values are anything at all."""
    fields = st.lists(st.tuples(st.sampled_from(FIELD_NAMES), st.one_of(leaves, arrays, objects)), max_size=4)
    return fields.map(lambda pairs: "{" + ",".join([f'"session":"{session_id}"', *(f'"{k}":{v}' for k, v in pairs)]) + "}")


@st.composite
def frames(draw: st.DrawFn, session_id: str, ack_id: int) -> str:
    """Return one Socket.IO frame (the text after engine.io's "4"), asking for ack `ack_id` where it has an id.

    Types 0 and 1 (connect, disconnect) are left out: a client may of course leave its own namespace.
    """
    shape = draw(st.sampled_from(["event", "event", "event", "unreadable", "packet"]))
    if shape == "event":
        names = st.one_of(
            st.sampled_from(catalogue.CLIENT_EVENTS).map(json.dumps),
            st.sampled_from(['"nope"', "5", "null", '"connect"', '"disconnect"', '"\\ud800"', "[]", '"unreadable_frame"']),
        )
        parts = [draw(names)]
        parts += draw(st.lists(st.one_of(payload_objects(session_id), json_text), max_size=3))
        body = "[" + ",".join(parts) + "]"
        if draw(st.integers(0, 9)) == 0:
            body = body[: draw(st.integers(0, len(body)))]  # cut off
        return f"2{ack_id}{body}"
    if shape == "unreadable":
        return f"2{ack_id}{draw(json_text)}"
    prefix = draw(st.sampled_from([
        "", "2", "3", "4", "5", "6", "7", "8", "9", "x", " ", "21-", "51-", "61-", "2/nope,", "2/,", "2/", "29" * 60,
        f"2{ack_id}", "3", f"3{ack_id}",
    ]))
    frame = prefix + draw(json_text)
    return "2" + frame if frame[:1] in ("0", "1") else frame  # "1...": the client leaving, "0...": joining again


#: What the server answers: its events, and the one every unreadable frame becomes.
ANSWERED = frozenset({*catalogue.CLIENT_EVENTS, UNREADABLE_FRAME})


def nesting(text: str) -> int:
    """Return how deep brackets nest in a text (strings not skipped: an upper bound is all this needs)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def expected_ack(frame: str) -> int | None:
    """Return the ack id the server must answer a frame with: it reads the frame as one of its events, with an
    ack id, in the main namespace (the id may be another than the one the frame was made with: "2" + 120 digits
    is read as the first 100 of them, then found unreadable). None for a frame nested so deep that whether it
    parses depends on how deep in its own stack the reader runs (Python's limit is about 1000 frames)."""
    if nesting(frame) > 500:
        return None
    decoded = ReadablePacket(encoded_packet=frame)
    if decoded.packet_type == packet.EVENT and decoded.namespace in (None, "/") and decoded.data[0] in ANSWERED:
        return decoded.id  # type: ignore[no-any-return]
    return None
