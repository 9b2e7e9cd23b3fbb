"""A small, scriptable Central endpoint for the subscription policy tests.

The simulator (central_otel.simulator) is the full peer; this one lets a test
decide the answer to each handshake exactly (401 now, 101 next, ...).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSCloseCode, web

from central_otel.streaming.subscription import BaseSubscription

Handler = Callable[[web.Request, web.WebSocketResponse], Coroutine[Any, Any, None]]


@dataclass
class FakeCentral:
    valid_keys: set[str]
    renewed: dict[str, str] = field(default_factory=dict)  # old key -> new key (validate)
    refuse: list[web.Response] = field(default_factory=list)  # next handshakes' answers
    stream: Handler | None = None
    handshakes: list[dict[str, str]] = field(default_factory=list)
    validations: list[str] = field(default_factory=list)
    close_codes: list[int | None] = field(default_factory=list)
    open_sockets: list[web.WebSocketResponse] = field(default_factory=list)
    all_sockets: list[web.WebSocketResponse] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/streaming/api", self._ws)
        app.router.add_get("/streaming/token/validate", self._validate)
        return app

    async def _validate(self, request: web.Request) -> web.Response:
        key = request.headers.get("Authorization", "")
        self.validations.append(key)
        if key in self.renewed:
            return web.json_response({"token": self.renewed[key]})
        if key in self.valid_keys:
            return web.json_response({"token": key})
        return web.Response(status=401, text="Unauthorized")

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        self.handshakes.append(dict(request.headers))
        if self.refuse:
            return self.refuse.pop(0)
        if request.headers.get("Authorization") not in self.valid_keys:
            return web.Response(status=401, text="Unauthorized")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.open_sockets.append(ws)
        self.all_sockets.append(ws)
        # The stream runs beside the receive loop, which is what notices the
        # client's close frame.
        sender = asyncio.create_task(self.stream(request, ws)) if self.stream else None
        try:
            async for _ in ws:
                pass
        finally:
            if sender is not None:
                sender.cancel()
                await asyncio.gather(sender, return_exceptions=True)
            self.open_sockets.remove(ws)
            self.close_codes.append(ws.close_code)
        return ws


async def drop_after(frames: int, request: web.Request, ws: web.WebSocketResponse) -> None:
    for i in range(frames):
        await ws.send_bytes(bytes([i]))
    await ws.close(code=WSCloseCode.GOING_AWAY)


async def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


async def run_until(sub: BaseSubscription, predicate: Callable[[], bool]) -> None:
    """Run `sub` (either platform's) until `predicate` holds, then stop it."""
    task = asyncio.create_task(sub.run())
    try:
        await wait_for(predicate)
    finally:
        await sub.stop()
        await asyncio.wait_for(task, 5)
