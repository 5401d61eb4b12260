"""The README stays a map, docs/events.md names exactly the catalogue's events, and no doc links to a missing file."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from facilitator.web.realtime import events

ROOT = Path(__file__).resolve().parents[2]
EVENTS_DOC = ROOT / "docs" / "events.md"
#: The README's budget: a map, not the manual (issue 17 asks for about 12 KB).
README_MAX_BYTES = 12_500
#: In docs/events.md every event is a level-3 heading naming it (or two that share a shape) in backticks.
EVENT_HEADING = re.compile(r"^### (.+)$", re.MULTILINE)
NAME = re.compile(r"`([a-z_]+)`")
#: Markdown links and images `](target)` and HTML `src="target"` / `href="target"`.
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|(?:src|href)=\"([^\"]+)\"")


def documented_events(text: str) -> list[str]:
    """The event names the doc's `###` headings give, in order (a heading may name more than one)."""
    names = []
    for heading in EVENT_HEADING.findall(text):
        found = NAME.findall(heading)
        assert found and NAME.sub("", heading).strip(" /,") == "", f"an event heading names only events: {heading!r}"
        names.extend(found)
    return names


def catalogue() -> set[str]:
    """Every event a page sends the server or hears from it."""
    return set(events.CLIENT_EVENTS) | set(events.SERVER_EVENTS)


def relative_links(text: str) -> list[str]:
    """The targets of the text's links that point into the repository (no scheme, no bare anchor)."""
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # code blocks hold examples, not links
    targets = [a or b for a, b in LINK.findall(text)]
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:|^#", t)]


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_events_doc_names_every_catalogued_event_and_nothing_else() -> None:
    named = documented_events(EVENTS_DOC.read_text(encoding="utf-8"))
    assert len(named) == len(set(named)), f"named twice: {sorted({n for n in named if named.count(n) > 1})}"
    assert sorted(catalogue() - set(named)) == [], "events missing from docs/events.md"
    assert sorted(set(named) - catalogue()) == [], "docs/events.md names events the server does not have"


def test_the_event_heading_rule_catches_a_missing_and_an_extra_event() -> None:
    text = "### `join_session`\n\n### `advance_phase` / `previous_phase`\n\n### `no_such_event`\n"
    assert documented_events(text) == ["join_session", "advance_phase", "previous_phase", "no_such_event"]
    assert "no_such_event" not in catalogue() and "submit_contribution" in catalogue()


def test_readme_is_a_map_not_the_manual() -> None:
    size = (ROOT / "README.md").stat().st_size
    assert size <= README_MAX_BYTES, f"README.md is {size} bytes; move detail into docs/"


def test_every_relative_link_in_the_readme_and_docs_points_at_a_file() -> None:
    broken = []
    for path in doc_files():
        for target in relative_links(path.read_text(encoding="utf-8")):
            file = (path.parent / unquote(target.split("#", 1)[0])).resolve()
            if not file.is_file() or ROOT not in file.parents:
                broken.append(f"{path.relative_to(ROOT)}: {target}")
    assert broken == []


def test_the_link_finder_sees_markdown_links_images_and_html_sources() -> None:
    text = '[a](docs/x.md#y) ![b](p.png) <img src="q.png"> [w](https://example.org) [h](#here)\n```\n[c](z.md)\n```\n'
    assert relative_links(text) == ["docs/x.md#y", "p.png", "q.png"]
