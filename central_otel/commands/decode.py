"""`central-otel decode`: captured frames to JSON lines, offline."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from central_otel.capture import CLASSIC, CaptureError, is_capture, iter_records
from central_otel.commands.options import (
    ANY_TOPIC_NAMES,
    Subparsers,
    add_command,
    add_mac_format_option,
    usage_error,
)
from central_otel.decoding import DecodedFrame, DecodeErrorKind, DecodeFailure, decode_frame
from central_otel.frame_json import MacStyle, iso_time, result_to_json
from central_otel.new_central.decoding import NewCentralFrame, decode_cloud_event
from central_otel.new_central.topics import NEW_CENTRAL_TOPIC_NAMES, parse_new_central_topic
from central_otel.topics import TOPIC_NAMES, parse_topic

NEW_CENTRAL = "new_central"
DESCRIPTION = """\
Decode Aruba Central streaming frames into one JSON object per frame: the envelope's
fields (Classic's MsgProto, New Central's CloudEvent), the topic, and the payload with
readable MACs, IPs and ESSIDs, enum names, and integers as numbers. FILE is a capture
(the `capture` setting, `tail --capture`; see docs/capture-format.md: it records each
frame's platform) or a single raw frame as received from the WebSocket; `-` reads
standard input. Exit status: 0 when every frame decoded, 1 otherwise."""


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers,
        "decode",
        run,
        help="decode captured frames into JSON lines",
        description=DESCRIPTION,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="capture file or raw frame, or -")
    parser.add_argument(
        "--topic",
        choices=ANY_TOPIC_NAMES,
        help="topic to assume when a frame's subject names none (for captures: overrides "
        "the recorded subscription topic); a raw New Central frame needs its topic",
    )
    parser.add_argument(
        "--platform",
        choices=("classic", "new-central"),
        help="the platform of a raw frame (default: new-central for a New Central topic, "
        "else classic); captures record it",
    )
    parser.add_argument(
        "--payload-only",
        action="store_true",
        help="FILE holds a bare topic payload without the MsgProto envelope (needs --topic)",
    )
    add_mac_format_option(parser)
    parser.add_argument(
        "--pretty", action="store_true", help="indent the JSON (one object per frame)"
    )


def run(args: argparse.Namespace) -> int:
    if args.payload_only and not args.topic:
        return usage_error("decode", "--payload-only needs --topic")
    platform = _platform(args.platform, args.topic)
    if platform == NEW_CENTRAL and args.topic not in NEW_CENTRAL_TOPIC_NAMES:
        return usage_error(
            "decode",
            f"a New Central frame needs --topic (one of {', '.join(NEW_CENTRAL_TOPIC_NAMES)})",
        )
    if platform == NEW_CENTRAL and args.payload_only:
        return usage_error("decode", "--payload-only is for Classic payloads")
    if platform == CLASSIC and args.topic and args.topic not in TOPIC_NAMES:
        return usage_error("decode", f"{args.topic} is not a Classic topic")
    decoder = _Decoder(args, platform, sys.stdout)
    for name in args.files:
        decoder.decode_file(name)
    if decoder.failed or decoder.file_errors:
        print(
            f"central-otel decode: {decoder.decoded} frame(s) decoded, {decoder.failed} failed, "
            f"{decoder.file_errors} file(s) unreadable",
            file=sys.stderr,
        )
        return 1
    return 0


def _platform(option: str | None, topic: str | None) -> str:
    if option is not None:
        return NEW_CENTRAL if option == "new-central" else CLASSIC
    return NEW_CENTRAL if topic in NEW_CENTRAL_TOPIC_NAMES and topic not in TOPIC_NAMES else CLASSIC


class _Decoder:
    """Decodes files as the command line `args` says, one JSON object per frame on `out`,
    and counts the frames decoded, those that failed and the files it could not read."""

    def __init__(self, args: argparse.Namespace, platform: str, out: TextIO) -> None:
        self.topic: str | None = args.topic
        self.platform = platform
        self.payload_only: bool = args.payload_only
        self.mac_style: MacStyle = args.mac_format
        self.indent = 2 if args.pretty else None
        self.out = out
        self.decoded = self.failed = self.file_errors = 0

    def decode_file(self, name: str) -> None:
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as err:
            self._file_error(name, err.strerror or str(err))
            return
        if not is_capture(data):
            self._emit(data, self.platform, self.topic, None, {})
            return
        try:
            for record in iter_records(data):
                extra = {"received_time": iso_time(record.received_ns), "customer": record.customer}
                topic = self.topic or record.topic or None
                self._emit(record.frame, record.platform, topic, record.customer, extra)
        except CaptureError as err:
            self._file_error(name, str(err))

    def _emit(
        self,
        frame: bytes,
        platform: str,
        topic: str | None,
        customer: str | None,
        extra: dict[str, Any],
    ) -> None:
        result: DecodedFrame | NewCentralFrame | DecodeFailure
        if platform == NEW_CENTRAL:
            nc_topic = parse_new_central_topic(topic) if topic else None
            if nc_topic is None:
                result = DecodeFailure(
                    DecodeErrorKind.UNKNOWN_TOPIC,
                    f"{topic or 'no topic'} is not a New Central topic",
                    len(frame),
                    topic,
                    customer,
                )
            else:
                result = decode_cloud_event(frame, topic=nc_topic, customer=customer)
        else:
            result = decode_frame(
                frame,
                topic=parse_topic(topic) if topic else None,
                customer=customer,
                with_envelope=not self.payload_only,
            )
        if isinstance(result, DecodeFailure):
            self.failed += 1
        else:
            self.decoded += 1
        obj = {**extra, **result_to_json(result, self.mac_style)}
        self.out.write(json.dumps(obj, indent=self.indent, ensure_ascii=False) + "\n")

    def _file_error(self, name: str, reason: str) -> None:
        self.file_errors += 1
        print(f"central-otel decode: {name}: {reason}", file=sys.stderr)
