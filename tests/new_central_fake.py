"""A small, scriptable New Central for the subscription policy tests (no tests here).

It serves a token endpoint and every topic's WebSocket path. Each token it issues is
valid for `expires_in` seconds; a stream is closed when its token expires (as Central
does). A test decides the answer to the next handshakes (`refuse`) and token requests
(`token_answers`) exactly, and reads back every request.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from central_otel.new_central.topics import PATHS

CLIENT_ID = "nc-client-0a1b2c"
CLIENT_SECRET = "nc-secret-9f8e7d6c5b4a"
TOKEN_PATH = "/as/token.oauth2"

Handler = Callable[[web.Request, web.WebSocketResponse], Coroutine[Any, Any, None]]


@dataclass
class Handshake:
    path: str
    query: str
    authorization: str
    headers: dict[str, str]


@dataclass
class FakeNewCentral:
    expires_in: float | None = 7200.0
    close_at_expiry: bool = True
    expiry_close_code: int = 1000
    token_answers: list[web.Response] = field(default_factory=list)
    refuse: list[web.Response] = field(default_factory=list)
    stream: Handler | None = None
    token_requests: list[dict[str, str]] = field(default_factory=list)
    handshakes: list[Handshake] = field(default_factory=list)
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (monotonic)
    issued: list[str] = field(default_factory=list)
    open_sockets: list[web.WebSocketResponse] = field(default_factory=list)
    token_delay: float = 0.0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(TOKEN_PATH, self._token)
        for path in PATHS.values():
            app.router.add_get(path, self._ws)
        return app

    def revoke(self) -> None:
        """Every issued token is refused from now on (401 at the next handshake)."""
        self.tokens.clear()

    async def _token(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.token_requests.append(
            {"authorization": request.headers.get("Authorization", ""), **form}
        )
        if self.token_delay:
            await asyncio.sleep(self.token_delay)
        if self.token_answers:
            return self.token_answers.pop(0)
        basic = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("Authorization") != basic:
            return web.json_response({"error": "invalid_client"}, status=401)
        token = f"nc-token-{len(self.issued) + 1:03d}-abcdef"
        self.issued.append(token)
        lifetime = self.expires_in if self.expires_in is not None else 7200.0
        self.tokens[token] = time.monotonic() + lifetime
        body: dict[str, object] = {"access_token": token, "token_type": "Bearer"}
        if self.expires_in is not None:
            body["expires_in"] = self.expires_in
        return web.json_response(body)

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        authorization = request.headers.get("Authorization", "")
        self.handshakes.append(
            Handshake(
                request.path,
                request.raw_path.partition("?")[2],
                authorization,
                dict(request.headers),
            )
        )
        if self.refuse:
            return self.refuse.pop(0)
        token = authorization.removeprefix("Bearer ")
        expiry = self.tokens.get(token)
        if not authorization.startswith("Bearer ") or expiry is None or time.monotonic() >= expiry:
            return web.Response(status=401, text="Unauthorized")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.open_sockets.append(ws)
        tasks = []
        if self.stream is not None:
            tasks.append(asyncio.create_task(self.stream(request, ws)))
        if self.close_at_expiry:
            tasks.append(asyncio.create_task(self._close_at(ws, expiry)))
        try:
            async for _ in ws:
                pass
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.open_sockets.remove(ws)
        return ws

    async def _close_at(self, ws: web.WebSocketResponse, expiry: float) -> None:
        await asyncio.sleep(max(0.0, expiry - time.monotonic()))
        await ws.close(code=self.expiry_close_code, message=b"token expired")


@dataclass
class ScriptedStreams:
    """A `FakeNewCentral.stream`: each topic's WebSocket sends what the test puts in the
    topic's queue, in order (a reconnected stream goes on with the rest)."""

    queues: dict[str, asyncio.Queue[bytes]] = field(
        default_factory=lambda: {path: asyncio.Queue() for path in PATHS.values()}
    )

    def send(self, path: str, *frames: bytes) -> None:
        for frame in frames:
            self.queues[path].put_nowait(frame)

    async def __call__(self, request: web.Request, ws: web.WebSocketResponse) -> None:
        queue = self.queues[request.path]
        while True:
            await ws.send_bytes(await queue.get())
