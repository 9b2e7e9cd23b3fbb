"""Reads the stores through the catalogue: the data points of each metric, now.

Called at collection time (on the SDK's export thread). Attribute sets are built
once per entity and cached until the store's state changes, so a collection
mostly reads values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from central_otel.catalog.attributes import SOURCES, Attributes, device
from central_otel.catalog.metrics import AGGREGATES, METRICS, AggregateSpec, MetricSpec
from central_otel.normalize import essid_text
from central_otel.state.entities import Key
from central_otel.state.store import Entity, EntityStore

Point = tuple[float, Mapping[str, str]]


@dataclass(frozen=True, slots=True)
class MetricOptions:
    per_client: bool = False
    disabled: frozenset[str] = field(default_factory=frozenset)


def enabled_metrics(options: MetricOptions) -> list[MetricSpec]:
    return [
        spec
        for spec in METRICS
        if spec.enabled_by_default
        and spec.name not in options.disabled
        and (options.per_client or not spec.per_client)
    ]


def enabled_aggregates(options: MetricOptions) -> list[AggregateSpec]:
    return [
        spec for spec in AGGREGATES if spec.enabled_by_default and spec.name not in options.disabled
    ]


def _customer(store: EntityStore) -> Attributes:
    attrs = {"aruba.customer.name": store.customer}
    if store.customer_id:
        attrs["aruba.customer.id"] = store.customer_id
    return attrs


def _base_attributes(source: str, key: Key, entity: Entity, store: EntityStore) -> Attributes:
    if entity.cache_version != store.version or entity.cache is None:
        attributes_fn = SOURCES[source][0]
        entity.cache = {**_customer(store), **attributes_fn(key, entity.msg, store)}
        entity.cache_version = store.version
    cached: Attributes = entity.cache
    return cached


def collect_metric(spec: MetricSpec, stores: Iterable[EntityStore]) -> list[Point]:
    points: list[Point] = []
    for store in stores:
        for key, entity in store.items(spec.source):
            msg = entity.msg
            base: Attributes | None = None
            for series in spec.series:
                value = series.value(msg)
                if value is None:
                    continue
                if series.counter_field and entity.offsets:
                    value += entity.offsets.get(series.counter_field, 0)
                if base is None:
                    base = _base_attributes(spec.source, key, entity, store)
                points.append(
                    (float(value), {**base, **series.attributes} if series.attributes else base)
                )
    return points


def collect_aggregate(spec: AggregateSpec, stores: Iterable[EntityStore]) -> list[Point]:
    points: list[Point] = []
    for store in stores:
        counts: Counter[tuple[tuple[str, str], ...]] = Counter()
        for key, entity in store.items(spec.source):
            counts[tuple(sorted(_group(spec.source, key, entity.msg, store).items()))] += 1
        customer = _customer(store)
        points.extend((float(n), {**customer, **dict(group)}) for group, n in counts.items())
    return points


def _group(source: str, key: Key, msg: Any, store: EntityStore) -> Attributes:
    if source == "wireless_client":
        attrs = _device_name(store, msg.associated_device)
        if msg.network:
            attrs["aruba.wlan.ssid"] = essid_text(msg.network)
        if msg.HasField("radio_mac"):
            radio = store.get("radio", (bytes(msg.radio_mac.addr),))
            if radio is not None and radio.msg.HasField("band"):
                attrs["aruba.radio.band"] = str(radio.msg.band)
        attrs["network.connection.type"] = "wifi"
        return attrs
    attrs = _device_name(store, msg.associated_device)
    if msg.HasField("vlan"):
        attrs["aruba.vlan.id"] = str(msg.vlan)
    attrs["network.connection.type"] = "wired"
    return attrs


def _device_name(store: EntityStore, serial: str) -> Attributes:
    if not serial:
        return {}
    identity = device(store, serial)
    return {k: identity[k] for k in ("host.id", "host.name") if k in identity}
