"""The export loop against the real receivers: what arrives is, metric by metric and
point by point, exactly what an independent encoding (the OpenTelemetry SDK reading
the same stores through the same plan) exports."""

from __future__ import annotations

import time
from typing import Any

import pytest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)

from central_otel.export.encoder import EncodeLimits
from central_otel.proto import monitoring_pb2
from central_otel.telemetry.resource import build_resource
from central_otel.telemetry.stats import ExportStats
from tests import defaults
from tests.export_support import (
    by_metric,
    filled_store,
    message,
    otlp_loop,
    received,
    reference,
    sorted_points,
)
from tests.otlp_receiver import GrpcOtlpReceiver, HttpOtlpReceiver, MetricPoint, OtlpReceiver

Receiver = GrpcOtlpReceiver | HttpOtlpReceiver


@pytest.fixture(params=["grpc", "http/protobuf"])
def receiver(request: pytest.FixtureRequest) -> Any:
    kind = GrpcOtlpReceiver if request.param == "grpc" else HttpOtlpReceiver
    with kind() as started:
        yield started


def _requests(receiver: OtlpReceiver) -> list[ExportMetricsServiceRequest]:
    out = []
    for r in receiver.requests("metrics", accepted=True):
        assert isinstance(r.request, ExportMetricsServiceRequest)
        out.append(r.request)
    return out


def test_points_are_exactly_what_the_sdk_exports_for_the_same_plan(receiver: Receiver) -> None:
    stores = [filled_store("CustomerA", "fx-a"), filled_store("CustomerB", "fx-b")]
    stats = ExportStats("metrics")
    # Small requests: metrics are split across requests, and requests hold several.
    limits = EncodeLimits(max_points=700, max_bytes=200_000)
    loop = otlp_loop(receiver, stores, stats=stats, limits=limits)
    assert loop.export_once()
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
    want = by_metric(reference(stores))
    assert sorted(got) == sorted(want)  # the same metrics (requests interleave them)
    for name, (shapes, points) in want.items():
        got_shapes, got_points = got[name]
        assert got_shapes == shapes, name
        # Values and attributes, point by point (the SDK orders points its own way).
        assert sorted_points(got_points) == sorted_points(points), name
    assert sum(len(points) for _, points in want.values()) > 1000
    # Resource: the SDK's resource, attribute for attribute.
    point = received(requests[:1])[0]
    assert point.resource == dict(build_resource(instance_id="test").attributes)
    total = sum(len(p) for _, p in want.values())
    snapshot = stats.snapshot()
    assert snapshot.items_exported == total
    assert snapshot.exports_succeeded == len(requests)
    assert snapshot.exports_failed == 0


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
    exporter = otlp_loop(receiver, [store])
    assert exporter.export_once()
    first = received(_requests(receiver))
    receiver.clear()
    time.sleep(0.01)
    # A device reboots: its radio's counters start again from small values...
    (radio_device, radio_mac), radio = store.items("radio_stats")[0]
    rebooted = monitoring_pb2.RadioStats()
    rebooted.CopyFrom(message(radio, monitoring_pb2.RadioStats))
    rebooted.tx_bytes = 5
    # ... and another AP is deleted and added again: a new entity, so new series (its
    # DELETE also removes its stats series, so it must not be the rebooted radio's AP).
    (serial,), device = next(
        ((key, entity) for key, entity in store.items("device") if key[0] != radio_device)
    )
    gone = monitoring_pb2.Ap(serial=serial, action=monitoring_pb2.DELETE)
    defaults.apply(store, monitoring_pb2.MonitoringInformation(radio_stats=[rebooted], aps=[gone]))
    defaults.apply(
        store, monitoring_pb2.MonitoringInformation(aps=[message(device, monitoring_pb2.Ap)])
    )
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
