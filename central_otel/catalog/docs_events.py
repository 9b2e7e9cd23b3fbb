"""The events section of the generated docs, from the event catalogue."""

from __future__ import annotations

from central_otel.catalog.attributes import CUSTOMER_NAMES
from central_otel.catalog.events import EVENTS, EventSpec, FromMessage
from central_otel.catalog.markdown import cell, code_list, table
from central_otel.catalog.new_central_sources import EVENT_SOURCES


def events_intro_markdown() -> str:
    """A paragraph for above the table: what every event carries and how to turn one on."""
    return (
        "Events are OpenTelemetry log records with an event name, a severity number (no "
        "severity text) and the time the event occurred. Every event also carries "
        f"{code_list(CUSTOMER_NAMES)}. Events marked off are high volume: turn them on by "
        "name.\n"
    )


def _new_central(source: object) -> bool:
    """A source fed by a New Central payload (the schemas in protos/new_central/)."""
    return isinstance(source, FromMessage) and source.payload.DESCRIPTOR.file.name.startswith(
        "new_central/"
    )


def _classic_source(spec: EventSpec) -> str:
    return "; ".join(s.message for s in spec.sources if not _new_central(s)) or "—"


def _new_central_source(spec: EventSpec) -> str:
    direct = [s.message.removeprefix("New Central ") for s in spec.sources if _new_central(s)]
    return "; ".join([*direct, EVENT_SOURCES.get(spec.name, "")]).strip("; ") or "—"


def events_table_markdown() -> str:
    """One row per event: name, default, severity, sources, attributes, description."""
    columns = (
        "name",
        "default",
        "severity",
        "Classic source",
        "New Central source",
        "attributes",
        "description",
    )
    return table(columns, (_event_row(spec) for spec in EVENTS))


def _event_row(spec: EventSpec) -> tuple[str, ...]:
    return (
        f"`{spec.name}`",
        "on" if spec.enabled_by_default else "off",
        cell(spec.severity),
        cell(_classic_source(spec)),
        cell(_new_central_source(spec)),
        cell(code_list(spec.attributes)),
        cell(spec.description),
    )
