"""Device context on the exported points, exact values at a real OTLP receiver.

The inventory's site, group and labels reach every series of a device (its own, its
radios', ports', clients', its client counts), add no series, change at the next
export after a sync, fill the name and model the streams have not said, and are
encoded exactly as the OpenTelemetry SDK encodes the same attributes.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from central_otel.catalog.attributes import CONTEXT_NAMES
from central_otel.proto import monitoring_pb2
from central_otel.state.store import DeviceInfo, EntityStore
from tests.defaults import LIMITS, apply
from tests.export_support import filled_store, otlp_loop, received, reference
from tests.otlp_receiver import GrpcOtlpReceiver, HttpOtlpReceiver, MetricPoint, OtlpReceiver

Receiver = GrpcOtlpReceiver | HttpOtlpReceiver
INVENTORY_NAMES = ("aruba.site.name", "aruba.group.name", "aruba.device.labels")


@pytest.fixture(params=["grpc", "http/protobuf"])
def receiver(request: pytest.FixtureRequest) -> Any:
    kind = GrpcOtlpReceiver if request.param == "grpc" else HttpOtlpReceiver
    with kind() as started:
        yield started


def export(receiver: OtlpReceiver, loop: Any) -> list[MetricPoint]:
    receiver.clear()
    assert loop.export_once()
    return received(r.request for r in receiver.requests("metrics", accepted=True))


def without_context(attributes: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, str(v)) for k, v in attributes.items() if k not in CONTEXT_NAMES))


def series(points: list[MetricPoint]) -> Counter[tuple[str, tuple[tuple[str, Any], ...]]]:
    """Each series (metric name, attributes without the context), counted."""
    return Counter((p.name, without_context(p.attributes)) for p in points)


def aps(store: EntityStore) -> list[tuple[str, monitoring_pb2.Ap]]:
    return [
        (key[0], entity.msg)
        for key, entity in store.items("device")
        if isinstance(entity.msg, monitoring_pb2.Ap)
    ]


def test_context_reaches_every_series_of_the_device_and_adds_none(receiver: Receiver) -> None:
    store = filled_store("CustomerA", "context")
    loop = otlp_loop(receiver, [store])
    before = export(receiver, loop)
    (paris, paris_ap), (lyon, _lyon_ap) = aps(store)[:2]
    assert store.replace_inventory(
        [
            # The streams named the AP: the inventory's name and model do not override.
            DeviceInfo(paris, "Paris office", "Campus-APs", ("floor-1", "lobby"), "x", "y", "ap"),
            DeviceInfo(lyon, "Lyon", "Campus-APs"),
        ]
    )
    after = export(receiver, loop)
    assert series(after) == series(before)  # the same series, no new one

    contexts = {
        (p.attributes.get("host.id"), repr([p.attributes.get(n) for n in INVENTORY_NAMES]))
        for p in after
        if any(n in p.attributes for n in CONTEXT_NAMES)
    }
    assert contexts == {
        (paris, repr(["Paris office", "Campus-APs", ["floor-1", "lobby"]])),
        (lyon, repr(["Lyon", "Campus-APs", None])),
    }
    on_paris = {p.name for p in after if p.attributes.get("host.id") == paris}
    assert {p.name for p in after if p.attributes.get("aruba.site.name") == "Paris office"} == (
        on_paris
    )
    # Its own series, its radios', its clients' and its client counts all have it.
    assert {
        "aruba.device.status", "system.cpu.utilization", "aruba.radio.utilization",
        "aruba.client.signal_strength", "aruba.client.count",
    } <= on_paris  # fmt: skip

    status = [
        p.attributes
        for p in after
        if p.name == "aruba.device.status"
        and p.attributes["host.id"] == paris
        and p.attributes["aruba.device.state"] == "up"
    ]
    assert status == [
        {
            "aruba.customer.name": "CustomerA",
            "aruba.customer.id": store.customer_id,
            "host.id": paris,
            "host.name": paris_ap.name,
            "host.mac": status[0]["host.mac"],
            "host.ip": status[0]["host.ip"],
            "hw.model": paris_ap.model,
            "aruba.device.type": "ap",
            "aruba.site.name": "Paris office",
            "aruba.group.name": "Campus-APs",
            "aruba.device.labels": ["floor-1", "lobby"],
            "aruba.device.state": "up",
        }
    ]
    # Exactly what the SDK writes for the same attributes (the array included).
    ours = sorted((p.name, repr(sorted(p.attributes.items())), p.value) for p in after)
    sdk = sorted((p.name, repr(sorted(p.attributes.items())), p.value) for p in reference([store]))
    assert ours == sdk


def test_a_site_move_reaches_the_series_at_the_next_export(receiver: Receiver) -> None:
    store = filled_store("CustomerA", "move")
    loop = otlp_loop(receiver, [store])
    (ap, _), _other = aps(store)[:2]
    store.replace_inventory([DeviceInfo(ap, "Paris office", "Campus-APs", ("lobby",))])
    first = export(receiver, loop)
    store.replace_inventory([DeviceInfo(ap, "Berlin", "Campus-APs", ("lobby",))])
    moved = export(receiver, loop)
    sites = {
        p.attributes.get("aruba.site.name") for p in moved if p.attributes.get("host.id") == ap
    }
    assert sites == {"Berlin"}
    assert series(moved) == series(first)
    store.replace_inventory([])  # gone from the inventory: no context any more
    gone = export(receiver, loop)
    assert not [p for p in gone if "aruba.site.name" in p.attributes]
    assert series(gone) == series(first)


def test_the_inventory_fills_what_the_streams_have_not_said(receiver: Receiver) -> None:
    store = EntityStore("CustomerA", LIMITS)
    stats = monitoring_pb2.MonitoringInformation(
        customer_id="c1",
        device_stats=[monitoring_pb2.DeviceStats(device_id="CNX0000001", cpu_utilization=12)],
    )
    apply(store, stats)
    store.replace_inventory(
        [DeviceInfo("CNX0000001", "HQ", "Campus-APs", (), "ap-lobby", "AP-635", "ap")]
    )
    loop = otlp_loop(receiver, [store])
    [cpu] = [p for p in export(receiver, loop) if p.name == "system.cpu.utilization"]
    assert cpu.attributes == {
        "aruba.customer.name": "CustomerA",
        "aruba.customer.id": "c1",
        "host.id": "CNX0000001",
        "host.name": "ap-lobby",
        "hw.model": "AP-635",
        "aruba.device.type": "ap",
        "aruba.site.name": "HQ",
        "aruba.group.name": "Campus-APs",
    }
    assert cpu.value == pytest.approx(0.12)
    # Then its state message: what the streams say wins.
    state = monitoring_pb2.Ap(serial="CNX0000001", name="ap-hall", model="AP-655")
    apply(store, monitoring_pb2.MonitoringInformation(aps=[state]))
    apply(store, stats)
    [cpu] = [p for p in export(receiver, loop) if p.name == "system.cpu.utilization"]
    assert (cpu.attributes["host.name"], cpu.attributes["hw.model"]) == ("ap-hall", "AP-655")
    assert cpu.attributes["aruba.site.name"] == "HQ"
