"""How much the beamer holds at 1920x1080: per werkvorm, the type size for a growing number of cards, and the most
cards it shows before it has to leave the oldest out (at the floor of 16 px, or 30 px in large type).

    python bench/beamer_capacity.py                 # open vraag, vier buffers, board, grid; normal and large type
    python bench/beamer_capacity.py --counts 30 60 120
    python bench/beamer_capacity.py --werkvormen grid --counts 12 30 60

"grid" is a composed werkvorm's grid of 4 rows (with descriptions) x 3 columns, the grondhouding's shape.
Seeds one bijeenkomst per werkvorm and count straight into a temporary data folder (realistic check-in answers,
phones at five tables), starts the real server, opens each beamer in Debian's Chromium and reads the size the
page chose (#stage data-fs) and how many it left out (data-dropped). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from facilitator.core import services  # noqa: E402
from facilitator.core.domain import Perspective  # noqa: E402
from facilitator.core.registry import discover  # noqa: E402
from facilitator.storage.tinydb_store import TinyDBRepository  # noqa: E402
from facilitator.testing.answers import ANSWERS, MORE_ANSWERS  # noqa: E402
from facilitator.testing.live_server import LiveServer  # noqa: E402

WERKVORMEN = ("open_vraag", "vier_buffers", "board", "grid")
#: The grid: a composed werkvorm of 4 rows x 3 columns (the grondhouding reflection grid's shape).
GRID = {
    "name": "Grondhouding",
    "rows": [{"label": "Nieuwsgierig", "description": "Ik vraag door voordat ik oordeel"},
             {"label": "Open", "description": "Ik laat ruimte voor een ander antwoord"},
             {"label": "Gelijkwaardig", "description": "Ik zie de ouder als partner"},
             {"label": "Betrokken", "description": "Ik blijf, ook als het schuurt"}],
    "columns": [{"label": "Herken ik"}, {"label": "Vind ik lastig"}, {"label": "Neem ik me voor"}],
    "phases": [{"title": "Reflectieraster", "prompt": "Waar sta jij in je grondhouding?", "answer": "grid"}],
}


def seed(repo: Any, registry: Any, werkvorm: str, count: int) -> str:
    """Make a bijeenkomst at the werkvorm's display with `count` answers; return its id."""
    session = services.create_session(repo, registry, title=f"{werkvorm} {count}")
    texts = ANSWERS + MORE_ANSWERS
    buckets: list[str] = []
    if werkvorm == "vier_buffers":
        services.add_agenda_item(repo, registry, session.id, "vier_buffers", {})
        services.go_to(repo, registry, session.id, 1, 1)
        buckets = [b.id for b in registry.get("vier_buffers").buckets]
    kind = None
    columns: list[str] = []
    if werkvorm == "grid":
        composed = next(wf.id for wf in registry if "composed" in wf.capabilities)
        services.add_agenda_item(repo, registry, session.id, composed, {"composition": GRID})
        services.go_to(repo, registry, session.id, 1, 0)
        buckets, columns, kind = ["r1", "r2", "r3", "r4"], ["k1", "k2", "k3"], "a1"
    ids = []
    for n in range(count):
        phone = services.join(repo, session.id, table=n % 5 + 1, perspective=Perspective(("ouder", "zorg")[n % 2]))[0]
        contribution, _ = services.submit_contribution(
            repo, registry, session.id, phone, client_id=f"bench-{n:05d}", text=texts[n % len(texts)],
            bucket=buckets[n % 4] if buckets else None, kind=kind,
            tags=[columns[n % 3]] if columns else ["mens", "geven"] if buckets else None,
        )
        ids.append(contribution.id)
    if werkvorm == "board":
        item = session.agenda[0].id
        for number, name in enumerate(["Tijd en rust", "Samenwerking", "Steun en netwerk", "School", "Zorgen"]):
            services.edit_board(repo, registry, session.id, item, "add_theme", {"name": name, "cards": ids[number::5]})
        services.add_agenda_item(repo, registry, session.id, "rode_draden", {})
        services.go_to(repo, registry, session.id, 1, 1)
    return session.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", type=int, nargs="+", default=[30, 60, 90, 120, 150, 200])
    parser.add_argument("--werkvormen", nargs="+", choices=WERKVORMEN, default=list(WERKVORMEN))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="beamer-capacity-"))
    try:
        repo = TinyDBRepository(folder)
        registry = discover()
        plan = {(w, n): seed(repo, registry, w, n) for w in args.werkvormen for n in args.counts}
        server = LiveServer(folder, cwd=ROOT).start()
        results: dict[str, Any] = {}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
                page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
                page.goto(f"{server.base_url}/host/login?key={server.key}")
                http = server.host_session()
                for large in (False, True):
                    for (werkvorm, count), session_id in plan.items():
                        http.post(f"{server.base_url}/host/s/{session_id}/gegevens", data={"privacy_threshold": "3"})
                        page.goto(f"{server.base_url}/host/s/{session_id}/beamer")
                        page.wait_for_selector(".bcard")
                        if large:
                            _set_large(server, session_id)
                            page.wait_for_selector("#beamer[data-large=true]")
                        page.wait_for_timeout(400)
                        stage = page.locator("#stage")
                        row = {"px": int(stage.get_attribute("data-fs") or 0),
                               "shown": count - int(stage.get_attribute("data-dropped") or 0)}
                        results.setdefault("large" if large else "normal", {}).setdefault(werkvorm, {})[count] = row
                browser.close()
        finally:
            server.stop()
        print(json.dumps(results, indent=2))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _set_large(server: LiveServer, session_id: str) -> None:
    import socketio  # noqa: PLC0415

    host = socketio.Client(reconnection=False)
    host.connect(server.base_url, headers={"Cookie": f"rd_host={server.key}"}, transports=["websocket"])
    host.call("join_session", {"session": session_id, "role": "host"})
    host.call("set_beamer_view", {"session": session_id, "large": True})
    host.disconnect()


if __name__ == "__main__":
    main()
