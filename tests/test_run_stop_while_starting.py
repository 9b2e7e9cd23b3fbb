"""SIGTERM while `run` is still starting (validating keys and opening streams against a
Central that accepts connections and never answers) stops at once, cleanly: it waits
neither for the validation's timeout nor for the handshakes' (Kubernetes would kill
the pod first)."""

from __future__ import annotations

import time
from pathlib import Path

from tests.otlp_receiver import GrpcOtlpReceiver
from tests.process_support import BridgeProcess, StallingServer, until, write_config

VALIDATE_PATH = "/streaming/token/validate"
STREAM_PATH = "/streaming/api"


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

        async def validating_and_connecting() -> bool:
            paths = [c.path for c in stall.connections]
            return paths.count(VALIDATE_PATH) == 1 and paths.count(STREAM_PATH) == 2

        await until(validating_and_connecting, 30, "the validation and handshakes in flight")
        started = time.monotonic()
        code, seconds = await bridge.stop()
    finally:
        await bridge.close()
        await stall.stop()
    assert code == 0, bridge.stderr[-2000:]
    assert seconds < 3, seconds  # not the 60 s the validation and the handshakes could take
    assert time.monotonic() - started < 10
    assert "stop requested: closing streams, then flushing metrics and logs" in bridge.stderr
    # The unanswered handshakes were given up at once, not waited for.
    assert "not every stream closed" not in bridge.stderr
    assert "Traceback" not in bridge.stderr
    # The stalled validation and handshakes were abandoned by the bridge, not the server.
    assert sorted((c.path, c.closed_by) for c in stall.connections) == [
        (STREAM_PATH, "client"),
        (STREAM_PATH, "client"),
        (VALIDATE_PATH, "client"),
    ]
