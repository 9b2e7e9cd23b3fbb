"""The soak bench (`python -m bench.soak`, figures in docs/performance.md) runs, as that
command, with a few customers for a few seconds."""

from __future__ import annotations

import re

from tests.bench_support import run_bench


def test_the_soak_bench_samples_the_bridge_and_reports_its_growth() -> None:
    lines = run_bench("bench.soak", "3", "6", "1", timeout=120).stdout.strip().splitlines()
    assert lines[-3] == (
        "3 customers x 2 topics, each a small estate; a stats round and an export cycle "
        "every 1 s, for 6 s (6 rounds)"
    )
    samples = re.fullmatch(r"  RSS every 0\.6 s: ((?:[\d.]+, ){9}[\d.]+) MiB", lines[-2])
    assert samples is not None, lines[-2]
    values = [float(v) for v in samples.group(1).split(", ")]
    assert all(v > 20 for v in values)  # a bridge's RSS, in MiB
    grew = re.fullmatch(
        r"  grew ([+-][\d.]+) MiB from 1\.2 s to the end \(([\d.]+) -> ([\d.]+) MiB\); "
        r"peak ([\d.]+) MiB; exit 0",
        lines[-1],
    )
    assert grew is not None, lines[-1]
    assert float(grew.group(2)) == values[1]
    assert float(grew.group(3)) == values[-1]
    assert float(grew.group(4)) >= max(values) - 0.1
