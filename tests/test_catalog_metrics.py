"""The metric catalogue read through the store: names, values, attributes, lifecycle."""

from __future__ import annotations

import pytest

from central_otel.catalog.attributes import StoreLookup
from central_otel.catalog.metrics import (
    AGGREGATES,
    METRICS,
    MetricSpec,
    counter_fields,
)
from central_otel.catalog.plan import MetricOptions, compile_plan
from central_otel.proto import monitoring_pb2
from central_otel.state.store import EntityStore
from tests import defaults
from tests.export_support import exported, values

AP_MAC = bytes.fromhex("e0f8471e0001")
RADIO_MAC = bytes.fromhex("e0f8471e0010")
PORT_MAC = bytes.fromhex("001a1e000101")
CLIENT_MAC = bytes.fromhex("3c22fb000042")
AP_IDENTITY = {
    "aruba.customer.name": "CustomerA",
    "aruba.customer.id": "cust-1",
    "host.id": "CNF7JSS0AA",
    "host.name": "ap-lobby-01",
    "host.mac": "E0-F8-47-1E-00-01",
    "host.ip": "10.1.10.103",
    "hw.model": "AP-535",
    "aruba.device.type": "ap",
}


def spec(name: str) -> MetricSpec:
    return next(s for s in METRICS if s.name == name)


def points(name: str, store: EntityStore) -> list[tuple[float, dict[str, str]]]:
    """One metric's exported points (value, attributes), sorted by attributes."""
    return values(exported([store]), name)


def enabled(options: MetricOptions) -> set[str]:
    return set(compile_plan(options).metric_names)


def _estate(status: int = monitoring_pb2.DOWN) -> monitoring_pb2.MonitoringInformation:
    info = monitoring_pb2.MonitoringInformation(customer_id="cust-1")
    ap = info.aps.add(serial="CNF7JSS0AA", name="ap-lobby-01", model="AP-535", status=status)
    ap.macaddr.addr = AP_MAC
    ap.ip_address.af = monitoring_pb2.IpAddress.ADDR_FAMILY_INET
    ap.ip_address.addr = bytes([10, 1, 10, 103])
    radio = info.radios.add(device_id="CNF7JSS0AA", index=1, channel="36", band=1, channel_width=80)
    radio.macaddr.addr = RADIO_MAC
    info.device_stats.add(
        device_id="CNF7JSS0AA",
        cpu_utilization=37,
        mem_total=1000,
        mem_free=250,
        uptime=86400,
        mem_utilization=75,
    )
    rs = info.radio_stats.add(
        device_id="CNF7JSS0AA", tx_bytes=500, rx_bytes=700, noise_floor=95, utilization=42
    )
    rs.macaddr.addr = RADIO_MAC
    port = info.interfaces.add(device_id="CNF7JSS0AA", name="eth0", oper_state=monitoring_pb2.UP)
    port.macaddr.addr = PORT_MAC
    ps = info.interface_stats.add(device_id="CNF7JSS0AA", tx_bytes=11, rx_bytes=22, in_errors=3)
    ps.macaddr.addr = PORT_MAC
    client = info.wireless_clients.add(
        action=monitoring_pb2.ADD, associated_device="CNF7JSS0AA", network=b"Corp"
    )
    client.macaddr.addr = CLIENT_MAC
    client.radio_mac.addr = RADIO_MAC
    cs = info.client_stats.add(
        device_id="CNF7JSS0AA", tx_bytes=9, rx_bytes=8, signal_in_db=61, snr=30
    )
    cs.macaddr.addr = CLIENT_MAC
    return info


@pytest.fixture
def store() -> EntityStore:
    s = EntityStore("CustomerA", defaults.LIMITS, counter_fields=counter_fields())
    defaults.apply(s, _estate())
    return s


def test_device_stats_with_identity_from_state(store: EntityStore) -> None:
    assert points("system.cpu.utilization", store) == [(0.37, AP_IDENTITY)]
    assert points("system.memory.usage", store) == [
        (250.0, {**AP_IDENTITY, "system.memory.state": "free"}),
        (750.0, {**AP_IDENTITY, "system.memory.state": "used"}),
    ]
    assert points("system.uptime", store) == [(86400.0, AP_IDENTITY)]
    assert points("system.memory.utilization", store) == [(0.75, AP_IDENTITY)]
    assert points("aruba.device.power", store) == []  # absent field: no point, not 0


def test_status_metric_pattern(store: EntityStore) -> None:
    assert points("aruba.device.status", store) == [
        (1.0, {**AP_IDENTITY, "aruba.device.state": "down"}),
        (0.0, {**AP_IDENTITY, "aruba.device.state": "up"}),
    ]
    assert points("aruba.interface.status", store)[1] == (
        1.0,
        {
            **AP_IDENTITY,
            "hw.network.physical_address": "00-1A-1E-00-01-01",
            "network.interface.name": "eth0",
            "aruba.interface.state": "up",
        },
    )


def test_status_absent_gives_no_series() -> None:
    store = EntityStore("CustomerA", defaults.LIMITS)
    defaults.apply(
        store,
        monitoring_pb2.MonitoringInformation(customer_id="c", aps=[monitoring_pb2.Ap(serial="X")]),
    )
    assert points("aruba.device.status", store) == []


def test_radio_stats_enriched_with_band_channel_width(store: EntityStore) -> None:
    radio = {
        **AP_IDENTITY,
        "hw.network.physical_address": "E0-F8-47-1E-00-10",
        "aruba.radio.band": "5GHz",
        "aruba.radio.channel": "36",
        "aruba.radio.channel_width": "80",
    }
    assert points("aruba.radio.io", store) == [
        (700.0, {**radio, "network.io.direction": "receive"}),
        (500.0, {**radio, "network.io.direction": "transmit"}),
    ]
    assert points("aruba.radio.noise_floor", store) == [(-95.0, radio)]
    assert points("aruba.radio.utilization", store) == [(0.42, radio)]


def test_interface_counters(store: EntityStore) -> None:
    port = {
        **AP_IDENTITY,
        "hw.network.physical_address": "00-1A-1E-00-01-01",
        "network.interface.name": "eth0",
    }
    assert points("system.network.io", store) == [
        (22.0, {**port, "network.io.direction": "receive"}),
        (11.0, {**port, "network.io.direction": "transmit"}),
    ]
    assert points("system.network.errors", store) == [
        (3.0, {**port, "network.io.direction": "receive"})
    ]


def test_counter_reset_keeps_exported_counter_monotonic(store: EntityStore) -> None:
    info = monitoring_pb2.MonitoringInformation(customer_id="cust-1")
    ps = info.interface_stats.add(device_id="CNF7JSS0AA", tx_bytes=4, rx_bytes=30)
    ps.macaddr.addr = PORT_MAC
    defaults.apply(store, info)
    assert [v for v, _ in points("system.network.io", store)] == [30.0, 15.0]  # 11 + 4


def test_per_client_metrics_are_opt_in(store: EntityStore) -> None:
    default = enabled(MetricOptions(per_client=False))
    assert "aruba.client.io" not in default
    assert "system.cpu.utilization" in default
    opted = enabled(MetricOptions(per_client=True))
    assert "aruba.client.io" in opted
    assert points("aruba.client.signal_strength", store) == [
        (
            -61.0,
            {
                "aruba.customer.name": "CustomerA",
                "aruba.customer.id": "cust-1",
                "aruba.client.mac": "3C-22-FB-00-00-42",
                **{k: v for k, v in AP_IDENTITY.items() if not k.startswith("aruba.customer")},
                "aruba.wlan.ssid": "Corp",
                "aruba.radio.band": "5GHz",
            },
        )
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"band": 0, "channel": "6"}, "2.4GHz"),
        ({"band": 2, "channel": "37"}, "6GHz"),
        ({"channel": "149E"}, "5GHz"),  # no band number: from the channel
        ({"band": 9, "channel": "11"}, "2.4GHz"),  # an unknown number: from the channel
        ({"band": 9}, "9"),  # unknown and no channel: as Central sent it
        ({}, None),
    ],
)
def test_radio_band_in_words_on_radio_series_and_client_counts(
    store: EntityStore, fields: dict[str, object], expected: str | None
) -> None:
    info = monitoring_pb2.MonitoringInformation(customer_id="cust-1")
    radio = info.radios.add(device_id="CNF7JSS0AA", index=1, **fields)
    radio.macaddr.addr = RADIO_MAC
    defaults.apply(store, info)
    [(_, attrs)] = points("aruba.radio.utilization", store)
    assert attrs.get("aruba.radio.band") == expected
    [(_, group)] = points("aruba.client.count", store)
    assert group.get("aruba.radio.band") == expected


def test_disabled_names_are_honoured() -> None:
    options = MetricOptions(
        per_client=True, disabled=frozenset({"system.uptime", "aruba.client.count"})
    )
    names = enabled(options)
    assert "system.uptime" not in names
    assert "aruba.client.count" not in names
    assert "system.cpu.utilization" in names


def test_client_count_aggregate(store: EntityStore) -> None:
    got = points("aruba.client.count", store)
    assert got == [
        (
            1.0,
            {
                "aruba.customer.name": "CustomerA",
                "aruba.customer.id": "cust-1",
                "host.id": "CNF7JSS0AA",
                "host.name": "ap-lobby-01",
                "aruba.radio.band": "5GHz",
                "aruba.wlan.ssid": "Corp",
                "network.connection.type": "wifi",
            },
        )
    ]


def test_delete_removes_series_at_next_collection(store: EntityStore) -> None:
    info = monitoring_pb2.MonitoringInformation(customer_id="cust-1")
    client = info.wireless_clients.add(action=monitoring_pb2.DELETE)
    client.macaddr.addr = CLIENT_MAC
    defaults.apply(store, info)
    assert points("aruba.client.count", store) == []


def test_stale_series_expire() -> None:
    now = [0.0]
    store = EntityStore("CustomerA", defaults.limits(series_ttl=10), clock=lambda: now[0])
    defaults.apply(store, _estate())
    assert len(points("system.cpu.utilization", store)) == 1
    now[0] = 11
    assert points("system.cpu.utilization", store) == []
    assert len(points("aruba.device.status", store)) == 2  # state outlives stats


def test_renamed_device_updates_attributes(store: EntityStore) -> None:
    points("system.cpu.utilization", store)  # fill the attribute cache
    info = monitoring_pb2.MonitoringInformation(customer_id="cust-1")
    info.aps.add(serial="CNF7JSS0AA", name="ap-renamed")
    defaults.apply(store, info)
    ((_, attrs),) = points("system.cpu.utilization", store)
    assert attrs["host.name"] == "ap-renamed"


def test_catalogue_is_consistent() -> None:
    names = [s.name for s in METRICS] + [s.name for s in AGGREGATES]
    assert len(names) == len(set(names))
    for s in METRICS:
        assert s.name == s.name.lower()
        assert not s.name.endswith("_total")
        assert s.series
        assert s.description.endswith(".")
        assert s.unit


def test_attributes_are_documented(store: EntityStore) -> None:
    from central_otel.catalog.attributes import CUSTOMER_NAMES, SOURCES

    everything = exported([store])
    for s in compile_plan(MetricOptions(per_client=True)).metrics:
        documented = set(SOURCES[s.source][1]) | set(CUSTOMER_NAMES)
        for series in s.series:
            documented |= set(series.attributes)
        seen = [attrs for _, attrs in values(everything, s.name)]
        for attrs in seen:
            assert set(attrs) <= documented, s.name


def test_generated_metric_docs_are_current() -> None:
    from central_otel.catalog import docs

    assert docs.DOC.read_text(encoding="utf-8") == docs.render(), (
        "docs/metrics.md is out of date: run python -m central_otel.catalog.docs"
    )
    assert docs.main(["--check"]) == 0


def test_device_identity_is_derived_once_per_device_message(store: EntityStore) -> None:
    """Every radio, port and client of a device needs its identity: derived once per
    device message, a fresh dict for each caller, derived again when it is replaced."""
    lookup = StoreLookup(store)
    identity = {k: v for k, v in AP_IDENTITY.items() if not k.startswith("aruba.customer")}
    first = lookup.device("CNF7JSS0AA")
    second = lookup.device("CNF7JSS0AA")
    assert first == second == identity
    assert first is not second
    first["network.interface.name"] = "eth0"  # a caller adds its own
    assert lookup.device("CNF7JSS0AA") == identity
    info = monitoring_pb2.MonitoringInformation(customer_id="cust-1")
    info.aps.add(serial="CNF7JSS0AA", name="ap-renamed")
    defaults.apply(store, info)
    assert lookup.device("CNF7JSS0AA") == {
        "host.id": "CNF7JSS0AA",
        "host.name": "ap-renamed",
        "aruba.device.type": "ap",
    }
    assert lookup.device("UNKNOWN") == {"host.id": "UNKNOWN"}
