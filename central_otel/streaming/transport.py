"""One WebSocket to Central (Classic's `/streaming/api`, or a New Central topic's
path): connect, classify failures, receive.

The transport knows nothing of retries or credentials beyond the ones it is given;
the policy above it (`subscription`) decides what each failure class means.
"""

from __future__ import annotations

import asyncio
import contextvars
import ssl
from collections.abc import Mapping, Sequence
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


@dataclass(frozen=True, slots=True)
class TransportSettings:
    """`config.StreamingConfig` as the transport needs it (defaults live there)."""

    heartbeat: float  # WebSocket ping interval; no pong within half of it closes
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
                heartbeat=settings.heartbeat,
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
