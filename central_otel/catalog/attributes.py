"""Attributes of each entity class: identity (serial, name, MAC, IP) plus the
enrichment learned from state messages (radio band and channel, client SSID...),
and the device's context from Central's REST inventory (site, group, labels).

Device identity follows OpenTelemetry's host conventions: `host.id` = serial,
`host.name`, `host.mac` in `AA-BB-CC-DD-EE-FF` form, `host.ip`. The inventory's
name, model and type fill what the streams have not said (yet); its site, group
and labels go on everything of the device (radios, ports, clients...).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from google.protobuf.message import Message

from central_otel.normalize import (
    essid_text,
    ip_from_bytes,
    ip_from_int,
    mac_semconv,
    radio_band_name,
)
from central_otel.proto import monitoring_pb2
from central_otel.state.entities import CONTEXT_CLASS, INVENTORY_CLASS, Key
from central_otel.state.store import DeviceContext, DeviceInfo, Entity, EntityStore

AttributeValue = str | tuple[str, ...]
"""A string, or a string array (`aruba.device.labels`)."""
Attributes = dict[str, AttributeValue]
M = TypeVar("M", bound=Message)

_DEVICE_TYPES = {
    "Monitoring.Ap": "ap",
    "Monitoring.Switch": "switch",
    "Monitoring.MobilityController": "gateway",
}


class AttributeLookup(Protocol):
    """What attribute functions read: one customer's entities and device identities."""

    def get(self, cls: str, key: Key) -> Entity | None: ...

    def device(self, serial: str) -> Attributes:
        """Identity of the device with this serial, as far as its state is known, and
        where it is: its inventory context, its site (a new dict: callers add to it)."""
        ...


DEVICE_CLASSES = ("device", INVENTORY_CLASS)
"""The entity classes that make a serial a known device: its state message, its
inventory record."""


class StoreLookup:
    """An `AttributeLookup` over one store, with each device's identity derived once
    per device message (every radio, interface, VAP and client of a device asks for
    it; messages are replaced, never mutated, so the message's identity says whether
    the memo still holds).

    Whoever builds attributes owns its lookup (one per store), and with it the memo:
    the store keeps nothing for it.
    """

    __slots__ = ("_identities", "store")

    def __init__(self, store: EntityStore) -> None:
        self.store = store
        self._identities: dict[str, tuple[Any, Any, Attributes]] = {}

    def get(self, cls: str, key: Key) -> Entity | None:
        return self.store.get(cls, key)

    def device(self, serial: str) -> Attributes:
        return device_via(self, serial, self.get)

    def identity(self, serial: str, entity: Entity | None, inventory: Entity | None) -> Attributes:
        """`device`, given the device's entity and inventory record as looked up (None:
        unknown)."""
        info = inventory.msg if inventory is not None else None
        if entity is None and info is None:
            self._identities.pop(serial, None)
            return {"host.id": serial}
        # By identity of what the store holds (a packed message is parsed anew at
        # each read): the same until the store replaces or packs it.
        held = entity.held if entity is not None else None
        memo = self._identities.get(serial)
        if memo is None or memo[0] is not held or memo[1] is not info:
            msg = entity.msg if entity is not None else None
            attrs: Attributes = (
                device_identity(serial, msg) if msg is not None else {"host.id": serial}
            )
            if isinstance(info, DeviceInfo):
                add_inventory(attrs, info)
            memo = (held, info, attrs)
            self._identities[serial] = memo
        return dict(memo[2])


AttributeFn = Callable[[Key, Any, AttributeLookup], Attributes]


def _mac(m: Any, name: str) -> str | None:
    return mac_semconv(getattr(m, name).addr) if m.HasField(name) else None


def _ip(m: Any, name: str) -> str | None:
    return ip_from_bytes(getattr(m, name).addr) if m.HasField(name) else None


def customer_attributes(customer: str, customer_id: str) -> Attributes:
    """The attributes every series and record of a customer carries."""
    attrs: Attributes = {"aruba.customer.name": customer}
    if customer_id:
        attrs["aruba.customer.id"] = customer_id
    return attrs


def device_identity(serial: str, m: Any) -> Attributes:
    """A device's identity from its state message (Ap, Switch, MobilityController)."""
    attrs: Attributes = {"host.id": serial}
    if m.name:
        attrs["host.name"] = m.name
    mac = _mac(m, "macaddr")
    if mac:
        attrs["host.mac"] = mac
    ip = _ip(m, "ip_address")
    if ip:
        attrs["host.ip"] = ip
    if m.model:
        attrs["hw.model"] = m.model
    attrs["aruba.device.type"] = _DEVICE_TYPES.get(m.DESCRIPTOR.full_name, "device")
    return attrs


def with_context(attrs: Attributes, context: Entity | None) -> Attributes:
    """A device's `attrs` with where it is (its `CONTEXT_CLASS` entity, None: unknown)."""
    if context is not None and isinstance(context.msg, DeviceContext):
        attrs.update(device_context(context.msg))
    return attrs


def device_context(context: DeviceContext) -> Attributes:
    """Where a device is (`DeviceContext`: New Central's streams, an inventory)."""
    attrs: Attributes = {}
    if context.site_id:
        attrs["aruba.site.id"] = context.site_id
    if context.site_name:
        attrs["aruba.site.name"] = context.site_name
    return attrs


def add_inventory(attrs: Attributes, info: DeviceInfo) -> None:
    """A device's inventory context into its attributes: site (New Central: its id
    too), group and labels, and the name, model and type the streams have not said."""
    for name, value in (
        ("host.name", info.name),
        ("hw.model", info.model),
        ("aruba.device.type", info.device_type),
    ):
        if value and name not in attrs:
            attrs[name] = value
    if info.site_id:
        attrs["aruba.site.id"] = info.site_id
    if info.site:
        attrs["aruba.site.name"] = info.site
    if info.group:
        attrs["aruba.group.name"] = info.group
    if info.labels:
        attrs["aruba.device.labels"] = info.labels


CONTEXT_NAMES = ("aruba.site.id", "aruba.site.name", "aruba.group.name", "aruba.device.labels")
"""The attributes of where a device is: its site from New Central's streams
(`with_context`), its site, group and labels from the inventory (`add_inventory`)."""


def device_via(
    lookup: StoreLookup, serial: str, get: Callable[[str, Key], Entity | None]
) -> Attributes:
    """A device's attributes from its entities as `get` finds them (the lookup's own
    `get`, or one that records what was looked up): its identity and inventory context,
    then its site from the streams (fresher than the inventory's)."""
    attrs = lookup.identity(serial, get("device", (serial,)), get(INVENTORY_CLASS, (serial,)))
    return with_context(attrs, get(CONTEXT_CLASS, (serial,)))


def device_name(lookup: AttributeLookup, serial: str) -> Attributes:
    """A device's `host.id`, `host.name` and context (the keys aggregates group by: one
    value per device, so the context adds no group)."""
    if not serial:
        return {}
    identity = lookup.device(serial)
    return {k: identity[k] for k in ("host.id", "host.name", *CONTEXT_NAMES) if k in identity}


def state_of(lookup: AttributeLookup, cls: str, key: Key, kind: type[M]) -> M | None:
    """The state message of an entity of class `cls` (None: not known)."""
    entity = lookup.get(cls, key)
    msg = entity.msg if entity is not None else None
    return msg if isinstance(msg, kind) else None


def radio_band(lookup: AttributeLookup, radio_mac: bytes) -> str | None:
    """The band of a radio known by MAC, or None."""
    radio = state_of(lookup, "radio", (radio_mac,), monitoring_pb2.Radio)
    return _radio_band(radio) if radio is not None else None


def _radio_band(r: monitoring_pb2.Radio) -> str | None:
    """The band number in words, or the band the channel implies (docs/decoding.md)."""
    return radio_band_name(r.band if r.HasField("band") else None, r.channel)


def _by_device(key: Key, m: Any, lookup: AttributeLookup) -> Attributes:
    return lookup.device(key[0])


def _radio(lookup: AttributeLookup, radio_mac: bytes) -> Attributes:
    attrs: Attributes = {}
    mac = mac_semconv(radio_mac) if radio_mac else None
    if mac:
        attrs["hw.network.physical_address"] = mac
    r = state_of(lookup, "radio", (radio_mac,), monitoring_pb2.Radio)
    if r is not None:
        band = _radio_band(r)
        if band is not None:
            attrs["aruba.radio.band"] = band
        if r.channel:
            attrs["aruba.radio.channel"] = r.channel
        if r.HasField("channel_width"):
            attrs["aruba.radio.channel_width"] = str(r.channel_width)
    return attrs


def _radio_stats(key: Key, m: Any, lookup: AttributeLookup) -> Attributes:
    return {**lookup.device(key[0]), **_radio(lookup, key[1])}


def _interface(key: Key, m: Any, lookup: AttributeLookup) -> Attributes:
    attrs = lookup.device(key[0])
    if key[1]:
        attrs["hw.network.physical_address"] = mac_semconv(key[1]) or key[1].hex()
    state = state_of(lookup, "interface", (key[0], key[1]), monitoring_pb2.Interface)
    if state is not None and state.name:
        attrs["network.interface.name"] = state.name
    elif getattr(m, "name", ""):
        attrs["network.interface.name"] = m.name
    return attrs


def _vap(key: Key, m: Any, lookup: AttributeLookup) -> Attributes:
    attrs = {**lookup.device(key[0]), **_radio(lookup, key[1])}
    attrs["aruba.wlan.ssid"] = essid_text(key[2])
    return attrs


def _client(key: Key, m: Any, lookup: AttributeLookup) -> Attributes:
    attrs: Attributes = {"aruba.client.mac": mac_semconv(key[0]) or key[0].hex()}
    c = state_of(lookup, "wireless_client", key, monitoring_pb2.WirelessClient)
    ap = m.device_id or (c.associated_device if c is not None else "")
    if ap:
        attrs.update(lookup.device(ap))
    if c is not None:
        if c.network:
            attrs["aruba.wlan.ssid"] = essid_text(c.network)
        if c.HasField("radio_mac"):
            band = radio_band(lookup, bytes(c.radio_mac.addr))
            if band is not None:
                attrs["aruba.radio.band"] = band
    return attrs


def _tunnel(key: Key, m: Any, lookup: AttributeLookup) -> Attributes:
    attrs: Attributes = {"aruba.swarm.id": key[0], "aruba.tunnel.id": str(key[1])}
    name = getattr(m, "tunnel_name", "") or getattr(m, "peer_name", "")
    if name:
        attrs["aruba.tunnel.name"] = name
    return attrs


def _suffix(name: str, position: int, render: Callable[[Any], str | None] = str) -> AttributeFn:
    """Device identity plus one more key part as attribute `name`."""

    def attributes(key: Key, m: Any, lookup: AttributeLookup) -> Attributes:
        attrs = lookup.device(key[0])
        value = render(key[position])
        if value:
            attrs[name] = value
        return attrs

    return attributes


def _ipprobe(key: Key, m: Any, lookup: AttributeLookup) -> Attributes:
    attrs = lookup.device(key[0])
    attrs["aruba.tunnel.id"] = str(key[1])
    if m.tunnel_name:
        attrs["aruba.tunnel.name"] = m.tunnel_name
    probe = ip_from_bytes(key[2]) if key[2] else None
    if probe:
        attrs["aruba.probe.address"] = probe
    return attrs


def _uplink_probe(key: Key, m: Any, lookup: AttributeLookup) -> Attributes:
    attrs = lookup.device(key[0])
    attrs["aruba.uplink.id"] = str(key[1])
    probe = ip_from_int(key[2]) if key[2] else None
    if probe:
        attrs["aruba.probe.address"] = probe
    return attrs


def _presence(key: Key, m: Any, lookup: AttributeLookup) -> Attributes:
    return lookup.device(key[0])


# Every series also carries the customer it belongs to.
CUSTOMER_NAMES = ("aruba.customer.id", "aruba.customer.name")

DEVICE_NAMES = (
    "host.id",
    "host.name",
    "host.mac",
    "host.ip",
    "hw.model",
    "aruba.device.type",
    *CONTEXT_NAMES,
)
"""The attributes `AttributeLookup.device` gives: a device's identity and where it is."""

DEVICE_LEVEL_NAMES = frozenset((*CUSTOMER_NAMES, *DEVICE_NAMES))
"""Attributes of the customer and of a device, not of the entity itself: the same
values on the series of every entity of a device (its radios, ports, VAPs...), which
name the customer first and then, most of them, the device."""

# Attribute function per entity class, and the attribute names it may set (for docs).
_RADIO_NAMES = (
    "hw.network.physical_address",
    "aruba.radio.band",
    "aruba.radio.channel",
    "aruba.radio.channel_width",
)
SOURCES: dict[str, tuple[AttributeFn, tuple[str, ...]]] = {
    "device": (_by_device, DEVICE_NAMES),
    "device_stats": (_by_device, DEVICE_NAMES),
    "modem_stats": (_by_device, DEVICE_NAMES),
    "radio_stats": (_radio_stats, DEVICE_NAMES + _RADIO_NAMES),
    "interface": (
        _interface,
        (*DEVICE_NAMES, "hw.network.physical_address", "network.interface.name"),
    ),
    "interface_stats": (
        _interface,
        (*DEVICE_NAMES, "hw.network.physical_address", "network.interface.name"),
    ),
    "vap_stats": (_vap, (*DEVICE_NAMES, *_RADIO_NAMES, "aruba.wlan.ssid")),
    "client_stats": (
        _client,
        ("aruba.client.mac", *DEVICE_NAMES, "aruba.wlan.ssid", "aruba.radio.band"),
    ),
    "tunnel": (_tunnel, ("aruba.swarm.id", "aruba.tunnel.id", "aruba.tunnel.name")),
    "tunnel_stats": (_tunnel, ("aruba.swarm.id", "aruba.tunnel.id", "aruba.tunnel.name")),
    "role_stats": (_suffix("aruba.user.role", 1), (*DEVICE_NAMES, "aruba.user.role")),
    "vlan_stats": (_suffix("aruba.vlan.id", 1), (*DEVICE_NAMES, "aruba.vlan.id")),
    "ssid_stats": (_suffix("aruba.wlan.ssid", 1, essid_text), (*DEVICE_NAMES, "aruba.wlan.ssid")),
    "ipprobe_stats": (
        _ipprobe,
        (*DEVICE_NAMES, "aruba.tunnel.id", "aruba.tunnel.name", "aruba.probe.address"),
    ),
    "uplink": (_suffix("aruba.uplink.id", 1), (*DEVICE_NAMES, "aruba.uplink.id")),
    "uplink_stats": (_suffix("aruba.uplink.id", 1), (*DEVICE_NAMES, "aruba.uplink.id")),
    "uplink_wan_stats": (_suffix("aruba.uplink.id", 1), (*DEVICE_NAMES, "aruba.uplink.id")),
    "uplink_probe_stats": (
        _uplink_probe,
        (*DEVICE_NAMES, "aruba.uplink.id", "aruba.probe.address"),
    ),
    "uplink_speedtest": (
        _suffix("server.address", 1, lambda raw: ip_from_bytes(raw) if raw else None),
        (*DEVICE_NAMES, "server.address"),
    ),
    "presence_ap": (_presence, DEVICE_NAMES),
}
