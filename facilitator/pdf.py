"""Print the verslag's HTML to a pdf with a headless Chromium (Debian's `chromium` package).

Chromium honours the HTML's print CSS (`@page { size: A4; margin: 2cm }`). It runs with a
throw-away profile in a private temporary folder that is always removed, and with flags that
keep it from touching the network: the verslag is printed from a local file only.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .domain import PdfFailed

#: Names tried on PATH when no Chromium is configured, in this order.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Flags for every print; all checked against Chromium 156 (Debian bookworm).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # The sandbox needs user namespaces, which containers and some laptops lack.
    "--disable-gpu",
    "--disable-dev-shm-usage",  # Docker's 64 MB /dev/shm is too small for long pages.
    "--no-pdf-header-footer",  # No date, file name or page URL printed in the margins.
    # Offline: every host name (and IP literal) fails to resolve, so nothing in the page, and no
    # Chromium service, can reach the network.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--metrics-recording-only",
    "--disable-breakpad",
    "--mute-audio",
)

# A page object's dictionary holds "/Type /Page"; "/Pages" (the page tree) must not count.
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z0-9#])")
_LOG_TAIL = 600


def find_chromium(configured: str = "") -> str | None:
    """Return the Chromium to use: the configured one (if it exists), else the first found on PATH."""
    if configured.strip():
        # An explicit choice is never replaced by another browser: a wrong path must be reported.
        return shutil.which(configured.strip())
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(
    html: str, *, chromium: str = "", timeout: float = 60.0, tmp_root: str | os.PathLike[str] | None = None
) -> bytes:
    """Print an HTML document to pdf bytes; raise PdfFailed with a reason when that fails.

    `tmp_root` is where the private working folder is made (the system's temp folder by default).
    """
    executable = find_chromium(chromium)
    if executable is None:
        wanted = chromium.strip() or " / ".join(CHROMIUM_NAMES)
        raise PdfFailed(f"chromium not found: {wanted}", reason="no_chromium")
    workdir = Path(tempfile.mkdtemp(prefix="rode-draad-pdf-", dir=tmp_root)).resolve()  # file:// needs absolute
    try:
        page = workdir / "verslag.html"
        page.write_text(html, encoding="utf-8")
        output = workdir / "verslag.pdf"
        command = [
            executable,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={workdir / 'profile'}",
            f"--print-to-pdf={output}",
            page.as_uri(),
        ]
        _run(command, timeout, workdir / "chromium.log")
        pdf = output.read_bytes() if output.is_file() else b""
        if not pdf.startswith(b"%PDF-"):
            raise PdfFailed(f"{executable} wrote no pdf", reason="no_output")
        return pdf
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def count_pdf_pages(pdf: bytes) -> int:
    """Count the page objects in a pdf (Chromium's pdfs keep them uncompressed)."""
    return len(_PAGE_OBJECT.findall(pdf))


def _run(command: list[str], timeout: float, log_path: Path) -> None:
    """Run Chromium in its own process group, so a timeout can stop its helpers too."""
    # Output goes to a file, not a pipe: a helper process that inherits a pipe and outlives the
    # browser would keep a reader waiting after the browser itself has finished.
    with log_path.open("wb") as log:
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
            )
        except OSError as exc:
            raise PdfFailed(f"{command[0]} could not start: {exc}", reason="exit") from None
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PdfFailed(f"{command[0]} took longer than {timeout:g} s", reason="timeout") from None
        finally:
            # Helpers (renderer, GPU, zygote) must not outlive the print or write into a folder being removed.
            _stop_group(process)
            process.wait()
    if returncode != 0:
        tail = log_path.read_bytes()[-_LOG_TAIL:].decode("utf-8", "replace")
        raise PdfFailed(f"{command[0]} exited with {returncode}: {tail}", reason="exit")


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    if os.name != "posix":
        process.kill()
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # The whole group has exited already.
