"""`CentralSimulator`: an aiohttp server that speaks Classic Central's streaming protocol.

Endpoints (as Central serves them):

* ``GET /streaming/api`` with a WebSocket upgrade, headers ``Authorization: <key>``
  (the raw key, no scheme), ``Topic: <topic>`` and optionally ``UserName``. A
  missing, unknown, rotated-away or revoked key gets HTTP 401 (no upgrade); a
  missing or unknown topic 400; a topic the customer has not enabled 400 with the
  body ``Unsubscribed Topic``. Otherwise binary frames, each a serialised
  ``StreamMessage.MsgProto``.
* ``GET /streaming/token/validate`` with ``Authorization: <key>``: 200
  ``{"token": "<current key>"}`` for the current key or a rotated-away one of the
  same customer, 401 for unknown and revoked keys.
* Classic Central's REST API for device context (``/oauth2/token``,
  ``/monitoring/v2/aps``, ``/monitoring/v1/switches``, ``/monitoring/v1/gateways``):
  see `central_otel.simulator.rest_api`, reached through ``sim.rest_api``.

Everything a test needs to look at is recorded (handshakes with the key replaced by
its fingerprint, connections with frames sent and close codes, validate calls), and
the fault-injection methods change the server's behaviour while it runs.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hashlib
import itertools
import logging
import random
import secrets
import ssl
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import WSMsgType, web
from google.protobuf.message import Message

from central_otel.simulator.estate import Estate, EstateScale
from central_otel.simulator.keys import fingerprint, make_key
from central_otel.simulator.messages import envelope, envelope_overhead, varint_size
from central_otel.simulator.rest_api import ClassicRestApi
from central_otel.simulator.traffic import TopicStream, make_stream
from central_otel.simulator.world import SimClock, TrafficProfile, World
from central_otel.topics import TOPIC_NAMES, Topic

log = logging.getLogger("central_otel.simulator")

STREAM_PATH = "/streaming/api"
VALIDATE_PATH = "/streaming/token/validate"
DEFAULT_MAX_FRAME_SIZE = 256 * 1024
MIN_MAX_FRAME_SIZE = 1024
DEFAULT_STATS_INTERVAL = 60.0
MIN_STATS_INTERVAL = 0.01

CLOSE_GOING_AWAY = 1001
CLOSE_INTERNAL_ERROR = 1011
CLOSE_ABNORMAL = 1006  # recorded for abrupt drops: no close frame was sent

UNSUBSCRIBED_TOPIC = "Unsubscribed Topic"


@dataclass(frozen=True, slots=True)
class CustomerInfo:
    """A simulated customer. `key` is its current streaming key (not shown by ``repr``)."""

    name: str
    customer_id: str
    key: str = field(repr=False)
    topics: tuple[str, ...]

    @property
    def key_fingerprint(self) -> str:
        return fingerprint(self.key)


@dataclass(frozen=True, slots=True)
class HandshakeRecord:
    """One request to the streaming endpoint. ``Authorization`` holds the key's fingerprint."""

    headers: dict[str, str]
    status: int  # 101 when upgraded, else the HTTP status answered
    reason: str  # "upgraded", "missing key", "unknown key", "rotated key", "revoked key",
    # "missing topic", "unknown topic", "unsubscribed topic", "not a websocket request"
    customer: str | None
    topic: str | None
    at: float


@dataclass(frozen=True, slots=True)
class ValidateRecord:
    key_fingerprint: str | None
    status: int
    reason: str  # "current key", "rotated key", "revoked key", "unknown key", "missing key"
    customer: str | None
    at: float


@dataclass(slots=True)
class ConnectionRecord:
    """One upgraded WebSocket connection."""

    id: int
    customer: str
    topic: str
    key_fingerprint: str
    user_name: str | None
    opened_at: float
    frames_sent: int = 0  # every binary frame, garbage and oversized ones included
    bytes_sent: int = 0
    garbage_frames: int = 0
    oversized_frames: int = 0
    pings_received: int = 0  # the client's WebSocket pings
    closed_at: float | None = None
    close_code: int | None = None  # ours when we closed (1011 drop, 1001 stop, 1006 abrupt)
    closed_by: str | None = None  # "client", "drop", "abrupt", "stop", "error"

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass(slots=True)
class _KeyRing:
    current: str | None
    created: float
    previous: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _Customer:
    name: str
    customer_id: str
    topics: set[Topic]
    keys: _KeyRing
    world: World
    validate_calls: int = 0
    ordinals: collections.Counter[Topic] = field(default_factory=collections.Counter)


@dataclass(slots=True)
class _Silence:
    until: float  # event-loop time
    customer: str | None
    topic: Topic | None
    pongs: bool


class _ConnectionGone(Exception):
    """The peer or the server closed the socket while we were sending."""


@dataclass(slots=True, eq=False)
class _Connection:
    record: ConnectionRecord
    customer: _Customer
    topic: Topic
    ws: web.WebSocketResponse
    request: web.Request
    stream: TopicStream
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait(self, seconds: float) -> None:
        """Sleep up to `seconds`, less if woken (a world change to send)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max(seconds, 0.0)):
                await self.wakeup.wait()
        self.wakeup.clear()


class CentralSimulator:
    """A built-in Aruba Central for demos and tests::

        sim = CentralSimulator(scale=EstateScale.small(), stats_interval=1.0, seed=1)
        customer = sim.add_customer("CustomerA")  # customer.key: its streaming key
        await sim.start(host="127.0.0.1", port=0)
        sim.url  # 'http://127.0.0.1:40123', the bridge's base_url
        ...
        await sim.stop()

    `stats_interval` is the tick of every connection (real seconds); `clock_offset`
    and `time_scale` shift and speed up the simulated clock used for timestamps,
    counters, uptimes and key ages; `key_lifetime` (simulated seconds, None = keys
    never expire) rotates a customer's key once it is that old, as Central does
    every 7 days. `max_records` bounds each record list (the oldest entries go).
    """

    def __init__(
        self,
        scale: EstateScale | None = None,
        *,
        stats_interval: float = DEFAULT_STATS_INTERVAL,
        seed: int = 0,
        max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
        profile: TrafficProfile | None = None,
        clock_offset: float = 0.0,
        time_scale: float = 1.0,
        key_lifetime: float | None = None,
        heartbeat: float | None = None,
        max_records: int = 100_000,
    ) -> None:
        if not stats_interval >= MIN_STATS_INTERVAL:
            raise ValueError(f"stats_interval must be at least {MIN_STATS_INTERVAL} s")
        if max_frame_size < MIN_MAX_FRAME_SIZE:
            raise ValueError(f"max_frame_size must be at least {MIN_MAX_FRAME_SIZE} bytes")
        if max_records < 1:
            raise ValueError("max_records must be at least 1")
        if key_lifetime is not None and not key_lifetime > 0:
            raise ValueError("key_lifetime must be positive (or None)")
        self.scale = scale or EstateScale.small()
        self.stats_interval = float(stats_interval)
        self.seed = seed
        self.max_frame_size = max_frame_size
        self.profile = profile or TrafficProfile()
        self.clock = SimClock(clock_offset, time_scale)
        self.key_lifetime = key_lifetime
        self.heartbeat = heartbeat
        # Only the most recent records are kept: a long demo must not grow without bound.
        self.max_records = max_records
        self.handshakes: list[HandshakeRecord] = []
        self.validations: list[ValidateRecord] = []
        self.connections: list[ConnectionRecord] = []
        self._connection_ids = itertools.count(1)
        self._customers: dict[str, _Customer] = {}
        # Every key ever issued -> its customer (keys are unique across customers), so a
        # handshake finds its customer at once among hundreds.
        self._key_owners: dict[str, _Customer] = {}
        self._open: list[_Connection] = []
        self._frame_counts: collections.Counter[tuple[str, str]] = collections.Counter()
        self._silences: list[_Silence] = []
        self._secret = secrets.token_bytes(32)
        self._rng = random.Random(f"{seed}:faults")
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port: int | None = None
        self._ssl_context: ssl.SSLContext | None = None
        self._unknown_validate_calls = 0
        self._closing: set[asyncio.Task[None]] = set()
        self.rest_api = ClassicRestApi(self.estate)
        """Classic Central's REST API (tokens, device inventory): see `rest_api`."""

    # -- customers and keys ---------------------------------------------------------

    def add_customer(
        self,
        name: str,
        *,
        key: str | None = None,
        topics: Iterable[str] = TOPIC_NAMES,
        customer_id: str | None = None,
        scale: EstateScale | None = None,
    ) -> CustomerInfo:
        """Add a customer with its own estate. `key` None generates a Central-shaped JWT key."""
        if not name or name in self._customers:
            raise ValueError(f"customer name {name!r} is empty or already used")
        if key is not None:
            self._check_new_key(key)
        cid = customer_id or hashlib.sha256(f"{self.seed}:{name}".encode()).hexdigest()[:32]
        seed_text = f"{self.seed}:{name}"
        now = self.clock.now()
        estate = Estate(scale or self.scale, seed_text, now)
        world = World(
            customer_id=cid,
            estate=estate,
            profile=self.profile,
            clock=self.clock,
            interval=self.stats_interval,
            seed=seed_text,
        )
        created = int(now)
        current = key if key is not None else make_key(cid, created, self._secret)
        customer = _Customer(name, cid, _parse_topics(topics), _KeyRing(current, created), world)
        self._customers[name] = customer
        self._key_owners[current] = customer
        return self.customer(name)

    def customer(self, name: str) -> CustomerInfo:
        """The customer's current state (its current key, enabled topics)."""
        customer = self._customer(name)
        topics = tuple(t for t in TOPIC_NAMES if Topic(t) in customer.topics)
        return CustomerInfo(
            customer.name, customer.customer_id, customer.keys.current or "", topics
        )

    @property
    def customers(self) -> list[CustomerInfo]:
        return [self.customer(name) for name in self._customers]

    def estate(self, customer: str) -> Estate:
        """The customer's live estate (read it; change it through the event methods)."""
        return self._customer(customer).world.estate

    def world(self, customer: str) -> World:
        return self._customer(customer).world

    def rotate_key(self, customer: str, new_key: str | None = None) -> str:
        """Issue a new current key (returned) and keep the old one as "rotated".

        The old key then gets 401 on connect and `validate` answers it with the new
        one; connections already open stay open. After `revoke_key`, this issues a
        working key again.
        """
        state = self._customer(customer)
        ring = state.keys
        if new_key is not None:
            self._check_new_key(new_key)
        created = max(int(self.clock.now()), int(ring.created) + 1)
        key = new_key if new_key is not None else make_key(state.customer_id, created, self._secret)
        if ring.current is not None:
            ring.previous.append(ring.current)
        ring.current, ring.created = key, created
        self._key_owners[key] = state
        log.info("customer %s: key rotated (now %s)", customer, fingerprint(key))
        return key

    def revoke_key(self, customer: str) -> None:
        """Revoke every key of the customer: connects and validate get 401 until `rotate_key`."""
        ring = self._customer(customer).keys
        ring.revoked += [k for k in (ring.current, *ring.previous) if k is not None]
        ring.current, ring.previous = None, []
        log.info("customer %s: keys revoked", customer)

    def set_topics(self, customer: str, topics: Iterable[str]) -> None:
        """Enable exactly `topics`; a disabled topic's next handshake gets "Unsubscribed Topic"."""
        self._customer(customer).topics = _parse_topics(topics)

    def validate_calls(self, customer: str | None = None) -> int:
        """Calls to the validate endpoint with a key of `customer` (None: with unknown keys)."""
        if customer is None:
            return self._unknown_validate_calls
        return self._customer(customer).validate_calls

    # -- server lifecycle -------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._runner is not None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the simulator has not been started")
        return self._port

    @property
    def host(self) -> str:
        return self._host

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:40123`` (https with TLS)."""
        scheme = "https" if self._ssl_context is not None else "http"
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"{scheme}://{host}:{self.port}"

    @property
    def ws_url(self) -> str:
        """The streaming endpoint, e.g. ``ws://127.0.0.1:40123/streaming/api``."""
        return "ws" + self.url.removeprefix("http") + STREAM_PATH

    async def start(
        self,
        host: str | None = None,
        port: int | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """Listen on `host`:`port` (port 0: any free one). A restart after `stop` reuses the
        previous host, port and TLS context unless given again."""
        if self._runner is not None:
            raise RuntimeError("the simulator is already running")
        if host is not None:
            self._host = host
        if ssl_context is not None:
            self._ssl_context = ssl_context
        listen_port = port if port is not None else (self._port or 0)
        app = web.Application()
        app.router.add_get(STREAM_PATH, self._handle_stream)
        app.router.add_get(VALIDATE_PATH, self._handle_validate)
        self.rest_api.add_routes(app)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(
            runner,
            self._host,
            listen_port,
            ssl_context=self._ssl_context,
            reuse_address=True,
        )
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        log.info("simulated Aruba Central listening on %s", self.url)

    async def stop(self) -> None:
        """Close every connection (code 1001) and stop listening. `start` brings it back."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        await asyncio.gather(
            *(self._close(conn, CLOSE_GOING_AWAY, "stop") for conn in list(self._open)),
            *self._closing,
            return_exceptions=True,
        )
        await runner.cleanup()
        log.info("simulated Aruba Central stopped")

    async def __aenter__(self) -> CentralSimulator:
        if self._runner is None:
            await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- records ----------------------------------------------------------------------

    def frames_sent(self, customer: str, topic: str) -> int:
        """Binary frames sent on every connection of (`customer`, `topic`) so far."""
        return self._frame_counts[(customer, topic)]

    def frame_counts(self) -> dict[tuple[str, str], int]:
        return dict(self._frame_counts)

    def open_connections(
        self, customer: str | None = None, topic: str | None = None
    ) -> list[ConnectionRecord]:
        """Connections not closed yet (a dropped one counts until its handler has finished)."""
        return [
            c.record
            for c in self._open
            if (customer is None or c.customer.name == customer)
            and (topic is None or c.topic.value == topic)
            and c.record.open
        ]

    def handshake_headers(self) -> list[dict[str, str]]:
        """The headers of every handshake, in order (``Authorization`` = key fingerprint)."""
        return [dict(h.headers) for h in self.handshakes]

    async def wait_for_connections(
        self,
        count: int = 1,
        *,
        customer: str | None = None,
        topic: str | None = None,
        timeout: float = 5.0,
    ) -> list[ConnectionRecord]:
        """Wait until at least `count` matching connections are open; return them."""
        async with asyncio.timeout(timeout):
            while len(found := self.open_connections(customer, topic)) < count:
                await asyncio.sleep(0.01)
        return found

    async def wait_closed(
        self, customer: str | None = None, topic: str | None = None, *, timeout: float = 5.0
    ) -> None:
        """Wait until no matching connection is open any more."""
        async with asyncio.timeout(timeout):
            while self.open_connections(customer, topic):
                await asyncio.sleep(0.01)

    # -- fault injection --------------------------------------------------------------

    async def drop_connections(
        self, customer: str | None = None, topic: str | None = None, *, abrupt: bool = False
    ) -> int:
        """Close matching connections with code 1011, or (`abrupt`) kill the TCP connection
        without a close frame. Returns how many were dropped."""
        matching = self._matching(customer, topic)
        for conn in matching:
            if abrupt:
                conn.record.closed_by = "abrupt"
                conn.record.close_code = CLOSE_ABNORMAL
                transport = conn.request.transport
                if transport is not None:
                    transport.abort()
            else:
                # Send the close frame now; the close handshake finishes in the background
                # (it waits for the client's answer).
                conn.record.closed_by = "drop"
                conn.record.close_code = CLOSE_INTERNAL_ERROR
                task = asyncio.create_task(self._close(conn, CLOSE_INTERNAL_ERROR, "drop"))
                self._closing.add(task)
                task.add_done_callback(self._closing.discard)
        await asyncio.sleep(0)
        return len(matching)

    def silence(
        self,
        seconds: float,
        customer: str | None = None,
        topic: str | None = None,
        *,
        pongs: bool = True,
    ) -> None:
        """Send nothing for `seconds` on matching connections, open now or opened meanwhile.
        Sockets stay open; with ``pongs=False`` client pings go unanswered too (a dead peer)."""
        loop = asyncio.get_running_loop()
        parsed = _parse_topic(topic) if topic is not None else None
        self._silences.append(_Silence(loop.time() + seconds, customer, parsed, pongs))

    async def send_garbage(self, customer: str, topic: str, size: int = 64) -> int:
        """Send a frame of random bytes (it can never decode: it starts with protobuf tag 0)."""
        if size < 1:
            raise ValueError("size must be at least 1 byte")
        frame = b"\x00" + self._rng.randbytes(size - 1)
        return await self._inject(customer, topic, frame, "garbage")

    async def send_oversized(self, customer: str, topic: str, size: int) -> int:
        """Send one valid envelope of exactly `size` bytes (beyond `max_frame_size` if you like)
        with a junk payload. Returns the number of connections it went to."""
        state = self._customer(customer)
        frame = _sized_frame(topic, state.customer_id, self.clock.now_ns(), size)
        return await self._inject(customer, topic, frame, "oversized")

    # -- client events (go to every monitoring connection of the customer) --------------

    def join_client(self, customer: str, ap_serial: str | None = None) -> str | None:
        """A new wireless client joins (WirelessClient ADD). Returns its MAC (aa:bb:..), or None
        when no AP is up."""
        client = self._customer(customer).world.join_client(ap_serial)
        return client.mac.hex(":") if client is not None else None

    def leave_client(self, customer: str, mac: str | bytes) -> bool:
        """The client leaves (WirelessClient DELETE). False if there is no such client."""
        raw = (
            mac if isinstance(mac, bytes) else bytes.fromhex(mac.replace(":", "").replace("-", ""))
        )
        return self._customer(customer).world.leave_client(raw)

    def ap_down(self, customer: str, serial: str | None = None) -> str:
        """An AP goes down (Ap/Radio UPDATE with DOWN, its clients DELETE, Notification Open).
        Returns its serial (a random AP that is up when `serial` is None)."""
        world = self._customer(customer).world
        if serial is None:
            candidates = [ap.serial for ap in world.estate.aps if ap.up]
            if not candidates:
                raise ValueError(f"customer {customer!r} has no AP that is up")
            serial = self._rng.choice(candidates)
        world.ap_down(serial)
        return serial

    def ap_up(self, customer: str, serial: str) -> bool:
        """The AP comes back (rebooted: counters restart; Notification Close with the same id)."""
        return self._customer(customer).world.ap_up(serial)

    # -- HTTP handlers ----------------------------------------------------------------

    async def _handle_validate(self, request: web.Request) -> web.StreamResponse:
        key = request.headers.get("Authorization", "")
        customer, reason = self._authenticate(key)
        if customer is not None:
            customer.validate_calls += 1
        else:
            self._unknown_validate_calls += 1
        name = customer.name if customer is not None else None
        key_fp = fingerprint(key) if key else None
        if reason in ("current key", "rotated key") and customer is not None:
            current = customer.keys.current
            assert current is not None
            self._record(self.validations, ValidateRecord(key_fp, 200, reason, name, time.time()))
            log.info("validate: %s of %s -> 200 (current %s)", key_fp, name, fingerprint(current))
            return web.json_response({"token": current})
        self._record(self.validations, ValidateRecord(key_fp, 401, reason, name, time.time()))
        log.info("validate: %s -> 401 (%s)", key_fp, reason)
        return web.Response(status=401, text="Unauthorized")

    async def _handle_stream(self, request: web.Request) -> web.StreamResponse:
        headers = _recorded_headers(request)
        key = request.headers.get("Authorization", "")
        customer, reason = self._authenticate(key)
        name = customer.name if customer is not None else None
        topic_header = request.headers.get("Topic")

        def reject(status: int, why: str, text: str) -> web.Response:
            self._record(
                self.handshakes,
                HandshakeRecord(headers, status, why, name, topic_header, time.time()),
            )
            log.info(
                "handshake rejected: %s %s (customer %s, topic %r)", status, why, name, topic_header
            )
            return web.Response(status=status, text=text)

        if customer is None or reason != "current key":
            return reject(401, reason, "Unauthorized")
        if not topic_header:
            return reject(400, "missing topic", "Missing Topic")
        topic = _parse_topic(topic_header)
        if topic is None:
            return reject(400, "unknown topic", "Invalid Topic")
        if topic not in customer.topics:
            return reject(400, "unsubscribed topic", UNSUBSCRIBED_TOPIC)
        ws = web.WebSocketResponse(
            autoping=False, heartbeat=self.heartbeat, max_msg_size=1 << 16, timeout=2.0
        )
        if not ws.can_prepare(request).ok:
            return reject(400, "not a websocket request", "Expected a WebSocket upgrade")
        await ws.prepare(request)
        self._record(
            self.handshakes,
            HandshakeRecord(headers, 101, "upgraded", name, topic.value, time.time()),
        )
        return await self._serve(request, ws, customer, topic, key)

    async def _serve(
        self,
        request: web.Request,
        ws: web.WebSocketResponse,
        customer: _Customer,
        topic: Topic,
        key: str,
    ) -> web.WebSocketResponse:
        ordinal = customer.ordinals[topic]
        customer.ordinals[topic] += 1
        record = ConnectionRecord(
            id=next(self._connection_ids),
            customer=customer.name,
            topic=topic.value,
            key_fingerprint=fingerprint(key),
            user_name=request.headers.get("UserName"),
            opened_at=time.time(),
        )
        self._record(self.connections, record)
        rng = random.Random(f"{self.seed}:{customer.name}:{topic.value}:{ordinal}")
        budget = self.max_frame_size - envelope_overhead(
            topic.value, customer.customer_id, self.max_frame_size
        )
        stream = make_stream(topic, customer.world, rng, budget)
        conn = _Connection(record, customer, topic, ws, request, stream)
        stream.on_change = conn.wakeup.set
        self._open.append(conn)
        log.info(
            "connection %d: %s/%s opened (key %s)",
            record.id,
            customer.name,
            topic.value,
            record.key_fingerprint,
        )
        sender = asyncio.create_task(self._send_loop(conn), name=f"simulator-send-{record.id}")
        try:
            async for message in ws:
                if message.type is WSMsgType.PING:
                    record.pings_received += 1
                    if not self._deaf(conn):
                        with contextlib.suppress(ConnectionError, RuntimeError):
                            await ws.pong(message.data)
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender
            stream.close()
            if conn in self._open:
                self._open.remove(conn)
            if record.closed_by is None:
                record.closed_by = "client"
                record.close_code = ws.close_code
            record.closed_at = time.time()
            log.info(
                "connection %d: %s/%s closed by %s (code %s, %d frames sent)",
                record.id,
                customer.name,
                topic.value,
                record.closed_by,
                record.close_code,
                record.frames_sent,
            )
        return ws

    # -- sending ------------------------------------------------------------------------

    async def _send_loop(self, conn: _Connection) -> None:
        loop = asyncio.get_running_loop()
        stream = conn.stream
        interval = self.stats_interval
        try:
            await self._send_all(conn, stream.opening())
            next_tick = loop.time()
            while True:
                now = loop.time()
                quiet = self._silent_until(conn) - now
                if quiet > 0:
                    await asyncio.sleep(quiet)
                    continue
                if now < next_tick:
                    await conn.wait(next_tick - now)
                    if self._silent_until(conn) > loop.time():
                        continue
                await self._send_all(conn, stream.pending())
                now = loop.time()
                if now >= next_tick:
                    conn.customer.world.maybe_tick(now)
                    await self._send_all(conn, stream.tick())
                    next_tick += interval
                    if next_tick < now:
                        next_tick = now + interval
        except _ConnectionGone:
            pass
        except Exception:
            log.exception("connection %d: sender failed", conn.record.id)
            if conn.record.closed_by is None:
                await self._close(conn, CLOSE_INTERNAL_ERROR, "error")

    async def _send_all(self, conn: _Connection, payloads: Iterator[Message]) -> None:
        customer_id = conn.customer.customer_id
        subject = conn.topic.value
        for payload in payloads:
            while (quiet := self._silent_until(conn) - asyncio.get_running_loop().time()) > 0:
                await asyncio.sleep(quiet)
            frame = envelope(subject, payload.SerializeToString(), self.clock.now_ns(), customer_id)
            await self._send_frame(conn, frame)

    async def _send_frame(self, conn: _Connection, frame: bytes, kind: str | None = None) -> None:
        if conn.ws.closed or conn.record.closed_by is not None:
            raise _ConnectionGone
        try:
            async with conn.lock:
                await conn.ws.send_bytes(frame)
        except (ConnectionError, RuntimeError) as err:
            raise _ConnectionGone from err
        record = conn.record
        record.frames_sent += 1
        record.bytes_sent += len(frame)
        if kind == "garbage":
            record.garbage_frames += 1
        elif kind == "oversized":
            record.oversized_frames += 1
        self._frame_counts[(record.customer, record.topic)] += 1

    async def _inject(self, customer: str, topic: str, frame: bytes, kind: str) -> int:
        self._customer(customer)
        sent = 0
        for conn in self._matching(customer, topic):
            with contextlib.suppress(_ConnectionGone):
                await self._send_frame(conn, frame, kind)
                sent += 1
        return sent

    async def _close(self, conn: _Connection, code: int, why: str) -> None:
        if conn.record.closed_by is None or conn.record.closed_by == why:
            conn.record.closed_by = why
            conn.record.close_code = code
        message = {"drop": b"simulated server error", "stop": b"server shutting down"}.get(why, b"")
        with contextlib.suppress(ConnectionError, RuntimeError, TimeoutError):
            await conn.ws.close(code=code, message=message)

    def _record(self, records: list[Any], entry: object) -> None:
        records.append(entry)
        if len(records) > self.max_records + self.max_records // 10:
            del records[: len(records) - self.max_records]

    # -- helpers ------------------------------------------------------------------------

    def _customer(self, name: str) -> _Customer:
        try:
            return self._customers[name]
        except KeyError:
            raise KeyError(f"no simulated customer {name!r}") from None

    def _check_new_key(self, key: str) -> None:
        if not key or key != key.strip() or any(ord(ch) < 0x21 or ord(ch) > 0x7E for ch in key):
            raise ValueError("a key must be non-empty printable ASCII without blanks")
        if key in self._key_owners:
            raise ValueError("that key is already in use")

    def _authenticate(self, key: str) -> tuple[_Customer | None, str]:
        """(customer, "current key" | "rotated key" | "revoked key") or (None, why)."""
        if not key:
            return None, "missing key"
        customer = self._key_owners.get(key)
        if customer is None:
            return None, "unknown key"
        self._expire(customer)
        ring = customer.keys
        if ring.current is not None and secrets.compare_digest(ring.current, key):
            return customer, "current key"
        if key in ring.revoked:
            return customer, "revoked key"
        return customer, "rotated key"

    def _expire(self, customer: _Customer) -> None:
        ring = customer.keys
        if self.key_lifetime is None or ring.current is None:
            return
        if self.clock.now() - ring.created >= self.key_lifetime:
            self.rotate_key(customer.name)

    def _matching(self, customer: str | None, topic: str | None) -> list[_Connection]:
        return [
            conn
            for conn in self._open
            if (customer is None or conn.customer.name == customer)
            and (topic is None or conn.topic.value == topic)
            and conn.record.closed_by is None
        ]

    def _active_silences(self, conn: _Connection) -> Iterator[_Silence]:
        now = asyncio.get_running_loop().time()
        self._silences = [s for s in self._silences if s.until > now]
        for rule in self._silences:
            if (rule.customer is None or rule.customer == conn.customer.name) and (
                rule.topic is None or rule.topic is conn.topic
            ):
                yield rule

    def _silent_until(self, conn: _Connection) -> float:
        return max((rule.until for rule in self._active_silences(conn)), default=0.0)

    def _deaf(self, conn: _Connection) -> bool:
        return any(not rule.pongs for rule in self._active_silences(conn))


def _parse_topic(value: str) -> Topic | None:
    """Exactly one of the six topic names (Central's spelling: lower case)."""
    return Topic(value) if value in TOPIC_NAMES else None


def _parse_topics(topics: Iterable[str]) -> set[Topic]:
    if isinstance(topics, str):
        topics = [topics]
    parsed = set()
    for name in topics:
        topic = _parse_topic(name)
        if topic is None:
            raise ValueError(f"unknown topic {name!r} (choose from {', '.join(TOPIC_NAMES)})")
        parsed.add(topic)
    return parsed


def _recorded_headers(request: web.Request) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        shown = (fingerprint(value) if value else "") if name.lower() == "authorization" else value
        headers.setdefault(name, shown)
    return headers


def _sized_frame(subject: str, customer_id: str, timestamp_ns: int, size: int) -> bytes:
    """A valid envelope of exactly `size` bytes whose payload is junk (0xff bytes)."""
    fixed = len(envelope(subject, b"", timestamp_ns, customer_id))
    for prefix in range(1, 6):  # the data field's length prefix: 1..5 varint bytes
        data_len = size - fixed - 1 - prefix
        if data_len > 0 and varint_size(data_len) == prefix:
            frame = envelope(subject, b"\xff" * data_len, timestamp_ns, customer_id)
            assert len(frame) == size
            return frame
    raise ValueError(f"cannot build a frame of exactly {size} bytes (at least {fixed + 3})")
