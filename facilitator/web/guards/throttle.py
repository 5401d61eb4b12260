"""How fast one client may act: a token bucket per phone, and a throttle on guessing codes.

Framework-free and in memory only. Nothing here is stored or logged: the keys are whatever the edges pass
in (a participant id, a connection id, a salted hash of an address) and vanish with the process.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from facilitator.core.domain.errors import FacilitatorError

Clock = Callable[[], float]

#: Above this many keys the limiter drops the ones that are back at a full bucket (an idle key that is full
#: behaves exactly like a key never seen), so memory stays bounded however many connections come and go.
PRUNE_ABOVE = 10_000


class TooFast(FacilitatorError):
    """A phone sends events faster than its fair allowance; nothing was done, it may send again shortly."""

    code = "too_fast"


class TooManyAttempts(FacilitatorError):
    """Too many wrong join or role codes came from this client (or from everyone) lately; `params["retry_after"]`
    holds the seconds to wait."""

    code = "too_many_attempts"


class TooManyJoins(FacilitatorError):
    """Too many phones joined from this client lately, with the right code; `params["retry_after"]` holds the
    seconds to wait."""

    code = "too_many_joins"


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """Token buckets by key: `burst` events at once, then `per_second` sustained; a burst of 0 means no limit."""

    def __init__(self, burst: int, per_second: float, clock: Clock = time.monotonic) -> None:
        self.burst = burst
        self.per_second = per_second
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """Tell whether the limiter refuses anything at all."""
        return self.burst > 0

    def allow(self, key: str) -> bool:
        """Take one token from a key's bucket; return False (and take nothing) when it is empty."""
        if not self.enabled:
            return True
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= PRUNE_ABOVE:
                    self._prune(now)
                bucket = self._buckets[key] = _Bucket(tokens=float(self.burst), stamp=now)
            else:
                bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.stamp) * self.per_second)
                bucket.stamp = now
            if bucket.tokens < 1.0:
                return False
            bucket.tokens -= 1.0
            return True

    def forget(self, key: str) -> None:
        """Drop a key's bucket (its connection closed)."""
        with self._lock:
            self._buckets.pop(key, None)

    def keys(self) -> int:
        """Return how many keys hold a bucket (for tests: memory stays bounded)."""
        with self._lock:
            return len(self._buckets)

    def _prune(self, now: float) -> None:
        full = [
            key for key, b in self._buckets.items()
            if b.tokens + (now - b.stamp) * self.per_second >= self.burst
        ]
        for key in full:
            del self._buckets[key]


class GuessThrottle:
    """Count wrong codes per client and in all, over a sliding window; while either count is at its limit,
    every lookup is refused, right or wrong, so that a refusal tells a guesser nothing.

    The overall ceiling is what makes rotating addresses useless; its price is that during an attack honest
    phones typing a code wait too (phones that already joined are not affected: they come back by cookie).
    """

    def __init__(self, per_client: int, overall: int, window_seconds: float, clock: Clock = time.monotonic) -> None:
        self.per_client = per_client
        self.overall = overall
        self.window = window_seconds
        self._clock = clock
        self._by_client: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> float:
        """Return the seconds until this client may look a code up again; 0 when it may now."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            waits = [0.0]
            if len(self._all) >= self.overall:
                waits.append(self._all[len(self._all) - self.overall] + self.window - now)
            mine = self._by_client.get(client)
            if mine is not None and len(mine) >= self.per_client:
                waits.append(mine[len(mine) - self.per_client] + self.window - now)
            return max(waits)

    def wrong(self, client: str) -> None:
        """Note a wrong code from a client."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            self._all.append(now)
            mine = self._by_client.setdefault(client, deque())
            mine.append(now)
            # Only the newest `limit` attempts can matter to retry_after: older ones are dropped at once.
            while len(self._all) > self.overall:
                self._all.popleft()
            while len(mine) > self.per_client:
                mine.popleft()

    def clients(self) -> int:
        """Return how many clients have wrong codes in the window (for tests: memory stays bounded)."""
        with self._lock:
            self._expire(self._clock())
            return len(self._by_client)

    def _expire(self, now: float) -> None:
        horizon = now - self.window
        while self._all and self._all[0] <= horizon:
            self._all.popleft()
        stale = []
        for client, attempts in self._by_client.items():
            while attempts and attempts[0] <= horizon:
                attempts.popleft()
            if not attempts:
                stale.append(client)
        for client in stale:
            del self._by_client[client]


class WindowLimit:
    """At most `limit` events per key in any `window_seconds` (a sliding window); a limit of 0 means no limit.

    `take` checks and counts in one step, so that requests arriving at the same moment cannot all slip through
    between a check and a count. A refused event is not counted: waiting out the window always helps.
    """

    def __init__(self, limit: int, window_seconds: float, clock: Clock = time.monotonic) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._by_key: dict[str, deque[float]] = {}
        self._swept = clock()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Count one event for a key and return 0; or, when the key is at its limit, the seconds to wait."""
        if self.limit <= 0:
            return 0.0
        now = self._clock()
        horizon = now - self.window
        with self._lock:
            if now - self._swept >= self.window:  # at most once per window: memory stays bounded by recent keys
                self._swept = now
                for stale in [k for k, stamps in self._by_key.items() if stamps[-1] <= horizon]:
                    del self._by_key[stale]
            stamps = self._by_key.setdefault(key, deque())
            while stamps and stamps[0] <= horizon:
                stamps.popleft()
            if len(stamps) >= self.limit:
                return stamps[0] + self.window - now
            stamps.append(now)
            return 0.0

    def keys(self) -> int:
        """Return how many keys are remembered (for tests: memory stays bounded)."""
        with self._lock:
            return len(self._by_key)
