"""The reconnect policy against a real aiohttp WebSocket server on loopback."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from central_otel.secret import Secret
from central_otel.streaming.backoff import Backoff, BackoffPolicy
from central_otel.streaming.keys import CustomerKey, validate_key
from central_otel.streaming.sessions import open_sessions
from central_otel.streaming.subscription import StreamRuntime, StreamState, Subscription
from central_otel.streaming.transport import handshake_trace
from central_otel.topics import Topic
from tests import defaults
from tests.central_fake import FakeCentral, drop_after, run_until, wait_for

KEY = "K3y-0ld-ab12cd34ef56"
NEW_KEY = "K3y-n3w-99887766aa"
POLICY = BackoffPolicy(initial=1.0, maximum=64.0, multiplier=2.0, jitter=0.0, stable_after=3600)

ServerFactory = Callable[[web.Application], Awaitable[TestServer]]


@dataclass
class Harness:
    central: FakeCentral
    server: TestServer
    session: aiohttp.ClientSession
    rest: aiohttp.ClientSession
    delays: list[float] = field(default_factory=list)
    frames: list[bytes] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)

    def subscription(
        self,
        key: CustomerKey,
        *,
        idle: float | None = None,
        max_msg: int = 1 << 20,
        url: str | None = None,
        connect_timeout: float = 5.0,
        session: aiohttp.ClientSession | None = None,
    ) -> Subscription:
        """A subscription to the fake Central (or to `url`), over the harness's session
        (or `session`)."""
        return Subscription(
            customer="CustomerA",
            topic=Topic.MONITORING,
            url=url or str(self.server.make_url("/streaming/api")),
            username="ops@example.com",
            key=key,
            settings=defaults.stream(
                transport=defaults.transport(
                    heartbeat=5.0, connect_timeout=connect_timeout, max_msg_size=max_msg
                ),
                backoff=POLICY,
                idle_timeout=idle,
            ),
            on_frame=lambda _sub, data, _ns: self.frames.append(data),
            runtime=StreamRuntime(
                session=session or self.session, ssl_setting=False, sleep=self.sleep
            ),
            backoff=Backoff(POLICY),
        )

    def key(self, value: str = KEY) -> CustomerKey:
        url = str(self.server.make_url("/streaming/token/validate"))
        return defaults.customer_key(
            "CustomerA",
            Secret(value),
            partial(
                validate_key,
                self.rest,
                url,
                ssl_setting=False,
                timeout=defaults.CONNECT_TIMEOUT,
            ),
        )


@pytest.fixture
async def harness(aiohttp_server: ServerFactory) -> AsyncIterator[Harness]:
    central = FakeCentral(valid_keys={KEY})
    server = await aiohttp_server(central.app())
    sessions = open_sessions()
    try:
        yield Harness(central, server, sessions.streams, sessions.rest)
    finally:
        await sessions.close()


async def test_handshake_headers_are_exact(harness: Harness) -> None:
    harness.central.stream = partial(drop_after, 1)
    sub = harness.subscription(harness.key())
    await run_until(sub, lambda: len(harness.frames) >= 1)
    headers = harness.central.handshakes[0]
    assert headers["Authorization"] == KEY  # raw key, no scheme
    assert headers["Topic"] == "monitoring"
    assert headers["UserName"] == "ops@example.com"
    assert headers["Upgrade"].lower() == "websocket"


async def test_reconnects_after_drops_with_growing_delays(harness: Harness) -> None:
    harness.central.stream = partial(drop_after, 2)
    sub = harness.subscription(harness.key())
    await run_until(sub, lambda: len(harness.central.handshakes) >= 5)
    assert harness.delays[:4] == [1.0, 2.0, 4.0, 8.0]
    assert harness.frames[:4] == [b"\x00", b"\x01", b"\x00", b"\x01"]
    assert sub.stats.reconnects["closed"] >= 4
    assert sub.stats.last_error == "Central closed the connection (code 1001)"
    assert sub.stats.state is StreamState.STOPPED


async def test_401_fetches_the_renewed_key_and_retries_at_once(harness: Harness) -> None:
    central = harness.central
    central.valid_keys = {NEW_KEY}
    central.renewed = {KEY: NEW_KEY}
    central.stream = partial(drop_after, 1)
    key = harness.key()  # not started: the configured (stale) key goes first
    sub = harness.subscription(key)
    await run_until(sub, lambda: len(harness.frames) >= 1)
    assert [h["Authorization"] for h in central.handshakes[:2]] == [KEY, NEW_KEY]
    assert central.validations == [KEY]
    assert harness.delays == [] or harness.delays[0] == 1.0  # no wait before the retry
    assert sub.stats.reconnects["unauthorized"] == 1
    assert key.current == Secret(NEW_KEY)


async def test_revoked_key_waits_maximum_and_does_not_hammer(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.central.valid_keys = set()
    sub = harness.subscription(harness.key())
    caplog.set_level(logging.DEBUG)
    await run_until(sub, lambda: len(harness.central.handshakes) >= 4)
    assert harness.delays[:3] == [64.0, 64.0, 64.0]
    assert len(harness.central.validations) == 1  # min_interval coalesces the 401 loop
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors[-1] == (
        f"customer 'CustomerA' topic monitoring: Central refused key {Secret(KEY).fingerprint} "
        "(HTTP 401); the validate endpoint rejects it too: the key is wrong or revoked; "
        "retrying every 64s"
    )
    assert KEY not in caplog.text


async def test_unsubscribed_topic_body_is_surfaced(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    harness.central.refuse = [web.Response(status=400, text="Unsubscribed Topic") for _ in range(3)]
    harness.central.stream = partial(drop_after, 1)
    sub = harness.subscription(harness.key())
    await run_until(sub, lambda: len(harness.frames) >= 1)
    assert harness.delays[:3] == [64.0, 64.0, 64.0]
    assert sub.stats.reconnects["unsubscribed_topic"] == 3
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert loud == [
        "customer 'CustomerA' topic monitoring: Central refused the subscription (HTTP 400 Bad "
        "Request: Unsubscribed Topic): the topic is not enabled for streaming; tick 'monitoring' "
        "under Organization > Platform Integration > Streaming in Central; retrying every 64s"
    ]  # the two repeats are damped to DEBUG
    assert any(
        r.getMessage().endswith("connected to " + str(harness.server.make_url("/streaming/api")))
        for r in caplog.records
    )


async def test_other_4xx_and_5xx(harness: Harness) -> None:
    harness.central.refuse = [web.Response(status=403, text="Forbidden"), web.Response(status=503)]
    harness.central.stream = partial(drop_after, 1)
    sub = harness.subscription(harness.key())
    await run_until(sub, lambda: len(harness.frames) >= 1)
    assert harness.delays[:2] == [64.0, 2.0]  # 4xx: maximum; 5xx: normal backoff
    assert sub.stats.reconnects["http_error"] == 2


async def test_idle_watchdog_reconnects(harness: Harness) -> None:
    sub = harness.subscription(harness.key(), idle=0.2)
    await run_until(sub, lambda: len(harness.central.handshakes) >= 2)
    assert sub.stats.reconnects["idle"] >= 1
    assert sub.stats.last_error == "no frame for 0s (idle watchdog)"


async def test_oversized_frame_is_counted_and_stream_recovers(harness: Harness) -> None:
    async def big_then_small(request: web.Request, ws: web.WebSocketResponse) -> None:
        if len(harness.central.handshakes) == 1:
            await ws.send_bytes(b"x" * 5000)
        else:
            await ws.send_bytes(b"ok")

    harness.central.stream = big_then_small
    sub = harness.subscription(harness.key(), max_msg=4096)
    await run_until(sub, lambda: harness.frames == [b"ok"])
    assert sub.stats.oversized_frames == 1
    assert sub.stats.reconnects["oversized_frame"] == 1


async def test_stop_closes_cleanly_with_1000(harness: Harness) -> None:
    sub = harness.subscription(harness.key())
    task = asyncio.create_task(sub.run())
    await wait_for(lambda: len(harness.central.open_sockets) == 1)
    await sub.stop()
    await asyncio.wait_for(task, 5)
    await wait_for(lambda: harness.central.close_codes == [1000])


async def test_connection_refused_keeps_the_real_cause(
    harness: Harness, unused_tcp_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}/streaming/api"
    sub = harness.subscription(harness.key(), url=url)
    await run_until(sub, lambda: len(harness.delays) >= 3)
    assert harness.delays[:3] == [1.0, 2.0, 4.0]
    assert sub.stats.reconnects["network"] >= 3
    assert sub.stats.last_error is not None
    assert sub.stats.last_error == "connection refused"
    first = next(r for r in caplog.records if r.levelno == logging.WARNING)
    url = f"http://127.0.0.1:{unused_tcp_port}/streaming/api"
    assert first.getMessage() == (
        f"customer 'CustomerA' topic monitoring: cannot connect to {url}: connection refused;"
        " retrying in 1s"
    )


async def test_key_rotation_mid_stream_loses_no_frame(harness: Harness) -> None:
    central = harness.central
    sent: list[int] = []

    async def numbered(request: web.Request, ws: web.WebSocketResponse) -> None:
        while not ws.closed:
            # One sequence shared by every open socket, as Central fans frames out.
            if ws is central.open_sockets[-1]:
                seq = len(sent)
                sent.append(seq)
                for sock in list(central.open_sockets):
                    if not sock.closed:
                        await sock.send_bytes(seq.to_bytes(4, "big"))
            await asyncio.sleep(0.005)

    central.stream = numbered
    key = harness.key()
    sub = harness.subscription(key)
    task = asyncio.create_task(sub.run())
    await wait_for(lambda: len(harness.frames) >= 20)
    central.valid_keys.add(NEW_KEY)
    central.renewed[KEY] = NEW_KEY
    await key.check("scheduled")
    await wait_for(lambda: len(central.handshakes) == 2 and len(harness.frames) >= len(sent) > 60)
    await sub.stop()
    await asyncio.wait_for(task, 5)
    received = sorted({int.from_bytes(f, "big") for f in harness.frames})
    assert received == list(range(received[-1] + 1))  # no gap across the switch
    assert central.handshakes[1]["Authorization"] == NEW_KEY
    # Both sockets, the old key's and the new key's, were closed cleanly by the client.
    await wait_for(lambda: [ws.close_code for ws in central.all_sockets] == [1000, 1000])


async def test_connect_timeout_is_a_network_failure(harness: Harness) -> None:
    # A peer that accepts TCP and never answers the upgrade.
    server = await asyncio.start_server(lambda _r, _w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}/streaming/api"
    sub = harness.subscription(harness.key(), url=url, connect_timeout=0.1)
    try:
        await run_until(sub, lambda: len(harness.delays) >= 2)
    finally:
        server.close()
    assert harness.delays[:2] == [1.0, 2.0]
    assert sub.stats.reconnects["network"] >= 2
    assert sub.stats.last_error == "no answer within 0.1s"


async def test_stop_during_an_unanswered_handshake_gives_it_up_at_once(
    harness: Harness, aiohttp_server: ServerFactory
) -> None:
    arrived = asyncio.Event()
    client_gone: list[bool] = []

    async def slow_upgrade(request: web.Request) -> web.StreamResponse:
        arrived.set()
        try:
            await asyncio.sleep(0.5)  # stop() comes meanwhile: Central has not answered
        except asyncio.CancelledError:  # the server saw the client go
            client_gone.append(True)
            raise
        transport = request.transport
        client_gone.append(transport is None or transport.is_closing())
        return web.Response(status=503)

    app = web.Application()
    app.router.add_get("/streaming/api", slow_upgrade)
    server = await aiohttp_server(app)
    sub = harness.subscription(harness.key(), url=str(server.make_url("/streaming/api")))
    task = asyncio.create_task(sub.run())
    await asyncio.wait_for(arrived.wait(), 5)
    await sub.stop()
    # Ends long before Central's answer: nothing to close, no WebSocket exists yet.
    await asyncio.wait_for(task, 0.4)
    assert not task.cancelled()
    await wait_for(lambda: client_gone == [True])
    assert sub.stats.state is StreamState.STOPPED
    assert (sub.stats.connects, sub.stats.reconnects, sub.stats.last_error) == (0, {}, None)


async def test_stop_once_central_answered_closes_the_new_connection_with_1000(
    harness: Harness, aiohttp_server: ServerFactory
) -> None:
    close_codes: list[int | None] = []

    async def upgrade(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for _ in ws:
            pass
        close_codes.append(ws.close_code)
        return ws

    app = web.Application()
    app.router.add_get("/streaming/api", upgrade)
    server = await aiohttp_server(app)
    subs: list[Subscription] = []

    # stop() comes the moment Central's 101 arrives, before ws_connect returns.
    async def stop_on_answer(*_: object) -> None:
        await subs[0].stop()

    stopper = aiohttp.TraceConfig()
    stopper.on_request_end.append(stop_on_answer)
    async with aiohttp.ClientSession(trace_configs=[handshake_trace(), stopper]) as session:
        url = str(server.make_url("/streaming/api"))
        sub = harness.subscription(harness.key(), url=url, session=session)
        subs.append(sub)
        task = asyncio.create_task(sub.run())
        await asyncio.wait_for(task, 5)  # ends by itself: no cancel needed
        await wait_for(lambda: close_codes == [1000])
    assert sub.stats.state is StreamState.STOPPED
    assert sub.stats.connects == 0


async def test_a_delivered_frame_is_not_held_while_the_next_is_awaited(harness: Harness) -> None:
    """Between frames, the stream's coroutines keep nothing of the last one: a frame can
    be as large as max_msg_size, and hundreds of subscriptions wait between frames."""
    sent = bytes(range(256)) * 256  # 64 KiB

    async def one_frame_then_quiet(_request: web.Request, ws: web.WebSocketResponse) -> None:
        await ws.send_bytes(sent)
        await asyncio.sleep(30)

    harness.central.stream = one_frame_then_quiet
    sub = harness.subscription(harness.key())
    task = asyncio.create_task(sub.run())
    try:
        await wait_for(lambda: len(harness.frames) == 1)
        await asyncio.sleep(0.05)  # the stream back in its receive, awaiting the next
        (frame,) = harness.frames
        assert frame == sent
        direct = [r for r in gc.get_referrers(frame) if r is not harness.frames]
        via_messages = [
            r
            for message in direct
            if isinstance(message, aiohttp.WSMessage)
            for r in gc.get_referrers(message)
            if r is not direct
        ]
        assert [type(r).__name__ for r in direct + via_messages] == []
    finally:
        await sub.stop()
        await asyncio.wait_for(task, 5)
