"""Every edge of the wire-encoding normalisers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from central_otel.normalize import (
    band_from_channel,
    epoch_to_ns,
    essid_text,
    ip_from_bytes,
    ip_from_int,
    mac_colon,
    mac_semconv,
    millis_to_ns,
    radio_band_name,
    radio_band_text,
    seconds_to_ns,
)

RAW = bytes([0xE0, 0xF8, 0x47, 0x1E, 0x00, 0x01])


@pytest.mark.parametrize(
    ("value", "colon", "semconv"),
    [
        (RAW, "e0:f8:47:1e:00:01", "E0-F8-47-1E-00-01"),  # monitoring/location/apprf: raw
        (b"E0F8471E0001", "e0:f8:47:1e:00:01", "E0-F8-47-1E-00-01"),  # presence: ASCII hex
        (b"e0f8471e0001", "e0:f8:47:1e:00:01", "E0-F8-47-1E-00-01"),
        ("e0:f8:47:1e:00:01", "e0:f8:47:1e:00:01", "E0-F8-47-1E-00-01"),
        ("E0-F8-47-1E-00-01", "e0:f8:47:1e:00:01", "E0-F8-47-1E-00-01"),
        ("e0f8.471e.0001", "e0:f8:47:1e:00:01", "E0-F8-47-1E-00-01"),  # Cisco dotted
        (" e0:f8:47:1e:00:01\n", "e0:f8:47:1e:00:01", "E0-F8-47-1E-00-01"),
        (b"e0:f8:47:1e:00:01", "e0:f8:47:1e:00:01", "E0-F8-47-1E-00-01"),
        (b"\x00" * 6, "00:00:00:00:00:00", "00-00-00-00-00-00"),
        (b"abcdef", "61:62:63:64:65:66", "61-62-63-64-65-66"),  # 6 bytes are always raw
    ],
)
def test_mac_forms(value: bytes | str, colon: str, semconv: str) -> None:
    assert mac_colon(value) == colon
    assert mac_semconv(value) == semconv


@pytest.mark.parametrize(
    "value",
    [
        b"",
        b"\x01\x02\x03\x04\x05",  # 5 bytes
        b"\x01\x02\x03\x04\x05\x06\x07",  # 7 bytes
        b"E0F8471E000",  # 11 hex chars
        b"E0F8471E00G1",  # not hex
        b"\xff" * 12,  # not ASCII
        "e0:f8:47:1e:0001",
        "e0:f8-47:1e:00:01",  # mixed separators
        "e0f8:471e:0001",
        "",
        "zz:zz:zz:zz:zz:zz",
    ],
)
def test_mac_rejects(value: bytes | str) -> None:
    assert mac_colon(value) is None
    assert mac_semconv(value) is None


@given(st.binary(min_size=6, max_size=6))
def test_mac_roundtrip_raw_and_text(raw: bytes) -> None:
    colon = mac_colon(raw)
    assert colon is not None
    assert mac_colon(colon) == colon
    assert mac_colon(raw.hex().upper().encode()) == colon
    assert mac_semconv(colon) == colon.replace(":", "-").upper()


@given(st.one_of(st.binary(max_size=20), st.text(max_size=20)))
def test_mac_never_raises(value: bytes | str) -> None:
    result = mac_colon(value)
    assert result is None or len(result) == 17


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (bytes([10, 1, 10, 103]), "10.1.10.103"),
        (bytes([0, 0, 0, 0]), "0.0.0.0"),
        (bytes.fromhex("20010db8000000000000000000000001"), "2001:db8::1"),
        (bytes.fromhex("fe800000000000000202b3fffe1e8329"), "fe80::202:b3ff:fe1e:8329"),
        (bytes.fromhex("00000000000000000000ffffc0a80001"), "192.168.0.1"),  # v4-mapped
        (b"10.1.2.3", "10.1.2.3"),  # text in bytes
        (b"2001:db8::5", "2001:db8::5"),
    ],
)
def test_ip_from_bytes(value: bytes, expected: str) -> None:
    assert ip_from_bytes(value) == expected


@pytest.mark.parametrize(
    "value", [b"", b"\x01\x02\x03", b"\x01" * 5, b"\x01" * 15, b"not-an-ip", b"\xff\xfe"]
)
def test_ip_from_bytes_rejects(value: bytes) -> None:
    assert ip_from_bytes(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0x0A010A67, "10.1.10.103"),
        (0, "0.0.0.0"),
        (0xFFFFFFFF, "255.255.255.255"),
        (0x1_0000_0000, None),
        (-1, None),
    ],
)
def test_ip_from_int(value: int, expected: str | None) -> None:
    assert ip_from_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"Corp-WiFi", "Corp-WiFi"),
        ("Café ☕".encode(), "Café ☕"),
        (b"Guest\x00\x00\x00", "Guest"),
        (b"bad\xffbyte", "bad\ufffdbyte"),
        (b"", ""),
    ],
)
def test_essid_text(value: bytes, expected: str) -> None:
    assert essid_text(value) == expected


def test_timestamp_units() -> None:
    assert seconds_to_ns(1_700_000_000) == 1_700_000_000_000_000_000
    assert millis_to_ns(1_555_536_367_929) == 1_555_536_367_929_000_000


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_700_000_000_123_456_789, 1_700_000_000_123_456_789),  # ns (documented by clients)
        (1_700_000_000_123_456, 1_700_000_000_123_456_000),  # us
        (1_700_000_000_123, 1_700_000_000_123_000_000),  # ms
        (1_700_000_000, 1_700_000_000_000_000_000),  # s
        (0, None),
        (-5, None),
    ],
)
def test_epoch_to_ns(value: int, expected: int | None) -> None:
    assert epoch_to_ns(value) == expected


@pytest.mark.parametrize(
    ("band", "channel", "expected"),
    [
        (0, "6", "2.4GHz"),
        (1, "36", "5GHz"),
        (2, "37", "6GHz"),  # the number decides: 37 alone would read as 5 GHz
        (1, "", "5GHz"),
        (0, "149", "2.4GHz"),  # a known number wins over the channel
        (None, "11", "2.4GHz"),  # no number: from the channel
        (None, "157E", "5GHz"),
        (None, "44+", "5GHz"),
        (None, "100-", "5GHz"),
        (None, "197S", "6GHz"),
        (7, "36E", "5GHz"),  # unknown number, known channel
        (7, "", "7"),  # unknown number, no channel: the number stays visible
        (7, "x", "7"),
        (3, "250", "3"),  # a channel in no band
        (None, "", None),
        (None, "auto", None),
    ],
)
def test_radio_band_name(band: int | None, channel: str, expected: str | None) -> None:
    assert radio_band_name(band, channel) == expected


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        ("1", "2.4GHz"),
        ("14", "2.4GHz"),
        ("15", None),
        ("31", None),
        ("32", "5GHz"),
        ("177", "5GHz"),
        ("178", None),
        ("181", "6GHz"),
        ("233", "6GHz"),
        ("234", None),
        ("0", None),
        (" 48E ", "5GHz"),
        ("", None),
        ("E36", None),
    ],
)
def test_band_from_channel_edges(channel: str, expected: str | None) -> None:
    assert band_from_channel(channel) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.4GHz", "2.4GHz"),
        ("2.4 GHz", "2.4GHz"),
        ("2.4ghz", "2.4GHz"),
        ("2.4", "2.4GHz"),
        ("5GHz", "5GHz"),
        ("5.0 GHz", "5GHz"),
        ("6GHZ", "6GHz"),
        ("60GHz", "60GHz"),  # not a Wi-Fi band we know: as given
        (" dual ", "dual"),
        ("", None),
    ],
)
def test_radio_band_text(text: str, expected: str | None) -> None:
    assert radio_band_text(text) == expected
