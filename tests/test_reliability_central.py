"""Central-side faults at process level: `central-otel run` as a real subprocess against
real sockets on 127.0.0.1.

- a slow-loris Central (accepts TCP, never answers the upgrade; then answers only the
  status line): the bridge gives up after `connect_timeout`, logs one line per
  subscription, backs off, and connects as soon as a real simulator takes the port;
- Central unreachable for a long while (connection refused, and a host name that does
  not resolve): one log line per subscription for the whole outage, attempts at most
  `max_delay` apart, streaming as soon as the server appears;
- frames at 10x the rate of the other process tests: every frame sent is received
  and decoded (nothing dropped unnoticed), memory bounded, /healthz answering.

Figures are printed (``pytest -s``) and appended to $CENTRAL_OTEL_FIGURES. Longer
outage: ``CENTRAL_OTEL_OUTAGE_SECONDS=120``; longer burst: ``CENTRAL_OTEL_BURST_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import re
import socket
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from central_otel.secret import Secret
from central_otel.simulator import (
    STREAM_PATH,
    VALIDATE_PATH,
    CentralSimulator,
    EstateScale,
    TrafficProfile,
)
from central_otel.streaming.keys import KeyOutcome, KeyValidation
from central_otel.topics import TOPIC_NAMES
from tests import defaults
from tests.otlp_receiver import GrpcOtlpReceiver
from tests.process_support import (
    BridgeProcess,
    StallingServer,
    record_figures,
    until,
    write_config,
)

# Longer outages and bursts (the environment variables) get the time they need on top.
pytestmark = pytest.mark.timeout(
    120
    + float(os.environ.get("CENTRAL_OTEL_OUTAGE_SECONDS", "0"))
    + float(os.environ.get("CENTRAL_OTEL_BURST_SECONDS", "0"))
)

TOPICS = ["monitoring", "audit"]
# A log line as `run` writes it: "<date> <time>,<ms> LEVEL logger: message".
_LINE = re.compile(r"^\S+ \S+ (?P<level>[A-Z]+) (?P<logger>\S+): (?P<message>.*)$")


def _loud_lines(bridge: BridgeProcess, start: int = 0) -> list[str]:
    """`LEVEL logger: message` of every WARNING and ERROR line from line `start` on."""
    found = []
    for text in bridge.stderr_lines[start:]:
        match = _LINE.match(text.rstrip("\n"))
        if match and match["level"] in ("WARNING", "ERROR", "CRITICAL"):
            found.append(f"{match['level']} {match['logger']}: {match['message']}")
    return found


def _condition(predicate: Callable[[], object]) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return bool(predicate())

    return check


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- slow-loris handshake -------------------------------------------------------------


@dataclass
class _Stalled:
    seconds_stalled: float = 0.0
    status: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    lines_after: list[str] = field(default_factory=list)
    seconds_to_connected: float = 0.0
    code: int | None = None


async def _stall_then_recover(
    stall: StallingServer, sim: CentralSimulator, bridge: BridgeProcess
) -> _Stalled:
    run = _Stalled()

    def gave_up(mode: str, count: int) -> bool:
        return all(
            sum(1 for c in stall.closed_by_client(STREAM_PATH, topic) if c.mode == mode) >= count
            for topic in TOPICS
        )

    try:
        await bridge.start()
        started = time.monotonic()
        # A silent server: not a byte of an answer.
        await until(_condition(lambda: gave_up("silent", 2)), 60, "2 attempts given up, silent")
        # The status line of a 101, then nothing.
        stall.mode = "status-line"
        await until(_condition(lambda: gave_up("status-line", 1)), 60, "given up, status line")
        run.seconds_stalled = time.monotonic() - started
        run.status = await bridge.status()
        run.lines = _loud_lines(bridge)
        mark = len(bridge.stderr_lines)
        # A real Central takes the port.
        await stall.stop()
        await sim.start("127.0.0.1", stall.port)
        back_at = time.monotonic()
        await until(lambda: bridge.connected(2), 60, "both subscriptions connected")
        run.seconds_to_connected = time.monotonic() - back_at
        await until(_frames_at_least(bridge, 2), 30, "frames after recovery")
        run.lines_after = [
            m["message"] for t in bridge.stderr_lines[mark:] if (m := _LINE.match(t.rstrip()))
        ]
        bridge.sample_rss()
        run.code, _ = await bridge.stop()
    finally:
        await bridge.close()
        await stall.stop()
        await sim.stop()
    return run


async def test_slow_loris_handshake_gives_up_backs_off_and_recovers(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    stall = await StallingServer("silent").start()
    sim = CentralSimulator(scale=EstateScale.small(), stats_interval=0.2, seed=31)
    info = sim.add_customer("CustomerA", topics=TOPICS)
    config = write_config(
        tmp_path / "config.yaml",
        base_url=f"http://127.0.0.1:{stall.port}",
        customers={"CustomerA": (info.key, TOPICS)},
        otlp_endpoint=otlp_grpc_receiver.endpoint,
        connect_timeout="1s",
    )
    bridge = BridgeProcess(config)
    run = await _stall_then_recover(stall, sim, bridge)
    validations = [c for c in stall.connections if c.path == VALIDATE_PATH]
    held = [c.held for c in stall.closed_by_client(STREAM_PATH) if c.held is not None]
    record_figures(
        "slow_loris_handshake",
        connect_timeout_seconds=1.0,
        validate_gave_up_after_seconds=round(validations[0].held or 0, 2),
        handshake_gave_up_after_seconds=[round(min(held), 2), round(max(held), 2)],
        attempts_given_up_per_subscription={
            t: len(stall.closed_by_client(STREAM_PATH, t)) for t in TOPICS
        },
        stalled_seconds=round(run.seconds_stalled, 1),
        warning_lines_while_stalled=len(run.lines),
        seconds_to_connected_after_simulator_took_the_port=round(run.seconds_to_connected, 2),
        peak_rss_mib=round(bridge.peak_rss_kib / 1024, 1),
    )
    assert run.code == 0
    # The key validation asked once (at start) and gave up at the connect timeout too
    # (it used to wait a fixed 30 s, holding every stream back).
    assert len(validations) == 1
    assert validations[0].closed_by == "client"
    # Every handshake was abandoned by the bridge itself, after waiting its timeout.
    assert {c.path for c in stall.connections} == {VALIDATE_PATH, STREAM_PATH}
    assert all(h >= 0.9 for h in held), held
    url = f"ws://127.0.0.1:{stall.port}{STREAM_PATH}"
    # One line per failure, whichever way the server stalls (the same failure again is
    # logged at DEBUG): what, for whom, what next.
    assert run.lines[:1] + sorted(run.lines[1:]) == [
        f"WARNING central_otel.streaming.keys: customer 'CustomerA': could not validate the "
        f"streaming key (no answer within 1s); keeping key {Secret(info.key).fingerprint} and "
        "trying again later",
        *(
            f"WARNING central_otel.streaming.subscription: customer 'CustomerA' topic {topic}: "
            f"cannot connect to {url}: no answer within 1s; retrying in 0.2s"
            for topic in sorted(TOPICS)
        ),
    ], run.lines
    for sub in run.status["subscriptions"]:
        assert sub["last_error"] == "no answer within 1s"
        assert set(sub["reconnects"]) == {"network"}
        assert sub["reconnects"]["network"] >= 3
        assert sub["state"] in ("waiting", "connecting")
    assert [c["key_last_outcome"] for c in run.status["customers"]] == ["failed"]
    # The recovery is worth a line per subscription.
    assert sorted(m for m in run.lines_after if ": connected to " in m) == [
        f"customer 'CustomerA' topic {topic}: connected to {url}" for topic in sorted(TOPICS)
    ]
    assert info.key not in bridge.stderr
    assert "Traceback" not in bridge.stderr


def _frames_at_least(bridge: BridgeProcess, count: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return await bridge.frames() >= count

    return check


# -- Central unreachable for a long while ---------------------------------------------


class _Attempts:
    """When each subscription's `network` reconnect count went up, from /status samples."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}
        self.times: dict[str, list[float]] = {}

    async def sample(self, bridge: BridgeProcess) -> dict[str, Any]:
        now = time.monotonic()
        status: dict[str, Any] = await bridge.status()
        for sub in status["subscriptions"]:
            count = int(sub["reconnects"].get("network", 0))
            if count > self.seen.get(sub["topic"], 0):
                self.seen[sub["topic"]] = count
                self.times.setdefault(sub["topic"], []).append(now)
        return status

    def max_gap(self) -> float:
        gaps = [b - a for times in self.times.values() for a, b in itertools.pairwise(times)]
        return max(gaps, default=0.0)


@dataclass
class _Outage:
    attempts: dict[str, _Attempts]
    lines: dict[str, list[str]] = field(default_factory=dict)
    rss: dict[str, int] = field(default_factory=dict)
    max_gap: dict[str, float] = field(default_factory=dict)  # during the outage
    attempted: dict[str, dict[str, int]] = field(default_factory=dict)  # during the outage
    seconds_to_connected: float = 0.0
    dns_status: dict[str, Any] = field(default_factory=dict)
    dns_lines_after: list[str] = field(default_factory=list)
    dns_repeats_at_debug: dict[str, tuple[int, int]] = field(default_factory=dict)
    codes: list[int] = field(default_factory=list)


async def _outage_then_central(
    bridges: dict[str, BridgeProcess], sim: CentralSimulator, port: int, outage: float
) -> _Outage:
    run = _Outage({name: _Attempts() for name in bridges})
    refused, dns = bridges["refused"], bridges["dns"]
    try:
        await asyncio.gather(*(b.start() for b in bridges.values()))
        # The outage as the bridges see it: from their first failed attempt on.
        for name, bridge in bridges.items():
            await until(_attempted(bridge, run.attempts[name]), 60, f"{name}: a first attempt")
        down_since = time.monotonic()
        while time.monotonic() - down_since < outage:
            for name, bridge in bridges.items():
                await run.attempts[name].sample(bridge)
            await asyncio.sleep(0.2)
        run.lines = {name: _loud_lines(b) for name, b in bridges.items()}
        run.rss = {name: b.sample_rss() for name, b in bridges.items()}
        run.max_gap = {name: a.max_gap() for name, a in run.attempts.items()}
        run.attempted = {name: dict(a.seen) for name, a in run.attempts.items()}
        # Central appears.
        await sim.start("127.0.0.1", port)
        back_at = time.monotonic()
        await until(lambda: refused.connected(2), 60, "connected once Central is up")
        run.seconds_to_connected = time.monotonic() - back_at
        await until(_frames_at_least(refused, 2), 30, "frames after recovery")
        # The other name still does not resolve: the bridge keeps trying, still quietly;
        # each repeat is a DEBUG line (it runs with -v).
        before = dict(run.attempts["dns"].seen)
        await until(_attempted_again(dns, run.attempts["dns"], before), 30, "DNS retries go on")
        debug_before = _repeats_at_debug(dns)
        run.dns_status = await run.attempts["dns"].sample(dns)
        debug_after = _repeats_at_debug(dns)
        run.dns_repeats_at_debug = {t: (debug_before[t], debug_after[t]) for t in TOPICS}
        run.dns_lines_after = _loud_lines(dns)
        run.codes = [(await b.stop())[0] for b in bridges.values()]
    finally:
        for bridge in bridges.values():
            await bridge.close()
        await sim.stop()
    return run


def _repeats_at_debug(bridge: BridgeProcess) -> dict[str, int]:
    return {
        topic: sum(
            1
            for t in bridge.stderr_lines
            if " DEBUG central_otel.streaming.subscription: " in t
            and f"customer 'CustomerA' topic {topic}: cannot connect to " in t
        )
        for topic in TOPICS
    }


async def test_central_unreachable_for_long_no_log_storm_bounded_backoff_recovery(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    """Two bridges side by side for the same outage: one gets "connection refused" (nothing
    listens on the port), the other cannot resolve its Central's host name."""
    outage = float(os.environ.get("CENTRAL_OTEL_OUTAGE_SECONDS", "5"))
    port = _free_port()
    sim = CentralSimulator(scale=EstateScale.small(), stats_interval=0.2, seed=32)
    info = sim.add_customer("CustomerA", topics=TOPICS)
    bridges: dict[str, BridgeProcess] = {}
    for name, host, args in (("refused", "127.0.0.1", []), ("dns", "nonexistent.invalid", ["-v"])):
        (tmp_path / name).mkdir()
        config = write_config(
            tmp_path / name / "config.yaml",
            base_url=f"http://{host}:{port}",
            customers={"CustomerA": (info.key, TOPICS)},
            otlp_endpoint=otlp_grpc_receiver.endpoint,
            max_delay="2s",
        )
        bridges[name] = BridgeProcess(config, args=args)
    run = await _outage_then_central(bridges, sim, port, outage)
    record_figures(
        "central_unreachable",
        outage_seconds=outage,
        attempts_per_subscription=run.attempted,
        max_seconds_between_attempts={name: round(g, 2) for name, g in run.max_gap.items()},
        warning_lines_during_outage={name: len(found) for name, found in run.lines.items()},
        warning_lines_per_minute_of_outage={
            name: round(len(found) * 60 / outage, 1) for name, found in run.lines.items()
        },
        seconds_to_connected_after_central_appeared=round(run.seconds_to_connected, 2),
        rss_mib_during_outage={name: round(kib / 1024, 1) for name, kib in run.rss.items()},
        log_lines=run.lines,
    )
    assert run.codes == [0, 0]
    for name, host, reason in (
        ("refused", "127.0.0.1", "connection refused"),
        ("dns", "nonexistent.invalid", "name lookup of nonexistent.invalid failed: "),
    ):
        # Three lines for the whole outage, however long it lasts: the key could not be
        # validated, and each subscription cannot connect (repeats go to DEBUG, with a
        # reminder every 10 minutes). DNS failure texts end with the resolver's words.
        # (The streams do not wait for the key's validation: any order.)
        (key_line,) = [line for line in run.lines[name] if " central_otel.streaming.keys: " in line]
        sub_lines = sorted(line for line in run.lines[name] if line != key_line)
        assert key_line.startswith(
            "WARNING central_otel.streaming.keys: customer 'CustomerA': could not validate "
            f"the streaming key ({reason}"
        ), key_line
        assert key_line.endswith(
            f"); keeping key {Secret(info.key).fingerprint} and trying again later"
        )
        assert len(sub_lines) == len(TOPICS), run.lines[name]
        for topic, line in zip(sorted(TOPICS), sub_lines, strict=True):
            assert line.startswith(
                "WARNING central_otel.streaming.subscription: customer 'CustomerA' topic "
                f"{topic}: cannot connect to ws://{host}:{port}{STREAM_PATH}: {reason}"
            ), line
            assert line.endswith("; retrying in 0.2s"), line
        # Bounded backoff: after each failed attempt the next came within max_delay (2 s;
        # + 1 s for sampling /status every 0.2 s and scheduling).
        assert run.max_gap[name] <= 2 + 1, run.attempts[name].times
        assert all(n >= 4 for n in run.attempted[name].values()), run.attempted
    # Still failing after the outage of the other: not one more WARNING line; every
    # attempt but the first logged at DEBUG.
    assert run.dns_lines_after == run.lines["dns"]
    for sub in run.dns_status["subscriptions"]:
        before, after = run.dns_repeats_at_debug[sub["topic"]]
        assert before <= sub["reconnects"]["network"] - 1 <= after, (sub, before, after)
        assert set(sub["reconnects"]) == {"network"}
        assert sub["state"] != "connected"
    for bridge in bridges.values():
        assert info.key not in bridge.stderr
        assert "Traceback" not in bridge.stderr


def _attempted(bridge: BridgeProcess, attempts: _Attempts) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        await attempts.sample(bridge)
        return all(attempts.seen.get(t, 0) >= 1 for t in TOPICS)

    return check


def _attempted_again(
    bridge: BridgeProcess, attempts: _Attempts, before: dict[str, int]
) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        await attempts.sample(bridge)
        return all(attempts.seen[t] > before.get(t, 0) for t in TOPICS)

    return check


# -- frames at 10x the rate -----------------------------------------------------------


class ReplayCentral:
    """Plays recorded frames to whoever connects with `key`, per topic at `speed` times the
    rate they were recorded at: an offered load that costs the server next to nothing,
    so the bridge is what is measured. A sender that cannot write (TCP flow control)
    does not catch up later by more than 0.1 s worth of frames."""

    def __init__(self, key: str, frames: dict[str, list[bytes]], seconds: float) -> None:
        self.key = key
        self.frames = frames
        self.rates = {topic: len(items) / seconds for topic, items in frames.items()}
        self.speed = 1.0
        self.paused = False
        self.sent: Counter[str] = Counter()
        self._sending: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self, port: int = 0) -> ReplayCentral:
        app = web.Application()
        app.router.add_get(STREAM_PATH, self._stream)
        app.router.add_get(VALIDATE_PATH, self._validate)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port, reuse_address=True)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _validate(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Authorization") != self.key:
            return web.Response(status=401, text="Unauthorized")
        return web.json_response({"token": self.key})

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        topic = request.headers.get("Topic", "")
        if request.headers.get("Authorization") != self.key:
            return web.Response(status=401, text="Unauthorized")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        sender = asyncio.create_task(self._send(ws, topic))
        try:
            async for _ in ws:
                pass
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
        return ws

    async def _send(self, ws: web.WebSocketResponse, topic: str) -> None:
        frames, rate = self.frames.get(topic) or [], self.rates.get(topic, 0.0)
        if not frames:
            return
        loop = asyncio.get_running_loop()
        last, credit, index = loop.time(), 0.0, 0
        with contextlib.suppress(ConnectionError, RuntimeError):
            while not ws.closed:
                await asyncio.sleep(0.005)
                now = loop.time()
                credit = (
                    0.0
                    if self.paused
                    else min(
                        credit + (now - last) * rate * self.speed, max(1.0, rate * self.speed * 0.1)
                    )
                )
                last = now
                if credit < 1:
                    continue
                task = asyncio.current_task()
                assert task is not None
                self._sending.add(task)
                try:
                    while credit >= 1 and not ws.closed:
                        await ws.send_bytes(frames[index % len(frames)])
                        index += 1
                        credit -= 1
                        self.sent[topic] += 1
                finally:
                    self._sending.discard(task)

    async def pause(self) -> int:
        """Stop sending; the number of frames sent, once no send is in progress."""
        self.paused = True
        while self._sending:
            await asyncio.sleep(0.01)
        return sum(self.sent.values())


async def _record_frames(sim: CentralSimulator, key: str, seconds: float) -> dict[str, list[bytes]]:
    """What the simulator sends on each topic in `seconds` (a client per topic)."""
    frames: dict[str, list[bytes]] = {topic: [] for topic in TOPIC_NAMES}

    async def listen(session: aiohttp.ClientSession, topic: str) -> None:
        headers = {"Authorization": key, "Topic": topic}
        async with session.ws_connect(sim.ws_url, headers=headers) as ws:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(seconds):
                    async for message in ws:
                        frames[topic].append(message.data)

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(listen(session, topic) for topic in TOPIC_NAMES))
    return frames


@dataclass
class _Burst:
    health: list[tuple[int, float]] = field(default_factory=list)  # (status, seconds)
    rss: dict[str, int] = field(default_factory=dict)
    rates: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds_to_drain: float = 0.0
    sustained: float = 0.0  # frames/s from the start of the burst until all were handled
    status: dict[str, Any] = field(default_factory=dict)
    code: int | None = None


async def _phase(
    run: _Burst, name: str, central: ReplayCentral, bridge: BridgeProcess, seconds: float
) -> None:
    """Play at `central.speed` for `seconds`: rates, RSS and /healthz answers."""
    await asyncio.sleep(0.5)  # settle at the new rate
    frames0, sent0 = await bridge.frames(), sum(central.sent.values())
    t0, cpu0 = time.monotonic(), _cpu_seconds(bridge.pid)
    samples: list[int] = []
    while time.monotonic() - t0 < seconds:
        asked = time.monotonic()
        code, _ = await bridge.get("/healthz")
        run.health.append((code, time.monotonic() - asked))
        samples.append(bridge.sample_rss())
        await asyncio.sleep(0.25)
    elapsed = time.monotonic() - t0
    run.rates[name] = {
        "offered": round(sum(central.rates.values()) * central.speed),
        "sent": round((sum(central.sent.values()) - sent0) / elapsed),
        "received": round((await bridge.frames() - frames0) / elapsed),
        "bridge_cpu": round((_cpu_seconds(bridge.pid) - cpu0) / elapsed, 2),
    }
    run.rss[f"during_{name}_max"] = max(samples)


async def _normal_then_burst(central: ReplayCentral, bridge: BridgeProcess, burst: float) -> _Burst:
    run = _Burst()
    try:
        await bridge.start()
        await until(lambda: bridge.connected(6), 60, "6 subscriptions connected")
        run.rss["before"] = bridge.sample_rss()
        await _phase(run, "normal", central, bridge, 1.0)
        central.speed = 10.0
        burst_from, burst_at = await bridge.frames(), time.monotonic()
        await _phase(run, "10x", central, bridge, burst)
        # Central goes quiet: everything it sent must arrive and be decoded.
        sent = await central.pause()
        quiet_at = time.monotonic()
        await until(_frames_at_least(bridge, sent), 60, f"all {sent} frames received")
        run.seconds_to_drain = time.monotonic() - quiet_at
        run.sustained = (await bridge.frames() - burst_from) / (time.monotonic() - burst_at)
        await asyncio.sleep(0.3)
        run.status = await bridge.status()
        run.rss["after"] = bridge.sample_rss()
        run.code, _ = await bridge.stop()
    finally:
        await bridge.close()
        await central.stop()
    return run


async def test_frames_at_ten_times_the_rate_are_all_handled_memory_bounded(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    """Real frames of all six topics, recorded from the busy simulator ticking every 0.1 s
    (the rate of the other process tests), replayed at that rate and then at 10x. The
    bridge handles frames on its event loop, so a Central faster than the bridge is
    slowed by TCP flow control: every frame sent is received and decoded (none dropped
    unnoticed), memory stays bounded, /healthz keeps answering."""
    burst = float(os.environ.get("CENTRAL_OTEL_BURST_SECONDS", "3"))
    recorded_for = 1.0
    sim = CentralSimulator(
        scale=EstateScale.small(), stats_interval=0.1, seed=33, profile=TrafficProfile.busy()
    )
    info = sim.add_customer("CustomerA")
    await sim.start("127.0.0.1", 0)
    try:
        frames = await _record_frames(sim, info.key, recorded_for)
    finally:
        await sim.stop()
    central = await ReplayCentral(info.key, frames, recorded_for).start()
    config = write_config(
        tmp_path / "config.yaml",
        base_url=f"http://127.0.0.1:{central.port}",
        customers={"CustomerA": (info.key, list(TOPIC_NAMES))},
        otlp_endpoint=otlp_grpc_receiver.endpoint,
    )
    bridge = BridgeProcess(config)
    run = await _normal_then_burst(central, bridge, burst)
    status = run.status
    received = sum(s["frames"] for s in status["subscriptions"])
    logs = status["exports"]["logs"]
    record_figures(
        "frames_at_10x",
        burst_seconds=burst,
        frames_per_second=run.rates,
        frames_per_second_sustained_through_the_burst=round(run.sustained),
        seconds_to_drain_after_central_went_quiet=round(run.seconds_to_drain, 2),
        frames_sent=sum(central.sent.values()),
        frames_received=received,
        frames_decoded=sum(status["frames_decoded"].values()),
        decode_errors=sum(status["decode_errors"].values()),
        events_emitted=status["events_emitted"],
        log_records_exported=logs["items_exported"],
        log_records_lost=logs["items_failed"] + logs["items_dropped"],
        healthz={
            "answers": len(run.health),
            "non_200": sum(1 for c, _ in run.health if c != 200),
            "slowest_seconds": round(max(s for _, s in run.health), 3),
        },
        rss_mib={k: round(v / 1024, 1) for k, v in run.rss.items()},
        peak_rss_mib=round(bridge.peak_rss_kib / 1024, 1),
    )
    assert run.code == 0
    # Nothing dropped unnoticed: every frame sent was received and decoded.
    assert received == sum(central.sent.values())
    assert sum(status["frames_decoded"].values()) == received
    assert status["decode_errors"] == {}
    assert all(s["oversized_frames"] == 0 for s in status["subscriptions"])
    assert all(s["reconnects"] == {} for s in status["subscriptions"])
    # Liveness answered all along.
    assert run.health
    assert all(c == 200 for c, _ in run.health)
    # Bounded memory: frames are not queued inside the bridge.
    for name, kib in run.rss.items():
        assert kib - run.rss["before"] < 60 * 1024, name
    assert "Traceback" not in bridge.stderr


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process `pid` (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- a key renewed soon after a validation ----------------------------------------------


async def test_a_key_renewed_soon_after_a_validation_is_picked_up_at_the_401() -> None:
    now = [1000.0]
    answers = {"first": KeyValidation(KeyOutcome.VALID, Secret("first"), "key is current")}
    calls: list[str] = []

    async def validator(key: Secret) -> KeyValidation:
        calls.append(key.reveal())
        return answers[key.reveal()]

    key = defaults.customer_key(
        "C", Secret("first"), validator, min_interval=60, clock=lambda: now[0]
    )
    await key.start()
    # Two streams start handshakes with the key; Central renews it 10 s after the
    # validation, and both handshakes are refused.
    began = key.validations
    answers["first"] = KeyValidation(KeyOutcome.RENEWED, Secret("second"), "renewed")
    now[0] += 10
    first = await key.check("unauthorized", refused_after=began)
    # The "current" answer predates the refusal: Central was asked again.
    assert calls == ["first", "first"]
    assert first.outcome is KeyOutcome.RENEWED
    assert key.current == Secret("second")
    assert key.generation == 1
    # The second stream's 401 began before that answer: it reuses it (one call).
    second = await key.check("unauthorized", refused_after=began)
    assert second is first
    assert calls == ["first", "first"]


async def test_a_rejected_key_is_not_asked_about_again_within_the_interval() -> None:
    now = [1000.0]
    calls: list[str] = []

    async def validator(key: Secret) -> KeyValidation:
        calls.append(key.reveal())
        return KeyValidation(KeyOutcome.REJECTED, None, "HTTP 401")

    key = defaults.customer_key(
        "C", Secret("revoked"), validator, min_interval=60, clock=lambda: now[0]
    )
    await key.start()
    for _ in range(5):  # a 401 loop: every handshake began before the last answer
        began = key.validations
        now[0] += 5
        result = await key.check("unauthorized", refused_after=began)
        assert result.outcome is KeyOutcome.REJECTED
    assert calls == ["revoked"]  # no hammering of the validate endpoint
    now[0] += 60
    await key.check("unauthorized", refused_after=key.validations)
    assert calls == ["revoked", "revoked"]
