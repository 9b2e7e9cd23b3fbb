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
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

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


def grpc_address(config: OtlpConfig) -> tuple[str, int]:
    """The host and port of a gRPC endpoint URL; without a port, the scheme's (80, 443)."""
    parts = urlsplit(config.endpoint)
    return parts.hostname or "localhost", parts.port or (443 if uses_tls(config) else 80)


def otlp_tls_context(config: OtlpConfig, signal: Signal) -> ssl.SSLContext | None:
    """The TLS of the bridge's own gRPC transport (None: plaintext): verified against
    ``ca_file``, else the environment's CA file, else the system's CAs; with the
    environment's client certificate for mTLS; offering HTTP/2 (ALPN ``h2``)."""
    if not uses_tls(config):
        return None
    if config.insecure:
        warn_insecure_ignored(config.endpoint)
    ca = config.ca_file or env_path(signal, "CERTIFICATE")
    context = ssl.create_default_context(cafile=str(ca) if ca else None)
    key, chain = env_path(signal, "CLIENT_KEY"), env_path(signal, "CLIENT_CERTIFICATE")
    if key and chain:
        context.load_cert_chain(str(chain), str(key))
    context.set_alpn_protocols(["h2"])
    return context


@functools.cache
def warn_insecure_ignored(endpoint: str) -> None:
    """Once per endpoint, not once per signal."""
    log.warning("otlp.insecure is ignored: the https:// endpoint %s always uses TLS", endpoint)


def env_path(signal: Signal, name: str) -> Path | None:
    value = os.environ.get(f"OTEL_EXPORTER_OTLP_{signal.upper()}_{name}") or os.environ.get(
        f"OTEL_EXPORTER_OTLP_{name}"
    )
    return Path(value) if value else None


def refuse_zstd_over_grpc(config: OtlpConfig) -> None:
    """gRPC has no zstd (the configuration refuses ``compression: zstd`` with
    ``protocol: grpc``; this holds for an `OtlpConfig` made in code)."""
    if config.protocol == "grpc" and config.compression == "zstd":
        raise ValueError("otlp.compression: zstd needs protocol: http/protobuf")


def http_ca_file(config: OtlpConfig) -> str | None:
    """HTTP: the CA file; None lets the SDK use its environment or the system CAs."""
    return str(config.ca_file) if config.ca_file is not None and uses_tls(config) else None
