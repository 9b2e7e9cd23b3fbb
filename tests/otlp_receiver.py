"""A real OTLP receiver for tests and demos: gRPC and HTTP/protobuf, loopback only.

Both transports decode what the SDK's own OTLP exporters send (the protobuf
requests of ``opentelemetry-proto``), record every request with its headers,
and can be told to misbehave: error statuses (retryable or not), partial
success, a delay per request, and stop/start on the same port. A fault can be
aimed at some clients only (``match``, on the request headers, e.g. one
exporter's user agent). Each request keeps its raw bytes as they arrived (after
transport decompression: gRPC's gzip; HTTP's gzip, deflate and zstd, as the
Collector's OTLP/HTTP receiver), for scans of everything a client sent.

    with GrpcOtlpReceiver() as receiver:           # or HttpOtlpReceiver()
        exporter = OTLPMetricExporter(endpoint=receiver.endpoint, insecure=True)
        ...
        receiver.wait_for(lambda: receiver.metrics("system.cpu.utilization"))
        [point] = receiver.metrics("system.cpu.utilization")
        assert point.attributes == {"host.id": "CNF7G9Q1"}

Standalone, printing one line per request:

    python -m tests.otlp_receiver --grpc 127.0.0.1:4317 --http 127.0.0.1:4318
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import signal as signals
import socket
import ssl
import sys
import tempfile
import threading
import time
import zlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Literal, Self, TypeVar
from urllib.parse import urlsplit

import grpc
import zstandard
from google.protobuf.duration_pb2 import Duration
from google.protobuf.message import DecodeError
from google.rpc.error_details_pb2 import RetryInfo
from google.rpc.status_pb2 import Status
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import (
    metrics_service_pb2,
)
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

Signal = Literal["metrics", "logs", "traces"]
Transport = Literal["grpc", "http"]
Outcome = Literal["ok", "partial", "error"]
ExportRequest = (
    metrics_service_pb2.ExportMetricsServiceRequest
    | logs_service_pb2.ExportLogsServiceRequest
    | trace_service_pb2.ExportTraceServiceRequest
)
ExportResponse = (
    metrics_service_pb2.ExportMetricsServiceResponse
    | logs_service_pb2.ExportLogsServiceResponse
    | trace_service_pb2.ExportTraceServiceResponse
)
T = TypeVar("T")
HeaderMatch = Callable[[Mapping[str, str]], bool]
"""Chooses the requests a fault applies to, from their headers (lower-case names)."""
RequestMatch = Callable[[ExportRequest], bool]
"""Chooses the requests a fault applies to, from their content."""

_REQUEST_TYPES: dict[Signal, type[ExportRequest]] = {
    "metrics": metrics_service_pb2.ExportMetricsServiceRequest,
    "logs": logs_service_pb2.ExportLogsServiceRequest,
    "traces": trace_service_pb2.ExportTraceServiceRequest,
}
_HTTP_PATHS: dict[str, Signal] = {
    "/v1/metrics": "metrics",
    "/v1/logs": "logs",
    "/v1/traces": "traces",
}
_TEMPORALITY = {1: "delta", 2: "cumulative"}


# ---------------------------------------------------------------------------
# What arrived


@dataclass(frozen=True, slots=True)
class ReceivedRequest:
    """One export request as received (and how it was answered)."""

    transport: Transport
    signal: Signal
    request: ExportRequest
    headers: dict[str, str]
    """Lower-case names. gRPC: the call metadata; HTTP: the request headers."""
    outcome: Outcome
    received_ns: int
    rejected: int = 0
    """Items refused by a partial-success answer."""
    raw: bytes = b""
    """The serialised request as received (HTTP: the body after Content-Encoding; gRPC:
    the message after gRPC's own decompression)."""


@dataclass(frozen=True, slots=True)
class MetricPoint:
    """One data point, flattened with its metric, scope and resource."""

    name: str
    unit: str
    kind: str
    """``gauge``, ``sum``, ``histogram``, ``exponential_histogram`` or ``summary``."""
    attributes: dict[str, Any]
    value: float | int | None
    """Gauge/sum value; histograms and summaries: the sum (see `count`)."""
    resource: dict[str, Any]
    scope: str
    time_unix_nano: int
    start_time_unix_nano: int = 0
    description: str = ""
    monotonic: bool | None = None
    temporality: str | None = None
    """``cumulative`` or ``delta`` (sums and histograms)."""
    count: int | None = None


@dataclass(frozen=True, slots=True)
class LogView:
    """One log record, flattened with its scope and resource."""

    event_name: str
    severity_number: int
    severity_text: str
    body: Any
    attributes: dict[str, Any]
    resource: dict[str, Any]
    scope: str
    time_unix_nano: int
    observed_time_unix_nano: int


def any_value(value: AnyValue) -> Any:
    """An OTLP ``AnyValue`` as a plain Python value (None when empty)."""
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [any_value(item) for item in value.array_value.values]
    if kind == "kvlist_value":
        return attributes_dict(value.kvlist_value.values)
    return getattr(value, kind)


def attributes_dict(attributes: Iterable[KeyValue]) -> dict[str, Any]:
    return {kv.key: any_value(kv.value) for kv in attributes}


def metric_points(
    request: metrics_service_pb2.ExportMetricsServiceRequest,
) -> Iterator[MetricPoint]:
    for resource_metrics in request.resource_metrics:
        resource = attributes_dict(resource_metrics.resource.attributes)
        for scope_metrics in resource_metrics.scope_metrics:
            scope = scope_metrics.scope.name
            for metric in scope_metrics.metrics:
                kind = metric.WhichOneof("data")
                if kind is None:
                    continue
                data = getattr(metric, kind)
                temporality = _TEMPORALITY.get(getattr(data, "aggregation_temporality", 0))
                monotonic = data.is_monotonic if kind == "sum" else None
                for point in data.data_points:
                    count: int | None = None
                    if kind in ("gauge", "sum"):
                        value = getattr(point, point.WhichOneof("value") or "as_double")
                    else:
                        value, count = point.sum, point.count
                    yield MetricPoint(
                        name=metric.name,
                        unit=metric.unit,
                        kind=kind,
                        attributes=attributes_dict(point.attributes),
                        value=value,
                        resource=resource,
                        scope=scope,
                        time_unix_nano=point.time_unix_nano,
                        start_time_unix_nano=point.start_time_unix_nano,
                        description=metric.description,
                        monotonic=monotonic,
                        temporality=temporality,
                        count=count,
                    )


def log_views(request: logs_service_pb2.ExportLogsServiceRequest) -> Iterator[LogView]:
    for resource_logs in request.resource_logs:
        resource = attributes_dict(resource_logs.resource.attributes)
        for scope_logs in resource_logs.scope_logs:
            for record in scope_logs.log_records:
                yield LogView(
                    event_name=record.event_name,
                    severity_number=record.severity_number,
                    severity_text=record.severity_text,
                    body=any_value(record.body),
                    attributes=attributes_dict(record.attributes),
                    resource=resource,
                    scope=scope_logs.scope.name,
                    time_unix_nano=record.time_unix_nano,
                    observed_time_unix_nano=record.observed_time_unix_nano,
                )


def item_count(signal: Signal, request: ExportRequest) -> int:
    """Data points, log records or spans in a request."""
    if isinstance(request, metrics_service_pb2.ExportMetricsServiceRequest):
        return sum(1 for _ in metric_points(request))
    if isinstance(request, logs_service_pb2.ExportLogsServiceRequest):
        return sum(len(s.log_records) for r in request.resource_logs for s in r.scope_logs)
    return sum(len(s.spans) for r in request.resource_spans for s in r.scope_spans)


# ---------------------------------------------------------------------------
# Faults


@dataclass(slots=True)
class _Fault:
    kind: Literal["error", "partial"]
    remaining: int | None  # None: until cleared
    signal: Signal | None
    retryable: bool = True
    retry_after: float | None = None
    rejected: int = 0
    message: str = ""
    match: HeaderMatch | None = None
    grpc_code: grpc.StatusCode | None = None
    match_request: RequestMatch | None = None


@dataclass(frozen=True, slots=True)
class _Answer:
    outcome: Outcome
    retryable: bool = True
    retry_after: float | None = None
    rejected: int = 0
    message: str = ""
    grpc_code: grpc.StatusCode | None = None


_OK = _Answer("ok")


def _response(signal: Signal, answer: _Answer) -> ExportResponse:
    if answer.outcome != "partial":
        return _RESPONSE_TYPES[signal]()
    if signal == "metrics":
        return metrics_service_pb2.ExportMetricsServiceResponse(
            partial_success=metrics_service_pb2.ExportMetricsPartialSuccess(
                rejected_data_points=answer.rejected, error_message=answer.message
            )
        )
    if signal == "logs":
        return logs_service_pb2.ExportLogsServiceResponse(
            partial_success=logs_service_pb2.ExportLogsPartialSuccess(
                rejected_log_records=answer.rejected, error_message=answer.message
            )
        )
    return trace_service_pb2.ExportTraceServiceResponse(
        partial_success=trace_service_pb2.ExportTracePartialSuccess(
            rejected_spans=answer.rejected, error_message=answer.message
        )
    )


_RESPONSE_TYPES: dict[Signal, type[ExportResponse]] = {
    "metrics": metrics_service_pb2.ExportMetricsServiceResponse,
    "logs": logs_service_pb2.ExportLogsServiceResponse,
    "traces": trace_service_pb2.ExportTraceServiceResponse,
}


@dataclass(frozen=True, slots=True)
class ServerTls:
    """A server certificate: PEM private key and PEM chain (e.g. from ``trustme``)."""

    key_pem: bytes
    chain_pem: bytes


# ---------------------------------------------------------------------------
# The receiver (transport-independent part)


class OtlpReceiver(ABC):
    """Records OTLP requests; subclasses provide the transport."""

    transport: ClassVar[Transport]

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        tls: ServerTls | None = None,
        on_request: Callable[[ReceivedRequest], None] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        """0 until started on a free port; then kept, so a restart binds the same port."""
        self.tls = tls
        self.on_request = on_request
        self._cond = threading.Condition(threading.RLock())
        self._requests: list[ReceivedRequest] = []
        self._faults: list[_Fault] = []
        self._delay = 0.0
        self._stopping = threading.Event()
        self._running = False

    # -- lifecycle

    @abstractmethod
    def _start(self) -> int:
        """Listen on (host, self.port); return the port bound."""

    @abstractmethod
    def _stop(self) -> None: ...

    def start(self) -> Self:
        if not self._running:
            self._stopping.clear()
            self.port = self._start()
            self._running = True
        return self

    def stop(self) -> None:
        """Stop listening and drop open connections (the port is kept for `start`)."""
        if self._running:
            self._stopping.set()
            self._stop()
            self._running = False

    @property
    def running(self) -> bool:
        return self._running

    @property
    def endpoint(self) -> str:
        """``http[s]://host:port`` (the base URL: HTTP paths are ``/v1/<signal>``)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._running else "stopped"
        return f"<{type(self).__name__} {self.endpoint} {state}, {len(self._requests)} requests>"

    # -- faults

    def fail(
        self,
        *,
        retryable: bool = True,
        count: int | None = None,
        retry_after: float | None = None,
        signal: Signal | None = None,
        match: HeaderMatch | None = None,
        message: str | None = None,
        grpc_code: grpc.StatusCode | None = None,
        match_request: RequestMatch | None = None,
    ) -> None:
        """Answer the next `count` requests (None: all, until `clear_faults`) with an error.

        Retryable: gRPC UNAVAILABLE / HTTP 503; otherwise INVALID_ARGUMENT / 400.
        `retry_after` (seconds) is sent as gRPC RetryInfo / HTTP Retry-After.
        `match` (headers -> bool), `match_request` (the decoded request -> bool): only
        requests both accept count and fail.
        `message`: the error's text (gRPC details / the HTTP body's Status message),
        e.g. a collector quoting the credentials it refused. `grpc_code` replaces the
        gRPC status code (e.g. UNKNOWN, what a crashing collector answers).
        """
        fault = _Fault("error", count, signal, retryable, retry_after, match=match)
        fault.grpc_code = grpc_code
        fault.match_request = match_request
        if message is not None:
            fault.message = message
        self._add_fault(fault)

    def partial_success(
        self,
        rejected: int,
        message: str = "rejected by test receiver",
        *,
        count: int | None = None,
        signal: Signal | None = None,
        match: HeaderMatch | None = None,
        match_request: RequestMatch | None = None,
    ) -> None:
        """Accept the next requests but report `rejected` items as refused (`match` and
        `match_request` as in `fail`)."""
        fault = _Fault("partial", count, signal, rejected=rejected, message=message, match=match)
        fault.match_request = match_request
        self._add_fault(fault)

    def set_delay(self, seconds: float) -> None:
        """Wait this long before answering each request (interrupted by `stop`)."""
        with self._cond:
            self._delay = seconds

    def clear_faults(self) -> None:
        with self._cond:
            self._faults.clear()
            self._delay = 0.0

    def _add_fault(self, fault: _Fault) -> None:
        with self._cond:
            self._faults.append(fault)

    def _answer_for(
        self, signal: Signal, headers: Mapping[str, str], request: ExportRequest
    ) -> _Answer:
        with self._cond:
            for fault in self._faults:
                if fault.signal not in (None, signal) or fault.remaining == 0:
                    continue
                if fault.match is not None and not fault.match(headers):
                    continue
                if fault.match_request is not None and not fault.match_request(request):
                    continue
                if fault.remaining is not None:
                    fault.remaining -= 1
                if fault.kind == "error":
                    return _Answer(
                        "error",
                        fault.retryable,
                        fault.retry_after,
                        message=fault.message,
                        grpc_code=fault.grpc_code,
                    )
                return _Answer("partial", rejected=fault.rejected, message=fault.message)
            return _OK

    # -- recording (called by the transports, on their threads)

    def _receive(
        self,
        signal: Signal,
        request: ExportRequest,
        headers: Mapping[str, str],
        raw: bytes = b"",
    ) -> _Answer | None:
        """Record a request; the answer to give, or None if stopped meanwhile."""
        with self._cond:
            delay = self._delay
        if delay > 0 and self._stopping.wait(delay):
            return None
        lower = {name.lower(): value for name, value in headers.items()}
        answer = self._answer_for(signal, lower, request)
        received = ReceivedRequest(
            transport=self.transport,
            signal=signal,
            request=request,
            headers=lower,
            outcome=answer.outcome,
            received_ns=time.time_ns(),
            rejected=answer.rejected,
            raw=raw,
        )
        with self._cond:
            self._requests.append(received)
            self._cond.notify_all()
        if self.on_request is not None:
            self.on_request(received)
        return answer

    # -- queries

    def requests(
        self, signal: Signal | None = None, *, accepted: bool = False
    ) -> list[ReceivedRequest]:
        """Every request received, in order (`accepted`: not answered with an error)."""
        with self._cond:
            return [
                r
                for r in self._requests
                if (signal is None or r.signal == signal)
                and not (accepted and r.outcome == "error")
            ]

    def headers(self, signal: Signal | None = None) -> list[dict[str, str]]:
        return [r.headers for r in self.requests(signal)]

    def metrics(self, name: str | None = None) -> list[MetricPoint]:
        """Data points of every accepted metrics request, in arrival order."""
        return [
            point
            for r in self.requests("metrics", accepted=True)
            if isinstance(r.request, metrics_service_pb2.ExportMetricsServiceRequest)
            for point in metric_points(r.request)
            if name is None or point.name == name
        ]

    def latest(self, name: str) -> list[MetricPoint]:
        """The points of `name` from the last accepted request that had any."""
        for r in reversed(self.requests("metrics", accepted=True)):
            assert isinstance(r.request, metrics_service_pb2.ExportMetricsServiceRequest)
            points = [p for p in metric_points(r.request) if p.name == name]
            if points:
                return points
        return []

    def metric_names(self) -> set[str]:
        return {point.name for point in self.metrics()}

    def log_records(self, event_name: str | None = None) -> list[LogView]:
        """Log records of every accepted logs request, in arrival order."""
        return [
            record
            for r in self.requests("logs", accepted=True)
            if isinstance(r.request, logs_service_pb2.ExportLogsServiceRequest)
            for record in log_views(r.request)
            if event_name is None or record.event_name == event_name
        ]

    def clear(self) -> None:
        """Forget what was received (faults stay)."""
        with self._cond:
            self._requests.clear()

    def wait_for(self, predicate: Callable[[], T], timeout: float = 10.0, message: str = "") -> T:
        """Poll `predicate` (woken by each request, else every 20 ms) until it is truthy.

        Returns its value; AssertionError after `timeout` seconds.
        """
        deadline = time.monotonic() + timeout
        while True:
            # Not under the lock: the predicate may export to this very receiver.
            result = predicate()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {message or predicate!r}; "
                    f"{self!r}; metrics seen: {sorted(self.metric_names())}"
                )
            with self._cond:
                self._cond.wait(min(remaining, 0.02))


# ---------------------------------------------------------------------------
# gRPC


_GRPC_SERVICES: dict[Signal, str] = {
    "metrics": "opentelemetry.proto.collector.metrics.v1.MetricsService",
    "logs": "opentelemetry.proto.collector.logs.v1.LogsService",
    "traces": "opentelemetry.proto.collector.trace.v1.TraceService",
}


@dataclass(frozen=True, slots=True)
class _RawRequest:
    message: ExportRequest
    raw: bytes


def _export_handler(receiver: GrpcOtlpReceiver, signal: Signal) -> grpc.RpcMethodHandler:
    """The service's `Export`, like the generated servicer's, keeping the request's bytes."""
    request_type = _REQUEST_TYPES[signal]

    def deserialize(raw: bytes) -> _RawRequest:
        return _RawRequest(request_type.FromString(raw), raw)

    def export(request: _RawRequest, context: grpc.ServicerContext) -> ExportResponse:
        return receiver._handle(signal, request.message, context, request.raw)

    def serialize(response: ExportResponse) -> bytes:
        return response.SerializeToString()

    return grpc.unary_unary_rpc_method_handler(
        export, request_deserializer=deserialize, response_serializer=serialize
    )


class GrpcOtlpReceiver(OtlpReceiver):
    """OTLP/gRPC on ``host:port`` (a thread-pool ``grpc.server``)."""

    transport = "grpc"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._server: grpc.Server | None = None
        self._executor: ThreadPoolExecutor | None = None

    def _start(self) -> int:
        executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="otlp-grpc-receiver")
        # No SO_REUSEPORT: two receivers must never share a port unnoticed.
        server = grpc.server(executor, options=[("grpc.so_reuseport", 0)])
        server.add_generic_rpc_handlers(
            [
                grpc.method_handlers_generic_handler(
                    service, {"Export": _export_handler(self, signal)}
                )
                for signal, service in _GRPC_SERVICES.items()
            ]
        )
        address = f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
        if self.tls is None:
            port = server.add_insecure_port(address)
        else:
            credentials = grpc.ssl_server_credentials([(self.tls.key_pem, self.tls.chain_pem)])
            port = server.add_secure_port(address, credentials)
        if not port:
            executor.shutdown(wait=False)
            raise OSError(f"cannot listen on {address}")
        server.start()
        self._server, self._executor = server, executor
        return int(port)

    def _stop(self) -> None:
        if self._server is not None:
            # grace=None: cancel in-flight RPCs now, like a crashed collector.
            self._server.stop(grace=None).wait(5)
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._server = self._executor = None

    def _handle(
        self,
        signal: Signal,
        request: ExportRequest,
        context: grpc.ServicerContext,
        raw: bytes = b"",
    ) -> ExportResponse:
        headers = {
            item.key: item.value if isinstance(item.value, str) else item.value.hex()
            for item in context.invocation_metadata() or ()
        }
        answer = self._receive(signal, request, headers, raw)
        if answer is None:  # stopped while delaying (the call is cancelled anyway)
            answer = _Answer("error", retryable=True)
        if answer.outcome == "error":
            if answer.retry_after is not None:
                delay = Duration()
                delay.FromNanoseconds(int(answer.retry_after * 1e9))
                info = RetryInfo(retry_delay=delay).SerializeToString()
                context.set_trailing_metadata((("google.rpc.retryinfo-bin", info),))
            code = answer.grpc_code or (
                grpc.StatusCode.UNAVAILABLE
                if answer.retryable
                else grpc.StatusCode.INVALID_ARGUMENT
            )
            context.set_code(code)
            context.set_details(answer.message or "fault injected by the test receiver")
        return _response(signal, answer)


# ---------------------------------------------------------------------------
# HTTP


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    receiver: HttpOtlpReceiver

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout) is not an error worth a traceback on stderr."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _HttpHandler(BaseHTTPRequestHandler):
    # HTTP/1.0: one request per connection, so `stop` leaves no kept-alive
    # connection behind that would still be answered.
    protocol_version = "HTTP/1.0"
    server: _HttpServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the receiver records requests; stderr stays clean for tests."""

    def do_POST(self) -> None:
        signal = _HTTP_PATHS.get(urlsplit(self.path).path)
        if signal is None:
            self._reply(404, b"")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = (self.headers.get("Content-Encoding") or "identity").lower()
        try:
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "deflate":
                body = zlib.decompress(body)
            elif encoding == "zstd":  # as the Collector's confighttp accepts it
                body = zstandard.ZstdDecompressor().decompressobj().decompress(body)
            elif encoding != "identity":
                self._reply(415, b"")
                return
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if content_type != "application/x-protobuf":
                self._reply(415, b"")
                return
            request = _REQUEST_TYPES[signal].FromString(body)
        except (OSError, zlib.error, zstandard.ZstdError, EOFError, DecodeError) as error:
            self._reply(400, Status(code=3, message=str(error)).SerializeToString())
            return
        answer = self.server.receiver._receive(signal, request, dict(self.headers.items()), body)
        if answer is None:  # stopped while delaying: vanish like a dead server
            self.close_connection = True
            return
        if answer.outcome == "error":
            status = 503 if answer.retryable else 400
            headers = {}
            if answer.retry_after is not None:
                headers["Retry-After"] = str(max(0, round(answer.retry_after)))
            payload = Status(
                code=14 if answer.retryable else 3, message=answer.message or "fault injected"
            )
            self._reply(status, payload.SerializeToString(), headers)
            return
        self._reply(200, _response(signal, answer).SerializeToString())

    def _reply(self, status: int, body: bytes, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class HttpOtlpReceiver(OtlpReceiver):
    """OTLP/HTTP (binary protobuf) on ``host:port``: ``POST /v1/{metrics,logs,traces}``."""

    transport = "http"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._server: _HttpServer | None = None
        self._thread: threading.Thread | None = None

    def _start(self) -> int:
        server = _HttpServer((self.host, self.port), _HttpHandler)
        server.receiver = self
        if self.tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            with tempfile.TemporaryDirectory() as tmp:
                key, chain = Path(tmp, "key.pem"), Path(tmp, "chain.pem")
                key.write_bytes(self.tls.key_pem)
                chain.write_bytes(self.tls.chain_pem)
                context.load_cert_chain(chain, key)
            server.socket = context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return int(server.server_address[1])

    def _stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)
        self._server = self._thread = None


# ---------------------------------------------------------------------------
# A byte-counting TCP relay (to see compression on the wire)


class ByteCounter:
    """A loopback TCP relay to `target` that counts the bytes clients send."""

    def __init__(self, target_port: int, host: str = "127.0.0.1") -> None:
        self._target = (host, target_port)
        self._listener = socket.create_server((host, 0))
        self.port: int = self._listener.getsockname()[1]
        self.bytes_up = 0
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self._target)
            except OSError:  # the target is down: so is the relay, for this client
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, up: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if up:
                    with self._lock:
                        self.bytes_up += len(chunk)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._closed = True
        self._listener.close()


# ---------------------------------------------------------------------------
# Standalone


def summary(received: ReceivedRequest) -> str:
    """One line: transport, signal, item count, names, service, header names (never values)."""
    request = received.request
    names: Sequence[str]
    if isinstance(request, metrics_service_pb2.ExportMetricsServiceRequest):
        names = sorted({p.name for p in metric_points(request)})
        resources = [r.resource for r in request.resource_metrics]
    elif isinstance(request, logs_service_pb2.ExportLogsServiceRequest):
        names = sorted({r.event_name or "-" for r in log_views(request)})
        resources = [r.resource for r in request.resource_logs]
    else:
        names = sorted(
            {s.name for r in request.resource_spans for ss in r.scope_spans for s in ss.spans}
        )
        resources = [r.resource for r in request.resource_spans]
    services = sorted(
        {str(attributes_dict(r.attributes).get("service.name", "?")) for r in resources}
    )
    shown = ", ".join(names[:6]) + (f", ... (+{len(names) - 6})" if len(names) > 6 else "")
    header_names = ",".join(sorted(received.headers))
    return (
        f"{time.strftime('%H:%M:%S')} {received.transport} {received.signal} "
        f"{item_count(received.signal, request)} items [{shown}] service={','.join(services)} "
        f"outcome={received.outcome} headers={header_names}"
    )


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.otlp_receiver", description="A printing OTLP receiver."
    )
    parser.add_argument("--grpc", metavar="HOST:PORT", help="OTLP/gRPC listen address")
    parser.add_argument("--http", metavar="HOST:PORT", help="OTLP/HTTP listen address")
    args = parser.parse_args(argv)
    if not args.grpc and not args.http:
        args.grpc, args.http = "127.0.0.1:4317", "127.0.0.1:4318"

    def show(received: ReceivedRequest) -> None:
        print(summary(received), flush=True)

    receivers: list[OtlpReceiver] = []
    if args.grpc:
        receivers.append(GrpcOtlpReceiver(*_host_port(args.grpc), on_request=show))
    if args.http:
        receivers.append(HttpOtlpReceiver(*_host_port(args.http), on_request=show))
    done = threading.Event()
    signals.signal(signals.SIGTERM, lambda *_: done.set())
    try:
        for receiver in receivers:
            receiver.start()
            print(f"listening: OTLP/{receiver.transport} on {receiver.endpoint}", flush=True)
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for receiver in receivers:
            receiver.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
