"""Stores filled from simulator frames, and OTLP requests flattened for comparison."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)

from bench.frames import Frames, build
from central_otel.catalog.collect import (
    MetricOptions,
    collect_aggregate,
    collect_metric,
    enabled_aggregates,
    enabled_metrics,
)
from central_otel.catalog.metrics import Instrument, counter_fields
from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.proto import monitoring_pb2, presence_pb2
from central_otel.simulator.estate import EstateScale
from central_otel.state.store import EntityStore
from tests import defaults
from tests.otlp_receiver import MetricPoint, metric_points

SCALE = EstateScale(
    sites=2, aps_per_site=6, switches_per_site=1, gateways_per_site=1, clients_per_ap=6
)
OPTIONS = MetricOptions(per_client=True)
# One metric, flattened: (name, unit, description, kind, monotonic, temporality)
Shape = tuple[str, str, str, str, bool | None, str | None]
Points = list[tuple[float, dict[str, Any]]]


@functools.cache
def frames(seed: str) -> Frames:
    return build(SCALE, rounds=2, frame_size=16 * 1024, seed=seed)


def payload(frame: bytes) -> Any:
    decoded = decode_frame(frame)
    assert isinstance(decoded, DecodedFrame)
    return decoded.payload


def filled_store(customer: str = "CustomerA", seed: str = "fastexport") -> EntityStore:
    """A store after the snapshot, two stats rounds with their changes, and presence."""
    store = EntityStore(customer, defaults.LIMITS, counter_fields=counter_fields())
    f = frames(seed)
    for frame in f.opening + f.monitoring:
        info = payload(frame)
        assert isinstance(info, monitoring_pb2.MonitoringInformation)
        store.apply_monitoring(info)
    for frame in f.presence:
        event = payload(frame)
        assert isinstance(event, presence_pb2.presence_event)
        store.apply_presence(event)
    return store


def received(requests: Iterable[Any]) -> list[MetricPoint]:
    points: list[MetricPoint] = []
    for request in requests:
        assert isinstance(request, ExportMetricsServiceRequest)
        points.extend(metric_points(request))
    return points


def by_metric(points: Iterable[MetricPoint]) -> dict[str, tuple[set[Shape], Points]]:
    """Per metric name: the metric-level shapes seen and its points, in order."""
    out: dict[str, tuple[set[Shape], Points]] = {}
    for p in points:
        shapes, values = out.setdefault(p.name, (set(), []))
        shapes.add((p.name, p.unit, p.description, p.kind, p.monotonic, p.temporality))
        assert p.value is not None
        values.append((float(p.value), p.attributes))
    return out


def expected(stores: list[EntityStore]) -> dict[str, tuple[Shape, Points]]:
    """What `catalog.collect` yields for the stores, with the OTLP shape of each metric."""
    out: dict[str, tuple[Shape, Points]] = {}
    for spec in enabled_metrics(OPTIONS):
        kind = "gauge" if spec.instrument is Instrument.GAUGE else "sum"
        monotonic = None if kind == "gauge" else spec.instrument is Instrument.COUNTER
        temporality = None if kind == "gauge" else "cumulative"
        shape = (spec.name, spec.unit, spec.description, kind, monotonic, temporality)
        points = [(v, dict(a)) for v, a in collect_metric(spec, stores)]
        out[spec.name] = (shape, points)
    for agg in enabled_aggregates(OPTIONS):
        shape = (agg.name, agg.unit, agg.description, "sum", False, "cumulative")
        out[agg.name] = (shape, [(v, dict(a)) for v, a in collect_aggregate(agg, stores)])
    return out
