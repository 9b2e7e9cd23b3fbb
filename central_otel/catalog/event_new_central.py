"""Mapping functions of New Central's message-borne events: alerts, audit trail
records, locations, geofence crossings and RSSI reports.

They give the same events as their Classic counterparts (`event_messages`): the same
names and attributes, plus New Central's site (`aruba.site.id`, `aruba.site.name`)
where the payload has it. New Central sends text where Classic sends enums (an
alert's severity and state): the values are matched without regard to case, and an
unknown one is kept as an attribute and given the cautious severity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from central_otel.catalog.event_base import (
    Attributes,
    Context,
    Draft,
    Severity,
    device_attributes,
    known_device,
    label,
    one_line,
    put,
    snake,
)
from central_otel.new_central.decoding import timestamp_ns
from central_otel.normalize import epoch_to_ns, mac_semconv
from central_otel.proto.new_central import alert_pb2, audit_trail_pb2, geofence_pb2, location_pb2
from central_otel.proto.new_central import location_analytics_pb2 as rssi_pb2

_MAX_EXTRA = 32  # additional-detail pairs kept: bounds the attributes of one record
_SEVERITIES = {
    "critical": Severity.FATAL,
    "major": Severity.ERROR,
    "high": Severity.ERROR,
    "minor": Severity.WARN,
    "warning": Severity.WARN,
    "medium": Severity.WARN,
    "low": Severity.INFO,
    "normal": Severity.INFO,
    "info": Severity.INFO,
    "informational": Severity.INFO,
}
# The words New Central may use for an alert that ended (its values are not documented).
_CLOSED = frozenset({"close", "closed", "clear", "cleared", "resolve", "resolved", "inactive"})


def _mac(text: str) -> str | None:
    return (mac_semconv(text) or text) if text else None


def _site(attrs: Attributes, site_id: str, site_name: str) -> None:
    put(attrs, "aruba.site.id", site_id)
    put(attrs, "aruba.site.name", site_name)


# -- alert-events -> aruba.alert ---------------------------------------------------------


def alert(a: alert_pb2.AlertStreamingMessage, ctx: Context) -> Draft | None:
    if not a.ListFields():
        return None
    state = a.state.strip().lower()
    closed = state in _CLOSED or a.operation.strip().lower() in _CLOSED
    severity_text = a.severity.strip().lower()
    attrs: Attributes = {}
    put(attrs, "aruba.alert.id", a.alert_id.strip() or a.id.strip())
    put(attrs, "aruba.alert.type", a.name.strip())
    put(attrs, "aruba.alert.category", a.category.strip())
    attrs["aruba.alert.state"] = "closed" if closed else "open"
    put(attrs, "aruba.alert.severity", severity_text)
    put(attrs, "aruba.alert.priority", a.priority.strip() if a.HasField("priority") else "")
    serials = [s.strip() for s in a.impacted_entities.device_serial if s.strip()]
    if serials:
        attrs.update(device_attributes(ctx, serials[0]))
    _site(attrs, a.site_id.strip(), a.site_name.strip())
    pairs = [(k, v) for detail in a.additional_details for k, v in detail.entries.items()]
    for key, value in pairs[:_MAX_EXTRA]:
        name = snake(key)
        if name and value:
            attrs.setdefault(f"aruba.alert.extra.{name}", value)
    severity = Severity.INFO if closed else _SEVERITIES.get(severity_text, Severity.WARN)
    text = one_line(a.summary)
    if not text:
        text = a.name.strip() or "Alert"
        if label(attrs):
            text += f" on {label(attrs)}"
    body = f"Cleared: {text}" if closed else text
    when = timestamp_ns(a.time) if a.HasField("time") else None
    return Draft(severity, body, attrs, when)


# -- audit-trail-events -> aruba.audit ---------------------------------------------------


def audit(a: audit_trail_pb2.AuditTrail, ctx: Context) -> Draft | None:
    if not a.ListFields():
        return None
    target = a.destination_name.strip() or a.destination.strip()
    attrs: Attributes = {}
    put(attrs, "aruba.audit.service", a.service_name.strip())
    put(attrs, "aruba.audit.category", a.category.strip())
    put(attrs, "aruba.audit.action", a.action.strip())
    put(attrs, "aruba.audit.target", target)
    put(attrs, "client.address", a.ip_address.strip())
    put(attrs, "aruba.audit.detailed_data", one_line(a.additional_info))
    attrs.update(known_device(ctx, a.destination.strip()))
    body = one_line(a.description) or f"Audit record ({a.category.strip() or 'unknown'})"
    when = epoch_to_ns(a.occurred_on) if a.occurred_on > 0 else None
    return Draft(Severity.INFO, body, attrs, when)


# -- location, geofence, rssi-events (opt-in) --------------------------------------------


def location_items(m: location_pb2.StreamLocationMessage) -> Iterable[Any]:
    branch = m.WhichOneof("location_event")
    return (getattr(m, branch),) if branch else ()


def location(loc: Any, ctx: Context) -> Draft | None:
    if not loc.ListFields():
        return None
    tag = isinstance(loc, location_pb2.AssetTagLocation)
    mac = _mac(loc.device_mac if tag else loc.sta_eth_mac)
    attrs: Attributes = {}
    put(attrs, "aruba.location.mac", mac)
    attrs["aruba.location.target_type"] = "tag" if tag else "station"
    for name in ("x", "y"):
        if loc.HasField(name):
            attrs[f"aruba.location.{name}"] = getattr(loc, name)
    if loc.HasField("x") or loc.HasField("y"):
        attrs["aruba.location.unit"] = "meters"
    if not tag and loc.HasField("error_level"):
        attrs["aruba.location.error_level"] = loc.error_level
    if loc.HasField("latitude"):
        attrs["geo.location.lat"] = loc.latitude
    if loc.HasField("longitude"):
        attrs["geo.location.lon"] = loc.longitude
    put(attrs, "aruba.site.id", loc.site_id)
    put(attrs, "aruba.location.building.id", loc.building_id)
    put(attrs, "aruba.location.floor.id", loc.floor_id)
    if not tag and loc.HasField("associated"):
        attrs["aruba.location.associated"] = loc.associated
    put(
        attrs, "aruba.geofence.ids", ",".join(z.zone_id for z in loc.entered_zone_info if z.zone_id)
    )
    if tag:
        put(attrs, "aruba.location.tag.name", loc.name)
    who = f"{'Tag' if tag else 'Station'} {mac or 'unknown'}"
    body = who
    if loc.HasField("x") and loc.HasField("y"):
        body += f" at ({loc.x:g}, {loc.y:g}) meters"
    if loc.floor_id:
        body += f" on floor {loc.floor_id}"
    return Draft(Severity.INFO, one_line(body), attrs)


def geofence_items(m: geofence_pb2.StreamGeofenceMessage) -> Iterable[Any]:
    return (m.wifi_client_geofence,) if m.HasField("wifi_client_geofence") else ()


def geofence(direction: int, verb: str) -> Callable[[Any, Context], Draft | None]:
    def build(g: geofence_pb2.WifiClientGeofence, ctx: Context) -> Draft | None:
        if not g.HasField("event_type") or g.event_type != direction:
            return None
        mac = _mac(g.sta_eth_mac)
        attrs: Attributes = {}
        put(attrs, "aruba.geofence.id", g.zone_id)
        put(attrs, "aruba.location.mac", mac)
        put(attrs, "aruba.location.hashed_mac", g.hashed_sta_eth_mac)
        if g.HasField("dwell_time_in_seconds"):
            attrs["aruba.geofence.dwell_time"] = g.dwell_time_in_seconds
        body = (
            f"Station {mac or g.hashed_sta_eth_mac or 'unknown'} {verb} geofence {g.zone_id or '?'}"
        )
        return Draft(Severity.INFO, one_line(body), attrs)

    return build


def rssi_items(m: rssi_pb2.RssiEvent) -> Iterable[tuple[str, Any]]:
    return tuple(
        (kind, getattr(m, f"{kind}_rssi"))
        for kind in ("raw", "proximity")
        if m.HasField(f"{kind}_rssi")
    )


def rssi(item: tuple[str, rssi_pb2.ClientRssi], ctx: Context) -> Draft | None:
    kind, r = item
    if not r.ListFields():
        return None
    mac = _mac(r.client_mac)
    attrs: Attributes = {}
    put(attrs, "aruba.location.mac", mac)
    attrs["aruba.presence.rssi.kind"] = kind
    if r.HasField("rssi_val"):
        attrs["aruba.presence.rssi"] = r.rssi_val
    if r.HasField("associated"):
        attrs["aruba.location.associated"] = r.associated
    if r.HasField("noise_floor"):
        attrs["aruba.radio.noise_floor"] = r.noise_floor
    attrs.update(device_attributes(ctx, r.ap_serial))
    if "host.name" not in attrs:
        put(attrs, "host.name", r.ap_name)
    heard_by = label(attrs, r.ap_name)
    body = f"Station {mac or 'unknown'}"
    if heard_by:
        body += f" heard by {heard_by}"
    if r.HasField("rssi_val"):
        body += f" at {r.rssi_val} dBm"
    return Draft(Severity.INFO, one_line(body), attrs)
