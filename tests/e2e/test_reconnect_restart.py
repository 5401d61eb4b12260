"""The server is killed and restarted under 50 phones: every one is back, with exactly the current state.

The CI-size run of bench/reconnect.py (the full size is 300 phones, see bench/README.md): the same code,
as a subprocess, with its JSON line checked exactly. The timing goal (99 % within 30 s) is the
benchmark's; here every phone must be back within the benchmark's wait, with a state equal to what
a second tab with the same identity gets from the restarted server.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
PHONES = 50


def test_restart_brings_every_phone_back_with_the_current_state() -> None:
    finished = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "reconnect.py"), "--phones", str(PHONES), "--processes", "1",
         "--signal", "kill", "--wait-seconds", "45"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=240,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    print(json.dumps(result))
    assert result["errors"] == {}
    assert (result["phones"], result["joined"], result["back"], result["states_equal"]) == (PHONES,) * 4
    assert result["back_within_30s_pct"] == 100.0
