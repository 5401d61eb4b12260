"""The beamer over Socket.IO (threading test client): who may join it, and that it hears only what the room may see.

Every frame the beamer receives is kept and searched for canary texts: a hidden contribution, one waiting for
approval, one waiting for the reveal, a role code, an e-mail address. None may ever be in any of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from facilitator.core import services

HIDDEN = "VERBORGEN-kanarie 06-12345678"
PENDING = "NIET-GOEDGEKEURD-kanarie"
CONCEALED = "NOG-NIET-ONTHULD-kanarie"
EMAIL = "kanarie@example.org"


def events(client: Any) -> list[tuple[str, Any]]:
    return [(m["name"], m["args"][0] if m["args"] else None) for m in client.get_received()]


class Beamer:
    """A beamer window: keeps every frame it received, to search them all at the end."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.frames: list[tuple[str, Any]] = []

    def take(self) -> list[tuple[str, Any]]:
        new = events(self.client)
        self.frames.extend(new)
        return new

    def everything(self) -> str:
        self.take()
        return json.dumps(self.frames, ensure_ascii=False)

    def state(self) -> dict[str, Any]:
        states = [payload for name, payload in self.take() if name == "session_state"]
        assert states, "no session_state"
        return states[-1]


@pytest.fixture
def beamer(app: Any, socketio: Any, host_http: Any, bijeenkomst: dict[str, Any]) -> Iterator[Beamer]:
    client = socketio.test_client(app, flask_test_client=host_http)
    ack = client.emit("join_session", {"session": bijeenkomst["id"], "role": "beamer"}, callback=True)
    assert ack == {"ok": True, "role": "beamer"}
    yield Beamer(client)
    if client.is_connected():
        client.disconnect()


def host_call(host: Any, event: str, session: str, **data: Any) -> Any:
    return host.emit(event, {"session": session, **data}, callback=True)


def submit(phone: Any, session: str, client_id: str, text: str, **data: Any) -> Any:
    return phone.emit("submit_contribution", {"session": session, "client_id": client_id, "text": text, **data},
                      callback=True)


def approve_first(deps: Any, session_id: str, **more: Any) -> None:
    item = deps.repo.get_session(session_id).agenda[0]
    _item, events_ = services.update_agenda_item(
        deps.repo, deps.registry, session_id, item.id, {"approve_first": True, **more}
    )
    deps.publish(events_)


# -- who may be the beamer ---------------------------------------------------------------------------


def test_the_beamer_joins_with_the_facilitators_cookie_and_gets_its_own_state(beamer: Beamer, bijeenkomst: dict) -> None:
    state = beamer.state()
    assert state["role"] == "beamer"
    assert state["session"] == {"id": bijeenkomst["id"], "title": "Dialoogsessie", "date": state["session"]["date"],
                                "series": "Mentale veerkracht"}
    assert state["step"]["display"] == "wall" and state["step"]["prompt"].startswith("Wat houdt je bezig")
    assert state["contributions"] == [] and state["concealed"] == 0
    assert state["view"] == {"large": False, "qr": "auto"}
    assert "join_code" not in json.dumps(state)  # the QR code and the code are in the page, not in the state
    assert set(state["step"]) >= {"workformat_name", "phase_title", "prompt", "display", "buckets", "kinds"}
    assert "prompts" not in state["step"] and "views" not in state["step"]  # nothing per role


def test_nobody_else_joins_as_the_beamer(app: Any, socketio: Any, phones: Any, bijeenkomst: dict) -> None:
    refused = {"ok": False, "error": {"code": "not_authorised", "message": "Dit mag alleen de gespreksleider."}}
    stranger = socketio.test_client(app)
    assert stranger.emit("join_session", {"session": bijeenkomst["id"], "role": "beamer"}, callback=True) == refused
    assert events(stranger) == []
    phone = phones.join()
    events(phone)
    # A phone's own cookie, or its token, does not make it a beamer; and it stays the phone it was.
    assert phone.emit("join_session", {"session": bijeenkomst["id"], "role": "beamer"}, callback=True) == refused
    assert phone.emit("join_session", {"session": bijeenkomst["id"], "role": "beamer", "token": phone.token},
                      callback=True) == refused
    assert events(phone) == []
    forged = {"session": bijeenkomst["id"], "role": "beamer", "token": "forged-" + "A" * 40}
    assert stranger.emit("join_session", forged, callback=True) == refused
    stranger.disconnect()


def test_the_beamer_cannot_steer(beamer: Beamer, bijeenkomst: dict) -> None:
    beamer.take()
    for event in ("advance_phase", "approve_all", "reveal_phase"):
        ack = host_call(beamer.client, event, bijeenkomst["id"])
        assert ack["ok"] is False and ack["error"]["code"] == "not_authorised", (event, ack)
    assert beamer.take() == []


def test_the_beamer_page_needs_the_cookie_and_has_no_controls(app: Any, host_http: Any, bijeenkomst: dict) -> None:
    page = host_http.get(f"/host/s/{bijeenkomst['id']}/beamer")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for tag in ("<button", "<input", "<select", "<textarea", "<form"):
        assert tag not in html
    assert bijeenkomst["join_code"] in html and 'id="stage"' in html
    assert app.test_client().get(f"/host/s/{bijeenkomst['id']}/beamer").status_code == 403
    assert host_http.get("/host/s/000000000000/beamer").status_code == 404


# -- what reaches it ----------------------------------------------------------------------------------


def test_approval_decides_what_the_beamer_shows(
    deps: Any, phones: Any, host_socket: Any, beamer: Beamer, bijeenkomst: dict
) -> None:
    sid = bijeenkomst["id"]
    approve_first(deps, sid)
    beamer.take()
    phone = phones.join()
    events(phone), events(host_socket)
    assert submit(phone, sid, "approve-me-01", "Meer tijd voor gesprekken") == {"ok": True, "id": "approve-me-01"}
    assert submit(phone, sid, "pending-one-01", PENDING) == {"ok": True, "id": "pending-one-01"}
    # The author hears "pending"; the regie gets it marked; the beamer hears nothing of either.
    mine = [p["contribution"] for name, p in events(phone) if name == "contribution_added"]
    assert [(c["id"], c["status"]) for c in mine] == [("approve-me-01", "pending"), ("pending-one-01", "pending")]
    on_host = [p["contribution"] for name, p in events(host_socket) if name == "contribution_added"]
    assert [(c["id"], c["pending"]) for c in on_host] == [("approve-me-01", True), ("pending-one-01", True)]
    assert beamer.take() == []

    assert host_call(host_socket, "approve_contribution", sid, id="approve-me-01") == {
        "ok": True, "id": "approve-me-01", "approved": True}
    [(name, payload)] = beamer.take()
    assert name == "beamer_contribution"
    assert payload["contribution"]["text"] == "Meer tijd voor gesprekken"
    assert set(payload["contribution"]) == {"id", "agenda_item", "phase", "kind", "text", "created_at", "table",
                                            "perspective", "bucket", "tags", "ranking", "owner", "due", "function",
                                            "starred", "slot"}
    assert [(p["contribution"]["id"], p["contribution"]["status"]) for n, p in events(phone)] == [
        ("approve-me-01", "sent")]
    assert [(p["contribution"]["id"], p["contribution"]["pending"]) for n, p in events(host_socket)] == [
        ("approve-me-01", False)]
    # A reload of the beamer gets the same: the approved one only.
    beamer.client.emit("join_session", {"session": sid, "role": "beamer"}, callback=True)
    assert [c["id"] for c in beamer.state()["contributions"]] == ["approve-me-01"]
    # Held back again: the beamer drops it.
    host_call(host_socket, "approve_contribution", sid, id="approve-me-01", approved=False)
    assert beamer.take() == [("beamer_contribution_removed", {"id": "approve-me-01"})]
    ack = host_call(host_socket, "approve_contribution", sid, id="approve-me-01", approved="ja")
    assert ack["error"]["field"] == "approved"
    assert PENDING not in beamer.everything()


def test_approve_all_and_a_hidden_one_never_reaches_the_beamer(
    deps: Any, phones: Any, host_socket: Any, beamer: Beamer, bijeenkomst: dict
) -> None:
    sid = bijeenkomst["id"]
    approve_first(deps, sid)
    phone = phones.join()
    submit(phone, sid, "first-one-01", "Eerste")
    submit(phone, sid, "second-one-1", "Tweede")
    submit(phone, sid, "hidden-one-1", HIDDEN)
    assert host_call(host_socket, "set_contribution_hidden", sid, id="hidden-one-1", hidden=True)["ok"] is True
    beamer.take()
    ack = host_call(host_socket, "approve_all", sid)
    assert ack == {"ok": True, "ids": ["first-one-01", "second-one-1"]}
    assert [(n, p["contribution"]["text"]) for n, p in beamer.take()] == [
        ("beamer_contribution", "Eerste"), ("beamer_contribution", "Tweede")]
    # Shown again by the host, the hidden one still waits for approval: the beamer hears nothing, not even its id.
    host_call(host_socket, "set_contribution_hidden", sid, id="hidden-one-1", hidden=False)
    assert beamer.take() == []
    host_call(host_socket, "set_contribution_hidden", sid, id="hidden-one-1", hidden=True)
    assert "hidden-one-1" not in beamer.everything()
    # Approved and then hidden: removed from the beamer at once.
    host_call(host_socket, "approve_contribution", sid, id="first-one-01", approved=True)
    host_call(host_socket, "set_contribution_hidden", sid, id="first-one-01", hidden=True)
    assert beamer.take()[-1] == ("beamer_contribution_removed", {"id": "first-one-01"})
    assert HIDDEN not in beamer.everything()
    assert host_call(host_socket, "approve_all", sid, item="no-such-item")["error"]["code"] == "not_found"


def test_without_approve_first_contributions_reach_the_beamer_at_once(
    phones: Any, beamer: Beamer, bijeenkomst: dict
) -> None:
    phone = phones.join()
    events(phone)
    beamer.take()
    submit(phone, bijeenkomst["id"], "direct-one-1", "Meteen zichtbaar")
    assert [(n, p["contribution"]["text"]) for n, p in beamer.take()] == [("beamer_contribution", "Meteen zichtbaar")]
    assert [p["contribution"]["status"] for n, p in events(phone)] == ["sent"]


def test_switching_approve_first_tells_the_authors(deps: Any, phones: Any, beamer: Beamer, bijeenkomst: dict) -> None:
    sid = bijeenkomst["id"]
    phone = phones.join()
    submit(phone, sid, "before-switch", "Al verstuurd")
    events(phone)
    beamer.take()
    approve_first(deps, sid)
    assert [(n, p["contribution"]["status"]) for n, p in events(phone) if n == "contribution_updated"] == [
        ("contribution_updated", "pending")]
    # The beamer's next state holds it back too.
    assert beamer.state()["contributions"] == []


def test_concealed_answers_reach_the_beamer_only_as_a_count(
    deps: Any, phones: Any, host_socket: Any, beamer: Beamer, bijeenkomst: dict
) -> None:
    sid = bijeenkomst["id"]
    item = deps.repo.get_session(sid).agenda[0]
    _item, more = services.update_agenda_item(deps.repo, deps.registry, sid, item.id, {"hidden": {"antwoorden": True}})
    deps.publish(more)
    beamer.take()
    phone = phones.join()
    submit(phone, sid, "concealed-01", CONCEALED)
    state = beamer.state()
    assert state["concealed"] == 1 and state["contributions"] == []
    assert host_call(host_socket, "reveal_phase", sid) == {"ok": True}
    state = beamer.state()
    assert [c["text"] for c in state["contributions"]] == [CONCEALED]


def test_role_codes_addresses_and_counts_per_table_never_reach_the_beamer(
    deps: Any, phones: Any, host_socket: Any, beamer: Beamer, bijeenkomst: dict
) -> None:
    sid = bijeenkomst["id"]
    services.add_agenda_item(deps.repo, deps.registry, sid, "roddelmethode", {})
    assert host_call(host_socket, "go_to_phase", sid, item=1, phase=0)["ok"] is True
    code = host_call(host_socket, "create_role_code", sid, role="inbrenger")["code"]
    phone = phones.join(table=2, perspective="ouder")
    assert host_call(host_socket, "set_closing", sid, closing=True)["ok"] is True
    ack = phone.emit("request_verslag", {"session": sid, "email": EMAIL, "consent": True}, callback=True)
    assert ack["ok"] is True
    everything = beamer.everything()
    assert code not in everything and EMAIL not in everything
    assert "participants_changed" not in everything and "roles_changed" not in everything
    assert "mail_optins_changed" not in everything and "closing_changed" not in everything


def test_a_table_and_perspective_show_only_for_groups_of_three(
    deps: Any, phones: Any, beamer: Beamer, bijeenkomst: dict
) -> None:
    sid = bijeenkomst["id"]
    beamer.take()
    parent = phones.join(table=1, perspective="ouder")
    submit(parent, sid, "the-one-parent", "Mijn zorg")
    [(name, payload)] = beamer.take()
    assert (payload["contribution"]["table"], payload["contribution"]["perspective"]) == (None, None)
    # Two teachers sit down at table 1: three at the table, still one parent there.
    phones.join(table=1, perspective="onderwijs")
    phones.join(table=1, perspective="onderwijs")
    state = beamer.state()
    [shown] = state["contributions"]
    assert (shown["table"], shown["perspective"]) == (1, None)
    # The threshold is the bijeenkomst's: at 1 the parent's perspective shows too.
    _session, more = services.update_session_details(deps.repo, sid, {"privacy_threshold": 1})
    deps.publish(more)
    [shown] = beamer.state()["contributions"]
    assert (shown["table"], shown["perspective"]) == (1, "ouder")


def test_timer_votes_and_view_follow_the_regie(
    deps: Any, phones: Any, host_socket: Any, beamer: Beamer, bijeenkomst: dict
) -> None:
    sid = bijeenkomst["id"]
    services.add_agenda_item(deps.repo, deps.registry, sid, "stemmen", {"options": ["Tijd", "Geld"], "dots": 2})
    host_call(host_socket, "go_to_phase", sid, item=1, phase=0)
    state = beamer.state()
    assert state["votes"]["targets"] == [{"id": "option-1", "text": "Tijd"}, {"id": "option-2", "text": "Geld"}]
    host_call(host_socket, "control_timer", sid, action="start")
    assert [n for n, _ in beamer.take()] == ["timer_changed"]
    phone = phones.join()
    assert phone.emit("cast_vote", {"session": sid, "target": "option-2", "on": True}, callback=True)["ok"] is True
    assert beamer.take() == [("votes_changed", {"agenda_item": state["votes"]["agenda_item"],
                                                "tallies": {"option-1": 0, "option-2": 1}})]
    ack = host_call(host_socket, "set_beamer_view", sid, large=True, qr="small")
    assert ack == {"ok": True, "large": True, "qr": "small"}
    assert beamer.take() == [("beamer_view_changed", {"large": True, "qr": "small"})]
    assert ("beamer_view_changed", {"large": True, "qr": "small"}) in events(host_socket)
    assert "beamer_view_changed" not in [n for n, _ in events(phone)]
    assert host_call(host_socket, "set_beamer_view", sid, qr="reusachtig")["error"]["field"] == "qr"
    beamer.client.emit("join_session", {"session": sid, "role": "beamer"}, callback=True)
    assert beamer.state()["view"] == {"large": True, "qr": "small"}


def test_the_board_reaches_the_beamer_without_pending_cards(
    deps: Any, phones: Any, host_socket: Any, beamer: Beamer, bijeenkomst: dict
) -> None:
    sid = bijeenkomst["id"]
    approve_first(deps, sid)
    first = deps.repo.get_session(sid).agenda[0]
    phone = phones.join()
    submit(phone, sid, "board-card-1", "Tijd voor elkaar")
    submit(phone, sid, "board-card-2", PENDING)
    host_call(host_socket, "approve_contribution", sid, id="board-card-1")
    services.add_agenda_item(deps.repo, deps.registry, sid, "rode_draden", {})
    host_call(host_socket, "go_to_phase", sid, item=1, phase=0)
    board = beamer.state()["board"]
    assert board["agenda_item"] == first.id
    assert board["unsorted"] == [{"id": "board-card-1", "text": "Tijd voor elkaar"}]
    ack = host_call(host_socket, "edit_board", sid, item=first.id, action="add_theme", name="Tijd",
                    cards=["board-card-1"])
    assert ack["ok"] is True, ack
    [(name, payload)] = [f for f in beamer.take() if f[0] == "beamer_board"]
    assert payload["board"]["themes"] == [{"id": ack["theme"], "name": "Tijd",
                                           "cards": [{"id": "board-card-1", "text": "Tijd voor elkaar"}]}]
    assert PENDING not in beamer.everything()


def test_a_deleted_bijeenkomst_ends_the_beamer_too(deps: Any, beamer: Beamer, bijeenkomst: dict) -> None:
    beamer.take()
    deps.publish(services.delete_session(deps.repo, deps.series, bijeenkomst["id"]))
    assert beamer.take() == [("session_ended", {})]


# -- the prepare page ---------------------------------------------------------------------------------


def test_approve_first_is_set_per_item_on_the_prepare_page(
    host_http: Any, deps: Any, bijeenkomst: dict, phones: Any
) -> None:
    sid = bijeenkomst["id"]
    item = deps.repo.get_session(sid).agenda[0].id
    page = host_http.get(f"/host/s/{sid}/voorbereiden").get_data(as_text=True)
    assert 'name="approve_first" value="1">' in page  # off by default
    phone = phones.join()
    submit(phone, sid, "before-prepare", "Al verstuurd")
    events(phone)
    response = host_http.post(f"/host/s/{sid}/agenda/{item}", data={"title": "", "approve_first": "1"})
    assert response.status_code == 303
    assert deps.repo.get_session(sid).agenda[0].settings == {"approve_first": True}
    assert 'name="approve_first" value="1" checked>' in host_http.get(f"/host/s/{sid}/voorbereiden").get_data(
        as_text=True)
    # The phone that already sent hears that its item now waits for the facilitator.
    assert [p["contribution"]["status"] for n, p in events(phone) if n == "contribution_updated"] == ["pending"]
    # Unticked: stored without it again.
    host_http.post(f"/host/s/{sid}/agenda/{item}", data={"title": ""})
    assert deps.repo.get_session(sid).agenda[0].settings == {}
    assert [p["contribution"]["status"] for n, p in events(phone) if n == "contribution_updated"] == ["sent"]


def test_the_small_group_threshold_is_set_on_the_prepare_page(host_http: Any, deps: Any, bijeenkomst: dict) -> None:
    sid = bijeenkomst["id"]
    page = host_http.get(f"/host/s/{sid}/voorbereiden").get_data(as_text=True)
    assert 'name="privacy_threshold" type="number" min="1" max="99" required value="3"' in page
    response = host_http.post(f"/host/s/{sid}/gegevens", data={"privacy_threshold": "4"})
    assert response.status_code == 303
    assert deps.repo.get_session(sid).privacy_threshold == 4
    response = host_http.post(f"/host/s/{sid}/gegevens", data={"privacy_threshold": "0"})
    assert response.status_code == 400
    assert "Tafel en rol op de beamer" in response.get_data(as_text=True)
    assert deps.repo.get_session(sid).privacy_threshold == 4
    # Another field saved alone keeps it.
    host_http.post(f"/host/s/{sid}/gegevens", data={"title": "Nieuwe titel"})
    assert deps.repo.get_session(sid).privacy_threshold == 4


def test_the_regie_offers_the_beamer_and_approval(host_http: Any, bijeenkomst: dict) -> None:
    page = host_http.get(f"/host/s/{bijeenkomst['id']}").get_data(as_text=True)
    assert f'href="/host/s/{bijeenkomst["id"]}/beamer" target="rode-draad-beamer"' in page
    assert 'id="approval-bar"' in page and 'id="approve-next"' in page and 'id="approve-all"' in page
    assert 'id="beamer-large"' in page


def test_the_join_screen_says_when_a_table_or_role_is_shown(app: Any, host_http: Any, bijeenkomst: dict) -> None:
    text = app.test_client().get(f"/j/{bijeenkomst['join_code']}").get_data(as_text=True)
    assert ("Je tafel en je rol staan er alleen bij als minstens 3 deelnemers die tafel of die rol delen, "
            "zodat niemand herkenbaar is.") in text
    host_http.post(f"/host/s/{bijeenkomst['id']}/gegevens", data={"privacy_threshold": "5"})
    text = app.test_client().get(f"/j/{bijeenkomst['join_code']}").get_data(as_text=True)
    assert "alleen bij als minstens 5 deelnemers" in text
