"""Text the store cannot hold, and structures too deep, are refused at every entrance; nothing bricks.

Measured before: importing a werkvorm file with half a UTF-16 pair ("\\ud83d") answered 500 and left the
bijeenkomst broken for the host (most timer calls then answered `internal`); after a kill, 260 of 1,200
acknowledged contributions were gone, because the bad record broke the flush that carried them. Nested
JSON in imports answered 500, and a lone surrogate in an import or a verslag edit broke the library
until a restart. Each entrance here gets the bad input against the real server, and then the room
must go on, and every acknowledged contribution must survive a kill.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from facilitator.core import services
from facilitator.core.registry import discover
from facilitator.storage.tinydb_store import TinyDBRepository
from facilitator.testing.clients import Recorder, client_id, join_over_http, run, stored_contributions
from facilitator.testing.live_server import LiveServer

pytestmark = pytest.mark.e2e

REGISTRY = discover()
HALF_EMOJI = "\ud83d"
#: The bytes a JSON file or body carries for half an emoji: valid JSON, but no UTF-8 can hold it.
HALF_EMOJI_JSON = '"kapot \\ud83d teken"'
DEEP = "[" * 5000 + "]" * 5000


def prepare(data_dir: Path) -> tuple[str, str, str]:
    repo = TinyDBRepository(data_dir)
    session = services.create_session(repo, REGISTRY, title="Slechte tekst", date="2026-11-25")
    return session.id, session.join_code, session.agenda[0].id


def werkvorm_file(case_text: str) -> bytes:
    """A werkvorm export whose case text is given as raw JSON (so it can carry an escaped half pair)."""
    return (
        '{"format": "rode-draad/werkvorm", "version": 1, "workformat": "roddelmethode", "name": "Casus",'
        f' "settings": {{"case_text": {case_text}}}}}'
    ).encode()


def test_bad_text_is_refused_everywhere_and_nothing_acknowledged_is_lost(live_server: LiveServer, data_dir: Path) -> None:
    live_server.stop()
    sid, join_code, _item = prepare(data_dir)
    live_server.start()
    http = live_server.host_session()
    origin = {"Origin": live_server.base_url}
    prep = f"{live_server.base_url}/host/s/{sid}"

    # -- file imports: into the agenda, as a new bijeenkomst, into the library.
    for url in (f"{prep}/agenda/import", f"{live_server.base_url}/host/import",
                f"{live_server.base_url}/host/bibliotheek/import"):
        for bad in (werkvorm_file(HALF_EMOJI_JSON), werkvorm_file(DEEP), DEEP.encode()):
            answer = http.post(url, files={"file": ("werkvorm.json", bad, "application/json")}, headers=origin)
            assert answer.status_code == 400, (url, answer.status_code)
            assert "kan niet worden ingelezen" in answer.text, url
    # -- JSON bodies: a verslag edit with half an emoji, and one nested too deep.
    edits = f"{prep}/verslag/edits"
    for body in ('{"changes": {"lead": ' + HALF_EMOJI_JSON + "}}", '{"changes": {"lead": ' + DEEP + "}}"):
        answer = http.post(edits, data=body, headers={**origin, "Content-Type": "application/json"})
        assert answer.status_code == 400, body[:40]
        assert answer.json()["ok"] is False
    refused = http.post(edits, data='{"changes": {"lead": ' + HALF_EMOJI_JSON + "}}",
                        headers={**origin, "Content-Type": "application/json"}).json()["error"]
    assert refused["code"] == "unstorable_text" and "niet bewaard" in refused["message"]

    # Nothing of it arrived, and the library, the prepare page and the verslag still work.
    assert http.get(f"{live_server.base_url}/host/bibliotheek").status_code == 200
    assert http.get(f"{prep}/voorbereiden").status_code == 200
    assert http.get(f"{prep}/verslag").status_code == 200
    good = http.post(f"{prep}/verslag/edits", json={"changes": {"lead": "Een goede inleiding."}}, headers=origin)
    assert good.status_code == 200 and good.json()["edits"]["lead"] == "Een goede inleiding."
    imported = http.post(f"{live_server.base_url}/host/bibliotheek/import", headers=origin,
                         files={"file": ("w.json", werkvorm_file('"Finn is 10 😀"'), "application/json")})
    assert imported.status_code in (200, 302, 303), imported.status_code

    acknowledged = run(_phones_and_host(live_server, sid, join_code))

    # A kill right after: every acknowledged contribution is on disk, and the bijeenkomst opens again.
    live_server.kill()
    stored = {doc["id"]: doc["text"] for doc in stored_contributions(data_dir, sid)}
    assert {k: stored.get(k) for k in acknowledged} == acknowledged
    live_server.start()  # on a new port
    http = live_server.host_session()
    assert http.get(f"{live_server.base_url}/host/s/{sid}/voorbereiden").status_code == 200
    assert TinyDBRepository(data_dir, read_only=True).get_session(sid).title == "Slechte tekst"


async def _phones_and_host(server: LiveServer, sid: str, join_code: str) -> dict[str, str]:
    """Phones send good and bad text while the host steers; return the acknowledged contributions by id."""
    host = Recorder("host")
    phones = [Recorder(f"phone{n}") for n in range(12)]
    acknowledged: dict[str, str] = {}
    try:
        await host.connect(server.base_url, host_key=server.key)
        await host.join(sid, "host")
        async with aiohttp.ClientSession() as http:
            for phone in phones:
                await phone.connect(server.base_url, token=await join_over_http(http, server.base_url, join_code))
                await phone.join(sid, "participant")
            # A join whose body carries half an emoji is refused plainly, before anything is stored.
            async with http.post(f"{server.base_url}/j/{join_code}", data='{"function": ' + HALF_EMOJI_JSON + "}",
                                 headers={"Content-Type": "application/json"}) as answer:
                assert answer.status == 400
        for round_ in range(8):  # within a phone's burst allowance (30 events)
            for n, phone in enumerate(phones):
                good, bad = client_id(f"g{n}"), client_id(f"b{n}")
                ack = await phone.call("submit_contribution", {"session": sid, "client_id": good,
                                                               "text": f"Goed {round_} 😀"})
                assert ack == {"ok": True, "id": good}, ack
                acknowledged[good] = f"Goed {round_} 😀"
                refused = await phone.call("submit_contribution", {"session": sid, "client_id": bad,
                                                                   "text": f"Half {HALF_EMOJI} {round_}"})
                assert refused["ok"] is False and refused["error"]["code"] == "unstorable_text", refused
                nested: Any = "x"
                for _ in range(40):
                    nested = {"a": nested}
                deep = await phone.call("submit_contribution", {"session": sid, "client_id": bad, "text": nested})
                assert deep["ok"] is False, deep
            timer = await host.call("control_timer", {"session": sid, "action": "add", "seconds": 60})
            assert timer["ok"] is True, timer
            bad_key = await host.call("set_tables", {"session": sid, "tables": [f"Tafel {HALF_EMOJI}"]})
            assert bad_key["ok"] is False and bad_key["error"]["code"] in ("unstorable_text", "invalid_input"), bad_key
    finally:
        for client in (host, *phones):
            await client.close()
    return acknowledged


def test_a_bad_record_in_the_files_costs_only_itself(data_dir: Path) -> None:
    """A journal line that cannot be read or kept is skipped at start-up; the good records around it load."""
    repo = TinyDBRepository(data_dir)
    session = services.create_session(repo, REGISTRY, title="Na een crash", date="2026-11-25")
    participant, _token, _ = services.join(repo, session.id)
    for n in range(3):
        services.submit_contribution(repo, REGISTRY, session.id, participant, client_id=f"c-{n:06d}", text=f"tekst {n}")
    journal = data_dir / "sessions" / f"{session.id}.journal"
    lines = journal.read_bytes().split(b"\n")
    good = json.loads(lines[-2])
    broken = dict(good, doc=dict(good["doc"], id="c-bad000", text="kapot \ud83d"))
    bad_lines = [
        json.dumps(broken).encode(),  # escaped half pair: valid JSON that UTF-8 cannot hold
        b'{"t": "contributions", "id": 99, "doc": {"id": "c-no-fields"}}',  # not a contribution
        b"{not json at all",
    ]
    journal.write_bytes(b"\n".join([*lines[:-2], *bad_lines, lines[-2], b""]))
    reopened = TinyDBRepository(data_dir)
    assert [c.text for c in reopened.list_contributions(session.id)] == ["tekst 0", "tekst 1", "tekst 2"]
    # And it keeps working: the next write and a restart after it.
    services.submit_contribution(reopened, REGISTRY, session.id, participant, client_id="c-000009", text="daarna")
    assert [c.text for c in TinyDBRepository(data_dir).list_contributions(session.id)][-1] == "daarna"
