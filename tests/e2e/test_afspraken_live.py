"""Afspraken on the real eventlet server: the facilitator sets their status in the next bijeenkomst's terugblik from
two regie windows at once; every acknowledged change is on disk at once, both stay, and they survive a kill -9."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import requests

from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries
from facilitator.testing.live_server import LiveServer
from tests.support.afspraken import bijeenkomsten

pytestmark = pytest.mark.e2e

ROUNDS = 15


def on_disk(data_dir: Path, series_id: str) -> dict[str, tuple[str, str]]:
    """Return (status, note) per afspraak as the series file holds it now."""
    [recap] = TinyDBSeries(data_dir).get_series(series_id).recaps
    return {a.id: (a.status, a.note) for a in recap.afspraken}


def test_status_changes_from_two_windows_at_once_are_acknowledged_stored_and_survive_a_kill(
    data_dir: Path,
) -> None:
    first, second = bijeenkomsten(TinyDBRepository(data_dir), TinyDBSeries(data_dir), discover())
    server = LiveServer(data_dir)
    try:
        server.start()
        windows = [server.host_session(), server.host_session()]
        regie = windows[0].get(f"{server.base_url}/host/s/{second.id}")
        assert regie.status_code == 200 and 'data-afspraak="afspraak-0001" data-status="open"' in regie.text

        go = threading.Barrier(2, timeout=20)
        acked: dict[str, list[dict[str, Any]]] = {"afspraak-0001": [], "afspraak-0003": []}
        failures: list[str] = []

        def window(http: requests.Session, afspraak: str, status: str) -> None:
            go.wait()
            for n in range(ROUNDS):
                response = http.post(f"{server.base_url}/host/s/{second.id}/terugblik/afspraken/{afspraak}",
                                     json={"status": status, "note": f"ronde {n}"}, timeout=20)
                if response.status_code != 200:
                    failures.append(f"{afspraak} {n}: {response.status_code} {response.text}")
                    continue
                acked[afspraak].append(response.json()["afspraak"])
                # Acknowledged means stored: the file already holds it (or a later change of this window's).
                stored = on_disk(data_dir, first.series_id)[afspraak]
                if stored != (status, f"ronde {n}"):
                    failures.append(f"{afspraak} {n} acknowledged but the file holds {stored}")

        threads = [threading.Thread(target=window, args=(windows[0], "afspraak-0001", "gedaan")),
                   threading.Thread(target=window, args=(windows[1], "afspraak-0003", "vervallen"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert failures == []
        assert [a["note"] for a in acked["afspraak-0001"]] == [f"ronde {n}" for n in range(ROUNDS)]
        expected = {"afspraak-0001": ("gedaan", f"ronde {ROUNDS - 1}"), "afspraak-0002": ("open", ""),
                    "afspraak-0003": ("vervallen", f"ronde {ROUNDS - 1}")}
        assert on_disk(data_dir, first.series_id) == expected

        server.kill()  # SIGKILL: no clean shutdown
        server.start()
        assert on_disk(data_dir, first.series_id) == expected
        http = server.host_session()
        regie = http.get(f"{server.base_url}/host/s/{second.id}").text
        assert 'data-afspraak="afspraak-0001" data-status="gedaan"' in regie
        assert 'data-afspraak="afspraak-0003" data-status="vervallen"' in regie
        verslag = http.get(f"{server.base_url}/host/s/{second.id}/verslag.md").text
        assert "### Afspraken van de vorige keer" in verslag
        assert (f"- Rapport delen met de wethouder — Gemeente (Bestuur), maart 2027: gedaan (ronde {ROUNDS - 1})"
                in verslag)
        assert "- Wachtlijst in kaart brengen — Jeugdteam (Uitvoering): open" in verslag
        assert "Geheim plan" not in verslag
    finally:
        server.kill()
        print("---- server output ----\n" + "".join(server.output))
