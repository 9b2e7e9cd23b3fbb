"""Capture files: raw frames as received, with their subscription, for support cases.

Format (all integers big-endian), documented in docs/capture-format.md:

    file   := MAGIC record*
    MAGIC  := b"COTLCAP2"                       8 bytes
    record := length:u32  received_ns:u64  platform_len:u8  platform
              topic_len:u8  topic  customer_len:u8  customer  frame
              (length counts everything after itself)

`platform` is ``classic`` or ``new_central``; `topic` and `customer` are the
subscription's (ASCII topic name, UTF-8 customer name, each at most 255 bytes);
`frame` is the WebSocket message exactly as received: a serialised `MsgProto`
envelope (Classic) or `CloudEvent` (New Central). `central-otel decode` reads it.

Version 1 (``COTLCAP1``) records have no platform field: they are Classic. They are
still read, and a writer appending to a version-1 file keeps writing version 1 (it
refuses New Central frames, which version 1 cannot tell apart).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self

MAGIC_V1 = b"COTLCAP1"
MAGIC = b"COTLCAP2"
CLASSIC = "classic"
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
    platform: str = CLASSIC


def is_capture(head: bytes) -> bool:
    return head.startswith((MAGIC, MAGIC_V1))


def encode_record(record: CaptureRecord, *, version: int = 2) -> bytes:
    topic = record.topic.encode("ascii")
    customer = record.customer.encode("utf-8")
    platform = record.platform.encode("ascii")
    if len(topic) > 255 or len(customer) > 255 or len(platform) > 255:
        raise ValueError("topic and customer names are limited to 255 bytes in a capture")
    if version == 1 and record.platform != CLASSIC:
        raise ValueError(
            f"a version-1 capture (COTLCAP1) holds Classic frames only, not {record.platform}; "
            "record to a new file"
        )
    head = b"" if version == 1 else bytes([len(platform)]) + platform
    body = b"".join(
        (
            _TIME.pack(record.received_ns),
            head,
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
        raise CaptureError("not a capture file (no COTLCAP2 or COTLCAP1 header)")
    version = 1 if data.startswith(MAGIC_V1) else 2
    offset = len(MAGIC)
    while offset < len(data):
        if offset + _LENGTH.size > len(data):
            raise CaptureError(f"truncated record header at byte {offset}")
        (length,) = _LENGTH.unpack_from(data, offset)
        start = offset + _LENGTH.size
        end = start + length
        if length > MAX_RECORD_BYTES or end > len(data):
            raise CaptureError(f"truncated record at byte {offset} ({length} bytes announced)")
        yield _decode_body(data[start:end], offset, version)
        offset = end


def _decode_body(body: bytes, offset: int, version: int) -> CaptureRecord:
    # Fixed part: received_ns (8) + (platform_len (1)) + topic_len (1) + customer_len (1).
    fixed = _TIME.size + (2 if version == 1 else 3)
    if len(body) < fixed:
        raise CaptureError(f"damaged record at byte {offset}: shorter than its fixed fields")
    (received_ns,) = _TIME.unpack_from(body, 0)
    pos = _TIME.size
    platform = CLASSIC
    if version == 2:
        platform_end = pos + 1 + body[pos]
        if platform_end + 2 > len(body):
            raise CaptureError(f"damaged record at byte {offset}: names overrun the record")
        try:
            platform = body[pos + 1 : platform_end].decode("ascii")
        except UnicodeDecodeError:
            raise CaptureError(f"damaged record at byte {offset}: names are not text") from None
        pos = platform_end
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
    return CaptureRecord(received_ns, topic, customer, body[customer_end:], platform)


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
        self.version = 2
        if self._size == 0:
            self._file.write(MAGIC)
            self._size = len(MAGIC)
        else:
            with self.path.open("rb") as existing:
                head = existing.read(len(MAGIC))
            if not is_capture(head):
                self._file.close()
                raise CaptureError(f"{self.path} exists and is not a capture file")
            self.version = 1 if head == MAGIC_V1 else 2

    def write(self, record: CaptureRecord) -> bool:
        """Append one record; False (and nothing written) once the size limit is reached."""
        if self.full:
            return False
        encoded = encode_record(record, version=self.version)
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
