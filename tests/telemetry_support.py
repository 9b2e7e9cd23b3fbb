"""Helpers for the telemetry tests: configs pointing at the test receivers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from central_otel.config.model import FrozenDict, OtlpConfig
from central_otel.secret import Secret
from central_otel.telemetry import Telemetry, TelemetryOptions
from tests.otlp_receiver import GrpcOtlpReceiver, OtlpReceiver

# Logs leave every 50 ms instead of every second.
FAST = TelemetryOptions(log_schedule_delay=0.05)


def otlp_config(
    receiver: OtlpReceiver,
    *,
    headers: Mapping[str, str] | None = None,
    endpoint: str | None = None,
    **overrides: Any,
) -> OtlpConfig:
    """An `OtlpConfig` for `receiver`'s protocol: fast interval, short timeout."""
    settings: dict[str, Any] = {
        "endpoint": endpoint or receiver.endpoint,
        "protocol": "grpc" if isinstance(receiver, GrpcOtlpReceiver) else "http/protobuf",
        "export_interval": 0.2,
        "timeout": 1.0,
        "headers": FrozenDict({k: Secret(v) for k, v in (headers or {}).items()}),
    }
    settings.update(overrides)
    return OtlpConfig(**settings)


@contextmanager
def running(telemetry: Telemetry, timeout: float = 3.0) -> Iterator[Telemetry]:
    """`telemetry`, shut down on exit (bounded)."""
    try:
        yield telemetry
    finally:
        telemetry.shutdown(timeout)
