"""The stores over hours of state changes: RSS per entity, with and without compaction.

    python -m bench.store_churn [CUSTOMERS] [ROUNDS]    (default 50 customers, 200 rounds)

Each customer a small simulator estate (`EstateScale.small`, as `bench msp`) with
state changes every round (clients joining and leaving, APs going down and up:
`frames.BUSY`): its opening snapshot, then ROUNDS stats rounds, each with its
changes, folded into its store. After each round every store compacts when due
(`EntityStore.compact_if_due`), as the export thread does after each cycle; the
baseline, in a child of its own, never does. The RSS is taken with the frames freed
and glibc's free memory returned; it includes the simulators' own state, the same
in both children.

    python -m bench.store_churn child CUSTOMERS ROUNDS compact|never   (a child)
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from google.protobuf.message import Message

from bench.machine import rss_bytes
from bench.store_memory import trim
from bench.stores import DEFAULT_PLAN, apply, new_store, payloads
from central_otel.simulator.estate import EstateScale
from central_otel.simulator.frames import framed, monitoring_stream, world
from central_otel.simulator.traffic import MonitoringStream
from central_otel.simulator.world import World
from central_otel.state.store import EntityStore
from central_otel.topics import Topic

ROOT = Path(__file__).resolve().parent.parent
CHECKPOINTS = 4  # rounds reported: every ROUNDS / CHECKPOINTS


@dataclass
class _Customer:
    world: World
    stream: MonitoringStream
    store: EntityStore

    def fold(self, messages: Iterable[Message]) -> None:
        now = self.world.clock.now_ns()
        for info in payloads([framed(Topic.MONITORING, m, now) for m in messages]):
            apply(self.store, info)


def _child(customers: int, rounds: int, compact: bool) -> None:
    estates = []
    for i in range(customers):
        w = world(EstateScale.small(), f"s{i}", start=1.7e9)
        estates.append(_Customer(w, monitoring_stream(w, f"s{i}"), new_store(DEFAULT_PLAN)))
    trim()
    base = rss_bytes()
    for customer in estates:
        customer.fold(customer.stream.opening())
    every = max(1, rounds // CHECKPOINTS)
    copied = 0
    for done in range(1, rounds + 1):
        for customer in estates:
            customer.world.tick()
            customer.world.clock.clock_offset += customer.world.interval
            customer.fold(customer.stream.tick())
        if compact:  # as the export thread does after each cycle
            for customer in estates:
                customer.store.pack_states()
                copied += customer.store.compact_if_due()
        if done % every == 0 or done == rounds:
            trim()
            entities = sum(sum(c.store.counts().values()) for c in estates)
            print(json.dumps([done, rss_bytes() - base, entities, copied]), flush=True)


def _run(customers: int, rounds: int, variant: str) -> list[list[int]]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.store_churn", "child", str(customers), str(rounds), variant],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [json.loads(line) for line in out.stdout.splitlines()]


def main(argv: list[str]) -> None:
    if argv and argv[0] == "child":
        _child(int(argv[1]), int(argv[2]), argv[3] == "compact")
        return
    customers = int(argv[0]) if argv else 50
    rounds = int(argv[1]) if len(argv) > 1 else 200
    compacting, never = _run(customers, rounds, "compact"), _run(customers, rounds, "never")
    print(f"{customers} small estates, a stats round with state changes at a time:")
    for (done, rss, entities, copied), (_, baseline, _, _) in zip(compacting, never, strict=True):
        print(
            f"  after {done} rounds: {entities} entities, stores {rss / 2**20:.1f} MiB RSS "
            f"({rss / entities:.0f} B each; {copied} messages copied so far); never "
            f"compacting {baseline / 2**20:.1f} MiB ({baseline / entities:.0f} B each)"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
