"""`central-otel decode`: captured frames to JSON lines, offline."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from central_otel.capture import CaptureError, is_capture, iter_records
from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.frame_json import MacStyle, failure_to_json, frame_to_json, iso_time
from central_otel.topics import TOPIC_NAMES, Topic, parse_topic

DESCRIPTION = """\
Decode Aruba Central streaming frames into one JSON object per frame: the envelope's
fields, the topic, and the payload with readable MACs, IPs and ESSIDs, enum names,
and integers as numbers. FILE is a capture (the `capture` setting, `tail --capture`;
see docs/capture-format.md) or a single raw frame as received from the WebSocket;
`-` reads standard input. Exit status: 0 when every frame decoded, 1 otherwise."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "decode",
        help="decode captured frames into JSON lines",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="capture file or raw frame, or -")
    parser.add_argument(
        "--topic",
        choices=TOPIC_NAMES,
        help="topic to assume when a frame's subject names none (for captures: overrides "
        "the recorded subscription topic)",
    )
    parser.add_argument(
        "--payload-only",
        action="store_true",
        help="FILE holds a bare topic payload without the MsgProto envelope (needs --topic)",
    )
    parser.add_argument(
        "--mac-format",
        choices=("colon", "semconv"),
        default="colon",
        help="aa:bb:cc:dd:ee:ff (default) or AA-BB-CC-DD-EE-FF (OpenTelemetry form)",
    )
    parser.add_argument(
        "--pretty", action="store_true", help="indent the JSON (one object per frame)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.payload_only and not args.topic:
        print("central-otel decode: --payload-only needs --topic", file=sys.stderr)
        return 2
    topic = parse_topic(args.topic) if args.topic else None
    decoder = _Decoder(topic, args.payload_only, args.mac_format, args.pretty, sys.stdout)
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


class _Decoder:
    def __init__(
        self,
        topic: Topic | None,
        payload_only: bool,
        mac_style: MacStyle,
        pretty: bool,
        out: TextIO,
    ) -> None:
        self.topic = topic
        self.payload_only = payload_only
        self.mac_style: MacStyle = mac_style
        self.indent = 2 if pretty else None
        self.out = out
        self.decoded = 0
        self.failed = 0
        self.file_errors = 0

    def decode_file(self, name: str) -> None:
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as err:
            self._file_error(name, err.strerror or str(err))
            return
        if not is_capture(data):
            self._emit(data, self.topic, None, {})
            return
        try:
            for record in iter_records(data):
                recorded = parse_topic(record.topic) if record.topic else None
                extra = {"received_time": iso_time(record.received_ns), "customer": record.customer}
                self._emit(record.frame, self.topic or recorded, record.customer, extra)
        except CaptureError as err:
            self._file_error(name, str(err))

    def _emit(
        self, frame: bytes, topic: Topic | None, customer: str | None, extra: dict[str, Any]
    ) -> None:
        result = decode_frame(
            frame, topic=topic, customer=customer, with_envelope=not self.payload_only
        )
        if isinstance(result, DecodedFrame):
            self.decoded += 1
            obj = {**extra, **frame_to_json(result, self.mac_style)}
        else:
            self.failed += 1
            obj = {**extra, **failure_to_json(result)}
        self.out.write(json.dumps(obj, indent=self.indent, ensure_ascii=False) + "\n")

    def _file_error(self, name: str, reason: str) -> None:
        self.file_errors += 1
        print(f"central-otel decode: {name}: {reason}", file=sys.stderr)
