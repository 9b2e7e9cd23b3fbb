"""Sending serialised OTLP export requests (metrics or logs) over gRPC or HTTP.

The request bytes are written elsewhere (`export.encoder`); a transport only sends
them and reads the answer, including partial success (what the backend refused).
Endpoint, TLS, headers and compression come from `OtlpConfig` as `export.endpoint`
maps them, as for the SDK's exporters; gRPC goes through the bridge's own client
(`export.grpc_client`), HTTP through `requests`. Both compress once per request,
before the first attempt. Retries follow the SDK's semantics:
retryable gRPC codes / HTTP statuses (and connection errors) are retried with
exponential backoff (1 s, 2 s, 4 s ... +-20 %, or the server's RetryInfo /
Retry-After) while the request's deadline (`timeout`) allows, at most
`MAX_ATTEMPTS` times. Blocking: call from a thread.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

from google.protobuf.message import DecodeError, Message
from google.rpc.error_details_pb2 import RetryInfo
from google.rpc.status_pb2 import Status
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2

from central_otel import __version__
from central_otel.config.model import OtlpConfig
from central_otel.export.endpoint import (
    Signal,
    env_path,
    grpc_address,
    http_ca_file,
    otlp_tls_context,
    refuse_zstd_over_grpc,
    request_headers,
    signal_url,
)
from central_otel.export.grpc_client import (
    CallResult,
    GrpcClient,
    GrpcEndpoint,
    StatusCode,
    proxy_from_environment,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
USER_AGENT = f"central-otel/{__version__}"
GZIP_LEVEL = 1  # repetitive attribute bytes: level 1 shrinks them most of the way, and fast
ZSTD_LEVEL = 3  # zstd's default: smaller than gzip at any level here, and faster than level 1
_RETRYABLE_CODES = frozenset(
    {
        StatusCode.CANCELLED,
        StatusCode.DEADLINE_EXCEEDED,
        StatusCode.RESOURCE_EXHAUSTED,
        StatusCode.ABORTED,
        StatusCode.OUT_OF_RANGE,
        StatusCode.UNAVAILABLE,
        StatusCode.DATA_LOSS,
    }
)
_RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
# What says the request itself is refused, not the backend unable or unwilling now: the
# same request will never be accepted, a smaller one (fewer items) may be.
_REFUSED_CODES = frozenset({StatusCode.INVALID_ARGUMENT})
_RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo"
_REFUSED_STATUSES = frozenset({400, 413})


@dataclass(frozen=True, slots=True)
class SignalService:
    """What differs between the signals on the wire: the gRPC method, the response
    message, and where its partial success says how many items were refused."""

    signal: Signal
    grpc_method: str
    response: type[Message]
    rejected_field: str


METRICS = SignalService(
    "metrics",
    "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
    metrics_service_pb2.ExportMetricsServiceResponse,
    "rejected_data_points",
)
LOGS = SignalService(
    "logs",
    "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
    logs_service_pb2.ExportLogsServiceResponse,
    "rejected_log_records",
)


@dataclass(frozen=True, slots=True)
class Attempt:
    """The outcome of one request."""

    ok: bool
    retryable: bool = False
    retry_after: float | None = None
    error: str | None = None  # short, for the stats and logs (never a header value)
    rejected: int = 0  # items the backend refused in a partial success
    refused: bool = False  # the request's content was refused (malformed, too large)


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
        log.debug("OTLP export: %s, retrying in %.2fs", last.error, backoff)
        if wait(backoff):  # aborted (shutdown)
            return SendResult(False, attempt + 1, last.error)
    return SendResult(False, MAX_ATTEMPTS, last.error if last else "timeout")


def gzipped(body: bytes) -> bytes:
    """`body` in gzip framing at `GZIP_LEVEL` (both protocols' ``gzip``)."""
    packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: gzip framing
    return packer.compress(body) + packer.flush()


def _sleep(seconds: float) -> bool:
    time.sleep(seconds)
    return False


def _rejected(service: SignalService, response: Message) -> int:
    if response.HasField("partial_success"):
        return int(getattr(response.partial_success, service.rejected_field))  # type: ignore[attr-defined]
    return 0


class GrpcTransport:
    """The signal's `Export` method with the request already serialised (no re-encoding),
    on the bridge's own gRPC client (`export.grpc_client`)."""

    def __init__(self, config: OtlpConfig, service: SignalService) -> None:
        refuse_zstd_over_grpc(config)
        self.service = service
        host, port = grpc_address(config)
        self._gzip = config.compression == "gzip"
        self._client = GrpcClient(
            GrpcEndpoint(host, port, otlp_tls_context(config, service.signal)),
            user_agent=USER_AGENT,
            metadata=request_headers(config, service.signal),
            encoding="gzip" if self._gzip else None,
            proxy=proxy_from_environment(host),
        )

    def prepare(self, body: bytes) -> bytes:
        return gzipped(body) if self._gzip else body

    def attempt(self, body: bytes, timeout: float) -> Attempt:
        result = self._client.call(self.service.grpc_method, body, timeout)
        code = result.code
        if code is StatusCode.OK:
            try:
                response = self.service.response.FromString(result.response)
            except DecodeError:  # a proxy's body: the status is what counts
                return Attempt(True)
            return Attempt(True, rejected=_rejected(self.service, response))
        if result.message:
            log.debug("OTLP/gRPC %s: %s: %s", self.service.signal, code.name, result.message)
        retry_after = _retry_delay(result)
        return Attempt(
            False,
            retryable=code in _RETRYABLE_CODES,
            retry_after=retry_after,
            error=f"grpc {code.name}",
            # RESOURCE_EXHAUSTED without RetryInfo: a message over the server's size
            # limit (gRPC's own check), which no wait will change.
            refused=code in _REFUSED_CODES
            or (code is StatusCode.RESOURCE_EXHAUSTED and retry_after is None),
        )

    def close(self) -> None:
        self._client.close()


def _retry_delay(result: CallResult) -> float | None:
    """The server's RetryInfo, in seconds: as its own trailer (what the SDK's
    exporters read) or among the status details (what the Collector sends)."""
    infos: list[RetryInfo] = []
    try:
        raw = result.trailers.get("google.rpc.retryinfo-bin")
        if raw is not None:
            infos.append(RetryInfo.FromString(raw))
        details = result.trailers.get("grpc-status-details-bin")
        if details is not None:
            for detail in Status.FromString(details).details:
                if detail.type_url == _RETRY_INFO_TYPE:
                    infos.append(RetryInfo.FromString(detail.value))
    except DecodeError:
        pass
    for info in infos:
        return float(info.retry_delay.seconds + info.retry_delay.nanos / 1e9)
    return None


class HttpTransport:
    """POST ``<endpoint>/v1/<signal>``, binary protobuf, gzip or zstd when configured
    (the Collector's OTLP/HTTP receiver accepts both)."""

    def __init__(self, config: OtlpConfig, service: SignalService) -> None:
        # Imported here: a bridge exporting over gRPC never loads `requests`.
        import requests

        from central_otel.export.http_session import http_session

        self.service = service
        signal = service.signal
        self.url = signal_url(config.endpoint, signal)
        self._session = http_session(config) or requests.Session()
        # What `attempt` catches, kept here so that it imports nothing per request.
        self._unreachable = (requests.ConnectionError, requests.Timeout)
        self._failed = requests.RequestException
        ca = http_ca_file(config) or env_path(signal, "CERTIFICATE")
        self._session.verify = str(ca) if ca else True
        key, chain = env_path(signal, "CLIENT_KEY"), env_path(signal, "CLIENT_CERTIFICATE")
        if key and chain:
            self._session.cert = (str(chain), str(key))
        self._compression = config.compression
        # zstd's library is loaded only where it is configured.
        self._zstd: Callable[..., Any] | None = None
        if self._compression == "zstd":
            import zstandard

            self._zstd = zstandard.ZstdCompressor
        self._headers = {
            **request_headers(config, signal),
            "Content-Type": "application/x-protobuf",
            "User-Agent": USER_AGENT,
        }
        if self._compression != "none":
            self._headers["Content-Encoding"] = self._compression

    def prepare(self, body: bytes) -> bytes:
        if self._zstd is not None:
            # A compressor per request: a transport may be shared between threads.
            return bytes(self._zstd(level=ZSTD_LEVEL).compress(body))
        if self._compression == "gzip":
            return gzipped(body)
        return body

    def attempt(self, body: bytes, timeout: float) -> Attempt:
        try:
            response = self._session.post(
                self.url, data=body, headers=self._headers, timeout=timeout
            )
        except self._unreachable as error:
            return Attempt(False, retryable=True, error=type(error).__name__)
        except self._failed as error:
            return Attempt(False, error=type(error).__name__)
        status = response.status_code
        if 200 <= status < 300:
            rejected = 0
            if response.content:
                try:
                    rejected = _rejected(
                        self.service, self.service.response.FromString(response.content)
                    )
                except Exception:  # a proxy's body: the status is what counts
                    rejected = 0
            return Attempt(True, rejected=rejected)
        retryable = status in _RETRYABLE_STATUSES
        return Attempt(
            False,
            retryable=retryable,
            retry_after=_retry_after(response.headers.get("Retry-After")) if retryable else None,
            error=f"http {status}",
            refused=status in _REFUSED_STATUSES,
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


def build_transport(config: OtlpConfig, service: SignalService) -> GrpcTransport | HttpTransport:
    """The transport of `config`'s protocol for one signal."""
    if config.protocol == "grpc":
        return GrpcTransport(config, service)
    return HttpTransport(config, service)
