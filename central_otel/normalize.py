"""Normalisers for the wire encodings of Aruba's schemas: MACs, IPs, ESSIDs, timestamps.

Central encodes the same kind of value several ways (see docs/decoding.md):
MACs are raw 6 bytes in monitoring/location/apprf but 12 ASCII hex characters in
presence; IPs carry an address family whose numbering differs between schemas;
timestamps are nanoseconds, seconds or milliseconds depending on the message. Every
layer above goes through these functions so that one spelling reaches OpenTelemetry.

All functions are total: bad input gives ``None`` (or replacement characters for
text), never an exception, because a single odd field must not cost the frame.
"""

from __future__ import annotations

import ipaddress
import string

_HEX_DIGITS = frozenset(string.hexdigits)
_MAC_SEPARATORS = ":-."

# Epoch values below these magnitudes are taken to be in the coarser unit. Today is
# ~1.8e9 s, ~1.8e12 ms, ~1.8e15 us, ~1.8e18 ns: the bands are decades apart.
_MAX_SECONDS = 100_000_000_000  # year 5138 in seconds; 1973 in milliseconds
_MAX_MILLIS = 100_000_000_000_000
_MAX_MICROS = 100_000_000_000_000_000

NANOS_PER_SECOND = 1_000_000_000
NANOS_PER_MILLI = 1_000_000


def _mac_bytes(value: bytes | str) -> bytes | None:
    """The 6 octets of a MAC given as raw bytes, bare hex text or separated text."""
    if isinstance(value, bytes):
        if len(value) == 6:
            return value
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError:
            return None
    text = value.strip()
    if len(text) == 17 and text[2] in _MAC_SEPARATORS:  # aa:bb:cc:dd:ee:ff, AA-BB-..
        sep = text[2]
        parts = text.split(sep)
        if len(parts) != 6 or any(len(p) != 2 for p in parts):
            return None
        text = "".join(parts)
    elif len(text) == 14 and text[4] == "." and text[9] == ".":  # aabb.ccdd.eeff
        text = text.replace(".", "")
    if len(text) != 12 or not _HEX_DIGITS.issuperset(text):
        return None
    return bytes.fromhex(text)


def mac_bytes(value: bytes | str) -> bytes | None:
    """The 6 octets of a MAC written as text (New Central) or given as bytes; None
    when it is not a MAC."""
    return _mac_bytes(value)


def ip_bytes(text: str) -> bytes | None:
    """Network-order bytes (4 or 16) of an IP address written as text; None when it
    is not one."""
    try:
        return ipaddress.ip_address(text.strip()).packed
    except ValueError:
        return None


def mac_colon(value: bytes | str) -> str | None:
    """``aa:bb:cc:dd:ee:ff`` (lower case), the form network engineers read."""
    raw = _mac_bytes(value)
    return raw.hex(":") if raw is not None else None


def mac_semconv(value: bytes | str) -> str | None:
    """``AA-BB-CC-DD-EE-FF``, the form of OpenTelemetry's ``host.mac`` and
    ``hw.network.physical_address`` (IEEE RA hexadecimal form)."""
    raw = _mac_bytes(value)
    return raw.hex("-").upper() if raw is not None else None


def ip_from_bytes(value: bytes) -> str | None:
    """An IP address from network-order bytes (4 or 16), or from ASCII text.

    The address-family field next to it is deliberately ignored: monitoring numbers
    it 2/10 (Linux AF_INET/AF_INET6) and apprf/audit 1/2, and the length of the
    bytes already says which family it is. An IPv4-mapped IPv6 address is given as
    the IPv4 address, so one device has one spelling.
    """
    address: ipaddress.IPv4Address | ipaddress.IPv6Address
    try:
        if len(value) in (4, 16):
            address = ipaddress.ip_address(value)
        else:
            address = ipaddress.ip_address(value.decode("ascii").strip())
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def ip_from_int(value: int) -> str | None:
    """An IPv4 address carried as an integer (``UplinkIpProbeStats.*_ip_addr``).

    The integer holds the address in network order, most significant octet first.
    """
    if 0 <= value <= 0xFFFFFFFF:
        return str(ipaddress.IPv4Address(value))
    return None


def essid_text(value: bytes) -> str:
    """SSID octets as text: UTF-8 with replacement characters, NUL padding removed."""
    return value.rstrip(b"\x00").decode("utf-8", errors="replace")


def seconds_to_ns(value: int) -> int:
    """Epoch seconds (monitoring, audit, notifications) to epoch nanoseconds."""
    return value * NANOS_PER_SECOND


def millis_to_ns(value: int) -> int:
    """Epoch milliseconds (presence) to epoch nanoseconds."""
    return value * NANOS_PER_MILLI


def epoch_to_ns(value: int) -> int | None:
    """Epoch nanoseconds from a value whose unit is not documented (the envelope).

    Aruba does not document ``MsgProto.timestamp``; public clients read it as
    nanoseconds. The magnitude says which unit was used, so a change on Central's
    side cannot shift every timestamp by a factor of a thousand. ``None`` for 0 or
    a negative value (unset).
    """
    if value <= 0:
        return None
    if value < _MAX_SECONDS:
        return value * NANOS_PER_SECOND
    if value < _MAX_MILLIS:
        return value * NANOS_PER_MILLI
    if value < _MAX_MICROS:
        return value * 1_000
    return value


# -- radio bands ------------------------------------------------------------------------

RADIO_BANDS = {0: "2.4GHz", 1: "5GHz", 2: "6GHz"}
"""Classic's ``Radio.band`` numbers (docs/decoding.md, "Radio bands", says where from)."""

# Primary channel numbers per band (IEEE 802.11 channelisation). 6 GHz reuses numbers
# 1-233, so only 181-233 say 6 GHz on their own; lower numbers read as 2.4 or 5 GHz.
_CHANNEL_BANDS = ((1, 14, "2.4GHz"), (32, 177, "5GHz"), (181, 233, "6GHz"))

_BAND_WORDS = {"2.4": "2.4GHz", "24": "2.4GHz", "5": "5GHz", "5.0": "5GHz", "6": "6GHz"}


def band_from_channel(channel: str) -> str | None:
    """The band of a channel as Central writes it (``"36"``, ``"157E"``, ``"44+"``,
    ``"6S"``): its leading number, by the table above; None if it has none or the
    number is in no band."""
    text = channel.strip()
    end = 0
    while end < len(text) and text[end].isdigit():
        end += 1
    if end == 0:
        return None
    number = int(text[:end])
    for low, high, band in _CHANNEL_BANDS:
        if low <= number <= high:
            return band
    return None


def radio_band_name(band: int | None, channel: str = "") -> str | None:
    """``2.4GHz``/``5GHz``/``6GHz`` for a radio's band number, else the band its channel
    implies, else the number itself as text (an unknown value stays visible as what
    Central sent); None when there is neither a number nor a channel."""
    if band is not None and band in RADIO_BANDS:
        return RADIO_BANDS[band]
    derived = band_from_channel(channel) if channel else None
    if derived is not None:
        return derived
    return None if band is None else str(band)


def radio_band_text(value: str) -> str | None:
    """A band Central gives as text (security ``WIDSEvent.radio_band``: ``"5GHz"``,
    ``"2.4 GHz"``, ``"2.4"``...) in the spelling of `radio_band_name`; other text as
    given."""
    text = value.strip()
    if not text:
        return None
    number = text.lower().removesuffix("ghz").strip()
    return _BAND_WORDS.get(number, text)
