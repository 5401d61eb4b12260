"""Starting and stopping the real `facilitator serve`, as a facilitator does it in a terminal.

Start-up prints only the product's own Dutch lines (no eventlet notice, no Python warning, no traceback), names the
data folder (the per-user folder unless chosen), points out bijeenkomsten in the old default folder under the current
folder, and every command reads the folder serve printed. Ctrl+C stops the server within seconds, with phones on
websockets, a long-poll, an idle keep-alive connection and half-sent requests still open, and says so.

The server runs without PYTHONWARNINGS=ignore (LiveServer sets none), so any warning would show here.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import socketio

from facilitator.testing.live_server import LiveServer

pytestmark = pytest.mark.e2e

#: Seconds Ctrl+C may take to stop the server ("within a few seconds").
STOP_WITHIN = 5.0
HOST_LINK = r"Gespreksleider \(open op deze laptop\): http://127\.0\.0\.1:\d+/host/login\?key=[A-Za-z0-9_-]{22,}"
PHONES_LINK = r"Deelnemers \(telefoons\): http://[0-9a-f.:\[\]]+:\d+/"
STOPPED = r"Rode Draad is gestopt\."


def started_lines(folder: Path, *between: str) -> list[str]:
    """Return the patterns of the start-up lines, with `between` after the data folder's line."""
    return [r"Rode Draad draait\.", HOST_LINK, PHONES_LINK, "Gegevens: " + re.escape(str(folder)), *between,
            r"Stoppen: Ctrl\+C"]


def assert_lines(output: list[str], patterns: list[str]) -> None:
    """Every printed line (stdout and stderr together) matches its pattern, in order; nothing else was printed."""
    lines = [line.rstrip("\n") for line in output]
    report = "\n".join(lines)
    assert len(lines) == len(patterns), f"expected {len(patterns)} lines, got {len(lines)}:\n{report}"
    for number, (line, pattern) in enumerate(zip(lines, patterns, strict=True)):
        assert re.fullmatch(pattern, line), f"line {number} {line!r} does not match {pattern!r}:\n{report}"


def home(tmp_path: Path) -> dict[str, str | None]:
    """An environment whose per-user data folder is under tmp_path (platformdirs follows XDG_DATA_HOME on Linux)."""
    return {"XDG_DATA_HOME": str(tmp_path / "xdg"), "FACILITATOR_DATA_DIR": None}


def run_command(args: list[str], cwd: Path, env: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    """Run `python -m facilitator <args>` in cwd with env laid over ours; the checkout stays importable."""
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    for name, value in env.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run([sys.executable, "-m", "facilitator", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_start_prints_only_its_own_dutch_lines_and_the_per_user_data_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "ergens"
    elsewhere.mkdir()
    # As the product starts: the clusterer warmed up (scikit-learn loaded) before serving.
    server = LiveServer(None, cwd=elsewhere, env=home(tmp_path), warm_up=True)
    try:
        server.start(timeout=60)
        stopped_after = server.interrupt(within=STOP_WITHIN)
    finally:
        server.kill()
    folder = tmp_path / "xdg" / "rode-draad"
    assert_lines(server.output, [*started_lines(folder), STOPPED])
    assert (folder / "facilitator.key").is_file()
    assert list(elsewhere.iterdir()) == [], "nothing is written in the folder the command was started from"
    print(f"stopped {stopped_after:.2f} s after Ctrl+C")


def test_ctrl_c_during_start_up_stops_quietly(tmp_path: Path) -> None:
    # The warm-up (about 1.5 s) runs after the start-up lines; Ctrl+C right then must not print a traceback.
    server = LiveServer(tmp_path / "data", warm_up=True)
    try:
        server.start(timeout=60, answering=False)
        server.interrupt(within=STOP_WITHIN)
    finally:
        server.kill()
    assert_lines(server.output, [*started_lines(tmp_path / "data"), STOPPED])


def test_an_old_data_folder_under_the_current_folder_is_pointed_out(tmp_path: Path) -> None:
    work = tmp_path / "werkmap"
    old = work / "rode-draad-data"
    old.mkdir(parents=True)
    earlier = LiveServer(old)  # bijeenkomsten made where the old default put them
    try:
        earlier.start()
        for title in ("Dinsdag", "Woensdag"):
            earlier.create_bijeenkomst(title)
        earlier.interrupt(within=STOP_WITHIN)
    finally:
        earlier.kill()

    env = home(tmp_path)
    server = LiveServer(None, cwd=work, env=env)
    try:
        server.start()
        server.interrupt(within=STOP_WITHIN)
    finally:
        server.kill()
    hint = (f"Er staan ook 2 bijeenkomsten in {old}; start met --data-dir {old} om die te gebruiken.")
    assert_lines(server.output, [*started_lines(tmp_path / "xdg" / "rode-draad", re.escape(hint)), STOPPED])

    listed = run_command(["list"], cwd=work, env=env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == "Er zijn geen bijeenkomsten opgeslagen.\n"
    assert listed.stderr == hint + "\n"
    chosen = run_command(["list", "--data-dir", str(old)], cwd=tmp_path, env=env)
    assert chosen.returncode == 0, chosen.stderr
    assert "Dinsdag" in chosen.stdout and "Woensdag" in chosen.stdout and chosen.stderr == ""


@pytest.mark.parametrize("chosen", ["default", "environment"])
def test_every_command_reads_the_folder_serve_printed(tmp_path: Path, chosen: str) -> None:
    env = home(tmp_path)
    if chosen == "environment":
        env["FACILITATOR_DATA_DIR"] = str(tmp_path / "gekozen")
    started_in, listed_in = tmp_path / "een", tmp_path / "twee"
    started_in.mkdir()
    listed_in.mkdir()
    server = LiveServer(None, cwd=started_in, env=env)
    try:
        server.start()
        made = server.create_bijeenkomst("Op de laptop")
        server.interrupt(within=STOP_WITHIN)
    finally:
        server.kill()
    [printed] = [line.removeprefix("Gegevens: ").strip() for line in server.output if line.startswith("Gegevens: ")]
    expected = tmp_path / "gekozen" if chosen == "environment" else tmp_path / "xdg" / "rode-draad"
    assert Path(printed) == expected

    listed = run_command(["list"], cwd=listed_in, env=env)
    assert listed.returncode == 0, listed.stderr
    assert made["id"] in listed.stdout and "Op de laptop" in listed.stdout, listed.stdout
    exported = run_command(["export", made["join_code"], "--format", "md", "-o", "-"], cwd=listed_in, env=env)
    assert exported.returncode == 0, exported.stderr
    assert "Op de laptop" in exported.stdout


def open_raw(port: int, sent: bytes) -> socket.socket:
    """Open a plain TCP connection to the server and send `sent` (possibly half a request)."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=5)
    connection.sendall(sent)
    return connection


def read_response(connection: socket.socket) -> bytes:
    """Read one whole response with a Content-Length (enough for /healthz)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    while len(body) < length:
        body += connection.recv(4096)
    return head


def test_ctrl_c_stops_within_seconds_with_phones_and_open_connections(data_dir: Path) -> None:
    server = LiveServer(data_dir)
    clients: list[socketio.Client] = []
    raw: list[socket.socket] = []
    try:
        server.start()
        made = server.create_bijeenkomst("Met telefoons")
        # Three phones on websockets, one on long-polling (its GET waits at the server for up to 25 s), the host.
        for transport in ("websocket", "websocket", "websocket", "polling"):
            phone = socketio.Client(reconnection=False)
            phone.connect(server.base_url, auth={"token": server.join_phone(made["join_code"])},
                          transports=[transport], wait_timeout=15)
            assert phone.call("join_session", {"session": made["id"], "role": "participant"}, timeout=15)["ok"]
            clients.append(phone)
        host = socketio.Client(reconnection=False)
        host.connect(server.base_url, headers={"Cookie": f"rd_host={server.key}"}, transports=["websocket"],
                     wait_timeout=15)
        clients.append(host)
        # An idle keep-alive connection after one whole request; a request line without its headers; a POST
        # whose body never comes.
        idle = open_raw(server.port, b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert b" 200 " in read_response(idle)
        raw.append(idle)
        raw.append(open_raw(server.port, b"GET /healthz HTTP/1.1\r\n"))
        raw.append(open_raw(server.port, b"POST /j/ABCDEF HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                         b"Content-Length: 1000\r\n\r\n{\"table\""))
        time.sleep(0.3)  # let the long-poll reach the server (its GET is sent after each answer)
        stopped_after = server.interrupt(within=STOP_WITHIN)
    finally:
        server.kill()
        for connection in raw:
            connection.close()
        for client in clients:
            try:
                client.disconnect()
            except Exception:  # noqa: BLE001 - the server is gone; cleanup goes on
                pass
    print(f"stopped {stopped_after:.2f} s after Ctrl+C")
    assert_lines(server.output, [*started_lines(data_dir), STOPPED])
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.base_url}/healthz", timeout=2)


def test_ctrl_c_stops_within_seconds_while_phones_send_flat_out(data_dir: Path) -> None:
    # Without the rate limit, four phones send as fast as they can, so SIGINT arrives while handlers run; Python's
    # KeyboardInterrupt then landed in one of them, where engine.io caught and logged it and the server went on.
    server = LiveServer(data_dir, env={"FACILITATOR_PHONE_EVENTS_BURST": "0"})
    phones: list[socketio.Client] = []
    sending = threading.Event()
    sending.set()
    sent = [0]

    def send(phone: socketio.Client, session_id: str) -> None:
        while sending.is_set():
            try:
                phone.emit("submit_contribution", {"session": session_id, "client_id": f"c-{uuid.uuid4().hex[:12]}",
                                                   "text": "vertrouwen tussen ouders en school"})
            except Exception:  # noqa: BLE001 - the server went away: stop sending
                return
            sent[0] += 1

    try:
        server.start()
        made = server.create_bijeenkomst("Druk")
        for _ in range(4):
            phone = socketio.Client(reconnection=False)
            phone.connect(server.base_url, auth={"token": server.join_phone(made["join_code"])},
                          transports=["websocket"], wait_timeout=15)
            assert phone.call("join_session", {"session": made["id"], "role": "participant"}, timeout=15)["ok"]
            phones.append(phone)
        senders = [threading.Thread(target=send, args=(phone, made["id"]), daemon=True) for phone in phones]
        for sender in senders:
            sender.start()
        deadline = time.monotonic() + 30
        while sent[0] < 2000 and time.monotonic() < deadline:  # the server is busy with them by now
            time.sleep(0.05)
        stopped_after = server.interrupt(within=STOP_WITHIN)
    finally:
        sending.clear()
        server.kill()
        for phone in phones:
            try:
                phone.disconnect()
            except Exception:  # noqa: BLE001 - the server is gone; cleanup goes on
                pass
    print(f"stopped {stopped_after:.2f} s after Ctrl+C, {sent[0]} events sent")
    assert_lines(server.output, [*started_lines(data_dir), STOPPED])
