"""Exponential backoff with jitter, reset once a connection has proved stable."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """`config.ReconnectConfig` as the policy needs it (defaults live there)."""

    initial: float  # seconds before the first retry
    maximum: float  # cap, also the delay for errors retrying cannot fix soon
    multiplier: float
    jitter: float  # +/- fraction, so many subscriptions do not retry in lockstep
    stable_after: float  # a connection up this long resets the delay


_MAX_EXPONENT = 64

# One generator for every subscription: its state is 2.5 KiB, too much to hold per
# stream by the hundred, and the draws need no independence beyond what it gives.
_SHARED_RNG = random.Random()


class Backoff:
    """Delays between reconnect attempts of one subscription."""

    def __init__(self, policy: BackoffPolicy, rng: random.Random | None = None) -> None:
        self.policy = policy
        self.failures = 0
        self._rng = rng or _SHARED_RNG

    def next_delay(self) -> float:
        """The delay before the next attempt; grows with each consecutive failure."""
        policy = self.policy
        # The exponent stops growing long after the cap is reached: a very long outage
        # (thousands of failures) must not overflow the float.
        growth = policy.multiplier ** min(self.failures, _MAX_EXPONENT)
        base = min(policy.maximum, policy.initial * growth)
        self.failures += 1
        return self._jittered(base)

    def maximum_delay(self) -> float:
        """The capped delay, for failures a quick retry cannot fix (auth, unsubscribed)."""
        self.failures += 1
        return self._jittered(self.policy.maximum)

    def connected_for(self, seconds: float) -> None:
        """Report how long the last connection lasted; a stable one resets the delay."""
        if seconds >= self.policy.stable_after:
            self.failures = 0

    def reset(self) -> None:
        self.failures = 0

    def _jittered(self, base: float) -> float:
        spread = base * self.policy.jitter
        return max(
            0.0,
            min(
                self.policy.maximum * (1 + self.policy.jitter),
                base + self._rng.uniform(-spread, spread),
            ),
        )
