"""Decoded frames (both platforms) as plain JSON values, for `decode`, `tail` and
capture inspection.

Unlike protobuf's `MessageToDict` (what the old sample client printed), MACs,
IPs and ESSIDs come out readable, 64-bit integers stay numbers, enums are named,
and only fields that were actually present are shown (proto2 presence): an
absent ``action`` is absent, not UPDATE. Values Central sent that this schema
does not know (newer enum numbers, newer fields) are listed under
``_unknown_fields`` rather than silently lost.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from central_otel.decoding import DecodedFrame, DecodeFailure, HasPayload, unknown_fields
from central_otel.new_central.decoding import NewCentralFrame
from central_otel.normalize import essid_text, ip_from_bytes, ip_from_int, mac_colon, mac_semconv

MacStyle = Literal["colon", "semconv"]

# Every schema wraps MACs in a one-field message (`addr`), raw 6 bytes or ASCII hex.
MAC_MESSAGES = frozenset(
    {
        "Monitoring.MacAddress",
        "Security.MacAddress",
        "Presence.mac_address",
        "Presence.MacAddress",
        "Location.mac_address",
        "Apprf.mac_address",
        "Audit.mac_address",
    }
)
# IPs are (family, bytes) pairs; the family numbering differs, the bytes do not.
IP_MESSAGES = frozenset({"Monitoring.IpAddress", "Apprf.ip_address", "Audit.ip_address"})
# Bytes fields that hold text (SSIDs and URL prefixes).
TEXT_BYTES_FIELDS = frozenset({"essid", "network", "dest_url_prefix"})
# Integer fields that hold IPv4 addresses.
INT_IP_FIELDS = frozenset(
    {"Monitoring.UplinkIpProbeStats.vpnc_ip_addr", "Monitoring.UplinkIpProbeStats.probe_ip_addr"}
)


def result_to_json(
    result: DecodedFrame | NewCentralFrame | DecodeFailure, mac_style: MacStyle = "colon"
) -> dict[str, Any]:
    """A decoded frame of either platform, or the failure to decode one."""
    if isinstance(result, DecodedFrame):
        return frame_to_json(result, mac_style)
    if isinstance(result, NewCentralFrame):
        return new_central_frame_to_json(result, mac_style)
    return failure_to_json(result)


def frame_to_json(frame: DecodedFrame, mac_style: MacStyle = "colon") -> dict[str, Any]:
    """The envelope's fields and the normalised payload of one frame."""
    return {
        "topic": frame.topic.value,
        "subject": frame.subject,
        "customer_id": frame.customer_id,
        **_present(msp_id=frame.msp_id),
        **_time(frame.timestamp_ns),
        "size": frame.size,
        **_payload(frame, mac_style),
    }


def new_central_frame_to_json(
    frame: NewCentralFrame, mac_style: MacStyle = "colon"
) -> dict[str, Any]:
    """The CloudEvent's fields and the payload of one New Central frame."""
    return {
        "platform": "new_central",
        "topic": frame.topic.value,
        "event_id": frame.event_id,
        "event_type": frame.event_type,
        **_present(source=frame.source, subject=frame.subject),
        **_time(frame.time_ns),
        "size": frame.size,
        **_present(type_url=frame.type_url),
        **_payload(frame, mac_style),
    }


def failure_to_json(failure: DecodeFailure) -> dict[str, Any]:
    return {
        "error": failure.kind.value,
        "detail": failure.detail,
        "size": failure.size,
        **_present(topic=failure.topic, customer=failure.customer),
    }


def _present(**fields: str | None) -> dict[str, str]:
    """The fields that have a value (an empty text is absent)."""
    return {name: value for name, value in fields.items() if value}


def _time(timestamp_ns: int | None) -> dict[str, Any]:
    if timestamp_ns is None:
        return {}
    return {"timestamp_ns": timestamp_ns, "time": iso_time(timestamp_ns)}


def _payload(frame: HasPayload, mac_style: MacStyle) -> dict[str, Any]:
    return {
        "message_type": frame.payload_type,
        "payload": message_to_json(frame.payload, mac_style),
    }


def iso_time(timestamp_ns: int) -> str:
    """RFC 3339 UTC time with millisecond precision."""
    moment = datetime.fromtimestamp(timestamp_ns / 1e9, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def message_to_json(message: Message, mac_style: MacStyle = "colon") -> dict[str, Any]:
    """Every present field of `message`, normalised (see the module docstring)."""
    mac = mac_colon if mac_style == "colon" else mac_semconv
    return _message(message, mac)


def _message(message: Message, mac: Callable[[bytes], str | None]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    descriptor = message.DESCRIPTOR
    for field, value in message.ListFields():
        if field.is_repeated:
            out[field.name] = [_value(field, item, mac) for item in value]
        else:
            out[field.name] = _value(field, value, mac)
    unknown = _unknown(message, descriptor)
    if unknown:
        out["_unknown_fields"] = unknown
    return out


def _value(field: FieldDescriptor, value: Any, mac: Callable[[bytes], str | None]) -> Any:
    kind = field.type
    if kind == FieldDescriptor.TYPE_MESSAGE:
        name = field.message_type.full_name  # type: ignore[union-attr]
        if name == "google.protobuf.Timestamp":
            return iso_time(value.seconds * 1_000_000_000 + value.nanos)
        if name in ("google.protobuf.Struct", "google.protobuf.Value"):
            return json_format.MessageToDict(value)
        if name in MAC_MESSAGES:
            return mac(value.addr) or _hex(value.addr)
        if name in IP_MESSAGES:
            return ip_from_bytes(value.addr) or _hex(value.addr)
        return _message(value, mac)
    if kind == FieldDescriptor.TYPE_ENUM:
        enum_value = field.enum_type.values_by_number.get(value)  # type: ignore[union-attr]
        return enum_value.name if enum_value is not None else value
    if kind == FieldDescriptor.TYPE_BYTES:
        return essid_text(value) if field.name in TEXT_BYTES_FIELDS else _hex(value)
    if kind == FieldDescriptor.TYPE_STRING and isinstance(value, bytes):
        # proto2 does not check UTF-8: a string field with invalid UTF-8 reads as bytes.
        return value.decode("utf-8", errors="replace")
    if kind in (FieldDescriptor.TYPE_FLOAT, FieldDescriptor.TYPE_DOUBLE):
        # JSON has no NaN/Infinity; keep the information as text.
        return value if math.isfinite(value) else str(value)
    if field.full_name in INT_IP_FIELDS:
        return ip_from_int(value) or value
    return value


def _hex(raw: bytes) -> str:
    return "0x" + raw.hex()


def _unknown(message: Message, descriptor: Any) -> list[dict[str, Any]]:
    """Fields the schema does not know. For proto2's closed enums this is where an
    enum number newer than the schema lands (the field itself then reads as absent)."""
    found: list[dict[str, Any]] = []
    for item in unknown_fields(message):
        entry: dict[str, Any] = {"field": item.field_number}
        known = descriptor.fields_by_number.get(item.field_number)
        if known is not None:
            entry["name"] = known.name
        if isinstance(item.data, int):
            entry["value"] = item.data
        elif isinstance(item.data, bytes):
            entry["bytes"] = len(item.data)
        found.append(entry)
    return found
