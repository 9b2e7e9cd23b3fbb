"""Telemetry pieces without a network: URLs, resource, modes, limits, the logs-API fence."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

import pytest
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics.export import NumberDataPoint
from opentelemetry.sdk.metrics.view import DropAggregation, View

from central_otel import __version__
from central_otel.config.model import FrozenDict, OtlpConfig
from central_otel.secret import Secret
from central_otel.telemetry import (
    SeverityNumber,
    Telemetry,
    TelemetryOptions,
    build_resource,
    default_instance_id,
    emit_event,
    signal_url,
    target,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("endpoint", "metrics", "logs"),
    [
        ("http://c:4318", "http://c:4318/v1/metrics", "http://c:4318/v1/logs"),
        ("http://c:4318/", "http://c:4318/v1/metrics", "http://c:4318/v1/logs"),
        ("https://gw.example/otlp", "https://gw.example/otlp/v1/metrics", "https://gw.example/otlp/v1/logs"),
        ("https://gw.example/otlp/v1/metrics", "https://gw.example/otlp/v1/metrics", "https://gw.example/otlp/v1/logs"),
        ("http://c:4318/v1/logs/", "http://c:4318/v1/metrics", "http://c:4318/v1/logs"),
    ],
)  # fmt: skip
def test_http_signal_urls(endpoint: str, metrics: str, logs: str) -> None:
    assert signal_url(endpoint, "metrics") == metrics
    assert signal_url(endpoint, "logs") == logs


def test_target_describes_without_header_values() -> None:
    config = OtlpConfig(
        endpoint="https://otel.example:4317",
        headers=FrozenDict({"authorization": Secret("Bearer xyz-very-secret")}),
        compression="none",
        timeout=3,
    )
    described = target(config)
    assert described.tls is True
    assert described.header_names == ("authorization",)
    text = f"{described!r} {described.describe()}"
    assert "xyz-very-secret" not in text
    assert described.describe() == (
        "OTLP/grpc to https://otel.example:4317 (TLS, compression none, timeout 3s, "
        "headers: authorization)"
    )
    http = target(OtlpConfig(endpoint="http://c:4318", protocol="http/protobuf"))
    assert (http.tls, http.metrics_endpoint, http.logs_endpoint) == (
        False,
        "http://c:4318/v1/metrics",
        "http://c:4318/v1/logs",
    )


def test_resource_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTEL_RESOURCE_ATTRIBUTES", raising=False)
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    attributes = build_resource().attributes
    assert attributes["service.name"] == "central-otel"
    assert attributes["service.version"] == __version__
    assert attributes["service.instance.id"] == default_instance_id()
    assert attributes["telemetry.sdk.name"] == "opentelemetry"


def test_resource_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    """Defaults < OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME < explicit arguments."""
    monkeypatch.setenv(
        "OTEL_RESOURCE_ATTRIBUTES",
        "service.instance.id=from-env,service.namespace=netops,site=Paris%20HQ",
    )
    monkeypatch.setenv("OTEL_SERVICE_NAME", "aruba-bridge")
    attributes = build_resource().attributes
    assert attributes["service.name"] == "aruba-bridge"
    assert attributes["service.instance.id"] == "from-env"
    assert attributes["service.namespace"] == "netops"
    assert attributes["site"] == "Paris HQ"
    assert attributes["service.version"] == __version__

    explicit = build_resource("cli-given", {"site": "Lyon"}).attributes
    assert (explicit["service.instance.id"], explicit["site"]) == ("cli-given", "Lyon")


def test_default_instance_id_is_a_stable_uuid5(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTNAME", "central-otel-7d9f-abcde")
    first = default_instance_id()
    assert first == default_instance_id("central-otel-7d9f-abcde")
    assert uuid.UUID(first).version == 5
    assert default_instance_id("other-pod") != first
    assert uuid.UUID(default_instance_id("")).version == 4  # no host name: random


def test_otlp_mode_needs_a_config() -> None:
    with pytest.raises(ValueError, match="OtlpConfig"):
        Telemetry()


def test_in_memory_mode_metrics_and_logs() -> None:
    telemetry = Telemetry.in_memory()
    meter = telemetry.meter("central_otel.test")
    meter.create_counter("aruba.frames", unit="{frame}").add(2, {"topic": "audit"})
    emit_event(
        telemetry.logger("central_otel.events"),
        event_name="aruba.audit.config_changed",
        severity_number=SeverityNumber.INFO,
        body="changed",
        attributes={"user": "admin"},
        timestamp_ns=42,
    )
    [resource_metrics] = telemetry.collect().resource_metrics
    [metric] = resource_metrics.scope_metrics[0].metrics
    assert (metric.name, metric.unit) == ("aruba.frames", "{frame}")
    [point] = metric.data.data_points
    assert isinstance(point, NumberDataPoint)
    assert (point.value, dict(point.attributes or {})) == (2, {"topic": "audit"})
    assert resource_metrics.resource.attributes["service.name"] == "central-otel"
    [record] = telemetry.finished_logs()
    assert record.log_record.event_name == "aruba.audit.config_changed"
    assert record.log_record.timestamp == 42
    assert telemetry.export_stats.logs.items_exported == 1
    assert telemetry.shutdown(2)


def test_cardinality_limit_folds_the_excess_into_overflow() -> None:
    telemetry = Telemetry.in_memory(options=TelemetryOptions(cardinality_limit=3))
    counter = telemetry.meter("t").create_counter("aruba.per_client")
    for i in range(10):
        counter.add(1, {"client": f"c{i}"})
    [metric] = telemetry.collect().resource_metrics[0].scope_metrics[0].metrics
    points = {
        tuple(sorted((p.attributes or {}).items())): p.value
        for p in metric.data.data_points
        if isinstance(p, NumberDataPoint)
    }
    # 3 named attribute sets, then one overflow point holding the rest.
    assert len(points) == 4
    assert points[(("otel.metric.overflow", True),)] == 7
    telemetry.shutdown(2)


def test_views_can_disable_a_metric() -> None:
    views = [View(instrument_name="aruba.noisy", aggregation=DropAggregation())]
    telemetry = Telemetry.in_memory(views=views)
    meter = telemetry.meter("t")
    meter.create_counter("aruba.noisy").add(1)
    meter.create_counter("aruba.kept").add(1)
    names = [m.name for m in telemetry.collect().resource_metrics[0].scope_metrics[0].metrics]
    assert names == ["aruba.kept"]
    telemetry.shutdown(2)


def test_console_mode_prints_readable_lines() -> None:
    out = io.StringIO()
    telemetry = Telemetry.console(out, export_interval=60)
    meter = telemetry.meter("t")

    def noise(options: CallbackOptions) -> list[Observation]:
        return [Observation(-92.5, {"host.name": "ap-1"})]

    meter.create_observable_gauge("aruba.radio.noise_floor", [noise], unit="dBm")
    meter.create_counter("aruba.frames").add(3)
    emit_event(
        telemetry.logger("t"),
        event_name="aruba.device.down",
        severity_number=SeverityNumber.WARN,
        body="AP ap-1 is down",
        attributes={"host.name": "ap-1"},
    )
    assert telemetry.shutdown(5)
    text = out.getvalue()
    assert re.search(r"-- \d\d:\d\d:\d\d\.\d{3} metrics: 2 data points", text)
    assert "  aruba.radio.noise_floor{host.name='ap-1'} -92.5 dBm\n" in text
    assert "  aruba.frames 3\n" in text
    assert re.search(
        r"\d\d:\d\d:\d\d\.\d{3} WARN   aruba.device.down: AP ap-1 is down \{host.name='ap-1'\}\n",
        text,
    )
    assert telemetry.export_stats.self_metrics.exports_succeeded == 1


def test_only_logs_api_imports_the_private_logs_api() -> None:
    """The SDK's logs API may break in any minor release: one module absorbs it."""
    pattern = re.compile(r"^\s*(?:from|import)\s+opentelemetry\S*\._log", re.MULTILINE)
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("central_otel", "tests")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "proto" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == ["central_otel/telemetry/logs_api.py"]
