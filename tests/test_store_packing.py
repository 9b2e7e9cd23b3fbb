"""The store keeps state messages as their wire bytes once an export cycle has read
them (`central_otel.state.packing`): readers see the same messages, the export the
same bytes, and the payloads they came from are freed."""

from __future__ import annotations

import gc
import time

import pytest

from bench.machine import malloc_in_use
from bench.stores import fill
from central_otel.catalog.plan import MetricOptions, compile_plan
from central_otel.export.encoder import EncodeLimits, OtlpMetricEncoder
from central_otel.export.exporter import MetricExportLoop
from central_otel.export.sinks import MemorySink
from central_otel.proto import monitoring_pb2
from central_otel.simulator.estate import EstateScale
from central_otel.simulator.frames import build
from central_otel.state.compaction import STATE_MESSAGE_CLASSES
from central_otel.state.entities import CLASS_KINDS, Kind
from central_otel.state.packing import PackedMessage
from central_otel.state.store import Entity, EntityStore
from central_otel.telemetry.resource import build_resource
from central_otel.telemetry.stats import ExportStats
from tests import defaults

NOW = 1_700_000_000_000_000_000


def _estate_store() -> EntityStore:
    store = EntityStore("A", defaults.limits())
    return fill(store, build(EstateScale.small(), rounds=2, seed="packing"))


def _packed(entity: Entity) -> bool:
    return isinstance(entity.held, PackedMessage)


def _encoder() -> OtlpMetricEncoder:
    plan = compile_plan(MetricOptions(per_client=True))
    return OtlpMetricEncoder(
        plan, build_resource(instance_id="test"), EncodeLimits(), clock=lambda: NOW
    )


def test_state_messages_are_packed_once_and_read_back_equal() -> None:
    store = _estate_store()
    before = {
        (cls, key): entity.msg.SerializeToString()
        for cls in STATE_MESSAGE_CLASSES
        for key, entity in store.items(cls)
    }
    states = len(before)
    assert states > 50  # APs, radios, VAPs, interfaces, clients...
    assert store.pack_states() == states
    assert store.pack_states() == 0  # nothing arrived since
    for (cls, key), wire in before.items():
        entity = store.get(cls, key)
        assert entity is not None
        assert isinstance(entity.held, PackedMessage), cls
        assert entity.source == 0  # it holds no payload any more
        assert entity.msg.SerializeToString() == wire
        assert type(entity.msg) is type(entity.held.unpack())
    for cls, kind in CLASS_KINDS.items():  # stats and the rest are kept as they came
        if kind is Kind.STATS:
            for _, entity in store.items(cls):
                assert not isinstance(entity.held, PackedMessage), cls


def test_an_update_after_packing_reports_the_old_message_and_is_packed_next() -> None:
    store = _estate_store()
    store.pack_states()
    [(key, entity)] = store.items("device")[:1]
    old = entity.msg
    update = monitoring_pb2.MonitoringInformation(customer_id="c")
    changed = update.aps.add()
    changed.CopyFrom(old)
    changed.name = "renamed-ap"
    [change] = defaults.apply(store, update)
    assert change.cls == "device"
    assert change.key == key
    assert change.old == old
    assert isinstance(change.new, monitoring_pb2.Ap)
    assert change.new.name == "renamed-ap"
    assert not _packed(entity)  # until the next cycle
    assert store.pack_states() == 1
    assert _packed(entity)
    assert entity.msg.name == "renamed-ap"


def test_the_export_is_the_same_before_and_after_packing() -> None:
    store = _estate_store()
    # Two encoders, the same clock: the first cycle of each computes everything.
    first = _encoder()
    unpacked = [body for body, _ in first.encode_iter([store])]
    assert store.pack_states() > 0
    second = _encoder()
    packed = [body for body, _ in second.encode_iter([store])]
    assert packed == unpacked
    # And a cycle of the first encoder after packing: the entries' inputs are equal.
    again = [body for body, _ in first.encode_iter([store])]
    assert again == unpacked
    assert first.refreshed == 0


def test_packing_frees_the_snapshot_payload() -> None:
    """Decoded, a client with a MAC and an IP address is a few hundred bytes of arena
    (every address a submessage); packed, its ~40 wire bytes (Python's allocator)."""
    store = EntityStore("A", defaults.limits())
    info = monitoring_pb2.MonitoringInformation(customer_id="c")
    for n in range(20_000):
        client = info.wireless_clients.add(name=f"c{n}")
        client.macaddr.addr = n.to_bytes(6, "big")
        client.ip_address.af = monitoring_pb2.IpAddress.ADDR_FAMILY_INET
        client.ip_address.addr = n.to_bytes(4, "big")
    payload = info.SerializeToString()
    del info
    defaults.apply(store, monitoring_pb2.MonitoringInformation.FromString(payload))
    gc.collect()
    in_use = malloc_in_use()
    if in_use is None:
        pytest.skip("needs glibc's mallinfo2")
    assert store.pack_states() == 20_000
    gc.collect()
    freed = in_use - (malloc_in_use() or 0)
    assert freed > 5_000_000, freed  # the payload's arena: ~250 B a client at least
    entity = store.get("wireless_client", ((5).to_bytes(6, "big"),))
    assert entity is not None
    assert entity.msg.name == "c5"
    assert entity.msg.ip_address.addr == (5).to_bytes(4, "big")


def test_the_export_thread_packs_between_cycles() -> None:
    """A burst of state (every customer's snapshot after a mass reconnect) is packed
    within `pack_interval`, not held decoded until the next cycle."""
    store = _estate_store()
    loop = MetricExportLoop(
        _encoder(),
        lambda: [store],
        MemorySink(),
        interval=3600.0,
        timeout=1.0,
        stats=ExportStats("metrics"),
        pack_interval=0.05,
    )
    loop.start()
    try:
        deadline = time.monotonic() + 5.0
        while not all(_packed(e) for _, e in store.items("radio")):
            assert time.monotonic() < deadline, "not packed"
            time.sleep(0.02)
    finally:
        loop.shutdown(1.0)
    assert loop.cycles == 1  # the last one, at the stop: none ran before the packing
    assert all(_packed(e) for _, e in store.items("device"))
