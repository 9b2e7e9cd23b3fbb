"""A state entity's DELETE takes its stats series with it (no ghost series)."""

from __future__ import annotations

from central_otel.catalog.metrics import counter_fields
from central_otel.proto import monitoring_pb2
from central_otel.state.dependents import DEPENDENTS, drop_dependents
from central_otel.state.entities import CLASS_KINDS, Kind
from central_otel.state.store import EntityStore
from tests import defaults
from tests.export_support import message

M1 = bytes.fromhex("a0b1c2d3e4f1")
M2 = bytes.fromhex("a0b1c2d3e4f2")
R1 = bytes.fromhex("e0f8471e0001")


def _classes() -> dict[str, dict[tuple[object, ...], object]]:
    return {
        "client_stats": {(M1,): "c1", (M2,): "c2"},
        "device_stats": {("S1",): "d1", ("S2",): "d2"},
        "radio_stats": {("S1", R1): "r1", ("S2", M2): "r2"},
        "interface_stats": {("S1", M1): "i1"},
        "tunnel_stats": {("sw1", 7, 0): "t0", ("sw1", 7, 1): "t1", ("sw1", 8, 0): "t8"},
        "uplink_probe_stats": {("G1", 1, 10): "p1", ("G1", 2, 10): "p2"},
    }


def test_every_rule_names_a_state_class_and_stats_classes() -> None:
    for state, dependents in DEPENDENTS.items():
        assert CLASS_KINDS[state] is Kind.STATE, state
        for dependent in dependents:
            assert CLASS_KINDS[dependent.stats] is Kind.STATS, dependent


def test_a_client_takes_only_its_own_stats() -> None:
    classes = _classes()
    assert drop_dependents(classes, "wireless_client", (M1,)) == 1
    assert classes["client_stats"] == {(M2,): "c2"}
    assert drop_dependents(classes, "wireless_client", (M1,)) == 0  # already gone


def test_a_device_takes_every_per_device_class() -> None:
    classes = _classes()
    assert drop_dependents(classes, "device", ("S1",)) == 3
    assert classes["device_stats"] == {("S2",): "d2"}
    assert classes["radio_stats"] == {("S2", M2): "r2"}
    assert classes["interface_stats"] == {}
    assert classes["client_stats"] == {(M1,): "c1", (M2,): "c2"}  # clients leave by themselves


def test_radio_tunnel_and_uplink_rules() -> None:
    classes = _classes()
    assert drop_dependents(classes, "radio", (R1,)) == 1
    assert classes["radio_stats"] == {("S2", M2): "r2"}
    assert drop_dependents(classes, "tunnel", ("sw1", 7)) == 2
    assert classes["tunnel_stats"] == {("sw1", 8, 0): "t8"}
    assert drop_dependents(classes, "uplink", ("G1", 1)) == 1
    assert classes["uplink_probe_stats"] == {("G1", 2, 10): "p2"}
    assert drop_dependents(classes, "wired_client", (M1,)) == 0  # no stats of its own


def _client(action: int) -> monitoring_pb2.WirelessClient:
    client = monitoring_pb2.WirelessClient(associated_device="S1")
    client.macaddr.addr = M1
    client.action = action  # type: ignore[assignment]
    return client


def _client_stats(rx: int) -> monitoring_pb2.ClientStats:
    stats = monitoring_pb2.ClientStats(device_id="S1", rx_bytes=rx, signal_in_db=50)
    stats.macaddr.addr = M1
    return stats


def test_the_store_drops_a_deleted_clients_stats_at_once() -> None:
    store = EntityStore("A", defaults.LIMITS, counter_fields=counter_fields())
    defaults.apply(
        store,
        monitoring_pb2.MonitoringInformation(
            wireless_clients=[_client(monitoring_pb2.ADD)], client_stats=[_client_stats(10)]
        ),
    )
    assert [k for k, _ in store.items("client_stats")] == [(M1,)]
    (change,) = defaults.apply(
        store,
        monitoring_pb2.MonitoringInformation(wireless_clients=[_client(monitoring_pb2.DELETE)]),
    )
    assert (change.cls, change.key, change.new) == ("wireless_client", (M1,), None)
    assert store.items("client_stats") == []
    assert store.items("wireless_client") == []
    # The client comes back: a new series (stats arrive again, as a new entity).
    defaults.apply(
        store,
        monitoring_pb2.MonitoringInformation(
            wireless_clients=[_client(monitoring_pb2.ADD)], client_stats=[_client_stats(3)]
        ),
    )
    ((_, entity),) = store.items("client_stats")
    assert message(entity, monitoring_pb2.ClientStats).rx_bytes == 3
