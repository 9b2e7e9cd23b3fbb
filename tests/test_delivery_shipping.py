"""Sending the event queue to a real OTLP receiver (gRPC and HTTP): removal only on the
backend's answer, partial success counted exactly, refused content halved down to the
one record refused, everything else retried with growing waits and never given up."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from central_otel.catalog.event_base import EventRecord
from central_otel.delivery.queue import DropReason, EventQueue, NewRecord, QueueBudget
from central_otel.delivery.records import RequestWriter, encode_record
from central_otel.delivery.service import EventDelivery
from central_otel.delivery.shipping import Shipper, ShippingPolicy
from central_otel.export.transport import LOGS, build_transport
from central_otel.telemetry.resource import build_resource
from central_otel.telemetry.stats import ExportStats
from tests.otlp_receiver import GrpcOtlpReceiver, HttpOtlpReceiver, OtlpReceiver, item_count
from tests.telemetry_support import otlp_config

BUDGET = QueueBudget(1 << 30, 86400.0, 1 << 30)
RESOURCE = build_resource(instance_id="i-1")


def event(n: int, customer: str = "CustomerA") -> EventRecord:
    return EventRecord(
        "aruba.alert",
        13,
        f"alert {n}",
        {"aruba.alert.id": f"{n:06d}", "aruba.customer.name": customer},
        1_767_225_600_000_000_000 + n,
    )


def queued(queue: EventQueue, first: int, count: int) -> None:
    now = time.time_ns()
    queue.add(
        [
            NewRecord(now / 1e9, "CustomerA", encode_record(event(n), now))
            for n in range(first, first + count)
        ]
    )


def delivered_ids(receiver: OtlpReceiver) -> list[str]:
    return [str(r.attributes["aruba.alert.id"]) for r in receiver.log_records("aruba.alert")]


def shipper(
    receiver: OtlpReceiver, queue: EventQueue, *, batch_size: int = 100, max_delay: float = 8.0
) -> Shipper:
    transport = build_transport(otlp_config(receiver, timeout=2.0), LOGS)
    return Shipper(
        queue,
        transport,
        RequestWriter(RESOURCE),
        ShippingPolicy(batch_size=batch_size, timeout=2.0, max_retry_delay=max_delay),
        stats=ExportStats("logs"),
        rng=random.Random(3),
    )


def delivery(receiver: OtlpReceiver, state_dir: Path, timeout: float = 1.0) -> EventDelivery:
    """The event delivery to `receiver`, its queue under `state_dir` (not started)."""
    return EventDelivery(
        EventQueue.open(BUDGET, state_dir),
        build_transport(otlp_config(receiver, timeout=timeout), LOGS),
        RESOURCE,
        ShippingPolicy(batch_size=50, timeout=timeout, max_retry_delay=1.0),
    )


@pytest.fixture(params=["grpc", "http"])
def receiver(request: pytest.FixtureRequest) -> Iterator[OtlpReceiver]:
    kind = GrpcOtlpReceiver if request.param == "grpc" else HttpOtlpReceiver
    with kind() as started:
        yield started


def test_a_backend_down_is_retried_with_growing_waits_until_it_accepts(
    receiver: OtlpReceiver, tmp_path: Path
) -> None:
    queue = EventQueue.open(BUDGET, tmp_path)
    queued(queue, 0, 250)
    s = shipper(receiver, queue)
    receiver.stop()
    waits = [s.ship_once() for _ in range(6)]
    assert [o.sent if o else None for o in waits] == [100] * 6
    delays = [o.retry_in for o in waits if o is not None and o.retry_in is not None]
    bounds = [(0.8, 1.2), (1.6, 2.4), (3.2, 4.8), (6.4, 8.0), (6.4, 8.0), (6.4, 8.0)]
    assert all(low <= d <= high for d, (low, high) in zip(delays, bounds, strict=True)), delays
    receiver.start()  # the same port
    time.sleep(2.5)  # the gRPC channel's own reconnect wait is at most 2 s
    while s.ship_once() is not None:
        pass
    assert delivered_ids(receiver) == [f"{n:06d}" for n in range(250)]  # in order, once
    status = queue.status()
    assert (status.delivered, status.retried, status.dropped) == (250, 600, {})
    assert (s.stats.exports_failed, s.stats.exports_succeeded) == (6, 3)
    queue.close()


def test_partial_success_counts_exactly_what_was_refused(
    receiver: OtlpReceiver, tmp_path: Path
) -> None:
    queue = EventQueue.open(BUDGET, tmp_path)
    queued(queue, 0, 30)
    s = shipper(receiver, queue, batch_size=10)
    receiver.partial_success(3, "3 records too old", count=1, signal="logs")
    outcomes = [s.ship_once() for _ in range(4)]
    assert [(o.delivered, o.rejected) if o else None for o in outcomes] == [
        (7, 3),
        (10, 0),
        (10, 0),
        None,
    ]
    assert [item_count("logs", r.request) for r in receiver.requests("logs")] == [10, 10, 10]
    status = queue.status()
    assert (status.delivered, status.dropped) == (27, {DropReason.REJECTED: 3})
    assert (s.stats.items_exported, s.stats.items_dropped) == (27, 3)
    queue.close()


def test_refused_content_is_halved_down_to_the_record_refused(
    receiver: OtlpReceiver, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    queue = EventQueue.open(BUDGET, tmp_path)
    queued(queue, 0, 4)
    s = shipper(receiver, queue)
    receiver.fail(retryable=False, count=3, signal="logs")  # INVALID_ARGUMENT / HTTP 400
    while s.ship_once() is not None:
        pass
    sizes = [(item_count("logs", r.request), r.outcome) for r in receiver.requests("logs")]
    assert sizes == [(4, "error"), (2, "error"), (1, "error"), (3, "ok")]
    assert delivered_ids(receiver) == ["000001", "000002", "000003"]
    assert queue.status().dropped == {DropReason.REJECTED: 1}
    code = "grpc INVALID_ARGUMENT" if receiver.transport == "grpc" else "http 400"
    assert caplog.records[-1].getMessage() == (
        f"the backend refused an event ({code}) that it will not accept as it is; it is "
        "dropped (central_otel.events.dropped, reason rejected)"
    )
    queue.close()


def test_refused_credentials_are_retried_not_dropped(tmp_path: Path) -> None:
    """A collector refusing the credentials is a configuration to fix: the events wait."""
    with GrpcOtlpReceiver() as receiver:
        queue = EventQueue.open(BUDGET, tmp_path)
        queued(queue, 0, 5)
        s = shipper(receiver, queue)
        receiver.fail(
            retryable=False, count=2, signal="logs", grpc_code=grpc.StatusCode.UNAUTHENTICATED
        )
        first, second = s.ship_once(), s.ship_once()
        assert first is not None
        assert second is not None
        assert (first.retry_in is not None, second.retry_in is not None) == (True, True)
        assert s.ship_once() is not None
        assert delivered_ids(receiver) == [f"{n:06d}" for n in range(5)]
        assert queue.status().dropped == {}
        queue.close()


def test_the_backends_retry_delay_is_followed_within_the_bound(tmp_path: Path) -> None:
    with HttpOtlpReceiver() as receiver:
        queue = EventQueue.open(BUDGET, tmp_path)
        queued(queue, 0, 1)
        s = shipper(receiver, queue, max_delay=5.0)
        receiver.fail(retryable=True, count=1, retry_after=3, signal="logs")
        receiver.fail(retryable=True, count=1, retry_after=60, signal="logs")
        first, second = s.ship_once(), s.ship_once()
        assert first is not None
        assert second is not None
        assert (first.retry_in, second.retry_in) == (3.0, 5.0)
        queue.close()


def test_delivery_threads_ride_out_an_outage_in_order_without_duplicates(
    tmp_path: Path,
) -> None:
    """Records accepted while the receiver is down (and after) all arrive, once, in order;
    the stop drains what is left."""
    with GrpcOtlpReceiver() as receiver:
        # A generous timeout: a request the receiver took after the timeout would be sent
        # again (at-least-once), which a loaded machine must not turn into a failure.
        events = delivery(receiver, tmp_path, timeout=5.0)
        events.start()
        for n in range(100):
            events.accept(event(n))
        receiver.wait_for(lambda: len(delivered_ids(receiver)) == 100, 10)
        # Stopped only once the answers are in too: a batch the receiver took but could
        # not answer is sent again after the outage (at least once), by design.
        receiver.wait_for(lambda: events.status()["delivered"] == 100, 10)
        receiver.stop()
        for n in range(100, 400):
            events.accept(event(n, "CustomerB" if n % 2 else "CustomerA"))
            if n % 50 == 0:
                time.sleep(0.1)
        time.sleep(2.5)  # failing meanwhile
        during = events.status()
        receiver.start()
        receiver.wait_for(lambda: len(delivered_ids(receiver)) == 400, 15)
        for n in range(400, 450):
            events.accept(event(n))
        assert events.shutdown(5.0)
    assert delivered_ids(receiver) == [f"{n:06d}" for n in range(450)]
    assert during["queue"]["on_disk"]["records"] == 300
    assert during["accepted"] == 400
    assert during["retried"] > 0
    assert during["last_error"] == "grpc UNAVAILABLE"
    final = events.status()
    assert (final["accepted"], final["delivered"]) == (450, 450)
    assert set(final["dropped"].values()) == {0}
    assert final["queue"]["records"] == 0


def test_a_stop_while_the_backend_is_down_keeps_the_events_for_the_next_start(
    tmp_path: Path,
) -> None:
    with GrpcOtlpReceiver() as receiver:
        receiver.stop()
        first = delivery(receiver, tmp_path)
        first.start()
        for n in range(120):
            first.accept(event(n))
        started = time.monotonic()
        assert not first.shutdown(3.0)
        assert time.monotonic() - started < 3.5
        receiver.start()
        second = delivery(receiver, tmp_path)
        assert second.status()["queue"]["records"] == 120
        second.start()
        receiver.wait_for(lambda: len(delivered_ids(receiver)) >= 120, 10)
        assert second.shutdown(3.0)
    # Sent before the first stop and not acknowledged: counted, delivered once here.
    assert second.status()["resent_after_restart"] == 50
    assert delivered_ids(receiver) == [f"{n:06d}" for n in range(120)]


def test_the_stop_is_bounded_by_its_budget_even_mid_request(tmp_path: Path) -> None:
    with GrpcOtlpReceiver() as receiver:
        receiver.set_delay(5.0)
        events = delivery(receiver, tmp_path, timeout=4.0)
        events.start()
        events.accept(event(1))
        time.sleep(0.3)  # the request is out
        started = time.monotonic()
        stopping = threading.Thread(target=events.shutdown, args=(1.0,))
        stopping.start()
        stopping.join(3.0)
        assert not stopping.is_alive()
        assert time.monotonic() - started < 1.5
        receiver.set_delay(0.0)
