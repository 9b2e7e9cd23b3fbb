"""`parse_duration` / `format_duration`."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from central_otel.config import format_duration, parse_duration


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("30s", 30.0),
        ("5m", 300.0),
        ("1h", 3600.0),
        ("250ms", 0.25),
        ("1d", 86400.0),
        ("1h30m", 5400.0),
        ("1d2h3m4s5ms", 93784.005),
        ("1.5h", 5400.0),
        ("0.5s", 0.5),
        (".5s", 0.5),
        ("1h 30m", 5400.0),
        ("  2m ", 120.0),
        ("0s", 0.0),
        ("90", 90.0),
        ("1.25", 1.25),
        (90, 90.0),
        (1.5, 1.5),
        (0, 0.0),
    ],
)
def test_valid(value: str | int | float, seconds: float) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "5x",
            "invalid duration '5x' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d or a number of"
            " seconds)",
        ),
        (
            "",
            "invalid duration '' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d or a number of seconds)",
        ),
        (
            "1e3",
            "invalid duration '1e3' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d or a number of"
            " seconds)",
        ),
        (
            "h",
            "invalid duration 'h' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d or a number of seconds)",
        ),
        (
            "1h-30m",
            "invalid duration '1h-30m' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d or a"
            " number of seconds)",
        ),
        ("-5s", "must not be negative (got '-5s')"),
        ("-5", "must not be negative (got '-5')"),
        (-1, "must not be negative (got -1)"),
        (-0.5, "must not be negative (got -0.5)"),
        (float("nan"), "must be a finite duration"),
        (float("inf"), "must be a finite duration"),
        (10**400, "must be a finite duration"),
        ("9" * 400, "must be a finite duration"),
        (
            True,
            "expected a duration (e.g. 250ms, 30s, 5m, 1h30m, 1d or a number of seconds),"
            " got a boolean",
        ),
    ],
)
def test_invalid(value: str | int | float, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_duration(value)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.0, "0s"),
        (0.25, "250ms"),
        (1.5, "1s500ms"),
        (10.0, "10s"),
        (60.0, "1m"),
        (90.0, "1m30s"),
        (3600.0, "1h"),
        (5400.0, "1h30m"),
        (86400.0, "1d"),
        (90061.001, "1d1h1m1s1ms"),
        (0.0001, "0.0001s"),
    ],
)
def test_format(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_format_round_trips(seconds: float) -> None:
    assert parse_duration(format_duration(seconds)) == seconds
