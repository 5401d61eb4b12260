"""The regie over Socket.IO (threading test client): what the facilitator's own screen gets that the room does not.

Pre-read: a concealed answer's text reaches the host room only, marked concealed; the beamer and the phones never
get it before the reveal (every frame they receive is kept and searched). Next: the regie knows what comes next.
"""

from __future__ import annotations

import json
from typing import Any

from facilitator.core import services
from tests.integration.test_beamer_events import Beamer, beamer, events, host_call, submit  # noqa: F401

CONCEALED = "NOG-NIET-ONTHULD-voorlezen-kanarie"


def conceal_first_item(deps: Any, session_id: str) -> None:
    item = deps.repo.get_session(session_id).agenda[0]
    _item, more = services.update_agenda_item(deps.repo, deps.registry, session_id, item.id,
                                              {"hidden": {"antwoorden": True}})
    deps.publish(more)


def test_the_regie_pre_reads_concealed_answers_the_beamer_and_phones_never_get(
    deps: Any, phones: Any, host_socket: Any, beamer: Beamer, bijeenkomst: dict  # noqa: F811
) -> None:
    sid = bijeenkomst["id"]
    conceal_first_item(deps, sid)
    other = phones.join()
    author = phones.join()
    other_frames: list[Any] = []
    events(host_socket)
    submit(author, sid, "voorlezen-01", CONCEALED)
    host_frames = events(host_socket)
    added = [p["contribution"] for n, p in host_frames if n == "contribution_added"]
    assert added and added[0]["text"] == CONCEALED and added[0]["concealed"] is True
    other_frames.extend(events(other))
    # A reload of the regie gets it too, still marked as not revealed.
    host_socket.emit("join_session", {"session": sid, "role": "host"}, callback=True)
    state = [p for n, p in events(host_socket) if n == "session_state"][-1]
    assert [(c["text"], c["concealed"]) for c in state["contributions"]] == [(CONCEALED, True)]
    # A phone that reloads, and the beamer, never hear the text before the reveal.
    other.emit("join_session", {"session": sid, "role": "participant"}, callback=True)
    other_frames.extend(events(other))
    assert CONCEALED not in json.dumps(other_frames, ensure_ascii=False)
    assert CONCEALED not in beamer.everything()
    assert host_call(host_socket, "reveal_phase", sid) == {"ok": True}
    state = [p for n, p in events(host_socket) if n == "session_state"][-1]
    assert [(c["text"], c["concealed"]) for c in state["contributions"]] == [(CONCEALED, False)]
    assert CONCEALED in beamer.everything()


def test_the_regie_knows_what_comes_next(deps: Any, host_socket: Any, bijeenkomst: dict) -> None:
    sid = bijeenkomst["id"]
    services.add_agenda_item(deps.repo, deps.registry, sid, "vier_buffers", {})
    session = deps.repo.get_session(sid)
    first = services.configured_workformat(deps.registry, session.agenda[0])
    last = len(first.phases) - 1
    events(host_socket)
    assert host_call(host_socket, "go_to_phase", sid, item=0, phase=last)["ok"] is True
    changed = [p for n, p in events(host_socket) if n == "phase_changed"][-1]
    assert changed["next"] == {"item_index": 1, "phase_index": 0, "same_item": False,
                               "workformat_name": "Vier buffers: een vangnet voor ouders",
                               "phase_title": "De vier buffers", "minutes": None}  # an explanation: no timer
    assert host_call(host_socket, "advance_phase", sid)["ok"] is True
    changed = [p for n, p in events(host_socket) if n == "phase_changed"][-1]
    assert changed["next"] == {"item_index": 1, "phase_index": 1, "same_item": True,
                               "workformat_name": "Vier buffers: een vangnet voor ouders",
                               "phase_title": "Vangnet maken", "minutes": 20}
    # At the agenda's last phase nothing comes next; a reloaded regie hears the same.
    buffers = services.configured_workformat(deps.registry, session.agenda[1])
    assert host_call(host_socket, "go_to_phase", sid, item=1, phase=len(buffers.phases) - 1)["ok"] is True
    assert [p for n, p in events(host_socket) if n == "phase_changed"][-1]["next"] is None
    host_socket.emit("join_session", {"session": sid, "role": "host"}, callback=True)
    assert [p for n, p in events(host_socket) if n == "session_state"][-1]["next"] is None


def test_phones_do_not_hear_what_comes_next(deps: Any, phones: Any, host_socket: Any, bijeenkomst: dict) -> None:
    sid = bijeenkomst["id"]
    services.add_agenda_item(deps.repo, deps.registry, sid, "vier_buffers", {})
    phone = phones.join()
    events(phone)
    assert host_call(host_socket, "advance_phase", sid)["ok"] is True
    changed = [p for n, p in events(phone) if n == "phase_changed"]
    assert changed and all("next" not in p for p in changed)


NOTES = "NOTITIE-kanarie: vraag Sammy's moeder om te beginnen"


def test_notes_per_item_are_saved_and_reach_only_the_regie(
    app: Any, deps: Any, host_http: Any, phones: Any, host_socket: Any, beamer: Beamer, bijeenkomst: dict  # noqa: F811
) -> None:
    sid = bijeenkomst["id"]
    item = deps.repo.get_session(sid).agenda[0].id
    phone = phones.join()
    saved = host_http.post(f"/host/s/{sid}/agenda/{item}/notities", json={"notes": NOTES})
    assert saved.status_code == 200 and saved.get_json() == {"ok": True, "notes": NOTES}
    assert deps.repo.get_session(sid).agenda[0].notes == NOTES
    # The regie gets them with its state; a reload of the phone or the beamer does not.
    host_socket.emit("join_session", {"session": sid, "role": "host"}, callback=True)
    state = [p for n, p in events(host_socket) if n == "session_state"][-1]
    assert state["agenda"][0]["notes"] == NOTES
    phone.emit("join_session", {"session": sid, "role": "participant"}, callback=True)
    beamer.client.emit("join_session", {"session": sid, "role": "beamer"}, callback=True)
    assert host_call(host_socket, "advance_phase", sid)["ok"] is not None
    assert NOTES not in json.dumps(events(phone), ensure_ascii=False)
    assert NOTES not in beamer.everything()
    # Not in the verslag, nor in its exports.
    for path in (f"/host/s/{sid}/verslag", f"/host/s/{sid}/verslag.md", f"/host/s/{sid}/verslag.html"):
        page = host_http.get(path)
        assert NOTES not in page.get_data(as_text=True), path
    # Nobody else saves them; an empty text clears them; a wrong item is refused.
    assert app.test_client().post(f"/host/s/{sid}/agenda/{item}/notities", json={"notes": "x"}).status_code == 403
    assert host_http.post(f"/host/s/{sid}/agenda/{item}/notities", json={"notes": "  "}).get_json()["notes"] == ""
    assert host_http.post(f"/host/s/{sid}/agenda/onbekend/notities", json={"notes": "x"}).status_code == 400
    assert host_http.post(f"/host/s/{sid}/agenda/{item}/notities", json={"notes": 5}).status_code == 400
