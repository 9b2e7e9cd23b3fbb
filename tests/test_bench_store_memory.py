"""The stores' memory bench (`python -m bench.store_memory`, figures in
docs/performance.md) runs, as that command, on a few estates."""

from __future__ import annotations

import re

from tests.bench_support import run_bench


def test_the_store_memory_bench_reports_the_small_estates_stores() -> None:
    line = run_bench("bench.store_memory", "3", timeout=60).stdout.strip().splitlines()[-1]
    found = re.fullmatch(
        r"3 small estates: stores [\d.]+ MiB RSS, (\d+) entities \(-?\d+ B each\), "
        r"(\d+) keys and key parts interned",
        line,
    )
    assert found is not None, line
    # The simulator's estates are seeded: 262 entities each; their keys share parts.
    assert found.groups() == ("786", "808")


def test_the_store_memory_bench_reports_what_a_payload_of_its_own_costs() -> None:
    line = run_bench("bench.store_memory", "arenas", timeout=60).stdout.strip().splitlines()[-1]
    found = re.fullmatch(
        r"a wireless client kept: (\d+) B from a payload of its own, (\d+) B from one "
        r"payload of 20000",
        line,
    )
    assert found is not None, line
    alone, among = map(int, found.groups())
    assert alone > among > 0
