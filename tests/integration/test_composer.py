"""Composing a werkvorm without code in Voorbereiden, over HTTP: create, edit, refuse, library, files and races."""

from __future__ import annotations

import html
import io
import json
import re
import threading
from typing import Any

import pytest

from facilitator import create_app
from facilitator.core import services
from facilitator.core.services import configured_workformat
from tests.conftest import HOST_KEY


def page(response: Any) -> str:
    """Return a response's HTML with entities decoded, for plain-text assertions."""
    return html.unescape(response.get_data(as_text=True))


def composed_id(deps: Any) -> str:
    """Return the id of the werkvorm that is composed from parts (found by capability, never by name)."""
    return next(wf.id for wf in deps.registry if wf.can("composed") and wf.composition is None)


def add_composed(host_http: Any, deps: Any, sid: str) -> str:
    """Put 'Zelf samenstellen' on the agenda; adding it opens its composer."""
    response = host_http.post(f"/host/s/{sid}/agenda", data={"workformat": composed_id(deps)})
    assert response.status_code == 303
    match = re.fullmatch(rf"/host/s/{sid}/agenda/([0-9a-f]+)/samenstellen", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def composer_url(sid: str, item: str) -> str:
    return f"/host/s/{sid}/agenda/{item}/samenstellen"


def based_on(host_http: Any, sid: str, item: str) -> str:
    """Return the version mark the composer form carries (what the facilitator started from)."""
    text = host_http.get(composer_url(sid, item)).get_data(as_text=True)
    return re.search(r'name="based_on" value="([^"]*)"', text).group(1)


def grid_form(**extra: Any) -> dict[str, Any]:
    """The grondhouding reflection grid as the composer form sends it: 4 rows x 3 columns, one grid phase."""
    form: dict[str, Any] = {
        "name": "Grondhouding", "description": "Reflectie op de grondhouding.",
        "reader_description": "Elke deelnemer vulde het raster in.",
        "rows-0-label": "Gelijkwaardigheid", "rows-0-description": "",
        "rows-1-label": "Vertrouwen", "rows-1-description": "",
        "rows-2-label": "Openheid", "rows-2-description": "",
        "rows-3-label": "Eigenaarschap", "rows-3-description": "",
        "columns-0-label": "Wat zie je?", "columns-0-description": "",
        "columns-1-label": "Wat werkt?", "columns-1-description": "",
        "columns-2-label": "Wat kan beter?", "columns-2-description": "",
        "scale_preset": "", "scale": "", "ranking_options": "",
        "phases-0-title": "Raster", "phases-0-prompt": "Vul per rij en kolom in wat je ziet.",
        "phases-0-minutes": "15", "phases-0-answer": "grid",
    }
    return form | extra


def stored(deps: Any, sid: str, item: str) -> dict[str, Any]:
    return dict(deps.repo.get_session(sid).agenda_item(item).settings)


def test_adding_zelf_samenstellen_opens_the_composer_and_a_save_makes_the_werkvorm(
    host_http: Any, bijeenkomst: dict, deps: Any
) -> None:
    sid = bijeenkomst["id"]
    item = add_composed(host_http, deps, sid)
    text = page(host_http.get(composer_url(sid, item)))
    for label in ("Naam", "Vakken (rijen)", "Kolommen", "Schaal", "Rangorde", "Stappen", "Per tafel",
                  "Met inbrenger", "Verborgen tot onthullen", "Geen invoer", "Vrije tekst", "In vakken", "Raster",
                  "Afspraak", "eens / neutraal / oneens", "1 tot 5"):
        assert label in text, label

    response = host_http.post(composer_url(sid, item), data=grid_form(based_on=based_on(host_http, sid, item)))
    assert (response.status_code, response.headers["Location"]) == (
        303, f"/host/s/{sid}/voorbereiden?opgeslagen={item}#item-{item}")
    composition = stored(deps, sid, item)["composition"]
    assert [r["label"] for r in composition["rows"]] == ["Gelijkwaardigheid", "Vertrouwen", "Openheid",
                                                         "Eigenaarschap"]
    assert [c["label"] for c in composition["columns"]] == ["Wat zie je?", "Wat werkt?", "Wat kan beter?"]
    assert composition["phases"] == [{
        "title": "Raster", "prompt": "Vul per rij en kolom in wat je ziet.", "minutes": 15, "answer": "grid",
        "hidden": False, "explain": False, "inbrenger_prompt": "", "inbrenger": "answer", "report_title": ""}]
    wf = configured_workformat(deps.registry, deps.repo.get_session(sid).agenda_item(item))
    assert (wf.name, [p.display for p in wf.phases], wf.phases[0].timebox_seconds) == ("Grondhouding", ["grid"], 900)

    # The agenda shows the composed werkvorm by its own name and phases.
    agenda = page(host_http.get(f"/host/s/{sid}/voorbereiden"))
    assert "Grondhouding" in agenda and "Raster" in agenda
    assert composer_url(sid, item) in agenda


def test_edit_every_part_per_table_with_an_inbrenger(host_http: Any, bijeenkomst: dict, deps: Any) -> None:
    sid = bijeenkomst["id"]
    item = add_composed(host_http, deps, sid)
    form = {
        "name": "Check-out", "description": "", "reader_description": "", "per_table": "1", "inbrenger": "1",
        "scale_preset": "eens", "scale": "", "ranking_options": "Tempo\nInhoud\nSfeer",
        "phases-0-title": "Luisteren", "phases-0-prompt": "Luister naar de inbrenger.", "phases-0-minutes": "",
        "phases-0-answer": "none", "phases-0-inbrenger_prompt": "Vertel je casus.",
        "phases-1-title": "Eens?", "phases-1-prompt": "Hoe eens ben je?", "phases-1-minutes": "5",
        "phases-1-answer": "scale", "phases-1-explain": "1", "phases-1-hidden": "1", "phases-1-inbrenger": "listen",
        "phases-2-title": "Volgorde", "phases-2-prompt": "Wat eerst?", "phases-2-answer": "ranking",
        "phases-3-title": "Afspraken", "phases-3-prompt": "Wie doet wat?", "phases-3-answer": "action",
        "based_on": based_on(host_http, sid, item),
    }
    assert host_http.post(composer_url(sid, item), data=form).status_code == 303
    composition = stored(deps, sid, item)["composition"]
    assert (composition["per_table"], composition["inbrenger"]) == (True, True)
    assert [s["label"] for s in composition["scale"]] == ["Eens", "Neutraal", "Oneens"]
    assert [o["label"] for o in composition["ranking_options"]] == ["Tempo", "Inhoud", "Sfeer"]
    assert [(p["answer"], p["minutes"], p["hidden"], p["explain"], p["inbrenger"]) for p in composition["phases"]] == [
        ("none", None, False, False, "answer"), ("scale", 5, True, True, "listen"),
        ("ranking", None, False, False, "answer"), ("action", None, False, False, "answer")]
    assert composition["phases"][0]["inbrenger_prompt"] == "Vertel je casus."

    # The form shows what is stored, and the "1 tot 5" preset replaces the scale.
    text = page(host_http.get(composer_url(sid, item)))
    assert 'value="eens" selected' in text and "Vertel je casus." in text
    form |= {"scale_preset": "1-5", "based_on": based_on(host_http, sid, item)}
    assert host_http.post(composer_url(sid, item), data=form).status_code == 303
    assert [s["label"] for s in stored(deps, sid, item)["composition"]["scale"]] == ["1", "2", "3", "4", "5"]
    form |= {"scale_preset": "eigen", "scale": "Slecht\n\nGoed\n", "based_on": based_on(host_http, sid, item)}
    assert host_http.post(composer_url(sid, item), data=form).status_code == 303
    assert [s["label"] for s in stored(deps, sid, item)["composition"]["scale"]] == ["Slecht", "Goed"]


def test_rows_and_phases_are_added_moved_and_removed_without_javascript(
    host_http: Any, bijeenkomst: dict, deps: Any
) -> None:
    sid = bijeenkomst["id"]
    item = add_composed(host_http, deps, sid)
    before = stored(deps, sid, item)
    form = {
        "name": "Drie stappen", "scale_preset": "",
        "phases-0-title": "Een", "phases-0-prompt": "Eerste?", "phases-0-answer": "text",
        "phases-1-title": "Twee", "phases-1-prompt": "Tweede?", "phases-1-answer": "text",
        "phases-2-title": "Drie", "phases-2-prompt": "Derde?", "phases-2-answer": "text",
    }
    # Moving, adding and removing only redraw the form: nothing is saved until "Opslaan".
    response = host_http.post(composer_url(sid, item), data=form | {"action": "down-0"})
    assert response.status_code == 200
    text = page(response)
    assert text.index('value="Twee"') < text.index('value="Een"') < text.index('value="Drie"')
    assert stored(deps, sid, item) == before
    text = page(host_http.post(composer_url(sid, item), data=form | {"action": "up-2"}))
    assert text.index('value="Een"') < text.index('value="Drie"') < text.index('value="Twee"')
    text = page(host_http.post(composer_url(sid, item), data=form | {"action": "remove-1"}))
    assert 'value="Twee"' not in text and 'value="Drie"' in text
    text = page(host_http.post(composer_url(sid, item), data=form | {"action": "add_phase"}))
    assert text.count('name="phases-3-title"') == 1
    text = page(host_http.post(composer_url(sid, item), data=form | {"action": "add_row"}))
    assert 'name="rows-1-label"' in text  # one empty row was there, now two
    assert stored(deps, sid, item) == before

    # A phase left empty is not saved; the others keep their order.
    response = host_http.post(composer_url(sid, item), data=form | {
        "phases-3-title": "", "phases-3-prompt": "", "phases-3-minutes": "", "phases-3-answer": "text",
        "based_on": based_on(host_http, sid, item)})
    assert response.status_code == 303
    assert [p["title"] for p in stored(deps, sid, item)["composition"]["phases"]] == ["Een", "Twee", "Drie"]


def thirteen_phases() -> dict[str, str]:
    form = {"name": "Te lang"}
    for i in range(13):
        form |= {f"phases-{i}-title": f"Stap {i + 1}", f"phases-{i}-prompt": "Vraag?", f"phases-{i}-answer": "text"}
    return form


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (grid_form(**{"phases-0-minutes": "300"}), "phases-0-minutes",
         "Stap 1: vul een aantal minuten in van 1 tot 240, of laat het leeg."),
        (grid_form(**{"phases-0-minutes": "een kwartier"}), "phases-0-minutes",
         "Stap 1: vul een aantal minuten in van 1 tot 240, of laat het leeg."),
        # A digit to str.isdigit, not to int(): it once answered 500.
        (grid_form(**{"phases-0-minutes": "1²"}), "phases-0-minutes",
         "Stap 1: vul een aantal minuten in van 1 tot 240, of laat het leeg."),
        (grid_form(**{"columns-0-label": "", "columns-1-label": "", "columns-2-label": ""}), "phases-0-answer",
         "Stap 1: een raster heeft minstens 2 kolommen nodig. Vul ze hierboven in."),
        (thirteen_phases(), "phases", "Een werkvorm heeft 1 tot 12 stappen."),
        (grid_form(**{"rows-2-label": "x" * 81}), "rows-2-label",
         "Vak 3: geef een naam van hoogstens 80 tekens."),
        (grid_form(**{"phases-0-title": "t" * 81}), "phases-0-title",
         "Stap 1: geef een titel van hoogstens 80 tekens."),
        (grid_form(**{"name": ""}), "name", "Geef de werkvorm een naam van hoogstens 80 tekens."),
        (grid_form(**{"phases-0-kleur": "rood"}), "phases-0-kleur",
         "Stap 1: ‘kleur’ hoort niet bij een stap."),
        (grid_form(**{"phases-0-inbrenger": "listen"}), "phases-0-inbrenger",
         "Stap 1: zet eerst ‘Met inbrenger’ aan."),
    ],
    ids=["minutes-too-many", "minutes-not-a-number", "minutes-superscript", "grid-without-columns", "13-phases", "row-label-too-long",
         "phase-title-too-long", "no-name", "foreign-field", "listen-without-inbrenger"],
)
def test_a_refused_composition_is_shown_next_to_its_field_and_changes_nothing(
    host_http: Any, bijeenkomst: dict, deps: Any, form: dict, field: str, message: str
) -> None:
    sid = bijeenkomst["id"]
    item = add_composed(host_http, deps, sid)
    assert host_http.post(composer_url(sid, item), data=grid_form(based_on=based_on(host_http, sid, item))
                          ).status_code == 303
    before = deps.repo.get_session(sid)
    response = host_http.post(composer_url(sid, item), data=form | {"based_on": based_on(host_http, sid, item)})
    assert response.status_code == 400
    text = page(response)
    assert message in text
    # The message stands next to the field, and the field is marked.
    assert re.search(rf'id="problem-{re.escape(field)}"[^>]*>[^<]*{re.escape(message)}', text)
    if not field.startswith("phases-0-kleur") and field != "phases":
        assert re.search(rf'name="{re.escape(field)}"[^>]*aria-invalid="true"', text) or re.search(
            rf'aria-invalid="true"[^>]*name="{re.escape(field)}"', text)
    # What was typed is still in the form, and nothing was stored.
    assert "Vul per rij en kolom in wat je ziet." in text or 'value="Stap 13"' in text
    after = deps.repo.get_session(sid)
    assert after.agenda == before.agenda and after.version == before.version


def test_a_foreign_part_in_an_imported_file_is_refused_and_changes_nothing(
    host_http: Any, bijeenkomst: dict, deps: Any
) -> None:
    sid = bijeenkomst["id"]
    before = deps.repo.get_session(sid)
    content = json.dumps({"format": "rode-draad/werkvorm", "version": 1, "workformat": composed_id(deps),
                          "settings": {"composition": {"name": "X", "kleur": "rood", "phases": [
                              {"title": "A", "prompt": "B"}]}}}).encode()
    response = host_http.post(f"/host/s/{sid}/agenda/import", data={"file": (io.BytesIO(content), "w.json")},
                              content_type="multipart/form-data")
    assert response.status_code == 400
    assert "composition.kleur: is not a part of a composed werkvorm" in page(response)
    assert deps.repo.get_session(sid).agenda == before.agenda


def test_library_and_export_import_keep_the_composition(host_http: Any, bijeenkomst: dict, deps: Any) -> None:
    sid = bijeenkomst["id"]
    item = add_composed(host_http, deps, sid)
    host_http.post(composer_url(sid, item), data=grid_form(based_on=based_on(host_http, sid, item)))
    settings = stored(deps, sid, item)

    # Saved in the library under the composition's name, and put back on another agenda: the same werkvorm.
    assert host_http.post(f"/host/s/{sid}/agenda/{item}/bibliotheek", data={"name": ""}).status_code == 303
    [entry] = deps.library.list_entries()
    assert (entry.name, entry.settings) == ("Grondhouding", settings)
    other = host_http.post("/host/sessions", json={"title": "Tweede"}).get_json()["id"]
    assert host_http.post(f"/host/s/{other}/agenda", data={"entry": entry.id}).status_code == 303
    copy = deps.repo.get_session(other).agenda[-1]
    assert copy.settings["composition"] == settings["composition"]
    original = configured_workformat(deps.registry, deps.repo.get_session(sid).agenda_item(item))
    assert configured_workformat(deps.registry, copy).phases == original.phases

    # Exported as a file and imported by a colleague (another laptop, its own library): the same werkvorm.
    exported = host_http.get(f"/host/s/{sid}/agenda/{item}/export")
    assert exported.headers["Content-Disposition"] == "attachment; filename=werkvorm-grondhouding.json"
    assert exported.get_json()["settings"]["composition"] == settings["composition"]
    colleague = create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True})
    client = colleague.test_client()
    client.get(f"/host/login?key={HOST_KEY}")
    response = client.post("/host/bibliotheek/import", data={"file": (io.BytesIO(exported.get_data()), "w.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    colleague_deps = colleague.extensions["rode_draad"]
    [imported] = colleague_deps.library.list_entries()
    assert (imported.name, imported.settings["composition"]) == ("Grondhouding", settings["composition"])
    mine = client.post("/host/sessions", json={"title": "Bij de collega"}).get_json()["id"]
    assert client.post(f"/host/s/{mine}/agenda", data={"entry": imported.id}).status_code == 303
    theirs = colleague_deps.repo.get_session(mine).agenda[-1]
    assert configured_workformat(colleague_deps.registry, theirs) == original
    # The colleague's library export is the same file again.
    again = client.get(f"/host/bibliotheek/{imported.id}/export").get_json()
    assert again["settings"] == exported.get_json()["settings"]


def test_two_composer_saves_from_the_same_start_never_overwrite_each_other(
    host_http: Any, bijeenkomst: dict, deps: Any
) -> None:
    sid = bijeenkomst["id"]
    item = add_composed(host_http, deps, sid)
    start = based_on(host_http, sid, item)
    first = host_http.post(composer_url(sid, item), data=grid_form(name="Eerste", based_on=start))
    assert first.status_code == 303
    # The second tab started from the same version: it is told, keeps what it typed, and overwrites nothing.
    second = host_http.post(composer_url(sid, item), data=grid_form(name="Tweede", based_on=start))
    assert second.status_code == 409
    text = page(second)
    assert "Iemand heeft deze werkvorm intussen veranderd" in text and 'value="Tweede"' in text
    assert stored(deps, sid, item)["composition"]["name"] == "Eerste"
    # Saving again from the fresh version is allowed.
    fresh = re.search(r'name="based_on" value="([^"]*)"', second.get_data(as_text=True)).group(1)
    assert fresh == based_on(host_http, sid, item)
    assert host_http.post(composer_url(sid, item), data=grid_form(name="Tweede", based_on=fresh)).status_code == 303
    assert stored(deps, sid, item)["composition"]["name"] == "Tweede"


def test_concurrent_saves_of_the_composer_and_the_item_editor_both_stay(
    app: Any, host_http: Any, bijeenkomst: dict, deps: Any
) -> None:
    """Two requests at once (the composer and the item's own settings, and another item) all keep their change."""
    sid = bijeenkomst["id"]
    item = add_composed(host_http, deps, sid)
    [first] = [i.id for i in deps.repo.get_session(sid).agenda if i.id != item]
    start = based_on(host_http, sid, item)
    # Each request's first save waits until all three have read and got that far: all three read the same
    # version, one save wins, and the other two must run again on the new one (nothing is simply overwritten).
    repo = deps.repo
    real_save = repo.save_session
    barrier = threading.Barrier(3, timeout=10)
    local = threading.local()

    def racing_save(session: Any) -> Any:
        if threading.current_thread().name.startswith("race") and not getattr(local, "waited", False):
            local.waited = True
            barrier.wait()
        return real_save(session)

    repo.save_session = racing_save
    results: dict[str, int] = {}

    def post(name: str, url: str, data: dict) -> None:
        client = app.test_client()
        client.get(f"/host/login?key={HOST_KEY}")
        results[name] = client.post(url, data=data).status_code

    threads = [
        threading.Thread(name="race-composer", target=post, args=(
            "composer", composer_url(sid, item), grid_form(based_on=start))),
        threading.Thread(name="race-editor", target=post, args=(
            "editor", f"/host/s/{sid}/agenda/{item}", {"title": "Raster voor iedereen", "approve_first": "1"})),
        threading.Thread(name="race-other", target=post, args=(
            "other", f"/host/s/{sid}/agenda/{first}", {"title": "Welkom"})),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    finally:
        repo.save_session = real_save
    assert results == {"composer": 303, "editor": 303, "other": 303}
    settings = stored(deps, sid, item)
    assert settings["composition"]["name"] == "Grondhouding"
    assert (settings["title"], settings["approve_first"]) == ("Raster voor iedereen", True)
    assert stored(deps, sid, first)["title"] == "Welkom"


def test_the_item_editor_of_a_composed_item_keeps_its_composition(
    host_http: Any, bijeenkomst: dict, deps: Any
) -> None:
    sid = bijeenkomst["id"]
    item = add_composed(host_http, deps, sid)
    host_http.post(composer_url(sid, item), data=grid_form(based_on=based_on(host_http, sid, item)))
    composition = stored(deps, sid, item)["composition"]
    assert host_http.post(f"/host/s/{sid}/agenda/{item}", data={"title": "Ons raster"}).status_code == 303
    assert stored(deps, sid, item) == {"title": "Ons raster", "composition": composition}


def test_a_werkvorm_built_from_a_composition_can_be_copied_into_an_editable_one(
    host_http: Any, bijeenkomst: dict, deps: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kopie aanpassen: any werkvorm that carries its composition (a built-in one made from parts) becomes an
    editable 'Zelf samenstellen' item right after it, with its phases as configured."""
    from dataclasses import replace

    from facilitator.core.domain import build_composed

    composed = deps.registry.get(composed_id(deps))
    built = replace(build_composed(composed, {"name": "Ingebouwd raster", "rows": ["A"], "columns": ["X", "Y"],
                                              "phases": [{"title": "Raster", "prompt": "Vul in.", "answer": "grid",
                                                          "minutes": 10}]}),
                    id="ingebouwd_raster", capabilities=())
    assert built.composition is not None
    # As if workformats/ held it: the app's one registry (its pages and its screens share it) learns it.
    monkeypatch.setitem(deps.registry._formats, built.id, built)
    sid = bijeenkomst["id"]
    response = host_http.post(f"/host/s/{sid}/agenda", data={"workformat": built.id})
    assert response.status_code == 303
    source = deps.repo.get_session(sid).agenda[-1]
    assert host_http.post(f"/host/s/{sid}/agenda/{source.id}", data={
        "timers.f1": "12", "buckets.id": "r1", "buckets.label": "A", "buckets.description": ""}).status_code == 303
    assert f"/host/s/{sid}/agenda/{source.id}/kopie-aanpassen" in page(host_http.get(f"/host/s/{sid}/voorbereiden"))

    response = host_http.post(f"/host/s/{sid}/agenda/{source.id}/kopie-aanpassen")
    assert response.status_code == 303
    agenda = deps.repo.get_session(sid).agenda
    copy = agenda[-1]
    assert [i.id for i in agenda][-2] == source.id
    assert response.headers["Location"] == composer_url(sid, copy.id)
    assert copy.workformat_id == composed.id
    composition = copy.settings["composition"]
    assert (composition["name"], composition["phases"][0]["minutes"]) == ("Ingebouwd raster", 12)
    assert [c["label"] for c in composition["columns"]] == ["X", "Y"]
    assert configured_workformat(deps.registry, copy).phases[0].display == "grid"
    # A werkvorm without a composition offers no copy.
    [plain] = [i for i in agenda if i.workformat_id != built.id and i.id != copy.id]
    assert host_http.post(f"/host/s/{sid}/agenda/{plain.id}/kopie-aanpassen").status_code == 400


def test_the_composer_speaks_english(host_http: Any, bijeenkomst: dict, deps: Any) -> None:
    sid = bijeenkomst["id"]
    item = add_composed(host_http, deps, sid)
    text = page(host_http.get(composer_url(sid, item) + "?lang=en"))
    for label in ("Rows", "Columns", "Scale", "Phases", "Hidden until revealed", "Free text", "Action point",
                  "agree / neutral / disagree", "1 to 5"):
        assert label in text, label


def test_a_step_with_answers_keeps_its_place_and_the_composer_says_why(
    host_http: Any, bijeenkomst: dict, deps: Any
) -> None:
    sid = bijeenkomst["id"]
    item = add_composed(host_http, deps, sid)
    assert host_http.post(composer_url(sid, item), data=grid_form(based_on=based_on(host_http, sid, item))).status_code == 303
    session = deps.repo.get_session(sid)
    index = next(i for i, entry in enumerate(session.agenda) if entry.id == item)
    services.go_to(deps.repo, deps.registry, sid, index, 0)
    phone, _token, _ = services.join(deps.repo, sid)
    services.submit_contribution(deps.repo, deps.registry, sid, phone, client_id="c-raster-1", text="Ik vraag door",
                                 kind="a1", bucket="r4", tags=["k2"])
    before = stored(deps, sid, item)
    # Taking the last row away would leave this answer without its row: refused, with the reason, nothing saved.
    fewer = {k: v for k, v in grid_form(based_on=based_on(host_http, sid, item)).items() if not k.startswith("rows-3")}
    response = host_http.post(composer_url(sid, item), data=fewer)
    assert response.status_code == 400
    assert "Bij dit onderdeel zijn al antwoorden gegeven" in page(response)
    assert stored(deps, sid, item) == before
    # Renaming a row is fine: the answer stays in the same (renamed) row.
    renamed = grid_form(based_on=based_on(host_http, sid, item), **{"rows-3-label": "Eigen regie"})
    assert host_http.post(composer_url(sid, item), data=renamed).status_code == 303
    assert stored(deps, sid, item)["composition"]["rows"][3]["label"] == "Eigen regie"


def test_an_imported_composition_nested_too_deep_is_refused_and_changes_nothing(
    host_http: Any, bijeenkomst: dict, deps: Any
) -> None:
    sid = bijeenkomst["id"]
    before = deps.repo.get_session(sid)
    deep = '{"phases": [' * 3000 + "{}" + "]}" * 3000
    head = json.dumps({"format": "rode-draad/werkvorm", "version": 1, "workformat": composed_id(deps)})[:-1]
    content = head + ', "settings": {"composition": {"name": "X", "rows": [' + deep + '], "phases": [{"title": "A", "prompt": "B"}]}}}'
    response = host_http.post(f"/host/s/{sid}/agenda/import", data={"file": (io.BytesIO(content.encode()), "w.json")},
                              content_type="multipart/form-data")
    assert response.status_code == 400
    assert deps.repo.get_session(sid).agenda == before.agenda
