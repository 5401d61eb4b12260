"""The flood benchmark in CI size: `bench/flood.py --phones 50 --flood-seconds 5`, the same code as the full size
(299 phones and a flooder at 100 submissions a second for 30 s).

Checked: the flooder was answered too_fast beyond its fair allowance (burst plus rate times the window) and every
one of its submissions was answered; all 50 other phones joined and every submission of theirs was acknowledged
ok, with p95 under 500 ms (generous: on this shared 2-core machine the neighbours' tests weigh on the tail).
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
SECONDS = 5
RATE = 100


def test_flood_bench_flooder_gets_too_fast_and_fifty_phones_keep_their_acks_fast() -> None:
    completed = subprocess.run(
        [sys.executable, "bench/flood.py", "--phones", str(PHONES), "--flood-seconds", str(SECONDS),
         "--flood-rate", str(RATE), "--per-phone", "3"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=150, check=False,
    )
    assert completed.stdout.strip(), completed.stderr[-4000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    print(json.dumps(result, indent=1))  # shown when the test fails, and with -s
    flooder, others, allowance = result["flooder"], result["others"], result["allowance"]

    assert (flooder["sent"], flooder["answered"]) == (RATE * SECONDS, RATE * SECONDS)
    assert flooder["too_fast"] >= RATE * SECONDS - allowance["most_admitted"] - allowance["per_second"]
    assert flooder["admitted"] <= allowance["most_admitted"] + allowance["per_second"]
    assert set(flooder["outcomes"]) <= {"ok", "limit_reached", "too_fast"}  # nothing else went wrong
    assert flooder["outcomes"]["ok"] == 20  # the open question's limit per phone: admitted, stored once each

    assert (others["joined"], others["submitted"], others["acked_ok"]) == (PHONES, PHONES * 3, PHONES * 3)
    assert others["outcomes"] == {"ok": PHONES * 3}
    assert others["ack_ms"]["p95"] < 500, others["ack_ms"]
    assert result["passed"] is True and completed.returncode == 0
