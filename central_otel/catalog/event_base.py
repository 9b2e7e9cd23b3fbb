"""What the event catalogue's mapping functions share: the record and severity types,
and field readers that follow proto2 presence.

Every reader is total: an absent field (never its declared default) or an odd value
gives None or "", never an exception, so one odd message costs at most its own
attributes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum

from google.protobuf.message import Message

from central_otel.catalog.attributes import DEVICE_CLASSES, AttributeLookup
from central_otel.decoding import present
from central_otel.normalize import epoch_to_ns, ip_from_bytes, mac_semconv

AttributeValue = str | int | float | bool | tuple[str, ...]
Attributes = dict[str, AttributeValue]


class Severity(IntEnum):
    """OpenTelemetry SeverityNumber values (the first of each range)."""

    TRACE = 1
    DEBUG = 5
    INFO = 9
    WARN = 13
    ERROR = 17
    FATAL = 21


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event, ready to be emitted as a log record."""

    event_name: str
    severity_number: int
    body: str
    attributes: Mapping[str, AttributeValue]
    timestamp_ns: int | None  # when it occurred; None: unknown (the SDK leaves it unset)


@dataclass(frozen=True, slots=True)
class Draft:
    """What a mapping function returns; the catalogue adds the name and customer."""

    severity: Severity
    body: str
    attributes: Attributes
    timestamp_ns: int | None = None  # the item's own time; None: the frame's


@dataclass(frozen=True, slots=True)
class Context:
    """What a mapping function may look up: the customer's entities (None: a frame
    mapped without a store, e.g. by `decode`)."""

    lookup: AttributeLookup | None


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_KEY = re.compile(r"[^a-z0-9]+")
_MAX_KEY = 64


def str_field(m: Message, name: str) -> str:
    """A present string field, stripped; "" when absent."""
    value = present(m, name)
    return value.strip() if isinstance(value, str) else ""


def one_line(text: str) -> str:
    """One line for a body: control characters and runs of blanks become one space."""
    return " ".join(_CONTROL.sub(" ", text).split())


_INT64 = range(-(2**63), 2**63)  # OTLP integer attributes are int64


def int_field(m: Message, name: str) -> int | None:
    """A present integer field; None when absent or beyond int64 (a uint64 of garbage)."""
    value = present(m, name)
    if isinstance(value, int) and not isinstance(value, bool) and value in _INT64:
        return value
    return None


def float_field(m: Message, name: str) -> float | None:
    value = present(m, name)
    return float(value) if isinstance(value, float | int) else None


def mac_field(m: Message, name: str) -> str | None:
    """A MAC sub-message as ``AA-BB-CC-DD-EE-FF`` (its hex when not a MAC)."""
    if not m.HasField(name):
        return None
    raw = bytes(getattr(m, name).addr)
    return (mac_semconv(raw) or raw.hex()) if raw else None


def ip_field(m: Message, name: str) -> str | None:
    if not m.HasField(name):
        return None
    raw = bytes(getattr(m, name).addr)
    return ip_from_bytes(raw) if raw else None


def enum_field(m: Message, name: str, prefix: str = "", *, lower: bool = True) -> str | None:
    """The name of a present enum value, without `prefix`, lower-cased by default."""
    value = present(m, name)
    enum_type = m.DESCRIPTOR.fields_by_name[name].enum_type
    if value is None or enum_type is None:
        return None
    found = enum_type.values_by_number.get(value)
    if found is None:
        return None
    text = found.name.removeprefix(prefix)
    return text.lower() if lower else text


def snake(text: str) -> str:
    """Free text as a lower-case identifier: "Client Attack" -> "client_attack"."""
    return _NON_KEY.sub("_", _CAMEL.sub("_", text).lower()).strip("_")[:_MAX_KEY]


def put(attrs: Attributes, name: str, value: AttributeValue | None) -> None:
    """Set an attribute unless the value is absent or empty text."""
    if value is not None and value != "":
        attrs[name] = value


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_NS = 2**63 - 1  # OTLP carries fixed64 nanoseconds; the SDK's int64 ends in 2262


def _bounded(ns: int | None) -> int | None:
    """A timestamp that can be exported: garbage (0, negative, past 2262) is None."""
    return ns if ns is not None and 0 < ns <= _MAX_NS else None


def time_field(m: Message, name: str) -> int | None:
    """Epoch ns of a present epoch field (s, ms, us or ns: the magnitude tells)."""
    value = int_field(m, name)
    return _bounded(epoch_to_ns(value)) if value is not None else None


def parse_time(text: str) -> int | None:
    """Epoch ns from undocumented time text (epoch digits or ISO 8601); None if neither."""
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return _bounded(epoch_to_ns(int(text)))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # Central's times are UTC
    delta = moment - _EPOCH
    return _bounded(
        (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000
    )


def device_attributes(ctx: Context, serial: str) -> Attributes:
    """Identity of a device known by serial: `host.id`, enriched from the store."""
    if not serial:
        return {}
    attrs: Attributes = {}
    attrs.update(ctx.lookup.device(serial) if ctx.lookup is not None else {"host.id": serial})
    return attrs


def known_device(ctx: Context, ident: str) -> Attributes:
    """Identity of a device named by a field that may hold a serial or a name: only
    when the store (its state, or the inventory) knows a device with that serial (a name
    is not a `host.id`)."""
    if not ident or ctx.lookup is None:
        return {}
    if all(ctx.lookup.get(cls, (ident,)) is None for cls in DEVICE_CLASSES):
        return {}
    return device_attributes(ctx, ident)


def label(attrs: Attributes, fallback: str = "") -> str:
    """How a body names a device: its name, else its serial, else `fallback`."""
    return str(attrs.get("host.name") or attrs.get("host.id") or fallback)
