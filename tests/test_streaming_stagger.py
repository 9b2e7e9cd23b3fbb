"""Staggering across subscriptions, against the simulator on loopback: a mass reconnect is
spread, a lone one is not delayed, key validations are staggered and never hold the
streams back.

Rates are scaled down (tens of subscriptions, tens per second) so each test takes a
second or two; `bench msp` measures the defaults at 600 subscriptions.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from itertools import pairwise

import pytest

from central_otel.config import StaggerConfig, StreamingConfig
from central_otel.simulator import CentralSimulator, fingerprint
from central_otel.streaming.subscription import StreamState
from tests.simulator_support import make_sim
from tests.streaming_support import TEST_STREAMING, make_customers_config, streaming, until


def staggered(
    connect_rate: float, connect_burst: int, credential_rate: float = 1000.0
) -> StreamingConfig:
    return replace(
        TEST_STREAMING,
        stagger=StaggerConfig(
            connect_rate=connect_rate, connect_burst=connect_burst, credential_rate=credential_rate
        ),
    )


@pytest.fixture
async def sim() -> AsyncIterator[CentralSimulator]:
    simulator = make_sim(stats_interval=30.0)
    for i in range(20):
        simulator.add_customer(f"C{i:02d}")
    await simulator.start("127.0.0.1", 0)
    try:
        yield simulator
    finally:
        await simulator.stop()


def customers(count: int, *topics: str) -> dict[str, tuple[str, ...]]:
    return {f"C{i:02d}": topics for i in range(count)}


async def test_a_mass_reconnect_is_spread_and_a_lone_one_goes_at_once(
    sim: CentralSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="central_otel.streaming")
    rate, burst = 40.0, 4
    config = make_customers_config(
        sim, customers(20, "monitoring", "presence"), streaming=staggered(rate, burst)
    )
    async with streaming(sim, config) as h:
        subs = h.streamer.subscriptions
        stagger = h.streamer.connect_stagger
        await until(lambda: len(sim.open_connections()) == 40, timeout=10)
        await asyncio.sleep(burst / rate + 0.1)  # the staggering idle again: its burst is back
        delayed = stagger.delayed

        dropped_at = sim.handshakes[-1].at
        assert await sim.drop_connections() == 40  # Central drops every connection at once
        await until(lambda: all(s.stats.connects == 2 for s in subs), timeout=10)
        again = sorted(r.at for r in sim.handshakes if r.at > dropped_at)
        assert len(again) == 40
        # 4 at once, then 40 per second: the 36th after 0.8 s. Without the staggering, all
        # 40 came back within a few milliseconds of each other.
        p90 = again[int(0.9 * len(again))]
        assert p90 - again[0] >= 0.7
        assert stagger.delayed - delayed >= 30
        assert h.delays == [1.0] * 40  # each stream's own backoff: unchanged

        # A lone drop, the staggering idle: the stream's turn comes at once.
        await asyncio.sleep(burst / rate + 0.1)
        delayed = stagger.delayed
        lone = subs[7]
        assert await sim.drop_connections(lone.customer, lone.topic.value) == 1
        await until(lambda: lone.stats.connects == 3)
        assert stagger.delayed == delayed
        assert all(s.stats.state is StreamState.CONNECTED for s in subs)
    # No log storm: of each kind of line, the first 10 within 10 s, then how many more.
    lines = [
        (r.levelname, r.getMessage())
        for r in caplog.records
        if r.levelno >= logging.INFO and r.name == "central_otel.streaming.subscription"
    ]
    url, closed = sim.ws_url, "Central closed the connection (code 1011)"
    summaries = [line for line in lines if "more subscription(s)" in line[1]]
    assert summaries == [
        ("INFO", f"30 more subscription(s) within 10s: connected to {url} (each logged at DEBUG)"),
        ("WARNING", f"31 more subscription(s) within 10s: {closed}; reconnecting (each logged "
         "at DEBUG)"),
        ("INFO", f"31 more subscription(s) within 10s: connected to {url} (each logged at DEBUG)"),
    ]  # fmt: skip
    streams = Counter(
        (level, text.split(": ", 1)[1].split(" after ")[0])
        for level, text in lines
        if (level, text) not in summaries
    )
    assert streams == {("INFO", f"connected to {url}"): 20, ("WARNING", closed): 10}


async def test_key_validations_are_staggered_and_the_streams_do_not_wait_for_them(
    sim: CentralSimulator,
) -> None:
    config = make_customers_config(
        sim,
        customers(20, "presence"),
        streaming=staggered(50.0, 10, credential_rate=10.0),
    )
    async with streaming(sim, config) as h:
        await until(lambda: len(sim.validations) == 20, timeout=10)
        await until(lambda: len(sim.open_connections()) == 20)
        assert {f"C{i:02d}": sim.validate_calls(f"C{i:02d}") for i in range(20)} == dict.fromkeys(
            customers(20), 1
        )
        times = [v.at for v in sim.validations]
        # One every 0.1 s (a little less: the times are taken when Central answers).
        assert min(b - a for a, b in pairwise(times)) >= 0.07
        assert times[-1] - times[0] >= 1.8
        # Every stream connected long before the last customer's key was validated.
        assert max(c.opened_at for c in sim.connections) < times[-1] - 1.0
        # The simulator counts a call when it answers; the key once it has the answer.
        await until(lambda: all(key.validations == 1 for key in h.streamer.keys.values()))


async def test_a_stream_refused_before_its_key_was_validated_waits_for_that_validation(
    sim: CentralSimulator,
) -> None:
    stale = sim.customer("C02").key
    renewed = sim.rotate_key("C02")
    config = make_customers_config(
        sim,
        customers(3, "audit"),
        streaming=staggered(50.0, 10, credential_rate=2.0),
        keys={"C02": stale},
    )
    async with streaming(sim, config) as h:
        sub = h.subscription("audit", customer="C02")
        await until(lambda: len(sim.open_connections()) == 3, timeout=5)
        key = h.streamer.keys["C02"]
        assert key.fingerprint == fingerprint(renewed)
        assert (key.generation, key.renewals, key.validations) == (1, 1, 1)
        attempts = [
            (r.status, r.headers["Authorization"]) for r in sim.handshakes if r.customer == "C02"
        ]
        assert attempts == [(401, fingerprint(stale)), (101, fingerprint(renewed))]
        assert sub.stats.reconnects == Counter({"unauthorized": 1})
        assert h.delays == []  # retried at once with the renewed key, no backoff
    # C02's validation came third, 1 s after the first; its stream asked no other.
    assert [v.customer for v in sim.validations] == ["C00", "C01", "C02"]
    assert sim.validate_calls("C02") == 1


async def test_stop_ends_streams_waiting_for_their_turn(
    sim: CentralSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="central_otel.streaming")
    config = make_customers_config(sim, customers(8, "audit"), streaming=staggered(1.0, 1))
    async with streaming(sim, config) as h:
        await until(lambda: len(sim.open_connections()) == 1)
        streamer = h.streamer
        await streamer.stop(timeout=3.0)  # the last turn would be 7 s away
    # Nothing had to be cut off: "not every stream closed within 3s" otherwise.
    assert [r.getMessage() for r in caplog.records] == []
    assert all(s.stats.state is StreamState.STOPPED for s in streamer.subscriptions)
    assert len(sim.connections) <= 2
