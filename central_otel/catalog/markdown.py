"""The Markdown the generated docs are written in (docs/metrics.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def code_list(names: Iterable[str]) -> str:
    """`a`, `b`, `c`: names as inline code, comma-separated."""
    return ", ".join(f"`{name}`" for name in names)


def table(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table with a header row; cells are written as given (see `cell`)."""
    lines = [_row(columns), "|" + "---|" * len(columns)]
    lines.extend(_row(cells) for cells in rows)
    return "\n".join(lines) + "\n"


def cell(text: str) -> str:
    """Table cell text: a `|` would end the cell, a newline the row."""
    return " ".join(text.replace("|", "\\|").split())


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"
