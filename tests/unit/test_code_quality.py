"""The framework-free core type-checks strictly, and the whole tree passes the linter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = [
    "facilitator/domain",
    "facilitator/services",
    "facilitator/registry.py",
    "facilitator/validation.py",
    "facilitator/clustering.py",
    "facilitator/text_nl.py",
    "facilitator/privacy.py",
    "facilitator/mail.py",
    "facilitator/pdf.py",
    "facilitator/platforms.py",
    "facilitator/exports.py",
    "facilitator/throttle.py",
    "facilitator/wsgi_guard.py",
    "facilitator/storage",
    "facilitator/reporting/model.py",
    "facilitator/reporting/build.py",
    "facilitator/reporting/text.py",
    "facilitator/reporting/markdown.py",
    "facilitator/reporting/html.py",
    "facilitator/reporting/docx.py",
    "facilitator/reporting/csv.py",
    "workformats",
]


def test_core_passes_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", *CORE], cwd=ROOT, capture_output=True, text=True
    )
    assert result.stdout == "" and result.returncode == 0, result.stdout + result.stderr


def test_tree_passes_ruff() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--quiet", "facilitator", "workformats", "tests", "bench", "scripts"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
