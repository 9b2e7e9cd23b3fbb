"""`Telemetry(config)` end to end: instruments and events reach a real OTLP receiver."""

from __future__ import annotations

import logging

import pytest
from opentelemetry.metrics import CallbackOptions, Observation

from central_otel import __version__
from central_otel.telemetry import (
    SeverityNumber,
    Telemetry,
    default_instance_id,
    emit_event,
    target,
)
from tests.otlp_receiver import (
    ByteCounter,
    GrpcOtlpReceiver,
    HttpOtlpReceiver,
    MetricPoint,
    OtlpReceiver,
)
from tests.telemetry_support import FAST, otlp_config, running

EVENT_TIME = 1_735_689_600_000_000_000  # 2025-01-01T00:00:00Z
MAC = "AA-BB-CC-00-11-22"


@pytest.fixture
def receiver(otlp_receiver: OtlpReceiver) -> OtlpReceiver:
    return otlp_receiver


def instrument(telemetry: Telemetry) -> None:
    """An observable gauge, an observable counter and a synchronous counter."""
    meter = telemetry.meter("central_otel.test")

    def noise_floor(options: CallbackOptions) -> list[Observation]:
        return [Observation(-95, {"host.id": "CNF7G9Q1", "hw.network.physical_address": MAC})]

    def network_io(options: CallbackOptions) -> list[Observation]:
        return [
            Observation(1234, {"host.id": "CNF7G9Q1", "network.io.direction": "transmit"}),
            Observation(5678, {"host.id": "CNF7G9Q1", "network.io.direction": "receive"}),
        ]

    meter.create_observable_gauge(
        "aruba.radio.noise_floor", [noise_floor], unit="dBm", description="Noise floor"
    )
    meter.create_observable_counter("hw.network.io", [network_io], unit="By")
    meter.create_counter("aruba.frames", unit="{frame}").add(7, {"topic": "monitoring"})


def by_attribute(points: list[MetricPoint], key: str) -> dict[object, MetricPoint]:
    return {p.attributes[key]: p for p in points}


def test_metrics_arrive_with_names_units_values_and_resource(
    receiver: OtlpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=lab,k8s.pod.name=p1"
    )
    with running(Telemetry(otlp_config(receiver), options=FAST)) as telemetry:
        instrument(telemetry)
        receiver.wait_for(lambda: receiver.latest("hw.network.io"))

    [gauge] = receiver.latest("aruba.radio.noise_floor")
    assert (gauge.kind, gauge.unit, gauge.value) == ("gauge", "dBm", -95)
    assert gauge.description == "Noise floor"
    assert gauge.attributes == {"host.id": "CNF7G9Q1", "hw.network.physical_address": MAC}
    assert gauge.scope == "central_otel.test"
    io = by_attribute(receiver.latest("hw.network.io"), "network.io.direction")
    assert {d: (p.value, p.unit, p.kind, p.monotonic) for d, p in io.items()} == {
        "transmit": (1234, "By", "sum", True),
        "receive": (5678, "By", "sum", True),
    }
    assert {p.temporality for p in io.values()} == {"cumulative"}
    [frames] = receiver.latest("aruba.frames")
    assert (frames.value, frames.attributes) == (7, {"topic": "monitoring"})

    resource = gauge.resource
    assert resource["service.name"] == "central-otel"
    assert resource["service.version"] == __version__
    assert resource["service.instance.id"] == default_instance_id()
    assert resource["deployment.environment.name"] == "lab"
    assert resource["k8s.pod.name"] == "p1"
    assert resource["telemetry.sdk.language"] == "python"


def test_log_event_arrives_with_its_own_time(receiver: OtlpReceiver) -> None:
    with running(Telemetry(otlp_config(receiver), options=FAST)) as telemetry:
        emit_event(
            telemetry.logger("central_otel.events"),
            event_name="aruba.security.rogue_ap_detected",
            severity_number=SeverityNumber.WARN,
            body="Rogue AP detected on channel 36",
            attributes={"host.id": "CNF7G9Q1", "aruba.rogue.ssid": "FreeWifi", "channel": 36},
            timestamp_ns=EVENT_TIME,
        )
        receiver.wait_for(receiver.log_records)

    [record] = receiver.log_records()
    assert record.event_name == "aruba.security.rogue_ap_detected"
    assert record.severity_number == 13
    assert record.severity_text == ""
    assert record.body == "Rogue AP detected on channel 36"
    assert record.attributes == {
        "host.id": "CNF7G9Q1",
        "aruba.rogue.ssid": "FreeWifi",
        "channel": 36,
    }
    assert record.time_unix_nano == EVENT_TIME
    assert record.observed_time_unix_nano > EVENT_TIME
    assert record.scope == "central_otel.events"
    assert record.resource["service.name"] == "central-otel"


def test_headers_arrive_but_are_never_shown(
    receiver: OtlpReceiver, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    headers = {"authorization": "Bearer SeCrEt-123", "x-scope-orgid": "tenant-SeCrEt"}
    config = otlp_config(receiver, headers=headers)
    with running(Telemetry(config, options=FAST)) as telemetry:
        instrument(telemetry)
        receiver.wait_for(receiver.metrics)
        # The failure paths log too: make one export fail.
        receiver.fail(retryable=False)
        receiver.wait_for(lambda: telemetry.export_stats.self_metrics.exports_failed)
        shown = [
            repr(telemetry),
            telemetry.describe(),
            repr(target(config)),
            repr(config),
            repr(telemetry.export_stats),
            repr(telemetry.metric_reader),
            repr(telemetry.metric_exporter),
            repr(telemetry.log_exporter),
            repr(vars(telemetry)),
        ]

    received = receiver.headers("metrics")[0]
    assert received["authorization"] == "Bearer SeCrEt-123"
    assert received["x-scope-orgid"] == "tenant-SeCrEt"
    assert "authorization" in telemetry.describe()
    captured = capsys.readouterr()
    for text in [*shown, caplog.text, captured.out, captured.err]:
        assert "SeCrEt" not in text


def test_gzip_and_none_on_the_wire(receiver: OtlpReceiver) -> None:
    sent = {}
    for compression in ("gzip", "none"):
        relay = ByteCounter(receiver.port)
        config = otlp_config(
            receiver,
            endpoint=f"http://127.0.0.1:{relay.port}",
            compression=compression,
            export_interval=60,
        )
        with running(Telemetry(config, options=FAST)) as telemetry:
            meter = telemetry.meter("central_otel.test")
            counter = meter.create_counter("aruba.compressible")
            for i in range(50):
                counter.add(i, {"host.name": f"building-7-floor-3-access-point-{i:03d}"})
        sent[compression] = relay.bytes_up
        relay.close()
    assert len(receiver.metrics("aruba.compressible")) == 100  # both decoded
    assert sent["gzip"] * 3 < sent["none"]
    if isinstance(receiver, HttpOtlpReceiver):
        encodings = [h.get("content-encoding") for h in receiver.headers("metrics")]
        assert encodings == ["gzip", None]


def test_configuration_wins_over_sdk_environment(
    receiver: OtlpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Endpoint, compression, timeout and interval come from the config; env headers
    are a base that configured headers override."""
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"):
        monkeypatch.setenv(name, "http://127.0.0.1:9/v1/metrics")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")
    monkeypatch.setenv("OTEL_METRIC_EXPORT_INTERVAL", "600000")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "authorization=from-env,x-env=yes")
    config = otlp_config(receiver, headers={"authorization": "from-config"}, compression="none")
    with running(Telemetry(config, options=FAST)) as telemetry:
        instrument(telemetry)
        receiver.wait_for(receiver.metrics)

    headers = receiver.headers("metrics")[0]
    assert headers["authorization"] == "from-config"
    assert headers["x-env"] == "yes"
    assert "content-encoding" not in headers


def test_environment_headers_apply_when_config_has_none(
    otlp_grpc_receiver: GrpcOtlpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_LOGS_HEADERS", "x-logs-only=1")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "x-all=1")
    with running(Telemetry(otlp_config(otlp_grpc_receiver), options=FAST)) as telemetry:
        instrument(telemetry)
        emit_event(telemetry.logger("t"), event_name="e", severity_number=SeverityNumber.INFO)
        otlp_grpc_receiver.wait_for(
            lambda: otlp_grpc_receiver.metrics() and otlp_grpc_receiver.log_records()
        )
    assert otlp_grpc_receiver.headers("metrics")[0]["x-all"] == "1"
    logs_headers = otlp_grpc_receiver.headers("logs")[0]
    assert logs_headers["x-logs-only"] == "1"
    assert "x-all" not in logs_headers  # the signal-specific variable replaces the generic one
