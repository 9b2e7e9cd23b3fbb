"""Durations: ``250ms``, ``30s``, ``5m``, ``1h``, ``1d``, ``1h30m``, or a number of seconds."""

from __future__ import annotations

import math
import re
from decimal import Decimal

from central_otel.config.errors import describe_type, show_value

_UNIT_SECONDS: dict[str, Decimal] = {
    "d": Decimal(86400),
    "h": Decimal(3600),
    "m": Decimal(60),
    "s": Decimal(1),
    "ms": Decimal("0.001"),
}
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_PART = re.compile(rf"({_NUMBER})\s*(ms|d|h|m|s)")
_DURATION = re.compile(rf"(?:{_NUMBER}\s*(?:ms|d|h|m|s)\s*)+")
_PLAIN_NUMBER = re.compile(_NUMBER)

DURATION_EXAMPLES = "e.g. 250ms, 30s, 5m, 1h30m, 1d or a number of seconds"


def parse_duration(value: str | int | float) -> float:
    """`value` in seconds.

    Accepts a number of seconds (int, float or numeric string) or a string of
    one or more ``<number><unit>`` parts (units ``d h m s ms``, e.g. ``1h30m``,
    ``1.5s``). Raises ValueError with a readable message otherwise, and for
    negative or non-finite values.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"expected a duration ({DURATION_EXAMPLES}), got {describe_type(value)}")
    if isinstance(value, str):
        text = value.strip()
        if _PLAIN_NUMBER.fullmatch(text):
            seconds = Decimal(text)
        elif _DURATION.fullmatch(text):
            seconds = sum(
                (Decimal(number) * _UNIT_SECONDS[unit] for number, unit in _PART.findall(text)),
                Decimal(0),
            )
        else:
            shown = show_value(value)
            rest = text[1:].lstrip()
            if text.startswith("-") and (
                _PLAIN_NUMBER.fullmatch(rest) or _DURATION.fullmatch(rest)
            ):
                raise ValueError(f"must not be negative (got {shown})")
            raise ValueError(f"invalid duration {shown} (expected {DURATION_EXAMPLES})")
        result = float(seconds)  # inf when too large: rejected below
    else:
        try:
            result = float(value)
        except OverflowError:
            result = math.inf
        if result < 0:
            raise ValueError(f"must not be negative (got {format_number(result)})")
    if not math.isfinite(result):
        raise ValueError("must be a finite duration")
    return result


def format_number(value: float) -> str:
    """``5`` for 5.0, ``1.5`` for 1.5."""
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def format_duration(seconds: float) -> str:
    """The canonical text of a duration: ``1h30m``, ``1m``, ``250ms``, ``0s``.

    ``parse_duration(format_duration(x)) == x`` for every finite, non-negative x.
    """
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"not a duration: {seconds!r}")
    millis = round(seconds * 1000)
    if (millis == 0 and seconds != 0) or float(Decimal(millis) / 1000) != seconds:
        return f"{format_number(seconds)}s"
    if millis == 0:
        return "0s"
    parts: list[str] = []
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)):
        count, millis = divmod(millis, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
