"""The Socket.IO wire contract, pinned: a scripted afternoon (a regie, a beamer, the phone remote and two phones,
through five werkvormen) records every event each screen hears and the shape of its payload and of every ack.

Two checks hold it. Every payload heard and every ack is checked against its TypedDict in facilitator/web/wire.py
(keys required and optional, recursively, and the JSON type of every value), so the types cannot drift from what the
server sends. And the record is compared with tests/integration/wire_contract.json, which pins who hears what and
which shapes occur: a change to an event name, a payload key or a room fails here until that file is rewritten on
purpose (WRITE_WIRE_CONTRACT=1, then read the diff).
"""

from __future__ import annotations

import json
import os
import re
import types
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from facilitator.core import services
from facilitator.web import wire
from facilitator.web.realtime import events as catalogue
from facilitator.web.realtime import rooms
from tests.support.rooms import Room

CONTRACT = Path(__file__).with_name("wire_contract.json")
#: A mapping key that is an id (of an agenda item, a contribution, a theme, a vote target), not a field name.
ID_KEY = re.compile(r"[0-9a-f]{8,}|([a-z]+:)?[a-z]+-[0-9a-z-]+|[0-9]+")


@pytest.fixture
def room(deps: Any, bijeenkomst: dict[str, Any], host_socket: Any, phones: Any) -> Room:
    made = Room(deps, bijeenkomst, host_socket, phones)
    made.drain()
    return made


def shape(value: Any) -> Any:
    """Return a value's keys, recursively, without its data: lists merge the shapes of their items."""
    if isinstance(value, dict):
        # Keys that are ids (tallies, placements, roles per item) vary per run: only that it is a mapping counts.
        if value and all(ID_KEY.fullmatch(k) for k in value):
            return {"<id>": merged([shape(v) for v in value.values()])}
        return {k: shape(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [merged([shape(v) for v in value])] if value else []
    return type(value).__name__ if value is not None else "null"


def merged(shapes: list[Any]) -> Any:
    """Return one shape that covers them all (keys united; differing scalars listed)."""
    dicts = [s for s in shapes if isinstance(s, dict)]
    others = sorted({json.dumps(s, sort_keys=True) for s in shapes if not isinstance(s, dict)})
    if dicts and not others:
        keys = sorted({k for d in dicts for k in d})
        return {k: merged([d[k] for d in dicts if k in d]) for k in keys}
    if not dicts and len(others) == 1:
        return json.loads(others[0])
    return sorted([*others, *(json.dumps(d, sort_keys=True) for d in dicts)])


class Recorder:
    """Every frame each screen heard, and every ack, as 'event shape' lines."""

    def __init__(self, room: Room, screens: dict[str, Any]) -> None:
        self.room, self.screens = room, screens
        self.heard: dict[str, set[str]] = {name: set() for name in screens}
        self.acks: set[str] = set()
        #: Every frame as it came: (screen, event, payload), and every ack: (event, ack).
        self.frames: list[tuple[str, str, Any]] = []
        self.answers: list[tuple[str, Any]] = []

    def take(self) -> None:
        for name, client in self.screens.items():
            for message in client.get_received():
                payload = message["args"][0] if message["args"] else None
                self.heard[name].add(f"{message['name']} {json.dumps(shape(payload), sort_keys=True)}")
                self.frames.append((name, message["name"], payload))

    def host(self, event: str, **payload: Any) -> Any:
        return self.ack(event, self.room.as_host(event, **payload))

    def phone(self, phone: Any, event: str, **payload: Any) -> Any:
        return self.ack(event, self.room.send(phone, event, **payload))

    def ack(self, event: str, answer: Any) -> Any:
        assert isinstance(answer, dict) and answer.get("ok") is True, (event, answer)
        self.answers.append((event, answer))
        self.acks.add(f"{event} {json.dumps(shape(answer), sort_keys=True)}")
        self.take()
        return answer

    def record(self) -> dict[str, Any]:
        self.take()
        return {"heard": {name: sorted(lines) for name, lines in self.heard.items()}, "acks": sorted(self.acks)}


def afternoon(app: Any, socketio: Any, host_http: Any, room: Room) -> Recorder:
    """Play an afternoon: open question with "eerst goedkeuren", vier buffers, rode draden, stemmen, tafeladvies."""
    sid, deps = room.id, room.deps
    beamer = socketio.test_client(app, flask_test_client=host_http)
    assert beamer.emit("join_session", {"session": sid, "role": "beamer"}, callback=True)["ok"] is True
    url = host_http.post(f"/host/s/{sid}/remote-token", json={}).get_json()["url"]
    remote_http = app.test_client()
    assert remote_http.get(f"/r/{sid}/{url.rsplit('/', 1)[1]}").status_code == 303
    remote = socketio.test_client(app, flask_test_client=remote_http)
    assert remote.emit("join_session", {"session": sid, "role": "remote"}, callback=True)["ok"] is True
    room.clients.extend([beamer, remote])
    for workformat, settings in (("vier_buffers", None), ("rode_draden", None),
                                 ("stemmen", {"dots": 2}), ("tafeladvies", None), ("roddelmethode", None), ("casusdialoog", None)):
        room.add(workformat, settings)
    first = deps.repo.get_session(sid).agenda[0]
    deps.publish(services.update_agenda_item(deps.repo, deps.registry, sid, first.id, {"approve_first": True, "hidden": {"antwoorden": True}})[1])
    rec = Recorder(room, {"regie": room.host, "beamer": beamer, "remote": remote})
    rec.host("set_tables", tables=["Maan", "Zon"])
    anna = room.phones.join(table=1, perspective="ouder")
    bram = room.phones.join(table=1, perspective="zorg")
    rec.screens.update(anna=anna, bram=bram)
    rec.heard.update(anna=set(), bram=set())
    # Join states, as every screen gets after a reload.
    for client, role in ((room.host, "host"), (beamer, "beamer"), (remote, "remote"), (anna, "participant")):
        rec.ack("join_session", client.emit("join_session", {"session": sid, "role": role}, callback=True))

    rec.host("set_tables", tables=["Maan", "Zon", "Ster"])
    rec.host("control_timer", action="start")
    rec.host("control_timer", action="add", seconds=60)
    rec.host("control_timer", action="pause")
    rec.phone(anna, "submit_contribution", client_id="antwoord-0001", text="Vertrouwen tussen ouders en school")
    rec.phone(bram, "submit_contribution", client_id="antwoord-0002", text="Wachtlijsten in de jeugdzorg")
    rec.phone(anna, "submit_contribution", client_id="antwoord-0003", text="Ouders vertrouwen de school niet")
    rec.host("reveal_phase")
    rec.host("approve_contribution", id="antwoord-0001")
    rec.host("approve_all")
    rec.host("set_contribution_hidden", id="antwoord-0003", hidden=True)
    rec.host("set_contribution_hidden", id="antwoord-0003", hidden=False)
    rec.host("set_beamer_view", large=True, qr="small")
    rec.phone(anna, "choose_table", table=2)

    def go(item: int, phase_id: str) -> None:
        workformat = services.configured_workformat(deps.registry, deps.repo.get_session(sid).agenda[item])
        rec.host("go_to_phase", item=item, phase=[p.id for p in workformat.phases].index(phase_id))

    rec.host("advance_phase")  # vier buffers
    go(1, "vangnet")
    rec.phone(bram, "submit_contribution", client_id="buffer-0001", text="Koffie na schooltijd",
              bucket="solidariteit", tags=["geven", "mens"])
    rec.phone(anna, "submit_contribution", client_id="buffer-0002", text="Samen naar de sportclub",
              bucket="solidariteit", tags=["geven", "mens"])
    rec.host("move_contribution", id="buffer-0001", bucket="meta_positie")

    rec.host("go_to_phase", item=2, phase=0)  # rode draden: meesorteren
    board = deps.repo.get_session(sid).agenda[1].id  # the board sorts the previous item's bijdragen
    theme = rec.host("edit_board", item=board, action="add_theme", name="Vertrouwen", cards=["buffer-0001"])["theme"]
    rec.phone(anna, "place_contribution", id="buffer-0002", theme=theme)
    rec.phone(bram, "place_contribution", id="buffer-0001", new_theme="Wachtlijsten")
    rec.host("edit_board", item=board, action="rename_theme", theme=theme, name="Relatie")
    rec.host("edit_board", item=board, action="set_rode_draad", text="Vertrouwen is de basis.")
    rec.host("suggest_themes", item=board, mode="sort")

    rec.host("go_to_phase", item=3, phase=0)  # stemmen, on the board's themes
    target = deps.realtime.participant_state(sid, deps.repo.list_participants(sid)[0])["step"]["vote"]["targets"][0]
    rec.phone(anna, "cast_vote", target=target["id"], on=True)
    rec.phone(anna, "cast_vote", target=target["id"], on=False)
    rec.host("previous_phase")
    rec.host("advance_phase")

    rec.host("advance_phase")  # tafeladvies
    code = rec.host("create_role_code", role="tafelvoorzitter", table=2)["code"]
    rec.phone(anna, "claim_role", code=code)
    rec.host("clear_role", role="tafelvoorzitter", table=2)
    go(4, "advies")
    rec.phone(bram, "save_table_draft", kind="advies", slot=1, text="Praat met Finn", base_version=0)
    rec.phone(bram, "claim_spokesperson")
    rec.phone(bram, "submit_table_drafts", kind="advies")

    go(5, "inbreng")  # roddelmethode
    rec.host("assign_role", role="inbrenger", number=1)
    go(5, "roddelen")
    rec.phone(bram, "submit_contribution", client_id="roddel-0001", text="Finn voelt zich niet gezien",
              kind="roddel", tags=["hypothese"])
    rec.phone(anna, "star_contribution", id="roddel-0001", starred=True)

    go(6, "vraag4")  # casusdialoog: a private answer, shared and taken back
    rec.phone(anna, "submit_contribution", client_id="opbrengst-01", text="Ik kijk anders naar gedrag")
    rec.phone(anna, "set_contribution_shared", id="opbrengst-01", shared=True)
    rec.phone(anna, "set_contribution_shared", id="opbrengst-01", shared=False)

    rec.host("set_closing", closing=True)
    rec.phone(anna, "request_verslag", email="anna@example.org", consent=True)
    rec.phone(anna, "withdraw_verslag_request")
    deps.realtime.probe_reached(sid, "probe-1", "127.0.0.1:5000")
    deps.realtime.storage_health(sid, False)
    deps.realtime.storage_health(sid, True)
    assert host_http.post(f"/host/s/{sid}/remote-token", json={}).status_code == 201  # revokes the remote
    deps.publish(services.delete_session(deps.repo, deps.series, sid))
    rec.take()
    return rec


def mismatches(value: Any, hint: Any, path: str = "") -> list[str]:
    """Return how a JSON value departs from a wire type: keys missing or unknown (recursively through TypedDicts,
    lists, mappings and unions) and values of another JSON type; empty when it fits."""
    origin = get_origin(hint)
    if is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{path or '.'}: {type(value).__name__}, not a {hint.__name__}"]
        hints = get_type_hints(hint)
        problems = [f"{path}.{k}: missing from the payload ({hint.__name__})"
                    for k in sorted(hint.__required_keys__ - value.keys())]
        problems += [f"{path}.{k}: not a key of {hint.__name__}" for k in sorted(value.keys() - hints.keys())]
        for key in sorted(value.keys() & hints.keys()):
            problems += mismatches(value[key], hints[key], f"{path}.{key}")
        return problems
    if origin in (Union, types.UnionType):
        tried = [mismatches(value, option, path) for option in get_args(hint)]
        return [] if any(not problems for problems in tried) else min(tried, key=len)
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__}, not a list"]
        return [p for i, item in enumerate(value) for p in mismatches(item, get_args(hint)[0], f"{path}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not a mapping"]
        return [p for k, item in value.items() for p in mismatches(item, get_args(hint)[1], f"{path}[{k}]")]
    if origin is Literal:
        return [] if value in get_args(hint) else [f"{path}: {value!r} not one of {get_args(hint)}"]
    fits = {
        type(None): value is None,
        bool: isinstance(value, bool),
        int: isinstance(value, int) and not isinstance(value, bool),
        float: isinstance(value, int | float) and not isinstance(value, bool),
        str: isinstance(value, str),
    }
    if hint not in fits:
        raise TypeError(f"{path}: no check for {hint!r}")
    return [] if fits[hint] else [f"{path}: {type(value).__name__}, not {getattr(hint, '__name__', hint)}"]


def best_fit(value: Any, shapes: tuple[type[Any], ...]) -> list[str]:
    """Return the mismatches against the one of an event's shapes that fits best (none when one fits)."""
    tried = [mismatches(value, shape) for shape in shapes]
    return [] if any(not problems for problems in tried) else min(tried, key=len)


def test_every_payload_and_ack_has_its_wire_type(app: Any, socketio: Any, host_http: Any, room: Room) -> None:
    """What the server really sends fits facilitator/web/wire.py: every frame each screen heard in the afternoon,
    every ack, and an error ack."""
    rec = afternoon(app, socketio, host_http, room)
    wrong = {
        f"{screen} heard {event}": problems for screen, event, payload in rec.frames
        if (problems := best_fit(payload, wire.SERVER_PAYLOADS[event]))
    }
    wrong |= {f"ack of {event}": problems for event, answer in rec.answers
              if (problems := mismatches(answer, wire.CLIENT_PAYLOADS[event][1]))}
    refused = room.as_host("set_contribution_hidden", id="nope", hidden="yes")
    assert refused["ok"] is False and mismatches(refused, wire.AckError) == []
    assert wrong == {}
    assert len(rec.frames) > 200 and {event for _, event, _ in rec.frames} == set(catalogue.SERVER_EVENTS)


def test_the_wire_check_catches_a_misspelt_key_and_a_wrong_type() -> None:
    """The check above can fail: a key the type does not know, one it needs, a value of another type, nested."""
    timer = {"duration": 60, "remaining": 59.5, "running": True}
    assert mismatches({"timer": timer}, wire.TimerChanged) == []
    assert mismatches({"timer": None}, wire.TimerChanged) == []
    assert mismatches({"timer": {**timer, "remaing": 1}}, wire.TimerChanged) == [".timer.remaing: not a key of Timer"]
    assert mismatches({"timer": {"duration": 60, "running": True}}, wire.TimerChanged) == [
        ".timer.remaining: missing from the payload (Timer)"]
    assert mismatches({"roles": [{"agenda_item": "a", "role": "r", "table": "1", "number": None, "code": None}]},
                      wire.RolesChanged) == [".roles[0].table: str, not int"]


def test_every_catalogued_event_has_its_wire_types() -> None:
    """The catalogue and the types name the same events: each page event has a payload and an ack type, each server
    event at least one payload type, and every optional key of a type is really optional."""
    assert list(wire.CLIENT_PAYLOADS) == list(catalogue.CLIENT_EVENTS)
    assert list(wire.SERVER_PAYLOADS) == list(catalogue.SERVER_EVENTS)
    for shapes in [*wire.CLIENT_PAYLOADS.values(), *wire.SERVER_PAYLOADS.values()]:
        assert shapes and all(is_typeddict(s) for s in shapes)
    # wire.received can check every field a page may send (a hint it has no check for would be a crash, not a refusal).
    for payload, _ack in wire.CLIENT_PAYLOADS.values():
        for hint in get_type_hints(payload).values():
            wire.fits(object(), hint)
    # docs/events.md names each event's types as the catalogue does.
    doc = (Path(__file__).resolve().parents[2] / "docs" / "events.md").read_text(encoding="utf-8")
    rows = [f"| `{event}` | `{payload.__name__}` | `{ack.__name__}` |"
            for event, (payload, ack) in wire.CLIENT_PAYLOADS.items()]
    rows += [f"| `{event}` | " + ", ".join(f"`{shape.__name__}`" for shape in shapes) + " |"
             for event, shapes in wire.SERVER_PAYLOADS.items()]
    assert [row for row in rows if row not in doc] == []
    # TypedDict tells NotRequired keys only when its annotations are evaluated (no postponed annotations in wire.py).
    assert wire.JoinSession.__optional_keys__ == {"token"} and wire.Step.__optional_keys__ == {"place", "vote"}


def test_the_wire_contract_holds(app: Any, socketio: Any, host_http: Any, room: Room) -> None:
    recorded = afternoon(app, socketio, host_http, room).record()
    if os.environ.get("DUMP_WIRE_CONTRACT"):
        Path(os.environ["DUMP_WIRE_CONTRACT"]).write_text(json.dumps(recorded, indent=1, sort_keys=True), encoding="utf-8")
    if os.environ.get("WRITE_WIRE_CONTRACT") == "1":
        CONTRACT.write_text(json.dumps(recorded, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    assert recorded == json.loads(CONTRACT.read_text(encoding="utf-8"))


def test_the_afternoon_heard_every_server_event() -> None:
    """The pin is only as good as its coverage: each server event is heard by some screen in the afternoon."""
    heard = {line.split(" ", 1)[0] for lines in json.loads(CONTRACT.read_text(encoding="utf-8"))["heard"].values()
             for line in lines}
    acked = {line.split(" ", 1)[0] for line in json.loads(CONTRACT.read_text(encoding="utf-8"))["acks"]}
    assert set(catalogue.SERVER_EVENTS) - heard == set()
    assert set(catalogue.CLIENT_EVENTS) - acked == set()


def test_the_event_names_are_pinned() -> None:
    """Each event name, in the order the catalogue lists them; every constant is spelled as its name."""
    assert catalogue.CLIENT_EVENTS == (
        "join_session", "submit_contribution", "choose_table", "claim_role", "claim_spokesperson", "save_table_draft",
        "submit_table_drafts", "set_contribution_shared", "star_contribution", "cast_vote", "set_contribution_hidden",
        "move_contribution", "advance_phase", "previous_phase", "go_to_phase", "control_timer", "reveal_phase",
        "set_tables", "assign_role", "create_role_code", "clear_role", "edit_board", "suggest_themes",
        "place_contribution", "set_closing", "request_verslag", "withdraw_verslag_request", "approve_contribution",
        "approve_all", "set_beamer_view",
    )
    assert catalogue.SERVER_EVENTS == (
        "session_state", "contribution_added", "contribution_updated", "participants_changed", "phase_changed",
        "timer_changed", "tables_changed", "roles_changed", "table_draft_changed", "votes_changed", "board_changed",
        "placements_changed", "closing_changed", "mail_optins_changed", "session_ended", "storage_warning",
        "storage_ok", "probe_reached", "beamer_contribution", "beamer_contribution_removed", "beamer_board",
        "beamer_view_changed", "remote_revoked",
    )
    assert sorted(catalogue.REMOTE_EVENTS) == [
        "advance_phase", "approve_contribution", "control_timer", "previous_phase", "reveal_phase",
        "set_contribution_hidden",
    ]
    names = {k: v for k, v in vars(catalogue).items() if k.isupper() and not k.startswith("_") and isinstance(v, str)}
    assert names == {value.upper(): value for value in (*catalogue.CLIENT_EVENTS, *catalogue.SERVER_EVENTS)}


def test_the_room_names_are_pinned() -> None:
    assert [rooms.host_room("S"), rooms.participants_room("S"), rooms.participant_room("P"),
            rooms.table_room("S", 2), rooms.beamer_room("S"), rooms.remote_room("S")] == [
        "host:S", "phones:S", "participant:P", "table:S:2", "beamer:S", "remote:S"]
