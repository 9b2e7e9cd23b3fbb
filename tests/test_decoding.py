"""The decoding layer: envelope, dispatch, every topic, and every kind of bad input."""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass

from central_otel.decoding import (
    DecodedFrame,
    DecodeErrorKind,
    DecodeFailure,
    decode_frame,
    missing_required_fields,
    present,
)
from central_otel.proto import (
    apprf_pb2,
    audit_pb2,
    location_pb2,
    monitoring_pb2,
    presence_pb2,
    security_pb2,
    streaming_pb2,
)
from central_otel.topics import Topic
from tests import samples


def _decoded(result: DecodedFrame | DecodeFailure) -> DecodedFrame:
    assert isinstance(result, DecodedFrame), result
    return result


def _failure(result: DecodedFrame | DecodeFailure) -> DecodeFailure:
    assert isinstance(result, DecodeFailure), result
    return result


@pytest.mark.parametrize(
    ("subject", "payload", "topic", "message_type"),
    [
        ("monitoring", samples.monitoring(), Topic.MONITORING, "Monitoring.MonitoringInformation"),
        ("presence", samples.presence(), Topic.PRESENCE, "Presence.presence_event"),
        ("security", samples.security(), Topic.SECURITY, "Security.RapidsStreamingEvent"),
        ("location", samples.location(), Topic.LOCATION, "Location.stream_location"),
        ("location", samples.geofence(), Topic.LOCATION, "Location.stream_geofence_notify"),
        ("geofence", samples.geofence(), Topic.LOCATION, "Location.stream_geofence_notify"),
        ("apprf", samples.apprf(), Topic.APPRF, "Apprf.apprf_session"),
        ("audit", samples.audit(), Topic.AUDIT, "Audit.audit_message"),
    ],
)
def test_every_topic_decodes(
    subject: str, payload: Message, topic: Topic, message_type: str
) -> None:
    frame = samples.envelope(subject, payload)
    decoded = _decoded(decode_frame(frame))
    assert decoded.topic is topic
    assert decoded.subject == subject
    assert decoded.payload_type == message_type
    assert decoded.payload == payload
    assert decoded.customer_id == samples.CUSTOMER_ID
    assert decoded.timestamp_ns == samples.ENVELOPE_NS
    assert decoded.size == len(frame)


def test_subject_wins_over_subscription_topic() -> None:
    frame = samples.envelope("presence", samples.presence())
    assert _decoded(decode_frame(frame, topic=Topic.MONITORING)).topic is Topic.PRESENCE


@pytest.mark.parametrize("subject", ["", "monitoring-v2"])
def test_falls_back_to_subscription_topic(subject: str) -> None:
    frame = samples.envelope(subject, samples.monitoring())
    decoded = _decoded(decode_frame(frame, topic=Topic.MONITORING))
    assert decoded.topic is Topic.MONITORING
    assert decoded.subject == subject


def test_subject_case_and_blanks_are_tolerated() -> None:
    frame = samples.envelope(" Monitoring ", samples.monitoring())
    assert _decoded(decode_frame(frame)).topic is Topic.MONITORING


def test_msp_id_and_missing_timestamp() -> None:
    raw = streaming_pb2.MsgProto(
        subject="audit", data=samples.audit().SerializeToString(), msp_id="msp-9"
    ).SerializeToString()
    decoded = _decoded(decode_frame(raw))
    assert decoded.msp_id == "msp-9"
    assert decoded.timestamp_ns is None
    assert decoded.customer_id == ""


def test_bare_payload_needs_topic() -> None:
    data = samples.audit().SerializeToString()
    assert _decoded(decode_frame(data, topic=Topic.AUDIT, with_envelope=False)).payload_type == (
        "Audit.audit_message"
    )
    failure = _failure(decode_frame(data, with_envelope=False))
    assert failure.kind is DecodeErrorKind.UNKNOWN_TOPIC
    assert failure.detail == "a bare payload needs a topic"


def test_proto2_presence_is_respected() -> None:
    decoded = _decoded(decode_frame(samples.envelope("monitoring", samples.monitoring())))
    payload = decoded.payload
    assert isinstance(payload, monitoring_pb2.MonitoringInformation)
    first, second = payload.aps
    assert present(first, "action") == monitoring_pb2.ADD
    assert present(first, "status") == monitoring_pb2.DOWN
    # The getter would say UPDATE / UP (the declared defaults); presence says "absent".
    assert second.action == monitoring_pb2.UPDATE
    assert present(second, "action") is None
    assert present(second, "status") is None


def test_unknown_enum_number_reads_as_absent() -> None:
    interface = monitoring_pb2.Interface(device_id="SW1")
    # field 16 (speed) = 9, an enum number this schema does not define, encoded by hand.
    raw = interface.SerializePartialToString() + bytes(
        [0x80, 0x01, 9]
    )  # field 16 (speed), varint 9
    info = monitoring_pb2.MonitoringInformation(customer_id="c")
    info.interfaces.add().MergeFromString(raw)
    decoded = _decoded(decode_frame(samples.envelope("monitoring", info)))
    assert isinstance(decoded.payload, monitoring_pb2.MonitoringInformation)
    assert present(decoded.payload.interfaces[0], "speed") is None


def test_missing_nested_required_field_keeps_the_batch() -> None:
    info = monitoring_pb2.MonitoringInformation(customer_id="c")
    info.aps.add(serial="A1").macaddr.SetInParent()  # MacAddress.addr is required, left out
    info.aps.add(serial="A2")
    decoded = _decoded(decode_frame(samples.envelope("monitoring", info)))
    assert isinstance(decoded.payload, monitoring_pb2.MonitoringInformation)
    assert [ap.serial for ap in decoded.payload.aps] == ["A1", "A2"]


@pytest.mark.parametrize(
    ("frame", "topic", "kind", "detail"),
    [
        (b"", Topic.MONITORING, DecodeErrorKind.EMPTY_FRAME, "frame has no bytes"),
        (
            b"\xff\xff\xff\xff",
            Topic.MONITORING,
            DecodeErrorKind.BAD_ENVELOPE,
            "not a MsgProto envelope (Wire format was corrupt)",
        ),
        (
            streaming_pb2.MsgProto(timestamp=5).SerializeToString(),
            Topic.MONITORING,
            DecodeErrorKind.BAD_ENVELOPE,
            "envelope has neither subject nor data",
        ),
        (
            samples.envelope("weather", b"\x08\x01"),
            None,
            DecodeErrorKind.UNKNOWN_TOPIC,
            "subject 'weather' is not a known topic",
        ),
        (
            samples.envelope("monitoring", b""),
            None,
            DecodeErrorKind.EMPTY_PAYLOAD,
            "envelope carries no payload",
        ),
        (
            samples.envelope("monitoring", b"\x0a\x05ab"),  # truncated length-delimited field
            None,
            DecodeErrorKind.BAD_PAYLOAD,
            "payload is not valid Monitoring.MonitoringInformation (Wire format was corrupt)",
        ),
        (
            samples.envelope("monitoring", samples.presence()),  # another topic's payload
            None,
            DecodeErrorKind.BAD_PAYLOAD,
            "payload is not valid Monitoring.MonitoringInformation (Wire format was corrupt)",
        ),
        (
            samples.envelope("monitoring", samples.location()),
            None,
            DecodeErrorKind.WRONG_PAYLOAD,
            "payload does not match Monitoring.MonitoringInformation: missing customer_id",
        ),
        (
            samples.envelope("presence", samples.monitoring()),
            None,
            DecodeErrorKind.WRONG_PAYLOAD,
            "payload does not match Presence.presence_event: "
            "missing timestamp, customer_id, event, event_type",
        ),
        (
            samples.envelope("apprf", samples.presence()),  # every apprf field is optional
            None,
            DecodeErrorKind.WRONG_PAYLOAD,
            "payload does not match Apprf.apprf_session: wrong wire type for customer_id, "
            "timestamp, client_firewall_session, session_duration",
        ),
        (
            samples.envelope("apprf", b"\xa0\x06\x01"),  # only field 100: nothing known
            None,
            DecodeErrorKind.WRONG_PAYLOAD,
            "payload does not match Apprf.apprf_session: no known field",
        ),
        (
            samples.envelope("audit", samples.security()),
            None,
            DecodeErrorKind.WRONG_PAYLOAD,
            "payload does not match Audit.audit_message: "
            "missing timestamp, service, group_name, target, client_ip, username",
        ),
    ],
)
def test_bad_input_becomes_a_typed_failure(
    frame: bytes, topic: Topic | None, kind: DecodeErrorKind, detail: str
) -> None:
    failure = _failure(decode_frame(frame, topic=topic, customer="CustomerA"))
    assert failure.kind is kind
    assert failure.detail == detail
    assert failure.size == len(frame)
    assert failure.customer == "CustomerA"


def test_failure_description_names_frame_but_not_content() -> None:
    secret_text = "PRIVATE-SSID-NAME"
    payload = samples.presence()
    payload.event = secret_text
    frame = samples.envelope("audit", payload)
    failure = _failure(decode_frame(frame, customer="CustomerA"))
    line = failure.describe()
    assert line == (
        f"audit frame of customer 'CustomerA' ({len(frame)} bytes) not decoded: "
        "wrong_payload: payload does not match Audit.audit_message: missing customer_id, "
        "timestamp, service, group_name, target, client_ip"
    )
    assert secret_text not in line


def test_unknown_subject_is_shortened_and_printable() -> None:
    frame = samples.envelope("x\n" * 50, b"\x08\x01")
    failure = _failure(decode_frame(frame))
    assert failure.detail == f"subject {('x?' * 20) + '...'!r} is not a known topic"
    assert failure.topic is None


def test_newer_enum_number_at_top_level_is_not_a_conflict() -> None:
    info = monitoring_pb2.MonitoringInformation(customer_id="c")
    info.data_elements.append(monitoring_pb2.STATE_AP)
    raw = info.SerializeToString() + bytes([0x10, 99])  # data_elements: 99, newer than the schema
    decoded = _decoded(decode_frame(samples.envelope("monitoring", raw)))
    assert isinstance(decoded.payload, monitoring_pb2.MonitoringInformation)
    assert list(decoded.payload.data_elements) == [monitoring_pb2.STATE_AP]


def test_newer_field_numbers_are_ignored() -> None:
    raw = samples.audit().SerializeToString() + bytes([0xC0, 0x0C, 7])  # field 200
    assert (
        _decoded(decode_frame(samples.envelope("audit", raw))).payload_type == "Audit.audit_message"
    )


def _set_field(message: Message, field: Any) -> None:  # a FieldDescriptor (two runtimes' types)
    """Give one field a value of its type (a message field: present, left empty)."""
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        if field.is_repeated:
            getattr(message, field.name).add()
        else:
            getattr(message, field.name).SetInParent()
        return
    if field.type == FieldDescriptor.TYPE_ENUM:
        value: object = field.enum_type.values[0].number
    elif field.type == FieldDescriptor.TYPE_STRING:
        value = "x"
    elif field.type == FieldDescriptor.TYPE_BYTES:
        value = b"x"
    elif field.type == FieldDescriptor.TYPE_BOOL:
        value = True
    elif field.cpp_type in (FieldDescriptor.CPPTYPE_DOUBLE, FieldDescriptor.CPPTYPE_FLOAT):
        value = 1.0
    else:
        value = 1
    if field.is_repeated:
        getattr(message, field.name).append(value)
    else:
        setattr(message, field.name, value)


def _message_types() -> list[type[Message]]:
    found: list[type[Message]] = []
    pending = [
        d
        for module in (apprf_pb2, audit_pb2, location_pb2, monitoring_pb2, presence_pb2)
        for d in module.DESCRIPTOR.message_types_by_name.values()
    ] + list(security_pb2.DESCRIPTOR.message_types_by_name.values())
    while pending:
        descriptor = pending.pop()
        pending.extend(descriptor.nested_types)
        found.append(GetMessageClass(descriptor))
    return found


@pytest.mark.parametrize("message_type", _message_types(), ids=lambda t: t.DESCRIPTOR.full_name)
def test_missing_required_fields_equals_protobufs_top_level_errors(
    message_type: type[Message],
) -> None:
    """What decoding checks is what `FindInitializationErrors` says of the top level,
    for every subset of the required fields, with every message field present but
    empty (so its own required fields are missing: nested errors, not reported)."""
    fields = message_type.DESCRIPTOR.fields
    required = [f for f in fields if f.is_required]
    nested = [f for f in fields if f.type == FieldDescriptor.TYPE_MESSAGE and not f.is_required]
    for mask in range(2 ** len(required)):
        message = message_type()
        for field in nested:
            _set_field(message, field)
        for i, field in enumerate(required):
            if mask >> i & 1:
                _set_field(message, field)
        errors = message.FindInitializationErrors()  # type: ignore[attr-defined]
        expected = [name for name in errors if "." not in name]
        assert missing_required_fields(message) == expected
        assert missing_required_fields(message) == [
            f.name for i, f in enumerate(required) if not mask >> i & 1
        ]
