"""Hostile text everywhere it is shown: over 300 XSS payloads (tests/fixtures/xss_payloads.txt) go in as
contributions, theme names (the facilitator's and the phones' own), table names, table drafts, functions, the title,
prompt, case and agenda item titles, a library entry's name, and verslag edits; then Chromium shows them on the
phones, the host view (wall, board panel and display, votes, quadrants, stream, per table), the prepare pages, the
verslag page with its preview, the exported HTML verslag and the e-mail that went out. Not one may run.

How an execution would show: every payload calls its own marker (``alert(9123)``, ``window.__xss=9123``, …), so a
dialog, a console error or a page error names the payload; after each page settles, a scan of its DOM finds any
element a payload managed to create (an ``on…`` attribute, a ``javascript:``/``data:`` URL, an iframe, object,
embed, base or inline script) and the markers (``window.__xss``, ``document.body.dataset.xss``). Every check also
asserts that the payloads are on the page as text, exactly as stored, so it cannot pass by showing nothing.

The pages run with the Content-Security-Policy switched off (``bypass_csp``): the policy is the second line of
defence and would hide a page that puts text in as markup; here only escaping and ``textContent`` stand between a
payload and the browser. The policy itself is checked on every route in tests/integration/test_security_headers.py,
and one test here proves Chromium enforces it on the host view.

Phones and the host send over python-socketio (the phones' and the host's own protocol) because 2,000 submissions
through the page would take minutes; the pages only show. Limits are kept: at most 20 contributions per phone and
kind, each within the kind's max length; table and theme names cut to their limits.
"""

from __future__ import annotations

import concurrent.futures
import csv
import email
import email.policy
import io
import math
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
import socketio
from playwright.sync_api import Page, expect

from facilitator.core import services
from facilitator.core.domain import Board, FacilitatorError, Theme
from facilitator.core.domain.board import clean_theme_name
from facilitator.core.registry import discover
from facilitator.core.services.base import clean_line
from facilitator.core.services.board import new_theme_id
from facilitator.core.validation import clean_text
from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries
from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import REPO_ROOT, OpenedPage, serving
from tests.support.smtp import Inbox, mail_env, smtp_server

pytestmark = pytest.mark.browser

PAYLOAD_FILE = REPO_ROOT / "tests" / "fixtures" / "xss_payloads.txt"
#: The first payload's marker; payload n (1-based line) calls 9000 + n.
MARKER_BASE = 9000
WAIT = 15.0
HOST = {"width": 1600, "height": 1000}
PHONE = {"width": 390, "height": 844}
#: Time for a would-be handler to fire (img onerror, svg onbegin, details ontoggle, autofocus onfocus).
SETTLE_MS = 400
#: Ack error codes the phone page treats as final (static/js/participant/answer.js); anything else is retried, as the
#: phone's outbox does (a rate limit, a storage hiccup).
FINAL_ERRORS = {
    "text_empty", "text_too_long", "invalid_input", "duplicate_id", "limit_reached", "phase_not_open",
    "session_not_found", "not_your_role", "no_table", "not_found", "not_authorised", "draft_conflict",
}
PER_PHONE = 20  # per_participant of the kinds used here
TABLES = 50  # services.MAX_TABLES
TABLE_NAME_MAX = 40
THEME_NAME_MAX = 80
FUNCTION_MAX = 80
BUCKETS = ("solidariteit", "taakverdeling", "meta_positie", "positieve_ervaringen")


def load_payloads() -> list[str]:
    """Return the corpus: one payload per line (split on \\n only: a payload may hold U+2028)."""
    return PAYLOAD_FILE.read_text(encoding="utf-8").split("\n")[:-1]


PAYLOADS = load_payloads()


def cut(text: str, limit: int) -> str:
    """Return a one-line text of at most `limit` characters, as a facilitator would type it into a short field."""
    return " ".join(" ".join(text.split())[:limit].split())


def fits(text: str, limit: int) -> str | None:
    """Return the text as the server stores it for a kind with this max length, or None when it does not fit."""
    try:
        return clean_text(text, limit)
    except FacilitatorError:
        return None


def chunks(items: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def pack(texts: Sequence[str], slots: int, limit: int) -> list[str]:
    """Join texts (one per line) into at most `slots` texts of at most `limit` characters, in order."""
    per_slot = math.ceil(len(texts) / slots)
    while True:
        packed: list[str] = []
        group: list[str] = []
        for text in texts:
            if group and (len(group) == per_slot or len("\n".join([*group, text])) > limit):
                packed.append("\n".join(group))
                group = []
            group.append(text)
        if group:
            packed.append("\n".join(group))
        if len(packed) <= slots:
            return packed
        if per_slot >= len(texts):
            raise ValueError(f"{len(texts)} texts do not fit in {slots} slots of {limit} characters")
        per_slot += 1


def as_many_as_fit(texts: Sequence[str], limit: int) -> str:
    """Return the first texts, one per line, that together fit in `limit` characters."""
    taken: list[str] = []
    for text in texts:
        if len("\n".join([*taken, text])) > limit:
            break
        taken.append(text)
    return "\n".join(taken)


# -- the room ---------------------------------------------------------------------------------------


def call(client: socketio.Client, event: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Emit and return the ack; retry what the phone's outbox would retry (not a final error)."""
    for _attempt in range(100):
        ack = client.call(event, payload, timeout=WAIT)
        if ack.get("ok") or ack.get("error", {}).get("code") in FINAL_ERRORS:
            return dict(ack)
        time.sleep(0.2)
    raise AssertionError(f"{event}: no success after 100 tries: {ack}")


def ok(client: socketio.Client, event: str, payload: dict[str, Any]) -> dict[str, Any]:
    ack = call(client, event, payload)
    assert ack["ok"] is True, (event, payload, ack)
    return ack


@dataclass
class Phone:
    token: str
    client: socketio.Client
    number: int
    table: int


@dataclass
class Room:
    server: LiveServer
    inbox: Inbox
    session_id: str
    join_code: str
    items: list[str]
    host: socketio.Client
    phones: list[Phone]
    title: str
    prompt: str
    case_text: str
    #: The next bijeenkomst of the series (its terugblik shows this one).
    following: str
    #: What each phone sent to the open question, as stored.
    wall: list[list[str]] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    proposed: list[str] = field(default_factory=list)
    theme_ids: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    buffers: list[str] = field(default_factory=list)
    roddel: list[str] = field(default_factory=list)
    #: (table, slot) -> text of the casusdialoog hypotheses; submitted for the odd tables.
    drafts: dict[tuple[int, int], str] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)
    possibilities: list[str] = field(default_factory=list)
    rode_draad: str = ""
    inbrenger: int = 0

    def go(self, item: int, phase: int) -> None:
        ok(self.host, "go_to_phase", {"session": self.session_id, "item": item, "phase": phase})

    def host_http(self) -> requests.Session:
        return self.server.host_session()

    @property
    def theme_names(self) -> list[str]:
        return self.proposed + self.themes

    @property
    def wall_texts(self) -> list[str]:
        return [text for texts in self.wall for text in texts]


#: Agenda: 0 open vraag (wall), 1 rode draden (place on item 0's board), 2 stemmen (on its themes),
#: 3 vier buffers (quadrants), 4 roddelmethode (stream, listen), 5 casusdialoog (per table, functions),
#: 6 an open question nobody answered, whose board holds most of the theme names.
ITEM_OPEN, ITEM_PLACE, ITEM_VOTE, ITEM_BUFFERS, ITEM_RODDEL, ITEM_CASUS, ITEM_NAMES = range(7)
PHASE_RODDELEN, PHASE_HYPOTHESES, PHASE_POSSIBILITIES = 2, 2, 3


#: Which payloads name themes, and how: proposed from phones, added and renamed by the host over its socket on item
#: 0's board, and the rest written on item 6's board before the server starts (each change of a board stores its
#: undo history, so adding 300 themes one by one would take the server two minutes; a real board has about ten).
#: Item 6 has no cards: the host board gives every card a "move to" list of all themes, 250 x 300 would be slow.
PROPOSED_THEMES = slice(0, 12)
HOST_THEMES = slice(12, 32)
RENAMED_THEMES = slice(32, 40)
SEEDED_THEMES = [*range(12, 20), *range(40, len(PAYLOADS))]


def seeded_theme_names() -> list[str]:
    return [clean_theme_name(cut(PAYLOADS[i], THEME_NAME_MAX)) for i in SEEDED_THEMES]


#: Agenda item titles (80 characters at most), on the host's agenda, the board picker, the prepare page and the
#: verslag.
ITEM_TITLES = [cut(PAYLOADS[6], 80), cut(PAYLOADS[7], 80)]
#: A werkvorm saved to the library under a hostile name.
LIBRARY_NAME = cut(PAYLOADS[2], 200)


#: The series (its name, motto and organisers print in every verslag) and the organisers' blocks.
SERIES = cut(PAYLOADS[3], 200)
ORGANISERS = [
    {"name": cut(PAYLOADS[i], 200), "function": cut(PAYLOADS[i + 1], 200), "organisation": cut(PAYLOADS[i + 2], 200),
     "phone": "", "email": "organisator@example.org"}
    for i in (280, 284)
]


def _seed(data_dir: Path, title: str, prompt: str, case_text: str) -> tuple[str, str, list[str], str]:
    """Write the bijeenkomst (and the next one of its series) before the server starts; return the ids."""
    repo = TinyDBRepository(data_dir)
    registry = discover()
    session = services.create_session(repo, registry, title=title, date="2026-11-12", prompt=prompt)
    services.save_series_details(repo, TinyDBSeries(data_dir), session.id, name=SERIES, motto=cut(PAYLOADS[4], 200),
                                 organisers=ORGANISERS)
    # The next bijeenkomst of the series: its host view shows this one's themes as the terugblik (T).
    following = services.create_session(repo, registry, title="Volgende bijeenkomst", date="2026-12-10")
    services.save_series_details(repo, TinyDBSeries(data_dir), following.id, name=SERIES, motto="", organisers=ORGANISERS)
    for workformat, settings in (
        ("rode_draden", {"title": ITEM_TITLES[0]}),
        ("stemmen", {"dots": 3}),
        ("vier_buffers", {}),
        ("roddelmethode", {"case_text": case_text}),
        ("casusdialoog", {"case_text": case_text}),
        ("open_vraag", {"title": ITEM_TITLES[1]}),
    ):
        services.add_agenda_item(repo, registry, session.id, workformat, settings)
    services.go_to(repo, registry, session.id, 0, 0)
    agenda = repo.get_session(session.id).agenda
    # Names the host typed (accepted): they may go into the next bijeenkomst's terugblik.
    themes = tuple(Theme(id=new_theme_id(), name=name, accepted=True) for name in seeded_theme_names())
    repo.save_board(session.id, Board(agenda_item_id=agenda[ITEM_NAMES].id, themes=themes, version=1))
    return session.id, session.join_code, [item.id for item in repo.get_session(session.id).agenda], following.id


def _connect(server: LiveServer, *, token: str | None = None) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    client.connect(
        server.base_url,
        auth={"token": token} if token else None,
        headers={} if token else {"Cookie": f"rd_host={server.key}"},
        transports=["websocket"],
        wait_timeout=WAIT,
    )
    return client


def _join_phone(server: LiveServer, room_id: str, join_code: str, table: int) -> Phone:
    token = server.join_phone(join_code, table=table, perspective="ouder")
    client = _connect(server, token=token)
    states: list[dict[str, Any]] = []
    client.on("session_state", states.append)
    assert client.call("join_session", {"session": room_id, "role": "participant"}, timeout=WAIT)["ok"] is True
    for _ in range(100):
        if states:
            break
        time.sleep(0.02)
    return Phone(token=token, client=client, number=int(states[0]["me"]["number"]), table=table)


def _submit(room: Room, phone: Phone, text: str, **fields: Any) -> None:
    ok(phone.client, "submit_contribution",
       {"session": room.session_id, "client_id": f"x-{uuid.uuid4().hex[:20]}", "text": text, **fields})


def _send_all(room: Room, work: Sequence[tuple[Phone, list[tuple[str, dict[str, Any]]]]]) -> None:
    """Let the phones submit at the same time, each its own texts in order (as a room does; faster too)."""

    def one_phone(job: tuple[Phone, list[tuple[str, dict[str, Any]]]]) -> None:
        phone, items = job
        for text, fields in items:
            _submit(room, phone, text, **fields)

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(one_phone, work))


def _fill(room: Room) -> None:
    """Send everything through the phones' and the host's own events, in the order a facilitator would."""
    sid = room.session_id
    # Table names (set before the phones joined): the first 50 payloads cut to 40 characters.
    room.tables = [clean_line_like_the_server(name) for name in table_round(0)]

    # 0: the open question. 20 per phone, every payload once (they all fit in 500).
    per_phone = chunks(PAYLOADS, PER_PHONE)
    _send_all(room, [(phone, [(text, {}) for text in texts])
                     for phone, texts in zip(room.phones, per_phone, strict=False)])
    room.wall = [[clean_text(text, 500) for text in texts] for texts in per_phone]

    # The board of item 0: the host adds themes and renames some, then the first phones propose three
    # themes each (the most a phone may). The other payloads are the names on item 6's board (seeded).
    board = room.items[ITEM_OPEN]
    for name in PAYLOADS[HOST_THEMES]:
        ack = ok(room.host, "edit_board",
                 {"session": sid, "item": board, "action": "add_theme", "name": cut(name, THEME_NAME_MAX), "cards": []})
        room.theme_ids.append(ack["theme"])
        room.themes.append(clean_theme_name(cut(name, THEME_NAME_MAX)))
    for index, name in enumerate(PAYLOADS[RENAMED_THEMES]):
        ok(room.host, "edit_board", {"session": sid, "item": board, "action": "rename_theme",
                                     "theme": room.theme_ids[index], "name": cut(name, THEME_NAME_MAX)})
        room.themes[index] = clean_theme_name(cut(name, THEME_NAME_MAX))
    room.go(ITEM_PLACE, 0)
    for index, name in enumerate(PAYLOADS[PROPOSED_THEMES]):
        phone, mine = room.phones[index // 3], room.wall[index // 3]
        card_id = _card_ids(room, phone)[mine[index % 3]]
        ok(phone.client, "place_contribution", {"session": sid, "id": card_id, "new_theme": cut(name, THEME_NAME_MAX)})
        room.proposed.append(clean_theme_name(cut(name, THEME_NAME_MAX)))
    room.rode_draad = as_many_as_fit(PAYLOADS[20:], 1000)
    ok(room.host, "edit_board", {"session": sid, "item": board, "action": "set_rode_draad", "text": room.rode_draad})

    # 2: dots on the themes, so the chart has bars.
    room.go(ITEM_VOTE, 0)
    for phone in room.phones[:10]:
        for theme in room.theme_ids[:3]:
            ok(phone.client, "cast_vote", {"session": sid, "target": f"theme:{theme}", "on": True})

    # 3: the four buffers (max 400), spread over the buckets.
    room.go(ITEM_BUFFERS, 1)
    buffers = [p for p in PAYLOADS if fits(p, 400)]
    _send_all(room, [
        (phone, [(text, {"bucket": BUCKETS[i % 4], "tags": ["organisatie" if i % 2 else "mens", "nodig"]})
                 for i, text in enumerate(texts)])
        for phone, texts in zip(room.phones, chunks(buffers, PER_PHONE), strict=False)
    ])
    room.buffers = [clean_text(text, 400) for text in buffers]

    # 4: the roddelmethode's roddel (max 500), with an inbrenger listening along.
    listener = room.phones[-1]
    ok(room.host, "assign_role", {"session": sid, "role": "inbrenger", "number": listener.number,
                                  "item": room.items[ITEM_RODDEL]})
    room.inbrenger = len(room.phones) - 1
    room.go(ITEM_RODDEL, PHASE_RODDELEN)
    _send_all(room, [
        (phone, [(text, {"tags": ["observatie" if i % 2 else "hypothese"]}) for i, text in enumerate(texts)])
        for phone, texts in zip(room.phones, chunks(PAYLOADS, PER_PHONE), strict=False)
    ])
    room.roddel = [clean_text(text, 500) for text in PAYLOADS]

    # 5: casusdialoog. Five hypotheses per table as shared drafts (max 400); the odd tables submit theirs.
    room.go(ITEM_CASUS, PHASE_HYPOTHESES)
    packed = pack([p for p in (fits(p, 400) for p in PAYLOADS) if p], TABLES * 5, 400)
    at_table = {phone.table: phone for phone in reversed(room.phones)}
    for index, text in enumerate(packed):
        table, slot = index // 5 + 1, index % 5 + 1
        ok(at_table[table].client, "save_table_draft",
           {"session": sid, "kind": "hypothese", "slot": slot, "text": text, "base_version": 0})
        room.drafts[(table, slot)] = clean_text(text, 400)
    for table in sorted({table for table, _slot in room.drafts}):
        if table % 2:
            ok(at_table[table].client, "submit_table_drafts", {"session": sid, "kind": "hypothese"})

    # ... and possibilities from one's own function (five per phone): the function is a payload too.
    room.go(ITEM_CASUS, PHASE_POSSIBILITIES)
    _send_all(room, [
        (phone, [(text, {"function": cut(text, FUNCTION_MAX)}) for text in texts])
        for phone, texts in zip(room.phones, chunks(PAYLOADS, 5), strict=True)
    ])
    room.possibilities = [clean_text(text, 600) for text in PAYLOADS]
    room.functions = [clean_line_like_the_server(cut(text, FUNCTION_MAX), FUNCTION_MAX) for text in PAYLOADS]

    # The closing: one phone asks for the verslag by e-mail.
    ok(room.host, "set_closing", {"session": sid, "closing": True})
    ok(room.phones[0].client, "request_verslag", {"session": sid, "email": "ouder@example.org", "consent": True})

    # The verslag: wrap-up lines, the rode draad paragraph and programme items with hostile links.
    http = room.host_http()
    response = http.post(f"{room.server.base_url}/host/s/{sid}/verslag/edits", json={"changes": VERSLAG_EDITS})
    assert response.status_code == 200 and response.json()["ok"] is True, response.text


def _card_ids(room: Room, phone: Phone) -> dict[str, str]:
    """Return the phone's own contributions (text -> id) from a fresh session_state."""
    states: list[dict[str, Any]] = []
    phone.client.on("session_state", states.append)
    assert phone.client.call("join_session", {"session": room.session_id, "role": "participant"}, timeout=WAIT)["ok"]
    for _ in range(200):
        if states:
            break
        time.sleep(0.02)
    return {c["text"]: c["id"] for c in states[-1]["contributions"] if c["agenda_item"] == room.items[ITEM_OPEN]}


def clean_line_like_the_server(text: str, limit: int = TABLE_NAME_MAX) -> str:
    return clean_line(text, "name", limit)


def table_round(number: int) -> list[str]:
    """Return the table names of one round: 50 payloads cut to 40 characters (round 0 is the room's own); the
    last round fills up from the start, so that every round names all 50 tables."""
    start = number * TABLES
    return [cut(PAYLOADS[(start + i) % len(PAYLOADS)], TABLE_NAME_MAX) for i in range(TABLES)]


TABLE_ROUNDS = math.ceil(len(PAYLOADS) / TABLES)
WRAP_UP = [cut(p, 500) for p in PAYLOADS[100:160]]
PARAGRAPH = as_many_as_fit(PAYLOADS[160:], 5000)
PROGRAMME = [
    {"title": cut(p, 300), "speaker": cut(PAYLOADS[-i - 1], 300), "function": "", "organisation": "",
     "text": cut(PAYLOADS[-i - 21], 300), "link": "https://example.org/" + "".join(p.split())[:200]}
    for i, p in enumerate(PAYLOADS[60:80])
]
VERSLAG_EDITS: dict[str, Any] = {
    "wrap_up": WRAP_UP,
    "rode_draad.paragraph": PARAGRAPH,
    "programme": PROGRAMME,
    # The body condenses (at most 12 lines per buffer); every raw card, hostile ones included, is in the appendix.
    "appendix": True,
}


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    data_dir = tmp_path_factory.mktemp("hostile-data")
    title, prompt, case_text = cut(PAYLOADS[0], 200), clean_text(" ".join(PAYLOADS[:8]), 1000), " ".join(PAYLOADS[8:40])
    session_id, join_code, items, following = _seed(data_dir, title, prompt, case_text)
    inbox = Inbox()
    with smtp_server(inbox) as smtp_port, serving(data_dir, env={
        **mail_env(smtp_port),
        # 60 phones send 2,000 events in seconds: no "te snel" for them here (tests/e2e/test_flood.py checks it).
        "FACILITATOR_PHONE_EVENTS_BURST": "0",
    }) as server:
        host: socketio.Client | None = None
        phones: list[Phone] = []
        try:
            host = _connect(server)
            assert host.call("join_session", {"session": session_id, "role": "host"}, timeout=WAIT)["ok"] is True
            # Tables come first (phones sit at them); then one phone per five payloads, at tables 1..50 in turn.
            http = server.host_session()
            response = http.post(f"{server.base_url}/host/s/{session_id}/tafels",
                                 data={"count": str(TABLES), "table_name": table_round(0)}, allow_redirects=False)
            assert response.status_code == 303, response.text
            with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
                phones.extend(pool.map(lambda index: _join_phone(server, session_id, join_code, table=index % TABLES + 1),
                                       range(math.ceil(len(PAYLOADS) / 5))))
            made = Room(server=server, inbox=inbox, session_id=session_id, join_code=join_code, items=items, host=host,
                        phones=phones, title=title, prompt=prompt, case_text=case_text, following=following)
            _fill(made)
            yield made
        finally:
            for client in [host, *(phone.client for phone in phones)]:
                if client is not None:
                    client.disconnect()


# -- watching a page ------------------------------------------------------------------------------

#: Finds what a payload would have made if it had become markup, and the markers an executed payload sets.
SCAN = r"""() => {
  const found = [];
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "background",
                                 "poster", "codebase", "dynsrc", "lowsrc", "values", "to", "from", "by"]);
  // Elements the app never makes (its own <img> is the QR code, its <template>s are inert rows).
  const foreign = new Set(["IFRAME", "FRAME", "FRAMESET", "OBJECT", "EMBED", "BASE", "APPLET", "ISINDEX", "KEYGEN",
                           "XSS", "MATH", "MARQUEE", "VIDEO", "AUDIO", "IMAGE", "HANDLER", "DISCARD", "SET",
                           "ANIMATE", "FOREIGNOBJECT", "NOSCRIPT", "XMP"]);
  for (const node of document.querySelectorAll("*")) {
    const tag = node.tagName.toUpperCase();
    if (foreign.has(tag)) found.push(`<${node.tagName}>`);
    if (tag === "SCRIPT" && !node.src && node.type !== "application/json") found.push("inline <script>");
    if (tag === "META" && node.httpEquiv) found.push(`<meta http-equiv=${node.httpEquiv}>`);
    // A style sheet in the body came from a payload (the exported verslag has its own in the head).
    if ((tag === "STYLE" || tag === "LINK") && document.body.contains(node)) found.push(`<${node.tagName}> in the body`);
    for (const attribute of node.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${node.tagName} ${name}=`);
      if (name === "srcdoc" || name === "srcset") found.push(`${node.tagName} ${name}=`);
      if (name === "style" && /expression|url\s*\(|javascript/i.test(attribute.value)) found.push(`${node.tagName} style=`);
      if (urlAttributes.has(name)) {
        const value = attribute.value.replace(/[\s\u0000-\u001f\u200b-\u200f\u00ad]/g, "").toLowerCase();
        if (/^(javascript|vbscript|data|livescript)/.test(value)) found.push(`${node.tagName} ${name}=${attribute.value}`);
      }
    }
  }
  const markers = [window.__xss, globalThis.__xss, document.body ? document.body.dataset.xss : undefined]
    .filter((value) => value !== undefined);
  // Bidi overrides and isolates that would flip the rest of a projected line (the server drops them).
  const shown = [document.body ? document.body.textContent : "",
                 ...Array.from(document.querySelectorAll("input, textarea"), (field) => field.value)].join("\n");
  const bidi = (shown.match(/[\u202a-\u202e\u2066-\u2069]/g) || []).map((c) => c.codePointAt(0).toString(16));
  return { found, markers, bidi };
}"""


def settle_and_scan(opened: OpenedPage, where: str, *, settle: bool = True, live: bool = True) -> None:
    """Give handlers time to fire, then fail on anything a payload did or made; on the live screens (not the
    verslag, which shows what the facilitator typed) also on a bidi override."""
    page = opened.page
    if settle:
        page.wait_for_timeout(SETTLE_MS)
    result = page.evaluate(SCAN)
    watch = opened.watch
    problems = {
        "dialogs": watch.dialogs,
        "uncaught errors": watch.page_errors,
        "console errors": watch.console_errors,
        "elements or attributes from a payload": result["found"],
        "markers set": result["markers"],
        "bidi overrides shown": result["bidi"] if live else [],
    }
    assert {k: v for k, v in problems.items() if v} == {}, where


def texts(page: Page, selector: str) -> list[str]:
    """Return the textContent of every element matching the selector, in page order."""
    return list(page.locator(selector).evaluate_all("nodes => nodes.map((n) => n.textContent)"))


def values(page: Page, selector: str) -> list[str]:
    return list(page.locator(selector).evaluate_all("nodes => nodes.map((n) => n.value)"))


def shows_exactly(page: Page, selector: str, expected: Sequence[str], *, ordered: bool = False) -> None:
    """Wait until the selector shows as many items as expected, then compare the texts exactly."""
    locator = page.locator(selector)
    expect(locator).to_have_count(len(expected), timeout=WAIT * 1000)
    expect(locator.first).to_be_visible()
    found = texts(page, selector)
    assert (found if ordered else sorted(found)) == (list(expected) if ordered else sorted(expected)), selector


def open_as(open_page: Callable[..., OpenedPage], kind: str, name: str) -> OpenedPage:
    viewport = HOST if kind == "host" else PHONE
    return open_page(kind, name, viewport=viewport, bypass_csp=True)


def open_phone(open_page: Callable[..., OpenedPage], room: Room, phone: Phone, name: str) -> OpenedPage:
    """Open this phone's answer page in a context of its own; the page goes on loading while the caller goes on."""
    opened = open_as(open_page, "phone", name)
    opened.context.add_cookies([{"name": f"rd_p_{room.session_id}", "value": phone.token, "url": room.server.base_url}])
    opened.page.goto(f"{room.server.base_url}/p/{room.session_id}", wait_until="commit")
    return opened


def open_host(open_page: Callable[..., OpenedPage], room: Room) -> OpenedPage:
    opened = open_as(open_page, "host", "host")
    opened.page.goto(f"{room.server.base_url}/host/login?key={room.server.key}")
    opened.page.goto(f"{room.server.base_url}/host/s/{room.session_id}")
    expect(opened.page.locator(".status")).to_have_attribute("data-status", "connected")
    return opened


def normalised(text: str) -> str:
    return " ".join(text.split())


def contains_all(haystack: str, needles: Sequence[str]) -> list[str]:
    """Return the needles that are not in the haystack (whitespace runs count as one space)."""
    flat = normalised(haystack)
    return [needle for needle in needles if normalised(needle) not in flat]


# -- the corpus -----------------------------------------------------------------------------------


def test_hostile_payload_corpus_is_large_varied_and_attributable() -> None:
    assert len(PAYLOADS) >= 200
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    for number, payload in enumerate(PAYLOADS, start=1):
        assert str(MARKER_BASE + number) in payload, (number, payload)
        assert payload.strip() and "\n" not in payload and "\r" not in payload
        assert len(payload) <= 500  # the open question's max length: every payload is sent whole at least once
    text = "\n".join(PAYLOADS).lower()
    for family in ("<script", "onerror=", "<svg", "onload=", "<body", "<iframe", "javascript:", "data:text/html",
                   "&#x", "&#", "\"><", "'--!>", "<math", "ontoggle", "alert`", "${", "expression(",
                   "url(javascript:", "onclick=alert", "\u202e", "\u200b", "\ufeff", "](javascript:", "=hyperlink(",
                   "vbscript:", "<object", "<embed", "<base", "http-equiv", "formaction", "srcdoc", "xlink:href"):
        assert family in text, family
    assert {40, 80, 300, 400, 500} <= {len(p) for p in PAYLOADS}  # right at the limits of names and kinds


def test_the_watch_catches_payloads_that_become_markup(open_page: Callable[..., OpenedPage]) -> None:
    """The harness itself: the same payloads put in as markup (what a page must never do) are caught, by
    their dialogs and by the scan, so a page that escaped nothing could not pass the tests below."""
    opened = open_as(open_page, "host", "markup")
    page = opened.page
    # Each family fires on its own: script, img onerror, svg onload, details ontoggle, an iframe's javascript:
    # URL, autofocus; and a marker and a bidi override are seen.
    for payload in ("<script>alert(9001)</script>", "<img src=x onerror=alert(9031)>", "<svg onload=alert(9081)>",
                    "<details open ontoggle=alert(9139)>", "<iframe src=javascript:alert(9109)>",
                    "<input onfocus=alert(9131) autofocus>"):
        assert payload in PAYLOADS
        page.set_content(f"<!doctype html><html><head><title>x</title></head><body>{payload}</body></html>")
        page.wait_for_timeout(SETTLE_MS)
        assert opened.watch.dialogs[-1:] == [f"alert: {re.findall(r'9[0-9]{3}', payload)[0]}"], payload
    # All of them at once: most fire, and the scan finds what they made.
    body = "".join(f"<div>{payload}</div>" for payload in PAYLOADS)
    page.set_content(f"<!doctype html><html><head><title>x</title></head><body>{body}</body></html>")
    with pytest.raises(AssertionError):
        settle_and_scan(opened, "payloads as markup")
    result = page.evaluate(SCAN)
    alerted = {number for message in opened.watch.dialogs for number in re.findall(r"9[0-9]{3}", message)}
    assert len(alerted) >= 100 and len(result["found"]) >= 100, (len(alerted), len(result["found"]))
    assert result["markers"] and result["bidi"]


# -- the phones -----------------------------------------------------------------------------------


def as_phone(opened: OpenedPage, room: Room, phone: Phone) -> Page:
    """Make the page this phone (its token cookie) and open its answer page."""
    opened.context.clear_cookies()
    opened.context.add_cookies([{"name": f"rd_p_{room.session_id}", "value": phone.token, "url": room.server.base_url}])
    page = opened.page
    page.goto(f"{room.server.base_url}/p/{room.session_id}")
    expect(page.locator(".status")).to_have_attribute("data-status", "connected")
    return page


def test_hostile_text_stays_text_on_the_phones(room: Room, open_page: Callable[..., OpenedPage]) -> None:
    # The open question: each phone's own list ("Jouw bijdragen"), the prompt, the table and the table picker.
    # One browser context per phone, all open at once, so that they settle together.
    room.go(ITEM_OPEN, 0)
    phones = [open_phone(open_page, room, room.phones[index], f"phone {index + 1}") for index in range(len(room.wall))]
    for sent, phone_page in zip(room.wall, phones, strict=True):
        expect(phone_page.page.locator(".status")).to_have_attribute("data-status", "connected")
        shows_exactly(phone_page.page, "#mine .mine-item.sent > p", sent)
    page, phone = phones[0].page, room.phones[0]
    assert texts(page, "#prompt") == [room.prompt]
    assert texts(page, "#my-table") == [room.tables[phone.table - 1]]
    page.locator("#change-table").click()
    shows_exactly(page, "#table-grid .table-choice[data-table]", room.tables, ordered=True)
    for index, phone_page in enumerate(phones):
        settle_and_scan(phone_page, f"phone {index + 1}, open question", settle=index == 0)
        phone_page.context.close()

    # Placing one's own answers under a theme: every theme name on every card; a proposer sees its own themes.
    room.go(ITEM_PLACE, 0)
    opened = open_as(open_page, "phone", "phone")
    last = len(room.wall) - 1
    page = as_phone(opened, room, room.phones[last])
    shows_exactly(page, "#place-list .place-text", room.wall[last])
    names = room.theme_names
    expect(page.locator(".place-theme-name")).to_have_count(len(names) * len(room.wall[last]))
    assert sorted(texts(page, "#place-list .place-item:first-child .place-theme-name")) == sorted(names)
    settle_and_scan(opened, "phone, placing")
    page = as_phone(opened, room, room.phones[0])
    expect(page.locator("#place-list .is-placed .place-saved")).to_have_count(3)
    saved = " ".join(texts(page, "#place-list .place-saved"))
    assert contains_all(saved, room.proposed[:3]) == []
    settle_and_scan(opened, "phone, placed on its own themes")

    # Dots on the themes.
    room.go(ITEM_VOTE, 0)
    as_phone(opened, room, room.phones[20])
    shows_exactly(opened.page, "#vote-list .vote-text", names)
    settle_and_scan(opened, "phone, voting")

    # The inbrenger listens along with the roddel.
    room.go(ITEM_RODDEL, PHASE_RODDELEN)
    as_phone(opened, room, room.phones[room.inbrenger])
    shows_exactly(opened.page, "#listen-list .listen-text", room.roddel)
    settle_and_scan(opened, "phone, listening")

    # The table's shared drafts (an even table: not submitted) and the case.
    room.go(ITEM_CASUS, PHASE_HYPOTHESES)
    phone = next(p for p in room.phones if p.table == 2)
    page = as_phone(opened, room, phone)
    expected = [room.drafts.get((2, slot), "") for slot in range(1, 6)]
    expect(page.locator("#table-kinds textarea.draft-text")).to_have_count(5)
    expect(page.locator("#table-kinds textarea.draft-text").first).to_have_value(expected[0])
    assert values(page, "#table-kinds textarea.draft-text") == expected
    assert texts(page, "#case-text") == [room.case_text]
    settle_and_scan(opened, "phone, table drafts")

    # A code that does not exist is said back on the landing page.
    opened.context.clear_cookies()
    code = PAYLOADS.index("<svg onload=alert(9081)>")
    unknown = f"{room.server.base_url}/j/{quote(PAYLOADS[code], safe='')}"
    page.goto(unknown)
    assert contains_all(page.locator("main").text_content() or "", [PAYLOADS[code][:12]]) == []
    page.wait_for_timeout(SETTLE_MS)
    # The page itself answers 404, which Chromium logs; nothing else may.
    assert [e for e in opened.watch.console_errors if "404" not in e or unknown not in e] == []
    opened.watch.console_errors.clear()
    settle_and_scan(opened, "landing page, unknown code", settle=False)

    # The join page of a new phone: the title and the table names, rendered by the server.
    opened.context.clear_cookies()
    page.goto(f"{room.server.base_url}/j/{room.join_code}")
    assert texts(page, "select.table-select option")[1:] == room.tables
    assert contains_all(page.locator("main").text_content() or "", [room.title]) == []
    settle_and_scan(opened, "join page")


# -- the host view --------------------------------------------------------------------------------


def test_hostile_text_stays_text_on_the_host_view(room: Room, open_page: Callable[..., OpenedPage]) -> None:
    room.go(ITEM_OPEN, 0)
    opened = open_host(open_page, room)
    page = opened.page

    # The wall, the prompt, the agenda and the tables panel.
    shows_exactly(page, "#wall .card-text", room.wall_texts)
    assert texts(page, "#prompt") == [room.prompt]
    assert contains_all(" ".join(texts(page, "#agenda-list .step")), ITEM_TITLES) == []
    assert contains_all(" ".join(texts(page, "#table-counts .table-label")), room.tables) == []
    assert values(page, "#table-names input") == room.tables
    settle_and_scan(opened, "host, wall")

    # The board panel (B): item 0's board, then the 250 names on the last item's board.
    page.keyboard.press("b")
    panel = page.locator("#board-panel")
    expect(panel).to_be_visible()
    shows_exactly(page, "#board-panel .theme-name", room.theme_names)
    shows_exactly(page, "#board-panel .board-card .card-text", room.wall_texts)
    expect(page.locator("#board-panel .board-rode-draad")).to_have_value(room.rode_draad.strip())
    assert contains_all(" ".join(texts(page, "#board-item option")), ITEM_TITLES) == []
    page.locator("#board-item").select_option(room.items[ITEM_NAMES])
    shows_exactly(page, "#board-panel .theme-name", seeded_theme_names())
    settle_and_scan(opened, "host, board panel")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()

    # The werkvorm rode draden shows the board; stemmen the chart.
    room.go(ITEM_PLACE, 0)
    shows_exactly(page, "#display-other .theme-name", room.theme_names)
    settle_and_scan(opened, "host, board display")
    room.go(ITEM_VOTE, 0)
    shows_exactly(page, "#display-other .vote-label", room.theme_names)
    settle_and_scan(opened, "host, votes")

    # Quadrants and the stream.
    room.go(ITEM_BUFFERS, 1)
    shows_exactly(page, "#display-other .quadrant-list .card-text", room.buffers)
    settle_and_scan(opened, "host, quadrants")
    room.go(ITEM_RODDEL, PHASE_RODDELEN)
    shows_exactly(page, "#display-other .stream .card-text", room.roddel)
    settle_and_scan(opened, "host, stream")

    # The case, then per table: named columns, submitted hypotheses (odd tables) and drafts (even tables).
    room.go(ITEM_CASUS, 0)
    shows_exactly(page, "#display-other .case-text", [room.case_text])
    room.go(ITEM_CASUS, PHASE_HYPOTHESES)
    shows_exactly(page, "#display-other .table-name", room.tables, ordered=True)
    submitted = [text for (table, _slot), text in room.drafts.items() if table % 2]
    drafts = [text for (table, _slot), text in room.drafts.items() if not table % 2]
    shows_exactly(page, "#display-other .table-items .card-text", submitted)
    shows_exactly(page, "#display-other .draft-text", drafts)
    settle_and_scan(opened, "host, per table")

    # Possibilities with the phone's own function on each card.
    room.go(ITEM_CASUS, PHASE_POSSIBILITIES)
    shows_exactly(page, "#wall .card-text", room.possibilities)
    assert contains_all(" ".join(texts(page, "#wall .chip-function")), room.functions) == []
    settle_and_scan(opened, "host, functions")


def test_hostile_text_stays_text_in_the_terugblik_of_the_next_bijeenkomst(
    room: Room, open_page: Callable[..., OpenedPage]
) -> None:
    opened = open_as(open_page, "host", "next bijeenkomst")
    page = opened.page
    page.goto(f"{room.server.base_url}/host/login?key={room.server.key}")
    page.goto(f"{room.server.base_url}/host/s/{room.following}")
    expect(page.locator(".status")).to_have_attribute("data-status", "connected")
    page.keyboard.press("t")
    expect(page.locator("#terugblik-panel")).to_be_visible()
    # The themes of this bijeenkomst's boards (or, once its verslag went out, of the verslag), as text.
    shown = texts(page, "#terugblik-panel .terugblik-list li")
    assert shown and set(shown) <= set(room.theme_names + seeded_theme_names()), shown
    assert texts(page, "#terugblik-panel .terugblik-sentence") != [""]
    settle_and_scan(opened, "host, terugblik")


def test_the_host_view_enforces_its_content_security_policy(
    room: Room, open_page: Callable[..., OpenedPage]
) -> None:
    """With the policy on (as for everyone), an inline script does not run even if one got into the page."""
    opened = open_page("host", "host with CSP", viewport=HOST)
    page = opened.page
    page.goto(f"{room.server.base_url}/host/login?key={room.server.key}")
    page.goto(f"{room.server.base_url}/host/s/{room.session_id}")
    expect(page.locator(".status")).to_have_attribute("data-status", "connected")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__xss = 'inline'";
        document.body.append(script);
        const img = document.createElement("img");
        img.setAttribute("src", "data:,x");
        img.setAttribute("onerror", "window.__xss = 'handler'");
        document.body.append(img);
    }""")
    page.wait_for_timeout(SETTLE_MS)
    assert page.evaluate("() => window.__xss") is None
    refused = [e for e in opened.watch.console_errors if "Content Security Policy" in e]
    assert len(refused) >= 2, opened.watch.console_errors


# -- the prepare pages: table names, round by round -----------------------------------------------


def test_hostile_text_stays_text_on_the_prepare_pages_and_table_names_everywhere(
    room: Room, open_page: Callable[..., OpenedPage]
) -> None:
    """Titles on the prepare page, a library entry's name; then every payload (cut to 40 characters) becomes a table
    name: 50 per round, the first round typed into the
    prepare page's form, the others posted; each round shows on the prepare page, the printed table cards, the
    join page, the host's tables panel and a phone's table picker (live, by tables_changed)."""
    host = open_host(open_page, room)
    phone = open_phone(open_page, room, room.phones[-2], "phone")
    expect(phone.page.locator(".status")).to_have_attribute("data-status", "connected")
    prepare = open_as(open_page, "host", "prepare")
    page = prepare.page
    page.goto(f"{room.server.base_url}/host/login?key={room.server.key}")
    base = f"{room.server.base_url}/host/s/{room.session_id}"
    rounds = [*range(1, TABLE_ROUNDS), 0]  # the room's own names come back last, for the other tests

    # The list of bijeenkomsten, the titles on the prepare page; a werkvorm saved to the library.
    page.goto(f"{room.server.base_url}/host/")
    assert contains_all(page.locator("main").text_content() or "", [room.title, SERIES]) == []
    settle_and_scan(prepare, "dashboard")
    page.goto(f"{base}/voorbereiden")
    assert texts(page, ".topbar h1") == [room.title]
    assert contains_all(" ".join(texts(page, ".agenda .item-title h3")), ITEM_TITLES) == []
    settle_and_scan(prepare, "prepare page")
    saved = room.host_http().post(f"{base}/agenda/{room.items[ITEM_NAMES]}/bibliotheek", data={"name": LIBRARY_NAME},
                                  allow_redirects=False)
    assert saved.status_code == 303, saved.text
    page.goto(f"{room.server.base_url}/host/bibliotheek")
    assert texts(page, ".library-entry h3") == [clean_line_like_the_server(LIBRARY_NAME, 200)]
    settle_and_scan(prepare, "library")
    try:
        for round_number in rounds:
            names = table_round(round_number)
            if round_number == 1:
                page.goto(f"{base}/voorbereiden")
                inputs = page.locator("#tables-form input[name=table_name]")
                page.locator("#table-count").fill(str(len(names)))
                for index, name in enumerate(names):
                    inputs.nth(index).fill(name)
                page.locator("#tables-form button[type=submit]").click()
                expect(page.locator("#tafels .notice")).to_be_visible()
            else:
                response = room.host_http().post(f"{base}/tafels", data={"count": str(len(names)), "table_name": names},
                                                 allow_redirects=False)
                assert response.status_code == 303, response.text
                page.goto(f"{base}/voorbereiden")
            stored = [clean_line_like_the_server(name) for name in names]
            where = f"table names, round {round_number}"
            assert values(page, "#tables-form input[name=table_name]") == stored
            settle_and_scan(prepare, f"prepare page, {where}", settle=False)
            page.goto(f"{base}/tafels")
            named = [name for name in stored if name and not name.isdigit()]
            assert texts(page, ".table-card .card-name") == named
            settle_and_scan(prepare, f"table cards, {where}", settle=False)
            page.goto(f"{room.server.base_url}/j/{room.join_code}")
            assert texts(page, "select.table-select option")[1:] == stored
            settle_and_scan(prepare, f"join page, {where}")
            expect(host.page.locator("#table-names input").first).to_have_value(stored[0])
            assert values(host.page, "#table-names input") == stored
            assert contains_all(" ".join(texts(host.page, "#table-counts .table-label")), named) == []
            settle_and_scan(host, f"host, {where}", settle=False)
            phone.page.locator("#change-table").click()
            expect(phone.page.locator("#table-grid .table-choice[data-table]").first).to_have_text(
                stored[0] or "Tafel 1")
            shows_exactly(phone.page, "#table-grid .table-choice[data-table]", stored, ordered=True)
            phone.page.locator("#table-close").click()
            settle_and_scan(phone, f"phone, {where}", settle=False)
    finally:
        http = room.host_http()
        http.post(f"{base}/tafels", data={"count": str(TABLES), "table_name": table_round(0)}, allow_redirects=False)


# -- the verslag: the page with its preview, the HTML export, the e-mail, the CSV -----------------


def verslag_texts(room: Room) -> dict[str, list[str]]:
    """What the verslag must show, by where it came from (each as stored)."""
    submitted = [text for (table, _slot), text in room.drafts.items() if table % 2]
    return {
        "titles": [room.title, ITEM_TITLES[0], SERIES],
        "organisers": [block[name] for block in ORGANISERS for name in ("name", "function", "organisation")],
        "open question": room.wall_texts,
        "themes": room.theme_names,
        "buffers": room.buffers,
        "hypotheses": submitted,
        "possibilities": room.possibilities,
        "wrap-up": [" ".join(line.split()).lstrip("-•* ").strip() for line in WRAP_UP],
        "rode draad": PARAGRAPH.strip().split("\n"),
        "programme": [cut(item["title"], 300) for item in PROGRAMME] + [cut(item["text"], 300) for item in PROGRAMME],
    }


def missing_from(text: str, expected: dict[str, list[str]]) -> dict[str, list[str]]:
    return {where: gone for where, needles in expected.items() if (gone := contains_all(text, needles))}


def test_hostile_text_stays_text_on_the_verslag_page_and_its_preview(
    room: Room, open_page: Callable[..., OpenedPage]
) -> None:
    opened = open_as(open_page, "host", "verslag")
    page = opened.page
    page.goto(f"{room.server.base_url}/host/login?key={room.server.key}")
    page.goto(f"{room.server.base_url}/host/s/{room.session_id}/verslag")
    preview = page.locator("#verslag-preview")
    expect(preview.locator("h1")).to_be_visible()
    assert missing_from(preview.text_content() or "", verslag_texts(room)) == {}
    assert values(page, '[id="part-wrap_up"] textarea') == ["\n".join(verslag_texts(room)["wrap-up"])]
    settle_and_scan(opened, "verslag page", live=False)

    # An edit through the page: the preview is fetched again and swapped in (DOMParser, imported nodes).
    lines = [cut(p, 500) for p in PAYLOADS[200:250]]  # 50 lines: the 60 stored ones are replaced
    wrap_up = page.locator('[id="part-wrap_up"] textarea')
    wrap_up.fill("\n".join(lines))
    wrap_up.press("Tab")
    expect(page.locator('[id="part-wrap_up"] .vs-status')).to_have_text("Opgeslagen")
    expect(preview.locator(".wrap-up li")).to_have_count(len(lines))
    assert texts(page, "#verslag-preview .wrap-up li") == [" ".join(line.split()).lstrip("-•* ") for line in lines]
    settle_and_scan(opened, "verslag page after an edit", live=False)
    http = room.host_http()
    restored = http.post(f"{room.server.base_url}/host/s/{room.session_id}/verslag/edits",
                         json={"changes": {"wrap_up": WRAP_UP}})
    assert restored.json()["ok"] is True


def test_hostile_text_stays_text_in_the_exported_html_the_email_and_the_csv(
    room: Room, open_page: Callable[..., OpenedPage], tmp_path: Path
) -> None:
    http = room.host_http()
    base = f"{room.server.base_url}/host/s/{room.session_id}"
    expected = verslag_texts(room)

    # The HTML export, opened from disk as the facilitator would (no server, so no Content-Security-Policy).
    exported = http.get(f"{base}/verslag.html")
    assert exported.status_code == 200 and exported.headers["Content-Disposition"].startswith("attachment")
    path = tmp_path / "verslag.html"
    path.write_bytes(exported.content)
    opened = open_as(open_page, "host", "exported verslag")
    opened.page.goto(path.as_uri())
    assert missing_from(opened.page.locator("article").text_content() or "", expected) == {}
    settle_and_scan(opened, "exported HTML verslag", live=False)

    # The e-mail: sent for real to the organisers and the phone that asked, through the SMTP server; its HTML
    # part in Chromium.
    sent = http.post(f"{base}/verslag/send", json={"confirm_privacy": True})
    assert sent.status_code == 200, sent.text
    assert sorted(sent.json()["sent"]) == ["organisator@example.org", "ouder@example.org"]
    bodies = set()
    for raw in room.inbox.contents:
        body = email.message_from_bytes(raw, policy=email.policy.default).get_body(preferencelist=("html",))
        assert body is not None
        bodies.add(body.get_content())
    [html] = bodies  # everyone got the same verslag
    mail = open_as(open_page, "host", "e-mail")
    mail.page.set_content(html)
    assert missing_from(mail.page.locator("article").text_content() or "", expected) == {}
    settle_and_scan(mail, "e-mail", live=False)

    # The CSV of the raw contributions: no cell a spreadsheet would take for a formula.
    table = http.get(f"{base}/verslag.csv")
    assert table.status_code == 200 and table.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    hyperlink = PAYLOADS.index('=HYPERLINK("javascript:alert(9291)","klik")')
    assert "'" + PAYLOADS[hyperlink] in cells  # kept, as text

    # The Markdown: every < [ ] of a payload escaped, so no renderer makes a tag or a link of it.
    markdown = http.get(f"{base}/verslag.md").content.decode("utf-8")
    assert re.findall(r"(?<!\\)<(?:script|img|svg|iframe)", markdown, re.IGNORECASE) == []
    assert re.findall(r"(?<!\\)\]\((?:javascript|data|vbscript):", markdown, re.IGNORECASE) == []
