"""`central-otel tail`: connect exactly as `run` does and print each decoded frame."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys

from central_otel.commands.check_config import load_or_report
from central_otel.config import Config
from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.frame_json import failure_to_json, frame_to_json, iso_time
from central_otel.streaming.streamer import Streamer
from central_otel.streaming.subscription import Subscription
from central_otel.topics import TOPIC_NAMES, Topic

DESCRIPTION = """\
Subscribe to Aruba Central with the configuration's customers, keys and topics (the
same connection policy as `run`: reconnects, key renewal) and print every frame as one
JSON line on standard output: envelope fields, topic, customer, and the payload with
readable MACs, IPs and ESSIDs. Logs go to standard error. Stop with Ctrl-C."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "tail",
        help="print the decoded frames Central sends, live",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-c", "--config", required=True, metavar="FILE", help="configuration file")
    parser.add_argument(
        "--customer", action="append", metavar="NAME", help="only this customer (repeatable)"
    )
    parser.add_argument(
        "--topic", action="append", choices=TOPIC_NAMES, help="only this topic (repeatable)"
    )
    parser.add_argument(
        "--mac-format",
        choices=("colon", "semconv"),
        default="colon",
        help="aa:bb:cc:dd:ee:ff (default) or AA-BB-CC-DD-EE-FF",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="debug logging on standard error"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = load_or_report(args.config)
    if config is None:
        return 1
    unknown = [
        name for name in args.customer or [] if name not in {c.name for c in config.customers}
    ]
    if unknown:
        print(
            f"central-otel tail: no customer named {', '.join(map(repr, unknown))} "
            f"in {args.config}",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    topics = [Topic(t) for t in args.topic] if args.topic else None
    asyncio.run(_tail(config, args.customer, topics, args.mac_format))
    return 0


async def _tail(
    config: Config, customers: list[str] | None, topics: list[Topic] | None, mac_style: str
) -> None:
    def on_frame(subscription: Subscription, data: bytes, received_ns: int) -> None:
        result = decode_frame(data, topic=subscription.topic, customer=subscription.customer)
        head = {"received_time": iso_time(received_ns), "customer": subscription.customer}
        if isinstance(result, DecodedFrame):
            body = frame_to_json(result, "semconv" if mac_style == "semconv" else "colon")
        else:
            logging.getLogger(__name__).warning("%s", result.describe())
            body = failure_to_json(result)
        sys.stdout.write(json.dumps({**head, **body}, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    streamer = Streamer(config, on_frame, customers=customers, topics=topics)
    if not streamer.selected():
        print("central-otel tail: the filters select no subscription", file=sys.stderr)
        return
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await streamer.start()
    try:
        await stop.wait()
    finally:
        await streamer.stop()
