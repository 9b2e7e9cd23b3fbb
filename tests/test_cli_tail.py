"""`central-otel tail` as a subprocess against a real WebSocket server on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests import samples
from tests.central_fake import FakeCentral

KEY = "tail-test-key-5f3a9c"
ServerFactory = Callable[[web.Application], Awaitable[TestServer]]


async def test_tail_prints_decoded_frames_and_stops_cleanly(
    aiohttp_server: ServerFactory, tmp_path: Path
) -> None:
    async def two_frames(request: web.Request, ws: web.WebSocketResponse) -> None:
        await ws.send_bytes(samples.envelope("audit", samples.audit()))
        await ws.send_bytes(b"\xff\xfe garbage")

    central = FakeCentral(valid_keys={KEY}, stream=two_frames)
    server = await aiohttp_server(central.app())
    config = tmp_path / "config.yaml"
    config.write_text(
        f"central:\n  base_url: http://127.0.0.1:{server.port}\n"
        "customers:\n  CustomerA:\n    key_env: TAIL_KEY\n    topics: [audit]\n"
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "central_otel",
        "tail",
        "--config",
        str(config),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "TAIL_KEY": KEY},
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    async with asyncio.timeout(30):
        first = json.loads(await proc.stdout.readline())
        second = json.loads(await proc.stdout.readline())
    proc.send_signal(signal.SIGTERM)
    async with asyncio.timeout(15):
        stdout, stderr = await proc.communicate()
    assert proc.returncode == 0
    assert first["customer"] == "CustomerA"
    assert first["topic"] == "audit"
    assert first["payload"]["client_ip"] == "2001:db8::42"
    assert second["error"] == "bad_envelope"
    assert second["topic"] == "audit"
    assert central.handshakes[0]["Authorization"] == KEY
    assert central.handshakes[0]["Topic"] == "audit"
    assert central.validations == [KEY]
    assert [ws.close_code for ws in central.all_sockets] == [1000]
    log = stderr.decode()
    assert "customer 'CustomerA' topic audit: connected to" in log
    assert "audit frame of customer 'CustomerA'" in log
    assert KEY not in log
    assert KEY not in stdout.decode()


async def test_tail_reports_config_problems(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("central: {}\ncustomers: {}\n")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "central_otel",
        "tail",
        "-c",
        str(config),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await proc.communicate()
    assert proc.returncode == 1
    assert stdout == b""
    assert "customers: at least one customer is required" in stderr.decode()
    assert "Traceback" not in stderr.decode()
