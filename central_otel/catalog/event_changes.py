"""Mapping functions of the events the entity store's state changes imply: client
connect/disconnect and device, interface, tunnel and uplink up/down.

A transition needs both ends reported (proto2 presence: an absent status is unknown,
not the declared UP), so an update without a status is never an event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from central_otel.catalog.attributes import radio_band, state_of
from central_otel.catalog.event_base import (
    Attributes,
    Context,
    Draft,
    Severity,
    device_attributes,
    enum_field,
    int_field,
    ip_field,
    label,
    mac_field,
    one_line,
    put,
    str_field,
)
from central_otel.decoding import present
from central_otel.normalize import essid_text, mac_semconv
from central_otel.proto import monitoring_pb2
from central_otel.state.store import Change

# -- clients --------------------------------------------------------------------------


def client(connected: bool) -> Callable[[Change, Context], Draft | None]:
    def build(change: Change, ctx: Context) -> Draft | None:
        if connected and (change.old is not None or change.new is None):
            return None
        if not connected and (change.new is not None or change.old is None):
            return None
        c: Any = change.new if connected else change.old  # a disconnect: the last known state
        wired = change.cls == "wired_client"
        raw = change.key[0] if change.key and isinstance(change.key[0], bytes) else b""
        mac = mac_field(c, "macaddr") or ((mac_semconv(raw) or raw.hex()) if raw else None)
        serial = str_field(c, "associated_device")
        attrs: Attributes = {}
        put(attrs, "aruba.client.mac", mac)
        put(attrs, "client.address", ip_field(c, "ip_address"))
        attrs["network.connection.type"] = "wired" if wired else "wifi"
        attrs.update(device_attributes(ctx, serial))
        ssid = ""
        if not wired and c.HasField("network"):
            ssid = essid_text(c.network)
            put(attrs, "aruba.wlan.ssid", ssid)
        if not wired and c.HasField("radio_mac") and ctx.lookup is not None:
            put(attrs, "aruba.radio.band", radio_band(ctx.lookup, bytes(c.radio_mac.addr)))
        if wired and c.HasField("interface_mac") and ctx.lookup is not None:
            key = (serial, bytes(c.interface_mac.addr))
            port = state_of(ctx.lookup, "interface", key, monitoring_pb2.Interface)
            if port is not None:
                put(attrs, "network.interface.name", str_field(port, "name"))
        vlan = int_field(c, "vlan")
        put(attrs, "aruba.vlan.id", str(vlan) if vlan is not None else None)
        put(attrs, "aruba.user.role", str_field(c, "user_role"))
        kind = "Wired" if wired else "Wireless"
        verb = "connected to" if connected else "disconnected from"
        body = f"{kind} client {mac or 'unknown'}"
        where = label(attrs)
        if where:
            body += f" {verb} {where}"
        else:
            body += " connected" if connected else " disconnected"
        if ssid:
            body += f" on SSID {ssid}"
        return Draft(Severity.INFO, one_line(body), attrs)

    return build


# -- up/down transitions ---------------------------------------------------------------

UP, DOWN = monitoring_pb2.UP, monitoring_pb2.DOWN


def _went(change: Change, status_field: str, to: int, *, first_sight: bool = False) -> Any:
    """The new message when the change moved `status_field` to `to`, else None. Both
    ends must be reported (an absent status is unknown, not the declared UP); a new
    entity counts only with `first_sight` and only when it arrives DOWN."""
    new = change.new
    if new is None or present(new, status_field) != to:
        return None
    if change.old is None:
        return new if first_sight and to == DOWN else None
    before = present(change.old, status_field)
    return new if before is not None and before != to else None


def _status_draft(to: int, subject: str, attrs: Attributes, detail: str = "") -> Draft:
    """``SUBJECT is up`` (INFO) or ``SUBJECT is down`` (WARN), then `detail`."""
    if to == UP:
        return Draft(Severity.INFO, one_line(f"{subject} is up{detail}"), attrs)
    return Draft(Severity.WARN, one_line(f"{subject} is down{detail}"), attrs)


_DEVICE_KINDS = {
    "Monitoring.Ap": "AP",
    "Monitoring.Switch": "Switch",
    "Monitoring.MobilityController": "Gateway",
}


def device_status(to: int) -> Callable[[Change, Context], Draft | None]:
    def build(change: Change, ctx: Context) -> Draft | None:
        m = _went(change, "status", to, first_sight=True)
        if m is None:
            return None
        serial = str(change.key[0])
        attrs = device_attributes(ctx, serial)
        if "host.name" not in attrs:
            put(attrs, "host.name", str_field(m, "name"))
        kind = _DEVICE_KINDS.get(m.DESCRIPTOR.full_name, "Device")
        name = str(attrs.get("host.name", ""))
        who = f"{kind} {name} ({serial})" if name else f"{kind} {serial}"
        return _status_draft(to, who, attrs)

    return build


def interface_status(to: int) -> Callable[[Change, Context], Draft | None]:
    def build(change: Change, ctx: Context) -> Draft | None:
        m = _went(change, "oper_state", to)
        if m is None:
            return None
        serial = str(change.key[0])
        raw = change.key[1] if isinstance(change.key[1], bytes) else b""
        attrs = device_attributes(ctx, serial)
        port_mac = (mac_semconv(raw) or raw.hex()) if raw else None
        put(attrs, "hw.network.physical_address", port_mac)
        name = str_field(m, "name")
        put(attrs, "network.interface.name", name)
        put(attrs, "aruba.interface.admin_state", enum_field(m, "admin_state"))
        reason = enum_field(m, "state_down_reason") if to == DOWN else None
        put(attrs, "aruba.interface.down_reason", reason)
        subject = f"Interface {name or port_mac or '?'}"
        device_label = label(attrs)
        if device_label:
            subject += f" on {device_label}"
        return _status_draft(to, subject, attrs, f" ({reason})" if reason else "")

    return build


def tunnel_status(to: int) -> Callable[[Change, Context], Draft | None]:
    def build(change: Change, ctx: Context) -> Draft | None:
        m = _went(change, "status", to)
        if m is None:
            return None
        swarm, tunnel_id = str(change.key[0]), str(change.key[1])
        peer = str_field(m, "peer_name")
        attrs: Attributes = {"aruba.swarm.id": swarm, "aruba.tunnel.id": tunnel_id}
        put(attrs, "aruba.tunnel.name", peer)
        put(attrs, "aruba.tunnel.index", enum_field(m, "index"))
        put(attrs, "network.peer.address", ip_field(m, "peer_tun_ip"))
        return _status_draft(to, f"Tunnel {peer or tunnel_id} of swarm {swarm}", attrs)

    return build


def uplink_status(to: int) -> Callable[[Change, Context], Draft | None]:
    def build(change: Change, ctx: Context) -> Draft | None:
        m = _went(change, "status", to)
        if m is None:
            return None
        serial, link = str(change.key[0]), str(change.key[1])
        attrs = device_attributes(ctx, serial)
        attrs["aruba.uplink.id"] = link
        name = str_field(m, "name")
        put(attrs, "aruba.uplink.name", name)
        return _status_draft(to, f"Uplink {name or link} of {label(attrs, serial)}", attrs)

    return build
