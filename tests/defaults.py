"""Domain settings built from the configuration's defaults, as the bridge builds them
(`central_otel.settings`), with the overrides a test needs (this module holds no tests)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from central_otel.config import StreamingConfig, parse_config
from central_otel.config.model import HealthConfig
from central_otel.config.pipeline import EventQueueConfig, MetricsConfig
from central_otel.config.streaming import ReconnectConfig
from central_otel.delivery.service import DeliverySettings
from central_otel.pacing import Pacing, PacingSettings
from central_otel.proto import monitoring_pb2
from central_otel.secret import Secret
from central_otel.settings import backoff_policy, queue_budget, store_limits, transport_settings
from central_otel.state.store import Change, EntityStore, StoreLimits
from central_otel.streaming.backoff import BackoffPolicy
from central_otel.streaming.keys import CustomerKey, Validator
from central_otel.streaming.subscription import StreamSettings
from central_otel.streaming.transport import TransportSettings
from central_otel.topics import Topic

LIMITS = store_limits(MetricsConfig())
# What a configuration that sets nothing gives.
_MINIMAL = parse_config(
    {
        "central": {"base_url": "central.example"},
        "customers": {"A": {"key": "k-0123456789", "topics": ["audit"]}},
    },
    source="defaults",
)
KEY_VALIDATION_INTERVAL = _MINIMAL.key_validation_interval
CONNECT_TIMEOUT = StreamingConfig().connect_timeout
READY_WHEN = HealthConfig().ready_when
PACING = PacingSettings()
TRANSPORT = transport_settings(StreamingConfig())
BACKOFF = backoff_policy(ReconnectConfig())


def limits(**overrides: Any) -> StoreLimits:
    """The default store limits with `overrides` (`max_entities` as a plain dict)."""
    if "max_entities" in overrides:
        overrides["max_entities"] = MappingProxyType(dict(overrides["max_entities"]))
    return replace(LIMITS, **overrides)


def transport(**overrides: Any) -> TransportSettings:
    return replace(TRANSPORT, **overrides)


def backoff(**overrides: Any) -> BackoffPolicy:
    return replace(BACKOFF, **overrides)


def stream(
    *,
    transport: TransportSettings = TRANSPORT,
    backoff: BackoffPolicy = BACKOFF,
    idle_timeout: float | None = None,
    busy: float = PACING.stream_busy,
) -> StreamSettings:
    """One topic's settings: the defaults, without an idle watchdog unless given."""
    return StreamSettings(
        transport=transport, backoff=backoff, idle_timeout=idle_timeout, busy=busy
    )


def every_topic(settings: StreamSettings) -> Mapping[Topic, StreamSettings]:
    """The same settings for every topic (a `Streamer`'s `settings`)."""
    return MappingProxyType(dict.fromkeys(Topic, settings))


def pacing(**overrides: Any) -> Pacing:
    """A bridge's pacing with the default tuning, or `overrides` of it."""
    return Pacing(replace(PACING, **overrides))


def apply(store: EntityStore, info: monitoring_pb2.MonitoringInformation) -> list[Change]:
    """Fold `info` into `store` all at once; the state changes it made."""
    changes: list[Change] = []
    for _ in store.apply_monitoring(info, changes, PACING.store_chunk):
        pass
    return changes


def customer_key(customer: str, key: Secret, validator: Validator, **kwargs: Any) -> CustomerKey:
    """A `CustomerKey` with the configuration's default validation interval unless given."""
    kwargs.setdefault("interval", KEY_VALIDATION_INTERVAL)
    return CustomerKey(customer, key, validator, **kwargs)


def delivery(state_dir: Path | None = None, **queue: Any) -> DeliverySettings:
    """The event queue's default settings (`queue`: `EventQueueConfig` overrides)."""
    config = replace(EventQueueConfig(), **queue)
    return DeliverySettings(
        budget=queue_budget(config),
        batch_size=config.batch_size,
        max_retry_delay=config.max_retry_delay,
        state_dir=state_dir,
    )
