"""What the sub-commands' parsers have in common: how a command is added, and the options
several commands take, so that each reads and is documented the same everywhere."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TypeAlias

from central_otel.new_central.topics import NEW_CENTRAL_TOPIC_NAMES
from central_otel.topics import TOPIC_NAMES

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

ANY_TOPIC_NAMES: tuple[str, ...] = tuple(dict.fromkeys((*TOPIC_NAMES, *NEW_CENTRAL_TOPIC_NAMES)))
"""Classic's topics, then New Central's not already named (`location` is both)."""


def add_command(
    subparsers: Subparsers,
    name: str,
    handler: Callable[[argparse.Namespace], int],
    *,
    help: str,
    description: str,
    epilog: str | None = None,
) -> argparse.ArgumentParser:
    """The parser of sub-command `name`, run by `handler`; its texts keep their line breaks."""
    parser = subparsers.add_parser(
        name,
        help=help,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def usage_error(command: str, message: object) -> int:
    """Print ``central-otel COMMAND: message`` on stderr; returns the exit status of a
    command line that cannot run (2)."""
    print(f"central-otel {command}: {message}", file=sys.stderr)
    return 2


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-c", "--config", required=True, metavar="FILE", help="the configuration file"
    )


def add_mac_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mac-format",
        choices=("colon", "semconv"),
        default="colon",
        help="aa:bb:cc:dd:ee:ff (default) or AA-BB-CC-DD-EE-FF (OpenTelemetry form)",
    )
