"""A composed werkvorm keeps its own name in its werkvorm file, in the library and after an import (issue 16).

Found by tests/e2e/test_composed_live.py: the file of a composed item was named after the base werkvorm
("Zelf samenstellen"), and that name came back as the imported item's title, hiding the composition's own name.
"""

from __future__ import annotations

import io
import json
from typing import Any

from facilitator.core.registry import discover

COMPOSED = next(wf.id for wf in discover() if wf.can("composed"))
COMPOSITION = {"name": "Geleerde lessen", "phases": [{"title": "Lessen", "prompt": "Wat leerde je?"}]}


def upload(host_http: Any, path: str, content: bytes, **fields: str) -> Any:
    data = {"file": (io.BytesIO(content), "werkvorm.json"), **fields}
    return host_http.post(path, data=data, content_type="multipart/form-data")


def test_a_composed_item_is_exported_saved_and_imported_under_its_own_name(
    host_http: Any, bijeenkomst: dict, deps: Any
) -> None:
    sid = bijeenkomst["id"]
    shared = {"format": "rode-draad/werkvorm", "version": 1, "workformat": COMPOSED,
              "settings": {"composition": COMPOSITION}}
    assert upload(host_http, f"/host/s/{sid}/agenda/import", json.dumps(shared).encode()).status_code == 303
    item = deps.repo.get_session(sid).agenda[-1]

    exported = host_http.get(f"/host/s/{sid}/agenda/{item.id}/export")
    assert exported.headers["Content-Disposition"] == "attachment; filename=werkvorm-geleerde-lessen.json"
    assert exported.get_json()["name"] == "Geleerde lessen"

    assert host_http.post(f"/host/s/{sid}/agenda/{item.id}/bibliotheek", data={}).status_code == 303
    [entry] = deps.library.list_entries()
    assert entry.name == "Geleerde lessen"

    other = host_http.post("/host/sessions", json={"title": "Elders"}).get_json()["id"]
    assert upload(host_http, f"/host/s/{other}/agenda/import", exported.get_data()).status_code == 303
    again = deps.repo.get_session(other).agenda[-1]
    assert again.settings.get("title", "Geleerde lessen") == "Geleerde lessen"
    assert again.settings["composition"]["name"] == "Geleerde lessen"
