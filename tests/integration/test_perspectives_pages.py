"""The facilitator's perspectives over HTTP: Voorbereiden sets them, the join page offers them, the server holds to
them, and the regie, verslag and CSV speak their words."""

from __future__ import annotations

from typing import Any


def _participants(deps: Any, bijeenkomst: dict) -> list:
    return deps.repo.list_participants(bijeenkomst["id"])


def _gemeente(host_http: Any, bijeenkomst: dict) -> None:
    response = host_http.post(f"/host/s/{bijeenkomst['id']}/perspectieven", data={"preset": "gemeente"})
    assert response.status_code == 303


def test_the_join_page_offers_exactly_the_bijeenkomsts_perspectives(app: Any, host_http: Any, bijeenkomst: dict
                                                                    ) -> None:
    phone = app.test_client()
    before = phone.get(f"/j/{bijeenkomst['join_code']}").get_data(as_text=True)
    assert 'value="ouder"' in before and 'value="beleid"' not in before
    _gemeente(host_http, bijeenkomst)
    page = phone.get(f"/j/{bijeenkomst['join_code']}").get_data(as_text=True)
    assert [v for v in ("gemeente", "beleid", "bestuur", "uitvoering", "ouder", "zorg") if f'value="{v}"' in page] == [
        "gemeente", "beleid", "bestuur", "uitvoering"]
    assert "> Beleid</label>" in page


def test_a_phone_joins_as_beleid_and_regie_verslag_and_csv_say_beleid(app: Any, host_http: Any, bijeenkomst: dict,
                                                                       deps: Any) -> None:
    _gemeente(host_http, bijeenkomst)
    phone = app.test_client()
    assert phone.post(f"/j/{bijeenkomst['join_code']}", data={"perspective": "beleid"}).status_code == 303
    assert [p.perspective for p in _participants(deps, bijeenkomst)] == ["beleid"]
    with app.test_request_context("/"):
        counts = deps.realtime.host_state(bijeenkomst["id"])["participants"]
    assert counts["perspectives"] == [{"id": "beleid", "joined": 1}]
    regie = host_http.get(f"/host/s/{bijeenkomst['id']}").get_data(as_text=True)
    assert '"perspective:beleid": "beleid"' in regie and '"perspective:ouder"' not in regie
    assert '"provenance:beleid:many": "%(num)s beleid"' in regie and 'id="perspective-counts"' in regie
    beamer = host_http.get(f"/host/s/{bijeenkomst['id']}/beamer").get_data(as_text=True)
    assert '"perspective:beleid": "beleid"' in beamer
    verslag = host_http.get(f"/host/s/{bijeenkomst['id']}/verslag.md").get_data(as_text=True)
    assert "Er deed 1 persoon mee: 1 beleid." in verslag


def test_a_perspective_not_in_the_list_is_refused_in_dutch_and_nothing_joins(app: Any, host_http: Any,
                                                                             bijeenkomst: dict, deps: Any) -> None:
    _gemeente(host_http, bijeenkomst)
    phone = app.test_client()
    response = phone.post(f"/j/{bijeenkomst['join_code']}", data={"perspective": "ouder"})
    assert response.status_code == 400
    assert "Deze bijeenkomst kent dat perspectief niet." in response.get_data(as_text=True)
    refused = phone.post(f"/j/{bijeenkomst['join_code']}", json={"perspective": "<script>"})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["message"].startswith("Deze bijeenkomst kent dat perspectief niet.")
    assert _participants(deps, bijeenkomst) == []
    assert "rd_p_" not in response.headers.get("Set-Cookie", "")


def test_voorbereiden_renames_adds_reorders_and_will_not_remove_a_chosen_one(app: Any, host_http: Any,
                                                                             bijeenkomst: dict, deps: Any) -> None:
    sid = bijeenkomst["id"]
    _gemeente(host_http, bijeenkomst)
    page = host_http.get(f"/host/s/{sid}/voorbereiden").get_data(as_text=True)
    assert 'name="p-1-singular" maxlength="60" value="beleid"' in page
    app.test_client().post(f"/j/{bijeenkomst['join_code']}", data={"perspective": "beleid"})
    form = {
        "p-0-id": "gemeente", "p-0-singular": "gemeente", "p-0-plural": "gemeente", "p-0-order": "3",
        "p-1-id": "beleid", "p-1-singular": "beleidsmaker", "p-1-plural": "beleidsmakers", "p-1-order": "1",
        "p-2-id": "bestuur", "p-2-singular": "bestuur", "p-2-plural": "bestuur", "p-2-order": "2", "p-2-remove": "1",
        "p-3-id": "uitvoering", "p-3-singular": "uitvoering", "p-3-plural": "uitvoering", "p-3-order": "4",
        "p-4-id": "", "p-4-singular": "Jeugdarts", "p-4-plural": "jeugdartsen", "p-4-order": "2",
        "p-5-id": "", "p-5-singular": "", "p-5-plural": "", "p-5-order": "6",
    }
    assert host_http.post(f"/host/s/{sid}/perspectieven", data=form).status_code == 303
    saved = deps.repo.get_session(sid).perspectives
    assert [(p.id, p.singular) for p in saved] == [("beleid", "beleidsmaker"), ("jeugdarts", "Jeugdarts"),
                                                   ("gemeente", "gemeente"), ("uitvoering", "uitvoering")]
    page = host_http.get(f"/host/s/{sid}/voorbereiden").get_data(as_text=True)
    assert "Gekozen door 1 deelnemer: alleen een andere naam is mogelijk." in page
    refused = host_http.post(f"/host/s/{sid}/perspectieven", data={**form, "p-1-remove": "1"})
    assert refused.status_code == 400
    assert "Deelnemers hebben beleidsmaker al gekozen." in refused.get_data(as_text=True)
    assert deps.repo.get_session(sid).perspectives == saved
    assert host_http.post(f"/host/s/{sid}/perspectieven", data={"preset": "functies"}).status_code == 400
    assert deps.repo.get_session(sid).perspectives == saved
