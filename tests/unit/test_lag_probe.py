"""The event-loop lag probe: what it records for each sleep, and what it keeps."""

from __future__ import annotations

from facilitator.web.lag_probe import INTERVAL, LagProbe


class FakeLoop:
    """A clock and a sleep: each sleep takes INTERVAL plus the next planned delay; the probe stops after the last."""

    def __init__(self, delays_ms: list[float]) -> None:
        self.delays_ms = list(delays_ms)
        self.now = 1000.0
        self.probe: LagProbe | None = None

    def sleep(self, seconds: float) -> None:
        assert seconds == INTERVAL
        self.now += seconds + self.delays_ms.pop(0) / 1000
        if not self.delays_ms and self.probe is not None:
            self.probe.stop()

    def clock(self) -> float:
        return self.now


def test_lag_probe_records_how_late_each_sleep_woke_up() -> None:
    loop = FakeLoop([0.0, 5.0, 250.0, 0.5])
    probe = LagProbe(loop.sleep, monotonic=loop.clock, wall=loop.clock)
    loop.probe = probe
    probe.run()
    samples = probe.samples()
    assert [round(lag, 3) for _at, lag in samples] == [0.0, 5.0, 250.0, 0.5]
    assert [round(at - 1000.0, 4) for at, _lag in samples] == [0.01, 0.025, 0.285, 0.2955]
    assert probe.started_at == 1000.0


def test_lag_probe_samples_since_a_moment() -> None:
    probe = LagProbe(lambda _seconds: None)
    for at, lag in ((10.0, 1.0), (11.0, 2.0), (12.0, 3.0)):
        probe.record(at, lag)
    assert probe.samples(11.0) == [(11.0, 2.0), (12.0, 3.0)]
    assert probe.samples(12.5) == []


def test_lag_probe_forgets_the_oldest_half_when_full() -> None:
    probe = LagProbe(lambda _seconds: None, keep=4)
    for n in range(5):
        probe.record(float(n), float(n))
    assert probe.samples() == [(2.0, 2.0), (3.0, 3.0), (4.0, 4.0)]
