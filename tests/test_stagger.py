"""The process-wide staggering of connection attempts and credential calls: its schedule."""

from __future__ import annotations

import pytest

from central_otel.streaming.stagger import Stagger
from tests.streaming_support import FakeClock


def test_a_burst_goes_at_once_then_one_turn_per_interval() -> None:
    clock = FakeClock(100.0)
    stagger = Stagger(10.0, 3, clock=clock)
    waits = [round(stagger.reserve(), 9) for _ in range(7)]
    assert waits == [0.0, 0.0, 0.0, 0.1, 0.2, 0.3, 0.4]
    assert (stagger.granted, stagger.delayed, round(stagger.longest_wait, 9)) == (7, 4, 0.4)


def test_turns_are_given_in_the_order_asked_as_time_passes() -> None:
    clock = FakeClock(100.0)
    stagger = Stagger(4.0, 1, clock=clock)
    assert [stagger.reserve() for _ in range(3)] == [0.0, 0.25, 0.5]
    clock.now += 0.5  # the third caller's turn has come: the next one is after it
    assert stagger.reserve() == 0.25


def test_a_lone_caller_after_a_quiet_spell_goes_at_once() -> None:
    clock = FakeClock(100.0)
    stagger = Stagger(2.0, 5, clock=clock)
    for _ in range(20):  # a mass reconnect: 10 s of turns
        stagger.reserve()
    clock.now += 10.0
    assert stagger.reserve() == 0.0
    clock.now += 0.5  # half a second later: one interval has passed, the burst not yet back
    assert stagger.reserve() == 0.0
    clock.now += 30.0
    assert [stagger.reserve() for _ in range(6)] == [0.0, 0.0, 0.0, 0.0, 0.0, 0.5]


def test_the_rate_is_kept_over_any_window() -> None:
    clock = FakeClock(100.0)
    stagger = Stagger(50.0, 10, clock=clock)
    starts = [clock.now + stagger.reserve() for _ in range(600)]
    assert starts == sorted(starts)
    # 600 at once: 10 at once, then 50 per second: the last after (600 - 10) / 50 s.
    assert starts[-1] - starts[0] == pytest.approx(11.8)
    assert starts[540] - starts[0] == pytest.approx(10.62)  # p90
    # No second holds more than the burst plus a second's rate.
    for i, start in enumerate(starts):
        assert sum(1 for s in starts[i:] if s < start + 1.0) <= 10 + 50


@pytest.mark.parametrize(
    ("rate", "burst", "message"),
    [
        (0.0, 1, "rate must be a positive number (got 0.0)"),
        (float("inf"), 1, "rate must be a positive number (got inf)"),
        (1.0, 0.5, "burst must be at least 1 (got 0.5)"),
    ],
)
def test_bad_settings_are_refused(rate: float, burst: float, message: str) -> None:
    with pytest.raises(ValueError, match=r"^(rate|burst) must be") as error:
        Stagger(rate, burst)
    assert str(error.value) == message


async def test_turn_waits_for_the_turn() -> None:
    clock = FakeClock(100.0)
    stagger = Stagger(1000.0, 1, clock=clock)
    await stagger.turn()
    await stagger.turn()  # 1 ms later, as the rate says
    assert (stagger.granted, stagger.delayed) == (2, 1)
