"""Unary gRPC calls on one HTTP/2 connection: what the OTLP exports need of gRPC.

An export is one unary call at a time per signal, its request already serialised
(and compressed by the transport, once for all attempts). grpcio would make them
too, but its core library and the threads and state of a connected channel cost
more memory than the rest of the export path; this client speaks gRPC's HTTP/2
mapping (gRPC's PROTOCOL-HTTP2.md) with the `h2` protocol library on a blocking
socket, from the calling thread:

- one connection, opened when first needed and kept; a connection the server
  closed or sent GOAWAY on while idle is noticed before the next call, which then
  goes on a new one;
- HTTP/2 flow control: a request larger than the server's window is sent as the
  server opens it;
- TLS from an `ssl.SSLContext` (ALPN ``h2``), through an HTTP CONNECT proxy when
  the environment names one, as grpcio does (``grpc_proxy``, ``https_proxy``,
  ``http_proxy``; ``no_grpc_proxy``, ``no_proxy``);
- the status comes from the trailers (or a trailers-only response), an HTTP error
  without one is mapped as the spec says, and a failure to connect or a broken
  connection is ``UNAVAILABLE``, a deadline passed ``DEADLINE_EXCEEDED``.

Calls on one client are serialised by a lock: each thread that exports has its
own transport.
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import os
import socket
import ssl
import struct
import threading
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from urllib.parse import unquote, urlsplit

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions

_READ_SIZE = 65_536
_PREFIX = struct.Struct(">BI")  # a message's compressed flag and length
_MAX_PROXY_ANSWER = 16_384


class StatusCode(IntEnum):
    """gRPC's status codes (their names are those of grpcio's ``StatusCode``)."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


# An HTTP status without a gRPC status (a proxy's answer), as the spec maps them.
_HTTP_STATUS_CODES = {
    400: StatusCode.INTERNAL,
    401: StatusCode.UNAUTHENTICATED,
    403: StatusCode.PERMISSION_DENIED,
    404: StatusCode.UNIMPLEMENTED,
    429: StatusCode.UNAVAILABLE,
    502: StatusCode.UNAVAILABLE,
    503: StatusCode.UNAVAILABLE,
    504: StatusCode.UNAVAILABLE,
}
# A stream reset by the server (RST_STREAM), as the spec maps the HTTP/2 error codes.
_RESET_CODES = {
    h2.errors.ErrorCodes.REFUSED_STREAM: StatusCode.UNAVAILABLE,
    h2.errors.ErrorCodes.CANCEL: StatusCode.CANCELLED,
    h2.errors.ErrorCodes.ENHANCE_YOUR_CALM: StatusCode.RESOURCE_EXHAUSTED,
    h2.errors.ErrorCodes.INADEQUATE_SECURITY: StatusCode.PERMISSION_DENIED,
}


@dataclass(frozen=True, slots=True)
class CallResult:
    """The outcome of one call."""

    code: StatusCode
    message: str = ""  # grpc-message, or what went wrong on the connection
    response: bytes = b""  # the response message (decompressed), when OK
    trailers: Mapping[str, bytes] = field(default_factory=dict)  # metadata, -bin decoded


@dataclass(frozen=True, slots=True)
class GrpcEndpoint:
    """Where the calls go: host and port, TLS (None: plaintext HTTP/2)."""

    host: str
    port: int
    tls: ssl.SSLContext | None = None

    @property
    def authority(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


@dataclass(frozen=True, slots=True)
class Proxy:
    """An HTTP proxy that tunnels with CONNECT (its credentials, if any, are sent as
    Basic authentication and never shown)."""

    host: str
    port: int
    authorization: str | None = None

    def __repr__(self) -> str:
        return f"Proxy({self.host}:{self.port})"


def proxy_from_environment(host: str, environ: Mapping[str, str] | None = None) -> Proxy | None:
    """The proxy grpcio would use for `host`: ``grpc_proxy``, else ``https_proxy``,
    else ``http_proxy`` (an ``http://`` URL), unless ``no_grpc_proxy`` (else
    ``no_proxy``) exempts the host. Lower-case names first, then upper-case."""
    env = os.environ if environ is None else environ

    def variable(name: str) -> str:
        return env.get(name) or env.get(name.upper()) or ""

    url = variable("grpc_proxy") or variable("https_proxy") or variable("http_proxy")
    if not url:
        return None
    if _exempt(host, variable("no_grpc_proxy") or variable("no_proxy")):
        return None
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError("the proxy for OTLP/gRPC must be an http:// URL (HTTP CONNECT)")
    authorization = None
    if parts.username is not None:
        user_password = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        authorization = base64.b64encode(user_password.encode()).decode("ascii")
    return Proxy(parts.hostname, parts.port or 80, authorization)


def _exempt(host: str, no_proxy: str) -> bool:
    """Whether `no_proxy` (comma-separated: ``*``, host names and their domains, IP
    addresses and networks) names `host`."""
    host = host.lower().strip("[]")
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if entry == "*":
            return True
        if not entry:
            continue
        if address is not None:
            try:
                if address in ipaddress.ip_network(entry.strip("[]"), strict=False):
                    return True
            except ValueError:
                pass
            continue
        domain = entry.lstrip(".").rsplit(":", 1)[0] if not entry.endswith("]") else entry
        if host == domain or host.endswith("." + domain):
            return True
    return False


class _ConnectionGone(Exception):
    """The connection ended before the server took the call: it may go on another."""


class _Stream:
    __slots__ = ("data", "ended", "headers", "reset", "trailers")

    def __init__(self) -> None:
        self.headers: dict[str, bytes] = {}
        self.trailers: dict[str, bytes] = {}
        self.data = bytearray()
        self.ended = False
        self.reset: int | None = None


class _Connection:
    """One HTTP/2 connection on a connected (and, with TLS, wrapped) socket."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self.closed = False
        self.h2 = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=True, header_encoding=None)
        )
        self.h2.initiate_connection()
        self._flush(deadline)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            with contextlib.suppress(OSError, h2.exceptions.H2Error):
                self.h2.close_connection()
                self.sock.settimeout(0.5)
                self.sock.sendall(self.h2.data_to_send())
        self.sock.close()

    def idle_check(self) -> bool:
        """Take in what arrived while idle (settings, pings, a GOAWAY, the close);
        False if the connection can no longer carry a call."""
        if self.closed:
            return False
        try:
            self.sock.settimeout(0)
            while True:
                data = self.sock.recv(_READ_SIZE)
                if not data:
                    return False
                for event in self.h2.receive_data(data):
                    if isinstance(event, h2.events.ConnectionTerminated):
                        return False
                pending = self.h2.data_to_send()
                if pending:
                    self.sock.settimeout(1.0)
                    self.sock.sendall(pending)
                    self.sock.settimeout(0)
        except (BlockingIOError, ssl.SSLWantReadError):
            return True
        except (OSError, h2.exceptions.H2Error):
            return False

    def call(self, headers: list[tuple[bytes, bytes]], payload: bytes, deadline: float) -> _Stream:
        conn = self.h2
        stream_id = conn.get_next_available_stream_id()
        state = _Stream()
        conn.send_headers(stream_id, headers)
        view = memoryview(payload)
        offset, total = 0, len(view)  # never empty: the message's prefix is 5 bytes
        while offset < total and not state.ended:
            room = min(conn.local_flow_control_window(stream_id), total - offset)
            if room <= 0:  # the server's window is full: wait for it to open
                self._flush(deadline)
                self._receive(stream_id, state, deadline)
                continue
            while room > 0:
                size = min(room, conn.max_outbound_frame_size)
                end = offset + size
                conn.send_data(stream_id, view[offset:end], end_stream=end == total)
                offset, room = end, room - size
        if offset < total:  # answered before the whole request was sent: an error
            with contextlib.suppress(h2.exceptions.ProtocolError):
                conn.reset_stream(stream_id, h2.errors.ErrorCodes.CANCEL)
        self._flush(deadline)
        while not state.ended:
            self._receive(stream_id, state, deadline)
        return state

    def _flush(self, deadline: float) -> None:
        data = self.h2.data_to_send()
        if data:
            self.sock.settimeout(_remaining(deadline))
            self.sock.sendall(data)

    def _receive(self, stream_id: int, state: _Stream, deadline: float) -> None:
        self.sock.settimeout(_remaining(deadline))
        data = self.sock.recv(_READ_SIZE)
        if not data:
            self.closed = True
            if state.headers:
                raise ConnectionResetError("the server closed the connection during the call")
            raise _ConnectionGone
        for event in self.h2.receive_data(data):
            if isinstance(event, h2.events.ConnectionTerminated):
                # GOAWAY: no new call on this connection; the calls up to its last
                # stream still complete (a graceful shutdown), the others were not taken.
                self.closed = True
                if event.last_stream_id is not None and event.last_stream_id < stream_id:
                    raise _ConnectionGone
            if getattr(event, "stream_id", None) != stream_id:
                continue
            if isinstance(event, h2.events.ResponseReceived):
                state.headers = _header_dict(event.headers or ())
            elif isinstance(event, h2.events.DataReceived):
                state.data += event.data or b""
                self.h2.acknowledge_received_data(event.flow_controlled_length or 0, stream_id)
            elif isinstance(event, h2.events.TrailersReceived):
                state.trailers = _header_dict(event.headers or ())
            elif isinstance(event, h2.events.StreamEnded):
                state.ended = True
            elif isinstance(event, h2.events.StreamReset):
                state.ended = True
                state.reset = int(event.error_code or 0)
        self._flush(deadline)


class GrpcClient:
    """Unary calls to one endpoint, with the same metadata on each."""

    def __init__(
        self,
        endpoint: GrpcEndpoint,
        *,
        user_agent: str,
        metadata: Mapping[str, str],
        encoding: str | None = None,
        proxy: Proxy | None = None,
    ) -> None:
        """`encoding`: the ``grpc-encoding`` of the messages the caller passes (already
        compressed: ``gzip``), or None for uncompressed messages."""
        self.endpoint = endpoint
        self.proxy = proxy
        self._encoding = encoding
        scheme = b"https" if endpoint.tls is not None else b"http"
        self._headers = [
            (b":method", b"POST"),
            (b":scheme", scheme),
            (b":authority", endpoint.authority.encode("ascii")),
        ]
        self._tail = [
            (b"content-type", b"application/grpc"),
            (b"te", b"trailers"),
            (b"user-agent", user_agent.encode("ascii")),
            (b"grpc-accept-encoding", b"gzip"),
            *([(b"grpc-encoding", encoding.encode("ascii"))] if encoding else []),
            *((name.lower().encode("ascii"), value.encode()) for name, value in metadata.items()),
        ]
        self._lock = threading.Lock()
        self._connection: _Connection | None = None
        self._closed = False

    def __repr__(self) -> str:  # no metadata: it may hold credentials
        return f"<GrpcClient {self.endpoint.authority}>"

    def call(self, path: str, message: bytes, timeout: float) -> CallResult:
        """Call `path` (``/package.Service/Method``) with `message` (already encoded
        with the client's `encoding`), within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        headers = [
            *self._headers,
            (b":path", path.encode("ascii")),
            *self._tail,
            (b"grpc-timeout", _timeout_value(timeout)),
        ]
        payload = _PREFIX.pack(1 if self._encoding else 0, len(message)) + message
        with self._lock:
            for _ in range(2):  # a second time only if the first connection was gone
                if self._closed:
                    return CallResult(StatusCode.UNAVAILABLE, "the client is closed")
                try:
                    connection = self._connected(deadline)
                    state = connection.call(headers, payload, deadline)
                except _ConnectionGone:
                    self._drop()
                    continue
                except TimeoutError:
                    self._drop()
                    return CallResult(StatusCode.DEADLINE_EXCEEDED, "deadline exceeded")
                except (OSError, ValueError, h2.exceptions.H2Error) as error:
                    self._drop()
                    return CallResult(StatusCode.UNAVAILABLE, _describe(error))
                if connection.closed:
                    self._drop()
                return _result(state)
            return CallResult(StatusCode.UNAVAILABLE, "the server closed the connection")

    def close(self) -> None:
        """Close the connection; a call in progress ends at once, and any later one,
        with ``UNAVAILABLE``."""
        self._closed = True
        connection = self._connection
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)
        with self._lock:
            self._drop()

    def _connected(self, deadline: float) -> _Connection:
        connection = self._connection
        if connection is not None and connection.idle_check():
            return connection
        self._drop()
        self._connection = connection = _Connection(self._open(deadline), deadline)
        return connection

    def _open(self, deadline: float) -> socket.socket:
        endpoint, proxy = self.endpoint, self.proxy
        address = (proxy.host, proxy.port) if proxy else (endpoint.host, endpoint.port)
        sock = socket.create_connection(address, timeout=_remaining(deadline))
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if proxy is not None:
                _tunnel(sock, endpoint.authority, proxy.authorization, deadline)
            if endpoint.tls is None:
                return sock
            sock.settimeout(_remaining(deadline))
            wrapped = endpoint.tls.wrap_socket(sock, server_hostname=endpoint.host)
        except BaseException:
            sock.close()
            raise
        protocol = wrapped.selected_alpn_protocol()
        if protocol not in (None, "h2"):
            wrapped.close()
            raise ConnectionError(f"the server offers {protocol}, not HTTP/2")
        return wrapped

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    return remaining


def _timeout_value(seconds: float) -> bytes:
    """``grpc-timeout``: at most 8 digits and a unit."""
    millis = max(1, int(seconds * 1000))
    return f"{millis}m".encode() if millis < 100_000_000 else f"{int(seconds)}S".encode()


def _tunnel(
    sock: socket.socket, authority: str, authorization: str | None, deadline: float
) -> None:
    """Ask the proxy on `sock` for a tunnel to `authority` (HTTP CONNECT)."""
    lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}"]
    if authorization is not None:
        lines.append(f"Proxy-Authorization: Basic {authorization}")
    sock.settimeout(_remaining(deadline))
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
    answer = b""
    while b"\r\n\r\n" not in answer:
        sock.settimeout(_remaining(deadline))
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("the proxy closed the connection")
        answer += chunk
        if len(answer) > _MAX_PROXY_ANSWER:
            raise ConnectionError("the proxy's answer has no end")
    status = answer.split(b"\r\n", 1)[0].decode("latin-1")
    if status.split(" ")[1:2] != ["200"]:
        raise ConnectionError(f"the proxy refused the tunnel: {status[:80]}")


def _header_dict(headers: Iterable[tuple[bytes | str, bytes | str]]) -> dict[str, bytes]:
    """Names as text; values as bytes, base64-decoded for binary (``-bin``) metadata."""
    out = {}
    for raw_name, raw_value in headers:
        name = raw_name.decode("latin-1") if isinstance(raw_name, bytes) else raw_name
        value = raw_value if isinstance(raw_value, bytes) else raw_value.encode()
        if name.endswith("-bin"):
            try:
                value = base64.b64decode(value + b"=" * (-len(value) % 4))
            except ValueError:
                continue
        out[name] = value
    return out


def _result(state: _Stream) -> CallResult:
    """The call's status, message and response from what the stream carried."""
    metadata = {**state.headers, **state.trailers}
    if state.reset is not None and "grpc-status" not in metadata:
        code = _RESET_CODES.get(state.reset, StatusCode.INTERNAL)  # type: ignore[call-overload]
        return CallResult(code, f"stream reset by the server ({state.reset})", trailers=metadata)
    raw_status = metadata.get("grpc-status")
    if raw_status is None:
        http = state.headers.get(":status", b"")
        http_status = int(http) if http.isdigit() else 0
        if http_status != 200:
            code = _HTTP_STATUS_CODES.get(http_status, StatusCode.UNKNOWN)
            return CallResult(code, f"HTTP status {http_status}", trailers=metadata)
        return CallResult(StatusCode.UNKNOWN, "no grpc-status in the answer", trailers=metadata)
    try:
        code = StatusCode(int(raw_status))
    except ValueError:
        code = StatusCode.UNKNOWN
    message = unquote(metadata.get("grpc-message", b"").decode("utf-8", "replace"))
    if code is not StatusCode.OK:
        return CallResult(code, message, trailers=metadata)
    try:
        response = _message(bytes(state.data), metadata.get("grpc-encoding", b"identity"))
    except (ValueError, zlib.error) as error:
        return CallResult(StatusCode.INTERNAL, f"unreadable response: {error}", trailers=metadata)
    return CallResult(code, message, response, metadata)


def _message(data: bytes, encoding: bytes) -> bytes:
    """The response message from its length-prefixed frame (none: empty)."""
    if not data:
        return b""
    if len(data) < _PREFIX.size:
        raise ValueError("truncated message")
    compressed, length = _PREFIX.unpack_from(data)
    body = data[_PREFIX.size : _PREFIX.size + length]
    if len(body) != length:
        raise ValueError("truncated message")
    if not compressed:
        return body
    if encoding == b"gzip":
        return zlib.decompress(body, 31)
    if encoding == b"deflate":
        return zlib.decompress(body)
    raise ValueError(f"unknown grpc-encoding {encoding.decode('latin-1')}")


def _describe(error: BaseException) -> str:
    """A short text for an error on the connection, for the transport's debug log."""
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS: {error.verify_message}"
    text = str(error) or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."
