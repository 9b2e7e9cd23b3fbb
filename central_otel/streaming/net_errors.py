"""Operator-readable text for a failed TCP connection, name lookup or HTTP request, and
the one bounded way this project makes an HTTP request to Central.

aiohttp's own text ("[Errno 111] Connect call failed ('10.0.0.5', 443)") is accurate but
cryptic; operators need the address and the plain reason. Never contains a key: the
texts are built from the host, port and the OS error only.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp

from central_otel.secret import Secret, redact

# Reasons named by errno, worded as operators search for them.
_REASONS = {
    errno.ECONNREFUSED: "connection refused",
    errno.ETIMEDOUT: "connection timed out",
    errno.EHOSTUNREACH: "host unreachable",
    errno.ENETUNREACH: "network unreachable",
    errno.ECONNRESET: "connection reset",
}


def describe_connector_error(err: aiohttp.ClientConnectorError) -> str:
    """The reason alone (callers name the URL): e.g. ``connection refused``, or
    ``name lookup of central.example failed: Name or service not known``."""
    os_error = err.os_error
    if isinstance(err, aiohttp.ClientConnectorDNSError):
        reason = os_error.strerror or str(os_error) or type(os_error).__name__
        return f"name lookup of {err.host} failed: {reason}"
    code = os_error.errno
    if code in _REASONS:
        return _REASONS[code]
    if code:
        return os.strerror(code)
    return os_error.strerror or str(os_error) or type(os_error).__name__


REQUEST_ERRORS = (TimeoutError, aiohttp.ClientError, OSError)
"""What an HTTP request to Central (key validation, token) may raise instead of an answer."""


def describe_request_error(err: BaseException, timeout: float, secrets: Sequence[Secret]) -> str:
    """Why an HTTP request got no answer, for an operator line; `secrets` redacted."""
    if isinstance(err, TimeoutError):
        return f"no answer within {timeout:g}s"
    if isinstance(err, aiohttp.ClientConnectorCertificateError):
        return f"TLS certificate not trusted: {err.certificate_error}"
    if isinstance(err, aiohttp.ClientSSLError):
        return redact(f"TLS error: {err.__cause__ or err}", secrets)
    if isinstance(err, aiohttp.ClientConnectorError):
        return redact(describe_connector_error(err), secrets)
    return redact(str(err) or type(err).__name__, secrets)


class RequestFailed(Exception):
    """An HTTP request got no answer; `str()` is the operator's reason, secrets redacted."""


async def bounded_request(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    timeout: float,
    secrets: Sequence[Secret],
    max_body: int,
    **kwargs: Any,
) -> tuple[int, Mapping[str, str], bytes]:
    """(status, headers, body) of one request to Central, within `timeout` seconds and
    `max_body` bytes of answer (the rest is not read); any failure is `RequestFailed`
    with `describe_request_error`'s text. `kwargs` go to aiohttp (headers, data, params,
    ssl...)."""
    try:
        async with session.request(
            method, url, timeout=aiohttp.ClientTimeout(total=timeout), **kwargs
        ) as response:
            return response.status, response.headers, await _read(response, max_body)
    except REQUEST_ERRORS as err:
        raise RequestFailed(describe_request_error(err, timeout, secrets)) from None


async def _read(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The body up to `limit` bytes (``read(n)`` alone may stop at whatever has arrived)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]
