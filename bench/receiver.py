"""A minimal OTLP receiver (gRPC or HTTP/protobuf) that only counts: what arrived, when,
how many points.

The test receiver (tests/otlp_receiver.py) keeps every request and flattens every
point, which at a million points a cycle would cost more than the bridge under
test. This one parses each metrics request once and keeps a few numbers. Over
HTTP it decodes gzip and zstd, as the Collector's OTLP/HTTP receiver does.
"""

from __future__ import annotations

import gzip
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import grpc
import zstandard
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)


@dataclass(frozen=True, slots=True)
class Arrival:
    received_ns: int
    points: int  # catalogue (entity) points; self-metrics excluded
    collected_ns: int  # the points' time_unix_nano: the collection they belong to
    size: int


class CountingReceiver:
    """OTLP/gRPC; `http=True`: OTLP/HTTP (POST /v1/metrics, /v1/logs)."""

    def __init__(self, *, http: bool = False) -> None:
        self.arrivals: list[Arrival] = []
        self._lock = threading.Lock()
        self._http: _HttpServer | None = None
        if http:
            self._http = _HttpServer(("127.0.0.1", 0), _HttpHandler)
            self._http.receiver = self
            self.port = int(self._http.server_address[1])
            return
        self._server = grpc.server(
            ThreadPoolExecutor(max_workers=4),
            options=[("grpc.max_receive_message_length", 64 * 1024 * 1024)],
        )
        handlers = {"Export": grpc.unary_unary_rpc_method_handler(self._metrics)}
        logs = {"Export": grpc.unary_unary_rpc_method_handler(self._ignore)}
        self._server.add_generic_rpc_handlers(
            (
                grpc.method_handlers_generic_handler(
                    "opentelemetry.proto.collector.metrics.v1.MetricsService", handlers
                ),
                grpc.method_handlers_generic_handler(
                    "opentelemetry.proto.collector.logs.v1.LogsService", logs
                ),
            )
        )
        self.port = self._server.add_insecure_port("127.0.0.1:0")

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self._http is not None:
            threading.Thread(target=self._http.serve_forever, daemon=True).start()
        else:
            self._server.start()

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        else:
            self._server.stop(grace=None)

    def _ignore(self, body: bytes, context: Any) -> bytes:
        return b""  # an empty Export*ServiceResponse

    def _metrics(self, body: bytes, context: Any) -> bytes:
        received = time.time_ns()
        request = ExportMetricsServiceRequest.FromString(body)
        points = 0
        collected = 0
        for rm in request.resource_metrics:
            for sm in rm.scope_metrics:
                for metric in sm.metrics:
                    if metric.name.startswith("central_otel."):
                        continue
                    kind = metric.WhichOneof("data")
                    if kind is None:
                        continue
                    data_points = getattr(metric, kind).data_points
                    points += len(data_points)
                    if data_points:
                        collected = max(collected, data_points[0].time_unix_nano)
        if points:
            with self._lock:
                self.arrivals.append(Arrival(received, points, collected, len(body)))
        return b""


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    receiver: CountingReceiver


class _HttpHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the exporters' sessions use it
    server: _HttpServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = (self.headers.get("Content-Encoding") or "").lower()
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "zstd":
            body = zstandard.ZstdDecompressor().decompressobj().decompress(body)
        if self.path.endswith("/v1/metrics"):
            self.server.receiver._metrics(body, None)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()
