"""End to end: simulator -> the bridge (`serve`, as `run` does) -> OTLP receiver.

Three processes on loopback: the simulator (its own process, so generating
traffic does not count against the bridge), the bridge (instrumented: export
cycles' CPU, event-loop lag, RSS, each monitoring frame's arrival time) and, in
this process, a counting OTLP/gRPC receiver. The delay of a frame is from its
arrival at the bridge to the moment the receiver has the whole export cycle that
first includes it (so it includes waiting for the next cycle: up to one interval).

The headline figure is the steady state's data points exported per CPU-second of
the whole bridge process (ingest, events, export, gRPC's own threads: everything
`time.process_time` counts), against the SDK reference (`export.sdk_reference`)
as the baseline, each in its own bridge child of the same run. The steady state
is a window of whole export cycles: from the end of the first cycle that ends at
least `warmup` seconds after the streams started (the state snapshot, the first
stats rounds, the first attribute builds and the start-up events are before it)
to the end of the last cycle before the stop (the final flush is not in it). Its
points are the points the receiver got from the cycles in it; its CPU is the
process CPU between those two cycle ends.

    python -m bench.e2e sim SCALE STATS_INTERVAL                (child: prints url and key)
    python -m bench.e2e bridge CONFIG PATH SECONDS EVENTS       (child: prints a JSON summary)
"""

from __future__ import annotations

import asyncio
import bisect
import dataclasses
import gc
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.machine import rss_bytes
from bench.receiver import CountingReceiver
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile

ROOT = Path(__file__).resolve().parent.parent
SCALES = {
    "small": EstateScale.small(),
    # The same-run comparison: 1,000 APs, 2,000 radios, 30,000 clients (~300 k series),
    # which the SDK baseline can still export.
    "mid": EstateScale(
        20, 50, 4, 2, 30, radios_per_ap=2, wired_clients_per_switch=8, ports_per_switch=48
    ),
    "large": EstateScale.large(),  # 10 k APs, 200 k clients: ~2 M series with per-client
}


# -- children ------------------------------------------------------------------------------


async def _simulate(scale: str, stats_interval: float) -> None:
    sim = CentralSimulator(
        scale=SCALES[scale], stats_interval=stats_interval, seed=7, profile=TrafficProfile()
    )
    info = sim.add_customer("Bench", topics=["monitoring", "presence"])
    await sim.start("127.0.0.1", 0)
    print(json.dumps({"url": sim.url, "key": info.key}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await sim.stop()


# Threads by what they do, for the per-thread CPU of the steady state.
THREAD_ROLES = {
    "MainThread": "event loop (ingest, events)",
    "central-otel metrics export": "metrics export (encode, send)",
    "OtelBatchLogRecordProcessor": "SDK log pipeline (events)",
    "OtelPeriodicExportingMetricReader": "SDK metric reader",
}


def thread_cpu() -> dict[str, float]:
    """CPU seconds of each thread of this process so far, by role (`THREAD_ROLES`, else
    the thread's name; threads Python did not start, such as gRPC's, by their OS name)."""
    names = {t.native_id: t.name for t in threading.enumerate()}
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[str, float] = {}
    for tid in os.listdir("/proc/self/task"):
        task = Path("/proc/self/task", tid)
        try:
            stat = (task / "stat").read_text()
            comm = (task / "comm").read_text().strip()
        except OSError:  # the thread ended meanwhile
            continue
        utime, stime = stat.rsplit(")", 1)[1].split()[11:13]
        name = names.get(int(tid))
        role = THREAD_ROLES.get(name, name) if name else f"native: {comm}"
        found[role] = found.get(role, 0.0) + (int(utime) + int(stime)) / tick
    return found


class _Probe:
    """What the bridge child measures."""

    def __init__(self, tick: float) -> None:
        # The lag probe: a `tick` sleep's overshoot. Each tick costs the process CPU
        # (~0.15 ms on the development box: 0.16 s per 10 s at 10 ms), which a
        # points-per-CPU-second figure should not carry: its runs tick less often.
        self.tick = tick
        self.cycles: list[dict[str, Any]] = []
        self.started_ns = 0  # the streams are started (key validated, connecting)
        self.started_cpu = 0.0
        self.stop_ns = 0  # the stop was requested
        self.arrivals: list[int] = []
        # A frame's store update: CPU in all, and its longest step (the loop held).
        self.applies: list[tuple[float, float]] = []
        self.lags: list[float] = []
        self.lag_ends: list[int] = []  # time_ns at the end of each tick
        self.rss: list[int] = []
        self.gc_pauses: list[float] = []  # while the run lasts
        self.gc_after_stop: list[float] = []  # while it stops (final export included)
        self.stopping = False
        self.frozen = 0  # objects the GC policy held frozen at the end of the run
        self.reclaimed = 0  # what a full collection took after the policy was removed
        self.stop_seconds = 0.0  # from the stop request until `serve` returned
        self._gc_started = 0.0
        self._gc_generation = 0
        self.gc_longest_by_generation = [0.0, 0.0, 0.0]  # while the run lasts
        gc.callbacks.append(self._gc)

    def _gc(self, phase: str, info: dict[str, Any]) -> None:
        """Garbage-collector pauses: a full collection of a large heap stops every thread."""
        if phase == "start":
            self._gc_started = time.perf_counter()
            self._gc_generation = info["generation"]
        else:
            pause = time.perf_counter() - self._gc_started
            (self.gc_after_stop if self.stopping else self.gc_pauses).append(pause)
            if not self.stopping:
                longest = self.gc_longest_by_generation
                longest[self._gc_generation] = max(longest[self._gc_generation], pause)

    def instrument(self, bridge: Any) -> None:
        """Once the streams are started: time each monitoring frame's store update, and
        count what the GC policy holds frozen when the bridge releases it."""
        self.started_ns, self.started_cpu = time.time_ns(), time.process_time()
        for store in bridge.ingest.stores.values():
            steps = store.apply_monitoring

            def timed(info: Any, changes: Any, chunk: int, steps: Any = steps) -> Iterator[None]:
                total = longest = 0.0
                cpu = time.thread_time()
                for _ in steps(info, changes, chunk):
                    step = time.thread_time() - cpu
                    total, longest = total + step, max(longest, step)
                    yield
                    cpu = time.thread_time()
                self.applies.append((total, longest))
                self.arrivals.append(time.time_ns())  # in the store from now on

            store.apply_monitoring = timed
        release = bridge.release

        def released(*, unfreeze: bool = True) -> None:
            self.frozen = gc.get_freeze_count()  # walks them all: once, at the end
            release(unfreeze=unfreeze)

        bridge.release = released

    def timed(self, run: Any) -> Any:
        """Wrap an export cycle (thread CPU of collect + encode + send)."""

        def cycle(*args: Any, **kwargs: Any) -> Any:
            start_ns, cpu = time.time_ns(), time.thread_time()
            result = run(*args, **kwargs)
            cpu = time.thread_time() - cpu
            self.cycles.append(
                {
                    "start_ns": start_ns,
                    "end_ns": time.time_ns(),
                    "cpu": cpu,
                    "send": 0.0,
                    "refreshed": 0,
                    # The whole process's CPU when the cycle ended, and each thread's.
                    "process_cpu": time.process_time(),
                    "threads": thread_cpu(),
                }
            )
            return result

        return cycle

    async def watch(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        last_rss = 0.0
        stalls = os.environ.get("BENCH_STALL_STACKS")
        if stalls:
            _StallSampler(stalls).start()
        while not stop.is_set():
            before = loop.time()
            await asyncio.sleep(self.tick)
            self.lags.append(loop.time() - before - self.tick)
            self.lag_ends.append(time.time_ns())
            _StallSampler.beat = time.perf_counter()
            if before - last_rss > 1.0:
                self.rss.append(rss_bytes())
                last_rss = before
        self.stopping = True
        _StallSampler.beat = float("inf")  # the loop is not watched any more

    def _exporting_lags(self) -> list[float]:
        """The lags of ticks that overlapped an export cycle."""
        spans = [(c["start_ns"], c["end_ns"]) for c in self.cycles]
        found = []
        for lag, end in zip(self.lags, self.lag_ends, strict=True):
            start = end - int((lag + self.tick) * 1e9)
            if any(start < stop and end > begin for begin, stop in spans):
                found.append(lag)
        return found

    def summary(self, cpu: float) -> dict[str, Any]:
        return {
            "cycles": self.cycles,
            "started_ns": self.started_ns,
            "started_cpu": self.started_cpu,
            "stop_ns": self.stop_ns,
            "arrivals": self.arrivals,
            "max_lag": max(self.lags, default=0.0),
            "lags_over_100ms": sum(1 for lag in self.lags if lag > 0.1),
            "max_lag_exporting": max(self._exporting_lags(), default=0.0),
            "gc_max": max(self.gc_pauses, default=0.0),
            "gc_over_100ms": sum(1 for pause in self.gc_pauses if pause > 0.1),
            "gc_max_stopping": max(self.gc_after_stop, default=0.0),
            "gc_by_generation": self.gc_longest_by_generation,
            "rss_max": max(self.rss, default=rss_bytes()),
            "cpu": cpu,
            "frozen": self.frozen,
            "reclaimed": self.reclaimed,
            "stop_seconds": self.stop_seconds,
            "apply_cpu_max": max((cpu for cpu, _ in self.applies), default=0.0),
            "apply_step_max": max((step for _, step in self.applies), default=0.0),
            "apply_cpu_median": statistics.median(cpu for cpu, _ in self.applies)
            if self.applies
            else 0.0,
        }


class _StallSampler(threading.Thread):
    """Diagnostics (BENCH_STALL_STACKS=FILE): when the event loop has not ticked for
    100 ms, append the loop thread's stack to FILE (what it was doing)."""

    beat = 0.0

    def __init__(self, path: str) -> None:
        super().__init__(daemon=True)
        self._path = path
        self._loop_thread = threading.get_ident()

    def run(self) -> None:
        started = time.perf_counter()
        _StallSampler.beat = started
        with open(self._path, "a") as out:
            while True:
                time.sleep(0.02)
                stalled = time.perf_counter() - _StallSampler.beat
                if stalled > 0.1:
                    frames = sys._current_frames()
                    frame = frames.get(self._loop_thread)
                    stack = "".join(traceback.format_stack(frame)[-10:]) if frame else "?"
                    names = {t.ident: t.name for t in threading.enumerate()}
                    others = "".join(
                        f"  [{names.get(ident, ident)}] "
                        + " < ".join(
                            f"{f.name}:{f.lineno}"
                            for f in reversed(traceback.extract_stack(other)[-3:])
                        )
                        + "\n"
                        for ident, other in frames.items()
                        if ident not in (self._loop_thread, threading.get_ident())
                    )
                    out.write(
                        f"--- at {time.perf_counter() - started:.2f} s, "
                        f"stalled {stalled * 1000:.0f} ms\n{stack}{others}\n"
                    )
                    out.flush()


async def _bridge(
    config_path: str, path: str, seconds: float, events: bool, tick: float
) -> dict[str, Any]:
    from central_otel.catalog.plan import compile_plan
    from central_otel.commands.check_config import load_or_report
    from central_otel.export.encoder import EncodeLimits, OtlpMetricEncoder
    from central_otel.export.exporter import MetricExportLoop
    from central_otel.export.sdk_reference import register_plan
    from central_otel.pipeline.app import Bridge
    from central_otel.pipeline.runner import MetricExport, serve
    from central_otel.settings import bridge_settings
    from central_otel.telemetry.providers import Telemetry, TelemetryOptions

    config = load_or_report(config_path)
    assert config is not None
    # As `run` builds it: the SDK baseline's reader must not fold series into overflow.
    telemetry = Telemetry(config.otlp, options=TelemetryOptions(cardinality_limit=1_000_000))
    probe = _Probe(tick)

    class TimedLoop(MetricExportLoop):
        def export_once(self, timeout: float | None = None) -> bool:
            ok: bool = probe.timed(super().export_once)(timeout)
            last = self.last_cycle
            if last is not None and probe.cycles:
                probe.cycles[-1].update(send=last.send_cpu, refreshed=last.refreshed)
            return ok

    class SdkExport:
        """The baseline: the plan through the SDK, exported by the telemetry's own
        periodic reader (its shutdown flushes it)."""

        def start(self) -> None:
            pass

        def shutdown(self, timeout: float) -> bool:
            return True

    def export(telemetry: Telemetry, bridge: Bridge) -> MetricExport:
        if path == "sdk":
            meter = telemetry.meter("central_otel")
            register_plan(meter, compile_plan(bridge.settings.metrics), bridge.ingest.stores.values)
            reader: Any = telemetry.metric_reader
            reader.collect = probe.timed(reader.collect)
            return SdkExport()
        plan = compile_plan(bridge.settings.metrics)
        return TimedLoop(
            OtlpMetricEncoder(plan, telemetry.resource, EncodeLimits()),
            bridge.ingest.stores.values,
            telemetry.metric_sink(),
            interval=telemetry.export_interval,
            timeout=telemetry.export_timeout,
            stats=telemetry.export_stats.metrics,
        )

    stop = asyncio.Event()

    cpu0 = time.process_time()
    stop_at = time.perf_counter() + seconds

    def stopping() -> None:
        probe.stop_ns = time.time_ns()  # cycles that end later are not in the steady state
        stop.set()

    asyncio.get_running_loop().call_later(seconds, stopping)
    watcher = asyncio.create_task(probe.watch(stop))
    await serve(
        # Exiting, as `run`: the heap stays frozen.
        bridge_settings(config, health=False, exiting=True, events=events),
        telemetry,
        stop=stop,
        on_started=probe.instrument,
        export=export,
    )
    probe.stop_seconds = time.perf_counter() - stop_at  # streams closed, final flush done
    await watcher
    # What would a full collection find in the unfrozen heap? At most the reference
    # cycles that freezing kept (plus shutdown's own).
    gc.callbacks.remove(probe._gc)  # not a pause of the run
    gc.unfreeze()
    probe.reclaimed = gc.collect()
    return probe.summary(time.process_time() - cpu0)


# -- the parent ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """One estate, run through each path in its own bridge child."""

    scale: str
    stats: float  # the simulator's stats interval, seconds
    interval: float  # the export interval, seconds
    seconds: dict[str, float]  # run length per path (the SDK path's cycles are longer)
    warmup: float  # seconds after the streams started that the steady state excludes
    events: bool = True  # the event catalogue on, as `run` has it
    protocol: str = "grpc"
    compression: str = "gzip"  # zstd: the direct path only (the SDK's exporters gzip)
    tick: float = 0.01  # the lag probe's sleep (see `_Probe`)

    def describe(self) -> str:
        s = SCALES[self.scale]
        runs = ", ".join(f"{path} {seconds:g} s" for path, seconds in self.seconds.items())
        protocol = "OTLP/gRPC" if self.protocol == "grpc" else "OTLP/HTTP"
        return (
            f"{self.scale} estate: {s.ap_count} APs, {s.ap_count * s.radios_per_ap} radios, "
            f"{s.client_count} clients, per-client metrics on, events "
            f"{'on' if self.events else 'off'}; {protocol} with {self.compression}; stats "
            f"every {self.stats:g} s, export every {self.interval:g} s; runs: {runs}; steady "
            f"state after {self.warmup:g} s; lag probe every {self.tick * 1000:g} ms"
        )

    @property
    def baseline(self) -> tuple[str, bool, str]:
        """What the SDK baseline's figures depend on: estate, events, protocol."""
        return self.scale, self.events, self.protocol


def _config(tmp: Path, url: str, key: str, endpoint: str, plan: Plan) -> Path:
    path = tmp / f"bench-{os.getpid()}-{time.monotonic_ns()}.yaml"
    path.write_text(
        f"""\
central: {{base_url: "{url}"}}
customers:
  Bench: {{key: "{key}", topics: [monitoring, presence]}}
otlp:
  endpoint: "{endpoint}"
  protocol: {plan.protocol}
  compression: {plan.compression}
  export_interval: {plan.interval}s
  timeout: 120s  # the SDK path's collections run long: its reader's deadline is this
health: {{listen: "127.0.0.1:0"}}
metrics: {{per_client: true, default_max_entities: 1000000}}
"""
    )
    return path


def _profile(bridge: subprocess.Popen[str], plan: Plan, path: str) -> threading.Timer | None:
    """`BENCH_PROFILE=DIR`: py-spy samples the bridge child's steady state (every thread,
    from the warm-up's end to the stop; idle threads not sampled) into
    DIR/SCALE-PATH-EVENTS.txt (collapsed stacks, for flame graphs). py-spy must be
    installed; it is not a dependency of the project."""
    folder = os.environ.get("BENCH_PROFILE")
    if not folder:
        return None
    name = f"{plan.scale}-{path}-{'events' if plan.events else 'no-events'}.txt"
    start = plan.warmup + plan.interval / 2  # the streams start a moment after the child
    command = ["py-spy", "record", "--pid", str(bridge.pid), "--format", "raw", "--threads"]
    command += ["-r", "100", "-o", str(Path(folder, name))]
    command += ["--duration", str(max(1, int(plan.seconds[path] - start)))]
    timer = threading.Timer(start, subprocess.run, [command], {"capture_output": True})
    timer.start()
    return timer


def _once(plan: Plan, path: str) -> dict[str, Any]:
    receiver = CountingReceiver(http=plan.protocol != "grpc")
    receiver.start()
    sim = subprocess.Popen(
        [sys.executable, "-m", "bench.e2e", "sim", plan.scale, str(plan.stats)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sim.stdout is not None
        hello = json.loads(sim.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            config = _config(Path(tmp), hello["url"], hello["key"], receiver.endpoint, plan)
            command = [sys.executable, "-m", "bench.e2e", "bridge", str(config), path]
            command += [str(plan.seconds[path]), "events" if plan.events else "no-events"]
            command.append(str(plan.tick))
            bridge = subprocess.Popen(
                command,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            profiler = _profile(bridge, plan, path)
            stdout, stderr = bridge.communicate()
            if profiler is not None:
                profiler.join()
        if bridge.returncode != 0:
            raise RuntimeError(f"bridge failed: {stderr[-2000:]}")
        summary: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    finally:
        sim.send_signal(signal.SIGTERM)
        try:
            sim.wait(30)
        except subprocess.TimeoutExpired:
            sim.kill()
        time.sleep(0.2)
        receiver.stop()
    summary["arrivals_at_receiver"] = [
        (a.collected_ns, a.received_ns, a.points) for a in receiver.arrivals
    ]
    return summary


@dataclass(frozen=True, slots=True)
class Steady:
    """The steady state's window (see the module doc)."""

    cycles: int
    seconds: float  # wall, from the end of the last warm-up cycle to the end of the last
    points: int  # as the receiver counted them
    cpu: float  # process CPU seconds in the window
    export_cpu: float  # of which the export cycles' own thread
    send_cpu: float  # of which sending
    threads: dict[str, float]  # CPU seconds by thread role in the window

    @property
    def rate(self) -> float:
        """Data points per CPU-second of the whole process."""
        return self.points / self.cpu if self.cpu > 0 else float("nan")


def steady_state(summary: dict[str, Any], warmup: float) -> Steady | None:
    """The window of whole export cycles after `warmup` (None: no cycle ended in it)."""
    stop = summary["stop_ns"] or float("inf")
    periodic = [c for c in summary["cycles"] if c["end_ns"] <= stop]
    warm = summary["started_ns"] + warmup * 1e9
    first = next((i for i, c in enumerate(periodic) if c["end_ns"] >= warm), None)
    if first is None or first + 1 >= len(periodic):
        return None
    base, window = periodic[first], periodic[first + 1 :]
    last = window[-1]
    spans = [(c["start_ns"], c["end_ns"]) for c in window]
    points = sum(
        n
        for collected, _received, n in summary["arrivals_at_receiver"]
        if any(begin <= collected <= end for begin, end in spans)
    )
    threads = {
        role: cpu - base["threads"].get(role, 0.0)
        for role, cpu in last["threads"].items()
        if cpu - base["threads"].get(role, 0.0) > 0
    }
    return Steady(
        cycles=len(window),
        seconds=(last["end_ns"] - base["end_ns"]) / 1e9,
        points=points,
        cpu=last["process_cpu"] - base["process_cpu"],
        export_cpu=sum(c["cpu"] for c in window),
        send_cpu=sum(c["send"] for c in window),
        threads=threads,
    )


def whole_run(summary: dict[str, Any]) -> tuple[int, float]:
    """(points, process CPU seconds) from the process's start to the end of the last
    cycle before the stop: start-up included (imports, connecting, the snapshot)."""
    stop = summary["stop_ns"] or float("inf")
    periodic = [c for c in summary["cycles"] if c["end_ns"] <= stop]
    if not periodic:
        return 0, float("nan")
    end = periodic[-1]["end_ns"]
    points = sum(n for collected, _r, n in summary["arrivals_at_receiver"] if collected <= end)
    return points, periodic[-1]["process_cpu"]


def _analyse(summary: dict[str, Any], warmup: float) -> dict[str, Any]:
    # Cycles as the receiver saw them: collection time -> (last arrival, points).
    done: dict[int, list[int]] = {}
    for collected, received, points in summary["arrivals_at_receiver"]:
        entry = done.setdefault(collected, [0, 0])
        entry[0] = max(entry[0], received)
        entry[1] += points
    collections = sorted(done)
    delays: list[float] = []
    for arrival in summary["arrivals"]:
        i = bisect.bisect_left(collections, arrival)
        if i < len(collections):
            delays.append((done[collections[i]][0] - arrival) / 1e9)
    cycles = summary["cycles"]
    steady = [c["cpu"] for c in cycles[1:]] or [c["cpu"] for c in cycles]
    points = max((p for _, p in done.values()), default=0)
    whole_points, whole_cpu = whole_run(summary)
    return {
        "steady": steady_state(summary, warmup),
        "whole_points": whole_points,
        "whole_cpu": whole_cpu,
        "cycles": len(cycles),
        "points": points,
        "cpu_median": statistics.median(steady) if steady else float("nan"),
        "send_median": statistics.median([c.get("send", 0.0) for c in cycles[1:] or cycles])
        if cycles
        else float("nan"),
        "cpu_max": max(steady, default=float("nan")),
        "first_cpu": cycles[0]["cpu"] if cycles else float("nan"),
        "each_cpu": [c["cpu"] for c in cycles],
        "each_refreshed": [c.get("refreshed", 0) for c in cycles],
        "rss": summary["rss_max"] / 2**20,
        "max_lag": summary["max_lag"],
        "lags_over_100ms": summary["lags_over_100ms"],
        "max_lag_exporting": summary["max_lag_exporting"],
        "gc_max": summary["gc_max"],
        "gc_by_generation": summary["gc_by_generation"],
        "gc_over_100ms": summary["gc_over_100ms"],
        "gc_max_stopping": summary["gc_max_stopping"],
        "frozen": summary["frozen"],
        "reclaimed": summary["reclaimed"],
        "stop_seconds": summary["stop_seconds"],
        "apply_cpu_median": summary["apply_cpu_median"],
        "apply_cpu_max": summary["apply_cpu_max"],
        "apply_step_max": summary["apply_step_max"],
        "delay_median": statistics.median(delays) if delays else float("nan"),
        "delay_max": max(delays, default=float("nan")),
        "frames": len(summary["arrivals"]),
    }


def _steady_lines(steady: Steady | None, whole_points: int, whole_cpu: float) -> list[str]:
    whole = (
        f"    whole run (start-up included, to the last cycle before the stop): "
        f"{whole_points / whole_cpu / 1000:.1f} k points per CPU-second "
        f"({whole_points} points, {whole_cpu:.1f} s process CPU)"
    )
    if steady is None:
        return ["    steady state: no export cycle ended after the warm-up", whole]
    threads = ", ".join(
        f"{role} {cpu:.2f}" for role, cpu in sorted(steady.threads.items(), key=lambda t: -t[1])
    )
    return [
        f"    steady state: {steady.rate / 1000:.1f} k points per CPU-second of the whole "
        f"process ({steady.points} points in {steady.cycles} cycles, {steady.cpu:.2f} s "
        f"process CPU over {steady.seconds:.1f} s)",
        f"    steady state, CPU seconds per cycle: process {steady.cpu / steady.cycles:.2f}, "
        f"export thread {steady.export_cpu / steady.cycles:.2f} (of which sending "
        f"{steady.send_cpu / steady.cycles:.2f})",
        f"    steady state, CPU seconds by thread: {threads}",
        whole,
    ]


def _lines(label: str, r: dict[str, Any], interval: float) -> list[str]:
    return [
        f"  {label}: {r['points']:.0f} points per cycle, {r['cycles']:.0f} cycles",
        *_steady_lines(r["steady"], r["whole_points"], r["whole_cpu"]),
        f"    export cycle CPU: median {r['cpu_median']:.2f} s (of which sending "
        f"{r['send_median']:.2f} s), max {r['cpu_max']:.2f} s (first cycle {r['first_cpu']:.2f} s)",
        "    each cycle: "
        + ", ".join(
            f"{cpu:.1f} s CPU ({refreshed / 1000:.0f} k attribute sets built)"
            for cpu, refreshed in zip(r["each_cpu"], r["each_refreshed"], strict=True)
        ),
        f"    RSS max {r['rss']:.0f} MiB; event loop lag max {r['max_lag'] * 1000:.0f} ms "
        f"({r['lags_over_100ms']:.0f} ticks over 100 ms; while exporting: max "
        f"{r['max_lag_exporting'] * 1000:.0f} ms); longest GC pause "
        f"{r['gc_max'] * 1000:.0f} ms ({r['gc_over_100ms']:.0f} over 100 ms; longest by "
        "generation: " + ", ".join(f"{p * 1000:.0f}" for p in r["gc_by_generation"]) + " ms)",
        f"    a monitoring frame into the store: median {r['apply_cpu_median'] * 1000:.1f} ms "
        f"CPU, max {r['apply_cpu_max'] * 1000:.1f} ms CPU, in steps of at most "
        f"{r['apply_step_max'] * 1000:.1f} ms CPU",
        f"    GC policy: {r['frozen']:.0f} objects frozen at the end; a full collection after "
        f"the run reclaimed {r['reclaimed']:.0f}; stop (streams closed, final export) "
        f"{r['stop_seconds']:.2f} s, longest GC pause meanwhile "
        f"{r['gc_max_stopping'] * 1000:.0f} ms",
        f"    frame -> receiver delay: median {r['delay_median']:.2f} s, max "
        f"{r['delay_max']:.2f} s over {r['frames']:.0f} frames (export interval {interval:g} s)",
    ]


def _plans(mode: str) -> list[Plan]:
    both = ("sdk", "direct")
    if mode == "tiny":  # and the direct path over OTLP/HTTP with zstd (its receiver)
        zstd = Plan("small", 0.3, 1.0, {"direct": 4.0}, 0.5, protocol="http/protobuf")
        return [
            Plan("small", 0.3, 1.0, dict.fromkeys(both, 4.0), warmup=0.5),
            dataclasses.replace(zstd, compression="zstd"),
        ]
    if mode == "quick":
        return [Plan("small", 0.5, 1.0, dict.fromkeys(both, 6.0), warmup=1.0)]
    # Issue 17's estate, as `run` runs it (OTLP/gRPC, gzip, events on), then without
    # events (the metrics alone), then over OTLP/HTTP: gzip, and zstd (the direct path;
    # against the SDK's gzip, it has no zstd).
    mid, direct, http = {"sdk": 130.0, "direct": 70.0}, {"direct": 70.0}, "http/protobuf"
    return [
        Plan("mid", 10.0, 10.0, mid, warmup=20.0, tick=0.05),
        Plan("mid", 10.0, 10.0, mid, warmup=20.0, events=False, tick=0.05),
        Plan("mid", 10.0, 10.0, mid, warmup=20.0, protocol=http, tick=0.05),
        Plan("mid", 10.0, 10.0, direct, warmup=20.0, protocol=http, compression="zstd", tick=0.05),
        Plan("large", 30.0, 20.0, {"direct": 150.0}, warmup=60.0),
    ]


def run(mode: str) -> list[str]:
    lines: list[str] = []
    baselines: dict[tuple[str, bool, str], dict[str, Any]] = {}
    for plan in _plans(mode):
        lines.append(plan.describe())
        results = {}
        for path in plan.seconds:
            results[path] = _analyse(_once(plan, path), plan.warmup)
            lines += _lines(f"{path} path", results[path], plan.interval)
        if "sdk" in results:
            baselines[plan.baseline] = results["sdk"]
            lines += _ratios(results["sdk"], results["direct"])
        elif plan.baseline in baselines and "direct" in results:
            lines.append("  (against the SDK baseline of the run above: the same estate)")
            lines += _ratios(baselines[plan.baseline], results["direct"])
    return lines


def _ratios(sdk: dict[str, Any], direct: dict[str, Any]) -> list[str]:
    found: list[str] = []
    if sdk["steady"] is not None and direct["steady"] is not None:
        found.append(
            f"  ratio: {direct['steady'].rate / sdk['steady'].rate:.1f}x the baseline's (SDK "
            "reference) points per CPU-second of the whole process, steady state"
        )
    found.append(
        f"  ratio: {sdk['cpu_median'] / direct['cpu_median']:.1f}x less export CPU per cycle "
        f"than the baseline (the SDK reference); RSS {sdk['rss'] / direct['rss']:.1f}x less"
    )
    return found


def main(argv: list[str]) -> None:
    if argv[0] == "sim":
        asyncio.run(_simulate(argv[1], float(argv[2])))
    else:
        events, tick = argv[4] == "events", float(argv[5])
        summary = asyncio.run(_bridge(argv[1], argv[2], float(argv[3]), events, tick))
        print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
