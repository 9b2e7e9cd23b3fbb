"""Protobuf wire format, just what OTLP metrics need: varints, length-delimited
fields, fixed64 times and doubles, and `KeyValue` attributes whose values are
strings or string arrays.

Hand-written because building millions of `NumberDataPoint` objects per cycle is
what makes a general-purpose SDK slow at this; concatenating cached pieces is not.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from collections.abc import Set as AbstractSet


def varint(value: int) -> bytes:
    """Unsigned base-128 varint."""
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


# Length prefixes of small messages are looked up, not computed: one per data point.
# A data point is a few hundred bytes; the table is kept per process, so not larger.
LOOKED_UP_LENGTHS = 1 << 11
_LENGTHS: tuple[bytes, ...] = tuple(varint(n) for n in range(LOOKED_UP_LENGTHS))


def length(n: int) -> bytes:
    return _LENGTHS[n] if n < LOOKED_UP_LENGTHS else varint(n)


def tag(field: int, wire_type: int) -> bytes:
    return varint(field << 3 | wire_type)


def field_bytes(field: int, payload: bytes) -> bytes:
    """A length-delimited field (string, bytes or embedded message)."""
    return tag(field, 2) + length(len(payload)) + payload


def field_varint(field: int, value: int) -> bytes:
    return tag(field, 0) + varint(value)


# Encoded attributes are built once per entity, but their key/value pairs repeat
# across entities (a device's identity is on its radios', ports' and clients'
# series): pairs are cached, in a bounded dict that is simply emptied when full.
# Small: what repeats is a few devices' worth of pairs at a time (the side table keeps
# each entity's bytes), while most pairs are one entity's own (a client's MAC) and
# would only fill a larger cache (with the strings they were built from).
_PAIR_CACHE_MAX = 4_096
AttributeValue = str | tuple[str, ...]
_pairs: dict[tuple[int, str, AttributeValue], bytes] = {}
_keys: dict[str, bytes] = {}


def _string_value(text: object) -> bytes:
    raw = _utf8(text)
    return b"\x0a" + length(len(raw)) + raw  # AnyValue.string_value


def any_value(value: AttributeValue) -> bytes:
    """An `AnyValue`: a string, or an array of strings (`ArrayValue.values`)."""
    if not isinstance(value, tuple):
        return _string_value(value)
    items = b"".join(
        b"\x0a" + length(len(item)) + item for item in map(_string_value, value)
    )  # ArrayValue.values
    return b"\x2a" + length(len(items)) + items  # AnyValue.array_value


def _pair(field: int, key: str, value: AttributeValue) -> bytes:
    encoded_key = _keys.get(key)
    if encoded_key is None:
        raw = key.encode("utf-8")
        encoded_key = _keys[key] = b"\x0a" + length(len(raw)) + raw  # KeyValue.key
    encoded_value = any_value(value)
    kv = encoded_key + b"\x12" + length(len(encoded_value)) + encoded_value  # KeyValue.value
    if len(_pairs) >= _PAIR_CACHE_MAX:
        _pairs.clear()
    encoded = _pairs[(field, key, value)] = tag(field, 2) + length(len(kv)) + kv
    return encoded


def _utf8(value: object) -> bytes:
    """A string value's UTF-8. Protobuf gives a proto2 string field that is not valid
    UTF-8 as bytes: such a value is decoded with replacement characters rather than
    failing the whole export."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").encode("utf-8")
    return str(value).encode("utf-8")


def attributes(attrs: Mapping[str, AttributeValue], field: int) -> bytes:
    """`attrs` as repeated `KeyValue` field number `field` (in the mapping's order)."""
    get = _pairs.get
    return b"".join([get((field, k, v)) or _pair(field, k, v) for k, v in attrs.items()])


def split_attributes(
    attrs: Mapping[str, AttributeValue], field: int, leading: AbstractSet[str]
) -> tuple[bytes, bytes]:
    """`attributes(attrs, field)` in two parts: the longest leading run of pairs whose
    keys are in `leading`, and the rest."""
    get = _pairs.get
    pairs = [get((field, k, v)) or _pair(field, k, v) for k, v in attrs.items()]
    cut = 0
    for key in attrs:
        if key not in leading:
            break
        cut += 1
    return b"".join(pairs[:cut]), b"".join(pairs[cut:])


# NumberDataPoint tails: fixed64 start_time (2), fixed64 time (3), double as_double (4).
SUM_TAIL = struct.Struct("<BQBQBd")  # 0x11 start, 0x19 time, 0x21 value: 27 bytes
GAUGE_TAIL = struct.Struct("<BQBd")  # 0x19 time, 0x21 value: 18 bytes
START, TIME, DOUBLE = 0x11, 0x19, 0x21
# The same with an integer value, sfixed64 as_int (6).
SUM_TAIL_INT = struct.Struct("<BQBQBq")
GAUGE_TAIL_INT = struct.Struct("<BQBq")
INT = 0x31
