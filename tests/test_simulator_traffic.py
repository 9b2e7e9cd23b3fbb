"""What the simulator streams: every topic decodes, with realistic and consistent content."""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from google.protobuf.message import Message

from central_otel.decoding import DecodedFrame, present
from central_otel.proto import (
    apprf_pb2,
    audit_pb2,
    location_pb2,
    monitoring_pb2,
    presence_pb2,
    security_pb2,
)
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from central_otel.topics import Topic
from tests.simulator_support import (
    CUSTOMER,
    connect,
    decoded,
    receive_frames,
    receive_until,
    running,
)

MON = monitoring_pb2
SERIAL = re.compile(r"(CN|SG)[A-Z0-9]{8}")


@pytest.fixture
async def busy() -> AsyncIterator[CentralSimulator]:
    async with running(profile=TrafficProfile.busy()) as simulator:
        yield simulator


def _monitoring(frame: DecodedFrame) -> MON.MonitoringInformation:
    assert isinstance(frame.payload, MON.MonitoringInformation)
    return frame.payload


def _has(field: str) -> Any:
    return lambda frame: bool(getattr(frame.payload, field, None))


def _entity_fields(info: MON.MonitoringInformation) -> list[str]:
    """The entity fields present (everything but customer_id, data_elements and timestamp)."""
    header = ("customer_id", "data_elements", "timestamp")
    return [field.name for field, _value in info.ListFields() if field.name not in header]


def _ip(message: Message) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """A monitoring IpAddress, checking that af matches the address length."""
    af, addr = message.af, message.addr  # type: ignore[attr-defined]
    assert (af, len(addr)) in ((2, 4), (10, 16)), (af, addr)
    return ipaddress.ip_address(addr)


# -- envelope and monitoring snapshot ------------------------------------------------------


async def test_envelope_fields(sim: CentralSimulator, session: aiohttp.ClientSession) -> None:
    ws = await connect(session, sim, "monitoring")
    (frame,) = [decoded(f) for f in await receive_frames(ws, 1)]
    await ws.close()
    assert frame.subject == "monitoring"
    assert frame.customer_id == sim.customer(CUSTOMER).customer_id
    assert frame.msp_id == ""
    assert frame.timestamp_ns is not None
    assert abs(frame.timestamp_ns - time.time_ns()) < 5 * 10**9
    assert frame.payload_type == "Monitoring.MonitoringInformation"


async def test_monitoring_snapshot_adds_the_whole_estate(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, sim, "monitoring")
    (frame,) = [decoded(f) for f in await receive_frames(ws, 1)]
    await ws.close()
    info = _monitoring(frame)
    estate = sim.estate(CUSTOMER)
    counts = {
        "swarms": 1,
        "aps": 4,
        "radios": 12,  # 3 radios per AP (2.4, 5, 6 GHz)
        "vaps": 36,  # 3 SSIDs per radio
        "networks": 3,
        "interfaces": 24 + 4 + 4,  # switch ports, gateway ports, AP eth0
        "switches": 1,
        "mobility_controllers": 1,
        "uplinks": 2,
        "tunnels": 1,
        "vlans": 5,
        "device_neighbours": 4,
        "wireless_clients": 20,
        "wired_clients": 2,
    }
    assert {name: len(getattr(info, name)) for name in counts} == counts
    present_fields = _entity_fields(info)
    expected_elements = {
        MON.STATE_SWARM, MON.STATE_AP, MON.STATE_RADIO, MON.STATE_VAP, MON.STATE_NETWORK,
        MON.STATE_INTERFACE, MON.STATE_SWITCH, MON.STATE_CONTROLLER, MON.STATE_UPLINK,
        MON.STATE_TUNNEL, MON.STATE_VLAN, MON.DEVICE_NEIGHBOURS, MON.STATE_WIRELESSCLIENT,
        MON.STATE_WIREDCLIENT,
    }  # fmt: skip
    assert set(info.data_elements) == expected_elements
    assert len(info.data_elements) == len(expected_elements) == len(present_fields)
    for name in counts:
        assert all(
            entity.action == MON.ADD for entity in getattr(info, name) if entity.HasField("action")
        )
    assert all(entity.HasField("action") for entity in info.aps)
    assert abs(info.timestamp - time.time()) < 5

    assert sorted(ap.serial for ap in info.aps) == sorted(ap.serial for ap in estate.aps)
    for ap in info.aps:
        assert SERIAL.fullmatch(ap.serial)
        assert len(ap.macaddr.addr) == 6
        assert _ip(ap.ip_address) in ipaddress.ip_network("10.0.0.0/8")
        assert ap.model in ("AP-635", "AP-655")
        assert ap.cluster_id == info.swarms[0].swarm_id
        assert ap.status == MON.UP
        assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+_\d+", ap.firmware_version)
    assert sum(ap.swarm_master for ap in info.aps) == 1
    assert {r.band for r in info.radios} == {0, 1, 2}
    assert all(r.channel.isdigit() and len(r.macaddr.addr) == 6 for r in info.radios)
    assert {r.channel_width for r in info.radios} <= {20, 40, 80, 160}
    essids = {n.essid.decode() for n in info.networks}
    assert essids == {"Corp", "Café-Guest", "IoT"}
    bssids = [v.bssid.addr for v in info.vaps]
    assert len(set(bssids)) == 36
    assert all(len(b) == 6 for b in bssids)
    radio_macs = {r.macaddr.addr for r in info.radios}
    assert {v.radio_mac.addr for v in info.vaps} == radio_macs
    ports = [i for i in info.interfaces if i.device_id == info.switches[0].serial]
    assert [p.name for p in ports] == [f"1/1/{n}" for n in range(1, 25)]
    client_macs = [c.macaddr.addr for c in info.wireless_clients]
    assert sorted(client_macs) == sorted(estate.clients)
    families = {len(c.ip_address.addr) for c in info.wireless_clients}
    assert families <= {4, 16}
    assert 4 in families
    for client in info.wireless_clients:
        _ip(client.ip_address)
        assert len(client.macaddr.addr) == 6
        assert client.radio_mac.addr in radio_macs
        assert client.network.decode() in essids
        assert client.associated_device in {ap.serial for ap in info.aps}
        assert client.os_type
        assert client.manufacturer
        assert client.vlan in (10, 20, 30)
    assert all(len(u.public_ip_address.addr) == 4 for u in info.uplinks)
    assert info.mobility_controllers[0].mode == MON.MobilityController.GATEWAY


async def test_ipv6_clients_exist_in_a_bigger_estate(session: aiohttp.ClientSession) -> None:
    async with running(scale=EstateScale(aps_per_site=10, clients_per_ap=10)) as sim:
        ws = await connect(session, sim, "monitoring")
        (frame,) = [decoded(f) for f in await receive_frames(ws, 1)]
        await ws.close()
    addresses = [_ip(c.ip_address) for c in _monitoring(frame).wireless_clients]
    assert len(addresses) == 100
    v6 = [a for a in addresses if a.version == 6]
    assert v6
    assert all(a in ipaddress.ip_network("2001:db8::/32") for a in v6)


# -- monitoring stats -------------------------------------------------------------------------


def _stats_frames(frames: list[DecodedFrame]) -> list[MON.MonitoringInformation]:
    return [_monitoring(f) for f in frames if _monitoring(f).device_stats]


async def test_stats_cover_every_kind_and_counters_increase(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, sim, "monitoring")
    frames = [decoded(f) for f in await receive_frames(ws, 3)]  # snapshot, 2 stats ticks
    await ws.close()
    first, second = _stats_frames(frames)
    kinds = {
        "device_stats": MON.STAT_DEVICE, "radio_stats": MON.STAT_RADIO, "vap_stats": MON.STAT_VAP,
        "interface_stats": MON.STAT_INTERFACE, "client_stats": MON.STAT_CLIENT,
        "tunnel_stats": MON.STAT_TUNNEL, "uplink_stats": MON.STAT_UPLINK,
        "uplink_wan_stats": MON.STAT_UPLINKWAN, "uplink_probe_stats": MON.STAT_UPLINKIPPROBE,
        "ssid_stats": MON.STAT_SSID, "role_stats": MON.STAT_ROLE, "vlan_stats": MON.STAT_VLAN,
        "modem_stats": MON.STAT_MODEM, "uplink_speedtest": MON.STATS_UPLINK_SPEEDTEST,
        "ipprobe_stats": MON.STAT_IPPROBE,
    }  # fmt: skip
    for info in (first, second):
        assert set(info.data_elements) == set(kinds.values())
        assert all(getattr(info, name) for name in kinds)
    estate = sim.estate(CUSTOMER)
    assert len(first.device_stats) == 4 + 1 + 1
    assert len(first.client_stats) == 20
    assert len(first.radio_stats) == 12

    def by(info: MON.MonitoringInformation, field: str, *keys: str) -> dict[Any, Any]:
        out = {}
        for entry in getattr(info, field):
            out[tuple(_key(entry, k) for k in keys)] = entry
        return out

    checks = [
        ("radio_stats", ("device_id", "macaddr"), ("tx_bytes", "rx_bytes")),
        ("client_stats", ("macaddr",), ("tx_bytes", "rx_bytes")),
        ("interface_stats", ("device_id", "macaddr"), ("tx_bytes", "rx_bytes", "in_packets")),
        ("vap_stats", ("radio_mac", "network"), ("tx_bytes", "rx_bytes")),
        ("tunnel_stats", ("tunnel_id",), ("tx_bytes", "rx_bytes")),
        ("uplink_stats", ("device_id", "link_id"), ("tx_bytes", "rx_bytes", "tunnel_tx_bytes")),
        ("ssid_stats", ("device_id", "essid"), ("tx_bytes", "rx_bytes")),
        ("vlan_stats", ("device_id", "vlan"), ("tx_bytes", "rx_bytes")),
        ("role_stats", ("device_id", "user_role"), ("tx_bytes", "rx_bytes")),
        ("modem_stats", ("device_id",), ("tx_bytes", "rx_bytes")),
    ]
    for field, keys, counters in checks:
        before, after = by(first, field, *keys), by(second, field, *keys)
        assert before.keys() == after.keys(), field
        for key, old in before.items():
            new = after[key]
            for counter in counters:
                assert getattr(new, counter) > getattr(old, counter), (field, key, counter)
    for device in first.device_stats:
        assert 5 <= device.cpu_utilization <= 90
        assert 0 < device.mem_free < device.mem_total
        assert device.uptime > 3600
        assert 30 <= device.temperature <= 60
    for radio in first.radio_stats:
        assert 85 <= radio.noise_floor <= 100
        assert 1 <= radio.utilization <= 99
        assert len(radio.macaddr.addr) == 6
    for client in first.client_stats:
        assert client.macaddr.addr in estate.clients
        assert client.speed > 0
        assert 5 <= client.snr <= 60
    probe = first.uplink_probe_stats[0]
    assert probe.vpnc_ip_addr == int(ipaddress.IPv4Address("172.16.0.1"))
    assert probe.probe_ip_addr == int(ipaddress.IPv4Address("192.0.2.53"))
    assert probe.avg_rtt_float > 0
    assert probe.avg_rtt == round(probe.avg_rtt_float)
    assert probe.min_rtt_float <= probe.avg_rtt_float <= probe.max_rtt_float
    assert 1.0 <= probe.mos_quality_float <= 4.5
    assert first.uplink_speedtest[0].downstream_bps > first.uplink_speedtest[0].upstream_bps > 0
    assert len(first.ipprobe_stats[0].probe_ip_addr.addr) == 4
    wan = first.uplink_wan_stats[0]
    assert wan.savings_bytes == wan.uncompressed_bytes - wan.compressed_bytes


def _key(entry: Message, name: str) -> Any:
    value: Any = getattr(entry, name)
    return value if isinstance(value, int | str | bytes) else value.addr  # a MAC message


async def test_frames_respect_the_size_limit(session: aiohttp.ClientSession) -> None:
    async with running(max_frame_size=2048) as sim:
        ws = await connect(session, sim, "monitoring")
        frames: list[DecodedFrame] = []
        while sum(len(_monitoring(f).client_stats) for f in frames) < 2 * 20:  # two ticks
            frames.append(decoded((await receive_frames(ws, 1))[0]))
        await ws.close()
    snapshot = frames[: next(i for i, f in enumerate(frames) if _monitoring(f).device_stats)]
    assert len(snapshot) >= 5  # about 9 KiB of state
    assert len(frames) - len(snapshot) >= 2 * 5  # and as much again per stats tick
    assert all(frame.size <= 2048 for frame in frames)
    clients = [c for f in snapshot for c in _monitoring(f).wireless_clients]
    assert len(clients) == 20
    for frame in snapshot:
        info = _monitoring(frame)
        assert len(info.data_elements) == len(_entity_fields(info))


# -- monitoring events -----------------------------------------------------------------------


async def test_client_join_then_leave(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, sim, "monitoring")
    await receive_frames(ws, 1)
    ap = sim.estate(CUSTOMER).aps[2]
    mac = sim.join_client(CUSTOMER, ap.serial)
    assert mac is not None
    assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", mac)
    raw = bytes.fromhex(mac.replace(":", ""))
    assert raw in sim.estate(CUSTOMER).clients
    assert raw in ap.clients

    def change(action: int) -> Any:
        return lambda f: any(
            c.macaddr.addr == raw and c.action == action for c in _monitoring(f).wireless_clients
        )

    added, _ = await receive_until(ws, change(MON.ADD))
    client = next(c for c in _monitoring(added).wireless_clients if c.macaddr.addr == raw)
    assert client.associated_device == ap.serial
    assert MON.STATE_WIRELESSCLIENT in _monitoring(added).data_elements
    assert sim.leave_client(CUSTOMER, mac) is True
    assert raw not in sim.estate(CUSTOMER).clients
    removed, _ = await receive_until(ws, change(MON.DELETE))
    assert removed.payload.wireless_clients[0].associated_device == ap.serial  # type: ignore[attr-defined]
    assert sim.leave_client(CUSTOMER, mac) is False
    # its stats stop
    frames = [decoded(f) for f in await receive_frames(ws, 2)]
    for info in _stats_frames(frames):
        assert raw not in {c.macaddr.addr for c in info.client_stats}
    await ws.close()


async def test_ap_down_and_up(sim: CentralSimulator, session: aiohttp.ClientSession) -> None:
    ws = await connect(session, sim, "monitoring")
    await receive_frames(ws, 2)  # snapshot and the first stats
    serial = sim.ap_down(CUSTOMER)
    ap = sim.estate(CUSTOMER).ap(serial)
    assert not ap.up
    assert not ap.clients
    down, _ = await receive_until(ws, _has("notification"))
    info = _monitoring(down)
    (ap_update,) = info.aps
    assert (ap_update.serial, ap_update.action, present(ap_update, "status")) == (
        serial,
        MON.UPDATE,
        MON.DOWN,
    )
    assert {r.status for r in info.radios} == {MON.DOWN}
    assert {c.action for c in info.wireless_clients} == {MON.DELETE}
    evicted = {c.macaddr.addr for c in info.wireless_clients}
    assert len(evicted) == 5
    (opened,) = info.notification
    assert (opened.type, opened.device_id, opened.state) == (
        "AP_DISCONNECTED",
        serial,
        MON.Notification.Open,
    )
    assert opened.severity == MON.Notification.Major
    assert opened.id
    stats, _ = await receive_until(ws, _has("device_stats"))
    assert serial not in {d.device_id for d in _monitoring(stats).device_stats}
    before = {r.macaddr.addr: r.tx_bytes for r in _monitoring(stats).radio_stats}

    assert sim.ap_up(CUSTOMER, serial) is True
    assert sim.ap_up(CUSTOMER, serial) is False
    up, _ = await receive_until(ws, _has("notification"))
    (closed,) = _monitoring(up).notification
    assert (closed.id, closed.state, closed.severity) == (
        opened.id,
        MON.Notification.Close,
        opened.severity,
    )
    assert present(_monitoring(up).aps[0], "status") == MON.UP
    rejoined = {c.macaddr.addr for c in _monitoring(up).wireless_clients if c.action == MON.ADD}
    assert rejoined == evicted  # its clients associate again
    assert set(ap.clients) == evicted
    stats, _ = await receive_until(ws, _has("device_stats"))
    rebooted = next(d for d in _monitoring(stats).device_stats if d.device_id == serial)
    assert rebooted.uptime < 600
    radios = [r for r in _monitoring(stats).radio_stats if r.device_id == serial]
    other = [r for r in _monitoring(stats).radio_stats if r.device_id != serial]
    assert len(radios) == 3
    assert max(r.tx_bytes for r in radios) < min(before[r.macaddr.addr] for r in other)
    await ws.close()


async def test_random_events_reach_every_monitoring_connection(
    busy: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    first = await connect(session, busy, "monitoring")
    second = await connect(session, busy, "monitoring")

    def events(ws_frames: list[DecodedFrame]) -> set[tuple[bytes, int]]:
        return {
            (c.macaddr.addr, c.action)
            for f in ws_frames
            for c in _monitoring(f).wireless_clients
            if c.action != MON.ADD or len(_monitoring(f).wireless_clients) < 20
        }

    _, seen_first = await receive_until(first, _has("wids_events"))
    _, more = await receive_until(first, _has("rogue_events"))
    seen_first += more
    kinds = {name for frame in seen_first for name in _entity_fields(_monitoring(frame))}
    assert {"wids_events", "rogue_events", "wireless_clients"} <= kinds
    wids = next(w for f in seen_first for w in _monitoring(f).wids_events)
    assert len(wids.macaddr.addr) == 6
    assert wids.detected_ap
    rogue = next(r for f in seen_first for r in _monitoring(f).rogue_events)
    assert len(rogue.macaddr.addr) == 6
    assert rogue.am_rogue.monitor_name
    _, seen_second = await receive_until(second, _has("rogue_events"))
    assert events(seen_first) & events(seen_second)
    await first.close()
    await second.close()


# -- other topics -----------------------------------------------------------------------------


async def test_presence(sim: CentralSimulator, session: aiohttp.ClientSession) -> None:
    ws = await connect(session, sim, "presence")
    frames = [decoded(f) for f in await receive_frames(ws, 4)]
    await ws.close()
    estate = sim.estate(CUSTOMER)
    hex_mac = re.compile(rb"[0-9A-F]{12}")
    serials = set()
    for frame in frames:
        assert frame.topic is Topic.PRESENCE
        assert frame.subject == "presence"
        event = frame.payload
        assert isinstance(event, presence_pb2.presence_event)
        assert event.event == "presence"
        assert event.event_type == presence_pb2.presence_event.proximity
        assert abs(event.timestamp - time.time() * 1000) < 5000
        for station in event.pa_proximity_event.proximity:
            serials.add(station.device_id)
            ap = estate.ap(station.device_id)
            assert hex_mac.fullmatch(station.sta_eth_mac.addr)
            assert hex_mac.fullmatch(station.radio_mac.addr)
            assert station.ap_eth_mac.addr == ap.mac.hex().upper().encode()
            assert -95 <= station.rssi_val <= -30
            raw = bytes.fromhex(station.sta_eth_mac.addr.decode())
            assert station.associated == (raw in ap.clients)
    assert serials == {ap.serial for ap in estate.aps}  # one event per AP and tick


async def test_presence_rssi_and_client_state(
    busy: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, busy, "presence")
    frames = [decoded(f) for f in await receive_frames(ws, 12)]
    await ws.close()
    kinds = {f.payload.event_type for f in frames}  # type: ignore[attr-defined]
    assert kinds == {0, 1, 2}
    rssi = next(f.payload for f in frames if f.payload.event_type == 1)  # type: ignore[attr-defined]
    entry = rssi.pa_rssi_event.rssi[0]  # type: ignore[attr-defined]
    assert entry.rssi_val < 0
    assert len(entry.sta_eth_mac.addr) == 12
    assert not entry.is_ap
    states = next(f.payload for f in frames if f.payload.event_type == 0)  # type: ignore[attr-defined]
    assert states.pa_client_state.presence_client_state  # type: ignore[attr-defined]


async def test_security(busy: CentralSimulator, session: aiohttp.ClientSession) -> None:
    ws = await connect(session, busy, "security")
    frame, _ = await receive_until(ws, _has("idsEvent"))
    await ws.close()
    event = frame.payload
    assert isinstance(event, security_pb2.RapidsStreamingEvent)
    assert event.cust_id == busy.customer(CUSTOMER).customer_id
    serials = {ap.serial for ap in busy.estate(CUSTOMER).aps}
    for rogue in event.rogue:
        assert len(rogue.rogue_id.addr) == 6
        assert rogue.classification == 1
        assert rogue.ssid
        assert rogue.first_det_device in serials
        assert rogue.last_det_device in serials
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rogue.last_seen)
    ids = event.idsEvent[0]
    assert ids.device_id in serials
    assert ids.event_number >= 1
    assert len(ids.mac_addr.addr) == 6
    assert ids.level in ("high", "medium", "low")


async def test_location_and_geofence(
    busy: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, busy, "location")
    geofence, frames = await receive_until(
        ws, lambda f: isinstance(f.payload, location_pb2.stream_geofence_notify)
    )
    await ws.close()
    estate = busy.estate(CUSTOMER)
    radio_macs = {r.mac for ap in estate.aps for r in ap.radios}
    locations = [f.payload for f in frames if isinstance(f.payload, location_pb2.stream_location)]
    assert locations
    for location in locations:
        assert len(location.sta_eth_mac.addr) == 6
        assert location.unit == location_pb2.FEET
        assert 0 <= location.sta_location_x <= 240
        assert 0 <= location.sta_location_y <= 160
        assert location.records
        assert all(r.radio_mac.addr in radio_macs and r.rssi_val < 0 for r in location.records)
        assert location.floor_id_string == estate.sites[0].floor_id
    assert geofence.subject == "location"
    assert geofence.topic is Topic.LOCATION
    notify = geofence.payload
    assert isinstance(notify, location_pb2.stream_geofence_notify)
    assert notify.geofence_event in (location_pb2.ZONE_IN, location_pb2.ZONE_OUT)
    assert notify.geofence_name in {"Lobby", "Cafeteria", "Conference-A"}
    assert len(notify.geofence_id) == 16
    assert len(notify.sta_eth_mac.addr) == 6


async def test_apprf(sim: CentralSimulator, session: aiohttp.ClientSession) -> None:
    ws = await connect(session, sim, "apprf")
    frames = [decoded(f) for f in await receive_frames(ws, 4)]
    await ws.close()
    estate = sim.estate(CUSTOMER)
    for frame in frames:
        session_ = frame.payload
        assert isinstance(session_, apprf_pb2.apprf_session)
        ap = estate.ap(session_.serial_number)
        assert session_.ap_name == ap.name
        assert session_.client_firewall_session
        for flow in session_.client_firewall_session:
            assert (flow.client_ip.af, len(flow.client_ip.addr)) in ((1, 4), (2, 16))
            assert (flow.dest_ip.af, len(flow.dest_ip.addr)) in ((1, 4), (2, 16))
            assert flow.client_mac.addr in ap.clients
            assert flow.app_name
            assert flow.app_cat
            assert flow.rx_bytes > 0
        for url in session_.url_detail_record:
            assert url.dest_url_prefix
            assert url.hit_count >= 1
            assert len(url.client_mac.addr) == 6


async def test_audit(busy: CentralSimulator, session: aiohttp.ClientSession) -> None:
    ws = await connect(session, busy, "audit")
    frames = [decoded(f) for f in await receive_frames(ws, 6)]
    await ws.close()
    info_field = {
        audit_pb2.CONFIGURATION: "config_info",
        audit_pb2.FIRMWARE: "firmware_info",
        audit_pb2.DEVICE_MGMT: "dm_info",
    }
    for frame in frames:
        message = frame.payload
        assert isinstance(message, audit_pb2.audit_message)
        assert message.customer_id == busy.customer(CUSTOMER).customer_id
        assert message.HasField(info_field[message.service])
        assert [name for name in info_field.values() if message.HasField(name)] == [
            info_field[message.service]
        ]
        assert (message.client_ip.af, len(message.client_ip.addr)) in ((1, 4), (2, 16))
        assert abs(message.timestamp - time.time()) < 5


async def test_quiet_topics_send_nothing_without_events(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, sim, "audit")
    with pytest.raises(TimeoutError):
        await receive_frames(ws, 1, timeout=0.3)
    await ws.close()


def test_same_seed_same_estate() -> None:
    from central_otel.simulator.estate import Estate

    now = time.time()
    first, again = Estate(EstateScale.small(), "7:A", now), Estate(EstateScale.small(), "7:A", now)
    other = Estate(EstateScale.small(), "8:A", now)
    assert [(a.serial, a.mac, a.ip) for a in first.aps] == [
        (a.serial, a.mac, a.ip) for a in again.aps
    ]
    assert list(first.clients) == list(again.clients)
    assert [a.serial for a in first.aps] != [a.serial for a in other.aps]


def test_medium_estate_builds_fast() -> None:
    from central_otel.simulator.estate import Estate

    started = time.perf_counter()
    estate = Estate(EstateScale.medium(), "0:A", time.time())
    assert time.perf_counter() - started < 2.0
    assert (len(estate.aps), len(estate.clients), len(estate.switches)) == (200, 3000, 20)
    macs = (
        [ap.mac for ap in estate.aps]
        + [s.mac for s in estate.switches]
        + [g.mac for g in estate.gateways]
    )
    assert len(set(macs)) == len(macs)
    assert len({r.mac for ap in estate.aps for r in ap.radios}) == 600


def test_scale_presets_and_validation() -> None:
    assert EstateScale.preset("small") == EstateScale.small() == EstateScale()
    large = EstateScale.large()
    assert (large.ap_count, large.client_count) == (10_000, 200_000)
    assert "Café-Guest" in EstateScale().ssids
    assert EstateScale(ssids=["A", "B"]).ssids == ("A", "B")  # type: ignore[arg-type]
    for bad in (
        {"radios_per_ap": 4},
        {"sites": 0},
        {"ssids": ()},
        {"ssids": ("x" * 33,)},
        {"ssids": ("A", "A")},
        {"aps_per_site": 100, "clients_per_ap": 100},
    ):
        with pytest.raises(ValueError, match=r"EstateScale|SSID|clients per site"):
            EstateScale(**bad)
    with pytest.raises(ValueError, match="unknown estate scale 'huge'"):
        EstateScale.preset("huge")


def test_client_churn_hovers_around_the_scale() -> None:
    from central_otel.simulator.estate import Estate
    from central_otel.simulator.world import SimClock, World

    clock = SimClock()
    estate = Estate(EstateScale.small(), "3:A", clock.now())
    profile = TrafficProfile(client_join=0.3, client_leave=0.3, ap_down=0.02, ap_up=0.5)
    world = World(
        customer_id="c", estate=estate, profile=profile, clock=clock, interval=1.0, seed="3:A"
    )
    sizes = []
    for _ in range(400):
        world.tick()
        sizes.append(len(estate.clients))
        assert sum(len(ap.clients) for ap in estate.aps) == len(estate.clients)
        assert all(not ap.clients for ap in estate.aps if not ap.up)
    assert 10 <= sum(sizes[-100:]) / 100 <= 30  # 4 APs x 5 clients nominal


def test_counters_grow_with_time_and_restart_on_reset() -> None:
    import random

    from central_otel.simulator.world import CounterBank

    bank = CounterBank(random.Random(1))
    first = bank.read("AP1", "radio", (1000.0, 0.01), now=100.0, age=86_400)
    assert first[0] > 10_000_000  # a day's worth
    same = bank.read("AP1", "radio", (1000.0, 0.01), now=100.0, age=86_400)
    assert same == first  # no time passed
    later = bank.read("AP1", "radio", (1000.0, 0.01), now=100.05, age=86_400)
    assert later[0] > first[0]
    assert later[1] >= first[1]
    bank.reset("AP1")
    rebooted = bank.read("AP1", "radio", (1000.0, 0.01), now=101.0, age=60)
    assert rebooted[0] < 200_000
