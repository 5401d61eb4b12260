"""A phone knows what happened to what it sent (issue 14, point 6): its own items carry a `status`.

"sent" as usual; "hidden" once the facilitator hid it: the author's phone keeps the text, marked, and still counts it
(before, it vanished and the phone said "Nog niets verstuurd", so people sent it again). The hidden text goes to no
other phone: not the table, not a listening inbrenger, and not in anyone else's state after a reconnect.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from facilitator.core import services
from tests.support.rooms import Room, events, names


@pytest.fixture
def room(deps: Any, bijeenkomst: dict[str, Any], host_socket: Any, phones: Any) -> Room:
    made = Room(deps, bijeenkomst, host_socket, phones)
    made.drain()
    return made


def reconnect(room: Room, phone: Any) -> dict[str, Any]:
    """Open a second connection with the phone's token; return the session_state it gets."""
    again = room.phones.socketio.test_client(room.phones.app, auth={"token": phone.token})
    room.clients.append(again)
    assert again.emit("join_session", {"session": room.id, "role": "participant"}, callback=True)["ok"]
    [(name, state)] = events(again)
    assert name == "session_state"
    return dict(state)


def only(client: Any) -> tuple[str, dict[str, Any]]:
    [(name, payload)] = events(client)
    return name, payload["contribution"]


TEXT = "Mijn buurvrouw Anja de Vries belt altijd als het niet gaat"


def test_the_author_sees_its_hidden_contribution_marked_and_nobody_else_sees_it(room: Room) -> None:
    author, tablemate, elsewhere = room.join(table=1), room.join(table=1), room.join(table=2)
    assert room.send(author, "submit_contribution", client_id="eigen-00001", text=TEXT) == {"ok": True, "id": "eigen-00001"}
    name, mine = only(author)
    assert (name, mine["text"], mine["status"], mine["hidden"]) == ("contribution_added", TEXT, "sent", False)
    [(_, host_payload)] = events(room.host)
    assert "status" not in host_payload["contribution"]  # the status belongs to the author's own phone
    room.silent(tablemate, elsewhere)

    # The facilitator hides it: the author's phone hears at once, keeps the text and is told why it left the screen.
    assert room.as_host("set_contribution_hidden", id="eigen-00001", hidden=True) == {"ok": True, "id": "eigen-00001", "hidden": True}
    name, mine = only(author)
    assert (name, mine["id"], mine["text"], mine["status"], mine["hidden"]) == ("contribution_updated", "eigen-00001", TEXT, "hidden", True)
    assert names(room.host) == ["contribution_updated"]
    room.silent(tablemate, elsewhere)

    # After a reload or reconnect the author's state still has it, hidden, with its text; it still counts as sent.
    state = reconnect(room, author)
    [own] = state["contributions"]
    assert (own["id"], own["text"], own["status"], own["hidden"]) == ("eigen-00001", TEXT, "hidden", True)
    for other in (tablemate, elsewhere):
        assert TEXT not in json.dumps(reconnect(room, other))
    room.drain()

    # Shown again: "sent" again, on the author's phone only (the others never had it).
    room.as_host("set_contribution_hidden", id="eigen-00001", hidden=False)
    name, mine = only(author)
    assert (name, mine["status"], mine["hidden"]) == ("contribution_updated", "sent", False)
    assert [c["status"] for c in reconnect(room, author)["contributions"]] == ["sent"]
    room.silent(tablemate, elsewhere)


def test_a_hidden_contribution_still_counts_towards_the_limit(room: Room) -> None:
    room.add("roddelmethode")
    inbrenger = room.join(table=1)
    room.go(1, "inbreng")
    room.as_host("assign_role", role="inbrenger", number=1)
    room.drain()
    for n in range(3):  # a hulpvraag: three per inbrenger
        assert room.send(inbrenger, "submit_contribution", client_id=f"vraag-0000{n}", text=f"Vraag {n}")["ok"]
    room.as_host("set_contribution_hidden", id="vraag-00000", hidden=True)
    refused = room.send(inbrenger, "submit_contribution", client_id="vraag-00009", text="Vraag 9")
    assert refused["error"]["code"] == "limit_reached"
    statuses = [(c["id"], c["status"]) for c in reconnect(room, inbrenger)["contributions"]]
    assert statuses == [("vraag-00000", "hidden"), ("vraag-00001", "sent"), ("vraag-00002", "sent")]


def test_a_hidden_roddel_leaves_the_listening_inbrenger_without_its_text(room: Room) -> None:
    room.add("roddelmethode")
    inbrenger, author = room.join(table=1), room.join(table=1)
    room.go(1, "roddelen")
    room.as_host("assign_role", role="inbrenger", number=1)
    room.drain()
    secret = "Finn zijn vader drinkt, zegt de buurvrouw"
    ack = room.send(author, "submit_contribution", client_id="roddel-0001", text=secret, kind="roddel", tags=["hypothese"])
    assert ack == {"ok": True, "id": "roddel-0001"}
    name, heard = only(inbrenger)
    assert (name, heard["text"]) == ("contribution_added", secret)
    assert "status" not in heard  # not the inbrenger's own
    room.drain()

    room.as_host("set_contribution_hidden", id="roddel-0001", hidden=True)
    # The inbrenger's phone is told to take it away (before, it heard nothing and kept showing it), without the text.
    name, heard = only(inbrenger)
    assert (name, heard["id"], heard["hidden"], heard["text"]) == ("contribution_updated", "roddel-0001", True, "")
    name, mine = only(author)
    assert (name, mine["text"], mine["status"]) == ("contribution_updated", secret, "hidden")
    state = reconnect(room, inbrenger)
    assert state["listening"] == [] and secret not in json.dumps(state)
    room.drain()

    room.as_host("set_contribution_hidden", id="roddel-0001", hidden=False)
    name, heard = only(inbrenger)
    assert (name, heard["text"], heard["hidden"]) == ("contribution_updated", secret, False)
    assert [c["id"] for c in reconnect(room, inbrenger)["listening"]] == ["roddel-0001"]


def test_a_hidden_table_advice_goes_to_its_submitter_only(room: Room) -> None:
    item = room.add("tafeladvies")
    anna, bram = room.join(table=1), room.join(table=1)
    room.go(1, "advies")
    room.send(anna, "save_table_draft", kind="advies", slot=1, text="Bel de ouders van Sanne op 06-12345678", base_version=0)
    assert room.send(anna, "submit_table_drafts", kind="advies")["ok"]
    room.drain()
    advice = services.table_item_id(item.id, "advies", 1, 1)

    room.as_host("set_contribution_hidden", id=advice, hidden=True)
    name, mine = only(anna)  # one event, though anna is at the table too
    assert (name, mine["status"], mine["text"]) == ("contribution_updated", "hidden", "Bel de ouders van Sanne op 06-12345678")
    name, theirs = only(bram)
    assert (name, theirs["id"], theirs["hidden"], theirs["text"]) == ("contribution_updated", advice, True, "")
    assert advice not in {c["id"] for c in reconnect(room, bram)["contributions"]}
