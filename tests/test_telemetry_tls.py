"""TLS to the collector: a private CA (``ca_file``) for gRPC and HTTP, via trustme."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from central_otel.telemetry import Telemetry
from tests.otlp_receiver import GrpcOtlpReceiver, HttpOtlpReceiver, OtlpReceiver, ServerTls
from tests.telemetry_support import FAST, otlp_config, running


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture(params=["grpc", "http"])
def tls_receiver(request: pytest.FixtureRequest, ca: trustme.CA) -> Iterator[OtlpReceiver]:
    cert = ca.issue_cert("127.0.0.1", "localhost")
    tls = ServerTls(
        key_pem=cert.private_key_pem.bytes(),
        chain_pem=b"".join(blob.bytes() for blob in cert.cert_chain_pems),
    )
    kind = GrpcOtlpReceiver if request.param == "grpc" else HttpOtlpReceiver
    with kind(tls=tls) as receiver:
        yield receiver


def counter(telemetry: Telemetry) -> None:
    telemetry.meter("t").create_counter("aruba.tls_test").add(1)


def test_private_ca_is_trusted(
    tls_receiver: OtlpReceiver, ca_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # requests would let these override the configured CA (psf/requests#3829).
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca.pem")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/nonexistent/ca.pem")
    assert tls_receiver.endpoint.startswith("https://127.0.0.1:")
    config = otlp_config(tls_receiver, ca_file=ca_file)
    with running(Telemetry(config, options=FAST)) as telemetry:
        counter(telemetry)
        tls_receiver.wait_for(lambda: tls_receiver.metrics("aruba.tls_test"))
    assert "TLS (CA " in telemetry.describe()


def test_unknown_ca_is_refused_and_counted(tls_receiver: OtlpReceiver) -> None:
    config = otlp_config(tls_receiver, timeout=0.5)
    with running(Telemetry(config, options=FAST)) as telemetry:
        counter(telemetry)
        stats = telemetry.export_stats.self_metrics
        tls_receiver.wait_for(lambda: stats.exports_failed, 5)
        assert stats.exports_succeeded == 0
    assert tls_receiver.requests() == []


def test_grpc_insecure_does_not_downgrade_https(
    ca: trustme.CA, ca_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cert = ca.issue_cert("127.0.0.1")
    tls = ServerTls(cert.private_key_pem.bytes(), cert.cert_chain_pems[0].bytes())
    with GrpcOtlpReceiver(tls=tls) as receiver:
        config = otlp_config(receiver, ca_file=ca_file, insecure=True)
        with caplog.at_level(logging.WARNING), running(Telemetry(config, options=FAST)) as t:
            counter(t)
            receiver.wait_for(lambda: receiver.metrics("aruba.tls_test"))
    assert "otlp.insecure is ignored" in caplog.text
