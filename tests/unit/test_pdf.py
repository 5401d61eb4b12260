"""Printing the verslag to pdf with Debian's real headless Chromium."""

from __future__ import annotations

import re
import shutil
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from facilitator.core.domain import PdfFailed
from facilitator.verslag.pdf import count_pdf_pages, find_chromium, print_pdf

TWO_PAGES = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Verslag</title>
<style>@page { size: A4; margin: 2cm } .page { page-break-after: always }</style></head>
<body><div class="page"><h1>Verslag</h1><p>Eerste bladzijde.</p></div><div><p>Tweede bladzijde.</p></div></body></html>
"""


def real_chromium() -> str:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is needed to print pdfs: apt-get install chromium (or run scripts/test)")
    return chromium


def media_boxes(pdf: bytes) -> list[tuple[int, int]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(round(float(width)), round(float(height))) for width, height in boxes]


@pytest.mark.browser
def test_print_pdf_makes_two_a4_pages_and_leaves_no_files(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    pdf = print_pdf(TWO_PAGES, chromium=real_chromium(), tmp_root=work)
    assert pdf.startswith(b"%PDF-")
    assert count_pdf_pages(pdf) == 2
    # A4 is 595 x 842 points; Chromium's own default would be US Letter (612 x 792).
    assert media_boxes(pdf) == [(595, 842), (595, 842)]
    assert list(work.iterdir()) == []


class RequestLog(BaseHTTPRequestHandler):
    """Records every path asked for; answers 404."""

    paths: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.paths.append(self.path)
        self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_web_server() -> Iterator[tuple[int, list[str]]]:
    paths: list[str] = []
    handler = type("Handler", (RequestLog,), {"paths": paths})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.server_address[1], paths
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_print_pdf_fetches_nothing_over_the_network(local_web_server: tuple[int, list[str]], tmp_path: Path) -> None:
    port, paths = local_web_server
    with pytest.raises(OSError):  # The server answers 404, which proves it is reachable.
        urllib.request.urlopen(f"http://127.0.0.1:{port}/reachable", timeout=5)
    assert paths == ["/reachable"]
    paths.clear()
    html = TWO_PAGES.replace(
        "<body>",
        f'<body><img src="http://127.0.0.1:{port}/by-ip.png"><img src="http://localhost:{port}/by-name.png">'
        f'<link rel="stylesheet" href="http://localhost:{port}/style.css">',
    )
    pdf = print_pdf(html, chromium=real_chromium(), tmp_root=tmp_path)
    assert count_pdf_pages(pdf) == 2
    assert paths == []


def test_print_pdf_without_chromium_fails_with_no_chromium(tmp_path: Path) -> None:
    with pytest.raises(PdfFailed) as failure:
        print_pdf(TWO_PAGES, chromium=str(tmp_path / "no-such-chromium"), tmp_root=tmp_path)
    assert failure.value.code == "pdf_failed"
    assert failure.value.params == {"reason": "no_chromium"}
    assert list(tmp_path.iterdir()) == []


def test_find_chromium_never_swaps_a_configured_path_for_another(tmp_path: Path) -> None:
    assert find_chromium(str(tmp_path / "no-such-chromium")) is None
    assert find_chromium("false") == shutil.which("false")


@pytest.mark.parametrize(("program", "reason"), [("false", "exit"), ("true", "no_output")])
def test_print_pdf_reports_a_program_that_prints_nothing(program: str, reason: str, tmp_path: Path) -> None:
    with pytest.raises(PdfFailed) as failure:
        print_pdf(TWO_PAGES, chromium=program, tmp_root=tmp_path)
    assert failure.value.params == {"reason": reason}
    assert list(tmp_path.iterdir()) == []


def process_is_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # A zombie is dead, only not yet reaped by its new parent.


def test_print_pdf_stops_a_hanging_chromium_and_its_children(tmp_path: Path) -> None:
    if not Path("/proc/self/stat").exists():
        pytest.fail("this test reads /proc to check that the child processes were stopped")
    pid_file = tmp_path / "child.pid"
    hanging = tmp_path / "hanging-chromium"
    hanging.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {pid_file}\nwait\n")
    hanging.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(PdfFailed) as failure:
        print_pdf(TWO_PAGES, chromium=str(hanging), timeout=1.0, tmp_root=work)
    assert failure.value.params == {"reason": "timeout"}
    assert list(work.iterdir()) == []
    child = int(pid_file.read_text())
    # SIGKILL was sent to the whole group; give the kernel a moment to finish the grandchild off.
    deadline = time.monotonic() + 5
    while not process_is_gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_is_gone(child)


def test_count_pdf_pages_counts_pages_not_the_page_tree() -> None:
    pdf = b"%PDF-1.4\n1 0 obj <</Type /Pages /Count 3>> 2 0 obj <</Type /Page>> 3 0 obj <</Type/Page/Parent 1 0 R>>" \
          b" 4 0 obj <<\n/Type\n/Page\n>> 5 0 obj <</Type /PageLabel>>"
    assert count_pdf_pages(pdf) == 3
