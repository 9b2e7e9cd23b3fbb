"""Invalid configurations: every problem reported at once, each as an exact `path: message` line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from central_otel.config import ConfigError, ConfigProblem, load_config, parse_config

FIXTURES = Path(__file__).parent / "fixtures" / "config"
KEY = "k3y-VALUE-0123456789abcdef"
TOPICS = "monitoring, presence, security, location, apprf, audit"


def minimal(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "central": {"base_url": "internal-ui.central.arubanetworks.com"},
        "customers": {"CustomerA": {"key": KEY, "topics": ["monitoring"]}},
    }
    document.update(overrides)
    return document


def customer(**settings: Any) -> dict[str, Any]:
    return minimal(customers={"CustomerA": settings})


def problems(document: object, environ: dict[str, str] | None = None, **kwargs: Any) -> list[str]:
    with pytest.raises(ConfigError) as error:
        parse_config(document, source="test.yaml", environ=environ or {}, **kwargs)
    assert error.value.source == "test.yaml"
    return [str(problem) for problem in error.value.problems]


def file_problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as error:
        load_config(path, environ={})
    return [str(problem) for problem in error.value.problems]


def test_problem_and_error_texts() -> None:
    problem = ConfigProblem("central.base_url", "required")
    assert str(problem) == "central.base_url: required"
    error = ConfigError("c.yaml", [problem, ConfigProblem("health", "x")])
    assert str(error) == "c.yaml: 2 problems\ncentral.base_url: required\nhealth: x"
    assert ConfigError("c.yaml", [problem]).summary == "c.yaml: 1 problem"


def test_unknown_key_at_top_level() -> None:
    assert problems(minimal(loging={"level": "debug"})) == [
        "loging: unknown key"
        " (expected one of central, customers, key_validation_interval, otlp, health,"
        " streaming, state_dir, capture, metrics, events, log_level, log_format)"
    ]


def test_unknown_key_nested_and_missing_required() -> None:
    assert problems(minimal(central={"bas_url": "h.example.com"})) == [
        "central.bas_url: unknown key (expected one of base_url, ca_file, verify_tls)",
        "central.base_url: required",
    ]


def test_unknown_key_in_customer_and_sections() -> None:
    document = minimal(
        customers={"CustomerA": {"key": KEY, "topics": ["audit"], "topic": "audit"}},
        otlp={"endpiont": "http://c:4317"},
        health={"port": 8080},
    )
    assert problems(document) == [
        "customers.CustomerA.topic: unknown key"
        " (expected one of key, key_file, key_env, username, topics, platform, inventory)",
        "otlp.endpiont: unknown key (expected one of endpoint, protocol, insecure, headers,"
        " export_interval, ca_file, compression, timeout, metrics_path)",
        "health.port: unknown key (expected one of listen, ready_when)",
    ]


def test_missing_sections() -> None:
    # `central` is needed by Classic customers only: with none at all, only customers.
    assert problems({}) == ["customers: required"]
    assert problems({"customers": {"a": {"key": KEY, "topics": ["audit"]}}}) == [
        "central: required"
    ]


def test_bad_topic_at_index() -> None:
    assert problems(customer(key=KEY, topics=["security", "monitor"])) == [
        f"customers.CustomerA.topics[1]: 'monitor' is not one of {TOPICS}"
    ]


def test_duplicate_topic() -> None:
    assert problems(customer(key=KEY, topics=["security", "audit", "security"])) == [
        "customers.CustomerA.topics[2]: duplicate topic 'security'"
    ]


def test_no_topics() -> None:
    assert problems(customer(key=KEY, topics=[])) == [
        "customers.CustomerA.topics: at least one topic is required"
    ]
    assert problems(customer(key=KEY)) == ["customers.CustomerA.topics: required"]
    assert problems(customer(key=KEY, topics="monitoring")) == [
        "customers.CustomerA.topics: expected a list (e.g. [monitoring, security]), got a string"
    ]
    assert problems(customer(key=KEY, topics=[1])) == [
        f"customers.CustomerA.topics[0]: expected one of {TOPICS}, got a number"
    ]


def test_no_key_source() -> None:
    assert problems(customer(topics=["monitoring"])) == [
        "customers.CustomerA: exactly one of key, key_file, key_env is required (none given)"
    ]


def test_two_key_sources(tmp_path: Path) -> None:
    (tmp_path / "a.key").write_text(KEY)
    document = customer(key=KEY, key_file="a.key", topics=["monitoring"])
    assert problems(document, base_dir=tmp_path) == [
        "customers.CustomerA: exactly one of key, key_file, key_env is required (got key, key_file)"
    ]


def test_missing_key_file(tmp_path: Path) -> None:
    document = customer(key_file="missing.key", topics=["monitoring"])
    assert problems(document, base_dir=tmp_path) == [
        f"customers.CustomerA.key_file: cannot read {tmp_path / 'missing.key'}:"
        " No such file or directory"
    ]


def test_empty_key_file_and_multi_line_key(tmp_path: Path) -> None:
    (tmp_path / "empty.key").write_text(" \n")
    (tmp_path / "two-lines.key").write_text(f"{KEY}\n# comment\n")
    document = minimal(
        customers={
            "A": {"key_file": "empty.key", "topics": ["audit"]},
            "B": {"key_file": "two-lines.key", "topics": ["audit"]},
            "C": {"key": "  ", "topics": ["audit"]},
        }
    )
    assert problems(document, base_dir=tmp_path) == [
        f"customers.A.key_file: the key in {tmp_path / 'empty.key'} is empty",
        f"customers.B.key_file: the key in {tmp_path / 'two-lines.key'} must be a single line"
        " of printable ASCII characters",
        "customers.C.key: the key is empty",
    ]


def test_unset_and_empty_key_env() -> None:
    document = minimal(
        customers={
            "A": {"key_env": "UNSET_KEY", "topics": ["audit"]},
            "B": {"key_env": "EMPTY_KEY", "topics": ["audit"]},
        }
    )
    assert problems(document, environ={"EMPTY_KEY": ""}) == [
        "customers.A.key_env: environment variable UNSET_KEY is not set",
        "customers.B.key_env: environment variable EMPTY_KEY is empty",
    ]


def test_bad_customer_names() -> None:
    document = minimal(
        customers={
            "Customer A": {"key": KEY, "topics": ["audit"]},
            "B/C": {"key": KEY, "topics": ["audit"]},
        }
    )
    assert problems(document) == [
        "customers['Customer A']: invalid customer name 'Customer A'"
        " (allowed characters: letters, digits, '_', '.', '-')",
        "customers['B/C']: invalid customer name 'B/C'"
        " (allowed characters: letters, digits, '_', '.', '-')",
    ]


def test_no_customers() -> None:
    assert problems(minimal(customers={})) == ["customers: at least one customer is required"]
    assert problems(minimal(customers=["A"])) == [
        "customers: expected a mapping of customer names to settings, got a list"
    ]


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("https://central.example.com/api", "unexpected path '/api' (expected just the host)"),
        (
            "wss://central.example.com/streaming",
            "unexpected path '/streaming' (expected just the host or wss://HOST/streaming/api)",
        ),
        ("https://central.example.com/?x=1", "query strings are not allowed in the URL"),
        ("https://central.example.com#top", "fragments are not allowed in the URL"),
        ("https://user:pass@central.example.com", "user credentials are not allowed in the URL"),
        ("https://", "the host name is missing"),
        ("https://:8443", "the host name is missing"),
        ("central.example.com:99999", "invalid port '99999' (expected 1-65535)"),
        ("central.example.com:https", "invalid port 'https' (expected 1-65535)"),
        ("central.example.com:0", "invalid port '0' (expected 1-65535)"),
        (
            "ftp://central.example.com",
            "unsupported scheme 'ftp' (expected https://, http://, wss:// or ws://,"
            " or just the host name)",
        ),
        ("central example.com", "invalid host name 'central example.com'"),
        ("fe80::1", "invalid host 'fe80::1' (put IPv6 addresses in brackets)"),
        ("[fe80::zz]", "invalid IPv6 address '[fe80::zz]'"),
        ("", "must not be empty"),
    ],
)
def test_bad_base_url(base_url: str, message: str) -> None:
    assert problems(minimal(central={"base_url": base_url})) == [f"central.base_url: {message}"]


def test_base_url_not_a_string() -> None:
    assert problems(minimal(central={"base_url": 443})) == [
        "central.base_url: expected a string, got a number"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "5x",
            "invalid duration '5x' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d or a number of"
            " seconds)",
        ),
        ("-5m", "must not be negative (got '-5m')"),
        (-5, "must not be negative (got -5)"),
        ("30s", "must be at least 1m (got 30s)"),
        (0, "must be greater than zero"),
        (True, "expected a duration (e.g. 30s, 5m, 1h30m or a number of seconds), got a boolean"),
        ([1], "expected a duration (e.g. 30s, 5m, 1h30m or a number of seconds), got a list"),
    ],
)
def test_bad_duration(value: object, message: str) -> None:
    assert problems(minimal(key_validation_interval=value)) == [
        f"key_validation_interval: {message}"
    ]


def test_bad_otlp_values(tmp_path: Path) -> None:
    document = minimal(
        otlp={
            "endpoint": "localhost:4317",
            "protocol": "grpcs",
            "insecure": "maybe",
            "headers": {"Bad Header": "x", "x-num": 5},
            "export_interval": "500ms",
            "ca_file": "missing.pem",
            "compression": "brotli",
            "timeout": "0s",
            "metrics_path": "fast",
        }
    )
    assert problems(document, base_dir=tmp_path) == [
        "otlp.endpoint: expected an http:// or https:// URL (e.g. http://localhost:4317),"
        " got 'localhost:4317'",
        "otlp.protocol: 'grpcs' is not one of grpc, http/protobuf",
        "otlp.insecure: expected true or false, got 'maybe'",
        "otlp.headers['Bad Header']: invalid header name 'Bad Header'",
        "otlp.headers.x-num: expected a string, got a number",
        "otlp.export_interval: must be at least 1s (got 500ms)",
        f"otlp.ca_file: cannot read {tmp_path / 'missing.pem'}: No such file or directory",
        "otlp.compression: 'brotli' is not one of gzip, zstd, none",
        "otlp.timeout: must be greater than zero",
        "otlp.metrics_path: 'fast' is not one of direct, sdk",
    ]


def test_zstd_needs_otlp_http() -> None:
    """gRPC's Python core has no zstd: said where the user wrote it, protocol named."""
    message = (
        "otlp.compression: zstd needs protocol: http/protobuf (got protocol: grpc, which "
        "compresses with gzip or none)"
    )
    assert problems(minimal(otlp={"compression": "zstd"})) == [message]
    assert problems(minimal(otlp={"protocol": "grpc", "compression": "zstd"})) == [message]
    config = parse_config(
        minimal(otlp={"protocol": "http/protobuf", "compression": "zstd"}),
        source="test.yaml",
        environ={},
    )
    assert config.otlp.compression == "zstd"


def test_bad_ca_file() -> None:
    document = minimal(central={"base_url": "h.example.com", "ca_file": "not-a-ca.pem"})
    assert problems(document, base_dir=FIXTURES) == [
        f"central.ca_file: {FIXTURES / 'not-a-ca.pem'} is not a PEM bundle of CA certificates"
    ]


@pytest.mark.parametrize(
    ("listen", "message"),
    [
        (
            "8080",
            "invalid listen address '8080' (expected host:port or [ipv6]:port,"
            " e.g. 127.0.0.1:8080)",
        ),
        (
            ":8080",
            "invalid listen address ':8080' (expected host:port or [ipv6]:port,"
            " e.g. 127.0.0.1:8080)",
        ),
        ("localhost:65536", "invalid port '65536' (expected 0-65535)"),
        ("localhost:-1", "invalid port '-1' (expected 0-65535)"),
        ("::1:8080", "invalid host '::1:8080' (put IPv6 addresses in brackets)"),
        (8080, "expected a string, got a number"),
    ],
)
def test_bad_listen_address(listen: object, message: str) -> None:
    assert problems(minimal(health={"listen": listen})) == [f"health.listen: {message}"]


def test_section_of_wrong_type() -> None:
    assert problems(minimal(central="h.example.com", otlp=[], health=True)) == [
        "central: expected a mapping, got a string",
        "otlp: expected a mapping, got a list",
        "health: expected a mapping, got a boolean",
    ]


def test_undefined_env_variable_reported_at_its_path() -> None:
    document = minimal(
        central={"base_url": "https://${env:CENTRAL_HOST}:${env:CENTRAL_PORT}"},
        otlp={"headers": {"authorization": "Bearer ${env:TOKEN}"}},
    )
    assert problems(document) == [
        "central.base_url: environment variables CENTRAL_HOST, CENTRAL_PORT are not set",
        "otlp.headers.authorization: environment variable TOKEN is not set",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "${env:UNTERMINATED",
            "unterminated '${env:' reference (missing '}';"
            " expected ${env:NAME} or ${env:NAME:-default})",
        ),
        (
            "${env:1BAD}",
            "invalid environment variable name '1BAD' in '${env:...}'"
            " (expected ${env:NAME} or ${env:NAME:-default})",
        ),
        (
            "${env:}",
            "invalid environment variable name '' in '${env:...}'"
            " (expected ${env:NAME} or ${env:NAME:-default})",
        ),
    ],
)
def test_malformed_env_reference(text: str, message: str) -> None:
    assert problems(customer(key=KEY, username=text, topics=["audit"])) == [
        f"customers.CustomerA.username: {message}"
    ]


def test_non_string_mapping_key() -> None:
    assert problems(minimal(customers={1: {"key": KEY, "topics": ["audit"]}})) == [
        "customers: at least one customer is required",
        "customers.1: keys must be strings (quote the key)",
    ]


def test_several_problems_in_one_file() -> None:
    path = FIXTURES / "several-problems.yaml"
    with pytest.raises(ConfigError) as error:
        load_config(path, environ={})
    assert str(error.value).splitlines() == [
        f"{path}: 7 problems",
        "central.bas_url: unknown key (expected one of base_url, ca_file, verify_tls)",
        "central.base_url: required",
        f"customers.CustomerA.key_file: cannot read {FIXTURES / 'keys' / 'missing.key'}:"
        " No such file or directory",
        f"customers.CustomerA.topics[1]: 'monitor' is not one of {TOPICS}",
        "key_validation_interval: must be at least 1m (got 10s)",
        "otlp.protocol: 'grpcs' is not one of grpc, http/protobuf",
        "health.listen: invalid listen address 'localhost' (expected host:port or [ipv6]:port,"
        " e.g. 127.0.0.1:8080)",
    ]


def test_malformed_yaml_reports_line() -> None:
    path = FIXTURES / "malformed.yaml"
    assert file_problems(path) == [
        f"{path}: malformed YAML at line 6, column 4: expected <block end>,"
        " but found '<block mapping start>'"
    ]


def test_malformed_json_reports_line() -> None:
    path = FIXTURES / "malformed.json"
    assert file_problems(path) == [
        f"{path}: malformed JSON at line 2, column 59:"
        " Expecting property name enclosed in double quotes"
    ]


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(
        "central: {base_url: h.example.com}\ncustomers:\n"
        "  A: {key: k1, topics: [audit]}\n  A: {key: k2, topics: [audit]}\n"
    )
    assert file_problems(path) == [f"{path}: malformed YAML at line 4, column 3: duplicate key 'A'"]


def test_top_level_list() -> None:
    path = FIXTURES / "top-level-list.yaml"
    assert file_problems(path) == [
        f"{path}: expected a mapping of settings at the top level, got a list"
    ]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing\n")
    assert file_problems(path) == [f"{path}: the file is empty"]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    assert file_problems(path) == [f"{path}: cannot read file: No such file or directory"]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"central: {base_url: caf\xe9}\n")
    assert file_problems(path) == [f"{path}: not valid UTF-8 text (byte 23)"]


def test_secret_values_never_in_messages(tmp_path: Path) -> None:
    """Keys and header values are not echoed, even when misplaced or invalid."""
    header = "Bearer h34der-S3CRET-value"
    document = minimal(
        customers={
            "A": {"key": KEY, "topics": ["audit"]},
            "B": {"key": 123456789, "topics": ["audit"]},
            "C": {"key": "two\nlines-S3CRET", "topics": ["audit"]},
        },
        key_validation_interval=KEY,
        otlp={
            "headers": {"authorization": header, "x-bad": "line\nbreak-S3CRET"},
            "export_interval": header,
        },
        health={"listen": KEY},
    )
    lines = problems(document, base_dir=tmp_path)
    assert lines == [
        "customers.B.key: expected a string, got a number",
        "customers.C.key: the key must be a single line of printable ASCII characters",
        "key_validation_interval: invalid duration '<redacted>' (expected e.g. 250ms, 30s, 5m,"
        " 1h30m, 1d or a number of seconds)",
        "otlp.headers.x-bad: must be a single line of printable ASCII characters",
        "otlp.export_interval: invalid duration '<redacted>' (expected e.g. 250ms, 30s, 5m,"
        " 1h30m, 1d or a number of seconds)",
        "health.listen: invalid listen address '<redacted>' (expected host:port or [ipv6]:port,"
        " e.g. 127.0.0.1:8080)",
    ]
    text = "\n".join(lines)
    for secret in (KEY, header, "123456789", "S3CRET"):
        assert secret not in text


def test_unknown_home_directory_in_path(tmp_path: Path) -> None:
    document = customer(key_file="~no-such-user-central-otel/a.key", topics=["audit"])
    assert problems(document, base_dir=tmp_path) == [
        "customers.CustomerA.key_file: cannot read"
        f" {tmp_path / '~no-such-user-central-otel' / 'a.key'}: No such file or directory"
    ]
