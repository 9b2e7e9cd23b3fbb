"""`Telemetry`: where the bridge's telemetry goes, and the SDK providers it uses.

The catalogue's metrics are encoded by `central_otel.export` and go to
`metric_sink()`. Three modes:

- ``otlp`` (``Telemetry(config)``): OTLP over gRPC or HTTP/protobuf, metrics at
  ``export_interval``. The self-metrics are encoded directly too
  (`self_metrics_meter`) and the bridge's events go through its durable queue
  (`central_otel.delivery`): the SDK's MeterProvider and LoggerProvider (logs through
  a bounded batch queue) are built only when `meter` or `logger` is first called;
- ``console`` (`Telemetry.console`): readable lines on a stream, for ``demo``;
- ``memory`` (`Telemetry.in_memory`): pull-based, synchronous, for tests.

In the console and memory modes the SDK's providers carry the self-metrics and
the event records.

Nothing is registered globally: the providers belong to this object, so tests
can build as many as they like.  Exports run on SDK threads; `force_flush` and
`shutdown` block, for a bounded time (call them via ``asyncio.to_thread``).
"""

from __future__ import annotations

import atexit
import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TextIO

from opentelemetry.sdk.resources import Resource

from central_otel.config.model import OtlpConfig
from central_otel.export.endpoint import target
from central_otel.export.exporter import MetricExportLoop
from central_otel.export.observables import ObservableEncoder, ObservableMeter, ObservableRegistry
from central_otel.export.sinks import ConsoleSink, MemorySink, MetricSink, OtlpSink
from central_otel.export.transport import METRICS, build_transport
from central_otel.secret import Secret, redact
from central_otel.telemetry.console import format_log
from central_otel.telemetry.exporters import DEFAULT_MAX_EXPORT_BATCH_SIZE, build_log_exporter
from central_otel.telemetry.logs_api import (
    ConsoleLogRecordExporter,
    CountingBatchLogRecordProcessor,
    InMemoryLogRecordExporter,
    Logger,
    LoggerProvider,
    LogRecordExporter,
    ReadableLogRecord,
    SimpleLogRecordProcessor,
    memory_log_exporter,
)
from central_otel.telemetry.resource import build_resource
from central_otel.telemetry.stats import CountingLogExporter, TelemetryStats

if TYPE_CHECKING:
    # The SDK's metric side is imported where its MeterProvider is built (`_metrics_sdk`).
    from opentelemetry.metrics import Meter
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader, MetricReader, MetricsData
    from opentelemetry.sdk.metrics.view import View

    from central_otel.telemetry.sdk_metrics import CountingMetricExporter

log = logging.getLogger(__name__)

Mode = Literal["otlp", "console", "memory"]


@dataclass(frozen=True, slots=True)
class _SdkMetrics:
    provider: MeterProvider
    reader: MetricReader
    exporter: CountingMetricExporter | None  # None: memory mode


@dataclass(frozen=True, slots=True)
class _SdkLogs:
    provider: LoggerProvider
    processor: CountingBatchLogRecordProcessor | SimpleLogRecordProcessor
    exporter: CountingLogExporter


@dataclass(frozen=True, slots=True)
class TelemetryOptions:
    """Limits and tuning; the defaults suit production."""

    cardinality_limit: int = 2000
    """Named attribute sets per metric stream and collection.  Beyond it the SDK
    adds one ``otel.metric.overflow=true`` point holding the rest (a sum for
    counters, meaningless for gauges: the store's own caps should bite first)."""
    max_export_batch_size: int | None = DEFAULT_MAX_EXPORT_BATCH_SIZE
    """Data points per OTLP request (larger exports are split)."""
    log_queue_size: int | None = None
    """Log records waiting for export; when full the oldest is dropped (counted).
    None: ``OTEL_BLRP_MAX_QUEUE_SIZE``, else 2048."""
    log_batch_size: int | None = None
    """None: ``OTEL_BLRP_MAX_EXPORT_BATCH_SIZE``, else 512."""
    log_schedule_delay: float | None = None
    """Seconds between log exports.  None: ``OTEL_BLRP_SCHEDULE_DELAY``, else 1 s."""
    exit_timeout: float = 5.0
    """Bound of the flush at interpreter exit if `shutdown` was never called."""


class Telemetry:
    """Owns a MeterProvider and a LoggerProvider with their exporters."""

    def __init__(
        self,
        config: OtlpConfig | None = None,
        *,
        mode: Mode = "otlp",
        stream: TextIO | None = None,
        resource: Resource | None = None,
        export_interval: float | None = None,
        options: TelemetryOptions | None = None,
        views: Sequence[View] = (),
    ) -> None:
        """`config` is required for ``otlp``; `export_interval` (seconds) overrides
        the config's (console default: 10 s); `stream` is the console's (stdout);
        `views` go to the MeterProvider (e.g. to disable metrics by name)."""
        if mode == "otlp" and config is None:
            raise ValueError("the otlp mode needs an OtlpConfig")
        self.mode: Mode = mode
        self.config = config
        self.options = options or TelemetryOptions()
        self.resource = resource if resource is not None else build_resource()
        self.export_stats = TelemetryStats.new()
        self._secrets = tuple(config.headers.values()) if config is not None else ()
        self._memory_reader: InMemoryMetricReader | None = None
        self._memory_logs: InMemoryLogRecordExporter | None = None
        self._views = tuple(views)
        self._sdk_metrics: _SdkMetrics | None = None
        self._sdk_logs: _SdkLogs | None = None
        self._sdk_lock = threading.Lock()
        self._closed = False
        self._stream = stream
        self.memory_metrics = MemorySink()
        """Memory mode: where `metric_sink` delivers the catalogue's metrics."""

        interval = export_interval or (config.export_interval if config else 10.0)
        self.export_interval = interval
        self.export_timeout = config.timeout if config is not None else 10.0
        self.self_metrics_export: MetricExportLoop | None = None
        """OTLP mode: the bridge's self-metrics (`self_metrics_meter`), exported every
        interval without the SDK's aggregation (see `central_otel.export.observables`)."""
        self._observables: ObservableRegistry | None = None
        if mode == "otlp" and config is not None:
            self._observables = ObservableRegistry()
            self.self_metrics_export = MetricExportLoop(
                ObservableEncoder(self._observables, self.resource),
                tuple,
                OtlpSink(build_transport(config, METRICS)),
                interval=interval,
                timeout=config.timeout,
                stats=self.export_stats.self_metrics,
                what="self-metrics",
            )
            self.self_metrics_export.start()
        else:
            # Console and memory: the SDK carries the self-metrics and the events.
            self._metrics_sdk()
            self._logs_sdk()
        atexit.register(self._at_exit)

    @classmethod
    def console(
        cls,
        stream: TextIO | None = None,
        *,
        export_interval: float = 10.0,
        resource: Resource | None = None,
        options: TelemetryOptions | None = None,
        views: Sequence[View] = (),
    ) -> Telemetry:
        """Readable metrics and log lines on `stream` (stdout) for ``demo``."""
        return cls(
            mode="console",
            stream=stream,
            export_interval=export_interval,
            resource=resource,
            options=options,
            views=views,
        )

    @classmethod
    def in_memory(
        cls,
        *,
        resource: Resource | None = None,
        options: TelemetryOptions | None = None,
        views: Sequence[View] = (),
    ) -> Telemetry:
        """Pull metrics with `collect`, read logs with `finished_logs` (synchronous)."""
        return cls(mode="memory", resource=resource, options=options, views=views)

    # -- the SDK's providers: in OTLP mode built when first asked for (`meter`,
    # `logger`): the bridge itself exports without them, and their OTLP exporters
    # load the SDK's exporter modules and gRPC's core (megabytes) for nothing.

    @property
    def meter_provider(self) -> MeterProvider:
        return self._metrics_sdk().provider

    @property
    def metric_reader(self) -> MetricReader:
        return self._metrics_sdk().reader

    @property
    def metric_exporter(self) -> CountingMetricExporter | None:
        """The (counting) metric exporter of the SDK's reader; None in memory mode."""
        return self._metrics_sdk().exporter

    @property
    def logger_provider(self) -> LoggerProvider:
        return self._logs_sdk().provider

    @property
    def log_processor(self) -> CountingBatchLogRecordProcessor | SimpleLogRecordProcessor:
        return self._logs_sdk().processor

    @property
    def log_exporter(self) -> CountingLogExporter | None:
        return self._logs_sdk().exporter

    def _metrics_sdk(self) -> _SdkMetrics:
        with self._sdk_lock:
            if self._sdk_metrics is None:
                from opentelemetry.sdk.metrics import AlwaysOffExemplarFilter, MeterProvider

                reader, exporter = self._metric_reader()
                provider = MeterProvider(
                    metric_readers=[reader],
                    resource=self.resource,
                    views=self._views,
                    # No traces here, so exemplars would only cost time at each measurement.
                    exemplar_filter=AlwaysOffExemplarFilter(),
                    shutdown_on_exit=False,  # ours is bounded; see _at_exit
                )
                self._sdk_metrics = _SdkMetrics(provider, reader, exporter)
            return self._sdk_metrics

    def _logs_sdk(self) -> _SdkLogs:
        with self._sdk_lock:
            if self._sdk_logs is None:
                provider = LoggerProvider(resource=self.resource, shutdown_on_exit=False)
                processor, exporter = self._log_record_processor()
                provider.add_log_record_processor(processor)
                self._sdk_logs = _SdkLogs(provider, processor, exporter)
            return self._sdk_logs

    # -- construction

    def _metric_reader(self) -> tuple[MetricReader, CountingMetricExporter | None]:
        from opentelemetry.sdk.metrics.export import (
            ConsoleMetricExporter,
            InMemoryMetricReader,
            MetricExporter,
            PeriodicExportingMetricReader,
        )

        from central_otel.telemetry.console import format_metrics
        from central_otel.telemetry.sdk_metrics import (
            CUMULATIVE,
            INSTRUMENT_KINDS,
            CountingMetricExporter,
            build_metric_exporter,
        )

        limits = dict.fromkeys(INSTRUMENT_KINDS, self.options.cardinality_limit)
        if self.mode == "memory":
            self._memory_reader = InMemoryMetricReader(
                preferred_temporality=CUMULATIVE, cardinality_limits=limits
            )
            return self._memory_reader, None
        inner: MetricExporter
        if self.mode == "console":
            inner = ConsoleMetricExporter(
                out=self._stream or sys.stdout,
                formatter=format_metrics,
                preferred_temporality=CUMULATIVE,
            )
            timeout = None
        else:
            assert self.config is not None
            inner = build_metric_exporter(
                self.config, max_export_batch_size=self.options.max_export_batch_size
            )
            timeout = self.config.timeout * 1000
        exporter = CountingMetricExporter(
            inner,
            self.export_stats.self_metrics,
            preferred_temporality=CUMULATIVE,
            secrets=self._secrets,
        )
        reader = PeriodicExportingMetricReader(
            exporter,
            export_interval_millis=self.export_interval * 1000,
            export_timeout_millis=timeout,
            cardinality_limits=limits,
        )
        return reader, exporter

    def _log_record_processor(
        self,
    ) -> tuple[CountingBatchLogRecordProcessor | SimpleLogRecordProcessor, CountingLogExporter]:
        stats = self.export_stats.logs
        inner: LogRecordExporter
        if self.mode == "memory":
            self._memory_logs = memory_log_exporter()
            exporter = CountingLogExporter(self._memory_logs, stats)
            # Synchronous: a test reads what it emitted right away.
            return SimpleLogRecordProcessor(exporter), exporter
        if self.mode == "console":
            inner = ConsoleLogRecordExporter(out=self._stream or sys.stdout, formatter=format_log)
        else:
            assert self.config is not None
            inner = build_log_exporter(self.config)
        exporter = CountingLogExporter(inner, stats, secrets=self._secrets)
        delay = self.options.log_schedule_delay
        processor = CountingBatchLogRecordProcessor(
            exporter,
            on_drop=stats.record_dropped,
            schedule_delay_millis=delay * 1000 if delay is not None else None,
            max_export_batch_size=self.options.log_batch_size,
            max_queue_size=self.options.log_queue_size,
        )
        return processor, exporter

    # -- use

    def metric_sink(self) -> MetricSink:
        """A sink for the catalogue's metric requests, by mode: the OTLP backend, the
        console's stream, or `memory_metrics`."""
        if self.mode == "otlp":
            assert self.config is not None
            return OtlpSink(build_transport(self.config, METRICS))
        if self.mode == "console":
            return ConsoleSink(self._stream or sys.stdout)
        return self.memory_metrics

    def meter(self, name: str, version: str | None = None) -> Meter:
        return self.meter_provider.get_meter(name, version)

    def self_metrics_meter(self) -> ObservableMeter:
        """Where the bridge registers its self-metrics: in OTLP mode a registry whose
        observations are encoded directly (no SDK aggregation per attribute set: at
        hundreds of customers, megabytes); else the SDK's meter (console, memory)."""
        if self._observables is not None:
            return self._observables
        return self.meter("central_otel")

    def logger(self, name: str, version: str | None = None) -> Logger:
        return self.logger_provider.get_logger(name, version)

    def collect(self) -> MetricsData:
        """Memory mode: collect and return the metrics now."""
        if self._memory_reader is None:
            raise RuntimeError("collect() is for Telemetry.in_memory()")
        from opentelemetry.sdk.metrics.export import MetricsData

        data = self._memory_reader.get_metrics_data()
        return data if data is not None else MetricsData(resource_metrics=[])

    def finished_logs(self) -> tuple[ReadableLogRecord, ...]:
        """Memory mode: every log record emitted so far."""
        if self._memory_logs is None:
            raise RuntimeError("finished_logs() is for Telemetry.in_memory()")
        return self._memory_logs.get_finished_logs()

    def describe(self) -> str:
        """Where telemetry goes, for the startup log (header names only)."""
        if self.config is None or self.mode != "otlp":
            return f"{self.mode} telemetry"
        return target(self.config).describe()

    def __repr__(self) -> str:
        return f"<Telemetry {self.describe()}>"

    # -- flush and stop

    def force_flush(self, timeout: float = 10.0) -> bool:
        """Export metrics and queued logs now; False if not done within `timeout` s."""
        millis = timeout * 1000
        tasks: dict[str, Callable[[], object]] = {
            "self-metrics flush": lambda: self._flush_self_metrics(timeout),
        }
        metrics, logs = self._sdk_metrics, self._sdk_logs
        if metrics is not None:
            tasks["metrics flush"] = lambda: metrics.provider.force_flush(timeout_millis=millis)
        if logs is not None:
            tasks["logs flush"] = lambda: logs.provider.force_flush(timeout_millis=int(millis))
        return _bounded(tasks, timeout, self._secrets)

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Flush and stop both providers within `timeout` seconds (they run side by side).

        A backend that is down costs the bound, no more: the last export is then
        abandoned and counted as failed.  False if the bound was hit.  Idempotent.
        """
        if self._closed:
            return True
        self._closed = True
        atexit.unregister(self._at_exit)
        # Give the SDK most of the bound, so it abandons retries by itself and
        # closes its connections before we stop waiting.
        millis = timeout * 1000 * 0.9
        tasks: dict[str, Callable[[], object]] = {
            "self-metrics shutdown": lambda: self._stop_self_metrics(timeout * 0.9),
        }
        metrics, logs = self._sdk_metrics, self._sdk_logs
        if metrics is not None:
            tasks["metrics shutdown"] = lambda: metrics.provider.shutdown(timeout_millis=millis)
        if logs is not None:

            def stop_logs() -> None:
                if isinstance(logs.processor, CountingBatchLogRecordProcessor):
                    logs.processor.shutdown(timeout_millis=millis)
                logs.provider.shutdown()

            tasks["logs shutdown"] = stop_logs
        return _bounded(tasks, timeout, self._secrets)

    def _flush_self_metrics(self, timeout: float) -> bool:
        loop = self.self_metrics_export
        return loop.force_flush(timeout) if loop is not None else True

    def _stop_self_metrics(self, timeout: float) -> bool:
        loop = self.self_metrics_export
        return loop.shutdown(timeout) if loop is not None else True

    def _at_exit(self) -> None:
        self.shutdown(self.options.exit_timeout)


def _bounded(
    tasks: dict[str, Callable[[], object]], timeout: float, secrets: Sequence[Secret]
) -> bool:
    """Run `tasks` on daemon threads side by side; True if all ended within `timeout`
    without error.  Errors are logged as one line (no traceback, secrets redacted)."""
    failures: list[str] = []

    def run(name: str, task: Callable[[], object]) -> None:
        try:
            if task() is False:
                failures.append(name)
        except Exception as exc:  # the SDK raises a bare Exception for reader errors
            failures.append(name)
            log.warning("telemetry %s failed: %s", name, redact(str(exc), secrets))

    threads = [
        threading.Thread(target=run, args=item, name=f"telemetry {item[0]}", daemon=True)
        for item in tasks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    late = [thread.name for thread in threads if thread.is_alive()]
    if late:
        log.warning("%s did not finish within %.1fs", ", ".join(late), timeout)
    return not late and not failures
