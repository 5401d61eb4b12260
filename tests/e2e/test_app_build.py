"""The one-folder build (scripts/build_app.py) runs on its own: a phone joins and submits, the verslag exports."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from facilitator.testing.clients import Recorder, join_over_http, run
from facilitator.testing.live_server import LiveServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
TEXT = "Ouders vaker betrekken bij het gesprek"


def built_command(executable: Path, *args: str, timeout: float = 120) -> str:
    """Run the built program with an empty PYTHONPATH; fail with its output if it fails."""
    result = subprocess.run(
        [str(executable), *args], capture_output=True, text=True, timeout=timeout, cwd=executable.parent.parent,
        env=dict(os.environ, PYTHONPATH=""),
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_built_folder_serves_a_phone_and_exports_the_verslag(tmp_path: Path) -> None:
    started = time.monotonic()
    build = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_app.py"), "--dist", str(tmp_path / "dist"),
         "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=900, cwd=REPO,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    seconds = time.monotonic() - started
    folder = tmp_path / "dist" / "rode-draad"
    executable = folder / ("rode-draad.exe" if sys.platform == "win32" else "rode-draad")
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())
    print(f"one-folder build: {seconds:.0f} s, {size / 1e6:.0f} MB")  # noqa: T201
    assert not (tmp_path / "work").exists()  # the scratch folder is cleaned up
    assert size < 400e6

    # Started as a double-click does (no command: it serves, on port 5000 or the next free one), from outside the
    # repository and without PYTHONPATH, so nothing of the checkout is used; the folder comes from the environment.
    data = tmp_path / "data"
    server = LiveServer(
        data, warm_up=True, cwd=tmp_path, command=[str(executable)],
        env={"PYTHONPATH": "", "FACILITATOR_DATA_DIR": str(data)},
    )
    try:
        server.start(timeout=60)
        bijeenkomst = server.create_bijeenkomst("Uit de map")
        session_id = bijeenkomst["id"]

        async def phone_submits() -> None:
            import aiohttp

            async with aiohttp.ClientSession() as http:
                token = await join_over_http(http, server.base_url, bijeenkomst["join_code"])
            phone = Recorder("phone")
            try:
                await phone.connect(server.base_url, token=token)
                await phone.join(session_id, "participant")
                ack = await phone.call("submit_contribution", {"session": session_id, "client_id": "uit-de-map-1",
                                                               "text": TEXT})
                assert ack == {"ok": True, "id": "uit-de-map-1"}
            finally:
                await phone.close()

        run(phone_submits())

        host = server.host_session()
        page = host.get(bijeenkomst["host_url"], timeout=10)
        assert page.status_code == 200 and "Uit de map" in page.text
        word = host.get(f"{server.base_url}/host/s/{session_id}/verslag.docx", timeout=30)
        assert word.status_code == 200 and word.content.startswith(b"PK")  # python-docx and lxml travel along
        assert requests.get(f"{server.base_url}/static/vendor/socket.io/socket.io.min.js", timeout=10).ok

        # The built program's own export, on the folder the server is using (read-only).
        markdown = built_command(executable, "export", session_id, "--format", "md", "-o", "-", "--data-dir", str(data))
        assert TEXT in markdown
        # The clusterer (scikit-learn, scipy, the Dutch word list) loads inside the build.
        (tmp_path / "bijdragen.txt").write_text(
            "ouders betrekken\nouders vaker spreken\ntijd voor gesprek\nmeer tijd nemen\n", encoding="utf-8")
        assert "Thema 1" in built_command(executable, "cluster", str(tmp_path / "bijdragen.txt"), "--count", "2")

        assert server.interrupt(within=5.0) < 5.0
    finally:
        server.kill()
        print("---- server output ----\n" + "".join(server.output))  # noqa: T201
    output = "".join(server.output)
    assert f"Gegevens: {data}" in output and "Rode Draad is gestopt." in output
    assert "Traceback" not in output and "failed" not in output, output
