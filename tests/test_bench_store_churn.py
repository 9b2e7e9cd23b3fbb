"""The churn bench (`python -m bench.store_churn`, figures in docs/performance.md)
runs, as that command, on a few estates for a few rounds."""

from __future__ import annotations

import re

from tests.bench_support import run_bench


def test_the_store_churn_bench_reports_both_children_at_each_checkpoint() -> None:
    lines = run_bench("bench.store_churn", "10", "12", timeout=120).stdout.strip().splitlines()
    assert lines[0] == "10 small estates, a stats round with state changes at a time:"
    found = [
        re.fullmatch(
            r"  after (\d+) rounds: (\d+) entities, stores -?[\d.]+ MiB RSS \(-?\d+ B each; "
            r"(\d+) messages copied so far\); never compacting -?[\d.]+ MiB \(-?\d+ B each\)",
            line,
        )
        for line in lines[1:]
    ]
    assert all(found), lines
    rounds = [int(match.group(1)) for match in found if match]
    assert rounds == [3, 6, 9, 12]
    # The simulator's estates are seeded: every round has the same entities in both
    # children, and the store copies messages out of payloads it mostly replaced.
    entities = [int(match.group(2)) for match in found if match]
    # (Per-client metrics off, as by default: the clients' stats are not kept.)
    assert all(2200 < n < 2500 for n in entities), entities
    copied = [int(match.group(3)) for match in found if match]
    assert copied == sorted(copied)
    assert copied[-1] > 0
