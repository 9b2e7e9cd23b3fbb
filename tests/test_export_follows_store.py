"""The export follows the store: what one cycle writes after frames, and after a DELETE;
a cycle that fails costs that cycle, not the export thread."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from central_otel.catalog.metrics import counter_fields
from central_otel.catalog.plan import MetricOptions, compile_plan
from central_otel.export.exporter import MetricExportLoop
from central_otel.export.sinks import MemorySink
from central_otel.pipeline.ingest import Ingestor
from central_otel.proto import monitoring_pb2
from central_otel.telemetry.stats import ExportStats
from central_otel.topics import Topic
from tests import defaults, samples
from tests.export_support import encoder, received

PLAN = compile_plan(MetricOptions(per_client=False))


def _points(ingest: Ingestor) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for point in received(encoder(PLAN).encode(ingest.stores.values()).requests):
        out.setdefault(point.name, []).append(point)
    return out


def test_the_export_follows_the_store() -> None:
    ingest = Ingestor(
        ["A"], limits=defaults.LIMITS, pacing=defaults.pacing(), counter_fields=counter_fields()
    )
    assert "system.cpu.utilization" in PLAN.metric_names
    assert "aruba.client.io" not in PLAN.metric_names  # per-client is opt-in
    ingest.handle("A", Topic.MONITORING, samples.envelope("monitoring", samples.monitoring()))
    metrics = _points(ingest)
    (cpu,) = metrics["system.cpu.utilization"]
    assert (cpu.unit, cpu.kind, cpu.value) == ("1", "gauge", 0.37)
    assert cpu.attributes == {
        "aruba.customer.name": "A",
        "aruba.customer.id": samples.CUSTOMER_ID,
        "host.id": "CNF7JSS0AA",
        "host.name": "ap-lobby-01",
        "host.mac": "E0-F8-47-1E-00-01",
        "host.ip": "10.1.10.103",
        "hw.model": "AP-535",
        "aruba.device.type": "ap",
    }
    status = metrics["aruba.device.status"]
    assert sorted((p.attributes["aruba.device.state"], p.value) for p in status) == [
        ("down", 1.0),
        ("up", 0.0),
    ]
    assert {(p.kind, p.monotonic, p.temporality) for p in status} == {("sum", False, "cumulative")}
    # DELETE the AP: its status series is gone at the next export.
    info = monitoring_pb2.MonitoringInformation(customer_id="c")
    info.aps.add(serial="CNF7JSS0AA", action=monitoring_pb2.DELETE)
    ingest.handle("A", Topic.MONITORING, samples.envelope("monitoring", info))
    metrics = _points(ingest)
    # The second AP never reported a status, so no device status is left at all.
    assert "aruba.device.status" not in metrics
    # Its stats went with it (no ghost series until their TTL): the only CPU series was its.
    assert "system.cpu.utilization" not in metrics


def test_a_failing_cycle_is_counted_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    calls = {"n": 0}

    def broken_stores() -> Any:
        calls["n"] += 1
        raise RuntimeError("boom")

    stats = ExportStats("metrics")
    sink = MemorySink()
    loop = MetricExportLoop(
        encoder(PLAN), broken_stores, sink, interval=3600, timeout=1.0, stats=stats
    )
    with caplog.at_level(logging.ERROR, logger="central_otel.export.exporter"):
        assert not loop.export_once()
        assert not loop.export_once()
    assert calls["n"] == 2
    assert [r.getMessage() for r in caplog.records] == ["metrics export failed: RuntimeError: boom"]
    snapshot = stats.snapshot()
    assert (snapshot.exports_failed, snapshot.last_error) == (2, "RuntimeError")
    assert sink.requests() == []
