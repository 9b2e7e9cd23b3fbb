"""Connection failures in operators' words: the reason, not aiohttp's repr."""

from __future__ import annotations

import socket

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey

from central_otel.streaming.net_errors import describe_connector_error


def _key(host: str, port: int) -> ConnectionKey:
    return ConnectionKey(host, port, False, True, None, None, None)


async def test_a_refused_connection_on_a_real_port(unused_tcp_port: int) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectorError) as info:
            await session.get(f"http://127.0.0.1:{unused_tcp_port}/")
    assert describe_connector_error(info.value) == "connection refused"


def test_a_failed_name_lookup_names_the_host() -> None:
    # Built by hand: a real lookup could leave 127.0.0.1 (the tests never do).
    error = aiohttp.ClientConnectorDNSError(
        _key("central.example", 443), socket.gaierror(-2, "Name or service not known")
    )
    assert describe_connector_error(error) == (
        "name lookup of central.example failed: Name or service not known"
    )


@pytest.mark.parametrize(
    ("os_error", "text"),
    [
        (TimeoutError(110, "x"), "connection timed out"),
        (OSError(113, "x"), "host unreachable"),
        (OSError(13, "x"), "Permission denied"),  # other errno: the OS's words
        (OSError("something odd"), "something odd"),  # no errno: the error's text
    ],
)
def test_other_os_errors(os_error: OSError, text: str) -> None:
    error = aiohttp.ClientConnectorError(_key("10.0.0.5", 443), os_error)
    assert describe_connector_error(error) == text
