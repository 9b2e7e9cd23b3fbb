"""The Streamer against the built-in simulator on loopback: real sockets, real reconnects.

Backoff delays are asserted on what the policy asked for (`RecordingSleep`), not on
wall-clock waits; each test runs in well under a few seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import replace

import pytest

from central_otel.decoding import DecodeErrorKind
from central_otel.simulator import CentralSimulator, fingerprint
from central_otel.streaming.subscription import StreamState, Subscription
from central_otel.topics import TOPIC_NAMES
from tests.simulator_support import running
from tests.streaming_support import (
    CUSTOMER,
    NO_IDLE,
    TEST_STREAMING,
    make_config,
    streaming,
    until,
)


def live(sim: CentralSimulator, topic: str | None = None) -> int:
    """Open connections the simulator has not been told to drop."""
    return sum(1 for c in sim.open_connections(CUSTOMER, topic) if c.closed_by is None)


def connected(sub: Subscription) -> bool:
    return sub.stats.state is StreamState.CONNECTED


def closes(sim: CentralSimulator) -> list[tuple[str | None, int | None]]:
    return [(c.closed_by, c.close_code) for c in sim.connections]


async def test_handshake_headers_are_exact(sim: CentralSimulator) -> None:
    key = sim.customer(CUSTOMER).key
    config = make_config(sim, topics=("monitoring", "audit"), username="ops@example.com")
    async with streaming(sim, config):
        await until(lambda: live(sim) == 2)
    assert sorted(h.topic or "" for h in sim.handshakes) == ["audit", "monitoring"]
    for record in sim.handshakes:
        headers = record.headers
        assert record.status == 101
        # The simulator records Authorization as the fingerprint of the whole header
        # value: equal to the key's, so the raw key was sent, with no scheme.
        assert headers["Authorization"] == fingerprint(key)
        assert headers["Topic"] == record.topic
        assert headers["UserName"] == "ops@example.com"
        assert headers["Upgrade"] == "websocket"
        assert headers["Connection"] == "Upgrade"
        assert headers["Sec-WebSocket-Version"] == "13"
        assert headers["Host"] == f"127.0.0.1:{sim.port}"
        assert set(headers) == {
            "Host",
            "Authorization",
            "Topic",
            "UserName",
            "Upgrade",
            "Connection",
            "Sec-WebSocket-Version",
            "Sec-WebSocket-Key",
            "Accept",
            "Accept-Encoding",
            "User-Agent",
        }
    # One validation of the key at start, with the same raw key.
    assert [(v.key_fingerprint, v.status) for v in sim.validations] == [(fingerprint(key), 200)]

    async with streaming(sim, make_config(sim, topics=("presence",))):  # no username
        await until(lambda: live(sim) == 1)
    assert "UserName" not in sim.handshakes[-1].headers


async def test_reconnects_after_server_drops_with_growing_delays(
    sim: CentralSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="central_otel.streaming")
    async with streaming(sim, make_config(sim, topics=("presence",))) as h:
        sub = h.subscription("presence")
        for connects, abrupt in enumerate((False, True, False), start=1):
            await until(lambda: live(sim) == 1 and connected(sub))
            assert sub.stats.connects == connects
            assert await sim.drop_connections(CUSTOMER, abrupt=abrupt) == 1
            await until(lambda c=connects: sub.stats.connects == c + 1)  # type: ignore[misc]
        assert h.delays == [1.0, 2.0, 4.0]
        assert sub.stats.reconnects == Counter({"closed": 2, "dropped": 1})
        assert sub.stats.last_error == "Central closed the connection (code 1011)"
        assert len(h.frames()) > 0
    assert closes(sim) == [("drop", 1011), ("abrupt", 1006), ("drop", 1011), ("client", 1000)]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    prefix = "customer 'CustomerA' topic presence: "
    assert warnings == [
        f"{prefix}Central closed the connection (code 1011) after 0s; reconnecting in 1.0s",
        f"{prefix}connection dropped without a close frame after 0s; reconnecting in 2.0s",
        f"{prefix}Central closed the connection (code 1011) after 0s; reconnecting in 4.0s",
    ]


async def test_a_stable_connection_resets_the_delay(sim: CentralSimulator) -> None:
    policy = replace(TEST_STREAMING.reconnect, stable_after=0.3)
    config = make_config(
        sim, topics=("presence",), streaming=replace(TEST_STREAMING, reconnect=policy)
    )
    async with streaming(sim, config) as h:
        sub = h.subscription("presence")
        for connects, lasting in enumerate((0.0, 0.0, 0.4, 0.0), start=1):
            await until(lambda: live(sim) == 1 and connected(sub))
            if lasting:
                await asyncio.sleep(lasting)  # the Subscription's own (monotonic) clock
            await sim.drop_connections(CUSTOMER)
            await until(lambda c=connects: sub.stats.connects == c + 1)  # type: ignore[misc]
    # 1, 2, then a connection that lasted stable_after: back to 1, then 2.
    assert h.delays == [1.0, 2.0, 1.0, 2.0]


async def test_recovers_after_the_simulator_restarts_on_the_same_port(
    sim: CentralSimulator,
) -> None:
    config = make_config(sim, topics=("monitoring", "presence"))
    async with streaming(sim, config, sleep_cap=0.05) as h:
        subs = h.streamer.subscriptions
        await until(lambda: live(sim) == 2 and all(connected(s) for s in subs))
        port = sim.port
        await sim.stop()
        for sub in subs:
            await until(lambda s=sub: s.stats.state is StreamState.WAITING)  # type: ignore[misc]
            await until(lambda s=sub: s.stats.reconnects["network"] >= 2)  # type: ignore[misc]
            assert sub.stats.reconnects["closed"] == 1  # the simulator's 1001 on stop
            assert sub.stats.last_error is not None
            assert sub.stats.last_error == "connection refused"
        before = len(h.frames())
        await sim.start()
        assert sim.port == port
        await until(lambda: all(connected(s) and s.stats.connects == 2 for s in subs))
        await until(lambda: len(h.frames("presence")) > 0 and len(h.frames()) > before + 2)
    assert closes(sim) == [("stop", 1001)] * 2 + [("client", 1000)] * 2


async def test_unsubscribed_topic_is_surfaced(
    sim: CentralSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="central_otel.streaming")
    async with streaming(sim, make_config(sim, topics=("monitoring", "presence"))) as h:
        monitoring, presence = h.subscription("monitoring"), h.subscription("presence")
        await until(lambda: live(sim) == 2)
        sim.set_topics(CUSTOMER, ["monitoring"])  # presence unticked in Central's UI
        await sim.drop_connections(CUSTOMER, "presence")
        await until(lambda: len(h.delays) >= 4)
        assert presence.stats.reconnects["unsubscribed_topic"] >= 3
        assert presence.stats.last_error == "HTTP 400 Bad Request: Unsubscribed Topic"
        assert presence.stats.state is not StreamState.CONNECTED
        assert h.delays[:4] == [1.0, 64.0, 64.0, 64.0]  # after the drop; then the maximum
        assert monitoring.stats.connects == 1
        assert connected(monitoring)

        sim.set_topics(CUSTOMER, TOPIC_NAMES)  # ticked again
        await until(lambda: connected(presence) and presence.stats.connects == 2)
    refused = [h for h in sim.handshakes if h.status == 400]
    assert refused
    assert {h.reason for h in refused} == {"unsubscribed topic"}
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [  # once: the repeats are damped to DEBUG
        "customer 'CustomerA' topic presence: Central refused the subscription (HTTP 400 Bad "
        "Request: Unsubscribed Topic): the topic is not enabled for streaming; tick 'presence' "
        "under Organization > Platform Integration > Streaming in Central; retrying every 64s"
    ]
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert f"customer 'CustomerA' topic presence: connected to {sim.ws_url}" in infos


async def test_idle_watchdog_reopens_a_silent_stream(sim: CentralSimulator) -> None:
    idle = replace(NO_IDLE, presence=0.25)  # audit keeps no watchdog
    config = make_config(
        sim, topics=("presence", "audit"), streaming=replace(TEST_STREAMING, idle_timeout=idle)
    )
    async with streaming(sim, config) as h:
        presence, audit = h.subscription("presence"), h.subscription("audit")
        await until(lambda: live(sim) == 2 and presence.stats.frames > 0)
        sim.silence(0.6)  # sockets open, nothing sent, pings answered
        await until(lambda: presence.stats.reconnects["idle"] >= 1)
        assert presence.stats.last_error == "no frame for 0s (idle watchdog)"
        frames = presence.stats.frames
        await until(lambda: presence.stats.frames > frames, timeout=2)  # after the silence
        assert audit.stats.connects == 1
        assert audit.stats.reconnects == Counter()
    first_presence = next(c for c in sim.connections if c.topic == "presence")
    assert (first_presence.closed_by, first_presence.close_code) == ("client", 1000)


async def test_the_idle_watchdog_counts_frames_not_pongs(sim: CentralSimulator) -> None:
    # A Central that keeps the socket and answers pings but sends nothing is idle.
    streaming_settings = replace(
        TEST_STREAMING, heartbeat=0.2, idle_timeout=replace(NO_IDLE, presence=1.0)
    )
    config = make_config(sim, topics=("presence",), streaming=streaming_settings)
    async with streaming(sim, config) as h:
        presence = h.subscription("presence")
        await until(lambda: live(sim) == 1 and presence.stats.frames > 0)
        sim.silence(3.0)  # pings answered every 0.2 s meanwhile
        await until(lambda: presence.stats.reconnects["idle"] >= 1)
        assert presence.stats.last_error == "no frame for 1s (idle watchdog)"
        assert presence.stats.reconnects == Counter({"idle": 1})


async def test_pings_go_out_every_heartbeat_while_frames_flow(sim: CentralSimulator) -> None:
    # As New Central's SDK does: a ping every interval, not only when Central is quiet.
    config = make_config(
        sim, topics=("monitoring",), streaming=replace(TEST_STREAMING, heartbeat=0.2)
    )
    async with streaming(sim, config) as h:
        monitoring = h.subscription("monitoring")
        await until(lambda: connected(monitoring) and monitoring.stats.frames > 0)
        (record,) = sim.connections
        frames, pings = monitoring.stats.frames, record.pings_received
        await asyncio.sleep(1.0)
        frames, pings = monitoring.stats.frames - frames, record.pings_received - pings
    assert frames >= 10  # a frame every 0.05 s: never 0.2 s without one
    assert 4 <= pings <= 6
    assert monitoring.stats.reconnects == Counter()


async def test_centrals_pings_are_answered() -> None:
    # Central pings every 0.2 s and drops a client that does not answer within 0.1 s.
    async with running(heartbeat=0.2) as sim:
        config = make_config(sim, topics=("audit",))
        async with streaming(sim, config) as h:
            audit = h.subscription("audit")
            await until(lambda: connected(audit))
            await asyncio.sleep(1.5)
            assert (audit.stats.connects, audit.stats.reconnects) == (1, Counter())
    assert [c.closed_by for c in sim.connections] == ["client"]


async def test_heartbeat_detects_a_dead_peer(sim: CentralSimulator) -> None:
    config = make_config(sim, topics=("audit",), streaming=replace(TEST_STREAMING, heartbeat=0.2))
    async with streaming(sim, config) as h:
        audit = h.subscription("audit")
        await until(lambda: live(sim) == 1 and connected(audit))
        sim.silence(0.5, pongs=False)  # no frames and no pongs: a dead peer
        await until(lambda: audit.stats.reconnects["heartbeat"] >= 1)
        assert audit.stats.last_error == "no answer to a heartbeat ping within 0.1s"
        await until(lambda: connected(audit) and audit.stats.connects >= 2)
        assert h.delays[0] == 1.0


async def test_garbage_is_delivered_and_oversized_is_counted(sim: CentralSimulator) -> None:
    config = make_config(
        sim, topics=("presence",), streaming=replace(TEST_STREAMING, max_msg_size=64 * 1024)
    )
    async with streaming(sim, config) as h:
        sub = h.subscription("presence")
        await until(lambda: live(sim) == 1 and sub.stats.frames > 0)
        assert await sim.send_garbage(CUSTOMER, "presence", size=100) == 1
        await until(lambda: h.decode_failures[DecodeErrorKind.BAD_ENVELOPE] == 1)
        assert sub.stats.handler_errors == 0

        assert await sim.send_oversized(CUSTOMER, "presence", 100_000) == 1
        await until(lambda: sub.stats.oversized_frames == 1 and sub.stats.connects == 2)
        frames = sub.stats.frames
        await until(lambda: sub.stats.frames > frames + 2)  # the stream recovered
        assert sub.stats.reconnects == Counter({"oversized_frame": 1})
        assert sub.stats.last_error == (
            "a frame exceeded max_msg_size (65536 bytes) and was dropped"
        )
        assert h.delays == [1.0]
    assert all(len(frame) < 100_000 for frame in h.frames())  # never delivered
    assert h.decode_failures == Counter({DecodeErrorKind.BAD_ENVELOPE: 1})
    assert sim.connections[0].oversized_frames == 1
    assert sim.connections[0].closed_by == "client"


async def test_stop_closes_every_connection_with_1000(sim: CentralSimulator) -> None:
    async with streaming(sim, make_config(sim, topics=TOPIC_NAMES)) as h:
        subs = h.streamer.subscriptions
        await until(lambda: live(sim) == 6 and all(connected(s) for s in subs))
        started = time.monotonic()
        await h.streamer.stop()
        # One close handshake per socket, concurrently: well within close_timeout (1s).
        assert time.monotonic() - started < TEST_STREAMING.close_timeout + 0.5
        assert all(s.stats.state is StreamState.STOPPED for s in subs)
    await sim.wait_closed(timeout=1.0)
    assert closes(sim) == [("client", 1000)] * 6
