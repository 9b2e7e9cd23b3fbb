"""The direct OTLP writer against the real receivers: what arrives is, metric by
metric and point by point, exactly what `catalog.collect` yields for the same
stores, and (as sets) exactly what the SDK path exports."""

from __future__ import annotations

import time
from typing import Any

import pytest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)

from central_otel.config.model import OtlpConfig
from central_otel.fastexport import DirectMetricExporter, EncodeLimits
from central_otel.pipeline.metrics_bridge import MetricsBridge
from central_otel.proto import monitoring_pb2
from central_otel.state.store import EntityStore
from central_otel.telemetry.providers import Telemetry, TelemetryOptions
from central_otel.telemetry.resource import build_resource
from central_otel.telemetry.stats import ExportStats
from tests.fastexport_support import OPTIONS, by_metric, expected, filled_store, received
from tests.otlp_receiver import GrpcOtlpReceiver, HttpOtlpReceiver, MetricPoint, OtlpReceiver

Receiver = GrpcOtlpReceiver | HttpOtlpReceiver


@pytest.fixture(params=["grpc", "http/protobuf"])
def receiver(request: pytest.FixtureRequest) -> Any:
    kind = GrpcOtlpReceiver if request.param == "grpc" else HttpOtlpReceiver
    with kind() as started:
        yield started


def _config(receiver: OtlpReceiver, **overrides: Any) -> OtlpConfig:
    if isinstance(receiver, GrpcOtlpReceiver):
        return OtlpConfig(endpoint=receiver.endpoint, protocol="grpc", **overrides)
    return OtlpConfig(endpoint=receiver.endpoint, protocol="http/protobuf", **overrides)


def _exporter(
    receiver: OtlpReceiver, stores: list[EntityStore], **kwargs: Any
) -> DirectMetricExporter:
    config = kwargs.pop("config", None) or _config(receiver)
    return DirectMetricExporter(
        config, build_resource(instance_id="test"), lambda: stores, options=OPTIONS, **kwargs
    )


def _requests(receiver: OtlpReceiver) -> list[ExportMetricsServiceRequest]:
    out = []
    for r in receiver.requests("metrics", accepted=True):
        assert isinstance(r.request, ExportMetricsServiceRequest)
        out.append(r.request)
    return out


def test_points_are_exactly_what_the_catalogue_collects(receiver: Receiver) -> None:
    stores = [filled_store("CustomerA", "fx-a"), filled_store("CustomerB", "fx-b")]
    stats = ExportStats("metrics")
    # Small requests: metrics are split across requests, and requests hold several.
    limits = EncodeLimits(max_points=700, max_bytes=200_000)
    exporter = _exporter(receiver, stores, stats=stats, limits=limits)
    assert exporter.export_once()
    requests = _requests(receiver)
    assert len(requests) > 3
    for request in requests:
        assert request.ByteSize() <= limits.max_bytes
        [resource_metrics] = request.resource_metrics
        [scope_metrics] = resource_metrics.scope_metrics
        assert scope_metrics.scope.name == "central_otel"
        count = 0
        for metric in scope_metrics.metrics:
            kind = metric.WhichOneof("data")
            assert kind in ("gauge", "sum")
            count += len(getattr(metric, kind).data_points)
        assert count <= limits.max_points
    got = by_metric(received(requests))
    want = {name: item for name, item in expected(stores).items() if item[1]}
    assert sorted(got) == sorted(want)  # the same metrics (requests interleave them)
    for name, (shape, points) in want.items():
        shapes, got_points = got[name]
        assert shapes == {shape}, name
        assert got_points == points, name  # values and attributes, point by point
    # Resource: the SDK's resource, attribute for attribute.
    point = received(requests[:1])[0]
    assert point.resource == dict(build_resource(instance_id="test").attributes)
    total = sum(len(p) for _, p in want.values())
    snapshot = stats.snapshot()
    assert snapshot.items_exported == total
    assert snapshot.exports_succeeded == len(requests)
    assert snapshot.exports_failed == 0


def test_same_set_as_the_sdk_path(receiver: Receiver) -> None:
    store = filled_store()
    telemetry = Telemetry.in_memory(options=TelemetryOptions(cardinality_limit=1_000_000))
    try:
        MetricsBridge(telemetry.meter("central_otel"), lambda: [store], OPTIONS)
        sdk: set[tuple[str, frozenset[tuple[str, Any]], float]] = set()
        for rm in telemetry.collect().resource_metrics:
            for sm in rm.scope_metrics:
                for metric in sm.metrics:
                    for p in metric.data.data_points:
                        value = float(p.value)  # type: ignore[union-attr]
                        attributes = dict(p.attributes or {})
                        sdk.add((metric.name, frozenset(attributes.items()), value))
    finally:
        telemetry.shutdown(1.0)
    assert _exporter(receiver, [store]).export_once()
    direct = {
        (p.name, frozenset(p.attributes.items()), float(p.value or 0))
        for p in received(_requests(receiver))
    }
    assert len(direct) > 1000
    assert direct == sdk


def _radio_tx(points: list[MetricPoint], mac: bytes) -> list[float]:
    return [
        float(p.value or 0)
        for p in points
        if p.name == "aruba.radio.io"
        and p.attributes["network.io.direction"] == "transmit"
        and p.attributes["hw.network.physical_address"] == mac.hex("-").upper()
    ]


def test_start_times(receiver: Receiver) -> None:
    store = filled_store()
    exporter = _exporter(receiver, [store])
    assert exporter.export_once()
    first = received(_requests(receiver))
    receiver.clear()
    time.sleep(0.01)
    # A device reboots: its radio's counters start again from small values...
    (radio_device, radio_mac), radio = store.items("radio_stats")[0]
    rebooted = monitoring_pb2.RadioStats()
    rebooted.CopyFrom(radio.msg)
    rebooted.tx_bytes = 5
    # ... and another AP is deleted and added again: a new entity, so new series (its
    # DELETE also removes its stats series, so it must not be the rebooted radio's AP).
    (serial,), device = next(
        ((key, entity) for key, entity in store.items("device") if key[0] != radio_device)
    )
    gone = monitoring_pb2.Ap(serial=serial, action=monitoring_pb2.DELETE)
    store.apply_monitoring(monitoring_pb2.MonitoringInformation(radio_stats=[rebooted], aps=[gone]))
    store.apply_monitoring(monitoring_pb2.MonitoringInformation(aps=[device.msg]))
    assert exporter.export_once()
    second = received(_requests(receiver))

    sums = [p for p in first if p.kind == "sum"]
    assert sums
    assert all(0 < p.start_time_unix_nano <= p.time_unix_nano for p in sums)
    assert all(p.start_time_unix_nano == 0 for p in first if p.kind == "gauge")
    starts = {(p.name, frozenset(p.attributes.items())): p.start_time_unix_nano for p in sums}
    renewed = 0
    for p in second:
        if p.kind != "sum" or p.name == "aruba.client.count":
            continue
        before = starts[(p.name, frozenset(p.attributes.items()))]
        if p.name == "aruba.device.status" and p.attributes["host.id"] == serial:
            assert p.start_time_unix_nano > before  # re-created: a new series
            renewed += 1
        else:
            # Stable across cycles, and across a compensated counter reset.
            assert p.start_time_unix_nano == before, p
    assert renewed == 2  # up and down
    tx_before, tx_after = _radio_tx(first, radio_mac), _radio_tx(second, radio_mac)
    assert tx_before
    assert tx_after
    assert tx_after[0] == tx_before[0] + 5  # monotonic: the old total is carried over
