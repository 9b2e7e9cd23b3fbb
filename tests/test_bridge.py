"""The whole bridge in-process: simulator -> streams -> stores -> metrics (the catalogue's
through the export plan's encoder, the self-metrics through the SDK)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from central_otel.catalog.plan import compile_plan
from central_otel.config import parse_config
from central_otel.pipeline.app import Bridge
from central_otel.settings import bridge_settings
from central_otel.simulator import CentralSimulator, EstateScale
from tests.export_support import encoder, received


async def _until(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)


def _points(reader: InMemoryMetricReader, bridge: Bridge) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    plan = compile_plan(bridge.settings.metrics)
    for point in received(encoder(plan).encode(bridge.ingest.stores.values()).requests):
        out.setdefault(point.name, []).append(point)
    data = reader.get_metrics_data()
    if data is None:
        return out
    for rm in data.resource_metrics:
        for sm in rm.scope_metrics:
            for metric in sm.metrics:
                out[metric.name] = list(metric.data.data_points)
    return out


async def test_simulated_estate_becomes_metrics() -> None:
    sim = CentralSimulator(scale=EstateScale.small(), stats_interval=0.2, seed=7)
    info = sim.add_customer("CustomerA", topics=["monitoring", "presence"])
    await sim.start("127.0.0.1", 0)
    config = parse_config(
        {
            "central": {"base_url": sim.url},
            "customers": {"CustomerA": {"key": info.key, "topics": ["monitoring", "presence"]}},
            "health": {"listen": "127.0.0.1:0"},
        },
        source="test",
    )
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    bridge = Bridge(bridge_settings(config), provider.get_meter("central_otel"))
    try:
        await bridge.start()
        await _until(lambda: bridge.ingest.stats.frames["monitoring"] >= 3)
        estate = sim.estate("CustomerA")
        points = _points(reader, bridge)
        cpu = points["system.cpu.utilization"]
        serials = {p.attributes["host.id"] for p in cpu}
        assert serials >= {ap.serial for ap in estate.aps}
        ap = estate.aps[0]
        (ap_cpu,) = [p for p in cpu if p.attributes["host.id"] == ap.serial]
        assert ap_cpu.attributes["host.name"] == ap.name
        assert ap_cpu.attributes["aruba.device.type"] == "ap"
        assert ap_cpu.attributes["aruba.customer.name"] == "CustomerA"
        assert 0.0 <= ap_cpu.value <= 1.0
        assert len(ap_cpu.attributes["host.mac"]) == 17
        clients = points["aruba.client.count"]
        held = len(bridge.ingest.stores["CustomerA"].items("wireless_client"))
        assert held > 0
        # Their stats came too, and are not kept: no enabled metric reads them.
        assert "client_stats" not in bridge.ingest.stores["CustomerA"].counts()
        assert sum(p.value for p in clients) == held
        up = points["central_otel.subscription.up"]
        assert sorted((p.attributes["aruba.topic"], p.value) for p in up) == [
            ("monitoring", 1),
            ("presence", 1),
        ]
        assert "aruba.presence.station.count" in points
        keys = {k for p in points["aruba.presence.station.count"] for k in p.attributes}
        assert "aruba.client.mac" not in keys  # never a station MAC on a metric
        assert "aruba.presence.associated" in keys
    finally:
        await bridge.stop()
        provider.shutdown()
        await sim.stop()
    assert {c.close_code for c in sim.connections} == {1000}
