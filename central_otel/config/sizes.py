"""Byte sizes: a number of bytes (``65536``) or a whole number with a binary unit (``64KiB``)."""

from __future__ import annotations

import re

from central_otel.config.errors import describe_type, show_value

_UNIT_BYTES: dict[str, int] = {"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}
_SIZE = re.compile(r"(\d+)\s*(KiB|MiB|GiB)?")

SIZE_EXAMPLES = "e.g. 64KiB, 100MiB, 1GiB or a number of bytes"


def parse_size(value: str | int | float) -> int:
    """`value` in bytes.

    Accepts a non-negative integer (a float only when it is whole), or a string
    holding one, optionally followed by ``KiB``, ``MiB`` or ``GiB`` (powers of 1024;
    case-sensitive, so that ``MB``, which would mean 1000², is refused, not guessed).
    Raises ValueError with a readable message otherwise.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"expected a size ({SIZE_EXAMPLES}), got {describe_type(value)}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"must be a whole number of bytes (got {value!r})")
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"must not be negative (got {value})")
        return value
    match = _SIZE.fullmatch(value.strip())
    if match is None:
        if value.strip().startswith("-") and _SIZE.fullmatch(value.strip()[1:].lstrip()):
            raise ValueError(f"must not be negative (got {show_value(value)})")
        raise ValueError(f"invalid size {show_value(value)} (expected {SIZE_EXAMPLES})")
    number, unit = match.groups()
    return int(number) * (_UNIT_BYTES[unit] if unit else 1)


def format_size(size: int) -> str:
    """The canonical text of a size: the largest unit that divides it exactly (``64MiB``),
    else the number of bytes. ``parse_size(format_size(n)) == n`` for every n >= 0."""
    if size < 0:
        raise ValueError(f"not a size: {size!r}")
    for unit, factor in sorted(_UNIT_BYTES.items(), key=lambda item: -item[1]):
        if size and size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)
