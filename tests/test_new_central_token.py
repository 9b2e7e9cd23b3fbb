"""New Central's OAuth2 client-credentials token lifecycle, against a real HTTPS token
endpoint on loopback (trustme CA): grant shape, expiry and proactive renewal,
single-flight renewal on 401, rejected credentials, 5xx/timeout/TLS failures, and no
token or secret in any log line or status."""

from __future__ import annotations

import asyncio
import base64
import logging
import ssl
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import partial

import aiohttp
import pytest
import trustme
from aiohttp import web
from rich.console import Console

from central_otel.new_central.token import (
    DEFAULT_LIFETIME,
    CustomerToken,
    Requester,
    TokenOutcome,
    TokenUnavailable,
    request_token,
)
from central_otel.secret import Secret
from central_otel.streaming.backoff import BackoffPolicy
from central_otel.views.status_view import problems, render
from tests import defaults

CLIENT_ID = "0a1b2c3d-client"
SECRET = "s3cr3t-client-secret-value"


@dataclass
class TokenServer:
    """A token endpoint whose next answers a test scripts; it records every request."""

    expires_in: object = 7200
    basic_ok: bool = True
    body_ok: bool = True
    answers: list[web.Response] = field(default_factory=list)
    delay: float = 0.0
    requests: list[dict[str, str]] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.requests.append(
            {
                "authorization": request.headers.get("Authorization", ""),
                **{k: str(v) for k, v in form.items()},
            }
        )
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.answers:
            return self.answers.pop(0)
        basic = f"Basic {base64.b64encode(f'{CLIENT_ID}:{SECRET}'.encode()).decode()}"
        via_basic = self.basic_ok and request.headers.get("Authorization") == basic
        via_body = (
            self.body_ok
            and form.get("client_id") == CLIENT_ID
            and form.get("client_secret") == SECRET
        )
        if form.get("grant_type") != "client_credentials" or not (via_basic or via_body):
            return web.json_response(
                {"error": "invalid_client", "error_description": f"bad {SECRET}"}, status=401
            )
        token = f"tok-{len(self.issued) + 1}-opaque-access-token"
        self.issued.append(token)
        body: dict[str, object] = {"access_token": token, "token_type": "Bearer"}
        if self.expires_in is not None:
            body["expires_in"] = self.expires_in
        return web.json_response(body)


@dataclass
class Endpoint:
    server: TokenServer
    url: str
    client_ssl: ssl.SSLContext
    session: aiohttp.ClientSession

    def requester(self, timeout: float = 5.0) -> Requester:
        return partial(
            request_token,
            self.session,
            self.url,
            CLIENT_ID,
            Secret(SECRET),
            ssl_setting=self.client_ssl,
            timeout=timeout,
        )


@pytest.fixture
async def endpoint() -> AsyncIterator[Endpoint]:
    ca = trustme.CA()
    server_ssl = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ssl)
    client_ssl = ssl.create_default_context()
    ca.configure_trust(client_ssl)
    server = TokenServer()
    app = web.Application()
    app.router.add_post("/as/token.oauth2", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_ssl)
    await site.start()
    port = runner.addresses[0][1]
    async with aiohttp.ClientSession() as session:
        yield Endpoint(server, f"https://127.0.0.1:{port}/as/token.oauth2", client_ssl, session)
    await runner.cleanup()


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


POLICY = BackoffPolicy(initial=1.0, maximum=64.0, multiplier=2.0, jitter=0.0, stable_after=60.0)


def make_token(endpoint: Endpoint, clock: Clock | None = None, **kwargs: object) -> CustomerToken:
    return CustomerToken(
        "globex",
        endpoint.requester(),
        backoff=POLICY,
        token_url=endpoint.url,
        secret_source="client_secret_file: /run/secrets/globex",
        clock=clock or Clock(),
        **kwargs,  # type: ignore[arg-type]  # a test helper: options by name
    )


async def test_grant_is_client_credentials_with_http_basic(endpoint: Endpoint) -> None:
    grant = await endpoint.requester()("basic")
    assert grant.outcome is TokenOutcome.ISSUED
    assert grant.token == Secret("tok-1-opaque-access-token")
    assert grant.expires_in == 7200.0
    (request,) = endpoint.server.requests
    expected = base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()
    assert request == {"authorization": f"Basic {expected}", "grant_type": "client_credentials"}


async def test_token_is_shared_and_expires(endpoint: Endpoint) -> None:
    clock = Clock()
    token = make_token(endpoint, clock)
    endpoint.server.expires_in = 900
    first = await token.get()
    assert first == Secret("tok-1-opaque-access-token")
    assert await token.get() is first  # still valid: no second request
    assert len(endpoint.server.requests) == 1
    assert (token.issued_at, token.expires_at) == (clock.now, clock.now + 900)
    status = token.status()
    assert status["token_expires_in_seconds"] == 900.0
    assert status["token_age_seconds"] == 0.0
    assert (status["token_requests"], status["token_renewals"]) == (1, 0)
    assert "tok-1" not in repr(status)
    clock.now += 900  # expired: the next get asks again
    second = await token.get()
    assert second == Secret("tok-2-opaque-access-token")
    assert (token.generation, token.renewals) == (2, 1)


async def test_absent_expires_in_means_two_hours(endpoint: Endpoint) -> None:
    clock = Clock()
    token = make_token(endpoint, clock)
    endpoint.server.expires_in = None
    await token.get()
    assert token.expires_at == clock.now + DEFAULT_LIFETIME == clock.now + 7200
    assert token.renew_in() == 7200 - 300  # the 5-minute margin


async def test_proactive_renewal_before_expiry(endpoint: Endpoint) -> None:
    # A real clock and a 2 s token: renewed at 80 % of its life (the margin is capped
    # at a fifth of short lifetimes), before it expires.

    endpoint.server.expires_in = 2
    token = CustomerToken("globex", endpoint.requester(), backoff=POLICY, token_url=endpoint.url)
    await token.get()
    first_expiry = token.expires_at
    assert first_expiry is not None
    renewing = asyncio.create_task(token.run())
    try:
        async with asyncio.timeout(5):
            await token.wait_changed(1)
        assert time.time() < first_expiry  # renewed while the first was still valid
        assert token.renewals == 1
        assert token.token == Secret("tok-2-opaque-access-token")
    finally:
        renewing.cancel()
        await asyncio.gather(renewing, return_exceptions=True)


async def test_401_renewal_is_single_flight(endpoint: Endpoint) -> None:
    token = make_token(endpoint)
    await token.get()
    stale = token.generation
    endpoint.server.delay = 0.2  # every stream's renewal overlaps the first request
    grants = await asyncio.gather(*(token.renew("401", stale=stale) for _ in range(10)))
    assert [g.outcome for g in grants] == [TokenOutcome.ISSUED] * 10
    assert len(endpoint.server.requests) == 2  # the first token, then one renewal
    assert token.token == Secret("tok-2-opaque-access-token")
    assert token.generation == stale + 1


async def test_rejected_credentials_are_asked_again_at_most_once_a_minute(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    token = make_token(endpoint, clock)
    endpoint.server.basic_ok = endpoint.server.body_ok = False
    with caplog.at_level(logging.DEBUG), pytest.raises(TokenUnavailable) as caught:
        await token.get()
    assert caught.value.grant.outcome is TokenOutcome.REJECTED
    assert caught.value.grant.detail == "HTTP 401 invalid_client"
    # Basic, then the form-body fallback: both refused.
    assert [r["authorization"][:6] for r in endpoint.server.requests] == ["Basic ", ""]
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [
        f"customer 'globex': the token endpoint {endpoint.url} rejected the API client "
        "credentials (HTTP 401 invalid_client): check client_id and the client secret in "
        "client_secret_file: /run/secrets/globex (GreenLake > Manage Workspace > Personal "
        "API clients); asking again at most every 60s"
    ]
    for _ in range(5):  # streams asking within the minute: no request
        grant = await token.renew("401", stale=token.generation)
        assert grant.outcome is TokenOutcome.REJECTED
    assert len(endpoint.server.requests) == 2
    clock.now += 60
    await token.renew("401", stale=token.generation)
    assert len(endpoint.server.requests) == 4
    assert token.outcomes == Counter({TokenOutcome.REJECTED: 4})  # the self-metric's counts
    assert SECRET not in caplog.text
    assert token.status()["token_last_error"] == "HTTP 401 invalid_client"
    # `central-otel status` counts it as a problem.
    assert problems({"ready": True, "customers": [token.status()]}) == [
        "customer globex: access token rejected"
    ]


async def test_form_body_fallback_when_basic_is_refused(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    token = make_token(endpoint)
    endpoint.server.basic_ok = False
    with caplog.at_level(logging.INFO):
        await token.get()
    assert token.token == Secret("tok-1-opaque-access-token")
    first, second = endpoint.server.requests
    assert first["authorization"].startswith("Basic ")
    assert second == {
        "authorization": "",
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
    }
    assert "sending the client credentials in the form body from now on" in caplog.text
    await token.renew("401", stale=token.generation)  # sticks to the body from now on
    assert endpoint.server.requests[2]["authorization"] == ""
    assert len(endpoint.server.requests) == 3


async def test_server_errors_and_timeouts_fail_and_back_off(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    endpoint.server.answers = [web.Response(status=503, text="busy")]
    grant = await endpoint.requester()("basic")
    assert (grant.outcome, grant.detail, grant.status) == (TokenOutcome.FAILED, "HTTP 503", 503)

    endpoint.server.answers = [web.json_response({"token_type": "Bearer"})]
    grant = await endpoint.requester()("basic")
    assert (grant.outcome, grant.detail) == (TokenOutcome.FAILED, "answer has no access_token")

    endpoint.server.delay = 1.0
    grant = await endpoint.requester(timeout=0.3)("basic")
    assert (grant.outcome, grant.detail) == (TokenOutcome.FAILED, "no answer within 0.3s")

    # Through the token: FAILED is not remembered like a rejection: the next ask asks.
    endpoint.server.delay = 0.0
    endpoint.server.answers = [web.Response(status=502)]
    token = make_token(endpoint)
    with caplog.at_level(logging.WARNING), pytest.raises(TokenUnavailable):
        await token.get()
    assert f"could not get an access token from {endpoint.url} (HTTP 502)" in caplog.text
    assert await token.get() == Secret("tok-1-opaque-access-token")
    assert token.outcomes == Counter({TokenOutcome.FAILED: 1, TokenOutcome.ISSUED: 1})


async def test_untrusted_certificate_fails_with_tls_reason(endpoint: Endpoint) -> None:
    untrusting = ssl.create_default_context()  # system CAs only: not the trustme CA
    grant = await request_token(
        endpoint.session,
        endpoint.url,
        CLIENT_ID,
        Secret(SECRET),
        ssl_setting=untrusting,
        timeout=defaults.CONNECT_TIMEOUT,
    )
    assert grant.outcome is TokenOutcome.FAILED
    assert grant.detail.startswith("TLS certificate not trusted: ")
    assert endpoint.server.requests == []


def test_status_view_shows_the_token_beside_the_keys() -> None:
    """`central-otel status`: a New Central customer's token (fingerprint, issued,
    outcome, requests, renewals, expiry) in the columns of the Classic keys."""
    doc = {
        "ready": True,
        "summary": "0/0",
        "subscriptions": [],
        "customers": [
            {
                "customer": "acme",
                "key_fingerprint": "1a2b3c4d",
                "key_validations": 3,
                "key_renewals": 1,
                "key_last_validated": 990.0,
                "key_last_outcome": "valid",
            },
            {
                "customer": "globex",
                "platform": "new_central",
                "token_fingerprint": "9f8e7d6c",
                "token_age_seconds": 120.0,
                "token_expires_in_seconds": 7080.0,
                "token_expires_at": 8080.0,
                "token_requests": 2,
                "token_renewals": 1,
                "token_last_outcome": "issued",
                "token_last_error": None,
            },
        ],
    }
    console = Console(width=160, record=True, color_system=None)
    console.print(render(doc, source="http://127.0.0.1:8080/status", now=1000.0))
    lines = [line.split() for line in console.export_text().splitlines()]
    assert ["acme", "1a2b3c4d", "10s", "ago", "valid", "3", "1", "-"] in lines
    assert ["globex", "9f8e7d6c", "2m00s", "ago", "issued", "2", "1", "in", "1h58m"] in lines
