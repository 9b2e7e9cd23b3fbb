"""Direct OTLP metric export: requests written straight from the stores (see
docs/performance.md). The SDK path (`pipeline.metrics_bridge`) stays selectable."""

from __future__ import annotations

from central_otel.fastexport.encoder import Encoded, EncodeLimits, OtlpMetricEncoder
from central_otel.fastexport.exporter import CycleStats, DirectMetricExporter

__all__ = ["CycleStats", "DirectMetricExporter", "EncodeLimits", "Encoded", "OtlpMetricEncoder"]
