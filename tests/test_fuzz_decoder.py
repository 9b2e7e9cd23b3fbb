"""Hostile input for the decoder: it never raises, never hangs, and every rejection is typed.

Inputs: arbitrary bytes, real frames of every topic made by the simulator's own
generators (mutated: bit flips, splices, insertions, truncations), deeply nested and
oversized frames. Every result is a `DecodedFrame` or a `DecodeFailure` with a
description that does not quote the frame; `frame_to_json` of every decoded frame is
JSON-serialisable.

CI runs a bounded number of examples (a few seconds). A longer run:

    CENTRAL_OTEL_FUZZ_EXAMPLES=20000 python -m pytest -q tests/test_fuzz_decoder.py
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from central_otel.catalog.events import EVENTS, EventCatalogue, EventOptions
from central_otel.catalog.metrics import counter_fields
from central_otel.catalog.plan import MetricOptions, compile_plan
from central_otel.decoding import DecodedFrame, DecodeErrorKind, DecodeFailure, decode_frame
from central_otel.frame_json import failure_to_json, frame_to_json
from central_otel.pipeline.ingest import Ingestor
from central_otel.simulator.estate import Estate, EstateScale
from central_otel.simulator.messages import envelope
from central_otel.simulator.traffic import make_stream
from central_otel.simulator.world import SimClock, TrafficProfile, World
from central_otel.topics import Topic
from tests import defaults
from tests.export_support import encoder

EXAMPLES = int(os.environ.get("CENTRAL_OTEL_FUZZ_EXAMPLES", "150"))
SLOW_CALL = 5.0  # seconds: one decode taking longer counts as a hang (generous for loaded CI)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@cache
def real_frames() -> tuple[tuple[Topic, bytes], ...]:
    """Frames of every topic as the simulator sends them (busy profile: every message kind)."""
    clock = SimClock()
    world = World(
        customer_id="fuzz-customer",
        estate=Estate(EstateScale.small(), "fuzz", clock.now()),
        profile=TrafficProfile.busy(),
        clock=clock,
        interval=1.0,
        seed="fuzz",
    )
    frames: list[tuple[Topic, bytes]] = []
    for topic in Topic:
        stream = make_stream(topic, world, random.Random(topic.value), 16_000)
        messages = list(stream.opening())
        world.tick()
        messages += [*stream.pending(), *stream.tick()]
        for message in messages[:8]:
            data = envelope(topic.value, message.SerializeToString(), clock.now_ns(), "cid")
            frames.append((topic, data))
    return tuple(frames)


def check(frame: bytes, topic: Topic | None = None, *, with_envelope: bool = True) -> None:
    """Decode `frame`; assert the result is typed, quick, and printable as JSON."""
    started = time.perf_counter()
    result = decode_frame(frame, topic=topic, customer="FuzzCo", with_envelope=with_envelope)
    elapsed = time.perf_counter() - started
    assert elapsed < SLOW_CALL, f"decode of {len(frame)} bytes took {elapsed:.1f}s"
    assert isinstance(result, DecodedFrame | DecodeFailure)
    if isinstance(result, DecodedFrame):
        assert result.size == len(frame)
        json.dumps(frame_to_json(result))
        json.dumps(frame_to_json(result, mac_style="semconv"))
    else:
        assert isinstance(result.kind, DecodeErrorKind)
        assert result.size == len(frame)
        text = result.describe()
        assert "FuzzCo" in text
        assert result.kind.value in text
        json.dumps(failure_to_json(result))
        # The description never quotes the frame's content.
        if len(frame) >= 24:
            assert repr(frame[:24])[2:-1] not in text


topics = st.sampled_from(list(Topic)) | st.none()


@FUZZ
@given(st.binary(max_size=4096), topics)
def test_arbitrary_bytes(frame: bytes, topic: Topic | None) -> None:
    check(frame, topic)


@FUZZ
@given(st.binary(max_size=4096), st.sampled_from(list(Topic)))
def test_arbitrary_bare_payloads(payload: bytes, topic: Topic) -> None:
    check(payload, topic, with_envelope=False)


def test_every_real_frame_decodes() -> None:
    frames = real_frames()
    assert {topic for topic, _ in frames} == set(Topic)
    for topic, frame in frames:
        result = decode_frame(frame, topic=topic)
        assert isinstance(result, DecodedFrame), result
        json.dumps(frame_to_json(result))


@st.composite
def mutated_frames(draw: st.DrawFn) -> tuple[Topic, bytes]:
    topic, frame = draw(st.sampled_from(real_frames()))
    data = bytearray(frame)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        operation = draw(st.sampled_from(["flip", "set", "insert", "delete", "splice"]))
        if operation == "flip":
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif operation == "set":
            data[position] = draw(st.sampled_from([0x00, 0x7F, 0x80, 0xFF, 0x08, 0x0A, 0x12]))
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        elif operation == "delete":
            del data[position : position + draw(st.integers(1, 16))]
        else:
            _, other = draw(st.sampled_from(real_frames()))
            start = draw(st.integers(0, len(other) - 1))
            data[position:] = other[start:]
    return draw(st.sampled_from([topic, None, *Topic])), bytes(data)


@FUZZ
@given(mutated_frames())
def test_mutated_real_frames(case: tuple[Topic, bytes]) -> None:
    topic, frame = case
    check(frame, topic)


@FUZZ
@given(st.sampled_from(real_frames()), st.data())
def test_truncated_real_frames(case: tuple[Topic, bytes], data: st.DataObject) -> None:
    topic, frame = case
    cut = data.draw(st.integers(0, len(frame)))
    check(frame[:cut], topic)
    check(frame[cut:], topic)


def test_every_truncation_of_one_frame_per_topic() -> None:
    """Exhaustive for the first frame of each topic (up to 2 KiB of prefixes)."""
    seen: set[Topic] = set()
    for topic, frame in real_frames():
        if topic in seen:
            continue
        seen.add(topic)
        for cut in range(min(len(frame), 2048)):
            check(frame[:cut], topic)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _nested(depth: int, field: int = 1) -> bytes:
    """`depth` length-delimited submessages, each inside the previous one."""
    tag = _varint(field << 3 | 2)
    headers: list[bytes] = []
    length = 0
    for _ in range(depth):  # innermost first; concatenated outermost first
        header = tag + _varint(length)
        headers.append(header)
        length += len(header)
    return b"".join(reversed(headers))


def _groups(depth: int, field: int = 15) -> bytes:
    """`depth` nested (unknown) groups: start-group tags, then as many end-group tags."""
    return _varint(field << 3 | 3) * depth + _varint(field << 3 | 4) * depth


@pytest.mark.parametrize("depth", [10, 100, 1_000, 100_000])
@pytest.mark.parametrize("topic", list(Topic))
def test_deeply_nested_payloads(topic: Topic, depth: int) -> None:
    for payload in (_nested(depth), _nested(depth, field=2), _groups(depth), _groups(depth, 999)):
        check(payload, topic, with_envelope=False)
        check(envelope(topic.value, payload, 1, "cid"), topic)


def test_deeply_nested_envelopes() -> None:
    for depth in (100, 10_000, 200_000):
        check(_nested(depth, field=2))
        check(_groups(depth))


def test_oversized_frames_are_quick() -> None:
    """8 MiB of junk, of zeros, of one repeated real frame and one huge declared length."""
    rng = random.Random(8)
    big = 8 * 1024 * 1024
    monitoring = next(frame for topic, frame in real_frames() if topic is Topic.MONITORING)
    cases = [
        rng.randbytes(big),
        bytes(big),
        (monitoring * (big // len(monitoring) + 1))[:big],
        envelope("monitoring", b"\x0a" * big, 1, "cid"),
        b"\x12" + _varint(1 << 62),  # data field claiming 4 EiB: must not allocate it
        b"\x12" + _varint((1 << 31) - 1) + b"x" * 16,
    ]
    for frame in cases:
        check(frame, Topic.MONITORING)


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@settings(FUZZ, max_examples=max(EXAMPLES // 5, 10))  # a whole pipeline per example
@given(st.lists(mutated_frames(), min_size=1, max_size=4))
def test_mutated_frames_through_ingest_events_and_metrics(
    cases: list[tuple[Topic, bytes]],
) -> None:
    """Past the decoder: the store, every event and every metric cope with odd content.

    A handler that fails would log an ERROR (`frame handler failed`), an encoder that
    fails would raise; neither may.
    """
    errors = _Errors()
    watched = logging.getLogger("central_otel")
    watched.addHandler(errors)
    try:
        events: list[Any] = []
        all_events = EventOptions(enabled=frozenset(spec.name for spec in EVENTS))
        ingest = Ingestor(
            ["FuzzCo"],
            limits=defaults.LIMITS,
            pacing=defaults.pacing(),
            counter_fields=counter_fields(),
            events=EventCatalogue(all_events),
            sink=events.append,
        )
        for _, frame in real_frames()[:3]:  # a known estate to collide with
            ingest.handle("FuzzCo", Topic.MONITORING, frame)
        for topic, frame in cases:
            ingest.handle("FuzzCo", topic or Topic.MONITORING, frame)
        for record in events:
            json.dumps(record.attributes, default=str)
        encoder(compile_plan(MetricOptions(per_client=True))).encode(ingest.stores.values())
    finally:
        watched.removeHandler(errors)
    assert not errors.records, [r.getMessage() for r in errors.records]
