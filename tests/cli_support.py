"""The CLI as a subprocess, and a bridge streaming from the simulator for it to look at
(this module holds no tests)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace

from central_otel.config import parse_config
from central_otel.pipeline.app import Bridge
from central_otel.settings import bridge_settings
from central_otel.simulator import CentralSimulator, EstateScale
from central_otel.telemetry.providers import Telemetry
from tests import defaults

CLI = (sys.executable, "-m", "central_otel")


async def run_cli(*args: str, timeout: float = 60.0) -> tuple[int, str, str]:
    """`central-otel ARGS` to its end, with standard output and error pipes: exit
    status, output, error."""
    proc = await asyncio.create_subprocess_exec(
        *CLI, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def until(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)


@dataclass(frozen=True, slots=True)
class Running:
    bridge: Bridge
    sim: CentralSimulator
    key: str  # the customer's streaming key (never to be shown)
    url: str  # the health address, http://127.0.0.1:PORT

    def ready(self) -> bool:
        return self.bridge.health is not None and self.bridge.health.ready()[0]


@asynccontextmanager
async def bridge_on_simulator(seed: int) -> AsyncIterator[Running]:
    """A bridge with health endpoints, streaming two topics of CustomerA from the
    simulator, and quick to reconnect (the simulator can be stopped for an outage)."""
    sim = CentralSimulator(scale=EstateScale.small(), stats_interval=0.2, seed=seed)
    info = sim.add_customer("CustomerA", topics=["monitoring", "audit"])
    await sim.start("127.0.0.1", 0)
    config = parse_config(
        {
            "central": {"base_url": sim.url},
            "customers": {"CustomerA": {"key": info.key, "topics": ["monitoring", "audit"]}},
            "health": {"listen": "127.0.0.1:0"},
        },
        source="test",
    )
    telemetry = Telemetry.in_memory()
    settings = replace(
        bridge_settings(config, events=False),
        streams=defaults.every_topic(
            defaults.stream(backoff=defaults.backoff(initial=0.05, maximum=0.2, jitter=0.0))
        ),
    )
    bridge = Bridge(settings, telemetry.meter("test"), export_stats=telemetry.export_stats)
    try:
        await bridge.start()
        assert bridge.health is not None
        yield Running(bridge, sim, info.key, f"http://127.0.0.1:{bridge.health.port}")
    finally:
        await bridge.stop()
        await sim.stop()
        telemetry.shutdown(1.0)
