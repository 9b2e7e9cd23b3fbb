"""The entity store: ADD/UPDATE/DELETE, TTLs, caps, counter resets, presence."""

from __future__ import annotations

import threading

from central_otel.catalog.metrics import counter_fields
from central_otel.proto import monitoring_pb2, presence_pb2
from central_otel.state.store import EntityStore, PresenceSummary
from tests import defaults

AP_MAC = bytes.fromhex("e0f8471e0001")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _info(**kwargs: object) -> monitoring_pb2.MonitoringInformation:
    return monitoring_pb2.MonitoringInformation(customer_id="cust-1", **kwargs)  # type: ignore[arg-type]


def _ap(serial: str, action: int | None = None, status: int | None = None) -> monitoring_pb2.Ap:
    ap = monitoring_pb2.Ap(serial=serial, name=f"ap-{serial}")
    if action is not None:
        ap.action = action  # type: ignore[assignment]
    if status is not None:
        ap.status = status  # type: ignore[assignment]
    return ap


def test_add_update_delete_produce_changes() -> None:
    store = EntityStore("A", defaults.LIMITS)
    (added,) = defaults.apply(store, _info(aps=[_ap("S1", monitoring_pb2.ADD)]))
    assert (added.cls, added.key, added.old) == ("device", ("S1",), None)
    assert isinstance(added.new, monitoring_pb2.Ap)
    assert added.new.name == "ap-S1"
    assert store.customer_id == "cust-1"
    # No action at all: an update (proto2 default), never a delete.
    (updated,) = defaults.apply(store, _info(aps=[_ap("S1", status=monitoring_pb2.DOWN)]))
    assert isinstance(updated.old, monitoring_pb2.Ap)
    assert updated.old.name == "ap-S1"
    assert isinstance(updated.new, monitoring_pb2.Ap)
    assert updated.new.status == monitoring_pb2.DOWN
    (deleted,) = defaults.apply(store, _info(aps=[_ap("S1", monitoring_pb2.DELETE)]))
    assert deleted.new is None
    assert store.items("device") == []
    assert defaults.apply(store, _info(aps=[_ap("S9", monitoring_pb2.DELETE)])) == []


def test_entities_without_identity_are_skipped() -> None:
    store = EntityStore("A", defaults.LIMITS)
    assert defaults.apply(store, _info(aps=[monitoring_pb2.Ap(name="no-serial")])) == []
    defaults.apply(store, _info(device_stats=[monitoring_pb2.DeviceStats(cpu_utilization=5)]))
    assert store.counts() == {}


def test_state_version_bumps_only_on_state_changes() -> None:
    store = EntityStore("A", defaults.LIMITS)
    defaults.apply(store, _info(device_stats=[monitoring_pb2.DeviceStats(device_id="S1")]))
    assert store.version == 0
    defaults.apply(store, _info(aps=[_ap("S1")]))
    assert store.version == 1


def test_stats_expire_after_series_ttl_state_after_state_ttl() -> None:
    clock = Clock()
    store = EntityStore("A", defaults.limits(series_ttl=60, state_ttl=600), clock=clock)
    defaults.apply(
        store,
        _info(aps=[_ap("S1")], device_stats=[monitoring_pb2.DeviceStats(device_id="S1", uptime=5)]),
    )
    clock.now += 59
    assert [k for k, _ in store.items("device_stats")] == [("S1",)]
    clock.now += 2
    assert store.items("device_stats") == []
    assert [k for k, _ in store.items("device")] == [("S1",)]
    clock.now += 600
    assert store.items("device") == []


def test_refreshing_a_series_keeps_it_alive() -> None:
    clock = Clock()
    store = EntityStore("A", defaults.limits(series_ttl=60), clock=clock)
    for _ in range(5):
        defaults.apply(store, _info(device_stats=[monitoring_pb2.DeviceStats(device_id="S1")]))
        clock.now += 50
    assert len(store.items("device_stats")) == 1


def test_caps_drop_and_count_new_entities_only() -> None:
    store = EntityStore("A", defaults.limits(max_entities={"client_stats": 2}))
    stats = []
    for i in range(4):
        s = monitoring_pb2.ClientStats(device_id="S1", tx_bytes=i)
        s.macaddr.addr = bytes([0, 0, 0, 0, 0, i])
        stats.append(s)
    defaults.apply(store, _info(client_stats=stats))
    assert len(store.items("client_stats")) == 2
    assert store.dropped == {"client_stats": 2}
    defaults.apply(store, _info(client_stats=stats[:2]))  # known entities still update
    assert store.dropped == {"client_stats": 2}


def test_counter_reset_is_carried_so_the_counter_stays_monotonic() -> None:
    store = EntityStore("A", defaults.LIMITS, counter_fields=counter_fields())

    def stats(tx: int, rx: int | None = None) -> monitoring_pb2.MonitoringInformation:
        s = monitoring_pb2.InterfaceStats(device_id="SW1", tx_bytes=tx)
        if rx is not None:
            s.rx_bytes = rx
        s.macaddr.addr = AP_MAC
        return _info(interface_stats=[s])

    defaults.apply(store, stats(100, 10))
    defaults.apply(store, stats(150, 20))
    defaults.apply(store, stats(20, 30))  # reboot: tx went down
    ((_, entity),) = store.items("interface_stats")
    assert entity.offsets == {"tx_bytes": 150}
    defaults.apply(store, stats(5, 1))  # a second reset
    ((_, entity),) = store.items("interface_stats")
    assert entity.offsets == {"tx_bytes": 170, "rx_bytes": 30}
    defaults.apply(store, stats(7))  # rx absent: no reset inferred
    ((_, entity),) = store.items("interface_stats")
    assert entity.offsets == {"tx_bytes": 170, "rx_bytes": 30}


def test_presence_is_aggregated_per_ap_without_macs() -> None:
    store = EntityStore("A", defaults.LIMITS)
    event = presence_pb2.presence_event(
        timestamp=1,
        customer_id="cust-1",
        event="presence",
        event_type=presence_pb2.presence_event.proximity,
    )
    for device, assoc in [("AP1", True), ("AP1", False), ("AP1", False), ("AP2", True)]:
        p = event.pa_proximity_event.proximity.add(device_id=device, associated=assoc)
        p.sta_eth_mac.addr = b"3C22FB000042"
    event.pa_client_state.presence_client_state.add(
        state=presence_pb2.presence_client_state.visitor
    )
    event.pa_client_state.presence_client_state.add(
        state=presence_pb2.presence_client_state.visitor
    )
    event.pa_client_state.presence_client_state.add()  # no state: not counted
    store.apply_presence(event)
    assert {k: e.msg for k, e in store.items("presence_ap")} == {
        ("AP1",): PresenceSummary(associated=1, unassociated=2),
        ("AP2",): PresenceSummary(associated=1, unassociated=0),
    }
    assert store.presence_states == {"visitor": 2}


def test_concurrent_reads_during_writes() -> None:
    store = EntityStore("A", defaults.LIMITS)
    errors: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        try:
            while not done.is_set():
                store.items("device_stats")
                store.counts()
        except BaseException as err:  # pragma: no cover - the assertion reports it
            errors.append(err)

    thread = threading.Thread(target=reader)
    thread.start()
    for i in range(300):
        defaults.apply(store, _info(device_stats=[monitoring_pb2.DeviceStats(device_id=f"S{i}")]))
    done.set()
    thread.join()
    assert errors == []
    assert store.counts() == {"device_stats": 300}
