"""Fixtures for the end-to-end tests: a real `facilitator serve` process that is always cleaned up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.testing.live_server import LiveServer


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder of its own for each test."""
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def live_server(data_dir: Path) -> Iterator[LiveServer]:
    """A started server; killed afterwards whatever happened (restarts inside the test included)."""
    server = LiveServer(data_dir)
    try:
        server.start()
        yield server
    finally:
        server.kill()
        # Shown by pytest only when the test failed.
        print("---- server output ----\n" + "".join(server.output))
