"""Helpers for the Streamer-against-the-simulator tests (this module holds no tests).

A `Harness` runs a real `Streamer` over loopback sockets against a started
`CentralSimulator`. Waits between reconnect attempts go through `RecordingSleep`,
which records the delay the policy asked for and sleeps only a few milliseconds,
so backoff is asserted on its values, not on wall-clock time. Keys use a
`FakeClock`, so a test decides when the last validation is "old".
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from central_otel.config import (
    Config,
    IdleTimeouts,
    ReconnectConfig,
    StreamingConfig,
    parse_config,
)
from central_otel.decoding import DecodeErrorKind, DecodeFailure, decode_frame
from central_otel.settings import streams_settings
from central_otel.simulator import CentralSimulator, ConnectionRecord
from central_otel.streaming.streamer import Streamer
from central_otel.streaming.subscription import Subscription
from central_otel.topics import Topic
from tests.simulator_support import CUSTOMER, make_sim

__all__ = ["CUSTOMER", "make_sim"]

NO_IDLE = IdleTimeouts(
    monitoring=None, presence=None, security=None, location=None, apprf=None, audit=None
)
# Jitter off and a long stable_after: delays are exactly 1, 2, 4... and never reset
# by accident. Real values, but `RecordingSleep` does not wait them out.
TEST_STREAMING = StreamingConfig(
    heartbeat=5.0,
    connect_timeout=2.0,
    close_timeout=1.0,
    idle_timeout=NO_IDLE,
    reconnect=ReconnectConfig(
        initial_delay=1.0, max_delay=64.0, multiplier=2.0, jitter=0.0, stable_after=3600.0
    ),
)


class RecordingSleep:
    """The subscriptions' sleep: records each requested delay, waits at most `cap` seconds."""

    def __init__(self, cap: float = 0.01) -> None:
        self.delays: list[float] = []
        self.cap = cap

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(min(seconds, self.cap))


@dataclass
class FakeClock:
    """The keys' wall clock; `advance` makes the last validation old."""

    now: float = field(default_factory=time.time)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_config(
    sim: CentralSimulator,
    *,
    topics: tuple[str, ...] = ("monitoring",),
    customer: str = CUSTOMER,
    key: str | None = None,
    central: dict[str, Any] | None = None,
    streaming: StreamingConfig = TEST_STREAMING,
    **settings: Any,
) -> Config:
    """A validated configuration pointing at `sim`, then given the test streaming policy."""
    document: dict[str, Any] = {
        "central": {"base_url": sim.url, **(central or {})},
        "customers": {
            customer: {
                "key": key if key is not None else sim.customer(customer).key,
                "topics": list(topics),
                **settings,
            }
        },
    }
    return replace(parse_config(document, source="test.yaml", environ={}), streaming=streaming)


def make_customers_config(
    sim: CentralSimulator,
    customers: dict[str, tuple[str, ...]],
    *,
    streaming: StreamingConfig = TEST_STREAMING,
    keys: dict[str, str] | None = None,
) -> Config:
    """A validated configuration for several of `sim`'s customers (name -> topics), with
    their current keys unless `keys` gives one, then given `streaming`."""
    keys = keys or {}
    document: dict[str, Any] = {
        "central": {"base_url": sim.url},
        "customers": {
            name: {"key": keys.get(name, sim.customer(name).key), "topics": list(topics)}
            for name, topics in customers.items()
        },
    }
    return replace(parse_config(document, source="test.yaml", environ={}), streaming=streaming)


@dataclass
class Received:
    customer: str
    topic: Topic
    frame: bytes
    received_ns: int


@dataclass
class Harness:
    sim: CentralSimulator
    streamer: Streamer
    sleep: RecordingSleep
    clock: FakeClock
    received: list[Received] = field(default_factory=list)
    decode_failures: Counter[DecodeErrorKind] = field(default_factory=Counter)

    def on_frame(self, subscription: Subscription, data: bytes, received_ns: int) -> None:
        """The consumer: keeps every frame and decodes it, counting failures."""
        self.received.append(Received(subscription.customer, subscription.topic, data, received_ns))
        result = decode_frame(data, topic=subscription.topic, customer=subscription.customer)
        if isinstance(result, DecodeFailure):
            self.decode_failures[result.kind] += 1

    def frames(self, topic: str | None = None) -> list[bytes]:
        return [r.frame for r in self.received if topic is None or r.topic.value == topic]

    def subscription(self, topic: str, customer: str = CUSTOMER) -> Subscription:
        return next(
            s
            for s in self.streamer.subscriptions
            if s.topic.value == topic and s.customer == customer
        )

    @property
    def delays(self) -> list[float]:
        return self.sleep.delays

    async def quiet(self, gap: float = 0.15, timeout: float = 3.0) -> None:
        """Wait until no frame arrived for `gap` seconds (the simulator silenced)."""
        async with asyncio.timeout(timeout):
            while True:
                count = len(self.received)
                await asyncio.sleep(gap)
                if len(self.received) == count:
                    return


@contextlib.asynccontextmanager
async def streaming(
    sim: CentralSimulator, config: Config, *, sleep_cap: float = 0.01, **kwargs: Any
) -> AsyncIterator[Harness]:
    """A started Streamer for `config` (stopped on exit), with the harness's sleep and clock."""
    sleep = RecordingSleep(sleep_cap)
    clock = FakeClock()
    harness = Harness(sim, None, sleep, clock)  # type: ignore[arg-type]  # set just below
    kwargs.setdefault("settings", streams_settings(config.streaming))
    harness.streamer = Streamer(config, harness.on_frame, sleep=sleep, clock=clock, **kwargs)
    streamer = harness.streamer
    await streamer.start()
    try:
        yield harness
    finally:
        await streamer.stop()


async def until(predicate: Callable[[], bool], timeout: float = 3.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.005)


def connection_with_key(sim: CentralSimulator, fingerprint: str) -> ConnectionRecord | None:
    return next(
        (c for c in sim.open_connections() if c.key_fingerprint == fingerprint),
        None,
    )
