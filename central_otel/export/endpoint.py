"""How an `OtlpConfig` becomes a connection: URLs, TLS, headers, compression.

Shared by the bridge's own OTLP transports (`export.transport`) and the SDK's
exporters (`telemetry.exporters`), so both reach the backend the same way. This is
the only place header values are revealed; they go straight into a request and are
never logged or put into a repr or an exception.

Precedence with the SDK's ``OTEL_EXPORTER_OTLP_*`` variables: the configuration
states endpoint, protocol, TLS, compression and timeout (its defaults included),
so it always wins for those; the variables are ignored.  Where the configuration
is silent the SDK's variables still apply:

- headers: ``OTEL_EXPORTER_OTLP_{METRICS,LOGS}_HEADERS`` (else
  ``OTEL_EXPORTER_OTLP_HEADERS``) are the base; configured headers replace the
  ones of the same name;
- no ``ca_file``: ``OTEL_EXPORTER_OTLP[_{METRICS,LOGS}]_CERTIFICATE`` or the system CAs;
- client certificates (mTLS): only ``OTEL_EXPORTER_OTLP[_{METRICS,LOGS}]_CLIENT_{CERTIFICATE,KEY}``.

TLS: the endpoint's scheme decides, for both protocols: ``https://`` is TLS
(verified against ``ca_file`` if given), ``http://`` is plaintext.  ``insecure:
true`` makes gRPC plaintext; it is ignored (with a warning) for an ``https://``
endpoint, like the SDK and the Collector do, so an https URL never silently
downgrades.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import grpc
from opentelemetry.util.re import parse_env_headers

from central_otel.config.model import OtlpConfig

log = logging.getLogger(__name__)

Signal = Literal["metrics", "logs"]


@dataclass(frozen=True, slots=True)
class ExportTarget:
    """Where and how a protocol exports: safe to log (header names only)."""

    protocol: str
    metrics_endpoint: str
    logs_endpoint: str
    tls: bool
    ca_file: Path | None
    compression: str
    timeout: float
    header_names: tuple[str, ...]

    def describe(self) -> str:
        """One line for the startup log."""
        endpoint = (
            self.metrics_endpoint
            if self.protocol == "grpc"
            else f"{self.metrics_endpoint}, {self.logs_endpoint}"
        )
        tls = (
            f"TLS (CA {self.ca_file})"
            if self.tls and self.ca_file
            else "TLS"
            if self.tls
            else "plaintext"
        )
        headers = f", headers: {', '.join(self.header_names)}" if self.header_names else ""
        return (
            f"OTLP/{self.protocol} to {endpoint} ({tls}, compression {self.compression}, "
            f"timeout {self.timeout:g}s{headers})"
        )


def signal_url(endpoint: str, signal: Signal) -> str:
    """The OTLP/HTTP URL of `signal` for a configured endpoint.

    The endpoint is a base URL: ``/v1/<signal>`` is appended to its path
    (``https://gw/otlp`` -> ``https://gw/otlp/v1/metrics``).  An endpoint that
    already ends with a signal path (``.../v1/metrics`` or ``.../v1/logs``) is
    taken as that base plus the path, so one URL works for both signals.
    """
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for known in ("/v1/metrics", "/v1/logs"):
        if path.endswith(known):
            path = path.removesuffix(known)
            break
    return urlunsplit(parts._replace(path=f"{path}/v1/{signal}"))


def uses_tls(config: OtlpConfig) -> bool:
    """True for TLS: the endpoint is ``https://`` (see the module doc)."""
    return urlsplit(config.endpoint).scheme == "https"


def target(config: OtlpConfig) -> ExportTarget:
    """What `build_metric_exporter`/`build_log_exporter` will do, safe to show."""
    if config.protocol == "grpc":
        metrics = logs = config.endpoint
    else:
        metrics, logs = signal_url(config.endpoint, "metrics"), signal_url(config.endpoint, "logs")
    return ExportTarget(
        protocol=config.protocol,
        metrics_endpoint=metrics,
        logs_endpoint=logs,
        tls=uses_tls(config),
        ca_file=config.ca_file,
        compression=config.compression,
        timeout=config.timeout,
        header_names=tuple(sorted(config.headers)),
    )


def request_headers(config: OtlpConfig, signal: Signal) -> dict[str, str]:
    """The SDK's environment headers, overridden by the configured ones (revealed)."""
    env = (
        os.environ.get(f"OTEL_EXPORTER_OTLP_{signal.upper()}_HEADERS")
        or os.environ.get("OTEL_EXPORTER_OTLP_HEADERS")
        or ""
    )
    headers = {name.lower(): value for name, value in parse_env_headers(env, liberal=True).items()}
    headers.update({name.lower(): secret.reveal() for name, secret in config.headers.items()})
    return headers


def grpc_tls(config: OtlpConfig, signal: Signal) -> tuple[bool, grpc.ChannelCredentials | None]:
    """(insecure, credentials) for the gRPC exporters."""
    if not uses_tls(config):
        return True, None
    if config.insecure:
        _warn_insecure_ignored(config.endpoint)
    if config.ca_file is None:
        return False, None  # the SDK: OTEL_EXPORTER_OTLP_*CERTIFICATE, else the system CAs
    # Our CA, plus the SDK's environment client certificate for mTLS if any.
    key = env_path(signal, "CLIENT_KEY")
    chain = env_path(signal, "CLIENT_CERTIFICATE")
    credentials = grpc.ssl_channel_credentials(
        root_certificates=config.ca_file.read_bytes(),
        private_key=key.read_bytes() if key else None,
        certificate_chain=chain.read_bytes() if chain else None,
    )
    return False, credentials


@functools.cache
def _warn_insecure_ignored(endpoint: str) -> None:
    """Once per endpoint, not once per signal."""
    log.warning("otlp.insecure is ignored: the https:// endpoint %s always uses TLS", endpoint)


def env_path(signal: Signal, name: str) -> Path | None:
    value = os.environ.get(f"OTEL_EXPORTER_OTLP_{signal.upper()}_{name}") or os.environ.get(
        f"OTEL_EXPORTER_OTLP_{name}"
    )
    return Path(value) if value else None


def grpc_compression(config: OtlpConfig) -> grpc.Compression:
    """gRPC's own compression; its Python core has no zstd (the configuration refuses
    ``compression: zstd`` with ``protocol: grpc``)."""
    if config.compression == "zstd":
        raise ValueError("otlp.compression: zstd needs protocol: http/protobuf")
    return grpc.Compression.Gzip if config.compression == "gzip" else grpc.Compression.NoCompression


def http_ca_file(config: OtlpConfig) -> str | None:
    """HTTP: the CA file; None lets the SDK use its environment or the system CAs."""
    return str(config.ca_file) if config.ca_file is not None and uses_tls(config) else None


def grpc_channel_credentials(config: OtlpConfig, signal: Signal) -> grpc.ChannelCredentials | None:
    """The credentials of a gRPC channel (None: plaintext), as the SDK exporter builds
    them: the configured CA, else the environment's, else the system CAs; plus the
    environment's client certificate for mTLS."""
    insecure, credentials = grpc_tls(config, signal)
    if insecure:
        return None
    if credentials is not None:
        return credentials
    root, key, chain = env_path(signal, "CERTIFICATE"), env_path(signal, "CLIENT_KEY"), None
    chain = env_path(signal, "CLIENT_CERTIFICATE")
    return grpc.ssl_channel_credentials(
        root_certificates=root.read_bytes() if root else None,
        private_key=key.read_bytes() if key else None,
        certificate_chain=chain.read_bytes() if chain else None,
    )
