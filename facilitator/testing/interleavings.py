"""Every pair of state-changing use cases raced on the live server: the plan, the rounds and the tally.

Shared by tests/e2e/test_interleavings_pairs.py (every pair in some 30 rounds, the why is there) and
bench/interleavings_pairs.py (each pair on its own).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import aiohttp

from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository
from facilitator.testing.clients import Recorder
from facilitator.testing.live_server import LiveServer

REGISTRY = discover()
#: Enough tables for fresh ones per round: 1-10 roles by code, 11-16 the movers, 17-40 the table drafts.
TABLES = 40
ROLE_TABLES = range(1, 11)
DRAFT_TABLES = range(17, TABLES + 1)
#: Each pass opens each of the four phone phases twice: once with added time, once with a phase change.
PASSES = 3
CONTEXTS = {"submit": "open_vraag", "drafts": "tafeladvies", "vote": "stemmen", "place": "rode_draden"}
OPTIONS = [f"Optie {n}" for n in range(1, 11)]

HOST_KINDS = (
    "go_to_phase", "add_time", "reveal_phase", "set_tables", "set_contribution_hidden", "move_contribution",
    "create_role_code", "clear_role", "edit_board", "set_closing", "edit_verslag",
)
PHONE_KINDS = (
    "submit_contribution", "choose_table", "claim_role", "save_table_draft", "submit_table_drafts",
    "set_contribution_shared", "star_contribution", "cast_vote", "place_contribution", "request_verslag",
)
KINDS = HOST_KINDS + PHONE_KINDS
#: The phone use cases that need their own phase (the rest work in any phase).
PHASE_OF = {
    "submit_contribution": "submit", "save_table_draft": "drafts", "submit_table_drafts": "drafts",
    "cast_vote": "vote", "place_contribution": "place",
}
#: Both change the timer: the later one rightly wins, so they never race in one round.
SAME_THING = {frozenset({"go_to_phase", "add_time"})}
#: One of these per round: the room has one phase, one timer, one reveal, one set of tables, one closing.
ONCE_PER_ROUND = {"go_to_phase", "add_time", "reveal_phase", "set_tables", "set_closing"}
#: Refusals that are right in a race: the address request after the host stopped asking, the star on an
#: answer the host hid first. Any other refusal fails the test.
MAY_REFUSE = {"request_verslag": ("invalid_input", "closing"), "star_contribution": ("not_your_role", None)}


def all_pairs() -> list[tuple[str, str]]:
    """Return every unordered pair of kinds, each kind with itself included."""
    return list(itertools.combinations_with_replacement(KINDS, 2))


def why_not_raced(a: str, b: str) -> str | None:
    """Return why a pair cannot race in one round, or None when it must."""
    if frozenset({a, b}) in SAME_THING:
        return "both change the timer"
    if a == b and a in ONCE_PER_ROUND:
        return "once per round"
    if a in PHASE_OF and b in PHASE_OF and PHASE_OF[a] != PHASE_OF[b]:
        return "need different phases"
    return None


# -- the bijeenkomst, prepared in the data folder before the server starts ---------------------------------


@dataclasses.dataclass
class Phone:
    """A phone joined in advance: its token to connect with, its participant id, number and first table."""

    name: str
    token: str
    id: str
    number: int
    table: int | None


@dataclasses.dataclass
class Layout:
    """What prepare() made: ids, phones and which card or table each round uses."""

    sid: str = ""
    agenda: list[str] = dataclasses.field(default_factory=list)
    board_item: str = ""
    roles_item: str = ""
    #: Per context, per pass: three agenda indexes of the same werkvorm.
    twins: dict[str, list[list[int]]] = dataclasses.field(default_factory=dict)
    phones: dict[str, Phone] = dataclasses.field(default_factory=dict)
    board_card: dict[str, str] = dataclasses.field(default_factory=dict)
    host_themes: list[str] = dataclasses.field(default_factory=list)
    place_themes: list[str] = dataclasses.field(default_factory=list)
    roddels: list[str] = dataclasses.field(default_factory=list)
    net_cards: list[str] = dataclasses.field(default_factory=list)
    buckets: list[str] = dataclasses.field(default_factory=list)
    private_card: dict[str, str] = dataclasses.field(default_factory=dict)
    #: Per drafts round: two phones that save a first draft, two that submit theirs; each alone at a fresh table.
    savers: list[list[str]] = dataclasses.field(default_factory=list)
    submitters: list[list[str]] = dataclasses.field(default_factory=list)

    def by_prefix(self, prefix: str) -> list[Phone]:
        """Return the phones of one part (writers, movers, ...)."""
        return [p for name, p in self.phones.items() if name.startswith(prefix)]


def rounds() -> list[tuple[int, str, str]]:
    """Return the rounds as (pass, context, "add" or "go")."""
    return [(p, ctx, mode) for p in range(PASSES) for ctx in CONTEXTS for mode in ("add", "go")]


def prepare(data_dir: Path) -> Layout:
    """Create the bijeenkomst, its phones and what they wrote earlier, with the services on the data folder."""
    repo = TinyDBRepository(data_dir)
    layout = Layout()
    session = services.create_session(repo, REGISTRY, title="Alle paren", date=dt.date.today().isoformat())
    sid = layout.sid = session.id
    services.set_tables(repo, sid, [f"Tafel {n}" for n in range(1, TABLES + 1)])
    layout.board_item = session.agenda[0].id

    def add(workformat_id: str, settings: dict[str, Any] | None = None) -> int:
        services.add_agenda_item(repo, REGISTRY, sid, workformat_id, settings or {})
        return len(repo.get_session(sid).agenda) - 1

    roles_index, roddel_index, buffers_index = add("casusdialoog"), add("roddelmethode"), add("vier_buffers")
    settings: dict[str, dict[str, Any]] = {
        "vote": {"options": OPTIONS, "dots": 20}, "place": {"source": layout.board_item},
    }
    for ctx, workformat_id in CONTEXTS.items():
        layout.twins[ctx] = [[add(workformat_id, settings.get(ctx)) for _ in range(3)] for _ in range(PASSES)]
    layout.agenda = [item.id for item in repo.get_session(sid).agenda]
    layout.roles_item = layout.agenda[roles_index]

    def phone(name: str, table: int | None = None) -> Phone:
        participant, token, _events = services.join(repo, sid, table=table)
        layout.phones[name] = Phone(name, token, participant.id, participant.number, table)
        return layout.phones[name]

    def participant(p: Phone) -> Any:
        return next(x for x in repo.list_participants(sid) if x.id == p.id)

    def submit(p: Phone, client_id: str, text: str, **fields: Any) -> str:
        contribution, _events = services.submit_contribution(
            repo, REGISTRY, sid, participant(p), client_id=client_id, text=text, **fields
        )
        return contribution.id

    writers = [phone(f"writer{n}") for n in range(4)]
    inbrenger = phone("inbrenger")
    sharers = [phone(f"sharer{n}") for n in range(2)]
    for n in range(6):
        phone(f"claimer{n}")
    for n in range(3):
        phone(f"mover{n}", table=11 + 2 * n)
    for n in range(4):
        phone(f"requester{n}")
    tables = iter(DRAFT_TABLES)
    drafts_rounds = sum(1 for _p, ctx, _m in rounds() if ctx == "drafts")
    for r in range(drafts_rounds):
        layout.savers.append([phone(f"saver{r}-{k}", table=next(tables)).name for k in range(2)])
        layout.submitters.append([phone(f"speaker{r}-{k}", table=next(tables)).name for k in range(2)])

    services.go_to(repo, REGISTRY, sid, 0, 0)
    for n, writer in enumerate(writers):
        layout.board_card[writer.name] = submit(writer, f"bord-{n:04d}", f"Een antwoord voor het bord, {n}")
    for name in ("Thema A", "Thema B", *(f"Plek {n}" for n in range(4))):
        _board, extra, _events = services.edit_board(
            repo, REGISTRY, sid, layout.board_item, "add_theme", {"name": name, "cards": []}
        )
        (layout.host_themes if name.startswith("Thema") else layout.place_themes).append(extra["theme"])
    services.go_to(repo, REGISTRY, sid, roddel_index, 2)
    for n in range(2 * len(rounds())):
        layout.roddels.append(submit(writers[n % 4], f"roddel-{n:04d}", f"Een roddel, {n}", tags=["observatie"]))
    services.assign_role(repo, REGISTRY, sid, role="inbrenger", number=inbrenger.number,
                         item_id=layout.agenda[roddel_index])
    item = repo.get_session(sid).agenda[buffers_index]
    layout.buckets = [b.id for b in services.configured_workformat(REGISTRY, item).buckets]
    services.go_to(repo, REGISTRY, sid, buffers_index, 1)
    for n in range(2 * len(rounds())):
        layout.net_cards.append(submit(writers[n % 4], f"vangnet-{n:04d}", f"Een buffer, {n}",
                                       bucket=layout.buckets[0], tags=["mens", "geven"]))
    services.go_to(repo, REGISTRY, sid, roles_index, 4)
    for n, sharer in enumerate(sharers):
        layout.private_card[sharer.name] = submit(sharer, f"opbrengst-{n:04d}", f"Wat het mij oplevert, {n}")
    # The spokespersons-to-be find a draft on every twin, whichever is current when they submit.
    for p in range(PASSES):
        for index in layout.twins["drafts"][p]:
            services.go_to(repo, REGISTRY, sid, index, 0)
            for names in layout.submitters:
                for name in names:
                    services.save_table_draft(
                        repo, REGISTRY, sid, participant(layout.phones[name]), kind="advies", slot=1,
                        text=f"Advies van {name}", base_version=0,
                    )
    services.go_to(repo, REGISTRY, sid, 0, 0)
    return layout


# -- what is on disk ------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Durable:
    """The bijeenkomst as a restart would find it."""

    session: Any
    participants: dict[str, Any]
    contributions: dict[str, Any]
    drafts: list[Any]
    votes: list[Any]
    board: Any
    edits: dict[str, Any]
    optins: dict[str, str]

    def holder(self, item_id: str, table: int | None, role: str = "tafelvoorzitter") -> Any:
        """Return the assignment of a role at a table, or None."""
        return next((r for r in self.session.roles if (r.agenda_item_id, r.role, r.table) == (item_id, role, table)),
                    None)

    def theme_of(self, card: str) -> str | None:
        """Return the theme a card is on, if any."""
        return next((t.id for t in self.board.themes if card in t.cards), None)

    def theme(self, theme_id: str) -> Any:
        """Return a theme of the board."""
        return next(t for t in self.board.themes if t.id == theme_id)

    def key(self, index: int) -> str:
        """Return the reveal key of an agenda item's first phase."""
        item = self.session.agenda[index]
        return f"{item.id}:{services.configured_workformat(REGISTRY, item).phases[0].id}"


def durable(data_dir: Path, layout: Layout) -> Durable:
    """Read the durable files, as a restart would."""
    repo = TinyDBRepository(data_dir, read_only=True)
    sid = layout.sid
    return Durable(
        session=repo.get_session(sid),
        participants={p.id: p for p in repo.list_participants(sid)},
        contributions={c.id: c for c in repo.list_contributions(sid)},
        drafts=repo.list_drafts(sid),
        votes=repo.list_votes(sid),
        board=repo.get_board(sid, layout.board_item),
        edits=dict(repo.get_report_edits(sid)),
        optins={o.participant_id: o.email for o in repo.list_mail_optins(sid)},
    )


# -- one action of a race ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Action:
    """One use case sent by the host or a phone, what it changes, and how to see afterwards that it is still there."""

    kind: str
    touches: frozenset[str]
    send: Callable[[], Awaitable[Any]]
    holds: Callable[[Durable, Any], bool]
    what: str = ""
    #: A refusal is right here (see MAY_REFUSE).
    may_refuse: bool = False


@dataclasses.dataclass
class Tally:
    """Per pair of kinds: rounds in which both were acknowledged and checked; what was undone."""

    raced: Counter[tuple[str, str]] = dataclasses.field(default_factory=Counter)
    raced_with_undone: Counter[tuple[str, str]] = dataclasses.field(default_factory=Counter)
    acknowledged: Counter[str] = dataclasses.field(default_factory=Counter)
    undone: Counter[str] = dataclasses.field(default_factory=Counter)
    refused: Counter[str] = dataclasses.field(default_factory=Counter)
    problems: list[str] = dataclasses.field(default_factory=list)

    def record(self, round_: str, actions: list[Action], acks: list[Any], after: Durable) -> None:
        """Check each acknowledged action of a round against the durable state after it; count the pairs."""
        checked: list[tuple[Action, bool]] = []
        for n, (action, ack) in enumerate(zip(actions, acks, strict=True)):
            if not (isinstance(ack, dict) and ack.get("ok") is True):
                self.refused[action.kind] += 1
                error = ack.get("error", {}) if isinstance(ack, dict) else {}
                if not action.may_refuse or (error.get("code"), error.get("field")) != MAY_REFUSE[action.kind]:
                    self.problems.append(f"{round_}: {action.kind} {action.what} refused: {ack}")
                continue
            others = [o for m, o in enumerate(actions) if m != n]
            if any(action.touches & o.touches for o in others):
                self.problems.append(f"{round_}: {action.kind} {action.what} shares what it changes with another")
                continue
            self.acknowledged[action.kind] += 1
            kept = action.holds(after, ack)
            if not kept:
                self.undone[action.kind] += 1
                self.problems.append(f"{round_}: {action.kind} {action.what} undone")
            checked.append((action, kept))
        seen: dict[tuple[str, str], bool] = {}
        for (a, kept_a), (b, kept_b) in itertools.combinations(checked, 2):
            first, second = sorted((a.kind, b.kind), key=KINDS.index)
            pair = (first, second)
            seen[pair] = seen.get(pair, False) or not (kept_a and kept_b)
        for pair, any_undone in seen.items():
            self.raced[pair] += 1
            if any_undone:
                self.raced_with_undone[pair] += 1

    def report(self) -> str:
        """Return per kind how often it was acknowledged, undone and refused, and the pairs raced."""
        lines = ["kind                       acked undone refused"]
        for kind in KINDS:
            lines.append(f"{kind:26} {self.acknowledged[kind]:5} {self.undone[kind]:6} {self.refused[kind]:7}")
        possible = [p for p in all_pairs() if why_not_raced(*p) is None]
        covered = [p for p in possible if self.raced[p]]
        lines.append(f"pairs raced: {len(covered)} of {len(possible)} that can race "
                     f"({len(all_pairs())} with each kind itself, {len(all_pairs()) - len(possible)} cannot)")
        lines.append(f"pairs raced in a round where one of the two was undone: {len(+self.raced_with_undone)}")
        fewest = min(self.raced[p] for p in possible)
        lines.append(f"rounds per pair: min {fewest} ({[p for p in possible if self.raced[p] == fewest]}), "
                     f"max {max(self.raced[p] for p in possible)}")
        return "\n".join(lines)

    def matrix(self) -> str:
        """Return rounds raced per pair as a table (x: cannot race, see why_not_raced)."""
        short = [k[:9] for k in KINDS]
        lines = [" " * 27 + " ".join(f"{n:>3}" for n in range(len(KINDS)))]
        for i, a in enumerate(KINDS):
            cells = []
            for b in KINDS:
                first, second = sorted((a, b), key=KINDS.index)
                pair = (first, second)
                cells.append("  x" if why_not_raced(*pair) else f"{self.raced[pair]:3}")
            lines.append(f"{i:2} {short[i]:9} {a[len(short[i]):][:14]:14} " + " ".join(cells))
        return "\n".join(lines)


# -- the race -----------------------------------------------------------------------------------------------------


class Room:
    """The host (Socket.IO and HTTP) and the phones, connected to the live server."""

    def __init__(self, server: LiveServer, layout: Layout, data_dir: Path) -> None:
        self.server, self.layout, self.data_dir = server, layout, data_dir
        self.host = Recorder("host")
        self.phones = {name: Recorder(name) for name in layout.phones}
        self.http: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        """Connect the host and every phone, and join them to the bijeenkomst."""
        self.http = aiohttp.ClientSession()
        await self.host.connect(self.server.base_url, host_key=self.server.key)
        await self.host.join(self.layout.sid, "host")

        async def connect(name: str) -> None:
            await self.phones[name].connect(self.server.base_url, token=self.layout.phones[name].token)
            await self.phones[name].join(self.layout.sid, "participant")

        await asyncio.gather(*(connect(name) for name in self.phones))

    async def close(self) -> None:
        """Disconnect everyone (never raises)."""
        for client in (self.host, *self.phones.values()):
            await client.close()
        if self.http is not None:
            await self.http.close()

    async def as_host(self, event: str, **payload: Any) -> Any:
        """Send a host event; return its ack."""
        return await self.host.call(event, {"session": self.layout.sid, **payload})

    async def ok_host(self, event: str, **payload: Any) -> Any:
        """Send a host event of the set-up; it must succeed."""
        ack = await self.as_host(event, **payload)
        assert ack["ok"] is True, (event, payload, ack)
        return ack

    async def as_phone(self, name: str, event: str, **payload: Any) -> Any:
        """Send a phone event; return its ack."""
        return await self.phones[name].call(event, {"session": self.layout.sid, **payload})

    async def edit_verslag(self, part: str, text: str) -> Any:
        """Store one part of the verslag as the verslag page does (POST with our Origin); return the answer."""
        assert self.http is not None
        base = self.server.base_url
        async with self.http.post(
            f"{base}/host/s/{self.layout.sid}/verslag/edits", json={"changes": {part: text}},
            headers={"Origin": base, "Cookie": f"rd_host={self.server.key}"},
        ) as response:
            body = await response.json()
            return body if response.status == 200 else {"ok": False, "status": response.status, "body": body}


async def play_round(
    room: Room, tally: Tally, number: int, pass_: int, ctx: str, mode: str, only: Mapping[str, int] | None = None
) -> None:
    """Set one round up one step at a time, race its actions, then check the durable files.

    `only` races just some kinds, at most so many actions of each: bench/interleavings_pairs.py races each pair on
    its own that way, to tell which of the two undid the other.
    """
    layout = room.layout
    roles_item = layout.roles_item
    twins = layout.twins[ctx][pass_]
    start = twins[0] if mode == "add" else twins[1]
    # Fresh role tables each round: codes to claim, tables to give a code, roles to take back.
    free = [(7 * number + k) % len(ROLE_TABLES) + ROLE_TABLES[0] for k in range(7)]
    claim_tables, create_tables, clear_tables = free[:3], free[3:5], free[5:7]
    claimers = [f"claimer{k + 3 * (number % 2)}" for k in range(3)]

    # -- set-up, one step after the other: a code on each role table of the round (replacing whoever held it,
    # so that no claimer still holds one there), a role for each mover at its table (so that moving away also
    # changes the bijeenkomst), and the room asking for addresses.
    await room.ok_host("go_to_phase", item=start, phase=0)
    await room.ok_host("set_closing", closing=True)
    codes = {}
    for table in (*claim_tables, *create_tables, *clear_tables):
        ack = await room.ok_host("create_role_code", role="tafelvoorzitter", table=table, item=roles_item)
        codes[table] = ack["code"]
    movers = layout.by_prefix("mover")
    for mover in movers:
        await room.ok_host("assign_role", role="tafelvoorzitter", number=mover.number, item=roles_item)
    before = durable(room.data_dir, layout)
    seats = {m.name: before.participants[m.id].table for m in movers}
    candidates = [before.key(start)] if mode == "add" else [before.key(twins[1]), before.key(twins[2])]
    twin_ids = {layout.agenda[i] for i in twins}

    actions: list[Action] = []

    # Callable[..., ...]: the lambdas below bind their loop values as defaults, which mypy cannot match to [].
    def act(kind: str, touches: set[str], send: Callable[..., Awaitable[Any]],
            holds: Callable[..., bool], what: str = "", may_refuse: bool = False) -> None:
        actions.append(Action(kind, frozenset(touches), send, holds, what, may_refuse))

    # -- the phones -------------------------------------------------------------------------------------------
    for name, table in zip(claimers, claim_tables, strict=True):
        pid = layout.phones[name].id
        act("claim_role", {f"role:{table}", f"seat:{name}"},
            lambda name=name, table=table: room.as_phone(name, "claim_role", code=codes[table]),
            lambda d, _a, pid=pid, table=table: getattr(d.holder(roles_item, table), "participant_id", None) == pid
            and d.participants[pid].table == table, f"table {table} by {name}")
    for mover in movers:
        here = seats[mover.name]
        there = here + 1 if (here - 11) % 2 == 0 else here - 1
        act("choose_table", {f"seat:{mover.name}", f"role:{here}"},
            lambda mover=mover, there=there: room.as_phone(mover.name, "choose_table", table=there),
            lambda d, _a, mover=mover, there=there: d.participants[mover.id].table == there
            and not any(r.participant_id == mover.id and r.table is not None for r in d.session.roles),
            f"{mover.name} {here}->{there}")
    for name, card in layout.private_card.items():
        shared = not before.contributions[card].shared
        act("set_contribution_shared", {f"shared:{card}"},
            lambda name=name, card=card, shared=shared: room.as_phone(
                name, "set_contribution_shared", id=card, shared=shared),
            lambda d, _a, card=card, shared=shared: d.contributions[card].shared is shared, f"{card} {shared}")
    star_cards = layout.roddels[2 * number: 2 * number + 2]
    for card in star_cards:
        act("star_contribution", {f"starred:{card}"},
            lambda card=card: room.as_phone("inbrenger", "star_contribution", id=card, starred=True),
            lambda d, _a, card=card: d.contributions[card].starred is True, card, may_refuse=card == star_cards[0])
    for requester in layout.by_prefix("requester"):
        email = f"{requester.name}.ronde{number}@example.org"
        act("request_verslag", {f"optin:{requester.name}"},
            lambda requester=requester, email=email: room.as_phone(
                requester.name, "request_verslag", email=email, consent=True),
            lambda d, _a, requester=requester, email=email: d.optins.get(requester.id) == email, email,
            may_refuse=True)
    writers = layout.by_prefix("writer")
    if ctx == "submit":
        for writer in writers:
            client_id = f"ronde{number}-{writer.name}"
            act("submit_contribution", {f"card:{client_id}"},
                lambda writer=writer, client_id=client_id: room.as_phone(
                    writer.name, "submit_contribution", client_id=client_id, text=f"Antwoord {client_id}"),
                lambda d, _a, client_id=client_id: client_id in d.contributions
                and d.contributions[client_id].agenda_item_id in twin_ids, client_id)
    elif ctx == "drafts":
        index = sum(1 for _p, c, _m in rounds()[:number] if c == "drafts")
        for name in layout.savers[index]:
            saver = layout.phones[name]
            text = f"Concept van {name}"
            act("save_table_draft", {f"draft:{saver.table}"},
                lambda name=name, text=text: room.as_phone(
                    name, "save_table_draft", kind="advies", slot=1, text=text, base_version=0),
                lambda d, _a, saver=saver, text=text: any(
                    (x.table, x.slot, x.text) == (saver.table, 1, text) and x.agenda_item_id in twin_ids
                    for x in d.drafts), f"table {saver.table}")
        for name in layout.submitters[index]:
            speaker = layout.phones[name]
            act("submit_table_drafts", {f"draft:{speaker.table}", f"speaker:{speaker.table}"},
                lambda name=name: room.as_phone(name, "submit_table_drafts", kind="advies"),
                lambda d, _a, speaker=speaker: any(
                    c.kind == "advies" and c.table == speaker.table and c.text == f"Advies van {speaker.name}"
                    and getattr(d.holder(c.agenda_item_id, speaker.table), "participant_id", None) == speaker.id
                    for c in d.contributions.values() if c.agenda_item_id in twin_ids), f"table {speaker.table}")
    elif ctx == "vote":
        for k, writer in enumerate(writers):
            target = f"option-{(number + k) % len(OPTIONS) + 1}"
            act("cast_vote", {f"vote:{writer.name}:{target}"},
                lambda writer=writer, target=target: room.as_phone(writer.name, "cast_vote", target=target, on=True),
                lambda d, _a, writer=writer, target=target: any(
                    v.active and (v.participant_id, v.target) == (writer.id, target) and v.agenda_item_id in twin_ids
                    for v in d.votes), f"{writer.name} {target}")
    else:
        for writer in writers:
            card = layout.board_card[writer.name]
            now = before.theme_of(card)
            theme = layout.place_themes[(layout.place_themes.index(now) + 1) % 4 if now else 0]
            act("place_contribution", {f"place:{card}"},
                lambda writer=writer, card=card, theme=theme: room.as_phone(
                    writer.name, "place_contribution", id=card, theme=theme),
                lambda d, _a, card=card, theme=theme: d.theme_of(card) == theme, f"{card} -> {theme}")

    # -- the host ---------------------------------------------------------------------------------------------
    if mode == "go":
        act("go_to_phase", {"phase", "timer"}, lambda: room.as_host("go_to_phase", item=twins[2], phase=0),
            lambda d, _a: (d.session.current_item, d.session.current_phase) == (twins[2], 0), f"to {twins[2]}")
    else:
        timer = before.session.timer
        duration = timer.duration if timer else float(services.DEFAULT_TIMER_SECONDS)
        act("add_time", {"timer"}, lambda: room.as_host("control_timer", action="add", seconds=60),
            lambda d, _a, duration=duration: d.session.timer is not None and d.session.timer.duration == duration + 60)
    act("reveal_phase", {"revealed"}, lambda: room.as_host("reveal_phase"),
        lambda d, _a: any(k in d.session.revealed for k in candidates))
    names = [f"Ronde {number} tafel {n}" for n in range(1, TABLES + 1)]
    act("set_tables", {"tables"}, lambda: room.as_host("set_tables", tables=names),
        lambda d, _a: [t.name for t in d.session.tables] == names)
    net_a, net_b = layout.net_cards[2 * number: 2 * number + 2]
    first_private = layout.private_card["sharer0"]
    for card, hidden in ((net_a, not before.contributions[net_a].hidden), (star_cards[0], True),
                         (first_private, not before.contributions[first_private].hidden)):
        act("set_contribution_hidden", {f"hidden:{card}"},
            lambda card=card, hidden=hidden: room.as_host("set_contribution_hidden", id=card, hidden=hidden),
            lambda d, _a, card=card, hidden=hidden: d.contributions[card].hidden is hidden, f"{card} {hidden}")
    for card in (net_a, net_b):
        bucket = layout.buckets[(layout.buckets.index(before.contributions[card].bucket) + 1) % len(layout.buckets)]
        act("move_contribution", {f"bucket:{card}"},
            lambda card=card, bucket=bucket: room.as_host("move_contribution", id=card, bucket=bucket),
            lambda d, _a, card=card, bucket=bucket: d.contributions[card].bucket == bucket, f"{card} -> {bucket}")
    for table in create_tables:
        act("create_role_code", {f"role:{table}"},
            lambda table=table: room.as_host("create_role_code", role="tafelvoorzitter", table=table, item=roles_item),
            lambda d, ack, table=table: getattr(d.holder(roles_item, table), "claim_code", None) == ack["code"],
            f"table {table}")
    for table in clear_tables:
        act("clear_role", {f"role:{table}"},
            lambda table=table: room.as_host("clear_role", role="tafelvoorzitter", table=table, item=roles_item),
            lambda d, _a, table=table: d.holder(roles_item, table) is None, f"table {table}")
    for k, theme in enumerate(layout.host_themes):
        name = f"Ronde {number} thema {k}"
        act("edit_board", {f"theme:{theme}"},
            lambda theme=theme, name=name: room.as_host(
                "edit_board", item=layout.board_item, action="rename_theme", theme=theme, name=name),
            lambda d, _a, theme=theme, name=name: d.theme(theme).name == name, name)
    act("set_closing", {"closing"}, lambda: room.as_host("set_closing", closing=False),
        lambda d, _a: d.session.closing is False)
    for part in (("title", "lead"), ("welcome", "closing"))[number % 2]:
        text = f"{part} in ronde {number}"
        act("edit_verslag", {f"edit:{part}"}, lambda part=part, text=text: room.edit_verslag(part, text),
            lambda d, _a, part=part, text=text: d.edits.get(part) == text, part)

    if only is not None:
        seen: Counter[str] = Counter()
        for action in list(actions):
            seen[action.kind] += 1
            if seen[action.kind] > only.get(action.kind, 0):
                actions.remove(action)
    if any(a.kind == "reveal_phase" for a in actions):
        assert not set(candidates) & set(before.session.revealed), "the round needs a phase nobody revealed yet"
    acks = await asyncio.gather(*(a.send() for a in actions))
    tally.record(f"round {number} ({ctx}, {mode})", actions, list(acks), durable(room.data_dir, layout))
