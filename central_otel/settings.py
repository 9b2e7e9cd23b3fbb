"""From the configuration to the domain objects: the one place that maps one to the other.

The configuration model (`central_otel.config`) owns every default; the domain types
(the store's limits, the streams' backoff and transport settings, the catalogue's
options) take values. `run`, `demo`, the benchmarks and the tests all build what a
bridge needs with `bridge_settings`, so a default can never differ between them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from central_otel.catalog.events import EventOptions
from central_otel.catalog.plan import MetricOptions
from central_otel.config import Config, StreamingConfig
from central_otel.config.pipeline import EventQueueConfig, MetricsConfig
from central_otel.config.streaming import ReconnectConfig
from central_otel.delivery.queue import QueueBudget
from central_otel.delivery.service import DeliverySettings
from central_otel.new_central.topics import HEARTBEAT as NEW_CENTRAL_HEARTBEAT
from central_otel.pacing import PacingSettings
from central_otel.sharding import Shard
from central_otel.state.store import StoreLimits
from central_otel.streaming.backoff import BackoffPolicy
from central_otel.streaming.subscription import StreamSettings
from central_otel.streaming.transport import TransportSettings
from central_otel.topics import Topic

PACING = PacingSettings()


def store_limits(metrics: MetricsConfig) -> StoreLimits:
    return StoreLimits(
        series_ttl=metrics.series_ttl,
        state_ttl=metrics.state_ttl,
        max_entities=MappingProxyType(dict(metrics.max_entities)),
        default_max_entities=metrics.default_max_entities,
    )


def metric_options(metrics: MetricsConfig) -> MetricOptions:
    return MetricOptions(per_client=metrics.per_client, disabled=metrics.disabled)


def queue_budget(queue: EventQueueConfig) -> QueueBudget:
    return QueueBudget(
        max_bytes=queue.max_bytes, max_age=queue.max_age, memory_max_bytes=queue.memory_max_bytes
    )


def delivery_settings(config: Config) -> DeliverySettings:
    queue = config.events.queue
    return DeliverySettings(
        budget=queue_budget(queue),
        batch_size=queue.batch_size,
        max_retry_delay=queue.max_retry_delay,
        state_dir=config.state_dir,
    )


def event_options(config: Config) -> EventOptions:
    return EventOptions(disabled=config.metrics.disabled, enabled=config.events.enabled)


def backoff_policy(reconnect: ReconnectConfig) -> BackoffPolicy:
    return BackoffPolicy(
        initial=reconnect.initial_delay,
        maximum=reconnect.max_delay,
        multiplier=reconnect.multiplier,
        jitter=reconnect.jitter,
        stable_after=reconnect.stable_after,
    )


def transport_settings(streaming: StreamingConfig) -> TransportSettings:
    return TransportSettings(
        heartbeat=streaming.heartbeat,
        connect_timeout=streaming.connect_timeout,
        max_msg_size=streaming.max_msg_size,
        close_timeout=streaming.close_timeout,
    )


def stream_settings(
    streaming: StreamingConfig, topic: Topic, pacing: PacingSettings = PACING
) -> StreamSettings:
    """The transport, backoff and idle settings of one topic's subscriptions."""
    return StreamSettings(
        transport=transport_settings(streaming),
        backoff=backoff_policy(streaming.reconnect),
        idle_timeout=streaming.idle_timeout.for_topic(topic),
        busy=pacing.stream_busy,
    )


def streams_settings(
    streaming: StreamingConfig, pacing: PacingSettings = PACING
) -> Mapping[Topic, StreamSettings]:
    """`stream_settings` of every topic."""
    return MappingProxyType({topic: stream_settings(streaming, topic, pacing) for topic in Topic})


def new_central_stream_settings(
    streaming: StreamingConfig, pacing: PacingSettings = PACING
) -> StreamSettings:
    """The settings of every New Central stream: the configured timeouts and backoff, a
    ping every 10 s (Central's requirement: no pong within 5 s is a dead connection) and
    no idle watchdog (several topics only send when something happens; the pings find a
    dead connection)."""
    return StreamSettings(
        transport=replace(transport_settings(streaming), heartbeat=NEW_CENTRAL_HEARTBEAT),
        backoff=backoff_policy(streaming.reconnect),
        idle_timeout=None,
        busy=pacing.stream_busy,
    )


@dataclass(frozen=True, slots=True)
class BridgeSettings:
    """Everything `pipeline.runner.serve` needs to run a bridge."""

    config: Config
    metrics: MetricOptions
    events: EventOptions | None
    """None: no event records at all (metrics only)."""
    limits: StoreLimits
    streams: Mapping[Topic, StreamSettings]
    new_central_streams: StreamSettings
    delivery: DeliverySettings
    """The durable event queue and its sending (OTLP telemetry only)."""
    baseline_window: float
    """Seconds after a monitoring subscription connects during which first reports of
    entities are a baseline, not transitions (`central_otel.pipeline.transitions`)."""
    shard: Shard | None
    """None: this process serves every subscription."""
    health: bool
    """Serve the health endpoints on `config.health`."""
    exiting: bool
    """The process ends when `serve` returns (`run`, `demo`): see `central_otel.gc_policy`."""
    pacing: PacingSettings
    """How ingest shares the process with the loop's other tasks (`central_otel.pacing`)."""
    view_reads: frozenset[str] = frozenset()
    """Store classes a view reads besides the metrics (`demo`'s estate): kept even
    when no enabled metric reads them (`ExportPlan.unread_stats`)."""


def bridge_settings(
    config: Config,
    *,
    shard: Shard | None = None,
    events: bool = True,
    health: bool = True,
    exiting: bool = False,
    pacing: PacingSettings = PACING,
    view_reads: frozenset[str] = frozenset(),
) -> BridgeSettings:
    """The settings of a bridge for `config` (`pacing`: tuning, for tests and benchmarks;
    `view_reads`: the store classes a view of the bridge reads)."""
    return BridgeSettings(
        config=config,
        metrics=metric_options(config.metrics),
        events=event_options(config) if events else None,
        limits=store_limits(config.metrics),
        streams=streams_settings(config.streaming, pacing),
        new_central_streams=new_central_stream_settings(config.streaming, pacing),
        delivery=delivery_settings(config),
        baseline_window=config.events.baseline_window,
        shard=shard,
        health=health,
        exiting=exiting,
        pacing=pacing,
        view_reads=view_reads,
    )
