"""A bijeenkomst with a host screen and phones over Socket.IO test clients, for the integration tests."""

from __future__ import annotations

from typing import Any

from facilitator.core import services
from facilitator.core.domain import AgendaItem


def events(client: Any) -> list[tuple[str, Any]]:
    """Return (name, first argument) of everything a test client received since last asked."""
    return [(m["name"], m["args"][0] if m["args"] else None) for m in client.get_received()]


def names(client: Any) -> list[str]:
    return [name for name, _ in events(client)]


class Room:
    """One bijeenkomst with a host screen and phones; the agenda is prepared through the services."""

    def __init__(self, deps: Any, bijeenkomst: dict[str, Any], host: Any, phones: Any) -> None:
        self.deps, self.id, self.host, self.phones = deps, bijeenkomst["id"], host, phones
        self.clients: list[Any] = [host]

    def join(self, **fields: Any) -> Any:
        phone = self.phones.join(**fields)
        self.clients.append(phone)
        self.drain()
        return phone

    def add(self, workformat_id: str, settings: dict[str, Any] | None = None) -> AgendaItem:
        item, _events = services.add_agenda_item(self.deps.repo, self.deps.registry, self.id, workformat_id, settings)
        return item

    def go(self, item_index: int, phase_id: str) -> None:
        session = self.deps.repo.get_session(self.id)
        workformat = services.configured_workformat(self.deps.registry, session.agenda[item_index])
        phase = [p.id for p in workformat.phases].index(phase_id)
        assert self.as_host("go_to_phase", item=item_index, phase=phase) == {"ok": True, "item": item_index, "phase": phase}
        self.drain()

    def as_host(self, event: str, **payload: Any) -> Any:
        return self.host.emit(event, {"session": self.id, **payload}, callback=True)

    def send(self, phone: Any, event: str, **payload: Any) -> Any:
        return phone.emit(event, {"session": self.id, **payload}, callback=True)

    def drain(self) -> None:
        for client in self.clients:
            client.get_received()

    def silent(self, *clients: Any) -> None:
        for client in clients:
            assert events(client) == []
