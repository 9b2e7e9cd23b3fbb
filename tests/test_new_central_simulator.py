"""The built-in New Central simulator against the bridge's own streaming and decoding:
its token endpoint, every topic's CloudEvents from the simulated estate, the
event-types filter, token lifetime and 401 on expiry, refusals, drops and TLS."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import trustme

from central_otel.config import Config, parse_config
from central_otel.decoding import DecodeFailure
from central_otel.new_central.decoding import NewCentralFrame, decode_cloud_event
from central_otel.new_central.subscription import NewCentralSubscription
from central_otel.new_central.topics import NEW_CENTRAL_TOPIC_NAMES, NewCentralTopic
from central_otel.proto.new_central.ap_events_pb2 import APInfo
from central_otel.settings import new_central_stream_settings, streams_settings
from central_otel.simulator import EstateScale, TrafficProfile
from central_otel.simulator.new_central import NewCentralSimulator
from central_otel.streaming.streamer import Streamer
from central_otel.streaming.subscription import StreamState
from tests.central_fake import wait_for


def config_for(sim: NewCentralSimulator, name: str = "globex", **extra: object) -> Config:
    client = sim.customer(name)
    customer: dict[str, object] = {
        "platform": "new_central",
        "base_url": sim.url,
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "token_url": sim.token_url,
        "topics": list(client.topics),
        **extra,
    }
    document = {
        "customers": {name: customer},
        "streaming": {"reconnect": {"initial_delay": "100ms", "max_delay": "1s", "jitter": 0}},
    }
    return parse_config(document, source="test.yaml", environ={})


class Collected:
    def __init__(self) -> None:
        self.frames: list[NewCentralFrame] = []
        self.failures: list[DecodeFailure] = []

    def __call__(self, sub: NewCentralSubscription, data: bytes, _ns: int) -> None:
        result = decode_cloud_event(data, topic=sub.topic, customer=sub.customer)
        if isinstance(result, NewCentralFrame):
            self.frames.append(result)
        else:
            self.failures.append(result)

    def types(self) -> Counter[str]:
        return Counter(f"{f.topic.value}:{f.payload_type}" for f in self.frames)


def streamer(config: Config, collected: Collected) -> Streamer:
    return Streamer(
        config,
        lambda _s, _d, _n: None,
        on_new_central_frame=collected,
        settings=streams_settings(config.streaming),
        new_central_settings=new_central_stream_settings(config.streaming),
    )


@pytest.fixture
async def sim() -> AsyncIterator[NewCentralSimulator]:
    simulator = NewCentralSimulator(
        scale=EstateScale.small(), stats_interval=0.2, seed="nc", profile=TrafficProfile.busy()
    )
    simulator.add_customer("globex")
    await simulator.start()
    yield simulator
    await simulator.stop()


async def test_every_topic_streams_decodable_events_from_the_estate(
    sim: NewCentralSimulator,
) -> None:
    collected = Collected()
    bridge = streamer(config_for(sim), collected)
    await bridge.start()
    try:
        await wait_for(
            lambda: {f.topic.value for f in collected.frames} == set(NEW_CENTRAL_TOPIC_NAMES), 15
        )
    finally:
        await bridge.stop()
    assert collected.failures == []
    types = collected.types()
    estate = sim.world("globex").estate
    aps = {f.payload.serial_number for f in collected.frames if isinstance(f.payload, APInfo)}
    assert aps == {d.serial for d in estate.devices if type(d).__name__ == "AccessPoint"}
    for expected in (
        "ap-events:network_monitoring.ap.v1alpha1.APSystemStat",
        "ap-events:network_monitoring.ap.v1alpha1.RadioStat",
        "switch-events:network_monitoring.switch.v1.StreamSwitchMessage",
        "clients-events:network_monitoring.clients.v1.StreamClientMessage",
        "alert-events:network_notifications.alerts.v1.AlertStreamingMessage",
        "audit-trail-events:audittrail.AuditTrail",
        "location:network_services.location.v1alpha1.StreamLocationMessage",
        "geofence:network_services.geofence.v1alpha1.StreamGeofenceMessage",
        "rssi-events:network_services.location_analytics.v1alpha1.RssiEvent",
    ):
        assert types[expected] > 0, expected
    (request,) = sim.token_requests  # one token for the customer's eight streams
    assert request["auth"] == "basic"
    assert len(sim.streams) == 8


async def test_event_types_filter_is_honoured(sim: NewCentralSimulator) -> None:
    wanted = "com.hpe.greenlake.network-monitoring.v1alpha1.aps.stats.device"
    config = config_for(sim, topics=["ap-events"], event_types={"ap-events": [wanted]})
    collected = Collected()
    bridge = streamer(config, collected)
    await bridge.start()
    try:
        await wait_for(lambda: len(collected.frames) >= 4, 10)
    finally:
        await bridge.stop()
    assert {f.event_type for f in collected.frames} == {wanted}
    assert sim.streams[0].event_types == (wanted,)


async def test_token_lifetime_401_and_refusals(sim: NewCentralSimulator) -> None:
    sim.token_lifetime = 1.0
    config = config_for(sim, topics=["ap-events"])
    collected = Collected()
    bridge = streamer(config, collected)
    sim.refuse_next(403)
    await bridge.start()
    (sub,) = bridge.new_central_subscriptions
    try:
        # 403 first (classified, retried), then a stream closed at token expiry and
        # reopened at once with a new token.
        await wait_for(lambda: sub.stats.reconnects["token_expired"] >= 1, 10)
        await wait_for(lambda: sub.stats.state is StreamState.CONNECTED, 5)
        assert sub.stats.reconnects["http_error"] == 1
        assert [s.closed_by for s in sim.streams[:1]] == ["token_expired"]
        # Tokens expired early (a revoked client): 401, one renewal, back.
        sim.token_lifetime = 3600.0
        token = bridge.tokens["globex"]
        await wait_for(lambda: (token.expires_at or 0) - time.time() > 60, 10)
        # ... and the open stream uses it (the short one's stream ends at its expiry).
        await wait_for(lambda: sim.streams[-1].token_fingerprint == token.fingerprint, 10)
        await wait_for(lambda: sub.stats.state is StreamState.CONNECTED, 5)
        sim.expire_tokens()
        dropped = await sim.drop()
        assert dropped == 1
        await wait_for(lambda: sub.stats.reconnects["unauthorized"] >= 1, 10)
        await wait_for(lambda: sub.stats.state is StreamState.CONNECTED, 5)
    finally:
        await bridge.stop()
    assert sub.stats.reconnects["dropped"] == 1
    outcomes = Counter(r["outcome"] for r in sim.token_requests)
    assert outcomes["issued"] >= 3
    assert collected.failures == []


async def test_tls_and_rejected_credentials(tmp_path: Path) -> None:
    ca = trustme.CA()
    server_ssl = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ssl)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    simulator = NewCentralSimulator(stats_interval=0.2, seed="tls")
    simulator.add_customer("globex", topics=["switch-events"])
    await simulator.start(ssl_context=server_ssl)
    try:
        assert simulator.url.startswith("https://127.0.0.1:")
        config = config_for(simulator)
        document = {
            "central": {"ca_file": str(ca_file)},
            "customers": {
                "globex": {
                    "platform": "new_central",
                    "base_url": simulator.url,
                    "client_id": simulator.customer("globex").client_id,
                    "client_secret": simulator.customer("globex").client_secret,
                    "token_url": simulator.token_url,
                    "topics": ["switch-events"],
                }
            },
        }
        config = parse_config(document, source="tls.yaml", environ={})
        collected = Collected()
        bridge = streamer(config, collected)
        await bridge.start()
        try:
            await wait_for(lambda: len(collected.frames) >= 2, 10)
        finally:
            await bridge.stop()
        # Wrong secret over the same TLS endpoint: invalid_client, never a stream.
        async with aiohttp.ClientSession() as session:
            client_ssl = ssl.create_default_context(cafile=str(ca_file))
            async with session.post(
                simulator.token_url,
                data={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
                ssl=client_ssl,
            ) as response:
                assert response.status == 401
                assert await response.json() == {"error": "invalid_client"}
        assert simulator.token_requests[-1] == {
            "client_id": "x",
            "auth": "body",
            "outcome": "rejected",
        }
    finally:
        await simulator.stop()


async def test_both_platforms_from_one_estate() -> None:
    """A Classic and a New Central customer may share one simulated estate: the same
    devices, reported through both protocols."""
    from central_otel.simulator import CentralSimulator

    classic = CentralSimulator(scale=EstateScale.small(), stats_interval=0.2, seed=7)
    classic.add_customer("acme", topics=["monitoring"])
    simulator = NewCentralSimulator(stats_interval=0.2, seed="both")
    simulator.add_customer("acme-nc", topics=["ap-events"], world=classic.world("acme"))
    assert simulator.world("acme-nc") is classic.world("acme")
    await simulator.start()
    try:
        collected = Collected()
        bridge = streamer(config_for(simulator, "acme-nc"), collected)
        await bridge.start()
        try:
            await wait_for(
                lambda: any(f.payload_type.endswith("APInfo") for f in collected.frames), 10
            )
        finally:
            await bridge.stop()
        serials = {
            f.payload.serial_number for f in collected.frames if isinstance(f.payload, APInfo)
        }
        assert serials == {
            d.serial for d in classic.estate("acme").devices if type(d).__name__ == "AccessPoint"
        }
    finally:
        await simulator.stop()


def test_topic_names() -> None:
    assert [t.value for t in NewCentralTopic] == list(NEW_CENTRAL_TOPIC_NAMES)
    _ = asyncio  # the module's tests are async
