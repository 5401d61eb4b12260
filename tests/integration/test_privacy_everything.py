"""The personal-data check covers everything that reaches the verslag (issue 15, point 7): theme names built
from a phone number included, every text field of the verslag, and names the facilitator marked as fictional
for this bijeenkomst are no longer flagged there (and only there)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from facilitator.core import services
from facilitator.core.clustering import clusters as clustering
from facilitator.core.domain import InvalidInput
from facilitator.verslag import model

CARDS = ["Bel 06 12345678 voor hulp", "Mijn nummer: 06 12345678", "Ouders vertrouwen de school",
         "School en ouders vertrouwen"]


def cards_on_a_board(deps: Any, session_id: str) -> tuple[str, list[str]]:
    session = deps.repo.get_session(session_id)
    item = session.agenda[0].id
    participant, _, _ = services.join(deps.repo, session_id)
    ids = []
    for n, text in enumerate(CARDS):
        contribution, _ = services.submit_contribution(deps.repo, deps.registry, session_id, participant,
                                                       client_id=f"{n:032d}", text=text)
        ids.append(contribution.id)
    return item, ids


def test_an_automatic_theme_name_built_from_a_phone_number_is_flagged(deps: Any, host_http: Any,
                                                                       bijeenkomst: dict[str, Any]) -> None:
    session_id = bijeenkomst["id"]
    item, ids = cards_on_a_board(deps, session_id)
    # Today's automatic label of the first two cards: the clusterer's two "terms", the number's two halves.
    label = clustering.label_theme(CARDS, [0, 1], [2, 3]).label
    assert label == "06 · 12345678"
    services.edit_board(deps.repo, deps.registry, session_id, item, "add_theme", {"name": label, "cards": ids[:2]})
    findings = host_http.get(f"/host/s/{session_id}/verslag/privacy").get_json()["findings"]
    assert ("telefoon", "06 · 12345678", "rode_draad.themes") in {(f["kind"], f["text"], f["where"]) for f in findings}


def test_accepting_a_theme_name_built_from_a_phone_number_is_refused(deps: Any, bijeenkomst: dict[str, Any]) -> None:
    session_id = bijeenkomst["id"]
    item, ids = cards_on_a_board(deps, session_id)
    board, extra, _ = services.edit_board(deps.repo, deps.registry, session_id, item, "add_theme",
                                          {"cards": ids[:2]})
    services.edit_board(deps.repo, deps.registry, session_id, item, "rename_theme",
                        {"theme": extra["theme"], "name": "06 · 12345678"})
    with pytest.raises(InvalidInput) as refused:
        services.edit_board(deps.repo, deps.registry, session_id, item, "accept_theme", {"theme": extra["theme"]})
    assert refused.value.params.get("field") == "accept" and "telefoon" in str(refused.value.params.get("kinds"))


def _fill(value: Any, text: str) -> Any:
    """Return a copy of a verslag value with every text in it replaced by `text`."""
    if isinstance(value, str):
        return text
    if isinstance(value, tuple):
        return tuple(_fill(inner, text) for inner in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{
            field.name: _fill(getattr(value, field.name), text) for field in dataclasses.fields(value)
        })
    return value


def _one_of_each() -> model.Report:
    group = model.Group(key="g", title="t", description="d", bullets=("b",))
    block = model.Block(key="k", title="t", shape="themes", intro="i", paragraphs=("p",), bullets=("b",),
                        groups=(group,))
    section = model.WorkformatSection(key="s", name="n", task=("t",), prompts=("p",), blocks=(block,))
    return model.Report(
        title="t", subtitle="s", motto="m", lead="l", welcome="w",
        terugblik=model.Terugblik(title="t", date="d", rode_draden=("r",), rode_draad="r"),
        programme=(model.ProgrammeItem(title="t", speaker="s", function="f", organisation="o", text="t", link="l"),),
        sections=(section,),
        rode_draad=model.RodeDraad(paragraph="p", questions=("q",), themes=(model.ThemeLine(name="n", provenance="p"),)),
        wrap_up_intro="w", wrap_up=("w",), closing="c", call="c",
        save_the_date=model.SaveTheDate(date="d", time="t", place="p", label="l"),
        appendix=(model.AppendixGroup(title="t", items=(model.AppendixItem(text="t", context="c"),)),),
    )


def test_every_text_of_the_verslag_is_checked() -> None:
    """Each text field of the verslag holds a phone number: each is found, except the organisers' blocks (their
    contact details are published on purpose) and the fixed headings."""
    report = _fill(_one_of_each(), "Bel 06-12345678")
    findings = services.privacy_findings(report)
    counted = sum(1 for _ in _strings(report))
    assert len(findings) == counted, (counted, findings)
    assert {f["kind"] for f in findings} == {"telefoon"}


def _strings(value: Any) -> Any:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for inner in value:
            yield from _strings(inner)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name not in ("organisers", "headings", "key", "shape", "organisers_title"):
                yield from _strings(getattr(value, field.name))


CASUS = "Finn (8) is vaak boos op school"


def a_casus_with_finn(deps: Any, session_id: str) -> None:
    participant, _, _ = services.join(deps.repo, session_id)
    services.submit_contribution(deps.repo, deps.registry, session_id, participant,
                                 client_id="f" * 32, text=CASUS)


def names_flagged(host_http: Any, session_id: str) -> list[str]:
    findings = host_http.get(f"/host/s/{session_id}/verslag/privacy").get_json()["findings"]
    return [f["text"] for f in findings if f["kind"] == "voornaam"]


def test_a_name_marked_fictional_is_no_longer_flagged_in_this_bijeenkomst_only(
    deps: Any, host_http: Any, bijeenkomst: dict[str, Any]
) -> None:
    session_id = bijeenkomst["id"]
    other = host_http.post("/host/sessions", json={"title": "Tweede middag"}).get_json()["id"]
    for sid in (session_id, other):
        a_casus_with_finn(deps, sid)
        assert names_flagged(host_http, sid) == ["Finn"]
    before = deps.repo.get_session(session_id).version

    marked = host_http.post(f"/host/s/{session_id}/verslag/fictief", json={"name": "Finn"})
    assert marked.status_code == 200
    body = marked.get_json()
    assert body["ok"] is True and body["fictional"] == ["Finn"]
    assert [f["text"] for f in body["findings"] if f["kind"] == "voornaam"] == []
    assert names_flagged(host_http, session_id) == []
    stored = deps.repo.get_session(session_id)
    assert stored.fictional_names == ("Finn",) and stored.version > before
    preview = host_http.get(f"/host/s/{session_id}/verslag/preview").get_data(as_text=True)
    assert 'data-kind="voornaam"' not in preview
    assert names_flagged(host_http, other) == ["Finn"]  # another bijeenkomst: Finn may be a real child there

    # Marking twice keeps one; "ongedaan maken" flags it again.
    host_http.post(f"/host/s/{session_id}/verslag/fictief", json={"name": "finn"})
    assert deps.repo.get_session(session_id).fictional_names == ("Finn",)
    undone = host_http.post(f"/host/s/{session_id}/verslag/fictief", json={"name": "Finn", "fictional": False})
    assert undone.get_json()["fictional"] == []
    assert names_flagged(host_http, session_id) == ["Finn"]


def test_marking_a_fictional_name_refuses_what_is_not_a_name(host_http: Any, bijeenkomst: dict[str, Any]) -> None:
    url = f"/host/s/{bijeenkomst['id']}/verslag/fictief"
    for body in ({}, {"name": 3}, {"name": ""}, {"name": "x" * 200}, {"name": "Finn", "fictional": "ja"}):
        response = host_http.post(url, json=body)
        assert response.status_code == 400, body
        assert response.get_json()["ok"] is False


def test_two_names_marked_at_once_are_both_kept(deps: Any, bijeenkomst: dict[str, Any]) -> None:
    """The mark is a compare-and-set on the bijeenkomst: a save that met a newer version runs again."""
    session_id = bijeenkomst["id"]
    repo = deps.repo
    real_save = repo.save_session
    raced: list[bool] = []

    def save_after_another_mark(session: Any) -> Any:
        if not raced:  # another screen marks "Sanne" between this use case's read and its save
            raced.append(True)
            real_save(dataclasses.replace(repo.get_session(session_id), fictional_names=("Sanne",)))
        return real_save(session)

    repo.save_session = save_after_another_mark
    try:
        services.mark_fictional_name(repo, session_id, "Finn")
    finally:
        del repo.save_session
    assert set(repo.get_session(session_id).fictional_names) == {"Sanne", "Finn"}

