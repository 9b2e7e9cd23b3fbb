"""`Inventories`: every customer's device context, and the syncs that keep it current.

A customer with an ``inventory`` block gets an `InventorySync`, which fills its
store's inventory context, in the one process that owns it (without the block: no
REST call at all): Classic Central replaces the refresh token at every refresh, so two
processes refreshing the same token would spend each other's. With shards, the owner
is the shard serving a Classic customer's monitoring subscription (the device
statistics), else its first topic's; a New Central customer's first topic's (whose
streams hold the access token the inventory borrows).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp

from central_otel.config import Config, CustomerConfig
from central_otel.config.durations import format_duration
from central_otel.config.files import make_private_dir
from central_otel.config.model import AnyCustomer, NewCentralCustomerConfig
from central_otel.inventory.sync import InventorySync
from central_otel.new_central.token import CustomerToken
from central_otel.sharding import Shard
from central_otel.state.store import EntityStore
from central_otel.streaming.sessions import rest_session
from central_otel.streaming.transport import tls_context
from central_otel.topics import Topic

log = logging.getLogger(__name__)


def owner_topic(customer: AnyCustomer) -> str:
    """The subscription whose shard owns the customer's inventory: Classic's monitoring
    (else its first topic), a New Central customer's first topic (its token is there)."""
    if isinstance(customer, CustomerConfig) and Topic.MONITORING in customer.topics:
        return Topic.MONITORING.value
    return customer.topics[0].value


class Inventories:
    def __init__(
        self,
        config: Config,
        stores: Mapping[str, EntityStore],
        *,
        tokens: Mapping[str, CustomerToken] | None = None,
        shard: Shard | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`tokens`: the New Central customers' access tokens, by customer (the
        streamer's, filled when it starts: looked up at each sync)."""
        self.config = config
        self.stores = stores
        self.syncs: dict[str, InventorySync] = {}
        self._tokens = tokens if tokens is not None else {}
        self._shard = shard
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None
        self._tasks: list[asyncio.Task[None]] = []

    def owned(self) -> list[AnyCustomer]:
        """The customers with an inventory that this process synchronises."""
        shard = self._shard
        return [
            customer
            for customer in self.config.all_customers
            if customer.inventory is not None
            and (shard is None or shard.serves(customer.name, owner_topic(customer)))
        ]

    async def start(self) -> None:
        """Read the stored contexts back (before the first frame); `run` then starts
        the syncs."""
        owned = self.owned()
        if not owned:
            return
        state_dir = self._state_dir() if self.config.state_dir is not None else None
        central = self.config.central
        ssl_setting = tls_context(
            str(central.ca_file) if central.ca_file else None, central.verify_tls
        )
        self._session = rest_session()  # no pool limit: see streaming.sessions
        for customer in owned:
            inventory = customer.inventory
            assert inventory is not None
            if isinstance(customer, NewCentralCustomerConfig):
                new_central = (customer.base_url, partial(self._tokens.get, customer.name))
            elif state_dir is None:
                continue  # said by `_state_dir`: no call, the bootstrap token stays unspent
            else:
                new_central = None
            self.syncs[customer.name] = InventorySync(
                customer.name,
                inventory,
                self.stores[customer.name],
                session=self._session,
                ssl_setting=ssl_setting,
                state_dir=state_dir,
                new_central=new_central,
                timeout=self.config.streaming.connect_timeout,
                sleep=self._sleep,
            )
        await asyncio.gather(*(sync.load_stored_context() for sync in self.syncs.values()))

    def run(self) -> None:
        """Start the syncs in the background (after the streams: New Central's use their
        token)."""
        for name, sync in self.syncs.items():
            self._tasks.append(asyncio.create_task(sync.run(), name=f"inventory {name}"))
        if self.syncs:
            log.info(
                "device context from Central's REST API for %d customer(s), every %s",
                len(self.syncs),
                ", ".join(
                    sorted({format_duration(s.config.interval) for s in self.syncs.values()})
                ),
            )

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(2.0):
                await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    def status(self) -> dict[str, dict[str, Any]]:
        """Per customer with an inventory synchronised here: see `InventorySync.status`."""
        return {name: sync.status() for name, sync in self.syncs.items()}

    def _state_dir(self) -> Path | None:
        """`state_dir`, created private (0700) if missing; None when it cannot be: then
        no call is made, so the configured refresh token stays unspent."""
        state_dir = self.config.state_dir
        assert state_dir is not None
        try:
            make_private_dir(state_dir)
        except OSError as err:
            log.error(
                "cannot create the state directory %s (%s): no device context from Central's "
                "REST API (a refreshed token could not be kept); streaming continues",
                state_dir,
                err.strerror or err,
            )
            return None
        return state_dir
