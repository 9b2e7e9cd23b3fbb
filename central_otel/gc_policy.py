"""The bridge's garbage-collector policy: keep collections short on a large heap.

The entity stores hold millions of long-lived objects that the cyclic garbage
collector tracks (entities, the protobuf messages they hold, export caches), and
every stats update replaces a message with a new one, which works its way into the
oldest generation. With CPython's default policy a full collection walks every
tracked object (all threads stopped) each time the objects promoted since the last
one exceed a quarter of the heap, which on a busy estate is every few minutes.

The policy, while a bridge runs:

- at start, collect once and `gc.freeze()` what exists (modules, configuration):
  never walked again;
- after every full collection, freeze its survivors: they were just found alive,
  so the next full collection walks only what was promoted since (a bounded
  amount), not the whole store again;
- thresholds: a larger youngest generation than the default 700 (fewer
  collections while a frame is folded in, so fewer of its short-lived objects
  are promoted), and full collections after every second middle one (so each walks
  at most the objects of two middle-generation periods).

Collections by the work done: CPython starts a collection when the *net* count
of tracked objects (allocations minus deallocations) passes the threshold. Ingest
replaces stored messages: each new one is allocated while an old one is freed, so
the count hardly moves while the youngest generation fills with a whole stats
round, and the young, middle and full collections that follow are long.
`ingested` runs a full collection after every `collect_bytes` of frames instead:
it walks what arrived since the last one (a few ms, on the loop, between two
frames) and freezes it. Each object is then walked about once in all, not once per
generation.

Frozen objects are still freed by reference counting, which is how the store
drops what it replaces or deletes (it makes no reference cycles). What freezing
gives up is collecting a reference cycle formed by objects that had already
survived a full collection (a closed connection's objects, say): they stay until
the policy is removed (`GcPolicy.remove` unfreezes; the next full collection then
takes them), or until a reclaim (below); `python -m bench.gc_retention` measures
how many. The price of unfreezing: that next full collection walks the whole heap
again. A process that is about to exit has nothing to gain from it, so `run` keeps
the heap frozen (`remove(unfreeze=False)`), after its final flush.
docs/performance.md has the figures.

Reclaims: a connection that lived through freezes leaves such a cycle when it ends:
asyncio's socket transport refers to itself (a bound method), about a kilobyte. (The
WebSockets do not use aiohttp's heartbeat, whose callback kept each closed
connection's response, reader and TLS state in a cycle: see `streaming.transport`.)
`connection_ended` counts ended connections; once what they may hold passes a share
of the process's peak memory (at least a minimum: `Reclaim`), the next `ingested`
call unfreezes and collects the whole heap (its survivors are frozen again): a walk
of the whole heap, so it comes only after tens of thousands of ended connections.
"""

from __future__ import annotations

import gc
import resource
import threading
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Reclaim:
    """When ended connections are worth a whole-heap collection (`PacingSettings`)."""

    connection_garbage: int
    """What a closed TLS WebSocket leaves in frozen reference cycles, about (bytes)."""
    minimum: int
    """Bytes the ended connections may hold before a reclaim, at least."""
    share: float
    """... or this share of the process's peak memory, if more."""


_lock = threading.Lock()


class GcPolicy:
    """Installs the policy; the first install in a process applies it, the last
    `remove` restores the previous thresholds and unfreezes."""

    _installed = 0
    _previous: tuple[int, int, int] = (700, 10, 10)

    def __init__(
        self,
        thresholds: tuple[int, int, int],
        collect_bytes: int,
        reclaim: Reclaim | None = None,
    ) -> None:
        """`thresholds`: (youngest, middle, full) as `gc.set_threshold` takes them: the
        youngest generation is collected after that many net allocations of tracked
        objects, the middle one after that many youngest collections, and a full
        collection runs after that many middle ones (and only when the objects
        promoted since the last one exceed a quarter of its survivors).
        `collect_bytes`: frame bytes between two collections run by `ingested`.
        `reclaim`: when ended connections are worth a whole-heap collection (None:
        never)."""
        self.thresholds = thresholds
        self.collect_bytes = collect_bytes
        self.reclaim = reclaim
        self.full_collections = 0  # full collections seen while installed
        self.work_collections = 0  # the full collections `ingested` ran
        self.reclaims = 0  # the whole-heap collections (unfrozen first) `ingested` ran
        self.connections_ended = 0  # while installed
        self._active = False
        self._ingested = 0
        self._ended = 0  # connections ended since the last reclaim
        self._reclaim_due = False

    @property
    def active(self) -> bool:
        return self._active

    def install(self) -> None:
        with _lock:
            if self._active:
                return
            self._active = True
            if GcPolicy._installed == 0:
                GcPolicy._previous = gc.get_threshold()
                gc.collect()
                gc.freeze()
                gc.set_threshold(*self.thresholds)
            GcPolicy._installed += 1
            gc.callbacks.append(self._on_gc)

    def remove(self, *, unfreeze: bool = True) -> None:
        """Restore the previous thresholds; unfreeze the heap unless told not to (a
        process about to exit: see the module's docstring)."""
        with _lock:
            if not self._active:
                return
            self._active = False
            gc.callbacks.remove(self._on_gc)
            GcPolicy._installed -= 1
            if GcPolicy._installed == 0:
                gc.set_threshold(*GcPolicy._previous)
                if unfreeze:
                    gc.unfreeze()

    def ingested(self, size: int) -> None:
        """`size` bytes of frames were folded into the stores (called on the event
        loop, between frames): a full collection after every `collect_bytes`, while
        that is a few milliseconds of work (its survivors are frozen)."""
        if not self._active:
            return
        if self._reclaim_due:
            self._reclaim()
            return
        self._ingested += size
        if self._ingested >= self.collect_bytes:
            self._ingested = 0
            self.work_collections += 1
            gc.collect()

    def connection_ended(self) -> None:
        """A connection ended (its objects may sit in frozen cycles): count it, and make
        the next `ingested` call a reclaim once the ended ones are worth it."""
        if not self._active:
            return
        self.connections_ended += 1
        self._ended += 1
        reclaim = self.reclaim
        if reclaim is not None and not self._reclaim_due:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            held = self._ended * reclaim.connection_garbage
            self._reclaim_due = held >= max(reclaim.minimum, reclaim.share * peak)

    def _reclaim(self) -> None:
        self._reclaim_due = False
        self._ended = self._ingested = 0
        self.reclaims += 1
        gc.unfreeze()
        gc.collect()  # `_on_gc` freezes the survivors again

    def _on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2:
            self.full_collections += 1
            gc.freeze()  # the survivors were just found alive: never walk them again
