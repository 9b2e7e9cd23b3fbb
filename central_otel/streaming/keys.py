"""Streaming-key lifecycle: validate, pick up renewed keys, remember them.

Central rotates each customer's streaming key every 7 days. `GET
/streaming/token/validate` with `Authorization: <key>` answers `{"token": ...}`:
the same key while it is current, or the renewed one. `CustomerKey` holds the
key every subscription of a customer uses, validates it at start, on a schedule,
just after a JWT key's 7-day mark, and when a handshake is refused with 401, and
tells the subscriptions when it changes.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import os
import ssl
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import aiohttp

from central_otel.secret import Secret
from central_otel.streaming.credentials import CustomerCredential
from central_otel.streaming.net_errors import RequestFailed, bounded_request
from central_otel.streaming.stagger import Stagger

log = logging.getLogger(__name__)

KEY_LIFETIME = 7 * 24 * 3600.0
# How long after the 7-day mark to ask for the renewed key.
RENEWAL_GRACE = 60.0


class KeyOutcome(StrEnum):
    VALID = "valid"  # the key is current
    RENEWED = "renewed"  # Central returned a newer key
    REJECTED = "rejected"  # 401/403: wrong or revoked key
    FAILED = "failed"  # no usable answer (network, 5xx, unexpected body)


@dataclass(frozen=True, slots=True)
class KeyValidation:
    outcome: KeyOutcome
    key: Secret | None  # the key to use from now on (VALID, RENEWED)
    detail: str


MAX_ANSWER = 64 * 1024  # bytes of the validate endpoint's answer read at most


async def validate_key(
    session: aiohttp.ClientSession,
    url: str,
    key: Secret,
    *,
    ssl_setting: ssl.SSLContext | bool,
    timeout: float,
) -> KeyValidation:
    """One call to the validate endpoint. Never raises; never puts a key in `detail`."""
    try:
        status, _, body = await bounded_request(
            session,
            "GET",
            url,
            timeout=timeout,
            secrets=[key],
            max_body=MAX_ANSWER,
            headers={"Authorization": key.reveal()},
            ssl=ssl_setting,
        )
    except RequestFailed as err:
        return KeyValidation(KeyOutcome.FAILED, None, str(err))
    if status in (401, 403):
        return KeyValidation(KeyOutcome.REJECTED, None, f"HTTP {status}")
    if status != 200:
        return KeyValidation(KeyOutcome.FAILED, None, f"HTTP {status}")
    try:
        token = json.loads(body)["token"]
    except (ValueError, KeyError, TypeError):
        token = None
    if not isinstance(token, str) or not token.strip():
        return KeyValidation(KeyOutcome.FAILED, None, "answer has no token")
    current = Secret(token.strip())
    if current == key:
        return KeyValidation(KeyOutcome.VALID, key, "key is current")
    return KeyValidation(KeyOutcome.RENEWED, current, f"renewed key {current.fingerprint}")


def jwt_creation_date(key: Secret) -> float | None:
    """The `creation_date` claim (epoch seconds) of a JWT-shaped key, if it has one."""
    parts = key.reveal().split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error):
        return None
    created = claims.get("creation_date") if isinstance(claims, dict) else None
    if isinstance(created, int | float) and not isinstance(created, bool) and created > 0:
        # Some issuers write milliseconds.
        return float(created) / 1000 if created > 1e11 else float(created)
    return None


def write_private_file(path: Path, text: str) -> None:
    """Write atomically with mode 0600 (directory 0700), so a crash leaves old or new."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


Validator = Callable[[Secret], Awaitable[KeyValidation]]


class CustomerKey(CustomerCredential):
    """The current streaming key of one customer, shared by its subscriptions."""

    def __init__(
        self,
        customer: str,
        configured: Secret,
        validator: Validator,
        *,
        key_source: str = "the configuration",
        interval: float,
        min_interval: float = 60.0,
        state_dir: Path | None = None,
        stagger: Stagger | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(customer, log, stagger=stagger, clock=clock, sleep=sleep)
        self.current = configured
        self.key_source = key_source
        self.validations = 0
        self.last_validated: float | None = None
        self.last_outcome: KeyValidation | None = None
        self._validator = validator
        self._interval = interval
        self._min_interval = min_interval
        self._state_file = state_dir / "keys" / f"{customer}.key" if state_dir else None

    @property
    def fingerprint(self) -> str:
        return self.current.fingerprint

    async def start(self) -> None:
        """Validate the configured key; fall back to a renewed one remembered in the
        state directory. Holds the lock throughout: a subscription refused meanwhile
        waits for this answer instead of asking Central itself."""
        async with self._lock:
            result = await self._validate("start")
            self._apply(result)
            if result.outcome is not KeyOutcome.REJECTED:
                return
            remembered = self._remembered()
            if remembered is None or remembered == self.current:
                return
            result = await self._validate("start (remembered key)", remembered)
            if result.outcome is KeyOutcome.REJECTED:
                return
            log.info(
                "customer %r: configured key was rejected; using the renewed key %s remembered "
                "in the state directory",
                self.customer,
                remembered.fingerprint,
            )
            # Streams refused with the configured key move to this one.
            self._changed_to(remembered)
            self._apply(result)

    async def check(self, reason: str, *, refused_after: int | None = None) -> KeyValidation:
        """Validate now, unless a validation finished less than `min_interval` ago.

        Every subscription of a customer calls this on a 401; the lock and the
        minimum interval turn a burst (or a 401 loop with a revoked key) into at
        most one call to Central per interval.

        `refused_after` (on a 401): `validations` when the refused handshake began. A
        recent "current" answer from before then says nothing about the refusal —
        Central may have renewed the key since — so Central is asked again; answers
        given after it began (another stream's 401), rejections and failures are reused.
        """
        async with self._lock:
            last = self.last_outcome
            if (
                last is not None
                and self.last_validated is not None
                and self._clock() - self.last_validated < self._min_interval
                and reason != "start"
                and not (
                    refused_after is not None
                    and self.validations <= refused_after
                    and last.outcome in (KeyOutcome.VALID, KeyOutcome.RENEWED)
                )
            ):
                return last
            result = await self._validate(reason)
            self._apply(result)
            return result

    async def run(self) -> None:
        """Validate at start (`start`), then on schedule until cancelled."""
        await self.start()
        while True:
            await self._sleep(self.next_check_in())
            await self.check("scheduled")

    def next_check_in(self) -> float:
        """Seconds to the next scheduled validation: the interval, or sooner just after
        a JWT key's 7-day mark, when Central has a renewed key to give."""
        delay = self._interval
        created = jwt_creation_date(self.current)
        if created is not None:
            due = created + KEY_LIFETIME + RENEWAL_GRACE - self._clock()
            if 0 < due < delay:
                delay = due
        return delay

    async def _validate(self, reason: str, key: Secret | None = None) -> KeyValidation:
        """Ask Central about `key` (default: the current one), in turn with the process's
        other credential calls."""
        if key is None:
            key = self.current
        await self._turn()
        result = await self._validator(key)
        self.validations += 1
        self.last_validated = self._clock()
        self.last_outcome = result
        log.debug(
            "customer %r: key %s validated (%s): %s",
            self.customer,
            key.fingerprint,
            reason,
            result.outcome,
        )
        return result

    def _apply(self, result: KeyValidation) -> None:
        if result.outcome is KeyOutcome.RENEWED and result.key is not None:
            old = self.current.fingerprint
            self._changed_to(result.key)
            self.renewals += 1
            self._remember(result.key)
            log.warning(
                "customer %r: Central renewed the streaming key (%s -> %s); all subscriptions "
                "switch to the new key now",
                self.customer,
                old,
                result.key.fingerprint,
            )
        elif result.outcome is KeyOutcome.REJECTED:
            # Repeats (a revoked key is re-checked every minute) step down to DEBUG.
            self._failures.failure(
                logging.ERROR,
                f"rejected:{self.fingerprint}",
                f"customer {self.customer!r}: streaming key {self.fingerprint} rejected by "
                f"Central's validate endpoint ({result.detail}): it is wrong or revoked; put "
                f"the current key from Central's Streaming page in {self.key_source}",
            )
            return
        elif result.outcome is KeyOutcome.FAILED:
            self._failures.failure(
                logging.WARNING,
                f"failed:{result.detail}",
                f"customer {self.customer!r}: could not validate the streaming key "
                f"({result.detail}); keeping key {self.fingerprint} and trying again later",
            )
            return
        self._failures.success(
            f"customer {self.customer!r}: streaming key {self.fingerprint} validated again"
        )

    def _changed_to(self, key: Secret) -> None:
        """Use `key` from now on and wake every subscription waiting for a new key."""
        self.current = key
        self._next_generation()

    def _remembered(self) -> Secret | None:
        if self._state_file is None:
            return None
        try:
            text = self._state_file.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return Secret(text) if text else None

    def _remember(self, key: Secret) -> None:
        if self._state_file is None:
            return
        try:
            write_private_file(self._state_file, key.reveal() + "\n")
        except OSError as err:
            log.warning(
                "customer %r: could not save the renewed key in %s (%s); it is kept in memory only",
                self.customer,
                self._state_file.parent,
                err.strerror or err,
            )
