"""Frames for every topic, built from the schemas, with known values to assert on."""

from __future__ import annotations

from google.protobuf.message import Message

from central_otel.proto import (
    apprf_pb2,
    audit_pb2,
    location_pb2,
    monitoring_pb2,
    presence_pb2,
    security_pb2,
    streaming_pb2,
)

CUSTOMER_ID = "cust-0001"
ENVELOPE_NS = 1_764_000_000_123_456_789
AP_MAC = bytes.fromhex("e0f8471e0001")
RADIO_MAC = bytes.fromhex("e0f8471e0010")
CLIENT_MAC = bytes.fromhex("3c22fb000042")
AP_IP = bytes([10, 1, 10, 103])
CLIENT_IP6 = bytes.fromhex("20010db8000000000000000000000042")


def envelope(subject: str, payload: Message | bytes, *, msp_id: str = "") -> bytes:
    data = payload if isinstance(payload, bytes) else payload.SerializePartialToString()
    msg = streaming_pb2.MsgProto(
        subject=subject, data=data, timestamp=ENVELOPE_NS, customer_id=CUSTOMER_ID, msp_id=msp_id
    )
    return msg.SerializeToString()


def monitoring() -> monitoring_pb2.MonitoringInformation:
    m = monitoring_pb2.MonitoringInformation(customer_id=CUSTOMER_ID, timestamp=1_764_000_000)
    m.data_elements.extend(
        [monitoring_pb2.STATE_AP, monitoring_pb2.STAT_DEVICE, monitoring_pb2.STATE_WIRELESSCLIENT]
    )
    ap = m.aps.add(
        action=monitoring_pb2.ADD,
        serial="CNF7JSS0AA",
        name="ap-lobby-01",
        cluster_id="cluster-1",
        status=monitoring_pb2.DOWN,
        model="AP-535",
        firmware_version="10.6.0.2",
    )
    ap.macaddr.addr = AP_MAC
    ap.ip_address.af = monitoring_pb2.IpAddress.ADDR_FAMILY_INET
    ap.ip_address.addr = AP_IP
    # An update that carries no action and no status: proto2 defaults must not leak.
    m.aps.add(serial="CNF7JSS0BB", name="ap-lobby-02")
    m.device_stats.add(
        device_id="CNF7JSS0AA",
        timestamp=1_764_000_000,
        uptime=86_400,
        cpu_utilization=37,
        mem_total=2**33,  # a uint64 above 2**32: must stay a number
        mem_free=2**32,
    )
    client = m.wireless_clients.add(
        action=monitoring_pb2.DELETE, name="laptop-42", associated_device="CNF7JSS0AA"
    )
    client.macaddr.addr = CLIENT_MAC
    client.radio_mac.addr = RADIO_MAC
    client.network = "Café-Guest".encode()
    client.ip_address.af = monitoring_pb2.IpAddress.ADDR_FAMILY_INET6
    client.ip_address.addr = CLIENT_IP6
    probe = m.uplink_probe_stats.add(device_id="GW01", link_id=1, vpnc_ip_addr=0x0A000001)
    probe.avg_rtt_float = 12.5
    note = m.notification.add(
        id="n-1",
        type="AP_DISCONNECTED",
        device_id="CNF7JSS0AA",
        severity=monitoring_pb2.Notification.Major,
    )
    note.extra.add(key="site", value="HQ")
    return m


def presence() -> presence_pb2.presence_event:
    p = presence_pb2.presence_event(
        timestamp=1_555_536_367_929,
        customer_id=CUSTOMER_ID,
        event="presence",
        event_type=presence_pb2.presence_event.proximity,
    )
    prox = p.pa_proximity_event.proximity.add(device_id="CNF7JSS0AA", rssi_val=-67, associated=True)
    prox.sta_eth_mac.addr = b"3C22FB000042"  # presence sends MACs as ASCII hex
    prox.radio_mac.addr = b"E0F8471E0010"
    prox.ap_eth_mac.addr = b"E0F8471E0001"
    return p


def security() -> security_pb2.RapidsStreamingEvent:
    s = security_pb2.RapidsStreamingEvent(cust_id=CUSTOMER_ID)
    rogue = s.rogue.add(classification=1, ssid="FreeWiFi", first_det_device="CNF7JSS0AA")
    rogue.rogue_id.addr = bytes.fromhex("aabbccddeeff")
    ids = s.idsEvent.add(
        device_id="CNF7JSS0AA", event_number=7, attack_type="Deauth flood", level="high"
    )
    ids.mac_addr.addr = CLIENT_MAC
    return s


def location() -> location_pb2.stream_location:
    loc = location_pb2.stream_location(
        sta_location_x=12.5,
        sta_location_y=3.25,
        error_level=2,
        unit=location_pb2.FEET,
        target_type=location_pb2.TARGET_TYPE_STATION,
    )
    loc.sta_eth_mac.addr = CLIENT_MAC
    rec = loc.records.add(timestamp=1_764_000_001, rssi_val=-70, channel=36)
    rec.radio_mac.addr = RADIO_MAC
    return loc


def geofence() -> location_pb2.stream_geofence_notify:
    g = location_pb2.stream_geofence_notify(
        geofence_event=location_pb2.ZONE_OUT,
        geofence_id=b"\x01\x02",
        geofence_name="Lobby",
        dwell_time=120,
    )
    g.sta_eth_mac.addr = CLIENT_MAC
    return g


def apprf() -> apprf_pb2.apprf_session:
    a = apprf_pb2.apprf_session(
        customer_id=CUSTOMER_ID, timestamp=1_764_000_000, serial_number="CNF7JSS0AA", ap_name="ap-1"
    )
    fw = a.client_firewall_session.add(app_name="Office365", app_cat="Productivity", tx_bytes=1234)
    fw.client_mac.addr = CLIENT_MAC
    fw.client_ip.af = apprf_pb2.ip_address.ADDR_FAMILY_INET  # apprf numbers INET as 1
    fw.client_ip.addr = bytes([192, 168, 1, 20])
    url = a.url_detail_record.add(hit_count=3, dest_url_prefix=b"www.example.com/")
    url.client_ip.addr = bytes([192, 168, 1, 20])
    url.dest_ip.addr = bytes([93, 184, 216, 34])
    url.client_mac.addr = CLIENT_MAC
    return a


def audit() -> audit_pb2.audit_message:
    a = audit_pb2.audit_message(
        customer_id=CUSTOMER_ID,
        timestamp=1_764_000_000,
        service=audit_pb2.FIRMWARE,
        group_name="default",
        target="CNF7JSS0AA",
        username="ops@example.com",
    )
    a.client_ip.af = audit_pb2.ip_address.ADDR_FAMILY_INET6
    a.client_ip.addr = CLIENT_IP6
    a.firmware_info.data = "Firmware upgrade to 10.6.0.2 scheduled"
    return a
