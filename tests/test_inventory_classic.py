"""Classic device context against the simulator's REST API, over real HTTPS on loopback.

Token rotation and its persistence (across a restart too), both tokens refused, paging
beyond 1,000 devices, a device moving site or leaving the inventory, a failed sync
keeping the last good context (said once), the context stored in state_dir.
"""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path

import pytest
import trustme

from central_otel.inventory.classic import ClassicInventory
from central_otel.inventory.classic_auth import TOKEN_PATH
from central_otel.inventory.state_files import context_file, token_file
from central_otel.simulator import ApiCallRecord, CentralSimulator, EstateScale
from central_otel.simulator.keys import fingerprint
from central_otel.state.entities import INVENTORY_CLASS
from central_otel.state.store import DeviceInfo, EntityStore
from tests.defaults import LIMITS
from tests.inventory_support import (
    CUSTOMER,
    FakeTime,
    context_of,
    inventory_config,
    rest_sim,
    syncing,
)

pytestmark = pytest.mark.timeout(60)

APS, SWITCHES, GATEWAYS = "/monitoring/v2/aps", "/monitoring/v1/switches", "/monitoring/v1/gateways"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def expected_context(sim: CentralSimulator) -> dict[str, DeviceInfo]:
    """The estate as the inventory lists it (groups per type, labels by place)."""
    estate = sim.estate(CUSTOMER)
    expected: dict[str, DeviceInfo] = {}
    for ap in estate.aps:
        floor = "floor-1" if ap.y < ap.site.height / 2 else "floor-2"
        labels = ("conductor", floor) if ap.swarm_master else (floor,)
        expected[ap.serial] = DeviceInfo(
            ap.serial, ap.site.name, "Campus-APs", labels, ap.name, ap.model, "ap"
        )
    for switch in estate.switches:
        expected[switch.serial] = DeviceInfo(
            switch.serial, switch.site.name, "Campus-Switches", ("access-layer",), switch.name,
            switch.model, "switch",
        )  # fmt: skip
    for gateway in estate.gateways:
        expected[gateway.serial] = DeviceInfo(
            gateway.serial, gateway.site.name, "Branch-Gateways", ("wan-edge",), gateway.name,
            gateway.model, "gateway",
        )  # fmt: skip
    return expected


def calls(sim: CentralSimulator) -> list[tuple[str, int, int | None]]:
    return [(c.path, c.status, c.offset) for c in sim.rest_api.calls]


def token_calls(sim: CentralSimulator) -> list[tuple[str | None, int]]:
    return [(c.refresh_token, c.status) for c in sim.rest_api.calls if c.path == TOKEN_PATH]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_first_sync_fills_the_context_and_stores_the_rotated_pair(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="central_otel.inventory")
    async with rest_sim(ca, fake) as sim, syncing(inventory_config(sim, tmp_path), ca, fake) as s:
        bootstrap = sim.rest_api.issued_tokens(CUSTOMER)[0]
        assert await s.sync()
        assert context_of(s) == expected_context(sim)
        first_ap = sim.estate(CUSTOMER).aps[0]
        assert s.store.inventory(first_ap.serial) == DeviceInfo(
            first_ap.serial, "HQ", "Campus-APs", ("conductor", "floor-1"), "hq-ap-01",
            first_ap.model, "ap",
        )  # fmt: skip
        assert s.store.version == 1
        assert s.context_as_of == fake.wall
        assert calls(sim) == [(TOKEN_PATH, 200, None), (APS, 200, 0), (SWITCHES, 200, 0),
                              (GATEWAYS, 200, 0)]  # fmt: skip
        assert token_calls(sim) == [(fingerprint(bootstrap), 200)]
        # The stored pair is Central's newest one, private, in a private directory.
        stored = json.loads(token_file(tmp_path, CUSTOMER).read_text())
        issued = sim.rest_api.issued_tokens(CUSTOMER)
        assert stored == {
            "format": 1,
            "api_base_url": sim.url,
            "client_id": "acme-client",
            "bootstrap": fingerprint(bootstrap),
            "refresh_token": issued[1],
            "access_token": issued[2],
            "expires_at": fake.wall + 7200,
        }
        assert sim.rest_api.credentials(CUSTOMER).refresh_token == issued[1]
        assert mode(token_file(tmp_path, CUSTOMER)) == 0o600
        assert mode(tmp_path / "inventory") == 0o700
        assert mode(context_file(tmp_path, CUSTOMER)) == 0o600
        status = s.status()
    assert status == {
        "ok": True,
        "last_sync_at": fake.wall,
        "last_sync_outcome": "ok",
        "last_success_at": fake.wall,
        "last_error": None,
        "last_sync_duration_seconds": 0.0,
        "devices_with_context": 6,
        "devices_with_site": 6,
        "context_synced_at": fake.wall,
        "api_budget_remaining_day": 4996,
        "api_budget_limit_day": 5000,
        "api_calls": 4,
        "rate_limit_waits": 0,
        "syncs": 1,
        "sync_failures": {},
        "token_source": "state_dir",
    }
    assert [r.getMessage() for r in caplog.records] == [
        f"customer {CUSTOMER!r}: device context of 6 devices in 1 site from Central's REST "
        "API (4 calls)"
    ]


async def test_the_new_pair_is_stored_before_its_access_token_is_used(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path
) -> None:
    seen: list[tuple[str, str]] = []
    async with rest_sim(ca, fake) as sim, syncing(inventory_config(sim, tmp_path), ca, fake) as s:

        def on_call(record: ApiCallRecord) -> None:
            if record.path != TOKEN_PATH:
                stored = json.loads(token_file(tmp_path, CUSTOMER).read_text())
                seen.append((record.path, stored["refresh_token"]))

        sim.rest_api.observers.append(on_call)
        assert await s.sync()
        sim.rest_api.expire_access_tokens(CUSTOMER)  # the next call gets 401, then refreshes
        assert await s.sync()
        current = sim.rest_api.credentials(CUSTOMER).refresh_token
        issued = sim.rest_api.issued_tokens(CUSTOMER)
    first, second = issued[1], issued[3]
    assert second == current
    assert seen == [(APS, first), (SWITCHES, first), (GATEWAYS, first),
                    (APS, first),  # refused (expired access token)
                    (APS, second), (SWITCHES, second), (GATEWAYS, second)]  # fmt: skip


async def test_rotation_across_a_restart_uses_the_stored_pair_never_the_bootstrap(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path
) -> None:
    async with rest_sim(ca, fake) as sim:
        config = inventory_config(sim, tmp_path)
        bootstrap = sim.rest_api.issued_tokens(CUSTOMER)[0]
        async with syncing(config, ca, fake) as first:
            assert await first.sync()
        # A restart within the access token's life: the stored access token is used as is.
        async with syncing(config, ca, fake) as second:
            assert second.source.token_source == "state_dir"
            assert await second.sync()
        # A restart after it expired: the stored refresh token, before any other call.
        fake.advance(7200)
        async with syncing(config, ca, fake) as third:
            assert await third.sync()
            assert isinstance(third.source, ClassicInventory)
            assert third.source.tokens.refreshes == 1
        issued = sim.rest_api.issued_tokens(CUSTOMER)
    assert token_calls(sim) == [(fingerprint(bootstrap), 200), (fingerprint(issued[1]), 200)]
    assert [path for path, _status, _offset in calls(sim)] == [
        TOKEN_PATH, APS, SWITCHES, GATEWAYS,
        APS, SWITCHES, GATEWAYS,
        TOKEN_PATH, APS, SWITCHES, GATEWAYS,
    ]  # fmt: skip
    stored = json.loads(token_file(tmp_path, CUSTOMER).read_text())
    assert stored["refresh_token"] == issued[3]
    assert stored["bootstrap"] == fingerprint(bootstrap)


async def test_both_tokens_refused_says_what_to_do_then_picks_up_a_new_token(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="central_otel.inventory")
    token_path = tmp_path / "acme-refresh-token"
    async with rest_sim(ca, fake) as sim:
        token_path.write_text(sim.rest_api.credentials(CUSTOMER).refresh_token + "\n")
        config = inventory_config(sim, tmp_path / "state", refresh_token_file=token_path)
        async with syncing(config, ca, fake) as s:
            assert await s.sync()
            good = context_of(s)
            sim.rest_api.revoke_tokens(CUSTOMER)
            sim.rest_api.expire_access_tokens(CUSTOMER)
            caplog.clear()
            assert not await s.sync()
            assert context_of(s) == good  # the last good context stays
            refused_calls = len(sim.rest_api.calls)
            assert not await s.sync()  # nothing left to try: no call at all
            assert len(sim.rest_api.calls) == refused_calls
            assert s.stats.failures == {"unauthorized": 2}
            assert s.status()["last_sync_outcome"] == "unauthorized"
            assert s.status()["ok"] is False
            errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
            state_file = tmp_path / "state" / "inventory" / f"{CUSTOMER}.json"
            assert [r.getMessage() for r in errors] == [
                f"customer {CUSTOMER!r}: Central refused the API refresh token stored in "
                f"{state_file} (HTTP 400 invalid_grant), and the configured one "
                f"(refresh_token_file: {token_path}) was refused too or already used; generate "
                "a new token in Central under API Gateway → My Apps & Tokens and put it in "
                f"refresh_token_file: {token_path} (read again at the next sync); streaming "
                f"continues with device context of 6 devices from the sync of 2027-01-15 "
                "08:00:00 UTC"
            ]
            assert errors[0].levelno == logging.ERROR
            # The bootstrap token (spent by the first refresh) was never sent again.
            bootstrap = sim.rest_api.issued_tokens(CUSTOMER)[0]
            assert [fp for fp, _ in token_calls(sim)].count(fingerprint(bootstrap)) == 1
            # The operator generates a new token and puts it in the file.
            token_path.write_text(sim.rest_api.new_token(CUSTOMER) + "\n")
            assert await s.sync()
            assert s.stats.last_outcome == "ok"
    assert (fingerprint(token_path.read_text().strip()), 200) == token_calls(sim)[-1]
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert messages[-2:] == [
        f"customer {CUSTOMER!r}: new API refresh token "
        f"{fingerprint(token_path.read_text().strip())} in refresh_token_file: {token_path}; "
        "trying it",
        f"customer {CUSTOMER!r}: sync works again: device context of 6 devices in 1 site "
        "from Central's REST API (4 calls)",
    ]


async def test_a_refused_configured_token_alone(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="central_otel.inventory")
    async with rest_sim(ca, fake) as sim:
        config = inventory_config(sim, tmp_path, refresh_token="never-issued-token-4d1c")
        async with syncing(config, ca, fake) as s:
            assert not await s.sync()
            assert len(s.devices()) == 0
    assert [r.getMessage() for r in caplog.records] == [
        f"customer {CUSTOMER!r}: Central refused the configured API refresh token "
        "(refresh_token) (HTTP 400 invalid_grant); generate a new token in Central under "
        "API Gateway → My Apps & Tokens and put it in refresh_token, then restart; "
        "streaming continues with no device context yet"
    ]
    assert not token_file(tmp_path, CUSTOMER).exists()


async def test_a_wrong_client_secret_is_named_as_such(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="central_otel.inventory")
    async with rest_sim(ca, fake, client_secret="the-right-secret-0c7a") as sim:
        config = inventory_config(sim, tmp_path)
        sim.rest_api.add_client(CUSTOMER, client_id="acme-client", client_secret="another-one")
        async with syncing(config, ca, fake) as s:
            assert not await s.sync()
    assert [r.getMessage() for r in caplog.records] == [
        f"customer {CUSTOMER!r}: Central refused the API client (client_id acme-client, "
        "client_secret) (HTTP 401 invalid_client); check the client id and secret under API "
        "Gateway → My Apps & Tokens; streaming continues with no device context yet"
    ]


async def test_paging_over_more_than_1000_devices(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path
) -> None:
    scale = EstateScale(1, 1100, 2, 1, 0, wired_clients_per_switch=0)
    async with (
        rest_sim(ca, fake, scale=scale) as sim,
        syncing(inventory_config(sim, tmp_path), ca, fake) as s,
    ):
        assert await s.sync()
        assert len(s.devices()) == 1103
        assert context_of(s) == expected_context(sim)
        assert s.stats.calls_per_sync == 5
    assert calls(sim) == [(TOKEN_PATH, 200, None), (APS, 200, 0), (APS, 200, 1000),
                          (SWITCHES, 200, 0), (GATEWAYS, 200, 0)]  # fmt: skip


async def test_a_device_moving_site_or_leaving_changes_its_context_at_the_next_sync(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path
) -> None:
    async with rest_sim(ca, fake) as sim, syncing(inventory_config(sim, tmp_path), ca, fake) as s:
        ap, gone = sim.estate(CUSTOMER).aps[1], sim.estate(CUSTOMER).aps[2]
        assert await s.sync()
        assert await s.sync()
        assert s.store.version == 1  # an unchanged inventory changes nothing
        sim.rest_api.set_context(CUSTOMER, ap.serial, site="Paris", labels=("lobby", "floor-0"))
        sim.rest_api.hide_device(CUSTOMER, gone.serial)
        assert context_of(s)[ap.serial].site == "HQ"
        assert await s.sync()
        assert s.store.version == 2
        assert s.store.inventory(ap.serial) == DeviceInfo(
            ap.serial, "Paris", "Campus-APs", ("floor-0", "lobby"), ap.name, ap.model, "ap"
        )
        assert s.store.inventory(gone.serial) is None
        assert len(s.devices()) == 5
    stored = json.loads(context_file(tmp_path, CUSTOMER).read_text())
    assert {d["serial"]: d["site"] for d in stored["devices"]}[ap.serial] == "Paris"
    assert gone.serial not in {d["serial"] for d in stored["devices"]}


async def test_a_failed_sync_keeps_the_last_good_context_and_says_so_once(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="central_otel.inventory")
    async with rest_sim(ca, fake) as sim, syncing(inventory_config(sim, tmp_path), ca, fake) as s:
        assert await s.sync()
        good = context_of(s)
        await sim.stop()
        caplog.clear()
        assert not await s.sync()
        assert s.next_delay() == 60.0
        assert not await s.sync()
        assert s.next_delay() == 120.0
        assert context_of(s) == good
        assert s.stats.failures == {"network": 2}
        loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert loud == [
            f"customer {CUSTOMER!r}: device-context sync failed (connection refused); keeping "
            "device context of 6 devices from the sync of 2027-01-15 08:00:00 UTC; trying "
            "again in 1m"
        ]
        await sim.start()
        assert await s.sync()
        assert s.next_delay() == 900.0
    assert caplog.records[-1].getMessage() == (
        f"customer {CUSTOMER!r}: sync works again: device context of 6 devices in 1 site "
        "from Central's REST API (3 calls)"
    )


async def test_the_context_survives_a_restart(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path
) -> None:
    async with rest_sim(ca, fake) as sim:
        config = inventory_config(sim, tmp_path)
        async with syncing(config, ca, fake) as first:
            assert await first.sync()
            synced_at = fake.wall
        fake.advance(3600)
        async with syncing(config, ca, fake) as second:
            # Before any call: the stored context, as of its sync.
            assert await second.load_stored_context()
            assert context_of(second) == expected_context(sim)
            assert second.context_as_of == synced_at
    assert len(sim.rest_api.calls) == 4


async def test_an_unreadable_context_file_is_no_context(tmp_path: Path) -> None:
    from central_otel.inventory.state_files import load_context, load_tokens

    path = tmp_path / "context.json"
    for content in ("", "{", "[]", '{"format": 2}', '{"format": 1, "devices": {}}'):
        path.write_text(content)
        assert load_context(path) is None
        assert load_tokens(path) is None
    path.write_text(
        '{"format": 1, "synced_at": 5, "devices": [{"serial": "A1", "site": "HQ", '
        '"labels": ["b", "a", 3, "a"]}, {"site": "no serial"}, 7]}'
    )
    assert load_context(path) == ([DeviceInfo("A1", "HQ", labels=("a", "b"))], 5.0)
    store = EntityStore("x", LIMITS)
    assert store.replace_inventory([DeviceInfo("A1"), DeviceInfo("B2", "HQ")])
    kept = store.get(INVENTORY_CLASS, ("A1",))
    assert not store.replace_inventory([DeviceInfo("A1"), DeviceInfo("B2", "HQ")])
    assert store.version == 1
    assert store.replace_inventory([DeviceInfo("A1"), DeviceInfo("B2", "Paris")])
    assert store.get(INVENTORY_CLASS, ("A1",)) is kept  # an unchanged device keeps its entity
    assert store.inventory("B2") == DeviceInfo("B2", "Paris")
    assert store.replace_inventory([DeviceInfo("A1")])  # B2 left the inventory
    assert (store.inventory("B2"), store.version) == (None, 3)
