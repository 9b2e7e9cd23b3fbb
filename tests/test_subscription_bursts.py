"""A burst of buffered frames does not hold the event loop: other tasks run between
frames, and a handler's awaitable (the rest of its work on a frame) is awaited
before the next frame."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable
from typing import Any

import aiohttp

from central_otel.secret import Secret
from central_otel.streaming.backoff import BackoffPolicy
from central_otel.streaming.keys import CustomerKey, KeyValidation
from central_otel.streaming.subscription import FrameHandler, StreamSettings, Subscription
from central_otel.streaming.transport import TransportSettings
from central_otel.topics import Topic

POLICY = BackoffPolicy(initial=1.0, maximum=64.0, multiplier=2.0, jitter=0.0, stable_after=3600)


class BufferedSocket:
    """A WebSocket whose frames are all buffered already: `receive` returns at once,
    without suspending, as aiohttp's does while its queue holds frames."""

    close_code = 1000

    def __init__(self, frames: list[bytes]) -> None:
        self._messages = deque(
            aiohttp.WSMessage(aiohttp.WSMsgType.BINARY, frame, None) for frame in frames
        )

    async def receive(self, timeout: float | None = None) -> aiohttp.WSMessage:
        if self._messages:
            return self._messages.popleft()
        return aiohttp.WSMessage(aiohttp.WSMsgType.CLOSE, 1000, "")

    def exception(self) -> BaseException | None:
        return None


async def _unused_key() -> KeyValidation:
    raise AssertionError("no key validation in these tests")


def _subscription(on_frame: FrameHandler, frames: list[bytes]) -> Subscription:
    sub = Subscription(
        customer="CustomerA",
        topic=Topic.MONITORING,
        url="http://127.0.0.1:1/streaming/api",
        username=None,
        key=CustomerKey("CustomerA", Secret("K3y-0ld-ab12cd34ef56"), lambda _key: _unused_key()),
        session=None,  # type: ignore[arg-type]  # never connects: the socket is given
        ssl_setting=False,
        settings=StreamSettings(
            transport=TransportSettings(heartbeat=5.0, connect_timeout=5.0, max_msg_size=1 << 20),
            backoff=POLICY,
        ),
        on_frame=on_frame,
    )
    sub._ws = BufferedSocket(frames)  # type: ignore[assignment]
    return sub


async def _with_probe(order: list[Any], run: Awaitable[Any]) -> Any:
    """Run `run` beside a task that notes each time the loop schedules it."""

    async def probe() -> None:
        while True:
            order.append("probe")
            await asyncio.sleep(0)

    task = asyncio.create_task(probe())
    try:
        return await run
    finally:
        task.cancel()


async def test_other_tasks_run_between_buffered_frames() -> None:
    order: list[Any] = []
    frames = [bytes([n]) for n in range(5)]
    sub = _subscription(lambda _sub, data, _ns: order.append(data), frames)
    assert await _with_probe(order, sub._pump()) == (
        "closed",
        "Central closed the connection (code 1000)",
    )
    # Every frame is followed by one turn of the other task, before the next frame.
    assert order == [x for frame in frames for x in (frame, "probe")]
    assert sub.stats.frames == 5


async def test_a_handlers_awaitable_finishes_before_the_next_frame() -> None:
    order: list[Any] = []

    async def rest_of(frame: bytes) -> None:
        order.append(("rest", frame))
        await asyncio.sleep(0)  # yields to the loop in the middle of the frame's work
        order.append(("done", frame))
        if frame == b"\x01":
            raise ValueError("consumer bug")

    def on_frame(_sub: Subscription, data: bytes, _ns: int) -> Awaitable[None]:
        order.append(data)
        return rest_of(data)

    frames = [b"\x00", b"\x01", b"\x02"]
    sub = _subscription(on_frame, frames)
    await _with_probe(order, sub._pump())
    assert order == [
        x for frame in frames for x in (frame, ("rest", frame), "probe", ("done", frame), "probe")
    ]
    # The failure of a frame's awaitable counts as a handler error; the stream goes on.
    assert sub.stats.handler_errors == 1
    assert sub.stats.frames == 3
