"""Settings of the pipeline above the streams: metrics, events, logging, readiness.

Defaults are defined here once; the schema takes them from these dataclasses and
`run` turns them into the catalogue's and the store's options.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[str, ...] = ("text", "json")
LOG_LEVELS: tuple[str, ...] = ("debug", "info", "warning", "error")
READY_POLICIES: tuple[str, ...] = ("all", "any")
MIN_QUEUE_BYTES = 1024
MAX_BATCH_SIZE = 10_000  # records; at ~500 bytes each, a request stays well under 4 MiB


@dataclass(frozen=True, slots=True)
class MetricsConfig:
    per_client: bool = False
    """Per-client series (client MAC as an attribute); off: aggregates only."""
    disabled: frozenset[str] = frozenset()
    """Metric or event names turned off."""
    series_ttl: float = 900.0
    """Stats series not refreshed for this long stop being exported (3 stats periods)."""
    state_ttl: float = 7 * 86400.0
    """State (devices, radios, clients) is re-sent only on change: kept much longer."""
    max_entities: tuple[tuple[str, int], ...] = ()
    """Cap per entity class (see docs/configuration.md); over it, new entities are dropped
    and counted in central_otel.entities.dropped."""
    default_max_entities: int = 200_000


@dataclass(frozen=True, slots=True)
class EventQueueConfig:
    """The durable event queue (`central_otel.delivery`): its budget and its sending."""

    max_bytes: int = 256 * 1024 * 1024
    """Encoded records queued on disk at most; beyond, the oldest are dropped (counted)."""
    max_age: float = 7 * 86400.0
    """Records older than this are dropped (counted), delivered or not."""
    memory_max_bytes: int = 64 * 1024 * 1024
    """The bound of the queue in memory (no `state_dir`, or the disk failing)."""
    batch_size: int = 1000
    """Records per export request at most."""
    max_retry_delay: float = 30.0
    """The longest wait between two attempts while the backend fails (1 s, doubling)."""


@dataclass(frozen=True, slots=True)
class EventsConfig:
    enabled: frozenset[str] = frozenset()
    """Events that are off by default (high volume) turned on: location, geofence, apprf."""
    baseline_window: float = 30.0
    """After a monitoring subscription connects, state Central reports within this many
    seconds about entities no record was sent for is a baseline, not a transition."""
    queue: EventQueueConfig = EventQueueConfig()


@dataclass(frozen=True, slots=True)
class LoggingConfig:
    level: str = "info"
    format: LogFormat = "text"
