"""One New Central (customer, topic) stream: its own WebSocket, `Authorization: Bearer`
with the customer's access token, the optional `event-types` filter as a query
parameter. The loop, backoff, jitter and failure classes are Classic's
(`BaseSubscription`); what differs is how a connection is authorised and how each
refusal is explained.

A renewed token is used at the next connect: a live stream keeps its connection
until Central closes it at the old token's expiry, then reconnects at once (Central
queues the events of such a gap). Unlike HPE's SDK, 403/404/429/5xx are never fatal:
they are classified, explained once, and retried.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import ClassVar, Unpack
from urllib.parse import urlencode

from central_otel.new_central.token import FRESH, CustomerToken, TokenOutcome, TokenUnavailable
from central_otel.new_central.topics import NewCentralTopic
from central_otel.secret import Secret
from central_otel.streaming.subscription import (
    CLOSE_NORMAL,
    BaseSubscription,
    StreamState,
    SubscriptionOptions,
    seconds_text,
)
from central_otel.streaming.transport import (
    ConnectFailed,
    HandshakeRejected,
    StreamError,
    Unauthorized,
)

log = logging.getLogger(__name__)

# A close this close to the token's expiry is the expiry (clocks differ a little).
EXPIRY_SLACK = 10.0


class TokenRejected(StreamError):
    """The token endpoint rejected the API client's credentials."""

    cause = "token_rejected"


class TokenFailed(StreamError):
    """No token could be had: the token endpoint failed or could not be reached."""

    cause = "token_failed"


NewCentralFrameHandler = Callable[["NewCentralSubscription", bytes, int], Awaitable[None] | None]


def stream_url(base: str, event_types: tuple[str, ...]) -> str:
    """`base` with the `event-types` query parameter (comma-separated, URL-encoded as
    HPE's SDK sends it) when the topic is filtered."""
    if not event_types:
        return base
    return f"{base}?{urlencode({'event-types': ','.join(event_types)})}"


class NewCentralSubscription(BaseSubscription):
    platform: ClassVar[str] = "new_central"
    topic: NewCentralTopic

    def __init__(
        self,
        *,
        topic: NewCentralTopic,
        token: CustomerToken,
        on_frame: NewCentralFrameHandler,
        **options: Unpack[SubscriptionOptions],
    ) -> None:
        super().__init__(topic=topic, credentials=token, on_frame=on_frame, **options)
        self._token = token
        self._expires_at: float | None = None  # of the token the live connection used
        self._generation = -1  # the token generation the live connection used

    @property
    def url(self) -> str:
        return self._url

    async def _attempt(self) -> float:
        self.stats.state = StreamState.CONNECTING
        try:
            token = await self._token.get()
        except TokenUnavailable as err:
            return self._no_token(err)
        generation = self._token.generation
        expires_at = self._token.expires_at
        try:
            with self._handshaking() as handshake:
                ws = await self._connector(
                    self._session,
                    self._url,
                    authorization=Secret(f"Bearer {token.reveal()}"),
                    secrets=[token],
                    ssl_setting=self._ssl,
                    settings=self._settings.transport,
                    handshake=handshake,
                )
        except Unauthorized as err:
            return await self._unauthorized(err, generation)
        except HandshakeRejected as err:
            return self._rejected(err)
        except ConnectFailed as err:
            return self._cannot_connect(err)
        if self._stopping:
            await ws.close(code=CLOSE_NORMAL)
            return 0.0
        self._expires_at, self._generation = expires_at, generation
        return await self._stream(ws, generation)

    def _no_token(self, err: TokenUnavailable) -> float:
        grant = err.grant
        if grant.outcome is TokenOutcome.REJECTED:
            delay = self._backoff.maximum_delay()
            self._failed(
                TokenRejected(grant.detail),
                logging.ERROR,
                f"{self.label}: no access token: the token endpoint rejects the API client "
                f"credentials ({grant.detail}); retrying every {delay:.0f}s",
            )
            return delay
        delay = self._backoff.next_delay()
        self._failed(
            TokenFailed(grant.detail),
            logging.WARNING,
            f"{self.label}: no access token ({grant.detail} from the token endpoint); "
            f"retrying in {seconds_text(delay)}",
        )
        return delay

    async def _unauthorized(self, err: Unauthorized, generation: int) -> float:
        token = self._token
        if token.generation == generation and token.reason == "401" and token.issued_within(FRESH):
            # A token issued moments ago for a 401, refused too: another would be as well.
            delay = self._backoff.maximum_delay()
            self._failed(
                err,
                logging.ERROR,
                f"{self.label}: Central refused a fresh access token (HTTP 401): the API "
                "client may not be one of this Central instance (create it for the Central "
                f"service in GreenLake); retrying every {delay:.0f}s",
            )
            return delay
        grant = await self._token.renew("401", stale=generation)
        if grant.outcome is TokenOutcome.ISSUED:
            self.stats.reconnects["unauthorized"] += 1
            log.info(
                "%s: access token refused (HTTP 401); retrying at once with a renewed token",
                self.label,
            )
            return 0.0
        rejected = grant.outcome is TokenOutcome.REJECTED
        delay = self._backoff.maximum_delay() if rejected else self._backoff.next_delay()
        self._failed(
            err,
            logging.ERROR if rejected else logging.WARNING,
            f"{self.label}: Central refused the access token (HTTP 401) and no new one could "
            f"be had ({grant.detail}); retrying in {seconds_text(delay)}",
        )
        return delay

    def _rejected(self, err: HandshakeRejected) -> float:
        status = err.status
        if status == 403:
            delay = self._backoff.maximum_delay()
            self._failed(
                err,
                logging.ERROR,
                f"{self.label}: Central refused the subscription ({err}): streaming needs "
                "devices with an Advanced subscription (licence) and an API client whose role "
                f"may read {self.topic.value}; retrying every {delay:.0f}s",
            )
            return delay
        if status == 404:
            delay = self._backoff.maximum_delay()
            self._failed(
                err,
                logging.ERROR,
                f"{self.label}: Central has no topic {self.topic.value} at {self._url} "
                f"({err}): check the customer's base_url (its API gateway, e.g. "
                f"https://us1.api.central.arubanetworks.com); retrying every {delay:.0f}s",
            )
            return delay
        if status == 429:
            delay = self._backoff.next_delay()
            self._failed(
                err,
                logging.WARNING,
                f"{self.label}: Central is limiting requests ({err}); "
                f"retrying in {seconds_text(delay)}",
            )
            return delay
        return self._refused(err)

    async def _after_close(self, cause: str, detail: str, lasted: float) -> bool:
        expires_at = self._expires_at
        self._expires_at = None
        if expires_at is None or self._wall() < expires_at - EXPIRY_SLACK:
            return False
        # Central ends streams when their token expires: renew (once for all the
        # customer's streams, unless done already) and reconnect now; Central queued
        # what was sent meanwhile.
        self.stats.reconnects["token_expired"] += 1
        await self._token.renew("expiry", stale=self._generation)
        log.info(
            "%s: the stream ended at access-token expiry (%s); reconnecting at once with a "
            "renewed token",
            self.label,
            detail,
        )
        return True
