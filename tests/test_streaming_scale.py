"""Hundreds of subscriptions in one process, against the simulator on loopback.

An MSP runs one bridge for many customers: 300 customers x 2 topics is 600
WebSockets. Nothing in the process may cap that number (aiohttp's default
connector stopped at 100), and REST calls to Central must not queue behind them.
"""

from __future__ import annotations

import asyncio.sslproto
import logging
import resource
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from central_otel.config import Config, StaggerConfig
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from central_otel.streaming.keys import KeyOutcome
from central_otel.streaming.sessions import (
    SPARE_FILES,
    TLS_READ_BUFFER,
    ensure_open_files,
    files_needed,
    open_sessions,
)
from central_otel.streaming.subscription import StreamState
from tests.streaming_support import TEST_STREAMING, make_customers_config, streaming, until

CUSTOMERS = 300
TOPICS = ("monitoring", "presence")
# The smallest estate: the test is about connections, not traffic.
TINY = EstateScale(1, 1, 0, 0, 1, wired_clients_per_switch=0)


def names(count: int) -> list[str]:
    return [f"MSP-{i:03d}" for i in range(count)]


# Faster staggering than the default (the test is about how many connections, not how
# fast), but staggered: 600 handshakes at once, both ends in this process, take longer
# than the test's 2 s connect timeout on a busy machine.
FAST_STAGGER = replace(
    TEST_STREAMING,
    stagger=StaggerConfig(connect_rate=300, connect_burst=30, credential_rate=1000),
)


def msp_config(sim: CentralSimulator, count: int) -> Config:
    return make_customers_config(sim, dict.fromkeys(names(count), TOPICS), streaming=FAST_STAGGER)


@pytest.fixture
async def msp_sim() -> AsyncIterator[CentralSimulator]:
    sim = CentralSimulator(scale=TINY, stats_interval=60.0, seed=5, profile=TrafficProfile.quiet())
    for name in names(CUSTOMERS):
        sim.add_customer(name, topics=TOPICS)
    await sim.start("127.0.0.1", 0)
    try:
        yield sim
    finally:
        await sim.stop()


@pytest.mark.timeout(120)
async def test_600_subscriptions_connect_in_one_process(msp_sim: CentralSimulator) -> None:
    sim = msp_sim
    async with streaming(sim, msp_config(sim, CUSTOMERS)) as h:
        subs = h.streamer.subscriptions
        assert len(subs) == 600
        await until(lambda: len(sim.open_connections()) == 600, timeout=60)
        await until(lambda: all(s.stats.state is StreamState.CONNECTED for s in subs), timeout=10)
        # Every subscription connected at its first attempt: none waited for a pool slot.
        assert [s.stats.connects for s in subs] == [1] * 600
        assert sum((s.stats.reconnects for s in subs), Counter()) == Counter()
        assert h.delays == []
        assert Counter((c.customer, c.topic) for c in sim.open_connections()) == {
            (name, topic): 1 for name in names(CUSTOMERS) for topic in TOPICS
        }
        # One key validation per customer.
        assert {name: sim.validate_calls(name) for name in names(CUSTOMERS)} == dict.fromkeys(
            names(CUSTOMERS), 1
        )
        # With 600 WebSockets open, a REST call to Central gets its connection at once.
        key = h.streamer.keys["MSP-123"]
        h.clock.advance(61)
        result = await key.check("scheduled")
        assert (result.outcome, result.detail) == (KeyOutcome.VALID, "key is current")
        assert sim.validate_calls("MSP-123") == 2
        assert len(sim.open_connections()) == 600
    assert sim.open_connections() == []
    assert Counter(c.close_code for c in sim.connections) == {1000: 600}


def test_the_open_files_limit_is_raised_for_many_subscriptions(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="central_otel.streaming")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = files_needed(600)
    assert needed == 1200 + SPARE_FILES
    if hard != resource.RLIM_INFINITY and hard < needed:
        pytest.skip(f"the hard open-files limit ({hard}) is below {needed}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (512, hard))
    try:
        assert ensure_open_files(600) == needed
        assert resource.getrlimit(resource.RLIMIT_NOFILE) == (needed, hard)
        assert ensure_open_files(10) == needed  # never lowered
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert [r.getMessage() for r in caplog.records] == [
        f"raised the open-files limit from 512 to {needed} for 600 subscription(s)"
    ]


def test_a_hard_open_files_limit_too_low_is_named_with_what_to_do() -> None:
    script = (
        "import logging, resource\n"
        "logging.basicConfig(format='%(levelname)s %(message)s')\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (300, 400))\n"
        "from central_otel.streaming.sessions import ensure_open_files\n"
        "print(ensure_open_files(600))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout == "400\n"
    assert out.stderr.splitlines() == [
        "WARNING the open-files limit (400, hard limit 400) is below the 1456 that 600 "
        "subscription(s) may need: connections beyond it fail with 'Too many open files'; "
        "raise the limit (ulimit -n, or the container runtime's nofile limit) or shard"
    ]


async def test_tls_connections_get_small_read_buffers() -> None:
    # asyncio's default (256 KiB a connection, allocated at connect) would be 150 MiB
    # at 600 WebSockets; the streaming sessions lower it before any connection opens.
    asyncio.sslproto.SSLProtocol.max_size = 256 * 1024
    sessions = open_sessions()
    try:
        assert asyncio.sslproto.SSLProtocol.max_size == TLS_READ_BUFFER == 4 * 1024
    finally:
        await sessions.close()
