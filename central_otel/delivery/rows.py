"""The rows of the events database, as the queue and its readers see them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """One queued event: its place in the queue, when it was accepted (Unix time), whose
    it is, and its OTLP `LogRecord` bytes."""

    seq: int
    accepted: float
    customer: str
    body: bytes


ReportedState = tuple[str, str, bytes, int | None]
"""(customer, entity class, encoded key, state); a state of None forgets the entity."""
