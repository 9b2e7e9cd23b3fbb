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
class EventsConfig:
    enabled: frozenset[str] = frozenset()
    """Events that are off by default (high volume) turned on: location, geofence, apprf."""


@dataclass(frozen=True, slots=True)
class LoggingConfig:
    level: str = "info"
    format: LogFormat = "text"
