"""`EventDelivery`: the durable path of events, from the event loop to the backend.

The event loop only appends to a list (`accept`, `remember`): a record costs it
microseconds. A writer thread encodes what arrived and adds it to the queue in one
transaction (a group commit: under load, many records per write); a record counts as
accepted once that returns. A sender thread ships the queue's batches
(`shipping.Shipper`). Should the writer fall behind (a stalled disk), `room` makes the
frame handler wait, so Central's frames wait in the socket buffers instead of memory
growing.

At a stop, what the event loop handed over is written first, then the sender gets
what is left of the budget; whatever is still queued stays on disk for the next start
(in memory without `state_dir`: then it is lost, and counted).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opentelemetry.sdk.resources import Resource

from central_otel.catalog.event_base import EventRecord
from central_otel.config.model import OtlpConfig
from central_otel.delivery.queue import DropReason, EventQueue, NewRecord, QueueBudget, QueueStatus
from central_otel.delivery.records import RequestWriter, encode_record
from central_otel.delivery.rows import ReportedState
from central_otel.delivery.shipping import Shipper, ShippingPolicy
from central_otel.export.transport import LOGS, Transport, build_transport
from central_otel.streaming.failure_log import FailureLog
from central_otel.telemetry.stats import ExportStats

log = logging.getLogger(__name__)

MAINTAIN_INTERVAL = 1.0  # seconds between the queue's budget checks
# Records handed over by the event loop and not written yet: above HIGH_WATER the frame
# handler waits until the writer is back below LOW_WATER.
HIGH_WATER = 10_000
LOW_WATER = 2_000
_CUSTOMER = "aruba.customer.name"


@dataclass(frozen=True, slots=True)
class DeliverySettings:
    """The event queue's budget and sending (`config.EventQueueConfig`), and where."""

    budget: QueueBudget
    batch_size: int
    max_retry_delay: float
    state_dir: Path | None


class EventDelivery:
    def __init__(
        self,
        queue: EventQueue,
        transport: Transport,
        resource: Resource,
        policy: ShippingPolicy,
        *,
        stats: ExportStats | None = None,
    ) -> None:
        self.queue = queue
        self.stats = stats if stats is not None else ExportStats("logs")
        self.shipper = Shipper(queue, transport, RequestWriter(resource), policy, stats=self.stats)
        self._transport = transport
        self._cond = threading.Condition()
        self._pending: list[tuple[EventRecord, int] | list[ReportedState]] = []
        self._pending_records = 0
        self._stopping = False
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._drops_reported = _dropped_by_queue(queue.dropped_counts())
        self._failures = FailureLog(log)
        self._waited = False

    @classmethod
    def open(
        cls,
        settings: DeliverySettings,
        config: OtlpConfig,
        resource: Resource,
        *,
        stats: ExportStats | None = None,
    ) -> EventDelivery:
        """The delivery of `settings` to `config`'s backend. Blocking (the queue file is
        opened, and recovered if need be): call it off the event loop."""
        queue = EventQueue.open(settings.budget, settings.state_dir)
        policy = ShippingPolicy(settings.batch_size, config.timeout, settings.max_retry_delay)
        return cls(queue, build_transport(config, LOGS), resource, policy, stats=stats)

    # -- the event loop's side ----------------------------------------------------------

    def accept(self, record: EventRecord) -> None:
        """Queue `record` (observed now); it counts as accepted once written."""
        with self._cond:
            self._pending.append((record, time.time_ns()))
            self._pending_records += 1
            if len(self._pending) == 1:
                self._cond.notify()

    def remember(self, states: list[ReportedState]) -> None:
        """Write `states` (the reported states) after the records handed over before."""
        with self._cond:
            self._pending.append(states)
            if len(self._pending) == 1:
                self._cond.notify()

    def remembered(self) -> list[ReportedState]:
        """The reported states found in the queue file at start."""
        return self.queue.reported_states()

    async def room(self) -> None:
        """Wait while the writer is far behind the event loop (a stalled disk)."""
        if self._pending_records <= HIGH_WATER:
            return
        if not self._waited:
            self._waited = True
            log.warning(
                "events queue: writing to %s falls behind (%d events waiting); frames from "
                "Central wait in the socket buffers meanwhile",
                self.queue.status().path or "memory",
                self._pending_records,
            )
        while self._pending_records > LOW_WATER and not self._stopping:
            await asyncio.sleep(0.01)

    # -- the threads ----------------------------------------------------------------------

    def start(self) -> None:
        for target, name in (
            (self._write_loop, "central-otel events writer"),
            (self._ship_loop, "central-otel events sender"),
        ):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def _write_loop(self) -> None:
        next_maintenance = time.monotonic() + MAINTAIN_INTERVAL
        while True:
            with self._cond:
                if not self._pending and not self._stopping:
                    self._cond.wait(max(0.0, next_maintenance - time.monotonic()))
                items, self._pending = self._pending, []
                stopping = self._stopping
            try:
                if items:
                    self._write(items)
                if time.monotonic() >= next_maintenance:
                    next_maintenance = time.monotonic() + MAINTAIN_INTERVAL
                    self.queue.maintain()
                    self._report_drops()
                    self._wake.set()  # records moved back from memory, or nothing new
            except Exception as error:  # a bug must not end the writer for good
                self._failures.failure(
                    logging.ERROR,
                    f"bug:{type(error).__name__}",
                    f"events queue writer failed: {type(error).__name__}: {error}",
                )
            if stopping and not items:
                return

    def _write(self, items: list[tuple[EventRecord, int] | list[ReportedState]]) -> None:
        records: list[NewRecord] = []
        states: list[ReportedState] = []
        for item in items:
            if isinstance(item, list):
                states.extend(item)
                continue
            record, observed_ns = item
            customer = record.attributes.get(_CUSTOMER, "")
            records.append(
                NewRecord(observed_ns / 1e9, str(customer), encode_record(record, observed_ns))
            )
        self.queue.add(records, states)
        with self._cond:
            self._pending_records -= len(records)
        self._report_drops()
        if records:
            self._wake.set()

    def _ship_loop(self) -> None:
        self.shipper.run(self._wake, self._stop)

    def _report_drops(self) -> None:
        """Carry the queue's drops into the logs signal's export counters (the sender
        counts what the backend refused itself)."""
        total = _dropped_by_queue(self.queue.dropped_counts())
        if total > self._drops_reported:
            self.stats.record_dropped(total - self._drops_reported)
            self._drops_reported = total

    # -- stopping ---------------------------------------------------------------------------

    def shutdown(self, timeout: float) -> bool:
        """Write what was handed over, ship what the remaining time allows, close.
        True if the queue ended empty. Blocking."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._stopping = True
            self._cond.notify()
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if not self._threads:  # never started: write here
            with self._cond:
                items, self._pending = self._pending, []
            if items:
                self._write(items)
        alive = any(thread.is_alive() for thread in self._threads)
        empty = False
        if not alive:
            # With a disk the rest waits for the next start: one failure ends the
            # attempt; in memory it would be lost, so retries go on within the budget.
            on_disk = self.queue.status().storage == "disk"
            empty = self.shipper.drain(deadline, stop_on_failure=on_disk)
        if not empty:
            left = self.queue.status()
            log.info(
                "events queue: %d events not delivered at the stop%s",
                left.records,
                "; they are sent after the next start" if left.storage == "disk" else "",
            )
        self.queue.close()
        self._report_drops()
        with contextlib.suppress(Exception):
            self._transport.close()
        return empty

    # -- what it says about itself --------------------------------------------------------------

    def queue_status(self) -> QueueStatus:
        return self.queue.status()

    def status(self) -> dict[str, Any]:
        """The `events` section of `/status`."""
        s = self.queue.status()
        budget = self.queue.budget
        oldest = None if s.oldest_accepted is None else max(0.0, time.time() - s.oldest_accepted)
        return {
            "storage": s.storage,
            "path": s.path,
            "storage_error": s.storage_error,
            "storage_failures": s.storage_failures,
            "queue": {
                "records": s.records,
                "bytes": s.bytes,
                "oldest_age_seconds": None if oldest is None else round(oldest, 3),
                "on_disk": {"records": s.disk_records, "bytes": s.disk_bytes},
                "in_memory": {"records": s.memory_records, "bytes": s.memory_bytes},
                "max_bytes": budget.max_bytes,
                "max_age_seconds": budget.max_age,
                "memory_max_bytes": budget.memory_max_bytes,
            },
            "carried_over": s.carried_over,
            "accepted": s.accepted,
            "delivered": s.delivered,
            "retried": s.retried,
            "resent_after_restart": s.resent_after_restart,
            "dropped": {reason.value: s.dropped.get(reason, 0) for reason in DropReason},
            "last_error": self.shipper.last_error,
            "last_delivery_unix": self.shipper.last_delivery,
        }


def _dropped_by_queue(dropped: dict[str, int]) -> int:
    return sum(n for reason, n in dropped.items() if reason != DropReason.REJECTED)
