"""Stats classes that nothing reads are not kept: with per-client metrics off (the
default), the clients' stats are most of a large estate's messages."""

from __future__ import annotations

from opentelemetry.sdk.metrics import MeterProvider

from central_otel.catalog.metrics import METRICS
from central_otel.catalog.plan import MetricOptions, compile_plan
from central_otel.config import parse_config
from central_otel.pipeline.app import Bridge
from central_otel.proto import monitoring_pb2
from central_otel.settings import BridgeSettings, bridge_settings
from central_otel.state.store import EntityStore
from central_otel.views.estate import STATS_READ
from tests import defaults

RADIO_METRICS = frozenset(spec.name for spec in METRICS if spec.source == "radio_stats")


def _round(clients: int) -> monitoring_pb2.MonitoringInformation:
    """One AP's stats and its clients' stats, in one payload."""
    info = monitoring_pb2.MonitoringInformation(customer_id="c")
    info.device_stats.add(device_id="AP1", cpu_utilization=7)
    for n in range(clients):
        info.client_stats.add(tx_bytes=n).macaddr.addr = n.to_bytes(6, "big")
    return info


def test_the_plan_names_the_stats_classes_nothing_reads() -> None:
    assert compile_plan(MetricOptions(per_client=False)).unread_stats() == {"client_stats"}
    assert compile_plan(MetricOptions(per_client=True)).unread_stats() == frozenset()
    no_radio = compile_plan(MetricOptions(per_client=True, disabled=RADIO_METRICS))
    assert no_radio.unread_stats() == {"radio_stats"}
    assert no_radio.unread_stats(STATS_READ) == frozenset()  # the demo's estate reads them


def test_a_store_keeps_no_message_of_an_unread_class() -> None:
    store = EntityStore("A", defaults.LIMITS, unread=frozenset({"client_stats"}))
    defaults.apply(store, _round(clients=3))
    assert store.counts() == {"device_stats": 1}
    assert store.get("client_stats", ((0).to_bytes(6, "big"),)) is None
    # The payload's arena holds the unread messages too: one kept message of four
    # held is worth copying out (a store that keeps them all never is).
    (entity,) = (entity for _key, entity in store.items("device_stats"))
    before = entity.msg
    assert store.compact_if_due() == 1
    assert entity.msg == before
    assert entity.msg is not before

    everything = EntityStore("B", defaults.LIMITS)
    defaults.apply(everything, _round(clients=3))
    assert everything.counts() == {"device_stats": 1, "client_stats": 3}
    assert everything.compact_if_due() == 0


def _settings(metrics: dict[str, object], **options: object) -> BridgeSettings:
    config = parse_config(
        {
            "central": {"base_url": "https://127.0.0.1:1"},
            "customers": {"A": {"key": "k" * 32, "topics": ["monitoring"]}},
            "metrics": metrics,
        },
        source="test",
    )
    return bridge_settings(config, health=False, **options)  # type: ignore[arg-type]


def test_the_bridge_stores_keep_what_its_metrics_and_views_read() -> None:
    provider = MeterProvider()
    meter = provider.get_meter("test")
    try:
        default = Bridge(_settings({}), meter)
        assert default.ingest.stores["A"].unread == {"client_stats"}
        per_client = Bridge(_settings({"per_client": True}), meter)
        assert per_client.ingest.stores["A"].unread == frozenset()
        no_radio = {"per_client": True, "disabled": sorted(RADIO_METRICS)}
        assert Bridge(_settings(no_radio), meter).ingest.stores["A"].unread == {"radio_stats"}
        demo = Bridge(_settings(no_radio, view_reads=STATS_READ), meter)
        assert demo.ingest.stores["A"].unread == frozenset()
    finally:
        provider.shutdown()
