"""The bridge's own health as metrics, exported with the rest (`central_otel.*`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from opentelemetry.metrics import CallbackOptions, Observation

from central_otel.delivery.queue import DropReason, QueueStatus
from central_otel.export.observables import ObservableMeter
from central_otel.inventory import Inventories, InventorySync
from central_otel.new_central.token import TokenOutcome
from central_otel.pipeline.ingest import Ingestor
from central_otel.streaming.streamer import Streamer
from central_otel.streaming.subscription import StreamState
from central_otel.telemetry.stats import ExportSnapshot, TelemetryStats


class SelfMetrics:
    def __init__(
        self,
        meter: ObservableMeter,
        streamer: Streamer,
        ingest: Ingestor,
        export_stats: TelemetryStats | None = None,
        *,
        events: Callable[[], QueueStatus | None] | None = None,
        inventories: Inventories | None = None,
    ) -> None:
        """`events`: the durable event queue's state, for its self-metrics; `inventories`:
        the device-context syncs, for theirs."""
        self._streamer = streamer
        self._ingest = ingest
        self._export = export_stats
        self._events = events
        self._inventories = inventories
        gauge = meter.create_observable_gauge
        counter = meter.create_observable_counter
        updown = meter.create_observable_up_down_counter
        gauge(
            "central_otel.subscription.up",
            [self._up],
            unit="1",
            description="1 while the subscription's WebSocket is connected, else 0.",
        )
        counter(
            "central_otel.frames.received",
            [self._frames],
            unit="{frame}",
            description="Frames received per subscription.",
        )
        counter(
            "central_otel.bytes.received",
            [self._bytes],
            unit="By",
            description="Bytes received per subscription.",
        )
        counter(
            "central_otel.reconnects",
            [self._reconnects],
            unit="{reconnect}",
            description="Reconnects per subscription, by cause.",
        )
        counter(
            "central_otel.decode.errors",
            [self._decode_errors],
            unit="{frame}",
            description="Frames that could not be decoded, by topic and kind.",
        )
        gauge(
            "central_otel.frame.age",
            [self._frame_age],
            unit="s",
            description="Time since the subscription's last frame.",
        )
        counter(
            "central_otel.key.validations",
            [self._validations],
            unit="{validation}",
            description="Streaming-key validations per customer.",
        )
        counter(
            "central_otel.key.renewals",
            [self._renewals],
            unit="{renewal}",
            description="Renewed streaming keys picked up per customer.",
        )
        counter(
            "central_otel.token.requests",
            [self._token_requests],
            unit="{request}",
            description="New Central token requests per customer, by the endpoint's answer "
            "(outcome: issued, rejected, failed).",
        )
        counter(
            "central_otel.token.renewals",
            [self._token_renewals],
            unit="{renewal}",
            description="New Central access tokens renewed per customer.",
        )
        gauge(
            "central_otel.token.expires_in",
            [self._token_expires_in],
            unit="s",
            description="Seconds until the customer's New Central access token expires "
            "(negative: expired); none before the first token.",
        )
        updown(
            "central_otel.entities",
            [self._entities],
            unit="{entity}",
            description="Entities held in the state store, by customer and class.",
        )
        counter(
            "central_otel.entities.dropped",
            [self._dropped],
            unit="{entity}",
            description="Entities refused by the per-class caps, by customer and class.",
        )
        if inventories is not None:
            self._inventory_metrics(meter)
        if export_stats is not None:
            counter(
                "central_otel.export.successes",
                [self._export_ok],
                unit="{export}",
                description="OTLP exports that succeeded, by signal.",
            )
            counter(
                "central_otel.export.failures",
                [self._export_failed],
                unit="{export}",
                description="OTLP exports that failed, by signal.",
            )
            counter(
                "central_otel.export.items.dropped",
                [self._export_dropped],
                unit="{item}",
                description="Items lost to failed exports or full queues, by signal.",
            )
            gauge(
                "central_otel.export.duration", [self._export_duration], unit="s",
                description="Duration of the last OTLP export, by signal.",
            )  # fmt: skip
        if events is not None:
            self._event_metrics(meter)

    def _event_metrics(self, meter: ObservableMeter) -> None:
        counter = meter.create_observable_counter
        updown = meter.create_observable_up_down_counter
        counter(
            "central_otel.events.accepted", [self._queue_count("accepted")], unit="{event}",
            description="Event records written to the event queue.",
        )  # fmt: skip
        counter(
            "central_otel.events.delivered", [self._queue_count("delivered")], unit="{event}",
            description="Event records the backend accepted.",
        )  # fmt: skip
        counter(
            "central_otel.events.retried", [self._queue_count("retried")], unit="{event}",
            description="Event records sent again after a failed attempt (once per attempt).",
        )  # fmt: skip
        counter(
            "central_otel.events.dropped", [self._events_dropped], unit="{event}",
            description="Event records that left the queue undelivered, by reason.",
        )  # fmt: skip
        updown(
            "central_otel.events.queue.records", [self._queue_records], unit="{event}",
            description="Event records waiting for delivery, by storage (disk, memory).",
        )  # fmt: skip
        updown(
            "central_otel.events.queue.size", [self._queue_size], unit="By",
            description="Bytes of the event records waiting for delivery, by storage.",
        )  # fmt: skip
        meter.create_observable_gauge(
            "central_otel.events.queue.age", [self._queue_age], unit="s",
            description="Age of the oldest event record waiting for delivery (0: none).",
        )  # fmt: skip

    def _queue(self) -> QueueStatus | None:
        return self._events() if self._events is not None else None

    def _queue_count(self, name: str) -> Callable[[CallbackOptions], Iterable[Observation]]:
        def observe(options: CallbackOptions) -> Iterable[Observation]:
            status = self._queue()
            return [] if status is None else [Observation(getattr(status, name))]

        return observe

    def _events_dropped(self, options: CallbackOptions) -> Iterable[Observation]:
        status = self._queue()
        if status is None:
            return []
        return [
            Observation(status.dropped.get(reason, 0), {"reason": reason.value})
            for reason in DropReason
        ]

    def _queue_records(self, options: CallbackOptions) -> Iterable[Observation]:
        status = self._queue()
        if status is None:
            return []
        return [
            Observation(status.disk_records, {"storage": "disk"}),
            Observation(status.memory_records, {"storage": "memory"}),
        ]

    def _queue_size(self, options: CallbackOptions) -> Iterable[Observation]:
        status = self._queue()
        if status is None:
            return []
        return [
            Observation(status.disk_bytes, {"storage": "disk"}),
            Observation(status.memory_bytes, {"storage": "memory"}),
        ]

    def _queue_age(self, options: CallbackOptions) -> Iterable[Observation]:
        status = self._queue()
        if status is None:
            return []
        oldest = status.oldest_accepted
        return [Observation(0.0 if oldest is None else max(0.0, time.time() - oldest))]

    def _inventory_metrics(self, meter: ObservableMeter) -> None:
        gauge = meter.create_observable_gauge
        counter = meter.create_observable_counter
        gauge(
            "central_otel.inventory.sync.duration", [self._sync_duration], unit="s",
            description="Duration of the customer's last device-context sync (REST API).",
        )  # fmt: skip
        counter(
            "central_otel.inventory.sync.failures", [self._sync_failures], unit="{sync}",
            description="Device-context syncs that failed, by customer and cause (error.type: "
            "network, http_error, bad_response, unauthorized, rate_limited, error).",
        )  # fmt: skip
        counter(
            "central_otel.inventory.api.calls", [self._api_calls], unit="{call}",
            description="Calls to Central's REST API per customer (token refreshes and "
            "refused calls included).",
        )  # fmt: skip
        counter(
            "central_otel.inventory.rate_limit.waits", [self._rate_limit_waits], unit="{wait}",
            description="REST calls that waited for Central's rate limits, per customer.",
        )  # fmt: skip
        gauge(
            "central_otel.inventory.api.budget.remaining", [self._budget], unit="{call}",
            description="REST API calls left today for the customer's account, as Central "
            "last said (X-RateLimit-Remaining-day).",
        )  # fmt: skip
        gauge(
            "central_otel.inventory.devices", [self._context_devices], unit="{device}",
            description="Devices with context (site, group, labels) per customer.",
        )  # fmt: skip

    def _syncs(self, value: Callable[[InventorySync], float | None]) -> Iterable[Observation]:
        if self._inventories is None:
            return
        for name, sync in self._inventories.syncs.items():
            v = value(sync)
            if v is not None:
                yield Observation(v, {"aruba.customer.name": name})

    def _sync_duration(self, options: CallbackOptions) -> Iterable[Observation]:
        return self._syncs(lambda sync: sync.stats.last_duration)

    def _sync_failures(self, options: CallbackOptions) -> Iterable[Observation]:
        if self._inventories is None:
            return
        for name, sync in self._inventories.syncs.items():
            for cause, n in sync.stats.failures.items():
                yield Observation(n, {"aruba.customer.name": name, "error.type": cause})

    def _api_calls(self, options: CallbackOptions) -> Iterable[Observation]:
        return self._syncs(lambda sync: sync.limiter.calls)

    def _rate_limit_waits(self, options: CallbackOptions) -> Iterable[Observation]:
        return self._syncs(lambda sync: sync.limiter.waits)

    def _budget(self, options: CallbackOptions) -> Iterable[Observation]:
        return self._syncs(lambda sync: sync.limiter.budget.remaining_day)

    def _context_devices(self, options: CallbackOptions) -> Iterable[Observation]:
        return self._syncs(lambda sync: len(sync.devices()))

    def _subs(self, value: Callable[..., float | None]) -> Iterable[Observation]:
        for sub in self._streamer.all_subscriptions:
            v = value(sub)
            if v is not None:
                yield Observation(
                    v, {"aruba.customer.name": sub.customer, "aruba.topic": sub.topic.value}
                )

    def _up(self, options: CallbackOptions) -> Iterable[Observation]:
        return self._subs(lambda s: 1.0 if s.stats.state is StreamState.CONNECTED else 0.0)

    def _frames(self, options: CallbackOptions) -> Iterable[Observation]:
        return self._subs(lambda s: s.stats.frames)

    def _bytes(self, options: CallbackOptions) -> Iterable[Observation]:
        return self._subs(lambda s: s.stats.bytes)

    def _frame_age(self, options: CallbackOptions) -> Iterable[Observation]:
        now = time.time()
        return self._subs(
            lambda s: None if s.stats.last_frame_at is None else now - s.stats.last_frame_at
        )

    def _reconnects(self, options: CallbackOptions) -> Iterable[Observation]:
        for sub in self._streamer.all_subscriptions:
            for cause, n in sub.stats.reconnects.items():
                yield Observation(
                    n,
                    {
                        "aruba.customer.name": sub.customer,
                        "aruba.topic": sub.topic.value,
                        "reason": cause,
                    },
                )

    def _decode_errors(self, options: CallbackOptions) -> Iterable[Observation]:
        for (topic, kind), n in self._ingest.stats.decode_errors.items():
            yield Observation(n, {"aruba.topic": topic, "error.type": kind})

    def _validations(self, options: CallbackOptions) -> Iterable[Observation]:
        for name, key in self._streamer.keys.items():
            yield Observation(key.validations, {"aruba.customer.name": name})

    def _renewals(self, options: CallbackOptions) -> Iterable[Observation]:
        for name, key in self._streamer.keys.items():
            yield Observation(key.renewals, {"aruba.customer.name": name})

    def _token_requests(self, options: CallbackOptions) -> Iterable[Observation]:
        for name, token in self._streamer.tokens.items():
            for outcome in TokenOutcome:
                attributes = {"aruba.customer.name": name, "outcome": outcome.value}
                yield Observation(token.outcomes[outcome], attributes)

    def _token_renewals(self, options: CallbackOptions) -> Iterable[Observation]:
        for name, token in self._streamer.tokens.items():
            yield Observation(token.renewals, {"aruba.customer.name": name})

    def _token_expires_in(self, options: CallbackOptions) -> Iterable[Observation]:
        now = time.time()
        for name, token in self._streamer.tokens.items():
            if token.expires_at is not None:
                yield Observation(token.expires_at - now, {"aruba.customer.name": name})

    def _entities(self, options: CallbackOptions) -> Iterable[Observation]:
        for name, store in self._ingest.stores.items():
            for cls, n in store.counts().items():
                yield Observation(n, {"aruba.customer.name": name, "aruba.entity.class": cls})

    def _dropped(self, options: CallbackOptions) -> Iterable[Observation]:
        for name, store in self._ingest.stores.items():
            for cls, n in store.dropped.items():
                yield Observation(n, {"aruba.customer.name": name, "aruba.entity.class": cls})

    def _snapshots(self) -> list[ExportSnapshot]:
        if self._export is None:
            return []
        return self._export.snapshots()

    def _export_ok(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(s.exports_succeeded, {"signal": s.signal}) for s in self._snapshots()]

    def _export_failed(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(s.exports_failed, {"signal": s.signal}) for s in self._snapshots()]

    def _export_dropped(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(s.items_lost, {"signal": s.signal}) for s in self._snapshots()]

    def _export_duration(self, options: CallbackOptions) -> Iterable[Observation]:
        return [
            Observation(s.last_export_duration, {"signal": s.signal})
            for s in self._snapshots()
            if s.last_export_duration is not None
        ]
