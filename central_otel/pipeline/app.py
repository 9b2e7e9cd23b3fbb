"""The whole bridge: streams -> ingest (stores, events) -> OpenTelemetry, plus health.

Owns the order of start and stop so that SIGTERM closes the streams (code 1000),
then flushes metrics and logs, within a bounded time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable
from typing import Any

from central_otel.catalog.events import EventCatalogue
from central_otel.catalog.metrics import counter_fields
from central_otel.catalog.plan import compile_plan
from central_otel.export.observables import ObservableMeter
from central_otel.health import HealthServer, StatusQuery
from central_otel.inventory import Inventories
from central_otel.new_central.subscription import NewCentralSubscription
from central_otel.pacing import Pacing
from central_otel.pipeline.event_output import EventOutput
from central_otel.pipeline.ingest import Ingestor
from central_otel.pipeline.self_metrics import SelfMetrics
from central_otel.pipeline.transitions import ReportedStates, Transitions
from central_otel.settings import BridgeSettings
from central_otel.streaming.streamer import Streamer
from central_otel.streaming.subscription import Subscription
from central_otel.telemetry.stats import TelemetryStats
from central_otel.topics import Topic

log = logging.getLogger(__name__)

REPORTED_EXPIRY_INTERVAL = 600.0  # seconds between expiries of the remembered states


class Bridge:
    def __init__(
        self,
        settings: BridgeSettings,
        meter: ObservableMeter,
        *,
        events: EventOutput | None = None,
        export_stats: TelemetryStats | None = None,
    ) -> None:
        """`meter` carries the self-metrics (the catalogue's metrics are read from
        `ingest.stores` by the runner's export loop); `events` receives the event
        records and keeps the reported states (none without it, or without
        `settings.events`)."""
        config = self.config = settings.config
        self.settings = settings
        self.options = settings.metrics
        self.pacing = Pacing(settings.pacing)
        self.events = events
        self.transitions: Transitions | None = None
        if settings.events is not None and events is not None:
            self.transitions = Transitions(
                EventCatalogue(settings.events),
                ReportedStates(events.remembered()),
                in_baseline=self._in_baseline,
                persist=events.remember,
            )
        # What the metric export reads (the runner's encoder walks it), and so what the
        # stores keep.
        self.plan = compile_plan(settings.metrics)
        self.ingest = Ingestor(
            [c.name for c in config.all_customers],
            limits=settings.limits,
            counter_fields=counter_fields(),
            unread=self.plan.unread_stats(settings.view_reads),
            events=self.transitions,
            sink=events.accept if events is not None else None,
            pacing=self.pacing,
        )
        self.streamer = Streamer(
            config,
            self._on_frame,
            on_new_central_frame=self._on_frame,
            settings=settings.streams,
            new_central_settings=settings.new_central_streams,
            shard=settings.shard,
            # A closed connection's objects sit in frozen cycles: see gc_policy.
            on_connection_closed=self.pacing.gc.connection_ended,
        )
        self._monitoring: dict[str, Subscription] = {}
        # Per customer: the monitoring connection (its start) and Central's time of its
        # first frame, from which the baseline window runs.
        self._connections: dict[str, tuple[float | None, int | None]] = {}
        self.inventories = Inventories(
            config, self.ingest.stores, tokens=self.streamer.tokens, shard=settings.shard
        )
        self.self_metrics = SelfMetrics(
            meter,
            self.streamer,
            self.ingest,
            export_stats,
            events=events.queue_status if events is not None else None,
            inventories=self.inventories,
        )
        self.export_stats = export_stats
        self.health = (
            HealthServer(
                self.streamer, ready_when=config.health.ready_when, extra_status=self._status
            )
            if settings.health
            else None
        )
        self.started_at = time.time()
        self._expiry: asyncio.Task[None] | None = None

    def _on_frame(
        self, subscription: Subscription | NewCentralSubscription, data: bytes, received_ns: int
    ) -> Awaitable[None]:
        # Awaited by the subscription before its next frame: a large frame's event work
        # yields to the loop in slices, and a writer far behind holds the next frame back.
        handled = self.ingest.handle_async(subscription.customer, subscription.topic, data)
        return handled if self.events is None else self._then_room(handled, self.events)

    @staticmethod
    async def _then_room(handled: Awaitable[None], events: EventOutput) -> None:
        await handled
        await events.room()

    async def _expire_reported(self) -> None:
        """Forget, as the store does, entities Central stopped reporting without a DELETE."""
        assert self.transitions is not None
        while True:
            await asyncio.sleep(REPORTED_EXPIRY_INTERVAL)
            forgotten = [0]
            for _ in self.transitions.reported.expire_steps(
                self.settings.limits.state_ttl, forgotten
            ):
                await asyncio.sleep(0)
            self.transitions.flush()

    def _in_baseline(self, customer: str, sent_ns: int | None) -> bool:
        """Whether Central sent a monitoring frame (at `sent_ns`, its clock) within the
        baseline window from the first frame of the connection: what it sends then is
        largely its snapshot of the state. Without Central's time, the window runs from
        the connection on this host's clock."""
        subscription = self._monitoring.get(customer)
        if subscription is None:
            for sub in self.streamer.subscriptions:
                if sub.topic is Topic.MONITORING:
                    self._monitoring[sub.customer] = sub
            subscription = self._monitoring.get(customer)
        since = subscription.stats.connected_since if subscription is not None else None
        if since is None:
            return False
        window = self.settings.baseline_window
        connection, first_ns = self._connections.get(customer, (None, None))
        if connection != since:  # the first frame of a new connection
            connection, first_ns = since, sent_ns
            self._connections[customer] = (connection, first_ns)
        if sent_ns is None or first_ns is None:
            return time.time() - since < window
        return sent_ns - first_ns < window * 1e9

    def _status(self, query: StatusQuery) -> dict[str, Any]:
        """The bridge's part of `/status`: decoding, exports and events for the whole
        process; the entities and inventory of `query.customer` alone when given; in the
        summary, the entities' totals and only the inventories that are not well."""
        stats = self.ingest.stats
        stores = {
            name: store
            for name, store in self.ingest.stores.items()
            if query.customer is None or name == query.customer
        }
        body: dict[str, Any] = {
            "frames_decoded": dict(stats.frames),
            "decode_errors": {f"{t}/{k}": n for (t, k), n in stats.decode_errors.items()},
            "events_emitted": stats.events,
        }
        if query.summary:
            entities: Counter[str] = Counter()
            dropped: Counter[str] = Counter()
            for store in stores.values():
                entities.update(store.counts())
                dropped.update(store.dropped)
            body["entities_total"] = dict(entities)
            body["entities_dropped_total"] = dict(dropped)
        else:
            body["entities"] = {name: store.counts() for name, store in stores.items()}
            body["entities_dropped"] = {name: dict(store.dropped) for name, store in stores.items()}
        body["exports"] = self._exports()
        body["events"] = self._events_status()
        inventory = {
            name: state
            for name, state in self.inventories.status().items()
            if (query.customer is None or name == query.customer)
            and not (query.summary and state["ok"])  # the summary: only what is not well
        }
        body["inventory"] = inventory
        return body

    def _events_status(self) -> dict[str, Any]:
        """The event queue, and what the record of reported states decided."""
        status: dict[str, Any] = {}
        if self.events is not None:
            status.update(self.events.status() or {})
        if self.transitions is not None:
            stats = self.transitions.stats
            status["states"] = {
                "remembered": len(self.transitions.reported),
                "baseline": stats.baseline,
                "repeated": stats.repeated,
                "transitions": stats.transitions,
            }
        return status

    def _exports(self) -> dict[str, dict[str, Any]]:
        """OTLP export counters by signal (the `central_otel.export.*` self-metrics)."""
        if self.export_stats is None:
            return {}
        return {
            s.signal: {
                "exports_succeeded": s.exports_succeeded,
                "exports_failed": s.exports_failed,
                "items_exported": s.items_exported,
                "items_failed": s.items_failed,
                "items_dropped": s.items_dropped,
                "last_export_items": s.last_export_items,
                "last_export_duration_seconds": s.last_export_duration,
                "last_export_unix": s.last_export_unix,
                "last_error": s.last_error,
            }
            for s in self.export_stats.snapshots()
        }

    async def start(self) -> None:
        self.pacing.start()  # before the stores fill: see central_otel.gc_policy
        if self.health is not None:
            listen = self.config.health
            await self.health.start(listen.host, listen.port)
            log.info(
                "health endpoints on http://%s:%d (/healthz /readyz /status)",
                listen.host,
                self.health.port,
            )
        # Stored device context before the first frame; the syncs run in the background.
        await self.inventories.start()
        await self.streamer.start()
        self.inventories.run()
        if self.transitions is not None:
            self._expiry = asyncio.create_task(self._expire_reported(), name="reported states")

    async def stop(self, timeout: float = 5.0, *, keep_pacing: bool = False) -> None:
        """Close the streams and the health server, then `release`, unless
        `keep_pacing`: a final export after this then still runs under the GC policy,
        and the caller releases it."""
        if self._expiry is not None:
            self._expiry.cancel()
            await asyncio.gather(self._expiry, return_exceptions=True)
        try:
            await self.streamer.stop(timeout)
            if self.transitions is not None:
                self.transitions.flush()  # the last states go with the last records
            await self.inventories.stop()
            if self.health is not None:
                await self.health.stop()
        finally:
            if not keep_pacing:
                self.release()

    def release(self, *, unfreeze: bool = True) -> None:
        """Restore the process's GC and switch-interval settings; `unfreeze` False keeps
        the heap frozen (a process about to exit: see `central_otel.gc_policy`)."""
        self.pacing.stop(unfreeze=unfreeze)
