"""Process-level faults: `central-otel run` as a real subprocess against the in-process
simulator and a real OTLP/gRPC receiver, all on loopback.

- SIGTERM during a burst: exit 0 within 10 s, a final export after the signal, and
  every frame the simulator sent counted by that export;
- SIGKILL, then a restart with the same configuration: streaming again with no manual
  step (and the renewed key and the capture written 0600 in the meantime);
- one customer with a wrong key: the other is served fully; `/status` names the
  failure; `/readyz` 503 with `ready_when: all`, 200 with `any`; few validate calls;
- the OTLP receiver down, then back: streaming goes on, failures are counted and
  exported once it is back, RSS stays bounded.

Each test prints its figures (``pytest -s``) and appends them to the file named by
``CENTRAL_OTEL_FIGURES`` (see docs/reliability.md):

    CENTRAL_OTEL_FIGURES=/tmp/figures.jsonl python -m pytest -s tests/test_reliability_process.py
"""

from __future__ import annotations

import asyncio
import os
import signal
import stat
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from pathlib import Path

import pytest

from central_otel.capture import iter_records
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from central_otel.topics import TOPIC_NAMES
from tests.otlp_receiver import GrpcOtlpReceiver
from tests.process_support import BridgeProcess, record_figures, until, write_config

# Longer outages (CENTRAL_OTEL_OUTAGE_SECONDS) get the time they need on top.
pytestmark = pytest.mark.timeout(120 + float(os.environ.get("CENTRAL_OTEL_OUTAGE_SECONDS", "0")))

BAD_KEY = "wr0ng-KEY-for-CustomerBad-0123456789"


@pytest.fixture
async def busy_sim() -> AsyncIterator[CentralSimulator]:
    sim = CentralSimulator(
        scale=EstateScale.small(), stats_interval=0.1, seed=21, profile=TrafficProfile.busy()
    )
    await sim.start("127.0.0.1", 0)
    try:
        yield sim
    finally:
        await sim.stop()


def _sim_frames(sim: CentralSimulator, customer: str) -> int:
    return sum(n for (name, _), n in sim.frame_counts().items() if name == customer)


def _exported(receiver: GrpcOtlpReceiver, name: str, **attributes: str) -> float:
    """Sum of the latest exported points of counter `name` matching `attributes`."""
    points = receiver.latest(name)
    return sum(
        float(p.value or 0)
        for p in points
        if all(p.attributes.get(k) == v for k, v in attributes.items())
    )


async def test_sigterm_during_a_burst_flushes_everything(
    busy_sim: CentralSimulator, otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    sim, receiver = busy_sim, otlp_grpc_receiver
    info = sim.add_customer("CustomerA")
    config = write_config(
        tmp_path / "config.yaml",
        base_url=sim.url,
        customers={"CustomerA": (info.key, list(TOPIC_NAMES))},
        otlp_endpoint=receiver.endpoint,
    )
    bridge = await BridgeProcess(config).start()
    try:
        await until(lambda: bridge.connected(6), 60, "6 subscriptions connected")
        await until(lambda: _frames_at_least(bridge, 300), 60, "a burst of frames")
        bridge.sample_rss()
        before = await bridge.frames()
        signalled_ns = time.time_ns()
        code, stop_seconds = await bridge.stop(signal.SIGTERM)
    finally:
        await bridge.close()
    sent = _sim_frames(sim, "CustomerA")
    after_signal = [r for r in receiver.requests("metrics") if r.received_ns > signalled_ns]
    counted = _exported(receiver, "central_otel.frames.received", **{
        "aruba.customer.name": "CustomerA"
    })  # fmt: skip
    record_figures(
        "sigterm_during_burst",
        exit_status=code,
        stop_seconds=round(stop_seconds, 2),
        exports_after_signal=len(after_signal),
        frames_sent=sent,
        frames_at_signal=before,
        frames_in_final_export=int(counted),
        frames_lost=sent - int(counted),
        peak_rss_mib=round(bridge.peak_rss_kib / 1024, 1),
        validate_calls=sim.validate_calls("CustomerA"),
    )
    assert code == 0, bridge.stderr[-2000:]
    assert stop_seconds < 10
    assert after_signal, "no export after SIGTERM"
    # Frames still in flight when the bridge closed its sockets may be lost; nothing else.
    assert 0 <= sent - counted <= max(20, sent // 100)
    assert {c.close_code for c in sim.connections} == {1000}
    assert "Traceback" not in bridge.stderr
    assert info.key not in bridge.stderr


async def _frames_at_least(bridge: BridgeProcess, count: int) -> bool:
    return await bridge.frames() >= count


async def test_sigkill_and_restart_resumes_with_no_manual_step(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    sim = CentralSimulator(scale=EstateScale.small(), stats_interval=0.2, seed=22)
    info = sim.add_customer("CustomerA", topics=["monitoring", "presence", "audit"])
    await sim.start("127.0.0.1", 0)
    state_dir = tmp_path / "state"  # created by the bridge
    capture = tmp_path / "frames.cap"
    config = write_config(
        tmp_path / "config.yaml",
        base_url=sim.url,
        customers={"CustomerA": (info.key, ["monitoring", "presence", "audit"])},
        otlp_endpoint=receiver.endpoint,
        extra=f"state_dir: {state_dir}\ncapture:\n  file: {capture}\n",
    )
    first = BridgeProcess(config)
    second = BridgeProcess(config)
    # The configured key was renewed by Central before the bridge started: it picks the
    # renewed key up at its first validation and remembers it in state_dir.
    sim.rotate_key("CustomerA")
    key_file = state_dir / "keys" / "CustomerA.key"
    try:
        await first.start()
        await until(lambda: first.connected(3), 60, "3 subscriptions connected")
        await until(_exists(key_file), 30, "the renewed key in state_dir")
        await until(lambda: _frames_at_least(first, 50), 60, "frames flowing")
        first.sample_rss()
        seen = await first.frames()
        sent_before_kill = _sim_frames(sim, "CustomerA")
        code, _ = await first.stop(signal.SIGKILL)
        assert code == -signal.SIGKILL
        killed_at = time.monotonic()
        sim.rotate_key("CustomerA")  # rotated again while the bridge was down

        receiver.clear()
        await second.start()
        await until(lambda: second.connected(3), 60, "3 subscriptions connected after restart")
        connected_after = time.monotonic() - killed_at
        await until(lambda: _frames_at_least(second, 20), 60, "frames after the restart")
        await until(
            _async(lambda: _exported(receiver, "central_otel.frames.received") > 0),
            60,
            "metrics exported by the restarted bridge",
        )
        exporting_after = time.monotonic() - killed_at
        second.sample_rss()
        code, stop_seconds = await second.stop(signal.SIGTERM)
    finally:
        await first.close()
        await second.close()
        await sim.stop()
    frames = list(iter_records(capture.read_bytes()))
    record_figures(
        "sigkill_restart",
        seconds_to_connected=round(connected_after, 2),
        seconds_to_exporting=round(exporting_after, 2),
        frames_unaccounted_at_kill=sent_before_kill - seen,
        frames_captured=len(frames),
        peak_rss_mib=round(max(first.peak_rss_kib, second.peak_rss_kib) / 1024, 1),
        validate_calls=sim.validate_calls("CustomerA"),
    )
    assert code == 0, second.stderr[-2000:]
    assert stop_seconds < 10
    # Files the program wrote: the renewed key 0600 in 0700 directories it created,
    # the capture 0600; both survive the SIGKILL intact (the capture reads back).
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(capture.stat().st_mode) == 0o600
    assert frames
    for text in (first.stderr, second.stderr, capture.read_bytes().decode(errors="replace")):
        assert info.key not in text
        assert sim.customer("CustomerA").key not in text
    assert "Traceback" not in first.stderr + second.stderr


def _exists(path: Path) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return path.exists()

    return check


def _async(predicate: Callable[[], object]) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return bool(predicate())

    return check


async def test_one_bad_customer_key_does_not_hurt_the_others(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    sim = CentralSimulator(scale=EstateScale.small(), stats_interval=0.2, seed=23)
    good = sim.add_customer("CustomerGood", topics=["monitoring", "presence"])
    sim.add_customer("CustomerBad", topics=["monitoring", "presence"])
    await sim.start("127.0.0.1", 0)
    bridges: dict[str, BridgeProcess] = {}
    try:
        for policy in ("all", "any"):
            folder = tmp_path / policy
            folder.mkdir()
            config = write_config(
                folder / "config.yaml",
                base_url=sim.url,
                customers={
                    "CustomerGood": (good.key, ["monitoring", "presence"]),
                    "CustomerBad": (BAD_KEY, ["monitoring", "presence"]),
                },
                otlp_endpoint=receiver.endpoint,
                ready_when=policy,
            )
            env = {"OTEL_RESOURCE_ATTRIBUTES": f"service.instance.id=bridge-{policy}"}
            bridges[policy] = BridgeProcess(config, env)
        started = time.monotonic()
        await asyncio.gather(*(b.start() for b in bridges.values()))
        for bridge in bridges.values():
            await until(partial(bridge.connected, 2), 60, "the good customer connected")
        good_connected = time.monotonic() - started

        def good_metrics(instance: str) -> bool:
            return any(
                p.attributes.get("aruba.customer.name") == "CustomerGood"
                and p.resource.get("service.instance.id") == instance
                for p in receiver.metrics("system.cpu.utilization")
            )

        for policy in bridges:
            await until(
                _async(partial(good_metrics, f"bridge-{policy}")),
                60,
                f"CustomerGood's device metrics from bridge-{policy}",
            )
        status = await bridges["all"].status()
        bad_subs = [s for s in status["subscriptions"] if s["customer"] == "CustomerBad"]
        good_subs = [s for s in status["subscriptions"] if s["customer"] == "CustomerGood"]
        ready_all = await bridges["all"].get("/readyz")
        ready_any = await bridges["any"].get("/readyz")
        validate_calls = sim.validate_calls(None)  # calls with the unknown (bad) key
        elapsed = time.monotonic() - started
        for bridge in bridges.values():
            bridge.sample_rss()
        good_frames = sum(s["frames"] for s in good_subs)
        good_sent = _sim_frames(sim, "CustomerGood")
        stops = [await b.stop() for b in bridges.values()]
    finally:
        for bridge in bridges.values():
            await bridge.close()
        await sim.stop()
    record_figures(
        "one_bad_customer_key",
        seconds_to_good_connected=round(good_connected, 2),
        good_frames_received=good_frames,
        good_frames_sent_to_both_bridges=good_sent,
        readyz_all=ready_all,
        readyz_any=ready_any,
        bad_validate_calls=validate_calls,
        bad_validate_window_seconds=round(elapsed, 1),
        peak_rss_mib=round(max(b.peak_rss_kib for b in bridges.values()) / 1024, 1),
    )
    assert all(s["state"] == "connected" and s["frames"] > 0 for s in good_subs)
    assert bad_subs
    assert all(s["state"] != "connected" for s in bad_subs)
    assert all("401" in (s["last_error"] or "") for s in bad_subs), bad_subs
    (bad_customer,) = [c for c in status["customers"] if c["customer"] == "CustomerBad"]
    assert bad_customer["key_last_outcome"] == "rejected"
    assert ready_all == (503, "2/4 subscriptions connected\n")
    assert ready_any == (200, "2/4 subscriptions connected\n")
    # No validation storm: about one call per bridge at start and one per minute after.
    assert validate_calls <= 2 * len(bridges) * (1 + int(elapsed // 60))
    assert all(code == 0 for code, _ in stops)
    for bridge in bridges.values():
        assert BAD_KEY not in bridge.stderr
        assert good.key not in bridge.stderr
        assert "Traceback" not in bridge.stderr


async def test_otlp_receiver_down_then_back(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    outage = float(os.environ.get("CENTRAL_OTEL_OUTAGE_SECONDS", "4"))
    sim = CentralSimulator(
        scale=EstateScale.small(), stats_interval=0.1, seed=24, profile=TrafficProfile.busy()
    )
    info = sim.add_customer("CustomerA")
    await sim.start("127.0.0.1", 0)
    config = write_config(
        tmp_path / "config.yaml",
        base_url=sim.url,
        customers={"CustomerA": (info.key, list(TOPIC_NAMES))},
        otlp_endpoint=receiver.endpoint,
    )
    bridge = BridgeProcess(config)
    rss: dict[str, int] = {}
    try:
        await bridge.start()
        await until(lambda: bridge.connected(6), 60, "6 subscriptions connected")
        await until(
            _async(lambda: _exported(receiver, "central_otel.frames.received") > 0),
            60,
            "a first export",
        )
        await asyncio.sleep(1)  # warm-up: a few exports and ticks
        rss["before"] = bridge.sample_rss()
        frames_before = await bridge.frames()
        await asyncio.to_thread(receiver.stop)
        down_at = time.monotonic()
        during: list[int] = []
        while time.monotonic() - down_at < outage:
            await asyncio.sleep(0.5)
            during.append(bridge.sample_rss())
        rss["during_max"] = max(during)
        frames_during = await bridge.frames()
        status_during = await bridge.status()
        receiver.clear()
        await asyncio.to_thread(receiver.start)
        up_at = time.monotonic()

        def failures_exported() -> bool:
            return _exported(receiver, "central_otel.export.failures", signal="metrics") > 0

        await until(_async(failures_exported), 90, "export failures reported after recovery")
        recovered = time.monotonic() - up_at
        await asyncio.sleep(1)
        rss["after"] = bridge.sample_rss()
        failures = _exported(receiver, "central_otel.export.failures", signal="metrics")
        dropped = _exported(receiver, "central_otel.export.items.dropped", signal="metrics")
        frames_after = await bridge.frames()
        code, _ = await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()
    record_figures(
        "otlp_receiver_down_then_back",
        outage_seconds=outage,
        seconds_to_export_after_back=round(recovered, 2),
        export_failures_counted=int(failures),
        points_dropped_counted=int(dropped),
        frames_during_outage=frames_during - frames_before,
        frames_after=frames_after,
        rss_mib={k: round(v / 1024, 1) for k, v in rss.items()},
        peak_rss_mib=round(bridge.peak_rss_kib / 1024, 1),
        subscriptions_connected_during=sum(
            1 for s in status_during["subscriptions"] if s["state"] == "connected"
        ),
    )
    assert code == 0
    assert frames_during > frames_before, "streaming stopped during the OTLP outage"
    assert all(s["state"] == "connected" for s in status_during["subscriptions"])
    assert failures >= 1
    # Bounded memory: a failed export's data is dropped (and counted), not queued.
    assert rss["during_max"] - rss["before"] < 60 * 1024
    assert rss["after"] - rss["before"] < 60 * 1024
