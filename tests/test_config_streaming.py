"""The `streaming`, `state_dir` and `capture` settings: forms, defaults, exact problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from central_otel.config import (
    CaptureConfig,
    ConfigError,
    IdleTimeouts,
    ReconnectConfig,
    StaggerConfig,
    StreamingConfig,
    format_size,
    load_config,
    parse_config,
    parse_size,
    render_config,
)
from central_otel.secret import Secret
from central_otel.settings import stream_settings
from central_otel.streaming.backoff import BackoffPolicy
from central_otel.streaming.transport import TransportSettings
from central_otel.topics import Topic

KEY = "k3y-VALUE-0123456789abcdef"
TOPICS = "monitoring, presence, security, location, apprf, audit"
SPEC = """\
central:
  base_url: central.example.com
customers:
  CustomerA:
    key: k3y-VALUE-0123456789abcdef
    topics: [monitoring]
streaming:
  heartbeat: 30s
  connect_timeout: 30s
  close_timeout: 5s
  max_msg_size: 64MiB
  idle_timeout:
    monitoring: 15m
    presence: 5m
    location: 15m
    apprf: 45m
    security: 0
    audit: 0
  reconnect:
    initial_delay: 1s
    max_delay: 2m
    multiplier: 2
    jitter: 0.2
    stable_after: 60s
  stagger:
    connect_rate: 50
    connect_burst: 10
    credential_rate: 5
state_dir: state
capture:
  file: central-otel.cap
  max_size: 100MiB
"""


def minimal(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "central": {"base_url": "central.example.com"},
        "customers": {"CustomerA": {"key": KEY, "topics": ["monitoring"]}},
    }
    document.update(overrides)
    return document


def problems(document: object, tmp_path: Path, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as error:
        parse_config(document, source="test.yaml", environ=environ or {}, base_dir=tmp_path)
    return [str(problem) for problem in error.value.problems]


def test_defaults() -> None:
    config = parse_config(minimal(), source="test.yaml", environ={})
    assert config.streaming == StreamingConfig()
    assert config.streaming == StreamingConfig(
        heartbeat=30.0,
        connect_timeout=30.0,
        close_timeout=5.0,
        max_msg_size=64 << 20,
        idle_timeout=IdleTimeouts(
            monitoring=900.0,
            presence=300.0,
            security=None,
            location=900.0,
            apprf=2700.0,
            audit=None,
        ),
        reconnect=ReconnectConfig(
            initial_delay=1.0, max_delay=120.0, multiplier=2.0, jitter=0.2, stable_after=60.0
        ),
        stagger=StaggerConfig(connect_rate=50.0, connect_burst=10, credential_rate=5.0),
    )
    assert config.state_dir is None
    assert config.capture is None


def test_the_documented_example_is_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(SPEC)
    config = load_config(tmp_path / "config.yaml", environ={})
    assert config.streaming == StreamingConfig()
    assert config.state_dir == tmp_path / "state"  # relative to the configuration file
    assert config.capture == CaptureConfig(file=tmp_path / "central-otel.cap", max_size=100 << 20)


def test_settings_and_forms(tmp_path: Path) -> None:
    document = minimal(
        streaming={
            "heartbeat": 10,
            "connect_timeout": "1m",
            "close_timeout": "250ms",
            "max_msg_size": 131072,
            "idle_timeout": {"monitoring": None, "presence": "1m30s", "audit": "1h"},
            "reconnect": {"initial_delay": "500ms", "multiplier": "1.5", "jitter": 0},
            "stagger": {"connect_rate": 12.5, "connect_burst": "3", "credential_rate": 1},
        },
        state_dir="~/state",
        capture={"file": str(tmp_path / "x.cap")},
    )
    config = parse_config(document, source="test.yaml", environ={})
    streaming = config.streaming
    assert (streaming.heartbeat, streaming.connect_timeout, streaming.close_timeout) == (
        10.0,
        60.0,
        0.25,
    )
    assert streaming.max_msg_size == 128 * 1024
    assert streaming.idle_timeout == IdleTimeouts(monitoring=None, presence=90.0, audit=3600.0)
    assert streaming.reconnect == ReconnectConfig(initial_delay=0.5, multiplier=1.5, jitter=0.0)
    assert streaming.stagger == StaggerConfig(connect_rate=12.5, connect_burst=3, credential_rate=1)
    assert type(streaming.stagger.connect_burst) is int
    assert config.state_dir == Path("~/state").expanduser()
    assert config.capture == CaptureConfig(file=tmp_path / "x.cap")


def test_empty_sections_mean_defaults() -> None:
    document = minimal(
        streaming={"idle_timeout": None, "reconnect": None, "stagger": None}, capture=None
    )
    config = parse_config(document, source="test.yaml", environ={})
    assert config.streaming == StreamingConfig()
    assert config.capture is None
    assert parse_config(minimal(streaming=None), source="t", environ={}).streaming == (
        StreamingConfig()
    )


def test_values_from_the_environment(tmp_path: Path) -> None:
    document = minimal(
        streaming={
            "max_msg_size": "${env:MAX_MSG}",
            "reconnect": {"jitter": "${env:JITTER}", "max_delay": "${env:MAX_DELAY:-5m}"},
        },
        state_dir="${env:STATE}",
    )
    environ = {"MAX_MSG": "32MiB", "JITTER": "0.1", "STATE": str(tmp_path)}
    config = parse_config(document, source="test.yaml", environ=environ)
    assert config.streaming.max_msg_size == 32 << 20
    assert config.streaming.reconnect.jitter == 0.1
    assert config.streaming.reconnect.max_delay == 300.0
    assert config.state_dir == tmp_path


def test_unknown_keys_at_every_level(tmp_path: Path) -> None:
    document = minimal(
        streaming={
            "hearbeat": "30s",
            "idle_timeout": {"monitor": "5m"},
            "reconnect": {"max_backoff": "1m"},
            "stagger": {"rate": 5},
        },
        capture={"file": "x.cap", "size": "1MiB"},
    )
    assert problems(document, tmp_path) == [
        "streaming.hearbeat: unknown key (expected one of heartbeat, connect_timeout,"
        " close_timeout, max_msg_size, idle_timeout, reconnect, stagger)",
        f"streaming.idle_timeout.monitor: unknown key (expected one of {TOPICS})",
        "streaming.reconnect.max_backoff: unknown key (expected one of initial_delay, max_delay,"
        " multiplier, jitter, stable_after)",
        "streaming.stagger.rate: unknown key (expected one of connect_rate, connect_burst,"
        " credential_rate)",
        "capture.size: unknown key (expected one of file, max_size)",
    ]


def test_bad_values(tmp_path: Path) -> None:
    document = minimal(
        streaming={
            "heartbeat": "500ms",
            "connect_timeout": 0,
            "close_timeout": "fast",
            "max_msg_size": "64MB",
            "idle_timeout": {"monitoring": "0.5s", "presence": -1, "audit": [5]},
            "reconnect": {
                "initial_delay": "10ms",
                "multiplier": 0.5,
                "jitter": 1.5,
                "stable_after": "x",
            },
            "stagger": {"connect_rate": 0, "connect_burst": 2.5, "credential_rate": "fast"},
        },
        state_dir=5,
        capture={"max_size": "1KiB"},
    )
    assert problems(document, tmp_path) == [
        "streaming.heartbeat: must be at least 1s (got 500ms)",
        "streaming.connect_timeout: must be greater than zero",
        "streaming.close_timeout: invalid duration 'fast' (expected e.g. 250ms, 30s, 5m, 1h30m,"
        " 1d or a number of seconds)",
        "streaming.max_msg_size: invalid size '64MB' (expected e.g. 64KiB, 100MiB, 1GiB or a"
        " number of bytes)",
        "streaming.idle_timeout.monitoring: must be at least 1s (got 500ms)",
        "streaming.idle_timeout.presence: must not be negative (got -1)",
        "streaming.idle_timeout.audit: expected a duration (e.g. 30s, 5m, 1h30m or a number of"
        " seconds), got a list",
        "streaming.reconnect.initial_delay: must be at least 100ms (got 10ms)",
        "streaming.reconnect.multiplier: must be between 1 and 10 (got 0.5)",
        "streaming.reconnect.jitter: must be between 0 and 1 (got 1.5)",
        "streaming.reconnect.stable_after: invalid duration 'x' (expected e.g. 250ms, 30s, 5m,"
        " 1h30m, 1d or a number of seconds)",
        "streaming.stagger.connect_rate: must be between 0.1 and 10000 (got 0)",
        "streaming.stagger.connect_burst: expected a whole number, got a number",
        "streaming.stagger.credential_rate: expected a number, got 'fast'",
        "state_dir: expected a string, got a number",
        "capture.max_size: must be at least 64KiB (got 1KiB)",
        "capture.file: required",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2GiB", "must be at most 1GiB (got 2GiB)"),
        (1000, "must be at least 64KiB (got 1000)"),
        ("-64KiB", "must not be negative (got '-64KiB')"),
        (-1, "must not be negative (got -1)"),
        (1.5, "must be a whole number of bytes (got 1.5)"),
        (True, "expected a size (e.g. 64KiB, 100MiB, 1GiB or a number of bytes), got a boolean"),
        (
            "64 kib",
            "invalid size '64 kib' (expected e.g. 64KiB, 100MiB, 1GiB or a number of bytes)",
        ),
    ],
)
def test_bad_max_msg_size(value: object, message: str, tmp_path: Path) -> None:
    assert problems(minimal(streaming={"max_msg_size": value}), tmp_path) == [
        f"streaming.max_msg_size: {message}"
    ]


def test_max_delay_below_initial_delay_is_reported_where_written(tmp_path: Path) -> None:
    both = minimal(streaming={"reconnect": {"initial_delay": "5m", "max_delay": "1m"}})
    assert problems(both, tmp_path) == [
        "streaming.reconnect.max_delay: must be at least initial_delay = 5m (got 1m)"
    ]
    # Only initial_delay written: it is the one to fix (max_delay's default is 2m).
    only_initial = minimal(streaming={"reconnect": {"initial_delay": "5m"}})
    assert problems(only_initial, tmp_path) == [
        "streaming.reconnect.initial_delay: must be at most max_delay = 2m (got 5m)"
    ]
    only_max = minimal(streaming={"reconnect": {"max_delay": "1s", "initial_delay": "1s"}})
    assert parse_config(only_max, source="t", environ={}).streaming.reconnect.max_delay == 1.0


def test_relations_wait_for_valid_values(tmp_path: Path) -> None:
    document = minimal(streaming={"reconnect": {"initial_delay": "5m", "max_delay": "soon"}})
    assert problems(document, tmp_path) == [
        "streaming.reconnect.max_delay: invalid duration 'soon' (expected e.g. 250ms, 30s, 5m,"
        " 1h30m, 1d or a number of seconds)"
    ]


def test_bad_paths(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    (tmp_path / "a-dir").mkdir()
    document = minimal(state_dir="a-file", capture={"file": "a-dir"})
    assert problems(document, tmp_path) == [
        f"state_dir: {tmp_path / 'a-file'} exists and is not a directory",
        f"capture.file: {tmp_path / 'a-dir'} is a directory",
    ]
    document = minimal(capture={"file": "missing/x.cap"})
    assert problems(document, tmp_path) == [
        f"capture.file: directory {tmp_path / 'missing'} does not exist"
    ]
    assert problems(minimal(capture="x.cap"), tmp_path) == [
        "capture: expected a mapping, got a string"
    ]


def test_rendered_sections_read_back_the_same(tmp_path: Path) -> None:
    document = minimal(
        streaming={
            "heartbeat": "45s",
            "max_msg_size": 100_000,
            "idle_timeout": {"monitoring": 0, "security": "2h"},
            "reconnect": {"initial_delay": "1.5s", "multiplier": 3, "jitter": 0.05},
            "stagger": {"connect_rate": 7.5, "connect_burst": 4},
        },
        state_dir=str(tmp_path / "state"),
        capture={"file": str(tmp_path / "frames.cap"), "max_size": "3MiB"},
    )
    config = parse_config(document, source="test.yaml", environ={})
    rendered = yaml.safe_load(render_config(config))
    assert rendered["streaming"]["max_msg_size"] == 100_000
    assert rendered["streaming"]["idle_timeout"]["monitoring"] is None
    assert rendered["streaming"]["reconnect"]["multiplier"] == 3
    assert rendered["streaming"]["stagger"] == {
        "connect_rate": 7.5,
        "connect_burst": 4,
        "credential_rate": 5,
    }
    assert rendered["capture"] == {"file": str(tmp_path / "frames.cap"), "max_size": "3MiB"}
    again = parse_config(
        minimal(**{k: rendered[k] for k in ("streaming", "state_dir", "capture")}),
        source="rendered.yaml",
        environ={},
    )
    assert (again.streaming, again.state_dir, again.capture) == (
        config.streaming,
        config.state_dir,
        config.capture,
    )
    assert again.customer("CustomerA").key == Secret(KEY)


def test_stream_settings_come_from_the_configuration() -> None:
    streaming = StreamingConfig(
        heartbeat=20.0,
        connect_timeout=15.0,
        close_timeout=2.0,
        max_msg_size=1 << 20,
        idle_timeout=IdleTimeouts(presence=120.0),
        reconnect=ReconnectConfig(
            initial_delay=2.0, max_delay=60.0, multiplier=3.0, jitter=0.1, stable_after=30.0
        ),
    )
    presence = stream_settings(streaming, Topic.PRESENCE)
    assert presence.transport == TransportSettings(
        heartbeat=20.0, connect_timeout=15.0, max_msg_size=1 << 20, close_timeout=2.0
    )
    assert presence.backoff == BackoffPolicy(
        initial=2.0, maximum=60.0, multiplier=3.0, jitter=0.1, stable_after=30.0
    )
    assert presence.idle_timeout == 120.0
    assert stream_settings(streaming, Topic.AUDIT).idle_timeout is None
    assert stream_settings(streaming, Topic.MONITORING).idle_timeout == 900.0
    # The code defaults and the configuration defaults are the same numbers.
    default = stream_settings(StreamingConfig(), Topic.MONITORING)
    assert default.transport == TransportSettings(
        heartbeat=30.0, connect_timeout=30.0, max_msg_size=64 << 20, close_timeout=5.0
    )
    assert default.backoff == BackoffPolicy(
        initial=1.0, maximum=120.0, multiplier=2.0, jitter=0.2, stable_after=60.0
    )


@pytest.mark.parametrize(
    ("text", "size"),
    [("0", 0), ("65536", 65536), ("64KiB", 65536), ("64 MiB", 64 << 20), (" 1GiB ", 1 << 30)],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0"), (1000, "1000"), (65536, "64KiB"), (1536 << 10, "1536KiB"), (3 << 30, "3GiB")],
)
def test_format_size(size: int, text: str) -> None:
    assert format_size(size) == text


@given(st.integers(min_value=0, max_value=1 << 50))
def test_format_size_reads_back(size: int) -> None:
    assert parse_size(format_size(size)) == size
