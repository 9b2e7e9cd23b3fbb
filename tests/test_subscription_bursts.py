"""A burst of buffered frames does not hold the event loop: other tasks run between
frames, and a handler's awaitable (the rest of its work on a frame) is awaited
before the next frame."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable
from typing import Any

import aiohttp
import pytest

from central_otel.secret import Secret
from central_otel.streaming.backoff import BackoffPolicy
from central_otel.streaming.keys import KeyValidation
from central_otel.streaming.subscription import FrameHandler, StreamRuntime, Subscription
from central_otel.topics import Topic
from tests import defaults

POLICY = BackoffPolicy(initial=1.0, maximum=64.0, multiplier=2.0, jitter=0.0, stable_after=3600)


class BufferedSocket:
    """A WebSocket whose frames are all buffered already: `receive` returns at once,
    without suspending, as aiohttp's does while its queue holds frames."""

    close_code = 1000
    closed = True  # Central closed it after the last frame

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


def _subscription(
    on_frame: FrameHandler, frames: list[bytes], *, busy: float = 0.0
) -> Subscription:
    """A subscription whose stream is `frames`, already buffered; by default it lets
    the loop's other tasks run after every frame (`busy` 0). It stops when the stream
    ends (instead of waiting to reconnect)."""
    sub: Subscription

    async def buffered(*args: Any, **kwargs: Any) -> Any:
        return BufferedSocket(frames)

    async def stop_instead_of_waiting(_delay: float) -> None:
        await sub.stop()

    sub = Subscription(
        customer="CustomerA",
        topic=Topic.MONITORING,
        url="http://127.0.0.1:1/streaming/api",
        username=None,
        key=defaults.customer_key(
            "CustomerA", Secret("K3y-0ld-ab12cd34ef56"), lambda _key: _unused_key()
        ),
        settings=defaults.stream(
            transport=defaults.transport(heartbeat=5.0, connect_timeout=5.0, max_msg_size=1 << 20),
            backoff=POLICY,
            busy=busy,
        ),
        on_frame=on_frame,
        runtime=StreamRuntime(
            session=None,  # type: ignore[arg-type]  # never connects: the socket is given
            ssl_setting=False,
            sleep=stop_instead_of_waiting,
            connector=buffered,
        ),
    )
    return sub


async def _with_probe(order: list[Any], run: Awaitable[Any], *, timer: bool = False) -> Any:
    """Run `run` beside a task that notes each time the loop schedules it: a task
    that is always ready (`sleep(0)`), or one woken by a timer each time."""

    async def probe() -> None:
        while True:
            order.append("probe")
            await asyncio.sleep(1e-9 if timer else 0)

    task = asyncio.create_task(probe())
    try:
        return await run
    finally:
        task.cancel()


def _turns(order: list[Any]) -> list[Any]:
    """`order` while the frames were read: each run of consecutive probe turns as one,
    up to the last frame's turn (the stream's close follows)."""
    turns = [x for i, x in enumerate(order) if not (x == "probe" and i and order[i - 1] == x)]
    while turns and turns[-1] == "probe":
        turns.pop()
    return turns


@pytest.mark.parametrize("timer", [False, True], ids=["ready task", "timer task"])
async def test_other_tasks_run_between_buffered_frames(timer: bool) -> None:
    frames = [bytes([n]) for n in range(5)]
    order: list[Any] = []
    sub = _subscription(lambda _sub, data, _ns: order.append(data), frames)
    await _with_probe(order, sub.run(), timer=timer)
    # After every frame the other task runs, before the next frame: also one that
    # waits on a timer (which `sleep(0)` alone would let run every second frame).
    assert _turns(order) == [x for frame in frames for x in (frame, "probe")][:-1]
    assert sub.stats.frames == 5
    assert sub.stats.last_error == "Central closed the connection (code 1000)"


async def test_quick_frames_are_handled_together_until_the_budget() -> None:
    frames = [bytes([n]) for n in range(5)]
    order: list[Any] = []
    sub = _subscription(lambda _sub, data, _ns: order.append(data), frames, busy=3600.0)
    await _with_probe(order, sub.run())
    assert _turns(order) == frames  # handled back to back: the other task had no turn


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
    await _with_probe(order, sub.run())
    assert (
        _turns(order)
        == [
            x
            for frame in frames
            for x in (frame, ("rest", frame), "probe", ("done", frame), "probe")
        ][:-1]
    )
    # The failure of a frame's awaitable counts as a handler error; the stream goes on.
    assert sub.stats.handler_errors == 1
    assert sub.stats.frames == 3
