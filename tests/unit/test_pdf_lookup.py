"""Finding Edge, Chrome or Chromium where their installers put them, on a Windows, macOS or Linux laid out in a
temporary folder; and printing with the one found on this (Debian) machine."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from flask_babel import force_locale

from facilitator import create_app
from facilitator.core.domain import PdfFailed
from facilitator.verslag.html import render_html
from facilitator.verslag.model import Report
from facilitator.verslag.pdf import count_pdf_pages, find_chromium, print_pdf
from facilitator.web.messages import error_message


def program(path: Path) -> str:
    """Make an executable file at `path` (a stand-in for a browser) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def windows(tmp_path: Path) -> dict[str, str]:
    """The environment of a Windows laptop whose three program folders live in tmp_path; no browser yet."""
    (tmp_path / "bin").mkdir()
    return {
        "ProgramFiles": str(tmp_path / "Program Files"),
        "ProgramFiles(x86)": str(tmp_path / "Program Files (x86)"),
        "LOCALAPPDATA": str(tmp_path / "Users" / "fa" / "AppData" / "Local"),  # any case, as on Windows
        "PATH": str(tmp_path / "bin"),
    }


def test_windows_edge_is_found_under_program_files_x86(windows: dict[str, str]) -> None:
    assert find_chromium(system="Windows", environ=windows) is None
    edge = program(Path(windows["ProgramFiles(x86)"], "Microsoft", "Edge", "Application", "msedge.exe"))
    assert find_chromium(system="Windows", environ=windows) == edge


def test_windows_chrome_is_found_under_program_files_and_local_app_data(windows: dict[str, str]) -> None:
    local = program(Path(windows["LOCALAPPDATA"], "Google", "Chrome", "Application", "chrome.exe"))
    assert find_chromium(system="Windows", environ=windows) == local
    system_wide = program(Path(windows["ProgramFiles"], "Google", "Chrome", "Application", "chrome.exe"))
    assert find_chromium(system="Windows", environ=windows) == system_wide
    # Edge, present on every Windows 10/11, comes first: the print looks the same in either.
    edge = program(Path(windows["ProgramFiles(x86)"], "Microsoft", "Edge", "Application", "msedge.exe"))
    assert find_chromium(system="Windows", environ=windows) == edge


def test_windows_without_a_program_folder_variable_finds_nothing_in_a_folder_that_is_not_there(
    windows: dict[str, str],
) -> None:
    program(Path(windows["LOCALAPPDATA"], "Chromium", "Application", "chrome.exe"))
    del windows["LOCALAPPDATA"]
    assert find_chromium(system="Windows", environ=windows) is None


def test_mac_finds_the_app_bundles_in_applications_and_home(tmp_path: Path) -> None:
    home = tmp_path / "Users" / "fa"
    environ = {"HOME": str(home), "PATH": str(tmp_path / "bin")}
    assert find_chromium(system="Darwin", environ=environ, root=str(tmp_path)) is None
    chromium = program(home / "Applications" / "Chromium.app" / "Contents" / "MacOS" / "Chromium")
    assert find_chromium(system="Darwin", environ=environ, root=str(tmp_path)) == chromium
    edge = program(tmp_path / "Applications" / "Microsoft Edge.app" / "Contents" / "MacOS" / "Microsoft Edge")
    assert find_chromium(system="Darwin", environ=environ, root=str(tmp_path)) == edge
    chrome = program(tmp_path / "Applications" / "Google Chrome.app" / "Contents" / "MacOS" / "Google Chrome")
    assert find_chromium(system="Darwin", environ=environ, root=str(tmp_path)) == chrome


@pytest.mark.parametrize("name", ["chromium", "chromium-browser", "google-chrome", "microsoft-edge"])
def test_linux_finds_each_browser_on_the_path(tmp_path: Path, name: str) -> None:
    environ = {"PATH": f"{tmp_path / 'empty'}{os.pathsep}{tmp_path / 'bin'}"}
    assert find_chromium(system="Linux", environ=environ) is None
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / name).write_text("not executable")
    assert find_chromium(system="Linux", environ=environ) is None
    (tmp_path / "bin" / name).chmod(0o755)
    assert find_chromium(system="Linux", environ=environ) == str(tmp_path / "bin" / name)


def test_linux_prefers_chromium_and_never_swaps_a_configured_browser(tmp_path: Path) -> None:
    environ = {"PATH": str(tmp_path / "bin")}
    program(tmp_path / "bin" / "microsoft-edge")
    chromium = program(tmp_path / "bin" / "chromium")
    assert find_chromium(system="Linux", environ=environ) == chromium
    assert find_chromium(str(tmp_path / "elsewhere" / "chrome"), system="Linux", environ=environ) is None


def test_no_browser_says_in_dutch_to_install_edge_or_chrome_or_use_word(monkeypatch: pytest.MonkeyPatch,
                                                                         tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a Linux laptop without any browser
    with pytest.raises(PdfFailed) as failure:
        print_pdf("<!doctype html><p>Verslag</p>", tmp_root=tmp_path)
    assert failure.value.params == {"reason": "no_chromium"}
    app = create_app({"STORAGE": "memory", "TESTING": True, "HOST_KEY": "k" * 32})
    with app.test_request_context():
        message = error_message(failure.value)
        assert message == (
            "De pdf maken lukte niet: er is geen Microsoft Edge, Google Chrome of Chromium gevonden. Installeer Edge "
            "of Chrome (op Linux: het pakket chromium), of download het Word-bestand en kies in Word ‘Opslaan als’ "
            "en dan PDF."
        )
        with force_locale("en"):
            assert error_message(failure.value).startswith("Making the PDF failed: no Microsoft Edge, Google")


@pytest.mark.browser
def test_debian_chromium_is_found_without_configuration_and_prints_the_verslag_on_a4(tmp_path: Path) -> None:
    if shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is needed: apt-get install chromium (or run scripts/test)")
    assert find_chromium() == shutil.which("chromium")
    pdf = print_pdf(render_html(Report(title="Dialoogsessie", lead="Samen optrekken.")), tmp_root=tmp_path)
    assert pdf.startswith(b"%PDF-") and count_pdf_pages(pdf) == 1
    assert b"/MediaBox [0 0 595" in pdf.replace(b"\n", b" ") or b"/MediaBox [0 0 594" in pdf
