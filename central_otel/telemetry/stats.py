"""Self-observability of export: delegating exporters that count what they do.

The SDK's exporters only log failures (and count them only with
``OTEL_PYTHON_SDK_INTERNAL_METRICS_ENABLED``); these wrappers keep plain
counters that `/status` and self-metrics can read at any time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from central_otel.secret import Secret, redact
from central_otel.telemetry.logs_api import (
    LogRecordExporter,
    LogRecordExportResult,
    ReadableLogRecord,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExportSnapshot:
    """A consistent copy of `ExportStats`."""

    signal: str
    exports_succeeded: int
    exports_failed: int
    items_exported: int
    items_failed: int
    items_dropped: int
    last_export_items: int | None
    last_export_duration: float | None
    last_export_unix: float | None
    last_error: str | None

    @property
    def items_lost(self) -> int:
        """Items that never reached the backend: failed exports plus drops."""
        return self.items_failed + self.items_dropped


class ExportStats:
    """Counters of one signal's exports; written by SDK threads, read by anyone.

    - ``exports_succeeded`` / ``exports_failed``: export calls (after the SDK's retries);
    - ``items_exported``: data points / log records in successful exports;
    - ``items_failed``: items in failed exports (lost: the SDK does not keep them);
    - ``items_dropped``: never handed to an exporter (log queue full, or emitted
      after shutdown);
    - ``last_export_items``: items in the last export call (one OTLP request),
      whatever its outcome;
    - ``last_export_duration`` (s), ``last_export_unix``, ``last_error`` (the
      exception type, or ``"failed"``; None after a success).
    """

    def __init__(self, signal: str) -> None:
        self.signal = signal
        self._lock = threading.Lock()
        self.exports_succeeded = 0
        self.exports_failed = 0
        self.items_exported = 0
        self.items_failed = 0
        self.items_dropped = 0
        self.last_export_items: int | None = None
        self.last_export_duration: float | None = None
        self.last_export_unix: float | None = None
        self.last_error: str | None = None

    def record_export(self, ok: bool, items: int, duration: float, error: str | None) -> None:
        with self._lock:
            if ok:
                self.exports_succeeded += 1
                self.items_exported += items
            else:
                self.exports_failed += 1
                self.items_failed += items
            self.last_export_items = items
            self.last_export_duration = duration
            self.last_export_unix = time.time()
            self.last_error = None if ok else error or "failed"

    def record_dropped(self, items: int) -> None:
        with self._lock:
            self.items_dropped += items

    def snapshot(self) -> ExportSnapshot:
        with self._lock:
            return ExportSnapshot(
                signal=self.signal,
                exports_succeeded=self.exports_succeeded,
                exports_failed=self.exports_failed,
                items_exported=self.items_exported,
                items_failed=self.items_failed,
                items_dropped=self.items_dropped,
                last_export_items=self.last_export_items,
                last_export_duration=self.last_export_duration,
                last_export_unix=self.last_export_unix,
                last_error=self.last_error,
            )

    def __repr__(self) -> str:
        s = self.snapshot()
        return (
            f"ExportStats({s.signal}: ok={s.exports_succeeded} failed={s.exports_failed} "
            f"items={s.items_exported} failed_items={s.items_failed} dropped={s.items_dropped})"
        )


@dataclass(frozen=True, slots=True)
class TelemetryStats:
    """`Telemetry.export_stats`: one `ExportStats` per signal: the catalogue's
    `metrics`, the event `logs`, and the bridge's own `self_metrics` (a failing
    backend shows in all three; a cycle of one is not mistaken for another's)."""

    metrics: ExportStats
    logs: ExportStats
    self_metrics: ExportStats

    @classmethod
    def new(cls) -> TelemetryStats:
        return cls(ExportStats("metrics"), ExportStats("logs"), ExportStats("self_metrics"))

    def snapshots(self) -> list[ExportSnapshot]:
        return [self.metrics.snapshot(), self.logs.snapshot(), self.self_metrics.snapshot()]


def exporter_failure(signal: str, error: BaseException, secrets: Iterable[Secret]) -> str:
    """Log an exporter's exception as one line (no traceback, secrets redacted)."""
    message = redact(str(error), secrets)
    log.warning("%s export failed: %s: %s", signal, type(error).__name__, message)
    return type(error).__name__


class CountingLogExporter(LogRecordExporter):
    """Delegates to `inner`, counting into `stats`; exceptions become failures."""

    def __init__(
        self, inner: LogRecordExporter, stats: ExportStats, *, secrets: Sequence[Secret] = ()
    ) -> None:
        self.inner = inner
        self.stats = stats
        self._secrets = tuple(secrets)

    def export(self, batch: Sequence[ReadableLogRecord]) -> LogRecordExportResult:
        started = time.monotonic()
        error: str | None = None
        try:
            result = self.inner.export(batch)
        except Exception as exc:  # the SDK would log it with a traceback
            error = exporter_failure("logs", exc, self._secrets)
            result = LogRecordExportResult.FAILURE
        ok = result is LogRecordExportResult.SUCCESS
        self.stats.record_export(ok, len(batch), time.monotonic() - started, error)
        return result

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return bool(self.inner.force_flush(timeout_millis))

    def shutdown(self) -> None:
        self.inner.shutdown()  # type: ignore[no-untyped-call]  # the SDK ABC is unannotated

    def __repr__(self) -> str:
        return f"<CountingLogExporter {type(self.inner).__name__}>"
