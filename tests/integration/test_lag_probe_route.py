"""The lag probe's route: absent unless LAG_PROBE is on, and then for the facilitator only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from facilitator import create_app
from tests.conftest import HOST_KEY


@pytest.fixture
def probed_app() -> Iterator[Any]:
    app = create_app({"STORAGE": "memory", "HOST_KEY": HOST_KEY, "TESTING": True, "LAG_PROBE": True})
    try:
        yield app
    finally:
        app.extensions["lag_probe"].stop()


def test_lag_probe_route_is_absent_without_the_setting(host_http: Any) -> None:
    assert host_http.get("/host/lag-probe").status_code == 404


def test_lag_probe_route_is_for_the_facilitator_only(probed_app: Any) -> None:
    assert probed_app.test_client().get("/host/lag-probe").status_code == 403


def test_lag_probe_route_serves_the_samples_since_a_moment(probed_app: Any) -> None:
    probe = probed_app.extensions["lag_probe"]
    probe.stop()  # its own task (a real thread in threading mode) stops adding wake-ups of the present
    probe.record(100.0, 1.5)
    probe.record(200.0, 120.25)
    client = probed_app.test_client()
    assert client.get(f"/host/login?key={HOST_KEY}").status_code == 303
    body = client.get("/host/lag-probe?since=150").get_json()
    assert body["interval_ms"] == 10.0
    assert isinstance(body["started_at"], float)
    assert [sample for sample in body["samples"] if sample[0] < body["started_at"]] == [[200.0, 120.25]]
    everything = client.get("/host/lag-probe?since=nonsense").get_json()["samples"]
    assert [sample for sample in everything if sample[0] < body["started_at"]] == [[100.0, 1.5], [200.0, 120.25]]
