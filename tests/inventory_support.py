"""Helpers for the device-context tests (this module holds no tests).

The simulator serves Classic Central's REST API over real HTTPS on loopback, with a
certificate from a trustme CA. `FakeTime` is the clock of both sides' rate limits
(the simulator's per-second window and the bridge's pacing) and of the token
expiry: a wait the bridge asks for is recorded and moves the clock, never slept.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import trustme

from central_otel.config import Config, parse_config
from central_otel.inventory import InventorySync
from central_otel.simulator import CentralSimulator, ClassicRestApi, EstateScale
from central_otel.state.store import DeviceInfo, EntityStore
from tests.defaults import LIMITS
from tests.simulator_support import CUSTOMER, make_sim

__all__ = ["CUSTOMER"]


@dataclass
class FakeTime:
    """Wall clock and monotonic clock in one; `sleep` records the delay and advances both."""

    wall: float = 1_800_000_000.0  # 2027-01-15 08:00:00 UTC
    mono: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def time(self) -> float:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)


def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


def client_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


@contextlib.asynccontextmanager
async def rest_sim(
    ca: trustme.CA, fake: FakeTime, *, scale: EstateScale | None = None, **kwargs: Any
) -> AsyncIterator[CentralSimulator]:
    """A started TLS simulator with `CUSTOMER` and its API client, on `fake` time."""
    sim = make_sim(**({"scale": scale} if scale else {}))
    sim.add_customer(CUSTOMER)
    sim.rest_api = ClassicRestApi(sim.estate, clock=fake.time, monotonic=fake.monotonic)
    sim.rest_api.add_client(CUSTOMER, client_id="acme-client", **kwargs)
    await sim.start(host="127.0.0.1", port=0, ssl_context=server_context(ca))
    try:
        yield sim
    finally:
        await sim.stop()


def inventory_config(
    sim: CentralSimulator,
    state_dir: Path,
    *,
    refresh_token: str | None = None,
    refresh_token_file: Path | None = None,
    ca_file: Path | None = None,
    interval: str = "15m",
) -> Config:
    """A configuration whose customer has the simulator's API client as its inventory."""
    credentials = sim.rest_api.credentials(CUSTOMER)
    inventory: dict[str, Any] = {
        "api_base_url": sim.url,
        "client_id": credentials.client_id,
        "client_secret": credentials.client_secret,
        "interval": interval,
    }
    if refresh_token_file is not None:
        inventory["refresh_token_file"] = str(refresh_token_file)
    else:
        inventory["refresh_token"] = refresh_token or credentials.refresh_token
    central: dict[str, Any] = {"base_url": sim.url}
    if ca_file is not None:
        central["ca_file"] = str(ca_file)
    document = {
        "central": central,
        "customers": {
            CUSTOMER: {
                "key": sim.customer(CUSTOMER).key,
                "topics": ["monitoring"],
                "inventory": inventory,
            }
        },
        "state_dir": str(state_dir),
    }
    return parse_config(document, source="test.yaml", environ={})


@contextlib.asynccontextmanager
async def syncing(config: Config, ca: trustme.CA, fake: FakeTime) -> AsyncIterator[InventorySync]:
    """An `InventorySync` of `CUSTOMER` (its own session: one per process), on `fake` time."""
    inventory = config.customer(CUSTOMER).inventory
    assert inventory is not None
    assert config.state_dir is not None
    async with aiohttp.ClientSession() as session:
        yield InventorySync(
            CUSTOMER,
            inventory,
            EntityStore(CUSTOMER, LIMITS, clock=fake.monotonic),
            session=session,
            ssl_setting=client_context(ca),
            state_dir=config.state_dir,
            clock=fake.time,
            monotonic=fake.monotonic,
            sleep=fake.sleep,
        )


def context_of(sync: InventorySync) -> dict[str, DeviceInfo]:
    """The customer's inventory context now, by serial."""
    return {device.serial: device for device in sync.devices()}
