"""New Central frames to typed messages: the CloudEvent envelope, then its payload.

Each frame is one serialised `cloudevents.v1.CloudEvent`; the payload is its
`proto_data` (an Any). The payload's type is resolved from, in order:

1. `proto_data.type_url`: its last path segment, as a full message name
   (``network_monitoring.ap.v1alpha1.APSystemStat``) or, failing that, by the short
   name after its last dot (``ap.APSystemStat``: Central may use short packages; the
   audit trail's package differs between HPE's SDK and documentation);
2. the CloudEvent `type` (the AP event types name their message);
3. the topic's default payload (every topic but ap-events has one).

A message that is one branch of a topic's wrapper (a switch `DeviceStats` sent alone)
is wrapped, so consumers always see the topic's own payload type. Like Classic's
`decode_frame`, `decode_cloud_event` never raises: a `DecodeFailure` (counted by kind)
describes what was wrong without quoting the frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from google.protobuf.message import DecodeError, Message
from google.protobuf.timestamp_pb2 import Timestamp

from central_otel.decoding import (
    DecodeErrorKind,
    DecodeFailure,
    HasPayload,
    decode_error_reason,
    parse_envelope,
    wire_type_conflicts,
)
from central_otel.new_central.topics import DEFAULT_PAYLOADS, TOPIC_MODULES, NewCentralTopic
from central_otel.proto.new_central import ap_events_pb2, event_pb2

AP_TYPE_PREFIX = "com.hpe.greenlake.network-monitoring.v1alpha1.aps."
# The AP event types and the message each carries (HPE's AP monitoring page).
AP_EVENT_TYPES: dict[str, type[Message]] = {
    f"{AP_TYPE_PREFIX}state.device": ap_events_pb2.APInfo,
    f"{AP_TYPE_PREFIX}state.radio": ap_events_pb2.RadioInfo,
    f"{AP_TYPE_PREFIX}state.virtual_access_point": ap_events_pb2.VapInfo,
    f"{AP_TYPE_PREFIX}state.port": ap_events_pb2.PortInfo,
    f"{AP_TYPE_PREFIX}state.wlan": ap_events_pb2.WlanInfo,
    f"{AP_TYPE_PREFIX}state.tunnel": ap_events_pb2.TunnelInfo,
    f"{AP_TYPE_PREFIX}stats.device": ap_events_pb2.APSystemStat,
    f"{AP_TYPE_PREFIX}stats.radio": ap_events_pb2.RadioStat,
    f"{AP_TYPE_PREFIX}stats.virtual_access_point": ap_events_pb2.VapStat,
    f"{AP_TYPE_PREFIX}stats.port": ap_events_pb2.PortStat,
    f"{AP_TYPE_PREFIX}stats.modem": ap_events_pb2.ModemStat,
    f"{AP_TYPE_PREFIX}stats.tunnel": ap_events_pb2.TunnelStat,
    f"{AP_TYPE_PREFIX}stats.ip_probe": ap_events_pb2.IPProbeStat,
    f"{AP_TYPE_PREFIX}stats.user_role": ap_events_pb2.RoleStat,
    f"{AP_TYPE_PREFIX}stats.ssid": ap_events_pb2.SsidStat,
    f"{AP_TYPE_PREFIX}stats.vlan": ap_events_pb2.VlanStat,
}


@dataclass(frozen=True, slots=True)
class NewCentralFrame(HasPayload):
    topic: NewCentralTopic
    event_id: str
    event_type: str  # CloudEvent.type
    source: str
    subject: str  # the `subject` extension attribute (the tenant), "" when absent
    time_ns: int | None  # CloudEvent.time; None when absent
    type_url: str
    payload: Message
    size: int


NewCentralResult = NewCentralFrame | DecodeFailure


def _messages(module: ModuleType) -> list[type[Message]]:
    found: list[type[Message]] = []
    for name in module.DESCRIPTOR.message_types_by_name:
        found.append(getattr(module, name))
    return found


# Per topic: full name -> class, short name -> class (the topic's own modules only).
_FULL: dict[NewCentralTopic, dict[str, type[Message]]] = {}
_SHORT: dict[NewCentralTopic, dict[str, type[Message]]] = {}
for _topic, _modules in TOPIC_MODULES.items():
    for _module in _modules:
        for _cls in _messages(_module):  # type: ignore[arg-type]
            _FULL.setdefault(_topic, {})[_cls.DESCRIPTOR.full_name] = _cls
            _SHORT.setdefault(_topic, {})[_cls.DESCRIPTOR.name] = _cls


def resolve_type(topic: NewCentralTopic, type_url: str, event_type: str) -> type[Message] | None:
    """The payload class for a frame of `topic` (see the module docstring), or None."""
    if type_url:
        name = type_url.rsplit("/", 1)[-1]
        found = _FULL[topic].get(name) or _SHORT[topic].get(name.rsplit(".", 1)[-1])
        if found is not None:
            return found
    if topic is NewCentralTopic.AP_EVENTS and event_type in AP_EVENT_TYPES:
        return AP_EVENT_TYPES[event_type]
    return DEFAULT_PAYLOADS[topic]


def _wrapper_field(wrapper: type[Message], inner: str) -> str | None:
    """The field of the topic's wrapper message that holds message type `inner` (a
    full name), if any."""
    for field in wrapper.DESCRIPTOR.fields:
        if field.message_type is not None and field.message_type.full_name == inner:
            return field.name
    return None


def decode_cloud_event(
    frame: bytes, *, topic: NewCentralTopic, customer: str | None = None
) -> NewCentralResult:
    """Decode one WebSocket frame of a New Central `topic`. `customer` labels failures."""
    size = len(frame)
    label = topic.value
    if not frame:
        return DecodeFailure(DecodeErrorKind.EMPTY_FRAME, "frame has no bytes", 0, label, customer)
    event = event_pb2.CloudEvent()
    failure = parse_envelope(event, frame, label, customer)
    if failure is not None:
        return failure
    if wire_type_conflicts(event) or not event.ListFields():
        return DecodeFailure(
            DecodeErrorKind.BAD_ENVELOPE, "not a CloudEvent envelope", size, label, customer
        )
    kind = event.WhichOneof("data")
    if kind == "text_data":
        return DecodeFailure(
            DecodeErrorKind.WRONG_PAYLOAD, "a text payload, not protobuf", size, label, customer
        )
    type_url = event.proto_data.type_url if kind == "proto_data" else ""
    data = event.proto_data.value if kind == "proto_data" else event.binary_data
    if not data:
        return DecodeFailure(
            DecodeErrorKind.EMPTY_PAYLOAD, "event carries no payload", size, label, customer
        )
    message_type = resolve_type(topic, type_url, event.type)
    if message_type is None:
        shown = type_url or event.type or "none"
        return DecodeFailure(
            DecodeErrorKind.UNKNOWN_TYPE,
            f"payload type {_printable(shown)!r} is not one of {topic.value}'s",
            size,
            label,
            customer,
        )
    payload = message_type()
    try:
        payload.ParseFromString(data)
    except DecodeError as err:
        return DecodeFailure(
            DecodeErrorKind.BAD_PAYLOAD,
            f"payload is not valid {payload.DESCRIPTOR.full_name} ({decode_error_reason(err)})",
            size,
            label,
            customer,
        )
    conflicts = wire_type_conflicts(payload)
    if conflicts or not payload.ListFields():
        why = f"wrong wire type for {', '.join(conflicts)}" if conflicts else "no known field"
        return DecodeFailure(
            DecodeErrorKind.WRONG_PAYLOAD,
            f"payload does not match {payload.DESCRIPTOR.full_name}: {why}",
            size,
            label,
            customer,
        )
    wrapper = DEFAULT_PAYLOADS[topic]
    if wrapper is not None and message_type is not wrapper:
        holder = _wrapper_field(wrapper, payload.DESCRIPTOR.full_name)
        if holder is not None:
            wrapped = wrapper()
            getattr(wrapped, holder).CopyFrom(payload)
            payload = wrapped
    time_ns = timestamp_ns(event.time) if event.HasField("time") else None
    subject = event.attributes["subject"].ce_string if "subject" in event.attributes else ""
    return NewCentralFrame(
        topic, event.id, event.type, event.source, subject, time_ns, type_url, payload, size
    )


def timestamp_ns(stamp: Timestamp) -> int | None:
    """Epoch nanoseconds of a `google.protobuf.Timestamp`; None when unset (zero)."""
    value = stamp.seconds * 1_000_000_000 + stamp.nanos
    return value if value > 0 else None


def _printable(text: str, limit: int = 80) -> str:
    clean = "".join(ch if ch.isprintable() else "?" for ch in text[:limit])
    return clean + ("..." if len(text) > limit else "")
