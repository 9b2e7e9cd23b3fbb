"""Stores filled from simulator frames, the export plan's encoder and its SDK reference,
and OTLP requests flattened for comparison (this module holds no tests)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from google.protobuf.message import Message
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.sdk.resources import Resource

from central_otel.catalog.metrics import counter_fields
from central_otel.catalog.plan import ExportPlan, MetricOptions, compile_plan
from central_otel.config.model import OtlpConfig, OtlpProtocol
from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.export.encoder import EncodeLimits, OtlpMetricEncoder
from central_otel.export.exporter import MetricExportLoop
from central_otel.export.sdk_reference import SdkReference
from central_otel.export.sinks import OtlpSink
from central_otel.export.transport import METRICS, build_transport
from central_otel.proto import monitoring_pb2, presence_pb2
from central_otel.simulator.estate import EstateScale
from central_otel.simulator.frames import Frames, build
from central_otel.state.store import Entity, EntityStore
from central_otel.telemetry.resource import build_resource
from central_otel.telemetry.stats import ExportStats
from tests import defaults
from tests.otlp_receiver import GrpcOtlpReceiver, MetricPoint, OtlpReceiver, metric_points

SCALE = EstateScale(
    sites=2, aps_per_site=6, switches_per_site=1, gateways_per_site=1, clients_per_ap=6
)
OPTIONS = MetricOptions(per_client=True)
PLAN = compile_plan(OPTIONS)
# One metric, flattened: (name, unit, description, kind, monotonic, temporality)
Shape = tuple[str, str, str, str, bool | None, str | None]
Points = list[tuple[float, dict[str, Any]]]
M = TypeVar("M", bound=Message)


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
        defaults.apply(store, info)
    for frame in f.presence:
        event = payload(frame)
        assert isinstance(event, presence_pb2.presence_event)
        store.apply_presence(event)
    return store


def message(entity: Entity, kind: type[M]) -> M:
    """An entity's message, as the protobuf type its class holds."""
    assert isinstance(entity.msg, kind)
    return entity.msg


def encoder(
    plan: ExportPlan = PLAN, limits: EncodeLimits | None = None, resource: Resource | None = None
) -> OtlpMetricEncoder:
    return OtlpMetricEncoder(
        plan, resource or build_resource(instance_id="test"), limits or EncodeLimits()
    )


def received(requests: Iterable[Any]) -> list[MetricPoint]:
    points: list[MetricPoint] = []
    for request in requests:
        parsed = (
            ExportMetricsServiceRequest.FromString(request)
            if isinstance(request, bytes)
            else request
        )
        assert isinstance(parsed, ExportMetricsServiceRequest)
        points.extend(metric_points(parsed))
    return points


def exported(stores: list[EntityStore], plan: ExportPlan = PLAN) -> list[MetricPoint]:
    """Every point one export cycle of the encoder writes for `stores`."""
    return received(encoder(plan).encode(stores).requests)


def by_metric(points: Iterable[MetricPoint]) -> dict[str, tuple[set[Shape], Points]]:
    """Per metric name: the metric-level shapes seen and its points, in order."""
    out: dict[str, tuple[set[Shape], Points]] = {}
    for p in points:
        shapes, values = out.setdefault(p.name, (set(), []))
        shapes.add((p.name, p.unit, p.description, p.kind, p.monotonic, p.temporality))
        assert p.value is not None
        values.append((float(p.value), p.attributes))
    return out


def sorted_points(points: Points) -> Points:
    return sorted(points, key=lambda p: (sorted(p[1].items()), p[0]))


def reference(stores: list[EntityStore], plan: ExportPlan = PLAN) -> list[MetricPoint]:
    """What the SDK, reading the same stores through the same plan, exports."""
    sdk = SdkReference(plan, lambda: stores, build_resource(instance_id="test"), 10_000_000)
    try:
        return list(metric_points(sdk.request()))
    finally:
        sdk.shutdown()


def values(points: Iterable[MetricPoint], name: str) -> Points:
    """A metric's points as (value, attributes), sorted by attributes."""
    return sorted_points([(float(p.value or 0), p.attributes) for p in points if p.name == name])


def otlp_config(receiver: OtlpReceiver, **overrides: Any) -> OtlpConfig:
    """An `OtlpConfig` for a test receiver (its protocol by its kind; `overrides` may name
    another endpoint, e.g. a relay to it)."""
    protocol: OtlpProtocol = "grpc" if isinstance(receiver, GrpcOtlpReceiver) else "http/protobuf"
    return OtlpConfig(**{"endpoint": receiver.endpoint, "protocol": protocol, **overrides})


def otlp_loop(
    receiver: OtlpReceiver,
    stores: list[EntityStore],
    *,
    stats: ExportStats | None = None,
    limits: EncodeLimits | None = None,
    plan: ExportPlan = PLAN,
    interval: float = 0.05,
    resource: Resource | None = None,
    **config: Any,
) -> MetricExportLoop:
    """The export loop of `stores` to a test receiver, as `run` builds it."""
    otlp = otlp_config(receiver, **config)
    return MetricExportLoop(
        encoder(plan, limits, resource),
        lambda: stores,
        OtlpSink(build_transport(otlp, METRICS)),
        interval=interval,
        timeout=otlp.timeout,
        stats=stats if stats is not None else ExportStats("metrics"),
    )


def from_export_loop(headers: Mapping[str, str]) -> bool:
    """A request came from the bridge's own transport (the catalogue's metrics, the
    self-metrics, events), not from an SDK exporter: by its User-Agent."""
    return headers.get("user-agent", "").startswith("central-otel/")


def catalogue_metrics(request: object) -> bool:
    """A metrics request holds the catalogue's metrics, not the self-metrics
    (``central_otel.*``)."""
    return isinstance(request, ExportMetricsServiceRequest) and any(
        not m.name.startswith("central_otel.")
        for rm in request.resource_metrics
        for sm in rm.scope_metrics
        for m in sm.metrics
    )
