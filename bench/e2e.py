"""End to end: simulator -> the bridge (`serve`, as `run` does) -> OTLP receiver.

Three processes on loopback: the simulator (its own process, so generating
traffic does not count against the bridge), the bridge (instrumented: export
cycles' CPU, event-loop lag, RSS, each monitoring frame's arrival time) and, in
this process, a counting OTLP/gRPC receiver. The delay of a frame is from its
arrival at the bridge to the moment the receiver has the whole export cycle that
first includes it (so it includes waiting for the next cycle: up to one interval).

    python -m bench.e2e sim SCALE STATS_INTERVAL        (child: prints url and key)
    python -m bench.e2e bridge CONFIG PATH SECONDS      (child: prints a JSON summary)
"""

from __future__ import annotations

import asyncio
import bisect
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
from pathlib import Path
from typing import Any

from bench.machine import rss_bytes
from bench.receiver import CountingReceiver
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile

ROOT = Path(__file__).resolve().parent.parent
SCALES = {
    "small": EstateScale.small(),
    # The same-run comparison: ~250 k series, which the SDK baseline can still export.
    "mid": EstateScale(20, 50, 4, 2, 20, wired_clients_per_switch=8, ports_per_switch=48),
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


class _Probe:
    """What the bridge child measures."""

    def __init__(self) -> None:
        self.cycles: list[dict[str, float]] = []
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
            await asyncio.sleep(0.01)
            self.lags.append(loop.time() - before - 0.01)
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
            start = end - int((lag + 0.01) * 1e9)
            if any(start < stop and end > begin for begin, stop in spans):
                found.append(lag)
        return found

    def summary(self, cpu: float) -> dict[str, Any]:
        return {
            "cycles": self.cycles,
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


async def _bridge(config_path: str, path: str, seconds: float) -> dict[str, Any]:
    from central_otel.catalog.plan import compile_plan
    from central_otel.commands.check_config import load_or_report
    from central_otel.export.encoder import EncodeLimits, OtlpMetricEncoder
    from central_otel.export.exporter import MetricExportLoop
    from central_otel.export.sdk_reference import register_plan
    from central_otel.pipeline.app import Bridge
    from central_otel.pipeline.runner import MetricExport, serve
    from central_otel.settings import bridge_settings
    from central_otel.telemetry.providers import Telemetry

    config = load_or_report(config_path)
    assert config is not None
    telemetry = Telemetry(config.otlp)
    probe = _Probe()

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

    def started(bridge: Bridge) -> None:
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
                probe.applies.append((total, longest))
                probe.arrivals.append(time.time_ns())  # in the store from now on

            store.apply_monitoring = timed  # type: ignore[method-assign]
        release = bridge.release

        def released(*, unfreeze: bool = True) -> None:
            probe.frozen = gc.get_freeze_count()  # walks them all: once, at the end
            release(unfreeze=unfreeze)

        bridge.release = released  # type: ignore[method-assign]

    cpu0 = time.process_time()
    stop_at = time.perf_counter() + seconds
    asyncio.get_running_loop().call_later(seconds, stop.set)
    watcher = asyncio.create_task(probe.watch(stop))
    await serve(
        # Exiting, as `run`: the heap stays frozen.
        bridge_settings(config, health=False, exiting=True),
        telemetry,
        stop=stop,
        on_started=started,
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


def _config(tmp: Path, url: str, key: str, endpoint: str, interval: float) -> Path:
    path = tmp / f"bench-{os.getpid()}-{time.monotonic_ns()}.yaml"
    path.write_text(
        f"""\
central: {{base_url: "{url}"}}
customers:
  Bench: {{key: "{key}", topics: [monitoring, presence]}}
otlp: {{endpoint: "{endpoint}", protocol: grpc, export_interval: {interval}s, timeout: 30s}}
health: {{listen: "127.0.0.1:0"}}
metrics: {{per_client: true, default_max_entities: 1000000}}
"""
    )
    return path


def _once(scale: str, path: str, stats: float, interval: float, seconds: float) -> dict[str, Any]:
    receiver = CountingReceiver()
    receiver.start()
    sim = subprocess.Popen(
        [sys.executable, "-m", "bench.e2e", "sim", scale, str(stats)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sim.stdout is not None
        hello = json.loads(sim.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            config = _config(Path(tmp), hello["url"], hello["key"], receiver.endpoint, interval)
            out = subprocess.run(
                [sys.executable, "-m", "bench.e2e", "bridge", str(config), path, str(seconds)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
        if out.returncode != 0:
            raise RuntimeError(f"bridge failed: {out.stderr[-2000:]}")
        summary: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
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


def _analyse(summary: dict[str, Any]) -> dict[str, float]:
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
    return {
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


def _lines(label: str, r: dict[str, float], interval: float) -> list[str]:
    return [
        f"  {label}: {r['points']:.0f} points per cycle, {r['cycles']:.0f} cycles",
        f"    export cycle CPU: median {r['cpu_median']:.2f} s (of which sending "
        f"{r['send_median']:.2f} s), max {r['cpu_max']:.2f} s (first cycle {r['first_cpu']:.2f} s)",
        "    each cycle: "
        + ", ".join(
            f"{cpu:.1f} s CPU ({refreshed / 1000:.0f} k attribute sets built)"
            for cpu, refreshed in zip(r["each_cpu"], r["each_refreshed"], strict=True)  # type: ignore[call-overload]
        ),
        f"    RSS max {r['rss']:.0f} MiB; event loop lag max {r['max_lag'] * 1000:.0f} ms "
        f"({r['lags_over_100ms']:.0f} ticks over 100 ms; while exporting: max "
        f"{r['max_lag_exporting'] * 1000:.0f} ms); longest GC pause "
        f"{r['gc_max'] * 1000:.0f} ms ({r['gc_over_100ms']:.0f} over 100 ms; longest by "
        "generation: "
        + ", ".join(f"{p * 1000:.0f}" for p in r["gc_by_generation"])  # type: ignore[attr-defined]
        + " ms)",
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


def run(mode: str) -> list[str]:
    plans: list[tuple[str, float, float, float, tuple[str, ...]]]
    if mode == "tiny":
        plans = [("small", 0.3, 1.0, 3.0, ("sdk", "direct"))]
    elif mode == "quick":
        plans = [("small", 0.5, 1.0, 6.0, ("sdk", "direct"))]
    else:
        plans = [
            ("mid", 20.0, 15.0, 100.0, ("sdk", "direct")),
            ("large", 30.0, 20.0, 150.0, ("direct",)),
        ]
    lines: list[str] = []
    for scale, stats, interval, seconds, paths in plans:
        s = SCALES[scale]
        lines.append(
            f"{scale} estate: {s.ap_count} APs, {s.client_count} clients, per-client metrics "
            f"on; stats every {stats:g} s, export every {interval:g} s, {seconds:g} s run"
        )
        results = {}
        for path in paths:
            results[path] = _analyse(_once(scale, path, stats, interval, seconds))
            lines += _lines(f"{path} path", results[path], interval)
        if "sdk" in results:
            sdk, direct = results["sdk"], results["direct"]
            lines.append(
                f"  ratio: {sdk['cpu_median'] / direct['cpu_median']:.1f}x less export CPU per "
                "cycle than the baseline (the SDK reference); RSS "
                f"{sdk['rss'] / direct['rss']:.1f}x less"
            )
    return lines


def main(argv: list[str]) -> None:
    if argv[0] == "sim":
        asyncio.run(_simulate(argv[1], float(argv[2])))
    else:
        print(json.dumps(asyncio.run(_bridge(argv[1], argv[2], float(argv[3])))), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
