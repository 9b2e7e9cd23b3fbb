"""MSP scale: one bridge for hundreds of customers x 2 topics, each a small estate.

Processes on loopback: the bridge (`central-otel run`, the real command, measured
from outside: CPU and RSS from /proc); a prober (`GET /healthz` every 0.1 s on a new
connection, as a kubelet does, in a process of its own so that nothing else delays
its answers); the simulator (serving https/wss with a test CA, driven over its stdin)
and a counting OTLP receiver, both at a lower priority: they stand for Central and a
collector elsewhere, and their CPU must not be taken from the bridge; and this one,
which drives them and prints the figures.

One run: start, every subscription connected, every key validated; a steady spell
(CPU); Central drops one connection (when it is back); `/status` in its three forms;
Central drops every connection at once (how the reconnects spread, when all are
back); stop.
The baseline, in the same run: the same bridge without staggering (every connection and
validation at once), through the start and the mass drop.

    python -m bench.msp sim CUSTOMERS STATS_INTERVAL CERT KEY   (child: the simulator)
    python -m bench.msp receiver                                (child: the OTLP receiver)
    python -m bench.msp probe PORT                              (child: the /healthz prober)

`BENCH_MSP_ESTATE=minimal` gives every customer the smallest estate (1 AP, 1 client)
instead of the simulator's small one: what the connections themselves cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import re
import signal
import ssl
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.certificates import write_test_ca
from bench.receiver import CountingReceiver
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile

ROOT = Path(__file__).resolve().parent.parent
TOPICS = ("monitoring", "presence")
PROBE_EVERY = 0.1  # seconds between /healthz probes
_HEALTH_LINE = re.compile(r"health endpoints on http://[^:]+:(\d+)")
# Staggering off: every connection and validation at once (the baseline).
UNSTAGGERED = (
    "streaming: {stagger: {connect_rate: 10000, connect_burst: 10000, credential_rate: 1000}}"
)


@dataclass(frozen=True, slots=True)
class Plan:
    customers: int
    stats_interval: float  # the simulator's tick: each connection's stats round
    export_interval: float
    steady: float  # seconds of the CPU measurement

    @property
    def subscriptions(self) -> int:
        return self.customers * len(TOPICS)


ESTATES = {
    "small": ("a small estate (4 APs, 20 clients)", EstateScale.small()),
    "minimal": ("a minimal estate (1 AP, 1 client)", EstateScale(1, 1, 0, 0, 1)),
}


def _estate() -> str:
    name = os.environ.get("BENCH_MSP_ESTATE", "small")
    if name not in ESTATES:
        raise SystemExit(f"BENCH_MSP_ESTATE: one of {', '.join(ESTATES)} (got {name!r})")
    return name


PLANS = {
    "full": Plan(300, 60.0, 60.0, 120.0),
    "quick": Plan(100, 10.0, 10.0, 20.0),
    "tiny": Plan(10, 1.0, 2.0, 3.0),
}


# -- the simulator child -----------------------------------------------------------------


async def _simulate(customers: int, stats_interval: float, cert: str, key: str) -> None:
    sim = CentralSimulator(
        scale=ESTATES[_estate()][1],
        stats_interval=stats_interval,
        seed=11,
        profile=TrafficProfile(),
    )
    keys = {
        name: sim.add_customer(name, topics=TOPICS).key
        for name in (f"msp-{i:03d}" for i in range(customers))
    }
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    await sim.start("127.0.0.1", 0, ssl_context=context)
    _say({"url": sim.url, "keys": keys})
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        command = json.loads(line)
        what = command["do"]
        if what == "open":
            _say({"open": len(sim.open_connections())})
        elif what == "drop":
            at = time.time()
            dropped = await sim.drop_connections(command.get("customer"), command.get("topic"))
            _say({"at": at, "dropped": dropped})
        elif what == "records":
            since = command["since"]
            _say(
                {
                    "handshakes": [
                        (h.at, h.status, h.customer, h.topic)
                        for h in sim.handshakes
                        if h.at >= since
                    ],
                    "validations": [
                        (v.at, v.customer, v.status) for v in sim.validations if v.at >= since
                    ],
                }
            )
    await sim.stop()


def _receive() -> None:
    """The receiver child: its endpoint, then (when stdin closes) the most catalogue
    points an export cycle carried."""
    receiver = CountingReceiver()
    receiver.start()
    _say({"endpoint": receiver.endpoint})
    sys.stdin.read()
    receiver.stop()
    cycles: Counter[int] = Counter()
    for arrival in receiver.arrivals:
        cycles[arrival.collected_ns] += arrival.points
    _say({"points": max(cycles.values(), default=0)})


def _probe(port: int) -> None:
    """The prober child: `GET /healthz` every PROBE_EVERY seconds until SIGTERM, then
    every answer as (epoch sent, seconds to the whole answer, status; 0: no answer)."""
    answers: list[tuple[float, float, int]] = []
    stop = False

    def stopping(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, stopping)
    while not stop:
        at, started = time.time(), time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = 0
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        answers.append((at, seconds, status))
        time.sleep(max(0.0, PROBE_EVERY - seconds))
    _say({"answers": answers})


def _say(message: dict[str, Any]) -> None:
    print(json.dumps(message), flush=True)


class SimulatorChild:
    """The simulator child, driven over its stdin/stdout."""

    def __init__(self, proc: asyncio.subprocess.Process, url: str, keys: dict[str, str]) -> None:
        self.proc = proc
        self.url = url
        self.keys = keys

    @classmethod
    async def start(cls, plan: Plan, cert: Path, key: Path) -> SimulatorChild:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.msp", "sim", str(plan.customers),
            str(plan.stats_interval), str(cert), str(key),
            cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            limit=64 * 1024 * 1024, preexec_fn=_lower_priority,
        )  # fmt: skip
        assert proc.stdout is not None
        hello = json.loads(await proc.stdout.readline())
        return cls(proc, hello["url"], hello["keys"])

    async def ask(self, **command: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write((json.dumps(command) + "\n").encode())
        await self.proc.stdin.drain()
        answer: dict[str, Any] = json.loads(await self.proc.stdout.readline())
        return answer

    async def open(self) -> int:
        return int((await self.ask(do="open"))["open"])

    async def wait_open(self, count: int, timeout: float) -> float:
        """Poll until `count` connections are open; the time (epoch) it was seen."""
        deadline = time.monotonic() + timeout
        while (found := await self.open()) < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {found} of {count} connections open after {timeout:g}s")
            await asyncio.sleep(0.1)
        return time.time()

    async def upgrades(
        self, since: float, count: int, timeout: float, customer: str | None = None
    ) -> list[float]:
        """Wait until `count` handshakes (of `customer`) were upgraded since `since` (epoch);
        their times, in order. (Open connections are no sign: a dropped one counts as open
        until its close handshake is over.)"""
        deadline = time.monotonic() + timeout
        while True:
            records = await self.ask(do="records", since=since)
            found = sorted(
                at
                for at, status, who, _ in records["handshakes"]
                if status == 101 and customer in (None, who)
            )
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise RuntimeError(f"{len(found)} of {count} reconnected after {timeout:g}s")
            await asyncio.sleep(0.2)

    async def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            await asyncio.wait_for(self.proc.wait(), 30)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()


def _lower_priority() -> None:
    os.nice(10)


class ReceiverChild:
    """The receiver child."""

    def __init__(self, proc: asyncio.subprocess.Process, endpoint: str) -> None:
        self.proc = proc
        self.endpoint = endpoint

    @classmethod
    async def start(cls) -> ReceiverChild:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.msp", "receiver", cwd=ROOT,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            preexec_fn=_lower_priority,
        )  # fmt: skip
        assert proc.stdout is not None
        return cls(proc, json.loads(await proc.stdout.readline())["endpoint"])

    async def stop(self) -> int:
        """The most points an export cycle carried."""
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.close()
        points = int(json.loads(await self.proc.stdout.readline())["points"])
        await self.proc.wait()
        return points


# -- the bridge, from outside ----------------------------------------------------------------


@dataclass
class _Probes:
    """`/healthz` answers: (epoch sent, seconds to the answer, HTTP status)."""

    answers: list[tuple[float, float, int]] = field(default_factory=list)

    def between(self, start: float, end: float) -> list[float]:
        return [latency for at, latency, _ in self.answers if start <= at <= end]


class BridgeProcess:
    def __init__(self, config: Path, log: Path) -> None:
        self.config = config
        self.log = log
        self.proc: asyncio.subprocess.Process | None = None
        self.started_at = 0.0  # epoch
        self.port = 0
        self.probes = _Probes()
        self._prober: asyncio.subprocess.Process | None = None
        self.rss_max = 0  # KiB, sampled
        self._session: aiohttp.ClientSession | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self.started_at = time.time()
        with self.log.open("wb") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "central_otel", "run", "--config", str(self.config),
                cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while not (match := _HEALTH_LINE.search(self.log.read_text(errors="replace"))):
            if self.proc.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the bridge did not start: {self.log.read_text()[-2000:]}")
            await asyncio.sleep(0.05)
        self.port = int(match.group(1))
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        self._prober = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.msp", "probe", str(self.port), cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, limit=64 * 1024 * 1024,
        )  # fmt: skip
        self._tasks = [asyncio.create_task(self._sample())]

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def cpu(self) -> float:
        """User + system CPU seconds of the bridge so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory(self) -> tuple[int, int]:
        """(VmRSS, VmHWM) in KiB."""
        values = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0])
        return values["VmRSS"], values["VmHWM"]

    async def get(self, path: str) -> tuple[int, bytes, float]:
        """(status, body, seconds to the whole answer)."""
        assert self._session is not None
        started = time.perf_counter()
        async with self._session.get(f"http://127.0.0.1:{self.port}{path}") as response:
            body = await response.read()
        return response.status, body, time.perf_counter() - started

    async def probes_so_far(self) -> _Probes:
        """Stop the prober; its answers."""
        prober, self._prober = self._prober, None
        if prober is not None:
            assert prober.stdout is not None
            prober.send_signal(signal.SIGTERM)
            answers = json.loads(await prober.stdout.readline())["answers"]
            await prober.wait()
            self.probes.answers = [(at, seconds, status) for at, seconds, status in answers]
        return self.probes

    async def _sample(self) -> None:
        while True:
            with contextlib.suppress(OSError, KeyError):
                self.rss_max = max(self.rss_max, self.memory()[0])
            await asyncio.sleep(0.5)

    async def stop(self) -> tuple[int, float, int]:
        """SIGTERM: (exit status, seconds to exit, peak RSS KiB)."""
        assert self.proc is not None
        _, peak = self.memory()
        await self.probes_so_far()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.proc.wait(), 30)
        if self._session is not None:
            await self._session.close()
        return code, time.monotonic() - started, peak


def _config(
    path: Path, *, sim: SimulatorChild, ca: Path, endpoint: str, plan: Plan, extra: str = ""
) -> Path:
    topics = ", ".join(TOPICS)
    lines = [
        f'central: {{base_url: "{sim.url}", ca_file: "{ca}"}}',
        "customers:",
        *(f'  {name}: {{key: "{key}", topics: [{topics}]}}' for name, key in sim.keys.items()),
        f'otlp: {{endpoint: "{endpoint}", protocol: grpc, export_interval: '
        f"{plan.export_interval}s, timeout: 30s}}",
        'health: {listen: "127.0.0.1:0"}',
        extra,
    ]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    return path


# -- the figures ----------------------------------------------------------------------------


def _most_within(times: Sequence[float], window: float) -> int:
    """The most of `times` within any `window` seconds (a half-open interval)."""
    ordered = sorted(times)
    best = start = 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def _p(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def _connected(bridge: BridgeProcess, sim: SimulatorChild, plan: Plan) -> dict[str, Any]:
    """Start to every subscription connected and every key validated."""
    n = plan.subscriptions
    await sim.wait_open(n, 120)
    cpu_connected = bridge.cpu()
    deadline = time.monotonic() + plan.customers / 2 + 60  # 5 a second, and a margin
    while True:
        records = await sim.ask(do="records", since=bridge.started_at)
        validations = records["validations"]
        if len(validations) >= plan.customers or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    rss_connected = bridge.memory()[0]
    upgraded = sorted(at for at, status, _, _ in records["handshakes"] if status == 101)
    if len(upgraded) < n:
        raise RuntimeError(f"{len(upgraded)} of {n} subscriptions upgraded")
    per_customer = Counter(customer for _, customer, _ in validations)
    return {
        "connect": upgraded[n - 1] - bridge.started_at,
        "first_connect": upgraded[0] - bridge.started_at,
        "refused": sum(1 for _, status, _, _ in records["handshakes"] if status != 101),
        "validations": len(validations),
        "validated_customers": len(per_customer),
        "validations_max_per_customer": max(per_customer.values(), default=0),
        "validations_max_per_second": _most_within([at for at, _, _ in validations], 1.0),
        "validations_done": max((at for at, _, _ in validations), default=bridge.started_at)
        - bridge.started_at,
        "cpu_connect": cpu_connected,
        "rss_connected_kib": rss_connected,
    }


async def _mass_drop(bridge: BridgeProcess, sim: SimulatorChild, plan: Plan) -> dict[str, Any]:
    n = plan.subscriptions
    dropped = await sim.ask(do="drop")
    if dropped["dropped"] != n:
        raise RuntimeError(f"dropped {dropped['dropped']} of {n}")
    at = dropped["at"]
    cpu = bridge.cpu()
    again = await sim.upgrades(at, n, 180)
    back = again[n - 1]
    return {
        "spread": _p(again, 0.9) - again[0],
        "first": again[0] - at,
        "back": back - at,
        "cpu": bridge.cpu() - cpu,
        "window": (at, back),
    }


async def _lone_drop(sim: SimulatorChild) -> float:
    await asyncio.sleep(2.0)  # the staggering idle again
    customer = next(iter(sim.keys))
    dropped = await sim.ask(do="drop", customer=customer, topic="monitoring")
    if dropped["dropped"] != 1:
        raise RuntimeError("the lone drop found no connection")
    (back,) = await sim.upgrades(dropped["at"], 1, 60, customer)
    return float(back - dropped["at"])


async def _status(bridge: BridgeProcess, customer: str) -> dict[str, tuple[float, int]]:
    """Median seconds and bytes of each form of /status (5 each)."""
    found = {}
    for name, path in (
        ("full", "/status"),
        ("summary", "/status?view=summary"),
        ("customer", f"/status?customer={customer}"),
    ):
        answers = [await bridge.get(path) for _ in range(5)]
        if any(status != 200 for status, _, _ in answers):
            raise RuntimeError(f"{path}: {answers[0][0]} {answers[0][1][:200]!r}")
        found[name] = (statistics.median(s for _, _, s in answers), len(answers[0][1]))
    return found


async def _measure(
    plan: Plan, sim: SimulatorChild, config: Path, log: Path, *, baseline: bool
) -> dict[str, Any]:
    bridge = BridgeProcess(config, log)
    await bridge.start()
    try:
        result = await _connected(bridge, sim, plan)
        if not baseline:
            await asyncio.sleep(min(5.0, plan.steady))  # the start's work settles
            cpu, wall = bridge.cpu(), time.monotonic()
            await asyncio.sleep(plan.steady)
            result["cpu_steady"] = (bridge.cpu() - cpu) / (time.monotonic() - wall)
            result["rss_steady_kib"] = bridge.memory()[0]
        if not baseline:
            # Before the mass drop: a stream whose connection was stable (its backoff
            # reset), as a lone drop usually finds it.
            result["lone"] = await _lone_drop(sim)
            result["status"] = await _status(bridge, next(iter(sim.keys)))
        result["mass"] = await _mass_drop(bridge, sim, plan)
        await asyncio.sleep(min(5.0, plan.steady))
        result["rss_after_mass_kib"] = bridge.memory()[0]
    finally:
        code, seconds, peak = await bridge.stop()
    health = [latency for _, latency, _ in bridge.probes.answers]
    failed = sum(1 for _, _, status in bridge.probes.answers if status != 200)
    mass = result["mass"]
    mass["health_max"] = max(bridge.probes.between(*mass["window"]), default=float("nan"))
    result |= {
        "exit": code,
        "stop_seconds": seconds,
        "rss_peak_kib": max(peak, bridge.rss_max),
        "health_max": max(health),
        "health_p99": _p(health, 0.99),
        "health_probes": len(health),
        "health_failed": failed,
    }
    if code != 0:
        raise RuntimeError(f"the bridge exited {code}: {log.read_text()[-2000:]}")
    return result


def _lines(plan: Plan, r: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """The report: `r` the bridge as configured, `b` the baseline."""
    n = plan.subscriptions
    rss = r["rss_peak_kib"]
    mass, base = r["mass"], b["mass"]
    status = r["status"]
    burst = b["validations_max_per_second"]
    return [
        f"{plan.customers} customers x {len(TOPICS)} topics = {n} subscriptions, each "
        f"{ESTATES[_estate()][0]}, https/wss; stats every {plan.stats_interval:g} s, "
        f"export every {plan.export_interval:g} s",
        f"  connect: {n}/{n} subscriptions connected {r['connect']:.1f} s after the "
        f"process started (first {r['first_connect']:.1f} s; {r['refused']} refused; "
        f"target <= 60 s); {r['cpu_connect']:.1f} s CPU until then",
        f"  key validations: {r['validations']} for {r['validated_customers']} "
        f"customers, at most {r['validations_max_per_customer']} per customer, at most "
        f"{r['validations_max_per_second']} in any second, all done "
        f"{r['validations_done']:.1f} s after start (target: one per customer, a few per "
        "second)",
        f"  steady CPU: {r['cpu_steady'] * 100:.1f} % of one core over {plan.steady:g} s "
        "(target < 10 %)",
        f"  RSS: peak {rss / 1024:.0f} MiB for the whole process = {rss / n:.0f} KiB per "
        f"subscription (target <= 300 KiB); {r['rss_connected_kib'] / 1024:.0f} MiB when all "
        f"had connected, {r['rss_steady_kib'] / 1024:.0f} MiB steady (exports included), "
        f"{r['rss_after_mass_kib'] / 1024:.0f} MiB after the mass reconnect",
        f"  /healthz: max {r['health_max'] * 1000:.0f} ms, p99 "
        f"{r['health_p99'] * 1000:.0f} ms over {r['health_probes']} probes, "
        f"{r['health_failed']} failed (target: always within 250 ms)",
        f"  mass drop: reconnects spread {mass['spread']:.1f} s (p90 - first; target >= 5 s), "
        f"first after {mass['first']:.1f} s, all back {mass['back']:.1f} s after the drop "
        f"(target <= 120 s); {mass['cpu']:.1f} s CPU; /healthz max "
        f"{mass['health_max'] * 1000:.0f} ms meanwhile",
        f"  lone drop: back {r['lone']:.1f} s after (target about 2 s)",
        f"  /status: full {status['full'][0] * 1000:.0f} ms ({status['full'][1] / 1024:.0f} KiB), "
        f"?view=summary {status['summary'][0] * 1000:.0f} ms ({status['summary'][1]} bytes), "
        f"?customer= {status['customer'][0] * 1000:.0f} ms ({status['customer'][1]} bytes)",
        f"  stop: exit {r['exit']} in {r['stop_seconds']:.1f} s",
        f"  baseline, the same bridge without staggering: connected {b['connect']:.1f} s after "
        f"start, validations at most {b['validations_max_per_second']} in a second; mass "
        f"drop spread {base['spread']:.2f} s, all back {base['back']:.1f} s after, /healthz max "
        f"{base['health_max'] * 1000:.0f} ms meanwhile",
        f"  ratio: {mass['spread'] / max(base['spread'], 1e-3):.1f}x the baseline's reconnect "
        f"spread; {burst / r['validations_max_per_second']:.1f}x fewer key validations in "
        "the busiest second",
    ]  # fmt: skip


@dataclass
class SimulatedCentral:
    """The simulator and the receiver of a run, and a folder for the bridge's files."""

    folder: Path
    sim: SimulatorChild
    receiver: ReceiverChild
    points: int = 0  # the most points an export cycle carried (once the receiver stopped)

    def config(self, plan: Plan, name: str, extra: str = "") -> Path:
        """A bridge configuration for every customer of the simulator, in the folder."""
        return _config(
            self.folder / name, sim=self.sim, ca=self.folder / "ca.pem",
            endpoint=self.receiver.endpoint, plan=plan, extra=extra,
        )  # fmt: skip


@contextlib.asynccontextmanager
async def simulated_central(plan: Plan, prefix: str) -> AsyncIterator[SimulatedCentral]:
    """The simulator (serving `plan`'s customers over wss, with a test CA) and the
    receiver, stopped on the way out."""
    receiver = await ReceiverChild.start()
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        folder = Path(tmp)
        write_test_ca(folder)
        sim = await SimulatorChild.start(plan, folder / "cert.pem", folder / "key.pem")
        central = SimulatedCentral(folder, sim, receiver)
        try:
            yield central
        finally:
            await sim.stop()
            central.points = await receiver.stop()


async def _run(plan: Plan) -> list[str]:
    async with simulated_central(plan, "bench-msp-") as central:
        staggered = await _measure(
            plan,
            central.sim,
            central.config(plan, "staggered.yaml"),
            central.folder / "staggered.log",
            baseline=False,
        )
        unstaggered = await _measure(
            plan,
            central.sim,
            central.config(plan, "unstaggered.yaml", extra=UNSTAGGERED),
            central.folder / "unstaggered.log",
            baseline=True,
        )
    lines = _lines(plan, staggered, unstaggered)
    lines.insert(6, f"  exported: {central.points} points per export cycle (all customers)")
    return lines


def run(mode: str) -> list[str]:
    return asyncio.run(_run(PLANS[mode]))


if __name__ == "__main__":
    if sys.argv[1] == "sim":
        asyncio.run(_simulate(int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]))
    elif sys.argv[1] == "receiver":
        _receive()
    elif sys.argv[1] == "probe":
        _probe(int(sys.argv[2]))
