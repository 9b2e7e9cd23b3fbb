"""Shared pieces of the terminal views: ages and durations for people, the colour
of a state, kubectl-like tables, and the console for a stream."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

GOOD = "green"
PENDING = "yellow"
BAD = "red"
DIM = "dim"

# Subscription states (central_otel.streaming.subscription.StreamState) and key
# validation outcomes (central_otel.streaming.keys.KeyOutcome) by meaning.
STATE_STYLES: Mapping[str, str] = {
    "connected": GOOD,
    "valid": GOOD,
    "renewed": GOOD,
    "ok": GOOD,
    "starting": PENDING,
    "connecting": PENDING,
    "waiting": BAD,
    "stopped": BAD,
    "rejected": BAD,
    "failed": BAD,
}

PLAIN_WIDTH = 160  # columns of a view written to a file or a pipe: no wrapping of rows


def console_for(stream: TextIO, *, force_terminal: bool | None = None) -> Console:
    """A console on `stream`: colours and live refresh on a terminal, plain text
    (wide, so that table rows are not wrapped) on a file or a pipe."""
    terminal = stream.isatty() if force_terminal is None else force_terminal
    return Console(
        file=stream,
        force_terminal=terminal,
        width=None if terminal else PLAIN_WIDTH,
        no_color=not terminal,
        highlight=False,
        emoji=False,
    )


def duration(seconds: float | None) -> str:
    """``0.42s``, ``12s``, ``3m05s``, ``2h10m``, ``4d03h``; ``-`` for None."""
    if seconds is None:
        return "-"
    if seconds < 0:
        return "-" + duration(-seconds)
    if seconds < 10:
        return f"{seconds:.2f}s" if seconds < 1 else f"{seconds:.1f}s"
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"


def ago(when: float | None, now: float) -> str:
    """``12s ago`` (or ``in 5m00s`` for a time ahead) of a wall-clock time; ``-``."""
    if when is None:
        return "-"
    delta = now - when
    return f"{duration(delta)} ago" if delta >= 0 else f"in {duration(-delta)}"


def styled(value: str, style: str | None = None) -> Text:
    return Text(value, style=style or "")


def state_text(state: str | None) -> Text:
    """A state word in the colour of its meaning (unknown states plain)."""
    if not state:
        return styled("-", DIM)
    return styled(state, STATE_STYLES.get(state.lower()))


def grid(headers: Iterable[str | Text], *, title: str | None = None) -> Table:
    """A borderless table with upper-case headers, as `kubectl get` prints (a header
    given as `Text` is kept as it is: a band's name, say)."""
    table = Table(
        box=None,
        show_edge=False,
        pad_edge=False,
        padding=(0, 2, 0, 0),
        header_style="bold",
        title=title,
        title_justify="left",
        title_style="bold",
    )
    for header in headers:
        table.add_column(header.upper() if isinstance(header, str) else header, overflow="fold")
    return table


def counts_text(counts: Mapping[str, Any] | None) -> str:
    """``network=2 unauthorized=1`` (zeros left out); ``-`` when none."""
    if not counts:
        return "-"
    parts = [f"{k}={v}" for k, v in counts.items() if v]
    return " ".join(parts) or "-"
