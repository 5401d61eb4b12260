"""When `facilitator serve` asks for a browser at all (the opening itself runs against the real server in
tests/e2e/test_facilitator_start.py)."""

from __future__ import annotations

import pytest

from facilitator.cli import _can_show_a_browser


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "win32", True),
        ({}, "darwin", True),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"BROWSER": "firefox"}, "linux", True),  # chosen by hand: always tried
        ({}, "linux", False),  # a server without a desktop (ssh, a container): nothing to open
        ({"DISPLAY": ""}, "freebsd14", False),
    ],
)
def test_a_browser_is_asked_for_only_where_one_could_appear(environ: dict[str, str], platform: str, expected: bool) -> None:
    assert _can_show_a_browser(environ, platform) is expected
