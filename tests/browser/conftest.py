"""Browser tests: Debian's Chromium driven by Playwright against the real eventlet server.

Fixtures:
- ``live_server``: one `facilitator serve` process per test module, with its own data folder.
- ``app_server``: the app served in this process (memory store, threading mode) per test module, signed in with
  helpers.HOST_KEY; helpers.new_room(app_server, ...) puts a fresh bijeenkomst on it.
- ``phone``: factory for a phone page at 360x740 (phone("A")), the smallest phone the product is laid out for.
- ``phones``: factory for phones without a browser (python-socketio), disconnected after the test.
- ``browser``: one headless Chromium per test session (fails, never skips, when Chromium is missing).
- ``open_page``: factory for a fresh browser context + page ("host" 1600x900, "phone" 390x844, or a custom
  viewport); every page is watched for console errors, page errors, dialogs and requests.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import SMALL_PHONE, OpenedPage, Phone, Room, Watch, in_process_server, serving

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

HOST_VIEWPORT = {"width": 1600, "height": 900}
PHONE_VIEWPORT = {"width": 390, "height": 844}
# Playwright's default is 30 s; a local server answers in milliseconds, so fail fast and clearly.
DEFAULT_TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serving(tmp_path_factory.mktemp("rode-draad-data")) as server:
        yield server


@pytest.fixture(scope="module")
def app_server() -> Iterator[Room]:
    """The app in this process, so a test reads exactly what was stored; no bijeenkomst yet."""
    with in_process_server() as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if not executable:
        pytest.fail("Chromium is not installed (expected Debian's /usr/bin/chromium); browser tests cannot run")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., OpenedPage]]:
    """Open a watched page in a fresh context: open_page("host"), open_page("phone"), open_page("x", viewport=...)."""
    contexts: list[BrowserContext] = []

    def _open(kind: str, name: str | None = None, **options: Any) -> OpenedPage:
        settings: dict[str, Any] = {"locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}
        if kind == "host":
            settings.update(viewport=HOST_VIEWPORT, device_scale_factor=1)
        else:
            settings.update(viewport=PHONE_VIEWPORT, device_scale_factor=2, is_mobile=True, has_touch=True)
        settings.update(options)
        context = browser.new_context(**settings)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        watch = Watch(name or kind)
        context.on("request", lambda request: watch.requests.append(request.url))
        page = context.new_page()
        page.on("console", watch.on_console)
        page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
        page.on("dialog", watch.on_dialog)
        page.on("websocket", lambda socket: watch.websockets.append(socket.url))
        return OpenedPage(page=page, context=context, watch=watch)

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def phone(open_page: Callable[..., OpenedPage]) -> Callable[..., OpenedPage]:
    """Open a phone page at 360x740: phone("A"), or phone("A", bypass_csp=True) for more options."""
    return lambda name, **options: open_page("phone", name, viewport=SMALL_PHONE, **options)


@pytest.fixture
def phones() -> Iterator[Callable[..., Phone]]:
    """Join phones without a browser: phones(server, (session_id, join_code), table=1); all closed afterwards."""
    opened: list[Phone] = []

    def _open(server: LiveServer, meeting: tuple[str, str], **fields: Any) -> Phone:
        made = Phone(server, meeting, **fields)
        opened.append(made)
        return made

    yield _open
    for made in opened:
        made.close()
