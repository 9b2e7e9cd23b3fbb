"""A backend that is slow, down or coming back: bounded shutdown, counted losses."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

import pytest
from opentelemetry.sdk.metrics.export import MetricExporter, MetricExportResult, MetricsData

from central_otel.secret import Secret
from central_otel.telemetry import SeverityNumber, Telemetry, TelemetryOptions, emit_event
from central_otel.telemetry.logs_api import (
    CountingBatchLogRecordProcessor,
    LoggerProvider,
    LogRecordExporter,
    LogRecordExportResult,
    ReadableLogRecord,
)
from central_otel.telemetry.sdk_metrics import CUMULATIVE, CountingMetricExporter
from central_otel.telemetry.stats import ExportStats
from tests.otlp_receiver import GrpcOtlpReceiver, HttpOtlpReceiver, OtlpReceiver
from tests.telemetry_support import FAST, otlp_config, running


@pytest.fixture
def receiver(otlp_receiver: OtlpReceiver) -> OtlpReceiver:
    return otlp_receiver


def some_telemetry(telemetry: Telemetry) -> None:
    telemetry.meter("t").create_counter("aruba.frames").add(1)
    emit_event(telemetry.logger("t"), event_name="aruba.e", severity_number=SeverityNumber.INFO)


def test_shutdown_flushes_metrics_and_logs(receiver: OtlpReceiver) -> None:
    """Nothing is due for a minute, yet shutdown delivers everything, quickly."""
    config = otlp_config(receiver, export_interval=60)
    telemetry = Telemetry(config, options=TelemetryOptions(log_schedule_delay=60))
    some_telemetry(telemetry)
    assert receiver.requests() == []

    started = time.monotonic()
    assert telemetry.shutdown(5) is True
    assert time.monotonic() - started < 2
    assert [p.value for p in receiver.metrics("aruba.frames")] == [1]
    assert [r.event_name for r in receiver.log_records()] == ["aruba.e"]
    assert telemetry.shutdown(5) is True  # idempotent


def test_force_flush_exports_now(receiver: OtlpReceiver) -> None:
    config = otlp_config(receiver, export_interval=60)
    options = TelemetryOptions(log_schedule_delay=60)
    with running(Telemetry(config, options=options)) as telemetry:
        some_telemetry(telemetry)
        assert telemetry.force_flush(5) is True
        assert receiver.metrics("aruba.frames")
        assert receiver.log_records("aruba.e")
        stats = telemetry.export_stats
        assert (stats.self_metrics.exports_succeeded, stats.logs.items_exported) == (1, 1)


def test_backend_down_shutdown_is_bounded_and_counted(
    receiver: OtlpReceiver,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The SDK would retry for the whole export timeout (10 s); shutdown takes its bound."""
    receiver.stop()
    config = otlp_config(receiver, export_interval=60, timeout=10)
    telemetry = Telemetry(config, options=TelemetryOptions(log_schedule_delay=60))
    some_telemetry(telemetry)

    started = time.monotonic()
    telemetry.shutdown(1.0)
    assert time.monotonic() - started < 1.3
    stats = telemetry.export_stats
    # The abandoned exports end (as failures) right after the exporters close.
    receiver.wait_for(lambda: stats.self_metrics.exports_failed and stats.logs.exports_failed, 5)
    assert stats.self_metrics.snapshot().items_failed == 1
    assert stats.logs.snapshot().items_lost == 1
    assert stats.self_metrics.exports_succeeded == 0
    assert stats.self_metrics.last_error is not None
    assert "Traceback" not in capsys.readouterr().err
    assert not [r for r in caplog.records if r.exc_info]


def test_export_resumes_when_the_backend_returns(receiver: OtlpReceiver) -> None:
    receiver.stop()
    config = otlp_config(receiver, timeout=0.5)
    with running(Telemetry(config, options=FAST)) as telemetry:
        some_telemetry(telemetry)
        stats = telemetry.export_stats
        receiver.wait_for(lambda: stats.self_metrics.exports_failed >= 1, 5)
        receiver.wait_for(lambda: stats.logs.exports_failed >= 1, 5)
        assert stats.self_metrics.exports_succeeded == 0

        receiver.start()
        receiver.wait_for(lambda: receiver.metrics("aruba.frames"), 10)
        receiver.wait_for(lambda: stats.self_metrics.exports_succeeded >= 1, 5)
        assert stats.self_metrics.last_error is None
        # A later log event gets through as well (the failed batch was lost: counted).
        emit_event(
            telemetry.logger("t"), event_name="aruba.later", severity_number=SeverityNumber.INFO
        )
        receiver.wait_for(lambda: receiver.log_records("aruba.later"), 10)
        assert stats.logs.items_failed >= 1


def test_slow_backend_fills_the_log_queue_and_drops_are_counted(
    otlp_grpc_receiver: GrpcOtlpReceiver,
) -> None:
    otlp_grpc_receiver.set_delay(1.0)
    options = TelemetryOptions(log_queue_size=4, log_batch_size=4, log_schedule_delay=60)
    config = otlp_config(otlp_grpc_receiver, export_interval=60, timeout=5)
    telemetry = Telemetry(config, options=options)
    logger = telemetry.logger("t")
    for _ in range(4):  # a full batch wakes the worker, which then waits on the backend
        emit_event(logger, event_name="aruba.first", severity_number=SeverityNumber.INFO)
    processor = telemetry.log_processor
    assert isinstance(processor, CountingBatchLogRecordProcessor)
    otlp_grpc_receiver.wait_for(lambda: processor.queue_length() == 0)  # taken by the worker
    for _ in range(20):
        emit_event(logger, event_name="aruba.burst", severity_number=SeverityNumber.INFO)
    stats = telemetry.export_stats.logs
    assert stats.items_dropped == 16  # 4 queued, the oldest 16 of the burst evicted
    otlp_grpc_receiver.set_delay(0)
    assert telemetry.shutdown(5)
    assert len(otlp_grpc_receiver.log_records()) == 8
    assert stats.items_exported == 8


class BlockingExporter(LogRecordExporter):
    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.exported: list[ReadableLogRecord] = []

    def export(self, batch: Sequence[ReadableLogRecord]) -> LogRecordExportResult:
        self.entered.set()
        self.release.wait(5)
        self.exported.extend(batch)
        return LogRecordExportResult.SUCCESS

    def shutdown(self) -> None:
        self.release.set()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return True


def test_counting_processor_counts_exactly() -> None:
    drops: list[int] = []
    exporter = BlockingExporter()
    processor = CountingBatchLogRecordProcessor(
        exporter,
        on_drop=drops.append,
        max_queue_size=3,
        max_export_batch_size=3,
        schedule_delay_millis=60_000,
    )
    assert processor.max_queue_size == 3
    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(processor)
    logger = provider.get_logger("t")
    for i in range(3):
        emit_event(logger, event_name=f"a{i}", severity_number=SeverityNumber.INFO)
    assert exporter.entered.wait(5)  # the worker took those 3 and is stuck exporting
    for i in range(5):
        emit_event(logger, event_name=f"b{i}", severity_number=SeverityNumber.INFO)
    assert processor.queue_length() == 3
    assert sum(drops) == 2
    exporter.release.set()
    processor.shutdown(timeout_millis=5000)
    names = [r.log_record.event_name for r in exporter.exported]
    assert names == ["a0", "a1", "a2", "b2", "b3", "b4"]  # the oldest were evicted
    emit_event(logger, event_name="late", severity_number=SeverityNumber.INFO)
    assert sum(drops) == 3  # after shutdown: ignored by the SDK, counted here


class RaisingExporter(MetricExporter):
    def __init__(self) -> None:
        super().__init__(preferred_temporality=CUMULATIVE)

    def export(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: object
    ) -> MetricExportResult:
        raise ConnectionError("collector said: token Bearer TOPSECRET is invalid")

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        return True

    def shutdown(self, timeout_millis: float = 30_000, **kwargs: object) -> None:
        pass


def test_exporter_exception_is_a_counted_failure_without_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stats = ExportStats("metrics")
    exporter = CountingMetricExporter(
        RaisingExporter(),
        stats,
        preferred_temporality=CUMULATIVE,
        secrets=[Secret("Bearer TOPSECRET")],
    )
    result = exporter.export(MetricsData(resource_metrics=[]))
    assert result is MetricExportResult.FAILURE
    snapshot = stats.snapshot()
    assert (snapshot.exports_failed, snapshot.last_error) == (1, "ConnectionError")
    assert snapshot.last_export_duration is not None
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert "TOPSECRET" not in caplog.text
    assert "token <redacted> is invalid" in caplog.text


def test_slow_export_duration_is_recorded(otlp_http_receiver: HttpOtlpReceiver) -> None:
    otlp_http_receiver.set_delay(0.3)
    config = otlp_config(otlp_http_receiver, export_interval=60, timeout=5)
    with running(Telemetry(config, options=FAST)) as telemetry:
        some_telemetry(telemetry)
        assert telemetry.force_flush(5)
        duration = telemetry.export_stats.self_metrics.last_export_duration
        assert duration is not None
        assert 0.3 <= duration < 2
        assert telemetry.export_stats.self_metrics.last_export_unix is not None
