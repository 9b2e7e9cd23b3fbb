"""Frames into stores and events: decode failures counted, logged once, nothing lost."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import pytest

from central_otel.decoding import DecodedFrame
from central_otel.pipeline.ingest import Ingestor
from central_otel.state.store import Change, EntityStore
from central_otel.topics import Topic
from tests import defaults, samples


class RecordingMapper:
    def for_frame(self, frame: DecodedFrame, store: EntityStore) -> Sequence[Any]:
        return [("frame", frame.payload_type)]

    def for_changes(
        self, changes: Sequence[Change], store: EntityStore, *, frame: DecodedFrame | None = None
    ) -> Sequence[Any]:
        return [("change", c.cls, c.key) for c in changes]


def test_monitoring_and_presence_reach_the_customer_store() -> None:
    sink: list[Any] = []
    ingest = Ingestor(
        ["A", "B"],
        limits=defaults.LIMITS,
        pacing=defaults.pacing(),
        events=RecordingMapper(),
        sink=sink.append,
    )
    ingest.handle("A", Topic.MONITORING, samples.envelope("monitoring", samples.monitoring()))
    ingest.handle("A", Topic.PRESENCE, samples.envelope("presence", samples.presence()))
    store = ingest.stores["A"]
    # The sample's client is a DELETE of an unknown client: nothing to store.
    assert store.counts() == {
        "device": 2,
        "device_stats": 1,
        "uplink_probe_stats": 1,
        "presence_ap": 1,
    }
    assert ingest.stores["B"].counts() == {}
    assert ingest.stats.frames == {"monitoring": 1, "presence": 1}
    assert sink[0] == ("frame", "Monitoring.MonitoringInformation")
    assert ("change", "device", ("CNF7JSS0AA",)) in sink
    assert ingest.stats.events == len(sink)


def test_decode_failures_are_counted_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    ingest = Ingestor(["A"], limits=defaults.LIMITS, pacing=defaults.pacing())
    caplog.set_level(logging.WARNING)
    for _ in range(5):
        ingest.handle("A", Topic.MONITORING, b"\xff\xff")
    ingest.handle("A", Topic.AUDIT, samples.envelope("audit", samples.audit()))
    assert ingest.stats.decode_errors == {("monitoring", "bad_envelope"): 5}
    assert ingest.stats.frames == {"audit": 1}
    assert [r.getMessage() for r in caplog.records] == [
        "monitoring frame of customer 'A' (2 bytes) not decoded: bad_envelope: not a MsgProto "
        "envelope (Wire format was corrupt); frame dropped, stream continues"
    ]
