"""`central-otel migrate`: convert the old sample client's input.json into a configuration file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from central_otel.commands.options import Subparsers, add_command
from central_otel.config import ConfigError
from central_otel.config.errors import plural
from central_otel.config.files import (
    SECRET_FILE_MODE,
    default_file_mode,
    make_private_dir,
    write_atomic,
)
from central_otel.config.loader import read_document
from central_otel.config.migrate import Migration, plan_migration, render_migration

DESCRIPTION = """\
Convert the input.json of Aruba's sample streaming client (wsclient_public.py)
into a central-otel configuration. Entries that share a wsskey become one
customer subscribed to all their topics; the customer is named after the
entries' common stem (CustomerA_monitoring + CustomerA_security -> CustomerA).

Keys are never printed. Where they go depends on the options:
  --key-dir DIR   each key is written to DIR/<customer>.key (mode 0600; DIR is
                  created with mode 0700) and referenced with key_file
  -o OUT only     keys are written inline (key:) into OUT, created with mode 0600
  neither         the configuration goes to standard output and each customer
                  reads its key from an environment variable (key_env); the
                  variable names are listed on standard error

Exit status: 0 on success, 1 if the input is invalid (every problem is listed)
or a file cannot be written."""


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers,
        "migrate",
        run,
        help="convert the old sample client's input.json into a configuration file",
        description=DESCRIPTION,
    )
    parser.add_argument(
        "--hostname",
        required=True,
        metavar="HOST",
        help="Central's streaming host, as given to the old client "
        "(e.g. internal-ui.central.arubanetworks.com or wss://HOST/streaming/api)",
    )
    parser.add_argument("input", metavar="INPUT_JSON", help="the old client's input.json")
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="write the configuration to OUT (default: stdout)"
    )
    parser.add_argument(
        "--key-dir", metavar="DIR", help="write each key to DIR/<customer>.key (key_file)"
    )


def _say(message: str) -> None:
    print(f"central-otel migrate: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    source = str(args.input)
    output = Path(args.output) if args.output else None
    if output is not None and _same_file(output, Path(source)):
        _say(f"refusing to overwrite the input file {source}")
        return 1
    try:
        data = read_document(Path(source), source, json_format=True)
        migration = plan_migration(data, hostname=args.hostname, source=source)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 1
    for warning in migration.warnings:
        _say(f"warning: {warning}")
    try:
        if args.key_dir:
            settings = _write_key_files(migration, Path(args.key_dir))
        elif output is not None:
            settings = {c.name: ("key", c.key.reveal()) for c in migration.customers}
        else:
            settings = {c.name: ("key_env", c.key_env) for c in migration.customers}
        text = render_migration(migration, settings, source)
        if output is not None:
            inline = not args.key_dir
            mode = SECRET_FILE_MODE if inline else default_file_mode()
            write_atomic(output, text.encode("utf-8"), mode)
            _say(f"wrote {output}" + (" (mode 0600: it contains the keys)" if inline else ""))
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        _say(f"cannot write{where}: {error.strerror or error}")
        return 1
    if not args.key_dir and output is None:
        for customer in migration.customers:
            _say(
                f"customer {customer.name}: set {customer.key_env} to the wsskey of"
                f" {', '.join(customer.entries)} in {source}"
            )
    customers = plural(len(migration.customers), "customer")
    subscriptions = plural(migration.subscription_count, "subscription")
    _say(f"migrated {customers}, {subscriptions}")
    return 0


def _same_file(output: Path, source: Path) -> bool:
    try:
        return output.exists() and os.path.samefile(output, source)
    except OSError:
        return False


def _write_key_files(migration: Migration, key_dir: Path) -> dict[str, tuple[str, str]]:
    created = make_private_dir(key_dir)
    if not created and key_dir.stat().st_mode & 0o077:
        _say(f"warning: {key_dir} is accessible to other users (consider chmod 700)")
    settings: dict[str, tuple[str, str]] = {}
    for customer in migration.customers:
        path = Path(os.path.abspath(key_dir / f"{customer.name}.key"))
        write_atomic(path, (customer.key.reveal() + "\n").encode("utf-8"), SECRET_FILE_MODE)
        _say(f"wrote {path} (key of customer {customer.name}, mode 0600)")
        settings[customer.name] = ("key_file", str(path))
    return settings
