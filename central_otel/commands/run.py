"""`central-otel run`: the whole pipeline, from a configuration file, until SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from central_otel.catalog.events import EventCatalogue, EventOptions
from central_otel.commands.check_config import load_or_report
from central_otel.pipeline.runner import serve
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


def configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # The SDK's and aiohttp's own chatter is for debugging only.
    for noisy in ("opentelemetry", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)


def run(args: argparse.Namespace) -> int:
    config = load_or_report(args.config)
    if config is None:
        return 1
    configure_logging(args.verbose)
    telemetry = Telemetry(config.otlp, options=TelemetryOptions(cardinality_limit=1_000_000))
    logging.getLogger(__name__).info("exporting to %s", telemetry.describe())
    asyncio.run(serve(config, telemetry, events=EventCatalogue(EventOptions())))
    return 0
