"""Command-line entry point: one argparse sub-command per module in `central_otel.commands`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from central_otel import __version__
from central_otel.commands import COMMAND_MODULES, load_commands


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every sub-command, or of `command` alone (only its module is
    imported)."""
    parser = argparse.ArgumentParser(
        prog="central-otel",
        description="Bridge the Aruba Central Streaming API to OpenTelemetry (OTLP).",
    )
    parser.add_argument("--version", action="version", version=f"central-otel {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in load_commands(*([command] if command in COMMAND_MODULES else [])):
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words[0] if words else None)
    args = parser.parse_args(words)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        result: int = handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` or a closed pager: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    return result
