"""The SDK's metric side: its instrument kinds and temporality, its OTLP metric
exporter, and the exporter wrapper that counts what it does.

Imported only where the SDK's MeterProvider is built (`Telemetry` in its console
and memory modes, or when `Telemetry.meter` is first called; the SDK reference
path of the benchmarks): a bridge exporting over OTLP never loads the SDK's metric
modules.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from opentelemetry.sdk.metrics import (
    Counter,
    Histogram,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    UpDownCounter,
)
from opentelemetry.sdk.metrics.export import (
    AggregationTemporality,
    MetricExporter,
    MetricExportResult,
    MetricsData,
)

from central_otel.config.model import OtlpConfig
from central_otel.secret import Secret
from central_otel.telemetry.exporters import DEFAULT_MAX_EXPORT_BATCH_SIZE, sdk_connection
from central_otel.telemetry.stats import ExportStats, exporter_failure

# Cumulative for every instrument kind: device counters are cumulative and the
# store carries them across device reboots; a backend wanting deltas converts in
# the Collector (cumulativetodelta).  OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE
# is therefore not honoured. (The bridge makes no synchronous gauge, which has no
# temporality anyway.)
INSTRUMENT_KINDS: tuple[type, ...] = (
    Counter,
    UpDownCounter,
    Histogram,
    ObservableCounter,
    ObservableUpDownCounter,
    ObservableGauge,
)
CUMULATIVE: dict[type, AggregationTemporality] = dict.fromkeys(
    INSTRUMENT_KINDS, AggregationTemporality.CUMULATIVE
)


def build_metric_exporter(
    config: OtlpConfig, *, max_export_batch_size: int | None = DEFAULT_MAX_EXPORT_BATCH_SIZE
) -> MetricExporter:
    """The OTLP metric exporter (cumulative temporality) for `config`."""
    # Imported by protocol: the HTTP exporter loads `requests`, which a gRPC bridge
    # does without.
    exporter: type[MetricExporter]
    if config.protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter

        exporter = OTLPMetricExporter
    else:
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import (
            OTLPMetricExporter as HttpMetricExporter,
        )

        exporter = HttpMetricExporter
    return exporter(
        **sdk_connection(config, "metrics"),
        preferred_temporality=CUMULATIVE,
        max_export_batch_size=max_export_batch_size,
    )


def count_points(data: MetricsData) -> int:
    return sum(
        len(metric.data.data_points)
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
    )


class CountingMetricExporter(MetricExporter):
    """Delegates to `inner`, counting into `stats`; exceptions become failures."""

    def __init__(
        self,
        inner: MetricExporter,
        stats: ExportStats,
        *,
        preferred_temporality: dict[type, AggregationTemporality],
        secrets: Sequence[Secret] = (),
    ) -> None:
        # The reader takes temporality from the exporter it is given: this one.
        super().__init__(preferred_temporality=preferred_temporality)
        self.inner = inner
        self.stats = stats
        self._secrets = tuple(secrets)

    def export(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any
    ) -> MetricExportResult:
        started = time.monotonic()
        error: str | None = None
        try:
            result = self.inner.export(metrics_data, timeout_millis=timeout_millis, **kwargs)
        except Exception as exc:  # an exporter bug must not kill the reader thread
            error = exporter_failure("metrics", exc, self._secrets)
            result = MetricExportResult.FAILURE
        ok = result is MetricExportResult.SUCCESS
        self.stats.record_export(ok, count_points(metrics_data), time.monotonic() - started, error)
        return result

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        return self.inner.force_flush(timeout_millis=timeout_millis)

    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        self.inner.shutdown(timeout_millis=timeout_millis, **kwargs)

    def __repr__(self) -> str:
        return f"<CountingMetricExporter {type(self.inner).__name__}>"
