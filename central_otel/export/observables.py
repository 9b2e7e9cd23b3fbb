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

import struct
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
    encode_resource,
)
from central_otel.state.store import EntityStore

# NumberDataPoint tails: time (fixed64 3) and the value, as_double (4) or as_int
# (sfixed64 6); a sum's start time (fixed64 2) ahead of them.
_GAUGE_DOUBLE = struct.Struct("<BQBd")
_GAUGE_INT = struct.Struct("<BQBq")
_SUM_DOUBLE = struct.Struct("<BQBQBd")
_SUM_INT = struct.Struct("<BQBQBq")
_START, _TIME, _DOUBLE, _INT = 0x11, 0x19, 0x21, 0x31
_CUMULATIVE = wire.field_varint(2, 2)  # Sum.aggregation_temporality = CUMULATIVE
_MONOTONIC = wire.field_varint(3, 1)
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
        resource_field = wire.field_bytes(1, encode_resource(resource))
        if resource.schema_url:
            resource_field += wire.field_bytes(3, resource.schema_url.encode())
        self._resource = resource_field
        self._scope = wire.field_bytes(1, wire.field_bytes(1, scope_name.encode()))
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
            head = _metric_head(spec)
            trailer = _CUMULATIVE + _MONOTONIC if spec.instrument is Instrument.COUNTER else b""
            if spec.instrument is Instrument.UPDOWN:
                trailer = _CUMULATIVE
            data_field = 5 if spec.instrument is Instrument.GAUGE else 7
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


def _metric_head(spec: ObservableSpec) -> bytes:
    head = wire.field_bytes(1, spec.name.encode()) + wire.field_bytes(2, spec.description.encode())
    if spec.unit:
        head += wire.field_bytes(3, spec.unit.encode())
    return head


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
            return _GAUGE_INT.pack(_TIME, now, _INT, value)
        return _GAUGE_DOUBLE.pack(_TIME, now, _DOUBLE, float(value))
    if as_int:
        return _SUM_INT.pack(_START, start, _TIME, now, _INT, value)
    return _SUM_DOUBLE.pack(_START, start, _TIME, now, _DOUBLE, float(value))
