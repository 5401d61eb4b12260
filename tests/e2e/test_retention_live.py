"""Retention on the real server: counted from the last activity, announced before it deletes, and deleting leaves
nothing of the participants in the data folder, series.json included.

The start-up check takes "today" from FACILITATOR_RETENTION_TODAY (tests only), so weeks pass in a restart; the
files and every other clock stay real.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.core.domain import Board, Contribution, Theme
from facilitator.storage.tinydb_store import TinyDBRepository, TinyDBSeries
from facilitator.testing.live_server import LiveServer
from facilitator.testing.verslag import afternoon

pytestmark = pytest.mark.e2e

CANARY = f"kanarie{secrets.token_hex(4)}"
PHONE = "0612345678"


def files_containing(folder: Path, needle: str) -> list[str]:
    """Return the files under a folder whose bytes contain the needle (UTF-8)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
                  and needle.encode("utf-8") in p.read_bytes())


def in_days(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def server(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """A server that is not started yet (the test sets the day first); killed afterwards whatever happened."""
    monkeypatch.delenv("FACILITATOR_RETENTION_TODAY", raising=False)
    live = LiveServer(data_dir)
    try:
        yield live
    finally:
        live.kill()
        print("---- server output ----\n" + "".join(live.output))


def restart(server: LiveServer, monkeypatch: pytest.MonkeyPatch, today: str | None = None) -> str:
    """Stop the server if it runs, start it again (as if on `today`), and return what it printed at start."""
    server.stop()
    if today is None:
        monkeypatch.delenv("FACILITATOR_RETENTION_TODAY", raising=False)
    else:
        monkeypatch.setenv("FACILITATOR_RETENTION_TODAY", today)
    server.start()
    return "".join(server.output)


def listed(server: LiveServer) -> str:
    """Return the dashboard (which also shows the facilitator what is about to be deleted)."""
    response = server.host_session().get(f"{server.base_url}/host/")
    assert response.status_code == 200
    return response.text


def test_a_bijeenkomst_entered_with_a_past_date_is_not_deleted_at_the_next_start(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    server.start()
    made = server.create_bijeenkomst("Middag van 7 oktober", date="2024-10-07")
    # The facilitator hears at once that the date is in the past and what that means for deleting.
    assert "verleden" in made["notice"] and "laatste" in made["notice"], made
    token = server.join_phone(made["join_code"])
    assert token

    # A restart (to switch on mail, say): the afternoon is still there, and nothing is announced.
    output = restart(server, monkeypatch)
    assert (data_dir / "sessions" / f"{made['id']}.json").exists(), output
    assert "verwijderd" not in output.lower(), output
    page = listed(server)
    assert "Middag van 7 oktober" in page
    # The dashboard says when it will be deleted: 30 days after today's activity, not after 7 October 2024.
    kept_until = dt.date.today() + dt.timedelta(days=30)
    assert f'data-kept-until="{kept_until.isoformat()}"' in page


def test_deleting_for_retention_takes_two_starts_and_a_look_at_the_dashboard(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    server.start()
    gone = server.create_bijeenkomst("Gaat weg", date="2024-10-07")
    kept = server.create_bijeenkomst("Blijft", date="2024-10-07")

    # 29 days later: within the retention period, counted from today's activity.
    output = restart(server, monkeypatch, in_days(29))
    assert "Gaat weg" not in output and "Blijft" not in output, output

    # 31 days later: both are announced at start-up, nothing is deleted yet.
    output = restart(server, monkeypatch, in_days(31))
    assert "Wordt verwijderd bij de volgende start" in output and "Gaat weg" in output and "Blijft" in output, output
    assert (data_dir / "sessions" / f"{gone['id']}.json").exists()

    # Not yet seen in the host view: the next start deletes nothing either, and says so again.
    output = restart(server, monkeypatch, in_days(31))
    assert (data_dir / "sessions" / f"{gone['id']}.json").exists(), output
    assert "Gaat weg" in output, output

    # The dashboard tells the facilitator, per bijeenkomst, with a way to keep it longer.
    page = listed(server)
    assert page.count("Wordt verwijderd bij de volgende start") >= 2, page
    http = server.host_session()
    keep = http.post(f"{server.base_url}/host/s/{kept['id']}/bewaren", headers={"Origin": server.base_url},
                     allow_redirects=False)
    assert keep.status_code == 303, keep.text

    # The next start deletes what the facilitator was shown, and keeps what they chose to keep.
    output = restart(server, monkeypatch, in_days(31))
    assert not (data_dir / "sessions" / f"{gone['id']}.json").exists(), output
    assert "Verwijderd" in output and "Gaat weg" in output, output
    assert (data_dir / "sessions" / f"{kept['id']}.json").exists(), output
    page = listed(server)
    assert "Gaat weg" not in page and "Blijft" in page
    assert "Wordt verwijderd bij de volgende start" not in page


def _afternoon_with_a_board_of_every_kind(data_dir: Path) -> str:
    """Store the afternoon with themes of every origin on its board; return its id."""
    repo, series = TinyDBRepository(data_dir), TinyDBSeries(data_dir)
    made = afternoon(repo, series)
    session_id = made.session.id
    repo.save_session(dataclasses.replace(made.session, date=dt.date.today().isoformat()))
    card = Contribution(id=f"c-{CANARY}", participant_id="p01", agenda_item_id="buf1", phase_id="vangnet",
                        kind="vangnet", text=f"Bel {PHONE}, vraag naar {CANARY}", created_at=1.0, bucket="solidariteit",
                        tags=("mens", "geven"))
    repo.add_contribution(session_id, card)
    board = repo.get_board(session_id, "buf1")
    assert board is not None
    themes = (
        *board.themes,  # "Erkenning en kracht" and "Niet oordelen", named by the facilitator
        Theme(id="t-auto", name=f"{PHONE} · {CANARY}…", cards=(card.id,), origin="suggestion",
              terms=(PHONE, CANARY)),
        Theme(id="t-phone", name=f"{CANARY} voorstel", origin="participant", proposed_by="p01"),
        Theme(id="t-typed", name=f"Bel Jan {PHONE}", accepted=True),
    )
    repo.save_board(session_id, Board(agenda_item_id="buf1", themes=themes, rode_draad=board.rode_draad,
                                      version=board.version + 1))
    return session_id


@pytest.mark.parametrize("keep_recap", [False, True])
def test_after_exporteren_en_verwijderen_nothing_of_the_participants_is_left_in_the_data_folder(
    server: LiveServer, data_dir: Path, keep_recap: bool
) -> None:
    session_id = _afternoon_with_a_board_of_every_kind(data_dir)
    server.start()
    http = server.host_session()
    base = f"{server.base_url}/host/s/{session_id}/verslag"
    assert http.get(f"{base}/alles.zip").status_code == 200  # "Download alles": the recap is recorded

    [recap] = json.loads((data_dir / "series.json").read_text("utf-8"))["series"][0]["recaps"]
    # Only names the facilitator accepted, and only those without personal data.
    assert recap["rode_draden"] == ["Erkenning en kracht", "Niet oordelen"], recap
    assert "series.json" not in files_containing(data_dir, CANARY) + files_containing(data_dir, PHONE)

    page = http.get(base).text
    assert "Bewaar de terugblik (alleen geaccepteerde themanamen en de afspraken) voor de volgende bijeenkomst" in page
    join_code = json.loads((data_dir / "sessions" / f"{session_id}.json").read_text("utf-8"))["session"]["1"][
        "join_code"]
    form = {"confirm": join_code, **({"keep_recap": "1"} if keep_recap else {})}
    deleted = http.post(f"{server.base_url}/host/s/{session_id}/verwijderen", data=form,
                        headers={"Origin": server.base_url}, allow_redirects=False)
    assert deleted.status_code == 303, deleted.text

    assert files_containing(data_dir, CANARY) == []
    assert files_containing(data_dir, PHONE) == []
    recaps = json.loads((data_dir / "series.json").read_text("utf-8"))["series"][0]["recaps"]
    if keep_recap:
        assert [r["rode_draden"] for r in recaps] == [["Erkenning en kracht", "Niet oordelen"]]
    else:
        assert recaps == []
