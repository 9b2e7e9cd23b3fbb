"""Yielding to the event loop in the middle of long work (frame bursts, large frames)."""

from __future__ import annotations

import asyncio


async def yield_to_loop() -> None:
    """Let every task that is ready, or whose timer is due, run; then go on.

    `asyncio.sleep(0)` lets only the tasks already ready run: a timer that fell due
    meanwhile wakes its task two loop iterations later, after more of our work. A
    timer due now fires after those already due, so their tasks run first (and,
    unlike a positive delay, it never waits in the selector).
    """
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_at(loop.time(), _resolve, done)
    await done


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
