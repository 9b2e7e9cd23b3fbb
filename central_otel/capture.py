"""Capture files: raw frames as received, with their subscription, for support cases.

Format (all integers big-endian), documented in docs/capture-format.md:

    file   := MAGIC record*
    MAGIC  := b"COTLCAP1"                       8 bytes
    record := length:u32  received_ns:u64  topic_len:u8  topic  customer_len:u8  customer  frame
              (length counts everything after itself)

`topic` and `customer` are the subscription's (ASCII topic name, UTF-8 customer
name, each at most 255 bytes); `frame` is the WebSocket message exactly as
received, i.e. a serialised `MsgProto` envelope. `central-otel decode` reads it.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self

MAGIC = b"COTLCAP1"
_LENGTH = struct.Struct(">I")
_TIME = struct.Struct(">Q")
# A frame larger than this in a capture is corrupt, not a real frame.
MAX_RECORD_BYTES = 256 * 1024 * 1024


class CaptureError(ValueError):
    """The capture file is damaged at a known place."""


@dataclass(frozen=True, slots=True)
class CaptureRecord:
    received_ns: int
    topic: str
    customer: str
    frame: bytes


def is_capture(head: bytes) -> bool:
    return head.startswith(MAGIC)


def encode_record(record: CaptureRecord) -> bytes:
    topic = record.topic.encode("ascii")
    customer = record.customer.encode("utf-8")
    if len(topic) > 255 or len(customer) > 255:
        raise ValueError("topic and customer names are limited to 255 bytes in a capture")
    body = b"".join(
        (
            _TIME.pack(record.received_ns),
            bytes([len(topic)]),
            topic,
            bytes([len(customer)]),
            customer,
            record.frame,
        )
    )
    return _LENGTH.pack(len(body)) + body


def iter_records(data: bytes) -> Iterator[CaptureRecord]:
    """The records of a capture held in memory; CaptureError names the bad offset."""
    if not is_capture(data):
        raise CaptureError("not a capture file (no COTLCAP1 header)")
    offset = len(MAGIC)
    while offset < len(data):
        if offset + _LENGTH.size > len(data):
            raise CaptureError(f"truncated record header at byte {offset}")
        (length,) = _LENGTH.unpack_from(data, offset)
        start = offset + _LENGTH.size
        end = start + length
        if length > MAX_RECORD_BYTES or end > len(data):
            raise CaptureError(f"truncated record at byte {offset} ({length} bytes announced)")
        yield _decode_body(data[start:end], offset)
        offset = end


def _decode_body(body: bytes, offset: int) -> CaptureRecord:
    # Fixed part: received_ns (8) + topic_len (1) + customer_len (1) at the least.
    if len(body) < _TIME.size + 2:
        raise CaptureError(f"damaged record at byte {offset}: shorter than its fixed fields")
    (received_ns,) = _TIME.unpack_from(body, 0)
    pos = _TIME.size
    topic_end = pos + 1 + body[pos]
    if topic_end + 1 > len(body):
        raise CaptureError(f"damaged record at byte {offset}: names overrun the record")
    customer_end = topic_end + 1 + body[topic_end]
    if customer_end > len(body):
        raise CaptureError(f"damaged record at byte {offset}: names overrun the record")
    try:
        topic = body[pos + 1 : topic_end].decode("ascii")
        customer = body[topic_end + 1 : customer_end].decode("utf-8")
    except UnicodeDecodeError:
        raise CaptureError(f"damaged record at byte {offset}: names are not text") from None
    return CaptureRecord(received_ns, topic, customer, body[customer_end:])


class CaptureWriter:
    """Appends records to a capture file, stopping once it would exceed `max_bytes`.

    The file is created with mode 0600 (frames carry customer data). Writing stops
    rather than rotating so a forgotten capture cannot fill a disk; `full` says so.
    """

    def __init__(self, path: str | Path, max_bytes: int) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.full = False
        self.records = 0
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._file: BinaryIO = os.fdopen(fd, "ab")
        self._size = self._file.seek(0, os.SEEK_END)
        if self._size == 0:
            self._file.write(MAGIC)
            self._size = len(MAGIC)
        elif not self._starts_with_magic():
            self._file.close()
            raise CaptureError(f"{self.path} exists and is not a capture file")

    def _starts_with_magic(self) -> bool:
        with self.path.open("rb") as existing:
            return is_capture(existing.read(len(MAGIC)))

    def write(self, record: CaptureRecord) -> bool:
        """Append one record; False (and nothing written) once the size limit is reached."""
        if self.full:
            return False
        encoded = encode_record(record)
        if self._size + len(encoded) > self.max_bytes:
            self.full = True
            return False
        self._file.write(encoded)
        self._size += len(encoded)
        self.records += 1
        return True

    @property
    def size(self) -> int:
        return self._size

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
