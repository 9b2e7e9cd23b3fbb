"""The one module that imports OpenTelemetry's logs API and SDK.

They are still underscore-private in 1.45 (``opentelemetry._logs``,
``opentelemetry.sdk._logs``, the ``_log_exporter`` modules) and the maintainers
announce breaking changes before they stabilise; the dependency is pinned to
``>=1.45,<1.46``.  Everything else imports the names below, so an SDK upgrade
touches this file only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from opentelemetry._logs import Logger, SeverityNumber
from opentelemetry.exporter.otlp.proto.common._log_encoder import encode_logs
from opentelemetry.sdk._logs import (
    LoggerProvider,
    LogRecordProcessor,
    ReadableLogRecord,
    ReadWriteLogRecord,
)
from opentelemetry.sdk._logs.export import (
    BatchLogRecordProcessor,
    ConsoleLogRecordExporter,
    InMemoryLogRecordExporter,
    LogRecordExporter,
    LogRecordExportResult,
    SimpleLogRecordProcessor,
)
from opentelemetry.util.types import AnyValue, AttributeValue

__all__ = [
    "AnyValue",
    "AttributeValue",
    "BatchLogRecordProcessor",
    "ConsoleLogRecordExporter",
    "CountingBatchLogRecordProcessor",
    "InMemoryLogRecordExporter",
    "LogRecordExportResult",
    "LogRecordExporter",
    "LogRecordProcessor",
    "Logger",
    "LoggerProvider",
    "ReadWriteLogRecord",
    "ReadableLogRecord",
    "SeverityNumber",
    "SimpleLogRecordProcessor",
    "emit_event",
    "encode_logs",
    "memory_log_exporter",
    "otlp_log_exporter_class",
]


def memory_log_exporter() -> InMemoryLogRecordExporter:
    """An in-memory log exporter (tests, ``Telemetry.in_memory``)."""
    return InMemoryLogRecordExporter()  # type: ignore[no-untyped-call]  # unannotated __init__


def emit_event(
    logger: Logger,
    *,
    event_name: str,
    severity_number: SeverityNumber,
    body: AnyValue = None,
    attributes: Mapping[str, AttributeValue] | None = None,
    timestamp_ns: int | None = None,
) -> None:
    """Emit one event: a log record with ``event_name`` (the OTel event model since 1.35).

    `timestamp_ns` is when the event happened (the device's or Central's time);
    the SDK stamps the observed time itself.  No severity text: semantic
    conventions let the number carry the meaning.
    """
    logger.emit(
        timestamp=timestamp_ns,
        severity_number=severity_number,
        body=body,
        attributes=dict(attributes) if attributes is not None else None,
        event_name=event_name,
    )


class CountingBatchLogRecordProcessor(BatchLogRecordProcessor):
    """A `BatchLogRecordProcessor` that reports the records it drops to `on_drop`.

    The SDK's queue is a bounded deque: when full it evicts the oldest record and
    only logs a warning (its own drop counter needs
    ``OTEL_PYTHON_SDK_INTERNAL_METRICS_ENABLED``).  Records emitted after shutdown
    are ignored.  Both are counted here, by looking at the queue before each
    emit: private SDK state, hence this module; if a future SDK renames it, drops
    simply go uncounted (pinned range, and a test covers it).
    """

    def __init__(
        self,
        exporter: LogRecordExporter,
        *,
        on_drop: Callable[[int], None],
        schedule_delay_millis: float | None = None,
        max_export_batch_size: int | None = None,
        max_queue_size: int | None = None,
    ) -> None:
        super().__init__(
            exporter,
            schedule_delay_millis=schedule_delay_millis,
            max_export_batch_size=max_export_batch_size,
            max_queue_size=max_queue_size,
        )
        self._on_drop = on_drop
        inner = getattr(self, "_batch_processor", None)
        self._queue: object = getattr(inner, "_queue", None)
        self.max_queue_size: int = getattr(inner, "_max_queue_size", 0)

    def _is_shut_down(self) -> bool:
        return bool(getattr(getattr(self, "_batch_processor", None), "_shutdown", False))

    def queue_length(self) -> int:
        """Records waiting for export (0 if the SDK's queue is not reachable)."""
        queue = self._queue
        return len(queue) if hasattr(queue, "__len__") else 0

    def on_emit(self, log_record: ReadWriteLogRecord) -> None:
        if self._is_shut_down() or (
            self.max_queue_size and self.queue_length() >= self.max_queue_size
        ):
            self._on_drop(1)
        super().on_emit(log_record)

    def shutdown(self, timeout_millis: float = 30_000) -> None:
        """Export what is queued and stop, waiting at most `timeout_millis` for the worker.

        (The SDK's own ``shutdown()`` takes no timeout and waits up to 30 s.)
        """
        self._batch_processor.shutdown(timeout_millis=int(timeout_millis))


def otlp_log_exporter_class(protocol: str) -> Callable[..., LogRecordExporter]:
    """The SDK's OTLP log exporter for `protocol` (``grpc`` or ``http/protobuf``),
    imported on first use: the HTTP one loads `requests`, which a bridge exporting over
    gRPC does without."""
    if protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter

        return OTLPLogExporter
    from opentelemetry.exporter.otlp.proto.http._log_exporter import (
        OTLPLogExporter as HttpLogExporter,
    )

    return HttpLogExporter
