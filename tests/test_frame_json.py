"""JSON rendering of decoded frames: readable MACs/IPs/ESSIDs, numbers, enum names."""

from __future__ import annotations

import json
from typing import Any

from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.frame_json import failure_to_json, frame_to_json, iso_time, message_to_json
from central_otel.proto import monitoring_pb2
from tests import samples


def _json(subject: str, payload: Any, **kwargs: Any) -> dict[str, Any]:
    result = decode_frame(samples.envelope(subject, payload))
    assert isinstance(result, DecodedFrame)
    rendered = frame_to_json(result, **kwargs)
    # Must be valid JSON as is (no bytes, no NaN).
    return dict(json.loads(json.dumps(rendered, allow_nan=False)))


def test_envelope_fields() -> None:
    out = _json("audit", samples.audit())
    assert {
        k: out[k]
        for k in ("topic", "subject", "customer_id", "timestamp_ns", "time", "message_type")
    } == {
        "topic": "audit",
        "subject": "audit",
        "customer_id": samples.CUSTOMER_ID,
        "timestamp_ns": samples.ENVELOPE_NS,
        "time": "2025-11-24T16:00:00.123Z",
        "message_type": "Audit.audit_message",
    }
    assert "msp_id" not in out


def test_monitoring_payload_is_readable() -> None:
    payload = _json("monitoring", samples.monitoring())["payload"]
    assert payload["data_elements"] == ["STATE_AP", "STAT_DEVICE", "STATE_WIRELESSCLIENT"]
    assert payload["aps"][0] == {
        "action": "ADD",
        "serial": "CNF7JSS0AA",
        "name": "ap-lobby-01",
        "macaddr": "e0:f8:47:1e:00:01",
        "cluster_id": "cluster-1",
        "status": "DOWN",
        "ip_address": "10.1.10.103",
        "model": "AP-535",
        "firmware_version": "10.6.0.2",
    }
    # Absent proto2 fields are absent, not their declared defaults (UPDATE / UP).
    assert payload["aps"][1] == {"serial": "CNF7JSS0BB", "name": "ap-lobby-02"}
    assert payload["device_stats"][0]["mem_total"] == 2**33
    assert isinstance(payload["device_stats"][0]["mem_total"], int)
    assert payload["wireless_clients"][0] == {
        "action": "DELETE",
        "macaddr": "3c:22:fb:00:00:42",
        "name": "laptop-42",
        "ip_address": "2001:db8::42",
        "associated_device": "CNF7JSS0AA",
        "radio_mac": "e0:f8:47:1e:00:10",
        "network": "Café-Guest",
    }
    assert payload["uplink_probe_stats"][0] == {
        "device_id": "GW01",
        "link_id": 1,
        "vpnc_ip_addr": "10.0.0.1",
        "avg_rtt_float": 12.5,
    }
    assert payload["notification"][0] == {
        "id": "n-1",
        "type": "AP_DISCONNECTED",
        "device_id": "CNF7JSS0AA",
        "severity": "Major",
        "extra": [{"key": "site", "value": "HQ"}],
    }
    assert payload["timestamp"] == 1_764_000_000


def test_presence_ascii_macs_and_semconv_style() -> None:
    prox = _json("presence", samples.presence())["payload"]["pa_proximity_event"]["proximity"][0]
    assert prox["sta_eth_mac"] == "3c:22:fb:00:00:42"
    assert prox["rssi_val"] == -67
    semconv = _json("presence", samples.presence(), mac_style="semconv")
    prox = semconv["payload"]["pa_proximity_event"]["proximity"][0]
    assert prox["sta_eth_mac"] == "3C-22-FB-00-00-42"
    assert prox["ap_eth_mac"] == "E0-F8-47-1E-00-01"


def test_apprf_audit_location_security() -> None:
    apprf = _json("apprf", samples.apprf())["payload"]
    session = apprf["client_firewall_session"][0]
    assert session["client_ip"] == "192.168.1.20"
    assert session["client_mac"] == "3c:22:fb:00:00:42"
    assert apprf["url_detail_record"][0]["dest_url_prefix"] == "www.example.com/"
    assert apprf["url_detail_record"][0]["dest_ip"] == "93.184.216.34"
    audit = _json("audit", samples.audit())["payload"]
    assert audit["client_ip"] == "2001:db8::42"
    assert audit["service"] == "FIRMWARE"
    assert audit["firmware_info"] == {"data": "Firmware upgrade to 10.6.0.2 scheduled"}
    loc = _json("location", samples.location())["payload"]
    assert loc["unit"] == "FEET"
    assert loc["sta_location_x"] == 12.5
    assert loc["records"][0]["radio_mac"] == "e0:f8:47:1e:00:10"
    geo = _json("location", samples.geofence())["payload"]
    assert geo["geofence_event"] == "ZONE_OUT"
    assert geo["geofence_id"] == "0x0102"
    sec = _json("security", samples.security())["payload"]
    assert sec["rogue"][0]["rogue_id"] == "aa:bb:cc:dd:ee:ff"
    assert sec["idsEvent"][0]["mac_addr"] == "3c:22:fb:00:00:42"


def test_unknown_enum_and_fields_are_reported() -> None:
    raw = monitoring_pb2.Interface(device_id="SW1").SerializePartialToString()
    raw += bytes([0x80, 0x01, 9])  # field 16 (speed), varint 9  # speed = 9: unknown enum number
    raw += bytes([0xC0, 0x0C, 7])  # field 200 varint 7: unknown field
    interface = monitoring_pb2.Interface()
    interface.MergeFromString(raw)
    assert message_to_json(interface) == {
        "device_id": "SW1",
        "_unknown_fields": [{"field": 16, "name": "speed", "value": 9}, {"field": 200, "value": 7}],
    }


def test_bad_mac_and_ip_bytes_are_shown_as_hex() -> None:
    ap = monitoring_pb2.Ap(serial="X")
    ap.macaddr.addr = b"\x01\x02\x03"
    ap.ip_address.af = monitoring_pb2.IpAddress.ADDR_FAMILY_INET
    ap.ip_address.addr = b"\x01\x02"
    assert message_to_json(ap) == {"serial": "X", "macaddr": "0x010203", "ip_address": "0x0102"}


def test_non_finite_floats_stay_valid_json() -> None:
    probe = monitoring_pb2.UplinkIpProbeStats(
        avg_rtt_float=float("nan"), max_rtt_float=float("inf")
    )
    assert message_to_json(probe) == {"avg_rtt_float": "nan", "max_rtt_float": "inf"}


def test_failure_json() -> None:
    failure = decode_frame(b"", customer="CustomerA")
    assert not isinstance(failure, DecodedFrame)
    assert failure_to_json(failure) == {
        "error": "empty_frame",
        "detail": "frame has no bytes",
        "size": 0,
        "customer": "CustomerA",
    }


def test_iso_time() -> None:
    assert iso_time(0) == "1970-01-01T00:00:00.000Z"
    assert iso_time(1_555_536_367_929_000_000) == "2019-04-17T21:26:07.929Z"
