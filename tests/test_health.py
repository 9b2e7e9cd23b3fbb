"""Health endpoints on a real port, with streams to the simulator, through an outage."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import aiohttp

from central_otel.config import parse_config
from central_otel.health import HealthServer, LoopMonitor
from central_otel.simulator import CentralSimulator, EstateScale
from central_otel.streaming.streamer import Streamer
from tests import defaults


async def _until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


async def _get(session: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with session.get(url) as response:
        return response.status, await response.text()


async def test_ready_flips_during_an_outage_and_status_never_shows_the_key() -> None:
    sim = CentralSimulator(scale=EstateScale.small(), stats_interval=0.2, seed=3)
    info = sim.add_customer("CustomerA", topics=["monitoring", "audit"])
    await sim.start("127.0.0.1", 0)
    port = sim.port
    config = parse_config(
        {
            "central": {"base_url": sim.url},
            "customers": {"CustomerA": {"key": info.key, "topics": ["monitoring", "audit"]}},
        },
        source="test",
    )
    settings = defaults.every_topic(
        defaults.stream(backoff=defaults.backoff(initial=0.05, maximum=0.2, jitter=0.0))
    )
    streamer = Streamer(config, lambda sub, data, ns: None, settings=settings)
    health = HealthServer(
        streamer, ready_when=defaults.READY_WHEN, monitor=LoopMonitor(interval=0.05)
    )
    await health.start("127.0.0.1", 0)
    base = f"http://127.0.0.1:{health.port}"
    async with aiohttp.ClientSession() as session:
        try:
            assert await _get(session, base + "/readyz") == (503, "no subscription started\n")
            await streamer.start()
            await _until(lambda: health.ready()[0])
            assert await _get(session, base + "/readyz") == (200, "2/2 subscriptions connected\n")
            assert await _get(session, base + "/healthz") == (200, "ok\n")
            status, text = await _get(session, base + "/status")
            body = json.loads(text)
            assert status == 200
            assert body["ready"] is True
            assert [(s["customer"], s["topic"], s["state"]) for s in body["subscriptions"]] == [
                ("CustomerA", "monitoring", "connected"),
                ("CustomerA", "audit", "connected"),
            ]
            (customer,) = body["customers"]
            assert customer["key_fingerprint"] == streamer.keys["CustomerA"].fingerprint
            assert customer["key_last_outcome"] == "valid"
            assert info.key not in text

            await sim.stop()  # outage
            await _until(lambda: not health.ready()[0])
            status, text = await _get(session, base + "/readyz")
            assert status == 503
            body = json.loads((await _get(session, base + "/status"))[1])
            assert body["subscriptions"][0]["last_error"] is not None
            assert info.key not in json.dumps(body)

            await sim.start("127.0.0.1", port)  # back on the same port
            await _until(lambda: health.ready()[0])
            assert (await _get(session, base + "/readyz"))[0] == 200
        finally:
            await streamer.stop()
            await health.stop()
            await sim.stop()


async def test_any_policy_is_ready_with_one_connected() -> None:
    sim = CentralSimulator(scale=EstateScale.small(), stats_interval=0.5, seed=4)
    info = sim.add_customer("CustomerA", topics=["monitoring"])
    await sim.start("127.0.0.1", 0)
    config = parse_config(
        {
            "central": {"base_url": sim.url},
            "customers": {"CustomerA": {"key": info.key, "topics": ["monitoring", "audit"]}},
        },
        source="test",
    )
    settings = defaults.every_topic(
        defaults.stream(backoff=defaults.backoff(initial=0.05, maximum=0.2, jitter=0.0))
    )
    streamer = Streamer(config, lambda sub, data, ns: None, settings=settings)
    health = HealthServer(streamer, ready_when="any")
    try:
        await streamer.start()
        await _until(lambda: health.ready()[0])
        assert health.ready() == (True, "1/2 subscriptions connected")  # audit: Unsubscribed Topic
        strict = HealthServer(streamer, ready_when=defaults.READY_WHEN)
        assert strict.ready() == (False, "1/2 subscriptions connected")
    finally:
        await streamer.stop()
        await sim.stop()
