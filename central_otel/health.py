"""Health endpoints for operators and orchestrators.

`/healthz`: the process is alive and its event loop responsive (answering at all
proves the loop runs; a lag monitor catches a loop that is badly blocked).
`/readyz`: every subscription connected (or, with `ready_when: any`, at least one).
`/status`: JSON per subscription and customer: state, last frame age, reconnects,
last error; a Classic customer's key fingerprint and last validation, a New Central
customer's token age, expiry and renewals. Never a key or a token. At hundreds of
subscriptions, `?view=summary` gives counts and only what is not well (streams not
connected, keys and tokens not valid), and `?customer=NAME` one customer's part.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from central_otel.new_central.token import TokenOutcome
from central_otel.streaming.keys import KeyOutcome
from central_otel.streaming.streamer import Streamer
from central_otel.streaming.subscription import BaseSubscription, StreamState

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


STATUS_VIEWS = ("full", "summary")


@dataclass(frozen=True, slots=True)
class StatusQuery:
    """What a `/status` request asks for: every row or the summary, of one customer or all."""

    customer: str | None = None
    summary: bool = False


def subscription_rows(subs: Sequence[BaseSubscription], now: float) -> list[dict[str, Any]]:
    rows = []
    for sub in subs:
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


def customer_status(streamer: Streamer, customer: str | None = None) -> list[dict[str, Any]]:
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
        if customer is None or name == customer
    ]
    tokens = [
        token.status()
        for name, token in streamer.tokens.items()
        if customer is None or name == customer
    ]
    return classic + tokens


def credential_in_trouble(row: dict[str, Any]) -> bool:
    """A Classic key rejected or not validated; a New Central token refused or not had."""
    if "key_last_outcome" in row:
        return row["key_last_outcome"] in (KeyOutcome.REJECTED.value, KeyOutcome.FAILED.value)
    return row["token_last_outcome"] not in (None, TokenOutcome.ISSUED.value)


class HealthServer:
    def __init__(
        self,
        streamer: Streamer,
        *,
        ready_when: str,
        extra_status: Callable[[StatusQuery], dict[str, Any]] | None = None,
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
        view = request.query.get("view", "full")
        if view not in STATUS_VIEWS:
            return _json(
                {"error": f"unknown view {view!r} (expected one of {', '.join(STATUS_VIEWS)})"},
                status=400,
            )
        customer = request.query.get("customer")
        streamer = self.streamer
        if (
            customer is not None
            and customer not in streamer.keys
            and customer not in streamer.tokens
        ):
            return _json({"error": f"no subscription of customer {customer!r} here"}, status=404)
        return _json(self.status(StatusQuery(customer, summary=view == "summary")))

    def status(self, query: StatusQuery) -> dict[str, Any]:
        """The `/status` body. `ready` and `summary` are the process's; the rest covers
        `query.customer` alone when given."""
        ok, summary = self.ready()
        subs = [
            s
            for s in self.streamer.all_subscriptions
            if query.customer is None or s.customer == query.customer
        ]
        customers = customer_status(self.streamer, query.customer)
        body: dict[str, Any] = {
            "ready": ok,
            "summary": summary,
            "event_loop_lag_seconds": round(self.monitor.lag, 3),
            "event_loop_max_lag_seconds": round(self.monitor.max_lag, 3),
            "states": dict(Counter(s.stats.state.value for s in subs)),
        }
        if query.summary:
            # Only what needs a look: the streams not connected, the keys in trouble.
            reconnects: Counter[str] = Counter()
            for sub in subs:
                reconnects.update(sub.stats.reconnects)
            body["reconnects"] = dict(reconnects)
            subs = [s for s in subs if s.stats.state is not StreamState.CONNECTED]
            customers = [row for row in customers if credential_in_trouble(row)]
        body["subscriptions"] = subscription_rows(subs, self._wall())
        body["customers"] = customers
        if self._extra is not None:
            body.update(self._extra(query))
        return body


def _json(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(body, indent=2) + "\n", status=status, content_type="application/json"
    )
