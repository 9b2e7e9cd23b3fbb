"""`NewCentralSimulator`: an aiohttp server that speaks New Central's Streaming API.

Endpoints (as New Central and HPE GreenLake serve them):

* ``POST /as/token.oauth2``: the OAuth2 client-credentials grant, client
  authentication by HTTP Basic or in the form body. 200 with ``access_token``,
  ``token_type`` and ``expires_in`` (the configurable `token_lifetime`); 401
  ``invalid_client`` for unknown credentials.
* ``GET /<service>/<version>/<event>`` (every topic's path) with a WebSocket upgrade and
  ``Authorization: Bearer <token>``, optionally ``?event-types=a,b``. An unknown or
  expired token gets 401; a topic the customer has not enabled 403. Otherwise binary
  frames, each a serialised `cloudevents.v1.CloudEvent` whose `proto_data` holds the
  payload (type URL ``type.googleapis.com/<full name>``). A stream is closed when its
  token expires, as Central does.

* The monitoring API's device lists for device context (``/network-monitoring/v1/aps``,
  ``/switches``, ``/gateways``, ``/device-inventory``): see `new_central_rest`, through
  ``sim.rest_api``.

Each customer's estate is simulated exactly as for Classic (`World`), and its traffic
re-expressed as New Central events (`new_central_events`). Faults: `refuse_next`
(an HTTP status for the next handshakes), `drop` (close every stream abruptly),
and TLS through `start(ssl_context=...)`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import itertools
import logging
import random
import secrets
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from aiohttp import WSCloseCode, WSMsgType, web

from central_otel.new_central.topics import (
    NEW_CENTRAL_TOPIC_NAMES,
    PATHS,
    NewCentralTopic,
)
from central_otel.simulator.estate import Estate, EstateScale
from central_otel.simulator.messages import envelope_overhead
from central_otel.simulator.new_central_events import SOURCES, Converter, cloud_event
from central_otel.simulator.new_central_rest import NewCentralRestApi
from central_otel.simulator.traffic import TopicStream, make_stream
from central_otel.simulator.world import SimClock, TrafficProfile, World

log = logging.getLogger("central_otel.simulator.new_central")

TOKEN_PATH = "/as/token.oauth2"
DEFAULT_TOKEN_LIFETIME = 7200.0
MAX_FRAME_SIZE = 256 * 1024
CLOSE_TOKEN_EXPIRED = WSCloseCode.OK  # Central's code is not documented: a normal close


@dataclass(frozen=True, slots=True)
class ApiClient:
    """A simulated New Central customer's API client (`client_secret` not shown)."""

    name: str
    tenant_id: str
    client_id: str
    client_secret: str = field(repr=False)
    topics: tuple[str, ...]


@dataclass(slots=True)
class StreamRecord:
    """One upgraded WebSocket."""

    customer: str
    topic: str
    event_types: tuple[str, ...]
    token_fingerprint: str
    frames_sent: int = 0
    close_code: int | None = None
    closed_by: str | None = None


@dataclass(slots=True, eq=False)
class _Customer:
    client: ApiClient
    topics: set[NewCentralTopic]
    world: World
    converter: Converter


@dataclass(slots=True, eq=False)
class _Open:
    """One open stream and what feeds it."""

    record: StreamRecord
    ws: web.WebSocketResponse
    customer: _Customer
    topic: NewCentralTopic
    stream: TopicStream
    wakeup: asyncio.Event


def _fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:8]


class NewCentralSimulator:
    def __init__(
        self,
        *,
        scale: EstateScale | None = None,
        seed: str = "central-otel",
        stats_interval: float = 60.0,
        profile: TrafficProfile | None = None,
        token_lifetime: float = DEFAULT_TOKEN_LIFETIME,
        clock: SimClock | None = None,
    ) -> None:
        self.scale = scale or EstateScale.small()
        self.seed = seed
        self.stats_interval = stats_interval
        self.profile = profile or TrafficProfile()
        self.token_lifetime = token_lifetime
        self.clock = clock or SimClock()
        self.token_requests: list[dict[str, str]] = []  # client_id, auth method, outcome
        self.streams: list[StreamRecord] = []
        self.refusals: list[int] = []  # statuses of the next handshakes
        self._customers: dict[str, _Customer] = {}
        self._tokens: dict[str, tuple[str, float]] = {}  # token -> (customer, expiry)
        self._open: list[tuple[StreamRecord, web.WebSocketResponse]] = []
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port: int | None = None
        self._ssl: ssl.SSLContext | None = None
        self.rest_api = NewCentralRestApi(self._customer_of_token, self._estate_of)
        """The monitoring API for device context: see `new_central_rest`."""

    # -- customers ------------------------------------------------------------------

    def add_customer(
        self,
        name: str,
        *,
        topics: Iterable[str] = NEW_CENTRAL_TOPIC_NAMES,
        client_id: str | None = None,
        client_secret: str | None = None,
        estate: Estate | None = None,
        world: World | None = None,
    ) -> ApiClient:
        """Add a customer with its own estate (or share another simulator's `world`: the
        same estate seen through both platforms)."""
        if not name or name in self._customers:
            raise ValueError(f"customer name {name!r} is empty or already used")
        tenant = hashlib.sha256(f"{self.seed}:nc:{name}".encode()).hexdigest()[:32]
        if world is None:
            seed_text = f"{self.seed}:{name}"
            world = World(
                customer_id=tenant,
                estate=estate or Estate(self.scale, seed_text, self.clock.now()),
                profile=self.profile,
                clock=self.clock,
                interval=self.stats_interval,
                seed=seed_text,
            )
        client = ApiClient(
            name,
            tenant,
            client_id or f"nc-{hashlib.sha256(name.encode()).hexdigest()[:12]}",
            client_secret or secrets.token_urlsafe(24),
            tuple(NewCentralTopic(t).value for t in topics),
        )
        self._customers[name] = _Customer(
            client, {NewCentralTopic(t) for t in topics}, world, Converter(world.estate)
        )
        return client

    def customer(self, name: str) -> ApiClient:
        return self._customers[name].client

    def world(self, name: str) -> World:
        return self._customers[name].world

    def _customer_of_token(self, token: str) -> str | None:
        name, expiry = self._tokens.get(token, ("", 0.0))
        return name if name and time.monotonic() < expiry else None

    def _estate_of(self, name: str) -> Estate:
        return self._customers[name].world.estate

    # -- faults -----------------------------------------------------------------------

    def refuse_next(self, *statuses: int) -> None:
        """Answer the next handshakes with these HTTP statuses (403, 404, 429, 503...)."""
        self.refusals.extend(statuses)

    async def drop(self) -> int:
        """Close every open stream abruptly (no close frame); how many were open."""
        open_streams = list(self._open)
        for record, ws in open_streams:
            record.closed_by = "drop"
            transport = ws._req.transport if ws._req is not None else None
            if transport is not None:
                transport.abort()
        return len(open_streams)

    @property
    def issued_tokens(self) -> list[str]:
        """Every access token issued so far (for tests that look for leaks)."""
        return list(self._tokens)

    def expire_tokens(self) -> None:
        """Every token issued so far is expired from now on (401 at the next handshake)."""
        self._tokens = {token: (name, 0.0) for token, (name, _) in self._tokens.items()}

    # -- server -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The API gateway: ``https://127.0.0.1:PORT`` (``http://`` without TLS)."""
        if self._port is None:
            raise RuntimeError("the simulator is not running")
        return f"{'https' if self._ssl else 'http'}://{self._host}:{self._port}"

    @property
    def token_url(self) -> str:
        return f"{self.url}{TOKEN_PATH}"

    async def start(
        self, host: str = "127.0.0.1", port: int = 0, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        if self._runner is not None:
            raise RuntimeError("the simulator is already running")
        self._host, self._ssl = host, ssl_context
        app = web.Application()
        app.router.add_post(TOKEN_PATH, self._token)
        for topic, path in PATHS.items():
            app.router.add_get(path, self._handler(topic))
        self.rest_api.add_routes(app)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, host, port, ssl_context=ssl_context, reuse_address=True)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        log.info("simulated New Central listening on %s", self.url)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is None:
            return
        for record, ws in list(self._open):
            record.closed_by = "stop"
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.close(code=WSCloseCode.GOING_AWAY)
        await runner.cleanup()

    # -- token endpoint ------------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        client_id, secret, method = "", "", "none"
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
                method = "basic"
            except (ValueError, UnicodeDecodeError):
                pass
        elif "client_id" in form:
            client_id, secret, method = (
                str(form["client_id"]),
                str(form.get("client_secret", "")),
                "body",
            )
        customer = next(
            (
                c
                for c in self._customers.values()
                if c.client.client_id == client_id
                and secrets.compare_digest(c.client.client_secret, secret)
            ),
            None,
        )
        if form.get("grant_type") != "client_credentials":
            self.token_requests.append(
                {"client_id": client_id, "auth": method, "outcome": "bad_grant"}
            )
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        if customer is None:
            self.token_requests.append(
                {"client_id": client_id, "auth": method, "outcome": "rejected"}
            )
            return web.json_response({"error": "invalid_client"}, status=401)
        token = secrets.token_urlsafe(32)
        self._tokens[token] = (customer.client.name, time.monotonic() + self.token_lifetime)
        self.token_requests.append({"client_id": client_id, "auth": method, "outcome": "issued"})
        return web.json_response(
            {"access_token": token, "token_type": "Bearer", "expires_in": int(self.token_lifetime)}
        )

    # -- streams ---------------------------------------------------------------------------

    def _handler(self, topic: NewCentralTopic):  # type: ignore[no-untyped-def]
        async def handle(request: web.Request) -> web.StreamResponse:
            return await self._stream(request, topic)

        return handle

    async def _stream(self, request: web.Request, topic: NewCentralTopic) -> web.StreamResponse:
        if self.refusals:
            return web.Response(status=self.refusals.pop(0), text="refused by the simulator")
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ")
        name, expiry = self._tokens.get(token, ("", 0.0))
        if not authorization.startswith("Bearer ") or time.monotonic() >= expiry:
            return web.Response(status=401, text="Unauthorized")
        customer = self._customers[name]
        if topic not in customer.topics:
            return web.Response(status=403, text="Forbidden")
        wanted = tuple(t for t in request.query.get("event-types", "").split(",") if t)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        record = StreamRecord(name, topic.value, wanted, _fingerprint(token))
        self.streams.append(record)
        self._open.append((record, ws))
        source = SOURCES[topic]
        rng = random.Random(f"{self.seed}:{name}:{topic.value}:{len(self.streams)}")
        stream = make_stream(
            source, customer.world, rng, MAX_FRAME_SIZE - envelope_overhead("x", "", MAX_FRAME_SIZE)
        )
        wakeup = asyncio.Event()
        stream.on_change = wakeup.set
        sender = asyncio.create_task(
            self._send_loop(_Open(record, ws, customer, topic, stream, wakeup))
        )
        expiring = asyncio.create_task(self._close_at(record, ws, expiry))
        try:
            async for message in ws:
                if message.type is WSMsgType.CLOSE:
                    break
        finally:
            for task in (sender, expiring):
                task.cancel()
            await asyncio.gather(sender, expiring, return_exceptions=True)
            stream.close()
            self._open = [(r, w) for r, w in self._open if r is not record]
            if record.closed_by is None:
                record.closed_by = "client"
                record.close_code = ws.close_code
        return ws

    async def _close_at(
        self, record: StreamRecord, ws: web.WebSocketResponse, expiry: float
    ) -> None:
        await asyncio.sleep(max(0.0, expiry - time.monotonic()))
        record.closed_by, record.close_code = "token_expired", CLOSE_TOKEN_EXPIRED
        await ws.close(code=CLOSE_TOKEN_EXPIRED, message=b"access token expired")

    async def _send_loop(self, conn: _Open) -> None:
        record, ws, customer, topic = conn.record, conn.ws, conn.customer, conn.topic
        stream, wakeup, wanted = conn.stream, conn.wakeup, conn.record.event_types
        loop = asyncio.get_running_loop()

        async def send(messages: Iterable[object]) -> None:
            for message in messages:
                for item in customer.converter.events(topic, message):  # type: ignore[arg-type]
                    if wanted and item.type not in wanted:
                        continue
                    frame = cloud_event(
                        item,
                        event_id=f"{record.customer}-{next(self._ids)}",
                        tenant=customer.client.tenant_id,
                        time_ns=self.clock.now_ns(),
                    )
                    await ws.send_bytes(frame)
                    record.frames_sent += 1

        try:
            await send(stream.opening())
            next_tick = loop.time()
            while not ws.closed:
                now = loop.time()
                if now < next_tick:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(next_tick - now):
                            await wakeup.wait()
                    wakeup.clear()
                await send(stream.pending())
                if loop.time() >= next_tick:
                    customer.world.maybe_tick(loop.time())
                    await send(stream.tick())
                    next_tick = max(next_tick + self.stats_interval, loop.time())
        except (ConnectionError, RuntimeError):
            return
