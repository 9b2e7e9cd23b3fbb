"""The metrics export loop: every `interval`, encode the stores and deliver the requests.

Runs on its own thread, so the event loop only ever waits for the store lock
(held for one class's snapshot). Failures and refused points are counted in the
metrics `ExportStats`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from central_otel.export.sinks import MetricSink
from central_otel.state.store import EntityStore
from central_otel.streaming.failure_log import FailureLog

if TYPE_CHECKING:  # at run time the telemetry package imports this module
    from central_otel.telemetry.stats import ExportStats

log = logging.getLogger(__name__)

StoresFn = Callable[[], Iterable[EntityStore]]


class RequestEncoder(Protocol):
    """What a cycle encodes: the catalogue's `OtlpMetricEncoder`, or the
    self-metrics' `ObservableEncoder`."""

    collected_ns: int  # time_unix_nano of the last collection

    @property
    def refreshed(self) -> int: ...

    def encode_iter(self, stores: Iterable[EntityStore]) -> Iterator[tuple[bytes, int]]: ...


@dataclass(frozen=True, slots=True)
class CycleStats:
    """What the last export cycle cost (for the benchmarks and debugging)."""

    collected_ns: int
    points: int
    requests: int
    bytes: int
    encode_cpu: float  # thread CPU seconds: collect + encode
    send_cpu: float  # thread CPU seconds: compress + send (gRPC compresses off-thread)
    wall: float
    ok: bool
    refreshed: int


# Seconds between the packings of the stores' new state messages between cycles.
PACK_INTERVAL = 5.0


def next_start(previous: float, interval: float, now: float) -> float:
    """When the cycle after the one due at `previous` starts: one interval later, or at
    once (`now`) when a long cycle has passed that time (the ticks missed meanwhile are
    dropped, as a Go ticker drops them for a slow receiver)."""
    return max(previous + interval, now)


class MetricExportLoop:
    """Periodic export of metrics: the encoder's requests to a sink."""

    def __init__(
        self,
        encoder: RequestEncoder,
        stores: StoresFn,
        sink: MetricSink,
        *,
        interval: float,
        timeout: float,
        stats: ExportStats,
        what: str = "metrics",
        pack_interval: float = PACK_INTERVAL,
    ) -> None:
        """`timeout`: seconds a request may take, retries included; `what` names the
        metrics in logs (and the thread); `pack_interval`: seconds between the packings
        of the stores' new state messages between cycles (`pack_stores`)."""
        self.encoder = encoder
        self.what = what
        self.interval = interval
        self.pack_interval = pack_interval
        self.timeout = timeout
        self.stats = stats
        self._stores = stores
        self._sink = sink
        self._cycle_lock = threading.Lock()
        self._stop = threading.Event()
        self._abort = threading.Event()  # give up retries (shutdown ran out of time)
        self._thread: threading.Thread | None = None
        self._failures = FailureLog(log)
        self.last_cycle: CycleStats | None = None
        self.cycles = 0

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name=f"central-otel {self.what} export", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        # A ticker: cycles start every interval, not an interval after the previous
        # one ended, so a cycle's own duration does not stretch the period the backend
        # sees (nor the ingest each cycle's export pays for).
        start = time.monotonic() + self.interval
        while not self._stop.wait(max(0.0, min(start - time.monotonic(), self.pack_interval))):
            if time.monotonic() < start:
                # Between cycles: a burst of state (every customer's snapshot after a
                # mass reconnect) is not held decoded until the next cycle.
                self.pack_stores()
                continue
            self.export_once()
            self.sweep_stores()
            start = next_start(start, self.interval, time.monotonic())

    def sweep_stores(self) -> None:
        """Drop the expired entities of the classes the cycle did not read (it swept the
        ones it read), pack the state messages that arrived (`EntityStore.pack_states`),
        and copy the stores' messages out of payloads they mostly no longer use
        (`EntityStore.compact_if_due`): here, on this thread, rather than on the event
        loop."""
        try:
            for store in self._stores():
                store.sweep()
                store.pack_states()
                store.compact_if_due()
        except Exception as err:  # a bug must not kill the export thread
            self._failures.failure(
                logging.ERROR,
                f"sweep:{type(err).__name__}",
                f"store sweep failed: {type(err).__name__}: {err}",
            )

    def pack_stores(self) -> None:
        """Pack the state messages that arrived in the stores (`EntityStore.pack_states`;
        nothing to do for a store whose state did not change)."""
        try:
            for store in self._stores():
                store.pack_states()
        except Exception as err:  # a bug must not kill the export thread
            self._failures.failure(
                logging.ERROR,
                f"pack:{type(err).__name__}",
                f"store packing failed: {type(err).__name__}: {err}",
            )

    def export_once(self, timeout: float | None = None) -> bool:
        """One cycle now: encode and send everything; True if all was accepted."""
        with self._cycle_lock:
            try:
                return self._cycle(timeout if timeout is not None else self.timeout)
            except Exception as err:  # a bug must not kill the export thread
                self._failures.failure(
                    logging.ERROR,
                    type(err).__name__,
                    f"{self.what} export failed: {type(err).__name__}: {err}",
                )
                self.stats.record_export(False, 0, 0.0, type(err).__name__)
                return False

    def _cycle(self, timeout: float) -> bool:
        started = time.monotonic()
        cpu0 = time.thread_time()
        send_cpu = 0.0
        all_ok = True
        total_points = requests = total_bytes = 0
        deadline = started + timeout if self._stop.is_set() else None
        # Requests are sent as the encoder fills them: memory stays at about one
        # request's worth of points, and the first points leave early.
        for body, points in self.encoder.encode_iter(self._stores()):
            sent_cpu = time.thread_time()
            total_points += points
            requests += 1
            total_bytes += len(body)
            if not self._send(body, points, deadline):
                all_ok = False
            del body  # sent: not held while the next request is encoded
            send_cpu += time.thread_time() - sent_cpu
            if self._out_of_time(deadline):
                # Encoding the rest only to drop it would keep a stopping process past
                # its budget (seconds at millions of series).
                self._cut_short(total_points)
                all_ok = False
                break
        if all_ok:
            self._failures.success(f"{self.what} export works again")
        self.cycles += 1
        self.last_cycle = CycleStats(
            collected_ns=self.encoder.collected_ns,
            points=total_points,
            requests=requests,
            bytes=total_bytes,
            encode_cpu=time.thread_time() - cpu0 - send_cpu,
            send_cpu=send_cpu,
            wall=time.monotonic() - started,
            ok=all_ok,
            refreshed=self.encoder.refreshed,
        )
        return all_ok

    def _out_of_time(self, deadline: float | None, now: float | None = None) -> bool:
        """The shutdown's bound is spent (or it gave up): nothing more is sent."""
        if self._abort.is_set():
            return True
        return deadline is not None and (time.monotonic() if now is None else now) >= deadline

    def _cut_short(self, encoded: int) -> None:
        """Count what a cycle stopped at the stop budget leaves out: the rest of the
        previous cycle's size (the points not encoded are not known exactly)."""
        previous = self.last_cycle.points if self.last_cycle is not None else encoded
        rest = max(0, previous - encoded)
        self.stats.record_dropped(rest)
        log.warning(
            "%s export stopped at the stop budget after %d data points; "
            "about %d more (the previous cycle's size) were not exported",
            self.what,
            encoded,
            rest,
        )

    def _send(self, body: bytes, points: int, deadline: float | None) -> bool:
        sent_at = time.monotonic()
        if self._out_of_time(deadline, sent_at):
            self.stats.record_dropped(points)
            return False
        budget = self.timeout
        if deadline is not None:  # shutting down: the whole flush shares the bound
            budget = min(budget, deadline - sent_at)
        result = self._sink.deliver(body, points, budget, self._abort)
        duration = time.monotonic() - sent_at
        if not result.ok:
            self.stats.record_export(False, points, duration, result.error)
            self._failures.failure(
                logging.WARNING,
                result.error or "failed",
                f"{self.what} export of {points} data points failed after "
                f"{result.attempts} attempt(s): {result.error}; the points are dropped",
            )
            return False
        self.stats.record_export(True, points - result.rejected, duration, None)
        if result.rejected:
            self.stats.record_dropped(result.rejected)
            self._failures.failure(
                logging.WARNING,
                "partial",
                f"the backend refused {result.rejected} of {points} data points",
            )
        return True

    def force_flush(self, timeout: float = 10.0) -> bool:
        return self.export_once(timeout)

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Stop the thread and export a last time, all within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        self._stop.set()
        timer = threading.Timer(timeout * 0.9, self._abort.set)
        timer.daemon = True
        timer.start()
        try:
            if self._thread is not None:
                self._thread.join(max(0.0, deadline - time.monotonic()))
                if self._thread.is_alive():
                    return False
            ok = self.export_once(max(0.0, deadline - time.monotonic()))
        finally:
            timer.cancel()
            self._sink.close()
        return ok
