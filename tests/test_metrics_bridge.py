"""Catalogue -> SDK observable instruments, read back with an in-memory reader."""

from __future__ import annotations

from typing import Any

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from central_otel.catalog.collect import MetricOptions
from central_otel.catalog.metrics import counter_fields
from central_otel.pipeline.ingest import Ingestor
from central_otel.pipeline.metrics_bridge import MetricsBridge
from central_otel.proto import monitoring_pb2
from central_otel.topics import Topic
from tests import defaults, samples


def _collect(reader: InMemoryMetricReader) -> dict[str, Any]:
    data = reader.get_metrics_data()
    assert data is not None
    out: dict[str, Any] = {}
    for rm in data.resource_metrics:
        for sm in rm.scope_metrics:
            for metric in sm.metrics:
                out[metric.name] = metric
    return out


def test_observable_instruments_follow_the_store() -> None:
    ingest = Ingestor(["A"], limits=defaults.LIMITS, counter_fields=counter_fields())
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    bridge = MetricsBridge(provider.get_meter("test"), ingest.stores.values, MetricOptions())
    assert "system.cpu.utilization" in bridge.instruments
    assert "aruba.client.io" not in bridge.instruments  # per-client is opt-in
    ingest.handle("A", Topic.MONITORING, samples.envelope("monitoring", samples.monitoring()))
    metrics = _collect(reader)
    cpu = metrics["system.cpu.utilization"]
    assert cpu.unit == "1"
    (point,) = cpu.data.data_points
    assert point.value == 0.37
    assert dict(point.attributes) == {
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
    assert sorted(
        (dict(p.attributes)["aruba.device.state"], p.value) for p in status.data.data_points
    ) == [
        ("down", 1),
        ("up", 0),
    ]
    assert status.data.is_monotonic is False
    # DELETE the AP: its status series is gone at the next collection.
    info = monitoring_pb2.MonitoringInformation(customer_id="c")
    info.aps.add(serial="CNF7JSS0AA", action=monitoring_pb2.DELETE)
    ingest.handle("A", Topic.MONITORING, samples.envelope("monitoring", info))
    metrics = _collect(reader)
    # The second AP never reported a status, so no device status is left at all.
    assert "aruba.device.status" not in metrics
    # Its stats went with it (no ghost series until their TTL): the only CPU series was its.
    assert "system.cpu.utilization" not in metrics
    provider.shutdown()


def test_a_failing_collection_skips_only_its_metric(caplog: Any) -> None:
    calls = {"n": 0}

    def broken_stores() -> Any:
        calls["n"] += 1
        raise RuntimeError("boom")

    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    MetricsBridge(provider.get_meter("t"), broken_stores, MetricOptions())
    reader.get_metrics_data()
    reader.get_metrics_data()
    errors = [
        r.getMessage() for r in caplog.records if r.name == "central_otel.pipeline.metrics_bridge"
    ]
    assert errors[0] == (
        "metric system.cpu.utilization: collection failed (RuntimeError: boom); "
        "its points are skipped this cycle"
    )
    assert calls["n"] > 40
    provider.shutdown()
