"""The encoder's side table stays small: what the entities of a device (and of a
customer) have in common is kept once, and goes when they go."""

from __future__ import annotations

from central_otel.proto import monitoring_pb2
from tests import defaults
from tests.export_support import encoder, exported, filled_store, message, received, values


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
