"""`central-otel run`: the whole pipeline, from a configuration file, until SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging

from central_otel.catalog.collect import MetricOptions
from central_otel.catalog.events import EventCatalogue, EventOptions
from central_otel.commands.check_config import load_or_report
from central_otel.config import Config
from central_otel.logging_setup import configure_logging
from central_otel.pipeline.runner import serve
from central_otel.state.store import StoreLimits
from central_otel.telemetry.providers import Telemetry, TelemetryOptions

DESCRIPTION = """\
Subscribe to every configured customer and topic, turn the streams into
OpenTelemetry metrics and logs, and export them over OTLP (see
docs/configuration.md and docs/metrics.md). Health endpoints listen on
health.listen (/healthz, /readyz, /status). SIGTERM or SIGINT closes the streams,
flushes metrics and logs, and exits 0 within 10 seconds."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the bridge: Central streams to OTLP",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-c", "--config", required=True, metavar="FILE", help="configuration file")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = load_or_report(args.config)
    if config is None:
        return 1
    level = "debug" if args.verbose else config.logging.level
    configure_logging(level, config.logging.format, config.secrets())
    telemetry = Telemetry(config.otlp, options=TelemetryOptions(cardinality_limit=1_000_000))
    logging.getLogger(__name__).info("exporting to %s", telemetry.describe())
    asyncio.run(
        serve(
            config,
            telemetry,
            options=metric_options(config),
            limits=store_limits(config),
            events=EventCatalogue(event_options(config)),
        )
    )
    return 0


def metric_options(config: Config) -> MetricOptions:
    return MetricOptions(per_client=config.metrics.per_client, disabled=config.metrics.disabled)


def event_options(config: Config) -> EventOptions:
    return EventOptions(disabled=config.metrics.disabled, enabled=config.events.enabled)


def store_limits(config: Config) -> StoreLimits:
    metrics = config.metrics
    return StoreLimits(
        series_ttl=metrics.series_ttl,
        state_ttl=metrics.state_ttl,
        max_entities=dict(metrics.max_entities),
        default_max_entities=metrics.default_max_entities,
    )
