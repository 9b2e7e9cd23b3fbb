"""The bridge's own gRPC client (`export.grpc_client`) behind the OTLP/gRPC transport:
against grpcio's server (the test receiver), a scripted HTTP/2 server for what grpcio
never sends, TLS with a private CA, and an HTTP CONNECT proxy."""

from __future__ import annotations

import base64
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import h2.connection
import h2.errors
import pytest
import trustme
from google.protobuf.any_pb2 import Any as AnyMessage
from google.protobuf.duration_pb2 import Duration
from google.rpc.error_details_pb2 import RetryInfo
from google.rpc.status_pb2 import Status
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

from central_otel import __version__
from central_otel.config.model import OtlpConfig
from central_otel.export.grpc_client import Proxy, proxy_from_environment
from central_otel.export.transport import METRICS, Attempt, build_transport
from tests.grpc_client_support import ConnectProxy, ScriptedH2Server
from tests.otlp_receiver import GrpcOtlpReceiver, ServerTls
from tests.telemetry_support import otlp_config


def transport_user_agent() -> str:
    return f"central-otel/{__version__}"


def request_of(size: int, seed: int = 7) -> bytes:
    """A metrics request of about `size` bytes that gzip cannot shrink much."""
    rng = random.Random(seed)
    request = ExportMetricsServiceRequest()
    resource = request.resource_metrics.add().resource
    while request.ByteSize() < size:
        value = rng.randbytes(4096).hex()
        resource.attributes.append(KeyValue(key="noise", value=AnyValue(string_value=value)))
    return request.SerializeToString()


def unavailable(config: OtlpConfig, caplog: pytest.LogCaptureFixture) -> None:
    """One attempt with `config` fails as UNAVAILABLE (retryable); the reason is in
    the transport's debug log."""
    transport = build_transport(config, METRICS)
    try:
        with caplog.at_level("DEBUG", logger="central_otel.export.transport"):
            assert transport.attempt(b"x", 2.0) == Attempt(
                False, retryable=True, error="grpc UNAVAILABLE"
            )
    finally:
        transport.close()


@pytest.fixture
def receiver() -> Iterator[GrpcOtlpReceiver]:
    with GrpcOtlpReceiver() as running:
        yield running


@pytest.mark.parametrize("compression", ["none", "gzip"])
def test_a_request_larger_than_the_flow_control_window_arrives_whole(
    receiver: GrpcOtlpReceiver, compression: str
) -> None:
    body = request_of(3 * 1024 * 1024)  # HTTP/2 opens with 64 KiB windows
    small = request_of(1000, seed=8)
    transport = build_transport(otlp_config(receiver, compression=compression), METRICS)
    try:
        assert transport.attempt(transport.prepare(body), 10.0) == Attempt(True)
        assert transport.attempt(transport.prepare(small), 10.0) == Attempt(True)
    finally:
        transport.close()
    first, second = receiver.requests()
    assert first.raw == body
    assert second.raw == small
    assert first.headers == {"user-agent": transport_user_agent()}  # grpcio shows no other


def test_headers_and_partial_success(receiver: GrpcOtlpReceiver) -> None:
    receiver.partial_success(rejected=3, count=1)
    config = otlp_config(receiver, headers={"Authorization": "Bearer s3cr3t", "x-tenant": "t1"})
    transport = build_transport(config, METRICS)
    try:
        assert transport.attempt(transport.prepare(request_of(100)), 5.0) == Attempt(
            True, rejected=3
        )
    finally:
        transport.close()
    [headers] = receiver.headers()
    assert headers["authorization"] == "Bearer s3cr3t"
    assert headers["x-tenant"] == "t1"
    assert "s3cr3t" not in repr(transport)
    assert "s3cr3t" not in repr(vars(transport))


def test_statuses_from_grpcio(receiver: GrpcOtlpReceiver) -> None:
    transport = build_transport(otlp_config(receiver), METRICS)
    body = transport.prepare(request_of(100))
    try:
        receiver.fail(retryable=True, count=1)
        assert transport.attempt(body, 5.0) == Attempt(
            False, retryable=True, error="grpc UNAVAILABLE"
        )
        receiver.fail(retryable=True, retry_after=2.5, count=1)
        assert transport.attempt(body, 5.0) == Attempt(
            False, retryable=True, retry_after=2.5, error="grpc UNAVAILABLE"
        )
        receiver.fail(retryable=False, count=1)
        assert transport.attempt(body, 5.0) == Attempt(
            False, error="grpc INVALID_ARGUMENT", refused=True
        )
        receiver.fail(grpc_code=grpc.StatusCode.RESOURCE_EXHAUSTED, count=1)
        assert transport.attempt(body, 5.0) == Attempt(
            False, retryable=True, error="grpc RESOURCE_EXHAUSTED", refused=True
        )
        receiver.fail(grpc_code=grpc.StatusCode.UNAUTHENTICATED, count=1)
        assert transport.attempt(body, 5.0) == Attempt(False, error="grpc UNAUTHENTICATED")
        assert transport.attempt(body, 5.0) == Attempt(True)
    finally:
        transport.close()
    assert len(receiver.requests()) == 6


def test_a_deadline_passed_is_deadline_exceeded_and_the_next_call_works(
    receiver: GrpcOtlpReceiver,
) -> None:
    transport = build_transport(otlp_config(receiver), METRICS)
    body = transport.prepare(request_of(100))
    try:
        receiver.set_delay(2.0)
        started = time.monotonic()
        assert transport.attempt(body, 0.3) == Attempt(
            False, retryable=True, error="grpc DEADLINE_EXCEEDED"
        )
        assert time.monotonic() - started < 1.0
        receiver.set_delay(0.0)
        assert transport.attempt(body, 5.0) == Attempt(True)
    finally:
        transport.close()


def test_a_collector_down_then_restarted_is_reached_again(receiver: GrpcOtlpReceiver) -> None:
    transport = build_transport(otlp_config(receiver), METRICS)
    body = transport.prepare(request_of(100))
    try:
        assert transport.attempt(body, 5.0).ok
        receiver.stop()
        started = time.monotonic()
        assert transport.attempt(body, 5.0) == Attempt(
            False, retryable=True, error="grpc UNAVAILABLE"
        )
        assert time.monotonic() - started < 1.0  # refused at once, not at the deadline
        receiver.start()  # the same port: the old connection is gone
        assert transport.attempt(body, 5.0) == Attempt(True)
    finally:
        transport.close()
    assert len(receiver.requests()) == 2


def test_close_ends_a_call_in_progress_at_once(receiver: GrpcOtlpReceiver) -> None:
    transport = build_transport(otlp_config(receiver), METRICS)
    body = transport.prepare(request_of(100))
    receiver.set_delay(5.0)
    outcome: list[Attempt] = []
    calling = threading.Thread(target=lambda: outcome.append(transport.attempt(body, 10.0)))
    calling.start()
    time.sleep(0.3)  # the call is out, waiting for the answer
    started = time.monotonic()
    transport.close()
    calling.join(2.0)
    assert not calling.is_alive()
    assert time.monotonic() - started < 1.0
    assert outcome == [Attempt(False, retryable=True, error="grpc UNAVAILABLE")]
    assert transport.attempt(body, 1.0) == Attempt(False, retryable=True, error="grpc UNAVAILABLE")
    receiver.set_delay(0.0)


# -- what grpcio servers do not send ------------------------------------------------------------


def _trailers_only(conn: h2.connection.H2Connection, stream: int, *extra: tuple[str, str]) -> None:
    conn.send_headers(
        stream,
        [(":status", "200"), ("content-type", "application/grpc"), *extra],
        end_stream=True,
    )


def test_an_http_error_without_a_grpc_status_is_mapped(caplog: pytest.LogCaptureFixture) -> None:
    def answer(conn: h2.connection.H2Connection, stream: int, _: dict[str, str], n: int) -> None:
        conn.send_headers(stream, [(":status", "503"), ("content-type", "text/html")])
        conn.send_data(stream, b"<html>overloaded</html>", end_stream=True)

    with ScriptedH2Server(answer) as server:
        unavailable(otlp_config_for(server.endpoint), caplog)
    assert "OTLP/gRPC metrics: UNAVAILABLE: HTTP status 503" in caplog.text
    [request] = server.requests
    timeout = request.pop("grpc-timeout")
    assert request == {
        ":method": "POST",
        ":scheme": "http",
        ":authority": f"127.0.0.1:{server.port}",
        ":path": "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
        "content-type": "application/grpc",
        "te": "trailers",
        "user-agent": transport_user_agent(),
        "grpc-accept-encoding": "gzip",
        "grpc-encoding": "gzip",
    }
    assert timeout.endswith("m")
    assert 1500 < int(timeout[:-1]) <= 2000


def test_retry_info_in_the_status_details_is_honoured() -> None:
    """What the Collector sends: RetryInfo among google.rpc.Status's details."""
    delay = Duration(seconds=3, nanos=250_000_000)
    detail = AnyMessage()
    detail.Pack(RetryInfo(retry_delay=delay))
    status = Status(code=8, message="memory limiter", details=[detail]).SerializeToString()
    encoded = base64.b64encode(status).decode().rstrip("=")

    def answer(conn: h2.connection.H2Connection, stream: int, _: dict[str, str], n: int) -> None:
        _trailers_only(
            conn,
            stream,
            ("grpc-status", "8"),
            ("grpc-message", "data%20refused%20due%20to%20high%20memory%20usage"),
            ("grpc-status-details-bin", encoded),
        )

    with ScriptedH2Server(answer) as server:
        transport = build_transport(otlp_config_for(server.endpoint), METRICS)
        try:
            assert transport.attempt(b"x", 2.0) == Attempt(
                False, retryable=True, retry_after=3.25, error="grpc RESOURCE_EXHAUSTED"
            )
        finally:
            transport.close()


def test_a_reset_stream_is_mapped(caplog: pytest.LogCaptureFixture) -> None:
    def answer(conn: h2.connection.H2Connection, stream: int, _: dict[str, str], n: int) -> None:
        conn.reset_stream(stream, h2.errors.ErrorCodes.REFUSED_STREAM)

    with ScriptedH2Server(answer) as server:
        unavailable(otlp_config_for(server.endpoint), caplog)
    assert "UNAVAILABLE: stream reset by the server (7)" in caplog.text


def test_a_goaway_before_the_call_sends_it_again_on_a_new_connection() -> None:
    ok = ExportMetricsServiceResponse().SerializeToString()

    def answer(conn: h2.connection.H2Connection, stream: int, _: dict[str, str], n: int) -> None:
        if n == 1:  # the first connection is going away: it takes no call
            conn.close_connection(last_stream_id=0)
            return
        conn.send_headers(stream, [(":status", "200"), ("content-type", "application/grpc")])
        conn.send_data(stream, b"\x00" + len(ok).to_bytes(4, "big") + ok)
        conn.send_headers(stream, [("grpc-status", "0")], end_stream=True)

    with ScriptedH2Server(answer) as server:
        transport = build_transport(otlp_config_for(server.endpoint), METRICS)
        try:
            assert transport.attempt(b"x", 2.0) == Attempt(True)
        finally:
            transport.close()
    assert server.connections == 2
    assert len(server.requests) == 2  # the first was not taken


def otlp_config_for(endpoint: str) -> OtlpConfig:
    return OtlpConfig(endpoint=endpoint, protocol="grpc", timeout=2.0)


# -- TLS ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_receiver(ca: trustme.CA) -> Iterator[GrpcOtlpReceiver]:
    cert = ca.issue_cert("127.0.0.1", "localhost")
    tls = ServerTls(
        key_pem=cert.private_key_pem.bytes(),
        chain_pem=b"".join(blob.bytes() for blob in cert.cert_chain_pems),
    )
    with GrpcOtlpReceiver(tls=tls) as running:
        yield running


def test_tls_with_a_private_ca(
    tls_receiver: GrpcOtlpReceiver, ca: trustme.CA, tmp_path: Path
) -> None:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    assert tls_receiver.endpoint.startswith("https://")
    transport = build_transport(otlp_config(tls_receiver, ca_file=ca_file), METRICS)
    try:
        assert transport.attempt(transport.prepare(request_of(200_000)), 5.0) == Attempt(True)
    finally:
        transport.close()
    assert len(tls_receiver.requests()) == 1


def test_tls_with_an_unknown_ca_is_refused(
    tls_receiver: GrpcOtlpReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    unavailable(otlp_config(tls_receiver), caplog)
    assert "UNAVAILABLE: TLS: unable to get local issuer certificate" in caplog.text
    assert tls_receiver.requests() == []


# -- proxies --------------------------------------------------------------------------------------


def test_the_environment_proxy_tunnels_the_calls(
    receiver: GrpcOtlpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ConnectProxy() as proxy:
        monkeypatch.setenv("grpc_proxy", f"http://ops:pa%3Ass@127.0.0.1:{proxy.port}")
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        transport = build_transport(otlp_config(receiver), METRICS)
        try:
            assert "pa:ss" not in repr(vars(transport))
            assert transport.attempt(transport.prepare(request_of(100)), 5.0) == Attempt(True)
        finally:
            transport.close()
        [head] = proxy.heads
    credentials = base64.b64encode(b"ops:pa:ss").decode()
    assert head.split("\r\n") == [
        f"CONNECT 127.0.0.1:{receiver.port} HTTP/1.1",
        f"Host: 127.0.0.1:{receiver.port}",
        f"Proxy-Authorization: Basic {credentials}",
    ]
    assert len(receiver.requests()) == 1


def test_a_proxy_that_refuses_the_tunnel_is_unavailable(
    receiver: GrpcOtlpReceiver, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with ConnectProxy() as proxy:
        receiver.stop()  # the proxy cannot reach it: 502
        monkeypatch.setenv("grpc_proxy", proxy.url)
        unavailable(otlp_config(receiver), caplog)
    assert "the proxy refused the tunnel: HTTP/1.1 502 Bad Gateway" in caplog.text


def test_which_proxy_the_environment_names() -> None:
    env = {"https_proxy": "http://proxy.corp:3128", "http_proxy": "http://other:8080"}
    assert proxy_from_environment("otel.corp", env) == Proxy("proxy.corp", 3128)
    assert proxy_from_environment("otel.corp", {**env, "grpc_proxy": "http://g:1"}) == Proxy("g", 1)
    assert proxy_from_environment("otel.corp", {"HTTPS_PROXY": "proxy:3128"}) == Proxy(
        "proxy", 3128
    )
    assert proxy_from_environment("otel.corp", {}) is None
    exempt = {
        "otel.corp": ".corp",
        "a.otel.corp": "otel.corp",
        "10.1.2.3": "10.0.0.0/8",
        "127.0.0.1": "localhost,127.0.0.1",
        "anything": "*",
    }
    for host, no_proxy in exempt.items():
        assert proxy_from_environment(host, {**env, "no_proxy": no_proxy}) is None, host
    assert proxy_from_environment("otel.corp", {**env, "no_proxy": "xotel.corp,10.0.0.0/8"})
    assert proxy_from_environment("otel.corp", {**env, "no_grpc_proxy": "otel.corp"}) is None
    with pytest.raises(ValueError, match=r"^the proxy for OTLP/gRPC must be an http:// URL"):
        proxy_from_environment("otel.corp", {"grpc_proxy": "https://proxy:443"})
    assert "secret" not in repr(proxy_from_environment("h", {"grpc_proxy": "http://u:secret@p:1"}))
