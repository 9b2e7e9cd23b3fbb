"""`central-otel run`: the whole pipeline, from a configuration file, until SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket

from central_otel.commands.check_config import load_or_report
from central_otel.commands.options import (
    Subparsers,
    add_command,
    add_config_option,
    usage_error,
)
from central_otel.logging_setup import configure_logging
from central_otel.malloc_policy import keep_large_buffers_mapped
from central_otel.pipeline.runner import serve
from central_otel.settings import bridge_settings
from central_otel.sharding import Shard, index_from_hostname
from central_otel.telemetry.providers import Telemetry, TelemetryOptions

DEPRECATED_METRICS_ENV = "CENTRAL_OTEL_METRICS_EXPORTER"

DESCRIPTION = """\
Subscribe to every configured customer and topic, turn the streams into
OpenTelemetry metrics and logs, and export them over OTLP (see
docs/configuration.md and docs/metrics.md). Health endpoints listen on
health.listen (/healthz, /readyz, /status). SIGTERM or SIGINT closes the streams,
flushes metrics and logs, and exits 0 within 10 seconds."""


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers,
        "run",
        run,
        help="run the bridge: Central streams to OTLP",
        description=DESCRIPTION,
    )
    add_config_option(parser)
    parser.add_argument(
        "--shard-count",
        type=int,
        default=1,
        metavar="N",
        help="run as one of N shards: serve only the subscriptions that hash to this shard",
    )
    parser.add_argument(
        "--shard-index",
        type=int,
        metavar="I",
        help="this shard (0..N-1); default: the StatefulSet ordinal at the end of the hostname",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def shard_from_args(args: argparse.Namespace) -> Shard | None:
    """The shard this process is, or None for a single process. Raises ValueError."""
    if args.shard_count == 1 and args.shard_index in (None, 0):
        return None
    if args.shard_count < 1:
        raise ValueError(f"--shard-count must be at least 1 (got {args.shard_count})")
    index = args.shard_index
    if index is None:
        hostname = os.environ.get("HOSTNAME") or socket.gethostname()
        index = index_from_hostname(hostname)
        if index is None:
            raise ValueError(
                f"--shard-index not given and hostname {hostname!r} ends in no ordinal "
                "(like central-otel-2)"
            )
    return Shard(index, args.shard_count)


def run(args: argparse.Namespace) -> int:
    try:
        shard = shard_from_args(args)
    except ValueError as err:
        return usage_error("run", err)
    config = load_or_report(args.config)
    if config is None:
        return 1
    level = "debug" if args.verbose else config.logging.level
    configure_logging(level, config.logging.format, config.secrets())
    log = logging.getLogger(__name__)
    for notice in config.deprecations:
        log.warning("%s", notice)
    if os.environ.get(DEPRECATED_METRICS_ENV):
        log.warning(
            "%s is deprecated and ignored: the catalogue's metrics are always written "
            "directly as OTLP",
            DEPRECATED_METRICS_ENV,
        )
    keep_large_buffers_mapped()  # before the streams and exports allocate
    telemetry = Telemetry(config.otlp, options=TelemetryOptions(cardinality_limit=1_000_000))
    log.info("exporting to %s", telemetry.describe())
    asyncio.run(serve(bridge_settings(config, shard=shard, exiting=True), telemetry))
    return 0
