"""What the GC policy's freezing keeps from collection, under churn.

    python -m bench.gc_retention [SECONDS] [COLLECT_BYTES]

A bridge (in this process) streams the small simulated estate (stats every
0.1 s) while its health endpoints are probed as fast as they answer; then the
simulator goes away (a reconnect: the closed connection's objects become
garbage) and the bridge stops. An ordinary full collection takes the garbage
the frozen heap does not hide; then the heap is unfrozen and collected again:
what that second collection reclaims is what freezing kept. Run it with the
bridge's `COLLECT_BYTES` and with a tiny one (a full collection and freeze after
every frame) to see whether freezing more often keeps more.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time

import aiohttp
from opentelemetry.sdk.metrics import MeterProvider

from central_otel.config import parse_config
from central_otel.pacing import PacingSettings
from central_otel.pipeline.app import Bridge
from central_otel.settings import bridge_settings
from central_otel.simulator import CentralSimulator, EstateScale


async def measure(seconds: float, collect_bytes: int) -> tuple[str, int]:
    """The report line, and how many objects freezing kept."""
    sim = CentralSimulator(scale=EstateScale.small(), stats_interval=0.1, seed=7)
    topics = ["monitoring", "presence"]
    info = sim.add_customer("CustomerA", topics=topics)
    await sim.start("127.0.0.1", 0)
    config = parse_config(
        {
            "central": {"base_url": sim.url},
            "customers": {"CustomerA": {"key": info.key, "topics": topics}},
            "health": {"listen": "127.0.0.1:0"},
        },
        source="bench",
    )
    provider = MeterProvider()
    pacing = PacingSettings(collect_bytes=collect_bytes)
    bridge = Bridge(bridge_settings(config, pacing=pacing), provider.get_meter("central_otel"))
    await bridge.start()
    assert bridge.health is not None
    base = f"http://127.0.0.1:{bridge.health.port}"
    probes = 0
    end = time.monotonic() + seconds
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < end:
            for path in ("/healthz", "/readyz", "/status"):
                async with session.get(base + path) as response:
                    await response.read()
                probes += 1
            await asyncio.sleep(0.005)
    await sim.stop()  # the streams' connections close: their objects become garbage
    await asyncio.sleep(1.0)
    await bridge.stop(2.0, keep_pacing=True)
    provider.shutdown()
    policy = bridge.pacing.gc
    frozen = gc.get_freeze_count()
    ordinary = gc.collect()
    bridge.release(unfreeze=True)
    kept = gc.collect()
    return (
        f"{seconds:g} s, COLLECT_BYTES {collect_bytes}: {probes} health probes, "
        f"{policy.work_collections} collections by frame bytes, {policy.full_collections} "
        f"full collections in all, {frozen} objects frozen at the end; an ordinary "
        f"collection then took {ordinary}; kept by freezing (reclaimed once unfrozen): {kept}",
        kept,
    )


def main(argv: list[str]) -> None:
    seconds = float(argv[0]) if argv else 30.0
    collect_bytes = int(argv[1]) if len(argv) > 1 else PacingSettings().collect_bytes
    print(asyncio.run(measure(seconds, collect_bytes))[0])


if __name__ == "__main__":
    main(sys.argv[1:])
