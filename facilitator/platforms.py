"""What differs per system (Windows, macOS, Linux): the start shortcut, the data folder and the firewall advice.

Framework-free. The machine (its system, home folder, environment, the running program and a command runner) is
passed in as a `Machine`, so that tests run all three systems' code paths on one machine with a fake runner.
"""

from __future__ import annotations

import base64
import os
import platform
import plistlib
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from facilitator.core.domain.workformat import N_

#: What the shortcut is called in the start menu, on the desktop and in Launchpad.
TITLE = "Rode Draad"
#: The file names of the shortcut: rode-draad.desktop on Linux, "Rode Draad.lnk" on Windows, "Rode Draad.app".
FILE_NAME = "rode-draad"
#: The tooltip (Windows) or comment (Linux) of the shortcut.
DESCRIPTION = "Rode Draad: start de server en open de regie in de browser"

#: Runs a command and returns its exit code and what it printed; a program that is missing gives 127.
Runner = Callable[[Sequence[str]], tuple[int, str]]


def run_command(command: Sequence[str]) -> tuple[int, str]:
    """Run a command without a console window of its own; return its exit code and output."""
    try:
        done = subprocess.run(
            list(command), capture_output=True, text=True, encoding="utf-8", errors="replace", check=False, timeout=60,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except FileNotFoundError:
        return 127, ""
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 1, str(exc)
    return done.returncode, done.stdout + done.stderr


@dataclass(frozen=True)
class Machine:
    """The computer Rode Draad is installed on, as far as the shortcut and the advice need it."""

    #: platform.system(): "Windows", "Darwin" (macOS) or "Linux".
    system: str
    home: Path
    environ: Mapping[str, str]
    #: The program that runs now: the Python of the (pipx) environment, or the one-folder build's executable.
    executable: str
    #: True in the one-folder build (PyInstaller sets sys.frozen).
    frozen: bool
    run: Runner


def this_machine() -> Machine:
    """Return the machine this runs on."""
    return Machine(
        system=platform.system(), home=Path.home(), environ=os.environ, executable=sys.executable,
        frozen=bool(getattr(sys, "frozen", False)), run=run_command,
    )


def serve_command(machine: Machine) -> list[str]:
    """Return the command the shortcut runs: `serve` of the running program, which opens the regie itself."""
    if machine.frozen:
        return [machine.executable, "serve"]
    # `-m facilitator` and not the `facilitator` script: the interpreter is what is known for certain (pipx's venv).
    return [machine.executable, "-m", "facilitator", "serve"]


def program_name(system: str, executable: str, frozen: bool) -> str:
    """Return the name the system's firewall asks about: python.exe, Python, rode-draad.exe or rode-draad."""
    if frozen:
        return Path(executable).name
    return "python.exe" if system == "Windows" else "Python"


# -- the data folder --------------------------------------------------------------------------------------------


def user_data_dir(app_name: str, system: str | None = None, environ: Mapping[str, str] | None = None,
                  home: Path | None = None) -> Path:
    """Return the per-user data folder: this system's from platformdirs, or the named system's by the same rules."""
    if system is None:
        import platformdirs

        return Path(platformdirs.user_data_dir(app_name, appauthor=False))
    # platformdirs asks Windows itself (a Windows-only call), so another system's folder follows its rules here;
    # a test checks that the rules give platformdirs' answer for this system.
    environ = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    if system == "Windows":
        return Path(environ.get("LOCALAPPDATA") or home / "AppData" / "Local") / app_name
    if system == "Darwin":
        return home / "Library" / "Application Support" / app_name
    configured = environ.get("XDG_DATA_HOME", "").strip()
    return Path(configured if os.path.isabs(configured) else home / ".local" / "share") / app_name


# -- the firewall advice ----------------------------------------------------------------------------------------

FIREWALL_ADVICE = {
    "Windows": N_(
        "Windows laat %(program)s alleen binnen op een privénetwerk. Zet het wifi-netwerk op 'Privé' (Instellingen "
        "→ Netwerk en internet → Wi-Fi → het netwerk → Netwerkprofiel), of sta het toe: Windows Defender Firewall → "
        "Een app toestaan → %(program)s → Privé. Vraagt Windows bij de eerste start of %(program)s verbindingen mag "
        "ontvangen, kies dan Toestaan voor privénetwerken."
    ),
    "Darwin": N_(
        "Staat de firewall van de Mac aan, sta dan inkomende verbindingen voor %(program)s toe: Systeeminstellingen "
        "→ Netwerk → Firewall → Opties → %(program)s → Sta inkomende verbindingen toe. Vraagt de Mac bij de eerste "
        "start of %(program)s inkomende verbindingen mag accepteren, kies dan Sta toe."
    ),
    "Linux": N_(
        "Staat er een firewall aan (ufw), laat dan de poort van Rode Draad door: sudo ufw allow %(port)s/tcp "
        "(kijk met sudo ufw status of hij aan staat)."
    ),
}
#: Any other system: what holds everywhere.
OTHER_FIREWALL_ADVICE = N_("Laat de firewall van deze computer inkomende verbindingen op poort %(port)s toe.")


def firewall_advice(system: str) -> str:
    """Return the Dutch advice for when phones cannot reach the laptop, with %(program)s and %(port)s to fill in."""
    return FIREWALL_ADVICE.get(system, OTHER_FIREWALL_ADVICE)


# -- the shortcut -----------------------------------------------------------------------------------------------


def install_shortcut(machine: Machine, icon: Path | None = None) -> list[str]:
    """Make the start shortcut (start menu and desktop, or ~/Applications); return where it was put.

    Raise OSError when the system refused (Windows: PowerShell failed).
    """
    command = serve_command(machine)
    if machine.system == "Windows":
        return _windows(machine, _windows_create_script(machine, command))
    if machine.system == "Darwin":
        return [str(_mac_create(machine, command))]
    return _linux_create(machine, command, icon)


def remove_shortcut(machine: Machine) -> list[str]:
    """Remove what install_shortcut made; return what was removed (nothing when there was nothing)."""
    if machine.system == "Windows":
        return _windows(machine, _WINDOWS_REMOVE)
    if machine.system == "Darwin":
        bundle = _mac_bundle(machine)
        if not bundle.exists():
            return []
        shutil.rmtree(bundle)
        return [str(bundle)]
    removed = []
    for path in _linux_paths(machine):
        if path.is_file():
            path.unlink()
            removed.append(str(path))
    return removed


# Windows: a real .lnk in the Start menu's Programs folder and on the desktop. A .lnk shows the name and the icon,
# is found by typing "Rode Draad" in Start and can be pinned to the taskbar; a .cmd file can do none of these.
# Windows has no file format for it but COM (WScript.Shell), which PowerShell (on every Windows 10/11) reaches.
# SpecialFolders knows where the desktop really is (OneDrive moves it). Each made or removed path is printed; any
# error stops the script with a non-zero exit code (ErrorActionPreference), which install_shortcut reports.
_WINDOWS_FOLDERS = "$ErrorActionPreference = 'Stop'\n" \
    "[Console]::OutputEncoding = [Text.Encoding]::UTF8\n" \
    "$shell = New-Object -ComObject WScript.Shell\n" \
    "$folders = @($shell.SpecialFolders('Programs'), $shell.SpecialFolders('Desktop'))\n"
_WINDOWS_REMOVE = _WINDOWS_FOLDERS + (
    "foreach ($folder in $folders) {\n"
    f"  $path = Join-Path $folder '{TITLE}.lnk'\n"
    "  if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path; Write-Output $path }\n"
    "}\n"
)


def _powershell_string(text: str) -> str:
    """Quote text for PowerShell: single quotes, in which only a single quote needs doubling."""
    return "'" + text.replace("'", "''") + "'"


def _windows_arguments(arguments: Sequence[str]) -> str:
    """Join arguments as Windows programs parse them (the .lnk holds one string)."""
    return subprocess.list2cmdline(list(arguments))


def _windows_create_script(machine: Machine, command: list[str]) -> str:
    target, *arguments = command
    return _WINDOWS_FOLDERS + (
        "foreach ($folder in $folders) {\n"
        f"  $path = Join-Path $folder '{TITLE}.lnk'\n"
        "  $link = $shell.CreateShortcut($path)\n"
        f"  $link.TargetPath = {_powershell_string(target)}\n"
        f"  $link.Arguments = {_powershell_string(_windows_arguments(arguments))}\n"
        f"  $link.WorkingDirectory = {_powershell_string(str(machine.home))}\n"
        f"  $link.Description = {_powershell_string(DESCRIPTION)}\n"
        "  $link.Save()\n"
        "  Write-Output $path\n"
        "}\n"
    )


def _windows(machine: Machine, script: str) -> list[str]:
    # -EncodedCommand (UTF-16LE in base64): the script reaches PowerShell whole, whatever quotes or line breaks it has.
    encoded = base64.b64encode(script.encode("utf-16-le")).decode("ascii")
    code, output = machine.run(
        ["powershell.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand", encoded]
    )
    if code != 0:
        raise OSError(f"PowerShell: {output.strip() or f'exit code {code}'}")
    return [line.strip() for line in output.splitlines() if line.strip()]


# macOS: a small .app in ~/Applications (found by Spotlight and Launchpad, can be kept in the Dock). Its program
# opens a .command file in Terminal, so that the start-up lines are seen and closing the window stops the server;
# a bundle made on this Mac is not quarantined, so Gatekeeper lets it start.


def _mac_bundle(machine: Machine) -> Path:
    return machine.home / "Applications" / f"{TITLE}.app"


def _mac_create(machine: Machine, command: list[str]) -> Path:
    bundle = _mac_bundle(machine)
    contents = bundle / "Contents"
    (contents / "MacOS").mkdir(parents=True, exist_ok=True)
    (contents / "Resources").mkdir(parents=True, exist_ok=True)
    info = {
        "CFBundleName": TITLE, "CFBundleDisplayName": TITLE, "CFBundleIdentifier": "nl.rodedraad.facilitator",
        "CFBundleExecutable": FILE_NAME, "CFBundlePackageType": "APPL", "CFBundleVersion": "1",
        "CFBundleShortVersionString": "1", "LSMinimumSystemVersion": "10.13",
    }
    (contents / "Info.plist").write_bytes(plistlib.dumps(info))
    start = contents / "Resources" / f"{TITLE}.command"
    _write_executable(start, "#!/bin/sh\n" + f"cd {shlex.quote(str(machine.home))}\n" + "exec " + shlex.join(command)
                      + "\n")
    _write_executable(contents / "MacOS" / FILE_NAME,
                      '#!/bin/sh\nexec open -a Terminal "$(dirname "$0")/../Resources/' + f'{TITLE}.command"\n')
    return bundle


# Linux: a desktop entry in the applications menu (XDG_DATA_HOME/applications) and, when the desktop folder
# exists, a copy there. Terminal=true keeps the start-up lines visible and Ctrl+C at hand.


def _linux_folders(machine: Machine) -> tuple[Path, Path]:
    """Return the applications folder and the desktop folder (XDG user-dirs, else ~/Desktop)."""
    data = Path(machine.environ.get("XDG_DATA_HOME") or machine.home / ".local" / "share")
    desktop = machine.home / "Desktop"
    config = Path(machine.environ.get("XDG_CONFIG_HOME") or machine.home / ".config")
    try:
        lines = (config / "user-dirs.dirs").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    for line in lines:
        if line.startswith("XDG_DESKTOP_DIR="):
            value = line.split("=", 1)[1].strip().strip('"').replace("$HOME", str(machine.home))
            desktop = Path(value)
    return data / "applications", desktop


def _linux_paths(machine: Machine) -> list[Path]:
    applications, desktop = _linux_folders(machine)
    return [applications / f"{FILE_NAME}.desktop", desktop / f"{FILE_NAME}.desktop"]


def desktop_exec(command: Sequence[str]) -> str:
    """Quote a command for a desktop entry's Exec key (the Desktop Entry Specification's rules)."""
    quoted = []
    for argument in command:
        if any(char in argument for char in ' \t\n"\'\\><~|&;$*?#()`'):
            escaped = "".join("\\" + char if char in '"`$\\' else char for char in argument)
            argument = f'"{escaped}"'
        quoted.append(argument.replace("%", "%%"))
    # The key's value is itself a string in which a backslash is escaped once more.
    return " ".join(quoted).replace("\\", "\\\\")


def _linux_create(machine: Machine, command: list[str], icon: Path | None) -> list[str]:
    entry = "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        f"Name={TITLE}",
        f"Comment={DESCRIPTION}",
        f"Exec={desktop_exec(command)}",
        f"Path={machine.home}",
        "Terminal=true",
        "Categories=Office;Education;",
        *([f"Icon={icon}"] if icon else []),
        "",
    ])
    menu, on_desktop = _linux_paths(machine)
    made = []
    for path in (menu, on_desktop):
        if path == on_desktop and not path.parent.is_dir():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_executable(path, entry)
        made.append(str(path))
    if on_desktop.parent.is_dir():
        # GNOME starts a desktop file from the desktop only once it is trusted; without gio this fails harmlessly.
        machine.run(["gio", "set", str(on_desktop), "metadata::trusted", "true"])
    return made


def _write_executable(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")
    path.chmod(0o755)
