"""`central-otel demo`: the whole pipeline against the built-in simulator, site names
included (device context from the simulator's REST API)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.timeout(90)


def test_demo_prints_metrics_with_site_group_and_labels() -> None:
    result = subprocess.run(
        [
            sys.executable, "-m", "central_otel", "demo", "--verbose", "--duration", "6s",
            "--export-interval", "2s", "--stats-interval", "1s",
        ],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "customer 'demo': device context of 6 devices in 1 site from Central's REST API" in (
        result.stderr
    )
    # The last export (the first may come before the first sync).
    last = result.stdout.rsplit(" metrics: ", 1)[-1]
    status = [  # the Classic customer's (the New Central one has no inventory)
        line
        for line in last.splitlines()
        if line.startswith("  aruba.device.status{aruba.customer.name='demo',")
    ]
    assert status, result.stdout[-2000:]
    with_site = [line for line in status if "aruba.site.name='HQ'" in line]
    assert len(with_site) == len(status)
    assert all("aruba.group.name='" in line for line in with_site)
    conductor = [line for line in with_site if re.search(r"host\.name='hq-ap-01'", line)]
    assert conductor
    assert "aruba.device.labels=['conductor', 'floor-1']" in conductor[0]


def test_the_plain_summary_names_the_sites() -> None:
    result = subprocess.run(
        [
            sys.executable, "-m", "central_otel", "demo", "--duration", "5s",
            "--export-interval", "1s", "--stats-interval", "0.5s",
        ],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    sites = [line.split(" ", 1)[1] for line in result.stdout.splitlines() if " sites: " in line]
    assert sites
    # The Classic customer's site from its inventory (the New Central one's from its streams).
    assert "demo/HQ 6 devices 0 down" in sites[-1], sites[-1]
    busiest = [line for line in result.stdout.splitlines() if " busiest APs: " in line]
    assert re.search(r"hq-ap-0\d \d+ clients \d+% \(\S+\) at HQ", busiest[-1])
