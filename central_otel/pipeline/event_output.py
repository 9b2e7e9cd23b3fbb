"""Where the bridge's event records go: the durable queue to an OTLP backend
(`central_otel.delivery.EventDelivery`), or, for the console and in-memory telemetry of
`demo` and tests, the OpenTelemetry SDK's logger (`SdkEvents`)."""

from __future__ import annotations

from typing import Any, Protocol

from central_otel.catalog.event_base import EventRecord
from central_otel.delivery.queue import QueueStatus
from central_otel.delivery.rows import ReportedState
from central_otel.telemetry.logs_api import Logger, SeverityNumber, emit_event

EVENTS_SCOPE = "central_otel.events"


class EventOutput(Protocol):
    def accept(self, record: EventRecord) -> None:
        """Take one record (on the event loop: quick)."""
        ...

    def remember(self, states: list[ReportedState]) -> None:
        """Keep the reported states (`pipeline.transitions`), after the records so far."""
        ...

    def remembered(self) -> list[ReportedState]:
        """The reported states kept before this start."""
        ...

    async def room(self) -> None:
        """Return when more records may come (back-pressure on the frame handler)."""
        ...

    def start(self) -> None: ...

    def shutdown(self, timeout: float) -> bool:
        """Deliver what the time allows, then stop (blocking); True if nothing is left."""
        ...

    def queue_status(self) -> QueueStatus | None:
        """The durable queue's state (None: there is none)."""
        ...

    def status(self) -> dict[str, Any] | None:
        """The `events` section of `/status` (None: nothing to say)."""
        ...


class SdkEvents:
    """Records as OpenTelemetry log records through an SDK logger (console, memory)."""

    def __init__(self, logger: Logger) -> None:
        self._logger = logger

    def accept(self, record: EventRecord) -> None:
        emit_event(
            self._logger,
            event_name=record.event_name,
            severity_number=SeverityNumber(int(record.severity_number)),
            body=record.body,
            attributes=record.attributes,
            timestamp_ns=record.timestamp_ns,
        )

    def remember(self, states: list[ReportedState]) -> None:
        return None  # in memory only: the process is not restarted with what it knew

    def remembered(self) -> list[ReportedState]:
        return []

    async def room(self) -> None:
        return None

    def start(self) -> None:
        return None

    def shutdown(self, timeout: float) -> bool:
        return True  # the SDK's logger is flushed with its provider

    def queue_status(self) -> QueueStatus | None:
        return None

    def status(self) -> dict[str, Any] | None:
        return None
