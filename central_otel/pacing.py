"""How long work shares the process: the one place that decides when ingest pauses for
the event loop's other tasks, how the garbage collector runs, and how soon the loop
gets the GIL back from the export threads.

A frame can be a lot of work (a state snapshot: thousands of store updates and
events); the loop must stay responsive (health probes, the other streams, timers).
`Pacing` slices such work by time, and runs the collections the GC policy wants by
the bytes ingested. Its settings are the tuning of that seam, passed in: the domain
layers (the store, the event catalogue) know nothing of it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from central_otel.gc_policy import GcPolicy, Reclaim
from central_otel.gil_switching import SwitchInterval


@dataclass(frozen=True, slots=True)
class PacingSettings:
    """The tuning of the seam (not user configuration: `settings.bridge_settings` uses
    these values)."""

    slice_seconds: float = 0.01
    """Work on the loop between two pauses (the other tasks wait that long, at most)."""
    store_chunk: int = 1000
    """Messages a store update applies at a time (a few ms of work; the lock is held
    for one chunk)."""
    changes_per_chunk: int = 16
    """State changes mapped to events at a time."""
    stream_busy: float = 0.005
    """Seconds of frame handling after which a stream lets the loop's other tasks run
    (a burst of buffered frames is otherwise read without ever suspending)."""
    gc_thresholds: tuple[int, int, int] = (5_000, 10, 1)
    """The GC policy's generation thresholds (see `central_otel.gc_policy`)."""
    collect_bytes: int = 512 * 1024
    """Frame bytes between two full collections run by the GC policy."""
    switch_interval: float = 0.001
    """The interpreter's GIL switch interval while a bridge serves."""
    connection_garbage: int = 1024
    """What a closed connection leaves in reference cycles the GC policy froze while it
    lived, about (bytes): asyncio's socket transport, which refers to itself."""
    reclaim_min: int = 16 * 1024 * 1024
    reclaim_share: float = 0.1
    """A whole-heap collection (the GC policy unfrozen first) once the ended
    connections could hold this share of the process's peak memory, and at least
    `reclaim_min` bytes."""


class Slice:
    """Time spent since the last pause."""

    __slots__ = ("_seconds", "_started")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._started = time.perf_counter()

    def due(self) -> bool:
        """True once the slice is used up; the next slice starts at once."""
        now = time.perf_counter()
        if now - self._started < self._seconds:
            return False
        self._started = now
        return True


class Pacing:
    """Pauses, collections and the switch interval of one bridge."""

    def __init__(self, settings: PacingSettings) -> None:
        self.settings = settings
        self.gc = GcPolicy(
            settings.gc_thresholds,
            settings.collect_bytes,
            Reclaim(settings.connection_garbage, settings.reclaim_min, settings.reclaim_share),
        )
        self._switching = SwitchInterval(settings.switch_interval)

    def start(self) -> None:
        """Before the stores fill: the GC policy freezes what exists (see gc_policy)."""
        self.gc.install()
        self._switching.apply()

    def stop(self, *, unfreeze: bool) -> None:
        """After the final export; `unfreeze` False keeps the heap frozen (a process
        about to exit: see `central_otel.gc_policy`)."""
        self.gc.remove(unfreeze=unfreeze)
        self._switching.restore()

    def slice(self) -> Slice:
        return Slice(self.settings.slice_seconds)

    def paced(self, steps: Iterable[None], work: Slice) -> Iterator[None]:
        """Run `steps` (each a bounded piece of work); yield wherever `work`'s slice
        is used up, so that the caller can let the loop's other tasks run."""
        for _ in steps:
            if work.due():
                yield

    def frame_done(self, size: int) -> None:
        """`size` bytes of frames were folded into the stores (on the loop, between
        frames): the GC policy's collections by the work done."""
        self.gc.ingested(size)
