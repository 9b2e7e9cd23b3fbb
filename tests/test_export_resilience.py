"""The export loop's delivery semantics (retries, failures counted, bounded shutdown)
and the encoder's attribute side table (recomputed exactly when attributes change)."""

from __future__ import annotations

import asyncio
import itertools
import logging
import statistics
import threading
import time
from typing import Any

import pytest

from central_otel.export.encoder import EncodeLimits
from central_otel.export.exporter import MetricExportLoop, next_start
from central_otel.proto import monitoring_pb2
from central_otel.secret import Secret
from central_otel.state.store import EntityStore
from central_otel.telemetry.stats import ExportStats
from tests import defaults
from tests.export_support import (
    encoder,
    exported,
    filled_store,
    message,
    otlp_loop,
    received,
    values,
)
from tests.otlp_receiver import GrpcOtlpReceiver, HttpOtlpReceiver, OtlpReceiver

TOKEN = "Bearer direct-9a8b7c"


@pytest.fixture(params=["grpc", "http/protobuf"])
def receiver(request: pytest.FixtureRequest) -> Any:
    kind = GrpcOtlpReceiver if request.param == "grpc" else HttpOtlpReceiver
    with kind() as started:
        yield started


def _exporter(
    receiver: OtlpReceiver, store: EntityStore, stats: ExportStats, timeout: float = 5.0
) -> MetricExportLoop:
    headers = {"authorization": Secret(TOKEN)}
    return otlp_loop(receiver, [store], stats=stats, headers=headers, timeout=timeout)


def test_retryable_failures_are_retried(receiver: OtlpReceiver) -> None:
    store, stats = filled_store(), ExportStats("metrics")
    receiver.fail(retryable=True, count=2, retry_after=0.05)
    assert _exporter(receiver, store, stats).export_once()
    outcomes = [r.outcome for r in receiver.requests("metrics")]
    assert outcomes[:3] == ["error", "error", "ok"]
    assert stats.snapshot().exports_failed == 0
    # Headers (compression too) reach the backend.
    headers = receiver.requests("metrics")[-1].headers
    assert headers["authorization"] == TOKEN
    assert headers["user-agent"].startswith("central-otel/")
    if isinstance(receiver, HttpOtlpReceiver):  # gRPC's own encoding header is not shown
        assert headers["content-encoding"] == "gzip"


def test_permanent_failures_are_counted_not_retried(receiver: OtlpReceiver) -> None:
    store, stats = filled_store(), ExportStats("metrics")
    receiver.fail(retryable=False)
    assert not _exporter(receiver, store, stats).export_once()
    snapshot = stats.snapshot()
    sent = len(receiver.requests("metrics"))
    assert snapshot.exports_failed == sent  # one attempt per request
    assert snapshot.items_failed > 1000
    assert snapshot.last_error is not None
    assert TOKEN not in repr(stats)


def test_partial_success_counts_dropped_points(receiver: OtlpReceiver) -> None:
    store, stats = filled_store(), ExportStats("metrics")
    receiver.partial_success(rejected=7, count=1)
    assert _exporter(receiver, store, stats).export_once()
    assert stats.snapshot().items_dropped == 7


def test_shutdown_is_bounded_when_the_backend_is_down(receiver: OtlpReceiver) -> None:
    store, stats = filled_store(), ExportStats("metrics")
    exporter = _exporter(receiver, store, stats, timeout=30.0)
    receiver.fail(retryable=True)  # always UNAVAILABLE / 503: retried with backoff
    started = time.monotonic()
    assert not exporter.shutdown(timeout=1.5)
    assert time.monotonic() - started < 3.0
    snapshot = stats.snapshot()
    assert snapshot.items_failed + snapshot.items_dropped > 1000


def test_periodic_thread_exports_and_stops(receiver: OtlpReceiver) -> None:
    store, stats = filled_store(), ExportStats("metrics")
    exporter = _exporter(receiver, store, stats)
    exporter.start()
    receiver.wait_for(lambda: exporter.cycles >= 2, timeout=10)
    assert exporter.shutdown(timeout=5)
    assert exporter.last_cycle is not None
    assert exporter.last_cycle.points > 1000
    assert stats.snapshot().exports_failed == 0


def test_cycles_start_every_interval_however_long_a_cycle_takes() -> None:
    """A ticker: the backend answers each request 0.4 s late, yet cycles start one
    interval (1 s) apart, not 1.4 s; a cycle longer than the interval is followed at
    once by the next (missed ticks dropped)."""
    assert next_start(10.0, 1.0, 10.4) == 11.0
    assert next_start(10.0, 1.0, 12.5) == 12.5  # overran: at once, not at 11 or 12
    store = filled_store()
    with GrpcOtlpReceiver() as receiver:
        receiver.set_delay(0.4)
        exporter = otlp_loop(receiver, [store], interval=1.0)
        exporter.start()
        receiver.wait_for(lambda: exporter.cycles >= 4, timeout=20)
        exporter.shutdown(timeout=2.0)
        collections = sorted({point.time_unix_nano for point in receiver.metrics()})
    # The first four cycles (the shutdown's final export comes at once after the last).
    gaps = [(b - a) / 1e9 for a, b in itertools.pairwise(collections[:4])]
    assert len(gaps) == 3
    assert all(gap >= 0.95 for gap in gaps), gaps
    assert statistics.median(gaps) < 1.3, gaps  # an interval after the end: 1.4 s


async def test_event_loop_keeps_running_while_exporting(receiver: OtlpReceiver) -> None:
    """Export runs on its own thread: the loop keeps ticking (the lag bound itself is
    measured by the e2e benchmark on a large estate)."""
    store, stats = filled_store(), ExportStats("metrics")
    exporter = _exporter(receiver, store, stats)
    done = threading.Event()
    worst = 0.0

    def work() -> None:
        for _ in range(5):
            exporter.export_once()
        done.set()

    threading.Thread(target=work, daemon=True).start()
    while not done.is_set():
        before = time.monotonic()
        await asyncio.sleep(0.005)
        worst = max(worst, time.monotonic() - before - 0.005)
    assert worst < 0.5
    exporter.shutdown(1.0)


# -- the attribute cache -------------------------------------------------------------------


def _attrs(points: list[Any], name: str) -> list[dict[str, Any]]:
    return [p.attributes for p in points if p.name == name]


def test_attributes_follow_state_changes_and_only_affected_entities_recompute() -> None:
    store = filled_store()
    cached = encoder()
    cached.encode([store])
    assert cached.encode([store]).refreshed == 0  # nothing changed: nothing recomputed
    # A client's state is re-sent: the store's version bumps, but caches are
    # revalidated against what they were computed from: only that client's own
    # stats entity (which reads the replaced message) recomputes.
    _, client = store.items("wireless_client")[0]
    resent = message(client, monitoring_pb2.WirelessClient)
    defaults.apply(store, monitoring_pb2.MonitoringInformation(wireless_clients=[resent]))
    assert cached.encode([store]).refreshed == 1
    # An AP is renamed: exactly the series naming it change.
    (serial,), device = store.items("device")[0]
    renamed = monitoring_pb2.Ap()
    renamed.CopyFrom(message(device, monitoring_pb2.Ap))
    renamed.name = "renamed-ap"
    defaults.apply(store, monitoring_pb2.MonitoringInformation(aps=[renamed]))
    encoded = cached.encode([store])
    assert encoded.refreshed > 0
    points = received(encoded.requests)
    cpu = [a for a in _attrs(points, "system.cpu.utilization") if a["host.id"] == serial]
    assert [a["host.name"] for a in cpu] == ["renamed-ap"]
    radios = [a for a in _attrs(points, "aruba.radio.utilization") if a["host.id"] == serial]
    assert radios
    assert {a["host.name"] for a in radios} == {"renamed-ap"}
    # And the result is what a fresh encoder (no side table yet) computes.
    again = received(cached.encode([store]).requests)
    fresh = exported([store])
    for name in ("aruba.client.io", "system.cpu.utilization", "aruba.radio.utilization"):
        assert values(again, name) == values(fresh, name), name
        assert values(again, name)


def test_a_final_export_past_the_stop_budget_stops_encoding(
    receiver: OtlpReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    """At the stop budget the cycle ends: the rest of the store is not encoded just to
    be dropped (seconds at millions of series). What was not sent is counted, the
    part never encoded estimated from the previous cycle's size."""
    store, stats = filled_store(), ExportStats("metrics")
    exporter = otlp_loop(receiver, [store], stats=stats, limits=EncodeLimits(max_points=200))
    assert exporter.export_once()
    full = exporter.last_cycle
    assert full is not None
    assert full.requests >= 10
    exported_before = stats.snapshot().items_exported
    receiver.set_delay(0.4)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="central_otel.export.exporter"):
        assert not exporter.shutdown(timeout=1.0)
    assert time.monotonic() - started < 2.0
    last = exporter.last_cycle
    assert last is not None
    assert not last.ok
    assert last.requests <= 3 < full.requests
    snapshot = stats.snapshot()
    sent_or_lost = snapshot.items_exported - exported_before + snapshot.items_failed
    assert sent_or_lost + snapshot.items_dropped == full.points
    assert f"about {full.points - last.points} more (the previous cycle's size)" in caplog.text
    assert f"stopped at the stop budget after {last.points} data points" in caplog.text


def test_a_string_field_that_is_not_utf8_is_exported_with_replacement_characters() -> None:
    """Protobuf hands a proto2 string field holding invalid UTF-8 over as bytes: the
    point is exported, its text decoded with replacement characters."""
    info = monitoring_pb2.MonitoringInformation(customer_id="c")
    info.aps.add(serial="S1", name="ab")
    info.device_stats.add(device_id="S1", cpu_utilization=5)
    # The AP's name (field 3, length 2) as invalid UTF-8 on the wire.
    encoded = info.SerializeToString().replace(b"\x1a\x02ab", b"\x1a\x02\xffb")
    parsed = monitoring_pb2.MonitoringInformation.FromString(encoded)
    name: object = parsed.aps[0].name
    assert name == b"\xffb"
    store = EntityStore("A", defaults.LIMITS)
    defaults.apply(store, parsed)
    (cpu,) = [p for p in exported([store]) if p.name == "system.cpu.utilization"]
    assert cpu.attributes["host.name"] == "\ufffdb"
    assert cpu.value == 0.05
