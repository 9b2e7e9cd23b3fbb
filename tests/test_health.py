"""Health endpoints on a real port, with streams to the simulator, through an outage."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import aiohttp
from opentelemetry.sdk.metrics import MeterProvider

from central_otel.config import parse_config
from central_otel.health import HealthServer, LoopMonitor, credential_in_trouble
from central_otel.pipeline.app import Bridge
from central_otel.settings import bridge_settings
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from central_otel.streaming.streamer import Streamer
from central_otel.streaming.subscription import StreamState
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
            key = streamer.keys["CustomerA"]
            # The streams do not wait for the key's first validation: wait for both.
            await _until(lambda: health.ready()[0] and key.last_outcome is not None)
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


async def test_status_summary_view_and_customer_filter_at_several_customers() -> None:
    sim = CentralSimulator(
        scale=EstateScale.small(), stats_interval=60.0, seed=6, profile=TrafficProfile.quiet()
    )
    keys = {name: sim.add_customer(name).key for name in ("A", "B", "C")}
    sim.revoke_key("C")
    await sim.start("127.0.0.1", 0)
    topics = {"A": ["monitoring", "audit"], "B": ["monitoring"], "C": ["monitoring"]}
    config = parse_config(
        {
            "central": {"base_url": sim.url},
            "customers": {n: {"key": keys[n], "topics": topics[n]} for n in topics},
            "health": {"listen": "127.0.0.1:0"},
        },
        source="test",
    )
    bridge = Bridge(bridge_settings(config), MeterProvider().get_meter("test"))
    stores = bridge.ingest.stores
    try:
        await bridge.start()
        assert bridge.health is not None
        base = f"http://127.0.0.1:{bridge.health.port}/status"
        rejected = bridge.streamer.keys["C"]
        await _until(
            lambda: (
                all(
                    s.stats.state
                    is (StreamState.WAITING if s.customer == "C" else StreamState.CONNECTED)
                    for s in bridge.streamer.subscriptions
                )
                and rejected.last_outcome is not None
                and bool(stores["A"].counts())
                and bool(stores["B"].counts())
            )
        )
        async with aiohttp.ClientSession() as session:
            full = json.loads((await _get(session, base))[1])
            summary = json.loads((await _get(session, base + "?view=summary"))[1])
            only_a = json.loads((await _get(session, base + "?customer=A"))[1])
            only_a_summary = json.loads((await _get(session, base + "?customer=A&view=summary"))[1])
            unknown = await _get(session, base + "?customer=Nobody")
            bad_view = await _get(session, base + "?view=compact")
        key_ok = bridge.streamer.keys["A"].fingerprint
    finally:
        await bridge.stop()
        await sim.stop()
    _check_full_and_summary(full, summary)
    _check_one_customer(only_a, only_a_summary, full, key_ok)
    assert (unknown[0], json.loads(unknown[1])) == (
        404,
        {"error": "no subscription of customer 'Nobody' here"},
    )
    assert (bad_view[0], json.loads(bad_view[1])) == (
        400,
        {"error": "unknown view 'compact' (expected one of full, summary)"},
    )
    for body in (full, summary, only_a):
        assert all(key not in json.dumps(body) for key in keys.values())


def _check_full_and_summary(full: dict[str, Any], summary: dict[str, Any]) -> None:
    # The full view: every subscription and customer, as before, plus the states.
    assert list(full)[:7] == [
        "ready", "summary", "event_loop_lag_seconds", "event_loop_max_lag_seconds", "states",
        "subscriptions", "customers",
    ]  # fmt: skip
    assert (full["ready"], full["summary"]) == (False, "3/4 subscriptions connected")
    assert full["states"] == {"connected": 3, "waiting": 1}
    assert [(s["customer"], s["topic"]) for s in full["subscriptions"]] == [
        ("A", "monitoring"), ("A", "audit"), ("B", "monitoring"), ("C", "monitoring")
    ]  # fmt: skip
    assert [c["customer"] for c in full["customers"]] == ["A", "B", "C"]
    assert set(full["entities"]) == {"A", "B", "C"}
    assert full["entities"]["C"] == {}

    # The summary: counts, and only what needs a look.
    assert (summary["ready"], summary["summary"]) == (False, "3/4 subscriptions connected")
    assert summary["states"] == {"connected": 3, "waiting": 1}
    assert summary["reconnects"] == {"unauthorized": 1}
    (stream,) = summary["subscriptions"]
    assert (stream["customer"], stream["topic"], stream["state"]) == ("C", "monitoring", "waiting")
    assert stream["last_error"] == "HTTP 401 Unauthorized: Unauthorized"
    (customer,) = summary["customers"]
    assert (customer["customer"], customer["key_last_outcome"]) == ("C", "rejected")
    assert "entities" not in summary
    totals = {
        cls: full["entities"]["A"].get(cls, 0) + full["entities"]["B"].get(cls, 0)
        for cls in {*full["entities"]["A"], *full["entities"]["B"]}
    }
    assert summary["entities_total"] == totals
    assert summary["entities_dropped_total"] == {}
    assert summary["frames_decoded"]["monitoring"] >= 2


def _check_one_customer(
    only_a: dict[str, Any], only_a_summary: dict[str, Any], full: dict[str, Any], key_ok: str
) -> None:
    # One customer: its rows only; readiness stays the process's.
    assert (only_a["ready"], only_a["summary"]) == (False, "3/4 subscriptions connected")
    assert only_a["states"] == {"connected": 2}
    assert [(s["customer"], s["topic"]) for s in only_a["subscriptions"]] == [
        ("A", "monitoring"), ("A", "audit")
    ]  # fmt: skip
    assert [(c["customer"], c["key_fingerprint"]) for c in only_a["customers"]] == [("A", key_ok)]
    assert list(only_a["entities"]) == ["A"]
    assert only_a["entities"]["A"] == full["entities"]["A"]
    assert (only_a_summary["subscriptions"], only_a_summary["customers"]) == ([], [])
    assert only_a_summary["entities_total"] == full["entities"]["A"]


def test_the_summary_names_keys_and_tokens_in_trouble() -> None:
    classic = {"key_last_outcome": "valid"}
    token = {"token_last_outcome": "issued"}
    assert not credential_in_trouble(classic)
    assert not credential_in_trouble({"key_last_outcome": "renewed"})
    assert not credential_in_trouble({"key_last_outcome": None})  # not validated yet
    assert credential_in_trouble({"key_last_outcome": "rejected"})
    assert credential_in_trouble({"key_last_outcome": "failed"})
    assert not credential_in_trouble(token)
    assert not credential_in_trouble({"token_last_outcome": None})  # none asked for yet
    assert credential_in_trouble({"token_last_outcome": "rejected"})
    assert credential_in_trouble({"token_last_outcome": "failed"})
