"""New Central frames: the CloudEvent envelope, payload type resolution (type URL by
full or short name, then the event type, then the topic's default), failures by kind,
the JSON form, and `decode` of a capture holding both platforms."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from central_otel.capture import CaptureRecord, CaptureWriter
from central_otel.decoding import DecodeErrorKind, DecodeFailure
from central_otel.frame_json import new_central_frame_to_json
from central_otel.new_central.decoding import (
    AP_TYPE_PREFIX,
    NewCentralFrame,
    decode_cloud_event,
)
from central_otel.new_central.topics import NewCentralTopic as T
from central_otel.proto.new_central import (
    ap_events_pb2,
    audit_trail_pb2,
    client_pb2,
    event_pb2,
    sw_pb2,
)
from tests import samples

TIME = Timestamp(seconds=1_764_000_000, nanos=250_000_000)


def cloud_event(
    payload: Message | bytes,
    *,
    type_url: str | None = None,
    event_type: str = "",
    subject: str = "",
) -> bytes:
    event = event_pb2.CloudEvent(id="evt-1", source="//central", specversion="1.0")
    event.type = event_type
    event.time.CopyFrom(TIME)
    if subject:
        event.attributes["subject"].ce_string = subject
    if isinstance(payload, bytes):
        event.proto_data.type_url = type_url or ""
        event.proto_data.value = payload
    else:
        event.proto_data.Pack(payload)
        if type_url is not None:
            event.proto_data.type_url = type_url
    return event.SerializeToString()


def decoded(frame: bytes, topic: T) -> NewCentralFrame:
    result = decode_cloud_event(frame, topic=topic, customer="globex")
    assert isinstance(result, NewCentralFrame), result
    return result


STAT = ap_events_pb2.APSystemStat(serial_number="CNX1", cpu_utilization=37.5)


@pytest.mark.parametrize(
    "type_url",
    [
        "type.googleapis.com/network_monitoring.ap.v1alpha1.APSystemStat",
        "network_monitoring.ap.v1alpha1.APSystemStat",
        "type.googleapis.com/ap.APSystemStat",  # a short package, as the SDK anticipates
        "APSystemStat",
    ],
)
def test_type_url_full_or_short_name(type_url: str) -> None:
    frame = decoded(cloud_event(STAT, type_url=type_url), T.AP_EVENTS)
    assert frame.payload == STAT
    assert frame.type_url == type_url
    assert (frame.event_id, frame.source) == ("evt-1", "//central")
    assert frame.time_ns == 1_764_000_000_250_000_000


def test_event_type_when_the_type_url_says_nothing() -> None:
    info = ap_events_pb2.APInfo(serial_number="CNX1", status=True)
    frame = decoded(
        cloud_event(info.SerializeToString(), event_type=f"{AP_TYPE_PREFIX}state.device"),
        T.AP_EVENTS,
    )
    assert frame.payload == info


def test_unknown_ap_type_is_counted_not_guessed() -> None:
    result = decode_cloud_event(
        cloud_event(
            STAT.SerializeToString(),
            type_url="type.googleapis.com/network_monitoring.ap.v1alpha1.Nope",
            event_type="com.example.unknown",
        ),
        topic=T.AP_EVENTS,
        customer="globex",
    )
    assert isinstance(result, DecodeFailure)
    assert result.kind is DecodeErrorKind.UNKNOWN_TYPE
    assert result.describe() == (
        f"ap-events frame of customer 'globex' ({result.size} bytes) not decoded: unknown_type: "
        "payload type 'type.googleapis.com/network_monitoring.ap.v1alpha1.Nope' is not one of "
        "ap-events's"
    )


def test_topic_default_when_type_url_is_unknown() -> None:
    message = client_pb2.StreamClientMessage(
        client_stats=client_pb2.ClientStats(mac_address="aa:bb:cc:dd:ee:01", tx_bytes=5)
    )
    frame = decoded(
        cloud_event(message.SerializeToString(), type_url="type.googleapis.com/clients.Whatever"),
        T.CLIENTS_EVENTS,
    )
    assert frame.payload == message


def test_a_wrapped_topics_inner_message_is_wrapped() -> None:
    stats = sw_pb2.DeviceStats(serial_number="SW1", cpu_utilization=12)
    frame = decoded(cloud_event(stats), T.SWITCH_EVENTS)
    assert frame.payload == sw_pb2.StreamSwitchMessage(device_stats=stats)


@pytest.mark.parametrize(
    "type_url",
    [
        "type.googleapis.com/audittrail.AuditTrail",
        "type.googleapis.com/network_services.audit_trail.v1alpha1.AuditTrail",
    ],
)
def test_audit_trail_under_either_package_name(type_url: str) -> None:
    audit = audit_trail_pb2.AuditTrail(tenant_id="t1", occurred_on=1_764_000_000_123)
    frame = decoded(cloud_event(audit, type_url=type_url), T.AUDIT_TRAIL_EVENTS)
    assert frame.payload == audit


@pytest.mark.parametrize(
    ("frame", "kind", "detail"),
    [
        (b"", DecodeErrorKind.EMPTY_FRAME, "frame has no bytes"),
        (b"\xff\xff\xff", DecodeErrorKind.BAD_ENVELOPE, "not a CloudEvent envelope"),
        (
            event_pb2.CloudEvent(id="x", type="t").SerializeToString(),
            DecodeErrorKind.EMPTY_PAYLOAD,
            "event carries no payload",
        ),
        (
            event_pb2.CloudEvent(id="x", text_data="{}").SerializeToString(),
            DecodeErrorKind.WRONG_PAYLOAD,
            "a text payload, not protobuf",
        ),
        (
            cloud_event(b"\x0a\xff", type_url="network_monitoring.clients.v1.StreamClientMessage"),
            DecodeErrorKind.BAD_PAYLOAD,
            "payload is not valid network_monitoring.clients.v1.StreamClientMessage",
        ),
        (
            # field 1 (client_state, a message) sent as a varint: another payload
            cloud_event(b"\x08\x05", type_url="network_monitoring.clients.v1.StreamClientMessage"),
            DecodeErrorKind.WRONG_PAYLOAD,
            "payload does not match network_monitoring.clients.v1.StreamClientMessage: wrong "
            "wire type for client_state",
        ),
    ],
)
def test_failures_by_kind(frame: bytes, kind: DecodeErrorKind, detail: str) -> None:
    result = decode_cloud_event(frame, topic=T.CLIENTS_EVENTS, customer="globex")
    assert isinstance(result, DecodeFailure)
    assert result.kind is kind
    assert result.detail.startswith(detail)
    assert result.topic == "clients-events"


def test_json_form() -> None:
    stats = sw_pb2.DeviceStats(serial_number="SW1", cpu_utilization=12)
    stats.timestamp.CopyFrom(TIME)
    frame = decoded(cloud_event(stats, subject="tenant-42"), T.SWITCH_EVENTS)
    assert new_central_frame_to_json(frame) == {
        "platform": "new_central",
        "topic": "switch-events",
        "event_id": "evt-1",
        "event_type": "",
        "source": "//central",
        "subject": "tenant-42",
        "timestamp_ns": 1_764_000_000_250_000_000,
        "time": "2025-11-24T16:00:00.250Z",
        "size": frame.size,
        "type_url": "type.googleapis.com/network_monitoring.switch.v1.DeviceStats",
        "message_type": "network_monitoring.switch.v1.StreamSwitchMessage",
        "payload": {
            "device_stats": {
                "timestamp": "2025-11-24T16:00:00.250Z",
                "serial_number": "SW1",
                "cpu_utilization": 12,
            }
        },
    }


def test_decode_command_reads_both_platforms_from_one_capture(tmp_path: Path) -> None:
    path = tmp_path / "mixed.cap"
    with CaptureWriter(path, max_bytes=1 << 20) as writer:
        writer.write(
            CaptureRecord(1, "audit", "acme", samples.envelope("audit", samples.audit()), "classic")
        )
        writer.write(CaptureRecord(2, "ap-events", "globex", cloud_event(STAT), "new_central"))
        writer.write(CaptureRecord(3, "location", "globex", b"\xff\xff", "new_central"))
    proc = subprocess.run(
        [sys.executable, "-m", "central_otel", "decode", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 1  # one frame failed
    assert [line.get("message_type") for line in lines] == [
        "Audit.audit_message",
        "network_monitoring.ap.v1alpha1.APSystemStat",
        None,
    ]
    assert lines[1]["payload"] == {"serial_number": "CNX1", "cpu_utilization": 37.5}
    assert lines[1]["customer"] == "globex"
    assert (lines[2]["error"], lines[2]["topic"]) == ("bad_envelope", "location")
    assert "1 failed" in proc.stderr
