"""The benchmarks run (CI checks that, not their speed): every section prints its
figures and a ratio to its baseline."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(120)
def test_bench_quick_runs_every_section() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--tiny"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = out.stdout
    assert "== machine ==" in report
    assert re.search(r"^protobuf: \d+\.\d+\.\d+ \((upb|cpp|python)\)$", report, re.M)
    assert re.search(r"^opentelemetry-sdk: \d", report, re.M)
    assert re.search(r"^cpu: ", report, re.M)
    sections = re.split(r"^== (\w+) ==$", report, flags=re.M)[1:]
    found = dict(zip(sections[::2], sections[1::2], strict=True))
    assert list(found) == ["machine", "ingest", "export", "memory", "e2e"]
    for name in ("ingest", "export", "memory", "e2e"):
        assert re.search(r"ratio: \d+(\.\d+)?x", found[name]), (name, found[name])
    assert "entity updates" in found["ingest"]
    assert "live series" in found["export"]
    assert "bytes per series" in found["memory"]
    assert "frame -> receiver delay" in found["e2e"]
    assert re.search(r"while exporting: max \d+ ms", found["e2e"])
    assert re.search(r"GC policy: \d+ objects frozen at the end", found["e2e"])
    assert re.search(r"stop \(streams closed, final export\) \d+\.\d\d s", found["e2e"])
    assert re.search(r"into the store: median [\d.]+ ms CPU, .* steps of at most", found["e2e"])
    assert re.search(r"longest by generation: \d+, \d+, \d+ ms", found["e2e"])
    assert "saw a counter reset; the bridge's GC policy" in found["ingest"]
    assert "Traceback" not in out.stderr
