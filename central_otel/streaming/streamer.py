"""Runs every configured subscription: one key (Classic) or access token (New Central)
per customer, one task per stream."""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Collection, Mapping
from functools import partial
from pathlib import Path

from yarl import URL

from central_otel.config import Config
from central_otel.config.files import make_private_dir
from central_otel.config.model import AnyTopic
from central_otel.new_central.subscription import (
    NewCentralFrameHandler,
    NewCentralSubscription,
    stream_url,
)
from central_otel.new_central.token import CustomerToken, request_token
from central_otel.new_central.topics import NewCentralTopic
from central_otel.sharding import Shard
from central_otel.streaming.keys import CustomerKey, validate_key
from central_otel.streaming.recorder import FrameRecorder
from central_otel.streaming.sessions import CentralSessions, ensure_open_files, open_sessions
from central_otel.streaming.stagger import Stagger
from central_otel.streaming.subscription import (
    BaseSubscription,
    FrameHandler,
    StreamRuntime,
    StreamSettings,
    Subscription,
    log_bursts,
)
from central_otel.streaming.transport import tls_context
from central_otel.topics import Topic

log = logging.getLogger(__name__)


class Streamer:
    def __init__(
        self,
        config: Config,
        on_frame: FrameHandler,
        *,
        on_new_central_frame: NewCentralFrameHandler | None = None,
        customers: Collection[str] | None = None,
        topics: Collection[AnyTopic] | None = None,
        settings: Mapping[Topic, StreamSettings],
        new_central_settings: StreamSettings | None = None,
        shard: Shard | None = None,
        on_connection_closed: Callable[[], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`settings`: each Classic topic's transport, backoff and idle settings
        (`central_otel.settings.streams_settings`), `new_central_settings` the New Central
        streams' (`central_otel.settings.new_central_stream_settings`); `sleep` is the
        subscriptions' wait between attempts and `clock` the keys' clock (when they were
        last validated), for tests. `on_new_central_frame` receives the New Central streams'
        frames. Both New Central arguments are required when the configuration has New
        Central customers. `on_connection_closed` is told each time a stream's
        connection (of either platform) has been closed."""
        self.config = config
        self._on_frame = on_frame
        self._on_new_central_frame = on_new_central_frame
        self._customers = set(customers) if customers else None
        self._topics = set(topics) if topics else None
        self._settings = settings
        self._new_central_settings = new_central_settings
        self.shard = shard
        self._on_connection_closed = on_connection_closed
        self._sleep = sleep
        self._clock = clock
        self.keys: dict[str, CustomerKey] = {}
        self.tokens: dict[str, CustomerToken] = {}
        self.subscriptions: list[Subscription] = []
        self.new_central_subscriptions: list[NewCentralSubscription] = []
        self.recorder: FrameRecorder | None = None
        self._tasks: list[asyncio.Task[None]] = []  # key schedules and subscriptions
        self._stream_tasks: list[asyncio.Task[None]] = []
        self._sessions: CentralSessions | None = None
        stagger = config.streaming.stagger
        # One stagger for the whole process: every connection attempt, and every call
        # to a credential endpoint (key validation, token request), of every customer
        # and topic of both platforms takes its turn.
        self.connect_stagger = Stagger(stagger.connect_rate, stagger.connect_burst)
        self.credential_stagger = Stagger(stagger.credential_rate, 1)
        self._log_bursts = log_bursts()  # hundreds of streams failing alike: a few lines
        self.started = False
        """True once `start` has opened every selected subscription (possibly none)."""

    @property
    def all_subscriptions(self) -> list[BaseSubscription]:
        """Every stream of both platforms."""
        return [*self.subscriptions, *self.new_central_subscriptions]

    def _wanted(self, name: str, topic: AnyTopic) -> bool:
        return (
            (self._customers is None or name in self._customers)
            and (self._topics is None or topic in self._topics)
            and (self.shard is None or self.shard.serves(name, topic.value))
        )

    def selected(self) -> list[tuple[str, Topic]]:
        """The Classic (customer, topic) pairs this streamer runs."""
        return [
            (customer.name, topic)
            for customer, topic in self.config.subscriptions
            if self._wanted(customer.name, topic)
        ]

    def selected_new_central(self) -> list[tuple[str, NewCentralTopic]]:
        """The New Central (customer, topic) pairs this streamer runs."""
        return [
            (customer.name, topic)
            for customer, topic in self.config.new_central_subscriptions
            if self._wanted(customer.name, topic)
        ]

    async def start(self) -> None:
        central = self.config.central
        if not central.verify_tls:
            hosts = [central.host] if central.host else []
            hosts += [c.host for c in self.config.new_central_customers]
            secrets = (
                "the streaming keys"
                if not self.config.new_central_customers
                else ("the streaming keys, client secrets and tokens")
            )
            log.warning(
                "TLS verification is OFF for %s (central.verify_tls: false): the connection "
                "and %s are exposed to anyone who can intercept it",
                ", ".join(dict.fromkeys(hosts)),
                secrets,
            )
        ssl_setting = tls_context(
            str(central.ca_file) if central.ca_file else None, central.verify_tls
        )
        selected = self.selected()
        ensure_open_files(len(selected) + len(self.selected_new_central()))
        self._sessions = sessions = open_sessions()
        self._open_recorder()
        state_dir = self._state_dir()
        for name in dict.fromkeys(name for name, _ in selected):
            customer = self.config.customer(name)
            self.keys[name] = CustomerKey(
                name,
                customer.key,
                # A Central that accepts connections but never answers must not hold the
                # streams back longer than a handshake may take.
                partial(
                    validate_key,
                    sessions.rest,
                    central.validate_url,
                    ssl_setting=ssl_setting,
                    timeout=self.config.streaming.connect_timeout,
                ),
                key_source=customer.key_source,
                interval=self.config.key_validation_interval,
                state_dir=state_dir,
                stagger=self.credential_stagger,
                clock=self._clock,
            )
        # The streams do not wait for their key's first validation: with hundreds of
        # customers validating in turn, the last would wait minutes. A stream refused
        # meanwhile waits for that validation's answer (`CustomerKey.start` holds the
        # key's lock), so each customer still costs Central one call at start. The key
        # tasks are created first, so each takes its lock before any stream can ask.
        for name, key in self.keys.items():
            self._tasks.append(asyncio.create_task(key.run(), name=f"key {name}"))
        runtime = StreamRuntime(
            session=sessions.streams,
            ssl_setting=ssl_setting,
            stagger=self.connect_stagger,
            on_closed=self._on_connection_closed,
            bursts=self._log_bursts,
            sleep=self._sleep,
        )
        for name, topic in selected:
            customer = self.config.customer(name)
            subscription = Subscription(
                customer=name,
                topic=topic,
                url=central.stream_url,
                username=customer.username,
                key=self.keys[name],
                settings=self._settings[topic],
                on_frame=self._deliver,
                runtime=runtime,
            )
            self.subscriptions.append(subscription)
            self._launch(subscription)
        self._start_new_central(sessions, ssl_setting, runtime)
        self.started = True
        log.info(
            "streaming %d subscription(s) for %d customer(s)",
            len(self.all_subscriptions),
            len(self.keys) + len(self.tokens),
        )

    def _start_new_central(
        self,
        sessions: CentralSessions,
        ssl_setting: ssl.SSLContext | bool,
        runtime: StreamRuntime,
    ) -> None:
        selected = self.selected_new_central()
        if not selected:
            return
        settings = self._new_central_settings
        if self._on_new_central_frame is None or settings is None:
            raise ValueError("New Central customers need on_new_central_frame and its settings")
        timeout = self.config.streaming.connect_timeout
        for name in dict.fromkeys(name for name, _ in selected):
            customer = self.config.new_central_customer(name)
            if not customer.token_url.startswith("https://") and not _loopback(customer.token_url):
                log.warning(
                    "customer %r: token_url %s is not https: the client secret is sent in clear",
                    name,
                    customer.token_url,
                )
            token = CustomerToken(
                name,
                partial(
                    request_token,
                    sessions.rest,
                    customer.token_url,
                    customer.client_id,
                    customer.client_secret,
                    ssl_setting=ssl_setting,
                    timeout=timeout,
                ),
                token_url=customer.token_url,
                secret_source=customer.secret_source,
                backoff=settings.backoff,
                stagger=self.credential_stagger,
            )
            self.tokens[name] = token
            self._tasks.append(asyncio.create_task(token.run(), name=f"token {name}"))
        for name, topic in selected:
            customer = self.config.new_central_customer(name)
            subscription = NewCentralSubscription(
                customer=name,
                topic=topic,
                url=stream_url(customer.stream_url(topic), customer.event_types_for(topic)),
                token=self.tokens[name],
                settings=settings,
                on_frame=self._deliver_new_central,
                runtime=runtime,
            )
            self.new_central_subscriptions.append(subscription)
            self._launch(subscription)

    def _launch(self, subscription: BaseSubscription) -> None:
        """Run `subscription`'s loop until `stop`."""
        task = asyncio.create_task(subscription.run(), name=subscription.label)
        self._tasks.append(task)
        self._stream_tasks.append(task)

    async def stop(self, timeout: float = 10.0) -> None:
        """Close every stream cleanly (code 1000), within `timeout` seconds."""
        try:
            async with asyncio.timeout(timeout):
                await asyncio.gather(
                    *(sub.stop() for sub in self.all_subscriptions), return_exceptions=True
                )
                # Each loop ends by itself once stopping; one whose handshake Central had
                # answered closes that new connection with 1000 too (cancelling it would
                # drop the socket without a close frame).
                await asyncio.gather(*self._stream_tasks, return_exceptions=True)
        except TimeoutError:
            log.warning("not every stream closed within %.0fs; closing the rest abruptly", timeout)
        for task in self._tasks:
            task.cancel()
        try:
            async with asyncio.timeout(timeout):  # bounded even if a task ignored its cancel
                await asyncio.gather(*self._tasks, return_exceptions=True)
        except TimeoutError:
            log.warning("some streaming tasks did not end within %.0fs of being cancelled", timeout)
        if self._sessions is not None:
            await self._sessions.close()
        self._log_bursts.flush()
        if self.recorder is not None:
            self.recorder.close()

    def _deliver(
        self, subscription: Subscription, data: bytes, received_ns: int
    ) -> Awaitable[None] | None:
        # Recorded before the consumer sees it: a frame that breaks the consumer is the
        # one a support case needs.
        if self.recorder is not None:
            self.recorder.record(subscription.customer, subscription.topic, data, received_ns)
        return self._on_frame(subscription, data, received_ns)

    def _deliver_new_central(
        self, subscription: NewCentralSubscription, data: bytes, received_ns: int
    ) -> Awaitable[None] | None:
        if self.recorder is not None:
            self.recorder.record(subscription.customer, subscription.topic, data, received_ns)
        assert self._on_new_central_frame is not None
        return self._on_new_central_frame(subscription, data, received_ns)

    def _open_recorder(self) -> None:
        capture = self.config.capture
        if capture is not None:
            self.recorder = FrameRecorder(capture.file, capture.max_size)
            self.recorder.open()

    def _state_dir(self) -> Path | None:
        """`state_dir`, created private (0700) if missing; None (keys in memory only) when it
        cannot be: a read-only file system must not stop the bridge."""
        state_dir = self.config.state_dir
        if state_dir is None:
            return None
        try:
            make_private_dir(state_dir)
        except OSError as err:
            log.warning(
                "cannot create the state directory %s (%s); renewed keys are kept in memory only",
                state_dir,
                err.strerror or err,
            )
            return None
        return state_dir


def _loopback(url: str) -> bool:
    """A URL on this machine (a local simulator): no one can intercept it."""
    host = URL(url).host or ""
    return host == "localhost" or host.startswith("127.") or host == "::1"
