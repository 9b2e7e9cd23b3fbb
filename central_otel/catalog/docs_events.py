"""The events section of the generated docs, from the event catalogue."""

from __future__ import annotations

from central_otel.catalog.attributes import CUSTOMER_NAMES
from central_otel.catalog.events import EVENTS, EventSpec


def _cell(text: str) -> str:
    """Table cell text: a `|` would end the cell, a newline the row."""
    return " ".join(text.replace("|", "\\|").split())


def _attributes(spec: EventSpec) -> str:
    return ", ".join(f"`{name}`" for name in spec.attributes)


def events_intro_markdown() -> str:
    """A paragraph for above the table: what every event carries and how to turn one on."""
    customer = ", ".join(f"`{name}`" for name in CUSTOMER_NAMES)
    return (
        "Events are OpenTelemetry log records with an event name, a severity number (no "
        "severity text) and the time the event occurred. Every event also carries "
        f"{customer}. Events marked off are high volume: turn them on by name.\n"
    )


def events_table_markdown() -> str:
    """One row per event: name, default, severity, source, attributes, description."""
    rows = [
        "| name | default | severity | source | attributes | description |",
        "|---|---|---|---|---|---|",
    ]
    for spec in EVENTS:
        default = "on" if spec.enabled_by_default else "off"
        rows.append(
            f"| `{spec.name}` | {default} | {_cell(spec.severity)} | {_cell(spec.source)} | "
            f"{_cell(_attributes(spec))} | {_cell(spec.description)} |"
        )
    return "\n".join(rows) + "\n"
