"""`central-otel decode` from the command line, on raw frames and captures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from central_otel.capture import CaptureRecord, CaptureWriter
from central_otel.cli import main
from tests import samples


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_raw_frame(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frame = tmp_path / "frame.bin"
    frame.write_bytes(samples.envelope("audit", samples.audit()))
    assert main(["decode", str(frame)]) == 0
    out = capsys.readouterr()
    (obj,) = _lines(out.out)
    assert obj["topic"] == "audit"
    assert obj["payload"] == {
        "customer_id": samples.CUSTOMER_ID,
        "timestamp": 1_764_000_000,
        "service": "FIRMWARE",
        "group_name": "default",
        "target": "CNF7JSS0AA",
        "client_ip": "2001:db8::42",
        "username": "ops@example.com",
        "firmware_info": {"data": "Firmware upgrade to 10.6.0.2 scheduled"},
    }
    assert out.err == ""


def test_capture_with_a_bad_frame(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "run.cap"
    with CaptureWriter(path, max_bytes=1 << 20) as writer:
        writer.write(
            CaptureRecord(
                1_764_000_000_000_000_000,
                "monitoring",
                "CustomerA",
                samples.envelope("monitoring", samples.monitoring()),
            )
        )
        writer.write(CaptureRecord(1_764_000_001_000_000_000, "presence", "CustomerA", b"\xff\xff"))
        writer.write(
            CaptureRecord(
                1_764_000_002_000_000_000,
                "security",
                "CustomerB",
                samples.envelope("", samples.security()),
            )
        )
    assert main(["decode", str(path)]) == 1
    out = capsys.readouterr()
    first, second, third = _lines(out.out)
    assert first["customer"] == "CustomerA"
    assert first["received_time"] == "2025-11-24T16:00:00.000Z"
    assert first["message_type"] == "Monitoring.MonitoringInformation"
    assert second == {
        "received_time": "2025-11-24T16:00:01.000Z",
        "customer": "CustomerA",
        "error": "bad_envelope",
        "detail": "not a MsgProto envelope (Wire format was corrupt)",
        "size": 2,
        "topic": "presence",
    }
    # Empty subject: the recorded subscription topic decides.
    assert third["topic"] == "security"
    assert out.err == "central-otel decode: 2 frame(s) decoded, 1 failed, 0 file(s) unreadable\n"


def test_payload_only_and_topic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "payload.bin"
    path.write_bytes(samples.presence().SerializeToString())
    assert (
        main(
            [
                "decode",
                "--payload-only",
                "--topic",
                "presence",
                "--mac-format",
                "semconv",
                str(path),
            ]
        )
        == 0
    )
    (obj,) = _lines(capsys.readouterr().out)
    assert obj["message_type"] == "Presence.presence_event"
    proximity = obj["payload"]["pa_proximity_event"]["proximity"][0]
    assert proximity["sta_eth_mac"] == "3C-22-FB-00-00-42"
    assert main(["decode", "--payload-only", str(path)]) == 2
    assert capsys.readouterr().err == "central-otel decode: --payload-only needs --topic\n"


def test_missing_file_is_reported_and_others_still_decode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.bin"
    good.write_bytes(samples.envelope("audit", samples.audit()))
    truncated = tmp_path / "cut.cap"
    with CaptureWriter(truncated, max_bytes=1 << 20) as writer:
        writer.write(CaptureRecord(0, "audit", "A", samples.envelope("audit", samples.audit())))
    data = truncated.read_bytes()
    announced = int.from_bytes(data[8:12], "big")
    assert announced == len(data) - 12
    truncated.write_bytes(data[:-3])
    assert main(["decode", str(tmp_path / "nope.bin"), str(good), str(truncated)]) == 1
    out = capsys.readouterr()
    assert len(_lines(out.out)) == 1
    assert out.err.splitlines() == [
        f"central-otel decode: {tmp_path / 'nope.bin'}: No such file or directory",
        f"central-otel decode: {truncated}: "
        f"truncated record at byte 8 ({announced} bytes announced)",
        "central-otel decode: 1 frame(s) decoded, 0 failed, 2 file(s) unreadable",
    ]


def test_stdin_via_subprocess() -> None:
    frame = samples.envelope("location", samples.geofence())
    proc = subprocess.run(
        [sys.executable, "-m", "central_otel", "decode", "--pretty", "-"],
        input=frame,
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout)
    assert obj["message_type"] == "Location.stream_geofence_notify"
    assert obj["payload"]["geofence_name"] == "Lobby"
    assert proc.stdout.startswith(b"{\n  ")


@pytest.mark.parametrize("command", [[], ["decode"], ["check-config"], ["migrate"]])
def test_help_everywhere(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([*command, "--help"])
    assert info.value.code == 0
    assert "usage: central-otel" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from central_otel import __version__

    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out == f"central-otel {__version__}\n"


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().err


def test_shipped_sample_capture_is_current_and_decodes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location(
        "make_sample", root / "scripts" / "make_sample_capture.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([str(tmp_path / "fresh.cap")]) == 0
    shipped = root / "examples" / "sample.cap"
    assert (tmp_path / "fresh.cap").read_bytes() == shipped.read_bytes()
    capsys.readouterr()
    assert main(["decode", str(shipped)]) == 0
    objs = _lines(capsys.readouterr().out)
    assert [o["message_type"] for o in objs] == [
        "Monitoring.MonitoringInformation",
        "Presence.presence_event",
        "Security.RapidsStreamingEvent",
        "Location.stream_location",
        "Location.stream_geofence_notify",
        "Apprf.apprf_session",
        "Audit.audit_message",
    ]
