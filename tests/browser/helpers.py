"""Helpers for the browser tests: watch a page, assert it stayed clean, save screenshots."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Dialog, FloatRect, Locator, Page
from werkzeug.serving import WSGIRequestHandler, make_server

from facilitator import create_app, services

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Screenshots land in tests/browser/artifacts/; with UPDATE_SCREENSHOTS=1 they replace the README's.
SCREENSHOTS = REPO_ROOT / ("docs/screenshots" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else "tests/browser/artifacts")


@dataclass
class Watch:
    """What one page did that a test may want to assert on."""

    name: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        location = message.location.get("url", "") if message.location else ""
        if "favicon" in location or "favicon" in message.text:
            return  # Chromium asks for /favicon.ico on its own; a 404 there is not the app's error
        self.console_errors.append(f"{message.text} ({location})")

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def foreign_urls(self, base_url: str) -> list[str]:
        """Return every request or socket URL that did not go to the local server."""
        local = urlsplit(base_url).netloc
        foreign = []
        for url in self.requests + self.websockets:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.netloc != local:
                foreign.append(url)
        return foreign


@dataclass
class OpenedPage:
    page: Page
    context: BrowserContext
    watch: Watch


def assert_clean(*opened: OpenedPage, base_url: str) -> None:
    """Fail on console errors, uncaught errors, dialogs, or requests to any other origin, on any page."""
    problems = []
    for item in opened:
        watch = item.watch
        for label, found in (
            ("console errors", watch.console_errors),
            ("uncaught errors", watch.page_errors),
            ("dialogs", watch.dialogs),
            ("requests to another origin", watch.foreign_urls(base_url)),
        ):
            if found:
                problems.append(f"{watch.name}: {label}: {found}")
    assert not problems, "\n".join(problems)


def screenshot(page: Page, name: str) -> Path:
    """Save a screenshot of what is on screen (see SCREENSHOTS)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path


def wait_until(page: Page, ready: Callable[[], bool], about: object, timeout: float = 5.0) -> None:
    """Poll a condition outside the page (a phone's events, the stored files) while the page keeps running."""
    for _ in range(int(timeout * 10)):
        if ready():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"condition not met in {timeout} s: {about!r}")


def boxes(page: Page, *locators: Locator, timeout: float = 5.0) -> list[FloatRect]:
    """Return the boxes of elements to drag between, once all are laid out at the same moment.

    A board redraws itself when its change comes back from the server; an element read in the middle of
    that has no box yet, so read again rather than fail on a passing moment.
    """
    for _ in range(int(timeout * 10)):
        found = [locator.bounding_box() for locator in locators]
        if all(found):
            return [box for box in found if box]
        page.wait_for_timeout(100)
    raise AssertionError(f"no layout in {timeout} s for {locators!r}")


@dataclass
class Room:
    """A live server in this process and one bijeenkomst on it."""

    app: Any
    base_url: str
    session_id: str = ""
    join_code: str = ""

    @property
    def deps(self) -> Any:
        return self.app.extensions["rode_draad"]

    def do(self, use_case: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a use case for this bijeenkomst and publish its events, as a host handler does."""
        with self.app.test_request_context("/"):
            result = use_case(self.deps.repo, *args, **kwargs)
            *value, events = result if isinstance(result, tuple) else (result, [])
            self.deps.publish(events)
        return value[0] if len(value) == 1 else tuple(value)

    def add(self, workformat: str, settings: dict[str, Any] | None = None) -> int:
        """Put a werkvorm on the agenda; return its index."""
        self.do(services.add_agenda_item, self.deps.registry, self.session_id, workformat, settings)
        return len(self.deps.repo.get_session(self.session_id).agenda) - 1

    def go_to(self, item: int, phase: int) -> None:
        self.do(services.go_to, self.deps.registry, self.session_id, item, phase)

    def item_id(self, index: int) -> str:
        return str(self.deps.repo.get_session(self.session_id).agenda[index].id)

    def contributions(self, kind: str | None = None) -> list[Any]:
        return [c for c in self.deps.repo.list_contributions(self.session_id) if kind is None or c.kind == kind]

    def participants(self) -> list[Any]:
        return sorted(self.deps.repo.list_participants(self.session_id), key=lambda p: p.number)

    def host_state(self) -> dict[str, Any]:
        with self.app.test_request_context("/"):
            return self.deps.realtime.host_state(self.session_id)


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without its access log (the product writes none either)."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@contextlib.contextmanager
def in_process_server(host_key: str) -> Iterator[Room]:
    """Serve the app (memory store, threading mode) in this process on a free port; yield its Room without a session."""
    app = create_app({"STORAGE": "memory", "HOST_KEY": host_key, "ASYNC_MODE": "threading"})
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Room(app=app, base_url=f"http://127.0.0.1:{httpd.server_port}")
    finally:
        httpd.shutdown()
