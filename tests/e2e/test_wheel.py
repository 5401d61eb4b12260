"""The built wheel alone serves the app: templates, static files and translations travel inside it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import requests

from facilitator.testing.live_server import LiveServer

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


def run_checked(args: list[str], cwd: Path, timeout: float = 120) -> str:
    """Run a command with an empty PYTHONPATH; fail with its output if it fails."""
    result = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=dict(os.environ, PYTHONPATH="")
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def build_wheel(outdir: Path) -> Path:
    """Build the wheel (isolated build; without isolation only if that fails, e.g. offline)."""
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(REPO)]
    try:
        run_checked(command, cwd=REPO)
    except AssertionError as isolated:
        try:
            run_checked([*command, "--no-isolation"], cwd=REPO)
        except AssertionError as plain:
            raise AssertionError(f"{isolated}\n--- and without isolation ---\n{plain}") from None
    [wheel] = outdir.glob("rode_draad-*.whl")
    return wheel


def test_wheel_installs_and_serves_from_outside_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel = build_wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "facilitator/__init__.py",
        "facilitator/templates/base.html",
        "facilitator/static/css/app.css",
        "facilitator/static/vendor/socket.io/socket.io.min.js",
        "workformats/open_vraag.py",
    ):
        assert needed in names, needed

    # A venv that sees the installed dependencies but gets its own copy of the app from the wheel.
    venv = tmp_path / "venv"
    run_checked([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], cwd=tmp_path)
    venv_python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    # pip comes from the system site-packages; it installs into the venv and leaves the
    # editable install of the checkout alone ("outside environment").
    run_checked(
        [str(venv_python), "-m", "pip", "install", "--no-deps", "--force-reinstall", "--no-index", str(wheel)],
        cwd=outside,
    )

    imported = Path(
        run_checked([str(venv_python), "-c", "import facilitator; print(facilitator.__file__)"], cwd=outside).strip()
    )
    assert imported.resolve().is_relative_to(venv.resolve()), imported
    workformats = Path(
        run_checked([str(venv_python), "-c", "import workformats; print(workformats.__file__)"], cwd=outside).strip()
    )
    assert workformats.resolve().is_relative_to(venv.resolve()), workformats

    # The server inherits these; the bytecode prefix records every source file it really imports.
    pycache = tmp_path / "pycache"
    monkeypatch.setenv("PYTHONPATH", "")
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", str(pycache))  # writes go there only, never beside sources
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    server = LiveServer(tmp_path / "data", python=str(venv_python), cwd=outside)
    try:
        server.start()

        page = requests.get(f"{server.base_url}/", timeout=10)
        assert page.status_code == 200
        assert page.headers["Content-Type"].startswith("text/html")
        assert '<html lang="nl"' in page.text

        for asset in ("css/app.css", "vendor/socket.io/socket.io.min.js"):
            response = requests.get(f"{server.base_url}/static/{asset}", timeout=10)
            assert response.status_code == 200, asset
            assert response.content == (REPO / "static" / asset).read_bytes(), asset

        host = server.host_session()
        dashboard = host.get(f"{server.base_url}/host/", timeout=10)
        assert dashboard.status_code == 200
        assert '<html lang="nl"' in dashboard.text
        bijeenkomst = server.create_bijeenkomst("Uit het wiel")
        view = host.get(bijeenkomst["host_url"], timeout=10)
        assert view.status_code == 200
        assert "Uit het wiel" in view.text
        assert host.get(f"{server.base_url}/host/s/{bijeenkomst['id']}/qr.svg", timeout=10).status_code == 200
    finally:
        server.kill()

    # The server process compiled the app from the venv, never from the checkout.
    compiled = {p.relative_to(pycache).as_posix() for p in pycache.rglob("*.pyc")}
    venv_part = venv.resolve().relative_to("/").as_posix()
    assert any(name.startswith(f"{venv_part}/lib/") and "/facilitator/" in name for name in compiled), compiled
    repo_part = REPO.resolve().relative_to("/").as_posix()
    assert not [name for name in compiled if name.startswith(f"{repo_part}/")]
