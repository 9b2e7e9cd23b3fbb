"""Memory: bytes per live series (RSS delta), each size in a fresh subprocess.

The child builds the frames first (kept alive throughout), measures RSS, fills a
store and runs one export cycle (so every cache exists) and what the export thread does
after it (the state messages packed, the store compacted if due), and measures again.
Baseline: the same with the SDK reference (`export.sdk_reference`). And the direct
path again with device context (every device's site, group and labels).
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

from bench.machine import rss_bytes
from bench.stores import fill, frames_for, inventory_for, new_store
from central_otel.malloc_policy import keep_large_buffers_mapped

ROOT = Path(__file__).resolve().parent.parent


def child(size: int, path: str) -> dict[str, float]:
    keep_large_buffers_mapped()  # the C allocator's policy of `central-otel run`
    frames = frames_for(size)
    # Built on every path (the same allocations before the first measure), used by one.
    inventory = inventory_for(size)
    gc.collect()
    before = rss_bytes()
    store = fill(new_store(), frames)
    store.replace_inventory(inventory if path == "context" else [])
    if path in ("direct", "context"):
        from bench.export import encoder

        ours = encoder()
        series = ours.encode([store]).total_points
        peak = 0
        for _request in ours.encode_iter([store]):  # as the export loop sends them
            peak = max(peak, rss_bytes())
        store.pack_states()  # what the export thread does after each cycle
        store.compact_if_due()
    else:
        from bench.export import sdk_cycle, sdk_export

        reference = sdk_cycle(store)
        sdk_export(reference)
        data = reference.collect()
        assert data is not None
        series = sum(
            len(m.data.data_points)
            for r in data.resource_metrics
            for s in r.scope_metrics
            for m in s.metrics
        )
        peak = rss_bytes()
        del data
    gc.collect()
    return {"series": series, "before": before, "after": rss_bytes(), "peak": peak}


def _measure(size: int, path: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.memory", str(size), path],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode != 0:
        raise RuntimeError(f"memory child {size} {path} failed: {out.stderr[-3000:]}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


SIZES = {"tiny": (5_000,), "quick": (100_000,), "full": (100_000, 1_000_000)}


def run(mode: str) -> list[str]:
    sizes = SIZES[mode]
    lines: list[str] = []
    base = _measure(sizes[0], "sdk")  # ~4 KiB a series: 1 M would need ~4.5 GiB
    for size in sizes:
        ours = _measure(size, "direct")
        context = _measure(size, "context")
        per = (ours["after"] - ours["before"]) / ours["series"]
        per_context = (context["after"] - context["before"]) / context["series"]
        per_base = (base["after"] - base["before"]) / base["series"]
        lines += [
            f"{int(ours['series'])} live series ({size // 1000}k target):",
            f"  direct: {per:.0f} bytes per series (store + caches; RSS "
            f"{ours['after'] / 2**20:.0f} MiB, {ours['peak'] / 2**20:.0f} MiB at most during a "
            "cycle)",
            f"  direct with device context: {per_context:.0f} bytes per series (RSS "
            f"{context['after'] / 2**20:.0f} MiB, {context['peak'] / 2**20:.0f} MiB at most; "
            f"{per_context / per:.2f}x without)",
            f"  baseline SDK reference: {per_base:.0f} bytes per series (measured at "
            f"{int(base['series'])} series, RSS {base['after'] / 2**20:.0f} MiB)",
            f"  ratio: {per_base / per:.1f}x less memory than the baseline",
        ]
    return lines


if __name__ == "__main__":
    print(json.dumps(child(int(sys.argv[1]), sys.argv[2])))
