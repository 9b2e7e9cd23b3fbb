"""The export plan through the OpenTelemetry SDK: an independent encoding, not used by
the bridge.

Each metric of the plan becomes an SDK observable instrument whose callback reads
the stores plainly (every entity's attributes built afresh, no caches); the SDK
aggregates and its OTLP exporter encodes. Tests compare `OtlpMetricEncoder`'s
requests with this, point for point, to prove the encoder exact; the benchmarks
use it as the baseline a straightforward SDK-based bridge would be.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from opentelemetry.exporter.otlp.proto.common.metrics_encoder import encode_metrics
from opentelemetry.metrics import CallbackOptions, Meter, Observation
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, MetricsData
from opentelemetry.sdk.resources import Resource

from central_otel.catalog.attributes import (
    SOURCES,
    AttributeValue,
    StoreLookup,
    customer_attributes,
)
from central_otel.catalog.metrics import AggregateSpec, Instrument, MetricSpec
from central_otel.catalog.plan import ExportPlan
from central_otel.export.encoder import SCOPE_NAME
from central_otel.state.store import EntityStore
from central_otel.telemetry.sdk_metrics import CUMULATIVE, INSTRUMENT_KINDS

StoresFn = Callable[[], Iterable[EntityStore]]


class _PullReader(MetricReader):
    """An SDK reader that collects when asked, with no time limit (a large store takes
    the SDK longer than the in-memory reader's 10 s)."""

    def __init__(self, max_series: int) -> None:
        super().__init__(
            preferred_temporality=CUMULATIVE,
            cardinality_limits=dict.fromkeys(INSTRUMENT_KINDS, max_series),
        )
        self._data: MetricsData | None = None

    def _receive_metrics(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any
    ) -> None:
        self._data = metrics_data

    def pull(self) -> MetricsData | None:
        self.collect(timeout_millis=_NO_LIMIT_MILLIS)
        data, self._data = self._data, None
        return data

    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        pass


_NO_LIMIT_MILLIS = 24 * 3600 * 1000


class SdkReference:
    """The plan's metrics through an SDK MeterProvider and a reader, encoded by the
    SDK's own OTLP encoder."""

    def __init__(
        self, plan: ExportPlan, stores: StoresFn, resource: Resource, max_series: int
    ) -> None:
        """`max_series`: the reader's cardinality limit per metric (the SDK folds
        anything beyond it into an overflow point)."""
        self.reader = _PullReader(max_series)
        self.provider = MeterProvider(metric_readers=[self.reader], resource=resource)
        self.names = register_plan(self.provider.get_meter(SCOPE_NAME), plan, stores)

    def collect(self) -> MetricsData | None:
        """One collection: the SDK's data (None: nothing to report)."""
        return self.reader.pull()

    def request(self) -> ExportMetricsServiceRequest:
        """One collection, as the SDK's exporter would send it."""
        data = self.collect()
        return encode_metrics(data) if data is not None else ExportMetricsServiceRequest()

    def shutdown(self) -> None:
        self.provider.shutdown()


def observe_metric(spec: MetricSpec, stores: Iterable[EntityStore]) -> list[Observation]:
    """Every point of one metric, read plainly from the stores."""
    attributes_fn = SOURCES[spec.source][0]
    points: list[Observation] = []
    for store in stores:
        lookup = StoreLookup(store)
        customer = customer_attributes(store.customer, store.customer_id)
        for key, entity in store.items(spec.source):
            msg = entity.msg  # once: a packed state message is parsed at each read
            base = {**customer, **attributes_fn(key, msg, lookup)}
            for series in spec.series:
                value = series.value(msg)
                if value is None:
                    continue
                if series.counter_field and entity.offsets:
                    value += entity.offsets.get(series.counter_field, 0)
                points.append(Observation(float(value), {**base, **series.attributes}))
    return points


def observe_aggregate(spec: AggregateSpec, stores: Iterable[EntityStore]) -> list[Observation]:
    """Every group count of one aggregate, grouped entity by entity."""
    points: list[Observation] = []
    for store in stores:
        lookup = StoreLookup(store)
        counts: Counter[tuple[tuple[str, AttributeValue], ...]] = Counter()
        for _key, entity in store.items(spec.source):
            group = spec.group(spec.raw_group(entity.msg), lookup)
            counts[tuple(sorted(group.items()))] += 1
        customer = customer_attributes(store.customer, store.customer_id)
        points.extend(Observation(float(n), {**customer, **dict(g)}) for g, n in counts.items())
    return points


def register_plan(meter: Meter, plan: ExportPlan, stores: StoresFn) -> list[str]:
    """One observable instrument per metric of `plan` on `meter`; their names."""
    names: list[str] = []
    for spec in plan.metrics:
        callback = partial(_observe_metric, spec, stores)
        _register(meter, spec.name, spec.unit, spec.description, spec.instrument, callback)
        names.append(spec.name)
    for agg in plan.aggregates:
        callback = partial(_observe_aggregate, agg, stores)
        _register(meter, agg.name, agg.unit, agg.description, Instrument.UPDOWN, callback)
        names.append(agg.name)
    return names


def _observe_metric(
    spec: MetricSpec, stores: StoresFn, options: CallbackOptions
) -> list[Observation]:
    return observe_metric(spec, stores())


def _observe_aggregate(
    spec: AggregateSpec, stores: StoresFn, options: CallbackOptions
) -> list[Observation]:
    return observe_aggregate(spec, stores())


def _register(  # noqa: PLR0917  # the instrument's own fields, in the SDK's order
    meter: Meter,
    name: str,
    unit: str,
    description: str,
    instrument: Instrument,
    callback: Callable[[CallbackOptions], Iterable[Observation]],
) -> None:
    kind = {
        Instrument.GAUGE: meter.create_observable_gauge,
        Instrument.COUNTER: meter.create_observable_counter,
    }.get(instrument, meter.create_observable_up_down_counter)
    kind(name, [callback], unit=unit, description=description)
