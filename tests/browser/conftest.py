"""Browser tests: Debian's Chromium driven by Playwright against the real eventlet server.

Fixtures:
- ``live_server``: one `facilitator serve` process per test module, with its own data folder.
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
from tests.browser.helpers import REPO_ROOT, OpenedPage, Watch

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
    server = LiveServer(tmp_path_factory.mktemp("rode-draad-data"), cwd=REPO_ROOT).start()
    try:
        yield server
    finally:
        server.stop()


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
