"""Frame handling on the event loop: decode, fold into the customer's store, and
turn what happened into events. Everything here is synchronous and quick; export
runs elsewhere and reads the stores."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from central_otel.decoding import DecodedFrame, DecodeFailure, decode_frame
from central_otel.loop_yield import yield_to_loop
from central_otel.new_central.decoding import NewCentralFrame, decode_cloud_event
from central_otel.new_central.topics import NewCentralTopic
from central_otel.new_central.translate import TranslationMemory, translate
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


@runtime_checkable
class NewCentralEventMapper(Protocol):
    """An `EventMapper` that also maps New Central's message-borne events."""

    def for_new_central_frame(
        self, frame: NewCentralFrame, store: EntityStore
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
        unread: frozenset[str] = frozenset(),
        events: EventMapper | None = None,
        sink: EventSink | None = None,
        pacing: Pacing,
    ) -> None:
        """`pacing` slices a large frame's work (`handle_async`) and runs the GC
        policy's collections by the bytes ingested; `unread`: the stats classes the
        stores do not keep (`EntityStore`)."""
        self.stores: dict[str, EntityStore] = {
            name: EntityStore(name, limits, counter_fields, unread=unread) for name in customers
        }
        self.pacing = pacing
        self.stats = IngestStats()
        self._events = events
        self._sink = sink
        self._decode_failures = FailureLog(log)
        self._memory = {name: TranslationMemory() for name in self.stores}
        # Any mapper will do; the New Central part is optional (resolved once, not per frame).
        mapper: object = events
        self._new_central_events = (
            mapper.for_new_central_frame if isinstance(mapper, NewCentralEventMapper) else None
        )

    def handle(self, customer: str, topic: Topic | NewCentralTopic, data: bytes) -> None:
        """One frame of one subscription (either platform), all at once."""
        for _ in self._frame_steps(customer, topic, data):
            pass
        self.pacing.frame_done(len(data))

    async def handle_async(
        self, customer: str, topic: Topic | NewCentralTopic, data: bytes
    ) -> None:
        """`handle`, yielding to the event loop between slices of the frame's work.

        A state snapshot's frame makes a thousand events or more (a client connected
        per client), a large stats frame many store updates: other tasks run in
        between. The store update comes first, then the events; the resulting store
        and the events are the same, in the same order, as `handle`'s.
        """
        for _ in self._frame_steps(customer, topic, data):
            await yield_to_loop()
        self.pacing.frame_done(len(data))

    def _frame_steps(
        self, customer: str, topic: Topic | NewCentralTopic, data: bytes
    ) -> Iterator[None]:
        if isinstance(topic, NewCentralTopic):
            return self._new_central_steps(customer, topic, data)
        return self._steps(customer, topic, data)

    def _failed(self, customer: str, topic: str, result: DecodeFailure) -> None:
        self.stats.decode_errors[(topic, result.kind.value)] += 1
        # One line per kind of failure and subscription, then damped.
        self._decode_failures.failure(
            logging.WARNING,
            f"{customer}/{topic}/{result.kind.value}",
            f"{result.describe()}; frame dropped, stream continues",
        )

    def _new_central_steps(
        self, customer: str, topic: NewCentralTopic, data: bytes
    ) -> Iterator[None]:
        """A New Central frame: its state and statistics as the Classic monitoring payload
        they translate to (the same store, metrics and transition events), then its own
        events (alerts, audit records...)."""
        result = decode_cloud_event(data, topic=topic, customer=customer)
        if not isinstance(result, NewCentralFrame):
            self._failed(customer, topic.value, result)
            return
        self.stats.frames[topic.value] += 1
        store = self.stores[customer]
        info = translate(result, store, self._memory[customer])
        if info is not None:
            classic = DecodedFrame(
                Topic.MONITORING,
                "monitoring",
                info.customer_id,
                "",
                result.time_ns,
                info,
                result.size,
            )
            yield from self._apply(customer, classic)
        sink, events = self._sink, self._new_central_events
        if sink is None or events is None:
            return
        records = events(result, store)
        for record in records:
            sink(record)
        self.stats.events += len(records)

    def _steps(self, customer: str, topic: Topic, data: bytes) -> Iterator[None]:
        """Handle one frame; each `yield` is where the pacing says to pause."""
        result = decode_frame(data, topic=topic, customer=customer)
        if not isinstance(result, DecodedFrame):
            self._failed(customer, topic.value, result)
            return
        self.stats.frames[result.topic.value] += 1
        yield from self._apply(customer, result)

    def _apply(self, customer: str, result: DecodedFrame) -> Iterator[None]:
        """Fold a decoded (Classic) frame into the customer's store and emit its events."""
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
