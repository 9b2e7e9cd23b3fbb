"""The bridge's own health as metrics, exported with the rest (`central_otel.*`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from opentelemetry.metrics import CallbackOptions, Meter, Observation

from central_otel.pipeline.ingest import Ingestor
from central_otel.streaming.streamer import Streamer
from central_otel.streaming.subscription import StreamState
from central_otel.telemetry.stats import ExportSnapshot, TelemetryStats


class SelfMetrics:
    def __init__(
        self,
        meter: Meter,
        streamer: Streamer,
        ingest: Ingestor,
        export_stats: TelemetryStats | None = None,
    ) -> None:
        self._streamer = streamer
        self._ingest = ingest
        self._export = export_stats
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
