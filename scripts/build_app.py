"""Build the self-contained one-folder Rode Draad with PyInstaller, for the system this runs on.

Usage: python scripts/build_app.py [--dist DIR] [--work DIR]
Writes DIR/rode-draad/ (default: dist/rode-draad/) with the program `rode-draad` (`rode-draad.exe` on Windows)
and everything it needs: Python itself, the libraries, the templates, static files, translations, word lists and
werkvormen. Copy or zip the folder; on the laptop run `rode-draad install-shortcut` once, or `rode-draad serve`.
The same command builds the Windows build on Windows and the macOS build on a Mac (PyInstaller does not cross-build).
Needs the package's test extra (it holds pyinstaller): `pip install -e ".[test]"`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "rode-draad"

#: (source in the repository, folder inside the build): where `resource_dir` and importlib.resources look.
DATA = (
    ("templates", "facilitator/templates"),
    ("static", "facilitator/static"),
    ("translations", "facilitator/translations"),
    ("facilitator/data", "facilitator/data"),
)
#: Modules only ever imported by name at run time, which PyInstaller's import scan cannot see.
HIDDEN = (
    "engineio.async_drivers.eventlet",  # Flask-SocketIO picks its async mode by name
    "engineio.async_drivers.threading",
    "eventlet.hubs.epolls", "eventlet.hubs.kqueue", "eventlet.hubs.poll", "eventlet.hubs.selects",
    "eventlet.hubs.hub",
    "dns.rdtypes", "dns.rdtypes.ANY", "dns.rdtypes.IN",  # eventlet's greendns imports dnspython's record types
)
#: Packages whose every module is needed: the werkvormen are discovered by listing the package at start-up.
SUBMODULES = ("workformats", "facilitator", "eventlet.hubs")
#: Packages with data files of their own that their code opens at run time.
PACKAGE_DATA = ("wordfreq", "snowballstemmer")
#: Things in the environment that Rode Draad never runs (test tools, notebooks, GUI toolkits, the test extra's
#: HTTP client, DNSSEC's cryptography: eventlet's green DNS is off in `serve`).
EXCLUDE = (
    "tkinter", "IPython", "jupyter_client", "ipykernel", "matplotlib", "pandas", "pyarrow", "PIL", "pytest",
    "_pytest", "hypothesis", "playwright", "mypy", "ruff", "aiosmtpd", "setuptools", "pip", "sphinx", "docutils",
    "PyInstaller", "scipy.io.matlab", "jedi", "parso", "aiohttp", "pydantic", "pydantic_core",
    "yaml", "cryptography", "requests", "websocket", "build",
)
#: Data kept of the packages that ship every language: Dutch and English only (the product's two languages).
#: Babel's locale data is 35 MB for 1,100 locales, wordfreq's word lists 58 MB for 40 languages.
KEEP = {
    "babel/locale-data": ("root.dat", "nl.dat", "nl_*.dat", "en.dat", "en_*.dat"),
    "wordfreq/data": ("*_nl.msgpack.gz",),
}


def pyinstaller_args(dist: Path, work: Path) -> list[str]:
    """Return PyInstaller's command line for the one-folder build."""
    args = [
        str(ROOT / "scripts" / "app_main.py"),
        "--name", NAME,
        "--onedir",
        "--console",  # the window shows the start-up lines; closing it (or Ctrl+C) stops the server
        "--noconfirm",
        "--log-level", "WARN",
        "--distpath", str(dist),
        "--workpath", str(work),
        "--specpath", str(work),
        "--paths", str(ROOT),
    ]
    for source, target in DATA:
        args += ["--add-data", f"{ROOT / source}:{target}"]
    for module in HIDDEN:
        args += ["--hidden-import", module]
    for package in SUBMODULES:
        args += ["--collect-submodules", package]
    for package in PACKAGE_DATA:
        args += ["--collect-data", package]
    for module in EXCLUDE:
        args += ["--exclude-module", module]
    return args


def prune(folder: Path) -> int:
    """Delete the data files of languages Rode Draad does not speak; return the bytes freed."""
    freed = 0
    for where, patterns in KEEP.items():
        for path in (folder / "_internal" / where).glob("*"):
            if path.is_file() and not any(path.match(pattern) for pattern in patterns):
                freed += path.stat().st_size
                path.unlink()
    return freed


def lay_out(folder: Path) -> None:
    """Make the folders that libraries reach their data through, which PyInstaller does not make."""
    # python-docx opens docx/parts/../templates/default-footer.xml; its modules live in the archive, so without
    # an (empty) docx/parts folder that path does not resolve (on Windows it would, by text alone).
    (folder / "_internal" / "docx" / "parts").mkdir(parents=True, exist_ok=True)


def folder_size(folder: Path) -> int:
    """Return the bytes of every file under the folder."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the rode-draad folder is written")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's scratch")
    options = parser.parse_args(argv)
    try:
        import PyInstaller.__main__
    except ImportError:
        print('PyInstaller is missing: pip install -e ".[test]"', file=sys.stderr)
        return 2
    # This checkout's packages, also for the subprocesses in which PyInstaller's hooks import them (and not an
    # installed copy of another checkout).
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    sys.path.insert(0, str(ROOT))
    started = time.monotonic()
    PyInstaller.__main__.run(pyinstaller_args(options.dist.resolve(), options.work.resolve()))
    folder = options.dist.resolve() / NAME
    executable = folder / (NAME + (".exe" if sys.platform == "win32" else ""))
    if not executable.is_file():
        print(f"the build made no {executable}", file=sys.stderr)
        return 1
    prune(folder)
    lay_out(folder)
    shutil.rmtree(options.work.resolve(), ignore_errors=True)
    seconds = time.monotonic() - started
    print(f"Built {executable} in {seconds:.0f} s; the folder holds {folder_size(folder) / 1e6:.0f} MB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
