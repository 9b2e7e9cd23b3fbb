"""A minimal OTLP/gRPC receiver that only counts: what arrived, when, how many points.

The test receiver (tests/otlp_receiver.py) keeps every request and flattens every
point, which at a million points a cycle would cost more than the bridge under
test. This one parses each metrics request once and keeps a few numbers.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import grpc
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
    def __init__(self) -> None:
        self.arrivals: list[Arrival] = []
        self._lock = threading.Lock()
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
        self._server.start()

    def stop(self) -> None:
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
