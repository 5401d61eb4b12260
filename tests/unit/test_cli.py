"""The serve command's port handling."""

from __future__ import annotations

import socket

from click.testing import CliRunner

from facilitator.cli import bind_socket, main


def test_a_taken_port_falls_back_to_a_free_one() -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        sock = bind_socket("127.0.0.1", port)
        try:
            chosen = sock.getsockname()[1]
            assert chosen != port
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        finally:
            sock.close()
    finally:
        taken.close()


def test_port_zero_means_any_free_port() -> None:
    sock = bind_socket("127.0.0.1", 0)
    try:
        assert sock.getsockname()[1] > 0
    finally:
        sock.close()


def test_serve_help_lists_the_options() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--data-dir", "--public-url"):
        assert option in result.output


def test_serve_reports_an_unusable_data_folder_plainly(tmp_path) -> None:
    import subprocess
    import sys

    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    result = subprocess.run(
        [sys.executable, "-m", "facilitator", "serve", "--port", "0", "--data-dir", str(blocker / "data")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Error: Rode Draad kan niet starten:" in result.stderr
    assert "Traceback" not in result.stderr
