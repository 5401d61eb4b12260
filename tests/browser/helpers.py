"""Helpers for the browser tests: watch a page, assert it stayed clean, save screenshots, check accessibility."""

from __future__ import annotations

import contextlib
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import socketio
from playwright.sync_api import BrowserContext, ConsoleMessage, Dialog, FloatRect, Locator, Page, expect
from werkzeug.serving import WSGIRequestHandler, make_server

from facilitator import create_app
from facilitator.core import services
from facilitator.core.domain import Perspective
from facilitator.testing.live_server import LiveServer

REPO_ROOT = Path(__file__).resolve().parents[2]
#: How long a phone without a browser waits for the server (connect, acknowledgements).
WAIT = 10.0
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

    def publish(self, use_case: Callable[..., list[Any]], *args: Any, **kwargs: Any) -> None:
        """Run a use case that returns only its events, and publish them."""
        with self.app.test_request_context("/"):
            self.deps.publish(use_case(*args, **kwargs))

    def other_phone(self, table: int | None = None, perspective: Perspective | None = None) -> Any:
        """A phone without a browser, for what others send."""
        with self.app.test_request_context("/"):
            participant, _token, events = services.join(
                self.deps.repo, self.session_id, table=table, perspective=perspective
            )
            self.deps.publish(events)
        return participant

    def send(self, participant: Any, text: str, **fields: Any) -> Any:
        """Store an answer from a phone without a browser."""
        client_id = f"a11y-{abs(hash((participant.id, text))) % 10**12:012d}"
        return self.do(
            services.submit_contribution, self.deps.registry, self.session_id, participant,
            client_id=client_id, text=text, **fields,
        )

    def host_state(self) -> dict[str, Any]:
        with self.app.test_request_context("/"):
            return self.deps.realtime.host_state(self.session_id)


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without its access log (the product writes none either)."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


#: The host key of the in-process servers (the `app_server` fixture): the host page signs in with it.
HOST_KEY = "browser-in-process-key-0123456789abcdef"
#: The smallest phone the product is laid out for (the `phone` fixture).
SMALL_PHONE = {"width": 360, "height": 740}


@contextlib.contextmanager
def in_process_server(host_key: str = HOST_KEY) -> Iterator[Room]:
    """Serve the app (memory store, threading mode) in this process on a free port; yield its Room without a session."""
    app = create_app({"STORAGE": "memory", "HOST_KEY": host_key, "ASYNC_MODE": "threading"})
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Room(app=app, base_url=f"http://127.0.0.1:{httpd.server_port}")
    finally:
        httpd.shutdown()


def new_room(server: Room, title: str = "Dialoogsessie Jeugd", *, tables: list[str] | None = None, **fields: Any) -> Room:
    """Create a fresh bijeenkomst (its agenda starts with an open question) on an in-process server; return its Room."""
    session = services.create_session(server.deps.repo, server.deps.registry, title=title, **fields)
    made = Room(app=server.app, base_url=server.base_url, session_id=session.id, join_code=session.join_code)
    if tables:
        made.do(services.set_tables, session.id, tables)
    return made


@contextlib.contextmanager
def serving(data_dir: Path, **options: Any) -> Iterator[LiveServer]:
    """Start the real server (eventlet, a subprocess) on a data folder, from the repository's root; stop it after."""
    server = LiveServer(data_dir, cwd=REPO_ROOT, **options).start()
    try:
        yield server
    finally:
        server.stop()


def join(page: Page, room: Room, *, tafel: int | None = None) -> None:
    """Scan the QR code (of a table, if given), press "Ik doe mee", wait until connected."""
    page.goto(f"{room.base_url}/j/{room.join_code}" + (f"?tafel={tafel}" if tafel else ""))
    page.get_by_role("button", name="Ik doe mee").click()
    expect(page).to_have_url(re.compile(r"/p/[0-9a-f]{12}$"))
    expect(page.locator(".status")).to_have_attribute("data-status", "connected")


def at_table(phone: Callable[..., OpenedPage], room: Room, tafel: int, *names: str) -> list[OpenedPage]:
    """Open a phone page per name, then join each at the table, in that order; return the tabs."""
    tabs = [phone(name) for name in names]
    for tab in tabs:
        join(tab.page, room, tafel=tafel)
    return tabs


def send(page: Page, text: str) -> None:
    """Send an open answer from a phone page; wait until it is acknowledged and listed once under "Jouw bijdragen"."""
    page.locator("#answer").fill(text)
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#mine .mine-item.sent").filter(has=page.get_by_text(text, exact=True))).to_have_count(1)


class Phone:
    """A phone without a browser: joined over HTTP like the join page, then a websocket speaking the phones' protocol."""

    def __init__(self, server: LiveServer, meeting: tuple[str, str], **fields: Any) -> None:
        self.session_id, join_code = meeting
        self.token = server.join_phone(join_code, **fields)
        #: Every event the server sent, in order (event name, its payload).
        self.events: list[tuple[str, Any]] = []
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("*", lambda event, *args: self.events.append((event, args[0] if args else None)))
        self.sio.connect(server.base_url, auth={"token": self.token}, transports=["websocket"], wait_timeout=WAIT)
        assert self.call("join_session", role="participant") == {"ok": True, "role": "participant"}

    def call(self, event: str, **data: Any) -> Any:
        """Emit an event for this bijeenkomst; return the server's acknowledgement."""
        return self.sio.call(event, {"session": self.session_id, **data}, timeout=WAIT)

    def send(self, text: str, **data: Any) -> str:
        """Submit a contribution; return its client id (after checking the acknowledgement)."""
        client_id = f"t-{uuid.uuid4().hex[:16]}"
        ack = self.call("submit_contribution", client_id=client_id, text=text, **data)
        assert ack == {"ok": True, "id": client_id}, ack
        return client_id

    def close(self) -> None:
        """Disconnect the websocket."""
        self.sio.disconnect()


# -- the composer in Voorbereiden -----------------------------------------------------------------------------


def add_zelf_samenstellen(host: Page) -> None:
    """Put "Zelf samenstellen" on the agenda from Voorbereiden; the composer opens."""
    host.get_by_role("radio", name=re.compile("^Zelf samenstellen")).check()
    host.get_by_role("button", name="Zet op de agenda").first.click()
    expect(host).to_have_url(re.compile(r"/agenda/[0-9a-f]+/samenstellen(#agenda)?$"))
    expect(host.locator("h1")).to_have_text("Zelf samenstellen")


def fill_list(host: Page, part: str, button: str, entries: list[str]) -> None:
    """Type rows or columns one after another, asking for a new empty one while there are more to type."""
    for index, label in enumerate(entries):
        field = host.locator(f'input[name="{part}-{index}-label"]')
        if not field.count():
            host.get_by_role("button", name=button).click()
        field.fill(label)


# -- accessibility: axe-core and contrast ------------------------------------------------------------------------

#: axe-core, vendored for the tests only (tests/browser/vendor/README.md); the product never serves it.
AXE_JS = REPO_ROOT / "tests/browser/vendor/axe-core/axe.min.js"
#: The rules of WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary || "", html: n.html })),
  }));
}"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.1 A/AA rules over the page as it is now; return the violations.

    The script goes in with Playwright's add_script_tag, an inline script: open the page's context with
    ``bypass_csp=True``, or the app's Content-Security-Policy (script-src 'self') refuses it.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    found: list[dict[str, Any]] = page.evaluate(_RUN_AXE, AXE_TAGS)
    return found


def describe_violations(by_state: dict[str, list[dict[str, Any]]]) -> str:
    """List violations per page state, one line per element, for a failing assertion."""
    lines = []
    for state, violations in by_state.items():
        for violation in violations:
            lines.append(f"{state}: {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:8]:
                summary = " ".join(node["summary"].split())
                lines.append(f"    {node['target']}  {node['html'][:160]}\n      {summary[:300]}")
    return "\n".join(lines)


_RGB = re.compile(r"rgba?\(([^)]*)\)")


def parse_colour(value: str) -> tuple[float, float, float, float]:
    """Parse a computed CSS colour (rgb()/rgba(), as getComputedStyle gives it) into r, g, b (0-255) and alpha."""
    match = _RGB.fullmatch(value.strip())
    if not match:
        raise ValueError(f"not an rgb() colour: {value!r}")
    parts = [float(p) for p in match.group(1).replace("/", ",").replace(" ", ",").split(",") if p]
    return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0


def over(top: tuple[float, float, float, float], below: tuple[float, float, float]) -> tuple[float, float, float]:
    """Composite a colour with alpha over an opaque one."""
    r, g, b, a = top
    return r * a + below[0] * (1 - a), g * a + below[1] * (1 - a), b * a + below[2] * (1 - a)


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance of an sRGB colour (0-255 channels)."""

    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


#: The opaque colour behind an element: its own and its ancestors' background colours, composited down to white.
BACKGROUND_JS = """(node, own) => {
  const layers = [];
  for (let el = own ? node : node.parentElement; el; el = el.parentElement) {
    const bg = getComputedStyle(el).backgroundColor;
    layers.push(bg);
    const alpha = bg.startsWith("rgba") ? parseFloat(bg.split(",")[3]) : 1;
    if (alpha >= 1) break;
  }
  return layers;
}"""


def background_of(page: Page, locator: Locator, *, own: bool = True) -> tuple[float, float, float]:
    """The opaque background colour an element's pixels sit on (its own background when ``own``, else its parent's)."""
    layers: list[str] = locator.evaluate(BACKGROUND_JS, own)
    colour = (255.0, 255.0, 255.0)
    for layer in reversed(layers):
        colour = over(parse_colour(layer), colour)
    return colour


#: Every visible text node of the page: its text, colour and the backgrounds behind it, each with the opacity of
#: its element and the element's ancestors (disabled controls are left out: WCAG exempts them).
TEXT_COLOURS_JS = """() => {
  const opacity = (el) => {
    let value = 1;
    for (let node = el; node; node = node.parentElement) value *= parseFloat(getComputedStyle(node).opacity);
    return value;
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    const el = node.parentElement;
    if (!text || !el || el.closest("script, style, :disabled, .visually-hidden")) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== "visible" || !el.getClientRects().length) continue;
    const layers = [];
    for (let bg = el; bg; bg = bg.parentElement) {
      const colour = getComputedStyle(bg).backgroundColor;
      layers.push([colour, opacity(bg)]);
      if (!colour.startsWith("rgba") && opacity(bg) >= 1) break;
    }
    const where = el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : ""}`;
    found.push({ text, where, colour: style.color, opacity: opacity(el), layers, size: style.fontSize });
  }
  return found;
}"""


def text_contrasts(page: Page) -> list[tuple[str, str, float]]:
    """Return (where, text, contrast ratio) for every visible text node of the page."""
    result = []
    for item in page.evaluate(TEXT_COLOURS_JS):
        background = (255.0, 255.0, 255.0)
        for colour, opacity in reversed(item["layers"]):
            r, g, b, a = parse_colour(colour)
            background = over((r, g, b, a * opacity), background)
        r, g, b, a = parse_colour(item["colour"])
        foreground = over((r, g, b, a * item["opacity"]), background)
        result.append((item["where"], item["text"], contrast(foreground, background)))
    return result
