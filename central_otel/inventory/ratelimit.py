"""Central's REST rate limits, as one customer's calls see them.

Classic Central allows 7 calls per second and a daily budget (5,000 by default,
more with many devices) per account, shared by every API user of that account. It
answers each call with ``X-RateLimit-{Limit,Remaining}-{second,day}`` (lower case
behind its gateway: read case-insensitively) and refuses an excess with HTTP 429.
New Central sends ``X-RateLimit-{Limit,Remaining,Reset}`` (one window; its numbers are
not documented) and refuses with 429 too.

`RateLimiter` paces one customer's calls: never more than `per_second` in any one
second, one per second while the day's budget is low (so a sync never bursts what
little is left), the next second when Central says this second's calls are used
up, and exponential waits after a 429. It keeps the counters /status and the
self-metrics show.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

MAX_CALLS_PER_SECOND = 7
TIGHT_FRACTION = 0.1
"""The day's budget is low below this fraction of the daily limit."""
RESERVE_FRACTION = 0.05
"""The share of the daily limit syncs leave to the account's other API users."""
BACKOFF_429 = (2.0, 4.0, 8.0, 16.0, 32.0)
"""Waits before each retry of a call refused with 429 (then the call fails)."""
SLOW_SPACING = 1.0
"""Seconds between two calls while the budget is low."""

_HEADERS = {
    "x-ratelimit-limit-day": "limit_day",
    "x-ratelimit-remaining-day": "remaining_day",
    "x-ratelimit-limit-second": "limit_second",
    "x-ratelimit-remaining-second": "remaining_second",
    # New Central sends one window, X-RateLimit-{Limit,Remaining,Reset}, taken as the
    # per-second one (as HPE's tools read it; its length is not documented).
    "x-ratelimit-limit": "limit_second",
    "x-ratelimit-remaining": "remaining_second",
}


@dataclass(slots=True)
class Budget:
    """The latest rate-limit figures Central sent (None: not told yet)."""

    limit_day: int | None = None
    remaining_day: int | None = None
    limit_second: int | None = None
    remaining_second: int | None = None

    def update(self, headers: Mapping[str, str]) -> None:
        """Read the ``X-RateLimit-*`` headers, whatever their case; others are ignored."""
        for name, value in headers.items():
            attribute = _HEADERS.get(name.lower())
            if attribute is None:
                continue
            try:
                number = int(value.strip())
            except ValueError:
                continue
            if number >= 0:
                setattr(self, attribute, number)

    @property
    def tight(self) -> bool:
        """Less than `TIGHT_FRACTION` of the day's budget left."""
        if self.remaining_day is None or not self.limit_day:
            return False
        return self.remaining_day < TIGHT_FRACTION * self.limit_day

    @property
    def exhausted(self) -> bool:
        return self.remaining_day == 0

    @property
    def usable(self) -> int | None:
        """Calls left today beyond the reserve for other API users (None: unknown)."""
        if self.remaining_day is None:
            return None
        reserve = int(RESERVE_FRACTION * self.limit_day) if self.limit_day else 0
        return max(0, self.remaining_day - reserve)


class RateLimited(Exception):
    """Central kept refusing with 429, or the day's budget is spent."""

    def __init__(self, day: bool) -> None:
        self.day = day
        super().__init__(
            "the day's API budget is used up" if day else "API rate limit exceeded (HTTP 429)"
        )


class RateLimiter:
    """Paces one customer's REST calls; see the module's docstring."""

    def __init__(
        self,
        *,
        per_second: int = MAX_CALLS_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.per_second = per_second
        self.budget = Budget()
        self.calls = 0
        """Calls sent (429s and token refreshes included)."""
        self.waits = 0
        """Times a call waited for the rate limits (pacing, Central's per-second count, 429)."""
        self.wait_seconds = 0.0
        self.refusals = 0
        """429 answers."""
        self._clock = clock
        self._sleep = sleep
        self._recent: collections.deque[float] = collections.deque(maxlen=per_second)
        self._second_used_up_at: float | None = None

    async def call(self, send: Callable[[], Awaitable[tuple[int, Mapping[str, str]]]]) -> None:
        """Run `send` (one HTTP call answering its status and headers) when the limits
        allow, again after each 429 with the waits of `BACKOFF_429`. Raises
        `RateLimited` when Central still refuses, or says the day's budget is spent."""
        for attempt in range(len(BACKOFF_429) + 1):
            if self.budget.exhausted:
                raise RateLimited(day=True)
            await self._pace()
            self._recent.append(self._clock())
            self.calls += 1
            status, headers = await send()
            self.budget.update(headers)
            self._second_used_up_at = self._clock() if self.budget.remaining_second == 0 else None
            if status != 429:
                return
            self.refusals += 1
            if self.budget.exhausted:
                raise RateLimited(day=True)
            if attempt == len(BACKOFF_429):
                break
            await self._wait(BACKOFF_429[attempt])
        raise RateLimited(day=False)

    async def _pace(self) -> None:
        now = self._clock()
        ready = now
        if len(self._recent) == self.per_second:
            # The oldest of the last `per_second` calls must be a full second old.
            ready = max(ready, self._recent[0] + 1.0)
        if self._recent and self.budget.tight:
            ready = max(ready, self._recent[-1] + SLOW_SPACING)
        if self._second_used_up_at is not None:
            ready = max(ready, self._second_used_up_at + 1.0)
        if ready > now:
            await self._wait(ready - now)

    async def _wait(self, seconds: float) -> None:
        self.waits += 1
        self.wait_seconds += seconds
        await self._sleep(seconds)
