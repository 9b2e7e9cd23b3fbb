"""New Central through the whole bridge: one `central-otel run` process with a Classic
customer (the simulator) and a New Central customer (a scripted New Central on
loopback), exporting to a real OTLP receiver. Exact values of both reach it: the same
metric and event names, New Central's site attributes, both operation numberings, the
client status, DELETE removing series at once, and an unknown payload type counted."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web
from google.protobuf.message import Message

from central_otel.catalog.metrics import counter_fields
from central_otel.catalog.plan import MetricOptions, compile_plan
from central_otel.new_central.decoding import NewCentralFrame
from central_otel.new_central.topics import PATHS, NewCentralTopic
from central_otel.new_central.translate import TranslationMemory, translate
from central_otel.pipeline.ingest import Ingestor
from central_otel.proto import monitoring_pb2
from central_otel.proto.new_central import (
    alert_pb2,
    ap_events_pb2,
    audit_trail_pb2,
    client_pb2,
    event_pb2,
    geofence_pb2,
    location_analytics_pb2,
    sw_pb2,
)
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from central_otel.state.store import DeviceContext, EntityStore
from central_otel.topics import Topic
from tests import defaults, samples
from tests.export_support import encoder, received
from tests.new_central_fake import (
    CLIENT_ID,
    CLIENT_SECRET,
    TOKEN_PATH,
    FakeNewCentral,
    ScriptedStreams,
)
from tests.otlp_receiver import GrpcOtlpReceiver, LogView, MetricPoint
from tests.process_support import BridgeProcess

T = TypeVar("T")
PLAN = compile_plan(MetricOptions(per_client=False))
AP = "CNAP0001"
SWITCH = "SGSW0001"
CLIENT = "aa:bb:cc:00:00:01"
RADIO = "20:4c:03:00:00:10"
TIME_S = 1_764_000_000


def event(payload: Message, event_type: str = "", *, type_url: str | None = None) -> bytes:
    cloud = event_pb2.CloudEvent(id="e", source="central", specversion="1.0", type=event_type)
    cloud.time.seconds = TIME_S
    cloud.attributes["subject"].ce_string = "tenant-globex"
    cloud.proto_data.Pack(payload)
    if type_url is not None:
        cloud.proto_data.type_url = type_url
    return cloud.SerializeToString()


def ap_info(operation: int, up: bool) -> bytes:
    return event(
        ap_events_pb2.APInfo(
            operation=operation,  # type: ignore[arg-type]
            serial_number=AP,
            mac_address="20:4c:03:00:00:01",
            device_name="ap-lobby",
            model="AP-635",
            ip_v4="10.1.0.11",
            status=up,
        )
    )


def switch_state(operation: int) -> bytes:
    return event(
        sw_pb2.StreamSwitchMessage(
            switch_state=sw_pb2.Switch(
                operation=operation,  # type: ignore[arg-type]
                serial_number=SWITCH,
                site_name="Paris HQ",
                device_name="sw-core",
                mac_address="38:21:c7:00:00:01",
                model="6300M",
                status=sw_pb2.STATUS_UP,
            )
        )
    )


def client_state(status: int) -> bytes:
    return event(
        client_pb2.StreamClientMessage(
            client_state=client_pb2.ClientState(
                client_details=client_pb2.ClientDetails(
                    mac_address=CLIENT,
                    site_id="site-7",
                    status=status,  # type: ignore[arg-type]
                    connected_device_serial=AP,
                    ipv4="10.1.0.50",
                    role="employee",
                    vlan_id=10,
                ),
                type=client_pb2.CLIENT_TYPE_WIRELESS,
                radio_mac_address=RADIO,
                wlan_name="Corp",
            )
        )
    )


FIRST_FRAMES: dict[NewCentralTopic, list[bytes]] = {
    NewCentralTopic.AP_EVENTS: [
        ap_info(ap_events_pb2.EVENT_OPERATION_ADD, up=True),
        event(
            ap_events_pb2.RadioInfo(
                operation=ap_events_pb2.EVENT_OPERATION_ADD,
                serial_number=AP,
                radio_mac_address=RADIO,
                band=ap_events_pb2.RADIO_BAND_5GHZ,
                bandwidth=ap_events_pb2.CHANNEL_BANDWIDTH_80MHZ,
                channel="36",
                transmit_power=18,
                status=ap_events_pb2.STATUS_UP,
            )
        ),
        event(
            ap_events_pb2.APSystemStat(
                serial_number=AP,
                cpu_utilization=37.5,
                memory_utilization=61.2,
                power_consumption=12.4,
            ),
            type_url="type.googleapis.com/ap.APSystemStat",  # a short package name
        ),
        event(
            ap_events_pb2.RadioStat(
                serial_number=AP,
                radio_mac_address=RADIO,
                tx_bytes=1000,
                rx_bytes=2000,
                noise_floor=-95,
                total_utilization=42,
                total_frame_drops=7,
            )
        ),
        event(ap_events_pb2.VapStat(serial_number=AP), type_url="type.googleapis.com/ap.Nope"),
    ],
    NewCentralTopic.SWITCH_EVENTS: [
        switch_state(sw_pb2.EVENT_OPERATION_ADD),
        event(
            sw_pb2.DeviceStats(
                serial_number=SWITCH,
                site_name="Paris HQ",
                cpu_utilization=12,
                mem_total=1000,
                mem_free=400,
                temperature=41,
                uptime=3600,
            )
        ),
    ],
    NewCentralTopic.CLIENTS_EVENTS: [
        client_state(client_pb2.CLIENT_STATUS_CONNECTED),
        event(
            client_pb2.StreamClientMessage(
                client_stats=client_pb2.ClientStats(
                    mac_address=CLIENT,
                    site_id="site-7",
                    connected_device_serial=AP,
                    tx_bytes=5000,
                    rx_bytes=6000,
                    snr=30,
                    speed=866,
                )
            )
        ),
    ],
    NewCentralTopic.ALERT_EVENTS: [
        event(
            alert_pb2.AlertStreamingMessage(
                alert_id="a-1",
                name="AP Disconnected",
                category="Device",
                severity="Critical",
                state="Active",
                site_id="site-7",
                site_name="Paris HQ",
                summary="AP ap-lobby disconnected",
                impacted_entities=alert_pb2.ImpactedEntities(device_serial=[AP]),
            )
        )
    ],
    NewCentralTopic.AUDIT_TRAIL_EVENTS: [
        event(
            audit_trail_pb2.AuditTrail(
                occurred_on=TIME_S * 1000 + 5,
                action="update",
                category="configuration",
                description="WLAN Corp changed",
                ip_address="192.0.2.5",
                service_name="config",
            )
        )
    ],
    NewCentralTopic.GEOFENCE: [
        event(
            geofence_pb2.StreamGeofenceMessage(
                wifi_client_geofence=geofence_pb2.WifiClientGeofence(
                    zone_id="zone-1",
                    event_type=geofence_pb2.WifiClientGeofence.EVENT_TYPE_ENTER,
                    sta_eth_mac=CLIENT,
                    dwell_time_in_seconds=30,
                )
            )
        )
    ],
    NewCentralTopic.RSSI_EVENTS: [
        event(
            location_analytics_pb2.RssiEvent(
                raw_rssi=location_analytics_pb2.ClientRssi(
                    client_mac=CLIENT, ap_serial=AP, rssi_val=-61, associated=True
                )
            )
        )
    ],
}


def write_config(path: Path, sim: CentralSimulator, key: str, port: int, otlp: str) -> Path:
    (path.parent / "acme.key").write_text(key)
    (path.parent / "globex.secret").write_text(CLIENT_SECRET)
    path.write_text(
        f"""\
central:
  base_url: {sim.url}
customers:
  acme:
    key_file: acme.key
    topics: [monitoring]
  globex:
    platform: new_central
    base_url: http://127.0.0.1:{port}
    client_id: {CLIENT_ID}
    client_secret_file: globex.secret
    token_url: http://127.0.0.1:{port}{TOKEN_PATH}
    topics: [ap-events, switch-events, clients-events, alert-events, audit-trail-events,
             geofence, rssi-events]
otlp:
  endpoint: {otlp}
  export_interval: 1s
  timeout: 2s
health:
  listen: 127.0.0.1:0
metrics:
  per_client: true
events:
  enabled: [aruba.geofence.enter, aruba.presence.rssi]
streaming:
  reconnect:
    initial_delay: 0.2s
    max_delay: 2s
    jitter: 0
"""
    )
    return path


async def eventually(check: Callable[[], T], timeout: float = 10.0) -> T:
    """Poll `check` without blocking the loop (the scripted New Central and the simulator
    run on it) until it is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s")
        await asyncio.sleep(0.05)


def logs_of(receiver: GrpcOtlpReceiver, name: str, customer: str = "globex") -> list[LogView]:
    return [
        r for r in receiver.log_records(name) if r.attributes["aruba.customer.name"] == customer
    ]


def points(receiver: GrpcOtlpReceiver, name: str, customer: str = "globex") -> list[MetricPoint]:
    return [p for p in receiver.latest(name) if p.attributes["aruba.customer.name"] == customer]


def values(receiver: GrpcOtlpReceiver, name: str, **match: str) -> list[Any]:
    return [
        p.value
        for p in points(receiver, name)
        if all(p.attributes.get(k.replace("_", ".")) == v for k, v in match.items())
    ]


AP_IDENTITY = {
    "aruba.customer.name": "globex",
    "aruba.customer.id": "tenant-globex",
    "host.id": AP,
    "host.name": "ap-lobby",
    "host.mac": "20-4C-03-00-00-01",
    "host.ip": "10.1.0.11",
    "hw.model": "AP-635",
    "aruba.device.type": "ap",
    "aruba.site.id": "site-7",
}


async def test_mixed_platforms_reach_the_receiver_with_exact_values(  # noqa: PLR0915 - one scenario
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    sim = CentralSimulator(
        scale=EstateScale.small(), stats_interval=0.3, seed=21, profile=TrafficProfile.quiet()
    )
    acme = sim.add_customer("acme", topics=["monitoring"])
    await sim.start("127.0.0.1", 0)
    script = ScriptedStreams()
    central = FakeNewCentral(stream=script)
    runner = web.AppRunner(central.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    for topic, frames in FIRST_FRAMES.items():
        script.send(PATHS[topic], *frames)
    config = write_config(tmp_path / "config.yaml", sim, acme.key, port, receiver.endpoint)
    bridge = BridgeProcess(config)
    try:
        await bridge.start()
        await eventually(
            lambda: (
                values(receiver, "aruba.radio.io")
                and values(receiver, "aruba.client.io")
                and points(receiver, "system.memory.usage")
            ),
            timeout=20,
        )
        # -- AP: state and stats, the site its client told ----------------------------
        (status,) = [
            p
            for p in points(receiver, "aruba.device.status")
            if p.attributes["host.id"] == AP and p.attributes["aruba.device.state"] == "up"
        ]
        assert status.value == 1
        assert status.attributes == {**AP_IDENTITY, "aruba.device.state": "up"}
        assert values(receiver, "system.cpu.utilization", host_id=AP) == [0.38]
        assert values(receiver, "system.memory.utilization", host_id=AP) == [0.61]
        assert values(receiver, "aruba.device.power", host_id=AP) == [12]
        radio = {
            p.attributes["network.io.direction"]: p for p in points(receiver, "aruba.radio.io")
        }
        assert (radio["transmit"].value, radio["receive"].value) == (1000, 2000)
        assert radio["transmit"].monotonic is True
        assert radio["transmit"].temporality == "cumulative"
        assert radio["transmit"].attributes == {
            **AP_IDENTITY,
            "hw.network.physical_address": "20-4C-03-00-00-10",
            "aruba.radio.band": "5GHz",
            "aruba.radio.channel": "36",
            "aruba.radio.channel_width": "80",
            "network.io.direction": "transmit",
        }
        assert values(receiver, "aruba.radio.noise_floor") == [-95]
        assert values(receiver, "aruba.radio.utilization") == [0.42]
        assert values(receiver, "aruba.radio.packet.dropped") == [7]
        assert values(receiver, "aruba.radio.tx_power") == [18]
        # -- switch: the site name its payloads carry --------------------------------
        memory = {
            p.attributes["system.memory.state"]: p for p in points(receiver, "system.memory.usage")
        }
        assert (memory["used"].value, memory["free"].value) == (600, 400)
        assert memory["used"].attributes["aruba.site.name"] == "Paris HQ"
        assert memory["used"].attributes["aruba.device.type"] == "switch"
        assert values(receiver, "aruba.device.temperature", host_id=SWITCH) == [41]
        assert values(receiver, "system.uptime", host_id=SWITCH) == [3600]
        # -- client: per-client series and the connect event -------------------------
        client_io = {
            p.attributes["network.io.direction"]: p for p in points(receiver, "aruba.client.io")
        }
        assert (client_io["transmit"].value, client_io["receive"].value) == (5000, 6000)
        assert client_io["transmit"].attributes["aruba.client.mac"] == "AA-BB-CC-00-00-01"
        assert values(receiver, "aruba.client.snr") == [30]
        assert values(receiver, "aruba.client.link_speed") == [866e6]
        (count,) = points(receiver, "aruba.client.count")
        assert count.value == 1
        assert count.attributes["aruba.wlan.ssid"] == "Corp"
        logs = await eventually(lambda: logs_of(receiver, "aruba.audit"), timeout=10)
        (connected,) = logs_of(receiver, "aruba.client.connected")
        assert (
            connected.body == "Wireless client AA-BB-CC-00-00-01 connected to ap-lobby on SSID Corp"
        )
        assert connected.attributes["aruba.user.role"] == "employee"
        assert connected.attributes["client.address"] == "10.1.0.50"
        # -- alert, audit, geofence, rssi: the same event names ----------------------
        (alert,) = logs_of(receiver, "aruba.alert")
        assert alert.severity_number == 21
        assert alert.body == "AP ap-lobby disconnected"
        assert {
            k: alert.attributes[k]
            for k in (
                "aruba.alert.id",
                "aruba.alert.state",
                "aruba.alert.severity",
                "aruba.site.id",
                "aruba.site.name",
                "host.id",
                "aruba.customer.id",
            )
        } == {
            "aruba.alert.id": "a-1",
            "aruba.alert.state": "open",
            "aruba.alert.severity": "critical",
            "aruba.site.id": "site-7",
            "aruba.site.name": "Paris HQ",
            "host.id": AP,
            "aruba.customer.id": "tenant-globex",
        }
        (audit,) = logs
        assert audit.body == "WLAN Corp changed"
        assert audit.time_unix_nano == (TIME_S * 1000 + 5) * 1_000_000
        assert audit.attributes["client.address"] == "192.0.2.5"
        (entered,) = logs_of(receiver, "aruba.geofence.enter")
        assert entered.attributes["aruba.geofence.dwell_time"] == 30
        (heard,) = logs_of(receiver, "aruba.presence.rssi")
        assert heard.body == "Station AA-BB-CC-00-00-01 heard by ap-lobby at -61 dBm"
        # -- the Classic customer, beside it ------------------------------------------
        classic = points(receiver, "aruba.device.status", customer="acme")
        serials = {d.serial for d in sim.estate("acme").devices}
        assert {p.attributes["host.id"] for p in classic} == serials
        # -- the token's self-metrics (never the token) --------------------------------
        asked = points(receiver, "central_otel.token.requests")
        requests = {p.attributes["outcome"]: p.value for p in asked}
        assert requests == {"issued": 1, "rejected": 0, "failed": 0}
        assert values(receiver, "central_otel.token.renewals") == [0]
        (expires_in,) = values(receiver, "central_otel.token.expires_in")
        assert 7100 < expires_in <= 7200  # the fake endpoint's 2 h
        assert points(receiver, "central_otel.token.requests", customer="acme") == []
        # -- the unknown payload type: counted, nothing else lost --------------------
        status_body = await bridge.status()
        assert status_body["decode_errors"] == {"ap-events/unknown_type": 1}

        # -- phase 2: down (AP UPDATE is 2), client gone, DELETEs (AP 3, switch 2) -----
        script.send(
            PATHS[NewCentralTopic.AP_EVENTS],
            ap_info(ap_events_pb2.EVENT_OPERATION_UPDATE, up=False),
        )
        script.send(
            PATHS[NewCentralTopic.CLIENTS_EVENTS],
            client_state(client_pb2.CLIENT_STATUS_DISCONNECTED),
        )
        await eventually(lambda: logs_of(receiver, "aruba.client.disconnected"), timeout=10)
        (down,) = await eventually(lambda: logs_of(receiver, "aruba.device.down"), timeout=10)
        assert down.body == "AP ap-lobby (CNAP0001) is down"
        assert down.attributes["aruba.site.id"] == "site-7"
        await eventually(lambda: not points(receiver, "aruba.client.io"), timeout=10)
        script.send(
            PATHS[NewCentralTopic.SWITCH_EVENTS], switch_state(sw_pb2.EVENT_OPERATION_DELETE)
        )
        script.send(
            PATHS[NewCentralTopic.AP_EVENTS],
            ap_info(ap_events_pb2.EVENT_OPERATION_DELETE, up=False),
        )
        await eventually(
            lambda: (
                not [
                    p
                    for p in receiver.latest("aruba.device.status")
                    if p.attributes["aruba.customer.name"] == "globex"
                ]
            ),
            timeout=10,
        )
        assert points(receiver, "system.cpu.utilization") == []  # dependents went with them
        assert points(receiver, "aruba.radio.io") == []
        assert points(receiver, "system.memory.usage") == []
        assert points(receiver, "aruba.device.status", customer="acme")  # Classic unaffected
        text = bridge.stderr
        assert CLIENT_SECRET not in text
        assert "nc-token-" not in text
    finally:
        await bridge.close()
        await runner.cleanup()
        await sim.stop()


# -- the translation, frame by frame ------------------------------------------------------


def _translate(payload: Message, store: EntityStore | None = None) -> Any:
    topic = (
        NewCentralTopic.SWITCH_EVENTS
        if isinstance(payload, sw_pb2.StreamSwitchMessage)
        else NewCentralTopic.CLIENTS_EVENTS
        if isinstance(payload, client_pb2.StreamClientMessage)
        else NewCentralTopic.AP_EVENTS
    )
    frame = NewCentralFrame(topic, "e", "", "", "tenant", TIME_S * 10**9, "", payload, 1)
    return translate(frame, store or EntityStore("globex", defaults.LIMITS), TranslationMemory())


def test_ap_operations_are_add_1_update_2_delete_3() -> None:
    actions = []
    for operation in (1, 2, 3, 0):
        info = _translate(
            ap_events_pb2.APInfo(operation=operation, serial_number=AP)  # type: ignore[arg-type]
        )
        (ap,) = info.aps
        actions.append(ap.action if ap.HasField("action") else None)
    assert actions == [monitoring_pb2.ADD, monitoring_pb2.UPDATE, monitoring_pb2.DELETE, None]


def test_switch_operations_are_add_1_delete_2_update_3() -> None:
    actions = []
    for operation in (1, 2, 3):
        message = sw_pb2.StreamSwitchMessage(
            interface_state=sw_pb2.Interface(operation=operation, serial_number=SWITCH)  # type: ignore[arg-type]
        )
        (interface,) = _translate(message).interfaces
        actions.append(interface.action)
    assert actions == [monitoring_pb2.ADD, monitoring_pb2.DELETE, monitoring_pb2.UPDATE]


def test_client_status_decides_the_client_entity() -> None:
    def action(status: int) -> int | None:
        message = client_pb2.StreamClientMessage(
            client_state=client_pb2.ClientState(
                client_details=client_pb2.ClientDetails(mac_address=CLIENT, status=status)  # type: ignore[arg-type]
            )
        )
        info = _translate(message)
        return info.wireless_clients[0].action if info is not None else None

    assert [action(s) for s in range(6)] == [
        None,  # unspecified
        None,  # connecting: not a client yet
        monitoring_pb2.ADD,  # connected: news, unless already reported present
        monitoring_pb2.DELETE,  # disconnected
        monitoring_pb2.DELETE,  # failed
        monitoring_pb2.DELETE,  # blocked
    ]


def test_totals_become_counters_and_rounded_percentages() -> None:
    stats = _translate(
        ap_events_pb2.PortStat(
            serial_number=AP,
            port_mac_address="20:4c:03:00:00:20",
            tx_bytes=2**40,
            rx_pkts=12,
            total_frame_errors=3,
            frame_error=0.5,
            total_crc=4,
            total_collision=5,
        )
    ).interface_stats[0]
    assert (stats.tx_bytes, stats.in_packets, stats.in_errors) == (2**40, 12, 3)
    assert (stats.in_fcs, stats.out_collision) == (4, 5)
    assert bytes(stats.macaddr.addr) == bytes.fromhex("204c03000020")
    device = _translate(
        ap_events_pb2.APSystemStat(serial_number=AP, cpu_utilization=0.49, memory_utilization=99.5)
    ).device_stats[0]
    assert (device.cpu_utilization, device.mem_utilization) == (0, 100)
    assert not device.HasField("power_consumption")


def test_site_fields_feed_the_device_context() -> None:
    store = EntityStore("globex", defaults.LIMITS)
    _translate(
        sw_pb2.StreamSwitchMessage(
            device_stats=sw_pb2.DeviceStats(serial_number=SWITCH, site_name="Lyon")
        ),
        store,
    )
    _translate(
        client_pb2.StreamClientMessage(
            client_stats=client_pb2.ClientStats(
                mac_address=CLIENT, connected_device_serial=SWITCH, site_id="s-9"
            )
        ),
        store,
    )
    assert store.context(SWITCH) == DeviceContext(site_id="s-9", site_name="Lyon")
    version = store.version
    assert store.set_context(SWITCH, site_name="Lyon") is False  # unchanged: no new series
    assert store.version == version


def test_a_site_learned_later_reaches_the_cached_series() -> None:
    """The encoder caches each series' attributes; a device's new context (a site the
    streams tell after its series were first exported) must still reach them."""
    ingest = Ingestor(
        ["A"], limits=defaults.LIMITS, pacing=defaults.pacing(), counter_fields=counter_fields()
    )
    ingest.handle("A", Topic.MONITORING, samples.envelope("monitoring", samples.monitoring()))
    cycle = encoder(PLAN)

    def cpu_attributes() -> dict[str, Any]:
        (point,) = [
            p
            for p in received(cycle.encode(ingest.stores.values()).requests)
            if p.name == "system.cpu.utilization"
        ]
        return point.attributes

    assert "aruba.site.name" not in cpu_attributes()
    assert ingest.stores["A"].set_context("CNF7JSS0AA", site_id="s-1", site_name="Lyon")
    attributes = cpu_attributes()
    assert (attributes["aruba.site.id"], attributes["aruba.site.name"]) == ("s-1", "Lyon")
    assert attributes["host.name"] == "ap-lobby-01"
