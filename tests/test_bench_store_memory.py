"""The stores' memory bench (`python -m bench.store_memory`, figures in
docs/performance.md) runs, as that command, on a few estates."""

from __future__ import annotations

import re

from tests.bench_support import run_bench


def _figures(pattern: str, *args: str) -> tuple[str, ...]:
    """The groups of `pattern` in the last line `python -m bench.store_memory ARGS` printed."""
    line = run_bench("bench.store_memory", *args, timeout=60).stdout.strip().splitlines()[-1]
    found = re.fullmatch(pattern, line)
    assert found is not None, line
    return found.groups()


def test_the_store_memory_bench_reports_the_small_estates_stores() -> None:
    figures = _figures(
        r"3 small estates: stores [\d.]+ MiB RSS, (\d+) entities \(-?\d+ B each\), "
        r"(\d+) keys and key parts interned",
        "3",
    )
    # The simulator's estates are seeded: 242 entities each (262 with the clients'
    # stats, which per-client metrics, off by default, alone read); keys share parts.
    assert figures == ("726", "808")


def test_the_store_memory_bench_reports_what_a_payload_of_its_own_costs() -> None:
    alone, among = map(
        int,
        _figures(
            r"a wireless client kept: (\d+) B from a payload of its own, (\d+) B from one "
            r"payload of 20000",
            "arenas",
        ),
    )
    assert alone > among > 0
