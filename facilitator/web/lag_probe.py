"""An event-loop lag probe, for the load benchmark: how late does a 10 ms sleep wake up while the room is busy?

Off by default. With the setting LAG_PROBE (environment: FACILITATOR_LAG_PROBE=1) the server runs one background
task that sleeps INTERVAL in a loop and records how much later than asked it woke up. Under eventlet every phone,
the host screen and this task share one loop, so the overshoot is the time nobody could be served: a blocking
fsync, a clusterer holding the loop, a long handler. The samples are served, to the facilitator only, at
GET /host/lag-probe?since=<unix time> as {"interval_ms", "started_at", "samples": [[unix time, lag ms], ...]}.

Measuring inside the server is the honest choice: a ping from outside would add the network, the client's own
loop and the Socket.IO framing to what it reports.
"""

from __future__ import annotations

import threading
import time
from array import array
from collections.abc import Callable
from typing import Any

#: How long the probe sleeps each round, in seconds.
INTERVAL = 0.010
#: Samples kept (the oldest half is dropped past this): ten minutes at 100 a second, 1.6 MB.
KEEP = 60_000


class LagProbe:
    """Sleep INTERVAL again and again; record when each wake-up came and how late it was."""

    def __init__(
        self,
        sleep: Callable[[float], Any],
        *,
        keep: int = KEEP,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._sleep, self._monotonic, self._wall = sleep, monotonic, wall
        self._keep = keep
        self._lock = threading.Lock()
        self._times = array("d")  # unix time of each wake-up
        self._lags = array("d")  # its overshoot, in ms
        self._stopped = False
        #: When the probe was made (it starts right away); samples before it are impossible.
        self.started_at = wall()

    def run(self) -> None:
        """Measure until stopped or the process ends (the body of the background task)."""
        while not self._stopped:
            asked = self._monotonic()
            self._sleep(INTERVAL)
            lag_ms = max(0.0, (self._monotonic() - asked - INTERVAL) * 1000)
            self.record(self._wall(), lag_ms)

    def stop(self) -> None:
        """End run() after its current sleep (tests; a server keeps its probe until it exits)."""
        self._stopped = True

    def record(self, at: float, lag_ms: float) -> None:
        """Keep one sample; past `keep`, forget the oldest half."""
        with self._lock:
            self._times.append(at)
            self._lags.append(lag_ms)
            if len(self._times) > self._keep:
                half = len(self._times) // 2
                del self._times[:half]
                del self._lags[:half]

    def samples(self, since: float = 0.0) -> list[tuple[float, float]]:
        """Return (unix time, lag ms) of every kept wake-up at or after `since`."""
        with self._lock:
            return [(at, lag) for at, lag in zip(self._times, self._lags, strict=True) if at >= since]


def install(app: Any, socketio: Any) -> LagProbe:
    """Start the probe as a background task of the Socket.IO server and serve its samples to the facilitator."""
    from flask import abort, jsonify, request

    from facilitator.web.host.auth import is_facilitator

    probe = LagProbe(socketio.sleep)
    app.extensions["lag_probe"] = probe
    socketio.start_background_task(probe.run)

    def lag_probe() -> Any:
        """The samples since ?since= (unix time; default: all kept), for the facilitator only."""
        if not is_facilitator():
            abort(403)
        try:
            since = float(request.args.get("since", "0"))
        except ValueError:
            since = 0.0
        return jsonify(
            interval_ms=INTERVAL * 1000,
            started_at=probe.started_at,
            samples=[[round(at, 4), round(lag, 3)] for at, lag in probe.samples(since)],
        )

    app.add_url_rule("/host/lag-probe", "lag_probe", lag_probe, methods=["GET"])
    return probe
