"""The C allocator's policy (`malloc_policy`): large buffers go back to the OS when freed.

Each case runs in a fresh interpreter (the allocator's state is per process): a large
buffer freed first raises glibc's dynamic mmap threshold; 1 MiB buffers then come from
the heap, below a small allocation that pins its top, and are freed. What stays
resident tells whether they were mapped (and unmapped) or kept in the heap.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc", reason="the policy applies to glibc's malloc only"
)

SCRIPT = """
import sys
from bench.machine import rss_bytes
from central_otel.malloc_policy import keep_large_buffers_mapped

def rss_mib():
    return rss_bytes() / 2**20

if sys.argv[1] == "policy":
    assert keep_large_buffers_mapped()
big = bytearray(16 << 20)
del big  # without the policy: the threshold rises to 16 MiB
before = rss_mib()
buffers = [bytearray(1 << 20) for _ in range(48)]
pin = bytes(4096)  # allocated after them: the heap's top cannot shrink past it
del buffers
print(round(rss_mib() - before))
"""


def _resident_after_free(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=ROOT,  # `bench` is imported from the checkout
    )
    return int(out.stdout)


def test_freed_large_buffers_stay_resident_without_the_policy() -> None:
    # What the policy is for: 48 MiB freed, still held by the process.
    assert _resident_after_free("default") >= 40


def test_with_the_policy_freed_large_buffers_leave_the_process() -> None:
    assert _resident_after_free("policy") <= 4
