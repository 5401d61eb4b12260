"""Every pair of state-changing use cases, interleaved at every read and write: no acknowledged change is undone.

Under eventlet a use case gives the floor to others whenever it waits for the disk. Here the store
yields after every read and every write (greenlets, as eventlet's are) and Hypothesis chooses who runs
next, so each pair of use cases meets in every order the real server could produce, and more. After
each race every change whose call returned (what a phone or the host gets acknowledged) must still be
in the stored state.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import greenlet
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from facilitator.core import services
from facilitator.core.domain import Contribution, FacilitatorError, Participant, StaleVersion
from facilitator.core.registry import discover
from facilitator.storage.memory import MemoryRepository, MemorySeries

REGISTRY = discover()
TABLES = 6
PHONES = 6

#: Reads after which the store lets another use case run, as a read that waits would.
YIELDING_READS = ("get_session", "get_contribution", "participant_by_token_hash", "list_participants",
                  "get_report_edits", "get_series", "list_series")


def _yield() -> None:
    """Give the floor back to the scheduler when running inside a raced use case."""
    current = greenlet.getcurrent()
    if current.parent is not None:
        current.parent.switch()


class YieldingRepository:
    """A MemoryRepository that yields after every write (as the real store waits for the disk) and every read."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if name not in YIELDING_READS:
            return attribute

        def read(*args: Any, **kwargs: Any) -> Any:
            value = attribute(*args, **kwargs)
            _yield()
            return value

        return read


def race(calls: list[Callable[[], Any]], choose: Callable[[int], int]) -> list[tuple[bool, Any]]:
    """Run calls as greenlets, resuming the one `choose` picks at every yield; return (acknowledged, value) each."""
    runners = [greenlet.greenlet(call) for call in calls]
    outcomes: list[tuple[bool, Any]] = [(False, None)] * len(calls)
    waiting = list(range(len(calls)))
    while waiting:
        index = waiting[choose(len(waiting))]
        try:
            value = runners[index].switch()
        except FacilitatorError as refused:  # a clear refusal is fine: it was never acknowledged
            assert not isinstance(refused, StaleVersion), "a use case gave up on a document that kept changing"
            outcomes[index] = (False, refused)
            waiting.remove(index)
            continue
        if runners[index].dead:
            outcomes[index] = (True, value)
            waiting.remove(index)
    return outcomes


@dataclass
class Action:
    """One use case as a phone or the host calls it, and how to see afterwards that its change is still there."""

    name: str
    #: What it changes; two actions of one race that touch the same thing may rightly overwrite each other.
    touches: frozenset[str]
    call: Callable[[], Any]
    holds: Callable[[Any], bool]
    extra: dict[str, Any] = field(default_factory=dict)


class Room(RuleBasedStateMachine):
    """A bijeenkomst (open vraag, vier buffers, tafeladvies), six phones and the host; races of 2-3 use cases."""

    def __init__(self) -> None:
        super().__init__()
        self.memory = MemoryRepository(after_write=_yield)
        self.repo = YieldingRepository(self.memory)
        self.series = MemorySeries()
        session = services.create_session(self.memory, REGISTRY, title="Race", date="2026-11-25")
        self.sid = session.id
        services.set_tables(self.memory, self.sid, [f"T{n}" for n in range(1, TABLES + 1)])
        buffers, _ = services.add_agenda_item(self.memory, REGISTRY, self.sid, "vier_buffers", {})
        item, _ = services.add_agenda_item(self.memory, REGISTRY, self.sid, "tafeladvies", {})
        self.item_id = item.id
        self.phones: list[Participant] = [
            services.join(self.memory, self.sid, table=1)[0] for _ in range(PHONES)
        ]
        self.buffer_ids = [b.id for b in services.configured_workformat(REGISTRY, buffers).buckets]
        self.cards = []
        for n in range(4):
            card = Contribution(id=f"card-{n:04d}", participant_id=self.phones[n].id, agenda_item_id=buffers.id,
                                phase_id="vangnet", kind="vangnet", text=f"kaart {n}", created_at=1.0,
                                bucket=self.buffer_ids[0])
            self.memory.add_contribution(self.sid, card)
            self.cards.append(card.id)
        # Unused role codes with their table, for the claims.
        self.codes: list[tuple[str, int]] = [
            (services.create_role_code(self.memory, REGISTRY, self.sid, role="tafelvoorzitter", table=t,
                                       item_id=self.item_id)[0], t)
            for t in (1, 2, 3)
        ]
        self.checks: list[str] = []
        self.counter = itertools.count()

    # -- the catalogue of use cases ------------------------------------------------------------

    def _session(self) -> Any:
        return self.memory.get_session(self.sid)

    def _participant(self, index: int) -> Participant:
        found = self.memory.participant_by_token_hash(self.sid, self.phones[index].token_hash)
        assert found is not None
        return found

    def action(self, kind: str, pick: Callable[[list[Any]], Any]) -> Action:
        """Return a use case of this kind, its arguments chosen with `pick` (one of a list of options)."""
        sid, repo = self.sid, self.repo
        if kind == "go_to":
            item = pick([0, 1, 2])
            phases = len(services.configured_workformat(REGISTRY, self._session().agenda[item]).phases)
            phase = pick(list(range(phases)))
            return Action(kind, frozenset({"phase", "timer"}),
                          lambda: services.go_to(repo, REGISTRY, sid, item, phase),
                          lambda _r: (self._session().current_item, self._session().current_phase) == (item, phase))
        if kind == "add_time":
            before = self._session().timer
            duration = before.duration if before else float(services.DEFAULT_TIMER_SECONDS)
            return Action(kind, frozenset({"timer"}),
                          lambda: services.control_timer(repo, sid, "add", seconds=60),
                          lambda _r: self._session().timer is not None
                          and self._session().timer.duration == duration + 60)
        if kind == "reveal":
            def revealed(result: Any) -> bool:
                session, events = result
                return not events or all(k in self._session().revealed for k in session.revealed)
            return Action(kind, frozenset({"revealed"}), lambda: services.reveal_phase(repo, REGISTRY, sid), revealed)
        if kind == "rename_tables":
            names = [f"{pick(['Zon', 'Maan', 'Ster'])}{n}" for n in range(1, TABLES + 1)]
            return Action(kind, frozenset({"tables"}), lambda: services.set_tables(repo, sid, names),
                          lambda _r: [t.name for t in self._session().tables] == names)
        if kind == "title":
            title = f"Titel {next(self.counter)}"
            return Action(kind, frozenset({"title"}),
                          lambda: services.update_session_details(repo, sid, {"title": title}),
                          lambda _r: self._session().title == title)
        if kind == "create_code":
            table = pick(list(range(1, TABLES + 1)))

            def code_kept(result: Any) -> bool:
                code, _events = result
                self.codes.append((code, table))
                return any(r.claim_code == code for r in self._session().roles)
            return Action(kind, frozenset({f"role:{table}"}), lambda: services.create_role_code(
                repo, REGISTRY, sid, role="tafelvoorzitter", table=table, item_id=self.item_id), code_kept)
        if kind == "claim" and self.codes:
            code, table = self.codes.pop(self.codes.index(pick(self.codes)))
            phone = pick(list(range(PHONES)))
            participant = self._participant(phone)
            return Action(kind, frozenset({f"role:{table}", f"seat:{phone}"}),
                          lambda: services.claim_role(repo, sid, participant, code),
                          lambda _r: any(r.participant_id == participant.id and r.table == table
                                         for r in self._session().roles)
                          and self._participant(phone).table == table)
        if kind in ("claim", "move"):
            phone = pick(list(range(PHONES)))
            table = pick(list(range(1, TABLES + 1)))
            participant = self._participant(phone)
            return Action("move", frozenset({f"seat:{phone}", "roles-of-movers"}),
                          lambda: services.choose_table(repo, sid, participant, table),
                          lambda _r: self._participant(phone).table == table)
        if kind == "hide":
            card = pick(self.cards)
            hidden = pick([True, False])
            return Action(kind, frozenset({f"hidden:{card}"}),
                          lambda: services.set_contribution_hidden(repo, sid, card, hidden),
                          lambda _r: self.memory.get_contribution(sid, card).hidden == hidden)
        if kind == "approve":
            card = pick(self.cards)
            approved = pick([True, False])
            return Action(kind, frozenset({f"approved:{card}"}),
                          lambda: services.approve_contribution(repo, sid, card, approved),
                          lambda _r: self.memory.get_contribution(sid, card).approved == approved)
        if kind == "beamer_view":
            large = pick([True, False])
            qr = pick(list(services.BEAMER_QR_MODES))
            return Action(kind, frozenset({"beamer"}),
                          lambda: services.set_beamer_view(repo, sid, large=large, qr=qr),
                          lambda _r: (self._session().beamer_large, self._session().beamer_qr) == (large, qr))
        if kind == "move_card":
            card = pick(self.cards)
            bucket = pick(self.buffer_ids)
            return Action(kind, frozenset({f"bucket:{card}"}),
                          lambda: services.move_contribution(repo, REGISTRY, sid, card, bucket),
                          lambda _r: self.memory.get_contribution(sid, card).bucket == bucket)
        if kind == "edit_verslag":
            part = pick(["title", "lead", "welcome", "closing"])
            text = f"Tekst {next(self.counter)}"
            return Action(kind, frozenset({f"edit:{part}"}),
                          lambda: services.edit_verslag(repo, sid, {part: text}),
                          lambda _r: self.memory.get_report_edits(sid).get(part) == text)
        if kind == "series":
            motto = f"Motto {next(self.counter)}"
            return Action(kind, frozenset({"series"}),
                          lambda: services.save_series_details(repo, self.series, sid, name="Reeks", motto=motto,
                                                               organisers=[]),
                          lambda _r: self._session().motto == motto and self._session().series == "Reeks")
        raise AssertionError(kind)

    KINDS = ("go_to", "add_time", "reveal", "rename_tables", "title", "create_code", "claim", "move", "hide",
             "move_card", "edit_verslag", "series", "approve", "beamer_view")

    @rule(data=st.data(), kinds=st.lists(st.sampled_from(KINDS), min_size=2, max_size=3))
    def race_them(self, data: st.DataObject, kinds: list[str]) -> None:
        actions = [self.action(kind, lambda options: data.draw(st.sampled_from(options))) for kind in kinds]
        outcomes = race([a.call for a in actions], lambda n: data.draw(st.integers(0, n - 1)))
        for action, (acknowledged, value) in zip(actions, outcomes, strict=True):
            if not acknowledged:
                continue
            others = [a for a in actions if a is not action]
            if any(action.touches & other.touches for other in others):
                continue  # two changes of the same thing: the later one rightly wins
            if not action.holds(value):
                self.checks.append(f"{action.name} undone while racing {[o.name for o in others]}")

    @invariant()
    def no_acknowledged_change_was_undone(self) -> None:
        assert self.checks == []


Room.TestCase.settings = settings(
    max_examples=60, stateful_step_count=8, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_room = Room.TestCase


@pytest.mark.parametrize("first, second", list(itertools.combinations(Room.KINDS, 2)))
def test_every_pair_in_every_order(first: str, second: str) -> None:
    """Each pair of use cases once in each of a few fixed interleavings (first-first, alternating, second-first)."""
    for pattern in ((0,), (0, 1), (1,), (1, 0)):
        room = Room()
        actions = [room.action(kind, lambda options: options[-1]) for kind in (first, second)]
        outcomes = race([a.call for a in actions], _cycling(pattern))
        for action, (acknowledged, value) in zip(actions, outcomes, strict=True):
            other = actions[1] if action is actions[0] else actions[0]
            if acknowledged and not (action.touches & other.touches):
                assert action.holds(value), f"{action.name} undone by {other.name} ({pattern})"


def _cycling(pattern: tuple[int, ...]) -> Callable[[int], int]:
    """Return a scheduler that picks the waiting use cases in a fixed repeating pattern."""
    choices = itertools.cycle(pattern)
    return lambda waiting: next(choices) % waiting
