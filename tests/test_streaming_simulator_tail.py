"""`central-otel tail` against the simulator: --capture, and its option errors."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from central_otel.capture import iter_records
from central_otel.cli import main
from central_otel.simulator import CentralSimulator
from tests.simulator_support import running

KEY = "tail-capture-key-0c4f1e9b"


@pytest.fixture
async def sim() -> AsyncIterator[CentralSimulator]:
    async with running(customer=None) as simulator:
        simulator.add_customer("CustomerA", key=KEY)
        yield simulator


def write_config(path: Path, sim: CentralSimulator, extra: str = "") -> Path:
    path.write_text(
        f"central:\n  base_url: {sim.url}\n"
        "customers:\n  CustomerA:\n    key_env: TAIL_KEY\n    topics: [monitoring, presence]\n"
        + extra
    )
    return path


async def run_tail(config: Path, *args: str, lines: int) -> tuple[list[str], str, int | None]:
    """Start tail, read `lines` stdout lines, stop it with SIGTERM: (lines, stderr, status)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "central_otel",
        "tail",
        "-c",
        str(config),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "TAIL_KEY": KEY},
    )
    assert proc.stdout is not None
    try:
        async with asyncio.timeout(20):
            first = [(await proc.stdout.readline()).decode() for _ in range(lines)]
    finally:
        proc.send_signal(signal.SIGTERM)
    async with asyncio.timeout(15):
        rest, stderr = await proc.communicate()
    return first + rest.decode().splitlines(keepends=True), stderr.decode(), proc.returncode


async def test_tail_capture_is_what_decode_reads_back(
    sim: CentralSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path / "config.yaml", sim)
    capture = tmp_path / "tail.cap"
    printed, stderr, status = await run_tail(
        config, "--capture", str(capture), "--capture-max-size", "1MiB", lines=6
    )
    assert status == 0
    assert f"recording every received frame to {capture} (up to 1MiB)" in stderr
    assert stat.S_IMODE(capture.stat().st_mode) == 0o600
    records = list(iter_records(capture.read_bytes()))
    assert len(records) == len(printed) >= 6
    capsys.readouterr()
    assert main(["decode", str(capture)]) == 0
    decoded = capsys.readouterr().out.splitlines()
    # The same frames, the same receive times: decode prints exactly what tail printed.
    assert [json.loads(line) for line in decoded] == [json.loads(line) for line in printed]
    await sim.wait_closed()
    assert {c.close_code for c in sim.connections} == {1000}
    assert KEY not in stderr


async def test_tail_capture_from_the_configuration(sim: CentralSimulator, tmp_path: Path) -> None:
    capture = tmp_path / "from-config.cap"
    config = write_config(
        tmp_path / "config.yaml", sim, f"capture:\n  file: {capture.name}\n  max_size: 64KiB\n"
    )
    printed, stderr, status = await run_tail(config, lines=3)
    assert status == 0
    assert f"recording every received frame to {capture} (up to 64KiB)" in stderr
    assert len(list(iter_records(capture.read_bytes()))) >= 3
    assert len(printed) >= 3


def test_capture_max_size_needs_a_capture_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "central:\n  base_url: http://127.0.0.1:9\n"
        f"customers:\n  CustomerA:\n    key: {KEY}\n    topics: [audit]\n"
    )
    assert main(["tail", "-c", str(config), "--capture-max-size", "1MiB"]) == 2
    assert capsys.readouterr().err == (
        f"central-otel tail: --capture-max-size needs --capture FILE (or capture.file in "
        f"{config})\n"
    )


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ("10MB", "invalid size '10MB' (expected e.g. 64KiB, 100MiB, 1GiB or a number of bytes)"),
        ("1000", "must be at least 64KiB"),
    ],
)
def test_capture_max_size_is_checked(
    size: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["tail", "-c", str(tmp_path / "c.yaml"), "--capture", "x", "--capture-max-size", size])
    assert exited.value.code == 2
    assert f"argument --capture-max-size: {message}" in capsys.readouterr().err
