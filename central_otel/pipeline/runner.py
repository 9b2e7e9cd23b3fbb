"""Running the bridge as a process: signals, bounded shutdown, telemetry flush.

Shared by `run` (a configured deployment) and `demo` (the built-in simulator).
SIGTERM/SIGINT close the streams (code 1000), then metrics and logs are flushed;
the whole stop is bounded (`STOP_BUDGET`) so orchestrators never need SIGKILL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Protocol

from central_otel.delivery.service import EventDelivery
from central_otel.export.encoder import EncodeLimits, OtlpMetricEncoder
from central_otel.export.exporter import MetricExportLoop
from central_otel.pipeline.app import Bridge
from central_otel.pipeline.event_output import EVENTS_SCOPE, EventOutput, SdkEvents
from central_otel.settings import BridgeSettings
from central_otel.signals import stop_on_signals
from central_otel.telemetry.providers import Telemetry

log = logging.getLogger(__name__)

STOP_BUDGET = 9.0  # seconds from the signal to exit, under Kubernetes' default grace
STREAMS_BUDGET = 4.0


class MetricExport(Protocol):
    """What runs the catalogue's metric export: started with the streams, shut down
    (with a last export) within the stop budget."""

    def start(self) -> None: ...

    def shutdown(self, timeout: float) -> bool: ...


MetricExportFactory = Callable[[Telemetry, Bridge], MetricExport]


def metric_export(telemetry: Telemetry, bridge: Bridge) -> MetricExportLoop:
    """The catalogue metrics of the bridge's stores, to the telemetry's metric sink
    (an OTLP backend, the console or memory), every export interval."""
    encoder = OtlpMetricEncoder(bridge.plan, telemetry.resource, EncodeLimits())
    return MetricExportLoop(
        encoder,
        bridge.ingest.stores.values,
        telemetry.metric_sink(),
        interval=telemetry.export_interval,
        timeout=telemetry.export_timeout,
        stats=telemetry.export_stats.metrics,
    )


async def event_output(settings: BridgeSettings, telemetry: Telemetry) -> EventOutput:
    """Where event records go: the durable queue to the OTLP backend (opened off the
    event loop: a damaged queue file is recovered first), else the SDK's logger."""
    if telemetry.mode != "otlp" or telemetry.config is None:
        return SdkEvents(telemetry.logger(EVENTS_SCOPE))
    return await asyncio.to_thread(
        EventDelivery.open,
        settings.delivery,
        telemetry.config,
        telemetry.resource,
        stats=telemetry.export_stats.logs,
    )


async def _started_unless_stopped(bridge: Bridge, stop: asyncio.Event) -> bool:
    """Start the bridge; False if `stop` came first. Whatever starting may wait for, a
    SIGTERM meanwhile must not wait for it, or Kubernetes kills the pod. (The streams
    and the key validations start in the background: neither holds starting up.)"""
    starting = asyncio.create_task(bridge.start(), name="bridge start")
    stopping = asyncio.create_task(stop.wait(), name="stop signal")
    try:
        await asyncio.wait((starting, stopping), return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if starting.done():
        starting.result()  # its error, if any, is the caller's
        return True
    log.info("stop requested while starting; not waiting for it")
    starting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await starting
    return False


async def serve(
    settings: BridgeSettings,
    telemetry: Telemetry,
    *,
    stop: asyncio.Event | None = None,
    on_started: Callable[[Bridge], None] | None = None,
    export: MetricExportFactory = metric_export,
) -> None:
    """Run until SIGTERM/SIGINT (or `stop`), then stop within `STOP_BUDGET`.

    `on_started` sees the bridge once its streams are started; `export` builds what
    exports the catalogue's metrics (the benchmarks measure other ways with it). With
    `settings.exiting` (`run`, `demo`: the process ends when this returns) the heap
    the GC policy froze stays frozen: unfreezing would only make the next collections
    walk the whole store while the process shuts down (see `central_otel.gc_policy`).
    """
    config = settings.config
    shard = settings.shard
    exiting = settings.exiting
    with stop_on_signals(stop) as requested:
        events = await event_output(settings, telemetry)
        bridge = Bridge(
            settings,
            telemetry.self_metrics_meter(),
            events=events,
            export_stats=telemetry.export_stats,
        )
        metrics = export(telemetry, bridge)
        if shard is not None:
            served = len(bridge.streamer.selected())
            log.info("%s: serving %d of %d subscriptions", shard, served, len(config.subscriptions))
        try:
            events.start()  # what is queued from before goes out while the streams start
            if await _started_unless_stopped(bridge, requested):
                metrics.start()
                if on_started is not None:
                    on_started(bridge)
                await requested.wait()
            log.info("stop requested: closing streams, then flushing metrics and logs")
        finally:
            # The pacing (the GC policy) stays during the flush: a full collection of the
            # unfrozen heap would take seconds of the budget on a large estate.
            try:
                await bridge.stop(STREAMS_BUDGET, keep_pacing=True)
                # The flush blocks on network I/O: keep it off the event loop.
                budget = STOP_BUDGET - STREAMS_BUDGET
                # Events have their own account of what was not delivered (kept on disk with
                # a state_dir): not part of the warning below.
                telemetry_flushed, metrics_flushed, _ = await asyncio.gather(
                    asyncio.to_thread(telemetry.shutdown, budget),
                    asyncio.to_thread(metrics.shutdown, budget),
                    asyncio.to_thread(events.shutdown, budget),
                )
                if not (telemetry_flushed and metrics_flushed):
                    log.warning(
                        "telemetry flush did not finish in time; unsent data was dropped (counted)"
                    )
            finally:
                bridge.release(unfreeze=not exiting)
