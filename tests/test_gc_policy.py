"""The bridge's garbage-collector policy (and GIL switch interval): applied while a
bridge runs, removed after."""

from __future__ import annotations

import asyncio
import gc
import sys
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.metrics import MeterProvider

from central_otel.config import Config, parse_config
from central_otel.gc_policy import GcPolicy, Reclaim
from central_otel.pacing import PacingSettings
from central_otel.pipeline.app import Bridge
from central_otel.pipeline.runner import serve
from central_otel.settings import bridge_settings
from central_otel.simulator import CentralSimulator, EstateScale
from central_otel.telemetry.providers import Telemetry
from tests.otlp_receiver import GrpcOtlpReceiver

PACING = PacingSettings()
THRESHOLDS, COLLECT_BYTES = PACING.gc_thresholds, PACING.collect_bytes
LOOP_SWITCH_INTERVAL = PACING.switch_interval


@pytest.fixture(autouse=True)
def _clean_gc() -> Iterator[None]:
    """No policy leaks from one test into the next (nor into the rest of the suite)."""
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    yield
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def _active(policy: GcPolicy) -> bool:
    return policy.active


async def _simulator_and_config(extra: dict[str, Any]) -> tuple[CentralSimulator, Config]:
    """A started simulator (small estate, one monitoring stream) and a bridge config
    for it, with `extra` sections."""
    sim = CentralSimulator(scale=EstateScale.small(), stats_interval=0.2, seed=7)
    info = sim.add_customer("CustomerA", topics=["monitoring"])
    await sim.start("127.0.0.1", 0)
    customers = {"CustomerA": {"key": info.key, "topics": ["monitoring"]}}
    config = parse_config(
        {"central": {"base_url": sim.url}, "customers": customers, **extra}, source="test"
    )
    return sim, config


def test_install_freezes_what_exists_and_sets_the_thresholds() -> None:
    previous = gc.get_threshold()
    policy = GcPolicy(THRESHOLDS, COLLECT_BYTES)
    policy.install()
    try:
        assert _active(policy)
        assert gc.get_threshold() == THRESHOLDS
        assert gc.get_freeze_count() > 0  # modules, this test's objects...
    finally:
        policy.remove()
    assert not _active(policy)
    assert gc.get_threshold() == previous
    assert gc.get_freeze_count() == 0


def test_survivors_of_a_full_collection_are_frozen() -> None:
    policy = GcPolicy(THRESHOLDS, COLLECT_BYTES)
    policy.install()
    try:
        frozen = gc.get_freeze_count()
        survivors = [[n] for n in range(5000)]  # lists: tracked; alive
        assert policy.full_collections == 0
        gc.collect()
        assert policy.full_collections == 1
        assert gc.get_freeze_count() >= frozen + len(survivors)
        # A younger collection freezes nothing.
        frozen = gc.get_freeze_count()
        more = [[n] for n in range(100)]
        gc.collect(1)
        assert gc.get_freeze_count() == frozen
        assert policy.full_collections == 1
        del more
    finally:
        policy.remove()


def test_frozen_objects_are_still_freed_by_reference_counting() -> None:
    class Witness:
        freed = 0

        def __del__(self) -> None:
            Witness.freed += 1

    policy = GcPolicy(THRESHOLDS, COLLECT_BYTES)
    policy.install()
    try:
        held = [Witness() for _ in range(10)]
        gc.collect()  # now frozen
        held.clear()
        assert Witness.freed == 10
    finally:
        policy.remove()


def test_policies_nest_the_last_removal_restores() -> None:
    previous = gc.get_threshold()
    first, second = GcPolicy(THRESHOLDS, COLLECT_BYTES), GcPolicy(THRESHOLDS, COLLECT_BYTES)
    first.install()
    second.install()
    second.install()  # idempotent
    try:
        first.remove()
        assert gc.get_threshold() == THRESHOLDS
        assert gc.get_freeze_count() > 0
        gc.collect()
        assert (first.full_collections, second.full_collections) == (0, 1)
    finally:
        second.remove()
        second.remove()  # idempotent
    assert gc.get_threshold() == previous


async def test_a_running_bridge_applies_the_policy() -> None:
    sim, config = await _simulator_and_config({"health": {"listen": "127.0.0.1:0"}})
    provider = MeterProvider()
    previous = gc.get_threshold()
    # Collections after every 1000 bytes: the small estate's frames.
    pacing = PacingSettings(collect_bytes=1000)
    settings = bridge_settings(config, health=False, pacing=pacing)
    bridge = Bridge(settings, provider.get_meter("central_otel"))
    try:
        assert not _active(bridge.pacing.gc)
        await bridge.start()
        assert _active(bridge.pacing.gc)
        assert gc.get_threshold() == THRESHOLDS
        assert gc.get_freeze_count() > 0
        # Frames arrive and are folded in: full collections by their size.
        store = bridge.ingest.stores["CustomerA"]
        for _ in range(200):
            if bridge.pacing.gc.work_collections >= 2:
                break
            await asyncio.sleep(0.05)
        assert bridge.pacing.gc.work_collections >= 2
        assert store.counts()
    finally:
        await bridge.stop()
        provider.shutdown()
        await sim.stop()
    assert not _active(bridge.pacing.gc)
    assert gc.get_threshold() == previous
    assert gc.get_freeze_count() == 0


def test_remove_without_unfreezing_keeps_the_heap_frozen() -> None:
    previous = gc.get_threshold()
    policy = GcPolicy(THRESHOLDS, COLLECT_BYTES)
    policy.install()
    frozen = gc.get_freeze_count()
    policy.remove(unfreeze=False)
    try:
        assert not _active(policy)
        assert gc.get_threshold() == previous
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()  # what the process exit would have made moot


@pytest.mark.parametrize("exiting", [True, False])
async def test_serve_keeps_the_policy_through_the_flush(
    exiting: bool, otlp_grpc_receiver: GrpcOtlpReceiver
) -> None:
    """The final flush runs with the heap still frozen (an unfrozen full collection
    would walk the whole store inside the stop budget); a process that exits after
    `serve` keeps it frozen, one that goes on gets its heap back."""
    otlp = {"endpoint": otlp_grpc_receiver.endpoint, "protocol": "grpc", "export_interval": "1h"}
    sim, config = await _simulator_and_config({"otlp": otlp})
    telemetry = Telemetry(config.otlp)
    previous = gc.get_threshold()
    previous_switch = sys.getswitchinterval()
    bridges: list[Bridge] = []
    during_flush: list[tuple[bool, bool]] = []
    shutdown = telemetry.shutdown

    def flush(timeout: float = 5.0) -> bool:
        policy = bridges[0].pacing.gc
        during_flush.append((_active(policy), gc.get_freeze_count() > 0))
        return shutdown(timeout)

    telemetry.shutdown = flush  # type: ignore[method-assign]
    stop = asyncio.Event()

    switch_intervals: list[float] = []

    def started(bridge: Bridge) -> None:
        bridges.append(bridge)
        switch_intervals.append(sys.getswitchinterval())
        asyncio.get_running_loop().call_later(0.5, stop.set)

    try:
        await serve(
            bridge_settings(config, health=False, exiting=exiting),
            telemetry,
            stop=stop,
            on_started=started,
        )
        assert during_flush == [(True, True)]
        assert not _active(bridges[0].pacing.gc)
        assert gc.get_threshold() == previous
        assert (gc.get_freeze_count() > 0) is exiting
        # While serving, the loop got the GIL back sooner (central_otel.gil_switching).
        assert switch_intervals == [LOOP_SWITCH_INTERVAL]
        assert sys.getswitchinterval() == previous_switch != LOOP_SWITCH_INTERVAL
        # The direct exporter's final export reached the receiver.
        assert otlp_grpc_receiver.metric_names() >= {"aruba.device.status"}
    finally:
        gc.unfreeze()
        await sim.stop()


def test_ingested_frames_run_work_collections_by_their_size() -> None:
    """The net allocation count hardly moves while ingest replaces messages, so the
    policy collects the young and middle generations every COLLECT_BYTES of frames."""
    seen: list[int] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    policy = GcPolicy(THRESHOLDS, COLLECT_BYTES)
    policy.ingested(COLLECT_BYTES)  # not installed: nothing
    assert policy.work_collections == 0
    policy.install()
    gc.callbacks.append(watch)
    try:
        gc.disable()  # only the policy's collections
        half = COLLECT_BYTES // 2
        policy.ingested(half)
        assert (seen, policy.work_collections) == ([], 0)
        policy.ingested(half)
        assert (seen, policy.work_collections) == ([2], 1)
        assert policy.full_collections == 1  # and what survived it is frozen
        policy.ingested(half)
        assert seen == [2]
        policy.ingested(3 * COLLECT_BYTES)  # a burst: one collection, then anew
        assert (seen, policy.work_collections) == ([2, 2], 2)
        policy.ingested(half)
        assert seen == [2, 2]
    finally:
        gc.enable()
        gc.callbacks.remove(watch)
        policy.remove()


class _Node:
    """A stand-in for a connection's objects: a reference cycle, weakly referable."""

    def __init__(self) -> None:
        self.me = self


def test_a_reclaim_frees_cycles_frozen_while_alive_once_enough_connections_ended() -> None:
    # Three ended connections of a byte each make a reclaim worth it.
    policy = GcPolicy(THRESHOLDS, COLLECT_BYTES, Reclaim(connection_garbage=1, minimum=3, share=0))
    policy.install()
    try:
        node = _Node()
        alive = weakref.ref(node)
        gc.collect()  # a full collection while the "connection" lives: it is frozen
        del node
        gc.collect()
        assert alive() is not None  # frozen garbage: no ordinary collection takes it
        policy.connection_ended()
        policy.connection_ended()
        policy.ingested(1)
        assert (alive() is not None, policy.reclaims) == (True, 0)  # 2 ended: not worth it
        policy.connection_ended()
        assert policy.reclaims == 0  # due, at the next frame (between frames, on the loop)
        policy.ingested(1)
        assert (alive(), policy.reclaims) == (None, 1)
        assert gc.get_freeze_count() > 0  # the survivors are frozen again
        # Counting starts again.
        policy.connection_ended()
        policy.ingested(1)
        assert policy.reclaims == 1
    finally:
        policy.remove()


def test_the_bridge_counts_each_closed_connection_for_the_policy() -> None:
    async def scenario() -> int:
        sim, config = await _simulator_and_config({})
        bridge = Bridge(bridge_settings(config), MeterProvider().get_meter("test"))
        await bridge.start()
        try:
            (sub,) = bridge.streamer.subscriptions
            for connects in (1, 2, 3):
                async with asyncio.timeout(10):
                    while sub.stats.connects < connects:
                        await asyncio.sleep(0.01)
                if connects < 3:
                    await sim.drop_connections()
        finally:
            await bridge.stop()
            await sim.stop()
        return bridge.pacing.gc.connections_ended

    # Two drops, then the stop's close of the third connection.
    assert asyncio.run(scenario()) == 3
