"""The benchmarks run (CI checks that, not their speed): every section prints its
figures and a ratio to its baseline."""

from __future__ import annotations

import re

import pytest

from tests.bench_support import run_bench


@pytest.mark.timeout(120)
def test_bench_quick_runs_every_section() -> None:
    out = run_bench("bench", "--quick", "--tiny", timeout=110, tail=3000)
    report = out.stdout
    assert "== machine ==" in report
    assert re.search(r"^protobuf: \d+\.\d+\.\d+ \((upb|cpp|python)\)$", report, re.M)
    assert re.search(r"^opentelemetry-sdk: \d", report, re.M)
    assert re.search(r"^cpu: ", report, re.M)
    sections = re.split(r"^== (\w+) ==$", report, flags=re.M)[1:]
    found = dict(zip(sections[::2], sections[1::2], strict=True))
    assert list(found) == ["machine", "ingest", "export", "memory", "e2e", "msp"]
    for name in ("ingest", "export", "memory", "e2e", "msp"):
        assert re.search(r"ratio: \d+(\.\d+)?x", found[name]), (name, found[name])
    assert "entity updates" in found["ingest"]
    assert "live series" in found["export"]
    assert "bytes per series" in found["memory"]
    assert "frame -> receiver delay" in found["e2e"]
    # The end-to-end figure: points per CPU-second of the whole bridge process, steady
    # state, for both paths, and their ratio.
    steady = re.findall(
        r"steady state: [\d.]+ k points per CPU-second of the whole process "
        r"\(\d+ points in \d+ cycles",
        found["e2e"],
    )
    assert len(steady) == 3, found["e2e"]  # gRPC: both paths; OTLP/HTTP with zstd: direct
    assert "OTLP/HTTP with zstd" in found["e2e"]
    assert re.search(
        r"ratio: \d+\.\dx the baseline's \(SDK reference\) points per CPU-second of the "
        r"whole process, steady state",
        found["e2e"],
    )
    assert re.search(r"steady state, CPU seconds by thread: .*event loop", found["e2e"])
    assert re.search(r"while exporting: max \d+ ms", found["e2e"])
    assert re.search(r"GC policy: \d+ objects frozen at the end", found["e2e"])
    assert re.search(r"stop \(streams closed, final export\) \d+\.\d\d s", found["e2e"])
    assert re.search(r"into the store: median [\d.]+ ms CPU, .* steps of at most", found["e2e"])
    assert re.search(r"longest by generation: \d+, \d+, \d+ ms", found["e2e"])
    assert "saw a counter reset; the bridge's GC policy" in found["ingest"]
    _check_msp(found["msp"])
    assert "Traceback" not in out.stderr


def _check_msp(report: str) -> None:
    """The tiny MSP run (10 customers x 2 topics) did what it reports: everything
    connected and came back, one validation per customer, every probe answered."""
    assert "10 customers x 2 topics = 20 subscriptions" in report
    assert re.search(r"connect: 20/20 subscriptions connected [\d.]+ s after .* 0 refused", report)
    assert "key validations: 10 for 10 customers, at most 1 per customer" in report
    assert re.search(r"steady CPU: [\d.]+ % of one core", report)
    assert re.search(r"= \d+ KiB per subscription", report)
    assert re.search(r"/healthz: max \d+ ms, p99 \d+ ms over \d+ probes, 0 failed", report)
    assert re.search(r"exported: [1-9]\d* points per export cycle", report)
    assert re.search(r"mass drop: reconnects spread [\d.]+ s .* all back [\d.]+ s after", report)
    assert re.search(r"lone drop: back [\d.]+ s after", report)
    assert re.search(r"/status: full \d+ ms .* \?view=summary \d+ ms .* \?customer= \d+ ms", report)
    assert "stop: exit 0" in report
    assert re.search(r"baseline, the same bridge without staggering: connected [\d.]+ s", report)
