"""Freezing after every frame must not keep garbage that grows with the churn: the
bench's measurement (`python -m bench.gc_retention`), short, run as that command as
a regression check (docs/performance.md has the figures)."""

from __future__ import annotations

import re

from tests.bench_support import run_bench


def test_frequent_freezing_keeps_a_bounded_amount() -> None:
    # A full collection and freeze after every frame (1000 bytes), for 3 s.
    line = run_bench("bench.gc_retention", "3", "1000", timeout=60).stdout.strip().splitlines()[-1]
    found = re.search(
        r"(\d+) health probes, (\d+) collections by frame bytes.*kept by freezing "
        r"\(reclaimed once unfrozen\): (\d+)$",
        line,
    )
    assert found is not None, line
    probes, collections, kept = (int(n) for n in found.groups())
    assert probes > 100
    assert collections > 20
    # No growth with probes or freezes: a bounded few hundred objects (the closed
    # connections' part that was frozen before they closed).
    assert kept < 1000, line
