"""The encoder's side table stays small: what the entities of a device (and of a
customer) have in common is kept once, and goes when they go."""

from __future__ import annotations

import gc
import tracemalloc
import types

from central_otel.proto import monitoring_pb2
from tests import defaults
from tests.export_support import (
    PLAN,
    encoder,
    exported,
    filled_store,
    message,
    received,
    values,
)


def test_the_entities_of_a_device_share_one_customer_and_device_prefix() -> None:
    store = filled_store()
    cached = encoder()
    cached.encode([store])
    assert len(store.items("device")) == 16
    # One per device (its radios, ports, VAPs... lead with the customer and the
    # device), and the customer's alone (clients lead with their own MAC).
    assert cached.shared_prefixes == 17
    # A renamed AP: its entities move to a new prefix, the old one goes with them.
    (serial,), device = store.items("device")[0]
    renamed = monitoring_pb2.Ap()
    renamed.CopyFrom(message(device, monitoring_pb2.Ap))
    renamed.name = "renamed-ap"
    defaults.apply(store, monitoring_pb2.MonitoringInformation(aps=[renamed]))
    points = received(cached.encode([store]).requests)
    assert cached.shared_prefixes == 17
    radios = values(points, "aruba.radio.utilization")
    assert {a["host.name"] for _, a in radios if a["host.id"] == serial} == {"renamed-ap"}
    assert radios == values(exported([store]), "aruba.radio.utilization")


def test_the_prefixes_of_customers_gone_go_with_their_entries() -> None:
    stores = [filled_store(f"Customer{i}") for i in range(4)]
    cached = encoder()
    cached.encode(stores)
    assert cached.shared_prefixes == 4 * 17  # the customer's name is in every prefix
    # Three customers go: once their entries are dropped, so are their prefixes.
    cached.encode(stores[:1])
    assert cached.shared_prefixes == 17


def test_the_side_table_holds_under_550_bytes_per_entity() -> None:
    """What the encoder keeps between cycles, per entity exported (entries, attribute
    bytes, dependencies, aggregate groups): ~700 B without the shared prefixes."""
    stores = [filled_store(f"Customer{i}") for i in range(4)]
    entities = sum(len(s.snapshot(source.source)[0]) for s in stores for source in PLAN.sources)
    assert entities == 4 * 478
    encoder().encode(stores)  # the attribute pairs' cache filled
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        cached = encoder()
        cached.encode(stores)  # (the requests not kept)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept / entities < 550, f"{kept / entities:.0f} B per entity"


def test_a_replaced_state_message_is_not_held_by_the_side_table() -> None:
    """The side table remembers which entities an entry's attributes read, not their
    messages: a message shares its frame's arena, and after a reconnect's snapshot the
    old ones would hold every customer's previous snapshot until the next cycle."""
    store = filled_store()
    cached = encoder()
    cached.encode([store])
    (serial,), device = store.items("device")[0]
    old = message(device, monitoring_pb2.Ap)
    again = monitoring_pb2.Ap()
    again.CopyFrom(old)  # the same AP re-sent, as after a reconnect
    defaults.apply(store, monitoring_pb2.MonitoringInformation(aps=[again]))
    assert store.get("device", (serial,)) is device
    assert device.msg is not old
    gc.collect()
    holders = [r for r in gc.get_referrers(old) if not isinstance(r, types.FrameType)]
    assert holders == []
    # The next cycle still sees the change (and the radios keep their device's name).
    radios = values(received(cached.encode([store]).requests), "aruba.radio.utilization")
    assert radios == values(exported([store]), "aruba.radio.utilization")
    assert cached.encode([store]).refreshed == 0
