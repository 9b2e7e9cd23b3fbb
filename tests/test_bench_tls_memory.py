"""The TLS memory bench (`python -m bench.tls_memory`, figures in docs/performance.md)
runs, as that command, with a few connections."""

from __future__ import annotations

import re

from tests.bench_support import run_bench


def test_the_tls_memory_bench_reports_each_kind_of_connection() -> None:
    lines = run_bench("bench.tls_memory", "30", timeout=120).stdout.strip().splitlines()
    assert lines[0] == "30 WebSockets in one aiohttp client process, per connection:"
    found = [
        re.fullmatch(r"  (.+): (-?[\d.]+) KiB RSS, (-?[\d.]+) KiB allocated by C code", line)
        for line in lines[1:]
    ]
    assert all(found), lines
    malloc = {match.group(1): float(match.group(3)) for match in found if match}
    assert list(malloc) == ["plain", "tls", "tls, no session tickets"]
    # TLS is mostly OpenSSL's allocations; a plain WebSocket is Python objects. The
    # server's session tickets leave OpenSSL's 16.6 KiB record read buffer allocated.
    assert malloc["tls, no session tickets"] > malloc["plain"] + 16
    assert malloc["tls"] > malloc["tls, no session tickets"] + 12
