"""Operator-readable text for a failed TCP connection or name lookup.

aiohttp's own text ("[Errno 111] Connect call failed ('10.0.0.5', 443)") is accurate but
cryptic; operators need the address and the plain reason. Never contains a key: the
texts are built from the host, port and the OS error only.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence

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
