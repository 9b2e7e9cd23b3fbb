"""Best-of-N timing: CPU time of the calling thread's process, and wall time."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Timing:
    cpu: float  # best process CPU seconds
    wall: float  # best wall seconds


def best_of(n: int, run: Callable[[], object], setup: Callable[[], object] | None = None) -> Timing:
    cpu, wall = float("inf"), float("inf")
    for _ in range(n):
        if setup is not None:
            setup()
        gc.collect()
        c0, w0 = time.process_time(), time.perf_counter()
        run()
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - w0)
    return Timing(cpu, wall)


def rate(count: float, seconds: float) -> str:
    """A human rate: 1.23 M/s, 456 k/s."""
    per = count / seconds if seconds > 0 else float("inf")
    if per >= 1e6:
        return f"{per / 1e6:.2f} M/s"
    if per >= 1e3:
        return f"{per / 1e3:.0f} k/s"
    return f"{per:.0f} /s"
