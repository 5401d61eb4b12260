"""Start the real `facilitator serve` (eventlet) in a subprocess, for the e2e and browser tests and the benchmarks."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import requests

_HOST_LINK = re.compile(r"(http://127\.0\.0\.1:(\d+))/host/login\?key=(\S+)")


class LiveServer:
    """One server process on a free port with its own data folder; restartable on the same folder."""

    def __init__(
        self,
        data_dir: Path | None,
        *,
        python: str = sys.executable,
        cwd: Path | None = None,
        command: list[str] | None = None,
        warm_up: bool = False,
        args: list[str] | None = None,
        env: dict[str, str | None] | None = None,
    ) -> None:
        #: None: no --data-dir, so the server picks its default folder (set XDG_DATA_HOME in `env` then).
        self.data_dir = Path(data_dir) if data_dir is not None else None
        #: Extra environment for the server; a None value removes the variable.
        self.env = env or {}
        self.python = python
        self.cwd = cwd
        #: What to run instead of the product's serve command (e.g. the benchmark's floor server);
        #: it must print the same "host link" line.
        self.command = command
        #: Load the clusterer right after start, as the product does; off by default so that the many short-lived
        #: test servers do not each spend two CPU-seconds on it.
        self.warm_up = warm_up
        #: Further options for the serve command (e.g. ["--public-url", "http://rd.example:8443"]).
        self.args = list(args or [])
        #: Tests never open a browser: the serve command gets --no-browser, and every command (also one given as
        #: `command`) FACILITATOR_OPEN_BROWSER=false. Only a test of the opening itself sets this to False.
        self.no_browser = True
        self.process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self.output: list[str] = []
        self.base_url = ""
        self.port = 0
        self.key = ""

    def start(self, timeout: float = 30.0, *, answering: bool = True) -> LiveServer:
        """Start the server and wait until it answers /healthz (or, with answering=False, has printed its links)."""
        # No PYTHONWARNINGS=ignore: the server must print only its own lines without help (test_start_stop.py).
        env = dict(os.environ, PYTHONUNBUFFERED="1",
                   FACILITATOR_WARM_UP_CLUSTERING="true" if self.warm_up else "false")
        if self.no_browser:
            env["FACILITATOR_OPEN_BROWSER"] = "false"
        for name, value in self.env.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        self.output = []
        folder = ["--data-dir", str(self.data_dir)] if self.data_dir is not None else []
        quiet = ["--no-browser"] if self.no_browser else []
        command = self.command or [
            self.python, "-m", "facilitator", "serve", "--host", "127.0.0.1", "--port", "0", *folder, *quiet,
            *self.args,
        ]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=self.cwd,
        )
        found = threading.Event()

        def drain() -> None:
            assert self.process is not None and self.process.stdout is not None
            for line in self.process.stdout:
                self.output.append(line)
                match = _HOST_LINK.search(line)
                if match:
                    self.base_url, self.port, self.key = match.group(1), int(match.group(2)), match.group(3)
                    found.set()

        self._reader = threading.Thread(target=drain, daemon=True)
        self._reader.start()
        if not found.wait(timeout):
            self.kill()
            raise RuntimeError("server did not print its host link:\n" + "".join(self.output))
        if not answering:
            return self
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base_url}/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError("server did not answer /healthz:\n" + "".join(self.output))

    def host_session(self) -> requests.Session:
        """Return an HTTP session signed in as the facilitator."""
        http = requests.Session()
        response = http.get(f"{self.base_url}/host/login", params={"key": self.key}, allow_redirects=False)
        assert response.status_code == 303, response.status_code
        return http

    def create_bijeenkomst(self, title: str = "Testbijeenkomst", **fields: str) -> dict[str, str]:
        """Create a bijeenkomst through the host API; return its id, join code and URLs."""
        response = self.host_session().post(f"{self.base_url}/host/sessions", json={"title": title, **fields})
        assert response.status_code == 201, response.text
        created: dict[str, str] = response.json()
        return created

    def join_phone(self, join_code: str, **fields: Any) -> str:
        """Join as a phone over HTTP; return the participant token."""
        response = requests.post(f"{self.base_url}/j/{join_code}", json=fields)
        assert response.status_code == 200, response.text
        return str(response.json()["token"])

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Stop the process at once (SIGKILL by default: no clean shutdown); never leave it running."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                # A polite signal that was not obeyed: end it anyway, then fail, so no server outlives the test.
                self.process.kill()
                self.process.wait(timeout=10)
                raise
        self._collect()

    def interrupt(self, within: float = 5.0) -> float:
        """Press Ctrl+C (SIGINT) and return how long the server took to exit; fail if it took longer than `within`."""
        assert self.process is not None and self.process.poll() is None, "the server is not running"
        started = time.monotonic()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            self._collect()
            output = "".join(self.output)
            raise AssertionError(f"the server did not stop within {within} s of Ctrl+C:\n{output}") from None
        elapsed = time.monotonic() - started
        self._collect()
        return elapsed

    def stop(self) -> None:
        """Stop the process as the facilitator does (Ctrl+C), then firmly."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._collect()

    def _collect(self) -> None:
        """Wait until the reader has every line the exited process printed."""
        if self._reader is not None and self.process is not None and self.process.poll() is not None:
            self._reader.join(timeout=10)
