"""The rode-draden board against the real eventlet server: the clusterer runs in a worker thread while phones go on.

Twelve phones send contributions about three subjects; the host asks for a suggestion (the first one
imports scikit-learn inside eventlet's thread pool), phones keep submitting meanwhile, then place
their own cards and vote on the themes. The stored board is read back from disk and checked exactly.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository, read_session_data
from facilitator.testing.clients import Recorder, join_over_http, run
from facilitator.testing.live_server import LiveServer

pytestmark = pytest.mark.e2e

REGISTRY = discover()
TEXTS = [
    "Vertrouwen tussen ouders en school groeit door contact",
    "Ouders willen dat school hen vertrouwt en serieus neemt",
    "Meer contact tussen ouders en de leerkracht",
    "Vertrouwen en contact met ouders vanaf het begin",
    "De wachtlijst voor jeugdzorg is veel te lang",
    "Maanden wachten op jeugdhulp, de wachtlijst groeit",
    "Wachtlijsten in de jeugdzorg zorgen voor stress",
    "Door de wachtlijst krijgt het kind te laat hulp",
    "Leerkrachten hebben te weinig tijd in de klas",
    "Geen tijd voor elk kind in een volle klas",
    "De klas is te vol, de leerkracht heeft geen tijd",
    "Te weinig tijd en te volle klassen",
]


def prepare(data_dir: Path) -> tuple[str, str, list[str]]:
    repo = TinyDBRepository(data_dir)
    session = services.create_session(repo, REGISTRY, title="Rode draden", date="2026-11-25")
    for workformat_id in ("rode_draden", "stemmen"):
        services.add_agenda_item(repo, REGISTRY, session.id, workformat_id, {})
    return session.id, session.join_code, [i.id for i in repo.get_session(session.id).agenda]


async def scenario(server: LiveServer, session_id: str, join_code: str, items: list[str]) -> dict[str, Any]:
    host = Recorder("host")
    phones = [Recorder(f"p{n}") for n in range(len(TEXTS))]
    try:
        await host.connect(server.base_url, host_key=server.key)
        await host.join(session_id, "host")
        async with aiohttp.ClientSession() as http:
            tokens = [await join_over_http(http, server.base_url, join_code, table=1 + n % 3) for n in range(len(phones))]
        for phone, token in zip(phones, tokens, strict=True):
            await phone.connect(server.base_url, token=token)
            await phone.join(session_id, "participant")
        for n, (phone, text) in enumerate(zip(phones, TEXTS, strict=True)):
            ack = await phone.call("submit_contribution", {"session": session_id, "client_id": f"kaart-{n:04d}", "text": text})
            assert ack == {"ok": True, "id": f"kaart-{n:04d}"}

        # The suggestion and a late submission run at the same time; both are answered.
        suggestion = asyncio.create_task(
            host.call("suggest_themes", {"session": session_id, "item": items[0], "mode": "suggest", "count": 3})
        )
        late = await phones[0].call("submit_contribution", {"session": session_id, "client_id": "kaart-late", "text": "Nog een"})
        assert late == {"ok": True, "id": "kaart-late"}
        ack = await suggestion
        assert ack == {"ok": True, "version": 1, "warning": None, "themes": 3}
        await host.wait_for(lambda: bool(host.of("board_changed")))
        board = host.of("board_changed")[-1]["board"]
        themes = {t["id"]: t for t in board["themes"]}

        # Each phone puts its own first card where it thinks it belongs: the phones follow the board.
        assert (await host.call("go_to_phase", {"session": session_id, "item": 1, "phase": 0}))["ok"] is True
        await phones[4].wait_for(lambda: any(p["step"]["views"] == {"deelnemer": "place"} for p in phones[4].of("phase_changed")))
        step = phones[4].of("phase_changed")[-1]["step"]
        # The clusterer's names are proposals: phones see "Thema 1" until the facilitator accepts a name.
        numbered = [{"id": t["id"], "name": f"Thema {n}"} for n, t in enumerate(board["themes"], start=1)]
        assert step["place"] == {"board_item": items[0], "themes": numbered}
        target = next(t for t in board["themes"] if "kaart-0004" not in t["cards"])
        placed = await phones[4].call("place_contribution", {"session": session_id, "id": "kaart-0004", "theme": target["id"]})
        assert placed == {"ok": True, "id": "kaart-0004", "theme": target["id"]}
        await host.wait_for(lambda: "kaart-0004" in host.of("board_changed")[-1]["board"]["themes"][
            [t["id"] for t in host.of("board_changed")[-1]["board"]["themes"]].index(target["id"])]["cards"])
        await phones[4].wait_for(lambda: phones[4].of("placements_changed")[-1] == {"placements": {"kaart-0004": target["id"]}})
        assert phones[7].of("board_changed") == []  # another phone's card moved: nothing for this one

        # The dots go to the themes.
        assert (await host.call("go_to_phase", {"session": session_id, "item": 2, "phase": 0}))["ok"] is True
        await phones[1].wait_for(lambda: any("vote" in p["step"] for p in phones[1].of("phase_changed")))
        targets = phones[1].of("phase_changed")[-1]["step"]["vote"]["targets"]
        assert targets == [{"id": f"theme:{t['id']}", "text": t["name"]} for t in numbered]
        voted = await phones[1].call("cast_vote", {"session": session_id, "target": targets[0]["id"], "on": True})
        assert voted == {"ok": True, "votes": [targets[0]["id"]]}
        return {"first_board": board, "themes": themes, "target": target["id"]}
    finally:
        for client in (host, *phones):
            await client.close()


def test_the_board_is_suggested_off_the_loop_placed_by_phones_and_voted_on(data_dir: Path) -> None:
    session_id, join_code, items = prepare(data_dir)
    server = LiveServer(data_dir, warm_up=True)
    try:
        server.start()
        outcome = run(scenario(server, session_id, join_code, items), timeout=120)
    finally:
        server.kill()
    # The product warms the clusterer up right after start (in the thread pool); it must not have failed.
    assert not any("warming up the clusterer failed" in line for line in server.output), "".join(server.output)
    first = outcome["first_board"]
    # The late card arrived while the clusterer ran: it is on a theme or unsorted, once, whichever came first.
    on_board = [card for t in first["themes"] for card in t["cards"]] + first["unsorted"]
    assert sorted(on_board) == sorted([f"kaart-{n:04d}" for n in range(12)] + ["kaart-late"])
    data, _records = read_session_data(data_dir / "sessions" / f"{session_id}.json")
    [stored] = data["boards"].values()
    on_disk = {t["id"]: t["cards"] for t in stored["themes"]}
    assert sorted(on_disk) == sorted(outcome["themes"])
    assert "kaart-0004" in on_disk[outcome["target"]]
    assert sorted(c for cards in on_disk.values() for c in cards) == sorted(
        c for t in first["themes"] for c in t["cards"]
    )
    assert stored["version"] == 2
    assert len(data["votes"]) == 1
