"""Choosing the server runtime (facilitator/web/server_runtime.py); both modes serve in tests/e2e/test_smoke_modes.py."""

from __future__ import annotations

import signal
import threading

import pytest
from click.testing import CliRunner

from facilitator import create_app
from facilitator.cli import main
from facilitator.web import server_runtime


@pytest.mark.parametrize(("environ", "mode"), [
    ({}, "eventlet"),
    ({"FACILITATOR_ASYNC_MODE": ""}, "eventlet"),
    ({"FACILITATOR_ASYNC_MODE": " Threading "}, "threading"),
    ({"FACILITATOR_ASYNC_MODE": "eventlet"}, "eventlet"),
])
def test_the_environment_chooses_the_mode_and_eventlet_is_the_default(environ: dict[str, str], mode: str) -> None:
    assert server_runtime.chosen_mode(environ) == mode
    assert server_runtime.runtime(mode).name == mode


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="eventlet, threading"):
        server_runtime.runtime("gevent")


def test_serve_refuses_an_unknown_mode_in_dutch_before_it_patches_or_starts(tmp_path, monkeypatch) -> None:
    previous = signal.getsignal(signal.SIGINT)
    monkeypatch.setenv("FACILITATOR_ASYNC_MODE", "gevent")
    try:
        result = CliRunner().invoke(main, ["serve", "--port", "0", "--no-browser", "--data-dir", str(tmp_path)])
    finally:
        signal.signal(signal.SIGINT, previous)
    assert result.exit_code == 1
    assert "Onbekende servermodus gevent in FACILITATOR_ASYNC_MODE: kies eventlet of threading." in result.output
    assert not (tmp_path / "facilitator.key").exists()  # no app was made


def test_under_threading_blocking_work_runs_in_the_callers_thread() -> None:
    # Each request has its own thread already; handing work to another would only add a hop.
    runtime = server_runtime.runtime("threading")
    assert runtime.run_blocking(threading.get_ident) == threading.get_ident()
    assert runtime.run_blocking(lambda a, *, b: a + b, 1, b=2) == 3


def test_the_app_tells_socketio_its_runtimes_mode(tmp_path) -> None:
    app = create_app({"DATA_DIR": str(tmp_path), "ASYNC_MODE": "threading", "WARM_UP_CLUSTERING": False})
    realtime = app.extensions["rode_draad"].realtime
    assert realtime.socketio.async_mode == "threading"
    with pytest.raises(ValueError, match="ASYNC_MODE"):
        create_app({"DATA_DIR": str(tmp_path / "other"), "ASYNC_MODE": "gevent"})
