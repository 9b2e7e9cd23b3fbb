"""Attributes of each entity class: identity (serial, name, MAC, IP) plus the
enrichment learned from state messages (radio band and channel, client SSID...).

Device identity follows OpenTelemetry's host conventions: `host.id` = serial,
`host.name`, `host.mac` in `AA-BB-CC-DD-EE-FF` form, `host.ip`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from central_otel.normalize import essid_text, ip_from_bytes, ip_from_int, mac_semconv
from central_otel.state.entities import Key
from central_otel.state.store import EntityStore

Attributes = dict[str, str]
AttributeFn = Callable[[Key, Any, EntityStore], Attributes]

_DEVICE_TYPES = {
    "Monitoring.Ap": "ap",
    "Monitoring.Switch": "switch",
    "Monitoring.MobilityController": "gateway",
}


def _mac(m: Any, name: str) -> str | None:
    return mac_semconv(getattr(m, name).addr) if m.HasField(name) else None


def _ip(m: Any, name: str) -> str | None:
    return ip_from_bytes(getattr(m, name).addr) if m.HasField(name) else None


def device(store: EntityStore, serial: str) -> Attributes:
    """Identity of the device with this serial, as far as its state is known (a new
    dict: callers add to it)."""
    entity = store.get("device", (serial,))
    if entity is None:
        return {"host.id": serial}
    # Every radio, interface, VAP and client of the device asks for this: computed
    # once per device message (Entity.derived), copied for each.
    m = entity.msg
    derived = entity.derived
    if derived is not None and derived[0] is m:
        return dict(derived[1])
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
    entity.derived = (m, attrs)
    return dict(attrs)


def _by_device(key: Key, m: Any, store: EntityStore) -> Attributes:
    return device(store, key[0])


def _radio(store: EntityStore, radio_mac: bytes) -> Attributes:
    attrs: Attributes = {}
    mac = mac_semconv(radio_mac) if radio_mac else None
    if mac:
        attrs["hw.network.physical_address"] = mac
    entity = store.get("radio", (radio_mac,))
    if entity is not None:
        r = entity.msg
        if r.HasField("band"):
            attrs["aruba.radio.band"] = str(r.band)
        if r.channel:
            attrs["aruba.radio.channel"] = r.channel
        if r.HasField("channel_width"):
            attrs["aruba.radio.channel_width"] = str(r.channel_width)
    return attrs


def _radio_stats(key: Key, m: Any, store: EntityStore) -> Attributes:
    return {**device(store, key[0]), **_radio(store, key[1])}


def _interface(key: Key, m: Any, store: EntityStore) -> Attributes:
    attrs = device(store, key[0])
    if key[1]:
        attrs["hw.network.physical_address"] = mac_semconv(key[1]) or key[1].hex()
    state = store.get("interface", (key[0], key[1]))
    if state is not None and state.msg.name:
        attrs["network.interface.name"] = state.msg.name
    elif getattr(m, "name", ""):
        attrs["network.interface.name"] = m.name
    return attrs


def _vap(key: Key, m: Any, store: EntityStore) -> Attributes:
    attrs = {**device(store, key[0]), **_radio(store, key[1])}
    attrs["aruba.wlan.ssid"] = essid_text(key[2])
    return attrs


def _client(key: Key, m: Any, store: EntityStore) -> Attributes:
    attrs: Attributes = {"aruba.client.mac": mac_semconv(key[0]) or key[0].hex()}
    state = store.get("wireless_client", key)
    ap = m.device_id or (state.msg.associated_device if state is not None else "")
    if ap:
        attrs.update(device(store, ap))
    if state is not None:
        c = state.msg
        if c.network:
            attrs["aruba.wlan.ssid"] = essid_text(c.network)
        if c.HasField("radio_mac"):
            band = _radio(store, bytes(c.radio_mac.addr)).get("aruba.radio.band")
            if band:
                attrs["aruba.radio.band"] = band
    return attrs


def _tunnel(key: Key, m: Any, store: EntityStore) -> Attributes:
    attrs: Attributes = {"aruba.swarm.id": key[0], "aruba.tunnel.id": str(key[1])}
    name = getattr(m, "tunnel_name", "") or getattr(m, "peer_name", "")
    if name:
        attrs["aruba.tunnel.name"] = name
    return attrs


def _suffix(name: str, position: int, render: Callable[[Any], str | None] = str) -> AttributeFn:
    """Device identity plus one more key part as attribute `name`."""

    def attributes(key: Key, m: Any, store: EntityStore) -> Attributes:
        attrs = device(store, key[0])
        value = render(key[position])
        if value:
            attrs[name] = value
        return attrs

    return attributes


def _ipprobe(key: Key, m: Any, store: EntityStore) -> Attributes:
    attrs = device(store, key[0])
    attrs["aruba.tunnel.id"] = str(key[1])
    if m.tunnel_name:
        attrs["aruba.tunnel.name"] = m.tunnel_name
    probe = ip_from_bytes(key[2]) if key[2] else None
    if probe:
        attrs["aruba.probe.address"] = probe
    return attrs


def _uplink_probe(key: Key, m: Any, store: EntityStore) -> Attributes:
    attrs = device(store, key[0])
    attrs["aruba.uplink.id"] = str(key[1])
    probe = ip_from_int(key[2]) if key[2] else None
    if probe:
        attrs["aruba.probe.address"] = probe
    return attrs


def _presence(key: Key, m: Any, store: EntityStore) -> Attributes:
    return device(store, key[0])


# Attribute function per entity class, and the attribute names it may set (for docs).
_DEVICE_NAMES = ("host.id", "host.name", "host.mac", "host.ip", "hw.model", "aruba.device.type")
_RADIO_NAMES = (
    "hw.network.physical_address",
    "aruba.radio.band",
    "aruba.radio.channel",
    "aruba.radio.channel_width",
)
SOURCES: dict[str, tuple[AttributeFn, tuple[str, ...]]] = {
    "device": (_by_device, _DEVICE_NAMES),
    "device_stats": (_by_device, _DEVICE_NAMES),
    "modem_stats": (_by_device, _DEVICE_NAMES),
    "radio_stats": (_radio_stats, _DEVICE_NAMES + _RADIO_NAMES),
    "interface": (
        _interface,
        (*_DEVICE_NAMES, "hw.network.physical_address", "network.interface.name"),
    ),
    "interface_stats": (
        _interface,
        (*_DEVICE_NAMES, "hw.network.physical_address", "network.interface.name"),
    ),
    "vap_stats": (_vap, (*_DEVICE_NAMES, *_RADIO_NAMES, "aruba.wlan.ssid")),
    "client_stats": (
        _client,
        ("aruba.client.mac", *_DEVICE_NAMES, "aruba.wlan.ssid", "aruba.radio.band"),
    ),
    "tunnel": (_tunnel, ("aruba.swarm.id", "aruba.tunnel.id", "aruba.tunnel.name")),
    "tunnel_stats": (_tunnel, ("aruba.swarm.id", "aruba.tunnel.id", "aruba.tunnel.name")),
    "role_stats": (_suffix("aruba.user.role", 1), (*_DEVICE_NAMES, "aruba.user.role")),
    "vlan_stats": (_suffix("aruba.vlan.id", 1), (*_DEVICE_NAMES, "aruba.vlan.id")),
    "ssid_stats": (_suffix("aruba.wlan.ssid", 1, essid_text), (*_DEVICE_NAMES, "aruba.wlan.ssid")),
    "ipprobe_stats": (
        _ipprobe,
        (*_DEVICE_NAMES, "aruba.tunnel.id", "aruba.tunnel.name", "aruba.probe.address"),
    ),
    "uplink": (_suffix("aruba.uplink.id", 1), (*_DEVICE_NAMES, "aruba.uplink.id")),
    "uplink_stats": (_suffix("aruba.uplink.id", 1), (*_DEVICE_NAMES, "aruba.uplink.id")),
    "uplink_wan_stats": (_suffix("aruba.uplink.id", 1), (*_DEVICE_NAMES, "aruba.uplink.id")),
    "uplink_probe_stats": (
        _uplink_probe,
        (*_DEVICE_NAMES, "aruba.uplink.id", "aruba.probe.address"),
    ),
    "uplink_speedtest": (
        _suffix("server.address", 1, lambda raw: ip_from_bytes(raw) if raw else None),
        (*_DEVICE_NAMES, "server.address"),
    ),
    "presence_ap": (_presence, _DEVICE_NAMES),
}

# Every series also carries the customer it belongs to.
CUSTOMER_NAMES = ("aruba.customer.id", "aruba.customer.name")
