"""`Ingestor.handle_async`: the same events as `handle`, in slices with the event loop's
other tasks running in between."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from central_otel.decoding import DecodedFrame
from central_otel.pipeline.ingest import Ingestor
from central_otel.proto import monitoring_pb2
from central_otel.state.store import Change, EntityStore
from central_otel.topics import Topic
from tests import defaults, samples

T = TypeVar("T")


class RecordingMapper:
    def __init__(self) -> None:
        self.chunks: list[int] = []  # the size of each for_changes call

    def for_frame(self, frame: DecodedFrame, store: EntityStore) -> Sequence[Any]:
        return [("frame", frame.payload_type)]

    def for_changes(
        self, changes: Sequence[Change], store: EntityStore, *, frame: DecodedFrame | None = None
    ) -> Sequence[Any]:
        self.chunks.append(len(changes))
        # What an event would read from the store: the entity as it is now.
        return [("change", c.cls, c.key, store.get(c.cls, c.key) is not None) for c in changes]


def _snapshot(aps: int) -> bytes:
    info = monitoring_pb2.MonitoringInformation(customer_id="c")
    for n in range(aps):
        info.aps.add(action=monitoring_pb2.ADD, serial=f"AP{n:04d}", name=f"ap-{n}")
    return samples.envelope("monitoring", info)


def _handle(frame: bytes) -> tuple[list[Any], Ingestor]:
    sink: list[Any] = []
    ingest = Ingestor(
        ["A"],
        limits=defaults.LIMITS,
        pacing=defaults.pacing(),
        events=RecordingMapper(),
        sink=sink.append,
    )
    ingest.handle("A", Topic.MONITORING, frame)
    return sink, ingest


async def _handle_observed(ingest: Ingestor, frame: bytes, observe: Callable[[], T]) -> list[T]:
    """`handle_async` with another task running beside it; what `observe` returned
    each time that task got to run."""
    seen: list[T] = []

    async def probe() -> None:
        while True:
            seen.append(observe())
            await asyncio.sleep(0)

    task = asyncio.create_task(probe())
    try:
        await ingest.handle_async("A", Topic.MONITORING, frame)
    finally:
        task.cancel()
    return seen


async def _handle_with_probe(ingest: Ingestor, frame: bytes, sink: list[Any]) -> list[int]:
    """How many records the sink held each time another task got to run."""
    return await _handle_observed(ingest, frame, lambda: len(sink))


async def test_a_large_frames_events_are_emitted_in_slices() -> None:
    frame = _snapshot(40)  # 40 changes: chunks of 16, 16 and 8
    expected, at_once = _handle(frame)
    sink: list[Any] = []
    mapper = RecordingMapper()
    # Yield after every chunk.
    pacing = defaults.pacing(slice_seconds=0.0)
    ingest = Ingestor(["A"], limits=defaults.LIMITS, pacing=pacing, events=mapper, sink=sink.append)
    seen = await _handle_with_probe(ingest, frame, sink)
    assert sink == expected  # the same records, in the same order
    assert len(sink) == 41
    assert sink[0] == ("frame", "Monitoring.MonitoringInformation")
    assert mapper.chunks == [16, 16, 8]
    # The other task ran after the store update (one chunk of it: 40 < store_chunk),
    # then after the first and the second chunk of events, not after the last one.
    assert sorted(set(seen)) == [0, 1 + 16, 1 + 32]
    assert ingest.stats.events == at_once.stats.events == 41
    assert ingest.stores["A"].counts() == {"device": 40}


async def test_small_frames_do_not_yield() -> None:
    frame = _snapshot(40)
    expected, _ = _handle(frame)
    sink: list[Any] = []
    ingest = Ingestor(
        ["A"],
        limits=defaults.LIMITS,
        pacing=defaults.pacing(slice_seconds=3600.0),
        events=RecordingMapper(),
        sink=sink.append,
    )
    seen = await _handle_with_probe(ingest, frame, sink)
    assert sink == expected
    assert seen == []


async def test_decode_failures_and_frames_without_events() -> None:
    ingest = Ingestor(["A"], limits=defaults.LIMITS, pacing=defaults.pacing())
    await ingest.handle_async("A", Topic.MONITORING, b"\xff\xff")
    await ingest.handle_async("A", Topic.MONITORING, _snapshot(3))
    assert ingest.stats.decode_errors == {("monitoring", "bad_envelope"): 1}
    assert ingest.stats.frames == {"monitoring": 1}
    assert ingest.stores["A"].counts() == {"device": 3}
    assert ingest.stats.events == 0


async def test_a_large_frames_store_update_is_sliced() -> None:
    """The store update of a large frame runs `store_chunk` messages at a time; the
    loop's other tasks see whole chunks, and the end result is `handle`'s."""
    frame = _snapshot(35)  # chunks of 10, 10, 10 and 5 devices
    expected, at_once = _handle(frame)
    pacing = defaults.pacing(slice_seconds=0.0, store_chunk=10)
    ingest = Ingestor(["A"], limits=defaults.LIMITS, pacing=pacing)
    store = ingest.stores["A"]
    seen = await _handle_observed(
        ingest, frame, lambda: (store.counts().get("device", 0), store.version)
    )
    # After each chunk, never mid-chunk; each chunk with changes bumps the version.
    assert sorted(set(seen)) == [(10, 1), (20, 2), (30, 3), (35, 4)]
    assert store.version == 4
    assert store.counts() == at_once.stores["A"].counts() == {"device": 35}
    assert [k for k, _ in store.items("device")] == [
        k for k, _ in at_once.stores["A"].items("device")
    ]
    assert expected[0] == ("frame", "Monitoring.MonitoringInformation")
