"""Recording received frames to a capture file while streaming from the simulator."""

from __future__ import annotations

import json
import logging
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from central_otel.capture import MAGIC, iter_records
from central_otel.cli import main
from central_otel.config import CaptureConfig, Config
from central_otel.frame_json import iso_time
from central_otel.simulator import CentralSimulator
from tests.streaming_support import Harness, make_config, streaming, until

RECORDER = "central_otel.streaming.recorder"


def capturing(
    sim: CentralSimulator,
    path: Path,
    max_size: int = 10 << 20,
    topics: tuple[str, ...] = ("monitoring", "presence"),
) -> Config:
    config = make_config(sim, topics=topics)
    return replace(config, capture=CaptureConfig(file=path, max_size=max_size))


def recorder_logs(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == RECORDER]


async def test_every_frame_is_recorded_and_decode_reads_it_back(
    sim: CentralSimulator,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.INFO, logger=RECORDER)
    path = tmp_path / "frames.cap"
    h: Harness
    async with streaming(sim, capturing(sim, path)) as h:
        await until(lambda: len(h.frames("presence")) >= 3 and len(h.frames("monitoring")) >= 3)
        await sim.send_garbage("CustomerA", "presence")  # recorded as received, too
        await until(lambda: sum(h.decode_failures.values()) == 1)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    records = list(iter_records(path.read_bytes()))
    assert [(r.customer, r.topic, r.frame, r.received_ns) for r in records] == [
        (r.customer, r.topic.value, r.frame, r.received_ns) for r in h.received
    ]
    assert recorder_logs(caplog) == [
        (logging.INFO, f"recording every received frame to {path} (up to 10MiB)")
    ]

    capsys.readouterr()
    assert main(["decode", str(path)]) == 1  # one frame (the garbage) does not decode
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == len(h.received)
    for line, received in zip(lines, h.received, strict=True):
        assert line["customer"] == "CustomerA"
        assert line["topic"] == received.topic.value
        assert line["received_time"] == iso_time(received.received_ns)
    assert [line.get("error") for line in lines].count("bad_envelope") == 1


async def test_a_full_capture_warns_once_and_the_stream_goes_on(
    sim: CentralSimulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=RECORDER)
    path = tmp_path / "small.cap"
    # Presence frames of the small estate are well under 1 kB: several fit.
    async with streaming(sim, capturing(sim, path, max_size=8000, topics=("presence",))) as h:
        recorder = h.streamer.recorder
        assert recorder is not None
        await until(lambda: not recorder.active)
        recorded = recorder.frames
        assert recorded >= 3
        received = len(h.received)
        await until(lambda: len(h.received) > received + 10)  # still streaming
        assert recorder.frames == recorded
    size = path.stat().st_size
    assert size <= 8000
    records = list(iter_records(path.read_bytes()))
    assert len(records) == recorded
    assert [r.frame for r in records] == [r.frame for r in h.received[:recorded]]
    assert recorder_logs(caplog)[1:] == [
        (
            logging.WARNING,
            f"capture file {path} is full ({size} bytes, max_size 8000); recording stopped "
            f"after {recorded} frame(s)",
        )
    ]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
async def test_a_write_error_logs_once_and_disables_recording(
    sim: CentralSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=RECORDER)
    async with streaming(sim, capturing(sim, Path("/dev/full"))) as h:  # every write: ENOSPC
        await until(lambda: len(h.received) >= 10)
        assert h.streamer.recorder is not None
        assert not h.streamer.recorder.active
        assert all(s.stats.handler_errors == 0 for s in h.streamer.subscriptions)
    assert recorder_logs(caplog)[1:] == [
        (
            logging.ERROR,
            "cannot write to the capture file /dev/full: No space left on device; recording "
            "stopped after 0 frame(s)",
        )
    ]


async def test_a_file_that_is_not_a_capture_is_left_alone(
    sim: CentralSimulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=RECORDER)
    path = tmp_path / "notes.txt"
    path.write_text("not a capture\n")
    async with streaming(sim, capturing(sim, path)) as h:
        await until(lambda: len(h.received) >= 5)
    assert path.read_text() == "not a capture\n"
    assert recorder_logs(caplog) == [
        (
            logging.ERROR,
            f"cannot record frames to {path}: {path} exists and is not a capture file; "
            "recording is off",
        )
    ]


async def test_a_second_run_appends(sim: CentralSimulator, tmp_path: Path) -> None:
    path = tmp_path / "frames.cap"
    total = 0
    for _run in range(2):
        async with streaming(sim, capturing(sim, path)) as h:
            await until(lambda h=h: len(h.received) >= 3)  # type: ignore[misc]
        total += len(h.received)
    data = path.read_bytes()
    assert data.count(MAGIC) == 1
    assert len(list(iter_records(data))) == total
