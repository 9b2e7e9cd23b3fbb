"""Event volume at process level: `central-otel run` with `state_dir` and a real OTLP
receiver.

- a burst of `CENTRAL_OTEL_EVENT_BURST` (default 50 000) WIDS, rogue and audit events
  sent by a small WebSocket server within `CENTRAL_OTEL_EVENT_BURST_SECONDS` (default
  20; at most a minute): every one delivered once, the event loop never held up more
  than 100 ms, memory bounded;
- the 1,000-AP / 30,000-client estate of the simulator: the start and a restart report
  no client that was already there, and nothing is dropped.

Figures are printed (``pytest -s``) and appended to $CENTRAL_OTEL_FIGURES.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from central_otel.proto import audit_pb2, monitoring_pb2, security_pb2
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from central_otel.simulator.messages import envelope
from tests.central_fake import FakeCentral
from tests.otlp_receiver import GrpcOtlpReceiver, LogView
from tests.process_support import BridgeProcess, record_figures, until, write_config

BURST = int(os.environ.get("CENTRAL_OTEL_EVENT_BURST", "50000"))
BURST_SECONDS = float(os.environ.get("CENTRAL_OTEL_EVENT_BURST_SECONDS", "20"))
pytestmark = pytest.mark.timeout(240 + 2 * BURST_SECONDS)

KEY = "burst-central-key-0123456789abcdef"
ServerFactory = Callable[[web.Application], Awaitable[TestServer]]
CUSTOMER_ID = "cust-burst"
PER_MONITORING_FRAME = 200  # 100 WIDS + 100 rogue detections
PER_SECURITY_FRAME = 100


def _mac(n: int) -> bytes:
    return (0x02_00_00_00_00_00 + n).to_bytes(6, "big")


def _monitoring(first: int) -> bytes:
    info = monitoring_pb2.MonitoringInformation(customer_id=CUSTOMER_ID, timestamp=1_767_225_600)
    for n in range(first, first + PER_MONITORING_FRAME // 2):
        wids = info.wids_events.add(
            action=monitoring_pb2.ADD,
            event_type=monitoring_pb2.WIDSEvent.INFRASTRUCTURE_ATTACK,
            attack_type=monitoring_pb2.WIDSEvent.DETECT_AP_SPOOFING,
            detected_ap="ap-burst-1",
            channel="36",
        )
        wids.macaddr.addr = _mac(n)
        rogue = info.rogue_events.add(action=monitoring_pb2.ADD, detected_ap="ap-burst-2")
        rogue.macaddr.addr = _mac(1_000_000 + n)
    return envelope("monitoring", info.SerializePartialToString(), time.time_ns(), CUSTOMER_ID)


def _security(first: int) -> bytes:
    event = security_pb2.RapidsStreamingEvent(cust_id=CUSTOMER_ID)
    for n in range(first, first + PER_SECURITY_FRAME):
        ids = event.idsEvent.add(
            event_number=n, event_type="Infrastructure Attack", level="high", detected_ap="ap-3"
        )
        ids.mac_addr.addr = _mac(2_000_000 + n)
    return envelope("security", event.SerializePartialToString(), time.time_ns(), CUSTOMER_ID)


def _audit(n: int) -> bytes:
    message = audit_pb2.audit_message(
        customer_id=CUSTOMER_ID,
        timestamp=1_767_225_600,
        service=audit_pb2.CONFIGURATION,
        target=f"swarm-{n}",
        username="netops@example.com",
        group_name="burst-group",
    )
    message.client_ip.af = audit_pb2.ip_address.ADDR_FAMILY_INET
    message.client_ip.addr = bytes([198, 51, 100, 7])
    message.config_info.data = f"WLAN change number {n}"
    return envelope("audit", message.SerializePartialToString(), time.time_ns(), CUSTOMER_ID)


def burst_frames(total: int) -> tuple[dict[str, list[bytes]], int]:
    """Frames of `total` events (80 % monitoring, 10 % security, 10 % audit); the count."""
    monitoring = [_monitoring(n) for n in range(0, total * 8 // 20, PER_MONITORING_FRAME // 2)]
    security = [_security(n) for n in range(0, total // 10, PER_SECURITY_FRAME)]
    audit = [_audit(n) for n in range(total // 10)]
    count = len(monitoring) * PER_MONITORING_FRAME + len(security) * PER_SECURITY_FRAME + len(audit)
    return {"monitoring": monitoring, "security": security, "audit": audit}, count


class Burst:
    """A `FakeCentral` stream: each topic's frames once, evenly over `seconds`."""

    def __init__(self, frames: dict[str, list[bytes]], seconds: float) -> None:
        self.frames = frames
        self.seconds = seconds
        self.sent = 0

    async def __call__(self, request: web.Request, ws: web.WebSocketResponse) -> None:
        frames = self.frames.get(request.headers.get("Topic", ""), [])
        loop = asyncio.get_running_loop()
        start = loop.time()
        with contextlib.suppress(ConnectionError, RuntimeError):
            for index, frame in enumerate(frames):
                due = start + self.seconds * index / max(1, len(frames))
                if due > loop.time():
                    await asyncio.sleep(due - loop.time())
                await ws.send_bytes(frame)
                self.sent += 1
        await asyncio.Event().wait()  # then connected and quiet


def _check(predicate: Callable[[], object]) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return bool(predicate())

    return check


async def test_a_burst_of_events_is_delivered_and_the_loop_stays_responsive(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path, aiohttp_server: ServerFactory
) -> None:
    receiver = otlp_grpc_receiver
    frames, events = burst_frames(BURST)
    burst = Burst(frames, BURST_SECONDS)
    central = await aiohttp_server(FakeCentral(valid_keys={KEY}, stream=burst).app())
    config = write_config(
        tmp_path / "config.yaml",
        base_url=f"http://127.0.0.1:{central.port}",
        customers={"Burst": (KEY, list(frames))},
        otlp_endpoint=receiver.endpoint,
        extra=f"state_dir: {tmp_path / 'state'}\n",
    )
    bridge = BridgeProcess(config)
    probes: list[float] = []
    rss: list[int] = []
    try:
        await bridge.start()
        await until(lambda: bridge.connected(3), 60, "3 subscriptions connected")
        before = bridge.sample_rss()
        started = time.monotonic()
        async with aiohttp.ClientSession() as session:

            async def delivered() -> bool:
                began = time.monotonic()
                async with session.get(f"http://127.0.0.1:{bridge.port}/healthz") as answer:
                    assert answer.status == 200
                probes.append(time.monotonic() - began)
                rss.append(bridge.sample_rss())
                return len(receiver.log_records()) >= events

            await until(delivered, BURST_SECONDS + 120, "every event delivered", interval=0.25)
        done = time.monotonic() - started
        status = await bridge.status()
        code, _ = await bridge.stop()
    finally:
        await bridge.close()
    records = receiver.log_records()
    names: dict[str, int] = {}
    for record in records:
        names[record.event_name] = names.get(record.event_name, 0) + 1
    unique = len({_identity(r) for r in records})
    queue: dict[str, Any] = status["events"]
    record_figures(
        "events_burst",
        events_sent=events,
        frames_sent=burst.sent,
        burst_seconds=BURST_SECONDS,
        seconds_from_first_frame_to_all_delivered=round(done, 1),
        events_delivered=len(records),
        unique=unique,
        by_event=names,
        event_loop_max_lag_seconds=status["event_loop_max_lag_seconds"],
        healthz_slowest_seconds=round(max(probes), 3),
        rss_mib={"before": round(before / 1024, 1), "max": round(max(rss) / 1024, 1)},
        peak_rss_mib=round(bridge.peak_rss_kib / 1024, 1),
        dropped=queue["dropped"],
    )
    assert code == 0
    assert len(records) == unique == events
    assert names == {
        "aruba.wids.event": events * 4 // 10 + events // 10,
        "aruba.rogue.detected": events * 4 // 10,
        "aruba.audit": events // 10,
    }
    assert set(queue["dropped"].values()) == {0}
    assert status["event_loop_max_lag_seconds"] < 0.1
    assert max(rss) - before < 100 * 1024
    assert "Traceback" not in bridge.stderr


def _identity(record: LogView) -> tuple[Any, ...]:
    return (record.event_name, record.body, tuple(sorted(record.attributes.items())))


# -- the 30,000-client estate ------------------------------------------------------------


async def test_the_30000_client_estate_starts_and_restarts_without_a_storm(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    scale = EstateScale(
        sites=20, aps_per_site=50, switches_per_site=1, gateways_per_site=1, clients_per_ap=30
    )
    sim = CentralSimulator(scale=scale, stats_interval=30.0, seed=9, profile=TrafficProfile.quiet())
    info = sim.add_customer("CustomerA", topics=["monitoring"])
    await sim.start("127.0.0.1", 0)
    clients = scale.client_count
    config = write_config(
        tmp_path / "config.yaml",
        base_url=sim.url,
        customers={"CustomerA": (info.key, ["monitoring"])},
        otlp_endpoint=receiver.endpoint,
        extra=f"state_dir: {tmp_path / 'state'}\n",
    )
    runs: list[dict[str, Any]] = []
    try:
        for run in ("start", "restart"):
            bridge = BridgeProcess(config)
            try:
                await bridge.start()

                async def loaded(bridge: BridgeProcess = bridge) -> bool:
                    entities = (await bridge.status())["entities"].get("CustomerA", {})
                    return bool(entities.get("wireless_client") == clients)

                began = time.monotonic()
                await until(loaded, 120, f"{clients} clients in the store")
                loaded_seconds = time.monotonic() - began
                await asyncio.sleep(2)
                status = await bridge.status()
                code, _ = await bridge.stop()
            finally:
                await bridge.close()
            runs.append(
                {
                    "run": run,
                    "code": code,
                    "seconds_to_load": round(loaded_seconds, 1),
                    "events": status["events"],
                    "peak_rss_mib": round(bridge.peak_rss_kib / 1024, 1),
                }
            )
    finally:
        await sim.stop()
    records = receiver.log_records()
    record_figures(
        "events_estate_30000_clients",
        clients=clients,
        records=len(records),
        runs=[
            {
                "run": r["run"],
                "seconds_to_load": r["seconds_to_load"],
                "accepted": r["events"]["accepted"],
                "dropped": sum(r["events"]["dropped"].values()),
                "states": r["events"]["states"],
                "peak_rss_mib": r["peak_rss_mib"],
            }
            for r in runs
        ],
    )
    assert [r["code"] for r in runs] == [0, 0]
    assert records == []  # no client connected, no device up: nothing happened
    start, restart = (r["events"] for r in runs)
    assert start["states"]["baseline"] >= clients
    assert restart["states"]["baseline"] == 0  # remembered: not even a baseline
    assert restart["states"]["repeated"] >= clients
    assert start["accepted"] == restart["accepted"] == 0
    assert set(start["dropped"].values()) == set(restart["dropped"].values()) == {0}
