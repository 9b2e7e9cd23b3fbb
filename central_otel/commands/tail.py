"""`central-otel tail`: connect exactly as `run` does and print each decoded frame."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from dataclasses import replace
from pathlib import Path

from central_otel.commands.check_config import load_or_report
from central_otel.commands.options import (
    ANY_TOPIC_NAMES,
    Subparsers,
    add_command,
    add_config_option,
    add_mac_format_option,
    usage_error,
)
from central_otel.config import CaptureConfig, Config, format_size, parse_size
from central_otel.config.model import AnyTopic
from central_otel.config.streaming import DEFAULT_CAPTURE_SIZE, MIN_CAPTURE_SIZE
from central_otel.decoding import DecodedFrame, DecodeFailure, decode_frame
from central_otel.frame_json import MacStyle, iso_time, result_to_json
from central_otel.logging_setup import configure_logging
from central_otel.new_central.decoding import NewCentralFrame, decode_cloud_event
from central_otel.new_central.subscription import NewCentralSubscription
from central_otel.new_central.topics import NewCentralTopic
from central_otel.settings import new_central_stream_settings, streams_settings
from central_otel.signals import stop_on_signals
from central_otel.streaming.streamer import Streamer
from central_otel.streaming.subscription import Subscription
from central_otel.topics import TOPIC_NAMES, Topic

DESCRIPTION = """\
Subscribe to Aruba Central (Classic and New Central) with the configuration's
customers, keys or API clients, and topics (the same connection policy as `run`:
reconnects, key and token renewal) and print every frame as one JSON line on standard
output: envelope fields, topic, customer, and the payload with readable MACs, IPs and
ESSIDs. Logs go to standard error. Stop with Ctrl-C.

With --capture FILE (or capture.file in the configuration) the raw frames are also
recorded, size-bounded, in the format `central-otel decode` reads."""


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers,
        "tail",
        run,
        help="print the decoded frames Central sends, live",
        description=DESCRIPTION,
    )
    add_config_option(parser)
    parser.add_argument(
        "--customer", action="append", metavar="NAME", help="only this customer (repeatable)"
    )
    parser.add_argument(
        "--topic",
        action="append",
        choices=ANY_TOPIC_NAMES,
        help="only this topic (repeatable; a Classic or New Central topic)",
    )
    add_mac_format_option(parser)
    parser.add_argument(
        "--capture",
        metavar="FILE",
        type=Path,
        help="also record every received frame to FILE (mode 0600), for `central-otel decode`; "
        "overrides the configuration's capture.file",
    )
    parser.add_argument(
        "--capture-max-size",
        metavar="SIZE",
        type=_size,
        help="stop recording once the capture would grow past SIZE (e.g. 10MiB; default: "
        f"the configuration's capture.max_size, else {format_size(DEFAULT_CAPTURE_SIZE)})",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="debug logging on standard error"
    )


def _size(text: str) -> int:
    try:
        size = parse_size(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    if size < MIN_CAPTURE_SIZE:
        raise argparse.ArgumentTypeError(f"must be at least {format_size(MIN_CAPTURE_SIZE)}")
    return size


def with_capture(config: Config, file: Path | None, max_size: int | None) -> Config | None:
    """`config` with the command line's capture options applied; None if they make no sense."""
    if file is None and max_size is None:
        return config
    if file is None:
        if config.capture is None or max_size is None:
            return None
        return replace(config, capture=replace(config.capture, max_size=max_size))
    if max_size is None:
        max_size = config.capture.max_size if config.capture else DEFAULT_CAPTURE_SIZE
    return replace(config, capture=CaptureConfig(file=file.absolute(), max_size=max_size))


def run(args: argparse.Namespace) -> int:
    loaded = load_or_report(args.config)
    if loaded is None:
        return 1
    config = with_capture(loaded, args.capture, args.capture_max_size)
    if config is None:
        return usage_error(
            "tail", f"--capture-max-size needs --capture FILE (or capture.file in {args.config})"
        )
    unknown = [
        name for name in args.customer or [] if name not in {c.name for c in config.all_customers}
    ]
    if unknown:
        return usage_error(
            "tail", f"no customer named {', '.join(map(repr, unknown))} in {args.config}"
        )
    configure_logging(
        "debug" if args.verbose else config.logging.level, config.logging.format, config.secrets()
    )
    topics = [_topic(t) for t in args.topic] if args.topic else None
    asyncio.run(_tail(config, args.customer, topics, args.mac_format))
    return 0


def _topic(name: str) -> AnyTopic:
    """A topic name as given; 'location' (both platforms) selects both."""
    return Topic(name) if name in TOPIC_NAMES else NewCentralTopic(name)


async def _tail(
    config: Config, customers: list[str] | None, topics: list[AnyTopic] | None, mac_style: str
) -> None:
    style: MacStyle = "semconv" if mac_style == "semconv" else "colon"

    def write(
        customer: str, received_ns: int, result: DecodedFrame | NewCentralFrame | DecodeFailure
    ) -> None:
        if isinstance(result, DecodeFailure):
            logging.getLogger(__name__).warning("%s", result.describe())
        head = {"received_time": iso_time(received_ns), "customer": customer}
        body = result_to_json(result, style)
        sys.stdout.write(json.dumps({**head, **body}, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    def on_frame(subscription: Subscription, data: bytes, received_ns: int) -> None:
        result = decode_frame(data, topic=subscription.topic, customer=subscription.customer)
        write(subscription.customer, received_ns, result)

    def on_new_central_frame(
        subscription: NewCentralSubscription, data: bytes, received_ns: int
    ) -> None:
        result = decode_cloud_event(data, topic=subscription.topic, customer=subscription.customer)
        write(subscription.customer, received_ns, result)

    streamer = Streamer(
        config,
        on_frame,
        on_new_central_frame=on_new_central_frame,
        settings=streams_settings(config.streaming),
        new_central_settings=new_central_stream_settings(config.streaming),
        customers=customers,
        topics=topics,
    )
    if not streamer.selected() and not streamer.selected_new_central():
        print("central-otel tail: the filters select no subscription", file=sys.stderr)
        return
    with stop_on_signals() as stop:
        await streamer.start()
        try:
            await stop.wait()
        finally:
            await streamer.stop()
