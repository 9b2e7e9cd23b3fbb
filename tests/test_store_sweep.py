"""Entities of classes no enabled metric reads still expire (found by the soak test).

Expiry used to happen only when a class was read for export: with `per_client` off
(the default) nothing reads `client_stats`, so every client MAC ever seen stayed in
the store until the per-class cap, then new clients were refused.
"""

from __future__ import annotations

from central_otel.proto import monitoring_pb2
from central_otel.state.store import EntityStore
from tests import defaults


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _client_stats(mac: bytes) -> monitoring_pb2.MonitoringInformation:
    info = monitoring_pb2.MonitoringInformation(customer_id="c")
    stats = info.client_stats.add(device_id="CNF7JSS0AA", timestamp=1, tx_bytes=10)
    stats.macaddr.addr = mac
    return info


def test_unread_stats_expire_on_the_write_path() -> None:
    clock = FakeClock()
    store = EntityStore("A", defaults.limits(series_ttl=120.0), clock=clock)
    for n in range(50):
        defaults.apply(store, _client_stats(bytes([2, 0, 0, 0, 0, n])))
    assert store.counts()["client_stats"] == 50
    clock.now += 121.0  # past the TTL and the sweep interval
    defaults.apply(store, _client_stats(bytes([2, 0, 0, 0, 1, 0])))
    assert store.counts()["client_stats"] == 1  # only the fresh one; nothing read `items`


def test_no_sweep_before_its_interval() -> None:
    clock = FakeClock()
    store = EntityStore("A", defaults.limits(series_ttl=600.0), clock=clock)
    defaults.apply(store, _client_stats(bytes([2, 0, 0, 0, 0, 1])))
    clock.now += 30.0  # neither expired nor due for a sweep
    defaults.apply(store, _client_stats(bytes([2, 0, 0, 0, 0, 2])))
    assert store.counts()["client_stats"] == 2
    clock.now += 601.0
    store.expire()
    assert store.counts() == {}
