"""Sending the queue's batches to the backend: one request at a time, oldest first,
removed from the queue only by the backend's answer.

- accepted: the batch leaves the queue; a partial success counts exactly the records
  the backend says it refused (OTLP: they must not be sent again), the rest delivered;
- the content refused (INVALID_ARGUMENT, HTTP 400/413: malformed or too large): the
  batch is halved and the first half sent again at once, so that one bad record
  cannot hold the others back; a single record refused is dropped, counted;
- anything else (the backend down, slow, overloaded, or refusing the credentials: a
  configuration to fix, not data to give up): the same batch is sent again after 1 s,
  then twice as long each time (±20 % jitter), up to `max_retry_delay`, or after the
  backend's RetryInfo / Retry-After within that bound. It is never given up: only the
  queue's budget (`max_age`, `max_bytes`) drops records.

Order is kept: a batch is the oldest records, and nothing newer is sent before it is
settled. Runs on its own thread.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from central_otel.delivery.queue import Batch, EventQueue
from central_otel.delivery.records import RequestWriter
from central_otel.export.transport import Transport
from central_otel.streaming.backoff import Backoff, BackoffPolicy
from central_otel.streaming.failure_log import FailureLog
from central_otel.telemetry.stats import ExportStats

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 3 * 1024 * 1024  # below the 4 MiB a gRPC server accepts by default
FIRST_RETRY = 1.0  # seconds
RETRY_MULTIPLIER = 2.0
RETRY_JITTER = 0.2
# Seconds the sender waits, once records arrive in an empty queue, for more to come:
# under a steady trickle, one request a fifth of a second instead of one per record.
LINGER = 0.2


@dataclass(frozen=True, slots=True)
class ShippingPolicy:
    batch_size: int  # records per request at most
    timeout: float  # seconds one request may take
    max_retry_delay: float  # the longest wait between attempts


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one batch (for the caller's bookkeeping and the tests)."""

    sent: int
    delivered: int = 0
    rejected: int = 0
    retry_in: float | None = None  # failed: the wait before the next attempt
    split: bool = False  # refused: sent again in halves


class Shipper:
    def __init__(
        self,
        queue: EventQueue,
        transport: Transport,
        writer: RequestWriter,
        policy: ShippingPolicy,
        *,
        stats: ExportStats | None = None,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.queue = queue
        self.transport = transport
        self.writer = writer
        self.policy = policy
        self.stats = stats if stats is not None else ExportStats("logs")
        self._clock = clock
        self._backoff = Backoff(
            BackoffPolicy(
                initial=FIRST_RETRY,
                maximum=policy.max_retry_delay,
                multiplier=RETRY_MULTIPLIER,
                jitter=RETRY_JITTER,
                stable_after=0.0,
            ),
            rng,
        )
        self._limit = policy.batch_size
        self._failures = FailureLog(log)
        self.last_error: str | None = None
        self.last_delivery: float | None = None  # Unix time

    def ship_once(self, timeout: float | None = None) -> Outcome | None:
        """Send the oldest batch once; None when the queue is empty. `timeout` bounds
        the request (default: the policy's)."""
        batch = self.queue.next_batch(self._limit, MAX_REQUEST_BYTES)
        if batch is None:
            return None
        self.queue.sending(batch)
        body = self.transport.prepare(self.writer.request(r.body for r in batch.records))
        started = self._clock()
        attempt = self.transport.attempt(
            body, self.policy.timeout if timeout is None else min(timeout, self.policy.timeout)
        )
        duration = self._clock() - started
        if attempt.ok:
            return self._accepted(batch, attempt.rejected, duration)
        if attempt.refused:
            return self._refused(batch, attempt.error or "refused", duration)
        self.queue.retry(batch)
        self.stats.record_export(False, 0, duration, attempt.error)
        self.last_error = attempt.error or "failed"
        delay = self._backoff.next_delay()
        if attempt.retry_after is not None:
            delay = attempt.retry_after
        delay = min(delay, self.policy.max_retry_delay)
        self._failures.failure(
            logging.WARNING,
            self.last_error,
            f"events export failed: {self.last_error}; {len(batch)} events kept in the "
            f"queue and sent again in {delay:.1f}s (then up to every "
            f"{self.policy.max_retry_delay:g}s until the backend accepts them)",
        )
        return Outcome(len(batch), retry_in=delay)

    def _accepted(self, batch: Batch, rejected: int, duration: float) -> Outcome:
        rejected = min(rejected, len(batch))
        self.queue.settle(batch, rejected=rejected)
        self.stats.record_export(True, len(batch) - rejected, duration, None)
        self._limit = self.policy.batch_size
        self._backoff.reset()
        self.last_error = None
        self.last_delivery = time.time()
        if rejected:
            self.stats.record_dropped(rejected)
            self._failures.failure(
                logging.WARNING,
                "partial",
                f"the backend refused {rejected} of {len(batch)} events (partial success); "
                "they are dropped (central_otel.events.dropped, reason rejected)",
            )
        else:
            self._failures.success("events export works again; the queue drains")
        return Outcome(len(batch), delivered=len(batch) - rejected, rejected=rejected)

    def _refused(self, batch: Batch, error: str, duration: float) -> Outcome:
        self.stats.record_export(False, 0, duration, error)
        self.last_error = error
        if len(batch) > 1:
            self.queue.retry(batch, counted=False)
            self._limit = max(1, len(batch) // 2)
            return Outcome(len(batch), split=True)
        self.queue.settle(batch, rejected=1)
        self.stats.record_dropped(1)
        self._limit = self.policy.batch_size
        self._failures.failure(
            logging.WARNING,
            f"refused:{error}",
            f"the backend refused an event ({error}) that it will not accept as it is; it "
            "is dropped (central_otel.events.dropped, reason rejected)",
        )
        return Outcome(1, rejected=1)

    def run(self, wake: threading.Event, stop: threading.Event) -> None:
        """Ship until `stop`: wait for `wake` when the queue is empty, back off after
        failures (a `stop` ends any wait)."""
        while not stop.is_set():
            try:
                outcome = self.ship_once()
            except Exception as error:  # a bug must not end delivery for good
                self._failures.failure(
                    logging.ERROR,
                    f"bug:{type(error).__name__}",
                    f"events export failed unexpectedly: {type(error).__name__}: {error}",
                )
                stop.wait(self.policy.max_retry_delay)
                continue
            if outcome is None:
                if wake.wait(1.0):
                    wake.clear()
                    stop.wait(LINGER)  # what arrives meanwhile goes in the same request
            elif outcome.retry_in is not None:
                stop.wait(outcome.retry_in)

    def drain(self, deadline: float, stop_on_failure: bool = True) -> bool:
        """Ship what is queued until empty or `deadline` (monotonic); True if empty.
        A failure ends it when `stop_on_failure` (what stays is sent after the restart)."""
        while (remaining := deadline - self._clock()) > 0:
            outcome = self.ship_once(timeout=remaining)
            if outcome is None:
                return True
            if outcome.retry_in is not None:
                if stop_on_failure:
                    return False
                time.sleep(min(outcome.retry_in, max(0.0, deadline - self._clock())))
        return self.queue.empty
