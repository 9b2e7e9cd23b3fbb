"""The demo's summary: the estate read from a store, the event tap, and `demo` itself
with standard output a pipe (the plain-lines fallback)."""

from __future__ import annotations

import re
from collections import Counter

from central_otel.catalog.metrics import counter_fields
from central_otel.proto import monitoring_pb2
from central_otel.state.store import DeviceInfo, EntityStore
from central_otel.telemetry.logs_api import SeverityNumber, emit_event
from central_otel.telemetry.providers import Telemetry
from central_otel.views.demo_view import EventTap, LogLines
from central_otel.views.estate import ApLoad, DeviceCount, SiteCount, estate
from tests import defaults
from tests.cli_support import run_cli


def _mac(n: int) -> bytes:
    return bytes([0x02, 0, 0, 0, n >> 8, n & 0xFF])


def _store() -> EntityStore:
    """Two APs (one down), a switch of unknown status, four clients on three radios."""
    info = monitoring_pb2.MonitoringInformation(customer_id="cust-1")
    info.aps.add(serial="AP1", name="lobby", status=monitoring_pb2.UP).macaddr.addr = _mac(1)
    info.aps.add(serial="AP2", name="attic", status=monitoring_pb2.DOWN).macaddr.addr = _mac(2)
    switch = info.switches.add(serial="SW1", name="core")
    switch.macaddr.addr = _mac(3)
    radios = {
        10: {"device_id": "AP1", "band": 0, "channel": "6"},
        11: {"device_id": "AP1", "band": 1, "channel": "36E"},
        12: {"device_id": "AP2", "channel": "197"},  # no band number: 6 GHz by its channel
    }
    for n, fields in radios.items():
        info.radios.add(index=n, **fields).macaddr.addr = _mac(n)  # type: ignore[arg-type]
    for n, (radio, util) in {10: (10, 30), 11: (11, 85), 12: (12, 20)}.items():
        stats = info.radio_stats.add(device_id=f"AP{1 if n < 12 else 2}", utilization=util)
        stats.macaddr.addr = _mac(radio)
    for n, (ap, ssid, radio) in enumerate(
        [("AP1", b"Corp", 10), ("AP1", b"Corp", 11), ("AP1", b"Guest", 11), ("AP2", b"Corp", 12)]
    ):
        client = info.wireless_clients.add(associated_device=ap, network=ssid)
        client.macaddr.addr = _mac(100 + n)
        client.radio_mac.addr = _mac(radio)
    wired = info.wired_clients.add(associated_device="SW1")
    wired.macaddr.addr = _mac(200)
    store = EntityStore("CustomerA", defaults.LIMITS, counter_fields=counter_fields())
    defaults.apply(store, info)
    return store


def test_estate_by_type_ssid_band_and_load() -> None:
    facts = estate([_store()])
    assert facts.devices == (
        DeviceCount("ap", up=1, down=1, unknown=0),
        DeviceCount("switch", up=0, down=0, unknown=1),
    )
    assert facts.clients == {
        "Corp": Counter({"2.4GHz": 1, "5GHz": 1, "6GHz": 1}),
        "Guest": Counter({"5GHz": 1}),
    }
    assert facts.bands() == ["2.4GHz", "5GHz", "6GHz"]
    assert (facts.wireless_clients, facts.wired_clients) == (4, 1)
    assert facts.busiest == (
        ApLoad("lobby", clients=3, utilization=0.85, band="5GHz"),
        ApLoad("attic", clients=1, utilization=0.2, band="6GHz"),
    )


def test_event_tap_lists_all_but_client_churn_and_counts_everything() -> None:
    telemetry = Telemetry.in_memory()
    tap = EventTap(keep=2)
    telemetry.logger_provider.add_log_record_processor(tap)
    logger = telemetry.logger("central_otel.events")
    for name, severity, body in [
        ("aruba.client.connected", SeverityNumber.INFO, "Wireless client 1 connected"),
        ("aruba.device.down", SeverityNumber.WARN, "AP lobby is down"),
        ("aruba.wids.event", SeverityNumber.ERROR, "Deauth flood"),
        ("aruba.alert", SeverityNumber.FATAL, "Gateway unreachable"),
    ]:
        emit_event(logger, event_name=name, severity_number=severity, body=body)
    assert tap.counts == Counter(
        {
            "aruba.client.connected": 1,
            "aruba.device.down": 1,
            "aruba.wids.event": 1,
            "aruba.alert": 1,
        }
    )
    shown = [(e.number, e.severity_word(), e.name, e.body) for e in tap.lines]
    assert shown == [  # the last two kept
        (2, "ERROR", "aruba.wids.event", "Deauth flood"),
        (3, "FATAL", "aruba.alert", "Gateway unreachable"),
    ]
    telemetry.shutdown(1.0)


def test_log_lines_keep_whole_lines() -> None:
    log = LogLines(keep=2)
    log.write("first\nsec")
    log.write("ond\n")
    log.write("third\nfourth")
    assert list(log.lines) == ["second", "third"]


async def test_demo_to_a_pipe_prints_plain_lines() -> None:
    code, text, err = await run_cli(
        "demo", "--duration", "5s", "--export-interval", "1s", "--stats-interval", "0.5s"
    )
    assert code == 0, err[-2000:]
    assert "\x1b" not in text  # no colours, no cursor movement
    lines = text.splitlines()
    stamp = r"\d\d:\d\d:\d\d "
    assert re.fullmatch(stamp + r"demo running: health on http://127\.0\.0\.1:\d+/status", lines[0])
    facts = [line[9:] for line in lines if re.match(stamp, line)]
    # A Classic and a New Central customer: 6 + 8 subscriptions.
    assert (
        "subscriptions: 14/14 connected (demo: monitoring connected, presence connected, "
        "security connected, location connected, apprf connected, audit connected; "
        "demo-nc: ap-events connected, clients-events connected, switch-events connected, "
        "alert-events connected, audit-trail-events connected, location connected, "
        "rssi-events connected, geofence connected)"
    ) in facts
    devices = [f for f in facts if f.startswith("devices: ")]
    assert devices, text
    for line in devices:  # two small estates: 4 APs, 1 switch each, 1 gateway (Classic)
        counts = re.fullmatch(
            r"devices: ap (\d) up (\d) down; gateway 1 up 0 down; switch 2 up 0 down", line
        )
        assert counts is not None, line
        assert int(counts[1]) + int(counts[2]) == 8
    clients = [f for f in facts if f.startswith("clients: ")]
    assert clients
    for line in clients:
        # Bands in words, by SSID: "Corp: 2.4GHz 1, 6GHz 1; IoT: 2.4GHz 6"
        per_ssid = re.fullmatch(r"clients: \d+ wireless \((.*)\), 4 wired", line)
        assert per_ssid is not None, line
        bands = re.findall(r"(\S+) \d+(?:,|;|$)", per_ssid.group(1))
        assert bands, line
        assert set(bands) <= {"2.4GHz", "5GHz", "6GHz"}, line
    busiest = [f for f in facts if f.startswith("busiest APs: ")]
    assert busiest
    assert all(re.match(r"busiest APs: hq-ap-0\d \d+ clients \d+%", b) for b in busiest)
    exports = [f for f in facts if f.startswith("last export: ")]
    assert len(exports) >= 3
    assert re.fullmatch(
        r"last export: metrics \d+ points, took \S+ \(\d+ ok, 0 failed, 0 lost\); "
        r"logs \d+ records, took \S+ \(\d+ ok, 0 failed, 0 lost\)",
        exports[-1],
    )
    # The simulator's opening detections, as the events a person would read.
    events = [line for line in lines if line.startswith("event ")]
    assert any(
        re.fullmatch(stamp[:-1] + r" ERROR aruba\.wids\.event: .+, reported by hq-ap-0\d", e[6:])
        for e in events
    ), events


async def test_demo_verbose_keeps_the_full_dump_with_bands_in_words() -> None:
    code, text, err = await run_cli(
        "demo", "--verbose", "--duration", "3s", "--export-interval", "1s", "--stats-interval",
        "0.5s",
    )  # fmt: skip
    assert code == 0, err[-2000:]
    # The catalogue's data points and the bridge's self-metrics, a block each per export.
    headers = re.findall(
        r"^-- \d\d:\d\d:\d\d(?:\.\d{3})? metrics: (\d+) data points$", text, re.MULTILINE
    )
    assert len(headers) >= 2
    assert max(map(int, headers)) > 100
    # Radio series and client events carry the band in words (one radio of each per AP).
    radios = re.findall(r"^  aruba\.radio\.utilization\{.*aruba\.radio\.band='([^']*)'", text, re.M)
    assert set(radios) == {"2.4GHz", "5GHz", "6GHz"}
    bands = set(re.findall(r"aruba\.radio\.band='([^']*)'", text))
    assert bands == {"2.4GHz", "5GHz", "6GHz"}
    assert re.search(r"^\d\d:\d\d:\d\d\.\d{3} INFO   aruba\.client\.connected: ", text, re.M)
    assert "demo running: simulated Central at http://127.0.0.1:" in err  # the log, on stderr


def test_estate_by_site_with_device_context() -> None:
    store = _store()
    store.replace_inventory(
        [
            DeviceInfo("AP1", "Paris office", "Campus-APs", ("lobby",)),
            DeviceInfo("AP2", "Paris office", "Campus-APs"),
            DeviceInfo("SW1", "Lyon", "Campus-Switches"),
        ]
    )
    facts = estate([store])
    assert facts.sites == (
        SiteCount("CustomerA", "Lyon", devices=1, down=0),
        SiteCount("CustomerA", "Paris office", devices=2, down=1),
    )
    assert facts.busiest == (
        ApLoad("lobby", clients=3, utilization=0.85, band="5GHz", site="Paris office"),
        ApLoad("attic", clients=1, utilization=0.2, band="6GHz", site="Paris office"),
    )
    assert estate([_store()]).sites == ()  # no inventory: no sites
