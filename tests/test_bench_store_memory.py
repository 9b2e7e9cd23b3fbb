"""The stores' memory bench (`python -m bench.store_memory`, figures in
docs/performance.md) runs, as that command, on a few estates."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_store_memory_bench_reports_the_small_estates_stores() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.store_memory", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    line = done.stdout.strip().splitlines()[-1]
    found = re.fullmatch(
        r"3 small estates: stores [\d.]+ MiB RSS, (\d+) entities \(-?\d+ B each\), "
        r"(\d+) keys and key parts interned",
        line,
    )
    assert found is not None, line
    # The simulator's estates are seeded: 262 entities each; their keys share parts.
    assert found.groups() == ("786", "808")
