"""Parsing of the address-like values: Central's base URL, the OTLP endpoint, a listen address."""

from __future__ import annotations

import ipaddress
import re
from typing import NamedTuple

from central_otel.config.errors import show_value

_HOST_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")

STREAMING_PATH = "/streaming/api"
VALIDATE_PATH = "/streaming/token/validate"


class HostPort(NamedTuple):
    host: str
    port: int | None

    @property
    def netloc(self) -> str:
        """``host``, ``host:port`` or ``[v6addr]:port``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"


class CentralEndpoint(NamedTuple):
    secure: bool
    """TLS (https/wss) or plain (http/ws, for a local simulator)."""
    address: HostPort


def _parse_port(text: str, *, allow_zero: bool = False) -> int:
    low = 0 if allow_zero else 1
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= 65535:
        raise ValueError(f"invalid port {show_value(text)} (expected {low}-65535)")
    return int(text)


def _parse_host(text: str) -> str:
    if not text:
        raise ValueError("the host name is missing")
    if text.startswith("[") and text.endswith("]"):
        try:
            return str(ipaddress.IPv6Address(text[1:-1]))
        except ValueError:
            raise ValueError(f"invalid IPv6 address {show_value(text)}") from None
    if ":" in text:
        raise ValueError(f"invalid host {show_value(text)} (put IPv6 addresses in brackets)")
    if not text.isascii() or not _HOST_NAME.fullmatch(text) or ".." in text:
        raise ValueError(f"invalid host name {show_value(text)}")
    return text.lower()


def parse_host_port(text: str, *, port_required: bool, allow_zero_port: bool = False) -> HostPort:
    """``host``, ``host:port``, ``[v6addr]`` or ``[v6addr]:port``."""
    if text.startswith("["):
        close = text.find("]")
        host_text, rest = (text, "") if close < 0 else (text[: close + 1], text[close + 1 :])
        if rest and not rest.startswith(":"):
            raise ValueError(f"invalid host {show_value(text)}")
        port_text: str | None = rest[1:] if rest else None
    elif text.count(":") > 1:
        raise ValueError(f"invalid host {show_value(text)} (put IPv6 addresses in brackets)")
    else:
        host_text, colon, port_text_ = text.partition(":")
        port_text = port_text_ if colon else None
    host = _parse_host(host_text)
    if port_text is None:
        if port_required:
            raise ValueError("the port is missing")
        return HostPort(host, None)
    return HostPort(host, _parse_port(port_text, allow_zero=allow_zero_port))


def _split_url(text: str) -> tuple[str | None, str, str]:
    """(scheme or None, authority, rest starting at the first ``/``, ``?`` or ``#``)."""
    match = _SCHEME.match(text)
    scheme = match.group(1).lower() if match else None
    remainder = text[match.end() :] if match else text
    cut = min((i for i in (remainder.find(c) for c in "/?#") if i >= 0), default=len(remainder))
    authority, rest = remainder[:cut], remainder[cut:]
    if "@" in authority:
        raise ValueError("user credentials are not allowed in the URL")
    if "?" in rest:
        raise ValueError("query strings are not allowed in the URL")
    if "#" in rest:
        raise ValueError("fragments are not allowed in the URL")
    return scheme, authority, rest


def _split_given_url(value: str) -> tuple[str, str | None, str, str]:
    """`value` without surrounding blanks, and its scheme, authority and path; it must
    not be empty."""
    text = value.strip()
    if not text:
        raise ValueError("must not be empty")
    return (text, *_split_url(text))


def parse_base_url(value: str) -> CentralEndpoint:
    """Central's address as an operator writes it.

    ``host``, ``host:port``, ``https://host[:port]``, ``http://host[:port]``
    (plain, for a local simulator), or the endpoint shown by Central's UI,
    ``wss://host[:port]/streaming/api`` (``ws://`` for plain).
    """
    scheme, authority, path = _split_endpoint_url(
        value,
        invalid="https://, http://, wss:// or ws://",
        unsupported="https://, http://, wss:// or ws://, or just the host name",
    )
    allowed_paths: tuple[str, ...] = ("", "/")
    if scheme in ("wss", "ws"):
        allowed_paths += (STREAMING_PATH, STREAMING_PATH + "/")
    if path not in allowed_paths:
        expected = "just the host" + (
            f" or {scheme}://HOST{STREAMING_PATH}" if scheme in ("wss", "ws") else ""
        )
        raise ValueError(f"unexpected path {show_value(path)} (expected {expected})")
    return _endpoint(scheme, authority)


def parse_api_gateway(value: str) -> CentralEndpoint:
    """A New Central API gateway (the customer's cluster): ``https://host[:port]``, the
    host alone, or ``http://host[:port]`` (plain, for a local simulator). The streaming
    paths are the topics'; no path of its own."""
    scheme, authority, path = _split_endpoint_url(
        value, invalid="https:// or http://", unsupported="https://, or just the host name"
    )
    if path not in ("", "/"):
        raise ValueError(
            f"unexpected path {show_value(path)} (expected just the API gateway, "
            "e.g. https://us1.api.central.arubanetworks.com)"
        )
    return _endpoint(scheme, authority)


def _split_endpoint_url(
    value: str, *, invalid: str, unsupported: str
) -> tuple[str | None, str, str]:
    """(scheme or None, authority, path) of a Central endpoint as written: no scheme, or
    one of https, http, wss and ws; `invalid` and `unsupported` say what was expected
    in the error of a malformed and of another scheme."""
    text, scheme, authority, path = _split_given_url(value)
    if scheme is None and "://" in text:
        raise ValueError(f"invalid URL scheme (expected {invalid})")
    if scheme not in (None, "https", "http", "wss", "ws"):
        raise ValueError(f"unsupported scheme {show_value(scheme)} (expected {unsupported})")
    return scheme, authority, path


def _endpoint(scheme: str | None, authority: str) -> CentralEndpoint:
    """The endpoint at `authority`: TLS unless the scheme is a plain http or ws."""
    address = parse_host_port(authority, port_required=False)
    return CentralEndpoint(secure=scheme not in ("http", "ws"), address=address)


def parse_api_base_url(value: str) -> str:
    """A Classic REST API gateway (``apigw-...``): ``host[:port]``, ``https://host[:port]``
    or ``http://host[:port]`` (plain, for a local simulator). Returns
    ``https://host[:port]`` (``http://`` when plain), without a trailing slash."""
    text, scheme, authority, path = _split_given_url(value)
    if scheme not in (None, "https", "http") or (scheme is None and "://" in text):
        raise ValueError(
            f"expected https://HOST (the cluster's API gateway), got {show_value(text)}"
        )
    if path not in ("", "/"):
        raise ValueError(f"unexpected path {show_value(path)} (expected just the host)")
    address = parse_host_port(authority, port_required=False)
    return f"{scheme or 'https'}://{address.netloc}"


def parse_http_url(value: str) -> str:
    """An http(s) URL with a host (an OTLP endpoint); returns it without surrounding blanks."""
    return _http_url(value, "an http:// or https:// URL (e.g. http://localhost:4317)")


def parse_token_url(value: str) -> str:
    """An OAuth2 token endpoint: an https URL (http only for a local simulator)."""
    return _http_url(
        value, "an https:// URL (e.g. https://sso.common.cloud.hpe.com/as/token.oauth2)"
    )


def _http_url(value: str, expected: str) -> str:
    """`value` without surrounding blanks, if it is an http or https URL with a host;
    `expected` says what was expected in the error."""
    text = value.strip()
    scheme, authority, _path = _split_url(text)
    if scheme not in ("http", "https"):
        raise ValueError(f"expected {expected}, got {show_value(text)}")
    parse_host_port(authority, port_required=False)
    return text


def parse_listen(value: str) -> HostPort:
    """``host:port`` or ``[v6addr]:port``; port 0 means any free port."""
    text = value.strip()
    host_text, colon, _port = text.rpartition(":")
    if not colon or not host_text:
        raise ValueError(
            f"invalid listen address {show_value(text)}"
            " (expected host:port or [ipv6]:port, e.g. 127.0.0.1:8080)"
        )
    return parse_host_port(text, port_required=True, allow_zero_port=True)
