"""The event catalogue: every event's exact record, transitions, options, odd input."""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Sequence
from typing import Any

import pytest
from google.protobuf.message import DecodeError, Message

from central_otel.catalog import events as events_module
from central_otel.catalog.attributes import CUSTOMER_NAMES
from central_otel.catalog.docs_events import events_intro_markdown, events_table_markdown
from central_otel.catalog.events import (
    EVENTS,
    Context,
    Draft,
    EventCatalogue,
    EventOptions,
    EventRecord,
    EventSpec,
    FromMessage,
    Severity,
    event_names,
    events_for_changes,
    events_for_frame,
    frame_time_ns,
)
from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.pipeline.ingest import EventMapper, Ingestor
from central_otel.proto import apprf_pb2, audit_pb2, location_pb2, monitoring_pb2, security_pb2
from central_otel.state.store import Change, EntityStore
from central_otel.topics import Topic
from tests import defaults, samples

AP = "CNF7JSS0AA"
SWITCH = "SG12345678"
GATEWAY = "GW0000001"
AP_MAC = bytes.fromhex("e0f8471e0001")
SW_MAC = bytes.fromhex("001a1e000100")
GW_MAC = bytes.fromhex("000b86000001")
RADIO_MAC = bytes.fromhex("e0f8471e0010")
PORT_MAC = bytes.fromhex("001a1e000107")
CLIENT_MAC = bytes.fromhex("3c22fb000042")
ROGUE_MAC = bytes.fromhex("aabbccddeeff")
T_PAYLOAD = 1_764_000_000  # MonitoringInformation.timestamp (s)
T_OWN = 1_764_000_100  # a message's own timestamp (s)
ENVELOPE_NS = 1_764_000_000_123_456_789
S = 1_000_000_000

CUSTOMER = {"aruba.customer.name": "CustomerA", "aruba.customer.id": "cust-1"}
AP_IDENTITY = {
    "host.id": AP,
    "host.name": "ap-lobby-01",
    "host.mac": "E0-F8-47-1E-00-01",
    "host.ip": "10.1.10.103",
    "hw.model": "AP-535",
    "aruba.device.type": "ap",
}
SW_IDENTITY = {
    "host.id": SWITCH,
    "host.name": "sw-core-01",
    "host.mac": "00-1A-1E-00-01-00",
    "hw.model": "6300M",
    "aruba.device.type": "switch",
}
GW_IDENTITY = {
    "host.id": GATEWAY,
    "host.name": "gw-hq-01",
    "host.mac": "00-0B-86-00-00-01",
    "hw.model": "9004",
    "aruba.device.type": "gateway",
}
ALL_ON = EventOptions(enabled=frozenset(event_names()))
DEFAULT = EventOptions()


# -- builders -------------------------------------------------------------------------


def monitoring(**fields: Any) -> monitoring_pb2.MonitoringInformation:
    return monitoring_pb2.MonitoringInformation(
        **{"customer_id": "cust-1", "timestamp": T_PAYLOAD, **fields}
    )


def ap_state(status: int | None = None, **fields: Any) -> monitoring_pb2.Ap:
    ap = monitoring_pb2.Ap(serial=AP, name="ap-lobby-01", model="AP-535", **fields)
    if status is not None:
        ap.status = status  # type: ignore[assignment]
    ap.macaddr.addr = AP_MAC
    ap.ip_address.af = monitoring_pb2.IpAddress.ADDR_FAMILY_INET
    ap.ip_address.addr = bytes([10, 1, 10, 103])
    return ap


def estate() -> EntityStore:
    """A store that knows an AP (with a radio), a switch (with a port) and a gateway."""
    store = EntityStore("CustomerA", defaults.LIMITS)
    info = monitoring()
    info.aps.append(ap_state(monitoring_pb2.UP))
    radio = info.radios.add(device_id=AP, index=1, channel="36", band=1, channel_width=80)
    radio.macaddr.addr = RADIO_MAC
    sw = info.switches.add(
        serial=SWITCH, name="sw-core-01", model="6300M", status=monitoring_pb2.UP
    )
    sw.macaddr.addr = SW_MAC
    gw = info.mobility_controllers.add(serial=GATEWAY, name="gw-hq-01", model="9004")
    gw.macaddr.addr = GW_MAC
    port = info.interfaces.add(device_id=SWITCH, name="1/1/7", oper_state=monitoring_pb2.UP)
    port.macaddr.addr = PORT_MAC
    defaults.apply(store, info)
    return store


def frame(
    payload: Message,
    topic: Topic = Topic.MONITORING,
    *,
    customer_id: str = "cust-1",
    timestamp_ns: int | None = ENVELOPE_NS,
) -> DecodedFrame:
    return DecodedFrame(topic, topic.value, customer_id, "", timestamp_ns, payload, 0)


def notification(**fields: Any) -> monitoring_pb2.Notification:
    values: dict[str, Any] = {
        "id": "n-1",
        "type": "AP_DISCONNECTED",
        "setting_id": "AP_DISCONNECTED-default",
        "device_id": AP,
        "severity": monitoring_pb2.Notification.Major,
        "timestamp": T_OWN,
        "description": "AP ap-lobby-01 disconnected",
    }
    values.update(fields)
    return monitoring_pb2.Notification(**{k: v for k, v in values.items() if v is not None})


def only(records: Sequence[EventRecord]) -> EventRecord:
    assert len(records) == 1, records
    return records[0]


def change(cls: str, key: tuple[Any, ...], old: Any, new: Any) -> Change:
    return Change(cls, key, old, new)


# -- alerts ---------------------------------------------------------------------------


def test_alert_open_is_exact() -> None:
    note = notification()
    note.extra.add(key="site", value="HQ")
    note.extra.add(key="Building Name", value="B1")
    note.extra.add(key="deviceName", value="ap-lobby-01")
    note.extra.add(key="???", value="dropped: no usable key")
    note.extra.add(key="novalue")
    record = only(events_for_frame(frame(monitoring(notification=[note])), estate(), DEFAULT))
    assert record == EventRecord(
        event_name="aruba.alert",
        severity_number=Severity.ERROR,
        body="AP ap-lobby-01 disconnected",
        attributes={
            "aruba.alert.id": "n-1",
            "aruba.alert.type": "AP_DISCONNECTED",
            "aruba.alert.setting_id": "AP_DISCONNECTED-default",
            "aruba.alert.state": "open",
            "aruba.alert.severity": "major",
            **AP_IDENTITY,
            "aruba.alert.extra.site": "HQ",
            "aruba.alert.extra.building_name": "B1",
            "aruba.alert.extra.device_name": "ap-lobby-01",
            **CUSTOMER,
        },
        timestamp_ns=T_OWN * S,
    )


def test_alert_close_shares_the_id_and_is_info() -> None:
    note = notification(
        state=monitoring_pb2.Notification.Close, severity=monitoring_pb2.Notification.Critical
    )
    record = only(events_for_frame(frame(monitoring(notification=[note])), estate(), DEFAULT))
    assert record == EventRecord(
        event_name="aruba.alert",
        severity_number=Severity.INFO,
        body="Cleared: AP ap-lobby-01 disconnected",
        attributes={
            "aruba.alert.id": "n-1",
            "aruba.alert.type": "AP_DISCONNECTED",
            "aruba.alert.setting_id": "AP_DISCONNECTED-default",
            "aruba.alert.state": "closed",
            "aruba.alert.severity": "critical",
            **AP_IDENTITY,
            **CUSTOMER,
        },
        timestamp_ns=T_OWN * S,
    )


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (monitoring_pb2.Notification.Normal, Severity.INFO),
        (monitoring_pb2.Notification.Warning, Severity.WARN),
        (monitoring_pb2.Notification.Minor, Severity.WARN),
        (monitoring_pb2.Notification.Major, Severity.ERROR),
        (monitoring_pb2.Notification.Critical, Severity.FATAL),
        (None, Severity.WARN),
    ],
)
def test_alert_severity(severity: int | None, expected: Severity) -> None:
    note = notification(severity=severity)
    record = only(events_for_frame(frame(monitoring(notification=[note])), estate(), DEFAULT))
    assert record.severity_number == expected
    assert ("aruba.alert.severity" in record.attributes) is (severity is not None)


def test_alert_without_description_store_or_own_time() -> None:
    note = notification(description=None, timestamp=None, setting_id=None)
    options = EventOptions(customer_name="Configured")
    record = only(events_for_frame(frame(monitoring(notification=[note])), None, options))
    assert record == EventRecord(
        event_name="aruba.alert",
        severity_number=Severity.ERROR,
        body=f"AP_DISCONNECTED on {AP}",
        attributes={
            "aruba.alert.id": "n-1",
            "aruba.alert.type": "AP_DISCONNECTED",
            "aruba.alert.state": "open",
            "aruba.alert.severity": "major",
            "host.id": AP,
            "aruba.customer.name": "Configured",
            "aruba.customer.id": "cust-1",
        },
        timestamp_ns=T_PAYLOAD * S,  # the payload's "time of occurrence"
    )


def test_alert_extra_is_bounded_and_first_key_wins() -> None:
    note = notification()
    for i in range(40):
        note.extra.add(key=f"k{i}", value=str(i))
    note.extra.add(key="k0", value="later")
    record = only(events_for_frame(frame(monitoring(notification=[note])), estate(), DEFAULT))
    extras = {k: v for k, v in record.attributes.items() if k.startswith("aruba.alert.extra.")}
    assert len(extras) == 32
    assert extras["aruba.alert.extra.k0"] == "0"


def test_alert_body_is_one_line() -> None:
    note = notification(description="line one\n\tline two\x00 end  ")
    record = only(events_for_frame(frame(monitoring(notification=[note])), estate(), DEFAULT))
    assert record.body == "line one line two end"


# -- WIDS -----------------------------------------------------------------------------


def monitoring_wids(**fields: Any) -> monitoring_pb2.WIDSEvent:
    values: dict[str, Any] = {
        "action": monitoring_pb2.ADD,
        "event_type": monitoring_pb2.WIDSEvent.INFRASTRUCTURE_ATTACK,
        "attack_type": monitoring_pb2.WIDSEvent.DETECT_AP_FLOOD,
        "detected_ap": AP,
        "channel": "36",
        "network": b"Corp",
    }
    wids = monitoring_pb2.WIDSEvent(**{**values, **fields})
    wids.macaddr.addr = ROGUE_MAC
    return wids


def test_monitoring_wids_is_exact() -> None:
    info = monitoring(wids_events=[monitoring_wids()])
    record = only(events_for_frame(frame(info), estate(), DEFAULT))
    assert record == EventRecord(
        event_name="aruba.wids.event",
        severity_number=Severity.WARN,
        body="WIDS infrastructure attack: DETECT_AP_FLOOD, MAC AA-BB-CC-DD-EE-FF, "
        "reported by ap-lobby-01",
        attributes={
            "security_rule.name": "DETECT_AP_FLOOD",
            "security_rule.category": "infrastructure_attack",
            "aruba.wids.mac": "AA-BB-CC-DD-EE-FF",
            "aruba.wids.detected_ap": AP,
            "aruba.radio.channel": "36",
            "aruba.wlan.ssid": "Corp",
            **AP_IDENTITY,
            **CUSTOMER,
        },
        timestamp_ns=T_PAYLOAD * S,
    )


def test_monitoring_wids_detector_unknown_to_the_store_is_not_a_host() -> None:
    wids = monitoring_wids(detected_ap="AP Lobby")
    record = only(events_for_frame(frame(monitoring(wids_events=[wids])), estate(), DEFAULT))
    assert record.attributes["aruba.wids.detected_ap"] == "AP Lobby"
    assert "host.id" not in record.attributes
    assert record.body.endswith("reported by AP Lobby")


def test_monitoring_wids_interfering_is_info_and_delete_is_no_event() -> None:
    interfering = monitoring_pb2.WIDSEvent(event_type=monitoring_pb2.WIDSEvent.INTERFERING)
    deleted = monitoring_wids()
    deleted.action = monitoring_pb2.DELETE
    info = monitoring(wids_events=[interfering, deleted])
    record = only(events_for_frame(frame(info), estate(), DEFAULT))
    assert record.severity_number == Severity.INFO
    assert record.body == "WIDS interfering"
    assert record.attributes == {"security_rule.category": "interfering", **CUSTOMER}


def security_ids(**fields: Any) -> security_pb2.WIDSEvent:
    values: dict[str, Any] = {
        "device_id": AP,
        "event_number": 7,
        "event_type": "Client Attack",
        "attack_type": "Deauth Broadcast",
        "description": "Deauthentication broadcast detected",
        "detected_ap": "ap-lobby-01",
        "radio_band": "5GHz",
        "level": "high",
    }
    values.update(fields)
    ids = security_pb2.WIDSEvent(**{k: v for k, v in values.items() if v is not None})
    ids.mac_addr.addr = CLIENT_MAC
    return ids


def test_security_wids_is_exact() -> None:
    payload = security_pb2.RapidsStreamingEvent(cust_id="cust-1", idsEvent=[security_ids()])
    record = only(events_for_frame(frame(payload, Topic.SECURITY), estate(), DEFAULT))
    assert record == EventRecord(
        event_name="aruba.wids.event",
        severity_number=Severity.ERROR,
        body="Deauthentication broadcast detected, MAC 3C-22-FB-00-00-42, reported by ap-lobby-01",
        attributes={
            "security_rule.name": "Deauth Broadcast",
            "security_rule.category": "client_attack",
            "security_rule.description": "Deauthentication broadcast detected",
            "aruba.wids.level": "high",
            "aruba.wids.event_number": 7,
            "aruba.wids.mac": "3C-22-FB-00-00-42",
            "aruba.wids.detected_ap": "ap-lobby-01",
            "aruba.radio.band": "5GHz",
            **AP_IDENTITY,
            **CUSTOMER,
        },
        timestamp_ns=ENVELOPE_NS,  # the security topic carries no time of its own
    )


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("critical", Severity.FATAL),
        ("High", Severity.ERROR),
        (" MEDIUM ", Severity.WARN),
        ("low", Severity.INFO),
        ("severe", Severity.WARN),
        (None, Severity.WARN),
    ],
)
def test_security_wids_severity_from_level(level: str | None, expected: Severity) -> None:
    payload = security_pb2.RapidsStreamingEvent(cust_id="c", idsEvent=[security_ids(level=level)])
    record = only(events_for_frame(frame(payload, Topic.SECURITY), None, DEFAULT))
    assert record.severity_number == expected


def test_security_wids_without_description_names_the_attack() -> None:
    ids = security_ids(description=None, detected_ap=None)
    payload = security_pb2.RapidsStreamingEvent(cust_id="c", idsEvent=[ids])
    record = only(events_for_frame(frame(payload, Topic.SECURITY), None, DEFAULT))
    assert record.body == (
        f"WIDS client attack: Deauth Broadcast, MAC 3C-22-FB-00-00-42, reported by {AP}"
    )
    assert record.attributes["aruba.customer.id"] == "c"  # the payload's id wins


# -- rogues ---------------------------------------------------------------------------


def test_monitoring_rogue_is_exact() -> None:
    rogue = monitoring_pb2.RogueEvent(
        action=monitoring_pb2.ADD,
        detected_ap=AP,
        channel=11,
        network=b"FreeWiFi",
        encr_type=monitoring_pb2.RogueEvent.WMS_SNMP_WPA_ENCR_OPEN,
    )
    rogue.macaddr.addr = ROGUE_MAC
    rogue.am_rogue.match_type = monitoring_pb2.AirMonitorRogueInfo.RAP_MT_ETH_WM
    rogue.am_rogue.match_mac.addr = bytes.fromhex("aabbccddef00")
    rogue.am_rogue.monitor_name = "am-lobby"
    record = only(events_for_frame(frame(monitoring(rogue_events=[rogue])), estate(), DEFAULT))
    assert record == EventRecord(
        event_name="aruba.rogue.detected",
        severity_number=Severity.WARN,
        body="Rogue AP AA-BB-CC-DD-EE-FF (SSID FreeWiFi) detected by ap-lobby-01",
        attributes={
            "security_rule.category": "rogue",
            "aruba.rogue.mac": "AA-BB-CC-DD-EE-FF",
            "aruba.rogue.ssid": "FreeWiFi",
            "aruba.radio.channel": "11",
            "aruba.rogue.encryption": "open",
            "aruba.rogue.match_type": "eth_wm",
            "aruba.rogue.match_mac": "AA-BB-CC-DD-EF-00",
            "aruba.rogue.monitor_name": "am-lobby",
            "aruba.rogue.detected_by": AP,
            **AP_IDENTITY,
            **CUSTOMER,
        },
        timestamp_ns=T_PAYLOAD * S,
    )


def test_monitoring_rogue_delete_is_no_event() -> None:
    rogue = monitoring_pb2.RogueEvent(action=monitoring_pb2.DELETE, detected_ap=AP)
    rogue.macaddr.addr = ROGUE_MAC
    assert events_for_frame(frame(monitoring(rogue_events=[rogue])), estate(), DEFAULT) == []


def test_security_rogue_is_exact() -> None:
    rogue = security_pb2.RogueEvent(
        classification=1,
        first_seen="2025-11-24T16:00:00Z",
        last_seen="2025-11-24T16:05:30Z",
        rogue_name="Netgear_ccddeeff",
        ssid="FreeWiFi",
        lan_mac="aa:bb:cc:dd:ef:00",
        first_det_device=AP,
        last_det_device="UNKNOWN-SERIAL",
        encryption=3,
        port="eth1",
        containment_status="not contained",
        mac_vendor="Netgear",
    )
    rogue.rogue_id.addr = b"AABBCCDDEEFF"  # the security topic's MAC encoding is undocumented
    payload = security_pb2.RapidsStreamingEvent(cust_id="cust-1", rogue=[rogue])
    record = only(events_for_frame(frame(payload, Topic.SECURITY), estate(), DEFAULT))
    assert record == EventRecord(
        event_name="aruba.rogue.detected",
        severity_number=Severity.WARN,
        body="Rogue AP AA-BB-CC-DD-EE-FF (SSID FreeWiFi) detected by UNKNOWN-SERIAL",
        attributes={
            "security_rule.category": "rogue",
            "aruba.rogue.mac": "AA-BB-CC-DD-EE-FF",
            "aruba.rogue.ssid": "FreeWiFi",
            "aruba.rogue.name": "Netgear_ccddeeff",
            "aruba.rogue.classification": 1,
            "aruba.rogue.containment_status": "not contained",
            "aruba.rogue.vendor": "Netgear",
            "aruba.rogue.lan_mac": "AA-BB-CC-DD-EF-00",
            "aruba.rogue.encryption_code": 3,
            "aruba.rogue.port": "eth1",
            "aruba.rogue.first_seen": "2025-11-24T16:00:00Z",
            "aruba.rogue.detected_by": "UNKNOWN-SERIAL",
            **CUSTOMER,
        },
        timestamp_ns=1_764_000_330 * S,  # last_seen
    )


@pytest.mark.parametrize(
    ("last_seen", "expected"),
    [
        ("1764000330", 1_764_000_330 * S),
        ("1764000330000", 1_764_000_330 * S),
        ("2025-11-24 16:05:30", 1_764_000_330 * S),
        ("2025-11-24T17:05:30.5+01:00", 1_764_000_330 * S + S // 2),
        ("yesterday", ENVELOPE_NS),
        ("", ENVELOPE_NS),
        ("1969-12-31T00:00:00Z", ENVELOPE_NS),
        ("\u00b9\u00b2\u00b3", ENVELOPE_NS),  # Unicode digits are not an epoch
        ("9" * 40, ENVELOPE_NS),  # beyond what OTLP can carry
        ("9999-12-31T23:59:59", ENVELOPE_NS),
    ],
)
def test_security_rogue_time_text(last_seen: str, expected: int) -> None:
    rogue = security_pb2.RogueEvent(classification=1, last_seen=last_seen)
    payload = security_pb2.RapidsStreamingEvent(cust_id="c", rogue=[rogue])
    record = only(events_for_frame(frame(payload, Topic.SECURITY), None, DEFAULT))
    assert record.timestamp_ns == expected


def test_samples_security_frame_through_the_decoder() -> None:
    decoded = decode_frame(samples.envelope("security", samples.security()))
    assert isinstance(decoded, DecodedFrame)
    records = events_for_frame(decoded, estate(), DEFAULT)
    assert [r.event_name for r in records] == ["aruba.wids.event", "aruba.rogue.detected"]
    assert records[0].attributes["aruba.customer.id"] == samples.CUSTOMER_ID


# -- audit ----------------------------------------------------------------------------


def audit(**fields: Any) -> audit_pb2.audit_message:
    values: dict[str, Any] = {
        "customer_id": "cust-1",
        "timestamp": T_OWN,
        "service": audit_pb2.FIRMWARE,
        "group_name": "lobby-group",
        "target": AP,
        "username": "ops@example.com",
    }
    values.update(fields)
    message = audit_pb2.audit_message(**{k: v for k, v in values.items() if v is not None})
    message.client_ip.af = audit_pb2.ip_address.ADDR_FAMILY_INET
    message.client_ip.addr = bytes([198, 51, 100, 7])
    return message


def test_audit_is_exact() -> None:
    message = audit()
    message.firmware_info.data = "Firmware upgrade of ap-lobby-01 to 10.6.0.2 scheduled"
    message.firmware_info.detailed_data = "serial CNF7JSS0AA,\nreboot after upgrade"
    record = only(events_for_frame(frame(message, Topic.AUDIT), estate(), DEFAULT))
    assert record == EventRecord(
        event_name="aruba.audit",
        severity_number=Severity.INFO,
        body="Firmware upgrade of ap-lobby-01 to 10.6.0.2 scheduled",
        attributes={
            "aruba.audit.service": "firmware",
            "aruba.audit.group": "lobby-group",
            "aruba.audit.target": AP,
            "client.address": "198.51.100.7",
            "user.name": "ops@example.com",
            "aruba.audit.detailed_data": "serial CNF7JSS0AA,\nreboot after upgrade",
            **AP_IDENTITY,
            **CUSTOMER,
        },
        timestamp_ns=T_OWN * S,
    )


def test_audit_target_not_a_known_device_and_info_of_another_service() -> None:
    message = audit(service=audit_pb2.CONFIGURATION, target="swarm-9")
    message.dm_info.data = "Device rebooted from Central"
    record = only(events_for_frame(frame(message, Topic.AUDIT), estate(), DEFAULT))
    assert record.body == "Device rebooted from Central"
    assert record.attributes["aruba.audit.service"] == "configuration"
    assert "host.id" not in record.attributes


def test_audit_without_info_has_a_fallback_body() -> None:
    message = audit(service=audit_pb2.DEVICE_MGMT)
    record = only(events_for_frame(frame(message, Topic.AUDIT), None, DEFAULT))
    assert record.body == "Audit record (device_mgmt)"
    assert "aruba.audit.detailed_data" not in record.attributes


# -- clients --------------------------------------------------------------------------


def wireless_client(**fields: Any) -> monitoring_pb2.WirelessClient:
    c = monitoring_pb2.WirelessClient(
        name="laptop-42",
        username="ana",
        associated_device=AP,
        network="Café-Guest".encode(),
        user_role="guest",
        vlan=20,
        **fields,
    )
    c.macaddr.addr = CLIENT_MAC
    c.radio_mac.addr = RADIO_MAC
    c.ip_address.af = monitoring_pb2.IpAddress.ADDR_FAMILY_INET6
    c.ip_address.addr = samples.CLIENT_IP6
    return c


WIRELESS_ATTRIBUTES = {
    "aruba.client.mac": "3C-22-FB-00-00-42",
    "client.address": "2001:db8::42",
    "network.connection.type": "wifi",
    **AP_IDENTITY,
    "aruba.wlan.ssid": "Café-Guest",
    "aruba.radio.band": "5GHz",
    "aruba.vlan.id": "20",
    "aruba.user.role": "guest",
    **CUSTOMER,
}


def test_wireless_client_connect_and_disconnect_through_the_store() -> None:
    store = estate()
    joined = monitoring(wireless_clients=[wireless_client(action=monitoring_pb2.ADD)])
    records = events_for_changes(defaults.apply(store, joined), store, DEFAULT, frame=frame(joined))
    assert records == [
        EventRecord(
            event_name="aruba.client.connected",
            severity_number=Severity.INFO,
            body="Wireless client 3C-22-FB-00-00-42 connected to ap-lobby-01 on SSID Café-Guest",
            attributes=WIRELESS_ATTRIBUTES,
            timestamp_ns=T_PAYLOAD * S,
        )
    ]
    # An update of a known client is neither.
    roamed = monitoring(wireless_clients=[wireless_client(action=monitoring_pb2.UPDATE)])
    assert events_for_changes(defaults.apply(store, roamed), store, DEFAULT) == []
    # A DELETE carries little: the record describes the client as last known.
    left = monitoring(timestamp=T_OWN)
    gone = left.wireless_clients.add(action=monitoring_pb2.DELETE)
    gone.macaddr.addr = CLIENT_MAC
    records = events_for_changes(defaults.apply(store, left), store, DEFAULT, frame=frame(left))
    assert records == [
        EventRecord(
            event_name="aruba.client.disconnected",
            severity_number=Severity.INFO,
            body="Wireless client 3C-22-FB-00-00-42 disconnected from ap-lobby-01 "
            "on SSID Café-Guest",
            attributes=WIRELESS_ATTRIBUTES,
            timestamp_ns=T_OWN * S,
        )
    ]


def test_wired_client_connect_is_exact() -> None:
    store = estate()
    c = monitoring_pb2.WiredClient(
        action=monitoring_pb2.ADD, associated_device=SWITCH, vlan=10, user_role="employee"
    )
    c.macaddr.addr = CLIENT_MAC
    c.interface_mac.addr = PORT_MAC
    c.ip_address.af = monitoring_pb2.IpAddress.ADDR_FAMILY_INET
    c.ip_address.addr = bytes([10, 2, 0, 15])
    info = monitoring(wired_clients=[c])
    records = events_for_changes(defaults.apply(store, info), store, DEFAULT, frame=frame(info))
    assert records == [
        EventRecord(
            event_name="aruba.client.connected",
            severity_number=Severity.INFO,
            body="Wired client 3C-22-FB-00-00-42 connected to sw-core-01",
            attributes={
                "aruba.client.mac": "3C-22-FB-00-00-42",
                "client.address": "10.2.0.15",
                "network.connection.type": "wired",
                **SW_IDENTITY,
                "network.interface.name": "1/1/7",
                "aruba.vlan.id": "10",
                "aruba.user.role": "employee",
                **CUSTOMER,
            },
            timestamp_ns=T_PAYLOAD * S,
        )
    ]


def test_client_with_nothing_but_a_key() -> None:
    bare = monitoring_pb2.WirelessClient()
    record = only(
        events_for_changes([change("wireless_client", (CLIENT_MAC,), None, bare)], None, DEFAULT)
    )
    assert record == EventRecord(
        "aruba.client.connected",
        Severity.INFO,
        "Wireless client 3C-22-FB-00-00-42 connected",
        {"aruba.client.mac": "3C-22-FB-00-00-42", "network.connection.type": "wifi"},
        None,
    )


# -- device, interface, tunnel, uplink transitions -------------------------------------


def device_change(old: int | None, new: int | None, *, first: bool = False) -> Change:
    return change("device", (AP,), None if first else ap_state(old), ap_state(new))


def test_device_down_is_exact() -> None:
    store = estate()
    info = monitoring(aps=[ap_state(monitoring_pb2.DOWN)])
    records = events_for_changes(defaults.apply(store, info), store, DEFAULT, frame=frame(info))
    assert records == [
        EventRecord(
            event_name="aruba.device.down",
            severity_number=Severity.WARN,
            body=f"AP ap-lobby-01 ({AP}) is down",
            attributes={**AP_IDENTITY, **CUSTOMER},
            timestamp_ns=T_PAYLOAD * S,
        )
    ]
    info = monitoring(aps=[ap_state(monitoring_pb2.UP)])
    records = events_for_changes(defaults.apply(store, info), store, DEFAULT, frame=frame(info))
    assert records == [
        EventRecord(
            event_name="aruba.device.up",
            severity_number=Severity.INFO,
            body=f"AP ap-lobby-01 ({AP}) is up",
            attributes={**AP_IDENTITY, **CUSTOMER},
            timestamp_ns=T_PAYLOAD * S,
        )
    ]


UP, DOWN = monitoring_pb2.UP, monitoring_pb2.DOWN


@pytest.mark.parametrize(
    ("old", "new", "first", "expected"),
    [
        (UP, DOWN, False, ["aruba.device.down"]),
        (DOWN, UP, False, ["aruba.device.up"]),
        (None, DOWN, True, ["aruba.device.down"]),  # a new device that is down
        (None, UP, True, []),  # a new device that is up: inventory, not news
        (UP, UP, False, []),
        (DOWN, DOWN, False, []),
        (None, DOWN, False, []),  # status was not reported before: unknown, not UP
        (DOWN, None, False, []),  # an update without status (proto2 default UP ignored)
        (UP, None, False, []),
        (None, None, True, []),
    ],
)
def test_device_transitions(
    old: int | None, new: int | None, first: bool, expected: list[str]
) -> None:
    records = events_for_changes([device_change(old, new, first=first)], estate(), DEFAULT)
    assert [r.event_name for r in records] == expected


def test_deleted_device_is_no_event() -> None:
    gone = change("device", (AP,), ap_state(DOWN), None)
    assert events_for_changes([gone], estate(), DEFAULT) == []


@pytest.mark.parametrize(
    ("serial", "message", "body"),
    [
        (SWITCH, monitoring_pb2.Switch(serial=SWITCH, name="sw-core-01"), "Switch sw-core-01"),
        (GATEWAY, monitoring_pb2.MobilityController(serial=GATEWAY), "Gateway gw-hq-01"),
    ],
)
def test_device_kinds(serial: str, message: Any, body: str) -> None:
    old, new = message.__class__(), message.__class__()
    old.CopyFrom(message)
    new.CopyFrom(message)
    old.status, new.status = UP, DOWN
    record = only(events_for_changes([change("device", (serial,), old, new)], estate(), DEFAULT))
    assert record.body == f"{body} ({serial}) is down"


def test_device_without_store_uses_the_message_name() -> None:
    record = only(events_for_changes([device_change(UP, DOWN)], None, DEFAULT))
    assert record.attributes == {"host.id": AP, "host.name": "ap-lobby-01"}
    assert record.timestamp_ns is None  # no frame given: no time


def port(oper: int | None, **fields: Any) -> monitoring_pb2.Interface:
    p = monitoring_pb2.Interface(device_id=SWITCH, name="1/1/7", **fields)
    if oper is not None:
        p.oper_state = oper  # type: ignore[assignment]
    p.macaddr.addr = PORT_MAC
    return p


def test_interface_down_and_up_are_exact() -> None:
    key = (SWITCH, PORT_MAC)
    down = port(
        DOWN,
        admin_state=UP,
        state_down_reason=monitoring_pb2.Interface.WAITING_FOR_LINK,
    )
    record = only(events_for_changes([change("interface", key, port(UP), down)], estate(), DEFAULT))
    assert record == EventRecord(
        event_name="aruba.interface.down",
        severity_number=Severity.WARN,
        body="Interface 1/1/7 on sw-core-01 is down (waiting_for_link)",
        attributes={
            **SW_IDENTITY,
            "hw.network.physical_address": "00-1A-1E-00-01-07",
            "network.interface.name": "1/1/7",
            "aruba.interface.admin_state": "up",
            "aruba.interface.down_reason": "waiting_for_link",
            "aruba.customer.name": "CustomerA",
            "aruba.customer.id": "cust-1",
        },
        timestamp_ns=None,
    )
    up = port(UP, state_down_reason=monitoring_pb2.Interface.INTERFACE_OK)
    record = only(events_for_changes([change("interface", key, port(DOWN), up)], estate(), DEFAULT))
    assert record == EventRecord(
        event_name="aruba.interface.up",
        severity_number=Severity.INFO,
        body="Interface 1/1/7 on sw-core-01 is up",
        attributes={
            **SW_IDENTITY,
            "hw.network.physical_address": "00-1A-1E-00-01-07",
            "network.interface.name": "1/1/7",
            **CUSTOMER,
        },
        timestamp_ns=None,
    )


def test_interface_first_seen_down_or_without_state_is_no_event() -> None:
    key = (SWITCH, PORT_MAC)
    quiet = [
        change("interface", key, None, port(DOWN)),  # unused ports are down: not news
        change("interface", key, port(None), port(DOWN)),
        change("interface", key, port(DOWN), port(None)),
    ]
    assert events_for_changes(quiet, estate(), DEFAULT) == []


def tunnel(status: int | None) -> monitoring_pb2.Tunnel:
    t = monitoring_pb2.Tunnel(swarm_id="swarm-1", tunnel_id=42, peer_name="vpnc-hq")
    if status is not None:
        t.status = status  # type: ignore[assignment]
    t.index = monitoring_pb2.BACKUP
    t.peer_tun_ip.af = monitoring_pb2.IpAddress.ADDR_FAMILY_INET
    t.peer_tun_ip.addr = bytes([172, 16, 0, 1])
    return t


def test_tunnel_transitions_are_exact() -> None:
    key = ("swarm-1", 42)
    attributes = {
        "aruba.swarm.id": "swarm-1",
        "aruba.tunnel.id": "42",
        "aruba.tunnel.name": "vpnc-hq",
        "aruba.tunnel.index": "backup",
        "network.peer.address": "172.16.0.1",
        **CUSTOMER,
    }
    info = monitoring()
    records = events_for_changes(
        [
            change("tunnel", key, tunnel(UP), tunnel(DOWN)),
            change("tunnel", key, tunnel(DOWN), tunnel(UP)),
            change("tunnel", key, tunnel(None), tunnel(DOWN)),
        ],
        estate(),
        DEFAULT,
        frame=frame(info),
    )
    assert records == [
        EventRecord(
            "aruba.tunnel.down",
            Severity.WARN,
            "Tunnel vpnc-hq of swarm swarm-1 is down",
            attributes,
            T_PAYLOAD * S,
        ),
        EventRecord(
            "aruba.tunnel.up",
            Severity.INFO,
            "Tunnel vpnc-hq of swarm swarm-1 is up",
            attributes,
            T_PAYLOAD * S,
        ),
    ]


def uplink(status: int | None) -> monitoring_pb2.Uplink:
    u = monitoring_pb2.Uplink(device_id=GATEWAY, link_index=2, name="INTERNET-1")
    if status is not None:
        u.status = status  # type: ignore[assignment]
    return u


def test_uplink_transitions_are_exact() -> None:
    key = (GATEWAY, 2)
    attributes = {
        **GW_IDENTITY,
        "aruba.uplink.id": "2",
        "aruba.uplink.name": "INTERNET-1",
        **CUSTOMER,
    }
    records = events_for_changes(
        [
            change("uplink", key, uplink(UP), uplink(DOWN)),
            change("uplink", key, uplink(DOWN), uplink(UP)),
            change("uplink", key, None, uplink(DOWN)),
        ],
        estate(),
        DEFAULT,
    )
    assert records == [
        EventRecord(
            "aruba.uplink.down",
            Severity.WARN,
            "Uplink INTERNET-1 of gw-hq-01 is down",
            attributes,
            None,
        ),
        EventRecord(
            "aruba.uplink.up",
            Severity.INFO,
            "Uplink INTERNET-1 of gw-hq-01 is up",
            attributes,
            None,
        ),
    ]


def test_changes_of_other_classes_are_ignored() -> None:
    radio = monitoring_pb2.Radio(status=DOWN)
    assert events_for_changes([change("radio", (RADIO_MAC,), None, radio)], None, DEFAULT) == []


# -- location, geofence, apprf (opt-in) ------------------------------------------------


def test_location_is_exact_when_enabled() -> None:
    loc = samples.location()
    loc.latitude, loc.longitude, loc.altitude = 48.8566, 2.3522, 35.0
    loc.floor_id_string, loc.building_id_string, loc.campus_id_string = "F2", "B1", "C1"
    loc.loc_algorithm = location_pb2.ALGORITHM_TRIANGULATION
    loc.err_code = location_pb2.ERROR_CODE_NO_ERROR
    loc.associated = True
    loc.hashed_sta_eth_mac = "5F2A"
    loc.geofence_ids.extend(["0102", "", "0a0b"])
    loc.sta_location_x = 12.3  # float32 on the wire
    later = loc.records.add(timestamp=1_764_000_009, rssi_val=-60)
    later.radio_mac.addr = RADIO_MAC
    decoded = frame(loc, Topic.LOCATION, customer_id="cust-1")
    assert events_for_frame(decoded, estate(), DEFAULT) == []  # off by default
    options = EventOptions(enabled=frozenset({"aruba.location.update"}))
    record = only(events_for_frame(decoded, estate(), options))
    assert record == EventRecord(
        event_name="aruba.location.update",
        severity_number=Severity.INFO,
        body="Station 3C-22-FB-00-00-42 at (12.3, 3.25) feet on floor F2",
        attributes={
            "aruba.location.mac": "3C-22-FB-00-00-42",
            "aruba.location.hashed_mac": "5F2A",
            "aruba.location.target_type": "station",
            "aruba.location.x": 12.3,
            "aruba.location.y": 3.25,
            "aruba.location.unit": "feet",
            "aruba.location.error_level": 2,
            "aruba.location.error_code": "no_error",
            "aruba.location.algorithm": "triangulation",
            "geo.location.lat": 48.8566,
            "geo.location.lon": 2.3522,
            "aruba.location.altitude": 35.0,
            "aruba.location.campus.id": "C1",
            "aruba.location.building.id": "B1",
            "aruba.location.floor.id": "F2",
            "aruba.location.associated": True,
            "aruba.geofence.ids": "0102,0a0b",
            **CUSTOMER,  # the envelope's customer id: the payload has none
        },
        timestamp_ns=1_764_000_009 * S,  # the latest measurement
    )


def geofence(event: int | None) -> location_pb2.stream_geofence_notify:
    g = samples.geofence()
    if event is None:
        g.ClearField("geofence_event")
    else:
        g.geofence_event = event  # type: ignore[assignment]
    g.associated = True
    return g


GEOFENCE_ON = EventOptions(enabled=frozenset({"aruba.geofence.enter", "aruba.geofence.exit"}))


@pytest.mark.parametrize(
    ("event", "name", "verb"),
    [(location_pb2.ZONE_IN, "aruba.geofence.enter", "entered"),
     (location_pb2.ZONE_OUT, "aruba.geofence.exit", "left")],
)  # fmt: skip
def test_geofence_is_exact_when_enabled(event: int, name: str, verb: str) -> None:
    decoded = frame(geofence(event), Topic.LOCATION)
    assert events_for_frame(decoded, estate(), DEFAULT) == []
    record = only(events_for_frame(decoded, estate(), GEOFENCE_ON))
    assert record == EventRecord(
        event_name=name,
        severity_number=Severity.INFO,
        body=f"Station 3C-22-FB-00-00-42 {verb} geofence Lobby",
        attributes={
            "aruba.geofence.id": "0102",
            "aruba.geofence.name": "Lobby",
            "aruba.location.mac": "3C-22-FB-00-00-42",
            "aruba.location.associated": True,
            "aruba.geofence.dwell_time": 120,
            **CUSTOMER,
        },
        timestamp_ns=ENVELOPE_NS,
    )


def test_geofence_without_direction_is_no_event() -> None:
    assert events_for_frame(frame(geofence(None), Topic.LOCATION), None, GEOFENCE_ON) == []


def test_apprf_session_is_exact_when_enabled() -> None:
    session = samples.apprf()
    fw = session.client_firewall_session[0]
    fw.rx_bytes = 5678
    fw.ip_proto = 6
    fw.dest_port = 443
    fw.dest_ip.addr = bytes([52, 96, 0, 1])
    fw.app_id = 101
    fw.web_cat, fw.web_rep, fw.domain = "Business", "Trustworthy", "outlook.office.com"
    fw.session_flags = apprf_pb2.client_firewall_session.ENF_PERMIT
    fw.ingress_type = apprf_pb2.client_firewall_session.INGRESS_WLAN
    fw.ssid, fw.vlan, fw.uplink_name = "Corp", "20", "wan1"
    fw.user_name, fw.user_role, fw.device_type = "ana", "employee", "Windows"
    fw.timestamp = T_OWN
    session.session_duration = 60
    other = session.client_firewall_session.add(app_name="DNS", ip_proto=17)
    decoded = frame(session, Topic.APPRF)
    assert events_for_frame(decoded, estate(), DEFAULT) == []
    options = EventOptions(enabled=frozenset({"aruba.apprf.session"}))
    first, second = events_for_frame(decoded, estate(), options)
    assert first == EventRecord(
        event_name="aruba.apprf.session",
        severity_number=Severity.INFO,
        body="Office365 session (Productivity): 1234 B sent, 5678 B received",
        attributes={
            **AP_IDENTITY,  # the store knows the serial: its name beats ap_name
            "aruba.client.mac": "3C-22-FB-00-00-42",
            "client.address": "192.168.1.20",
            "destination.address": "52.96.0.1",
            "destination.port": 443,
            "network.transport": "tcp",
            "aruba.ip.protocol": 6,
            "aruba.app.name": "Office365",
            "aruba.app.id": 101,
            "aruba.app.category": "Productivity",
            "aruba.web.category": "Business",
            "aruba.web.reputation": "Trustworthy",
            "aruba.apprf.domain": "outlook.office.com",
            "aruba.apprf.enforcement": "permit",
            "aruba.apprf.ingress": "wlan",
            "aruba.wlan.ssid": "Corp",
            "aruba.vlan.id": "20",
            "aruba.uplink.name": "wan1",
            "user.name": "ana",
            "aruba.user.role": "employee",
            "aruba.client.device_type": "Windows",
            "aruba.apprf.tx_bytes": 1234,
            "aruba.apprf.rx_bytes": 5678,
            "aruba.apprf.session.duration": 60,
            "aruba.customer.name": "CustomerA",
            "aruba.customer.id": samples.CUSTOMER_ID,  # the payload's id
        },
        timestamp_ns=T_OWN * S,
    )
    assert second == EventRecord(
        event_name="aruba.apprf.session",
        severity_number=Severity.INFO,
        body="DNS session",
        attributes={
            **AP_IDENTITY,
            "network.transport": "udp",
            "aruba.ip.protocol": 17,
            "aruba.app.name": "DNS",
            "aruba.apprf.session.duration": 60,
            "aruba.customer.name": "CustomerA",
            "aruba.customer.id": samples.CUSTOMER_ID,
        },
        timestamp_ns=1_764_000_000 * S,  # the session report's time
    )
    assert other.app_name == "DNS"


def test_apprf_values_beyond_int64_are_dropped() -> None:
    session = samples.apprf()
    fw = session.client_firewall_session[0]
    fw.tx_bytes = 2**64 - 1
    fw.timestamp = 2**64 - 1
    options = EventOptions(enabled=frozenset({"aruba.apprf.session"}))
    record = only(events_for_frame(frame(session, Topic.APPRF), None, options))
    assert "aruba.apprf.tx_bytes" not in record.attributes
    assert record.body == "Office365 session (Productivity)"
    assert record.timestamp_ns == 1_764_000_000 * S  # the report's time instead


def test_apprf_without_store_takes_the_ap_name() -> None:
    options = EventOptions(enabled=frozenset({"aruba.apprf.session"}))
    record = events_for_frame(frame(samples.apprf(), Topic.APPRF), None, options)[0]
    assert record.attributes["host.id"] == AP
    assert record.attributes["host.name"] == "ap-1"


# -- options --------------------------------------------------------------------------


def test_disabled_names_are_honoured_and_beat_enabled() -> None:
    info = monitoring(notification=[notification()], wids_events=[monitoring_wids()])
    options = EventOptions(disabled=frozenset({"aruba.alert"}), enabled=frozenset({"aruba.alert"}))
    assert [r.event_name for r in events_for_frame(frame(info), estate(), options)] == [
        "aruba.wids.event"
    ]
    off = EventOptions(disabled=frozenset({"aruba.device.down"}))
    assert events_for_changes([device_change(UP, DOWN)], estate(), off) == []


def test_default_off_events() -> None:
    off = {spec.name for spec in EVENTS if not spec.enabled_by_default}
    assert off == {
        "aruba.location.update",
        "aruba.geofence.enter",
        "aruba.geofence.exit",
        "aruba.apprf.session",
        "aruba.presence.rssi",
    }


def test_customer_name_store_first_then_options() -> None:
    info = monitoring(notification=[notification()])
    options = EventOptions(customer_name="Other")
    record = only(events_for_frame(frame(info), estate(), options))
    assert record.attributes["aruba.customer.name"] == "CustomerA"
    bare = only(events_for_frame(frame(info), None, EventOptions()))
    assert "aruba.customer.name" not in bare.attributes
    # Changes without a frame: the store's customer id.
    record = only(events_for_changes([device_change(UP, DOWN)], estate(), EventOptions()))
    assert record.attributes["aruba.customer.id"] == "cust-1"


def test_frame_time_prefers_the_payload_then_the_envelope() -> None:
    assert frame_time_ns(frame(monitoring())) == T_PAYLOAD * S
    no_time = monitoring_pb2.MonitoringInformation(customer_id="c")
    assert frame_time_ns(frame(no_time)) == ENVELOPE_NS
    assert frame_time_ns(frame(no_time, timestamp_ns=None)) is None
    assert frame_time_ns(frame(samples.location(), Topic.LOCATION)) == ENVELOPE_NS


# -- odd input -------------------------------------------------------------------------


EMPTY_PAYLOADS: list[tuple[Message, Topic]] = [
    (monitoring_pb2.MonitoringInformation(), Topic.MONITORING),
    (security_pb2.RapidsStreamingEvent(), Topic.SECURITY),
    (audit_pb2.audit_message(), Topic.AUDIT),
    (location_pb2.stream_location(), Topic.LOCATION),
    (location_pb2.stream_geofence_notify(), Topic.LOCATION),
    (apprf_pb2.apprf_session(), Topic.APPRF),
]


@pytest.mark.parametrize(("payload", "topic"), EMPTY_PAYLOADS)
def test_empty_payloads_give_no_events(payload: Message, topic: Topic) -> None:
    assert events_for_frame(frame(payload, topic), estate(), ALL_ON) == []
    assert events_for_frame(frame(payload, topic), None, ALL_ON) == []


def test_empty_items_give_no_events(caplog: pytest.LogCaptureFixture) -> None:
    info = monitoring_pb2.MonitoringInformation()
    info.notification.add()
    info.wids_events.add()
    info.rogue_events.add()
    security = security_pb2.RapidsStreamingEvent()
    security.rogue.add()
    security.idsEvent.add()
    apprf = apprf_pb2.apprf_session()
    apprf.client_firewall_session.add()
    caplog.set_level(logging.WARNING)
    for payload, topic in ((info, Topic.MONITORING), (security, Topic.SECURITY),
                           (apprf, Topic.APPRF)):  # fmt: skip
        assert events_for_frame(frame(payload, topic), estate(), ALL_ON) == []
    assert not caplog.records


def test_empty_state_messages_give_no_transition() -> None:
    changes = [
        change(cls, key, msg_type(), msg_type())
        for cls, key, msg_type in (
            ("device", ("x",), monitoring_pb2.Ap),
            ("interface", ("x", b""), monitoring_pb2.Interface),
            ("tunnel", ("x", 0), monitoring_pb2.Tunnel),
            ("uplink", ("x", 0), monitoring_pb2.Uplink),
            ("wireless_client", (b"",), monitoring_pb2.WirelessClient),
            ("wired_client", (b"",), monitoring_pb2.WiredClient),
        )
    ]
    assert events_for_changes(changes, estate(), ALL_ON) == []
    assert events_for_changes(changes, None, ALL_ON) == []


def test_odd_values_do_not_raise(caplog: pytest.LogCaptureFixture) -> None:
    info = monitoring()
    note = info.notification.add(id="n", device_id="", description="\x00\x01")
    note.extra.add(key="é" * 200, value="v")
    wids = info.wids_events.add(channel="", network=b"\xff\xfe")
    wids.macaddr.addr = b"\x01"  # not a MAC: kept as hex
    security = security_pb2.RapidsStreamingEvent(cust_id="c")
    rogue = security.rogue.add(lan_mac="not-a-mac", last_seen="9" * 40, first_seen="2025-13-45")
    rogue.rogue_id.addr = b""
    security.idsEvent.add(level="\n", event_type="!!!")
    caplog.set_level(logging.WARNING)
    records = events_for_frame(frame(info), estate(), ALL_ON)
    records += events_for_frame(frame(security, Topic.SECURITY), estate(), ALL_ON)
    assert [r.event_name for r in records] == [
        "aruba.alert",
        "aruba.wids.event",
        "aruba.wids.event",
        "aruba.rogue.detected",
    ]
    assert records[1].attributes["aruba.wids.mac"] == "01"
    assert records[1].attributes["aruba.wlan.ssid"] == "\ufffd\ufffd"
    assert records[3].attributes["aruba.rogue.lan_mac"] == "not-a-mac"
    assert all("\n" not in r.body and "\x00" not in r.body for r in records)
    assert not caplog.records


PAYLOAD_TYPES: list[tuple[type[Message], Topic]] = [
    (monitoring_pb2.MonitoringInformation, Topic.MONITORING),
    (security_pb2.RapidsStreamingEvent, Topic.SECURITY),
    (audit_pb2.audit_message, Topic.AUDIT),
    (location_pb2.stream_location, Topic.LOCATION),
    (location_pb2.stream_geofence_notify, Topic.LOCATION),
    (apprf_pb2.apprf_session, Topic.APPRF),
]


@pytest.mark.parametrize(("payload_type", "topic"), PAYLOAD_TYPES)
def test_mutated_samples_never_break_the_mapping(
    payload_type: type[Message], topic: Topic, caplog: pytest.LogCaptureFixture
) -> None:
    """Random byte flips of real payloads: whatever still parses maps without error."""
    seeds = {
        Topic.MONITORING: samples.monitoring(),
        Topic.SECURITY: samples.security(),
        Topic.AUDIT: samples.audit(),
        Topic.APPRF: samples.apprf(),
    }
    base = seeds.get(topic) or (
        samples.location() if payload_type is location_pb2.stream_location else samples.geofence()
    )
    data = bytearray(base.SerializePartialToString())
    rng = random.Random(f"{payload_type.__name__}")
    caplog.set_level(logging.WARNING)
    for _ in range(300):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        payload = payload_type()
        try:
            payload.ParseFromString(bytes(mutated))
        except DecodeError:
            continue
        events_for_frame(frame(payload, topic), estate(), ALL_ON)
    assert not caplog.records


def test_a_failing_mapping_costs_only_its_record(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(item: Any, ctx: Context) -> Draft | None:
        raise RuntimeError("boom")

    broken = EventSpec(
        "aruba.test.broken",
        "test",
        "INFO",
        (),
        (FromMessage(monitoring_pb2.MonitoringInformation, "test", lambda m: (m,), explode),),
    )
    mon = monitoring_pb2.MonitoringInformation
    table = [(broken, broken.sources[0]), *events_module._BY_PAYLOAD[mon]]
    monkeypatch.setitem(events_module._BY_PAYLOAD, mon, table)
    monkeypatch.setattr(events_module, "_reported", set())
    info = monitoring(notification=[notification()])
    for _ in range(2):
        records = events_for_frame(frame(info), estate(), DEFAULT)
        assert [r.event_name for r in records] == ["aruba.alert"]
    warnings = [r for r in caplog.records if "aruba.test.broken" in r.getMessage()]
    assert len(warnings) == 1  # logged once, not per frame


# -- the catalogue itself ------------------------------------------------------------------


def test_names_are_unique_low_cardinality_and_namespaced() -> None:
    names = event_names()
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"aruba(\.[a-z][a-z_]*)+", name), name


def _documented(record: EventRecord) -> None:
    spec = next(s for s in EVENTS if s.name == record.event_name)
    allowed = set(spec.attributes) | set(CUSTOMER_NAMES)
    for name in record.attributes:
        templated = name.startswith("aruba.alert.extra.") and "aruba.alert.extra.<key>" in allowed
        assert name in allowed or templated, f"{record.event_name}: {name} not documented"


def test_every_record_attribute_is_documented() -> None:
    """The docs' attribute lists are the catalogue's: every attribute set is listed."""
    store = estate()
    records: list[EventRecord] = []
    note = notification()
    note.extra.add(key="site", value="HQ")
    rogue = monitoring_pb2.RogueEvent(
        detected_ap=AP,
        channel=1,
        network=b"x",
        encr_type=monitoring_pb2.RogueEvent.WMS_SNMP_WPA_ENCR_WEP,
    )
    rogue.macaddr.addr = ROGUE_MAC
    rogue.am_rogue.match_type = monitoring_pb2.AirMonitorRogueInfo.RAP_MT_CFG_WM
    rogue.am_rogue.match_mac.addr = ROGUE_MAC
    rogue.am_rogue.monitor_name = "m"
    info = monitoring(notification=[note], wids_events=[monitoring_wids()], rogue_events=[rogue])
    records += events_for_frame(frame(info), store, ALL_ON)
    for subject, payload in (
        ("security", samples.security()),
        ("audit", samples.audit()),
        ("location", samples.location()),
        ("geofence", samples.geofence()),
        ("apprf", samples.apprf()),
    ):
        decoded = decode_frame(samples.envelope(subject, payload))
        assert isinstance(decoded, DecodedFrame), subject
        records += events_for_frame(decoded, store, ALL_ON)
    records += events_for_frame(
        frame(geofence(location_pb2.ZONE_IN), Topic.LOCATION), store, ALL_ON
    )
    records += events_for_changes(
        [
            device_change(UP, DOWN),
            device_change(DOWN, UP),
            change("interface", (SWITCH, PORT_MAC), port(UP), port(DOWN, admin_state=DOWN,
                   state_down_reason=monitoring_pb2.Interface.ADMIN_INTERFACE_DOWN)),
            change("interface", (SWITCH, PORT_MAC), port(DOWN), port(UP)),
            change("tunnel", ("swarm-1", 42), tunnel(UP), tunnel(DOWN)),
            change("tunnel", ("swarm-1", 42), tunnel(DOWN), tunnel(UP)),
            change("uplink", (GATEWAY, 2), uplink(UP), uplink(DOWN)),
            change("uplink", (GATEWAY, 2), uplink(DOWN), uplink(UP)),
            change("wireless_client", (CLIENT_MAC,), None, wireless_client()),
            change("wireless_client", (CLIENT_MAC,), wireless_client(), None),
        ],
        store,
        ALL_ON,
    )  # fmt: skip
    # Every event exercised (aruba.presence.rssi has New Central sources only: tested in
    # tests/test_new_central_mapping.py).
    assert {r.event_name for r in records} == set(event_names()) - {"aruba.presence.rssi"}
    for record in records:
        _documented(record)
        assert record.severity_number in {s.value for s in Severity}


def test_events_table_has_one_row_per_event() -> None:
    table = events_table_markdown()
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) == len(EVENTS)
    for spec, row in zip(EVENTS, rows, strict=True):
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[0] == f"`{spec.name}`"
        assert cells[1] == ("on" if spec.enabled_by_default else "off")
        assert len(cells) == 7, row  # Classic and New Central sources
    assert table.startswith("| name | default |")
    assert "`aruba.customer.name`" in events_intro_markdown()
    assert "security: RapidsStreamingEvent.idsEvent" in table


# -- the ingest's protocol ---------------------------------------------------------------


def test_catalogue_behind_the_ingest() -> None:
    mapper: EventMapper = EventCatalogue(EventOptions())
    sink: list[Any] = []
    ingest = Ingestor(
        ["CustomerA"],
        limits=defaults.LIMITS,
        pacing=defaults.pacing(),
        events=mapper,
        sink=sink.append,
    )
    down = monitoring(aps=[ap_state(DOWN)], notification=[notification()])
    ingest.handle("CustomerA", Topic.MONITORING, samples.envelope("monitoring", down))
    assert [r.event_name for r in sink] == ["aruba.alert", "aruba.device.down"]
    assert all(r.attributes["aruba.customer.name"] == "CustomerA" for r in sink)
    assert ingest.stats.events == 2
