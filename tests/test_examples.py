"""Every file in examples/: central-otel configurations load with the real validator;
collector, compose, Prometheus and Grafana files parse and reference what exists.

Key files the examples name under /run/secrets/ are created in a temporary directory
(the path is rewritten in a copy of the example); environment variables are given
to the loader, exactly those the example says it reads.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from central_otel.cli import build_parser
from central_otel.config import Config, load_config, render_config
from central_otel.topics import TOPIC_NAMES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SECRETS = "/run/secrets/"
TEST_KEY = "test-key-{name}-0123456789abcdef"  # never printed by check-config
SECRET_TOKEN = "t0ken-4f2a9c"


@dataclass(frozen=True, slots=True)
class Setup:
    """What an example needs: environment variables and key files (under /run/secrets/)."""

    env: dict[str, str] = field(default_factory=dict)
    key_files: tuple[str, ...] = ()
    customers: int = 1
    subscriptions: int = 1
    container: bool = False  # runs in a container: health on all interfaces, a state dir


CENTRAL_CONFIGS: dict[str, Setup] = {
    "config.yaml": Setup(key_files=("customer-a",), customers=1, subscriptions=2),
    "both-platforms.yaml": Setup(
        key_files=("acme.key", "globex-client-secret"), customers=2, subscriptions=8
    ),
    "msp.yaml": Setup(
        env={"CENTRAL_OTEL_KEY_ACME": TEST_KEY.format(name="acme"), "OTLP_TOKEN": SECRET_TOKEN},
        key_files=("central-otel/globex.key", "central-otel/initech-eu.key"),
        customers=3,
        subscriptions=6,
    ),
    "sidecar/central-otel.yaml": Setup(
        key_files=("central-otel/customer-a.key",), subscriptions=2, container=True
    ),
    "compose/central-otel.yaml": Setup(
        env={
            "CENTRAL_HOST": "http://simulator:8765",
            "CENTRAL_OTEL_KEY_CUSTOMERA": TEST_KEY.format(name="a"),
        },
        subscriptions=2,
        container=True,
    ),
}
COLLECTOR_CONFIGS = ("sidecar/collector.yaml", "compose/collector.yaml")
COMPOSE = "docker-compose.yaml"
PROMETHEUS = "compose/prometheus.yml"
GRAFANA_PROVISIONING = (
    "compose/grafana/provisioning/datasources/prometheus.yaml",
    "compose/grafana/provisioning/dashboards/central-otel.yaml",
)
ALERTS = ("alerts/central-otel-rules.yaml",)  # and *.test.yaml: tests/test_alert_rules.py
DEVICE_KEYS = ["host.id", "host.name", "host.mac", "host.ip", "aruba.customer.name"]
ENV_REFERENCE = re.compile(r"(?<!\$)\$\{env:(\w+)(:-[^}]*)?\}")


def strings(value: object) -> Iterator[str]:
    """Every string value of a parsed document (not its keys, not its comments)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def example_yaml() -> list[str]:
    return sorted(
        p.relative_to(EXAMPLES).as_posix()
        for p in EXAMPLES.rglob("*")
        if p.suffix in {".yaml", ".yml"}
    )


def read_yaml(relative: str) -> Any:
    return yaml.safe_load((EXAMPLES / relative).read_text(encoding="utf-8"))


def test_every_example_file_is_checked() -> None:
    known = set(CENTRAL_CONFIGS) | set(COLLECTOR_CONFIGS) | {COMPOSE, PROMETHEUS}
    known |= set(GRAFANA_PROVISIONING) | set(ALERTS)
    tests = {name for name in example_yaml() if name.endswith(".test.yaml")}
    assert set(example_yaml()) - tests == known
    central = {
        name
        for name in example_yaml()
        if isinstance(read_yaml(name), dict) and {"central", "customers"} <= set(read_yaml(name))
    }
    assert central == set(CENTRAL_CONFIGS)


# -- central-otel configurations ------------------------------------------------------------


def load_example(relative: str, setup: Setup, tmp_path: Path) -> Config:
    secrets = tmp_path / "secrets"
    for name in setup.key_files:
        key = secrets / name
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_text(TEST_KEY.format(name=key.stem) + "\n", encoding="utf-8")
        key.chmod(0o600)
    text = (EXAMPLES / relative).read_text(encoding="utf-8")
    copy = tmp_path / "examples" / relative
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(text.replace(SECRETS, f"{secrets}/"), encoding="utf-8")
    return load_config(copy, environ=setup.env)


@pytest.mark.parametrize("relative", sorted(CENTRAL_CONFIGS))
def test_central_otel_config_is_valid(relative: str, tmp_path: Path) -> None:
    setup = CENTRAL_CONFIGS[relative]
    config = load_example(relative, setup, tmp_path)
    assert len(config.all_customers) == setup.customers
    assert config.subscription_count == setup.subscriptions
    rendered = render_config(config)
    assert "test-key-" not in rendered
    assert SECRET_TOKEN not in rendered
    if setup.container:
        assert config.health.host == "0.0.0.0"
        assert config.state_dir == Path("/var/lib/central-otel")


@pytest.mark.parametrize("relative", sorted(CENTRAL_CONFIGS))
def test_central_otel_config_names_the_variables_it_needs(relative: str) -> None:
    """The table above gives exactly the variables the example needs (no default)."""
    document = read_yaml(relative)
    required = {
        name
        for value in strings(document)
        for name, default in ENV_REFERENCE.findall(value)
        if not default
    }
    required |= {
        c[source]
        for c in document["customers"].values()
        for source in ("key_env", "client_secret_env")
        if source in c
    }
    assert set(CENTRAL_CONFIGS[relative].env) == required
    key_files = {
        c[source].removeprefix(SECRETS)
        for c in document["customers"].values()
        for source in ("key_file", "client_secret_file")
        if source in c
    }
    assert key_files == set(CENTRAL_CONFIGS[relative].key_files)


def test_msp_example_shows_every_key_source_and_variables(tmp_path: Path) -> None:
    document = read_yaml("msp.yaml")
    sources = {
        key for c in document["customers"].values() for key in ("key_env", "key_file") if key in c
    }
    assert sources == {"key_env", "key_file"}
    config = load_example("msp.yaml", CENTRAL_CONFIGS["msp.yaml"], tmp_path)
    assert config.central.host == "internal-ui.central.arubanetworks.com"  # the default
    assert {topic.value for c in config.customers for topic in c.topics} <= set(TOPIC_NAMES)
    assert config.customer("Globex").username == "noc@globex.example"  # GLOBEX_USER unset
    assert config.otlp.headers["authorization"].reveal() == f"Bearer {SECRET_TOKEN}"


# -- OpenTelemetry Collector configurations ----------------------------------------------------

COMPONENT_TYPES = {
    "receivers": {"otlp"},
    "processors": {"memory_limiter", "groupbyattrs", "batch"},
    "exporters": {"otlphttp", "debug"},
    "extensions": {"health_check", "file_storage"},
}


def component_type(component_id: str) -> str:
    return component_id.split("/", 1)[0]


@pytest.mark.parametrize("relative", COLLECTOR_CONFIGS)
def test_collector_config_is_consistent(relative: str) -> None:
    config = read_yaml(relative)
    assert set(config) <= {"receivers", "processors", "exporters", "extensions", "service"}
    for kind, types in COMPONENT_TYPES.items():
        for component_id in config.get(kind) or {}:
            assert component_type(component_id) in types, f"{kind}: {component_id}"
    service = config["service"]
    assert set(service["extensions"]) == set(config["extensions"])
    used: dict[str, set[str]] = {"receivers": set(), "processors": set(), "exporters": set()}
    assert set(service["pipelines"]) == {"metrics", "logs"}
    for name, pipeline in service["pipelines"].items():
        for kind, seen in used.items():
            for component_id in pipeline.get(kind, []):
                assert component_id in config[kind], f"{name}: {component_id} is not defined"
                seen.add(component_id)
        processors = pipeline["processors"]
        assert processors[0] == "memory_limiter", f"{name}: memory_limiter comes first"
        assert "groupbyattrs/devices" in processors
        assert processors[-1] == "batch"
    for kind, ids in used.items():
        assert ids == set(config[kind]), f"{kind} defined but not used: {set(config[kind]) - ids}"
    assert config["processors"]["groupbyattrs/devices"]["keys"] == DEVICE_KEYS
    assert set(config["receivers"]["otlp"]["protocols"]) == {"grpc", "http"}
    durable = [
        exporter
        for exporter in config["exporters"].values()
        if (exporter or {}).get("sending_queue", {}).get("storage")
    ]
    assert durable, "no exporter queues on disk"
    for exporter in durable:
        storage = exporter["sending_queue"]["storage"]
        assert component_type(storage) == "file_storage"
        assert storage in service["extensions"]


def _receiver_port(collector: str) -> tuple[str, int]:
    endpoint = read_yaml(collector)["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"]
    host, _, port = endpoint.rpartition(":")
    return host, int(port)


def test_sidecar_pair_fits_together(tmp_path: Path) -> None:
    host, port = _receiver_port("sidecar/collector.yaml")
    assert host == "127.0.0.1", "a sidecar's receiver listens on loopback only"
    config = load_example(
        "sidecar/central-otel.yaml", CENTRAL_CONFIGS["sidecar/central-otel.yaml"], tmp_path
    )
    endpoint = urlsplit(config.otlp.endpoint)
    assert (endpoint.scheme, endpoint.hostname, endpoint.port) == ("http", "localhost", port)
    assert config.otlp.protocol == "grpc"


# -- docker compose ------------------------------------------------------------------------------


def _substitute(value: str) -> str:
    """Compose's ${VAR:-default} as its default, ${VAR:?message} and ${VAR} as VAR."""
    value = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: m[2], value)
    return re.sub(r"\$\{(\w+)(?::\?[^}]*)?\}", lambda m: m[1], value)


def bind_mounts(service: dict[str, Any]) -> Iterator[tuple[Path, str]]:
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        if source.startswith("."):
            yield (EXAMPLES / source).resolve(), target


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = read_yaml(COMPOSE)
    assert isinstance(document, dict)
    return document


def test_compose_references_existing_files_and_volumes(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"central-otel", "otel-collector", "prometheus", "grafana"} <= set(services)
    named = set(compose["volumes"])
    for name, service in services.items():
        for source, _ in bind_mounts(service):
            assert source.exists(), f"{name}: {source} does not exist"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith("."):
                assert source in named, f"{name}: volume {source} is not declared"
        build = service.get("build")
        if build:
            context = (EXAMPLES / build["context"]).resolve()
            assert (context / build["dockerfile"]).is_file()
        for dependency in service.get("depends_on", []):
            assert dependency in services, f"{name} depends on unknown {dependency}"


def test_compose_bridge_runs_the_checked_config(compose: dict[str, Any], tmp_path: Path) -> None:
    service = compose["services"]["central-otel"]
    mounts = {target: source for source, target in bind_mounts(service)}
    config_file = mounts["/etc/central-otel/config.yaml"]  # the image's CMD reads it
    relative = config_file.relative_to(EXAMPLES).as_posix()
    assert relative in CENTRAL_CONFIGS
    # The variables the config needs are passed in.
    assert set(CENTRAL_CONFIGS[relative].env) <= set(service["environment"])
    config = load_example(relative, CENTRAL_CONFIGS[relative], tmp_path)
    endpoint = urlsplit(config.otlp.endpoint)
    assert endpoint.hostname in compose["services"]
    assert endpoint.port == _receiver_port("compose/collector.yaml")[1]
    assert service["read_only"] is True
    assert "/tmp" in service["tmpfs"]
    assert f"{config.health.port}:{config.health.port}" in service["ports"]
    state = [v for v in service["volumes"] if v.endswith(":/var/lib/central-otel")]
    assert state
    assert config.state_dir == Path("/var/lib/central-otel")


def test_compose_commands_of_the_image_parse(compose: dict[str, Any]) -> None:
    parser = build_parser()
    for name, service in compose["services"].items():
        if service.get("image") == "central-otel:local" and "command" in service:
            command = service["command"]
            argv = shlex.split(command) if isinstance(command, str) else list(command)
            args = parser.parse_args([_substitute(word) for word in argv])
            assert args.handler is not None, name
    simulator = compose["services"]["simulator"]
    assert simulator["profiles"] == ["demo"]
    customers = read_yaml("compose/central-otel.yaml")["customers"]
    assert f"--customer={next(iter(customers))}" in simulator["command"]


def test_compose_collector_and_prometheus_fit_together(compose: dict[str, Any]) -> None:
    services = compose["services"]
    collector = services["otel-collector"]
    mounts = {target: source for source, target in bind_mounts(collector)}
    (config_flag,) = [c for c in collector["command"] if c.startswith("--config=")]
    assert mounts[config_flag.removeprefix("--config=")] == (EXAMPLES / "compose/collector.yaml")
    exporter = read_yaml("compose/collector.yaml")["exporters"]["otlphttp/prometheus"]
    url = urlsplit(exporter["endpoint"])
    assert url.hostname == "prometheus"
    assert url.path == "/api/v1/otlp"
    assert "9090:9090" in services["prometheus"]["ports"]

    prometheus = services["prometheus"]
    assert "--web.enable-otlp-receiver" in prometheus["command"]
    mounts = {target: source for source, target in bind_mounts(prometheus)}
    assert mounts["/etc/prometheus/prometheus.yml"] == EXAMPLES / PROMETHEUS
    settings = read_yaml(PROMETHEUS)
    assert settings["otlp"]["translation_strategy"] == "UnderscoreEscapingWithSuffixes"
    # Whatever the collector moved to the resource comes back as labels.
    assert set(DEVICE_KEYS) <= set(settings["otlp"]["promote_resource_attributes"])
    rule_targets = [t for t in mounts if t.startswith("/etc/prometheus/rules/")]
    assert rule_targets
    for pattern in settings["rule_files"]:
        assert any(Path(t).match(pattern) for t in rule_targets), pattern
    assert {mounts[t] for t in rule_targets} == {EXAMPLES / a for a in ALERTS}


def test_compose_grafana_provisions_the_dashboard(compose: dict[str, Any]) -> None:
    grafana = compose["services"]["grafana"]
    mounts = {target: source for source, target in bind_mounts(grafana)}
    assert mounts["/etc/grafana/provisioning"] == EXAMPLES / "compose/grafana/provisioning"
    (provider,) = read_yaml(GRAFANA_PROVISIONING[1])["providers"]
    dashboards = [
        source
        for target, source in mounts.items()
        if target.startswith(provider["options"]["path"])
    ]
    assert dashboards == [EXAMPLES / "grafana" / "central-otel-dashboard.json"]
    (datasource,) = read_yaml(GRAFANA_PROVISIONING[0])["datasources"]
    dashboard = json.loads(dashboards[0].read_text(encoding="utf-8"))
    (variable,) = [v for v in dashboard["templating"]["list"] if v["type"] == "datasource"]
    assert datasource["type"] == variable["query"] == "prometheus"
    assert urlsplit(datasource["url"]).hostname in compose["services"]
    home = grafana["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert home in mounts
