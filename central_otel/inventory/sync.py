"""`InventorySync`: one customer's device context, kept in step with Central's inventory.

At start the context of the last successful sync is read back from ``state_dir``
(site names before the first call), then a sync runs at once and every
`interval`. A successful sync replaces the whole context (a device gone from the
inventory loses its context) and stores it; a failed one keeps the last good
context and says so once (damped repeats), then tries again sooner (1m, 2m, 4m...
up to `interval`). While the day's API budget is low, syncs are spread so that
what is left lasts until Central resets it at midnight UTC (leaving a reserve to
the account's other API users); when it is spent, the next sync waits for the reset.
Streaming never waits for any of this.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import aiohttp

from central_otel.config.durations import format_duration
from central_otel.config.errors import plural
from central_otel.config.inventory import InventoryConfig
from central_otel.inventory.classic import ClassicInventory
from central_otel.inventory.classic_auth import ClassicTokens, TokenRejected
from central_otel.inventory.new_central import NewCentralInventory
from central_otel.inventory.ratelimit import RateLimiter
from central_otel.inventory.rest import ApiError, RateLimitError, RestClient
from central_otel.inventory.state_files import (
    context_file,
    load_context,
    save_context,
    token_file,
)
from central_otel.new_central.token import CustomerToken
from central_otel.secret import Secret, redact
from central_otel.state.entities import INVENTORY_CLASS
from central_otel.state.store import DeviceInfo, EntityStore
from central_otel.streaming.failure_log import FailureLog

log = logging.getLogger(__name__)

RETRY_BASE = 60.0
"""The first retry after a failed sync; doubled after each further failure."""
RESET_GRACE = 60.0
"""Seconds after midnight UTC before a sync that waited for the day's budget."""
REMIND_EVERY = 6 * 3600.0
"""A failure that keeps repeating is logged again this often (else at DEBUG)."""
DAY = 86400.0


def until_utc_midnight(now: float) -> float:
    """Seconds from `now` (epoch) to the next midnight UTC, when Central resets the budget."""
    return DAY - now % DAY


@dataclass(slots=True)
class SyncStats:
    """What /status and the self-metrics show of one customer's syncs."""

    syncs: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    """Failed syncs by cause: network, http_error, bad_response, unauthorized, rate_limited,
    error."""
    last_attempt_at: float | None = None
    last_success_at: float | None = None
    last_outcome: str | None = None
    """``ok``, or the cause of the last failure."""
    last_error: str | None = None
    last_duration: float | None = None
    calls_per_sync: int = 0
    """REST calls the last successful sync took."""


class InventorySource(Protocol):
    """One platform's inventory reader (`ClassicInventory`, `NewCentralInventory`)."""

    @property
    def token_source(self) -> str:
        """Where its API token comes from, for /status (never the token)."""
        ...

    async def devices(self) -> list[DeviceInfo]: ...

    def secrets(self) -> tuple[Secret, ...]:
        """Every secret its calls carry, for redaction."""
        ...


class InventorySync:
    """Keeps one customer's inventory context (its store's `INVENTORY_CLASS`) in step
    with Central's REST API: Classic's (the customer's own API client, `config.classic`)
    or New Central's (`new_central`: the API gateway and the streams' token)."""

    def __init__(
        self,
        customer: str,
        config: InventoryConfig,
        store: EntityStore,
        *,
        session: aiohttp.ClientSession,
        ssl_setting: ssl.SSLContext | bool,
        state_dir: Path | None,
        new_central: tuple[str, Callable[[], CustomerToken | None]] | None = None,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`new_central`: a New Central customer's API gateway and how to find its
        streams' token; a Classic inventory needs `state_dir` (its rotating token)."""
        self.customer = customer
        self.config = config
        self.store = store
        self.context_as_of: float | None = None
        """Wall-clock time of the inventory the context in use comes from."""
        self.stats = SyncStats()
        self.limiter = RateLimiter(clock=monotonic, sleep=sleep)
        classic = config.classic
        base_url = classic.api_base_url if classic is not None else (new_central or ("",))[0]
        self.rest = RestClient(
            session,
            base_url,
            self.limiter,
            ssl_setting=ssl_setting,
            secrets=self._secrets,
            timeout=timeout,
        )
        self.source: InventorySource
        if classic is not None:
            if state_dir is None:
                raise ValueError("a Classic inventory needs state_dir (its token rotates)")
            tokens = ClassicTokens(
                customer, classic, token_file(state_dir, customer), self.rest, clock=clock
            )
            self.source = ClassicInventory(self.rest, tokens)
        elif new_central is not None:
            self.source = NewCentralInventory(customer, self.rest, new_central[1])
        else:
            raise ValueError("a New Central inventory needs its API gateway and token")
        self._context_file = context_file(state_dir, customer) if state_dir else None
        self._clock = clock
        self._monotonic = monotonic
        self._sleep = sleep
        self._failures = FailureLog(log, remind_every=REMIND_EVERY, clock=monotonic)
        self._store_failures = FailureLog(log, remind_every=REMIND_EVERY, clock=monotonic)
        self._consecutive_failures = 0
        self._tight = False

    # -- running --------------------------------------------------------------------

    async def run(self) -> None:
        """Sync now and on schedule until cancelled (`load_stored_context` first)."""
        while True:
            await self.sync()
            await self._sleep(self.next_delay())

    async def load_stored_context(self) -> bool:
        """The context of the last successful sync, from ``state_dir``; True if there was one."""
        if self._context_file is None:
            return False
        stored = await asyncio.to_thread(load_context, self._context_file)
        if stored is None:
            return False
        devices, synced_at = stored
        self.store.replace_inventory(devices)
        self.context_as_of = synced_at
        log.info(
            "customer %r: device context of %d devices from the sync of %s (state_dir), "
            "until the first sync",
            self.customer,
            len(devices),
            _when(synced_at),
        )
        return True

    async def sync(self) -> bool:
        """One synchronisation; True when the context now reflects Central's inventory."""
        started = self._monotonic()
        calls_before = self.limiter.calls
        self.stats.syncs += 1
        try:
            devices = await self.source.devices()
        except ApiError as err:
            self._failed(err, started)
            return False
        except Exception as err:  # one odd answer must never end the customer's syncs
            log.debug("customer %r: device-context sync failed", self.customer, exc_info=True)
            self._failed(ApiError(type(err).__name__), started)
            return False
        now = self._clock()
        changed = self.store.replace_inventory(devices)
        self.context_as_of = now
        stats = self.stats
        stats.last_attempt_at = stats.last_success_at = now
        stats.last_outcome = "ok"
        stats.last_error = None
        stats.last_duration = self._monotonic() - started
        stats.calls_per_sync = self.limiter.calls - calls_before
        first = self._consecutive_failures == 0 and stats.syncs == 1
        self._consecutive_failures = 0
        self._note_budget()
        summary = (
            f"device context of {plural(len(devices), 'device')} in "
            f"{plural(_count_sites(devices), 'site')} from "
            f"Central's REST API ({stats.calls_per_sync} calls)"
        )
        if not self._failures.success(f"customer {self.customer!r}: sync works again: {summary}"):
            log.log(
                logging.INFO if first else logging.DEBUG, "customer %r: %s", self.customer, summary
            )
        if changed or first:
            await self._store(devices, now)
        return True

    def next_delay(self) -> float:
        """Seconds until the next sync (see the module's docstring)."""
        interval = self.config.interval
        budget = self.limiter.budget
        until_reset = until_utc_midnight(self._clock()) + RESET_GRACE
        if budget.exhausted:
            return until_reset
        if self._consecutive_failures:
            return min(interval, RETRY_BASE * 2.0 ** (self._consecutive_failures - 1))
        usable = budget.usable
        if not budget.tight or usable is None:
            return interval
        calls = max(1, self.stats.calls_per_sync)
        if usable < calls:
            return until_reset
        return max(interval, until_reset * calls / usable)

    # -- status ---------------------------------------------------------------------

    def devices(self) -> list[DeviceInfo]:
        """The devices with context now."""
        _keys, entities = self.store.snapshot(INVENTORY_CLASS)
        return [entity.msg for entity in entities if isinstance(entity.msg, DeviceInfo)]

    def status(self) -> dict[str, Any]:
        """This customer's inventory state for /status (never a token)."""
        stats = self.stats
        budget = self.limiter.budget
        devices = self.devices()
        return {
            "ok": stats.last_outcome in (None, "ok"),
            "last_sync_at": stats.last_attempt_at,
            "last_sync_outcome": stats.last_outcome,
            "last_success_at": stats.last_success_at,
            "last_error": stats.last_error,
            "last_sync_duration_seconds": stats.last_duration,
            "devices_with_context": len(devices),
            "devices_with_site": sum(1 for device in devices if device.site),
            "context_synced_at": self.context_as_of,
            "api_budget_remaining_day": budget.remaining_day,
            "api_budget_limit_day": budget.limit_day,
            "api_calls": self.limiter.calls,
            "rate_limit_waits": self.limiter.waits,
            "syncs": stats.syncs,
            "sync_failures": dict(stats.failures),
            "token_source": self.source.token_source,
        }

    # -- internals ------------------------------------------------------------------

    def _secrets(self) -> tuple[Secret, ...]:
        return self.source.secrets()

    def _failed(self, err: ApiError, started: float) -> None:
        stats = self.stats
        cause = err.cause
        detail = redact(str(err) or type(err).__name__, self.source.secrets())
        stats.failures[cause] += 1
        stats.last_attempt_at = self._clock()
        stats.last_outcome = cause
        stats.last_error = detail
        stats.last_duration = self._monotonic() - started
        self._consecutive_failures += 1
        self._note_budget()
        kept = (
            f"device context of {plural(len(self.devices()), 'device')} from the sync of "
            f"{_when(self.context_as_of)}"
            if self.context_as_of is not None
            else "no device context yet"
        )
        if isinstance(err, TokenRejected):
            # The line says what the operator must do; it repeats only as a reminder.
            self._failures.failure(
                logging.ERROR,
                cause,
                f"{detail}; streaming continues with {kept}",
            )
            return
        if isinstance(err, RateLimitError) and err.day:
            then = f"waiting for Central's daily reset (midnight UTC, in {_in(self.next_delay())})"
        else:
            then = f"trying again in {_in(self.next_delay())}"
        self._failures.failure(
            logging.WARNING,
            f"{cause}:{detail}",
            f"customer {self.customer!r}: device-context sync failed ({detail}); keeping "
            f"{kept}; {then}",
        )

    def _note_budget(self) -> None:
        """One line when the day's budget becomes low, one when it is fine again."""
        budget = self.limiter.budget
        tight = budget.tight
        if tight == self._tight:
            return
        self._tight = tight
        if budget.exhausted:
            return  # the failed sync's line says so
        if tight:
            log.warning(
                "customer %r: Central's API budget is low: %s of %s calls left today (reset "
                "at midnight UTC, in %s); device-context calls slow down to one per second "
                "and syncs to every %s",
                self.customer,
                budget.remaining_day,
                budget.limit_day,
                _in(until_utc_midnight(self._clock())),
                _in(self.next_delay()),
            )
        else:
            log.info(
                "customer %r: Central's API budget is fine again (%s of %s calls left today); "
                "syncs every %s",
                self.customer,
                budget.remaining_day,
                budget.limit_day,
                format_duration(self.config.interval),
            )

    async def _store(self, devices: list[DeviceInfo], synced_at: float) -> None:
        if self._context_file is None:
            return
        try:
            await asyncio.to_thread(
                save_context, self._context_file, self.customer, devices, synced_at
            )
        except OSError as err:
            self._store_failures.failure(
                logging.WARNING,
                "state_dir",
                f"customer {self.customer!r}: could not store the device context in "
                f"{self._context_file} ({err.strerror or err}); a restart will have none "
                "until its first sync",
            )
        else:
            self._store_failures.success(
                f"customer {self.customer!r}: device context stored in {self._context_file} again"
            )


def _count_sites(devices: list[DeviceInfo]) -> int:
    return len({device.site for device in devices if device.site})


def _in(seconds: float) -> str:
    """A delay for a log line, to the second: ``5h12m3s``."""
    return format_duration(max(0.0, round(seconds)))


def _when(at: float | None) -> str:
    if at is None:
        return "never"
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(at))
