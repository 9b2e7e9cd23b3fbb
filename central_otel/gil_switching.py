"""How soon the event loop gets the GIL back from the export threads.

The export threads (the metric export loop's, the SDK's log processor) run Python
for seconds per cycle on a large estate. When the loop thread wakes (a frame
arrived, a timer fell due), it waits for the GIL until the running thread drops
it: after `sys.getswitchinterval()` (5 ms by default) of asking, and then only if
that thread is on a CPU, and the GIL may go to another waiting thread first. On a
busy machine these waits add up to long stalls of the loop; a shorter interval
avoids most of them (`python -m bench e2e` measures it). The cost is more frequent
switches while two threads compete.
"""

from __future__ import annotations

import sys


class SwitchInterval:
    """Sets the interpreter's switch interval while a bridge serves; `restore` puts
    the previous one back."""

    def __init__(self, seconds: float) -> None:
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
