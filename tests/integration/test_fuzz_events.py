"""Hypothesis fuzzing of every client->server Socket.IO event (threading test client, TinyDB on disk).

Each event gets arbitrary JSON-like payloads (wrong types, deep nesting, huge numbers, NaN and infinities, null
bytes, lone surrogates, long strings and arrays) and "nearly valid" ones (the event's own fields with real ids
from the room, one or two of them missing or swapped for anything at all), from a phone and from the host screen
of a bijeenkomst whose agenda holds every werkvorm; before each case the room moves to a phase where the event
can do something. After every case: the acknowledgement is `{ok: true, ...}` or an error with a known code and a
plain message, whatever any screen received is strict JSON without a traceback or an exception name, the
sender's connection still answers (and is still who it was), nothing was logged at ERROR or with a traceback,
and the stored bijeenkomst keeps its invariants (limits per participant and per table, the dot budget, board
cards are contributions, no duplicate ids, only clean text); every REOPEN_EVERY cases it is also read back from
disk by a second repository and the host and phone states are built from it.

The test client encodes every packet to JSON and the server decodes it (NaN, infinities and lone surrogates
take that path as they do from a browser); test_fuzz_frames.py sends raw frames that no JSON encoder makes.
No shrinking: the room keeps what earlier cases did, so the first failing case is reported as it was sent.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from facilitator import create_app
from facilitator.core import services
from facilitator.core.domain import WorkFormat, WorkshopSession
from facilitator.core.domain.board import THEME_NAME_MAX
from facilitator.core.domain.workformat import Phase as WorkFormatPhase
from facilitator.storage.tinydb_store import TinyDBRepository
from facilitator.web.guards.frames import UNREADABLE_FRAME
from facilitator.web.realtime import events as catalogue
from tests.conftest import HOST_KEY
from tests.support.fuzz_checks import ErrorCollector, check_ack, check_received, strict_json

#: Cases per event: (30 events + all of them mixed) x 380 = 11,780 cases per run, each from a phone or the host.
#: RD_FUZZ_EXAMPLES=3000 makes a long exploratory run (93,000 cases, about ten minutes here).
EXAMPLES_PER_EVENT = int(os.environ.get("RD_FUZZ_EXAMPLES", "380"))
#: Every this many cases the bijeenkomst is read back from disk and every screen's state is built (and at the end).
REOPEN_EVERY = 10
#: The events only the host screen may send; the rest are a phone's. Each is sent by its own side three times
#: in four (the other side gets not_authorised / not_joined, which needs fewer cases to show).
HOST_EVENTS = {
    catalogue.SET_CONTRIBUTION_HIDDEN, catalogue.MOVE_CONTRIBUTION, catalogue.ADVANCE_PHASE, catalogue.PREVIOUS_PHASE,
    catalogue.GO_TO_PHASE, catalogue.CONTROL_TIMER, catalogue.REVEAL_PHASE, catalogue.SET_TABLES, catalogue.ASSIGN_ROLE,
    catalogue.CREATE_ROLE_CODE, catalogue.CLEAR_ROLE, catalogue.EDIT_BOARD, catalogue.SUGGEST_THEMES, catalogue.SET_CLOSING,
    catalogue.APPROVE_CONTRIBUTION, catalogue.APPROVE_ALL, catalogue.SET_BEAMER_VIEW,
}
#: Acks that say no more than that the payload is no object or has no bijeenkomst id.
SHALLOW = ("invalid_input/payload", "invalid_input/session")
#: What stored text must never hold: control characters, bidi overrides, lone surrogates.
UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


# -- the room --------------------------------------------------------------------------------------

#: After the open question: every werkvorm; a board (rode_draden on the open question), dots on its themes and
#: on the facilitator's options.
AGENDA = [
    ("rode_draden", None),
    ("stemmen", {"dots": 2}),
    ("stemmen", {"options": ["Rust", "Tijd", "Ruimte"], "dots": 1}),
    ("vier_buffers", None),
    ("roddelmethode", None),
    ("tafeladvies", None),
    ("casusdialoog", None),
]


def fits(event: str, workformat: WorkFormat, phase: WorkFormatPhase) -> bool:
    """Tell whether an event can do something in a phase (the fuzzer goes there before most cases)."""
    views = {workformat.view_for(phase, role) for role in workformat.roles}
    kinds = [kind for kind in workformat.contribution_kinds if kind.id in phase.accepts]
    return {
        catalogue.SUBMIT_CONTRIBUTION: any(k.scope != "table" for k in kinds),
        catalogue.SAVE_TABLE_DRAFT: any(k.scope == "table" for k in kinds),
        catalogue.SUBMIT_TABLE_DRAFTS: any(k.scope == "table" for k in kinds),
        catalogue.CLAIM_SPOKESPERSON: "tafelvoorzitter" in workformat.roles,
        catalogue.SET_CONTRIBUTION_SHARED: any(k.visibility == "private" for k in workformat.contribution_kinds),
        catalogue.STAR_CONTRIBUTION: "listen" in views,
        catalogue.CAST_VOTE: "vote" in views,
        catalogue.PLACE_CONTRIBUTION: "place" in views,
        catalogue.MOVE_CONTRIBUTION: bool(workformat.buckets),
    }.get(event, True)


@dataclass
class Sender:
    """A test client and the join_session that makes it itself again."""

    client: Any
    join: dict[str, Any]
    participant_id: str | None = None


@dataclass
class FuzzRoom:
    """A bijeenkomst on TinyDB with a host screen, three phones, contributions, a board, roles and a role code."""

    app: Any
    data_dir: Path
    id: str
    host: Sender
    phone: Sender
    others: list[Sender]
    tokens: list[str]
    items: list[str]
    steps: list[tuple[int, int]]
    fitting: dict[str, list[tuple[int, int]]]
    kinds: list[str]
    buckets: list[str]
    tags: list[str]
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def deps(self) -> Any:
        return self.app.extensions["rode_draad"]

    @property
    def repo(self) -> Any:
        return self.deps.repo

    def session(self) -> WorkshopSession:
        return self.repo.get_session(self.id)

    def clients(self) -> list[Any]:
        return [self.host.client, self.phone.client, *(o.client for o in self.others)]

    def pool(self, what: str) -> list[Any]:
        """Return the room's current values of one sort."""
        if what == "contribution":
            return [c.id for c in self.repo.list_contributions(self.id)]
        if what in ("own", "others"):
            mine = what == "own"
            return [
                c.id for c in self.repo.list_contributions(self.id) if (c.participant_id == self.phone.participant_id) == mine
            ]
        if what == "theme":
            return [t.id for board in self.repo.list_boards(self.id) for t in board.themes]
        if what == "role_code":
            return [r.claim_code for r in self.session().roles if r.claim_code]
        if what == "number":
            return [p.number for p in self.repo.list_participants(self.id)]
        if what == "vote_target":
            session = self.session()
            return [
                target["id"] for item in session.agenda if item.workformat_id == "stemmen"
                for target in services.vote_targets(self.repo, self.deps.registry, session, item)
            ]
        if what == "draft_version":
            return [d.version for d in self.repo.list_drafts(self.id)]
        return {
            "session": [self.id], "item": self.items, "kind": self.kinds, "bucket": self.buckets, "tag": self.tags,
            "token": self.tokens,
        }[what]

    def prepare(self, event: str, step: tuple[str, int] | None, closing: bool | None) -> None:
        """Move the room to a phase; keep an open role code and a theme on the board (cases use them up)."""
        registry = self.deps.registry
        if step is not None:
            steps = self.fitting[event] if step[0] == "fit" else self.steps
            item, phase = steps[step[1] % len(steps)]
            services.go_to(self.repo, registry, self.id, item, phase)
        session = self.session()
        if closing is not None and session.closing != closing:
            services.set_closing(self.repo, self.id, closing)
        if not any(r.claim_code for r in session.roles):
            services.create_role_code(self.repo, registry, self.id, role="tafelvoorzitter", table=2, item_id=self.items[7])
        if not services.load_board(self.repo, self.id, self.items[0]).themes:
            services.edit_board(self.repo, registry, self.id, self.items[0], "add_theme", {"name": "Rust"})


def build_room(data_dir: Path) -> FuzzRoom:
    """Make the bijeenkomst: every werkvorm on the agenda, phones at tables with roles, cards on the board."""
    app = create_app({
        "STORAGE": "tinydb", "DATA_DIR": str(data_dir), "HOST_KEY": HOST_KEY, "TESTING": True,
        # Thousands of events from one phone in seconds: the fair allowance and the code throttle would answer
        # nearly all of them with too_fast / too_many_attempts, and the handlers behind them would go unfuzzed.
        "PHONE_EVENTS_BURST": 0, "CODE_GUESSES_PER_ADDRESS": 10**9, "CODE_GUESSES_OVERALL": 10**9,
    })
    deps = app.extensions["rode_draad"]
    socketio = deps.realtime.socketio
    host_http = app.test_client()
    assert host_http.get(f"/host/login?key={HOST_KEY}").status_code == 303
    session_id = host_http.post("/host/sessions", json={"title": "Fuzz"}).get_json()["id"]
    for workformat_id, configured in AGENDA:
        services.add_agenda_item(deps.repo, deps.registry, session_id, workformat_id, configured)
    session = deps.repo.get_session(session_id)

    host = socketio.test_client(app, flask_test_client=host_http)
    host_join = {"session": session_id, "role": "host"}
    assert host.emit("join_session", host_join, callback=True) == {"ok": True, "role": "host"}
    phones: list[Sender] = []
    tokens: list[str] = []
    for number, table in enumerate((1, 1, 2), start=1):
        http = app.test_client()
        token = http.post(f"/j/{session.join_code}", json={"table": table}).get_json()["token"]
        client = socketio.test_client(app, flask_test_client=http)
        join = {"session": session_id, "role": "participant", "token": token}
        assert client.emit("join_session", join, callback=True) == {"ok": True, "role": "participant"}
        participant = deps.repo.participant_by_token_hash(session_id, services.hash_token(token))
        assert participant.number == number
        phones.append(Sender(client, join, participant.id))
        tokens.append(token)

    items = [item.id for item in session.agenda]
    services.assign_role(deps.repo, deps.registry, session_id, role="inbrenger", number=1, item_id=items[5])
    services.assign_role(deps.repo, deps.registry, session_id, role="tafelvoorzitter", number=1, item_id=items[6])
    # Something to share, star, move, hide and place: answers in the open question, a buffer, a roddel the
    # inbrenger (phone 1) listens to, a private answer of phone 1.
    seeds = [
        (0, 0, phones[0], {"text": "Rust"}), (0, 0, phones[1], {"text": "Tijd voor elkaar"}),
        (0, 0, phones[0], {"text": "Ruimte"}), (4, 1, phones[0], {"text": "Een vangnet", "bucket": "meta_positie", "tags": ["mens", "geven"]}),
        (5, 2, phones[1], {"text": "Ze wil vooral rust", "tags": ["observatie"]}),
        (7, 4, phones[0], {"text": "Alleen voor mij"}),
        # Cards the clusterer, the board and the votes must cope with too.
        (0, 0, phones[1], {"text": "<img src=x onerror=alert(1)>"}), (0, 0, phones[2], {"text": "👍🏽🎉 !!!"}),
        (0, 0, phones[2], {"text": "ﷺ \u200f %s{0} ' OR 1=1 --"}),
    ]
    for number, (item, phase, sender, fields) in enumerate(seeds):
        services.go_to(deps.repo, deps.registry, session_id, item, phase)
        payload = {"session": session_id, "client_id": f"seed-{number:04d}", **fields}
        assert sender.client.emit("submit_contribution", payload, callback=True)["ok"] is True, fields
    services.go_to(deps.repo, deps.registry, session_id, 6, 0)  # and a draft of table 1's advice
    draft = {"session": session_id, "slot": 1, "text": "Samen eten", "base_version": 0}
    assert phones[0].client.emit("save_table_draft", draft, callback=True)["ok"] is True
    services.go_to(deps.repo, deps.registry, session_id, 0, 0)

    steps: list[tuple[int, int]] = []
    fitting: dict[str, list[tuple[int, int]]] = {event: [] for event in catalogue.CLIENT_EVENTS}
    kinds, buckets, tags = set(), set(), set()
    for index, item in enumerate(session.agenda):
        workformat = services.configured_workformat(deps.registry, item)
        for number, phase in enumerate(workformat.phases):
            steps.append((index, number))
            for event in fitting:
                if fits(event, workformat, phase):
                    fitting[event].append((index, number))
        kinds |= {k.id for k in workformat.contribution_kinds}
        buckets |= {b.id for b in workformat.buckets}
        tags |= {o.id for g in workformat.tag_groups for o in g.options}
    room = FuzzRoom(
        app=app, data_dir=data_dir, id=session_id, host=Sender(host, host_join), phone=phones[0], others=phones[1:],
        tokens=tokens, items=items, steps=steps, fitting=fitting, kinds=sorted(kinds), buckets=sorted(buckets),
        tags=sorted(tags),
    )
    for client in room.clients():
        client.get_received()
    return room


# -- payloads --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A value taken from the room when the case is sent (its ids change while the fuzzer works)."""

    what: str
    pick: int


@dataclass(frozen=True)
class Long:
    """A long array, made only when the case is sent (Hypothesis then draws two numbers, not thousands)."""

    length: int
    item: Any


NASTY_STRINGS = [
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "\udbff\udfff", "\ud83d", "\u202etxt.exe", "\u2066x", "\x85",
    "\r\n" * 50, "\t", "\x1b[31m", "%s%s%n", "{0}", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd",
    "NaN", "Infinity", "null", "true", "0", "-1", "1e999", "__proto__", "constructor", "ＡＢＣ", "é", "👍🏽", "\ufeff",
    "\u0301" * 30, "x" * 81, "y" * 1001, "z" * 5_000, "w" * 100_000, "Nieuw thema",
]
#: Around JavaScript's and SQL's limits, and past python-socketio's reader (numbers of over 100 digits; those
#: make the whole frame unreadable) up to what Python itself still writes (4300 digits).
HUGE_NUMBERS = [
    2**31, -(2**31) - 1, 2**53 + 1, 2**63, -(2**63) - 1, 2**64, 10**30, -(10**30), 10**99, -(10**98), 10**100 - 1,
    10**100, -(10**200), 2**4000, 10**4299,
]
ODD_FLOATS = [math.nan, math.inf, -math.inf, -0.0, 1e308, 5e-324, 0.5, 1.0, 2.0, 3600.0000001]

#: Half a UTF-16 pair in a text: JSON carries it, UTF-8 cannot (st.text draws one only now and then).
lone_surrogates = st.builds(
    lambda before, half, after: before + half + after,
    st.text(max_size=8), st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d"]), st.text(max_size=8),
)
control_characters = st.text(alphabet=st.characters(max_codepoint=0x9F, exclude_categories=()), min_size=1, max_size=12)
any_text = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=()), max_size=40),
    st.text(max_size=120),
    lone_surrogates,
    control_characters,
    st.sampled_from(NASTY_STRINGS),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(HUGE_NUMBERS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(ODD_FLOATS),
    any_text,
)
keys = st.one_of(st.sampled_from(["session", "id", "text", "kind", "item", "action", "name", "cards", "theme"]), any_text)


def nested(depth: int, leaf: Any, as_dict: bool) -> Any:
    """Return a leaf inside `depth` lists or objects."""
    value = leaf
    for _ in range(depth):
        value = {"a": value} if as_dict else [value]
    return value


# Fixed shapes two levels deep plus chains of 50 to 800 levels (Python's json stops near 1000): st.recursive
# costs several times more per case, and the depth that matters is covered by the chains.
small_lists = st.lists(scalars, max_size=5)
small_dicts = st.dictionaries(keys, scalars, max_size=5)
containers = st.one_of(small_lists, small_dicts)
json_values = st.one_of(
    scalars, small_lists, small_dicts, st.lists(containers, max_size=4), st.dictionaries(keys, containers, max_size=4)
)
deep_values = st.builds(nested, st.integers(min_value=50, max_value=800), scalars, st.booleans())
short_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8), st.just("\ud800"))
long_arrays = st.builds(Long, st.integers(min_value=1_000, max_value=30_000), short_scalars)
arbitrary = st.one_of(json_values, json_values, json_values, deep_values, long_arrays)


def ref(what: str) -> st.SearchStrategy[Ref]:
    """Return Refs to the room's current values of one sort."""
    return st.integers(0, 40).map(lambda pick: Ref(what, pick))


short_text = st.sampled_from(["Rust", "Meer tijd om te praten", "Ouders en school samen", "  Vertrouwen  ", "Tijd"])
texts = st.one_of(short_text, short_text, any_text)
bools = st.booleans()
small_ints = st.integers(min_value=-2, max_value=8)
ids = st.one_of(ref("own"), ref("others"), ref("contribution"), st.sampled_from(["fuzz-0001", "x" * 64, "x" * 65]))
theme_ids = st.one_of(ref("theme"), ref("theme"), st.just("t-00000000"))
kinds = st.one_of(st.none(), ref("kind"))  # none: the kind the phase asks of this role
roles = st.sampled_from(["inbrenger", "tafelvoorzitter", "deelnemer", "host"])
tables = st.one_of(st.none(), st.integers(min_value=0, max_value=4), st.sampled_from([99, 100, 2**64]))
emails = st.sampled_from(["anna@example.nl", "a@b.nl", "anna@@example.nl", "anna@example.nl\r\nBcc: x@y.nl", "x"])

#: For each event: the fields it reads, each with values that could be right in this room.
FIELDS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    catalogue.JOIN_SESSION: {
        "role": st.sampled_from(["host", "participant", "participant", "beamer", "Host", ""]),
        "token": st.one_of(ref("token"), st.just(HOST_KEY), any_text),
    },
    catalogue.SUBMIT_CONTRIBUTION: {
        "client_id": st.one_of(ref("own"), ref("contribution"), st.integers(0, 10**6).map(lambda n: f"fuzz-{n:07d}")),
        "text": texts,
        "kind": kinds,
        "bucket": st.one_of(st.none(), ref("bucket")),
        "tags": st.one_of(st.none(), st.lists(ref("tag"), max_size=3)),
        "function": st.one_of(st.none(), texts),
        "shared": st.one_of(st.none(), bools),
    },
    catalogue.CHOOSE_TABLE: {"table": tables},
    catalogue.CLAIM_ROLE: {"code": st.one_of(ref("role_code"), ref("role_code"), any_text)},
    catalogue.CLAIM_SPOKESPERSON: {},
    catalogue.SAVE_TABLE_DRAFT: {
        "kind": kinds, "slot": small_ints, "text": texts, "base_version": st.one_of(ref("draft_version"), small_ints),
    },
    catalogue.SUBMIT_TABLE_DRAFTS: {"kind": kinds},
    catalogue.SET_CONTRIBUTION_SHARED: {"id": ids, "shared": bools},
    catalogue.STAR_CONTRIBUTION: {"id": ids, "starred": bools},
    catalogue.CAST_VOTE: {"target": ref("vote_target"), "on": bools},
    catalogue.SET_CONTRIBUTION_HIDDEN: {"id": ids, "hidden": bools},
    catalogue.MOVE_CONTRIBUTION: {"id": ids, "bucket": ref("bucket")},
    catalogue.ADVANCE_PHASE: {},
    catalogue.PREVIOUS_PHASE: {},
    catalogue.GO_TO_PHASE: {"item": small_ints, "phase": small_ints},
    catalogue.CONTROL_TIMER: {
        "action": st.sampled_from(["start", "pause", "add", "reset", "stop"]),
        "seconds": st.one_of(st.none(), st.integers(-4000, 4000), st.sampled_from([3600, -3600, 3601])),
    },
    catalogue.REVEAL_PHASE: {},
    catalogue.SET_TABLES: {"tables": st.lists(texts, max_size=6)},
    catalogue.ASSIGN_ROLE: {"role": roles, "number": st.one_of(ref("number"), small_ints), "item": ref("item")},
    catalogue.CREATE_ROLE_CODE: {"role": roles, "table": tables, "item": ref("item")},
    catalogue.CLEAR_ROLE: {"role": roles, "table": tables, "item": ref("item")},
    catalogue.EDIT_BOARD: {
        "item": st.one_of(st.just(Ref("item", 0)), ref("item")),
        "action": st.sampled_from([
            "move", "add_theme", "rename_theme", "remove_theme", "merge_themes", "split_theme", "reorder_themes",
            "undo", "set_rode_draad", "explode",
        ]),
        "card": ids,
        "cards": st.lists(ids, max_size=4),
        "theme": theme_ids,
        "into": theme_ids,
        "before": ids,
        "name": texts,
        "order": st.lists(theme_ids, max_size=5),
        "text": texts,
    },
    catalogue.SUGGEST_THEMES: {
        "item": st.one_of(st.just(Ref("item", 0)), ref("item")),
        "mode": st.sampled_from(["suggest", "sort", "all"]),
        "count": st.one_of(st.none(), st.integers(0, 25)),
    },
    # Exactly one of theme and new_theme is right; either may be null.
    catalogue.PLACE_CONTRIBUTION: {"id": ids, "theme": st.one_of(theme_ids, st.none()), "new_theme": st.one_of(st.none(), texts)},
    catalogue.SET_CLOSING: {"closing": bools},
    catalogue.REQUEST_VERSLAG: {"email": st.one_of(emails, any_text), "consent": st.one_of(st.just(True), bools)},
    catalogue.WITHDRAW_VERSLAG_REQUEST: {},
    catalogue.APPROVE_CONTRIBUTION: {"id": ids, "approved": st.one_of(st.none(), bools)},
    catalogue.APPROVE_ALL: {"item": st.one_of(st.none(), ref("item"))},
    catalogue.SET_BEAMER_VIEW: {
        "large": st.one_of(st.none(), bools), "qr": st.one_of(st.none(), st.sampled_from(["auto", "large", "small", "x"])),
    },
}


@st.composite
def fitting_payload(draw: st.DrawFn, event: str, wrong: int) -> dict[str, Any]:
    """Return the event's own fields with values that fit the room, then `wrong` of them missing or anything."""
    fields = {"session": st.just(Ref("session", 0)), **FIELDS[event]}
    payload = {name: draw(good) for name, good in fields.items()}
    for _ in range(wrong):
        name = draw(st.sampled_from(sorted(fields)))
        if draw(st.booleans()):
            payload.pop(name, None)  # a missing field, which handlers read as None
        else:
            payload[name] = draw(arbitrary)
    if draw(st.integers(0, 9)) == 0:
        payload.setdefault(draw(keys), draw(scalars))  # a field nobody asked for
    return payload


#: The kinds of payload, each with its share of an event's cases. Hypothesis does not keep to the odds of a
#: one_of (it steers towards what it has not tried yet), so each kind is a run of its own.
PAYLOADS: dict[str, tuple[float, Any]] = {
    "fitting": (0.35, lambda event: fitting_payload(event, 0)),
    "one or two wrong": (0.35, lambda event: st.integers(1, 2).flatmap(lambda wrong: fitting_payload(event, wrong))),
    "arbitrary": (0.30, lambda event: arbitrary),
}


def cases(event: str, payloads: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[str, Any, bool | None, Any]]:
    """Return (sender, phase to go to first: one where the event fits or any, whether the host asks for addresses,
    payload)."""
    own_side = "host" if event in HOST_EVENTS else "phone"
    other_side = "phone" if own_side == "host" else "host"
    senders = st.integers(0, 3).map(lambda n: other_side if n == 3 else own_side)
    steps = st.tuples(st.sampled_from(["fit", "fit", "any"]), st.integers(0, 10**6))
    return st.tuples(senders, steps, st.sampled_from([None, True, True, False]), payloads)


def resolve(value: Any, room: FuzzRoom) -> Any:
    """Put the room's current values in place of the Refs, and make the long arrays."""
    if isinstance(value, Ref):
        pool = room.pool(value.what)
        return pool[value.pick % len(pool)] if pool else "leeg-0000"
    if isinstance(value, Long):
        return [resolve(value.item, room)] * value.length
    if isinstance(value, dict):
        return {resolve(k, room): resolve(v, room) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, room) for v in value]
    return value


# -- checks ----------------------------------------------------------------------------------------


def identity(room: FuzzRoom, sender: Sender) -> tuple[str, str | None] | None:
    sid = room.deps.realtime.socketio.server.manager.sid_from_eio_sid(sender.client.eio_sid, "/")
    connection = room.deps.realtime.connection(sid)
    return None if connection is None else (connection.role, connection.participant_id)


def ping(room: FuzzRoom, sender: Sender, event: str) -> None:
    """The sender's connection is alive and still itself: an event that changes nothing gets its ack.

    After a fuzzed join_session (the one event that can change who a connection is) the sender joins again.
    """
    assert sender.client.is_connected()
    expected = (sender.join["role"], sender.participant_id)
    if event == catalogue.JOIN_SESSION or identity(room, sender) != expected:
        ack = sender.client.emit(catalogue.JOIN_SESSION, sender.join, callback=True)
        assert ack == {"ok": True, "role": sender.join["role"]}, ack
    elif sender is room.host:
        ack = sender.client.emit(catalogue.CLEAR_ROLE, {"session": room.id, "role": "niemand"}, callback=True)
        assert ack == {"ok": True}, ack
    else:  # back at table 1 too, where its roles are
        ack = sender.client.emit(catalogue.CHOOSE_TABLE, {"session": room.id, "table": 1}, callback=True)
        assert ack == {"ok": True, "table": 1}, ack
    assert identity(room, sender) == expected


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def check_invariants(room: FuzzRoom, *, reopen: bool) -> None:
    """The bijeenkomst keeps its limits, ids and clean text; with `reopen`, disk holds the same and screens build."""
    repo, registry = room.repo, room.deps.registry
    session = repo.get_session(room.id)
    contributions = repo.list_contributions(room.id)
    participants = repo.list_participants(room.id)
    votes = repo.list_votes(room.id)
    boards = repo.list_boards(room.id)
    drafts = repo.list_drafts(room.id)
    optins = repo.list_mail_optins(room.id)
    if reopen:
        stored = TinyDBRepository(room.data_dir, read_only=True)
        assert stored.get_session(room.id) == session
        assert stored.list_contributions(room.id) == contributions
        assert stored.list_participants(room.id) == participants
        assert stored.list_votes(room.id) == votes
        assert stored.list_boards(room.id) == boards
        assert stored.list_drafts(room.id) == drafts
        assert stored.list_mail_optins(room.id) == optins
        strict_json(room.deps.realtime.host_state(room.id))
        strict_json(room.deps.realtime.beamer_state(room.id))
        for participant in participants:
            strict_json(room.deps.realtime.participant_state(room.id, participant))

    assert len({c.id for c in contributions}) == len(contributions), "duplicate contribution ids"
    assert len({p.id for p in participants}) == len(participants) == len({p.number for p in participants})
    items = {item.id: item for item in session.agenda}
    workformats = {item.id: services.configured_workformat(registry, item) for item in session.agenda}
    sent: Counter[tuple[str, str, str]] = Counter()
    at_table: Counter[tuple[str, str, int]] = Counter()
    for c in contributions:
        kind = workformats[c.agenda_item_id].kind(c.kind)
        assert kind is not None, c
        assert 0 < len(c.text) <= kind.max_length, c
        if kind.scope == "table":
            assert c.slot is not None and 1 <= c.slot <= (kind.per_table or 1), c
            continue
        sent[(c.participant_id, c.agenda_item_id, c.kind)] += 1
        assert kind.per_participant is None or sent[(c.participant_id, c.agenda_item_id, c.kind)] <= kind.per_participant
        if kind.per_table is not None and c.table is not None:
            at_table[(c.agenda_item_id, c.kind, c.table)] += 1
            assert at_table[(c.agenda_item_id, c.kind, c.table)] <= kind.per_table, c

    dots: Counter[tuple[str, str]] = Counter()
    for vote in votes:
        if vote.active:
            dots[(vote.participant_id, vote.agenda_item_id)] += 1
            budget = services.dots_per_participant(items[vote.agenda_item_id], registry)
            assert dots[(vote.participant_id, vote.agenda_item_id)] <= budget, vote
    assert len({(v.participant_id, v.agenda_item_id, v.target) for v in votes}) == len(votes), "a vote twice"

    theme_ids: list[str] = []
    for board in boards:
        own = {c.id for c in contributions if c.agenda_item_id == board.agenda_item_id}
        cards = [card for theme in board.themes for card in theme.cards]
        assert set(cards) <= own, f"cards that are no contributions: {set(cards) - own}"
        assert len(cards) == len(set(cards)), "a card on two themes"
        assert all(0 < len(theme.name) <= THEME_NAME_MAX for theme in board.themes), board.themes
        theme_ids += [t.id for t in board.themes]
    assert len(theme_ids) == len(set(theme_ids)), "duplicate theme ids"
    holders = Counter((r.agenda_item_id, r.role, r.table) for r in session.roles)
    assert all(n == 1 for n in holders.values()), session.roles

    texts = [session.title, *(t.name for t in session.tables), *(o.email for o in optins), *(d.text for d in drafts)]
    texts += [text for c in contributions for text in (c.text, c.function)]
    texts += [b.rode_draad for b in boards] + [t.name for b in boards for t in b.themes]
    texts += list(_strings([item.settings for item in session.agenda]))
    for text in texts:
        assert not UNCLEAN.search(text), f"unclean text stored: {text[:80]!r}"


# -- the tests -------------------------------------------------------------------------------------


def test_every_client_event_is_fuzzed(app: Any) -> None:
    """A new event (a constant in realtime/events.py, or a handler registered) fails here until FIELDS has it."""
    handlers = set(app.extensions["rode_draad"].realtime.socketio.server.handlers["/"])
    assert handlers - {"connect", "disconnect", UNREADABLE_FRAME} == set(catalogue.CLIENT_EVENTS)  # see test_fuzz_frames
    constants = {
        value for name, value in vars(catalogue).items()
        if name.isupper() and isinstance(value, str) and re.fullmatch(r"[a-z]+(_[a-z]+)+", value)
    }
    assert constants - set(catalogue.SERVER_EVENTS) == set(catalogue.CLIENT_EVENTS)
    assert set(FIELDS) == set(catalogue.CLIENT_EVENTS)
    assert HOST_EVENTS < set(catalogue.CLIENT_EVENTS)


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A data folder in memory where there is one (/dev/shm): thousands of fsyncs cost nothing there."""
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="rd-fuzz-", dir=shm if shm.is_dir() else None))
    yield folder / "data"
    shutil.rmtree(folder, ignore_errors=True)


#: Every event in turn on one room, each case another event: what one event leaves behind meets the others.
MIXED = "mixed"


@pytest.mark.slow
@pytest.mark.parametrize("event", [*catalogue.CLIENT_EVENTS, MIXED])
def test_fuzzed_payloads_get_a_clean_ack_and_keep_the_room_whole(event: str, data_dir: Path) -> None:
    room = build_room(data_dir)
    errors = ErrorCollector()
    started = time.perf_counter()

    def run(sent: str, side: str, step: tuple[str, int] | None, closing: bool | None, raw: Any) -> None:
        sender = room.host if side == "host" else room.phone
        room.prepare(sent, step, closing)
        payload = resolve(raw, room)
        note(f"{side} sends {sent} {payload!r:.3000}")
        for client in room.clients():
            client.get_received()
        errors.take()
        ack = sender.client.emit(sent, payload, callback=True)
        check_ack(ack)
        room.outcomes[side + ": " + ("ok" if ack["ok"] else ack["error"]["code"] + "/" + str(ack["error"].get("field")))] += 1
        check_received(room.clients())
        ping(room, sender, sent)
        assert errors.take() == []
        check_invariants(room, reopen=room.outcomes.total() % REOPEN_EVERY == 0)

    def run_all() -> None:
        for share, payloads in PAYLOADS.values():
            events = st.sampled_from(catalogue.CLIENT_EVENTS) if event == MIXED else st.just(event)
            strategy = events.flatmap(lambda sent, made=payloads: cases(sent, made(sent)).map(lambda c: (sent, *c)))
            fuzz = settings(
                max_examples=round(EXAMPLES_PER_EVENT * share),
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: see the module's docstring
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
            )(given(strategy)(lambda case: run(*case)))
            fuzz()

    try:
        with errors:
            run_all()
        check_invariants(room, reopen=True)
        assert room.outcomes.total() == sum(round(EXAMPLES_PER_EVENT * share) for share, _ in PAYLOADS.values())
        # The fuzzer keeps reaching the handlers' own checks, not just the payload's shape.
        shallow = sum(n for outcome, n in room.outcomes.items() if outcome.endswith(SHALLOW))
        assert shallow <= 0.8 * room.outcomes.total(), room.outcomes
    finally:
        for client in room.clients():
            if client.is_connected():
                client.disconnect()
        seconds = time.perf_counter() - started
        print(f"\n{event}: {room.outcomes.total()} cases in {seconds:.1f} s: {dict(room.outcomes.most_common())}")
