"""No event storms at the 1,000-AP / 30,000-client estate (the simulator, the whole bridge
in-process): a start, a reconnect and a restart with `state_dir` report no client that
was already there; what really changed is reported, once.

The estate's size can be changed with ``CENTRAL_OTEL_STORM_CLIENTS_PER_AP`` (default 30).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from opentelemetry.sdk.metrics import MeterProvider

from central_otel.catalog.event_base import EventRecord
from central_otel.config import parse_config
from central_otel.delivery.queue import EventQueue, QueueBudget
from central_otel.delivery.rows import ReportedState
from central_otel.pipeline.app import Bridge
from central_otel.pipeline.event_output import SdkEvents
from central_otel.settings import bridge_settings
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from central_otel.topics import Topic
from tests.process_support import record_figures

pytestmark = pytest.mark.timeout(240)

CUSTOMER = "CustomerA"
CLIENTS_PER_AP = int(os.environ.get("CENTRAL_OTEL_STORM_CLIENTS_PER_AP", "30"))
ESTATE = EstateScale(
    sites=20, aps_per_site=50, switches_per_site=1, gateways_per_site=1,
    clients_per_ap=CLIENTS_PER_AP,
)  # fmt: skip
BUDGET = QueueBudget(1 << 30, 86400.0, 1 << 30)
# The snapshot of 30,000 clients takes seconds to read on a loaded machine.
BASELINE = 10.0


async def _until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s: {what}")
        await asyncio.sleep(0.05)


class Recorded(SdkEvents):
    """Records into a list; reported states kept in (and read from) the queue's file."""

    def __init__(self, records: list[EventRecord], queue: EventQueue) -> None:
        self.records = records
        self.queue = queue

    def accept(self, record: EventRecord) -> None:
        self.records.append(record)

    def remember(self, states: list[ReportedState]) -> None:
        self.queue.add([], states)

    def remembered(self) -> list[ReportedState]:
        return self.queue.reported_states()


class Run:
    """One bridge (`run` without the process): its records, and its remembered states in
    the queue database under `state_dir`."""

    def __init__(self, sim: CentralSimulator, key: str, state_dir: Path) -> None:
        config = parse_config(
            {
                "central": {"base_url": sim.url},
                "customers": {CUSTOMER: {"key": key, "topics": ["monitoring"]}},
                "health": {"listen": "127.0.0.1:0"},
                "events": {"baseline_window": BASELINE},
            },
            source="test",
        )
        self.sim = sim
        self.sent_before = sim.frames_sent(CUSTOMER, "monitoring")
        self.queue = EventQueue.open(BUDGET, state_dir)
        self.records: list[EventRecord] = []
        self.bridge = Bridge(
            bridge_settings(config, health=False),
            MeterProvider().get_meter("central_otel"),
            events=Recorded(self.records, self.queue),
        )

    def names(self) -> Counter[str]:
        return Counter(r.event_name for r in self.records)

    def frames(self) -> int:
        return self.bridge.ingest.stats.frames[Topic.MONITORING.value]

    async def caught_up(self, timeout: float = 120.0) -> None:
        """Every frame the simulator sent so far was handled."""
        sent = self.sim.frames_sent
        await _until(
            lambda: self.frames() + self.sent_before >= sent(CUSTOMER, "monitoring"),
            timeout,
            "the bridge handled every frame sent",
        )

    async def stop(self) -> None:
        await self.bridge.stop()
        assert self.bridge.transitions is not None
        self.bridge.transitions.flush()
        self.queue.close()


async def test_start_reconnect_and_restart_of_a_steady_estate_report_no_client(
    tmp_path: Path,
) -> None:
    sim = CentralSimulator(
        scale=ESTATE, stats_interval=30.0, seed=5, profile=TrafficProfile.quiet()
    )
    info = sim.add_customer(CUSTOMER, topics=["monitoring"])
    await sim.start("127.0.0.1", 0)
    estate = sim.estate(CUSTOMER)
    clients = len(estate.clients)
    try:
        first = Run(sim, info.key, tmp_path)
        started = time.monotonic()
        await first.bridge.start()
        store = first.bridge.ingest.stores[CUSTOMER]
        await _until(lambda: store.counts().get("wireless_client") == clients, 120, "the estate")
        snapshot_seconds = time.monotonic() - started
        await first.caught_up()
        assert first.names() == Counter()  # the start: a baseline, not news
        # A client joining after the baseline window is news.
        (subscription,) = first.bridge.streamer.subscriptions
        since = subscription.stats.connected_since
        assert since is not None
        await asyncio.sleep(max(0.0, BASELINE + 0.1 - (time.time() - since)))
        joined = sim.join_client(CUSTOMER)
        assert joined is not None
        await _until(lambda: first.names() == Counter({"aruba.client.connected": 1}), 30, "join")
        # A reconnect: the snapshot again, no news in it.
        sent = sim.frames_sent(CUSTOMER, "monitoring")
        await sim.drop_connections(CUSTOMER, "monitoring")
        await _until(lambda: sim.frames_sent(CUSTOMER, "monitoring") > sent, 60, "reconnected")
        await asyncio.sleep(1.0)
        await first.caught_up()
        assert first.names() == Counter({"aruba.client.connected": 1})
        remembered = len(first.bridge.transitions.reported)  # type: ignore[union-attr]
        await first.stop()

        # While the bridge is stopped an AP goes down (its clients leave with it).
        down = estate.aps[0]
        evicted = len(down.clients)
        sim.ap_down(CUSTOMER, down.serial)

        second = Run(sim, info.key, tmp_path)
        await second.bridge.start()
        store = second.bridge.ingest.stores[CUSTOMER]
        await _until(
            lambda: store.counts().get("wireless_client") == clients + 1 - evicted, 120, "estate"
        )
        await second.caught_up()
        await second.stop()
    finally:
        await sim.stop()
    # The restart repeats nothing, and reports what changed meanwhile, at once (inside
    # the baseline window: it is a transition from the remembered state).
    # The AP, and the two ends of its uplink: its own port and the switch's.
    assert second.names() == Counter({"aruba.device.down": 1, "aruba.interface.down": 2})
    (device,) = [r for r in second.records if r.event_name == "aruba.device.down"]
    assert device.attributes["host.id"] == down.serial
    ports = {
        (r.attributes["host.id"], r.attributes.get("network.interface.name"))
        for r in second.records
        if r.event_name == "aruba.interface.down"
    }
    assert down.uplink is not None
    assert ports == {(down.serial, "eth0"), (down.uplink.device_serial, down.uplink.name)}
    record_figures(
        "no_event_storm",
        clients=clients,
        aps=len(estate.aps),
        snapshot_seconds=round(snapshot_seconds, 1),
        states_remembered=remembered,
        records_at_start=0,
        records_at_reconnect=0,
        records_at_restart=len(second.records),
    )
