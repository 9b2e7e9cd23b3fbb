"""Health endpoints for operators and orchestrators.

`/healthz`: the process is alive and its event loop responsive (answering at all
proves the loop runs; a lag monitor catches a loop that is badly blocked).
`/readyz`: every subscription connected (or, with `ready_when: any`, at least one).
`/status`: JSON per subscription and customer: state, last frame age, reconnects,
last error; a Classic customer's key fingerprint and last validation, a New Central
customer's token age, expiry and renewals. Never a key or a token.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from central_otel.streaming.streamer import Streamer
from central_otel.streaming.subscription import StreamState

MAX_LOOP_LAG = 5.0  # seconds a heartbeat tick may be late before /healthz fails


class LoopMonitor:
    """Measures how late a periodic tick runs: the event loop's responsiveness."""

    def __init__(self, interval: float = 0.5, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.lag = 0.0
        self.max_lag = 0.0
        self._clock = clock
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="loop-monitor")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            expected = self._clock() + self.interval
            await asyncio.sleep(self.interval)
            self.lag = max(0.0, self._clock() - expected)
            self.max_lag = max(self.max_lag, self.lag)


def subscription_status(streamer: Streamer, now: float) -> list[dict[str, Any]]:
    rows = []
    for sub in streamer.all_subscriptions:
        stats = sub.stats
        rows.append(
            {
                "customer": sub.customer,
                "platform": sub.platform,
                "topic": sub.topic.value,
                "state": stats.state.value,
                "connected_since": stats.connected_since,
                "last_frame_age_seconds": None
                if stats.last_frame_at is None
                else round(now - stats.last_frame_at, 3),
                "frames": stats.frames,
                "bytes": stats.bytes,
                "reconnects": dict(stats.reconnects),
                "oversized_frames": stats.oversized_frames,
                "last_error": stats.last_error,
            }
        )
    return rows


def customer_status(streamer: Streamer) -> list[dict[str, Any]]:
    classic = [
        {
            "customer": name,
            "key_fingerprint": key.fingerprint,
            "key_validations": key.validations,
            "key_renewals": key.renewals,
            "key_last_validated": key.last_validated,
            "key_last_outcome": key.last_outcome.outcome.value if key.last_outcome else None,
        }
        for name, key in streamer.keys.items()
    ]
    return classic + [token.status() for token in streamer.tokens.values()]


class HealthServer:
    def __init__(
        self,
        streamer: Streamer,
        *,
        ready_when: str,
        extra_status: Callable[[], dict[str, Any]] | None = None,
        monitor: LoopMonitor | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.streamer = streamer
        self.ready_when = ready_when
        self.monitor = monitor or LoopMonitor()
        self._extra = extra_status
        self._wall = wall
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/status", self._status)
        return app

    async def start(self, host: str, port: int) -> None:
        self.monitor.start()
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server  # aiohttp keeps the bound sockets here; needed for port 0
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else port

    async def stop(self) -> None:
        await self.monitor.stop()
        if self._runner is not None:
            await self._runner.cleanup()

    def ready(self) -> tuple[bool, str]:
        subs = self.streamer.all_subscriptions
        connected = sum(1 for s in subs if s.stats.state is StreamState.CONNECTED)
        summary = f"{connected}/{len(subs)} subscriptions connected"
        if not subs:
            if self.streamer.started and self.streamer.shard is not None:
                # More shards than subscriptions: this pod has nothing to do, which is
                # fine; not ready would hold up a StatefulSet's rollout for ever.
                return True, f"{self.streamer.shard}: no subscription assigned to this shard"
            return False, "no subscription started"
        ok = connected == len(subs) if self.ready_when == "all" else connected > 0
        return ok, summary

    async def _healthz(self, request: web.Request) -> web.Response:
        lag = self.monitor.lag
        if lag > MAX_LOOP_LAG:
            return web.Response(status=503, text=f"event loop lagging {lag:.1f}s\n")
        return web.Response(text="ok\n")

    async def _readyz(self, request: web.Request) -> web.Response:
        ok, summary = self.ready()
        return web.Response(status=200 if ok else 503, text=summary + "\n")

    async def _status(self, request: web.Request) -> web.Response:
        ok, summary = self.ready()
        body: dict[str, Any] = {
            "ready": ok,
            "summary": summary,
            "event_loop_lag_seconds": round(self.monitor.lag, 3),
            "event_loop_max_lag_seconds": round(self.monitor.max_lag, 3),
            "subscriptions": subscription_status(self.streamer, self._wall()),
            "customers": customer_status(self.streamer),
        }
        if self._extra is not None:
            body.update(self._extra())
        return web.Response(text=json.dumps(body, indent=2) + "\n", content_type="application/json")
