"""Bytes to typed messages: the envelope first, then the topic's payload.

`decode_frame` never raises on bad input. It returns either a `DecodedFrame`
(the envelope's fields plus the parsed payload message) or a `DecodeFailure`
that callers count and log. A failure describes the frame (topic, customer,
size, what was wrong) but never quotes its content: frames carry customer data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import DecodeError, Message
from google.protobuf.unknown_fields import UnknownFieldSet

from central_otel.normalize import epoch_to_ns
from central_otel.proto import (
    apprf_pb2,
    audit_pb2,
    location_pb2,
    monitoring_pb2,
    presence_pb2,
    security_pb2,
    streaming_pb2,
)
from central_otel.topics import Topic, parse_topic

# The payload message(s) each topic's `MsgProto.data` holds, tried in order. The
# location topic carries two messages and no documented way to tell them apart
# other than the subject: a frame that is not a valid `stream_location` (its
# required `sta_eth_mac` is missing) is tried as a geofence notification.
TOPIC_PAYLOADS: dict[Topic, tuple[type[Message], ...]] = {
    Topic.MONITORING: (monitoring_pb2.MonitoringInformation,),
    Topic.PRESENCE: (presence_pb2.presence_event,),
    Topic.SECURITY: (security_pb2.RapidsStreamingEvent,),
    Topic.LOCATION: (location_pb2.stream_location, location_pb2.stream_geofence_notify),
    Topic.APPRF: (apprf_pb2.apprf_session,),
    Topic.AUDIT: (audit_pb2.audit_message,),
}

_GEOFENCE_SUBJECTS = ("geofence", "location_geofence", "geofence_notify")


class DecodeErrorKind(StrEnum):
    """Why a frame could not be decoded; the values label the decode-error counter."""

    EMPTY_FRAME = "empty_frame"
    BAD_ENVELOPE = "bad_envelope"
    UNKNOWN_TOPIC = "unknown_topic"
    EMPTY_PAYLOAD = "empty_payload"
    BAD_PAYLOAD = "bad_payload"
    WRONG_PAYLOAD = "wrong_payload"
    UNKNOWN_TYPE = "unknown_type"  # New Central: no known payload type (type URL, type, topic)


@dataclass(frozen=True, slots=True)
class DecodeFailure:
    kind: DecodeErrorKind
    detail: str
    size: int
    topic: str | None = None
    customer: str | None = None

    def describe(self) -> str:
        """One line for an operator: what was wrong with which frame. Never the content."""
        where = f"{self.topic or 'unknown-topic'} frame"
        if self.customer:
            where += f" of customer {self.customer!r}"
        return f"{where} ({self.size} bytes) not decoded: {self.kind.value}: {self.detail}"


class HasPayload:
    """What a decoded frame of either platform says of its payload."""

    __slots__ = ()
    payload: Message

    @property
    def payload_type(self) -> str:
        """The payload's full protobuf name, e.g. ``Monitoring.MonitoringInformation``."""
        return self.payload.DESCRIPTOR.full_name


@dataclass(frozen=True, slots=True)
class DecodedFrame(HasPayload):
    topic: Topic
    subject: str
    customer_id: str
    msp_id: str
    timestamp_ns: int | None  # when Central sent it; None when the envelope has none
    payload: Message
    size: int


DecodeResult = DecodedFrame | DecodeFailure


def decode_frame(
    frame: bytes,
    *,
    topic: Topic | None = None,
    customer: str | None = None,
    with_envelope: bool = True,
) -> DecodeResult:
    """Decode one WebSocket frame.

    `topic` is the subscription's topic: the fallback when the envelope's subject
    does not name one. `customer` is the configured customer name, used only to
    label failures. `with_envelope=False` decodes a bare payload (``topic`` needed).
    """
    size = len(frame)
    label = topic.value if topic else None
    if not frame:
        return DecodeFailure(DecodeErrorKind.EMPTY_FRAME, "frame has no bytes", 0, label, customer)
    if not with_envelope:
        if topic is None:
            return DecodeFailure(
                DecodeErrorKind.UNKNOWN_TOPIC, "a bare payload needs a topic", size, None, customer
            )
        return _decode_payload(frame, topic, size=size, customer=customer)

    envelope = streaming_pb2.MsgProto()
    failure = parse_envelope(envelope, frame, label, customer)
    if failure is not None:
        return failure
    subject = envelope.subject
    if not subject and not envelope.data:
        return DecodeFailure(
            DecodeErrorKind.BAD_ENVELOPE,
            "envelope has neither subject nor data",
            size,
            label,
            customer,
        )
    resolved = parse_topic(subject) or _geofence_topic(subject) or topic
    if resolved is None:
        return DecodeFailure(
            DecodeErrorKind.UNKNOWN_TOPIC,
            f"subject {_printable(subject)!r} is not a known topic",
            size,
            None,
            customer,
        )
    return _decode_payload(
        envelope.data,
        resolved,
        subject=subject,
        customer_id=envelope.customer_id,
        msp_id=envelope.msp_id,
        timestamp_ns=epoch_to_ns(envelope.timestamp),
        size=size,
        customer=customer,
    )


def _decode_payload(
    data: bytes,
    topic: Topic,
    *,
    subject: str = "",
    customer_id: str = "",
    msp_id: str = "",
    timestamp_ns: int | None = None,
    size: int,
    customer: str | None,
) -> DecodeResult:
    if not data:
        return DecodeFailure(
            DecodeErrorKind.EMPTY_PAYLOAD,
            "envelope carries no payload",
            size,
            topic.value,
            customer,
        )
    candidates = TOPIC_PAYLOADS[topic]
    if topic is Topic.LOCATION and subject.lower() in _GEOFENCE_SUBJECTS:
        candidates = candidates[::-1]
    problem = ""
    kind = DecodeErrorKind.WRONG_PAYLOAD
    for message_type in candidates:
        payload = message_type()
        try:
            payload.ParseFromString(data)
        except DecodeError as err:
            kind = DecodeErrorKind.BAD_PAYLOAD
            problem = f"payload is not valid {_name(payload)} ({decode_error_reason(err)})"
            continue
        # A payload of another topic (or garbage that happens to parse) lacks this
        # message's required top-level fields; proto2 parsing alone accepts it. A
        # nested entity missing a required field is kept: one odd AP must not cost
        # the other thousands in the batch.
        missing = missing_required_fields(payload)
        conflicts = wire_type_conflicts(payload)
        if missing or conflicts or not payload.ListFields():
            kind = DecodeErrorKind.WRONG_PAYLOAD
            if missing:
                why = f"missing {', '.join(missing)}"
            elif conflicts:
                why = f"wrong wire type for {', '.join(conflicts)}"
            else:
                why = "no known field"
            problem = f"payload does not match {_name(payload)}: {why}"
            continue
        return DecodedFrame(topic, subject, customer_id, msp_id, timestamp_ns, payload, size)
    return DecodeFailure(kind, problem, size, topic.value, customer)


# The wire type each declared field type is sent with (2 also for packed repeated).
_WIRE_TYPES: dict[int, int] = {
    **dict.fromkeys(
        (
            FieldDescriptor.TYPE_INT32,
            FieldDescriptor.TYPE_INT64,
            FieldDescriptor.TYPE_UINT32,
            FieldDescriptor.TYPE_UINT64,
            FieldDescriptor.TYPE_SINT32,
            FieldDescriptor.TYPE_SINT64,
            FieldDescriptor.TYPE_BOOL,
            FieldDescriptor.TYPE_ENUM,
        ),
        0,
    ),
    **dict.fromkeys(
        (FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED64, FieldDescriptor.TYPE_DOUBLE),
        1,
    ),
    **dict.fromkeys(
        (FieldDescriptor.TYPE_STRING, FieldDescriptor.TYPE_BYTES, FieldDescriptor.TYPE_MESSAGE), 2
    ),
    FieldDescriptor.TYPE_GROUP: 3,
    **dict.fromkeys(
        (FieldDescriptor.TYPE_FIXED32, FieldDescriptor.TYPE_SFIXED32, FieldDescriptor.TYPE_FLOAT), 5
    ),
}


def wire_type_conflicts(message: Message) -> list[str]:
    """Declared top-level fields that arrived with another wire type.

    Protobuf keeps such values as unknown fields and parses on, so a payload of
    another topic can look valid. A newer schema adds field numbers (harmless,
    ignored) but never changes a field's type; a newer enum number arrives with the
    right wire type. A conflict on a declared number is therefore a wrong payload.
    """
    fields = message.DESCRIPTOR.fields_by_number
    conflicts: list[str] = []
    for item in unknown_fields(message):
        field = fields.get(item.field_number)
        if field is None:
            continue
        expected = _WIRE_TYPES.get(field.type)
        if item.wire_type != expected and not (field.is_repeated and item.wire_type == 2):
            conflicts.append(field.name)
    return conflicts


def unknown_fields(message: Message) -> list[Any]:
    """The message's unknown fields (each with field_number, wire_type, data)."""
    found = UnknownFieldSet(message)
    return [found[i] for i in range(len(found))]


def missing_required_fields(message: Message) -> list[str]:
    """The message's own required fields that are absent, in declaration order.

    Only the top level: `FindInitializationErrors` would give the same names (and
    the nested ones, which decoding ignores) but walks every nested message to find
    them, about a tenth of the cost of ingesting a monitoring frame.
    """
    names = _REQUIRED.get(type(message))
    if names is None:
        names = tuple(f.name for f in message.DESCRIPTOR.fields if f.is_required)
        _REQUIRED[type(message)] = names
    has = message.HasField
    return [name for name in names if not has(name)]


_REQUIRED: dict[type[Message], tuple[str, ...]] = {}


def parse_envelope(
    envelope: Message, frame: bytes, label: str | None, customer: str | None
) -> DecodeFailure | None:
    """Parse `frame` into `envelope` (either platform's); the failure when it is not one."""
    try:
        envelope.ParseFromString(frame)
    except DecodeError as err:
        return DecodeFailure(
            DecodeErrorKind.BAD_ENVELOPE,
            f"not a {envelope.DESCRIPTOR.name} envelope ({decode_error_reason(err)})",
            len(frame),
            label,
            customer,
        )
    return None


def decode_error_reason(err: DecodeError) -> str:
    """protobuf's own text without the type name we already give."""
    return str(err).rsplit(": ", 1)[-1]


def _geofence_topic(subject: str) -> Topic | None:
    return Topic.LOCATION if subject.lower() in _GEOFENCE_SUBJECTS else None


def _name(message: Message) -> str:
    return message.DESCRIPTOR.full_name


def _printable(text: str, limit: int = 40) -> str:
    """A subject is chosen by the sender: keep it short and printable in logs."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text[:limit])
    return clean + ("..." if len(text) > limit else "")


def present(message: Message, field: str) -> Any:
    """The value of an optional proto2 field, or None when it is absent.

    proto2 getters return the declared default for absent fields: an absent
    ``action`` reads as UPDATE and an absent ``status`` as UP. Use this (field
    presence) wherever absence means "not reported".
    """
    return getattr(message, field) if message.HasField(field) else None
