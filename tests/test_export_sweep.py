"""The export loop sweeps the stores on its own thread after each cycle, so that the
event loop's fallback sweep finds nothing left to do."""

from __future__ import annotations

from central_otel.catalog.plan import MetricOptions, compile_plan
from central_otel.export.exporter import MetricExportLoop
from central_otel.proto import monitoring_pb2
from central_otel.state.store import EntityStore
from tests import defaults
from tests.export_support import otlp_loop
from tests.otlp_receiver import GrpcOtlpReceiver


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _store(clock: FakeClock) -> EntityStore:
    store = EntityStore("A", defaults.limits(series_ttl=120.0), clock=clock)
    info = monitoring_pb2.MonitoringInformation(customer_id="c")
    info.device_stats.add(device_id="S1", cpu_utilization=5)
    stats = info.client_stats.add(device_id="S1", tx_bytes=10)
    stats.macaddr.addr = bytes.fromhex("3c22fb000042")
    defaults.apply(store, info)
    return store


def _exporter(receiver: GrpcOtlpReceiver, store: EntityStore) -> MetricExportLoop:
    # Without per-client metrics no metric reads client_stats.
    plan = compile_plan(MetricOptions(per_client=False))
    return otlp_loop(receiver, [store], plan=plan, timeout=5.0)


def test_sweep_drops_what_no_metric_read() -> None:
    clock = FakeClock()
    store = _store(clock)
    with GrpcOtlpReceiver() as receiver:
        exporter = _exporter(receiver, store)
        clock.now += 121.0  # both expired
        assert exporter.export_once()  # reads (and so sweeps) device_stats only
        assert store.counts() == {"client_stats": 1}
        exporter.sweep_stores()
        assert store.counts() == {}
        exporter.shutdown(1.0)


def test_the_export_thread_sweeps_after_each_cycle() -> None:
    clock = FakeClock()
    store = _store(clock)
    with GrpcOtlpReceiver() as receiver:
        exporter = _exporter(receiver, store)
        clock.now += 121.0
        exporter.start()
        receiver.wait_for(lambda: exporter.cycles >= 2, timeout=10)
        assert exporter.shutdown(timeout=5)
    assert store.counts() == {}
