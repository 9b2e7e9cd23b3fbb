"""A compressed-time soak: the whole pipeline in-process against an accelerated simulator.

The simulator's clock runs one simulated day per real second (`time_scale`), keys expire
after one simulated day (`key_lifetime`, Central: 7 days) and the busy traffic profile
churns clients, APs and events on every 0.1 s tick; every 1.5 s the test drops every
connection (a reconnect storm), so each reconnect meets an expired key (401, validate,
renewed key). The bridge's key clock is the simulator's, so the once-a-minute validation
limit is a simulated minute.

Figures: key rotations picked up, entities and exported series after warm-up and at the
end, RSS of the test process (bridge and simulator) after warm-up and at the end.

CI runs 15 s; longer:

    CENTRAL_OTEL_SOAK_SECONDS=600 python -m pytest -s tests/test_soak_short.py
"""

from __future__ import annotations

import asyncio
import gc
import os
import time

import pytest

from central_otel.catalog.events import EventCatalogue
from central_otel.catalog.metrics import counter_fields
from central_otel.catalog.plan import MetricOptions, compile_plan
from central_otel.config import parse_config
from central_otel.export.encoder import OtlpMetricEncoder
from central_otel.pipeline.event_output import EVENTS_SCOPE, SdkEvents
from central_otel.pipeline.ingest import Ingestor
from central_otel.pipeline.self_metrics import SelfMetrics
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from central_otel.streaming.streamer import Streamer
from central_otel.streaming.subscription import Subscription
from central_otel.telemetry.providers import Telemetry
from central_otel.topics import TOPIC_NAMES
from tests import defaults
from tests.export_support import encoder
from tests.process_support import record_figures, rss_kib

SOAK_SECONDS = float(os.environ.get("CENTRAL_OTEL_SOAK_SECONDS", "15"))
DAY = 86_400.0
CUSTOMERS = ("CustomerA", "CustomerB")


def _series(telemetry: Telemetry, metrics: OtlpMetricEncoder, ingest: Ingestor) -> int:
    """Data points in one export (each is one exported series): the catalogue's, by the
    encoder that has exported every sample (its side table included), and the
    self-metrics."""
    data = telemetry.collect()
    self_metrics = sum(
        len(metric.data.data_points)
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
    )
    return self_metrics + metrics.encode(ingest.stores.values()).total_points


def _estate_size(sim: CentralSimulator) -> int:
    """Things a customer's estate reports on: devices, radios, ports, clients."""
    total = 0
    for name in CUSTOMERS:
        estate = sim.estate(name)
        total += len(estate.aps) + sum(len(ap.radios) for ap in estate.aps)
        total += sum(len(ap.clients) for ap in estate.aps)
        total += len(estate.switches) + sum(len(s.ports) for s in estate.switches)
        total += len(estate.gateways) + len(estate.wired_clients)
    return total


@pytest.mark.timeout(SOAK_SECONDS * 3 + 60)
async def test_compressed_time_soak() -> None:  # noqa: PLR0915 - one scenario, told in order
    sim = CentralSimulator(
        scale=EstateScale.small(),
        stats_interval=0.1,
        seed=31,
        profile=TrafficProfile.busy(),
        time_scale=DAY,  # a simulated day per real second
        key_lifetime=DAY,
        max_records=2_000,
    )
    for name in CUSTOMERS:
        sim.add_customer(name)
    await sim.start("127.0.0.1", 0)
    config = parse_config(
        {
            "central": {"base_url": sim.url},
            "customers": {
                name: {"key": sim.customer(name).key, "topics": list(TOPIC_NAMES)}
                for name in CUSTOMERS
            },
        },
        source="soak",
    )
    telemetry = Telemetry.in_memory()
    meter = telemetry.meter("central_otel")
    # The stores' TTLs run on the real clock: scaled down so that departed clients and
    # passers-by expire within the soak as they would within days.
    limits = defaults.limits(series_ttl=2.0, state_ttl=4.0)
    ingest = Ingestor(
        CUSTOMERS,
        limits=limits,
        pacing=defaults.pacing(),
        counter_fields=counter_fields(),
        events=EventCatalogue(),
        sink=SdkEvents(telemetry.logger(EVENTS_SCOPE)).accept,
    )

    def on_frame(subscription: Subscription, data: bytes, received_ns: int) -> None:
        ingest.handle(subscription.customer, subscription.topic, data)

    settings = defaults.every_topic(
        defaults.stream(backoff=defaults.backoff(initial=0.05, maximum=0.5, jitter=0.0))
    )
    streamer = Streamer(config, on_frame, settings=settings, clock=sim.clock.now)
    metrics = encoder(compile_plan(MetricOptions(per_client=False)))
    SelfMetrics(meter, streamer, ingest, telemetry.export_stats)

    warm_up = SOAK_SECONDS / 3
    samples: list[dict[str, float]] = []
    drops = 0
    by_class: list[dict[str, int]] = []
    try:
        await streamer.start()
        started = time.monotonic()
        next_drop = started + 1.5
        next_sample = started + warm_up
        while (now := time.monotonic()) - started < SOAK_SECONDS:
            await asyncio.sleep(0.1)
            if now >= next_drop:
                await sim.drop_connections()
                drops += 1
                next_drop = now + 1.5
            if now >= next_sample:
                gc.collect()
                for store in ingest.stores.values():
                    by_class.append(store.counts())
                entities = sum(sum(s.counts().values()) for s in ingest.stores.values())
                samples.append(
                    {
                        "t": round(now - started, 1),
                        "rss_kib": rss_kib()[0],
                        "entities": entities,
                        "series": _series(telemetry, metrics, ingest),
                        "estate": _estate_size(sim),
                    }
                )
                next_sample = now + max(1.0, SOAK_SECONDS / 10)
        renewals = {name: streamer.keys[name].renewals for name in CUSTOMERS}
        frames = sum(ingest.stats.frames.values())
        decode_errors = sum(ingest.stats.decode_errors.values())
    finally:
        await streamer.stop()
        await sim.stop()
        telemetry.shutdown(2.0)
    first, last = samples[0], samples[-1]
    rotations = len({c.key_fingerprint for c in sim.connections}) - len(CUSTOMERS)
    record_figures(
        "compressed_time_soak",
        real_seconds=SOAK_SECONDS,
        simulated_days=round(SOAK_SECONDS, 1),
        reconnect_storms=drops,
        key_renewals_picked_up=renewals,
        frames=frames,
        decode_errors=decode_errors,
        validate_calls={name: sim.validate_calls(name) for name in CUSTOMERS},
        after_warm_up=first,
        at_end=last,
        rss_growth_mib=round((last["rss_kib"] - first["rss_kib"]) / 1024, 1),
        entities_by_class_first_and_last=[by_class[0], by_class[-1]],
    )
    assert decode_errors == 0
    # Key rotations happened and every one was picked up (no customer stuck on a 401).
    assert all(count >= 2 for count in renewals.values()), renewals
    assert rotations >= 2
    # Flat: entities and series track the estate, not the time run or the churn.
    assert last["entities"] <= 1.5 * first["entities"] + 50
    assert last["series"] <= 1.5 * first["series"] + 200
    assert last["series"] <= 60 * last["estate"]
    assert last["rss_kib"] - first["rss_kib"] < 40 * 1024
