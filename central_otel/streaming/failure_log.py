"""Log damping for repeated identical failures, so a dead Central does not flood logs.

The first occurrence of a failure is logged at the caller's level. While the same
failure repeats, it is logged at DEBUG, with a reminder at the original level
every `remind_every` seconds that says how often it happened meanwhile. A
different failure, or a success, starts afresh (a recovery is worth a line).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


class FailureLog:
    def __init__(
        self,
        logger: logging.Logger,
        remind_every: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._logger = logger
        self._remind_every = remind_every
        self._clock = clock
        self._last_key: str | None = None
        self._repeats = 0
        self._last_loud = 0.0
        self.failing_since: float | None = None

    def failure(self, level: int, key: str, message: str) -> None:
        """Log `message` unless the failure identified by `key` is repeating."""
        now = self._clock()
        if key != self._last_key:
            self._last_key = key
            self._repeats = 0
            self._last_loud = now
            if self.failing_since is None:
                self.failing_since = now
            self._logger.log(level, message)
            return
        self._repeats += 1
        if now - self._last_loud >= self._remind_every:
            self._last_loud = now
            self._logger.log(
                level, "%s (repeated %d times since the first report)", message, self._repeats
            )
        else:
            self._logger.debug(message)

    def success(self, message: str) -> bool:
        """Log `message` at INFO if this ends a run of failures; True when it did."""
        ended = self._last_key is not None
        if ended:
            self._logger.info(message)
        self._last_key = None
        self._repeats = 0
        self.failing_since = None
        return ended
