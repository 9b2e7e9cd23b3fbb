"""Which path exports the catalogue's metrics: `otlp.metrics_path`, overridden by
CENTRAL_OTEL_METRICS_EXPORTER; console and in-memory telemetry always use the SDK."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from central_otel.config.model import OtlpConfig
from central_otel.pipeline.runner import METRICS_EXPORTER_ENV, metrics_exporter_choice
from central_otel.telemetry.providers import Telemetry


@pytest.fixture
def otlp_telemetry() -> Iterator[Telemetry]:
    telemetry = Telemetry(OtlpConfig(endpoint="http://127.0.0.1:9", export_interval=3600))
    yield telemetry
    telemetry.shutdown(0.5)


@pytest.fixture
def memory_telemetry() -> Iterator[Telemetry]:
    telemetry = Telemetry.in_memory()
    yield telemetry
    telemetry.shutdown(0.5)


def test_the_configuration_decides_without_the_environment(
    otlp_telemetry: Telemetry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(METRICS_EXPORTER_ENV, raising=False)
    assert metrics_exporter_choice(otlp_telemetry, configured="sdk") == "sdk"
    assert metrics_exporter_choice(otlp_telemetry, configured="direct") == "direct"
    assert metrics_exporter_choice(otlp_telemetry) == "direct"  # the default


def test_the_environment_overrides_the_configuration(
    otlp_telemetry: Telemetry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(METRICS_EXPORTER_ENV, "SDK")
    assert metrics_exporter_choice(otlp_telemetry, configured="direct") == "sdk"
    monkeypatch.setenv(METRICS_EXPORTER_ENV, "direct")
    assert metrics_exporter_choice(otlp_telemetry, configured="sdk") == "direct"
    # An explicit request (serve(metrics_exporter=...)) wins over both.
    assert metrics_exporter_choice(otlp_telemetry, "sdk", configured="direct") == "sdk"


def test_an_unknown_environment_value_is_warned_about_and_ignored(
    otlp_telemetry: Telemetry, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(METRICS_EXPORTER_ENV, "turbo")
    with caplog.at_level(logging.WARNING, logger="central_otel.pipeline.runner"):
        assert metrics_exporter_choice(otlp_telemetry, configured="sdk") == "sdk"
    assert [r.getMessage() for r in caplog.records] == [
        "CENTRAL_OTEL_METRICS_EXPORTER='turbo' is not one of direct/sdk; using sdk"
    ]


def test_direct_needs_an_otlp_endpoint(
    memory_telemetry: Telemetry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(METRICS_EXPORTER_ENV, "direct")
    assert metrics_exporter_choice(memory_telemetry, configured="direct") == "sdk"
