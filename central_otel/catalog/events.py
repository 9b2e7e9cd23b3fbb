"""The event catalogue: one frozen entry per event, the only place event names live.

Events become OpenTelemetry log records with an ``EventName`` (semantic conventions,
"events"): a low-cardinality name without dynamic parts, a severity number and no
severity text, one human-readable body line, attributes, and the time the event
occurred (the message's own time, else the payload's, else when Central sent the
frame; the SDK stamps the observed time itself).

Two kinds of source feed the table:

* messages that are events in themselves (alerts, WIDS and rogue detections, audit
  records, location fixes, geofence crossings, application sessions), mapped by
  `events_for_frame`;
* state changes the entity store reports (`Change`): client connect/disconnect and
  device, interface, tunnel and uplink up/down, mapped by `events_for_changes`.

The mapping functions live in `event_messages` and `event_changes`, the field readers
and record types they share in `event_base`; this module holds the table and the
entry points. It is pure mapping: no OpenTelemetry import. `Severity` carries the
SeverityNumber values; the telemetry layer converts a record into an emit call.
Mapping never raises on odd input: absent fields (proto2 presence, never the
declared defaults) give fewer attributes, an empty message gives no record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import Message

from central_otel.catalog import event_changes as state_events
from central_otel.catalog import event_messages as message_events
from central_otel.catalog import event_new_central as new_central_events
from central_otel.catalog.attributes import SOURCES, StoreLookup
from central_otel.catalog.event_base import (
    Attributes,
    AttributeValue,
    Context,
    Draft,
    EventRecord,
    Severity,
    put,
    time_field,
)
from central_otel.decoding import DecodedFrame
from central_otel.new_central.decoding import NewCentralFrame
from central_otel.proto import apprf_pb2, audit_pb2, location_pb2, monitoring_pb2, security_pb2
from central_otel.proto.new_central import alert_pb2 as nc_alert
from central_otel.proto.new_central import audit_trail_pb2 as nc_audit
from central_otel.proto.new_central import geofence_pb2 as nc_geofence
from central_otel.proto.new_central import location_analytics_pb2 as nc_rssi
from central_otel.proto.new_central import location_pb2 as nc_location
from central_otel.state.store import Change, EntityStore

__all__ = [
    "EVENTS",
    "AttributeValue",
    "Context",
    "Draft",
    "EventCatalogue",
    "EventOptions",
    "EventRecord",
    "EventSpec",
    "FromChange",
    "FromMessage",
    "Severity",
    "event_names",
    "events_for_changes",
    "events_for_frame",
    "events_for_new_central_frame",
    "frame_time_ns",
]

log = logging.getLogger(__name__)

UP, DOWN = monitoring_pb2.UP, monitoring_pb2.DOWN


@dataclass(frozen=True, slots=True)
class EventOptions:
    """Which events are on, and the customer name when no store is given.

    A name in `disabled` is off even when listed in `enabled`; `enabled` turns on the
    events that are off by default (location, geofence, apprf: high volume).
    """

    customer_name: str = ""
    disabled: frozenset[str] = field(default_factory=frozenset)
    enabled: frozenset[str] = field(default_factory=frozenset)

    def wants(self, spec: EventSpec) -> bool:
        if spec.name in self.disabled:
            return False
        return spec.enabled_by_default or spec.name in self.enabled


@dataclass(frozen=True, slots=True)
class FromMessage:
    """Records from the messages of one payload type (one per item)."""

    payload: type[Message]  # the topic's payload type
    message: str  # for the docs, e.g. "monitoring: Notification"
    items: Callable[[Any], Iterable[Any]]
    build: Callable[[Any, Context], Draft | None]


@dataclass(frozen=True, slots=True)
class FromChange:
    """Records from the store's state changes of some entity classes."""

    classes: tuple[str, ...]  # see central_otel.state.entities
    message: str  # for the docs
    build: Callable[[Change, Context], Draft | None]


Source = FromMessage | FromChange


@dataclass(frozen=True, slots=True)
class EventSpec:
    name: str
    description: str
    severity: str  # the severity rule, for the docs
    attributes: tuple[str, ...]  # every attribute the event may carry (besides the customer)
    sources: tuple[Source, ...]
    enabled_by_default: bool = True

    @property
    def source(self) -> str:
        return "; ".join(s.message for s in self.sources)


# -- the catalogue ---------------------------------------------------------------------


def _names(*parts: str | tuple[str, ...]) -> tuple[str, ...]:
    """Attribute names (the docs' list) from blank-separated text and name tuples."""
    found: dict[str, None] = {}
    for part in parts:
        found.update(dict.fromkeys(part.split() if isinstance(part, str) else part))
    return tuple(found)


DEVICE_ATTRIBUTES: tuple[str, ...] = SOURCES["device"][1]
_MON = monitoring_pb2.MonitoringInformation
_SEC = security_pb2.RapidsStreamingEvent
_CLIENTS = ("wireless_client", "wired_client")
_CLIENT_SOURCE = "monitoring: WirelessClient, WiredClient"
_DEVICE_SOURCE = "monitoring: Ap, Switch, MobilityController"
_CLIENT_ATTRIBUTES = _names(
    "aruba.client.mac client.address network.connection.type",
    DEVICE_ATTRIBUTES,
    (
        "aruba.wlan.ssid",
        "aruba.radio.band",
        "network.interface.name",
        "aruba.vlan.id",
        "aruba.user.role",
    ),
)
_INTERFACE_ATTRIBUTES = _names(
    "",
    DEVICE_ATTRIBUTES,
    ("hw.network.physical_address", "network.interface.name", "aruba.interface.admin_state"),
)
_TUNNEL_ATTRIBUTES = _names(
    "aruba.swarm.id aruba.tunnel.id aruba.tunnel.name aruba.tunnel.index network.peer.address"
)
_UPLINK_ATTRIBUTES = _names(DEVICE_ATTRIBUTES, ("aruba.uplink.id", "aruba.uplink.name"))
_LOCATED = "aruba.location.mac aruba.location.hashed_mac aruba.location.associated"
_GEOFENCE_ATTRIBUTES = _names(
    f"aruba.geofence.id aruba.geofence.name {_LOCATED} aruba.geofence.dwell_time"
)

EVENTS: tuple[EventSpec, ...] = (
    EventSpec(
        "aruba.alert",
        "An alert of Central's Alerts & Events page, opened or cleared; the open and close "
        "records share `aruba.alert.id`, `aruba.alert.state` tells them apart.",
        "open: Normal INFO, Warning/Minor WARN, Major ERROR, Critical FATAL, none WARN "
        "(New Central's severity text alike: critical, major/high, minor/warning/medium, "
        "low/normal/info, other WARN); closed: INFO",
        _names("aruba.alert.id aruba.alert.type aruba.alert.setting_id aruba.alert.state "
               "aruba.alert.severity", DEVICE_ATTRIBUTES, ("aruba.alert.extra.<key>",),
               "aruba.alert.category aruba.alert.priority"),
        (FromMessage(_MON, "monitoring: Notification", lambda m: m.notification,
                     message_events.alert),
         FromMessage(nc_alert.AlertStreamingMessage, "New Central alert-events: "
                     "AlertStreamingMessage", lambda m: (m,), new_central_events.alert)),
    ),
    EventSpec(
        "aruba.wids.event",
        "A wireless intrusion detection: a client or infrastructure attack, a rogue or an "
        "interfering AP.",
        "security: from `level` (critical FATAL, high ERROR, medium WARN, low INFO, other "
        "WARN); monitoring: interfering INFO, other WARN",
        _names("security_rule.name security_rule.category security_rule.description "
               "aruba.wids.level aruba.wids.event_number aruba.wids.mac aruba.wids.detected_ap "
               "aruba.radio.band aruba.radio.channel aruba.wlan.ssid", DEVICE_ATTRIBUTES),
        (
            FromMessage(_MON, "monitoring: WIDSEvent", lambda m: m.wids_events,
                        message_events.wids_monitoring),
            FromMessage(_SEC, "security: RapidsStreamingEvent.idsEvent", lambda m: m.idsEvent,
                        message_events.wids_security),
        ),
    ),
    EventSpec(
        "aruba.rogue.detected",
        "An AP classified as rogue was detected (a monitoring DELETE, which withdraws a "
        "detection, gives no record).",
        "WARN",
        _names("security_rule.category aruba.rogue.mac aruba.rogue.ssid aruba.rogue.name "
               "aruba.rogue.classification aruba.rogue.containment_status aruba.rogue.vendor "
               "aruba.rogue.lan_mac aruba.rogue.encryption aruba.rogue.encryption_code "
               "aruba.rogue.port aruba.rogue.first_seen aruba.rogue.match_type "
               "aruba.rogue.match_mac aruba.rogue.monitor_name aruba.rogue.detected_by "
               "aruba.radio.channel", DEVICE_ATTRIBUTES),
        (
            FromMessage(_MON, "monitoring: RogueEvent", lambda m: m.rogue_events,
                        message_events.rogue_monitoring),
            FromMessage(_SEC, "security: RapidsStreamingEvent.rogue", lambda m: m.rogue,
                        message_events.rogue_security),
        ),
    ),
    EventSpec(
        "aruba.audit",
        "A configuration, firmware or device-management action in Central's audit trail; "
        "the body is the record's summary.",
        "INFO",
        _names("aruba.audit.service aruba.audit.group aruba.audit.target client.address "
               "user.name aruba.audit.detailed_data", DEVICE_ATTRIBUTES,
               "aruba.audit.category aruba.audit.action"),
        (FromMessage(audit_pb2.audit_message, "audit: audit_message", lambda m: (m,),
                     message_events.audit),
         FromMessage(nc_audit.AuditTrail, "New Central audit-trail-events: AuditTrail",
                     lambda m: (m,), new_central_events.audit)),
    ),
    EventSpec(
        "aruba.client.connected",
        "A wireless or wired client connected: Central reports it as new (not a client it "
        "only reports again after a connection, nor one already reported).",
        "INFO", _CLIENT_ATTRIBUTES,
        (FromChange(_CLIENTS, _CLIENT_SOURCE, state_events.client(True)),),
    ),
    EventSpec(
        "aruba.client.disconnected",
        "A wireless or wired client left (Central deleted the client entity).",
        "INFO", _CLIENT_ATTRIBUTES,
        (FromChange(_CLIENTS, _CLIENT_SOURCE, state_events.client(False)),),
    ),
    EventSpec(
        "aruba.device.down",
        "A device's status went from up to down (also while the bridge was stopped, with "
        "`state_dir`), or a new device was first seen down.",
        "WARN", DEVICE_ATTRIBUTES,
        (FromChange(("device",), _DEVICE_SOURCE, state_events.device_status(DOWN)),),
    ),
    EventSpec(
        "aruba.device.up",
        "A device's status went from down to up.",
        "INFO", DEVICE_ATTRIBUTES,
        (FromChange(("device",), _DEVICE_SOURCE, state_events.device_status(UP)),),
    ),
    EventSpec(
        "aruba.interface.down",
        "An interface's operational state went from up to down.",
        "WARN", _names(_INTERFACE_ATTRIBUTES, ("aruba.interface.down_reason",)),
        (FromChange(("interface",), "monitoring: Interface", state_events.interface_status(DOWN)),),
    ),
    EventSpec(
        "aruba.interface.up",
        "An interface's operational state went from down to up.",
        "INFO", _INTERFACE_ATTRIBUTES,
        (FromChange(("interface",), "monitoring: Interface", state_events.interface_status(UP)),),
    ),
    EventSpec(
        "aruba.tunnel.down",
        "A tunnel's status went from up to down.",
        "WARN", _TUNNEL_ATTRIBUTES,
        (FromChange(("tunnel",), "monitoring: Tunnel", state_events.tunnel_status(DOWN)),),
    ),
    EventSpec(
        "aruba.tunnel.up",
        "A tunnel's status went from down to up.",
        "INFO", _TUNNEL_ATTRIBUTES,
        (FromChange(("tunnel",), "monitoring: Tunnel", state_events.tunnel_status(UP)),),
    ),
    EventSpec(
        "aruba.uplink.down",
        "A WAN uplink's status went from up to down.",
        "WARN", _UPLINK_ATTRIBUTES,
        (FromChange(("uplink",), "monitoring: Uplink", state_events.uplink_status(DOWN)),),
    ),
    EventSpec(
        "aruba.uplink.up",
        "A WAN uplink's status went from down to up.",
        "INFO", _UPLINK_ATTRIBUTES,
        (FromChange(("uplink",), "monitoring: Uplink", state_events.uplink_status(UP)),),
    ),
    EventSpec(
        "aruba.location.update",
        "A computed position of a station, tag or rogue (high volume: opt-in).",
        "INFO",
        _names(f"{_LOCATED} aruba.location.target_type aruba.location.x aruba.location.y "
               "aruba.location.unit aruba.location.error_level aruba.location.error_code "
               "aruba.location.algorithm geo.location.lat geo.location.lon "
               "aruba.location.altitude aruba.location.campus.id aruba.location.building.id "
               "aruba.location.floor.id aruba.geofence.ids aruba.site.id "
               "aruba.location.tag.name"),
        (FromMessage(location_pb2.stream_location, "location: stream_location",
                     lambda m: (m,), message_events.location),
         FromMessage(nc_location.StreamLocationMessage, "New Central location: "
                     "WifiClientLocation, AssetTagLocation", new_central_events.location_items,
                     new_central_events.location)),
        enabled_by_default=False,
    ),
    EventSpec(
        "aruba.geofence.enter",
        "A station entered a geofence zone (opt-in).",
        "INFO", _GEOFENCE_ATTRIBUTES,
        (FromMessage(location_pb2.stream_geofence_notify,
                     "location: stream_geofence_notify (ZONE_IN)", lambda m: (m,),
                     message_events.geofence(location_pb2.ZONE_IN, "entered")),
         FromMessage(nc_geofence.StreamGeofenceMessage,
                     "New Central geofence: WifiClientGeofence (EVENT_TYPE_ENTER)",
                     new_central_events.geofence_items,
                     new_central_events.geofence(
                         nc_geofence.WifiClientGeofence.EVENT_TYPE_ENTER, "entered"))),
        enabled_by_default=False,
    ),
    EventSpec(
        "aruba.geofence.exit",
        "A station left a geofence zone (opt-in).",
        "INFO", _GEOFENCE_ATTRIBUTES,
        (FromMessage(location_pb2.stream_geofence_notify,
                     "location: stream_geofence_notify (ZONE_OUT)", lambda m: (m,),
                     message_events.geofence(location_pb2.ZONE_OUT, "left")),
         FromMessage(nc_geofence.StreamGeofenceMessage,
                     "New Central geofence: WifiClientGeofence (EVENT_TYPE_EXIT)",
                     new_central_events.geofence_items,
                     new_central_events.geofence(
                         nc_geofence.WifiClientGeofence.EVENT_TYPE_EXIT, "left"))),
        enabled_by_default=False,
    ),
    EventSpec(
        "aruba.apprf.session",
        "One client application session seen by an AP's firewall (high volume: opt-in).",
        "INFO",
        _names(DEVICE_ATTRIBUTES,
            "aruba.client.mac client.address destination.address destination.port "
            "network.transport aruba.ip.protocol aruba.app.name aruba.app.id "
            "aruba.app.category aruba.web.category aruba.web.reputation aruba.apprf.domain "
            "aruba.apprf.enforcement aruba.apprf.ingress aruba.wlan.ssid aruba.vlan.id "
            "aruba.uplink.name user.name aruba.user.role aruba.client.device_type "
            "aruba.apprf.tx_bytes aruba.apprf.rx_bytes aruba.apprf.session.duration"),
        (FromMessage(apprf_pb2.apprf_session, "apprf: apprf_session.client_firewall_session",
                     message_events.apprf_sessions, message_events.apprf_session),),
        enabled_by_default=False,
    ),
    EventSpec(
        "aruba.presence.rssi",
        "How strongly an AP heard a station (New Central rssi-events; high volume: opt-in). "
        "Classic's presence topic gives the per-AP station counts instead.",
        "INFO",
        _names("aruba.location.mac aruba.presence.rssi aruba.presence.rssi.kind "
               "aruba.location.associated aruba.radio.noise_floor", DEVICE_ATTRIBUTES),
        (FromMessage(nc_rssi.RssiEvent, "New Central rssi-events: RssiEvent (raw_rssi, "
                     "proximity_rssi)", new_central_events.rssi_items, new_central_events.rssi),),
        enabled_by_default=False,
    ),
)  # fmt: skip


def event_names() -> tuple[str, ...]:
    return tuple(spec.name for spec in EVENTS)


# Lookups built once: which (spec, source) pairs a payload type or entity class feeds.
_BY_PAYLOAD: dict[type[Message], list[tuple[EventSpec, FromMessage]]] = {}
_BY_CLASS: dict[str, list[tuple[EventSpec, FromChange]]] = {}
for _spec in EVENTS:
    for _source in _spec.sources:
        if isinstance(_source, FromMessage):
            _BY_PAYLOAD.setdefault(_source.payload, []).append((_spec, _source))
        else:
            for _cls in _source.classes:
                _BY_CLASS.setdefault(_cls, []).append((_spec, _source))


# -- mapping ---------------------------------------------------------------------------

_reported: set[str] = set()  # events whose mapping failed once (logged once each)


def _safely(
    spec: EventSpec, build: Callable[[Any, Context], Draft | None], item: Any, ctx: Context
) -> Draft | None:
    try:
        return build(item, ctx)
    except Exception:  # one odd message must not cost the frame's other events
        if spec.name not in _reported:
            _reported.add(spec.name)
            log.warning(
                "event %s: a message could not be mapped and was skipped (logged once per event)",
                spec.name,
                exc_info=True,
            )
        return None


def _payload_customer(payload: Message) -> str:
    for name in ("customer_id", "cust_id"):
        if name in payload.DESCRIPTOR.fields_by_name and payload.HasField(name):
            return str(getattr(payload, name))
    return ""


def frame_time_ns(frame: DecodedFrame) -> int | None:
    """When a frame's events occurred, lacking their own time: the payload's
    ``timestamp`` (monitoring: "time of occurrence"), else the envelope's."""
    payload = frame.payload
    if "timestamp" in payload.DESCRIPTOR.fields_by_name:
        when = time_field(payload, "timestamp")
        if when is not None:
            return when
    return frame.timestamp_ns


def _customer(store: EntityStore | None, options: EventOptions, customer_id: str) -> Attributes:
    """The store's customer (a catalogue shared by customers stays right), else the
    configured name in the options; Central's id from the frame, else the store."""
    attrs: Attributes = {}
    name = store.customer if store is not None and store.customer else options.customer_name
    put(attrs, "aruba.customer.name", name)
    put(attrs, "aruba.customer.id", customer_id or (store.customer_id if store else ""))
    return attrs


def _record(spec: EventSpec, draft: Draft, customer: Attributes, when: int | None) -> EventRecord:
    return EventRecord(
        spec.name,
        int(draft.severity),
        draft.body,
        {**draft.attributes, **customer},
        draft.timestamp_ns if draft.timestamp_ns is not None else when,
    )


def events_for_frame(
    frame: DecodedFrame, store: EntityStore | None, options: EventOptions
) -> list[EventRecord]:
    """The message-borne events of one decoded frame (after the store applied it)."""
    sources = _BY_PAYLOAD.get(type(frame.payload))
    if not sources:
        return []
    customer_id = _payload_customer(frame.payload) or frame.customer_id
    return _message_records(frame.payload, store, options, customer_id, frame_time_ns(frame))


def events_for_new_central_frame(
    frame: NewCentralFrame, store: EntityStore | None, options: EventOptions
) -> list[EventRecord]:
    """The message-borne events of one New Central frame (alerts, audit records,
    locations...): the same events as Classic's, timed by the CloudEvent."""
    tenant = frame.subject or _payload_tenant(frame.payload)
    return _message_records(frame.payload, store, options, tenant, frame.time_ns)


def _message_records(
    payload: Message,
    store: EntityStore | None,
    options: EventOptions,
    customer_id: str,
    when: int | None,
) -> list[EventRecord]:
    """The records of the events `payload` carries in itself (one per item)."""
    sources = _BY_PAYLOAD.get(type(payload))
    if not sources:
        return []
    ctx = Context(StoreLookup(store) if store is not None else None)
    customer = _customer(store, options, customer_id)
    records: list[EventRecord] = []
    for spec, source in sources:
        if not options.wants(spec):
            continue
        for item in source.items(payload):
            draft = _safely(spec, source.build, item, ctx)
            if draft is not None:
                records.append(_record(spec, draft, customer, when))
    return records


def _payload_tenant(payload: Message) -> str:
    if "tenant_id" not in payload.DESCRIPTOR.fields_by_name:
        return ""
    tenant: object = getattr(payload, "tenant_id")  # noqa: B009 - not every payload has it
    return tenant if isinstance(tenant, str) else ""


def events_for_changes(
    changes: Sequence[Change],
    store: EntityStore | None,
    options: EventOptions,
    *,
    frame: DecodedFrame | None = None,
) -> list[EventRecord]:
    """The transition events of the store's changes. `frame` (the frame that caused
    them) gives their time and customer id; without it they carry no time."""
    ctx = Context(StoreLookup(store) if store is not None else None)
    customer_id = ""
    when = None
    if frame is not None:
        customer_id = _payload_customer(frame.payload) or frame.customer_id
        when = frame_time_ns(frame)
    customer = _customer(store, options, customer_id)
    records: list[EventRecord] = []
    for change in changes:
        for spec, source in _BY_CLASS.get(change.cls, ()):
            if options.wants(spec):
                draft = _safely(spec, source.build, change, ctx)
                if draft is not None:
                    records.append(_record(spec, draft, customer, when))
    return records


class EventCatalogue:
    """The catalogue behind the ingest's `EventMapper` protocol."""

    def __init__(self, options: EventOptions | None = None) -> None:
        self.options = options or EventOptions()

    def for_frame(self, frame: DecodedFrame, store: EntityStore) -> list[EventRecord]:
        return events_for_frame(frame, store, self.options)

    def for_changes(
        self, changes: Sequence[Change], store: EntityStore, frame: DecodedFrame | None = None
    ) -> list[EventRecord]:
        return events_for_changes(changes, store, self.options, frame=frame)

    def for_new_central_frame(
        self, frame: NewCentralFrame, store: EntityStore
    ) -> list[EventRecord]:
        return events_for_new_central_frame(frame, store, self.options)
