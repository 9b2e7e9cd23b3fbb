"""`ExportMetricsServiceRequest` bytes straight from the stores, through the catalogue.

The same points as `catalog.collect` (same value functions, same attribute
functions, same order), without an SDK aggregation step or per-point protobuf
objects: each entity's attribute set is encoded once into `KeyValue` bytes and
kept on the entity (`Entity.cache`) until its attributes change; per cycle only
values and timestamps are written. Requests are split to a point and a byte limit.

Cumulative sums carry a stable ``start_time_unix_nano`` per entity: the first
cycle that saw the entity. The store compensates device counter resets (the
exported value stays monotonic), so a reset does not restart the series; a new
entity (first seen, or re-created after deletion or expiry) does.
"""

from __future__ import annotations

import bisect
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
from opentelemetry.sdk.resources import Resource

from central_otel.catalog import metrics as metrics_module
from central_otel.catalog.attributes import SOURCES, Attributes
from central_otel.catalog.collect import (
    MetricOptions,
    _customer,
    _device_name,
    enabled_aggregates,
    enabled_metrics,
)
from central_otel.catalog.metrics import AggregateSpec, Instrument, ValueFn
from central_otel.fastexport import wire
from central_otel.normalize import essid_text
from central_otel.state.entities import Key
from central_otel.state.store import Entity, EntityStore, PresenceSummary

SCOPE_NAME = "central_otel"  # the SDK path's meter name: one scope either way
MAX_REQUEST_BYTES = 4 * 1024 * 1024 - 256 * 1024  # under gRPC's default 4 MiB receive limit
MAX_REQUEST_POINTS = 20_000

_CUMULATIVE = wire.field_varint(2, 2)  # Sum.aggregation_temporality = CUMULATIVE
_MONOTONIC = wire.field_varint(3, 1)  # Sum.is_monotonic = true (false is the default)
# NumberDataPoint as Gauge/Sum.data_points (field 1): tag byte plus length, looked up.
_CHECK_EVERY = 64  # entities between checks of the bytes pending (see encode_iter)
_POINT_PREFIX: tuple[bytes, ...] = tuple(b"\x0a" + wire.length(n) for n in range(1 << 14))


def _point_prefix(n: int) -> bytes:
    return _POINT_PREFIX[n] if n < len(_POINT_PREFIX) else b"\x0a" + wire.length(n)


class EntityCache(dict[str, str]):
    """An entity's attributes (the dict `catalog.collect` caches there too, so both
    paths can share a store) plus their encoded `KeyValue` bytes, what they were
    computed from (`deps`, `reads`), and the series start."""

    __slots__ = ("blob", "customer_id", "deps", "overlap", "reads", "start")

    blob: bytes
    start: int  # start_time_unix_nano of the entity's cumulative series
    overlap: bool  # a series attribute overrides one of these (not the case today)
    customer_id: str
    deps: tuple[tuple[str, Key, Any], ...]  # (class, key, message or None) looked up
    reads: tuple[tuple[str, Any], ...]  # fields of the entity's own message read


_MISSING = object()


class _RecordingStore:
    """Stands in for the store while an attribute function runs: records each
    lookup and the message it found. Messages are replaced, never mutated, so the
    same messages (by identity) give the same attributes."""

    __slots__ = ("_store", "customer", "customer_id", "deps")

    def __init__(self, store: EntityStore) -> None:
        self._store = store
        self.customer = store.customer
        self.customer_id = store.customer_id
        self.deps: list[tuple[str, Key, Any]] = []

    def get(self, cls: str, key: Key) -> Entity | None:
        entity = self._store.get(cls, key)
        self.deps.append((cls, key, entity.msg if entity is not None else None))
        return entity


class _RecordingMessage:
    """Stands in for the entity's own message: records the fields read (a stats
    message is new every frame, but the few fields attributes use rarely change)."""

    __slots__ = ("_msg", "reads")

    def __init__(self, msg: Any) -> None:
        self._msg = msg
        self.reads: list[tuple[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._msg, name, _MISSING)
        self.reads.append((name, value))
        if value is _MISSING:
            raise AttributeError(name)
        return value

    def HasField(self, name: str) -> bool:
        has = bool(self._msg.HasField(name))
        self.reads.append(("?" + name, has))
        return has


def _still_valid(cache: EntityCache, msg: Any, store: EntityStore) -> bool:
    """True if the inputs the cached attributes were computed from are unchanged."""
    if cache.customer_id != store.customer_id:
        return False
    get = store.get
    for cls, key, was in cache.deps:
        entity = get(cls, key)
        if (entity.msg if entity is not None else None) is not was:
            return False
    for name, value in cache.reads:
        if name[0] == "?":
            if bool(msg.HasField(name[1:])) != value:
                return False
        elif getattr(msg, name, _MISSING) != value:
            return False
    return True


@dataclass(frozen=True, slots=True)
class EncodeLimits:
    max_points: int = MAX_REQUEST_POINTS
    max_bytes: int = MAX_REQUEST_BYTES


@dataclass(slots=True)
class Encoded:
    """One collection: serialised requests and the data points in each."""

    requests: list[bytes] = field(default_factory=list)
    points: list[int] = field(default_factory=list)
    collected_ns: int = 0
    refreshed: int = 0  # entities whose attributes were recomputed this cycle

    @property
    def total_points(self) -> int:
        return sum(self.points)

    @property
    def total_bytes(self) -> int:
        return sum(len(r) for r in self.requests)


@dataclass(slots=True)
class _Metric:
    """One metric's fixed bytes and this cycle's points (pairs: prefix, body)."""

    header: bytes  # name, description, unit
    data_field: int  # 5: gauge, 7: sum
    trailer: bytes  # Sum: temporality, monotonic flag
    is_sum: bool
    buf: bytearray = field(default_factory=bytearray)  # this cycle's points, encoded
    ends: array[int] = field(default_factory=lambda: array("q"))  # end offset of each point

    def reset(self) -> None:
        self.buf = bytearray()
        self.ends = array("q")

    @property
    def data_tag(self) -> bytes:
        return wire.tag(self.data_field, 2)


# (value function, encoded series attributes, series attributes, counter field)
Group = tuple[tuple[str, str], ...]
# (value function, field it reads or None, scale, encoded series attributes, the
# point's length beyond the entity's attributes, series attributes, counter field)
_SeriesPlan = tuple[ValueFn, str | None, float, bytes, int, Mapping[str, str], str | None]
_READ_CODE = metrics_module._read("x").__code__


def _plain_field(value: ValueFn) -> tuple[str | None, float]:
    """(field, scale) when `value` is the catalogue's plain field reader (`_read`): the
    encoder then reads the field inline, saving a call per point; else (None, 1.0)."""
    code = getattr(value, "__code__", None)
    if code is not _READ_CODE:
        return None, 1.0
    cells = dict(
        zip(code.co_freevars, (c.cell_contents for c in value.__closure__ or ()), strict=True)
    )
    return str(cells["name"]), float(cells["scale"])


def _metric(name: str, description: str, unit: str, instrument: Instrument) -> _Metric:
    header = wire.field_bytes(1, name.encode()) + wire.field_bytes(2, description.encode())
    if unit:
        header += wire.field_bytes(3, unit.encode())
    if instrument is Instrument.GAUGE:
        return _Metric(header, 5, b"", False)
    trailer = _CUMULATIVE + (_MONOTONIC if instrument is Instrument.COUNTER else b"")
    return _Metric(header, 7, trailer, True)


def encode_resource(resource: Resource) -> bytes:
    """The `Resource` message (once per encoder: protobuf classes are fine here)."""
    return resource_pb2.Resource(
        attributes=[
            common_pb2.KeyValue(key=k, value=_any_value(v)) for k, v in resource.attributes.items()
        ]
    ).SerializeToString()


def _any_value(value: Any) -> common_pb2.AnyValue:
    if isinstance(value, bool):
        return common_pb2.AnyValue(bool_value=value)
    if isinstance(value, int):
        return common_pb2.AnyValue(int_value=value)
    if isinstance(value, float):
        return common_pb2.AnyValue(double_value=value)
    if isinstance(value, str):
        return common_pb2.AnyValue(string_value=value)
    if isinstance(value, Sequence):
        return common_pb2.AnyValue(
            array_value=common_pb2.ArrayValue(values=[_any_value(v) for v in value])
        )
    return common_pb2.AnyValue(string_value=str(value))


class OtlpMetricEncoder:
    """Encodes every enabled catalogue metric of the stores into OTLP requests."""

    def __init__(
        self,
        resource: Resource,
        options: MetricOptions | None = None,
        *,
        limits: EncodeLimits | None = None,
        scope_name: str = SCOPE_NAME,
        scope_version: str = "",
        clock: Callable[[], int] = time.time_ns,
    ) -> None:
        options = options or MetricOptions()
        self.limits = limits or EncodeLimits()
        self._clock = clock
        scope = wire.field_bytes(1, scope_name.encode())
        if scope_version:
            scope += wire.field_bytes(2, scope_version.encode())
        self._scope = wire.field_bytes(1, scope)  # ScopeMetrics.scope
        resource_field = wire.field_bytes(1, encode_resource(resource))
        if resource.schema_url:
            resource_field += wire.field_bytes(3, resource.schema_url.encode())
        self._resource = resource_field  # ResourceMetrics.resource (+ schema_url)
        self._specs = enabled_metrics(options)
        self._aggregate_specs = enabled_aggregates(options)
        # Sources in first-use order; per source, its metrics and their series.
        self._sources: dict[str, list[tuple[int, list[_SeriesPlan]]]] = {}
        self._metrics: list[_Metric] = []
        series_keys: set[str] = set()
        for spec in self._specs:
            plans: list[_SeriesPlan] = []
            tail = (
                wire.SUM_TAIL if spec.instrument is not Instrument.GAUGE else wire.GAUGE_TAIL
            ).size
            for series in spec.series:
                field_name, scale = _plain_field(series.value)
                series_blob = wire.attributes(series.attributes, 7)
                plans.append(
                    (
                        series.value,
                        field_name,
                        scale,
                        series_blob,
                        len(series_blob) + tail,
                        series.attributes,
                        series.counter_field,
                    )
                )
                series_keys.update(series.attributes)
            self._sources.setdefault(spec.source, []).append((len(self._metrics), plans))
            self._metrics.append(_metric(spec.name, spec.description, spec.unit, spec.instrument))
        self._series_keys = frozenset(series_keys)
        for agg in self._aggregate_specs:
            self._metrics.append(_metric(agg.name, agg.description, agg.unit, Instrument.UPDOWN))
        # Aggregate groups are not entities: their start times live here, by
        # (customer, metric, group), and go when the group does.
        self._group_starts: dict[tuple[str, str, Group], int] = {}
        self._groups: dict[tuple[str, str], dict[tuple[Any, ...], _GroupCache]] = {}
        self._refreshed = 0
        self.collected_ns = 0  # time_unix_nano of the last collection

    @property
    def metric_names(self) -> list[str]:
        return [s.name for s in self._specs] + [a.name for a in self._aggregate_specs]

    # -- a cycle ---------------------------------------------------------------------

    def encode(self, stores: Iterable[EntityStore]) -> Encoded:
        """One collection, all requests at once (tests, benchmarks)."""
        out = Encoded()
        for body, points in self.encode_iter(stores):
            out.requests.append(body)
            out.points.append(points)
        out.collected_ns = self.collected_ns
        out.refreshed = self._refreshed
        return out

    def encode_iter(self, stores: Iterable[EntityStore]) -> Iterator[tuple[bytes, int]]:
        """One collection, as (request, points) pairs as soon as each is full: a cycle
        holds about one request's worth of points in memory, whatever the store size."""
        now = self.collected_ns = self._clock()
        self._refreshed = 0
        for metric in self._metrics:
            metric.reset()
        seen_groups: set[tuple[str, str, Group]] = set()
        for store in stores:
            for source, plans in self._sources.items():
                keys, entities = store.snapshot(source)
                snapshot = zip(keys, entities, strict=True)  # no tuple kept per entity
                yield from self._encode_source(store, source, snapshot, plans, now)
            first = len(self._specs)
            for index, agg in enumerate(self._aggregate_specs):
                self._encode_aggregate(store, agg, self._metrics[first + index], now, seen_groups)
                if self._pending() >= self.limits.max_bytes:
                    yield from self._flush()
        for gone in self._group_starts.keys() - seen_groups:
            del self._group_starts[gone]
        yield from self._flush()
        for metric in self._metrics:
            metric.reset()

    @property
    def refreshed(self) -> int:
        """Entities whose attributes were recomputed in the last collection."""
        return self._refreshed

    def _pending(self) -> int:
        return sum(len(metric.buf) for metric in self._metrics)

    def _encode_source(
        self,
        store: EntityStore,
        source: str,
        snapshot: Iterable[tuple[Key, Entity]],
        plans: list[tuple[int, list[_SeriesPlan]]],
        now: int,
    ) -> Iterator[tuple[bytes, int]]:
        version = store.version
        limit = self.limits.max_bytes
        countdown = _CHECK_EVERY
        sum_tail = wire.SUM_TAIL.pack
        gauge_tail = wire.GAUGE_TAIL.pack
        start_tag, time_tag, double_tag = wire.START, wire.TIME, wire.DOUBLE
        prefixes = _POINT_PREFIX
        n_prefixes = len(prefixes)
        targets = [
            (m.buf, m.buf.extend, m.ends.append, m.is_sum, series)
            for m, series in ((self._metrics[i], series) for i, series in plans)
        ]
        for key, entity in snapshot:
            countdown -= 1
            if not countdown:
                countdown = _CHECK_EVERY
                if self._pending() >= limit:
                    yield from self._flush()
            cache = entity.cache
            if entity.cache_version != version or type(cache) is not EntityCache:
                cache = self._refresh(source, key, entity, store, version=version, now=now)
            msg = entity.msg
            has = msg.HasField if type(msg) is not PresenceSummary else None
            offsets = entity.offsets
            blob = cache.blob
            base = len(blob)
            start = cache.start
            overlap = cache.overlap
            for buf, write, end, is_sum, series in targets:
                for value_fn, name, scale, series_blob, extra, series_attrs, counter in series:
                    if name is not None and has is not None:
                        # Exactly `_read`: the present field times the scale.
                        if not has(name):
                            continue
                        value = getattr(msg, name) * scale
                    else:
                        value = value_fn(msg)
                        if value is None:
                            continue
                    if counter and offsets:
                        value += offsets.get(counter, 0)
                    if is_sum:
                        tail = sum_tail(start_tag, start, time_tag, now, double_tag, value)
                    else:
                        tail = gauge_tail(time_tag, now, double_tag, value)
                    if overlap and series_attrs:
                        body = wire.attributes({**cache, **series_attrs}, 7) + tail
                        write(_point_prefix(len(body)))
                        write(body)
                    else:
                        n = base + extra
                        write(prefixes[n] if n < n_prefixes else _point_prefix(n))
                        write(blob)
                        write(series_blob)
                        write(tail)
                    end(len(buf))

    def _refresh(
        self, source: str, key: Key, entity: Entity, store: EntityStore, *, version: int, now: int
    ) -> EntityCache:
        """Revalidate after a state change; recompute (and re-encode) only if needed."""
        old = entity.cache
        msg = entity.msg
        if type(old) is EntityCache and _still_valid(old, msg, store):
            entity.cache_version = version
            return old
        self._refreshed += 1
        recording = _RecordingStore(store)
        reading = _RecordingMessage(msg)
        computed = SOURCES[source][0](key, reading, cast(EntityStore, recording))
        attrs: Attributes = {**_customer(store), **computed}
        if type(old) is EntityCache and attrs == old:
            cache = old
        else:
            cache = EntityCache(attrs)
            cache.blob = wire.attributes(attrs, 7)
            cache.start = old.start if type(old) is EntityCache else now
            cache.overlap = not self._series_keys.isdisjoint(attrs)
        cache.customer_id = recording.customer_id
        cache.deps = tuple(recording.deps)
        cache.reads = tuple(reading.reads)
        entity.cache = cache
        entity.cache_version = version
        return cache

    def _encode_aggregate(
        self,
        store: EntityStore,
        agg: AggregateSpec,
        metric: _Metric,
        now: int,
        seen: set[tuple[str, str, Group]],
    ) -> None:
        """Counts per group; group attributes cached per raw group like entities'."""
        cache_key = (store.customer, agg.source)
        old = self._groups.get(cache_key, {})
        fresh: dict[tuple[Any, ...], _GroupCache] = {}
        counts: dict[Group, list[Any]] = {}  # group -> [count, encoded attributes]
        for raw, n in raw_counts(agg.source, store).items():
            cached = old.get(raw)
            if cached is None or not _group_still_valid(cached, store):
                recording = _RecordingStore(store)
                attrs = _group_attributes(agg.source, raw, cast(EntityStore, recording))
                group = tuple(sorted(attrs.items()))
                blob = wire.attributes({**_customer(store), **dict(group)}, 7)
                cached = _GroupCache(group, blob, recording.customer_id, tuple(recording.deps))
            fresh[raw] = cached
            entry = counts.get(cached.group)
            if entry is None:
                counts[cached.group] = [n, cached.blob]
            else:
                entry[0] += n
        self._groups[cache_key] = fresh
        buf, end = metric.buf, metric.ends.append
        pack = wire.SUM_TAIL.pack
        for group, (count, blob) in counts.items():
            ident = (store.customer, agg.name, group)
            seen.add(ident)
            start = self._group_starts.setdefault(ident, now)
            body = blob + pack(wire.START, start, wire.TIME, now, wire.DOUBLE, float(count))
            buf += _point_prefix(len(body))
            buf += body
            end(len(buf))

    # -- requests --------------------------------------------------------------------

    def _flush(self) -> Iterator[tuple[bytes, int]]:
        """Every point written so far, packed into requests within the point and byte
        limits; the buffers are emptied (in place: the encoding loop holds them)."""
        limits = self.limits
        segments: list[tuple[_Metric, bytearray, int]] = []
        points = 0
        fixed = len(self._scope) + len(self._resource) + 16
        size = fixed
        for metric in self._metrics:
            ends, buf = metric.ends, metric.buf
            total = len(ends)
            done = 0
            overhead = len(metric.header) + len(metric.trailer) + 16
            while done < total:
                room = limits.max_points - points
                offset = ends[done - 1] if done else 0
                budget = limits.max_bytes - size - overhead
                # Points of this metric that fit: by count, then by bytes.
                take = 0
                if room > 0:
                    last = min(total, done + room)
                    take = bisect.bisect_right(ends, offset + budget, done, last) - done
                if take == 0:
                    if segments:
                        yield self._request(segments), points  # full: start another
                        segments, points, size = [], 0, fixed
                        continue
                    take = 1  # a single point over the limit: it goes alone
                seg_end = ends[done + take - 1]
                segments.append((metric, buf[offset:seg_end], seg_end - offset))
                points += take
                size += seg_end - offset + overhead
                done += take
            del buf[:]
            del ends[:]
        if segments:
            yield self._request(segments), points

    def _request(self, segments: list[tuple[_Metric, bytearray, int]]) -> bytes:
        length = wire.length
        pieces: list[bytes | bytearray] = []
        scope_len = len(self._scope)
        for metric, points, points_len in segments:
            data_len = points_len + len(metric.trailer)
            data_head = metric.data_tag + length(data_len)
            body_len = len(metric.header) + len(data_head) + data_len
            pieces.append(b"\x12" + length(body_len))  # ScopeMetrics.metrics
            pieces.append(metric.header)
            pieces.append(data_head)
            pieces.append(points)
            pieces.append(metric.trailer)
            scope_len += 1 + len(length(body_len)) + body_len
        scope_head = b"\x12" + length(scope_len)  # ResourceMetrics.scope_metrics
        resource_len = len(self._resource) + len(scope_head) + scope_len
        head = b"\x0a" + length(resource_len) + self._resource + scope_head + self._scope
        return b"".join([head, *pieces])


# -- aggregates --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _GroupCache:
    group: Group
    blob: bytes  # encoded attributes, customer included
    customer_id: str
    deps: tuple[tuple[str, Key, Any], ...]


def _group_still_valid(cached: _GroupCache, store: EntityStore) -> bool:
    if cached.customer_id != store.customer_id:
        return False
    for cls, key, was in cached.deps:
        entity = store.get(cls, key)
        if (entity.msg if entity is not None else None) is not was:
            return False
    return True


def raw_counts(source: str, store: EntityStore) -> Counter[tuple[Any, ...]]:
    """Clients per raw group: (device, SSID, radio MAC) or (device, VLAN)."""
    raw: Counter[tuple[Any, ...]] = Counter()
    if source == "wireless_client":
        for entity in store.snapshot(source)[1]:
            m = entity.msg
            radio = bytes(m.radio_mac.addr) if m.HasField("radio_mac") else None
            raw[(m.associated_device, m.network, radio)] += 1
    else:
        for entity in store.snapshot(source)[1]:
            m = entity.msg
            raw[(m.associated_device, m.vlan if m.HasField("vlan") else None)] += 1
    return raw


def aggregate_counts(source: str, store: EntityStore) -> Counter[Group]:
    """`catalog.collect.collect_aggregate`'s groups and counts, with the attribute
    functions run once per distinct raw group instead of once per client."""
    counts: Counter[Group] = Counter()
    for parts, n in raw_counts(source, store).items():
        counts[tuple(sorted(_group_attributes(source, parts, store).items()))] += n
    return counts


def _group_attributes(source: str, parts: tuple[Any, ...], store: EntityStore) -> Attributes:
    """The same attributes as `catalog.collect._group`, from the raw group parts."""
    attrs = _device_name(store, parts[0])
    if source == "wireless_client":
        network, radio_mac = parts[1], parts[2]
        if network:
            attrs["aruba.wlan.ssid"] = essid_text(network)
        if radio_mac is not None:
            radio = store.get("radio", (radio_mac,))
            if radio is not None and radio.msg.HasField("band"):
                attrs["aruba.radio.band"] = str(radio.msg.band)
        attrs["network.connection.type"] = "wifi"
        return attrs
    if parts[1] is not None:
        attrs["aruba.vlan.id"] = str(parts[1])
    attrs["network.connection.type"] = "wired"
    return attrs
