"""The SDK's OTLP log exporter, and the connection options of both of its OTLP
exporters, from an `OtlpConfig` (gRPC or HTTP/protobuf), connected the way
`export.endpoint` describes (the bridge's own transports connect the same way). The
metric exporter is in `telemetry.sdk_metrics`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from central_otel.config.model import OtlpConfig
from central_otel.export.endpoint import (
    Signal,
    env_path,
    http_ca_file,
    refuse_zstd_over_grpc,
    request_headers,
    signal_url,
    uses_tls,
    warn_insecure_ignored,
)
from central_otel.telemetry.logs_api import LogRecordExporter, otlp_log_exporter_class

if TYPE_CHECKING:
    import grpc
    from opentelemetry.exporter.otlp.proto.http import Compression as HttpCompression

# Data points per export request: keeps a large export under gRPC's default
# 4 MiB message limit at the Collector (~300-400 bytes per point with device
# identity attributes).  Larger exports are split into several requests.
DEFAULT_MAX_EXPORT_BATCH_SIZE = 5000


def build_log_exporter(config: OtlpConfig) -> LogRecordExporter:
    """The OTLP log record exporter for `config`."""
    return otlp_log_exporter_class(config.protocol)(**sdk_connection(config, "logs"))


def sdk_connection(config: OtlpConfig, signal: Signal) -> dict[str, Any]:
    """The options that connect an SDK exporter of `signal` (either protocol's) to
    `config`'s endpoint."""
    if config.protocol == "grpc":
        insecure, credentials = grpc_tls(config, signal)
        return {
            "endpoint": config.endpoint,
            "insecure": insecure,
            "credentials": credentials,
            "headers": request_headers(config, signal),
            "timeout": config.timeout,
            "compression": grpc_compression(config),
        }
    from central_otel.export.http_session import http_session

    return {
        "endpoint": signal_url(config.endpoint, signal),
        "certificate_file": http_ca_file(config),
        "session": http_session(config),
        "headers": request_headers(config, signal),
        "timeout": config.timeout,
        "compression": _http_compression(config),
    }


def grpc_tls(config: OtlpConfig, signal: Signal) -> tuple[bool, grpc.ChannelCredentials | None]:
    """(insecure, credentials) for the SDK's gRPC exporters (which load grpcio: the
    bridge's own gRPC transport does without it)."""
    import grpc

    if not uses_tls(config):
        return True, None
    if config.insecure:
        warn_insecure_ignored(config.endpoint)
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


def grpc_compression(config: OtlpConfig) -> grpc.Compression:
    """The SDK's gRPC exporters' compression (`refuse_zstd_over_grpc` first)."""
    import grpc

    refuse_zstd_over_grpc(config)
    return grpc.Compression.Gzip if config.compression == "gzip" else grpc.Compression.NoCompression


def _http_compression(config: OtlpConfig) -> HttpCompression:
    """The SDK's HTTP exporters (the self-metrics, its log exporter) compress with gzip
    when zstd is configured: they have no zstd (`export.transport`, which sends the
    catalogue's metrics and the delivered events, has)."""
    from opentelemetry.exporter.otlp.proto.http import Compression as HttpCompression

    if config.compression == "none":
        return HttpCompression.NoCompression
    return HttpCompression.Gzip
