"""The bridge's self-metrics as OTLP requests, without the SDK's aggregation.

The self-metrics are observable instruments whose callbacks read counters the
bridge keeps anyway (per subscription, customer, entity class...). Through the
SDK, every attribute set they report gets an aggregation object that lives as long
as the process, and every collection builds protobuf objects for each point: at
hundreds of customers that is tens of thousands of series, megabytes held for
values the bridge already has. So for OTLP export the callbacks register here
(`ObservableRegistry`, the part of the `Meter` API they use) and `ObservableEncoder`
writes their observations straight into requests, with the catalogue's wire
helpers: nothing is kept between collections.

Same data as the SDK would send: cumulative sums (monotonic for counters), gauges,
an integer observation as ``as_int`` and a float as ``as_double``. A cumulative
sum starts when the registry was made (the process's start: every counter counts
from there).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from opentelemetry.metrics import CallbackOptions, CallbackT, Observation
from opentelemetry.sdk.resources import Resource

from central_otel.catalog.metrics import Instrument
from central_otel.export import wire
from central_otel.export.encoder import (
    MAX_REQUEST_BYTES,
    MAX_REQUEST_POINTS,
    SCOPE_NAME,
    metric_framing,
    resource_field,
    scope_field,
)
from central_otel.state.store import EntityStore

_METRIC_OVERHEAD = 64  # a metric's and a request's framing, at most


class ObservableMeter(Protocol):
    """What the self-metrics need of a meter: observable instruments. The SDK's
    `Meter` is one (console and memory telemetry); `ObservableRegistry` another."""

    def create_observable_gauge(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> object: ...

    def create_observable_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> object: ...

    def create_observable_up_down_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> object: ...


@dataclass(frozen=True, slots=True)
class ObservableSpec:
    """One observable instrument: its metric and the callbacks that observe it."""

    name: str
    instrument: Instrument
    unit: str
    description: str
    callbacks: tuple[CallbackT, ...]

    def observe(self) -> Iterator[Observation]:
        options = CallbackOptions()
        for callback in self.callbacks:
            if callable(callback):
                yield from callback(options)
            else:  # a generator, as the API allows: one send per collection
                yield from callback.send(options)


class ObservableRegistry:
    """Observable instruments by name, in registration order (an `ObservableMeter`)."""

    def __init__(self, clock: Callable[[], int] = time.time_ns) -> None:
        self.specs: list[ObservableSpec] = []
        self.started_ns = clock()  # the start of every cumulative sum

    def _add(
        self,
        instrument: Instrument,
        name: str,
        callbacks: Sequence[CallbackT] | None,
        unit: str,
        description: str,
    ) -> ObservableSpec:
        if any(spec.name == name for spec in self.specs):
            raise ValueError(f"observable {name!r} is registered twice")
        spec = ObservableSpec(name, instrument, unit, description, tuple(callbacks or ()))
        self.specs.append(spec)
        return spec

    def create_observable_gauge(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableSpec:
        return self._add(Instrument.GAUGE, name, callbacks, unit, description)

    def create_observable_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableSpec:
        return self._add(Instrument.COUNTER, name, callbacks, unit, description)

    def create_observable_up_down_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableSpec:
        return self._add(Instrument.UPDOWN, name, callbacks, unit, description)


class ObservableEncoder:
    """The registry's observations, collected now, as `ExportMetricsServiceRequest`
    bytes split to the same point and byte limits as the catalogue's requests."""

    def __init__(
        self,
        registry: ObservableRegistry,
        resource: Resource,
        *,
        scope_name: str = SCOPE_NAME,
        max_points: int = MAX_REQUEST_POINTS,
        max_bytes: int = MAX_REQUEST_BYTES,
        clock: Callable[[], int] = time.time_ns,
    ) -> None:
        self.registry = registry
        self.max_points = max_points
        self.max_bytes = max_bytes
        self._clock = clock
        self._resource = resource_field(resource)
        self._scope = scope_field(scope_name)
        self.collected_ns = 0
        self.refreshed = 0  # nothing is cached between collections

    def encode_iter(self, stores: Iterable[EntityStore] = ()) -> Iterator[tuple[bytes, int]]:
        """One collection: (request, points) pairs. `stores` is not read: the
        callbacks observe what they need (the export loop's encoder interface)."""
        now = self.collected_ns = self._clock()
        start = self.registry.started_ns
        metrics: list[bytes] = []
        size = points = 0
        for spec in self.registry.specs:
            head, data_field, trailer = metric_framing(
                spec.name, spec.description, spec.unit, spec.instrument
            )
            batch: list[bytes] = []
            batch_size = 0
            for point in _points(spec, start, now):
                if batch and (
                    points + len(batch) >= self.max_points
                    or size + batch_size + len(point) + _METRIC_OVERHEAD >= self.max_bytes
                ):
                    metrics.append(_metric(head, data_field, batch, trailer))
                    yield self._request(metrics), points + len(batch)
                    metrics, size, points, batch, batch_size = [], 0, 0, [], 0
                batch.append(point)
                batch_size += len(point)
            if batch:
                metric = _metric(head, data_field, batch, trailer)
                metrics.append(metric)
                size += len(metric)
                points += len(batch)
        if metrics:
            yield self._request(metrics), points

    def _request(self, metrics: list[bytes]) -> bytes:
        scope_metrics = self._scope + b"".join(metrics)
        resource_metrics = self._resource + wire.field_bytes(2, scope_metrics)
        return wire.field_bytes(1, resource_metrics)


def _metric(head: bytes, data_field: int, points: list[bytes], trailer: bytes) -> bytes:
    """A `ScopeMetrics.metrics` field: the metric with its gauge or sum of `points`."""
    data = b"".join(points) + trailer
    return wire.field_bytes(2, head + wire.field_bytes(data_field, data))


def _points(spec: ObservableSpec, start: int, now: int) -> Iterator[bytes]:
    """The `data_points` fields (1) of one collection of `spec`, one per attribute set:
    a set observed twice is summed for a sum and its last value kept for a gauge, as
    the SDK does."""
    values: dict[bytes, float] = {}
    is_sum = spec.instrument is not Instrument.GAUGE
    for observation in spec.observe():
        attributes: Any = observation.attributes or {}
        blob = wire.attributes(
            {k: v if isinstance(v, str | tuple) else str(v) for k, v in attributes.items()}, 7
        )
        value = observation.value
        if is_sum and blob in values:
            value += values[blob]
        values[blob] = value
    for blob, value in values.items():
        yield wire.field_bytes(1, blob + _tail(value, spec.instrument, start, now))


def _tail(value: float, instrument: Instrument, start: int, now: int) -> bytes:
    """A point's times and value: an int as ``as_int``, anything else as ``as_double``."""
    as_int = isinstance(value, int) and not isinstance(value, bool)
    if instrument is Instrument.GAUGE:
        if as_int:
            return wire.GAUGE_TAIL_INT.pack(wire.TIME, now, wire.INT, value)
        return wire.GAUGE_TAIL.pack(wire.TIME, now, wire.DOUBLE, float(value))
    if as_int:
        return wire.SUM_TAIL_INT.pack(wire.START, start, wire.TIME, now, wire.INT, value)
    return wire.SUM_TAIL.pack(wire.START, start, wire.TIME, now, wire.DOUBLE, float(value))
