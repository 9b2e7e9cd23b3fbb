"""The entity stores of a managed-service provider's customers: RSS, per entity.

    python -m bench.store_memory [CUSTOMERS]    (default 300, as `bench msp`)

Each customer a small simulator estate (`EstateScale.small`, as `bench msp`) filled
from its opening and two monitoring rounds, and its presence reports: the RSS the
stores add, with the frames freed and the allocator's free memory returned first.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys

from bench.machine import rss_bytes
from bench.stores import fill, new_store
from central_otel.simulator.estate import EstateScale
from central_otel.simulator.frames import build
from central_otel.state.store import EntityStore


def trim() -> None:
    """Collect, and give glibc's free memory back (RSS then counts what is live)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # glibc only
        ctypes.CDLL("libc.so.6").malloctrim(0)


def stores(customers: int) -> list[EntityStore]:
    filled = []
    for i in range(customers):
        store = new_store()
        store.customer = f"msp-{i:03d}"
        filled.append(fill(store, build(EstateScale.small(), rounds=2, seed=f"s{i}")))
    return filled


def main(argv: list[str]) -> None:
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
