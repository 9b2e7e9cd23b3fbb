"""Frame handling on the event loop: decode, fold into the customer's store, and
turn what happened into events. Everything here is synchronous and quick; export
runs elsewhere and reads the stores."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.loop_yield import yield_to_loop
from central_otel.proto import monitoring_pb2, presence_pb2
from central_otel.state.store import Change, EntityStore, StoreLimits
from central_otel.streaming.failure_log import FailureLog
from central_otel.topics import Topic

log = logging.getLogger(__name__)


class EventMapper(Protocol):
    """Turns frames and state changes into event records (the event catalogue)."""

    def for_frame(self, frame: DecodedFrame, store: EntityStore) -> Sequence[Any]: ...

    def for_changes(
        self, changes: Sequence[Change], store: EntityStore, *, frame: DecodedFrame | None = None
    ) -> Sequence[Any]: ...


EventSink = Callable[[Any], None]

# Work between two yields of `handle_async` (the loop's other tasks wait that long at
# most, plus one chunk: of the store update, or of events), and how many changes an
# event chunk maps at a time.
EVENT_SLICE = 0.01
CHANGES_PER_CHUNK = 16


@dataclass(slots=True)
class IngestStats:
    frames: Counter[str] = field(default_factory=Counter)  # by topic
    decode_errors: Counter[tuple[str, str]] = field(default_factory=Counter)  # (topic, kind)
    events: int = 0


class Ingestor:
    def __init__(
        self,
        customers: Iterable[str],
        *,
        limits: StoreLimits,
        counter_fields: dict[str, tuple[str, ...]] | None = None,
        events: EventMapper | None = None,
        sink: EventSink | None = None,
    ) -> None:
        self.stores: dict[str, EntityStore] = {
            name: EntityStore(name, limits, counter_fields) for name in customers
        }
        self.stats = IngestStats()
        self._events = events
        self._sink = sink
        self._decode_failures = FailureLog(log)

    def handle(self, customer: str, topic: Topic, data: bytes) -> None:
        """One frame of one subscription, all at once."""
        for _ in self._steps(customer, topic, data):
            pass

    async def handle_async(self, customer: str, topic: Topic, data: bytes) -> None:
        """`handle`, yielding to the event loop between slices of the frame's work.

        A state snapshot's frame makes a thousand events or more (a client connected
        per client), hundreds of milliseconds to build and emit; a large stats frame
        is 10-20 ms of store update: other tasks run in between. The store update
        (`EntityStore.apply_monitoring_steps`) comes first, then the events; the
        resulting store and the events are the same, in the same order, as `handle`'s.
        """
        for _ in self._steps(customer, topic, data):
            await yield_to_loop()

    def _steps(self, customer: str, topic: Topic, data: bytes) -> Iterator[None]:
        """Handle one frame; each `yield` is a point where the caller may pause."""
        result = decode_frame(data, topic=topic, customer=customer)
        if not isinstance(result, DecodedFrame):
            self.stats.decode_errors[(topic.value, result.kind.value)] += 1
            # One line per kind of failure and subscription, then damped.
            self._decode_failures.failure(
                logging.WARNING,
                f"{customer}/{topic.value}/{result.kind.value}",
                f"{result.describe()}; frame dropped, stream continues",
            )
            return
        self.stats.frames[result.topic.value] += 1
        store = self.stores[customer]
        payload = result.payload
        changes: list[Change] = []
        started = time.perf_counter()
        if isinstance(payload, monitoring_pb2.MonitoringInformation):
            # A large frame's store update in chunks, as its events below.
            for _ in store.apply_monitoring_steps(payload, changes):
                if time.perf_counter() - started >= EVENT_SLICE:
                    yield
                    started = time.perf_counter()
        elif isinstance(payload, presence_pb2.presence_event):
            store.apply_presence(payload)
        events, sink = self._events, self._sink
        if events is None or sink is None:
            return
        # The frame's own events, then its changes' a chunk at a time (the same
        # records in the same order as mapping them all at once).
        records = list(events.for_frame(result, store))
        done = 0
        while True:
            chunk = changes[done : done + CHANGES_PER_CHUNK]
            if chunk:
                records.extend(events.for_changes(chunk, store, frame=result))
                done += len(chunk)
            for record in records:
                sink(record)
            self.stats.events += len(records)
            if done >= len(changes):
                return
            if time.perf_counter() - started >= EVENT_SLICE:
                yield
                started = time.perf_counter()
            records = []
