"""`central-otel status`: a running bridge's /status for an operator, like `kubectl get`."""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import urlsplit

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.text import Text

from central_otel.commands.options import Subparsers, add_command
from central_otel.config import parse_duration
from central_otel.signals import interrupt_on_signals
from central_otel.views import status_view
from central_otel.views.text import BAD, DIM, console_for

DEFAULT_URL = "http://127.0.0.1:8080"

# Exit codes, for scripts and probes.
HEALTHY = 0
UNHEALTHY = 1
USAGE = 2
NO_ANSWER = 3

DESCRIPTION = f"""\
Fetch /status from a running bridge's health endpoint and show it as tables: one row
per subscription (customer, topic, state, last frame, reconnects by cause, last
error), per customer (key fingerprint, age and outcome of its last validation,
renewals) and per export signal, then any other section the bridge reports, then
what is wrong.

Exit status: {HEALTHY} healthy, {UNHEALTHY} unhealthy (not ready, a subscription not connected,
a key rejected, exports failing, the event loop lagging), {NO_ANSWER} no answer or not a
central-otel /status. With --watch the view refreshes in place until Ctrl-C, and the
exit status is that of the last refresh."""


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers,
        "status",
        run,
        help="show a running bridge's /status (exit non-zero when unhealthy)",
        description=DESCRIPTION,
    )
    parser.add_argument(
        "--url",
        default=DEFAULT_URL,
        help=f"the bridge's health address (default {DEFAULT_URL}; /status is added)",
    )
    parser.add_argument("-w", "--watch", action="store_true", help="refresh until Ctrl-C")
    parser.add_argument(
        "--interval", default="2s", metavar="DURATION", help="refresh period (default 2s)"
    )
    parser.add_argument(
        "--timeout", default="5s", metavar="DURATION", help="wait for an answer (default 5s)"
    )


class NoAnswer(Exception):
    """The URL gave no /status document; the message says why, for people."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One look at the bridge: its rendering and its exit status."""

    view: RenderableType
    code: int


def status_url(url: str) -> str:
    """The /status URL of a health address given as ``host:port``, a base URL, or
    the /status URL itself."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    path = parts.path.rstrip("/")
    if not path.endswith("/status"):
        path += "/status"
    return parts._replace(path=path).geturl()


def fetch(url: str, timeout: float) -> Mapping[str, Any]:
    """The /status document at `url`; `NoAnswer` with a readable reason otherwise."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as err:
        raise NoAnswer(
            f"{url} answered HTTP {err.code} {err.reason}: is this a central-otel health address?"
        ) from None
    except urllib.error.URLError as err:
        raise NoAnswer(f"no answer from {url}: {_reason(err.reason)}") from None
    except TimeoutError:
        raise NoAnswer(f"no answer from {url} within {timeout:g}s") from None
    except (OSError, ValueError) as err:  # a reset connection, a malformed URL
        raise NoAnswer(f"no answer from {url}: {_reason(err)}") from None
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        doc = None
    if not isinstance(doc, dict) or "subscriptions" not in doc:
        raise NoAnswer(f"{url} did not answer with a central-otel /status document")
    return doc


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the bridge running, and is this its health.listen?)"
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, socket.gaierror):
        return f"unknown host ({reason.strerror})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason)


def look(url: str, timeout: float, clock: Callable[[], float] = time.time) -> Snapshot:
    """Fetch and render once."""
    try:
        doc = fetch(url, timeout)
    except NoAnswer as err:
        return Snapshot(Text(f"central-otel status: {err}", style=BAD), NO_ANSWER)
    code = UNHEALTHY if status_view.problems(doc) else HEALTHY
    return Snapshot(status_view.render(doc, source=url, now=clock()), code)


def run(args: argparse.Namespace) -> int:
    try:
        interval = parse_duration(args.interval)
        timeout = parse_duration(args.timeout)
    except ValueError as err:
        print(f"central-otel status: {err}", file=sys.stderr)
        return USAGE
    url = status_url(args.url)
    out: TextIO = sys.stdout
    console = console_for(out)
    if not args.watch:
        snapshot = look(url, timeout)
        # The reason for no answer is an error: standard error, no traceback.
        (console_for(sys.stderr) if snapshot.code == NO_ANSWER else console).print(snapshot.view)
        return snapshot.code
    return watch(console, url, interval, timeout)


def watch(console: Console, url: str, interval: float, timeout: float) -> int:
    """Refresh every `interval` until Ctrl-C (or SIGTERM): in place on a terminal, one
    view after the other (each under a time line) otherwise. The last refresh's exit
    status."""
    code = NO_ANSWER
    live = Live(console=console, auto_refresh=False) if console.is_terminal else None
    with interrupt_on_signals():
        try:
            if live is not None:
                live.start()
            while True:
                snapshot = look(url, timeout)
                code = snapshot.code
                stamp = Text(
                    f"{time.strftime('%H:%M:%S')}  every {interval:g}s  Ctrl-C to stop",
                    style=DIM,
                )
                if live is not None:
                    live.update(Group(stamp, snapshot.view), refresh=True)
                else:
                    console.print(stamp)
                    console.print(snapshot.view)
                    console.print()
                    console.file.flush()
                time.sleep(interval)
        except KeyboardInterrupt:
            return code
        finally:
            if live is not None:
                live.stop()
