"""The entity stores of a managed-service provider's customers: RSS, per entity.

    python -m bench.store_memory [CUSTOMERS]    (default 300, as `bench msp`)
    python -m bench.store_memory arenas         (a message kept alone or among many)

Each customer a small simulator estate (`EstateScale.small`, as `bench msp`) filled
from its opening and two monitoring rounds, and its presence reports, then packed
and compacted as after an export cycle: the RSS the stores add, with the frames
freed and the allocator's free memory returned first.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys

from bench.machine import rss_bytes
from bench.stores import DEFAULT_PLAN, fill, new_store
from central_otel.proto import monitoring_pb2
from central_otel.simulator.estate import EstateScale
from central_otel.simulator.frames import build
from central_otel.state.store import EntityStore


def trim() -> None:
    """Collect, and give glibc's free memory back (RSS then counts what is live)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # glibc only
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def stores(customers: int) -> list[EntityStore]:
    filled = []
    for i in range(customers):
        store = new_store(DEFAULT_PLAN)
        store.customer = f"msp-{i:03d}"
        fill(store, build(EstateScale.small(), rounds=2, seed=f"s{i}"))
        # What the export thread does after each cycle (`MetricExportLoop.sweep_stores`).
        store.pack_states()
        store.compact_if_due()
        filled.append(store)
    return filled


def arenas(count: int = 20_000) -> None:
    """RSS per wireless client kept: each decoded from a payload of its own (as New
    Central frames each event), and all from one payload."""

    def payload(macs: range) -> bytes:
        info = monitoring_pb2.MonitoringInformation(customer_id="c")
        for n in macs:
            info.wireless_clients.add(name=f"client-{n}").macaddr.addr = n.to_bytes(6, "big")
        return info.SerializeToString()

    parse = monitoring_pb2.MonitoringInformation.FromString
    alone = [payload(range(n, n + 1)) for n in range(count)]
    together = payload(range(count))
    trim()
    before = rss_bytes()
    kept = [parse(data).wireless_clients[0] for data in alone]
    trim()
    each = (rss_bytes() - before) / count
    del kept
    trim()
    before = rss_bytes()
    kept = list(parse(together).wireless_clients)
    trim()
    among = (rss_bytes() - before) / count
    del kept
    print(
        f"a wireless client kept: {each:.0f} B from a payload of its own, "
        f"{among:.0f} B from one payload of {count}"
    )


def main(argv: list[str]) -> None:
    if argv and argv[0] == "arenas":
        arenas()
        return
    customers = int(argv[0]) if argv else 300
    trim()
    before = rss_bytes()
    filled = stores(customers)
    trim()
    added = rss_bytes() - before
    entities = sum(sum(store.counts().values()) for store in filled)
    interned = sum(store.interned for store in filled)
    print(
        f"{customers} small estates: stores {added / 2**20:.1f} MiB RSS, {entities} entities "
        f"({added / entities:.0f} B each), {interned} keys and key parts interned"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
