"""New Central device context against the simulator's monitoring API, over real HTTPS.

The inventory borrows the access token of the customer's streams (one token, renewed
once on a 401), reads the three lists and the device inventory with cursor paging
(gateways 100 a page), and gives every device its site (id and name) and group.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import trustme

from central_otel.config import InventoryConfig
from central_otel.inventory import InventorySync
from central_otel.inventory.new_central import NewCentralInventory
from central_otel.new_central.token import CustomerToken, request_token
from central_otel.secret import Secret
from central_otel.simulator import EstateScale
from central_otel.simulator.new_central import NewCentralSimulator
from central_otel.simulator.new_central_events import site_id
from central_otel.simulator.new_central_rest import MONITORING
from central_otel.simulator.rest_api import GROUPS
from central_otel.state.store import DeviceInfo, EntityStore
from tests import defaults
from tests.defaults import BACKOFF, LIMITS
from tests.inventory_support import FakeTime, client_context, context_of, server_context
from tests.otlp_receiver import GrpcOtlpReceiver
from tests.process_support import BridgeProcess, until

pytestmark = pytest.mark.timeout(120)

CUSTOMER = "globex"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@contextlib.asynccontextmanager
async def syncing(
    ca: trustme.CA, scale: EstateScale | None = None
) -> AsyncIterator[tuple[NewCentralSimulator, CustomerToken, InventorySync]]:
    """A TLS New Central simulator with `CUSTOMER`, its streams' token, and its sync."""
    sim = NewCentralSimulator(scale=scale or EstateScale.small(), seed="inventory")
    client = sim.add_customer(CUSTOMER, topics=["ap-events"])
    await sim.start("127.0.0.1", 0, ssl_context=server_context(ca))
    fake = FakeTime()
    sim.rest_api.monotonic = fake.monotonic  # both sides' rate windows on one clock
    try:
        async with aiohttp.ClientSession() as session:
            tls = client_context(ca)
            token = CustomerToken(
                CUSTOMER,
                partial(
                    request_token, session, sim.token_url, client.client_id,
                    Secret(client.client_secret), ssl_setting=tls,
                    timeout=defaults.CONNECT_TIMEOUT,
                ),
                backoff=BACKOFF,
            )  # fmt: skip
            sync = InventorySync(
                CUSTOMER,
                InventoryConfig(),
                EntityStore(CUSTOMER, LIMITS),
                session=session,
                ssl_setting=tls,
                state_dir=None,
                new_central=(sim.url, lambda: token),
                clock=fake.time,
                monotonic=fake.monotonic,
                sleep=fake.sleep,
            )
            yield sim, token, sync
    finally:
        await sim.stop()


def expected(sim: NewCentralSimulator) -> dict[str, DeviceInfo]:
    estate = sim.world(CUSTOMER).estate
    kinds = (("ap", estate.aps), ("switch", estate.switches), ("gateway", estate.gateways))
    return {
        device.serial: DeviceInfo(
            device.serial,
            site=device.site.name,
            group=GROUPS[kind],
            name=device.name,
            model=device.model,
            device_type=kind,
            site_id=site_id(device.site),
        )
        for kind, members in kinds
        for device in members
    }


def pages(sim: NewCentralSimulator) -> list[tuple[str, int, int | None]]:
    return [(c.path.removeprefix(MONITORING), c.status, c.page) for c in sim.rest_api.calls]


async def test_site_and_group_of_every_device_with_the_streams_token(ca: trustme.CA) -> None:
    async with syncing(ca) as (sim, token, sync):
        assert await sync.sync()
        assert context_of(sync) == expected(sim)
        first = sim.world(CUSTOMER).estate.aps[0]
        assert sync.store.inventory(first.serial) == DeviceInfo(
            first.serial, "HQ", "Campus-APs", (), "hq-ap-01", first.model, "ap", "site-001"
        )
        assert pages(sim) == [("/aps", 200, 1), ("/switches", 200, 1), ("/gateways", 200, 1),
                              ("/device-inventory", 200, 1)]  # fmt: skip
        assert token.requests == 1  # the streams' token, not one of its own
        status = sync.status()
    assert (status["token_source"], status["devices_with_context"], status["ok"]) == (
        "streams", 6, True,
    )  # fmt: skip
    assert status["api_budget_remaining_day"] is None  # New Central says no daily budget


async def test_cursor_paging_beyond_1000_aps_and_100_gateways(ca: trustme.CA) -> None:
    scale = EstateScale(26, 43, 1, 4, 0, wired_clients_per_switch=0)  # 1118 APs, 104 gateways
    async with syncing(ca, scale) as (sim, _token, sync):
        assert await sync.sync()
        assert len(context_of(sync)) == 1118 + 26 + 104
        assert context_of(sync) == expected(sim)
    assert pages(sim) == [
        ("/aps", 200, 1), ("/aps", 200, 2), ("/switches", 200, 1),
        ("/gateways", 200, 1), ("/gateways", 200, 2),
        ("/device-inventory", 200, 1), ("/device-inventory", 200, 2),
    ]  # fmt: skip


async def test_an_expired_token_is_renewed_once_for_everyone(ca: trustme.CA) -> None:
    async with syncing(ca) as (sim, token, sync):
        assert await sync.sync()
        sim.expire_tokens()
        assert await sync.sync()
        assert token.requests == 2
        statuses = [status for _path, status, _page in pages(sim)]
        assert statuses == [200] * 4 + [401] + [200] * 4
        assert token.token is not None
        assert token.token.reveal() not in repr(sync.status())


async def test_no_token_keeps_the_context_and_says_why(
    ca: trustme.CA, caplog: pytest.LogCaptureFixture
) -> None:
    async with syncing(ca) as (_sim, _token, sync):
        assert await sync.sync()
        good = context_of(sync)
        sync.source = NewCentralInventory(CUSTOMER, sync.rest, lambda: None)  # streams gone
        assert not await sync.sync()
        assert context_of(sync) == good
        assert sync.stats.failures == {"unauthorized": 1}
        assert sync.status()["ok"] is False
    assert any(
        "device-context sync failed (customer 'globex' has no New Central streams here)"
        in r.getMessage()
        for r in caplog.records
    )


async def test_a_run_process_puts_site_and_group_on_new_central_metrics_and_events(
    otlp_grpc_receiver: GrpcOtlpReceiver, ca: trustme.CA, tmp_path: Path
) -> None:
    sim = NewCentralSimulator(scale=EstateScale.small(), seed="inventory", stats_interval=0.2)
    client = sim.add_customer(CUSTOMER, topics=["ap-events"])
    await sim.start("127.0.0.1", 0, ssl_context=server_context(ca))
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    (tmp_path / "globex.secret").write_text(client.client_secret + "\n")
    config = tmp_path / "config.yaml"
    config.write_text(
        f"""\
central:
  ca_file: {tmp_path / "ca.pem"}
customers:
  {CUSTOMER}:
    platform: new_central
    base_url: {sim.url}
    client_id: {client.client_id}
    client_secret_file: {tmp_path / "globex.secret"}
    token_url: {sim.token_url}
    topics: [ap-events]
    inventory:
      interval: 1m
otlp:
  endpoint: {otlp_grpc_receiver.endpoint}
  export_interval: 1s
  timeout: 2s
health:
  listen: 127.0.0.1:0
"""
    )
    ap = sim.world(CUSTOMER).estate.aps[0]
    context = {
        "aruba.site.id": "site-001",
        "aruba.site.name": "HQ",
        "aruba.group.name": "Campus-APs",
    }
    receiver = otlp_grpc_receiver
    bridge = BridgeProcess(config)
    try:
        await bridge.start()

        def status_with_group() -> list[dict[str, Any]]:
            return [
                p.attributes
                for p in receiver.metrics("aruba.device.status")
                if p.attributes.get("host.id") == ap.serial and "aruba.group.name" in p.attributes
            ]

        [*_, status] = await until(_async(status_with_group), 30, "an AP's status with its group")
        assert {k: status.get(k) for k in ("host.id", "host.name", *context)} == {
            "host.id": ap.serial, "host.name": ap.name, **context,
        }  # fmt: skip
        assert "aruba.device.labels" not in status  # New Central has no labels
        inventory = (await bridge.status())["inventory"][CUSTOMER]
        assert (inventory["token_source"], inventory["devices_with_context"]) == ("streams", 6)
        sim.world(CUSTOMER).ap_down(ap.serial)
        [down] = await until(
            _async(lambda: receiver.log_records("aruba.device.down")), 30, "the down event"
        )
        assert {k: down.attributes.get(k) for k in ("host.id", *context)} == {
            "host.id": ap.serial, **context,
        }  # fmt: skip
        await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()
    # One token for the streams and the inventory.
    assert [r["outcome"] for r in sim.token_requests] == ["issued"]


def _async(predicate: Any) -> Any:
    async def check() -> Any:
        return predicate()

    return check
