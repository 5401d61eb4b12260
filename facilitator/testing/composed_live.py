"""Random composed werkvormen run on a live server with phones: the strategy, the run and what came back.

Used by tests/e2e/test_composed_live.py (a few examples) and bench/composed_live.py (many). One example: a new
bijeenkomst on the one server, a poisoned copy of the agenda file refused, the agenda file (the composed item, a
vote and a board on it) imported, phones answering every phase in the way its answer asks (as the table's
woordvoerder where structured answers are per table, as the inbrenger where there is one), hidden phases
revealed, dots cast on what the item produced, own answers placed on the rode-draden board, the verslag
downloaded in every format, and the item and the agenda exported and imported again.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import random
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import aiohttp
import docx
from hypothesis import strategies as st

from facilitator.core.domain.composition import ACTION_LEVELS, PART_ANSWERS, check_composition
from facilitator.core.domain.text import UNWANTED
from facilitator.core.registry import discover
from facilitator.testing.clients import Recorder, join_over_http, stored_contributions
from facilitator.testing.live_server import LiveServer

REGISTRY = discover()
#: The werkvormen that work on the composed item, found by what they can do (no ids outside workformats/).
COMPOSED = next(wf.id for wf in REGISTRY if wf.can("composed"))
VOTES = next(wf.id for wf in REGISTRY if wf.can("votes"))
BOARD = next(wf.id for wf in REGISTRY if wf.can("board"))
SOURCE = next(s.name for s in REGISTRY.get(BOARD).setting_specs if s.kind == "item")
VOTE_SOURCE = next(s.name for s in REGISTRY.get(VOTES).setting_specs if s.kind == "item")
_DOTS = REGISTRY.get(VOTES).spec_for("vote_allowance")
assert _DOTS is not None
DOTS = _DOTS

#: Odd pieces of text a facilitator's label may hold: decomposed accents, joined emoji, flags, right-to-left
#: script, astral letters, zero-width and non-breaking spaces, a byte order mark, markup and CSV characters, and
#: what the store leaves out (a bell, an escape, a right-to-left override: kept is the label without them).
ODD = (
    "\x07", "\x1b[31m", "\u202e", "\u2066",
    "é", "e\u0301", "ß", "İ", "Ⅻ", "中文", "한국어", "שלום", "مرحبا", "𝔘𝔫𝔦", "👩\u200d👩\u200d👧", "🇳🇱", "\u200b",
    "a\u00a0b", "\ufeff", "<b>", "&amp;", "*", "_", "#", "|", ";", '"', "'", "\\", "=1+1", "  ", "\t", "\n",
)
#: Text pieces for answers: what the verslag must carry verbatim (markup characters are the renderers' to
#: escape, and the verslag checks compare text, so they stay out of answers).
WORDS = ("veiligheid", "één", "café", "jeugdzorg", "中文", "שלום", "👩\u200d👩\u200d👧", "🇳🇱", "𝔘𝔫𝔦", "ouders",
         "straße", "İstanbul", "wachtlijst", "naïef")


def odd_text(max_pieces: int = 4) -> st.SearchStrategy[str]:
    """Random odd text: pieces of ODD and letters."""
    piece = st.one_of(st.sampled_from(ODD), st.text(st.characters(categories=("L", "N", "Zs")), max_size=6))
    return st.lists(piece, max_size=max_pieces).map("".join)


def label(tag: str, index: int) -> st.SearchStrategy[str]:
    """A label: a unique marker (so that one label is never part of another) and odd text."""
    return odd_text().map(lambda odd: f"⟦{tag}{index}⟧ {odd}")


@st.composite
def compositions(draw: st.DrawFn) -> dict[str, Any]:
    """A random composition using any answer kind, per table or individual, with or without the inbrenger."""
    answers = draw(st.lists(st.sampled_from(PART_ANSWERS), min_size=1, max_size=4))
    if all(a == "none" for a in answers):
        answers.append(draw(st.sampled_from([a for a in PART_ANSWERS if a != "none"])))
    inbrenger = draw(st.booleans())
    need = set(answers)

    def labels(tag: str, low: int, high: int, used: bool) -> list[str]:
        if not used and not draw(st.booleans()):
            return []
        count = draw(st.integers(min_value=low, max_value=high))
        return [draw(label(tag, i + 1)) for i in range(count)]

    rows = labels("R", 1, 4, bool(need & {"buckets", "grid"}))
    composition: dict[str, Any] = {
        "name": draw(label("N", 0)),
        "description": draw(odd_text()),
        "per_table": draw(st.booleans()),
        "inbrenger": inbrenger,
        "rows": [{"label": r, "description": draw(odd_text(2))} for r in rows],
        "columns": [{"label": c} for c in labels("K", 2, 3, "grid" in need)],
        "scale": labels("S", 2, 5, "scale" in need),
        "ranking_options": labels("O", 2, 4, "ranking" in need),
        "phases": [],
    }
    for index, answer in enumerate(answers):
        phase: dict[str, Any] = {
            "title": draw(label("F", index + 1)),
            "prompt": draw(label("V", index + 1)),
            "minutes": draw(st.one_of(st.none(), st.integers(min_value=1, max_value=30))),
            "answer": answer,
            "hidden": draw(st.booleans()),
            "explain": draw(st.booleans()),
        }
        if inbrenger:
            phase["inbrenger"] = draw(st.sampled_from(("answer", "listen")))
            if draw(st.booleans()):
                phase["inbrenger_prompt"] = draw(label("I", index + 1))
        composition["phases"].append(phase)
    return composition


@st.composite
def rooms(draw: st.DrawFn) -> dict[str, Any]:
    """A composition and the room that runs it: tables, phones, how many dots, and a seed for the answers."""
    return {
        "composition": draw(compositions()),
        "tables": draw(st.integers(min_value=1, max_value=2)),
        "phones_per_table": draw(st.integers(min_value=1, max_value=3)),
        "dots": draw(st.integers(min_value=DOTS.minimum or 1, max_value=min(DOTS.maximum or 5, 5))),
        "seed": draw(st.integers(min_value=0, max_value=2**32 - 1)),
    }


def normal(text: str) -> str:
    """Whitespace as every renderer may fold it: runs of spaces (also tabs, newlines, no-break spaces) as one."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class Answer:
    """One acknowledged answer and every dimension it was given with (labels, not ids)."""

    id: str
    phase: int
    answer: str
    text: str
    row: str = ""
    column: str = ""
    scale: str = ""
    ranking: tuple[str, ...] = ()
    owner: str = ""
    due: str = ""
    level: str = ""
    table: int | None = None
    #: The phone that sent it (for a table's text: the phone that submitted the table's drafts).
    author: str = ""


@dataclass
class Outcome:
    """What one example sent, what was acknowledged and what came back."""

    composition: dict[str, Any]
    session_id: str = ""
    item_id: str = ""
    answers: list[Answer] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (what, error code) the server refused
    files: dict[str, bytes] = field(default_factory=dict)
    agenda_file: dict[str, Any] = field(default_factory=dict)
    item_file: dict[str, Any] = field(default_factory=dict)
    reimported_item: dict[str, Any] = field(default_factory=dict)
    reimported_agenda: dict[str, Any] = field(default_factory=dict)
    tallies: dict[str, int] = field(default_factory=dict)
    expected_tallies: dict[str, int] = field(default_factory=dict)
    placed: dict[str, str] = field(default_factory=dict)  # card id -> theme id, as acknowledged
    stored_board: dict[str, list[str]] = field(default_factory=dict)
    phase_timings: dict[str, float] = field(default_factory=dict)


def agenda_file(composition: dict[str, Any], dots: int) -> dict[str, Any]:
    """The agenda file a facilitator would share: the composed item, a vote on it and a board sorting it."""
    return {
        "format": "rode-draad/agenda", "version": 1, "title": "Samengesteld",
        "items": [
            {"workformat": COMPOSED, "settings": {"composition": composition}},
            {"workformat": VOTES, "settings": {VOTE_SOURCE: "@0", DOTS.name: dots}},
            {"workformat": BOARD, "settings": {SOURCE: "@0"}},
        ],
    }


def poisoned(composition: dict[str, Any], rng: random.Random) -> str:
    """The agenda file with half a UTF-16 pair in one label: JSON can say it, the store cannot keep it."""
    text = json.dumps(agenda_file(composition, 3), ensure_ascii=True)
    marker = rng.choice(["⟦N0⟧", *[f"⟦F{i + 1}⟧" for i in range(len(composition["phases"]))]])
    escaped = json.dumps(marker, ensure_ascii=True)[1:-1]
    return text.replace(escaped, escaped + "\\ud800", 1)


class Room:
    """The host and the phones of one example."""

    def __init__(self, server: LiveServer, session_id: str) -> None:
        self.server, self.sid = server, session_id
        self.host = Recorder("host")
        self.phones: list[Recorder] = []
        self.tables: dict[str, int] = {}
        #: Names of the phones that speak for their table (claim acknowledged).
        self.speakers: set[str] = set()

    async def as_host(self, event: str, **payload: Any) -> Any:
        return await self.host.call(event, {"session": self.sid, **payload})

    async def send(self, phone: Recorder, event: str, **payload: Any) -> Any:
        return await phone.call(event, {"session": self.sid, **payload})

    async def close(self) -> None:
        await asyncio.gather(*(c.close() for c in (self.host, *self.phones)))


def _ok(ack: Any, what: str) -> Any:
    assert isinstance(ack, dict) and ack.get("ok") is True, (what, ack)
    return ack


async def _go(room: Room, item: int, phase: int) -> dict[str, Any]:
    """Go to a phase; return the step every phone got (after each has it)."""
    before = {c.name: len(c.of("phase_changed")) for c in (room.host, *room.phones)}
    _ok(await room.as_host("go_to_phase", item=item, phase=phase), f"go_to_phase {item}.{phase}")
    for client in (room.host, *room.phones):
        def more(c: Recorder = client) -> bool:
            return len(c.of("phase_changed")) > before[c.name]

        await client.wait_for(more)
    step = room.host.of("phase_changed")[-1]["step"]
    assert (step["item_index"], step["phase_index"]) == (item, phase), step
    return dict(step)


def _text(rng: random.Random, tag: str) -> str:
    return f"⟪{tag}⟫ " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))


async def run_example(server: LiveServer, example: dict[str, Any], http: aiohttp.ClientSession) -> Outcome:
    """Run one composed werkvorm through the live server; return what was acknowledged and what came back."""
    rng = random.Random(example["seed"])
    composition = example["composition"]
    expected = check_composition(composition)
    outcome = Outcome(composition=expected)
    host_http = server.host_session()
    origin = {"Origin": server.base_url}
    created = host_http.post(f"{server.base_url}/host/sessions", json={"title": "Samengesteld"})
    assert created.status_code == 201, created.text
    sid, join_code = created.json()["id"], created.json()["join_code"]
    outcome.session_id = sid
    base = f"{server.base_url}/host/s/{sid}"

    def agenda_now() -> list[dict[str, Any]]:
        return list(host_http.get(f"{base}/agenda/export").json()["items"])

    # -- a label the store cannot keep: the whole file is refused, nothing imported ------------------------
    before = agenda_now()
    bad = host_http.post(f"{base}/agenda/import", files={"file": ("agenda.json", poisoned(composition, rng))},
                         headers=origin, allow_redirects=False)
    assert bad.status_code == 400, bad.status_code
    assert agenda_now() == before

    # -- the agenda file: the composed item, a vote and a board on it ------------------------------------
    shared = agenda_file(composition, example["dots"])
    imported = host_http.post(f"{base}/agenda/import", files={"file": ("agenda.json", json.dumps(shared))},
                              headers=origin, allow_redirects=False)
    assert imported.status_code == 303, imported.text[:2000]
    first_index = len(before)

    room = Room(server, sid)
    try:
        await room.host.connect(server.base_url, host_key=server.key)
        state = await room.host.join(sid, "host")
        agenda = state["agenda"]
        item_id = agenda[first_index]["id"]
        outcome.item_id = item_id
        tables = [f"Tafel {t + 1}" for t in range(example["tables"])]
        _ok(await room.as_host("set_tables", tables=tables), "set_tables")
        for t in range(example["tables"]):
            for k in range(example["phones_per_table"]):
                phone = Recorder(f"t{t + 1}p{k}")
                token = await join_over_http(http, server.base_url, join_code, table=t + 1)
                await phone.connect(server.base_url, token=token)
                await phone.join(sid, "participant")
                room.phones.append(phone)
                room.tables[phone.name] = t + 1
        await _run_phases(room, outcome, expected, rng, first_index)
        await _vote(room, outcome, rng, first_index + 1)
        await _board(room, outcome, rng, first_index + 2, item_id)
    finally:
        await room.close()

    # -- the verslag in every format, with the appendix of every bijdrage (the body folds like points) ------
    edits = host_http.post(f"{base}/verslag/edits", json={"changes": {"appendix": True}}, headers=origin)
    assert edits.status_code == 200, edits.text[:2000]
    for fmt in ("md", "html", "docx", "csv"):
        response = host_http.get(f"{base}/verslag.{fmt}")
        assert response.status_code == 200, (fmt, response.status_code, response.text[:2000])
        outcome.files[fmt] = response.content

    # -- export the item and the agenda, import both again -----------------------------------------------
    outcome.item_file = host_http.get(f"{base}/agenda/{item_id}/export").json()
    outcome.agenda_file = host_http.get(f"{base}/agenda/export").json()
    for name, content in (("item", outcome.item_file), ("agenda", outcome.agenda_file)):
        again = host_http.post(f"{server.base_url}/host/import", files={"file": (f"{name}.json", json.dumps(content))},
                               data={"title": f"Opnieuw {name}"}, headers=origin, allow_redirects=False)
        assert again.status_code == 303, (name, again.text[:2000])
        new_sid = again.headers["Location"].rstrip("/").split("/")[-2]
        exported = host_http.get(f"{server.base_url}/host/s/{new_sid}/agenda/export").json()
        if name == "item":
            outcome.reimported_item = exported
        else:
            outcome.reimported_agenda = exported
    return outcome


async def _run_phases(room: Room, outcome: Outcome, composition: dict[str, Any], rng: random.Random,
                      item: int) -> None:
    """Answer every phase as its answer asks; note every acknowledged answer."""
    rows = [r["label"] for r in composition["rows"]]
    columns = [c["label"] for c in composition["columns"]]
    scale = [s["label"] for s in composition["scale"]]
    options = [o["label"] for o in composition["ranking_options"]]
    per_table = composition["per_table"]
    inbrenger: Recorder | None = None
    for index, part in enumerate(composition["phases"]):
        step = await _go(room, item, index)
        if index == 0:
            # Roles are the item's: given once the room is at the item.
            if composition["inbrenger"]:
                code = _ok(await room.as_host("create_role_code", role="inbrenger", item=outcome.item_id),
                           "create_role_code")["code"]
                inbrenger = room.phones[-1]
                ack = _ok(await room.send(inbrenger, "claim_role", code=code), "claim_role")
                assert ack["roles"] == {outcome.item_id: "inbrenger"}, ack
            if per_table:
                for t in sorted(set(room.tables.values())):
                    speaker = next((p for p in room.phones if room.tables[p.name] == t and p is not inbrenger), None)
                    if speaker is None:  # a table whose only phone is the inbrenger has no woordvoerder
                        continue
                    ack = _ok(await room.send(speaker, "claim_spokesperson"), "claim_spokesperson")
                    assert ack["roles"] == {outcome.item_id: "tafelvoorzitter"}, ack
                    room.speakers.add(speaker.name)
        kind = f"a{index + 1}"
        answer = part["answer"]
        assert step["display"] in ("per_table", "wall", "case", "quadrants", "grid", "scale", "ranking", "actions")
        if answer == "none":
            for phone in room.phones:
                ack = await room.send(phone, "submit_contribution", client_id=f"niets-{index}-{phone.name}",
                                      text="Mag ik iets zeggen?")
                assert ack["ok"] is False, ack
            continue
        if per_table and answer == "text":
            await _table_texts(room, outcome, index, kind, rng, inbrenger, part)
        else:
            for n, phone in enumerate(room.phones):
                await _answer(room, outcome, phone, index, part, kind, n, rng, rows, columns, scale, options,
                              inbrenger=phone is inbrenger, per_table=per_table)
        if part["hidden"]:
            _ok(await room.as_host("reveal_phase"), "reveal_phase")


async def _answer(room: Room, outcome: Outcome, phone: Recorder, index: int, part: dict[str, Any], kind: str,
                  n: int, rng: random.Random, rows: list[str], columns: list[str], scale: list[str],
                  options: list[str], *, inbrenger: bool, per_table: bool) -> None:
    """One phone's answer in a phase (who may give it is the server's to say; the ack tells)."""
    answer = part["answer"]
    cid = f"c{index}-{phone.name}-{n}"
    text = _text(rng, cid)
    payload: dict[str, Any] = {"client_id": cid, "kind": kind, "text": text}
    record = Answer(id=cid, phase=index, answer=answer, text=text, table=room.tables[phone.name], author=phone.name)
    if answer in ("buckets", "grid"):
        r = rng.randrange(len(rows))
        payload["bucket"], record.row = f"r{r + 1}", rows[r]
    if answer == "grid":
        c = rng.randrange(len(columns))
        payload["tags"], record.column = [f"k{c + 1}"], columns[c]
    if answer == "scale":
        s = rng.randrange(len(scale))
        payload["tags"], record.scale = [f"s{s + 1}"], scale[s]
        if not part["explain"] and rng.random() < 0.5:
            payload["text"] = record.text = ""
    if answer == "ranking":
        order = list(range(len(options)))
        rng.shuffle(order)
        payload["ranking"] = [f"o{i + 1}" for i in order]
        record.ranking = tuple(options[i] for i in order)
        if rng.random() < 0.5:
            payload["text"] = record.text = ""
    if answer == "action":
        level_id, level_label = rng.choice(ACTION_LEVELS)
        payload["tags"], record.level = [level_id], level_label
        payload["owner"] = record.owner = rng.choice(["Gemeente", "Anna de Vries", "GGD 中文", "İlker"])
        payload["due"] = record.due = rng.choice(["", "1 maart", "voor de zomer", "2027-01-15"])
    ack = await room.send(phone, "submit_contribution", **payload)
    may = _may_answer(part, inbrenger=inbrenger, per_table=per_table, speaks=phone.name in room.speakers)
    if ack.get("ok") is True:
        assert may, ("accepted from a phone that may not answer", phone.name, part, ack)
        outcome.answers.append(record)
    else:
        assert not may, ("refused from a phone that may answer", phone.name, part, payload, ack)
        assert ack["error"]["code"] == "not_your_role", ack
        outcome.refused.append(("submit_contribution", ack["error"]["code"]))


def _may_answer(part: dict[str, Any], *, inbrenger: bool, per_table: bool, speaks: bool) -> bool:
    """Who may answer, by the design: per table only the woordvoerder gives structured answers; the inbrenger
    answers unless the phase has it listen."""
    if inbrenger:
        return part.get("inbrenger", "answer") == "answer" and not per_table
    return speaks if per_table else True


async def _table_texts(room: Room, outcome: Outcome, index: int, kind: str, rng: random.Random,
                       inbrenger: Recorder | None, part: dict[str, Any]) -> None:
    """Per table: the table writes a shared draft, its woordvoerder (or whoever submits first) sends it."""
    for t in sorted(set(room.tables.values())):
        writers = [p for p in room.phones if room.tables[p.name] == t and p is not inbrenger]
        if not writers:
            continue
        slots = rng.randint(1, 3)
        texts = {}
        for slot in range(1, slots + 1):
            writer = writers[(slot - 1) % len(writers)]
            texts[slot] = _text(rng, f"t{t}-{index}-{slot}")
            _ok(await room.send(writer, "save_table_draft", kind=kind, slot=slot, text=texts[slot], base_version=0),
                "save_table_draft")
        submitter = next((p for p in writers if p.name in room.speakers), writers[0])
        ack = _ok(await room.send(submitter, "submit_table_drafts", kind=kind), "submit_table_drafts")
        assert len(ack["ids"]) == slots, ack
        for slot, cid in zip(sorted(texts), ack["ids"], strict=True):
            outcome.answers.append(Answer(id=cid, phase=index, answer="text", text=texts[slot], table=t,
                                          author=submitter.name))


async def _vote(room: Room, outcome: Outcome, rng: random.Random, item: int) -> None:
    """Everyone places their dots on what the composed item produced; the tallies must add up."""
    step = await _go(room, item, 0)
    targets = [t["id"] for t in step["vote"]["targets"]]
    dots = step["vote"]["dots"]
    expected: dict[str, int] = {}
    for phone in room.phones:
        if not targets:
            break
        chosen = rng.sample(targets, min(dots, len(targets)))
        for target in chosen:
            _ok(await room.send(phone, "cast_vote", target=target, on=True), "cast_vote")
            expected[target] = expected.get(target, 0) + 1
        spare = [t for t in targets if t not in chosen]
        if len(chosen) == dots and spare:  # one more is refused: the dots are used up
            full = await room.send(phone, "cast_vote", target=spare[0], on=True)
            assert full["ok"] is False and full["error"]["code"] == "limit_reached", full
    await room.host.join(room.sid, "host")  # a round trip: every votes_changed before it has arrived
    outcome.expected_tallies = expected
    outcome.tallies = room.host.of("session_state")[-1]["tallies"]


async def _board(room: Room, outcome: Outcome, rng: random.Random, item: int, item_id: str) -> None:
    """Each phone puts its own answers on the board under a theme it proposes or one that is there."""
    step = await _go(room, item, 0)
    assert step["place"]["board_item"] == item_id, step["place"]
    for phone in room.phones:
        for answer in [a for a in outcome.answers if a.author == phone.name]:
            if rng.random() < 0.5 or not outcome.placed:
                payload: dict[str, Any] = {"new_theme": f"Thema {rng.randint(1, 3)}"}
            else:
                payload = {"theme": rng.choice(list(outcome.placed.values()))}
            ack = _ok(await room.send(phone, "place_contribution", id=answer.id, **payload), "place_contribution")
            outcome.placed[answer.id] = ack["theme"]
    await room.host.join(room.sid, "host")
    boards = room.host.of("board_changed")
    if boards:
        board = boards[-1]["board"]
        outcome.stored_board = {t["id"]: list(t["cards"]) for t in board["themes"]}


# -- what came back ---------------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def verslag_texts(files: dict[str, bytes]) -> dict[str, str]:
    """Return each format's readable text, whitespace folded."""
    parser = _Text()
    parser.feed(files["html"].decode("utf-8"))
    document = docx.Document(io.BytesIO(files["docx"]))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return {
        "md": normal(files["md"].decode("utf-8").replace("\\", "")),
        "html": normal(" ".join(parser.parts)),
        "docx": normal(" ".join([p.text for p in document.paragraphs] + cells)),
    }


def csv_table(data: bytes) -> tuple[list[str], list[list[str]]]:
    """Return the CSV's header and rows."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    return rows[0], rows[1:]


def row_holds(row: list[str], answer: Answer) -> bool:
    """Tell whether a CSV row is this answer with every dimension it was given: text, row, column, scale point,
    the ranking in its order, and an afspraak's who, level and when."""
    joined = normal(" ␟ ".join(row))
    wanted = [answer.text, answer.row, answer.column, answer.scale, answer.owner, answer.level, answer.due]
    return all(normal(w) in joined for w in wanted if w) and in_order(joined, answer.ranking)


def in_order(joined: str, ranking: tuple[str, ...]) -> bool:
    """Tell whether the options appear in a text in this order."""
    at = -1
    for option in ranking:
        found = joined.find(normal(option), at + 1)
        if found < 0:
            return False
        at = found
    return True


def texts_in(value: Any) -> list[str]:
    """Return every text in plain data."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts_in(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts_in(v)]
    return []


def check_round_trip(outcome: Outcome) -> None:
    """The same composition comes back from the agenda file, the item file, and both imported again."""
    [composed, vote, board] = outcome.agenda_file["items"][-3:]
    assert composed["settings"]["composition"] == outcome.composition
    # Kept means: as typed, without what no screen, file or mail should carry.
    assert not [t for t in texts_in(outcome.composition) if UNWANTED.search(t)]
    assert outcome.item_file["settings"]["composition"] == outcome.composition
    # The item file is named after the composition; imported again, the item is the same werkvorm, called the same.
    name = outcome.composition["name"]
    assert normal(outcome.item_file["name"]) == normal(name)
    [again] = outcome.reimported_item["items"][-1:]
    assert again["workformat"] == outcome.item_file["workformat"]
    assert again["settings"]["composition"] == outcome.composition
    assert normal(again["settings"].get("title", name)) == normal(name)
    assert {k: v for k, v in again["settings"].items() if k != "title"} == outcome.item_file["settings"]
    # The whole agenda (the vote and the board still pointing at the composed item) comes back the same.
    assert outcome.reimported_agenda["items"] == outcome.agenda_file["items"]
    assert vote["settings"] != {} and board["settings"] != {}


def check_stored(server: LiveServer, outcome: Outcome) -> None:
    """Every acknowledged answer is stored once, with every dimension it was sent with."""
    assert server.data_dir is not None
    stored = {c["id"]: c for c in stored_contributions(server.data_dir, outcome.session_id)}
    assert sorted(stored) == sorted(a.id for a in outcome.answers)
    for answer in outcome.answers:
        c = stored[answer.id]
        assert normal(c["text"]) == normal(answer.text), (answer, c)
        assert bool(c.get("bucket")) == bool(answer.row), (answer, c)
        assert len(c.get("ranking") or ()) == len(answer.ranking), (answer, c)
        assert (c.get("owner") or "", c.get("due") or "") == (answer.owner, answer.due), (answer, c)
        tags = sum(bool(x) for x in (answer.column, answer.scale, answer.level))
        assert len(c.get("tags") or ()) == tags, (answer, c)


def every_kind(per_table: bool, inbrenger: bool) -> dict[str, Any]:
    """A room whose composition has a phase of every answer kind (the random ones may miss one)."""
    phases = [
        {"title": f"⟦F{i + 1}⟧ {answer} ✓", "prompt": f"⟦V{i + 1}⟧ Vraag é 中文", "answer": answer,
         "minutes": i + 1 if i % 2 else None, "hidden": i % 3 == 1, "explain": answer == "scale",
         **({"inbrenger": "listen" if i % 2 else "answer", "inbrenger_prompt": f"⟦I{i + 1}⟧ Luister"}
            if inbrenger else {})}
        for i, answer in enumerate(PART_ANSWERS)
    ]
    return {
        "composition": {
            "name": "⟦N0⟧ Alles 👩\u200d👩\u200d👧", "description": "Elke soort antwoord", "per_table": per_table,
            "inbrenger": inbrenger,
            "rows": [{"label": "⟦R1⟧ Goed", "description": "wat gaat goed"}, {"label": "⟦R2⟧ Knelpunt ; \"x\""}],
            "columns": [{"label": "⟦K1⟧ Gemeente"}, {"label": "⟦K2⟧ שלום"}],
            "scale": ["⟦S1⟧ oneens", "⟦S2⟧ neutraal", "⟦S3⟧ eens"],
            "ranking_options": ["⟦O1⟧ Rust", "⟦O2⟧ Ruimte", "⟦O3⟧ 𝔘𝔫𝔦"],
            "phases": phases,
        },
        "tables": 2, "phones_per_table": 2, "dots": 3, "seed": 16,
    }


def lost_texts(outcome: Outcome) -> list[tuple[str, str, str]]:
    """Return the acknowledged texts Markdown, HTML or Word lost: (answer kind, format, the text)."""
    texts = verslag_texts(outcome.files)
    return [(answer.answer, fmt, answer.text) for answer in outcome.answers if answer.text
            for fmt, text in texts.items() if normal(answer.text) not in text]


def lost(outcome: Outcome) -> list[tuple[str, str, str]]:
    """Return what the CSV lost of the acknowledged answers: (answer kind, "csv", the dimensions it lacks).

    The CSV keeps every dimension of each answer: text, row, column, scale point, the ranking in its order, an
    afspraak's who, level and when.
    """
    _header, rows = csv_table(outcome.files["csv"])
    found: list[tuple[str, str, str]] = []
    for answer in outcome.answers:
        if not any(row_holds(row, answer) for row in rows):
            text_rows = [row for row in rows if answer.text and normal(answer.text) in normal(" ".join(row))]
            dims = {"row": answer.row, "column": answer.column, "scale": answer.scale, "owner": answer.owner,
                    "level": answer.level, "due": answer.due}
            if text_rows or not answer.text:
                candidates = text_rows or rows
                missing = sorted(name for name, value in dims.items()
                                 if value and not any(normal(value) in normal(" ".join(r)) for r in candidates))
                if answer.ranking and not any(in_order(normal(" ␟ ".join(r)), answer.ranking) for r in candidates):
                    missing.append("ranking order")
                found.append((answer.answer, "csv", ", ".join(missing) or "row"))
            else:
                found.append((answer.answer, "csv", "text"))
    return found
