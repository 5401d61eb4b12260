"""Per system (Windows, macOS, Linux) on this one machine: the shortcut, the data folder and the firewall advice."""

from __future__ import annotations

import base64
import plistlib
import shlex
from collections.abc import Sequence
from pathlib import Path

import click
import pytest

from facilitator import platforms
from facilitator.cli import _Dutch, shortcut_lines
from facilitator.config import data_dir
from facilitator.platforms import Machine, install_shortcut, remove_shortcut, serve_command

VENV_PYTHON = "/home/anna/.local/pipx/venvs/rode-draad/bin/python"


class Runner:
    """A fake command runner: records each command and answers with a fixed exit code and output."""

    def __init__(self, code: int = 0, output: str = "") -> None:
        self.code = code
        self.output = output
        self.commands: list[list[str]] = []

    def __call__(self, command: Sequence[str]) -> tuple[int, str]:
        self.commands.append(list(command))
        return self.code, self.output


def powershell_script(command: list[str]) -> str:
    """Return the script of a powershell.exe command line (it travels as -EncodedCommand)."""
    assert command[:2] == ["powershell.exe", "-NoProfile"] and command[-2] == "-EncodedCommand"
    return base64.b64decode(command[-1]).decode("utf-16-le")


def machine(system: str, home: Path, *, runner: Runner | None = None, frozen: bool = False,
            executable: str = VENV_PYTHON, environ: dict[str, str] | None = None) -> Machine:
    return Machine(system=system, home=home, environ=environ or {}, executable=executable, frozen=frozen,
                   run=runner or Runner())


# -- what the shortcut runs -------------------------------------------------------------------------------------


def test_the_shortcut_runs_serve_of_the_running_interpreter_or_of_the_frozen_build(tmp_path: Path) -> None:
    assert serve_command(machine("Linux", tmp_path)) == [VENV_PYTHON, "-m", "facilitator", "serve"]
    built = "/opt/rode-draad/rode-draad"
    assert serve_command(machine("Linux", tmp_path, frozen=True, executable=built)) == [built, "serve"]


def test_this_machine_is_the_running_one() -> None:
    import sys

    here = platforms.this_machine()
    assert here.executable == sys.executable and here.frozen is False and here.home == Path.home()


# -- Linux ------------------------------------------------------------------------------------------------------


def test_linux_makes_a_desktop_entry_in_the_menu_and_on_an_existing_desktop(tmp_path: Path) -> None:
    (tmp_path / "Bureaublad").mkdir()
    (tmp_path / ".config").mkdir()
    (tmp_path / ".config" / "user-dirs.dirs").write_text('XDG_DESKTOP_DIR="$HOME/Bureaublad"\n', encoding="utf-8")
    runner = Runner()
    made = install_shortcut(machine("Linux", tmp_path, runner=runner), tmp_path / "icon.svg")

    menu = tmp_path / ".local" / "share" / "applications" / "rode-draad.desktop"
    desktop = tmp_path / "Bureaublad" / "rode-draad.desktop"
    assert made == [str(menu), str(desktop)]
    entry = menu.read_text(encoding="utf-8")
    assert f"Exec={VENV_PYTHON} -m facilitator serve\n" in entry
    assert "Terminal=true\n" in entry and "Name=Rode Draad\n" in entry and f"Icon={tmp_path / 'icon.svg'}" in entry
    assert desktop.read_text(encoding="utf-8") == entry
    assert menu.stat().st_mode & 0o111
    assert runner.commands == [["gio", "set", str(desktop), "metadata::trusted", "true"]]

    assert remove_shortcut(machine("Linux", tmp_path)) == [str(menu), str(desktop)]
    assert not menu.exists() and not desktop.exists()
    assert remove_shortcut(machine("Linux", tmp_path)) == []


def test_linux_without_a_desktop_folder_makes_only_the_menu_entry(tmp_path: Path) -> None:
    data_home = tmp_path / "data-home"
    runner = Runner(code=127)  # no gio: never asked, there is no desktop copy to trust
    made = install_shortcut(machine("Linux", tmp_path, runner=runner, environ={"XDG_DATA_HOME": str(data_home)}))
    assert made == [str(data_home / "applications" / "rode-draad.desktop")]
    assert runner.commands == []


def test_a_desktop_entry_quotes_a_path_with_spaces_as_the_specification_says(tmp_path: Path) -> None:
    exe = '/home/anna/Mijn programma\'s/rode draad/rode-draad'
    assert platforms.desktop_exec([exe, "serve"]) == '"/home/anna/Mijn programma\'s/rode draad/rode-draad" serve'
    assert platforms.desktop_exec(['/a "b" $c', "100%"]) == '"/a \\\\"b\\\\" \\\\$c" 100%%'


# -- macOS ------------------------------------------------------------------------------------------------------


def test_macos_makes_an_app_in_applications_that_opens_terminal_with_serve(tmp_path: Path) -> None:
    home = tmp_path / "Anna de Vries"
    home.mkdir()
    made = install_shortcut(machine("Darwin", home, executable="/Users/anna/.local/pipx/venvs/rode-draad/bin/python"))

    bundle = home / "Applications" / "Rode Draad.app"
    assert made == [str(bundle)]
    info = plistlib.loads((bundle / "Contents" / "Info.plist").read_bytes())
    assert info["CFBundleExecutable"] == "rode-draad" and info["CFBundlePackageType"] == "APPL"
    program = bundle / "Contents" / "MacOS" / "rode-draad"
    assert program.stat().st_mode & 0o111
    assert "open -a Terminal" in program.read_text(encoding="utf-8")
    start = (bundle / "Contents" / "Resources" / "Rode Draad.command").read_text(encoding="utf-8")
    assert start.startswith("#!/bin/sh\n")
    assert f"cd {shlex.quote(str(home))}\n" in start
    assert "exec /Users/anna/.local/pipx/venvs/rode-draad/bin/python -m facilitator serve\n" in start

    assert remove_shortcut(machine("Darwin", home)) == [str(bundle)]
    assert not bundle.exists() and (home / "Applications").is_dir()
    assert remove_shortcut(machine("Darwin", home)) == []


# -- Windows ----------------------------------------------------------------------------------------------------

LINKS = "C:\\Users\\Anna\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Rode Draad.lnk\r\n" \
    "C:\\Users\\Anna\\OneDrive\\Bureaublad\\Rode Draad.lnk\r\n"


def test_windows_makes_lnk_files_through_powershell_in_start_menu_and_desktop(tmp_path: Path) -> None:
    runner = Runner(output=LINKS)
    exe = "C:\\Users\\Anna's\\pipx\\venvs\\rode-draad\\Scripts\\python.exe"
    made = install_shortcut(machine("Windows", tmp_path, runner=runner, executable=exe))

    assert made == [line for line in LINKS.splitlines()]
    [command] = runner.commands
    script = powershell_script(command)
    assert script.startswith("$ErrorActionPreference = 'Stop'\n") and "New-Object -ComObject WScript.Shell" in script
    assert "SpecialFolders('Programs')" in script and "SpecialFolders('Desktop')" in script
    assert "$link.TargetPath = 'C:\\Users\\Anna''s\\pipx\\venvs\\rode-draad\\Scripts\\python.exe'" in script
    assert "$link.Arguments = '-m facilitator serve'" in script
    assert "Rode Draad.lnk" in script and "$link.Save()" in script


def test_windows_frozen_build_links_to_its_own_executable(tmp_path: Path) -> None:
    runner = Runner(output=LINKS)
    exe = "C:\\Program Files\\Rode Draad\\rode-draad.exe"
    install_shortcut(machine("Windows", tmp_path, runner=runner, executable=exe, frozen=True))
    script = powershell_script(runner.commands[0])
    assert f"$link.TargetPath = '{exe}'" in script and "$link.Arguments = 'serve'" in script


def test_windows_remove_deletes_both_links_and_a_failure_is_said(tmp_path: Path) -> None:
    runner = Runner(output=LINKS)
    assert remove_shortcut(machine("Windows", tmp_path, runner=runner)) == LINKS.splitlines()
    assert "Remove-Item -LiteralPath $path" in powershell_script(runner.commands[0])
    with pytest.raises(OSError, match="niet gevonden"):
        install_shortcut(machine("Windows", tmp_path, runner=Runner(code=1, output="WScript.Shell niet gevonden")))


# -- what the command says --------------------------------------------------------------------------------------


@pytest.mark.parametrize("system, where, firewall", [
    ("Windows", "in het startmenu of op het bureaublad", "Windows Defender Firewall → Een app toestaan → python.exe"),
    ("Darwin", "in Programma's of Launchpad", "Netwerk → Firewall → Opties → Python"),
    ("Linux", "in het programmamenu", "sudo ufw allow 5000/tcp"),
])
def test_the_command_says_where_the_shortcut_is_and_the_firewall_advice(
    tmp_path: Path, system: str, where: str, firewall: str
) -> None:
    lines = shortcut_lines(machine(system, tmp_path, runner=Runner(output=LINKS)), remove=False, dutch=_Dutch())
    text = "\n".join(lines)
    assert lines[0].startswith("Snelkoppeling gemaakt: ")
    assert where in text and firewall in text
    assert "Sluit dat venster om Rode Draad te stoppen." in text


def test_the_command_removes_and_says_so_or_that_there_was_nothing(tmp_path: Path) -> None:
    dutch = _Dutch()
    shortcut_lines(machine("Linux", tmp_path), remove=False, dutch=dutch)
    assert shortcut_lines(machine("Linux", tmp_path), remove=True, dutch=dutch)[0].startswith("Verwijderd: ")
    assert shortcut_lines(machine("Linux", tmp_path), remove=True, dutch=dutch) == [
        "Er was geen snelkoppeling om te verwijderen."]
    with pytest.raises(click.ClickException, match="De snelkoppeling maken lukte niet"):
        shortcut_lines(machine("Windows", tmp_path, runner=Runner(code=1)), remove=False, dutch=dutch)


# -- the data folder and the firewall advice per system ---------------------------------------------------------


def test_the_data_folder_of_each_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    assert data_dir(system="Linux") == tmp_path / ".local" / "share" / "rode-draad"
    assert data_dir(system="Darwin") == tmp_path / "Library" / "Application Support" / "rode-draad"
    assert data_dir(system="Windows") == tmp_path / "AppData" / "Local" / "rode-draad"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elders"))
    assert data_dir(system="Linux") == tmp_path / "elders" / "rode-draad"
    assert data_dir(str(tmp_path / "gekozen"), system="Windows") == tmp_path / "gekozen"


def test_this_systems_data_folder_is_the_one_named_for_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platform

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert data_dir() == data_dir(system=platform.system())


@pytest.mark.parametrize("system, frozen, executable, expected", [
    ("Windows", False, "C:\\venv\\Scripts\\python.exe", "python.exe"),
    ("Windows", True, "C:\\Rode Draad\\rode-draad.exe", "rode-draad.exe"),
    ("Darwin", False, "/venv/bin/python3", "Python"),
    ("Darwin", True, "/Applications/rode-draad/rode-draad", "rode-draad"),
    ("Linux", False, "/venv/bin/python", "Python"),
])
def test_the_program_the_firewall_asks_about(system: str, frozen: bool, executable: str, expected: str) -> None:
    assert platforms.program_name(system, executable.replace("\\", "/"), frozen) == expected


def test_firewall_advice_is_one_per_system_and_names_the_program_or_port() -> None:
    windows, mac, linux = (platforms.firewall_advice(s) for s in ("Windows", "Darwin", "Linux"))
    assert len({windows, mac, linux, platforms.firewall_advice("FreeBSD")}) == 4
    assert "Privé" in windows and "Windows Defender Firewall" in windows and "%(program)s" in windows
    assert "Systeeminstellingen → Netwerk → Firewall" in mac and "%(program)s" in mac
    assert "sudo ufw allow %(port)s/tcp" in linux
    assert "%(port)s" in platforms.firewall_advice("FreeBSD")


def test_the_frozen_build_opens_the_link_with_its_own_hidden_command() -> None:
    import sys

    from click.testing import CliRunner

    from facilitator.cli import _open_link_command, main

    assert _open_link_command("http://127.0.0.1:5000/host/login?key=k", frozen=True) == [
        sys.executable, "open-link", "http://127.0.0.1:5000/host/login?key=k"]
    assert _open_link_command("http://x", frozen=False)[:2] == [sys.executable, "-c"]
    help_text = CliRunner().invoke(main, ["--help"]).output
    assert "install-shortcut" in help_text and "open-link" not in help_text
