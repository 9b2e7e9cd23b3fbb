"""SIGTERM while `run` is still starting (validating keys against a Central that accepts
connections and never answers) stops at once, cleanly: it does not wait for the
validation's timeout (Kubernetes would kill the pod first)."""

from __future__ import annotations

import time
from pathlib import Path

from tests.otlp_receiver import GrpcOtlpReceiver
from tests.process_support import BridgeProcess, StallingServer, until, write_config

VALIDATE_PATH = "/streaming/token/validate"


async def test_sigterm_during_key_validation_exits_at_once(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    stall = await StallingServer("silent").start()
    config = write_config(
        tmp_path / "config.yaml",
        base_url=f"http://127.0.0.1:{stall.port}",
        customers={"CustomerA": ("k" * 40, ["monitoring", "audit"])},
        otlp_endpoint=otlp_grpc_receiver.endpoint,
        connect_timeout="60s",  # the validation would hang this long
    )
    bridge = BridgeProcess(config)
    try:
        await bridge.start()

        async def validating() -> bool:
            return any(c.path == VALIDATE_PATH for c in stall.connections)

        await until(validating, 30, "the key validation to be in flight")
        started = time.monotonic()
        code, seconds = await bridge.stop()
    finally:
        await bridge.close()
        await stall.stop()
    assert code == 0, bridge.stderr[-2000:]
    assert seconds < 5, seconds  # not the 60 s the validation could take
    assert time.monotonic() - started < 10
    assert "stop requested while starting (validating keys); not waiting for Central" in (
        bridge.stderr
    )
    assert "Traceback" not in bridge.stderr
    # The stalled validation was abandoned by the bridge, not by the server.
    assert [c.closed_by for c in stall.connections if c.path == VALIDATE_PATH] == ["client"]
