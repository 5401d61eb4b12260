"""The JavaScript's names follow the wire types (facilitator/web/wire.py): every key a page puts in a payload it sends
is a key of that event's TypedDict, and every key it reads of a state, a step, its own `me`, a contribution or an ack
is a key of one of the types it may be. A grep, not a parser: it reads `send("event", { key, key: … })` literals and
`name.key` accesses of the names below, so a misspelt key fails here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_type_hints

from facilitator.web import wire

JS = Path(__file__).resolve().parents[2] / "static" / "js"
SENT = re.compile(r"""\b(?:send|emit|request)\(\s*["'](\w+)["']\s*,\s*\{([^{}]*)\}""")
KEY = re.compile(r"(?:^|,)\s*(\w+)\s*(?=:|,|$)")


def keys(*shapes: type[Any]) -> set[str]:
    return {key for shape in shapes for key in get_type_hints(shape)}


#: The names the pages give wire objects, and the types each may be.
READ_AS: dict[str, set[str]] = {
    "state": keys(wire.HostState, wire.ParticipantState, wire.BeamerState, wire.RemoteState),
    "step": keys(wire.Step, wire.BeamerStep, wire.RemoteStep),
    "me": keys(wire.Me),
    "c": keys(wire.OwnContribution, wire.HostContribution, wire.BeamerContribution),
    "contribution": keys(wire.OwnContribution, wire.HostContribution, wire.BeamerContribution),
    "ack": keys(wire.AckError, *(ack for _payload, ack in wire.CLIENT_PAYLOADS.values())),
}
#: The same names for the pages' own objects, not from the wire: (name, key) and where.
LOCAL = {
    ("state", "saved"): "host/verslag.js: the verslag editor's own save state",
    ("c", "theirs"): "participant/table.js: a draft conflict {theirs, mine, base, version, message}",
    ("c", "mine"): "participant/table.js: a draft conflict",
    ("c", "base"): "participant/table.js: a draft conflict",
    ("c", "version"): "participant/table.js: a draft conflict",
    ("c", "message"): "participant/table.js: a draft conflict",
    ("c", "client_id"): "participant/answer.js: an item of the phone's own outbox",
    ("c", "address"): "host/reach.js: an address choice of the network route",
}
READ = re.compile(r"(?<![\w.$])(" + "|".join(READ_AS) + r")\??\.([A-Za-z_]\w*)")


def scripts() -> list[Path]:
    found = sorted(JS.rglob("*.js"))
    assert len(found) > 20, JS  # the pages' scripts, wherever the folders move
    return found


def test_every_key_a_page_sends_is_in_its_events_type() -> None:
    sent, wrong = 0, []
    for path in scripts():
        for match in SENT.finditer(path.read_text(encoding="utf-8")):
            event, body = match.groups()
            if event not in wire.CLIENT_PAYLOADS:
                wrong.append(f"{path.name}: {event} is no event a page sends")
                continue
            declared = keys(wire.CLIENT_PAYLOADS[event][0])
            for key in KEY.findall(body.strip()):
                sent += 1
                if key not in declared:
                    wrong.append(f"{path.name}: {event} sends {key}, not a key of "
                                 f"{wire.CLIENT_PAYLOADS[event][0].__name__}")
    assert wrong == []
    assert sent > 50  # the grep still finds the pages' payloads (64 keys when this was written)


def test_every_key_a_page_reads_is_in_a_wire_type() -> None:
    read, wrong = 0, []
    for path in scripts():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name, key in READ.findall(line):
                read += 1
                if key not in READ_AS[name] and (name, key) not in LOCAL:
                    wrong.append(f"{path.relative_to(JS)}:{number}: {name}.{key}")
    assert wrong == []
    assert read > 400  # 548 when this was written


def test_the_grep_catches_a_misspelt_key() -> None:
    """The checks above can fail: a key no type has is found in a line of JavaScript."""
    line = 'if (step.promt && state.timer && ack.ok) send("cast_vote", { target, of: true });'
    assert [(n, k) for n, k in READ.findall(line) if k not in READ_AS[n]] == [("step", "promt")]
    match = SENT.search(line)
    assert match is not None
    event, body = match.groups()
    assert [k for k in KEY.findall(body.strip()) if k not in keys(wire.CLIENT_PAYLOADS[event][0])] == ["of"]


def test_the_wire_edge_is_not_exempt_from_mypy() -> None:
    """The handlers, the wire types and the realtime package are type-checked strictly: no mypy override exempts
    them (test_code_quality runs mypy over the package)."""
    import fnmatch
    import tomllib

    config = tomllib.loads((JS.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    exempt = [pattern for override in config.get("overrides", []) if override.get("ignore_errors")
              for pattern in ([override["module"]] if isinstance(override["module"], str) else override["module"])]
    edge = ["facilitator.web.wire", "facilitator.web.sockets", "facilitator.web.host.sockets",
            "facilitator.web.participant.sockets", "facilitator.web.realtime.publish", "facilitator.web.realtime.acks"]
    assert config["strict"] is True
    assert [(m, p) for m in edge for p in exempt if fnmatch.fnmatch(m, p) or m == p.removesuffix(".*")] == []
