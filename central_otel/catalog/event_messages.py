"""Mapping functions of the message-borne events: alerts, WIDS and rogue detections,
audit records, location fixes, geofence crossings and application sessions.

Each takes one message (and the mapping context) and returns a `Draft`, or None
when the message is empty or is not this event (a DELETE, the other geofence
direction). The catalogue (`central_otel.catalog.events`) adds name and customer.
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
    enum_field,
    float_field,
    int_field,
    ip_field,
    known_device,
    label,
    mac_field,
    one_line,
    parse_time,
    put,
    snake,
    str_field,
    time_field,
)
from central_otel.decoding import present
from central_otel.normalize import essid_text, mac_semconv, radio_band_text
from central_otel.proto import apprf_pb2, audit_pb2, location_pb2, monitoring_pb2, security_pb2

# -- monitoring: Notification -> aruba.alert -----------------------------------------

_NOTE = monitoring_pb2.Notification
_MAX_EXTRA = 32  # alert `extra` pairs kept: bounds the attributes of one record
_ALERT_SEVERITY = {
    _NOTE.Normal: Severity.INFO,
    _NOTE.Warning: Severity.WARN,
    _NOTE.Minor: Severity.WARN,
    _NOTE.Major: Severity.ERROR,
    _NOTE.Critical: Severity.FATAL,
}


def alert(n: monitoring_pb2.Notification, ctx: Context) -> Draft | None:
    if not n.ListFields():
        return None
    # Only an explicit Close closes: an alert published without a state is open.
    closed = present(n, "state") == _NOTE.Close
    attrs: Attributes = {}
    put(attrs, "aruba.alert.id", str_field(n, "id"))
    put(attrs, "aruba.alert.type", str_field(n, "type"))
    put(attrs, "aruba.alert.setting_id", str_field(n, "setting_id"))
    attrs["aruba.alert.state"] = "closed" if closed else "open"
    put(attrs, "aruba.alert.severity", enum_field(n, "severity"))
    attrs.update(device_attributes(ctx, str_field(n, "device_id")))
    for pair in n.extra[:_MAX_EXTRA]:
        key = snake(str_field(pair, "key"))
        if key and pair.HasField("value"):
            attrs.setdefault(f"aruba.alert.extra.{key}", pair.value)
    # A close is good news: INFO whatever the alert's severity (kept as an attribute),
    # so that rules on severity >= ERROR do not fire on the all-clear.
    severity = (
        Severity.INFO if closed else _ALERT_SEVERITY.get(present(n, "severity"), Severity.WARN)
    )
    text = one_line(str_field(n, "description"))
    if not text:  # no description: say what and where
        text = str_field(n, "type") or "Alert"
        if label(attrs):
            text += f" on {label(attrs)}"
    body = f"Cleared: {text}" if closed else text
    return Draft(severity, body, attrs, time_field(n, "timestamp"))


# -- WIDS: monitoring WIDSEvent, security idsEvent -> aruba.wids.event ---------------

_LEVELS = {
    "critical": Severity.FATAL,
    "high": Severity.ERROR,
    "major": Severity.ERROR,
    "medium": Severity.WARN,
    "minor": Severity.WARN,
    "warning": Severity.WARN,
    "low": Severity.INFO,
    "info": Severity.INFO,
    "informational": Severity.INFO,
    "normal": Severity.INFO,
}


def _wids_body(head: str, mac: str | None, reporter: str) -> str:
    body = head
    if mac:
        body += f", MAC {mac}"
    if reporter:
        body += f", reported by {reporter}"
    return body


def _wids_head(category: str | None, attack: str | None) -> str:
    kind = f"WIDS {category.replace('_', ' ')}" if category else "WIDS event"
    return f"{kind}: {attack}" if attack else kind


def wids_monitoring(w: monitoring_pb2.WIDSEvent, ctx: Context) -> Draft | None:
    if not w.ListFields() or present(w, "action") == monitoring_pb2.DELETE:
        return None  # a DELETE withdraws a detection; it is not a new one
    category = enum_field(w, "event_type")
    attack = enum_field(w, "attack_type", lower=False)  # Aruba's identifier, as documented
    detected = str_field(w, "detected_ap")
    attrs: Attributes = {}
    put(attrs, "security_rule.name", attack)
    put(attrs, "security_rule.category", category)
    put(attrs, "aruba.wids.mac", mac_field(w, "macaddr"))
    put(attrs, "aruba.wids.detected_ap", detected)
    put(attrs, "aruba.radio.channel", str_field(w, "channel"))
    if w.HasField("network"):
        put(attrs, "aruba.wlan.ssid", essid_text(w.network))
    attrs.update(known_device(ctx, detected))
    # No level in this message: interference is informational, the rest suspect.
    severity = Severity.INFO if category == "interfering" else Severity.WARN
    body = _wids_body(_wids_head(category, attack), mac_field(w, "macaddr"), label(attrs, detected))
    return Draft(severity, body, attrs)


def wids_security(w: security_pb2.WIDSEvent, ctx: Context) -> Draft | None:
    if not w.ListFields():
        return None
    category = snake(str_field(w, "event_type")) or None
    attack = str_field(w, "attack_type") or None
    description = str_field(w, "description")
    level = str_field(w, "level").lower()
    detected = str_field(w, "detected_ap")
    attrs: Attributes = {}
    put(attrs, "security_rule.name", attack)
    put(attrs, "security_rule.category", category)
    put(attrs, "security_rule.description", description)
    put(attrs, "aruba.wids.level", level)
    put(attrs, "aruba.wids.event_number", int_field(w, "event_number"))
    put(attrs, "aruba.wids.mac", mac_field(w, "mac_addr"))
    put(attrs, "aruba.wids.detected_ap", detected)
    put(attrs, "aruba.radio.band", radio_band_text(str_field(w, "radio_band")))
    attrs.update(device_attributes(ctx, str_field(w, "device_id")))
    head = one_line(description) or _wids_head(category, attack)
    body = _wids_body(head, mac_field(w, "mac_addr"), label(attrs, detected))
    return Draft(_LEVELS.get(level, Severity.WARN), body, attrs)


# -- rogues: monitoring RogueEvent, security rogue -> aruba.rogue.detected -----------


def _rogue_body(mac: str | None, ssid: str, reporter: str) -> str:
    body = f"Rogue AP {mac}" if mac else "Rogue AP"
    if ssid:
        body += f" (SSID {one_line(ssid)})"
    if reporter:
        body += f" detected by {reporter}"
    return body


def rogue_monitoring(r: monitoring_pb2.RogueEvent, ctx: Context) -> Draft | None:
    if not r.ListFields() or present(r, "action") == monitoring_pb2.DELETE:
        return None
    detected = str_field(r, "detected_ap")
    ssid = essid_text(r.network) if r.HasField("network") else ""
    channel = int_field(r, "channel")
    attrs: Attributes = {"security_rule.category": "rogue"}
    put(attrs, "aruba.rogue.mac", mac_field(r, "macaddr"))
    put(attrs, "aruba.rogue.ssid", ssid)
    put(attrs, "aruba.radio.channel", str(channel) if channel is not None else None)
    put(attrs, "aruba.rogue.encryption", enum_field(r, "encr_type", "WMS_SNMP_WPA_ENCR_"))
    if r.HasField("am_rogue"):
        am = r.am_rogue
        put(attrs, "aruba.rogue.match_type", enum_field(am, "match_type", "RAP_MT_"))
        put(attrs, "aruba.rogue.match_mac", mac_field(am, "match_mac"))
        put(attrs, "aruba.rogue.monitor_name", str_field(am, "monitor_name"))
    put(attrs, "aruba.rogue.detected_by", detected)
    attrs.update(known_device(ctx, detected))
    body = _rogue_body(mac_field(r, "macaddr"), ssid, label(attrs, detected))
    return Draft(Severity.WARN, body, attrs)


def rogue_security(r: security_pb2.RogueEvent, ctx: Context) -> Draft | None:
    if not r.ListFields():
        return None
    detected = str_field(r, "last_det_device") or str_field(r, "first_det_device")
    lan_mac = str_field(r, "lan_mac")
    attrs: Attributes = {"security_rule.category": "rogue"}
    put(attrs, "aruba.rogue.mac", mac_field(r, "rogue_id"))
    put(attrs, "aruba.rogue.ssid", str_field(r, "ssid"))
    put(attrs, "aruba.rogue.name", str_field(r, "rogue_name"))
    put(attrs, "aruba.rogue.classification", int_field(r, "classification"))
    put(attrs, "aruba.rogue.containment_status", str_field(r, "containment_status"))
    put(attrs, "aruba.rogue.vendor", str_field(r, "mac_vendor"))
    put(attrs, "aruba.rogue.lan_mac", (mac_semconv(lan_mac) or lan_mac) if lan_mac else None)
    # The number's meaning is undocumented here: not folded into `aruba.rogue.encryption`.
    put(attrs, "aruba.rogue.encryption_code", int_field(r, "encryption"))
    put(attrs, "aruba.rogue.port", str_field(r, "port"))
    put(attrs, "aruba.rogue.first_seen", str_field(r, "first_seen"))
    put(attrs, "aruba.rogue.detected_by", detected)
    attrs.update(known_device(ctx, detected))
    body = _rogue_body(mac_field(r, "rogue_id"), str_field(r, "ssid"), label(attrs, detected))
    when = parse_time(str_field(r, "last_seen")) or parse_time(str_field(r, "first_seen"))
    return Draft(Severity.WARN, body, attrs, when)


# -- audit: audit_message -> aruba.audit ---------------------------------------------

_AUDIT_INFO = {
    audit_pb2.CONFIGURATION: "config_info",
    audit_pb2.FIRMWARE: "firmware_info",
    audit_pb2.DEVICE_MGMT: "dm_info",
}


def audit(a: audit_pb2.audit_message, ctx: Context) -> Draft | None:
    if not a.ListFields():
        return None
    service = enum_field(a, "service")
    # The info block of the record's service; any present one when they disagree.
    names = [_AUDIT_INFO.get(present(a, "service"), ""), *_AUDIT_INFO.values()]
    info = next((getattr(a, n) for n in names if n and a.HasField(n)), None)
    data = str_field(info, "data") if info is not None else ""
    detail = str_field(info, "detailed_data") if info is not None else ""
    target = str_field(a, "target")
    user = str_field(a, "username")
    attrs: Attributes = {}
    put(attrs, "aruba.audit.service", service)
    put(attrs, "aruba.audit.group", str_field(a, "group_name"))
    put(attrs, "aruba.audit.target", target)
    put(attrs, "client.address", ip_field(a, "client_ip"))
    put(attrs, "user.name", user)
    put(attrs, "aruba.audit.detailed_data", detail)
    attrs.update(known_device(ctx, target))  # the target may be a device serial
    body = one_line(data) or f"Audit record ({service or 'unknown service'})"
    return Draft(Severity.INFO, body, attrs, time_field(a, "timestamp"))


# -- location: stream_location, stream_geofence_notify (opt-in) -----------------------


def _float32(value: float | None) -> float | None:
    """A float32 field without its binary noise (12.3, not 12.300000190734863)."""
    return float(f"{value:.7g}") if value is not None else None


def location(loc: location_pb2.stream_location, ctx: Context) -> Draft | None:
    if not loc.ListFields():
        return None
    mac = mac_field(loc, "sta_eth_mac")
    hashed = str_field(loc, "hashed_sta_eth_mac")
    target = enum_field(loc, "target_type", "TARGET_TYPE_")
    x = _float32(float_field(loc, "sta_location_x"))
    y = _float32(float_field(loc, "sta_location_y"))
    unit = enum_field(loc, "unit")
    floor = str_field(loc, "floor_id_string")
    attrs: Attributes = {}
    put(attrs, "aruba.location.mac", mac)
    put(attrs, "aruba.location.hashed_mac", hashed)
    put(attrs, "aruba.location.target_type", target)
    put(attrs, "aruba.location.x", x)
    put(attrs, "aruba.location.y", y)
    put(attrs, "aruba.location.unit", unit)
    put(attrs, "aruba.location.error_level", int_field(loc, "error_level"))
    put(attrs, "aruba.location.error_code", enum_field(loc, "err_code", "ERROR_CODE_"))
    put(attrs, "aruba.location.algorithm", enum_field(loc, "loc_algorithm", "ALGORITHM_"))
    put(attrs, "geo.location.lat", float_field(loc, "latitude"))
    put(attrs, "geo.location.lon", float_field(loc, "longitude"))
    put(attrs, "aruba.location.altitude", float_field(loc, "altitude"))
    put(attrs, "aruba.location.campus.id", str_field(loc, "campus_id_string"))
    put(attrs, "aruba.location.building.id", str_field(loc, "building_id_string"))
    put(attrs, "aruba.location.floor.id", floor)
    put(attrs, "aruba.location.associated", present(loc, "associated"))
    put(attrs, "aruba.geofence.ids", ",".join(i for i in loc.geofence_ids if i))
    times = [t for t in (time_field(r, "timestamp") for r in loc.records) if t is not None]
    who = f"{(target or 'target').capitalize()} {mac or hashed or 'unknown'}"
    body = who
    if x is not None and y is not None:
        body += f" at ({x:g}, {y:g})" + (f" {unit}" if unit else "")
    if floor:
        body += f" on floor {floor}"
    return Draft(Severity.INFO, one_line(body), attrs, max(times) if times else None)


def geofence(direction: int, verb: str) -> Callable[[Any, Context], Draft | None]:
    def build(g: location_pb2.stream_geofence_notify, ctx: Context) -> Draft | None:
        # An absent geofence_event leaves the direction unknown: no record.
        if present(g, "geofence_event") != direction:
            return None
        mac = mac_field(g, "sta_eth_mac")
        hashed = str_field(g, "hashed_sta_eth_mac")
        zone_id = bytes(g.geofence_id).hex() if g.HasField("geofence_id") else ""
        name = str_field(g, "geofence_name")
        attrs: Attributes = {}
        put(attrs, "aruba.geofence.id", zone_id)
        put(attrs, "aruba.geofence.name", name)
        put(attrs, "aruba.location.mac", mac)
        put(attrs, "aruba.location.hashed_mac", hashed)
        put(attrs, "aruba.location.associated", present(g, "associated"))
        put(attrs, "aruba.geofence.dwell_time", int_field(g, "dwell_time"))
        body = f"Station {mac or hashed or 'unknown'} {verb} geofence {name or zone_id or '?'}"
        return Draft(Severity.INFO, one_line(body), attrs)

    return build


# -- apprf: client_firewall_session (opt-in) -----------------------------------------

_TRANSPORTS = {6: "tcp", 17: "udp"}


def apprf_sessions(a: apprf_pb2.apprf_session) -> Iterable[tuple[Any, Any]]:
    return ((a, session) for session in a.client_firewall_session)


def apprf_session(pair: tuple[apprf_pb2.apprf_session, Any], ctx: Context) -> Draft | None:
    parent, s = pair
    if not s.ListFields():
        return None
    app = str_field(s, "app_name")
    category = str_field(s, "app_cat")
    tx, rx = int_field(s, "tx_bytes"), int_field(s, "rx_bytes")
    proto = int_field(s, "ip_proto")
    attrs: Attributes = {}
    attrs.update(device_attributes(ctx, str_field(parent, "serial_number")))
    if "host.name" not in attrs:
        put(attrs, "host.name", str_field(parent, "ap_name"))
    put(attrs, "aruba.client.mac", mac_field(s, "client_mac"))
    put(attrs, "client.address", ip_field(s, "client_ip"))
    put(attrs, "destination.address", ip_field(s, "dest_ip"))
    put(attrs, "destination.port", int_field(s, "dest_port"))
    put(attrs, "network.transport", _TRANSPORTS.get(proto) if proto is not None else None)
    put(attrs, "aruba.ip.protocol", proto)
    put(attrs, "aruba.app.name", app)
    put(attrs, "aruba.app.id", int_field(s, "app_id"))
    put(attrs, "aruba.app.category", category)
    put(attrs, "aruba.web.category", str_field(s, "web_cat"))
    put(attrs, "aruba.web.reputation", str_field(s, "web_rep"))
    put(attrs, "aruba.apprf.domain", str_field(s, "domain"))
    put(attrs, "aruba.apprf.enforcement", enum_field(s, "session_flags", "ENF_"))
    put(attrs, "aruba.apprf.ingress", enum_field(s, "ingress_type", "INGRESS_"))
    put(attrs, "aruba.wlan.ssid", str_field(s, "ssid"))
    put(attrs, "aruba.vlan.id", str_field(s, "vlan"))
    put(attrs, "aruba.uplink.name", str_field(s, "uplink_name"))
    put(attrs, "user.name", str_field(s, "user_name"))
    put(attrs, "aruba.user.role", str_field(s, "user_role"))
    put(attrs, "aruba.client.device_type", str_field(s, "device_type"))
    put(attrs, "aruba.apprf.tx_bytes", tx)
    put(attrs, "aruba.apprf.rx_bytes", rx)
    put(attrs, "aruba.apprf.session.duration", int_field(parent, "session_duration"))
    body = f"{app or 'Unknown application'} session"
    if category:
        body += f" ({category})"
    traffic = [f"{n} B {verb}" for n, verb in ((tx, "sent"), (rx, "received")) if n is not None]
    if traffic:
        body += ": " + ", ".join(traffic)
    return Draft(Severity.INFO, one_line(body), attrs, time_field(s, "timestamp"))
