"""Capture files: round trip, size bound, file mode, damage detection."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from central_otel.capture import (
    MAGIC,
    MAGIC_V1,
    CaptureError,
    CaptureRecord,
    CaptureWriter,
    encode_record,
    iter_records,
)

RECORDS = [
    CaptureRecord(1_764_000_000_000_000_000, "monitoring", "CustomerA", b"\x12\x0amonitoring"),
    CaptureRecord(1_764_000_001_000_000_000, "presence", "Kunde-Ü", b""),
    CaptureRecord(1, "", "", b"\x00" * 1000),
    CaptureRecord(2, "location", "globex", b"\x0a\x01x", "new_central"),
]


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "c.cap"
    with CaptureWriter(path, max_bytes=1 << 20) as writer:
        assert all(writer.write(r) for r in RECORDS)
        assert writer.records == 4
    data = path.read_bytes()
    assert data.startswith(MAGIC)
    assert list(iter_records(data)) == RECORDS
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_appends_to_existing_capture(tmp_path: Path) -> None:
    path = tmp_path / "c.cap"
    with CaptureWriter(path, max_bytes=1 << 20) as writer:
        writer.write(RECORDS[0])
    with CaptureWriter(path, max_bytes=1 << 20) as writer:
        writer.write(RECORDS[1])
    assert list(iter_records(path.read_bytes())) == RECORDS[:2]


def test_refuses_to_append_to_another_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(CaptureError, match="exists and is not a capture file"):
        CaptureWriter(path, max_bytes=1 << 20)
    assert path.read_text() == "hello"


def test_size_bound_stops_writing(tmp_path: Path) -> None:
    path = tmp_path / "c.cap"
    one = len(encode_record(RECORDS[0]))
    with CaptureWriter(path, max_bytes=len(MAGIC) + 2 * one) as writer:
        assert writer.write(RECORDS[0])
        assert writer.write(RECORDS[0])
        assert not writer.write(RECORDS[0])
        assert writer.full
        assert not writer.write(CaptureRecord(0, "audit", "x", b""))  # stays full
        assert writer.records == 2
    assert path.stat().st_size == len(MAGIC) + 2 * one


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"garbage", "not a capture file (no COTLCAP2 or COTLCAP1 header)"),
        (MAGIC_V1 + b"\x00\x00", "truncated record header at byte 8"),
        (
            MAGIC_V1 + b"\x00\x00\x00\x20" + b"\x00" * 10,
            "truncated record at byte 8 (32 bytes announced)",
        ),
        (
            MAGIC_V1 + b"\x00\x00\x00\x03abc",
            "damaged record at byte 8: shorter than its fixed fields",
        ),
        (
            MAGIC_V1 + b"\x00\x00\x00\x0a" + b"\x00" * 8 + b"\x05x",
            "damaged record at byte 8: names overrun the record",
        ),
        (
            MAGIC_V1 + b"\x00\x00\x00\x0c" + b"\x00" * 8 + b"\x01a\x05x",
            "damaged record at byte 8: names overrun the record",
        ),
        (
            MAGIC_V1 + b"\x00\x00\x00\x0b" + b"\x00" * 8 + b"\x01\xff\x00",
            "damaged record at byte 8: names are not text",
        ),
        (
            MAGIC + b"\x00\x00\x00\x0b" + b"\x00" * 8 + b"\x09ab",
            "damaged record at byte 8: names overrun the record",
        ),
        (
            MAGIC + b"\x00\x00\x00\x0c" + b"\x00" * 8 + b"\x01\xff\x00\x00",
            "damaged record at byte 8: names are not text",
        ),
    ],
)
def test_damage_is_located(data: bytes, message: str) -> None:
    with pytest.raises(CaptureError) as info:
        list(iter_records(data))
    assert str(info.value) == message


def test_names_longer_than_255_bytes_are_refused() -> None:
    with pytest.raises(ValueError, match="limited to 255 bytes"):
        encode_record(CaptureRecord(0, "monitoring", "x" * 256, b""))


def test_version_1_captures_are_read_as_classic_and_appended_in_version_1(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.cap"
    # A capture written by an earlier release: COTLCAP1, no platform field.
    path.write_bytes(MAGIC_V1 + encode_record(RECORDS[0], version=1))
    assert list(iter_records(path.read_bytes())) == [RECORDS[0]]
    with CaptureWriter(path, max_bytes=1 << 20) as writer:
        assert writer.version == 1
        assert writer.write(RECORDS[1])
        with pytest.raises(ValueError, match="holds Classic frames only, not new_central"):
            writer.write(RECORDS[3])
    records = list(iter_records(path.read_bytes()))
    assert records == RECORDS[:2]
    assert {r.platform for r in records} == {"classic"}
