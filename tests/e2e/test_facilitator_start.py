"""Starting like a facilitator expects (issue 14, point 8), against the real `facilitator serve`.

- `facilitator serve` opens the facilitator's page (the printed link) in the default browser; `--no-browser` and
  FACILITATOR_OPEN_BROWSER=false turn that off, and a browser command that hangs or fails neither holds up nor
  breaks the start, nor prints anything. The "browser" here is a script named by BROWSER (Python's webbrowser
  honours it) that writes down its process id and the link it got, then hangs or fails.
- The prepared timer of the first agenda item is the room's timer from the start: before, a new bijeenkomst whose
  open question was prepared with 3 minutes showed "geen tijd" and started at the default 5:00.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from facilitator.testing.clients import WAIT, Recorder, run
from facilitator.testing.live_server import LiveServer
from tests.e2e.test_start_stop import STOP_WITHIN, STOPPED, assert_lines, started_lines

pytestmark = pytest.mark.e2e


def prepare_first_timer(server: LiveServer, http: requests.Session, session_id: str, minutes: str) -> None:
    """Set the first item's timer on the prepare page, as the facilitator does (minutes, as typed)."""
    page = http.get(f"{server.base_url}/host/s/{session_id}/voorbereiden")
    assert page.status_code == 200
    item_id = page.text.split('id="item-', 1)[1].split('"', 1)[0]
    saved = http.post(
        f"{server.base_url}/host/s/{session_id}/agenda/{item_id}",
        data={"title": "", "timers.antwoorden": minutes},
        headers={"Origin": server.base_url},
        allow_redirects=False,
    )
    assert saved.status_code == 303, saved.text


def test_a_new_bijeenkomst_shows_and_starts_the_prepared_timer(live_server: LiveServer) -> None:
    http = live_server.host_session()
    created = http.post(f"{live_server.base_url}/host/sessions", json={"title": "Eerste middag"}).json()
    prepare_first_timer(live_server, http, created["id"], "3")

    async def scenario() -> tuple[Any, Any]:
        host = Recorder("host")
        try:
            await host.connect(live_server.base_url, host_key=live_server.key)
            state = await host.join(created["id"], "host")
            ack = await host.call("control_timer", {"session": created["id"], "action": "start"})
            assert ack == {"ok": True, "running": True}
            await host.wait_for(lambda: bool(host.of("timer_changed")))
            return state["timer"], host.of("timer_changed")[0]["timer"]
        finally:
            await host.close()

    shown, started = run(scenario())
    assert shown == {"duration": 180, "remaining": 180.0, "running": False}  # not "geen tijd"
    assert started["duration"] == 180 and started["running"] is True  # 3:00 as prepared, not the default 5:00
    assert 170 <= started["remaining"] <= 180



def fake_browser(folder: Path, name: str, then: str) -> tuple[Path, Path]:
    """Write a browser command that records "<pid> <link>" and then runs `then`; return it and its record file."""
    record = folder / f"{name}.opened"
    script = folder / name
    script.write_text(f'#!/bin/sh\necho "$$ $1" >> "{record}"\n{then}\n', encoding="utf-8")
    script.chmod(0o755)
    return script, record


def opened(record: Path, timeout: float = WAIT) -> list[tuple[int, str]]:
    """Wait until the fake browser wrote its record; return the (pid, link) lines."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if record.exists() and record.read_text(encoding="utf-8").endswith("\n"):
            lines = record.read_text(encoding="utf-8").splitlines()
            return [(int(pid), link) for pid, link in (line.split(" ", 1) for line in lines)]
        time.sleep(0.05)
    raise AssertionError(f"the browser was not asked to open anything within {timeout} s")


def end_fake_browsers(record: Path) -> None:
    """Stop the fake browser processes this test caused (by their own recorded ids)."""
    if not record.exists():
        return
    for line in record.read_text(encoding="utf-8").splitlines():
        try:
            os.kill(int(line.split(" ", 1)[0]), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass


def serve_with_browser(data_dir: Path, browser: Path, *, args: list[str] | None = None,
                       env: dict[str, str | None] | None = None) -> LiveServer:
    """A server started as a facilitator starts it: no --no-browser, FACILITATOR_OPEN_BROWSER unset."""
    environment: dict[str, str | None] = {"BROWSER": str(browser), "FACILITATOR_OPEN_BROWSER": None, **(env or {})}
    server = LiveServer(data_dir, args=args, env=environment)
    server.no_browser = False
    return server


def test_serve_opens_the_facilitators_page_and_a_hanging_browser_holds_nothing_up(
    tmp_path: Path, data_dir: Path
) -> None:
    browser, record = fake_browser(tmp_path, "hangs", "exec sleep 600")
    server = serve_with_browser(data_dir, browser)
    try:
        started = time.monotonic()
        server.start()
        answered_after = time.monotonic() - started
        [(_pid, link)] = opened(record)
        assert link == f"{server.base_url}/host/login?key={server.key}"  # the regie: the printed link
        assert requests.get(f"{server.base_url}/healthz", timeout=5).json() == {"ok": True}
        stopped_after = server.interrupt(within=STOP_WITHIN)
    finally:
        server.kill()
        end_fake_browsers(record)
    assert answered_after < WAIT
    assert stopped_after < STOP_WITHIN
    assert_lines(server.output, [*started_lines(data_dir), STOPPED])  # nothing else printed


def test_a_browser_that_fails_or_is_missing_does_not_fail_the_start_nor_print(tmp_path: Path, data_dir: Path) -> None:
    browser, record = fake_browser(tmp_path, "fails", 'echo "kapotte browser"; echo "kapot" >&2; exit 3')
    missing = tmp_path / "bestaat-niet"
    server = serve_with_browser(data_dir, browser, env={"BROWSER": f"{missing}{os.pathsep}{browser}"})
    try:
        server.start()
        assert [link for _pid, link in opened(record)] == [f"{server.base_url}/host/login?key={server.key}"]
        assert requests.get(f"{server.base_url}/healthz", timeout=5).ok
        server.interrupt(within=STOP_WITHIN)
    finally:
        server.kill()
    assert_lines(server.output, [*started_lines(data_dir), STOPPED])
    assert "kapot" not in "".join(server.output)


@pytest.mark.parametrize("off", ["--no-browser", "FACILITATOR_OPEN_BROWSER=false"])
def test_no_browser_and_the_setting_turn_it_off(tmp_path: Path, data_dir: Path, off: str) -> None:
    quiet_browser, quiet_record = fake_browser(tmp_path, "quiet", "exit 0")
    args, env = (["--no-browser"], {}) if off.startswith("--") else ([], {"FACILITATOR_OPEN_BROWSER": "false"})
    quiet = serve_with_browser(data_dir, quiet_browser, args=args, env=env)
    # A second server, started after the first with browser opening on, shows how long asking a browser takes:
    # once its browser has been asked, the first one would have been too.
    witness_browser, witness_record = fake_browser(tmp_path, "witness", "exit 0")
    witness = serve_with_browser(tmp_path / "witness-data", witness_browser)
    try:
        quiet.start()
        witness.start()
        opened(witness_record)
        assert not quiet_record.exists(), "the browser was opened although it was turned off"
        assert requests.get(f"{quiet.base_url}/healthz", timeout=5).ok
    finally:
        quiet.kill()
        witness.kill()
