"""Self-metrics without the SDK's aggregation (`central_otel.export.observables`): the
same OTLP data as the SDK's encoder for the same callbacks, split to the limits, and
exported by `Telemetry` in OTLP mode to a real receiver."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from opentelemetry.exporter.otlp.proto.common.metrics_encoder import encode_metrics
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.resources import Resource

from central_otel.export.observables import (
    ObservableEncoder,
    ObservableMeter,
    ObservableRegistry,
)
from central_otel.telemetry import Telemetry
from tests.otlp_receiver import OtlpReceiver
from tests.telemetry_support import FAST, otlp_config, running

RESOURCE = Resource.create({"service.name": "central-otel", "service.instance.id": "i-1"})
START, NOW = 1_700_000_000_000_000_000, 1_700_000_060_000_000_000


def register(meter: ObservableMeter) -> None:
    """One of each kind the self-metrics use, ints and floats, an attribute set
    observed twice (a sum adds them up) and an empty one."""

    def frames(options: CallbackOptions) -> Iterable[Observation]:
        yield Observation(12, {"aruba.customer.name": "Acme", "aruba.topic": "monitoring"})
        yield Observation(3, {"aruba.customer.name": "Acme", "aruba.topic": "presence"})
        yield Observation(5, {"aruba.customer.name": "Acme", "aruba.topic": "presence"})

    def entities(options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(-2, {"aruba.entity.class": "radio"}), Observation(40, {})]

    def age(options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(1.5, {"aruba.customer.name": "Acme"})]

    def seconds(options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(0.25, {"signal": "metrics"})]

    meter.create_observable_counter("t.frames", [frames], unit="{frame}", description="F.")
    meter.create_observable_up_down_counter("t.entities", [entities], unit="{entity}")
    meter.create_observable_gauge("t.age", [age], unit="s", description="Age.")
    meter.create_observable_counter("t.seconds", [seconds], description="Float sum.")


def _data(metric: Any) -> Any:
    """A metric's gauge or sum."""
    return getattr(metric, str(metric.WhichOneof("data")))


def _points(request: ExportMetricsServiceRequest) -> dict[str, Any]:
    """Per metric: kind, unit, description, sum flags and its points (attributes and
    the value's field and value), times left out (the SDK takes its own)."""
    out: dict[str, Any] = {}
    for rm in request.resource_metrics:
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                kind = m.WhichOneof("data")
                data = _data(m)
                flags = (data.aggregation_temporality, data.is_monotonic) if kind == "sum" else ()
                points = sorted(
                    (
                        tuple(sorted((a.key, a.value.string_value) for a in p.attributes)),
                        p.WhichOneof("value"),
                        getattr(p, p.WhichOneof("value")),
                    )
                    for p in data.data_points
                )
                out[m.name] = (kind, m.unit, m.description, flags, points)
    return out


def test_the_requests_carry_what_the_sdk_encodes_for_the_same_callbacks() -> None:
    registry = ObservableRegistry(clock=lambda: START)
    register(registry)
    encoder = ObservableEncoder(registry, RESOURCE, clock=lambda: NOW)
    [(body, points)] = list(encoder.encode_iter())
    ours = ExportMetricsServiceRequest.FromString(body)

    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], resource=RESOURCE)
    register(provider.get_meter("central_otel"))
    data = reader.get_metrics_data()
    assert data is not None
    sdk = encode_metrics(data)

    assert points == 6
    assert _points(ours) == _points(sdk)
    assert _points(ours)["t.frames"] == (
        "sum",
        "{frame}",
        "F.",
        (2, True),
        [
            ((("aruba.customer.name", "Acme"), ("aruba.topic", "monitoring")), "as_int", 12),
            ((("aruba.customer.name", "Acme"), ("aruba.topic", "presence")), "as_int", 8),
        ],
    )
    [rm] = ours.resource_metrics
    assert rm.resource == sdk.resource_metrics[0].resource
    assert [sm.scope.name for sm in rm.scope_metrics] == ["central_otel"]
    times = {
        m.name: [(p.start_time_unix_nano, p.time_unix_nano) for p in _data(m).data_points]
        for m in rm.scope_metrics[0].metrics
    }
    assert times["t.age"] == [(0, NOW)]  # a gauge has no start
    assert times["t.entities"] == [(START, NOW), (START, NOW)]


def test_requests_are_split_to_the_point_limit_without_losing_a_point() -> None:
    registry = ObservableRegistry()

    def many(options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(i, {"n": str(i)}) for i in range(7)]

    registry.create_observable_counter("t.many", [many])
    registry.create_observable_gauge("t.one", [lambda options: [Observation(1.0)]])
    requests = list(ObservableEncoder(registry, RESOURCE, max_points=3).encode_iter())

    assert [points for _, points in requests] == [3, 3, 2]
    seen = []
    for body, points in requests:
        request = ExportMetricsServiceRequest.FromString(body)
        found = [
            (m.name, p.as_int if m.name == "t.many" else p.as_double)
            for m in request.resource_metrics[0].scope_metrics[0].metrics
            for p in _data(m).data_points
        ]
        assert len(found) == points
        seen += found
    assert seen == [("t.many", i) for i in range(7)] + [("t.one", 1.0)]


def test_a_name_registered_twice_is_refused() -> None:
    registry = ObservableRegistry()
    registry.create_observable_gauge("t.x")
    with pytest.raises(ValueError, match=r"observable 't\.x' is registered twice"):
        registry.create_observable_counter("t.x")


@pytest.fixture
def receiver(otlp_receiver: OtlpReceiver) -> OtlpReceiver:
    return otlp_receiver


def test_otlp_telemetry_exports_the_self_metrics_meter_every_interval(
    receiver: OtlpReceiver,
) -> None:
    with running(Telemetry(otlp_config(receiver), options=FAST)) as telemetry:
        meter = telemetry.self_metrics_meter()
        assert isinstance(meter, ObservableRegistry)
        register(meter)
        receiver.wait_for(lambda: receiver.latest("t.age"))
    snapshot = telemetry.export_stats.self_metrics.snapshot()  # shut down: all counted

    frames = {p.attributes["aruba.topic"]: p for p in receiver.latest("t.frames")}
    assert {t: (p.value, p.kind, p.monotonic, p.unit) for t, p in frames.items()} == {
        "monitoring": (12, "sum", True, "{frame}"),
        "presence": (8, "sum", True, "{frame}"),
    }
    [age] = receiver.latest("t.age")
    assert (age.value, age.kind, age.scope) == (1.5, "gauge", "central_otel")
    assert snapshot.exports_succeeded >= 1
    assert snapshot.exports_failed == 0
    assert telemetry.export_stats.metrics.snapshot().exports_succeeded == 0


def test_memory_and_console_telemetry_keep_the_sdk_meter() -> None:
    telemetry = Telemetry.in_memory()
    try:
        meter = telemetry.self_metrics_meter()
        assert not isinstance(meter, ObservableRegistry)
        register(meter)
        names = {
            m.name
            for rm in telemetry.collect().resource_metrics
            for sm in rm.scope_metrics
            for m in sm.metrics
        }
        assert names == {"t.frames", "t.entities", "t.age", "t.seconds"}
        assert telemetry.self_metrics_export is None
    finally:
        telemetry.shutdown()
