"""The repository stands on its own: no tracked file points at a folder outside it (a brief, a shared data set)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: A path into the folder beside the checkout that the project's brief and data came from.
OUTSIDE = re.compile(r"\.\./shared\b|/work/shared\b|\bshared/(reference|data)\b|\b(PRODUCT|ARCHITECTURE|PERFORMANCE)\.md\b")


def tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    here = Path(__file__).resolve().relative_to(ROOT).as_posix()  # this file names the patterns it looks for
    return [ROOT / name for name in names if name != here and not name.startswith(("static/vendor/", "tests/browser/vendor/"))]


def test_no_tracked_file_refers_outside_the_repository() -> None:
    found = []
    for path in tracked_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary files (images, .mo) say nothing about paths
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not found, "\n".join(found)
