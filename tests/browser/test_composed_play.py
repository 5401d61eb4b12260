"""Played like a facilitator (issue 16, "How it is checked"): compose the grondhouding grid (4 rows × 3 columns, one
grid step) and "goed / knelpunten / oplossingen" in Voorbereiden through the real UI, open the regie, let three
phones at 360×740 join with the join URL and answer through the real UI, move on with "Volgende", and find every
answer in the verslag's preview (in its row and column), in the downloaded Markdown (the grid read back whole) and
in the CSV (its Rij and Kolom). About 17 s.

Screenshots: tests/browser/artifacts/play-<state>.png for each phone state and the regie.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from facilitator.testing.live_server import LiveServer
from tests.browser.helpers import SCREENSHOTS, OpenedPage, add_zelf_samenstellen, assert_clean, fill_list, screenshot

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}

ROWS = ["Gelijkwaardigheid", "Vertrouwen", "Openheid", "Eigenaarschap"]
COLUMNS = ["Wat zie je?", "Wat werkt?", "Wat kan beter?"]
GKO = ["Wat gaat goed", "Knelpunten", "Oplossingen"]
#: Per phone: (row, column, text) in the grid, then (row, text) in goed / knelpunten / oplossingen.
GRID = [
    ("Gelijkwaardigheid", "Wat zie je?", "Iedereen krijgt het woord"),
    ("Openheid", "Wat kan beter?", "Eerder zeggen wat schuurt"),
    ("Eigenaarschap", "Wat werkt?", "Wie iets oppakt, meldt het"),
]
#: Phone 3's second grid answer, in phone 1's cell.
SECOND = ("Gelijkwaardigheid", "Wat zie je?", "Ook de stille deelnemer praat mee")
GOED = [
    ("Wat gaat goed", "Korte lijnen met het wijkteam"),
    ("Knelpunten", "Wachtlijst bij de GGZ"),
    ("Oplossingen", "Een vast aanspreekpunt per school"),
]


def compose(host: Page, base: str, session_id: str) -> None:
    """Compose both werkvormen in Voorbereiden, as a facilitator types them."""
    host.goto(f"{base}/host/s/{session_id}/voorbereiden")
    add_zelf_samenstellen(host)
    host.locator('input[name="name"]').fill("Grondhouding")
    fill_list(host, "rows", "+ Vak toevoegen", ROWS)
    fill_list(host, "columns", "+ Kolom toevoegen", COLUMNS)
    step = host.locator("#stap-1")
    step.get_by_label("Titel").fill("Reflectie")
    step.get_by_label("Vraag op de telefoons en het scherm").fill("Zet bij een rij en een kolom wat jij ziet.")
    step.get_by_label("Minuten").fill("10")
    step.get_by_label("Wat vullen de telefoons in").select_option("grid")
    host.locator(".composer-save").get_by_role("button", name="Opslaan").click()
    expect(host).to_have_url(re.compile(r"/voorbereiden\?opgeslagen=[0-9a-f]+#item-"))

    add_zelf_samenstellen(host)
    host.locator('input[name="name"]').fill("Goed, knelpunten, oplossingen")
    fill_list(host, "rows", "+ Vak toevoegen", GKO)
    step = host.locator("#stap-1")
    step.get_by_label("Titel").fill("Per partner")
    step.get_by_label("Vraag op de telefoons en het scherm").fill(
        "Wat gaat goed in de samenwerking, waar loop je vast, en wat lost het op?")
    step.get_by_label("Wat vullen de telefoons in").select_option("buckets")
    host.locator(".composer-save").get_by_role("button", name="Opslaan").click()
    expect(host).to_have_url(re.compile(r"/voorbereiden\?opgeslagen=[0-9a-f]+#item-"))
    expect(host.locator(".agenda-item h3")).to_have_text(
        [re.compile("."), "Grondhouding", "Goed, knelpunten, oplossingen"])


def shot(page: Page, name: str) -> None:
    """Once fonts and layout settled: the screen where the last action was (play-<name>.png), and from the top:
    a phone's first screen (play-<name>-top.png), or the whole page of the regie or verslag (play-<name>-full.png)."""
    page.evaluate(
        "() => document.fonts.ready.then(() => new Promise((done) => "
        "requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))"
    )
    screenshot(page, f"play-{name}.png")
    page.evaluate("() => window.scrollTo(0, 0)")
    if name.startswith("phone"):
        screenshot(page, f"play-{name}-top.png")
    else:
        page.screenshot(path=str(SCREENSHOTS / f"play-{name}-full.png"), full_page=True, animations="disabled",
                        caret="hide")


def answered(page: Page, summary: str) -> Locator:
    """The phone's own answer, acknowledged by the server."""
    return page.locator("#mine .mine-item.sent").filter(has_text=summary)


def cell(preview: Locator, row: str, column: str) -> Locator:
    """The verslag preview's grid cell at this row and column (columns counted from the table's header)."""
    index = COLUMNS.index(column) + 2  # nth-child: the row's label comes first
    return preview.locator("table").filter(has_text=COLUMNS[0]).locator("tr").filter(
        has=preview.page.locator("th, td").filter(has_text=re.compile(f"^{re.escape(row)}$"))
    ).locator(f"> :nth-child({index})")


def test_compose_then_play_grondhouding_and_goed_knelpunten_oplossingen_with_three_phones(
    live_server: LiveServer, open_page: Callable[..., OpenedPage]
) -> None:
    base = live_server.base_url
    made = live_server.create_bijeenkomst("Terugblik pilots")
    host_tab = open_page("host", "regie", viewport=LAPTOP)
    host = host_tab.page
    host.goto(f"{base}/host/login?key={live_server.key}")
    compose(host, base, made["id"])

    # Start: the regie opens on the first item; three phones join with the join URL.
    host.get_by_role("link", name="Open scherm").first.click()
    expect(host.locator(".status")).to_have_attribute("data-status", "connected")
    join_url = (host.locator("#join-url").text_content() or "").strip()
    assert re.fullmatch(r"https?://\S+/j/\w+", join_url), join_url
    tabs = [open_page("phone", f"phone {n}", viewport=PHONE) for n in (1, 2, 3)]
    phones = [t.page for t in tabs]
    for phone in phones:
        phone.goto(base + join_url[join_url.index("/j/"):])  # the shown address may name the LAN; same server
        phone.get_by_role("button", name="Ik doe mee").click()
        expect(phone).to_have_url(re.compile(r"/p/[0-9a-f]{12}$"))
        expect(phone.locator(".status")).to_have_attribute("data-status", "connected")
    expect(host.locator("#joined-count")).to_have_text("3 aangemeld")

    # The grondhouding grid: each phone writes in its own row and column.
    host.locator("#agenda-list").get_by_role("button", name="2. Grondhouding").click()
    expect(host.locator("#prompt")).to_have_text("Zet bij een rij en een kolom wat jij ziet.")
    for n, (phone, (row, column, text)) in enumerate(zip(phones, GRID, strict=True), 1):
        expect(phone.locator("#prompt")).to_have_text("Zet bij een rij en een kolom wat jij ziet.")
        expect(phone.locator("#bucket-options .bucket")).to_have_count(4)
        phone.get_by_label("Jouw antwoord").fill(text)
        phone.get_by_role("radio", name=re.compile(f"^{re.escape(row)}")).check()
        phone.locator("#tag-groups").get_by_role("radio", name=column, exact=True).check()
        shot(phone, f"phone{n}-grid-filled")
        phone.get_by_role("button", name="Versturen").click()
        expect(answered(phone, text)).to_have_count(1)
        expect(answered(phone, text).locator(".meta")).to_have_text(f"{row} · {column}")
        shot(phone, f"phone{n}-grid-sent")
    # A second answer in a cell that has one already: the cell keeps both.
    phones[2].get_by_label("Jouw antwoord").fill(SECOND[2])
    phones[2].get_by_role("radio", name=re.compile(f"^{re.escape(SECOND[0])}")).check()
    phones[2].locator("#tag-groups").get_by_role("radio", name=SECOND[1], exact=True).check()
    phones[2].get_by_role("button", name="Versturen").click()
    expect(answered(phones[2], SECOND[2])).to_have_count(1)
    shot(phones[2], "phone3-grid-second-sent")
    for _row, _column, text in [*GRID, SECOND]:
        expect(host.locator("#display-area")).to_contain_text(text)
    shot(host, "regie-grid")
    assert host.evaluate("() => document.documentElement.scrollWidth") <= LAPTOP["width"], "the regie scrolls sideways"

    # Volgende: goed / knelpunten / oplossingen; each phone sorts its answer into one.
    host.get_by_role("button", name="Volgende").click()
    prompt = "Wat gaat goed in de samenwerking, waar loop je vast, en wat lost het op?"
    expect(host.locator("#prompt")).to_have_text(prompt)
    for n, (phone, (row, text)) in enumerate(zip(phones, GOED, strict=True), 1):
        expect(phone.locator("#prompt")).to_have_text(prompt)
        expect(phone.locator("#bucket-options .bucket")).to_have_count(3)
        # The composer calls them "vakken"; "buffer" is the vier buffers' own word.
        expect(phone.locator("#bucket-choice legend")).to_have_text("In welk vak hoort je antwoord?")
        phone.get_by_label("Jouw antwoord").fill(text)
        if n == 1:  # sent before choosing: the phone says what is missing, in the same words
            phone.get_by_role("button", name="Versturen").click()
            expect(phone.locator("#error")).to_have_text("Kies eerst een vak.")
            shot(phone, "phone1-goed-no-vak")
        phone.get_by_role("radio", name=re.compile(f"^{re.escape(row)}")).check()
        shot(phone, f"phone{n}-goed-filled")
        phone.get_by_role("button", name="Versturen").click()
        expect(answered(phone, text)).to_have_count(1)
        shot(phone, f"phone{n}-goed-sent")
    for _row, text in GOED:
        expect(host.locator("#display-area")).to_contain_text(text)
    shot(host, "regie-goed")
    # Three rows side by side at 1280: each card stays inside its row, so the regie does not scroll sideways.
    assert host.evaluate("() => document.documentElement.scrollWidth") <= LAPTOP["width"], "the regie scrolls sideways"

    # The verslag: the preview puts each grid answer in its row and column, and each other answer under its row.
    host.goto(f"{base}/host/s/{made['id']}/verslag")
    preview = host.locator("#verslag-preview")
    for row, column, text in [*GRID, SECOND]:
        expect(cell(preview, row, column)).to_contain_text(text)
    groups = preview.locator(".groups").filter(has_text=GOED[0][1]).locator("> .group")
    expect(groups).to_have_count(3)
    for index, (row, text) in enumerate(GOED):
        expect(groups.nth(index)).to_contain_text(row)
        expect(groups.nth(index).locator("li")).to_have_text([text])
    shot(host, "verslag")
    preview.locator("table").first.scroll_into_view_if_needed()
    screenshot(host, "play-verslag-grid.png")
    preview.locator(".groups").last.scroll_into_view_if_needed()
    screenshot(host, "play-verslag-goed.png")
    cookies = {c["name"]: c["value"] for c in host.context.cookies()}
    markdown = requests.get(f"{base}/host/s/{made['id']}/verslag.md", cookies=cookies, timeout=10)
    assert markdown.status_code == 200, markdown.text
    table = requests.get(f"{base}/host/s/{made['id']}/verslag.csv", cookies=cookies, timeout=10)
    assert table.status_code == 200, table.text
    (SCREENSHOTS / "play-bijdragen.csv").write_bytes(table.content)
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], [dict(zip(rows[0], line, strict=True)) for line in rows[1:]]
    assert {"Rij", "Kolom", "Tekst"} <= set(header), header
    found = {(line["Rij"], line["Kolom"], line["Tekst"]) for line in body}  # every dimension: the row and column
    assert found == {*GRID, SECOND, *((row, "", text) for row, text in GOED)}, found
    (SCREENSHOTS / "play-verslag.md").write_text(markdown.text, encoding="utf-8")
    check_markdown(markdown.text)
    assert_clean(host_tab, *tabs, base_url=base)


def expected_grid() -> dict[tuple[str, str], list[str]]:
    cells: dict[tuple[str, str], list[str]] = {(row, column): [] for row in ROWS for column in COLUMNS}
    for row, column, text in [*GRID, SECOND]:
        cells[(row, column)].append(text)
    return cells


def markdown_grid(section: str) -> dict[tuple[str, str], list[str]]:
    """Read the grid back from the Markdown: a pipe table, or (cells of more than one line) a list per row."""
    cells: dict[tuple[str, str], list[str]] = {}
    lines = section.splitlines()
    if any(line.startswith("| ") for line in lines):
        for line in lines:
            parts = [c.strip() for c in line.strip().strip("|").split("|")]
            if parts[0] in ROWS:
                cells.update({(parts[0], column): [] if text == "–" else [text]
                              for column, text in zip(COLUMNS, parts[1:], strict=True)})
        return cells
    row = column = ""
    for line in lines:
        if line.startswith("**") and line.strip("*") in ROWS:
            row = line.strip("*")
        elif row and (found := re.fullmatch(r"- \*(.+?)\*:(?: (.*))?", line)):
            column, text = found.group(1), found.group(2)
            cells[(row, column)] = [] if text == "–" else [text] if text else []
        elif row and column and line.startswith("  - "):
            cells[(row, column)].append(line[4:])
    return cells


def check_markdown(text: str) -> None:
    """Every answer sits in its row and column of the grid, and under its row in goed / knelpunten / oplossingen."""
    grid = text[text.index("## Grondhouding"):text.index("## Goed, knelpunten, oplossingen")]
    assert markdown_grid(grid) == expected_grid(), grid
    goed = text[text.index("## Goed, knelpunten, oplossingen"):]
    for row, answer in GOED:  # "1. **row**" then its bullets, indented, up to the next row
        lines = goed[goed.index(f"**{row}**"):].splitlines()[1:]
        bullets = [line.strip() for line in lines[: next((i for i, line in enumerate(lines)
                                                          if not line.startswith("   ")), len(lines))]]
        assert bullets == [f"- {answer}"], (row, bullets)
