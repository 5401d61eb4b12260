"""Crash durability under load and torn writes, at CI size, through the same code as the benchmarks.

bench/chaos.py: phones with an outbox submit while the real server is SIGKILLed twice and restarted;
bench/torn_writes.py: the real server is started, written to and SIGKILLed after 0–500 ms, 200 times (here 100:
each round starts a server, and CI must stay under 20 minutes with the one-folder build in it).
Both print their full-size numbers as JSON when run by hand (see bench/README.md).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bench.chaos import STORED_WITHIN, run_chaos
from bench.torn_writes import run_torn_writes
from facilitator.testing.clients import run

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONES = 40
PER_PHONE = 10
KILLS = 2
TORN_ITERATIONS = 100


def test_chaos_forty_phones_two_kills_every_acknowledged_item_stored_once() -> None:
    result: dict[str, Any] = run(
        run_chaos(phones=PHONES, per_phone=PER_PHONE, kills=KILLS, type_seconds=4.0, processes=2), timeout=240
    )
    print(json.dumps(result))
    detail = result["detail"]
    expected = PHONES * PER_PHONE
    assert {k: result[k] for k in ("expected", "acked", "stored", "duplicates", "lost", "kills")} == {
        "expected": expected, "acked": expected, "stored": expected, "duplicates": 0, "lost": 0, "kills": KILLS,
    }
    assert result["store_opened_after_every_kill"] is True
    # After each kill, before the restart: the store opened and held every ack received so far, none twice.
    assert [(k["opened"], k["lost"], k["duplicates"]) for k in detail["kills"]] == [(True, 0, 0)] * KILLS
    # The kills came while the phones were still submitting.
    assert all(k["acked_before"] < expected for k in detail["kills"])
    assert result["seconds_to_all_stored_after_last_restart"] <= STORED_WITHIN
    # No item was refused or left behind, and a host screen that opens afterwards shows each once.
    assert (detail["refused"], detail["still_in_outbox"], detail["phone_errors"]) == ({}, 0, {})
    assert detail["host_view_contributions"] == expected
    assert detail["tmp_files_after_stop"] == 0


def test_torn_writes_a_hundred_kills_the_store_always_opens_with_every_acknowledged_write() -> None:
    result: dict[str, Any] = run(run_torn_writes(TORN_ITERATIONS, lanes=2), timeout=1200)
    print(json.dumps(result))
    assert {
        k: result[k]
        for k in ("iterations", "store_opened", "missing", "duplicates", "wrong_address", "tmp_files_left_after_start")
    } == {
        "iterations": TORN_ITERATIONS, "store_opened": TORN_ITERATIONS, "missing": 0, "duplicates": 0,
        "wrong_address": 0, "tmp_files_left_after_start": 0,
    }
    assert result["detail"]["refused"] == {}
    assert result["detail"]["problems"] == []
    # Something was written in the rounds: contributions, whole-file rewrites and new bijeenkomsten.
    assert result["acked_contributions"] > 0
    assert result["acked_address_changes"] > 0
    assert result["acked_bijeenkomsten"] > 0
