"""`central-otel run` with device context, as a process, against the simulator over HTTPS.

Three runs on one state_dir: the first spends the bootstrap token and stores the new
pair; the second (after the access token expired) refreshes with the stored pair and
never sends the bootstrap token again; then every token is revoked, and the third run
says exactly what to do, keeps the stored context, and streams on.
"""

from __future__ import annotations

import json
import ssl
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
    sim = CentralSimulator(
        scale=EstateScale.small(), stats_interval=0.2, seed=7, profile=TrafficProfile.quiet()
    )
    sim.add_customer(CUSTOMER, topics=["monitoring"])
    bootstrap = sim.rest_api.add_client(CUSTOMER, client_id="acme-client").refresh_token
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    await sim.start("127.0.0.1", 0, ssl_context=context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    state_dir = tmp_path / "state"
    config = write_config(
        tmp_path / "config.yaml",
        base_url=sim.url,
        ca_file=ca_file,
        customers={CUSTOMER: (sim.customer(CUSTOMER).key, ["monitoring"])},
        otlp_endpoint=otlp_grpc_receiver.endpoint,
        customer_extra={CUSTOMER: inventory_block(sim, tmp_path, bootstrap)},
        extra=f"state_dir: {state_dir}\n",
    )
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
