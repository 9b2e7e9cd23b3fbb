"""Runs every configured subscription: one key per customer, one task per stream."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from dataclasses import replace
from functools import partial
from pathlib import Path

import aiohttp

from central_otel.config import Config
from central_otel.streaming.keys import CustomerKey, validate_key
from central_otel.streaming.subscription import FrameHandler, StreamSettings, Subscription
from central_otel.streaming.transport import new_session, tls_context
from central_otel.topics import Topic

log = logging.getLogger(__name__)

# Seconds without any frame after which a stream is presumed dead and reopened.
# Monitoring sends stats about every 5 minutes, presence every minute, apprf every
# ~15 minutes; security and audit only send when something happens, so silence
# there is normal (heartbeat pings still detect a dead connection).
IDLE_TIMEOUTS: dict[Topic, float | None] = {
    Topic.MONITORING: 900.0,
    Topic.PRESENCE: 300.0,
    Topic.LOCATION: 900.0,
    Topic.APPRF: 2700.0,
    Topic.SECURITY: None,
    Topic.AUDIT: None,
}


class Streamer:
    def __init__(
        self,
        config: Config,
        on_frame: FrameHandler,
        *,
        customers: Collection[str] | None = None,
        topics: Collection[Topic] | None = None,
        settings: StreamSettings | None = None,
        state_dir: Path | None = None,
    ) -> None:
        self.config = config
        self._on_frame = on_frame
        self._customers = set(customers) if customers else None
        self._topics = set(topics) if topics else None
        self._settings = settings or StreamSettings()
        self._state_dir = state_dir
        self.keys: dict[str, CustomerKey] = {}
        self.subscriptions: list[Subscription] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._session: aiohttp.ClientSession | None = None

    def selected(self) -> list[tuple[str, Topic]]:
        return [
            (customer.name, topic)
            for customer, topic in self.config.subscriptions
            if (self._customers is None or customer.name in self._customers)
            and (self._topics is None or topic in self._topics)
        ]

    async def start(self) -> None:
        central = self.config.central
        if not central.verify_tls:
            log.warning(
                "TLS verification is OFF for %s (central.verify_tls: false): the connection "
                "and the streaming keys are exposed to anyone who can intercept it",
                central.host,
            )
        ssl_setting = tls_context(
            str(central.ca_file) if central.ca_file else None, central.verify_tls
        )
        self._session = session = new_session()
        selected = self.selected()
        for name in dict.fromkeys(name for name, _ in selected):
            customer = self.config.customer(name)
            self.keys[name] = CustomerKey(
                name,
                customer.key,
                partial(validate_key, session, central.validate_url, ssl_setting=ssl_setting),
                key_source=customer.key_source,
                interval=self.config.key_validation_interval,
                state_dir=self._state_dir,
            )
        await asyncio.gather(*(key.start() for key in self.keys.values()))
        for name, key in self.keys.items():
            self._tasks.append(asyncio.create_task(key.run(), name=f"key {name}"))
        for name, topic in selected:
            customer = self.config.customer(name)
            subscription = Subscription(
                customer=name,
                topic=topic,
                url=central.stream_url,
                username=customer.username,
                key=self.keys[name],
                session=session,
                ssl_setting=ssl_setting,
                settings=replace(self._settings, idle_timeout=IDLE_TIMEOUTS[topic]),
                on_frame=self._on_frame,
            )
            self.subscriptions.append(subscription)
            self._tasks.append(asyncio.create_task(subscription.run(), name=subscription.label))
        log.info("streaming %d subscription(s) for %d customer(s)", len(selected), len(self.keys))

    async def stop(self, timeout: float = 10.0) -> None:
        """Close every stream cleanly (code 1000), within `timeout` seconds."""
        try:
            async with asyncio.timeout(timeout):
                await asyncio.gather(
                    *(sub.stop() for sub in self.subscriptions), return_exceptions=True
                )
        except TimeoutError:
            log.warning("not every stream closed within %.0fs; closing the rest abruptly", timeout)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
