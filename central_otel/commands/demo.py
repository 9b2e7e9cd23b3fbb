"""`central-otel demo`: the whole pipeline against the built-in simulator.

No Aruba account and no configuration: a simulated Central runs in-process on
loopback, the bridge subscribes to all six topics exactly as `run` does, and the
telemetry is printed readably (or shipped to an OTLP endpoint).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from central_otel.config import ConfigError, parse_config, parse_duration
from central_otel.logging_setup import configure_logging
from central_otel.pipeline.app import Bridge
from central_otel.pipeline.runner import serve
from central_otel.settings import bridge_settings
from central_otel.simulator import CentralSimulator, EstateScale
from central_otel.telemetry.providers import Telemetry, TelemetryOptions
from central_otel.topics import TOPIC_NAMES

DESCRIPTION = """\
Start a simulated Aruba Central on 127.0.0.1 and the full pipeline against it:
WebSocket subscriptions to all six topics, decoding, the entity store, metrics and
events. By default the telemetry is printed to standard output every
--export-interval; with --otlp-endpoint it is exported over OTLP instead (e.g. to a
local OpenTelemetry Collector). Stop with Ctrl-C, or after --duration."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="try the whole pipeline against the built-in simulator (no account needed)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--otlp-endpoint", metavar="URL", help="export over OTLP to URL instead of printing"
    )
    parser.add_argument(
        "--protocol", choices=("grpc", "http/protobuf"), default="grpc", help="OTLP protocol"
    )
    parser.add_argument(
        "--scale", choices=EstateScale.PRESETS, default="small", help="simulated estate size"
    )
    parser.add_argument(
        "--stats-interval",
        default="5s",
        metavar="DURATION",
        help="simulated stats period (default 5s)",
    )
    parser.add_argument(
        "--export-interval", default="10s", metavar="DURATION", help="export period (default 10s)"
    )
    parser.add_argument(
        "--duration", metavar="DURATION", help="stop after this long (default: until Ctrl-C)"
    )
    parser.add_argument("--per-client", action="store_true", help="also export per-client metrics")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        stats_interval = parse_duration(args.stats_interval)
        export_interval = parse_duration(args.export_interval)
        duration = parse_duration(args.duration) if args.duration else None
    except ValueError as err:
        print(f"central-otel demo: {err}", file=sys.stderr)
        return 2
    configure_logging("debug" if args.verbose else "info")
    try:
        return asyncio.run(_demo(args, stats_interval, export_interval, duration))
    except ConfigError as err:  # a bad --otlp-endpoint
        print(err, file=sys.stderr)
        return 2


async def _demo(
    args: argparse.Namespace, stats_interval: float, export_interval: float, duration: float | None
) -> int:
    sim = CentralSimulator(scale=EstateScale.preset(args.scale), stats_interval=stats_interval)
    customer = sim.add_customer("demo", topics=TOPIC_NAMES)
    await sim.start("127.0.0.1", 0)
    try:
        document: dict[str, object] = {
            "central": {"base_url": sim.url},
            "customers": {"demo": {"key": customer.key, "topics": list(TOPIC_NAMES)}},
            "health": {"listen": "127.0.0.1:0"},
            "metrics": {"per_client": args.per_client},
        }
        if args.otlp_endpoint:
            document["otlp"] = {
                "endpoint": args.otlp_endpoint,
                "protocol": args.protocol,
                "export_interval": export_interval,
            }
        config = parse_config(document, source="demo")
        options = TelemetryOptions(cardinality_limit=1_000_000)
        if args.otlp_endpoint:
            telemetry = Telemetry(config.otlp, options=options)
        else:
            telemetry = Telemetry.console(
                sys.stdout, export_interval=export_interval, options=options
            )
        stop = asyncio.Event()
        if duration is not None:
            asyncio.get_running_loop().call_later(duration, stop.set)

        def started(bridge: Bridge) -> None:
            port = bridge.health.port if bridge.health else None
            logging.getLogger(__name__).info(
                "demo running: simulated Central at %s, %s; health on http://127.0.0.1:%s/status; "
                "exporting to %s; Ctrl-C to stop",
                sim.url,
                ", ".join(TOPIC_NAMES),
                port,
                telemetry.describe(),
            )

        await serve(bridge_settings(config, exiting=True), telemetry, stop=stop, on_started=started)
    finally:
        await sim.stop()
    return 0
