"""Log damping for repeated identical failures, so a dead Central does not flood logs.

The first occurrence of a failure is logged at the caller's level. While the same
failure repeats, it is logged at DEBUG, with a reminder at the original level
every `remind_every` seconds that says how often it happened meanwhile. A
different failure, or a success, starts afresh (a recovery is worth a line).

That is per subscription. Across subscriptions, `LogBursts` keeps hundreds of them
from each logging the same line at once (Central dropped every connection; they
all connect again): the first few of a kind are logged, the rest at DEBUG, and one
line says how many more there were.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Burst:
    started: float
    level: int
    what: str
    count: int = 0
    quiet: int = 0  # lines sent to DEBUG


class LogBursts:
    """Lines of one kind from many subscriptions within `window` seconds: the first
    `limit` are logged as they come, the rest at DEBUG; when the window is over, one
    line at the first one's level says how many more there were and what they said."""

    def __init__(
        self,
        logger: logging.Logger,
        *,
        limit: int = 10,
        window: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._logger = logger
        self._limit = limit
        self._window = window
        self._clock = clock
        self._open: dict[str, _Burst] = {}

    def admit(self, level: int, kind: str, what: str) -> bool:
        """True: log this line at `level`; False: log it at DEBUG (it is counted).
        `kind` groups the lines; `what` says what they report, for the summary."""
        now = self._clock()
        for expired in [k for k, b in self._open.items() if now - b.started >= self._window]:
            self._close(expired)
        burst = self._open.get(kind)
        if burst is None:
            burst = self._open[kind] = _Burst(now, level, what)
        burst.count += 1
        if burst.count <= self._limit:
            return True
        if burst.quiet == 0:
            self._close_later(kind, burst, burst.started + self._window - now)
        burst.quiet += 1
        return False

    def flush(self) -> None:
        """End every burst now (its summary line, if lines were sent to DEBUG)."""
        for kind in list(self._open):
            self._close(kind)

    def _close_later(self, kind: str, burst: _Burst, delay: float) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop: the next `admit` after the window closes it
            return
        loop.call_later(max(0.0, delay), self._close_if_open, kind, burst)

    def _close_if_open(self, kind: str, burst: _Burst) -> None:
        if self._open.get(kind) is burst:
            self._close(kind)

    def _close(self, kind: str) -> None:
        burst = self._open.pop(kind)
        if burst.quiet:
            self._logger.log(
                burst.level,
                "%d more subscription(s) within %gs: %s (each logged at DEBUG)",
                burst.quiet,
                self._window,
                burst.what,
            )


class FailureLog:
    def __init__(
        self,
        logger: logging.Logger,
        remind_every: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
        bursts: LogBursts | None = None,
    ) -> None:
        """`bursts`: the process's subscriptions' shared `LogBursts`, if any."""
        self._logger = logger
        self._bursts = bursts
        self._remind_every = remind_every
        self._clock = clock
        self._last_key: str | None = None
        self._repeats = 0
        self._last_loud = 0.0
        self.failing_since: float | None = None

    def failure(self, level: int, key: str, message: str, what: str | None = None) -> None:
        """Log `message` unless the failure identified by `key` is repeating. `what`:
        the failure without naming the subscription (for `LogBursts`; default `key`)."""
        now = self._clock()
        what = key if what is None else what
        if key != self._last_key:
            self._last_key = key
            self._repeats = 0
            self._last_loud = now
            if self.failing_since is None:
                self.failing_since = now
            self.log(level, key, what, message)
            return
        self._repeats += 1
        if now - self._last_loud >= self._remind_every:
            self._last_loud = now
            self.log(
                level,
                key,
                what,
                f"{message} (repeated {self._repeats} times since the first report)",
            )
        else:
            self._logger.debug(message)

    def success(self, message: str, what: str = "recovered") -> bool:
        """Log `message` at INFO if this ends a run of failures; True when it did."""
        ended = self._last_key is not None
        if ended:
            self.log(logging.INFO, f"recovered:{what}", what, message)
        self._last_key = None
        self._repeats = 0
        self.failing_since = None
        return ended

    def log(self, level: int, kind: str, what: str, message: str) -> None:
        """`message` at `level`, or at DEBUG when its kind is in a burst."""
        if self._bursts is None or self._bursts.admit(level, kind, what):
            self._logger.log(level, message)
        else:
            self._logger.debug(message)
