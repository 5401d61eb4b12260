"""Two bijeenkomsten of a series: in the first the room made afspraken in a composed werkvorm (one of them hidden
by the facilitator, and an idea that is no afspraak); the second is planned after it."""

from __future__ import annotations

from typing import Any

from facilitator.core import services
from facilitator.core.domain import WorkshopSession

COMPOSITION = {"composition": {"name": "Afspraken maken", "phases": [
    {"title": "Ideeën", "prompt": "Wat valt je op?", "answer": "text"},
    {"title": "Afspraken", "prompt": "Wat spreken we af, wie pakt het op en wanneer?", "answer": "action"},
]}}
#: (client id, wat, wie, niveau, wanneer) as phones send them.
MADE = (
    ("afspraak-0001", "Rapport delen met de wethouder", "Gemeente", "bestuur", "maart 2027"),
    ("afspraak-0002", "Wachtlijst in kaart brengen", "Jeugdteam", "uitvoering", ""),
    ("afspraak-0003", "Beleidsnotitie herzien", "Beleidsadviseur", "beleid", "voor de zomer"),
)


def bijeenkomsten(repo: Any, series_repo: Any, registry: Any, *, first_date: str = "2026-11-05",
                  second_date: str = "2027-01-14") -> tuple[WorkshopSession, WorkshopSession]:
    """Return the first bijeenkomst (with its afspraken) and the next one of the series."""
    first = services.create_session(repo, registry, title="Eerste dialoog", date=first_date)
    services.save_series_details(repo, series_repo, first.id, name="Jeugd in de wijk", motto="", organisers=[])
    services.add_agenda_item(repo, registry, first.id, "samengesteld", COMPOSITION)
    index = len(repo.get_session(first.id).agenda) - 1
    phone, _token, _events = services.join(repo, first.id)
    services.go_to(repo, registry, first.id, index, 0)
    services.submit_contribution(repo, registry, first.id, phone, client_id="idee-0001", kind="a1",
                                 text="Meer samenwerking")
    services.go_to(repo, registry, first.id, index, 1)
    for client_id, wat, wie, niveau, wanneer in (*MADE, ("afspraak-0004", "Geheim plan", "Niemand", "beleid", "")):
        services.submit_contribution(repo, registry, first.id, phone, client_id=client_id, kind="a2", text=wat,
                                     tags=[niveau], owner=wie, due=wanneer)
    services.set_contribution_hidden(repo, first.id, "afspraak-0004", True)
    second = services.copy_session(repo, registry, first.id, title="Tweede dialoog", date=second_date)
    return repo.get_session(first.id), second
