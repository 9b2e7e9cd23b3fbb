"""Valid configurations: every accepted form, defaults, env expansion, key sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from central_otel.config import (
    CaptureConfig,
    CentralConfig,
    Config,
    ConfigError,
    CustomerConfig,
    HealthConfig,
    OtlpConfig,
    SecretSetting,
    StreamingConfig,
    load_config,
    parse_config,
)
from central_otel.secret import Secret
from central_otel.topics import Topic

FIXTURES = Path(__file__).parent / "fixtures" / "config"
KEY = "k3y-VALUE-0123456789abcdef"


def minimal(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "central": {"base_url": "internal-ui.central.arubanetworks.com"},
        "customers": {"CustomerA": {"key": KEY, "topics": ["monitoring"]}},
    }
    document.update(overrides)
    return document


def parse(document: object, environ: dict[str, str] | None = None, **kwargs: Any) -> Config:
    return parse_config(document, source="test.yaml", environ=environ or {}, **kwargs)


@pytest.mark.parametrize(
    ("base_url", "stream_url", "validate_url"),
    [
        (
            "internal-ui.central.arubanetworks.com",
            "wss://internal-ui.central.arubanetworks.com/streaming/api",
            "https://internal-ui.central.arubanetworks.com/streaming/token/validate",
        ),
        (
            "central.example.com:8443",
            "wss://central.example.com:8443/streaming/api",
            "https://central.example.com:8443/streaming/token/validate",
        ),
        (
            "https://central.example.com",
            "wss://central.example.com/streaming/api",
            "https://central.example.com/streaming/token/validate",
        ),
        (
            "https://central.example.com:8443/",
            "wss://central.example.com:8443/streaming/api",
            "https://central.example.com:8443/streaming/token/validate",
        ),
        (
            "http://localhost:8080",
            "ws://localhost:8080/streaming/api",
            "http://localhost:8080/streaming/token/validate",
        ),
        (
            "wss://internal-ui.central.arubanetworks.com/streaming/api",
            "wss://internal-ui.central.arubanetworks.com/streaming/api",
            "https://internal-ui.central.arubanetworks.com/streaming/token/validate",
        ),
        (
            "wss://central.example.com:9443",
            "wss://central.example.com:9443/streaming/api",
            "https://central.example.com:9443/streaming/token/validate",
        ),
        (
            "ws://127.0.0.1:9000/streaming/api/",
            "ws://127.0.0.1:9000/streaming/api",
            "http://127.0.0.1:9000/streaming/token/validate",
        ),
        (
            "https://[::1]:8443",
            "wss://[::1]:8443/streaming/api",
            "https://[::1]:8443/streaming/token/validate",
        ),
        (
            "  HTTPS://Central.Example.COM  ",
            "wss://central.example.com/streaming/api",
            "https://central.example.com/streaming/token/validate",
        ),
    ],
)
def test_base_url_forms(base_url: str, stream_url: str, validate_url: str) -> None:
    central = parse(minimal(central={"base_url": base_url})).central
    assert central.stream_url == stream_url
    assert central.validate_url == validate_url


def test_defaults_filled_in() -> None:
    config = parse(minimal())
    assert config == Config(
        central=CentralConfig(
            host="internal-ui.central.arubanetworks.com",
            port=None,
            secure=True,
            ca_file=None,
            verify_tls=True,
        ),
        customers=(
            CustomerConfig(
                name="CustomerA",
                key_setting=SecretSetting("key", Secret(KEY)),
                topics=(Topic.MONITORING,),
            ),
        ),
        key_validation_interval=3600.0,
        otlp=OtlpConfig(
            endpoint="http://localhost:4317",
            protocol="grpc",
            insecure=False,
            headers={},
            export_interval=60.0,
            ca_file=None,
            compression="gzip",
            timeout=10.0,
        ),
        health=HealthConfig(host="127.0.0.1", port=8080),
    )
    assert config.health.listen == "127.0.0.1:8080"
    assert config.central.base_url == "https://internal-ui.central.arubanetworks.com"


def test_default_endpoint_follows_protocol() -> None:
    config = parse(minimal(otlp={"protocol": "http/protobuf"}))
    assert config.otlp.endpoint == "http://localhost:4318"
    assert parse(minimal(otlp={"protocol": "grpc"})).otlp.endpoint == "http://localhost:4317"


def test_empty_sections_mean_defaults() -> None:
    config = parse(minimal(otlp=None, health=None))
    assert config.otlp == OtlpConfig()
    assert config.health == HealthConfig()


def test_full_fixture_file() -> None:
    environ = {"FIXTURE_KEY_B": "fixture-env-key-B-0123", "FIXTURE_OTLP_TOKEN": "Bearer tok-0123"}
    config = load_config(FIXTURES / "valid.yaml", environ=environ)
    ca_file = FIXTURES / "ca.pem"
    assert config.central == CentralConfig(
        host="internal-ui.central.arubanetworks.com",
        port=None,
        secure=True,
        ca_file=ca_file,
        verify_tls=True,
    )
    customer_a, customer_b = config.customers
    assert customer_a.name == "CustomerA"
    assert customer_a.key.reveal() == "fixture-key-A-0123456789"
    assert customer_a.key_setting.file == FIXTURES / "keys" / "customer-a.key"
    assert customer_a.key_source == f"key_file: {FIXTURES / 'keys' / 'customer-a.key'}"
    assert customer_a.username == "ops@example.com"
    assert customer_a.topics == (Topic.MONITORING, Topic.SECURITY)
    assert customer_b.key.reveal() == "fixture-env-key-B-0123"
    assert customer_b.key_source == "key_env: FIXTURE_KEY_B"
    assert customer_b.username is None
    assert customer_b.topics == (Topic.PRESENCE,)
    assert config.key_validation_interval == 1800.0
    assert config.otlp == OtlpConfig(
        endpoint="https://collector.example.com:4318",
        protocol="http/protobuf",
        insecure=False,
        headers={"authorization": Secret("Bearer tok-0123")},
        export_interval=15.0,
        ca_file=ca_file,
        compression="none",
        timeout=5.0,
    )
    assert config.health == HealthConfig(host="::1", port=9090)
    assert config.health.listen == "[::1]:9090"
    assert [(c.name, t) for c, t in config.subscriptions] == [
        ("CustomerA", Topic.MONITORING),
        ("CustomerA", Topic.SECURITY),
        ("CustomerB", Topic.PRESENCE),
    ]
    assert set(config.secrets()) == {
        Secret("fixture-key-A-0123456789"),
        Secret("fixture-env-key-B-0123"),
        Secret("Bearer tok-0123"),
    }


def test_json_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(
        '{"central": {"base_url": "h.example.com"},'
        ' "customers": {"A": {"key": "json-key-0123", "topics": ["audit", "apprf"]}}}'
    )
    config = load_config(path, environ={})
    assert config.customer("A").topics == (Topic.AUDIT, Topic.APPRF)


def test_inline_key() -> None:
    customer = parse(minimal()).customer("CustomerA")
    assert customer.key == Secret(KEY)
    assert customer.key_source == "key"
    assert customer.key_setting.file is None
    assert customer.key_setting.env is None


def test_key_file_relative_to_config_directory(tmp_path: Path) -> None:
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "a.key").write_text(f"\n  {KEY}  \n\n")
    config_path = tmp_path / "conf" / "config.yaml"
    config_path.parent.mkdir()
    config_path.write_text(
        "central: {base_url: h.example.com}\n"
        "customers:\n  A: {key_file: ../secrets/a.key, topics: [monitoring]}\n"
    )
    customer = load_config(config_path, environ={}).customer("A")
    assert customer.key.reveal() == KEY
    assert customer.key_setting.file == tmp_path / "secrets" / "a.key"
    assert customer.key_source == f"key_file: {tmp_path / 'secrets' / 'a.key'}"


def test_key_file_relative_to_base_dir(tmp_path: Path) -> None:
    (tmp_path / "a.key").write_text(KEY)
    document = minimal(customers={"A": {"key_file": "a.key", "topics": ["monitoring"]}})
    customer = parse(document, base_dir=tmp_path).customer("A")
    assert customer.key.reveal() == KEY
    assert customer.key_setting.file == tmp_path / "a.key"


def test_key_env() -> None:
    document = minimal(customers={"A": {"key_env": "MY_KEY", "topics": ["monitoring"]}})
    customer = parse(document, environ={"MY_KEY": f" {KEY}\n"}).customer("A")
    assert customer.key.reveal() == KEY
    assert customer.key_setting.env == "MY_KEY"
    assert customer.key_source == "key_env: MY_KEY"


def test_username_and_several_customers_in_order() -> None:
    document = minimal(
        customers={
            "Zeta": {"key": "key-z-0123", "topics": ["security"], "username": "z@example.com"},
            "alpha.1-x_y": {"key": "key-a-0123", "topics": ["location", "presence"]},
        }
    )
    config = parse(document)
    assert [c.name for c in config.customers] == ["Zeta", "alpha.1-x_y"]
    assert config.customer("Zeta").username == "z@example.com"
    assert config.customer("alpha.1-x_y").topics == (Topic.LOCATION, Topic.PRESENCE)


def test_env_expansion_everywhere() -> None:
    document = minimal(
        central={"base_url": "https://${env:HOST}:${env:PORT:-443}", "verify_tls": "${env:TLS}"},
        customers={
            "A": {
                "key": "${env:SECRET_KEY}",
                "username": "ops+${env:WHO}@example.com",
                "topics": ["${env:TOPIC}", "security"],
            },
        },
        key_validation_interval="${env:INTERVAL}",
        otlp={"headers": {"x-token": "Bearer ${env:TOKEN}"}, "insecure": "${env:INSECURE:-no}"},
        health={"listen": "${env:LISTEN:-0.0.0.0:9000}"},
    )
    environ = {
        "HOST": "central.example.com",
        "TLS": "false",
        "SECRET_KEY": KEY,
        "WHO": "team",
        "TOPIC": "monitoring",
        "INTERVAL": "2h",
        "TOKEN": "tok-0123",
        "INSECURE": "",
    }
    config = parse(document, environ=environ)
    assert config.central.stream_url == "wss://central.example.com:443/streaming/api"
    assert config.central.verify_tls is False
    customer = config.customer("A")
    assert customer.key == Secret(KEY)
    assert customer.username == "ops+team@example.com"
    assert customer.topics == (Topic.MONITORING, Topic.SECURITY)
    assert config.key_validation_interval == 7200.0
    assert config.otlp.headers == {"x-token": Secret("Bearer tok-0123")}
    assert config.otlp.insecure is False  # empty variable: the default applies
    assert config.health.listen == "0.0.0.0:9000"


def test_env_escape_gives_literal_text() -> None:
    document = minimal(otlp={"headers": {"x-literal": "$${env:NOT_EXPANDED} and $$HOME"}})
    config = parse(document, environ={"NOT_EXPANDED": "oops"})
    assert config.otlp.headers["x-literal"].reveal() == "${env:NOT_EXPANDED} and $$HOME"


def test_env_default_may_be_empty_and_mapping_keys_are_not_expanded() -> None:
    document = minimal(otlp={"headers": {"x-${env:A}": "v${env:UNSET:-}"}})
    with pytest.raises(ConfigError) as error:
        parse(document, environ={"A": "a"})
    assert [str(p) for p in error.value.problems] == [
        "otlp.headers['x-${env:A}']: invalid header name 'x-${env:A}'"
    ]


def test_environ_defaults_to_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CENTRAL_OTEL_TEST_KEY", KEY)
    document = minimal(customers={"A": {"key_env": "CENTRAL_OTEL_TEST_KEY", "topics": ["audit"]}})
    config = parse_config(document, source="test.yaml")
    assert config.customer("A").key.reveal() == KEY


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), ("true", True), ("False", False), ("yes", True), ("off", False)],
)
def test_boolean_forms(value: object, expected: bool) -> None:
    config = parse(minimal(central={"base_url": "h.example.com", "verify_tls": value}))
    assert config.central.verify_tls is expected


@pytest.mark.parametrize(
    ("listen", "host", "port"),
    [
        ("127.0.0.1:8080", "127.0.0.1", 8080),
        ("0.0.0.0:1", "0.0.0.0", 1),
        ("localhost:65535", "localhost", 65535),
        ("[::]:0", "::", 0),
        ("[::1]:9090", "::1", 9090),
    ],
)
def test_listen_forms(listen: str, host: str, port: int) -> None:
    assert parse(minimal(health={"listen": listen})).health == HealthConfig(host=host, port=port)


def test_header_names_are_lower_cased() -> None:
    config = parse(minimal(otlp={"headers": {"Authorization": "Bearer x", "X-Org": "o"}}))
    assert dict(config.otlp.headers) == {"authorization": Secret("Bearer x"), "x-org": Secret("o")}


def test_config_is_frozen_and_hashable() -> None:
    config = parse(minimal(otlp={"headers": {"a": "b"}}))
    with pytest.raises(AttributeError):
        config.key_validation_interval = 1.0  # type: ignore[misc]
    assert hash(config) == hash(parse(minimal(otlp={"headers": {"a": "b"}})))


def test_example_file(tmp_path: Path) -> None:
    """examples/config.yaml is valid once its key file exists."""
    example = Path(__file__).parent.parent / "examples" / "config.yaml"
    key_file = tmp_path / "customer-a"
    key_file.write_text(KEY + "\n")
    text = example.read_text().replace("/run/secrets/customer-a", str(key_file))
    (tmp_path / "config.yaml").write_text(text)
    config = load_config(tmp_path / "config.yaml", environ={})
    assert config.customer("CustomerA").key == Secret(KEY)
    assert config.customer("CustomerA").topics == (Topic.MONITORING, Topic.SECURITY)
    assert config.central.stream_url == "wss://internal-ui.central.arubanetworks.com/streaming/api"
    assert config.otlp == OtlpConfig()
    assert config.health == HealthConfig()
    assert config.streaming == StreamingConfig()  # the example spells out the defaults
    assert config.state_dir is None
    assert config.capture is None
    # The commented-out optional settings are valid once uncommented.
    uncommented = (
        text.replace("# state_dir: /var/lib/central-otel", f"state_dir: {tmp_path / 'state'}")
        .replace(
            "# capture:\n#   file: /tmp/central-otel.cap", f"capture:\n  file: {tmp_path}/x.cap"
        )
        .replace("#   max_size: 100MiB", "  max_size: 100MiB")
    )
    (tmp_path / "config.yaml").write_text(uncommented)
    config = load_config(tmp_path / "config.yaml", environ={})
    assert config.state_dir == tmp_path / "state"
    assert config.capture == CaptureConfig(file=tmp_path / "x.cap", max_size=100 << 20)
