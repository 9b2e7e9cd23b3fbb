"""Process-wide staggering of what the bridge asks of Central: connections and credential calls.

Each subscription backs off on its own (`backoff`), with jitter so that streams that
failed together do not retry in lockstep. But a per-stream delay cannot tell a lone
reconnect from one of hundreds: any jitter window wide enough to spread 600
reconnects over several seconds also delays a single dropped stream by as much. A
`Stagger` knows how many are waiting: it hands out start times at most `rate` per
second, after an allowance of `burst` at once. A lone reconnect starts at once;
after Central drops every connection, the reconnects take `count / rate` seconds,
and Central never sees more than `rate` new connections per second from this
process, whatever the jitter drew.

The schedule is the generic cell rate algorithm (a token bucket that tells each
caller when its turn is, instead of refusing it): callers are served in the order
they asked.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable


class Stagger:
    """Start times at most `rate` per second, `burst` of them at once after a quiet spell."""

    def __init__(
        self, rate: float, burst: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if not (rate > 0 and math.isfinite(rate)):
            raise ValueError(f"rate must be a positive number (got {rate!r})")
        if not burst >= 1:
            raise ValueError(f"burst must be at least 1 (got {burst!r})")
        self.rate = rate
        self.burst = burst
        self._interval = 1.0 / rate
        self._tolerance = (burst - 1) * self._interval
        self._clock = clock
        self._next = -math.inf  # when the schedule is next free (its "theoretical arrival")
        self.granted = 0
        self.delayed = 0  # how many had to wait for their turn
        self.longest_wait = 0.0

    def reserve(self) -> float:
        """Take the next turn; the seconds until it (0: now)."""
        now = self._clock()
        due = max(self._next, now)
        start = max(now, due - self._tolerance)
        self._next = due + self._interval
        wait = start - now
        self.granted += 1
        if wait > 0:
            self.delayed += 1
            self.longest_wait = max(self.longest_wait, wait)
        return wait

    async def turn(self) -> None:
        """Wait for the next turn."""
        wait = self.reserve()
        if wait > 0:
            await asyncio.sleep(wait)
