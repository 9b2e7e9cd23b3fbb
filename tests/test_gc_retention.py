"""Freezing after every frame must not keep garbage that grows with the churn: the
bench's measurement, short, as a regression check (`python -m bench.gc_retention`
gives the figures in docs/performance.md)."""

from __future__ import annotations

import gc
import re

from bench.gc_retention import measure


async def test_frequent_freezing_keeps_a_bounded_amount() -> None:
    line, kept = await measure(3.0, 1000)  # a full collection and freeze after every frame
    assert gc.get_freeze_count() == 0  # the policy was removed, the heap unfrozen
    found = re.search(r"(\d+) health probes, (\d+) collections by frame bytes", line)
    assert found is not None, line
    assert int(found.group(1)) > 100
    assert int(found.group(2)) > 20
    # Measured: 153 objects (the closed connections' part frozen before they closed),
    # the same after 5, 30 and 60 s; no growth with probes or freezes.
    assert kept < 1000, line
