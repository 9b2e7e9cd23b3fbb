"""No New Central client secret and no access token in anything `central-otel run`
puts out: a process with one good and one rejected API client, short-lived tokens
(renewed ahead of expiry, a stream closed at expiry, a 401 after revocation), debug
logging, a capture file; then standard error, /status, /readyz, /healthz,
`check-config`, the capture and everything the OTLP receiver got are searched."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from google.protobuf import text_format

from central_otel.simulator import EstateScale, TrafficProfile
from central_otel.simulator.new_central import NewCentralSimulator
from tests.otlp_receiver import GrpcOtlpReceiver
from tests.process_support import BridgeProcess, until

pytestmark = pytest.mark.timeout(120)

WRONG_SECRET = "nc-sweep-wrong-secret-4f1e9a7c2b"


async def test_no_client_secret_or_token_in_any_output(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    sim = NewCentralSimulator(
        scale=EstateScale.small(),
        stats_interval=0.3,
        seed="sweep",
        profile=TrafficProfile.busy(),
        token_lifetime=3.0,
    )
    good = sim.add_customer("globex", topics=["ap-events", "alert-events", "audit-trail-events"])
    bad = sim.add_customer("initech", topics=["clients-events"])
    await sim.start()
    (tmp_path / "globex.secret").write_text(good.client_secret + "\n")
    capture = tmp_path / "frames.cap"
    config = tmp_path / "config.yaml"
    config.write_text(
        f"""\
customers:
  globex:
    platform: new_central
    base_url: {sim.url}
    client_id: {good.client_id}
    client_secret_file: globex.secret
    token_url: {sim.token_url}
    topics: [ap-events, alert-events, audit-trail-events]
  initech:
    platform: new_central
    base_url: {sim.url}
    client_id: {bad.client_id}
    client_secret_env: INITECH_SECRET
    token_url: {sim.token_url}
    topics: [clients-events]
otlp:
  endpoint: {otlp_grpc_receiver.endpoint}
  export_interval: 1s
health:
  listen: 127.0.0.1:0
capture:
  file: {capture}
streaming:
  reconnect:
    initial_delay: 0.2s
    max_delay: 1s
"""
    )
    env = {"INITECH_SECRET": WRONG_SECRET}
    texts: dict[str, str] = {}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "central_otel", "check-config", "--config", str(config),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **env},
    )  # fmt: skip
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    texts["check-config"] = out.decode() + err.decode()
    bridge = BridgeProcess(config, env=env, args=["-v"])
    try:
        await bridge.start()
        await until(lambda: bridge.connected(3), 30, "globex's streams connected")
        # A stream closed at token expiry and its reconnect with a renewed token.
        await until(lambda: _status_has(bridge, "token_expired"), 30, "a reconnect at token expiry")
        sim.expire_tokens()
        await sim.drop()
        await until(lambda: bridge.connected(3), 30, "reconnected after the revocation")
        await until(lambda: _exported(otlp_grpc_receiver), 30, "telemetry exported")
        for path in ("/status", "/readyz", "/healthz"):
            texts[path] = (await bridge.get(path))[1]
        await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()
    texts["stderr"] = bridge.stderr
    blobs = {"capture": capture.read_bytes()}
    for i, request in enumerate(otlp_grpc_receiver.requests()):
        texts[f"otlp {i}"] = text_format.MessageToString(request.request)
        blobs[f"otlp {i} raw"] = request.raw
    tokens = sim.issued_tokens
    assert len(tokens) >= 3  # renewed: several tokens went by
    secrets = [good.client_secret, WRONG_SECRET, bad.client_secret, *tokens]
    leaks = [
        (where, secret[:6]) for secret in secrets for where, text in texts.items() if secret in text
    ] + [
        (where, secret[:6])
        for secret in secrets
        for where, blob in blobs.items()
        if secret.encode() in blob
    ]
    assert leaks == []
    # The rejected client was reported, by customer, without its secret.
    assert "customer 'initech': the token endpoint" in texts["stderr"]
    assert "rejected the API client credentials (HTTP 401 invalid_client)" in texts["stderr"]
    assert '"token_fingerprint"' in texts["/status"]


async def _status_has(bridge: BridgeProcess, cause: str) -> bool:
    status = await bridge.status()
    return any(s["reconnects"].get(cause) for s in status["subscriptions"])


async def _exported(receiver: GrpcOtlpReceiver) -> bool:
    return bool(receiver.requests())
