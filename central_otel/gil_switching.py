"""How soon the event loop gets the GIL back from the export threads.

The export threads (the direct metric writer's, the SDK's log processor) run
Python for seconds per cycle on a large estate. When the loop thread wakes (a
frame arrived, a timer fell due), it waits for the GIL until the running thread
drops it: after `sys.getswitchinterval()` (5 ms by default) of asking, and then
only if that thread is on a CPU, and the GIL may go to another waiting thread
first. On a busy machine these waits added up to stalls of over 100 ms at 2.5 M
series (`python -m bench e2e`); with 1 ms they mostly did not. The cost is more
frequent switches while two threads compete: at most a thousand a second.
"""

from __future__ import annotations

import sys

LOOP_SWITCH_INTERVAL = 0.001  # seconds


class SwitchInterval:
    """Sets the interpreter's switch interval while a bridge serves; `restore` puts
    the previous one back."""

    def __init__(self, seconds: float = LOOP_SWITCH_INTERVAL) -> None:
        self._seconds = seconds
        self._previous: float | None = None

    def apply(self) -> None:
        if self._previous is None:
            self._previous = sys.getswitchinterval()
            sys.setswitchinterval(self._seconds)

    def restore(self) -> None:
        if self._previous is not None:
            sys.setswitchinterval(self._previous)
            self._previous = None
