"""`central-otel check-config`: validate a configuration file and show it normalised."""

from __future__ import annotations

import argparse
import sys

from central_otel.commands.options import Subparsers, add_command, add_config_option
from central_otel.config import Config, ConfigError, load_config, render_config
from central_otel.config.errors import plural

DESCRIPTION = """\
Validate a configuration file (YAML or JSON, see docs/configuration.md) without
connecting anywhere: expand ${env:...} references, read key and client-secret files
and environment variables, check every value.

On success, print the normalised configuration as YAML on standard output (every
default filled in, durations in canonical form, paths absolute) with every secret
redacted: keys and client secrets appear as their source and SHA-256 fingerprint,
header values as <redacted>. A summary line goes to standard error. Exit status 0.

On error, print every problem found to standard error, one `path: message` line
each, after a `FILE: N problems` line. Exit status 1."""


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers,
        "check-config",
        run,
        help="validate a configuration file and print it normalised (secrets redacted)",
        description=DESCRIPTION,
    )
    add_config_option(parser)


def load_or_report(path: str) -> Config | None:
    """The configuration at `path`, or None after printing every problem to stderr.

    Shared by every command that takes --config, so all report problems alike.
    """
    try:
        config = load_config(path)
    except ConfigError as error:
        print(error, file=sys.stderr)
        if any(problem.path.endswith(".wsskey") for problem in error.problems):
            print(
                "hint: this looks like the old sample client's input.json;"
                " convert it with `central-otel migrate`",
                file=sys.stderr,
            )
        return None
    return config


def run(args: argparse.Namespace) -> int:
    config = load_or_report(args.config)
    if config is None:
        return 1
    sys.stdout.write(render_config(config))
    sys.stdout.flush()
    for notice in config.deprecations:
        print(f"warning: {notice}", file=sys.stderr)
    customers = plural(len(config.all_customers), "customer")
    subscriptions = plural(config.subscription_count, "subscription")
    print(f"config OK: {customers}, {subscriptions}", file=sys.stderr)
    return 0
