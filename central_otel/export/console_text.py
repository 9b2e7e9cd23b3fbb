"""The console's text for metrics: the same lines whether the encoder's console sink
(`export.sinks`) or the SDK's console exporter (`telemetry.console`) writes them."""

from __future__ import annotations

from collections.abc import Iterable


def braced_attributes(attributes: Iterable[tuple[str, object]]) -> str:
    """``{key='value', ...}``, or nothing when there are none."""
    text = ", ".join(f"{key}={value!r}" for key, value in attributes)
    return f"{{{text}}}" if text else ""


def point_line(
    name: str, unit: str | None, attributes: Iterable[tuple[str, object]], value: str
) -> str:
    """``  name{attributes} value unit`` for one data point (a unit of 1 is left out)."""
    suffix = f" {unit}" if unit and unit != "1" else ""
    return f"  {name}{braced_attributes(attributes)} {value}{suffix}"


def metrics_text(clock: str, lines: list[str]) -> str:
    """The data points' lines, sorted, under a header with the time and their count."""
    header = f"-- {clock} metrics: {len(lines)} data points"
    return "\n".join([header, *sorted(lines)]) + "\n"
