"""Readable console output for `demo --verbose`: one line per data point or log record.

The SDK's console exporters print indented JSON of the whole batch, which is
unreadable at a few hundred series.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from central_otel.export.console_text import braced_attributes, metrics_text, point_line
from central_otel.telemetry.logs_api import ReadableLogRecord

if TYPE_CHECKING:
    from opentelemetry.sdk.metrics.export import MetricsData


def _clock(ns: int | None) -> str:
    seconds = (ns if ns is not None else time.time_ns()) / 1e9
    return time.strftime("%H:%M:%S", time.localtime(seconds)) + f".{int(seconds * 1000) % 1000:03d}"


def format_metrics(data: MetricsData) -> str:
    """``name{attributes} value unit`` per data point, under a header line."""
    from opentelemetry.sdk.metrics.export import NumberDataPoint  # the SDK's metrics: only here

    lines: list[str] = []
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    if isinstance(point, NumberDataPoint):
                        value = (
                            f"{point.value:g}" if isinstance(point.value, float) else point.value
                        )
                    else:  # histograms
                        value = f"count={point.count} sum={point.sum:g}"
                    attributes = (point.attributes or {}).items()
                    lines.append(point_line(metric.name, metric.unit, attributes, str(value)))
    return metrics_text(_clock(None), lines)


def format_log(record: ReadableLogRecord) -> str:
    """``time SEVERITY event_name: body {attributes}``."""
    log_record = record.log_record
    severity = log_record.severity_number.name if log_record.severity_number else "-"
    body = "" if log_record.body is None else f" {log_record.body}"
    name = log_record.event_name or "(log)"
    attributes = braced_attributes((log_record.attributes or {}).items())
    return (
        f"{_clock(log_record.timestamp)} {severity:<6} {name}:{body} {attributes}".rstrip() + "\n"
    )
