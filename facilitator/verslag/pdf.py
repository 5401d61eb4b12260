"""Print the verslag's HTML to a pdf with a headless Chromium-family browser: Edge, Chrome or Chromium.

Chromium honours the HTML's print CSS (`@page { size: A4; margin: 2cm }`). It runs with a
throw-away profile in a private temporary folder that is always removed, and with flags that
keep it from touching the network: the verslag is printed from a local file only.

The browser is looked for where its installer puts it: Edge (on every Windows 10/11 laptop) and Chrome
under Program Files, Program Files (x86) or the user's LocalAppData on Windows; the .app bundles in
/Applications or ~/Applications on macOS; chromium, google-chrome or microsoft-edge on the PATH on Linux.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from facilitator.core.domain import PdfFailed

#: Names tried on PATH when no Chromium is configured, in this order (Debian's chromium first).
CHROMIUM_NAMES = (
    "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge",
    "microsoft-edge-stable", "msedge", "chrome",
)
#: Windows: where the installers put the browser, under each of WINDOWS_ROOTS; Edge first, as every Windows
#: 10/11 laptop has it.
WINDOWS_PATHS = (
    ("Microsoft", "Edge", "Application", "msedge.exe"),
    ("Google", "Chrome", "Application", "chrome.exe"),
    ("Chromium", "Application", "chrome.exe"),
)
#: The environment variables naming the folders the installers use, and their usual value when one is missing.
#: LocalAppData holds a Chrome installed without administrator rights.
WINDOWS_ROOTS = (
    ("ProgramFiles", r"C:\Program Files"),
    ("ProgramFiles(x86)", r"C:\Program Files (x86)"),
    ("LocalAppData", ""),
)
#: macOS: the browser inside its .app bundle, in /Applications or the user's own ~/Applications.
MAC_PATHS = (
    ("Google Chrome.app", "Contents", "MacOS", "Google Chrome"),
    ("Microsoft Edge.app", "Contents", "MacOS", "Microsoft Edge"),
    ("Chromium.app", "Contents", "MacOS", "Chromium"),
)

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


def find_chromium(
    configured: str = "",
    *,
    system: str | None = None,
    environ: Mapping[str, str] | None = None,
    root: str = "/",
) -> str | None:
    """Return the browser to print with: the configured one, else Edge/Chrome/Chromium where installed or on PATH."""
    # system (platform.system()), environ (os.environ) and root (where macOS's /Applications hangs) are this
    # machine's by default; tests pass another machine's, laid out in a temporary folder.
    environ = os.environ if environ is None else environ
    path = _variable(environ, "PATH")
    if configured.strip():
        # An explicit choice is never replaced by another browser: a wrong path must be reported.
        return shutil.which(configured.strip(), path=path)
    for candidate in browser_paths(system or platform.system(), environ, root):
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    for name in CHROMIUM_NAMES:
        found = shutil.which(name, path=path)
        if found:
            return found
    return None


def browser_paths(system: str, environ: Mapping[str, str], root: str = "/") -> list[str]:
    """Return the standard install paths of Edge, Chrome and Chromium on Windows or macOS, most likely first."""
    if system == "Windows":
        roots = [_variable(environ, name) or default for name, default in WINDOWS_ROOTS]
        return [os.path.join(folder, *parts) for parts in WINDOWS_PATHS for folder in dict.fromkeys(roots) if folder]
    if system == "Darwin":
        home = _variable(environ, "HOME")
        folders = [os.path.join(root, "Applications")] + ([os.path.join(home, "Applications")] if home else [])
        return [os.path.join(folder, *parts) for parts in MAC_PATHS for folder in folders]
    return []


def _variable(environ: Mapping[str, str], name: str) -> str | None:
    """Return an environment variable; by any case, as Windows names them (ProgramFiles, PROGRAMFILES)."""
    if name in environ:
        return environ[name]
    wanted = name.upper()
    return next((value for key, value in environ.items() if key.upper() == wanted), None)


def print_pdf(
    html: str, *, chromium: str = "", timeout: float = 60.0, tmp_root: str | os.PathLike[str] | None = None
) -> bytes:
    """Print an HTML document to pdf bytes; raise PdfFailed with a reason when that fails.

    `tmp_root` is where the private working folder is made (the system's temp folder by default).
    """
    executable = find_chromium(chromium)
    if executable is None:
        wanted = chromium.strip() or "Edge / Chrome / " + " / ".join(CHROMIUM_NAMES)
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
