"""`central-otel demo`: the whole pipeline against the built-in simulator.

No Aruba account and no configuration: a simulated Classic Central and a simulated New
Central run in-process on loopback, one customer each, the bridge subscribes to every
topic of both exactly as `run` does (the Classic customer's devices with their site,
group and labels from the simulator's REST API), and what it does is shown as a live
summary (`central_otel.views.demo_view`), as plain lines when standard output is not a
terminal, or as the full dump of every data point and log record (`--verbose`). With
`--otlp-endpoint` the telemetry is shipped over OTLP too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO, cast

from rich.live import Live

from central_otel.commands.options import Subparsers, add_command, usage_error
from central_otel.config import Config, ConfigError, parse_config, parse_duration
from central_otel.logging_setup import configure_logging
from central_otel.new_central.topics import NEW_CENTRAL_TOPIC_NAMES
from central_otel.pipeline.app import Bridge
from central_otel.pipeline.runner import serve
from central_otel.settings import bridge_settings
from central_otel.simulator import ApiCredentials, CentralSimulator, EstateScale
from central_otel.simulator.new_central import ApiClient, NewCentralSimulator
from central_otel.telemetry.providers import Telemetry, TelemetryOptions
from central_otel.topics import TOPIC_NAMES
from central_otel.views.demo_view import DemoView, EventTap, LogLines
from central_otel.views.estate import STATS_READ
from central_otel.views.text import console_for

OUTPUTS = ("auto", "live", "plain", "raw")

DESCRIPTION = """\
Start a simulated Aruba Central on 127.0.0.1 (a Classic customer "demo" and a New
Central customer "demo-nc") and the full pipeline against it: WebSocket subscriptions
to every topic of both platforms, decoding, the entity store, metrics and events
(the Classic customer's device context from the simulated REST API). What the bridge
does is shown as a summary refreshed in place: the
subscriptions and their state, the estate (devices up and down, clients by SSID and
band, the busiest APs), the last export and the last events.

--output plain (the default when standard output is not a terminal) prints the same
facts as plain lines after each export; --verbose (--output raw) prints every data
point and log record instead. With --otlp-endpoint the telemetry is exported over
OTLP (e.g. to a local OpenTelemetry Collector); otherwise it is only counted (raw:
printed). Stop with Ctrl-C, or after --duration."""


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers,
        "demo",
        run,
        help="try the whole pipeline against the built-in simulator (no account needed)",
        description=DESCRIPTION,
    )
    parser.add_argument("--otlp-endpoint", metavar="URL", help="also export over OTLP to URL")
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
    parser.add_argument(
        "--output",
        choices=OUTPUTS,
        default="auto",
        help="live: the summary, redrawn in place; plain: the summary as lines after each "
        "export; raw: every data point and log record; auto (default): live on a terminal, "
        "plain otherwise",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="the full dump (same as --output raw)"
    )
    parser.add_argument(
        "--refresh", default="1s", metavar="DURATION", help="live summary redraw period"
    )
    parser.add_argument(
        "--log-level",
        choices=("debug", "info", "warning", "error"),
        help="process log level (default: warning under the live summary, which shows the "
        "last lines; info otherwise, on standard error)",
    )


@dataclass(frozen=True, slots=True)
class DemoOptions:
    output: str  # live, plain or raw
    stats_interval: float
    export_interval: float
    refresh: float
    duration: float | None


def output_mode(requested: str, verbose: bool, stdout: TextIO) -> str:
    """live, plain or raw: what `--output`/`--verbose` ask for on this stdout."""
    if verbose:
        return "raw"
    if requested == "auto":
        return "live" if stdout.isatty() else "plain"
    return requested


def run(args: argparse.Namespace) -> int:
    try:
        options = DemoOptions(
            output=output_mode(args.output, args.verbose, sys.stdout),
            stats_interval=parse_duration(args.stats_interval),
            export_interval=parse_duration(args.export_interval),
            refresh=parse_duration(args.refresh),
            duration=parse_duration(args.duration) if args.duration else None,
        )
    except ValueError as err:
        return usage_error("demo", err)
    log = LogLines() if options.output == "live" else None
    level = args.log_level or ("warning" if options.output == "live" else "info")
    configure_logging(level, stream=cast(TextIO, log))
    try:
        return asyncio.run(_demo(args, options, log))
    except ConfigError as err:  # a bad --otlp-endpoint
        print(err, file=sys.stderr)
        return 2
    finally:
        if log is not None:  # the process log goes back to the terminal
            configure_logging(level)


def _config(
    args: argparse.Namespace,
    sim_url: str,
    key: str,
    export_interval: float,
    new_central: tuple[NewCentralSimulator, ApiClient],
    *,
    api: ApiCredentials,
    state_dir: str,
) -> Config:
    nc_sim, client = new_central
    document: dict[str, object] = {
        "central": {"base_url": sim_url},
        "customers": {
            "demo": {
                "key": key,
                "topics": list(TOPIC_NAMES),
                # Site, group and labels of every device, from the simulator's REST API.
                "inventory": {
                    "api_base_url": sim_url,
                    "client_id": api.client_id,
                    "client_secret": api.client_secret,
                    "refresh_token": api.refresh_token,
                },
            },
            client.name: {
                "platform": "new_central",
                "base_url": nc_sim.url,
                "client_id": client.client_id,
                "client_secret": client.client_secret,
                "token_url": nc_sim.token_url,
                "topics": list(NEW_CENTRAL_TOPIC_NAMES),
            },
        },
        # The inventory's rotated API token is kept here (a fresh directory per demo).
        "state_dir": state_dir,
        "health": {"listen": "127.0.0.1:0"},
        "metrics": {"per_client": args.per_client},
        # The simulated estate comes into being as the demo starts: its clients
        # connecting are part of what the demo shows, not a snapshot of old news.
        "events": {"baseline_window": 0},
    }
    if args.otlp_endpoint:
        document["otlp"] = {
            "endpoint": args.otlp_endpoint,
            "protocol": args.protocol,
            "export_interval": export_interval,
        }
    return parse_config(document, source="demo")


@contextlib.contextmanager
def _telemetry(config: Config, output: str, otlp: bool, interval: float) -> Iterator[Telemetry]:
    """OTLP when asked; else the console: every point printed (raw), or written
    nowhere and only counted (the summary shows the counts)."""
    options = TelemetryOptions(cardinality_limit=1_000_000)
    if otlp:
        yield Telemetry(config.otlp, options=options)
    elif output == "raw":
        yield Telemetry.console(sys.stdout, export_interval=interval, options=options)
    else:
        with open(os.devnull, "w", encoding="utf-8") as nowhere:
            yield Telemetry.console(nowhere, export_interval=interval, options=options)


async def _demo(args: argparse.Namespace, options: DemoOptions, log: LogLines | None) -> int:
    scale = EstateScale.preset(args.scale)
    sim = CentralSimulator(scale=scale, stats_interval=options.stats_interval)
    customer = sim.add_customer("demo", topics=TOPIC_NAMES)
    api = sim.rest_api.add_client("demo")
    nc_sim = NewCentralSimulator(scale=scale, stats_interval=options.stats_interval)
    client = nc_sim.add_customer("demo-nc")
    await sim.start("127.0.0.1", 0)
    await nc_sim.start("127.0.0.1", 0)
    state = tempfile.TemporaryDirectory(prefix="central-otel-demo-")
    config = _config(
        args,
        sim.url,
        customer.key,
        options.export_interval,
        (nc_sim, client),
        api=api,
        state_dir=state.name,
    )
    stop = asyncio.Event()
    if options.duration is not None:
        asyncio.get_running_loop().call_later(options.duration, stop.set)
    try:
        with _telemetry(
            config, options.output, bool(args.otlp_endpoint), options.export_interval
        ) as telemetry:
            events = EventTap()
            telemetry.logger_provider.add_log_record_processor(events)
            view = DemoView(
                exporting_to=telemetry.describe() if args.otlp_endpoint else "counted only",
                export_stats=telemetry.export_stats,
                export_interval=options.export_interval,
                events=events,
                log=log,
            )
            await _run(
                options, view=view, telemetry=telemetry, config=config, sim_url=sim.url, stop=stop
            )
    finally:
        await sim.stop()
        await nc_sim.stop()
        state.cleanup()
    return 0


async def _run(
    options: DemoOptions,
    *,
    view: DemoView,
    telemetry: Telemetry,
    config: Config,
    sim_url: str,
    stop: asyncio.Event,
) -> None:
    refresher: list[asyncio.Task[None]] = []

    def started(bridge: Bridge) -> None:
        port = bridge.health.port if bridge.health else None
        logging.getLogger(__name__).info(
            "demo running: simulated Central at %s (%s; New Central: %s); health on "
            "http://127.0.0.1:%s/status; exporting to %s; Ctrl-C to stop",
            sim_url,
            ", ".join(TOPIC_NAMES),
            ", ".join(NEW_CENTRAL_TOPIC_NAMES),
            port,
            telemetry.describe(),
        )
        view.attach(bridge)
        if options.output == "plain":
            stamp = time.strftime("%H:%M:%S")
            _print_plain([f"{stamp} demo running: health on http://127.0.0.1:{port}/status"])
            refresher.append(asyncio.create_task(_plain(view, options.refresh, stop)))

    settings = bridge_settings(config, exiting=True, view_reads=STATS_READ)
    if options.output != "live":
        await serve(settings, telemetry, stop=stop, on_started=started)
        if options.output == "plain":
            for task in refresher:
                await task
            await view.refresh()
            _print_plain(view.new_event_lines() + view.plain_lines())
        return
    console = console_for(sys.stdout, force_terminal=True)
    with Live(view.render(), console=console, auto_refresh=False) as live:
        redraw = asyncio.create_task(_redraw(view, live, options.refresh, stop))
        try:
            await serve(settings, telemetry, stop=stop, on_started=started)
        finally:
            stop.set()
            await redraw
            await view.refresh()
            live.update(view.render(), refresh=True)


async def _redraw(view: DemoView, live: Live, period: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await view.refresh()
        live.update(view.render(), refresh=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), period)


async def _plain(view: DemoView, period: float, stop: asyncio.Event) -> None:
    """New events as they come; the summary's lines after each metrics export."""
    exports = view.exports_done()
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), period)
        await view.refresh()
        lines = view.new_event_lines()
        done = view.exports_done()
        if done != exports:
            exports = done
            lines += view.plain_lines()
        _print_plain(lines)


def _print_plain(lines: list[str]) -> None:
    if lines:
        sys.stdout.write("".join(line + "\n" for line in lines))
        sys.stdout.flush()
