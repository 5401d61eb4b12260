"""An answer that waited in a phone's outbox while the host moved on is never filed under the next question."""

from __future__ import annotations

from typing import Any

from tests.support.rooms import Room


def test_outbox_item_for_an_earlier_question_is_refused_not_misfiled(
    deps: Any, bijeenkomst: dict[str, Any], host_socket: Any, phones: Any
) -> None:
    room = Room(deps, bijeenkomst, host_socket, phones)
    first = deps.repo.get_session(room.id).agenda[0]
    second = room.add("open_vraag", {"prompt": "Wat is de tweede vraag?"})
    phone = room.join()

    def submit(client_id: str, agenda_item: Any) -> Any:
        return room.send(phone, "submit_contribution", client_id=client_id, text=f"Tekst {client_id}",
                         agenda_item=agenda_item)

    assert submit("vraag1-verstuurd", first.id) == {"ok": True, "id": "vraag1-verstuurd"}
    room.go(1, "antwoorden")
    # Written for question 1 while offline, sent after the host opened question 2 (also an open question,
    # so the kind alone cannot tell): refused, so the phone gives the text back instead of misfiling it.
    late = submit("vraag1-te-laat", first.id)
    assert late == {"ok": False, "error": {
        "code": "phase_not_open",
        "message": "Die vraag is inmiddels gesloten. Je tekst staat weer in het tekstvak: verstuur hem opnieuw als hij "
                   "ook bij deze vraag past.",
    }}
    # A resend of what question 1 already stored still gets its acknowledgement, and stores nothing.
    assert submit("vraag1-verstuurd", first.id) == {"ok": True, "id": "vraag1-verstuurd"}
    assert submit("vraag2-antwoord", second.id) == {"ok": True, "id": "vraag2-antwoord"}
    assert submit("zonder-vraag", None) == {"ok": True, "id": "zonder-vraag"}  # older pages sent no agenda item
    wrong_type = submit("kapot-veld-1", 7)
    assert wrong_type["ok"] is False and wrong_type["error"]["code"] == "invalid_input"
    stored = {c.id: c.agenda_item_id for c in deps.repo.list_contributions(room.id)}
    assert stored == {"vraag1-verstuurd": first.id, "vraag2-antwoord": second.id, "zonder-vraag": second.id}
