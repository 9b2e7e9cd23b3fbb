"""OAuth2 client-credentials tokens for a New Central customer.

`request_token` makes one grant at the token endpoint (RFC 6749 §4.4) and classifies
the answer; `CustomerToken` holds the one access token every stream of a customer
uses: it gets one on first need, renews it before it expires and again when a
handshake is refused with 401, one request at a time however many streams ask
("single flight"), and at most one request a minute once the endpoint rejected the
credentials. No token and no client secret ever appears in a log line, an error text
or `status()`: tokens are `Secret`s, described by fingerprint, age and expiry only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import ssl
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import aiohttp

from central_otel.secret import Secret
from central_otel.streaming.backoff import Backoff, BackoffPolicy
from central_otel.streaming.credentials import CustomerCredential
from central_otel.streaming.net_errors import RequestFailed, bounded_request
from central_otel.streaming.stagger import Stagger

log = logging.getLogger(__name__)

DEFAULT_LIFETIME = 7200.0
"""Seconds a token lives when the answer has no `expires_in` (Central API clients' 2 h)."""
RENEWAL_MARGIN = 300.0
"""Renew this long before expiry (or at 80 % of a shorter lifetime)."""
REJECTED_RETRY = 60.0
"""After rejected credentials, ask again at most this often."""
FRESH = 60.0
"""A token obtained because of a 401 and refused again this soon after it was issued is
not renewed again at once: the endpoint would only issue another that the gateway
refuses the same way."""

ClientAuth = Literal["basic", "body"]
_ERROR_CODE = re.compile(r"[A-Za-z0-9_.-]{1,64}")


class TokenOutcome(StrEnum):
    ISSUED = "issued"  # a token came
    REJECTED = "rejected"  # 400/401/403: the credentials (or the grant) were refused
    FAILED = "failed"  # no usable answer: network, TLS, timeout, 429, 5xx, odd body


@dataclass(frozen=True, slots=True)
class TokenGrant:
    outcome: TokenOutcome
    token: Secret | None
    expires_in: float | None  # seconds, as the endpoint said; None: not said
    detail: str  # for logs: never a token or a secret
    status: int | None = None  # the HTTP status, when there was an answer


async def request_token(
    session: aiohttp.ClientSession,
    url: str,
    client_id: str,
    client_secret: Secret,
    client_auth: ClientAuth = "basic",
    *,
    ssl_setting: ssl.SSLContext | bool,
    timeout: float,
) -> TokenGrant:
    """One client-credentials grant. `client_auth` "basic" sends the credentials as
    HTTP Basic (what HPE's SDK does), "body" in the form body. Never raises."""
    form = {"grant_type": "client_credentials"}
    headers = {"Accept": "application/json"}
    if client_auth == "basic":
        headers["Authorization"] = aiohttp.encode_basic_auth(client_id, client_secret.reveal())
    else:
        form = {**form, "client_id": client_id, "client_secret": client_secret.reveal()}
    try:
        status, _, body = await bounded_request(
            session,
            "POST",
            url,
            timeout=timeout,
            secrets=[client_secret],
            max_body=64 * 1024,
            data=form,
            headers=headers,
            ssl=ssl_setting,
        )
    except RequestFailed as err:
        return TokenGrant(TokenOutcome.FAILED, None, None, str(err))
    return _classify(status, body)


def _classify(status: int, body: bytes) -> TokenGrant:
    document = _json(body)
    if status == 200:
        token = document.get("access_token") if document is not None else None
        if not isinstance(token, str) or not token.strip():
            return TokenGrant(TokenOutcome.FAILED, None, None, "answer has no access_token", 200)
        lifetime = _lifetime(document.get("expires_in") if document is not None else None)
        return TokenGrant(TokenOutcome.ISSUED, Secret(token.strip()), lifetime, "issued", 200)
    code = document.get("error") if document is not None else None
    # The error code is a fixed vocabulary (invalid_client...); anything else is not shown.
    reason = f" {code}" if isinstance(code, str) and _ERROR_CODE.fullmatch(code) else ""
    detail = f"HTTP {status}{reason}"
    if status in (400, 401, 403):
        return TokenGrant(TokenOutcome.REJECTED, None, None, detail, status)
    return TokenGrant(TokenOutcome.FAILED, None, None, detail, status)


def _lifetime(expires: object) -> float | None:
    """`expires_in` in seconds (a number, or digits as some servers send); None when
    absent or unusable."""
    if isinstance(expires, str) and expires.strip().isdigit():
        expires = int(expires)
    if isinstance(expires, int | float) and not isinstance(expires, bool) and expires > 0:
        return float(expires)
    return None


def _json(body: bytes) -> dict[str, Any] | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


Requester = Callable[[ClientAuth], Awaitable[TokenGrant]]


class TokenUnavailable(Exception):
    """No valid token could be had; `grant` says why (REJECTED or FAILED)."""

    def __init__(self, grant: TokenGrant) -> None:
        self.grant = grant
        super().__init__(grant.detail)


class CustomerToken(CustomerCredential):
    """The access token of one New Central customer, shared by its streams."""

    def __init__(
        self,
        customer: str,
        requester: Requester,
        *,
        backoff: BackoffPolicy,
        token_url: str = "",
        secret_source: str = "the configuration",
        margin: float = RENEWAL_MARGIN,
        rejected_retry: float = REJECTED_RETRY,
        stagger: Stagger | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(customer, log, stagger=stagger, clock=clock, sleep=sleep)
        self.token_url = token_url
        self.secret_source = secret_source
        self.token: Secret | None = None
        self.requests = 0
        self.outcomes: Counter[TokenOutcome] = Counter()  # the token endpoint's answers
        self.issued_at: float | None = None  # wall clock
        self.expires_at: float | None = None  # wall clock
        self.last_outcome: TokenGrant | None = None
        self.last_attempt: float | None = None
        self.reason: str | None = None
        """Why the current token was requested ("401", "expiry", "no valid token")."""
        self._requester = requester
        self._client_auth: ClientAuth = "basic"
        self._margin = margin
        self._rejected_retry = rejected_retry
        self._backoff = Backoff(backoff)
        self._label = f"customer {customer!r}"

    @property
    def fingerprint(self) -> str | None:
        return self.token.fingerprint if self.token is not None else None

    def valid(self) -> bool:
        """A token that has not expired yet."""
        return (
            self.token is not None
            and self.expires_at is not None
            and self._clock() < self.expires_at
        )

    def issued_within(self, seconds: float) -> bool:
        return self.issued_at is not None and self._clock() - self.issued_at < seconds

    async def get(self) -> Secret:
        """The current token, requesting one first if there is none or it expired.
        Raises `TokenUnavailable` when none could be had."""
        if self.valid():
            assert self.token is not None
            return self.token
        grant = await self.renew("no valid token", stale=self.generation)
        if grant.outcome is TokenOutcome.ISSUED and self.token is not None:
            return self.token
        raise TokenUnavailable(grant)

    async def renew(self, reason: str, *, stale: int) -> TokenGrant:
        """Get a new token unless one newer than generation `stale` arrived meanwhile.

        Every stream that sees a 401 calls this with the generation it connected with:
        the lock and that generation turn N calls into one request. After rejected
        credentials the last answer is reused for `rejected_retry` seconds.
        """
        async with self._lock:
            if self.generation != stale and self.valid():
                return TokenGrant(TokenOutcome.ISSUED, self.token, None, "renewed meanwhile")
            last = self.last_outcome
            if (
                last is not None
                and last.outcome is TokenOutcome.REJECTED
                and self.last_attempt is not None
                and self._clock() - self.last_attempt < self._rejected_retry
            ):
                return last
            return await self._request(reason)

    def renew_in(self) -> float | None:
        """Seconds to the proactive renewal; None while there is no token."""
        if self.token is None or self.issued_at is None or self.expires_at is None:
            return None
        lifetime = self.expires_at - self.issued_at
        margin = min(self._margin, lifetime * 0.2)
        return max(0.0, self.expires_at - margin - self._clock())

    async def run(self) -> None:
        """Renew ahead of expiry until cancelled (a failed renewal backs off and tries
        again while the current token still works)."""
        while True:
            delay = self.renew_in()
            if delay is None:
                await self.wait_changed(self.generation)
                continue
            generation = self.generation
            await self._sleep(delay)
            grant = await self.renew("expiry", stale=generation)
            if grant.outcome is TokenOutcome.FAILED:
                await self._sleep(self._backoff.next_delay())
            elif grant.outcome is TokenOutcome.REJECTED:
                await self._sleep(self._rejected_retry)

    def status(self) -> dict[str, Any]:
        """For /status: age, expiry, requests and renewals; never the token."""
        now = self._clock()
        last = self.last_outcome
        return {
            "customer": self.customer,
            "platform": "new_central",
            "token_fingerprint": self.fingerprint,
            "token_age_seconds": None if self.issued_at is None else round(now - self.issued_at, 3),
            "token_expires_in_seconds": (
                None if self.expires_at is None else round(self.expires_at - now, 3)
            ),
            "token_expires_at": self.expires_at,
            "token_requests": self.requests,
            "token_renewals": self.renewals,
            "token_last_outcome": last.outcome.value if last else None,
            "token_last_error": last.detail
            if last and last.outcome is not TokenOutcome.ISSUED
            else None,
        }

    # -- one request ---------------------------------------------------------------

    async def _request(self, reason: str) -> TokenGrant:
        grant = await self._ask(self._client_auth)
        if grant.outcome is TokenOutcome.REJECTED and self._client_auth == "basic":
            # Some endpoints accept client credentials only in the form body (RFC 6749
            # §2.3.1 allows both); one more try that way before calling them rejected.
            fallback = await self._ask("body")
            if fallback.outcome is TokenOutcome.ISSUED:
                self._client_auth = "body"
                log.info(
                    "%s: the token endpoint refused HTTP Basic client authentication (%s); "
                    "sending the client credentials in the form body from now on",
                    self._label,
                    grant.detail,
                )
            grant = fallback if fallback.outcome is not TokenOutcome.REJECTED else grant
        self.last_outcome = grant
        self.last_attempt = self._clock()
        log.debug("%s: token request (%s): %s", self._label, reason, grant.outcome)
        if grant.outcome is TokenOutcome.ISSUED and grant.token is not None:
            self.reason = reason
            self._apply(grant)
        elif grant.outcome is TokenOutcome.REJECTED:
            self._failures.failure(
                logging.ERROR,
                f"rejected:{grant.detail}",
                f"{self._label}: the token endpoint {self.token_url} rejected the API client "
                f"credentials ({grant.detail}): check client_id and the client secret in "
                f"{self.secret_source} (GreenLake > Manage Workspace > Personal API clients); "
                f"asking again at most every {self._rejected_retry:.0f}s",
            )
        else:
            self._failures.failure(
                logging.WARNING,
                f"failed:{grant.detail}",
                f"{self._label}: could not get an access token from {self.token_url} "
                f"({grant.detail}); streams back off and try again",
            )
        return grant

    async def _ask(self, client_auth: ClientAuth) -> TokenGrant:
        await self._turn()
        self.requests += 1
        grant = await self._requester(client_auth)
        self.outcomes[grant.outcome] += 1
        return grant

    def _apply(self, grant: TokenGrant) -> None:
        now = self._clock()
        lifetime = grant.expires_in if grant.expires_in is not None else DEFAULT_LIFETIME
        first = self.token is None
        self.token = grant.token
        self.issued_at = now
        self.expires_at = now + lifetime
        if not first:
            self.renewals += 1
        self._backoff.reset()
        self._next_generation()
        recovered = self._failures.success(
            f"{self._label}: access token obtained again (valid for {lifetime:.0f}s)"
        )
        if not recovered:
            log.info(
                "%s: access token %s (valid for %.0fs)",
                self._label,
                "obtained" if first else "renewed",
                lifetime,
            )
