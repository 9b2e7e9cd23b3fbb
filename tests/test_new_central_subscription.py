"""New Central streams against a real aiohttp server on loopback: the Bearer handshake
and the event-types filter, 401 with single-flight renewal, the classified refusals
(403, 404, 429, 5xx, rejected credentials) and the reconnect at token expiry."""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
import trustme
from aiohttp import web
from aiohttp.test_utils import TestServer

from central_otel.config import parse_config
from central_otel.new_central.subscription import NewCentralSubscription, stream_url
from central_otel.new_central.token import CustomerToken, request_token
from central_otel.new_central.topics import PATHS, NewCentralTopic
from central_otel.secret import Secret
from central_otel.settings import new_central_stream_settings, streams_settings
from central_otel.streaming.backoff import Backoff, BackoffPolicy
from central_otel.streaming.sessions import open_sessions
from central_otel.streaming.streamer import Streamer
from central_otel.streaming.subscription import StreamRuntime, StreamState
from tests import defaults
from tests.central_fake import run_until, wait_for
from tests.new_central_fake import CLIENT_ID, CLIENT_SECRET, TOKEN_PATH, FakeNewCentral

POLICY = BackoffPolicy(initial=1.0, maximum=64.0, multiplier=2.0, jitter=0.0, stable_after=3600)
AUDIT_TYPE = "com.hpe.greenlake.network-services.v1alpha1.audit-trail.device-monitoring"

ServerFactory = Callable[[web.Application], Awaitable[TestServer]]


@dataclass
class Harness:
    central: FakeNewCentral
    server: TestServer
    session: aiohttp.ClientSession
    delays: list[float] = field(default_factory=list)
    frames: list[tuple[str, bytes]] = field(default_factory=list)
    token: CustomerToken | None = None

    async def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)

    def make_token(self, secret: str = CLIENT_SECRET) -> CustomerToken:
        url = str(self.server.make_url(TOKEN_PATH))
        self.token = CustomerToken(
            "globex",
            lambda auth: request_token(
                self.session,
                url,
                CLIENT_ID,
                Secret(secret),
                auth,
                ssl_setting=False,
                timeout=defaults.CONNECT_TIMEOUT,
            ),
            backoff=POLICY,
            token_url=url,
        )
        return self.token

    def subscription(
        self, topic: NewCentralTopic = NewCentralTopic.AP_EVENTS, event_types: tuple[str, ...] = ()
    ) -> NewCentralSubscription:
        token = self.token or self.make_token()
        base = str(self.server.make_url("/")).replace("http://", "ws://").rstrip("/")

        return NewCentralSubscription(
            customer="globex",
            topic=topic,
            url=stream_url(base + PATHS[topic], event_types),
            token=token,
            settings=defaults.stream(
                transport=defaults.transport(
                    heartbeat=10.0, connect_timeout=5.0, max_msg_size=1 << 20, close_timeout=1.0
                ),
                backoff=POLICY,
            ),
            on_frame=lambda sub, data, _ns: self.frames.append((sub.topic.value, data)),
            runtime=StreamRuntime(session=self.session, ssl_setting=False, sleep=self.sleep),
            backoff=Backoff(POLICY),
        )


@pytest.fixture
async def harness(aiohttp_server: ServerFactory) -> AsyncIterator[Harness]:
    central = FakeNewCentral()
    server = await aiohttp_server(central.app())
    sessions = open_sessions()
    try:
        yield Harness(central, server, sessions.streams)
    finally:
        await sessions.close()


async def send_frames(request: web.Request, ws: web.WebSocketResponse) -> None:
    await ws.send_bytes(b"frame-1")
    await ws.send_bytes(b"frame-2")


async def test_bearer_handshake_and_event_types_filter(harness: Harness) -> None:
    harness.central.stream = send_frames
    sub = harness.subscription(
        NewCentralTopic.AUDIT_TRAIL_EVENTS, (AUDIT_TYPE, "com.example.second")
    )
    await run_until(sub, lambda: len(harness.frames) == 2)
    (handshake,) = harness.central.handshakes
    assert handshake.path == "/network-services/v1alpha1/audit-trail-events"
    assert handshake.query == f"event-types={AUDIT_TYPE}%2Ccom.example.second"
    assert handshake.authorization == "Bearer nc-token-001-abcdef"
    assert "Topic" not in handshake.headers
    assert "UserName" not in handshake.headers
    assert harness.frames == [
        ("audit-trail-events", b"frame-1"),
        ("audit-trail-events", b"frame-2"),
    ]
    assert sub.stats.state is StreamState.STOPPED
    assert harness.central.token_requests[0]["grant_type"] == "client_credentials"


async def test_401_renews_once_for_every_topic(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    token = harness.make_token()
    await token.get()
    token.issued_at = (token.issued_at or 0) - 3600  # not a fresh token: worth renewing
    harness.central.revoke()  # Central no longer accepts it: every handshake gets 401
    harness.central.token_delay = 0.2
    subs = [harness.subscription(t) for t in list(NewCentralTopic)[:4]]
    tasks = [asyncio.create_task(s.run()) for s in subs]
    with caplog.at_level(logging.INFO):
        try:
            await wait_for(lambda: all(s.stats.state is StreamState.CONNECTED for s in subs))
        finally:
            await asyncio.gather(*(s.stop() for s in subs))
            await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert len(harness.central.token_requests) == 2  # the first token and ONE renewal
    refused = [h for h in harness.central.handshakes if h.authorization.endswith("001-abcdef")]
    renewed = [h for h in harness.central.handshakes if h.authorization.endswith("002-abcdef")]
    assert (len(refused), len(renewed)) == (4, 4)
    assert harness.delays == []  # reconnected at once
    assert [s.stats.reconnects["unauthorized"] for s in subs] == [1, 1, 1, 1]
    assert caplog.text.count("access token refused (HTTP 401); retrying at once") == 4
    assert "nc-token-00" not in caplog.text


async def test_a_renewed_token_refused_again_waits_instead_of_looping(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    # The first 401 renews; the token renewed for it is refused too: another renewal
    # would be refused the same way, so the stream waits.
    harness.central.refuse = [web.Response(status=401) for _ in range(3)]
    sub = harness.subscription()
    with caplog.at_level(logging.WARNING):
        await run_until(sub, lambda: sub.stats.state is StreamState.CONNECTED)
    assert harness.delays == [64.0, 64.0]
    assert len(harness.central.token_requests) == 2
    assert sub.stats.reconnects["unauthorized"] == 3
    assert "Central refused a fresh access token (HTTP 401)" in caplog.text


@pytest.mark.parametrize(
    ("status", "delays", "line"),
    [
        (
            403,
            [64.0],
            "Central refused the subscription (HTTP 403 Forbidden): streaming needs devices "
            "with an Advanced subscription (licence) and an API client whose role may read "
            "ap-events; retrying every 64s",
        ),
        (429, [1.0], "Central is limiting requests (HTTP 429 Too Many Requests); retrying in 1s"),
        (
            503,
            [1.0],
            "Central refused the connection (HTTP 503 Service Unavailable); retrying in 1s",
        ),
    ],
)
async def test_refusals_are_classified_and_retried(
    harness: Harness,
    caplog: pytest.LogCaptureFixture,
    status: int,
    delays: list[float],
    line: str,
) -> None:
    harness.central.refuse = [web.Response(status=status)]
    sub = harness.subscription()
    with caplog.at_level(logging.WARNING):
        await run_until(sub, lambda: sub.stats.state is StreamState.CONNECTED)
    assert harness.delays == delays
    assert sub.stats.reconnects["http_error"] == 1
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        f"customer 'globex' topic ap-events: {line}"
    ]


async def test_404_names_the_topic_and_the_url(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.central.refuse = [web.Response(status=404)]
    sub = harness.subscription(NewCentralTopic.SWITCH_EVENTS)
    with caplog.at_level(logging.ERROR):
        await run_until(sub, lambda: sub.stats.state is StreamState.CONNECTED)
    url = sub.url
    assert url.endswith("/network-monitoring/v1/switch-events")
    assert [r.getMessage() for r in caplog.records] == [
        f"customer 'globex' topic switch-events: Central has no topic switch-events at {url} "
        "(HTTP 404 Not Found): check the customer's base_url (its API gateway, e.g. "
        "https://us1.api.central.arubanetworks.com); retrying every 64s"
    ]


async def test_rejected_credentials_wait_the_maximum(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.make_token(secret="wrong-secret-value")
    sub = harness.subscription()
    task = asyncio.create_task(sub.run())
    with caplog.at_level(logging.ERROR):
        try:
            await wait_for(lambda: sub.stats.reconnects["token_rejected"] >= 1)
        finally:
            await sub.stop()
            await asyncio.wait_for(task, 5)
    assert harness.delays[0] == 64.0
    assert harness.central.handshakes == []  # never tried without a token
    assert (
        "customer 'globex' topic ap-events: no access token: the token endpoint rejects the "
        "API client credentials (HTTP 401 invalid_client); retrying every 64s" in caplog.text
    )
    assert "wrong-secret-value" not in caplog.text


async def test_token_endpoint_down_backs_off(harness: Harness) -> None:
    harness.central.token_answers = [web.Response(status=502), web.Response(status=503)]
    sub = harness.subscription()
    await run_until(sub, lambda: sub.stats.state is StreamState.CONNECTED)
    assert harness.delays == [1.0, 2.0]
    assert sub.stats.reconnects["token_failed"] == 2


async def test_close_at_token_expiry_reconnects_at_once_with_a_new_token(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.central.expires_in = 1.0
    sub = harness.subscription()
    with caplog.at_level(logging.INFO):
        await run_until(
            sub,
            lambda: (
                len(harness.central.handshakes) >= 2 and sub.stats.state is StreamState.CONNECTED
            ),
        )
    first, second = harness.central.handshakes[:2]
    assert first.authorization == "Bearer nc-token-001-abcdef"
    assert second.authorization == "Bearer nc-token-002-abcdef"
    assert harness.delays == []
    assert sub.stats.reconnects["token_expired"] == 1
    assert "the stream ended at access-token expiry" in caplog.text


async def test_streamer_runs_new_central_customers_over_tls(tmp_path: Path) -> None:
    """The whole path through the configuration: HTTPS token endpoint and WSS streams
    on loopback, verified against the configured CA."""
    ca = trustme.CA()
    server_ssl = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ssl)
    central = FakeNewCentral(stream=send_frames)
    runner = web.AppRunner(central.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_ssl)
    await site.start()
    port = runner.addresses[0][1]
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    config = parse_config(
        {
            "central": {"ca_file": str(ca_file)},
            "customers": {
                "globex": {
                    "platform": "new_central",
                    "base_url": f"https://127.0.0.1:{port}",
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "token_url": f"https://127.0.0.1:{port}{TOKEN_PATH}",
                    "topics": ["ap-events", "alert-events"],
                }
            },
        },
        source="test.yaml",
        environ={},
    )
    received: list[tuple[str, bytes]] = []
    streamer = Streamer(
        config,
        lambda _s, _d, _n: None,
        on_new_central_frame=lambda sub, data, _ns: received.append((sub.topic.value, data)),
        settings=streams_settings(config.streaming),
        new_central_settings=new_central_stream_settings(config.streaming),
    )
    try:
        await streamer.start()
        await wait_for(lambda: len(received) == 4)
        assert sorted(received) == [
            ("alert-events", b"frame-1"),
            ("alert-events", b"frame-2"),
            ("ap-events", b"frame-1"),
            ("ap-events", b"frame-2"),
        ]
        assert len(central.token_requests) == 1  # one token for both topics
        status = streamer.tokens["globex"].status()
        assert status["token_requests"] == 1
        assert status["token_fingerprint"] == Secret("nc-token-001-abcdef").fingerprint
    finally:
        await streamer.stop()
        await runner.cleanup()
