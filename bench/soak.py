"""One bridge for many customers over many stats rounds: does its memory stay flat?

    python -m bench.soak [CUSTOMERS] [SECONDS] [INTERVAL]    (default 100, 600, 2)

The processes of `bench msp` (the bridge as `central-otel run`, measured from
outside; the simulator serving each customer a small estate over wss; a counting
OTLP receiver), with a stats round and an export cycle every INTERVAL seconds:
the rounds of hours of a deployment (Central sends stats every minute or more) in
minutes. Prints the bridge's RSS ten times over the run, and how much it grew from
the end of the first quarter (the export caches built, the state churning) to the
end: a process that keeps something per round grows with the rounds.
"""

from __future__ import annotations

import asyncio
import sys
import time

from bench.msp import BridgeProcess, Plan, simulated_central

SAMPLES = 10


async def _soak(customers: int, seconds: float, interval: float) -> list[str]:
    plan = Plan(customers, interval, interval, seconds)
    async with simulated_central(plan, "bench-soak-") as central:
        bridge = BridgeProcess(central.config(plan, "soak.yaml"), central.folder / "soak.log")
        await bridge.start()
        await central.sim.wait_open(plan.subscriptions, 120)
        start = time.monotonic()
        samples = []
        for n in range(1, SAMPLES + 1):
            await asyncio.sleep(max(0.0, start + n * seconds / SAMPLES - time.monotonic()))
            samples.append(bridge.memory()[0] / 1024)
        code, _, peak = await bridge.stop()
    warm = samples[SAMPLES // 4 - 1]
    return [
        f"{customers} customers x 2 topics, each a small estate; a stats round and an export "
        f"cycle every {interval:g} s, for {seconds:g} s ({seconds / interval:.0f} rounds)",
        f"  RSS every {seconds / SAMPLES:g} s: "
        + ", ".join(f"{mib:.1f}" for mib in samples)
        + " MiB",
        f"  grew {samples[-1] - warm:+.1f} MiB from {seconds * (SAMPLES // 4) / SAMPLES:g} s to "
        f"the end ({warm:.1f} -> {samples[-1]:.1f} MiB); peak {peak / 1024:.1f} MiB; exit {code}",
    ]


def main(argv: list[str]) -> None:
    customers = int(argv[0]) if argv else 100
    seconds = float(argv[1]) if len(argv) > 1 else 600.0
    interval = float(argv[2]) if len(argv) > 2 else 2.0
    print("\n".join(asyncio.run(_soak(customers, seconds, interval))))


if __name__ == "__main__":
    main(sys.argv[1:])
