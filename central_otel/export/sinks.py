"""Where encoded metric requests go: an OTLP backend, the console, or memory.

A sink takes one serialised `ExportMetricsServiceRequest` at a time (blocking, on
the export thread) and says what became of it. The encoder and the export loop do
not know which sink they feed: `run` sends to the configured backend, `demo`
without an endpoint prints, tests keep the requests.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol, TextIO

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

from central_otel.export.console_text import metrics_text, point_line
from central_otel.export.transport import SendResult, Transport, send


class MetricSink(Protocol):
    def deliver(
        self, body: bytes, points: int, timeout: float, abort: threading.Event
    ) -> SendResult:
        """Deliver one request of `points` data points within `timeout` seconds; give
        up early once `abort` is set (the process is stopping)."""
        ...

    def close(self) -> None: ...


class OtlpSink:
    """An OTLP backend, through a gRPC or HTTP transport, with its retries."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def deliver(
        self, body: bytes, points: int, timeout: float, abort: threading.Event
    ) -> SendResult:
        return send(self.transport, self.transport.prepare(body), timeout, abort=abort)

    def close(self) -> None:
        self.transport.close()


class ConsoleSink:
    """Readable lines, one per data point (``name{attributes} value unit``), sorted,
    under a header line: what `demo` prints."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def deliver(
        self, body: bytes, points: int, timeout: float, abort: threading.Event
    ) -> SendResult:
        text = format_request(ExportMetricsServiceRequest.FromString(body))
        with self._lock:
            self._stream.write(text)
            self._stream.flush()
        return SendResult(True, 1)

    def close(self) -> None:
        pass


class MemorySink:
    """Keeps every request (tests, benchmarks)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[bytes] = []

    def deliver(
        self, body: bytes, points: int, timeout: float, abort: threading.Event
    ) -> SendResult:
        with self._lock:
            self._requests.append(body)
        return SendResult(True, 1)

    def requests(self) -> list[ExportMetricsServiceRequest]:
        """Every request delivered so far, parsed."""
        with self._lock:
            bodies = list(self._requests)
        return [ExportMetricsServiceRequest.FromString(body) for body in bodies]

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()

    def close(self) -> None:
        pass


def _value(value: AnyValue) -> object:
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [_value(item) for item in value.array_value.values]
    return getattr(value, kind) if kind else None


def format_request(request: ExportMetricsServiceRequest) -> str:
    """A request as readable lines under a header with the time and the point count."""
    lines: list[str] = []
    for resource in request.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                data = metric.gauge if metric.HasField("gauge") else metric.sum
                for point in data.data_points:
                    attributes = ((a.key, _value(a.value)) for a in point.attributes)
                    number = point.as_double if point.HasField("as_double") else point.as_int
                    lines.append(point_line(metric.name, metric.unit, attributes, f"{number:g}"))
    return metrics_text(time.strftime("%H:%M:%S"), lines)
