"""OpenTelemetry SDK plumbing: resource, the SDK's OTLP log exporter, providers and
export statistics (the SDK's metric side, loaded only where it is used, is
`central_otel.telemetry.sdk_metrics`).

The logs API is still underscore-private in the SDK: import it from
`central_otel.telemetry.logs_api`, never from ``opentelemetry._logs`` directly.
"""

from central_otel.export.endpoint import ExportTarget, signal_url, target
from central_otel.telemetry.exporters import build_log_exporter
from central_otel.telemetry.logs_api import SeverityNumber, emit_event
from central_otel.telemetry.providers import Telemetry, TelemetryOptions
from central_otel.telemetry.resource import build_resource, default_instance_id
from central_otel.telemetry.stats import ExportSnapshot, ExportStats, TelemetryStats

__all__ = [
    "ExportSnapshot",
    "ExportStats",
    "ExportTarget",
    "SeverityNumber",
    "Telemetry",
    "TelemetryOptions",
    "TelemetryStats",
    "build_log_exporter",
    "build_resource",
    "default_instance_id",
    "emit_event",
    "signal_url",
    "target",
]
