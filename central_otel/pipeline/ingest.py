"""Frame handling on the event loop: decode, fold into the customer's store, and
turn what happened into events. Everything here is synchronous and quick; export
runs elsewhere and reads the stores."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.loop_yield import yield_to_loop
from central_otel.pacing import Pacing
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
        pacing: Pacing,
    ) -> None:
        """`pacing` slices a large frame's work (`handle_async`) and runs the GC
        policy's collections by the bytes ingested."""
        self.stores: dict[str, EntityStore] = {
            name: EntityStore(name, limits, counter_fields) for name in customers
        }
        self.pacing = pacing
        self.stats = IngestStats()
        self._events = events
        self._sink = sink
        self._decode_failures = FailureLog(log)

    def handle(self, customer: str, topic: Topic, data: bytes) -> None:
        """One frame of one subscription, all at once."""
        for _ in self._steps(customer, topic, data):
            pass
        self.pacing.frame_done(len(data))

    async def handle_async(self, customer: str, topic: Topic, data: bytes) -> None:
        """`handle`, yielding to the event loop between slices of the frame's work.

        A state snapshot's frame makes a thousand events or more (a client connected
        per client), a large stats frame many store updates: other tasks run in
        between. The store update comes first, then the events; the resulting store
        and the events are the same, in the same order, as `handle`'s.
        """
        for _ in self._steps(customer, topic, data):
            await yield_to_loop()
        self.pacing.frame_done(len(data))

    def _steps(self, customer: str, topic: Topic, data: bytes) -> Iterator[None]:
        """Handle one frame; each `yield` is where the pacing says to pause."""
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
        pacing = self.pacing
        work = pacing.slice()
        if isinstance(payload, monitoring_pb2.MonitoringInformation):
            # A large frame's store update in chunks, as its events below.
            chunk = pacing.settings.store_chunk
            yield from pacing.paced(store.apply_monitoring(payload, changes, chunk), work)
        elif isinstance(payload, presence_pb2.presence_event):
            store.apply_presence(payload)
        events, sink = self._events, self._sink
        if events is None or sink is None:
            return
        # The frame's own events, then its changes' a chunk at a time (the same
        # records in the same order as mapping them all at once).
        yield from pacing.paced(self._events_of(result, store, changes, events, sink), work)

    def _events_of(
        self,
        frame: DecodedFrame,
        store: EntityStore,
        changes: list[Change],
        events: EventMapper,
        sink: EventSink,
    ) -> Iterator[None]:
        """The frame's own events, then its changes' a chunk at a time (the same records
        in the same order as mapping them all at once); a step per chunk."""
        records = list(events.for_frame(frame, store))
        per_chunk = self.pacing.settings.changes_per_chunk
        done = 0
        while True:
            chunk = changes[done : done + per_chunk]
            if chunk:
                records.extend(events.for_changes(chunk, store, frame=frame))
                done += len(chunk)
            for record in records:
                sink(record)
            self.stats.events += len(records)
            if done >= len(changes):
                return
            yield
            records = []
