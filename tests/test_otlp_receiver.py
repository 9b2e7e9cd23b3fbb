"""The OTLP test receiver, driven by the SDK's own OTLP exporters (gRPC and HTTP)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import (
    OTLPMetricExporter as GrpcMetricExporter,
)
from opentelemetry.exporter.otlp.proto.http import Compression as HttpCompression
from opentelemetry.exporter.otlp.proto.http.metric_exporter import (
    OTLPMetricExporter as HttpMetricExporter,
)
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import (
    metrics_service_pb2,
    metrics_service_pb2_grpc,
)
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import (
    InMemoryMetricReader,
    MetricExporter,
    MetricExportResult,
    MetricsData,
)
from opentelemetry.sdk.resources import Resource

from central_otel.telemetry.logs_api import (
    LoggerProvider,
    LogRecordExporter,
    LogRecordExportResult,
    ReadableLogRecord,
    SeverityNumber,
    SimpleLogRecordProcessor,
    emit_event,
    memory_log_exporter,
    otlp_log_exporter_class,
)
from tests.otlp_receiver import (
    ByteCounter,
    GrpcOtlpReceiver,
    HttpOtlpReceiver,
    OtlpReceiver,
)

RESOURCE = Resource({"service.name": "receiver-test", "deployment.environment.name": "ci"})
EVENT_TIME = 1_700_000_000_123_456_789


@pytest.fixture
def receiver(otlp_receiver: OtlpReceiver) -> OtlpReceiver:
    return otlp_receiver


def metrics_data() -> MetricsData:
    """A counter and an observable gauge, collected once."""
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], resource=RESOURCE, shutdown_on_exit=False)
    meter = provider.get_meter("receiver.scope")
    meter.create_counter("test.requests", unit="{request}", description="Requests").add(
        3, {"route": "/a", "ok": True}
    )

    def temperature(options: CallbackOptions) -> list[Observation]:
        return [Observation(21.5, {"room": "lab"}), Observation(19.0, {"room": "hall"})]

    meter.create_observable_gauge("test.temperature", [temperature], unit="Cel")
    data = reader.get_metrics_data()
    provider.shutdown()
    assert data is not None
    return data


def log_batch() -> list[ReadableLogRecord]:
    exporter = memory_log_exporter()
    provider = LoggerProvider(resource=RESOURCE, shutdown_on_exit=False)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    emit_event(
        provider.get_logger("receiver.events"),
        event_name="test.door_opened",
        severity_number=SeverityNumber.WARN,
        body="door 3 opened",
        attributes={"door": 3, "tags": ("a", "b")},
        timestamp_ns=EVENT_TIME,
    )
    return list(exporter.get_finished_logs())


def metric_exporter(receiver: OtlpReceiver, **kwargs: Any) -> MetricExporter:
    gzip = kwargs.pop("gzip", False)
    if isinstance(receiver, GrpcOtlpReceiver):
        compression = grpc.Compression.Gzip if gzip else grpc.Compression.NoCompression
        return GrpcMetricExporter(
            endpoint=receiver.endpoint, insecure=True, compression=compression, **kwargs
        )
    compression = HttpCompression.Gzip if gzip else HttpCompression.NoCompression
    return HttpMetricExporter(
        endpoint=f"{receiver.endpoint}/v1/metrics", compression=compression, **kwargs
    )


def log_exporter(receiver: OtlpReceiver, **kwargs: Any) -> LogRecordExporter:
    if isinstance(receiver, GrpcOtlpReceiver):
        grpc_exporter = otlp_log_exporter_class("grpc")
        return grpc_exporter(endpoint=receiver.endpoint, insecure=True, **kwargs)
    http_exporter = otlp_log_exporter_class("http/protobuf")
    return http_exporter(endpoint=f"{receiver.endpoint}/v1/logs", **kwargs)


@pytest.fixture
def exporters() -> Iterator[list[MetricExporter | LogRecordExporter]]:
    """Exporters to shut down after the test (closes channels and sessions)."""
    made: list[MetricExporter | LogRecordExporter] = []
    yield made
    for exporter in made:
        exporter.shutdown()


def test_metrics_arrive_flattened(receiver: OtlpReceiver, exporters: list[Any]) -> None:
    exporter = metric_exporter(receiver, headers={"authorization": "Bearer t0ken"})
    exporters.append(exporter)

    assert exporter.export(metrics_data()) is MetricExportResult.SUCCESS

    [request] = receiver.requests("metrics")
    assert request.transport == receiver.transport
    assert request.outcome == "ok"
    assert request.headers["authorization"] == "Bearer t0ken"
    points = {(p.name, tuple(sorted(p.attributes.items()))): p for p in receiver.metrics()}
    counter = points[("test.requests", (("ok", True), ("route", "/a")))]
    assert (counter.kind, counter.unit, counter.value) == ("sum", "{request}", 3)
    assert (counter.monotonic, counter.temporality) == (True, "cumulative")
    assert counter.description == "Requests"
    assert counter.scope == "receiver.scope"
    assert counter.resource["service.name"] == "receiver-test"
    assert counter.resource["deployment.environment.name"] == "ci"
    assert counter.time_unix_nano > counter.start_time_unix_nano > 0
    gauges = {p.attributes["room"]: p.value for p in receiver.metrics("test.temperature")}
    assert gauges == {"lab": 21.5, "hall": 19.0}
    assert {p.unit for p in receiver.latest("test.temperature")} == {"Cel"}
    assert receiver.metric_names() == {"test.requests", "test.temperature"}


def test_log_records_arrive_flattened(receiver: OtlpReceiver, exporters: list[Any]) -> None:
    exporter = log_exporter(receiver, headers={"x-tenant": "acme"})
    exporters.append(exporter)

    assert exporter.export(log_batch()) is LogRecordExportResult.SUCCESS

    [record] = receiver.log_records("test.door_opened")
    assert record.severity_number == SeverityNumber.WARN.value
    assert record.body == "door 3 opened"
    assert record.attributes == {"door": 3, "tags": ["a", "b"]}
    assert record.time_unix_nano == EVENT_TIME
    assert record.observed_time_unix_nano > EVENT_TIME
    assert record.scope == "receiver.events"
    assert record.resource["service.name"] == "receiver-test"
    assert receiver.headers("logs")[0]["x-tenant"] == "acme"


def test_http_gzip_is_decoded(otlp_http_receiver: HttpOtlpReceiver, exporters: list[Any]) -> None:
    for gzip in (True, False):
        exporter = metric_exporter(otlp_http_receiver, gzip=gzip)
        exporters.append(exporter)
        assert exporter.export(metrics_data()) is MetricExportResult.SUCCESS
    gzipped, plain = otlp_http_receiver.requests("metrics")
    assert gzipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    values = [(p.name, p.value) for p in otlp_http_receiver.metrics()]
    assert values[:3] == values[3:]  # both decoded alike
    assert sorted(values[:3]) == [
        ("test.requests", 3),
        ("test.temperature", 19.0),
        ("test.temperature", 21.5),
    ]


def test_grpc_gzip_shrinks_the_bytes_on_the_wire(
    otlp_grpc_receiver: GrpcOtlpReceiver, exporters: list[Any]
) -> None:
    """gRPC hides message compression from the servicer: count bytes through a relay."""
    sent = {}
    for gzip in (True, False):
        relay = ByteCounter(otlp_grpc_receiver.port)
        exporter = GrpcMetricExporter(
            endpoint=f"http://127.0.0.1:{relay.port}",
            insecure=True,
            compression=grpc.Compression.Gzip if gzip else grpc.Compression.NoCompression,
        )
        exporters.append(exporter)
        data = metrics_data()
        assert exporter.export(data) is MetricExportResult.SUCCESS
        exporter.export(data)
        sent[gzip] = relay.bytes_up
        relay.close()
    assert len(otlp_grpc_receiver.metrics()) == 12  # 4 requests x 3 points, all decoded
    assert sent[True] < sent[False]


def test_errors_make_the_exporter_fail(receiver: OtlpReceiver, exporters: list[Any]) -> None:
    exporter = metric_exporter(receiver, timeout=2)
    exporters.append(exporter)
    receiver.fail(retryable=False)

    assert exporter.export(metrics_data()) is MetricExportResult.FAILURE
    [request] = receiver.requests()
    assert request.outcome == "error"
    assert receiver.metrics() == []  # the helpers only show accepted data
    receiver.clear_faults()
    assert exporter.export(metrics_data()) is MetricExportResult.SUCCESS
    assert len(receiver.metrics()) == 3


def test_retryable_error_then_success(receiver: OtlpReceiver, exporters: list[Any]) -> None:
    """UNAVAILABLE/503 once, with a zero retry delay: the SDK retries and succeeds."""
    exporter = metric_exporter(receiver, timeout=5)
    exporters.append(exporter)
    receiver.fail(retryable=True, count=1, retry_after=0)

    assert exporter.export(metrics_data()) is MetricExportResult.SUCCESS
    assert [r.outcome for r in receiver.requests()] == ["error", "ok"]


def test_fault_for_one_signal_only(receiver: OtlpReceiver, exporters: list[Any]) -> None:
    metrics, logs = metric_exporter(receiver, timeout=2), log_exporter(receiver, timeout=2)
    exporters += [metrics, logs]
    receiver.fail(retryable=False, signal="logs")

    assert metrics.export(metrics_data()) is MetricExportResult.SUCCESS
    assert logs.export(log_batch()) is LogRecordExportResult.FAILURE


def test_partial_success_is_answered() -> None:
    with GrpcOtlpReceiver() as receiver, grpc.insecure_channel(f"127.0.0.1:{receiver.port}") as ch:
        receiver.partial_success(2, "two points too old", signal="metrics")
        stub = metrics_service_pb2_grpc.MetricsServiceStub(ch)  # type: ignore[no-untyped-call]
        response = stub.Export(metrics_service_pb2.ExportMetricsServiceRequest(), timeout=5)
    assert response.partial_success.rejected_data_points == 2
    assert response.partial_success.error_message == "two points too old"
    assert receiver.requests()[0].outcome == "partial"

    with HttpOtlpReceiver() as http_receiver:
        http_receiver.partial_success(1, "one record refused")
        body = logs_service_pb2.ExportLogsServiceRequest().SerializeToString()
        http_request = urllib.request.Request(
            f"{http_receiver.endpoint}/v1/logs",
            data=body,
            headers={"Content-Type": "application/x-protobuf"},
        )
        with urllib.request.urlopen(http_request, timeout=5) as answer:
            logs_response = logs_service_pb2.ExportLogsServiceResponse.FromString(answer.read())
    assert logs_response.partial_success.rejected_log_records == 1
    assert logs_response.partial_success.error_message == "one record refused"


def test_http_refuses_unknown_paths_and_json(otlp_http_receiver: HttpOtlpReceiver) -> None:
    def post(path: str, content_type: str) -> int:
        request = urllib.request.Request(
            f"{otlp_http_receiver.endpoint}{path}",
            data=b"{}",
            headers={"Content-Type": content_type},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return error.code

    assert post("/v1/nothing", "application/x-protobuf") == 404
    assert post("/v1/metrics", "application/json") == 415
    assert otlp_http_receiver.requests() == []


def test_delay_exceeding_the_timeout_fails(receiver: OtlpReceiver, exporters: list[Any]) -> None:
    exporter = metric_exporter(receiver, timeout=0.3)
    exporters.append(exporter)
    receiver.set_delay(1.0)

    started = time.monotonic()
    assert exporter.export(metrics_data()) is MetricExportResult.FAILURE
    assert time.monotonic() - started < 1.0
    receiver.set_delay(0.05)
    assert exporter.export(metrics_data()) is MetricExportResult.SUCCESS


def test_stop_and_start_on_the_same_port(receiver: OtlpReceiver, exporters: list[Any]) -> None:
    exporter = metric_exporter(receiver, timeout=0.5)
    exporters.append(exporter)
    port = receiver.port
    receiver.stop()
    assert not receiver.running

    assert exporter.export(metrics_data()) is MetricExportResult.FAILURE

    receiver.start()
    assert receiver.port == port
    receiver.wait_for(lambda: exporter.export(metrics_data()) is MetricExportResult.SUCCESS)
    assert len(receiver.metrics()) >= 3


def test_wait_for_times_out_with_a_description(otlp_grpc_receiver: GrpcOtlpReceiver) -> None:
    with pytest.raises(AssertionError, match="nothing will come"):
        otlp_grpc_receiver.wait_for(lambda: False, timeout=0.1, message="nothing will come")


def test_standalone_prints_one_line_per_request(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.otlp_receiver", "--grpc", "127.0.0.1:0"],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        listening = process.stdout.readline()
        assert listening.startswith("listening: OTLP/grpc on http://127.0.0.1:")
        endpoint = listening.split(" on ")[1].strip()
        exporter = GrpcMetricExporter(
            endpoint=endpoint, insecure=True, headers={"authorization": "Bearer hidden"}
        )
        assert exporter.export(metrics_data()) is MetricExportResult.SUCCESS
        exporter.shutdown()
        line = process.stdout.readline()
        assert " grpc metrics 3 items [test.requests, test.temperature] " in line
        assert "service=receiver-test" in line
        assert "authorization" in line
        assert "hidden" not in line  # header names only
    finally:
        process.terminate()
        assert process.wait(10) == 0
