"""The fair allowance per phone (token buckets) and the throttle on guessing codes, on a fake clock."""

from __future__ import annotations

from facilitator.web.guards.throttle import PRUNE_ABOVE, GuessThrottle, RateLimiter, WindowLimit


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_allows_the_burst_then_refuses() -> None:
    limiter = RateLimiter(10, 2.0, clock=FakeClock())
    assert [limiter.allow("p:1") for _ in range(12)] == [True] * 10 + [False, False]


def test_rate_limiter_refills_at_the_sustained_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(10, 2.0, clock=clock)
    for _ in range(10):
        limiter.allow("p:1")
    clock.now += 0.4  # 0.8 of a token: still nothing
    assert limiter.allow("p:1") is False
    clock.now += 0.1  # 1.0 token in all
    assert limiter.allow("p:1") is True
    assert limiter.allow("p:1") is False
    clock.now += 3.0  # six tokens
    assert [limiter.allow("p:1") for _ in range(7)] == [True] * 6 + [False]


def test_rate_limiter_never_holds_more_than_the_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(5, 2.0, clock=clock)
    limiter.allow("p:1")
    clock.now += 3600
    assert [limiter.allow("p:1") for _ in range(6)] == [True] * 5 + [False]


def test_rate_limiter_keeps_keys_apart() -> None:
    limiter = RateLimiter(2, 1.0, clock=FakeClock())
    assert [limiter.allow("p:1"), limiter.allow("p:1"), limiter.allow("p:1")] == [True, True, False]
    assert [limiter.allow("p:2"), limiter.allow("p:2"), limiter.allow("p:2")] == [True, True, False]


def test_rate_limiter_sustains_exactly_the_allowance_under_a_flood() -> None:
    clock = FakeClock()
    limiter = RateLimiter(10, 2.0, clock=clock)
    allowed = 0
    for _ in range(3000):  # 100 a second for 30 s
        allowed += limiter.allow("flooder")
        clock.now += 0.01
    assert allowed == 10 + 2 * 30 - 1  # the burst plus the refill; the last refill lands after the last event


def test_rate_limiter_with_burst_zero_allows_everything() -> None:
    limiter = RateLimiter(0, 0.0, clock=FakeClock())
    assert limiter.enabled is False
    assert all(limiter.allow("p:1") for _ in range(10_000))
    assert limiter.keys() == 0


def test_rate_limiter_forgets_a_key() -> None:
    limiter = RateLimiter(1, 0.001, clock=FakeClock())
    assert limiter.allow("c:sid") is True
    assert limiter.allow("c:sid") is False
    limiter.forget("c:sid")
    assert limiter.allow("c:sid") is True


def test_rate_limiter_drops_full_buckets_when_it_holds_many_keys() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, 1.0, clock=clock)
    for n in range(PRUNE_ABOVE):
        limiter.allow(f"c:{n}")
    limiter.allow("busy")
    limiter.allow("busy")
    limiter.allow("busy")  # empty: must survive the pruning
    clock.now += 2.5  # every other key is full again, "busy" holds 2.5 tokens
    limiter.allow("newcomer")
    assert limiter.keys() == 2
    assert [limiter.allow("busy"), limiter.allow("busy"), limiter.allow("busy")] == [True, True, False]


def test_guess_throttle_refuses_a_client_after_its_limit_until_the_window_passes() -> None:
    clock = FakeClock()
    throttle = GuessThrottle(per_client=3, overall=100, window_seconds=60, clock=clock)
    for _ in range(3):
        assert throttle.retry_after("a") == 0
        throttle.wrong("a")
        clock.now += 10
    # Wrong at 1000, 1010, 1020; now 1030: blocked until the first leaves the window at 1060.
    assert throttle.retry_after("a") == 30
    assert throttle.retry_after("b") == 0  # another client is not affected
    clock.now = 1060
    assert throttle.retry_after("a") == 0
    throttle.wrong("a")  # wrong at 1010, 1020, 1060: blocked until 1070
    assert throttle.retry_after("a") == 10


def test_guess_throttle_overall_ceiling_stops_rotating_clients() -> None:
    clock = FakeClock()
    throttle = GuessThrottle(per_client=3, overall=20, window_seconds=60, clock=clock)
    for n in range(20):  # twenty addresses, one wrong code each
        assert throttle.retry_after(f"address-{n}") == 0
        throttle.wrong(f"address-{n}")
    assert throttle.retry_after("address-new") == 60
    assert throttle.retry_after("address-0") == 60
    clock.now += 60
    assert throttle.retry_after("address-new") == 0
    assert throttle.clients() == 0  # nothing kept once the window passed


def test_guess_throttle_memory_stays_bounded_by_the_overall_ceiling() -> None:
    clock = FakeClock()
    throttle = GuessThrottle(per_client=5, overall=50, window_seconds=60, clock=clock)
    refused = 0
    for n in range(10_000):  # a guesser rotating addresses, as the join route uses the throttle
        if throttle.retry_after(f"address-{n}") > 0:
            refused += 1
            continue
        throttle.wrong(f"address-{n}")
        clock.now += 0.01
    assert refused == 10_000 - 50
    assert throttle.clients() == 50


def test_window_limit_counts_a_handful_per_key_then_says_how_long_to_wait() -> None:
    clock = FakeClock()
    joins = WindowLimit(5, 60, clock=clock)
    waits = []
    for _ in range(5):
        waits.append(joins.take("phone-a"))
        clock.now += 1
    assert waits == [0.0] * 5
    assert joins.take("phone-a") == 55.0  # the first of the five leaves the window 60 s after it came
    assert joins.take("phone-b") == 0.0  # another address is not held up
    clock.now += 55
    assert joins.take("phone-a") == 0.0  # one slot free again (a refusal was not counted)
    assert joins.take("phone-a") > 0


def test_window_limit_of_zero_never_refuses() -> None:
    joins = WindowLimit(0, 60, clock=FakeClock())
    assert all(joins.take("script") == 0.0 for _ in range(1000))
    assert joins.keys() == 0


def test_window_limit_forgets_keys_once_their_window_passed() -> None:
    clock = FakeClock()
    joins = WindowLimit(5, 60, clock=clock)
    for n in range(1000):
        joins.take(f"address-{n}")
    assert joins.keys() == 1000
    clock.now += 61
    joins.take("late")
    assert joins.keys() == 1
