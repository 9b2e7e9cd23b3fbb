"""`central-otel check-config`: normalised output with secrets redacted, or every problem."""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from central_otel.cli import build_parser, main
from central_otel.commands import COMMAND_MODULES
from central_otel.config import load_config, render_config
from central_otel.secret import Secret

KEY = "k3y-S3CRET-0123456789abcdef"
FILE_KEY = "f1le-k3y-S3CRET-0123456789"
ENV_KEY = "env-k3y-S3CRET-0123456789"
HEADER = "Bearer h34d3r-S3CRET-0123"
CLIENT_SECRET = "cl1ent-S3CRET-a8f2e61d"
CLIENT_SECRET_C = "cl1ent-S3CRET-c-4c9d0b77"
REFRESH_TOKEN = "r3fresh-S3CRET-91be03f5"
REFRESH_TOKEN_C = "r3fresh-S3CRET-c-2d6a7e10"
SECRETS = (
    KEY, FILE_KEY, ENV_KEY, HEADER, CLIENT_SECRET, CLIENT_SECRET_C, REFRESH_TOKEN,
    REFRESH_TOKEN_C, "S3CRET",
)  # fmt: skip
REPO = Path(__file__).resolve().parent.parent
PYTHONPATH = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "a.key").write_text(FILE_KEY + "\n")
    (tmp_path / "a-api-secret").write_text(CLIENT_SECRET + "\n")
    monkeypatch.setenv("TEST_CHECK_KEY_C", ENV_KEY)
    monkeypatch.setenv("TEST_CHECK_REFRESH_A", REFRESH_TOKEN)
    monkeypatch.setenv("TEST_CHECK_TOKEN", HEADER)
    path = tmp_path / "config.yaml"
    path.write_text(
        f"""\
central:
  base_url: wss://internal-ui.central.arubanetworks.com/streaming/api
customers:
  CustomerA:
    key_file: a.key
    username: ops@example.com
    topics: [monitoring, security]
    inventory:
      api_base_url: apigw-prod2.central.arubanetworks.com
      client_id: abc123
      client_secret_file: a-api-secret
      refresh_token_env: TEST_CHECK_REFRESH_A
  CustomerB:
    key: {KEY}
    topics: [presence]
  CustomerC:
    key_env: TEST_CHECK_KEY_C
    topics: [audit]
    inventory:
      api_base_url: https://apigw-eucentral3.central.arubanetworks.com/
      client_id: def456
      client_secret: {CLIENT_SECRET_C}
      refresh_token: {REFRESH_TOKEN_C}
      interval: 1h
key_validation_interval: 90m
otlp:
  protocol: http/protobuf
  headers:
    Authorization: ${{env:TEST_CHECK_TOKEN}}
  export_interval: 30
streaming:
  max_msg_size: 16MiB
  idle_timeout:
    presence: 10m
    security: 0
    audit: 1h
  reconnect:
    max_delay: 5m
    jitter: 0
state_dir: state
capture:
  file: frames.cap
  max_size: 1048576
"""
    )
    return path


CS_A, CS_C = Secret(CLIENT_SECRET).fingerprint, Secret(CLIENT_SECRET_C).fingerprint
RT_A, RT_C = Secret(REFRESH_TOKEN).fingerprint, Secret(REFRESH_TOKEN_C).fingerprint


def expected_output(tmp_path: Path) -> str:
    return f"""\
central:
  base_url: https://internal-ui.central.arubanetworks.com
  ca_file: null
  verify_tls: true
customers:
  CustomerA:
    key_file: {tmp_path / "a.key"}  # key sha256:{Secret(FILE_KEY).fingerprint}
    username: ops@example.com
    topics: [monitoring, security]
    inventory:
      api_base_url: https://apigw-prod2.central.arubanetworks.com
      client_id: abc123
      client_secret_file: {tmp_path / "a-api-secret"}  # client secret sha256:{CS_A}
      refresh_token_env: TEST_CHECK_REFRESH_A  # refresh token sha256:{RT_A}
      interval: 15m
  CustomerB:
    key: <redacted sha256:{Secret(KEY).fingerprint}>
    username: null
    topics: [presence]
    inventory: null
  CustomerC:
    key_env: TEST_CHECK_KEY_C  # key sha256:{Secret(ENV_KEY).fingerprint}
    username: null
    topics: [audit]
    inventory:
      api_base_url: https://apigw-eucentral3.central.arubanetworks.com
      client_id: def456
      client_secret: <redacted sha256:{CS_C}>
      refresh_token: <redacted sha256:{RT_C}>
      interval: 1h
key_validation_interval: 1h30m
otlp:
  endpoint: http://localhost:4318
  protocol: http/protobuf
  insecure: false
  headers:
    authorization: <redacted>
  export_interval: 30s
  ca_file: null
  compression: gzip
  timeout: 10s
health:
  listen: 127.0.0.1:8080
  ready_when: all
streaming:
  heartbeat: 30s
  connect_timeout: 30s
  close_timeout: 5s
  max_msg_size: 16MiB
  idle_timeout:
    monitoring: 15m
    presence: 10m
    security: null  # no idle watchdog
    location: 15m
    apprf: 45m
    audit: 1h
  reconnect:
    initial_delay: 1s
    max_delay: 5m
    multiplier: 2
    jitter: 0
    stable_after: 1m
  stagger:
    connect_rate: 50
    connect_burst: 10
    credential_rate: 5
state_dir: {tmp_path / "state"}
capture:
  file: {tmp_path / "frames.cap"}
  max_size: 1MiB
metrics:
  per_client: false
  disabled: []
  series_ttl: 15m
  state_ttl: 7d
  max_entities: {{}}
  default_max_entities: 200000
events:
  enabled: []
  baseline_window: 30s
  queue:
    max_bytes: 256MiB
    max_age: 7d
    memory_max_bytes: 64MiB
    batch_size: 1000
    max_retry_delay: 30s
log_level: info
log_format: text
"""


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def test_success(config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", "--config", str(config_file)]) == 0
    out, err = capsys.readouterr()
    assert out == expected_output(tmp_path)
    assert err == "config OK: 3 customers, 4 subscriptions\n"
    assert_no_secret(out, err)


def test_the_retired_metrics_path_is_accepted_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "central: {base_url: central.example}\n"
        "customers: {A: {key: k-123456789, topics: [monitoring]}}\n"
        "otlp: {metrics_path: sdk}\n"
    )
    assert main(["check-config", "--config", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "metrics_path" not in out
    assert err == (
        "warning: otlp.metrics_path is deprecated and ignored: the catalogue's metrics are "
        "always written directly as OTLP; remove the key (it will be refused in a later "
        "release)\nconfig OK: 1 customer, 1 subscription\n"
    )


def test_short_option_and_singular_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        f"central: {{base_url: h.example.com}}\ncustomers: {{A: {{key: {KEY}, topics: [audit]}}}}\n"
    )
    assert main(["check-config", "-c", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == "config OK: 1 customer, 1 subscription\n"
    assert_no_secret(out, err)


def test_output_is_valid_yaml_describing_the_config(config_file: Path, tmp_path: Path) -> None:
    config = load_config(config_file)
    document = yaml.safe_load(render_config(config))
    assert document["customers"]["CustomerA"] == {
        "key_file": str(tmp_path / "a.key"),
        "username": "ops@example.com",
        "topics": ["monitoring", "security"],
        "inventory": {
            "api_base_url": "https://apigw-prod2.central.arubanetworks.com",
            "client_id": "abc123",
            "client_secret_file": str(tmp_path / "a-api-secret"),
            "refresh_token_env": "TEST_CHECK_REFRESH_A",
            "interval": "15m",
        },
    }
    assert document["customers"]["CustomerC"]["inventory"]["refresh_token"] == (
        f"<redacted sha256:{RT_C}>"
    )
    assert document["otlp"]["headers"] == {"authorization": "<redacted>"}
    assert document["key_validation_interval"] == "1h30m"


def test_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        f"""\
central:
  base_url: https://central.example.com/api
customers:
  CustomerA:
    key: {KEY}
    key_env: UNSET_VARIABLE_FOR_TEST
    topics: [monitor]
key_validation_interval: {KEY}
otlp:
  headers: {{authorization: "{HEADER}"}}
  export_interval: "{HEADER}"
"""
    )
    assert main(["check-config", "-c", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"{path}: 6 problems",
        "central.base_url: unexpected path '/api' (expected just the host)",
        "customers.CustomerA: exactly one of key, key_file, key_env is required (got key, key_env)",
        "customers.CustomerA.key_env: environment variable UNSET_VARIABLE_FOR_TEST is not set",
        "customers.CustomerA.topics[0]: 'monitor' is not one of monitoring, presence, security,"
        " location, apprf, audit",
        "key_validation_interval: invalid duration '<redacted>' (expected e.g. 250ms, 30s, 5m,"
        " 1h30m, 1d or a number of seconds)",
        "otlp.export_interval: invalid duration '<redacted>' (expected e.g. 250ms, 30s, 5m,"
        " 1h30m, 1d or a number of seconds)",
    ]
    assert_no_secret(out, err)


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "absent.yaml"
    assert main(["check-config", "-c", str(path)]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == (
        "",
        f"{path}: 1 problem\n{path}: cannot read file: No such file or directory\n",
    )


def test_old_input_json_gets_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "input.json"
    path.write_text(
        f'{{"customers": {{"A_monitoring": {{"wsskey": "{KEY}", "topic": "monitoring"}}}}}}'
    )
    assert main(["check-config", "-c", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1] == (
        "hint: this looks like the old sample client's input.json;"
        " convert it with `central-otel migrate`"
    )
    assert_no_secret(out, err)


@pytest.mark.parametrize("command", ["check-config", "migrate"])
def test_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: central-otel {command} ")
    assert ("--config FILE" if command == "check-config" else "--key-dir DIR") in out


def test_commands_listed_in_main_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "check-config" in out
    assert "migrate" in out


def test_every_command_is_listed_under_its_module_in_help_order() -> None:
    parser = build_parser()
    [subparsers] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(subparsers.choices) == list(COMMAND_MODULES)
    for name in COMMAND_MODULES:
        alone = build_parser(name)
        [only] = [a for a in alone._actions if isinstance(a, argparse._SubParsersAction)]
        assert list(only.choices) == [name]


def test_run_loads_neither_the_terminal_views_nor_the_simulator() -> None:
    """`run` imports its own command only: the other commands' dependencies would be
    memory every bridge keeps."""
    probe = (
        "import sys\n"
        "from central_otel.cli import build_parser\n"
        "build_parser('run').parse_args(['run', '--config', 'c.yaml'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'"
        " or m.startswith(('central_otel.simulator', 'central_otel.views',"
        " 'central_otel.commands.demo', 'central_otel.commands.status'))))\n"
    )
    assert _printed_by(probe) == "[]\n"


@pytest.mark.parametrize(
    ("protocol", "loaded"), [("grpc", "[]"), ("http/protobuf", "['requests']")]
)
def test_a_bridge_loads_what_its_protocol_needs_only(protocol: str, loaded: str) -> None:
    """`requests` (a few MiB) is the HTTP paths' only. The bridge's transports speak
    gRPC themselves (`export.grpc_client`), and the SDK's providers, whose OTLP
    exporters would load grpcio, are built only when asked for: a bridge exporting
    over either protocol loads neither the SDK's exporters nor its metric modules
    (`telemetry.sdk_metrics`), nor grpcio."""
    probe = (
        "import sys\n"
        "from central_otel.cli import build_parser\n"
        "from central_otel.config.model import OtlpConfig\n"
        "from central_otel.export.transport import LOGS, METRICS, build_transport\n"
        "from central_otel.telemetry.providers import Telemetry\n"
        "build_parser('run').parse_args(['run', '--config', 'c.yaml'])\n"
        f"config = OtlpConfig(endpoint='http://127.0.0.1:1', protocol={protocol!r})\n"
        "telemetry = Telemetry(config)\n"
        "transports = [build_transport(config, s) for s in (METRICS, LOGS)]\n"
        "print([t.attempt(t.prepare(b''), 1.0).error for t in transports])\n"
        "print(sorted(m for m in sys.modules if m == 'requests'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'grpc'"
        " or m.startswith(('opentelemetry.exporter.otlp.proto.grpc',"
        " 'opentelemetry.exporter.otlp.proto.http', 'opentelemetry.sdk.metrics'))))\n"
        "telemetry.shutdown(timeout=1.0)\n"
    )
    refused = "grpc UNAVAILABLE" if protocol == "grpc" else "ConnectionError"
    assert _printed_by(probe) == f"['{refused}', '{refused}']\n{loaded}\n[]\n"


def _printed_by(probe: str) -> str:
    """What `probe` prints, run in a fresh interpreter (what it imports is its own)."""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_config_option_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check-config"])
    assert exit_info.value.code == 2
    assert "the following arguments are required: -c/--config" in capsys.readouterr().err


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "central_otel", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *PYTHONPATH]), **env},
        cwd=REPO,
        timeout=60,
        check=False,
    )


def test_subprocess_success_and_failure(config_file: Path, tmp_path: Path) -> None:
    env = {"TEST_CHECK_KEY_C": ENV_KEY, "TEST_CHECK_TOKEN": HEADER}
    ok = _run(["check-config", "-c", str(config_file)], env)
    assert ok.returncode == 0
    assert ok.stdout == expected_output(tmp_path)
    assert ok.stderr == "config OK: 3 customers, 4 subscriptions\n"

    failed = _run(
        ["check-config", "-c", str(config_file)],
        {"TEST_CHECK_KEY_C": ""} | {"TEST_CHECK_TOKEN": HEADER},
    )
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert failed.stderr == (
        f"{config_file}: 1 problem\n"
        "customers.CustomerC.key_env: environment variable TEST_CHECK_KEY_C is empty\n"
    )
    assert_no_secret(ok.stdout, ok.stderr, failed.stdout, failed.stderr)


def test_config_repr_hides_secrets(config_file: Path) -> None:
    config = load_config(config_file)
    assert {s.reveal() for s in config.secrets()} == set(SECRETS) - {"S3CRET"}
    texts = [repr(config), str(config), repr(dataclasses.asdict(config)), f"{config.customers}"]
    assert_no_secret(*texts)
    assert "Secret('<redacted>')" in repr(config)
