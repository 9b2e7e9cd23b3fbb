"""HPE's own New Central client against the built-in simulator: the SDK's streaming
client (pycentral 2.0a25, in its own environment from scripts/sdk-venv) gets a token
from the simulator's endpoint (HTTP Basic), opens each topic's WebSocket and decodes
the CloudEvents unchanged. Skipped when the SDK environment is missing, except in CI
(CI=true), where scripts/test installs it."""

from __future__ import annotations

import asyncio
import json
import os
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import trustme

from central_otel.new_central.topics import NEW_CENTRAL_TOPIC_NAMES
from central_otel.simulator import EstateScale, TrafficProfile
from central_otel.simulator.new_central import NewCentralSimulator

REPO = Path(__file__).resolve().parent.parent
SDK_PYTHON = REPO / ".tools" / "pycentral-2.0a25" / "bin" / "python"
DRIVER = REPO / "scripts" / "sdk_stream_client.py"


@pytest.fixture(scope="module")
def sdk_python() -> Path:
    if not SDK_PYTHON.exists():
        reason = f"the SDK environment {SDK_PYTHON} is missing (run scripts/sdk-venv)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; scripts/test installs it in CI")
        pytest.skip(reason)
    return SDK_PYTHON


@pytest.fixture
async def tls_sim(tmp_path: Path) -> AsyncIterator[tuple[NewCentralSimulator, Path]]:
    ca = trustme.CA()
    server_ssl = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ssl)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    sim = NewCentralSimulator(
        scale=EstateScale.small(), stats_interval=0.3, seed="sdk", profile=TrafficProfile.busy()
    )
    sim.add_customer("globex")
    await sim.start(ssl_context=server_ssl)
    yield sim, ca_file
    await sim.stop()


async def _run_sdk(
    python: Path, sim: NewCentralSimulator, ca_file: Path, topic: str
) -> list[dict[str, object]]:
    client = sim.customer("globex")
    env = {
        **os.environ,
        "SDK_CLIENT_ID": client.client_id,
        "SDK_CLIENT_SECRET": client.client_secret,
        "REQUESTS_CA_BUNDLE": str(ca_file),  # the token request verifies the certificate
    }
    proc = await asyncio.create_subprocess_exec(
        str(python), str(DRIVER), sim.url, sim.token_url, topic, "2", "15",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, stderr.decode()[-2000:]
    return [json.loads(line) for line in stdout.decode().splitlines()]


async def test_the_sdk_streaming_client_decodes_every_topic(
    sdk_python: Path, tls_sim: tuple[NewCentralSimulator, Path]
) -> None:
    sim, ca_file = tls_sim
    results = await asyncio.gather(
        *(_run_sdk(sdk_python, sim, ca_file, topic) for topic in NEW_CENTRAL_TOPIC_NAMES)
    )
    decoded = dict(zip(NEW_CENTRAL_TOPIC_NAMES, results, strict=True))
    assert {topic: len(messages) >= 1 for topic, messages in decoded.items()} == dict.fromkeys(
        NEW_CENTRAL_TOPIC_NAMES, True
    )
    estate = sim.world("globex").estate
    serials = {d.serial for d in estate.devices}
    assert {m["serial_number"] for m in decoded["ap-events"]} <= serials
    (branch,) = set(decoded["switch-events"][0])  # the StreamSwitchMessage oneof
    assert branch in {"switch_state", "interface_state", "device_stats", "interface_stats"}
    assert set(decoded["clients-events"][0]) <= {"client_state", "client_stats"}
    # The SDK authenticates as HPE's SSO expects: HTTP Basic, one token per client run.
    assert {r["auth"] for r in sim.token_requests} == {"basic"}
    assert {r["outcome"] for r in sim.token_requests} == {"issued"}
    assert len(sim.token_requests) == len(NEW_CENTRAL_TOPIC_NAMES)
