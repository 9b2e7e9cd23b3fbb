"""`central-otel migrate`: the old sample client's input.json to a configuration file."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from central_otel.cli import main
from central_otel.config import load_config
from central_otel.config.files import default_file_mode
from central_otel.secret import Secret
from central_otel.topics import Topic

KEY_A = "wss-KEY-A-S3CRET-0123456789"
KEY_B = "wss-KEY-B-S3CRET-9876543210"
HOST = "internal-ui.central.arubanetworks.com"
HEADER = (
    "# central-otel configuration, converted from {source} by `central-otel migrate`.\n"
    "# Settings not listed here take their defaults: see docs/configuration.md.\n"
)

SEED_INPUT: dict[str, Any] = {
    "customers": {
        "CustomerA_monitoring": {
            "username": "abc@gmail.com",
            "wsskey": KEY_A,
            "topic": "monitoring",
        },
        "CustomerA_security": {"username": "abc@gmail.com", "wsskey": KEY_A, "topic": "security"},
        "CustomerB_monitoring": {
            "username": "xyz@gmail.com",
            "wsskey": KEY_B,
            "topic": "monitoring",
        },
    }
}


def write_input(tmp_path: Path, data: object = SEED_INPUT, name: str = "input.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2) if not isinstance(data, str) else data)
    return path


def expected_yaml(source: Path, key_lines: dict[str, str]) -> str:
    return HEADER.format(source=source) + (
        "central:\n"
        f"  base_url: https://{HOST}\n"
        "customers:\n"
        "  CustomerA:\n"
        f"    {key_lines['CustomerA']}\n"
        "    username: abc@gmail.com\n"
        "    topics: [monitoring, security]\n"
        "  CustomerB:\n"
        f"    {key_lines['CustomerB']}\n"
        "    username: xyz@gmail.com\n"
        "    topics: [monitoring]\n"
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def assert_no_key(*texts: str) -> None:
    for text in texts:
        assert KEY_A not in text
        assert KEY_B not in text
        assert "S3CRET" not in text


def test_seed_example_with_key_env_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_input(tmp_path)
    assert main(["migrate", "--hostname", HOST, str(source)]) == 0
    out, err = capsys.readouterr()
    assert out == expected_yaml(
        source,
        {
            "CustomerA": "key_env: CENTRAL_OTEL_KEY_CUSTOMERA",
            "CustomerB": "key_env: CENTRAL_OTEL_KEY_CUSTOMERB",
        },
    )
    assert err.splitlines() == [
        "central-otel migrate: customer CustomerA: set CENTRAL_OTEL_KEY_CUSTOMERA to the wsskey"
        f" of CustomerA_monitoring, CustomerA_security in {source}",
        "central-otel migrate: customer CustomerB: set CENTRAL_OTEL_KEY_CUSTOMERB to the wsskey"
        f" of CustomerB_monitoring in {source}",
        "central-otel migrate: migrated 2 customers, 3 subscriptions",
    ]
    assert_no_key(out, err)

    # The output passes check-config once the variables are set.
    generated = tmp_path / "generated.yaml"
    generated.write_text(out)
    environ = {"CENTRAL_OTEL_KEY_CUSTOMERA": KEY_A, "CENTRAL_OTEL_KEY_CUSTOMERB": KEY_B}
    config = load_config(generated, environ=environ)
    assert [(c.name, c.key, c.key_setting.env, c.username, c.topics) for c in config.customers] == [
        (
            "CustomerA",
            Secret(KEY_A),
            "CENTRAL_OTEL_KEY_CUSTOMERA",
            "abc@gmail.com",
            (Topic.MONITORING, Topic.SECURITY),
        ),
        (
            "CustomerB",
            Secret(KEY_B),
            "CENTRAL_OTEL_KEY_CUSTOMERB",
            "xyz@gmail.com",
            (Topic.MONITORING,),
        ),
    ]
    assert config.central.stream_url == f"wss://{HOST}/streaming/api"


def test_key_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_input(tmp_path)
    key_dir = tmp_path / "secrets" / "central"
    argv = ["migrate", "--hostname", f"wss://{HOST}/streaming/api", str(source)]
    assert main([*argv, "--key-dir", str(key_dir)]) == 0
    out, err = capsys.readouterr()
    key_a, key_b = key_dir / "CustomerA.key", key_dir / "CustomerB.key"
    assert out == expected_yaml(
        source, {"CustomerA": f"key_file: {key_a}", "CustomerB": f"key_file: {key_b}"}
    )
    assert err.splitlines() == [
        f"central-otel migrate: wrote {key_a} (key of customer CustomerA, mode 0600)",
        f"central-otel migrate: wrote {key_b} (key of customer CustomerB, mode 0600)",
        "central-otel migrate: migrated 2 customers, 3 subscriptions",
    ]
    assert_no_key(out, err)
    assert key_a.read_text() == KEY_A + "\n"
    assert key_b.read_text() == KEY_B + "\n"
    assert mode(key_dir) == 0o700
    assert mode(key_a) == 0o600
    assert mode(key_b) == 0o600
    assert sorted(p.name for p in key_dir.iterdir()) == ["CustomerA.key", "CustomerB.key"]

    # The output passes check-config.
    generated = tmp_path / "generated.yaml"
    generated.write_text(out)
    assert main(["check-config", "-c", str(generated)]) == 0
    out, err = capsys.readouterr()
    assert err == "config OK: 2 customers, 3 subscriptions\n"
    assert_no_key(out, err)


def test_output_file_with_inline_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_input(tmp_path)
    output = tmp_path / "central-otel.yaml"
    assert main(["migrate", "--hostname", HOST, str(source), "-o", str(output)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"central-otel migrate: wrote {output} (mode 0600: it contains the keys)",
        "central-otel migrate: migrated 2 customers, 3 subscriptions",
    ]
    assert_no_key(out, err)
    assert mode(output) == 0o600
    assert output.read_text() == expected_yaml(
        source, {"CustomerA": f"key: {KEY_A}", "CustomerB": f"key: {KEY_B}"}
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file
    config = load_config(output, environ={})
    assert [c.key for c in config.customers] == [Secret(KEY_A), Secret(KEY_B)]

    assert main(["check-config", "-c", str(output)]) == 0
    out, err = capsys.readouterr()
    assert_no_key(out, err)


def test_output_file_with_key_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_input(tmp_path)
    output, key_dir = tmp_path / "out.yaml", tmp_path / "keys"
    argv = [
        "migrate",
        "--hostname",
        HOST,
        str(source),
        "-o",
        str(output),
        "--key-dir",
        str(key_dir),
    ]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-2:] == [
        f"central-otel migrate: wrote {output}",
        "central-otel migrate: migrated 2 customers, 3 subscriptions",
    ]
    assert_no_key(out, err, output.read_text())
    assert mode(output) == default_file_mode()
    assert mode(key_dir / "CustomerA.key") == 0o600
    assert load_config(output, environ={}).customer("CustomerB").key == Secret(KEY_B)


def test_existing_key_dir_kept_and_loose_permissions_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_input(tmp_path)
    key_dir = tmp_path / "keys"
    key_dir.mkdir()
    key_dir.chmod(0o755)
    assert main(["migrate", "--hostname", HOST, str(source), "--key-dir", str(key_dir)]) == 0
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        f"central-otel migrate: warning: {key_dir} is accessible to other users"
        " (consider chmod 700)"
    )
    assert mode(key_dir) == 0o755
    assert mode(key_dir / "CustomerA.key") == 0o600


def test_refuses_to_overwrite_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_input(tmp_path)
    before = source.read_text()
    assert main(["migrate", "--hostname", HOST, str(source), "-o", str(source)]) == 1
    assert capsys.readouterr().err == (
        f"central-otel migrate: refusing to overwrite the input file {source}\n"
    )
    assert source.read_text() == before


def test_naming_merging_and_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = {
        "customers": {
            "Acme Corp-monitoring": {"wsskey": "key-acme-0123", "topic": "monitoring"},
            "Acme Corp-presence": {"wsskey": "key-acme-0123", "topic": "Presence", "note": "x"},
            "Acme Corp-presence2": {
                "wsskey": "key-acme-0123",
                "topic": "presence",
                "username": "other@example.com",
            },
            "other": {"wsskey": "key-other-0123", "topic": "audit", "username": ""},
            "Other_audit": {
                "wsskey": "key-other-2-0123",
                "topic": "audit",
                "username": "o@example.com",
            },
            "Other_apprf": {
                "wsskey": "key-other-2-0123",
                "topic": "apprf",
                "username": "o2@example.com",
            },
            "other_location": {"wsskey": "key-other-3-0123", "topic": "location"},
        },
        "version": 1,
    }
    source = write_input(tmp_path, data)
    assert main(["migrate", "--hostname", "http://localhost:8080", str(source)]) == 0
    out, err = capsys.readouterr()
    assert out == HEADER.format(source=source) + (
        "central:\n"
        "  base_url: http://localhost:8080\n"
        "customers:\n"
        "  Acme_Corp-monitoring:\n"
        "    key_env: CENTRAL_OTEL_KEY_ACME_CORP_MONITORING\n"
        "    username: other@example.com\n"
        "    topics: [monitoring, presence]\n"
        "  other:\n"
        "    key_env: CENTRAL_OTEL_KEY_OTHER\n"
        "    topics: [audit]\n"
        "  Other:\n"
        "    key_env: CENTRAL_OTEL_KEY_OTHER_2\n"
        "    username: o@example.com\n"
        "    topics: [audit, apprf]\n"
        "  other_2:\n"
        "    key_env: CENTRAL_OTEL_KEY_OTHER_2_2\n"
        "    topics: [location]\n"
    )
    assert err.splitlines()[:4] == [
        "central-otel migrate: warning: version: ignored (not used by central-otel)",
        "central-otel migrate: warning: customers['Acme Corp-presence'].note: ignored"
        " (not used by central-otel)",
        "central-otel migrate: warning: customer Acme_Corp-monitoring: topic presence appears in"
        " several entries (Acme Corp-monitoring, Acme Corp-presence, Acme Corp-presence2);"
        " subscribing once",
        "central-otel migrate: warning: customer Other: entry Other_apprf has username"
        " 'o2@example.com'; keeping 'o@example.com' from entry Other_audit",
    ]
    generated = tmp_path / "generated.yaml"
    generated.write_text(out)
    environ = {
        "CENTRAL_OTEL_KEY_ACME_CORP_MONITORING": "k1",
        "CENTRAL_OTEL_KEY_OTHER": "k2",
        "CENTRAL_OTEL_KEY_OTHER_2": "k3",
        "CENTRAL_OTEL_KEY_OTHER_2_2": "k4",
    }
    assert len(load_config(generated, environ=environ).subscriptions) == 6


def test_invalid_input_lists_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = {
        "customers": {
            "CustomerA_monitoring": {
                "username": "a@example.com",
                "wsskey": KEY_A,
                "topic": "monitor",
            },
            "CustomerA_security": {"wsskey": KEY_A},
            "CustomerB_monitoring": {"topic": "monitoring", "username": 5},
            "CustomerC": {"wsskey": 12, "topic": 3},
            "CustomerD": {"wsskey": "two\nlines", "topic": "audit"},
            "CustomerE": ["x"],
        }
    }
    source = write_input(tmp_path, data)
    argv = ["migrate", "--hostname", "ftp://central", str(source), "--key-dir", str(tmp_path / "k")]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out == ""
    topics = "monitoring, presence, security, location, apprf, audit"
    assert err.splitlines() == [
        f"{source}: 9 problems",
        "--hostname: unsupported scheme 'ftp' (expected https://, http://, wss:// or ws://,"
        " or just the host name)",
        f"customers.CustomerA_monitoring.topic: 'monitor' is not one of {topics}",
        "customers.CustomerA_security.topic: required",
        "customers.CustomerB_monitoring.wsskey: required",
        "customers.CustomerB_monitoring.username: expected a string, got a number",
        "customers.CustomerC.wsskey: expected a string, got a number",
        f"customers.CustomerC.topic: expected one of {topics}, got a number",
        "customers.CustomerD.wsskey: must be a single line of printable ASCII characters",
        "customers.CustomerE: expected a mapping, got a list",
    ]
    assert_no_key(out, err)
    assert not (tmp_path / "k").exists()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            '{"customers": {"A": {"wsskey": "k", "topic": "audit"},}}',
            "{source}: malformed JSON at line 1, column 55: Expecting property name enclosed in"
            " double quotes",
        ),
        ("[]", "{source}: expected a JSON object at the top level, got a list"),
        ('{"entries": {}}', "customers: required"),
        ('{"customers": {}}', "customers: no entries"),
        (
            '{"customers": []}',
            "customers: expected a mapping of entry names to entries, got a list",
        ),
    ],
)
def test_invalid_input_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, problem: str
) -> None:
    source = write_input(tmp_path, content)
    assert main(["migrate", "--hostname", HOST, str(source)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[0] == f"{source}: 1 problem"
    assert err.splitlines()[1] == problem.format(source=source)


def test_missing_input_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "absent.json"
    assert main(["migrate", "--hostname", HOST, str(source)]) == 1
    assert capsys.readouterr().err == (
        f"{source}: 1 problem\n{source}: cannot read file: No such file or directory\n"
    )


def test_unwritable_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_input(tmp_path)
    output = tmp_path / "no-such-dir" / "out.yaml"
    assert main(["migrate", "--hostname", HOST, str(source), "-o", str(output)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("central-otel migrate: cannot write ")
    assert err.endswith(": No such file or directory\n")
    assert_no_key(out, err)


def test_input_is_always_read_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_input(tmp_path, "customers: {}\n", name="input.txt")
    assert main(["migrate", "--hostname", HOST, str(source)]) == 1
    assert capsys.readouterr().err.splitlines()[1] == (
        f"{source}: malformed JSON at line 1, column 1: Expecting value"
    )
