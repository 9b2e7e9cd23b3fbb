"""Readable console output for `demo --verbose`: one line per data point or log record.

The SDK's console exporters print indented JSON of the whole batch, which is
unreadable at a few hundred series.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from opentelemetry.sdk.metrics.export import MetricsData, NumberDataPoint

from central_otel.telemetry.logs_api import ReadableLogRecord


def _attributes(attributes: Mapping[str, object] | None) -> str:
    if not attributes:
        return ""
    return "{" + ", ".join(f"{k}={v!r}" for k, v in attributes.items()) + "}"


def _clock(ns: int | None) -> str:
    seconds = (ns if ns is not None else time.time_ns()) / 1e9
    return time.strftime("%H:%M:%S", time.localtime(seconds)) + f".{int(seconds * 1000) % 1000:03d}"


def format_metrics(data: MetricsData) -> str:
    """``name{attributes} value unit`` per data point, under a header line."""
    lines: list[str] = []
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                unit = f" {metric.unit}" if metric.unit and metric.unit != "1" else ""
                for point in metric.data.data_points:
                    if isinstance(point, NumberDataPoint):
                        value = (
                            f"{point.value:g}" if isinstance(point.value, float) else point.value
                        )
                    else:  # histograms
                        value = f"count={point.count} sum={point.sum:g}"
                    lines.append(f"  {metric.name}{_attributes(point.attributes)} {value}{unit}")
    header = f"-- {_clock(None)} metrics: {len(lines)} data points"
    return "\n".join([header, *sorted(lines)]) + "\n"


def format_log(record: ReadableLogRecord) -> str:
    """``time SEVERITY event_name: body {attributes}``."""
    log_record = record.log_record
    severity = log_record.severity_number.name if log_record.severity_number else "-"
    body = "" if log_record.body is None else f" {log_record.body}"
    name = log_record.event_name or "(log)"
    attributes = _attributes(dict(log_record.attributes or {}))
    return (
        f"{_clock(log_record.timestamp)} {severity:<6} {name}:{body} {attributes}".rstrip() + "\n"
    )
