"""`ExportMetricsServiceRequest` bytes straight from the stores, by the export plan.

Walks the plan (`catalog.plan`): per entity source, its entities' values and
attributes, without an SDK aggregation step or per-point protobuf objects. Each
entity's attribute set is encoded once into `KeyValue` bytes and kept in this
encoder's side table (keyed by the entity object's identity; the store knows
nothing of it) until its attributes change; per cycle only values and timestamps
are written. Requests are split to a point and a byte limit.

Most of an entity's attribute bytes are its customer's and its device's
(`DEVICE_LEVEL_NAMES`), the same for every radio, port and VAP of the device: the
side table keeps them once per distinct run of such leading pairs (`_Prefix`), and
per entity only the rest.

Cumulative sums carry a stable ``start_time_unix_nano`` per entity: the first
cycle that saw the entity. The store compensates device counter resets (the
exported value stays monotonic), so a reset does not restart the series; a new
entity (first seen, or re-created after deletion or expiry) does.
"""

from __future__ import annotations

import bisect
import time
import weakref
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
from opentelemetry.sdk.resources import Resource

from central_otel.catalog.attributes import (
    DEVICE_LEVEL_NAMES,
    Attributes,
    StoreLookup,
    customer_attributes,
    device_via,
)
from central_otel.catalog.metrics import AggregateSpec, Instrument, RawGroup, ValueFn
from central_otel.catalog.plan import ExportPlan, SourcePlan
from central_otel.export import wire
from central_otel.state.entities import CLASS_KINDS, Key, Kind
from central_otel.state.store import Entity, EntityStore

SCOPE_NAME = "central_otel"  # the instrumentation scope of every catalogue metric
# Well under gRPC's default 4 MiB receive limit. While a request is joined, the point
# buffers and the request are both held, at the peak of every export cycle: smaller
# requests lower the process's peak RSS, more of them cost CPU (docs/performance.md,
# "The request size").
MAX_REQUEST_BYTES = 2 * 1024 * 1024
MAX_REQUEST_POINTS = 20_000

_CUMULATIVE = wire.field_varint(2, 2)  # Sum.aggregation_temporality = CUMULATIVE
_MONOTONIC = wire.field_varint(3, 1)  # Sum.is_monotonic = true (false is the default)
# NumberDataPoint as Gauge/Sum.data_points (field 1): tag byte plus length, looked up.
_CHECK_EVERY = 64  # entities between checks of the bytes pending (see encode_iter)
_POINT_PREFIX: tuple[bytes, ...] = tuple(
    b"\x0a" + wire.length(n) for n in range(wire.LOOKED_UP_LENGTHS)
)
# Entries of entities gone from the stores are dropped from the side table once they
# are this many, or this share of those still there (whichever is more).
_STALE_MIN, _STALE_SHARE = 1_000, 0.1


def _point_prefix(n: int) -> bytes:
    return _POINT_PREFIX[n] if n < len(_POINT_PREFIX) else b"\x0a" + wire.length(n)


# (class, key, the entity found or None, its version: `_version`). Not the message:
# that would hold the message's whole frame alive until the entry is next refreshed
# (after a reconnect's snapshot, every customer's previous snapshot).
Dependency = tuple[str, Key, Entity | None, Any]


def _version(cls: str, entity: Entity | None) -> Any:
    """What tells whether a looked-up entity changed: a state entity's count of
    replacements; the message itself for any other class (none is looked up today)."""
    if entity is None:
        return None
    return entity.changes if CLASS_KINDS[cls] is Kind.STATE else entity.msg


class _Prefix:
    """The leading `KeyValue` bytes of entities' attributes that are the customer's and
    the device's: one object per distinct value, shared by every entry that starts
    with it (interned by the encoder while an entry holds it)."""

    __slots__ = ("__weakref__", "customer_id", "data")

    def __init__(self, data: bytes, customer_id: str) -> None:
        self.data = data
        self.customer_id = customer_id  # the customer's id the bytes were built with


class _EntityExport:
    """What this encoder keeps per entity: its encoded `KeyValue` bytes, as a shared
    prefix and its own suffix (and its attributes where a series attribute overrides
    one of them), what they were computed from (`deps`, `reads`, the prefix's customer
    id), and the series start."""

    __slots__ = ("deps", "overlap", "prefix", "reads", "start", "suffix", "version")

    def __init__(
        self, overlap: Attributes | None, prefix: _Prefix, suffix: bytes, start: int
    ) -> None:
        self.overlap = overlap  # the attributes, if a series attribute overrides one
        self.prefix = prefix
        self.suffix = suffix
        self.start = start  # start_time_unix_nano of the entity's cumulative series
        self.version = -1  # the store version the entry was last checked at
        self.deps: tuple[Dependency, ...] = ()  # entities looked up
        self.reads: tuple[tuple[str, Any], ...] = ()  # fields of the entity's message read


_MISSING = object()


class _StoreView:
    """A store as one cycle of this encoder reads it: with the lookup (and memo) its
    attributes use, and the dependencies found while the store's version stays the same
    (one tuple per entity looked up, shared by every entry whose attributes read it).
    Made per store and cycle: the memos only serve the entries recomputed together."""

    __slots__ = ("_dependencies", "_shared", "_version", "lookup", "store", "suffixes")

    def __init__(self, store: EntityStore) -> None:
        self.store = store
        self.lookup = StoreLookup(store)
        # One copy of each distinct suffix among the entries recomputed together: a
        # radio's and its stats' entries, the radios of the same index on every AP...
        self.suffixes: dict[bytes, bytes] = {}
        self._dependencies: dict[tuple[str, Key], tuple[Dependency, Entity | None]] = {}
        self._version = -1
        # Dependency tuples by the identities of their items: the tuple kept holds its
        # items alive, so an identity in a key cannot be another object's.
        self._shared: dict[tuple[int, ...], tuple[Dependency, ...]] = {}

    def shared(self, deps: list[Dependency]) -> tuple[Dependency, ...]:
        """`deps` as a tuple, the same one for every entry that looked up the same
        entities (a device's radio and its VAPs, its device and presence series...)."""
        ids = tuple(map(id, deps))
        found = self._shared.get(ids)
        if found is None:
            found = self._shared[ids] = tuple(deps)
        return found

    def dependency(self, cls: str, key: Key) -> tuple[Dependency, Entity | None]:
        """The entity of `cls` at `key` (or None) and the dependency that records it."""
        if self._version != self.store.version:
            self._dependencies.clear()
            self._version = self.store.version
        found = self._dependencies.get((cls, key))
        if found is None:
            entity = self.lookup.get(cls, key)
            dependency = (cls, key, entity, _version(cls, entity))
            found = self._dependencies[cls, key] = (dependency, entity)
        return found


class _RecordingLookup:
    """Stands in for the lookup while an attribute function runs: records each entity
    looked up and the message it found. Messages are replaced, never mutated, so the
    same messages (by identity) give the same attributes."""

    __slots__ = ("_view", "deps")

    def __init__(self, view: _StoreView) -> None:
        self._view = view
        self.deps: list[Dependency] = []

    def get(self, cls: str, key: Key) -> Entity | None:
        dependency, entity = self._view.dependency(cls, key)
        self.deps.append(dependency)
        return entity

    def device(self, serial: str) -> Attributes:
        return device_via(self._view.lookup, serial, self.get)


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


def _deps_unchanged(deps: Iterable[Dependency], store: EntityStore) -> bool:
    get = store.get
    for cls, key, was, version in deps:
        entity = get(cls, key)
        if entity is not was:
            return False
        if entity is not None:
            # `_version` inline (this runs per entry and dependency at every change).
            now = entity.changes if version.__class__ is int else entity.msg
            if now is not version and now != version:
                return False
    return True


def _still_valid(entry: _EntityExport, msg: Any, store: EntityStore) -> bool:
    """True if the inputs the entry's attributes were computed from are unchanged."""
    if entry.prefix.customer_id != store.customer_id or not _deps_unchanged(entry.deps, store):
        return False
    for name, value in entry.reads:
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


GroupKey = tuple[str, bytes]  # an aggregate's name, a group's encoded attributes
# (field read inline, scale, or else compute; encoded series attributes, the point's
# length beyond the entity's attributes, series attributes, counter field)
_SeriesPlan = tuple[str, float, ValueFn | None, bytes, int, Mapping[str, str], str | None]


def metric_framing(
    name: str, description: str, unit: str, instrument: Instrument
) -> tuple[bytes, int, bytes]:
    """A `Metric`'s fixed parts: its header (name, description, unit), the field of its
    data (5: gauge, 7: sum) and what follows a sum's points (temporality, monotonic)."""
    header = wire.field_bytes(1, name.encode()) + wire.field_bytes(2, description.encode())
    if unit:
        header += wire.field_bytes(3, unit.encode())
    if instrument is Instrument.GAUGE:
        return header, 5, b""
    return header, 7, _CUMULATIVE + (_MONOTONIC if instrument is Instrument.COUNTER else b"")


def scope_field(name: str, version: str = "") -> bytes:
    """`ScopeMetrics.scope`: the instrumentation scope."""
    scope = wire.field_bytes(1, name.encode())
    if version:
        scope += wire.field_bytes(2, version.encode())
    return wire.field_bytes(1, scope)


def resource_field(resource: Resource) -> bytes:
    """`ResourceMetrics.resource` (and its schema URL)."""
    field = wire.field_bytes(1, encode_resource(resource))
    if resource.schema_url:
        field += wire.field_bytes(3, resource.schema_url.encode())
    return field


def _metric(name: str, description: str, unit: str, instrument: Instrument) -> _Metric:
    header, data_field, trailer = metric_framing(name, description, unit, instrument)
    return _Metric(header, data_field, trailer, instrument is not Instrument.GAUGE)


def encode_resource(resource: Resource) -> bytes:
    """The `Resource` message (once per encoder: protobuf classes are fine here)."""
    return resource_pb2.Resource(
        attributes=[
            common_pb2.KeyValue(key=k, value=any_value(v)) for k, v in resource.attributes.items()
        ]
    ).SerializeToString()


def any_value(value: Any) -> common_pb2.AnyValue:
    """An attribute value as OTLP `AnyValue`, typed as the SDK's exporters type it."""
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
            array_value=common_pb2.ArrayValue(values=[any_value(v) for v in value])
        )
    return common_pb2.AnyValue(string_value=str(value))


class OtlpMetricEncoder:
    """Encodes every metric of an export plan, read from the stores, into OTLP requests."""

    def __init__(
        self,
        plan: ExportPlan,
        resource: Resource,
        limits: EncodeLimits,
        *,
        scope_name: str = SCOPE_NAME,
        scope_version: str = "",
        clock: Callable[[], int] = time.time_ns,
    ) -> None:
        self.plan = plan
        self.limits = limits
        self._clock = clock
        self._scope = scope_field(scope_name, scope_version)
        self._resource = resource_field(resource)
        self._metrics: list[_Metric] = [
            _metric(spec.name, spec.description, spec.unit, spec.instrument)
            for spec in plan.metrics
        ]
        index = {spec.name: i for i, spec in enumerate(plan.metrics)}
        # Per source: the index of each of its metrics and their series.
        self._sources: list[tuple[SourcePlan, list[tuple[int, list[_SeriesPlan]]]]] = []
        for source in plan.sources:
            targets: list[tuple[int, list[_SeriesPlan]]] = []
            for spec in source.metrics:
                tail = (
                    wire.SUM_TAIL if spec.instrument is not Instrument.GAUGE else wire.GAUGE_TAIL
                ).size
                series_plans: list[_SeriesPlan] = []
                for series in spec.series:
                    series_blob = wire.attributes(series.attributes, 7)
                    series_plans.append(
                        (
                            series.field or "",
                            series.scale,
                            series.compute,
                            series_blob,
                            len(series_blob) + tail,
                            series.attributes,
                            series.counter_field,
                        )
                    )
                targets.append((index[spec.name], series_plans))
            self._sources.append((source, targets))
        self._series_keys = plan.series_attribute_names
        first_aggregate = len(self._metrics)
        self._aggregates = [(agg, first_aggregate + i) for i, agg in enumerate(plan.aggregates)]
        for agg in plan.aggregates:
            self._metrics.append(_metric(agg.name, agg.description, agg.unit, Instrument.UPDOWN))
        # The side table: per entity object (hashed by identity), what was last encoded
        # for it.
        self._entities: dict[Entity, _EntityExport] = {}
        # Every prefix an entry holds, by its bytes (gone with the last entry holding it).
        self._prefixes: weakref.WeakValueDictionary[bytes, _Prefix] = weakref.WeakValueDictionary()
        self._visited = 0
        # Aggregate groups are not entities: their start times live here, by metric and
        # group (its encoded attributes, the customer's included), and go when the
        # group does; the group each raw group is, by customer and source.
        self._group_starts: dict[GroupKey, int] = {}
        self._groups: dict[tuple[str, str], dict[RawGroup, _GroupCache]] = {}
        self._refreshed = 0
        self.collected_ns = 0  # time_unix_nano of the last collection

    @property
    def metric_names(self) -> list[str]:
        return self.plan.metric_names

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
        self._visited = 0
        for metric in self._metrics:
            metric.reset()
        seen_groups: set[GroupKey] = set()
        seen_stores: list[EntityStore] = []
        # Group caches are kept for this cycle's stores only.
        previous_groups, self._groups = self._groups, {}
        for store in stores:
            seen_stores.append(store)
            view = _StoreView(store)
            for source, targets in self._sources:
                keys, entities = store.snapshot(source.source)
                snapshot = zip(keys, entities, strict=True)  # no tuple kept per entity
                self._visited += len(keys)
                yield from self._encode_source(view, source, snapshot, targets, now)
            for agg, index in self._aggregates:
                metric = self._metrics[index]
                self._encode_aggregate(
                    view, agg, metric, now, seen=seen_groups, previous=previous_groups
                )
                if self._pending() >= self.limits.max_bytes:
                    yield from self._flush()
        for gone in self._group_starts.keys() - seen_groups:
            del self._group_starts[gone]
        self._prune(seen_stores)
        yield from self._flush()
        for metric in self._metrics:
            metric.reset()

    @property
    def refreshed(self) -> int:
        """Entities whose attributes were recomputed in the last collection."""
        return self._refreshed

    @property
    def pending_bytes(self) -> int:
        """Bytes of points encoded and not yet packed into a request."""
        return self._pending()

    @property
    def shared_prefixes(self) -> int:
        """Distinct customer-and-device attribute prefixes the side table holds."""
        return len(self._prefixes)

    def _prune(self, stores: list[EntityStore]) -> None:
        """Drop the entries of entities no longer in `stores` (this cycle's), once they
        are many: an entry holds its entity (and its last message) alive."""
        stale = len(self._entities) - self._visited
        if stale < max(_STALE_MIN, self._visited * _STALE_SHARE):
            return
        alive: set[Entity] = set()
        for store in stores:
            for source, _targets in self._sources:
                alive.update(store.snapshot(source.source)[1])
        self._entities = {k: v for k, v in self._entities.items() if k in alive}

    def _pending(self) -> int:
        return sum(len(metric.buf) for metric in self._metrics)

    def _encode_source(
        self,
        view: _StoreView,
        source: SourcePlan,
        snapshot: Iterable[tuple[Key, Entity]],
        targets: list[tuple[int, list[_SeriesPlan]]],
        now: int,
    ) -> Iterator[tuple[bytes, int]]:
        version = view.store.version
        limit = self.limits.max_bytes
        countdown = _CHECK_EVERY
        sum_tail = wire.SUM_TAIL.pack
        gauge_tail = wire.GAUGE_TAIL.pack
        start_tag, time_tag, double_tag = wire.START, wire.TIME, wire.DOUBLE
        prefixes = _POINT_PREFIX
        n_prefixes = len(prefixes)
        entry_of = self._entities.get
        writers = [
            (m.buf, m.ends.append, m.is_sum, series)
            for m, series in ((self._metrics[i], series) for i, series in targets)
        ]
        for key, entity in snapshot:
            countdown -= 1
            if not countdown:
                countdown = _CHECK_EVERY
                if self._pending() >= limit:
                    yield from self._flush()
            entry = entry_of(entity)
            msg = entity.msg  # once: a packed state message is parsed at each read
            if entry is None or entry.version != version:
                entry = self._refresh(view, source, key, entity, msg, old=entry, now=now)
            has = getattr(msg, "HasField", None)  # None: a PresenceSummary
            offsets = entity.offsets
            blob = entry.prefix.data + entry.suffix  # written per point: joined once
            base = len(blob)
            start = entry.start
            overlap = entry.overlap
            for out, end, is_sum, series in writers:
                buf = out  # appended to in place (`+=`: no method call per piece)
                for name, scale, compute, series_blob, extra, series_attrs, counter in series:
                    if compute is None:
                        if has is None or not has(name):
                            continue
                        value = getattr(msg, name) * scale
                    else:
                        value = compute(msg)
                        if value is None:
                            continue
                    if counter and offsets:
                        value += offsets.get(counter, 0)
                    if is_sum:
                        tail = sum_tail(start_tag, start, time_tag, now, double_tag, value)
                    else:
                        tail = gauge_tail(time_tag, now, double_tag, value)
                    if overlap is not None and series_attrs:
                        body = wire.attributes({**overlap, **series_attrs}, 7) + tail
                        buf += _point_prefix(len(body)) + body
                    else:
                        n = base + extra
                        buf += prefixes[n] if n < n_prefixes else _point_prefix(n)
                        buf += blob
                        buf += series_blob
                        buf += tail
                    end(len(buf))

    def _refresh(
        self,
        view: _StoreView,
        source: SourcePlan,
        key: Key,
        entity: Entity,
        msg: Any,
        *,
        old: _EntityExport | None,
        now: int,
    ) -> _EntityExport:
        """Revalidate after a state change (`msg`: the entity's message, as read);
        recompute (and re-encode) only if needed."""
        store = view.store
        version = store.version
        if old is not None and _still_valid(old, msg, store):
            old.version = version
            return old
        self._refreshed += 1
        recording = _RecordingLookup(view)
        reading = _RecordingMessage(msg)
        computed = source.attributes(key, reading, recording)
        attrs: Attributes = {**customer_attributes(store.customer, store.customer_id), **computed}
        leading, suffix = wire.split_attributes(attrs, 7, DEVICE_LEVEL_NAMES)
        suffix = view.suffixes.setdefault(suffix, suffix)
        prefix = self._prefixes.get(leading)
        if prefix is None:  # (the bytes name the customer, its id included)
            prefix = self._prefixes[leading] = _Prefix(leading, store.customer_id)
        if old is not None and prefix is old.prefix and suffix == old.suffix:
            entry = old
        else:
            overridden = not self._series_keys.isdisjoint(attrs)
            # The attributes themselves are kept only where a series attribute
            # overrides one of them (the point's set is merged then); else the bytes.
            start = old.start if old is not None else now
            entry = _EntityExport(attrs if overridden else None, prefix, suffix, start)
            self._entities[entity] = entry
        entry.deps = view.shared(recording.deps)
        entry.reads = tuple(reading.reads)
        entry.version = version
        return entry

    def _encode_aggregate(
        self,
        view: _StoreView,
        agg: AggregateSpec,
        metric: _Metric,
        now: int,
        *,
        seen: set[GroupKey],
        previous: dict[tuple[str, str], dict[RawGroup, _GroupCache]],
    ) -> None:
        """Counts per group; group attributes cached per raw group like entities'."""
        store = view.store
        cache_key = (store.customer, agg.source)
        old = previous.get(cache_key, {})
        fresh: dict[RawGroup, _GroupCache] = {}
        # Per group, its count: a group is its encoded attributes (customer included).
        counts: dict[bytes, int] = {}
        for raw, n in raw_counts(agg, store).items():
            cached = old.get(raw)
            if (
                cached is None
                or cached.customer_id != store.customer_id
                or not _deps_unchanged(cached.deps, store)
            ):
                recording = _RecordingLookup(view)
                group = sorted(agg.group(raw, recording).items())
                customer = customer_attributes(store.customer, store.customer_id)
                blob = wire.attributes({**customer, **dict(group)}, 7)
                cached = _GroupCache(blob, store.customer_id, view.shared(recording.deps))
            fresh[raw] = cached
            counts[cached.blob] = counts.get(cached.blob, 0) + n
        self._groups[cache_key] = fresh
        buf, end = metric.buf, metric.ends.append
        pack = wire.SUM_TAIL.pack
        for blob, count in counts.items():
            ident = (agg.name, blob)
            seen.add(ident)
            start = self._group_starts.setdefault(ident, now)
            body = blob + pack(wire.START, start, wire.TIME, now, wire.DOUBLE, float(count))
            buf += _point_prefix(len(body))
            buf += body
            end(len(buf))

    # -- requests --------------------------------------------------------------------

    def _flush(self) -> Iterator[tuple[bytes, int]]:
        """Every point written so far, packed into requests within the point and byte
        limits. A request is joined straight from views of the buffers: the points are
        copied once, into the request. The buffers are emptied (in place: the encoding
        loop holds them) before the first request goes out, so that they are not held
        besides the request and the transport's copies of it while it is sent."""
        limits = self.limits
        requests: list[tuple[bytes, int]] = []
        segments: list[tuple[_Metric, int, int]] = []  # metric, start, end in its buffer
        points = 0
        fixed = len(self._scope) + len(self._resource) + 16
        size = fixed
        for metric in self._metrics:
            ends = metric.ends
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
                        requests.append((self._request(segments), points))  # full
                        segments, points, size = [], 0, fixed
                        continue
                    take = 1  # a single point over the limit: it goes alone
                seg_end = ends[done + take - 1]
                segments.append((metric, offset, seg_end))
                points += take
                size += seg_end - offset + overhead
                done += take
        if segments:
            requests.append((self._request(segments), points))
        for metric in self._metrics:
            del metric.buf[:]
            del metric.ends[:]
        while requests:
            yield requests.pop(0)  # not held here once sent

    def _request(self, segments: list[tuple[_Metric, int, int]]) -> bytes:
        length = wire.length
        pieces: list[bytes | memoryview] = []
        scope_len = len(self._scope)
        for metric, start, end in segments:
            data_len = end - start + len(metric.trailer)
            data_head = metric.data_tag + length(data_len)
            body_len = len(metric.header) + len(data_head) + data_len
            pieces.append(b"\x12" + length(body_len))  # ScopeMetrics.metrics
            pieces.append(metric.header)
            pieces.append(data_head)
            pieces.append(memoryview(metric.buf)[start:end])
            pieces.append(metric.trailer)
            scope_len += 1 + len(length(body_len)) + body_len
        scope_head = b"\x12" + length(scope_len)  # ResourceMetrics.scope_metrics
        resource_len = len(self._resource) + len(scope_head) + scope_len
        head = b"\x0a" + length(resource_len) + self._resource + scope_head + self._scope
        request = b"".join([head, *pieces])
        for piece in pieces:  # the buffers can be emptied (resized) again
            if isinstance(piece, memoryview):
                piece.release()
        return request


# -- aggregates --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _GroupCache:
    blob: bytes  # encoded attributes, customer included
    customer_id: str
    deps: tuple[Dependency, ...]


def raw_counts(agg: AggregateSpec, store: EntityStore) -> Counter[RawGroup]:
    """Entities per raw group (`AggregateSpec.raw_group`)."""
    raw_group = agg.raw_group
    return Counter(raw_group(entity.msg) for entity in store.snapshot(agg.source)[1])
