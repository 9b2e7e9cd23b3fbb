"""New Central's streaming topics: one WebSocket each, at its own path on the
customer's API gateway, each carrying one family of CloudEvent payloads."""

from __future__ import annotations

from enum import StrEnum

from google.protobuf.message import Message

from central_otel.proto.new_central import (
    alert_pb2,
    ap_events_pb2,
    audit_trail_pb2,
    client_pb2,
    geofence_pb2,
    location_analytics_pb2,
    location_pb2,
    sw_pb2,
)


class NewCentralTopic(StrEnum):
    AP_EVENTS = "ap-events"
    CLIENTS_EVENTS = "clients-events"
    SWITCH_EVENTS = "switch-events"
    ALERT_EVENTS = "alert-events"
    AUDIT_TRAIL_EVENTS = "audit-trail-events"
    LOCATION = "location"
    RSSI_EVENTS = "rssi-events"
    GEOFENCE = "geofence"


NEW_CENTRAL_TOPIC_NAMES: tuple[str, ...] = tuple(topic.value for topic in NewCentralTopic)

# The path of each topic's WebSocket: /<service>/<version>/<event> (HPE's SDK and the
# Connection Management page; the older /stream/<path> form is not used).
PATHS: dict[NewCentralTopic, str] = {
    NewCentralTopic.AP_EVENTS: "/network-monitoring/v1alpha1/ap-events",
    NewCentralTopic.CLIENTS_EVENTS: "/network-monitoring/v1/clients-events",
    NewCentralTopic.SWITCH_EVENTS: "/network-monitoring/v1/switch-events",
    NewCentralTopic.ALERT_EVENTS: "/network-notifications/v1/alert-events",
    NewCentralTopic.AUDIT_TRAIL_EVENTS: "/network-services/v1alpha1/audit-trail-events",
    NewCentralTopic.LOCATION: "/network-services/v1alpha1/location",
    NewCentralTopic.RSSI_EVENTS: "/network-services/v1alpha1/rssi-events",
    NewCentralTopic.GEOFENCE: "/network-services/v1alpha1/geofence",
}

# The payload type of a topic whose events do not name theirs (`proto_data.type_url`
# and the CloudEvent type unknown). ap-events has none: each AP message is sent alone
# and only its type URL or event type says which it is.
DEFAULT_PAYLOADS: dict[NewCentralTopic, type[Message] | None] = {
    NewCentralTopic.AP_EVENTS: None,
    NewCentralTopic.CLIENTS_EVENTS: client_pb2.StreamClientMessage,
    NewCentralTopic.SWITCH_EVENTS: sw_pb2.StreamSwitchMessage,
    NewCentralTopic.ALERT_EVENTS: alert_pb2.AlertStreamingMessage,
    NewCentralTopic.AUDIT_TRAIL_EVENTS: audit_trail_pb2.AuditTrail,
    NewCentralTopic.LOCATION: location_pb2.StreamLocationMessage,
    NewCentralTopic.RSSI_EVENTS: location_analytics_pb2.RssiEvent,
    NewCentralTopic.GEOFENCE: geofence_pb2.StreamGeofenceMessage,
}

# Every payload type a topic may carry (the modules whose messages its type URLs name).
TOPIC_MODULES: dict[NewCentralTopic, tuple[object, ...]] = {
    NewCentralTopic.AP_EVENTS: (ap_events_pb2,),
    NewCentralTopic.CLIENTS_EVENTS: (client_pb2,),
    NewCentralTopic.SWITCH_EVENTS: (sw_pb2,),
    NewCentralTopic.ALERT_EVENTS: (alert_pb2,),
    NewCentralTopic.AUDIT_TRAIL_EVENTS: (audit_trail_pb2,),
    NewCentralTopic.LOCATION: (location_pb2,),
    NewCentralTopic.RSSI_EVENTS: (location_analytics_pb2,),
    NewCentralTopic.GEOFENCE: (geofence_pb2,),
}

# Central pings are mandated: a ping every 10 s, and a connection whose pong has not
# come within 5 s is dead (aiohttp waits half the heartbeat for the pong).
HEARTBEAT = 10.0

DEFAULT_TOKEN_URL = "https://sso.common.cloud.hpe.com/as/token.oauth2"


def parse_new_central_topic(value: str) -> NewCentralTopic | None:
    """The topic named by `value` (case and surrounding blanks ignored), or None."""
    try:
        return NewCentralTopic(value.strip().lower())
    except ValueError:
        return None
