"""The health endpoints of a running `central-otel run` (a subprocess) connected to the
simulator: readiness flips during a Central outage and back, `/status` explains why, and
a shard with nothing to serve is ready (so a StatefulSet rollout is not held up)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from central_otel.sharding import Shard
from central_otel.simulator import CentralSimulator, EstateScale
from tests.otlp_receiver import GrpcOtlpReceiver
from tests.process_support import BridgeProcess, until, write_config

TOPICS = ["monitoring", "audit"]


async def _readyz(bridge: BridgeProcess) -> tuple[int, str]:
    return await bridge.get("/readyz")


async def test_readiness_flips_during_an_outage_and_back(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    sim = CentralSimulator(scale=EstateScale.small(), stats_interval=0.3, seed=5)
    info = sim.add_customer("CustomerA", topics=TOPICS)
    await sim.start("127.0.0.1", 0)
    port = sim.port
    config = write_config(
        tmp_path / "config.yaml",
        base_url=sim.url,
        customers={"CustomerA": (info.key, TOPICS)},
        otlp_endpoint=otlp_grpc_receiver.endpoint,
    )
    bridge = BridgeProcess(config)
    try:
        await bridge.start()

        async def ready() -> bool:
            return await _readyz(bridge) == (200, "2/2 subscriptions connected\n")

        await until(ready, 30, "ready with both subscriptions")
        assert await bridge.get("/healthz") == (200, "ok\n")
        body = await bridge.status()
        assert body["ready"] is True
        assert [(s["customer"], s["topic"], s["state"]) for s in body["subscriptions"]] == [
            ("CustomerA", "monitoring", "connected"),
            ("CustomerA", "audit", "connected"),
        ]
        assert all(s["last_error"] is None for s in body["subscriptions"])

        await sim.stop()  # Central goes away: connections refused from now on

        async def not_ready() -> bool:
            return await _readyz(bridge) == (503, "0/2 subscriptions connected\n")

        await until(not_ready, 30, "not ready during the outage")
        assert await bridge.get("/healthz") == (200, "ok\n")  # alive: no restart wanted

        async def explained() -> dict[str, Any] | None:
            # First the server's close (1001, going away), then the refused reconnects.
            status = await bridge.status()
            errors = [s["last_error"] for s in status["subscriptions"]]
            return status if errors == ["connection refused"] * 2 else None

        outage = await until(explained, 30, "/status names the refused connections")
        assert outage is not None
        assert outage["ready"] is False
        assert all(s["state"] in ("waiting", "connecting") for s in outage["subscriptions"])
        assert all(s["reconnects"]["network"] >= 1 for s in outage["subscriptions"])

        await sim.start("127.0.0.1", port)  # back on the same port
        await until(ready, 30, "ready again after the outage")
        body = await bridge.status()
        assert body["ready"] is True
        assert info.key not in json.dumps(body)
        code, _ = await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()
    assert code == 0
    stderr = bridge.stderr
    assert info.key not in stderr
    assert "Traceback" not in stderr
    # Operators read which subscription lost its connection, and that it retries.
    url = f"ws://127.0.0.1:{port}/streaming/api"
    refused = f"customer 'CustomerA' topic monitoring: cannot connect to {url}: connection refused"
    assert refused in stderr


def _empty_shard(customer: str, topics: list[str], count: int) -> int:
    """A shard index that serves none of the customer's topics."""
    for index in range(count):
        if not any(Shard(index, count).serves(customer, topic) for topic in topics):
            return index
    raise AssertionError("every shard serves something")


async def test_a_shard_with_nothing_to_serve_is_ready(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    count = 8  # 2 subscriptions over 8 shards: at least 6 shards are empty
    index = _empty_shard("CustomerA", TOPICS, count)
    config = write_config(
        tmp_path / "config.yaml",
        base_url="http://127.0.0.1:9",  # never contacted: nothing to stream
        customers={"CustomerA": ("k" * 40, TOPICS)},
        otlp_endpoint=otlp_grpc_receiver.endpoint,
    )
    args = ["--shard-count", str(count), "--shard-index", str(index)]
    bridge = BridgeProcess(config, args=args)
    try:
        await bridge.start()

        async def ready() -> tuple[int, str] | None:
            answer = await _readyz(bridge)
            return answer if answer[0] == 200 else None

        assert await until(ready, 30, "an empty shard is ready") == (
            200,
            f"shard {index} of {count}: no subscription assigned to this shard\n",
        )
        body = await bridge.status()
        assert body["subscriptions"] == []
        code, _ = await bridge.stop()
    finally:
        await bridge.close()
    assert code == 0
    assert f"shard {index} of {count}: serving 0 of 2 subscriptions" in bridge.stderr
