"""`central-otel run` with device context, as a process, against the simulator over HTTPS.

Three runs on one state_dir: the first spends the bootstrap token and stores the new
pair; the second (after the access token expired) refreshes with the stored pair and
never sends the bootstrap token again; then every token is revoked, and the third run
says exactly what to do, keeps the stored context, and streams on.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import trustme

from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from central_otel.simulator.keys import fingerprint
from central_otel.simulator.rest_api import TOKEN_PATH
from tests.otlp_receiver import GrpcOtlpReceiver
from tests.process_support import BridgeProcess, until, write_config

pytestmark = pytest.mark.timeout(180)

CUSTOMER = "CustomerA"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def inventory_block(sim: CentralSimulator, folder: Path, refresh_token: str) -> str:
    credentials = sim.rest_api.credentials(CUSTOMER)
    secret_file = folder / "api-secret"
    secret_file.write_text(credentials.client_secret + "\n")
    token_file = folder / "refresh-token"
    token_file.write_text(refresh_token + "\n")
    return (
        "inventory:\n"
        f"  api_base_url: {sim.url}\n"
        f"  client_id: {credentials.client_id}\n"
        f"  client_secret_file: {secret_file}\n"
        f"  refresh_token_file: {token_file}\n"
    )


async def tls_sim_and_config(
    ca: trustme.CA, tmp_path: Path, receiver: GrpcOtlpReceiver, *, seed: int
) -> tuple[CentralSimulator, str, Path]:
    """A started simulator on HTTPS with `CUSTOMER` (monitoring) and its API client; its
    bootstrap refresh token; a `run` configuration with the inventory and a state_dir."""
    sim = CentralSimulator(
        scale=EstateScale.small(), stats_interval=0.2, seed=seed, profile=TrafficProfile.quiet()
    )
    sim.add_customer(CUSTOMER, topics=["monitoring"])
    bootstrap = sim.rest_api.add_client(CUSTOMER, client_id="acme-client").refresh_token
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    await sim.start("127.0.0.1", 0, ssl_context=context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    config = write_config(
        tmp_path / "config.yaml",
        base_url=sim.url,
        ca_file=ca_file,
        customers={CUSTOMER: (sim.customer(CUSTOMER).key, ["monitoring"])},
        otlp_endpoint=receiver.endpoint,
        customer_extra={CUSTOMER: inventory_block(sim, tmp_path, bootstrap)},
        # A client joining in the first 30 s is news here, not the baseline.
        extra=f"state_dir: {tmp_path / 'state'}\nevents:\n  baseline_window: 0s\n",
    )
    return sim, bootstrap, config


async def inventory_status(bridge: BridgeProcess) -> dict[str, Any]:
    status: dict[str, Any] = (await bridge.status())["inventory"][CUSTOMER]
    return status


async def run_until_synced(bridge: BridgeProcess, outcome: str) -> dict[str, Any]:
    await bridge.start()

    async def synced() -> dict[str, Any]:
        status = await inventory_status(bridge)
        return status if status["last_sync_outcome"] == outcome else {}

    return await until(synced, 60, f"a sync with outcome {outcome}")


async def one_run(config: Path, outcome: str) -> dict[str, Any]:
    """Run the bridge until its first sync ends with `outcome`; its inventory status."""
    bridge = BridgeProcess(config)
    try:
        status = await run_until_synced(bridge, outcome)
        await bridge.stop()
    finally:
        await bridge.close()
    return status


async def test_rotation_across_restarts_and_both_tokens_refused(
    otlp_grpc_receiver: GrpcOtlpReceiver, ca: trustme.CA, tmp_path: Path
) -> None:
    sim, bootstrap, config = await tls_sim_and_config(ca, tmp_path, otlp_grpc_receiver, seed=7)
    state_dir = tmp_path / "state"
    try:
        status = await one_run(config, "ok")
        assert status["devices_with_context"] == 6
        assert status["token_source"] == "state_dir"
        sim.rest_api.expire_access_tokens(CUSTOMER)
        await one_run(config, "ok")
        tokens = [(c.refresh_token, c.status) for c in sim.rest_api.calls if c.path == TOKEN_PATH]
        issued = sim.rest_api.issued_tokens(CUSTOMER)
        assert tokens == [(fingerprint(bootstrap), 200), (fingerprint(issued[1]), 200)]

        sim.rest_api.revoke_tokens(CUSTOMER)
        sim.rest_api.expire_access_tokens(CUSTOMER)
        third = BridgeProcess(config)
        try:
            status = await run_until_synced(third, "unauthorized")
            # The stored context stays in use; streaming goes on.
            assert status["devices_with_context"] == 6
            frames = await third.frames()
            await until(lambda: third.connected(1), 30, "streaming")
            await until(_more_frames(third, frames), 30, "frames after the refusal")
            # `central-otel status` shows the inventory table and calls it a problem.
            shown = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "central_otel", "status", "--url",
                f"http://127.0.0.1:{third.port}",
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
            text = (await shown.communicate())[0].decode()
            assert shown.returncode == 1, text
            assert "inventory" in text.lower()
            assert "CustomerA: not ok" in text
            await third.stop()
        finally:
            await third.close()
    finally:
        await sim.stop()
    token_file = tmp_path / "refresh-token"
    refused = [line for line in third.stderr_lines if "generate a new token" in line]
    assert len(refused) == 1
    assert refused[0].split(" ", 3)[2:] == [
        "ERROR",
        "central_otel.inventory.sync: customer 'CustomerA': Central refused the API refresh "
        f"token stored in {state_dir / 'inventory' / 'CustomerA.json'} (HTTP 400 "
        f"invalid_grant), and the configured one (refresh_token_file: {token_file}) "
        "was refused too or already used; generate a new token in Central under API Gateway → "
        f"My Apps & Tokens and put it in refresh_token_file: {token_file} (read "
        "again at the next sync); streaming continues with device context of 6 devices from the "
        f"sync of {_sync_time(state_dir)}\n",
    ]
    # The spent bootstrap token was sent once, in the first run only.
    sent = [c.refresh_token for c in sim.rest_api.calls if c.path == TOKEN_PATH]
    assert sent.count(fingerprint(bootstrap)) == 1


def _more_frames(bridge: BridgeProcess, before: int) -> Any:
    async def check() -> bool:
        return await bridge.frames() > before

    return check


def _sync_time(state_dir: Path) -> str:
    """When the stored context was synchronised (the first run: the second changed nothing)."""
    synced_at = json.loads((state_dir / "inventory" / "context" / f"{CUSTOMER}.json").read_text())
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(synced_at["synced_at"]))


async def test_site_group_labels_on_metrics_and_events_at_the_receiver(
    otlp_grpc_receiver: GrpcOtlpReceiver, ca: trustme.CA, tmp_path: Path
) -> None:
    sim, _bootstrap, config = await tls_sim_and_config(ca, tmp_path, otlp_grpc_receiver, seed=8)
    customer_id = sim.customer(CUSTOMER).customer_id
    ap = sim.estate(CUSTOMER).aps[0]  # the conductor, on the first floor
    expected = {
        "aruba.customer.name": CUSTOMER,
        "aruba.customer.id": customer_id,
        "host.id": ap.serial,
        "host.name": ap.name,
        "host.mac": ap.mac.hex("-").upper(),
        "host.ip": ".".join(map(str, ap.ip)),
        "hw.model": ap.model,
        "aruba.device.type": "ap",
        "aruba.site.name": "HQ",
        "aruba.group.name": "Campus-APs",
        "aruba.device.labels": ["conductor", "floor-1"],
    }
    bridge = BridgeProcess(config)
    try:
        await run_until_synced(bridge, "ok")

        def status_with_site() -> list[dict[str, Any]]:
            return [
                p.attributes
                for p in otlp_grpc_receiver.metrics("aruba.device.status")
                if p.attributes.get("host.id") == ap.serial
                and p.attributes.get("aruba.device.state") == "up"
                and "aruba.site.name" in p.attributes
            ]

        [*_, status] = await until(_async(status_with_site), 30, "status with site")
        assert status == {**expected, "aruba.device.state": "up"}

        sim.ap_down(CUSTOMER, ap.serial)
        receiver = otlp_grpc_receiver
        [down] = await until(
            _async(lambda: receiver.log_records("aruba.device.down")), 30, "the down event"
        )
        assert down.attributes == expected
        assert down.body == f"AP {ap.name} ({ap.serial}) is down"
        other = sim.estate(CUSTOMER).aps[1]
        mac = (sim.join_client(CUSTOMER, other.serial) or "").replace(":", "-").upper()
        [joined] = await until(
            _async(
                lambda: [
                    r
                    for r in receiver.log_records("aruba.client.connected")
                    if r.attributes.get("aruba.client.mac") == mac
                ]
            ),
            30,
            "the new client's event",
        )
        assert {k: joined.attributes.get(k) for k in ("host.id", *CONTEXT)} == {
            "host.id": other.serial,
            "aruba.site.name": "HQ",
            "aruba.group.name": "Campus-APs",
            "aruba.device.labels": ["floor-1"],
        }
        await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()


CONTEXT = ("aruba.site.name", "aruba.group.name", "aruba.device.labels")


def _async(predicate: Any) -> Any:
    """`until` polls coroutines; wrap a plain predicate (the receiver's)."""

    async def check() -> Any:
        return predicate()

    return check
