"""Pytest fixtures for the OTLP test receiver (registered in conftest.py).

def test_export(otlp_grpc_receiver: GrpcOtlpReceiver) -> None:
    exporter = OTLPMetricExporter(endpoint=otlp_grpc_receiver.endpoint, insecure=True)
    ...
    otlp_grpc_receiver.wait_for(lambda: otlp_grpc_receiver.metrics("my.metric"))
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.otlp_receiver import GrpcOtlpReceiver, HttpOtlpReceiver, OtlpReceiver


@pytest.fixture
def otlp_grpc_receiver() -> Iterator[GrpcOtlpReceiver]:
    """A started OTLP/gRPC receiver on 127.0.0.1 (free port), stopped afterwards."""
    with GrpcOtlpReceiver() as receiver:
        yield receiver


@pytest.fixture
def otlp_http_receiver() -> Iterator[HttpOtlpReceiver]:
    """A started OTLP/HTTP receiver on 127.0.0.1 (free port), stopped afterwards."""
    with HttpOtlpReceiver() as receiver:
        yield receiver


@pytest.fixture(params=["grpc", "http"])
def otlp_receiver(
    request: pytest.FixtureRequest,
    otlp_grpc_receiver: GrpcOtlpReceiver,
    otlp_http_receiver: HttpOtlpReceiver,
) -> OtlpReceiver:
    """Each receiver in turn: the test runs once over OTLP/gRPC, once over OTLP/HTTP."""
    return otlp_grpc_receiver if request.param == "grpc" else otlp_http_receiver
