"""End to end: simulator -> `central-otel run` (a subprocess) -> a real OTLP receiver.

Exact metric names, units, attributes (MAC/IP forms) and values, for gRPC and for
HTTP; SIGTERM closes the streams cleanly and flushes before exiting 0.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from central_otel.commands.run import DEPRECATED_METRICS_ENV
from central_otel.simulator import CentralSimulator, EstateScale
from central_otel.topics import TOPIC_NAMES
from tests.otlp_receiver import GrpcOtlpReceiver, HttpOtlpReceiver, metric_points

HEADER_SECRET = "Bearer s3cr3t-otlp-token-9f8e7d"


def _config(
    sim: CentralSimulator,
    key: str,
    endpoint: str,
    protocol: str,
    tmp_path: Path,
    *,
    metrics_path: str | None,
) -> Path:
    key_file = tmp_path / "key"
    key_file.write_text(key + "\n")
    path = tmp_path / "config.yaml"
    path.write_text(
        f"""\
central:
  base_url: {sim.url}
customers:
  CustomerA:
    key_file: {key_file}
    topics: [{", ".join(TOPIC_NAMES)}]
otlp:
  endpoint: {endpoint}
  protocol: {protocol}
  export_interval: 1s
  {f"metrics_path: {metrics_path}" if metrics_path else ""}
  headers:
    authorization: "{HEADER_SECRET}"
health:
  listen: 127.0.0.1:0
events:
  # Every client of the snapshot is news here: the catalogue's records end to end.
  baseline_window: 0s
"""
    )
    return path


async def _run(
    receiver: GrpcOtlpReceiver | HttpOtlpReceiver,
    protocol: str,
    tmp_path: Path,
    *,
    metrics_path: str | None = None,
    env: dict[str, str] | None = None,
) -> tuple[CentralSimulator, str, bytes, int]:
    sim = CentralSimulator(scale=EstateScale.small(), stats_interval=0.3, seed=11)
    info = sim.add_customer("CustomerA", topics=TOPIC_NAMES)
    await sim.start("127.0.0.1", 0)
    config = _config(
        sim, info.key, receiver.endpoint, protocol, tmp_path, metrics_path=metrics_path
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "central_otel", "run", "--config", str(config),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={
            **{k: v for k, v in os.environ.items() if k != DEPRECATED_METRICS_ENV},
            "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment.name=test",
            **(env or {}),
        },
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            names = receiver.metric_names()
            if {
                "system.cpu.utilization",
                "aruba.client.count",
                "central_otel.subscription.up",
            } <= names:
                up = receiver.latest("central_otel.subscription.up")
                if len(up) == 6 and all(p.value == 1 for p in up):
                    break
            await asyncio.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        _, stderr = await asyncio.wait_for(proc.communicate(), 15)
        stop_seconds = time.monotonic() - started
    finally:
        if proc.returncode is None:
            proc.kill()
        await sim.stop()
    assert proc.returncode == 0, stderr.decode()[-2000:]
    assert stop_seconds < 10
    return sim, info.key, stderr, proc.returncode


def _check(
    receiver: GrpcOtlpReceiver | HttpOtlpReceiver, sim: CentralSimulator, key: str, stderr: bytes
) -> None:
    estate = sim.estate("CustomerA")
    ap = estate.aps[0]
    cpu = {p.attributes["host.id"]: p for p in receiver.latest("system.cpu.utilization")}
    point = cpu[ap.serial]
    assert point.unit == "1"
    assert point.kind == "gauge"
    assert 0 <= float(point.value or 0) <= 1
    assert point.attributes["host.name"] == ap.name
    assert point.attributes["aruba.customer.name"] == "CustomerA"
    assert point.attributes["aruba.device.type"] == "ap"
    mac = point.attributes["host.mac"]
    assert len(mac) == 17
    assert mac == mac.upper()
    assert mac.count("-") == 5
    assert point.attributes["host.ip"].count(".") == 3
    assert point.resource["service.name"] == "central-otel"
    assert point.resource["deployment.environment.name"] == "test"
    io = receiver.latest("system.network.io")
    assert io
    assert {p.attributes["network.io.direction"] for p in io} == {"transmit", "receive"}
    assert all(p.kind == "sum" and p.unit == "By" for p in io)
    up = receiver.latest("central_otel.subscription.up")
    assert sorted(p.attributes["aruba.topic"] for p in up) == sorted(TOPIC_NAMES)
    # Events arrive as log records with an event name, severity and the event's own time.
    connected = receiver.log_records("aruba.client.connected")
    assert connected
    record = connected[0]
    assert record.severity_number == 9  # INFO
    assert record.severity_text == ""
    assert record.attributes["aruba.customer.name"] == "CustomerA"
    assert record.attributes["aruba.client.mac"].count("-") == 5
    assert record.attributes["network.connection.type"] == "wifi"
    assert record.time_unix_nano > 1_700_000_000 * 10**9
    assert record.resource["service.name"] == "central-otel"
    # Headers reach the backend; the secret never reaches a log line.
    assert any(h.get("authorization") == HEADER_SECRET for h in receiver.headers())
    text = stderr.decode()
    assert HEADER_SECRET not in text
    assert key not in text
    assert "Traceback" not in text
    assert "stop requested: closing streams" in text
    assert {c.close_code for c in sim.connections} == {1000}


def _check_user_agent(receiver: GrpcOtlpReceiver | HttpOtlpReceiver) -> None:
    """The catalogue's metrics came from the bridge's own encoder and transport."""
    agents = {
        r.headers.get("user-agent", "")
        for r in receiver.requests("metrics")
        if any(p.name == "system.cpu.utilization" for p in metric_points(r.request))  # type: ignore[arg-type]
    }
    assert agents
    assert all(agent.startswith("central-otel/") for agent in agents), agents


@pytest.mark.timeout(90)
async def test_run_exports_over_grpc(otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path) -> None:
    sim, key, stderr, _ = await _run(otlp_grpc_receiver, "grpc", tmp_path)
    _check(otlp_grpc_receiver, sim, key, stderr)
    _check_user_agent(otlp_grpc_receiver)
    assert "deprecated" not in stderr.decode()


@pytest.mark.timeout(90)
async def test_run_exports_over_http(otlp_http_receiver: HttpOtlpReceiver, tmp_path: Path) -> None:
    sim, key, stderr, _ = await _run(otlp_http_receiver, "http/protobuf", tmp_path)
    _check(otlp_http_receiver, sim, key, stderr)
    _check_user_agent(otlp_http_receiver)


@pytest.mark.timeout(90)
async def test_the_retired_metrics_path_is_accepted_ignored_and_warned_about(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    """A configuration (or environment) from before the single export path still runs:
    the setting is ignored, and said so once."""
    sim, key, stderr, _ = await _run(
        otlp_grpc_receiver,
        "grpc",
        tmp_path,
        metrics_path="sdk",
        env={DEPRECATED_METRICS_ENV: "sdk"},
    )
    _check(otlp_grpc_receiver, sim, key, stderr)
    _check_user_agent(otlp_grpc_receiver)
    text = stderr.decode()
    assert text.count("otlp.metrics_path is deprecated and ignored") == 1
    assert text.count(f"{DEPRECATED_METRICS_ENV} is deprecated and ignored") == 1


async def test_run_rejects_a_bad_config(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("central: {base_url: 'ftp://x'}\ncustomers: {}\n")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "central_otel", "run", "-c", str(path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await proc.communicate()
    assert proc.returncode == 1
    assert stderr.decode().startswith(f"{path}: ")
    assert "Traceback" not in stderr.decode()
