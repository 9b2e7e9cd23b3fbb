"""Classic Central's API tokens for one customer: refresh-token grant with rotation.

``POST {api_base_url}/oauth2/token?client_id=..&client_secret=..&grant_type=refresh_token
&refresh_token=..`` answers a new access token (2 hours) *and a new refresh token*:
the old refresh token stops working. So the new pair is written to
``state_dir/inventory/<customer>.json`` (atomically, 0600) before the new access
token is used, and a start prefers that stored pair to the configured (bootstrap)
token, which the first refresh spent.

When the stored refresh token is refused, the configured one is tried, unless it
is the very token the stored pair descends from (spent: never sent again). When
both are refused there is nothing left to try: `TokenRejected` carries the line
that tells the operator what to do, and no call is made again until the configured
source holds a new token (a ``refresh_token_file`` is read again at each attempt).
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeGuard

import voluptuous as vol

from central_otel.config.inventory import ClassicApiCredentials
from central_otel.config.validators import read_secret_file
from central_otel.inventory.rest import ApiError, BadResponse, HttpError, RestClient
from central_otel.inventory.state_files import StoredTokens, load_tokens, save_tokens
from central_otel.secret import Secret

log = logging.getLogger(__name__)

TOKEN_PATH = "/oauth2/token"
DEFAULT_EXPIRES_IN = 7200.0
REFRESH_MARGIN = 300.0
"""An access token this close to its expiry is refreshed before use."""
NEW_TOKEN_WHERE = "API Gateway → My Apps & Tokens"
_ERROR_CODE = re.compile(r"[A-Za-z_]{1,40}")


def _positive_number(value: object) -> TypeGuard[int | float]:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


class TokenRejected(ApiError):
    """No refresh token (or client credential) Central accepts: the operator must act."""

    cause = "unauthorized"


def _error_code(body: object) -> str | None:
    """OAuth's ``error`` code (``invalid_grant``...) when the answer has a plain one."""
    code = body.get("error") if isinstance(body, dict) else None
    return code if isinstance(code, str) and _ERROR_CODE.fullmatch(code) else None


class ClassicTokens:
    """The current access and refresh tokens of one customer's API client."""

    def __init__(
        self,
        customer: str,
        credentials: ClassicApiCredentials,
        state_file: Path,
        rest: RestClient,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.customer = customer
        self.credentials = credentials
        self.state_file = state_file
        self.refreshes = 0
        self._rest = rest
        self._clock = clock
        self._configured = credentials.refresh_token.value
        self._refresh: Secret = self._configured
        self._access: Secret | None = None
        self._expires_at = 0.0
        self._lineage = self._configured.fingerprint
        """Fingerprint of the configured token the current pair descends from (spent)."""
        self._from_store = False
        self._rejected: set[Secret] = set()
        self._save_failed = False
        self._refusal: str | None = None
        """How Central refused the last refused token (``HTTP 400 invalid_grant``)."""
        self._load()

    @property
    def source(self) -> str:
        """Where the refresh token in use came from: ``state_dir`` or ``configured``."""
        return "state_dir" if self._from_store else "configured"

    def secrets(self) -> tuple[Secret, ...]:
        """Every secret this client holds or held (for redaction)."""
        current = (self._refresh, self._configured, self.credentials.client_secret.value)
        return (*current, *((self._access,) if self._access else ()), *self._rejected)

    async def access_token(self) -> Secret:
        """A valid access token, refreshed first if it is (nearly) expired."""
        if self._access is not None and self._clock() < self._expires_at - REFRESH_MARGIN:
            return self._access
        return await self.refresh()

    async def renew(self, refused: Secret) -> Secret:
        """A new access token after Central refused `refused` with 401 (the token of
        another call may have been renewed meanwhile: then that one)."""
        if self._access is not None and self._access != refused:
            return self._access
        self._access = None  # refused: no call uses it again, whatever the refresh gives
        return await self.refresh()

    async def refresh(self) -> Secret:
        """Refresh-token grant; the stored pair is replaced before the new token is used."""
        if self._refresh in self._rejected:
            self._pick_up_new_configured_token()
        stored_refused = False
        while True:
            if self._refresh in self._rejected:
                raise TokenRejected(self._give_up_line(stored_refused))
            refresh = self._refresh
            # Shielded: once Central has answered, the old token is spent, so a stop
            # arriving meanwhile must not lose the new pair before it is stored.
            status, body, access = await asyncio.shield(self._exchange(refresh))
            if access is not None:
                return access
            if status not in (400, 401, 403):
                raise HttpError(status, f"token refresh answered HTTP {status}")
            code = _error_code(body)
            detail = f"HTTP {status}" + (f" {code}" if code else "")
            if code == "invalid_client":
                raise TokenRejected(
                    f"customer {self.customer!r}: Central refused the API client "
                    f"(client_id {self.credentials.client_id}, "
                    f"{self.credentials.client_secret.source}) ({detail}); check the client id "
                    f"and secret under {NEW_TOKEN_WHERE}"
                )
            self._rejected.add(refresh)
            self._refusal = detail
            if not self._from_store:
                raise TokenRejected(self._give_up_line(stored_refused))
            stored_refused = True
            if self._configured.fingerprint == self._lineage:
                self._rejected.add(self._configured)  # spent by the stored pair's first refresh
            elif self._configured not in self._rejected:
                log.warning(
                    "customer %r: Central refused the API refresh token stored in %s (%s); "
                    "trying the configured one (%s)",
                    self.customer,
                    self.state_file,
                    detail,
                    self.credentials.refresh_token.source,
                )
                self._start_from_configured()

    async def _exchange(self, refresh: Secret) -> tuple[int, object, Secret | None]:
        """The grant, and on success the new pair stored and taken into use."""
        status, body = await self._grant(refresh)
        return status, body, self._accept(body) if status == 200 else None

    async def _grant(self, refresh: Secret) -> tuple[int, object]:
        params = {
            "client_id": self.credentials.client_id,
            "client_secret": self.credentials.client_secret.value.reveal(),
            "grant_type": "refresh_token",
            "refresh_token": refresh.reveal(),
        }
        response = await self._rest.call("POST", TOKEN_PATH, params=params)
        try:
            body = response.json()
        except BadResponse:
            if response.status == 200:
                raise
            body = None
        return response.status, body

    def _accept(self, body: object) -> Secret:
        access = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(body, dict) or not isinstance(access, str) or not access:
            raise BadResponse("the token answer has no access_token")
        refresh = body.get("refresh_token")
        given = body.get("expires_in")
        expires_in = float(given) if _positive_number(given) else DEFAULT_EXPIRES_IN
        pair = StoredTokens(
            api_base_url=self.credentials.api_base_url,
            client_id=self.credentials.client_id,
            bootstrap=self._lineage,
            # An answer without a new refresh token leaves the current one valid.
            refresh_token=Secret(refresh)
            if isinstance(refresh, str) and refresh
            else self._refresh,
            access_token=Secret(access),
            expires_at=self._clock() + expires_in,
        )
        self._store(pair)
        self._refresh, self._access, self._expires_at = (
            pair.refresh_token,
            pair.access_token,
            pair.expires_at,
        )
        self._from_store = True
        self.refreshes += 1
        log.debug("customer %r: API access token refreshed", self.customer)
        return Secret(access)

    def _store(self, pair: StoredTokens) -> None:
        try:
            save_tokens(self.state_file, pair)
        except OSError as err:
            # The refresh already spent the old token: the new one is all there is.
            if not self._save_failed:
                log.error(
                    "customer %r: could not save the new API token pair in %s (%s); it is "
                    "kept in memory only, so after a restart a new token will be needed "
                    "(%s)",
                    self.customer,
                    self.state_file,
                    err.strerror or err,
                    NEW_TOKEN_WHERE,
                )
            self._save_failed = True
        else:
            self._save_failed = False

    def _load(self) -> None:
        stored = load_tokens(self.state_file)
        if stored is None:
            if self.state_file.exists():
                log.warning(
                    "customer %r: %s is not a token file this version can read; starting "
                    "from the configured API refresh token",
                    self.customer,
                    self.state_file,
                )
            return
        credentials = self.credentials
        if (stored.client_id, stored.api_base_url) != (
            credentials.client_id,
            credentials.api_base_url,
        ):
            log.info(
                "customer %r: the API token pair in %s belongs to another API client or "
                "gateway; starting from the configured refresh token",
                self.customer,
                self.state_file,
            )
            return
        self._refresh, self._access = stored.refresh_token, stored.access_token
        self._expires_at = stored.expires_at
        self._lineage = stored.bootstrap
        self._from_store = True

    def _start_from_configured(self) -> None:
        self._refresh, self._access, self._expires_at = self._configured, None, 0.0
        self._lineage = self._configured.fingerprint
        self._from_store = False

    def _pick_up_new_configured_token(self) -> None:
        """A ``refresh_token_file`` the operator filled with a new token since."""
        setting = self.credentials.refresh_token
        if setting.file is None:
            return
        try:
            text = read_secret_file(setting.file, "the refresh token")
        except vol.Invalid:
            return
        token = Secret(text)
        if token in self._rejected or token == self._configured:
            return
        log.info(
            "customer %r: new API refresh token %s in %s; trying it",
            self.customer,
            token.fingerprint,
            setting.source,
        )
        self._configured = token
        self._start_from_configured()

    def _give_up_line(self, stored_refused: bool) -> str:
        setting = self.credentials.refresh_token
        then = " (read again at the next sync)" if setting.file is not None else ", then restart"
        refused = f" ({self._refusal})" if self._refusal else ""
        if stored_refused or self._from_store:
            what = (
                f"Central refused the API refresh token stored in {self.state_file}{refused}, "
                f"and the configured one ({setting.source}) was refused too or already used"
            )
        else:
            what = f"Central refused the configured API refresh token ({setting.source}){refused}"
        return (
            f"customer {self.customer!r}: {what}; generate a new token in Central under "
            f"{NEW_TOKEN_WHERE} and put it in {setting.source}{then}"
        )
