"""Reconnect delays: growth, cap, jitter bounds, reset after a stable connection."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from central_otel.streaming.backoff import Backoff, BackoffPolicy
from tests import defaults

NO_JITTER = BackoffPolicy(initial=1.0, maximum=60.0, multiplier=2.0, jitter=0.0, stable_after=30.0)


def test_grows_exponentially_to_the_cap() -> None:
    backoff = Backoff(NO_JITTER)
    assert [backoff.next_delay() for _ in range(9)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_thousands_of_failures_stay_at_the_cap() -> None:
    """Days of an outage: the delay stays at the cap (the exponent never overflows)."""
    backoff = Backoff(replace(NO_JITTER, multiplier=10.0))
    delays = [backoff.next_delay() for _ in range(5000)]
    assert delays[-1] == 60.0
    assert backoff.failures == 5000


def test_maximum_delay_for_errors_retrying_cannot_fix() -> None:
    backoff = Backoff(NO_JITTER)
    assert backoff.maximum_delay() == 60.0
    assert backoff.failures == 1


def test_stable_connection_resets_short_one_does_not() -> None:
    backoff = Backoff(NO_JITTER)
    for _ in range(4):
        backoff.next_delay()
    backoff.connected_for(29.9)
    assert backoff.next_delay() == 16.0
    backoff.connected_for(30.0)
    assert backoff.next_delay() == 1.0


@pytest.mark.parametrize("seed", range(5))
def test_jitter_stays_within_its_band(seed: int) -> None:
    policy = defaults.backoff(initial=10.0, maximum=100.0, multiplier=3.0, jitter=0.25)
    backoff = Backoff(policy, random.Random(seed))
    for base in (10.0, 30.0, 90.0, 100.0, 100.0):
        delay = backoff.next_delay()
        assert base * 0.75 <= delay <= base * 1.25


def test_jitter_spreads_subscriptions() -> None:
    policy = defaults.backoff(initial=10.0, jitter=0.2)
    delays = {Backoff(policy, random.Random(seed)).next_delay() for seed in range(20)}
    assert len(delays) == 20
