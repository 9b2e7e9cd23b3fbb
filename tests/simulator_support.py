"""Helpers shared by the simulator tests (this module holds no tests).

Each test module defines its own ``sim`` and ``session`` fixtures on top of `running`
(fixtures imported from another module would trip the linters).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest

from central_otel.decoding import DecodedFrame, DecodeFailure, decode_frame
from central_otel.simulator import CentralSimulator, CustomerInfo, EstateScale, TrafficProfile

CUSTOMER = "CustomerA"
FAST = 0.05  # stats interval of the tests, seconds


def make_sim(**kwargs: Any) -> CentralSimulator:
    options: dict[str, Any] = {
        "scale": EstateScale.small(),
        "stats_interval": FAST,
        "seed": 1,
        "profile": TrafficProfile.quiet(),
    }
    options.update(kwargs)
    return CentralSimulator(**options)


@contextlib.asynccontextmanager
async def running(
    customer: str | None = CUSTOMER, **kwargs: Any
) -> AsyncIterator[CentralSimulator]:
    """A started simulator (with `customer` added), stopped on exit."""
    simulator = make_sim(**kwargs)
    if customer is not None:
        simulator.add_customer(customer)
    await simulator.start(host="127.0.0.1", port=0)
    try:
        yield simulator
    finally:
        await simulator.stop()


def key_of(sim: CentralSimulator, customer: str = CUSTOMER) -> str:
    return sim.customer(customer).key


async def connect(
    session: aiohttp.ClientSession,
    sim: CentralSimulator,
    topic: str,
    *,
    key: str | None = None,
    customer: str = CUSTOMER,
    **kwargs: Any,
) -> aiohttp.ClientWebSocketResponse:
    headers = {"Authorization": key if key is not None else key_of(sim, customer), "Topic": topic}
    headers.update(kwargs.pop("headers", {}))
    ws: aiohttp.ClientWebSocketResponse = await session.ws_connect(
        sim.ws_url, headers=headers, **kwargs
    )
    return ws


async def handshake_status(
    session: aiohttp.ClientSession, sim: CentralSimulator, headers: dict[str, str]
) -> int:
    """The HTTP status of a refused WebSocket handshake (fails if it was accepted)."""
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await session.ws_connect(sim.ws_url, headers=headers)
    return refused.value.status


async def receive_frames(
    ws: aiohttp.ClientWebSocketResponse, count: int, timeout: float = 3.0
) -> list[bytes]:
    """The next `count` binary frames."""
    frames: list[bytes] = []
    async with asyncio.timeout(timeout):
        while len(frames) < count:
            message = await ws.receive()
            assert message.type is aiohttp.WSMsgType.BINARY, message
            frames.append(message.data)
    return frames


def decoded(frame: bytes) -> DecodedFrame:
    result = decode_frame(frame)
    assert isinstance(result, DecodedFrame), result
    return result


async def receive_until(
    ws: aiohttp.ClientWebSocketResponse,
    predicate: Callable[[DecodedFrame], bool],
    timeout: float = 3.0,
) -> tuple[DecodedFrame, list[DecodedFrame]]:
    """Decoded frames up to the first one matching `predicate`: (match, every frame so far)."""
    seen: list[DecodedFrame] = []
    async with asyncio.timeout(timeout):
        while True:
            message = await ws.receive()
            assert message.type is aiohttp.WSMsgType.BINARY, message
            frame = decoded(message.data)
            seen.append(frame)
            if predicate(frame):
                return frame, seen


def failure(frame: bytes) -> DecodeFailure:
    result = decode_frame(frame)
    assert isinstance(result, DecodeFailure), result
    return result


def info(sim: CentralSimulator, customer: str = CUSTOMER) -> CustomerInfo:
    return sim.customer(customer)
