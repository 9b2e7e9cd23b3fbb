"""One WebSocket to Central (Classic's `/streaming/api`, or a New Central topic's
path): connect, classify failures, receive.

The transport knows nothing of retries or credentials beyond the ones it is given;
the policy above it (`subscription`) decides what each failure class means.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import ssl
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from types import SimpleNamespace

import aiohttp
from yarl import URL

from central_otel.secret import Secret, redact
from central_otel.streaming.net_errors import describe_connector_error


class Handshake:
    """One upgrade request as the session's trace sees it: whether Central has answered
    yet, and the start of a refusal's body. Central explains a refused subscription
    there (e.g. "Unsubscribed Topic"), which aiohttp's ws_connect discards."""

    __slots__ = ("answered", "body")

    def __init__(self) -> None:
        self.answered = False
        self.body = b""


# The handshake the current task is making, for the trace hook.
_current_handshake: contextvars.ContextVar[Handshake | None] = contextvars.ContextVar(
    "central_otel_handshake", default=None
)
_MAX_BODY = 512
UNSUBSCRIBED_TOPIC = "Unsubscribed Topic"


class StreamError(Exception):
    """A connection attempt or a connection failed; `cause` labels the reconnect counter."""

    cause = "error"


class HandshakeRejected(StreamError):
    """Central answered the upgrade request with an HTTP error status."""

    cause = "http_error"

    def __init__(self, status: int, reason: str, body: str) -> None:
        self.status = status
        self.reason = reason
        self.body = body
        text = f"HTTP {status} {reason}".rstrip()
        super().__init__(f"{text}: {body}" if body else text)


class Unauthorized(HandshakeRejected):
    """401: the key or token is wrong, expired (rotated) or revoked."""

    cause = "unauthorized"


class TopicNotSubscribed(HandshakeRejected):
    """400 "Unsubscribed Topic": the topic is not ticked for streaming in Central's UI."""

    cause = "unsubscribed_topic"


class ConnectFailed(StreamError):
    """No HTTP answer at all: DNS, refused, TLS, timeout. The message keeps the real cause."""

    cause = "network"


class IdleTimeout(StreamError):
    """The idle watchdog: no data frame for the topic's idle time."""

    cause = "idle"


class HeartbeatMissed(StreamError):
    """A heartbeat ping went unanswered: the peer is gone."""

    cause = "heartbeat"


@dataclass(frozen=True, slots=True)
class TransportSettings:
    """`config.StreamingConfig` as the transport needs it (defaults live there)."""

    heartbeat: float  # WebSocket ping interval; nothing heard within half of it closes
    connect_timeout: float
    max_msg_size: int
    close_timeout: float


def tls_context(ca_file: str | None, verify: bool) -> ssl.SSLContext | bool:
    """The TLS setting for aiohttp: system CAs plus `ca_file`, or no verification."""
    if not verify:
        return False
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


async def _on_answer(
    session: aiohttp.ClientSession,
    context: SimpleNamespace,
    params: aiohttp.TraceRequestEndParams,
) -> None:
    handshake = _current_handshake.get()
    if handshake is None:
        return
    handshake.answered = True
    if params.response.status != 101:
        try:
            handshake.body = await params.response.content.read(_MAX_BODY)
        except (aiohttp.ClientError, TimeoutError):
            handshake.body = b""


def handshake_trace() -> aiohttp.TraceConfig:
    """The trace config a session needs so a handshake knows when Central answered and
    a rejected one keeps its body."""
    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(_on_answer)
    return trace


async def connect(
    session: aiohttp.ClientSession,
    url: str,
    *,
    authorization: Secret,
    headers: Mapping[str, str] | None = None,
    secrets: Sequence[Secret] = (),
    ssl_setting: ssl.SSLContext | bool,
    settings: TransportSettings,
    handshake: Handshake | None = None,
) -> aiohttp.ClientWebSocketResponse:
    """Open the stream with `authorization` as the `Authorization` header (and the other
    `headers`). Raises `StreamError` subclasses only, with `authorization` and `secrets`
    (e.g. the bare token inside a ``Bearer`` value) redacted. `handshake` lets the
    caller see whether Central has answered yet."""
    hidden = [authorization, *secrets]
    headers = {**(headers or {}), "Authorization": authorization.reveal()}
    if handshake is None:
        handshake = Handshake()
    token = _current_handshake.set(handshake)
    try:
        # asyncio.timeout, not wait_for: on Python 3.11, wait_for drops a cancellation
        # that arrives as the handshake completes, and the task would stream on after
        # stop() cancelled it.
        async with asyncio.timeout(settings.connect_timeout):
            # encoded: the URL is sent as built (an `event-types` filter's %2C stays %2C).
            return await session.ws_connect(
                URL(url, encoded=True),
                headers=headers,
                autoping=False,  # `receive` answers pings and runs the heartbeat
                max_msg_size=settings.max_msg_size,
                ssl=ssl_setting,
                timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=settings.close_timeout),
            )
    except aiohttp.WSServerHandshakeError as err:
        body = redact(handshake.body.decode("utf-8", "replace").strip(), hidden)
        raise _rejection(err.status, err.message, body) from None
    except TimeoutError:
        raise ConnectFailed(f"no answer within {settings.connect_timeout:g}s") from None
    except aiohttp.ClientConnectorCertificateError as err:
        raise ConnectFailed(f"TLS certificate not trusted: {err.certificate_error}") from None
    except aiohttp.ClientSSLError as err:
        raise ConnectFailed(f"TLS error: {_describe(err.__cause__ or err, hidden)}") from None
    except aiohttp.ClientConnectorError as err:
        raise ConnectFailed(redact(describe_connector_error(err), hidden)) from None
    except (aiohttp.ClientError, OSError) as err:
        raise ConnectFailed(_describe(err, hidden)) from None
    finally:
        _current_handshake.reset(token)


def _rejection(status: int, reason: str, body: str) -> HandshakeRejected:
    if status == 401:
        return Unauthorized(status, "Unauthorized", body)
    if status == 400 and UNSUBSCRIBED_TOPIC.lower() in body.lower():
        return TopicNotSubscribed(status, "Bad Request", body)
    if reason == "Invalid response status":  # aiohttp's text, not the server's reason
        reason = _phrase(status)
    return HandshakeRejected(status, reason, body)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _describe(err: BaseException, secrets: Sequence[Secret]) -> str:
    text = str(err) or type(err).__name__
    return redact(text, secrets)


class Heartbeat:
    """The connection's pings: when the next is due, and the one awaiting an answer.

    `receive` pings Central every `interval` seconds, whatever else flows (New
    Central's SDK does so too: Central asks for a ping every 10 s), and gives the
    connection up when nothing at all, pong or frame, comes within half the interval of
    a ping. aiohttp's own heartbeat is not used: it leaves a callback on the
    connection's protocol that, with the reader, forms a reference cycle outliving the
    connection, so each closed connection (TLS buffers and all) waited for a full
    garbage collection, which the GC policy (`gc_policy`) runs only rarely.
    """

    __slots__ = ("frame_at", "interval", "next_ping_at", "pinged_at")

    def __init__(self, interval: float, now: float) -> None:
        self.interval = interval
        self.next_ping_at = now + interval
        self.pinged_at: float | None = None  # the ping not answered yet
        self.frame_at = now  # the last data frame: the idle watchdog's clock


async def receive(
    ws: aiohttp.ClientWebSocketResponse, heartbeat: Heartbeat, idle: float | None
) -> aiohttp.WSMessage:
    """The next data, close or error message of `ws` (opened by `connect`). Answers
    Central's pings and pings Central (`Heartbeat`). Raises `IdleTimeout` when no data
    frame came for `idle` seconds (None: never), `HeartbeatMissed` when a ping went
    unanswered."""
    loop = asyncio.get_running_loop()
    while True:
        now = loop.time()
        if heartbeat.pinged_at is None and now >= heartbeat.next_ping_at:
            heartbeat.pinged_at = now
            heartbeat.next_ping_at = now + heartbeat.interval
            await _send_quietly(ws.ping())
        if heartbeat.pinged_at is None:
            due = heartbeat.next_ping_at
        else:
            due = heartbeat.pinged_at + heartbeat.interval / 2
        if idle is not None:
            due = min(due, heartbeat.frame_at + idle)
        try:
            # At least a millisecond: aiohttp takes a timeout of 0 as "no timeout".
            msg = await ws.receive(timeout=max(due - now, 0.001))
        except TimeoutError:
            now = loop.time()
            if idle is not None and now >= heartbeat.frame_at + idle:
                raise IdleTimeout(f"no frame for {idle:.0f}s (idle watchdog)") from None
            pinged_at = heartbeat.pinged_at
            if pinged_at is not None and now >= pinged_at + heartbeat.interval / 2:
                wait = heartbeat.interval / 2
                raise HeartbeatMissed(f"no answer to a heartbeat ping within {wait:g}s") from None
            continue
        heartbeat.pinged_at = None  # Central is there
        kind = msg.type
        if kind is aiohttp.WSMsgType.PING:
            await _send_quietly(ws.pong(msg.data))
            continue
        if kind is aiohttp.WSMsgType.PONG:
            continue
        if kind is aiohttp.WSMsgType.BINARY or kind is aiohttp.WSMsgType.TEXT:
            heartbeat.frame_at = loop.time()
        return msg


async def _send_quietly(sending: Awaitable[None]) -> None:
    """A ping or pong on a connection that may be closing: if it cannot be sent, the
    next receive reports how the connection ended."""
    with contextlib.suppress(ConnectionError, aiohttp.ClientError):
        await sending
