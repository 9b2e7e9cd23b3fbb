"""Entity stores of a given number of live series, filled from simulator frames."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from central_otel.catalog.metrics import counter_fields
from central_otel.catalog.plan import ExportPlan, MetricOptions, compile_plan
from central_otel.config.pipeline import MetricsConfig
from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.inventory.classic import parse_device
from central_otel.pacing import PacingSettings
from central_otel.settings import store_limits
from central_otel.simulator.estate import Estate, EstateScale
from central_otel.simulator.frames import Frames, build
from central_otel.simulator.rest_api import inventory_record
from central_otel.state.store import DeviceInfo, EntityStore

OPTIONS = MetricOptions(per_client=True)  # the largest tenants' configuration
PLAN = compile_plan(OPTIONS)
DEFAULT_PLAN = compile_plan(MetricOptions(per_client=False))  # the default's (`bench msp`)
PACING = PacingSettings()  # the bridge's tuning
SERIES_PER_SITE = 12_400  # measured: 50 APs, 1000 clients, 4 switches, 2 gateways
LIMITS = store_limits(MetricsConfig(default_max_entities=2_000_000))


def scale_for(series: int) -> EstateScale:
    """An estate of about `series` live series (per-client metrics on)."""
    sites = max(1, round(series / SERIES_PER_SITE))
    aps = 50 if series >= SERIES_PER_SITE else max(1, round(50 * series / SERIES_PER_SITE))
    switches = 4 if aps >= 20 else 1
    return EstateScale(
        sites=sites,
        aps_per_site=aps,
        switches_per_site=switches,
        gateways_per_site=2 if aps >= 20 else 1,
        clients_per_ap=20,
        wired_clients_per_switch=8,
        ports_per_switch=48,
    )


def payloads(frames: Iterable[bytes]) -> list[Any]:
    out = []
    for frame in frames:
        decoded = decode_frame(frame)
        assert isinstance(decoded, DecodedFrame)
        out.append(decoded.payload)
    return out


def apply(store: EntityStore, info: Any) -> None:
    """Fold one monitoring payload into `store`, all of it."""
    for _ in store.apply_monitoring(info, [], PACING.store_chunk):
        pass


def fill(store: EntityStore, frames: Frames) -> EntityStore:
    for info in payloads(frames.opening + frames.monitoring):
        apply(store, info)
    for event in payloads(frames.presence):
        store.apply_presence(event)
    return store


def frames_for(series: int, seed: str = "bench") -> Frames:
    return build(scale_for(series), rounds=1, seed=seed)


def inventory_for(series: int, seed: str = "bench") -> list[DeviceInfo]:
    """Device context of `frames_for(series, seed)`'s estate: each device's site, group
    and labels as the simulator's REST API lists them, read by the inventory client."""
    estate = Estate(scale_for(series), seed, 0.0)  # the same devices: the same seed
    kinds = (("gateway", estate.gateways), ("switch", estate.switches), ("ap", estate.aps))
    devices = [
        parse_device(inventory_record(device, kind), kind)
        for kind, members in kinds
        for device in members
    ]
    return [device for device in devices if device is not None]


def new_store(plan: ExportPlan = PLAN) -> EntityStore:
    """A store keeping what `plan` reads, as the bridge's stores do."""
    return EntityStore("bench", LIMITS, counter_fields(), unread=plan.unread_stats())
