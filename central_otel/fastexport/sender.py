"""Sending serialised `ExportMetricsServiceRequest` bytes over OTLP/gRPC or OTLP/HTTP.

Endpoint, TLS, headers and compression come from `OtlpConfig` through the same
helpers the SDK exporters are built with (`telemetry.exporters`). Retries follow
the SDK's semantics: retryable gRPC codes / HTTP statuses (and connection
errors) are retried with exponential backoff (1 s, 2 s, 4 s ... +-20 %, or the
server's RetryInfo / Retry-After) while the request's deadline (`timeout`)
allows, at most `MAX_ATTEMPTS` times. Blocking: call from a thread.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import urlsplit

import grpc
import requests
from google.rpc.error_details_pb2 import RetryInfo
from opentelemetry.exporter.otlp.proto.grpc.exporter import _get_credentials
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2

from central_otel import __version__
from central_otel.config.model import OtlpConfig
from central_otel.telemetry.exporters import (
    _ca,
    _env_path,
    _grpc_compression,
    _grpc_tls,
    _headers,
    _session,
    signal_url,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
EXPORT_METHOD = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export"
USER_AGENT = f"central-otel/{__version__} (direct OTLP metrics)"
GZIP_LEVEL = 1  # repetitive attribute bytes: level 1 already shrinks them ~10x, fast
_RETRYABLE_CODES = frozenset(
    {
        grpc.StatusCode.CANCELLED,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        grpc.StatusCode.ABORTED,
        grpc.StatusCode.OUT_OF_RANGE,
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DATA_LOSS,
    }
)
_RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Attempt:
    """The outcome of one request."""

    ok: bool
    retryable: bool = False
    retry_after: float | None = None
    error: str | None = None  # short, for the stats and logs (never a header value)
    rejected: int = 0  # points the backend refused in a partial success


@dataclass(frozen=True, slots=True)
class SendResult:
    ok: bool
    attempts: int
    error: str | None = None
    rejected: int = 0


class Transport(Protocol):
    def prepare(self, body: bytes) -> bytes:
        """The bytes to send for `body` (compressed, once for all attempts)."""
        ...

    def attempt(self, body: bytes, timeout: float) -> Attempt: ...

    def close(self) -> None: ...


def send(
    transport: Transport,
    body: bytes,
    timeout: float,
    *,
    abort: threading.Event | None = None,
    sleep: Callable[[float], bool] | None = None,
) -> SendResult:
    """Send `body`, retrying retryable failures within `timeout` seconds in all."""
    deadline = time.monotonic() + timeout
    wait = sleep or (abort.wait if abort is not None else _sleep)
    last: Attempt | None = None
    for attempt in range(MAX_ATTEMPTS):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        last = transport.attempt(body, remaining)
        if last.ok:
            return SendResult(True, attempt + 1, rejected=last.rejected)
        if not last.retryable:
            return SendResult(False, attempt + 1, last.error)
        backoff = last.retry_after
        if backoff is None:
            backoff = 2**attempt * random.uniform(0.8, 1.2)
        if (
            attempt + 1 == MAX_ATTEMPTS
            or backoff > deadline - time.monotonic()
            or (abort is not None and abort.is_set())
        ):
            return SendResult(False, attempt + 1, last.error)
        log.debug("direct metrics export: %s, retrying in %.2fs", last.error, backoff)
        if wait(backoff):  # aborted (shutdown)
            return SendResult(False, attempt + 1, last.error)
    return SendResult(False, MAX_ATTEMPTS, last.error if last else "timeout")


def _sleep(seconds: float) -> bool:
    time.sleep(seconds)
    return False


def _rejected(response: metrics_service_pb2.ExportMetricsServiceResponse) -> int:
    if response.HasField("partial_success"):
        return int(response.partial_success.rejected_data_points)
    return 0


class GrpcTransport:
    """`MetricsService/Export` with the request already serialised (no re-encoding)."""

    def __init__(self, config: OtlpConfig) -> None:
        insecure, credentials = _grpc_tls(config, "metrics")
        parts = urlsplit(config.endpoint)
        target = parts.netloc or config.endpoint
        compression = _grpc_compression(config)
        options = [("grpc.primary_user_agent", USER_AGENT)]
        if insecure:
            self._channel = grpc.insecure_channel(target, options, compression)
        else:
            credentials = _get_credentials(
                credentials,
                "OTEL_PYTHON_EXPORTER_OTLP_GRPC_CREDENTIAL_PROVIDER",
                "OTEL_EXPORTER_OTLP_CERTIFICATE",
                "OTEL_EXPORTER_OTLP_CLIENT_KEY",
                "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE",
            )
            self._channel = grpc.secure_channel(target, credentials, options, compression)
        self._metadata = tuple(_headers(config, "metrics").items())
        # The generated MetricsServiceStub would want a message object; this is its
        # Export method taking bytes as they are.
        self._export = self._channel.unary_unary(
            EXPORT_METHOD,
            request_serializer=None,
            response_deserializer=metrics_service_pb2.ExportMetricsServiceResponse.FromString,
        )

    def prepare(self, body: bytes) -> bytes:
        return body  # gRPC compresses in its core, off the GIL

    def attempt(self, body: bytes, timeout: float) -> Attempt:
        try:
            response = self._export(body, timeout=timeout, metadata=self._metadata)
        except grpc.RpcError as error:
            code = error.code()
            retry_after: float | None = None
            for key, value in error.trailing_metadata() or ():
                if key == "google.rpc.retryinfo-bin":
                    info = RetryInfo.FromString(value)
                    retry_after = info.retry_delay.seconds + info.retry_delay.nanos / 1e9
            return Attempt(
                False,
                retryable=code in _RETRYABLE_CODES,
                retry_after=retry_after,
                error=f"grpc {code.name}",
            )
        return Attempt(True, rejected=_rejected(response))

    def close(self) -> None:
        self._channel.close()


class HttpTransport:
    """POST ``<endpoint>/v1/metrics``, binary protobuf, gzip when configured."""

    def __init__(self, config: OtlpConfig) -> None:
        self.url = signal_url(config.endpoint, "metrics")
        self._session = _session(config) or requests.Session()
        verify: str | bool = True
        ca = (
            _ca(config)
            or os.environ.get("OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE")
            or (os.environ.get("OTEL_EXPORTER_OTLP_CERTIFICATE"))
        )
        if ca:
            verify = ca
        self._session.verify = verify
        key, chain = _env_path("metrics", "CLIENT_KEY"), _env_path("metrics", "CLIENT_CERTIFICATE")
        if key and chain:
            self._session.cert = (str(chain), str(key))
        self._gzip = config.compression == "gzip"
        self._headers = {
            **_headers(config, "metrics"),
            "Content-Type": "application/x-protobuf",
            "User-Agent": USER_AGENT,
        }
        if self._gzip:
            self._headers["Content-Encoding"] = "gzip"

    def prepare(self, body: bytes) -> bytes:
        if not self._gzip:
            return body
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: gzip framing
        return packer.compress(body) + packer.flush()

    def attempt(self, body: bytes, timeout: float) -> Attempt:
        try:
            response = self._session.post(
                self.url, data=body, headers=self._headers, timeout=timeout
            )
        except (requests.ConnectionError, requests.Timeout) as error:
            return Attempt(False, retryable=True, error=type(error).__name__)
        except requests.RequestException as error:
            return Attempt(False, error=type(error).__name__)
        status = response.status_code
        if 200 <= status < 300:
            rejected = 0
            if response.content:
                try:
                    parsed = metrics_service_pb2.ExportMetricsServiceResponse.FromString(
                        response.content
                    )
                    rejected = _rejected(parsed)
                except Exception:  # a proxy's body: the status is what counts
                    rejected = 0
            return Attempt(True, rejected=rejected)
        retryable = status in _RETRYABLE_STATUSES
        return Attempt(
            False,
            retryable=retryable,
            retry_after=_retry_after(response.headers.get("Retry-After")) if retryable else None,
            error=f"http {status}",
        )

    def close(self) -> None:
        self._session.close()


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (delay-seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def build_transport(config: OtlpConfig) -> GrpcTransport | HttpTransport:
    return GrpcTransport(config) if config.protocol == "grpc" else HttpTransport(config)
