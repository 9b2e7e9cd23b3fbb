"""One (customer, topic) stream that never gives up.

The policy lives here, above the transport: which failures retry quickly, which
wait the maximum interval, when to ask for a renewed key, how loudly to log.
Only one connection attempt is in flight per subscription (one task runs the
loop); a key renewal opens the new connection before closing the old one, so no
frame is lost in the switch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, NotRequired, Protocol, TypedDict, Unpack

import aiohttp

from central_otel.loop_yield import yield_to_loop
from central_otel.new_central.topics import NewCentralTopic
from central_otel.streaming.backoff import Backoff, BackoffPolicy
from central_otel.streaming.failure_log import FailureLog, LogBursts
from central_otel.streaming.keys import CustomerKey, KeyOutcome
from central_otel.streaming.stagger import Stagger
from central_otel.streaming.transport import (
    ConnectFailed,
    Handshake,
    HandshakeRejected,
    Heartbeat,
    HeartbeatMissed,
    IdleTimeout,
    StreamError,
    TopicNotSubscribed,
    TransportSettings,
    Unauthorized,
    connect,
    receive,
)
from central_otel.topics import Topic

AnyTopic = Topic | NewCentralTopic

log = logging.getLogger(__name__)

CLOSE_NORMAL = 1000
CLOSE_MESSAGE_TOO_BIG = 1009


def seconds_text(delay: float) -> str:
    """A retry delay for a log line: "0.2s", "1.6s", "2s", "120s" (never "0s" for 0.2)."""
    return f"{delay:.1f}".rstrip("0").rstrip(".") + "s"


class StreamState(StrEnum):
    STARTING = "starting"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    WAITING = "waiting"  # backing off before the next attempt
    STOPPED = "stopped"


@dataclass(slots=True)
class SubscriptionStats:
    """What /status and the self-metrics report about one subscription."""

    state: StreamState = StreamState.STARTING
    connected_since: float | None = None  # wall clock
    last_frame_at: float | None = None  # wall clock
    frames: int = 0
    bytes: int = 0
    connects: int = 0
    reconnects: Counter[str] = field(default_factory=Counter)  # by cause
    oversized_frames: int = 0
    handler_errors: int = 0
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class StreamSettings:
    """One topic's settings (`central_otel.settings.stream_settings`)."""

    transport: TransportSettings
    backoff: BackoffPolicy
    idle_timeout: float | None  # None: no idle watchdog for this topic
    busy: float  # seconds of frame handling after which the loop's other tasks run


Connector = Callable[..., Awaitable[aiohttp.ClientWebSocketResponse]]
"""`transport.connect`'s signature: opens one stream."""


def log_bursts() -> LogBursts:
    """The `LogBursts` a process's subscriptions share (on their logger)."""
    return LogBursts(log)


# A handler may return an awaitable: the rest of its work on the frame, awaited
# before the next frame is read (so it may yield to the loop, frames stay in order).
FrameHandler = Callable[["Subscription", bytes, int], Awaitable[None] | None]
# What the loop common to both platforms calls; each platform's subscription takes a
# handler typed with itself.
_AnyHandler = Callable[[Any, bytes, int], Awaitable[None] | None]


class Credentials(Protocol):
    """What authenticates a customer's streams (a Classic streaming key, a New Central
    access token): a generation that changes when they are renewed."""

    generation: int

    async def wait_changed(self, generation: int) -> None: ...


@dataclass(frozen=True, slots=True)
class StreamRuntime:
    """What a process's subscriptions share, whatever their platform: the session and TLS
    setting they connect with, the process's turns for connection attempts (`stagger`:
    hundreds of streams reconnecting are spread; a lone one goes at once), who is told
    each time a connection has been closed, and the log bursts (hundreds of streams
    logging the same line at once are summed up). `sleep`, `clock`, `wall` and
    `connector` (how a stream is opened: the transport's `connect`) are seams for
    tests."""

    session: aiohttp.ClientSession
    ssl_setting: ssl.SSLContext | bool
    stagger: Stagger | None = None
    on_closed: Callable[[], None] | None = None
    bursts: LogBursts | None = None
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    connector: Connector = connect


class SubscriptionOptions(TypedDict):
    """What every platform's subscription takes beside its topic, credentials and frame
    handler (see `BaseSubscription`)."""

    customer: str
    url: str
    settings: StreamSettings
    runtime: StreamRuntime
    backoff: NotRequired[Backoff | None]


class BaseSubscription:
    """One stream that never gives up: the loop, the frame pump and the waits, common to
    both platforms. A platform's subclass connects (`_attempt`), and may follow renewed
    credentials on a live connection (`_follow_credentials`) or decide the delay after a
    connection ends (`_after_close`)."""

    platform: ClassVar[str]
    topic: AnyTopic

    def __init__(
        self,
        *,
        customer: str,
        topic: AnyTopic,
        url: str,
        credentials: Credentials,
        settings: StreamSettings,
        on_frame: _AnyHandler,
        runtime: StreamRuntime,
        backoff: Backoff | None = None,
    ) -> None:
        """`runtime`: what the process's subscriptions share; `backoff` (tests) replaces
        the one `settings.backoff` makes."""
        self.customer = customer
        self.topic = topic
        self.stats = SubscriptionStats()
        self._url = url
        self._credentials = credentials
        self._session = runtime.session
        self._ssl = runtime.ssl_setting
        self._settings = settings
        self._on_frame = on_frame
        self._backoff = backoff or Backoff(settings.backoff)
        self._stagger = runtime.stagger
        self._on_closed = runtime.on_closed
        self._sleep = runtime.sleep
        self._clock = runtime.clock
        self._wall = runtime.wall
        self._connector = runtime.connector
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._task: asyncio.Task[None] | None = None  # the task running `run`
        self._handshake: Handshake | None = None  # the loop's handshake in flight
        self._abandoned = False
        self._stopping = False
        self._wake = asyncio.Event()
        self._failures = FailureLog(log, clock=runtime.clock, bursts=runtime.bursts)
        self._handler_failures = FailureLog(log, clock=runtime.clock, bursts=runtime.bursts)
        self.label = f"customer {customer!r} topic {topic.value}"

    # -- lifecycle -----------------------------------------------------------

    async def run(self) -> None:
        """Connect, stream and reconnect until `stop()`."""
        self._task = asyncio.current_task()
        try:
            while not self.is_stopping():
                await self._take_turn()
                if self.is_stopping():
                    break
                delay = await self._attempt()
                if self.is_stopping():
                    break
                if delay > 0:
                    self.stats.state = StreamState.WAITING
                    await self._wait(delay)
        except asyncio.CancelledError:
            # stop() gave up on a handshake Central had not answered: that is the end
            # of the loop, not a cancellation of the task.
            task = self._task
            if not self._abandoned or task is None or task.uncancel() > 0:
                raise
        finally:
            self.stats.state = StreamState.STOPPED
            self._task = None

    def is_stopping(self) -> bool:
        return self._stopping

    async def stop(self) -> None:
        """Close the connection cleanly (code 1000) and end `run()`.

        A handshake Central has already answered is let finish, and its new connection
        closed with 1000 too (cancelling it would drop the socket without a close
        frame); one it has not answered is given up at once: there is no WebSocket to
        close yet, and a Central that does not answer would hold the stop up to
        `connect_timeout`."""
        self._stopping = True
        self._wake.set()
        handshake = self._handshake
        if handshake is not None and not handshake.answered and self._task is not None:
            self._abandoned = True
            self._task.cancel()
        ws = self._ws
        if ws is not None and not ws.closed:
            await ws.close(code=CLOSE_NORMAL)

    # -- one attempt -----------------------------------------------------------

    async def _take_turn(self) -> None:
        """Wait for this attempt's turn among the process's connection attempts (the
        stagger spreads hundreds of them; a lone one goes at once). Cut short by stop()."""
        if self._stagger is None:
            return
        self.stats.state = StreamState.CONNECTING
        wait = self._stagger.reserve()
        if wait > 0:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._wake.wait()

    @contextlib.contextmanager
    def _handshaking(self) -> Iterator[Handshake]:
        """The loop's handshake about to be made, known to stop() while in flight."""
        self._handshake = handshake = Handshake()
        try:
            yield handshake
        finally:
            self._handshake = None

    async def _attempt(self) -> float:
        """Connect and stream once; return the delay before the next attempt."""
        raise NotImplementedError

    def _refused(self, err: HandshakeRejected) -> float:
        """Any other refusal: a client error waits the maximum delay, a server error backs
        off."""
        client_error = 400 <= err.status < 500
        delay = self._backoff.maximum_delay() if client_error else self._backoff.next_delay()
        self._failed(
            err,
            logging.WARNING,
            f"{self.label}: Central refused the connection ({err}); "
            f"retrying in {seconds_text(delay)}",
        )
        return delay

    def _cannot_connect(self, err: ConnectFailed) -> float:
        """No HTTP answer (DNS, refused, TLS, timeout): back off."""
        delay = self._backoff.next_delay()
        self._failed(
            err,
            logging.WARNING,
            f"{self.label}: cannot connect to {self._url}: {err}; "
            f"retrying in {seconds_text(delay)}",
        )
        return delay

    def _failed(self, err: StreamError, level: int, message: str) -> None:
        self.stats.reconnects[err.cause] += 1
        self.stats.last_error = str(err)
        self._failures.failure(level, f"{type(err).__name__}:{err}", message, what=str(err))

    # -- streaming -------------------------------------------------------------

    async def _stream(self, ws: aiohttp.ClientWebSocketResponse, generation: int) -> float:
        self._ws = ws
        started = self._clock()
        self.stats.state = StreamState.CONNECTED
        self.stats.connected_since = self._wall()
        self.stats.connects += 1
        connected = f"connected to {self._url}"
        if not self._failures.success(f"{self.label}: {connected}", what=connected):
            self._failures.log(logging.INFO, "connected", connected, f"{self.label}: {connected}")
        follower = asyncio.create_task(
            self._follow_credentials(generation), name=f"credentials-follow {self.label}"
        )
        try:
            cause, detail = await self._pump()
        finally:
            follower.cancel()
            await asyncio.gather(follower, return_exceptions=True)
            if self._stopping:
                self._ws = None  # stop() is closing it
            else:
                await self._close_current()
            self._closed()
        lasted = self._clock() - started
        self._backoff.connected_for(lasted)
        self.stats.connected_since = None
        if self._stopping:
            return 0.0
        self.stats.last_error = detail
        if await self._after_close(cause, detail, lasted):
            return 0.0
        self.stats.reconnects[cause] += 1
        delay = self._backoff.next_delay()
        self._failures.failure(
            logging.WARNING,
            f"{cause}:{detail}",
            f"{self.label}: {detail} after {lasted:.0f}s; reconnecting in {delay:.1f}s",
            what=f"{detail}; reconnecting",
        )
        return delay

    async def _pump(self) -> tuple[str, str]:
        """Deliver frames until the connection ends; return (cause, description)."""
        idle = self._settings.idle_timeout
        loop = asyncio.get_running_loop()
        busy_since = time.perf_counter()
        current, heartbeat = None, Heartbeat(self._settings.transport.heartbeat, loop.time())
        while True:
            ws = self._ws
            assert ws is not None
            if ws is not current:  # the first connection, or a key switch's new one
                current, heartbeat = ws, Heartbeat(self._settings.transport.heartbeat, loop.time())
            try:
                msg = await receive(ws, heartbeat, idle)
            except (IdleTimeout, HeartbeatMissed) as err:
                return err.cause, str(err)
            kind = msg.type
            if kind is aiohttp.WSMsgType.BINARY or kind is aiohttp.WSMsgType.TEXT:
                data = msg.data if kind is aiohttp.WSMsgType.BINARY else msg.data.encode()
                # Nothing of a frame is kept while the next is awaited: a frame may be
                # max_msg_size bytes, and every subscription waits between frames.
                del msg
                await self._deliver(data)
                del data
                # A burst of buffered frames is read without suspending: let the
                # other tasks (the other streams, health, timers) run between frames.
                if time.perf_counter() - busy_since >= self._settings.busy:
                    await yield_to_loop()
                    busy_since = time.perf_counter()
                continue
            if self._ws is not ws:
                continue  # the old connection of a key switch closing: go on with the new one
            if self._stopping:
                return "stopped", "stopped"
            if kind is aiohttp.WSMsgType.ERROR:
                error = msg.data if isinstance(msg.data, BaseException) else ws.exception()
                if getattr(error, "code", None) == CLOSE_MESSAGE_TOO_BIG:
                    self.stats.oversized_frames += 1
                    limit = self._settings.transport.max_msg_size
                    return (
                        "oversized_frame",
                        f"a frame exceeded max_msg_size ({limit} bytes) and was dropped",
                    )
                return "error", f"connection failed: {error or 'unknown error'}"
            code = ws.close_code
            if code is None or (kind is aiohttp.WSMsgType.CLOSED and code == 1006):
                return "dropped", "connection dropped without a close frame"
            return "closed", f"Central closed the connection (code {code})"

    def _closed(self) -> None:
        if self._on_closed is not None:
            self._on_closed()

    async def _close_current(self) -> None:
        current, self._ws = self._ws, None
        if current is not None and not current.closed:
            await current.close(code=CLOSE_NORMAL)

    async def _deliver(self, data: bytes) -> None:
        stats = self.stats
        stats.frames += 1
        stats.bytes += len(data)
        now = self._wall()
        stats.last_frame_at = now
        try:
            pending = self._on_frame(self, data, int(now * 1e9))
            if pending is not None:  # the handler's rest of the frame, before the next one
                await pending
        except Exception as err:  # a consumer bug must not end the stream
            stats.handler_errors += 1
            self._handler_failures.failure(
                logging.ERROR,
                type(err).__name__,
                f"{self.label}: frame handler failed: {type(err).__name__}: {err}",
                what=f"frame handler failed: {type(err).__name__}",
            )

    async def _follow_credentials(self, generation: int) -> None:
        """Runs while connected: move the stream to renewed credentials (default: no)."""

    async def _after_close(self, cause: str, detail: str, lasted: float) -> bool:
        """True to reconnect at once after a connection ended (default: back off); the
        subclass then counts the reconnect and says why."""
        return False

    async def _wait(self, delay: float) -> None:
        """Sleep `delay`, cut short by stop() or renewed credentials."""
        generation = self._credentials.generation
        waiters = [
            asyncio.ensure_future(self._sleep(delay)),
            asyncio.ensure_future(self._wake.wait()),
            asyncio.ensure_future(self._credentials.wait_changed(generation)),
        ]
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            await asyncio.gather(*waiters, return_exceptions=True)


class Subscription(BaseSubscription):
    """One Classic (customer, topic) stream: the customer's streaming key in the
    `Authorization` header, the topic in `Topic`, on Central's `/streaming/api`."""

    platform: ClassVar[str] = "classic"
    topic: Topic

    def __init__(
        self,
        *,
        topic: Topic,
        username: str | None,
        key: CustomerKey,
        on_frame: FrameHandler,
        **options: Unpack[SubscriptionOptions],
    ) -> None:
        super().__init__(topic=topic, credentials=key, on_frame=on_frame, **options)
        self._username = username
        self._key = key

    async def _attempt(self) -> float:
        """Connect and stream once; return the delay before the next attempt."""
        self.stats.state = StreamState.CONNECTING
        generation = self._key.generation
        validations = self._key.validations
        try:
            with self._handshaking() as handshake:
                ws = await self._connect(handshake)
        except Unauthorized as err:
            return await self._unauthorized(err, generation, validations)
        except TopicNotSubscribed as err:
            delay = self._backoff.maximum_delay()
            self._failed(
                err,
                logging.ERROR,
                f"{self.label}: Central refused the subscription ({err}): the topic is not "
                f"enabled for streaming; tick '{self.topic.value}' under Organization > Platform "
                f"Integration > Streaming in Central; retrying every {delay:.0f}s",
            )
            return delay
        except HandshakeRejected as err:
            return self._refused(err)
        except ConnectFailed as err:
            return self._cannot_connect(err)
        if self._stopping:  # stop() came while the handshake was in flight
            await ws.close(code=CLOSE_NORMAL)
            return 0.0
        return await self._stream(ws, generation)

    async def _connect(self, handshake: Handshake | None = None) -> aiohttp.ClientWebSocketResponse:
        headers = {"Topic": self.topic.value}
        if self._username:
            headers["UserName"] = self._username
        return await self._connector(
            self._session,
            self._url,
            authorization=self._key.current,
            headers=headers,
            ssl_setting=self._ssl,
            settings=self._settings.transport,
            handshake=handshake,
        )

    async def _unauthorized(self, err: Unauthorized, generation: int, validations: int) -> float:
        result = await self._key.check("unauthorized", refused_after=validations)
        if self._key.generation != generation:
            self.stats.reconnects["unauthorized"] += 1
            log.info(
                "%s: key was refused (HTTP 401); retrying at once with the renewed key %s",
                self.label,
                self._key.fingerprint,
            )
            return 0.0
        delay = self._backoff.maximum_delay()
        if result.outcome is KeyOutcome.FAILED:
            why = f"the key could not be validated ({result.detail})"
        elif result.outcome is KeyOutcome.REJECTED:
            why = "the validate endpoint rejects it too: the key is wrong or revoked"
        else:
            why = "the validate endpoint says it is current"
        self._failed(
            err,
            logging.ERROR,
            f"{self.label}: Central refused key {self._key.fingerprint} (HTTP 401); {why}; "
            f"retrying every {delay:.0f}s",
        )
        return delay

    async def _follow_credentials(self, generation: int) -> None:
        """Move this stream to a renewed key: connect with it, then close the old socket."""
        while True:
            await self._key.wait_changed(generation)
            generation = self._key.generation
            if self._stagger is not None:
                await self._stagger.turn()
            try:
                new = await self._connect()
            except StreamError as err:
                log.warning(
                    "%s: could not connect with the renewed key (%s); "
                    "staying on the current connection",
                    self.label,
                    err,
                )
                continue
            old, self._ws = self._ws, new
            self.stats.connects += 1
            log.info("%s: switched to the renewed key %s", self.label, self._key.fingerprint)
            if old is not None:
                await old.close(code=CLOSE_NORMAL)
                self._closed()
